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

/* Texts made to put a pattern's start at and beside word starts: the
 * lexicon's own names and examples cut, joined and mixed with blanks,
 * underscores, hyphens, digits, capitals and other than ASCII, not
 * normalised; the gate passes each a pattern matches. */
static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static unsigned next_random(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33) % n;
}

static const char *some_name(void)
{
	for (;;) {
		const ndl_entry *e = ndl_entry_at(lex, next_random((unsigned)lex->nentries));
		if (e->nexamples && next_random(2))
			return e->examples[next_random((unsigned)e->nexamples)];
		if (e->nnames)
			return e->names[next_random((unsigned)e->nnames)];
	}
}

static void test_gate_starts_never_wrong(void **state)
{
	(void)state;
	static const char *const glue[] = {" ", "", "_", "-", "3", "\xc3\xa9", ", ", "  "};
	pcre2_match_data *md = pcre2_match_data_create(lex->max_capture + 1, NULL);
	assert_non_null(md);
	unsigned long checked = 0, turned_away = 0;
	for (int iter = 0; iter < 20000; iter++) {
		char text[512];
		size_t n = 0;
		for (unsigned k = 0, parts = 1 + next_random(3); k < parts; k++) {
			const char *name = some_name();
			size_t len = strlen(name), from = next_random(2) ? next_random((unsigned)len + 1) : 0;
			const char *g = glue[next_random(sizeof(glue) / sizeof(glue[0]))];
			if (n + strlen(g) + len - from + 1 > sizeof(text))
				break;
			memcpy(text + n, g, strlen(g));
			n += strlen(g);
			for (size_t i = from; i < len; i++) {
				char c = name[i];
				if (c >= 'a' && c <= 'z' && next_random(4) == 0)
					c = (char)(c - 32);
				text[n++] = c;
			}
		}
		/* as the matcher asks (normalised), and as it is: the words a
		 * gate needs are looked for in small letters only, the rest
		 * of it reads any text */
		char norm[2048];
		size_t nn = ndl_normalize(text, n, norm, sizeof(norm));
		for (size_t i = 0; i < lex->npatterns; i++) {
			const ndl_pattern *p = &lex->patterns[i];
			ndl_gate g = ndl_gate_of(p);
			if (!g.starts_at)
				continue;
			for (int raw = 0; raw < 2; raw++) {
				const char *t = raw ? text : norm;
				size_t tn = raw ? n : nn;
				if (raw)
					g.nwords = 0;
				int gate = ndl_gate_passes(&g, t, tn, ndl_gate_bytes(t, tn));
				int rc = pcre2_match(p->code, (PCRE2_SPTR)t, tn, 0, 0, md, NULL);
				checked++;
				turned_away += !gate;
				if (rc >= 0 && !gate)
					fail_msg("/%s/ matches '%.*s', its gate said no", p->src,
						 (int)tn, t);
			}
		}
	}
	pcre2_match_data_free(md);
	print_message("gate starts: %lu texts × patterns, %lu turned away\n", checked,
		      turned_away);
	assert_true(checked > 100000 && turned_away * 2 > checked);
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
		assert_int_equal(b->starts_at, g.starts_at);
		assert_memory_equal(b->start_pairs, g.start_pairs, sizeof(g.start_pairs));
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
		/* where a match starts: a pair a word (or the text)
		 * starts with; letters of either case are one, and a text
		 * of other than ASCII where a match may start passes */
		{"^(?:ab)", "xy", 0},
		{"\\b(foundation|concealer|kohl)\\b", "liquid foundation", 1},
		{"\\b(foundation|concealer|kohl)\\b", "liquidfoundation", 0},
		{"\\b(ab|cd)", "x ab", 1},
		{"\\b(ab|cd)", "AB", 1},
		{"\\b(ab|cd)", "xab", 0},
		{"\\b(ab|cd)", "x_ab", 0},
		{"\\b(ab|cd)", "x-ab", 1},
		{"\\b(ab|cd)", "ba dc", 0},
		{"\\b(ab|cd)", "\xc3\xa9" "ab", 1},
		{"\\b(ab|cd)", "a\xc3\xa9", 1},
		{"\\b(ab|ko)", "\xe2\x84\xaa" "o", 1}, /* Kelvin sign */
		{"\\b(st|cd)", "\xc5\xbf" "t", 1},      /* long s */
		{"\\b(ab?|cd)", "a x", 1},
		{"\\b(spf ?\\d+|sun screen|uv defen[cs]e)\\b", "day cream spf30", 1},
		{"\\b(spf ?\\d+|sun screen|uv defen[cs]e)\\b", "uv defense", 1},
		{"\\b(spf ?\\d+|sun screen|uv defen[cs]e)\\b", "day cream", 0},
		{"^(n a|na|none|nil)$", "n a", 1},
		{"^(n a|na|none|nil)$", "banana", 0},
		{"\\b(ab|cd)?xyz", "qxyz", 1},
		{"\\b(ab|c)xyz", "zcxyz", 1},
		{"\\b(a?b|cd)xyz", "bxyz", 1},
		{"\\b(ab|cd)xyz|q", "q", 1},
		{"\\b( a|cd)xyz", "b axyz", 1},
		/* what it cannot read assumes nothing: quoting, comments
		 * and inline options between an item and its quantifier or
		 * changing how the rest reads, and classes holding "[:" or
		 * a quoted "]" */
		{"\\b(ab(?x)|c d)", "cd", 1},
		{"\\b(ab(?x)|cd ?)", "c", 1},
		{"\\b(ab(?#c)?)", "a", 1},
		{"\\b(ab\\Q\\E?)", "a", 1},
		{"\\b(ab\\E?)", "a", 1},
		{"\\b(ab|cd)(?#c)?x", "x", 1},
		{"\\b(?:ab|cd)(?#x)?", "zz", 1},
		{"\\b(ab|cd)\\Q\\E*x", "x", 1},
		{"\\b(ab[\\Q]\\E)(]|cd)", "cd", 1},
		{"\\b(ab)[\\Q]\\E(]|cd", "cd", 1},
		{"\\b(ab)[[:alpha:](]|cd", "cd", 1},
		{"^ab(?#c)?", "a", 1},
		{"^ab\\Q\\E?", "a", 1},
		{"^ab[[:alpha:](]|cd", "cd", 1},
		{"^(?i)abcd", "ABCD", 1},
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
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(p.code, NULL);
		assert_non_null(md);
		if (pcre2_match(p.code, (PCRE2_SPTR)cases[i].text, strlen(cases[i].text), 0,
				0, md, NULL) >= 0 && !cases[i].passes)
			fail_msg("/%s/ matches '%s': the case is wrong", p.src, cases[i].text);
		pcre2_match_data_free(md);
		pcre2_code_free(p.code);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_never_wrong),
		cmocka_unit_test(test_gate_within_parts),
		cmocka_unit_test(test_gate_starts_never_wrong),
		cmocka_unit_test(test_builtin_gates),
		cmocka_unit_test(test_gate_literal_start),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
