/* The near-miss index finds every name a misspelling may stand for: for
 * the pieces of the benchmark's vocabulary (real label names) and for
 * random misspellings of the lexicon's names, the names its candidates
 * hold within the distance the matcher accepts are exactly those a scan
 * of every name finds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "core/near.h"
#include "helpers.h"

#define RANDOM_QUERIES 20000

static ndl_near nr;
static ndl_near_found found;
static unsigned char *taken; /* per name: among the candidates */
static unsigned long queries, candidates, accepted;

/* Is name k within the distance the matcher takes for key? */
static int accepts(const ndl_near_name *nn, const char *key, size_t kl)
{
	int d = ndl_within_two(nn->key, nn->klen, key, kl);
	size_t shorter = nn->klen < kl ? nn->klen : kl;
	return d == 1 || (d == 2 && shorter >= NDL_NEAR_TWO_EDITS);
}

/* The optimal-string-alignment distance, the whole table: what
 * ndl_within_two must say when it is 2 or less. */
static int reference(const char *a, size_t an, const char *b, size_t bn)
{
	static unsigned d[NDL_NEAR_MAX_KEY + 8][NDL_NEAR_MAX_KEY + 8];
	for (size_t i = 0; i <= an; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= bn; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= an; i++)
		for (size_t j = 1; j <= bn; j++) {
			unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[an][bn] <= 2 ? (int)d[an][bn] : -1;
}

static void same_distance(const char *a, size_t an, const char *b, size_t bn)
{
	int got = ndl_within_two(a, an, b, bn), want = reference(a, an, b, bn);
	if (got != want)
		fail_msg("'%.*s' / '%.*s': %d, the table says %d", (int)an, a, (int)bn,
			 b, got, want);
}

/* A key and a name within two edits pass the byte-pair test. */
static void pairs_pass(const char *a, size_t an, const char *b, size_t bn)
{
	if (ndl_near_pairs_apart(ndl_near_pairs(a, an), ndl_near_pairs(b, bn)))
		fail_msg("'%.*s' / '%.*s': within two edits, and the pairs say no",
			 (int)an, a, (int)bn, b);
}

/* The index's candidates against every name, for one key. */
static void compare(const char *key, size_t kl)
{
	size_t n = ndl_near_candidates(&nr, key, kl, &found);
	memset(taken, 0, nr.nnames);
	for (size_t c = 0; c < n; c++) {
		assert_true(found.at[c] < nr.nnames);
		assert_false(taken[found.at[c]]); /* each once */
		taken[found.at[c]] = 1;
		const ndl_near_name *nn = &nr.names[found.at[c]];
		if (kl <= NDL_NEAR_MAX_KEY)
			same_distance(nn->key, nn->klen, key, kl);
	}
	queries++;
	candidates += n;
	if (kl < NDL_NEAR_MIN_KEY || kl > NDL_NEAR_MAX_KEY)
		return; /* the matcher asks nothing of these */
	for (size_t k = 0; k < nr.nnames; k++) {
		if (!accepts(&nr.names[k], key, kl))
			continue;
		accepted++;
		pairs_pass(nr.names[k].key, nr.names[k].klen, key, kl);
		if (!taken[k])
			fail_msg("'%.*s': the index misses '%s'", (int)kl, key,
				 nr.names[k].key);
	}
}

static void compare_text(const char *s, size_t n)
{
	char norm[1024];
	size_t len = ndl_normalize(s, n, norm, sizeof(norm));
	compare(norm, ndl_compact(norm, len));
}

static int setup(void **state)
{
	if (open_checker(state))
		return -1;
	if (ndl_near_build(&nr, lex) || ndl_near_found_init(&found, &nr))
		return -1;
	taken = malloc(nr.nnames + 1);
	return taken == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	ndl_near_found_free(&found);
	ndl_near_free(&nr);
	free(taken);
	return close_checker(state);
}

/* Real label pieces: the names, their case variants and misspellings
 * as catalogues write them. */
static void test_vocabulary(void **state)
{
	(void)state;
	assert_true(each_vocabulary_piece(compare_text) > 5000);
}

/* One or two random edits (each a substitution, insertion, deletion or
 * transposition) of a lexicon name, and the name itself. */
static void test_random_misspellings(void **state)
{
	(void)state;
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	srand(20261205);
	for (int q = 0; q < RANDOM_QUERIES; q++) {
		const ndl_near_name *nn = &nr.names[(size_t)rand() % nr.nnames];
		char key[NDL_NEAR_MAX_KEY + 8];
		size_t kl = nn->klen;
		memcpy(key, nn->key, kl);
		for (int e = rand() % 3; e > 0; e--) {
			size_t at = (size_t)rand() % kl;
			char c = letters[rand() % (int)(sizeof(letters) - 1)];
			switch (rand() % 4) {
			case 0:
				key[at] = c;
				break;
			case 1:
				memmove(key + at + 1, key + at, kl - at);
				key[at] = c;
				kl++;
				break;
			case 2:
				if (kl > 1) {
					memmove(key + at, key + at + 1, kl - at - 1);
					kl--;
				}
				break;
			default:
				if (at + 1 < kl) {
					char t = key[at];
					key[at] = key[at + 1];
					key[at + 1] = t;
				}
			}
		}
		compare(key, kl);
	}
}

/* Short words of three letters, near one another: every kind of edit,
 * transpositions beside other edits, at the ends and in the middle. */
static void test_distance(void **state)
{
	(void)state;
	srand(5122026);
	for (int q = 0; q < 300000; q++) {
		char a[16], b[16];
		size_t an = (size_t)rand() % 13, bn = an;
		for (size_t i = 0; i < an; i++)
			a[i] = b[i] = "abc"[rand() % 3];
		for (int e = rand() % 4; e > 0; e--) {
			size_t at = bn ? (size_t)rand() % bn : 0;
			int op = rand() % 4;
			if (op == 0 && bn > 0) {
				b[at] = "abc"[rand() % 3];
			} else if (op == 1 && bn < 15) {
				memmove(b + at + 1, b + at, bn - at);
				b[at] = "abc"[rand() % 3];
				bn++;
			} else if (op == 2 && bn > 0) {
				memmove(b + at, b + at + 1, bn - at - 1);
				bn--;
			} else if (at + 1 < bn) {
				char t = b[at];
				b[at] = b[at + 1];
				b[at + 1] = t;
			}
		}
		if (an > bn + 2 || bn > an + 2)
			assert_int_equal(ndl_within_two(a, an, b, bn), -1);
		else
			same_distance(a, an, b, bn);
		if (reference(a, an, b, bn) >= 0)
			pairs_pass(a, an, b, bn);
	}
	char long_a[62], long_b[62]; /* the longest keys: 62 bits of a word */
	memset(long_a, 'x', sizeof(long_a));
	memcpy(long_b, long_a, sizeof(long_b));
	long_b[0] = 'y';
	long_b[61] = 'y';
	same_distance(long_a, 62, long_b, 62);
	same_distance(long_a, 62, long_b, 61);
	assert_int_equal(ndl_within_two(long_a, 62, long_b, 62), 2);
}

/* The index reads fewer names than a scan would: sublinear, or it is
 * no index. */
static void test_reads_few(void **state)
{
	(void)state;
	print_message("near: %lu queries, %.1f candidates each (%zu names), "
		      "%.2f within reach\n",
		      queries, (double)candidates / (double)queries, nr.nnames,
		      (double)accepted / (double)queries);
	assert_true(queries > 0);
	assert_true(candidates / queries * 20 < nr.nnames);
}

/* The index made with the program is the one the lexicon gives now:
 * the same names in the same order, byte sets, buckets and pieces. */
static void test_builtin_is_built(void **state)
{
	(void)state;
	const ndl_near *b = &ndl_builtin_near;
	assert_non_null(lex->image); /* the checker opened the built-in */
	assert_int_equal(b->nnames, nr.nnames);
	assert_int_equal(b->nbuckets, nr.nbuckets);
	for (size_t i = 0; i < nr.nnames; i++) {
		assert_string_equal(ndl_near_key(b, &b->names[i]), nr.names[i].key);
		assert_string_equal(ndl_near_words(b, &b->names[i]), nr.names[i].words);
		assert_int_equal(b->names[i].entry, nr.names[i].entry);
		assert_int_equal(b->names[i].nwords, nr.names[i].nwords);
		assert_int_equal(b->test[i], nr.test[i]);
		assert_true(b->pairs[i] == nr.pairs[i]);
	}
	assert_memory_equal(b->bucket_at, nr.bucket_at,
			    (nr.nbuckets + 1) * sizeof(*nr.bucket_at));
	assert_memory_equal(b->pieces, nr.pieces,
			    nr.bucket_at[nr.nbuckets] * sizeof(*nr.pieces));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_is_built),
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test(test_random_misspellings),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_reads_few),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
