/* The command line's options: one table says which commands take each
 * option and what its value sets. Options may come before the command's
 * name, as git's do ("needlecheck --day 3 plan x.txt" is a plan); an
 * option the command does not take is an error that names both. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

const char *const command_names[NCOMMANDS] = {"check", "plan", "lint", "lexicon",
					      "serve"};

enum {
	CHECK = 1 << CMD_CHECK,
	PLAN = 1 << CMD_PLAN,
	LINT = 1 << CMD_LINT,
	LEXICON = 1 << CMD_LEXICON,
	SERVE = 1 << CMD_SERVE,
	EVERY = CHECK | PLAN | LINT | LEXICON | SERVE
};

/* in the order of the FMT_ constants */
static const char *const formats[] = {"text", "json", "ndjson", "csv", "markdown",
				      "html", "gcc", "sarif", "github"};

const char *format_name(int format)
{
	return formats[format];
}

int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* ----------------------------------------------------------- handlers */

/* v as a whole number from lo to hi into *n, or the usage error saying
 * what the option wants. */
static int whole_number(const char *v, long lo, long hi, long *n, const char *wants)
{
	return parse_int(v, lo, hi, n) ? usage_error("%s, not '%s'", wants, v) : 0;
}

/* Each sets what its option says; 0, or a usage error (2). */
typedef int handler(options *o, const char *v);

/* The moment: one of --day, --hours and --since. */
static int moment(options *o, int kind)
{
	if (o->when_kind)
		return usage_error("give only one of --day, --hours and --since");
	o->when_kind = kind;
	return 0;
}

static int set_day(options *o, const char *v)
{
	long d = 0; /* set unless an error returns first */
	if (whole_number(v, 0, 100000, &d, "--day wants a whole number of days from 0"))
		return 2;
	o->day = (int)d;
	return moment(o, 'd');
}

static int set_hours(options *o, const char *v)
{
	char *end;
	errno = 0;
	o->hours = strtod(v, &end);
	if (*v == '\0' || *end || errno || !isfinite(o->hours) || o->hours < 0 ||
	    o->hours > 2400000)
		return usage_error("--hours wants a number of hours from 0, not '%s'",
				   v);
	return moment(o, 'h');
}

static int set_since(options *o, const char *v)
{
	o->since = v;
	return moment(o, 's');
}

static int set_format(options *o, const char *v)
{
	o->format = -1;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(v, formats[i]) == 0)
			o->format = (int)i;
	if (o->format < 0)
		return usage_error("unknown format '%s' (text, json, ndjson, csv, "
				   "markdown, html; for lint: gcc, json, sarif, "
				   "github)",
				   v);
	o->format_set = 1;
	return 0;
}

static int set_fail_on(options *o, const char *v)
{
	o->fail_on_set = 1;
	o->fail_on = ndl_verdict_parse(v);
	if (o->fail_on <= 0)
		return usage_error("--fail-on wants caution, unknown or avoid, not "
				   "'%s'",
				   v);
	return 0;
}

static int set_color(options *o, const char *v)
{
	static const char *const words[] = {"never", "always", "auto"};
	for (int i = 0; i < 3; i++)
		if (strcmp(v, words[i]) == 0) {
			o->color = i < 2 ? i : -1;
			return 0;
		}
	return usage_error("--color wants auto, always or never, not '%s'", v);
}

static int add_known(options *o, const char *v)
{
	const char **k = realloc(o->known, (o->nknown + 1) * sizeof(*k));
	if (k == NULL)
		return usage_error("out of memory");
	o->known = k;
	o->known[o->nknown++] = v;
	return 0;
}

static int set_input(options *o, const char *v)
{
	if (strcmp(v, "text") == 0)
		o->input = INPUT_TEXT;
	else if (strcmp(v, "csv") == 0)
		o->input = INPUT_CSV;
	else if (strcmp(v, "image") == 0)
		o->input = INPUT_IMAGE;
	else
		return usage_error("--input wants text, csv or image, not '%s'", v);
	return 0;
}

static int set_delimiter(options *o, const char *v)
{
	if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0)
		o->csv.delimiter = '\t';
	else if (strlen(v) == 1 && strchr(",;|\t", v[0]))
		o->csv.delimiter = v[0];
	else
		return usage_error("--delimiter wants ',', ';', '|' or tab, not '%s'",
				   v);
	return 0;
}

static int set_jobs(options *o, const char *v)
{
	long n = 0; /* set unless an error returns first */
	if (whole_number(v, 1, 256, &n, "--jobs wants a number from 1 to 256"))
		return 2;
	o->jobs = (unsigned)n;
	o->jobs_set = 1;
	return 0;
}

