/* Normalisation of names, UTF-8 handling, and the formatting of
 * messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "needlecheck.h"
#include "base/text.h"
#include "base/util.h"

static void norm_is(const char *in, const char *want)
{
	char out[256];
	ndl_normalize(in, strlen(in), out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_normalize(void **state)
{
	(void)state;
	norm_is("Retinyl Palmitate", "retinyl palmitate");
	norm_is("  RETINOL  ", "retinol");
	norm_is("\xef\xbc\xb2\xef\xbc\xa5\xef\xbc\xb4\xef\xbc\xa9\xef\xbc\xae"
		"\xef\xbc\xaf\xef\xbc\xac", "retinol");           /* fullwidth */
	norm_is("Cr\xc3\xa8me", "creme");                   /* accents */
	norm_is("Ingr\xc3\xa9" "dients", "ingredients");
	norm_is("Simmondsia\xc2\xa0" "Chinensis", "simmondsia chinensis"); /* NBSP */
	norm_is("Water\t \t(Aqua)", "water aqua");
	norm_is("Protini\xe2\x84\xa2 Polypeptide\xc2\xae", "protini polypeptide");
	norm_is("1,2-Hexanediol", "1 2 hexanediol");
	norm_is("Alcohol Denat.", "alcohol denat");
	norm_is("\xef\xac\x81ne", "fine");                  /* ligature */
	norm_is("", "");
	norm_is("---", "");
}

static void test_colour_index(void **state)
{
	(void)state;
	norm_is("CI 77891", "ci 77891");
	norm_is("Cl 77891", "ci 77891"); /* lower-case L */
	norm_is("cl 19140", "ci 19140");
	norm_is("C1 77491", "ci 77491");
	norm_is("ci77891", "ci 77891");
	norm_is("CI. 77891", "ci 77891");
	norm_is("Iron Oxides (Cl 77491)", "iron oxides ci 77491");
	norm_is("ci7789", "ci7789");          /* truncated: left alone */
	norm_is("Clay 77891", "clay 77891"); /* not a colour index */
}

static void test_ocr_hyphen(void **state)
{
	(void)state;
	norm_is("Penty- lene Glycol", "pentylene glycol");
	norm_is("Ascorbyl Glu- coside", "ascorbyl glucoside");
	norm_is("Penty-\nlene Glycol", "pentylene glycol");
	norm_is("PEG- 100 Stearate", "peg 100 stearate"); /* a digit follows */
	norm_is("Alpha- Arbutin", "alpha arbutin");       /* capital follows */
}

static void test_compact(void **state)
{
	(void)state;
	char s[] = "sodium hyaluronate";
	assert_int_equal(ndl_compact(s, strlen(s)), 17);
	assert_string_equal(s, "sodiumhyaluronate");
}

