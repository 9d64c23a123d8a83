/* libFuzzer: the tokenizer on any bytes. Every token lies inside the
 * input, in order, and names something. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/tokenize.h"
#include "needlecheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ndl_tokenizer t;
	static ndl_arena a;
	static ndl_lexicon *lex; /* for its "may contain" and header phrases */
	if (lex == NULL) {
		ndl_error err;
		if ((lex = ndl_lexicon_open(NULL, &err)) == NULL)
			abort();
		t.markers = &lex->tables.may_contain;
		t.headers = &lex->tables.headers;
		t.sentence_words = lex->tables.sentence_words;
	}
	ndl_arena_reset(&a);
	if (ndl_tokenize(&t, (const char *)data, size, &a) != 0)
		return 0;
	for (size_t i = 0; i < t.ntok; i++) {
		const ndl_token *k = &t.tok[i];
		if (k->start > k->end || k->end > size || k->len == 0 ||
		    strlen(k->text) != k->len)
			abort();
	}
	return 0;
}
