#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/text.h"
#include "input/csv_scan.h"

/* libcsv's parser states */
enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED };

#define NONE ((size_t)-1)

static int is_blank(unsigned char c, unsigned char delim)
{
	return (c == ' ' || c == '\t') && c != delim;
}

static int is_term(unsigned char c)
{
	return c == '\r' || c == '\n';
}

void ndl_csv_scanner_init(ndl_csv_scanner *sc, unsigned char delim,
			  unsigned long first_line, size_t first_line_start)
{
	memset(sc, 0, sizeof(*sc));
	sc->delim = delim;
	sc->state = ROW_NOT_BEGUN;
	sc->line = first_line;
	sc->line_start = first_line_start;
	sc->pos = first_line_start;
	sc->prev_end = first_line_start;
}

/* Counts a line break at buf[i]: LF, CR LF (one break) or a lone CR, as
 * the "CSV (Macintosh)" of spreadsheets writes. */
static void count_break(ndl_csv_scanner *sc, size_t i, unsigned char c)
{
	if (c == '\r' || (c == '\n' && !sc->after_cr))
		sc->line++;
	if (c == '\r' || c == '\n')
		sc->line_start = i + 1;
	sc->after_cr = c == '\r';
}

/* Counts the line breaks in buf[a, b). */
static void count_lines(ndl_csv_scanner *sc, const char *buf, size_t a, size_t b)
{
	if (a == b)
		return;
	if (!sc->after_cr && memchr(buf + a, '\r', b - a) == NULL) {
		const char *p = buf + a, *end = buf + b;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			sc->line++;
			sc->line_start = (size_t)(++p - buf);
		}
		return;
	}
	for (size_t i = a; i < b; i++)
		count_break(sc, i, (unsigned char)buf[i]);
}

/* Sixteen or eight bytes at a time (the walk spans each row with findings): with
 * no line break among them, the column moves by the bytes that begin a
 * character, all but UTF-8's continuation bytes (10xxxxxx). */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

#ifdef __SSE2__
/* Sixteen bytes with no line break: how many begin a character (the
 * continuation bytes, 0x80-0xBF, are those below -64 as signed bytes);
 * -1 when one of them is a line break. */
static int starts16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i brk = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
				   _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
	if (_mm_movemask_epi8(brk))
		return -1;
	__m128i cont = _mm_and_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)),
				     _mm_set1_epi8(1));
	__m128i sum = _mm_sad_epu8(cont, _mm_setzero_si128());
	return 16 - _mm_cvtsi128_si32(sum) - _mm_extract_epi16(sum, 4);
}
#endif

void ndl_csv_advance(const char *raw, size_t from, size_t to,
		     unsigned long *line, unsigned *col)
{
	const char *p = raw + from, *end = raw + to;
	while (p < end) {
#ifdef __SSE2__
		int k;
		if (end - p >= 16 && (k = starts16(p)) >= 0) {
			*col += (unsigned)k;
			p += 16;
			continue;
		}
#endif
		uint64_t w;
		if (end - p >= 8 && (memcpy(&w, p, 8),
				     !(ndl_word_has(w, '\n') | ndl_word_has(w, '\r')))) {
			uint64_t cont = w & ~(w << 1) & HIGHS;
			*col += 8 - (unsigned)(((cont >> 7) * ONES) >> 56);
			p += 8;
			continue;
		}
		unsigned char c = (unsigned char)*p;
		if (c == '\r' || (c == '\n' && !(p > raw && p[-1] == '\r'))) {
			(*line)++;
			*col = 1;
		} else if (c != '\n' && (c & 0xC0) != 0x80) {
			(*col)++;
		}
		p++;
	}
}

