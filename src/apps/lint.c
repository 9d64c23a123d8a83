/* Catalogue lint: each claim of a catalogue row ("fine from day N after
 * the procedure") against the day the row's ingredients allow.
 *
 * A claim comes from the claim column or from a post-procedure-safe[:N]
 * tag. A claim earlier than the latest safe day of the row's findings is
 * an error on the finding that sets that day; a needlecheck_allow cell
 * takes findings (by class or by ingredient name) out of the reckoning,
 * and each wrong claim it excuses is reported as suppressed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/csv_scan.h"
#include "needlecheck.h"
#include "base/text.h"
#include "base/util.h"
#include "knowledge/lexicon.h"

#define NONE ((size_t)-1)
#define MAX_DAY 100000     /* as --day */
#define NAME_BYTES 120     /* longer names are cut in messages */
#define TAG "post-procedure-safe"
#define TAG_LEN (sizeof(TAG) - 1)

const char *ndl_severity_name(ndl_severity s)
{
	static const char *const names[] = {"note", "warning", "error"};
	return names[s];
}

/* s as a message shows it: at most max bytes, not cutting a character,
 * with control characters, bidi controls and invalid UTF-8 as '?' (a
 * message is read by a person whatever the format). buf holds max + 1. */
static const char *shown(char *buf, const char *s, size_t n, size_t max)
{
	size_t i = 0, w = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = ndl_utf8_decode(s + i, n - i, &cp);
		int bad = ndl_is_unsafe_cp(cp) || (cp == 0xFFFD && k == 1);
		if (w + (bad ? 1 : k) > max)
			break;
		if (bad)
			buf[w++] = '?';
		else
			memcpy(buf + w, s + i, k), w += k;
		i += k;
	}
	buf[w] = '\0';
	return buf;
}

void ndl_lint_stats_add(ndl_lint_stats *into, const ndl_lint_stats *from)
{
	into->files += from->files;
	into->products += from->products;
	into->claims += from->claims;
	into->errors += from->errors;
	into->warnings += from->warnings;
	into->notes += from->notes;
	into->suppressed += from->suppressed;
	into->fixed += from->fixed;
}

/* --------------------------------------------------------- the header */

int ndl_lint_columns_find(const ndl_lexicon *lex, const ndl_csv_header *h,
			  const ndl_lint_options *o, const char *source,
			  ndl_lint_columns *cols, ndl_error *err)
{
	const char *const *const *names = lex->tables.columns; /* columns.txt */
	cols->delimiter = h->delimiter;
	if (o->claim_column) {
		if (ndl_csv_column(h, o->claim_column, "claim-column", source,
				   &cols->claim, err))
			return -1;
	} else {
		cols->claim = ndl_csv_find_header(h, names[NDL_COL_CLAIM]);
	}
	cols->tags = ndl_csv_find_header(h, names[NDL_COL_TAGS]);
	cols->allow = ndl_csv_find_header(h, names[NDL_COL_ALLOW]);
	const char *claim = cols->claim == NDL_NO_COLUMN ? "" : h->names[cols->claim];
	shown(cols->claim_name, claim, strlen(claim), sizeof(cols->claim_name) - 1);
	return 0;
}

void ndl_lint_no_claims(const char *source, ndl_diagnostic *d)
{
	memset(d, 0, sizeof(*d));
	d->source = source;
	d->line = d->column = 1;
	d->severity = NDL_WARNING;
	d->check = NDL_CHECK_NO_CLAIMS;
	d->message = "no claim column (aftercare_day, post_procedure_day, "
		     "safe_after_day or --claim-column) and no tags column: no "
		     "claim to check";
	d->claimed_day = d->safe_from_day = -1;
}

/* ------------------------------------------------------------ one row */

typedef struct allowance {
	char *text; /* as written, trimmed, NUL-terminated */
	size_t start; /* in the cell */
	char *norm;
	int is_class, used;
} allowance;

