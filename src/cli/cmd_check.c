/* needlecheck check: a verdict per product, from text files, standard
 * input or CSV inventories. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/pool.h"

typedef struct run {
	options *o;
	const ndl_lexicon *lex;
	ndl_checker *chk; /* for text input */
	pool *pool;       /* for CSV: made for the first */
	ndl_when when;
	const ndl_record_writer *w;    /* the format's */
	const ndl_record_writer *rows; /* a CSV inventory's rows' */
	unsigned flags;                /* the writers' (NDL_TEXT_*, NDL_HTML_*) */
	int begun[2];                  /* w's begin written, rows' (when
					  another writer) */
	ndl_buf out;
	ndl_stats stats;
	unsigned long records; /* written, for the JSON separators */
	int status;
	const char *source; /* of the CSV being read */
	double started;     /* for the progress line */
	int progress;       /* 1: may show it; 2: shown */
	FILE *html_rows;    /* --format html: the table, until the counts
			       that come before it are known */
	char html_path[4096]; /* where it is (unlinked), for messages */
	int html_errno;     /* why it could not be kept: no page then */
	unsigned long html_listed; /* rows kept for it */
	int csv_seen;       /* a CSV was read: the summary follows */
	ndl_buf photo_views; /* --format html: each photo's, before the charts */
} run;

static ndl_write_options write_options(const run *r, const ndl_stats *st)
{
	return (ndl_write_options){.lex = r->lex, .when = r->when,
				   .flags = r->flags, .stats = st};
}

/* One record in the chosen format, after those already in out (records
 * are separated there; emit_records separates the buffers). */
static void write_record(const run *r, ndl_buf *out, ndl_stats *st,
			 const ndl_record *rec, const ndl_result *res, int csv_row)
{
	ndl_stats_add(st, res, rec->when);
	if (r->o->quiet || r->o->summary)
		return;
	const ndl_record_writer *w = csv_row ? r->rows : r->w;
	ndl_write_options wo = write_options(r, st);
	if (out->len)
		ndl_buf_puts(out, w->between);
	w->record(out, &wo, rec, res);
}

/* The begin of w (the format's writer or the rows'), once. */
static void begin(run *r, const ndl_record_writer *w)
{
	int *done = &r->begun[w != r->w];
	if (*done || w->begin == NULL)
		return;
	ndl_buf head = {0};
	ndl_write_options wo = write_options(r, &r->stats);
	w->begin(&head, &wo);
	write_out(head.data, head.len);
	ndl_buf_free(&head);
	*done = 1;
}

/* How much of a block of HTML rows the page still lists: the rows up to
 * NDL_HTML_MAX_ROWS in all. A row ends with "</tr>\n", and nothing else
 * does (the text in it is escaped). */
static size_t rows_listed(run *r, const char *s, size_t n)
{
	size_t end = 0;
	for (size_t i = 0; i < n && r->html_listed < NDL_HTML_MAX_ROWS; i++) {
		if (s[i] != '\n' || i < 5 || memcmp(s + i - 5, "</tr>", 5) != 0)
			continue;
		end = i + 1;
		r->html_listed++;
	}
	return end;
}

/* Writes n records (what out holds): after those written, the writer's
 * separator; after its begin when that waits for a first record. */
static void emit_records(run *r, const ndl_buf *out, unsigned long n, int table)
{
	const ndl_record_writer *w = table ? r->rows : r->w;
	if (r->html_rows) {
		size_t len = rows_listed(r, out->data, out->len);
		errno = 0;
		if (!r->html_errno && len &&
		    fwrite(out->data, 1, len, r->html_rows) != len)
			r->html_errno = errno ? errno : EIO;
		r->records += n;
		return;
	}
	if (out->len > 0) {
		begin(r, w);
		const char *sep = r->records ? w->between : w->first;
		write_out(sep, strlen(sep));
	}
	write_out(out->data, out->len);
	r->records += n;
}

/* What a product is checked for: no reasons, no positions, when no
 * record shows them. */
static unsigned product_flags(const run *r, const ndl_record_writer *w)
{
	if (r->o->quiet || r->o->summary)
		return NDL_PRODUCT_NO_REASONS | NDL_PRODUCT_NO_POSITIONS;
	return (w->how & NDL_WRITE_NO_REASONS ? NDL_PRODUCT_NO_REASONS : 0) |
	       (w->how & NDL_WRITE_NO_POSITIONS ? NDL_PRODUCT_NO_POSITIONS : 0);
}

