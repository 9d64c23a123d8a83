/* libFuzzer: the CSV reader on any bytes, in blocks of 1 to 256 bytes
 * (the last byte says), so that small inputs cross many block
 * boundaries; every row libcsv finds is a record (rows in = records
 * out). One input in four (its middle byte says) is read again in one
 * block of 64 KiB, and one in eight by two threads: the records must be
 * the same. (Each further run costs speed: a thread some 2 ms under
 * ASan.) The lexicon and the checkers are made once per process. */
#define _GNU_SOURCE
#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "needlecheck.h"

typedef struct run {
	ndl_buf all;
	unsigned long rows;
	char delimiter; /* the reader's */
} run;

static int on_header(void *ctx, const ndl_csv_header *h, ndl_error *err)
{
	(void)err;
	((run *)ctx)->delimiter = h->delimiter;
	return 0;
}

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

static void on_row(void *ctx, ndl_checker *chk, const ndl_csv_row *row,
		   ndl_buf *out, void *block)
{
	(void)ctx, (void)block;
	const ndl_result *r = ndl_check(chk, &row->product);
	if (r == NULL)
		abort();
	ndl_record rec = {.source = "fuzz.csv", .row = row->row, .line = row->line,
			  .error = row->error, .when = ndl_when_day(2)};
	ndl_write_json(out, &rec, r);
	ndl_buf_append(out, "\n", 1);
}

static int on_emit(void *ctx, const ndl_buf *out, const ndl_buf *warn, void *block)
{
	(void)warn, (void)block;
	run *r = ctx;
	ndl_buf_append(&r->all, out->data ? out->data : "", out->len);
	for (size_t i = 0; i < out->len; i++)
		r->rows += out->data[i] == '\n';
	return 0;
}

static int read_all(ndl_checker *const *checkers, const ndl_lexicon *lex,
		    const uint8_t *data, size_t size, unsigned jobs,
		    size_t block_bytes, run *r)
{
	static int fd = -1;
	if (fd < 0 && (fd = memfd_create("fuzz", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	lseek(fd, 0, SEEK_SET);
	ndl_csv_options opt = {.jobs = jobs, .no_header = size && data[0] == 'N',
			       .column = size && data[0] == 'N' ? "1" : NULL,
			       .block_bytes = block_bytes, .checkers = checkers};
	ndl_csv_handler h = {.ctx = r, .block_data_size = 8, .header = on_header,
			     .row = on_row, .emit = on_emit};
	ndl_error err;
	return ndl_csv_run(lex, fd, "fuzz.csv", &opt, &h, &err);
}

static int same(const run *a, const run *b)
{
	return a->all.len == b->all.len &&
	       (a->all.len == 0 || memcmp(a->all.data, b->all.data, a->all.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ndl_lexicon *lex;
	static ndl_checker *chk[2];
	if (lex == NULL) {
		ndl_error err;
		if ((lex = ndl_lexicon_open(NULL, &err)) == NULL ||
		    (chk[0] = ndl_checker_new(lex)) == NULL ||
		    (chk[1] = ndl_checker_new(lex)) == NULL)
			abort();
	}
	size_t block_bytes = size ? (size_t)data[size - 1] % 256 + 1 : 1;
	unsigned pick = size ? data[size / 2] : 0;
	run one = {0}, whole = {0}, two = {0};
	int a = read_all(chk, lex, data, size, 1, block_bytes, &one);
	if (pick % 4 == 0 && (read_all(chk, lex, data, size, 1, 65536, &whole) != a ||
			      !same(&one, &whole)))
		abort(); /* blocks changed the output */
	if (pick % 8 == 1 && (read_all(chk, lex, data, size, 2, block_bytes, &two) != a ||
			      !same(&one, &two)))
		abort(); /* threads changed the output */
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
