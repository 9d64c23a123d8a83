/* Small shared helpers of the library: arena, hashing, error filling. */
#ifndef NDL_UTIL_H
#define NDL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "needlecheck.h"

#define NDL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Asks the processor to start fetching the memory at p, which the
 * caller will read soon (a hint: nothing changes). */
#if defined(__GNUC__) || defined(__clang__)
#define NDL_PREFETCH(p) __builtin_prefetch(p)
#else
#define NDL_PREFETCH(p) ((void)(p))
#endif

/* An arena: allocations live until ndl_arena_reset or ndl_arena_free.
 * The per-product scratch memory of a checker is one, so checking a row
 * allocates nothing once the arena has grown to the largest row. */
typedef struct ndl_arena_block ndl_arena_block;
typedef struct ndl_arena {
	ndl_arena_block *head; /* block being filled; older ones follow */
	size_t block_size;
	size_t used; /* bytes allocated since the last reset */
} ndl_arena;

void *ndl_arena_alloc(ndl_arena *a, size_t n); /* NULL when out of memory */
char *ndl_arena_strndup(ndl_arena *a, const char *s, size_t n);
void ndl_arena_reset(ndl_arena *a); /* keeps one block, as large as all */
/* Bytes in use (allocated since the last reset), not the bytes the
 * arena holds: a reset arena is empty, however large its block. */
size_t ndl_arena_size(const ndl_arena *a);
void ndl_arena_free(ndl_arena *a);

/* 64-bit hash of a byte string (FNV-1a, then a mixer). */
uint64_t ndl_hash(const char *s, size_t n);

/* Fills err (which may be NULL) and returns -1. */
int ndl_fail(ndl_error *err, const char *file, unsigned line, unsigned col,
	     const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

/* After a first ndl_fail on err, adds another error of the same run to
 * err->more, formatted as ndl_error_format does; what does not fit is
 * counted, not written. Returns -1. */
int ndl_fail_more(ndl_error *err, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

/* ndl_buf_append for the hot paths: a copy when it fits. */
static inline void ndl_buf_put(ndl_buf *b, const char *s, size_t n)
{
	if (n && b->len + n < b->cap) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
	} else {
		ndl_buf_append(b, s, n);
	}
}

/* A number in decimal: what "%lu" writes, without printf's parsing of
 * a format (a hot path writes several a row, most of one digit: those
 * inline). */
void ndl_buf_digits(ndl_buf *b, unsigned long v);
static inline void ndl_buf_number(ndl_buf *b, unsigned long v)
{
	if (v < 10 && b->len + 1 < b->cap)
		b->data[b->len++] = (char)('0' + v);
	else
		ndl_buf_digits(b, v);
}

/* vsnprintf(out, cap, fmt, ap) for the messages of a hot path: %s,
 * %.<n>s, %u, %zu and %% (no flags, no width) are written here, without
 * printf's machinery; a format with any other conversion goes to
 * vsnprintf. Returns the length written (at most cap - 1). */
size_t ndl_vformat(char *out, size_t cap, const char *fmt, va_list ap);

/* Opens a file the library reads whole (a lexicon, protocol, guidance
 * or known-names file): a descriptor, or -1 with err filled when it
 * cannot be opened or is not a regular file. A FIFO is refused at once,
 * never waited on. */
int ndl_open_regular(const char *path, ndl_error *err);

/* n bytes of zeros in pages of their own, untouched: for a large
 * structure of which a run uses a few pages (calloc would clear it all,
 * touching every page). NULL when out of memory. */
void *ndl_fresh_alloc(size_t n);
/* Frees p, of n bytes, from ndl_fresh_alloc (NULL: nothing). */
void ndl_fresh_free(void *p, size_t n);

/* Grows *p (of *cap elements of size sz) to hold at least need elements. */
int ndl_grow(void **p, size_t *cap, size_t need, size_t sz);

#define NDL_GROW(arr, cap, need) \
	ndl_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