void ndl_csv_scan(ndl_csv_scanner *sc, const char *buf, size_t n,
		  int (*row)(void *ctx, const ndl_csv_rowref *r), void *ctx)
{
	const unsigned char delim = sc->delim;
	size_t i = sc->pos;
	while (i < n) {
		if (sc->state == FIELD_BEGUN && sc->quoted) {
			/* inside quotes only a quote matters: jump to it */
			const char *q = memchr(buf + i, '"', n - i);
			size_t stop = q ? (size_t)(q - buf) : n;
			count_lines(sc, buf, i, stop);
			i = stop;
			if (i == n)
				break;
			sc->after_cr = 0;
			sc->state = FIELD_MIGHT_HAVE_ENDED;
			sc->spaces = 0;
			i++;
			continue;
		}
		unsigned char c = (unsigned char)buf[i];
		count_break(sc, i, c);
		int end_row = 0;
		switch (sc->state) {
		case ROW_NOT_BEGUN:
		case FIELD_NOT_BEGUN:
			if (is_blank(c, delim))
				break;
			if (is_term(c)) {
				end_row = sc->state == FIELD_NOT_BEGUN;
				if (!end_row)
					sc->prev_end = i + 1; /* a blank line */
				break;
			}
			if (sc->state == ROW_NOT_BEGUN) {
				/* the row starts on this line, but not before the
				 * end of the previous row */
				sc->row_start = sc->line_start > sc->prev_end
							? sc->line_start
							: sc->prev_end;
				sc->row_line = sc->line;
			}
			if (c == delim) {
				sc->state = FIELD_NOT_BEGUN;
			} else {
				sc->state = FIELD_BEGUN;
				sc->quoted = c == '"';
			}
			sc->spaces = 0;
			break;
		case FIELD_BEGUN: /* unquoted */
			if (c == delim)
				sc->state = FIELD_NOT_BEGUN;
			else if (is_term(c))
				end_row = 1;
			break;
		case FIELD_MIGHT_HAVE_ENDED:
			if (c == delim) {
				sc->state = FIELD_NOT_BEGUN;
				sc->quoted = 0;
			} else if (is_term(c)) {
				end_row = 1;
			} else if (c == ' ' || c == '\t') {
				sc->spaces = 1;
			} else if (c == '"') {
				if (sc->spaces)
					sc->spaces = 0; /* a stray quote, kept */
				else
					sc->state = FIELD_BEGUN; /* "" */
			} else {
				sc->state = FIELD_BEGUN;
				sc->spaces = 0;
			}
			break;
		}
		i++;
		if (end_row) {
			ndl_csv_rowref r = {sc->row_start, i, sc->row_line, 0};
			sc->state = ROW_NOT_BEGUN;
			sc->quoted = sc->spaces = 0;
			sc->prev_end = i;
			if (row(ctx, &r)) {
				sc->pos = i;
				return;
			}
		}
	}
	sc->pos = i;
}

int ndl_csv_scan_in_row(const ndl_csv_scanner *sc)
{
	return sc->state != ROW_NOT_BEGUN;
}

int ndl_csv_scan_finish(ndl_csv_scanner *sc, size_t n, ndl_csv_rowref *r)
{
	if (sc->state == ROW_NOT_BEGUN)
		return 0;
	r->start = sc->row_start;
	r->end = n;
	r->line = sc->row_line;
	r->unterminated = sc->state == FIELD_BEGUN && sc->quoted;
	sc->state = ROW_NOT_BEGUN;
	sc->prev_end = n;
	return 1;
}

void ndl_csv_scanner_rebase(ndl_csv_scanner *sc, size_t shift)
{
	sc->line_start = sc->line_start > shift ? sc->line_start - shift : 0;
	sc->row_start = sc->row_start > shift ? sc->row_start - shift : 0;
	sc->prev_end = sc->prev_end > shift ? sc->prev_end - shift : 0;
	sc->pos -= shift;
}

/* ------------------------------------------------------- within a row */

/* Walks one row as libcsv decodes it. Each decoded character of cell
 * `cell` is visited in order; the walk stops at decoded index `offset`
 * (returning its raw position) or at the end of the cell (returning the
 * delimiter's position, or n). span, if not NULL, gets the raw extent of
 * the cell. */
