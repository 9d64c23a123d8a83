/* Writing a lexicon as C: the built-in image (builtin.c). The Makefile's
 * lexgen tool loads the embedded files with the loader of lexicon.c and
 * writes what it made, so the image is by construction what loading them
 * at run time gives. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "knowledge/lexicon.h"

/* Every field of these is written below: a new field must be too (and
 * the test that an image reads back as the loader's lexicon fails until
 * it is, if it is not all zeros). */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(ndl_class) == 120, "ndl_class changed: write its new field");
_Static_assert(sizeof(ndl_entry) == 168, "ndl_entry changed: write its new field");
_Static_assert(sizeof(ndl_pattern) == 48, "ndl_pattern changed: write its new field");
_Static_assert(sizeof(ndl_exclusion) == 32, "ndl_exclusion changed: write its new field");
_Static_assert(sizeof(ndl_tables) == 456, "ndl_tables changed: write its new field");
_Static_assert(sizeof(ndl_lexicon) == 832, "ndl_lexicon changed: write its new field");
#endif

/* The bytes of s escaped for a C string literal ('?' too: no
 * trigraphs). */
static void write_c_bytes(FILE *out, const char *s, size_t n)
{
	for (const unsigned char *p = (const unsigned char *)s; n--; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f || *p == '?')
			fprintf(out, "\\%03o", *p);
		else
			putc(*p, out);
	}
}

void ndl_write_c_string(FILE *out, const char *s)
{
	if (s == NULL) {
		fputs("NULL", out);
		return;
	}
	putc('"', out);
	write_c_bytes(out, s, strlen(s));
	putc('"', out);
}

/* ------------------------------------------------------ string table */

uint32_t ndl_strtab_add(ndl_strtab *t, const char *s)
{
	if (s == NULL || t->failed)
		return 0;
	size_t len = strlen(s);
	uint64_t h = ndl_hash(s, len);
	int old;
	void *at = ndl_cache_find(&t->seen, s, len, h, &old);
	if (at)
		return (uint32_t)(uintptr_t)at;
	if (NDL_GROW(t->bytes, t->cap, t->len + len + 2) || t->len + len + 2 > UINT32_MAX) {
		t->failed = 1;
		return 0;
	}
	if (t->len == 0)
		t->bytes[t->len++] = '\0'; /* offset 0: NULL */
	uint32_t off = (uint32_t)t->len;
	memcpy(t->bytes + off, s, len + 1);
	t->len += len + 1;
	if (ndl_cache_put(&t->seen, &t->mem, s, len, h, (void *)(uintptr_t)off))
		t->failed = 1;
	return off;
}

void ndl_strtab_free(ndl_strtab *t)
{
	free(t->bytes);
	ndl_cache_free(&t->seen);
	ndl_arena_free(&t->mem);
	memset(t, 0, sizeof(*t));
}

void ndl_strtab_write(ndl_strtab *t, FILE *out, const char *name)
{
	fprintf(out, "static const char %s[%zu] = {\"", name, t->len ? t->len : 1);
	for (size_t i = 0; i < t->len; i += 64) {
		if (i)
			fputs("\"\n\t\"", out);
		write_c_bytes(out, t->bytes + i, t->len - i < 64 ? t->len - i : 64);
	}
	fputs("\"};\n\n", out);
	ndl_strtab_free(t);
}

/* --------------------------------------------------------- the image */

/* Field "name = string", a comma before it: its offset in t as a
 * pointer (no relocation). */
static void sfield(FILE *out, ndl_strtab *t, const char *name, const char *s)
{
	fprintf(out, ", .%s = O(%" PRIu32 ")", name, ndl_strtab_add(t, s));
}

/* The offsets of the entries' name, example and next-to arrays' strings,
 * in one array SA that the entries index (from 1: 0 is NULL). */
static void write_string_arrays(FILE *out, const ndl_lexicon *lex, ndl_strtab *t)
{
	fputs("static const uint32_t SA[] = {0,", out);
	size_t at = 1;
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = ndl_entry_at(lex, i);
		const char *const *arrays[3] = {e->names, e->examples, e->next_to};
		size_t counts[3] = {e->nnames, e->nexamples, e->nnext_to};
		for (int a = 0; a < 3; a++)
			for (size_t k = 0; k < counts[a]; k++, at++)
				fprintf(out, "%s%" PRIu32 ",", at % 10 ? "" : "\n\t",
					ndl_strtab_add(t, arrays[a][k]));
	}
	fputs("};\n\n", out);
}

