#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gate.h"

/* An ASCII letter whose other case is ASCII only: caseless matching
 * also takes "K" (U+212A) for k, "ſ" (U+017F) for s. */
static int plain_letter(int c)
{
	return c >= 'a' && c <= 'z' && c != 'k' && c != 's';
}

static int plain_byte(int c)
{
	return plain_letter(c) || (c >= '0' && c <= '9') || c == ' ';
}

static int skip_class(const char **s);

/* Does the reading below know every construct of the pattern? Not
 * quoting (\Q…\E), control escapes, comments, inline options (which
 * change how what follows reads: "(?x)" drops blanks), named groups,
 * conditions and verbs: a gate of a pattern that holds one assumes
 * nothing of the text but what PCRE2 says (length, a needed byte). */
static int readable(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			if (strchr("QEc", s[1]))
				return 0;
			s++;
		} else if (*s == '(' && s[1] == '*') {
			return 0;
		} else if (*s == '(' && s[1] == '?') {
			const char *g = s + 2; /* groups and lookarounds it knows */
			int known = (*g && strchr(":=!>|", *g)) ||
				    (*g == '<' && (g[1] == '=' || g[1] == '!'));
			if (!known)
				return 0;
		}
	}
	return 1;
}

/* The end of the alternative at s: its "|", the ")" closing its group,
 * or the pattern's end (its NUL), past nested groups, classes and
 * escapes; NULL when a class cannot be read. */
static const char *alternative_end(const char *s)
{
	int depth = 0;
	while (*s) {
		if (*s == '\\' && s[1]) {
			s += 2;
			continue;
		}
		if (*s == '[') {
			if (!skip_class(&s))
				return NULL;
			continue;
		}
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth-- == 0)
			return s;
		else if (*s == '|' && depth == 0)
			return s;
		s++;
	}
	return s;
}

/* Has the pattern an alternative at its top level ("^a|b": the start
 * is not the whole pattern's)? Yes, too, when a class cannot be read. */
static int top_level_bar(const char *s)
{
	s = alternative_end(s);
	return s == NULL || *s != '\0';
}

/* The literal start of "^literal...": letters, digits and spaces, but
 * not one a quantifier follows. */
static void literal_prefix(ndl_gate *g, const char *src)
{
	if (src[0] != '^' || top_level_bar(src))
		return;
	const char *s = src + 1;
	unsigned n = 0;
	while (n < NDL_GATE_PREFIX && plain_byte((unsigned char)s[n]))
		n++;
	if (n > 0 && s[n] && strchr("?*{+", s[n]))
		n--;
	memcpy(g->prefix, s, n);
	g->prefix[n] = '\0';
	g->prefix_len = n;
}

/* ------------------------------------------ the words a match holds */

/* What a part of a pattern needs: a match of it holds at least one of
 * words[0..n) (n == 0: nothing known). Chosen by its shortest word,
 * the longer the better. */
typedef struct need {
	char words[NDL_GATE_WORDS][NDL_GATE_WORD_LEN + 1];
	unsigned n;
} need;

#define MIN_WORD 3 /* shorter words turn too little away */

static size_t shortest(const need *n)
{
	size_t m = SIZE_MAX;
	for (unsigned i = 0; i < n->n; i++)
		if (strlen(n->words[i]) < m)
			m = strlen(n->words[i]);
	return n->n ? m : 0;
}

/* Keeps the better of best and cand. */
static void keep_better(need *best, const need *cand)
{
	size_t a = shortest(best), b = shortest(cand);
	if (b >= MIN_WORD && (b > a || (b == a && cand->n < best->n)))
		*best = *cand;
}

static void keep_run(need *best, const char *run, size_t len)
{
	need one = {{""}, 1};
	if (len > NDL_GATE_WORD_LEN)
		len = NDL_GATE_WORD_LEN; /* its start is needed too */
	memcpy(one.words[0], run, len);
	one.words[0][len] = '\0';
	keep_better(best, &one);
}