static size_t walk(const char *row, size_t n, unsigned char delim, size_t cell,
		   size_t offset, size_t span[2])
{
	int state = ROW_NOT_BEGUN, quoted = 0, spaces = 0;
	size_t field = 0, d = 0, first = NONE, last = NONE;
#define SUBMIT(pos)                                        \
	do {                                               \
		if (field == cell) {                       \
			if (d++ == offset && span == NULL) \
				return (pos);              \
			last = (pos);                      \
		}                                          \
	} while (0)
#define END_FIELD(pos)                                                   \
	do {                                                             \
		if (field == cell) {                                     \
			if (span) {                                      \
				span[0] = first == NONE ? (pos) : first; \
				span[1] = last == NONE ? span[0] : last + 1; \
			}                                                \
			return (pos);                                    \
		}                                                        \
		field++;                                                 \
		d = 0;                                                   \
		quoted = spaces = 0;                                     \
		state = FIELD_NOT_BEGUN;                                 \
	} while (0)
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)row[i];
		switch (state) {
		case ROW_NOT_BEGUN:
		case FIELD_NOT_BEGUN:
			if (is_blank(c, delim))
				continue;
			if (is_term(c)) {
				if (state == FIELD_NOT_BEGUN)
					END_FIELD(i);
				continue;
			}
			if (field == cell)
				first = i;
			if (c == delim) {
				END_FIELD(i);
			} else if (c == '"') {
				state = FIELD_BEGUN;
				quoted = 1;
				if (field == cell)
					last = i;
			} else {
				state = FIELD_BEGUN;
				quoted = 0;
				SUBMIT(i);
			}
			break;
		case FIELD_BEGUN:
			if (c == '"') {
				SUBMIT(i);
				if (quoted)
					state = FIELD_MIGHT_HAVE_ENDED;
				else
					spaces = 0;
			} else if (c == delim && !quoted) {
				END_FIELD(i);
			} else if (is_term(c) && !quoted) {
				END_FIELD(i);
			} else if (!quoted && (c == ' ' || c == '\t')) {
				SUBMIT(i);
				spaces++;
			} else {
				SUBMIT(i);
				spaces = 0;
			}
			break;
		case FIELD_MIGHT_HAVE_ENDED:
			if (c == delim || is_term(c)) {
				END_FIELD(i);
			} else if (c == ' ' || c == '\t') {
				SUBMIT(i);
				spaces++;
			} else if (c == '"') {
				if (spaces) {
					spaces = 0;
					SUBMIT(i);
				} else {
					state = FIELD_BEGUN;
				}
			} else {
				state = FIELD_BEGUN;
				spaces = 0;
				SUBMIT(i);
			}
			break;
		}
	}
	if (field == cell) {
		if (span) {
			span[0] = first == NONE ? n : first;
			span[1] = last == NONE ? span[0] : last + 1;
		}
		return n;
	}
	return NONE;
#undef SUBMIT
#undef END_FIELD
}

size_t ndl_csv_raw_offset(const char *row, size_t n, unsigned char delim,
			  size_t cell, size_t offset)
{
	return walk(row, n, delim, cell, offset, NULL);
}

/* The end of the quoted cell opening at row[i] (just after its closing
 * quote), when it is well formed: the closing quote is followed by the
 * delimiter, a line end or the end of the row. NONE otherwise. */
static size_t quoted_end(const char *row, size_t n, unsigned char delim, size_t i)
{
	for (size_t j = i + 1; j < n;) {
		const char *q = memchr(row + j, '"', n - j);
		if (q == NULL)
			return NONE;
		j = (size_t)(q - row) + 1;
		if (j < n && row[j] == '"') {
			j++; /* "" */
			continue;
		}
		return j == n || row[j] == delim || is_term((unsigned char)row[j]) ? j : NONE;
	}
	return NONE;
}

/* Where the cell starting at row[i] (blanks skipped) ends: at its
 * delimiter, line end or the row's end; NONE when it opens a quote that
 * is not well formed, which only libcsv's states can tell. */
static size_t cell_end(const char *row, size_t n, unsigned char delim, size_t i)
{
	if (i < n && row[i] == '"')
		return quoted_end(row, n, delim, i);
	size_t end = i;
	uint64_t w;
	while (end + 8 <= n && (memcpy(&w, row + end, 8),
				!(ndl_word_has(w, delim) | ndl_word_has(w, '\n') | ndl_word_has(w, '\r'))))
		end += 8;
	while (end < n && row[end] != delim && !is_term((unsigned char)row[end]))
		end++;
	return end;
}

/* The span of cell `cell` of a well-formed row, found with memchr: the
 * common case, about ten times cheaper than walking libcsv's states.
 * Returns 0, -1 when the row has no such cell, -2 when unsure. */
