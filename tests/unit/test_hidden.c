/* Nothing hides in a label: pieces that hold several names, names the
 * lexicon cannot read that hold or misspell an active's name, footnotes,
 * names known only as ordinary. Uses the lexicon embedded at build time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static const ndl_result *check(const char *text)
{
	return check_at(text, NULL, ndl_when_day(0));
}

/* The worst finding of class cls in r, or NULL. */
static const ndl_finding *worst(const ndl_result *r, const char *cls)
{
	const ndl_finding *w = NULL;
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].class_id, cls) == 0 &&
		    (w == NULL || status(&r->findings[i]) > status(w)))
			w = &r->findings[i];
	return w;
}

static void expect(const char *text, const char *cls, ndl_status want,
		   const char *reason_part)
{
	const ndl_result *r = check(text);
	const ndl_finding *f = worst(r, cls);
	if (f == NULL)
		fail_msg("'%s': no %s finding (verdict %s)", text, cls,
			 ndl_verdict_name(verdict(r)));
	if (status(f) != want)
		fail_msg("'%s': %s is %s, not %s (%s)", text, cls,
			 ndl_status_name(status(f)), ndl_status_name(want),
			 f->reason ? f->reason : "no reason");
	if (reason_part && (f->reason == NULL || !strstr(f->reason, reason_part)))
		fail_msg("'%s': %s reason '%s' lacks '%s'", text, cls,
			 f->reason ? f->reason : "(none)", reason_part);
}

static void expect_none(const char *text, const char *cls)
{
	const ndl_finding *f = worst(check(text), cls);
	if (f)
		fail_msg("'%s': %s reported (%s: %s)", text, cls,
			 ndl_status_name(status(f)), f->reason ? f->reason : "");
}

/* Pieces that hold several names are read as each of them, in place. */
static void test_run_together(void **state)
{
	(void)state;
	expect("Aqua, Glycerin, Vitamin E, and Retinyl Palmitate.", "retinoid",
	       NDL_AVOID, NULL);
	expect("Aqua, Niacinamide, Glycolic Acid and Glycerin", "aha", NDL_AVOID, NULL);
	expect("Water, Glycerin, Carbomer Parfum, Phenoxyethanol", "fragrance",
	       NDL_AVOID, NULL);
	expect("Formula RETINOL, SQUALANE, Glycerin, Water", "retinoid", NDL_AVOID, NULL);
	expect("[]Aqua []Retinol []Glycerin, Phenoxyethanol, Water", "retinoid",
	       NDL_AVOID, NULL);
	expect("Aqua (Water) Retinol, Glycerin, Phenoxyethanol", "retinoid",
	       NDL_AVOID, NULL);
	expect("Aqua/Water/Eau Retinol, Glycerin, Phenoxyethanol", "retinoid",
	       NDL_AVOID, NULL);
	/* each name holds its own place: Glycolic Acid is 4th, not 3rd */
	const ndl_result *r = check("Water Glycerin, Butylene Glycol, Glycolic Acid, "
				    "Phenoxyethanol");
	const ndl_finding *f = worst(r, "aha");
	assert_non_null(f);
	assert_int_equal(f->position, 4);
	assert_int_equal(f->column, 34);
	assert_int_equal(r->nunrecognized, 0);
	/* a known name with "and" in it stays whole, and nothing is left */
	r = check("Water, Glycerin, Caprylic/Capric Triglyceride, Phenoxyethanol");
	assert_int_equal(r->nunrecognized, 0);
	/* an unknown name is not cut into known words: "Extract" goes with it */
	r = check("Water, Glycerin, Acacia Senegal Gum Extract Hydrolyzed Rice Protein, "
		  "Phenoxyethanol");
	assert_int_equal(r->nunrecognized, 1);
}

