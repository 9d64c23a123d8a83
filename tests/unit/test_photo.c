/* The photo reader after the OCR (src/input/photo.c): the list found on
 * a page as Tesseract gives it, and what a word read unsure asks. The
 * pages are made here, word by word with their confidence, so that no
 * OCR is needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "input/photo.h"

static ndl_lexicon *lex;
static ndl_checker *chk;
static ndl_label_words *words;
static ndl_photo_near near;

static int setup(void **state)
{
	(void)state;
	ndl_error err;
	lex = ndl_lexicon_open(NULL, &err);
	chk = lex ? ndl_checker_new(lex) : NULL;
	words = chk ? ndl_label_words_default(&err) : NULL;
	return words ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ndl_photo_near_free(&near);
	ndl_label_words_free(words);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	return 0;
}

/* A page of text (words split at spaces), each word read at 95 % but
 * unsure, read at 40 %, set as printed: a line of text a line of 20
 * pixels, letters 8 pixels wide and 16 high. */
static void page_of(const char *text, const char *unsure, ndl_photo_page *pr)
{
	ndl_ocr_page page = {0};
	page.len = strlen(text);
	page.text = strdup(text);
	page.words = calloc(page.len, sizeof(*page.words));
	assert_non_null(page.text);
	assert_non_null(page.words);
	int line = 0, col = 0;
	for (size_t i = 0; i < page.len;) {
		size_t n = strcspn(text + i, " \n");
		if (n) {
			ndl_ocr_word *w = &page.words[page.nwords++];
			w->offset = i;
			w->len = n;
			w->confidence = strncmp(text + i, unsure, strlen(unsure)) == 0 ? 40 : 95;
			w->box = (ndl_ocr_box){col * 8, line * 20, (int)n * 8, 16};
			col += (int)n;
		} else if (text[i] == '\n') {
			line++;
			col = -1;
		}
		col++;
		i += n ? n : 1;
	}
	ndl_error err;
	assert_int_equal(ndl_photo_from_page(words, &near, &page, pr, &err), 0);
}

/* The verdict on day 3 of the list found on the page, as judged. */
static ndl_verdict judged(const char *text, const char *unsure,
			  const char **reason)
{
	ndl_photo_page pr;
	page_of(text, unsure, &pr);
	const ndl_result *res = ndl_check(chk, &pr.product);
	assert_non_null(res);
	res = ndl_photo_judge(&pr, chk, res);
	ndl_verdict v = ndl_verdict_at(res, ndl_when_day(3), NULL);
	static char why[400]; /* the page's reasons go with it */
	why[0] = '\0';
	for (size_t i = 0; i < res->nfindings; i++)
		if (strcmp(res->findings[i].class_id, "retinoid") == 0 &&
		    res->findings[i].reason)
			snprintf(why, sizeof(why), "%s", res->findings[i].reason);
	if (res->error)
		snprintf(why, sizeof(why), "%s", res->error);
	*reason = why;
	ndl_photo_read_free(&pr);
	return v;
}

/* "Rctinoi" is two edits from "retinol": too far for a misspelling of
 * a name of seven letters, near enough for a word read unsure. */
static void test_unsure_near_member(void **state)
{
	(void)state;
	const char *why;
	const char *label = "INGREDIENTS: Aqua, Glycerin, Rctinoi, Tocopherol.";
	assert_int_equal(judged(label, "Rctinoi", &why), NDL_VERDICT_CAUTION);
	assert_non_null(strstr(why, "\"Rctinoi,\" was read unsure (40 %) and could be 'Retinol' (retinoid)"));
	/* read surely, it is a name no entry knows, and no more */
	assert_int_equal(judged(label, "-", &why), NDL_VERDICT_SAFE);
}

/* An unsure word like no member's name asks nothing for that. */
static void test_unsure_far_from_members(void **state)
{
	(void)state;
	const char *why;
	assert_int_equal(judged("INGREDIENTS: Aqua, Glycerin, Xylqvbw, Tocopherol.",
				"Xylqvbw", &why), NDL_VERDICT_SAFE);
	assert_string_equal(why, "");
}

/* A list that goes on past what could be read (a comma, then blur read
 * as noise) is unknown, never safe. */
static void test_cut_short(void **state)
{
	(void)state;
	const char *why;
	assert_int_equal(judged("INGREDIENTS: Aqua (Water), Glycerin,\n\nIn\n\n"
				"Nuat Tocopher Pr Cetearyl As Sodium Er Capn m "
				"Hyalu Gly", "-", &why), NDL_VERDICT_UNKNOWN);
	assert_non_null(strstr(why, "the list goes on after \"Glycerin\""));
}

/* A comma after the list's last name, then a section: right under the
 * list, it ends the list (a full stop read as a comma); far from it, the
 * rest of the list may lie between, unread. */
static void test_comma_then_section(void **state)
{
	(void)state;
	const char *why;
	assert_int_equal(judged("INGREDIENTS: Aqua, Glycerin, Panthenol,\n\n"
				"Caution: do not use on broken skin.", "-", &why),
			 NDL_VERDICT_SAFE);
	assert_int_equal(judged("INGREDIENTS: Aqua, Glycerin, Panthenol, "
				"Caution: do not use on broken skin.", "-", &why),
			 NDL_VERDICT_SAFE);
	assert_int_equal(judged("INGREDIENTS: Aqua, Glycerin, Panthenol,\n\n\n\n\n\n"
				"Caution: do not use on broken skin.", "-", &why),
			 NDL_VERDICT_UNKNOWN);
	assert_non_null(strstr(why, "the list goes on after \"Panthenol\""));
}

/* The list's next column, read before its header (blocks out of order),
 * is checked with it. */
static void test_column_out_of_order(void **state)
{
	(void)state;
	const char *why;
	const char *label = "Directions: apply daily to clean skin.\n\n"
			    "Glyceryl Caprylate, Citral, Retinol, Tocopherol.\n\n"
			    "INGREDIENTS: Aqua, Glycerin, Sodium Cocoyl\n\n"
			    "Warnings: for external use only.";
	assert_int_equal(judged(label, "-", &why), NDL_VERDICT_AVOID);
}

/* Near a member's name, the index says which; far, none. */
static void test_near_member(void **state)
{
	(void)state;
	uint32_t e = UINT32_MAX;
	assert_int_equal(ndl_photo_near_member(&near, lex, "Rctinoi", 7, &e), 1);
	assert_string_equal(ndl_entry_at(lex, e)->name, "Retinol");
	assert_int_equal(ndl_photo_near_member(&near, lex, "Glycerin", 8, &e), 0);
	assert_int_equal(ndl_photo_near_member(&near, lex, "Xylqvbw", 7, &e), 0);
	assert_int_equal(ndl_photo_near_member(&near, lex, "Reti", 4, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsure_near_member),
		cmocka_unit_test(test_unsure_far_from_members),
		cmocka_unit_test(test_near_member),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_comma_then_section),
		cmocka_unit_test(test_column_out_of_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
