/* The program's pool of workers over the pulled CSV reader: whatever the
 * threads and the block size, the records come out in input order, the
 * same as read row by row, each product checked once; a stop asked by
 * the writer stops the reading. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "cli/pool.h"
#include "needlecheck_input.h"

#define ROWS 400

/* A catalogue of ROWS products, some of them rows that cannot be read
 * (too few cells, a quote never closed at the end) or with invalid
 * UTF-8; a file descriptor of it. */
static int catalogue(void)
{
	static const char *const lists[] = {
		"Aqua, Glycerin, Retinol",
		"\"Aqua, Parfum, Niacinamide\"",
		"Water, Salicylic Acid, Glycolic Acid",
		"Aqua, Hyaluronic Acid",
		"\"Aqua, \"\"Tocopherol\"\", Linalool\"",
		"Aqua, Caf\xe9ine", /* Windows-1252 */
	};
	char path[] = "/tmp/test_pool-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	FILE *f = fdopen(dup(fd), "w");
	assert_non_null(f);
	fputs("id,name,ingredients\n", f);
	for (int i = 0; i < ROWS - 1; i++) {
		if (i % 37 == 5)
			fprintf(f, "%d,short row\n", i);
		else
			fprintf(f, "%d,Product %d,%s\n", i, i, lists[i % 6]);
	}
	fputs("last,Open,\"Aqua, Retinol\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

typedef struct sink {
	ndl_buf out, warnings;
	unsigned long blocks, stop_after;
	unsigned long readable; /* rows without an error */
} sink;

static void write_row(ndl_checker *c, const ndl_csv_row *row, ndl_buf *out)
{
	const ndl_result *res = ndl_check(c, &row->product);
	assert_non_null(res);
	ndl_record rec = {.source = "t.csv", .row = row->row, .line = row->line,
			  .name = row->product.name, .name_len = row->product.name_len,
			  .id = row->id, .id_len = row->id_len, .error = row->error,
			  .when = ndl_when_day(3)};
	ndl_write_options wo = {.when = rec.when};
	ndl_record_writer_find("ndjson")->record(out, &wo, &rec, res);
}

static void on_row(void *ctx, ndl_checker *c, const ndl_csv_row *row,
		   ndl_buf *out, void *block_data)
{
	(void)ctx;
	++*(unsigned long *)block_data;
	write_row(c, row, out);
}

static int on_emit(void *ctx, const ndl_buf *out, const ndl_buf *warnings,
		   void *block_data)
{
	sink *s = ctx;
	assert_true(*(unsigned long *)block_data > 0);
	ndl_buf_append(&s->out, out->data, out->len);
	ndl_buf_append(&s->warnings, warnings->data, warnings->len);
	return ++s->blocks == s->stop_after;
}

/* The catalogue row by row, with one checker. */
static void read_by_rows(sink *s)
{
	int fd = catalogue();
	ndl_error err;
	ndl_csv_reader *rd = ndl_csv_open(lex, fd, "t.csv", NULL, &err);
	assert_non_null(rd);
	ndl_csv_row row;
	int rc;
	while ((rc = ndl_csv_next(rd, &row, &err)) == 1) {
		write_row(chk, &row, &s->out);
		s->readable += row.error == NULL;
		ndl_buf_append(&s->warnings, row.warnings, row.warnings_len);
	}
	assert_int_equal(rc, 0);
	ndl_csv_close(rd);
	close(fd);
}

/* The catalogue through a pool of jobs workers; pool_run's result. */
static int read_by_pool(unsigned jobs, size_t block_bytes, sink *s,
			unsigned long *checks)
{
	pool *p = pool_new(lex, jobs);
	assert_non_null(p);
	int fd = catalogue();
	ndl_csv_options opt = {.block_bytes = block_bytes};
	ndl_error err;
	ndl_csv_reader *rd = ndl_csv_open(lex, fd, "t.csv", &opt, &err);
	assert_non_null(rd);
	pool_ops ops = {.ctx = s, .block_data_size = sizeof(unsigned long),
			.row = on_row, .emit = on_emit};
	int rc = pool_run(p, rd, "t.csv", &ops, &err);
	if (rc != 0)
		assert_string_equal(err.message, "stopped");
	*checks = pool_checks(p);
	ndl_csv_close(rd);
	close(fd);
	pool_free(p);
	return rc;
}

/* A delimiter that would be read as a quote or a row's end is refused. */
static void test_bad_delimiter(void **state)
{
	(void)state;
	for (const char *d = "\"\r\n"; *d; d++) {
		int fd = catalogue();
		ndl_csv_options opt = {.delimiter = *d};
		ndl_error err = {0};
		assert_null(ndl_csv_open(lex, fd, "t.csv", &opt, &err));
		assert_non_null(strstr(err.message, "cannot be the delimiter"));
		close(fd);
	}
}

static void test_in_order_once_each(void **state)
{
	(void)state;
	sink want = {0};
	read_by_rows(&want);
	unsigned long records = 0;
	for (size_t i = 0; i < want.out.len; i++)
		records += want.out.data[i] == '\n';
	assert_int_equal(records, ROWS);
	assert_int_equal(want.readable, ROWS - 12);
	assert_non_null(memmem(want.warnings.data, want.warnings.len,
			       "a quoted cell is never closed", 29));
	assert_non_null(memmem(want.warnings.data, want.warnings.len,
			       "read as Windows-1252", 20));
	static const unsigned jobs[] = {1, 2, 3};
	static const size_t blocks[] = {64, 1000, 0};
	for (size_t j = 0; j < 3; j++)
		for (size_t b = 0; b < 3; b++) {
			sink got = {0};
			unsigned long checks;
			assert_int_equal(read_by_pool(jobs[j], blocks[b], &got, &checks), 0);
			assert_int_equal(got.out.len, want.out.len);
			assert_memory_equal(got.out.data, want.out.data, want.out.len);
			assert_int_equal(got.warnings.len, want.warnings.len);
			assert_memory_equal(got.warnings.data, want.warnings.data,
					    want.warnings.len);
			/* one check a product that could be read */
			assert_int_equal(checks, want.readable);
			ndl_buf_free(&got.out);
			ndl_buf_free(&got.warnings);
		}
	ndl_buf_free(&want.out);
	ndl_buf_free(&want.warnings);
}

static void test_stop(void **state)
{
	(void)state;
	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		sink got = {.stop_after = 2};
		unsigned long checks;
		assert_int_equal(read_by_pool(jobs, 64, &got, &checks), -1);
		assert_int_equal(got.blocks, 2);
		assert_true(checks < ROWS);
		ndl_buf_free(&got.out);
		ndl_buf_free(&got.warnings);
	}
}

/* The rows of UTF-16 text u16 (n bytes) read in blocks of bytes, one
 * after another into out. */
static void read_utf16(const unsigned char *u16, size_t n, size_t bytes,
		       ndl_buf *out)
{
	char path[] = "/tmp/test_pool-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, u16, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	ndl_csv_options opt = {.block_bytes = bytes};
	ndl_error err;
	ndl_csv_reader *rd = ndl_csv_open(lex, fd, "t.csv", &opt, &err);
	ndl_csv_row row;
	while (rd && ndl_csv_next(rd, &row, &err) == 1) {
		ndl_buf_append(out, row.product.text, row.product.len);
		ndl_buf_puts(out, "\n");
	}
	if (rd == NULL) { /* refused: what it says */
		char msg[512];
		ndl_error_format(&err, msg, sizeof(msg));
		ndl_buf_puts(out, msg);
	}
	ndl_csv_close(rd);
	close(fd);
}

/* UTF-16 with a byte-order mark, read in blocks of every size from 1
 * to 300 bytes, reads as the whole file does: a character cut between
 * two reads, a surrogate pair cut anywhere in its four bytes, lone
 * high surrogates (broken UTF-16, read as U+FFFD) one after another. */
static void test_utf16_cut_anywhere(void **state)
{
	(void)state;
	static const uint16_t units[] = {
		'i', 'n', 'g', 'r', 'e', 'd', 'i', 'e', 'n', 't', 's', '\n',
		'"', 'A', 'q', 'u', 'a', ' ', 0xD83C, 0xDF3F, ',', ' ', 'R', 'e',
		't', 'i', 'n', 'o', 'l', '"', '\n', 0xD83C, 0xDF3F, 0xD83C, 0xDF3F,
		' ', 'G', 'l', 'y', 'c', 'e', 'r', 'i', 'n', '\n', 'A', 'q', 'u',
		'a', ' ', 0xD8D8, 0xD8D8, 0xD8D8, 0xD8D8, 0xD8D8, 0xD8D8, 0xD8D8,
		',', ' ', 'A', 'l', 'l', 'a', 'n', 't', 'o', 'i', 'n', '\n'};
	unsigned char u16[2 + 2 * sizeof(units) / sizeof(units[0])];
	size_t n = 0;
	u16[n++] = 0xFE;
	u16[n++] = 0xFF;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		u16[n++] = (unsigned char)(units[i] >> 8);
		u16[n++] = (unsigned char)units[i];
	}
	ndl_buf whole = {0};
	read_utf16(u16, n, 65536, &whole);
	assert_non_null(memmem(whole.data, whole.len, "\xF0\x9F\x8C\xBF, Retinol", 13));
	assert_non_null(memmem(whole.data, whole.len, "\xEF\xBF\xBD\xEF\xBF\xBD", 6));
	for (size_t bytes = 1; bytes <= 300; bytes++) {
		ndl_buf part = {0};
		read_utf16(u16, n, bytes, &part);
		if (part.len != whole.len || memcmp(part.data, whole.data, whole.len) != 0)
			fail_msg("blocks of %zu bytes read '%.*s'", bytes, (int)part.len,
				 part.data);
		ndl_buf_free(&part);
	}
	ndl_buf_free(&whole);
	/* broken UTF-16 the fuzzer found: a high surrogate still cut short
	 * when the next read brings fewer than four bytes */
	static const unsigned char found[] = {
		0xfe, 0xff, 0xff, 0xff, 0x6e, 0xd8, 0x7e, 0xd8, 0x58, 0xd8, 0xd8, 0xd8,
		0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xfd, 0xfd,
		0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd,
		0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd,
		0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd,
		0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd,
		0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd,
		0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd, 0xfd,
		0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8,
		0x44, 0xd8, 0x61, 0x31, 0x27, 0x27, 0x27, 0x27, 0x27, 0x27, 0x07, 0xd8,
		0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8,
		0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0xd8, 0x61, 0x6d, 0xd8,
		0x7e, 0xd8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6d, 0x65, 0x00, 0xff,
		0xff, 0x55, 0x40, 0x93, 0x9c, 0x26, 0xbc, 0x00, 0x65, 0x6c, 0x74, 0x33,
		0x73, 0x0a
	};
	whole = (ndl_buf){0};
	read_utf16(found, sizeof(found), 65536, &whole);
	for (size_t bytes = 1; bytes <= 300; bytes++) {
		ndl_buf part = {0};
		read_utf16(found, sizeof(found), bytes, &part);
		if (part.len != whole.len || memcmp(part.data, whole.data, whole.len) != 0)
			fail_msg("found input, blocks of %zu bytes: %zu bytes read, %zu whole",
				 bytes, part.len, whole.len);
		ndl_buf_free(&part);
	}
	ndl_buf_free(&whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf16_cut_anywhere),
		cmocka_unit_test(test_bad_delimiter),
		cmocka_unit_test(test_in_order_once_each),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
