/* Loading lexicon and protocol files: what works, and the located error
 * every kind of mistake gets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/text.h"
#include "knowledge/lexicon.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ndl-lexicon-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Loads the embedded lexicon plus dir, expecting the error message
 * (formatted "file:line:col: error: …") to contain want. */
static void expect_error(const char *file, const char *text, const char *want)
{
	write_file(file, text);
	ndl_config cfg = {.lexicon_dir = dir};
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(&cfg, &err);
	char msg[1024];
	ndl_error_format(&err, msg, sizeof(msg));
	if (lex != NULL || strstr(msg, want) == NULL)
		fail_msg("want an error containing '%s', got '%s'", want,
			 lex ? "(loaded)" : msg);
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	unlink(path);
}

/* lex written as C (a built-in image), in a malloc'd string. */
static char *as_c(const ndl_lexicon *lex)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	ndl_error err = {0};
	assert_int_equal(ndl_lexicon_write_c(lex, f, &err), 0);
	fclose(f);
	return text;
}

/* a and b have the same patterns, compiled to the same code, run as
 * machine code or not as jit says. */
static void same_patterns(const ndl_lexicon *a, const ndl_lexicon *b, int jit)
{
	assert_true(a->npatterns > 0);
	assert_int_equal(a->npatterns, b->npatterns);
	for (size_t i = 0; i < a->npatterns; i++) {
		size_t n1 = 0, n2 = 0;
		assert_non_null(a->patterns[i].code);
		assert_string_equal(a->patterns[i].src, b->patterns[i].src);
		pcre2_pattern_info(a->patterns[i].code, PCRE2_INFO_SIZE, &n1);
		pcre2_pattern_info(b->patterns[i].code, PCRE2_INFO_SIZE, &n2);
		assert_int_equal(n1, n2);
		assert_int_equal(a->patterns[i].jit, jit);
	}
}

/* fast (an image's) and slow (loaded), written as C, are the same ... */
static void same_lexicon(const ndl_lexicon *fast, const ndl_lexicon *slow)
{
	/* the text but the patterns' code (whose flags say decoded) ... */
	char *a = as_c(fast), *b = as_c(slow);
	char *ca = strstr(a, "static const unsigned char B[]");
	char *cb = strstr(b, "static const unsigned char B[]");
	assert_non_null(ca);
	assert_non_null(cb);
	*ca = *cb = '\0';
	assert_string_equal(a, b);
	assert_string_equal(strstr(ca + 1, "static const ndl_lexicon L"),
			    strstr(cb + 1, "static const ndl_lexicon L"));
	free(a);
	free(b);
	same_patterns(fast, slow, 1); /* ... which is the same code */
}

/* The built-in lexicon opened as the program does (its image), and the
 * embedded files loaded as a lexicon directory would be. */
static void open_both(ndl_lexicon **fast, ndl_lexicon **slow)
{
	ndl_error err = {0};
	*fast = ndl_lexicon_open(NULL, &err);
	*slow = ndl_lexicon_load(NULL, NULL, NULL, 0, &err);
	assert_non_null(*fast);
	assert_non_null(*slow);
}

/* The built-in image is what loading the embedded files gives: the same
 * classes, entries, indexes and patterns, written the same way. */
static void test_builtin_image(void **state)
{
	(void)state;
	ndl_lexicon *fast, *slow;
	open_both(&fast, &slow);
	assert_ptr_equal(fast->image, &ndl_builtin_image);
	assert_null(slow->image);
	same_lexicon(fast, slow);
	ndl_lexicon_free(slow);
	ndl_lexicon_free(fast);
}

/* An image's entries are made when first read, each once and from
 * several threads alike; opening it makes none. */
static const ndl_lexicon *shared;

static void *read_all(void *arg)
{
	(void)arg;
	for (size_t i = 0; i < shared->nentries; i++)
		if (ndl_entry_at(shared, i)->name == NULL)
			return NULL;
	return (void *)1;
}

