/* --format text: the report for a person. Verdict first, then what decided
 * it; recommended ingredients in one line. */
#include <string.h>

#include "needlecheck.h"
#include "render/render.h"
#include "base/text.h"

#define NAME_WIDTH 34 /* longer ingredient names are cut with "…" */

static const char *colour_of(int verdict_or_status, int is_verdict)
{
	if (is_verdict) {
		switch ((ndl_verdict)verdict_or_status) {
		case NDL_VERDICT_AVOID:
			return "\033[1;31m";
		case NDL_VERDICT_CAUTION:
			return "\033[1;33m";
		case NDL_VERDICT_UNKNOWN:
			return "\033[1;35m";
		default:
			return "\033[1;32m";
		}
	}
	switch ((ndl_status)verdict_or_status) {
	case NDL_AVOID:
		return "\033[31m";
	case NDL_CAUTION:
		return "\033[33m";
	default:
		return "\033[32m";
	}
}

void ndl_term_text(ndl_buf *out, const char *s, size_t n, size_t max_chars)
{
	size_t chars = 0, i = 0;
	while (i < n) {
		if (max_chars && chars + 1 == max_chars && ndl_utf8_count(s + i, n - i) > 1) {
			ndl_buf_puts(out, "\xe2\x80\xa6"); /* … */
			return;
		}
		uint32_t cp;
		size_t k = ndl_utf8_decode(s + i, n - i, &cp);
		/* control characters (ESC among them) never reach the terminal */
		if (ndl_is_unsafe_cp(cp) || (cp == 0xFFFD && k == 1))
			ndl_buf_append(out, "?", 1);
		else
			ndl_buf_append(out, s + i, k);
		i += k;
		chars++;
	}
}

/* "day 4" or "days 0–4" */
static void days(ndl_buf *out, int a, int b)
{
	if (a == b)
		ndl_buf_printf(out, "day %d", a);
	else
		ndl_buf_printf(out, "days %d\xe2\x80\x93%d", a, b);
}

void ndl_days_phrase(ndl_buf *out, int from, int avoid_end, int safe_day)
{
	const char *sep = "";
	if (avoid_end > from) {
		ndl_buf_puts(out, "avoid on ");
		days(out, from, avoid_end - 1);
		from = avoid_end;
		sep = ", ";
	}
	if (safe_day > from) {
		ndl_buf_printf(out, "%scaution on ", sep);
		days(out, from, safe_day - 1);
		sep = ", ";
	}
	ndl_buf_printf(out, "%ssafe from day %d", sep, safe_day);
}

static void pad(ndl_buf *out, size_t used, size_t width)
{
	while (used++ < width)
		ndl_buf_append(out, " ", 1);
}

static ndl_status status_at(const ndl_finding *f, ndl_when when)
{
	return ndl_finding_status(f, when, NULL);
}

/* Are a and b the same ingredient with the same status (one row)? */
static int same_row(const ndl_finding *a, const ndl_finding *b, ndl_when when)
{
	int ua, ub;
	return a->offset == b->offset &&
	       ndl_finding_status(a, when, &ua) == ndl_finding_status(b, when, &ub) &&
	       ua == ub;
}

static size_t shown_width(const char *s, size_t n, size_t max)
{
	size_t w = ndl_utf8_count(s, n);
	return w > max ? max : w;
}

/* A safe verdict over names some of which were not read says so: " —
 * nothing to avoid among the names it knows; 2 names not recognised: A,
 * B" (the first three, then how many more). */
static void unread_headline(ndl_buf *out, const ndl_result *r)
{
	size_t n = r->nunrecognized;
	ndl_buf_printf(out, " — nothing to avoid among the names it knows; %zu "
			    "name%s not recognised: ",
		       n, n == 1 ? "" : "s");
	for (size_t k = 0; k < n && k < 3; k++) {
		if (k)
			ndl_buf_puts(out, ", ");
		ndl_term_text(out, r->unrecognized[k].text, r->unrecognized[k].len,
			      NAME_WIDTH);
	}
	if (n > 3)
		ndl_buf_printf(out, " and %zu more", n - 3);
}

/* Where a finding is: on a photo its words' box (boxes: one per
 * finding; NULL for text), else its line and column. */
static void finding_place(ndl_buf *out, const ndl_finding *f, const ndl_box *box)
{
	if (box == NULL)
		ndl_buf_printf(out, "line %u, column %u", f->line, f->column);
	else if (box->w > 0)
		ndl_buf_printf(out, "at %d,%d on the photo (%d\xc3\x97%d px)", box->x,
			       box->y, box->w, box->h);
	else
		ndl_buf_puts(out, "not placed on the photo");
}

/* The findings that matter, as a table; an ingredient in several classes
 * with the same status is one row. */
