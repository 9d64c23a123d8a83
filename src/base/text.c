#include <string.h>
#include <utf8proc.h>

#include "needlecheck.h"
#include "base/text.h"

size_t ndl_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (n < len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (u[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return len;
}

int ndl_is_ascii(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w, any = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		any |= w;
	}
	for (; i < n; i++)
		any |= (unsigned char)s[i];
	return (any & 0x8080808080808080ULL) == 0;
}

size_t ndl_utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* eight ASCII bytes at a time: labels are mostly ASCII */
		uint64_t w;
		while (i + 8 <= n && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ULL) == 0))
			i += 8;
		if (i >= n)
			break;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = ndl_utf8_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && k == 1)
			return i;
		i += k;
	}
	return n;
}

int ndl_is_unsafe_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x061C ||
	       cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Is c one of the few bytes of special? (strchr's set-up costs more
 * than the loop.) */
static int special_byte(const char *special, unsigned char c)
{
	for (; *special; special++)
		if ((unsigned char)*special == c)
			return 1;
	return 0;
}

/* Are the eight bytes at s printable ASCII, none of special? */
static int plain_word(const char *s, const char *special)
{
	uint64_t w;
	memcpy(&w, s, 8);
	uint64_t bad = ndl_word_below(w, 0x20) | (w & NDL_BYTES(0x80)) |
		       ndl_word_has(w, 0x7F);
	for (; *special; special++)
		bad |= ndl_word_has(w, (unsigned char)*special);
	return bad == 0;
}

void ndl_escape(ndl_buf *out, const char *s, size_t n, const char *special,
		ndl_replace_fn rep)
{
	size_t i = 0, run = 0;
	while (i < n) {
		/* eight plain bytes at a time, then the next eight one by one */
		while (i + 8 <= n && plain_word(s + i, special))
			i += 8;
		size_t stop = i + 8 < n ? i + 8 : n;
		while (i < stop) {
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x20 && c < 0x7F && !special_byte(special, c)) {
				i++;
				continue;
			}
			uint32_t cp = c;
			size_t k = c < 0x80 ? 1 : ndl_utf8_decode(s + i, n - i, &cp);
			const char *r = rep(cp, cp == 0xFFFD && k == 1);
			if (r) {
				ndl_buf_append(out, s + run, i - run);
				ndl_buf_puts(out, r);
				run = i + k;
			}
			i += k;
		}
	}
	ndl_buf_append(out, s + run, n - run);
}

size_t ndl_utf8_count(const char *s, size_t n)
{
	size_t count = 0, i = 0;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
		} else {
			uint32_t cp;
			i += ndl_utf8_decode(s + i, n - i, &cp);
		}
		count++;
	}
	return count;
}

int ndl_is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == '\v' || cp == '\f' || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static int is_ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* An ASCII byte as a key keeps it: letters in lower case, digits; 0 for
 * the others (separators). */
#define L3(c) c, c + 1, c + 2
#define L10(c) L3(c), L3(c + 3), L3(c + 6), c + 9
#define L26(c) L10(c), L10(c + 10), L3(c + 20), L3(c + 23)
static const char ascii_key[128] = {
	['0'] = L10('0'),
	['A'] = L26('a'),
	['a'] = L26('a'),
};

static int is_ascii_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/* Appends a code point as UTF-8 if it fits (keeping room for the NUL). */
static size_t put_cp(char *out, size_t len, size_t cap, uint32_t cp)
{
	unsigned char b[4];
	size_t k = (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, b);
	if (k == 0 || len + k >= cap)
		return len;
	memcpy(out + len, b, k);
	return len + k;
}

/* Is the run of spaces after an OCR line-break hyphen at s[i] ("Penty-
 * lene") followed by a lower-case letter, with a letter before it? */
