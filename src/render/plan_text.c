/* `plan --format text`: the week as a grid for a terminal, then why each
 * product waits, then the article's other advice. Every line fits in 80
 * columns: a 20-character label, eight 6-character day columns and the
 * first safe day. */
#include <string.h>

#include "needlecheck.h"
#include "apps/plan.h"
#include "render/render.h"
#include "base/text.h"

#define LABEL_WIDTH 20
#define WIDTH 79 /* not 80: some terminals wrap on the last column */
#define INGREDIENT_WIDTH 40

static const char *const short_name[] = {"rec.", "safe", "caut.", "?", "avoid"};
static const char *const cell_colour[] = {"\033[1;32m", "\033[32m", "\033[33m",
					  "\033[35m", "\033[1;31m"};

typedef struct writer {
	ndl_buf *out;
	const ndl_plan *plan;
	int colour;
	int today;
} writer;

static void pad(ndl_buf *out, size_t used, size_t width)
{
	while (used++ < width)
		ndl_buf_append(out, " ", 1);
}

/* The label column: cut with "…", made safe, padded. */
static void label(ndl_buf *out, const char *s)
{
	size_t n = strlen(s), w = ndl_utf8_count(s, n);
	ndl_term_text(out, s, n, LABEL_WIDTH);
	pad(out, w < LABEL_WIDTH ? w : LABEL_WIDTH, LABEL_WIDTH);
}

/* Words of s, wrapped to WIDTH: the first line starts at column first
 * (already written), the next ones are indented by indent. */
static void wrap(ndl_buf *out, const char *s, size_t first, size_t indent)
{
	size_t col = first, n = strlen(s), i = 0;
	int line_start = 1;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (j == i)
			break;
		size_t w = ndl_utf8_count(s + i, j - i);
		if (!line_start && col + 1 + w > WIDTH) {
			ndl_buf_append(out, "\n", 1);
			pad(out, 0, indent);
			col = indent;
			line_start = 1;
		}
		if (!line_start) {
			ndl_buf_append(out, " ", 1);
			col++;
		}
		ndl_term_text(out, s + i, j - i, 0);
		col += w;
		line_start = 0;
		i = j;
	}
	ndl_buf_append(out, "\n", 1);
}

static void cell(const writer *w, ndl_cell c)
{
	ndl_buf_printf(w->out, " %s%-5s%s", w->colour ? cell_colour[c] : "",
		       short_name[c], w->colour ? "\033[0m" : "");
}

static void safe_from(ndl_buf *out, int day)
{
	if (day >= 0)
		ndl_buf_printf(out, "  day %d\n", day);
	else
		ndl_buf_puts(out, "  unknown\n");
}

static void title(const writer *w)
{
	const ndl_plan *plan = w->plan;
	ndl_date d;
	ndl_buf_puts(w->out, "Aftercare plan");
	if (ndl_plan_date(plan, 0, &d) == 0) {
		ndl_buf_printf(w->out, ": procedure on %s %d %s %d",
			       ndl_weekday_abbr[d.weekday], d.day,
			       ndl_month_abbr[d.month - 1], d.year);
		ndl_plan_write_time(w->out, plan, 0, " at ");
	}
	if (!plan->opt.has_now) {
		ndl_buf_puts(w->out, "\n(no day given: --since DATE or --day N marks "
				     "today)\n");
		return;
	}
	ndl_buf_printf(w->out, "\nToday is day %d", plan->opt.now.day);
	if (ndl_plan_today_date(plan, &d) == 0)
		ndl_buf_printf(w->out, ", %s %d %s", ndl_weekday_abbr[d.weekday],
			       d.day, ndl_month_abbr[d.month - 1]);
	if (w->today < 0)
		ndl_buf_puts(w->out, ", after the week shown");
	ndl_plan_write_next_day(w->out, plan);
	ndl_buf_puts(w->out, ".\n");
}

/* Whether every day starts at the same time of day: a change to or from
 * summer time in the week moves the start of the days after it. */
static int uniform_start(const ndl_plan *plan)
{
	ndl_date first, d;
	ndl_plan_date(plan, 0, &first);
	for (int k = 1; k < NDL_PLAN_DAYS; k++) {
		ndl_plan_date(plan, k, &d);
		if (d.hour != first.hour || d.minute != first.minute)
			return 0;
	}
	return 1;
}

static void header(const writer *w)
{
	ndl_buf *out = w->out;
	ndl_buf_printf(out, "%-*s", LABEL_WIDTH, "PRODUCT");
	for (int d = 0; d < NDL_PLAN_DAYS; d++)
		ndl_buf_printf(out, " %sday %d%s", w->colour && d == w->today ? "\033[7m" : "",
			       d, w->colour && d == w->today ? "\033[0m" : "");
	ndl_buf_puts(out, "  SAFE FROM\n");
	ndl_date date;
	if (ndl_plan_date(w->plan, 0, &date) == 0) {
		/* each column is the 24 hours from the procedure's time on
		 * its date: "day 1 from 14:30 on 11-21" */
		size_t at = out->len;
		ndl_plan_write_time(out, w->plan, 0, uniform_start(w->plan) ? "from " : "from ~");
		if (out->len > at)
			ndl_buf_puts(out, " on");
		pad(out, out->len - at, LABEL_WIDTH);
		for (int d = 0; d < NDL_PLAN_DAYS; d++) {
			ndl_plan_date(w->plan, d, &date);
			ndl_buf_printf(out, " %02d-%02d", date.month, date.day);
		}
		ndl_buf_puts(out, "\n");
	}
	if (w->today >= 0) {
		pad(out, 0, LABEL_WIDTH + 1 + 6 * (size_t)w->today);
		ndl_buf_puts(out, "today\n");
	}
}

