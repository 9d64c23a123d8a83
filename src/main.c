/* needlecheck: the command line. It parses options, opens files and
 * writes what the library returns; everything else is the library's. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "needlecheck.h"

#define MAX_TEXT_INPUT ((size_t)512 << 20)

static const char usage_text[] =
	"Usage: needlecheck [check] [OPTIONS] [FILE...]\n"
	"       needlecheck lexicon [--list | --explain NAME | --test]\n"
	"\n"
	"Reads cosmetic ingredient lists (INCI, as printed on labels) and says\n"
	"whether each product is safe on a given day after micro-needling: which\n"
	"ingredient decided it, why, and from which day the product is safe.\n"
	"With no FILE, or FILE '-', it reads standard input. A text file is one\n"
	"product (--per-line: one per line); a .csv or .tsv file is an inventory,\n"
	"one product per row.\n"
	"\n"
	"Examples:\n"
	"  pbpaste | needlecheck --day 3\n"
	"      check the list on the clipboard for day 3 after the procedure\n"
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
	"  --format FMT       text (default), json, ndjson or csv\n"
	"  --summary          only the counts per verdict and per class\n"
	"  --fail-on LEVEL    exit 1 when a product is at least caution, unknown\n"
	"                     or avoid (default avoid); safe < caution < unknown\n"
	"                     < avoid\n"
	"  --color WHEN       auto (default: on a terminal, unless NO_COLOR is\n"
	"                     set), always or never\n"
	"  -q, --quiet        print nothing; the exit status tells\n"
	"\n"
	"CSV inventories:\n"
	"  --input csv        read standard input (or any file) as CSV\n"
	"  --column COL       the ingredients column, by header name or 1-based\n"
	"                     number (default: a header such as ingredients,\n"
	"                     inci, composition)\n"
	"  --name-column COL, --id-column COL\n"
	"                     the product name and id columns (default: found\n"
	"                     from the header: name, product_name; id, sku)\n"
	"  --no-header        the first row is a product\n"
	"  --delimiter D      ',', ';', '|' or tab (default: from the first line)\n"
	"  --jobs N           threads for a large file (default: one per CPU)\n"
	"  Rows in = records out, in order; a row that cannot be read is\n"
	"  'unknown' with an error, and a warning names its line.\n"
	"\n"
	"Knowledge:\n"
	"  --lexicon DIR      add or replace lexicon files (see lexicon/README.md)\n"
	"  --protocol FILE    a clinic's own day windows instead of the default\n"
	"  --known FILE       more ingredient names that have no class (one per\n"
	"                     line, or a CSV with an inci_name column)\n"
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

enum { FMT_TEXT, FMT_JSON, FMT_NDJSON, FMT_CSV };
enum { INPUT_AUTO, INPUT_TEXT, INPUT_CSV };

typedef struct options {
	const char *command;
	int when_kind; /* 0 none, 'd' day, 'h' hours, 's' since */
	int day;
	double hours;
	const char *since, *now;
	int format;
	int fail_on;
	int color; /* -1 auto */
	int per_line, quiet, summary;
	int input;
	ndl_csv_options csv;
	int jobs_set;
	const char *name;
	ndl_config cfg;
	const char **known;
	size_t nknown;
	int list, test;
	const char *explain;
} options;

static const char *prog = "needlecheck";

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return 2;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Minutes since 1970 of the local time now. */
static int64_t now_minutes(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M", &tm);
	int64_t m = 0;
	ndl_parse_datetime(buf, &m);
	return m;
}

