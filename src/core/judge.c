/* The judge: matched ingredients → findings with their windows, the
 * names nobody knows, and whether the text is an ingredient list at all.
 *
 * The protocol gives each class its windows; context rules of the lexicon
 * (lexicon/README.md, "Rules") change them: a member listed past the 1 %
 * line that is usually there as a pH adjuster or antioxidant, a weak
 * member, a preservative blend, an abrasive outside a scrub, colourants
 * outside makeup, UV filters outside a sunscreen or below the SPF the
 * aftercare asks (uv-filter.txt, "spf:"). Each finding that a rule
 * changed says why (its reason). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/judge.h"
#include "base/text.h"

#define NOTLIST_MAX 300 /* placeholders are short; longer texts are lists */
#define THIRDS_MIN 10 /* a list has thirds (halves…) from this many places:
			 shorter, a place in it is no evidence of an amount,
			 only the 1 % line is (lexicon/README.md) */
#define NEXT_TO_PLACES 2     /* "next to": at most this many places away */
#define SHORT_LIST 3         /* fewer names than this, one unknown: unknown */

typedef ndl_window window;

/* "listed after Phenoxyethanol, below the 1% line…": the same few
 * reasons come back product after product, so they are kept,
 * direct-mapped by kind, marker and note */
#define TRACE_REASONS 256
typedef struct kept_reason {
	int kind;
	const char *trace; /* the entry's note (lexicon memory) */
	char marker[96];
	char text[300];
	uint32_t product; /* last product that used it */
} kept_reason;

struct ndl_judge {
	const ndl_lexicon *lex;
	ndl_matcher *matcher; /* for the whole-text vocabularies */
	ndl_arena mem;        /* per product: reasons, places */
	ndl_finding *findings;
	size_t nfindings, cap_findings;
	/* entry_seen[e] == product: entry e already has a finding in this
	 * product (a list printed twice counts once) */
	uint32_t *entry_seen;
	uint32_t product;
	ndl_span *unrec;
	size_t nunrec, cap_unrec;
	size_t notlists, footnotes; /* class indexes of the vocabularies, or -1 */
	/* product kinds the rules judge from ingredients too, or NDL_NO_KIND
	 * (products.txt, "role:") */
	unsigned makeup_kind, tinted_kind, sunscreen_kind;
	unsigned spf_asked; /* by the classes of sunscreens ("spf:"), or 0 */
	double healing_h; /* the longest window of the protocol */
	int no_reasons;   /* this product's caller shows no reasons */
	char why[300];    /* ndl_judge_text's reason */
	/* TRACE_REASONS, in fresh pages (100 KB, and a short list uses few
	 * of them); they hold no pointer to the heap, so a leak checker,
	 * which does not look into such pages, misses nothing there */
	kept_reason *trace_reasons;
};

ndl_judge *ndl_judge_new(const ndl_lexicon *lex, ndl_matcher *m)
{
	ndl_judge *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	j->trace_reasons = ndl_fresh_alloc(TRACE_REASONS * sizeof(kept_reason));
	j->entry_seen = calloc(lex->nentries ? lex->nentries : 1, sizeof(uint32_t));
	if (j->trace_reasons == NULL || j->entry_seen == NULL) {
		ndl_judge_free(j);
		return NULL;
	}
	j->lex = lex;
	j->matcher = m;
	j->notlists = ndl_class_find(lex, "notlists");
	j->footnotes = ndl_class_find(lex, "footnotes");
	j->makeup_kind = lex->tables.makeup_kind;
	j->tinted_kind = lex->tables.tinted_kind;
	j->sunscreen_kind = lex->tables.sunscreen_kind;
	for (size_t i = 0; i < lex->nclasses; i++) {
		const ndl_class *c = &lex->classes[i];
		if (c->role == NDL_ROLE_CLASS && ndl_window_end(&c->window) > j->healing_h)
			j->healing_h = ndl_window_end(&c->window);
		if (j->sunscreen_kind != NDL_NO_KIND && c->applies == j->sunscreen_kind &&
		    c->spf_asked > j->spf_asked)
			j->spf_asked = c->spf_asked;
	}
	return j;
}

void ndl_judge_free(ndl_judge *j)
{
	if (j == NULL)
		return;
	ndl_arena_free(&j->mem);
	free(j->entry_seen);
	free(j->findings);
	free(j->unrec);
	ndl_fresh_free(j->trace_reasons, TRACE_REASONS * sizeof(kept_reason));
	free(j);
}

/* ------------------------------------------------ is it a list at all */

/* Binary data: NUL bytes, or more control characters than a label has. */
static int looks_binary(const char *s, size_t n)
{
	if (memchr(s, '\0', n))
		return 1;
	size_t ctl = 0, i = 0;
	while (i < n) {
		/* eight bytes at a time while none is below 0x20 */
		uint64_t w;
		while (i + 8 <= n &&
		       (memcpy(&w, s + i, 8), ndl_word_below(w, 0x20) == 0))
			i += 8;
		size_t stop = i + 8 < n ? i + 8 : n;
		for (; i < stop; i++) {
			unsigned char c = (unsigned char)s[i];
			ctl += c < 0x20 && c != '\n' && c != '\r' && c != '\t';
		}
	}
	return ctl * 20 > n;
}

