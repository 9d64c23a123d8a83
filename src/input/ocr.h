/* Reading a photo of a label: image bytes in memory → the text on it,
 * word by word, each word with its place on the photo and Tesseract's
 * confidence in it.
 *
 *   ndl_ocr        an engine: Tesseract with its language data loaded
 *                  (a few tenths of a second), reused photo after photo.
 *                  One per thread: an engine is not shared.
 *   ndl_ocr_read() one photo (PNG, JPEG, TIFF or WebP, told by its
 *                  content) → ndl_ocr_page.
 *
 * The image work is Leptonica's: grayscale, the text scaled to the size
 * Tesseract reads best (small text up, large photos down), an adaptive
 * (Sauvola) threshold that copes with uneven light, and the skew found
 * and turned back. The threshold finds the text blocks; Tesseract reads
 * each block's gray pixels, their light evened, and segments it itself,
 * so columns are read one after the other. Boxes are given in the photo's pixels,
 * upright (as a viewer shows it, after any EXIF orientation).
 *
 * Limits, checked before anything is decoded: the bytes (max_bytes), the
 * pixels the header declares (max_pixels), the scans of a JPEG; then a
 * deadline for recognition (max_ms). Memory follows from the pixels: at
 * most about 6 bytes per declared pixel for decoding (JPEGs over 16
 * megapixels are decoded at half size), and the image handed to
 * Tesseract is at most NDL_OCR_WORK_PIXELS.
 *
 * Built without Tesseract and Leptonica (no NDL_HAVE_OCR), ndl_ocr_new
 * fails with a message saying what to install; the container functions
 * of image.h work in any build. Built with them, the library does not
 * link them: they are opened (dlopen) by the first ndl_ocr_new or
 * ndl_image_probe, so a program that reads no photo never loads them;
 * missing then, those fail with the message naming what to install.
 *
 * Like the rest of the library this never prints (Tesseract's and
 * Leptonica's messages are silenced) and reports errors as values. */
#ifndef NDL_OCR_H
#define NDL_OCR_H

#include <stddef.h>
#include <stdint.h>

#include "input/image.h"
#include "needlecheck.h"

#define NDL_OCR_MAX_BYTES ((size_t)64 << 20)  /* 64 MiB of file */
#define NDL_OCR_MAX_PIXELS 50000000ull         /* 50 megapixels */
#define NDL_OCR_MAX_MS 20000u                  /* 20 s to recognise */
#define NDL_OCR_MAX_JPEG_SCANS 100
#define NDL_OCR_WORK_PIXELS 16000000ull        /* what Tesseract sees */
#define NDL_OCR_LANGUAGES "eng+fra+deu"

typedef struct ndl_ocr_limits {
	size_t max_bytes;    /* 0: NDL_OCR_MAX_BYTES */
	uint64_t max_pixels; /* declared width × height; 0: NDL_OCR_MAX_PIXELS */
	unsigned max_ms;     /* recognition time; 0: NDL_OCR_MAX_MS */
} ndl_ocr_limits;

/* What the header says, before any pixel is decoded. */
typedef struct ndl_image_info {
	ndl_image_format format;
	unsigned width, height; /* as stored */
	int orientation;        /* EXIF, 1-8 (1: upright) */
} ndl_image_info;

/* Checks data against lim (NULL: the defaults) from its container and
 * header alone, and fills info. Returns 0, or -1 with err saying why the
 * photo is not read (empty, too large, not an image, text, a damaged
 * header, no pixels, too many pixels or scans). Needs Leptonica for the
 * header: without it, -1 and the message of ndl_ocr_new. */
int ndl_image_probe(const void *data, size_t len, const ndl_ocr_limits *lim,
		    ndl_image_info *info, ndl_error *err);

/* A pixel rectangle of the photo: left, top, width, height. */
typedef struct ndl_ocr_box {
	int x, y, w, h;
} ndl_ocr_box;

