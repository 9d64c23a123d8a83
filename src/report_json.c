/* --format json / ndjson: the machine-readable record of DESIGN.md. */
#include <string.h>

#include "needlecheck.h"
#include "text.h"

void ndl_json_string(ndl_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	ndl_buf_append(out, "\"", 1);
	size_t run = 0; /* start of the pending run of plain bytes */
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		uint32_t cp = c;
		size_t k = 1;
		if (c >= 0x80) {
			k = ndl_utf8_decode(s + i, n - i, &cp);
			/* valid UTF-8 passes, but U+2028/9 break JavaScript */
			if (!(cp == 0xFFFD && k == 1) && cp != 0x2028 && cp != 0x2029) {
				i += k;
				continue;
			}
		}
		ndl_buf_append(out, s + run, i - run);
		switch (cp) {
		case '"':
			ndl_buf_append(out, "\\\"", 2);
			break;
		case '\\':
			ndl_buf_append(out, "\\\\", 2);
			break;
		case '\n':
			ndl_buf_append(out, "\\n", 2);
			break;
		case '\r':
			ndl_buf_append(out, "\\r", 2);
			break;
		case '\t':
			ndl_buf_append(out, "\\t", 2);
			break;
		default:
			if (cp == 0xFFFD) {
				ndl_buf_append(out, "\\ufffd", 6);
			} else {
				char e[6] = {'\\', 'u', hex[(cp >> 12) & 15],
					     hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
					     hex[cp & 15]};
				ndl_buf_append(out, e, 6);
			}
		}
		i += k;
		run = i;
	}
	ndl_buf_append(out, s + run, n - run);
	ndl_buf_append(out, "\"", 1);
}

static void json_cstr(ndl_buf *out, const char *s)
{
	if (s == NULL)
		ndl_buf_append(out, "null", 4);
	else
		ndl_json_string(out, s, strlen(s));
}

static void json_int_or_null(ndl_buf *out, long v)
{
	if (v < 0)
		ndl_buf_append(out, "null", 4);
	else
		ndl_buf_printf(out, "%ld", v);
}

void ndl_write_json(ndl_buf *out, const ndl_record *rec, const ndl_result *r)
{
	ndl_buf_append(out, "{\"source\":", 10);
	json_cstr(out, rec->source);
	ndl_buf_printf(out, ",\"row\":%lu,\"line\":%lu,\"name\":", rec->row,
		       rec->line);
	if (rec->name)
		ndl_json_string(out, rec->name, rec->name_len);
	else
		ndl_buf_append(out, "null", 4);
	ndl_buf_printf(out, ",\"day\":%d,\"verdict\":\"%s\",\"safe_from_day\":",
		       r->when.day, ndl_verdict_name(r->verdict));
	json_int_or_null(out, r->safe_from_day);
	ndl_buf_append(out, ",\"findings\":[", 13);
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		ndl_buf_append(out, k ? ",{\"ingredient\":" : "{\"ingredient\":",
			       k ? 15 : 14);
		ndl_json_string(out, f->ingredient, f->ingredient_len);
		ndl_buf_append(out, ",\"matched\":", 11);
		json_cstr(out, f->matched);
		ndl_buf_printf(out, ",\"class\":\"%s\",\"status\":\"%s\",\"until_day\":",
			       f->class_id, ndl_status_name(f->status));
		json_int_or_null(out, f->until_day);
		ndl_buf_printf(out, ",\"line\":%u,\"column\":%u,\"reason\":", f->line,
			       f->column);
		json_cstr(out, f->reason);
		ndl_buf_append(out, "}", 1);
	}
	ndl_buf_append(out, "],\"unrecognized\":[", 18);
	for (size_t k = 0; k < r->nunrecognized; k++) {
		if (k)
			ndl_buf_append(out, ",", 1);
		ndl_json_string(out, r->unrecognized[k].text, r->unrecognized[k].len);
	}
	ndl_buf_append(out, "],\"error\":", 10);
	json_cstr(out, rec->error ? rec->error : r->error);
	ndl_buf_append(out, "}", 1);
}
