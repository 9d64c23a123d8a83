/* Reader for CSV inventories.
 *
 * The calling thread reads the input in blocks of whole rows, found by
 * the quote-aware scan (csv_scan.c), and numbers them; workers parse each
 * block's rows with their own libcsv parser and checker; the calling
 * thread hands each block's output to the handler in input order. Memory
 * stays bounded: the blocks in flight hold a few MB of rows at most (see
 * IN_FLIGHT_BYTES). */
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/csv_scan.h"
#include "needlecheck.h"
#include "base/text.h"
#include "base/util.h"
#include "knowledge/lexicon.h"

/* Memory: the rows read but not yet written out (their bytes, and the
 * output they make, some 5 times as much) stay under IN_FLIGHT_BYTES
 * whatever --jobs, blocks getting smaller as threads are more, plus one
 * row when a single row is larger. A row longer than MAX_ROW_BYTES is
 * not kept at all, and an ingredients cell longer than MAX_CELL_BYTES
 * (what the tokenizer would work on) is not decoded: such a row is a
 * record that could not be read, and the run goes on. */
#define IN_FLIGHT_BYTES ((size_t)4 << 20)
#define MAX_BLOCK_BYTES ((size_t)256 << 10)
#define MIN_BLOCK_BYTES ((size_t)16 << 10)
#define READ_BYTES ((size_t)256 << 10)
#define MAX_ROW_BYTES ((size_t)NDL_CSV_MAX_ROW_MB << 20)
#define MAX_CELL_BYTES ((size_t)NDL_CSV_MAX_CELL_MB << 20)
#define TRIM_BYTES ((size_t)1 << 20) /* scratch beyond this is given back
					after the row that needed it */
#define TRIM_ROW_BYTES ((size_t)64 << 10) /* after a longer row (ten times
					     the longest of real catalogues),
					     a fresh checker */
#define NONE ((size_t)-1)
#define NDL_STR_(x) #x
#define NDL_STR(x) NDL_STR_(x)

typedef struct block {
	char *data;
	size_t len, cap;
	uint64_t offset; /* input offset of data[0] */
	ndl_csv_rowref *rows;
	size_t nrows, cap_rows;
	unsigned long first_row; /* number of rows[0] */
	size_t skipped_row; /* the row too long to keep (its bytes are not
			       in data), or NONE; it ends the block */
	ndl_buf out, warn;
	void *user;
	int done;
	struct block *next; /* in the free list */
} block;

typedef struct worker {
	struct runner *run;
	ndl_checker *chk;
	int own_chk; /* made for this run, freed after it */
	struct csv_parser parser;
	char *cellbuf; /* the row's cells, back to back */
	size_t cellbuf_len, cellbuf_cap;
	size_t *cell_off, *cell_len;
	const char **cell_ptr;
	size_t ncells, cap_cells;
	int row_done;
	pthread_t thread;
} worker;

typedef struct runner {
	const ndl_lexicon *lex;
	const ndl_csv_handler *h;
	const ndl_csv_options *opt;
	const char *source;
	ndl_buf shown_source; /* source for the warnings: one line, no escape */
	ndl_error *err;
	int fd;
	uint64_t total; /* input size, 0 if unknown */
	ndl_csv_header hdr;
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
	size_t in_flight; /* bytes of the blocks handed to the workers */
	unsigned long next_row;
	int failed;    /* err is filled */

	pthread_mutex_t mu;
	pthread_cond_t work_cv, done_cv;
	block **work; /* blocks waiting for a worker: a ring */
	size_t work_head, work_n, work_cap;
	int stop;
} runner;

/* ------------------------------------------------------------- blocks */

static block *block_get(runner *r)
{
	block *b = r->free;
	if (b != NULL) {
		r->free = b->next;
	} else {
		b = calloc(1, sizeof(*b));
		if (b == NULL)
			return NULL;
		if (r->h->block_data_size &&
		    (b->user = malloc(r->h->block_data_size)) == NULL) {
			free(b);
			return NULL;
		}
	}
	b->len = b->nrows = 0;
	b->skipped_row = NONE;
	b->out.len = b->warn.len = 0;
	b->done = 0;
	if (b->user)
		memset(b->user, 0, r->h->block_data_size);
	return b;
}

/* Back to the free list; what a long row made it grow to is given back
 * (a block's output is some 5 times its bytes, often more). */
