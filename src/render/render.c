/* What the renderers share. */
#include "needlecheck.h"
#include "knowledge/window.h"
#include "render/render.h"

int ndl_finding_weight(const ndl_finding *f, ndl_when when)
{
	ndl_status s = ndl_window_status_at(&f->window, when.hours);
	return s == NDL_AVOID ? 2 : s == NDL_CAUTION ? 1 : 0;
}

const ndl_verdict ndl_summary_order[4] = {NDL_VERDICT_AVOID, NDL_VERDICT_CAUTION,
					  NDL_VERDICT_UNKNOWN, NDL_VERDICT_SAFE};

size_t ndl_summary_classes(const ndl_lexicon *lex, const ndl_stats *s,
			   size_t *idx)
{
	size_t n = ndl_class_count(lex), m = 0;
	for (size_t i = 0; i < n && i < NDL_MAX_CLASSES; i++)
		if (s->classes[i])
			idx[m++] = i;
	for (size_t i = 1; i < m; i++) /* few classes: an insertion sort */
		for (size_t j = i; j > 0 && s->classes[idx[j]] > s->classes[idx[j - 1]]; j--) {
			size_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	return m;
}
