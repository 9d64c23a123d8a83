/* Rules: matched ingredients → findings with a status for the day, the
 * product's verdict and the first day it is safe.
 *
 * The protocol gives each class its windows; context rules of the lexicon
 * (lexicon/README.md) can soften them: a member listed past the 1 % line
 * that is usually there as a pH adjuster or antioxidant, a weak member,
 * a colourant in a product that is not makeup. Each finding says why. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define LATE_FALLBACK_MIN 10 /* lists this long without a marker: last third */

typedef struct window {
	double avoid, caution; /* hours, or NDL_NO_WINDOW */
} window;

static int day_of(double hours)
{
	return hours <= 0 ? 0 : (int)ceil(hours / 24.0 - 1e-9);
}

static double window_end(window w)
{
	double e = 0;
	if (w.avoid != NDL_NO_WINDOW && w.avoid > e)
		e = w.avoid;
	if (w.caution != NDL_NO_WINDOW && w.caution > e)
		e = w.caution;
	return e;
}

/* The avoid part of w becomes caution. */
static window soften(window w)
{
	if (w.avoid != NDL_NO_WINDOW) {
		w.caution = window_end(w);
		w.avoid = NDL_NO_WINDOW;
	}
	return w;
}

static ndl_status status_at(window w, ndl_status then, double h, int *until)
{
	if (w.avoid != NDL_NO_WINDOW && h < w.avoid) {
		*until = day_of(w.avoid);
		return NDL_AVOID;
	}
	if (w.caution != NDL_NO_WINDOW && h < w.caution) {
		*until = day_of(w.caution);
		return NDL_CAUTION;
	}
	*until = -1;
	return then;
}

static int severity(ndl_status s)
{
	return s == NDL_AVOID ? 2 : s == NDL_CAUTION ? 1 : 0;
}

/* Joins two reasons with "; " in the product arena. */
static const char *reason_add(ndl_checker *chk, const char *a, const char *b)
{
	if (a == NULL)
		return b;
	size_t n = strlen(a) + strlen(b) + 3;
	char *r = ndl_arena_alloc(&chk->mem, n);
	if (r == NULL)
		return a;
	snprintf(r, n, "%s; %s", a, b);
	return r;
}

static ndl_finding *new_finding(ndl_checker *chk, const ndl_token *t,
				unsigned pos, uint32_t entry)
{
	if (NDL_GROW(chk->findings, chk->cap_findings, chk->nfindings + 1))
		return NULL;
	chk->entry_seen[entry] = chk->product;
	ndl_finding *f = &chk->findings[chk->nfindings++];
	memset(f, 0, sizeof(*f));
	f->ingredient = t->text;
	f->ingredient_len = t->len;
	f->offset = t->start;
	f->position = pos;
	if (t->flags & NDL_TOK_MAY_CONTAIN)
		f->flags |= NDL_FINDING_MAY_CONTAIN;
	if ((t->flags & NDL_TOK_ACTIVE) || t->pct >= 0)
		f->flags |= NDL_FINDING_ACTIVE;
	return f;
}

static void set_status(ndl_checker *chk, ndl_finding *f, const ndl_class *c,
		       window w)
{
	f->status = status_at(w, c->then, chk->result.when.hours, &f->until_day);
	f->safe_day = day_of(window_end(w));
}

/* Why a member past the 1 % line is only caution. */
static const char *late_reason(ndl_checker *chk, const char *marker)
{
	if (marker == NULL)
		return "in the last third of a list with no 1% marker: likely a "
		       "trace amount";
	size_t n = NDL_ARRAY_LEN(chk->late);
	for (size_t i = 0; i < n; i++)
		if (strncmp(chk->late[i].marker, marker, sizeof(chk->late[i].marker)) == 0)
			return chk->late[i].reason;
	/* not kept: replace the oldest; results of earlier products that
	 * pointed at it are gone by now (see ndl_check) */
	size_t i = chk->late_next++ % n;
	snprintf(chk->late[i].marker, sizeof(chk->late[i].marker), "%s", marker);
	snprintf(chk->late[i].reason, sizeof(chk->late[i].reason),
		 "listed after %.80s, below the 1%% line: likely a trace amount",
		 marker);
	return chk->late[i].reason;
}

