#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/cache.h"
#include "core/gate.h"
#include "core/match.h"
#include "core/near.h"
#include "base/text.h"

#define MAX_DEPTH 3          /* brackets within brackets worth looking into */
#define SINGLE_MIN_LETTERS 7 /* a misspelt word inside a longer name */
#define SPLIT_MAX_WORDS 128  /* a longer piece is a paragraph: not split */
#define NAME_MAX_WORDS 8     /* the longest name looked for inside a piece */
#define LABEL_MAX_WORDS 4    /* the longest label phrase ("Full Ingredient
				List") */
#define SPLIT_COVER 80       /* % of a piece's words that names must cover
				to read it as those names */
#define MATCH_LIMIT 100000   /* PCRE2 limits: a user pattern cannot hang us */
#define DEPTH_LIMIT 1000

/* A word of a piece being read as several names; a bracket group right
 * after it belongs to it ("Aqua (Water) Retinol": "Aqua (Water)"). */
typedef struct piece_word {
	uint32_t start, end; /* bytes of the word in the text */
	uint32_t tail;       /* end of the bracket groups that follow it */
	uint32_t key, klen;  /* its key, in m->wkeys */
} piece_word;

struct ndl_matcher {
	const ndl_lexicon *lex;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;

	ndl_cache cache;     /* results by the exact text */
	ndl_arena cache_mem; /* its young generation's keys and results */
	ndl_arena scratch;   /* texts made while matching one text */

	/* scratch for one lookup */
	ndl_hit *hits;
	size_t nhits, cap_hits;
	unsigned rules;
	int recognized;
	int recognized_exactly; /* by a name, not only by a pattern */
	char *norm; /* normalised text */
	size_t cap_norm;
	char *key;  /* its key */
	size_t cap_key;
	const char *gave_up; /* during this lookup */
	ndl_buf *log;

	ndl_near near;        /* the names misspellings may stand for (built
				 when a piece first needs them: a list of
				 known names never does) */
	int near_built;
	ndl_near_found found; /* the candidates of one misspelling */
	ndl_cache memo;       /* misspelt()'s answers by the words asked */
	ndl_arena memo_mem;

	/* scratch of reading a piece as several names (find_hidden) */
	piece_word *words;
	size_t cap_words;
	char *wkeys;
	size_t cap_wkeys;
	struct reading *readings; /* read_words' table */
	size_t cap_readings;
	struct step *steps;       /* and the reading it found */
	size_t cap_steps;
	int nested; /* reading a part of a piece: no further split */
	int outer_unread; /* brackets or slash pieces named something, the
			     words outside them (or another piece) nothing */
	int pattern_only; /* the last text matched was named only by a
			     pattern (match_text) */
	int by_pattern;   /* only a pattern named the whole text: a family
			     pattern may take in the name before it too
			     ("Dimethicone Retinoyl Tripeptide-1") */

	unsigned char spelling_starts[256]; /* a label spelling begins with
					       this byte (match_spellings) */
	size_t *spelling_len; /* per spelling pair: the label's, the name's */
	size_t *qualifier_len;
	ndl_gate *gates;      /* per pattern: what a text needs to match */
	/* the patterns of products.txt, in the lexicon's order, each with
	 * its kind: its entry's place among that file's */
	struct kind_pattern {
		size_t pattern;
		unsigned kind;
	} *kind_patterns;
	size_t nkind_patterns;
	size_t *name_patterns; /* the patterns a name is matched with: of
				  classes and known names (not of the
				  vocabularies or label words) */
	size_t nname_patterns;
	uint64_t class_patterns; /* of those (the first 64), bit k for a
				    class's */
	uint64_t piece_patterns; /* bit k: name pattern k may match some
				    words of the piece being read */
	ndl_cache pmemo;     /* which of them match, by normalised text */
	ndl_arena pmemo_mem;
};

/* The stack of the patterns' machine code, made when one first runs (a
 * short list runs none). Without one, PCRE2 uses 32 KB of the thread's
 * stack. */
static pcre2_jit_stack *jit_stack(void *data)
{
	ndl_matcher *m = data;
	if (m->jit == NULL)
		m->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	return m->jit;
}

static int by_pattern(const void *a, const void *b)
{
	size_t x = ((const struct kind_pattern *)a)->pattern,
	       y = ((const struct kind_pattern *)b)->pattern;
	return (x > y) - (x < y);
}

