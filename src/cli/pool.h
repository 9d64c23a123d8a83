/* The program's workers: threads that check the rows of a CSV reader's
 * blocks, each with its own checker and scratch, while the calling
 * thread reads the next blocks and writes what the workers made, block
 * by block in input order. With one job there is no thread: the calling
 * thread does it all.
 *
 * Memory: the blocks in flight (read, not yet written out) hold under
 * POOL_IN_FLIGHT_BYTES of rows whatever the jobs, plus one block; their
 * output is given back when it grew large. */
#ifndef NDL_CLI_POOL_H
#define NDL_CLI_POOL_H

#include "needlecheck.h"
#include "needlecheck_input.h"

#define POOL_IN_FLIGHT_BYTES ((size_t)4 << 20)

typedef struct pool pool;

typedef struct pool_ops {
	void *ctx;
	size_t block_data_size; /* each block's own data, zeroed */
	/* on a worker: one row, checked with the worker's checker, written
	 * to the block's out */
	void (*row)(void *ctx, ndl_checker *chk, const ndl_csv_row *row,
		    ndl_buf *out, void *block_data);
	/* on the calling thread, block by block in input order: what row()
	 * wrote and the reader's warnings (a line each); nonzero stops */
	int (*emit)(void *ctx, const ndl_buf *out, const ndl_buf *warnings,
		    void *block_data);
	/* optional, on the calling thread: rows and bytes done so far, and
	 * the input's size (0 when unknown), after each block */
	void (*progress)(void *ctx, unsigned long rows, uint64_t bytes,
			 uint64_t total);
} pool_ops;

/* jobs workers (at least one), their checkers made now and kept from
 * run to run. NULL when out of memory. */
pool *pool_new(const ndl_lexicon *lex, unsigned jobs);
void pool_free(pool *p);

/* The block size for a reader that feeds p: as many blocks as keep the
 * workers busy fit in the bytes in flight. */
size_t pool_block_bytes(const pool *p);

/* Every row of rd (source names it in messages) through ops. 0, or -1
 * with err filled (the reader's error, out of memory, no thread, or
 * "stopped" by emit). */
int pool_run(pool *p, ndl_csv_reader *rd, const char *source,
	     const pool_ops *ops, ndl_error *err);

/* The products the workers' checkers have read (ndl_checker_checks). */
unsigned long pool_checks(const pool *p);

/* After a row longer than POOL_TRIM_ROW_BYTES (ten times the longest of
 * real catalogues), *chk is replaced by a fresh checker: what the row
 * made it grow to is given back. */
#define POOL_TRIM_ROW_BYTES ((size_t)64 << 10)
void pool_renew_checker(ndl_checker **chk, const ndl_csv_row *row);

#endif
