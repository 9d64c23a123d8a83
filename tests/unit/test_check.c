/* The whole check through the public API: matcher, rules, verdicts, days,
 * positions. Uses the lexicon embedded at build time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "needlecheck.h"

static ndl_lexicon *lex;
static ndl_checker *chk;

static int setup(void **state)
{
	(void)state;
	ndl_error err;
	lex = ndl_lexicon_open(NULL, &err);
	chk = lex ? ndl_checker_new(lex) : NULL;
	return chk ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	return 0;
}

static const ndl_result *check_named(const char *text, const char *name,
				     ndl_when when)
{
	ndl_product p = {.text = text, .len = strlen(text), .name = name,
			 .name_len = name ? strlen(name) : 0};
	const ndl_result *r = ndl_check(chk, &p, when);
	assert_non_null(r);
	return r;
}

static const ndl_result *check(const char *text, int day)
{
	return check_named(text, NULL, ndl_when_day(day));
}

/* The finding of class cls, or NULL. */
static const ndl_finding *finding(const ndl_result *r, const char *cls)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].class_id, cls) == 0)
			return &r->findings[i];
	return NULL;
}

static void test_retinol_by_day(void **state)
{
	(void)state;
	const char *list = "Aqua, Glycerin, Retinol, Phenoxyethanol";
	const ndl_result *r = check(list, 2);
	assert_int_equal(r->verdict, NDL_VERDICT_AVOID);
	assert_int_equal(r->safe_from_day, 7);
	const ndl_finding *f = finding(r, "retinoid");
	assert_non_null(f);
	assert_memory_equal(f->ingredient, "Retinol", 7);
	assert_int_equal(f->status, NDL_AVOID);
	assert_int_equal(f->until_day, 5);
	assert_int_equal(f->line, 1);
	assert_int_equal(f->column, 17);
	assert_int_equal(check(list, 5)->verdict, NDL_VERDICT_CAUTION);
	assert_int_equal(finding(check(list, 5), "retinoid")->until_day, 7);
	assert_int_equal(check(list, 7)->verdict, NDL_VERDICT_SAFE);
	assert_int_equal(check(list, 7)->safe_from_day, 7);
}

static void test_hours_boundaries(void **state)
{
	(void)state;
	const char *list = "Water, Glycolic Acid, Glycerin";
	assert_int_equal(check_named(list, NULL, ndl_when_hours(119.9))->verdict,
			 NDL_VERDICT_AVOID);
	assert_int_equal(check_named(list, NULL, ndl_when_hours(120))->verdict,
			 NDL_VERDICT_CAUTION);
	assert_int_equal(check_named(list, NULL, ndl_when_hours(167.99))->verdict,
			 NDL_VERDICT_CAUTION);
	assert_int_equal(check_named(list, NULL, ndl_when_hours(168))->verdict,
			 NDL_VERDICT_SAFE);
	assert_int_equal(ndl_when_hours(47.5).day, 1);
}

static void test_hydrating_serum(void **state)
{
	(void)state;
	const ndl_result *r = check("Aqua, Sodium Hyaluronate, Glycerin, Panthenol, "
				    "Phenoxyethanol, Ethylhexylglycerin", 0);
	assert_int_equal(r->verdict, NDL_VERDICT_SAFE);
	assert_int_equal(r->safe_from_day, 0);
	const ndl_finding *f = finding(r, "hydrating");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_RECOMMENDED);
	assert_int_equal(r->nunrecognized, 0);
}

static void test_unknown(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"No Info", "", "   \n", "Visit the Tatcha boutique",
		"Xyzzy Plugh, Frobozz Quux, Zorkmid Extract",
		("This luxurious cream melts into your skin and helps it glow all "
		 "day long with our signature botanical complex."),
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const ndl_result *r = check(texts[i], 0);
		if (r->verdict != NDL_VERDICT_UNKNOWN || r->error == NULL)
			fail_msg("'%s' gave %s", texts[i], ndl_verdict_name(r->verdict));
		assert_int_equal(r->safe_from_day, -1);
	}
	ndl_product bin = {.text = "Water\0\x01\x02\x03", .len = 9};
	const ndl_result *r = ndl_check(chk, &bin, ndl_when_day(0));
	assert_int_equal(r->verdict, NDL_VERDICT_UNKNOWN);
	assert_string_equal(r->error, "binary data, not text");
}

/* What cannot be read is unknown, but a retinoid read in it still
 * decides: avoid outranks unknown. */
static void test_unknown_with_avoid(void **state)
{
	(void)state;
	const ndl_result *r = check("Retinol: our best ever night treatment, it "
				    "helps smooth your skin while you sleep and "
				    "wakes it up glowing", 0);
	assert_int_equal(r->verdict, NDL_VERDICT_AVOID);
	assert_non_null(r->error);
}