static void write_classes(FILE *out, const ndl_lexicon *lex, ndl_strtab *t)
{
	fputs("static const ndl_class C[] = {\n", out);
	for (size_t i = 0; i < lex->nclasses; i++) {
		const ndl_class *c = &lex->classes[i];
		fprintf(out, "\t{.id = O(%" PRIu32 ")", ndl_strtab_add(t, c->id));
		sfield(out, t, "title", c->title);
		sfield(out, t, "why", c->why);
		sfield(out, t, "file", c->file);
		sfield(out, t, "source", c->source);
		sfield(out, t, "window_file", c->window_file);
		fprintf(out, ",\n\t .from_disk = %d, .role = %d, .applies = %uu, "
			     ".window = {%.17g, %.17g, %d}, .has_window = %d, "
			     ".order = %uu, .rules = %uu, .spf_asked = %uu, "
			     ".spf_line = %uu, .spf_column = %uu},\n",
			c->from_disk, (int)c->role, c->applies, c->window.avoid_h,
			c->window.caution_h, (int)c->window.then, c->has_window,
			c->order, c->rules, c->spf_asked, c->spf_line, c->spf_column);
	}
	fputs("};\n\n", out);
}

/* An array field: its index in SA, advancing at by n; NULL stays 0. */
static void afield(FILE *out, const char *name, const void *p, size_t n,
		   size_t *at)
{
	fprintf(out, ", .%s = (const char *const *)%zu, .n%s = %zu", name,
		p ? *at : 0, name, n);
	*at += n;
}

static void write_entries(FILE *out, const ndl_lexicon *lex, ndl_strtab *t)
{
	fputs("static const ndl_entry E[] = {\n", out);
	size_t at = 1;
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = ndl_entry_at(lex, i);
		fprintf(out, "\t{.cls = %zu, .name = O(%" PRIu32 ")", e->cls,
			ndl_strtab_add(t, e->name));
		afield(out, "names", e->names, e->nnames, &at);
		afield(out, "examples", e->examples, e->nexamples, &at);
		afield(out, "next_to", e->next_to, e->nnext_to, &at);
		sfield(out, t, "note", e->note);
		sfield(out, t, "trace", e->trace);
		sfield(out, t, "file", e->file);
		sfield(out, t, "role", e->role);
		fprintf(out, ", .role_line = %uu, .role_column = %uu", e->role_line,
			e->role_column);
		fprintf(out, ",\n\t .rules = %uu, .only_in = %" PRIu32 "u, "
			     ".only_first = %uu, .only_first_den = %uu, "
			     ".strict_in = %" PRIu32 "u, .not_in = %" PRIu32 "u, "
			     ".caution_in = %" PRIu32 "u, .late_caution_in = %" PRIu32
			     "u, .after_num = %uu, .after_den = %uu, "
			     ".next_to_status = %d, .has_pattern = %d, .line = %uu},\n",
			e->rules, e->only_in, e->only_first, e->only_first_den,
			e->strict_in, e->not_in, e->caution_in, e->late_caution_in,
			e->after_num, e->after_den, (int)e->next_to_status,
			e->has_pattern, e->line);
	}
	fputs("};\n\nstatic const uint32_t EC[] = {", out);
	for (size_t i = 0; i < lex->nentries; i++)
		fprintf(out, "%s%zuu,", i % 12 ? "" : "\n\t", ndl_entry_cls(lex, i));
	fputs("0};\n\n", out);
}

static void write_patterns_and_exclusions(FILE *out, const ndl_lexicon *lex,
					  ndl_strtab *t)
{
	if (lex->npatterns) {
		fputs("static const ndl_pattern P[] = {\n", out);
		for (size_t i = 0; i < lex->npatterns; i++) {
			const ndl_pattern *p = &lex->patterns[i];
			fprintf(out, "\t{.src = O(%" PRIu32 "), .entry = %zu, "
				     ".line = %uu, .column = %uu},\n",
				ndl_strtab_add(t, p->src), p->entry, p->line, p->column);
		}
		fputs("};\n\n", out);
	}
	if (lex->nexclusions) {
		fputs("static const ndl_exclusion X[] = {\n", out);
		for (size_t i = 0; i < lex->nexclusions; i++) {
			const ndl_exclusion *x = &lex->exclusions[i];
			fprintf(out, "\t{.name = O(%" PRIu32 "), .cls = %zu",
				ndl_strtab_add(t, x->name), x->cls);
			sfield(out, t, "file", x->file);
			fprintf(out, ", .line = %uu},\n", x->line);
		}
		fputs("};\n\n", out);
	}
}

