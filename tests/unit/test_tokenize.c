/* Tokenizer: one case per label shape. Each case is an input and the
 * tokens expected, joined by " | ", each followed by its flags:
 * {may} may-contain list, {act} Drug Facts active, {nano}, {blend},
 * {hdr} text before a ':', {foot} began with '*', {prose}, {pre} before an
 * "Ingredients:" header, {pct=N} a printed percentage. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/tokenize.h"
#include "helpers.h"

typedef struct tcase {
	const char *in;
	const char *want;
} tcase;

static const tcase cases[] = {
	/* separators */
	{"Aqua, Glycerin, Retinol", "Aqua | Glycerin | Retinol"},
	{"Aqua; Glycerin; Retinol", "Aqua | Glycerin | Retinol"},
	{"Aqua \xe2\x80\xa2 Glycerin \xe2\x80\xa2 Retinol", "Aqua | Glycerin | Retinol"},
	{"Aqua \xc2\xb7 Glycerin \xc2\xb7 Retinol", "Aqua | Glycerin | Retinol"},
	{"Aqua | Glycerin | Retinol", "Aqua | Glycerin | Retinol"},
	{"Aqua\nGlycerin\r\nRetinol\n", "Aqua | Glycerin | Retinol"},
	{"\xe6\xb0\xb4\xef\xbc\x8c\xe7\x94\x98\xe6\xb2\xb9\xef\xbc\x8c\xe8\x8f\x9c",
	 "\xe6\xb0\xb4 | \xe7\x94\x98\xe6\xb2\xb9 | \xe8\x8f\x9c"}, /* ， */
	{"Water\xe3\x80\x81Glycerin\xe3\x80\x81" "Butylene Glycol", "Water | Glycerin | Butylene Glycol"}, /* 、 */
	{"Water\xef\xbc\x9bGlycerin", "Water | Glycerin"}, /* ； */
	{"Water,Butylene Glycol,Glycerin", "Water | Butylene Glycol | Glycerin"},
	{"Water , Glycerin , Niacinamide", "Water | Glycerin | Niacinamide"},
	{"Water,, Glycerin,", "Water | Glycerin"},
	{"Water. Glycerin. Linalool.", "Water | Glycerin | Linalool"},
	{"Water\tGlycerin", "Water Glycerin"},
	/* scraped bullets, empty brackets, a list's own dash */
	{"[]Aqua []Retinol []Glycerin, Water", "Aqua | Retinol | Glycerin | Water"},
	{"\xe2\x96\xaa Aqua \xe2\x96\xaa Retinol", "Aqua | Retinol"}, /* ▪ */
	{"Aqua () Retinol", "Aqua | Retinol"},
	{"Aqua - Glycerin - Retinol, Water", "Aqua | Glycerin | Retinol | Water"},
	{"Aqua \xe2\x80\x93 Glycerin \xe2\x80\x93 Retinol", "Aqua | Glycerin | Retinol"}, /* – */
	{"Water, Biosaccharide Gum - 1, Glycerin", "Water | Biosaccharide Gum - 1 | Glycerin"},
	{"Hedera Helix Extract - Ivy Extract, Water", "Hedera Helix Extract - Ivy Extract | Water"},
	{"Aqua - Glycerin - 1, Water", "Aqua - Glycerin - 1 | Water"},
	/* brackets keep their commas */
	{"Water (Aqua, Eau), Glycerin", "Water (Aqua, Eau) | Glycerin"},
	{"Iron Oxides (CI 77491, CI 77492), Mica", "Iron Oxides (CI 77491, CI 77492) | Mica"},
	{"Fragrance [Parfum], Water", "Fragrance [Parfum] | Water"},
	{"Sigesbeckia Orientalis (St. Paul's Wort) Extract, Water",
	 "Sigesbeckia Orientalis (St. Paul's Wort) Extract | Water"},
	{"Water \xef\xbc\x88" "Aqua\xef\xbc\x8c" "Eau\xef\xbc\x89, Glycerin",
	 "Water \xef\xbc\x88" "Aqua\xef\xbc\x8c" "Eau\xef\xbc\x89 | Glycerin"}, /* （，） */
	{"Water ((Aqua)), Glycerin", "Water ((Aqua)) | Glycerin"},
	{"Mica (CI 77019, Glycerin, Water", "Mica (CI 77019 | Glycerin | Water"},
	{"Water), Glycerin", "Water | Glycerin"},
	/* chemical names */
	{"Water, 1,2-Hexanediol, Glycerin", "Water | 1,2-Hexanediol | Glycerin"},
	{"1,3-Propanediol, Water", "1,3-Propanediol | Water"},
	{"2-Bromo-2-Nitropropane-1,3-Diol, Water", "2-Bromo-2-Nitropropane-1,3-Diol | Water"},
	{"C12-15 Alkyl Benzoate, PEG-100 Stearate", "C12-15 Alkyl Benzoate | PEG-100 Stearate"},
	{"Caprylic/Capric Triglyceride, Aqua/Water/Eau", "Caprylic/Capric Triglyceride | Aqua/Water/Eau"},
	/* preambles and headers */
	{"Ingredients: Water, Glycerin", "Water | Glycerin"},
	{"INCI: Aqua, Glycerin", "Aqua | Glycerin"},
	{"INGREDIENTS/INGR\xc3\x89" "DIENTS: Aqua/Water/Eau, Glycerin", "Aqua/Water/Eau | Glycerin"},
	{"Inhaltsstoffe: Aqua, Glycerin", "Aqua | Glycerin"},
	{"Ingredientes: Aqua, Glicerina", "Aqua | Glicerina"},
	{"\xe6\x88\x90\xe5\x88\x86\xef\xbc\x9a" "Water, Glycerin", "Water | Glycerin"}, /* 成分： */
	{"INGREDIENTS\nWater, Glycerin", "Water | Glycerin"},
	{"Retinol Youth Renewal Serum: Water, Retinol",
	 "Retinol Youth Renewal Serum{hdr} | Water | Retinol"},
	{"Night Cream. Ingredients: Water, Glycerin", "Night Cream{pre} | Water | Glycerin"},
	/* US Drug Facts */
	{"Active Ingredients: Avobenzone 3%, Octisalate 5% Inactive Ingredients: Water, Glycerin",
	 "Avobenzone{act}{pct=3} | Octisalate{act}{pct=5} | Water | Glycerin"},
	{"Active Ingredients: Avobenzone 3%, Octisalate 5%. Inactive Ingredients: Water, Glycerin",
	 "Avobenzone{act}{pct=3} | Octisalate{act}{pct=5} | Water | Glycerin"},
	{"Active Ingredient: Salicylic Acid 2% Purpose: Acne Treatment Inactive Ingredients: Water",
	 "Salicylic Acid{act}{pct=2} | Acne Treatment{act}{prose} | Water"},
	{"Octinoxate 7.5%, Titanium Dioxide 2%, Zinc Oxide 17.1%, Water",
	 "Octinoxate{pct=7.5} | Titanium Dioxide{pct=2} | Zinc Oxide{pct=17.1} | Water"},
	{"Octocrylene 5.0%Water, Butylene Glycol", "Octocrylene{pct=5} | Water | Butylene Glycol"},
	{"Res Lift Firm/Sclp Face Nc Spf15 Division: El (Estee Lauder)Active Ingredients: "
	 "Avobenzone 3.00% , Octocrylene 2.70%Ingredients: Water , Glycerin",
	 "Res Lift Firm/Sclp Face Nc Spf15 Division{hdr}{pre} | El (Estee Lauder){hdr}{pre} | "
	 "Avobenzone{act}{pct=3} | Octocrylene{act}{pct=2.7} | Water | Glycerin"},
	/* percentages and figures */
	{"Salicylic Acid 2%, Water", "Salicylic Acid{pct=2} | Water"},
	{"Petrolatum (56.8%), Paraffinum Liquidum", "Petrolatum{pct=56.8} | Paraffinum Liquidum"},
	{"100% Dead Sea Salt.", "Dead Sea Salt{pct=100}"},
	{"Benzoyl Peroxide 2,5%, Water", "Benzoyl Peroxide{pct=2.5} | Water"},
	/* footnotes and trailers */
	{"Aloe Barbadensis Leaf Juice*, Glycerin**, Water\xe2\x80\xa0",
	 "Aloe Barbadensis Leaf Juice | Glycerin | Water"},
	{"Glycerin\xc2\xb9, Water\xc2\xb2", "Glycerin | Water"},
	{"Water, Glycerin. *Organic", "Water | Glycerin | Organic{foot}"},
	{"Water, Phenoxyethanol *natural component of essential oils",
	 "Water | Phenoxyethanol | natural component of essential oils{foot}{prose}"},
	{"Water, Linalool*, Glycerin", "Water | Linalool | Glycerin"},
	{"Water, Glycerin, *Certified organic ingredients", "Water | Glycerin | Certified organic ingredients{foot}"},
	{"Water, Glycerin. Please be aware that ingredient lists may change or vary from time to time.",
	 "Water | Glycerin | Please be aware that ingredient lists may change or vary from time to time{prose}"},
	{"Water, Glycerin <ILN38467>", "Water | Glycerin"},
	{"Argania Spinosa Kernel Oil*. *Organic. **Natural.",
	 "Argania Spinosa Kernel Oil | Organic{foot} | Natural{foot}"},
	{"-Vitamin K3 (menadione): Comfortably restores skin",
	 "Vitamin K3 (menadione){hdr}{prose} | Comfortably restores skin"},
	{"Visit the Tatcha boutique", "Visit the Tatcha boutique{prose}"},
	/* key-ingredient bullets after a full stop; an active's purpose */
	{"-Retinol: renews skin. -Niacinamide: calms it.",
	 "Retinol{hdr}{prose} | renews skin | Niacinamide{hdr}{prose} | calms it"},
	{"-Titanium Dioxide 3.55%: Sunscreen. -Octinoxate 3.74%: Sunscreen.",
	 "Titanium Dioxide{hdr}{prose}{pct=3.55} | Sunscreen{prose} | "
	 "Octinoxate{hdr}{prose}{pct=3.74} | Sunscreen{prose}"},
	{"Water. -Glycerin", "Water | Glycerin{prose}"},
	/* may contain */
	{"Water, Phenoxyethanol. May Contain: Iron Oxides (Ci 77492, Ci 77491).",
	 "Water | Phenoxyethanol | Iron Oxides (Ci 77492, Ci 77491){may}"},
	{"Water, Mica, [+/- May Contain: Ci 77491, Ci 77492, Iron Oxides]",
	 "Water | Mica | Ci 77491{may} | Ci 77492{may} | Iron Oxides{may}"},
	{"Water, Phenoxyethanol. [+/-: Mica (Ci 77019), Iron Oxides (Ci 77492)].",
	 "Water | Phenoxyethanol | Mica (Ci 77019){may} | Iron Oxides (Ci 77492){may}"},
	{"Water, Phenoxyethanol. May Contain (+/-): Titanium Dioxide (Ci 77891), Zinc Oxide",
	 "Water | Phenoxyethanol | Titanium Dioxide (Ci 77891){may} | Zinc Oxide{may}"},
	{"Water, Tin Oxide, (+/-):Titanium Dioxide (Ci 77891), Iron Oxides",
	 "Water | Tin Oxide | Titanium Dioxide (Ci 77891){may} | Iron Oxides{may}"},
	{"Water, Aluminum Hydroxide, May Contain, Titanium Dioxide, Mica.",
	 "Water | Aluminum Hydroxide | Titanium Dioxide{may} | Mica{may}"},
	{"Water, Bht, [May Contain/Peut Contenir/+/-:Titanium Dioxide (Ci 77891), Iron Oxides (Ci 77491, Ci 77492)].",
	 "Water | Bht | Titanium Dioxide (Ci 77891){may} | Iron Oxides (Ci 77491, Ci 77492){may}"},
	{"Cocos (Coconut) Nucifera Oil +/- \xc2\xa0Hydrogenated Polydecene, Mica",
	 "Cocos (Coconut) Nucifera Oil | Hydrogenated Polydecene{may} | Mica{may}"},
	{"Water, Zinc Chloride, May Contain(+/): Mica,Titanium Dioxide",
	 "Water | Zinc Chloride | Mica{may} | Titanium Dioxide{may}"},
	{"Water, Ceramide 3, May contain Iron Oxides (CI 77492, 77491, 77499).",
	 "Water | Ceramide 3 | Iron Oxides (CI 77492, 77491, 77499){may}"},
	{"Water, Oil, [+/- (May Contain): Titanium Dioxide (CI 77891), Mica]",
	 "Water | Oil | Titanium Dioxide (CI 77891){may} | Mica{may}"},
	{"Water, Parfum. \xc2\xb1 CI 77891", "Water | Parfum | CI 77891{may}"},
	/* inside a "[+/- …]" group a "(+/- …)" is a plain bracket; out of
	 * one it is a marker: the same segment, other tokens */
	{"Aqua, [+/- Mica, Nylon (+/- CI 77891) Talc], Water",
	 "Aqua | Mica{may} | Nylon (+/- CI 77891) Talc{may} | Water{may}"},
	{"Aqua, Nylon (+/- CI 77891) Talc, Water",
	 "Aqua | Nylon | CI 77891{may} | Talc{may} | Water{may}"},
	/* synonyms, blends, markers */
	{"Aqua (Water), Parfum (Fragrance)", "Aqua (Water) | Parfum (Fragrance)"},
	{"Dimethyl Isosorbide (and) Hydroxypinacolone Retinoate, Water",
	 "Dimethyl Isosorbide | Hydroxypinacolone Retinoate{blend} | Water"},
	{"Gluconolactone & Sodium Benzoate, Water", "Gluconolactone | Sodium Benzoate{blend} | Water"},
	{"Glycerin + Water, Mica", "Glycerin | Water{blend} | Mica"},
	/* a blend's first part lost: the same tokens first in the text
	 * as after a comma, with a space or without */
	{"& Retinol, Water", "Retinol{blend} | Water"},
	{"Water, & Retinol", "Water | Retinol{blend}"},
	{"Water,+ Retinol", "Water | Retinol{blend}"},
	{"Titanium Dioxide (nano), Zinc Oxide [nano]", "Titanium Dioxide{nano} | Zinc Oxide{nano}"},
	/* spacing and OCR damage */
	{"Simmondsia\xc2\xa0" "Chinensis  Seed\t Oil, Water", "Simmondsia Chinensis Seed Oil | Water"},
	{"Penty- lene Glycol, Water", "Penty- lene Glycol | Water"},
	{"Water, Penty-\nlene Glycol", "Water | Penty- lene Glycol"},
	{"Cl 77891, Water", "Cl 77891 | Water"},
	{"WATER, GLYCERIN, RETINOL", "WATER | GLYCERIN | RETINOL"},
	{"Water\xe3\x80\x80, Glycerin", "Water | Glycerin"}, /* ideographic space */
	/* Python-list cells */
	{"['Water, Glycerin, Citric Acid.']", "Water | Glycerin | Citric Acid"},
	{"['Water', 'Glycerin', 'Citric Acid']", "Water | Glycerin | Citric Acid"},
	{"['Milk Oil: Helps melt makeup', 'Water / Aqua / Eau, Glycerin']",
	 "Milk Oil{hdr} | Helps melt makeup | Water / Aqua / Eau | Glycerin"},
	/* control bytes are blanks: no token holds one (found by fuzzing) */
	{"W\0\0\0ater\xef\xbc\x8c 1,2-Hexanediol", "W ater | 1,2-Hexanediol"},
	{"Glyc\x01" "erin,\x1b[31mRed Oil\x7f", "Glyc erin | [31mRed Oil"},
	/* an opening bracket at the very end (found by fuzzing) */
	{"Aa,q[", "Aa | q"},
	{"\"Glycolic Acid\" (10%), Water", "Glycolic Acid{pct=10} | Water"},
	/* nothing */
	{"", ""},
	{"   \n\t ", ""},
	{",;,", ""},
};