/* A name the lexicon cannot read that holds or misspells an active. */
static void test_held(void **state)
{
	(void)state;
	expect("Aqua, Glycerin, Glycolic Acd, Phenoxyethanol", "aha", NDL_CAUTION,
	       "did you mean 'Glycolic Acid'");
	expect("Water, Retinol Complex XY, Glycerin, Phenoxyethanol", "retinoid",
	       NDL_CAUTION, "holds 'Retinol'");
	expect("Water, Glycerin, Retinoll Complex, Phenoxyethanol", "retinoid",
	       NDL_CAUTION, "'Retinoll'");
	expect("Aqua, Glycerin, AHA, Phenoxyethanol", "aha", NDL_AVOID, NULL);
	/* a held name does not hide the same name printed plainly later */
	expect("Water, Retinol Complex XY, Glycerin, Retinol, Phenoxyethanol",
	       "retinoid", NDL_AVOID, NULL);
	/* inside a longer known name, or a misspelt ordinary one, nothing */
	expect_none("Water, Cetyle Alcohol, Glycerin, Phenoxyethanol", "drying-alcohol");
	expect_none("Water, Phenyl Ethyl Alcohol Blend, Glycerin", "drying-alcohol");
	expect_none("Water, Aminomethyl Porpanol, Glycerin", "drying-alcohol");
	/* false friends hold nothing */
	expect_none("Water, Phloretin Complex, Glycerin, Phenoxyethanol", "retinoid");
	expect_none("Water, Hyaluronic Acid Spheres, Glycerin", "aha");
	expect_none("Water, Gellidiela Acerosa (Algae) Extract, Glycerin", "vitamin-c");
	/* what counts only in some products counts only there when held */
	expect_none("Water, Sodium Chloride Crystals XY, Glycerin, Phenoxyethanol",
		    "exfoliant");
}

/* What re-punctuating the public lists found (make audit). */
static void test_audit_finds(void **state)
{
	(void)state;
	/* the common name in brackets with the words after them */
	expect("Water, Tanecetum annuum (Blue Tansy) oil, Glycerin", "essential-oil",
	       NDL_AVOID, NULL);
	/* "and" before a name only a pattern knows */
	expect("Water, Glycerin, Tocopherol, and Citrus Aurantium (Neroli) Oil.",
	       "essential-oil", NDL_AVOID, NULL);
	/* a family pattern with free words does not take in the name before */
	expect("Water, Glycerin, Dipeptide-8 Citric Acid, Tocopherol", "aha",
	       NDL_AVOID, NULL);
	/* two names only patterns know, run together */
	expect("Water, Glycerin, Tanacetum Annuum (Blue Tansy) Leaf Oil Jasminum "
	       "Sambac (Jasmine) Absolute", "essential-oil", NDL_CAUTION, NULL);
	/* slash synonyms before a bracket */
	expect("Water\\Aqua\\Eau Myrtus Communis (Myrtle) Leaf Water, Glycerin",
	       "essential-oil", NDL_CAUTION, NULL);
	/* a run of names is not prose, even a long one */
	expect("Water, Glycerin, Sodium Citrate, Perilla Ocymoides Extract/Perilla "
	       "Ocymoides Leaf Extract Citric Acid.", "aha", NDL_CAUTION, NULL);
	/* in a list with no capital, ". next" ends a name too */
	expect("water, glycerin, benzyl alcohol. step 2: silica, zinc oxide",
	       "fragrance", NDL_CAUTION, NULL);
	/* a family pattern over the words around brackets takes in no
	 * name after them */
	expect("Water, Rosa Damascena Flower Water (Rose Water) Citrus Aurantium "
	       "Amara Flower Oil (Orange Blossom Oil), Glycerin", "essential-oil",
	       NDL_AVOID, NULL);
	/* an acid the label says is a pH regulator */
	expect("Water, Glycerin, Lactic Acid (pH regulator)", "aha", NDL_CAUTION,
	       "as the label says");
	/* a misspelt ordinary name beside a name holds nothing */
	expect_none("Water, Glycerin, Stearyl Alcohol Cetyle Alcohol, Phenoxyethanol",
		    "drying-alcohol");
}

/* A footnote's text is not an ingredient; a marked item still is. */
static void test_footnotes(void **state)
{
	(void)state;
	const ndl_result *r = check("Aqua, Glycerin, Linalool*, Phenoxyethanol\n"
				    "*natural component of essential oils");
	assert_null(worst(r, "essential-oil"));
	assert_int_not_equal(verdict(r), NDL_VERDICT_UNKNOWN);
	expect("Aqua, Glycerin, Cetyl Alcohol, ***Frgrance, Phenoxyethanol. "
	       "***Fragrances of Natural Origin", "fragrance", NDL_CAUTION,
	       "did you mean");
	expect("Aqua, Glycerin, *Lavandula Angustifolia Oil, Phenoxyethanol",
	       "essential-oil", NDL_AVOID, NULL);
}