ndl_matcher *ndl_matcher_new(const ndl_lexicon *lex)
{
	ndl_matcher *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->lex = lex;
	m->md = pcre2_match_data_create(lex->max_capture + 1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->cache_mem.block_size = 1 << 16;
	m->scratch.block_size = 1 << 12;
	m->memo_mem.block_size = 1 << 16;
	m->memo.max_entries = 1 << 13; /* the words in use: well under 1 MB */
	m->memo.max_bytes = 1 << 19;
	m->pmemo_mem.block_size = 1 << 16;
	m->pmemo.max_entries = 1 << 14;
	m->pmemo.max_bytes = 1 << 20;
	if (m->md == NULL || m->mctx == NULL) {
		ndl_matcher_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, 20000); /* KiB */
	pcre2_jit_stack_assign(m->mctx, jit_stack, m);
	m->kind_patterns = malloc((lex->npatterns + 1) * sizeof(*m->kind_patterns));
	m->gates = malloc((lex->npatterns + 1) * sizeof(*m->gates));
	if (m->kind_patterns == NULL || m->gates == NULL) {
		ndl_matcher_free(m);
		return NULL;
	}
	m->name_patterns = malloc((lex->npatterns + 1) * sizeof(size_t));
	if (m->name_patterns == NULL) {
		ndl_matcher_free(m);
		return NULL;
	}
	for (size_t j = 0; j < lex->npatterns; j++) {
		ndl_class_role role =
			lex->classes[ndl_entry_cls(lex, lex->patterns[j].entry)].role;
		if (role != NDL_ROLE_CLASS && role != NDL_ROLE_KNOWN)
			continue;
		if (role == NDL_ROLE_CLASS && m->nname_patterns < 64)
			m->class_patterns |= (uint64_t)1 << m->nname_patterns;
		m->name_patterns[m->nname_patterns++] = j;
	}
	if (lex->image && ndl_builtin_ngates == lex->npatterns) /* made with
								   the program */
		memcpy(m->gates, ndl_builtin_gates, lex->npatterns * sizeof(*m->gates));
	else
		for (size_t j = 0; j < lex->npatterns; j++)
			m->gates[j] = ndl_gate_of(&lex->patterns[j]);
	const ndl_tables *t = &lex->tables;
	m->spelling_len = malloc((t->nspellings * 2 + 1) * sizeof(size_t));
	m->qualifier_len = malloc((t->nqualifiers + 1) * sizeof(size_t));
	if (m->spelling_len == NULL || m->qualifier_len == NULL) {
		ndl_matcher_free(m);
		return NULL;
	}
	for (size_t k = 0; k < t->nspellings * 2; k++)
		m->spelling_len[k] = strlen(t->spellings[k]);
	for (size_t k = 0; k < t->nqualifiers; k++)
		m->qualifier_len[k] = strlen(t->qualifiers[k]);
	for (size_t k = 0; k < t->nspellings; k++)
		m->spelling_starts[(unsigned char)t->spellings[2 * k][0]] = 1;
	for (size_t i = 0, k = 0; i < lex->nentries && k < lex->nkinds; i++) {
		if (ndl_entry_cls(lex, i) != lex->products)
			continue;
		for (size_t j = 0; j < lex->npatterns; j++)
			if (lex->patterns[j].entry == i)
				m->kind_patterns[m->nkind_patterns++] =
					(struct kind_pattern){j, (unsigned)k};
		k++;
	}
	/* in the lexicon's order, as the patterns run */
	qsort(m->kind_patterns, m->nkind_patterns, sizeof(*m->kind_patterns),
	      by_pattern);
	return m;
}

void ndl_matcher_free(ndl_matcher *m)
{
	if (m == NULL)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	ndl_cache_free(&m->cache);
	ndl_arena_free(&m->cache_mem);
	ndl_arena_free(&m->scratch);
	free(m->hits);
	free(m->norm);
	free(m->key);
	ndl_near_free(&m->near);
	ndl_near_found_free(&m->found);
	ndl_cache_free(&m->memo);
	ndl_arena_free(&m->memo_mem);
	ndl_cache_free(&m->pmemo);
	ndl_arena_free(&m->pmemo_mem);
	free(m->words);
	free(m->wkeys);
	free(m->readings);
	free(m->steps);
	free(m->kind_patterns);
	free(m->spelling_len);
	free(m->qualifier_len);
	free(m->gates);
	free(m->name_patterns);
	free(m);
}

/* ------------------------------------------------------------ the cache */

int ndl_matcher_begin(ndl_matcher *m)
{
	ndl_cache_turn(&m->memo, &m->memo_mem);
	ndl_cache_turn(&m->pmemo, &m->pmemo_mem);
	return ndl_cache_turn(&m->cache, &m->cache_mem);
}

ndl_cache *ndl_matcher_cache(ndl_matcher *m)
{
	return &m->cache;
}

/* The result of a text that names nothing, shared: most of the new names
 * a catalogue brings are such, and each would otherwise take a result's
 * memory in the cache (where a generation holds more of them so). It is
 * no generation's memory: copy_match keeps the pointer. */
static const ndl_hit no_hit;
static ndl_match nothing = {.hits = &no_hit}; /* never written */

static int is_nothing(const ndl_match *r)
{
	return r->nhits == 0 && r->rules == 0 && !r->recognized &&
	       r->gave_up == NULL && r->nparts == 0 && r->nheld == 0;
}

/* A result of the old generation, copied into the young one with all it
 * points to (its hits, the matches of its parts, what it holds), since
 * the old generation goes at the next turn. */
static ndl_match *copy_match(ndl_arena *a, const ndl_match *r)
{
	if (r == &nothing)
		return &nothing;
	ndl_match *c = ndl_arena_alloc(a, sizeof(*c));
	ndl_hit *hits = ndl_arena_alloc(a, (r->nhits ? r->nhits : 1) * sizeof(*hits));
	if (c == NULL || hits == NULL)
		return NULL;
	*c = *r;
	c->hits = hits;
	for (uint32_t i = 0; i < r->nhits; i++) {
		hits[i] = r->hits[i];
		hits[i].matched = ndl_arena_strndup(a, r->hits[i].matched,
						    strlen(r->hits[i].matched));
		if (hits[i].matched == NULL)
			return NULL;
	}
	if (r->nparts) {
		ndl_part *parts = ndl_arena_alloc(a, r->nparts * sizeof(*parts));
		if (parts == NULL)
			return NULL;
		for (uint32_t i = 0; i < r->nparts; i++) {
			parts[i] = r->parts[i];
			if (r->parts[i].match &&
			    (parts[i].match = copy_match(a, r->parts[i].match)) == NULL)
				return NULL;
		}
		c->parts = parts;
	}
	if (r->nheld) {
		ndl_held *held = ndl_arena_alloc(a, r->nheld * sizeof(*held));
		if (held == NULL)
			return NULL;
		memcpy(held, r->held, r->nheld * sizeof(*held));
		c->held = held;
	}
	return c;
}

/* ----------------------------------------------------------- matching */

static void log_step(ndl_matcher *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_step(ndl_matcher *m, const char *fmt, ...)
{
	if (m->log == NULL)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ndl_buf_puts(m->log, msg);
}

static int add_hit(ndl_matcher *m, uint32_t entry, const char *norm,
		   int by_pattern)
{
	const ndl_lexicon *lex = m->lex;
	const ndl_entry *e = ndl_entry_at(lex, entry);
	m->rules |= e->rules;
	m->recognized = 1;
	if (lex->classes[e->cls].role != NDL_ROLE_CLASS)
		return 0;
	size_t i = 0;
	while (i < m->nhits && ndl_entry_cls(lex, m->hits[i].entry) != e->cls)
		i++;
	if (i < m->nhits && (by_pattern || !m->hits[i].by_pattern))
		return 0; /* one finding per class and ingredient */
	/* new, or an exact name of a part beats a pattern on the whole */
	if (i == m->nhits && NDL_GROW(m->hits, m->cap_hits, m->nhits + 1))
		return -1;
	char *mt = ndl_arena_strndup(&m->cache_mem, norm, strlen(norm));
	if (mt == NULL)
		return -1;
	m->hits[i].entry = entry;
	m->hits[i].matched = mt;
	m->hits[i].by_pattern = by_pattern;
	if (i == m->nhits)
		m->nhits++;
	return 0;
}

static int excluded(const ndl_matcher *m, const char *key, size_t len,
		    size_t cls)
{
	const ndl_lexicon *lex = m->lex;
	for (uint32_t p = ndl_index_find(&lex->excluded, key, len); p;
	     p = lex->excluded.post[p - 1].next)
		if (lex->exclusions[lex->excluded.post[p - 1].value].cls == cls)
			return 1;
	return 0;
}

/* Runs pattern p on the normalised text; a pattern that hits the PCRE2
 * limits is remembered in m->gave_up (the product will say so). */
static int run_pattern(ndl_matcher *m, const ndl_pattern *p, const char *norm,
		       size_t len)
{
	int rc = pcre2_match(ndl_pattern_code(m->lex, (size_t)(p - m->lex->patterns)),
			     (PCRE2_SPTR)norm, len, 0, 0, m->md, m->mctx);
	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH) {
		if (m->gave_up == NULL)
			m->gave_up = p->src;
		log_step(m, "    pattern /%s/ gave up (%s)\n", p->src,
		         rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
				         rc == PCRE2_ERROR_DEPTHLIMIT ||
				         rc == PCRE2_ERROR_HEAPLIMIT
			         ? "match limit"
			         : "error");
	}
	return 0;
}

/* run_pattern(), once the text (whose bytes are ndl_gate_bytes(norm,
 * len)) passes the pattern's gate. */
static int pattern_matches(ndl_matcher *m, const ndl_pattern *p,
			   const char *norm, size_t len, uint64_t bytes)
{
	return ndl_gate_passes(&m->gates[p - m->lex->patterns], norm, len, bytes) &&
	       run_pattern(m, p, norm, len);
}

/* Which name patterns match a normalised text: bit k for
 * m->name_patterns[k]. */
typedef struct pattern_memo {
	uint64_t matched;
	const char *gave_up; /* a pattern that hit the PCRE2 limits */
} pattern_memo;

/* Of the name patterns in may (bit k: name pattern k; the others cannot
 * match), the ones whose gate the text passes. */
static uint64_t name_gates_passed(const ndl_matcher *m, const char *norm,
				  size_t len, uint64_t may)
{
	uint64_t passed = 0, bytes = ndl_gate_bytes(norm, len);
	for (size_t k = 0; k < m->nname_patterns; k++)
		if ((may >> k & 1) &&
		    ndl_gate_passes(&m->gates[m->name_patterns[k]], norm, len, bytes))
			passed |= (uint64_t)1 << k;
	return passed;
}

/* Of the name patterns in may (their gates passed), the ones that
 * match. */
static uint64_t run_name_patterns(ndl_matcher *m, const char *norm, size_t len,
				  uint64_t may)
{
	uint64_t matched = 0;
	for (size_t k = 0; k < m->nname_patterns; k++)
		if ((may >> k & 1) &&
		    run_pattern(m, &m->lex->patterns[m->name_patterns[k]], norm, len))
			matched |= (uint64_t)1 << k;
	return matched;
}

/* The name patterns that match, of those in may: the ones whose gates
 * the text passes are run, their answers kept by text (the same words
 * come back in many pieces of a catalogue, and as parts of a piece being
 * read); most texts pass none, and are not kept. Not kept when logging
 * (the log says what each pattern did) or when there are more patterns
 * than bits. */
static uint64_t name_patterns_matching(ndl_matcher *m, const char *norm,
				       size_t len, uint64_t may)
{
	if (m->log || m->nname_patterns > 64)
		return 0; /* the callers run the patterns one by one */
	may = name_gates_passed(m, norm, len, may);
	if (may == 0)
		return 0;
	uint64_t h = ndl_hash(norm, len);
	int old;
	const pattern_memo *r = ndl_cache_find(&m->pmemo, norm, len, h, &old);
	pattern_memo v;
	if (r) {
		v = *r;
		if (v.gave_up && m->gave_up == NULL)
			m->gave_up = v.gave_up;
	} else {
		const char *before = m->gave_up;
		m->gave_up = NULL;
		v.matched = run_name_patterns(m, norm, len, may);
		v.gave_up = m->gave_up;
		if (before)
			m->gave_up = before;
	}
	if (r == NULL || old) {
		pattern_memo *c = ndl_arena_alloc(&m->pmemo_mem, sizeof(*c));
		if (c) {
			*c = v;
			ndl_cache_put(&m->pmemo, &m->pmemo_mem, norm, len, h, c);
		}
	}
	return v.matched;
}

/* Does name pattern k match? From the bits when they were taken. */
static int name_pattern_matches(ndl_matcher *m, size_t k, uint64_t bits,
				const char *norm, size_t len)
{
	if (m->log || m->nname_patterns > 64)
		return pattern_matches(m, &m->lex->patterns[m->name_patterns[k]],
				       norm, len, ndl_gate_bytes(norm, len));
	return (bits >> k) & 1;
}

/* Adds the entries whose exact name is key; returns how many, -1 when
 * out of memory. */
static int add_exact(ndl_matcher *m, const char *key, size_t klen,
		     const char *norm, const char *how)
{
	const ndl_lexicon *lex = m->lex;
	int n = 0;
	for (uint32_t p = ndl_index_find(&lex->names, key, klen); p;
	     p = lex->names.post[p - 1].next) {
		const ndl_entry *e = ndl_entry_at(lex, lex->names.post[p - 1].value);
		log_step(m, "    '%s': %sexact name of entry '%s' (%s)\n", norm, how,
		         e->name, lex->classes[e->cls].id);
		if (add_hit(m, lex->names.post[p - 1].value, norm, 0))
			return -1;
		n++;
	}
	return n;
}

/* Label spellings of a name that the lexicon spells once: the name
 * without a grower's qualifier ("Organic Aloe Barbadensis Leaf Juice",
 * "Cold Pressed ... Oil": qualifiers.txt) and with parts the INCI way
 * ("Zinc Sulphate", "Aluminium Hydroxide": spellings.txt). Returns as
 * add_exact. */
static int match_spellings(ndl_matcher *m, const char *norm, size_t klen)
{
	const ndl_tables *t = &m->lex->tables;
	char key[512];
	const char *rest = norm;
	for (int again = 1; again;) {
		again = 0;
		for (size_t q = 0; q < t->nqualifiers; q++) {
			size_t ql = m->qualifier_len[q];
			if (rest[0] == t->qualifiers[q][0] &&
			    strncmp(rest, t->qualifiers[q], ql) == 0 && rest[ql]) {
				rest += ql;
				again = 1;
			}
		}
	}
	/* the spelling changes, on the name without its qualifiers: the
	 * longest label spelling at each place */
	size_t kl = 0;
	for (const char *c = rest; *c && kl + 16 < sizeof(key);) {
		size_t best = t->nspellings, bl = 0;
		for (size_t k = 0; m->spelling_starts[(unsigned char)*c] &&
				   k < t->nspellings;
		     k++) {
			size_t l = m->spelling_len[2 * k];
			if (l > bl && c[0] == t->spellings[2 * k][0] &&
			    strncmp(c, t->spellings[2 * k], l) == 0)
				best = k, bl = l;
		}
		size_t tl = best < t->nspellings ? m->spelling_len[2 * best + 1] : 0;
		if (bl && kl + tl + 16 < sizeof(key)) {
			memcpy(key + kl, t->spellings[2 * best + 1], tl);
			kl += tl;
			c += bl;
		} else if (*c == ' ') {
			c++;
		} else {
			key[kl++] = *c++;
		}
	}
	if (kl == klen && memcmp(key, m->key, kl) == 0)
		return 0; /* nothing to change */
	return add_exact(m, key, kl, norm, "another spelling of an ");
}

/* Matches one candidate name (already normalised into m->norm). Returns
 * 1 when only patterns recognised it, 0 otherwise, -1 when out of
 * memory. */
static int match_candidate(ndl_matcher *m, const char *norm, size_t nlen)
{
	int by_pattern = 0;
	m->recognized_exactly = 0;
	const ndl_lexicon *lex = m->lex;
	if (NDL_GROW(m->key, m->cap_key, nlen + 1))
		return -1;
	memcpy(m->key, norm, nlen + 1);
	size_t klen = ndl_compact(m->key, nlen);
	if (klen == 0)
		return 0;
	size_t classes = m->nhits;
	int exact = add_exact(m, m->key, klen, norm, "");
	if (exact == 0)
		exact = match_spellings(m, norm, klen);
	if (exact < 0)
		return -1;
	if (exact && m->nhits > classes)
		return 0; /* an exact name is more specific than any pattern */
	/* a name known only as ordinary (known.txt, --known) never hides a
	 * class: "Citrus Aurantium Flower Oil" from CosIng is still an
	 * essential oil by its family's pattern */
	m->recognized_exactly = exact > 0;
	if (ndl_index_find(&lex->excluded, m->key, klen)) {
		/* a false friend is a name the lexicon knows, so its parts
		 * ("Lactic Acid/Glycolic Acid Copolymer") are not tried */
		log_step(m, "    '%s': a known false friend\n", norm);
		m->recognized = 1;
		m->recognized_exactly = 1;
	}
	uint64_t bits = name_patterns_matching(m, norm, nlen, UINT64_MAX);
	for (size_t k = 0; k < m->nname_patterns; k++) {
		const ndl_pattern *p = &lex->patterns[m->name_patterns[k]];
		if (!name_pattern_matches(m, k, bits, norm, nlen))
			continue;
		const ndl_entry *e = ndl_entry_at(lex, p->entry);
		if (excluded(m, m->key, klen, e->cls)) {
			log_step(m, "    '%s': pattern /%s/ matches, but the name is a "
				       "false friend of %s\n",
			         norm, p->src, lex->classes[e->cls].id);
			continue;
		}
		log_step(m, "    '%s': pattern /%s/ of entry '%s' (%s)\n", norm, p->src,
		         e->name, lex->classes[e->cls].id);
		if (add_hit(m, (uint32_t)p->entry, norm, 1))
			return -1;
		by_pattern = 1;
	}
	return by_pattern && !m->recognized_exactly;
}

/* Bracket groups at depth 0 of [s, s+n): fills starts/ends (inside the
 * brackets); returns their number, at most max. Unbalanced brackets are
 * plain characters. */
static size_t bracket_groups(const char *s, size_t n, size_t *starts,
			     size_t *ends, size_t max)
{
	size_t count = 0, depth = 0, open = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '(' || s[i] == '[' || s[i] == '{') {
			if (depth++ == 0)
				open = i;
		} else if ((s[i] == ')' || s[i] == ']' || s[i] == '}') && depth > 0) {
			if (--depth == 0 && count < max) {
				starts[count] = open + 1;
				ends[count] = i;
				count++;
			}
		}
	}
	return count;
}

