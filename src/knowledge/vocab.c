/* The knowledge the program reads by its use, not by an entry's name:
 * the product kinds the judge also reads from ingredients ("role:" in
 * products.txt), the CI numbers of the skin-tone pigments, the qualifiers
 * and spellings a label adds to a name, the phrases that open a shade
 * list, the header phrases of a label (headers.txt), the CSV header
 * names of each column (columns.txt) and the small words of sentences
 * (sentence-words.txt). Built into
 * lex->tables once every file is loaded; lexicon/README.md has the
 * formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "knowledge/lexicon.h"

static const char *const product_roles[] = {"makeup", "tinted", "sunscreen",
					    "not-makeup"};
/* the roles of the columns, then the words of a header that name the
 * ingredients column when no header is one of its names */
#define WORDS_ROLE NDL_COL_COUNT
static const char *const column_roles[NDL_COL_COUNT + 1] = {
	"ingredients", "name", "id", "spf", "brand", "claim", "tags", "allow",
	"known-name", "ingredients-word"};
static const char *const header_roles[NDL_HEADER_COUNT] = {
	"ingredients", "active", "label", "drug-facts"};

/* The index of role in roles[0, n), or n. */
static size_t role_index(const char *role, const char *const *roles, size_t n)
{
	size_t i = 0;
	while (i < n && strcmp(role, roles[i]) != 0)
		i++;
	return i;
}

static int role_error(const ndl_entry *e, ndl_error *err, const char *const *roles,
		      size_t n)
{
	char list[160];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof(list); i++)
		k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s",
				      i == 0 ? "" : i + 1 < n ? ", " : " or ", roles[i]);
	return ndl_fail(err, e->file, e->role_line, e->role_column,
			"unknown role '%s' (expected %s)", e->role, list);
}

/* Gives e the role *holder holds, unless an entry has it already. */
static int take_role(const ndl_entry *e, const ndl_entry **holder, ndl_error *err)
{
	if (*holder)
		return ndl_fail(err, e->file, e->role_line, e->role_column,
				"role '%s' is already given to entry '%s' (%s:%u)", e->role,
				(*holder)->name, (*holder)->file, (*holder)->role_line);
	*holder = e;
	return 0;
}

/* products.txt: "role: makeup", "tinted" and "sunscreen" name the kinds
 * the judge also reads from ingredients (one entry each), "not-makeup"
 * the kinds whose name says what else the product is. */
static int read_product_role(ndl_lexicon *lex, const ndl_entry *e, unsigned bit,
			     const ndl_entry **holder, ndl_error *err)
{
	ndl_tables *t = &lex->tables;
	size_t r = role_index(e->role, product_roles, NDL_ARRAY_LEN(product_roles));
	if (r == NDL_ARRAY_LEN(product_roles))
		return role_error(e, err, product_roles, NDL_ARRAY_LEN(product_roles));
	if (r == 3) {
		t->named_kinds |= (uint32_t)1 << bit;
		return 0;
	}
	if (take_role(e, &holder[r], err))
		return -1;
	*(r == 0 ? &t->makeup_kind : r == 1 ? &t->tinted_kind : &t->sunscreen_kind) = bit;
	return 0;
}

/* columns.txt: each entry names one column, by its "role:" (each role
 * once). */
static int column_role(const ndl_entry *e, const ndl_entry **holder, ndl_error *err)
{
	if (e->role == NULL)
		return ndl_fail(err, e->file, e->line, 1,
				"column entry '%s' needs a 'role:' line", e->name);
	size_t c = role_index(e->role, column_roles, WORDS_ROLE + 1);
	if (c == WORDS_ROLE + 1)
		return role_error(e, err, column_roles, WORDS_ROLE + 1);
	return take_role(e, &holder[c], err);
}

/* headers.txt: each entry says what its phrases open, by its "role:"
 * (any number of entries a role). */
static int header_role(const ndl_entry *e, ndl_error *err)
{
	if (e->role == NULL)
		return ndl_fail(err, e->file, e->line, 1,
				"header entry '%s' needs a 'role:' line", e->name);
	if (role_index(e->role, header_roles, NDL_HEADER_COUNT) == NDL_HEADER_COUNT)
		return role_error(e, err, header_roles, NDL_HEADER_COUNT);
	return 0;
}