static void check_text(run *r, const char *source, const char *data, size_t len)
{
	text_products tp = {0};
	ndl_product p = {0};
	unsigned long row = 0;
	while (next_text_product(r->o, data, len, &tp, &p)) {
		p.flags = product_flags(r, r->w);
		const ndl_result *res = ndl_check(r->chk, &p);
		if (res == NULL)
			out_of_memory();
		row++;
		ndl_record rec = {.source = source, .row = row, .line = p.line,
				  .name = p.name, .name_len = p.name_len,
				  .when = r->when};
		r->out.len = 0;
		write_record(r, &r->out, &r->stats, &rec, res, 0);
		emit_records(r, &r->out, 1, 0);
	}
}

/* A photo of a label: the list found on it, checked, with the boxes of
 * its findings on the photo and, for a person, the list as read. */
static void check_photo(run *r, const char *source, const char *data, size_t len)
{
	ndl_photo_page pr;
	if (read_photo_input(r->o, source, data, len, &pr) != 0) {
		r->status = 2;
		return;
	}
	if (r->o->name) {
		pr.product.name = r->o->name;
		pr.product.name_len = strlen(r->o->name);
	}
	const ndl_result *res = ndl_check(r->chk, &pr.product);
	if (res == NULL)
		out_of_memory();
	res = ndl_photo_judge(&pr, r->chk, res);
	ndl_box *boxes = photo_boxes(&pr, res);
	if (boxes == NULL)
		out_of_memory();
	ndl_record_photo photo = {.confidence = pr.confidence, .engine = pr.engine,
				  .skipped = pr.skipped, .boxes = boxes};
	ndl_record rec = {.source = source, .row = 1, .line = 1,
			  .name = r->o->name, .name_len = r->o->name ? strlen(r->o->name) : 0,
			  .when = r->when, .photo = &photo};
	r->out.len = 0;
	write_record(r, &r->out, &r->stats, &rec, res, 0);
	if (r->o->format == FMT_TEXT && !r->o->quiet && !r->o->summary)
		write_photo_text(&r->out, &pr);
	if (r->o->format == FMT_HTML && !r->o->quiet && !r->o->summary)
		write_photo_view(&r->photo_views, &rec, res, &pr, data, len);
	emit_records(r, &r->out, 1, 0);
	free(boxes);
	ndl_photo_read_free(&pr);
}

/* CSV: a row, on a worker of the pool. */
static void csv_row(void *ctx, ndl_checker *chk, const ndl_csv_row *row,
		    ndl_buf *out, void *block_data)
{
	run *r = ctx;
	ndl_product p = row->product;
	p.flags = product_flags(r, r->rows);
	const ndl_result *res = ndl_check(chk, &p);
	if (res == NULL) {
		out->failed = 1;
		return;
	}
	ndl_record rec = {.source = r->source, .row = row->row, .line = row->line,
			  .name = row->product.name, .name_len = row->product.name_len,
			  .id = row->id, .id_len = row->id_len, .error = row->error,
			  .brand = row->brand, .brand_len = row->brand_len,
			  .when = r->when};
	write_record(r, out, block_data, &rec, res, 1);
}