static int match_text(ndl_matcher *m, const char *s, size_t n, int depth);

static int has_word(const char *s, size_t n);

/* Matches each piece of [s, s+n) between separators at depth 0; *unread
 * (if not NULL) is set when a piece with a word in it names nothing. */
static int match_pieces(ndl_matcher *m, const char *s, size_t n, int depth,
			const char *seps, int *unread)
{
	size_t d = 0, a = 0;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? s[i] : seps[0];
		if (c == '(' || c == '[')
			d++;
		else if ((c == ')' || c == ']') && d > 0)
			d--;
		else if (d == 0 && strchr(seps, c)) {
			int had = m->recognized;
			m->recognized = 0;
			if (i > a && match_text(m, s + a, i - a, depth))
				return -1;
			if (unread && !m->recognized && has_word(s + a, i - a))
				*unread = 1;
			m->recognized |= had;
			a = i + 1;
		}
	}
	return 0;
}

static int normalise_into(ndl_matcher *m, const char *s, size_t n, size_t *len)
{
	size_t cap = n * 4 + 64;
	if (NDL_GROW(m->norm, m->cap_norm, cap))
		return -1;
	*len = ndl_normalize(s, n, m->norm, cap);
	return 0;
}

/* Does s hold a letter or digit (of any script)? */
static int has_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || (s[i] >= '0' && s[i] <= '9') ||
		    ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
			return 1;
	return 0;
}

