/* The Today block that opens the plan in every format: what may be used
 * today, what waits and until when, and the guidance of the day. Written
 * as plain text from the plan's cells (nothing is checked again); each
 * writer escapes and lays it out. */
#include <string.h>

#include "needlecheck.h"
#include "apps/plan.h"
#include "render/render.h"
#include "base/text.h"

void ndl_plan_name(ndl_buf *out, const char *s, size_t cut)
{
	size_t n = strlen(s), i = 0;
	if (cut == 0 || ndl_utf8_count(s, n) <= cut) {
		ndl_buf_append(out, s, n);
		return;
	}
	for (size_t chars = 1; chars < cut; chars++) {
		uint32_t cp;
		i += ndl_utf8_decode(s + i, n - i, &cp);
	}
	ndl_buf_append(out, s, i);
	ndl_buf_puts(out, "\xe2\x80\xa6");
}

/* "day 7, Fri 27 Nov at 14:30", the date when the plan has one. */
static void day_and_date(ndl_buf *out, const ndl_plan *plan, int day)
{
	ndl_date d;
	ndl_buf_printf(out, "day %d", day);
	if (ndl_plan_date(plan, day, &d) != 0)
		return;
	ndl_buf_printf(out, ", %s %d %s", ndl_weekday_abbr[d.weekday], d.day,
		       ndl_month_abbr[d.month - 1]);
	if (d.hour || d.minute)
		ndl_buf_printf(out, " at %02d:%02d", d.hour, d.minute);
}

static void title(ndl_buf *out, const ndl_plan *plan)
{
	ndl_date d;
	if (!plan->opt.has_now) {
		ndl_buf_puts(out, "Today: day 0 assumed, the day of the procedure "
				  "and the strictest (no day was given)");
		return;
	}
	ndl_buf_printf(out, "Today: day %d", plan->opt.now.day);
	if (ndl_plan_today_date(plan, &d) == 0)
		ndl_buf_printf(out, ", %s %d %s", ndl_weekday_abbr[d.weekday], d.day,
			       ndl_month_abbr[d.month - 1]);
}

int ndl_plan_usable_from(const ndl_plan *plan, const ndl_plan_row *row)
{
	int today = ndl_plan_block_day(plan);
	if (today < 0)
		return row->safe_from_day > plan->opt.now.day ? row->safe_from_day : -1;
	for (int d = today + 1; d < NDL_PLAN_DAYS; d++)
		if (row->cells[d] <= NDL_CELL_SAFE)
			return d;
	return row->safe_from_day >= NDL_PLAN_DAYS ? row->safe_from_day : -1;
}

static void waiting(ndl_buf *out, const ndl_plan *plan, const ndl_plan_row *row)
{
	ndl_cell c = ndl_plan_row_today(plan, row);
	int from = ndl_plan_usable_from(plan, row);
	ndl_buf_puts(out, " (");
	if (c == NDL_CELL_UNKNOWN) {
		ndl_buf_puts(out, "its list cannot be read)");
		return;
	}
	if (c == NDL_CELL_CAUTION)
		ndl_buf_puts(out, "only if you must; ");
	if (from < 0) {
		ndl_buf_puts(out, "not within the week)");
		return;
	}
	/* "from", not "until": "until day 7" reads as including day 7 */
	ndl_buf_puts(out, "from ");
	day_and_date(out, plan, from);
	ndl_buf_puts(out, ")");
}

static size_t products(ndl_buf *out, const ndl_plan *plan, int usable, size_t cut)
{
	size_t n = 0;
	for (size_t i = 0; i < plan->nrows; i++) {
		const ndl_plan_row *row = &plan->rows[i];
		if ((ndl_plan_row_today(plan, row) <= NDL_CELL_SAFE) != usable)
			continue;
		ndl_buf_puts(out, n++ ? "; " : "");
		ndl_plan_name(out, row->label, cut);
		if (!usable)
			waiting(out, plan, row);
	}
	return n;
}

/* The guidance lines by their cell today: what to avoid, what only if
 * one must, what helps. */
static size_t besides(ndl_buf *out, const ndl_plan *plan)
{
	static const struct {
		ndl_cell cell;
		const char *head;
	} groups[] = {{NDL_CELL_AVOID, "Avoid"},
		      {NDL_CELL_CAUTION, "Only if you must"},
		      {NDL_CELL_RECOMMENDED, "Recommended"}};
	const ndl_guidance *g = plan->opt.guidance;
	size_t shown = 0;
	for (size_t k = 0; g && k < sizeof(groups) / sizeof(groups[0]); k++) {
		size_t n = 0;
		for (size_t i = 0; i < ndl_guidance_count(g); i++) {
			const ndl_advice *a = ndl_guidance_at(g, i);
			if (ndl_plan_advice_today(plan, a) != groups[k].cell)
				continue;
			if (n++ == 0)
				ndl_buf_printf(out, "%s%s: ", shown ? ". " : "",
					       groups[k].head);
			else
				ndl_buf_puts(out, "; ");
			ndl_buf_puts(out, a->label);
		}
		shown += n;
	}
	if (shown)
		ndl_buf_puts(out, ".");
	return shown;
}

void ndl_plan_today(void *w, const ndl_plan *plan, const ndl_plan_format *f)
{
	ndl_buf line = {0};
	title(&line, plan);
	f->today_title(w, ndl_buf_cstr(&line));
	line.len = 0;
	if (products(&line, plan, 1, f->cut) == 0)
		ndl_buf_puts(&line, "none of these products");
	f->today_list(w, "Use today", ndl_buf_cstr(&line));
	line.len = 0;
	if (products(&line, plan, 0, f->cut) == 0)
		ndl_buf_puts(&line, "nothing, all may be used today");
	f->today_list(w, "Not yet", ndl_buf_cstr(&line));
	line.len = 0;
	if (besides(&line, plan) == 0)
		ndl_buf_puts(&line, "nothing to avoid");
	f->today_list(w, "Besides products", ndl_buf_cstr(&line));
	if (f->today_end)
		f->today_end(w);
	ndl_buf_free(&line);
}
