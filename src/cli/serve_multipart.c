/* needlecheck serve: multipart/form-data (RFC 7578 on RFC 2046), what
 * a browser sends for a form with a file. The body is already whole in
 * memory (its size bounded by serve.c): it is split in place, each part
 * its name, file name and bytes. Anything not well formed — no boundary,
 * a part without its end, headers without a name — is refused with a
 * sentence saying what, never guessed around. */
#define _GNU_SOURCE /* memmem */
#include <string.h>
#include <strings.h>

#include "cli/serve.h"

#define MAX_BOUNDARY 70       /* RFC 2046 */
#define MAX_PART_HEADERS 8192 /* a part's header block */

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The parameters of a header value ("form-data; name=\"x\"; a=b"): the
 * value of parameter key, unquoted, into out (cap bytes, cut short when
 * longer: *cut set). Returns 1 when found, 0 when not, -1 when the
 * value is not well formed. */
static int parameter(const char *s, size_t n, const char *key, char *out,
		     size_t cap, int *cut)
{
	const char *end = s + n, *p = memchr(s, ';', n);
	size_t klen = strlen(key);
	int found = 0;
	while (p && p < end) {
		p++;
		while (p < end && is_space(*p))
			p++;
		const char *k = p;
		while (p < end && *p != '=' && *p != ';' && !is_space(*p))
			p++;
		size_t kn = (size_t)(p - k);
		while (p < end && is_space(*p))
			p++;
		if (p == end || *p != '=')
			return -1; /* a parameter has a value */
		p++;
		while (p < end && is_space(*p))
			p++;
		int want = !found && kn == klen && strncasecmp(k, key, klen) == 0;
		size_t o = 0;
		if (p < end && *p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				if (want && o + 1 < cap)
					out[o++] = *p;
				else if (want)
					*cut = 1;
			}
			if (p == end)
				return -1; /* a quote not closed */
			p++;
		} else {
			for (; p < end && *p != ';' && !is_space(*p); p++)
				if (want && o + 1 < cap)
					out[o++] = *p;
				else if (want)
					*cut = 1;
		}
		if (want) {
			out[o] = '\0';
			found = 1;
		}
		while (p < end && is_space(*p))
			p++;
		if (p < end && *p != ';')
			return -1;
	}
	return found;
}

/* A part's headers [h, h + n): its Content-Disposition says its name. */
static int part_headers(const char *h, size_t n, serve_part *part,
			const char **why)
{
	int disposition = 0;
	const char *end = h + n;
	while (h < end) {
		const char *eol = memmem(h, (size_t)(end - h), "\r\n", 2);
		if (eol == NULL)
			eol = end;
		const char *colon = memchr(h, ':', (size_t)(eol - h));
		if (colon == NULL || colon == h)
			return *why = "a part of the form has a header line "
				      "without a name", -1;
		static const char cd[] = "Content-Disposition";
		if ((size_t)(colon - h) == sizeof(cd) - 1 &&
		    strncasecmp(h, cd, sizeof(cd) - 1) == 0) {
			const char *v = colon + 1;
			while (v < eol && is_space(*v))
				v++;
			size_t vn = (size_t)(eol - v);
			int cut = 0;
			if (vn < 9 || strncasecmp(v, "form-data", 9) != 0 ||
			    (vn > 9 && v[9] != ';' && !is_space(v[9])))
				return *why = "a part of the form is not form-data", -1;
			int rn = parameter(v, vn, "name", part->name,
					   sizeof(part->name), &cut);
			if (cut)
				part->name[0] = '\0';
			cut = 0;
			int rf = parameter(v, vn, "filename", part->filename,
					   sizeof(part->filename), &cut);
			if (rn < 0 || rf < 0)
				return *why = "a part of the form has a "
					      "Content-Disposition not well formed", -1;
			if (rn == 0)
				return *why = "a part of the form has no name", -1;
			part->is_file = rf == 1;
			disposition = 1;
		}
		h = eol + 2;
	}
	if (!disposition)
		return *why = "a part of the form has no Content-Disposition", -1;
	return 0;
}

/* The boundary named in a Content-Type, into b (MAX_BOUNDARY + 1). */
static int boundary_of(const char *type, char *b, size_t cap)
{
	int cut = 0;
	size_t n = type ? strlen(type) : 0;
	if (parameter(type ? type : "", n, "boundary", b, cap, &cut) != 1 || cut ||
	    *b == '\0')
		return -1;
	return 0;
}

int serve_multipart(const char *type, char *body, size_t len,
		    serve_part *parts, size_t cap, const char **why)
{
	char delim[MAX_BOUNDARY + 5] = "\r\n--";
	if (boundary_of(type, delim + 4, MAX_BOUNDARY + 1) != 0)
		return *why = "the form's Content-Type names no boundary (of "
			      "up to 70 characters)", -1;
	size_t dn = strlen(delim);
	const char *end = body + len;
	/* the first boundary: at the start, or after a preamble's line */
	char *p;
	if (len >= dn - 2 && memcmp(body, delim + 2, dn - 2) == 0)
		p = body + dn - 2;
	else if ((p = memmem(body, len, delim, dn)) != NULL)
		p += dn;
	else
		return *why = "the form's body has no boundary", -1;
	size_t n = 0;
	for (;;) {
		/* after a boundary: "--" ends the form, else a line break */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return (int)n;
		while (p < end && is_space(*p))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return *why = "the form is cut short or not well formed "
				      "after a boundary", -1;
		p += 2;
		if (n == cap)
			return *why = "the form has too many parts", -1;
		serve_part *part = &parts[n];
		memset(part, 0, sizeof(*part));
		/* its headers end with an empty line (at most 8 KiB on) */
		size_t look = (size_t)(end - p);
		char *hend = memmem(p - 2, look + 2 < MAX_PART_HEADERS ? look + 2
								  : MAX_PART_HEADERS,
				    "\r\n\r\n", 4);
		if (hend == NULL)
			return *why = "a part of the form has headers without "
				      "an end", -1;
		if (part_headers(p, hend < p ? 0 : (size_t)(hend - p), part, why) != 0)
			return -1;
		char *content = hend + 4;
		char *stop = memmem(content, (size_t)(end - content), delim, dn);
		if (stop == NULL)
			return *why = "the form is cut short: a part has no "
				      "boundary after it", -1;
		part->data = content;
		part->len = (size_t)(stop - content);
		p = stop + dn;
		*stop = '\0'; /* the '\r' before the boundary, read already */
		n++;
	}
}
