/* ndl_check: reader output → tokenizer → matcher → rules, for one product;
 * plus the lexicon's self-test and explanations, which run the same path. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "base/text.h"

ndl_checker *ndl_checker_new(const ndl_lexicon *lex)
{
	ndl_checker *chk = calloc(1, sizeof(*chk));
	if (chk == NULL)
		return NULL;
	chk->lex = lex;
	chk->tok.markers = &lex->tables.may_contain;
	chk->tok.headers = &lex->tables.headers;
	chk->tok.sentence_words = lex->tables.sentence_words;
	chk->matcher = ndl_matcher_new(lex);
	chk->judge = chk->matcher ? ndl_judge_new(lex, chk->matcher) : NULL;
	if (chk->judge == NULL) {
		ndl_checker_free(chk);
		return NULL;
	}
	return chk;
}

void ndl_checker_free(ndl_checker *chk)
{
	if (chk == NULL)
		return;
	ndl_judge_free(chk->judge);
	ndl_matcher_free(chk->matcher);
	ndl_tokenizer_free(&chk->tok);
	ndl_arena_free(&chk->mem);
	free(chk);
}

/* ------------------------------------------------------------- check */

/* Line and column of each finding: offsets grow along the list, so one
 * walk over the text serves them all. */
static void locate_findings(ndl_finding *fs, size_t n, const ndl_product *p)
{
	if (p->locate) {
		for (size_t k = 0; k < n; k++)
			p->locate(p->locate_ctx, fs[k].offset, &fs[k].line,
				  &fs[k].column);
		return;
	}
	unsigned line = p->line ? p->line : 1, col = p->column ? p->column : 1;
	size_t at = 0;
	for (size_t k = 0; k < n; k++) {
		ndl_finding *f = &fs[k];
		if (f->offset < at) { /* out of order: walk again */
			at = 0;
			line = p->line ? p->line : 1;
			col = p->column ? p->column : 1;
		}
		while (at < f->offset) {
			unsigned char c = (unsigned char)p->text[at];
			/* a line ends at "\n", "\r\n" or a lone "\r" */
			if (c == '\n' || (c == '\r' && (at + 1 == p->len ||
							p->text[at + 1] != '\n'))) {
				line++;
				col = 1;
				at++;
			} else if (c < 0x80) {
				col++;
				at++;
			} else {
				uint32_t cp;
				at += ndl_utf8_decode(p->text + at, p->len - at, &cp);
				col++;
			}
		}
		f->line = line;
		f->column = col;
	}
}

/* The SPF a normalised product name claims ("spf 30", "spf30", "spf
 * 50+" → 50), or 0. */
static double spf_in_name(const char *s)
{
	for (const char *p = s; (p = strstr(p, "spf")) != NULL; p += 3) {
		if (p != s && p[-1] != ' ')
			continue;
		const char *q = p + 3;
		if (*q == ' ')
			q++;
		double v = 0;
		int digits = 0;
		while (*q >= '0' && *q <= '9' && digits < 3)
			v = v * 10 + (*q++ - '0'), digits++;
		if (digits > 0 && (*q == ' ' || *q == '\0') && v > 0)
			return v;
	}
	return 0;
}

static void product_info(ndl_checker *chk, const ndl_product *p,
			 ndl_product_info *info)
{
	memset(info, 0, sizeof(*info));
	info->spf = p->spf > 0 && isfinite(p->spf) ? p->spf : 0;
	info->no_reasons = (p->flags & NDL_PRODUCT_NO_REASONS) != 0;
	if (p->name == NULL || p->name_len == 0)
		return;
	size_t cap = p->name_len * 4 + 64;
	char *norm = ndl_arena_alloc(&chk->mem, cap);
	if (norm == NULL)
		return;
	size_t len = ndl_normalize(p->name, p->name_len, norm, cap);
	info->name = norm;
	info->name_len = len;
	if (info->spf == 0) {
		info->spf = spf_in_name(norm);
		info->spf_from_name = info->spf > 0;
	}
}

