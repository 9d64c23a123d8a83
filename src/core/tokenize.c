/* Tokenizer: see tokenize.h. One pass over the text at bracket depth 0
 * finds separators, "may contain" markers and percentage run-ons; each
 * piece between them (a segment) is then cleaned into one token, or
 * several for a blend. */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "core/tokenize.h"

#define NONE ((size_t)-1)

struct ndl_bracket_pair {
	size_t open, close; /* close == NONE: never closed, so not a bracket */
};

typedef struct scan {
	ndl_tokenizer *t;
	ndl_arena *a;
	const char *s;
	size_t n;
	unsigned may_contain; /* NDL_TOK_MAY_CONTAIN once a marker was seen */
	unsigned active;      /* NDL_TOK_ACTIVE inside "Active ingredients" */
	int seen_header;      /* an "Ingredients:" header was seen */
	int drop;             /* under a Drug Facts heading: not a list */
	int caseless;         /* the text has no capital letter; -1 unknown */
	int grouped;          /* the segment is inside a "[+/- …]" group */
} scan;

/* ----------------------------------------------------------- characters */

static int is_alpha(unsigned char c)
{
	return (c | 32) >= 'a' && (c | 32) <= 'z';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

/* Bytes of the bracket at s[i] if it is one of ascii ("([{" or ")]}")
 * or the fullwidth ones whose last UTF-8 byte is in wide (U+FF08/FF3B:
 * 0x88, 0xBB; U+FF09/FF3D: 0x89, 0xBD), else 0. */
static inline size_t bracket_len(const char *s, size_t n, size_t i, const char *ascii,
			  const char *wide)
{
	unsigned char c = (unsigned char)s[i];
	if (c == (unsigned char)ascii[0] || c == (unsigned char)ascii[1] ||
	    c == (unsigned char)ascii[2])
		return 1;
	if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
	    ((unsigned char)s[i + 2] == (unsigned char)wide[0] ||
	     (unsigned char)s[i + 2] == (unsigned char)wide[1]))
		return 3;
	return 0;
}

/* Bytes of the opening bracket at s[i] ( [ { （ ［ ), or 0. */
static size_t opener_len(const char *s, size_t n, size_t i)
{
	return bracket_len(s, n, i, "([{", "\x88\xBB");
}

static size_t closer_len(const char *s, size_t n, size_t i)
{
	return bracket_len(s, n, i, ")]}", "\x89\xBD");
}

/* Bytes of a blank (ASCII blank or control, NBSP, Unicode space) at s[i],
 * or 0. */
static size_t space_len(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c <= ' ' || c == 0x7F)
		return 1; /* blanks, and control bytes: invisible junk */
	if (c < 0x80)
		return 0;
	uint32_t cp;
	size_t k = ndl_utf8_decode(s + i, n - i, &cp);
	return ndl_is_space_cp(cp) ? k : 0;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	size_t k;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && (unsigned char)s[i] > ' ' && (unsigned char)s[i] < 0x80)
		return i; /* the usual case: a letter */
	while (i < n && (k = space_len(s, n, i)) != 0)
		i += k;
	return i;
}

/* Case-insensitive ASCII prefix test of word w at s[i], ending at a word
 * boundary. Returns its length or 0. */
static size_t word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = 0;
	for (; w[k]; k++) {
		if (i + k >= n)
			return 0;
		unsigned char c = (unsigned char)s[i + k];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)w[k])
			return 0;
	}
	if (is_alnum((unsigned char)w[k - 1]) && i + k < n &&
	    is_alnum((unsigned char)s[i + k]))
		return 0;
	return k;
}

/* A "may contain" marker at s[i]: "+/-", "±", or a phrase of
 * may-contain.txt ("may contain" and its translations as printed on
 * multi-market labels): the longest. Returns its length. */
static size_t marker_len(const ndl_phrases *ph, const char *s, size_t n, size_t i)
{
	static const char *const signs[] = {"+/-", "+ / -", "+/"};
	if (i >= n || (i > 0 && is_alnum((unsigned char)s[i - 1])))
		return 0;
	unsigned char c = (unsigned char)s[i];
	if (c == 0xC2)
		return i + 1 < n && (unsigned char)s[i + 1] == 0xB1 ? 2 : 0; /* ± */
	if (c == '+') {
		for (size_t w = 0; w < NDL_ARRAY_LEN(signs); w++) {
			size_t k = word_at(s, n, i, signs[w]);
			if (k)
				return k;
		}
		return 0;
	}
	size_t best = 0;
	if (ph == NULL || !ph->first[c])
		return 0; /* most words are not markers */
	for (size_t w = 0; w < ph->n; w++) {
		size_t k = word_at(s, n, i, ph->words[w]);
		if (k > best)
			best = k;
	}
	return best;
}

/* Could a marker start with byte c? */
static int marker_start(const ndl_phrases *ph, unsigned char c)
{
	return c == '+' || c == 0xC2 || (ph && ph->first[c]);
}

static int is_mark(unsigned char c)
{
	return c == '*' || c == '^' || c == '#' || c == '~';
}

/* Has s[0, n) a capital ASCII letter? */
static int has_capital(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 1;
	return 0;
}

/* Bytes of a list separator at s[i] (depth 0), or 0. quote is the quote
 * of a Python-list cell (['a', 'b']), or 0. caseless: the text has no
 * capital letter, so ". next" can end a name although no capital says
 * so. */
static size_t separator_len(const char *s, size_t n, size_t i, char quote,
			    int caseless)
{
	unsigned char c = (unsigned char)s[i];
	switch (c) {
	case ',':
		/* never between digits: 1,2-Hexanediol */
		if (i > 0 && is_digit((unsigned char)s[i - 1]) && i + 1 < n &&
		    is_digit((unsigned char)s[i + 1]))
			return 0;
		return 1;
	case ';':
	case '|':
	case '\r':
		return 1;
	case '\n':
		/* an OCR line break inside a word: "Penty-\nlene" */
		if (i > 1 && s[i - 1] == '-' && is_alpha((unsigned char)s[i - 2]) &&
		    i + 1 < n && s[i + 1] >= 'a' && s[i + 1] <= 'z')
			return 0;
		return 1;
	case '.': {
		/* ". Next" ends an ingredient, but not after an abbreviation
		 * ("St. John's", "T.L.C. Serum") */
		size_t j = i + 1;
		if (j >= n || space_len(s, n, j) == 0)
			return 0;
		j = skip_spaces(s, n, j);
		/* a bullet ". -Octinoxate 3.74%: Sunscreen" starts an item too */
		int bullet = j + 1 < n && s[j] == '-' && is_alpha((unsigned char)s[j + 1]);
		if (j >= n || !((s[j] >= 'A' && s[j] <= 'Z') ||
				(caseless && s[j] >= 'a' && s[j] <= 'z') ||
				is_digit((unsigned char)s[j]) || s[j] == '*' ||
				s[j] == '[' || s[j] == '(' || s[j] == '+' || bullet))
			return 0;
		/* the word before, past footnote marks: "Kernel Oil*. *Organic" */
		size_t e = i;
		while (e > 0 && is_mark((unsigned char)s[e - 1]))
			e--;
		size_t w = e;
		while (w > 0 && is_alpha((unsigned char)s[w - 1]))
			w--;
		if (e - w < 3 || (w > 0 && s[w - 1] == '.'))
			return 0;
		return 1;
	}
	case '\'':
	case '"':
		/* "', '" between the items of a Python-list cell */
		if (quote && c == (unsigned char)quote) {
			size_t j = skip_spaces(s, n, i + 1);
			if (j < n && s[j] == ',') {
				j = skip_spaces(s, n, j + 1);
				if (j < n && s[j] == quote)
					return j + 1 - i;
			}
		}
		return 0;
	case 0xC2: /* · middle dot */
		return i + 1 < n && (unsigned char)s[i + 1] == 0xB7 ? 2 : 0;
	case 0xE2: /* bullets: • ‣ ∙ ■ □ ▪ ● ◦ ☐, as scraped shop pages print them */
		if (i + 2 >= n)
			return 0;
		switch (((unsigned)(unsigned char)s[i + 1] << 8) | (unsigned char)s[i + 2]) {
		case 0x80A2: case 0x80A3: case 0x8899: case 0x96A0: case 0x96A1:
		case 0x96AA: case 0x978F: case 0x97A6: case 0x9890:
			return 3;
		default:
			return 0;
		}
	case 0xE3: /* 、 ideographic comma (NFKC leaves it alone) */
		return i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
				       (unsigned char)s[i + 2] == 0x81
			       ? 3
			       : 0;
	case 0xEF: /* ， fullwidth comma, ； fullwidth semicolon */
		return i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
				       ((unsigned char)s[i + 2] == 0x8C ||
					(unsigned char)s[i + 2] == 0x9B)
			       ? 3
			       : 0;
	default:
		return 0;
	}
}

