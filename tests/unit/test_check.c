/* The whole check through the public API: matcher, rules, verdicts, days,
 * positions. Uses the lexicon embedded at build time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "knowledge/lexicon.h"

static const ndl_result *check_named(const char *text, const char *name,
				     ndl_when when)
{
	return check_at(text, name, when);
}

static const ndl_result *check(const char *text, int day)
{
	return check_at(text, NULL, ndl_when_day(day));
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
	assert_int_equal(verdict(r), NDL_VERDICT_AVOID);
	assert_int_equal(safe_from(r), 7);
	const ndl_finding *f = finding(r, "retinoid");
	assert_non_null(f);
	assert_memory_equal(f->ingredient, "Retinol", 7);
	assert_int_equal(status(f), NDL_AVOID);
	assert_int_equal(until(f), 5);
	assert_int_equal(f->line, 1);
	assert_int_equal(f->column, 17);
	assert_int_equal(verdict(check(list, 5)), NDL_VERDICT_CAUTION);
	assert_int_equal(until(finding(check(list, 5), "retinoid")), 7);
	assert_int_equal(verdict(check(list, 7)), NDL_VERDICT_SAFE);
	assert_int_equal(safe_from(check(list, 7)), 7);
}

static void test_hours_boundaries(void **state)
{
	(void)state;
	const char *list = "Water, Glycolic Acid, Glycerin";
	assert_int_equal(verdict(check_named(list, NULL, ndl_when_hours(119.9))),
			 NDL_VERDICT_AVOID);
	assert_int_equal(verdict(check_named(list, NULL, ndl_when_hours(120))),
			 NDL_VERDICT_CAUTION);
	assert_int_equal(verdict(check_named(list, NULL, ndl_when_hours(167.99))),
			 NDL_VERDICT_CAUTION);
	assert_int_equal(verdict(check_named(list, NULL, ndl_when_hours(168))),
			 NDL_VERDICT_SAFE);
	assert_int_equal(ndl_when_hours(47.5).day, 1);
}

static void test_hydrating_serum(void **state)
{
	(void)state;
	const ndl_result *r = check("Aqua, Sodium Hyaluronate, Glycerin, Panthenol, "
				    "Phenoxyethanol, Ethylhexylglycerin", 0);
	assert_int_equal(verdict(r), NDL_VERDICT_SAFE);
	assert_int_equal(safe_from(r), 0);
	const ndl_finding *f = finding(r, "hydrating");
	assert_non_null(f);
	assert_int_equal(status(f), NDL_RECOMMENDED);
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
		if (verdict(r) != NDL_VERDICT_UNKNOWN || r->error == NULL)
			fail_msg("'%s' gave %s", texts[i], ndl_verdict_name(verdict(r)));
		assert_int_equal(safe_from(r), -1);
	}
	ndl_product bin = {.text = "Water\0\x01\x02\x03", .len = 9};
	const ndl_result *r = check_product(chk, &bin, ndl_when_day(0));
	assert_int_equal(verdict(r), NDL_VERDICT_UNKNOWN);
	assert_string_equal(r->error, "binary data, not text");
}

/* What cannot be read is unknown, but a retinoid read in it still
 * decides: avoid outranks unknown. And no day is its safe day: once the
 * retinoid allows it, it is unknown again. */
static void test_unknown_with_avoid(void **state)
{
	(void)state;
	const ndl_result *r = check("Retinol: our best ever night treatment, it "
				    "helps smooth your skin while you sleep and "
				    "wakes it up glowing", 0);
	assert_int_equal(verdict(r), NDL_VERDICT_AVOID);
	assert_non_null(r->error);
	assert_int_equal(safe_from(r), -1);
	assert_int_equal(ndl_verdict_at(r, ndl_when_day(30), NULL), NDL_VERDICT_UNKNOWN);
}