static int parse_options(int argc, char **argv, options *o)
{
	enum { O_DAY = 256, O_HOURS, O_SINCE, O_NOW, O_FORMAT, O_FAIL, O_COLOR,
	       O_PERLINE, O_NAME, O_LEXICON, O_PROTOCOL, O_KNOWN, O_LIST,
	       O_TEST, O_EXPLAIN, O_VERSION, O_INPUT, O_COLUMN, O_NAMECOL,
	       O_IDCOL, O_NOHEADER, O_DELIM, O_JOBS, O_SUMMARY };
	static const struct option longopts[] = {
		{"day", required_argument, 0, O_DAY},
		{"hours", required_argument, 0, O_HOURS},
		{"since", required_argument, 0, O_SINCE},
		{"now", required_argument, 0, O_NOW},
		{"format", required_argument, 0, O_FORMAT},
		{"fail-on", required_argument, 0, O_FAIL},
		{"color", required_argument, 0, O_COLOR},
		{"colour", required_argument, 0, O_COLOR},
		{"per-line", no_argument, 0, O_PERLINE},
		{"name", required_argument, 0, O_NAME},
		{"lexicon", required_argument, 0, O_LEXICON},
		{"protocol", required_argument, 0, O_PROTOCOL},
		{"known", required_argument, 0, O_KNOWN},
		{"list", no_argument, 0, O_LIST},
		{"test", no_argument, 0, O_TEST},
		{"explain", required_argument, 0, O_EXPLAIN},
		{"input", required_argument, 0, O_INPUT},
		{"column", required_argument, 0, O_COLUMN},
		{"name-column", required_argument, 0, O_NAMECOL},
		{"id-column", required_argument, 0, O_IDCOL},
		{"no-header", no_argument, 0, O_NOHEADER},
		{"delimiter", required_argument, 0, O_DELIM},
		{"jobs", required_argument, 0, O_JOBS},
		{"summary", no_argument, 0, O_SUMMARY},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, O_VERSION},
		{0, 0, 0, 0}};
	int c;
	long v;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		if ((c == O_DAY || c == O_HOURS || c == O_SINCE) && o->when_kind)
			return usage_error("give only one of --day, --hours and --since");
		switch (c) {
		case O_DAY:
			if (parse_int(optarg, 0, 100000, &v))
				return usage_error("--day wants a whole number of days "
						   "from 0, not '%s'", optarg);
			o->when_kind = 'd';
			o->day = (int)v;
			break;
		case O_HOURS: {
			char *end;
			errno = 0;
			o->hours = strtod(optarg, &end);
			if (*optarg == '\0' || *end || errno || !isfinite(o->hours) ||
			    o->hours < 0 || o->hours > 2400000)
				return usage_error("--hours wants a number of hours from "
						   "0, not '%s'", optarg);
			o->when_kind = 'h';
			break;
		}
		case O_SINCE:
			o->since = optarg;
			o->when_kind = 's';
			break;
		case O_NOW:
			o->now = optarg;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o->format = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o->format = FMT_JSON;
			else if (strcmp(optarg, "ndjson") == 0)
				o->format = FMT_NDJSON;
			else if (strcmp(optarg, "csv") == 0)
				o->format = FMT_CSV;
			else
				return usage_error("unknown format '%s' (text, json, "
						   "ndjson, csv)", optarg);
			break;
		case O_FAIL:
			o->fail_on = ndl_verdict_parse(optarg);
			if (o->fail_on <= 0)
				return usage_error("--fail-on wants caution, unknown or "
						   "avoid, not '%s'", optarg);
			break;
		case O_COLOR:
			if (strcmp(optarg, "auto") == 0)
				o->color = -1;
			else if (strcmp(optarg, "always") == 0)
				o->color = 1;
			else if (strcmp(optarg, "never") == 0)
				o->color = 0;
			else
				return usage_error("--color wants auto, always or never, "
						   "not '%s'", optarg);
			break;
		case O_PERLINE:
			o->per_line = 1;
			break;
		case O_NAME:
			o->name = optarg;
			break;
		case O_LEXICON:
			o->cfg.lexicon_dir = optarg;
			break;
		case O_PROTOCOL:
			o->cfg.protocol_file = optarg;
			break;
		case O_KNOWN: {
			const char **k = realloc(o->known, (o->nknown + 1) * sizeof(*k));
			if (k == NULL)
				return usage_error("out of memory");
			o->known = k;
			o->known[o->nknown++] = optarg;
			break;
		}
		case O_LIST:
			o->list = 1;
			break;
		case O_TEST:
			o->test = 1;
			break;
		case O_EXPLAIN:
			o->explain = optarg;
			break;
		case O_INPUT:
			if (strcmp(optarg, "text") == 0)
				o->input = INPUT_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				o->input = INPUT_CSV;
			else
				return usage_error("--input wants text or csv, not '%s'",
						   optarg);
			break;
		case O_COLUMN:
			o->csv.column = optarg;
			break;
		case O_NAMECOL:
			o->csv.name_column = optarg;
			break;
		case O_IDCOL:
			o->csv.id_column = optarg;
			break;
		case O_NOHEADER:
			o->csv.no_header = 1;
			break;
		case O_DELIM:
			if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
				o->csv.delimiter = '\t';
			else if (strlen(optarg) == 1 && strchr(",;|\t", optarg[0]))
				o->csv.delimiter = optarg[0];
			else
				return usage_error("--delimiter wants ',', ';', '|' or "
						   "tab, not '%s'", optarg);
			break;
		case O_JOBS:
			if (parse_int(optarg, 1, 256, &v))
				return usage_error("--jobs wants a number from 1 to 256, "
						   "not '%s'", optarg);
			o->csv.jobs = (unsigned)v;
			o->jobs_set = 1;
			break;
		case O_SUMMARY:
			o->summary = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(fflush(stdout) || ferror(stdout) ? 2 : 0);
		case O_VERSION:
			printf("needlecheck %s\n", NDL_VERSION);
			exit(fflush(stdout) || ferror(stdout) ? 2 : 0);
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	o->cfg.known_files = o->known;
	o->cfg.nknown_files = o->nknown;
	if (!o->jobs_set) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o->csv.jobs = cpus > 1 ? (unsigned)(cpus > 64 ? 64 : cpus) : 1;
	}
	if (o->now && o->when_kind != 's')
		return usage_error("--now goes with --since");
	int lexicon_only = o->list || o->test || o->explain;
	if (lexicon_only != (strcmp(o->command, "lexicon") == 0))
		return usage_error("%s", lexicon_only
					   ? "--list, --test and --explain belong to "
					     "'needlecheck lexicon'"
					   : "'lexicon' wants --list, --explain NAME or "
					     "--test");
	return 0;
}