static void test_late_caution(void **state)
{
	(void)state;
	const ndl_result *r = check("Water, Glycerin, Cetearyl Alcohol, "
				    "Phenoxyethanol, Citric Acid", 0);
	const ndl_finding *f = finding(r, "aha");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_CAUTION);
	assert_non_null(f->reason);
	assert_non_null(strstr(f->reason, "after Phenoxyethanol"));
	assert_int_equal(r->verdict, NDL_VERDICT_CAUTION);
	/* the same acid high in the list is a dose */
	f = finding(check("Water, Citric Acid, Glycerin, Phenoxyethanol", 0), "aha");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_AVOID);
	/* glycolic acid has no such rule */
	f = finding(check("Water, Glycerin, Phenoxyethanol, Glycolic Acid", 0), "aha");
	assert_int_equal(f->status, NDL_AVOID);
}

static void test_late_fallback(void **state)
{
	(void)state;
	const ndl_result *r = check(
		"Water, Glycerin, Squalane, Cetearyl Alcohol, Dimethicone, "
		"Caprylic/Capric Triglyceride, Butylene Glycol, Cetyl Alcohol, "
		"Stearic Acid, Sodium Hyaluronate, Allantoin, Citric Acid", 0);
	const ndl_finding *f = finding(r, "aha");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_CAUTION);
	assert_non_null(strstr(f->reason, "last third"));
}

static void test_drug_facts_active(void **state)
{
	(void)state;
	/* a printed percentage is a dose wherever it stands */
	const ndl_finding *f = finding(
		check("Water, Glycerin, Phenoxyethanol, Salicylic Acid 2%", 0), "bha");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_AVOID);
}

static void test_makeup(void **state)
{
	(void)state;
	const char *tinted = "Water, Glycerin, Phenoxyethanol, Titanium Dioxide, "
			     "Iron Oxides (CI 77491)";
	/* a moisturiser with a colourant is not makeup */
	assert_null(finding(check_named(tinted, "Daily Moisturiser",
					ndl_when_day(0)), "makeup"));
	/* a foundation is */
	const ndl_result *r = check_named(tinted, "Double Wear Stay-in-Place Foundation",
					  ndl_when_day(0));
	const ndl_finding *f = finding(r, "makeup");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_AVOID);
	assert_int_equal(r->safe_from_day >= 3, 1);
	assert_int_equal(finding(check_named(tinted, "Foundation", ndl_when_day(1)),
				 "makeup")->status, NDL_CAUTION);
	/* a shade list says makeup too */
	f = finding(check("Water, Talc, Dimethicone. May Contain: CI 77491, CI 77492", 0),
		    "makeup");
	assert_non_null(f);
	assert_true(f->flags & NDL_FINDING_MAY_CONTAIN);
	assert_non_null(strstr(f->reason, "may contain"));
}

static void test_near_miss(void **state)
{
	(void)state;
	const ndl_result *r = check("Water, Glycerin, Retinoll, Phenoxyethanol", 2);
	const ndl_finding *f = finding(r, "retinoid");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_CAUTION);
	assert_non_null(strstr(f->reason, "did you mean 'Retinol'"));
	assert_null(f->matched);
	f = finding(check("Water, Glycollic Acid, Glycerin", 2), "aha");
	assert_non_null(f);
	assert_int_equal(f->status, NDL_CAUTION);
	f = finding(check("Water, Ascorbic Aicd, Glycerin", 2), "vitamin-c");
	assert_non_null(f);
	/* two edits in a short word is another word, not a typo */
	static const char *const not_near[] = {"Folic Acid", "Carbon", "Citrus",
					       "Batyl Alcohol", "Xylitol Acid"};
	for (size_t i = 0; i < sizeof(not_near) / sizeof(not_near[0]); i++) {
		char list[64];
		snprintf(list, sizeof(list), "Water, %s, Glycerin", not_near[i]);
		const ndl_result *r = check(list, 2);
		for (size_t k = 0; k < r->nfindings; k++)
			if (r->findings[k].reason &&
			    strstr(r->findings[k].reason, "did you mean"))
				fail_msg("'%s' taken for a typo: %s", not_near[i],
					 r->findings[k].reason);
	}
}

