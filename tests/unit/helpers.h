/* What the unit tests share: the lexicon embedded at build time and a
 * checker on it, opened once per test file (as the group's setup), and a
 * check's result looked at the moment it is asked about. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "needlecheck.h"

extern ndl_lexicon *lex;
extern ndl_checker *chk;

/* cmocka group setup and teardown: lex and chk. */
int open_checker(void **state);
int close_checker(void **state);

/* Checks text with c (the product named name, or not when NULL); the
 * verdict and statuses below are then those at when, until the next
 * check. Fails the test when out of memory. */
const ndl_result *check_product(ndl_checker *c, const ndl_product *p,
				ndl_when when);
const ndl_result *check_with(ndl_checker *c, const char *text, const char *name,
			     ndl_when when);
const ndl_result *check_at(const char *text, const char *name, ndl_when when);

/* The last result, as seen at the moment of its check. */
ndl_verdict verdict(const ndl_result *r);
int safe_from(const ndl_result *r);
ndl_status status(const ndl_finding *f);
int until(const ndl_finding *f);

#endif
