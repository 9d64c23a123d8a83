/* A cache of values keyed by byte strings, bounded by generations.
 *
 * Catalogues repeat a few thousand names millions of times, with a long
 * tail of names seen once. New entries go to the young generation; when
 * it holds max_entries or max_bytes, the next ndl_cache_turn drops the
 * old generation and the young one becomes old. An entry found in the
 * old generation is in use: its owner copies the value into the young
 * generation's memory and puts it there again. So the names in use stay,
 * the tail goes, memory stays within about twice the limits, and there is
 * no moment when everything is forgotten at once.
 *
 * The young generation's memory is the owner's arena (`mem`), passed to
 * the calls that fill it: values are allocated there, and a turn swaps
 * its blocks with the old generation's. A turn drops what was made or
 * put before the previous turn: a value the owner got (from the young
 * generation, or put there) stays valid through the next turn, and
 * turns come only when the owner calls ndl_cache_turn. */
#ifndef NDL_CACHE_H
#define NDL_CACHE_H

#include "base/util.h"

typedef struct ndl_cache_slot ndl_cache_slot;

typedef struct ndl_cache_table {
	ndl_cache_slot *slots; /* open addressing */
	size_t nslots, used;
} ndl_cache_table;

/* Zero-initialise; the limits (of the young generation) may be set
 * before the first use, else defaults apply. */
typedef struct ndl_cache {
	ndl_cache_table young, old;
	ndl_arena old_mem; /* keys and values of the old generation */
	size_t max_entries, max_bytes;
	unsigned long misses; /* keys found in neither generation */
	unsigned long turns;  /* old generations dropped */
} ndl_cache;

/* Between uses (products): drops the old generation if the young one is
 * full. Returns 1 when it did (values in it are gone), else 0. */
int ndl_cache_turn(ndl_cache *c, ndl_arena *mem);

/* The value of key, or NULL. *old is set when it was found in the old
 * generation: the caller copies it into mem and puts the copy. */
void *ndl_cache_find(ndl_cache *c, const char *key, size_t len, uint64_t hash,
		     int *old);

/* Hints for a caller about to find many keys (kind 0) whose hashes it
 * knows: ndl_cache_prefetch starts fetching the slots a find of hash
 * reads first; ndl_cache_prefetch_key, called after it, the bytes of
 * the key it would then compare. Fetched together, their waits on
 * memory overlap rather than come one after another. Neither changes
 * anything. */
void ndl_cache_prefetch(const ndl_cache *c, uint64_t hash);
void ndl_cache_prefetch_key(const ndl_cache *c, uint64_t hash);

/* Keeps value under key (copied into mem) in the young generation.
 * Returns -1 when out of memory (then nothing is kept). */
int ndl_cache_put(ndl_cache *c, ndl_arena *mem, const char *key, size_t len,
		  uint64_t hash, void *value);

/* The cache's copy of a key of the young generation (NUL-terminated,
 * kept as long as the entry), or NULL: a value may point into it rather
 * than hold the same bytes again. */
const char *ndl_cache_key(const ndl_cache *c, const char *key, size_t len,
			  uint64_t hash);

/* The same for keys of a kind (0 or 1): a key of one kind never equals
 * one of the other, whatever their bytes, so that one cache keeps two
 * kinds of value for the same text. ndl_cache_find and ndl_cache_put
 * are kind 0. Keys of 2^31 bytes or more are never kept. */
void *ndl_cache_find_kind(ndl_cache *c, const char *key, size_t len,
			  unsigned kind, uint64_t hash, int *old);
int ndl_cache_put_kind(ndl_cache *c, ndl_arena *mem, const char *key,
		       size_t len, unsigned kind, uint64_t hash, void *value);

/* Frees the tables and the old generation (the caller frees mem). */
void ndl_cache_free(ndl_cache *c);

#endif