static void reasons(const writer *w)
{
	ndl_buf *out = w->out;
	ndl_buf line = {0};
	int any = 0;
	for (size_t i = 0; i < w->plan->nrows; i++) {
		const ndl_plan_row *row = &w->plan->rows[i];
		if (row->nreasons == 0 && row->error == NULL)
			continue;
		if (!any++)
			ndl_buf_puts(out, "\nWhy they wait:\n");
		ndl_buf_puts(out, "  ");
		ndl_term_text(out, row->label, strlen(row->label), WIDTH / 2);
		if (row->nreasons == 0) {
			ndl_buf_puts(out, ": ");
			ndl_term_text(out, row->error, strlen(row->error), 0);
			ndl_buf_puts(out, ", so it cannot be judged\n");
			continue;
		}
		ndl_buf_puts(out, "\n");
		for (size_t k = 0; k < row->nreasons; k++) {
			const ndl_plan_reason *r = &row->reasons[k];
			/* cut long names before wrapping, so a word never
			 * runs past the width */
			line.len = 0;
			ndl_term_text(&line, r->ingredient, strlen(r->ingredient),
				      INGREDIENT_WIDTH);
			ndl_buf_puts(&line, " (");
			ndl_plan_reason_classes(&line, r);
			ndl_buf_puts(&line, "): ");
			ndl_plan_reason_days(&line, r);
			pad(out, 0, 4);
			wrap(out, ndl_buf_cstr(&line), 4, 6);
		}
	}
	ndl_buf_free(&line);
}

static void legend(const writer *w)
{
	ndl_buf_puts(w->out, "\n");
	wrap(w->out,
	     "avoid: not on that day. caut.: caution, only if you must. "
	     "rec.: recommended, safe and with an ingredient the article "
	     "recommends. ?: the ingredient list cannot be read.",
	     0, 0);
}

/* The Today block: the day, then each list wrapped under its head. */
static void today(const writer *w)
{
	ndl_buf line = {0};
	ndl_plan_today_title(&line, w->plan);
	ndl_buf_puts(w->out, "\n");
	wrap(w->out, ndl_buf_cstr(&line), 0, 0);
	for (int k = 0; k < NDL_TODAY_LISTS; k++) {
		line.len = 0;
		ndl_buf_printf(&line, "%s: ", ndl_today_heads[k]);
		ndl_plan_today_list(&line, w->plan, k, INGREDIENT_WIDTH);
		pad(w->out, 0, 2);
		wrap(w->out, ndl_buf_cstr(&line), 2, 4);
	}
	ndl_buf_free(&line);
}

static void advice(const writer *w, const ndl_guidance *g)
{
	ndl_buf *out = w->out;
	ndl_buf line = {0};
	ndl_buf_puts(out, "\nAdvice, quoting its source:\n");
	for (size_t i = 0; i < ndl_guidance_count(g); i++) {
		const ndl_advice *a = ndl_guidance_at(g, i);
		line.len = 0;
		ndl_buf_printf(&line, "%s: %s", a->label, a->advice);
		ndl_buf_puts(out, "- ");
		wrap(out, ndl_buf_cstr(&line), 2, 2);
		line.len = 0;
		ndl_buf_printf(&line, "\xe2\x80\x9c%s\xe2\x80\x9d", a->source);
		pad(out, 0, 2);
		wrap(out, ndl_buf_cstr(&line), 2, 2);
	}
	ndl_buf_free(&line);
}

void ndl_write_plan_text(ndl_buf *out, const ndl_plan *plan, unsigned flags)
{
	writer w = {.out = out, .plan = plan,
		    .colour = (flags & NDL_TEXT_COLOR) != 0,
		    .today = ndl_plan_today_column(plan)};
	title(&w);
	today(&w);
	ndl_buf_puts(out, "\n");
	header(&w);
	for (size_t i = 0; i < plan->nrows; i++) {
		const ndl_plan_row *row = &plan->rows[i];
		label(out, row->label);
		for (int d = 0; d < NDL_PLAN_DAYS; d++)
			cell(&w, row->cells[d]);
		safe_from(out, row->safe_from_day);
	}
	const ndl_guidance *g = plan->opt.guidance;
	if (g && ndl_guidance_count(g)) {
		ndl_buf_puts(out, "\nBESIDES PRODUCTS\n");
		for (size_t i = 0; i < ndl_guidance_count(g); i++) {
			const ndl_advice *a = ndl_guidance_at(g, i);
			label(out, a->label);
			for (int d = 0; d < NDL_PLAN_DAYS; d++)
				cell(&w, ndl_plan_advice_cell(plan, a, d));
			safe_from(out, ndl_window_safe_day(&a->window));
		}
	}
	legend(&w);
	reasons(&w);
	if (g && ndl_guidance_count(g))
		advice(&w, g);
	ndl_buf_puts(out, "\n");
	ndl_buf credit = {0};
	ndl_credit(&credit, plan->opt.protocol);
	wrap(out, ndl_buf_cstr(&credit), 0, 0);
	ndl_buf_free(&credit);
}