/* ----------------------------------------------------------- output */

static int write_failed;

static void write_out(const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, stdout) != n)
		write_failed = 1;
}

static int finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || write_failed) {
		fprintf(stderr, "%s: write error: %s\n", prog,
			errno ? strerror(errno) : "output failed");
		return 2;
	}
	return 0;
}

static void out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", prog);
	exit(2);
}

/* ------------------------------------------------------------ check */

typedef struct run {
	options *o;
	const ndl_lexicon *lex;
	ndl_checker *chk; /* for text input */
	ndl_when when;
	unsigned text_flags;
	ndl_buf out;
	ndl_stats stats;
	unsigned long records; /* written, for the JSON separators */
	int status;
	const char *source; /* of the CSV being read */
	double started;     /* for the progress line */
	int progress;       /* 1: may show it; 2: shown */
	int table_header;   /* written */
} run;

/* One record in the chosen format. For JSON each record comes with a
 * leading ",\n", which the writer drops before the first. */
static void write_record(const run *r, ndl_buf *out, ndl_stats *st,
			 const ndl_record *rec, const ndl_result *res, int csv_row)
{
	ndl_stats_add(st, res);
	if (r->o->quiet || r->o->summary)
		return;
	switch (r->o->format) {
	case FMT_JSON:
		ndl_buf_puts(out, ",\n");
		ndl_write_json(out, rec, res);
		break;
	case FMT_NDJSON:
		ndl_write_json(out, rec, res);
		ndl_buf_puts(out, "\n");
		break;
	case FMT_CSV:
		ndl_write_csv(out, rec, res);
		break;
	default:
		if (csv_row) {
			ndl_write_table_row(out, rec, res, r->text_flags);
		} else {
			ndl_buf_puts(out, "\n");
			ndl_write_text(out, rec, res, r->text_flags);
		}
	}
}

