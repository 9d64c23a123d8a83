/* Image containers read without decoding (image.h). Every read is
 * bounds-checked against the buffer: these bytes come from anyone. */
#include <stdint.h>
#include <string.h>

#include "input/image.h"
#include "base/text.h"

typedef const unsigned char *bytes;

static unsigned rd16(bytes p, int le)
{
	return le ? (unsigned)p[0] | (unsigned)p[1] << 8
		  : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t rd32(bytes p, int le)
{
	return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 |
			    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
		  : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

ndl_image_format ndl_image_sniff(const void *data, size_t len)
{
	bytes p = data;
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return NDL_IMAGE_PNG;
	if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return NDL_IMAGE_JPEG;
	/* classic TIFF (42) and BigTIFF (43), either byte order */
	if (len >= 4 && ((p[0] == 'I' && p[1] == 'I' && (p[2] == 42 || p[2] == 43) &&
			  p[3] == 0) ||
			 (p[0] == 'M' && p[1] == 'M' && p[2] == 0 &&
			  (p[3] == 42 || p[3] == 43))))
		return NDL_IMAGE_TIFF;
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return NDL_IMAGE_WEBP;
	return NDL_IMAGE_UNKNOWN;
}

const char *ndl_image_format_name(ndl_image_format f)
{
	switch (f) {
	case NDL_IMAGE_PNG: return "PNG";
	case NDL_IMAGE_JPEG: return "JPEG";
	case NDL_IMAGE_TIFF: return "TIFF";
	case NDL_IMAGE_WEBP: return "WebP";
	case NDL_IMAGE_UNKNOWN: break;
	}
	return "unknown";
}

int ndl_image_is_text(const void *data, size_t len)
{
	const char *s = data;
	size_t n = len < 4096 ? len : 4096;
	size_t controls = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0)
			return 0;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			controls++;
	}
	size_t bad = ndl_utf8_invalid_at(s, n);
	/* a character cut by the 4096-byte window is not invalid */
	return n > 0 && controls * 100 <= n && (bad == n || n - bad < 4);
}

/* The orientation tag (0x0112) of the first IFD of a TIFF structure. */
static int tiff_orientation(bytes t, size_t n)
{
	if (n < 8)
		return 1;
	int le;
	if (t[0] == 'I' && t[1] == 'I')
		le = 1;
	else if (t[0] == 'M' && t[1] == 'M')
		le = 0;
	else
		return 1;
	if (rd16(t + 2, le) != 42)
		return 1;
	uint32_t off = rd32(t + 4, le);
	if (off < 8 || off > n - 2)
		return 1;
	unsigned count = rd16(t + off, le);
	for (unsigned i = 0; i < count; i++) {
		size_t e = (size_t)off + 2 + 12 * (size_t)i;
		if (e + 12 > n)
			break;
		if (rd16(t + e, le) != 0x0112)
			continue;
		/* SHORT, one value, held in the entry itself */
		if (rd16(t + e + 2, le) != 3 || rd32(t + e + 4, le) != 1)
			return 1;
		unsigned v = rd16(t + e + 8, le);
		return v >= 1 && v <= 8 ? (int)v : 1;
	}
	return 1;
}

/* The TIFF structure of a JPEG's APP1 "Exif" segment (before the first
 * scan), or NULL. */
static bytes jpeg_exif(bytes p, size_t n, size_t *len)
{
	size_t i = 2;
	while (i + 4 <= n) {
		if (p[i] != 0xFF)
			return NULL;
		unsigned m = p[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
			i += 2; /* markers without a length */
			continue;
		}
		if (m == 0xDA || m == 0xD9)
			return NULL;
		size_t seg = rd16(p + i + 2, 0);
		if (seg < 2 || seg > n - i - 2)
			return NULL;
		if (m == 0xE1 && seg >= 8 && memcmp(p + i + 4, "Exif\0\0", 6) == 0) {
			*len = seg - 8;
			return p + i + 10;
		}
		i += 2 + seg;
	}
	return NULL;
}

