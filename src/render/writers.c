/* The writers by format name: each format's functions in the one shape
 * every output has (needlecheck.h, "writers"). */
#include <string.h>

#include "base/util.h"
#include "needlecheck.h"
#include "render/render.h"

/* The entry of table (n entries of size bytes, each starting with its
 * name) named name, or NULL. */
static const void *by_name(const void *table, size_t n, size_t size,
			   const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *const *entry =
			(const void *)((const char *)table + i * size);
		if (strcmp(*entry, name) == 0)
			return entry;
	}
	return NULL;
}

/* ------------------------------------------------------------ records */

static void text_record(ndl_buf *out, const ndl_write_options *o,
			const ndl_record *rec, const ndl_result *r)
{
	ndl_write_text(out, rec, r, o->flags);
}

static void summary(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_summary(out, o->lex, o->stats, o->flags);
}

static void table_begin(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_table_header(out, o->flags);
}

static void table_record(ndl_buf *out, const ndl_write_options *o,
			 const ndl_record *rec, const ndl_result *r)
{
	ndl_write_table_row(out, rec, r, o->flags);
}

static void json_record(ndl_buf *out, const ndl_write_options *o,
			const ndl_record *rec, const ndl_result *r)
{
	(void)o;
	ndl_write_json(out, rec, r);
}

/* The array's "[\n" is the first record's separator: none without any. */
static void json_end(ndl_buf *out, const ndl_write_options *o)
{
	ndl_buf_puts(out, o->stats->products ? "\n]\n" : "[]\n");
}

static void ndjson_record(ndl_buf *out, const ndl_write_options *o,
			  const ndl_record *rec, const ndl_result *r)
{
	(void)o;
	ndl_write_json(out, rec, r);
	ndl_buf_puts(out, "\n");
}

static void json_summary(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_summary_json(out, o->lex, o->stats, o->when);
}

static void csv_begin(ndl_buf *out, const ndl_write_options *o)
{
	(void)o;
	ndl_write_csv_header(out);
}

static void csv_record(ndl_buf *out, const ndl_write_options *o,
		       const ndl_record *rec, const ndl_result *r)
{
	(void)o;
	ndl_write_csv(out, rec, r);
}

static void csv_summary(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_summary_csv(out, o->lex, o->stats);
}

static void html_begin(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_html_catalogue_begin(out, o->lex, o->stats, o->when, o->flags,
				       o->photo_views, o->photo_views_len);
}

static void html_record(ndl_buf *out, const ndl_write_options *o,
			const ndl_record *rec, const ndl_result *r)
{
	ndl_write_html_catalogue_row(out, rec, r, o->flags);
}

static void html_end(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_html_catalogue_end(out, o->lex, o->stats, o->flags);
}

static const ndl_record_writer record_writers[] = {
	{.name = "text", .first = "", .between = "\n", .catalogue = "table",
	 .record = text_record, .summary = summary},
	{.name = "table", .first = "", .between = "",
	 .how = NDL_WRITE_BEGIN_AT_FIRST | NDL_WRITE_NO_REASONS | NDL_WRITE_NO_POSITIONS,
	 .begin = table_begin, .record = table_record, .end = summary,
	 .summary = summary},
	{.name = "json", .first = "[\n", .between = ",\n", .record = json_record,
	 .end = json_end, .summary = json_summary},
	{.name = "ndjson", .first = "", .between = "", .record = ndjson_record,
	 .summary = json_summary},
	{.name = "csv", .first = "", .between = "",
	 .how = NDL_WRITE_NO_REASONS | NDL_WRITE_NO_POSITIONS, .begin = csv_begin,
	 .record = csv_record, .summary = csv_summary},
	{.name = "html", .first = "", .between = "", .how = NDL_WRITE_COUNTS_FIRST,
	 .begin = html_begin, .record = html_record, .end = html_end},
};

const ndl_record_writer *ndl_record_writer_find(const char *name)
{
	return by_name(record_writers, NDL_ARRAY_LEN(record_writers), sizeof(record_writers[0]), name);
}

/* --------------------------------------------------------------- plans */

static void plan_text(ndl_buf *out, const ndl_write_options *o,
		      const ndl_plan *plan)
{
	ndl_write_plan_text(out, plan, o->flags);
}

#define PLAN_WRITER(fn)                                                       \
	static void plan_##fn(ndl_buf *out, const ndl_write_options *o,     \
			      const ndl_plan *plan)                         \
	{                                                                     \
		(void)o;                                                      \
		ndl_write_plan_##fn(out, plan);                               \
	}
PLAN_WRITER(markdown)
PLAN_WRITER(json)

/* the page and its Today block: each photo's view after the block */
static void plan_html(ndl_buf *out, const ndl_write_options *o,
		      const ndl_plan *plan)
{
	ndl_write_plan_html(out, plan, o->photo_views, o->photo_views_len);
}

static void plan_today_html(ndl_buf *out, const ndl_write_options *o,
			    const ndl_plan *plan)
{
	ndl_write_plan_today_html(out, plan, o->photo_views, o->photo_views_len);
}

static const ndl_plan_writer plan_writers[] = {
	{"text", plan_text},   {"markdown", plan_markdown},
	{"json", plan_json},   {"html", plan_html},
	{"today-html", plan_today_html},
};

const ndl_plan_writer *ndl_plan_writer_find(const char *name)
{
	return by_name(plan_writers, NDL_ARRAY_LEN(plan_writers), sizeof(plan_writers[0]), name);
}

/* --------------------------------------------------------- diagnostics */

static void gcc_diagnostic(ndl_buf *out, const ndl_write_options *o,
			   const ndl_diagnostic *d)
{
	ndl_write_gcc(out, d, o->flags);
}

static void github_diagnostic(ndl_buf *out, const ndl_write_options *o,
			      const ndl_diagnostic *d)
{
	(void)o;
	ndl_write_github(out, d);
}

static void sarif_begin(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_sarif_begin(out, o->lex);
}

static void sarif_diagnostic(ndl_buf *out, const ndl_write_options *o,
			     const ndl_diagnostic *d)
{
	(void)o;
	ndl_write_sarif_result(out, d);
}

static void sarif_end(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_sarif_end(out, o->successful);
}

static void lint_json_begin(ndl_buf *out, const ndl_write_options *o)
{
	(void)o;
	ndl_write_lint_json_begin(out);
}

static void lint_json_diagnostic(ndl_buf *out, const ndl_write_options *o,
				 const ndl_diagnostic *d)
{
	(void)o;
	ndl_write_lint_json(out, d);
}

static void lint_json_end(ndl_buf *out, const ndl_write_options *o)
{
	ndl_write_lint_json_end(out, o->lint_stats);
}

static const ndl_lint_writer lint_writers[] = {
	{.name = "gcc", .first = "", .between = "", .diagnostic = gcc_diagnostic},
	{.name = "github", .first = "", .between = "",
	 .diagnostic = github_diagnostic},
	{.name = "sarif", .first = "\n", .between = ",\n", .document = 1,
	 .begin = sarif_begin, .diagnostic = sarif_diagnostic, .end = sarif_end},
	{.name = "json", .first = "\n", .between = ",\n", .document = 1,
	 .begin = lint_json_begin, .diagnostic = lint_json_diagnostic,
	 .end = lint_json_end},
};

const ndl_lint_writer *ndl_lint_writer_find(const char *name)
{
	return by_name(lint_writers, NDL_ARRAY_LEN(lint_writers), sizeof(lint_writers[0]), name);
}