static int fast_span(const char *row, size_t n, unsigned char delim, size_t cell,
		     size_t *a, size_t *b)
{
	size_t i = 0;
	for (size_t field = 0;; field++) {
		while (i < n && is_blank((unsigned char)row[i], delim))
			i++;
		size_t end = cell_end(row, n, delim, i);
		if (end == NONE)
			return -2;
		if (field == cell) {
			*a = i;
			*b = end;
			return 0;
		}
		if (end >= n || row[end] != delim)
			return -1;
		i = end + 1;
	}
}

/* A fast span without the blanks before its end (not a quoted cell's). */
static void trim_end(const char *row, unsigned char delim, size_t a, size_t *b)
{
	while (*b > a && is_blank((unsigned char)row[*b - 1], delim) && row[a] != '"')
		(*b)--;
}

int ndl_csv_cell_span(const char *row, size_t n, unsigned char delim,
		      size_t cell, size_t *a, size_t *b)
{
	int fast = fast_span(row, n, delim, cell, a, b);
	if (fast == 0) {
		trim_end(row, delim, *a, b);
		return 0;
	}
	if (fast == -1)
		return -1;
	size_t span[2];
	if (walk(row, n, delim, cell, 0, span) == NONE)
		return -1;
	while (span[1] > span[0] && (row[span[1] - 1] == ' ' || row[span[1] - 1] == '\t') &&
	       row[span[0]] != '"')
		span[1]--;
	while (span[1] > span[0] && row[span[0]] == '"' && row[span[1] - 1] != '"' &&
	       (row[span[1] - 1] == ' ' || row[span[1] - 1] == '\t'))
		span[1]--;
	*a = span[0];
	*b = span[1];
	return 0;
}

size_t ndl_csv_row_spans(const char *row, size_t n, unsigned char delim,
			 size_t (*span)[2], size_t max)
{
	size_t k = 0, i = 0;
	while (k < max) {
		while (i < n && is_blank((unsigned char)row[i], delim))
			i++;
		size_t end = cell_end(row, n, delim, i);
		if (end == NONE)
			break; /* this cell and the rest, as ndl_csv_cell_span walks them */
		span[k][0] = i;
		span[k][1] = end;
		trim_end(row, delim, i, &span[k][1]);
		k++;
		if (end >= n || row[end] != delim)
			return k;
		i = end + 1;
	}
	while (k < max && ndl_csv_cell_span(row, n, delim, k, &span[k][0], &span[k][1]) == 0)
		k++;
	return k;
}

int ndl_csv_split(const char *row, size_t n, unsigned char delim,
		  ndl_csv_cell_fn cell, void *ctx)
{
	/* the whole row is looked over before a cell is given; the first
	 * cells' extents are kept for it */
	size_t kept[64][2];
	size_t i = 0, ncells = 0;
	while (i < n && is_blank((unsigned char)row[i], delim))
		i++;
	if (i == n || is_term((unsigned char)row[i]))
		return -1; /* a blank line, or one before the row */
	for (;;) {
		while (i < n && is_blank((unsigned char)row[i], delim))
			i++;
		size_t end = cell_end(row, n, delim, i);
		if (end == NONE)
			return -1;
		if (ncells < 64) {
			kept[ncells][0] = i;
			kept[ncells][1] = end;
		}
		ncells++;
		if (end < n && row[end] == delim) {
			i = end + 1;
			continue;
		}
		for (; end < n; end++)
			if (!is_term((unsigned char)row[end]))
				return -1; /* another row: libcsv's states */
		break;
	}
	i = 0;
	for (size_t k = 0; k < ncells; k++) {
		size_t end;
		if (k < 64) {
			i = kept[k][0];
			end = kept[k][1];
		} else {
			while (i < n && is_blank((unsigned char)row[i], delim))
				i++;
			end = cell_end(row, n, delim, i);
		}
		if (i < n && row[i] == '"') {
			cell(ctx, row + i + 1, end - i - 2, 1);
		} else {
			size_t b = end;
			trim_end(row, delim, i, &b);
			cell(ctx, row + i, b - i, 0);
		}
		i = end + 1;
	}
	return 0;
}