static void test_late_caution(void **state)
{
	(void)state;
	const ndl_result *r = check("Water, Glycerin, Cetearyl Alcohol, "
				    "Phenoxyethanol, Citric Acid", 0);
	const ndl_finding *f = finding(r, "aha");
	assert_non_null(f);
	assert_int_equal(status(f), NDL_CAUTION);
	assert_non_null(f->reason);
	assert_non_null(strstr(f->reason, "after Phenoxyethanol"));
	assert_int_equal(verdict(r), NDL_VERDICT_CAUTION);
	/* the same acid high in the list is a dose */
	f = finding(check("Water, Citric Acid, Glycerin, Phenoxyethanol", 0), "aha");
	assert_non_null(f);
	assert_int_equal(status(f), NDL_AVOID);
	/* glycolic acid has no such rule */
	f = finding(check("Water, Glycerin, Phenoxyethanol, Glycolic Acid", 0), "aha");
	assert_int_equal(status(f), NDL_AVOID);
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
	assert_int_equal(status(f), NDL_CAUTION);
	assert_non_null(strstr(f->reason, "last third"));
}

static void test_drug_facts_active(void **state)
{
	(void)state;
	/* a printed percentage is a dose wherever it stands */
	const ndl_finding *f = finding(
		check("Water, Glycerin, Phenoxyethanol, Salicylic Acid 2%", 0), "bha");
	assert_non_null(f);
	assert_int_equal(status(f), NDL_AVOID);
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
	assert_int_equal(status(f), NDL_AVOID);
	assert_int_equal(safe_from(r) >= 3, 1);
	assert_int_equal(status(finding(check_named(tinted, "Foundation", ndl_when_day(1)),
				 "makeup")), NDL_CAUTION);
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
	assert_int_equal(status(f), NDL_CAUTION);
	assert_non_null(strstr(f->reason, "did you mean 'Retinol'"));
	assert_null(f->matched);
	f = finding(check("Water, Glycollic Acid, Glycerin", 2), "aha");
	assert_non_null(f);
	assert_int_equal(status(f), NDL_CAUTION);
	f = finding(check("Water, Ascorbic Aicd, Glycerin", 2), "vitamin-c");
	assert_non_null(f);
	/* two edits in a short word is another word, not a typo */
	static const char *const not_near[] = {"Folic Acid", "Carbon", "Citrus",
					       "Batyl Alcohol", "Xylitol Acid"};
	for (size_t i = 0; i < sizeof(not_near) / sizeof(not_near[0]); i++) {
		char list[64];
		snprintf(list, sizeof(list), "Water, %s, Glycerin", not_near[i]);
		const ndl_result *res = check(list, 2);
		for (size_t k = 0; k < res->nfindings; k++)
			if (res->findings[k].reason &&
			    strstr(res->findings[k].reason, "did you mean"))
				fail_msg("'%s' taken for a typo: %s", not_near[i],
					 res->findings[k].reason);
	}
}

/* The status and reason of class cls in r (the finding must exist). */
static const ndl_finding *must(const ndl_result *r, const char *cls,
			       ndl_status want, const char *reason_part)
{
	const ndl_finding *f = finding(r, cls);
	if (f == NULL)
		fail_msg("no %s finding", cls);
	if (status(f) != want)
		fail_msg("%s is %s, not %s (%s)", cls, ndl_status_name(status(f)),
			 ndl_status_name(want), f->reason ? f->reason : "no reason");
	if (reason_part && (f->reason == NULL || !strstr(f->reason, reason_part)))
		fail_msg("%s reason '%s' lacks '%s'", cls,
			 f->reason ? f->reason : "(none)", reason_part);
	return f;
}

static void test_ph_adjusters(void **state)
{
	(void)state;
	/* past the first third, before any marker: a pH adjuster */
	const char *wash = "Water, Sodium Laureth Sulfate, Cocamidopropyl Betaine, "
			   "Sodium Chloride, Citric Acid, Glycerin, Panthenol, "
			   "Coco-Glucoside, Glyceryl Oleate, Phenoxyethanol, "
			   "Sodium Benzoate, Parfum";
	must(check(wash, 0), "aha", NDL_CAUTION, "after the first third");
	/* in a product washed off it sets the pH wherever it is */
	must(check_named("Water, Citric Acid, Sodium Laureth Sulfate, Glycerin",
			 "Hydrating Body Wash", ndl_when_day(0)),
	     "aha", NDL_CAUTION, "washed off");
	/* in the first third it may be a dose */
	must(check("Water, Lactic Acid, Glycerin, Sodium Hydroxide, Xanthan Gum, "
		   "Phenoxyethanol", 0),
	     "aha", NDL_AVOID, NULL);
	/* an acid product keeps its acids wherever they are */
	must(check_named(wash, "Glow AHA Resurfacing Wash", ndl_when_day(0)), "aha",
	     NDL_AVOID, "the product's name says 'aha'");
	/* a Drug Facts dose is never a trace */
	must(check("Water, Glycerin, Phenoxyethanol, Xanthan Gum, Lactic Acid 5%", 0),
	     "aha", NDL_AVOID, NULL);
}

