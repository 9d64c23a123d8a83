/* The lexicon: classes, their entries, the protocol windows, and the
 * indexes the matcher looks names up in. Built from the embedded files
 * (lexicon/) when the program is built (the built-in image), or by
 * ndl_lexicon_open from them and the run-time overrides; read-only
 * afterwards, so any number of checkers can share it. */
#ifndef NDL_LEXICON_H
#define NDL_LEXICON_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>

#include "base/cache.h"
#include "base/util.h"

enum {
	NDL_RULE_LATE_CAUTION = 1 << 0, /* past the 1 % line → caution */
	NDL_RULE_CAUTION = 1 << 1,      /* never worse than caution */
	NDL_RULE_MARKER = 1 << 2,       /* marks the 1 % line */
	NDL_RULE_SKIN_TONE = 1 << 3     /* a pigment that shows skin tone */
};

/* Product kinds are the entries of products.txt, as bits in file order. */
#define NDL_MAX_KINDS 32
#define NDL_NO_KIND ((unsigned)-1)

/* What a class file is: a class of the protocol, or one of the
 * vocabularies that use the same syntax. */
typedef enum {
	NDL_ROLE_CLASS,
	NDL_ROLE_KNOWN,    /* recognised names without a class */
	NDL_ROLE_NOTLIST,  /* whole texts that are not ingredient lists */
	NDL_ROLE_PRODUCTS, /* product kinds, matched on product names */
	/* words of a label that are not ingredients (the label-word index) */
	NDL_ROLE_CONJUNCTIONS, /* "and" joining the last names of a list */
	NDL_ROLE_SECTIONS,     /* "Formula", glued before the first name */
	NDL_ROLE_FOOTNOTES,    /* "*natural component of essential oils" */
	/* words the program reads by their use (vocab.c) */
	NDL_ROLE_QUALIFIERS,  /* put before a name: "Organic", "Cold Pressed" */
	NDL_ROLE_SPELLINGS,   /* other spellings of part of a name: "sulph" */
	NDL_ROLE_MAY_CONTAIN, /* open a shade list: "may contain" */
	NDL_ROLE_COLUMNS,     /* CSV header names of the columns read */
	NDL_ROLE_HEADERS,     /* label headers: "Ingredients", "Warnings" */
	NDL_ROLE_SENTENCE_WORDS /* small words of sentences: "the", "please" */
} ndl_class_role;

/* Is role one of the vocabularies vocab.c turns into tables (never
 * ingredient names)? */
#define NDL_ROLE_IS_TABLE(k) ((k) >= NDL_ROLE_QUALIFIERS)

/* Is role one of the label-word vocabularies? */
#define NDL_ROLE_IS_LABEL(k) \
	((k) == NDL_ROLE_CONJUNCTIONS || (k) == NDL_ROLE_SECTIONS || \
	 (k) == NDL_ROLE_FOOTNOTES)

typedef struct ndl_class {
	const char *id, *title, *why;
	const char *file; /* where it was defined, for messages */
	int from_disk;    /* a lexicon directory's file, not built in */
	ndl_class_role role;
	unsigned applies; /* "applies:": counts only in this product kind,
			     or NDL_NO_KIND (always) */
	ndl_window window; /* the protocol's, in hours after the procedure */
	const char *source; /* the article sentence the window comes from */
	int has_window;
	const char *window_file; /* the protocol file the window is from */
	unsigned order; /* its line in the protocol: classes are kept so */
	unsigned rules; /* NDL_RULE_* given before the first entry: for all */
	unsigned spf_asked; /* "spf:": the SPF the aftercare asks, or 0 */
	unsigned spf_line, spf_column; /* where, for messages */
} ndl_class;

typedef struct ndl_pattern {
	const char *src;
	pcre2_code *code;
	int jit; /* compiled to machine code once it has run a few times
		    (ndl_pattern_jit), else interpreted */
	_Atomic unsigned runs; /* by every thread, until it is compiled */
	/* a copy of code compiled to machine code, or NULL (not yet, or
	 * never: code stays as it is, run by other threads meanwhile) */
	pcre2_code *_Atomic jitted;
	size_t entry;
	unsigned line, column; /* in its file */
} ndl_pattern;

