/* `plan --format json`: the plan as one object, for scripts and apps.
 *
 *   {"procedure":"2026-11-20T00:00"|null,
 *    "today":{"day":3,"date":…,"use":[label…],"not_yet":[{"label","cell",
 *             "from_day","from"}],"besides":{id:cell,…}}|null,
 *    "days":[{"day":0,"date":"2026-11-20"|null},…],
 *    "products":[{"label","source","row","line","name","days":[cell…],
 *                 "verdict","safe_from_day","because":[…],"error"}],
 *    "guidance":[{"id","label","days":[cell…],"safe_from_day","advice",
 *                 "source"}]}
 *
 * A product's "verdict" is the one of today (day 0 when none is given). */
#include <string.h>

#include "needlecheck.h"
#include "apps/plan.h"
#include "render/render.h"

static void str(ndl_buf *out, const char *s)
{
	if (s)
		ndl_json_string(out, s, strlen(s));
	else
		ndl_buf_puts(out, "null");
}

static void date(ndl_buf *out, const ndl_plan *plan, int day)
{
	ndl_date d;
	if (ndl_plan_date(plan, day, &d) == 0)
		ndl_buf_printf(out, "\"%04d-%02d-%02d\"", d.year, d.month, d.day);
	else
		ndl_buf_puts(out, "null");
}

/* The moment day d starts: the procedure's time of day on its date. */
static void starts(ndl_buf *out, const ndl_plan *plan, int day)
{
	ndl_date d;
	if (ndl_plan_date(plan, day, &d) == 0)
		ndl_buf_printf(out, "\"%04d-%02d-%02dT%02d:%02d\"", d.year, d.month,
			       d.day, d.hour, d.minute);
	else
		ndl_buf_puts(out, "null");
}

static void cells(ndl_buf *out, const ndl_cell *c)
{
	ndl_buf_puts(out, "\"days\":[");
	for (int d = 0; d < NDL_PLAN_DAYS; d++)
		ndl_buf_printf(out, "%s\"%s\"", d ? "," : "", ndl_cell_name(c[d]));
	ndl_buf_puts(out, "]");
}

static void product(ndl_buf *out, const ndl_plan_row *row)
{
	ndl_buf_puts(out, "{\"label\":");
	str(out, row->label);
	ndl_buf_puts(out, ",\"source\":");
	str(out, row->source);
	ndl_buf_printf(out, ",\"row\":%lu,\"line\":%lu,\"name\":", row->row, row->line);
	str(out, row->name);
	ndl_buf_puts(out, ",");
	cells(out, row->cells);
	ndl_buf_printf(out, ",\"verdict\":\"%s\",\"safe_from_day\":",
		       ndl_verdict_name(row->verdict));
	if (row->safe_from_day >= 0)
		ndl_buf_printf(out, "%d", row->safe_from_day);
	else
		ndl_buf_puts(out, "null");
	ndl_buf_puts(out, ",\"because\":[");
	for (size_t k = 0; k < row->nreasons; k++) {
		const ndl_plan_reason *r = &row->reasons[k];
		ndl_buf_puts(out, k ? ",{\"ingredient\":" : "{\"ingredient\":");
		str(out, r->ingredient);
		ndl_buf_puts(out, ",\"classes\":[");
		for (size_t c = 0; c < r->nclasses; c++) {
			ndl_buf_puts(out, c ? "," : "");
			str(out, r->classes[c]);
		}
		ndl_buf_puts(out, "],\"avoid_until_day\":");
		if (r->avoid_until_day >= 0)
			ndl_buf_printf(out, "%d", r->avoid_until_day);
		else
			ndl_buf_puts(out, "null");
		ndl_buf_printf(out, ",\"safe_day\":%d,\"reason\":", r->safe_day);
		str(out, r->note);
		ndl_buf_puts(out, "}");
	}
	ndl_buf_puts(out, "],\"error\":");
	str(out, row->error);
	ndl_buf_puts(out, "}");
}

/* The Today block's lists: labels usable today, the others with the day
 * they may be used from, and the guidance by its cell today. */
