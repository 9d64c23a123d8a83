/* The command line's shared parts: option parsing, output, helpers. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/serve.h"

const char usage_text[] =
	"Usage: needlecheck [check] [OPTIONS] [FILE...]\n"
	"       needlecheck plan [OPTIONS] [FILE...]\n"
	"       needlecheck lint [OPTIONS] FILE...\n"
	"       needlecheck lexicon [--list | --explain NAME | --test]\n"
	"       needlecheck serve [--listen ADDR:PORT] [--timeout SECONDS]\n"
	"       needlecheck help [COMMAND] | version\n"
	"\n"
	"Reads cosmetic ingredient lists (INCI, as printed on labels) and says\n"
	"whether each product is safe on a given day after micro-needling: which\n"
	"ingredient decided it, why, and from which day the product is safe.\n"
	"With no FILE, or FILE '-', it reads standard input. A text file is one\n"
	"product (--per-line: one per line); a .csv or .tsv file is an inventory,\n"
	"one product per row; a photo of a label (PNG, JPEG, TIFF, WebP) is read\n"
	"with Tesseract and the ingredient list on it is checked. Options may\n"
	"come before the command's name.\n"
	"\n"
	"Examples:\n"
	"  pbpaste | needlecheck --day 3\n"
	"      check the list on the clipboard for day 3 after the procedure\n"
	"  needlecheck --day 3 back-label.jpg\n"
	"      read the list on a photo of the label, and check it\n"
	"  needlecheck --since 2026-11-20 serum.txt\n"
	"      the day is counted from the procedure date (local time)\n"
	"  printf 'Aqua, Glycerin, Retinol' | needlecheck --day 2 --format ndjson\n"
	"      one JSON record per product, for scripts\n"
	"  needlecheck --per-line --fail-on caution lists.txt\n"
	"      one product per line; exit 1 if any needs caution or worse\n"
	"  needlecheck --day 3 inventory.csv\n"
	"      the products of an inventory that are not safe, and a summary\n"
	"  needlecheck --day 3 --format csv inventory.csv > verdicts.csv\n"
	"      a verdict per row, for a spreadsheet\n"
	"  needlecheck --day 3 --format html inventory.csv > report.html\n"
	"      the same as a page: charts, then the products that are not safe\n"
	"  needlecheck plan --since 2026-11-20 serum.txt cream.txt\n"
	"      the week after the procedure: which product on which day, and\n"
	"      the article's other advice (makeup, exercise, sun, baths...)\n"
	"  needlecheck lint catalogue.csv\n"
	"      the catalogue's claims (aftercare_day, post-procedure-safe tags)\n"
	"      that its ingredients contradict, as file:line:col: error: ...\n"
	"  needlecheck lexicon --explain 'Retinyl Palmitate (Vitamin A)'\n"
	"      which lexicon entry matches a name, and why\n"
	"\n"
	"When:\n"
	"  --day N            day N after the procedure (0 = the procedure day)\n"
	"  --hours H          H hours after the procedure\n"
	"  --since DATE       the procedure's date, YYYY-MM-DD or YYYY-MM-DDTHH:MM\n"
	"  --now DATE         the moment to judge at, with --since (default: now)\n"
	"  Without any of them the day is 0, the strictest, and the report says so.\n"
	"\n"
	"Input and output:\n"
	"  --per-line         each non-blank line of a text input is a product\n"
	"  --name NAME        the product's name (an SPF or \"foundation\" in it\n"
	"                     changes some rules)\n"
	"  --format FMT       text (default), json, ndjson, csv or html; for\n"
	"                     plan: text, markdown, json or html\n"
	"  --summary          only the counts per verdict and per class, in the\n"
	"                     format asked (a JSON object, CSV rows, charts)\n"
	"  --fail-on LEVEL    exit 1 when a product is at least caution, unknown\n"
	"                     or avoid (default avoid); safe < caution < unknown\n"
	"                     < avoid\n"
	"  --color WHEN       auto (default: on a terminal, unless NO_COLOR is\n"
	"                     set), always or never\n"
	"  -q, --quiet        print nothing; the exit status tells\n"
	"\n"
	"CSV inventories:\n"
	"  --input csv        read standard input (or any file) as CSV\n"
	"  --input image      read it as a photo of a label (told by content\n"
	"                     otherwise; --input text never reads a photo)\n"
	"  --column COL       the ingredients column, by header name or 1-based\n"
	"                     number (default: a header such as ingredients,\n"
	"                     inci, composition)\n"
	"  --name-column COL, --id-column COL\n"
	"                     the product name and id columns (default: found\n"
	"                     from the header: name, product_name; id, sku)\n"
	"  --no-header        the first row is a product\n"
	"  --delimiter D      ',', ';', '|' or tab (default: from the first record)\n"
	"  --jobs N           threads for a large file or a photo (default: one\n"
	"                     per CPU; a photo takes two at most)\n"
	"  Rows in = records out, in order; a row that cannot be read is\n"
	"  'unknown' with an error, and a warning names its line.\n"
	"\n"
	"Plan:\n"
	"  A grid of the products by day 0 to 7 after the procedure (dated with\n"
	"  --since; today marked with --since, --day or --hours): avoid,\n"
	"  caution, safe, or recommended (safe, with an ingredient the article\n"
	"  recommends), the first safe day of each, then the article's advice\n"
	"  besides products (lexicon/guidance.tsv). --fail-on applies to today,\n"
	"  or to day 0 when no day is given.\n"
	"\n"
	"Catalogue lint (needlecheck lint FILE...):\n"
	"  A row claims the first day after the procedure its product is fine\n"
	"  in a column aftercare_day, post_procedure_day or safe_after_day, or\n"
	"  with a tag post-procedure-safe (day 0) or post-procedure-safe:N in a\n"
	"  tags column. A claim earlier than the ingredients allow is an error\n"
	"  on the ingredient that decides; a claimed list that cannot be read is\n"
	"  a warning. A needlecheck_allow column names classes or ingredients\n"
	"  the row accepts; each wrong claim it excuses is counted. One summary\n"
	"  line ends the report. Exit 1 on any error, 0 otherwise, 2 on trouble.\n"
	"  --format FMT       gcc (default), json, sarif (2.1.0) or github\n"
	"                     (Actions annotations)\n"
	"  --claim-column COL the claim column, by header name or 1-based number\n"
	"  --fix              rewrite each wrong claim to the day the ingredients\n"
	"                     allow, in place; nothing else in the file changes,\n"
	"                     and a file changed meanwhile is not rewritten\n"
	"  --suggest          a note for each unclaimed product safe from day 0\n"
	"\n"
	"Serve (needlecheck serve):\n"
	"  A page for a phone at / (paste a list or take a photo of the label,\n"
	"  give the procedure's date; no script, nothing kept) and an HTTP API,\n"
	"  on 127.0.0.1:8080 unless --listen says otherwise. The day comes with\n"
	"  each request: ?day=N, ?hours=H or ?since=DATE[&now=DATE], else\n"
	"  --since's; ?per_line=1 and ?name= as the options. One log line per\n"
	"  request on standard error; SIGINT or SIGTERM lets open requests\n"
	"  finish, then stops.\n"
	"    POST /v1/check    text/plain list, text/csv inventory or a photo\n"
	"                      (image/png, jpeg, tiff, webp): the records of\n"
	"                      --format ndjson, \"source\":\"<stdin>\"\n"
	"    POST /v1/plan     the same bodies: the plan of --format json\n"
	"    GET /v1/lexicon   the classes and their windows; GET /healthz\n"
	"  --listen ADDR:PORT where to listen (a port alone: on 127.0.0.1)\n"
	"  --since DATE       the procedure of requests that name no moment (a\n"
	"                     clinic's server for one patient); said on the page\n"
	"  --timeout S        seconds a connection may idle, a body may take to\n"
	"                     arrive (408) and a check may run (503); default 10\n"
	"  Limits: a list or form 1 MiB, an inventory 8 MiB, a photo 16 MiB\n"
	"  (413), the photo reader's pixels (422), 64 connections (more: 503\n"
	"  and Retry-After), a plan 1000 products.\n"
	"  curl -H 'Content-Type: text/plain' --data-binary @serum.txt \\\n"
	"       'http://127.0.0.1:8080/v1/check?day=3'\n"
	"\n"
	"Knowledge:\n"
	"  --lexicon DIR      add or replace lexicon files (see lexicon/README.md)\n"
	"  --protocol FILE    a clinic's day windows for the classes it names\n"
	"  --known FILE       more ingredient names that have no class (one per\n"
	"                     line, or a CSV with an inci_name column)\n"
	"\n"
	"Limits: a text input up to 512 MB; a CSV row up to 16 MB and its\n"
	"ingredients cell up to 1 MB, 100,000 ingredients per product (beyond\n"
	"them the product is 'unknown'); 10,000 products in a plan; see the\n"
	"README for the rest.\n"
	"\n"
	"Verdicts: avoid, caution, safe, or unknown when no ingredient list could\n"
	"be read (empty, a placeholder such as \"No Info\", prose, binary data).\n"
	"Unknown is never safe. Exit status: 0 no product reached --fail-on,\n"
	"1 at least one did, 2 usage error, unreadable input, bad lexicon or\n"
	"protocol, or write error.\n"
	"\n"
	"The default windows follow one aftercare article (actives such as\n"
	"retinol, vitamin C and AHAs for 5-7 days, makeup for 24-72 hours);\n"
	"a clinic's protocol file overrides them. This is information, not\n"
	"medical advice: follow your practitioner.\n";

const char *prog = "needlecheck";

/* ---------------------------------------------------- standard error */

