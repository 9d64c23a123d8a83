#include <string.h>

#include "core/gate.h"

/* An ASCII letter whose other case is ASCII only: caseless matching
 * also takes "K" (U+212A) for k, "ſ" (U+017F) for s. */
static int plain_letter(int c)
{
	return c >= 'a' && c <= 'z' && c != 'k' && c != 's';
}

static int plain_byte(int c)
{
	return plain_letter(c) || (c >= '0' && c <= '9') || c == ' ';
}

/* Has the pattern an alternative at its top level ("^a|b": the start
 * is not the whole pattern's)? */
static int top_level_bar(const char *s)
{
	int depth = 0;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
		} else if (*s == '[') { /* a class: "]" first is literal */
			s += s[1] == '^';
			s += s[1] == ']';
			while (s[1] && s[1] != ']')
				s += s[1] == '\\' && s[2] ? 2 : 1;
			if (s[1])
				s++;
		} else if (*s == '(') {
			depth++;
		} else if (*s == ')') {
			depth--;
		} else if (*s == '|' && depth == 0) {
			return 1;
		}
	}
	return 0;
}

/* The literal start of "^literal...": letters, digits and spaces, but
 * not one a quantifier follows. */
static void literal_prefix(ndl_gate *g, const char *src)
{
	if (src[0] != '^' || top_level_bar(src))
		return;
	const char *s = src + 1;
	unsigned n = 0;
	while (n < NDL_GATE_PREFIX && plain_byte((unsigned char)s[n]))
		n++;
	if (n > 0 && s[n] && strchr("?*{+", s[n]))
		n--;
	memcpy(g->prefix, s, n);
	g->prefix[n] = '\0';
	g->prefix_len = n;
}

ndl_gate ndl_gate_of(const ndl_pattern *p)
{
	ndl_gate g = {0, -1, "", 0};
	uint32_t min = 0, type = 0, unit = 0;
	if (pcre2_pattern_info(p->code, PCRE2_INFO_MINLENGTH, &min) == 0)
		g.min_len = min;
	if (pcre2_pattern_info(p->code, PCRE2_INFO_LASTCODETYPE, &type) == 0 &&
	    type == 1 &&
	    pcre2_pattern_info(p->code, PCRE2_INFO_LASTCODEUNIT, &unit) == 0) {
		int c = unit >= 'A' && unit <= 'Z' ? (int)unit + 32 : (int)unit;
		if (plain_byte(c))
			g.need = c;
	}
	literal_prefix(&g, p->src);
	return g;
}

int ndl_gate_passes(const ndl_gate *g, const char *text, size_t len)
{
	if (len < g->min_len || len < g->prefix_len)
		return 0;
	for (unsigned i = 0; i < g->prefix_len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)g->prefix[i])
			return 0;
	}
	if (g->need < 0)
		return 1;
	if (memchr(text, g->need, len))
		return 1;
	return g->need >= 'a' && g->need <= 'z' && memchr(text, g->need - 32, len);
}
