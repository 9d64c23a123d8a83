/* Reader for text input: a pasted list is one product; with --per-line
 * each non-blank line is one. */
#include <string.h>

#include "needlecheck.h"

int ndl_text_next(const char *data, size_t len, int per_line, size_t *pos,
		  ndl_product *p)
{
	size_t i = *pos;
	unsigned line = 1;
	if (i > len)
		return 0; /* the whole text was the product */
	if (i == 0 && len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	/* the line number of i: lines before it (products are few, or
	 * visited in order, so count from the last product's line) */
	if (*pos > 0)
		line = p->line + 1;
	if (!per_line) {
		if (*pos > 0)
			return 0;
		*pos = len + 1;
		memset(p, 0, sizeof(*p));
		p->text = data + i;
		p->len = len - i;
		p->line = 1;
		p->column = 1;
		return 1;
	}
	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t a = i;
		while (a < end && (data[a] == ' ' || data[a] == '\t' || data[a] == '\r'))
			a++;
		if (a < end) {
			memset(p, 0, sizeof(*p));
			p->text = data + i;
			p->len = end - i;
			if (p->len > 0 && p->text[p->len - 1] == '\r')
				p->len--;
			p->line = line;
			p->column = 1;
			*pos = nl ? end + 1 : len;
			return 1;
		}
		i = nl ? end + 1 : len;
		line++;
	}
	*pos = len;
	return 0;
}
