/* Report writers: JSON escaping and the text report's safety. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "needlecheck.h"
#include "render/render.h"

static void json_is(const char *in, size_t n, const char *want)
{
	ndl_buf b = {0};
	ndl_json_string(&b, in, n);
	assert_string_equal(ndl_buf_cstr(&b), want);
	ndl_buf_free(&b);
}

static void test_json_string(void **state)
{
	(void)state;
	json_is("Retinol", 7, "\"Retinol\"");
	json_is("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	json_is("a\nb\tc\r", 6, "\"a\\nb\\tc\\r\"");
	json_is("\x1b[31m", 5, "\"\\u001b[31m\"");
	json_is("\x7f", 1, "\"\x7f\"");
	json_is("Cr\xc3\xa8me", 6, "\"Cr\xc3\xa8me\"");
	json_is("bad\xff", 4, "\"bad\\ufffd\"");
	json_is("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");
	json_is("a\xe2\x80\xa8" "b", 5, "\"a\\u2028b\"");
	json_is("nul\0x", 5, "\"nul\\u0000x\"");
	/* bidi and C1 controls are kept, as escapes a person sees */
	json_is("a\xe2\x80\xae" "b\xc2\x9b", 7, "\"a\\u202eb\\u009b\"");
}

static void github_is(const char *in, int property, const char *want)
{
	ndl_buf b = {0};
	ndl_github_text(&b, in, strlen(in), property);
	assert_string_equal(ndl_buf_cstr(&b), want);
	ndl_buf_free(&b);
}

static void test_github_text(void **state)
{
	(void)state;
	github_is("50% a\r\n::error::x", 0, "50%25 a%0D%0A::error::x");
	github_is("a:b,c", 1, "a%3Ab%2Cc");
	github_is("a:b,c", 0, "a:b,c");
	github_is("\x1b]0;t\x07\xe2\x80\xae\xff", 0, "?]0;t???");
}

static void test_term_text(void **state)
{
	(void)state;
	ndl_buf b = {0};
	ndl_term_text(&b, "Red\x1b[2J\x07 Oil\xc2\x9b\xe2\x80\xae", 17, 0);
	assert_string_equal(ndl_buf_cstr(&b), "Red?[2J? Oil??");
	b.len = 0;
	ndl_term_text(&b, "Sodium Hyaluronate Crosspolymer", 31, 10);
	assert_string_equal(ndl_buf_cstr(&b), "Sodium Hy\xe2\x80\xa6");
	ndl_buf_free(&b);
}

static void test_record(void **state)
{
	(void)state;
	ndl_error err;
	ndl_lexicon *lex = ndl_lexicon_open(NULL, &err);
	assert_non_null(lex);
	ndl_checker *chk = ndl_checker_new(lex);
	ndl_product p = {.text = "Aqua, Glycerin, Retinol, Phenoxyethanol"};
	p.len = strlen(p.text);
	const ndl_result *r = ndl_check(chk, &p);
	ndl_record rec = {.source = "inventory.csv", .row = 12, .line = 13,
			  .name = "Night \"Serum\"", .name_len = 13,
			  .when = ndl_when_day(3)};
	ndl_buf b = {0};
	ndl_write_json(&b, &rec, r);
	const char *json = ndl_buf_cstr(&b);
	assert_non_null(strstr(json, "{\"source\":\"inventory.csv\",\"row\":12,\"line\":13,"
				     "\"name\":\"Night \\\"Serum\\\"\",\"day\":3,"
				     "\"verdict\":\"avoid\",\"safe_from_day\":7,"
				     "\"findings\":["));
	assert_non_null(strstr(json, "{\"ingredient\":\"Retinol\",\"matched\":\"retinol\","
				     "\"class\":\"retinoid\",\"status\":\"avoid\","
				     "\"until_day\":5,\"avoid_until_day\":5,"
				     "\"caution_until_day\":7,\"line\":1,\"column\":17,"
				     "\"reason\":null}"));
	/* a class with no window: null, not a day */
	assert_non_null(strstr(json, "\"status\":\"recommended\",\"until_day\":null,"
				     "\"avoid_until_day\":null,\"caution_until_day\":null,"));
	assert_non_null(strstr(json, "],\"unrecognized\":[],\"error\":null}"));
	/* text: the verdict comes first */
	b.len = 0;
	ndl_write_text(&b, &rec, r, 0);
	const char *text = ndl_buf_cstr(&b);
	assert_non_null(strstr(text, "AVOID on day 3 — safe from day 7\n"));
	assert_null(strchr(text, '\x1b'));
	b.len = 0;
	ndl_write_text(&b, &rec, r, NDL_TEXT_COLOR);
	assert_non_null(strstr(ndl_buf_cstr(&b), "\x1b[1;31mAVOID\x1b[0m"));
	ndl_buf_free(&b);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
}

/* CSV output: a spreadsheet or a terminal shows no escape, bidi override
 * or invalid byte from the input; line breaks and tabs stay, quoted. */
/* The writer keeps the head of each finding it wrote, found by where its
 * strings are: the same place holding other bytes is another head. */
