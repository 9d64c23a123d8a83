/* --format html: a page a person can open on a phone, for the plan and for
 * a catalogue. One self-contained file: the style is inline, the charts
 * are inline SVG, nothing is fetched, so the page works offline, from an
 * e-mail or a chat; the catalogue's one small script only adds a filter
 * box, and the page is whole without it. Text from the input is always
 * escaped. */
#include <stdio.h>
#include <string.h>

#include "knowledge/lexicon.h"
#include "apps/plan.h"
#include "render/render.h"
#include "base/text.h"

static const char style[] =
	":root{color-scheme:light dark;--fg:#1d1f21;--bg:#fff;--muted:#5b6068;"
	"--line:#d5d9de;--avoid:#a3211a;--avoid-bg:#fde4e1;--caution:#6e4a00;"
	"--caution-bg:#ffefc2;--safe:#1d5e30;--safe-bg:#e4f3e7;--rec:#0a4f30;"
	"--rec-bg:#bfe8cc;--unknown:#5c348f;--unknown-bg:#eee5fa;--today:#1a56db}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#15171a;"
	"--muted:#a2a8b0;--line:#3a3f45;--avoid:#ffb4ab;--avoid-bg:#5c1612;"
	"--caution:#ffd97a;--caution-bg:#4a3600;--safe:#9fdcad;--safe-bg:#163d21;"
	"--rec:#b9f3c9;--rec-bg:#0f5132;--unknown:#d8c2ff;--unknown-bg:#3b2463;"
	"--today:#8ab4ff}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"sans-serif;color:var(--fg);background:var(--bg)}\n"
	"main{max-width:62rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.5rem;margin:.25rem 0 .5rem}h2{font-size:1.15rem;"
	"margin:1.5rem 0 .5rem}\n"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}\n"
	"table{border-collapse:collapse;width:100%;font-size:.92rem}\n"
	"th,td{padding:.35rem .45rem;border-bottom:1px solid var(--line);"
	"text-align:left;vertical-align:top}\n"
	"thead th{font-weight:600;white-space:nowrap}\n"
	"thead small{display:block;font-weight:400;color:var(--muted)}\n"
	".grid td{text-align:center;white-space:nowrap}\n"
	".grid th[scope=row],.grid thead th:first-child{position:sticky;left:0;"
	"z-index:1;background:var(--bg);"
	"min-width:7.5rem;max-width:14rem;overflow-wrap:anywhere;font-weight:600}\n"
	".avoid{background:var(--avoid-bg);color:var(--avoid);font-weight:600}\n"
	".caution{background:var(--caution-bg);color:var(--caution)}\n"
	".safe{background:var(--safe-bg);color:var(--safe)}\n"
	".recommended{background:var(--rec-bg);color:var(--rec);font-weight:600}\n"
	".unknown{background:var(--unknown-bg);color:var(--unknown)}\n"
	".now{border:2px solid var(--today);border-radius:.4rem;padding:.1rem .8rem;"
	"margin:.5rem 0 1rem}.now h2{margin:.5rem 0}.now p{margin:.35rem 0}\n"
	".today{box-shadow:inset 0 0 0 2px var(--today)}\n"
	"thead .today{color:var(--today)}\n"
	".v{display:inline-block;padding:0 .4rem;border-radius:.3rem}\n"
	".note,.legend,footer{color:var(--muted);font-size:.85rem}\n"
	"blockquote{margin:.2rem 0 .6rem;padding-left:.75rem;border-left:3px solid "
	"var(--line);color:var(--muted)}\n"
	"li{margin:.2rem 0}\n"
	"svg{display:block;width:100%;max-width:46rem;font-size:13px}\n"
	"svg text{fill:var(--fg)}\n"
	"svg .bar-avoid{fill:var(--avoid)}svg .bar-caution{fill:#d99a00}"
	"svg .bar-safe{fill:#3c9a5a}svg .bar-recommended{fill:var(--rec)}"
	"svg .bar-unknown{fill:#8a63c5}\n"
	"table.nobrand .brand{display:none}\n"
	".filter{font:inherit;width:100%;max-width:24rem;padding:.35rem .5rem;"
	"margin:0 0 .5rem;border:1px solid var(--line);border-radius:.3rem;"
	"color:var(--fg);background:var(--bg)}\n"
	"@media (max-width:32rem){main{padding:.6rem}table{font-size:.82rem}"
	"th,td{padding:.3rem}\n"
	/* on a phone a catalogue row is a card, so "Decided by" is never
	 * scrolled out of sight */
	"table.catalogue thead{display:none}"
	"table.catalogue tr{display:block;padding:.3rem 0;border-bottom:1px "
	"solid var(--line)}"
	"table.catalogue td{display:block;border:0;padding:.1rem .3rem}"
	"table.catalogue td[data-l]::before{content:attr(data-l) \": \";"
	"color:var(--muted)}}\n";

