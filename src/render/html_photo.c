/* --format html on a photo of a label: the photo on the page (a data:
 * URI, so the page stays one file), the ingredients that wait outlined
 * on it where they were read, numbered, and beside it the verdict and
 * those ingredients by number. Plain markup and inline SVG: no script,
 * and on a phone the verdict flows under the photo. */
#include <string.h>

#include "needlecheck.h"
#include "render/render.h"

/* The outlines' colours: the photo is the same in a light and a dark
 * page, so they are fixed, each with a white edge to stand out on a
 * dark or a busy label. */
static const char *const stroke[] = {"", "#d98a00", "#c62828"};

static void base64(ndl_buf *out, const unsigned char *p, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = abc[v >> 18];
		q[1] = abc[(v >> 12) & 63];
		q[2] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? abc[v & 63] : '=';
		ndl_buf_append(out, q, 4);
	}
}

/* A walk over the ingredients that wait at `when`: one ingredient's
 * findings are consecutive, at one offset (findings[at] to
 * findings[end]); f is the one that weighs most now, weight its weight
 * (1 caution, 2 avoid), number its place in the walk from 1. */
typedef struct waiting {
	const ndl_result *r;
	ndl_when when;
	size_t at, end;
	const ndl_finding *f;
	int weight;
	unsigned number;
} waiting;

/* The walk's next ingredient that waits; 0 when none is left. */
static int next_waiting(waiting *w)
{
	const ndl_result *r = w->r;
	for (w->at = w->end; w->at < r->nfindings; w->at = w->end) {
		w->f = &r->findings[w->at];
		w->weight = 0;
		for (w->end = w->at; w->end < r->nfindings &&
				     r->findings[w->end].offset == r->findings[w->at].offset;
		     w->end++) {
			int weight = ndl_finding_weight(&r->findings[w->end], w->when);
			if (weight > w->weight)
				w->f = &r->findings[w->end], w->weight = weight;
		}
		if (w->weight > 0) {
			w->number++;
			return 1;
		}
	}
	return 0;
}

static int placed(const ndl_box *b)
{
	return b->w > 0 && b->h > 0;
}

/* A number in a tag of its colour, its top left corner at x, y. */
static void number_tag(ndl_buf *out, int x, int y, unsigned number,
		       unsigned font, const char *colour)
{
	unsigned w = font * (number > 9 ? 5 : 3) / 4 + font / 4, h = font + font / 4;
	ndl_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%u\" height=\"%u\" "
			    "fill=\"%s\" rx=\"%u\"/><text x=\"%d\" y=\"%d\" "
			    "font-size=\"%u\" text-anchor=\"middle\" "
			    "style=\"fill:#fff;font-weight:700\">%u</text>",
		       x, y, w, h, colour, font / 8, x + (int)w / 2, y + (int)font,
		       font, number);
}

/* A box outlined in colour with a white edge outside, a little outside
 * the words (sw: the stroke's width). */
static void outline(ndl_buf *out, const ndl_box *b, unsigned sw, const char *colour)
{
	for (int pass = 0; pass < 2; pass++) {
		int pad = (int)sw * (pass ? 1 : 2);
		ndl_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				    "height=\"%d\" fill=\"none\" stroke=\"%s\" "
				    "stroke-width=\"%u\" rx=\"%u\"/>",
			       b->x - pad, b->y - pad, b->w + 2 * pad, b->h + 2 * pad,
			       pass ? colour : "#fff", sw, sw);
	}
}

/* Each ingredient that waits: its box outlined, its number beside. The
 * sizes follow the photo's longer side, so they look the same on any. */
static void outlines(ndl_buf *out, const ndl_record *rec, const ndl_result *r,
		     const ndl_html_photo *ph)
{
	unsigned side = ph->width > ph->height ? ph->width : ph->height;
	unsigned sw = side / 250 > 2 ? side / 250 : 2;
	unsigned font = side / 48 > 12 ? side / 48 : 12;
	int pad = (int)sw; /* a little outside the words */
	for (waiting w = {.r = r, .when = rec->when}; next_waiting(&w);) {
		const ndl_finding *f = w.f;
		size_t k = w.at;
		int weight = w.weight;
		const ndl_box *b = &rec->photo->boxes[k];
		if (!placed(b))
			continue;
		const char *st = ndl_status_name(weight == 2 ? NDL_AVOID : NDL_CAUTION);
		ndl_buf_printf(out, "<g class=\"box-%s\" data-box=\"%d,%d,%d,%d\">"
				    "<title>%u. ", st, b->x, b->y, b->w, b->h, w.number);
		ndl_html_text(out, f->ingredient, f->ingredient_len);
		ndl_buf_printf(out, ": %s</title>", st);
		const ndl_box *first = b, *end = b + 1;
		if (ph->lines && ph->line_at[k + 1] > ph->line_at[k])
			first = ph->lines + ph->line_at[k], end = ph->lines + ph->line_at[k + 1];
		for (const ndl_box *line = first; line < end; line++)
			outline(out, line, sw, stroke[weight]);
		/* above the first line's left corner; under it at the top */
		int y = first->y - pad - (int)(font + font / 4);
		number_tag(out, first->x - pad, y >= 0 ? y : first->y + first->h + pad,
			   w.number, font, stroke[weight]);
		ndl_buf_puts(out, "</g>\n");
	}
}

