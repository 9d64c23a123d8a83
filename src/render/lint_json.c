/* --format json of lint: every diagnostic as a JSON object, suppressed
 * ones included, then the counts of the summary line. */
#include <string.h>

#include "needlecheck.h"
#include "render/render.h"

static void string_or_null(ndl_buf *out, const char *s, size_t n)
{
	if (s)
		ndl_json_string(out, s, n);
	else
		ndl_buf_puts(out, "null");
}

static void day_or_null(ndl_buf *out, int day)
{
	if (day >= 0)
		ndl_buf_printf(out, "%d", day);
	else
		ndl_buf_puts(out, "null");
}

void ndl_write_lint_json_begin(ndl_buf *out)
{
	ndl_buf_puts(out, "{\"diagnostics\":[");
}

void ndl_write_lint_json(ndl_buf *out, const ndl_diagnostic *d)
{
	ndl_buf_puts(out, "{\"file\":");
	ndl_json_string(out, d->source, strlen(d->source));
	ndl_buf_printf(out, ",\"line\":%lu,\"column\":%u,\"severity\":\"%s\",\"rule\":",
		       d->line, d->column, ndl_severity_name(d->severity));
	ndl_json_string(out, d->check, strlen(d->check));
	ndl_buf_puts(out, ",\"message\":");
	ndl_json_string(out, d->message, strlen(d->message));
	ndl_buf_puts(out, ",\"row\":");
	if (d->row)
		ndl_buf_printf(out, "%lu", d->row);
	else
		ndl_buf_puts(out, "null");
	ndl_buf_puts(out, ",\"name\":");
	string_or_null(out, d->name, d->name_len);
	ndl_buf_puts(out, ",\"id\":");
	string_or_null(out, d->id, d->id_len);
	ndl_buf_puts(out, ",\"ingredient\":");
	string_or_null(out, d->ingredient, d->ingredient_len);
	ndl_buf_puts(out, ",\"class\":");
	string_or_null(out, d->class_id, d->class_id ? strlen(d->class_id) : 0);
	ndl_buf_puts(out, ",\"claimed_day\":");
	day_or_null(out, d->claimed_day);
	ndl_buf_puts(out, ",\"safe_from_day\":");
	day_or_null(out, d->safe_from_day);
	ndl_buf_puts(out, ",\"suppressed_by\":");
	string_or_null(out, d->suppressed_by,
		       d->suppressed_by ? strlen(d->suppressed_by) : 0);
	ndl_buf_puts(out, ",\"fix\":");
	if (d->fix) {
		ndl_buf_printf(out, "{\"offset\":%llu,\"length\":%zu,\"text\":",
			       (unsigned long long)d->fix->offset, d->fix->len);
		ndl_json_string(out, d->fix->text, strlen(d->fix->text));
		ndl_buf_printf(out, ",\"applied\":%s}",
			       d->severity == NDL_NOTE ? "true" : "false");
	} else {
		ndl_buf_puts(out, "null");
	}
	ndl_buf_puts(out, "}");
}

void ndl_write_lint_json_end(ndl_buf *out, const ndl_lint_stats *s)
{
	ndl_buf_printf(out,
		       "\n],\"summary\":{\"files\":%lu,\"products\":%lu,"
		       "\"claims\":%lu,\"errors\":%lu,\"warnings\":%lu,"
		       "\"notes\":%lu,\"suppressed\":%lu,\"fixed\":%lu}}\n",
		       s->files, s->products, s->claims, s->errors, s->warnings,
		       s->notes, s->suppressed, s->fixed);
}
