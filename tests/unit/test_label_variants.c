/* A property of the whole check: for every name of a class with an avoid
 * window, the ways real labels print a list — other separators, a comma
 * lost on either side, "and" before the last name, upper or lower case,
 * Windows-1252 bytes — at the start, middle or end of a list, are never
 * "safe" on day 0. Names whose class or entry counts only in some
 * products (makeup, a scrub, the first half of a list) are left out: a
 * plain list is not such a product. The filler names are drawn with a
 * fixed seed, so a failure is the same on every run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knowledge/lexicon.h"
#include "helpers.h"

#define LIST_MAX 1024

static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static unsigned next_random(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33) % n;
}

/* Ordinary names of no class, printed around the name under test. */
static const char *const fillers[] = {
	"Aqua", "Glycerin", "Butylene Glycol", "Caprylyl Glycol", "Carbomer",
	"Propanediol", "Dimethicone", "Sodium Hydroxide", "Xanthan Gum",
	"Phenoxyethanol"};

/* How the list is printed. */
typedef enum {
	V_COMMAS, V_SEMICOLONS, V_PIPES, V_BULLETS, V_LINES, V_DASHES,
	V_BRACKET_BULLETS, V_TABS, V_GLUED_BEFORE, V_GLUED_AFTER, V_AND_LAST,
	V_UPPER, V_LOWER, V_WINDOWS_1252, V_COUNT
} variant;

static const char *const variant_names[] = {
	"commas", "semicolons", "pipes", "bullets", "one per line", "dashes",
	"[] bullets", "tabs", "comma lost before it", "comma lost after it",
	"'and' before the last name", "upper case", "lower case",
	"Windows-1252 bytes"};

static const char *separator(variant v)
{
	switch (v) {
	case V_SEMICOLONS: return "; ";
	case V_PIPES: return " | ";
	case V_BULLETS: return " \xe2\x80\xa2 ";
	case V_LINES: return "\n";
	case V_DASHES: return " - ";
	case V_BRACKET_BULLETS: return " []";
	case V_TABS: return "\t";
	default: return ", ";
	}
}

static void append(char *out, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n < LIST_MAX) {
		memcpy(out + *len, s, n);
		*len += n;
	}
	out[*len] = '\0';
}

/* The Windows-1252 byte of code point cp, or 0 if it has none (ASCII and
 * Latin-1 are themselves; the few other letters a name may hold are
 * listed). */
static unsigned char windows_1252(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		unsigned char b;
	} extra[] = {{0x2013, 0x96}, {0x2014, 0x97}, {0x2019, 0x92},
		     {0x0153, 0x9C}, {0x0152, 0x8C}, {0x2122, 0x99}};
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (unsigned char)cp;
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (extra[i].cp == cp)
			return extra[i].b;
	return 0;
}

/* The list in Windows-1252 with its e's as é (a French label), decoded as
 * the readers do; 0 when the list has a character Windows-1252 lacks. */
static int to_windows_1252(char *list)
{
	char bytes[LIST_MAX];
	size_t n = 0;
	for (size_t i = 0; list[i];) {
		uint32_t cp;
		unsigned char c = (unsigned char)list[i];
		size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		cp = k == 1 ? c
		     : k == 2 ? (uint32_t)(c & 0x1F) << 6 | (list[i + 1] & 0x3F)
		     : k == 3 ? (uint32_t)(c & 0x0F) << 12 |
					(uint32_t)(list[i + 1] & 0x3F) << 6 | (list[i + 2] & 0x3F)
			      : 0;
		unsigned char b = cp == 'e' ? 0xE9 : windows_1252(cp);
		if (b == 0)
			return 0;
		bytes[n++] = (char)b;
		i += k;
	}
	char *dec;
	size_t dlen, at;
	if (ndl_decode(bytes, n, &dec, &dlen, &at) == NDL_ENC_UTF8) {
		list[n] = '\0';
		memcpy(list, bytes, n); /* ASCII, no e: the same bytes */
		return 1;
	}
	assert_non_null(dec);
	snprintf(list, LIST_MAX, "%s", dec);
	free(dec);
	return 1;
}

/* Builds the list: name at place `at` (0 first, 1 middle, 2 last) among
 * five fillers, printed as v. Returns 0 when v does not apply. */
static int build(char *out, const char *name, int at, variant v)
{
	const char *items[6];
	size_t used = 0, n = 0, place = at == 0 ? 0 : at == 1 ? 2 : 5;
	for (size_t i = 0; i < 6; i++) {
		if (i == place) {
			items[i] = name;
			continue;
		}
		const char *f;
		int again;
		do { /* five different fillers */
			f = fillers[next_random(sizeof(fillers) / sizeof(fillers[0]))];
			again = 0;
			for (size_t j = 0; j < i; j++)
				again |= j != place && strcmp(items[j], f) == 0;
		} while (again);
		items[i] = f;
	}
	if ((v == V_GLUED_BEFORE && place == 0) || (v == V_GLUED_AFTER && place == 5) ||
	    (v == V_AND_LAST && place != 5))
		return 0;
	out[0] = '\0';
	if (v == V_BRACKET_BULLETS)
		append(out, &n, "[]");
	for (size_t i = 0; i < 6; i++) {
		if (i > 0) {
			int glued = (v == V_GLUED_BEFORE && i == place) ||
				    (v == V_GLUED_AFTER && i == place + 1);
			append(out, &n, glued ? " " : separator(v));
			if (v == V_AND_LAST && i == 5)
				append(out, &n, "and ");
		}
		append(out, &n, items[i]);
	}
	(void)used;
	if (v == V_UPPER || v == V_LOWER)
		for (char *p = out; *p; p++)
			if ((unsigned char)*p < 0x80)
				*p = (char)(v == V_UPPER ? (*p >= 'a' && *p <= 'z' ? *p - 32 : *p)
							 : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	if (v == V_WINDOWS_1252)
		return to_windows_1252(out);
	return 1;
}

/* Does the entry count in any plain list (no product kind, any place)? */
static int counts_anywhere(const ndl_entry *e)
{
	const ndl_class *c = &lex->classes[e->cls];
	return c->role == NDL_ROLE_CLASS && c->window.avoid_h != NDL_NO_WINDOW &&
	       c->applies == NDL_NO_KIND && e->only_in == 0 && e->only_first == 0 &&
	       e->not_in == 0;
}

static void test_never_safe(void **state)
{
	(void)state;
	size_t names = 0, lists = 0, failures = 0;
	char list[LIST_MAX];
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = ndl_entry_at(lex, i);
		if (!counts_anywhere(e))
			continue;
		for (size_t k = 0; k < e->nnames; k++) {
			names++;
			for (int at = 0; at < 3; at++)
				for (int v = 0; v < V_COUNT; v++) {
					if (!build(list, e->names[k], at, (variant)v))
						continue;
					ndl_product p = {.text = list, .len = strlen(list)};
					const ndl_result *r = check_product(chk, &p, ndl_when_day(0));
					assert_non_null(r);
					lists++;
					if (verdict(r) != NDL_VERDICT_SAFE)
						continue;
					if (failures++ < 20)
						print_error("safe on day 0 (%s, %s): %s\n",
							    e->name, variant_names[v], list);
				}
		}
	}
	print_message("%zu names of avoid classes, %zu lists, %zu safe\n", names,
		      lists, failures);
	assert_true(names > 500);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_safe),
	};
	return cmocka_run_group_tests(tests, open_checker, close_checker);
}
