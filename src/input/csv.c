/* Reader for CSV inventories, pulled by its caller.
 *
 * The input is read in blocks of whole rows, found by the quote-aware
 * scan (csv_scan.c), and numbered; a row of a block is parsed with
 * libcsv when it is asked for, in the asking thread's scratch. The
 * reader starts no thread: a caller with threads takes blocks
 * (ndl_csv_next_block) and parses their rows on its threads, and keeps
 * the bytes it holds in flight bounded (see the program's pool). */
#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/csv_scan.h"
#include "needlecheck_input.h"
#include "base/text.h"
#include "base/util.h"
#include "knowledge/lexicon.h"

/* Memory: a block holds about block_bytes of whole rows (256 KB unless
 * the caller says), plus one row when a single row is larger. A row
 * longer than MAX_ROW_BYTES is not kept at all, and an ingredients cell
 * longer than MAX_CELL_BYTES (what the tokenizer would work on) is not
 * decoded: such a row is a record that could not be read, and the
 * reading goes on. */
#define BLOCK_BYTES ((size_t)256 << 10)
#define READ_BYTES ((size_t)256 << 10)
#define MAX_ROW_BYTES ((size_t)NDL_CSV_MAX_ROW_MB << 20)
#define MAX_CELL_BYTES ((size_t)NDL_CSV_MAX_CELL_MB << 20)
#define TRIM_BYTES ((size_t)1 << 20) /* scratch beyond this is given back
					after the row that needed it */
#define NONE ((size_t)-1)
#define NDL_STR_(x) #x
#define NDL_STR(x) NDL_STR_(x)

struct ndl_csv_block {
	char *data;
	size_t len, cap;
	uint64_t offset; /* input offset of data[0] */
	ndl_csv_rowref *rows;
	size_t nrows, cap_rows;
	unsigned long first_row; /* number of rows[0] */
	size_t skipped_row; /* the row too long to keep (its bytes are not
			       in data), or NONE; it ends the block */
	struct ndl_csv_block *next; /* in the free list */
};
typedef struct ndl_csv_block block;

/* A thread's room to parse a row in. */
struct ndl_csv_scratch {
	struct csv_parser parser;
	char *cellbuf; /* the row's cells, back to back */
	size_t cellbuf_len, cellbuf_cap;
	size_t *cell_off, *cell_len;
	const char **cell_ptr;
	size_t ncells, cap_cells;
	int row_done;
	char *decoded;   /* the row read as Windows-1252, or NULL */
	ndl_buf warn;    /* the row's warnings */
	char why[160];   /* its error, when made up */
	/* the split row (ndl_csv_split) and where its ingredients cell's
	 * text starts, found as it was split (want_found) */
	const char *split_row;
	size_t want, want_start;
	int want_found, want_direct;
	struct locator {
		const char *raw;
		size_t n;
		unsigned char delim;
		size_t cell;
		unsigned long line;
		int direct;        /* -1 unknown; 1: decoded offset + start = raw */
		size_t start;
		size_t at;         /* cursor: raw offset, with its line and column */
		unsigned long at_line;
		unsigned at_col;
	} loc; /* finding positions inside the ingredients cell */
};
typedef struct ndl_csv_scratch scratch;

struct ndl_csv_reader {
	const ndl_lexicon *lex; /* its column names */
	ndl_csv_options opts;
	const ndl_csv_options *opt; /* &opts */
	const char *source;
	ndl_buf shown_source; /* source for the warnings: one line, no escape */
	ndl_error *err;       /* the current call's */
	int fd;
	uint64_t total; /* input size, 0 if unknown */
	ndl_csv_header hdr;
	char **header_cells;
	size_t nheader_cells;
	unsigned char delim;

	ndl_csv_scanner sc;
	ndl_encoding encoding; /* of the whole input: UTF-8, or UTF-16 with a
				  byte-order mark, converted as it is read */
	unsigned char u16[4];  /* the end of the last read, cut mid-character */
	size_t nu16;
	int started;           /* the first bytes were read */
	block *cur;    /* block being filled */
	block *free;   /* recycled blocks */
	size_t block_bytes, read_bytes;
	int eof;
	int skipping;     /* the row being read is too long: dropped */
	uint64_t dropped; /* its bytes dropped so far */
	unsigned long next_row;
	int failed;    /* err is filled */

	block *pulled;     /* ndl_csv_next's block, and its next row */
	size_t pulled_at;
	scratch *own;      /* ndl_csv_next's scratch */
};
typedef struct ndl_csv_reader reader;

/* ------------------------------------------------------------- blocks */

static block *block_get(reader *r)
{
	block *b = r->free;
	if (b != NULL) {
		r->free = b->next;
	} else {
		b = calloc(1, sizeof(*b));
		if (b == NULL)
			return NULL;
	}
	b->len = b->nrows = 0;
	b->skipped_row = NONE;
	return b;
}

/* Back to the free list; what a long row made it grow to is given back. */
static void block_put(reader *r, block *b)
{
	size_t usual = 4 * (r->read_bytes + r->block_bytes);
	if (b->cap > usual) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
	b->next = r->free;
	r->free = b;
}

