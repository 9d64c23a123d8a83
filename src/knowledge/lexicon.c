/* Loading the lexicon: class files, the protocol, extra known names. The
 * syntax is documented in lexicon/README.md. */
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knowledge/lexicon.h"
#include "base/text.h"

/* A file to load: embedded, or read from disk. */
typedef struct source {
	const char *name; /* base name, e.g. "retinoid.txt" */
	const char *path; /* for messages: "lexicon/retinoid.txt" or a path */
	const char *data;
	size_t len;
	char *owned; /* data read from disk, freed after loading */
} source;

typedef struct loader {
	ndl_lexicon *lex;
	ndl_error *err;
	const char *path;
	unsigned line;
	size_t cls;    /* class of the file being parsed, or NONE */
	int no_jit;
	int from_disk; /* the file was read from disk, not built in */
	size_t entry;  /* entry being filled, or NONE */
	int had_entry; /* an entry of this file was seen */
	/* growing arrays of the entry being filled */
	const char **names;
	size_t nnames, cap_names;
	const char **examples;
	size_t nexamples, cap_examples;
} loader;

#define NONE ((size_t)-1)

/* -------------------------------------------------------- name indexes */

static int index_put(ndl_lexicon *lex, ndl_name_index *idx, const char *key,
		     size_t len, uint32_t value)
{
	if ((idx->used + 1) * 2 > idx->nslots) {
		size_t n = idx->nslots ? idx->nslots * 2 : 1024;
		ndl_name_slot *slots = calloc(n, sizeof(*slots));
		if (slots == NULL)
			return -1;
		for (size_t i = 0; i < idx->nslots; i++) {
			ndl_name_slot *s = &idx->slots[i];
			if (!s->head)
				continue;
			size_t j = s->hash & (n - 1);
			while (slots[j].head)
				j = (j + 1) & (n - 1);
			slots[j] = *s;
		}
		free(idx->slots);
		idx->slots = slots;
		idx->nslots = n;
	}
	if (NDL_GROW(idx->post, idx->cap_post, idx->npost + 1))
		return -1;
	uint64_t h = ndl_hash(key, len);
	size_t j = h & (idx->nslots - 1);
	while (idx->slots[j].head &&
	       (idx->slots[j].hash != h || idx->slots[j].len != len ||
		memcmp(idx->slots[j].key, key, len) != 0))
		j = (j + 1) & (idx->nslots - 1);
	ndl_name_slot *s = &idx->slots[j];
	if (!s->head) {
		s->key = ndl_arena_strndup(&lex->mem, key, len);
		if (s->key == NULL)
			return -1;
		s->len = len;
		s->hash = h;
		idx->used++;
	}
	idx->post[idx->npost].value = value;
	idx->post[idx->npost].next = s->head;
	s->head = (uint32_t)++idx->npost;
	return 0;
}

uint32_t ndl_index_find(const ndl_name_index *idx, const char *key,
			size_t len)
{
	return idx->nslots ? ndl_index_find_hashed(idx, key, len, ndl_hash(key, len))
			   : 0;
}

uint32_t ndl_index_find_hashed(const ndl_name_index *idx, const char *key,
			       size_t len, uint64_t h)
{
	if (idx->nslots == 0)
		return 0;
	size_t j = h & (idx->nslots - 1);
	while (idx->slots[j].head) {
		const ndl_name_slot *s = &idx->slots[j];
		if (s->hash == h && s->len == len &&
		    memcmp(ndl_slot_key(idx, s), key, len) == 0)
			return s->head;
		j = (j + 1) & (idx->nslots - 1);
	}
	return 0;
}

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

const pcre2_code *ndl_pattern_jit(const ndl_lexicon *lex, size_t i)
{
	ndl_pattern *p = &lex->patterns[i];
	pcre2_code *c;
	pthread_mutex_lock(&jit_lock);
	c = atomic_load_explicit(&p->jitted, memory_order_relaxed);
	if (c == NULL && (c = pcre2_code_copy(p->code)) != NULL) {
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* else interpreted */
		atomic_store_explicit(&p->jitted, c, memory_order_release);
	}
	pthread_mutex_unlock(&jit_lock);
	return c ? c : p->code;
}

static void index_free(ndl_name_index *idx)
{
	free(idx->slots);
	free(idx->post);
}

/* The key of a name as written: normalised, without spaces. */
static size_t name_key(const char *name, char *key, size_t cap)
{
	size_t n = ndl_normalize(name, strlen(name), key, cap);
	return ndl_compact(key, n);
}

/* ----------------------------------------------------------- classes */

size_t ndl_class_find(const ndl_lexicon *lex, const char *id)
{
	for (size_t i = 0; i < lex->nclasses; i++)
		if (strcmp(lex->classes[i].id, id) == 0)
			return i;
	return NONE;
}

int ndl_class_is_active(const ndl_class *c)
{
	return c->role == NDL_ROLE_CLASS && (c->window.avoid_h != NDL_NO_WINDOW ||
					     c->window.caution_h != NDL_NO_WINDOW);
}

size_t ndl_class_count(const ndl_lexicon *lex)
{
	size_t n = 0;
	for (size_t i = 0; i < lex->nclasses; i++)
		n += lex->classes[i].role == NDL_ROLE_CLASS;
	return n;
}

const char *ndl_class_id(const ndl_lexicon *lex, size_t i)
{
	return i < ndl_class_count(lex) ? lex->classes[i].id : NULL;
}

const char *ndl_class_title(const ndl_lexicon *lex, size_t i)
{
	return i < ndl_class_count(lex) ? lex->classes[i].title : NULL;
}

/* ------------------------------------------------------ class files */

