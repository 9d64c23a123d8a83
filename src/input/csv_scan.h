/* The quote-aware scan of CSV input: where rows begin and end, on which
 * line, and where each cell sits in the raw bytes.
 *
 * libcsv reports no positions, and splitting a file between threads needs
 * row boundaries before parsing. This scanner runs libcsv's own state
 * machine (3.0.3, non-strict) without copying anything, so it agrees with
 * libcsv on every boundary, even in malformed files (a test checks it). */
#ifndef NDL_CSV_SCAN_H
#define NDL_CSV_SCAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct ndl_csv_rowref {
	size_t start, end;  /* bytes of the buffer: from the start of the row's
			       first line to just after its terminator */
	unsigned long line; /* physical line of start (1-based) */
	int unterminated;   /* the input ended inside a quoted cell */
} ndl_csv_rowref;

typedef struct ndl_csv_scanner {
	unsigned char delim;
	int state, quoted, spaces;
	int after_cr;          /* the last byte scanned was a CR */
	unsigned long line;    /* physical line of the next byte */
	size_t line_start;     /* offset where that line starts */
	size_t row_start;      /* row in progress: its first line's start */
	size_t prev_end;       /* end of the last row (or blank line) */
	unsigned long row_line;
	size_t pos;            /* next byte to scan */
} ndl_csv_scanner;

void ndl_csv_scanner_init(ndl_csv_scanner *sc, unsigned char delim,
			  unsigned long first_line, size_t first_line_start);

/* Scans buf[sc->pos, n), calling row() for each row completed; stops
 * early if row() returns nonzero. */
void ndl_csv_scan(ndl_csv_scanner *sc, const char *buf, size_t n,
		  int (*row)(void *ctx, const ndl_csv_rowref *r), void *ctx);

/* Is a row in progress (begun, not ended)? */
int ndl_csv_scan_in_row(const ndl_csv_scanner *sc);

/* At the end of input: the row in progress, if any (without terminator). */
int ndl_csv_scan_finish(ndl_csv_scanner *sc, size_t n, ndl_csv_rowref *r);

/* Moves the scanner's positions back by shift bytes (the caller dropped
 * the first shift bytes of its buffer). */
void ndl_csv_scanner_rebase(ndl_csv_scanner *sc, size_t shift);

/* Moves a position in the file (1-based line, column in characters)
 * from raw[from] to raw[to] of a buffer that holds whole lines: a line
 * break is LF, CR LF or a lone CR, as the scan counts them. */
void ndl_csv_advance(const char *raw, size_t from, size_t to,
		     unsigned long *line, unsigned *col);

/* Within one raw row: the raw offset of decoded character `offset` of
 * cell `cell`, as libcsv decodes it (quotes, "" escapes, trimmed
 * blanks). An offset at or past the cell's end maps to where the cell
 * ends. Returns (size_t)-1 when the row has no such cell. */
size_t ndl_csv_raw_offset(const char *row, size_t n, unsigned char delim,
			  size_t cell, size_t offset);

/* The raw span of cell `cell` in a row: [*a, *b), quotes included.
 * Returns -1 when there is no such cell. */
int ndl_csv_cell_span(const char *row, size_t n, unsigned char delim,
		      size_t cell, size_t *a, size_t *b);

/* The raw spans of a row's first cells, as ndl_csv_cell_span gives them
 * one by one, in one pass over the row: how many (at most max). */
size_t ndl_csv_row_spans(const char *row, size_t n, unsigned char delim,
			 size_t (*span)[2], size_t max);

/* A cell of ndl_csv_split: its bytes, and for a quoted cell those
 * between its quotes, a quote in them still doubled. */
typedef void (*ndl_csv_cell_fn)(void *ctx, const char *s, size_t n, int quoted);

/* The cells of a row as libcsv decodes them, when the row needs none of
 * its states (the common row: every quoted cell closed just before a
 * delimiter or the row's line end): each given to cell(), in order.
 * Returns -1, having given none, for any other row. */
int ndl_csv_split(const char *row, size_t n, unsigned char delim,
		  ndl_csv_cell_fn cell, void *ctx);

#endif
