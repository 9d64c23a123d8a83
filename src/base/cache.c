#include <stdlib.h>

#include "base/cache.h"

/* The limits of the young generation, unless the owner set others:
 * room for the names a catalogue keeps using (the real lists hold about
 * 10,000 distinct pieces, most of them seen once). */
#define DEFAULT_MAX_ENTRIES (1u << 15)
#define DEFAULT_MAX_BYTES ((size_t)3 << 20)

/* A slot is 16 bytes, so a table of the names a catalogue keeps using
 * stays small: the value is kept just before the key's bytes, in the
 * generation's memory. */
struct ndl_cache_slot {
	char *key; /* NULL: empty; the value pointer precedes it */
	uint32_t len;  /* and, in its top bit, its kind */
	uint32_t hash; /* the low half of the key's hash: its slot */
};

#define KIND_BIT ((uint32_t)1 << 31)

/* A key's length and kind as a slot keeps them (len < KIND_BIT). */
static uint32_t len_kind(size_t len, unsigned kind)
{
	return (uint32_t)len | (kind ? KIND_BIT : 0);
}

static void **value_of(const ndl_cache_slot *s)
{
	return (void **)(void *)(s->key - sizeof(void *));
}

static int full(const ndl_cache *c, const ndl_arena *mem)
{
	size_t entries = c->max_entries ? c->max_entries : DEFAULT_MAX_ENTRIES;
	size_t bytes = c->max_bytes ? c->max_bytes : DEFAULT_MAX_BYTES;
	return c->young.used >= entries || ndl_arena_size(mem) >= bytes;
}

int ndl_cache_turn(ndl_cache *c, ndl_arena *mem)
{
	if (!full(c, mem))
		return 0;
	ndl_cache_table t = c->old;
	if (t.slots)
		memset(t.slots, 0, t.nslots * sizeof(*t.slots));
	t.used = 0;
	c->old = c->young;
	c->young = t;
	ndl_arena_reset(&c->old_mem);
	ndl_arena swap = c->old_mem;
	c->old_mem = *mem;
	*mem = swap;
	c->turns++;
	return 1;
}

static ndl_cache_slot *probe(const ndl_cache_table *t, const char *key,
			     size_t len, uint32_t lk, uint64_t hash)
{
	size_t mask = t->nslots - 1;
	uint32_t tag = (uint32_t)hash;
	for (size_t j = hash & mask;; j = (j + 1) & mask) {
		ndl_cache_slot *s = &t->slots[j];
		if (s->key == NULL || (s->hash == tag && s->len == lk &&
				       memcmp(s->key, key, len) == 0))
			return s;
	}
}

void *ndl_cache_find(ndl_cache *c, const char *key, size_t len, uint64_t hash,
		     int *old)
{
	return ndl_cache_find_kind(c, key, len, 0, hash, old);
}

void *ndl_cache_find_kind(ndl_cache *c, const char *key, size_t len,
			  unsigned kind, uint64_t hash, int *old)
{
	*old = 0;
	if (len >= KIND_BIT) {
		c->misses++;
		return NULL;
	}
	uint32_t lk = len_kind(len, kind);
	if (c->young.used) {
		ndl_cache_slot *s = probe(&c->young, key, len, lk, hash);
		if (s->key)
			return *value_of(s);
	}
	if (c->old.used) {
		ndl_cache_slot *s = probe(&c->old, key, len, lk, hash);
		if (s->key) {
			*old = 1;
			return *value_of(s);
		}
	}
	c->misses++;
	return NULL;
}

void ndl_cache_prefetch(const ndl_cache *c, uint64_t hash)
{
	if (c->young.used)
		NDL_PREFETCH(&c->young.slots[hash & (c->young.nslots - 1)]);
	if (c->old.used)
		NDL_PREFETCH(&c->old.slots[hash & (c->old.nslots - 1)]);
}

/* The first slot of t that may hold a key of this hash and kind 0 (only
 * the tags are compared), or NULL. */
static const ndl_cache_slot *tagged(const ndl_cache_table *t, uint64_t hash)
{
	size_t mask = t->nslots - 1;
	for (size_t j = hash & mask;; j = (j + 1) & mask) {
		const ndl_cache_slot *s = &t->slots[j];
		if (s->key == NULL)
			return NULL;
		if (s->hash == (uint32_t)hash && !(s->len & KIND_BIT))
			return s;
	}
}

void ndl_cache_prefetch_key(const ndl_cache *c, uint64_t hash)
{
	const ndl_cache_slot *s = NULL;
	if (c->young.used)
		s = tagged(&c->young, hash);
	if (s == NULL && c->old.used)
		s = tagged(&c->old, hash);
	if (s)
		NDL_PREFETCH(value_of(s)); /* the value pointer, then the key */
}

const char *ndl_cache_key(const ndl_cache *c, const char *key, size_t len,
			  uint64_t hash)
{
	if (len >= KIND_BIT || !c->young.used)
		return NULL;
	return probe(&c->young, key, len, len_kind(len, 0), hash)->key;
}

/* Doubles the young table (at most half full, so probes stay short). */
static int grow(ndl_cache_table *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 64; /* small at first: a short list
						      puts few names */
	ndl_cache_slot *slots = calloc(n, sizeof(*slots));
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < t->nslots; i++) {
		if (t->slots[i].key == NULL)
			continue;
		size_t j = t->slots[i].hash & (n - 1);
		while (slots[j].key)
			j = (j + 1) & (n - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

int ndl_cache_put(ndl_cache *c, ndl_arena *mem, const char *key, size_t len,
		  uint64_t hash, void *value)
{
	return ndl_cache_put_kind(c, mem, key, len, 0, hash, value);
}

int ndl_cache_put_kind(ndl_cache *c, ndl_arena *mem, const char *key,
		       size_t len, unsigned kind, uint64_t hash, void *value)
{
	if (len >= KIND_BIT)
		return -1;
	uint32_t lk = len_kind(len, kind);
	if ((c->young.used + 1) * 2 > c->young.nslots && grow(&c->young))
		return -1;
	ndl_cache_slot *s = probe(&c->young, key, len, lk, hash);
	if (s->key) {
		*value_of(s) = value;
		return 0;
	}
	char *k = ndl_arena_alloc(mem, sizeof(void *) + len + 1);
	if (k == NULL)
		return -1;
	memcpy(k, &value, sizeof(void *));
	k += sizeof(void *);
	memcpy(k, key, len);
	k[len] = '\0';
	*s = (ndl_cache_slot){k, lk, (uint32_t)hash};
	c->young.used++;
	return 0;
}

void ndl_cache_free(ndl_cache *c)
{
	free(c->young.slots);
	free(c->old.slots);
	ndl_arena_free(&c->old_mem);
	memset(c, 0, sizeof(*c));
}
