/* Finding the ingredient list on a label (label.h). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "input/label.h"
#include "knowledge/lexicon.h"
#include "base/text.h"
#include "base/util.h"

#define LABEL_FILE "label.tsv"
#define MAX_PHRASE_WORDS 6
#define MAX_ITEM_WORDS 10   /* an INCI name is rarely longer */
#define MAX_ITEM_BYTES 120
#define MIN_RUN 4           /* items of a list found without a header */
#define PAREN_BYTES 60      /* an unclosed bracket stops counting here */

typedef enum kind { K_START, K_PART, K_NOT, K_END, K_LINE, K_PROSE, K_COUNT } kind;
static const char *const kind_names[K_COUNT] = {"start", "part", "not", "end",
						"line", "prose"};

typedef struct phrase {
	kind k;
	unsigned n;
	const char *w[MAX_PHRASE_WORDS]; /* normalised words */
} phrase;

typedef struct example {
	const char *text, *want; /* text with \n unescaped; want: the list */
	unsigned line;
} example;

struct ndl_label_words {
	ndl_arena mem;
	phrase *phrases; /* sorted by first word */
	size_t nphrases, cap;
	example *examples;
	size_t nexamples, cap_examples;
	const char *path;
};

/* ------------------------------------------------------------- lexing */

enum {
	W_LINE = 1 << 0,   /* first word of a line */
	W_CLAUSE = 1 << 1, /* after a line start or . : ; , / ( | */
	W_PAREN = 1 << 2,  /* inside brackets */
	W_UPPER = 1 << 3,  /* has letters, all capitals */
	W_COLON = 1 << 4   /* a ':' follows (after spaces) */
};

typedef struct word {
	size_t start, end;
	const char *norm;
	unsigned flags;
	size_t item;
} word;

typedef struct item {
	size_t w0, w1;     /* its words */
	size_t start, end; /* its bytes, without surrounding spaces */
	int sentence;      /* ends with a full stop, ! or ? */
} item;

typedef struct scan {
	const char *s;
	size_t n;
	word *words;
	size_t nwords, cap_words;
	item *items;
	size_t nitems, cap_items;
	ndl_arena mem;
	int oom;
} scan;

static int is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
	if (cp == 0xFFFD)
		return 0;
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

