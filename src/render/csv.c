/* --format csv: one row per product, safe to open in a spreadsheet. */
#include <string.h>

#include "needlecheck.h"
#include "base/text.h"
#include "base/util.h"
#include "render/render.h"

/* Cell text: quotes doubled (inside a quoted cell), line breaks and
 * tabs kept, other control characters and bidi controls as '?' and
 * invalid UTF-8 as U+FFFD, so that a spreadsheet or a terminal showing
 * the file shows what it holds. */
static const char *cell_replacement(uint32_t cp, int invalid)
{
	if (cp == '"')
		return "\"\"";
	if (invalid)
		return "\xef\xbf\xbd";
	if (cp == '\t' || cp == '\r' || cp == '\n')
		return NULL;
	return ndl_is_unsafe_cp(cp) ? "?" : NULL;
}

static void escaped(ndl_buf *out, const char *s, size_t n)
{
	ndl_escape(out, s, n, "\"", cell_replacement);
}

/* Does a cell of s need quotes (a comma, a quote, a line break)? Eight
 * bytes at a time while none is a comma, a quote or a control. */
static int needs_quotes(const char *s, size_t n)
{
	size_t i = 0;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (ndl_word_has(w, ',') | ndl_word_has(w, '"') | ndl_word_below(w, 0x20))
			break;
	}
	for (; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

/* One cell: quoted when it must be, and never a formula: a cell starting
 * with = + - @ (or tab, CR) gets a leading quote, as OWASP advises. */
static void cell(ndl_buf *out, const char *s, size_t n, int first)
{
	if (!first)
		ndl_buf_append(out, ",", 1);
	int formula = n > 0 && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = formula || needs_quotes(s, n) ||
		    (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
	if (!quote) {
		escaped(out, s, n); /* no quote in it to double */
		return;
	}
	ndl_buf_append(out, "\"", 1);
	if (formula)
		ndl_buf_append(out, "'", 1);
	escaped(out, s, n);
	ndl_buf_append(out, "\"", 1);
}

void ndl_write_csv_header(ndl_buf *out)
{
	ndl_buf_puts(out, "row,id,name,verdict,safe_from_day,classes,ingredients,error\n");
}

void ndl_write_csv(ndl_buf *out, const ndl_record *rec, const ndl_result *r)
{
	ndl_buf_number(out, rec->row);
	cell(out, rec->id ? rec->id : "", rec->id ? rec->id_len : 0, 0);
	cell(out, rec->name ? rec->name : "", rec->name ? rec->name_len : 0, 0);
	int safe_from;
	ndl_when when = rec->when;
	ndl_buf_append(out, ",", 1);
	ndl_buf_puts(out, ndl_verdict_name(ndl_verdict_at(r, when, &safe_from)));
	ndl_buf_append(out, ",", 1);
	if (safe_from >= 0)
		ndl_buf_number(out, (unsigned long)safe_from);

	/* classes that matter, each once, in list order: ids need no quotes */
	int worst = 0, n = 0;
	uint64_t listed = 0; /* bit c: class c is written (NDL_MAX_CLASSES) */
	ndl_buf_append(out, ",", 1);
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		int weight = ndl_finding_weight(f, when);
		if (weight > worst)
			worst = weight;
		uint64_t bit = (uint64_t)1 << (f->class_index % NDL_MAX_CLASSES);
		if (weight == 0 || (listed & bit))
			continue;
		listed |= bit;
		ndl_buf_puts(out, n++ ? "; " : "");
		ndl_buf_puts(out, f->class_id);
	}
	/* the ingredients at the verdict's level: always quoted, and guarded
	 * when the first could read as a formula */
	ndl_buf_append(out, ",\"", 2);
	n = 0;
	for (size_t k = 0; worst > 0 && k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		if (ndl_finding_weight(f, when) != worst ||
		    (k > 0 && r->findings[k - 1].offset == f->offset &&
		     ndl_finding_weight(&r->findings[k - 1], when) == worst))
			continue;
		if (n++ == 0 && f->ingredient_len && strchr("=+-@\t\r", f->ingredient[0]))
			ndl_buf_append(out, "'", 1);
		if (n > 1)
			ndl_buf_append(out, "; ", 2);
		escaped(out, f->ingredient, f->ingredient_len);
	}
	ndl_buf_append(out, "\"", 1);
	const char *error = rec->error ? rec->error : r->error;
	cell(out, error ? error : "", error ? strlen(error) : 0, 0);
	ndl_buf_append(out, "\n", 1);
}

void ndl_write_summary_csv(ndl_buf *out, const ndl_lexicon *lex,
			   const ndl_stats *s)
{
	ndl_buf_puts(out, "count,of,products\n");
	for (size_t i = 0; i < 4; i++)
		ndl_buf_printf(out, "verdict,%s,%lu\n",
			       ndl_verdict_name(ndl_summary_order[i]),
			       s->verdicts[ndl_summary_order[i]]);
	size_t idx[NDL_MAX_CLASSES], m = ndl_summary_classes(lex, s, idx);
	for (size_t i = 0; i < m; i++) {
		const char *id = ndl_class_id(lex, idx[i]);
		ndl_buf_puts(out, "class");
		cell(out, id, strlen(id), 0);
		ndl_buf_printf(out, ",%lu\n", s->classes[idx[i]]);
	}
	ndl_buf_printf(out, "all,products,%lu\n", s->products);
}