/* Beside the photo: the verdict, then each ingredient that waits, by
 * the number of its box, with its classes and days. */
static void verdict_side(ndl_buf *out, const ndl_record *rec, const ndl_result *r)
{
	int safe_from;
	ndl_verdict v = ndl_verdict_at(r, rec->when, &safe_from);
	const char *name = ndl_verdict_name(v);
	ndl_buf_printf(out, "<div style=\"flex:1 1 15rem;min-width:0\">\n"
			    "<p><span class=\"v %s\">%s</span> on day %d", name, name,
		       rec->when.day);
	const char *error = rec->error ? rec->error : r->error;
	if (error) {
		ndl_buf_puts(out, " — ");
		ndl_html_text(out, error, strlen(error));
	} else if (safe_from > rec->when.day) {
		ndl_buf_printf(out, " — safe from day %d", safe_from);
	} else if (v == NDL_VERDICT_SAFE) {
		ndl_buf_puts(out, " — nothing on it to wait for");
	}
	ndl_buf_puts(out, "</p>\n");
	waiting w = {.r = r, .when = rec->when};
	while (next_waiting(&w)) {
		const ndl_finding *f = w.f;
		size_t k = w.at;
		ndl_buf_puts(out, w.number > 1 ? "<li><strong>" : "<ol>\n<li><strong>");
		ndl_html_text(out, f->ingredient, f->ingredient_len);
		ndl_buf_puts(out, "</strong> <small>(");
		for (size_t j = k; j < w.end; j++) {
			const char *c = r->findings[j].class_id;
			ndl_buf_puts(out, j > k ? ", " : "");
			ndl_html_text(out, c, strlen(c));
		}
		ndl_buf_puts(out, ")</small>: ");
		int until;
		ndl_status st = ndl_finding_status(f, rec->when, &until);
		ndl_buf phrase = {0};
		ndl_days_phrase(&phrase, rec->when.day, st == NDL_AVOID ? until : -1,
				f->safe_day);
		ndl_buf_append(out, phrase.data, phrase.len);
		ndl_buf_free(&phrase);
		if (!placed(&rec->photo->boxes[k]))
			ndl_buf_puts(out, " <small>(not placed on the photo)</small>");
		ndl_buf_puts(out, "</li>\n");
	}
	if (w.number)
		ndl_buf_puts(out, "</ol>\n");
}

void ndl_write_html_photo(ndl_buf *out, const ndl_record *rec,
			  const ndl_result *r, const ndl_html_photo *ph)
{
	ndl_buf_puts(out, "<section class=\"photo\">\n<h2>On the photo: ");
	if (rec->name && rec->name_len) {
		ndl_html_text(out, rec->name, rec->name_len);
	} else if (strcmp(rec->source, "<stdin>") == 0) {
		ndl_buf_puts(out, "standard input");
	} else {
		const char *base = strrchr(rec->source, '/');
		base = base && base[1] ? base + 1 : rec->source;
		ndl_html_text(out, base, strlen(base));
	}
	ndl_buf_puts(out, "</h2>\n<div style=\"display:flex;flex-wrap:wrap;"
			  "gap:0 1.25rem;align-items:flex-start\">\n"
			  "<div style=\"flex:2 1 18rem;min-width:0;max-width:46rem\">\n");
	unsigned w = ph->width ? ph->width : 1, h = ph->height ? ph->height : 1;
	ndl_buf_printf(out, "<svg viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\""
			    "The photo, the ingredients that wait outlined\">"
			    "<title>The photo, the ingredients that wait outlined"
			    "</title>\n", w, h);
	if (ph->data && ph->len) {
		ndl_buf_printf(out, "<image width=\"%u\" height=\"%u\" "
				    "preserveAspectRatio=\"none\" href=\"data:%s;base64,",
			       w, h, ph->mime);
		base64(out, ph->data, ph->len);
		ndl_buf_puts(out, "\"/>\n");
	} else {
		ndl_buf_printf(out, "<rect width=\"%u\" height=\"%u\" fill=\"#888\"/>\n",
			       w, h);
	}
	outlines(out, rec, r, ph);
	ndl_buf_puts(out, "</svg>\n");
	if (ph->note) {
		ndl_buf_puts(out, "<p class=\"note\">");
		ndl_html_text(out, ph->note, strlen(ph->note));
		ndl_buf_puts(out, "</p>\n");
	}
	ndl_buf_puts(out, "</div>\n");
	verdict_side(out, rec, r);
	if (ph->read_html)
		ndl_buf_puts(out, ph->read_html);
	ndl_buf_puts(out, "</div>\n</div>\n</section>\n");
}