typedef struct ndl_entry {
	size_t cls;
	const char *name;          /* canonical */
	const char *const *names;  /* canonical first, then aliases */
	size_t nnames;
	const char *const *examples;
	size_t nexamples;
	const char *note;
	unsigned rules;  /* NDL_RULE_* */
	/* context rules with values (lexicon/README.md, "Rules") */
	uint32_t only_in;     /* counts only in these product kinds ... */
	unsigned only_first, only_first_den; /* ... or among the first N
						(den 0) or num/den of the
						list; 0: no such gate */
	uint32_t strict_in;   /* kinds where its place never softens it */
	uint32_t not_in;      /* kinds where it never counts */
	uint32_t caution_in;  /* kinds where it is caution at most */
	uint32_t late_caution_in; /* kinds where past the 1 % line it is
				     caution */
	unsigned after_num, after_den; /* caution after the first num
					  (den 0) or num/den of the list */
	const char *const *next_to; /* keys of neighbours that soften it */
	size_t nnext_to;
	ndl_status next_to_status;  /* NDL_SAFE or NDL_CAUTION */
	const char *trace;    /* what a small amount of it is there for */
	const char *role;     /* "role:": what the program uses it for */
	unsigned role_line, role_column;
	int has_pattern;
	const char *file;
	unsigned line;
} ndl_entry;

/* A false friend: never class cls ("not:"). */
typedef struct ndl_exclusion {
	const char *name;
	size_t cls;
	const char *file;
	unsigned line;
} ndl_exclusion;

/* A product kind named in a class or entry file, resolved once every
 * file is loaded (products.txt may come after the class files). */
typedef struct ndl_kind_ref {
	const char *kind;
	size_t cls, entry; /* the entry, or (size_t)-1 for the whole class */
	int what;          /* 'o' only-in, 's' strict-in, 'n' not-in,
			      'c' caution-in, 'l' late-caution-in, 'a' applies */
	const char *file;
	unsigned line, column;
} ndl_kind_ref;

/* An exact-name index: key → chain of values. */
typedef struct ndl_name_slot {
	const char *key;
	size_t len;
	uint64_t hash;
	uint32_t head; /* first posting + 1; 0 = empty slot */
} ndl_name_slot;

typedef struct ndl_posting {
	uint32_t value, next; /* next posting + 1, 0 = end */
} ndl_posting;

typedef struct ndl_name_index {
	ndl_name_slot *slots;
	size_t nslots, used;
	ndl_posting *post;
	size_t npost, cap_post;
	/* an image's: its slots' keys are offsets into these strings (the
	 * image needs no relocation); NULL: they are pointers */
	const char *base;
} ndl_name_index;

/* The key of slot s of idx. */
static inline const char *ndl_slot_key(const ndl_name_index *idx,
				       const ndl_name_slot *s)
{
	return idx->base ? idx->base + (uintptr_t)s->key : s->key;
}

typedef struct ndl_lexicon_image ndl_lexicon_image;

/* Phrases found in label text by their bytes, ASCII letters in either
 * case ("may contain" and its translations). */
typedef struct ndl_phrases {
	const char *const *words; /* lower case */
	size_t n;
	unsigned char first[256]; /* 1: a phrase starts with this byte */
} ndl_phrases;

/* The columns of a CSV file the program reads, by their "role:" in
 * columns.txt. */
typedef enum {
	NDL_COL_INGREDIENTS, NDL_COL_NAME, NDL_COL_ID, NDL_COL_SPF,
	NDL_COL_BRAND, NDL_COL_CLAIM, NDL_COL_TAGS, NDL_COL_ALLOW,
	NDL_COL_KNOWN, /* the names of a --known CSV file */
	NDL_COL_COUNT
} ndl_column_role;

/* What a label header opens (headers.txt "role:"). */
typedef enum {
	NDL_HEADER_INGREDIENTS, /* the list: "Ingredients", "INCI" */
	NDL_HEADER_ACTIVE,      /* the actives of Drug Facts */
	NDL_HEADER_LABEL,       /* marketing: "Key Ingredients" */
	NDL_HEADER_DRUG_FACTS,  /* not ingredients: "Uses", "Warnings" */
	NDL_HEADER_COUNT
} ndl_header_role;

