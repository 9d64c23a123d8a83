/* The plan (plan.c) as its writers see it (src/render/plan_*.c and
 * html.c), and what they share. */
#ifndef NDL_PLAN_H
#define NDL_PLAN_H

#include "base/util.h"

struct ndl_plan {
	ndl_plan_options opt;
	ndl_arena mem; /* labels, reasons and their strings */
	ndl_plan_row *rows;
	size_t nrows, cap;
};

/* The day marked as today, or -1 (no moment given, or past day 7). */
int ndl_plan_today_column(const ndl_plan *plan);

/* The date of the moment marked as today; -1 when the plan has no date
 * or no such moment. */
int ndl_plan_today_date(const ndl_plan *plan, ndl_date *out);

/* Writes prefix then the time of day day d starts at ("14:30"), when
 * the procedure had a time; nothing when the days start at midnight. */
void ndl_plan_write_time(ndl_buf *out, const ndl_plan *plan, int d, const char *prefix);

/* With a procedure at a time of day, writes when today's day ends, as
 * "; day 1 starts Sat 21 Nov at 14:30": the date alone would seem to
 * disagree with the day number in the mornings. Nothing otherwise. */
void ndl_plan_write_next_day(ndl_buf *out, const ndl_plan *plan);

/* The cells of a guidance line on each day, judged as the products' are. */
void ndl_plan_advice_cells(const ndl_plan *plan, const ndl_advice *a,
			   ndl_cell cells[NDL_PLAN_DAYS]);

/* The Today block's day: today's column; day 0, assumed, when no moment
 * was given; -1 past the week shown (then the cells below are the
 * verdicts at the moment given). */
int ndl_plan_block_day(const ndl_plan *plan);

/* A product's and a guidance line's cell on the Today block's day. */
ndl_cell ndl_plan_row_today(const ndl_plan *plan, const ndl_plan_row *row);
ndl_cell ndl_plan_advice_today(const ndl_plan *plan, const ndl_advice *a);

/* The article the default windows and guidance follow. */
#define NDL_ARTICLE_TITLE \
	"Critical Things You Need To Do After a Micro-Needling Procedure"

extern const char *const ndl_weekday_abbr[7];
extern const char *const ndl_month_abbr[12];

#endif
