/* Rules: matched ingredients → findings with a status for the day, the
 * product's verdict and the first day it is safe.
 *
 * The protocol gives each class its windows; context rules of the lexicon
 * (lexicon/README.md, "Rules") change them: a member listed past the 1 %
 * line that is usually there as a pH adjuster or antioxidant, a weak
 * member, a preservative blend, an abrasive outside a scrub, colourants
 * outside makeup, UV filters outside a sunscreen or below SPF 25. Each
 * finding that a rule changed says why (its reason). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "base/text.h"

#define THIRDS_MIN 10 /* a list has thirds (halves…) from this many places:
			 shorter, a place in it is no evidence of an amount,
			 only the 1 % line is (lexicon/README.md) */
#define NEXT_TO_PLACES 2     /* "next to": at most this many places away */
#define SPF_ASKED 25         /* the article: "use SPF 25+ sunscreen" */
#define SHORT_LIST 3         /* fewer names than this, one unknown: unknown */

typedef ndl_window window;

/* The avoid part of w becomes caution. */
static window soften(window w)
{
	if (w.avoid_h != NDL_NO_WINDOW) {
		w.caution_h = ndl_window_end(&w);
		w.avoid_h = NDL_NO_WINDOW;
	}
	return w;
}

/* Joins two reasons with "; " in the product arena. */
static const char *reason_add(ndl_checker *chk, const char *a, const char *b)
{
	if (a == NULL)
		return b;
	size_t n = strlen(a) + strlen(b) + 3;
	char *r = ndl_arena_alloc(&chk->mem, n);
	if (r == NULL)
		return a;
	snprintf(r, n, "%s; %s", a, b);
	return r;
}

/* A finding of token t; entry is marked seen in this product unless
 * it is NDL_NO_ENTRY. */
#define NDL_NO_ENTRY UINT32_MAX
static ndl_finding *new_finding(ndl_checker *chk, const ndl_token *t,
				unsigned pos, uint32_t entry)
{
	if (NDL_GROW(chk->findings, chk->cap_findings, chk->nfindings + 1))
		return NULL;
	if (entry != NDL_NO_ENTRY)
		chk->entry_seen[entry] = chk->product;
	ndl_finding *f = &chk->findings[chk->nfindings++];
	memset(f, 0, sizeof(*f));
	f->ingredient = t->text;
	f->ingredient_len = t->len;
	f->offset = t->start;
	f->position = pos;
	if (t->flags & NDL_TOK_MAY_CONTAIN)
		f->flags |= NDL_FINDING_MAY_CONTAIN;
	if ((t->flags & NDL_TOK_ACTIVE) || t->pct >= 0)
		f->flags |= NDL_FINDING_ACTIVE;
	return f;
}

static void set_window(ndl_finding *f, window w)
{
	f->window = w;
	f->safe_day = ndl_window_safe_day(&w);
}

/* "3rd", "14th" */
static const char *ordinal(unsigned n)
{
	unsigned t = n % 100;
	return t >= 11 && t <= 13 ? "th"
	       : n % 10 == 1	  ? "st"
	       : n % 10 == 2	  ? "nd"
	       : n % 10 == 3	  ? "rd"
				  : "th";
}

/* "third" for 1/3: the part of a list a position rule names. */
static const char *fraction_name(unsigned num, unsigned den)
{
	return num == 1 && den == 2	? "half"
	       : num == 1 && den == 3 ? "third"
	       : num == 2 && den == 3 ? "two thirds"
	       : num == 1 && den == 4 ? "quarter"
				      : "part of the list";
}