static int is_digit(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/* Does the separator at byte i (of len bytes) end an item? Commas
 * between digits ("1,2-Hexanediol") and full stops not followed by a
 * space ("2.5%", "Denat.Glycerin") do not. */
static int ends_item(const char *s, size_t n, size_t i, size_t len)
{
	char c = s[i];
	if (len > 1) /* fullwidth and CJK punctuation, bullets */
		return 1;
	if (c == ',')
		return !(i > 0 && is_digit(s, n, i - 1) && is_digit(s, n, i + 1));
	if (c == '.' || c == '!' || c == '?')
		return i + 1 >= n || s[i + 1] == ' ' || s[i + 1] == '\n' ||
		       s[i + 1] == '\r' || s[i + 1] == '\t';
	return c == ';' || c == ':' || c == '|';
}

/* Separators that may be several bytes: bullets, middle dot, fullwidth
 * and CJK commas, colon and semicolon. */
static int is_wide_separator(uint32_t cp)
{
	return cp == 0x2022 || cp == 0xB7 || cp == 0xFF0C || cp == 0x3001 ||
	       cp == 0xFF1A || cp == 0xFF1B || cp == 0x2027 || cp == 0x25CF;
}

static void add_word(scan *sc, size_t start, size_t end, unsigned flags)
{
	if (NDL_GROW(sc->words, sc->cap_words, sc->nwords + 1) != 0) {
		sc->oom = 1;
		return;
	}
	char buf[128];
	size_t k = ndl_normalize(sc->s + start, end - start, buf, sizeof(buf));
	int letters = 0, lower = 0;
	for (size_t i = start; i < end; i++) {
		unsigned char c = (unsigned char)sc->s[i];
		letters += (c | 32) >= 'a' && (c | 32) <= 'z';
		lower += c >= 'a' && c <= 'z';
	}
	word *w = &sc->words[sc->nwords++];
	w->start = start;
	w->end = end;
	w->norm = ndl_arena_strndup(&sc->mem, buf, k);
	w->flags = flags | (letters && !lower ? W_UPPER : 0);
	w->item = sc->nitems;
	if (w->norm == NULL)
		sc->oom = 1;
}

/* Closes the current item (words from w0) at byte end, where the text
 * has sep (0 at its end). */
static void close_item(scan *sc, size_t w0, size_t end, char sep)
{
	if (w0 >= sc->nwords)
		return;
	if (NDL_GROW(sc->items, sc->cap_items, sc->nitems + 1) != 0) {
		sc->oom = 1;
		return;
	}
	size_t start = sc->words[w0].start;
	/* an opening bracket or a footnote mark before the first word */
	while (start > 0 && (sc->s[start - 1] == '(' || sc->s[start - 1] == '[' ||
			     sc->s[start - 1] == '*'))
		start--;
	while (end > start && (sc->s[end - 1] == ' ' || sc->s[end - 1] == '\t' ||
			       sc->s[end - 1] == '\r' || sc->s[end - 1] == '\n'))
		end--;
	item *it = &sc->items[sc->nitems];
	it->w0 = w0;
	it->w1 = sc->nwords;
	it->start = start;
	it->end = end > sc->words[sc->nwords - 1].end ? end
						   : sc->words[sc->nwords - 1].end;
	it->sentence = sep == '.' || sep == '!' || sep == '?';
	sc->nitems++;
}

/* Splits the text into words and items. */
static void lex(scan *sc)
{
	const char *s = sc->s;
	size_t n = sc->n, i = 0, item_w0 = 0;
	unsigned pending = W_LINE | W_CLAUSE;
	int depth = 0;
	size_t paren_at = 0;
	while (i < n && !sc->oom) {
		uint32_t cp;
		size_t len = ndl_utf8_decode(s + i, n - i, &cp);
		if (is_word_cp(cp)) {
			size_t start = i;
			while (i < n) {
				len = ndl_utf8_decode(s + i, n - i, &cp);
				if (!is_word_cp(cp))
					break;
				i += len;
			}
			if (depth > 0 && start - paren_at > PAREN_BYTES)
				depth = 0;
			add_word(sc, start, i, pending | (depth ? W_PAREN : 0));
			pending = 0;
			continue;
		}
		if (cp == '\n') {
			pending |= W_LINE | W_CLAUSE;
		} else if (cp == '(') {
			depth++;
			paren_at = i;
			pending |= W_CLAUSE;
		} else if (cp == ')') {
			depth = depth > 0 ? depth - 1 : 0;
		} else if (cp == '[' || cp == ']') {
			/* a bracketed list ("[+/- CI 77491, CI 77492]") is
			 * items still */
			pending |= W_CLAUSE;
		} else if (cp == '/' || cp == '|' ||
			   (cp && cp < 0x80 && strchr(".:;,!?", (int)cp)) ||
			   is_wide_separator(cp)) {
			pending |= W_CLAUSE;
			if ((cp == ':' || cp == 0xFF1A) && sc->nwords &&
			    sc->words[sc->nwords - 1].end + 2 >= i)
				sc->words[sc->nwords - 1].flags |= W_COLON;
			if (depth > 0 && i - paren_at > PAREN_BYTES)
				depth = 0;
			if (depth == 0 && cp != '/' &&
			    ends_item(s, n, i, cp < 0x80 ? 1 : len)) {
				close_item(sc, item_w0, i, cp < 0x80 ? (char)cp : ',');
				item_w0 = sc->nwords;
			}
		}
		i += len;
	}
	close_item(sc, item_w0, n, 0);
}

/* ------------------------------------------------------------ phrases */

/* Is a within reach of b for OCR damage ("lngredients", "INGREDlENTS",
 * "lNGREDlENTS")? One edit in a word of 7 letters or more, two from 10;
 * shorter words must be exact. */
static int near_word(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t most = lb >= 10 ? 2 : lb >= 7 ? 1 : 0;
	if (most == 0 || la > 32 || lb > 32 || (la > lb ? la - lb : lb - la) > most)
		return 0;
	size_t row[33], prev[33];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t low = row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (row[j] < low)
				low = row[j];
		}
		if (low > most)
			return 0;
		memcpy(prev, row, (lb + 1) * sizeof(*row));
	}
	return prev[lb] <= most;
}

