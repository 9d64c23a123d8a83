/* Catalogue lint through the public API: which finding decides a wrong
 * claim, what an allowance excuses, tags, fixes and the writers'
 * escaping. Uses the lexicon embedded at build time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "needlecheck_input.h"
#include "render/render.h"

static ndl_lexicon *lex;

static int setup(void **state)
{
	(void)state;
	ndl_error err;
	lex = ndl_lexicon_open(NULL, &err);
	return lex ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ndl_lexicon_free(lex);
	return 0;
}

/* ------------------------------------------------ linting a catalogue */

#define MAX_DIAGS 16

typedef struct seen {
	ndl_severity severity;
	char check[32], message[400], ingredient[64], suppressed_by[64];
	unsigned long line;
	unsigned column;
	int claimed_day, safe_from_day;
	int has_fix;
	ndl_fix fix;
} seen;

typedef struct lint {
	ndl_lint_options opt;
	ndl_lint_columns cols;
	ndl_lint_stats stats;
	seen diags[MAX_DIAGS];
	size_t n;
} lint;

static void collect(void *ctx, const ndl_diagnostic *d)
{
	lint *l = ctx;
	assert_true(l->n < MAX_DIAGS);
	seen *s = &l->diags[l->n++];
	memset(s, 0, sizeof(*s));
	s->severity = d->severity;
	snprintf(s->check, sizeof(s->check), "%s", d->check);
	snprintf(s->message, sizeof(s->message), "%s", d->message);
	if (d->ingredient)
		snprintf(s->ingredient, sizeof(s->ingredient), "%.*s",
			 (int)d->ingredient_len, d->ingredient);
	if (d->suppressed_by)
		snprintf(s->suppressed_by, sizeof(s->suppressed_by), "%s",
			 d->suppressed_by);
	s->line = d->line;
	s->column = d->column;
	s->claimed_day = d->claimed_day;
	s->safe_from_day = d->safe_from_day;
	s->has_fix = d->fix != NULL;
	if (d->fix)
		s->fix = *d->fix;
}

/* Lints csv, row by row, into l. */
static void lint_csv(lint *l, const char *csv)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	size_t n = strlen(csv);
	assert_int_equal(write(fds[1], csv, n), (ssize_t)n);
	close(fds[1]);
	ndl_error err = {0};
	ndl_csv_reader *rd = ndl_csv_open(lex, fds[0], "t.csv", NULL, &err);
	assert_non_null(rd);
	assert_int_equal(ndl_lint_columns_find(lex, ndl_csv_header_of(rd), &l->opt,
					       "t.csv", &l->cols, &err),
			 0);
	ndl_checker *chk = ndl_checker_new(lex);
	assert_non_null(chk);
	ndl_csv_row row;
	int rc;
	while ((rc = ndl_csv_next(rd, &row, &err)) == 1)
		assert_int_equal(ndl_lint_row(chk, &l->opt, &l->cols, "t.csv", &row,
					      &l->stats, collect, l),
				 0);
	assert_int_equal(rc, 0);
	ndl_checker_free(chk);
	ndl_csv_close(rd);
	close(fds[0]);
}

#define HEAD "name,ingredients,aftercare_day,tags,needlecheck_allow\n"

static void test_latest_finding_decides(void **state)
{
	(void)state;
	lint l = {0};
	/* makeup is fine from day 3, retinoids from day 7: Retinol decides */
	lint_csv(&l, HEAD "Tint,\"Aqua, CI 77491, Retinol\",2,,\n");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.diags[0].severity, NDL_ERROR);
	assert_string_equal(l.diags[0].check, "retinoid");
	assert_string_equal(l.diags[0].ingredient, "Retinol");
	assert_string_equal(l.diags[0].message,
			    "'Retinol' is a retinoid: not safe before day 7, "
			    "claimed day 2");
	assert_int_equal(l.diags[0].line, 2);
	assert_int_equal(l.diags[0].column, 23);
	assert_int_equal(l.stats.errors, 1);
	assert_int_equal(l.stats.claims, 1);
}