/* A footnote sign (* ** † ‡) at s[i] that starts a name after a blank,
 * inside a piece with a word before it: its length, else 0. A sign after
 * a name ("Linalool*") ends that name instead. */
static size_t note_start(const char *s, size_t seg, size_t end, size_t i)
{
	size_t k = 0;
	while (i + k < end && (s[i + k] == '*' ||
			       (s[i + k] == '\xe2' && i + k + 2 < end &&
				s[i + k + 1] == '\x80' &&
				(s[i + k + 2] == '\xa0' || s[i + k + 2] == '\xa1'))))
		k += s[i + k] == '*' ? 1 : 3;
	if (k == 0 || i == seg || (s[i - 1] != ' ' && s[i - 1] != '\t') ||
	    i + k >= end || !is_alpha((unsigned char)s[i + k]))
		return 0;
	for (size_t j = seg; j < i; j++)
		if (is_alpha((unsigned char)s[j]))
			return k;
	return 0;
}

/* ------------------------------------------------------------- brackets */

/* Pairs brackets with a stack, in order of opening. An opener never
 * closed is not a bracket, so an unbalanced "(" cannot swallow the rest
 * of the list. */
static int pair_brackets(ndl_tokenizer *t, const char *s, size_t n)
{
	size_t depth = 0;
	t->npairs = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '(' && c != '[' && c != '{' && c != ')' && c != ']' &&
		    c != '}' && c != 0xEF)
			continue;
		size_t k;
		if ((k = opener_len(s, n, i)) != 0) {
			if (t->npairs >= NDL_MAX_BRACKETS) {
				/* past it, an opener is not a bracket: its
				 * memory stays bounded, and the product says
				 * it was not read whole */
				t->truncated = 1;
				break;
			}
			if (NDL_GROW(t->pairs, t->cap_pairs, t->npairs + 1) ||
			    NDL_GROW(t->stack, t->cap_stack, depth + 1))
				return -1;
			t->pairs[t->npairs].open = i;
			t->pairs[t->npairs].close = NONE;
			t->stack[depth++] = t->npairs++;
			i += k - 1;
		} else if ((k = closer_len(s, n, i)) != 0) {
			if (depth > 0)
				t->pairs[t->stack[--depth]].close = i;
			i += k - 1;
		}
	}
	return 0;
}

/* The pair opened at i (pairs are in order of opening), or NULL. Pairs
 * are found on first need: balanced text mostly needs none. */
static const ndl_bracket_pair *pair_at(ndl_tokenizer *t, size_t i)
{
	if (!t->paired) {
		if (pair_brackets(t, t->s, t->n) != 0) {
			t->oom = 1;
			return NULL;
		}
		t->paired = 1;
	}
	size_t lo = 0, hi = t->npairs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->pairs[mid].open < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->npairs && t->pairs[lo].open == i ? &t->pairs[lo] : NULL;
}

/* Is [i, end) only markers, blanks and punctuation, e.g. "(+/-)"? */
static int only_marker_stuff(const ndl_phrases *ph, const char *s, size_t i,
			     size_t end)
{
	int saw_marker = 0;
	while (i < end) {
		size_t k = space_len(s, end, i);
		if (k == 0)
			k = marker_len(ph, s, end, i), saw_marker |= k != 0;
		if (k == 0 && (s[i] == ':' || s[i] == '/' || s[i] == '-' ||
			       s[i] == '+'))
			k = 1;
		if (k == 0)
			return 0;
		i += k;
	}
	return saw_marker;
}

/* Skips what follows a marker before the first item: blanks, ':', '/',
 * ',', more markers, and bracket groups holding only markers. */
static size_t skip_marker_stuff(scan *sc, size_t i, size_t end)
{
	const char *s = sc->s;
	for (;;) {
		i = skip_spaces(s, end, i);
		if (i >= end)
			return i;
		size_t k = marker_len(sc->t->markers, s, end, i);
		if (k) {
			i += k;
			continue;
		}
		if (s[i] == ':' || s[i] == '/' || s[i] == ',' ||
		    (s[i] == '\xef' && i + 2 < end && s[i + 1] == '\xbc' &&
		     s[i + 2] == '\x9a')) {
			i += s[i] == '\xef' ? 3 : 1;
			continue;
		}
		if ((k = opener_len(s, end, i)) != 0) {
			const ndl_bracket_pair *p = pair_at(sc->t, i);
			if (p && p->close != NONE && p->close < end &&
			    only_marker_stuff(sc->t->markers, s, i + k, p->close)) {
				i = p->close + closer_len(s, sc->n, p->close);
				continue;
			}
		}
		return i;
	}
}

/* ------------------------------------------------------------- segments */

typedef enum {
	HDR_NONE,        /* no header phrase */
	HDR_LABEL,       /* "Key ingredients": marketing follows */
	HDR_INGREDIENTS, /* "Ingredients", "INCI", "Inactive Ingredients" */
	HDR_ACTIVE,      /* "Active Ingredients" (Drug Facts) */
	HDR_DRUG_FACTS,  /* "Purpose", "Uses", "Warnings": not ingredients */
	HDR_MAY          /* "May contain" */
} header_kind;

/* The header phrase that ends [a, b), as in "Night Cream Ingredients" or
 * "El (Estee Lauder)Active Ingredients". Returns where the phrase starts
 * (the longest phrase wins) and its kind in *kind; b when there is none. */
