/* The classes and their windows as JSON, for programs that show them
 * (the server's GET /v1/lexicon). */
#include <string.h>

#include "needlecheck.h"
#include "knowledge/lexicon.h"

/* An hour of a window as a JSON number, or null when there is none. */
static void hours(ndl_buf *out, const char *key, double h)
{
	if (h == NDL_NO_WINDOW)
		ndl_buf_printf(out, ",\"%s\":null", key);
	else
		ndl_buf_printf(out, ",\"%s\":%g", key, h);
}

void ndl_write_lexicon_json(ndl_buf *out, const ndl_lexicon *lex)
{
	ndl_buf_puts(out, "{\"version\":\"" NDL_VERSION "\",\"classes\":[");
	size_t n = 0;
	for (size_t i = 0; i < lex->nclasses; i++) {
		const ndl_class *c = &lex->classes[i];
		if (c->role != NDL_ROLE_CLASS)
			continue;
		const ndl_window *w = &c->window;
		ndl_buf_puts(out, n++ ? ",\n{\"id\":" : "\n{\"id\":");
		ndl_json_string(out, c->id, strlen(c->id));
		ndl_buf_puts(out, ",\"title\":");
		ndl_json_string(out, c->title, strlen(c->title));
		hours(out, "avoid_until_hour", w->avoid_h);
		hours(out, "caution_until_hour", w->caution_h);
		ndl_buf_printf(out, ",\"then\":\"%s\",\"safe_from_day\":%d}",
			       ndl_status_name(w->then), ndl_window_safe_day(w));
	}
	ndl_buf_puts(out, "\n]}\n");
}
