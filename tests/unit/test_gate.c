/* A pattern's gate never turns away a text the pattern matches: every
 * lexicon pattern on the benchmark's vocabulary (real label names) and
 * on the lexicon's own names and examples; and it turns many away. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "core/gate.h"
#include "helpers.h"

static unsigned long tried, passed, matched;

static void try_all(const char *s, size_t n)
{
	char norm[2048];
	size_t len = ndl_normalize(s, n, norm, sizeof(norm));
	pcre2_match_data *md = pcre2_match_data_create(lex->max_capture + 1, NULL);
	assert_non_null(md);
	for (size_t i = 0; i < lex->npatterns; i++) {
		const ndl_pattern *p = &lex->patterns[i];
		ndl_gate g = ndl_gate_of(p);
		int gate = ndl_gate_passes(&g, norm, len, ndl_gate_bytes(norm, len));
		int rc = pcre2_match(p->code, (PCRE2_SPTR)norm, len, 0, 0, md, NULL);
		tried++;
		passed += gate != 0;
		matched += rc >= 0;
		if (rc >= 0 && !gate)
			fail_msg("/%s/ matches '%s', its gate said no", p->src, norm);
	}
	pcre2_match_data_free(md);
}

static void test_gate_never_wrong(void **state)
{
	(void)state;
	each_vocabulary_piece(try_all);
	for (size_t e = 0; e < lex->nentries; e++) {
		const ndl_entry *en = ndl_entry_at(lex, e);
		for (size_t k = 0; k < en->nnames; k++)
			try_all(en->names[k], strlen(en->names[k]));
		for (size_t k = 0; k < en->nexamples; k++)
			try_all(en->examples[k], strlen(en->examples[k]));
	}
	print_message("gate: %lu texts × patterns, %lu passed the gate, %lu matched\n",
		      tried, passed, matched);
	assert_true(matched > 100); /* the examples match */
	assert_true(passed * 3 < tried * 2); /* a third run no pattern */
}

/* A text whose words, some of them in a row, pass a gate passes it
 * without its literal start: the matcher asks once for all of a piece's
 * words before trying its parts. */
static unsigned long wholes, turned_away;

static void try_parts(const char *s, size_t n)
{
	char norm[2048];
	size_t len = ndl_normalize(s, n, norm, sizeof(norm));
	size_t starts[64], nw = 0;
	for (size_t i = 0; i < len && nw < 64; i++)
		if (norm[i] != ' ' && (i == 0 || norm[i - 1] == ' '))
			starts[nw++] = i;
	for (size_t p = 0; p < lex->npatterns; p++) {
		ndl_gate g = ndl_gate_of(&lex->patterns[p]);
		int within = ndl_gate_may_pass_within(&g, norm, len, ndl_gate_bytes(norm, len));
		wholes++;
		turned_away += !within;
		for (size_t i = 0; i < nw && !within; i++)
			for (size_t j = i + 1; j <= nw; j++) {
				size_t end = j < nw ? starts[j] - 1 : len;
				if (ndl_gate_passes(&g, norm + starts[i], end - starts[i],
						    ndl_gate_bytes(norm + starts[i], end - starts[i])))
					fail_msg("/%s/: '%.*s' passes, '%s' not within",
						 lex->patterns[p].src, (int)(end - starts[i]),
						 norm + starts[i], norm);
			}
	}
}

static void test_gate_within_parts(void **state)
{
	(void)state;
	each_vocabulary_piece(try_parts);
	print_message("gate: %lu texts × patterns, %lu turned away whole\n", wholes,
		      turned_away);
	assert_true(turned_away * 2 > wholes);
}