static size_t header_tail(const ndl_tokenizer *t, const char *s, size_t a,
			  size_t b, header_kind *kind)
{
	/* by the roles of headers.txt */
	static const header_kind kinds[NDL_HEADER_COUNT] = {
		[NDL_HEADER_INGREDIENTS] = HDR_INGREDIENTS,
		[NDL_HEADER_ACTIVE] = HDR_ACTIVE,
		[NDL_HEADER_LABEL] = HDR_LABEL,
		[NDL_HEADER_DRUG_FACTS] = HDR_DRUG_FACTS};
	*kind = HDR_NONE;
	size_t found = b, w = b;
	for (int words = 0; words < 4 && w > a; words++) {
		/* back over the non-word characters, then the word */
		while (w > a && (unsigned char)s[w - 1] < 0x80 &&
		       !is_alnum((unsigned char)s[w - 1]))
			w--;
		while (w > a && ((unsigned char)s[w - 1] >= 0x80 ||
				 is_alnum((unsigned char)s[w - 1])))
			w--;
		if (b - w > 60)
			break;
		char norm[128];
		ndl_normalize(s + w, b - w, norm, sizeof(norm));
		for (size_t r = 0; t->headers && r < NDL_HEADER_COUNT; r++)
			for (const char *const *p = t->headers->phrases[r]; p && *p; p++)
				if (strcmp(norm, *p) == 0) {
					found = w;
					*kind = kinds[r];
				}
	}
	for (size_t i = a; i < b && *kind == HDR_NONE; i++)
		if (marker_len(t->markers, s, b, i)) {
			*kind = HDR_MAY;
			found = i;
		}
	return found;
}

/* Is s[0, n) one of the sentence words, in any case of its letters?
 * Most words of a list are no such word, and the list is long: its
 * words' first letters and lengths answer them first. */
static int is_sentence_word(ndl_tokenizer *t, const char *s, size_t n)
{
	if (!t->sentence_built) {
		/* a word of another shape: every word is read */
		t->sentence_built = 1;
		for (const char *const *w = t->sentence_words; w && *w; w++) {
			size_t len = strlen(*w);
			if (!is_alpha((unsigned char)**w) || len >= 64) {
				t->sentence_built = -1;
				break;
			}
			t->sentence_lengths[(**w | 32) - 'a'] |= (uint64_t)1 << len;
		}
	}
	if (t->sentence_built > 0 &&
	    (n == 0 || n >= 64 || !is_alpha((unsigned char)s[0]) ||
	     !(t->sentence_lengths[(s[0] | 32) - 'a'] >> n & 1)))
		return 0;
	for (const char *const *w = t->sentence_words; w && *w; w++) {
		size_t i = 0;
		while (i < n && (*w)[i] && (char)(s[i] | 32) == (*w)[i])
			i++;
		if (i == n && (*w)[i] == '\0')
			return 1;
	}
	return 0;
}

/* Does [a, b) read like a sentence rather than a name? Labels' trailers
 * ("Please be aware that…") and marketing blurbs do: their small words
 * tell. Names run together by a lost comma have none, so only a very long
 * run of words is taken for text without them. */
#define PROSE_WORDS 16
static int looks_like_prose(ndl_tokenizer *t, const char *s, size_t a, size_t b)
{
	unsigned words = 0, stops = 0;
	size_t i = a;
	while (i < b) {
		while (i < b && !is_alpha((unsigned char)s[i]) &&
		       (unsigned char)s[i] < 0x80)
			i++;
		if (i >= b)
			break;
		size_t w = i;
		while (i < b && (is_alpha((unsigned char)s[i]) ||
				 (unsigned char)s[i] >= 0x80 || s[i] == '\''))
			i++;
		words++;
		stops += (unsigned)is_sentence_word(t, s + w, i - w);
	}
	return words >= PROSE_WORDS ||
	       (words >= 3 && stops >= 1 && words - stops >= 1 &&
		(stops >= 2 || words >= 5));
}

/* Reads a number ending at e (exclusive) backwards: "5.0", "2,5". */
static size_t number_start(const char *s, size_t a, size_t e)
{
	size_t i = e;
	while (i > a && (is_digit((unsigned char)s[i - 1]) || s[i - 1] == '.' ||
			 s[i - 1] == ','))
		i--;
	while (i < e && !is_digit((unsigned char)s[i]))
		i++; /* a leading "." or "," is punctuation */
	return i;
}

static double parse_number(const char *s, size_t a, size_t e)
{
	double v = 0, scale = 0;
	for (size_t i = a; i < e; i++) {
		if (s[i] == '.' || s[i] == ',') {
			if (scale != 0)
				break;
			scale = 1;
			continue;
		}
		v = v * 10 + (s[i] - '0');
		if (scale != 0)
			scale *= 10;
	}
	return scale != 0 ? v / scale : v;
}


/* Bytes of a footnote sign at s[i] († ‡ ° ¹ ² ³ ⁰-⁹ ✝), or 0. */
static size_t sign_len(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (is_mark(c))
		return 1;
	if (c < 0x80)
		return 0;
	uint32_t cp;
	size_t k = ndl_utf8_decode(s + i, n - i, &cp);
	if (cp == 0x2020 || cp == 0x2021 || cp == 0xB0 || cp == 0xB9 ||
	    cp == 0xB2 || cp == 0xB3 || (cp >= 0x2070 && cp <= 0x2079) ||
	    cp == 0x271D || cp == 0x2022)
		return k;
	return 0;
}

/* Trims [*a, *b) of blanks, signs, stray brackets and periods at both
 * ends, and of closing brackets with no opener ("Water)"); a leading '*'
 * makes it a footnote, a leading "-" a bullet. */
static void trim_token(const char *s, size_t *pa, size_t *pb, unsigned *flags)
{
	size_t a = *pa, b = *pb, k;
	/* trim blanks, signs, stray brackets and periods at both ends */
	for (;;) {
		while (a < b && (k = space_len(s, b, a)) != 0)
			a += k;
		if (a < b && (k = sign_len(s, b, a)) != 0) {
			if (s[a] == '*')
				*flags |= NDL_TOK_FOOTNOTE;
			a += k;
			continue;
		}
		if (a < b && (s[a] == ')' || s[a] == ']' || s[a] == '}' ||
			      s[a] == '.' || s[a] == '-' || s[a] == '\'' ||
			      s[a] == '"' || s[a] == '`')) {
			if (s[a] == '-' && a + 1 < b && s[a + 1] != ' ')
				*flags |= NDL_TOK_PROSE; /* "-Vitamin K3: ..." */
			a++;
			continue;
		}
		break;
	}
	for (;;) {
		while (b > a) {
			size_t j = b - 1;
			while (j > a && ((unsigned char)s[j] & 0xC0) == 0x80)
				j--;
			if ((k = space_len(s, b, j)) == 0 &&
			    (k = sign_len(s, b, j)) == 0)
				break;
			b = j;
		}
		if (b > a && (s[b - 1] == '.' || s[b - 1] == '(' ||
			      s[b - 1] == '[' || s[b - 1] == '{' ||
			      s[b - 1] == ',' || s[b - 1] == '\'' ||
			      s[b - 1] == '"' || s[b - 1] == '`')) {
			b--;
			continue;
		}
		break;
	}
	/* a closing bracket with no opener in the token: "Water)" */
	long balance = 0;
	for (size_t i = a; i < b && (s[b - 1] == ')' || s[b - 1] == ']' || s[b - 1] == '}'); i++) {
		if (s[i] == '(' || s[i] == '[' || s[i] == '{')
			balance++;
		else if (s[i] == ')' || s[i] == ']' || s[i] == '}')
			balance--;
	}
	while (balance < 0 && b > a &&
	       (s[b - 1] == ')' || s[b - 1] == ']' || s[b - 1] == '}')) {
		b--;
		balance++;
		while (b > a && (k = space_len(s, b, b - 1)) != 0)
			b--;
	}
	*pa = a;
	*pb = b;
}

