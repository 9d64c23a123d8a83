/* The names a misspelling may stand for, and an index that finds the
 * ones within two edits of a key without reading them all.
 *
 * A near name is an entry's name (of a class, or an ordinary known one)
 * as a key: normalised, without spaces. The matcher's misspelt() takes a
 * name one edit from a key, or two when both keys have at least
 * NDL_NEAR_TWO_EDITS letters. The index is exact for that distance: a
 * name within it is always among the candidates (pigeonhole: a name cut
 * into 2d + 1 pieces keeps one piece whole under d edits, since an edit
 * touches at most two adjacent pieces, and that piece stands in the key
 * at most d places from where it stands in the name). */
#ifndef NDL_NEAR_H
#define NDL_NEAR_H

#include <stdio.h>

#include "knowledge/lexicon.h"

#define NDL_NEAR_MIN_KEY 5   /* a name this short has no misspellings:
				"Sea" is not a typo of "Tea" */
#define NDL_NEAR_MAX_KEY 62  /* keys compared for misspellings, at most */
#define NDL_NEAR_TWO_EDITS 9 /* two edits only between keys this long */

typedef struct ndl_near_name {
	const char *key;   /* the key: normalised, without spaces */
	const char *words; /* the normalised name, with spaces */
	unsigned klen, nwords;
	uint32_t entry;
} ndl_near_name;

/* A piece of a name in the index: the high half of its hash (the low
 * bits chose its bucket), and the name. Pieces of different text that
 * share bucket and tag share names: only more candidates. */
typedef struct ndl_near_piece {
	uint32_t tag, name;
} ndl_near_piece;

/* Read-only once built. */
typedef struct ndl_near {
	ndl_near_name *names; /* by key length, entry, key */
	size_t nnames;
	/* per name: byte set of the key (27 folds) | words << 27, for the
	 * quick test before the distance (its own array: a hot loop) */
	uint32_t *test;
	/* per name: the key's adjacent byte pairs (ndl_near_pairs), the
	 * sharper test for the few that pass the first */
	uint64_t *pairs;
	/* the pieces of the names, by bucket of their hash: bucket b's are
	 * pieces[bucket_at[b] .. bucket_at[b + 1]) */
	uint32_t *bucket_at;
	size_t nbuckets;
	ndl_near_piece *pieces;
	ndl_arena mem;  /* the strings */
	int builtin;    /* ndl_builtin_near's: nothing to free */
	/* ndl_builtin_near's: its names' strings are offsets into these (it
	 * needs no relocation when the program starts); NULL: pointers */
	const char *base;
} ndl_near;

/* The key and words of name n of nr. */
static inline const char *ndl_near_key(const ndl_near *nr, const ndl_near_name *n)
{
	return nr->base ? nr->base + (uintptr_t)n->key : n->key;
}

static inline const char *ndl_near_words(const ndl_near *nr, const ndl_near_name *n)
{
	return nr->base ? nr->base + (uintptr_t)n->words : n->words;
}

/* The index of the built-in lexicon's names, made when the program is
 * built (its classes may change windows, never names). */
extern const ndl_near ndl_builtin_near;

/* Writes nr as C defining ndl_builtin_near. Returns -1 on a write
 * error. */
int ndl_near_write_c(const ndl_near *nr, FILE *out);

/* Build tool: loads the embedded lexicon, builds its index and writes
 * it (ndl_near_write_c). */
int ndl_near_generate(FILE *out);

/* Scratch of one reader of an index (not shared between threads). */
typedef struct ndl_near_found {
	uint32_t *seen; /* per name: the stamp of the last query naming it */
	uint32_t stamp;
	uint32_t *at;   /* the names found */
	size_t n;
} ndl_near_found;

/* The near names of the lexicon's classes and known names, indexed.
 * Returns -1 when out of memory. */
int ndl_near_build(ndl_near *nr, const ndl_lexicon *lex);
void ndl_near_free(ndl_near *nr);

/* Scratch for queries of nr; -1 when out of memory. */
int ndl_near_found_init(ndl_near_found *f, const ndl_near *nr);
void ndl_near_found_free(ndl_near_found *f);

/* Every name whose key is one edit from key, or two when both have at
 * least NDL_NEAR_TWO_EDITS letters, and some others: into f->at, each
 * once, in no order. Returns their number. */
size_t ndl_near_candidates(const ndl_near *nr, const char *key, size_t kl,
			   ndl_near_found *f);

/* Byte set of a key as kept in ndl_near.test: an edit adds or removes
 * at most one byte, so keys whose sets differ in more than four are
 * more than two edits apart. */
uint32_t ndl_near_bytes(const char *s, size_t n);

/* The adjacent byte pairs of a key, each hashed to one of 64 bits. An
 * edit leaves every pair of the text it edits but at most three (a
 * transposition's: "abcd" to "acbd" makes "ac", "cb", "bd"), so a key
 * two edits from another has at most six pairs the other lacks, and
 * so at most six bits (a bit the other has may be another pair's: the
 * test stays sound, only less sharp). */
uint64_t ndl_near_pairs(const char *s, size_t n);

/* Are the keys of pairs a and b surely more than two edits apart? */
static inline int ndl_near_pairs_apart(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a & ~b) > 6 || __builtin_popcountll(b & ~a) > 6;
}

/* Optimal-string-alignment distance of a and b when it is at most 2,
 * else -1. */
int ndl_within_two(const char *a, size_t an, const char *b, size_t bn);

#endif
