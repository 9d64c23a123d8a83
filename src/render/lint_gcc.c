/* --format gcc: lint diagnostics as compilers print them, which editors
 * and CI logs know how to jump to; and the lint's summary line. */
#include <string.h>

#include "needlecheck.h"
#include "render/render.h"

void ndl_write_gcc(ndl_buf *out, const ndl_diagnostic *d, unsigned flags)
{
	/* gcc's colours: bold location, then red, magenta or cyan */
	static const char *const colours[] = {"\033[1;36m", "\033[1;35m",
					       "\033[1;31m"};
	int colour = (flags & NDL_TEXT_COLOR) != 0;
	if (d->suppressed_by)
		return;
	if (colour)
		ndl_buf_puts(out, "\033[1m");
	ndl_term_text(out, d->source, strlen(d->source), 0);
	ndl_buf_printf(out, ":%lu:%u: ", d->line, d->column);
	if (colour)
		ndl_buf_printf(out, "\033[0m%s", colours[d->severity]);
	ndl_buf_printf(out, "%s:", ndl_severity_name(d->severity));
	if (colour)
		ndl_buf_puts(out, "\033[0m");
	ndl_buf_puts(out, " ");
	ndl_term_text(out, d->message, strlen(d->message), 0);
	ndl_buf_printf(out, " [%s]\n", d->check);
}

static void count(ndl_buf *out, const char *sep, unsigned long n,
		  const char *one, const char *many)
{
	ndl_buf_printf(out, "%s%lu %s", sep, n, n == 1 ? one : many);
}

void ndl_write_lint_summary(ndl_buf *out, const ndl_lint_stats *s,
			    const ndl_lint_options *o)
{
	count(out, "", s->files, "file", "files");
	count(out, ", ", s->products, "product", "products");
	count(out, ", ", s->claims, "claim", "claims");
	count(out, ": ", s->errors, "error", "errors");
	count(out, ", ", s->warnings, "warning", "warnings");
	count(out, ", ", s->suppressed, "suppressed", "suppressed");
	if (o->suggest)
		count(out, ", ", s->notes, "note", "notes");
	if (o->fix)
		count(out, ", ", s->fixed, "fixed", "fixed");
	ndl_buf_puts(out, "\n");
}
