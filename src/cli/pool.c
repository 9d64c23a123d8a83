/* The program's workers (pool.h). The calling thread reads blocks and
 * puts them in a ring, in input order; workers take them in that order,
 * check their rows and write into the block's buffers; the calling
 * thread waits for the oldest block, writes it out and reads more, as
 * long as the bytes in flight allow. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pool.h"

/* A block's output (JSON with findings) is 3-10 times its rows: with
 * 2 jobs, five blocks of 128 KB in flight hold about 5 MB of it. */
#define MAX_BLOCK_BYTES ((size_t)128 << 10)
#define MIN_BLOCK_BYTES ((size_t)16 << 10)

/* A block in flight, and what its rows made. */
typedef struct slot {
	ndl_csv_block *blk;
	ndl_buf out, warn;
	void *data;
	int done;
} slot;

typedef struct worker {
	struct pool *pool;
	ndl_checker *chk;
	ndl_csv_scratch *scratch;
	pthread_t thread;
} worker;

struct pool {
	unsigned jobs;
	worker *w;
	/* the run's */
	ndl_csv_reader *rd;
	const char *source;
	const pool_ops *ops;
	slot *ring;         /* blocks in flight: each worker's, and as many
			       waiting */
	size_t cap;
	size_t take, queued; /* the next block for a worker; how many wait */
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t work_cv, done_cv;
};

/* Fills err as the library does; returns -1. */
static int fail(const pool *p, ndl_error *err, const char *message)
{
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", p->source);
	snprintf(err->message, sizeof(err->message), "%s", message);
	err->count = 1;
	return -1;
}

pool *pool_new(const ndl_lexicon *lex, unsigned jobs)
{
	pool *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->jobs = jobs > 1 ? jobs : 1;
	p->w = calloc(p->jobs, sizeof(*p->w));
	if (p->w == NULL) {
		free(p);
		return NULL;
	}
	for (unsigned i = 0; i < p->jobs; i++) {
		p->w[i].pool = p;
		p->w[i].chk = ndl_checker_new(lex);
		p->w[i].scratch = ndl_csv_scratch_new();
		if (p->w[i].chk == NULL || p->w[i].scratch == NULL) {
			pool_free(p);
			return NULL;
		}
	}
	return p;
}

void pool_free(pool *p)
{
	if (p == NULL)
		return;
	for (unsigned i = 0; i < p->jobs; i++) {
		ndl_checker_free(p->w[i].chk);
		ndl_csv_scratch_free(p->w[i].scratch);
	}
	free(p->w);
	free(p);
}

size_t pool_block_bytes(const pool *p)
{
	size_t n = POOL_IN_FLIGHT_BYTES / (2 * (size_t)p->jobs + 1);
	return n > MAX_BLOCK_BYTES ? MAX_BLOCK_BYTES
	       : n < MIN_BLOCK_BYTES ? MIN_BLOCK_BYTES : n;
}

unsigned long pool_checks(const pool *p)
{
	unsigned long n = 0;
	for (unsigned i = 0; i < p->jobs; i++)
		n += ndl_checker_checks(p->w[i].chk);
	return n;
}

void pool_renew_checker(ndl_checker **chk, const ndl_csv_row *row)
{
	if (row->raw_len <= POOL_TRIM_ROW_BYTES)
		return;
	ndl_checker *fresh = ndl_checker_new(ndl_checker_lexicon(*chk));
	if (fresh) {
		ndl_checker_free(*chk);
		*chk = fresh;
	}
}