static void test_image_entries_on_first_read(void **state)
{
	(void)state;
	ndl_lexicon *fast, *slow;
	open_both(&fast, &slow);
	assert_non_null(fast->entry_made);
	for (size_t i = 0; i < fast->nentries; i++)
		assert_null(atomic_load(&fast->entry_made[i]));
	size_t last = fast->nentries - 1;
	const ndl_entry *e = ndl_entry_at(fast, last);
	assert_ptr_equal(ndl_entry_at(fast, last), e);
	assert_string_equal(e->name, ndl_entry_at(slow, last)->name);
	assert_null(atomic_load(&fast->entry_made[0]));
	shared = fast;
	pthread_t t[4];
	for (int k = 0; k < 4; k++)
		assert_int_equal(pthread_create(&t[k], NULL, read_all, NULL), 0);
	for (int k = 0; k < 4; k++) {
		void *ok = NULL;
		assert_int_equal(pthread_join(t[k], &ok), 0);
		assert_non_null(ok);
	}
	for (size_t i = 0; i < fast->nentries; i++) {
		const ndl_entry *a = ndl_entry_at(fast, i), *b = ndl_entry_at(slow, i);
		assert_int_equal(a->cls, b->cls);
		assert_int_equal(a->nnames, b->nnames);
		for (size_t k = 0; k < a->nnames; k++)
			assert_string_equal(a->names[k], b->names[k]);
	}
	assert_ptr_equal(ndl_entry_at(fast, last), e); /* made once */
	ndl_lexicon_free(slow);
	ndl_lexicon_free(fast);
}

/* A pattern is interpreted for its first runs, then run from one copy
 * compiled to machine code, unless no_jit. */
static void test_pattern_jit_after_runs(void **state)
{
	(void)state;
	for (int no_jit = 0; no_jit <= 1; no_jit++) {
		ndl_error err = {0};
		ndl_config cfg = {.no_jit = no_jit};
		ndl_lexicon *l = ndl_lexicon_open(&cfg, &err);
		assert_non_null(l);
		assert_true(l->npatterns > 0);
		for (int k = 0; k < NDL_JIT_AFTER; k++)
			assert_ptr_equal(ndl_pattern_code(l, 0), l->patterns[0].code);
		const pcre2_code *c = ndl_pattern_code(l, 0);
		if (no_jit) {
			assert_ptr_equal(c, l->patterns[0].code);
			assert_null(atomic_load(&l->patterns[0].jitted));
		} else {
			assert_ptr_not_equal(c, l->patterns[0].code);
			assert_ptr_equal(ndl_pattern_code(l, 0), c);
		}
		ndl_lexicon_free(l);
	}
}

/* Patterns of an image this PCRE2 cannot read (another version's) are
 * compiled from their source, to the same code; no_jit holds. */
static void test_image_code_unreadable(void **state)
{
	(void)state;
	ndl_lexicon_image img = ndl_builtin_image;
	unsigned char *bad = malloc(img.code_len);
	assert_non_null(bad);
	memcpy(bad, img.code, img.code_len);
	bad[4] ^= 0xff; /* the version PCRE2 wrote */
	img.code = bad;
	ndl_error err = {0};
	ndl_config cfg = {.no_jit = 1};
	ndl_lexicon *lex = ndl_lexicon_from_image(&img, &cfg, &err);
	ndl_lexicon *slow = ndl_lexicon_load(NULL, NULL, NULL, 0, &err);
	assert_non_null(lex);
	assert_non_null(slow);
	same_patterns(lex, slow, 0);
	ndl_lexicon_free(slow);
	ndl_lexicon_free(lex);
	free(bad);
}

/* A lexicon directory, a protocol or known-name file: loaded, not the
 * image. */
static void test_user_lexicon_loaded(void **state)
{
	(void)state;
	ndl_config cfg = {.lexicon_dir = dir};
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(&cfg, &err);
	assert_non_null(lex);
	assert_null(lex->image);
	ndl_lexicon_free(lex);
}

