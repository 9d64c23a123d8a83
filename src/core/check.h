/* The checker: one thread's working state for ndl_check (check.c), shared
 * with the rules stage (rules.c). */
#ifndef NDL_CHECK_H
#define NDL_CHECK_H

#include "knowledge/lexicon.h"
#include "core/match.h"
#include "core/tokenize.h"

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
	unsigned long checks; /* products tokenized and matched */

	size_t notlists; /* class indexes of the vocabularies, or -1 */
	size_t footnotes;
	size_t products;
	/* product kinds the rules judge from ingredients too, or NDL_NO_KIND */
	unsigned makeup_kind, tinted_kind, sunscreen_kind, rinse_off_kind,
		 skincare_kind;
	double healing_h; /* the longest window of the protocol */
	/* "listed after Phenoxyethanol, below the 1% line…": the same few
	 * reasons come back product after product, so they are kept */
	struct {
		int kind;
		const char *trace; /* the entry's note (lexicon memory) */
		char marker[96];
		char text[300];
		uint32_t product; /* last product that used it */
	} trace_reasons[256]; /* direct-mapped by kind, marker and note */
};

/* The match of token i (set by ndl_check before the rules run). */
#define NDL_TOKEN_MATCH(chk, i) ((const ndl_match *)(chk)->tok.tok[i].match)

/* What the product's name (and SPF field) say about it. */
typedef struct ndl_product_info {
	uint32_t kinds;      /* bit k: the name is of products.txt kind k */
	const char *name;    /* the normalised name, for reasons */
	size_t where[NDL_MAX_KINDS][2]; /* the words of name that said it */
	double spf;          /* from the SPF field, else the name; 0 none */
	int spf_from_name;
} ndl_product_info;

/* Turns tokens and their matches into findings, verdict and
 * safe_from_day (rules.c). Returns -1 when out of memory. */
int ndl_apply_rules(ndl_checker *chk, const ndl_product_info *info);

#endif