static int cmp_phrase(const void *a, const void *b)
{
	return strcmp(((const phrase *)a)->w[0], ((const phrase *)b)->w[0]);
}

static int phrase_at(const phrase *p, const scan *sc, size_t i, int fuzzy)
{
	if (i + p->n > sc->nwords)
		return 0;
	for (unsigned k = 0; k < p->n; k++) {
		const char *w = sc->words[i + k].norm;
		if (strcmp(w, p->w[k]) != 0 && !(fuzzy && near_word(w, p->w[k])))
			return 0;
	}
	return 1;
}

/* The number of words of the longest phrase of kind k at word i, or 0.
 * fuzzy: a long word may be one edit away. */
static unsigned match_at(const ndl_label_words *lw, const scan *sc, size_t i,
			 kind k, int fuzzy)
{
	const char *w = sc->words[i].norm;
	unsigned best = 0;
	size_t lo = 0, hi = lw->nphrases;
	while (lo < hi) { /* the first phrase whose first word is >= w */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(lw->phrases[mid].w[0], w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t p = lo; p < lw->nphrases && strcmp(lw->phrases[p].w[0], w) == 0; p++)
		if (lw->phrases[p].k == k && lw->phrases[p].n > best &&
		    phrase_at(&lw->phrases[p], sc, i, 0))
			best = lw->phrases[p].n;
	for (size_t p = 0; fuzzy && best == 0 && p < lw->nphrases; p++)
		if (lw->phrases[p].k == k && phrase_at(&lw->phrases[p], sc, i, 1))
			best = lw->phrases[p].n;
	return best;
}

/* ---------------------------------------------------------- the list */

typedef enum item_class {
	I_INCI,    /* reads like an ingredient name */
	I_NEUTRAL, /* a figure, a fragment, a long name: neither */
	I_PROSE,   /* a sentence */
	I_END,     /* opens what follows a list, or an address line */
	I_CUT      /* a line inside it opens what follows the list */
} item_class;

/* Is word i a number of three digits or more standing alone, as in a
 * street, a postcode or a batch, and not in a name: "CI 77491" and
 * "PEG-100" are names, and so is "Carbomer 940", which a list can bear
 * as one odd item. */
static int is_address_number(const scan *sc, size_t i)
{
	const word *w = &sc->words[i];
	if (w->end - w->start < 3 || strspn(w->norm, "0123456789") != strlen(w->norm))
		return 0;
	if (w->start > 0 && sc->s[w->start - 1] == '-')
		return 0;
	return !(i > 0 && strcmp(sc->words[i - 1].norm, "ci") == 0);
}

static item_class classify(const ndl_label_words *lw, const scan *sc,
			   const item *it, size_t *cut)
{
	unsigned nw = (unsigned)(it->w1 - it->w0), prose = 0, letters = 0;
	int number = 0;
	if (match_at(lw, sc, it->w0, K_END, 0))
		return I_END;
	for (size_t i = it->w0; i < it->w1; i++) {
		const word *w = &sc->words[i];
		if (match_at(lw, sc, i, K_LINE, 0)) {
			/* the whole line of the address goes */
			size_t first = i;
			while (first > it->w0 && !(sc->words[first].flags & W_LINE))
				first--;
			*cut = first;
			return first == it->w0 ? I_END : I_CUT;
		}
		if (i > it->w0 && (w->flags & W_LINE) && match_at(lw, sc, i, K_END, 0)) {
			*cut = i;
			return I_CUT;
		}
		if (!(w->flags & W_PAREN) && match_at(lw, sc, i, K_PROSE, 0))
			prose++;
		if (is_address_number(sc, i))
			number = 1;
		for (const char *c = w->norm; *c; c++)
			letters += !(*c >= '0' && *c <= '9') && *c != ' ';
	}
	if (prose >= 2 || (prose >= 1 && nw >= 6))
		return I_PROSE;
	if (prose || number || nw > MAX_ITEM_WORDS || letters < 2 ||
	    it->end - it->start > MAX_ITEM_BYTES)
		return I_NEUTRAL;
	return I_INCI;
}

/* Follows the list from item first while it reads as one: returns the
 * number of INCI-like items, sets *end to the byte after the last, *next
 * to the item where it stopped, *noise to 1 when what stopped it reads
 * as no section: fragments that are neither list nor section, or words
 * that read as a sentence (0: a section, the end of the text), and
 * *section to 1 when a section stopped it. */
static size_t walk(const ndl_label_words *lw, const scan *sc, size_t first,
		   size_t *end, size_t *next, int *noise, int *section)
{
	size_t count = 0, neutral = 0, i;
	*end = sc->items[first].start;
	*noise = *section = 0;
	for (i = first; i < sc->nitems; i++) {
		const item *it = &sc->items[i];
		size_t cut = 0;
		item_class c = classify(lw, sc, it, &cut);
		/* a list goes on in the next column or paragraph, past a
		 * fragment or two of OCR noise; a section or a sentence ends
		 * it */
		if (c == I_END || c == I_PROSE) {
			*noise = c == I_PROSE;
			*section = c == I_END;
			break;
		}
		if (c == I_CUT) { /* up to the line that is not the list */
			*section = 1;
			*end = sc->words[cut].start;
			while (*end > it->start && strchr(" \t\r\n", sc->s[*end - 1]))
				(*end)--;
			count++;
			i++;
			break;
		}
		if (c == I_NEUTRAL) {
			if (++neutral >= 2) {
				*noise = 1;
				break;
			}
			continue;
		}
		neutral = 0;
		count++;
		*end = it->end;
	}
	*next = i;
	return count;
}

/* Does a "not" phrase ("key ingredients", "free from") cover word i? */
static int negated(const ndl_label_words *lw, const scan *sc, size_t i)
{
	for (size_t back = 0; back < MAX_PHRASE_WORDS && back <= i; back++) {
		unsigned k = match_at(lw, sc, i - back, K_NOT, 0);
		if (k > back)
			return 1;
	}
	return 0;
}

/* The number of words of a header (a phrase of kind start or part) at
 * word i, or 0. */
static unsigned header_words(const ndl_label_words *lw, const scan *sc,
			     size_t i)
{
	unsigned k = match_at(lw, sc, i, K_START, 1);
	return k ? k : match_at(lw, sc, i, K_PART, 1);
}

/* If a header starts at word i, the first word after it (after more
 * headers joined to it: "INGREDIENTS / INGRÉDIENTS (INCI):"), else 0.
 * A header begins a clause and ends with a colon or its line; in
 * capitals at the start of a line it needs neither. */
static size_t header_at(const ndl_label_words *lw, const scan *sc, size_t i)
{
	const word *w = &sc->words[i];
	unsigned k;
	if (!(w->flags & W_CLAUSE) || !(k = header_words(lw, sc, i)) ||
	    negated(lw, sc, i))
		return 0;
	size_t j = i + k;
	while (j < sc->nwords && !(sc->words[j - 1].flags & W_COLON) &&
	       (k = header_words(lw, sc, j)) != 0)
		j += k;
	int ends = (sc->words[j - 1].flags & W_COLON) || j == sc->nwords ||
		   (sc->words[j].flags & W_LINE) ||
		   ((w->flags & W_LINE) && (w->flags & W_UPPER));
	return ends ? j : 0;
}

static void add_part(ndl_label_list *out, size_t header, size_t start,
		     size_t end, int noise, int ended)
{
	if (out->nparts < NDL_LABEL_MAX_PARTS && end > start) {
		ndl_label_part *p = &out->parts[out->nparts++];
		p->header = header;
		p->start = start;
		p->end = end;
		p->noise_after = noise;
		p->ended = ended;
	}
}

/* Is there a blank line in bytes [a, b) of the text? */
static int blank_line(const scan *sc, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		if (sc->s[i] != '\n')
			continue;
		size_t j = i + 1;
		while (j < b && (sc->s[j] == ' ' || sc->s[j] == '\t' || sc->s[j] == '\r'))
			j++;
		if (j < b && sc->s[j] == '\n')
			return 1;
	}
	return 0;
}