static int fail(loader *ld, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(loader *ld, unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ndl_fail(ld->err, ld->path, ld->line, col, "%s", msg);
}

static char *dup(loader *ld, const char *s, size_t n)
{
	return ndl_arena_strndup(&ld->lex->mem, s, n);
}

/* Saves the entry being filled (its name and example arrays). */
static int close_entry(loader *ld)
{
	if (ld->entry == NONE)
		return 0;
	ndl_lexicon *lex = ld->lex;
	ndl_entry *e = &lex->entries[ld->entry];
	const char **names = ndl_arena_alloc(&lex->mem,
					     (ld->nnames + 1) * sizeof(char *));
	const char **ex = ndl_arena_alloc(&lex->mem,
					  (ld->nexamples + 1) * sizeof(char *));
	if (names == NULL || ex == NULL)
		return ndl_fail(ld->err, ld->path, e->line, 1, "out of memory");
	if (ld->nnames) /* memcpy wants real pointers, even for nothing */
		memcpy(names, ld->names, ld->nnames * sizeof(char *));
	if (ld->nexamples)
		memcpy(ex, ld->examples, ld->nexamples * sizeof(char *));
	e->names = names;
	e->nnames = ld->nnames;
	e->examples = ex;
	e->nexamples = ld->nexamples;
	ndl_class_role role = lex->classes[e->cls].role;
	if (e->nexamples == 0 && role != NDL_ROLE_KNOWN)
		return ndl_fail(ld->err, ld->path, e->line, 1,
				"entry '%s' has no example", e->name);
	if (e->nnames == 0 && !e->has_pattern)
		return ndl_fail(ld->err, ld->path, e->line, 1,
				"entry '%s' has neither a name nor a pattern",
				e->name);
	ld->entry = NONE;
	return 0;
}

/* Splits "A; B; C" and calls add for each trimmed, non-empty name. */
static int split_names(loader *ld, const char *v, unsigned col,
		       int (*add)(loader *, const char *, unsigned))
{
	const char *p = v;
	while (*p) {
		const char *q = strchr(p, ';');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		size_t a = 0;
		while (a < n && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (n > a && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == a)
			return fail(ld, col + (unsigned)(p - v), "empty name");
		char *name = dup(ld, p + a, n - a);
		if (name == NULL || add(ld, name, col + (unsigned)(p - v + (long)a)))
			return name ? -1 : fail(ld, col, "out of memory");
		p = q ? q + 1 : p + strlen(p);
	}
	return 0;
}

static int add_name(loader *ld, const char *name, unsigned col)
{
	char key[512];
	if (name_key(name, key, sizeof(key)) == 0)
		return fail(ld, col, "'%s' has no letters or digits", name);
	if (NDL_GROW(ld->names, ld->cap_names, ld->nnames + 1))
		return fail(ld, col, "out of memory");
	ld->names[ld->nnames++] = name;
	return 0;
}

static int add_exclusion(loader *ld, const char *name, unsigned col)
{
	ndl_lexicon *lex = ld->lex;
	char key[512];
	if (name_key(name, key, sizeof(key)) == 0)
		return fail(ld, col, "'%s' has no letters or digits", name);
	if (NDL_GROW(lex->exclusions, lex->cap_exclusions, lex->nexclusions + 1))
		return fail(ld, col, "out of memory");
	ndl_exclusion *x = &lex->exclusions[lex->nexclusions++];
	x->name = name;
	x->cls = ld->cls;
	x->file = ld->path;
	x->line = ld->line;
	return 0;
}

static int new_entry(loader *ld, const char *v, unsigned col)
{
	ndl_lexicon *lex = ld->lex;
	if (close_entry(ld))
		return -1;
	if (NDL_GROW(lex->entries, lex->cap_entries, lex->nentries + 1))
		return fail(ld, col, "out of memory");
	ld->entry = lex->nentries++;
	ndl_entry *e = &lex->entries[ld->entry];
	memset(e, 0, sizeof(*e));
	e->cls = ld->cls;
	e->file = ld->path;
	e->line = ld->line;
	ld->had_entry = 1;
	ld->nnames = ld->nexamples = 0;
	if (split_names(ld, v, col, add_name))
		return -1;
	e->name = ld->nnames ? ld->names[0] : dup(ld, v, strlen(v));
	return e->name ? 0 : fail(ld, col, "out of memory");
}

pcre2_code *ndl_pattern_compile(const char *src, int *code, size_t *off)
{
	PCRE2_SIZE o = 0;
	pcre2_code *re = pcre2_compile(
		(PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
		PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF,
		code, &o, NULL);
	*off = o;
	return re;
}

static int compile_pattern(loader *ld, const char *v, unsigned col)
{
	ndl_lexicon *lex = ld->lex;
	int code;
	size_t off;
	pcre2_code *re = ndl_pattern_compile(v, &code, &off);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		return fail(ld, col + (unsigned)off, "bad pattern: %s",
			    (const char *)msg);
	}
	uint32_t cap = 0;
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &cap);
	if (cap > lex->max_capture)
		lex->max_capture = cap;
	if (NDL_GROW(lex->patterns, lex->cap_patterns, lex->npatterns + 1)) {
		pcre2_code_free(re);
		return fail(ld, col, "out of memory");
	}
	ndl_pattern *p = &lex->patterns[lex->npatterns++];
	p->src = dup(ld, v, strlen(v));
	p->code = re;
	p->jit = !ld->no_jit; /* after a few runs: most never run on a short list */
	atomic_init(&p->runs, 0);
	atomic_init(&p->jitted, NULL);
	p->entry = ld->entry;
	p->line = ld->line;
	p->column = col;
	lex->entries[ld->entry].has_pattern = 1;
	return 0;
}

static int set_class(loader *ld, const char *v, unsigned col)
{
	ndl_lexicon *lex = ld->lex;
	if (ld->cls != NONE)
		return fail(ld, col, "a file holds one class; '%s' is a second", v);
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-'))
			return fail(ld, col + (unsigned)(p - v),
				    "class id '%s' may hold only a-z, 0-9 and '-'", v);
	size_t old = ndl_class_find(lex, v);
	if (old != NONE)
		return ndl_fail(ld->err, ld->path, ld->line, col,
				"class '%s' is already defined in %s", v,
				lex->classes[old].file);
	if (NDL_GROW(lex->classes, lex->cap_classes, lex->nclasses + 1))
		return fail(ld, col, "out of memory");
	ld->cls = lex->nclasses++;
	ndl_class *c = &lex->classes[ld->cls];
	memset(c, 0, sizeof(*c));
	c->id = dup(ld, v, strlen(v));
	c->title = c->id;
	c->why = "";
	c->file = ld->path;
	c->from_disk = ld->from_disk;
	c->window = (ndl_window){NDL_NO_WINDOW, NDL_NO_WINDOW, NDL_SAFE};
	c->applies = NDL_NO_KIND;
	c->role = strcmp(v, "known") == 0	   ? NDL_ROLE_KNOWN
		  : strcmp(v, "notlists") == 0	   ? NDL_ROLE_NOTLIST
		  : strcmp(v, "products") == 0	   ? NDL_ROLE_PRODUCTS
		  : strcmp(v, "conjunctions") == 0 ? NDL_ROLE_CONJUNCTIONS
		  : strcmp(v, "sections") == 0	   ? NDL_ROLE_SECTIONS
		  : strcmp(v, "footnotes") == 0	   ? NDL_ROLE_FOOTNOTES
		  : strcmp(v, "qualifiers") == 0   ? NDL_ROLE_QUALIFIERS
		  : strcmp(v, "spellings") == 0	   ? NDL_ROLE_SPELLINGS
		  : strcmp(v, "may-contain") == 0  ? NDL_ROLE_MAY_CONTAIN
		  : strcmp(v, "columns") == 0	   ? NDL_ROLE_COLUMNS
		  : strcmp(v, "headers") == 0	   ? NDL_ROLE_HEADERS
		  : strcmp(v, "sentence-words") == 0 ? NDL_ROLE_SENTENCE_WORDS
						   : NDL_ROLE_CLASS;
	return c->id ? 0 : fail(ld, col, "out of memory");
}

/* A product kind named by a rule or "applies:", resolved later. */
static int add_kind_ref(loader *ld, const char *kind, unsigned col, int what)
{
	ndl_lexicon *lex = ld->lex;
	if (NDL_GROW(lex->kind_refs, lex->cap_kind_refs, lex->nkind_refs + 1))
		return fail(ld, col, "out of memory");
	ndl_kind_ref *r = &lex->kind_refs[lex->nkind_refs++];
	r->kind = dup(ld, kind, strlen(kind));
	r->cls = ld->cls;
	r->entry = what == 'a' ? NONE : ld->entry;
	r->what = what;
	r->file = ld->path;
	r->line = ld->line;
	r->column = col;
	return r->kind ? 0 : fail(ld, col, "out of memory");
}

/* A whole number in [1, 1000] at s; returns the characters read, 0 if none. */
static size_t small_number(const char *s, unsigned *v)
{
	size_t i = 0;
	*v = 0;
	while (s[i] >= '0' && s[i] <= '9' && *v <= 1000)
		*v = *v * 10 + (unsigned)(s[i++] - '0');
	return *v >= 1 && *v <= 1000 ? i : 0;
}

static int add_next_to(loader *ld, const char *name, unsigned col)
{
	char key[512];
	size_t len = name_key(name, key, sizeof(key));
	if (len == 0)
		return fail(ld, col, "'%s' has no letters or digits", name);
	char *k = dup(ld, key, len);
	if (k == NULL || NDL_GROW(ld->names, ld->cap_names, ld->nnames + 1))
		return fail(ld, col, "out of memory");
	ld->names[ld->nnames++] = k;
	return 0;
}

/* "rule: NAME [VALUE]" of an entry; see lexicon/README.md. */
static int parse_rule(loader *ld, ndl_entry *e, const char *v, unsigned col)
{
	static const struct {
		const char *name;
		unsigned bit;
	} flags[] = {{"late-caution", NDL_RULE_LATE_CAUTION},
		     {"caution", NDL_RULE_CAUTION},
		     {"marker", NDL_RULE_MARKER},
		     {"skin-tone", NDL_RULE_SKIN_TONE}};
	for (size_t i = 0; i < NDL_ARRAY_LEN(flags); i++)
		if (strcmp(v, flags[i].name) == 0) {
			e->rules |= flags[i].bit;
			return 0;
		}
	size_t n = strcspn(v, " \t");
	const char *arg = v + n;
	while (*arg == ' ' || *arg == '\t')
		arg++;
	unsigned acol = col + (unsigned)(arg - v);
#define RULE_IS(s) (n == strlen(s) && strncmp(v, s, n) == 0)
	if (*arg == '\0' && (RULE_IS("only-in") || RULE_IS("strict-in") ||
			     RULE_IS("not-in") || RULE_IS("caution-in") ||
			     RULE_IS("late-caution-in") ||
			     RULE_IS("only-first") || RULE_IS("caution-after") ||
			     RULE_IS("next-to")))
		return fail(ld, col + (unsigned)n, "rule '%.*s' needs a value",
			    (int)n, v);
	if (RULE_IS("only-in") || RULE_IS("strict-in") || RULE_IS("not-in") ||
	    RULE_IS("caution-in"))
		return add_kind_ref(ld, arg, acol, v[0]);
	if (RULE_IS("late-caution-in"))
		return add_kind_ref(ld, arg, acol, 'l');
	if (RULE_IS("only-first") || RULE_IS("caution-after")) {
		/* "5": the first five; "1/3": the first third */
		int only = v[0] == 'o';
		unsigned *num = only ? &e->only_first : &e->after_num;
		unsigned *den = only ? &e->only_first_den : &e->after_den;
		size_t k = small_number(arg, num);
		*den = 0;
		if (k && arg[k] == '/') {
			size_t k2 = small_number(arg + k + 1, den);
			k = k2 && *num < *den ? k + 1 + k2 : 0;
		}
		if (k == 0 || arg[k] != '\0')
			return fail(ld, acol,
				    "%s wants a place (5) or a fraction of the list "
				    "(1/3)",
				    only ? "only-first" : "caution-after");
		return 0;
	}
	if (RULE_IS("next-to")) {
		/* "Sodium Benzoate; Calcium Gluconate: safe" */
		const char *colon = strrchr(arg, ':');
		if (colon == NULL)
			return fail(ld, acol, "next-to wants 'NAME; NAME: safe' or "
					      "': caution'");
		const char *st = colon + 1;
		while (*st == ' ')
			st++;
		if (strcmp(st, "safe") == 0)
			e->next_to_status = NDL_SAFE;
		else if (strcmp(st, "caution") == 0)
			e->next_to_status = NDL_CAUTION;
		else
			return fail(ld, col + (unsigned)(st - v),
				    "next-to ends with ': safe' or ': caution'");
		char *names = dup(ld, arg, (size_t)(colon - arg));
		if (names == NULL)
			return fail(ld, col, "out of memory");
		/* the entry's own names are saved in ld->names: borrow the
		 * array after them and take the keys back off */
		size_t mark = ld->nnames;
		if (split_names(ld, names, acol, add_next_to))
			return -1;
		const char **keys = ndl_arena_alloc(&ld->lex->mem,
						    (ld->nnames - mark) * sizeof(char *));
		if (keys == NULL)
			return fail(ld, col, "out of memory");
		memcpy(keys, ld->names + mark, (ld->nnames - mark) * sizeof(char *));
		e->next_to = keys;
		e->nnext_to = ld->nnames - mark;
		ld->nnames = mark;
		return 0;
	}
#undef RULE_IS
	return fail(ld, col,
		    "unknown rule '%s' (expected late-caution, caution, marker, "
		    "skin-tone, only-in, only-first, not-in, strict-in, "
		    "caution-in, late-caution-in, caution-after or next-to)",
		    v);
}

/* "rule:" before the first entry: a flag or product-kind rule for every
 * entry of the class ("rule: caution-in rinse-off"). */
static int class_rule(loader *ld, ndl_class *c, const char *v, unsigned col)
{
	ndl_entry scratch;
	memset(&scratch, 0, sizeof(scratch));
	if (parse_rule(ld, &scratch, v, col))
		return -1;
	if (scratch.only_first || scratch.after_num || scratch.nnext_to)
		return fail(ld, col, "a rule for the whole class can be a flag or "
				     "a product-kind rule, not '%s'",
			    v);
	c->rules |= scratch.rules;
	return 0;
}

/* "spf: N" of a class: the SPF the aftercare asks (1 to 100). */
static int class_spf(loader *ld, ndl_class *c, const char *v, unsigned col)
{
	unsigned n;
	size_t k = small_number(v, &n);
	if (k == 0 || v[k] != '\0' || n > 100)
		return fail(ld, col, "spf wants a number from 1 to 100, not '%s'", v);
	c->spf_asked = n;
	c->spf_line = ld->line;
	c->spf_column = col;
	return 0;
}

/* One "key: value" line. */
static int parse_line(loader *ld, const char *key, const char *v, unsigned col)
{
	ndl_lexicon *lex = ld->lex;
	if (strcmp(key, "class") == 0)
		return set_class(ld, v, col);
	if (ld->cls == NONE)
		return fail(ld, 1, "the file must start with 'class: <id>'");
	ndl_class *c = &lex->classes[ld->cls];
	if (strcmp(key, "title") == 0 || strcmp(key, "why") == 0) {
		const char *s = dup(ld, v, strlen(v));
		*(key[0] == 't' ? &c->title : &c->why) = s;
		return 0;
	}
	if (strcmp(key, "applies") == 0) {
		c->applies = NDL_NO_KIND;
		return strcmp(v, "always") == 0 ? 0 : add_kind_ref(ld, v, col, 'a');
	}
	if (strcmp(key, "spf") == 0)
		return class_spf(ld, c, v, col);
	if (strcmp(key, "entry") == 0 ||
	    (strcmp(key, "known") == 0 && c->role == NDL_ROLE_KNOWN))
		return new_entry(ld, v, col);
	if (strcmp(key, "not") == 0)
		return close_entry(ld) ? -1 : split_names(ld, v, col, add_exclusion);
	static const char *const entry_keys[] = {"alias", "pattern", "rule",
						 "example", "note", "trace",
						 "role"};
	size_t k = 0;
	while (k < NDL_ARRAY_LEN(entry_keys) && strcmp(key, entry_keys[k]) != 0)
		k++;
	if (k == NDL_ARRAY_LEN(entry_keys))
		return fail(ld, 1,
			    "unknown key '%s' (expected class, title, why, applies, "
			    "spf, entry, alias, pattern, rule, example, note, trace, "
			    "role, not)",
			    key);
	if (k == 2 && ld->entry == NONE && !ld->had_entry)
		return class_rule(ld, c, v, col);
	if (ld->entry == NONE)
		return fail(ld, 1, "'%s:' must follow an 'entry:' line", key);
	ndl_entry *e = &lex->entries[ld->entry];
	switch (k) {
	case 0:
		return split_names(ld, v, col, add_name);
	case 1:
		return compile_pattern(ld, v, col);
	case 2:
		return parse_rule(ld, e, v, col);
	case 3: {
		const char *x = dup(ld, v, strlen(v));
		if (x == NULL ||
		    NDL_GROW(ld->examples, ld->cap_examples, ld->nexamples + 1))
			return fail(ld, col, "out of memory");
		ld->examples[ld->nexamples++] = x;
		return 0;
	}
	case 4:
		e->note = dup(ld, v, strlen(v));
		return 0;
	case 5:
		e->trace = dup(ld, v, strlen(v));
		return 0;
	default:
		e->role = dup(ld, v, strlen(v));
		e->role_line = ld->line;
		e->role_column = col;
		return 0; /* checked by ndl_tables_build */
	}
}

/* Next line of data [*pos, len) without its end-of-line; NULL at the end. */
static const char *next_line(const char *data, size_t len, size_t *pos,
			     size_t *n)
{
	if (*pos >= len)
		return NULL;
	const char *s = data + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	*n = nl ? (size_t)(nl - s) : len - *pos;
	*pos += *n + (nl != NULL);
	if (*n > 0 && s[*n - 1] == '\r')
		(*n)--;
	return s;
}

static int parse_class_file(ndl_lexicon *lex, const source *src, int no_jit,
			    ndl_error *err)
{
	loader ld = {.lex = lex, .err = err, .path = src->path,
		     .cls = NONE, .entry = NONE, .no_jit = no_jit,
		     .from_disk = src->owned != NULL};
	size_t pos = 0, n;
	const char *s;
	char line[4096];
	int rc = 0;
	while (rc == 0 && (s = next_line(src->data, src->len, &pos, &n))) {
		ld.line++;
		if (memchr(s, '\0', n)) {
			rc = fail(&ld, 1, "NUL byte in a lexicon file");
			break;
		}
		size_t i = 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n || s[i] == '#')
			continue;
		if (n >= sizeof(line)) {
			rc = fail(&ld, 1, "line longer than %s bytes", "4095");
			break;
		}
		memcpy(line, s, n);
		line[n] = '\0';
		/* a comment runs from " # " to the end of the line ("#NAME?"
		 * is a value) */
		for (size_t j = i; j < n; j++)
			if (line[j] == '#' && (line[j - 1] == ' ' || line[j - 1] == '\t') &&
			    (j + 1 == n || line[j + 1] == ' ' || line[j + 1] == '\t')) {
				line[j] = '\0';
				break;
			}
		char *key = line + i;
		char *colon = key;
		while ((*colon >= 'a' && *colon <= 'z') || *colon == '-')
			colon++;
		if (*colon != ':' || colon == key) {
			rc = fail(&ld, (unsigned)i + 1, "expected 'key: value'");
			break;
		}
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		size_t vl = strlen(v);
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			v[--vl] = '\0';
		unsigned col = (unsigned)(v - line) + 1;
		if (vl == 0) {
			rc = fail(&ld, (unsigned)(colon - line) + 2,
				  "'%s:' has an empty value", key);
			break;
		}
		rc = parse_line(&ld, key, v, col);
	}
	if (rc == 0)
		rc = close_entry(&ld);
	if (rc == 0 && ld.cls == NONE)
		rc = ndl_fail(err, src->path, 0, 0, "no 'class:' line");
	free(ld.names);
	free(ld.examples);
	return rc;
}