int github_stderr;

/* One line of standard error. What it quotes (file names, header cells,
 * option values) may hold anything, so control characters and bidi
 * controls never pass: as '?' for a terminal, or, for lint --format
 * github, with the line a workflow command of its own, escaped, so that
 * nothing in it can start another command in an Actions log. */
static void stderr_line(int warning, const char *s, size_t n)
{
	ndl_buf b = {0};
	if (github_stderr) {
		ndl_buf_puts(&b, warning ? "::warning::" : "::error::");
		ndl_github_text(&b, s, n, 0);
	} else {
		ndl_term_text(&b, s, n, 0);
	}
	ndl_buf_append(&b, "\n", 1);
	fwrite(b.data, 1, b.len, stderr);
	ndl_buf_free(&b);
}

static void vsay(int warning, const char *fmt, va_list ap)
{
	ndl_buf b = {0};
	ndl_buf_printf(&b, "%s: ", prog);
	char small[512];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		ndl_buf_append(&b, small, (size_t)n);
	} else if (n >= 0) {
		char *big = malloc((size_t)n + 1);
		if (big)
			vsnprintf(big, (size_t)n + 1, fmt, ap);
		ndl_buf_puts(&b, big ? big : "(message too long)");
		free(big);
	}
	stderr_line(warning, b.data, b.len);
	ndl_buf_free(&b);
}