/* expect_error with the embedded file changed at its first old: the
 * error is at column col of the line where new_ begins. */
static void expect_error_in(const char *file, const char *old, const char *new_,
			    unsigned col, const char *want)
{
	const ndl_embedded_file *f = ndl_embedded_find(file);
	assert_non_null(f);
	char *text = malloc(f->len + strlen(new_) + 1);
	assert_non_null(text);
	memcpy(text, f->data, f->len);
	text[f->len] = '\0';
	char *at = strstr(text, old);
	assert_non_null(at);
	unsigned line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	size_t tail = strlen(at + strlen(old));
	memmove(at + strlen(new_), at + strlen(old), tail + 1);
	memcpy(at, new_, strlen(new_));
	char msg[512];
	snprintf(msg, sizeof(msg), "%s:%u:%u: error: %s", file, line, col, want);
	expect_error(file, text, msg);
	free(text);
}

/* The vocabularies read as tables, and the lines the program reads by
 * their use (role:, spf:, a skin-tone pigment's CI number): a malformed
 * one is an error with its place. */
static void test_table_file_errors(void **state)
{
	(void)state;
	/* an embedded file with old made new: the error, at col of the
	 * line where new begins */
	static const struct {
		const char *file, *old, *new_;
		unsigned col;
		const char *want;
	} changed[] = {
		{"products.txt", "role: tinted", "role: tinty", 7,
		 "unknown role 'tinty' (expected makeup, tinted, sunscreen or not-makeup)"},
		{"products.txt", "role: tinted", "role: makeup", 7,
		 "role 'makeup' is already given to entry 'makeup'"},
		{"uv-filter.txt", "spf: 25", "spf: 25+", 6,
		 "spf wants a number from 1 to 100, not '25+'"},
		{"makeup.txt", "applies: makeup", "spf: 30\napplies: makeup", 6,
		 "'spf:' is for a class that applies to the kind of role sunscreen"},
		{"makeup.txt", "entry: CI 77489\n", "entry: Orange Iron Oxide\n", 1,
		 "skin-tone entry 'Orange Iron Oxide' needs its colour index"},
		{"barrier.txt", "example: ", "role: makeup\nexample: ", 7,
		 "'role:' is for the entries of products.txt, columns.txt and headers.txt"}};
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++)
		expect_error_in(changed[i].file, changed[i].old, changed[i].new_,
				changed[i].col, changed[i].want);
	expect_error("spellings.txt", "class: spellings\nentry: sulf\nexample: Zinc Sulphate\n",
		     "spellings.txt:2:1: error: 'sulf' needs the label's spelling after it");
	expect_error("spellings.txt", "class: spellings\nentry: sulf; sul ph\nexample: Zinc Sulphate\n",
		     "spellings.txt:2:1: error: spelling 'sul ph' is more than part of one word");
	expect_error("qualifiers.txt", "class: qualifiers\nentry: Organic\npattern: ^organic\n"
		     "example: Organic Shea Butter\n",
		     "qualifiers.txt:2:1: error: entry 'Organic': qualifiers is read by "
		     "names, not patterns");
	expect_error("columns.txt", "class: columns\nentry: Label\nexample: Label,Brand\n",
		     "columns.txt:2:1: error: column entry 'Label' needs a 'role:' line");
	expect_error("columns.txt", "class: columns\nentry: Label\nrole: shade\nexample: Label\n",
		     "columns.txt:3:7: error: unknown role 'shade' (expected ingredients, "
		     "name, id, spf, brand, claim, tags, allow, known-name or "
		     "ingredients-word)");
	expect_error("columns.txt", "class: columns\nentry: Clean Ingreds\n"
		     "role: ingredients-word\nexample: clean_ingreds\n",
		     "columns.txt:2:1: error: 'Clean Ingreds' is not one word of a header");
	expect_error("headers.txt", "class: headers\nentry: Ingredients\nexample: INCI: Aqua\n",
		     "headers.txt:2:1: error: header entry 'Ingredients' needs a 'role:' line");
	expect_error("headers.txt", "class: headers\nentry: Ingredients\nrole: list\n"
		     "example: INCI: Aqua\n",
		     "headers.txt:3:7: error: unknown role 'list' (expected ingredients, "
		     "active, label or drug-facts)");
	expect_error("sentence-words.txt", "class: sentence-words\nentry: the; don't\n"
		     "example: Water. Don't use the jar\n",
		     "sentence-words.txt:2:1: error: 'don't' is not one word of ASCII "
		     "letters");
}