/* The catalogue's filter box: added by the script, so a page read without
 * script shows no box that does nothing. */
static const char filter_script[] =
	"<script>\n(function () {\n"
	"var t = document.querySelector('table.catalogue');\n"
	"if (!t) return;\n"
	"var box = document.createElement('input');\n"
	"box.type = 'search'; box.className = 'filter';\n"
	"box.placeholder = 'Filter: a name, an ingredient, a verdict';\n"
	"box.setAttribute('aria-label', 'Filter the products');\n"
	"t.parentNode.parentNode.insertBefore(box, t.parentNode);\n"
	"var rows = t.tBodies[0].rows;\n"
	"box.addEventListener('input', function () {\n"
	"  var q = box.value.toLowerCase();\n"
	"  for (var i = 0; i < rows.length; i++)\n"
	"    rows[i].hidden = q !== '' &&\n"
	"      rows[i].textContent.toLowerCase().indexOf(q) < 0;\n"
	"});\n})();\n</script>\n";

static const char *html_replacement(uint32_t cp, int invalid)
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	}
	if (invalid)
		return "\xef\xbf\xbd";
	/* the HTML parser rejects controls; bidi controls reorder the page */
	return ndl_is_unsafe_cp(cp) ? "?" : NULL;
}

void ndl_html_text(ndl_buf *out, const char *s, size_t n)
{
	ndl_escape(out, s, n, "&<>\"'", html_replacement);
}

static void html(ndl_buf *out, const char *s)
{
	ndl_html_text(out, s, strlen(s));
}

/* s escaped, between the markup before and after it. */
static void tagged(ndl_buf *out, const char *before, const char *s, const char *after)
{
	ndl_buf_puts(out, before);
	html(out, s);
	ndl_buf_puts(out, after);
}

static void page_begin(ndl_buf *out, const char *title)
{
	ndl_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			  "<meta charset=\"utf-8\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, "
			  "initial-scale=1\">\n<title>");
	html(out, title);
	ndl_buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
		       style);
}

static void page_end(ndl_buf *out, const char *protocol, const char *script)
{
	ndl_buf_puts(out, script);
	ndl_buf credit = {0};
	ndl_credit(&credit, protocol);
	ndl_buf_puts(out, "<footer><p>");
	ndl_html_text(out, credit.data, credit.len);
	ndl_buf_free(&credit);
	ndl_buf_puts(out, "</p><p>Made by needlecheck " NDL_VERSION
			  ".</p></footer>\n</main>\n</body>\n</html>\n");
}

/* ---------------------------------------------------------------- plan */

/* Plain words, not <abbr>: a dotted underline reads as a link on a
 * phone; the legend says what "rec." and "?" mean. */
static const char *const cell_html[] = {"rec.", "safe", "caution", "?", "avoid"};

/* Brings today's column into view in each grid that scrolls sideways,
 * right of the fixed product column. Without it the page is whole: the
 * Today block above says the same. */
