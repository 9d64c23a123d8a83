/* Finding the ingredient list on a label (src/label.c), on back labels
 * as a photo reads them: columns as paragraphs, lines broken anywhere,
 * OCR's slips in the header. Uses lexicon/label.tsv as embedded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "input/label.h"

static ndl_label_words *words;

static int setup(void **state)
{
	(void)state;
	ndl_error err;
	words = ndl_label_words_default(&err);
	return words ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ndl_label_words_free(words);
	return 0;
}

/* The parts found in text, joined by " | ", or "-" for none. */
static char *found(const char *text, ndl_list_found *how)
{
	ndl_label_list list;
	assert_int_equal(ndl_label_find(words, text, strlen(text), &list), 0);
	if (how)
		*how = list.found;
	ndl_buf b = {0};
	for (size_t i = 0; i < list.nparts; i++) {
		const ndl_label_part *p = &list.parts[i];
		assert_true(p->header <= p->start && p->start < p->end &&
			    p->end <= strlen(text));
		if (i)
			ndl_buf_puts(&b, " | ");
		ndl_buf_append(&b, text + p->start, p->end - p->start);
	}
	if (list.nparts == 0)
		ndl_buf_puts(&b, "-");
	char *s = strdup(ndl_buf_cstr(&b));
	ndl_buf_free(&b);
	return s;
}

static void list_is(const char *text, const char *want, ndl_list_found how)
{
	ndl_list_found got;
	char *s = found(text, &got);
	assert_string_equal(s, want);
	assert_int_equal(got, how);
	free(s);
}

static void test_examples_of_the_file(void **state)
{
	(void)state;
	ndl_buf out = {0};
	size_t n = 0;
	size_t failed = ndl_label_words_test(words, &out, &n);
	if (failed)
		fail_msg("%s", ndl_buf_cstr(&out));
	assert_true(n >= 10);
	ndl_buf_free(&out);
}

/* A three-column back label as Tesseract gives it: a blank line between
 * blocks, the list broken over two columns. */
static void test_columns(void **state)
{
	(void)state;
	list_is("RENEWAL NIGHT SERUM\n\n"
		"How to use: Smooth a pea-sized amount over the face after\n"
		"cleansing, avoiding the eye area.\n\n"
		"INGREDIENTS: Aqua (Water), Glycerin, Squalane,\n"
		"Caprylic/Capric Triglyceride, Cetearyl\nAlcohol, Retinol,\n\n"
		"Tocopherol, Phenoxyethanol, Parfum\n(Fragrance), Linalool.\n\n"
		"Caution: Do not use on broken or irritated skin.\n\n"
		"Made in France. Lumen Skin Ltd, 4\nHarbour Row, Bristol\n\n"
		"LOT 6B300 EXP 06/2026 50 ml\n",
		"Aqua (Water), Glycerin, Squalane,\n"
		"Caprylic/Capric Triglyceride, Cetearyl\nAlcohol, Retinol,\n\n"
		"Tocopherol, Phenoxyethanol, Parfum\n(Fragrance), Linalool",
		NDL_LIST_HEADER);
}

static void test_languages(void **state)
{
	(void)state;
	list_is("Mode d'emploi : appliquer matin et soir.\n\n"
		"INGREDIENTS / INGR\xc3\x89" "DIENTS :\nAqua, Glycerin, Parfum.\n\n"
		"Fabriqu\xc3\xa9 en France. Laboratoires Aubel SAS, 12 rue des "
		"Tanneurs, 69002 Lyon",
		"Aqua, Glycerin, Parfum", NDL_LIST_HEADER);
	list_is("Anwendung: morgens und abends auftragen.\n"
		"Inhaltsstoffe: Aqua, Panthenol, Allantoin, Xanthan Gum.\n"
		"Hergestellt in Deutschland. Hautwerk GmbH, Hamburg",
		"Aqua, Panthenol, Allantoin, Xanthan Gum", NDL_LIST_HEADER);
	list_is("Zutaten: Aqua, Glycerin, Urea. Anwendung: t\xc3\xa4glich.",
		"Aqua, Glycerin, Urea", NDL_LIST_HEADER);
	list_is("Ingredientes: Aqua, Glycerin, Niacinamide. Modo de empleo: "
		"aplicar sobre la piel.", "Aqua, Glycerin, Niacinamide",
		NDL_LIST_HEADER);
}

/* Where the list ends: a section, a sentence, an address line, a batch
 * line, a paragraph that is no list. */
