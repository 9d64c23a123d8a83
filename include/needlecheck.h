/*
 * needlecheck — is a cosmetic product safe on a given day after
 * micro-needling? The one public header of libneedlecheck.
 *
 * Pipeline: reader → tokenizer → matcher → judge (findings and their
 * windows) → result; the verdict at a moment → renderers.
 *
 *   ndl_lexicon   what is known: classes, names, patterns, the protocol.
 *                 Built once, read-only afterwards, shareable by threads.
 *   ndl_checker   per-thread working state: PCRE2 match data, a cache from
 *                 ingredient text to match result, scratch memory.
 *   ndl_check()   one product (an ingredient list) → ndl_result.
 *   ndl_record_writer_find() and its kin: a format's writer, one shape for
 *                 every format: begin, each item, end → bytes in an ndl_buf.
 *
 * The library never prints, never exits and reads only the files it is
 * given. Errors are returned as values (ndl_error). Ownership: every
 * ndl_*_new / ndl_*_open has an ndl_*_free; pointers inside an ndl_result
 * belong to the checker and stay valid until its next ndl_check() or free.
 */
#ifndef NEEDLECHECK_H
#define NEEDLECHECK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NDL_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

/* A located error: "file:line:col: error: message" (line/column 0 when the
 * error has no position). Filled by the functions that take an ndl_error *. */
typedef struct ndl_error {
	char file[256];
	unsigned line, column;
	char message[512];
	/* a file checked whole (a protocol) reports every error it has: the
	 * first above, the next ones here, formatted, a line each */
	unsigned count; /* errors found (0 or 1 for the others) */
	char more[2048];
} ndl_error;

/* Formats err as "file:line:col: error: message" (dropping what is unset)
 * into out (size n); returns out. */
char *ndl_error_format(const ndl_error *err, char *out, size_t n);
/* How many errors of err->count neither message nor more holds. */
unsigned ndl_error_unwritten(const ndl_error *err);

/* ---------------------------------------------------------------- buffer */

/* A growable byte buffer the writers append to. Zero-initialise; data is
 * owned by the buffer; release with ndl_buf_free. Never NUL-terminated
 * unless ndl_buf_cstr is called. */
typedef struct ndl_buf {
	char *data;
	size_t len, cap;
	int failed; /* set when an allocation failed; later appends do nothing */
} ndl_buf;

