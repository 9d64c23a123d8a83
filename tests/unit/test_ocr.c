/* Reading photos (src/ocr.c, src/image.c): formats told by content, and
 * hostile files refused with a message or read within bounds, never a
 * crash. Built without Tesseract and Leptonica, the reader says what to
 * install. Runs from the repository's top (the photos of tests/photo). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input/image.h"
#include "input/ocr.h"

static ndl_ocr *ocr;

static int setup(void **state)
{
	(void)state;
	ndl_error err;
	ocr = ndl_ocr_new(NULL, &err);
	if (ocr == NULL && ndl_ocr_available())
		fprintf(stderr, "test_ocr: %s\n", err.message);
	return ocr == NULL && ndl_ocr_available() ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	ndl_ocr_free(ocr);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	char *data = NULL;
	ndl_error err;
	assert_int_equal(ndl_read_fd(fd, path, (size_t)1 << 26, &data, len, &err), 0);
	close(fd);
	return data;
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG signature and an IHDR declaring w × h gray pixels, with its CRC,
 * and nothing after: what a header may claim before a pixel is seen. */
static size_t png_header(unsigned char *out, uint32_t w, uint32_t h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	memcpy(out, sig, 8);
	put32(out + 8, 13);
	memcpy(out + 12, "IHDR", 4);
	put32(out + 16, w);
	put32(out + 20, h);
	out[24] = 8; /* bit depth */
	out[25] = 0; /* gray */
	out[26] = out[27] = out[28] = 0;
	put32(out + 29, crc32(out + 12, 17));
	memcpy(out + 33, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
	return 45;
}

/* A whole PNG of w × h gray pixels of one value (w ≤ 200), its data
 * stored uncompressed; returns its size. */
static size_t png_gray(unsigned char *out, uint32_t w, uint32_t h,
		       unsigned char value)
{
	size_t n = png_header(out, w, h) - 12; /* before its IEND */
	size_t raw = (size_t)h * (w + 1), at = n + 8;
	unsigned char *z = out + at;
	z[0] = 0x78, z[1] = 0x01;             /* zlib, no dictionary */
	z[2] = 1;                             /* the last block, stored */
	z[3] = (unsigned char)raw, z[4] = (unsigned char)(raw >> 8);
	z[5] = (unsigned char)~z[3], z[6] = (unsigned char)~z[4];
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < raw; i++) {
		unsigned char v = i % (w + 1) ? value : 0; /* filter: none */
		z[7 + i] = v;
		a = (a + v) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + 7 + raw, b << 16 | a);
	size_t zlen = 7 + raw + 4;
	put32(out + n, (uint32_t)zlen);
	memcpy(out + n + 4, "IDAT", 4);
	put32(z + zlen, crc32(out + n + 4, 4 + zlen));
	n = at + zlen + 4;
	memcpy(out + n, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
	return n + 12;
}

/* Reads data; returns the status and fills msg. Asserts it took less
 * than secs seconds. */
static int read_photo(const void *data, size_t len, char *msg, size_t n,
		      double secs)
{
	ndl_ocr_page page;
	ndl_error err;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = ndl_ocr_read(ocr, data, len, NULL, &page, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (took > secs)
		fail_msg("read in %.1f s, more than %.0f", took, secs);
	snprintf(msg, n, "%s", rc == 0 ? "" : err.message);
	if (rc == 0)
		ndl_ocr_page_free(&page);
	return rc;
}

static void test_formats_by_content(void **state)
{
	(void)state;
	unsigned char png[64];
	png_header(png, 10, 10);
	assert_int_equal(ndl_image_sniff(png, 45), NDL_IMAGE_PNG);
	assert_int_equal(ndl_image_sniff("\xff\xd8\xff\xe0", 4), NDL_IMAGE_JPEG);
	assert_int_equal(ndl_image_sniff("II*\0\x08\0\0\0", 8), NDL_IMAGE_TIFF);
	assert_int_equal(ndl_image_sniff("MM\0*\0\0\0\x08", 8), NDL_IMAGE_TIFF);
	assert_int_equal(ndl_image_sniff("RIFF\x10\0\0\0WEBPVP8 ", 16), NDL_IMAGE_WEBP);
	assert_int_equal(ndl_image_sniff("RIFF\x10\0\0\0WAVEfmt ", 16), NDL_IMAGE_UNKNOWN);
	assert_int_equal(ndl_image_sniff("\x89PN", 3), NDL_IMAGE_UNKNOWN);
	assert_int_equal(ndl_image_sniff("", 0), NDL_IMAGE_UNKNOWN);
	const char *text = "Ingredients: Aqua, Glycerin, R\xc3\xa9tinol.\n";
	assert_true(ndl_image_is_text(text, strlen(text)));
	assert_false(ndl_image_is_text(png, 45));
	assert_string_equal(ndl_image_format_name(NDL_IMAGE_WEBP), "WebP");
}

/* Files that are no photo, or whose header lies, get a message. */
static void test_not_photos(void **state)
{
	(void)state;
	char msg[512];
	const char *text = "Aqua, Glycerin, Retinol\n";
	assert_int_equal(read_photo(text, strlen(text), msg, sizeof(msg), 5), -1);
	assert_non_null(strstr(msg, "text, not a photo"));
	assert_int_equal(read_photo("", 0, msg, sizeof(msg), 5), -1);
	assert_non_null(strstr(msg, "empty"));
	assert_int_equal(read_photo("\0\1\2\3\4\5\6\7", 8, msg, sizeof(msg), 5), -1);
	assert_non_null(strstr(msg, "not a photo"));
	if (ocr == NULL) { /* the build says what photos need */
		unsigned char png[64];
		size_t n = png_header(png, 100, 100);
		assert_int_equal(read_photo(png, n, msg, sizeof(msg), 5), -1);
		assert_non_null(strstr(msg, "Tesseract and Leptonica"));
		assert_non_null(strstr(msg, "libtesseract-dev"));
	}
}

static void test_headers_that_lie(void **state)
{
	(void)state;
	if (ocr == NULL)
		skip();
	char msg[512];
	unsigned char png[64];
	size_t n = png_header(png, 0, 0);
	assert_int_equal(read_photo(png, n, msg, sizeof(msg), 5), -1);
	n = png_header(png, 30000, 30000);
	assert_int_equal(read_photo(png, n, msg, sizeof(msg), 5), -1);
	assert_non_null(strstr(msg, "megapixels"));
	/* a header of a size it may have, and no pixel data */
	n = png_header(png, 800, 600);
	assert_int_equal(read_photo(png, n, msg, sizeof(msg), 5), -1);
	/* the limits are the caller's */
	ndl_ocr_limits lim = {.max_pixels = 1000};
	ndl_image_info info;
	ndl_error err;
	n = png_header(png, 100, 100);
	assert_int_equal(ndl_image_probe(png, n, &lim, &info, &err), -1);
	assert_non_null(strstr(err.message, "megapixels"));
	lim.max_pixels = 0;
	lim.max_bytes = 10;
	assert_int_equal(ndl_image_probe(png, n, &lim, &info, &err), -1);
	assert_non_null(strstr(err.message, "bytes"));
}

/* A photo cut short, at any of several lengths: an error, or the words
 * of what was there; never a crash. */
static void test_truncated(void **state)
{
	(void)state;
	if (ocr == NULL)
		skip();
	size_t len;
	char *data = slurp("tests/photo/fixtures/night-serum.moderate.jpg", &len);
	char msg[512];
	for (size_t cut = 2; cut < len; cut = cut * 3 + 7)
		(void)read_photo(data, cut, msg, sizeof(msg), 20);
	assert_int_equal(read_photo(data, 600, msg, sizeof(msg), 20), -1);
	free(data);
	data = slurp("tests/photo/fixtures/calm-gel.clean.png", &len);
	assert_int_equal(read_photo(data, len / 2, msg, sizeof(msg), 20), -1);
	free(data);
}

/* 19 KB that decode to 49 megapixels of white: read within the
 * deadline, no word found. */
static void test_png_bomb(void **state)
{
	(void)state;
	if (ocr == NULL)
		skip();
	size_t len;
	char *data = slurp("tests/photo/hostile/bomb-49mp.png", &len);
	ndl_ocr_page page;
	ndl_error err;
	int rc = ndl_ocr_read(ocr, data, len, NULL, &page, &err);
	if (rc == 0) {
		assert_int_equal(page.nwords, 0);
		ndl_ocr_page_free(&page);
	}
	free(data);
}

/* Words have boxes on the photo and confidences; the text is theirs. */
static void test_words_and_boxes(void **state)
{
	(void)state;
	if (ocr == NULL)
		skip();
	size_t len;
	char *data = slurp("tests/photo/fixtures/calm-gel.clean.png", &len);
	ndl_ocr_page page;
	ndl_error err;
	assert_int_equal(ndl_ocr_read(ocr, data, len, NULL, &page, &err), 0);
	free(data);
	assert_true(page.nwords > 50);
	assert_true(page.confidence > 80);
	assert_int_equal(page.format, NDL_IMAGE_PNG);
	assert_non_null(strstr(page.engine, "tesseract"));
	int found = 0;
	for (size_t i = 0; i < page.nwords; i++) {
		const ndl_ocr_word *w = &page.words[i];
		assert_true(w->offset + w->len <= page.len);
		assert_true(w->box.x >= 0 && w->box.y >= 0 && w->box.w > 0 && w->box.h > 0);
		assert_true((unsigned)(w->box.x + w->box.w) <= page.width);
		assert_true((unsigned)(w->box.y + w->box.h) <= page.height);
		found |= w->len >= 9 && memcmp(page.text + w->offset, "Panthenol", 9) == 0;
	}
	assert_true(found);
	ndl_ocr_page_free(&page);
}

/* Photos too small to hold a letter read as no text, again and again
 * (under the sanitizers: nothing of them left behind). */
static void test_too_small_to_read(void **state)
{
	(void)state;
	if (ocr == NULL)
		skip();
	static const uint32_t sizes[][2] = {{120, 1}, {120, 6}, {3, 40}, {7, 7}};
	unsigned char png[2048];
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		size_t n = png_gray(png, sizes[i][0], sizes[i][1], 128);
		for (int k = 0; k < 3; k++) {
			ndl_ocr_page page;
			ndl_error err;
			assert_int_equal(ndl_ocr_read(ocr, png, n, NULL, &page, &err), 0);
			assert_int_equal(page.width, sizes[i][0]);
			assert_int_equal(page.nwords, 0);
			assert_int_equal(page.len, 0);
			ndl_ocr_page_free(&page);
		}
	}
}

/* Reading stops after the block where enough() says so, and reads the
 * same as ndl_ocr_read until then. */
static int calls;

static int after_blocks(void *arg, const char *text, size_t len)
{
	(void)text;
	(void)len;
	return ++calls >= *(const int *)arg;
}

static void test_read_until(void **state)
{
	(void)state;
	if (ocr == NULL)
		skip();
	size_t len;
	char *data = slurp("tests/photo/fixtures/calm-gel.clean.png", &len);
	ndl_ocr_page all, two, never;
	ndl_error err;
	int blocks = 2, endless = 1000;
	assert_int_equal(ndl_ocr_read(ocr, data, len, NULL, &all, &err), 0);
	calls = 0;
	assert_int_equal(ndl_ocr_read_until(ocr, data, len, NULL, after_blocks,
					    &blocks, &two, &err), 0);
	assert_int_equal(calls, 2);
	calls = 0;
	assert_int_equal(ndl_ocr_read_until(ocr, data, len, NULL, after_blocks,
					    &endless, &never, &err), 0);
	free(data);
	assert_true(calls > 2); /* a block at a time */
	assert_true(two.nwords > 0 && two.nwords < all.nwords);
	assert_true(two.len < all.len && memcmp(two.text, all.text, two.len) == 0);
	assert_int_equal(never.len, all.len);
	assert_memory_equal(never.text, all.text, all.len);
	ndl_ocr_page_free(&all);
	ndl_ocr_page_free(&two);
	ndl_ocr_page_free(&never);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_by_content),
		cmocka_unit_test(test_not_photos),
		cmocka_unit_test(test_headers_that_lie),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_png_bomb),
		cmocka_unit_test(test_words_and_boxes),
		cmocka_unit_test(test_too_small_to_read),
		cmocka_unit_test(test_read_until),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