static size_t ocr_hyphen_skip(const char *s, size_t n, size_t i)
{
	if (i == 0 || !is_ascii_alnum((unsigned char)s[i - 1]) ||
	    (s[i - 1] >= '0' && s[i - 1] <= '9'))
		return 0;
	size_t j = i + 1;
	while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' ||
			 s[j] == '\t'))
		j++;
	if (j == i + 1 || j >= n || !is_ascii_lower((unsigned char)s[j]))
		return 0;
	return j - i;
}

/* "cl 77491", "c1 77491", "ci77491" → "ci 77491", on the normalised text,
 * whole words only. The text may grow by one byte per number. */
static size_t fix_colour_index(char *s, size_t n, size_t cap)
{
	/* from one 'c' to the next: a name has few */
	for (const char *c = memchr(s, 'c', n); c != NULL;
	     c = memchr(c + 1, 'c', n - (size_t)(c + 1 - s))) {
		size_t r = (size_t)(c - s);
		if (r + 1 >= n)
			break;
		if ((r > 0 && s[r - 1] != ' ') ||
		    (s[r + 1] != 'i' && s[r + 1] != 'l' && s[r + 1] != '1'))
			continue;
		size_t d = r + 2;
		int spaced = d < n && s[d] == ' ';
		d += (size_t)spaced;
		size_t k = 0;
		while (d + k < n && s[d + k] >= '0' && s[d + k] <= '9')
			k++;
		if (k != 5 || (d + k < n && s[d + k] != ' '))
			continue;
		s[r + 1] = 'i';
		if (!spaced && n + 1 < cap) {
			memmove(s + r + 3, s + r + 2, n - (r + 2));
			s[r + 2] = ' ';
			n++;
		}
	}
	s[n] = '\0';
	return n;
}

size_t ndl_normalize(const char *s, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	int space = 1; /* at start: a separator would be a leading space */
	if (cap == 0)
		return 0;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			char lower = ascii_key[c];
			if (lower) {
				if (len + 1 < cap)
					out[len++] = lower;
				space = 0;
				i++;
				continue;
			}
			if (c == '-') {
				size_t skip = ocr_hyphen_skip(s, n, i);
				if (skip) {
					i += skip;
					continue;
				}
			}
			if (!space) {
				if (len + 1 < cap)
					out[len++] = ' ';
				space = 1;
			}
			i++;
			continue;
		}
		uint32_t cp;
		i += ndl_utf8_decode(s + i, n - i, &cp);
		if (cp == 0x2122 || cp == 0xAE || cp == 0xA9 || cp == 0x2120)
			continue; /* ™ ® © ℠ are marks, not part of the name */
		utf8proc_int32_t dec[32];
		int last = 0;
		utf8proc_ssize_t k = utf8proc_decompose_char(
			(utf8proc_int32_t)cp, dec, 32,
			UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
				UTF8PROC_STRIPMARK,
			&last);
		if (k < 0 || k > 32)
			k = 0;
		for (utf8proc_ssize_t j = 0; j < k; j++) {
			utf8proc_category_t cat = utf8proc_category(dec[j]);
			int alnum = (cat >= UTF8PROC_CATEGORY_LU &&
				     cat <= UTF8PROC_CATEGORY_LO) ||
				    (cat >= UTF8PROC_CATEGORY_ND &&
				     cat <= UTF8PROC_CATEGORY_NO);
			if (alnum && dec[j] < 0x80) {
				unsigned char a = (unsigned char)dec[j];
				if (len + 1 < cap)
					out[len++] = (char)(a >= 'A' && a <= 'Z'
								    ? a + 32
								    : a);
				space = 0;
			} else if (alnum) {
				len = put_cp(out, len, cap, (uint32_t)dec[j]);
				space = 0;
			} else if (!space) {
				if (len + 1 < cap)
					out[len++] = ' ';
				space = 1;
			}
		}
	}
	if (len > 0 && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
	return fix_colour_index(out, len, cap);
}

size_t ndl_compact(char *s, size_t n)
{
	size_t w = 0;
	for (size_t r = 0; r < n; r++)
		if (s[r] != ' ')
			s[w++] = s[r];
	s[w] = '\0';
	return w;
}