static void test_json_heads(void **state)
{
	(void)state;
	char name[] = "Retinol", matched[] = "retinol";
	ndl_finding f = {.ingredient = name, .ingredient_len = 7, .matched = matched,
			 .class_id = "retinoid",
			 .window = {NDL_NO_WINDOW, NDL_NO_WINDOW, NDL_SAFE}};
	ndl_result r = {.findings = &f, .nfindings = 1};
	ndl_record rec = {.source = "x", .when = ndl_when_day(0)};
	const char *want[] = {"{\"ingredient\":\"Retinol\",\"matched\":\"retinol\","
			      "\"class\":\"retinoid\",",
			      "{\"ingredient\":\"Retinol\",\"matched\":\"retinol\","
			      "\"class\":\"retinoid\",",
			      "{\"ingredient\":\"Retinal\",\"matched\":\"retinol\","
			      "\"class\":\"retinoid\",",
			      "{\"ingredient\":\"Retinal\",\"matched\":\"retinal\","
			      "\"class\":\"retinoid\","};
	for (size_t k = 0; k < 4; k++) {
		if (k == 2)
			memcpy(name, "Retinal", 7);
		if (k == 3)
			memcpy(matched, "retinal", 7);
		ndl_buf b = {0};
		ndl_write_json(&b, &rec, &r);
		assert_non_null(strstr(ndl_buf_cstr(&b), want[k]));
		ndl_buf_free(&b);
	}
}

static void test_csv_cells(void **state)
{
	(void)state;
	ndl_error err;
	ndl_lexicon *lex = ndl_lexicon_open(NULL, &err);
	assert_non_null(lex);
	ndl_checker *chk = ndl_checker_new(lex);
	ndl_product p = {.text = "Aqua, Retinol"};
	p.len = strlen(p.text);
	const ndl_result *r = ndl_check(chk, &p);
	const char name[] = "Red\x1b[2J \xe2\x80\xaeSerum\xff";
	const char id[] = "a\tb\nc,\x07";
	ndl_record rec = {.source = "s.csv", .row = 1, .line = 2, .name = name,
			  .name_len = sizeof(name) - 1, .id = id,
			  .id_len = sizeof(id) - 1, .when = ndl_when_day(3)};
	ndl_buf b = {0};
	ndl_write_csv(&b, &rec, r);
	assert_string_equal(ndl_buf_cstr(&b),
			    "1,\"a\tb\nc,?\",Red?[2J ?Serum\xef\xbf\xbd,avoid,7,"
			    "retinoid,\"Retinol\",\n");
	/* a comma, a quote or a line break anywhere quotes the cell; a tab
	 * or another control does not (but for the first byte: a tab
	 * there could start a formula) */
	static const struct {
		char c;
		int quoted;
	} odd[] = {{',', 1}, {'"', 1}, {'\n', 1}, {'\r', 1}, {'\t', 0}, {'\x01', 0}};
	for (size_t len = 2; len < 24; len++)
		for (size_t at = 1; at < len; at++)
			for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
				char n[32];
				memcpy(n, "abcdefghijklmnopqrstuvwx", len);
				n[at] = odd[k].c;
				rec = (ndl_record){.row = 1, .name = n, .name_len = len,
						   .when = ndl_when_day(3)};
				b.len = 0;
				ndl_write_csv(&b, &rec, r);
				if ((strncmp(ndl_buf_cstr(&b), "1,,\"", 4) == 0) != odd[k].quoted)
					fail_msg("byte %d at %zu of %zu: %s", odd[k].c, at,
						 len, ndl_buf_cstr(&b));
			}
	ndl_buf_free(&b);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
}

/* Every format a command offers has its writer, found by name, in the
 * one shape; a JSON stream of no record is still an array. */
static void test_writers(void **state)
{
	(void)state;
	static const char *const records[] = {"text", "table", "json", "ndjson",
					      "csv", "html"};
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		const ndl_record_writer *w = ndl_record_writer_find(records[i]);
		assert_non_null(w);
		assert_string_equal(w->name, records[i]);
		assert_non_null(w->record);
		assert_non_null(w->first);
		assert_non_null(w->between);
		if (w->catalogue)
			assert_non_null(ndl_record_writer_find(w->catalogue));
	}
	assert_null(ndl_record_writer_find("markdown"));
	static const char *const plans[] = {"text", "markdown", "json", "html",
					    "today-html"};
	for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++)
		assert_non_null(ndl_plan_writer_find(plans[i]));
	assert_null(ndl_plan_writer_find("csv"));
	static const char *const lints[] = {"gcc", "github", "sarif", "json"};
	for (size_t i = 0; i < sizeof(lints) / sizeof(lints[0]); i++) {
		const ndl_lint_writer *w = ndl_lint_writer_find(lints[i]);
		assert_non_null(w);
		assert_non_null(w->diagnostic);
		assert_true(!w->document || (w->begin && w->end));
	}
	assert_null(ndl_lint_writer_find("text"));

	ndl_stats none = {0};
	ndl_write_options o = {.stats = &none};
	ndl_buf b = {0};
	ndl_record_writer_find("json")->end(&b, &o);
	assert_string_equal(ndl_buf_cstr(&b), "[]\n");
	ndl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_github_text),
		cmocka_unit_test(test_term_text),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_json_heads),
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_writers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