/* Is s, as a whole, an exact name of the lexicon? */
static int exact_name(ndl_checker *chk, const char *s, size_t n)
{
	char key[512];
	if (n * 4 + 64 > sizeof(key))
		return 0;
	size_t len = ndl_compact(key, ndl_normalize(s, n, key, sizeof(key)));
	return ndl_index_find(&chk->lex->names, key, len) != 0;
}

/* "Hydrolyzed Sodium, Hyaluronate", "Aminomethyl, Propanol": labels
 * sometimes print a comma inside a name. A piece the lexicon does not know
 * that, with the piece after it, makes a name it knows is that name.
 * Returns -1 when out of memory. */
static int join_split_names(ndl_checker *chk)
{
	ndl_tokenizer *t = &chk->tok;
	for (size_t i = 0; i + 1 < t->ntok; i++) {
		ndl_token *a = &t->tok[i], *b = &t->tok[i + 1];
		if (NDL_TOKEN_MATCH(a)->recognized ||
		    NDL_TOKEN_MATCH(a)->nparts ||
		    ((a->flags | b->flags) & (NDL_TOK_TENTATIVE | NDL_TOK_JOINED)) ||
		    ((a->flags ^ b->flags) & NDL_TOK_MAY_CONTAIN))
			continue;
		size_t n = a->len + 1 + b->len;
		char *s = ndl_arena_alloc(&chk->mem, n + 1);
		if (s == NULL)
			return -1;
		memcpy(s, a->text, a->len);
		s[a->len] = ' ';
		memcpy(s + a->len + 1, b->text, b->len + 1);
		/* "Vegetable Collagen, Aroma/Flavor" is two ingredients: when
		 * the second piece is a name of its own, only an exact name
		 * of the whole joins them (asked first: an index lookup, where
		 * reading the pair is the matcher's whole work) */
		if (NDL_TOKEN_MATCH(b)->recognized && !exact_name(chk, s, n))
			continue;
		int oom;
		const ndl_match *m = ndl_match_if_named(chk->matcher, s, n, &oom);
		if (oom)
			return -1;
		if (m == NULL || m->nparts)
			continue;
		a->text = s;
		a->len = n;
		a->end = b->end;
		b->flags |= NDL_TOK_JOINED;
		a->match = m;
		a->memo = NULL; /* the pair's match is not the segment's */
		i++;
	}
	return 0;
}

/* Where bytes of a token's cleaned text are in the product text: the
 * cleaned text is the source with figures, marks and markers dropped and
 * blanks collapsed, so its non-blank bytes come in the same order. The
 * offsets k[0..n) grow; one walk maps them all into out. */
static void source_offsets(const char *src, const ndl_token *t,
			   const size_t *k, size_t n, size_t *out)
{
	size_t at = t->start, i = 0;
	for (size_t j = 0; j < n; j++) {
		for (; i < k[j]; i++) {
			if (t->text[i] == ' ')
				continue;
			while (at < t->end && src[at] != t->text[i])
				at++;
			if (at < t->end)
				at++;
		}
		size_t here = at;
		while (here < t->end && (src[here] == ' ' || src[here] != t->text[i]))
			here++;
		out[j] = here < t->end ? here : t->start;
	}
}

/* A token the matcher read as several names ("Water Glycerin", "and
 * Retinyl Palmitate", match.c's find_hidden) becomes one token per name,
 * each with its own place in the list; a tentative token's parts stay
 * tentative (each is kept if it is recognised). Returns -1 when out of
 * memory. */