static void test_utf8(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(ndl_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(ndl_utf8_decode("\xc0\xaf", 2, &cp), 1); /* overlong */
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(ndl_utf8_decode("\xed\xa0\x80", 3, &cp), 1); /* surrogate */
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(ndl_utf8_decode("\xe2\x82", 2, &cp), 1); /* truncated */
	assert_int_equal(ndl_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 1); /* > U+10FFFF */
	assert_int_equal(ndl_utf8_invalid_at("ab\xc3\xa9" "c\xff", 6), 5);
	assert_int_equal(ndl_utf8_invalid_at("abc", 3), 3);
	assert_int_equal(ndl_utf8_count("a\xc3\xa9\xe2\x80\xa2", 6), 3);
}

static void test_decode(void **state)
{
	(void)state;
	char *out;
	size_t len, at;
	/* valid UTF-8: nothing to do */
	assert_int_equal(ndl_decode("R\xc3\xa9tinol", 8, &out, &len, &at), NDL_ENC_UTF8);
	assert_null(out);
	assert_int_equal(at, 8);
	/* Windows-1252, with UTF-8 around it kept */
	assert_int_equal(ndl_decode("R\xe9tinol \x96 \xc3\xa9", 13, &out, &len, &at),
			 NDL_ENC_CP1252);
	assert_int_equal(at, 1);
	assert_string_equal(out, "R\xc3\xa9tinol \xe2\x80\x93 \xc3\xa9");
	free(out);
	/* 0x81 is no Windows-1252 character: left for U+FFFD */
	assert_int_equal(ndl_decode("Gly\x81\xe9", 5, &out, &len, &at), NDL_ENC_UTF8);
	assert_null(out);
	assert_int_equal(at, 3);
	/* UTF-16, both byte orders, a surrogate pair and a lone one */
	assert_int_equal(ndl_decode("\xff\xfeR\0\xe9\0=\xd8\x00\xde", 10, &out, &len, &at),
			 NDL_ENC_UTF16LE);
	assert_string_equal(out, "R\xc3\xa9\xf0\x9f\x98\x80");
	free(out);
	assert_int_equal(ndl_decode("\xfe\xff\0R\xd8\x3d\0a\0", 9, &out, &len, &at),
			 NDL_ENC_UTF16BE);
	assert_string_equal(out, "R\xef\xbf\xbd" "a\xef\xbf\xbd");
	free(out);
	/* a character cut between two reads waits for the rest */
	size_t used;
	char buf[32];
	assert_int_equal(ndl_utf16_to_utf8((const unsigned char *)"a\0=\xd8", 4, 0, 0,
					   buf, &used), 1);
	assert_int_equal(used, 2);
}

/* A writer's replacements: tabs and é kept, the rest named. */
static const char *bracketed(uint32_t cp, int invalid)
{
	static char named[16];
	if (invalid)
		return "[bad]";
	if (cp == '\t' || cp == 0xE9)
		return NULL;
	snprintf(named, sizeof(named), "[%x]", (unsigned)cp);
	return named;
}

/* Every byte that needs a look, at every place in plain text of every
 * length up to three words of eight bytes: the escape reads eight plain
 * bytes at a time, and none may hide one. */
static void test_escape(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} odd[] = {{"\"", "[22]"},  {"&", "[26]"},	{"\x7f", "[7f]"},
		   {"\x1f", "[1f]"}, {"\t", "\t"},	{"\xc3\xa9", "\xc3\xa9"},
		   {"\xff", "[bad]"}, {"\xe2\x80\xae", "[202e]"}, {"~", "~"}};
	char in[64], want[64];
	for (size_t len = 0; len < 24; len++)
		for (size_t at = 0; at <= len; at++)
			for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
				snprintf(in, sizeof(in), "%.*s%s%.*s", (int)at,
					 "abcdefghijklmnopqrstuvwx", odd[k].in,
					 (int)(len - at), "ABCDEFGHIJKLMNOPQRSTUVWX");
				snprintf(want, sizeof(want), "%.*s%s%.*s", (int)at,
					 "abcdefghijklmnopqrstuvwx", odd[k].out,
					 (int)(len - at), "ABCDEFGHIJKLMNOPQRSTUVWX");
				ndl_buf b = {0};
				ndl_escape(&b, in, strlen(in), "\"&", bracketed);
				assert_string_equal(ndl_buf_cstr(&b), want);
				ndl_buf_free(&b);
			}
}

/* ndl_vformat against vsnprintf, for every room from none to enough. */
static void format_is(const char *fmt, ...)
{
	char want[200], got[200];
	for (size_t cap = 0; cap < 80; cap++) {
		va_list a, b;
		va_start(a, fmt);
		int n = vsnprintf(want, cap, fmt, a);
		va_end(a);
		memset(got, 'x', sizeof(got));
		va_start(b, fmt);
		size_t m = ndl_vformat(got, cap, fmt, b);
		va_end(b);
		if (cap == 0) {
			assert_int_equal(m, 0);
			assert_int_equal(got[0], 'x'); /* nothing written */
			continue;
		}
		assert_string_equal(got, want);
		assert_int_equal(m, (size_t)n < cap ? (size_t)n : cap - 1);
	}
}

static void test_format(void **state)
{
	(void)state;
	format_is("plain text, no conversion");
	format_is("");
	format_is("%s", "");
	format_is("listed %u%s of %u%s, in the first %s", 12u, "th", 40u,
		  " (of those not dosed)", "third");
	format_is("%s: caution at most", "a pH adjuster");
	format_is("%u%u%u|%zu|%zu", 0u, 7u, 4294967295u, (size_t)0,
		  (size_t)1234567890123u);
	format_is("listed next to %.8s: likely %s", "Phenoxyethanol", "a trace");
	format_is("%.0s|%.3s|%.30s|%.12s", "gone", "ab", "long enough to be cut short",
		  "exactly12xyz");
	format_is("100%% of %u%%", 3u);
	format_is("%%s%%u is no conversion");
	/* conversions it leaves to vsnprintf */
	format_is("a sunscreen (SPF %g%s)", 30.0, " in the name");
	format_is("%d and %5s and %-3u", -4, "ab", 7u);
	format_is("%.*s!", 3, "abcdef");
	format_is("%lu, %x", 99ul, 255u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_colour_index),
		cmocka_unit_test(test_ocr_hyphen),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