/* Every header followed by at least one INCI-like item. */
static void find_headed(const ndl_label_words *lw, const scan *sc,
			ndl_label_list *out)
{
	size_t i = 0;
	while (i < sc->nwords && out->nparts < NDL_LABEL_MAX_PARTS) {
		size_t j = header_at(lw, sc, i);
		if (j == 0 || j >= sc->nwords) {
			i++;
			continue;
		}
		size_t first = sc->words[j].item, end, next;
		size_t start = sc->words[j].start;
		int noise, section;
		if (sc->items[first].start > start)
			start = sc->items[first].start;
		if (walk(lw, sc, first, &end, &next, &noise, &section) > 0 &&
		    end > start) {
			/* Ended by a section, more text would not change it;
			 * unless it is one part of several (a Drug Facts
			 * label's active ingredients: the rest follows after
			 * other sections), or a blank line parts it from its
			 * header's last word (a photo's blocks read out of
			 * order, taken
			 * at a steep angle: more of the list may follow) */
			int whole = !match_at(lw, sc, i, K_PART, 1) &&
				    !blank_line(sc, sc->words[j - 1].end, start);
			add_part(out, sc->words[i].start, start, end, noise,
				 section && whole);
			while (i < sc->nwords && sc->words[i].start < end)
				i++;
		} else {
			i = j;
		}
	}
}