static const char today_script[] =
	"<script>\n(function () {\n"
	"var heads = document.querySelectorAll('table.grid thead th.today');\n"
	"for (var i = 0; i < heads.length; i++) {\n"
	"  var box = heads[i].closest('.scroll');\n"
	"  var first = box.querySelector('thead th');\n"
	"  box.scrollLeft = heads[i].offsetLeft - first.offsetWidth;\n"
	"}\n})();\n</script>\n";

/* Each callback's w is the ndl_buf the page goes to, and the plan. */
typedef struct writer {
	ndl_buf *out;
	const ndl_plan *plan;
} writer;

/* The Today block: first on the page, so a phone shows it at once. */
static void today_title(void *w_, const char *title)
{
	const writer *w = w_;
	tagged(w->out, "<section class=\"now\">\n<h2>", title, "</h2>\n");
}

static void today_list(void *w_, const char *head, const char *list)
{
	const writer *w = w_;
	ndl_buf_printf(w->out, "<p><strong>%s:</strong> ", head);
	html(w->out, list);
	ndl_buf_puts(w->out, "</p>\n");
}

static void section_end(void *w_)
{
	ndl_buf_puts(((const writer *)w_)->out, "</section>\n");
}

static void cell(ndl_buf *out, ndl_cell c, int today)
{
	ndl_buf_printf(out, "<td class=\"%s%s\">%s</td>", ndl_cell_name(c),
		       today ? " today" : "", cell_html[c]);
}

/* The first safe day comes right after the label: on a phone the days
 * scroll sideways under the label, and this is what a person looks for. */
static void grid_row(void *w_, const char *label, const ndl_cell *cells, int safe_from)
{
	const writer *w = w_;
	int today = ndl_plan_today_column(w->plan);
	tagged(w->out, "<tr><th scope=\"row\">", label, "</th>");
	if (safe_from >= 0)
		ndl_buf_printf(w->out, "<td>day %d</td>", safe_from);
	else
		ndl_buf_puts(w->out, "<td>unknown</td>");
	for (int d = 0; d < NDL_PLAN_DAYS; d++)
		cell(w->out, cells[d], d == today);
	ndl_buf_puts(w->out, "</tr>\n");
}

static void grid_head(ndl_buf *out, const ndl_plan *plan, const char *first)
{
	int today = ndl_plan_today_column(plan);
	ndl_buf_printf(out, "<div class=\"scroll\"><table class=\"grid\">\n<thead><tr>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">Safe from</th>",
		       first);
	for (int d = 0; d < NDL_PLAN_DAYS; d++) {
		ndl_date date;
		ndl_buf_printf(out, "<th scope=\"col\"%s>day %d", d == today ? " class=\"today\"" : "", d);
		if (ndl_plan_date(plan, d, &date) == 0)
			ndl_buf_printf(out, "<small>%s %d %s</small>",
				       ndl_weekday_abbr[date.weekday], date.day,
				       ndl_month_abbr[date.month - 1]);
		size_t at = out->len;
		ndl_plan_write_time(out, plan, d, "<small>from ");
		if (out->len > at)
			ndl_buf_puts(out, "</small>");
		if (d == today)
			ndl_buf_puts(out, "<small>today</small>");
		ndl_buf_puts(out, "</th>");
	}
	ndl_buf_puts(out, "</tr></thead>\n<tbody>\n");
}

static void reasons_head(void *w_)
{
	ndl_buf_puts(((const writer *)w_)->out, "<section>\n<h2>Why they wait</h2>\n<ul>\n");
}

static void waits(void *w_, const char *label, const char *error, const char *unjudged)
{
	const writer *w = w_;
	tagged(w->out, "<li><strong>", label, "</strong>");
	if (error) {
		tagged(w->out, ": ", error, unjudged);
		ndl_buf_puts(w->out, "</li>\n");
	} else {
		ndl_buf_puts(w->out, "<ul>\n");
	}
}

