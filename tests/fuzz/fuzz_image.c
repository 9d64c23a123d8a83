/* libFuzzer: the photo entry point on any bytes. The container checks
 * (format, EXIF orientation, JPEG scans) on everything; then, with the
 * OCR libraries, the whole read under small limits: an error or a page
 * whose words lie inside its text and its boxes inside the photo. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/image.h"
#include "input/ocr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ndl_ocr *ocr;
	static int tried;
	ndl_image_format f = ndl_image_sniff(data, size);
	int o = ndl_image_orientation(data, size);
	if (o < 1 || o > 8 || (size_t)f > NDL_IMAGE_WEBP)
		abort();
	(void)ndl_jpeg_scans(data, size);
	(void)ndl_image_is_text(data, size);
	if (!tried) {
		ndl_error err;
		ocr = ndl_ocr_new(NULL, &err);
		tried = 1;
	}
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