/* No header: the longest run of INCI-like items, if long enough. The
 * names after a "not" phrase ("Free from: parabens, sulfates") are
 * claims, never the list. */
static void find_run(const ndl_label_words *lw, const scan *sc,
		     ndl_label_list *out)
{
	size_t best = 0, best_start = 0, best_end = 0, i = 0;
	int best_noise = 0;
	while (i < sc->nitems) {
		size_t cut, end, next;
		int noise, section;
		if (negated(lw, sc, sc->items[i].w0)) {
			/* the claims run to the end of their sentence or line */
			while (i + 1 < sc->nitems && !sc->items[i].sentence &&
			       !(sc->words[sc->items[i + 1].w0].flags & W_LINE))
				i++;
			i++;
			continue;
		}
		if (classify(lw, sc, &sc->items[i], &cut) != I_INCI) {
			i++;
			continue;
		}
		size_t count = walk(lw, sc, i, &end, &next, &noise, &section);
		if (count > best) {
			best = count;
			best_start = sc->items[i].start;
			best_end = end;
			best_noise = noise;
		}
		i = next > i ? next : i + 1;
	}
	if (best >= MIN_RUN)
		add_part(out, best_start, best_start, best_end, best_noise, 0);
}

/* Runs of INCI-like items outside the parts found after a header: a
 * list that goes on in another column or block, read out of order (a
 * photo at an angle, a block that spans two columns), is still the list;
 * leaving it out would check half of it. Each run of MIN_RUN items or
 * more that no "not" phrase covers becomes a part, kept in text order. */
static void find_strays(const ndl_label_words *lw, const scan *sc,
			ndl_label_list *out)
{
	size_t headed = out->nparts, i = 0;
	while (i < sc->nitems && out->nparts < NDL_LABEL_MAX_PARTS) {
		const item *it = &sc->items[i];
		size_t cut, end, next, limit = sc->n;
		int noise, section, inside = 0;
		for (size_t p = 0; p < headed; p++) {
			const ndl_label_part *part = &out->parts[p];
			if (it->start < part->end && it->end > part->header)
				inside = 1;
			else if (part->header >= it->end && part->header < limit)
				limit = part->header;
		}
		if (inside || negated(lw, sc, it->w0) ||
		    classify(lw, sc, it, &cut) != I_INCI) {
			i++;
			continue;
		}
		size_t count = walk(lw, sc, i, &end, &next, &noise, &section);
		if (end > limit) { /* up to the next header, not into it */
			count = 0;
			for (size_t k = i; k < sc->nitems && sc->items[k].end <= limit; k++)
				count++;
			end = limit;
			while (end > it->start && strchr(" \t\r\n,;.", sc->s[end - 1]))
				end--;
		}
		if (count >= MIN_RUN)
			add_part(out, it->start, it->start, end, noise, 0);
		i = next > i ? next : i + 1;
	}
	/* in text order (few parts: insertion) */
	for (size_t a = 1; a < out->nparts; a++)
		for (size_t b = a; b > 0 && out->parts[b].start < out->parts[b - 1].start; b--) {
			ndl_label_part t = out->parts[b];
			out->parts[b] = out->parts[b - 1];
			out->parts[b - 1] = t;
		}
}

