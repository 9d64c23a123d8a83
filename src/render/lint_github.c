/* --format github: GitHub Actions workflow commands, which the Actions
 * log turns into annotations on the file, line and column. */
#include <stdio.h>
#include <string.h>

#include "needlecheck.h"
#include "render/render.h"
#include "base/text.h"

/* GitHub's escaping: in the message '%', CR and LF; in a property value
 * also ':' and ',', which would end the value. Without it a name in the
 * catalogue could end the command and start another. */
static const char *message_replacement(uint32_t cp, int invalid)
{
	switch (cp) {
	case '%':
		return "%25";
	case '\r':
		return "%0D";
	case '\n':
		return "%0A";
	}
	return invalid || ndl_is_unsafe_cp(cp) ? "?" : NULL;
}

static const char *property_replacement(uint32_t cp, int invalid)
{
	return cp == ':' ? "%3A" : cp == ',' ? "%2C" : message_replacement(cp, invalid);
}

void ndl_github_text(ndl_buf *out, const char *s, size_t n, int property)
{
	if (property)
		ndl_escape(out, s, n, "%:,", property_replacement);
	else
		ndl_escape(out, s, n, "%", message_replacement);
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
	snprintf(title, sizeof(title), "needlecheck [%s]", d->check);
	escaped(out, title, 1);
	ndl_buf_puts(out, "::");
	escaped(out, d->message, 0);
	ndl_buf_puts(out, "\n");
}
