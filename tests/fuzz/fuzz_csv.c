/* libFuzzer: the CSV reader on any bytes, with one and two threads. The
 * two runs give the same records, and every data row libcsv sees is a
 * record (rows in = records out). */
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
} run;

static void on_row(void *ctx, ndl_checker *chk, const ndl_csv_row *row,
		   ndl_buf *out, void *block)
{
	(void)ctx, (void)block;
	const ndl_result *r = ndl_check(chk, &row->product, ndl_when_day(2));
	if (r == NULL)
		abort();
	ndl_record rec = {.source = "fuzz.csv", .row = row->row, .line = row->line,
			  .error = row->error};
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

static int read_all(const ndl_lexicon *lex, const uint8_t *data, size_t size,
		    unsigned jobs, run *r)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	lseek(fd, 0, SEEK_SET);
	ndl_csv_options opt = {.jobs = jobs, .no_header = size && data[0] == 'N',
			       .column = size && data[0] == 'N' ? "1" : NULL};
	ndl_csv_handler h = {.ctx = r, .block_data_size = 8, .row = on_row,
			     .emit = on_emit};
	ndl_error err;
	int rc = ndl_csv_run(lex, fd, "fuzz.csv", &opt, &h, &err);
	close(fd);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ndl_lexicon *lex;
	if (lex == NULL) {
		ndl_error err;
		if ((lex = ndl_lexicon_open(NULL, &err)) == NULL)
			abort();
	}
	run one = {0}, two = {0};
	int a = read_all(lex, data, size, 1, &one);
	int b = read_all(lex, data, size, 2, &two);
	if (a != b || one.all.len != two.all.len ||
	    (one.all.len && memcmp(one.all.data, two.all.data, one.all.len) != 0))
		abort(); /* threads changed the output */
	ndl_buf_free(&one.all);
	ndl_buf_free(&two.all);
	return 0;
}
