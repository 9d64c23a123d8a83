/* The plan: cells agree with ndl_check day by day, first safe day, today,
 * dates; HTML and Markdown escaping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "render/render.h"

static ndl_product product(const char *text)
{
	ndl_product p = {.text = text, .len = strlen(text)};
	return p;
}

static const ndl_plan_row *add(ndl_plan *plan, const char *text)
{
	ndl_product p = product(text);
	ndl_record rec = {.source = "t.txt", .row = ndl_plan_count(plan) + 1, .line = 1};
	const ndl_result *r = ndl_check(chk, &p);
	assert_non_null(r);
	assert_int_equal(ndl_plan_add(plan, &rec, r, NULL), 0);
	return ndl_plan_row_at(plan, ndl_plan_count(plan) - 1);
}

/* Every cell is what ndl_check says on that day, whatever the product. */
static void test_cells_follow_check(void **state)
{
	(void)state;
	static const char *const lists[] = {
		"Aqua, Glycerin, Retinol, Phenoxyethanol",
		"Aqua, Sodium Hyaluronate, Panthenol",
		"Aqua, Alcohol Denat., Menthol, Limonene",
		"Water, Glycolic Acid, Sodium Hydroxide, Glycerin, Phenoxyethanol",
		"No Info",
		"Ibuprofen 5%, Aqua, Carbomer",
	};
	ndl_plan *plan = ndl_plan_new(NULL);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		const ndl_plan_row *row = add(plan, lists[i]);
		int first_safe = -1;
		for (int d = 0; d < NDL_PLAN_DAYS; d++) {
			ndl_product p = product(lists[i]);
			const ndl_result *r = check_product(chk, &p, ndl_when_day(d));
			int recommended = 0;
			for (size_t k = 0; k < r->nfindings; k++)
				recommended |= status(&r->findings[k]) == NDL_RECOMMENDED;
			ndl_cell want = verdict(r) == NDL_VERDICT_AVOID     ? NDL_CELL_AVOID
					: verdict(r) == NDL_VERDICT_CAUTION ? NDL_CELL_CAUTION
					: verdict(r) == NDL_VERDICT_UNKNOWN ? NDL_CELL_UNKNOWN
					: recommended			    ? NDL_CELL_RECOMMENDED
									    : NDL_CELL_SAFE;
			assert_int_equal(row->cells[d], want);
			if (first_safe < 0 && verdict(r) == NDL_VERDICT_SAFE)
				first_safe = d;
		}
		assert_int_equal(row->safe_from_day, first_safe);
	}
	ndl_plan_free(plan);
}

static void test_retinol_week(void **state)
{
	(void)state;
	ndl_plan *plan = ndl_plan_new(NULL);
	const ndl_plan_row *row = add(plan, "Aqua, Glycerin, Retinol, Phenoxyethanol");
	static const ndl_cell want[NDL_PLAN_DAYS] = {
		NDL_CELL_AVOID, NDL_CELL_AVOID, NDL_CELL_AVOID, NDL_CELL_AVOID,
		NDL_CELL_AVOID, NDL_CELL_CAUTION, NDL_CELL_CAUTION, NDL_CELL_RECOMMENDED};
	assert_memory_equal(row->cells, want, sizeof(want));
	assert_int_equal(row->safe_from_day, 7);
	assert_int_equal(row->verdict, NDL_VERDICT_AVOID); /* day 0: no day given */
	assert_string_equal(row->label, "t.txt:1");
	assert_int_equal(row->nreasons, 1);
	assert_string_equal(row->reasons[0].ingredient, "Retinol");
	assert_int_equal(row->reasons[0].nclasses, 1);
	assert_string_equal(row->reasons[0].classes[0], "retinoid");
	assert_int_equal(row->reasons[0].avoid_until_day, 5);
	assert_int_equal(row->reasons[0].safe_day, 7);
	assert_null(row->error);
	ndl_plan_free(plan);
}

/* An ingredient in two classes with the same windows is one reason. */
static void test_reasons_merge_classes(void **state)
{
	(void)state;
	ndl_plan *plan = ndl_plan_new(NULL);
	const ndl_plan_row *row = add(plan, "Aqua, Glycerin, Menthol");
	assert_int_equal(row->nreasons, 1);
	assert_string_equal(row->reasons[0].ingredient, "Menthol");
	assert_int_equal(row->reasons[0].nclasses, 2);
	ndl_plan_free(plan);
}

static void test_unknown(void **state)
{
	(void)state;
	ndl_plan *plan = ndl_plan_new(NULL);
	const ndl_plan_row *row = add(plan, "No Info");
	for (int d = 0; d < NDL_PLAN_DAYS; d++)
		assert_int_equal(row->cells[d], NDL_CELL_UNKNOWN);
	assert_int_equal(row->safe_from_day, -1);
	assert_non_null(row->error);
	ndl_plan_free(plan);
}