_Static_assert(sizeof(cases) / sizeof(cases[0]) >= 60,
	       "the tokenizer is tested on at least 60 label shapes");

static void render(const ndl_tokenizer *t, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < t->ntok; i++) {
		const ndl_token *k = &t->tok[i];
		n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " | " : "", k->text);
		static const struct {
			unsigned flag;
			const char *name;
		} fl[] = {{NDL_TOK_HEADER, "hdr"}, {NDL_TOK_PREAMBLE, "pre"},
			  {NDL_TOK_ACTIVE, "act"}, {NDL_TOK_MAY_CONTAIN, "may"},
			  {NDL_TOK_NANO, "nano"}, {NDL_TOK_BLEND, "blend"},
			  {NDL_TOK_FOOTNOTE, "foot"}, {NDL_TOK_PROSE, "prose"}};
		for (size_t f = 0; f < sizeof(fl) / sizeof(fl[0]); f++)
			if (k->flags & fl[f].flag)
				n += (size_t)snprintf(out + n, cap - n, "{%s}", fl[f].name);
		if (k->pct >= 0)
			n += (size_t)snprintf(out + n, cap - n, "{pct=%g}", k->pct);
	}
}

static void test_cases(void **state)
{
	(void)state;
	/* "May contain", its translations and the headers are the
	 * lexicon's */
	ndl_tokenizer t = {.markers = &lex->tables.may_contain,
			   .headers = &lex->tables.headers,
			   .sentence_words = lex->tables.sentence_words};
	ndl_arena a = {0};
	char got[4096];
	size_t failed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ndl_arena_reset(&a);
		size_t n = strlen(cases[i].in);
		if (cases[i].in[0] == 'W' && cases[i].in[1] == '\0')
			n = 4 + strlen(cases[i].in + 4); /* the case with NUL bytes */
		assert_int_equal(ndl_tokenize(&t, cases[i].in, n, &a), 0);
		render(&t, got, sizeof(got));
		if (strcmp(got, cases[i].want) != 0) {
			print_error("case %zu: %s\n  want: %s\n  got:  %s\n", i,
				    cases[i].in, cases[i].want, got);
			failed++;
		}
	}
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
	assert_int_equal(failed, 0);
}