static void block_put(runner *r, block *b)
{
	size_t usual = 4 * (r->read_bytes + r->block_bytes);
	if (b->cap > usual) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
	if (b->out.cap > 4 * usual)
		ndl_buf_free(&b->out);
	if (b->warn.cap > usual)
		ndl_buf_free(&b->warn);
	b->next = r->free;
	r->free = b;
}

static void block_free(block *b)
{
	free(b->data);
	free(b->rows);
	ndl_buf_free(&b->out);
	ndl_buf_free(&b->warn);
	free(b->user);
	free(b);
}

/* A row the scan found, into the current block; the end of a row too
 * long to keep ends the scan (and the block). */
static int add_row(void *ctx, const ndl_csv_rowref *ref)
{
	runner *r = ctx;
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
static int convert_utf16(runner *r, block *b, const unsigned char *in, size_t n)
{
	int be = r->encoding == NDL_ENC_UTF16BE;
	size_t used;
	if (r->nu16) {
		/* the cut character first: with the bytes that complete it */
		unsigned char joint[8];
		size_t take = n < 4 ? n : 4;
		memcpy(joint, r->u16, r->nu16);
		memcpy(joint + r->nu16, in, take);
		b->len += ndl_utf16_to_utf8(joint, r->nu16 + take, be, r->eof,
					    b->data + b->len, &used);
		if (used < r->nu16) { /* still cut short: keep it */
			r->nu16 += take;
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
static int read_more(runner *r, block *b)
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
static void drop_scanned(runner *r, block *b)
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
static block *next_block(runner *r)
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
 * word starting "ingred" or the word "inci" ("clean_ingreds"). */
static int names_ingredients_loosely(const char *cell)
{
	char norm[128];
	ndl_normalize(cell, strlen(cell), norm, sizeof(norm));
	for (char *w = strtok(norm, " "); w; w = strtok(NULL, " "))
		if (strncmp(w, "ingred", 6) == 0 || strcmp(w, "inci") == 0)
			return 1;
	return 0;
}

static size_t guess_ingredients(const ndl_csv_header *h)
{
	for (size_t i = 0; i < h->ncolumns; i++)
		if (names_ingredients_loosely(h->names[i]))
			return i;
	return NDL_NO_COLUMN;
}

/* The cells of one raw row, as spans without their quotes and blanks;
 * how many (at most max). */
static size_t row_cells(const char *row, size_t n, unsigned char delim,
			size_t (*span)[2], size_t max)
{
	size_t k = 0, a, b;
	while (k < max && ndl_csv_cell_span(row, n, delim, k, &a, &b) == 0) {
		while (a < b && (row[a] == ' ' || row[a] == '"'))
			a++;
		while (b > a && (row[b - 1] == ' ' || row[b - 1] == '"'))
			b--;
		span[k][0] = a;
		span[k][1] = b;
		k++;
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
			 names_ingredients_loosely(cell));
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

static int choose_columns(runner *r)
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
			h->ingredients = guess_ingredients(h);
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

/* Reads the header row (or the first row's width, without a header),
 * chooses the columns and tells the handler. */
static int read_header(runner *r, cells *c)
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
	if (choose_columns(r))
		return -1;
	return r->h->header ? r->h->header(r->h->ctx, &r->hdr, r->err) : 0;
}

/* -------------------------------------------------------------- rows */

/* Room for n cells in the three parallel arrays of the row. */
static int grow_cells(worker *w, size_t n)
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
	worker *w = ctx;
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

static void on_row(int c, void *ctx)
{
	(void)c;
	worker *w = ctx;
	if (w->row_done == 0)
		w->row_done = 1;
}

/* Finding positions inside a cell: the raw bytes of the row tell where
 * each decoded character came from. Findings come in order, so a cursor
 * walks the row once. */
typedef struct locator {
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
} locator;

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

/* Decodes the row's cells with libcsv. An ingredients cell longer than
 * MAX_CELL_BYTES is not decoded: the parser gets the bytes around it,
 * so that the cell reads empty, and the result is 1. */
static int parse_cells(worker *w, const char *raw, size_t n)
{
	runner *r = w->run;
	size_t a = 0, b = 0;
	int too_long = n > MAX_CELL_BYTES &&
		       ndl_csv_cell_span(raw, n, r->delim, r->hdr.ingredients, &a,
					 &b) == 0 &&
		       b - a > MAX_CELL_BYTES;
	w->ncells = w->cellbuf_len = 0;
	w->row_done = 0;
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

/* What a long row made the worker's scratch grow to is given back: its
 * cells, the parser's buffer, and the checker (a new one, whose memory
 * is the lexicon's share only). */
static void worker_trim(worker *w)
{
	ndl_checker *fresh = ndl_checker_new(w->run->lex);
	if (fresh) {
		if (w->own_chk)
			ndl_checker_free(w->chk);
		w->chk = fresh;
		w->own_chk = 1;
	}
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
		csv_set_delim(&w->parser, w->run->delim);
	}
}

static void process_row(worker *w, block *b, size_t k)
{
	runner *r = w->run;
	const ndl_csv_header *h = &r->hdr;
	const ndl_csv_rowref *ref = &b->rows[k];
	const char *raw = b->data + ref->start;
	size_t n = ref->end - ref->start;
	int skipped = k == b->skipped_row, cell_too_long = 0;

	/* invalid UTF-8 is read as Windows-1252 when that explains it,
	 * row by row (a streaming reader meets the rows one at a time, and
	 * exports mix them: rows pasted from another file); else as U+FFFD.
	 * Either way it is said. */
	size_t bad = skipped || ndl_is_ascii(raw, n) ? n : ndl_utf8_invalid_at(raw, n);
	ndl_encoding enc = r->encoding;
	char *decoded = NULL;
	if (bad < n) {
		size_t dlen, at;
		int e = ndl_decode(raw, n, &decoded, &dlen, &at);
		if (e == NDL_ENC_CP1252) {
			raw = decoded;
			n = dlen;
			enc = NDL_ENC_CP1252;
		} else {
			free(decoded);
			decoded = NULL;
		}
	}
	if (skipped) {
		n = 0; /* its bytes are gone */
		w->ncells = 0;
		w->row_done = 1;
	} else {
		cell_too_long = parse_cells(w, raw, n);
	}

	ndl_csv_row row = {.row = b->first_row + k, .line = ref->line,
			   .raw = raw, .raw_len = n, .offset = b->offset + ref->start,
			   .encoding = enc};
	for (size_t i = 0; i < w->ncells; i++)
		w->cell_ptr[i] = w->cellbuf + w->cell_off[i];
	row.cells = w->cell_ptr;
	row.cell_lens = w->cell_len;
	row.ncells = w->ncells;

	char why[160];
	locator loc = {raw, n, r->delim, h->ingredients, ref->line, -1, 0, 0,
		       ref->line, 1};
	if (skipped) {
		row.error = "the row is longer than " NDL_STR(NDL_CSV_MAX_ROW_MB)
			    " MB: not read";
	} else if (cell_too_long) {
		row.error = "the ingredients cell is longer than "
			    NDL_STR(NDL_CSV_MAX_CELL_MB) " MB: not read";
	} else if (w->row_done < 0) {
		row.error = "out of memory";
	} else if (ref->unterminated) {
		row.error = "a quoted cell is never closed";
	} else if (h->ingredients >= w->ncells) {
		snprintf(why, sizeof(why),
			 "the row has only %zu cell%s; the ingredients are in "
			 "column %zu",
			 w->ncells, w->ncells == 1 ? "" : "s", h->ingredients + 1);
		row.error = why;
	}
	if (row.error) {
		ndl_buf_printf(&b->warn, "%s:%lu: warning: row %lu: %s\n",
			       r->shown_source.data, row.line, row.row, row.error);
		row.product.text = "";
		row.product.line = (unsigned)ref->line;
	} else {
		row.product.text = w->cell_ptr[h->ingredients];
		row.product.len = w->cell_len[h->ingredients];
		row.product.locate = locate;
		row.product.locate_ctx = &loc;
	}
	if (h->name < w->ncells) {
		row.product.name = w->cell_ptr[h->name];
		row.product.name_len = w->cell_len[h->name];
	}
	if (h->id < w->ncells) {
		row.id = w->cell_ptr[h->id];
		row.id_len = w->cell_len[h->id];
	}
	if (h->brand < w->ncells) {
		row.brand = w->cell_ptr[h->brand];
		row.brand_len = w->cell_len[h->brand];
	}
	if (h->spf < w->ncells)
		row.product.spf = parse_spf(w->cell_ptr[h->spf], w->cell_len[h->spf]);
	if (bad < ref->end - ref->start)
		ndl_buf_printf(&b->warn,
			       "%s:%lu: warning: row %lu: invalid UTF-8 at byte "
			       "offset %llu%s\n",
			       r->shown_source.data, row.line, row.row,
			       (unsigned long long)(row.offset + bad),
			       decoded ? ": read as Windows-1252" : "");
	r->h->row(r->h->ctx, w->chk, &row, &b->out, b->user);
	free(decoded);
	if (n > TRIM_ROW_BYTES)
		worker_trim(w);
}

static void process_block(worker *w, block *b)
{
	for (size_t k = 0; k < b->nrows; k++)
		process_row(w, b, k);
}

/* Worker i: its parser, and its checker (the caller's, or its own). */
static int worker_init(worker *w, runner *r, unsigned i)
{
	memset(w, 0, sizeof(*w));
	w->run = r;
	w->own_chk = r->opt->checkers == NULL;
	w->chk = w->own_chk ? ndl_checker_new(r->lex) : r->opt->checkers[i];
	if (w->chk == NULL || csv_init(&w->parser, 0) != 0) {
		if (w->own_chk)
			ndl_checker_free(w->chk);
		return -1;
	}
	csv_set_delim(&w->parser, r->delim);
	return 0;
}

static void worker_fini(worker *w)
{
	csv_free(&w->parser);
	if (w->own_chk)
		ndl_checker_free(w->chk);
	free(w->cellbuf);
	free(w->cell_off);
	free(w->cell_len);
	free(w->cell_ptr);
}

/* ----------------------------------------------------------- threads */

static void *worker_main(void *arg)
{
	worker *w = arg;
	runner *r = w->run;
	for (;;) {
		pthread_mutex_lock(&r->mu);
		while (r->work_n == 0 && !r->stop)
			pthread_cond_wait(&r->work_cv, &r->mu);
		if (r->work_n == 0) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		block *b = r->work[r->work_head];
		r->work_head = (r->work_head + 1) % r->work_cap;
		r->work_n--;
		pthread_mutex_unlock(&r->mu);
		process_block(w, b);
		pthread_mutex_lock(&r->mu);
		b->done = 1;
		pthread_cond_broadcast(&r->done_cv);
		pthread_mutex_unlock(&r->mu);
	}
}

static int emit(runner *r, block *b, unsigned long *rows)
{
	*rows += b->nrows;
	int rc = r->h->emit(r->h->ctx, &b->out, &b->warn, b->user);
	if (rc != 0 && !r->failed) {
		r->failed = 1;
		ndl_fail(r->err, r->source, 0, 0, "stopped");
	}
	if (b->out.failed || b->warn.failed) {
		r->failed = 1;
		ndl_fail(r->err, r->source, 0, 0, "out of memory");
	}
	if (r->h->progress)
		r->h->progress(r->h->ctx, *rows, b->offset + b->len, r->total);
	block_put(r, b);
	return r->failed ? -1 : 0;
}

static void run_inline(runner *r)
{
	worker w;
	if (worker_init(&w, r, 0) != 0) {
		r->failed = 1;
		ndl_fail(r->err, r->source, 0, 0, "out of memory");
		return;
	}
	unsigned long rows = 0;
	block *b;
	while (!r->failed && (b = next_block(r)) != NULL) {
		process_block(&w, b);
		emit(r, b, &rows);
	}
	worker_fini(&w);
}

static void run_threads(runner *r, unsigned jobs)
{
	worker *ws = calloc(jobs, sizeof(*ws));
	size_t cap = 2 * (size_t)jobs + 1; /* blocks in flight: each worker's,
					      and as many waiting */
	block **ring = calloc(cap, sizeof(*ring));
	r->work = calloc(cap, sizeof(*r->work));
	r->work_cap = cap;
	unsigned started = 0;
	if (ws == NULL || ring == NULL || r->work == NULL) {
		r->failed = 1;
		ndl_fail(r->err, r->source, 0, 0, "out of memory");
	}
	for (; !r->failed && started < jobs; started++) {
		if (worker_init(&ws[started], r, started) != 0 ||
		    pthread_create(&ws[started].thread, NULL, worker_main, &ws[started])) {
			r->failed = 1;
			ndl_fail(r->err, r->source, 0, 0, "cannot start a thread");
			break;
		}
	}
	size_t head = 0, n = 0;
	unsigned long rows = 0;
	int reading = !r->failed;
	while (reading || n > 0) {
		/* more only while the bytes in flight allow it */
		while (reading && n < cap && (n == 0 || r->in_flight < IN_FLIGHT_BYTES)) {
			block *b = next_block(r);
			if (b == NULL) {
				reading = 0;
				break;
			}
			r->in_flight += b->len;
			ring[(head + n++) % cap] = b;
			pthread_mutex_lock(&r->mu);
			r->work[(r->work_head + r->work_n++) % cap] = b;
			pthread_cond_signal(&r->work_cv);
			pthread_mutex_unlock(&r->mu);
		}
		if (n == 0)
			break;
		block *b = ring[head];
		pthread_mutex_lock(&r->mu);
		while (!b->done)
			pthread_cond_wait(&r->done_cv, &r->mu);
		pthread_mutex_unlock(&r->mu);
		head = (head + 1) % cap;
		n--;
		r->in_flight -= b->len;
		if (r->failed) {
			block_put(r, b);
			reading = 0;
		} else if (emit(r, b, &rows) != 0) {
			reading = 0;
		}
	}
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->work_cv);
	pthread_mutex_unlock(&r->mu);
	for (unsigned i = 0; i < started; i++) {
		pthread_join(ws[i].thread, NULL);
		worker_fini(&ws[i]);
	}
	free(ws);
	free(ring);
	free(r->work);
}

int ndl_csv_run(const ndl_lexicon *lex, int fd, const char *source,
		const ndl_csv_options *opt, const ndl_csv_handler *h,
		ndl_error *err)
{
	static const ndl_csv_options defaults;
	runner r = {.lex = lex, .h = h, .opt = opt ? opt : &defaults,
		    .source = source, .err = err, .fd = fd, .next_row = 1};
	cells header = {0};
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		r.total = (uint64_t)st.st_size;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		return ndl_fail(err, source, 0, 0, "is a directory");
	ndl_term_text(&r.shown_source, source, strlen(source), 0);
	ndl_buf_cstr(&r.shown_source);
	if (r.shown_source.failed)
		return ndl_fail(err, source, 0, 0, "out of memory");
	r.delim = (unsigned char)r.opt->delimiter;
	/* blocks small enough that as many as the threads keep busy fit in
	 * the bytes in flight */
	unsigned jobs = r.opt->jobs > 1 ? r.opt->jobs : 1;
	r.block_bytes = IN_FLIGHT_BYTES / (2 * jobs + 1);
	if (r.block_bytes > MAX_BLOCK_BYTES)
		r.block_bytes = MAX_BLOCK_BYTES;
	if (r.block_bytes < MIN_BLOCK_BYTES)
		r.block_bytes = MIN_BLOCK_BYTES;
	if (r.opt->block_bytes)
		r.block_bytes = r.opt->block_bytes;
	r.read_bytes = r.block_bytes < READ_BYTES ? r.block_bytes : READ_BYTES;
	if (r.read_bytes < 64)
		r.read_bytes = 64;
	ndl_csv_scanner_init(&r.sc, r.delim, 1, 0);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.work_cv, NULL);
	pthread_cond_init(&r.done_cv, NULL);
	r.cur = block_get(&r);
	int rc = r.cur == NULL ? ndl_fail(err, source, 0, 0, "out of memory")
			       : read_header(&r, &header);
	if (rc == 0) {
		if (!r.opt->no_header)
			r.cur->nrows = 0; /* the header row is not data */
		if (r.opt->jobs > 1)
			run_threads(&r, r.opt->jobs);
		else
			run_inline(&r);
		rc = r.failed ? -1 : 0;
	}
	if (r.cur)
		block_free(r.cur);
	while (r.free) {
		block *b = r.free;
		r.free = b->next;
		block_free(b);
	}
	for (size_t i = 0; i < header.n; i++)
		free(header.v[i]);
	free(header.v);
	ndl_buf_free(&r.shown_source);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.work_cv);
	pthread_cond_destroy(&r.done_cv);
	return rc;
}
