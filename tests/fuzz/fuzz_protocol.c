/* libFuzzer: the protocol file from any bytes (see fuzz_lexicon.c). */
#define FUZZED_FILE "protocol.tsv"
#include "fuzz_lexicon.c"