/* The whole text, then, if nothing recognised it, its parts. */
static int match_text(ndl_matcher *m, const char *s, size_t n, int depth)
{
	size_t len;
	if (normalise_into(m, s, n, &len))
		return -1;
	if (len == 0)
		return 0;
	int before = m->recognized;
	m->recognized = 0;
	/* the candidate may be needed after m->norm is reused below */
	if (depth == 0)
		ndl_arena_reset(&m->scratch); /* a whole text: nothing of the last
						 one is in use */
	char *norm = ndl_arena_strndup(&m->scratch, m->norm, len);
	int only_patterns = norm ? match_candidate(m, norm, len) : -1;
	if (only_patterns < 0)
		return -1;
	if (depth == 0)
		m->by_pattern = only_patterns && m->recognized;
	if ((m->recognized && !only_patterns) || depth >= MAX_DEPTH) {
		if (!m->recognized)
			log_step(m, "    '%s': no entry\n", norm);
		m->pattern_only = only_patterns && m->recognized;
		m->recognized |= before;
		return 0;
	}
	/* a pattern on the whole is less specific than an exact name of a
	 * part: "Lavandula Angustifolia (Lavender) Flower Oil" */
	log_step(m, "    '%s': %s; trying its parts\n", norm,
	         only_patterns ? "only a pattern" : "no entry");
	size_t starts[16], ends[16];
	size_t ng = bracket_groups(s, n, starts, ends, 16);
	if (ng > 0) {
		/* the text outside brackets: "Butyrospermum Parkii Butter" */
		char *outer = ndl_arena_alloc(&m->scratch, n + 1);
		if (outer == NULL)
			return -1;
		size_t ol = 0, from = 0;
		for (size_t g = 0; g < ng; g++) {
			memcpy(outer + ol, s + from, starts[g] - 1 - from);
			ol += starts[g] - 1 - from;
			outer[ol++] = ' ';
			from = ends[g] + 1;
		}
		memcpy(outer + ol, s + from, n - from);
		ol += n - from;
		int had = m->recognized;
		m->recognized = 0;
		if (match_text(m, outer, ol, depth + 1))
			return -1;
		/* "Aqua (Water) Retinol": the brackets name something, but
		 * the words around them may hold more (find_hidden) */
		if (depth == 0 && !had && !m->recognized && has_word(outer, ol))
			m->outer_unread = 1;
		/* or only a family pattern named them, perhaps with the name
		 * after them ("Rosa Damascena Flower Water (Rose Water) Citrus
		 * Aurantium Amara Flower Oil") */
		if (depth == 0 && m->pattern_only)
			m->by_pattern = 1;
		m->recognized |= had;
		for (size_t g = 0; g < ng; g++)
			if (match_pieces(m, s + starts[g], ends[g] - starts[g],
					 depth + 1, ",;/\\", NULL))
				return -1;
		/* "Lavandula Angustifolia (Lavender) Oil": the common name in
		 * the brackets with the words after them, "Lavender Oil" */
		for (size_t g = 0; g < ng; g++) {
			size_t to = g + 1 < ng ? starts[g + 1] - 1 : n;
			if (!has_word(s + ends[g] + 1, to - ends[g] - 1))
				continue;
			size_t cl = ends[g] - starts[g];
			char *common = ndl_arena_alloc(&m->scratch, n + 2);
			if (common == NULL)
				return -1;
			memcpy(common, s + starts[g], cl);
			common[cl] = ' ';
			memcpy(common + cl + 1, s + ends[g] + 1, to - ends[g] - 1);
			if (match_text(m, common, cl + to - ends[g], depth + 1))
				return -1;
		}
	} else if (memchr(s, '/', n) || memchr(s, '\\', n)) {
		/* "Aqua/Water/Eau"; some exports print "Water\\Aqua\\Eau" */
		int unread = 0;
		if (match_pieces(m, s, n, depth + 1, "/\\", &unread))
			return -1;
		/* "Aqua/Water/Eau Retinol": the same for a slash's pieces,
		 * of the whole or of the words around its brackets */
		if (depth <= 1 && unread && !only_patterns)
			m->outer_unread = 1;
	}
	m->pattern_only = only_patterns; /* this text's own candidate */
	m->recognized |= before;
	return 0;
}


/* ------------------------------------------------ words of a piece */

static int is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Where the bracket opened at s[i] closes, or n when it never does. */
static size_t bracket_end(const char *s, size_t n, size_t i)
{
	size_t depth = 0;
	for (; i < n; i++) {
		if (s[i] == '(' || s[i] == '[' || s[i] == '{')
			depth++;
		else if ((s[i] == ')' || s[i] == ']' || s[i] == '}') && --depth == 0)
			return i;
	}
	return n;
}

/* The words of s outside brackets, each with its key, into m->words; a
 * bracket group goes with the word before it. Returns their number (at
 * most SPLIT_MAX_WORDS + 1: more is a paragraph), -1 when out of memory. */
static long piece_words(ndl_matcher *m, const char *s, size_t n)
{
	size_t nw = 0, kl = 0;
	int balanced = 1; /* an opener never closed is a plain character */
	if (NDL_GROW(m->wkeys, m->cap_wkeys, n * 4 + 64))
		return -1;
	for (size_t i = 0; i < n && nw <= SPLIT_MAX_WORDS;) {
		if (balanced && (s[i] == '(' || s[i] == '[' || s[i] == '{')) {
			size_t close = bracket_end(s, n, i);
			if (close < n) {
				/* "[]" is a scraped bullet, not part of a name */
				if (nw > 0 && has_word(s + i, close - i))
					m->words[nw - 1].tail = (uint32_t)close + 1;
				i = close + 1;
				continue;
			}
			balanced = 0;
		}
		uint32_t cp;
		size_t k = ndl_utf8_decode(s + i, n - i, &cp);
		if (!is_word_cp(cp)) {
			i += k;
			continue;
		}
		size_t a = i;
		while (i < n && (k = ndl_utf8_decode(s + i, n - i, &cp)) && is_word_cp(cp))
			i += k;
		size_t len = ndl_normalize(s + a, i - a, m->wkeys + kl, m->cap_wkeys - kl);
		len = ndl_compact(m->wkeys + kl, len);
		if (len == 0)
			continue;
		if (NDL_GROW(m->words, m->cap_words, nw + 1))
			return -1;
		m->words[nw++] = (piece_word){(uint32_t)a, (uint32_t)i, (uint32_t)i,
					      (uint32_t)kl, (uint32_t)len};
		kl += len;
	}
	return (long)nw;
}

/* The key of words [i, j) into key (cap bytes); 0 when it does not fit. */
static size_t words_key(const ndl_matcher *m, size_t i, size_t j, char *key,
			size_t cap)
{
	size_t kl = 0;
	for (size_t w = i; w < j; w++) {
		if (kl + m->words[w].klen >= cap)
			return 0;
		memcpy(key + kl, m->wkeys + m->words[w].key, m->words[w].klen);
		kl += m->words[w].klen;
	}
	return kl;
}