/* The quantifier at *s, if any, is skipped; returns its least count
 * (1 when there is none), -1 when it cannot be read. */
static long quantifier(const char **s)
{
	long min = 1;
	if (**s == '?' || **s == '*') {
		min = 0;
		(*s)++;
	} else if (**s == '+') {
		(*s)++;
	} else if (**s == '{' && (*s)[1] >= '0' && (*s)[1] <= '9') {
		char *end;
		min = strtol(*s + 1, &end, 10);
		while (*end && *end != '}')
			end++;
		if (*end != '}')
			return -1;
		*s = end + 1;
	} else {
		return 1;
	}
	if (**s == '?' || **s == '+') /* lazy, possessive */
		(*s)++;
	return min;
}

/* Skips a character class opened at *s ("[...]"); 0 when it does not
 * close. */
static int skip_class(const char **s)
{
	const char *c = *s + 1;
	c += *c == '^';
	c += *c == ']';
	for (; *c && *c != ']'; c++) {
		if (*c == '\\' && c[1]) {
			c++;
		} else if (c[0] == '[' && c[1] == ':') { /* "[:alpha:]" */
			if ((c = strstr(c + 2, ":]")) == NULL)
				return 0;
			c++; /* at its "]", which the loop steps past */
		}
	}
	if (*c != ']')
		return 0;
	*s = c + 1;
	return 1;
}

static int read_alternatives(const char **s, int depth, need *out);

/* One branch of an alternation, up to "|", ")" or the end: the best of
 * its literal runs and of its groups. 0 when the pattern holds what this
 * reading does not know (then nothing is assumed). */
static int read_branch(const char **s, int depth, need *best)
{
	char run[256];
	size_t rl = 0;
	memset(best, 0, sizeof(*best));
	while (**s && **s != '|' && **s != ')') {
		const char *at = *s;
		int c = (unsigned char)*at;
		if (plain_byte(c)) {
			(*s)++;
			long min = quantifier(s);
			if (min < 0)
				return 0;
			if (min > 0 && rl < sizeof(run))
				run[rl++] = (char)c;
			if (min == 1 && *s == at + 1)
				continue; /* the run goes on */
			keep_run(best, run, rl);
			rl = 0;
			continue;
		}
		keep_run(best, run, rl);
		rl = 0;
		if (c == '(') {
			need inner;
			int look = 0;
			(*s)++;
			if (**s == '?') {
				const char *g = *s + 1;
				if (*g == ':' || *g == '>' || *g == '|')
					g++;
				else if (*g == '=' || *g == '!')
					g++, look = 1;
				else if (*g == '<' && (g[1] == '=' || g[1] == '!'))
					g += 2, look = 1;
				else
					return 0; /* options, names, conditions */
				*s = g;
			} else if (**s == '*') {
				return 0; /* verbs */
			}
			if (!read_alternatives(s, depth + 1, &inner) || **s != ')')
				return 0;
			(*s)++;
			long min = quantifier(s);
			if (min < 0)
				return 0;
			if (!look && min > 0)
				keep_better(best, &inner);
			continue;
		}
		if (c == '[') {
			if (!skip_class(s))
				return 0;
		} else if (c == '\\') {
			int e = (unsigned char)at[1];
			if (e == '\0' || (e >= '0' && e <= '9') ||
			    strchr("pPxQEkgcoNuLlU", e))
				return 0; /* code points, references, quoting */
			*s += 2;
		} else {
			(*s)++; /* ".", "^", "$", any other byte */
		}
		if (quantifier(s) < 0)
			return 0;
	}
	keep_run(best, run, rl);
	return 1;
}

/* Branches up to ")" or the end: a match holds one word of each
 * branch's need, so the alternatives are all of them together. */