static int csv_emit(void *ctx, const ndl_buf *out, const ndl_buf *warnings,
		    void *block_data)
{
	run *r = ctx;
	ndl_stats *st = block_data;
	if (warnings->len) {
		if (r->progress == 2)
			fputs("\r\033[K", stderr);
		say_lines(warnings->data, warnings->len, 1);
	}
	emit_records(r, out, st->products, 1);
	ndl_stats_merge(&r->stats, st);
	return write_failed || r->html_errno;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* On a terminal, inputs that take more than a second show where they are. */
static void csv_progress(void *ctx, unsigned long rows, uint64_t bytes, uint64_t total)
{
	run *r = ctx;
	if (!r->progress)
		return;
	double t = now_seconds() - r->started;
	if (t < 1.0)
		return;
	ndl_buf line = {0};
	ndl_buf_puts(&line, "\r");
	ndl_term_text(&line, r->source, strlen(r->source), 0);
	ndl_buf_printf(&line, ": %lu rows, %.0f rows/s", rows, rows / t);
	if (total)
		ndl_buf_printf(&line, ", %.0f%%", 100.0 * (double)bytes / (double)total);
	fwrite(line.data, 1, line.len, stderr);
	ndl_buf_free(&line);
	r->progress = 2;
}

static void csv_header(run *r, const ndl_csv_header *h)
{
	warn_one_column(r->source, h);
	if (h->brand != NDL_NO_COLUMN && r->o->format == FMT_HTML)
		r->flags |= NDL_HTML_BRAND; /* the page's Brand column */
}

static void check_csv(run *r, int fd, const char *source, int tsv)
{
	if (r->pool == NULL && (r->pool = pool_new(r->lex, r->o->jobs)) == NULL)
		out_of_memory();
	ndl_csv_options opt = r->o->csv;
	if (tsv && opt.delimiter == 0)
		opt.delimiter = '\t';
	if (opt.block_bytes == 0)
		opt.block_bytes = pool_block_bytes(r->pool);
	pool_ops ops = {.ctx = r, .block_data_size = sizeof(ndl_stats),
			.row = csv_row, .emit = csv_emit, .progress = csv_progress};
	ndl_error err = {0};
	r->source = source;
	r->started = now_seconds();
	r->progress = isatty(2) && !r->o->quiet;
	unsigned long before = r->stats.products;
	r->csv_seen = 1;
	ndl_csv_reader *rd = ndl_csv_open(r->lex, fd, source, &opt, &err);
	int rc = -1;
	if (rd) {
		csv_header(r, ndl_csv_header_of(rd));
		rc = pool_run(r->pool, rd, source, &ops, &err);
		ndl_csv_close(rd);
	}
	if (r->progress == 2)
		fputs("\r\033[K", stderr);
	if (rc != 0 && !write_failed && !r->html_errno) {
		say_error(&err);
		r->status = 2;
	} else if (rc == 0 && r->stats.products == before) {
		say_warning("%s: warning: no data rows", source);
	}
}

static void check_file(run *r, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *source = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? 0 : open(path, O_RDONLY);
	ndl_error err = {0};
	if (fd < 0) {
		say("%s: %s", path, strerror(errno));
		r->status = 2;
		return;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		say("%s: is a directory", path);
		r->status = 2;
		close(fd);
		return;
	}
	if (input_is_csv(r->o, path)) {
		check_csv(r, fd, source, !is_stdin && has_suffix(path, ".tsv"));
	} else {
		char *data;
		size_t len;
		if (ndl_read_fd(fd, source, MAX_TEXT_INPUT, &data, &len, &err) != 0) {
			say_error(&err);
			r->status = 2;
		} else if (input_is_photo(r->o, data, len)) {
			check_photo(r, source, data, len);
			free(data);
		} else {
			decode_text_input(source, &data, &len);
			int csv = is_stdin ? stdin_csv_fd(r->o, r->lex, data, len) : -1;
			if (csv >= 0) {
				free(data);
				check_csv(r, csv, source, 0);
				close(csv);
			} else {
				check_text(r, source, data, len);
				free(data);
			}
		}
	}
	if (!is_stdin)
		close(fd);
}

/* An unnamed temporary file in $TMPDIR (or /tmp), gone when closed;
 * its name (or the directory, when it cannot be made) stays in path for
 * messages. */
static FILE *temporary_file(char *path, size_t cap)
{
	const char *dir = getenv("TMPDIR");
	dir = dir && *dir ? dir : "/tmp";
	snprintf(path, cap, "%s/needlecheck-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		int e = errno;
		snprintf(path, cap, "%s", dir);
		errno = e;
		return NULL;
	}
	unlink(path);
	FILE *f = fdopen(fd, "w+");
	if (f == NULL)
		close(fd);
	return f;
}

/* The HTML page: the counts and charts, then the rows kept aside. A
 * table that could not be kept whole (a full $TMPDIR) gives no page at
 * all rather than one that looks complete. */
static void write_html(run *r)
{
	if (r->html_rows && !r->html_errno &&
	    (fflush(r->html_rows) != 0 || fseek(r->html_rows, 0, SEEK_SET) != 0))
		r->html_errno = errno ? errno : EIO;
	if (r->html_errno) {
		say("%s: the page's table could not be kept in this temporary "
		    "file: %s; no page written (set TMPDIR to a directory "
		    "with room)", r->html_path, strerror(r->html_errno));
		r->status = 2;
		return;
	}
	ndl_write_options wo = write_options(r, &r->stats);
	wo.photo_views = r->photo_views.data;
	wo.photo_views_len = r->photo_views.len;
	r->out.len = 0;
	r->w->begin(&r->out, &wo);
	write_out(r->out.data, r->out.len);
	if (r->html_rows) {
		char buf[1 << 16];
		size_t n;
		while (!write_failed && (n = fread(buf, 1, sizeof(buf), r->html_rows)) > 0)
			write_out(buf, n);
		if (ferror(r->html_rows)) {
			say("%s: cannot read the temporary file back: %s; the page "
			    "is incomplete", r->html_path, strerror(errno));
			r->status = 2;
			return;
		}
	}
	r->out.len = 0;
	r->w->end(&r->out, &wo);
	write_out(r->out.data, r->out.len);
}

/* The flags of the format's writers: NDL_HTML_* for the page, else
 * NDL_TEXT_*. */
static unsigned writer_flags(const options *o, int nfiles, int any_csv)
{
	if (o->format == FMT_HTML)
		return (o->when_kind ? 0 : NDL_HTML_DAY_ASSUMED) |
		       (nfiles > 1 ? NDL_HTML_SOURCE : 0) |
		       (o->summary ? NDL_HTML_SUMMARY : 0) |
		       (any_csv ? 0 : NDL_HTML_PRODUCTS);
	const char *nc = getenv("NO_COLOR");
	int colour = o->color >= 0 ? o->color
				   : isatty(1) && !(nc && *nc);
	return (colour ? NDL_TEXT_COLOR : 0) |
	       (o->when_kind ? 0 : NDL_TEXT_DAY_ASSUMED) |
	       (nfiles > 1 || o->per_line ? NDL_TEXT_HEADER : 0) |
	       NDL_TEXT_WIDTH(terminal_width());
}

int cmd_check(options *o, int nfiles, char **files)
{
	run r = {.o = o};
	if (resolve_when(o, &r.when))
		return 2;
	ndl_lexicon *lex = open_lexicon(o);
	if (lex == NULL)
		return 2;
	r.lex = lex;
	r.chk = ndl_checker_new(lex);
	if (r.chk == NULL) {
		ndl_lexicon_free(lex);
		out_of_memory();
	}
	int any_csv = nfiles == 0 && input_is_csv(o, "-");
	for (int i = 0; i < nfiles; i++)
		any_csv |= input_is_csv(o, files[i]);
	r.w = ndl_record_writer_find(format_name(o->format));
	r.rows = r.w->catalogue ? ndl_record_writer_find(r.w->catalogue) : r.w;
	r.flags = writer_flags(o, nfiles, any_csv);
	int print = !o->quiet && !o->summary;
	int kept = r.w->how & NDL_WRITE_COUNTS_FIRST;
	if (print && kept &&
	    (r.html_rows = temporary_file(r.html_path, sizeof(r.html_path))) == NULL) {
		say("%s: cannot make a temporary file there for the page's "
		    "table: %s", r.html_path, strerror(errno));
		ndl_checker_free(r.chk);
		ndl_lexicon_free(lex);
		return 2;
	}
	if (print && !kept && !(r.w->how & NDL_WRITE_BEGIN_AT_FIRST))
		begin(&r, r.w);
	if (nfiles == 0)
		check_file(&r, "-");
	for (int i = 0; i < nfiles; i++)
		check_file(&r, files[i]);
	/* no counts for an input that could not be read at all */
	int counted = r.stats.products > 0 || r.status == 0;
	if (!o->quiet && kept) {
		if (counted)
			write_html(&r);
	} else if (!o->quiet) {
		ndl_write_options wo = write_options(&r, &r.stats);
		r.out.len = 0;
		if (o->summary && counted && r.w->summary)
			r.w->summary(&r.out, &wo);
		if (!o->summary && r.w->end)
			r.w->end(&r.out, &wo);
		/* the catalogue's end (its summary) */
		if (!o->summary && r.rows != r.w && (any_csv || r.csv_seen) &&
		    counted && r.rows->end)
			r.rows->end(&r.out, &wo);
		write_out(r.out.data, r.out.len);
	}
	ndl_buf_free(&r.out);
	ndl_buf_free(&r.photo_views);
	if (r.html_rows)
		fclose(r.html_rows);
	ndl_checker_free(r.chk);
	pool_free(r.pool);
	ndl_lexicon_free(lex);
	int w = finish_output();
	if (w)
		return w;
	if (r.status)
		return r.status;
	for (int v = o->fail_on; v <= NDL_VERDICT_AVOID; v++)
		if (r.stats.verdicts[v])
			return 1;
	return 0;
}