void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(0, fmt, ap);
	va_end(ap);
}

void say_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(1, fmt, ap);
	va_end(ap);
}

void say_error(const ndl_error *err)
{
	char msg[1024];
	say("%s", ndl_error_format(err, msg, sizeof(msg)));
	for (const char *s = err->more, *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1)
		say("%.*s", (int)(nl - s), s);
	if (ndl_error_unwritten(err))
		say("error: %u more errors in %s", ndl_error_unwritten(err), err->file);
}

void say_lines(const char *s, size_t n, int warning)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;
		stderr_line(warning, s, len);
		len += nl != NULL;
		s += len;
		n -= len;
	}
}

int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	return 2;
}

/* The local time of an instant, as ndl_parse_datetime counts it. */
static int64_t local_minutes(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M", &tm);
	int64_t m = 0;
	ndl_parse_datetime(buf, &m);
	return m;
}

/* The instant (seconds since the epoch) of a local date and time (as
 * ndl_parse_datetime counts it) in the time zone of TZ: mktime knows
 * its changes to and from summer time. A time the change skips is read
 * as the clock would have shown it without the change; a time it
 * repeats, as mktime chooses. */
static time_t local_instant(int64_t minutes)
{
	time_t wall = (time_t)(minutes * 60);
	struct tm tm;
	gmtime_r(&wall, &tm); /* the fields as written */
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int64_t local_minutes_after(int64_t minutes, long hours)
{
	return local_minutes(local_instant(minutes) + (time_t)hours * 3600);
}

/* ----------------------------------------------------------- output */

int write_failed;

void write_out(const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, stdout) != n)
		write_failed = 1;
}

int finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || write_failed) {
		say("write error: %s", errno ? strerror(errno) : "output failed");
		return 2;
	}
	return 0;
}

_Noreturn void out_of_memory(void)
{
	say("out of memory");
	exit(2);
}

int when_since(const char *since, const char *now, ndl_when *when,
	       int64_t *now_local)
{
	/* hours between two instants, not between two readings of the
	 * clock: across a change to or from summer time they differ */
	int64_t from;
	time_t at;
	if (ndl_parse_datetime(since, &from))
		return 1;
	if (now == NULL) {
		at = time(NULL);
		*now_local = local_minutes(at);
	} else if (ndl_parse_datetime(now, now_local)) {
		return 2;
	} else {
		at = local_instant(*now_local);
	}
	double seconds = difftime(at, local_instant(from));
	if (seconds < 0)
		return 3;
	*when = ndl_when_hours(seconds / 3600.0);
	return 0;
}

int resolve_when(options *o, ndl_when *when)
{
	switch (o->when_kind) {
	case 'd':
		*when = ndl_when_day(o->day);
		return 0;
	case 'h':
		*when = ndl_when_hours(o->hours);
		return 0;
	case 's':
		switch (when_since(o->since, o->now, when, &o->now_local)) {
		case 1:
			return usage_error("--since wants YYYY-MM-DD or "
					   "YYYY-MM-DDTHH:MM, not '%s'", o->since);
		case 2:
			return usage_error("--now wants YYYY-MM-DD or "
					   "YYYY-MM-DDTHH:MM, not '%s'", o->now);
		case 3:
			return usage_error("--since %s is after the moment judged at",
					   o->since);
		}
		return 0;
	default:
		*when = ndl_when_day(0);
		return 0;
	}
}

unsigned terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	long v;
	if (env && *env && parse_int(env, 1, 100000, &v) == 0)
		return (unsigned)v;
	struct winsize ws;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

int want_colour(const options *o)
{
	const char *nc = getenv("NO_COLOR");
	return o->color >= 0 ? o->color : isatty(1) && !(nc && *nc);
}

ndl_lexicon *open_lexicon(options *o)
{
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(&o->cfg, &err);
	/* the directory's label.tsv (for photos) is read now too: a bad one
	 * is said as a bad lexicon file is, before anything is checked */
	if (lex && o->cfg.lexicon_dir && ndl_label_check(o->cfg.lexicon_dir, &err) != 0) {
		ndl_lexicon_free(lex);
		lex = NULL;
	}
	if (lex == NULL)
		say_error(&err);
	return lex;
}

ndl_guidance *open_guidance(options *o)
{
	ndl_error err = {0};
	ndl_guidance *g = ndl_guidance_open(&o->cfg, &err);
	if (g == NULL)
		say_error(&err);
	return g;
}

int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

int next_text_product(const options *o, const char *data, size_t len,
		      text_products *tp, ndl_product *p)
{
	if (tp->done)
		return 0;
	if (!ndl_text_next(data, len, o->per_line, &tp->pos, p)) {
		tp->done = 1;
		if (tp->started || !o->per_line)
			return 0;
		*p = (ndl_product){.text = "", .line = 1, .column = 1};
	}
	tp->started = 1;
	if (o->name) {
		p->name = o->name;
		p->name_len = strlen(o->name);
	}
	return 1;
}

void decode_text_input(const char *source, char **data, size_t *len)
{
	char *dec;
	size_t dlen, bad;
	int enc = ndl_decode(*data, *len, &dec, &dlen, &bad);
	if (enc < 0)
		out_of_memory();
	if (bad < *len) {
		unsigned long line = 1;
		for (size_t i = 0; i < bad; i++)
			line += (*data)[i] == '\n';
		fprintf(stderr, "%s:%lu: warning: invalid UTF-8 at byte offset %zu%s\n",
			source, line, bad,
			enc == NDL_ENC_CP1252 ? ": read as Windows-1252" : "");
	}
	if (dec) {
		free(*data);
		*data = dec;
		*len = dlen;
	}
}

