/* Photos of labels: the photo read, its list found, the result weighed
 * by what the photo allows (needlecheck_input.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "needlecheck_input.h"
#include "base/util.h"
#include "input/image.h"
#include "input/label.h"
#include "input/ocr.h"

struct ndl_photo {
	ndl_ocr *ocr;
	ndl_label_words *words;
};

/* What a read holds besides its public part. */
typedef struct photo_priv {
	ndl_ocr_page page;
	ndl_label_list list;
	char *flat;           /* the list as checked (page.len bytes) */
	char skipped[160];
	char why[320];        /* the judged result's error */
} photo_priv;

int ndl_is_photo(const void *data, size_t len)
{
	return ndl_image_sniff(data, len) != NDL_IMAGE_UNKNOWN;
}

ndl_photo *ndl_photo_new(ndl_error *err)
{
	ndl_photo *ph = calloc(1, sizeof(*ph));
	if (ph == NULL) {
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if ((ph->ocr = ndl_ocr_new(NULL, err)) == NULL ||
	    (ph->words = ndl_label_words_default(err)) == NULL) {
		ndl_photo_free(ph);
		return NULL;
	}
	return ph;
}

void ndl_photo_free(ndl_photo *ph)
{
	if (ph == NULL)
		return;
	ndl_ocr_free(ph->ocr);
	ndl_label_words_free(ph->words);
	free(ph);
}

static int in_list(const ndl_label_list *l, size_t a, size_t b)
{
	for (size_t p = 0; p < l->nparts; p++)
		if (a < l->parts[p].end && b > l->parts[p].start)
			return 1;
	return 0;
}

/* The list words' confidence, weighted by length, and what was skipped. */
static void weigh(ndl_photo_page *pr, photo_priv *pv)
{
	const ndl_ocr_page *pg = &pv->page;
	double sum = 0, weight = 0;
	size_t outside = 0;
	for (size_t i = 0; i < pg->nwords; i++) {
		const ndl_ocr_word *w = &pg->words[i];
		if (in_list(&pv->list, w->offset, w->offset + w->len)) {
			sum += w->confidence * (double)w->len;
			weight += (double)w->len;
		} else {
			outside++;
		}
	}
	pr->confidence = weight > 0 ? sum / weight : 0;
	if (outside && pv->list.nparts) {
		snprintf(pv->skipped, sizeof(pv->skipped),
			 "%zu word%s around the list (name, directions, "
			 "warnings, address)", outside, outside == 1 ? "" : "s");
		pr->skipped = pv->skipped;
	}
}

int ndl_photo_read(ndl_photo *ph, const void *data, size_t len,
		   ndl_photo_page *pr, ndl_error *err)
{
	memset(pr, 0, sizeof(*pr));
	photo_priv *pv = calloc(1, sizeof(*pv));
	if (pv == NULL)
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	if (ndl_ocr_read(ph->ocr, data, len, NULL, &pv->page, err) != 0) {
		free(pv);
		return -1;
	}
	pv->flat = malloc(pv->page.len + 1);
	if (pv->flat == NULL ||
	    ndl_label_find(ph->words, pv->page.text, pv->page.len, &pv->list) != 0) {
		ndl_ocr_page_free(&pv->page);
		free(pv->flat);
		free(pv);
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	}
	ndl_label_list_text(&pv->list, pv->page.text, pv->page.len, pv->flat);
	pv->flat[pv->page.len] = '\0';
	pr->priv = pv;
	pr->text = pv->page.text;
	pr->len = pv->page.len;
	pr->product.text = pv->flat;
	pr->product.len = pv->page.len;
	pr->engine = pv->page.engine;
	pr->width = pv->page.width;
	pr->height = pv->page.height;
	weigh(pr, pv);
	return 0;
}

/* A word read unsure inside a name the lexicon does not know: the
 * first, or NULL. */
static const ndl_ocr_word *unsure_unknown(const photo_priv *pv,
					  const ndl_result *res)
{
	for (size_t u = 0; u < res->nunrecognized; u++) {
		const ndl_span *s = &res->unrecognized[u];
		for (size_t i = 0; i < pv->page.nwords; i++) {
			const ndl_ocr_word *w = &pv->page.words[i];
			if (w->offset < s->offset + s->len &&
			    w->offset + w->len > s->offset &&
			    w->confidence < NDL_PHOTO_UNSURE)
				return w;
		}
	}
	return NULL;
}

/* The length of the list's last item when the list goes on past what
 * could be read: a comma or semicolon follows that item, and what
 * follows reads as no section (the rest lost to blur or glare: noise,
 * or words that happen to read as a sentence). A list's full stop
 * read as a comma before a section is not that. Else 0.
 * *item: where that item starts. */
static size_t cut_short(const photo_priv *pv, const char **item)
{
	if (pv->list.nparts == 0)
		return 0;
	const ndl_label_part *last = &pv->list.parts[pv->list.nparts - 1];
	const char *t = pv->page.text;
	size_t end = last->end, after = end;
	while (after < pv->page.len && t[after] == ' ')
		after++;
	if (!last->noise_after || after == pv->page.len ||
	    (t[after] != ',' && t[after] != ';'))
		return 0;
	size_t at = end;
	while (at > last->start && t[at - 1] != ',' && t[at - 1] != ';')
		at--;
	while (at < end && (t[at] == ' ' || t[at] == '\n'))
		at++;
	*item = t + at;
	return end - at;
}

const ndl_result *ndl_photo_judge(ndl_photo_page *pr, const ndl_result *res)
{
	photo_priv *pv = pr->priv;
	const ndl_ocr_word *w;
	const char *item;
	size_t n;
	if (pv->list.nparts == 0)
		snprintf(pv->why, sizeof(pv->why), "no ingredient list found on "
			 "the photo (%zu words read): photograph the list itself",
			 pv->page.nwords);
	else if (pr->confidence < NDL_PHOTO_MIN_CONFIDENCE)
		snprintf(pv->why, sizeof(pv->why), "the list was read with too "
			 "little confidence (%.0f %%, %.0f %% needed): take a "
			 "sharper, straighter photo in even light",
			 pr->confidence, NDL_PHOTO_MIN_CONFIDENCE);
	else if ((n = cut_short(pv, &item)) > 0)
		snprintf(pv->why, sizeof(pv->why), "the list goes on after "
			 "\"%.*s\" but no more of it could be read: take a "
			 "sharper photo of the whole list",
			 (int)(n < 60 ? n : 60), item);
	else if ((w = unsure_unknown(pv, res)) != NULL)
		snprintf(pv->why, sizeof(pv->why), "\"%.*s\" was read unsure "
			 "(%.0f %%) and is no name I know: it could be an "
			 "active; check it on the label",
			 (int)(w->len < 60 ? w->len : 60), pv->page.text + w->offset,
			 (double)w->confidence);
	else
		return res;
	/* the photo's reason before the list's: it is why the list is
	 * what it is */
	pr->judged = *res;
	pr->judged.error = pv->why;
	return &pr->judged;
}

int ndl_photo_box(const ndl_photo_page *pr, size_t offset, size_t len,
		  ndl_box *box)
{
	const photo_priv *pv = pr->priv;
	int x0 = 0, y0 = 0, x1 = 0, y1 = 0, any = 0;
	for (size_t i = 0; pv && i < pv->page.nwords; i++) {
		const ndl_ocr_word *w = &pv->page.words[i];
		if (w->offset >= offset + (len ? len : 1) || w->offset + w->len <= offset)
			continue;
		const ndl_ocr_box *b = &w->box;
		if (!any || b->x < x0)
			x0 = b->x;
		if (!any || b->y < y0)
			y0 = b->y;
		if (!any || b->x + b->w > x1)
			x1 = b->x + b->w;
		if (!any || b->y + b->h > y1)
			y1 = b->y + b->h;
		any = 1;
	}
	if (!any)
		return -1;
	*box = (ndl_box){x0, y0, x1 - x0, y1 - y0};
	return 0;
}

int ndl_photo_word_at(const ndl_photo_page *pr, size_t i, ndl_photo_word *w)
{
	const photo_priv *pv = pr->priv;
	if (pv == NULL || i >= pv->page.nwords)
		return -1;
	const ndl_ocr_word *o = &pv->page.words[i];
	*w = (ndl_photo_word){.offset = o->offset, .len = o->len,
			      .confidence = o->confidence,
			      .in_list = in_list(&pv->list, o->offset, o->offset + o->len)};
	return 0;
}

void ndl_photo_read_free(ndl_photo_page *pr)
{
	photo_priv *pv = pr->priv;
	if (pv) {
		ndl_ocr_page_free(&pv->page);
		free(pv->flat);
		free(pv);
	}
	memset(pr, 0, sizeof(*pr));
}