static int split_pieces(ndl_checker *chk, const char *src)
{
	ndl_tokenizer *t = &chk->tok;
	size_t extra = 0, split = 0;
	for (size_t i = 0; i < t->ntok; i++) {
		const ndl_match *m = NDL_TOKEN_MATCH(&t->tok[i]);
		if (m->nparts && !(t->tok[i].flags & NDL_TOK_JOINED)) {
			extra += m->nparts - 1;
			split++;
		}
	}
	if (split == 0)
		return 0;
	if (NDL_GROW(t->tok, t->cap_tok, t->ntok + extra))
		return -1;
	/* from the end, so that each token moves once */
	size_t to = t->ntok + extra;
	for (size_t i = t->ntok; i-- > 0;) {
		ndl_token tk = t->tok[i];
		const ndl_match *m = tk.match;
		if (!m->nparts || (tk.flags & NDL_TOK_JOINED)) {
			t->tok[--to] = tk;
			continue;
		}
		/* the parts' first and last bytes, in order, in the source */
		size_t *k = ndl_arena_alloc(&chk->mem, 4 * m->nparts * sizeof(size_t));
		if (k == NULL)
			return -1;
		size_t *at = k + 2 * m->nparts;
		for (uint32_t p = 0; p < m->nparts; p++) {
			k[2 * p] = m->parts[p].start;
			k[2 * p + 1] = m->parts[p].end - 1;
		}
		source_offsets(src, &tk, k, 2 * m->nparts, at);
		for (uint32_t p = m->nparts; p-- > 0;) {
			const ndl_part *part = &m->parts[p];
			ndl_token *pt = &t->tok[--to];
			*pt = tk;
			pt->text = ndl_arena_strndup(&chk->mem, tk.text + part->start,
						     part->end - part->start);
			if (pt->text == NULL)
				return -1;
			pt->len = part->end - part->start;
			pt->start = at[2 * p];
			pt->end = at[2 * p + 1] + 1;
			pt->match = part->match;
			pt->memo = NULL;
			if (p > 0) /* each name its own place */
				pt->flags &= ~(unsigned)NDL_TOK_BLEND;
		}
	}
	t->ntok += extra;
	return 0;
}

static void drop_footnotes(ndl_checker *chk)
{
	for (size_t i = 0; i < chk->tok.ntok; i++)
		if (ndl_judge_footnote(chk->judge, &chk->tok.tok[i]))
			chk->tok.tok[i].flags |= NDL_TOK_DROPPED;
}

/* The result of a text that is no list (error), or of the judgement. */
static const ndl_result *finish(ndl_checker *chk, const char *error,
				const ndl_judgement *jd)
{
	ndl_result *r = &chk->result;
	memset(r, 0, sizeof(*r));
	r->error = error;
	if (jd) {
		r->error = jd->error;
		r->findings = jd->findings;
		r->nfindings = jd->nfindings;
		r->unrecognized = jd->unrecognized;
		r->nunrecognized = jd->nunrecognized;
		r->ningredients = jd->ningredients;
		r->safe_from_h = jd->safe_from_h;
	}
	return r;
}

unsigned long ndl_checker_checks(const ndl_checker *chk)
{
	return chk->checks;
}

const ndl_lexicon *ndl_checker_lexicon(const ndl_checker *chk)
{
	return chk->lex;
}

/* Tokens, each with its match (cached matches are remembered by the
 * tokenizer too). Returns -1 when out of memory. */
static int match_tokens(ndl_checker *chk)
{
	for (size_t i = 0; i < chk->tok.ntok; i++) {
		ndl_token *t = &chk->tok.tok[i];
		if (t->match == NULL) {
			t->match = ndl_match_name(chk->matcher, t->text, t->len);
			if (t->match == NULL)
				return -1;
			if (t->memo)
				*t->memo = t->match;
		}
	}
	return 0;
}

/* A new product: the arena, the matcher's cache turn, the tokens. */
static void begin(ndl_checker *chk)
{
	ndl_arena_reset(&chk->mem);
	if (ndl_matcher_begin(chk->matcher))
		ndl_tokenizer_forget(&chk->tok); /* it remembers matches */
	chk->tok.ntok = 0;
}