/* Is the product makeup? Its name says so, or its colourants do: a
 * shade list, or three pigments or more. */
static int judged_makeup(ndl_checker *chk, size_t ntok, const unsigned char *kept,
			 const ndl_product_info *info)
{
	if (info->is_makeup)
		return 1;
	const ndl_lexicon *lex = chk->lex;
	unsigned pigments = 0;
	for (size_t i = 0; i < ntok; i++) {
		if (!kept[i])
			continue;
		const ndl_match *m = NDL_TOKEN_MATCH(chk, i);
		for (uint32_t h = 0; h < m->nhits; h++) {
			const ndl_class *c = &lex->classes[lex->entries[m->hits[h].entry].cls];
			if (c->applies != NDL_APPLIES_MAKEUP)
				continue;
			if (chk->tok.tok[i].flags & NDL_TOK_MAY_CONTAIN)
				return 1;
			pigments++;
		}
	}
	return pigments >= 3;
}

int ndl_apply_rules(ndl_checker *chk, const ndl_product_info *info)
{
	const ndl_lexicon *lex = chk->lex;
	const ndl_token *tok = chk->tok.tok;
	size_t ntok = chk->tok.ntok;
	ndl_result *r = &chk->result;

	/* a new stamp for entry_seen; at wrap-around, clear the marks */
	if (++chk->product == 0) {
		memset(chk->entry_seen, 0, lex->nentries * sizeof(uint32_t));
		chk->product = 1;
	}

	/* 1. which tokens are ingredients, and their places in the list */
	unsigned char *kept = ndl_arena_alloc(&chk->mem, ntok + 1);
	unsigned *pos = ndl_arena_alloc(&chk->mem, (ntok + 1) * sizeof(unsigned));
	if (kept == NULL || pos == NULL)
		return -1;
	size_t ningr = 0, nrecog = 0, prose_bytes = 0, list_bytes = 0;
	const char *gave_up = NULL; /* a pattern that could not finish */
	const ndl_token *gave_up_on = NULL;
	unsigned npos = 0, marker_pos = 0;
	const char *marker = NULL;
	for (size_t i = 0; i < ntok; i++) {
		const ndl_match *m = NDL_TOKEN_MATCH(chk, i);
		kept[i] = !(tok[i].flags & NDL_TOK_TENTATIVE) || m->recognized;
		if (m->gave_up && gave_up == NULL) {
			gave_up = m->gave_up;
			gave_up_on = &tok[i];
		}
		if (!kept[i]) {
			if (tok[i].flags & NDL_TOK_PROSE)
				prose_bytes += tok[i].len;
			continue;
		}
		ningr++;
		nrecog += m->recognized != 0;
		list_bytes += tok[i].len;
		if (!(tok[i].flags & NDL_TOK_BLEND) || npos == 0)
			npos++;
		pos[i] = npos;
		if ((m->rules & NDL_RULE_MARKER) && marker == NULL) {
			marker = tok[i].text;
			marker_pos = npos;
		}
	}
	/* the 1 % line: after the first marker, else the last third */
	unsigned late_after = 0;
	if (marker)
		late_after = marker_pos;
	else if (npos >= LATE_FALLBACK_MIN)
		late_after = npos - npos / 3;
	const char *late_text = NULL; /* the reason, written when first needed */

	int makeup = judged_makeup(chk, ntok, kept, info);

	/* 2. findings */
	for (size_t i = 0; i < ntok; i++) {
		if (!kept[i])
			continue;
		const ndl_match *m = NDL_TOKEN_MATCH(chk, i);
		const ndl_token *t = &tok[i];
		int late = late_after && pos[i] > late_after;
		if (!m->recognized) {
			if (m->near != NDL_NO_NEAR) {
				/* "Retinoll": not safe because unread */
				size_t e = m->near;
				ndl_finding *f = new_finding(chk, t, pos[i], (uint32_t)e);
				if (f == NULL)
					return -1;
				const ndl_class *c = &lex->classes[lex->entries[e].cls];
				window w = soften((window){c->avoid_h, c->caution_h});
				f->class_id = c->id;
				f->class_index = lex->entries[e].cls;
				f->matched = NULL;
				set_status(chk, f, c, w);
				char buf[200];
				snprintf(buf, sizeof(buf),
					 "not a name I know; did you mean '%.80s'?",
					 lex->entries[e].name);
				f->reason = ndl_arena_strndup(&chk->mem, buf, strlen(buf));
				continue;
			}
			if (NDL_GROW(chk->unrec, chk->cap_unrec, chk->nunrec + 1))
				return -1;
			chk->unrec[chk->nunrec++] = (ndl_span){t->text, t->len, t->start};
			continue;
		}
		for (uint32_t h = 0; h < m->nhits; h++) {
			const ndl_entry *e = &lex->entries[m->hits[h].entry];
			const ndl_class *c = &lex->classes[e->cls];
			if (c->applies == NDL_APPLIES_MAKEUP && !makeup)
				continue; /* a colourant, not makeup */
			/* a list printed twice (two languages) counts once */
			if (chk->entry_seen[m->hits[h].entry] == chk->product)
				continue;
			ndl_finding *f = new_finding(chk, t, pos[i], m->hits[h].entry);
			if (f == NULL)
				return -1;
			f->matched = m->hits[h].matched;
			f->json_head = m->hits[h].json;
			f->json_head_len = m->hits[h].json_len;
			f->class_id = c->id;
			f->class_index = e->cls;
			window w = {c->avoid_h, c->caution_h};
			if (e->rules & NDL_RULE_CAUTION) {
				w = soften(w);
				if (c->avoid_h != NDL_NO_WINDOW)
					f->reason = "a mild or indirect member of the class: caution at most";
			}
			if ((e->rules & NDL_RULE_LATE_CAUTION) && late &&
			    !(f->flags & NDL_FINDING_ACTIVE) && w.avoid != NDL_NO_WINDOW) {
				w = soften(w);
				if (late_text == NULL)
					late_text = late_reason(chk, marker);
				f->reason = reason_add(chk, f->reason, late_text);
				f->flags |= NDL_FINDING_LATE;
			}
			if (f->flags & NDL_FINDING_MAY_CONTAIN)
				f->reason = reason_add(chk, f->reason,
						       "in the 'may contain' shade list");
			set_status(chk, f, c, w);
		}
	}

	/* 3. verdict */
	int worst = 0, safe_from = 0;
	for (size_t k = 0; k < chk->nfindings; k++) {
		const ndl_finding *f = &chk->findings[k];
		if (severity(f->status) > worst)
			worst = severity(f->status);
		if (f->safe_day > safe_from)
			safe_from = f->safe_day;
	}
	const char *error = NULL;
	char buf[300];
	if (chk->tok.truncated) {
		snprintf(buf, sizeof(buf), "more than %d ingredients: only the first "
			 "were checked", NDL_MAX_INGREDIENTS);
		error = ndl_arena_strndup(&chk->mem, buf, strlen(buf));
	} else if (gave_up) {
		/* a name the lexicon could not finish matching is not known */
		snprintf(buf, sizeof(buf),
			 "the lexicon pattern /%.80s/ gave up on '%.60s' (PCRE2 match "
			 "limit)",
			 gave_up, gave_up_on->text);
		error = ndl_arena_strndup(&chk->mem, buf, strlen(buf));
	} else if (ningr == 0)
		error = prose_bytes ? "text, not an ingredient list" : "no ingredient list";
	else if (prose_bytes > list_bytes)
		error = "mostly text, not an ingredient list";
	else if (nrecog == 0)
		error = "no ingredient name recognised";
	else if (nrecog * 2 < ningr) {
		snprintf(buf, sizeof(buf),
			 "only %zu of %zu names recognised: not a list I can read",
			 nrecog, ningr);
		error = ndl_arena_strndup(&chk->mem, buf, strlen(buf));
	}
	r->ningredients = ningr;
	r->error = error;
	if (error && worst < 2) {
		r->verdict = NDL_VERDICT_UNKNOWN;
		r->safe_from_day = -1;
	} else {
		r->verdict = worst == 2 ? NDL_VERDICT_AVOID
			     : worst == 1 ? NDL_VERDICT_CAUTION
					  : NDL_VERDICT_SAFE;
		r->safe_from_day = safe_from;
	}
	return 0;
}