/* Figures: a percentage at the start ("100% Dead Sea Salt") goes; one
 * after the name ends it ("Avobenzone 3% Sunscreen" is a Drug Facts
 * purpose column). Inside brackets: "(56.8%)", dropped by clean_text.
 * Returns the percentage, or -1. */
static double strip_figures(const char *s, size_t *pa, size_t *pb)
{
	size_t a = *pa, b = *pb, k;
	double pct = -1;
	size_t cut = b;
	const char *pc = memchr(s + a, '%', b - a);
	for (size_t i = pc ? (size_t)(pc - s) : b; i < b; i++) {
		if (s[i] != '%')
			continue;
		size_t e = i;
		while (e > a && s[e - 1] == ' ')
			e--;
		size_t ns = number_start(s, a, e);
		if (ns == e)
			continue;
		pct = parse_number(s, ns, e);
		size_t before = ns;
		while (before > a && (s[before - 1] == ' ' ||
				      s[before - 1] == '('))
			before--;
		if (before == a) {
			a = skip_spaces(s, b, i + 1);
		} else if (s[ns - 1] != '(' && cut == b) {
			cut = before;
		}
	}
	b = cut;
	while (b > a && (k = space_len(s, b, b - 1)) != 0)
		b--;
	*pa = a;
	*pb = b;
	return pct;
}

/* The text of [a, b) into out (b - a + 1 bytes): blanks collapsed,
 * "(nano)", "(56.8%)" and "<ILN38467>" dropped. Returns its length;
 * *words receives its word count. */
static size_t clean_text(const char *s, size_t a, size_t b, char *out,
			 unsigned *flags, size_t *words_out)
{
	size_t k;
	size_t len = 0, words = 0;
	int space = 1;
	for (size_t i = a; i < b;) {
		unsigned char c = (unsigned char)s[i];
		/* the common case: plain ASCII, single spaces */
		if (c == ' ') {
			if (!space)
				out[len++] = ' ';
			space = 1;
			i++;
			continue;
		}
		if (c > ' ' && c < 0x7F && c != '(' && c != '[' && c != '{' && c != '<') {
			words += space;
			space = 0;
			out[len++] = (char)c;
			i++;
			continue;
		}
		/* drop "(nano)", "[nano]", "(56.8%)", "<ILN38467>" */
		size_t ol = opener_len(s, b, i);
		if (ol || s[i] == '<') {
			size_t j = i + (ol ? ol : 1);
			size_t inner = j;
			while (j < b && s[j] != '>' && !closer_len(s, b, j) &&
			       !opener_len(s, b, j))
				j++;
			if (j < b && (ol ? closer_len(s, b, j) != 0 : s[j] == '>')) {
				size_t e = j + (ol ? closer_len(s, b, j) : 1);
				int drop = 0;
				if (s[i] == '<')
					drop = 1;
				else if (word_at(s, j, skip_spaces(s, j, inner),
						 "nano")) {
					*flags |= NDL_TOK_NANO;
					drop = 1;
				} else {
					size_t q = inner;
					while (q < j && (is_digit((unsigned char)s[q]) ||
							 s[q] == '.' || s[q] == ',' ||
							 s[q] == ' ' || s[q] == '%'))
						q++;
					drop = q == j && memchr(s + inner, '%', j - inner);
				}
				if (drop) {
					i = e;
					continue;
				}
			}
		}
		if ((k = space_len(s, b, i)) != 0) {
			if (!space) {
				out[len++] = ' ';
				space = 1;
			}
			i += k;
			continue;
		}
		if (space)
			words++;
		space = 0;
		out[len++] = s[i++];
	}
	/* dropping "(10%)" can bare a closing quote: "Glycolic Acid" (10%) */
	while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '"' ||
			   out[len - 1] == '\'' || out[len - 1] == '`'))
		len--;
	out[len] = '\0';
	*words_out = words;
	return len;
}

/* Appends one cleaned ingredient [a, b) to the token list. Removes
 * figures ("5%", "(56.8%)"), "(nano)", "<ILN123>" codes, footnote signs
 * and stray brackets; collapses blanks. */
static void emit_token(scan *sc, size_t a, size_t b, unsigned flags)
{
	const char *s = sc->s;
	ndl_tokenizer *t = sc->t;
	trim_token(s, &a, &b, &flags);
	if (a >= b)
		return;
	double pct = strip_figures(s, &a, &b);
	if (a >= b)
		return;
	char *out = ndl_arena_alloc(sc->a, b - a + 1);
	if (out == NULL) {
		t->oom = 1;
		return;
	}
	size_t words;
	size_t len = clean_text(s, a, b, out, &flags, &words);
	int named = 0; /* "-", "**", "()" name nothing */
	for (size_t i = 0; i < len && !named; i++)
		named = is_alnum((unsigned char)out[i]) || (unsigned char)out[i] >= 0x80;
	if (!named)
		return;
	if (words >= 3 && looks_like_prose(t, out, 0, len))
		flags |= NDL_TOK_PROSE;

	if (NDL_GROW(t->tok, t->cap_tok, t->ntok + 1)) {
		t->oom = 1;
		return;
	}
	ndl_token *tk = &t->tok[t->ntok++];
	tk->start = a;
	tk->end = b;
	tk->text = out;
	tk->len = len;
	tk->pct = pct;
	tk->flags = flags | sc->may_contain | sc->active;
	tk->match = NULL;
	tk->memo = NULL;
}

/* A blend separator at i, at depth 0 of the segment [a, b): "(and)",
 * " & ", " + ", or "& ", "+ " first in the segment. Returns its length,
 * 0 if none. Only the segment's bytes count, spaces before it or not:
 * its tokens are cached by its bytes from the first that is no space. */
static size_t blend_len(scan *sc, size_t a, size_t i, size_t b)
{
	const char *s = sc->s;
	if (s[i] == '(') {
		size_t j = skip_spaces(s, b, i + 1);
		size_t k = word_at(s, b, j, "and");
		j = k ? skip_spaces(s, b, j + k) : b;
		return j < b && s[j] == ')' ? j + 1 - i : 0;
	}
	if ((s[i] == '&' || s[i] == '+') && i + 1 < b && s[i + 1] == ' ' &&
	    (skip_spaces(s, i, a) == i || s[i - 1] == ' '))
		return 1;
	return 0;
}

/* Splits a segment into blend parts and emits each. */
static void emit_blend(scan *sc, size_t a, size_t b, unsigned flags)
{
	const char *s = sc->s;
	size_t depth = 0, part = a;
	unsigned blend = 0;
	for (size_t i = a; i < b; i++) {
		size_t k;
		if (s[i] != '(' && depth == 0 && (k = blend_len(sc, a, i, b))) {
			emit_token(sc, part, i, flags | blend);
			blend = NDL_TOK_BLEND;
			part = i + k;
			i = part - 1;
			continue;
		}
		if ((k = opener_len(s, b, i)) != 0) {
			if (sc->t->strict) {
				const ndl_bracket_pair *p = pair_at(sc->t, i);
				if (p == NULL || p->close == NONE)
					continue; /* not a bracket */
			}
			if (depth == 0 && (k = blend_len(sc, a, i, b))) {
				emit_token(sc, part, i, flags | blend);
				blend = NDL_TOK_BLEND;
				part = i + k;
				i = part - 1;
				continue;
			}
			depth++;
		} else if (depth > 0 && closer_len(s, b, i)) {
			depth--;
		}
	}
	emit_token(sc, part, b, flags | blend);
}