static void test_preservative_blends(void **state)
{
	(void)state;
	const ndl_result *r = check("Water, Glycerin, Gluconolactone, Sodium Benzoate, "
				    "Calcium Gluconate, Xanthan Gum", 0);
	must(r, "pha", NDL_SAFE, "next to Sodium Benzoate");
	assert_int_equal(verdict(r), NDL_VERDICT_SAFE);
	must(check("Water, Glycerin, Gluconolactone & Sodium Benzoate, Xanthan Gum", 0),
	     "pha", NDL_SAFE, NULL);
	/* alone and high it is a PHA */
	must(check("Water, Gluconolactone, Glycerin, Xanthan Gum, Phenoxyethanol", 0),
	     "pha", NDL_AVOID, NULL);
	/* a PHA toner keeps it whatever the neighbours */
	must(check_named("Water, Glycerin, Gluconolactone, Sodium Benzoate",
			 "PHA Exfoliating Toner", ndl_when_day(0)),
	     "pha", NDL_AVOID, "name says");
}

static void test_trace_antioxidants(void **state)
{
	(void)state;
	must(check("Squalane, Ascorbyl Palmitate, Tocopherol, Helianthus Annuus Seed Oil", 0),
	     "vitamin-c", NDL_CAUTION, "next to Tocopherol");
	must(check("Caprylic/Capric Triglyceride, Squalane, Dimethicone, Glycerin, "
		   "Helianthus Annuus Seed Oil, Ascorbyl Palmitate, "
		   "Simmondsia Chinensis Seed Oil, Cetearyl Alcohol, "
		   "Isononyl Isononanoate, Cetyl Alcohol", 0),
	     "vitamin-c", NDL_CAUTION, "after the first third");
	/* in a short list a place says nothing of the amount */
	must(check("Caprylic/Capric Triglyceride, Squalane, Dimethicone, Glycerin, "
		   "Helianthus Annuus Seed Oil, Ascorbyl Palmitate, Cetyl Alcohol", 0),
	     "vitamin-c", NDL_AVOID, NULL);
	/* ascorbic acid next to tocopherol is the C + E serum */
	must(check("Water, Ascorbic Acid, Tocopherol, Ferulic Acid, Phenoxyethanol", 0),
	     "vitamin-c", NDL_AVOID, NULL);
	/* a vitamin C product keeps its trace forms */
	must(check_named("Water, Glycerin, Dimethicone, Phenoxyethanol, Ascorbyl Palmitate",
			 "Vitamin C Glow Moisturiser", ndl_when_day(0)),
	     "vitamin-c", NDL_AVOID, "name says");
}

static void test_scrubs(void **state)
{
	(void)state;
	const char *wash = "Water, Sodium Laureth Sulfate, Sodium Chloride, "
			   "Cocamidopropyl Betaine, Glycerin, Phenoxyethanol";
	assert_null(finding(check_named(wash, "Gentle Face Wash", ndl_when_day(0)),
			    "exfoliant"));
	must(check_named("Sodium Chloride, Prunus Amygdalus Dulcis Oil, Tocopherol",
			 "Sea Salt Body Scrub", ndl_when_day(0)),
	     "exfoliant", NDL_AVOID, "name says 'scrub'");
	/* a powder with no other use counts high in a list */
	must(check("Kaolin, Diatomaceous Earth, Glycerin, Water, Phenoxyethanol", 0),
	     "exfoliant", NDL_AVOID, "among the first 5");
	assert_null(finding(check("Water, Glycerin, Kaolin, Squalane, Dimethicone, "
				  "Cetyl Alcohol, Diatomaceous Earth", 0),
			    "exfoliant"));
	/* shells scrub anywhere */
	must(check("Water, Glycerin, Phenoxyethanol, Juglans Regia Shell Powder", 0),
	     "exfoliant", NDL_AVOID, NULL);
}