static void reason(void *w_, const char *words, const char *note)
{
	const writer *w = w_;
	ndl_buf_puts(w->out, "<li>");
	html(w->out, words);
	if (note)
		tagged(w->out, " <span class=\"note\">", note, "</span>");
	ndl_buf_puts(w->out, "</li>\n");
}

static void waits_end(void *w_, int judged)
{
	if (judged)
		ndl_buf_puts(((const writer *)w_)->out, "</ul></li>\n");
}

static void reasons_end(void *w_)
{
	ndl_buf_puts(((const writer *)w_)->out, "</ul>\n</section>\n");
}

static void advice(void *w_, const char *label, const char *text, const char *source)
{
	const writer *w = w_;
	tagged(w->out, "<li><strong>", label, "</strong>: ");
	html(w->out, text);
	tagged(w->out, "<blockquote>", source, "</blockquote></li>\n");
}

static const ndl_plan_format page = {
	.today_title = today_title, .today_list = today_list,
	.today_end = section_end, .grid_row = grid_row,
	.reasons_head = reasons_head, .waits = waits, .reason = reason,
	.waits_end = waits_end, .reasons_end = reasons_end, .advice = advice};

/* The Today block, then each photo's view: a person holding the bottle
 * sees what may be used today, then where on the label it says why. */
void ndl_write_plan_today_html(ndl_buf *out, const ndl_plan *plan,
			       const char *photo_views, size_t photo_views_len)
{
	writer w = {out, plan};
	ndl_plan_today(&w, plan, &page);
	if (photo_views_len)
		ndl_buf_append(out, photo_views, photo_views_len);
}

void ndl_write_plan_html(ndl_buf *out, const ndl_plan *plan,
			 const char *photo_views, size_t photo_views_len)
{
	writer w = {out, plan};
	page_begin(out, "Aftercare plan");
	ndl_buf_puts(out, "<h1>Aftercare plan</h1>\n<p>");
	ndl_plan_intro(out, plan);
	ndl_buf_puts(out, "</p>\n");
	ndl_write_plan_today_html(out, plan, photo_views, photo_views_len);
	grid_head(out, plan, "Product");
	ndl_plan_product_rows(&w, plan, &page);
	ndl_buf_puts(out, "</tbody></table></div>\n"
			  "<p class=\"legend\"><span class=\"v avoid\">avoid</span> not on "
			  "that day · <span class=\"v caution\">caution</span> only if "
			  "you must · <span class=\"v safe\">safe</span> · "
			  "<span class=\"v recommended\">rec.</span> recommended: safe, "
			  "with an ingredient the article recommends · "
			  "<span class=\"v unknown\">?</span> the ingredient list cannot "
			  "be read</p>\n");
	ndl_plan_reasons(&w, plan, &page);
	if (ndl_plan_has_advice(plan)) {
		ndl_buf_puts(out, "<section>\n<h2>Besides products</h2>\n");
		grid_head(out, plan, "Advice");
		ndl_plan_advice_rows(&w, plan, &page);
		ndl_buf_puts(out, "</tbody></table></div>\n<ul>\n");
		ndl_plan_advice(&w, plan, &page);
		ndl_buf_puts(out, "</ul>\n</section>\n");
	}
	page_end(out, plan->opt.protocol,
		 ndl_plan_today_column(plan) > 0 ? today_script : "");
}

/* ----------------------------------------------------------- catalogue */

typedef struct bar {
	const char *label;
	unsigned long count;
	const char *kind; /* a cell name: the bar's colour */
} bar;

/* A horizontal bar chart. Widths are percentages of the page, so the
 * labels keep their size on a phone instead of shrinking with a viewBox. */
