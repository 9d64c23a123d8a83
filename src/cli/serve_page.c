/* needlecheck serve, the page: a form to paste a list or take a photo
 * of the label and give the procedure's date, and the answer to it. A phone's page: one column,
 * inline style, no script and nothing fetched, a plain form that posts.
 * The date and time stay in the page's address (/?date=…&time=…), never
 * on the server. Every string from the request is escaped. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/serve.h"

static const char style[] =
	":root{color-scheme:light dark;--fg:#1d1f21;--bg:#fff;--muted:#5b6068;"
	"--line:#d5d9de;--avoid:#a3211a;--avoid-bg:#fde4e1;--caution:#6e4a00;"
	"--caution-bg:#ffefc2;--safe:#1d5e30;--safe-bg:#e4f3e7;"
	"--unknown:#5c348f;--unknown-bg:#eee5fa;--accent:#1a56db}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#15171a;"
	"--muted:#a2a8b0;--line:#3a3f45;--avoid:#ffb4ab;--avoid-bg:#5c1612;"
	"--caution:#ffd97a;--caution-bg:#4a3600;--safe:#9fdcad;--safe-bg:#163d21;"
	"--unknown:#d8c2ff;--unknown-bg:#3b2463;--accent:#8ab4ff}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:17px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"sans-serif;color:var(--fg);background:var(--bg)}\n"
	"main{max-width:40rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.4rem;margin:.25rem 0 .75rem}"
	"h2{font-size:1.1rem;margin:0 0 .4rem;overflow-wrap:anywhere}\n"
	"label{display:block;font-weight:600;margin:.8rem 0 .3rem}\n"
	"label small,.note,footer{font-weight:400;color:var(--muted);font-size:.88rem}\n"
	"textarea,input{width:100%;font:inherit;padding:.5rem;border:1px solid "
	"var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg)}\n"
	"textarea{min-height:9rem}\n"
	".when{display:flex;gap:.6rem}.when div{flex:1}\n"
	"button{margin-top:1rem;width:100%;font:inherit;font-weight:600;"
	"padding:.7rem;border:0;border-radius:.4rem;background:var(--accent);"
	"color:#fff}\n"
	"section{border:1px solid var(--line);border-radius:.5rem;padding:.8rem;"
	"margin:0 0 .8rem}\n"
	".v{display:inline-block;padding:0 .45rem;border-radius:.3rem}\n"
	".avoid{background:var(--avoid-bg);color:var(--avoid)}\n"
	".caution{background:var(--caution-bg);color:var(--caution)}\n"
	".safe,.recommended{background:var(--safe-bg);color:var(--safe)}\n"
	".unknown,.error{background:var(--unknown-bg);color:var(--unknown)}\n"
	".error{padding:.6rem;border-radius:.4rem}\n"
	"ul{padding-left:1.2rem;margin:.3rem 0}li{margin:.2rem 0;overflow-wrap:anywhere}\n"
	"a{color:var(--accent)}\n"
	/* the plan's Today block (the plan writer "today-html") */
	".now{border:2px solid var(--accent)}.now h2{margin:.1rem 0 .4rem}"
	".now p{margin:.35rem 0;overflow-wrap:anywhere}\n"
	".ocr{font-family:ui-monospace,monospace;font-size:.9rem;"
	"overflow-wrap:anywhere;border-left:3px solid var(--line);"
	"padding-left:.6rem}\n"
	"mark{background:var(--caution-bg);color:var(--caution);"
	"border-bottom:2px dotted var(--caution)}\n";

static void html(ndl_buf *out, const char *s)
{
	ndl_html_text(out, s, strlen(s));
}

/* Text for a textarea: its lines kept (CR LF as LF), each escaped. */
static void html_lines(ndl_buf *out, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\n");
		size_t len = n && s[n - 1] == '\r' ? n - 1 : n;
		ndl_html_text(out, s, len);
		s += n;
		if (*s == '\n') {
			ndl_buf_puts(out, "\n");
			s++;
		}
	}
}

