/* Matcher: an ingredient's text → the lexicon entries it names.
 *
 * The whole text is tried first, then its parts (outside and inside
 * brackets, slash synonyms); see lexicon/README.md. Results are cached per
 * thread by the exact text, since catalogues repeat the same few thousand
 * names millions of times. */
#ifndef NDL_MATCH_H
#define NDL_MATCH_H

#include "knowledge/lexicon.h"

typedef struct ndl_hit {
	uint32_t entry;
	const char *matched; /* the normalised name that matched */
	int by_pattern;      /* a pattern, not an exact name, matched */
} ndl_hit;

struct ndl_match;

/* A stretch of an ingredient's text that is a name of its own: the text
 * held several names ("Water Glycerin", "Glycolic Acid and Glycerin",
 * "and Retinyl Palmitate"), and is read as these instead. */
typedef struct ndl_part {
	uint32_t start, end;           /* bytes of the ingredient's text */
	const struct ndl_match *match; /* what the stretch names */
} ndl_part;

/* A class member's name held by a name the lexicon cannot read, or a name
 * within two edits of one ("Retinoll", "Glycolic Acd"): never silently
 * ignored (find_hidden() in match.c says when). */
typedef struct ndl_held {
	uint32_t entry;
	uint32_t start, end; /* the words of the ingredient's text that hold it */
	unsigned edits;      /* 0: the name itself; 1 or 2: a misspelling */
	int whole;           /* the words are the whole ingredient */
} ndl_held;

typedef struct ndl_match {
	const ndl_hit *hits; /* entries of classes, one per class */
	uint32_t nhits;
	unsigned rules;      /* rules of every entry matched, known ones too */
	int recognized;      /* some part named a class or a known name */
	const char *gave_up; /* a pattern that hit the PCRE2 limits on this
				name (it may have matched), or NULL */
	const ndl_part *parts; /* read as these names instead (nparts >= 1) */
	uint32_t nparts;
	const ndl_held *held;  /* class names in the words nothing read */
	uint32_t nheld;
} ndl_match;

typedef struct ndl_matcher ndl_matcher;

ndl_matcher *ndl_matcher_new(const ndl_lexicon *lex);
void ndl_matcher_free(ndl_matcher *m);

/* Call before each product: results stay valid until the next call.
 * Returns 1 when results of earlier products were dropped (pointers to
 * them kept since are no longer valid). */
int ndl_matcher_begin(ndl_matcher *m);

/* Its cache of results (limits and counters, for tests). */
struct ndl_cache *ndl_matcher_cache(ndl_matcher *m);

/* The entries text names. NULL only when out of memory. */
const ndl_match *ndl_match_name(ndl_matcher *m, const char *text, size_t len);

/* The same, without the cache, writing each step to log. */
void ndl_match_explain(ndl_matcher *m, const char *text, size_t len,
		       ndl_buf *log);

/* ndl_match_name's result when it recognises text, else NULL (and
 * *oom set when out of memory): cheaper where only a recognised text
 * counts, as for two pieces that may be one name split by a comma. */
const ndl_match *ndl_match_if_named(ndl_matcher *m, const char *text,
				    size_t len, int *oom);

/* Does a pattern entry of class cls match the normalised text? Returns
 * the entry or (size_t)-1. For the whole-text vocabularies (notlists,
 * products). */
size_t ndl_match_vocabulary(ndl_matcher *m, size_t cls, const char *text,
			    size_t len);

/* Of the product kinds in want (bits of products.txt entries), those
 * whose patterns match the normalised product name; where[k] receives
 * the span of the words that matched kind k. */
uint32_t ndl_match_kinds(ndl_matcher *m, const char *text, size_t len,
			 uint32_t want, size_t where[][2]);


#endif