static void test_embedded_loads(void **state)
{
	(void)state;
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(NULL, &err);
	assert_non_null(lex);
	assert_int_equal(ndl_class_count(lex), 21);
	static const char *const ids[] = {
		"retinoid", "retinoid-like", "vitamin-c", "aha", "bha", "pha",
		"exfoliant", "depigmenting", "fragrance", "essential-oil",
		"drying-alcohol", "counter-irritant", "sensitizer", "pore-clogging",
		"makeup", "nsaid", "uv-filter", "hydrating", "peptide", "barrier",
		"soothing"};
	for (size_t i = 0; i < 21; i++) {
		size_t c = ndl_class_find(lex, ids[i]);
		assert_int_not_equal(c, (size_t)-1);
		assert_true(lex->classes[c].has_window);
	}
	ndl_lexicon_free(lex);
}

static void test_class_file_errors(void **state)
{
	(void)state;
	expect_error("x.txt", "title: no class first\n",
		     "x.txt:1:1: error: the file must start with 'class: <id>'");
	expect_error("x.txt", "class: x1\nentry: Foo\nexample: Foo\nfrobnicate: 1\n",
		     "x.txt:4:1: error: unknown key 'frobnicate'");
	expect_error("x.txt", "class: x1\n  this is not a key\n",
		     "x.txt:2:3: error: expected 'key: value'");
	expect_error("x.txt", "class: x1\nalias: Foo\n",
		     "x.txt:2:1: error: 'alias:' must follow an 'entry:' line");
	expect_error("x.txt", "class: x1\nentry: Foo\npattern: ^foo(bar$\nexample: Foo\n",
		     "x.txt:3:");
	expect_error("x.txt", "class: x1\nentry: Foo\npattern: ^foo(bar$\nexample: Foo\n",
		     "bad pattern: missing closing parenthesis");
	expect_error("x.txt", "class: x1\nentry: Foo\n\nentry: Bar\nexample: Bar\n",
		     "x.txt:2:1: error: entry 'Foo' has no example");
	expect_error("x.txt", "class: x1\nentry: Foo\nexample:   \n",
		     "x.txt:3:9: error: 'example:' has an empty value");
	expect_error("x.txt", "class: X Y\n",
		     "x.txt:1:8: error: class id 'X Y' may hold only a-z, 0-9 and '-'");
	expect_error("x.txt", "class: retinoid\n", "class 'retinoid' is already defined");
	expect_error("x.txt", "class: x1\nentry: Foo; ; Bar\nexample: Foo\n",
		     "x.txt:2:12: error: empty name");
	expect_error("x.txt", "class: x1\nentry: Foo\nrule: sometimes\nexample: Foo\n",
		     "x.txt:3:7: error: unknown rule 'sometimes'");
	expect_error("x.txt", "class: x1\nentry: Foo\nexample: Foo\nentry: Bar; FOO\nexample: Bar\n",
		     "x.txt:4:1: error: 'FOO' is also entry 'Foo' of x1");
	expect_error("x.txt", "class: x1\nentry: Foo\nexample: Foo\nnot: Foo\n",
		     "x.txt:4:1: error: 'Foo' is both a false friend and entry 'Foo'");
	/* context rules with values (lexicon/README.md, "Rules") */
	expect_error("x.txt", "class: x1\nentry: Foo\nrule: only-in scrubs\nexample: Foo\n",
		     "x.txt:3:15: error: 'scrubs' is not a product kind");
	expect_error("x.txt", "class: x1\napplies: lipstick\nentry: Foo\nexample: Foo\n",
		     "x.txt:2:10: error: 'lipstick' is not a product kind");
	expect_error("x.txt", "class: x1\nentry: Foo\nrule: caution-after 3/2\nexample: Foo\n",
		     "x.txt:3:21: error: caution-after wants a place (5) or a fraction");
	expect_error("x.txt", "class: x1\nentry: Foo\nrule: only-first zero\nexample: Foo\n",
		     "x.txt:3:18: error: only-first wants a place");
	expect_error("x.txt", "class: x1\nentry: Foo\nrule: next-to Bar\nexample: Foo\n",
		     "next-to wants 'NAME; NAME: safe'");
	expect_error("x.txt", "class: x1\nentry: Foo\nrule: next-to Bar: avoid\nexample: Foo\n",
		     "next-to ends with ': safe' or ': caution'");
	expect_error("x.txt", "class: x1\nentry: Foo\nrule: strict-in\nexample: Foo\n",
		     "rule 'strict-in' needs a value");
	expect_error("x.txt", "class: x1\nrule: only-first 5\nentry: Foo\nexample: Foo\n",
		     "x.txt:2:7: error: a rule for the whole class can be a flag or a "
		     "product-kind rule");
	expect_error("x.txt", "class: x1\nentry: Foo\nexample: Foo\nnot: Bar\nrule: caution\n",
		     "x.txt:5:1: error: 'rule:' must follow an 'entry:' line");
}