/* The entry of vocabulary cls (notlists, footnotes) that the whole of s
 * is, or -1 (also when s is longer than max bytes). */
static size_t vocabulary(ndl_judge *j, size_t cls, const char *s, size_t n,
			 size_t max)
{
	char norm[NOTLIST_MAX * 4 + 64];
	if (cls == (size_t)-1 || n > max || n * 4 + 64 > sizeof(norm))
		return (size_t)-1;
	size_t len = ndl_normalize(s, n, norm, sizeof(norm));
	return ndl_match_vocabulary(j->matcher, cls, norm, len);
}

const char *ndl_judge_text(ndl_judge *j, const char *text, size_t len)
{
	size_t a = 0;
	while (a < len && ndl_is_space_cp((unsigned char)text[a]))
		a++;
	if (a == len)
		return "empty: no ingredient list";
	if (looks_binary(text, len))
		return "binary data, not text";
	/* a placeholder such as "No Info" (lexicon/notlists.txt): short,
	 * with no list separators */
	if (memchr(text, ',', len) || memchr(text, ';', len))
		return NULL;
	size_t e = vocabulary(j, j->notlists, text, len, NOTLIST_MAX);
	if (e == (size_t)-1)
		return NULL;
	snprintf(j->why, sizeof(j->why), "not an ingredient list (%s)",
		 ndl_entry_at(j->lex, e)->name);
	return j->why;
}

int ndl_judge_footnote(ndl_judge *j, const ndl_token *t)
{
	return (t->flags & NDL_TOK_FOOTNOTE) &&
	       vocabulary(j, j->footnotes, t->text, t->len, 240) != (size_t)-1;
}

/* A retailer's trailer ("Please be aware that ingredient lists may
 * change…", lexicon/notlists.txt) follows real lists: it does not make a
 * list "mostly text". */
static int boilerplate(ndl_judge *j, const ndl_token *t)
{
	return vocabulary(j, j->notlists, t->text, t->len, 240) != (size_t)-1;
}

/* ------------------------------------------------------------ reasons */

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
static const char *reason_add(ndl_judge *j, const char *a, const char *b)
{
	if (a == NULL)
		return b;
	if (j->no_reasons)
		return a;
	size_t n = strlen(a) + strlen(b) + 3;
	char *r = ndl_arena_alloc(&j->mem, n);
	if (r == NULL)
		return a;
	snprintf(r, n, "%s; %s", a, b);
	return r;
}

/* A finding of token t; entry is marked seen in this product unless
 * it is NDL_NO_ENTRY. */