/* s as a URL query value, then as HTML (an attribute's). */
static void url_value(ndl_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == '_')
			ndl_buf_append(out, s, 1);
		else
			ndl_buf_printf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* "?date=…&amp;time=…" of the page's address, or nothing. */
static void when_query(ndl_buf *out, const serve_page_args *a)
{
	int d = a->date && *a->date, t = a->time && *a->time;
	if (d) {
		ndl_buf_puts(out, "?date=");
		url_value(out, a->date);
	}
	if (t) {
		ndl_buf_puts(out, d ? "&amp;time=" : "?time=");
		url_value(out, a->time);
	}
}

static const char *const month[12] = {"January", "February", "March", "April",
				       "May", "June", "July", "August",
				       "September", "October", "November", "December"};
static const char *const weekday[7] = {"Monday", "Tuesday", "Wednesday",
				       "Thursday", "Friday", "Saturday", "Sunday"};

/* The date of day d when the plan has one: " (Friday 4 December)" */
static void date(ndl_buf *out, const ndl_plan *plan, int d)
{
	ndl_date dt;
	if (ndl_plan_date(plan, d, &dt) == 0)
		ndl_buf_printf(out, " (%s %d %s)", weekday[dt.weekday], dt.day,
			       month[dt.month - 1]);
}

static const char *const verdict_words[] = {
	[NDL_VERDICT_SAFE] = "Safe today",
	[NDL_VERDICT_CAUTION] = "Today: with caution",
	[NDL_VERDICT_UNKNOWN] = "Cannot tell",
	[NDL_VERDICT_AVOID] = "Not today: avoid"};

static void reason(ndl_buf *out, const ndl_plan *plan, const ndl_plan_reason *r)
{
	ndl_buf_puts(out, "<li><b>");
	html(out, r->ingredient);
	ndl_buf_puts(out, "</b> (");
	for (size_t k = 0; k < r->nclasses; k++) {
		ndl_buf_puts(out, k ? ", " : "");
		html(out, r->classes[k]);
	}
	ndl_buf_puts(out, "): ");
	ndl_days_phrase(out, 0, r->avoid_until_day, r->safe_day);
	date(out, plan, r->safe_day);
	if (r->note) {
		ndl_buf_puts(out, " — ");
		html(out, r->note);
	}
	ndl_buf_puts(out, "</li>\n");
}

/* The names of product i the lexicon does not know: never silently
 * passed over, since one of them may be an active under a new name. */
static void unrecognized(ndl_buf *out, const serve_page_args *a, size_t i)
{
	if (a->unknown == NULL || a->unknown_at[i] == a->unknown_at[i + 1])
		return;
	ndl_buf_puts(out, "<p class=\"note\">Not recognised (check them with "
			  "your practitioner): ");
	const char *s = a->unknown->data + a->unknown_at[i];
	const char *end = a->unknown->data + a->unknown_at[i + 1];
	for (int first = 1; s < end; first = 0) {
		size_t n = strlen(s);
		ndl_buf_puts(out, first ? "" : ", ");
		ndl_html_text(out, s, n);
		s += n + 1;
	}
	ndl_buf_puts(out, ".</p>\n");
}

/* The words of [a, b) of the list as read, those read unsure marked;
 * *w: the first word that may still be in it, moved on. */
static void read_line(ndl_buf *out, const ndl_photo_page *pr, size_t a,
		      size_t b, size_t *w, size_t *unsure)
{
	const char *t = pr->product.text;
	ndl_photo_word word;
	for (; ndl_photo_word_at(pr, *w, &word) == 0; ++*w) {
		if (word.offset >= b)
			break;
		if (word.offset + word.len <= a || word.confidence >= NDL_PHOTO_UNSURE)
			continue;
		size_t from = word.offset > a ? word.offset : a;
		size_t to = word.offset + word.len < b ? word.offset + word.len : b;
		ndl_html_text(out, t + a, from - a);
		ndl_buf_printf(out, "<mark title=\"read %.0f %% sure\">",
			       word.confidence);
		ndl_html_text(out, t + from, to - from);
		ndl_buf_puts(out, "</mark>");
		++*unsure;
		a = to;
	}
	ndl_html_text(out, t + a, b - a);
}