static void test_ends(void **state)
{
	(void)state;
	list_is("Ingredients: Aqua, Glycerin, Panthenol\nDirections: shake well",
		"Aqua, Glycerin, Panthenol", NDL_LIST_HEADER);
	list_is("Ingredients: Aqua, Glycerin, Panthenol. Apply to the face "
		"and neck every evening.", "Aqua, Glycerin, Panthenol",
		NDL_LIST_HEADER);
	list_is("Ingredients: Aqua, Glycerin, Panthenol,\nCalder Labs Inc., "
		"210 Elm Street, Portland", "Aqua, Glycerin, Panthenol",
		NDL_LIST_HEADER);
	list_is("INGREDIENTS: AQUA, GLYCERIN, PANTHENOL.\n\nLOT 24B117 EXP "
		"05/2027 50 ml", "AQUA, GLYCERIN, PANTHENOL", NDL_LIST_HEADER);
	list_is("Ingredients: Aqua, Glycerin, Panthenol.\n\nA gentle cream "
		"that leaves your skin soft and comfortable all day long.",
		"Aqua, Glycerin, Panthenol", NDL_LIST_HEADER);
	list_is("Ingredients: Aqua, Glycerin, Panthenol.\nwww.lumenskin.example",
		"Aqua, Glycerin, Panthenol", NDL_LIST_HEADER);
}

/* What belongs to the list although it looks odd. */
static void test_list_shapes(void **state)
{
	(void)state;
	list_is("Ingredients: Talc, Mica, Dimethicone, [May Contain/Peut "
		"Contenir/+/-: CI 77891, CI 77491, CI 77492]. Made in Italy.",
		"Talc, Mica, Dimethicone, [May Contain/Peut Contenir/+/-: "
		"CI 77891, CI 77491, CI 77492]", NDL_LIST_HEADER);
	list_is("Ingredients: Aqua, Sodium Hyaluronate (and) Glycerin, "
		"1,2-Hexanediol, Water (Aqua, Eau), Alcohol Denat., Glycerin.\n"
		"Keep out of reach of children.",
		"Aqua, Sodium Hyaluronate (and) Glycerin, 1,2-Hexanediol, "
		"Water (Aqua, Eau), Alcohol Denat., Glycerin", NDL_LIST_HEADER);
	/* an unclosed bracket from OCR does not swallow the list */
	list_is("Ingredients: Aqua, Parfum (Fragrance, Limonene, Linalool, "
		"Citral, Geraniol, Citronellol, Eugenol, Coumarin, Benzyl "
		"Alcohol, Tocopherol. Store below 25 C.",
		"Aqua, Parfum (Fragrance, Limonene, Linalool, Citral, Geraniol, "
		"Citronellol, Eugenol, Coumarin, Benzyl Alcohol, Tocopherol",
		NDL_LIST_HEADER);
}

/* Drug Facts: the actives and the inactive ingredients are two parts;
 * the uses and warnings between them are skipped. */
static void test_drug_facts(void **state)
{
	(void)state;
	list_is("Drug Facts\nActive ingredients: Zinc Oxide 10%, Octinoxate "
		"7.5%\nUses: helps prevent sunburn.\nWarnings: For external use "
		"only. Do not use on damaged skin.\nInactive ingredients: Water, "
		"Cyclopentasiloxane, Glycerin, Dimethicone.\nQuestions? Call us.",
		"Zinc Oxide 10%, Octinoxate 7.5% | Water, Cyclopentasiloxane, "
		"Glycerin, Dimethicone", NDL_LIST_HEADER);
}

/* No header: the longest run of names; claims and marketing are not it. */
static void test_without_header(void **state)
{
	(void)state;
	list_is("Soothing gel for sensitive skin.\nAqua, Aloe Barbadensis Leaf "
		"Juice, Glycerin, Allantoin, Panthenol.\nApply as needed.",
		"Aqua, Aloe Barbadensis Leaf Juice, Glycerin, Allantoin, "
		"Panthenol", NDL_LIST_RUN);
	list_is("Free from parabens, sulfates, silicones, mineral oil.\n"
		"Gentle on skin.", "-", NDL_LIST_NONE);
	list_is("Key ingredients: Vitamin C, Hyaluronic Acid, Squalane.", "-",
		NDL_LIST_NONE);
	list_is("Our formula contains no harsh ingredients, for the whole "
		"family.", "-", NDL_LIST_NONE);
	list_is("Made in France. Lumen Skin Ltd, 4 Harbour Row, Bristol BS1 "
		"4RN, United Kingdom", "-", NDL_LIST_NONE);
	list_is("Distributed by\nCalder Labs, 210 Elm Street, Portland, OR "
		"97204, USA", "-", NDL_LIST_NONE);
	list_is("Aqua, Glycerin, Carbomer 940, PEG-100 Stearate, CI 77491.",
		"Aqua, Glycerin, Carbomer 940, PEG-100 Stearate, CI 77491",
		NDL_LIST_RUN);
	list_is("", "-", NDL_LIST_NONE);
}

