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
#include "needlecheck_input.h"

/* Read-only once the server runs; shared by its threads. */
typedef struct serve_shared {
	const ndl_lexicon *lex;
	const ndl_guidance *guidance;
	double work_seconds; /* a request's check stops after this long */
	/* this thread's photo reader, made on first use; NULL with err
	 * filled when photos cannot be read here */
	ndl_photo *(*photo)(ndl_error *err);
	/* serve --since: the procedure of requests that name no moment */
	const char *since;
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

/* What a body holds: a list, an inventory, a photo (PNG, JPEG, TIFF,
 * WebP), the page's form as application/x-www-form-urlencoded or as
 * multipart/form-data (with a photo). */
enum { SERVE_TEXT, SERVE_CSV, SERVE_PHOTO, SERVE_FORM, SERVE_MULTIPART };

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
void serve_form(const serve_shared *sh, const char *date, const char *time,
		serve_reply *rep);
/* POST /check: the form's fields (kind SERVE_FORM or SERVE_MULTIPART,
 * type the Content-Type, which names the boundary); date and time from
 * the URL stand when the form has none. */
void serve_answer(const serve_shared *sh, ndl_checker *chk, int kind,
		  const char *type, const char *date, const char *time,
		  char *body, size_t len, serve_reply *rep);

/* An error reply: {"error":message} for the API. */
void serve_error(serve_reply *rep, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- serve_multipart.c: multipart/form-data (RFC 7578) --- */

/* One part of a form: its field's name, the file's name when it is a
 * file ("" when none), and its bytes (in the body, followed by a NUL). */
typedef struct serve_part {
	char name[32];      /* "" when longer: a field no one asked for */
	char filename[256]; /* cut short when longer */
	int is_file;
	char *data;
	size_t len;
} serve_part;

#define SERVE_MAX_PARTS 16

/* Splits body (len bytes, changed in place) into at most cap parts by
 * the boundary named in type. Returns the number of parts, or -1 with
 * why (a sentence) when the body or the type is not well formed. */
int serve_multipart(const char *type, char *body, size_t len,
		    serve_part *parts, size_t cap, const char **why);

/* --- serve_page.c: the page, as bytes --- */

/* What the page shows: the form, filled as it was, and the answer. */
typedef struct serve_page_args {
	const char *date, *time; /* as the form gave them, valid or not */
	const char *list;        /* the pasted text */
	const char *error;       /* what is wrong with the form, or NULL */
	const ndl_plan *plan;    /* the answer, or NULL */
	int day_assumed;         /* no date given: day 0 */
	int today;               /* the day judged at */
	const char *server_since; /* serve --since, or NULL */
	/* the names each product's check did not recognise: product i's
	 * are the NUL-ended strings of unknown->data from unknown_at[i] to
	 * unknown_at[i + 1] (NULL: none kept) */
	const ndl_buf *unknown;
	const size_t *unknown_at;
	/* what was read on the photo of product photo_row, as
	 * serve_page_photo wrote it (NULL: no photo) */
	const ndl_buf *photo_read;
	size_t photo_row;
} serve_page_args;

void serve_page(ndl_buf *out, const serve_page_args *a);
/* What was read on a photo, as HTML for serve_page_args.photo_read:
 * made while the photo is at hand. */
void serve_page_photo(ndl_buf *out, const ndl_photo_page *pr);

#endif
