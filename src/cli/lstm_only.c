/* What the program's Tesseract need not load.
 *
 * Loading a language, Tesseract 5 builds its legacy engine's table of
 * characters that look alike from a list of a few thousand pairs (its
 * "universal ambigs"), inserting each into sorted linked lists: 55 % of
 * the time to load English, French and German, and each photo's two
 * engines load them (src/input/ocr.c). The table serves the legacy
 * engine's classifier and dictionary; the program reads with the LSTM
 * engine alone (OEM_LSTM_ONLY), whose reading never asks it.
 *
 * So the program defines that one function of Tesseract's as doing
 * nothing, and exports it (the Makefile's dynamic list): libtesseract,
 * opened on the first photo, calls it through its PLT and so finds the
 * program's first. The table is still made, empty, by
 * InitUnicharAmbigs. Only the program does this, not the library, whose
 * callers may run the legacy engine in the same process. Where the
 * function is not called by that name (another Tesseract), nothing
 * changes but the time.
 *
 * Measured on the 111 label photos of make eval-photo: the same records
 * byte for byte (words, boxes, confidences); three languages load in
 * 90 ms instead of 340 ms; a 2-megapixel photo is read in 0.6-0.7 s
 * instead of 0.9-1.1 s, start-up included. photo-test checks that the
 * program reads the fixtures as the library does. */

/* tesseract::UnicharAmbigs::LoadUniversal(const UNICHARSET &encoder_set,
 *                                         UNICHARSET *unicharset) */
void ndl_skip_universal_ambigs(void *self, const void *encoder_set,
			       void *unicharset)
	__asm__("_ZN9tesseract13UnicharAmbigs13LoadUniversalERKNS_10UNICHARSETEPS1_");

void ndl_skip_universal_ambigs(void *self, const void *encoder_set,
			       void *unicharset)
{
	(void)self;
	(void)encoder_set;
	(void)unicharset;
}
