/* See helpers.h. */
#include "helpers.h"

#include <string.h>

ndl_lexicon *lex;
ndl_checker *chk;
static ndl_when seen_at;

int open_checker(void **state)
{
	(void)state;
	ndl_error err;
	lex = ndl_lexicon_open(NULL, &err);
	chk = lex ? ndl_checker_new(lex) : NULL;
	return chk ? 0 : -1;
}

int close_checker(void **state)
{
	(void)state;
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	chk = NULL;
	lex = NULL;
	return 0;
}

const ndl_result *check_product(ndl_checker *c, const ndl_product *p,
				ndl_when when)
{
	const ndl_result *r = ndl_check(c, p);
	assert_non_null(r);
	seen_at = when;
	return r;
}

const ndl_result *check_with(ndl_checker *c, const char *text, const char *name,
			     ndl_when when)
{
	ndl_product p = {.text = text, .len = strlen(text), .name = name,
			 .name_len = name ? strlen(name) : 0};
	return check_product(c, &p, when);
}

const ndl_result *check_at(const char *text, const char *name, ndl_when when)
{
	return check_with(chk, text, name, when);
}

ndl_verdict verdict(const ndl_result *r)
{
	return ndl_verdict_at(r, seen_at, NULL);
}

int safe_from(const ndl_result *r)
{
	int day;
	ndl_verdict_at(r, seen_at, &day);
	return day;
}

ndl_status status(const ndl_finding *f)
{
	return ndl_finding_status(f, seen_at, NULL);
}

int until(const ndl_finding *f)
{
	int day;
	ndl_finding_status(f, seen_at, &day);
	return day;
}
