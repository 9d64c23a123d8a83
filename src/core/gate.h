/* What a pattern needs of a text before it can match, read once from
 * the pattern: most names of a catalogue fail it, and run no pattern at
 * all. Never wrong: a text that fails it cannot match (the pattern's
 * own minimum length, its required byte, the literal start of an
 * anchored pattern, and words it cannot match without: " oil" in
 * "^(lavandula|...)( [a-z]+){0,6} oil$", one of "essential oil", "huile",
 * "aetherische" in "(essential oils?|huiles? ...|aetherische[sn]? ...)",
 * and the byte pairs a match starts with, at a word's start, when it
 * begins with a group of more alternatives than the words hold: "fo",
 * "co", "bl", … in "\b(foundation|concealer|blush|…)").
 * Texts are normalised (ndl_normalize: no capitals). */
#ifndef NDL_GATE_H
#define NDL_GATE_H

#include <stdio.h>

#include "knowledge/lexicon.h"

#define NDL_GATE_PREFIX 15
#define NDL_GATE_WORDS 8     /* alternatives of the words a text needs */
#define NDL_GATE_WORD_LEN 15
#define NDL_GATE_PAIRS (37 * 37) /* of the bytes a gate reads (ndl_gate_bytes) */

typedef struct ndl_gate {
	uint32_t min_len;  /* characters, so at least as many bytes */
	char prefix[NDL_GATE_PREFIX + 1]; /* the text starts with these
					     (either case) */
	unsigned prefix_len;
	/* the text holds at least one of these (none: no such need) */
	char words[NDL_GATE_WORDS][NDL_GATE_WORD_LEN + 1];
	unsigned char word_len[NDL_GATE_WORDS];
	unsigned char anchor[NDL_GATE_WORDS]; /* of each, its rarest byte */
	unsigned nwords;
	/* needs as sets of bytes (ndl_gate_bytes), so that a text's bytes,
	 * taken once, answer them for every gate: a byte the text must hold
	 * (either case; none: 0), and the bytes of each word (a text
	 * lacking one cannot hold the word) */
	uint64_t need_bytes;
	uint64_t word_bytes[NDL_GATE_WORDS];
	/* where a match starts, for a pattern that begins with a group of
	 * alternatives each of two literal bytes or more: NDL_START_WORD
	 * ("\b(foundation|concealer|…)": at a word's start, with "fo",
	 * "co", …) or NDL_START_TEXT ("^(none|n a|…)": at the text's),
	 * the pair of bytes a, b (numbered as in ndl_gate_bytes) at bit
	 * a * 37 + b; 0: not known */
	unsigned starts_at;
	uint64_t start_pairs[NDL_GATE_PAIRS / 64 + 1];
} ndl_gate;

enum { NDL_START_WORD = 1, NDL_START_TEXT = 2 };

ndl_gate ndl_gate_of(const ndl_pattern *p);

/* The gates of the built-in lexicon's patterns, made when the program is
 * built (ndl_gates_write_c): a protocol file changes windows, never
 * patterns. */
extern const ndl_gate ndl_builtin_gates[];
extern const size_t ndl_builtin_ngates;

/* Writes the gates of lex's patterns as C defining ndl_builtin_gates.
 * Returns -1 on a write error. */
int ndl_gates_write_c(const ndl_lexicon *lex, FILE *out);
/* Build tool: loads the embedded lexicon and writes its gates. */
int ndl_gates_generate(FILE *out);

/* The set of letters (either case), digits and spaces text holds: taken
 * once, it answers every gate's questions about single bytes. */
uint64_t ndl_gate_bytes(const char *text, size_t len);

/* Can p match text, whose bytes are ndl_gate_bytes(text, len)? 0:
 * certainly not. */
int ndl_gate_passes(const ndl_gate *g, const char *text, size_t len,
		    uint64_t bytes);
/* Can p match some part of text (a substring)? 0: certainly not, so a
 * text's parts need not be tried one by one. */
int ndl_gate_may_pass_within(const ndl_gate *g, const char *text, size_t len,
			     uint64_t bytes);

#endif
