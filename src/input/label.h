/* Finding the ingredient list on a label. A back label read from a photo
 * also holds the product's name, directions, warnings, an address, a
 * batch code: this finds which part of the text is the list, and so
 * what was skipped. It works on any text (it knows nothing of OCR).
 *
 * The list starts after a header ("Ingredients:", "INCI", "Ingrédients",
 * "Zutaten"…) and runs, item by item (items are separated by commas,
 * semicolons and sentence ends), until what follows is not a list: a
 * section that ends it ("Directions", "Warning", "Made in", "Lot"…), a
 * sentence, an address line, or a new paragraph that is not a list.
 * Without a header, the longest run of items that look like INCI names
 * is taken. The words are knowledge: lexicon/label.tsv (its format is in
 * lexicon/README.md), with examples that ndl_label_words_test checks. */
#ifndef NDL_LABEL_H
#define NDL_LABEL_H

#include <stddef.h>

#include "needlecheck.h"

typedef struct ndl_label_words ndl_label_words;

/* The words of label.tsv given as data (len bytes; path names it in
 * messages). NULL with err filled ("path:line:col: …") on a bad line or
 * out of memory. Free with ndl_label_words_free. */
ndl_label_words *ndl_label_words_parse(const char *data, size_t len,
				       const char *path, ndl_error *err);
/* The words embedded at build time (lexicon/label.tsv). */
ndl_label_words *ndl_label_words_default(ndl_error *err);
/* The words of lexicon_dir's label.tsv when it has one, else those
 * built in (lexicon_dir NULL: those built in). NULL with err filled
 * ("DIR/label.tsv:line:col: …") on a bad or unreadable file (label_test.c). */
ndl_label_words *ndl_label_words_open(const char *lexicon_dir, ndl_error *err);
void ndl_label_words_free(ndl_label_words *w);

/* Runs every example of the file; appends a line per failure to out
 * (NULL: none). Returns the number of failures; *ntests (may be NULL)
 * receives the number of examples. */
size_t ndl_label_words_test(const ndl_label_words *w, ndl_buf *out,
			    size_t *ntests);

typedef enum ndl_list_found {
	NDL_LIST_NONE,   /* nothing on the label reads as a list */
	NDL_LIST_HEADER, /* after a header */
	NDL_LIST_RUN     /* no header: the longest run of INCI-like names */
} ndl_list_found;

/* One stretch of the list. A Drug Facts label has two (the active and
 * the inactive ingredients, with uses and warnings between them). */
typedef struct ndl_label_part {
	size_t header; /* where its header starts ("Ingredients:"); equal
			  to start when it has none */
	size_t start, end; /* the list: bytes [start, end) of the text */
	int noise_after;   /* what follows it reads as no section (OCR
			      noise or a sentence: the list may go on) */
	int ended;         /* a section follows it, its header is not one
			      of a part ("Active ingredients", after which
			      the inactive ones follow) and no blank line
			      parts it from its header: more text after
			      this would not change it */
} ndl_label_part;

#define NDL_LABEL_MAX_PARTS 8

typedef struct ndl_label_list {
	ndl_list_found found;
	ndl_label_part parts[NDL_LABEL_MAX_PARTS]; /* in text order */
	size_t nparts;
} ndl_label_list;

/* Finds the list in text (len bytes of UTF-8; need not be valid or
 * NUL-terminated). Everything outside the parts' [start, end) was
 * skipped. Returns 0, or -1 when out of memory. */
int ndl_label_find(const ndl_label_words *w, const char *text, size_t len,
		   ndl_label_list *out);

/* Is the list found complete in the text it was found in, so that
 * reading more of the label would not change it: found after a header,
 * its last part ended by a section (not by the end of the text: the
 * list may go on in the next column; not by noise or a sentence).
 * Without a header a longer run could still follow: never. */
int ndl_label_list_ended(const ndl_label_list *list);

/* The list as the checker reads it, at the same offsets as text: out
 * (len bytes, not NUL-terminated) is text with everything outside the
 * parts blanked, the line breaks inside them made spaces (a name broken
 * over two lines is one name; "Penty-" and "lene" join as the
 * normalisation does), and a comma after each part, where a space was,
 * so that two parts do not run together. A finding's offset in out is
 * its offset in text, and so its words' boxes on a photo. */
void ndl_label_list_text(const ndl_label_list *list, const char *text,
			 size_t len, char *out);

#endif