static int set_timeout(options *o, const char *v)
{
	long n = 0; /* set unless an error returns first */
	if (whole_number(v, 1, 3600, &n, "--timeout wants a number of seconds from 1 to 3600"))
		return 2;
	o->timeout = (double)n;
	return 0;
}

static int show_help(options *o, const char *v)
{
	(void)o, (void)v;
	fputs(usage_text, stdout);
	exit(fflush(stdout) || ferror(stdout) ? 2 : 0);
}

static int show_version(options *o, const char *v)
{
	(void)o, (void)v;
	printf("needlecheck %s\n", NDL_VERSION);
	exit(fflush(stdout) || ferror(stdout) ? 2 : 0);
}

/* Options that keep their value as it is, or are a switch. */
#define TEXT(fn, field)                                 \
	static int fn(options *o, const char *v)        \
	{                                               \
		o->field = v;                           \
		return 0;                               \
	}
#define SWITCH(fn, field)                               \
	static int fn(options *o, const char *v)        \
	{                                               \
		(void)v;                                \
		o->field = 1;                           \
		return 0;                               \
	}
TEXT(set_now, now)
TEXT(set_name, name)
TEXT(set_lexicon, cfg.lexicon_dir)
TEXT(set_protocol, cfg.protocol_file)
TEXT(set_explain, explain)
TEXT(set_column, csv.column)
TEXT(set_name_column, csv.name_column)
TEXT(set_id_column, csv.id_column)
TEXT(set_claim_column, lint.claim_column)
TEXT(set_listen, listen)
SWITCH(set_per_line, per_line)
SWITCH(set_list, list)
SWITCH(set_test, test)
SWITCH(set_no_header, csv.no_header)
SWITCH(set_summary, summary)
SWITCH(set_fix, lint.fix)
SWITCH(set_suggest, lint.suggest)
SWITCH(set_quiet, quiet)

/* -------------------------------------------------------------- table */

typedef struct option_def {
	const char *name;
	char letter;       /* its short form, or 0 */
	int arg;           /* required_argument or no_argument */
	unsigned commands; /* bits: the commands that take it */
	handler *set;
} option_def;

static const option_def table[] = {
	{"day", 0, required_argument, CHECK | PLAN, set_day},
	{"hours", 0, required_argument, CHECK | PLAN, set_hours},
	{"since", 0, required_argument, CHECK | PLAN | SERVE, set_since},
	{"now", 0, required_argument, CHECK | PLAN, set_now},
	{"format", 0, required_argument, CHECK | PLAN | LINT, set_format},
	{"fail-on", 0, required_argument, CHECK | PLAN, set_fail_on},
	{"color", 0, required_argument, CHECK | PLAN | LINT, set_color},
	{"colour", 0, required_argument, CHECK | PLAN | LINT, set_color},
	{"per-line", 0, no_argument, CHECK | PLAN, set_per_line},
	{"name", 0, required_argument, CHECK | PLAN, set_name},
	{"input", 0, required_argument, CHECK | PLAN | LINT, set_input},
	{"column", 0, required_argument, CHECK | PLAN | LINT, set_column},
	{"name-column", 0, required_argument, CHECK | PLAN | LINT, set_name_column},
	{"id-column", 0, required_argument, CHECK | PLAN | LINT, set_id_column},
	{"no-header", 0, no_argument, CHECK | PLAN | LINT, set_no_header},
	{"delimiter", 0, required_argument, CHECK | PLAN | LINT, set_delimiter},
	{"jobs", 0, required_argument, CHECK | PLAN | LINT, set_jobs},
	{"summary", 0, no_argument, CHECK | LINT, set_summary},
	{"quiet", 'q', no_argument, CHECK | PLAN | LINT | SERVE, set_quiet},
	{"claim-column", 0, required_argument, LINT, set_claim_column},
	{"fix", 0, no_argument, LINT, set_fix},
	{"suggest", 0, no_argument, LINT, set_suggest},
	{"list", 0, no_argument, LEXICON, set_list},
	{"test", 0, no_argument, LEXICON, set_test},
	{"explain", 0, required_argument, LEXICON, set_explain},
	{"listen", 0, required_argument, SERVE, set_listen},
	{"timeout", 0, required_argument, SERVE, set_timeout},
	{"lexicon", 0, required_argument, EVERY, set_lexicon},
	{"protocol", 0, required_argument, EVERY, set_protocol},
	{"known", 0, required_argument, EVERY, add_known},
	{"help", 'h', no_argument, EVERY, show_help},
	{"version", 0, no_argument, EVERY, show_version},
};
#define NOPTIONS (sizeof(table) / sizeof(table[0]))

/* getopt_long's code for option i: its index (from 256), the first one's
 * for spellings of one option ("color", "colour"). */
static int code_of(size_t i)
{
	size_t k = 0;
	while (table[k].set != table[i].set)
		k++;
	return 256 + (int)k;
}