/* Writes a block of records: the first record of the run loses its
 * separator (",\n" for JSON, the blank line for text). */
static void emit_records(run *r, const ndl_buf *out, unsigned long n)
{
	size_t skip = 0;
	if (r->o->format == FMT_TEXT && !r->table_header && out->len > 0 &&
	    out->data[0] != '\n') {
		/* catalogue rows: their header comes before the first */
		ndl_buf head = {0};
		ndl_write_table_header(&head, r->text_flags);
		write_out(head.data, head.len);
		ndl_buf_free(&head);
		r->table_header = 1;
	}
	if (r->records == 0 && out->len > 0) {
		if (r->o->format == FMT_JSON) {
			write_out("[\n", 2);
			skip = 2;
		} else if (r->o->format == FMT_TEXT && out->data[0] == '\n') {
			skip = 1;
		}
	}
	write_out(out->data + skip, out->len - skip);
	r->records += n;
}

static void check_text(run *r, const char *source, const char *data, size_t len)
{
	size_t pos = 0;
	ndl_product p = {0};
	unsigned long row = 0;
	int empty = 1;
	for (;;) {
		int more = ndl_text_next(data, len, r->o->per_line, &pos, &p);
		if (!more && !(empty && r->o->per_line))
			break;
		if (!more) /* an empty file is one product that cannot be read */
			p = (ndl_product){.text = "", .line = 1, .column = 1};
		empty = 0;
		if (r->o->name) {
			p.name = r->o->name;
			p.name_len = strlen(r->o->name);
		}
		const ndl_result *res = ndl_check(r->chk, &p, r->when);
		if (res == NULL)
			out_of_memory();
		ndl_record rec = {.source = source, .row = ++row, .line = p.line,
				  .name = p.name, .name_len = p.name_len};
		r->out.len = 0;
		write_record(r, &r->out, &r->stats, &rec, res, 0);
		emit_records(r, &r->out, 1);
		if (!more)
			break;
	}
}

/* CSV: the handler the reader calls. */
static void csv_row(void *ctx, ndl_checker *chk, const ndl_csv_row *row,
		    ndl_buf *out, void *block_data)
{
	run *r = ctx;
	const ndl_result *res = ndl_check(chk, &row->product, r->when);
	if (res == NULL) {
		out->failed = 1;
		return;
	}
	ndl_record rec = {.source = r->source, .row = row->row, .line = row->line,
			  .name = row->product.name, .name_len = row->product.name_len,
			  .id = row->id, .id_len = row->id_len, .error = row->error};
	write_record(r, out, block_data, &rec, res, 1);
}

