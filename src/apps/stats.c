/* Counts over many products: what a catalogue summary shows. */
#include <string.h>

#include "needlecheck.h"

void ndl_stats_add(ndl_stats *s, const ndl_result *r, ndl_when when)
{
	s->products++;
	s->verdicts[ndl_verdict_at(r, when, NULL)]++;
	/* a product counts once per class, however many members it has */
	uint64_t seen = 0;
	for (size_t k = 0; k < r->nfindings; k++) {
		size_t c = r->findings[k].class_index;
		if (c < NDL_MAX_CLASSES && !(seen >> c & 1)) {
			seen |= (uint64_t)1 << c;
			s->classes[c]++;
		}
	}
}

void ndl_stats_merge(ndl_stats *into, const ndl_stats *from)
{
	into->products += from->products;
	for (size_t i = 0; i < 4; i++)
		into->verdicts[i] += from->verdicts[i];
	for (size_t i = 0; i < NDL_MAX_CLASSES; i++)
		into->classes[i] += from->classes[i];
}