/* A normalised copy of name in the lexicon's memory, then suffix. */
static const char *normalised(ndl_lexicon *lex, const char *name, const char *suffix)
{
	size_t n = strlen(name), cap = n * 4 + 64;
	char buf[16512]; /* a line holds at most 4095 bytes */
	if (cap > sizeof(buf))
		return NULL;
	size_t len = ndl_normalize(name, n, buf, sizeof(buf) - 8);
	size_t sl = strlen(suffix);
	memcpy(buf + len, suffix, sl + 1);
	return ndl_arena_strndup(&lex->mem, buf, len + sl);
}

/* The 5 digits of a name "CI 77491" (any case, spaced or not), or NULL. */
static const char *colour_index(const char *name)
{
	if ((name[0] | 32) != 'c' || (name[1] | 32) != 'i')
		return NULL;
	const char *d = name + 2 + (name[2] == ' ');
	return strspn(d, "0123456789") == 5 && d[5] == '\0' ? d : NULL;
}

typedef struct list {
	const char **v;
	size_t n, cap;
} list;

typedef struct lists {
	list tones, quals, spell, marks, cols[WORDS_ROLE + 1],
		heads[NDL_HEADER_COUNT], sentence;
} lists;

/* Appends s (NULL: out of memory) to l. 0, or -1. */
static int put(list *l, const char *s)
{
	if (s == NULL || NDL_GROW(l->v, l->cap, l->n + 1))
		return -1;
	l->v[l->n++] = s;
	return 0;
}

/* A lower-case (ASCII) copy of s: "may contain" phrases are compared on
 * the label's bytes. */