/* Today's cell and the verdict are judged at the moment given; past the
 * week, the verdict still is. */
static void test_today(void **state)
{
	(void)state;
	const char *retinol = "Aqua, Glycerin, Retinol, Phenoxyethanol";
	ndl_plan_options opt = {.has_now = 1, .now = ndl_when_day(5)};
	ndl_plan *plan = ndl_plan_new(&opt);
	const ndl_plan_row *row = add(plan, retinol);
	assert_int_equal(row->verdict, NDL_VERDICT_CAUTION);
	ndl_plan_free(plan);

	opt.now = ndl_when_day(30);
	plan = ndl_plan_new(&opt);
	row = add(plan, retinol);
	assert_int_equal(row->verdict, NDL_VERDICT_SAFE);
	assert_int_equal(row->cells[0], NDL_CELL_AVOID);
	ndl_plan_free(plan);
}

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *procedure;
		int day, year, month, mday, weekday; /* day `day` starts then */
	} cases[] = {
		{"2026-11-20T14:30", 0, 2026, 11, 20, 4}, /* a Friday */
		{"2027-12-28", 4, 2028, 1, 1, 5},	  /* a Saturday, a year on */
		{"2028-02-27", 2, 2028, 2, 29, 1},	  /* a leap day */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ndl_plan_options opt = {.dated = 1};
		assert_int_equal(ndl_parse_datetime(cases[i].procedure, &opt.procedure), 0);
		ndl_plan *plan = ndl_plan_new(&opt);
		ndl_date d;
		assert_int_equal(ndl_plan_date(plan, cases[i].day, &d), 0);
		assert_int_equal(d.year, cases[i].year);
		assert_int_equal(d.month, cases[i].month);
		assert_int_equal(d.day, cases[i].mday);
		assert_int_equal(d.weekday, cases[i].weekday);
		ndl_plan_free(plan);
	}
	ndl_plan *plan = ndl_plan_new(NULL);
	ndl_date d;
	assert_int_equal(ndl_plan_date(plan, 0, &d), -1);
	ndl_plan_free(plan);
}

static void test_html_text(void **state)
{
	(void)state;
	ndl_buf b = {0};
	const char in[] = "<b>Serum & \"Co\" 'x'\x1b[2J\xff\xc2\x9b"
			  "\xe2\x80\xaer\xe2\x81\xa6";
	ndl_html_text(&b, in, sizeof(in) - 1);
	assert_string_equal(ndl_buf_cstr(&b),
			    "&lt;b&gt;Serum &amp; &quot;Co&quot; &#39;x&#39;?[2J"
			    "\xef\xbf\xbd??r?");
	ndl_buf_free(&b);
}

/* Whether the Markdown plan of one product named name has its row as
 * row says. */
static int markdown_row_is(const char *name, const char *row)
{
	ndl_plan *plan = ndl_plan_new(NULL);
	ndl_product p = product("Aqua, Glycerin");
	ndl_record rec = {.source = "s", .row = 1, .line = 1, .name = name,
			  .name_len = strlen(name)};
	assert_int_equal(ndl_plan_add(plan, &rec, ndl_check(chk, &p), NULL), 0);
	ndl_buf b = {0};
	ndl_write_plan_markdown(&b, plan);
	int found = strstr(ndl_buf_cstr(&b), row) != NULL;
	ndl_buf_free(&b);
	ndl_plan_free(plan);
	return found;
}

/* A name never becomes Markdown: no cell break, emphasis, link or HTML. */
static void test_markdown_escapes(void **state)
{
	(void)state;
	assert_true(markdown_row_is("A|B *c* [d](e) <i>&amp;\x1b",
				    "| A\\|B \\*c\\* \\[d\\](e) \\<i\\>\\&amp;? |"));
}

/* Nor a link that a renderer would make of a URL, a domain or an e-mail
 * address; nor a bidi override that shows it in another order. */
static void test_markdown_no_autolinks(void **state)
{
	(void)state;
	assert_true(markdown_row_is("See https://x.example/a, www.shop.example or "
				    "me@mail.example.\n\xe2\x80\xae" "evil\xe2\x81\xa6x",
				    "| See https\\://x\\.example/a, www\\.shop\\.example "
				    "or me\\@mail\\.example. ?evil?x |"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_follow_check),
		cmocka_unit_test(test_retinol_week),
		cmocka_unit_test(test_reasons_merge_classes),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_markdown_escapes),
		cmocka_unit_test(test_markdown_no_autolinks),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
