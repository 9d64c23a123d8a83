/* libFuzzer: the catalogue lint on any bytes, through every writer. Each
 * fix replaces a claim (digits or a post-procedure-safe tag) and no two
 * overlap; once the fixes are applied, linting again finds only the wrong
 * claims that had no fix. Inputs are read in blocks of 1 to 256 bytes
 * (the last byte says); one in four (the middle byte says) is read again
 * in one block of 64 KiB: the diagnostics must be the same. The lexicon
 * and the checker are made once per process; the reader starts no
 * thread. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "input_fd.h"
#include "needlecheck_input.h"

typedef struct run {
	ndl_lint_options opt;
	ndl_lint_columns cols;
	ndl_lint_stats stats;
	ndl_buf all;
	int counting;   /* the first reading only: the counts below */
	ndl_fix *fixes;
	size_t nfixes;
	unsigned long wrong; /* wrong claims left as errors */
} run;

static void on_diagnostic(void *ctx, const ndl_diagnostic *d)
{
	run *r = ctx;
	static const char *const formats[] = {"gcc", "github", "sarif", "json"};
	ndl_write_options wo = {0};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		ndl_lint_writer_find(formats[i])->diagnostic(&r->all, &wo, d);
	if (!r->counting)
		return;
	if (d->class_id && !d->suppressed_by && d->severity == NDL_ERROR)
		r->wrong++;
	if (d->fix && r->opt.fix) {
		r->fixes = realloc(r->fixes, (r->nfixes + 1) * sizeof(ndl_fix));
		if (r->fixes == NULL)
			abort();
		r->fixes[r->nfixes++] = *d->fix;
	}
}

static const ndl_lexicon *lex;
static ndl_checker *chk;

/* Lints the input read in blocks of block_bytes: 0, or -1 when the
 * reader refused it. */
static int lint(const uint8_t *data, size_t size, size_t block_bytes, run *r)
{
	int fd = input_fd(data, size);
	ndl_csv_options opt = {.block_bytes = block_bytes};
	ndl_error err;
	ndl_csv_reader *rd = ndl_csv_open(lex, fd, "fuzz.csv", &opt, &err);
	if (rd == NULL ||
	    ndl_lint_columns_find(lex, ndl_csv_header_of(rd), &r->opt, "fuzz.csv",
				  &r->cols, &err) != 0) {
		ndl_csv_close(rd);
		return -1;
	}
	ndl_csv_row row;
	int rc;
	while ((rc = ndl_csv_next(rd, &row, &err)) == 1)
		if (ndl_lint_row(chk, &r->opt, &r->cols, "fuzz.csv", &row, &r->stats,
				 on_diagnostic, r))
			abort();
	ndl_csv_close(rd);
	return rc;
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
		    (chk = ndl_checker_new(lex)) == NULL)
			abort();
	}
	size_t block_bytes = size ? (size_t)data[size - 1] % 256 + 1 : 1;
	unsigned pick = size ? data[size / 2] : 0;
	run one = {.opt = {.fix = 1, .suggest = 1}, .counting = 1};
	run whole = {.opt = one.opt};
	int a = lint(data, size, block_bytes, &one);
	if (pick % 4 == 0 && (lint(data, size, 65536, &whole) != a || !same(&one, &whole)))
		abort(); /* blocks changed the output */
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
		if (lint((const uint8_t *)fixed.data, fixed.len, 65536, &again) != 0 ||
		    again.wrong != one.wrong)
			abort(); /* a fixed claim is still wrong */
		ndl_buf_free(&again.all);
	}
	ndl_buf_free(&fixed);
	ndl_buf_free(&one.all);
	ndl_buf_free(&whole.all);
	free(one.fixes);
	return 0;
}
