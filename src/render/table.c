/* --format text for a catalogue: the products that are not safe, one line
 * each, then a summary. */
#include <string.h>

#include "needlecheck.h"
#include "base/text.h"
#include "render/render.h"

#define PRODUCT_WIDTH 34 /* at most; less on a narrow terminal */
#define LEAD 28          /* verdict, safe from and row, with their spaces */
#define PRODUCT_MIN 12
#define DECIDED_MIN 24   /* the narrowest "decided by" column */

static const char *verdict_colour(ndl_verdict v)
{
	static const char *const c[] = {"\033[32m", "\033[33m", "\033[35m",
					"\033[31m"};
	return c[v];
}

/* The product column's width, and in *decided the room left for "decided
 * by" (0: no limit), in lines of the width the flags give
 * (NDL_TEXT_WIDTH): the product column takes two fifths, at most its
 * usual width. */
static size_t product_width(unsigned flags, size_t *decided)
{
	size_t width = flags >> NDL_TEXT_WIDTH_SHIFT;
	*decided = 0;
	if (width == 0)
		return PRODUCT_WIDTH;
	/* one column short of the edge (some terminals wrap on the last),
	 * and the space after the product */
	size_t rest = width > LEAD + 2 ? width - LEAD - 2 : 0;
	size_t product = rest * 2 / 5;
	if (product > PRODUCT_WIDTH)
		product = PRODUCT_WIDTH;
	if (product < PRODUCT_MIN)
		product = PRODUCT_MIN;
	*decided = rest > product + DECIDED_MIN ? rest - product : DECIDED_MIN;
	return product;
}

void ndl_write_table_header(ndl_buf *out, unsigned flags)
{
	size_t decided;
	int pw = (int)product_width(flags, &decided);
	ndl_buf_printf(out, "%-8s %-9s %-8s %-*s %s\n", "VERDICT", "SAFE FROM",
		       "ROW", pw, "PRODUCT", "DECIDED BY");
}

/* One ingredient that decides, with all its classes of that weight:
 * "Menthol (fragrance, counter-irritant)"; a name longer than max_name
 * characters is cut. */
static void decided_entry(ndl_buf *out, const ndl_result *r, size_t k, int worst,
			  ndl_when when, size_t max_name)
{
	const ndl_finding *f = &r->findings[k];
	ndl_term_text(out, f->ingredient, f->ingredient_len, max_name);
	ndl_buf_printf(out, " (%s", f->class_id);
	for (size_t j = k + 1; j < r->nfindings; j++) {
		const ndl_finding *g = &r->findings[j];
		if (g->offset == f->offset && g->ingredient_len == f->ingredient_len &&
		    ndl_finding_weight(g, when) == worst)
			ndl_buf_printf(out, ", %s", g->class_id);
	}
	ndl_buf_puts(out, ")");
}

/* Whether finding k decides (it has the worst weight) and is the first
 * finding of its ingredient that does. */
static int decides(const ndl_result *r, size_t k, int worst, ndl_when when)
{
	const ndl_finding *f = &r->findings[k];
	if (ndl_finding_weight(f, when) != worst)
		return 0;
	for (size_t j = 0; j < k; j++)
		if (r->findings[j].offset == f->offset &&
		    r->findings[j].ingredient_len == f->ingredient_len &&
		    ndl_finding_weight(&r->findings[j], when) == worst)
			return 0;
	return 1;
}

#define MORE_WIDTH 12 /* " and 99 more" */

/* The ingredients that decide, one entry each, as many as fit in room
 * characters (0: all), the others counted. */
static void decided_by(ndl_buf *out, const ndl_result *r, int worst, ndl_when when,
		       size_t room)
{
	size_t total = 0, shown = 0, col = 0;
	for (size_t k = 0; k < r->nfindings; k++)
		total += decides(r, k, worst, when);
	ndl_buf entry = {0};
	for (size_t k = 0; k < r->nfindings && (shown == 0 || col); k++) {
		if (!decides(r, k, worst, when))
			continue;
		size_t reserve = room && shown + 1 < total ? MORE_WIDTH : 0;
		entry.len = 0;
		decided_entry(&entry, r, k, worst, when, 40);
		size_t w = ndl_utf8_count(entry.data, entry.len);
		if (shown && room && col + 2 + w + reserve > room)
			break;
		if (shown == 0 && room && w + reserve > room) {
			/* the first entry always shows: its name cut first */
			size_t classes = w - ndl_utf8_count(r->findings[k].ingredient,
							    r->findings[k].ingredient_len);
			size_t name = room > reserve + classes + 8 ? room - reserve - classes : 8;
			entry.len = 0;
			decided_entry(&entry, r, k, worst, when, name);
		}
		ndl_buf_puts(out, shown ? ", " : "");
		ndl_term_text(out, entry.data, entry.len,
			      room > reserve ? room - reserve - (shown ? col + 2 : 0) : 0);
		col += (shown ? 2 : 0) + w;
		shown++;
	}
	ndl_buf_free(&entry);
	if (shown < total)
		ndl_buf_printf(out, " and %zu more", total - shown);
}

void ndl_write_table_row(ndl_buf *out, const ndl_record *rec,
			 const ndl_result *r, unsigned flags)
{
	int safe_from;
	ndl_verdict v = ndl_verdict_at(r, rec->when, &safe_from);
	if (v == NDL_VERDICT_SAFE)
		return;
	size_t room;
	size_t pw = product_width(flags, &room);
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
	ndl_term_text(out, label, label_len, pw);
	for (size_t w = used < pw ? used : pw; w <= pw; w++)
		ndl_buf_append(out, " ", 1);

	const char *error = rec->error ? rec->error : r->error;
	int worst = v == NDL_VERDICT_AVOID ? 2 : v == NDL_VERDICT_CAUTION ? 1 : 3;
	size_t before = out->len;
	decided_by(out, r, worst, rec->when, room);
	if (out->len == before && error)
		ndl_term_text(out, error, strlen(error), room);
	ndl_buf_puts(out, "\n");
}

void ndl_write_summary(ndl_buf *out, const ndl_lexicon *lex,
		       const ndl_stats *s, unsigned flags)
{
	int colour = (flags & NDL_TEXT_COLOR) != 0;
	const ndl_verdict *order = ndl_summary_order;
	ndl_buf_printf(out, "%lu product%s:", s->products, s->products == 1 ? "" : "s");
	for (size_t i = 0; i < 4; i++)
		ndl_buf_printf(out, "%s %s%lu %s%s", i ? "," : "",
			       colour ? verdict_colour(order[i]) : "",
			       s->verdicts[order[i]], ndl_verdict_name(order[i]),
			       colour ? "\033[0m" : "");
	ndl_buf_puts(out, "\n");
	/* classes by how many products have them */
	size_t idx[NDL_MAX_CLASSES], m = ndl_summary_classes(lex, s, idx);
	if (m == 0)
		return;
	ndl_buf_puts(out, "products per class:");
	for (size_t i = 0; i < m; i++)
		ndl_buf_printf(out, "%s %s %lu", i ? "," : "", ndl_class_id(lex, idx[i]),
			       s->classes[idx[i]]);
	ndl_buf_puts(out, "\n");
}