/* A text's tokens are the same from a tokenizer that never saw a text
 * as from one that saw them all, its segments cached in other places
 * (first in a text, after a space, after a comma): a segment's tokens
 * are cached by its bytes, so they must depend on nothing else. */
static void test_cache_blind(void **state)
{
	(void)state;
	static const char *const before[] = {"", " ", "Aqua, ", "Aqua,"};
	ndl_tokenizer warm = {.markers = &lex->tables.may_contain,
			      .headers = &lex->tables.headers,
			      .sentence_words = lex->tables.sentence_words};
	ndl_arena a = {0};
	char text[8192], got[8192], want[8192];
	size_t failed = 0;
	for (size_t k = 0; k < sizeof(before) / sizeof(before[0]); k++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			int n = snprintf(text, sizeof(text), "%s%s", before[k], cases[i].in);
			assert_true(n >= 0 && (size_t)n < sizeof(text));
			ndl_tokenizer cold = {.markers = warm.markers,
					      .headers = warm.headers,
					      .sentence_words = warm.sentence_words};
			ndl_arena_reset(&a);
			assert_int_equal(ndl_tokenize(&cold, text, (size_t)n, &a), 0);
			render(&cold, want, sizeof(want));
			ndl_tokenizer_free(&cold);
			ndl_arena_reset(&a);
			assert_int_equal(ndl_tokenize(&warm, text, (size_t)n, &a), 0);
			render(&warm, got, sizeof(got));
			if (strcmp(got, want) != 0) {
				print_error("\"%s\"\n  alone: %s\n  after the others: %s\n",
					    text, want, got);
				failed++;
			}
		}
	ndl_tokenizer_free(&warm);
	ndl_arena_free(&a);
	assert_int_equal(failed, 0);
}