static void test_sunscreens(void **state)
{
	(void)state;
	const char *list = "Water, Homosalate, Octocrylene, Glycerin, Dimethicone, "
			   "Phenoxyethanol";
	/* below SPF 25: caution while the skin heals */
	const ndl_result *r = check_named(list, "Daily Moisturiser SPF 15",
					  ndl_when_day(0));
	const ndl_finding *f = must(r, "uv-filter", NDL_CAUTION, "SPF 25+");
	assert_int_equal(until(f), 7);
	assert_int_equal(verdict(check_named(list, "Daily Moisturiser SPF 15",
				     ndl_when_day(7))), NDL_VERDICT_SAFE);
	must(check_named(list, "Daily Moisturiser SPF30", ndl_when_day(0)),
	     "uv-filter", NDL_RECOMMENDED, "SPF 30");
	must(check_named(list, "Sheer Fluid spf 50+", ndl_when_day(0)),
	     "uv-filter", NDL_RECOMMENDED, "SPF 50");
	/* the spf field wins over the name */
	ndl_product p = {.text = list, .len = strlen(list), .name = "Day Fluid SPF 50",
			 .name_len = 16, .spf = 20};
	r = check_product(chk, &p, ndl_when_day(0));
	must(r, "uv-filter", NDL_CAUTION, "SPF 20");
	/* two filters in the first half make a sunscreen, no SPF given */
	must(check(list, 0), "uv-filter", NDL_RECOMMENDED, "check it is 25");
	/* a lone filter low in a cream is not */
	assert_null(finding(check("Water, Glycerin, Dimethicone, Cetyl Alcohol, "
				  "Phenoxyethanol, Titanium Dioxide", 0),
			    "uv-filter"));
	/* a tinted sunscreen is makeup caution only */
	must(check_named("Water, Zinc Oxide, Glycerin, Iron Oxides (CI 77491)",
			 "Tinted Mineral Sunscreen SPF 30", ndl_when_day(0)),
	     "makeup", NDL_CAUTION, "tinted sunscreen");
}

static void test_makeup_by_pigments(void **state)
{
	(void)state;
	/* dyes colour lotions: not makeup */
	assert_null(finding(check("Water, Glycerin, Phenoxyethanol, Yellow 5 (CI 19140), "
				  "Red 4 (CI 14700), Yellow 6 (CI 15985)", 0),
			    "makeup"));
	/* iron oxides with other colourants are */
	must(check("Talc, Mica, Dimethicone, Iron Oxides (CI 77491), CI 77492, "
		   "Titanium Dioxide (CI 77891)", 0),
	     "makeup", NDL_AVOID, "iron oxides among");
}

static void test_not_lists(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"Titanium Dioxide, Sunscreen",
		"-Titanium Dioxide 3.55%: Sunscreen. -Octinoxate 3.74%: Sunscreen.",
		"Octinoxate 7.5%, Octisalate 5%, Avobenzone 3%",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const ndl_result *r = check(texts[i], 0);
		if (verdict(r) != NDL_VERDICT_UNKNOWN || r->error == NULL)
			fail_msg("'%s' gave %s", texts[i], ndl_verdict_name(verdict(r)));
	}
	/* one whole ingredient is a product: argan oil */
	assert_int_equal(verdict(check("Argania Spinosa Kernel Oil", 0)),
			 NDL_VERDICT_SAFE);
}

