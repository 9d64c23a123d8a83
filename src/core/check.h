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

/* Does example x of entry e of a vocabulary read as a table (vocab.c)
 * show that entry at work? For `lexicon --test` (vocab_test.c). */
int ndl_table_example(ndl_checker *chk, size_t e, const char *x);

#endif
