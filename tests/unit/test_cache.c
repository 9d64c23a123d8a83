/* The caches of the matcher and the tokenizer stay bounded and have no
 * cliff: once full, they keep the names in use and drop the others, a
 * few at a time, instead of forgetting everything at once. Counted in
 * lookups that missed, never in time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/cache.h"
#include "core/match.h"
#include "core/tokenize.h"

#define PRODUCTS 400
#define SMALL 32 /* entries of a generation: full after a few products */

static const char *const hot[] = {
	"Water", "Glycerin", "Retinol", "Phenoxyethanol", "Ascorbic Acid",
	"Butylene Glycol", "Zyzzogeton Root Extract", "Sodium Hyaluronate",
	"Parfum (Fragrance)", "Aqua/Water/Eau"};
#define NHOT (sizeof(hot) / sizeof(hot[0]))

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

/* Keys of the two kinds never meet, whatever their bytes: each finds
 * its own value, in the young generation and after a turn in the old. */
static void test_kinds(void **state)
{
	(void)state;
	ndl_cache c = {.max_entries = 2};
	ndl_arena mem = {0};
	static int v0, v1;
	const char *key = "Formula Retinol";
	size_t len = strlen(key);
	uint64_t h = ndl_hash(key, len);
	int old;
	assert_int_equal(ndl_cache_put(&c, &mem, key, len, h, &v0), 0);
	assert_null(ndl_cache_find_kind(&c, key, len, 1, h, &old));
	assert_int_equal(ndl_cache_put_kind(&c, &mem, key, len, 1, h, &v1), 0);
	for (int turn = 0; turn < 2; turn++) {
		assert_ptr_equal(ndl_cache_find(&c, key, len, h, &old), &v0);
		assert_int_equal(old, turn);
		assert_ptr_equal(ndl_cache_find_kind(&c, key, len, 1, h, &old), &v1);
		assert_int_equal(old, turn);
		assert_int_equal(ndl_cache_turn(&c, &mem), 1 - turn);
	}
	ndl_cache_free(&c);
	ndl_arena_free(&mem);
}

/* The cache's copy of a key: its bytes, NUL-terminated, where the
 * entry keeps it (not the caller's); none for a key not kept, nor for
 * one of the other kind. */
static void test_key(void **state)
{
	(void)state;
	ndl_cache c = {0};
	ndl_arena mem = {0};
	static int v;
	char key[] = "Glycerin, Water";
	size_t len = strlen("Glycerin");
	uint64_t h = ndl_hash(key, len);
	assert_null(ndl_cache_key(&c, key, len, h));
	assert_int_equal(ndl_cache_put(&c, &mem, key, len, h, &v), 0);
	const char *kept = ndl_cache_key(&c, key, len, h);
	assert_non_null(kept);
	assert_ptr_not_equal(kept, key);
	assert_string_equal(kept, "Glycerin");
	assert_null(ndl_cache_key(&c, "Water", 5, ndl_hash("Water", 5)));
	char other[] = "Squalane";
	uint64_t ho = ndl_hash(other, strlen(other));
	assert_int_equal(ndl_cache_put_kind(&c, &mem, other, strlen(other), 1, ho, &v), 0);
	assert_null(ndl_cache_key(&c, other, strlen(other), ho));
	ndl_cache_free(&c);
	ndl_arena_free(&mem);
}

/* Each product looks up the hot keys and one key never seen. */
static void test_generations(void **state)
{
	(void)state;
	ndl_cache c = {.max_entries = SMALL};
	ndl_arena mem = {0};
	char key[32];
	for (int p = 0; p < PRODUCTS; p++) {
		ndl_cache_turn(&c, &mem);
		unsigned long before = c.misses;
		for (size_t k = 0; k <= NHOT; k++) {
			const char *s = key;
			if (k < NHOT)
				s = hot[k];
			else
				snprintf(key, sizeof(key), "new %d", p);
			uint64_t h = ndl_hash(s, strlen(s));
			/* hints only: read within the tables (the
			 * sanitizers' build checks), change nothing */
			unsigned long misses = c.misses;
			ndl_cache_prefetch(&c, h);
			ndl_cache_prefetch_key(&c, h);
			assert_int_equal(c.misses, misses);
			int old;
			char *v = ndl_cache_find(&c, s, strlen(s), h, &old);
			if (v)
				assert_string_equal(v, s);
			if (v == NULL || old) {
				v = ndl_arena_strndup(&mem, s, strlen(s));
				assert_int_equal(ndl_cache_put(&c, &mem, s, strlen(s), h, v), 0);
			}
		}
		/* after the first product only the new key misses */
		assert_int_equal(c.misses - before, p == 0 ? NHOT + 1 : 1);
		assert_true(c.young.used + c.old.used <= 2 * (SMALL + NHOT + 1));
	}
	assert_true(c.turns >= PRODUCTS / SMALL);
	ndl_cache_free(&c);
	ndl_arena_free(&mem);
}

