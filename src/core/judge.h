/* The judge: a product's tokens and their matches → its findings, the
 * names nobody knows, and whether it is an ingredient list at all.
 *
 * The protocol gives each class its windows; the context rules of the
 * lexicon (lexicon/README.md, "Rules") change them for one product: the
 * place in the list, the product's kind (makeup, sunscreen, rinse-off),
 * what stands next to it. The judge is handed values (tokens, matches,
 * what the product's name says) and hands values back; it never sees the
 * checker. It keeps, between products, what makes it quick: the reasons
 * it wrote and which entries a product already has. */
#ifndef NDL_JUDGE_H
#define NDL_JUDGE_H

#include "core/match.h"
#include "core/tokenize.h"
#include "knowledge/lexicon.h"

/* The match of a token (set before the judge runs). */
#define NDL_TOKEN_MATCH(t) ((const ndl_match *)(t)->match)

/* What the product's name (and SPF field) say about it. The judge reads
 * its kinds from the name when a rule first asks: most products are
 * asked about three kinds of the ten (the caller sets known to 0). */
typedef struct ndl_product_info {
	const char *name;    /* the normalised name, for reasons; or NULL */
	size_t name_len;
	uint32_t known;      /* bit k: kind k has been read from the name */
	uint32_t kinds;      /* of those, bit k: the name is of kind k */
	size_t where[NDL_MAX_KINDS][2]; /* the words of name that said it */
	double spf;          /* from the SPF field, else the name; 0 none */
	int spf_from_name;
	int no_reasons;      /* the caller shows none: findings get NULL */
} ndl_product_info;

/* What the judge makes of one product; valid until its next product. */
typedef struct ndl_judgement {
	const char *error;   /* why it is no list (in full), or NULL */
	ndl_finding *findings;
	size_t nfindings;
	ndl_span *unrecognized;
	size_t nunrecognized;
	size_t ningredients;
	double safe_from_h;  /* the first hour every finding is safe */
} ndl_judgement;

typedef struct ndl_judge ndl_judge;

/* A judge for one thread; m is the thread's matcher, for the whole-text
 * vocabularies (placeholders, footnotes). NULL when out of memory. */
ndl_judge *ndl_judge_new(const ndl_lexicon *lex, ndl_matcher *m);
void ndl_judge_free(ndl_judge *j);

/* Is text, before any reading, no ingredient list: empty, binary data,
 * a placeholder such as "No Info"? The reason (valid until the next
 * call), or NULL. */
const char *ndl_judge_text(ndl_judge *j, const char *text, size_t len);

/* Is token t the text of a footnote ("*natural component of essential
 * oils", lexicon/footnotes.txt), no ingredient whatever a pattern says? */
int ndl_judge_footnote(ndl_judge *j, const ndl_token *t);

/* Judges the product of tokens tok[0, ntok) (their matches set;
 * truncated: the tokenizer stopped at NDL_MAX_INGREDIENTS). Findings come
 * in list order, without positions (their offsets are the caller's to
 * locate). Returns 0, or -1 when out of memory. */
int ndl_judge_product(ndl_judge *j, const ndl_token *tok, size_t ntok,
		      int truncated, ndl_product_info *info,
		      ndl_judgement *out);

#endif