static void block_free(block *b)
{
	free(b->data);
	free(b->rows);
	free(b);
}


/* A row the scan found, into the current block; the end of a row too
 * long to keep ends the scan (and the block). */
static int add_row(void *ctx, const ndl_csv_rowref *ref)
{
	reader *r = ctx;
	block *b = r->cur;
	if (NDL_GROW(b->rows, b->cap_rows, b->nrows + 1)) {
		r->failed = 1;
		ndl_fail(r->err, r->source, 0, 0, "out of memory");
		return -1;
	}
	if (r->skipping || ref->end - ref->start > MAX_ROW_BYTES) {
		r->skipping = 0;
		b->skipped_row = b->nrows;
	}
	b->rows[b->nrows++] = *ref;
	return b->skipped_row != NONE;
}

/* Appends the UTF-8 of n bytes of UTF-16 (after what the last read left
 * cut short) to b, which has room for them. */
static int convert_utf16(reader *r, block *b, const unsigned char *in, size_t n)
{
	int be = r->encoding == NDL_ENC_UTF16BE;
	size_t used;
	if (r->nu16) {
		/* the cut character first: with the bytes that complete it */
		unsigned char joint[8];
		size_t take = n < 4 ? n : 4;
		memcpy(joint, r->u16, r->nu16);
		memcpy(joint + r->nu16, in, take);
		size_t jl = r->nu16 + take;
		b->len += ndl_utf16_to_utf8(joint, jl, be, r->eof,
					    b->data + b->len, &used);
		if (used < r->nu16) {
			/* still cut short: then all of in was taken (fewer
			 * than 4 bytes), and what is left of the joint, at
			 * most 3 bytes, is kept */
			r->nu16 = jl - used;
			memmove(r->u16, joint + used, r->nu16);
			return 0;
		}
		in += used - r->nu16;
		n -= used - r->nu16;
		r->nu16 = 0;
	}
	b->len += ndl_utf16_to_utf8(in, n, be, r->eof, b->data + b->len, &used);
	r->nu16 = n - used;
	memcpy(r->u16, in + used, r->nu16);
	return 0;
}

/* Reads up to read_bytes into the room left in the block, made at
 * least a quarter of that (a small input is read without growing). */
static int read_more(reader *r, block *b)
{
	size_t want = r->read_bytes;
	if (b->cap - b->len < want / 4 + 1) {
		size_t cap = b->cap ? b->cap : want;
		while (cap - b->len < want)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (d == NULL)
			return ndl_fail(r->err, r->source, 0, 0, "out of memory");
		b->data = d;
		b->cap = cap;
	}
	int utf16 = r->encoding == NDL_ENC_UTF16LE || r->encoding == NDL_ENC_UTF16BE;
	/* UTF-16 is read a third of the room at a time: it grows to at most
	 * three bytes of UTF-8 per two */
	char *to = utf16 ? b->data + b->len + (b->cap - b->len) / 3 * 2 : b->data + b->len;
	size_t room = utf16 ? (b->cap - b->len) / 3 - 4 : b->cap - b->len;
	if (room > want)
		room = want;
	for (;;) {
		ssize_t k = read(r->fd, to, room);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return ndl_fail(r->err, r->source, 0, 0, "read error: %s",
					errno == EISDIR ? "is a directory"
							: strerror(errno));
		if (k == 0)
			r->eof = 1;
		if (!r->started && k >= 2 &&
		    (((unsigned char)to[0] == 0xFF && (unsigned char)to[1] == 0xFE) ||
		     ((unsigned char)to[0] == 0xFE && (unsigned char)to[1] == 0xFF))) {
			/* UTF-16 with a byte-order mark: from now on converted */
			r->encoding = (unsigned char)to[0] == 0xFE ? NDL_ENC_UTF16BE
								   : NDL_ENC_UTF16LE;
			r->total = 0; /* progress counts UTF-8 bytes */
			r->started = 1;
			r->nu16 = 0;
			size_t rest = (size_t)k - 2;
			char *tmp = malloc(rest + 1);
			char *d = tmp ? realloc(b->data, b->cap + rest / 2 + 8) : NULL;
			if (d == NULL) {
				free(tmp);
				return ndl_fail(r->err, r->source, 0, 0, "out of memory");
			}
			memcpy(tmp, d + (to - b->data) + 2, rest);
			b->data = d;
			b->cap += rest / 2 + 8;
			b->len = 0;
			int rc = convert_utf16(r, b, (unsigned char *)tmp, rest);
			free(tmp);
			return rc;
		}
		r->started = 1;
		if (utf16)
			return convert_utf16(r, b, (unsigned char *)to, (size_t)k);
		b->len += (size_t)k;
		return 0;
	}
}

/* A row too long to keep: what has been scanned of it is dropped, but
 * its first byte. It is the block's only row, and starts at 0. */