/* ------------------------------------------------------------ protocol */

/* Reports an error of a protocol file: the first fills err, the next
 * ones are added to it, so a clinic sees every error in one run. */
static void protocol_error(ndl_error *err, int *nerr, const char *path, unsigned line,
			   unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void protocol_error(ndl_error *err, int *nerr, const char *path, unsigned line,
			   unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((*nerr)++ == 0)
		ndl_fail(err, path, line, col, "%s", msg);
	else
		ndl_fail_more(err, path, line, col, "%s", msg);
}

/* One line of a protocol file: the class's window, read into w. */
static int protocol_line(ndl_lexicon *lex, const source *src, unsigned lineno,
			 char **f, const unsigned *fcol, size_t nf, ndl_window *w,
			 ndl_error *err, int *nerr)
{
	const char *path = src->path;
	if (nf < 4) {
		protocol_error(err, nerr, path, lineno, 1,
			       "expected tab-separated class, avoid_until_h, "
			       "caution_until_h, then[, source]");
		return -1;
	}
	size_t c = ndl_class_find(lex, f[0]);
	if (c == NONE || lex->classes[c].role != NDL_ROLE_CLASS) {
		protocol_error(err, nerr, path, lineno, 1, "unknown class '%s'", f[0]);
		return -1;
	}
	if (lex->classes[c].window_file == path) {
		protocol_error(err, nerr, path, lineno, 1, "second line for class '%s'", f[0]);
		return -1;
	}
	int bad = 0;
	for (int k = 1; k <= 2; k++)
		if (ndl_parse_hours(f[k], k == 1 ? &w->avoid_h : &w->caution_h)) {
			protocol_error(err, nerr, path, lineno, fcol[k],
				       "'%s' is not a number of hours (0 to 100000) or '-'",
				       f[k]);
			bad = 1;
		}
	if (!bad && w->avoid_h != NDL_NO_WINDOW && w->caution_h != NDL_NO_WINDOW &&
	    w->caution_h < w->avoid_h) {
		protocol_error(err, nerr, path, lineno, fcol[2],
			       "caution ends (%s h) before avoid does", f[2]);
		bad = 1;
	}
	if (strcmp(f[3], "safe") == 0) {
		w->then = NDL_SAFE;
	} else if (strcmp(f[3], "recommended") == 0) {
		w->then = NDL_RECOMMENDED;
	} else {
		protocol_error(err, nerr, path, lineno, fcol[3],
			       "'%s' is not 'safe' or 'recommended'", f[3]);
		bad = 1;
	}
	return bad ? -1 : (int)c;
}

/* Reads a protocol file over what is there: each line sets the window of
 * its class, the classes it does not name keep theirs (the defaults, or
 * an earlier file's). rank orders the classes a file adds after those of
 * the files before it. Every error of the file is reported. */
static int parse_protocol(ndl_lexicon *lex, const source *src, unsigned rank,
			  ndl_error *err)
{
	size_t pos = 0, n;
	const char *s;
	unsigned lineno = 0;
	int nerr = 0;
	while ((s = next_line(src->data, src->len, &pos, &n))) {
		lineno++;
		if (n == 0 || s[0] == '#')
			continue;
		if (memchr(s, '\0', n)) {
			protocol_error(err, &nerr, src->path, lineno, 1, "NUL byte");
			continue;
		}
		char *line = ndl_arena_strndup(&lex->mem, s, n);
		if (line == NULL)
			return ndl_fail(err, src->path, lineno, 1, "out of memory");
		char *f[5] = {0};
		unsigned fcol[5] = {0};
		size_t nf = 0;
		char *p = line;
		while (nf < 5) {
			f[nf] = p;
			fcol[nf] = (unsigned)(p - line) + 1;
			nf++;
			char *tab = strchr(p, '\t');
			if (tab == NULL || nf == 5)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (strcmp(f[0], "class") == 0)
			continue; /* the header line */
		ndl_window w = {NDL_NO_WINDOW, NDL_NO_WINDOW, NDL_SAFE};
		int c = protocol_line(lex, src, lineno, f, fcol, nf, &w, err, &nerr);
		if (c < 0)
			continue;
		ndl_class *cl = &lex->classes[c];
		cl->window = w;
		cl->source = nf == 5 ? f[4] : "";
		cl->window_file = src->path;
		if (!cl->has_window)
			cl->order = rank * 1000000u + lineno;
		cl->has_window = 1;
	}
	return nerr ? -1 : 0;
}

/* Every class has its window once the protocol files are read: the
 * classes without one are all named. */
static int check_windows(ndl_lexicon *lex, const char *path, ndl_error *err)
{
	int nerr = 0;
	for (size_t c = 0; c < lex->nclasses; c++)
		if (lex->classes[c].role == NDL_ROLE_CLASS && !lex->classes[c].has_window)
			protocol_error(err, &nerr, path, 0, 0, "no line for class '%s' (%s): a class "
				       "needs its days in a protocol file",
				       lex->classes[c].id, lex->classes[c].file);
	return nerr ? -1 : 0;
}

/* Puts the classes in protocol order (the design's order for the default
 * protocol), the vocabularies after them, so that class index i of a
 * finding is the i-th class of ndl_class_id. */
static int order_classes(ndl_lexicon *lex)
{
	size_t n = lex->nclasses;
	size_t *perm = malloc(n * sizeof(*perm)), *where = malloc(n * sizeof(*where));
	ndl_class *sorted = malloc(n * sizeof(*sorted));
	if (perm == NULL || where == NULL || sorted == NULL) {
		free(perm);
		free(where);
		free(sorted);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	/* insertion sort: stable, and n is small */
	for (size_t i = 1; i < n; i++) {
		size_t p = perm[i], j = i;
		unsigned key = lex->classes[p].has_window ? lex->classes[p].order : ~0u;
		while (j > 0) {
			const ndl_class *q = &lex->classes[perm[j - 1]];
			if ((q->has_window ? q->order : ~0u) <= key)
				break;
			perm[j] = perm[j - 1];
			j--;
		}
		perm[j] = p;
	}
	for (size_t i = 0; i < n; i++) {
		sorted[i] = lex->classes[perm[i]];
		where[perm[i]] = i;
	}
	memcpy(lex->classes, sorted, n * sizeof(*sorted));
	for (size_t i = 0; i < lex->nentries; i++)
		lex->entries[i].cls = where[lex->entries[i].cls];
	for (size_t i = 0; i < lex->nexclusions; i++)
		lex->exclusions[i].cls = where[lex->exclusions[i].cls];
	for (size_t i = 0; i < lex->nkind_refs; i++)
		lex->kind_refs[i].cls = where[lex->kind_refs[i].cls];
	if (lex->products != NONE)
		lex->products = where[lex->products];
	free(perm);
	free(where);
	free(sorted);
	return 0;
}

/* ------------------------------------------------------- product kinds */

unsigned ndl_kind_find(const ndl_lexicon *lex, const char *name)
{
	unsigned k = 0;
	for (size_t i = 0; lex->products != NONE && i < lex->nentries; i++) {
		if (ndl_entry_cls(lex, i) != lex->products)
			continue;
		if (strcmp(ndl_entry_at(lex, i)->name, name) == 0)
			return k;
		k++;
	}
	return NDL_NO_KIND;
}

/* Turns the kind names of rules and "applies:" into bits, now that
 * products.txt is loaded, and gives each entry its class's rules. */
static int resolve_kinds(ndl_lexicon *lex, ndl_error *err)
{
	lex->products = ndl_class_find(lex, "products");
	lex->nkinds = 0;
	for (size_t i = 0; lex->products != NONE && i < lex->nentries; i++)
		if (lex->entries[i].cls == lex->products &&
		    ++lex->nkinds > NDL_MAX_KINDS)
			return ndl_fail(err, lex->entries[i].file, lex->entries[i].line,
					1, "more than %d product kinds", NDL_MAX_KINDS);
	for (size_t i = 0; i < lex->nkind_refs; i++) {
		const ndl_kind_ref *r = &lex->kind_refs[i];
		unsigned k = ndl_kind_find(lex, r->kind);
		if (k == NDL_NO_KIND)
			return ndl_fail(err, r->file, r->line, r->column,
					"'%s' is not a product kind (an entry of "
					"products.txt)",
					r->kind);
		if (r->what == 'a') {
			lex->classes[r->cls].applies = k;
			continue;
		}
		for (size_t j = 0; j < lex->nentries; j++) {
			if (r->entry != NONE ? j != r->entry
					     : lex->entries[j].cls != r->cls)
				continue;
			ndl_entry *e = &lex->entries[j];
			uint32_t *mask = r->what == 'o'	  ? &e->only_in
					 : r->what == 's' ? &e->strict_in
					 : r->what == 'n' ? &e->not_in
					 : r->what == 'c' ? &e->caution_in
							  : &e->late_caution_in;
			*mask |= (uint32_t)1 << k;
		}
	}
	for (size_t i = 0; i < lex->nentries; i++)
		lex->entries[i].rules |= lex->classes[lex->entries[i].cls].rules;
	return 0;
}

/* ------------------------------------------------------------ indexes */

static int build_indexes(ndl_lexicon *lex, ndl_error *err)
{
	char key[512];
	/* the classes' names first, then the vocabulary's: a name a class
	 * added from disk also holds is the class's (the vocabulary only
	 * says a name is an ingredient) */
	for (size_t n = 0; n < 2 * lex->nentries; n++) {
		size_t i = n % lex->nentries;
		const ndl_entry *e = &lex->entries[i];
		ndl_class_role role = lex->classes[e->cls].role;
		if (role == NDL_ROLE_NOTLIST || role == NDL_ROLE_PRODUCTS ||
		    NDL_ROLE_IS_TABLE(role))
			continue; /* matched on whole texts or product names,
				     or read as tables (vocab.c) */
		if ((role == NDL_ROLE_KNOWN) != (n >= lex->nentries))
			continue;
		for (size_t k = 0; k < e->nnames; k++) {
			size_t len = name_key(e->names[k], key, sizeof(key));
			if (NDL_ROLE_IS_LABEL(role))
				break; /* below, once every name is known */
			for (uint32_t p = ndl_index_find(&lex->names, key, len); p;
			     p = lex->names.post[p - 1].next) {
				const ndl_entry *o = &lex->entries[lex->names.post[p - 1].value];
				int known = role == NDL_ROLE_KNOWN ||
					    lex->classes[o->cls].role == NDL_ROLE_KNOWN;
				if (o == e)
					goto next_name; /* the same name twice */
				if (known && o->cls != e->cls &&
				    (lex->classes[o->cls].from_disk || lex->classes[e->cls].from_disk))
					goto next_name; /* the class's */
				if (o->cls == e->cls || known)
					return ndl_fail(
						err, e->file, e->line, 1,
						"'%s' is also entry '%s' of %s (%s:%u)",
						e->names[k], o->name,
						lex->classes[o->cls].id, o->file,
						o->line);
			}
			if (index_put(lex, &lex->names, key, len, (uint32_t)i))
				return ndl_fail(err, e->file, e->line, 1, "out of memory");
		next_name:;
		}
	}
	/* label words ("and", "Formula") are never ingredient names */
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = &lex->entries[i];
		ndl_class_role role = lex->classes[e->cls].role;
		if (role != NDL_ROLE_CONJUNCTIONS && role != NDL_ROLE_SECTIONS)
			continue; /* footnotes are patterns on whole texts */
		for (size_t k = 0; k < e->nnames; k++) {
			size_t len = name_key(e->names[k], key, sizeof(key));
			if (ndl_index_find(&lex->names, key, len))
				return ndl_fail(err, e->file, e->line, 1,
						"'%s' is an ingredient name, not a "
						"label word",
						e->names[k]);
			if (index_put(lex, &lex->labels, key, len, (uint32_t)i))
				return ndl_fail(err, e->file, e->line, 1, "out of memory");
		}
	}
	for (size_t i = 0; i < lex->nexclusions; i++) {
		const ndl_exclusion *x = &lex->exclusions[i];
		size_t len = name_key(x->name, key, sizeof(key));
		for (uint32_t p = ndl_index_find(&lex->names, key, len); p;
		     p = lex->names.post[p - 1].next) {
			const ndl_entry *o = &lex->entries[lex->names.post[p - 1].value];
			if (o->cls == x->cls)
				return ndl_fail(err, x->file, x->line, 1,
						"'%s' is both a false friend and "
						"entry '%s' of %s",
						x->name, o->name, lex->classes[o->cls].id);
		}
		if (index_put(lex, &lex->excluded, key, len, (uint32_t)i))
			return ndl_fail(err, x->file, x->line, 1, "out of memory");
	}
	return 0;
}

/* ------------------------------------------------------- known files */

typedef struct known_reader {
	ndl_lexicon *lex;
	size_t cls;
	long column;     /* which CSV column holds the name; -1 undecided */
	long field;      /* current field number in the row */
	unsigned long row;
	int failed;
} known_reader;

static void add_known(known_reader *kr, const char *s, size_t n)
{
	ndl_lexicon *lex = kr->lex;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	while (n > 0 && *s == ' ')
		s++, n--;
	char key[512];
	if (n == 0 || n >= sizeof(key) || memchr(s, '\0', n))
		return;
	char *name = ndl_arena_strndup(&lex->mem, s, n);
	if (name == NULL) {
		kr->failed = 1;
		return;
	}
	size_t len = name_key(name, key, sizeof(key));
	if (len == 0 || ndl_index_find(&lex->names, key, len) ||
	    ndl_index_find(&lex->labels, key, len))
		return; /* a class or an earlier name already has it, or it is
			   a label word */
	const char **names = ndl_arena_alloc(&lex->mem, sizeof(char *));
	if (names == NULL ||
	    NDL_GROW(lex->entries, lex->cap_entries, lex->nentries + 1)) {
		kr->failed = 1;
		return;
	}
	names[0] = name;
	ndl_entry *e = &lex->entries[lex->nentries];
	memset(e, 0, sizeof(*e));
	e->cls = kr->cls;
	e->name = name;
	e->names = names;
	e->nnames = 1;
	e->file = "";
	if (index_put(lex, &lex->names, key, len, (uint32_t)lex->nentries))
		kr->failed = 1;
	else
		lex->nentries++;
}

static void known_field(void *data, size_t n, void *ctx)
{
	known_reader *kr = ctx;
	const char *s = data ? data : "";
	if (kr->row == 0) {
		/* header: the first column of role known-name (columns.txt,
		 * whose tables are built before these files are read) */
		const char *const *names = kr->lex->tables.columns[NDL_COL_KNOWN];
		char norm[512];
		if (n < 100)
			ndl_normalize(s, n, norm, sizeof(norm));
		for (size_t k = 0; n < 100 && kr->column < 0 && names[k]; k++)
			if (strcmp(norm, names[k]) == 0)
				kr->column = kr->field;
	} else if (kr->field == kr->column) {
		add_known(kr, s, n);
	}
	kr->field++;
}

static void known_row(int c, void *ctx)
{
	(void)c;
	known_reader *kr = ctx;
	if (kr->row == 0 && kr->column < 0)
		kr->column = 0;
	kr->row++;
	kr->field = 0;
}

static int load_known(ndl_lexicon *lex, const source *src, ndl_error *err)
{
	known_reader kr = {.lex = lex, .column = -1};
	kr.cls = ndl_class_find(lex, "known");
	if (kr.cls == NONE)
		return ndl_fail(err, src->path, 0, 0, "the lexicon has no 'known' class");
	size_t nl = strlen(src->name);
	if (nl > 4 && strcmp(src->name + nl - 4, ".csv") == 0) {
		struct csv_parser p;
		if (csv_init(&p, CSV_APPEND_NULL) != 0)
			return ndl_fail(err, src->path, 0, 0, "out of memory");
		size_t off = src->len >= 3 && memcmp(src->data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		size_t done = csv_parse(&p, src->data + off, src->len - off,
					known_field, known_row, &kr);
		csv_fini(&p, known_field, known_row, &kr);
		int bad = done != src->len - off;
		csv_free(&p);
		if (bad)
			return ndl_fail(err, src->path, 0, 0, "cannot parse this CSV file");
	} else {
		size_t pos = 0, n;
		const char *s;
		kr.row = 1;
		while ((s = next_line(src->data, src->len, &pos, &n)))
			if (n > 0 && s[0] != '#')
				add_known(&kr, s, n);
	}
	return kr.failed ? ndl_fail(err, src->path, 0, 0, "out of memory") : 0;
}

/* ------------------------------------------------------------- files */

static int read_file(const char *path, source *out, ndl_error *err)
{
	char *data;
	size_t len;
	if (ndl_knowledge_read(path, SIZE_MAX / 2, &data, &len, err) != 0)
		return -1;
	const char *base = strrchr(path, '/');
	out->name = base ? base + 1 : path;
	out->path = path;
	out->data = out->owned = data;
	out->len = len;
	return 0;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n > k && strcmp(s + n - k, suf) == 0;
}

/* Puts src in place of the file of the same name, or after the others. */
static int put_source(source **srcs, size_t *n, size_t *cap, source src)
{
	size_t i = 0;
	while (i < *n && strcmp((*srcs)[i].name, src.name) != 0)
		i++;
	if (i == *n && NDL_GROW(*srcs, *cap, *n + 1))
		return -1;
	if (i == *n)
		(*n)++;
	else
		free((*srcs)[i].owned);
	(*srcs)[i] = src;
	return 0;
}

/* Adds the files of dir, replacing embedded files of the same name. */
static int add_dir(ndl_lexicon *lex, const char *dir, source **srcs, size_t *n,
		   size_t *cap, ndl_error *err)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return ndl_fail(err, dir, 0, 0, "cannot open lexicon directory: %s",
				strerror(errno));
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    !(has_suffix(de->d_name, ".txt") || has_suffix(de->d_name, ".tsv")))
			continue;
		size_t plen = strlen(dir) + strlen(de->d_name) + 2;
		char *path = ndl_arena_alloc(&lex->mem, plen);
		if (path == NULL) {
			rc = ndl_fail(err, dir, 0, 0, "out of memory");
			break;
		}
		snprintf(path, plen, "%s/%s", dir, de->d_name);
		source s;
		if ((rc = read_file(path, &s, err)) != 0)
			break;
		if (put_source(srcs, n, cap, s)) {
			free(s.owned);
			rc = ndl_fail(err, dir, 0, 0, "out of memory");
			break;
		}
	}
	closedir(d);
	return rc;
}