int stdin_csv_fd(const options *o, const ndl_lexicon *lex, const char *data,
		 size_t len)
{
	if (o->input != INPUT_AUTO)
		return -1;
	switch (ndl_csv_sniff(lex, data, len)) {
	case NDL_SNIFF_MAYBE:
		say_warning("<stdin>:1: warning: the first line names an "
			    "ingredients column, but what follows is not a table: "
			    "read as %s (--input csv reads it as CSV)",
			    o->per_line ? "one product a line" : "one product");
		return -1;
	case NDL_SNIFF_CSV:
		break;
	default:
		return -1;
	}
	FILE *f = tmpfile();
	int fd = -1;
	if (f && fwrite(data, 1, len, f) == len && fflush(f) == 0)
		fd = dup(fileno(f));
	if (f)
		fclose(f);
	if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		say("<stdin>: a table on standard input, but no temporary file "
		    "to read it from: %s (set TMPDIR, or give --input csv)",
		    strerror(errno));
		exit(2);
	}
	return fd;
}

void warn_one_column(const char *source, const ndl_csv_header *h)
{
	static const char candidates[] = ",;|\t";
	if (h->ncolumns != 1)
		return;
	for (const char *c = candidates; *c; c++)
		if (*c != h->delimiter && strchr(h->names[0], *c)) {
			const char *name = *c == '\t' ? "tab" : *c == ',' ? "','"
					   : *c == ';' ? "';'" : "'|'";
			say_warning("%s:1: warning: the header is one column, so each "
				    "row is read as one list; it holds %s: give "
				    "--delimiter %s",
				    source, name, *c == '\t' ? "tab" : name);
			return;
		}
}

int input_is_csv(const options *o, const char *path)
{
	if (o->input != INPUT_AUTO)
		return o->input == INPUT_CSV;
	return strcmp(path, "-") != 0 &&
	       (has_suffix(path, ".csv") || has_suffix(path, ".tsv"));
}

int input_is_photo(const options *o, const char *data, size_t len)
{
	if (o->input != INPUT_AUTO)
		return o->input == INPUT_IMAGE;
	return ndl_is_photo(data, len);
}

static ndl_photo *photo_engine;

void keep_photo_memory(void)
{
	/* Reading a photo allocates and frees images of megabytes over
	 * and over: glibc gives each back to the kernel (munmap, trimming
	 * the heap) and the next is faulted in again page by page, a
	 * third of a photo's time spent in the kernel. Kept in the heap,
	 * they are reused, at the same peak (a 2-megapixel photo: 41,600
	 * page faults and 0.4 s of system time, then 13,200 and 0.15 s).
	 * Process-wide settings: the program's to choose, not the
	 * library's. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
}

void free_photo_engine(void)
{
	ndl_photo_free(photo_engine);
	photo_engine = NULL;
}

int read_photo_input(const options *o, const char *source, const char *data,
		     size_t len, ndl_photo_page *pr)
{
	ndl_error err = {0};
	static int failed;
	if (photo_engine == NULL && !failed) {
		keep_photo_memory();
		if ((photo_engine = ndl_photo_new(&o->cfg, &err)) == NULL) {
			failed = 1;
			if (err.file[0]) /* the lexicon's label.tsv */
				say_error(&err);
			else
				say("%s: %s", source, err.message);
			return -1;
		}
	}
	if (photo_engine == NULL) {
		say("%s: not read: photos cannot be read (said above)", source);
		return -1;
	}
	if (ndl_photo_read(photo_engine, data, len, pr, &err) != 0) {
		say("%s: %s", source, err.message);
		return -1;
	}
	return 0;
}

ndl_box *photo_boxes(const ndl_photo_page *pr, const ndl_result *res)
{
	ndl_box *boxes = calloc(res->nfindings + 1, sizeof(*boxes));
	for (size_t i = 0; boxes && i < res->nfindings; i++) {
		const ndl_finding *f = &res->findings[i];
		if (ndl_photo_box(pr, f->offset, f->ingredient_len, &boxes[i]) != 0)
			boxes[i].w = 0; /* none */
	}
	return boxes;
}

