#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "match.h"
#include "text.h"

#define MAX_DEPTH 3          /* brackets within brackets worth looking into */
#define NEAR_MIN_LEN 6       /* near-miss suggestions for names this long */
#define RUN_ON_MIN_WORDS 4   /* a name this long may be a list without commas */
#define RUN_ON_MAX_WORDS 8   /* the longest name looked for in it */
#define RUN_ON_COVER 80      /* % of its words that names must cover */
#define MATCH_LIMIT 100000   /* PCRE2 limits: a user pattern cannot hang us */
#define DEPTH_LIMIT 1000

/* A normalised name, for near-miss suggestions: an active's, or an
 * ordinary one (a typo closer to it is not an active's near miss). */
typedef struct near_name {
	const char *key;
	size_t len;
	unsigned words; /* a typo keeps the words: a quick test first */
	uint32_t entry;
	int active;
} near_name;

struct ndl_matcher {
	const ndl_lexicon *lex;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;

	ndl_cache cache;     /* results by the exact text */
	ndl_arena cache_mem; /* its young generation's keys and results */

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
	ndl_buf *trace;

	near_name *near;
	size_t nnear;
	ndl_arena near_mem; /* their keys */

	unsigned *pattern_kind; /* the product kind of each pattern, or
				   NDL_NO_KIND */
};

static unsigned word_count(const char *s)
{
	unsigned n = 1;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static void collect_near_names(ndl_matcher *m)
{
	const ndl_lexicon *lex = m->lex;
	size_t n = 0;
	for (size_t i = 0; i < lex->nentries; i++)
		n += lex->entries[i].nnames;
	m->near = calloc(n ? n : 1, sizeof(*m->near));
	if (m->near == NULL)
		return;
	char key[512];
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = &lex->entries[i];
		const ndl_class *c = &lex->classes[e->cls];
		if (c->kind != NDL_KIND_CLASS && c->kind != NDL_KIND_KNOWN)
			continue;
		int active = c->kind == NDL_KIND_CLASS &&
			     (c->avoid_h != NDL_NO_WINDOW || c->caution_h != NDL_NO_WINDOW);
		for (size_t k = 0; k < e->nnames; k++) {
			size_t len = ndl_normalize(e->names[k], strlen(e->names[k]),
						   key, sizeof(key));
			if (len < NEAR_MIN_LEN)
				continue;
			char *p = ndl_arena_strndup(&m->near_mem, key, len);
			if (p == NULL)
				return;
			m->near[m->nnear++] = (near_name){p, len, word_count(p),
							  (uint32_t)i, active};
		}
	}
}

ndl_matcher *ndl_matcher_new(const ndl_lexicon *lex)
{
	ndl_matcher *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->lex = lex;
	m->md = pcre2_match_data_create(lex->max_capture + 1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	m->cache_mem.block_size = 1 << 16;
	if (m->md == NULL || m->mctx == NULL) {
		ndl_matcher_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, 20000); /* KiB */
	if (m->jit)
		pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	collect_near_names(m);
	m->pattern_kind = malloc((lex->npatterns + 1) * sizeof(unsigned));
	if (m->pattern_kind == NULL) {
		ndl_matcher_free(m);
		return NULL;
	}
	for (size_t j = 0; j < lex->npatterns; j++) {
		size_t e = lex->patterns[j].entry;
		unsigned k = 0;
		m->pattern_kind[j] = NDL_NO_KIND;
		if (lex->entries[e].cls != lex->products)
			continue;
		for (size_t i = 0; i < e; i++)
			k += lex->entries[i].cls == lex->products;
		m->pattern_kind[j] = k;
	}
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
	ndl_arena_free(&m->near_mem);
	free(m->hits);
	free(m->norm);
	free(m->key);
	free(m->near);
	free(m->pattern_kind);
	free(m);
}

/* ------------------------------------------------------------ the cache */

int ndl_matcher_begin(ndl_matcher *m)
{
	return ndl_cache_turn(&m->cache, &m->cache_mem);
}

ndl_cache *ndl_matcher_cache(ndl_matcher *m)
{
	return &m->cache;
}

/* A result of the old generation, copied into the young one. */
static ndl_match *copy_match(ndl_arena *a, const ndl_match *r)
{
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
		hits[i].json = ndl_arena_strndup(a, r->hits[i].json, r->hits[i].json_len);
		if (hits[i].matched == NULL || hits[i].json == NULL)
			return NULL;
	}
	return c;
}

