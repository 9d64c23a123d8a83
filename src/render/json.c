/* --format json / ndjson: the machine-readable record of DESIGN.md. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "needlecheck.h"
#include "base/text.h"
#include "base/util.h"
#include "render/render.h"

/* Can byte c stand in a JSON string as it is? Controls, '"' and '\\'
 * cannot; bytes from 0x80 are checked as UTF-8 (and U+2028/9). */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

void ndl_json_string(ndl_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	ndl_buf_put(out, "\"", 1);
	size_t run = 0; /* start of the pending run of plain bytes */
	size_t i = 0;
	while (i < n) {
		/* eight plain bytes at a time: no byte below 0x20 or from
		 * 0x80, no '"' (0x22), no '\\' (0x5C) */
		uint64_t w;
		while (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if (ndl_word_below(w, 0x20) | (w & NDL_BYTES(0x80)) |
			    ndl_word_has(w, '"') | ndl_word_has(w, '\\'))
				break;
			i += 8;
		}
		while (i < n && plain((unsigned char)s[i]))
			i++;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		uint32_t cp = c;
		size_t k = 1;
		if (c >= 0x80) {
			k = ndl_utf8_decode(s + i, n - i, &cp);
			/* valid UTF-8 passes, but U+2028/9 break JavaScript,
			 * and C1 and bidi controls are escaped: a person
			 * reading the JSON sees them */
			if (!(cp == 0xFFFD && k == 1) && !ndl_is_unsafe_cp(cp)) {
				i += k;
				continue;
			}
		}
		ndl_buf_put(out, s + run, i - run);
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
	ndl_buf_put(out, s + run, n - run);
	ndl_buf_put(out, "\"", 1);
}

/* A literal, without strlen at run time. */
#define LIT(out, s) ndl_buf_put((out), (s), sizeof(s) - 1)

/* A number (or null when negative), without printf and two digits a
 * step: this runs for several fields of every finding. */
static void json_number(ndl_buf *out, long v)
{
	if (v < 0)
		LIT(out, "null");
	else
		ndl_buf_number(out, (unsigned long)v);
}

static void json_cstr(ndl_buf *out, const char *s)
{
	if (s == NULL)
		ndl_buf_append(out, "null", 4);
	else
		ndl_json_string(out, s, strlen(s));
}

/* ------------------------------------------- the heads of findings */

/* {"ingredient":…,"matched":…,"class":"… begins every finding, and a
 * catalogue repeats the same few thousand ingredients: each thread keeps
 * the escaped heads it wrote. A head is found by where its strings are
 * (the checker keeps a name's strings while it repeats) and taken only if
 * their bytes are the same. */
#define HEAD_SLOTS 2048 /* direct-mapped */
#define HEAD_BYTES 236  /* key and JSON; a longer head is not kept */
typedef struct head {
	const char *ingredient, *matched, *class_id; /* where the key was */
	uint16_t klen, jlen;
	char bytes[HEAD_BYTES]; /* the key (head_key), then the JSON */
} head;

static _Thread_local head *heads;
static pthread_key_t heads_key; /* frees a thread's heads when it ends */
static pthread_once_t heads_once = PTHREAD_ONCE_INIT;

static void heads_key_new(void)
{
	if (pthread_key_create(&heads_key, free) != 0)
		abort(); /* no key left: a program error, not an input's */
}

/* The key of a head: its three strings' bytes, one after the other. */
static size_t head_key(const ndl_finding *f, size_t mlen, size_t clen,
		       char *to)
{
	memcpy(to, f->ingredient, f->ingredient_len);
	memcpy(to + f->ingredient_len, f->matched, mlen);
	memcpy(to + f->ingredient_len + mlen, f->class_id, clen);
	return f->ingredient_len + mlen + clen;
}

/* The slot of f's head, or NULL when it is not to be kept. */
static head *head_slot(const ndl_finding *f, size_t klen)
{
	if (f->matched == NULL || klen > HEAD_BYTES / 2)
		return NULL;
	if (heads == NULL) {
		pthread_once(&heads_once, heads_key_new);
		heads = calloc(HEAD_SLOTS, sizeof(*heads));
		if (heads && pthread_setspecific(heads_key, heads) != 0) {
			free(heads);
			heads = NULL;
		}
		if (heads == NULL)
			return NULL;
	}
	uintptr_t k = (uintptr_t)f->ingredient ^ (uintptr_t)f->matched * 31 ^
		      (uintptr_t)f->class_id * 17;
	return &heads[(k >> 3 ^ k >> 15) % HEAD_SLOTS];
}

static void finding_head(ndl_buf *out, const ndl_finding *f)
{
	size_t mlen = f->matched ? strlen(f->matched) : 0;
	size_t clen = strlen(f->class_id);
	size_t klen = f->ingredient_len + mlen + clen;
	head *h = head_slot(f, klen);
	if (h && h->ingredient == f->ingredient && h->matched == f->matched &&
	    h->class_id == f->class_id && h->klen == klen &&
	    memcmp(h->bytes, f->ingredient, f->ingredient_len) == 0 &&
	    memcmp(h->bytes + f->ingredient_len, f->matched, mlen) == 0 &&
	    memcmp(h->bytes + f->ingredient_len + mlen, f->class_id, clen) == 0) {
		ndl_buf_put(out, h->bytes + klen, h->jlen);
		return;
	}
	size_t at = out->len;
	LIT(out, "{\"ingredient\":");
	ndl_json_string(out, f->ingredient, f->ingredient_len);
	LIT(out, ",\"matched\":");
	json_cstr(out, f->matched);
	LIT(out, ",\"class\":\"");
	ndl_buf_put(out, f->class_id, clen);
	size_t jlen = out->len - at;
	if (h == NULL || out->failed || klen + jlen > HEAD_BYTES)
		return;
	h->ingredient = f->ingredient;
	h->matched = f->matched;
	h->class_id = f->class_id;
	h->klen = (uint16_t)head_key(f, mlen, clen, h->bytes);
	h->jlen = (uint16_t)jlen;
	memcpy(h->bytes + klen, out->data + at, jlen);
}

void ndl_write_json(ndl_buf *out, const ndl_record *rec, const ndl_result *r)
{
	static const char *const verdicts[] = {"\"safe\"", "\"caution\"",
					       "\"unknown\"", "\"avoid\""};
#define STATUS(x) {"\",\"status\":\"" x "\",\"until_day\":", \
		   sizeof("\",\"status\":\"" x "\",\"until_day\":") - 1}
	static const struct {
		const char *s;
		size_t n;
	} statuses[] = {STATUS("recommended"), STATUS("safe"), STATUS("caution"),
			STATUS("avoid")};
#undef STATUS
	LIT(out, "{\"source\":");
	json_cstr(out, rec->source);
	if (rec->photo) {
		ndl_buf_printf(out, ",\"ocr\":{\"confidence\":%.1f,\"engine\":",
			       rec->photo->confidence);
		json_cstr(out, rec->photo->engine);
		LIT(out, ",\"skipped\":");
		json_cstr(out, rec->photo->skipped);
		LIT(out, "}");
	}
	LIT(out, ",\"row\":");
	json_number(out, (long)rec->row);
	LIT(out, ",\"line\":");
	json_number(out, (long)rec->line);
	LIT(out, ",\"name\":");
	if (rec->name)
		ndl_json_string(out, rec->name, rec->name_len);
	else
		LIT(out, "null");
	LIT(out, ",\"day\":");
	int safe_from;
	ndl_verdict v = ndl_verdict_at(r, rec->when, &safe_from);
	json_number(out, rec->when.day);
	LIT(out, ",\"verdict\":");
	ndl_buf_puts(out, verdicts[v]);
	LIT(out, ",\"safe_from_day\":");
	json_number(out, safe_from);
	LIT(out, ",\"findings\":[");
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		if (k)
			LIT(out, ",");
		finding_head(out, f);
		int until;
		ndl_status s = ndl_finding_status(f, rec->when, &until);
		ndl_buf_put(out, statuses[s].s, statuses[s].n);
		json_number(out, until);
		int avoid_day, caution_day;
		ndl_window_days(&f->window, &avoid_day, &caution_day);
		LIT(out, ",\"avoid_until_day\":");
		json_number(out, avoid_day);
		LIT(out, ",\"caution_until_day\":");
		json_number(out, caution_day);
		LIT(out, ",\"line\":");
		json_number(out, f->line);
		LIT(out, ",\"column\":");
		json_number(out, f->column);
		if (rec->photo && rec->photo->boxes[k].w > 0) {
			const ndl_box *b = &rec->photo->boxes[k];
			ndl_buf_printf(out, ",\"box\":[%d,%d,%d,%d]", b->x, b->y,
				       b->w, b->h);
		}
		if (f->reason) {
			LIT(out, ",\"reason\":");
			json_cstr(out, f->reason);
			LIT(out, "}");
		} else {
			LIT(out, ",\"reason\":null}");
		}
	}
	LIT(out, "],\"unrecognized\":[");
	for (size_t k = 0; k < r->nunrecognized; k++) {
		if (k)
			LIT(out, ",");
		ndl_json_string(out, r->unrecognized[k].text, r->unrecognized[k].len);
	}
	LIT(out, "],\"error\":");
	json_cstr(out, rec->error ? rec->error : r->error);
	LIT(out, "}");
}

void ndl_write_summary_json(ndl_buf *out, const ndl_lexicon *lex,
			    const ndl_stats *s, ndl_when when)
{
	ndl_buf_printf(out, "{\"products\":%lu,\"day\":%d,\"verdicts\":{",
		       s->products, when.day);
	for (size_t i = 0; i < 4; i++)
		ndl_buf_printf(out, "%s\"%s\":%lu", i ? "," : "",
			       ndl_verdict_name(ndl_summary_order[i]),
			       s->verdicts[ndl_summary_order[i]]);
	ndl_buf_puts(out, "},\"classes\":{");
	size_t idx[NDL_MAX_CLASSES], m = ndl_summary_classes(lex, s, idx);
	for (size_t i = 0; i < m; i++) {
		ndl_buf_puts(out, i ? "," : "");
		const char *id = ndl_class_id(lex, idx[i]);
		ndl_json_string(out, id, strlen(id));
		ndl_buf_printf(out, ":%lu", s->classes[idx[i]]);
	}
	ndl_buf_puts(out, "}}\n");
}