typedef struct lint_row {
	const ndl_lint_options *o;
	const ndl_lint_columns *cols;
	const ndl_lexicon *lex;
	ndl_arena *mem;
	const char *source;
	const ndl_csv_row *row;
	const ndl_result *res;
	allowance *allowances;
	size_t nallowances;
	const char **allowed_by; /* per finding: the allowance, or NULL */
	int day;                 /* what the findings allow, allowances applied */
	size_t decider;          /* the finding that sets it, or NONE */
	unsigned nclaims;
	ndl_lint_stats *st;
	ndl_diagnostic_fn emit;
	void *ctx;
} lint_row;

static const char *article(const char *word)
{
	return word[0] && strchr("aeiouAEIOU", word[0]) ? "an" : "a";
}

static ndl_diagnostic diagnostic(const lint_row *lr, ndl_severity sev,
				 const char *check, const char *message)
{
	const ndl_csv_row *row = lr->row;
	ndl_diagnostic d = {.source = lr->source, .row = row->row,
			    .line = row->line, .column = 1, .severity = sev,
			    .check = check, .message = message,
			    .name = row->product.name, .name_len = row->product.name_len,
			    .id = row->id, .id_len = row->id_len,
			    .claimed_day = -1, .safe_from_day = -1};
	return d;
}

static void at_finding(ndl_diagnostic *d, const ndl_finding *f)
{
	d->line = f->line;
	d->column = f->column;
	d->ingredient = f->ingredient;
	d->ingredient_len = f->ingredient_len;
	d->class_id = f->class_id;
}

/* Where decoded byte `offset` of cell `cell` sits in the row: its raw
 * offset (NONE when the row has no such cell) and line and column. */
static size_t cell_position(const lint_row *lr, size_t cell, size_t offset,
			    ndl_diagnostic *d)
{
	const ndl_csv_row *row = lr->row;
	size_t at = ndl_csv_raw_offset(row->raw, row->raw_len,
				       (unsigned char)lr->cols->delimiter, cell, offset);
	size_t stop = at == NONE || at > row->raw_len ? 0 : at;
	unsigned long line = row->line;
	unsigned col = 1;
	ndl_csv_advance(row->raw, 0, stop, &line, &col);
	d->line = line;
	d->column = col;
	return at;
}

/* Where the ingredient list starts, for what concerns the whole list. */
static void at_list(const lint_row *lr, ndl_diagnostic *d)
{
	const ndl_product *p = &lr->row->product;
	if (p->locate) {
		unsigned line, col;
		p->locate(p->locate_ctx, 0, &line, &col);
		d->line = line;
		d->column = col;
	}
}

