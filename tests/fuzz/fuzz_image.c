/* libFuzzer: the photo entry point on any bytes. The container checks
 * (format, EXIF orientation, JPEG scans) on everything; then, with the
 * OCR libraries, the whole read under small limits: an error or a page
 * whose words lie inside its text and its boxes inside the photo. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/image.h"
#include "input/ocr.h"

static ndl_ocr *ocr;

/* The engines load here, outside any input's time limit: a white
 * 16 × 16 PNG is read once, which waits for them. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t white[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
		0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10,
		0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x98, 0xa0, 0xbd, 0x00, 0x00, 0x00,
		0x0f, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x8f, 0x06, 0x18,
		0x46, 0xb6, 0x00, 0x00, 0x80, 0xf9, 0xff, 0x01, 0x28, 0x90, 0x9c, 0x5d,
		0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
	(void)argc;
	(void)argv;
	ndl_error err;
	ocr = ndl_ocr_new(NULL, &err);
	ndl_ocr_page page;
	if (ocr != NULL && ndl_ocr_read(ocr, white, sizeof(white), NULL, &page, &err) == 0)
		ndl_ocr_page_free(&page);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ndl_image_format f = ndl_image_sniff(data, size);
	int o = ndl_image_orientation(data, size);
	if (o < 1 || o > 8 || (size_t)f > NDL_IMAGE_WEBP)
		abort();
	(void)ndl_jpeg_scans(data, size);
	(void)ndl_image_is_text(data, size);
	if (ocr == NULL) /* a build without the OCR libraries */
		return 0;
	/* a few megapixels and a second: the fuzzer's own limits are the
	 * bounds in time and memory being tested */
	ndl_ocr_limits lim = {.max_bytes = 1 << 20, .max_pixels = 4000000,
			      .max_ms = 1000};
	ndl_ocr_page page;
	ndl_error err;
	if (ndl_ocr_read(ocr, data, size, &lim, &page, &err) != 0)
		return 0;
	for (size_t i = 0; i < page.nwords; i++) {
		const ndl_ocr_word *w = &page.words[i];
		if (w->offset + w->len > page.len || w->box.x < 0 || w->box.y < 0 ||
		    (unsigned)(w->box.x + w->box.w) > page.width ||
		    (unsigned)(w->box.y + w->box.h) > page.height)
			abort();
	}
	if (strlen(page.text) != page.len)
		abort();
	ndl_ocr_page_free(&page);
	return 0;
}