static void check_block(worker *w, slot *s)
{
	pool *p = w->pool;
	size_t n = ndl_csv_block_rows(s->blk);
	for (size_t i = 0; i < n; i++) {
		ndl_csv_row row;
		ndl_csv_block_row(p->rd, s->blk, i, w->scratch, &row);
		ndl_buf_append(&s->warn, row.warnings, row.warnings_len);
		p->ops->row(p->ops->ctx, w->chk, &row, &s->out, s->data);
		pool_renew_checker(&w->chk, &row);
	}
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->queued == 0 && !p->stop)
			pthread_cond_wait(&p->work_cv, &p->mu);
		if (p->queued == 0)
			break;
		slot *s = &p->ring[p->take];
		p->take = (p->take + 1) % p->cap;
		p->queued--;
		pthread_mutex_unlock(&p->mu);
		check_block(w, s);
		pthread_mutex_lock(&p->mu);
		s->done = 1;
		pthread_cond_broadcast(&p->done_cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The next block into s; 1, 0 at the end, -1 with err. */
static int fill(pool *p, slot *s, ndl_error *err)
{
	int rc = ndl_csv_next_block(p->rd, &s->blk, err);
	if (rc == 1) {
		s->out.len = s->warn.len = 0;
		s->done = 0;
		if (p->ops->block_data_size)
			memset(s->data, 0, p->ops->block_data_size);
	}
	return rc;
}

/* Writes s out, in its turn, and gives its block back. */
static int emit(pool *p, slot *s, unsigned long *rows, ndl_error *err)
{
	const pool_ops *ops = p->ops;
	int rc = 0;
	*rows += ndl_csv_block_rows(s->blk);
	if (s->out.failed || s->warn.failed)
		rc = fail(p, err, "out of memory");
	else if (ops->emit(ops->ctx, &s->out, &s->warn, s->data) != 0)
		rc = fail(p, err, "stopped");
	if (rc == 0 && ops->progress)
		ops->progress(ops->ctx, *rows, ndl_csv_block_end(s->blk),
			      ndl_csv_size(p->rd));
	ndl_csv_block_done(p->rd, s->blk);
	s->blk = NULL;
	/* what a block's output made its buffers grow to beyond some times
	 * a usual block's (long rows) is given back; a record is several
	 * times its row (JSON with findings: 3-10x), and a buffer given back
	 * each block costs its pages again each block */
	size_t keep = 32 * pool_block_bytes(p);
	if (s->out.cap > keep)
		ndl_buf_free(&s->out);
	if (s->warn.cap > keep)
		ndl_buf_free(&s->warn);
	return rc;
}

static int run_inline(pool *p, ndl_error *err)
{
	unsigned long rows = 0;
	slot *s = &p->ring[0];
	int rc;
	while ((rc = fill(p, s, err)) == 1) {
		check_block(&p->w[0], s);
		if (emit(p, s, &rows, err) != 0)
			return -1;
	}
	return rc;
}

/* Hands the block in s to the workers. */
static void queue(pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->queued++;
	pthread_cond_signal(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
}

static int run_threads(pool *p, ndl_error *err)
{
	unsigned started = 0;
	int rc = 0;
	for (; started < p->jobs; started++)
		if (pthread_create(&p->w[started].thread, NULL, worker_main,
				   &p->w[started])) {
			rc = fail(p, err, "cannot start a thread");
			break;
		}
	size_t head = 0, n = 0, in_flight = 0;
	unsigned long rows = 0;
	int reading = rc == 0;
	while (reading || n > 0) {
		/* more only while the bytes in flight allow it */
		while (reading && n < p->cap && (n == 0 || in_flight < POOL_IN_FLIGHT_BYTES)) {
			slot *s = &p->ring[(head + n) % p->cap];
			int got = fill(p, s, err);
			if (got != 1) {
				reading = 0;
				rc = got;
				break;
			}
			in_flight += ndl_csv_block_bytes(s->blk);
			n++;
			queue(p);
		}
		if (n == 0)
			break;
		slot *s = &p->ring[head];
		pthread_mutex_lock(&p->mu);
		while (!s->done)
			pthread_cond_wait(&p->done_cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		head = (head + 1) % p->cap;
		n--;
		in_flight -= ndl_csv_block_bytes(s->blk);
		if (rc != 0) {
			ndl_csv_block_done(p->rd, s->blk); /* failed: not written */
			s->blk = NULL;
		} else if (emit(p, s, &rows, err) != 0) {
			rc = -1;
			reading = 0;
		}
	}
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(p->w[i].thread, NULL);
	return rc;
}

int pool_run(pool *p, ndl_csv_reader *rd, const char *source,
	     const pool_ops *ops, ndl_error *err)
{
	p->rd = rd;
	p->source = source;
	p->ops = ops;
	p->cap = p->jobs > 1 ? 2 * (size_t)p->jobs + 1 : 1;
	p->take = p->queued = 0;
	p->stop = 0;
	p->ring = calloc(p->cap, sizeof(*p->ring));
	int rc = p->ring ? 0 : fail(p, err, "out of memory");
	for (size_t i = 0; rc == 0 && i < p->cap && ops->block_data_size; i++)
		if ((p->ring[i].data = malloc(ops->block_data_size)) == NULL)
			rc = fail(p, err, "out of memory");
	if (rc == 0 && p->jobs > 1) {
		pthread_mutex_init(&p->mu, NULL);
		pthread_cond_init(&p->work_cv, NULL);
		pthread_cond_init(&p->done_cv, NULL);
		rc = run_threads(p, err);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->work_cv);
		pthread_cond_destroy(&p->done_cv);
	} else if (rc == 0) {
		rc = run_inline(p, err);
	}
	for (size_t i = 0; p->ring && i < p->cap; i++) {
		ndl_buf_free(&p->ring[i].out);
		ndl_buf_free(&p->ring[i].warn);
		free(p->ring[i].data);
	}
	free(p->ring);
	p->ring = NULL;
	return rc < 0 ? -1 : 0;
}
