/* Input bytes to the UTF-8 the check reads: UTF-16 with a byte-order
 * mark, and Windows-1252 where it explains the bytes that are not UTF-8
 * (ndl_decode in needlecheck.h). */
#include <stdlib.h>
#include <string.h>

#include "needlecheck.h"
#include "base/text.h"

const char *ndl_encoding_name(ndl_encoding e)
{
	switch (e) {
	case NDL_ENC_CP1252:
		return "Windows-1252";
	case NDL_ENC_UTF16LE:
		return "UTF-16LE";
	case NDL_ENC_UTF16BE:
		return "UTF-16BE";
	default:
		return "UTF-8";
	}
}

/* Windows-1252 bytes 0x80-0x9F as code points (0: not a character);
 * from 0xA0 on they are Latin-1, the code point itself. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static uint32_t cp1252(unsigned char c)
{
	return c < 0x80 ? c : c < 0xA0 ? cp1252_high[c - 0x80] : c;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t ndl_utf16_to_utf8(const unsigned char *in, size_t n, int big_endian,
			 int final, char *out, size_t *used)
{
	size_t i = 0, len = 0;
	while (i + 1 < n) {
		uint32_t u = big_endian ? (uint32_t)in[i] << 8 | in[i + 1]
					: (uint32_t)in[i + 1] << 8 | in[i];
		if (u >= 0xD800 && u < 0xDC00) {
			if (i + 3 >= n && !final)
				break; /* its pair may be in the next read */
			uint32_t v = i + 3 < n ? (big_endian ? (uint32_t)in[i + 2] << 8 | in[i + 3]
						     : (uint32_t)in[i + 3] << 8 | in[i + 2])
					   : 0;
			if (v >= 0xDC00 && v < 0xE000) {
				len += put_utf8(out + len, 0x10000 + ((u - 0xD800) << 10) +
								   (v - 0xDC00));
				i += 4;
				continue;
			}
			u = 0xFFFD;
		} else if (u >= 0xDC00 && u < 0xE000) {
			u = 0xFFFD;
		}
		len += put_utf8(out + len, u);
		i += 2;
	}
	if (final && i < n) { /* an odd byte at the end */
		len += put_utf8(out + len, 0xFFFD);
		i = n;
	}
	*used = i;
	return len;
}

int ndl_decode(const char *in, size_t n, char **out, size_t *out_len,
	       size_t *invalid_at)
{
	const unsigned char *u = (const unsigned char *)in;
	*out = NULL;
	*out_len = n;
	*invalid_at = n;
	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		int be = u[0] == 0xFE;
		char *buf = malloc(n / 2 * 3 + 8);
		if (buf == NULL)
			return -1;
		size_t used;
		*out_len = ndl_utf16_to_utf8(u + 2, n - 2, be, 1, buf, &used);
		buf[*out_len] = '\0';
		*out = buf;
		return be ? NDL_ENC_UTF16BE : NDL_ENC_UTF16LE;
	}
	size_t bad = ndl_utf8_invalid_at(in, n);
	if (bad == n)
		return NDL_ENC_UTF8;
	*invalid_at = bad;
	/* every invalid byte must be a Windows-1252 character */
	for (size_t i = bad; i < n;) {
		uint32_t cp;
		size_t k = u[i] < 0x80 ? 1 : ndl_utf8_decode(in + i, n - i, &cp);
		if (k == 1 && u[i] >= 0x80 && cp1252(u[i]) == 0)
			return NDL_ENC_UTF8;
		i += k;
	}
	char *buf = malloc(n * 3 + 1);
	if (buf == NULL)
		return -1;
	size_t len = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = u[i] < 0x80 ? 1 : ndl_utf8_decode(in + i, n - i, &cp);
		if (k == 1 && u[i] >= 0x80) {
			len += put_utf8(buf + len, cp1252(u[i]));
		} else {
			memcpy(buf + len, in + i, k);
			len += k;
		}
		i += k;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return NDL_ENC_CP1252;
}
