/* Helpers the report writers share. */
#ifndef NDL_REPORT_H
#define NDL_REPORT_H

#include "needlecheck.h"

/* How much a finding weighs at a moment: 2 avoid, 1 caution, 0 safe or
 * recommended (the verdict is the heaviest). */
int ndl_finding_weight(const ndl_finding *f, ndl_when when);

/* The days of a finding from day `from` on, as the plan's grid shows
 * them: "avoid on days 0–4, caution on days 5–6, safe from day 7"
 * ("until" reads as inclusive to many people). avoid_end is the first
 * day it is no longer avoided (-1: never avoided), safe_day the first day
 * it is safe. */
void ndl_days_phrase(ndl_buf *out, int from, int avoid_end, int safe_day);

/* "retinoid, fragrance": the classes of a plan's reason. */
void ndl_plan_reason_classes(ndl_buf *out, const ndl_plan_reason *r);

/* "avoid on days 0–4, caution on days 5–6, safe from day 7": the days
 * of a plan's reason. */
void ndl_plan_reason_days(ndl_buf *out, const ndl_plan_reason *r);

/* The order the summaries give verdicts in: avoid, caution, unknown,
 * safe. */
extern const ndl_verdict ndl_summary_order[4];

/* The classes some product has, most products first, as indexes into
 * the lexicon's classes (idx holds NDL_MAX_CLASSES); returns how many. */
size_t ndl_summary_classes(const ndl_lexicon *lex, const ndl_stats *s,
			   size_t *idx);
/* The Today block: its title ("Today: day 2, Sun 22 Nov", or the day
 * assumed without one) and its lists, in plain text for each writer to
 * escape. Product labels are cut to cut characters (0: whole). */
enum { NDL_TODAY_USE, NDL_TODAY_NOT_YET, NDL_TODAY_BESIDES, NDL_TODAY_LISTS };
extern const char *const ndl_today_heads[NDL_TODAY_LISTS];
void ndl_plan_today_title(ndl_buf *out, const ndl_plan *plan);
void ndl_plan_today_list(ndl_buf *out, const ndl_plan *plan, int which, size_t cut);

/* The first day after the Today block's on which row may be used: in
 * the grid, else as seen from its last day; -1 when no day is known. */
int ndl_plan_usable_from(const ndl_plan *plan, const ndl_plan_row *row);

/* Whose days these are, for the end of a page: the article's, or a
 * clinic's protocol file (NULL: none) over them; plain text. */
void ndl_credit(ndl_buf *out, const char *protocol);

#endif