static int csv_emit(void *ctx, const ndl_buf *out, const ndl_buf *warnings,
		    void *block_data)
{
	run *r = ctx;
	ndl_stats *st = block_data;
	if (warnings->len) {
		if (r->progress == 2)
			fputs("\r\033[K", stderr);
		fwrite(warnings->data, 1, warnings->len, stderr);
	}
	emit_records(r, out, st->products);
	ndl_stats_merge(&r->stats, st);
	return write_failed;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* On a terminal, inputs that take more than a second show where they are. */
static void csv_progress(void *ctx, unsigned long rows, uint64_t bytes, uint64_t total)
{
	run *r = ctx;
	if (!r->progress)
		return;
	double t = now_seconds() - r->started;
	if (t < 1.0)
		return;
	fprintf(stderr, "\r%s: %lu rows, %.0f rows/s", r->source, rows, rows / t);
	if (total)
		fprintf(stderr, ", %.0f%%", 100.0 * (double)bytes / (double)total);
	r->progress = 2;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

static void check_csv(run *r, int fd, const char *source, int tsv)
{
	ndl_csv_options opt = r->o->csv;
	if (tsv && opt.delimiter == 0)
		opt.delimiter = '\t';
	ndl_csv_handler h = {.ctx = r, .block_data_size = sizeof(ndl_stats),
			     .row = csv_row, .emit = csv_emit,
			     .progress = csv_progress};
	ndl_error err = {0};
	char msg[1024];
	r->source = source;
	r->started = now_seconds();
	r->progress = isatty(2) && !r->o->quiet;
	unsigned long before = r->stats.products;
	int rc = ndl_csv_run(r->lex, fd, source, &opt, &h, &err);
	if (r->progress == 2)
		fputs("\r\033[K", stderr);
	if (rc != 0 && !write_failed) {
		fprintf(stderr, "%s: %s\n", prog, ndl_error_format(&err, msg, sizeof(msg)));
		r->status = 2;
	} else if (rc == 0 && r->stats.products == before) {
		fprintf(stderr, "%s: %s: warning: no data rows\n", prog, source);
	}
}

static void check_file(run *r, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *source = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? 0 : open(path, O_RDONLY);
	ndl_error err = {0};
	char msg[1024];
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		r->status = 2;
		return;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: is a directory\n", prog, path);
		r->status = 2;
		close(fd);
		return;
	}
	int tsv = !is_stdin && has_suffix(path, ".tsv");
	int csv = r->o->input == INPUT_CSV ||
		  (r->o->input == INPUT_AUTO && !is_stdin &&
		   (tsv || has_suffix(path, ".csv")));
	if (csv) {
		check_csv(r, fd, source, tsv);
	} else {
		char *data;
		size_t len;
		if (ndl_read_fd(fd, source, MAX_TEXT_INPUT, &data, &len, &err) != 0) {
			fprintf(stderr, "%s: %s\n", prog,
				ndl_error_format(&err, msg, sizeof(msg)));
			r->status = 2;
		} else {
			check_text(r, source, data, len);
			free(data);
		}
	}
	if (!is_stdin)
		close(fd);
}

static int resolve_when(options *o, ndl_when *when)
{
	switch (o->when_kind) {
	case 'd':
		*when = ndl_when_day(o->day);
		return 0;
	case 'h':
		*when = ndl_when_hours(o->hours);
		return 0;
	case 's': {
		int64_t since, now;
		if (ndl_parse_datetime(o->since, &since))
			return usage_error("--since wants YYYY-MM-DD or "
					   "YYYY-MM-DDTHH:MM, not '%s'", o->since);
		if (o->now == NULL)
			now = now_minutes();
		else if (ndl_parse_datetime(o->now, &now))
			return usage_error("--now wants YYYY-MM-DD or "
					   "YYYY-MM-DDTHH:MM, not '%s'", o->now);
		if (now < since)
			return usage_error("--since %s is after the moment judged at",
					   o->since);
		*when = ndl_when_hours((double)(now - since) / 60.0);
		return 0;
	}
	default:
		*when = ndl_when_day(0);
		return 0;
	}
}

static ndl_lexicon *open_lexicon(options *o)
{
	ndl_error err = {0};
	char msg[1024];
	ndl_lexicon *lex = ndl_lexicon_open(&o->cfg, &err);
	if (lex == NULL)
		fprintf(stderr, "%s: %s\n", prog, ndl_error_format(&err, msg, sizeof(msg)));
	return lex;
}

static int cmd_lexicon(options *o)
{
	ndl_lexicon *lex = open_lexicon(o);
	if (lex == NULL)
		return 2;
	ndl_checker *chk = ndl_checker_new(lex);
	ndl_buf out = {0};
	int status = 0;
	if (chk == NULL) {
		ndl_lexicon_free(lex);
		out_of_memory();
	}
	if (o->list)
		ndl_lexicon_list(lex, &out);
	if (o->explain)
		ndl_explain(chk, o->explain, strlen(o->explain), &out);
	if (o->test) {
		size_t n = 0;
		ndl_buf fails = {0};
		size_t bad = ndl_lexicon_test(chk, &fails, &n);
		fwrite(fails.data ? fails.data : "", 1, fails.len, stderr);
		ndl_buf_printf(&out, "lexicon test: %zu checks, %zu failed\n", n, bad);
		ndl_buf_free(&fails);
		status = bad ? 1 : 0;
	}
	write_out(out.data, out.len);
	ndl_buf_free(&out);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	int w = finish_output();
	return w ? w : status;
}

static int cmd_check(options *o, int nfiles, char **files)
{
	run r = {.o = o};
	if (resolve_when(o, &r.when))
		return 2;
	ndl_lexicon *lex = open_lexicon(o);
	if (lex == NULL)
		return 2;
	r.lex = lex;
	r.chk = ndl_checker_new(lex);
	if (r.chk == NULL) {
		ndl_lexicon_free(lex);
		out_of_memory();
	}
	const char *nc = getenv("NO_COLOR");
	int colour = o->color >= 0 ? o->color
				   : isatty(1) && !(nc && *nc);
	r.text_flags = (colour ? NDL_TEXT_COLOR : 0) |
		       (o->when_kind ? 0 : NDL_TEXT_DAY_ASSUMED) |
		       (nfiles > 1 || o->per_line ? NDL_TEXT_HEADER : 0);
	int any_csv = o->input == INPUT_CSV;
	for (int i = 0; i < nfiles && o->input == INPUT_AUTO; i++)
		any_csv |= has_suffix(files[i], ".csv") || has_suffix(files[i], ".tsv");
	if (!o->quiet && !o->summary && o->format == FMT_CSV) {
		ndl_write_csv_header(&r.out);
		write_out(r.out.data, r.out.len);
		r.out.len = 0;
	}
	if (nfiles == 0)
		check_file(&r, "-");
	for (int i = 0; i < nfiles; i++)
		check_file(&r, files[i]);
	if (!o->quiet) {
		r.out.len = 0;
		if (o->format == FMT_JSON && !o->summary)
			ndl_buf_puts(&r.out, r.records ? "\n]\n" : "[]\n");
		if ((o->summary || (o->format == FMT_TEXT && any_csv)) &&
		    (r.stats.products > 0 || r.status == 0))
			ndl_write_summary(&r.out, lex, &r.stats, r.text_flags);
		write_out(r.out.data, r.out.len);
	}
	ndl_buf_free(&r.out);
	ndl_checker_free(r.chk);
	ndl_lexicon_free(lex);
	int w = finish_output();
	if (w)
		return w;
	if (r.status)
		return r.status;
	for (int v = o->fail_on; v <= NDL_VERDICT_AVOID; v++)
		if (r.stats.verdicts[v])
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	options o = {.command = "check", .fail_on = NDL_VERDICT_AVOID,
		     .color = -1, .format = FMT_TEXT};
	if (argc > 1 && (strcmp(argv[1], "check") == 0 ||
			 strcmp(argv[1], "lexicon") == 0)) {
		o.command = argv[1];
		argv[1] = argv[0];
		argv++;
		argc--;
	} else if (argc > 1 && (strcmp(argv[1], "lint") == 0 ||
				strcmp(argv[1], "plan") == 0)) {
		fprintf(stderr, "%s: '%s' is not available in this build\n", prog,
			argv[1]);
		return 2;
	}
	int rc = parse_options(argc, argv, &o);
	if (rc == 0) {
		if (strcmp(o.command, "lexicon") == 0) {
			if (optind < argc)
				rc = usage_error("'lexicon' takes no file ('%s')", argv[optind]);
			else
				rc = cmd_lexicon(&o);
		} else {
			rc = cmd_check(&o, argc - optind, argv + optind);
		}
	}
	free(o.known);
	return rc;
}