static const char *lower(ndl_lexicon *lex, const char *s)
{
	char *w = ndl_arena_strndup(&lex->mem, s, strlen(s));
	for (char *p = w; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return w;
}

/* The names of entry e into the list its vocabulary makes. */
static int entry_names(ndl_lexicon *lex, const ndl_entry *e, ndl_class_role role,
		       lists *l, ndl_error *err)
{
	if (role == NDL_ROLE_SPELLINGS && e->nnames < 2)
		return ndl_fail(err, e->file, e->line, 1,
				"'%s' needs the label's spelling after it", e->name);
	int rc = 0;
	for (size_t k = 0; k < e->nnames && rc == 0; k++) {
		const char *name = e->names[k];
		const char *norm = normalised(lex, name, "");
		if (role == NDL_ROLE_SPELLINGS && norm && strchr(norm, ' '))
			return ndl_fail(err, e->file, e->line, 1,
					"spelling '%s' is more than part of one word",
					name);
		if (role == NDL_ROLE_SENTENCE_WORDS &&
		    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
			    strlen(name))
			return ndl_fail(err, e->file, e->line, 1,
					"'%s' is not one word of ASCII letters", name);
		if (role == NDL_ROLE_COLUMNS && norm &&
		    role_index(e->role, column_roles, WORDS_ROLE) == WORDS_ROLE &&
		    (norm[0] == '\0' || strchr(norm, ' ')))
			return ndl_fail(err, e->file, e->line, 1,
					"'%s' is not one word of a header", name);
		if (role == NDL_ROLE_QUALIFIERS)
			rc = put(&l->quals, normalised(lex, name, " "));
		else if (role == NDL_ROLE_SPELLINGS && k > 0)
			/* pairs: the label's spelling, the INCI one (first) */
			rc = put(&l->spell, norm) ||
			     put(&l->spell, normalised(lex, e->names[0], ""));
		else if (role == NDL_ROLE_MAY_CONTAIN)
			rc = put(&l->marks, lower(lex, name));
		else if (role == NDL_ROLE_SENTENCE_WORDS)
			rc = put(&l->sentence, lower(lex, name));
		else if (role == NDL_ROLE_COLUMNS && role_index(e->role, column_roles,
								WORDS_ROLE) == WORDS_ROLE)
			/* "Ingred*": a word that starts so */
			rc = put(&l->cols[WORDS_ROLE],
				 normalised(lex, name,
					    name[strlen(name) - 1] == '*' ? "*" : ""));
		else if (role == NDL_ROLE_COLUMNS)
			rc = put(&l->cols[role_index(e->role, column_roles, NDL_COL_COUNT)],
				 norm);
		else if (role == NDL_ROLE_HEADERS)
			rc = put(&l->heads[role_index(e->role, header_roles,
						      NDL_HEADER_COUNT)],
				 norm);
	}
	return rc ? ndl_fail(err, e->file, e->line, 1, "out of memory") : 0;
}

/* A skin-tone pigment's CI number, from its names. */
static int skin_tone(const ndl_entry *e, lists *l, ndl_error *err)
{
	const char *d = NULL;
	for (size_t k = 0; k < e->nnames && d == NULL; k++)
		d = colour_index(e->names[k]);
	if (d == NULL)
		return ndl_fail(err, e->file, e->line, 1,
				"skin-tone entry '%s' needs its colour index "
				"among its names ('CI 77491')",
				e->name);
	if (l->tones.n == 31)
		return ndl_fail(err, e->file, e->line, 1,
				"more than 31 skin-tone pigments");
	return put(&l->tones, d) ? ndl_fail(err, e->file, e->line, 1, "out of memory")
				 : 0;
}

/* Copies a growing list into the lexicon's memory, NULL-terminated. */
static const char *const *keep(ndl_lexicon *lex, const list *l, int *oom)
{
	const char *const *a = l->v;
	size_t n = l->n;
	const char **k = ndl_arena_alloc(&lex->mem, (n + 1) * sizeof(char *));
	if (k == NULL) {
		*oom = 1;
		return NULL;
	}
	if (n)
		memcpy(k, a, n * sizeof(char *));
	k[n] = NULL;
	return k;
}

static void free_lists(lists *l)
{
	free(l->tones.v);
	free(l->quals.v);
	free(l->spell.v);
	free(l->marks.v);
	free(l->sentence.v);
	for (size_t c = 0; c <= WORDS_ROLE; c++)
		free(l->cols[c].v);
	for (size_t h = 0; h < NDL_HEADER_COUNT; h++)
		free(l->heads[h].v);
}

/* Every entry's part of the tables. */
static int read_entries(ndl_lexicon *lex, lists *l, ndl_error *err)
{
	const ndl_entry *holder[3] = {0}, *cols[WORDS_ROLE + 1] = {0};
	unsigned bit = 0;
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = ndl_entry_at(lex, i);
		ndl_class_role role = lex->classes[e->cls].role;
		if (role == NDL_ROLE_PRODUCTS && e->role &&
		    read_product_role(lex, e, bit, holder, err))
			return -1;
		bit += role == NDL_ROLE_PRODUCTS;
		if (e->role && role != NDL_ROLE_PRODUCTS && role != NDL_ROLE_COLUMNS &&
		    role != NDL_ROLE_HEADERS)
			return ndl_fail(err, e->file, e->role_line, e->role_column,
					"'role:' is for the entries of products.txt, "
					"columns.txt and headers.txt");
		if (role == NDL_ROLE_COLUMNS && column_role(e, cols, err))
			return -1;
		if (role == NDL_ROLE_HEADERS && header_role(e, err))
			return -1;
		if (NDL_ROLE_IS_TABLE(role) && e->has_pattern)
			return ndl_fail(err, e->file, e->line, 1,
					"entry '%s': %s is read by names, not patterns",
					e->name, lex->classes[e->cls].id);
		if ((e->rules & NDL_RULE_SKIN_TONE) && skin_tone(e, l, err))
			return -1;
		if (NDL_ROLE_IS_TABLE(role) && entry_names(lex, e, role, l, err))
			return -1;
	}
	return 0;
}