static void chart(ndl_buf *out, const char *title, const bar *bars, size_t n)
{
	unsigned long max = 1;
	for (size_t i = 0; i < n; i++)
		if (bars[i].count > max)
			max = bars[i].count;
	const unsigned row_h = 26, bar_h = 18;
	ndl_buf_printf(out, "<svg height=\"%zu\" "
			    "role=\"img\" aria-label=\"", (size_t)row_h * n + 4);
	html(out, title);
	ndl_buf_puts(out, "\"><title>");
	html(out, title);
	ndl_buf_puts(out, "</title>\n");
	for (size_t i = 0; i < n; i++) {
		double w = 46.0 * (double)bars[i].count / (double)max;
		unsigned y = (unsigned)i * row_h + 2;
		ndl_buf_printf(out, "<g><text x=\"38%%\" y=\"%u\" text-anchor=\"end\">",
			       y + 14);
		html(out, bars[i].label);
		ndl_buf_printf(out, "</text><rect class=\"bar-%s\" x=\"40%%\" y=\"%u\" "
				    "width=\"%.2f%%\" height=\"%u\" rx=\"3\"/>"
				    "<text x=\"%.2f%%\" y=\"%u\">%lu</text></g>\n",
			       bars[i].kind, y, w, bar_h, 41.0 + w, y + 14,
			       bars[i].count);
	}
	ndl_buf_puts(out, "</svg>\n");
}

/* What findings of class c are on the day, as a cell name for colours. */
static const char *class_kind(const ndl_class *c, ndl_when when)
{
	return ndl_status_name(ndl_window_status(&c->window, when, NULL));
}

static unsigned long not_safe(const ndl_stats *s)
{
	return s->products - s->verdicts[NDL_VERDICT_SAFE];
}

/* The classes found in products whose findings are kind(s) on the day, most
 * frequent first, as bars. */
static size_t class_bars(const ndl_lexicon *lex, const ndl_stats *s,
			 ndl_when when, int helping, bar *bars)
{
	size_t n = 0;
	for (size_t i = 0; i < ndl_class_count(lex) && i < NDL_MAX_CLASSES; i++) {
		const char *kind = class_kind(&lex->classes[i], when);
		int helps = strcmp(kind, "recommended") == 0;
		int waits = strcmp(kind, "avoid") == 0 || strcmp(kind, "caution") == 0;
		if (s->classes[i] == 0 || (helping ? !helps : !waits))
			continue;
		bar b = {ndl_class_id(lex, i), s->classes[i], kind};
		size_t j = n++;
		for (; j > 0 && bars[j - 1].count < b.count; j--)
			bars[j] = bars[j - 1];
		bars[j] = b;
	}
	return n;
}

/* The photos' views come right after the count: on a phone, a person
 * holding the bottle sees it on the first screen, not under the charts
 * and the table. */
