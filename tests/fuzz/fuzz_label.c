/* libFuzzer: the list finder on any bytes, as OCR may give them. Parts
 * lie inside the text, in order, each after its header; the list's text
 * keeps the input's length and its bytes outside the parts are blanks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ndl_label_words *words;
	if (words == NULL) {
		ndl_error err;
		if ((words = ndl_label_words_default(&err)) == NULL)
			abort();
	}
	const char *text = (const char *)data;
	ndl_label_list list;
	if (ndl_label_find(words, text, size, &list) != 0)
		return 0;
	if (list.nparts > NDL_LABEL_MAX_PARTS ||
	    (list.nparts == 0) != (list.found == NDL_LIST_NONE))
		abort();
	size_t last = 0;
	for (size_t i = 0; i < list.nparts; i++) {
		const ndl_label_part *p = &list.parts[i];
		if (p->header < last || p->header > p->start ||
		    p->start >= p->end || p->end > size)
			abort();
		last = p->end;
	}
	char *flat = malloc(size + 1);
	if (flat == NULL)
		return 0;
	ndl_label_list_text(&list, text, size, flat);
	for (size_t i = 0, p = 0; i < size; i++) {
		while (p < list.nparts && i > list.parts[p].end)
			p++;
		int inside = p < list.nparts && i >= list.parts[p].start &&
			     i < list.parts[p].end;
		if (!inside && flat[i] != ' ' && !(p < list.nparts &&
						     i == list.parts[p].end && flat[i] == ','))
			abort();
	}
	free(flat);
	return 0;
}