static void test_label_spellings(void **state)
{
	(void)state;
	/* a list printed without commas */
	const ndl_result *r = check("Propylene Glycol Cyclopentasiloxane Ascorbic Acid "
				    "Glycerin Dimethicone Crosspolymer Aqua", 0);
	must(r, "vitamin-c", NDL_AVOID, NULL);
	assert_int_equal(r->nunrecognized, 0);
	/* a run of words that are not names is not read as names */
	r = check("Water, Retinol free gentle formula for every skin type, Glycerin", 0);
	assert_null(finding(r, "retinoid"));
	/* grower's words and British spellings */
	r = check("Organic Aloe Barbadensis Leaf Juice, Zinc Sulphate, Certified "
		  "Organic Glycerin, Aluminium Hydroxide", 0);
	assert_int_equal(r->nunrecognized, 0);
	/* a typo closer to an ordinary name is not an active's near miss */
	r = check("Water, Glycerin, Benzonic Acid, Phenoxyethanol", 0);
	assert_null(finding(r, "aha"));
	assert_int_equal(r->nunrecognized, 1);
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
	const ndl_result *r = check_product(chk, &p, ndl_when_day(0));
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
	r = check_product(chk, &p, ndl_when_day(0));
	assert_int_equal(finding(r, "retinoid")->column, 5 + 18);
}

static size_t filters_found(const ndl_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		n += strcmp(r->findings[i].class_id, "uv-filter") == 0;
	return n;
}

/* The tables are read from the lexicon, not from code: a
 * lexicon whose qualifiers.txt lacks "Organic" does not read "Organic
 * Shea Butter", and one whose uv-filter.txt asks SPF 10 finds SPF 15
 * enough. */
static void test_tables_from_lexicon(void **state)
{
	(void)state;
	const char *list = "Water, Organic Shea Butter, Glycerin";
	assert_int_equal(check_at(list, NULL, ndl_when_day(0))->nunrecognized, 0);
	static const char quals[] = "class: qualifiers\nentry: Cold Pressed\n"
				    "example: Cold Pressed Virgin Marula Oil\n";
	ndl_error err = {0};
	ndl_lexicon *own = ndl_lexicon_open_with(NULL, "qualifiers.txt", quals,
						 sizeof(quals) - 1, &err);
	assert_non_null(own);
	ndl_checker *c = ndl_checker_new(own);
	assert_non_null(c);
	assert_int_equal(check_with(c, list, NULL, ndl_when_day(0))->nunrecognized, 1);
	ndl_checker_free(c);
	ndl_lexicon_free(own);

	const char *filters = "Water, Octinoxate, Zinc Oxide, Glycerin";
	const ndl_result *r = check_at(filters, "SPF 15 Day Cream", ndl_when_day(0));
	assert_int_equal(filters_found(r), 2);
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].class_id, "uv-filter") == 0)
			assert_non_null(strstr(r->findings[i].reason, "below SPF 25"));
	const ndl_embedded_file *f = ndl_embedded_find("uv-filter.txt");
	char *text = strndup(f->data, f->len);
	assert_non_null(text);
	char *spf = strstr(text, "spf: 25");
	assert_non_null(spf);
	spf[5] = '1', spf[6] = '0'; /* a clinic asking SPF 10 */
	own = ndl_lexicon_open_with(NULL, "uv-filter.txt", text, f->len, &err);
	assert_non_null(own);
	c = ndl_checker_new(own);
	assert_non_null(c);
	r = check_with(c, filters, "SPF 15 Day Cream", ndl_when_day(0));
	assert_int_equal(filters_found(r), 2);
	for (size_t i = 0; i < r->nfindings; i++)
		assert_null(strstr(r->findings[i].reason ? r->findings[i].reason : "", "below SPF"));
	ndl_checker_free(c);
	ndl_lexicon_free(own);
	free(text);
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

/* A caller that shows no reasons (and no positions) gets the same
 * findings, without them. */