/* The option a long word names ("format", or a prefix of one option's
 * names only, as getopt_long reads it), or NULL. */
static const option_def *long_option(const char *word)
{
	size_t n = strcspn(word, "=");
	const option_def *found = NULL;
	for (size_t i = 0; i < NOPTIONS; i++) {
		if (strncmp(table[i].name, word, n) != 0)
			continue;
		if (table[i].name[n] == '\0')
			return &table[i];
		if (found && found->set != table[i].set)
			return NULL; /* ambiguous */
		found = &table[i];
	}
	return found;
}

int take_command(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] == '-' && a[1] != '\0') {
			const option_def *d = a[1] == '-' ? long_option(a + 2) : NULL;
			if (d && d->arg == required_argument && !strchr(a, '='))
				i++; /* its value */
			continue;
		}
		for (int c = 0; c < NCOMMANDS; c++)
			if (strcmp(a, command_names[c]) == 0) {
				memmove(argv + i, argv + i + 1,
					(size_t)(*argc - i) * sizeof(*argv));
				(*argc)--;
				return c;
			}
		break; /* a file */
	}
	return CMD_CHECK;
}

/* "--fix is not an option of 'needlecheck check' (lint takes it)". */
static int not_taken(const option_def *d, int cmd)
{
	char takers[64] = "";
	int n = 0, left = 0;
	for (int c = 0; c < NCOMMANDS; c++)
		left += d->commands >> c & 1;
	for (int c = 0; c < NCOMMANDS; c++) {
		if (!(d->commands >> c & 1))
			continue;
		n++;
		size_t at = strlen(takers);
		snprintf(takers + at, sizeof(takers) - at, "%s%s",
			 n == 1 ? "" : n == left ? " and " : ", ", command_names[c]);
	}
	return usage_error("--%s is not an option of '%s %s' (%s %s it)", d->name,
			   prog, command_names[cmd], takers, left == 1 ? "takes" : "take");
}

/* What no one option can tell: defaults, and values a command does not
 * take. */
static int check_options(options *o)
{
	o->cfg.known_files = o->known;
	o->cfg.nknown_files = o->nknown;
	/* valgrind cannot follow PCRE2's JIT code: make valgrind sets this */
	o->cfg.no_jit = getenv("NEEDLECHECK_NO_JIT") != NULL;
	if (!o->jobs_set) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o->jobs = cpus > 1 ? (unsigned)(cpus > 64 ? 64 : cpus) : 1;
	}
	o->cfg.photo_threads = o->jobs; /* the library takes at most two */
	if (o->now && o->when_kind != 's')
		return usage_error("--now goes with --since");
	if (o->cmd == CMD_LINT) {
		if (!o->format_set)
			o->format = FMT_GCC;
		if (o->format != FMT_GCC && o->format != FMT_JSON &&
		    o->format != FMT_SARIF && o->format != FMT_GITHUB)
			return usage_error("lint writes gcc, json, sarif or github, not %s",
					   formats[o->format]);
		github_stderr = o->format == FMT_GITHUB;
		if (o->input == INPUT_TEXT || o->input == INPUT_IMAGE)
			return usage_error("lint reads CSV catalogues: --input %s does "
					   "not apply", o->input == INPUT_TEXT ? "text" : "image");
	} else if (o->format >= FMT_GCC) {
		return usage_error("--format %s belongs to 'needlecheck lint'",
				   formats[o->format]);
	}
	if (o->cmd == CMD_PLAN && (o->format == FMT_NDJSON || o->format == FMT_CSV))
		return usage_error("plan writes text, markdown, json or html");
	if (o->cmd != CMD_PLAN && o->format == FMT_MARKDOWN)
		return usage_error("markdown is a format of 'needlecheck plan'");
	if (o->cmd == CMD_LEXICON && !o->list && !o->test && !o->explain)
		return usage_error("'lexicon' wants --list, --explain NAME or --test");
	return 0;
}

int parse_options(int argc, char **argv, options *o)
{
	struct option longopts[NOPTIONS + 1];
	for (size_t i = 0; i < NOPTIONS; i++)
		longopts[i] = (struct option){table[i].name, table[i].arg, 0, code_of(i)};
	longopts[NOPTIONS] = (struct option){0, 0, 0, 0};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		if (c == ':')
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		size_t i = 0;
		while (i < NOPTIONS && (c >= 256 ? code_of(i) != c : table[i].letter != c))
			i++;
		if (i == NOPTIONS)
			return usage_error("unknown option '%s'", argv[optind - 1]);
		if (!(table[i].commands >> o->cmd & 1))
			return not_taken(&table[i], o->cmd);
		int rc = table[i].set(o, optarg);
		if (rc)
			return rc;
	}
	return check_options(o);
}