/* What a person checks after a photo, as `check` prints it: the list's
 * lines as read and its confidence, here with each word read unsure
 * marked, then what was left out. */
void serve_page_photo(ndl_buf *out, const ndl_photo_page *pr)
{
	ndl_buf_printf(out, "<div class=\"read\">\n<p>Read from the photo (%.0f %% "
			    "sure of the list", pr->confidence);
	if (pr->confidence < NDL_PHOTO_MIN_CONFIDENCE)
		ndl_buf_printf(out, ", %.0f %% needed", NDL_PHOTO_MIN_CONFIDENCE);
	ndl_buf_puts(out, "; ");
	html(out, pr->engine ? pr->engine : "");
	ndl_buf_puts(out, "):</p>\n<p class=\"ocr\">");
	size_t at = 0, a, b, w = 0, unsure = 0, lines = 0;
	while (photo_list_line(pr, &at, &a, &b)) {
		ndl_buf_puts(out, lines++ ? "<br>\n" : "");
		read_line(out, pr, a, b, &w, &unsure);
	}
	if (lines == 0)
		ndl_buf_puts(out, "(no ingredient list found)");
	ndl_buf_puts(out, "</p>\n");
	if (unsure)
		ndl_buf_printf(out, "<p class=\"note\">%zu word%s read unsure "
				    "(under %.0f %%) marked: compare them with the "
				    "label.</p>\n", unsure, unsure == 1 ? "" : "s",
			       NDL_PHOTO_UNSURE);
	if (pr->skipped) {
		ndl_buf_puts(out, "<p class=\"note\">Left out: ");
		html(out, pr->skipped);
		ndl_buf_puts(out, ".</p>\n");
	}
	ndl_buf_puts(out, "</div>\n");
}

static void product(ndl_buf *out, const serve_page_args *a, size_t i, int alone)
{
	const ndl_plan *plan = a->plan;
	const ndl_plan_row *row = ndl_plan_row_at(plan, i);
	const char *v = ndl_verdict_name(row->verdict);
	ndl_buf_printf(out, "<section class=\"product\" data-verdict=\"%s\">\n<h2>", v);
	if (!alone) {
		html(out, row->label);
		ndl_buf_puts(out, ": ");
	}
	ndl_buf_printf(out, "<span class=\"v %s\">%s</span></h2>\n", v,
		       verdict_words[row->verdict]);
	if (row->error) {
		size_t n = strlen(row->error);
		ndl_buf_puts(out, "<p>The list could not be read: ");
		html(out, row->error);
		ndl_buf_puts(out, n && row->error[n - 1] == '.' ? " " : ". ");
		ndl_buf_puts(out, "What was not read is never called safe.</p>\n");
	} else if (row->safe_from_day > 0) {
		ndl_buf_printf(out, "<p class=\"safe-day\">Safe from day %d",
			       row->safe_from_day);
		date(out, plan, row->safe_from_day);
		ndl_buf_puts(out, ".</p>\n");
	} else {
		ndl_buf_puts(out, "<p class=\"safe-day\">Safe from the procedure "
				  "day on.</p>\n");
	}
	if (row->nreasons) {
		ndl_buf_puts(out, "<p>Why:</p>\n<ul>\n");
		for (size_t k = 0; k < row->nreasons; k++)
			reason(out, plan, &row->reasons[k]);
		ndl_buf_puts(out, "</ul>\n");
	}
	unrecognized(out, a, i);
	if (a->photo_read && a->photo_row == i)
		ndl_buf_append(out, a->photo_read->data, a->photo_read->len);
	ndl_buf_puts(out, "</section>\n");
}