static void drop_scanned(reader *r, block *b)
{
	if (!r->skipping) {
		/* what comes before the row (blank lines) goes with the rest */
		int in_row = ndl_csv_scan_in_row(&r->sc);
		size_t start = in_row ? r->sc.row_start : b->len;
		b->offset += start;
		memmove(b->data, b->data + start, b->len - start);
		b->len -= start;
		ndl_csv_scanner_rebase(&r->sc, start);
		r->skipping = in_row;
		if (!in_row)
			return; /* only blank lines: no row yet */
	}
	r->dropped += b->len - 1;
	b->len = 1;
	r->sc.pos = 1;
	if (r->sc.line_start > 1)
		r->sc.line_start = 1;
	if (b->cap > 2 * r->read_bytes) {
		/* nor the room its first bytes took */
		char *d = realloc(b->data, 2 * r->read_bytes);
		if (d) {
			b->data = d;
			b->cap = 2 * r->read_bytes;
		}
	}
}

/* Reads until the current block holds at least block_bytes of whole
 * rows (or the input ends), then returns it, numbered; what follows its
 * last row moves to a new current block. NULL at the end or on error. */
static block *next_block(reader *r)
{
	block *b = r->cur;
	for (;;) {
		ndl_csv_scan(&r->sc, b->data, b->len, add_row, r);
		if (r->failed)
			return NULL;
		size_t whole = b->nrows ? b->rows[b->nrows - 1].end : 0;
		if (whole >= r->block_bytes || r->eof || b->skipped_row != NONE)
			break;
		if (r->skipping || b->len - whole > MAX_ROW_BYTES) {
			if (b->nrows > 0)
				break; /* the rows before it go first */
			drop_scanned(r, b);
		}
		if (read_more(r, b) != 0) {
			r->failed = 1;
			return NULL;
		}
	}
	if (r->eof && b->skipped_row == NONE) {
		ndl_csv_rowref last;
		if (ndl_csv_scan_finish(&r->sc, b->len, &last) && add_row(r, &last) < 0)
			return NULL;
	}
	if (b->nrows == 0 && r->eof)
		return NULL;
	size_t cut = b->nrows ? b->rows[b->nrows - 1].end : 0;
	block *nb = block_get(r);
	if (nb == NULL || (b->len > cut && NDL_GROW(nb->data, nb->cap, b->len - cut))) {
		r->failed = 1;
		ndl_fail(r->err, r->source, 0, 0, "out of memory");
		return NULL;
	}
	if (b->len > cut)
		memcpy(nb->data, b->data + cut, b->len - cut);
	nb->len = b->len - cut;
	nb->offset = b->offset + cut;
	if (b->skipped_row != NONE) {
		nb->offset += r->dropped;
		r->dropped = 0;
	}
	ndl_csv_scanner_rebase(&r->sc, cut);
	b->len = cut;
	b->first_row = r->next_row;
	r->next_row += b->nrows;
	r->cur = nb;
	return b;
}

/* ------------------------------------------------------- the header */

/* The delimiter of the first record: the most frequent of , ; and tab
 * outside quotes (a comma when none). 0 while the record is not all in
 * s[0, n) and more may come: a quoted header cell can hold a line break,
 * and a pipe can deliver the bytes in pieces, which must not change the
 * answer. */
static unsigned char sniff_delimiter(const char *s, size_t n, int eof)
{
	size_t count[3] = {0, 0, 0};
	int quoted = 0;
	size_t i = 0;
	for (; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			count[0] += s[i] == ',', count[1] += s[i] == ';',
				count[2] += s[i] == '\t';
	}
	if (i == n && !eof)
		return 0;
	if (count[1] > count[0] && count[1] >= count[2])
		return ';';
	if (count[2] > count[0] && count[2] > count[1])
		return '\t';
	return ',';
}

static int stop_at_first(void *ctx, const ndl_csv_rowref *ref)
{
	*(ndl_csv_rowref *)ctx = *ref;
	return 1;
}

typedef struct cells {
	char **v;
	size_t n, cap;
	int failed;
} cells;

static void collect_cell(void *data, size_t n, void *ctx)
{
	cells *c = ctx;
	char *s = malloc(n + 1);
	if (s == NULL || NDL_GROW(c->v, c->cap, c->n + 1)) {
		free(s);
		c->failed = 1;
		return;
	}
	if (n)
		memcpy(s, data, n);
	s[n] = '\0';
	c->v[c->n++] = s;
}

/* Does a header cell name one of the wanted columns? Compared normalised:
 * "Product_Name", "product name" and "PRODUCT-NAME" are one name. */
static int header_is(const char *cell, const char *const *names)
{
	char norm[128];
	ndl_normalize(cell, strlen(cell), norm, sizeof(norm));
	for (size_t i = 0; names[i]; i++)
		if (strcmp(norm, names[i]) == 0)
			return 1;
	return 0;
}

/* The header, for messages: "a, b, c" (cut when long). */
static void header_list(const ndl_csv_header *h, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < h->ncolumns && n + 4 < cap; i++) {
		int k = snprintf(out + n, cap - n, "%s%s", i ? ", " : "", h->names[i]);
		if (k < 0 || (size_t)k >= cap - n) {
			snprintf(out + cap - 5, 5, "...");
			return;
		}
		n += (size_t)k;
	}
}