/* --------------------------------------------- reading a piece's words */

enum { READ_LEFT, READ_NAME, READ_LABEL, READ_PATTERN };

/* The best reading of words [0, here) in one state (0: no name read yet,
 * 1: after a name), and the step that led to it. */
typedef struct reading {
	int covered;   /* words read as names or label words; -1: none */
	int patterned; /* of them, words only a pattern read */
	int names, labels;
	uint32_t from;  /* the step: words [from, here) ... */
	int from_state, how; /* ... read as READ_* */
	uint32_t found; /* a name's or label word's posting + 1, or the
			   entry + 1 of a pattern */
} reading;

/* More words read; of those, more by exact names than by patterns (a
 * family pattern with free words takes in the names before it); the
 * fewest names (longest names first); the fewest label words. */
static int better(const reading *a, const reading *b)
{
	if (b->covered < 0 || a->covered != b->covered)
		return a->covered > b->covered;
	if (a->patterned != b->patterned)
		return a->patterned < b->patterned;
	if (a->names != b->names)
		return a->names < b->names;
	return a->labels < b->labels;
}

static void relax(reading *to, const reading *from, uint32_t i, int state,
		  int how, int words, uint32_t found)
{
	reading r = {from->covered + (how != READ_LEFT ? words : 0),
		     from->patterned + (how == READ_PATTERN ? words : 0),
		     from->names + (how == READ_NAME || how == READ_PATTERN),
		     from->labels + (how == READ_LABEL), i, state, how, found};
	if (better(&r, to))
		*to = r;
}

/* The entry + 1 of a class pattern that names words [i, j) (that are
 * not a false friend of its class), or 0. */
static uint32_t pattern_names(ndl_matcher *m, size_t i, size_t j,
			      const char *key, size_t kl)
{
	if (m->nname_patterns <= 64 && !(m->piece_patterns & m->class_patterns))
		return 0;
	char span[512];
	size_t n = 0;
	for (size_t w = i; w < j; w++) {
		if (n + m->words[w].klen + 1 >= sizeof(span))
			return 0;
		if (n)
			span[n++] = ' ';
		memcpy(span + n, m->wkeys + m->words[w].key, m->words[w].klen);
		n += m->words[w].klen;
	}
	uint64_t bits = name_patterns_matching(m, span, n, m->piece_patterns);
	for (size_t k = 0; k < m->nname_patterns; k++) {
		const ndl_pattern *p = &m->lex->patterns[m->name_patterns[k]];
		size_t cls = ndl_entry_cls(m->lex, p->entry);
		if (m->lex->classes[cls].role == NDL_ROLE_CLASS &&
		    name_pattern_matches(m, k, bits, span, n) &&
		    !excluded(m, key, kl, cls))
			return (uint32_t)p->entry + 1;
	}
	return 0;
}

/* One step of a piece's reading, backwards: words [from, to) read as how. */
typedef struct step {
	uint32_t from, to;
	int how;
	uint32_t found;
} step;

/* Reads nw words as exact names (of classes and of the vocabulary) and
 * label words, covering as many words as possible with the fewest names:
 * dynamic programming over the words, O(words × NAME_MAX_WORDS) lookups.
 * Conjunctions may stand anywhere, section words only before the first
 * name. Fills steps (nw at most) in text order; returns their number and
 * the totals in *covered, *names, *labels. */
/* The name patterns some words of a piece's nw words may match: those
 * whose gate passes all of them joined, but for its literal start (the
 * words pattern_names() tries are a part of them). */
static uint64_t piece_patterns(ndl_matcher *m, size_t nw)
{
	if (m->nname_patterns > 64)
		return UINT64_MAX;
	size_t n = 0;
	for (size_t w = 0; w < nw; w++)
		n += m->words[w].klen + 1;
	char *all = ndl_arena_alloc(&m->scratch, n + 1);
	if (all == NULL)
		return UINT64_MAX;
	n = 0;
	for (size_t w = 0; w < nw; w++) {
		if (n)
			all[n++] = ' ';
		memcpy(all + n, m->wkeys + m->words[w].key, m->words[w].klen);
		n += m->words[w].klen;
	}
	uint64_t may = 0, bytes = ndl_gate_bytes(all, n);
	for (size_t k = 0; k < m->nname_patterns; k++)
		if (ndl_gate_may_pass_within(&m->gates[m->name_patterns[k]], all, n,
					     bytes))
			may |= (uint64_t)1 << k;
	return may;
}

static size_t read_words(ndl_matcher *m, size_t nw, step *steps, int *covered,
			 int *names, int *labels)
{
	const ndl_lexicon *lex = m->lex;
	m->piece_patterns = piece_patterns(m, nw);
	if (NDL_GROW(m->readings, m->cap_readings, (nw + 1) * 2))
		return 0;
	reading *rd = m->readings;
	for (size_t i = 0; i <= nw * 2 + 1; i++)
		rd[i].covered = -1;
	rd[0] = (reading){0, 0, 0, 0, 0, 0, READ_LEFT, 0};
	char key[512];
	/* what words [i, j) are (the same in both states, so read once) */
	struct {
		int how; /* READ_NAME, READ_PATTERN, or READ_LEFT: neither */
		uint32_t found;
		uint32_t label;       /* a label word's posting + 1, or 0 */
		ndl_class_role role;  /* of the label */
	} span[NAME_MAX_WORDS + 1];
	for (size_t i = 0; i < nw; i++) {
		if (rd[i * 2].covered < 0 && rd[i * 2 + 1].covered < 0)
			continue;
		size_t last = i, kl = 0;
		for (size_t j = i + 1; j <= nw && j - i <= NAME_MAX_WORDS; j++) {
			const piece_word *w = &m->words[j - 1];
			if (kl + w->klen >= sizeof(key))
				break;
			memcpy(key + kl, m->wkeys + w->key, w->klen);
			kl += w->klen;
			last = j;
			/* a name; a false friend is a name too, of no class
			 * ("Phenethyl Alcohol"); else a name a class's pattern
			 * knows ("Tanacetum Annuum Leaf Oil") */
			uint64_t h = ndl_hash(key, kl); /* for the three indexes */
			uint32_t p = ndl_index_find_hashed(&lex->names, key, kl, h);
			span[j - i].how = READ_LEFT;
			if (p || ndl_index_find_hashed(&lex->excluded, key, kl, h))
				span[j - i].how = READ_NAME;
			else if ((p = pattern_names(m, i, j, key, kl)) != 0)
				span[j - i].how = READ_PATTERN;
			span[j - i].found = p;
			span[j - i].label = j - i > LABEL_MAX_WORDS
						    ? 0
						    : ndl_index_find_hashed(&lex->labels, key, kl, h);
			if (span[j - i].label)
				span[j - i].role = lex->classes[ndl_entry_cls(
					lex, lex->labels.post[span[j - i].label - 1].value)].role;
		}
		for (int st = 0; st < 2; st++) {
			const reading *at = &rd[i * 2 + (size_t)st];
			if (at->covered < 0)
				continue;
			relax(&rd[(i + 1) * 2 + (size_t)st], at, (uint32_t)i, st, READ_LEFT, 1, 0);
			for (size_t j = i + 1; j <= last; j++) {
				if (span[j - i].how != READ_LEFT)
					relax(&rd[j * 2 + 1], at, (uint32_t)i, st, span[j - i].how,
					      (int)(j - i), span[j - i].found);
				ndl_class_role role = span[j - i].role;
				if (span[j - i].label &&
				    (role == NDL_ROLE_CONJUNCTIONS ||
				     (role == NDL_ROLE_SECTIONS && st == 0)))
					relax(&rd[j * 2 + (size_t)st], at, (uint32_t)i, st,
					      READ_LABEL, (int)(j - i), span[j - i].label);
			}
		}
	}
	size_t here = nw;
	int st = better(&rd[nw * 2 + 1], &rd[nw * 2]) ? 1 : 0;
	const reading *best = &rd[nw * 2 + (size_t)st];
	*covered = best->covered;
	*names = best->names;
	*labels = best->labels;
	size_t n = 0;
	while (here > 0) {
		const reading *r = &rd[here * 2 + (size_t)st];
		steps[n++] = (step){r->from, (uint32_t)here, r->how, r->found};
		here = r->from;
		st = r->from_state;
	}
	for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {
		step t = steps[a];
		steps[a] = steps[b];
		steps[b] = t;
	}
	return n;
}