const ndl_result *ndl_check(ndl_checker *chk, const ndl_product *p)
{
	begin(chk);
	const char *no_list = ndl_judge_text(chk->judge, p->text, p->len);
	if (no_list)
		return finish(chk, no_list, NULL);
	chk->checks++;
	if (ndl_tokenize(&chk->tok, p->text, p->len, &chk->mem) != 0 ||
	    match_tokens(chk) != 0 || join_split_names(chk) != 0 ||
	    split_pieces(chk, p->text) != 0)
		return NULL;
	drop_footnotes(chk);
	ndl_product_info info;
	product_info(chk, p, &info);
	ndl_judgement jd;
	if (ndl_judge_product(chk->judge, chk->tok.tok, chk->tok.ntok,
			      chk->tok.truncated, &info, &jd) != 0)
		return NULL;
	if (!(p->flags & NDL_PRODUCT_NO_POSITIONS))
		locate_findings(jd.findings, jd.nfindings, p);
	return finish(chk, NULL, &jd);
}

/* ----------------------------------------------------- explain, test */

static void put_window(ndl_buf *out, const ndl_class *c)
{
	const ndl_window *w = &c->window;
	if (w->avoid_h != NDL_NO_WINDOW)
		ndl_buf_printf(out, "avoid until %g h (day %d)", w->avoid_h,
			       (int)ceil(w->avoid_h / 24.0));
	if (w->caution_h != NDL_NO_WINDOW)
		ndl_buf_printf(out, "%scaution until %g h (day %d)",
			       w->avoid_h != NDL_NO_WINDOW ? ", " : "",
			       w->caution_h, (int)ceil(w->caution_h / 24.0));
	ndl_buf_printf(out, "%s%s",
		       w->avoid_h != NDL_NO_WINDOW || w->caution_h != NDL_NO_WINDOW
			       ? ", then "
			       : "",
		       ndl_status_name(w->then));
}

/* What the check makes of match m (of text), as ndl_explain's lines. */
static void explain_outcome(ndl_checker *chk, const ndl_match *m,
			    const char *text, ndl_buf *out)
{
	const ndl_lexicon *lex = chk->lex;
	if (m->nparts) {
		ndl_buf_printf(out, "  → read as %s:\n",
			       m->nparts == 1 ? "this ingredient"
					      : "these ingredients, each in its place");
		for (uint32_t k = 0; k < m->nparts; k++) {
			const ndl_part *p = &m->parts[k];
			ndl_buf_printf(out, "'%.*s'\n", (int)(p->end - p->start),
				       text + p->start);
			explain_outcome(chk, p->match, text + p->start, out);
		}
		return;
	}
	for (uint32_t k = 0; k < m->nheld; k++) {
		const ndl_held *h = &m->held[k];
		const ndl_entry *e = ndl_entry_at(lex, h->entry);
		const ndl_class *c = &lex->classes[e->cls];
		ndl_buf_printf(out, "  → %s (%s, %s:%u): %s '%.*s' %s; caution at "
				    "least, where the name would count\n",
			       c->id, e->name, e->file, e->line,
			       h->edits ? "a misspelling:" : "held in the words",
			       (int)(h->end - h->start), text + h->start,
			       h->edits ? "looks like it" : "of a name I cannot read");
	}
	if (!m->recognized && m->nheld == 0)
		ndl_buf_puts(out, "  → not recognised: reported as unrecognized\n");
	else if (m->recognized && m->nhits == 0)
		ndl_buf_puts(out, "  → a known ingredient with no class\n");
	for (uint32_t h = 0; h < m->nhits; h++) {
		const ndl_entry *e = ndl_entry_at(lex, m->hits[h].entry);
		const ndl_class *c = &lex->classes[e->cls];
		ndl_buf_printf(out, "  → %s (%s, %s:%u): ", c->id, e->name, e->file,
			       e->line);
		put_window(out, c);
		if (e->rules & NDL_RULE_CAUTION)
			ndl_buf_puts(out, "; caution at most");
		if (e->rules & NDL_RULE_LATE_CAUTION)
			ndl_buf_puts(out, "; caution past the 1% line");
		ndl_buf_puts(out, "\n");
		if (e->note)
			ndl_buf_printf(out, "    note: %s\n", e->note);
	}
	if (m->rules & NDL_RULE_MARKER)
		ndl_buf_puts(out, "  → marks the 1% line\n");
}

