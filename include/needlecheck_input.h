/* needlecheck: the readers' public interface beyond needlecheck.h.
 *
 * CSV inventories, read by the caller a row at a time: no thread, no
 * checker inside. The reader holds a few blocks of whole rows at most,
 * one row when it alone is larger.
 *
 *   rd = ndl_csv_open(lex, fd, source, &opt, &err); reads the header
 *   while ((rc = ndl_csv_next(rd, &row, &err)) == 1)
 *           res = ndl_check(chk, &row.product);   row.error: not read
 *   ndl_csv_close(rd);                             rc -1: err is filled
 *
 * A pool of threads takes whole blocks instead (ndl_csv_next_block) and
 * reads their rows on its threads, each with its own scratch.
 *
 * Photos of labels. A photo (PNG, JPEG, TIFF or WebP, told by its
 * content) is read with Tesseract, the ingredient list is found on it
 * among the directions and warnings (with any other run of ingredient
 * names: its next column read out of order), and that list is what is
 * checked.
 * What the photo allows is then weighed in: a list read with too little
 * confidence, or one that goes on past what could be read, makes the
 * product unknown unless something is avoided — never safe because the
 * photo was poor; a word read unsure that could be an active's name
 * makes it caution at least.
 *
 *   ndl_photo *ph = ndl_photo_new(&cfg, &err);    once per thread
 *   ndl_photo_read(ph, data, len, &pr, &err);     a photo
 *   res = ndl_check(chk, &pr.product);            the list found on it
 *   res = ndl_photo_judge(&pr, chk, res);         what the photo allows
 *   ndl_photo_box(&pr, f->offset, f->ingredient_len, &box);
 *   ndl_photo_word_at(&pr, i, &word);             each word as read
 *   ndl_photo_read_free(&pr);
 *
 * A build without Tesseract and Leptonica has these functions; then
 * ndl_photo_new fails with a message naming the packages to install. */
#ifndef NEEDLECHECK_INPUT_H
#define NEEDLECHECK_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "needlecheck.h"

/* ------------------------------------------------------------ CSV input */

typedef struct ndl_csv_reader ndl_csv_reader;

/* Reads the header of the CSV in fd (source names it in messages) and
 * chooses the columns by the header names of lex (columns.txt), which
 * outlives the reader. NULL with err filled: unreadable input, no
 * ingredients column, out of memory. opt (NULL: the defaults) is copied;
 * the strings it points to are the caller's, kept until close. The
 * caller closes fd, after ndl_csv_close. */
ndl_csv_reader *ndl_csv_open(const ndl_lexicon *lex, int fd, const char *source,
			     const ndl_csv_options *opt, ndl_error *err);
const ndl_csv_header *ndl_csv_header_of(const ndl_csv_reader *rd);
/* The input's size in bytes, for progress; 0 when unknown (a pipe). */
uint64_t ndl_csv_size(const ndl_csv_reader *rd);
void ndl_csv_close(ndl_csv_reader *rd);

/* The next data row into *row: 1; 0 at the end; -1 with err filled
 * (a read error, out of memory). A row that cannot be read (too long,
 * a quote never closed, too few cells) is no error: it comes with
 * row->error set and a warning, and the reading goes on. The row is
 * valid until the next call or close. */
int ndl_csv_next(ndl_csv_reader *rd, ndl_csv_row *row, ndl_error *err);

/* Blocks of whole rows, for threads: the reading (ndl_csv_next_block,
 * ndl_csv_block_done) stays on one thread; ndl_csv_block_row reads a row
 * of a block on any thread, with that thread's scratch. A block is the
 * caller's until ndl_csv_block_done; the rows read from it are valid
 * until the scratch reads another. Do not mix with ndl_csv_next. */
typedef struct ndl_csv_block ndl_csv_block;
typedef struct ndl_csv_scratch ndl_csv_scratch;

/* 1 and *blk; 0 at the end; -1 with err filled. */
int ndl_csv_next_block(ndl_csv_reader *rd, ndl_csv_block **blk, ndl_error *err);
size_t ndl_csv_block_rows(const ndl_csv_block *b);
size_t ndl_csv_block_bytes(const ndl_csv_block *b); /* the rows' bytes held */
uint64_t ndl_csv_block_end(const ndl_csv_block *b); /* input offset after it */
void ndl_csv_block_row(const ndl_csv_reader *rd, const ndl_csv_block *b,
		       size_t i, ndl_csv_scratch *s, ndl_csv_row *row);
void ndl_csv_block_done(ndl_csv_reader *rd, ndl_csv_block *b);

/* A thread's room to read rows in; NULL when out of memory. What a long
 * row made it grow to is given back at the next row. */
ndl_csv_scratch *ndl_csv_scratch_new(void);
void ndl_csv_scratch_free(ndl_csv_scratch *s);

/* ---------------------------------------------------------------- photos */

/* Does data hold a photo (PNG, JPEG, TIFF or WebP), by its first bytes? */
int ndl_is_photo(const void *data, size_t len);

typedef struct ndl_photo ndl_photo;

