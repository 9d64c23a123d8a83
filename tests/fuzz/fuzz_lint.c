/* libFuzzer: the catalogue lint on any bytes, through every writer. Each
 * fix replaces a claim (digits or a post-procedure-safe tag) and no two
 * overlap; once the fixes are applied, linting again finds only the wrong
 * claims that had no fix. Inputs are read in blocks of 1 to 256 bytes
 * (the last byte says); one in four (the middle byte says) is read again
 * in one block of 64 KiB, and one in eight by two threads: the
 * diagnostics must be the same (each further run costs speed: a thread
 * some 2 ms under ASan). The lexicon and the checkers are made once per
 * process. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "needlecheck.h"

typedef struct run {
	ndl_lint_options opt;
	ndl_lint_columns cols;
	ndl_lint_stats stats;
	ndl_buf all;
	int counting;   /* with one thread only: the counts below */
	ndl_fix *fixes;
	size_t nfixes;
	unsigned long wrong; /* wrong claims left as errors */
} run;

typedef struct sink {
	run *r;
	ndl_buf *out;
} sink;

static void on_diagnostic(void *ctx, const ndl_diagnostic *d)
{
	sink *s = ctx;
	ndl_write_gcc(s->out, d, 0);
	ndl_write_github(s->out, d);
	ndl_write_sarif_result(s->out, d);
	ndl_write_lint_json(s->out, d);
	if (!s->r->counting)
		return;
	if (d->class_id && !d->suppressed_by && d->severity == NDL_ERROR)
		s->r->wrong++;
	if (d->fix && s->r->opt.fix) {
		s->r->fixes = realloc(s->r->fixes, (s->r->nfixes + 1) * sizeof(ndl_fix));
		if (s->r->fixes == NULL)
			abort();
		s->r->fixes[s->r->nfixes++] = *d->fix;
	}
}

static const ndl_lexicon *lex;

static int on_header(void *ctx, const ndl_csv_header *h, ndl_error *err)
{
	run *r = ctx;
	return ndl_lint_columns_find(lex, h, &r->opt, "fuzz.csv", &r->cols, err);
}

static void on_row(void *ctx, ndl_checker *chk, const ndl_csv_row *row,
		   ndl_buf *out, void *block)
{
	run *r = ctx;
	sink s = {r, out};
	if (ndl_lint_row(chk, &r->opt, &r->cols, "fuzz.csv", row, block,
			 on_diagnostic, &s))
		abort();
}

static int on_emit(void *ctx, const ndl_buf *out, const ndl_buf *warn, void *block)
{
	(void)warn;
	run *r = ctx;
	ndl_buf_append(&r->all, out->data ? out->data : "", out->len);
	ndl_lint_stats_add(&r->stats, block);
	return 0;
}

static ndl_checker *chk[2];

static int lint(const uint8_t *data, size_t size, unsigned jobs,
		size_t block_bytes, run *r)
{
	static int fd = -1;
	if (fd < 0 && (fd = memfd_create("fuzz", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	lseek(fd, 0, SEEK_SET);
	ndl_csv_options opt = {.jobs = jobs, .block_bytes = block_bytes,
			       .checkers = chk};
	ndl_csv_handler h = {.ctx = r, .block_data_size = sizeof(ndl_lint_stats),
			     .header = on_header, .row = on_row, .emit = on_emit};
	ndl_error err;
	return ndl_csv_run(lex, fd, "fuzz.csv", &opt, &h, &err);
}

static int same(const run *a, const run *b)
{
	return a->all.len == b->all.len &&
	       (a->all.len == 0 || memcmp(a->all.data, b->all.data, a->all.len) == 0);
}

static int by_offset(const void *a, const void *b)
{
	const ndl_fix *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Is s[0, n) what a claim says: a day, or the tag with or without one? */
static int is_claim(const uint8_t *s, size_t n)
{
	size_t i = 0;
	if (n >= 19 && strncasecmp((const char *)s, "post-procedure-safe", 19) == 0) {
		if (n == 19)
			return 1;
		if (s[19] != ':')
			return 0;
		i = 20;
	}
	if (i == n)
		return 0;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (lex == NULL) {
		ndl_error err;
		if ((lex = ndl_lexicon_open(NULL, &err)) == NULL ||
		    (chk[0] = ndl_checker_new(lex)) == NULL ||
		    (chk[1] = ndl_checker_new(lex)) == NULL)
			abort();
	}
	size_t block_bytes = size ? (size_t)data[size - 1] % 256 + 1 : 1;
	unsigned pick = size ? data[size / 2] : 0;
	run one = {.opt = {.fix = 1, .suggest = 1}, .counting = 1};
	run whole = {.opt = one.opt}, two = {.opt = one.opt};
	int a = lint(data, size, 1, block_bytes, &one);
	if (pick % 4 == 0 && (lint(data, size, 1, 65536, &whole) != a || !same(&one, &whole)))
		abort(); /* blocks changed the output */
	if (pick % 8 == 1 && (lint(data, size, 2, block_bytes, &two) != a || !same(&one, &two)))
		abort(); /* threads changed the output */
	if (a == 0 && one.stats.fixed != one.nfixes)
		abort();
	if (one.nfixes)
		qsort(one.fixes, one.nfixes, sizeof(*one.fixes), by_offset);
	ndl_buf fixed = {0};
	uint64_t at = 0;
	for (size_t i = 0; i < one.nfixes; i++) {
		const ndl_fix *f = &one.fixes[i];
		if (f->offset < at || f->offset + f->len > size ||
		    !is_claim(data + f->offset, f->len))
			abort(); /* a fix overlaps, runs past the end or misses */
		ndl_buf_append(&fixed, (const char *)data + at, (size_t)(f->offset - at));
		ndl_buf_puts(&fixed, f->text);
		at = f->offset + f->len;
	}
	if (one.nfixes) {
		ndl_buf_append(&fixed, (const char *)data + at, (size_t)(size - at));
		run again = {.counting = 1};
		if (lint((const uint8_t *)fixed.data, fixed.len, 1, 65536, &again) != 0 ||
		    again.wrong != one.wrong)
			abort(); /* a fixed claim is still wrong */
		ndl_buf_free(&again.all);
	}
	ndl_buf_free(&fixed);
	ndl_buf_free(&one.all);
	ndl_buf_free(&whole.all);
	ndl_buf_free(&two.all);
	free(one.fixes);
	return 0;
}