static void test_first_listed_among_equals(void **state)
{
	(void)state;
	lint l = {0};
	lint_csv(&l, HEAD "Serum,\"Aqua, Parfum, Retinol\",0,,\n");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.diags[0].ingredient, "Parfum");
	assert_string_equal(l.diags[0].message,
			    "'Parfum' is a fragrance: not safe before day 7, "
			    "claimed day 0");
}

static void test_claim_late_enough(void **state)
{
	(void)state;
	lint l = {0};
	lint_csv(&l, HEAD "Serum,\"Aqua, Retinol\",7,post-procedure-safe:9,\n"
		     "Gel,\"Aqua, Glycerin\",0,post-procedure-safe,\n");
	assert_int_equal(l.n, 0);
	assert_int_equal(l.stats.claims, 4);
	assert_int_equal(l.stats.products, 2);
}

static void test_allowance_moves_the_decision(void **state)
{
	(void)state;
	lint l = {0};
	/* the retinoid is excused; the pigment still makes day 0 wrong */
	lint_csv(&l, HEAD "Tint,\"Aqua, Retinol, CI 77491\",0,,Retinoid\n");
	assert_int_equal(l.n, 2);
	assert_string_equal(l.diags[0].suppressed_by, "Retinoid");
	assert_string_equal(l.diags[0].ingredient, "Retinol");
	assert_string_equal(l.diags[1].suppressed_by, "");
	assert_string_equal(l.diags[1].ingredient, "CI 77491");
	assert_int_equal(l.diags[1].safe_from_day, 3);
	assert_int_equal(l.stats.suppressed, 1);
	assert_int_equal(l.stats.errors, 1);
}

static void test_allowance_by_ingredient_name(void **state)
{
	(void)state;
	lint l = {0};
	/* names compare as the lexicon compares them: case, hyphens */
	lint_csv(&l, HEAD "Serum,\"Aqua, Retinyl Palmitate\",0,,retinyl-PALMITATE\n");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.diags[0].suppressed_by, "retinyl-PALMITATE");
	assert_int_equal(l.stats.errors, 0);
	assert_int_equal(l.stats.suppressed, 1);
}

static void test_allowance_beside_a_near_miss(void **state)
{
	(void)state;
	lint l = {0};
	/* "Retinoll" is a finding with no matched name ("did you mean") */
	lint_csv(&l, HEAD "Serum,\"Aqua, Retinoll, Parfum\",0,,fragrance\n");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.diags[0].ingredient, "Retinoll");
	assert_string_equal(l.diags[0].suppressed_by, "");
	assert_int_equal(l.stats.errors, 1);
}

static void test_allowance_not_needed_is_not_counted(void **state)
{
	(void)state;
	lint l = {0};
	/* the claim is right anyway: nothing to excuse */
	lint_csv(&l, HEAD "Serum,\"Aqua, Retinol\",7,,retinoid\n");
	assert_int_equal(l.n, 0);
	assert_int_equal(l.stats.suppressed, 0);
}

static void test_allowance_naming_nothing(void **state)
{
	(void)state;
	lint l = {0};
	lint_csv(&l, HEAD "Gel,\"Aqua, Glycerin\",0,,\"retinoid; Retinol\"\n");
	/* a class is always a valid allowance; an ingredient the product
	 * does not have is not */
	assert_int_equal(l.n, 1);
	assert_int_equal(l.diags[0].severity, NDL_WARNING);
	assert_string_equal(l.diags[0].check, NDL_CHECK_BAD_ALLOW);
	assert_int_equal(l.diags[0].column, 36);
}