/* "spf:" counts in a class of sunscreens only. */
static int check_spf(const ndl_lexicon *lex, ndl_error *err)
{
	for (size_t i = 0; i < lex->nclasses; i++) {
		const ndl_class *c = &lex->classes[i];
		if (c->spf_asked && (c->applies == NDL_NO_KIND ||
				     c->applies != lex->tables.sunscreen_kind))
			return ndl_fail(err, c->file, c->spf_line, c->spf_column,
					"'spf:' is for a class that applies to the "
					"kind of role sunscreen (products.txt)");
	}
	return 0;
}

int ndl_tables_build(ndl_lexicon *lex, ndl_error *err)
{
	ndl_tables *t = &lex->tables;
	memset(t, 0, sizeof(*t));
	t->makeup_kind = t->tinted_kind = t->sunscreen_kind = NDL_NO_KIND;
	lists l = {0};
	int rc = read_entries(lex, &l, err), oom = 0;
	if (rc == 0)
		rc = check_spf(lex, err);
	if (rc == 0) {
		t->skin_tones = keep(lex, &l.tones, &oom);
		t->nskin_tones = l.tones.n;
		t->qualifiers = keep(lex, &l.quals, &oom);
		t->nqualifiers = l.quals.n;
		t->spellings = keep(lex, &l.spell, &oom);
		t->nspellings = l.spell.n / 2;
		t->may_contain.words = keep(lex, &l.marks, &oom);
		t->may_contain.n = l.marks.n;
		for (size_t c = 0; c < NDL_COL_COUNT; c++)
			t->columns[c] = keep(lex, &l.cols[c], &oom);
		t->ingredients_words = keep(lex, &l.cols[WORDS_ROLE], &oom);
		t->sentence_words = keep(lex, &l.sentence, &oom);
		for (size_t h = 0; h < NDL_HEADER_COUNT; h++)
			t->headers.phrases[h] = keep(lex, &l.heads[h], &oom);
		for (size_t k = 0; k < l.marks.n; k++) {
			unsigned char c = (unsigned char)l.marks.v[k][0];
			t->may_contain.first[c] = 1;
			if (c >= 'a' && c <= 'z')
				t->may_contain.first[c - 32] = 1;
		}
		if (oom)
			rc = ndl_fail(err, NULL, 0, 0, "out of memory");
	}
	free_lists(&l);
	return rc;
}

int ndl_names_ingredients_loosely(const ndl_lexicon *lex, const char *cell)
{
	char norm[128];
	ndl_normalize(cell, strlen(cell), norm, sizeof(norm));
	const char *const *words = lex->tables.ingredients_words;
	for (char *w = strtok(norm, " "); w; w = strtok(NULL, " "))
		for (size_t k = 0; words && words[k]; k++) {
			size_t n = strlen(words[k]);
			if (words[k][n - 1] == '*' ? strncmp(w, words[k], n - 1) == 0
						   : strcmp(w, words[k]) == 0)
				return 1;
		}
	return 0;
}

int ndl_column_example(const ndl_lexicon *lex, size_t e, const char *x)
{
	const ndl_entry *en = ndl_entry_at(lex, e);
	size_t c = en->role ? role_index(en->role, column_roles, WORDS_ROLE + 1)
			    : WORDS_ROLE + 1;
	if (c > WORDS_ROLE)
		return 0;
	/* ingredients-word: a header without a name of the ingredients
	 * column, one of its cells holding a word */
	const char *const *names = lex->tables.columns[c == WORDS_ROLE ? 0 : c];
	int exact = 0, loose = 0;
	char cell[512], norm[2112];
	for (const char *p = x; *p;) {
		size_t n = strcspn(p, ",");
		if (n < sizeof(cell)) {
			memcpy(cell, p, n);
			cell[n] = '\0';
			ndl_normalize(cell, n, norm, sizeof(norm));
			for (size_t k = 0; names[k]; k++)
				exact |= strcmp(norm, names[k]) == 0;
			loose |= c == WORDS_ROLE && ndl_names_ingredients_loosely(lex, cell);
		}
		p += n + (p[n] == ',');
	}
	return c == WORDS_ROLE ? loose && !exact : exact;
}

ndl_header_role ndl_header_index(const char *role)
{
	return (ndl_header_role)(role ? role_index(role, header_roles, NDL_HEADER_COUNT)
				      : NDL_HEADER_COUNT);
}
