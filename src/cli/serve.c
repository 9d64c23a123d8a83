/* needlecheck serve: a page and an HTTP API on libmicrohttpd.
 *
 * The HTTP side only: routes, limits, the log, signals. What a request
 * means is serve_api.c's; the page is serve_page.c's. No request leaves
 * anything behind: a thread's checker keeps a cache of names, nothing of
 * who asked. Threads: libmicrohttpd's pool, one per CPU, each polling
 * its connections, each with a checker of its own, made on its first
 * request.
 *
 * libmicrohttpd is opened when 'serve' runs, not linked: with what it
 * loads (GnuTLS and its dozen libraries) it would cost every other run
 * of the program its start-up time and memory. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/serve.h"

#ifndef NDL_HAVE_MHD

int cmd_serve(options *o, int nfiles, char **files)
{
	(void)o, (void)nfiles, (void)files;
	say("serve: this needlecheck was built without libmicrohttpd, which "
	    "'serve' needs: install it (Debian: apt-get install "
	    "libmicrohttpd-dev, or 'make deps' as root), then run make again");
	return 2;
}

#else

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The library found at build time (the Makefile), and its package. */
#ifndef NDL_MHD_SO
#define NDL_MHD_SO "libmicrohttpd.so.12"
#endif
#ifndef NDL_MHD_PACKAGE
#define NDL_MHD_PACKAGE "libmicrohttpd12"
#endif

#define MHD_FUNCTIONS(X) \
	X(MHD_add_response_header) \
	X(MHD_create_response_from_buffer_with_free_callback) \
	X(MHD_destroy_response) X(MHD_get_connection_info) \
	X(MHD_get_connection_values) X(MHD_get_daemon_info) \
	X(MHD_is_feature_supported) X(MHD_lookup_connection_value) \
	X(MHD_queue_response) \
	X(MHD_quiesce_daemon) X(MHD_start_daemon) X(MHD_stop_daemon)

/* Each function as a pointer of its declared type, set by load_mhd. */
#define POINTER_TO(f) __typeof__(f) *f;
static struct { MHD_FUNCTIONS(POINTER_TO) } mhd;
#undef POINTER_TO

