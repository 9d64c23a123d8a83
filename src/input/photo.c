/* Photos of labels: the photo read, its list found, the result weighed
 * by what the photo allows (needlecheck_input.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "needlecheck_input.h"
#include "base/text.h"
#include "base/util.h"
#include "core/near.h"
#include "input/image.h"
#include "input/label.h"
#include "input/ocr.h"
#include "input/photo.h"

struct ndl_photo {
	ndl_ocr *ocr;
	ndl_label_words *words;
	ndl_photo_near near; /* the names an unsure word could be */
};

/* What a read holds besides its public part. */
typedef struct photo_priv {
	ndl_photo_near *near; /* the reader's */
	ndl_ocr_page page;
	ndl_label_list list;
	char *flat;           /* the list as checked (page.len bytes) */
	char skipped[160];
	char why[320];        /* the judged result's error */
	ndl_finding *findings; /* the judged result's, when it adds one */
	char reason[200];     /* the reason of the finding it adds */
} photo_priv;

int ndl_is_photo(const void *data, size_t len)
{
	return ndl_image_sniff(data, len) != NDL_IMAGE_UNKNOWN;
}

ndl_photo *ndl_photo_new(const ndl_config *cfg, ndl_error *err)
{
	ndl_photo *ph = calloc(1, sizeof(*ph));
	if (ph == NULL) {
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	ndl_ocr_options opt = {NULL, NULL, cfg ? cfg->photo_threads : 0};
	if (opt.threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		opt.threads = cpus >= NDL_OCR_MAX_THREADS ? NDL_OCR_MAX_THREADS : 1;
	}
	if ((ph->ocr = ndl_ocr_new(&opt, err)) == NULL ||
	    (ph->words = ndl_label_words_open(cfg ? cfg->lexicon_dir : NULL,
						err)) == NULL) {
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
	ndl_photo_near_free(&ph->near);
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

int ndl_photo_from_page(const ndl_label_words *words, ndl_photo_near *near,
			ndl_ocr_page *page, ndl_photo_page *pr, ndl_error *err)
{
	memset(pr, 0, sizeof(*pr));
	photo_priv *pv = calloc(1, sizeof(*pv));
	if (pv == NULL) {
		ndl_ocr_page_free(page);
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	}
	pv->page = *page;
	memset(page, 0, sizeof(*page));
	pv->flat = malloc(pv->page.len + 1);
	if (pv->flat == NULL ||
	    ndl_label_find(words, pv->page.text, pv->page.len, &pv->list) != 0) {
		ndl_ocr_page_free(&pv->page);
		free(pv->flat);
		free(pv);
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	}
	ndl_label_list_text(&pv->list, pv->page.text, pv->page.len, pv->flat);
	pv->flat[pv->page.len] = '\0';
	pv->near = near;
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

/* Has the text read so far a list that more text would not change?
 * (the reader then stops: the rest of the label is not the list). Out
 * of memory here, it reads on. */
static int list_ended(void *arg, const char *text, size_t len)
{
	ndl_label_list list;
	return ndl_label_find(arg, text, len, &list) == 0 &&
	       ndl_label_list_ended(&list);
}

int ndl_photo_read(ndl_photo *ph, const void *data, size_t len,
		   ndl_photo_page *pr, ndl_error *err)
{
	ndl_ocr_page page;
	memset(pr, 0, sizeof(*pr));
	if (ndl_ocr_read_until(ph->ocr, data, len, NULL, list_ended, ph->words,
			       &page, err) != 0)
		return -1;
	return ndl_photo_from_page(ph->words, &ph->near, &page, pr, err);
}

/* ------------------------------------------------------- unsure words */

int ndl_photo_near_member(ndl_photo_near *pn, const ndl_lexicon *lex,
			  const char *s, size_t n, uint32_t *entry)
{
	if (pn->lex != lex) {
		ndl_photo_near_free(pn);
		/* the built-in lexicon's index was made with the program */
		if (lex->image)
			pn->index = ndl_builtin_near;
		else if (ndl_near_build(&pn->index, lex) != 0)
			return -1;
		pn->owned = !lex->image;
		pn->lex = lex;
		if (ndl_near_found_init(&pn->found, &pn->index) != 0) {
			ndl_photo_near_free(pn);
			return -1;
		}
	}
	char key[NDL_NEAR_MAX_KEY + 1];
	size_t kl = ndl_compact(key, ndl_normalize(s, n, key, sizeof(key)));
	if (kl < NDL_NEAR_MIN_KEY || kl >= NDL_NEAR_MAX_KEY)
		return 0;
	size_t m = ndl_near_candidates(&pn->index, key, kl, &pn->found);
	int best = 3;
	for (size_t c = 0; c < m; c++) {
		const ndl_near_name *nn = &pn->index.names[pn->found.at[c]];
		const ndl_entry *e = ndl_entry_at(lex, nn->entry);
		if (nn->klen < NDL_NEAR_MIN_KEY ||
		    !ndl_class_is_active(&lex->classes[e->cls]))
			continue;
		int d = ndl_within_two(ndl_near_key(&pn->index, nn), nn->klen, key, kl);
		if (d >= 0 && d < best) {
			best = d;
			*entry = nn->entry;
		}
	}
	return best < 3;
}

void ndl_photo_near_free(ndl_photo_near *pn)
{
	ndl_near_found_free(&pn->found);
	if (pn->owned)
		ndl_near_free(&pn->index);
	memset(pn, 0, sizeof(*pn));
}

/* The first word read unsure in the unrecognised name u, from word
 * *from on; NULL when none is left. */
static const ndl_ocr_word *unsure_in(const photo_priv *pv, const ndl_span *u,
				     size_t *from)
{
	for (; *from < pv->page.nwords; ++*from) {
		const ndl_ocr_word *w = &pv->page.words[*from];
		if (w->offset < u->offset + u->len && w->offset + w->len > u->offset &&
		    w->confidence < NDL_PHOTO_UNSURE)
			return &pv->page.words[(*from)++];
	}
	return NULL;
}

/* The finding of an unsure word that could be entry e: its class,
 * caution at least, never avoid (the word is suspected, not read), until
 * the class is safe. */
static ndl_finding unsure_finding(photo_priv *pv, const ndl_lexicon *lex,
				  const ndl_span *u, const ndl_ocr_word *w,
				  uint32_t entry)
{
	const ndl_entry *e = ndl_entry_at(lex, entry);
	const ndl_class *c = &lex->classes[e->cls];
	ndl_window win = c->window;
	if (win.avoid_h != NDL_NO_WINDOW) {
		win.caution_h = ndl_window_end(&win);
		win.avoid_h = NDL_NO_WINDOW;
	}
	snprintf(pv->reason, sizeof(pv->reason), "\"%.*s\" was read unsure "
		 "(%.0f %%) and could be '%.60s' (%s): check it on the label",
		 (int)(w->len < 60 ? w->len : 60), pv->page.text + w->offset,
		 (double)w->confidence, e->name, c->id);
	return (ndl_finding){
		.ingredient = u->text, .ingredient_len = u->len,
		.class_id = c->id, .class_index = e->cls, .window = win,
		.safe_day = ndl_window_safe_day(&win), .reason = pv->reason,
		.offset = u->offset, .line = 1,
		.column = (unsigned)ndl_utf8_count(pv->flat, u->offset) + 1};
}

/* res, with a finding for the first word read unsure that could be an
 * active class member (its word, or the unrecognised name it is in,
 * within two edits of the member's name): an OCR slip must not hide an
 * active. An unsure word like no member's name adds nothing. */
static const ndl_result *unsure_members(ndl_photo_page *pr,
					const ndl_lexicon *lex,
					const ndl_result *res)
{
	photo_priv *pv = pr->priv;
	for (size_t k = 0; k < res->nunrecognized; k++) {
		const ndl_span *u = &res->unrecognized[k];
		size_t from = 0;
		const ndl_ocr_word *w = unsure_in(pv, u, &from), *other;
		uint32_t entry = 0;
		if (w == NULL)
			continue;
		/* the name as read, then each unsure word of it alone */
		int near = ndl_photo_near_member(pv->near, lex, u->text,
						 u->len, &entry);
		for (from = 0; near == 0 && (other = unsure_in(pv, u, &from)) != NULL;)
			if ((near = ndl_photo_near_member(pv->near, lex,
							  pv->page.text + other->offset,
							  other->len, &entry)) != 0)
				w = other;
		if (near == 0)
			continue;
		free(pv->findings);
		pv->findings = near > 0 ? malloc((res->nfindings + 1) *
						 sizeof(*pv->findings))
					: NULL;
		pr->judged = *res;
		if (pv->findings == NULL) { /* out of memory: say so, unknown */
			pr->judged.error = "out of memory weighing a word read unsure";
			return &pr->judged;
		}
		/* in list order */
		size_t at = 0;
		while (at < res->nfindings && res->findings[at].offset < u->offset)
			at++;
		memcpy(pv->findings, res->findings, at * sizeof(*pv->findings));
		pv->findings[at] = unsure_finding(pv, lex, u, w, entry);
		memcpy(pv->findings + at + 1, res->findings + at,
		       (res->nfindings - at) * sizeof(*pv->findings));
		pr->judged.findings = pv->findings;
		pr->judged.nfindings = res->nfindings + 1;
		double end = ndl_window_end(&pv->findings[at].window);
		if (end > pr->judged.safe_from_h)
			pr->judged.safe_from_h = end;
		return &pr->judged;
	}
	return res;
}

/* Is the first word read after byte at the start of a section next to
 * the word that ends before it: after it on its line, or right under
 * its line, in its column, lower on the photo by at most three lines?
 * That is where a section that ends the list is printed. */
static int next_to(const ndl_ocr_page *pg, size_t at)
{
	size_t k = 0;
	while (k < pg->nwords && pg->words[k].offset < at)
		k++;
	if (k == 0 || k == pg->nwords)
		return 0;
	ndl_ocr_box b = pg->words[k - 1].box, n = pg->words[k].box;
	int left = b.x; /* where the line of b starts */
	for (size_t i = k - 1; i > 0; i--) {
		ndl_ocr_box p = pg->words[i - 1].box;
		if (abs(p.y - b.y) > b.h / 2 || p.x >= left)
			break;
		left = p.x;
	}
	int same_line = abs(n.y - b.y) <= b.h / 2 && n.x >= b.x + b.w;
	int under = n.y > b.y + b.h / 2 && n.y < b.y + 4 * b.h &&
		    n.x < b.x + b.w && n.x + n.w > left - 2 * b.h;
	return same_line || under;
}

/* The length of the list's last item when the list goes on past what
 * could be read: a comma or semicolon follows that item, and what
 * follows reads as no section (the rest lost to blur or glare: noise,
 * or words that happen to read as a sentence), or what follows is a
 * section, but not right under the list (the rest of the list lost to
 * glare or the photo's edge, the section read from another column). A
 * list's full stop read as a comma before the section under it is not
 * that. Else 0. *item: where that item starts. */
static size_t cut_short(const photo_priv *pv, const char **item)
{
	if (pv->list.nparts == 0)
		return 0;
	const ndl_label_part *last = &pv->list.parts[pv->list.nparts - 1];
	const char *t = pv->page.text;
	size_t end = last->end, after = end;
	while (after < pv->page.len && t[after] == ' ')
		after++;
	if (after == pv->page.len || (t[after] != ',' && t[after] != ';') ||
	    (!last->noise_after && next_to(&pv->page, after)))
		return 0;
	size_t at = end;
	while (at > last->start && t[at - 1] != ',' && t[at - 1] != ';')
		at--;
	while (at < end && (t[at] == ' ' || t[at] == '\n'))
		at++;
	*item = t + at;
	return end - at;
}

const ndl_result *ndl_photo_judge(ndl_photo_page *pr, const ndl_checker *chk,
				  const ndl_result *res)
{
	photo_priv *pv = pr->priv;
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
	else
		return unsure_members(pr, ndl_checker_lexicon(chk), res);
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
		free(pv->findings);
		free(pv);
	}
	memset(pr, 0, sizeof(*pr));
}
