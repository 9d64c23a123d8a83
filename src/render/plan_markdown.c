/* `plan --format markdown`: the plan as a GitHub-flavoured Markdown
 * page, to paste into a note or a chat. Text from the input is escaped
 * so that a name never becomes markup, a link or a table cell break. */
#include <string.h>

#include "needlecheck.h"
#include "apps/plan.h"
#include "render/render.h"
#include "base/text.h"

/* s as inline Markdown text (never at the start of a line): what could
 * make markup there (emphasis, code, links, HTML, entities, table cells,
 * maths) is escaped with a backslash, and so is what a renderer would
 * turn into a link of its own: ":/" (http://…), '@' (an e-mail address)
 * and a '.' that does not end a sentence (www.example.com). Blanks and line
 * breaks become spaces, other control and bidi characters '?', invalid
 * UTF-8 U+FFFD. */
static void md_text(ndl_buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = ndl_utf8_decode(s + i, n - i, &cp);
		if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
			ndl_buf_append(out, " ", 1);
		else if (ndl_is_unsafe_cp(cp))
			ndl_buf_append(out, "?", 1);
		else if (cp < 0x80 && (strchr("\\`*_[]<>|~&$@", (int)cp) ||
				       (cp == ':' && i + 1 < n && s[i + 1] == '/') ||
				       (cp == '.' && i + 1 < n && !strchr(" \t\r\n", s[i + 1]))))
			ndl_buf_printf(out, "\\%c", (char)cp);
		else if (cp == 0xFFFD && k == 1)
			ndl_buf_puts(out, "\xef\xbf\xbd");
		else
			ndl_buf_append(out, s + i, k);
		i += k;
	}
}

static void cells(ndl_buf *out, const ndl_plan *plan, const ndl_cell *c,
		  int safe_from)
{
	int today = ndl_plan_today_column(plan);
	for (int d = 0; d < NDL_PLAN_DAYS; d++) {
		/* the verdicts that matter stand out: avoid in bold */
		const char *mark = c[d] == NDL_CELL_AVOID ? "**" : "";
		ndl_buf_printf(out, " %s%s%s%s |", d == today ? "➤ " : "", mark,
			       ndl_cell_name(c[d]), mark);
	}
	if (safe_from >= 0)
		ndl_buf_printf(out, " day %d |\n", safe_from);
	else
		ndl_buf_puts(out, " unknown |\n");
}

static void header(ndl_buf *out, const ndl_plan *plan, const char *first)
{
	int today = ndl_plan_today_column(plan);
	ndl_buf_printf(out, "| %s |", first);
	for (int d = 0; d < NDL_PLAN_DAYS; d++) {
		ndl_date date;
		ndl_buf_printf(out, " %sday %d", d == today ? "**" : "", d);
		if (ndl_plan_date(plan, d, &date) == 0)
			ndl_buf_printf(out, "<br>%s %d %s", ndl_weekday_abbr[date.weekday],
				       date.day, ndl_month_abbr[date.month - 1]);
		ndl_plan_write_time(out, plan, d, "<br>from ");
		ndl_buf_printf(out, "%s |", d == today ? " (today)**" : "");
	}
	ndl_buf_puts(out, " Safe from |\n|---|");
	for (int d = 0; d < NDL_PLAN_DAYS; d++)
		ndl_buf_puts(out, "---|");
	ndl_buf_puts(out, "---|\n");
}

static void today(ndl_buf *out, const ndl_plan *plan)
{
	ndl_buf line = {0};
	ndl_plan_today_title(&line, plan);
	ndl_buf_puts(out, "## ");
	md_text(out, ndl_buf_cstr(&line));
	ndl_buf_puts(out, "\n\n");
	for (int k = 0; k < NDL_TODAY_LISTS; k++) {
		line.len = 0;
		ndl_plan_today_list(&line, plan, k, 0);
		ndl_buf_printf(out, "- **%s:** ", ndl_today_heads[k]);
		md_text(out, ndl_buf_cstr(&line));
		ndl_buf_puts(out, "\n");
	}
	ndl_buf_puts(out, "\n");
	ndl_buf_free(&line);
}