/* A class of the lexicon that the protocol does not cover is an error. */
static void test_class_needs_window(void **state)
{
	(void)state;
	expect_error("steroid.txt",
		     "class: steroid\nentry: Hydrocortisone\nexample: Hydrocortisone\n",
		     "no line for class 'steroid'");
}

static void expect_protocol_error(const char *line, const char *want)
{
	ndl_error err = {0};
	char text[4096] = "class\tavoid_until_h\tcaution_until_h\tthen\tsource\n";
	/* every class, so only the line under test can be wrong */
	static const char *const ids[] = {
		"retinoid", "retinoid-like", "vitamin-c", "aha", "bha", "pha",
		"exfoliant", "depigmenting", "fragrance", "essential-oil",
		"drying-alcohol", "counter-irritant", "sensitizer", "pore-clogging",
		"makeup", "nsaid", "uv-filter", "hydrating", "peptide", "barrier"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		strcat(text, ids[i]);
		strcat(text, "\t120\t168\tsafe\tx\n");
	}
	strcat(text, line);
	char path[128];
	snprintf(path, sizeof(path), "%s/clinic.tsv", dir);
	write_file("clinic.tsv", text);
	ndl_config cfg = {.protocol_file = path};
	ndl_lexicon *lex = ndl_lexicon_open(&cfg, &err);
	char msg[1024];
	ndl_error_format(&err, msg, sizeof(msg));
	if (want == NULL) {
		if (lex == NULL)
			fail_msg("want no error, got '%s'", msg);
		ndl_lexicon_free(lex);
	} else if (lex != NULL || strstr(msg, want) == NULL) {
		fail_msg("want an error containing '%s', got '%s'", want,
			 lex ? "(loaded)" : msg);
	}
	unlink(path);
}

static void test_protocol(void **state)
{
	(void)state;
	expect_protocol_error("soothing\t-\t-\trecommended\tok\n", NULL);
	expect_protocol_error("soothing\t-72\t-\tsafe\n",
			      "clinic.tsv:22:10: error: '-72' is not a number of hours");
	expect_protocol_error("soothing\t1e400\t-\tsafe\n", "'1e400' is not a number of hours");
	expect_protocol_error("soothing\t999999999\t-\tsafe\n", "is not a number of hours");
	expect_protocol_error("soothing\tthree days\t-\tsafe\n", "'three days' is not a number");
	expect_protocol_error("soothing\tnan\t-\tsafe\n", "'nan' is not a number");
	expect_protocol_error("soothing\t72\t24\tsafe\n", "clinic.tsv:22:13: error: caution ends");
	expect_protocol_error("soothing\t72\t168\tmaybe\n", "'maybe' is not 'safe' or 'recommended'");
	expect_protocol_error("soothing\t72\n", "clinic.tsv:22:1: error: expected tab-separated");
	expect_protocol_error("sooting\t72\t168\tsafe\n", "unknown class 'sooting'");
	expect_protocol_error("retinoid\t72\t168\tsafe\n", "second line for class 'retinoid'");
	/* a class the file does not name keeps its default days */
	expect_protocol_error("# no soothing line\n", NULL);
}