static void test_matcher(void **state)
{
	(void)state;
	ndl_error err;
	ndl_lexicon *lex = ndl_lexicon_open(NULL, &err);
	assert_non_null(lex);
	ndl_matcher *m = ndl_matcher_new(lex);
	assert_non_null(m);
	ndl_cache *c = ndl_matcher_cache(m);
	c->max_entries = SMALL;
	int recognized[NHOT];
	uint32_t nhits[NHOT];
	char matched[NHOT][256]; /* of the first hit */
	int dropped = 0;
	for (int p = 0; p < PRODUCTS; p++) {
		dropped += ndl_matcher_begin(m);
		unsigned long before = c->misses;
		const ndl_match *got[NHOT];
		for (size_t k = 0; k < NHOT; k++) {
			got[k] = ndl_match_name(m, hot[k], strlen(hot[k]));
			assert_non_null(got[k]);
		}
		char name[32];
		snprintf(name, sizeof(name), "Unheard Of Extract %d", p);
		assert_non_null(ndl_match_name(m, name, strlen(name)));
		assert_int_equal(c->misses - before, p == 0 ? NHOT + 1 : 1);
		/* this product's results are still whole, and the same */
		for (size_t k = 0; k < NHOT; k++) {
			const char *j = got[k]->nhits ? got[k]->hits[0].matched : "";
			if (p == 0) {
				recognized[k] = got[k]->recognized;
				nhits[k] = got[k]->nhits;
				snprintf(matched[k], sizeof(matched[k]), "%s", j);
			}
			assert_int_equal(got[k]->recognized, recognized[k]);
			assert_int_equal(got[k]->nhits, nhits[k]);
			assert_string_equal(j, matched[k]);
		}
		if (p == 0)
			continue;
		assert_true(got[2]->nhits > 0);       /* Retinol */
		assert_false(got[6]->recognized);     /* made up */
	}
	assert_true(dropped >= PRODUCTS / SMALL);
	ndl_matcher_free(m);
	ndl_lexicon_free(lex);
}

/* The tokenizer's segments, and what its caller remembered with them
 * (kept when the tokenizer's own cache turns, cleared by forget). */
static void test_tokenizer(void **state)
{
	(void)state;
	static const int remembered = 1;
	ndl_tokenizer t = {0};
	t.cache.max_entries = SMALL;
	ndl_arena a = {0};
	char text[512];
	unsigned long steady = 0; /* lookups missed by a product with one
				     segment never seen */
	for (int p = 0; p < PRODUCTS; p++) {
		size_t n = 0;
		for (size_t k = 0; k < NHOT; k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s, ", hot[k]);
		snprintf(text + n, sizeof(text) - n, "Unheard Of Extract %d", p);
		int forgot = p % 100 == 50;
		if (forgot)
			ndl_tokenizer_forget(&t);
		ndl_arena_reset(&a);
		unsigned long before = t.cache.misses;
		assert_int_equal(ndl_tokenize(&t, text, strlen(text), &a), 0);
		assert_int_equal(t.ntok, NHOT + 1);
		if (p == 1)
			steady = t.cache.misses - before;
		if (p >= 1)
			assert_int_equal(t.cache.misses - before, steady);
		for (size_t k = 0; k < NHOT; k++) {
			ndl_token *tk = &t.tok[k];
			assert_int_equal(tk->len, strlen(hot[k]));
			assert_memory_equal(tk->text, hot[k], tk->len);
			assert_non_null(tk->memo);
			if (p == 0 || forgot)
				assert_null(tk->match);
			else
				assert_ptr_equal(tk->match, &remembered);
			*tk->memo = &remembered;
		}
	}
	assert_true(steady > 0 && steady < NHOT);
	assert_true(t.cache.turns >= PRODUCTS / SMALL);
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_counts_bytes_in_use),
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_matcher),
		cmocka_unit_test(test_tokenizer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