/* A header ends every token before it that the matcher cannot name. */
static void mark_preamble(scan *sc)
{
	if (sc->seen_header)
		return;
	sc->seen_header = 1;
	for (size_t k = 0; k < sc->t->ntok; k++)
		sc->t->tok[k].flags |= NDL_TOK_PREAMBLE;
}

#define MAX_COLONS 16

/* Could [a, b) be a header standing alone ("INGREDIENTS", "Inactive
 * Ingredients", "INCI", "成分")? A cheap look at its end, since every
 * ingredient would otherwise pay for the full test: its last four bytes,
 * lower-cased (| 0x20 turns no other byte into a letter), against the
 * ends of the list's header phrases (ndl_tokenizer.lone_ends). */
static void lone_ends(ndl_tokenizer *t)
{
	static const ndl_header_role alone[] = {NDL_HEADER_INGREDIENTS,
						NDL_HEADER_ACTIVE};
	t->lone_built = 1;
	t->lone_last[' '] = t->lone_last['.'] = t->lone_last[':'] = 1;
	for (size_t r = 0; t->headers && r < NDL_ARRAY_LEN(alone); r++)
		for (const char *const *p = t->headers->phrases[alone[r]]; p && *p; p++) {
			size_t len = strlen(*p), i = 0;
			if (len < 4)
				continue; /* such a phrase counts before a colon only */
			uint32_t e;
			memcpy(&e, *p + len - 4, 4);
			e |= 0x20202020u;
			while (i < t->nlone_ends && t->lone_ends[i] != e)
				i++;
			if (i == NDL_ARRAY_LEN(t->lone_ends))
				t->lone_any = 1;
			else if (i == t->nlone_ends)
				t->lone_ends[t->nlone_ends++] = e;
			t->lone_last[(unsigned char)(*p)[len - 1] | 0x20] = 1;
		}
}

static int may_be_lone_header(ndl_tokenizer *t, const char *s, size_t a,
			      size_t b)
{
	if (!t->lone_built)
		lone_ends(t);
	unsigned char last = b > a ? (unsigned char)s[b - 1] : ' ';
	if (!t->lone_last[last | 0x20] || b - a < 4 || b - a > 48)
		return 0;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '.' || s[b - 1] == ':'))
		b--;
	if (b - a < 4 || b - a > 40)
		return 0;
	uint32_t w;
	memcpy(&w, s + b - 4, 4);
	w |= 0x20202020u;
	for (size_t k = 0; k < t->nlone_ends; k++)
		if (w == t->lone_ends[k])
			return 1;
	return t->lone_any;
}

/* A dash between blanks (" - ", " – ", " — ") at s[i]: its length from
 * i (the blank before it), else 0. */
static size_t dash_len(const char *s, size_t b, size_t i)
{
	if (s[i] != ' ' || i + 2 >= b)
		return 0;
	size_t k = s[i + 1] == '-' ? 1
		   : i + 4 < b && s[i + 1] == '\xe2' && s[i + 2] == '\x80' &&
				 (s[i + 3] == '\x93' || s[i + 3] == '\x94')
			   ? 3
			   : 0;
	return k && i + 1 + k < b && s[i + 1 + k] == ' ' ? k + 2 : 0;
}

static void emit_piece(scan *sc, size_t a, size_t b, unsigned flags, int blend)
{
	if (blend)
		emit_blend(sc, a, b, flags);
	else
		emit_token(sc, a, b, flags);
}

/* A stretch of a list that puts a dash between its names twice or more
 * ("Aqua - Glycerin - Retinol") uses it as its separator; once, the dash
 * is a name's own ("Biosaccharide Gum - 1") or a synonym's. Each piece
 * must read like a name: a letter, at most DASH_ITEM_WORDS words.
 * Returns 1 when [a, b) was emitted piece by piece. */
#define DASH_ITEM_WORDS 8
static int dash_items(scan *sc, size_t a, size_t b, unsigned flags, int blend)
{
	const char *s = sc->s;
	size_t cut[32], ncut = 0, depth = 0, k;
	if (memchr(s + a, '-', b - a) == NULL && memchr(s + a, '\xe2', b - a) == NULL)
		return 0; /* the common case */
	for (size_t i = a; i < b && ncut < NDL_ARRAY_LEN(cut); i++) {
		if (s[i] == '(' || s[i] == '[')
			depth++;
		else if ((s[i] == ')' || s[i] == ']') && depth > 0)
			depth--;
		else if (depth == 0 && (k = dash_len(s, b, i)) != 0) {
			cut[ncut++] = i;
			i += k - 1;
		}
	}
	if (ncut < 2)
		return 0;
	for (size_t c = 0, from = a; c <= ncut; c++) {
		size_t to = c < ncut ? cut[c] : b, words = 0;
		int letter = 0;
		for (size_t i = from; i < to; i++) {
			letter |= is_alpha((unsigned char)s[i]);
			words += s[i] != ' ' && (i == from || s[i - 1] == ' ');
		}
		if (!letter || words > DASH_ITEM_WORDS)
			return 0;
		from = to < b ? to + dash_len(s, b, to) : b;
	}
	for (size_t c = 0, from = a; c <= ncut; c++) {
		size_t to = c < ncut ? cut[c] : b;
		emit_piece(sc, from, to, flags, blend);
		from = to < b ? to + dash_len(s, b, to) : b;
	}
	return 1;
}

/* Emits [a, b) as ingredients, with flags (a blend is split if hinted). */
static void content(scan *sc, size_t a, size_t b, unsigned flags, int blend)
{
	a = skip_spaces(sc->s, b, a);
	if (a >= b)
		return;
	if (sc->drop)
		flags |= NDL_TOK_PROSE; /* under "Purpose:", "Warnings:"… */
	if (!dash_items(sc, a, b, flags, blend))
		emit_piece(sc, a, b, flags, blend);
}

/* Opens the section a header phrase names. */
static void open_section(scan *sc, header_kind kind)
{
	switch (kind) {
	case HDR_INGREDIENTS:
	case HDR_ACTIVE:
		mark_preamble(sc);
		sc->active = kind == HDR_ACTIVE ? NDL_TOK_ACTIVE : 0;
		sc->drop = 0;
		break;
	case HDR_MAY:
		sc->may_contain = NDL_TOK_MAY_CONTAIN;
		sc->drop = 0;
		break;
	case HDR_DRUG_FACTS:
		sc->drop = 1;
		break;
	default:
		break;
	}
}

/* ---------------------------------------------------- segment cache */

/* Bytes of a generation, unless set: a segment missed is only scanned
 * again, so this cache can be smaller than the matcher's. A generation
 * of 1.5 MB holds about 12,000 segments: on an inventory of real names,
 * with their long tail, it turns every 4,000 rows or so. */
