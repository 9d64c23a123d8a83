/* Inside the photo reader (photo.c): whether a word read unsure could
 * be an active class member, by the near-miss index of core/near.h. */
#ifndef NDL_PHOTO_H
#define NDL_PHOTO_H

#include <stdint.h>

#include "core/near.h"
#include "input/label.h"
#include "input/ocr.h"
#include "needlecheck_input.h"

/* The index of one lexicon's names and its scratch, made on first use
 * (the built-in lexicon's is the program's own). One per thread. */
typedef struct ndl_photo_near {
	const ndl_lexicon *lex; /* whose names; NULL: none yet (compared,
				   never read: it may be gone when this is
				   freed) */
	int owned;              /* index built here, not the built-in one */
	ndl_near index;
	ndl_near_found found;
} ndl_photo_near;

/* Is the text s (n bytes, as read) within two edits of the name of an
 * entry of an active class of lex (keys compared: normalised, without
 * spaces, at least NDL_NEAR_MIN_KEY letters)? 1 and *entry the closest
 * (the first of those as close); 0 when none; -1 when out of memory.
 * Two edits whatever the length, where the checker allows one under
 * NDL_NEAR_TWO_EDITS letters: the word was read unsure. */
int ndl_photo_near_member(ndl_photo_near *pn, const ndl_lexicon *lex,
			  const char *s, size_t n, uint32_t *entry);
void ndl_photo_near_free(ndl_photo_near *pn);

/* ndl_photo_read after the OCR: the list found in page (which it takes:
 * *page is emptied, freed with pr), words to find it, near for the
 * unsure words (kept by pr, the reader's). 0, or -1 with err filled
 * (out of memory). */
int ndl_photo_from_page(const ndl_label_words *words, ndl_photo_near *near,
			ndl_ocr_page *page, ndl_photo_page *pr, ndl_error *err);

#endif