/* The header phrases of a label, normalised, NULL-terminated lists by
 * role. */
typedef struct ndl_headers {
	const char *const *phrases[NDL_HEADER_COUNT];
} ndl_headers;

/* The knowledge the program reads by its use rather than by name: built
 * from the vocabularies' entries and "role:" lines (vocab.c). */
typedef struct ndl_tables {
	/* product kinds the judge also reads from ingredients (products.txt
	 * "role:"), or NDL_NO_KIND */
	unsigned makeup_kind, tinted_kind, sunscreen_kind;
	uint32_t named_kinds;  /* "role: not-makeup": the name says what
				  else the product is */
	const char *const *skin_tones; /* CI numbers ("77491") of the
					  skin-tone pigments */
	size_t nskin_tones;
	const char *const *qualifiers; /* normalised, then a space */
	size_t nqualifiers;
	const char *const *spellings;  /* normalised pairs: label spelling,
					  INCI spelling */
	size_t nspellings;
	ndl_phrases may_contain;
	ndl_headers headers;
	/* normalised header names of each column, NULL-terminated */
	const char *const *columns[NDL_COL_COUNT];
	/* normalised words of a header that name the ingredients column
	 * when no header is one of its names; "ingred*": a word starting
	 * so (columns.txt "role: ingredients-word") */
	const char *const *ingredients_words;
	/* lower-case words that tell a sentence from a name,
	 * NULL-terminated (sentence-words.txt) */
	const char *const *sentence_words;
} ndl_tables;

struct ndl_lexicon {
	ndl_arena mem; /* every string of the lexicon */
	const ndl_lexicon_image *image; /* its arrays and strings are this
					   image's, read-only: only its
					   patterns are its own */
	ndl_class *classes;
	size_t nclasses, cap_classes;
	ndl_entry *entries;
	size_t nentries, cap_entries;
	ndl_pattern *patterns;
	size_t npatterns, cap_patterns;
	ndl_exclusion *exclusions;
	size_t nexclusions, cap_exclusions;
	ndl_name_index names;    /* key → entry */
	ndl_name_index excluded; /* key → exclusion */
	ndl_name_index labels;   /* key → entry of a label-word vocabulary */
	ndl_kind_ref *kind_refs;
	size_t nkind_refs, cap_kind_refs;
	size_t products;         /* class index of products.txt, or -1 */
	unsigned nkinds;         /* its entries */
	uint32_t max_capture;    /* the largest capture count of a pattern */
	const char *protocol;    /* a clinic's protocol file over the
				    defaults, or NULL */
	ndl_tables tables;       /* what the program reads by role (vocab.c) */
	/* an image's entries are made from it on their first use
	 * (ndl_entry_at; its entries is NULL): entry i is *entry_made[i]
	 * once made, its name, example and next-to arrays in entry_strings;
	 * NULL when every entry is entries[i] (a lexicon loaded) */
	ndl_entry *_Atomic *entry_made;
	const char **entry_strings;
	void *entry_block; /* the memory of these (image.c) */
	/* the entries' classes, apart (the scans of them read no more), or
	 * NULL while a lexicon is loaded */
	const uint32_t *entry_cls;
};

/* Entry i of an image's lexicon, made (once, under a lock) from the
 * image (image.c). */
const ndl_entry *ndl_image_entry(const ndl_lexicon *lex, size_t i);
/* Frees what an image's lexicon made of its entries. */
void ndl_image_free(ndl_lexicon *lex);

/* Entry i of lexicon lx: every entry is read so, an image's being made
 * on first use, so that a run reads only the entries it meets. */
static inline const ndl_entry *ndl_entry_at(const ndl_lexicon *lx, size_t i)
{
	if (lx->entry_made == NULL)
		return &lx->entries[i];
	const ndl_entry *e = atomic_load_explicit(&lx->entry_made[i],
						  memory_order_acquire);
	return e ? e : ndl_image_entry(lx, i);
}