#define SEGMENT_CACHE_BYTES ((size_t)3 << 19)

typedef struct cached_token {
	size_t start, end; /* relative to the segment */
	const char *text;
	size_t len;
	double pct;
	unsigned flags;    /* without the section's flags */
	unsigned epoch;    /* match is the caller's since this forget */
	const void *match; /* remembered by the caller */
} cached_token;

struct ndl_segment {
	size_t ntok;
	cached_token tok[];
};

void ndl_tokenizer_forget(ndl_tokenizer *t)
{
	t->epoch++; /* each memo is cleared when next read */
}

/* The hash of a segment from its length and its first 16 and last 8
 * bytes: constant time, and ingredient names that share all three are
 * rare (the cache compares the bytes). */
static uint64_t segment_hash(const char *s, size_t n)
{
	if (n <= 24)
		return ndl_hash(s, n);
	char probe[24];
	memcpy(probe, s, 16);
	memcpy(probe + 16, s + n - 8, 8);
	return ndl_hash(probe, 24) ^ (uint64_t)n * 0x9E3779B97F4A7C15ULL;
}

/* The hash of the segment [a, b) of the text, hashed ahead or now. */
static uint64_t hash_of(ndl_tokenizer *t, size_t a, size_t b)
{
	while (t->next_ahead < t->nahead && t->ahead[t->next_ahead].a < a)
		t->next_ahead++;
	const ndl_hashed_span *h = &t->ahead[t->next_ahead];
	if (t->next_ahead < t->nahead && h->a == a && h->b == b)
		return h->hash;
	return segment_hash(t->s + a, b - a);
}

/* The segment the scan at from finds, if it was found ahead. */
static const ndl_hashed_span *found_ahead(ndl_tokenizer *t, size_t from)
{
	while (t->next_ahead < t->nahead && t->ahead[t->next_ahead].from < from)
		t->next_ahead++;
	const ndl_hashed_span *h = &t->ahead[t->next_ahead];
	return t->next_ahead < t->nahead && h->from == from ? h : NULL;
}

/* Hashes the segments of [begin, end) up to each comma, as cached_span
 * will find them, and has the cache fetch what their finds will read:
 * a catalogue's cache is larger than the processor's, and its slots and
 * keys, fetched all at once, arrive in the time of one. */
static void hash_ahead(ndl_tokenizer *t, size_t begin, size_t end)
{
	const char *s = t->s;
	t->nahead = t->next_ahead = 0;
	for (size_t from = begin; from < end && t->nahead < NDL_ARRAY_LEN(t->ahead);) {
		size_t a = skip_spaces(s, end, from);
		const char *comma = memchr(s + a, ',', end - a);
		size_t b = comma ? (size_t)(comma - s) : end;
		if (b > a) {
			uint64_t h = segment_hash(s + a, b - a);
			t->ahead[t->nahead++] = (ndl_hashed_span){from, a, b, h};
			ndl_cache_prefetch(&t->cache, h);
		}
		from = b + 1;
	}
	for (size_t k = 0; k < t->nahead; k++)
		ndl_cache_prefetch_key(&t->cache, t->ahead[k].hash);
}

static ndl_segment *new_segment(ndl_tokenizer *t, size_t n)
{
	ndl_segment *seg = ndl_arena_alloc(&t->cache_mem,
					   sizeof(*seg) + n * sizeof(seg->tok[0]));
	if (seg != NULL)
		seg->ntok = n;
	return seg;
}

/* Keeps seg, made of the segment key[0, len), in the young generation:
 * its tokens' texts are copied there, but for a lone token that is the
 * whole segment ("Glycerin", most of them), whose text is the cache's
 * copy of the key. Returns -1 when out of memory (nothing kept). */
static int keep_segment(ndl_tokenizer *t, const char *key, size_t len,
			uint64_t h, ndl_segment *seg)
{
	int whole = seg->ntok == 1 && seg->tok[0].len == len &&
		    memcmp(seg->tok[0].text, key, len) == 0;
	for (size_t k = 0; !whole && k < seg->ntok; k++) {
		const char *text = ndl_arena_strndup(&t->cache_mem, seg->tok[k].text,
						     seg->tok[k].len);
		if (text == NULL)
			return -1;
		seg->tok[k].text = text;
	}
	if (ndl_cache_put(&t->cache, &t->cache_mem, key, len, h, seg) != 0)
		return -1;
	if (whole)
		seg->tok[0].text = ndl_cache_key(&t->cache, key, len, h);
	return 0;
}

/* The cached segment of these bytes, or NULL. One of the old generation
 * is in use again: it is copied into the young one. */
static ndl_segment *find_segment(ndl_tokenizer *t, const char *key, size_t len,
				 uint64_t h)
{
	int old;
	ndl_segment *seg = ndl_cache_find(&t->cache, key, len, h, &old);
	if (seg == NULL || !old)
		return seg;
	ndl_segment *young = new_segment(t, seg->ntok);
	if (young == NULL)
		return seg; /* valid until the next product */
	memcpy(young->tok, seg->tok, seg->ntok * sizeof(seg->tok[0]));
	return keep_segment(t, key, len, h, young) == 0 ? young : seg;
}

/* The tokens of a cached segment starting at byte a. */
static void emit_cached(scan *sc, size_t a, ndl_segment *seg)
{
	ndl_tokenizer *t = sc->t;
	if (NDL_GROW(t->tok, t->cap_tok, t->ntok + seg->ntok)) {
		t->oom = 1;
		return;
	}
	for (size_t k = 0; k < seg->ntok; k++) {
		cached_token *c = &seg->tok[k];
		if (c->epoch != t->epoch) { /* forgotten since it was kept */
			c->match = NULL;
			c->epoch = t->epoch;
		}
		t->tok[t->ntok++] = (ndl_token){
			a + c->start, a + c->end, c->text, c->len, c->pct,
			c->flags | sc->may_contain | sc->active, c->match, &c->match};
	}
}

/* Has [a, b) a period, a blank and a small letter (". step")? */
static int period_then_lower(const char *s, size_t a, size_t b)
{
	for (const char *p = memchr(s + a, '.', b - a); p && p + 2 < s + b;
	     p = memchr(p + 1, '.', (size_t)(s + b - p - 1)))
		if (p[1] == ' ' && p[2] >= 'a' && p[2] <= 'z')
			return 1;
	return 0;
}

/* A segment with no header and no marker, from its first non-blank
 * byte: its tokens depend only on its bytes, so they come from the cache
 * when it was seen before. */
static void plain_segment(scan *sc, size_t a, size_t b, int blend)
{
	ndl_tokenizer *t = sc->t;
	const char *s = sc->s;
	if (a >= b)
		return;
	if (t->strict || sc->drop || sc->grouped || period_then_lower(s, a, b)) {
		/* rare: not worth caching; whether ". next" ends a name
		 * depends on the rest of the text (caseless); and inside a
		 * "[+/- …]" group a "(+/- …)" is a plain bracket, where out
		 * of one it is a marker of its own (the same bytes, other
		 * tokens) */
		content(sc, a, b, 0, blend);
		return;
	}
	uint64_t h = hash_of(t, a, b);
	ndl_segment *seg = find_segment(t, s + a, b - a, h);
	if (seg) {
		emit_cached(sc, a, seg);
		return;
	}
	size_t first = t->ntok;
	content(sc, a, b, 0, blend);
	if (t->oom || (seg = new_segment(t, t->ntok - first)) == NULL)
		return;
	for (size_t k = 0; k < seg->ntok; k++) {
		ndl_token *tk = &t->tok[first + k];
		seg->tok[k] = (cached_token){tk->start - a, tk->end - a, tk->text, tk->len, tk->pct,
					     tk->flags & ~(unsigned)(NDL_TOK_MAY_CONTAIN | NDL_TOK_ACTIVE),
					     t->epoch, NULL};
	}
	if (keep_segment(t, s + a, b - a, h, seg) == 0)
		for (size_t k = 0; k < seg->ntok; k++)
			t->tok[first + k].memo = &seg->tok[k].match;
}

