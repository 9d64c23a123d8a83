/* The checker: one thread's working state for ndl_check (check.c), which
 * joins the stages: tokenizer → matcher → judge. */
#ifndef NDL_CHECK_H
#define NDL_CHECK_H

#include "core/judge.h"

struct ndl_checker {
	const ndl_lexicon *lex;
	ndl_matcher *matcher;
	ndl_tokenizer tok;
	ndl_judge *judge;
	ndl_arena mem; /* per product: the name, joined and split tokens */
	ndl_result result;
	unsigned long checks; /* products tokenized and matched */
};

#endif