void ndl_write_html_catalogue_begin(ndl_buf *out, const ndl_lexicon *lex,
				    const ndl_stats *s, ndl_when when,
				    unsigned flags, const char *photo_views,
				    size_t photo_views_len)
{
	int mine = flags & NDL_HTML_PRODUCTS;
	char title[64];
	snprintf(title, sizeof(title), "%s on day %d after micro-needling",
		 mine ? "Your products" : "Catalogue", when.day);
	page_begin(out, title);
	ndl_buf_printf(out, "<h1>%s</h1>\n<p>%lu product%s, judged on day %d after "
			    "the procedure.", title, s->products,
		       s->products == 1 ? "" : "s", when.day);
	if (flags & NDL_HTML_DAY_ASSUMED)
		ndl_buf_puts(out, " <span class=\"note\">(No day was given: day 0, "
				  "the day of the procedure and the strictest, was "
				  "assumed.)</span>");
	ndl_buf_puts(out, "</p>\n");
	if (photo_views_len)
		ndl_buf_append(out, photo_views, photo_views_len);

	static const ndl_verdict order[] = {NDL_VERDICT_AVOID, NDL_VERDICT_CAUTION,
					    NDL_VERDICT_UNKNOWN, NDL_VERDICT_SAFE};
	bar bars[NDL_MAX_CLASSES];
	if (!mine) {
		for (size_t i = 0; i < 4; i++)
			bars[i] = (bar){ndl_verdict_name(order[i]), s->verdicts[order[i]],
					ndl_verdict_name(order[i])};
		ndl_buf_puts(out, "<section>\n<h2>Products per verdict</h2>\n");
		chart(out, "Products per verdict", bars, 4);
		ndl_buf_puts(out, "</section>\n");
	}

	/* the problems and the help apart: a bar of hydrating products next
	 * to the retinoids would read as the largest problem */
	size_t n = class_bars(lex, s, when, 0, bars);
	if (n) {
		ndl_buf_printf(out, "<section>\n<h2>Why products wait on day %d</h2>\n",
			       when.day);
		chart(out, "Products with an ingredient to avoid or use with caution",
		      bars, n);
		ndl_buf_printf(out, "<p class=\"legend\">Products with an ingredient of "
				    "each class that is <span class=\"v avoid\">avoid"
				    "</span> or <span class=\"v caution\">caution</span> "
				    "on day %d; a product counts once in each class it "
				    "has.</p>\n</section>\n",
			       when.day);
	}
	n = class_bars(lex, s, when, 1, bars);
	if (n) {
		ndl_buf_printf(out, "<section>\n<h2>What helps on day %d</h2>\n",
			       when.day);
		chart(out, "Products with a recommended ingredient", bars, n);
		ndl_buf_printf(out, "<p class=\"legend\">Products with an ingredient of "
				    "each class <span class=\"v recommended\">"
				    "recommended</span> on day %d.</p>\n</section>\n",
			       when.day);
	}

	if (flags & NDL_HTML_SUMMARY)
		return;
	if (mine)
		ndl_buf_puts(out, "<section>\n<h2>Products</h2>\n");
	else
		ndl_buf_printf(out, "<section>\n<h2>Not safe on day %d (%lu)</h2>\n",
			       when.day, not_safe(s));
	if (!mine && not_safe(s) == 0)
		ndl_buf_printf(out, "<p>Every product is safe on day %d.</p>\n", when.day);
	else
		/* catalogue rows always hold a brand cell (they are written
		 * before the page knows whether any CSV named a brand):
		 * without one the column is hidden */
		ndl_buf_printf(out, "<div class=\"scroll\"><table class=\"catalogue%s\">\n"
				    "<thead><tr><th scope=\"col\">Verdict</th>"
				    "<th scope=\"col\">Safe from</th>%s"
				    "<th scope=\"col\">Product</th>%s<th scope=\"col\">"
				    "Decided by</th></tr></thead>\n<tbody>\n",
			       mine || (flags & NDL_HTML_BRAND) ? "" : " nobrand",
			       mine ? "" : "<th scope=\"col\">Row</th>",
			       mine ? "" : "<th scope=\"col\" class=\"brand\">Brand</th>");
}

/* A text input's product: its --name, else the file it came from (and
 * its line when a file holds several). */
static void product_name(ndl_buf *out, const ndl_record *rec)
{
	if (rec->name && rec->name_len) {
		ndl_html_text(out, rec->name, rec->name_len);
		return;
	}
	if (strcmp(rec->source, "<stdin>") == 0 || strcmp(rec->source, "-") == 0) {
		ndl_buf_puts(out, "the pasted list");
	} else {
		const char *base = strrchr(rec->source, '/');
		html(out, base ? base + 1 : rec->source);
	}
	if (rec->line > 1)
		ndl_buf_printf(out, ", line %lu", rec->line);
}