int ndl_csv_column(const ndl_csv_header *h, const char *spec,
		   const char *option, const char *source, size_t *col,
		   ndl_error *err)
{
	char *end;
	unsigned long v = strtoul(spec, &end, 10);
	if (*spec >= '0' && *spec <= '9' && *end == '\0') {
		if (v < 1 || v > h->ncolumns)
			return ndl_fail(err, source, 1, 0,
					"--%s %s: the file has %zu columns", option,
					spec, h->ncolumns);
		*col = v - 1;
		return 0;
	}
	for (size_t i = 0; i < h->ncolumns; i++)
		if (strcasecmp(h->names[i], spec) == 0) {
			*col = i;
			return 0;
		}
	char list[400];
	header_list(h, list, sizeof(list));
	return ndl_fail(err, source, 1, 0,
			"--%s: no column named '%s' (the header: %s)", option, spec,
			list);
}

size_t ndl_csv_find_header(const ndl_csv_header *h, const char *const *names)
{
	for (size_t i = 0; i < h->ncolumns; i++)
		if (header_is(h->names[i], names))
			return i;
	return NDL_NO_COLUMN;
}

/* The ingredients column when no exact name matched: a header with a
 * word that names it ("clean_ingreds"; columns.txt). */
static size_t guess_ingredients(const ndl_lexicon *lex, const ndl_csv_header *h)
{
	for (size_t i = 0; i < h->ncolumns; i++)
		if (ndl_names_ingredients_loosely(lex, h->names[i]))
			return i;
	return NDL_NO_COLUMN;
}

/* The cells of one raw row, as spans without their quotes and blanks;
 * how many (at most max). */
static size_t row_cells(const char *row, size_t n, unsigned char delim,
			size_t (*span)[2], size_t max)
{
	size_t k = ndl_csv_row_spans(row, n, delim, span, max);
	for (size_t i = 0; i < k; i++) {
		size_t a = span[i][0], b = span[i][1];
		while (a < b && (row[a] == ' ' || row[a] == '"'))
			a++;
		while (b > a && (row[b - 1] == ' ' || row[b - 1] == '"'))
			b--;
		span[i][0] = a;
		span[i][1] = b;
	}
	return k;
}

int ndl_csv_sniff(const ndl_lexicon *lex, const char *data, size_t len)
{
	const char *const *ingredients = lex->tables.columns[NDL_COL_INGREDIENTS];
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		data += 3, len -= 3;
	const char *nl = memchr(data, '\n', len);
	size_t first = nl ? (size_t)(nl - data) : len;
	if (first > 4096)
		return NDL_SNIFF_TEXT; /* no header is a page long */
	unsigned char delim = sniff_delimiter(data, first, 1);
	size_t span[64][2];
	size_t ncells = row_cells(data, first, delim, span, 64);
	int names = 0;
	for (size_t k = 0; k < ncells && !names; k++) {
		char cell[128];
		size_t w = span[k][1] - span[k][0];
		if (w >= sizeof(cell))
			continue;
		memcpy(cell, data + span[k][0], w);
		cell[w] = '\0';
		/* a short name such as "clean_ingreds" too, but not the
		 * start of a label ("Ingredients: Aqua") or of a sentence */
		names = header_is(cell, ingredients) ||
			(!strchr(cell, ':') && w <= 24 && !strchr(cell, ' ') &&
			 ndl_names_ingredients_loosely(lex, cell));
	}
	if (!names)
		return NDL_SNIFF_TEXT;
	/* a header, and a row under it with as many cells: a table; else
	 * perhaps a label that starts "Ingredients, Aqua, ..." */
	const char *next = nl ? nl + 1 : data + len;
	size_t rest = (size_t)(data + len - next);
	const char *nl2 = memchr(next, '\n', rest);
	size_t second = nl2 ? (size_t)(nl2 - next) : rest;
	if (ncells >= 2 && row_cells(next, second, delim, span, 64) >= ncells)
		return NDL_SNIFF_CSV;
	return NDL_SNIFF_MAYBE;
}

