/* Writing a lexicon as C: the built-in image (builtin.c). The Makefile's
 * lexgen tool loads the embedded files with the loader of lexicon.c and
 * writes what it made, so the image is by construction what loading them
 * at run time gives. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "knowledge/lexicon.h"

/* Every field of these is written below: a new field must be too (and
 * the test that an image reads back as the loader's lexicon fails until
 * it is, if it is not all zeros). */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(ndl_class) == 120, "ndl_class changed: write its new field");
_Static_assert(sizeof(ndl_entry) == 168, "ndl_entry changed: write its new field");
_Static_assert(sizeof(ndl_pattern) == 40, "ndl_pattern changed: write its new field");
_Static_assert(sizeof(ndl_exclusion) == 32, "ndl_exclusion changed: write its new field");
_Static_assert(sizeof(ndl_lexicon) == 776, "ndl_lexicon changed: write its new field");
#endif

void ndl_write_c_string(FILE *out, const char *s)
{
	if (s == NULL) {
		fputs("NULL", out);
		return;
	}
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f || *p == '?')
			fprintf(out, "\\%03o", *p);
		else
			putc(*p, out);
	}
	putc('"', out);
}

/* Field "name = string" with a comma before it. */
static void sfield(FILE *out, const char *name, const char *s)
{
	fprintf(out, ", .%s = ", name);
	ndl_write_c_string(out, s);
}

/* The strings of the entries' name, example and next-to arrays, in one
 * array S that the entries point into. */
static void write_string_arrays(FILE *out, const ndl_lexicon *lex)
{
	fputs("static const char *const S[] = {\n", out);
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = &lex->entries[i];
		const char *const *arrays[3] = {e->names, e->examples, e->next_to};
		size_t counts[3] = {e->nnames, e->nexamples, e->nnext_to};
		for (int a = 0; a < 3; a++)
			for (size_t k = 0; k < counts[a]; k++) {
				putc('\t', out);
				ndl_write_c_string(out, arrays[a][k]);
				fputs(",\n", out);
			}
	}
	fputs("\tNULL};\n\n", out);
}

static void write_classes(FILE *out, const ndl_lexicon *lex)
{
	fputs("static const ndl_class C[] = {\n", out);
	for (size_t i = 0; i < lex->nclasses; i++) {
		const ndl_class *c = &lex->classes[i];
		fputs("\t{.id = ", out);
		ndl_write_c_string(out, c->id);
		sfield(out, "title", c->title);
		sfield(out, "why", c->why);
		sfield(out, "file", c->file);
		sfield(out, "source", c->source);
		sfield(out, "window_file", c->window_file);
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

/* An array field: S + at, advancing at by n; NULL stays NULL. */
static void afield(FILE *out, const char *name, const void *p, size_t n,
		   size_t *at)
{
	if (p == NULL)
		fprintf(out, ", .%s = NULL", name);
	else
		fprintf(out, ", .%s = S + %zu", name, *at);
	fprintf(out, ", .n%s = %zu", name, n);
	*at += n;
}

static void write_entries(FILE *out, const ndl_lexicon *lex)
{
	fputs("static const ndl_entry E[] = {\n", out);
	size_t at = 0;
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = &lex->entries[i];
		fprintf(out, "\t{.cls = %zu, .name = ", e->cls);
		ndl_write_c_string(out, e->name);
		afield(out, "names", e->names, e->nnames, &at);
		afield(out, "examples", e->examples, e->nexamples, &at);
		afield(out, "next_to", e->next_to, e->nnext_to, &at);
		sfield(out, "note", e->note);
		sfield(out, "trace", e->trace);
		sfield(out, "file", e->file);
		sfield(out, "role", e->role);
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
	fputs("};\n\n", out);
}

static void write_patterns_and_exclusions(FILE *out, const ndl_lexicon *lex)
{
	if (lex->npatterns) {
		fputs("static const ndl_pattern P[] = {\n", out);
		for (size_t i = 0; i < lex->npatterns; i++) {
			const ndl_pattern *p = &lex->patterns[i];
			fputs("\t{.src = ", out);
			ndl_write_c_string(out, p->src);
			fprintf(out, ", .entry = %zu, .line = %uu, .column = %uu},\n",
				p->entry, p->line, p->column);
		}
		fputs("};\n\n", out);
	}
	if (lex->nexclusions) {
		fputs("static const ndl_exclusion X[] = {\n", out);
		for (size_t i = 0; i < lex->nexclusions; i++) {
			const ndl_exclusion *x = &lex->exclusions[i];
			fputs("\t{.name = ", out);
			ndl_write_c_string(out, x->name);
			fprintf(out, ", .cls = %zu", x->cls);
			sfield(out, "file", x->file);
			fprintf(out, ", .line = %uu},\n", x->line);
		}
		fputs("};\n\n", out);
	}
}

/* Index idx as arrays NS<tag> (its used slots, in place) and NP<tag>. */
static void write_index(FILE *out, const ndl_name_index *idx, int tag)
{
	if (idx->nslots == 0)
		return;
	fprintf(out, "static const ndl_name_slot NS%d[%zu] = {\n", tag, idx->nslots);
	for (size_t i = 0; i < idx->nslots; i++) {
		const ndl_name_slot *s = &idx->slots[i];
		if (!s->head)
			continue;
		fprintf(out, "\t[%zu] = {", i);
		ndl_write_c_string(out, s->key);
		fprintf(out, ", %zu, UINT64_C(%" PRIu64 "), %" PRIu32 "u},\n", s->len,
			s->hash, s->head);
	}
	fprintf(out, "};\n\nstatic const ndl_posting NP%d[] = {\n", tag);
	for (size_t i = 0; i < idx->npost; i++)
		fprintf(out, "\t{%" PRIu32 "u, %" PRIu32 "u},\n", idx->post[i].value,
			idx->post[i].next);
	fputs("};\n\n", out);
}

/* The index field: its arrays, with no room to grow. */
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
	      "#include \"knowledge/lexicon.h\"\n\n",
	      out);
	write_string_arrays(out, lex);
	write_classes(out, lex);
	write_entries(out, lex);
	write_patterns_and_exclusions(out, lex);
	write_index(out, &lex->names, 0);
	write_index(out, &lex->excluded, 1);
	write_index(out, &lex->labels, 2);
	int code_len = write_code(out, lex, err);
	if (code_len < 0)
		return -1;
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
	/* kind_refs are not written: only loading reads them; nor the
	 * tables, built from the entries when the image is opened */
	fprintf(out, "\t.nkinds = %uu, .max_capture = %" PRIu32 "u, .protocol = ",
		lex->nkinds, lex->max_capture);
	ndl_write_c_string(out, lex->protocol);
	fputs("};\n\nconst ndl_lexicon_image ndl_builtin_image = {&L, B, ", out);
	fprintf(out, "%d, ", code_len);
	ndl_write_c_string(out, utf8proc_version());
	fputs("};\n", out);
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
