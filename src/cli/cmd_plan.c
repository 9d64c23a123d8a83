/* needlecheck plan: the week after the procedure, product by product and
 * day by day, with the article's other advice. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/pool.h"

/* A plan is a week for a shelf, kept whole until it is written (some
 * 2 KB a product): beyond this many products it is refused, and an
 * inventory is for 'check --day N', which streams. */
#define MAX_PLAN_PRODUCTS 10000

typedef struct planner {
	options *o;
	ndl_plan *plan;
	ndl_checker *chk;
	int status;
	int too_many; /* more than MAX_PLAN_PRODUCTS */
	ndl_when when;       /* today's, for the photos' views */
	ndl_buf photo_views; /* --format html: each photo's */
} planner;

/* Is there room for one more product? Says so once when not. */
static int room(planner *pl)
{
	if (ndl_plan_count(pl->plan) < MAX_PLAN_PRODUCTS)
		return 1;
	if (!pl->too_many)
		say("plan: more than %d products; a plan is the week of a shelf "
		    "of products: for an inventory, use 'needlecheck check "
		    "--day N'", MAX_PLAN_PRODUCTS);
	pl->too_many = 1;
	pl->status = 2;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static void add(planner *pl, const ndl_record *rec, const ndl_product *p,
		const char *label)
{
	const ndl_result *r = ndl_check(pl->chk, p);
	if (r == NULL || ndl_plan_add(pl->plan, rec, r, label) != 0)
		out_of_memory();
}

static void plan_text(planner *pl, const char *path, const char *source,
		      const char *data, size_t len)
{
	text_products tp = {0};
	ndl_product p = {0};
	unsigned long row = 0;
	char label[512];
	const char *base = strcmp(path, "-") == 0 ? "standard input" : base_name(path);
	while (next_text_product(pl->o, data, len, &tp, &p) && room(pl)) {
		if (pl->o->per_line)
			snprintf(label, sizeof(label), "%s:%u", base, p.line);
		else
			snprintf(label, sizeof(label), "%s", base);
		ndl_record rec = {.source = source, .row = ++row, .line = p.line,
				  .name = p.name, .name_len = p.name_len};
		add(pl, &rec, &p, label);
	}
}

/* --format html: the photo's view, its verdict today's, as check's page
 * shows it. */
static void photo_view(planner *pl, ndl_record rec, const ndl_result *res,
		       const ndl_photo_page *pr, const char *data, size_t len)
{
	ndl_box *boxes = photo_boxes(pr, res);
	if (boxes == NULL)
		out_of_memory();
	ndl_record_photo photo = {.confidence = pr->confidence, .engine = pr->engine,
				  .skipped = pr->skipped, .boxes = boxes};
	rec.when = pl->when;
	rec.photo = &photo;
	write_photo_view(&pl->photo_views, &rec, res, pr, data, len);
	free(boxes);
}

/* A photo of a label: the list found on it, as the photo allows. */
static void plan_photo(planner *pl, const char *path, const char *source,
		       const char *data, size_t len)
{
	ndl_photo_page pr;
	if (!room(pl))
		return;
	if (read_photo_input(pl->o, source, data, len, &pr) != 0) {
		pl->status = 2;
		return;
	}
	const char *base = strcmp(path, "-") == 0 ? "standard input" : base_name(path);
	ndl_record rec = {.source = source, .row = 1, .line = 1,
			  .name = pl->o->name,
			  .name_len = pl->o->name ? strlen(pl->o->name) : 0};
	if (pl->o->name) {
		pr.product.name = pl->o->name;
		pr.product.name_len = strlen(pl->o->name);
	}
	const ndl_result *r = ndl_check(pl->chk, &pr.product);
	if (r == NULL || (r = ndl_photo_judge(&pr, pl->chk, r)) == NULL ||
	    ndl_plan_add(pl->plan, &rec, r, base) != 0)
		out_of_memory();
	if (pl->o->format == FMT_HTML && !pl->o->quiet)
		photo_view(pl, rec, r, &pr, data, len);
	ndl_photo_read_free(&pr);
}

/* CSV rows, read one at a time (--jobs is not used), into the plan. */
static void plan_csv(planner *pl, int fd, const char *source, int tsv)
{
	ndl_csv_options opt = pl->o->csv;
	if (tsv && opt.delimiter == 0)
		opt.delimiter = '\t';
	ndl_error err = {0};
	ndl_csv_reader *rd = ndl_csv_open(ndl_checker_lexicon(pl->chk), fd, source, &opt, &err);
	ndl_csv_row row;
	int rc = -1;
	if (rd) {
		warn_one_column(source, ndl_csv_header_of(rd));
		while ((rc = ndl_csv_next(rd, &row, &err)) == 1 && room(pl)) {
			say_lines(row.warnings, row.warnings_len, 1);
			ndl_record rec = {.source = source, .row = row.row,
					  .line = row.line, .name = row.product.name,
					  .name_len = row.product.name_len, .id = row.id,
					  .id_len = row.id_len, .error = row.error};
			const ndl_result *r = ndl_check(pl->chk, &row.product);
			if (r == NULL || ndl_plan_add(pl->plan, &rec, r, NULL) != 0)
				out_of_memory();
			pool_renew_checker(&pl->chk, &row);
		}
		ndl_csv_close(rd);
	}
	if (rc < 0 && !pl->too_many) {
		say_error(&err);
		pl->status = 2;
	}
}

static void plan_file(planner *pl, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *source = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? 0 : open(path, O_RDONLY);
	ndl_error err = {0};
	struct stat st;
	if (fd < 0) {
		say("%s: %s", path, strerror(errno));
		pl->status = 2;
		return;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		say("%s: is a directory", path);
		pl->status = 2;
	} else if (input_is_csv(pl->o, path)) {
		plan_csv(pl, fd, source, !is_stdin && has_suffix(path, ".tsv"));
	} else {
		char *data;
		size_t len;
		if (ndl_read_fd(fd, source, MAX_TEXT_INPUT, &data, &len, &err) != 0) {
			say_error(&err);
			pl->status = 2;
		} else if (input_is_photo(pl->o, data, len)) {
			plan_photo(pl, path, source, data, len);
			free(data);
		} else {
			decode_text_input(source, &data, &len);
			int csv = is_stdin ? stdin_csv_fd(pl->o, ndl_checker_lexicon(pl->chk), data, len) : -1;
			if (csv >= 0) {
				free(data);
				plan_csv(pl, csv, source, 0);
				close(csv);
			} else {
				plan_text(pl, path, source, data, len);
				free(data);
			}
		}
	}
	if (!is_stdin)
		close(fd);
}

int cmd_plan(options *o, int nfiles, char **files)
{
	ndl_plan_options popt = {.has_now = o->when_kind != 0};
	if (resolve_when(o, &popt.now))
		return 2;
	if (o->when_kind == 's') {
		/* resolve_when has checked it */
		ndl_parse_datetime(o->since, &popt.procedure);
		popt.dated = 1;
		popt.now_local = o->now_local;
		for (int d = 0; d < NDL_PLAN_DAYS; d++)
			popt.day_start[d] = local_minutes_after(popt.procedure, 24L * d);
	}
	ndl_lexicon *lex = open_lexicon(o);
	if (lex == NULL)
		return 2;
	popt.protocol = ndl_lexicon_protocol(lex);
	ndl_guidance *guidance = open_guidance(o);
	if (guidance == NULL) {
		ndl_lexicon_free(lex);
		return 2;
	}
	popt.guidance = guidance;
	planner pl = {.o = o, .plan = ndl_plan_new(&popt), .chk = ndl_checker_new(lex),
		      .when = popt.now};
	if (pl.plan == NULL || pl.chk == NULL)
		out_of_memory();
	if (nfiles == 0)
		plan_file(&pl, "-");
	for (int i = 0; i < nfiles && !pl.too_many; i++)
		plan_file(&pl, files[i]);

	ndl_buf out = {0};
	if (!o->quiet && !pl.too_many) {
		ndl_write_options wo = {.lex = lex, .when = popt.now,
					.flags = want_colour(o) ? NDL_TEXT_COLOR : 0,
					.photo_views = pl.photo_views.data,
					.photo_views_len = pl.photo_views.len};
		ndl_plan_writer_find(format_name(o->format))->plan(&out, &wo, pl.plan);
		if (out.failed)
			out_of_memory();
		write_out(out.data, out.len);
	}
	int fails = 0;
	for (size_t i = 0; i < ndl_plan_count(pl.plan); i++)
		fails |= (int)ndl_plan_row_at(pl.plan, i)->verdict >= o->fail_on;
	ndl_buf_free(&out);
	ndl_buf_free(&pl.photo_views);
	ndl_plan_free(pl.plan);
	ndl_checker_free(pl.chk);
	ndl_guidance_free(guidance);
	ndl_lexicon_free(lex);
	int w = finish_output();
	return w ? w : pl.status ? pl.status : fails;
}