static const ndl_class *class_named(const ndl_lexicon *lex, const char *id)
{
	size_t c = ndl_class_find(lex, id);
	assert_true(c < lex->nclasses);
	return &lex->classes[c];
}

/* A clinic's file names only the classes it changes; the others keep the
 * article's days, and each class knows which file its days are from. */
static void test_partial_protocol(void **state)
{
	(void)state;
	write_file("clinic.tsv", "class\tavoid_until_h\tcaution_until_h\tthen\n"
				 "makeup\t48\t96\tsafe\tOur clinic: two days.\n");
	char path[128];
	snprintf(path, sizeof(path), "%s/clinic.tsv", dir);
	ndl_config cfg = {.protocol_file = path};
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(&cfg, &err);
	assert_non_null(lex);
	assert_string_equal(ndl_lexicon_protocol(lex), path);
	const ndl_class *makeup = class_named(lex, "makeup");
	assert_true(makeup->window.avoid_h == 48 && makeup->window.caution_h == 96);
	assert_string_equal(makeup->window_file, path);
	assert_string_equal(makeup->source, "Our clinic: two days.");
	const ndl_class *retinoid = class_named(lex, "retinoid");
	assert_true(retinoid->window.avoid_h == 120 && retinoid->window.caution_h == 168);
	assert_string_equal(retinoid->window_file, "lexicon/protocol.tsv");
	/* over the built-in image, as over the files loaded */
	ndl_lexicon *slow = ndl_lexicon_load(&cfg, NULL, NULL, 0, &err);
	assert_non_null(slow);
	assert_non_null(lex->image);
	same_lexicon(lex, slow);
	ndl_lexicon_free(slow);
	ndl_lexicon_free(lex);

	/* without --protocol, no clinic's */
	lex = ndl_lexicon_open(NULL, &err);
	assert_non_null(lex);
	assert_null(ndl_lexicon_protocol(lex));
	ndl_lexicon_free(lex);
}

/* Every error of a protocol file is reported in one run, each located. */
static void test_protocol_every_error(void **state)
{
	(void)state;
	write_file("clinic.tsv", "class\tavoid_until_h\tcaution_until_h\tthen\n"
				 "retinoid\t-5\t168\tsafe\n"
				 "makeup\t24\t72\tsafe\n"
				 "sooting\t24\t72\tsafe\n"
				 "aha\t72\t24\tmaybe\n");
	char path[128];
	snprintf(path, sizeof(path), "%s/clinic.tsv", dir);
	ndl_config cfg = {.protocol_file = path};
	ndl_error err = {0};
	assert_null(ndl_lexicon_open(&cfg, &err));
	assert_int_equal(err.count, 4);
	assert_int_equal(err.line, 2);
	char want[256];
	snprintf(want, sizeof(want), "%s:4:1: error: unknown class 'sooting'\n", path);
	assert_non_null(strstr(err.more, want));
	snprintf(want, sizeof(want), "%s:5:8: error: caution ends", path);
	assert_non_null(strstr(err.more, want));
	snprintf(want, sizeof(want), "%s:5:11: error: 'maybe'", path);
	assert_non_null(strstr(err.more, want));
	assert_int_equal(ndl_error_unwritten(&err), 0);
}

/* A class added from a lexicon directory may hold a name of the ordinary
 * vocabulary: the class's entry is the one that counts. */