int ndl_label_find(const ndl_label_words *lw, const char *text, size_t len,
		   ndl_label_list *out)
{
	memset(out, 0, sizeof(*out));
	scan sc = {0};
	sc.s = text;
	sc.n = len;
	sc.mem.block_size = 1 << 14;
	lex(&sc);
	if (!sc.oom) {
		find_headed(lw, &sc, out);
		if (out->nparts) {
			out->found = NDL_LIST_HEADER;
			find_strays(lw, &sc, out);
		}
		else if (find_run(lw, &sc, out), out->nparts)
			out->found = NDL_LIST_RUN;
	}
	free(sc.words);
	free(sc.items);
	ndl_arena_free(&sc.mem);
	return sc.oom ? -1 : 0;
}

int ndl_label_list_ended(const ndl_label_list *list)
{
	return list->found == NDL_LIST_HEADER && list->nparts > 0 &&
	       list->parts[list->nparts - 1].ended;
}

void ndl_label_list_text(const ndl_label_list *list, const char *text,
			 size_t len, char *out)
{
	memset(out, ' ', len);
	for (size_t p = 0; p < list->nparts; p++) {
		const ndl_label_part *part = &list->parts[p];
		for (size_t i = part->start; i < part->end && i < len; i++)
			out[i] = text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
		if (part->end < len)
			out[part->end] = ',';
	}
}

/* -------------------------------------------------------- label.tsv */

/* The words of a phrase, normalised one by one as the text's are. */
static int add_phrase(ndl_label_words *lw, kind k, const char *s, size_t n)
{
	scan sc = {0};
	sc.s = s;
	sc.n = n;
	sc.mem.block_size = 1 << 10;
	lex(&sc);
	int rc = sc.oom || sc.nwords == 0 ? -1
		 : sc.nwords > MAX_PHRASE_WORDS ? -2 : 0;
	phrase p = {k, (unsigned)sc.nwords, {0}};
	for (size_t i = 0; rc == 0 && i < sc.nwords; i++)
		if ((p.w[i] = ndl_arena_strndup(&lw->mem, sc.words[i].norm,
						strlen(sc.words[i].norm))) == NULL ||
		    !*p.w[i])
			rc = -1;
	if (rc == 0 && NDL_GROW(lw->phrases, lw->cap, lw->nphrases + 1) != 0)
		rc = -1;
	if (rc == 0)
		lw->phrases[lw->nphrases++] = p;
	free(sc.words);
	free(sc.items);
	ndl_arena_free(&sc.mem);
	return rc;
}

/* An example's text with "\n" made a line break. */
static char *unescape(ndl_arena *a, const char *s, size_t n)
{
	char *out = ndl_arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; out && i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'n') {
			out[k++] = '\n';
			i++;
		} else {
			out[k++] = s[i];
		}
	}
	if (out)
		out[k] = '\0';
	return out;
}

