/* The command line's shared parts: options, output, and the helpers the
 * commands use (cli.c). Each command lives in its own cmd_*.c. */
#ifndef NDL_CLI_H
#define NDL_CLI_H

#include <stdint.h>

#include "needlecheck.h"
#include "needlecheck_input.h"

#define MAX_TEXT_INPUT ((size_t)512 << 20)

enum { FMT_TEXT, FMT_JSON, FMT_NDJSON, FMT_CSV, FMT_MARKDOWN, FMT_HTML,
       FMT_GCC, FMT_SARIF, FMT_GITHUB };
/* The name of format FMT_*, as --format and the writers name it. */
const char *format_name(int format);
enum { INPUT_AUTO, INPUT_TEXT, INPUT_CSV, INPUT_IMAGE };

/* The commands, in the order of command_names. */
enum { CMD_CHECK, CMD_PLAN, CMD_LINT, CMD_LEXICON, CMD_SERVE, NCOMMANDS };
extern const char *const command_names[NCOMMANDS];

typedef struct options {
	int cmd;             /* CMD_* */
	int when_kind; /* 0 none, 'd' day, 'h' hours, 's' since */
	int day;
	double hours;
	const char *since, *now;
	int64_t now_local; /* with --since: now on the local clock, as
			      ndl_parse_datetime counts it */
	int format, format_set;
	int fail_on, fail_on_set;
	int color; /* -1 auto */
	int per_line, quiet, summary;
	int input;
	ndl_csv_options csv;
	unsigned jobs;       /* --jobs: the pool's workers */
	int jobs_set;
	const char *name;
	ndl_config cfg;
	const char **known;
	size_t nknown;
	int list, test;
	const char *explain;
	ndl_lint_options lint; /* --claim-column, --suggest, --fix */
	const char *listen;    /* serve --listen ADDR:PORT */
	double timeout;        /* serve --timeout SECONDS, 0: not given */
} options;

extern const char *prog;
extern int write_failed;

/* Messages on standard error: "needlecheck: message", each line made
 * safe (control and bidi characters as '?'; with lint --format github,
 * github_stderr is set and each line is an escaped workflow command). */
extern int github_stderr;
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say_error(const ndl_error *err);
/* Lines written elsewhere (the CSV reader's warnings), each made safe. */
void say_lines(const char *s, size_t n, int warning);
/* Says "needlecheck: message" and the --help hint; returns 2. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern const char usage_text[];
/* The command the arguments name (options may come first: "needlecheck
 * --day 3 plan x.txt"), its word taken out of argv; CMD_CHECK when the
 * first word that is no option names none (it is a file). */
int take_command(int *argc, char **argv);
/* The options of argv (options.c's table) for command o->cmd; 0, or a
 * usage error (2). */
int parse_options(int argc, char **argv, options *o);
int has_suffix(const char *s, const char *suffix);
/* A whole number in [lo, hi], all of s; 0, or -1. */
int parse_int(const char *s, long lo, long hi, long *out);
/* Is path ("-": standard input) read as CSV? With --input csv, or a .csv
 * or .tsv file; everything else is text. */
int input_is_csv(const options *o, const char *path);
/* The moment of since (a local date and time, as ndl_parse_datetime
 * reads it) at now (likewise; NULL: the clock's); *now_local receives
 * now on the local clock. Returns 0; 1 when since, 2 when now is
 * malformed; 3 when since is after now. */
int when_since(const char *since, const char *now, ndl_when *when,
	       int64_t *now_local);
/* Is an input (not CSV) a photo? With --input image, or by its content
 * (PNG, JPEG, TIFF, WebP) unless --input text. */
int input_is_photo(const options *o, const char *data, size_t len);
/* Reads a photo for a command (the OCR engine is made on first use, for
 * the run, with the label words of the lexicon o names); 0, or -1 after
 * saying why (source names it). */
int read_photo_input(const options *o, const char *source, const char *data,
		     size_t len, ndl_photo_page *pr);