/* Emits the segment [a, b). colons are the ':' at depth 0 in it: each
 * piece before one may end with a header phrase ("… Inactive
 * Ingredients:"), and what precedes the phrase belongs to the section
 * before. Text before a ':' without a header phrase is a label ("Night
 * Serum:"): tentative. */
static void segment(scan *sc, size_t a, size_t b, const size_t *colons,
		    size_t ncolons, int blend)
{
	const char *s = sc->s;
	header_kind prev = HDR_INGREDIENTS;
	int dosed = 0; /* the piece before the colon ended with a percentage */
	a = skip_spaces(s, b, a);
	if (a < b && marker_start(sc->t->markers, (unsigned char)s[a]) &&
	    marker_len(sc->t->markers, s, b, a)) {
		/* "May contain Iron Oxides", "May Contain, Mica" */
		sc->may_contain = NDL_TOK_MAY_CONTAIN;
		a = skip_marker_stuff(sc, a, b);
		while (ncolons > 0 && colons[0] < a)
			colons++, ncolons--;
	}
	for (size_t c = 0; c < ncolons; c++) {
		size_t end = colons[c];
		if (s[end] != ':')
			end -= 2; /* the first byte of a fullwidth colon */
		header_kind kind;
		size_t phrase = header_tail(sc->t, s, a, end, &kind);
		/* text before the phrase: content, unless it is the value of
		 * a label ("Division: El (Estee Lauder)Active Ingredients") */
		unsigned flags = prev == HDR_NONE || prev == HDR_LABEL ? NDL_TOK_HEADER : 0;
		if (kind == HDR_NONE || kind == HDR_LABEL)
			flags = NDL_TOK_HEADER;
		if (dosed)
			flags |= NDL_TOK_PROSE;
		content(sc, a, phrase, flags, blend);
		open_section(sc, kind);
		prev = kind;
		/* "Titanium Dioxide 3.55%: Sunscreen": what follows an active
		 * with its dose is its purpose, not an ingredient */
		size_t e = end;
		while (e > a && space_len(s, end, e - 1))
			e--;
		dosed = e > a && s[e - 1] == '%';
		a = colons[c] + 1;
	}
	if (ncolons == 0 && may_be_lone_header(sc->t, s, a, b)) {
		/* a header on a line of its own: "INGREDIENTS" */
		header_kind kind;
		size_t phrase = header_tail(sc->t, s, a, b, &kind);
		if (kind != HDR_NONE && kind != HDR_LABEL &&
		    skip_spaces(s, phrase, a) == phrase) {
			open_section(sc, kind);
			return;
		}
	}
	if (ncolons == 0)
		plain_segment(sc, a, b, blend);
	else
		content(sc, a, b, dosed ? NDL_TOK_PROSE : 0, blend);
}

/* --------------------------------------------------------- main scan */

/* The fast path of the scan: the bytes up to the next comma, if the cache
 * holds them as a plain segment, are that segment (the same bytes were
 * scanned before and held no separator, header, marker or unbalanced
 * bracket). Returns where the scan goes on, or `from` when it must scan
 * byte by byte. */
static size_t cached_span(scan *sc, size_t from, size_t end)
{
	ndl_tokenizer *t = sc->t;
	const char *s = sc->s;
	const ndl_hashed_span *k = found_ahead(t, from);
	size_t a, b;
	if (k) {
		a = k->a, b = k->b;
	} else {
		a = skip_spaces(s, end, from);
		const char *comma = memchr(s + a, ',', end - a);
		b = comma ? (size_t)(comma - s) : end;
	}
	int comma = b < end;
	if (b == a || sc->drop)
		return from;
	if (comma && b > 0 && b + 1 < end && is_digit((unsigned char)s[b - 1]) &&
	    is_digit((unsigned char)s[b + 1]))
		return from; /* "1,2-Hexanediol" is not two segments */
	ndl_segment *seg = find_segment(t, s + a, b - a,
					k ? k->hash : segment_hash(s + a, b - a));
	if (seg == NULL)
		return from;
	emit_cached(sc, a, seg);
	if (t->oom)
		return from;
	return comma ? b + 1 : end;
}

/* Bytes that can matter at depth 0 (separators, brackets, markers, '%',
 * ':', blends, the lead bytes of •·、，；（） and ±), and inside brackets
 * (brackets only); the scan skips the rest in a tight loop. */
static const unsigned char scan_top[256] = {
	['('] = 1, ['['] = 1, ['{'] = 1, [')'] = 1, [']'] = 1, ['}'] = 1,
	[','] = 1, [';'] = 1, ['|'] = 1, ['\r'] = 1, ['\n'] = 1, ['.'] = 1,
	['%'] = 1, [':'] = 1, ['&'] = 1, ['+'] = 1, ['*'] = 1,
	[0xC2] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1};
static const unsigned char scan_top_quoted[256] = { /* Python-list cells */
	['('] = 1, ['['] = 1, ['{'] = 1, [')'] = 1, [']'] = 1, ['}'] = 1,
	[','] = 1, [';'] = 1, ['|'] = 1, ['\r'] = 1, ['\n'] = 1, ['.'] = 1,
	['%'] = 1, [':'] = 1, ['&'] = 1, ['+'] = 1, ['*'] = 1, ['\''] = 1, ['"'] = 1,
	[0xC2] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1};
static const unsigned char scan_inner[256] = {
	['('] = 1, ['['] = 1, ['{'] = 1, [')'] = 1, [']'] = 1, ['}'] = 1,
	[0xEF] = 1};

/* Where one scan of a text is. */
typedef struct walk {
	size_t depth;              /* of brackets */
	size_t seg;                /* where the segment began */
	size_t transparent;        /* closer of a "[+/- …]" group, or NONE */
	size_t colons[MAX_COLONS]; /* the ':' at depth 0 in this segment */
	size_t ncolons;
	int blend;                 /* the segment may hold a blend */
} walk;

/* The segment ends at end_at (the next one's start is the caller's). */
static void end_segment(scan *sc, walk *w, size_t end_at)
{
	sc->grouped = w->transparent != NONE;
	segment(sc, w->seg, end_at, w->colons, w->ncolons, w->blend);
	w->ncolons = 0;
	w->blend = 0;
}

/* At an opening bracket of k bytes at i: a "[+/- …]" group, "(+/-):"
 * opening a segment, or a level deeper. Returns where the scan goes on. */