static int is_active(const ndl_lexicon *lex, uint32_t entry)
{
	return ndl_class_is_active(&lex->classes[ndl_entry_cls(lex, entry)]);
}

/* How many bits x has, counted up to 5: more says no more. */
static unsigned bits(uint32_t x)
{
	unsigned n = 0;
	for (; x && n <= 4; x &= x - 1)
		n++;
	return n;
}

/* The active entry that words [i, j) misspell, or NDL_NO_ENTRY: within
 * two edits of one of its names, counted on the keys (so a space put in
 * or left out costs nothing), scaled to the length: one edit from five
 * letters, two from nine; and, when the words match the name's one for
 * one, no word more than one edit per four letters ("Glycolic Acd",
 * "Retinoll", "Ascorbic Aicd"; not "Folic Acid" for malic acid, nor
 * "Carbon" for carvone). Unless same_words, the words may be one more
 * or one fewer than the name's. An ordinary name as close or closer wins ("Benzonic Acid"
 * is benzoic acid): then NDL_ORDINARY. *edits receives the distance. */
#define NDL_NO_ENTRY UINT32_MAX
#define NDL_ORDINARY (UINT32_MAX - 1)
static uint32_t misspelt_search(ndl_matcher *m, size_t i, size_t j,
				int same_words, unsigned *edits)
{
	char key[NDL_NEAR_MAX_KEY + 1];
	size_t kl = words_key(m, i, j, key, sizeof(key));
	unsigned nwords = (unsigned)(j - i);
	uint32_t best = NDL_NO_ENTRY, best_at = UINT32_MAX;
	int best_d = 3, ordinary_d = 3;
	if (kl < NDL_NEAR_MIN_KEY)
		return NDL_NO_ENTRY;
	uint32_t set = ndl_near_bytes(key, kl) & 0x07FFFFFF;
	uint64_t pairs = ndl_near_pairs(key, kl);
	size_t n = ndl_near_candidates(&m->near, key, kl, &m->found);
	for (size_t c = 0; c < n; c++) {
		uint32_t at = m->found.at[c];
		/* the quick tests: word count, and bytes (27 of the 32 folds:
		 * still sound, a little less sharp); then byte pairs */
		uint32_t t = m->near.test[at];
		unsigned nn_words = t >> 27;
		if ((same_words ? nn_words != nwords
				: nn_words + 1 < nwords || nwords + 1 < nn_words) ||
		    bits(set ^ (t & 0x07FFFFFF)) > 4)
			continue;
		if (ndl_near_pairs_apart(pairs, m->near.pairs[at]))
			continue;
		const ndl_near_name *nn = &m->near.names[at];
		int d = ndl_within_two(ndl_near_key(&m->near, nn), nn->klen, key, kl);
		size_t shorter = nn->klen < kl ? nn->klen : kl;
		if (d <= 0 || (d == 2 && shorter < NDL_NEAR_TWO_EDITS))
			continue;
		if (nn->nwords == nwords) {
			/* word by word: "folic acid" is not "malic acid" */
			const char *w = ndl_near_words(&m->near, nn);
			for (size_t k = i; k < j && d > 0; k++) {
				size_t wl = strcspn(w, " ");
				const char *x = m->wkeys + m->words[k].key;
				size_t xl = m->words[k].klen;
				int dw = ndl_within_two(w, wl, x, xl);
				size_t sh = wl < xl ? wl : xl;
				size_t allowed = sh < 3 ? 0 : sh / 4 > 1 ? sh / 4 : 1;
				if (dw < 0 || (size_t)dw > allowed)
					d = 0;
				w += wl + (w[wl] == ' ');
			}
			if (d == 0)
				continue;
		}
		/* the closest active name, the first in the names' order
		 * of those as close */
		int active = is_active(m->lex, nn->entry);
		if (!active && d < ordinary_d)
			ordinary_d = d;
		else if (active && (d < best_d || (d == best_d && at < best_at))) {
			best_d = d;
			best_at = at;
			best = nn->entry;
		}
	}
	if (ordinary_d < 3 && ordinary_d <= best_d)
		return NDL_ORDINARY;
	if (best == NDL_NO_ENTRY)
		return NDL_NO_ENTRY;
	*edits = (unsigned)best_d;
	return best;
}

/* misspelt()'s answer for some words. */
typedef struct near_memo {
	uint32_t entry;
	unsigned edits;
} near_memo;

/* misspelt_search(), its answers kept by the words asked (their keys,
 * spaces between, and same_words): catalogues repeat the same unknown
 * words in many pieces, and a piece asks about its words several times. */
static uint32_t misspelt(ndl_matcher *m, size_t i, size_t j, int same_words,
			 unsigned *edits)
{
	char key[NDL_NEAR_MAX_KEY * 2 + 2];
	size_t n = 0;
	for (size_t w = i; w < j; w++) {
		if (n + m->words[w].klen + 2 > sizeof(key))
			return misspelt_search(m, i, j, same_words, edits); /* too
									      long to
									      misspell */
		memcpy(key + n, m->wkeys + m->words[w].key, m->words[w].klen);
		n += m->words[w].klen;
		key[n++] = ' ';
	}
	key[n++] = same_words ? '1' : '0';
	uint64_t h = ndl_hash(key, n);
	int old;
	near_memo v = {NDL_NO_ENTRY, 0};
	const near_memo *r = ndl_cache_find(&m->memo, key, n, h, &old);
	if (r == NULL)
		v.entry = misspelt_search(m, i, j, same_words, &v.edits);
	else
		v = *r;
	if (r == NULL || old) { /* kept, unless out of memory */
		near_memo *c = ndl_arena_alloc(&m->memo_mem, sizeof(*c));
		if (c) {
			*c = v;
			ndl_cache_put(&m->memo, &m->memo_mem, key, n, h, c);
		}
	}
	if (v.entry != NDL_NO_ENTRY && v.entry != NDL_ORDINARY)
		*edits = v.edits;
	return v.entry;
}

/* Does the name read at steps[k], with the word before or after it that
 * no name read, misspell an ordinary name ("Stearyl Alcohol Cetyle
 * Alcohol": "Cetyle Alcohol" is cetyl alcohol, and its "Alcohol" no
 * drying alcohol)? */
static int misspelt_ordinary(ndl_matcher *m, const step *steps,
			     size_t nsteps, size_t k)
{
	unsigned d;
	if (k > 0 && steps[k - 1].how == READ_LEFT &&
	    misspelt(m, steps[k].from - 1, steps[k].to, 1, &d) == NDL_ORDINARY)
		return 1;
	return k + 1 < nsteps && steps[k + 1].how == READ_LEFT &&
	       misspelt(m, steps[k].from, steps[k].to + 1, 1, &d) == NDL_ORDINARY;
}

/* Has r a hit of entry e's class? */
static int has_class(const ndl_match *r, const ndl_lexicon *lex, uint32_t e)
{
	for (uint32_t h = 0; h < r->nhits; h++)
		if (ndl_entry_cls(lex, r->hits[h].entry) == ndl_entry_cls(lex, e))
			return 1;
	return 0;
}

/* A misspelt active name in the run of words [a, b) that nothing read:
 * the run as a whole ("Glycolic Acd"), else one long word of it
 * ("Retinoll" in "Retinoll Complex": at least SINGLE_MIN_LETTERS letters
 * and one edit from a one-word name; "Acerosa Extract" is not "Acerola
 * Extract"). Returns 1 when one is held. */