void ndl_write_html_catalogue_row(ndl_buf *out, const ndl_record *rec,
				  const ndl_result *r, unsigned flags)
{
	int safe_from;
	ndl_verdict verdict = ndl_verdict_at(r, rec->when, &safe_from);
	if (verdict == NDL_VERDICT_SAFE && !(flags & NDL_HTML_PRODUCTS))
		return;
	const char *v = ndl_verdict_name(verdict);
	ndl_buf_printf(out, "<tr><td><span class=\"v %s\">%s</span></td>"
			    "<td data-l=\"Safe from\">", v, v);
	if (safe_from >= 0)
		ndl_buf_printf(out, "day %d", safe_from);
	else
		ndl_buf_puts(out, "unknown");
	ndl_buf_puts(out, "</td><td");
	if (flags & NDL_HTML_PRODUCTS) {
		ndl_buf_puts(out, ">");
		product_name(out, rec);
	} else {
		ndl_buf_puts(out, " data-l=\"Row\">");
		if (flags & NDL_HTML_SOURCE) {
			html(out, rec->source);
			ndl_buf_puts(out, " ");
		}
		ndl_buf_printf(out, "%lu</td><td>", rec->row);
		if (rec->name && rec->name_len)
			ndl_html_text(out, rec->name, rec->name_len);
		else if (rec->id && rec->id_len)
			ndl_html_text(out, rec->id, rec->id_len);
		else
			ndl_buf_puts(out, "—");
		ndl_buf_puts(out, "</td><td class=\"brand\" data-l=\"Brand\">");
		if (rec->brand)
			ndl_html_text(out, rec->brand, rec->brand_len);
	}
	ndl_buf_puts(out, "</td><td data-l=\"Decided by\">");
	int worst = verdict == NDL_VERDICT_AVOID ? 2 : verdict == NDL_VERDICT_CAUTION ? 1 : 3;
	/* the ingredients at the verdict's level; one in several classes is
	 * named once, with its classes */
	int shown = 0;
	for (size_t k = 0; k < r->nfindings && verdict != NDL_VERDICT_SAFE; k++) {
		const ndl_finding *f = &r->findings[k];
		if (ndl_finding_weight(f, rec->when) != worst)
			continue;
		ndl_buf_puts(out, shown++ ? ", " : "");
		ndl_html_text(out, f->ingredient, f->ingredient_len);
		ndl_buf_puts(out, " <small>(");
		html(out, f->class_id);
		while (k + 1 < r->nfindings && r->findings[k + 1].offset == f->offset &&
		       ndl_finding_weight(&r->findings[k + 1], rec->when) == worst) {
			ndl_buf_puts(out, ", ");
			html(out, r->findings[++k].class_id);
		}
		ndl_buf_puts(out, ")</small>");
	}
	const char *error = rec->error ? rec->error : r->error;
	if (shown == 0 && error)
		html(out, error);
	else if (verdict == NDL_VERDICT_SAFE)
		ndl_buf_puts(out, "nothing to wait for");
	ndl_buf_puts(out, "</td></tr>\n");
}

/* Whether the page has its table of products. */
static int has_table(const ndl_stats *s, unsigned flags)
{
	return !(flags & NDL_HTML_SUMMARY) &&
	       ((flags & NDL_HTML_PRODUCTS) ? s->products > 0 : not_safe(s) > 0);
}

static void catalogue_close(ndl_buf *out, const ndl_stats *s, unsigned flags)
{
	int table = has_table(s, flags);
	if (!(flags & NDL_HTML_SUMMARY)) {
		if (table)
			ndl_buf_puts(out, "</tbody></table></div>\n");
		if (not_safe(s) > NDL_HTML_MAX_ROWS)
			ndl_buf_printf(out, "<p class=\"note\">The first %d are listed; "
					    "%lu more are not safe. The same command "
					    "with <code>--format csv</code> lists every "
					    "product.</p>\n",
				       NDL_HTML_MAX_ROWS, not_safe(s) - NDL_HTML_MAX_ROWS);
		ndl_buf_puts(out, "</section>\n");
	}
}

/* The table's section closed, then the footer. */
void ndl_write_html_catalogue_end(ndl_buf *out, const ndl_lexicon *lex,
				  const ndl_stats *s, unsigned flags)
{
	catalogue_close(out, s, flags);
	page_end(out, ndl_lexicon_protocol(lex), has_table(s, flags) ? filter_script : "");
}
