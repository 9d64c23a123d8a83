/* --format github: GitHub Actions workflow commands, which the Actions
 * log turns into annotations on the file, line and column. */
#include <stdio.h>
#include <string.h>

#include "needlecheck.h"
#include "text.h"

/* GitHub's escaping: in the message '%', CR and LF; in a property value
 * also ':' and ',', which would end the value. Without it a name in the
 * catalogue could end the command and start another. */
void ndl_github_text(ndl_buf *out, const char *s, size_t n, int property)
{
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		uint32_t cp = c;
		size_t k = c < 0x80 ? 1 : ndl_utf8_decode(s + i, n - i, &cp);
		if (c == '%')
			rep = "%25";
		else if (c == '\r')
			rep = "%0D";
		else if (c == '\n')
			rep = "%0A";
		else if (c == ':' && property)
			rep = "%3A";
		else if (c == ',' && property)
			rep = "%2C";
		else if (ndl_is_unsafe_cp(cp) || (cp == 0xFFFD && k == 1))
			rep = "?";
		if (rep) {
			ndl_buf_append(out, s + run, i - run);
			ndl_buf_puts(out, rep);
			run = i + k;
		}
		i += k;
	}
	ndl_buf_append(out, s + run, n - run);
}

static void escaped(ndl_buf *out, const char *s, int property)
{
	ndl_github_text(out, s, strlen(s), property);
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
