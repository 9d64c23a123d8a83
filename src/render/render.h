/* Helpers the report writers share. */
#ifndef NDL_REPORT_H
#define NDL_REPORT_H

#include "needlecheck.h"

/* Each format's own functions; the writer tables (writers.c) give
 * them their one public shape. The formats are described there, in
 * needlecheck.h, by name. */
void ndl_write_json(ndl_buf *out, const ndl_record *rec, const ndl_result *r);
void ndl_write_text(ndl_buf *out, const ndl_record *rec, const ndl_result *r,
		    unsigned flags);
void ndl_write_csv_header(ndl_buf *out);
void ndl_write_csv(ndl_buf *out, const ndl_record *rec, const ndl_result *r);
void ndl_write_table_header(ndl_buf *out, unsigned flags);
void ndl_write_table_row(ndl_buf *out, const ndl_record *rec,
			 const ndl_result *r, unsigned flags);
void ndl_write_summary(ndl_buf *out, const ndl_lexicon *lex,
		       const ndl_stats *s, unsigned flags);
void ndl_write_summary_json(ndl_buf *out, const ndl_lexicon *lex,
			    const ndl_stats *s, ndl_when when);
void ndl_write_summary_csv(ndl_buf *out, const ndl_lexicon *lex,
			   const ndl_stats *s);
void ndl_write_html_catalogue_begin(ndl_buf *out, const ndl_lexicon *lex,
				    const ndl_stats *s, ndl_when when,
				    unsigned flags, const char *photo_views,
				    size_t photo_views_len);
void ndl_write_html_catalogue_row(ndl_buf *out, const ndl_record *rec,
				  const ndl_result *r, unsigned flags);
void ndl_write_html_catalogue_end(ndl_buf *out, const ndl_lexicon *lex,
				  const ndl_stats *s, unsigned flags);
void ndl_write_plan_text(ndl_buf *out, const ndl_plan *plan, unsigned flags);
void ndl_write_plan_markdown(ndl_buf *out, const ndl_plan *plan);
void ndl_write_plan_json(ndl_buf *out, const ndl_plan *plan);
/* plan's page and its Today block alone; photo_views (may be NULL)
 * after the Today block */
void ndl_write_plan_html(ndl_buf *out, const ndl_plan *plan,
			 const char *photo_views, size_t photo_views_len);
void ndl_write_plan_today_html(ndl_buf *out, const ndl_plan *plan,
			       const char *photo_views, size_t photo_views_len);
void ndl_write_gcc(ndl_buf *out, const ndl_diagnostic *d, unsigned flags);
void ndl_write_github(ndl_buf *out, const ndl_diagnostic *d);
void ndl_write_sarif_begin(ndl_buf *out, const ndl_lexicon *lex);
void ndl_write_sarif_result(ndl_buf *out, const ndl_diagnostic *d);
void ndl_write_sarif_end(ndl_buf *out, int successful);
void ndl_write_lint_json_begin(ndl_buf *out);
void ndl_write_lint_json(ndl_buf *out, const ndl_diagnostic *d);
void ndl_write_lint_json_end(ndl_buf *out, const ndl_lint_stats *s);

/* How much a finding weighs at a moment: 2 avoid, 1 caution, 0 safe or
 * recommended (the verdict is the heaviest). */
int ndl_finding_weight(const ndl_finding *f, ndl_when when);

/* The order the summaries give verdicts in: avoid, caution, unknown,
 * safe. */
extern const ndl_verdict ndl_summary_order[4];

/* The classes some product has, most products first, as indexes into
 * the lexicon's classes (idx holds NDL_MAX_CLASSES); returns how many. */
size_t ndl_summary_classes(const ndl_lexicon *lex, const ndl_stats *s,
			   size_t *idx);
/* ------------------------------------------------------------ the plan
 * The plan's text, markdown and HTML share one driver (plan_parts.c): it
 * walks the plan and says what each part says, in plain words (the Today
 * block, the grid's rows, why products wait, the advice); a format's
 * callbacks only escape and lay them out, each on its own writer w.
 * JSON keeps its own walk: it has fields, not words. The callbacks
 * named *_end may be NULL: nothing closes that part. */
typedef struct ndl_plan_format {
	/* names in the reasons and the Today block are cut to this many
	 * characters with "…" (0: whole) */
	size_t cut;
	/* the Today block: its title ("Today: day 2, Sun 22 Nov", or the
	 * day assumed without one), each list under its head, the end */
	void (*today_title)(void *w, const char *title);
	void (*today_list)(void *w, const char *head, const char *list);
	void (*today_end)(void *w);
	/* a line of a grid: a product's or an advice's cells, and the first
	 * day it is safe (-1: unknown) */
	void (*grid_row)(void *w, const char *label, const ndl_cell *cells,
			 int safe_from);
	/* why products wait: the head (before the first), then each product
	 * that waits, as its label and either why it cannot be judged
	 * (error, with the words that follow it) or its reasons ("Retinol
	 * (retinoid): avoid on days 0–4, safe from day 5", and the
	 * lexicon's note or NULL); then the end of the product and of all */
	void (*reasons_head)(void *w);
	void (*waits)(void *w, const char *label, const char *error, const char *unjudged);
	void (*reason)(void *w, const char *words, const char *note);
	void (*waits_end)(void *w, int judged);
	void (*reasons_end)(void *w);
	/* a line of the guidance: its label, advice and the source's words */
	void (*advice)(void *w, const char *label, const char *advice,
		       const char *source);
} ndl_plan_format;

void ndl_plan_today(void *w, const ndl_plan *plan, const ndl_plan_format *f);
/* The grid's rows: the products', the guidance's. */
void ndl_plan_product_rows(void *w, const ndl_plan *plan, const ndl_plan_format *f);
void ndl_plan_advice_rows(void *w, const ndl_plan *plan, const ndl_plan_format *f);
void ndl_plan_reasons(void *w, const ndl_plan *plan, const ndl_plan_format *f);
void ndl_plan_advice(void *w, const ndl_plan *plan, const ndl_plan_format *f);
/* Whether the plan has guidance lines: without, a format leaves out
 * the parts of the guidance. */
int ndl_plan_has_advice(const ndl_plan *plan);

/* "Procedure on Fri 20 Nov 2026 at 14:30. Today is day 2 (Sun 22 Nov).",
 * or that no day was given: the words under a page's title. */
void ndl_plan_intro(ndl_buf *out, const ndl_plan *plan);

/* s, cut to at most cut characters with "…" (0: whole): a long name
 * would push everything after it out of a terminal's line. */
void ndl_plan_name(ndl_buf *out, const char *s, size_t cut);

/* The first day after the Today block's on which row may be used: in
 * the grid, else as seen from its last day; -1 when no day is known. */
int ndl_plan_usable_from(const ndl_plan *plan, const ndl_plan_row *row);

/* Whose days these are, for the end of a page: the article's, or a
 * clinic's protocol file (NULL: none) over them; plain text. */
void ndl_credit(ndl_buf *out, const char *protocol);

#endif