/* A name from --known only silences "not recognised", never a class. */
static void test_known_never_hides(void **state)
{
	(void)state;
	char path[] = "/tmp/ndl-known-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *names = "Citrus Aurantium Flower Oil\nXyzzy Extract\n";
	assert_int_equal(write(fd, names, strlen(names)), (long)strlen(names));
	close(fd);
	const char *files[] = {path};
	ndl_config cfg = {.known_files = files, .nknown_files = 1};
	ndl_error err;
	ndl_lexicon *k = ndl_lexicon_open(&cfg, &err);
	unlink(path);
	assert_non_null(k);
	ndl_checker *c = ndl_checker_new(k);
	assert_non_null(c);
	const ndl_result *r = check_with(c, "Aqua, Glycerin, Citrus Aurantium Flower "
					    "Oil, Xyzzy Extract, Phenoxyethanol",
					 NULL, ndl_when_day(0));
	assert_int_equal(verdict(r), NDL_VERDICT_AVOID);
	assert_int_equal(r->nunrecognized, 0);
	ndl_checker_free(c);
	ndl_lexicon_free(k);
}

/* What a check found, as text: the verdict, each finding's ingredient,
 * class and status. */
static void outcome(const ndl_result *r, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "%s:", ndl_verdict_name(verdict(r)));
	for (size_t i = 0; i < r->nfindings && n < cap; i++) {
		const ndl_finding *f = &r->findings[i];
		n += (size_t)snprintf(out + n, cap - n, " %.*s=%s/%s",
				      (int)f->ingredient_len, f->ingredient,
				      f->class_id, ndl_status_name(status(f)));
	}
}

/* A list reads the same whatever the checker read before: a text read
 * as a part of a piece ("Formula Retinol Essential Oil" in "Glycerin
 * and Formula Retinol Essential Oil", no further split) and the same
 * text as a piece of its own are read apart, in either order. */
static void test_history_blind(void **state)
{
	(void)state;
	static const char *const lists[] = {
		"Water, Glycerin and Formula Retinol Essential Oil, Glycerin",
		"Water, Formula Retinol Essential Oil, Glycerin",
		"Glycerin and Formula Retinol, Essential Oil",
		"Aqua, Water Glycerin Retinyl Palmitate, Parfum",
		"Aqua, and Retinyl Palmitate, Glycerin",
		"Aqua, Retinyl Palmitate, Glycerin",
		"Aqua, Formula RETINOL, Glycerin",
		"Aqua, Glycerin Formula Retinol, Linalool",
		"Aqua, Formula Retinol, Linalool",
	};
	size_t n = sizeof(lists) / sizeof(lists[0]);
	char fresh[2048], after[2048];
	for (int order = 0; order < 2; order++)
		for (size_t k = 0; k < n; k++) {
			ndl_checker *c = ndl_checker_new(lex);
			assert_non_null(c);
			outcome(check_with(c, lists[k], NULL, ndl_when_day(3)), fresh,
				sizeof(fresh));
			ndl_checker_free(c);
			/* the others first, forwards or backwards */
			c = ndl_checker_new(lex);
			assert_non_null(c);
			for (size_t i = 0; i < n; i++)
				check_with(c, lists[order ? n - 1 - i : i], NULL,
					   ndl_when_day(3));
			outcome(check_with(c, lists[k], NULL, ndl_when_day(3)), after,
				sizeof(after));
			ndl_checker_free(c);
			if (strcmp(fresh, after) != 0)
				fail_msg("'%s'\n  alone:         %s\n  after others: %s",
					 lists[k], fresh, after);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_together),
		cmocka_unit_test(test_held),
		cmocka_unit_test(test_audit_finds),
		cmocka_unit_test(test_footnotes),
		cmocka_unit_test(test_known_never_hides),
		cmocka_unit_test(test_history_blind),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
