/* UTF-8 decoding and the normalisation of ingredient names. */
#ifndef NDL_TEXT_H
#define NDL_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n > 0 bytes available). Returns the bytes
 * consumed (1..4); invalid or overlong sequences and surrogates consume
 * one byte and give U+FFFD. */
size_t ndl_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Eight bytes of a text at a time: w holds them (memcpy'd). Nonzero
 * when one of them is c; when one of them is below c (c at most 0x80). */
#define NDL_BYTES(c) (0x0101010101010101ULL * (unsigned char)(c))
static inline uint64_t ndl_word_has(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ NDL_BYTES(c);
	return (x - NDL_BYTES(1)) & ~x & NDL_BYTES(0x80);
}
static inline uint64_t ndl_word_below(uint64_t w, unsigned char c)
{
	return (w - NDL_BYTES(c)) & ~w & NDL_BYTES(0x80);
}

/* Is every byte of s ASCII? */
int ndl_is_ascii(const char *s, size_t n);

/* Offset of the first invalid UTF-8 byte, or n when s is valid. */
size_t ndl_utf8_invalid_at(const char *s, size_t n);

/* Must cp not reach a reader as it is? Control characters (C0, DEL,
 * C1: a terminal runs escapes), the line and paragraph separators, and
 * the bidirectional controls (embeddings, overrides, isolates, marks),
 * which make text display in another order than it is stored. */
int ndl_is_unsafe_cp(uint32_t cp);

/* The replacement of one character for a writer: cp is the code point
 * (U+FFFD with invalid set for a byte that is not UTF-8). NULL keeps it. */
typedef const char *(*ndl_replace_fn)(uint32_t cp, int invalid);

/* Appends s to out with the characters that need it replaced by rep:
 * those of special (ASCII), control characters, everything from 0x80
 * (rep sees it decoded); the others are copied in runs. The one loop of
 * the writers' escaping (CSV, HTML, GitHub). */
struct ndl_buf;
void ndl_escape(struct ndl_buf *out, const char *s, size_t n,
		const char *special, ndl_replace_fn rep);

/* Number of characters (code points, invalid bytes counting one each). */
size_t ndl_utf8_count(const char *s, size_t n);

/* Is cp a space to trim and collapse: ASCII blanks, NBSP, the Unicode
 * spaces, zero-width space, BOM. */
int ndl_is_space_cp(uint32_t cp);

/* The normalised form of a name: NFKC-compatible decomposition, case
 * folding and marks stripped (utf8proc), trademark signs dropped, every
 * run of non-alphanumerics one space, "Cl 77491"/"ci77491" → "ci 77491",
 * and words broken by an OCR hyphen ("Penty- lene") joined. Writes at
 * most cap-1 bytes and a NUL to out; returns the length (which may be 0). */
size_t ndl_normalize(const char *s, size_t n, char *out, size_t cap);

/* The matching key: the normalised form without spaces. In place. */
size_t ndl_compact(char *s, size_t n);

#endif
