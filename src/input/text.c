/* Reader for text input: a pasted list is one product; with --per-line
 * each non-blank line is one. */
#include <string.h>

#include "needlecheck.h"

/* The end of the line at i: a line ends at "\n", "\r\n" or a lone "\r"
 * (old Mac files, Excel's "CSV (Macintosh)"). *next is where the next
 * line starts. */
static size_t line_end(const char *data, size_t len, size_t i, size_t *next)
{
	while (i < len && data[i] != '\n' && data[i] != '\r')
		i++;
	*next = i + (i < len) + (i + 1 < len && data[i] == '\r' && data[i + 1] == '\n');
	return i;
}

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
		size_t next, end = line_end(data, len, i, &next);
		size_t a = i;
		while (a < end && (data[a] == ' ' || data[a] == '\t'))
			a++;
		if (a < end) {
			memset(p, 0, sizeof(*p));
			p->text = data + i;
			p->len = end - i;
			p->line = line;
			p->column = 1;
			*pos = next;
			return 1;
		}
		i = next;
		line++;
	}
	*pos = len;
	return 0;
}