static void test_tags(void **state)
{
	(void)state;
	lint l = {0};
	lint_csv(&l, HEAD "Serum,\"Aqua, Parfum\",,\"vegan|POST-PROCEDURE-SAFE:3\",\n"
		     "Gel,\"Aqua, Parfum\",,post-procedure-safer,\n"
		     "Mask,\"Aqua, Glycerin\",,post-procedure-safe:,\n");
	assert_int_equal(l.n, 2);
	assert_string_equal(l.diags[0].message,
			    "'Parfum' is a fragrance: not safe before day 7, "
			    "claimed day 3 by tag 'POST-PROCEDURE-SAFE:3'");
	assert_int_equal(l.diags[0].claimed_day, 3);
	/* "post-procedure-safer" is another tag; "post-procedure-safe:"
	 * is a claim without a day */
	assert_string_equal(l.diags[1].check, NDL_CHECK_BAD_CLAIM);
	assert_int_equal(l.diags[1].line, 4);
	assert_int_equal(l.stats.claims, 2);
}

static void test_bad_claims(void **state)
{
	(void)state;
	lint l = {0};
	lint_csv(&l, HEAD "A,\"Aqua, Glycerin\",100001,,\n"
		     "B,\"Aqua, Glycerin\",-1,,\n"
		     "C,\"Aqua, Glycerin\",2.5,,\n"
		     "D,\"Aqua, Glycerin\",\" 100000 \",,\n");
	assert_int_equal(l.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(l.diags[i].check, NDL_CHECK_BAD_CLAIM);
	assert_int_equal(l.stats.errors, 3);
}

static void test_unreadable_list(void **state)
{
	(void)state;
	lint l = {0};
	lint_csv(&l, HEAD "A,,0,,\nB,No Info,,,\n");
	/* only the claimed one: an unclaimed unknown is the check's business */
	assert_int_equal(l.n, 1);
	assert_int_equal(l.diags[0].severity, NDL_WARNING);
	assert_string_equal(l.diags[0].check, NDL_CHECK_UNREADABLE);
	assert_int_equal(l.stats.errors, 0);
}

static void test_suggest(void **state)
{
	(void)state;
	lint l = {.opt = {.suggest = 1}};
	lint_csv(&l, HEAD "Gel,\"Aqua, Glycerin\",,,\n"
		     "Serum,\"Aqua, Retinol\",,,\n"
		     "Mask,\"Aqua, Glycerin\",0,,\n");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.diags[0].severity, NDL_NOTE);
	assert_string_equal(l.diags[0].check, NDL_CHECK_UNCLAIMED);
	assert_int_equal(l.diags[0].line, 2);
	assert_int_equal(l.stats.notes, 1);
}

static void test_fix_mode(void **state)
{
	(void)state;
	const char *csv = HEAD "Serum,\"Aqua, Retinol\",\"2\",,\n"
			       "Gel,\"Aqua, Parfum\",,\"a, post-procedure-safe\",\n";
	lint l = {.opt = {.fix = 1}};
	lint_csv(&l, csv);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.stats.fixed, 2);
	assert_int_equal(l.stats.errors, 0);
	/* notes at the claims, each with the edit of its bytes */
	assert_int_equal(l.diags[0].severity, NDL_NOTE);
	assert_int_equal(l.diags[0].column, 24);
	assert_memory_equal(csv + l.diags[0].fix.offset, "2", 1);
	assert_int_equal(l.diags[0].fix.len, 1);
	assert_string_equal(l.diags[0].fix.text, "7");
	assert_memory_equal(csv + l.diags[1].fix.offset, "post-procedure-safe\"", 20);
	assert_string_equal(l.diags[1].fix.text, "post-procedure-safe:7");
	/* without --fix the error carries the same edit */
	lint e = {0};
	lint_csv(&e, csv);
	assert_int_equal(e.stats.errors, 2);
	assert_true(e.diags[0].has_fix);
	assert_int_equal(e.diags[0].fix.offset, l.diags[0].fix.offset);
}

