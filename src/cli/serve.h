/* needlecheck serve: a page and an HTTP API on libmicrohttpd.
 *
 *   serve.c       HTTP: the daemon, routes, limits, the log, signals
 *   serve_api.c   the adapter: a request's bytes and parameters to the
 *                 library and its renderers, and back to bytes
 *   serve_page.c  the page: the form, and the answer to it
 *
 * Only serve.c knows HTTP; only serve_api.c calls the checker, the CSV
 * reader and the plan, so a change of the library's shapes stays there. */
#ifndef NDL_SERVE_H
#define NDL_SERVE_H

#include "needlecheck.h"

/* Read-only once the server runs; shared by its threads. */
typedef struct serve_shared {
	const ndl_lexicon *lex;
	const ndl_guidance *guidance;
	double work_seconds; /* a request's check stops after this long */
} serve_shared;

/* What a request asks, from its URL's query (or its form): each NULL
 * when not given. */
typedef struct serve_query {
	const char *day, *hours, *since, *now;
	const char *name;
	int per_line;
	const char *column, *name_column, *id_column;
} serve_query;

/* The answer: status, content type and body (status 0: not made). */
typedef struct serve_reply {
	unsigned status;
	const char *type;
	ndl_buf body;
} serve_reply;

enum { SERVE_TEXT, SERVE_CSV };

#define SERVE_JSON "application/json"
#define SERVE_NDJSON "application/x-ndjson"
#define SERVE_HTML "text/html; charset=utf-8"

/* A plan holds at most this many products (the page's, the API's). */
#define SERVE_MAX_PLAN 1000

/* POST /v1/check: the records `needlecheck check --format ndjson` writes
 * for the same bytes on standard input ("source":"<stdin>"). */
void serve_check(const serve_shared *sh, ndl_checker *chk, const serve_query *q,
		 int kind, const char *body, size_t len, serve_reply *rep);
/* POST /v1/plan: what `needlecheck plan --format json` writes. */
void serve_plan(const serve_shared *sh, ndl_checker *chk, const serve_query *q,
		int kind, const char *body, size_t len, serve_reply *rep);
/* GET /v1/lexicon */
void serve_lexicon(const serve_shared *sh, serve_reply *rep);
/* GET /: the form, its date and time from the query (may be NULL). */
void serve_form(const char *date, const char *time, serve_reply *rep);
/* POST /check: the form's fields (application/x-www-form-urlencoded);
 * date and time from the URL stand when the form has none. */
void serve_answer(const serve_shared *sh, ndl_checker *chk, const char *date,
		  const char *time, char *body, size_t len, serve_reply *rep);

/* An error reply: {"error":message} for the API. */
void serve_error(serve_reply *rep, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- serve_page.c: the page, as bytes --- */

/* What the page shows: the form, filled as it was, and the answer. */
typedef struct serve_page_args {
	const char *date, *time; /* as the form gave them, valid or not */
	const char *list;        /* the pasted text */
	const char *error;       /* what is wrong with the form, or NULL */
	const ndl_plan *plan;    /* the answer, or NULL */
	int day_assumed;         /* no date given: day 0 */
	int today;               /* the day judged at */
	/* the names each product's check did not recognise: product i's
	 * are the NUL-ended strings of unknown->data from unknown_at[i] to
	 * unknown_at[i + 1] (NULL: none kept) */
	const ndl_buf *unknown;
	const size_t *unknown_at;
} serve_page_args;

void serve_page(ndl_buf *out, const serve_page_args *a);

#endif