static void test_no_reasons(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{NULL, "Water, Glycerin, Cetearyl Alcohol, Phenoxyethanol, Citric Acid"},
		{NULL, "Water, Glycerin, Retinoll, Phenoxyethanol"},
		{"Sea Salt Body Scrub", "Sodium Chloride, Prunus Amygdalus Dulcis Oil, "
					"Tocopherol"},
		{"Daily Moisturiser SPF 15", "Water, Homosalate, Octocrylene, "
					     "Glycerin, Dimethicone, Phenoxyethanol"},
		{"Gentle Face Wash", "Water, Sodium Laureth Sulfate, Cocamidopropyl "
				     "Betaine, Glycerin, Limonene, Phenoxyethanol"},
		{"Liquid Foundation", "Water, Cyclopentasiloxane, Titanium Dioxide, "
				      "Glycerin, Iron Oxides, Retinyl Palmitate, "
				      "May Contain: CI 77491, CI 77492"},
		{NULL, "Kaolin, Diatomaceous Earth, Glycerin, Water, Phenoxyethanol"},
		{NULL, "Water, Retinol"},
		{NULL, "Aqua, Foo Extract, Bar Extract, Baz Oil, Glycerin"},
	};
	ndl_checker *brief = ndl_checker_new(lex);
	assert_non_null(brief);
	size_t reasons = 0;
	for (size_t c = 0; c < 2 * sizeof(cases) / sizeof(cases[0]); c++) {
		const char *name = cases[c / 2][0], *text = cases[c / 2][1];
		int positions = c % 2 == 0;
		ndl_product p = {.text = text, .len = strlen(text), .name = name,
				 .name_len = name ? strlen(name) : 0};
		const ndl_result *full = ndl_check(chk, &p);
		p.flags = NDL_PRODUCT_NO_REASONS |
			  (positions ? 0 : NDL_PRODUCT_NO_POSITIONS);
		const ndl_result *r = ndl_check(brief, &p);
		assert_non_null(full);
		assert_non_null(r);
		assert_true(full->error == r->error ||
			    (full->error && r->error && !strcmp(full->error, r->error)));
		assert_true(full->safe_from_h == r->safe_from_h);
		assert_int_equal(full->ningredients, r->ningredients);
		assert_int_equal(full->nunrecognized, r->nunrecognized);
		assert_int_equal(full->nfindings, r->nfindings);
		for (size_t k = 0; k < r->nfindings; k++) {
			const ndl_finding *a = &full->findings[k], *b = &r->findings[k];
			reasons += a->reason != NULL;
			assert_null(b->reason);
			assert_int_equal(a->class_index, b->class_index);
			assert_true(a->window.avoid_h == b->window.avoid_h &&
				    a->window.caution_h == b->window.caution_h &&
				    a->window.then == b->window.then);
			assert_int_equal(a->safe_day, b->safe_day);
			assert_int_equal(a->flags, b->flags);
			assert_int_equal(a->offset, b->offset);
			assert_int_equal(a->position, b->position);
			assert_true(a->line > 0 && a->column > 0);
			assert_int_equal(b->line, positions ? a->line : 0);
			assert_int_equal(b->column, positions ? a->column : 0);
			assert_true(a->matched == b->matched ||
				    (a->matched && b->matched &&
				     !strcmp(a->matched, b->matched)));
		}
	}
	assert_true(reasons >= 12); /* the cases above do have reasons */
	/* a list's error is no reason: written in full */
	size_t n = 6 * 100001;
	char *big = malloc(n + 1);
	assert_non_null(big);
	for (size_t k = 0; k < n; k += 6)
		memcpy(big + k, "Aqua, ", 6);
	big[n] = '\0';
	ndl_product p = {.text = big, .len = n, .flags = NDL_PRODUCT_NO_REASONS};
	const ndl_result *r = ndl_check(brief, &p);
	assert_non_null(r);
	assert_non_null(r->error);
	assert_non_null(strstr(r->error, "more than 100000 ingredients"));
	free(big);
	ndl_checker_free(brief);
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
		cmocka_unit_test(test_no_reasons),
		cmocka_unit_test(test_ph_adjusters),
		cmocka_unit_test(test_preservative_blends),
		cmocka_unit_test(test_trace_antioxidants),
		cmocka_unit_test(test_scrubs),
		cmocka_unit_test(test_sunscreens),
		cmocka_unit_test(test_makeup_by_pigments),
		cmocka_unit_test(test_not_lists),
		cmocka_unit_test(test_label_spellings),
		cmocka_unit_test(test_false_friends),
		cmocka_unit_test(test_synonyms),
		cmocka_unit_test(test_listed_twice),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_tables_from_lexicon),
		cmocka_unit_test(test_datetime),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
