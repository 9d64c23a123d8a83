/* The quote-aware scan must agree with libcsv on every row boundary and
 * every cell, malformed input included: random inputs from a small
 * alphabet of the characters that matter are parsed both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv_scan.h"

/* Rows and cells as libcsv gives them, flattened: "cell|cell\n" per row. */
typedef struct flat {
	char text[8192];
	size_t len;
} flat;

static void put(flat *f, const char *s, size_t n)
{
	if (f->len + n < sizeof(f->text)) {
		memcpy(f->text + f->len, s, n);
		f->len += n;
	}
}

static void on_cell(void *data, size_t n, void *ctx)
{
	put(ctx, data ? data : "", n);
	put(ctx, "|", 1);
}

static void on_row(int c, void *ctx)
{
	(void)c;
	put(ctx, "\n", 1);
}

static void libcsv_flat(const char *s, size_t n, unsigned char delim, flat *f)
{
	struct csv_parser p;
	assert_int_equal(csv_init(&p, 0), 0);
	csv_set_delim(&p, delim);
	csv_parse(&p, s, n, on_cell, on_row, f);
	csv_fini(&p, on_cell, on_row, f);
	csv_free(&p);
}

typedef struct rows {
	ndl_csv_rowref v[513]; /* and one more for the test to add */
	size_t n;
} rows;

static int collect(void *ctx, const ndl_csv_rowref *r)
{
	rows *rs = ctx;
	if (rs->n < 512)
		rs->v[rs->n++] = *r;
	return 0;
}

/* Random text of up to cap - 1 bytes from alphabet: its length. */
static size_t random_text(char *s, size_t cap, const char *alphabet)
{
	size_t n = (size_t)(rand() % (int)cap), na = strlen(alphabet);
	for (size_t i = 0; i < n; i++)
		s[i] = alphabet[rand() % (int)na];
	return n;
}

static void test_agrees_with_libcsv(void **state)
{
	(void)state;
	static const char alphabet[] = "ab,;\" \t\r\n\"\n,";
	char s[200];
	srand(20261127);
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = random_text(s, sizeof(s), alphabet);
		unsigned char delim = iter % 3 == 0 ? ';' : ',';
		flat whole = {0}, split = {0};
		libcsv_flat(s, n, delim, &whole);

		/* the scan, in two pieces to exercise resuming */
		ndl_csv_scanner sc;
		rows rs = {0};
		ndl_csv_scanner_init(&sc, delim, 1, 0);
		size_t cut = n ? (size_t)rand() % n : 0;
		ndl_csv_scan(&sc, s, cut, collect, &rs);
		ndl_csv_scan(&sc, s, n, collect, &rs);
		ndl_csv_rowref last;
		if (ndl_csv_scan_finish(&sc, n, &last))
			collect(&rs, &last);
		for (size_t k = 0; k < rs.n; k++) {
			assert_true(rs.v[k].start <= rs.v[k].end && rs.v[k].end <= n);
			libcsv_flat(s + rs.v[k].start, rs.v[k].end - rs.v[k].start,
				    delim, &split);
		}
		if (whole.len != split.len || memcmp(whole.text, split.text, whole.len))
			fail_msg("iteration %d: rows differ from libcsv's", iter);
	}
}

/* ndl_csv_split's cells, flattened as libcsv_flat flattens libcsv's. */
static void split_cell(void *ctx, const char *s, size_t n, int quoted)
{
	flat *f = ctx;
	for (size_t i = 0; i < n; i++) {
		put(f, s + i, 1);
		if (quoted && s[i] == '"')
			i++; /* "" is one quote */
	}
	put(f, "|", 1);
}

/* Each row the scan gives is split as libcsv decodes it, or not at all;
 * and most rows of a CSV file's shapes are split. */
