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

/* A line of the grid: the label, the cells, the first safe day. */
static void grid_row(void *w_, const char *name, const ndl_cell *c, int safe_from)
{
	const writer *w = w_;
	label(w->out, name);
	for (int d = 0; d < NDL_PLAN_DAYS; d++)
		ndl_buf_printf(w->out, " %s%-5s%s", w->colour ? cell_colour[c[d]] : "",
			       short_name[c[d]], w->colour ? "\033[0m" : "");
	if (safe_from >= 0)
		ndl_buf_printf(w->out, "  day %d\n", safe_from);
	else
		ndl_buf_puts(w->out, "  unknown\n");
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

static void reasons_head(void *w_)
{
	ndl_buf_puts(((const writer *)w_)->out, "\nWhy they wait:\n");
}

static void waits(void *w_, const char *name, const char *error, const char *unjudged)
{
	const writer *w = w_;
	ndl_buf_puts(w->out, "  ");
	ndl_term_text(w->out, name, strlen(name), WIDTH / 2);
	if (error) {
		ndl_buf_puts(w->out, ": ");
		ndl_term_text(w->out, error, strlen(error), 0);
		ndl_buf_puts(w->out, unjudged);
	}
	ndl_buf_puts(w->out, "\n");
}

/* The words of a reason, wrapped (the ingredient's name was cut before,
 * so a word never runs past the width); the notes are the pages' */
static void reason(void *w_, const char *words, const char *note)
{
	const writer *w = w_;
	(void)note;
	pad(w->out, 0, 4);
	wrap(w->out, words, 4, 6);
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
static void today_title(void *w_, const char *title)
{
	const writer *w = w_;
	ndl_buf_puts(w->out, "\n");
	wrap(w->out, title, 0, 0);
}

static void today_list(void *w_, const char *head, const char *list)
{
	const writer *w = w_;
	ndl_buf line = {0};
	ndl_buf_printf(&line, "%s: %s", head, list);
	pad(w->out, 0, 2);
	wrap(w->out, ndl_buf_cstr(&line), 2, 4);
	ndl_buf_free(&line);
}

static void advice(void *w_, const char *name, const char *text, const char *source)
{
	const writer *w = w_;
	ndl_buf line = {0};
	ndl_buf_printf(&line, "%s: %s", name, text);
	ndl_buf_puts(w->out, "- ");
	wrap(w->out, ndl_buf_cstr(&line), 2, 2);
	line.len = 0;
	ndl_buf_printf(&line, "\xe2\x80\x9c%s\xe2\x80\x9d", source);
	pad(w->out, 0, 2);
	wrap(w->out, ndl_buf_cstr(&line), 2, 2);
	ndl_buf_free(&line);
}

static const ndl_plan_format terminal = {
	.cut = INGREDIENT_WIDTH, .today_title = today_title,
	.today_list = today_list, .grid_row = grid_row,
	.reasons_head = reasons_head, .waits = waits, .reason = reason,
	.advice = advice};

void ndl_write_plan_text(ndl_buf *out, const ndl_plan *plan, unsigned flags)
{
	writer w = {.out = out, .plan = plan,
		    .colour = (flags & NDL_TEXT_COLOR) != 0,
		    .today = ndl_plan_today_column(plan)};
	title(&w);
	ndl_plan_today(&w, plan, &terminal);
	ndl_buf_puts(out, "\n");
	header(&w);
	ndl_plan_product_rows(&w, plan, &terminal);
	if (ndl_plan_has_advice(plan)) {
		ndl_buf_puts(out, "\nBESIDES PRODUCTS\n");
		ndl_plan_advice_rows(&w, plan, &terminal);
	}
	legend(&w);
	ndl_plan_reasons(&w, plan, &terminal);
	if (ndl_plan_has_advice(plan)) {
		ndl_buf_puts(out, "\nAdvice, quoting its source:\n");
		ndl_plan_advice(&w, plan, &terminal);
	}
	ndl_buf_puts(out, "\n");
	ndl_buf credit = {0};
	ndl_credit(&credit, plan->opt.protocol);
	wrap(out, ndl_buf_cstr(&credit), 0, 0);
	ndl_buf_free(&credit);
}
