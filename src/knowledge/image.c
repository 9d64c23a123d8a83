/* Reading a lexicon image (lexicon_write.c writes them): its classes,
 * patterns, exclusions and tables when it is opened, in the time it
 * takes to decode its patterns (and read a clinic's protocol file); each
 * entry when it is first read. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "knowledge/lexicon.h"

/* The code of img's patterns into pats: decoded, or compiled from their
 * source when img's code is not this PCRE2's (another version). */
static int image_patterns(const ndl_lexicon_image *img, ndl_pattern *pats,
			  size_t n, ndl_error *err)
{
	pcre2_code **codes = calloc(n, sizeof(*codes));
	if (codes == NULL)
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	int32_t got = img->code_len ? pcre2_serialize_decode(codes, (int32_t)n,
							     img->code, NULL)
				    : 0;
	if (got != (int32_t)n)
		for (int32_t i = 0; i < got; i++)
			pcre2_code_free(codes[i]);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		int code;
		size_t off;
		pats[i].code = got == (int32_t)n
				       ? codes[i]
				       : ndl_pattern_compile(pats[i].src, &code, &off);
		if (pats[i].code == NULL && rc == 0)
			rc = ndl_fail(err, NULL, 0, 0, "pattern '%s' does not compile",
				      pats[i].src);
	}
	free(codes);
	return rc;
}

/* String s of the image (an offset in place of the pointer). */
static const char *str(const ndl_lexicon_image *img, const char *s)
{
	return s ? img->strings + (uintptr_t)s : NULL;
}

/* The memory of an image's entries as they are made (ndl_entry_at): a
 * count of those made and of their strings, a pointer to each, and the
 * entries and their arrays of strings in the order they were made, so
 * that the few a run meets share a few pages. lex->entries stays NULL:
 * an entry read by its index without ndl_entry_at is a crash, not
 * another entry. */
typedef struct made {
	size_t entries, strings;
	ndl_entry *made; /* the entries made, in that order */
} made;

static size_t block_size(const ndl_lexicon_image *img)
{
	size_t n = img->lex->nentries + 1;
	return sizeof(made) + n * (sizeof(ndl_entry *) + sizeof(ndl_entry)) +
	       img->nstring_arrays * sizeof(const char *);
}

/* Fresh pages: a run touches those it uses. */
static int entries_block(ndl_lexicon *lex, const ndl_lexicon_image *img)
{
	char *p = ndl_fresh_alloc(block_size(img));
	if (p == NULL)
		return -1;
	size_t n = img->lex->nentries + 1;
	made *count = (made *)(void *)p;
	lex->entry_block = count;
	p += sizeof(made);
	lex->entry_made = (ndl_entry *_Atomic *)(void *)p;
	p += n * sizeof(ndl_entry *);
	count->made = (ndl_entry *)(void *)p;
	lex->entry_strings = (const char **)(void *)(count->made + n);
	return 0;
}

void ndl_image_free(ndl_lexicon *lex)
{
	if (lex->entry_block)
		ndl_fresh_free(lex->entry_block, block_size(lex->image));
	lex->entry_block = NULL;
	lex->entry_made = NULL;
}

/* The image's classes, patterns and exclusions, with their strings:
 * few, and read by every run. A protocol file may change the classes'
 * windows (every class of an image has its window: the build checked
 * it), never their order. */
static int image_arrays(ndl_lexicon *lex, const ndl_lexicon_image *img,
			const ndl_config *cfg)
{
	const ndl_lexicon *src = img->lex;
	lex->classes = malloc((src->nclasses + 1) * sizeof(*lex->classes));
	/* zero: no code to free if this fails */
	lex->patterns = calloc(src->npatterns + 1, sizeof(*lex->patterns));
	lex->exclusions = malloc((src->nexclusions + 1) * sizeof(*lex->exclusions));
	if (lex->classes == NULL || lex->patterns == NULL || lex->exclusions == NULL ||
	    entries_block(lex, img) != 0)
		return -1;
	for (size_t i = 0; i < src->nclasses; i++) {
		ndl_class *c = &lex->classes[i];
		*c = src->classes[i];
		c->id = str(img, c->id);
		c->title = str(img, c->title);
		c->why = str(img, c->why);
		c->file = str(img, c->file);
		c->source = str(img, c->source);
		c->window_file = str(img, c->window_file);
	}
	for (size_t i = 0; i < src->npatterns; i++) {
		ndl_pattern *p = &lex->patterns[i];
		*p = src->patterns[i];
		p->src = str(img, p->src);
		p->jit = cfg == NULL || !cfg->no_jit;
	}
	for (size_t i = 0; i < src->nexclusions; i++) {
		ndl_exclusion *x = &lex->exclusions[i];
		*x = src->exclusions[i];
		x->name = str(img, x->name);
		x->file = str(img, x->file);
	}
	lex->names.base = lex->excluded.base = lex->labels.base = img->strings;
	lex->entry_cls = img->entry_cls;
	lex->protocol = str(img, src->protocol);
	return 0;
}

