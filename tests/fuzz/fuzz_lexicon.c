/* libFuzzer: a lexicon class file from any bytes (fuzz_protocol.c reuses
 * this for protocol files): it loads, or fails with a message; never
 * crashes. When it loads, its self-test runs and its list is written.
 *
 * Each input is loaded with only the few files it needs, not the whole
 * embedded lexicon (a full load takes some 40 ms under ASan): a class
 * file with products.txt (the product kinds) and a protocol giving a
 * window to each class it declares; a protocol with four classes of one
 * entry each, one for each kind of windows in the real protocol
 * (retinoid-like: avoid then caution; pore-clogging: caution; nsaid:
 * avoid; peptide: recommended), which its seeds name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "knowledge/lexicon.h"

#ifndef FUZZED_FILE
#define FUZZED_FILE "retinoid.txt"
#endif

#ifndef FUZZED_PROTOCOL
static ndl_embedded_file embedded(const char *name)
{
	for (size_t i = 0; i < ndl_embedded_count; i++)
		if (strcmp(ndl_embedded_files[i].name, name) == 0)
			return ndl_embedded_files[i];
	abort();
}

/* "class\t...\nX\t120\t168\tsafe\n" for each "class: X" line of s, read
 * as the loader reads it (blanks and a " # comment" around the value);
 * when the two disagree the load fails, which is a result too. */
static void protocol_for(const char *s, size_t n, ndl_buf *out)
{
	ndl_buf_puts(out, "class\tavoid_until_h\tcaution_until_h\tthen\n");
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n, a = i;
		while (a < end && (s[a] == ' ' || s[a] == '\t'))
			a++;
		if (end - a > 6 && memcmp(s + a, "class:", 6) == 0) {
			size_t v = a + 6, e;
			while (v < end && (s[v] == ' ' || s[v] == '\t'))
				v++;
			for (e = v; e < end; e++)
				if (s[e] == '#' && (s[e - 1] == ' ' || s[e - 1] == '\t') &&
				    (e + 1 == end || s[e + 1] == ' ' || s[e + 1] == '\t'))
					break;
			while (e > v && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
				e--;
			ndl_buf_append(out, s + v, e - v);
			ndl_buf_puts(out, "\t120\t168\tsafe\n");
		}
		i = end + 1;
	}
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ndl_error err = {0};
	ndl_embedded_file files[6];
	size_t n = 0;
	ndl_buf protocol = {0};
#ifdef FUZZED_PROTOCOL
#define CLASS(id, name) {id ".txt", "class: " id "\ntitle: " id "\nentry: " name \
			 "\nexample: " name "\n", sizeof("class: " id "\ntitle: " id \
			 "\nentry: " name "\nexample: " name "\n") - 1}
	static const ndl_embedded_file classes[] = {
		CLASS("retinoid-like", "Bakuchiol"), CLASS("pore-clogging", "Coconut Oil"),
		CLASS("nsaid", "Ibuprofen"), CLASS("peptide", "Matrixyl")};
#undef CLASS
	for (size_t i = 0; i < 4; i++)
		files[n++] = classes[i];
	files[n++] = (ndl_embedded_file){"protocol.tsv", (const char *)data, size};
#else
	files[n++] = embedded("products.txt");
	files[n++] = (ndl_embedded_file){FUZZED_FILE, (const char *)data, size};
	protocol_for((const char *)data, size, &protocol);
	files[n++] = (ndl_embedded_file){"protocol.tsv", protocol.data, protocol.len};
#endif
	/* PCRE2's JIT maps and unmaps memory for each pattern: not ours */
	ndl_lexicon *lex = ndl_lexicon_open_files(files, n, 1, &err);
	ndl_buf_free(&protocol);
	if (lex == NULL) {
		if (err.message[0] == '\0')
			abort(); /* an error must say what */
		return 0;
	}
	ndl_checker *chk = ndl_checker_new(lex);
	ndl_buf out = {0};
	size_t tests;
	if (chk)
		ndl_lexicon_test(chk, &out, &tests);
	ndl_lexicon_list(lex, &out);
	ndl_buf_free(&out);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	return 0;
}
