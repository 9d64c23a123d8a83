/* Image files as containers, read without decoding a pixel: which format
 * the bytes hold (by content, never by a file name), the orientation a
 * camera recorded, and the number of scans of a JPEG. Plain C with no
 * library, so that it runs before any decoder sees hostile bytes, and
 * in builds without the OCR libraries. */
#ifndef NDL_IMAGE_H
#define NDL_IMAGE_H

#include <stddef.h>

typedef enum ndl_image_format {
	NDL_IMAGE_UNKNOWN,
	NDL_IMAGE_PNG,
	NDL_IMAGE_JPEG,
	NDL_IMAGE_TIFF,
	NDL_IMAGE_WEBP
} ndl_image_format;

/* The format of the data from its first bytes: a PNG signature, a JPEG
 * SOI marker, a TIFF byte-order mark, a RIFF/WEBP header. */
ndl_image_format ndl_image_sniff(const void *data, size_t len);

/* "PNG", "JPEG", "TIFF", "WebP", or "unknown". */
const char *ndl_image_format_name(ndl_image_format f);

/* Does the data read as text (UTF-8 with no NUL and few control
 * characters)? For the message given when a text file is passed as a
 * photo. */
int ndl_image_is_text(const void *data, size_t len);

/* The EXIF orientation (1-8, as in the TIFF specification: 1 upright,
 * 3 turned 180°, 6 to be turned 90° clockwise, 8 counter-clockwise, 2 4
 * 5 7 mirrored) of a JPEG (APP1 "Exif"), PNG (eXIf), WebP (EXIF chunk)
 * or TIFF (its first IFD). 1 when there is none or it cannot be read:
 * the pixels are then shown as stored. */
int ndl_image_orientation(const void *data, size_t len);

/* The number of scans (SOS markers) of a JPEG, counted by walking its
 * markers: a progressive JPEG with thousands of tiny scans makes a
 * decoder do the whole image's work for each. */
size_t ndl_jpeg_scans(const void *data, size_t len);

/* Is the PNG or JPEG in data whole: a PNG's chunks all there with
 * their CRCs right up to IEND, a JPEG's markers up to its end (EOI)?
 * Checked before decoding, so that a photo cut short or damaged gets
 * our message rather than the decoder's on stderr (libpng and libjpeg
 * print theirs). Other formats: 1, not checked. */
int ndl_image_whole(const void *data, size_t len);

#endif