/* The worded markers come from the lexicon (may-contain.txt): a
 * tokenizer without them reads the signs only. */
static void test_markers_from_lexicon(void **state)
{
	(void)state;
	ndl_tokenizer t = {0};
	ndl_arena a = {0};
	const char *s = "Talc, Mica. Kann Enthalten: CI 77491, +/- CI 77492";
	char got[512];
	assert_int_equal(ndl_tokenize(&t, s, strlen(s), &a), 0);
	render(&t, got, sizeof(got));
	assert_string_equal(got, "Talc | Mica | Kann Enthalten{hdr} | CI 77491 | CI 77492{may}");
	t.markers = &lex->tables.may_contain;
	assert_int_equal(ndl_tokenize(&t, s, strlen(s), &a), 0);
	render(&t, got, sizeof(got));
	assert_string_equal(got, "Talc | Mica | CI 77491{may} | CI 77492{may}");
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
}

/* The header phrases come from the lexicon (headers.txt): a tokenizer
 * without them reads "Active Ingredients:" as any label. */
static void test_headers_from_lexicon(void **state)
{
	(void)state;
	ndl_tokenizer t = {0};
	ndl_arena a = {0};
	const char *s = "Drug Facts Active Ingredients: Zinc Oxide 20%. Warnings: Flammable";
	char got[512];
	assert_int_equal(ndl_tokenize(&t, s, strlen(s), &a), 0);
	render(&t, got, sizeof(got));
	assert_string_equal(got, "Drug Facts Active Ingredients{hdr} | Zinc Oxide{hdr}{pct=20} | "
				 "Flammable");
	t.headers = &lex->tables.headers;
	assert_int_equal(ndl_tokenize(&t, s, strlen(s), &a), 0);
	render(&t, got, sizeof(got));
	assert_string_equal(got, "Drug Facts{pre} | Zinc Oxide{act}{pct=20} | Flammable{act}{prose}");
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
}

