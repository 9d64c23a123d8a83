/* --format github: GitHub Actions workflow commands, which the Actions
 * log turns into annotations on the file, line and column. */
#include <stdio.h>
#include <string.h>

#include "needlecheck.h"

/* GitHub's escaping: in the message '%', CR and LF; in a property value
 * also ':' and ',', which would end the value. Without it a name in the
 * catalogue could end the command and start another. */
static void escaped(ndl_buf *out, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			ndl_buf_puts(out, "%25");
			break;
		case '\r':
			ndl_buf_puts(out, "%0D");
			break;
		case '\n':
			ndl_buf_puts(out, "%0A");
			break;
		case ':':
			ndl_buf_puts(out, property ? "%3A" : ":");
			break;
		case ',':
			ndl_buf_puts(out, property ? "%2C" : ",");
			break;
		default:
			ndl_buf_append(out, s, 1);
		}
	}
}

void ndl_write_github(ndl_buf *out, const ndl_diagnostic *d)
{
	static const char *const commands[] = {"notice", "warning", "error"};
	if (d->suppressed_by)
		return;
	ndl_buf_printf(out, "::%s file=", commands[d->severity]);
	escaped(out, d->source, 1);
	ndl_buf_printf(out, ",line=%lu,col=%u,title=", d->line, d->column);
	char title[96];
	snprintf(title, sizeof(title), "needlecheck [%s]", d->rule);
	escaped(out, title, 1);
	ndl_buf_puts(out, "::");
	escaped(out, d->message, 0);
	ndl_buf_puts(out, "\n");
}