static void findings_table(ndl_buf *out, const ndl_result *r, ndl_when when,
			   const ndl_box *boxes, int colour)
{
	const char *reset = colour ? "\033[0m" : "";
	const char *dim = colour ? "\033[2m" : "";
	size_t wname = 10, wclass = 5;
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		if (status_at(f, when) == NDL_RECOMMENDED)
			continue;
		size_t w = shown_width(f->ingredient, f->ingredient_len, NAME_WIDTH);
		if (w > wname)
			wname = w;
		size_t wc = strlen(f->class_id);
		for (size_t j = k + 1; j < r->nfindings && same_row(f, &r->findings[j], when); j++)
			wc += 2 + strlen(r->findings[j].class_id);
		if (wc > wclass)
			wclass = wc;
	}
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		if (status_at(f, when) == NDL_RECOMMENDED)
			continue;
		const ndl_box *box = boxes ? &boxes[k] : NULL;
		ndl_buf_puts(out, "  ");
		ndl_term_text(out, f->ingredient, f->ingredient_len, NAME_WIDTH);
		pad(out, shown_width(f->ingredient, f->ingredient_len, NAME_WIDTH),
		    wname + 2);
		size_t wc = strlen(f->class_id);
		ndl_buf_puts(out, f->class_id);
		const char *reason = f->reason;
		while (k + 1 < r->nfindings && same_row(f, &r->findings[k + 1], when)) {
			k++;
			ndl_buf_printf(out, ", %s", r->findings[k].class_id);
			wc += 2 + strlen(r->findings[k].class_id);
			if (reason == NULL)
				reason = r->findings[k].reason;
		}
		pad(out, wc, wclass + 2);
		int until;
		ndl_status st = ndl_finding_status(f, when, &until);
		if (st == NDL_AVOID || st == NDL_CAUTION) {
			/* "avoid on days 0–4, caution on days 5–6, safe from
			 * day 7": the status word coloured */
			ndl_buf phrase = {0};
			ndl_days_phrase(&phrase, when.day,
					st == NDL_AVOID ? until : -1,
					f->safe_day);
			size_t word = strlen(ndl_status_name(st));
			ndl_buf_printf(out, "%s%.*s%s%.*s",
				       colour ? colour_of(st, 0) : "", (int)word,
				       phrase.data, reset, (int)(phrase.len - word),
				       phrase.data + word);
			ndl_buf_free(&phrase);
		} else {
			ndl_buf_puts(out, ndl_status_name(st));
		}
		ndl_buf_printf(out, "  %s", dim);
		finding_place(out, f, box);
		ndl_buf_printf(out, "%s\n", reset);
		if (reason) {
			ndl_buf_printf(out, "    %s", dim);
			ndl_term_text(out, reason, strlen(reason), 0);
			ndl_buf_printf(out, "%s\n", reset);
		}
	}
}

/* The good ones, briefly: "Panthenol (hydrating, soothing)". */
static void recommended(ndl_buf *out, const ndl_result *r, ndl_when when)
{
	int first = 1;
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		if (status_at(f, when) != NDL_RECOMMENDED)
			continue;
		ndl_buf_puts(out, first ? "Recommended: " : ", ");
		ndl_term_text(out, f->ingredient, f->ingredient_len, NAME_WIDTH);
		ndl_buf_printf(out, " (%s", f->class_id);
		while (k + 1 < r->nfindings && same_row(f, &r->findings[k + 1], when))
			ndl_buf_printf(out, ", %s", r->findings[++k].class_id);
		ndl_buf_puts(out, ")");
		first = 0;
	}
	if (!first)
		ndl_buf_puts(out, "\n");
}

void ndl_write_text(ndl_buf *out, const ndl_record *rec, const ndl_result *r,
		    unsigned flags)
{
	ndl_when when = rec->when;
	int safe_from;
	ndl_verdict v = ndl_verdict_at(r, when, &safe_from);
	int colour = (flags & NDL_TEXT_COLOR) != 0;
	const char *reset = colour ? "\033[0m" : "";
	const char *dim = colour ? "\033[2m" : "";

	if (rec->name || (flags & NDL_TEXT_HEADER)) {
		if (rec->name) {
			ndl_term_text(out, rec->name, rec->name_len, 0);
			ndl_buf_puts(out, " — ");
		}
		ndl_term_text(out, rec->source, strlen(rec->source), 0);
		ndl_buf_printf(out, ":%lu\n", rec->line);
	}

	/* the verdict line */
	static const char *const upper[] = {"SAFE", "CAUTION", "UNKNOWN", "AVOID"};
	ndl_buf_printf(out, "%s%s%s on day %d", colour ? colour_of(v, 1) : "",
		       upper[v], reset, when.day);
	const char *error = rec->error ? rec->error : r->error;
	if (v == NDL_VERDICT_UNKNOWN)
		ndl_buf_printf(out, " — %s: cannot tell whether it is safe", error);
	else if (error) /* avoided now, and unknown once that allows it */
		ndl_buf_printf(out, " — %s: no day can be called safe", error);
	else if (safe_from > when.day)
		ndl_buf_printf(out, " — safe from day %d", safe_from);
	else if (v == NDL_VERDICT_SAFE && r->nunrecognized == 0)
		ndl_buf_puts(out, " — nothing in it to avoid today");
	else if (v == NDL_VERDICT_SAFE)
		unread_headline(out, r);
	ndl_buf_puts(out, "\n");
	if (flags & NDL_TEXT_DAY_ASSUMED)
		ndl_buf_printf(out, "%s(day 0, the day of the procedure, assumed: give "
				    "--day N, --hours H or --since DATE)%s\n",
			       dim, reset);

	findings_table(out, r, when, rec->photo ? rec->photo->boxes : NULL, colour);
	recommended(out, r, when);
	if (r->nunrecognized) {
		ndl_buf_puts(out, "Not recognised: ");
		for (size_t k = 0; k < r->nunrecognized; k++) {
			if (k)
				ndl_buf_puts(out, ", ");
			ndl_term_text(out, r->unrecognized[k].text,
				      r->unrecognized[k].len, NAME_WIDTH);
		}
		ndl_buf_puts(out, "\n");
	}
}
