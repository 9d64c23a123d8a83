/* needlecheck lint: a catalogue's claims against its ingredients, for
 * pre-commit hooks and CI. Diagnostics go to standard output in the
 * chosen format, one summary line ends the report. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/fix.h"
#include "cli/pool.h"

typedef struct lint_run {
	options *o;
	const ndl_lexicon *lex;
	pool *pool;
	ndl_lint_columns cols;
	const char *source;
	const ndl_lint_writer *w;
	ndl_write_options wo;
	int written;   /* some diagnostic is out: the writer's separators */
	ndl_lint_stats stats;
	/* --fix: the edits of the file being read; rows come from the
	 * pool's threads */
	pthread_mutex_t fix_lock;
	ndl_fix *fixes;
	size_t nfixes, cap_fixes;
	int fix_failed;
} lint_run;

/* What a row handler writes to: its block's buffer. */
typedef struct sink {
	lint_run *r;
	ndl_buf *out;
} sink;

static void write_diagnostic(void *ctx, const ndl_diagnostic *d)
{
	sink *s = ctx;
	lint_run *r = s->r;
	if (r->o->lint.fix && d->fix) {
		pthread_mutex_lock(&r->fix_lock);
		if (r->nfixes == r->cap_fixes) {
			size_t cap = r->cap_fixes ? 2 * r->cap_fixes : 16;
			ndl_fix *f = realloc(r->fixes, cap * sizeof(*f));
			if (f) {
				r->fixes = f;
				r->cap_fixes = cap;
			}
		}
		if (r->nfixes < r->cap_fixes)
			r->fixes[r->nfixes++] = *d->fix;
		else
			r->fix_failed = 1;
		pthread_mutex_unlock(&r->fix_lock);
	}
	if (r->o->quiet || r->o->summary)
		return;
	if (s->out->len)
		ndl_buf_puts(s->out, r->w->between);
	r->w->diagnostic(s->out, &r->wo, d);
}

/* Writes what a block (or the header) produced, separated from what was
 * written before. */
static void emit_diagnostics(lint_run *r, const ndl_buf *out)
{
	if (out->len == 0)
		return;
	const char *sep = r->written ? r->w->between : r->w->first;
	write_out(sep, strlen(sep));
	write_out(out->data, out->len);
	r->written = 1;
}

static int lint_header(lint_run *r, const ndl_csv_header *h, ndl_error *err)
{
	if (ndl_lint_columns_find(r->lex, h, &r->o->lint, r->source, &r->cols, err))
		return -1;
	if (r->cols.claim == NDL_NO_COLUMN && r->cols.tags == NDL_NO_COLUMN) {
		ndl_diagnostic d;
		ndl_buf out = {0};
		sink s = {r, &out};
		ndl_lint_no_claims(r->source, &d);
		r->stats.warnings++;
		write_diagnostic(&s, &d);
		emit_diagnostics(r, &out);
		ndl_buf_free(&out);
	}
	return 0;
}

static void lint_row(void *ctx, ndl_checker *chk, const ndl_csv_row *row,
		     ndl_buf *out, void *block_data)
{
	lint_run *r = ctx;
	sink s = {r, out};
	if (ndl_lint_row(chk, &r->o->lint, &r->cols, r->source, row, block_data,
			 write_diagnostic, &s))
		out->failed = 1;
}

static int lint_emit(void *ctx, const ndl_buf *out, const ndl_buf *warnings,
		     void *block_data)
{
	lint_run *r = ctx;
	say_lines(warnings->data, warnings->len, 1);
	emit_diagnostics(r, out);
	ndl_lint_stats_add(&r->stats, block_data);
	return write_failed;
}