/* ----------------------------------------------------------- matching */

static void trace(ndl_matcher *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void trace(ndl_matcher *m, const char *fmt, ...)
{
	if (m->trace == NULL)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ndl_buf_puts(m->trace, msg);
}

static int add_hit(ndl_matcher *m, uint32_t entry, const char *norm,
		   int by_pattern)
{
	const ndl_lexicon *lex = m->lex;
	const ndl_entry *e = &lex->entries[entry];
	m->rules |= e->rules;
	m->recognized = 1;
	if (lex->classes[e->cls].kind != NDL_KIND_CLASS)
		return 0;
	size_t i = 0;
	while (i < m->nhits && lex->entries[m->hits[i].entry].cls != e->cls)
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
static int pattern_matches(ndl_matcher *m, const ndl_pattern *p,
			   const char *norm, size_t len)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)norm, len, 0, 0, m->md, m->mctx);
	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH) {
		if (m->gave_up == NULL)
			m->gave_up = p->src;
		trace(m, "    pattern /%s/ gave up (%s)\n", p->src,
		      rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
				      rc == PCRE2_ERROR_DEPTHLIMIT ||
				      rc == PCRE2_ERROR_HEAPLIMIT
			      ? "match limit"
			      : "error");
	}
	return 0;
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
		const ndl_entry *e = &lex->entries[lex->names.post[p - 1].value];
		trace(m, "    '%s': %sexact name of entry '%s' (%s)\n", norm, how,
		      e->name, lex->classes[e->cls].id);
		if (add_hit(m, lex->names.post[p - 1].value, norm, 0))
			return -1;
		n++;
	}
	return n;
}

/* Label spellings of a name that the lexicon spells once: the name
 * without a grower's qualifier ("Organic Aloe Barbadensis Leaf Juice",
 * "Cold Pressed ... Oil") and British or French spellings ("Zinc
 * Sulphate", "Aluminium Hydroxide"). Returns as add_exact. */
