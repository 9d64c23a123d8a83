/* libFuzzer: the protocol file from any bytes (see fuzz_lexicon.c). */
#define FUZZED_PROTOCOL
#include "fuzz_lexicon.c"