static int by_offset(const void *a, const void *b)
{
	const ndl_fix *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Opens a catalogue: for --fix through fix_open, which refuses what it
 * could not safely rewrite. Returns the descriptor, or -1 after saying
 * why. */
static int open_catalogue(lint_run *r, const char *path, fix_target *t)
{
	ndl_error err = {0};
	struct stat st;
	if (r->o->lint.fix) {
		if (fix_open(t, path, &err) == 0)
			return t->fd;
		say("%s: %s", path, err.message);
		return -1;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		say("%s: %s", path, strerror(errno));
	} else if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		say("%s: is a directory", path);
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Lints one file; returns 0, or 2 after saying what went wrong. */
static int lint_file(lint_run *r, const char *path)
{
	ndl_error err = {0};
	fix_target target = {.fd = -1};
	int fd = open_catalogue(r, path, &target);
	if (fd < 0)
		return 2;
	ndl_csv_options opt = r->o->csv;
	if (opt.delimiter == 0 && has_suffix(path, ".tsv"))
		opt.delimiter = '\t';
	if (opt.block_bytes == 0)
		opt.block_bytes = pool_block_bytes(r->pool);
	pool_ops ops = {.ctx = r, .block_data_size = sizeof(ndl_lint_stats),
			.row = lint_row, .emit = lint_emit};
	int rc = 0;
	r->source = path;
	r->nfixes = 0;
	ndl_csv_reader *rd = ndl_csv_open(r->lex, fd, path, &opt, &err);
	int read = rd && lint_header(r, ndl_csv_header_of(rd), &err) == 0 &&
		   pool_run(r->pool, rd, path, &ops, &err) == 0;
	ndl_csv_close(rd);
	if (!read) {
		if (!write_failed)
			say_error(&err);
		rc = 2;
	} else if (r->fix_failed) {
		say("%s: out of memory; nothing rewritten", path);
		rc = 2;
	} else {
		r->stats.files++;
		if (r->nfixes) {
			qsort(r->fixes, r->nfixes, sizeof(*r->fixes), by_offset);
			if (fix_apply(&target, r->fixes, r->nfixes, &err)) {
				say_error(&err);
				rc = 2;
			}
		}
	}
	if (r->o->lint.fix)
		fix_close(&target);
	else
		close(fd);
	return rc;
}

int cmd_lint(options *o, int nfiles, char **files)
{
	if (nfiles == 0)
		return usage_error("lint wants the catalogue files to check");
	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") == 0)
			return usage_error("lint reads catalogue files by name (as "
					   "pre-commit and CI pass them), not "
					   "standard input");
	lint_run r = {.o = o};
	ndl_lexicon *lex = open_lexicon(o);
	if (lex == NULL)
		return 2;
	r.lex = lex;
	if ((r.pool = pool_new(lex, o->jobs)) == NULL)
		out_of_memory();
	pthread_mutex_init(&r.fix_lock, NULL);
	const char *nc = getenv("NO_COLOR");
	int colour = o->color >= 0 ? o->color : isatty(1) && !(nc && *nc);
	r.w = ndl_lint_writer_find(format_name(o->format));
	r.wo = (ndl_write_options){.lex = lex, .flags = colour ? NDL_TEXT_COLOR : 0,
				   .lint_stats = &r.stats};
	int document = !o->quiet && !o->summary && r.w->document;
	ndl_buf buf = {0};
	if (document)
		r.w->begin(&buf, &r.wo);
	write_out(buf.data, buf.len);

	int status = 0;
	for (int i = 0; i < nfiles && !write_failed; i++)
		if (lint_file(&r, files[i]))
			status = 2;

	buf.len = 0;
	r.wo.successful = status == 0;
	if (document)
		r.w->end(&buf, &r.wo);
	write_out(buf.data, buf.len);
	buf.len = 0;
	if (!o->quiet) {
		/* the document stays parseable: its summary goes to stderr */
		ndl_write_lint_summary(&buf, &r.stats, &o->lint);
		if (document)
			fwrite(buf.data, 1, buf.len, stderr);
		else
			write_out(buf.data, buf.len);
	}
	ndl_buf_free(&buf);
	free(r.fixes);
	pthread_mutex_destroy(&r.fix_lock);
	pool_free(r.pool);
	ndl_lexicon_free(lex);
	int w = finish_output();
	if (w)
		return w;
	if (status)
		return status;
	return r.stats.errors ? 1 : 0;
}