#define NDL_NO_ENTRY UINT32_MAX
static ndl_finding *new_finding(ndl_judge *j, const ndl_token *t,
				unsigned pos, uint32_t entry)
{
	if (NDL_GROW(j->findings, j->cap_findings, j->nfindings + 1))
		return NULL;
	if (entry != NDL_NO_ENTRY)
		j->entry_seen[entry] = j->product;
	ndl_finding *f = &j->findings[j->nfindings++];
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

/* A text built with printf, in the product arena. */
static const char *text_vfmt(ndl_judge *j, const char *fmt, va_list ap)
{
	char buf[400];
	return ndl_arena_strndup(&j->mem, buf, ndl_vformat(buf, sizeof(buf), fmt, ap));
}

static const char *text_fmt(ndl_judge *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *text_fmt(ndl_judge *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = text_vfmt(j, fmt, ap);
	va_end(ap);
	return s;
}

/* A finding's reason, as text_fmt; when the caller shows none, "": the
 * rules still see that there is one, and no time goes into its words. */
static const char *reason_fmt(ndl_judge *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *reason_fmt(ndl_judge *j, const char *fmt, ...)
{
	if (j->no_reasons)
		return "";
	va_list ap;
	va_start(ap, fmt);
	const char *s = text_vfmt(j, fmt, ap);
	va_end(ap);
	return s;
}

/* A trace-amount reason: kind 0 "listed after MARKER…", 1 "in the last
 * third…", 2 "used below 1%…", with the entry's note. Kept between
 * products; an entry this product already uses is never overwritten. */
static const char *trace_reason(ndl_judge *j, int kind, const char *marker,
				const ndl_entry *e, const char *note)
{
	if (j->no_reasons)
		return "";
	const char *m = marker ? marker : "";
	size_t n = TRACE_REASONS;
	size_t i = (ndl_hash(m, strlen(m)) ^ (uintptr_t)e->trace * 31 ^
		    (unsigned)kind) % n;
	if (j->trace_reasons[i].text[0] && j->trace_reasons[i].kind == kind &&
	    j->trace_reasons[i].trace == e->trace &&
	    strncmp(j->trace_reasons[i].marker, m,
		    sizeof(j->trace_reasons[i].marker)) == 0) {
		j->trace_reasons[i].product = j->product;
		return j->trace_reasons[i].text;
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
	if (j->trace_reasons[i].text[0] && j->trace_reasons[i].product == j->product)
		return ndl_arena_strndup(&j->mem, buf, strlen(buf)); /* in use */
	j->trace_reasons[i].kind = kind;
	j->trace_reasons[i].trace = e->trace;
	j->trace_reasons[i].product = j->product;
	snprintf(j->trace_reasons[i].marker, sizeof(j->trace_reasons[i].marker),
		 "%s", m);
	snprintf(j->trace_reasons[i].text, sizeof(j->trace_reasons[i].text),
		 "%s", buf);
	return j->trace_reasons[i].text;
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

/* The words of the product name that made it one of the kinds in bits
 * (the first of them), for a reason. */
static void name_words(const ndl_product_info *info, uint32_t bits, char *out,
		       size_t n)
{
	out[0] = '\0';
	if (info->no_reasons)
		return;
	unsigned k = 0;
	while (!(bits >> k & 1))
		k++;
	size_t a = info->where[k][0], b = info->where[k][1];
	snprintf(out, n, "%.*s", (int)(b - a > 60 ? 60 : b - a), info->name + a);
}

/* Everything the rules know about the product as a whole. */
typedef struct context {
	const ndl_token *tok;      /* its tokens, with their matches */
	size_t ntok;
	ndl_product_info *info;    /* its kinds read as rules ask */
	unsigned char *kept;       /* which tokens are ingredients */
	unsigned *pos;             /* their 1-based places */
	unsigned npos;
	unsigned *ord;             /* places in the list's own order: Drug
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

/* What the list as a whole says about whether it is one. */
typedef struct tally {
	size_t ningr, nrecog; /* ingredients, and the recognised ones */
	size_t prose_bytes, list_bytes; /* of sentences, of ingredients */
	size_t bullets;       /* "-Retinol: …": key ingredients with claims */
	size_t dosed;         /* with a percentage or a Drug Facts active */
	const char *gave_up;  /* a pattern that could not finish, or NULL */
	const ndl_token *gave_up_on;
} tally;

/* ------------------------------------------------------ the product */

/* Is token t an ingredient? A tentative token is if the lexicon names
 * it; one marked by a footnote sign also if it misspells a name
 * ("***Frgrance"). */
static int ingredient(const ndl_token *t)
{
	const ndl_match *m = NDL_TOKEN_MATCH(t);
	return !(t->flags & (NDL_TOK_JOINED | NDL_TOK_DROPPED)) &&
	       (!(t->flags & NDL_TOK_TENTATIVE) || m->recognized ||
		((t->flags & NDL_TOK_TENTATIVE) == NDL_TOK_FOOTNOTE && m->nheld));
}

/* Which tokens are ingredients, their places in the list, the 1 % line,
 * and the tally of the list. Returns -1 when out of memory. */
static int pick_ingredients(ndl_judge *j, context *cx, tally *tl)
{
	size_t ntok = cx->ntok;
	cx->kept = ndl_arena_alloc(&j->mem, ntok + 1);
	cx->pos = ndl_arena_alloc(&j->mem, (ntok + 1) * sizeof(unsigned));
	cx->ord = ndl_arena_alloc(&j->mem, (ntok + 1) * sizeof(unsigned));
	if (cx->kept == NULL || cx->pos == NULL || cx->ord == NULL)
		return -1;
	unsigned npos = 0, nactive = 0; /* places; those of Drug Facts actives */
	unsigned marker_pos = 0;
	for (size_t i = 0; i < ntok; i++) {
		const ndl_token *t = &cx->tok[i];
		const ndl_match *m = NDL_TOKEN_MATCH(t);
		cx->kept[i] = (unsigned char)ingredient(t);
		if (m->gave_up && tl->gave_up == NULL) {
			tl->gave_up = m->gave_up;
			tl->gave_up_on = t;
		}
		if (!cx->kept[i]) {
			if ((t->flags & (NDL_TOK_PROSE | NDL_TOK_DROPPED)) == NDL_TOK_PROSE &&
			    !boilerplate(j, t))
				tl->prose_bytes += t->len;
			continue;
		}
		int dosed = t->pct >= 0 || (t->flags & NDL_TOK_ACTIVE);
		tl->ningr++;
		tl->nrecog += m->recognized != 0;
		tl->bullets += (t->flags & NDL_TOK_PROSE) != 0;
		tl->dosed += dosed;
		tl->list_bytes += t->len;
		if (!(t->flags & NDL_TOK_BLEND) || npos == 0) {
			npos++;
			nactive += dosed;
		}
		cx->pos[i] = npos;
		cx->ord[i] = dosed ? npos : npos - nactive;
		if ((m->rules & NDL_RULE_MARKER) && cx->marker == NULL) {
			cx->marker = t->text;
			marker_pos = npos;
		}
	}
	cx->npos = npos;
	cx->nord = npos > nactive ? npos - nactive : npos;
	cx->of_what = nactive && npos > nactive ? " of the inactive ingredients" : "";
	/* the 1 % line: after the first marker, else the last third */
	if (cx->marker)
		cx->late_after = marker_pos;
	else if (npos >= THIRDS_MIN)
		cx->late_after = npos - npos / 3;
	return 0;
}

/* The skin-tone shades a colourant's text names by their CI numbers
 * (the names of the skin-tone entries), as bits: "Iron Oxides (CI 77491,
 * CI 77492)" is two; a name without a number is one. */
static unsigned oxide_shades(const ndl_lexicon *lex, const char *text)
{
	const ndl_tables *t = &lex->tables;
	unsigned bits = 0;
	for (size_t k = 0; k < t->nskin_tones; k++)
		if (strstr(text, t->skin_tones[k]))
			bits |= 1u << k;
	return bits ? bits : 1u << t->nskin_tones;
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

/* Reads the kinds in ask from the product's name. */
static void read_kinds(ndl_judge *j, ndl_product_info *info, uint32_t ask)
{
	if (info->name)
		info->kinds |= ndl_match_kinds(j->matcher, info->name, info->name_len,
					       ask, info->where);
	info->known |= ask;
}

/* Of the product kinds in want, those the product's name is of: each
 * kind's patterns run on the name when a rule first asks about it (most
 * rules ask about none: inline, that costs a test). */
static inline uint32_t kinds_of(ndl_judge *j, const context *cx, uint32_t want)
{
	ndl_product_info *info = cx->info;
	uint32_t ask = want & ~info->known;
	if (ask)
		read_kinds(j, info, ask);
	return info->kinds & want;
}

static int has_kind(ndl_judge *j, const context *cx, unsigned k)
{
	return k != NDL_NO_KIND && kinds_of(j, cx, (uint32_t)1 << k) != 0;
}

/* What the ingredients of the classes that apply to one product kind
 * (colourants to makeup, UV filters to sunscreens) say. */
typedef struct kind_tally {
	unsigned colourants; /* pigments, by their CI numbers */
	unsigned shades;     /* in a "may contain" shade list */
	unsigned tones;      /* bits: the iron oxide shades seen */
	unsigned dosed;      /* with a percentage or a Drug Facts active */
	unsigned early;      /* in the first half of the list */
} kind_tally;

static kind_tally tally_kind(const ndl_judge *j, const context *cx, unsigned kind)
{
	const ndl_lexicon *lex = j->lex;
	kind_tally k = {0};
	for (size_t i = 0; i < cx->ntok; i++) {
		if (!cx->kept[i])
			continue;
		const ndl_token *t = &cx->tok[i];
		const ndl_match *m = NDL_TOKEN_MATCH(t);
		for (uint32_t h = 0; h < m->nhits; h++) {
			const ndl_entry *e = ndl_entry_at(lex, m->hits[h].entry);
			if (lex->classes[e->cls].applies != kind)
				continue;
			k.colourants += colour_index_count(t->text);
			k.shades += (t->flags & NDL_TOK_MAY_CONTAIN) != 0;
			if (e->rules & NDL_RULE_SKIN_TONE)
				k.tones |= oxide_shades(lex, t->text);
			k.dosed += t->pct >= 0 || (t->flags & NDL_TOK_ACTIVE);
			k.early += cx->pos[i] * 2 <= cx->npos;
		}
	}
	return k;
}

/* Is the product makeup? Its name says so (makeup, or tinted), or its
 * colourants do: a pigment that shows skin tone (iron oxides) with a
 * shade list, or two shades of iron oxide among three pigments or more
 * (classes.md: "3 or more CI pigments", counted by their CI numbers)
 * (skin tones are mixed from red, yellow and black oxides; one oxide with
 * mica and titanium dioxide tints a glow serum). Dyes alone colour gels
 * and lotions, so they never decide. The colourants decide only when the
 * name does not say what the product is (a cream, a serum, a wash). */
static void judge_makeup(ndl_judge *j, context *cx)
{
	const ndl_product_info *info = cx->info;
	char w[80];
	if (has_kind(j, cx, j->makeup_kind) || has_kind(j, cx, j->tinted_kind)) {
		int named = has_kind(j, cx, j->makeup_kind);
		name_words(info, 1u << (named ? j->makeup_kind : j->tinted_kind), w,
			   sizeof(w));
		cx->makeup = named ? 1 : 2;
		cx->makeup_why = reason_fmt(j, "%s: the name says '%s'",
					    named ? "makeup" : "tinted", w);
		return;
	}
	if (j->makeup_kind == NDL_NO_KIND)
		return;
	kind_tally k = tally_kind(j, cx, j->makeup_kind);
	unsigned colourants = k.colourants, shades = k.shades, tones = k.tones;
	unsigned tone = 0;
	for (unsigned b = tones; b; b &= b - 1)
		tone++;
	if (!((tone && shades) || (tone >= 2 && colourants >= 3)))
		return;
	if (kinds_of(j, cx, j->lex->tables.named_kinds))
		return; /* the name says what it is: a cream or scrub with a
			   tint of iron oxide is not makeup */
	cx->makeup = 2;
	cx->makeup_why = shades ? "makeup: iron oxides and a shade list"
				: reason_fmt(j, "makeup: %u iron oxides among "
						"%u colourants",
					     tone, colourants);
}

/* Is it a sunscreen? classes.md: the name claims an SPF or says
 * sunscreen, or Drug Facts gives its filters with percentages, or two
 * filters or more are in the first half of the list. */
static void judge_sunscreen(ndl_judge *j, context *cx)
{
	const ndl_product_info *info = cx->info;
	char w[80];
	cx->spf = info->spf;
	if (info->spf > 0) {
		cx->sunscreen = 1;
		cx->sunscreen_why = reason_fmt(j, "a sunscreen (SPF %g%s)", info->spf,
					       info->spf_from_name ? " in the name" : "");
		return;
	}
	if (j->sunscreen_kind == NDL_NO_KIND)
		return;
	const char *said = NULL;
	if (has_kind(j, cx, j->sunscreen_kind)) {
		name_words(info, 1u << j->sunscreen_kind, w, sizeof(w));
		said = reason_fmt(j, "the name says '%s'", w);
	} else {
		kind_tally k = tally_kind(j, cx, j->sunscreen_kind);
		unsigned dosed = k.dosed, early = k.early;
		if (dosed)
			said = "Drug Facts filters with percentages";
		else if (early >= 2)
			said = "two filters or more in the first half of the list";
	}
	if (said && j->spf_asked) {
		cx->sunscreen = 1;
		cx->sunscreen_why = reason_fmt(j, "a sunscreen: %s; its SPF is not "
						  "given, check it is %u or more",
					       said, j->spf_asked);
	} else if (said) {
		cx->sunscreen = 1;
		cx->sunscreen_why = reason_fmt(j, "a sunscreen: %s", said);
	}
}

/* Has the product a name (found or held) of a class that applies only
 * to makeup or to sunscreens? Only then do the rules ask whether it is
 * one (judge_makeup, judge_sunscreen). */
static int asks_makeup_or_sunscreen(const ndl_judge *j, const context *cx)
{
	const ndl_lexicon *lex = j->lex;
	for (size_t i = 0; i < cx->ntok; i++) {
		const ndl_match *m = NDL_TOKEN_MATCH(&cx->tok[i]);
		for (uint32_t k = 0; k < m->nhits + m->nheld; k++) {
			uint32_t e = k < m->nhits ? m->hits[k].entry
						  : m->held[k - m->nhits].entry;
			unsigned a = lex->classes[ndl_entry_cls(lex, e)].applies;
			if (a != NDL_NO_KIND &&
			    (a == j->makeup_kind || a == j->sunscreen_kind))
				return 1;
		}
	}
	return 0;
}

/* Does a class that applies only to one product kind count here? */
static int applies_here(ndl_judge *j, const ndl_class *c, const context *cx)
{
	if (c->applies == NDL_NO_KIND)
		return 1;
	if (c->applies == j->makeup_kind)
		return cx->makeup != 0;
	if (c->applies == j->sunscreen_kind)
		return cx->sunscreen;
	return has_kind(j, cx, c->applies);
}

/* not-in / only-in / only-first: NULL when the entry does not count
 * here, else the reason it does ("" when it has no such gate). */
static const char *gate(ndl_judge *j, const ndl_entry *e, const context *cx,
			size_t i)
{
	if (kinds_of(j, cx, e->not_in))
		return NULL; /* isopropyl palmitate in a body wash */
	if (e->only_in == 0 && e->only_first == 0)
		return "";
	unsigned pos = cx->ord[i], npos = cx->nord;
	uint32_t in = kinds_of(j, cx, e->only_in);
	if (in) {
		char w[80];
		name_words(cx->info, in, w, sizeof(w));
		return reason_fmt(j, "counts here: the product's name says '%s'", w);
	}
	if (e->only_first && !e->only_first_den && pos <= e->only_first)
		return reason_fmt(j, "counts here: listed %u%s%s, among the first %u",
				  pos, ordinal(pos), cx->of_what, e->only_first);
	if (e->only_first && e->only_first_den &&
	    (pos - 1) * e->only_first_den < npos * e->only_first)
		return reason_fmt(j, "counts here: listed %u%s of %u%s, in the "
				     "first %s",
				  pos, ordinal(pos), npos, cx->of_what,
				  fraction_name(e->only_first, e->only_first_den));
	if (e->only_first && e->only_first_den && npos < THIRDS_MIN)
		return reason_fmt(j, "counts here: listed %u%s of %u%s, too few "
				     "for a place to tell the amount",
				  pos, ordinal(pos), npos, cx->of_what);
	return NULL;
}

/* ------------------------------------------------------- a finding */

/* next-to: a neighbour within NEXT_TO_PLACES places that the entry
 * names, or NULL. */
static const ndl_token *neighbour(const ndl_entry *e, const context *cx,
				  size_t at)
{
	char key[256];
	for (size_t i = 0; i < cx->ntok; i++) {
		if (i == at || !cx->kept[i])
			continue;
		unsigned d = cx->pos[i] > cx->pos[at] ? cx->pos[i] - cx->pos[at]
						       : cx->pos[at] - cx->pos[i];
		const ndl_token *t = &cx->tok[i];
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

/* Adds a reason to f's, in the product arena. */
static void add_reason(ndl_judge *j, ndl_finding *f, const char *why)
{
	f->reason = reason_add(j, f->reason, why);
}

/* caution-only entries (a mild member), unless the name asks for them
 * in full (strict-in). */
static window mildness(ndl_judge *j, ndl_finding *f, const ndl_entry *e,
		       window w, uint32_t strict, const ndl_product_info *info)
{
	if (!(e->rules & NDL_RULE_CAUTION) || w.avoid_h == NDL_NO_WINDOW)
		return (e->rules & NDL_RULE_CAUTION) ? soften(w) : w;
	char wd[80];
	if (strict) {
		name_words(info, strict, wd, sizeof(wd));
		add_reason(j, f, reason_fmt(j, "the product's name says '%s': "
					       "counted in full",
					    wd));
		return w;
	}
	add_reason(j, f, e->trace ? reason_fmt(j, "%s: caution at most", e->trace)
				  : "a mild or indirect member of the class: "
				    "caution at most");
	return soften(w);
}

/* The place in the list that says "a small amount" (past the 1 % line,
 * after the first third…), as a reason, or NULL; marks f late. */
static const char *place_reason(ndl_judge *j, ndl_finding *f, const ndl_entry *e,
				const context *cx, size_t i, const char *note)
{
	unsigned pos = cx->ord[i];
	if ((e->rules & NDL_RULE_LATE_CAUTION) && cx->late_after &&
	    cx->pos[i] > cx->late_after) {
		f->flags |= NDL_FINDING_LATE;
		return trace_reason(j, cx->marker ? 0 : 1, cx->marker, e, note);
	}
	if ((e->rules & NDL_RULE_LATE_CAUTION) && (e->rules & NDL_RULE_MARKER) &&
	    cx->marker) {
		/* a marker is itself used below 1 %: a fragrance allergen
		 * printed first among the markers is a trace too */
		f->flags |= NDL_FINDING_LATE;
		return trace_reason(j, 2, NULL, e, note);
	}
	if (e->after_num && e->after_den && cx->nord >= THIRDS_MIN &&
	    (pos - 1) * e->after_den >= cx->nord * e->after_num)
		return reason_fmt(j, "listed %u%s of %u%s, after the first %s: "
				     "likely a small amount%s",
				  pos, ordinal(pos), cx->nord, cx->of_what,
				  fraction_name(e->after_num, e->after_den), note);
	if (e->after_num && !e->after_den && pos > e->after_num)
		return reason_fmt(j, "listed %u%s%s, after the first %u: likely "
				     "a small amount%s",
				  pos, ordinal(pos), cx->of_what, e->after_num, note);
	return NULL;
}

/* The amount: washed off (rinse-off kinds), the place in the list, a
 * neighbour; none lowers a Drug Facts active or what the product's name
 * asks for in full (strict). */
static window amount(ndl_judge *j, ndl_finding *f, const ndl_entry *e,
		     window w, uint32_t strict, const context *cx, size_t i)
{
	const ndl_product_info *info = cx->info;
	char note[200], wd[80];
	trace_note(e, note, sizeof(note));
	const char *place = place_reason(j, f, e, cx, i, note);
	const ndl_token *next = e->nnext_to ? neighbour(e, cx, i) : NULL;
	if (f->flags & NDL_FINDING_ACTIVE)
		return w;
	/* rinse-off: short contact (the kinds are products.txt's) */
	int past_line = cx->late_after && cx->pos[i] > cx->late_after;
	uint32_t brief = kinds_of(j, cx, e->caution_in);
	if (!brief && past_line)
		brief = kinds_of(j, cx, e->late_caution_in);
	if (brief && !strict && w.avoid_h != NDL_NO_WINDOW) {
		name_words(info, brief, wd, sizeof(wd));
		w = soften(w);
		add_reason(j, f, reason_fmt(j, "%sthe product's name says '%s': "
					       "washed off, caution",
					    kinds_of(j, cx, e->caution_in)
						    ? ""
						    : "past the 1% line, and ",
					    wd));
	}
	if ((place || next) && w.avoid_h != NDL_NO_WINDOW && strict) {
		name_words(info, strict, wd, sizeof(wd));
		add_reason(j, f, reason_fmt(j, "the product's name says '%s': its "
					       "place in the list does not lower this",
					    wd));
	} else if (place && w.avoid_h != NDL_NO_WINDOW &&
		   (next == NULL || (f->flags & NDL_FINDING_LATE &&
				     e->next_to_status != NDL_SAFE))) {
		/* past the 1 % line is the best evidence of a trace; a
		 * neighbour is better than a place counted in the list */
		w = soften(w);
		add_reason(j, f, place);
	} else if (next) {
		w = e->next_to_status == NDL_SAFE
			    ? (window){NDL_NO_WINDOW, NDL_NO_WINDOW, w.then}
			    : soften(w);
		add_reason(j, f, reason_fmt(j, "listed next to %.80s: likely %s",
					    next->text,
					    e->trace ? e->trace : "a small amount"));
	}
	return w;
}

/* The product: what it is changes the classes that apply to a kind
 * (makeup, sunscreen). */
static window product_kind(ndl_judge *j, ndl_finding *f, const ndl_class *c,
			   window w, const context *cx)
{
	if (c->applies == NDL_NO_KIND)
		return w;
	if (c->applies == j->makeup_kind) {
		add_reason(j, f, cx->makeup_why);
		if (cx->makeup == 2 && cx->sunscreen) {
			w = soften(w);
			add_reason(j, f, "a tinted sunscreen: caution at most");
		}
	}
	if (c->applies == j->sunscreen_kind) {
		add_reason(j, f, cx->sunscreen_why);
		if (cx->spf > 0 && cx->spf < c->spf_asked && j->healing_h > 0) {
			/* the sun advice holds while the skin heals: as long
			 * as the longest window of the protocol */
			w = (window){NDL_NO_WINDOW, j->healing_h, w.then};
			add_reason(j, f, reason_fmt(j, "below SPF %u: the aftercare "
						       "asks SPF %u+ while the skin "
						       "heals",
						    c->spf_asked, c->spf_asked));
		}
	}
	return w;
}

/* The finding of hit h of token i, after the context rules, unless its
 * class or entry does not count here or the product has it already.
 * Returns -1 when out of memory. */
static int hit_finding(ndl_judge *j, const context *cx, size_t i, uint32_t h)
{
	const ndl_token *t = &cx->tok[i];
	const ndl_hit *hit = &NDL_TOKEN_MATCH(t)->hits[h];
	const ndl_entry *e = ndl_entry_at(j->lex, hit->entry);
	const ndl_class *c = &j->lex->classes[e->cls];
	if (!applies_here(j, c, cx))
		return 0; /* a colourant, not makeup; a filter, not a sunscreen */
	const char *counts = gate(j, e, cx, i);
	if (counts == NULL)
		return 0; /* salt outside a scrub */
	if (j->entry_seen[hit->entry] == j->product)
		return 0; /* a list printed twice (two languages) counts once */
	ndl_finding *f = new_finding(j, t, cx->pos[i], hit->entry);
	if (f == NULL)
		return -1;
	f->matched = hit->matched;
	f->class_id = c->id;
	f->class_index = e->cls;
	if (counts[0])
		f->reason = counts;
	uint32_t strict = kinds_of(j, cx, e->strict_in);
	window w = mildness(j, f, e, c->window, strict, cx->info);
	w = amount(j, f, e, w, strict, cx, i);
	w = product_kind(j, f, c, w, cx);
	if (f->flags & NDL_FINDING_MAY_CONTAIN)
		add_reason(j, f, "in the 'may contain' shade list");
	set_window(f, w);
	return 0;
}

/* The class names an unread name holds or misspells (match.c's
 * find_hidden): each counts where the name itself would (its class's
 * product kind, its entry's gates), at least caution, never avoid — the
 * label is not read, only suspected — and its reason says where it was
 * found. Returns -1 when out of memory. */
static int held_findings(ndl_judge *j, const context *cx, size_t i)
{
	const ndl_lexicon *lex = j->lex;
	const ndl_token *t = &cx->tok[i];
	const ndl_match *m = NDL_TOKEN_MATCH(t);
	for (uint32_t k = 0; k < m->nheld; k++) {
		const ndl_held *h = &m->held[k];
		const ndl_entry *e = ndl_entry_at(lex, h->entry);
		const ndl_class *c = &lex->classes[e->cls];
		if (!applies_here(j, c, cx) || gate(j, e, cx, i) == NULL)
			continue;
		ndl_finding *f = new_finding(j, t, cx->pos[i], NDL_NO_ENTRY);
		if (f == NULL)
			return -1;
		f->class_id = c->id;
		f->class_index = e->cls;
		f->matched = NULL;
		set_window(f, soften(c->window));
		int n = (int)(h->end - h->start);
		if (h->edits && h->whole)
			f->reason = reason_fmt(j, "not a name I know; did you mean "
						  "'%.80s'?",
					       e->name);
		else if (h->edits)
			f->reason = reason_fmt(j, "'%.*s' in this name I cannot read "
						  "looks like '%.80s' (%s): did you "
						  "mean it?",
					       n > 80 ? 80 : n, t->text + h->start,
					       e->name, c->id);
		else
			f->reason = reason_fmt(j, "this name I cannot read holds "
						  "'%.*s' (%s): check the label",
					       n > 80 ? 80 : n, t->text + h->start,
					       c->id);
	}
	return 0;
}

/* One finding per hit (and per name an unread name holds), in list
 * order; the names nobody knows. Returns -1 when out of memory. */
static int findings(ndl_judge *j, const context *cx)
{
	for (size_t i = 0; i < cx->ntok; i++) {
		if (!cx->kept[i])
			continue;
		const ndl_token *t = &cx->tok[i];
		const ndl_match *m = NDL_TOKEN_MATCH(t);
		if (held_findings(j, cx, i) != 0)
			return -1;
		if (!m->recognized) {
			if (m->nheld == 0) {
				if (NDL_GROW(j->unrec, j->cap_unrec, j->nunrec + 1))
					return -1;
				j->unrec[j->nunrec++] = (ndl_span){t->text, t->len, t->start};
			}
			continue;
		}
		for (uint32_t h = 0; h < m->nhits; h++)
			if (hit_finding(j, cx, i, h) != 0)
				return -1;
	}
	return 0;
}

/* ------------------------------------------------------ the verdict */

/* Why the text is no ingredient list I can read, from its tally, or
 * NULL: the result's error, written in full whoever asks (text_fmt). */
static const char *readability(ndl_judge *j, const tally *tl, int truncated)
{
	size_t ningr = tl->ningr, nrecog = tl->nrecog;
	if (truncated)
		return text_fmt(j, "more than %d ingredients or brackets: only "
				   "the start was checked",
				NDL_MAX_INGREDIENTS);
	if (tl->gave_up) /* a name the lexicon could not finish is not known */
		return text_fmt(j, "the lexicon pattern /%.80s/ gave up on '%.60s' "
				   "(PCRE2 match limit)",
				tl->gave_up, tl->gave_up_on->text);
	if (ningr == 0)
		return tl->prose_bytes ? "text, not an ingredient list"
				       : "no ingredient list";
	if (tl->prose_bytes > tl->list_bytes)
		return "mostly text, not an ingredient list";
	if (nrecog == 0)
		return "no ingredient name recognised";
	if (tl->bullets * 2 >= ningr)
		return "key ingredients with claims, not the full list";
	if (tl->dosed == ningr)
		return "only the active ingredients with their percentages, not "
		       "the full list";
	if (nrecog * 2 < ningr)
		return text_fmt(j, "only %zu of %zu names recognised: not a list I "
				   "can read",
				nrecog, ningr);
	if (ningr < SHORT_LIST && nrecog < ningr)
		return text_fmt(j, "too short to judge: %zu names, %zu recognised",
				ningr, nrecog);
	return NULL;
}

int ndl_judge_product(ndl_judge *j, const ndl_token *tok, size_t ntok,
		      int truncated, ndl_product_info *info,
		      ndl_judgement *out)
{
	ndl_arena_reset(&j->mem);
	j->nfindings = j->nunrec = 0;
	/* a new stamp for entry_seen; at wrap-around, clear the marks */
	if (++j->product == 0) {
		memset(j->entry_seen, 0, j->lex->nentries * sizeof(uint32_t));
		j->product = 1;
	}
	j->no_reasons = info->no_reasons;
	context cx = {.tok = tok, .ntok = ntok, .info = info};
	tally tl = {0};
	if (pick_ingredients(j, &cx, &tl) != 0)
		return -1;
	if (asks_makeup_or_sunscreen(j, &cx)) {
		judge_makeup(j, &cx);
		judge_sunscreen(j, &cx);
	}
	if (findings(j, &cx) != 0)
		return -1;
	/* the first hour every finding is safe */
	double safe_from = 0;
	for (size_t k = 0; k < j->nfindings; k++) {
		double end = ndl_window_end(&j->findings[k].window);
		if (end > safe_from)
			safe_from = end;
		if (j->no_reasons)
			j->findings[k].reason = NULL;
	}
	*out = (ndl_judgement){.error = readability(j, &tl, truncated),
			       .findings = j->findings,
			       .nfindings = j->nfindings,
			       .unrecognized = j->unrec,
			       .nunrecognized = j->nunrec,
			       .ningredients = tl.ningr,
			       .safe_from_h = safe_from};
	return 0;
}
