/* --format text for a catalogue: the products that are not safe, one line
 * each, then a summary. */
#include <string.h>

#include "needlecheck.h"
#include "base/text.h"
#include "render/render.h"

#define PRODUCT_WIDTH 34
#define DECIDED_MAX 3 /* ingredients named per line; the rest are counted */

static const char *verdict_colour(ndl_verdict v)
{
	static const char *const c[] = {"\033[32m", "\033[33m", "\033[35m",
					"\033[31m"};
	return c[v];
}

void ndl_write_table_header(ndl_buf *out, unsigned flags)
{
	(void)flags;
	ndl_buf_printf(out, "%-8s %-9s %-8s %-*s %s\n", "VERDICT", "SAFE FROM",
		       "ROW", PRODUCT_WIDTH, "PRODUCT", "DECIDED BY");
}

void ndl_write_table_row(ndl_buf *out, const ndl_record *rec,
			 const ndl_result *r, unsigned flags)
{
	int safe_from;
	ndl_verdict v = ndl_verdict_at(r, rec->when, &safe_from);
	if (v == NDL_VERDICT_SAFE)
		return;
	int colour = (flags & NDL_TEXT_COLOR) != 0;
	ndl_buf_printf(out, "%s%-8s%s ", colour ? verdict_colour(v) : "",
		       ndl_verdict_name(v), colour ? "\033[0m" : "");
	if (safe_from >= 0)
		ndl_buf_printf(out, "day %-5d ", safe_from);
	else
		ndl_buf_puts(out, "-         ");
	ndl_buf_printf(out, "%-8lu ", rec->row);
	const char *label = rec->name && rec->name_len ? rec->name : rec->id;
	size_t label_len = rec->name && rec->name_len ? rec->name_len
				   : rec->id ? rec->id_len : 0;
	if (label == NULL || label_len == 0) {
		label = "-";
		label_len = 1;
	}
	size_t used = ndl_utf8_count(label, label_len);
	ndl_term_text(out, label, label_len, PRODUCT_WIDTH);
	for (size_t w = used < PRODUCT_WIDTH ? used : PRODUCT_WIDTH; w <= PRODUCT_WIDTH; w++)
		ndl_buf_append(out, " ", 1);

	const char *error = rec->error ? rec->error : r->error;
	int worst = v == NDL_VERDICT_AVOID ? 2 : v == NDL_VERDICT_CAUTION ? 1 : 3;
	size_t shown = 0, more = 0;
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		if (ndl_finding_weight(f, rec->when) != worst)
			continue;
		if (shown == DECIDED_MAX) {
			more++;
			continue;
		}
		ndl_buf_puts(out, shown++ ? ", " : "");
		ndl_term_text(out, f->ingredient, f->ingredient_len, 40);
		ndl_buf_printf(out, " (%s)", f->class_id);
	}
	if (more)
		ndl_buf_printf(out, " and %zu more", more);
	if (shown == 0 && error)
		ndl_term_text(out, error, strlen(error), 0);
	ndl_buf_puts(out, "\n");
}

void ndl_write_summary(ndl_buf *out, const ndl_lexicon *lex,
		       const ndl_stats *s, unsigned flags)
{
	int colour = (flags & NDL_TEXT_COLOR) != 0;
	static const ndl_verdict order[] = {NDL_VERDICT_AVOID, NDL_VERDICT_CAUTION,
					    NDL_VERDICT_UNKNOWN, NDL_VERDICT_SAFE};
	ndl_buf_printf(out, "%lu product%s:", s->products, s->products == 1 ? "" : "s");
	for (size_t i = 0; i < 4; i++)
		ndl_buf_printf(out, "%s %s%lu %s%s", i ? "," : "",
			       colour ? verdict_colour(order[i]) : "",
			       s->verdicts[order[i]], ndl_verdict_name(order[i]),
			       colour ? "\033[0m" : "");
	ndl_buf_puts(out, "\n");
	/* classes by how many products have them */
	size_t n = ndl_class_count(lex), idx[NDL_MAX_CLASSES], m = 0;
	for (size_t i = 0; i < n && i < NDL_MAX_CLASSES; i++)
		if (s->classes[i])
			idx[m++] = i;
	for (size_t i = 1; i < m; i++)
		for (size_t j = i; j > 0 && s->classes[idx[j]] > s->classes[idx[j - 1]]; j--) {
			size_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	if (m == 0)
		return;
	ndl_buf_puts(out, "products per class:");
	for (size_t i = 0; i < m; i++)
		ndl_buf_printf(out, "%s %s %lu", i ? "," : "", ndl_class_id(lex, idx[i]),
			       s->classes[idx[i]]);
	ndl_buf_puts(out, "\n");
}