/* Every phrase of the list's headers (headers.txt, roles ingredients
 * and active) opens the list standing alone on its line: the quick look
 * at a line's end is made from the same phrases ("Ingredienser" and
 * "Bestandteile" alone were read as names when it was a list in C). */
static void test_lone_headers_from_lexicon(void **state)
{
	(void)state;
	ndl_tokenizer t = {.headers = &lex->tables.headers};
	ndl_arena a = {0};
	const ndl_header_role alone[] = {NDL_HEADER_INGREDIENTS, NDL_HEADER_ACTIVE};
	size_t n = 0;
	for (size_t r = 0; r < 2; r++)
		for (const char *const *p = lex->tables.headers.phrases[alone[r]]; *p; p++) {
			char in[256], got[512];
			snprintf(in, sizeof(in), "Night Serum\n%s\nWater, Glycerin", *p);
			ndl_arena_reset(&a);
			assert_int_equal(ndl_tokenize(&t, in, strlen(in), &a), 0);
			render(&t, got, sizeof(got));
			if (strncmp(got, "Night Serum{pre} | Water", 24) != 0)
				fail_msg("'%s' alone on its line: %s", *p, got);
			n++;
		}
	assert_true(n >= 20);
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
}

/* Each token keeps where it came from: the offset of its first byte. */
static void test_offsets(void **state)
{
	(void)state;
	ndl_tokenizer t = {.headers = &lex->tables.headers};
	ndl_arena a = {0};
	const char *s = "Ingredients: Aqua, *Glycerin, Retinol 0.3%\nPhenoxyethanol";
	assert_int_equal(ndl_tokenize(&t, s, strlen(s), &a), 0);
	assert_int_equal(t.ntok, 4);
	assert_int_equal(t.tok[0].start, 13);
	assert_int_equal(t.tok[1].start, 20); /* after the '*' */
	assert_int_equal(t.tok[2].start, 30);
	assert_int_equal(t.tok[2].end, 37); /* the figure is not the name */
	assert_int_equal(t.tok[3].start, 43);
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
}

