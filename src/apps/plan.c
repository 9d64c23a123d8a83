/* The plan: each product on every day of the first week, so a person
 * sees when each of their products may come back. The cells are the
 * verdicts of the one result of ndl_check at each day (ndl_verdict_at),
 * so the plan can never disagree with what `needlecheck check --day N`
 * says. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "needlecheck.h"
#include "apps/plan.h"

const char *const ndl_weekday_abbr[7] = {"Mon", "Tue", "Wed", "Thu",
					 "Fri", "Sat", "Sun"};
const char *const ndl_month_abbr[12] = {"Jan", "Feb", "Mar", "Apr",
					"May", "Jun", "Jul", "Aug",
					"Sep", "Oct", "Nov", "Dec"};

const char *ndl_cell_name(ndl_cell c)
{
	static const char *const names[] = {"recommended", "safe", "caution",
					    "unknown", "avoid"};
	return (unsigned)c < 5 ? names[c] : "?";
}

ndl_plan *ndl_plan_new(const ndl_plan_options *opt)
{
	ndl_plan *plan = calloc(1, sizeof(*plan));
	if (plan == NULL)
		return NULL;
	if (opt)
		plan->opt = *opt;
	plan->mem.block_size = 1 << 14;
	return plan;
}

void ndl_plan_free(ndl_plan *plan)
{
	if (plan == NULL)
		return;
	free(plan->rows);
	ndl_arena_free(&plan->mem);
	free(plan);
}

size_t ndl_plan_count(const ndl_plan *plan)
{
	return plan->nrows;
}

const ndl_plan_row *ndl_plan_row_at(const ndl_plan *plan, size_t i)
{
	return i < plan->nrows ? &plan->rows[i] : NULL;
}

int ndl_plan_today_column(const ndl_plan *plan)
{
	return plan->opt.has_now && plan->opt.now.day < NDL_PLAN_DAYS
		       ? plan->opt.now.day
		       : -1;
}

/* The moment a column is judged at: the start of its day, except today's,
 * judged at the moment given, as `check` would judge it. */
static ndl_when column_when(const ndl_plan *plan, int day)
{
	return ndl_plan_today_column(plan) == day ? plan->opt.now : ndl_when_day(day);
}

static ndl_cell cell_of_status(ndl_status s)
{
	switch (s) {
	case NDL_AVOID:
		return NDL_CELL_AVOID;
	case NDL_CAUTION:
		return NDL_CELL_CAUTION;
	case NDL_RECOMMENDED:
		return NDL_CELL_RECOMMENDED;
	default:
		return NDL_CELL_SAFE;
	}
}

static ndl_cell advice_cell(const ndl_plan *plan, const ndl_advice *a, int day)
{
	return cell_of_status(ndl_window_status(&a->window, column_when(plan, day), NULL));
}

void ndl_plan_advice_cells(const ndl_plan *plan, const ndl_advice *a,
			   ndl_cell cells[NDL_PLAN_DAYS])
{
	for (int d = 0; d < NDL_PLAN_DAYS; d++)
		cells[d] = advice_cell(plan, a, d);
}

/* A verdict as a cell; safe stays safe (recommended needs the findings). */
static ndl_cell cell_of_verdict(ndl_verdict v)
{
	switch (v) {
	case NDL_VERDICT_AVOID:
		return NDL_CELL_AVOID;
	case NDL_VERDICT_CAUTION:
		return NDL_CELL_CAUTION;
	case NDL_VERDICT_UNKNOWN:
		return NDL_CELL_UNKNOWN;
	default:
		return NDL_CELL_SAFE;
	}
}

int ndl_plan_block_day(const ndl_plan *plan)
{
	return plan->opt.has_now ? ndl_plan_today_column(plan) : 0;
}

ndl_cell ndl_plan_row_today(const ndl_plan *plan, const ndl_plan_row *row)
{
	int day = ndl_plan_block_day(plan);
	return day >= 0 ? row->cells[day] : cell_of_verdict(row->verdict);
}