void ndl_explain(ndl_checker *chk, const char *name, size_t len, ndl_buf *out)
{
	begin(chk);
	if (ndl_tokenize(&chk->tok, name, len, &chk->mem) != 0) {
		ndl_buf_puts(out, "out of memory\n");
		return;
	}
	if (chk->tok.ntok == 0)
		ndl_buf_puts(out, "no ingredient in this text\n");
	for (size_t i = 0; i < chk->tok.ntok; i++) {
		ndl_token *t = &chk->tok.tok[i];
		ndl_buf_printf(out, "'%s'\n", t->text);
		ndl_match_explain(chk->matcher, t->text, t->len, out);
		const ndl_match *m = ndl_match_name(chk->matcher, t->text, t->len);
		if (m == NULL)
			continue;
		t->match = m;
		if (ndl_judge_footnote(chk->judge, t)) {
			ndl_buf_puts(out, "  → the text of a footnote (footnotes.txt): "
					  "not an ingredient\n");
			continue;
		}
		explain_outcome(chk, m, t->text, out);
	}
}

/* Does label text s yield entry e (want) or class cls (!want)? */
static int yields(ndl_checker *chk, const char *s, size_t e, size_t cls)
{
	const ndl_lexicon *lex = chk->lex;
	begin(chk);
	if (ndl_tokenize(&chk->tok, s, strlen(s), &chk->mem) != 0)
		return 0;
	for (size_t i = 0; i < chk->tok.ntok; i++) {
		const ndl_match *m = ndl_match_name(chk->matcher, chk->tok.tok[i].text,
						    chk->tok.tok[i].len);
		for (uint32_t h = 0; m && h < m->nhits; h++)
			if (e != (size_t)-1 ? m->hits[h].entry == e
					    : ndl_entry_cls(lex, m->hits[h].entry) == cls)
				return 1;
	}
	return 0;
}

/* Is the label text s, with label word entry e in it, read as it should:
 * every name recognised, none held or misspelt, and no ingredient
 * reported that is, or holds, the label word or footnote? */
static int reads_cleanly(ndl_checker *chk, const char *s, size_t e)
{
	const ndl_lexicon *lex = chk->lex;
	const ndl_entry *en = ndl_entry_at(lex, e);
	ndl_product p = {.text = s, .len = strlen(s)};
	const ndl_result *r = ndl_check(chk, &p);
	if (r == NULL || r->error || r->nunrecognized)
		return 0;
	for (size_t k = 0; k < r->nfindings; k++) {
		const ndl_finding *f = &r->findings[k];
		char norm[1024], word[256];
		if (f->matched == NULL || f->ingredient_len * 4 + 64 > sizeof(norm))
			return 0;
		norm[0] = ' ';
		size_t len = ndl_normalize(f->ingredient, f->ingredient_len, norm + 1,
					   sizeof(norm) - 2) + 1;
		if (en->has_pattern &&
		    ndl_match_vocabulary(chk->matcher, en->cls, norm + 1, len - 1) == e)
			return 0;
		norm[len++] = ' ';
		norm[len] = '\0';
		for (size_t w = 0; w < en->nnames; w++) {
			word[0] = ' ';
			size_t wl = ndl_normalize(en->names[w], strlen(en->names[w]),
						  word + 1, sizeof(word) - 2) + 1;
			word[wl++] = ' ';
			word[wl] = '\0';
			if (strstr(norm, word))
				return 0;
		}
	}
	return 1;
}