/* The gates made with the program are the ones the lexicon gives now. */
static void test_builtin_gates(void **state)
{
	(void)state;
	assert_non_null(lex->image); /* the built-in lexicon */
	assert_int_equal(ndl_builtin_ngates, lex->npatterns);
	for (size_t i = 0; i < lex->npatterns; i++) {
		ndl_gate g = ndl_gate_of(&lex->patterns[i]);
		const ndl_gate *b = &ndl_builtin_gates[i];
		assert_int_equal(b->min_len, g.min_len);
		assert_true(b->need_bytes == g.need_bytes);
		assert_string_equal(b->prefix, g.prefix);
		assert_int_equal(b->prefix_len, g.prefix_len);
		assert_int_equal(b->nwords, g.nwords);
		for (unsigned k = 0; k < NDL_GATE_WORDS; k++) {
			assert_string_equal(b->words[k], g.words[k]);
			assert_int_equal(b->word_len[k], g.word_len[k]);
			assert_int_equal(b->anchor[k], g.anchor[k]);
			assert_true(b->word_bytes[k] == g.word_bytes[k]);
		}
	}
}

/* The literal start is the whole pattern's only when no alternative
 * stands beside it; a quantified last letter is not part of it. The
 * words a match needs are read through groups and alternatives, never
 * from what is optional, a lookaround or what the reading does not
 * know. */
static void test_gate_literal_start(void **state)
{
	(void)state;
	static const struct {
		const char *pattern, *text;
		int passes;
	} cases[] = {
		{"^retinyl [a-z]+ate$", "retinyl palmitate", 1},
		{"^retinyl [a-z]+ate$", "retinol", 0},
		{"^retinyl|palmitate", "palmitate", 1},
		{"^ab?c", "ac", 1},
		{"^ab*", "a", 1},
		{"^(?:ab)", "xy", 1},
		{"^a[|]b", "zzz", 0},
		/* words a match cannot do without */
		{"^(lavandula|mentha)( [a-z]+){0,6} oil$", "mentha piperita leaf extract", 1},
		{"^(lavandula|mentha|thymus|salvia|cedrus|pinus|abies|picea|ocimum)( [a-z]+){0,6} oil$", "mentha piperita oil", 1},
		{"^(lavandula|mentha|thymus|salvia|cedrus|pinus|abies|picea|ocimum)( [a-z]+){0,6} oil$", "mentha piperita leaf extract", 0},
		{"^(lavandula|mentha)( [a-z]+){0,6} oil$", "thymus oil", 0},
		{"^(red|yellow|blue|green|orange|violet) \\d{1,2}$", "violet 2", 1},
		{"^(red|yellow|blue|green|orange|violet) \\d{1,2}$", "aqua 2", 0},
		{"(essential oils?|huiles? essentielles?)", "huile essentielle de lavande", 1},
		{"(essential oils?|huiles? essentielles?)", "lavender water", 0},
		{"^(?:abc)?def", "xdef", 1},
		{"^(?:abc)?def", "abcxyzf", 0},
		{"ab{0,2}cde", "acde", 1},
		{"ab{0,2}cde", "abbcdxe", 0},
		{"abc+def", "abcccdef", 1},
		{"(?<=abc)def|ghij", "xdef", 1},
		{"(?<=abc)def|ghij", "xghi", 0},
		/* what it cannot read assumes nothing */
		{"^a(?=bcd)", "axyz", 1},
		{"^(?i)abcd", "xyzd", 1},
		{"x(abcd|e)y", "xqqy", 1},
		{"(one|two|three|four|five|six|seven|eight|nine)", "zzz", 1},
		{"\\x{61}bcd", "zzzd", 1},
		{"[]abc]def", "ghijf", 0},
		{"[[:alpha:]]bcd", "zzzzd", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int code;
		PCRE2_SIZE off;
		ndl_pattern p = {.src = cases[i].pattern};
		p.code = pcre2_compile((PCRE2_SPTR)p.src, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &off, NULL);
		assert_non_null(p.code);
		ndl_gate g = ndl_gate_of(&p);
		if (ndl_gate_passes(&g, cases[i].text, strlen(cases[i].text),
				    ndl_gate_bytes(cases[i].text, strlen(cases[i].text))) != cases[i].passes)
			fail_msg("/%s/ on '%s': the gate says %d", p.src, cases[i].text,
				 !cases[i].passes);
		pcre2_code_free(p.code);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_never_wrong),
		cmocka_unit_test(test_gate_within_parts),
		cmocka_unit_test(test_builtin_gates),
		cmocka_unit_test(test_gate_literal_start),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
