/* Tokenizer: label text → ingredients, each with its place in the text.
 *
 * It knows label shapes (separators, brackets, sections, percentages,
 * footnotes, "may contain" lists) but no ingredient names. Where only the
 * lexicon can tell whether a piece is an ingredient (a "Serum:" label, a
 * "*organic" footnote, a sentence), the token is marked tentative and the
 * matcher keeps it only if it recognises the name.
 */
#ifndef NDL_TOKENIZE_H
#define NDL_TOKENIZE_H

#include <stddef.h>

#include "base/cache.h"
#include "base/util.h"
#include "knowledge/lexicon.h"

enum {
	NDL_TOK_MAY_CONTAIN = 1 << 0, /* after "may contain" / "+/-" */
	NDL_TOK_ACTIVE = 1 << 1,      /* in an "Active ingredients" section */
	NDL_TOK_NANO = 1 << 2,        /* carried a "(nano)" marker */
	NDL_TOK_BLEND = 1 << 3,       /* later part of an "(and)"/&/+ blend */
	NDL_TOK_HEADER = 1 << 4,      /* text before a ':' — a label? */
	NDL_TOK_FOOTNOTE = 1 << 5,    /* began with '*': a footnote? */
	NDL_TOK_PROSE = 1 << 6,       /* reads like a sentence */
	NDL_TOK_PREAMBLE = 1 << 7,    /* before an "Ingredients:" header */
	NDL_TOK_JOINED = 1 << 8,      /* joined to the token before it: a
					 name split by a comma (check.c) */
	NDL_TOK_DROPPED = 1 << 9      /* a footnote's text (check.c) */
};

/* Dropped unless the matcher recognises the name. */
#define NDL_TOK_TENTATIVE \
	(NDL_TOK_HEADER | NDL_TOK_FOOTNOTE | NDL_TOK_PROSE | NDL_TOK_PREAMBLE)

typedef struct ndl_token {
	size_t start, end; /* bytes of the source text it came from */
	const char *text;  /* cleaned: no figures, marks, markers; spaces
			      collapsed; NUL-terminated, in the arena */
	size_t len;
	double pct;        /* a printed percentage, or -1 */
	unsigned flags;    /* NDL_TOK_* */
	/* What the caller learnt about this token's text last time it saw
	 * the same segment (the matcher's result), and where to remember it
	 * for next time (NULL when the segment is not cached). */
	const void *match;
	const void **memo;
} ndl_token;

/* Ingredients read from one product at most; a longer text is not a
 * label, and checking stops there (the product says so). */
#define NDL_MAX_INGREDIENTS 100000

/* Brackets paired in one product at most (a label holds a few dozen):
 * this bounds the pairing's memory as NDL_MAX_INGREDIENTS bounds the
 * tokens'. A text with more is truncated as a long one is. */
#define NDL_MAX_BRACKETS 100000

typedef struct ndl_bracket_pair ndl_bracket_pair;
typedef struct ndl_segment ndl_segment;

/* A segment up to a comma, found and hashed before the scan reaches
 * it: the scan at from finds it at [a, b). */
typedef struct ndl_hashed_span {
	size_t from, a, b;
	uint64_t hash;
} ndl_hashed_span;

/* Reusable state; zero-initialise, set markers, release with
 * ndl_tokenizer_free.
 *
 * Catalogues repeat the same few thousand segments ("Water", "Parfum
 * (Fragrance)") millions of times, so the tokens of each plain segment
 * are kept, keyed by its bytes, and reused: a segment seen before costs
 * a hash and a compare (the first 64 of a list are found, hashed and
 * fetched from memory together, before the scan: hash_ahead). */
typedef struct ndl_tokenizer {
	/* the worded "may contain" markers (may-contain.txt), or NULL: the
	 * signs ("+/-", "±") only */
	const ndl_phrases *markers;
	/* the header phrases (headers.txt), or NULL: none */
	const ndl_headers *headers;
	/* the small words of sentences (sentence-words.txt), lower case,
	 * NULL-terminated, or NULL: none (only a very long run of words is
	 * then read as a sentence) */
	const char *const *sentence_words;
	/* made from them when first needed: bit n of sentence_lengths[c]
	 * is set when a word of n bytes begins with letter 'a' + c;
	 * sentence_built -1: a word of another shape, not used */
	uint64_t sentence_lengths[26];
	int sentence_built;
	/* what a header standing alone on its line may end in, made from
	 * headers when first needed: the last four bytes of each phrase of
	 * the list (ingredients and active), each byte | 0x20; those bytes'
	 * last (and ' ', '.', ':', which may follow a header); lone_any:
	 * more ends than room, every line that ends so is looked at */
	uint32_t lone_ends[32];
	size_t nlone_ends;
	unsigned char lone_last[256];
	int lone_built, lone_any;
	ndl_token *tok;
	size_t ntok, cap_tok;
	const char *s; /* the text being tokenized */
	size_t n;
	int strict;    /* brackets are unbalanced: pair them first */
	int paired;
	ndl_bracket_pair *pairs;
	size_t npairs, cap_pairs;
	size_t *stack;
	size_t cap_stack;
	ndl_cache cache;     /* segments by their bytes */
	ndl_arena cache_mem; /* its young generation's keys and tokens */
	unsigned epoch;      /* of the memos: ndl_tokenizer_forget */
	ndl_hashed_span ahead[64]; /* the text's first segments, in order */
	size_t nahead, next_ahead;
	int oom;
	int truncated; /* stopped at NDL_MAX_INGREDIENTS or NDL_MAX_BRACKETS */
} ndl_tokenizer;

/* Splits s into t->tok (t->ntok tokens); cleaned texts go to arena a.
 * Returns 0, or -1 when out of memory. */
int ndl_tokenize(ndl_tokenizer *t, const char *s, size_t n, ndl_arena *a);

/* Forgets every remembered match (the caller's results they point to
 * are gone); the segments stay. */
void ndl_tokenizer_forget(ndl_tokenizer *t);
void ndl_tokenizer_free(ndl_tokenizer *t);

#endif