/* Frees the engine read_photo_input made, if any: when the command is
 * done, not at exit (Tesseract's own caches, made on the engine's first
 * load, are gone by the time exit's handlers run). */
void free_photo_engine(void);
/* Before a photo engine is made: memory freed stays for the next image. */
void keep_photo_memory(void);
/* The box on the photo of each finding of res (w 0: none), for its
 * record; NULL when out of memory. The caller frees it. */
ndl_box *photo_boxes(const ndl_photo_page *pr, const ndl_result *res);
/* What a person checks after a photo: the list as read, its confidence
 * and what was skipped, indented, for the text output. */
void write_photo_text(ndl_buf *out, const ndl_photo_page *pr);
/* --format html: a photo's view (ndl_write_html_photo) appended to out,
 * for a page of check or plan: the photo, made small when it is large
 * (the page stays a file to send), its record's waiting ingredients
 * outlined (rec->photo holds their boxes), the verdict on rec->when's
 * day beside, and what was read. */
void write_photo_view(ndl_buf *out, const ndl_record *rec, const ndl_result *res,
		      const ndl_photo_page *pr, const char *data, size_t len);
/* The next line of the list as read, from byte *at of the photo's text
 * on: its bytes [*a, *b) of pr->product.text (of pr->text likewise),
 * without the spaces and separators around them; 1, or 0 at the end. */
int photo_list_line(const ndl_photo_page *pr, size_t *at, size_t *a, size_t *b);
/* Warns when a CSV header is one column that holds another delimiter:
 * a wrong --delimiter would read each row as one list. */
void warn_one_column(const char *source, const ndl_csv_header *h);
/* Standard input, read whole as text (no --input), that is a CSV table
 * (ndl_csv_sniff): a file descriptor of a temporary copy, to read as
 * CSV. -1 to read it as text, with a warning when it may be a table. */
int stdin_csv_fd(const options *o, const ndl_lexicon *lex, const char *data,
		 size_t len);
/* Resolves --day/--hours/--since; returns 0 or a usage error (2). */
int resolve_when(options *o, ndl_when *when);
/* The local date and time (as ndl_parse_datetime counts it) hours after
 * the local date and time minutes, on the clock of TZ. */
int64_t local_minutes_after(int64_t minutes, long hours);
/* Colour for standard output: --color, else a terminal without NO_COLOR. */
int want_colour(const options *o);
/* The columns of the terminal: COLUMNS, else standard output's when it
 * is one; 0 when neither says. */
unsigned terminal_width(void);
/* The lexicon of the options, or NULL after printing why. */
ndl_lexicon *open_lexicon(options *o);
/* The guidance of the options (lexicon/guidance.tsv), or NULL after
 * printing why. */
ndl_guidance *open_guidance(options *o);
void write_out(const char *s, size_t n);
/* Flushes standard output; 2 after a write error (and a message). */
int finish_output(void);
_Noreturn void out_of_memory(void);

/* The products of a text input in turn, as the options ask: the whole
 * text, or each non-blank line with --per-line (an empty file is then
 * one product that cannot be read), named by --name. Zero-initialise. */
typedef struct text_products {
	size_t pos;
	int started, done;
} text_products;

int next_text_product(const options *o, const char *data, size_t len,
		      text_products *tp, ndl_product *p);

/* A text input as UTF-8 (ndl_decode): UTF-16 with a byte-order mark is
 * converted; invalid UTF-8 is read as Windows-1252 when that explains it,
 * and said on standard error ("FILE:LINE: warning: invalid UTF-8 at byte
 * offset N: read as Windows-1252"). *data (malloc'd) may be replaced. */
void decode_text_input(const char *source, char **data, size_t *len);

/* The commands (cmd_*.c); they return the exit status. */
int cmd_check(options *o, int nfiles, char **files);
int cmd_lexicon(options *o, int nfiles, char **files);
int cmd_plan(options *o, int nfiles, char **files);
int cmd_lint(options *o, int nfiles, char **files);
int cmd_serve(options *o, int nfiles, char **files);

#endif
