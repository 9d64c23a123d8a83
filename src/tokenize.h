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

#include "util.h"

enum {
	NDL_TOK_MAY_CONTAIN = 1 << 0, /* after "may contain" / "+/-" */
	NDL_TOK_ACTIVE = 1 << 1,      /* in an "Active ingredients" section */
	NDL_TOK_NANO = 1 << 2,        /* carried a "(nano)" marker */
	NDL_TOK_BLEND = 1 << 3,       /* later part of an "(and)"/&/+ blend */
	NDL_TOK_HEADER = 1 << 4,      /* text before a ':' — a label? */
	NDL_TOK_FOOTNOTE = 1 << 5,    /* began with '*': a footnote? */
	NDL_TOK_PROSE = 1 << 6,       /* reads like a sentence */
	NDL_TOK_PREAMBLE = 1 << 7,    /* before an "Ingredients:" header */
	NDL_TOK_JOINED = 1 << 8       /* joined to the token before it: a
					 name split by a comma (check.c) */
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
} ndl_token;

typedef struct ndl_bracket_pair ndl_bracket_pair;

/* Reusable state; zero-initialise, release with ndl_tokenizer_free. */
typedef struct ndl_tokenizer {
	ndl_token *tok;
	size_t ntok, cap_tok;
	ndl_bracket_pair *pairs;
	size_t npairs, cap_pairs;
	size_t *stack;
	size_t cap_stack;
	int oom;
} ndl_tokenizer;

/* Splits s into t->tok (t->ntok tokens); cleaned texts go to arena a.
 * Returns 0, or -1 when out of memory. */
int ndl_tokenize(ndl_tokenizer *t, const char *s, size_t n, ndl_arena *a);
void ndl_tokenizer_free(ndl_tokenizer *t);

#endif