static void answer(ndl_buf *out, const serve_page_args *a)
{
	size_t n = ndl_plan_count(a->plan);
	ndl_buf_puts(out, "<div id=\"answer\">\n<p class=\"note\">");
	if (a->day_assumed)
		ndl_buf_puts(out, "No procedure date given: judged for the "
				  "procedure day itself (day 0), the strictest.");
	else
		ndl_buf_printf(out, "Today is day %d after your procedure.",
			       a->today);
	ndl_buf_puts(out, "</p>\n");
	/* the plan's summary first, as the plan opens: what to use today,
	 * what waits and until when, what else to avoid */
	ndl_write_options wo = {0};
	ndl_plan_writer_find("today-html")->plan(out, &wo, a->plan);
	for (size_t i = 0; i < n; i++)
		product(out, a, i, n == 1);
	if (!a->day_assumed) {
		ndl_buf_puts(out, "<p class=\"note\">Keep <a href=\"/");
		when_query(out, a);
		ndl_buf_puts(out, "\">this link</a>: it remembers your "
				  "procedure's date, the server does not.</p>\n");
	}
	ndl_buf_puts(out, "</div>\n");
}

/* A field of the procedure's moment (kind: date or time), filled with
 * value when the request had one. */
static void when_field(ndl_buf *out, const char *kind, const char *label,
		       const char *value)
{
	ndl_buf_printf(out, "<div><label for=\"%s\">%s</label><input type=\"%s\" "
			    "id=\"%s\" name=\"%s\" value=\"",
		       kind, label, kind, kind, kind);
	if (value)
		html(out, value);
	ndl_buf_puts(out, "\"></div>");
}

static void form(ndl_buf *out, const serve_page_args *a)
{
	if (a->server_since) {
		/* a clinic's server, set for one procedure: said, and the
		 * form's date comes filled with it */
		ndl_buf_puts(out, "<p class=\"note\" id=\"server-since\">This page "
				  "is set for a procedure on ");
		const char *t = strchr(a->server_since, 'T');
		ndl_html_text(out, a->server_since, strcspn(a->server_since, "T"));
		if (t) {
			ndl_buf_puts(out, " at ");
			html(out, t + 1);
		}
		ndl_buf_puts(out, "; give another date and time below for "
				  "another.</p>\n");
	}
	/* multipart: the photo goes with the fields, without script */
	ndl_buf_puts(out, "<form method=\"post\" enctype=\"multipart/form-data\" "
			  "action=\"/check");
	when_query(out, a);
	ndl_buf_puts(out, "\">\n<label for=\"list\">Ingredient list <small>as "
			  "printed on the label; several products: a blank line "
			  "between them</small></label>\n"
			  "<textarea id=\"list\" name=\"list\" rows=\"8\" "
			  "placeholder=\"Aqua, Glycerin, Retinol, …\">");
	if (a->list)
		html_lines(out, a->list);
	ndl_buf_puts(out, "</textarea>\n<label for=\"photo\">Or a photo of the "
			  "label <small>the ingredient list sharp and filling "
			  "the frame</small></label>\n<input type=\"file\" "
			  "id=\"photo\" name=\"photo\" accept=\"image/*\" "
			  "capture=\"environment\">\n<div class=\"when\">");
	when_field(out, "date", "Procedure date", a->date);
	when_field(out, "time", "Time", a->time);
	ndl_buf_puts(out, "</div>\n<button type=\"submit\">Check</button>\n"
			  "</form>\n");
}

void serve_page(ndl_buf *out, const serve_page_args *a)
{
	ndl_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
			    "content=\"width=device-width, initial-scale=1\">\n"
			    "<title>Safe after micro-needling? — needlecheck</title>\n"
			    "<style>\n%s</style>\n</head>\n<body>\n<main>\n"
			    "<h1>Safe after micro-needling?</h1>\n", style);
	if (a->error) {
		ndl_buf_puts(out, "<p class=\"error\" role=\"alert\">");
		html(out, a->error);
		ndl_buf_puts(out, "</p>\n");
	}
	if (a->plan)
		answer(out, a);
	form(out, a);
	ndl_buf_puts(out, "<footer><p>Reads an INCI list and says whether the "
			  "product is safe on a day after micro-needling, why, "
			  "and from which day. The days follow one aftercare "
			  "article; a clinic's own protocol overrides them. This "
			  "is information, not medical advice: follow your "
			  "practitioner.</p><p>needlecheck " NDL_VERSION
			  " · nothing you paste is kept.</p></footer>\n"
			  "</main>\n</body>\n</html>\n");
}