static void test_false_friends(void **state)
{
	(void)state;
	static const struct {
		const char *name, *not_class, *is_class;
	} cases[] = {
		{"Hyaluronic Acid", "aha", "hydrating"},
		{"Sodium Hyaluronate", "aha", "hydrating"},
		{"Ethylhexyl Salicylate", "bha", "uv-filter"},
		{"Homosalate", "bha", "uv-filter"},
		{"Cetyl Alcohol", "drying-alcohol", NULL},
		{"Cetearyl Alcohol", "drying-alcohol", NULL},
		{"BHA", "bha", NULL},
		{"Tocopherol", "vitamin-c", NULL},
		{"Phloretin", "retinoid", NULL},
		{"Lactobacillus Ferment", "aha", NULL},
		{"Sodium Lactate", "aha", NULL},
		{"Butylene Glycol", "aha", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char list[128];
		strcpy(list, "Water, ");
		strcat(list, cases[i].name);
		strcat(list, ", Glycerin");
		/* a sunscreen, where UV filters are reported */
		const ndl_result *r = check_named(list, "Daily Fluid SPF 30",
						  ndl_when_day(0));
		if (finding(r, cases[i].not_class))
			fail_msg("'%s' was taken for %s", cases[i].name, cases[i].not_class);
		if (cases[i].is_class && !finding(r, cases[i].is_class))
			fail_msg("'%s' is not %s", cases[i].name, cases[i].is_class);
		if (r->nunrecognized)
			fail_msg("'%s' is not recognised", cases[i].name);
	}
}

static void test_synonyms(void **state)
{
	(void)state;
	const ndl_result *r = check("Aqua/Water/Eau, Vitamin A (Retinol), "
				    "Butyrospermum Parkii (Shea) Butter", 0);
	assert_int_equal(r->nunrecognized, 0);
	assert_non_null(finding(r, "retinoid"));
	r = check("Water\\Aqua\\Eau, Glycerin", 0);
	assert_int_equal(r->nunrecognized, 0);
	r = check("WATER, SODIUMHYALURONATE, Penty- lene Glycol, Cl 77891", 0);
	assert_int_equal(r->nunrecognized, 0);
	assert_non_null(finding(r, "hydrating"));
}

static void test_listed_twice(void **state)
{
	(void)state;
	/* a bilingual label prints the list twice: one finding */
	const ndl_result *r = check("Water, Retinol, Glycerin. Aqua, Retinol, Glycerin", 0);
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		n += strcmp(r->findings[i].class_id, "retinoid") == 0;
	assert_int_equal(n, 1);
}

static void test_positions(void **state)
{
	(void)state;
	ndl_product p = {.text = "Water,\n  Glyc\xc3\xa9rine,\n\tRetinol",
			 .line = 10, .column = 5};
	p.len = strlen(p.text);
	const ndl_result *r = ndl_check(chk, &p, ndl_when_day(0));
	const ndl_finding *f = finding(r, "retinoid");
	assert_non_null(f);
	assert_int_equal(f->line, 12);
	assert_int_equal(f->column, 2);
	f = finding(r, "hydrating");
	assert_non_null(f);
	assert_int_equal(f->line, 11);
	assert_int_equal(f->column, 3);
	p.text = "Water, Glyc\xc3\xa9rine, Retinol";
	p.len = strlen(p.text);
	r = ndl_check(chk, &p, ndl_when_day(0));
	assert_int_equal(finding(r, "retinoid")->column, 5 + 18);
}

static void test_datetime(void **state)
{
	(void)state;
	int64_t a, b;
	assert_int_equal(ndl_parse_datetime("2026-11-20", &a), 0);
	assert_int_equal(ndl_parse_datetime("2026-11-23T14:30", &b), 0);
	assert_int_equal(b - a, (3 * 24 + 14) * 60 + 30);
	assert_int_equal(ndl_parse_datetime("2024-02-29", &a), 0);
	assert_int_equal(ndl_parse_datetime("2026-02-29", &a), -1);
	assert_int_equal(ndl_parse_datetime("2026-13-01", &a), -1);
	assert_int_equal(ndl_parse_datetime("2026-11-20T24:00", &a), -1);
	assert_int_equal(ndl_parse_datetime("20-11-2026", &a), -1);
	assert_int_equal(ndl_parse_datetime("2026-11-20T", &a), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retinol_by_day),
		cmocka_unit_test(test_hours_boundaries),
		cmocka_unit_test(test_hydrating_serum),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_unknown_with_avoid),
		cmocka_unit_test(test_late_caution),
		cmocka_unit_test(test_late_fallback),
		cmocka_unit_test(test_drug_facts_active),
		cmocka_unit_test(test_makeup),
		cmocka_unit_test(test_near_miss),
		cmocka_unit_test(test_false_friends),
		cmocka_unit_test(test_synonyms),
		cmocka_unit_test(test_listed_twice),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_datetime),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