static void today(ndl_buf *out, const ndl_plan *plan)
{
	ndl_date d;
	ndl_buf_printf(out, "{\"day\":%d,\"date\":", plan->opt.now.day);
	if (ndl_plan_today_date(plan, &d) == 0)
		ndl_buf_printf(out, "\"%04d-%02d-%02d\"", d.year, d.month, d.day);
	else
		ndl_buf_puts(out, "null");
	for (int usable = 1; usable >= 0; usable--) {
		size_t n = 0;
		ndl_buf_puts(out, usable ? ",\"use\":[" : "],\"not_yet\":[");
		for (size_t i = 0; i < plan->nrows; i++) {
			const ndl_plan_row *row = &plan->rows[i];
			if ((ndl_plan_row_today(plan, row) <= NDL_CELL_SAFE) != usable)
				continue;
			ndl_buf_puts(out, n++ ? "," : "");
			if (usable) {
				str(out, row->label);
				continue;
			}
			int from = ndl_plan_usable_from(plan, row);
			ndl_buf_puts(out, "{\"label\":");
			str(out, row->label);
			ndl_buf_printf(out, ",\"cell\":\"%s\",\"from_day\":",
				       ndl_cell_name(ndl_plan_row_today(plan, row)));
			if (from >= 0)
				ndl_buf_printf(out, "%d,\"from\":", from);
			else
				ndl_buf_puts(out, "null,\"from\":");
			if (from >= 0)
				starts(out, plan, from);
			else
				ndl_buf_puts(out, "null");
			ndl_buf_puts(out, "}");
		}
	}
	ndl_buf_puts(out, "],\"besides\":{");
	const ndl_guidance *g = plan->opt.guidance;
	for (size_t i = 0; g && i < ndl_guidance_count(g); i++) {
		const ndl_advice *a = ndl_guidance_at(g, i);
		ndl_buf_puts(out, i ? "," : "");
		str(out, a->id);
		ndl_buf_printf(out, ":\"%s\"", ndl_cell_name(ndl_plan_advice_today(plan, a)));
	}
	ndl_buf_puts(out, "}}");
}

void ndl_write_plan_json(ndl_buf *out, const ndl_plan *plan)
{
	ndl_buf_puts(out, "{\"procedure\":");
	if (plan->opt.dated) {
		ndl_date d;
		ndl_plan_date(plan, 0, &d);
		ndl_buf_printf(out, "\"%04d-%02d-%02dT%02d:%02d\"", d.year, d.month,
			       d.day, d.hour, d.minute);
	} else {
		ndl_buf_puts(out, "null");
	}
	ndl_buf_puts(out, ",\"protocol\":");
	if (plan->opt.protocol)
		str(out, plan->opt.protocol);
	else
		ndl_buf_puts(out, "null");
	ndl_buf_puts(out, ",\"today\":");
	if (plan->opt.has_now)
		today(out, plan);
	else
		ndl_buf_puts(out, "null");
	ndl_buf_puts(out, ",\n\"days\":[");
	for (int d = 0; d < NDL_PLAN_DAYS; d++) {
		ndl_buf_printf(out, "%s{\"day\":%d,\"date\":", d ? "," : "", d);
		date(out, plan, d);
		ndl_buf_puts(out, ",\"starts\":");
		starts(out, plan, d);
		ndl_buf_puts(out, "}");
	}
	ndl_buf_puts(out, "],\n\"products\":[");
	for (size_t i = 0; i < plan->nrows; i++) {
		ndl_buf_puts(out, i ? ",\n" : "\n");
		product(out, &plan->rows[i]);
	}
	ndl_buf_puts(out, "],\n\"guidance\":[");
	const ndl_guidance *g = plan->opt.guidance;
	for (size_t i = 0; g && i < ndl_guidance_count(g); i++) {
		const ndl_advice *a = ndl_guidance_at(g, i);
		ndl_cell c[NDL_PLAN_DAYS];
		ndl_plan_advice_cells(plan, a, c);
		ndl_buf_puts(out, i ? ",\n{\"id\":" : "\n{\"id\":");
		str(out, a->id);
		ndl_buf_puts(out, ",\"label\":");
		str(out, a->label);
		ndl_buf_puts(out, ",");
		cells(out, c);
		ndl_buf_printf(out, ",\"safe_from_day\":%d,\"advice\":",
			       ndl_window_safe_day(&a->window));
		str(out, a->advice);
		ndl_buf_puts(out, ",\"source\":");
		str(out, a->source);
		ndl_buf_puts(out, "}");
	}
	ndl_buf_puts(out, "]}\n");
}
