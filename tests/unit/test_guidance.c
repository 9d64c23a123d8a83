/* Guidance (lexicon/guidance.tsv): the embedded file, statuses by day, a
 * clinic's own file and its errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "needlecheck.h"

static void test_guidance_embedded(void **state)
{
	(void)state;
	ndl_error err;
	ndl_guidance *g = ndl_guidance_open(NULL, &err);
	assert_non_null(g);
	assert_true(ndl_guidance_count(g) >= 7);
	const ndl_advice *makeup = NULL;
	for (size_t i = 0; i < ndl_guidance_count(g); i++) {
		const ndl_advice *a = ndl_guidance_at(g, i);
		assert_true(strlen(a->source) > 20); /* every line cites */
		if (strcmp(a->id, "makeup") == 0)
			makeup = a;
	}
	assert_non_null(makeup);
	assert_int_equal(ndl_window_status(&makeup->window, ndl_when_day(0), NULL), NDL_AVOID);
	assert_int_equal(ndl_window_status(&makeup->window, ndl_when_day(2), NULL), NDL_CAUTION);
	assert_int_equal(ndl_window_status(&makeup->window, ndl_when_day(3), NULL), NDL_SAFE);
	assert_null(ndl_guidance_at(g, ndl_guidance_count(g)));
	ndl_guidance_free(g);
}

/* A directory with a guidance.tsv of "line": the error it gives, or ""
 * when it loads. The lexicon must load from the same directory: the file
 * is not a class file. */
static const char *guidance_error(const char *line, char *msg, size_t n)
{
	char dir[] = "/tmp/ndl-guidance-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/guidance.tsv", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "# a clinic's guidance\nid\tlabel\tavoid_until_h\tcaution_until_h"
		    "\tthen\tadvice\tsource\n%s\n", line);
	fclose(fp);
	ndl_config cfg = {.lexicon_dir = dir};
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(&cfg, &err);
	assert_non_null(lex);
	ndl_lexicon_free(lex);
	ndl_guidance *g = ndl_guidance_open(&cfg, &err);
	if (g) {
		assert_int_equal(ndl_guidance_count(g), 1);
		ndl_guidance_free(g);
		msg[0] = '\0';
	} else {
		ndl_error_format(&err, msg, n);
		/* the directory is random: keep the file name */
		char *base = strstr(msg, "guidance.tsv");
		memmove(msg, base, strlen(base) + 1);
	}
	unlink(path);
	rmdir(dir);
	return msg;
}

static void test_guidance_errors(void **state)
{
	(void)state;
	static const struct {
		const char *line, *error; /* "": it loads */
	} cases[] = {
		{"sauna\tSauna\t48\t-\tsafe\tNo sauna.\tOur clinic's rule.", ""},
		{"sauna\tSauna\t-4\t-\tsafe\tNo sauna.\tRule.",
		 "guidance.tsv:3:13: error: '-4' is not a number of hours "
		 "(0 to 100000) or '-'"},
		{"sauna\tSauna\t48\t24\tsafe\tNo sauna.\tRule.",
		 "guidance.tsv:3:16: error: caution ends (24 h) before avoid does"},
		{"sauna\tSauna\t48\t-\tlater\tNo sauna.\tRule.",
		 "guidance.tsv:3:18: error: 'then' is safe or recommended, not 'later'"},
		{"sauna\tSauna\t48\t-\tsafe\tNo sauna.\t",
		 "guidance.tsv:3:33: error: empty field"},
		{"sauna\tSauna\t48\t-\tsafe\tNo sauna.",
		 "guidance.tsv:3:1: error: expected tab-separated id, label, "
		 "avoid_until_h, caution_until_h, then, advice, source"},
		{"sauna\tSauna\t48\t-\tsafe\tNo.\tRule.\tmore",
		 "guidance.tsv:3:32: error: more than 7 tab-separated fields"},
		{"a\tA\t1\t-\tsafe\tx\ty\na\tA\t1\t-\tsafe\tx\ty",
		 "guidance.tsv:4:1: error: second line for 'a'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char msg[1024];
		assert_string_equal(guidance_error(cases[i].line, msg, sizeof(msg)),
				    cases[i].error);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guidance_embedded),
		cmocka_unit_test(test_guidance_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