/* The first posting of key in idx (value via idx->post[i]), or 0. The
 * result is a posting index + 1; follow .next the same way. */
uint32_t ndl_index_find(const ndl_name_index *idx, const char *key,
			size_t len);

/* The same, given ndl_hash(key, len): one key looked up in several
 * indexes is hashed once. */
uint32_t ndl_index_find_hashed(const ndl_name_index *idx, const char *key,
			       size_t len, uint64_t hash);

/* Does the protocol ask anything of class c (an avoid or caution
 * window)? */
int ndl_class_is_active(const ndl_class *c);

/* The class index of id, or (size_t)-1. */
size_t ndl_class_find(const ndl_lexicon *lex, const char *id);

/* The code to run pattern i of lexicon lx with: interpreted for its
 * first NDL_JIT_AFTER runs (by any thread), then compiled to machine
 * code (once, under a lock: lx is shared). Compiling one costs about as
 * much as the time its machine code saves over some fifty runs: a
 * pasted list compiles none, a catalogue compiles the patterns it keeps
 * running within its first rows. */
#define NDL_JIT_AFTER 64
const pcre2_code *ndl_pattern_jit(const ndl_lexicon *lex, size_t i);

static inline const pcre2_code *ndl_pattern_code(const ndl_lexicon *lx, size_t i)
{
	const ndl_pattern *p = &lx->patterns[i];
	const pcre2_code *c = atomic_load_explicit(&p->jitted, memory_order_acquire);
	if (c)
		return c;
	if (!p->jit || atomic_fetch_add_explicit(&lx->patterns[i].runs, 1,
						 memory_order_relaxed) < NDL_JIT_AFTER)
		return p->code;
	return ndl_pattern_jit(lx, i);
}

/* The compiled form of a pattern's source, or NULL with PCRE2's error
 * code and offset. */
pcre2_code *ndl_pattern_compile(const char *src, int *code, size_t *off);

/* ndl_lexicon_open, with one more file from memory (name, e.g.
 * "retinoid.txt" or "protocol.tsv", replaces its namesake): for tests and
 * fuzzing. */
ndl_lexicon *ndl_lexicon_open_with(const ndl_config *cfg, const char *name,
				   const char *data, size_t len, ndl_error *err);
/* The bit number of product kind name (a products.txt entry), or
 * NDL_NO_KIND. */
unsigned ndl_kind_find(const ndl_lexicon *lex, const char *name);

/* A file compiled into the binary (see the embed tool). */
typedef struct ndl_embedded_file {
	const char *name;
	const char *data;
	size_t len;
} ndl_embedded_file;

extern const ndl_embedded_file ndl_embedded_files[];
extern const size_t ndl_embedded_count;

/* ------------------------------------------ knowledge files (files.c) */

/* The embedded file called name ("guidance.tsv"), or NULL. */
const ndl_embedded_file *ndl_embedded_find(const char *name);
/* The regular file at path (a FIFO is refused at once) read whole, up to
 * max bytes, into *data (malloc'd). 0, or -1 with err filled. */
int ndl_knowledge_read(const char *path, size_t max, char **data, size_t *len,
		       ndl_error *err);
/* An hour count as protocol.tsv and guidance.tsv write it: "-" (none:
 * NDL_NO_WINDOW) or a number from 0 to 100000. 0, or -1 if malformed. */
int ndl_parse_hours(const char *f, double *out);

/* ------------------------------------------------ tables (vocab.c) */

/* Checks the "role:" and "spf:" lines and builds lex->tables once every
 * file is loaded. 0, or -1 with err filled. */
int ndl_tables_build(ndl_lexicon *lex, ndl_error *err);
/* Is the column of entry e of columns.txt found in the header line x
 * (cells separated by commas)? For `lexicon --test`. */
int ndl_column_example(const ndl_lexicon *lex, size_t e, const char *x);
/* Does CSV header name cell hold one of the words that name the
 * ingredients column (columns.txt, "role: ingredients-word")? */
int ndl_names_ingredients_loosely(const ndl_lexicon *lex, const char *cell);
/* The role of a headers.txt entry by its "role:" value, or
 * NDL_HEADER_COUNT. */
