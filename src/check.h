/* The checker: one thread's working state for ndl_check (check.c), shared
 * with the rules stage (rules.c). */
#ifndef NDL_CHECK_H
#define NDL_CHECK_H

#include "lexicon.h"
#include "match.h"
#include "tokenize.h"

struct ndl_checker {
	const ndl_lexicon *lex;
	ndl_matcher *matcher;
	ndl_tokenizer tok;
	ndl_arena mem; /* per product: reasons, scratch */

	ndl_finding *findings;
	size_t nfindings, cap_findings;
	/* entry_seen[e] == product: entry e already has a finding in this
	 * product (a list printed twice counts once) */
	uint32_t *entry_seen;
	uint32_t product;
	ndl_span *unrec;
	size_t nunrec, cap_unrec;
	ndl_result result;

	size_t notlists; /* class indexes of the vocabularies, or -1 */
	size_t products;
	size_t makeup_kind; /* the "makeup" entry of products, or -1 */
	/* the reasons given past the 1 % line, kept for the next products
	 * with the same marker (a catalogue uses a handful of markers) */
	struct {
		char marker[96];
		char reason[200];
	} late[8];
	unsigned late_next;
};

/* The match of token i (set by ndl_check before the rules run). */
#define NDL_TOKEN_MATCH(chk, i) ((const ndl_match *)(chk)->tok.tok[i].match)

/* Products kinds named by the product name: bit k = k-th products entry
 * (see lexicon/products.txt). */
typedef struct ndl_product_info {
	int is_makeup;
} ndl_product_info;

/* Turns tokens and their matches into findings, verdict and
 * safe_from_day (rules.c). Returns -1 when out of memory. */
int ndl_apply_rules(ndl_checker *chk, const ndl_product_info *info);

#endif