static void test_claim_column_option(void **state)
{
	(void)state;
	lint l = {.opt = {.claim_column = "3"}};
	lint_csv(&l, "name,ingredients,ok_from\nSerum,\"Aqua, Retinol\",1\n");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.cols.claim_name, "ok_from");

	/* a name the header does not have is an error, naming the header */
	lint m = {.opt = {.claim_column = "nope"}};
	ndl_csv_header h = {.names = (const char *const[]){"a", "b"}, .ncolumns = 2};
	ndl_error err = {0};
	assert_int_equal(ndl_lint_columns_find(lex, &h, &m.opt, "t.csv", &m.cols, &err), -1);
	assert_non_null(strstr(err.message, "(the header: a, b)"));
}

/* ------------------------------------------------------------ writers */

static ndl_diagnostic sample(void)
{
	ndl_diagnostic d = {.source = "shop,2024:q1 100%.csv", .row = 3, .line = 4,
			    .column = 9, .severity = NDL_WARNING, .check = "bad-allow",
			    .message = "50% off\r\nnext: a, b",
			    .claimed_day = -1, .safe_from_day = -1};
	return d;
}

static void test_github_escaping(void **state)
{
	(void)state;
	ndl_buf b = {0};
	ndl_diagnostic d = sample();
	ndl_write_github(&b, &d);
	assert_string_equal(ndl_buf_cstr(&b),
			    "::warning file=shop%2C2024%3Aq1 100%25.csv,line=4,col=9,"
			    "title=needlecheck [bad-allow]::50%25 off%0D%0Anext: a, b\n");
	b.len = 0;
	d.suppressed_by = "retinoid";
	ndl_write_github(&b, &d);
	assert_int_equal(b.len, 0);
	ndl_buf_free(&b);
}

static void test_gcc(void **state)
{
	(void)state;
	ndl_buf b = {0};
	ndl_diagnostic d = sample();
	d.severity = NDL_ERROR;
	d.message = "a\033[2Jb";
	ndl_write_gcc(&b, &d, 0);
	/* no control character reaches the terminal */
	assert_string_equal(ndl_buf_cstr(&b),
			    "shop,2024:q1 100%.csv:4:9: error: a?[2Jb [bad-allow]\n");
	b.len = 0;
	ndl_write_gcc(&b, &d, NDL_TEXT_COLOR);
	assert_non_null(strstr(ndl_buf_cstr(&b), "\033[1;31merror:\033[0m"));
	ndl_buf_free(&b);
}

static void test_sarif_locations(void **state)
{
	(void)state;
	ndl_buf b = {0};
	ndl_diagnostic d = sample();
	d.source = "my shop/crème.csv";
	d.suppressed_by = "retinoid";
	ndl_write_sarif_result(&b, &d);
	const char *s = ndl_buf_cstr(&b);
	assert_non_null(strstr(s, "\"uri\":\"my%20shop/cr%C3%A8me.csv\""));
	assert_non_null(strstr(s, "\"region\":{\"startLine\":4,\"startColumn\":9}"));
	assert_non_null(strstr(s, "\"suppressions\":[{\"kind\":\"inSource\","
				  "\"justification\":\"needlecheck_allow: retinoid\"}]"));
	assert_non_null(strstr(s, "\"text\":\"50% off\\r\\nnext: a, b\""));
	b.len = 0;
	d.source = "/srv/cat.csv";
	ndl_write_sarif_result(&b, &d);
	assert_non_null(strstr(ndl_buf_cstr(&b), "\"uri\":\"file:///srv/cat.csv\""));
	ndl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest_finding_decides),
		cmocka_unit_test(test_first_listed_among_equals),
		cmocka_unit_test(test_claim_late_enough),
		cmocka_unit_test(test_allowance_moves_the_decision),
		cmocka_unit_test(test_allowance_by_ingredient_name),
		cmocka_unit_test(test_allowance_beside_a_near_miss),
		cmocka_unit_test(test_allowance_not_needed_is_not_counted),
		cmocka_unit_test(test_allowance_naming_nothing),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_bad_claims),
		cmocka_unit_test(test_unreadable_list),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_fix_mode),
		cmocka_unit_test(test_claim_column_option),
		cmocka_unit_test(test_github_escaping),
		cmocka_unit_test(test_gcc),
		cmocka_unit_test(test_sarif_locations),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