/* Opens the library and finds each function; NULL, or why not. */
static const char *load_mhd(void)
{
	void *lib = dlopen(NDL_MHD_SO, RTLD_NOW | RTLD_LOCAL), *fn;
	if (lib == NULL)
		return dlerror();
#define BIND(f) \
	if ((fn = dlsym(lib, #f)) == NULL) \
		return dlerror(); \
	memcpy(&mhd.f, &fn, sizeof(fn));
	MHD_FUNCTIONS(BIND)
#undef BIND
	return NULL;
}

/* The limits, stated in --help and the README. */
#define MAX_TEXT_BODY ((size_t)1 << 20) /* a list, a form: 1 MiB */
#define MAX_CSV_BODY ((size_t)8 << 20)  /* an inventory: 8 MiB */
#define MAX_PHOTO_BODY ((size_t)16 << 20) /* a photo, a form with one: 16 MiB */
#define MAX_CONNECTIONS 64 /* served at once */
/* Past MAX_CONNECTIONS, this many more are taken only to be told 503
 * and closed; beyond them, they wait in the system's queue. */
#define TURNED_AWAY 192
#define HEADER_MEMORY (32 * 1024) /* request line and headers */
#define DEFAULT_TIMEOUT 10 /* seconds: idle, body, check */
#define MAX_THREADS 16

static serve_shared shared;
static double timeout_s;
static int quiet;
static pthread_key_t checker_key, photo_key;
/* The lexicon's (for label.tsv), and one OCR engine a thread: the
 * server reads its requests' photos side by side already. */
static ndl_config photo_config;
static atomic_uint open_connections;

/* A mark on each connection: the one that makes more than
 * MAX_CONNECTIONS open is told to come back later. */
static char over_limit;

enum route_id { R_CHECK, R_PLAN, R_LEXICON, R_HEALTH, R_PAGE, R_ANSWER };

static const struct route {
	const char *path;
	const char *method; /* GET routes answer HEAD too */
	enum route_id id;
} routes[] = {
	{"/v1/check", "POST", R_CHECK},   {"/v1/plan", "POST", R_PLAN},
	{"/v1/lexicon", "GET", R_LEXICON}, {"/healthz", "GET", R_HEALTH},
	{"/", "GET", R_PAGE},              {"/check", "POST", R_ANSWER},
};

/* One request, from its first line to its end. */
typedef struct request {
	double started;
	char *line; /* "METHOD URI", for the log */
	const struct route *route;
	int kind;   /* SERVE_TEXT, SERVE_CSV… */
	size_t max; /* bytes its body may have */
	ndl_buf body;
	int too_large, too_slow;
	int close; /* the connection is closed after the answer */
	unsigned status;
	size_t sent;
} request;

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- log */

/* One line on standard error, written at once; what the request says
 * (its URI) is made safe for a terminal. */
static void log_line(const char *s, size_t n)
{
	ndl_buf b = {0};
	ndl_buf_puts(&b, "needlecheck: ");
	ndl_term_text(&b, s, n, 400);
	ndl_buf_puts(&b, "\n");
	if (!b.failed)
		fwrite(b.data, 1, b.len, stderr);
	ndl_buf_free(&b);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	size_t len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		len--;
	log_line(msg, len);
}

static const char *ended(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return "";
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return " (timed out)";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return " (server stopping)";
	case MHD_REQUEST_TERMINATED_READ_ERROR:
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
		return " (closed by the client)";
	default:
		return " (error)";
	}
}

/* The request's life begins with its URI… */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls, (void)c;
	request *rq = calloc(1, sizeof(*rq));
	if (rq) {
		rq->started = seconds_now();
		rq->line = strdup(uri);
	}
	return rq;
}

/* …and ends here, with a line in the log. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	request *rq = *con_cls;
	if (rq == NULL)
		return;
	if (!quiet) {
		char addr[INET6_ADDRSTRLEN] = "-";
		const union MHD_ConnectionInfo *ci =
			mhd.MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			const void *ip = sa->sa_family == AF_INET6
						 ? (const void *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr
						 : (const void *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
			inet_ntop(sa->sa_family, ip, addr, sizeof(addr));
		}
		ndl_buf b = {0};
		if (rq->status)
			ndl_buf_printf(&b, "%s \"%s\" %u %zu %.1f ms%s", addr,
				       rq->line ? rq->line : "?", rq->status, rq->sent,
				       (seconds_now() - rq->started) * 1000, ended(toe));
		else
			ndl_buf_printf(&b, "%s \"%s\" - no answer%s", addr,
				       rq->line ? rq->line : "?", ended(toe));
		log_line(b.data, b.len);
		ndl_buf_free(&b);
	}
	free(rq->line);
	ndl_buf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* ----------------------------------------------------------- replies */

static enum MHD_Result send_reply(struct MHD_Connection *c, request *rq,
				  serve_reply *rep)
{
	if (rep->body.failed) {
		ndl_buf_free(&rep->body);
		serve_error(rep, 500, "out of memory");
	}
	size_t len = rep->body.len;
	struct MHD_Response *r = mhd.MHD_create_response_from_buffer_with_free_callback(
		len, rep->body.data, free);
	if (r == NULL) {
		ndl_buf_free(&rep->body);
		return MHD_NO;
	}
	rep->body.data = NULL;
	mhd.MHD_add_response_header(r, "Content-Type", rep->type);
	mhd.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	mhd.MHD_add_response_header(r, "Cache-Control", "no-store");
	mhd.MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (strncmp(rep->type, "text/html", 9) == 0) {
		mhd.MHD_add_response_header(r, "Content-Security-Policy",
					    "default-src 'none'; style-src 'unsafe-inline'; "
					    "form-action 'self'; base-uri 'none'; "
					    "frame-ancestors 'none'");
		mhd.MHD_add_response_header(r, "X-Frame-Options", "DENY");
	}
	if (rep->status == 405)
		mhd.MHD_add_response_header(r, "Allow", rq->route->method);
	if (rep->status == 503)
		mhd.MHD_add_response_header(r, "Retry-After", "1");
	if (rq->close)
		mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	rq->status = rep->status;
	rq->sent = len;
	enum MHD_Result ok = mhd.MHD_queue_response(c, rep->status, r);
	mhd.MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, request *rq,
				  unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum MHD_Result send_error(struct MHD_Connection *c, request *rq,
				  unsigned status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	serve_reply rep = {0};
	serve_error(&rep, status, "%s", msg);
	return send_reply(c, rq, &rep);
}

/* ------------------------------------------------------------ requests */

/* The checker of this thread, made on its first request. */
static ndl_checker *thread_checker(void)
{
	ndl_checker *chk = pthread_getspecific(checker_key);
	if (chk == NULL && (chk = ndl_checker_new(shared.lex)) != NULL &&
	    pthread_setspecific(checker_key, chk) != 0) {
		ndl_checker_free(chk);
		chk = NULL;
	}
	return chk;
}

/* The photo reader of this thread, made on its first photo (its
 * language data take a few tenths of a second to load). */
static ndl_photo *thread_photo(ndl_error *err)
{
	ndl_photo *ph = pthread_getspecific(photo_key);
	if (ph == NULL)
		keep_photo_memory();
	if (ph == NULL && (ph = ndl_photo_new(&photo_config, err)) != NULL &&
	    pthread_setspecific(photo_key, ph) != 0) {
		ndl_photo_free(ph);
		ph = NULL;
		snprintf(err->message, sizeof(err->message), "out of memory");
	}
	return ph;
}

static void free_photo(void *ph)
{
	ndl_photo_free(ph);
}

typedef struct query_args {
	serve_query q;
	char bad[160]; /* what is wrong, or "" */
} query_args;

static int flag_value(const char *v)
{
	return v == NULL || *v == '\0' || strcmp(v, "1") == 0 ||
	       strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
}

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	(void)kind;
	query_args *qa = cls;
	serve_query *q = &qa->q;
	const char **slot = strcmp(key, "day") == 0	    ? &q->day
			    : strcmp(key, "hours") == 0	    ? &q->hours
			    : strcmp(key, "since") == 0	    ? &q->since
			    : strcmp(key, "now") == 0	    ? &q->now
			    : strcmp(key, "name") == 0	    ? &q->name
			    : strcmp(key, "column") == 0     ? &q->column
			    : strcmp(key, "name_column") == 0 ? &q->name_column
			    : strcmp(key, "id_column") == 0  ? &q->id_column
							     : NULL;
	if (strcmp(key, "per_line") == 0) {
		q->per_line = flag_value(value);
		return MHD_YES;
	}
	if (slot == NULL || *slot != NULL || value == NULL) {
		snprintf(qa->bad, sizeof(qa->bad), "%s parameter '%.80s'",
			 slot == NULL ? "unknown" : *slot ? "twice the" : "no value for the",
			 key);
		return MHD_NO;
	}
	*slot = value;
	return MHD_YES;
}

/* The body's kind from its Content-Type, for route; -1 when refused. */
static int body_kind(const struct route *rt, const char *type)
{
	char media[64] = "";
	if (type) {
		size_t n = strcspn(type, ";");
		while (n && (type[n - 1] == ' ' || type[n - 1] == '\t'))
			n--;
		if (n < sizeof(media))
			memcpy(media, type, n), media[n] = '\0';
	}
	if (rt->id == R_ANSWER)
		return strcasecmp(media, "application/x-www-form-urlencoded") == 0
			       ? SERVE_FORM
		       : strcasecmp(media, "multipart/form-data") == 0
			       ? SERVE_MULTIPART
			       : -1;
	static const char *const photos[] = {"image/png", "image/jpeg", "image/tiff",
					     "image/webp"};
	for (size_t i = 0; i < sizeof(photos) / sizeof(photos[0]); i++)
		if (strcasecmp(media, photos[i]) == 0)
			return SERVE_PHOTO;
	if (strcasecmp(media, "text/plain") == 0)
		return SERVE_TEXT;
	if (strcasecmp(media, "text/csv") == 0)
		return SERVE_CSV;
	return -1;
}

/* Counts the connections open; marks those past the limit. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	(void)cls, (void)c;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if (atomic_fetch_add(&open_connections, 1) >= MAX_CONNECTIONS)
			*socket_context = &over_limit;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		atomic_fetch_sub(&open_connections, 1);
	}
}

/* Did this connection come past the limit? */
static int is_over_limit(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		mhd.MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci && ci->socket_context == &over_limit;
}

/* The first call of a request: its route, its content type, its size. */
static enum MHD_Result begin(struct MHD_Connection *c, request *rq,
			     const char *url, const char *method)
{
	const struct route *path = NULL;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(url, routes[i].path) == 0) {
			path = &routes[i];
			if (strcmp(method, routes[i].method) == 0 ||
			    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
				rq->route = &routes[i];
		}
	if (rq->line) {
		char *line = malloc(strlen(method) + strlen(rq->line) + 2);
		if (line) {
			sprintf(line, "%s %s", method, rq->line);
			/* the log quotes it: a quote inside would end it early */
			for (char *q = line; (q = strpbrk(q, "\"\\")) != NULL; q++)
				*q = '?';
		}
		free(rq->line);
		rq->line = line;
	}
	if (is_over_limit(c)) {
		rq->close = 1;
		return send_error(c, rq, 503, "the server has %d connections open; "
				  "try again in a moment", MAX_CONNECTIONS);
	}
	if (path == NULL)
		return send_error(c, rq, 404, "no such page: the page is /, the API "
				  "/v1/check, /v1/plan, /v1/lexicon, /healthz");
	if (rq->route == NULL) {
		rq->route = path;
		return send_error(c, rq, 405, "%s wants %s", path->path, path->method);
	}
	if (strcmp(rq->route->method, "POST") != 0)
		return MHD_YES;
	const char *type = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							   MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->kind = body_kind(rq->route, type);
	if (rq->kind < 0)
		return send_error(c, rq, 415, rq->route->id == R_ANSWER
			? "the form is sent as application/x-www-form-urlencoded "
			  "or multipart/form-data"
			: "send a list as text/plain, an inventory as text/csv, "
			  "or a photo as image/png, image/jpeg, image/tiff or "
			  "image/webp (curl: -H 'Content-Type: text/plain')");
	rq->max = rq->kind == SERVE_CSV					  ? MAX_CSV_BODY
		  : rq->kind == SERVE_PHOTO || rq->kind == SERVE_MULTIPART ? MAX_PHOTO_BODY
									   : MAX_TEXT_BODY;
	const char *length = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (length && strtoull(length, NULL, 10) > rq->max)
		return send_error(c, rq, 413, "the body is larger than %zu bytes",
				  rq->max);
	return MHD_YES;
}

/* More of the body. Beyond its limit, or its time, the rest is read and
 * dropped, and the answer says why. */
static void take_body(request *rq, const char *data, size_t n)
{
	if (!rq->too_slow && seconds_now() - rq->started > timeout_s)
		rq->too_slow = 1;
	if (rq->too_large || rq->too_slow)
		return;
	if (n > rq->max - rq->body.len) {
		rq->too_large = 1;
		return;
	}
	ndl_buf_append(&rq->body, data, n);
	rq->too_large = rq->body.failed;
}

/* The whole request is in: the answer. */
static enum MHD_Result answer(struct MHD_Connection *c, request *rq)
{
	if (rq->too_slow)
		return send_error(c, rq, 408, "the body took longer than %g s to "
				  "arrive", timeout_s);
	if (rq->too_large)
		return send_error(c, rq, 413, "the body is larger than %zu bytes",
				  rq->max);
	serve_reply rep = {0};
	query_args qa = {0};
	ndl_checker *chk = NULL;
	enum route_id id = rq->route->id;
	if (id == R_CHECK || id == R_PLAN) {
		mhd.MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_arg, &qa);
		if (*qa.bad)
			return send_error(c, rq, 400, "%s", qa.bad);
	}
	if ((id == R_CHECK || id == R_PLAN || id == R_ANSWER) &&
	    (chk = thread_checker()) == NULL)
		return send_error(c, rq, 500, "out of memory");
	/* the form is parsed in place, and needs a byte for its end */
	ndl_buf_cstr(&rq->body);
	if (rq->body.failed)
		return send_error(c, rq, 500, "out of memory");
	char *body = rq->body.data;
	size_t len = rq->body.len;
	const char *date = mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "date");
	const char *time = mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "time");
	switch (id) {
	case R_CHECK:
		serve_check(&shared, chk, &qa.q, rq->kind, body, len, &rep);
		break;
	case R_PLAN:
		serve_plan(&shared, chk, &qa.q, rq->kind, body, len, &rep);
		break;
	case R_LEXICON:
		serve_lexicon(&shared, &rep);
		break;
	case R_HEALTH:
		ndl_buf_puts(&rep.body, "{\"status\":\"ok\",\"version\":\"" NDL_VERSION "\"}\n");
		rep.status = 200;
		rep.type = SERVE_JSON;
		break;
	case R_PAGE:
		serve_form(&shared, date, time, &rep);
		break;
	case R_ANSWER:
		serve_answer(&shared, chk, rq->kind,
			     mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_TYPE),
			     date, time, body, len, &rep);
		break;
	}
	return send_reply(c, rq, &rep);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)cls, (void)version;
	request *rq = *con_cls;
	if (rq == NULL)
		return MHD_NO; /* out of memory in on_uri */
	if (rq->route == NULL)
		return begin(c, rq, url, method);
	if (*upload_data_size) {
		take_body(rq, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer(c, rq);
}

/* ------------------------------------------------------------ the daemon */

/* ADDR:PORT, [ADDR]:PORT, or PORT alone (on 127.0.0.1). */
static int parse_listen(const char *spec, struct sockaddr_storage *ss)
{
	char host[256];
	const char *port;
	const char *colon = strrchr(spec, ':');
	if (colon == NULL) {
		snprintf(host, sizeof(host), "127.0.0.1");
		port = spec;
	} else {
		size_t n = (size_t)(colon - spec);
		if (n >= 2 && spec[0] == '[' && spec[n - 1] == ']')
			spec++, n -= 2;
		if (n == 0 || n >= sizeof(host))
			return -1;
		memcpy(host, spec, n);
		host[n] = '\0';
		port = colon + 1;
	}
	char *end;
	long p = strtol(port, &end, 10);
	if (*port == '\0' || *end || p < 0 || p > 65535)
		return -1;
	struct addrinfo hints = {.ai_flags = AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

static int is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)ss)->sin_addr.s_addr) >> 24) == 127;
	return ss->ss_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr);
}