static int parse_line(ndl_label_words *lw, const char *line, size_t n,
		      unsigned lineno, ndl_error *err)
{
	const char *tab = memchr(line, '\t', n);
	if (tab == NULL)
		return ndl_fail(err, lw->path, lineno, 1,
				"expected KIND<tab>PHRASE");
	size_t klen = (size_t)(tab - line);
	const char *rest = tab + 1;
	size_t rlen = n - klen - 1;
	if (klen == 7 && memcmp(line, "example", 7) == 0) {
		const char *tab2 = memchr(rest, '\t', rlen);
		if (tab2 == NULL || tab2 == rest || (size_t)(tab2 - rest) + 1 >= rlen)
			return ndl_fail(err, lw->path, lineno, (unsigned)klen + 2,
					"an example needs the label text, a tab "
					"and the list it holds (- for none)");
		if (NDL_GROW(lw->examples, lw->cap_examples, lw->nexamples + 1) != 0)
			return ndl_fail(err, lw->path, lineno, 1, "out of memory");
		example *e = &lw->examples[lw->nexamples];
		e->text = unescape(&lw->mem, rest, (size_t)(tab2 - rest));
		e->want = unescape(&lw->mem, tab2 + 1,
				   rlen - (size_t)(tab2 - rest) - 1);
		e->line = lineno;
		if (e->text == NULL || e->want == NULL)
			return ndl_fail(err, lw->path, lineno, 1, "out of memory");
		lw->nexamples++;
		return 0;
	}
	for (int k = 0; k < K_COUNT; k++) {
		if (strlen(kind_names[k]) != klen || memcmp(line, kind_names[k], klen) != 0)
			continue;
		int rc = add_phrase(lw, (kind)k, rest, rlen);
		if (rc == -2)
			return ndl_fail(err, lw->path, lineno, (unsigned)klen + 2,
					"a phrase has at most %d words",
					MAX_PHRASE_WORDS);
		if (rc != 0)
			return ndl_fail(err, lw->path, lineno, (unsigned)klen + 2,
					"no word in the phrase");
		return 0;
	}
	return ndl_fail(err, lw->path, lineno, 1,
			"unknown kind \"%.*s\" (start, part, not, end, line, "
			"prose or example)", (int)(klen < 40 ? klen : 40), line);
}

ndl_label_words *ndl_label_words_parse(const char *data, size_t len,
				       const char *path, ndl_error *err)
{
	ndl_label_words *lw = calloc(1, sizeof(*lw));
	if (lw == NULL) {
		ndl_fail(err, path, 0, 0, "out of memory");
		return NULL;
	}
	lw->mem.block_size = 1 << 14;
	/* kept for the examples' messages: the caller's path may not last */
	path = path ? path : LABEL_FILE;
	if ((lw->path = ndl_arena_strndup(&lw->mem, path, strlen(path))) == NULL) {
		ndl_fail(err, path, 0, 0, "out of memory");
		ndl_label_words_free(lw);
		return NULL;
	}
	unsigned lineno = 0;
	size_t i = 0;
	while (i < len) {
		const char *line = data + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;
		i += n + (nl != NULL);
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		if (parse_line(lw, line, n, lineno, err) != 0) {
			ndl_label_words_free(lw);
			return NULL;
		}
	}
	if (lw->nphrases)
		qsort(lw->phrases, lw->nphrases, sizeof(*lw->phrases), cmp_phrase);
	return lw;
}

ndl_label_words *ndl_label_words_default(ndl_error *err)
{
	const ndl_embedded_file *f = ndl_embedded_find(LABEL_FILE);
	if (f)
		return ndl_label_words_parse(f->data, f->len, "lexicon/" LABEL_FILE,
					     err);
	ndl_fail(err, NULL, 0, 0, "no %s in the lexicon", LABEL_FILE);
	return NULL;
}

void ndl_label_words_free(ndl_label_words *lw)
{
	if (lw == NULL)
		return;
	free(lw->phrases);
	free(lw->examples);
	ndl_arena_free(&lw->mem);
	free(lw);
}

size_t ndl_label_words_test(const ndl_label_words *lw, ndl_buf *out,
			    size_t *ntests)
{
	size_t failed = 0;
	if (ntests)
		*ntests = lw->nexamples;
	for (size_t i = 0; i < lw->nexamples; i++) {
		const example *e = &lw->examples[i];
		ndl_label_list list;
		ndl_buf got = {0};
		if (ndl_label_find(lw, e->text, strlen(e->text), &list) != 0)
			ndl_buf_puts(&got, "(out of memory)");
		for (size_t p = 0; p < list.nparts; p++) {
			if (p)
				ndl_buf_puts(&got, " | ");
			ndl_buf_append(&got, e->text + list.parts[p].start,
				       list.parts[p].end - list.parts[p].start);
		}
		if (list.nparts == 0)
			ndl_buf_puts(&got, "-");
		const char *g = ndl_buf_cstr(&got);
		if (g == NULL || strcmp(g, e->want) != 0) {
			failed++;
			if (out)
				ndl_buf_printf(out, "%s:%u: example: found \"%s\", "
					       "expected \"%s\"\n", lw->path,
					       e->line, g ? g : "", e->want);
		}
		ndl_buf_free(&got);
	}
	return failed;
}