static void test_split_agrees(void **state)
{
	(void)state;
	static const char *const alphabets[] = {
		"ab,;\" \t\r\n\"\n,", /* every character that matters */
		"aaaabbbb ,,,\"\"\n",   /* closer to a file's rows */
		",,,,,,a \"",            /* rows of over 64 cells */
	};
	char s[200];
	size_t rows_seen = 0, split = 0;
	srand(20261206);
	for (int iter = 0; iter < 40000; iter++) {
		const char *alphabet = alphabets[iter % 3];
		size_t n = random_text(s, sizeof(s), alphabet);
		unsigned char delim = iter % 3 == 0 ? ';' : ',';
		ndl_csv_scanner sc;
		rows rs = {0};
		ndl_csv_scanner_init(&sc, delim, 1, 0);
		ndl_csv_scan(&sc, s, n, collect, &rs);
		ndl_csv_rowref last;
		if (ndl_csv_scan_finish(&sc, n, &last))
			collect(&rs, &last);
		/* the rows the scan gives, and the whole text as if a row */
		rs.v[rs.n].start = 0;
		rs.v[rs.n].end = n;
		for (size_t k = 0; k <= rs.n; k++) {
			const char *row = s + rs.v[k].start;
			size_t len = rs.v[k].end - rs.v[k].start;
			flat want = {0}, got = {0};
			rows_seen++;
			if (ndl_csv_split(row, len, delim, split_cell, &got) != 0) {
				assert_int_equal(got.len, 0);
				continue;
			}
			split++;
			libcsv_flat(row, len, delim, &want);
			if (want.len && want.text[want.len - 1] == '\n')
				want.len--; /* one row: no row's end to compare */
			if (want.len != got.len || memcmp(want.text, got.text, got.len))
				fail_msg("iteration %d row %zu '%.*s': libcsv '%.*s', split '%.*s'",
					 iter, k, (int)len, row, (int)want.len, want.text,
					 (int)got.len, got.text);
		}
	}
	print_message("split: %zu of %zu rows\n", split, rows_seen);
	assert_true(split * 4 > rows_seen);
}

/* Every decoded character maps back to a byte that is that character. */
static void test_raw_offsets(void **state)
{
	(void)state;
	static const char *const rows_[] = {
		"a,\"b,\"\"c\"\" d\",  e f  ,\"\"\r",
		"  x ,\"multi\nline\",\"q\"x\"\n",
		"\"unterminated, cell",
		";;\"semi;colon\"",
	};
	for (size_t r = 0; r < sizeof(rows_) / sizeof(rows_[0]); r++) {
		const char *row = rows_[r];
		size_t n = strlen(row);
		unsigned char delim = row[0] == ';' ? ';' : ',';
		flat f = {0};
		libcsv_flat(row, n, delim, &f);
		size_t cell = 0, d = 0;
		for (size_t i = 0; i < f.len; i++) {
			char c = f.text[i];
			if (c == '|') {
				cell++;
				d = 0;
				continue;
			}
			if (c == '\n')
				break;
			size_t raw = ndl_csv_raw_offset(row, n, delim, cell, d);
			assert_true(raw < n);
			if (row[raw] != c)
				fail_msg("row %zu cell %zu char %zu: raw %zu is '%c', want '%c'",
					 r, cell, d, raw, row[raw], c);
			d++;
		}
	}
	size_t a, b;
	const char *row = "id, \"Na\"\"me\" ,  plain  ,\n";
	assert_int_equal(ndl_csv_cell_span(row, strlen(row), ',', 1, &a, &b), 0);
	assert_int_equal(a, 4);
	assert_int_equal(b, 12);
	assert_int_equal(ndl_csv_cell_span(row, strlen(row), ',', 2, &a, &b), 0);
	assert_int_equal(a, 16);
	assert_int_equal(b, 21);
	assert_int_equal(ndl_csv_cell_span(row, strlen(row), ',', 7, &a, &b), -1);
}

/* A row's spans in one pass are the spans cell by cell, malformed
 * quotes, blanks and a cap on the count included. */
static void test_row_spans(void **state)
{
	(void)state;
	static const char alphabet[] = "ab,;\" \t\"a,";
	char s[120];
	srand(20261206);
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = random_text(s, sizeof(s), alphabet);
		unsigned char delim = iter % 3 == 0 ? ';' : ',';
		size_t max = iter % 5 == 0 ? 3 : 64;
		size_t span[64][2];
		size_t k = ndl_csv_row_spans(s, n, delim, span, max);
		size_t want = 0, a, b;
		while (want < max && ndl_csv_cell_span(s, n, delim, want, &a, &b) == 0) {
			if (want < k && (span[want][0] != a || span[want][1] != b))
				fail_msg("iteration %d cell %zu: [%zu, %zu), one by one [%zu, %zu)",
					 iter, want, span[want][0], span[want][1], a, b);
			want++;
		}
		if (k != want)
			fail_msg("iteration %d: %zu cells, one by one %zu", iter, k, want);
	}
}