static int read_alternatives(const char **s, int depth, need *out)
{
	memset(out, 0, sizeof(*out));
	if (depth > 32)
		return 0;
	int known = 1;
	for (;;) {
		need b;
		if (!read_branch(s, depth, &b))
			return 0;
		if (b.n == 0 || out->n + b.n > NDL_GATE_WORDS)
			known = 0;
		for (unsigned i = 0; known && i < b.n; i++)
			memcpy(out->words[out->n++], b.words[i], sizeof(b.words[i]));
		if (**s != '|')
			break;
		(*s)++;
	}
	if (!known)
		out->n = 0;
	return 1;
}

/* The byte of word w a text holds least often: letters by their
 * frequency in ingredient names, the space and digits first. */
static unsigned char rarest(const char *w, size_t len)
{
	static const char common[] = " 0123456789eaitlnorcdhumpygbfvwxzjq";
	size_t best = 0, rank = 0;
	for (size_t i = 0; i < len; i++) {
		const char *r = strchr(common, w[i]);
		size_t k = r ? (size_t)(r - common) : sizeof(common);
		if (k >= rank) {
			rank = k;
			best = i;
		}
	}
	return (unsigned char)best;
}

static void needed_words(ndl_gate *g, const char *src)
{
	need n;
	const char *s = src;
	if (read_alternatives(&s, 0, &n) && *s == '\0' && n.n > 0) {
		memcpy(g->words, n.words, sizeof(n.words));
		g->nwords = n.n;
		for (unsigned i = 0; i < n.n; i++) {
			g->word_len[i] = (unsigned char)strlen(n.words[i]);
			g->anchor[i] = rarest(n.words[i], g->word_len[i]);
			g->word_bytes[i] = ndl_gate_bytes(n.words[i], g->word_len[i]);
		}
	}
}

/* The bit of each byte in a set of bytes: letters folded to small ones
 * (bits 0-25), digits (26-35) and the space (36); other bytes have none
 * (a gate never needs them: plain_byte). A table: every text a pattern
 * may be asked about is read through it. */
#define LETTER(k) ['a' + (k)] = (uint64_t)1 << (k), ['A' + (k)] = (uint64_t)1 << (k)
#define DIGIT(k) ['0' + (k)] = (uint64_t)1 << (26 + (k))
static const uint64_t byte_bits[256] = {
	LETTER(0), LETTER(1), LETTER(2), LETTER(3), LETTER(4), LETTER(5),
	LETTER(6), LETTER(7), LETTER(8), LETTER(9), LETTER(10), LETTER(11),
	LETTER(12), LETTER(13), LETTER(14), LETTER(15), LETTER(16), LETTER(17),
	LETTER(18), LETTER(19), LETTER(20), LETTER(21), LETTER(22), LETTER(23),
	LETTER(24), LETTER(25),
	DIGIT(0), DIGIT(1), DIGIT(2), DIGIT(3), DIGIT(4),
	DIGIT(5), DIGIT(6), DIGIT(7), DIGIT(8), DIGIT(9),
	[' '] = (uint64_t)1 << 36,
};

/* A byte's place among the 37 of byte_bits, or -1. */
static int gate_byte(unsigned char c)
{
	uint64_t b = byte_bits[c];
	return b ? __builtin_ctzll(b) : -1;
}

static int is_quantifier(char c)
{
	return c == '?' || c == '*' || c == '+' || c == '{';
}

/* The pairs a match of "\b(alternatives)…" or "^(alternatives)…" starts
 * with, when every alternative begins with two literal bytes (neither
 * optional nor repeated; a letter or digit first after "\b", so that
 * the match starts at a word's start) and the group is not optional.
 * Letters of either case are one: the gate asks about ASCII texts only
 * (caseless matching takes U+212A for k, U+017F for s). */