size_t ndl_lexicon_test(ndl_checker *chk, ndl_buf *out, size_t *ntests)
{
	const ndl_lexicon *lex = chk->lex;
	size_t fails = 0, n = 0;
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = ndl_entry_at(lex, i);
		const ndl_class *c = &lex->classes[e->cls];
		if (c->role == NDL_ROLE_KNOWN)
			continue; /* its names are its examples: the index has them */
		for (size_t k = 0; k < e->nexamples; k++) {
			n++;
			const char *x = e->examples[k];
			int ok;
			if (c->role == NDL_ROLE_CLASS) {
				ok = yields(chk, x, i, 0);
			} else if (NDL_ROLE_IS_LABEL(c->role)) {
				ok = reads_cleanly(chk, x, i);
			} else if (NDL_ROLE_IS_TABLE(c->role)) {
				ok = ndl_table_example(chk, i, x);
			} else if (c->role == NDL_ROLE_PRODUCTS) {
				/* a name may be of several kinds */
				char norm[1024];
				size_t where[NDL_MAX_KINDS][2];
				size_t len = ndl_normalize(x, strlen(x), norm, sizeof(norm));
				uint32_t kinds = ndl_match_kinds(chk->matcher, norm, len,
								 UINT32_MAX, where);
				ok = kinds >> ndl_kind_find(lex, e->name) & 1;
			} else {
				char norm[1024];
				size_t len = ndl_normalize(x, strlen(x), norm, sizeof(norm));
				ok = ndl_match_vocabulary(chk->matcher, e->cls, norm, len) == i;
			}
			if (!ok) {
				fails++;
				ndl_buf_printf(out,
					       "%s:%u: example '%s' does not yield "
					       "entry '%s' (%s)\n",
					       e->file, e->line, x, e->name, c->id);
			}
		}
		for (size_t k = 0; c->role == NDL_ROLE_CLASS && k < e->nnames; k++) {
			n++;
			if (!yields(chk, e->names[k], i, 0)) {
				fails++;
				ndl_buf_printf(out,
					       "%s:%u: name '%s' does not reach its "
					       "entry '%s' (%s)\n",
					       e->file, e->line, e->names[k], e->name,
					       c->id);
			}
		}
	}
	for (size_t i = 0; i < lex->nexclusions; i++) {
		const ndl_exclusion *x = &lex->exclusions[i];
		n++;
		if (yields(chk, x->name, (size_t)-1, x->cls)) {
			fails++;
			ndl_buf_printf(out, "%s:%u: false friend '%s' still yields %s\n",
				       x->file, x->line, x->name,
				       lex->classes[x->cls].id);
		}
	}
	*ntests = n;
	return fails;
}

void ndl_lexicon_list(const ndl_lexicon *lex, ndl_buf *out)
{
	for (size_t i = 0; i < lex->nclasses; i++) {
		const ndl_class *c = &lex->classes[i];
		size_t entries = 0, names = 0, nots = 0;
		for (size_t k = 0; k < lex->nentries; k++)
			if (ndl_entry_cls(lex, k) == i) {
				entries++;
				names += ndl_entry_at(lex, k)->nnames;
			}
		for (size_t k = 0; k < lex->nexclusions; k++)
			nots += lex->exclusions[k].cls == i;
		ndl_buf_printf(out, "%-17s %4zu entries %5zu names %3zu false friends  ",
			       c->id, entries, names, nots);
		if (c->role == NDL_ROLE_CLASS)
			put_window(out, c);
		else
			ndl_buf_puts(out, c->role == NDL_ROLE_KNOWN	       ? "(vocabulary)"
					  : c->role == NDL_ROLE_NOTLIST  ? "(not-a-list texts)"
					  : c->role == NDL_ROLE_PRODUCTS ? "(product kinds)"
					  : c->role == NDL_ROLE_FOOTNOTES ? "(footnotes)"
					  : NDL_ROLE_IS_TABLE(c->role)	   ? "(read as a table)"
									  : "(label words)");
		ndl_buf_printf(out, "\n  %s — %s", c->title, c->file);
		if (c->role == NDL_ROLE_CLASS && c->window_file)
			ndl_buf_printf(out, "; days: %s", c->window_file);
		ndl_buf_puts(out, "\n");
	}
}