/* The OCR engines (cfg->photo_threads of them; their language data
 * load, a few tenths of a second, on threads of their own while the
 * first photo is prepared) and the words that find a list on a label:
 * label.tsv of cfg->lexicon_dir when that directory has one, else the
 * file built in (cfg NULL: built in). NULL with err filled when the
 * build has no OCR, that label.tsv is bad ("DIR/label.tsv:line:col" in
 * err's file, line and column) or out of memory; language data that
 * cannot be loaded fails each ndl_photo_read, saying so. */
ndl_photo *ndl_photo_new(const ndl_config *cfg, ndl_error *err);
void ndl_photo_free(ndl_photo *ph);

/* A photo read. Everything belongs to it until ndl_photo_read_free. */
typedef struct ndl_photo_page {
	const char *text;     /* all that was read, a line a line (UTF-8) */
	size_t len;
	ndl_product product;  /* the list found: text's bytes outside it
				 blanked, so that offsets are the same */
	const char *skipped;  /* what was not the list, said for a person
				 ("the product name, directions…: 84 words"),
				 or NULL */
	double confidence;    /* of the list's words, 0-100 (Tesseract's) */
	const char *engine;   /* "tesseract 5.3.0" */
	unsigned width, height;
	ndl_result judged;    /* ndl_photo_judge's, when it changes one */
	void *priv;
} ndl_photo_page;

/* Reads the photo in data (len bytes; the caller keeps them). Returns 0
 * and fills *pr, or -1 with err filled (not a photo, too large, damaged,
 * out of time or memory): nothing to free then. */
int ndl_photo_read(ndl_photo *ph, const void *data, size_t len,
		   ndl_photo_page *pr, ndl_error *err);

/* The result of checking pr->product with chk, with what the photo
 * allows: res itself, or pr->judged: res with its error set when no list
 * was found, the list's confidence is below NDL_PHOTO_MIN_CONFIDENCE or
 * the list goes on past what could be read; or res with one finding
 * more when a word read under NDL_PHOTO_UNSURE, in a name the lexicon
 * does not know, is within two edits of the name of an active class's
 * entry (the name as read, or that word alone): that class, caution at
 * least, never avoid, its reason naming the word and the entry. Valid
 * while res is and until ndl_photo_read_free. */
#define NDL_PHOTO_MIN_CONFIDENCE 80.0
#define NDL_PHOTO_UNSURE 60.0
const ndl_result *ndl_photo_judge(ndl_photo_page *pr, const ndl_checker *chk,
				  const ndl_result *res);

/* The box around the words of bytes [offset, offset + len) of the text;
 * 0, or -1 when no word is there. */
int ndl_photo_box(const ndl_photo_page *pr, size_t offset, size_t len,
		  ndl_box *box);

/* The words read, in the order of the text, for showing a person how
 * the photo was read: the i-th word's bytes [offset, offset + len) of
 * text, its confidence (0-100; under NDL_PHOTO_UNSURE it was read
 * unsure) and whether it is in the list found. 0, or -1 past the last. */
typedef struct ndl_photo_word {
	size_t offset, len;
	double confidence;
	int in_list;
} ndl_photo_word;
int ndl_photo_word_at(const ndl_photo_page *pr, size_t i, ndl_photo_word *w);

void ndl_photo_read_free(ndl_photo_page *pr);

/* The photo as a page shows it (--format html): its own bytes when a
 * browser shows them upright (PNG, JPEG or WebP, no EXIF turn) and they
 * are at most NDL_PHOTO_PREVIEW_BYTES; else a JPEG made from it, upright,
 * in gray, at most NDL_PHOTO_PREVIEW_SIDE pixels on its longer side
 * (made is then 1). 0 and *img, to free with ndl_photo_preview_free; -1
 * with err filled when it cannot be made (no OCR libraries, damaged
 * data, out of memory). */
#define NDL_PHOTO_PREVIEW_BYTES ((size_t)512 << 10)
#define NDL_PHOTO_PREVIEW_SIDE 1600
typedef struct ndl_photo_preview_image {
	const char *mime;    /* "image/jpeg", "image/png", "image/webp" */
	const void *data;    /* the caller's bytes, or owned */
	size_t len;
	int made;            /* a smaller JPEG was made */
	unsigned char *owned;
} ndl_photo_preview_image;
int ndl_photo_preview(const void *data, size_t len, ndl_photo_preview_image *img,
		      ndl_error *err);
void ndl_photo_preview_free(ndl_photo_preview_image *img);

/* The examples of label.tsv (the words that find the list on a label)
 * run, as `needlecheck lexicon --test` runs those of the lexicon: the
 * file of lexicon_dir when that directory has one, else the one built
 * in. Appends a line per failure ("PATH:LINE: example: found …,
 * expected …") to out; returns the failures and *ntests the examples,
 * or -1 with err filled (the file cannot be read, or a line of it is
 * wrong: "PATH:LINE:COL: …"). */
long ndl_label_test(const char *lexicon_dir, ndl_buf *out, size_t *ntests,
		    ndl_error *err);
/* Reads the label.tsv of lexicon_dir, when it has one, as a photo's
 * reader will: 0, or -1 with err filled as ndl_label_test fills it. For
 * saying a bad file at start, as a bad lexicon file is said. */
int ndl_label_check(const char *lexicon_dir, ndl_error *err);

#endif