static int find_misspelt(ndl_matcher *m, const ndl_match *r, size_t a,
			 size_t b, size_t nw, ndl_held *held, size_t *nheld)
{
	unsigned d;
	uint32_t e = b - a <= NAME_MAX_WORDS + 1 ? misspelt(m, a, b, 0, &d) : NDL_NO_ENTRY;
	size_t i = a, j = b;
	if (e == NDL_ORDINARY)
		return 0;
	for (size_t k = a; e == NDL_NO_ENTRY && b - a > 1 && k < b; k++) {
		if (m->words[k].klen < SINGLE_MIN_LETTERS)
			continue;
		e = misspelt(m, k, k + 1, 1, &d);
		if (e == NDL_ORDINARY || d > 1)
			e = NDL_NO_ENTRY;
		i = k, j = k + 1;
	}
	if (e == NDL_NO_ENTRY || has_class(r, m->lex, e))
		return 0;
	held[(*nheld)++] = (ndl_held){e, m->words[i].start, m->words[j - 1].tail, d,
				      i == 0 && j == nw};
	log_step(m, "    words %zu-%zu are close to '%s' (%s), %u edit%s\n", i + 1, j,
	         ndl_entry_at(m->lex, e)->name, m->lex->classes[ndl_entry_cls(m->lex, e)].id, d,
	         d == 1 ? "" : "s");
	return 1;
}

/* The parts of a piece read as names (find_hidden): each name is a
 * part; names joined by a slash are synonyms (one part); words no name
 * read go with the name before them ("Acacia Senegal Gum Extract"), or at
 * the start with the one after ("Hydrogenated Olus Oil"); label words go.
 * Returns the number of parts in *parts, 0 when out of memory. */
static size_t name_parts(ndl_matcher *m, const char *text, const step *steps,
			 size_t nsteps, ndl_part **parts_out)
{
	ndl_part *parts = ndl_arena_alloc(&m->cache_mem, nsteps * sizeof(*parts));
	if (parts == NULL)
		return 0;
	size_t np = 0;
	int open = 0;  /* the last part may take more words */
	int named = 0; /* the last part holds a name */
	for (size_t k = 0; k < nsteps; k++) {
		const step *st = &steps[k];
		uint32_t a = m->words[st->from].start, b = m->words[st->to - 1].tail;
		if (st->how == READ_LABEL) {
			open = 0;
			continue;
		}
		int slash = 0;
		for (uint32_t c = np ? parts[np - 1].end : a; c < a; c++)
			slash |= text[c] == '/' || text[c] == '\\';
		if (open && (slash || st->how == READ_LEFT || !named)) {
			parts[np - 1].end = b;
		} else {
			parts[np++] = (ndl_part){a, b, NULL};
			named = 0;
		}
		named |= st->how == READ_NAME || st->how == READ_PATTERN;
		open = 1;
	}
	*parts_out = parts;
	return np;
}

static void hold(ndl_matcher *m, ndl_held *held, size_t *nheld, uint32_t e,
		 const step *st, size_t nw, const char *how)
{
	held[(*nheld)++] = (ndl_held){e, m->words[st->from].start,
				      m->words[st->to - 1].tail, 0,
				      st->from == 0 && st->to == nw};
	log_step(m, "    holds %s'%s' (%s) in words %u-%u\n", how, ndl_entry_at(m->lex, e)->name,
	         m->lex->classes[ndl_entry_cls(m->lex, e)].id, st->from + 1, st->to);
}

/* The held names of an unread piece (find_hidden): the whole piece
 * misspelling a name (an ordinary one, as in "Cetyle Alcohol", holds
 * nothing), else names of active classes read inside it, and
 * misspellings in the runs of words nothing read; never a class the text
 * was already found to be of. Returns -1 when out of memory. */
static int hold_names(ndl_matcher *m, const step *steps, size_t nsteps,
		      size_t nw, ndl_match *r)
{
	const ndl_lexicon *lex = m->lex;
	size_t cap = nw + 1, nheld = 0;
	ndl_held *held = ndl_arena_alloc(&m->cache_mem, cap * sizeof(*held));
	if (held == NULL)
		return -1;
	unsigned d;
	uint32_t whole = nw <= NAME_MAX_WORDS + 1 ? misspelt(m, 0, nw, 0, &d)
						  : NDL_NO_ENTRY;
	if (whole == NDL_ORDINARY) {
		log_step(m, "    a misspelling of an ordinary name\n");
		return 0;
	}
	if (whole != NDL_NO_ENTRY && !has_class(r, lex, whole)) {
		held[nheld++] = (ndl_held){whole, m->words[0].start,
					   m->words[nw - 1].tail, d, 1};
		log_step(m, "    close to '%s' (%s), %u edit%s\n", ndl_entry_at(lex, whole)->name,
		         lex->classes[ndl_entry_cls(lex, whole)].id, d, d == 1 ? "" : "s");
		nsteps = 0;
	}
	for (size_t k = 0; k < nsteps && nheld < cap; k++) {
		const step *st = &steps[k];
		if (st->how == READ_NAME && misspelt_ordinary(m, steps, nsteps, k)) {
			log_step(m, "    words %u-%u with a word beside them misspell an "
				       "ordinary name\n",
			         st->from + 1, st->to);
		} else if (st->how == READ_NAME) {
			for (uint32_t p = st->found; p && nheld < cap;
			     p = lex->names.post[p - 1].next) {
				uint32_t e = lex->names.post[p - 1].value;
				if (is_active(lex, e) && !has_class(r, lex, e))
					hold(m, held, &nheld, e, st, nw, "");
			}
		} else if (st->how == READ_PATTERN && is_active(lex, st->found - 1) &&
			   !has_class(r, lex, st->found - 1)) {
			hold(m, held, &nheld, st->found - 1, st, nw, "a name of ");
		} else if (st->how == READ_LEFT) {
			size_t a = st->from, b = st->to;
			while (k + 1 < nsteps && steps[k + 1].how == READ_LEFT)
				b = steps[++k].to;
			find_misspelt(m, r, a, b, nw, held, &nheld);
		}
	}
	r->held = held;
	r->nheld = (uint32_t)nheld;
	return 0;
}

/* Nothing hides in a name the lexicon cannot read. A piece of a list
 * that no entry names as a whole (nor the words around its brackets or
 * beside a slash), or that only a family pattern names (a pattern may
 * take in the name before it: "Dimethicone Retinoyl Tripeptide-1"), is
 * read word by word (read_words):
 *
 *  - when names cover it — at least two names and 80 % of its words, or
 *    one name and every other word a conjunction or section word ("and
 *    Retinyl Palmitate", "Formula RETINOL") — it was several names run
 *    together: each becomes a part, matched on its own (check.c lists
 *    each as an ingredient). Label words are dropped; a word no name
 *    read stays with the name before it ("Acacia Senegal Gum Extract"),
 *    at the start with the one after it, and names joined by a slash are
 *    one part (synonyms).
 *  - otherwise, unless a pattern named it, the piece stays one
 *    unrecognised ingredient. If the whole piece misspells a name (one
 *    or two edits, misspelt()), that is the finding ("did you mean"), or
 *    nothing when the name is an ordinary one ("Cetyle Alcohol"). Else
 *    every name of an active class found inside it as a whole word
 *    sequence (exactly, so "Phloretin" holds no retinoid and "Hyaluronic
 *    Acid" no AHA; inside a longer known name, such as "Cetearyl
 *    Alcohol", it is that name's), and any misspelling in the runs of
 *    words no name read, is held: the rules report it as at least
 *    caution, saying where it was found, where the name would count.
 *
 * The same reading serves ndl_match_explain, so --explain says what the
 * check does. Returns -1 when out of memory. */