static int choose_columns(reader *r)
{
	/* the header names of each column: columns.txt */
	const char *const *const *names = r->lex->tables.columns;
	const ndl_csv_options *o = r->opt;
	ndl_csv_header *h = &r->hdr;
	h->ingredients = h->name = h->id = h->spf = h->brand = NDL_NO_COLUMN;
	if (o->column) {
		if (ndl_csv_column(h, o->column, "column", r->source, &h->ingredients, r->err))
			return -1;
	} else if (o->no_header) {
		return ndl_fail(r->err, r->source, 0, 0,
				"without a header, say which column holds the "
				"ingredients: --column N");
	} else {
		h->ingredients = ndl_csv_find_header(h, names[NDL_COL_INGREDIENTS]);
		if (h->ingredients == NDL_NO_COLUMN)
			h->ingredients = guess_ingredients(r->lex, h);
		if (h->ingredients == NDL_NO_COLUMN) {
			char list[400];
			header_list(h, list, sizeof(list));
			return ndl_fail(r->err, r->source, 1, 0,
					"no ingredients column in the header (%s); "
					"name it with --column",
					list);
		}
	}
	if (o->name_column ? ndl_csv_column(h, o->name_column, "name-column", r->source,
						&h->name, r->err)
			   : 0)
		return -1;
	if (o->id_column ? ndl_csv_column(h, o->id_column, "id-column", r->source,
					    &h->id, r->err)
			   : 0)
		return -1;
	if (!o->no_header) {
		if (!o->name_column)
			h->name = ndl_csv_find_header(h, names[NDL_COL_NAME]);
		if (!o->id_column)
			h->id = ndl_csv_find_header(h, names[NDL_COL_ID]);
		h->spf = ndl_csv_find_header(h, names[NDL_COL_SPF]);
		h->brand = ndl_csv_find_header(h, names[NDL_COL_BRAND]);
	}
	return 0;
}

/* Reads the header row (or the first row's width, without a header)
 * into c, and chooses the columns. */
static int read_header(reader *r, cells *c)
{
	block *b = r->cur;
	ndl_csv_rowref first = {0};
	size_t bom = 0;
	int have = 0;
	while (!have) {
		if (b->len >= 3 || r->eof) {
			if (bom == 0 && b->len >= 3 &&
			    memcmp(b->data, "\xef\xbb\xbf", 3) == 0) {
				bom = 3;
				r->sc.pos = r->sc.line_start = r->sc.prev_end = 3;
			}
			if (r->delim == 0)
				r->delim = sniff_delimiter(b->data + bom, b->len - bom,
							   r->eof);
			if (r->delim) {
				r->sc.delim = r->delim;
				ndl_csv_scan(&r->sc, b->data, b->len, stop_at_first, &first);
				have = first.end > 0;
				if (!have && r->eof)
					have = ndl_csv_scan_finish(&r->sc, b->len, &first);
			}
		}
		if (have || r->eof)
			break;
		if (b->len > MAX_ROW_BYTES)
			return ndl_fail(r->err, r->source, 1, 0, "a header row longer than "
					"%zu MB", MAX_ROW_BYTES >> 20);
		if (read_more(r, b))
			return -1;
	}
	if (!have)
		return ndl_fail(r->err, r->source, 0, 0,
				"empty input: no header row");
	struct csv_parser p;
	if (csv_init(&p, 0) != 0)
		return ndl_fail(r->err, r->source, 0, 0, "out of memory");
	csv_set_delim(&p, r->delim);
	csv_parse(&p, b->data + first.start, first.end - first.start, collect_cell,
		  NULL, c);
	csv_fini(&p, collect_cell, NULL, c);
	csv_free(&p);
	if (c->failed)
		return ndl_fail(r->err, r->source, 0, 0, "out of memory");
	r->hdr.delimiter = (char)r->delim;
	if (r->opt->no_header) {
		/* the first row is data: scan it again; columns are numbered */
		ndl_csv_scanner_init(&r->sc, r->delim, 1, bom);
		for (size_t i = 0; i < c->n; i++) {
			char *num = malloc(24);
			if (num == NULL)
				return ndl_fail(r->err, r->source, 0, 0, "out of memory");
			snprintf(num, 24, "%zu", i + 1);
			free(c->v[i]);
			c->v[i] = num;
		}
	}
	r->hdr.names = (const char *const *)c->v;
	r->hdr.ncolumns = c->n;
	return choose_columns(r);
}


/* -------------------------------------------------------------- rows */

/* Room for n cells in the three parallel arrays of the row. */
static int grow_cells(scratch *w, size_t n)
{
	if (n <= w->cap_cells)
		return 0;
	size_t cap = w->cap_cells ? w->cap_cells * 2 : 64;
	while (cap < n)
		cap *= 2;
	size_t *off = realloc(w->cell_off, cap * sizeof(*off));
	if (off == NULL)
		return -1;
	w->cell_off = off;
	size_t *len = realloc(w->cell_len, cap * sizeof(*len));
	if (len == NULL)
		return -1;
	w->cell_len = len;
	const char **ptr = realloc(w->cell_ptr, cap * sizeof(*ptr));
	if (ptr == NULL)
		return -1;
	w->cell_ptr = ptr;
	w->cap_cells = cap;
	return 0;
}

static void on_field(void *data, size_t n, void *ctx)
{
	scratch *w = ctx;
	if (grow_cells(w, w->ncells + 1) ||
	    NDL_GROW(w->cellbuf, w->cellbuf_cap, w->cellbuf_len + n + 1)) {
		w->row_done = -1;
		return;
	}
	if (n)
		memcpy(w->cellbuf + w->cellbuf_len, data, n);
	w->cellbuf[w->cellbuf_len + n] = '\0';
	w->cell_off[w->ncells] = w->cellbuf_len;
	w->cell_len[w->ncells] = n;
	w->ncells++;
	w->cellbuf_len += n + 1;
}