static void free_checker(void *chk)
{
	ndl_checker_free(chk);
}

/* Waits for SIGINT or SIGTERM; then new connections are refused, those
 * open may finish (up to the timeout, or a second signal), and it stops. */
static void run_until_signal(struct MHD_Daemon *d, const sigset_t *stop)
{
	int sig;
	while (sigwait(stop, &sig) != 0)
		;
	MHD_socket listen = mhd.MHD_quiesce_daemon(d);
	if (listen != MHD_INVALID_SOCKET)
		close(listen);
	const union MHD_DaemonInfo *di =
		mhd.MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	unsigned open = di ? di->num_connections : 0;
	if (!quiet)
		say("stopping (%s): %u connection%s to finish", strsignal(sig), open,
		    open == 1 ? "" : "s");
	double until = seconds_now() + timeout_s;
	struct timespec tick = {0, 50 * 1000 * 1000};
	while (open > 0 && seconds_now() < until) {
		if (sigtimedwait(stop, NULL, &tick) > 0)
			break; /* a second signal: now */
		di = mhd.MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		open = di ? di->num_connections : 0;
	}
	mhd.MHD_stop_daemon(d);
}

int cmd_serve(options *o, int nfiles, char **files)
{
	if (nfiles > 0)
		return usage_error("'serve' takes no file ('%s'): lists come in "
				   "requests", files[0]);
	struct sockaddr_storage addr = {0};
	const char *spec = o->listen ? o->listen : "127.0.0.1:8080";
	if (parse_listen(spec, &addr) != 0)
		return usage_error("--listen wants ADDR:PORT, [ADDR]:PORT or PORT, "
				   "not '%s'", spec);
	timeout_s = o->timeout > 0 ? o->timeout : DEFAULT_TIMEOUT;
	ndl_when when;
	if (o->when_kind && resolve_when(o, &when) != 0)
		return 2; /* --since malformed, or after now */
	const char *why = load_mhd();
	if (why != NULL) {
		say("serve: libmicrohttpd, which 'serve' needs, cannot be "
		    "loaded (%s): install it (Debian: apt-get install %s)", why,
		    NDL_MHD_PACKAGE);
		return 2;
	}
	quiet = o->quiet;
	photo_config = o->cfg;
	photo_config.photo_threads = 1;
	ndl_lexicon *lex = open_lexicon(o);
	if (lex == NULL)
		return 2;
	ndl_guidance *guidance = open_guidance(o);
	if (guidance == NULL) {
		ndl_lexicon_free(lex);
		return 2;
	}
	shared = (serve_shared){.lex = lex, .guidance = guidance,
				.work_seconds = timeout_s, .photo = thread_photo,
				.since = o->since};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (unsigned)cpus;

	/* the signals are this thread's to wait for: the daemon's threads,
	 * started below, inherit the mask */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_key_create(&checker_key, free_checker);
	pthread_key_create(&photo_key, free_photo);
	/* poll(), not epoll: a connection a request (what most clients
	 * do) then costs no epoll_ctl to add it and none to remove it; the
	 * daemon holds at most MAX_CONNECTIONS + TURNED_AWAY. Under ab -c
	 * 32 the server's CPU a request fell from 57-72 to 50-56 us and
	 * p99 was lower in 15 runs of 16 (README). */
	unsigned flags = (mhd.MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES
				  ? MHD_USE_POLL_INTERNAL_THREAD
				  : MHD_USE_AUTO_INTERNAL_THREAD) |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	struct MHD_Daemon *d = mhd.MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)(MAX_CONNECTIONS + TURNED_AWAY),
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	int status = 0;
	if (d == NULL) {
		say("serve: cannot listen on %s: %s", spec,
		    errno ? strerror(errno) : "the HTTP library refused");
		status = 2;
	} else {
		const union MHD_DaemonInfo *di = mhd.MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		char host[INET6_ADDRSTRLEN] = "?";
		const void *ip = addr.ss_family == AF_INET6
					 ? (const void *)&((struct sockaddr_in6 *)(void *)&addr)->sin6_addr
					 : (const void *)&((struct sockaddr_in *)(void *)&addr)->sin_addr;
		inet_ntop(addr.ss_family, ip, host, sizeof(host));
		int v6 = addr.ss_family == AF_INET6;
		say("serving http://%s%s%s:%u/ (the page; the API under /v1/), %u "
		    "threads; Ctrl-C stops", v6 ? "[" : "", host, v6 ? "]" : "",
		    di ? di->port : 0, threads);
		if (!is_loopback(&addr))
			say_warning("warning: %s is reachable from other machines: "
				    "there is no TLS and no login; put a proxy in front",
				    host);
		run_until_signal(d, &stop);
	}
	ndl_guidance_free(guidance);
	ndl_lexicon_free(lex);
	return status;
}

#endif