ndl_cell ndl_plan_advice_today(const ndl_plan *plan, const ndl_advice *a)
{
	int day = ndl_plan_block_day(plan);
	if (day >= 0)
		return advice_cell(plan, a, day);
	return cell_of_status(ndl_window_status(&a->window, plan->opt.now, NULL));
}

/* The cell of r at a moment: its verdict, a safe one recommended when an
 * ingredient is. */
static ndl_cell cell_of(const ndl_result *r, ndl_when when, ndl_verdict v)
{
	if (v != NDL_VERDICT_SAFE)
		return cell_of_verdict(v);
	for (size_t k = 0; k < r->nfindings; k++)
		if (ndl_finding_status(&r->findings[k], when, NULL) == NDL_RECOMMENDED)
			return NDL_CELL_RECOMMENDED;
	return NDL_CELL_SAFE;
}

static const char *dup(ndl_plan *plan, const char *s, size_t n)
{
	return s ? ndl_arena_strndup(&plan->mem, s, n) : NULL;
}

/* A finding as the plan's day 0 sees it. */
typedef struct seen {
	const ndl_finding *f;
	ndl_status status;
	int until_day;
} seen;

/* Two findings of one ingredient with the same windows make one reason. */
static int same_reason(const seen *a, const seen *b)
{
	return a->f->offset == b->f->offset && a->status == b->status &&
	       a->until_day == b->until_day && a->f->safe_day == b->f->safe_day;
}

/* The findings that are not safe at when (day 0's moment), copied: the
 * result they come from is gone at the next check. Class ids belong to
 * the lexicon, which outlives the plan. */
static int copy_reasons(ndl_plan *plan, ndl_plan_row *row, const ndl_result *r,
			ndl_when when)
{
	size_t n = 0, nclasses = 0;
	seen *s = ndl_arena_alloc(&plan->mem, (r->nfindings + 1) * sizeof(*s));
	if (s == NULL)
		return -1;
	for (size_t k = 0; k < r->nfindings; k++) {
		s[k].f = &r->findings[k];
		s[k].status = ndl_finding_status(s[k].f, when, &s[k].until_day);
		if (s[k].status < NDL_CAUTION)
			continue;
		nclasses++;
		n += !(k > 0 && same_reason(&s[k - 1], &s[k]));
	}
	if (n == 0)
		return 0;
	ndl_plan_reason *reasons = ndl_arena_alloc(&plan->mem, n * sizeof(*reasons));
	const char **classes = ndl_arena_alloc(&plan->mem, nclasses * sizeof(*classes));
	if (reasons == NULL || classes == NULL)
		return -1;
	size_t m = 0;
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = s[k].f;
		if (s[k].status < NDL_CAUTION)
			continue;
		ndl_plan_reason *out = &reasons[m++];
		out->classes = classes;
		out->nclasses = 1;
		*classes++ = f->class_id;
		const char *note = f->reason;
		while (k + 1 < r->nfindings && same_reason(&s[k], &s[k + 1])) {
			k++;
			out->nclasses++;
			*classes++ = r->findings[k].class_id;
			if (note == NULL)
				note = r->findings[k].reason;
		}
		out->ingredient = dup(plan, f->ingredient, f->ingredient_len);
		out->avoid_until_day = s[k].status == NDL_AVOID ? s[k].until_day : -1;
		out->safe_day = f->safe_day;
		out->note = note ? dup(plan, note, strlen(note)) : NULL;
		if (out->ingredient == NULL || (note && out->note == NULL))
			return -1;
	}
	row->reasons = reasons;
	row->nreasons = m;
	return 0;
}

static const char *row_label(ndl_plan *plan, const ndl_record *rec,
			     const char *label)
{
	if (rec->name && rec->name_len)
		return dup(plan, rec->name, rec->name_len);
	if (rec->id && rec->id_len)
		return dup(plan, rec->id, rec->id_len);
	if (label)
		return dup(plan, label, strlen(label));
	ndl_buf b = {0};
	ndl_buf_printf(&b, "%s:%lu", rec->source, rec->line);
	const char *s = b.failed ? NULL : dup(plan, b.data, b.len);
	ndl_buf_free(&b);
	return s;
}