ndl_header_role ndl_header_index(const char *role);

/* A lexicon of these files only (no embedded one), its patterns
 * interpreted when no_jit: for fuzzing a file with the few it needs, in
 * a fraction of a full load's time. */
ndl_lexicon *ndl_lexicon_open_files(const ndl_embedded_file *files, size_t n,
				    int no_jit, ndl_error *err);

/* Parses the files (the embedded ones, cfg's and name's) into a
 * lexicon: what ndl_lexicon_open does when the built-in image will not
 * do (builtin.c). */
ndl_lexicon *ndl_lexicon_load(const ndl_config *cfg, const char *name,
			      const char *data, size_t len, ndl_error *err);

/* Reads protocol file over lex's windows, the last word on them (as
 * --protocol FILE); lex->protocol names it. 0, or -1 with every error of
 * the file in err. */
int ndl_lexicon_read_protocol(ndl_lexicon *lex, const char *file, ndl_error *err);

/* ------------------------------------- the built-in image (builtin.c) */

/* The embedded lexicon in its final form, parsed, checked and indexed
 * (its tables built) at build time by the loader above
 * (ndl_lexicon_generate, run by the Makefile's lexgen), so a check
 * starts without that work. */
struct ndl_lexicon_image {
	/* Its arrays hold no pointer, so the program needs no relocation
	 * of them when it starts (a position-independent program would
	 * rewrite, and so copy, every page of them): in place of each
	 * string, its offset in strings (0 for NULL); in place of an
	 * entry's array of strings, the index in string_arrays of its
	 * offsets (0 for NULL). */
	const ndl_lexicon *lex;     /* its patterns without their code */
	const char *strings;
	const uint32_t *string_arrays;
	size_t nstring_arrays;
	const uint32_t *entry_cls;  /* the entries' classes, apart */
	/* the tables' arrays of strings, each ending with 0 (NULL):
	 * lex->tables has the index here of each */
	const uint32_t *table_strings;
	size_t ntable_strings;
	const unsigned char *code;  /* the patterns' code, serialised by
				       pcre2_serialize_encode */
	size_t code_len;
	const char *normalizer;     /* the utf8proc version its keys were
				       normalised with */
};

extern const ndl_lexicon_image ndl_builtin_image;

/* A lexicon of img, its patterns decoded (compiled from their source if
 * this PCRE2 cannot read img's code) and interpreted when cfg->no_jit,
 * with cfg's protocol file over its windows. */
ndl_lexicon *ndl_lexicon_from_image(const ndl_lexicon_image *img,
				    const ndl_config *cfg, ndl_error *err);

/* The class of entry i of lexicon lx, without making it. */
static inline size_t ndl_entry_cls(const ndl_lexicon *lx, size_t i)
{
	return lx->entry_cls ? lx->entry_cls[i] : lx->entries[i].cls;
}

/* Writes lex as the C of an ndl_builtin_image (lexicon_write.c). 0, or -1
 * with err filled. */
int ndl_lexicon_write_c(const ndl_lexicon *lex, FILE *out, ndl_error *err);
/* The embedded files loaded and written so to out; 0, or -1 with the
 * error printed on stderr (the Makefile's lexgen tool). */
int ndl_lexicon_generate(FILE *out);

/* s as a C string literal, or NULL ('?' escaped: no trigraphs), for the
 * files generated at build time. */
void ndl_write_c_string(FILE *out, const char *s);

/* The strings of a generated image, each kept once, by offset: 0 is
 * NULL. Zero-initialise. */
typedef struct ndl_strtab {
	char *bytes;
	size_t len, cap;
	ndl_cache seen; /* string → offset */
	ndl_arena mem;  /* its keys */
	int failed;     /* out of memory: the offsets are wrong */
} ndl_strtab;

/* The offset of s in t (added if new), 0 for NULL. */
uint32_t ndl_strtab_add(ndl_strtab *t, const char *s);
/* Writes t as "static const char name[]"; frees it. */
void ndl_strtab_write(ndl_strtab *t, FILE *out, const char *name);
void ndl_strtab_free(ndl_strtab *t);

#endif