/* OCR's slips: a header one or two letters off, a colon read as i. */
static void test_ocr_headers(void **state)
{
	(void)state;
	list_is("lNGREDlENTS: Aqua, Glycerin, Panthenol. Made in France.",
		"Aqua, Glycerin, Panthenol", NDL_LIST_HEADER);
	list_is("Ingredlents: Aqua, Glycerin, Panthenol.",
		"Aqua, Glycerin, Panthenol", NDL_LIST_HEADER);
	/* a short header word is never guessed: "INC" is not INCI (but a
	 * company's "Inc."), and the list is found as a run of names */
	list_is("INC: Aqua, Glycerin, Panthenol, Urea. Made in France.",
		"Aqua, Glycerin, Panthenol, Urea", NDL_LIST_RUN);
}

/* The checker's copy: same offsets, the rest blank, lines joined, a
 * comma closing each part. */
static void test_list_text(void **state)
{
	(void)state;
	const char *text = "Active ingredient: Salicylic Acid 2%\nUses: acne.\n"
			   "Inactive ingredients: Water,\nGlycerin.";
	size_t n = strlen(text);
	ndl_label_list list;
	assert_int_equal(ndl_label_find(words, text, n, &list), 0);
	assert_int_equal(list.nparts, 2);
	char *out = malloc(n + 1);
	ndl_label_list_text(&list, text, n, out);
	out[n] = '\0';
	assert_int_equal(strlen(out), n);
	const char *water = strstr(text, "Water");
	assert_memory_equal(out + (water - text), "Water, Glycerin,", 16);
	const char *acid = strstr(text, "Salicylic");
	assert_memory_equal(out + (acid - text), "Salicylic Acid 2%,", 18);
	assert_null(strstr(out, "Uses"));
	assert_null(strchr(out, '\n'));
	free(out);
}

/* Any bytes: no crash, parts inside the text. */
static void test_any_bytes(void **state)
{
	(void)state;
	static const char pick[] = ",.:;( )\n\xc3\xa9Ingredients";
	char junk[512];
	unsigned seed = 7;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(junk); i++) {
			seed = seed * 1103515245u + 12345u;
			junk[i] = pick[(seed >> 16) % (sizeof(pick) - 1)];
		}
		ndl_label_list list;
		assert_int_equal(ndl_label_find(words, junk, sizeof(junk), &list), 0);
		for (size_t p = 0; p < list.nparts; p++)
			assert_true(list.parts[p].end <= sizeof(junk));
	}
}