/* The array of n strings at index at of the image's string arrays, made
 * at the end of those of lex's made entries. */
static const char *const *strings_at(const ndl_lexicon *lex, made *count,
				     const void *at, size_t n)
{
	const ndl_lexicon_image *img = lex->image;
	if (at == NULL)
		return NULL;
	const char **dst = lex->entry_strings + count->strings;
	for (size_t k = 0; k < n; k++)
		dst[k] = img->strings + img->string_arrays[(uintptr_t)at + k];
	count->strings += n;
	return dst;
}

static pthread_mutex_t entry_lock = PTHREAD_MUTEX_INITIALIZER;

const ndl_entry *ndl_image_entry(const ndl_lexicon *lex, size_t i)
{
	const ndl_lexicon_image *img = lex->image;
	made *count = lex->entry_block;
	pthread_mutex_lock(&entry_lock);
	ndl_entry *e = atomic_load_explicit(&lex->entry_made[i], memory_order_relaxed);
	if (e == NULL) {
		e = &count->made[count->entries++];
		*e = img->lex->entries[i];
		e->name = str(img, e->name);
		e->note = str(img, e->note);
		e->trace = str(img, e->trace);
		e->file = str(img, e->file);
		e->role = str(img, e->role);
		e->names = strings_at(lex, count, e->names, e->nnames);
		e->examples = strings_at(lex, count, e->examples, e->nexamples);
		e->next_to = strings_at(lex, count, e->next_to, e->nnext_to);
		atomic_store_explicit(&lex->entry_made[i], e, memory_order_release);
	}
	pthread_mutex_unlock(&entry_lock);
	return e;
}

/* The tables, as built when the image was made: their arrays made from
 * the image's offsets. */
static int image_tables(ndl_lexicon *lex, const ndl_lexicon_image *img,
			ndl_error *err)
{
	const char **s = ndl_arena_alloc(&lex->mem, img->ntable_strings * sizeof(*s));
	if (s == NULL)
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < img->ntable_strings; i++)
		s[i] = img->table_strings[i] ? img->strings + img->table_strings[i] : NULL;
	ndl_tables *t = &lex->tables;
#define ARRAY(f) (f) = s + (uintptr_t)(f)
	ARRAY(t->skin_tones);
	ARRAY(t->qualifiers);
	ARRAY(t->spellings);
	ARRAY(t->may_contain.words);
	for (size_t c = 0; c < NDL_COL_COUNT; c++)
		ARRAY(t->columns[c]);
	ARRAY(t->ingredients_words);
	for (size_t h = 0; h < NDL_HEADER_COUNT; h++)
		ARRAY(t->headers.phrases[h]);
	ARRAY(t->sentence_words);
#undef ARRAY
	return 0;
}

ndl_lexicon *ndl_lexicon_from_image(const ndl_lexicon_image *img,
				    const ndl_config *cfg, ndl_error *err)
{
	ndl_lexicon *lex = malloc(sizeof(*lex));
	if (lex == NULL) {
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	*lex = *img->lex;
	lex->image = img;
	lex->classes = NULL;
	lex->patterns = NULL;
	lex->exclusions = NULL;
	lex->entries = NULL;
	lex->cap_patterns = lex->npatterns;
	memset(&lex->mem, 0, sizeof(lex->mem)); /* this lexicon's own */
	if (image_arrays(lex, img, cfg) != 0) {
		if (lex->patterns == NULL)
			lex->npatterns = 0;
		ndl_fail(err, NULL, 0, 0, "out of memory");
		ndl_lexicon_free(lex);
		return NULL;
	}
	size_t n = lex->npatterns;
	if ((n && image_patterns(img, lex->patterns, n, err) != 0) ||
	    (cfg && cfg->protocol_file &&
	     ndl_lexicon_read_protocol(lex, cfg->protocol_file, err)) ||
	    image_tables(lex, img, err) != 0) {
		ndl_lexicon_free(lex);
		return NULL;
	}
	return lex;
}