/* The tables' arrays of strings, in the order tables_field writes them. */
static size_t table_arrays(const ndl_tables *tb, const char *const **a)
{
	size_t n = 0;
	a[n++] = tb->skin_tones;
	a[n++] = tb->qualifiers;
	a[n++] = tb->spellings;
	a[n++] = tb->may_contain.words;
	for (size_t c = 0; c < NDL_COL_COUNT; c++)
		a[n++] = tb->columns[c];
	a[n++] = tb->ingredients_words;
	for (size_t h = 0; h < NDL_HEADER_COUNT; h++)
		a[n++] = tb->headers.phrases[h];
	a[n++] = tb->sentence_words;
	return n;
}

#define NTABLE_ARRAYS (6 + NDL_COL_COUNT + NDL_HEADER_COUNT)

/* The tables' arrays (each NULL-terminated) as offsets in one array
 * TA, 0 ending each; where each starts into at. */
static void write_table_strings(FILE *out, const ndl_tables *tb, ndl_strtab *t,
				size_t *at)
{
	const char *const *a[NTABLE_ARRAYS];
	size_t n = table_arrays(tb, a), k = 0;
	fputs("static const uint32_t TA[] = {", out);
	for (size_t i = 0; i < n; i++) {
		const char *const *p = a[i];
		at[i] = k;
		do
			fprintf(out, "%s%" PRIu32 ",", k++ % 10 ? "" : "\n\t",
				p ? ndl_strtab_add(t, *p) : 0);
		while (p && *p++);
	}
	fputs("};\n\n", out);
}

/* Field .tables: the scalars, and each array's index in TA. */
static void tables_field(FILE *out, const ndl_tables *tb, const size_t *at)
{
	size_t k = 0;
	fprintf(out, "\t.tables = {.makeup_kind = %uu, .tinted_kind = %uu, "
		     ".sunscreen_kind = %uu, .named_kinds = %" PRIu32 "u,\n\t"
		     " .skin_tones = A(%zu), .nskin_tones = %zu, .qualifiers = A(%zu), "
		     ".nqualifiers = %zu,\n\t .spellings = A(%zu), .nspellings = %zu, "
		     ".may_contain = {A(%zu), %zu, {",
		tb->makeup_kind, tb->tinted_kind, tb->sunscreen_kind, tb->named_kinds,
		at[0], tb->nskin_tones, at[1], tb->nqualifiers, at[2], tb->nspellings,
		at[3], tb->may_contain.n);
	for (size_t c = 0; c < 256; c++)
		fprintf(out, "%s%u", c ? "," : "", tb->may_contain.first[c]);
	fputs("}},\n\t .columns = {", out);
	for (k = 4; k < 4 + NDL_COL_COUNT; k++)
		fprintf(out, "%sA(%zu)", k > 4 ? ", " : "", at[k]);
	fprintf(out, "}, .ingredients_words = A(%zu), .headers = {{", at[k++]);
	for (size_t h = 0; h < NDL_HEADER_COUNT; h++, k++)
		fprintf(out, "%sA(%zu)", h ? ", " : "", at[k]);
	fprintf(out, "}}, .sentence_words = A(%zu)},\n", at[k]);
}

/* Index idx as arrays NS<tag> (its used slots, in place) and NP<tag>. */
static void write_index(FILE *out, const ndl_name_index *idx, int tag,
			ndl_strtab *t)
{
	if (idx->nslots == 0)
		return;
	fprintf(out, "static const ndl_name_slot NS%d[%zu] = {\n", tag, idx->nslots);
	for (size_t i = 0; i < idx->nslots; i++) {
		const ndl_name_slot *s = &idx->slots[i];
		if (!s->head)
			continue;
		fprintf(out, "\t[%zu] = {O(%" PRIu32 "), %zu, UINT64_C(%" PRIu64 "), %" PRIu32
			     "u},\n",
			i, ndl_strtab_add(t, ndl_slot_key(idx, s)), s->len, s->hash, s->head);
	}
	fprintf(out, "};\n\nstatic const ndl_posting NP%d[] = {\n", tag);
	for (size_t i = 0; i < idx->npost; i++)
		fprintf(out, "\t{%" PRIu32 "u, %" PRIu32 "u},\n", idx->post[i].value,
			idx->post[i].next);
	fputs("};\n\n", out);
}

/* The index field: its arrays, with no room to grow (its keys' base
 * is set when the image is opened). */
static void index_field(FILE *out, const char *name, const ndl_name_index *idx,
			int tag)
{
	if (idx->nslots == 0) {
		fprintf(out, "\t.%s = {0},\n", name);
		return;
	}
	fprintf(out, "\t.%s = {(ndl_name_slot *)NS%d, %zu, %zu, (ndl_posting *)NP%d, "
		     "%zu, %zu},\n",
		name, tag, idx->nslots, idx->used, tag, idx->npost, idx->npost);
}