static void parse_fails(const char *data, const char *want)
{
	ndl_error err;
	ndl_label_words *w = ndl_label_words_parse(data, strlen(data),
						   "label.tsv", &err);
	assert_null(w);
	char msg[800];
	ndl_error_format(&err, msg, sizeof(msg));
	if (strstr(msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", msg, want);
}

static void test_bad_files(void **state)
{
	(void)state;
	parse_fails("start\tIngredients\nbegin\tINCI\n",
		    "label.tsv:2:1: error: unknown kind \"begin\"");
	parse_fails("# comment\nstart Ingredients\n",
		    "label.tsv:2:1: error: expected KIND<tab>PHRASE");
	parse_fails("end\tone two three four five six seven\n",
		    "label.tsv:1:5: error: a phrase has at most 6 words");
	parse_fails("prose\t...\n", "label.tsv:1:7: error: no word in the phrase");
	parse_fails("example\tIngredients: Aqua\n",
		    "label.tsv:1:9: error: an example needs");
	/* a file of its own replaces the words */
	const char *mine = "start\tComponents\nexample\tComponents: Aqua, "
			   "Glycerin.\tAqua, Glycerin\n";
	ndl_error err;
	ndl_label_words *w = ndl_label_words_parse(mine, strlen(mine), "x", &err);
	assert_non_null(w);
	assert_int_equal(ndl_label_words_test(w, NULL, NULL), 0);
	ndl_label_words_free(w);
}

/* Whether the list may go on past what was read: after it, noise or
 * words that read as a sentence (a photo's blur), or a section. */
static int noise_after(const char *text)
{
	ndl_label_list list;
	assert_int_equal(ndl_label_find(words, text, strlen(text), &list), 0);
	assert_true(list.nparts > 0);
	return list.parts[list.nparts - 1].noise_after;
}

static void test_noise_after(void **state)
{
	(void)state;
	assert_true(noise_after("INGREDIENTS: Aqua (Water),\n\nIn\n\nNuat Tocopher Pr "
				"Cetearyl As Sodium Er Capn m Hyalu Gly. Retinol,"));
	assert_false(noise_after("INGREDIENTS: Aqua, Glycerin, Retinol,\n\nCaution: "
				 "Do not use on broken skin."));
	assert_false(noise_after("INGREDIENTS: Aqua, Glycerin, Retinol."));
}

static int ended(const char *text, size_t len)
{
	ndl_label_list list;
	assert_int_equal(ndl_label_find(words, text, len, &list), 0);
	return ndl_label_list_ended(&list);
}

/* The photo reader stops reading once the text read so far, block by
 * block, holds a list that has ended: not at the end of a column the
 * list goes on from, and with the list the whole label gives. */
static void stops_after(const char *text, const char *last_block)
{
	const char *stop = strstr(text, last_block);
	assert_non_null(stop);
	size_t at = (size_t)(stop - text) + strlen(last_block);
	for (size_t i = 0; text[i]; i++)
		if (i + 1 < at && text[i] == '\n' && text[i + 1] == '\n')
			assert_false(ended(text, i)); /* too early */
	assert_true(ended(text, at));
	char *whole = found(text, NULL), *part = strndup(text, at);
	char *read = found(part, NULL);
	assert_string_equal(read, whole);
	free(whole);
	free(part);
	free(read);
}

static void test_ended(void **state)
{
	(void)state;
	/* two columns: the first ends mid-list, after a whole name */
	stops_after("HYDRA CALM CREAM\n\n"
		    "Directions: Apply morning and evening to clean,\n"
		    "dry skin.\n\n"
		    "INGREDIENTS: Water, Butylene Glycol, Pentylene\n"
		    "Glycol, Caprylyl Glycol, Citric Acid,\n\n"
		    "Phenoxyethanol, Retinol, Tocopherol,\n"
		    "Linalool.\n\n"
		    "Caution: Do not use on broken or irritated skin.\n\n"
		    "Made in Italy. Calder Labs Inc., 210 Elm Street\n\n"
		    "LOT 8A537 EXP 01/2026 50 ml",
		    "Caution: Do not use on broken or irritated skin.");
	/* a header over two blocks, the list after its last word */
	stops_after("INHALTSSTOFFE /\n\nINGREDIENTS: Aqua, Glycerin,\n\n"
		    "Panthenol.\n\nWarnhinweise: Nur zur Anwendung.\n\n"
		    "Hergestellt in Deutschland.", "Nur zur Anwendung.");
	/* a column break inside a name, and no full stop at the end */
	stops_after("INGREDIENTS: Aqua, Sodium\n\nHyaluronate, Glycerin,\n"
		    "Parfum\n\nWarnings: For external use only.\n\nMade in "
		    "France.", "Warnings: For external use only.");
	/* Drug Facts: the inactive ingredients follow the warnings */
	stops_after("Drug Facts\nActive ingredients: Zinc Oxide 10%\n\n"
		    "Uses: helps prevent sunburn.\n\nWarnings: For external "
		    "use only.\n\nInactive ingredients: Water, Glycerin,\n\n"
		    "Dimethicone.\n\nQuestions? Call us.",
		    "Questions? Call us.");
	/* a header alone in its block, the list in another: blocks read
	 * out of order, the rest of the list may follow */
	const char *apart = "INHALTSSTOFFE /\n\nAcid, Citric Acid, Glycerin,\n\n"
			    "Warnhinweise: Nur zur Anwendung.";
	assert_false(ended(apart, strlen(apart)));
	/* the text ends with the list, or in noise: it may go on */
	assert_false(ended("INGREDIENTS: Aqua, Glycerin, Retinol.", 37));
	const char *noise = "INGREDIENTS: Aqua (Water),\n\nIn\n\nNuat Tocopher";
	assert_false(ended(noise, strlen(noise)));
	/* without a header a longer run could follow */
	const char *run = "Aqua, Glycerin, Squalane, Retinol, Tocopherol.\n\n"
			  "Caution: Do not use on broken skin.";
	assert_false(ended(run, strlen(run)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_of_the_file),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_ends),
		cmocka_unit_test(test_list_shapes),
		cmocka_unit_test(test_drug_facts),
		cmocka_unit_test(test_without_header),
		cmocka_unit_test(test_ocr_headers),
		cmocka_unit_test(test_list_text),
		cmocka_unit_test(test_any_bytes),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_noise_after),
		cmocka_unit_test(test_ended),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