/* A reason built with printf, in the product arena. */
static const char *reason_fmt(ndl_checker *chk, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *reason_fmt(ndl_checker *chk, const char *fmt, ...)
{
	char buf[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ndl_arena_strndup(&chk->mem, buf, strlen(buf));
}

/* A trace-amount reason: kind 0 "listed after MARKER…", 1 "in the last
 * third…", 2 "used below 1%…", with the entry's note. Kept between
 * products; an entry this product already uses is never overwritten. */
static const char *trace_reason(ndl_checker *chk, int kind, const char *marker,
				const ndl_entry *e, const char *note)
{
	const char *m = marker ? marker : "";
	size_t n = NDL_ARRAY_LEN(chk->trace_reasons);
	size_t i = (ndl_hash(m, strlen(m)) ^ (uintptr_t)e->trace * 31 ^
		    (unsigned)kind) % n;
	if (chk->trace_reasons[i].text[0] && chk->trace_reasons[i].kind == kind &&
	    chk->trace_reasons[i].trace == e->trace &&
	    strncmp(chk->trace_reasons[i].marker, m,
		    sizeof(chk->trace_reasons[i].marker)) == 0) {
		chk->trace_reasons[i].product = chk->product;
		return chk->trace_reasons[i].text;
	}
	char buf[300];
	if (kind == 0)
		snprintf(buf, sizeof(buf), "listed after %.80s, below the 1%% line: "
			 "likely a trace amount%s", m, note);
	else if (kind == 1)
		snprintf(buf, sizeof(buf), "in the last third of a list with no 1%% "
			 "marker: likely a trace amount%s", note);
	else
		snprintf(buf, sizeof(buf), "an ingredient used below 1%%: likely a "
			 "trace amount%s", note);
	if (chk->trace_reasons[i].text[0] && chk->trace_reasons[i].product == chk->product)
		return ndl_arena_strndup(&chk->mem, buf, strlen(buf)); /* in use */
	chk->trace_reasons[i].kind = kind;
	chk->trace_reasons[i].trace = e->trace;
	chk->trace_reasons[i].product = chk->product;
	snprintf(chk->trace_reasons[i].marker, sizeof(chk->trace_reasons[i].marker),
		 "%s", m);
	snprintf(chk->trace_reasons[i].text, sizeof(chk->trace_reasons[i].text),
		 "%s", buf);
	return chk->trace_reasons[i].text;
}

/* "(a pH adjuster)" when the entry says what a trace of it is for. */
static void trace_note(const ndl_entry *e, char *out, size_t n)
{
	size_t k = e->trace ? strlen(e->trace) : 0;
	if (k == 0 || k + 4 > n) {
		out[0] = '\0';
		return;
	}
	out[0] = ' ';
	out[1] = '(';
	memcpy(out + 2, e->trace, k);
	out[k + 2] = ')';
	out[k + 3] = '\0';
}

/* The words of the product name that made it kind k. */
static int name_words(const ndl_product_info *info, unsigned k, char *out,
		      size_t n)
{
	size_t a = info->where[k][0], b = info->where[k][1];
	return snprintf(out, n, "%.*s", (int)(b - a > 60 ? 60 : b - a),
			info->name + a);
}

static int has_kind(const ndl_product_info *info, unsigned k)
{
	return k != NDL_NO_KIND && (info->kinds >> k & 1);
}

/* Everything the rules know about the list as a whole. */
typedef struct context {
	const unsigned char *kept; /* which tokens are ingredients */
	const unsigned *pos;       /* their 1-based places */
	unsigned npos;
	const unsigned *ord;       /* places in the list's own order: Drug
				      Facts actives are printed apart */
	unsigned nord;
	const char *of_what;       /* "" or " of the inactive ingredients" */
	unsigned late_after;       /* places past this are past the 1 % line */
	const char *marker;        /* the first 1 % marker, or NULL */
	int makeup;                /* 0 no, 1 by the name, 2 by the tint or
				      the colourants */
	const char *makeup_why;
	int sunscreen;
	const char *sunscreen_why;
	double spf;
} context;

/* The iron oxide shades a colourant's text names, as bits: "Iron Oxides
 * (CI 77491, CI 77492)" is two; a name without a number is one. */
static unsigned oxide_shades(const char *text)
{
	static const char *const codes[] = {"77491", "77492", "77499", "77489"};
	unsigned bits = 0;
	for (unsigned k = 0; k < NDL_ARRAY_LEN(codes); k++)
		if (strstr(text, codes[k]))
			bits |= 1u << k;
	return bits ? bits : 1u << NDL_ARRAY_LEN(codes);
}

/* How many pigments a colourant's text names: its CI numbers ("Iron
 * Oxides (CI 77491, CI 77492, CI 77499)" is three), or one. */
static unsigned colour_index_count(const char *text)
{
	unsigned n = 0;
	for (const char *p = text; *p; p++)
		if (p[0] >= '0' && p[0] <= '9' && (p == text || p[-1] < '0' || p[-1] > '9')) {
			size_t k = strspn(p, "0123456789");
			n += k == 5;
			p += k - 1;
		}
	return n ? n : 1;
}

/* Is the product makeup? Its name says so (makeup, or tinted), or its
 * colourants do: a pigment that shows skin tone (iron oxides) with a
 * shade list, or two shades of iron oxide among three pigments or more
 * (classes.md: "3 or more CI pigments", counted by their CI numbers)
 * (skin tones are mixed from red, yellow and black oxides; one oxide with
 * mica and titanium dioxide tints a glow serum). Dyes alone colour gels
 * and lotions, so they never decide. The colourants decide only when the
 * name does not say what the product is (a cream, a serum, a wash). */
static void judge_makeup(ndl_checker *chk, const ndl_product_info *info,
			 context *cx)
{
	char w[80];
	if (has_kind(info, chk->makeup_kind)) {
		name_words(info, chk->makeup_kind, w, sizeof(w));
		cx->makeup = 1;
		cx->makeup_why = reason_fmt(chk, "makeup: the name says '%s'", w);
		return;
	}
	if (has_kind(info, chk->tinted_kind)) {
		name_words(info, chk->tinted_kind, w, sizeof(w));
		cx->makeup = 2;
		cx->makeup_why = reason_fmt(chk, "tinted: the name says '%s'", w);
		return;
	}
	if (has_kind(info, chk->rinse_off_kind) || has_kind(info, chk->skincare_kind))
		return; /* the name says what it is: a cream or scrub with a
			   tint of iron oxide is not makeup */
	const ndl_lexicon *lex = chk->lex;
	unsigned colourants = 0, shades = 0;
	unsigned tones = 0; /* bits: the iron oxide shades seen */
	for (size_t i = 0; i < chk->tok.ntok; i++) {
		if (!cx->kept[i])
			continue;
		const ndl_match *m = NDL_TOKEN_MATCH(chk, i);
		for (uint32_t h = 0; h < m->nhits; h++) {
			const ndl_entry *e = &lex->entries[m->hits[h].entry];
			if (lex->classes[e->cls].applies != chk->makeup_kind ||
			    chk->makeup_kind == NDL_NO_KIND)
				continue;
			colourants += colour_index_count(chk->tok.tok[i].text);
			shades += (chk->tok.tok[i].flags & NDL_TOK_MAY_CONTAIN) != 0;
			if (e->rules & NDL_RULE_SKIN_TONE)
				tones |= oxide_shades(chk->tok.tok[i].text);
		}
	}
	unsigned tone = 0;
	for (unsigned b = tones; b; b &= b - 1)
		tone++;
	if ((tone && shades) || (tone >= 2 && colourants >= 3)) {
		cx->makeup = 2;
		cx->makeup_why = shades ? "makeup: iron oxides and a shade list"
					: reason_fmt(chk, "makeup: %u iron oxides among "
							  "%u colourants",
						     tone, colourants);
	}
}

/* Is it a sunscreen? classes.md: the name claims an SPF or says
 * sunscreen, or Drug Facts gives its filters with percentages, or two
 * filters or more are in the first half of the list. */
static void judge_sunscreen(ndl_checker *chk, const ndl_product_info *info,
			    context *cx)
{
	char w[80];
	cx->spf = info->spf;
	if (info->spf > 0) {
		cx->sunscreen = 1;
		cx->sunscreen_why = reason_fmt(chk, "a sunscreen (SPF %g%s)",
					       info->spf,
					       info->spf_from_name ? " in the name" : "");
		return;
	}
	if (has_kind(info, chk->sunscreen_kind)) {
		name_words(info, chk->sunscreen_kind, w, sizeof(w));
		cx->sunscreen = 1;
		cx->sunscreen_why = reason_fmt(chk, "a sunscreen: the name says "
						    "'%s'; its SPF is not given, "
						    "check it is %d or more",
					       w, SPF_ASKED);
		return;
	}
	const ndl_lexicon *lex = chk->lex;
	unsigned early = 0, dosed = 0;
	for (size_t i = 0; i < chk->tok.ntok; i++) {
		if (!cx->kept[i])
			continue;
		const ndl_match *m = NDL_TOKEN_MATCH(chk, i);
		for (uint32_t h = 0; h < m->nhits; h++) {
			const ndl_entry *e = &lex->entries[m->hits[h].entry];
			if (lex->classes[e->cls].applies != chk->sunscreen_kind ||
			    chk->sunscreen_kind == NDL_NO_KIND)
				continue;
			const ndl_token *t = &chk->tok.tok[i];
			dosed += t->pct >= 0 || (t->flags & NDL_TOK_ACTIVE);
			early += cx->pos[i] * 2 <= cx->npos;
		}
	}
	if (dosed || early >= 2) {
		cx->sunscreen = 1;
		cx->sunscreen_why = dosed ? "a sunscreen: Drug Facts filters with "
					    "percentages; its SPF is not given, "
					    "check it is 25 or more"
					  : "a sunscreen: two filters or more in the "
					    "first half of the list; its SPF is not "
					    "given, check it is 25 or more";
	}
}

/* Does a class that applies only to one product kind count here? */
static int applies_here(ndl_checker *chk, const ndl_class *c,
			const ndl_product_info *info, const context *cx)
{
	if (c->applies == NDL_NO_KIND)
		return 1;
	if (c->applies == chk->makeup_kind)
		return cx->makeup != 0;
	if (c->applies == chk->sunscreen_kind)
		return cx->sunscreen;
	return has_kind(info, c->applies);
}

/* not-in / only-in / only-first: NULL when the entry does not count
 * here, else the reason it does ("" when it has no such gate). */
static const char *gate(ndl_checker *chk, const ndl_entry *e,
			const ndl_product_info *info, const context *cx, size_t i)
{
	if (e->not_in & info->kinds)
		return NULL; /* isopropyl palmitate in a body wash */
	if (e->only_in == 0 && e->only_first == 0)
		return "";
	unsigned pos = cx->ord[i], npos = cx->nord;
	uint32_t k = e->only_in & info->kinds;
	if (k) {
		char w[80];
		unsigned bit = 0;
		while (!(k >> bit & 1))
			bit++;
		name_words(info, bit, w, sizeof(w));
		return reason_fmt(chk, "counts here: the product's name says '%s'", w);
	}
	if (e->only_first && !e->only_first_den && pos <= e->only_first)
		return reason_fmt(chk, "counts here: listed %u%s%s, among the first %u",
				  pos, ordinal(pos), cx->of_what, e->only_first);
	if (e->only_first && e->only_first_den &&
	    (pos - 1) * e->only_first_den < npos * e->only_first)
		return reason_fmt(chk, "counts here: listed %u%s of %u%s, in the "
				       "first %s",
				  pos, ordinal(pos), npos, cx->of_what,
				  fraction_name(e->only_first, e->only_first_den));
	if (e->only_first && e->only_first_den && npos < THIRDS_MIN)
		return reason_fmt(chk, "counts here: listed %u%s of %u%s, too few "
				       "for a place to tell the amount",
				  pos, ordinal(pos), npos, cx->of_what);
	return NULL;
}

/* next-to: a neighbour within NEXT_TO_PLACES places that the entry
 * names, or NULL. */
static const ndl_token *neighbour(ndl_checker *chk, const ndl_entry *e,
				  const context *cx, size_t at)
{
	char key[256];
	for (size_t i = 0; i < chk->tok.ntok; i++) {
		if (i == at || !cx->kept[i])
			continue;
		unsigned d = cx->pos[i] > cx->pos[at] ? cx->pos[i] - cx->pos[at]
						       : cx->pos[at] - cx->pos[i];
		const ndl_token *t = &chk->tok.tok[i];
		if (d > NEXT_TO_PLACES || t->len * 4 + 64 > sizeof(key))
			continue;
		size_t len = ndl_compact(key, ndl_normalize(t->text, t->len, key,
							    sizeof(key)));
		for (size_t k = 0; k < e->nnext_to; k++)
			if (strlen(e->next_to[k]) == len &&
			    memcmp(e->next_to[k], key, len) == 0)
				return t;
	}
	return NULL;
}

/* The window of one finding after the position and product rules; sets
 * f->reason and f->flags. */
static window context_rules(ndl_checker *chk, ndl_finding *f,
			    const ndl_entry *e, const ndl_class *c,
			    const ndl_product_info *info, const context *cx,
			    size_t i)
{
	window w = c->window;
	unsigned pos = cx->ord[i];
	char note[200];
	trace_note(e, note, sizeof(note));
	uint32_t strict = e->strict_in & info->kinds;
	if ((e->rules & NDL_RULE_CAUTION) && strict && c->window.avoid_h != NDL_NO_WINDOW) {
		char wd[80];
		unsigned bit = 0;
		while (!(strict >> bit & 1))
			bit++;
		name_words(info, bit, wd, sizeof(wd));
		f->reason = reason_add(chk, f->reason,
				       reason_fmt(chk, "the product's name says "
						       "'%s': counted in full",
						  wd));
	} else if (e->rules & NDL_RULE_CAUTION) {
		w = soften(w);
		if (c->window.avoid_h != NDL_NO_WINDOW)
			f->reason = reason_add(chk, f->reason,
					       e->trace ? reason_fmt(chk, "%s: caution "
									  "at most",
								     e->trace)
							: "a mild or indirect member of "
							  "the class: caution at most");
	}
	/* the place in the list: a small amount, unless Drug Facts gives
	 * the dose or the name says the product is made to do this */
	const char *place = NULL;
	if ((e->rules & NDL_RULE_LATE_CAUTION) && cx->late_after &&
	    cx->pos[i] > cx->late_after) {
		place = trace_reason(chk, cx->marker ? 0 : 1, cx->marker, e, note);
		f->flags |= NDL_FINDING_LATE;
	} else if ((e->rules & NDL_RULE_LATE_CAUTION) &&
		   (e->rules & NDL_RULE_MARKER) && cx->marker) {
		/* a marker is itself used below 1 %: a fragrance allergen
		 * printed first among the markers is a trace too */
		place = trace_reason(chk, 2, NULL, e, note);
		f->flags |= NDL_FINDING_LATE;
	} else if (e->after_num && e->after_den && cx->nord >= THIRDS_MIN &&
		   (pos - 1) * e->after_den >= cx->nord * e->after_num) {
		place = reason_fmt(chk, "listed %u%s of %u%s, after the first %s: "
					"likely a small amount%s",
				   pos, ordinal(pos), cx->nord, cx->of_what,
				   fraction_name(e->after_num, e->after_den), note);
	} else if (e->after_num && !e->after_den && pos > e->after_num) {
		place = reason_fmt(chk, "listed %u%s%s, after the first %u: likely "
					"a small amount%s",
				   pos, ordinal(pos), cx->of_what, e->after_num, note);
	}
	const ndl_token *next = e->nnext_to ? neighbour(chk, e, cx, i) : NULL;
	int dosed = (f->flags & NDL_FINDING_ACTIVE) != 0;
	/* rinse-off: short contact (the kinds are products.txt's) */
	int past_line = cx->late_after && cx->pos[i] > cx->late_after;
	uint32_t brief = e->caution_in & info->kinds;
	if (!brief && past_line)
		brief = e->late_caution_in & info->kinds;
	if (brief && !strict && !dosed && w.avoid_h != NDL_NO_WINDOW) {
		char wd[80];
		unsigned bit = 0;
		while (!(brief >> bit & 1))
			bit++;
		name_words(info, bit, wd, sizeof(wd));
		w = soften(w);
		f->reason = reason_add(chk, f->reason,
				       reason_fmt(chk, "%sthe product's name says "
						       "'%s': washed off, caution",
						  e->caution_in & info->kinds
							  ? ""
							  : "past the 1% line, and ",
						  wd));
	}
	if ((place || next) && w.avoid_h != NDL_NO_WINDOW && strict && !dosed) {
		char wd[80];
		unsigned bit = 0;
		while (!(strict >> bit & 1))
			bit++;
		name_words(info, bit, wd, sizeof(wd));
		f->reason = reason_add(chk, f->reason,
				       reason_fmt(chk, "the product's name says "
						       "'%s': its place in the "
						       "list does not lower this",
						  wd));
	} else if (place && !dosed && w.avoid_h != NDL_NO_WINDOW &&
		   (next == NULL || (f->flags & NDL_FINDING_LATE &&
				     e->next_to_status != NDL_SAFE))) {
		/* past the 1 % line is the best evidence of a trace; a
		 * neighbour is better than a place counted in the list */
		w = soften(w);
		f->reason = reason_add(chk, f->reason, place);
	} else if (next && !dosed) {
		w = e->next_to_status == NDL_SAFE
			    ? (window){NDL_NO_WINDOW, NDL_NO_WINDOW, w.then}
			    : soften(w);
		f->reason = reason_add(chk, f->reason,
				       reason_fmt(chk, "listed next to %.80s: "
						       "likely %s",
						  next->text,
						  e->trace ? e->trace : "a small amount"));
	}
	/* the product: what it is changes some classes */
	if (c->applies != NDL_NO_KIND && c->applies == chk->makeup_kind) {
		f->reason = reason_add(chk, f->reason, cx->makeup_why);
		if (cx->makeup == 2 && cx->sunscreen) {
			w = soften(w);
			f->reason = reason_add(chk, f->reason,
					       "a tinted sunscreen: caution at most");
		}
	}
	if (c->applies != NDL_NO_KIND && c->applies == chk->sunscreen_kind) {
		f->reason = reason_add(chk, f->reason, cx->sunscreen_why);
		if (cx->spf > 0 && cx->spf < SPF_ASKED && chk->healing_h > 0) {
			/* the sun advice holds while the skin heals: as long
			 * as the longest window of the protocol */
			w = (window){NDL_NO_WINDOW, chk->healing_h, w.then};
			f->reason = reason_add(chk, f->reason,
					       reason_fmt(chk, "below SPF %d: the "
							       "aftercare asks SPF "
							       "%d+ while the skin "
							       "heals",
							  SPF_ASKED, SPF_ASKED));
		}
	}
	return w;
}

/* The class names an unread name holds or misspells (match.c's
 * find_hidden): each counts where the name itself would (its class's
 * product kind, its entry's gates), at least caution, never avoid — the
 * label is not read, only suspected — and its reason says where it was
 * found. Returns -1 when out of memory. */
static int held_findings(ndl_checker *chk, const ndl_token *t,
			 const ndl_match *m, const ndl_product_info *info,
			 const context *cx, size_t i)
{
	const ndl_lexicon *lex = chk->lex;
	for (uint32_t k = 0; k < m->nheld; k++) {
		const ndl_held *h = &m->held[k];
		const ndl_entry *e = &lex->entries[h->entry];
		const ndl_class *c = &lex->classes[e->cls];
		if (!applies_here(chk, c, info, cx) || gate(chk, e, info, cx, i) == NULL)
			continue;
		ndl_finding *f = new_finding(chk, t, cx->pos[i], NDL_NO_ENTRY);
		if (f == NULL)
			return -1;
		f->class_id = c->id;
		f->class_index = e->cls;
		f->matched = NULL;
		set_window(f, soften(c->window));
		int n = (int)(h->end - h->start);
		if (h->edits && h->whole)
			f->reason = reason_fmt(chk, "not a name I know; did you mean "
						    "'%.80s'?",
					       e->name);
		else if (h->edits)
			f->reason = reason_fmt(chk, "'%.*s' in this name I cannot read "
						    "looks like '%.80s' (%s): did you "
						    "mean it?",
					       n > 80 ? 80 : n, t->text + h->start,
					       e->name, c->id);
		else
			f->reason = reason_fmt(chk, "this name I cannot read holds "
						    "'%.*s' (%s): check the label",
					       n > 80 ? 80 : n, t->text + h->start,
					       c->id);
	}
	return 0;
}

/* A retailer's trailer ("Please be aware that ingredient lists may
 * change…", lexicon/notlists.txt) follows real lists: it does not make a
 * list "mostly text". */
static int boilerplate(ndl_checker *chk, const ndl_token *t)
{
	char norm[1024];
	if (chk->notlists == (size_t)-1 || t->len * 4 + 64 > sizeof(norm))
		return 0;
	size_t len = ndl_normalize(t->text, t->len, norm, sizeof(norm));
	return ndl_match_vocabulary(chk->matcher, chk->notlists, norm, len) !=
	       (size_t)-1;
}

int ndl_apply_rules(ndl_checker *chk, const ndl_product_info *info)
{
	const ndl_lexicon *lex = chk->lex;
	const ndl_token *tok = chk->tok.tok;
	size_t ntok = chk->tok.ntok;
	ndl_result *r = &chk->result;

	/* a new stamp for entry_seen; at wrap-around, clear the marks */
	if (++chk->product == 0) {
		memset(chk->entry_seen, 0, lex->nentries * sizeof(uint32_t));
		chk->product = 1;
	}

	/* 1. which tokens are ingredients, and their places in the list */
	unsigned char *kept = ndl_arena_alloc(&chk->mem, ntok + 1);
	unsigned *pos = ndl_arena_alloc(&chk->mem, (ntok + 1) * sizeof(unsigned));
	unsigned *ord = ndl_arena_alloc(&chk->mem, (ntok + 1) * sizeof(unsigned));
	if (kept == NULL || pos == NULL || ord == NULL)
		return -1;
	unsigned nactive = 0; /* places held by Drug Facts actives */
	size_t ningr = 0, nrecog = 0, prose_bytes = 0, list_bytes = 0, bullets = 0;
	size_t dosed = 0;
	const char *gave_up = NULL; /* a pattern that could not finish */
	const ndl_token *gave_up_on = NULL;
	unsigned npos = 0, marker_pos = 0;
	const char *marker = NULL;
	for (size_t i = 0; i < ntok; i++) {
		const ndl_match *m = NDL_TOKEN_MATCH(chk, i);
		/* a tentative token is an ingredient if the lexicon names it;
		 * one marked by a footnote sign also if it misspells a name
		 * ("***Frgrance") */
		kept[i] = !(tok[i].flags & (NDL_TOK_JOINED | NDL_TOK_DROPPED)) &&
			  (!(tok[i].flags & NDL_TOK_TENTATIVE) || m->recognized ||
			   ((tok[i].flags & NDL_TOK_TENTATIVE) == NDL_TOK_FOOTNOTE &&
			    m->nheld));
		if (m->gave_up && gave_up == NULL) {
			gave_up = m->gave_up;
			gave_up_on = &tok[i];
		}
		if (!kept[i]) {
			if ((tok[i].flags & (NDL_TOK_PROSE | NDL_TOK_DROPPED)) == NDL_TOK_PROSE &&
			    !boilerplate(chk, &tok[i]))
				prose_bytes += tok[i].len;
			continue;
		}
		ningr++;
		nrecog += m->recognized != 0;
		bullets += (tok[i].flags & NDL_TOK_PROSE) != 0; /* "-Retinol: …" */
		dosed += tok[i].pct >= 0 || (tok[i].flags & NDL_TOK_ACTIVE);
		list_bytes += tok[i].len;
		int dosed_here = tok[i].pct >= 0 || (tok[i].flags & NDL_TOK_ACTIVE);
		if (!(tok[i].flags & NDL_TOK_BLEND) || npos == 0) {
			npos++;
			nactive += dosed_here;
		}
		pos[i] = npos;
		ord[i] = dosed_here ? npos : npos - nactive;
		if ((m->rules & NDL_RULE_MARKER) && marker == NULL) {
			marker = tok[i].text;
			marker_pos = npos;
		}
	}
	/* the 1 % line: after the first marker, else the last third */
	context cx = {.kept = kept, .pos = pos, .npos = npos, .ord = ord,
		      .nord = npos > nactive ? npos - nactive : npos,
		      .of_what = nactive && npos > nactive
					 ? " of the inactive ingredients"
					 : "",
		      .marker = marker};
	if (marker)
		cx.late_after = marker_pos;
	else if (npos >= THIRDS_MIN)
		cx.late_after = npos - npos / 3;
	judge_makeup(chk, info, &cx);
	judge_sunscreen(chk, info, &cx);

	/* 2. findings */
	for (size_t i = 0; i < ntok; i++) {
		if (!kept[i])
			continue;
		const ndl_match *m = NDL_TOKEN_MATCH(chk, i);
		const ndl_token *t = &tok[i];
		if (held_findings(chk, t, m, info, &cx, i) != 0)
			return -1;
		if (!m->recognized) {
			if (m->nheld == 0) {
				if (NDL_GROW(chk->unrec, chk->cap_unrec, chk->nunrec + 1))
					return -1;
				chk->unrec[chk->nunrec++] = (ndl_span){t->text, t->len, t->start};
			}
			continue;
		}
		for (uint32_t h = 0; h < m->nhits; h++) {
			const ndl_entry *e = &lex->entries[m->hits[h].entry];
			const ndl_class *c = &lex->classes[e->cls];
			if (!applies_here(chk, c, info, &cx))
				continue; /* a colourant, not makeup; a filter,
					     not a sunscreen */
			const char *counts = gate(chk, e, info, &cx, i);
			if (counts == NULL)
				continue; /* salt outside a scrub */
			/* a list printed twice (two languages) counts once */
			if (chk->entry_seen[m->hits[h].entry] == chk->product)
				continue;
			ndl_finding *f = new_finding(chk, t, pos[i], m->hits[h].entry);
			if (f == NULL)
				return -1;
			f->matched = m->hits[h].matched;
			f->json_head = m->hits[h].json;
			f->json_head_len = m->hits[h].json_len;
			f->class_id = c->id;
			f->class_index = e->cls;
			if (counts[0])
				f->reason = counts;
			window w = context_rules(chk, f, e, c, info, &cx, i);
			if (f->flags & NDL_FINDING_MAY_CONTAIN)
				f->reason = reason_add(chk, f->reason,
						       "in the 'may contain' shade list");
			set_window(f, w);
		}
	}

	/* 3. the first hour every finding is safe */
	double safe_from = 0;
	for (size_t k = 0; k < chk->nfindings; k++) {
		double end = ndl_window_end(&chk->findings[k].window);
		if (end > safe_from)
			safe_from = end;
	}
	const char *error = NULL;
	char buf[300];
	if (chk->tok.truncated) {
		snprintf(buf, sizeof(buf), "more than %d ingredients: only the first "
			 "were checked", NDL_MAX_INGREDIENTS);
		error = ndl_arena_strndup(&chk->mem, buf, strlen(buf));
	} else if (gave_up) {
		/* a name the lexicon could not finish matching is not known */
		snprintf(buf, sizeof(buf),
			 "the lexicon pattern /%.80s/ gave up on '%.60s' (PCRE2 match "
			 "limit)",
			 gave_up, gave_up_on->text);
		error = ndl_arena_strndup(&chk->mem, buf, strlen(buf));
	} else if (ningr == 0)
		error = prose_bytes ? "text, not an ingredient list" : "no ingredient list";
	else if (prose_bytes > list_bytes)
		error = "mostly text, not an ingredient list";
	else if (nrecog == 0)
		error = "no ingredient name recognised";
	else if (bullets * 2 >= ningr)
		error = "key ingredients with claims, not the full list";
	else if (dosed == ningr)
		error = "only the active ingredients with their percentages, not "
			"the full list";
	else if (nrecog * 2 < ningr)
		error = reason_fmt(chk, "only %zu of %zu names recognised: not a "
					"list I can read",
				   nrecog, ningr);
	else if (ningr < SHORT_LIST && nrecog < ningr)
		error = reason_fmt(chk, "too short to judge: %zu names, %zu "
					"recognised",
				   ningr, nrecog);
	r->ningredients = ningr;
	r->error = error;
	r->safe_from_h = safe_from;
	return 0;
}