void ndl_write_plan_markdown(ndl_buf *out, const ndl_plan *plan)
{
	ndl_date d;
	ndl_buf_puts(out, "# Aftercare plan\n\n");
	if (ndl_plan_date(plan, 0, &d) == 0)
	{
		ndl_buf_printf(out, "Procedure on %s %d %s %d",
			       ndl_weekday_abbr[d.weekday], d.day,
			       ndl_month_abbr[d.month - 1], d.year);
		ndl_plan_write_time(out, plan, 0, " at ");
		ndl_buf_puts(out, ". ");
	}
	if (plan->opt.has_now) {
		ndl_buf_printf(out, "Today is day %d", plan->opt.now.day);
		if (ndl_plan_today_date(plan, &d) == 0)
			ndl_buf_printf(out, " (%s %d %s)", ndl_weekday_abbr[d.weekday],
				       d.day, ndl_month_abbr[d.month - 1]);
		if (ndl_plan_today_column(plan) < 0)
			ndl_buf_puts(out, ", after the week below");
		ndl_plan_write_next_day(out, plan);
		ndl_buf_puts(out, ".\n\n");
	} else
		ndl_buf_puts(out, "No day was given, so no column is today.\n\n");
	today(out, plan);
	header(out, plan, "Product");
	for (size_t i = 0; i < plan->nrows; i++) {
		const ndl_plan_row *row = &plan->rows[i];
		ndl_buf_puts(out, "| ");
		md_text(out, row->label);
		ndl_buf_puts(out, " |");
		cells(out, plan, row->cells, row->safe_from_day);
	}
	ndl_buf_puts(out, "\n*avoid*: not on that day; *caution*: only if you must; "
			  "*recommended*: safe, with an ingredient the article "
			  "recommends; *unknown*: the ingredient list cannot be read.\n");

	int any = 0;
	ndl_buf line = {0};
	for (size_t i = 0; i < plan->nrows; i++) {
		const ndl_plan_row *row = &plan->rows[i];
		if (row->nreasons == 0 && row->error == NULL)
			continue;
		if (!any++)
			ndl_buf_puts(out, "\n## Why they wait\n\n");
		ndl_buf_puts(out, "- **");
		md_text(out, row->label);
		ndl_buf_puts(out, "**");
		if (row->nreasons == 0) {
			ndl_buf_puts(out, ": ");
			md_text(out, row->error);
			ndl_buf_puts(out, ", so it cannot be judged\n");
		} else {
			ndl_buf_puts(out, "\n");
		}
		for (size_t k = 0; k < row->nreasons; k++) {
			const ndl_plan_reason *r = &row->reasons[k];
			ndl_buf_puts(out, "  - ");
			md_text(out, r->ingredient);
			line.len = 0;
			ndl_plan_reason_classes(&line, r);
			ndl_buf_puts(out, " (");
			md_text(out, ndl_buf_cstr(&line));
			ndl_buf_puts(out, "): ");
			line.len = 0;
			ndl_plan_reason_days(&line, r);
			ndl_buf_puts(out, ndl_buf_cstr(&line));
			if (r->note) {
				ndl_buf_puts(out, " — ");
				md_text(out, r->note);
			}
			ndl_buf_puts(out, "\n");
		}
	}
	ndl_buf_free(&line);

	const ndl_guidance *g = plan->opt.guidance;
	if (g && ndl_guidance_count(g)) {
		ndl_buf_puts(out, "\n## Besides products\n\n");
		header(out, plan, "Advice");
		for (size_t i = 0; i < ndl_guidance_count(g); i++) {
			const ndl_advice *a = ndl_guidance_at(g, i);
			ndl_cell c[NDL_PLAN_DAYS];
			for (int k = 0; k < NDL_PLAN_DAYS; k++)
				c[k] = ndl_plan_advice_cell(plan, a, k);
			ndl_buf_puts(out, "| ");
			md_text(out, a->label);
			ndl_buf_puts(out, " |");
			cells(out, plan, c, ndl_window_safe_day(&a->window));
		}
		ndl_buf_puts(out, "\n");
		for (size_t i = 0; i < ndl_guidance_count(g); i++) {
			const ndl_advice *a = ndl_guidance_at(g, i);
			ndl_buf_puts(out, "- **");
			md_text(out, a->label);
			ndl_buf_puts(out, "**: ");
			md_text(out, a->advice);
			ndl_buf_puts(out, "\n  > ");
			md_text(out, a->source);
			ndl_buf_puts(out, "\n");
		}
	}
	ndl_buf credit = {0};
	ndl_credit(&credit, plan->opt.protocol);
	ndl_buf_puts(out, "\n");
	md_text(out, ndl_buf_cstr(&credit));
	ndl_buf_puts(out, "\n");
	ndl_buf_free(&credit);
}