/* A cell of a row split without libcsv (ndl_csv_split): as on_field
 * would have it, a quoted cell's doubled quotes made one. */
static void on_split_cell(void *ctx, const char *s, size_t n, int quoted)
{
	scratch *w = ctx;
	int plain = !quoted || memchr(s, '"', n) == NULL;
	if (w->ncells == w->want) {
		w->want_found = 1;
		w->want_start = (size_t)(s - w->split_row);
		w->want_direct = plain;
	}
	if (plain) {
		on_field((void *)(uintptr_t)s, n, ctx);
		return;
	}
	size_t len = w->cellbuf_len;
	on_field(NULL, 0, ctx); /* an empty cell, then its bytes */
	if (w->row_done < 0 || NDL_GROW(w->cellbuf, w->cellbuf_cap, len + n + 1)) {
		w->row_done = -1;
		return;
	}
	char *d = w->cellbuf + len;
	for (size_t i = 0; i < n; i++) {
		*d++ = s[i];
		i += s[i] == '"'; /* "" */
	}
	*d = '\0';
	w->cell_len[w->ncells - 1] = (size_t)(d - (w->cellbuf + len));
	w->cellbuf_len = len + w->cell_len[w->ncells - 1] + 1;
}

static void on_row(int c, void *ctx)
{
	(void)c;
	scratch *w = ctx;
	if (w->row_done == 0)
		w->row_done = 1;
}

/* Finding positions inside a cell: the raw bytes of the row tell where
 * each decoded character came from. Findings come in order, so a cursor
 * walks the row once. */
typedef struct locator locator;

static void locate(void *ctx, size_t offset, unsigned *line, unsigned *col)
{
	locator *l = ctx;
	if (l->direct < 0) {
		size_t a, b;
		l->direct = 0;
		if (ndl_csv_cell_span(l->raw, l->n, l->delim, l->cell, &a, &b) == 0) {
			int quoted = a < b && l->raw[a] == '"';
			size_t in_a = a + (size_t)quoted, in_b = b - (size_t)(quoted && b > a + 1);
			l->direct = in_b <= in_a || !quoted ||
				    memchr(l->raw + in_a, '"', in_b - in_a) == NULL;
			l->start = in_a;
		}
	}
	size_t r = l->direct ? l->start + offset
			     : ndl_csv_raw_offset(l->raw, l->n, l->delim, l->cell, offset);
	if (r == NONE || r > l->n)
		r = l->n;
	if (r < l->at) {
		l->at = 0;
		l->at_line = l->line;
		l->at_col = 1;
	}
	ndl_csv_advance(l->raw, l->at, r, &l->at_line, &l->at_col);
	l->at = r;
	*line = (unsigned)l->at_line;
	*col = l->at_col;
}

static double parse_spf(const char *s, size_t n)
{
	char buf[32];
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *p = buf;
	while (*p && (*p < '0' || *p > '9'))
		p++;
	double v = strtod(p, NULL);
	return v > 0 && v < 200 ? v : 0;
}

/* Decodes the row's cells: split where its cells need no parser's
 * states (most rows, at a tenth of libcsv's instructions), else with
 * libcsv. An ingredients cell longer than MAX_CELL_BYTES is not
 * decoded: the parser gets the bytes around it, so that the cell reads
 * empty, and the result is 1. */
static int parse_cells(const reader *r, scratch *w, const char *raw, size_t n)
{
	size_t a = 0, b = 0;
	int too_long = n > MAX_CELL_BYTES &&
		       ndl_csv_cell_span(raw, n, r->delim, r->hdr.ingredients, &a,
					 &b) == 0 &&
		       b - a > MAX_CELL_BYTES;
	w->ncells = w->cellbuf_len = 0;
	w->row_done = 0;
	w->split_row = raw;
	w->want = r->hdr.ingredients;
	w->want_found = 0;
	if (!too_long && ndl_csv_split(raw, n, r->delim, on_split_cell, w) == 0) {
		if (w->row_done == 0)
			w->row_done = 1;
		return 0;
	}
	csv_set_delim(&w->parser, r->delim);
	if (too_long) {
		csv_parse(&w->parser, raw, a, on_field, on_row, w);
		csv_parse(&w->parser, raw + b, n - b, on_field, on_row, w);
	} else {
		csv_parse(&w->parser, raw, n, on_field, on_row, w);
	}
	if (w->row_done == 0)
		csv_fini(&w->parser, on_field, on_row, w);
	return too_long;
}

/* What the last row made the scratch grow to beyond TRIM_BYTES is given
 * back before the next: its cells, its decoding, the parser's buffer. */
static void scratch_trim(scratch *w)
{
	free(w->decoded);
	w->decoded = NULL;
	w->warn.len = 0;
	if (w->cellbuf_cap > TRIM_BYTES) {
		free(w->cellbuf);
		w->cellbuf = NULL;
		w->cellbuf_cap = 0;
	}
	if (w->cap_cells > TRIM_BYTES / sizeof(size_t)) {
		free(w->cell_off);
		free(w->cell_len);
		free(w->cell_ptr);
		w->cell_off = w->cell_len = NULL;
		w->cell_ptr = NULL;
		w->cap_cells = 0;
	}
	if (w->parser.entry_size > TRIM_BYTES) {
		csv_free(&w->parser);
		csv_init(&w->parser, 0); /* allocates nothing: cannot fail */
	}
	if (w->warn.cap > TRIM_BYTES)
		ndl_buf_free(&w->warn);
}