static int match_spellings(ndl_matcher *m, const char *norm, size_t klen)
{
	static const char *const qualifiers[] = {
		"certified organic ", "organic ", "bio ", "wildcrafted ",
		"wild crafted ", "natural ", "unrefined ", "cold pressed ",
		"virgin ", "extra virgin ", "pure ", "raw ", "fair trade ",
		"fairtrade "};
	static const char *const spellings[][2] = {
		{"sulph", "sulf"}, {"aluminium", "aluminum"},
		{"hydroxyde", "hydroxide"}, {"oxyde", "oxide"}};
	char key[512];
	const char *rest = norm;
	for (int again = 1; again;) {
		again = 0;
		for (size_t q = 0; q < NDL_ARRAY_LEN(qualifiers); q++) {
			size_t ql = strlen(qualifiers[q]);
			if (strncmp(rest, qualifiers[q], ql) == 0 && rest[ql]) {
				rest += ql;
				again = 1;
			}
		}
	}
	/* the spelling changes, on the name without its qualifiers */
	size_t kl = 0;
	for (const char *c = rest; *c && kl + 16 < sizeof(key);) {
		size_t k = 0;
		while (k < NDL_ARRAY_LEN(spellings) &&
		       strncmp(c, spellings[k][0], strlen(spellings[k][0])) != 0)
			k++;
		if (k < NDL_ARRAY_LEN(spellings)) {
			memcpy(key + kl, spellings[k][1], strlen(spellings[k][1]));
			kl += strlen(spellings[k][1]);
			c += strlen(spellings[k][0]);
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
	int exact = add_exact(m, m->key, klen, norm, "");
	if (exact == 0)
		exact = match_spellings(m, norm, klen);
	if (exact < 0)
		return -1;
	if (exact)
		return 0; /* an exact name is more specific than any pattern */
	if (ndl_index_find(&lex->excluded, m->key, klen)) {
		/* a false friend is a name the lexicon knows, so its parts
		 * ("Lactic Acid/Glycolic Acid Copolymer") are not tried */
		trace(m, "    '%s': a known false friend\n", norm);
		m->recognized = 1;
		m->recognized_exactly = 1;
	}
	for (size_t i = 0; i < lex->npatterns; i++) {
		const ndl_pattern *p = &lex->patterns[i];
		const ndl_entry *e = &lex->entries[p->entry];
		ndl_class_kind kind = lex->classes[e->cls].kind;
		if (kind == NDL_KIND_NOTLIST || kind == NDL_KIND_PRODUCTS)
			continue;
		if (!pattern_matches(m, p, norm, nlen))
			continue;
		if (excluded(m, m->key, klen, e->cls)) {
			trace(m, "    '%s': pattern /%s/ matches, but the name is a "
				 "false friend of %s\n",
			      norm, p->src, lex->classes[e->cls].id);
			continue;
		}
		trace(m, "    '%s': pattern /%s/ of entry '%s' (%s)\n", norm, p->src,
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

/* Matches each piece of [s, s+n) between separators at depth 0. */
static int match_pieces(ndl_matcher *m, const char *s, size_t n, int depth,
			const char *seps)
{
	size_t d = 0, a = 0;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? s[i] : seps[0];
		if (c == '(' || c == '[')
			d++;
		else if ((c == ')' || c == ']') && d > 0)
			d--;
		else if (d == 0 && strchr(seps, c)) {
			if (i > a && match_text(m, s + a, i - a, depth))
				return -1;
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
	char *norm = ndl_arena_strndup(&m->cache_mem, m->norm, len);
	int only_patterns = norm ? match_candidate(m, norm, len) : -1;
	if (only_patterns < 0)
		return -1;
	if ((m->recognized && !only_patterns) || depth >= MAX_DEPTH) {
		if (!m->recognized)
			trace(m, "    '%s': no entry\n", norm);
		m->recognized |= before;
		return 0;
	}
	/* a pattern on the whole is less specific than an exact name of a
	 * part: "Lavandula Angustifolia (Lavender) Flower Oil" */
	trace(m, "    '%s': %s; trying its parts\n", norm,
	      only_patterns ? "only a pattern" : "no entry");
	size_t starts[16], ends[16];
	size_t ng = bracket_groups(s, n, starts, ends, 16);
	if (ng > 0) {
		/* the text outside brackets: "Butyrospermum Parkii Butter" */
		char *outer = ndl_arena_alloc(&m->cache_mem, n + 1);
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
		if (match_text(m, outer, ol, depth + 1))
			return -1;
		for (size_t g = 0; g < ng; g++)
			if (match_pieces(m, s + starts[g], ends[g] - starts[g],
					 depth + 1, ",;/\\"))
				return -1;
	} else if (memchr(s, '/', n) || memchr(s, '\\', n)) {
		/* "Aqua/Water/Eau"; some exports print "Water\\Aqua\\Eau" */
		if (match_pieces(m, s, n, depth + 1, "/\\"))
			return -1;
	}
	m->recognized |= before;
	return 0;
}

/* Optimal-string-alignment distance of a and b when it is at most 2,
 * else -1. */
static int within_two(const char *a, size_t an, const char *b, size_t bn)
{
	if (an > bn + 2 || bn > an + 2 || an > 62 || bn > 62)
		return -1;
	unsigned char d[64][64];
	for (size_t i = 0; i <= an; i++)
		d[i][0] = (unsigned char)(i > 3 ? 3 : i);
	for (size_t j = 0; j <= bn; j++)
		d[0][j] = (unsigned char)(j > 3 ? 3 : j);
	for (size_t i = 1; i <= an; i++) {
		unsigned char rowmin = 3;
		for (size_t j = 1; j <= bn; j++) {
			unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)(v > 3 ? 3 : v);
			if (d[i][j] < rowmin)
				rowmin = d[i][j];
		}
		if (rowmin > 2)
			return -1;
	}
	return d[an][bn] <= 2 ? d[an][bn] : -1;
}

/* Is b a misspelling of a (both normalised, with spaces)? The same words,
 * at most two edits in all, and no more than one edit per four letters
 * in any word: "retinoll", "ascorbic aicd" and "glycollic acid" are
 * typos; "folic acid" (for malic acid) and "carbon" (carvone) are other
 * words. Returns the number of edits, 0 if it is not a typo. */
static int is_typo(const char *a, const char *b)
{
	int total = 0;
	for (;;) {
		size_t la = strcspn(a, " "), lb = strcspn(b, " ");
		if (la != lb || memcmp(a, b, la) != 0) {
			int d = within_two(a, la, b, lb);
			if (d < 0)
				return 0;
			size_t shorter = la < lb ? la : lb;
			if (d > 1 && (size_t)d * 4 > shorter)
				return 0;
			if (d == 1 && shorter < 4)
				return 0;
			total += d;
		}
		a += la;
		b += lb;
		if (*a == '\0' || *b == '\0')
			return *a == *b && total > 0 && total <= 2 ? total : 0;
		a++, b++;
	}
}

/* The active entry with a name that text misspells ("Retinoll"). */
static uint32_t near_miss(ndl_matcher *m, const char *s, size_t n)
{
	size_t len;
	if (normalise_into(m, s, n, &len))
		return NDL_NO_NEAR;
	size_t letters = 0;
	for (size_t i = 0; i < len; i++)
		letters += m->norm[i] != ' ';
	if (letters < NEAR_MIN_LEN)
		return NDL_NO_NEAR;
	/* the closest name wins; on a tie an ordinary name, so "Benzonic
	 * Acid" is taken for benzoic acid, not benzilic acid */
	uint32_t best = NDL_NO_NEAR;
	int best_d = 3, ordinary_d = 3;
	unsigned words = word_count(m->norm);
	for (size_t i = 0; i < m->nnear; i++) {
		const near_name *nn = &m->near[i];
		if (nn->words != words || nn->len > len + 2 || len > nn->len + 2)
			continue;
		int d = is_typo(nn->key, m->norm);
		if (d == 0)
			continue;
		if (!m->near[i].active && d < ordinary_d)
			ordinary_d = d;
		else if (m->near[i].active && d < best_d) {
			best_d = d;
			best = m->near[i].entry;
		}
	}
	return best_d < ordinary_d ? best : NDL_NO_NEAR;
}

/* A list printed without separators ("Propylene Glycol Cyclopentasiloxane
 * Ascorbic Acid Glycerin …"): read it as the longest exact names, left to
 * right. It counts when names cover most of its words; their classes are
 * the text's. */
static int match_run_on(ndl_matcher *m, const char *text, size_t len)
{
	size_t nlen;
	if (normalise_into(m, text, len, &nlen))
		return -1;
	size_t starts[64], ends[64], nw = 0;
	for (size_t i = 0; i < nlen && nw < 64;) {
		while (i < nlen && m->norm[i] == ' ')
			i++;
		if (i == nlen)
			break;
		starts[nw] = i;
		while (i < nlen && m->norm[i] != ' ')
			i++;
		ends[nw++] = i;
	}
	if (nw < RUN_ON_MIN_WORDS || nw == 64)
		return 0;
	const ndl_lexicon *lex = m->lex;
	char *norm = ndl_arena_strndup(&m->cache_mem, m->norm, nlen);
	char key[512];
	size_t covered = 0, names = 0;
	uint32_t found[64];
	size_t at[64][2];
	for (size_t i = 0; i < nw;) {
		size_t j = i + RUN_ON_MAX_WORDS < nw ? i + RUN_ON_MAX_WORDS : nw;
		uint32_t p = 0;
		for (; j > i; j--) {
			size_t kl = 0;
			for (size_t w = i; w < j && kl + (ends[w] - starts[w]) < sizeof(key); w++) {
				memcpy(key + kl, norm + starts[w], ends[w] - starts[w]);
				kl += ends[w] - starts[w];
			}
			if ((p = ndl_index_find(&lex->names, key, kl)) != 0)
				break;
		}
		if (p == 0) {
			i++;
			continue;
		}
		found[names] = p;
		at[names][0] = starts[i];
		at[names][1] = ends[j - 1];
		names++;
		covered += j - i;
		i = j;
	}
	if (names < 2 || covered * 100 < nw * RUN_ON_COVER)
		return 0;
	trace(m, "    '%s': a list without separators: %zu names cover %zu of "
		 "%zu words\n", norm, names, covered, nw);
	for (size_t k = 0; k < names; k++) {
		norm[at[k][1]] = '\0';
		for (uint32_t p = found[k]; p; p = lex->names.post[p - 1].next)
			if (add_hit(m, lex->names.post[p - 1].value, norm + at[k][0], 0))
				return -1;
	}
	return 0;
}

static ndl_match *run(ndl_matcher *m, const char *text, size_t len)
{
	m->nhits = 0;
	m->rules = 0;
	m->recognized = 0;
	m->gave_up = NULL;
	if (match_text(m, text, len, 0))
		return NULL;
	int run_on = 0;
	if (!m->recognized) {
		if (match_run_on(m, text, len))
			return NULL;
		run_on = m->recognized;
	}
	ndl_match *r = ndl_arena_alloc(&m->cache_mem, sizeof(*r));
	ndl_hit *hits = ndl_arena_alloc(&m->cache_mem,
					(m->nhits ? m->nhits : 1) * sizeof(*hits));
	if (r == NULL || hits == NULL)
		return NULL;
	if (m->nhits)
		memcpy(hits, m->hits, m->nhits * sizeof(*hits));
	for (size_t i = 0; i < m->nhits; i++) {
		ndl_buf j = {0};
		ndl_buf_puts(&j, "{\"ingredient\":");
		ndl_json_string(&j, text, len);
		ndl_buf_puts(&j, ",\"matched\":");
		ndl_json_string(&j, hits[i].matched, strlen(hits[i].matched));
		ndl_buf_printf(&j, ",\"class\":\"%s",
			       m->lex->classes[m->lex->entries[hits[i].entry].cls].id);
		hits[i].json = ndl_arena_strndup(&m->cache_mem, ndl_buf_cstr(&j), j.len);
		hits[i].json_len = j.len;
		ndl_buf_free(&j);
		if (hits[i].json == NULL || j.failed)
			return NULL;
	}
	r->hits = hits;
	r->nhits = (uint32_t)m->nhits;
	r->rules = m->rules;
	r->recognized = m->recognized;
	r->gave_up = m->gave_up;
	r->near = r->recognized ? NDL_NO_NEAR : near_miss(m, text, len);
	r->run_on = run_on;
	return r;
}

const ndl_match *ndl_match_name(ndl_matcher *m, const char *text, size_t len)
{
	uint64_t h = ndl_hash(text, len);
	int old;
	ndl_match *r = ndl_cache_find(&m->cache, text, len, h, &old);
	if (r && !old)
		return r;
	/* found in the old generation: in use, so it moves to the young */
	r = r ? copy_match(&m->cache_mem, r) : run(m, text, len);
	if (r == NULL)
		return NULL;
	/* not kept when out of memory; valid until the next begin even so */
	ndl_cache_put(&m->cache, &m->cache_mem, text, len, h, r);
	return r;
}

void ndl_match_explain(ndl_matcher *m, const char *text, size_t len,
		       ndl_buf *out)
{
	m->trace = out;
	const ndl_match *r = run(m, text, len);
	m->trace = NULL;
	if (r == NULL) {
		ndl_buf_puts(out, "    out of memory\n");
		return;
	}
	if (!r->recognized && r->near != NDL_NO_NEAR)
		ndl_buf_printf(out, "    not recognised; close to '%s' (%s)\n",
			       m->lex->entries[r->near].name,
			       m->lex->classes[m->lex->entries[r->near].cls].id);
}

size_t ndl_match_vocabulary(ndl_matcher *m, size_t cls, const char *text,
			    size_t len)
{
	const ndl_lexicon *lex = m->lex;
	for (size_t i = 0; i < lex->npatterns; i++) {
		const ndl_pattern *p = &lex->patterns[i];
		if (lex->entries[p->entry].cls == cls &&
		    pattern_matches(m, p, text, len))
			return p->entry;
	}
	return (size_t)-1;
}

uint32_t ndl_match_kinds(ndl_matcher *m, const char *text, size_t len,
			 size_t where[][2])
{
	uint32_t kinds = 0;
	for (size_t j = 0; m->pattern_kind && j < m->lex->npatterns; j++) {
		unsigned k = m->pattern_kind[j];
		if (k == NDL_NO_KIND || (kinds >> k & 1) ||
		    !pattern_matches(m, &m->lex->patterns[j], text, len))
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		where[k][0] = ov[0];
		where[k][1] = ov[1];
		kinds |= (uint32_t)1 << k;
	}
	return kinds;
}