int ndl_plan_add(ndl_plan *plan, const ndl_record *rec, const ndl_result *r,
		 const char *label)
{
	if (NDL_GROW(plan->rows, plan->cap, plan->nrows + 1))
		return -1;
	ndl_plan_row row = {.row = rec->row, .line = rec->line};
	row.source = dup(plan, rec->source, strlen(rec->source));
	row.label = row_label(plan, rec, label);
	if (row.source == NULL || row.label == NULL)
		return -1;
	if (rec->name && rec->name_len)
		row.name = row.label; /* the label is the name then */
	const char *error = rec->error ? rec->error : r->error;
	if (error && (row.error = dup(plan, error, strlen(error))) == NULL)
		return -1;
	if (copy_reasons(plan, &row, r, column_when(plan, 0)))
		return -1;
	int today = ndl_plan_today_column(plan);
	int beyond = -1; /* safe_from_day as seen from day 7 */
	for (int d = 0; d < NDL_PLAN_DAYS; d++) {
		int safe_from;
		ndl_when when = column_when(plan, d);
		ndl_verdict v = ndl_verdict_at(r, when, &safe_from);
		row.cells[d] = cell_of(r, when, v);
		if (d == 0 || d == today)
			row.verdict = v;
		if (d == NDL_PLAN_DAYS - 1 && v != NDL_VERDICT_UNKNOWN)
			beyond = safe_from;
	}
	if (plan->opt.has_now && today < 0)
		row.verdict = ndl_verdict_at(r, plan->opt.now, NULL);
	row.safe_from_day = beyond;
	for (int d = NDL_PLAN_DAYS - 1; d >= 0; d--)
		if (row.cells[d] <= NDL_CELL_SAFE)
			row.safe_from_day = d;
	plan->rows[plan->nrows++] = row;
	return 0;
}

/* Date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, ndl_date *out)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	out->year = (int)(yoe + era * 400 + (m <= 2));
	out->month = (int)m;
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

static void date_of_minutes(int64_t minutes, ndl_date *out)
{
	int64_t days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
	civil_from_days(days, out);
	int of_day = (int)(minutes - days * 1440);
	out->hour = of_day / 60;
	out->minute = of_day % 60;
	/* 1970-01-01 was a Thursday (3, counting from Monday) */
	out->weekday = (int)(((days + 3) % 7 + 7) % 7);
}

int ndl_plan_date(const ndl_plan *plan, int day, ndl_date *out)
{
	if (!plan->opt.dated)
		return -1;
	if (day < 0 || day >= NDL_PLAN_DAYS || plan->opt.day_start[day] == 0)
		date_of_minutes(plan->opt.procedure + (int64_t)day * 24 * 60, out);
	else
		date_of_minutes(plan->opt.day_start[day], out);
	return 0;
}

/* Not the date day N starts on: with a procedure in the afternoon, the
 * morning of the next date is still in day 0. */
int ndl_plan_today_date(const ndl_plan *plan, ndl_date *out)
{
	if (!plan->opt.dated || !plan->opt.has_now)
		return -1;
	date_of_minutes(plan->opt.now_local ? plan->opt.now_local
					    : plan->opt.procedure +
						      llround(plan->opt.now.hours * 60.0),
			out);
	return 0;
}

void ndl_plan_write_time(ndl_buf *out, const ndl_plan *plan, int d, const char *prefix)
{
	ndl_date date;
	if (ndl_plan_date(plan, d, &date) == 0 && (date.hour || date.minute))
		ndl_buf_printf(out, "%s%02d:%02d", prefix, date.hour, date.minute);
}

void ndl_plan_write_next_day(ndl_buf *out, const ndl_plan *plan)
{
	int next = ndl_plan_today_column(plan) + 1;
	ndl_date d;
	if (next > 0 && next < NDL_PLAN_DAYS && ndl_plan_date(plan, next, &d) == 0 &&
	    (d.hour || d.minute))
		ndl_buf_printf(out, "; day %d starts %s %d %s at %02d:%02d", next,
			       ndl_weekday_abbr[d.weekday], d.day,
			       ndl_month_abbr[d.month - 1], d.hour, d.minute);
}
