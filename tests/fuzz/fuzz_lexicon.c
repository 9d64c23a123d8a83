/* libFuzzer: a lexicon class file from any bytes (fuzz_protocol.c reuses
 * this for protocol files): it loads, or fails with a message; never
 * crashes. When it loads, its self-test runs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"

#ifndef FUZZED_FILE
#define FUZZED_FILE "retinoid.txt"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open_with(NULL, FUZZED_FILE,
						 (const char *)data, size, &err);
	if (lex == NULL) {
		if (err.message[0] == '\0')
			abort(); /* an error must say what */
		return 0;
	}
	ndl_checker *chk = ndl_checker_new(lex);
	ndl_buf out = {0};
	size_t n;
	if (chk)
		ndl_lexicon_test(chk, &out, &n);
	ndl_buf_free(&out);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	return 0;
}