void ndl_buf_append(ndl_buf *b, const char *s, size_t n);
void ndl_buf_puts(ndl_buf *b, const char *s);
void ndl_buf_printf(ndl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
const char *ndl_buf_cstr(ndl_buf *b);
void ndl_buf_free(ndl_buf *b);

/* --------------------------------------------------------------- lexicon */

typedef struct ndl_lexicon ndl_lexicon;

/* Where the knowledge comes from. All fields optional: a zeroed config
 * loads the lexicon and protocol embedded at build time. */
typedef struct ndl_config {
	const char *lexicon_dir;   /* adds / replaces lexicon files */
	const char *protocol_file; /* replaces the protocol */
	const char *const *known_files; /* extra known-name lists */
	size_t nknown_files;
	int no_jit; /* interpret patterns instead of compiling them (for
		       memory checkers that cannot see into JIT code) */
	unsigned photo_threads; /* threads that read one photo at once (its
				   blocks), each with its own OCR engine:
				   0, as many as there are CPUs, up to 2 */
} ndl_config;

/* Loads and compiles the lexicon. Returns NULL and fills err on a bad
 * file. Free with ndl_lexicon_free. */
ndl_lexicon *ndl_lexicon_open(const ndl_config *cfg, ndl_error *err);
void ndl_lexicon_free(ndl_lexicon *lex);
/* The clinic's protocol file in force over the default windows (the
 * last of --lexicon DIR's protocol.tsv and --protocol FILE), or NULL
 * when the windows are the article's. */
const char *ndl_lexicon_protocol(const ndl_lexicon *lex);

/* The classes, in protocol order (the 21 of the design, then any added;
 * at most NDL_MAX_CLASSES). A finding's class_index indexes these. */
#define NDL_MAX_CLASSES 64
size_t ndl_class_count(const ndl_lexicon *lex);
const char *ndl_class_id(const ndl_lexicon *lex, size_t i);
const char *ndl_class_title(const ndl_lexicon *lex, size_t i);

/* ------------------------------------------------------------ the check */

/* Status of one finding at a moment. */
typedef enum ndl_status {
	NDL_RECOMMENDED,
	NDL_SAFE,
	NDL_CAUTION,
	NDL_AVOID
} ndl_status;

/* A product's verdict, in --fail-on severity order. */
typedef enum ndl_verdict {
	NDL_VERDICT_SAFE,
	NDL_VERDICT_CAUTION,
	NDL_VERDICT_UNKNOWN,
	NDL_VERDICT_AVOID
} ndl_verdict;

const char *ndl_status_name(ndl_status s);
const char *ndl_verdict_name(ndl_verdict v);
/* Parses "safe", "caution", "unknown", "avoid"; -1 if none of them. */
int ndl_verdict_parse(const char *s);

/* Maps a byte offset of the product text to a 1-based line and column in
 * the source the text came from (a CSV cell needs this: quotes and ""
 * escapes shift columns). */
typedef void (*ndl_locate_fn)(void *ctx, size_t offset, unsigned *line,
			      unsigned *column);

/* One product to check. text is the ingredient list as read (UTF-8; it
 * need not be valid or NUL-terminated). name and spf (optional) help
 * rules that depend on the product (a foundation, an SPF). Positions: when locate is
 * NULL, text is taken to start at (line, column) of its source, default
 * 1:1, and positions are counted in characters. flags are NDL_PRODUCT_*. */
enum {
	/* The caller shows no finding's reason (a CSV of verdicts, counts
	 * alone): the check leaves every reason NULL and spends no time
	 * writing them. */
	NDL_PRODUCT_NO_REASONS = 1 << 0,
	/* Nor its line and column: they are left 0, and the text is not
	 * walked to count them. */
	NDL_PRODUCT_NO_POSITIONS = 1 << 1
};
typedef struct ndl_product {
	const char *text;
	size_t len;
	const char *name;
	size_t name_len;
	double spf; /* SPF from a column of its own, 0 when not given */
	unsigned line, column;
	ndl_locate_fn locate;
	void *locate_ctx;
	unsigned flags;
} ndl_product;

/* The moment the product is judged at, in hours after the procedure.
 * Day N is hours [24N, 24N+24); a day is judged at its first hour, so a
 * window ending inside day N already lifts on day N. */
typedef struct ndl_when {
	double hours;
	int day; /* floor(hours / 24) */
} ndl_when;

ndl_when ndl_when_day(int day);
ndl_when ndl_when_hours(double hours);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (local time as given, no
 * zone) into minutes since 1970-01-01T00:00 on that clock; returns 0, -1
 * if malformed. The difference of two such values is wall-clock time:
 * the hours between two local times are the caller's to count, in their
 * time zone (a change to or from summer time adds or takes an hour). */
int ndl_parse_datetime(const char *s, int64_t *minutes);

/* What a class (or a piece of advice) asks after the procedure, in hours:
 * avoided before avoid_h, caution before caution_h, then `then`. */
#define NDL_NO_WINDOW (-1.0)
typedef struct ndl_window {
	double avoid_h;   /* avoided before this hour; NDL_NO_WINDOW: never */
	double caution_h; /* caution before this hour; NDL_NO_WINDOW: never */
	ndl_status then;  /* afterwards: NDL_SAFE or NDL_RECOMMENDED */
} ndl_window;

/* The status of w at a moment; *until_day (if not NULL) receives the
 * first day that status no longer holds, or -1 when it is the last. */
ndl_status ndl_window_status(const ndl_window *w, ndl_when when, int *until_day);
/* The first hour from which w is safe or recommended (0: always), and
 * its day: the first day that starts at or after it. */
double ndl_window_end(const ndl_window *w);
int ndl_window_safe_day(const ndl_window *w);
/* The days its avoid and caution windows end (the first day that starts
 * at or after each), -1 where w has none: with `then`, what w asks on
 * any day. */
void ndl_window_days(const ndl_window *w, int *avoid_until_day,
		     int *caution_until_day);

enum {
	NDL_FINDING_MAY_CONTAIN = 1 << 0, /* in a "may contain" / "+/-" list */
	NDL_FINDING_LATE = 1 << 1,        /* past the 1 % line */
	NDL_FINDING_ACTIVE = 1 << 2       /* a Drug Facts active (with a %) */
};

/* A finding says what one ingredient asks, whatever the day: its window
 * after the context rules; ndl_finding_status gives its status at a
 * moment. */
typedef struct ndl_finding {
	const char *ingredient; /* as printed, cleaned of figures and marks */
	size_t ingredient_len;
	const char *matched;  /* normalised name that matched (NUL-terminated);
				 NULL for a near miss ("did you mean") */
	const char *class_id; /* e.g. "retinoid" */
	size_t class_index;   /* for ndl_class_id */
	ndl_window window;    /* its class's, as the context rules left it */
	int safe_day;         /* first day this finding is safe/recommended */
	const char *reason;   /* why a context rule changed it, or NULL */
	unsigned flags;       /* NDL_FINDING_* */
	unsigned position;    /* 1-based place in the list */
	size_t offset;        /* byte offset in the product text */
	unsigned line, column; /* in its source; 0 when not asked for
				  (NDL_PRODUCT_NO_POSITIONS) */
} ndl_finding;

/* The status of f at a moment, as ndl_window_status. */
ndl_status ndl_finding_status(const ndl_finding *f, ndl_when when, int *until_day);

typedef struct ndl_span {
	const char *text;
	size_t len;
	size_t offset;
} ndl_span;

/* What the check found in one product, for any moment: ndl_verdict_at
 * gives the verdict at one. */
typedef struct ndl_result {
	double safe_from_h;  /* first hour every finding is safe */
	const char *error;   /* why the list cannot be read (in full), else NULL */
	const ndl_finding *findings; /* in list order */
	size_t nfindings;
	const ndl_span *unrecognized; /* names the lexicon does not know */
	size_t nunrecognized;
	size_t ningredients;  /* ingredients read from the list */
} ndl_result;

/* The verdict at a moment: the worst status of the findings (avoid >
 * caution > safe), or unknown when the list could not be read and
 * nothing is avoided. *safe_from_day (if not NULL) receives the first day
 * every finding is safe, or -1 with the verdict unknown. */
ndl_verdict ndl_verdict_at(const ndl_result *r, ndl_when when, int *safe_from_day);

typedef struct ndl_checker ndl_checker;

/* A checker for one thread. lex must outlive it. NULL on out of memory. */
ndl_checker *ndl_checker_new(const ndl_lexicon *lex);
void ndl_checker_free(ndl_checker *chk);

/* Checks one product, for every moment at once. The result and
 * everything it points to belong to chk and stay valid until the next
 * ndl_check on chk. NULL only when out of memory. */
const ndl_result *ndl_check(ndl_checker *chk, const ndl_product *p);

/* The products chk has read (tokenized and matched) since it was made:
 * what a command that checks each product once can be held to. */
unsigned long ndl_checker_checks(const ndl_checker *chk);
/* The lexicon chk checks with. */
const ndl_lexicon *ndl_checker_lexicon(const ndl_checker *chk);

/* ------------------------------------------------------------- explain */

/* Writes a human explanation of how name is matched (which candidate,
 * which entry, exact or pattern, exclusions) to out. */
void ndl_explain(ndl_checker *chk, const char *name, size_t len, ndl_buf *out);

/* Runs every example of the lexicon; appends one line per failure to out.
 * Returns the number of failures; *ntests receives the number of checks. */
size_t ndl_lexicon_test(ndl_checker *chk, ndl_buf *out, size_t *ntests);

/* Appends the classes, entry counts and protocol windows to out. */
void ndl_lexicon_list(const ndl_lexicon *lex, ndl_buf *out);

/* The classes of lex (in protocol order) as one JSON object with a
 * trailing newline: {"version":…,"classes":[{"id","title",
 * "avoid_until_hour","caution_until_hour" (null where none),"then",
 * "safe_from_day"},…]}. */
void ndl_write_lexicon_json(ndl_buf *out, const ndl_lexicon *lex);

/* ----------------------------------------------------------- text input */

/* Reads all of fd into *data (malloc'd, NUL-terminated; the caller frees)
 * and its length into *len. More than max bytes is an error. name is for
 * messages. Returns 0, or -1 with err filled. */
int ndl_read_fd(int fd, const char *name, size_t max, char **data, size_t *len,
		ndl_error *err);

/* The next product of a text input from *pos (start at 0): the whole
 * text, or with per_line the next non-blank line. Fills p (text, len,
 * line, column; p must hold the previous product between calls); returns
 * 0 when there is none left. A UTF-8 BOM is skipped. */
int ndl_text_next(const char *data, size_t len, int per_line, size_t *pos,
		  ndl_product *p);

/* How input bytes were decoded to the UTF-8 the check reads. */
typedef enum ndl_encoding {
	NDL_ENC_UTF8,     /* as they are (valid UTF-8, or not explained) */
	NDL_ENC_CP1252,   /* invalid UTF-8 read as Windows-1252, byte by byte */
	NDL_ENC_UTF16LE,  /* UTF-16 with a little-endian byte-order mark */
	NDL_ENC_UTF16BE   /* UTF-16 with a big-endian byte-order mark */
} ndl_encoding;

/* "Windows-1252", "UTF-16LE"… */
const char *ndl_encoding_name(ndl_encoding e);

/* Decodes input bytes to UTF-8. UTF-16 with a byte-order mark is
 * converted (unpaired surrogates become U+FFFD). Other input that is not
 * valid UTF-8 is read as Windows-1252 when that explains every invalid
 * byte: each one becomes its Windows-1252 character, valid UTF-8 around
 * it stays (a UTF-8 file with a pasted Windows-1252 name, a Windows-1252
 * export). Returns the encoding; for any but NDL_ENC_UTF8 *out receives a
 * malloc'd, NUL-terminated copy (the caller frees) of *out_len bytes, else
 * NULL. *invalid_at receives the byte offset of the first byte that was
 * not UTF-8, or n when every byte was (or for UTF-16). Returns -1 when out
 * of memory. */
int ndl_decode(const char *in, size_t n, char **out, size_t *out_len,
	       size_t *invalid_at);

/* The UTF-8 of UTF-16 code units in[0, n) (big_endian or not) into out,
 * which has room for n / 2 * 3 + 4 bytes. Stops before a unit that is cut
 * short or a high surrogate whose pair may follow, unless final (then
 * they become U+FFFD). Returns the bytes written; *used receives the input
 * bytes consumed. */
size_t ndl_utf16_to_utf8(const unsigned char *in, size_t n, int big_endian,
			 int final, char *out, size_t *used);

/* ------------------------------------------------------------ CSV input */

/* Reading a CSV inventory (needlecheck_input.h has the reader): the
 * options, the header and the rows. */
#define NDL_CSV_MAX_ROW_MB 16
#define NDL_CSV_MAX_CELL_MB 1

typedef struct ndl_csv_options {
	const char *column;      /* ingredients: header name or 1-based
				    number; NULL: found from the header */
	const char *name_column; /* product name, likewise */
	const char *id_column;   /* id / sku, likewise */
	int no_header;           /* the first row is data */
	char delimiter;          /* 0: ',' ';' or tab, from the first record;
				    never a quote or a line end */
	size_t block_bytes;      /* rows read at a time, about this many
				    bytes; 0: 256 KB (a pool sets it from its
				    threads; tests set it small, to cross block
				    boundaries) */
} ndl_csv_options;

#define NDL_NO_COLUMN ((size_t)-1)

/* What the header said: the columns chosen. */
typedef struct ndl_csv_header {
	const char *const *names; /* the header's cells ("1", "2"… without) */
	size_t ncolumns;
	size_t ingredients, name, id, spf, brand; /* 0-based, or NDL_NO_COLUMN */
	char delimiter;
} ndl_csv_header;

/* One data row (valid until the next row is read with the same
 * scratch, or the reader is closed). */
typedef struct ndl_csv_row {
	unsigned long row;  /* 1-based data row */
	unsigned long line; /* physical line where it starts */
	ndl_product product; /* the ingredients cell, name, spf, positions */
	const char *id;
	size_t id_len;
	const char *brand;  /* the brand cell, or NULL */
	size_t brand_len;
	const char *const *cells; /* every cell, decoded */
	const size_t *cell_lens;
	size_t ncells;
	const char *error;  /* why the row cannot be read, or NULL */
	const char *warnings; /* what the reader says of the row, a line
				 each ("FILE:LINE: warning: row N: …"), for
				 standard error; warnings_len 0: nothing */
	size_t warnings_len;
	const char *raw;    /* the row's bytes as in the file, unless
			       encoding says they were decoded */
	size_t raw_len;
	uint64_t offset;    /* byte offset of raw in the input */
	ndl_encoding encoding; /* NDL_ENC_UTF8: raw is the file's bytes;
				  else raw and cells were decoded from it
				  (offsets in raw are not the file's) */
} ndl_csv_row;

/* The column a user names: a header name (any case) or a 1-based
 * number, given to option --OPTION (for messages). 0, or -1 with err. */
int ndl_csv_column(const ndl_csv_header *h, const char *spec,
		   const char *option, const char *source, size_t *col,
		   ndl_error *err);

/* The first column whose header, normalised ("Product_Name" is "product
 * name"), is one of names (NULL-terminated); or NDL_NO_COLUMN. */
size_t ndl_csv_find_header(const ndl_csv_header *h, const char *const *names);

/* Is a text (a whole input, UTF-8) a CSV table? NDL_SNIFF_CSV when its
 * first line is a header with a column named as an ingredients column
 * (a name of the lexicon's columns.txt, "INCI", "Ingredients", or a short
 * "clean_ingreds") and the line after it
 * has as many cells;
 * NDL_SNIFF_MAYBE when the first line names one but the rest does not
 * look like a table; NDL_SNIFF_TEXT otherwise. */
enum { NDL_SNIFF_TEXT, NDL_SNIFF_CSV, NDL_SNIFF_MAYBE };
int ndl_csv_sniff(const ndl_lexicon *lex, const char *data, size_t len);

/* -------------------------------------------------------------- reports */

/* Counts over many products, for summaries. Zero-initialise. */
typedef struct ndl_stats {
	unsigned long products;
	unsigned long verdicts[4];                /* by ndl_verdict */
	unsigned long classes[NDL_MAX_CLASSES];   /* products with a finding
						     of the class */
} ndl_stats;

/* Counts r as judged at when. */
void ndl_stats_add(ndl_stats *s, const ndl_result *r, ndl_when when);
void ndl_stats_merge(ndl_stats *into, const ndl_stats *from);


/* Where a record came from, for the writers. */
/* A pixel rectangle on a photo, upright: left, top, width, height. */
typedef struct ndl_box {
	int x, y, w, h;
} ndl_box;

/* What a record read from a photo says of it (needlecheck_input.h). */
typedef struct ndl_record_photo {
	double confidence;    /* the list's, 0-100 */
	const char *engine;   /* "tesseract 5.3.0" */
	const char *skipped;  /* what was not the list, or NULL */
	const ndl_box *boxes; /* one per finding, in order; w 0: none */
} ndl_record_photo;

typedef struct ndl_record {
	const char *source;  /* file name, or "<stdin>" */
	unsigned long row;   /* 1-based product number (data row for CSV) */
	unsigned long line;  /* physical line where the product starts */
	const char *name;    /* product name or NULL */
	size_t name_len;
	const char *id;      /* product id / sku or NULL */
	size_t id_len;
	const char *brand;   /* the product's brand or NULL */
	size_t brand_len;
	const char *error;   /* a reader error for this row, or NULL */
	ndl_when when;       /* the moment it is judged at */
	const ndl_record_photo *photo; /* read from a photo, else NULL */
} ndl_record;

enum {
	NDL_TEXT_COLOR = 1 << 0,       /* ANSI colours */
	NDL_TEXT_DAY_ASSUMED = 1 << 1, /* say that day 0 was assumed */
	NDL_TEXT_HEADER = 1 << 2       /* name the source line first */
};
/* The width of the terminal, in the flags of the catalogue's table
 * ("table" below): its lines fit it. 0, or none: no limit. */
#define NDL_TEXT_WIDTH_SHIFT 16
#define NDL_TEXT_WIDTH(columns) ((unsigned)(columns) << NDL_TEXT_WIDTH_SHIFT)

/* ------------------------------------------------------------- writers
 * Every output has one shape, as cmark's cmark_render_X(root, options):
 * a writer, found by its format's name, appends to an ndl_buf what opens
 * the output (begin, before anything else unless its `how` says
 * otherwise), each item (a record, a diagnostic, a plan) and what closes
 * it (end), each given the same ndl_write_options. Items may be written
 * apart (a worker thread per block of rows, each into a buffer of its
 * own): the caller puts the writer's `first` before the first item of
 * the output and its `between` before each other one, and writes the
 * buffers in order. What a writer does not need is NULL. The formats'
 * own functions are the renderers' (src/render/render.h). */

struct ndl_lint_stats;

typedef struct ndl_write_options {
	const ndl_lexicon *lex;
	ndl_when when;          /* the moment products are judged at */
	unsigned flags;         /* NDL_TEXT_* or NDL_HTML_*, as the format
				   reads them */
	const ndl_stats *stats; /* check: the counts (begin and end) */
	const struct ndl_lint_stats *lint_stats; /* lint: the counts (end) */
	int successful;         /* lint: every file was read (end) */
	const char *photo_views; /* html: each photo's view, as
				    ndl_write_html_photo wrote it (NULL:
				    none): check's page (its begin) shows
				    them right after the count of products,
				    plan's after its Today block (and
				    "today-html" after it) */
	size_t photo_views_len;
} ndl_write_options;

/* The writers of check's records, by name:
 *   "text"    the report for a person: verdict first, then each finding;
 *             texts are separated by a blank line. The rows of a CSV
 *             inventory are written by its `catalogue` writer, "table".
 *   "table"   a catalogue for a person: one line per product that is not
 *             safe, under a header (begin, written before the first line
 *             only); end: the summary (counts per verdict and per class).
 *   "json"    one JSON array of records, each one JSON object: `first`
 *             opens the array, end closes it ("[]" when there was no
 *             record).
 *   "ndjson"  one JSON object a line.
 *   "csv"     one row per product: row, id, name, verdict,
 *             safe_from_day, the classes that matter (avoid or caution),
 *             the ingredients that decided the verdict, and the error;
 *             begin: the header row. Cells a spreadsheet would run as a
 *             formula (= + - @ tab CR first) are prefixed with a quote.
 *   "html"    the catalogue as one page (below, "HTML report").
 * summary is --summary's output, the counts alone: for text the table's
 * summary; for json and ndjson one JSON object {"products":N,"day":D,
 * "verdicts":{"avoid":…,"caution":…,"unknown":…,"safe":…},"classes":
 * {"retinoid":…}} (classes by how many products have them); for csv
 * count,of,products then one line per verdict ("verdict,avoid,12"), per
 * class ("class,retinoid,7") and the total ("all,products,40"). */
enum {
	NDL_WRITE_BEGIN_AT_FIRST = 1 << 0, /* begin comes before the first
					      record, and is left out when
					      there is none */
	NDL_WRITE_COUNTS_FIRST = 1 << 1,   /* begin shows the counts: the
					      caller keeps the records aside
					      and writes begin, the records
					      and end once all are counted */
	NDL_WRITE_NO_REASONS = 1 << 2,     /* the records show no finding's
					      reason: the caller may check
					      with NDL_PRODUCT_NO_REASONS */
	NDL_WRITE_NO_POSITIONS = 1 << 3    /* nor its line and column
					      (NDL_PRODUCT_NO_POSITIONS) */
};
typedef struct ndl_record_writer {
	const char *name;
	const char *first, *between;
	unsigned how;          /* NDL_WRITE_* */
	const char *catalogue; /* the writer of a CSV inventory's rows, when
				  not this one */
	void (*begin)(ndl_buf *out, const ndl_write_options *o);
	void (*record)(ndl_buf *out, const ndl_write_options *o,
		       const ndl_record *rec, const ndl_result *r);
	void (*end)(ndl_buf *out, const ndl_write_options *o);
	void (*summary)(ndl_buf *out, const ndl_write_options *o);
} ndl_record_writer;

/* The writer of format name, or NULL. */
const ndl_record_writer *ndl_record_writer_find(const char *name);

/* Appends s as a JSON string (with quotes), escaping as RFC 8259 asks and
 * replacing invalid UTF-8 with U+FFFD; control characters and bidi
 * controls are written as \uXXXX escapes, never raw. */
void ndl_json_string(ndl_buf *out, const char *s, size_t n);

/* Appends s for a person at a terminal: control characters (escapes
 * among them), bidi controls and invalid UTF-8 become '?'; cut to
 * max_chars with "…" (0: no limit). Every text from the input that a
 * text report, a diagnostic or a message shows goes through it. */
void ndl_term_text(ndl_buf *out, const char *s, size_t n, size_t max_chars);

/* Appends s escaped for a GitHub Actions workflow command: '%', CR and
 * LF as %25, %0D, %0A, and in a property value (property nonzero) ':'
 * and ',' as %3A and %2C, so that the text can neither end the command
 * nor start another; other control characters, bidi controls and invalid
 * UTF-8 become '?'. */
void ndl_github_text(ndl_buf *out, const char *s, size_t n, int property);

/* ------------------------------------------------------------- guidance */

/* What to do besides products on each day (lexicon/guidance.tsv): no
 * makeup, no strenuous exercise, SPF and a hat… each line quoting the
 * article. Loaded like the lexicon: embedded, or guidance.tsv of
 * cfg->lexicon_dir when that directory has one. */
typedef struct ndl_guidance ndl_guidance;

typedef struct ndl_advice {
	const char *id;     /* "makeup" */
	const char *label;  /* "Makeup": a short title */
	const char *advice; /* one sentence for a person */
	const char *source; /* the article's words it follows */
	ndl_window window;  /* its days, as a class's */
} ndl_advice;

/* NULL and err filled on a bad file ("file:line:col"). Free with
 * ndl_guidance_free. */
ndl_guidance *ndl_guidance_open(const ndl_config *cfg, ndl_error *err);
void ndl_guidance_free(ndl_guidance *g);
size_t ndl_guidance_count(const ndl_guidance *g);
/* The i-th line, in file order; owned by g. */
const ndl_advice *ndl_guidance_at(const ndl_guidance *g, size_t i);

/* ------------------------------------------------------------- the plan */

/* A week after the procedure: each product checked on days 0…7 (a row of
 * cells), its first safe day, and the guidance, for `needlecheck plan`. */
#define NDL_PLAN_DAYS 8

/* A product on one day: its verdict, with "safe" split in two: a safe
 * product that holds an ingredient the article recommends (a finding
 * with status recommended) is NDL_CELL_RECOMMENDED. */
typedef enum ndl_cell {
	NDL_CELL_RECOMMENDED,
	NDL_CELL_SAFE,
	NDL_CELL_CAUTION,
	NDL_CELL_UNKNOWN,
	NDL_CELL_AVOID
} ndl_cell;

/* "recommended", "safe", "caution", "unknown", "avoid". */
const char *ndl_cell_name(ndl_cell c);

/* Why a product is not safe on day 0: one ingredient, its classes (more
 * than one when several have the same windows) and its windows from
 * day 0. */
typedef struct ndl_plan_reason {
	const char *ingredient;
	const char *const *classes; /* class ids */
	size_t nclasses;
	int avoid_until_day; /* first day it is no longer avoided; -1: never
				avoided, only caution */
	int safe_day;        /* first day it is safe */
	const char *note;    /* why a context rule softened it, or NULL */
} ndl_plan_reason;

typedef struct ndl_plan_row {
	const char *label; /* what a person calls it: name, id, or file */
	const char *source;
	unsigned long row, line;
	const char *name; /* NULL when the input gives none */
	ndl_cell cells[NDL_PLAN_DAYS];
	ndl_verdict verdict; /* at the plan's moment (day 0 without one) */
	int safe_from_day;   /* first day safe or recommended; -1: unknown */
	const char *error;   /* why the list cannot be read, or NULL */
	const ndl_plan_reason *reasons;
	size_t nreasons;
} ndl_plan_row;

typedef struct ndl_plan ndl_plan;

typedef struct ndl_plan_options {
	const ndl_guidance *guidance; /* NULL: none; must outlive the plan */
	int has_now;  /* now holds the moment to mark as today */
	ndl_when now; /* its cell is judged at that moment, the other
			 cells at the start of their day */
	int dated;    /* procedure holds the procedure's date */
	int64_t procedure; /* minutes since 1970 (ndl_parse_datetime) */
	int64_t now_local; /* with dated and has_now: the local date and time
			      of now, likewise, for today's date (0: the
			      procedure's plus now.hours, which a change to
			      or from summer time shifts by an hour) */
	const char *protocol; /* the clinic's protocol file in force
				 (ndl_lexicon_protocol), for the credit */
	int64_t day_start[NDL_PLAN_DAYS]; /* with dated: the local date and
			      time each day starts, likewise (0: the
			      procedure's plus 24 h a day, as the clock
			      runs without a change of summer time) */
} ndl_plan_options;

typedef struct ndl_date {
	int year, month, day;
	int weekday; /* 0 Monday … 6 Sunday */
	int hour, minute; /* the moment's time of day */
} ndl_date;

/* A plan with no product yet; NULL when out of memory. */
ndl_plan *ndl_plan_new(const ndl_plan_options *opt);
void ndl_plan_free(ndl_plan *plan);
/* Adds a row for the product checked as r: its cells on each day, from
 * the one result. label names the row when the record has no name or id
 * (NULL: "source:line"). The row keeps copies of what it needs, but its
 * class ids are the lexicon's: the lexicon must outlive the plan.
 * Returns 0, or -1 when out of memory. */
int ndl_plan_add(ndl_plan *plan, const ndl_record *rec, const ndl_result *r,
		 const char *label);
size_t ndl_plan_count(const ndl_plan *plan);
const ndl_plan_row *ndl_plan_row_at(const ndl_plan *plan, size_t i);
/* The date and time day N starts at (day N is the hours [24N, 24N+24)
 * after the procedure, so with a procedure at 14:30 every day starts at
 * 14:30); -1 when the plan has no date. */
int ndl_plan_date(const ndl_plan *plan, int day, ndl_date *out);

/* The days of a finding from day `from` on, as the plan's grid shows
 * them, for every writer of plans and pages of one's own: "avoid on days
 * 0–4, caution on days 5–6, safe from day 7" ("until" reads as inclusive
 * to many people). avoid_end is the first day it is no longer avoided
 * (-1: never avoided), safe_day the first day it is safe. */
void ndl_days_phrase(ndl_buf *out, int from, int avoid_end, int safe_day);

/* The writers of a plan, by name (a plan is one item, whole; the
 * options' flags are NDL_TEXT_*):
 *   "text"       for a terminal: a grid that fits 80 columns
 *                (NDL_TEXT_COLOR for colours; input text is made safe
 *                with ndl_term_text), why each product waits, then the
 *                guidance with the article's words.
 *   "markdown"   the same as a Markdown document.
 *   "json"       one JSON object, with a trailing newline.
 *   "html"       one self-contained HTML page (no script, no external
 *                resource).
 *   "today-html" the Today block alone, as that page opens with it: a
 *                <section class="now"> (its style is the page's), for a
 *                page of one's own. */
typedef struct ndl_plan_writer {
	const char *name;
	void (*plan)(ndl_buf *out, const ndl_write_options *o,
		     const ndl_plan *plan);
} ndl_plan_writer;

/* The writer of format name, or NULL. */
const ndl_plan_writer *ndl_plan_writer_find(const char *name);

/* ---------------------------------------------------------- HTML report */

/* The catalogue as one self-contained HTML page (the record writer
 * "html"): the count of products, each photo's view (the options'
 * photo_views), a summary as inline SVG bar charts (products per
 * verdict, per class), then a table of the products that are not safe (nothing for a
 * safe product). The rows can be many: they are written one by one (on
 * CSV worker threads too), kept by the caller (a temporary file), and
 * sent between begin and end, which are written once the counts are
 * known (NDL_WRITE_COUNTS_FIRST). The page lists the first
 * NDL_HTML_MAX_ROWS (a page a browser opens at once); end says how many
 * more there are and how to get them all. The options' flags: */
#define NDL_HTML_MAX_ROWS 1000
enum {
	NDL_HTML_DAY_ASSUMED = 1 << 0, /* day 0 was assumed: say so */
	NDL_HTML_SOURCE = 1 << 1,      /* several inputs: name the source */
	NDL_HTML_SUMMARY = 1 << 2,     /* the charts only, no table */
	NDL_HTML_BRAND = 1 << 4,       /* a CSV named a brand column */
	NDL_HTML_PRODUCTS = 1 << 3     /* a person's products (text inputs),
					  not a catalogue: every product is
					  listed, named by its file */
};
/* A photo's view on the page: the photo (embedded, a data: URI) with
 * the boxes of the ingredients that wait (rec->photo->boxes, in the
 * photo's pixels) outlined and numbered, and beside it the verdict and
 * those ingredients by number; then what was read (read_html). */
typedef struct ndl_html_photo {
	const char *mime;      /* of data: "image/jpeg", "image/png"… */
	const void *data;      /* the image shown; NULL: none */
	size_t len;
	unsigned width, height; /* the photo, upright: the boxes' space */
	/* the boxes of finding k's words, a box a line of the photo (a
	 * name broken over two lines is two boxes, not one around both):
	 * lines[line_at[k]] to lines[line_at[k + 1]]; NULL: the record's */
	const ndl_box *lines;
	const size_t *line_at;
	const char *read_html; /* what was read, as markup, or NULL */
	const char *note;      /* plain text under the photo, or NULL */
} ndl_html_photo;
void ndl_write_html_photo(ndl_buf *out, const ndl_record *rec,
			  const ndl_result *r, const ndl_html_photo *ph);

/* Appends s as HTML text (also safe in a quoted attribute): & < > " '
 * escaped, invalid UTF-8 as U+FFFD, control and bidi characters as '?'. */
void ndl_html_text(ndl_buf *out, const char *s, size_t n);

/* ------------------------------------------------------- catalogue lint */

/* needlecheck lint: a catalogue's claims ("fine from day N after the
 * procedure", in a claim column or a post-procedure-safe[:N] tag) checked
 * against what the ingredients allow, reported like a compiler does.
 * ndl_lint_row() lints a row of the CSV reader; the lint writers
 * (ndl_lint_writer_find) turn its diagnostics into bytes. */

typedef enum ndl_severity {
	NDL_NOTE,
	NDL_WARNING,
	NDL_ERROR
} ndl_severity;

const char *ndl_severity_name(ndl_severity s); /* "note" … "error" */

/* The lint's own check ids; a wrong claim is filed under its class id. */
#define NDL_CHECK_UNREADABLE "unreadable-list" /* a claimed list not read */
#define NDL_CHECK_BAD_CLAIM "bad-claim"         /* a claim that is no day */
#define NDL_CHECK_BAD_ALLOW "bad-allow" /* an allowance naming nothing */
#define NDL_CHECK_UNCLAIMED "unclaimed-safe" /* --suggest */
#define NDL_CHECK_NO_CLAIMS "no-claims" /* a catalogue with nothing to check */

/* One edit of a file: the len bytes at offset become text. */
typedef struct ndl_fix {
	uint64_t offset;
	size_t len;
	char text[32];
} ndl_fix;

typedef struct ndl_lint_options {
	const char *claim_column; /* header name or 1-based number; NULL:
				     aftercare_day, post_procedure_day or
				     safe_after_day from the header */
	int suggest; /* a note for each unclaimed product safe from day 0 */
	int fix;     /* a wrong claim gives a note carrying its fix, which
			the caller applies (the library never rewrites a
			file), not an error */
} ndl_lint_options;

/* The columns lint reads besides the reader's, from the header. */
typedef struct ndl_lint_columns {
	size_t claim, tags, allow; /* 0-based, or NDL_NO_COLUMN */
	char delimiter;
	char claim_name[64]; /* the claim column's header, for messages */
} ndl_lint_columns;

/* Finds the claim, tags and needlecheck_allow columns of h, by the
 * header names of the lexicon's columns.txt. Returns 0, or -1 with err
 * filled (a --claim-column the header does not have). */
int ndl_lint_columns_find(const ndl_lexicon *lex, const ndl_csv_header *h,
			  const ndl_lint_options *o, const char *source,
			  ndl_lint_columns *cols, ndl_error *err);

/* Counts for the summary line. Zero-initialise; merge with _add. */
typedef struct ndl_lint_stats {
	unsigned long files, products, claims;
	unsigned long errors, warnings, notes;
	unsigned long suppressed; /* wrong claims a needlecheck_allow excused */
	unsigned long fixed;      /* wrong claims given a fix (--fix) */
} ndl_lint_stats;

void ndl_lint_stats_add(ndl_lint_stats *into, const ndl_lint_stats *from);

/* One finding of the lint. Everything it points to is valid during the
 * callback that receives it. */
typedef struct ndl_diagnostic {
	const char *source;  /* file name */
	unsigned long row;   /* 1-based data row; 0: the file as a whole */
	unsigned long line;  /* 1-based, in the file */
	unsigned column;     /* 1-based, in characters */
	ndl_severity severity;
	const char *check;   /* a class id or an NDL_CHECK_* */
	const char *message; /* one line, NUL-terminated, no check id */
	const char *name;    /* the product's name, or NULL */
	size_t name_len;
	const char *id;      /* the product's id, or NULL */
	size_t id_len;
	const char *ingredient; /* the ingredient that decided, or NULL */
	size_t ingredient_len;
	const char *class_id;   /* its class, or NULL */
	int claimed_day;        /* the claim, -1 when none applies */
	int safe_from_day;      /* the day the ingredients allow, or -1 */
	const char *suppressed_by; /* the needlecheck_allow entry that excused
				      it (NUL-terminated), or NULL */
	const ndl_fix *fix;        /* a wrong claim's correction: the edit
				      of its bytes in the file, or NULL */
} ndl_diagnostic;

typedef void (*ndl_diagnostic_fn)(void *ctx, const ndl_diagnostic *d);

/* Lints one catalogue row (on any thread, with that thread's checker):
 * checks the product with chk, compares each claim with the day the
 * ingredients allow and calls emit for each diagnostic of the row,
 * suppressed ones included. Adds to st. Returns 0, -1 when out of memory. */
int ndl_lint_row(ndl_checker *chk, const ndl_lint_options *o,
		 const ndl_lint_columns *cols, const char *source,
		 const ndl_csv_row *row, ndl_lint_stats *st,
		 ndl_diagnostic_fn emit, void *ctx);

/* The diagnostic for a file with no claim or tags column, so that nothing
 * is skipped without a word. */
void ndl_lint_no_claims(const char *source, ndl_diagnostic *d);

/* The writers of lint's diagnostics, by name:
 *   "gcc"     "file:line:col: severity: message [check]" and a newline;
 *             NDL_TEXT_COLOR colours it as gcc does.
 *   "github"  a GitHub Actions workflow command, "::error file=…,line=…,
 *             col=…,title=…::message", escaped as GitHub documents.
 *   "sarif"   SARIF 2.1.0: begin writes the log up to the results (the
 *             tool, its rules: every class of the options' lexicon and
 *             the lint's own checks), each diagnostic one result
 *             (suppressed ones carry their suppression), end closes it
 *             (successful: the options').
 *   "json"    {"diagnostics":[…],"summary":{…}}, the summary of the
 *             options' lint_stats.
 * gcc and github write nothing for a suppressed diagnostic. A document
 * (sarif, json) stays one whole document: begin and end come even
 * without diagnostics, and nothing else may go in between. */
typedef struct ndl_lint_writer {
	const char *name;
	const char *first, *between;
	int document;
	void (*begin)(ndl_buf *out, const ndl_write_options *o);
	void (*diagnostic)(ndl_buf *out, const ndl_write_options *o,
			   const ndl_diagnostic *d);
	void (*end)(ndl_buf *out, const ndl_write_options *o);
} ndl_lint_writer;

/* The writer of format name, or NULL. */
const ndl_lint_writer *ndl_lint_writer_find(const char *name);

/* The summary line: "2 files, 40 products, 12 claims: 3 errors, …". */
void ndl_write_lint_summary(ndl_buf *out, const ndl_lint_stats *s,
			    const ndl_lint_options *o);

#ifdef __cplusplus
}
#endif

#endif