static void start_pairs(ndl_gate *g, const char *src)
{
	unsigned at;
	const char *s;
	if (strncmp(src, "\\b(", 3) == 0)
		at = NDL_START_WORD, s = src + 3;
	else if (strncmp(src, "^(", 2) == 0)
		at = NDL_START_TEXT, s = src + 2;
	else
		return;
	if (s[0] == '?' && s[1] == ':')
		s += 2;
	else if (s[0] == '?' || s[0] == '*')
		return; /* other groups, verbs */
	if (top_level_bar(src))
		return;
	uint64_t pairs[NDL_GATE_PAIRS / 64 + 1] = {0};
	for (;;) {
		int a = gate_byte((unsigned char)s[0]);
		int b = a < 0 ? -1 : gate_byte((unsigned char)s[1]);
		if (b < 0 || is_quantifier(s[2]) ||
		    (at == NDL_START_WORD && s[0] == ' '))
			return;
		unsigned pair = (unsigned)a * 37 + (unsigned)b;
		pairs[pair / 64] |= (uint64_t)1 << (pair % 64);
		if ((s = alternative_end(s)) == NULL || *s == '\0')
			return;
		if (*s++ == ')')
			break;
	}
	if (is_quantifier(*s))
		return; /* "(…)?": the match may start after the group */
	g->starts_at = at;
	memcpy(g->start_pairs, pairs, sizeof(pairs));
}

/* The bytes of ASCII words (\w): a word starts after any other. */
#define WORD_RANGE(a, b) [a] = 1, [a + 1] = 1, [a + 2] = 1, [a + 3] = 1, \
			 [a + 4] = 1, [a + 5] = 1, [a + 6] = 1, [a + 7] = 1, \
			 [a + 8] = 1, [a + 9] = 1, [a + 10] = 1, [a + 11] = 1, \
			 [a + 12] = 1
static const unsigned char word_byte[256] = {
	WORD_RANGE('a', 'm'), WORD_RANGE('n', 'z'), WORD_RANGE('A', 'M'),
	WORD_RANGE('N', 'Z'), ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
	['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['_'] = 1,
};

/* Can a match of the gate's pattern start in text, by its start pairs?
 * Each place a match may start is tried: the text's start, and (for
 * NDL_START_WORD) each byte after one of no ASCII word; one of other
 * than ASCII there passes. */
static int starts_well(const ndl_gate *g, const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	for (size_t p = 0; p + 1 < len;) {
		if (t[p] >= 0x80 || t[p + 1] >= 0x80)
			return 1;
		int a = gate_byte(t[p]), b = gate_byte(t[p + 1]);
		unsigned pair = (unsigned)(a * 37 + b);
		if (a >= 0 && b >= 0 && (g->start_pairs[pair / 64] >> (pair % 64) & 1))
			return 1;
		if (g->starts_at == NDL_START_TEXT)
			return 0;
		for (p++; p < len && word_byte[t[p - 1]]; p++)
			;
	}
	return 0;
}

uint64_t ndl_gate_bytes(const char *text, size_t len)
{
	uint64_t set = 0;
	for (size_t i = 0; i < len; i++)
		set |= byte_bits[(unsigned char)text[i]];
	return set;
}

/* Does text hold word i of the gate? Found by its rarest byte. */
static int holds_word(const ndl_gate *g, unsigned i, const char *text, size_t len)
{
	size_t wl = g->word_len[i], a = g->anchor[i];
	if (len < wl)
		return 0;
	const char *p = text + a, *end = text + len - (wl - a - 1);
	for (; p < end && (p = memchr(p, g->words[i][a], (size_t)(end - p))); p++)
		if (memcmp(p - a, g->words[i], wl) == 0)
			return 1;
	return 0;
}

ndl_gate ndl_gate_of(const ndl_pattern *p)
{
	ndl_gate g = {0, "", 0, {""}, {0}, {0}, 0, 0, {0}, 0, {0}};
	uint32_t min = 0, type = 0, unit = 0;
	if (pcre2_pattern_info(p->code, PCRE2_INFO_MINLENGTH, &min) == 0)
		g.min_len = min;
	if (pcre2_pattern_info(p->code, PCRE2_INFO_LASTCODETYPE, &type) == 0 &&
	    type == 1 &&
	    pcre2_pattern_info(p->code, PCRE2_INFO_LASTCODEUNIT, &unit) == 0) {
		int c = unit >= 'A' && unit <= 'Z' ? (int)unit + 32 : (int)unit;
		if (plain_byte(c))
			g.need_bytes = byte_bits[(unsigned char)c];
	}
	if (readable(p->src)) {
		literal_prefix(&g, p->src);
		needed_words(&g, p->src);
		start_pairs(&g, p->src);
	}
	return g;
}

/* The needs that every part of a text meeting them meets too: length,
 * byte, words (all held within it). */
static int holds_needs(const ndl_gate *g, const char *text, size_t len,
		       uint64_t bytes)
{
	if (len < g->min_len || (bytes & g->need_bytes) != g->need_bytes)
		return 0;
	if (g->nwords == 0)
		return 1;
	for (unsigned i = 0; i < g->nwords; i++)
		if ((bytes & g->word_bytes[i]) == g->word_bytes[i] &&
		    holds_word(g, i, text, len))
			return 1;
	return 0;
}

int ndl_gate_passes(const ndl_gate *g, const char *text, size_t len,
		    uint64_t bytes)
{
	if (len < g->prefix_len)
		return 0;
	for (unsigned i = 0; i < g->prefix_len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)g->prefix[i])
			return 0;
	}
	return holds_needs(g, text, len, bytes) &&
	       (!g->starts_at || starts_well(g, text, len));
}