/* A day number: digits only, up to MAX_DAY; -1 otherwise. */
static int parse_day(const char *s, size_t n)
{
	long v = 0;
	if (n == 0 || n > 6)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= MAX_DAY ? (int)v : -1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The allowances of the row and which findings they excuse. */
static int read_allowances(lint_row *lr)
{
	const ndl_csv_row *row = lr->row;
	const ndl_result *res = lr->res;
	size_t col = lr->cols->allow;
	lr->allowed_by = NULL;
	if (col == NDL_NO_COLUMN || col >= row->ncells || row->cell_lens[col] == 0)
		return 0;
	const char *s = row->cells[col];
	size_t n = row->cell_lens[col], count = 1;
	for (size_t i = 0; i < n; i++)
		count += s[i] == ',' || s[i] == ';' || s[i] == '|';
	allowance *al = ndl_arena_alloc(lr->mem, count * sizeof(*al));
	lr->allowed_by = ndl_arena_alloc(lr->mem, (res->nfindings + 1) *
							  sizeof(*lr->allowed_by));
	if (al == NULL || lr->allowed_by == NULL)
		return -1;
	memset(lr->allowed_by, 0, (res->nfindings + 1) * sizeof(*lr->allowed_by));
	size_t nal = 0;
	for (size_t a = 0; a <= n;) {
		size_t b = a;
		while (b < n && s[b] != ',' && s[b] != ';' && s[b] != '|')
			b++;
		size_t x = a, y = b;
		while (x < y && is_blank(s[x]))
			x++;
		while (y > x && is_blank(s[y - 1]))
			y--;
		if (y > x) {
			allowance *e = &al[nal++];
			size_t cap = (y - x) * 4 + 64;
			e->text = ndl_arena_strndup(lr->mem, s + x, y - x);
			e->norm = ndl_arena_alloc(lr->mem, cap);
			if (e->text == NULL || e->norm == NULL)
				return -1;
			e->start = x;
			ndl_normalize(s + x, y - x, e->norm, cap);
			e->is_class = e->used = 0;
			char cls[128];
			for (size_t k = 0; k < ndl_class_count(lr->lex) && !e->is_class; k++) {
				const char *id = ndl_class_id(lr->lex, k);
				ndl_normalize(id, strlen(id), cls, sizeof(cls));
				e->is_class = strcmp(cls, e->norm) == 0;
			}
		}
		a = b + 1;
	}
	for (size_t k = 0; k < res->nfindings; k++) {
		const ndl_finding *f = &res->findings[k];
		size_t cap = f->ingredient_len * 4 + 64;
		char cls[128], *name = ndl_arena_alloc(lr->mem, cap);
		if (name == NULL)
			return -1;
		ndl_normalize(f->ingredient, f->ingredient_len, name, cap);
		ndl_normalize(f->class_id, strlen(f->class_id), cls, sizeof(cls));
		for (size_t i = 0; i < nal; i++) {
			allowance *e = &al[i];
			/* a near miss ("did you mean") matched no name */
			if (strcmp(e->norm, cls) == 0 || strcmp(e->norm, name) == 0 ||
			    (f->matched && strcmp(e->norm, f->matched) == 0)) {
				e->used = 1;
				if (lr->allowed_by[k] == NULL)
					lr->allowed_by[k] = e->text;
			}
		}
	}
	lr->allowances = al;
	lr->nallowances = nal;
	return 0;
}

/* An allowance naming nothing is most likely a typo. */
static void unused_allowances(lint_row *lr)
{
	for (size_t i = 0; i < lr->nallowances; i++) {
		const allowance *e = &lr->allowances[i];
		if (e->is_class || e->used)
			continue;
		char msg[400], text[NAME_BYTES + 1];
		snprintf(msg, sizeof(msg),
			 "'%s' in needlecheck_allow is neither a class nor an "
			 "ingredient of this product",
			 shown(text, e->text, strlen(e->text), NAME_BYTES));
		ndl_diagnostic d = diagnostic(lr, NDL_WARNING, NDL_CHECK_BAD_ALLOW, msg);
		cell_position(lr, lr->cols->allow, e->start, &d);
		lr->st->warnings++;
		lr->emit(lr->ctx, &d);
	}
}

/* The day the findings allow once allowances are applied, and the
 * finding that sets it: the latest, the first listed among equals. */
static void allowed_day(lint_row *lr)
{
	lr->day = 0;
	lr->decider = NONE;
	for (size_t k = 0; k < lr->res->nfindings; k++) {
		const ndl_finding *f = &lr->res->findings[k];
		if ((lr->allowed_by == NULL || lr->allowed_by[k] == NULL) &&
		    f->safe_day > lr->day) {
			lr->day = f->safe_day;
			lr->decider = k;
		}
	}
}

/* "'Retinyl Palmitate' is a retinoid: not safe before day 7" */
static int finding_says(char *msg, size_t cap, const ndl_finding *f)
{
	char name[NAME_BYTES + 1];
	return snprintf(msg, cap, "'%s' is %s %s: not safe before day %d",
			shown(name, f->ingredient, f->ingredient_len, NAME_BYTES),
			article(f->class_id), f->class_id, f->safe_day);
}

/* One claim: decoded bytes [start, start+len) of cell `cell` say `day`
 * (-1: they do not say a day). tag: the claim is a tag. */
static void judge_claim(lint_row *lr, int day, size_t cell, size_t start,
			size_t len, int tag)
{
	const ndl_csv_row *row = lr->row;
	const char *text = row->cells[cell] + start;
	char msg[800], by[80] = "", said[NAME_BYTES + 1];
	if (tag)
		snprintf(by, sizeof(by), " by tag '%s'", shown(said, text, len, 40));
	lr->st->claims++;
	lr->nclaims++;
	if (day < 0) {
		if (tag)
			snprintf(msg, sizeof(msg),
				 "'%s' is not a day: the tag is %s or %s:N",
				 shown(said, text, len, NAME_BYTES), TAG, TAG);
		else
			snprintf(msg, sizeof(msg),
				 "'%s' is not a day: %s wants a whole number of "
				 "days from 0",
				 shown(said, text, len, NAME_BYTES), lr->cols->claim_name);
		ndl_diagnostic d = diagnostic(lr, NDL_ERROR, NDL_CHECK_BAD_CLAIM, msg);
		cell_position(lr, cell, start, &d);
		lr->st->errors++;
		lr->emit(lr->ctx, &d);
		return;
	}
	/* the wrong claims allowances excuse: findings later than the claim
	 * and than what is reported anyway */
	for (size_t k = 0; lr->allowed_by && k < lr->res->nfindings; k++) {
		const ndl_finding *f = &lr->res->findings[k];
		if (lr->allowed_by[k] == NULL || f->safe_day <= day || f->safe_day <= lr->day)
			continue;
		int m = finding_says(msg, sizeof(msg), f);
		snprintf(msg + m, sizeof(msg) - (size_t)m, ", claimed day %d%s", day, by);
		ndl_diagnostic d = diagnostic(lr, NDL_ERROR, f->class_id, msg);
		at_finding(&d, f);
		d.claimed_day = day;
		d.safe_from_day = f->safe_day;
		d.suppressed_by = lr->allowed_by[k];
		lr->st->suppressed++;
		lr->emit(lr->ctx, &d);
	}
	if (day < lr->day) {
		const ndl_finding *f = &lr->res->findings[lr->decider];
		ndl_diagnostic d = diagnostic(lr, NDL_ERROR, f->class_id, msg);
		ndl_diagnostic at = d;
		size_t raw = cell_position(lr, cell, start, &at);
		ndl_fix fix = {.offset = row->offset + raw, .len = len};
		/* a row decoded from another encoding has no file offsets */
		int fixable = raw != NONE && raw + len <= row->raw_len &&
			      row->encoding == NDL_ENC_UTF8 &&
			      memcmp(row->raw + raw, text, len) == 0;
		if (tag)
			snprintf(fix.text, sizeof(fix.text), "%.*s:%d", (int)TAG_LEN,
				 text, lr->day);
		else
			snprintf(fix.text, sizeof(fix.text), "%d", lr->day);
		int m;
		if (lr->o->fix && fixable) {
			m = snprintf(msg, sizeof(msg), "claim changed from day %d to day "
				     "%d%s: ", day, lr->day, by);
			finding_says(msg + m, sizeof(msg) - (size_t)m, f);
			at_finding(&d, f);
			d.line = at.line;
			d.column = at.column;
			d.severity = NDL_NOTE;
			lr->st->fixed++;
		} else {
			m = finding_says(msg, sizeof(msg), f);
			snprintf(msg + m, sizeof(msg) - (size_t)m, ", claimed day %d%s",
				 day, by);
			at_finding(&d, f);
			lr->st->errors++;
		}
		d.claimed_day = day;
		d.safe_from_day = lr->day;
		d.fix = fixable ? &fix : NULL;
		lr->emit(lr->ctx, &d);
	} else if (lr->res->error || row->error) {
		snprintf(msg, sizeof(msg),
			 "the ingredient list cannot be read%s: %s; the claim of "
			 "day %d%s is not checked",
			 ndl_verdict_at(lr->res, ndl_when_day(0), NULL) == NDL_VERDICT_UNKNOWN
				 ? ""
				 : " in full",
			 row->error ? row->error : lr->res->error, day, by);
		ndl_diagnostic d = diagnostic(lr, NDL_WARNING, NDL_CHECK_UNREADABLE, msg);
		at_list(lr, &d);
		d.claimed_day = day;
		lr->st->warnings++;
		lr->emit(lr->ctx, &d);
	}
}

static void claim_cell(lint_row *lr)
{
	const ndl_csv_row *row = lr->row;
	size_t col = lr->cols->claim;
	if (col == NDL_NO_COLUMN || col >= row->ncells)
		return;
	const char *s = row->cells[col];
	size_t a = 0, b = row->cell_lens[col];
	while (a < b && is_blank(s[a]))
		a++;
	while (b > a && is_blank(s[b - 1]))
		b--;
	if (b > a)
		judge_claim(lr, parse_day(s + a, b - a), col, a, b - a, 0);
}

/* The post-procedure-safe[:N] tags among the row's tags. */
static void claim_tags(lint_row *lr)
{
	const ndl_csv_row *row = lr->row;
	size_t col = lr->cols->tags;
	if (col == NDL_NO_COLUMN || col >= row->ncells)
		return;
	const char *s = row->cells[col];
	size_t n = row->cell_lens[col];
	for (size_t a = 0; a < n;) {
		size_t b = a;
		while (b < n && !is_blank(s[b]) && s[b] != ',' && s[b] != ';' && s[b] != '|')
			b++;
		if (b - a >= TAG_LEN && strncasecmp(s + a, TAG, TAG_LEN) == 0) {
			if (b - a == TAG_LEN)
				judge_claim(lr, 0, col, a, b - a, 1);
			else if (s[a + TAG_LEN] == ':')
				judge_claim(lr, parse_day(s + a + TAG_LEN + 1,
							  b - a - TAG_LEN - 1),
					    col, a, b - a, 1);
		}
		a = b + 1;
	}
}

static void suggest(lint_row *lr)
{
	const ndl_csv_row *row = lr->row;
	const ndl_result *res = lr->res;
	int safe_from;
	ndl_verdict_at(res, ndl_when_day(0), &safe_from);
	if (!lr->o->suggest || lr->nclaims || res->error || row->error || safe_from != 0)
		return;
	char msg[400], said[NAME_BYTES + 1];
	const char *name = row->product.name;
	size_t len = row->product.name_len;
	if (name && len)
		snprintf(msg, sizeof(msg),
			 "'%s' is safe from day 0 after the procedure, and no "
			 "claim says so",
			 shown(said, name, len, NAME_BYTES));
	else
		snprintf(msg, sizeof(msg),
			 "safe from day 0 after the procedure, and no claim says so");
	ndl_diagnostic d = diagnostic(lr, NDL_NOTE, NDL_CHECK_UNCLAIMED, msg);
	if (lr->cols->claim < row->ncells)
		cell_position(lr, lr->cols->claim, 0, &d);
	d.safe_from_day = 0;
	lr->st->notes++;
	lr->emit(lr->ctx, &d);
}

int ndl_lint_row(ndl_checker *chk, const ndl_lint_options *o,
		 const ndl_lint_columns *cols, const char *source,
		 const ndl_csv_row *row, ndl_lint_stats *st,
		 ndl_diagnostic_fn emit, void *ctx)
{
	/* claims are compared with the findings' safe days */
	const ndl_result *res = ndl_check(chk, &row->product);
	if (res == NULL)
		return -1;
	/* the row's allowances and claims live until its end */
	ndl_arena mem = {0};
	lint_row lr = {.o = o, .cols = cols, .lex = ndl_checker_lexicon(chk),
		       .mem = &mem, .source = source, .row = row, .res = res,
		       .st = st, .emit = emit, .ctx = ctx};
	st->products++;
	int rc = read_allowances(&lr);
	if (rc == 0) {
		allowed_day(&lr);
		claim_cell(&lr);
		claim_tags(&lr);
		unused_allowances(&lr);
		suggest(&lr);
	}
	ndl_arena_free(&mem);
	return rc;
}