int photo_list_line(const ndl_photo_page *pr, size_t *at, size_t *a, size_t *b)
{
	const char *t = pr->product.text;
	size_t i = *at, n = pr->product.len;
	while (i < n) {
		size_t e = i;
		while (e < n && pr->text[e] != '\n')
			e++;
		*a = i, *b = e;
		i = e + 1;
		while (*a < *b && (t[*a] == ' ' || t[*a] == ','))
			++*a;
		/* spaces, and the comma put after each part of the list */
		while (*b > *a && (t[*b - 1] == ' ' ||
				   (t[*b - 1] == ',' && pr->text[*b - 1] != ',')))
			--*b;
		if (*b > *a) {
			*at = i;
			return 1;
		}
	}
	*at = i;
	return 0;
}

void write_photo_text(ndl_buf *out, const ndl_photo_page *pr)
{
	ndl_buf_printf(out, "Read from the photo (%s, confidence %.0f %%):\n",
		       pr->engine, pr->confidence);
	/* the list's lines as read, the rest of the label left out */
	size_t at = 0, a, b;
	while (photo_list_line(pr, &at, &a, &b)) {
		ndl_buf_puts(out, "  ");
		ndl_term_text(out, pr->product.text + a, b - a, 0);
		ndl_buf_puts(out, "\n");
	}
	if (pr->skipped)
		ndl_buf_printf(out, "Skipped: %s\n", pr->skipped);
}

/* The boxes of each finding's words, a box a line of the text as read
 * (a line of the photo): finding k's are lines[at[k]] to lines[at[k +
 * 1]]. NULL when out of memory. */
static ndl_box *line_boxes(const ndl_photo_page *pr, const ndl_result *res,
			   size_t **at)
{
	size_t n = 0;
	for (size_t k = 0; k < res->nfindings; k++) {
		const ndl_finding *f = &res->findings[k];
		n++;
		for (size_t i = f->offset; i < f->offset + f->ingredient_len && i < pr->len; i++)
			n += pr->text[i] == '\n';
	}
	ndl_box *lines = malloc((n + 1) * sizeof(*lines));
	*at = malloc((res->nfindings + 1) * sizeof(**at));
	if (lines == NULL || *at == NULL) {
		free(lines);
		free(*at);
		return NULL;
	}
	n = 0;
	for (size_t k = 0; k < res->nfindings; k++) {
		const ndl_finding *f = &res->findings[k];
		size_t a = f->offset, end = f->offset + f->ingredient_len;
		if (end > pr->len)
			end = pr->len;
		(*at)[k] = n;
		while (a < end) {
			const char *nl = memchr(pr->text + a, '\n', end - a);
			size_t b = nl ? (size_t)(nl - pr->text) : end;
			if (b > a && ndl_photo_box(pr, a, b - a, &lines[n]) == 0)
				n++;
			a = b + 1;
		}
	}
	(*at)[res->nfindings] = n;
	return lines;
}

void write_photo_view(ndl_buf *out, const ndl_record *rec, const ndl_result *res,
		      const ndl_photo_page *pr, const char *data, size_t len)
{
	ndl_photo_preview_image img;
	ndl_error err = {0};
	char note[600] = "";
	if (ndl_photo_preview(data, len, &img, &err) != 0)
		snprintf(note, sizeof(note), "The photo cannot be shown: %s.", err.message);
	else if (img.made)
		snprintf(note, sizeof(note), "The photo is shown in gray, at most "
			 "%d pixels a side, so that the page stays small.",
			 NDL_PHOTO_PREVIEW_SIDE);
	ndl_buf read = {0};
	serve_page_photo(&read, pr);
	size_t *at;
	ndl_box *lines = line_boxes(pr, res, &at);
	if (lines == NULL)
		out_of_memory();
	ndl_html_photo ph = {.mime = img.mime, .data = img.data, .len = img.len,
			     .width = pr->width, .height = pr->height,
			     .lines = lines, .line_at = at,
			     .read_html = ndl_buf_cstr(&read),
			     .note = note[0] ? note : NULL};
	ndl_write_html_photo(out, rec, res, &ph);
	if (read.failed || out->failed)
		out_of_memory();
	ndl_buf_free(&read);
	free(lines);
	free(at);
	ndl_photo_preview_free(&img);
}
