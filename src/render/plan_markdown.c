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

/* s escaped, between the markup before and after it. */
static void marked(ndl_buf *out, const char *before, const char *s, const char *after)
{
	ndl_buf_puts(out, before);
	md_text(out, s);
	ndl_buf_puts(out, after);
}

/* Each callback's w is the ndl_buf the page goes to, and the plan. */
typedef struct writer {
	ndl_buf *out;
	const ndl_plan *plan;
} writer;

static void grid_row(void *w_, const char *label, const ndl_cell *c, int safe_from)
{
	const writer *w = w_;
	int today = ndl_plan_today_column(w->plan);
	marked(w->out, "| ", label, " |");
	for (int d = 0; d < NDL_PLAN_DAYS; d++) {
		/* the verdicts that matter stand out: avoid in bold */
		const char *mark = c[d] == NDL_CELL_AVOID ? "**" : "";
		ndl_buf_printf(w->out, " %s%s%s%s |", d == today ? "➤ " : "", mark,
			       ndl_cell_name(c[d]), mark);
	}
	if (safe_from >= 0)
		ndl_buf_printf(w->out, " day %d |\n", safe_from);
	else
		ndl_buf_puts(w->out, " unknown |\n");
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

static void today_title(void *w_, const char *title)
{
	const writer *w = w_;
	marked(w->out, "## ", title, "\n\n");
}

static void today_list(void *w_, const char *head, const char *list)
{
	const writer *w = w_;
	ndl_buf_printf(w->out, "- **%s:** ", head);
	md_text(w->out, list);
	ndl_buf_puts(w->out, "\n");
}

static void today_end(void *w_)
{
	ndl_buf_puts(((const writer *)w_)->out, "\n");
}

static void reasons_head(void *w_)
{
	ndl_buf_puts(((const writer *)w_)->out, "\n## Why they wait\n\n");
}

static void waits(void *w_, const char *label, const char *error, const char *unjudged)
{
	const writer *w = w_;
	marked(w->out, "- **", label, "**");
	if (error)
		marked(w->out, ": ", error, unjudged);
	ndl_buf_puts(w->out, "\n");
}

static void reason(void *w_, const char *words, const char *note)
{
	const writer *w = w_;
	ndl_buf_puts(w->out, "  - ");
	md_text(w->out, words);
	if (note)
		marked(w->out, " — ", note, "");
	ndl_buf_puts(w->out, "\n");
}

static void advice(void *w_, const char *label, const char *text, const char *source)
{
	const writer *w = w_;
	marked(w->out, "- **", label, "**: ");
	md_text(w->out, text);
	marked(w->out, "\n  > ", source, "\n");
}

static const ndl_plan_format markdown = {
	.today_title = today_title, .today_list = today_list, .today_end = today_end,
	.grid_row = grid_row, .reasons_head = reasons_head, .waits = waits,
	.reason = reason, .advice = advice};

void ndl_write_plan_markdown(ndl_buf *out, const ndl_plan *plan)
{
	writer w = {out, plan};
	ndl_buf_puts(out, "# Aftercare plan\n\n");
	ndl_plan_intro(out, plan);
	ndl_buf_puts(out, "\n\n");
	ndl_plan_today(&w, plan, &markdown);
	header(out, plan, "Product");
	ndl_plan_product_rows(&w, plan, &markdown);
	ndl_buf_puts(out, "\n*avoid*: not on that day; *caution*: only if you must; "
			  "*recommended*: safe, with an ingredient the article "
			  "recommends; *unknown*: the ingredient list cannot be read.\n");
	ndl_plan_reasons(&w, plan, &markdown);
	if (ndl_plan_has_advice(plan)) {
		ndl_buf_puts(out, "\n## Besides products\n\n");
		header(out, plan, "Advice");
		ndl_plan_advice_rows(&w, plan, &markdown);
		ndl_buf_puts(out, "\n");
		ndl_plan_advice(&w, plan, &markdown);
	}
	ndl_buf credit = {0};
	ndl_credit(&credit, plan->opt.protocol);
	marked(out, "\n", ndl_buf_cstr(&credit), "\n");
	ndl_buf_free(&credit);
}
