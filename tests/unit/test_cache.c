/* The memory behind the caches: an arena counts the bytes in use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Once a reset arena is used again, it counts what is in use, not the
 * block it kept (a cache that filled once looked full for ever). */
static void test_arena_counts_bytes_in_use(void **state)
{
	(void)state;
	ndl_arena a = {0};
	for (int i = 0; i < 1000; i++)
		assert_non_null(ndl_arena_alloc(&a, 1000));
	assert_true(ndl_arena_size(&a) >= 1000 * 1000);
	ndl_arena_reset(&a);
	assert_int_equal(ndl_arena_size(&a), 0);
	assert_non_null(ndl_arena_alloc(&a, 10));
	assert_true(ndl_arena_size(&a) < 100);
	ndl_arena_reset(&a);
	assert_non_null(ndl_arena_alloc(&a, 10));
	assert_true(ndl_arena_size(&a) < 100);
	ndl_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_counts_bytes_in_use),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