static int find_hidden(ndl_matcher *m, const char *text, size_t len,
		       ndl_match *r, ndl_part **parts_out)
{
	long nwl = piece_words(m, text, len);
	if (nwl < 0)
		return -1;
	size_t nw = (size_t)nwl;
	if (nw == 0 || nw > SPLIT_MAX_WORDS)
		return 0;
	if (NDL_GROW(m->steps, m->cap_steps, nw))
		return -1;
	step *steps = m->steps;
	int covered = 0, names = 0, labels = 0;
	size_t nsteps = read_words(m, nw, steps, &covered, &names, &labels);
	if (nsteps == 0)
		return -1;
	int split = !m->nested && nw >= 2 &&
		    ((names >= 2 && (size_t)covered * 100 >= nw * SPLIT_COVER) ||
		     (names >= 1 && labels >= 1 && (size_t)covered == nw));
	size_t lead = 0; /* label words first: "and Citrus Aurantium (Neroli)
			    Oil" is the name after them, whatever it is */
	while (lead < nsteps && steps[lead].how == READ_LABEL)
		lead++;
	if (!split && !m->nested && lead > 0 && lead < nsteps) {
		ndl_part *part = ndl_arena_alloc(&m->cache_mem, sizeof(*part));
		if (part == NULL)
			return -1;
		*part = (ndl_part){m->words[steps[lead].from].start,
				   m->words[nw - 1].tail, NULL};
		log_step(m, "    read as '%.*s' after the label word%s\n",
		         (int)(part->end - part->start), text + part->start,
		         lead == 1 ? "" : "s");
		r->parts = *parts_out = part;
		r->nparts = 1;
		return 0;
	}
	ndl_part *parts = NULL;
	size_t np = split ? name_parts(m, text, steps, nsteps, &parts) : 0;
	if (split && parts == NULL)
		return -1;
	if (np > 1 || (np == 1 && labels > 0)) {
		log_step(m, "    read as %zu name%s (%d of %zu words are names or "
			       "label words):",
		         np, np == 1 ? "" : "s", covered, nw);
		for (size_t k = 0; k < np; k++)
			log_step(m, " '%.*s'", (int)(parts[k].end - parts[k].start),
			         text + parts[k].start);
		log_step(m, "\n");
		r->parts = *parts_out = parts;
		r->nparts = (uint32_t)np;
		return 0;
	}
	if (m->recognized && !m->outer_unread)
		return 0; /* a pattern named it: only a split could say more */
	if (!m->near_built) {
		/* the built-in lexicon's index was made with the program */
		if (m->lex->image)
			m->near = ndl_builtin_near;
		else if (ndl_near_build(&m->near, m->lex))
			return -1;
		if (ndl_near_found_init(&m->found, &m->near))
			return -1;
		m->near_built = 1;
	}
	return hold_names(m, steps, nsteps, nw, r);
}

/* The state of a lookup, before its text is matched. */
static void begin_text(ndl_matcher *m)
{
	m->nhits = 0;
	m->rules = 0;
	m->recognized = 0;
	m->outer_unread = 0;
	m->by_pattern = 0;
	m->gave_up = NULL;
}

/* The result of text, once match_text() has read it as a whole: what
 * hides in it, and its parts. */
static ndl_match *finish(ndl_matcher *m, const char *text, size_t len)
{
	ndl_match v = {.hits = &no_hit, .nhits = (uint32_t)m->nhits,
		       .rules = m->rules, .recognized = m->recognized,
		       .gave_up = m->gave_up};
	if (m->nhits) { /* kept first: reading the words reuses m->hits */
		ndl_hit *hits = ndl_arena_alloc(&m->cache_mem, m->nhits * sizeof(*hits));
		if (hits == NULL)
			return NULL;
		memcpy(hits, m->hits, m->nhits * sizeof(*hits));
		v.hits = hits;
	}
	ndl_part *parts = NULL;
	if ((!m->recognized || m->outer_unread || m->by_pattern) &&
	    find_hidden(m, text, len, &v, &parts))
		return NULL;
	if (is_nothing(&v))
		return &nothing;
	ndl_match *r = ndl_arena_alloc(&m->cache_mem, sizeof(*r));
	if (r == NULL)
		return NULL;
	*r = v;
	/* the parts, each matched on its own (the scratch above is reused) */
	ndl_buf *lg = m->log; /* the explanation shows each part apart */
	m->log = NULL;
	for (uint32_t k = 0; k < r->nparts; k++) {
		ndl_part *p = &parts[k];
		m->nested++;
		p->match = ndl_match_name(m, text + p->start, p->end - p->start);
		m->nested--;
		m->log = lg;
		if (p->match == NULL)
			return NULL;
		m->log = NULL;
	}
	m->log = lg;
	return r;
}

static ndl_match *run(ndl_matcher *m, const char *text, size_t len)
{
	begin_text(m);
	if (match_text(m, text, len, 0))
		return NULL;
	return finish(m, text, len);
}

const ndl_match *ndl_match_name(ndl_matcher *m, const char *text, size_t len)
{
	/* a part of a piece is read otherwise than the same text as a whole
	 * (no further split, its label words kept): its reading is kept as
	 * another kind, else a whole would get a part's reading, or a part
	 * a whole's, by what the matcher had read before */
	unsigned kind = m->nested ? 1 : 0;
	uint64_t h = ndl_hash(text, len);
	int old;
	ndl_match *r = ndl_cache_find_kind(&m->cache, text, len, kind, h, &old);
	if (r && !old)
		return r;
	/* found in the old generation: in use, so it moves to the young */
	r = r ? copy_match(&m->cache_mem, r) : run(m, text, len);
	if (r == NULL)
		return NULL;
	/* not kept when out of memory; valid until the next begin even so */
	ndl_cache_put_kind(&m->cache, &m->cache_mem, text, len, kind, h, r);
	return r;
}

const ndl_match *ndl_match_if_named(ndl_matcher *m, const char *text,
				    size_t len, int *oom)
{
	*oom = 0;
	int old;
	uint64_t h = ndl_hash(text, len);
	ndl_match *r = ndl_cache_find(&m->cache, text, len, h, &old);
	if (r == NULL) {
		/* the whole text first: what reads nothing needs no more;
		 * what it names is read on as ndl_match_name() would */
		begin_text(m);
		if (match_text(m, text, len, 0)) {
			*oom = 1;
			return NULL;
		}
		if (!m->recognized)
			return NULL;
		r = finish(m, text, len);
		*oom = r == NULL;
		if (r)
			ndl_cache_put(&m->cache, &m->cache_mem, text, len, h, r);
		return r;
	} else if (!r->recognized) {
		return NULL;
	}
	const ndl_match *full = ndl_match_name(m, text, len);
	*oom = full == NULL;
	return full;
}

void ndl_match_explain(ndl_matcher *m, const char *text, size_t len,
		       ndl_buf *out)
{
	m->log = out;
	const ndl_match *r = run(m, text, len);
	m->log = NULL;
	if (r == NULL)
		ndl_buf_puts(out, "    out of memory\n");
}

size_t ndl_match_vocabulary(ndl_matcher *m, size_t cls, const char *text,
			    size_t len)
{
	const ndl_lexicon *lex = m->lex;
	uint64_t bytes = ndl_gate_bytes(text, len);
	for (size_t i = 0; i < lex->npatterns; i++) {
		const ndl_pattern *p = &lex->patterns[i];
		if (ndl_entry_cls(lex, p->entry) == cls &&
		    pattern_matches(m, p, text, len, bytes))
			return p->entry;
	}
	return (size_t)-1;
}

uint32_t ndl_match_kinds(ndl_matcher *m, const char *text, size_t len,
			 uint32_t want, size_t where[][2])
{
	uint32_t kinds = 0;
	uint64_t bytes = ndl_gate_bytes(text, len);
	for (size_t i = 0; i < m->nkind_patterns; i++) {
		size_t j = m->kind_patterns[i].pattern;
		unsigned k = m->kind_patterns[i].kind;
		if (!(want >> k & 1) || (kinds >> k & 1) ||
		    !pattern_matches(m, &m->lex->patterns[j], text, len, bytes))
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		where[k][0] = ov[0];
		where[k][1] = ov[1];
		kinds |= (uint32_t)1 << k;
	}
	return kinds;
}
