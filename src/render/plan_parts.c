/* The driver of the plan's text, markdown and HTML: what each part says,
 * in plain words and in order; each format's callbacks lay it out. */
#include "needlecheck.h"
#include "apps/plan.h"
#include "render/render.h"

void ndl_plan_intro(ndl_buf *out, const ndl_plan *plan)
{
	ndl_date d;
	if (ndl_plan_date(plan, 0, &d) == 0) {
		ndl_buf_printf(out, "Procedure on %s %d %s %d", ndl_weekday_abbr[d.weekday],
			       d.day, ndl_month_abbr[d.month - 1], d.year);
		ndl_plan_write_time(out, plan, 0, " at ");
		ndl_buf_puts(out, ". ");
	}
	if (!plan->opt.has_now) {
		ndl_buf_puts(out, "No day was given, so no column is today.");
		return;
	}
	ndl_buf_printf(out, "Today is day %d", plan->opt.now.day);
	if (ndl_plan_today_date(plan, &d) == 0)
		ndl_buf_printf(out, " (%s %d %s)", ndl_weekday_abbr[d.weekday], d.day,
			       ndl_month_abbr[d.month - 1]);
	if (ndl_plan_today_column(plan) < 0)
		ndl_buf_puts(out, ", after the week below");
	ndl_plan_write_next_day(out, plan);
	ndl_buf_puts(out, ".");
}

void ndl_plan_product_rows(void *w, const ndl_plan *plan, const ndl_plan_format *f)
{
	for (size_t i = 0; i < plan->nrows; i++) {
		const ndl_plan_row *row = &plan->rows[i];
		f->grid_row(w, row->label, row->cells, row->safe_from_day);
	}
}

int ndl_plan_has_advice(const ndl_plan *plan)
{
	return plan->opt.guidance && ndl_guidance_count(plan->opt.guidance);
}

void ndl_plan_advice_rows(void *w, const ndl_plan *plan, const ndl_plan_format *f)
{
	const ndl_guidance *g = plan->opt.guidance;
	for (size_t i = 0; g && i < ndl_guidance_count(g); i++) {
		const ndl_advice *a = ndl_guidance_at(g, i);
		ndl_cell c[NDL_PLAN_DAYS];
		ndl_plan_advice_cells(plan, a, c);
		f->grid_row(w, a->label, c, ndl_window_safe_day(&a->window));
	}
}

void ndl_plan_advice(void *w, const ndl_plan *plan, const ndl_plan_format *f)
{
	const ndl_guidance *g = plan->opt.guidance;
	for (size_t i = 0; g && i < ndl_guidance_count(g); i++) {
		const ndl_advice *a = ndl_guidance_at(g, i);
		f->advice(w, a->label, a->advice, a->source);
	}
}

/* "Retinol (retinoid, fragrance): avoid on days 0–4, caution on days
 * 5–6, safe from day 7" ("until" reads as inclusive to many people). */
static void reason_words(ndl_buf *out, const ndl_plan_reason *r, size_t cut)
{
	ndl_plan_name(out, r->ingredient, cut);
	ndl_buf_puts(out, " (");
	for (size_t c = 0; c < r->nclasses; c++)
		ndl_buf_printf(out, "%s%s", c ? ", " : "", r->classes[c]);
	ndl_buf_puts(out, "): ");
	ndl_days_phrase(out, 0, r->avoid_until_day, r->safe_day);
}

void ndl_plan_reasons(void *w, const ndl_plan *plan, const ndl_plan_format *f)
{
	ndl_buf words = {0};
	int any = 0;
	for (size_t i = 0; i < plan->nrows; i++) {
		const ndl_plan_row *row = &plan->rows[i];
		if (row->nreasons == 0 && row->error == NULL)
			continue;
		if (!any++)
			f->reasons_head(w);
		if (row->nreasons == 0) {
			f->waits(w, row->label, row->error, ", so it cannot be judged");
			if (f->waits_end)
				f->waits_end(w, 0);
			continue;
		}
		f->waits(w, row->label, NULL, NULL);
		for (size_t k = 0; k < row->nreasons; k++) {
			words.len = 0;
			reason_words(&words, &row->reasons[k], f->cut);
			f->reason(w, ndl_buf_cstr(&words), row->reasons[k].note);
		}
		if (f->waits_end)
			f->waits_end(w, 1);
	}
	if (any && f->reasons_end)
		f->reasons_end(w);
	ndl_buf_free(&words);
}

void ndl_credit(ndl_buf *out, const char *protocol)
{
	if (protocol)
		ndl_buf_printf(out, "The days follow the clinic's protocol (%s); the "
				    "classes it does not name keep those of one "
				    "aftercare article (\xe2\x80\x9c" NDL_ARTICLE_TITLE
				    "\xe2\x80\x9d). ",
			       protocol);
	else
		ndl_buf_puts(out, "The days follow one aftercare article (\xe2\x80\x9c" NDL_ARTICLE_TITLE
				  "\xe2\x80\x9d); a clinic's protocol overrides them. ");
	ndl_buf_puts(out, "This is information, not medical advice: follow your "
			  "practitioner.");
}