static size_t at_opener(scan *sc, walk *w, size_t i, size_t k, size_t end)
{
	ndl_tokenizer *t = sc->t;
	const char *s = sc->s;
	size_t close = NONE;
	const ndl_bracket_pair *p;
	if (t->strict) {
		p = pair_at(t, i);
		if (p == NULL || p->close == NONE || p->close >= end)
			return i + k; /* never closed: not a bracket */
		close = p->close;
	}
	size_t in = skip_spaces(s, end, i + k);
	if (w->depth == 0 && w->transparent == NONE && marker_len(sc->t->markers, s, end, in)) {
		if (close == NONE && (p = pair_at(t, i)) && p->close < end)
			close = p->close;
		if (close != NONE && !only_marker_stuff(sc->t->markers, s, in, close)) {
			/* "[+/- Mica, CI 77891]": the items inside are the
			 * list; the brackets group them */
			end_segment(sc, w, i);
			sc->may_contain = NDL_TOK_MAY_CONTAIN;
			w->transparent = close;
			return w->seg = skip_marker_stuff(sc, in, close);
		}
		if (close != NONE && skip_spaces(s, i, w->seg) == i) {
			/* "(+/-): Mica" opening a segment */
			sc->may_contain = NDL_TOK_MAY_CONTAIN;
			return w->seg = skip_marker_stuff(sc, i, end);
		}
	}
	if (w->depth == 0 && s[i] == '(')
		w->blend = 1; /* perhaps "(and)" */
	w->depth++;
	return i + k;
}

/* At byte i, outside brackets: a separator, a lost separator, a marker, a
 * note, a colon or a blend. Returns where the scan goes on. */
static size_t at_top(scan *sc, walk *w, size_t i, size_t end, char quote)
{
	const char *s = sc->s;
	unsigned char c = (unsigned char)s[i];
	size_t k;
	if (c == '.' && sc->caseless < 0) /* first needed now */
		sc->caseless = !has_capital(s, end);
	if ((k = separator_len(s, end, i, quote, sc->caseless > 0)) != 0) {
		end_segment(sc, w, i);
		return w->seg = i + k;
	}
	if (c == '%' && i + 1 < end && is_alpha((unsigned char)s[i + 1])) {
		/* "Octocrylene 5.0%Water": a lost separator */
		end_segment(sc, w, i + 1);
		return w->seg = i + 1;
	}
	if ((c == '+' || c == 0xC2) && (k = marker_len(sc->t->markers, s, end, i)) != 0) {
		/* "+/-" anywhere ("Nucifera Oil +/- Mica"); worded markers
		 * open segments (see segment()) */
		end_segment(sc, w, i);
		sc->may_contain = NDL_TOK_MAY_CONTAIN;
		return w->seg = skip_marker_stuff(sc, i + k, end);
	}
	if ((k = note_start(s, w->seg, end, i)) != 0) {
		/* "Phenoxyethanol *natural component of essential oils",
		 * "Water †Aloe": a marked name or a footnote after a lost
		 * separator */
		end_segment(sc, w, i);
		w->seg = i;
		return i + k;
	}
	if (c == ':' && w->ncolons < MAX_COLONS)
		w->colons[w->ncolons++] = i;
	else if (c == 0xEF && i + 2 < end && s[i + 1] == '\xbc' &&
		 s[i + 2] == '\x9a' && w->ncolons < MAX_COLONS)
		w->colons[w->ncolons++] = i + 2; /* fullwidth colon */
	else if (c == '&' || c == '+')
		w->blend = 1;
	return i + 1;
}

/* Scans [begin, end) once, emitting segments; returns the bracket depth
 * left at the end (nonzero: unbalanced, scan again strictly). */
static size_t scan_all(scan *sc, size_t begin, size_t end, char quote)
{
	ndl_tokenizer *t = sc->t;
	const char *s = sc->s;
	walk w = {.seg = begin, .transparent = NONE};
	size_t i = begin, k;
	while (i < end && !t->oom) {
		if (t->ntok >= NDL_MAX_INGREDIENTS) {
			t->truncated = 1;
			return 0;
		}
		if (i == w.seg && w.depth == 0 && w.transparent == NONE && !quote &&
		    !t->strict) {
			size_t next = cached_span(sc, i, end);
			if (next != i) {
				i = w.seg = next;
				continue;
			}
		}
		const unsigned char *table = w.depth ? scan_inner
					     : quote ? scan_top_quoted
						     : scan_top;
		while (i < end && !table[(unsigned char)s[i]])
			i++;
		if (i >= end)
			break;
		if (w.depth == 0 && (k = opener_len(s, end, i)) != 0) {
			size_t j = skip_spaces(s, end, i + k), kc;
			if (j < end && (kc = closer_len(s, end, j)) != 0) {
				/* "[]Aqua []Retinol": a scraped bullet */
				end_segment(sc, &w, i);
				i = w.seg = j + kc;
				continue;
			}
		}
		if ((k = opener_len(s, end, i)) != 0) {
			i = at_opener(sc, &w, i, k, end);
		} else if ((k = closer_len(s, end, i)) != 0) {
			if (i == w.transparent) {
				end_segment(sc, &w, i);
				w.transparent = NONE;
				w.seg = i + k;
			} else if (w.depth > 0) {
				w.depth--;
			}
			i += k;
		} else if (w.depth > 0) {
			i++;
		} else {
			i = at_top(sc, &w, i, end, quote);
		}
	}
	if (w.depth == 0 || t->strict)
		end_segment(sc, &w, end);
	return w.depth;
}

int ndl_tokenize(ndl_tokenizer *t, const char *s, size_t n, ndl_arena *a)
{
	t->ntok = 0;
	t->oom = t->truncated = 0;
	t->s = s;
	t->n = n;
	t->strict = t->paired = 0;
	t->npairs = 0;
	if (t->cache.max_bytes == 0)
		t->cache.max_bytes = SEGMENT_CACHE_BYTES;
	ndl_cache_turn(&t->cache, &t->cache_mem);

	size_t begin = skip_spaces(s, n, 0), end = n;
	while (end > begin && space_len(s, n, end - 1))
		end--;
	/* A Python-list cell: ['Water, Glycerin'] or ['Water', 'Glycerin'] */
	char quote = 0;
	if (end - begin >= 4 && s[begin] == '[' &&
	    (s[begin + 1] == '\'' || s[begin + 1] == '"') &&
	    s[end - 1] == ']' && s[end - 2] == s[begin + 1]) {
		quote = s[begin + 1];
		begin += 2;
		end -= 2;
	}
	t->nahead = 0;
	if (!quote)
		hash_ahead(t, begin, end);
	scan sc = {.t = t, .a = a, .s = s, .n = n, .caseless = -1};
	if (scan_all(&sc, begin, end, quote) != 0) {
		/* an opening bracket never closed would swallow the rest of
		 * the list: scan again, pairing brackets first */
		t->strict = 1;
		t->ntok = 0;
		t->next_ahead = 0;
		sc = (scan){.t = t, .a = a, .s = s, .n = n, .caseless = -1};
		scan_all(&sc, begin, end, quote);
	}
	return t->oom ? -1 : 0;
}

void ndl_tokenizer_free(ndl_tokenizer *t)
{
	free(t->tok);
	free(t->pairs);
	free(t->stack);
	ndl_cache_free(&t->cache);
	ndl_arena_free(&t->cache_mem);
	memset(t, 0, sizeof(*t));
}