static void test_class_over_known(void **state)
{
	(void)state;
	write_file("snail.txt", "class: snail\nentry: Snail Secretion Filtrate\n"
				"example: Snail Secretion Filtrate\n");
	write_file("protocol.tsv", "snail\t48\t72\tsafe\n");
	ndl_config cfg = {.lexicon_dir = dir};
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(&cfg, &err);
	if (lex == NULL)
		fail_msg("%s", err.message);
	const char *name = "Snail Secretion Filtrate";
	char key[64];
	size_t len = ndl_compact(key, ndl_normalize(name, strlen(name), key, sizeof(key)));
	size_t n = 0;
	for (uint32_t p = ndl_index_find(&lex->names, key, len); p;
	     p = lex->names.post[p - 1].next) {
		const ndl_entry *e = ndl_entry_at(lex, lex->names.post[p - 1].value);
		assert_string_equal(lex->classes[e->cls].id, "snail");
		n++;
	}
	assert_int_equal(n, 1);
	/* the class's days are the directory's protocol's, the rest the
	 * defaults */
	assert_string_equal(class_named(lex, "retinoid")->window_file,
			    "lexicon/protocol.tsv");
	ndl_lexicon_free(lex);
}

static void test_known_files(void **state)
{
	(void)state;
	write_file("names.csv", "\xef\xbb\xbfinci_name,function\n"
				"\"XYZZY EXTRACT\",Skin Conditioning\nRETINOL,x\n");
	write_file("names.txt", "# a comment\nPlugh Oil\n\n");
	char a[128], b[128];
	snprintf(a, sizeof(a), "%s/names.csv", dir);
	snprintf(b, sizeof(b), "%s/names.txt", dir);
	const char *files[] = {a, b};
	ndl_config cfg = {.known_files = files, .nknown_files = 2};
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(&cfg, &err);
	assert_non_null(lex);
	assert_int_not_equal(ndl_index_find(&lex->names, "xyzzyextract", 12), 0);
	assert_int_not_equal(ndl_index_find(&lex->names, "plughoil", 8), 0);
	/* RETINOL stays a retinoid: the class wins over the list */
	uint32_t p = ndl_index_find(&lex->names, "retinol", 7);
	assert_int_not_equal(p, 0);
	assert_int_equal(lex->names.post[p - 1].next, 0);
	ndl_lexicon_free(lex);
	/* the column of names is the one columns.txt names (role
	 * known-name); without one, the first */
	write_file("noms.csv", "fonction,Nom INCI\nx,Frobnitz Oil\n");
	snprintf(a, sizeof(a), "%s/noms.csv", dir);
	cfg.nknown_files = 1;
	static const char cols[] = "class: columns\nentry: Nom INCI\nrole: known-name\n"
				   "example: fonction,nom_inci\n";
	lex = ndl_lexicon_open_with(&cfg, "columns.txt", cols, strlen(cols), &err);
	assert_non_null(lex);
	assert_int_not_equal(ndl_index_find(&lex->names, "frobnitzoil", 11), 0);
	ndl_lexicon_free(lex);
	lex = ndl_lexicon_open(&cfg, &err);
	assert_non_null(lex);
	assert_int_equal(ndl_index_find(&lex->names, "frobnitzoil", 11), 0);
	assert_int_not_equal(ndl_index_find(&lex->names, "x", 1), 0);
	ndl_lexicon_free(lex);
	const char *missing[] = {"/nonexistent/names.txt"};
	cfg.known_files = missing;
	cfg.nknown_files = 1;
	assert_null(ndl_lexicon_open(&cfg, &err));
	assert_string_equal(err.file, "/nonexistent/names.txt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_loads),
		cmocka_unit_test(test_builtin_image),
		cmocka_unit_test(test_image_code_unreadable),
		cmocka_unit_test(test_image_entries_on_first_read),
		cmocka_unit_test(test_pattern_jit_after_runs),
		cmocka_unit_test_setup_teardown(test_user_lexicon_loaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_class_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_class_needs_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol_every_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_class_over_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_files, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
