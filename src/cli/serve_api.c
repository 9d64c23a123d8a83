/* needlecheck serve, the adapter: a request's body and parameters to the
 * library (checker, CSV reader, plan) and its renderers, and back to
 * bytes. Nothing here knows HTTP beyond a status number; nothing here
 * keeps anything from one request to the next. The records are the
 * command line's, byte for byte: the same writers, the same source
 * ("<stdin>": the body is what a pipe would give the command). */
#define _GNU_SOURCE /* memfd_create */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/serve.h"

#define SOURCE "<stdin>"

void serve_error(serve_reply *rep, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rep->status = status;
	rep->type = SERVE_JSON;
	rep->body.len = 0;
	ndl_buf_puts(&rep->body, "{\"error\":");
	ndl_json_string(&rep->body, msg, strlen(msg));
	ndl_buf_puts(&rep->body, "}\n");
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ when */

static int whole(const char *s, long lo, long hi, long *v)
{
	char *end;
	*v = strtol(s, &end, 10);
	return *s && !*end && *v >= lo && *v <= hi;
}

/* The moment a request asks for, as --day, --hours, --since and --now
 * do; day 0 when none. Fills popt (for a plan) when not NULL. Returns 0,
 * or -1 with why in msg. */
static int resolve(const serve_query *q, ndl_when *when, ndl_plan_options *popt,
		   char *msg, size_t cap)
{
	int given = (q->day != NULL) + (q->hours != NULL) + (q->since != NULL);
	long d;
	*when = ndl_when_day(0);
	if (given > 1)
		return snprintf(msg, cap, "give only one of day, hours and since"), -1;
	if (q->now && !q->since)
		return snprintf(msg, cap, "now goes with since"), -1;
	if (q->day) {
		if (!whole(q->day, 0, 100000, &d))
			return snprintf(msg, cap, "day wants a whole number of days "
					"from 0, not '%s'", q->day), -1;
		*when = ndl_when_day((int)d);
	} else if (q->hours) {
		char *end;
		double h = strtod(q->hours, &end);
		if (!*q->hours || *end || !isfinite(h) || h < 0 || h > 2400000)
			return snprintf(msg, cap, "hours wants a number of hours "
					"from 0, not '%s'", q->hours), -1;
		*when = ndl_when_hours(h);
	} else if (q->since) {
		int64_t now_local = 0;
		switch (when_since(q->since, q->now, when, &now_local)) {
		case 1:
			return snprintf(msg, cap, "since wants YYYY-MM-DD or "
					"YYYY-MM-DDTHH:MM, not '%s'", q->since), -1;
		case 2:
			return snprintf(msg, cap, "now wants YYYY-MM-DD or "
					"YYYY-MM-DDTHH:MM, not '%s'", q->now), -1;
		case 3:
			return snprintf(msg, cap, "the procedure (%s) is after the "
					"moment judged at", q->since), -1;
		}
		if (popt) {
			ndl_parse_datetime(q->since, &popt->procedure);
			popt->dated = 1;
			popt->now_local = now_local;
		}
	}
	if (popt) {
		popt->has_now = given > 0;
		popt->now = *when;
	}
	return 0;
}

/* resolve, its error as a 400 reply; a request that names no moment
 * has the server's (serve --since) */
static int resolve_or_400(const serve_shared *sh, const serve_query *q,
			  ndl_when *when, ndl_plan_options *popt, serve_reply *rep)
{
	char msg[600];
	serve_query sq = *q;
	if (!q->day && !q->hours && !q->since)
		sq.since = sh->since;
	if (resolve(&sq, when, popt, msg, sizeof(msg)) == 0)
		return 0;
	serve_error(rep, 400, "%s", msg);
	return -1;
}

/* ------------------------------------------------------- the products */

/* What one request's products go to: a record each, or a plan row. */
typedef struct job {
	const serve_shared *sh;
	ndl_when when;
	ndl_plan *plan;   /* NULL: records into out */
	ndl_buf *out;
	double deadline;
	int late;         /* past the deadline: the rest is skipped */
	int too_many;     /* more products than a plan holds */
	int failed;       /* out of memory */
	ndl_photo_page *photo; /* the product is this photo's list */
	ndl_buf *unknown; /* for the page: each product's unrecognised names */
	size_t *unknown_at; /* SERVE_MAX_PLAN + 1 of them */
	ndl_buf *read;    /* for the page: what was read on the photo */
} job;

/* One product: its record, or its row of the plan. */
static void take(job *jb, ndl_checker *chk, const ndl_record *rec,
		 const ndl_product *p, const char *label, ndl_buf *out)
{
	if (jb->late || jb->too_many || jb->failed)
		return;
	if (seconds_now() > jb->deadline) {
		jb->late = 1;
		return;
	}
	if (jb->plan && ndl_plan_count(jb->plan) >= SERVE_MAX_PLAN) {
		jb->too_many = 1;
		return;
	}
	const ndl_record_writer *ndjson = ndl_record_writer_find("ndjson");
	ndl_write_options wo = {.lex = jb->sh->lex, .when = jb->when};
	const ndl_result *r = ndl_check(chk, p);
	if (r && jb->photo)
		r = ndl_photo_judge(jb->photo, chk, r);
	if (r == NULL) {
		jb->failed = 1;
	} else if (jb->plan) {
		jb->failed = ndl_plan_add(jb->plan, rec, r, label) != 0;
		if (jb->unknown) {
			for (size_t i = 0; i < r->nunrecognized; i++) {
				ndl_buf_append(jb->unknown, r->unrecognized[i].text,
					       r->unrecognized[i].len);
				ndl_buf_append(jb->unknown, "", 1);
			}
			jb->unknown_at[ndl_plan_count(jb->plan)] = jb->unknown->len;
			jb->failed |= jb->unknown->failed;
		}
	} else if (jb->photo) {
		/* as `needlecheck check` writes it: each finding's box */
		ndl_box *boxes = photo_boxes(jb->photo, r);
		ndl_record_photo ph = {.confidence = jb->photo->confidence,
				       .engine = jb->photo->engine,
				       .skipped = jb->photo->skipped, .boxes = boxes};
		ndl_record prec = *rec;
		prec.photo = &ph;
		jb->failed = boxes == NULL;
		if (boxes)
			ndjson->record(out, &wo, &prec, r);
		else
			ndl_buf_puts(out, "\n");
		free(boxes);
	} else {
		ndjson->record(out, &wo, rec, r);
	}
}

/* A photo of a label: the list found on it, as one product (its record,
 * or its row of the plan), as the command line reads a photo. Returns 0,
 * or the status and why when it is not read: 415 when photos cannot be
 * read here, 422 when this one cannot (damaged, too many pixels…). The
 * time spent loading the reader and reading the photo does not count
 * against the check's. */
static unsigned photo_product(job *jb, ndl_checker *chk, const ndl_record *rec,
			      const char *label, const char *data, size_t len,
			      char *why, size_t cap)
{
	ndl_error err = {0};
	double start = seconds_now();
	ndl_photo *ph = jb->sh->photo ? jb->sh->photo(&err) : NULL;
	if (ph == NULL)
		return snprintf(why, cap, "photos cannot be read by this server: %s",
				*err.message ? err.message : "no reader"), 415;
	ndl_photo_page pr;
	if (ndl_photo_read(ph, data, len, &pr, &err) != 0)
		return snprintf(why, cap, "the photo is not read: %s", err.message), 422;
	jb->deadline += seconds_now() - start;
	if (rec->name) {
		pr.product.name = rec->name;
		pr.product.name_len = rec->name_len;
	}
	jb->photo = &pr;
	take(jb, chk, rec, &pr.product, label, jb->out);
	jb->photo = NULL;
	if (jb->read) {
		serve_page_photo(jb->read, &pr);
		jb->failed |= jb->read->failed;
	}
	ndl_photo_read_free(&pr);
	return 0;
}

static void text_products_of(job *jb, ndl_checker *chk, const serve_query *q,
			     const char *data, size_t len)
{
	options o = {.per_line = q->per_line, .name = q->name};
	text_products tp = {0};
	ndl_product p = {0};
	unsigned long row = 0;
	char label[64];
	while (next_text_product(&o, data, len, &tp, &p)) {
		ndl_record rec = {.source = SOURCE, .row = ++row, .line = p.line,
				  .name = p.name, .name_len = p.name_len,
				  .when = jb->when};
		/* the labels `needlecheck plan` gives standard input */
		if (q->per_line)
			snprintf(label, sizeof(label), "standard input:%u", p.line);
		else
			snprintf(label, sizeof(label), "standard input");
		take(jb, chk, &rec, &p, label, jb->out);
	}
}

/* The CSV reader reads a file descriptor: the body goes into an
 * anonymous file in memory. Returns 0, or -1 with a reply. */
static int csv_products_of(job *jb, ndl_checker *chk, const serve_query *q,
			   const char *body, size_t len, serve_reply *rep)
{
	int fd = memfd_create("needlecheck-body", MFD_CLOEXEC);
	size_t done = 0;
	while (fd >= 0 && done < len) {
		ssize_t n = write(fd, body + done, len - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (fd < 0 || done < len || lseek(fd, 0, SEEK_SET) != 0) {
		if (fd >= 0)
			close(fd);
		return serve_error(rep, 500, "cannot hold the body in memory"), -1;
	}
	ndl_csv_options opt = {.column = q->column, .name_column = q->name_column,
			       .id_column = q->id_column};
	ndl_error err = {0};
	ndl_csv_reader *rd = ndl_csv_open(jb->sh->lex, fd, SOURCE, &opt, &err);
	ndl_csv_row row;
	int rc = rd ? 1 : -1;
	/* each bad row's record carries its error: no warnings */
	while (rc == 1 && !jb->late && !jb->too_many && !jb->failed &&
	       !jb->out->failed && (rc = ndl_csv_next(rd, &row, &err)) == 1) {
		ndl_record rec = {.source = SOURCE, .row = row.row, .line = row.line,
				  .name = row.product.name,
				  .name_len = row.product.name_len, .id = row.id,
				  .id_len = row.id_len, .error = row.error,
				  .when = jb->when};
		take(jb, chk, &rec, &row.product, NULL, jb->out);
	}
	ndl_csv_close(rd);
	close(fd);
	if (rc < 0) {
		char msg[1024];
		return serve_error(rep, 422, "%s", ndl_error_format(&err, msg, sizeof(msg))), -1;
	}
	return 0;
}

/* Runs the products of a body into jb; 0, or -1 with an error reply. */
static int run(job *jb, ndl_checker *chk, const serve_query *q, int kind,
	       const char *body, size_t len, serve_reply *rep)
{
	jb->deadline = seconds_now() + jb->sh->work_seconds;
	if (kind == SERVE_CSV) {
		if (csv_products_of(jb, chk, q, body, len, rep) != 0)
			return -1;
	} else if (kind == SERVE_PHOTO) {
		ndl_record rec = {.source = SOURCE, .row = 1, .line = 1, .name = q->name,
				  .name_len = q->name ? strlen(q->name) : 0,
				  .when = jb->when};
		char why[700];
		unsigned status = photo_product(jb, chk, &rec, "standard input", body,
						len, why, sizeof(why));
		if (status)
			return serve_error(rep, status, "%s", why), -1;
	} else {
		/* a text body is read as standard input is: decoded, and a
		 * table (a header naming an ingredients column) read as CSV */
		char *dec;
		size_t dlen, bad;
		if (ndl_decode(body, len, &dec, &dlen, &bad) < 0)
			return serve_error(rep, 500, "out of memory"), -1;
		const char *data = dec ? dec : body;
		size_t n = dec ? dlen : len;
		int rc = 0;
		if (ndl_csv_sniff(jb->sh->lex, data, n) == NDL_SNIFF_CSV)
			rc = csv_products_of(jb, chk, q, data, n, rep);
		else
			text_products_of(jb, chk, q, data, n);
		free(dec);
		if (rc != 0)
			return -1;
	}
	if (jb->failed || jb->out->failed)
		return serve_error(rep, 500, "out of memory"), -1;
	if (jb->late)
		return serve_error(rep, 503, "the check took longer than %g s; "
				   "send fewer products at a time",
				   jb->sh->work_seconds), -1;
	if (jb->too_many)
		return serve_error(rep, 413, "a plan holds at most %d products; "
				   "for an inventory, use /v1/check", SERVE_MAX_PLAN), -1;
	return 0;
}

void serve_check(const serve_shared *sh, ndl_checker *chk, const serve_query *q,
		 int kind, const char *body, size_t len, serve_reply *rep)
{
	job jb = {.sh = sh, .out = &rep->body};
	if (resolve_or_400(sh, q, &jb.when, NULL, rep) != 0 ||
	    run(&jb, chk, q, kind, body, len, rep) != 0)
		return;
	rep->status = 200;
	rep->type = kind == SERVE_CSV || (kind == SERVE_TEXT && q->per_line)
			    ? SERVE_NDJSON
			    : SERVE_JSON;
}

void serve_plan(const serve_shared *sh, ndl_checker *chk, const serve_query *q,
		int kind, const char *body, size_t len, serve_reply *rep)
{
	ndl_plan_options popt = {.guidance = sh->guidance};
	job jb = {.sh = sh, .out = &rep->body};
	if (resolve_or_400(sh, q, &jb.when, &popt, rep) != 0)
		return;
	jb.plan = ndl_plan_new(&popt);
	if (jb.plan == NULL) {
		serve_error(rep, 500, "out of memory");
		return;
	}
	if (run(&jb, chk, q, kind, body, len, rep) == 0) {
		ndl_write_options wo = {.lex = sh->lex, .when = jb.when};
		ndl_plan_writer_find("json")->plan(&rep->body, &wo, jb.plan);
		rep->status = rep->body.failed ? 500 : 200;
		rep->type = SERVE_JSON;
	}
	ndl_plan_free(jb.plan);
}

void serve_lexicon(const serve_shared *sh, serve_reply *rep)
{
	ndl_write_lexicon_json(&rep->body, sh->lex);
	rep->status = 200;
	rep->type = SERVE_JSON;
}

/* ------------------------------------------------------------ the page */

/* serve --since as the form's date and time ("" when none), for a page
 * whose address names no date */
static void server_when(const serve_shared *sh, char date[11], char time[6])
{
	*date = *time = '\0';
	if (sh->since) {
		snprintf(date, 11, "%.10s", sh->since);
		if (sh->since[10] == 'T')
			snprintf(time, 6, "%.5s", sh->since + 11);
	}
}

void serve_form(const serve_shared *sh, const char *date, const char *time,
		serve_reply *rep)
{
	char sdate[11], stime[6];
	server_when(sh, sdate, stime);
	serve_page_args a = {.date = date, .time = time, .server_since = sh->since};
	if (!(date && *date) && sh->since) {
		a.date = sdate;
		a.time = stime;
	}
	serve_page(&rep->body, &a);
	rep->status = 200;
	rep->type = SERVE_HTML;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decodes an application/x-www-form-urlencoded value in place ('+' is a
 * space, %XX a byte; a '%' that starts no escape stays); returns its
 * new length and ends it with a NUL. */
static size_t form_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '+')
			s[o++] = ' ';
		else if (s[i] == '%' && i + 2 < n && (hi = hex_digit(s[i + 1])) >= 0 &&
			 (lo = hex_digit(s[i + 2])) >= 0) {
			s[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else
			s[o++] = s[i];
	}
	s[o] = '\0';
	return o;
}

typedef struct form {
	char *list, *date, *time, *now;
	size_t list_len;
	const char *photo; /* a file sent with the form */
	size_t photo_len;
	char photo_name[64];
} form;

/* The fields of the form (body holds len bytes and room for a NUL);
 * others are ignored. */
static void form_parse(char *body, size_t len, form *f)
{
	body[len] = '\0';
	char *p = body;
	while (p < body + len) {
		char *end = memchr(p, '&', (size_t)(body + len - p));
		if (end == NULL)
			end = body + len;
		*end = '\0';
		char *eq = strchr(p, '=');
		if (eq) {
			*eq = '\0';
			size_t n = form_decode(eq + 1, (size_t)(end - eq - 1));
			if (strcmp(p, "list") == 0) {
				f->list = eq + 1;
				f->list_len = n;
			} else if (strcmp(p, "date") == 0) {
				f->date = eq + 1;
			} else if (strcmp(p, "time") == 0) {
				f->time = eq + 1;
			} else if (strcmp(p, "now") == 0) {
				f->now = eq + 1;
			}
		}
		p = end + 1;
	}
}

/* The fields of a multipart/form-data form (type names its boundary);
 * 0, or -1 with why. */
static int multipart_parse(const char *type, char *body, size_t len, form *f,
			   const char **why)
{
	serve_part parts[SERVE_MAX_PARTS];
	int n = serve_multipart(type, body, len, parts, SERVE_MAX_PARTS, why);
	for (int i = 0; i < n; i++) {
		serve_part *p = &parts[i];
		if (strcmp(p->name, "photo") == 0 && p->is_file) {
			/* no file chosen: the browser sends an empty part */
			if (p->len == 0)
				continue;
			f->photo = p->data;
			f->photo_len = p->len;
			snprintf(f->photo_name, sizeof(f->photo_name), "%s", p->filename);
		} else if (strcmp(p->name, "list") == 0) {
			f->list = p->data;
			f->list_len = p->len;
		} else if (strcmp(p->name, "date") == 0) {
			f->date = p->data;
		} else if (strcmp(p->name, "time") == 0) {
			f->time = p->data;
		} else if (strcmp(p->name, "now") == 0) {
			f->now = p->data;
		}
	}
	return n < 0 ? -1 : 0;
}

/* Is the line at s (up to n bytes, its newline not included) blank? */
static int blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* The products of a pasted text: blocks of lines between blank lines,
 * named "Product 1", "Product 2"… */
static void block_products_of(job *jb, ndl_checker *chk, const char *data,
			      size_t len)
{
	size_t pos = 0, start = 0;
	unsigned line = 1, first = 1, n = 0;
	int in_block = 0;
	while (pos <= len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		int blank = blank_line(data + pos, end - pos);
		if (!blank && !in_block) {
			in_block = 1;
			start = pos;
			first = line;
		}
		if (in_block && (blank || end == len)) {
			char label[32];
			snprintf(label, sizeof(label), "Product %u", ++n);
			ndl_product p = {.text = data + start,
					 .len = (blank ? pos : end) - start,
					 .line = first, .column = 1};
			ndl_record rec = {.source = "the page", .row = n,
					  .line = first, .when = jb->when};
			take(jb, chk, &rec, &p, label, jb->out);
			in_block = 0;
		}
		pos = end + 1;
		line++;
	}
}

/* The products of the form into jb's plan: the pasted list's blocks,
 * then the photo's list. Sets a->error and returns the status. */
static unsigned answer_products(job *jb, ndl_checker *chk, const form *f,
				serve_page_args *a, char *why, size_t cap)
{
	char *dec;
	size_t dlen, bad;
	const char *list = f->list ? f->list : "";
	if (ndl_decode(list, f->list_len, &dec, &dlen, &bad) < 0)
		jb->failed = 1;
	else
		block_products_of(jb, chk, dec ? dec : list, dec ? dlen : f->list_len);
	free(dec);
	if (f->photo && !jb->failed) {
		ndl_record rec = {.source = "the page", .row = ndl_plan_count(jb->plan) + 1,
				  .line = 1, .when = jb->when};
		char msg[600];
		unsigned st = photo_product(jb, chk, &rec,
					    *f->photo_name ? f->photo_name : "The photo",
					    f->photo, f->photo_len, msg, sizeof(msg));
		if (st) {
			/* the reader's words, after "the photo is not read: " */
			const char *colon = strchr(msg, ':');
			snprintf(why, cap, "The photo could not be read:%s. Paste the "
				 "list instead, or take a sharper photo.",
				 colon ? colon + 1 : msg);
			a->error = why;
			return st;
		}
	}
	if (jb->failed) {
		a->error = "The server is out of memory; try again later.";
		return 500;
	}
	if (jb->too_many || jb->late) {
		a->error = "Too many products at once: a plan holds a shelf's worth.";
		return 413;
	}
	if (ndl_plan_count(jb->plan) == 0) {
		a->error = "Paste the ingredient list of a product, or take a "
			   "photo of it, first.";
		return 400;
	}
	return 200;
}

void serve_answer(const serve_shared *sh, ndl_checker *chk, int kind,
		  const char *type, const char *date, const char *time,
		  char *body, size_t len, serve_reply *rep)
{
	form f = {0};
	const char *bad_form = NULL;
	if (kind == SERVE_MULTIPART)
		multipart_parse(type, body, len, &f, &bad_form);
	else
		form_parse(body, len, &f);
	serve_page_args a = {.date = f.date ? f.date : date,
			     .time = f.time ? f.time : time,
			     .list = f.list ? f.list : "", .server_since = sh->since};
	char since[64] = "", msg[600], why[800], sdate[11], stime[6];
	server_when(sh, sdate, stime);
	if (!(a.date && *a.date) && sh->since) {
		a.date = sdate;
		a.time = stime;
	}
	if (a.date && *a.date)
		snprintf(since, sizeof(since), "%.20s%s%.8s", a.date,
			 a.time && *a.time ? "T" : "", a.time ? a.time : "");
	serve_query q = {.since = *since ? since : NULL, .now = f.now};
	ndl_plan_options popt = {.guidance = sh->guidance};
	ndl_buf unknown = {0}, read = {0};
	size_t *unknown_at = calloc(SERVE_MAX_PLAN + 1, sizeof(*unknown_at));
	job jb = {.sh = sh, .out = &rep->body, .unknown = &unknown,
		  .unknown_at = unknown_at, .read = &read};
	ndl_plan *plan = NULL;
	rep->status = 400;
	if (bad_form) {
		snprintf(why, sizeof(why), "The form did not arrive whole (%s); "
			 "send it again.", bad_form);
		a.error = why;
	} else if ((a.date && strlen(a.date) > 10) || (a.time && strlen(a.time) > 5)) {
		a.error = "The date or the time is not one a calendar has.";
	} else if (resolve(&q, &jb.when, &popt, msg, sizeof(msg)) != 0) {
		a.error = strstr(msg, "after the moment")
				  ? "The procedure's date is in the future: give the "
				    "date it took place."
				  : "The date or the time is not one a calendar has.";
	} else if (unknown_at == NULL || (plan = ndl_plan_new(&popt)) == NULL) {
		a.error = "The server is out of memory; try again later.";
		rep->status = 500;
	} else {
		jb.plan = plan;
		jb.deadline = seconds_now() + sh->work_seconds;
		rep->status = answer_products(&jb, chk, &f, &a, why, sizeof(why));
		if (rep->status == 200) {
			a.plan = plan;
			a.day_assumed = q.since == NULL;
			a.today = jb.when.day;
			a.unknown = &unknown;
			a.unknown_at = unknown_at;
			if (f.photo) {
				/* the photo's product is the last */
				a.photo_read = &read;
				a.photo_row = ndl_plan_count(plan) - 1;
			}
		}
	}
	rep->body.len = 0;
	serve_page(&rep->body, &a);
	rep->type = SERVE_HTML;
	ndl_plan_free(plan);
	ndl_buf_free(&unknown);
	ndl_buf_free(&read);
	free(unknown_at);
}