static void test_lines(void **state)
{
	(void)state;
	const char *s = "h1,h2\n\n  \na,\"x\ny\"\r\nb,c";
	ndl_csv_scanner sc;
	rows rs = {0};
	ndl_csv_scanner_init(&sc, ',', 1, 0);
	ndl_csv_scan(&sc, s, strlen(s), collect, &rs);
	ndl_csv_rowref last;
	assert_true(ndl_csv_scan_finish(&sc, strlen(s), &last));
	collect(&rs, &last);
	assert_int_equal(rs.n, 3);
	assert_int_equal(rs.v[0].line, 1);
	assert_int_equal(rs.v[1].line, 4);
	assert_int_equal(rs.v[1].start, 10);
	assert_int_equal(rs.v[2].line, 6);
	assert_false(rs.v[2].unterminated);
}

/* Line breaks as spreadsheets write them: LF, CR LF and a lone CR (the
 * "CSV (Macintosh)" of old), in quoted cells too, and a CR LF split
 * between two reads still one break. */
static void test_cr_lines(void **state)
{
	(void)state;
	const char *s = "h1,h2\ra,\"x\ry\r\nz\"\r\nb,c\r\rd,e\n";
	for (size_t cut = 0; cut <= strlen(s); cut++) {
		ndl_csv_scanner sc;
		rows rs = {0};
		ndl_csv_scanner_init(&sc, ',', 1, 0);
		ndl_csv_scan(&sc, s, cut, collect, &rs);
		ndl_csv_scan(&sc, s, strlen(s), collect, &rs);
		assert_int_equal(rs.n, 4);
		assert_int_equal(rs.v[0].line, 1);
		assert_int_equal(rs.v[1].line, 2);
		assert_int_equal(rs.v[2].line, 5);
		assert_int_equal(rs.v[3].line, 7);
	}
	/* positions inside a row count the same breaks */
	unsigned long line = 2;
	unsigned col = 1;
	const char *row = "a,\"x\ry\r\nz\u00e9\"";
	ndl_csv_advance(row, 0, 6, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 2);
	ndl_csv_advance(row, 6, 8, &line, &col); /* "\r" "\n": one break */
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	ndl_csv_advance(row, 8, strlen(row), &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 4);
}

/* A span counted at once (sixteen or eight bytes at a time where it
 * can) moves as far as the same span a byte at a time: text of letters,
 * UTF-8 of two, three and four bytes, Windows-1252 bytes, and every line
 * break, at every alignment; in half the rounds breaks are rare, so that
 * long runs without one are counted at once. */
static void test_advance_spans(void **state)
{
	(void)state;
	static const char *const parts[] = {"Aqua", " ", "\xc3\xa9", "\xe2\x80\x99",
					    "\xf0\x9f\x8c\xbf", ",", "\"", "Glycerin",
					    "R\xe9tinol", "\xc0", /* Windows-1252 */
					    "\r\n", "\n", "\r"};
	const unsigned nparts = sizeof(parts) / sizeof(parts[0]);
	char buf[256];
	unsigned seed = 1;
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		while (n < 200) {
			seed = seed * 1103515245u + 12345u;
			unsigned k = (seed >> 16) % nparts;
			if (round % 2 && k >= nparts - 3 && (seed >> 8) % 8)
				k = 0;
			memcpy(buf + n, parts[k], strlen(parts[k]));
			n += strlen(parts[k]);
		}
		size_t from = (seed >> 8) % 40, to = from + (seed >> 4) % (n - from);
		unsigned long line_a = 1, line_b = 1;
		unsigned col_a = 1, col_b = 1;
		ndl_csv_advance(buf, from, to, &line_a, &col_a);
		for (size_t i = from; i < to; i++)
			ndl_csv_advance(buf, i, i + 1, &line_b, &col_b);
		assert_int_equal(line_a, line_b);
		assert_int_equal(col_a, col_b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agrees_with_libcsv),
		cmocka_unit_test(test_raw_offsets),
		cmocka_unit_test(test_row_spans),
		cmocka_unit_test(test_split_agrees),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_cr_lines),
		cmocka_unit_test(test_advance_spans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