/* A 100,000-ingredient list and deep brackets stay linear and sane. */
static void test_large_inputs(void **state)
{
	(void)state;
	static char big[100000 * 10];
	size_t n = 0;
	for (int i = 0; i < 100000; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%sWater%d", i ? ", " : "", i % 10);
	ndl_tokenizer t = {0};
	ndl_arena a = {0};
	assert_int_equal(ndl_tokenize(&t, big, n, &a), 0);
	assert_int_equal(t.ntok, 100000);
	/* unbalanced: the brackets are text, the separators still count */
	memset(big, '(', 100000);
	memcpy(big + 100000, "Water, Glycerin", 15);
	assert_int_equal(ndl_tokenize(&t, big, 100015, &a), 0);
	assert_int_equal(t.ntok, 2);
	assert_string_equal(t.tok[1].text, "Glycerin");
	for (int i = 0; i < 100000; i++)
		big[i] = '(', big[200000 - 1 - i] = ')';
	assert_int_equal(ndl_tokenize(&t, big, 200000, &a), 0);
	assert_int_equal(t.ntok, 0); /* only brackets: nothing named */
	assert_false(t.truncated);
	/* a million unclosed openers: pairing stops at NDL_MAX_BRACKETS, so
	 * its memory stays bounded, and the text says it was not read whole */
	static char parens[1000000 + 16];
	memset(parens, '(', 1000000);
	memcpy(parens + 1000000, ", Retinol", 9);
	assert_int_equal(ndl_tokenize(&t, parens, 1000009, &a), 0);
	assert_true(t.truncated);
	assert_true(t.cap_pairs <= 2 * NDL_MAX_BRACKETS);
	assert_true(t.cap_stack <= 2 * NDL_MAX_BRACKETS);
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_cache_blind),
		cmocka_unit_test(test_markers_from_lexicon),
		cmocka_unit_test(test_headers_from_lexicon),
		cmocka_unit_test(test_lone_headers_from_lexicon),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_large_inputs),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