/* The patterns' code as bytes B (nothing if PCRE2 cannot serialise it:
 * the patterns are then compiled when the image is opened). */
static int write_code(FILE *out, const ndl_lexicon *lex, ndl_error *err)
{
	size_t n = lex->npatterns;
	const pcre2_code **codes = malloc((n ? n : 1) * sizeof(*codes));
	if (codes == NULL)
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n; i++)
		codes[i] = lex->patterns[i].code;
	uint8_t *bytes = NULL;
	PCRE2_SIZE len = 0;
	if (n == 0 || pcre2_serialize_encode(codes, (int32_t)n, &bytes, &len, NULL) < 0)
		len = 0;
	free(codes);
	fputs("static const unsigned char B[] = {", out);
	for (PCRE2_SIZE i = 0; i < len; i++)
		fprintf(out, "%s%u,", i % 20 ? "" : "\n\t", bytes[i]);
	fputs(len ? "\n};\n\n" : "0};\n\n", out);
	if (bytes)
		pcre2_serialize_free(bytes);
	return (int)len;
}

int ndl_lexicon_write_c(const ndl_lexicon *lex, FILE *out, ndl_error *err)
{
	fputs("/* The built-in lexicon, generated from lexicon/ by "
	      "src/knowledge/lexicon_write.c. */\n"
	      "#include \"knowledge/lexicon.h\"\n\n"
	      "/* a string by its offset in T; an array of strings by its index in\n"
	      " * TA */\n"
	      "#define O(at) ((const char *)(at))\n"
	      "#define A(at) ((const char *const *)(at))\n\n",
	      out);
	ndl_strtab t = {0};
	write_string_arrays(out, lex, &t);
	write_classes(out, lex, &t);
	write_entries(out, lex, &t);
	write_patterns_and_exclusions(out, lex, &t);
	write_index(out, &lex->names, 0, &t);
	write_index(out, &lex->excluded, 1, &t);
	write_index(out, &lex->labels, 2, &t);
	size_t tables_at[NTABLE_ARRAYS];
	write_table_strings(out, &lex->tables, &t, tables_at);
	int code_len = write_code(out, lex, err);
	if (code_len < 0) {
		ndl_strtab_free(&t);
		return -1;
	}
	fprintf(out, "static const ndl_lexicon L = {\n"
		     "\t.classes = (ndl_class *)C, .nclasses = %zu, .cap_classes = %zu,\n"
		     "\t.entries = (ndl_entry *)E, .nentries = %zu, .cap_entries = %zu,\n",
		lex->nclasses, lex->nclasses, lex->nentries, lex->nentries);
	if (lex->npatterns)
		fprintf(out, "\t.patterns = (ndl_pattern *)P, .npatterns = %zu, "
			     ".cap_patterns = %zu,\n",
			lex->npatterns, lex->npatterns);
	if (lex->nexclusions)
		fprintf(out, "\t.exclusions = (ndl_exclusion *)X, .nexclusions = %zu, "
			     ".cap_exclusions = %zu,\n",
			lex->nexclusions, lex->nexclusions);
	index_field(out, "names", &lex->names, 0);
	index_field(out, "excluded", &lex->excluded, 1);
	index_field(out, "labels", &lex->labels, 2);
	if (lex->products == (size_t)-1)
		fputs("\t.products = (size_t)-1,\n", out);
	else
		fprintf(out, "\t.products = %zu,\n", lex->products);
	tables_field(out, &lex->tables, tables_at);
	/* kind_refs are not written: only loading reads them */
	fprintf(out, "\t.nkinds = %uu, .max_capture = %" PRIu32 "u, .protocol = O(%" PRIu32
		     ")};\n\n",
		lex->nkinds, lex->max_capture, ndl_strtab_add(&t, lex->protocol));
	int failed = t.failed;
	ndl_strtab_write(&t, out, "T");
	fprintf(out, "const ndl_lexicon_image ndl_builtin_image = {&L, T, SA, "
		     "NDL_ARRAY_LEN(SA), EC, TA, NDL_ARRAY_LEN(TA), B, %d, ", code_len);
	ndl_write_c_string(out, utf8proc_version());
	fputs("};\n", out);
	if (failed)
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	return ferror(out) ? ndl_fail(err, NULL, 0, 0, "write error") : 0;
}

int ndl_lexicon_generate(FILE *out)
{
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_load(NULL, NULL, NULL, 0, &err);
	int rc = lex ? ndl_lexicon_write_c(lex, out, &err) : -1;
	if (rc != 0) {
		char msg[1024];
		ndl_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
	}
	ndl_lexicon_free(lex);
	return rc;
}