static ndl_lexicon *build(ndl_lexicon *lex, source *srcs, size_t nsrc,
			  const ndl_config *cfg, int rc, ndl_error *err);

ndl_lexicon *ndl_lexicon_load(const ndl_config *cfg, const char *name,
			      const char *data, size_t len, ndl_error *err)
{
	static const ndl_config none;
	if (cfg == NULL)
		cfg = &none;
	ndl_lexicon *lex = calloc(1, sizeof(*lex));
	source *srcs = NULL;
	size_t nsrc = 0, cap = 0;
	int rc = 0;
	if (lex == NULL) {
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	lex->mem.block_size = 1 << 16;
	for (size_t i = 0; i < ndl_embedded_count && rc == 0; i++) {
		if (NDL_GROW(srcs, cap, nsrc + 1)) {
			rc = ndl_fail(err, NULL, 0, 0, "out of memory");
			break;
		}
		const ndl_embedded_file *f = &ndl_embedded_files[i];
		char *path = ndl_arena_alloc(&lex->mem, strlen(f->name) + 9);
		if (path == NULL) {
			rc = ndl_fail(err, NULL, 0, 0, "out of memory");
			break;
		}
		sprintf(path, "lexicon/%s", f->name);
		srcs[nsrc++] = (source){.name = f->name, .path = path,
					.data = f->data, .len = f->len};
	}
	if (rc == 0 && cfg->lexicon_dir)
		rc = add_dir(lex, cfg->lexicon_dir, &srcs, &nsrc, &cap, err);
	if (rc == 0 && name &&
	    put_source(&srcs, &nsrc, &cap, (source){.name = name, .path = name,
						    .data = data, .len = len}))
		rc = ndl_fail(err, name, 0, 0, "out of memory");
	return build(lex, srcs, nsrc, cfg, rc, err);
}

ndl_lexicon *ndl_lexicon_open_files(const ndl_embedded_file *files, size_t n,
				    int no_jit, ndl_error *err)
{
	ndl_config cfg = {.no_jit = no_jit};
	ndl_lexicon *lex = calloc(1, sizeof(*lex));
	source *srcs = calloc(n ? n : 1, sizeof(*srcs));
	if (lex == NULL || srcs == NULL) {
		free(lex);
		free(srcs);
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	lex->mem.block_size = 1 << 16;
	for (size_t i = 0; i < n; i++)
		srcs[i] = (source){.name = files[i].name, .path = files[i].name,
				   .data = files[i].data, .len = files[i].len};
	return build(lex, srcs, n, &cfg, 0, err);
}

/* The default protocol, as built in. */
static source embedded_protocol(void)
{
	for (size_t i = 0; i < ndl_embedded_count; i++)
		if (strcmp(ndl_embedded_files[i].name, "protocol.tsv") == 0)
			return (source){.name = "protocol.tsv", .path = "lexicon/protocol.tsv",
					.data = ndl_embedded_files[i].data,
					.len = ndl_embedded_files[i].len};
	return (source){0};
}

int ndl_lexicon_read_protocol(ndl_lexicon *lex, const char *file, ndl_error *err)
{
	source p;
	if (read_file(file, &p, err) != 0)
		return -1;
	/* the lexicon keeps the name: cfg may go first */
	p.path = ndl_arena_strndup(&lex->mem, p.path, strlen(p.path));
	int rc = p.path ? parse_protocol(lex, &p, 2, err)
			: ndl_fail(err, NULL, 0, 0, "out of memory");
	lex->protocol = p.path;
	free(p.owned);
	return rc;
}

/* lex->entry_cls, once every entry is there. */
static int classes_apart(ndl_lexicon *lex)
{
	uint32_t *cls = malloc((lex->nentries + 1) * sizeof(*cls));
	if (cls == NULL)
		return -1;
	for (size_t i = 0; i < lex->nentries; i++)
		cls[i] = (uint32_t)lex->entries[i].cls;
	lex->entry_cls = cls;
	return 0;
}

/* The lexicon of the sources (which it frees), and of cfg's protocol and
 * known files; NULL when rc or any of it fails. */
static ndl_lexicon *build(ndl_lexicon *lex, source *srcs, size_t nsrc,
			  const ndl_config *cfg, int rc, ndl_error *err)
{
	source proto = {0};
	for (size_t i = 0; i < nsrc && rc == 0; i++) {
		if (strcmp(srcs[i].name, "protocol.tsv") == 0)
			proto = srcs[i];
		else if (has_suffix(srcs[i].name, ".txt"))
			rc = parse_class_file(lex, &srcs[i], cfg->no_jit, err);
	}
	if (rc == 0)
		rc = resolve_kinds(lex, err);
	if (rc == 0)
		rc = build_indexes(lex, err);
	if (rc == 0)
		rc = ndl_tables_build(lex, err);
	/* the protocol: the defaults, then a lexicon directory's file and
	 * --protocol FILE, each over them */
	source base = proto.owned ? embedded_protocol() : proto;
	if (rc == 0 && base.data == NULL)
		rc = ndl_fail(err, NULL, 0, 0, "no protocol.tsv in the lexicon");
	if (rc == 0)
		rc = parse_protocol(lex, &base, 0, err);
	if (rc == 0 && proto.owned) {
		rc = parse_protocol(lex, &proto, 1, err);
		lex->protocol = proto.path;
	}
	if (rc == 0 && cfg->protocol_file)
		rc = ndl_lexicon_read_protocol(lex, cfg->protocol_file, err);
	if (rc == 0)
		rc = check_windows(lex, lex->protocol ? lex->protocol : base.path, err);
	if (rc == 0 && ndl_class_count(lex) > NDL_MAX_CLASSES)
		rc = ndl_fail(err, NULL, 0, 0, "more than %d classes", NDL_MAX_CLASSES);
	if (rc == 0 && order_classes(lex) != 0)
		rc = ndl_fail(err, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < cfg->nknown_files && rc == 0; i++) {
		source k;
		if ((rc = read_file(cfg->known_files[i], &k, err)) == 0) {
			rc = load_known(lex, &k, err);
			free(k.owned);
		}
	}
	for (size_t i = 0; i < nsrc; i++)
		free(srcs[i].owned);
	free(srcs);
	if (rc == 0 && classes_apart(lex) != 0)
		rc = ndl_fail(err, NULL, 0, 0, "out of memory");
	if (rc != 0) {
		ndl_lexicon_free(lex);
		return NULL;
	}
	return lex;
}

const char *ndl_lexicon_protocol(const ndl_lexicon *lex)
{
	return lex->protocol;
}

void ndl_lexicon_free(ndl_lexicon *lex)
{
	if (lex == NULL)
		return;
	for (size_t i = 0; i < lex->npatterns; i++) {
		pcre2_code_free(lex->patterns[i].code);
		pcre2_code_free(atomic_load(&lex->patterns[i].jitted));
	}
	free(lex->patterns);
	free(lex->classes);
	free(lex->exclusions);
	if (lex->image) { /* the rest is the image's */
		ndl_image_free(lex);
		ndl_arena_free(&lex->mem);
		free(lex);
		return;
	}
	free(lex->entries);
	free((void *)(uintptr_t)lex->entry_cls); /* its own, when loaded */
	free(lex->kind_refs);
	index_free(&lex->names);
	index_free(&lex->excluded);
	index_free(&lex->labels);
	ndl_arena_free(&lex->mem);
	free(lex);
}