ndl_csv_scratch *ndl_csv_scratch_new(void)
{
	scratch *w = calloc(1, sizeof(*w));
	if (w && csv_init(&w->parser, 0) != 0) {
		free(w);
		return NULL;
	}
	return w;
}

void ndl_csv_scratch_free(ndl_csv_scratch *w)
{
	if (w == NULL)
		return;
	csv_free(&w->parser);
	free(w->cellbuf);
	free(w->cell_off);
	free(w->cell_len);
	free(w->cell_ptr);
	free(w->decoded);
	ndl_buf_free(&w->warn);
	free(w);
}

/* Why a row that was parsed cannot be read, or NULL. */
static const char *row_error(const reader *r, scratch *w,
			     const ndl_csv_rowref *ref, int cell_too_long)
{
	if (cell_too_long)
		return "the ingredients cell is longer than "
		       NDL_STR(NDL_CSV_MAX_CELL_MB) " MB: not read";
	if (w->row_done < 0)
		return "out of memory";
	if (ref->unterminated)
		return "a quoted cell is never closed";
	if (r->hdr.ingredients >= w->ncells) {
		snprintf(w->why, sizeof(w->why),
			 "the row has only %zu cell%s; the ingredients are in "
			 "column %zu",
			 w->ncells, w->ncells == 1 ? "" : "s",
			 r->hdr.ingredients + 1);
		return w->why;
	}
	return NULL;
}

/* The row's columns, chosen by the header. */
static void fill_columns(const reader *r, scratch *w, ndl_csv_row *row)
{
	const ndl_csv_header *h = &r->hdr;
	for (size_t i = 0; i < w->ncells; i++)
		w->cell_ptr[i] = w->cellbuf + w->cell_off[i];
	row->cells = w->cell_ptr;
	row->cell_lens = w->cell_len;
	row->ncells = w->ncells;
	if (row->error) {
		row->product.text = "";
		row->product.line = (unsigned)row->line;
	} else {
		row->product.text = w->cell_ptr[h->ingredients];
		row->product.len = w->cell_len[h->ingredients];
		row->product.locate = locate;
		row->product.locate_ctx = &w->loc;
	}
	if (h->name < w->ncells) {
		row->product.name = w->cell_ptr[h->name];
		row->product.name_len = w->cell_len[h->name];
	}
	if (h->id < w->ncells) {
		row->id = w->cell_ptr[h->id];
		row->id_len = w->cell_len[h->id];
	}
	if (h->brand < w->ncells) {
		row->brand = w->cell_ptr[h->brand];
		row->brand_len = w->cell_len[h->brand];
	}
	if (h->spf < w->ncells)
		row->product.spf = parse_spf(w->cell_ptr[h->spf], w->cell_len[h->spf]);
}

void ndl_csv_block_row(const ndl_csv_reader *r, const ndl_csv_block *b,
		       size_t k, ndl_csv_scratch *w, ndl_csv_row *row)
{
	const ndl_csv_rowref *ref = &b->rows[k];
	const char *raw = b->data + ref->start;
	size_t n = ref->end - ref->start;
	int skipped = k == b->skipped_row, cell_too_long = 0;
	scratch_trim(w);

	/* invalid UTF-8 is read as Windows-1252 when that explains it,
	 * row by row (a streaming reader meets the rows one at a time, and
	 * exports mix them: rows pasted from another file); else as U+FFFD.
	 * Either way it is said. */
	size_t bad = skipped || ndl_is_ascii(raw, n) ? n : ndl_utf8_invalid_at(raw, n);
	ndl_encoding enc = r->encoding;
	if (bad < n) {
		size_t dlen, at;
		int e = ndl_decode(raw, n, &w->decoded, &dlen, &at);
		if (e == NDL_ENC_CP1252) {
			raw = w->decoded;
			n = dlen;
			enc = NDL_ENC_CP1252;
		} else {
			free(w->decoded);
			w->decoded = NULL;
		}
	}
	if (skipped) {
		n = 0; /* its bytes are gone */
		w->ncells = 0;
		w->row_done = 1;
	} else {
		cell_too_long = parse_cells(r, w, raw, n);
	}

	*row = (ndl_csv_row){.row = b->first_row + k, .line = ref->line,
			     .raw = raw, .raw_len = n,
			     .offset = b->offset + ref->start, .encoding = enc};
	row->error = skipped ? "the row is longer than " NDL_STR(NDL_CSV_MAX_ROW_MB)
			       " MB: not read"
			     : row_error(r, w, ref, cell_too_long);
	w->loc = (locator){raw, n, r->delim, r->hdr.ingredients, ref->line, -1, 0,
			   0, ref->line, 1};
	if (!skipped && w->want_found) { /* known from the split */
		w->loc.direct = w->want_direct;
		w->loc.start = w->want_start;
	}
	fill_columns(r, w, row);
	if (row->error)
		ndl_buf_printf(&w->warn, "%s:%lu: warning: row %lu: %s\n",
			       r->shown_source.data, row->line, row->row, row->error);
	if (bad < ref->end - ref->start)
		ndl_buf_printf(&w->warn,
			       "%s:%lu: warning: row %lu: invalid UTF-8 at byte "
			       "offset %llu%s\n",
			       r->shown_source.data, row->line, row->row,
			       (unsigned long long)(row->offset + bad),
			       w->decoded ? ": read as Windows-1252" : "");
	if (w->warn.failed)
		w->warn.len = 0; /* out of memory: the row's error still says */
	row->warnings = w->warn.data;
	row->warnings_len = w->warn.len;
}