int ndl_gate_may_pass_within(const ndl_gate *g, const char *text, size_t len,
			     uint64_t bytes)
{
	return holds_needs(g, text, len, bytes);
}

/* ------------------------------------------------ the built-in gates */

int ndl_gates_write_c(const ndl_lexicon *lex, FILE *out)
{
	fputs("/* The gates of the built-in lexicon's patterns, generated by "
	      "src/core/gate.c. */\n#include \"core/gate.h\"\n\n"
	      "const ndl_gate ndl_builtin_gates[] = {\n",
	      out);
	for (size_t i = 0; i < lex->npatterns; i++) {
		ndl_gate g = ndl_gate_of(&lex->patterns[i]);
		fprintf(out, "\t{%" PRIu32 "u, ", g.min_len);
		ndl_write_c_string(out, g.prefix);
		fprintf(out, ", %uu, {", g.prefix_len);
		for (unsigned k = 0; k < NDL_GATE_WORDS; k++) {
			ndl_write_c_string(out, g.words[k]);
			fputs(k + 1 < NDL_GATE_WORDS ? ", " : "}, {", out);
		}
		for (unsigned k = 0; k < NDL_GATE_WORDS; k++)
			fprintf(out, "%u%s", g.word_len[k], k + 1 < NDL_GATE_WORDS ? ", " : "}, {");
		for (unsigned k = 0; k < NDL_GATE_WORDS; k++)
			fprintf(out, "%u%s", g.anchor[k], k + 1 < NDL_GATE_WORDS ? ", " : "}, ");
		fprintf(out, "%uu, 0x%" PRIx64 "u, {", g.nwords, g.need_bytes);
		for (unsigned k = 0; k < NDL_GATE_WORDS; k++)
			fprintf(out, "0x%" PRIx64 "u%s", g.word_bytes[k],
				k + 1 < NDL_GATE_WORDS ? ", " : "}, ");
		fprintf(out, "%uu, {", g.starts_at);
		for (size_t k = 0; k < NDL_GATE_PAIRS / 64 + 1; k++)
			fprintf(out, "0x%" PRIx64 "u%s", g.start_pairs[k],
				k < NDL_GATE_PAIRS / 64 ? ", " : "}},\n");
	}
	fprintf(out, "\t{0}};\n\nconst size_t ndl_builtin_ngates = %zu;\n", lex->npatterns);
	return ferror(out) ? -1 : 0;
}

int ndl_gates_generate(FILE *out)
{
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_load(NULL, NULL, NULL, 0, &err);
	int rc = lex ? ndl_gates_write_c(lex, out) : -1;
	if (lex == NULL) {
		char msg[1024];
		ndl_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
	}
	ndl_lexicon_free(lex);
	return rc;
}