/* The TIFF structure of a PNG's eXIf chunk, or NULL. */
static bytes png_exif(bytes p, size_t n, size_t *len)
{
	size_t i = 8;
	while (i + 12 <= n) {
		size_t clen = rd32(p + i, 0);
		if (clen > n - i - 12)
			return NULL;
		if (memcmp(p + i + 4, "eXIf", 4) == 0) {
			*len = clen;
			return p + i + 8;
		}
		if (memcmp(p + i + 4, "IEND", 4) == 0)
			return NULL;
		i += 12 + clen;
	}
	return NULL;
}

/* The TIFF structure of a WebP's EXIF chunk, or NULL. */
static bytes webp_exif(bytes p, size_t n, size_t *len)
{
	size_t i = 12;
	while (i + 8 <= n) {
		size_t clen = rd32(p + i + 4, 1);
		if (clen > n - i - 8)
			return NULL;
		if (memcmp(p + i, "EXIF", 4) == 0) {
			bytes t = p + i + 8;
			/* some writers keep the JPEG segment's prefix */
			if (clen >= 6 && memcmp(t, "Exif\0\0", 6) == 0) {
				t += 6;
				clen -= 6;
			}
			*len = clen;
			return t;
		}
		i += 8 + clen + (clen & 1);
	}
	return NULL;
}

int ndl_image_orientation(const void *data, size_t len)
{
	bytes p = data, t = NULL;
	size_t n = 0;
	switch (ndl_image_sniff(data, len)) {
	case NDL_IMAGE_JPEG: t = jpeg_exif(p, len, &n); break;
	case NDL_IMAGE_PNG: t = png_exif(p, len, &n); break;
	case NDL_IMAGE_WEBP: t = webp_exif(p, len, &n); break;
	case NDL_IMAGE_TIFF: t = p; n = len; break;
	case NDL_IMAGE_UNKNOWN: break;
	}
	return t ? tiff_orientation(t, n) : 1;
}

/* Walks the markers of the JPEG in p: its scans into *scans; 1 when
 * it reaches the end of image (EOI), 0 when the data stops first. */
static int jpeg_walk(bytes p, size_t len, size_t *scans)
{
	size_t i = 2;
	*scans = 0;
	while (i + 2 <= len) {
		if (p[i] != 0xFF) { /* entropy-coded data */
			i++;
			continue;
		}
		unsigned m = p[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		/* a stuffed zero, restart markers and others without a length */
		if (m == 0x00 || m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7)) {
			i += 2;
			continue;
		}
		if (m == 0xD9)
			return 1;
		if (i + 4 > len)
			break;
		if (m == 0xDA)
			++*scans;
		i += 2 + rd16(p + i + 2, 0);
	}
	return 0;
}

size_t ndl_jpeg_scans(const void *data, size_t len)
{
	size_t scans = 0;
	if (ndl_image_sniff(data, len) == NDL_IMAGE_JPEG)
		jpeg_walk(data, len, &scans);
	return scans;
}

/* PNG's CRC-32 (ISO 3309), four bits at a time from a small table. */
static uint32_t crc32_png(uint32_t crc, bytes p, size_t n)
{
	static const uint32_t nibble[16] = {
		0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190,
		0x6B6B51F4, 0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344,
		0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278,
		0xBDBDF21C};
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ nibble[crc & 15];
		crc = (crc >> 4) ^ nibble[crc & 15];
	}
	return ~crc;
}

/* Each chunk whole, its CRC right, up to IEND. */
static int png_whole(bytes p, size_t len)
{
	size_t i = 8;
	while (i + 12 <= len) {
		uint32_t n = rd32(p + i, 0);
		if (n > len - i - 12)
			return 0;
		if (crc32_png(0, p + i + 4, 4 + (size_t)n) != rd32(p + i + 8 + n, 0))
			return 0;
		if (memcmp(p + i + 4, "IEND", 4) == 0)
			return 1;
		i += 12 + (size_t)n;
	}
	return 0;
}

int ndl_image_whole(const void *data, size_t len)
{
	size_t scans;
	switch (ndl_image_sniff(data, len)) {
	case NDL_IMAGE_PNG: return png_whole(data, len);
	case NDL_IMAGE_JPEG: return jpeg_walk(data, len, &scans);
	default: return 1;
	}
}
