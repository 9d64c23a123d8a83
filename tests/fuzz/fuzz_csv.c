/* libFuzzer: the CSV reader on any bytes, in blocks of 1 to 256 bytes
 * (the last byte says), so that small inputs cross many block
 * boundaries; every row libcsv finds is a record (rows in = records
 * out). One input in four (its middle byte says) is read again in one
 * block of 64 KiB, and one in four block by block with two scratches
 * and checkers in turn, as a pool's threads read them: the records and
 * warnings must be the same. The input as one row, split without
 * libcsv (ndl_csv_split), has libcsv's cells, or is not split. The
 * lexicon, the checkers and the scratches are made once per process. */
#define _GNU_SOURCE
#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "input/csv_scan.h"
#include "input_fd.h"
#include "needlecheck_input.h"

typedef struct run {
	ndl_buf all;
	unsigned long rows;
	char delimiter; /* the reader's */
} run;

static ndl_lexicon *lex;
static ndl_checker *chk[2];
static ndl_csv_scratch *scratch[2];

static void count_row(int c, void *ctx)
{
	(void)c;
	++*(unsigned long *)ctx;
}

/* The rows libcsv itself finds, with the reader's delimiter, past a BOM. */
static unsigned long libcsv_rows(const uint8_t *data, size_t size, char delim)
{
	struct csv_parser p;
	unsigned long rows = 0;
	size_t bom = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	if (csv_init(&p, 0) != 0)
		abort();
	csv_set_delim(&p, (unsigned char)delim);
	csv_parse(&p, data + bom, size - bom, NULL, count_row, &rows);
	csv_fini(&p, NULL, count_row, &rows);
	csv_free(&p);
	return rows;
}

/* One row's cells, back to back, each followed by a NUL, and the rows
 * libcsv ended. */
typedef struct row_cells {
	ndl_buf cells;
	unsigned long rows;
} row_cells;

static void split_cell(void *ctx, const char *s, size_t n, int quoted)
{
	row_cells *rc = ctx;
	for (size_t i = 0; i < n; i++) {
		ndl_buf_append(&rc->cells, s + i, 1);
		i += quoted && s[i] == '"'; /* "" */
	}
	ndl_buf_append(&rc->cells, "", 1);
}

static void libcsv_cell(void *s, size_t n, void *ctx)
{
	row_cells *rc = ctx;
	if (n)
		ndl_buf_append(&rc->cells, s, n);
	ndl_buf_append(&rc->cells, "", 1);
}

static void libcsv_row_end(int c, void *ctx)
{
	(void)c;
	((row_cells *)ctx)->rows++;
}

/* The input as one row: split, it has libcsv's cells. */
static void split_agrees(const uint8_t *data, size_t size)
{
	unsigned char delim = size && data[0] == ';' ? ';' : ',';
	row_cells got = {0}, want = {0};
	if (ndl_csv_split((const char *)data, size, delim, split_cell, &got) == 0) {
		struct csv_parser p;
		if (csv_init(&p, 0) != 0)
			abort();
		csv_set_delim(&p, delim);
		csv_parse(&p, data, size, libcsv_cell, libcsv_row_end, &want);
		csv_fini(&p, libcsv_cell, libcsv_row_end, &want);
		csv_free(&p);
		if (want.rows != 1 || want.cells.len != got.cells.len ||
		    memcmp(want.cells.data, got.cells.data, got.cells.len) != 0)
			abort(); /* the split is not libcsv's row */
	}
	ndl_buf_free(&got.cells);
	ndl_buf_free(&want.cells);
}

/* A row as a record, and its warnings. */
static void add(run *r, ndl_checker *chk, const ndl_csv_row *row)
{
	const ndl_result *res = ndl_check(chk, &row->product);
	if (res == NULL)
		abort();
	ndl_record rec = {.source = "fuzz.csv", .row = row->row, .line = row->line,
			  .error = row->error, .when = ndl_when_day(2)};
	ndl_write_options wo = {.when = rec.when};
	ndl_record_writer_find("ndjson")->record(&r->all, &wo, &rec, res);
	ndl_buf_append(&r->all, row->warnings, row->warnings_len);
	r->rows++;
}

/* Reads the input in blocks of block_bytes, row by row (blocks: 0), or
 * as a pool of two threads would, block by block, each block's rows
 * with one of two scratches and checkers in turn (blocks: 1). 0, or -1
 * when the reader refused it. */
static int read_all(const uint8_t *data, size_t size, size_t block_bytes,
		    int blocks, run *r)
{
	int fd = input_fd(data, size);
	ndl_csv_options opt = {.no_header = size && data[0] == 'N',
			       .column = size && data[0] == 'N' ? "1" : NULL,
			       .block_bytes = block_bytes};
	ndl_error err;
	ndl_csv_reader *rd = ndl_csv_open(lex, fd, "fuzz.csv", &opt, &err);
	if (rd == NULL)
		return -1;
	r->delimiter = ndl_csv_header_of(rd)->delimiter;
	ndl_csv_row row;
	ndl_csv_block *b;
	int rc;
	unsigned turn = 0;
	if (!blocks)
		while ((rc = ndl_csv_next(rd, &row, &err)) == 1)
			add(r, chk[0], &row);
	else
		while ((rc = ndl_csv_next_block(rd, &b, &err)) == 1) {
			for (size_t i = 0; i < ndl_csv_block_rows(b); i++) {
				ndl_csv_block_row(rd, b, i, scratch[turn], &row);
				add(r, chk[turn], &row);
			}
			ndl_csv_block_done(rd, b);
			turn ^= 1;
		}
	ndl_csv_close(rd);
	return rc;
}

static int same(const run *a, const run *b)
{
	return a->all.len == b->all.len &&
	       (a->all.len == 0 || memcmp(a->all.data, b->all.data, a->all.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (lex == NULL) {
		ndl_error err;
		if ((lex = ndl_lexicon_open(NULL, &err)) == NULL ||
		    (chk[0] = ndl_checker_new(lex)) == NULL ||
		    (chk[1] = ndl_checker_new(lex)) == NULL ||
		    (scratch[0] = ndl_csv_scratch_new()) == NULL ||
		    (scratch[1] = ndl_csv_scratch_new()) == NULL)
			abort();
	}
	split_agrees(data, size);
	size_t block_bytes = size ? (size_t)data[size - 1] % 256 + 1 : 1;
	unsigned pick = size ? data[size / 2] : 0;
	run one = {0}, whole = {0}, two = {0};
	int a = read_all(data, size, block_bytes, 0, &one);
	if (pick % 4 == 0 && (read_all(data, size, 65536, 0, &whole) != a ||
			      !same(&one, &whole)))
		abort(); /* blocks changed the output */
	if (pick % 4 == 1 && (read_all(data, size, block_bytes, 1, &two) != a ||
			      !same(&one, &two)))
		abort(); /* reading by blocks, as threads do, changed it */
	if (a == 0) {
		unsigned long rows = libcsv_rows(data, size, one.delimiter);
		int header = !(size && data[0] == 'N');
		if (one.rows != rows - (rows > 0 && header))
			abort(); /* rows in != records out */
	}
	ndl_buf_free(&one.all);
	ndl_buf_free(&whole.all);
	ndl_buf_free(&two.all);
	return 0;
}