typedef struct ndl_ocr_word {
	size_t offset, len; /* its bytes in the page's text */
	ndl_ocr_box box;    /* on the photo, upright */
	float confidence;   /* Tesseract's, 0-100 */
} ndl_ocr_word;

/* A photo read. Everything it points to is owned by the page; release
 * with ndl_ocr_page_free. */
typedef struct ndl_ocr_page {
	char *text;   /* UTF-8, NUL-terminated: the words, a space between
			 words, a newline between lines, a blank line between
			 blocks (columns, paragraphs), in reading order */
	size_t len;
	ndl_ocr_word *words; /* in text order */
	size_t nwords;
	double confidence;   /* the words' mean confidence (0-100) weighted
				by their length; 0 when nothing was read */
	unsigned width, height; /* the photo, upright */
	ndl_image_format format;
	int orientation; /* the EXIF orientation that was applied */
	double skew;     /* degrees the text was turned back (clockwise +) */
	double scale;    /* pixels of the image Tesseract read per photo pixel */
	const char *engine; /* "tesseract 5.3.0" (static) */
} ndl_ocr_page;

void ndl_ocr_page_free(ndl_ocr_page *page);

typedef struct ndl_ocr ndl_ocr;

typedef struct ndl_ocr_options {
	const char *datapath;  /* the tessdata directory; NULL: Tesseract's
				  own (TESSDATA_PREFIX, else the packaged one) */
	const char *languages; /* NULL: NDL_OCR_LANGUAGES */
	unsigned threads;      /* engines reading a photo's blocks at once,
				  one a thread, each with its own language
				  data (some 25 MB): 0 or 1, one; at most
				  NDL_OCR_MAX_THREADS */
} ndl_ocr_options;

#define NDL_OCR_MAX_THREADS 2

/* Nonzero when the library was built with Tesseract and Leptonica
 * (whether they are installed is known on the first ndl_ocr_new). */
int ndl_ocr_available(void);

/* Loads Tesseract with the languages, on a thread of its own while the
 * caller goes on (the first read waits for it). NULL with err filled
 * when the build has no OCR or out of memory; language data that cannot
 * be loaded fails each read, saying so. opt may be NULL. Free with
 * ndl_ocr_free. */
ndl_ocr *ndl_ocr_new(const ndl_ocr_options *opt, ndl_error *err);
void ndl_ocr_free(ndl_ocr *ocr);

/* Reads the photo in data (len bytes; the caller keeps it) within lim
 * (NULL: the defaults). Returns 0 and fills *page (even when no word was
 * found: nwords 0), or -1 with err filled (the reasons of
 * ndl_image_probe, data that cannot be decoded, language data that cannot
 * be loaded, the deadline passed, out of memory) and *page zeroed. */
int ndl_ocr_read(ndl_ocr *ocr, const void *data, size_t len,
		 const ndl_ocr_limits *lim, ndl_ocr_page *page, ndl_error *err);

/* Called after each block of text (a paragraph or column, in reading
 * order) with all the text read so far, as ndl_ocr_page.text has it
 * (len bytes, not NUL-terminated): nonzero when that is enough, and the
 * rest of the photo is not read. */
typedef int (*ndl_ocr_enough)(void *arg, const char *text, size_t len);

/* ndl_ocr_read that stops once enough(arg, ...) says so (NULL: reads
 * all): a label's text after its ingredient list need not be read. */
int ndl_ocr_read_until(ndl_ocr *ocr, const void *data, size_t len,
		       const ndl_ocr_limits *lim, ndl_ocr_enough enough,
		       void *arg, ndl_ocr_page *page, ndl_error *err);

/* The photo for showing it on a page, small: upright, in gray, scaled
 * down so that its longer side is at most max_side pixels, as a JPEG
 * (quality 80). Returns 0 and *jpeg (free() it, *jpeg_len bytes), or -1
 * with err filled (the reasons of ndl_image_probe, data that cannot be
 * decoded, out of memory). */
int ndl_image_preview(const void *data, size_t len, unsigned max_side,
		      unsigned char **jpeg, size_t *jpeg_len, ndl_error *err);

#endif