/* ------------------------------------------------------------ pulling */

int ndl_csv_next_block(ndl_csv_reader *r, ndl_csv_block **blk, ndl_error *err)
{
	r->err = err;
	if (r->failed)
		return -1;
	*blk = next_block(r);
	return *blk ? 1 : r->failed ? -1 : 0;
}

size_t ndl_csv_block_rows(const ndl_csv_block *b)
{
	return b->nrows;
}

size_t ndl_csv_block_bytes(const ndl_csv_block *b)
{
	return b->len;
}

uint64_t ndl_csv_block_end(const ndl_csv_block *b)
{
	return b->offset + b->len;
}

void ndl_csv_block_done(ndl_csv_reader *r, ndl_csv_block *b)
{
	block_put(r, b);
}

int ndl_csv_next(ndl_csv_reader *r, ndl_csv_row *row, ndl_error *err)
{
	if (r->own == NULL && (r->own = ndl_csv_scratch_new()) == NULL)
		return ndl_fail(err, r->source, 0, 0, "out of memory");
	while (r->pulled == NULL || r->pulled_at == r->pulled->nrows) {
		if (r->pulled)
			block_put(r, r->pulled);
		r->pulled = NULL;
		int rc = ndl_csv_next_block(r, &r->pulled, err);
		if (rc <= 0)
			return rc;
		r->pulled_at = 0;
	}
	ndl_csv_block_row(r, r->pulled, r->pulled_at++, r->own, row);
	return 1;
}

const ndl_csv_header *ndl_csv_header_of(const ndl_csv_reader *r)
{
	return &r->hdr;
}

uint64_t ndl_csv_size(const ndl_csv_reader *r)
{
	return r->total;
}

void ndl_csv_close(ndl_csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->cur)
		block_free(r->cur);
	if (r->pulled)
		block_free(r->pulled);
	while (r->free) {
		block *b = r->free;
		r->free = b->next;
		block_free(b);
	}
	for (size_t i = 0; i < r->nheader_cells; i++)
		free(r->header_cells[i]);
	free(r->header_cells);
	ndl_buf_free(&r->shown_source);
	ndl_csv_scratch_free(r->own);
	free(r);
}

ndl_csv_reader *ndl_csv_open(const ndl_lexicon *lex, int fd, const char *source,
			     const ndl_csv_options *opt, ndl_error *err)
{
	reader *r = calloc(1, sizeof(*r));
	if (r == NULL) {
		ndl_fail(err, source, 0, 0, "out of memory");
		return NULL;
	}
	if (opt)
		r->opts = *opt;
	r->opt = &r->opts;
	r->lex = lex;
	r->source = source;
	r->err = err;
	r->fd = fd;
	r->next_row = 1;
	cells header = {0};
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		r->total = (uint64_t)st.st_size;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		rc = ndl_fail(err, source, 0, 0, "is a directory");
	else if (strchr("\"\r\n", r->opt->delimiter) && r->opt->delimiter)
		rc = ndl_fail(err, source, 0, 0,
			      "a quote or a line end cannot be the delimiter");
	ndl_term_text(&r->shown_source, source, strlen(source), 0);
	ndl_buf_cstr(&r->shown_source);
	r->delim = (unsigned char)r->opt->delimiter;
	r->block_bytes = r->opt->block_bytes ? r->opt->block_bytes : BLOCK_BYTES;
	r->read_bytes = r->block_bytes < READ_BYTES ? r->block_bytes : READ_BYTES;
	if (r->read_bytes < 64)
		r->read_bytes = 64;
	ndl_csv_scanner_init(&r->sc, r->delim, 1, 0);
	if (rc == 0 && (r->shown_source.failed || (r->cur = block_get(r)) == NULL))
		rc = ndl_fail(err, source, 0, 0, "out of memory");
	if (rc == 0)
		rc = read_header(r, &header);
	r->header_cells = header.v;
	r->nheader_cells = header.n;
	if (rc != 0) {
		ndl_csv_close(r);
		return NULL;
	}
	if (!r->opt->no_header)
		r->cur->nrows = 0; /* the header row is not data */
	return r;
}
