/* The command line's shared parts: option parsing, output, helpers. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

static const char usage_text[] =
	"Usage: needlecheck [check] [OPTIONS] [FILE...]\n"
	"       needlecheck plan [OPTIONS] [FILE...]\n"
	"       needlecheck lint [OPTIONS] FILE...\n"
	"       needlecheck lexicon [--list | --explain NAME | --test]\n"
	"       needlecheck help [COMMAND] | version\n"
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
	"  --delimiter D      ',', ';', '|' or tab (default: from the first record)\n"
	"  --jobs N           threads for a large file (default: one per CPU)\n"
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

int parse_options(int argc, char **argv, options *o)
{
	enum { O_DAY = 256, O_HOURS, O_SINCE, O_NOW, O_FORMAT, O_FAIL, O_COLOR,
	       O_PERLINE, O_NAME, O_LEXICON, O_PROTOCOL, O_KNOWN, O_LIST,
	       O_TEST, O_EXPLAIN, O_VERSION, O_INPUT, O_COLUMN, O_NAMECOL,
	       O_IDCOL, O_NOHEADER, O_DELIM, O_JOBS, O_SUMMARY, O_CLAIMCOL,
	       O_FIX, O_SUGGEST };
	/* in the order of the FMT_ constants */
	static const char *const formats[] = {"text", "json", "ndjson", "csv",
					      "markdown", "html", "gcc", "sarif",
					      "github"};
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
		{"claim-column", required_argument, 0, O_CLAIMCOL},
		{"fix", no_argument, 0, O_FIX},
		{"suggest", no_argument, 0, O_SUGGEST},
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
			o->format = -1;
			for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
				if (strcmp(optarg, formats[i]) == 0)
					o->format = (int)i;
			if (o->format < 0)
				return usage_error("unknown format '%s' (text, json, "
						   "ndjson, csv, markdown, html; for "
						   "lint: gcc, json, sarif, github)", optarg);
			o->format_set = 1;
			break;
		case O_FAIL:
			o->fail_on_set = 1;
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
		case O_CLAIMCOL:
			o->lint.claim_column = optarg;
			break;
		case O_FIX:
			o->lint.fix = 1;
			break;
		case O_SUGGEST:
			o->lint.suggest = 1;
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
	/* valgrind cannot follow PCRE2's JIT code: make valgrind sets this */
	o->cfg.no_jit = getenv("NEEDLECHECK_NO_JIT") != NULL;
	if (!o->jobs_set) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o->csv.jobs = cpus > 1 ? (unsigned)(cpus > 64 ? 64 : cpus) : 1;
	}
	if (o->now && o->when_kind != 's')
		return usage_error("--now goes with --since");
	if (strcmp(o->command, "lint") == 0) {
		if (!o->format_set)
			o->format = FMT_GCC;
		if (o->format != FMT_GCC && o->format != FMT_JSON &&
		    o->format != FMT_SARIF && o->format != FMT_GITHUB)
			return usage_error("lint writes gcc, json, sarif or github, "
					   "not %s", formats[o->format]);
		github_stderr = o->format == FMT_GITHUB;
		if (o->when_kind || o->fail_on_set)
			return usage_error("lint compares each claim with the first "
					   "safe day and fails on any error: "
					   "--day, --hours, --since and --fail-on "
					   "do not apply");
		if (o->per_line || o->name || o->input == INPUT_TEXT)
			return usage_error("lint reads CSV catalogues: --per-line, "
					   "--name and --input text do not apply");
	} else if (o->format >= FMT_GCC) {
		return usage_error("--format %s belongs to 'needlecheck lint'",
				   formats[o->format]);
	} else if (o->lint.claim_column || o->lint.fix || o->lint.suggest) {
		return usage_error("--claim-column, --fix and --suggest belong to "
				   "'needlecheck lint'");
	}
	int plan = strcmp(o->command, "plan") == 0;
	if (plan && (o->format == FMT_NDJSON || o->format == FMT_CSV))
		return usage_error("plan writes text, markdown, json or html");
	if (!plan && o->format == FMT_MARKDOWN)
		return usage_error("markdown is a format of 'needlecheck plan'");
	if (plan && o->summary)
		return usage_error("--summary belongs to 'needlecheck check'");
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

int resolve_when(options *o, ndl_when *when)
{
	switch (o->when_kind) {
	case 'd':
		*when = ndl_when_day(o->day);
		return 0;
	case 'h':
		*when = ndl_when_hours(o->hours);
		return 0;
	case 's': {
		/* hours between two instants, not between two readings of the
		 * clock: across a change to or from summer time they differ */
		int64_t since;
		time_t now;
		if (ndl_parse_datetime(o->since, &since))
			return usage_error("--since wants YYYY-MM-DD or "
					   "YYYY-MM-DDTHH:MM, not '%s'", o->since);
		if (o->now == NULL) {
			now = time(NULL);
			o->now_local = local_minutes(time(NULL));
		} else if (ndl_parse_datetime(o->now, &o->now_local)) {
			return usage_error("--now wants YYYY-MM-DD or "
					   "YYYY-MM-DDTHH:MM, not '%s'", o->now);
		} else {
			now = local_instant(o->now_local);
		}
		double seconds = difftime(now, local_instant(since));
		if (seconds < 0)
			return usage_error("--since %s is after the moment judged at",
					   o->since);
		*when = ndl_when_hours(seconds / 3600.0);
		return 0;
	}
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
	if (lex == NULL)
		say_error(&err);
	return lex;
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

int stdin_csv_fd(const options *o, const char *data, size_t len)
{
	if (o->input != INPUT_AUTO)
		return -1;
	switch (ndl_csv_sniff(data, len)) {
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
