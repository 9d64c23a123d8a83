/* `lexicon --test` for the vocabularies the program reads as tables
 * (knowledge/vocab.c): each example must show its entry at work. */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "core/check.h"

/* Is the label name x read, every name recognised, although x as
 * printed is no name of the lexicon (so the table did the reading)? */
static int read_by_table(ndl_checker *chk, const char *x)
{
	char key[1024];
	size_t n = strlen(x);
	if (n * 4 + 64 > sizeof(key))
		return 0;
	size_t len = ndl_compact(key, ndl_normalize(x, n, key, sizeof(key)));
	if (ndl_index_find(&chk->lex->names, key, len))
		return 0;
	ndl_product p = {.text = x, .len = n};
	const ndl_result *r = ndl_check(chk, &p);
	return r && r->ningredients > 0 && r->nunrecognized == 0;
}

/* Does the normalised text norm hold name (normalised) at its start
 * (at_start) or anywhere? */
static int holds(const char *norm, const char *name, int at_start)
{
	char w[512];
	size_t n = strlen(name);
	if (n * 4 + 64 > sizeof(w))
		return 0;
	ndl_normalize(name, n, w, sizeof(w));
	const char *at = strstr(norm, w);
	return at && (!at_start || (at == norm && norm[strlen(w)] == ' '));
}

/* Does x, tokenized as the checker does (without the header phrases
 * unless headers), give two tokens or more, the first without flag and
 * the last with it? */
static int first_not_last(ndl_checker *chk, const char *x, int headers,
			  unsigned flag)
{
	ndl_tokenizer t = {.markers = chk->tok.markers,
			   .headers = headers ? chk->tok.headers : NULL,
			   .sentence_words = chk->tok.sentence_words};
	ndl_arena a = {0};
	int ok = ndl_tokenize(&t, x, strlen(x), &a) == 0 && t.ntok > 1 &&
		 !(t.tok[0].flags & flag) && (t.tok[t.ntok - 1].flags & flag);
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
	return ok;
}

/* Is a token of x in a shade list, and the first one not? */
static int opens_shades(ndl_checker *chk, const char *x)
{
	return first_not_last(chk, x, 0, NDL_TOK_MAY_CONTAIN);
}

/* Does label x read one of its header phrases as role r says
 * (headers.txt)? */
static int opens_part(ndl_checker *chk, ndl_header_role r, const char *x)
{
	ndl_tokenizer t = {.markers = chk->tok.markers, .headers = chk->tok.headers,
			   .sentence_words = chk->tok.sentence_words};
	ndl_arena a = {0};
	int ok = ndl_tokenize(&t, x, strlen(x), &a) == 0 && t.ntok > 1;
	unsigned first = ok ? t.tok[0].flags : 0, last = ok ? t.tok[t.ntok - 1].flags : 0;
	int preamble = 0;
	for (size_t k = 0; ok && k < t.ntok; k++)
		preamble |= (t.tok[k].flags & NDL_TOK_PREAMBLE) != 0;
	ndl_tokenizer_free(&t);
	ndl_arena_free(&a);
	switch (r) {
	case NDL_HEADER_INGREDIENTS:
	case NDL_HEADER_ACTIVE:
		return ok && (first & NDL_TOK_PREAMBLE) && !(last & NDL_TOK_TENTATIVE) &&
		       !(last & NDL_TOK_ACTIVE) == (r == NDL_HEADER_INGREDIENTS);
	case NDL_HEADER_LABEL:
		return ok && (first & NDL_TOK_HEADER) && !preamble &&
		       !(last & NDL_TOK_TENTATIVE);
	default:
		return ok && !(first & NDL_TOK_TENTATIVE) && (last & NDL_TOK_PROSE);
	}
}

/* Is label x's last piece read as a sentence, its first as a name
 * (sentence-words.txt)? */
static int ends_in_sentence(ndl_checker *chk, const char *x)
{
	return first_not_last(chk, x, 1, NDL_TOK_PROSE);
}

int ndl_table_example(ndl_checker *chk, size_t e, const char *x)
{
	const ndl_lexicon *lex = chk->lex;
	const ndl_entry *en = ndl_entry_at(lex, e);
	char norm[1024];
	size_t n = strlen(x);
	if (n * 4 + 64 > sizeof(norm))
		return 0;
	ndl_normalize(x, n, norm, sizeof(norm));
	int shown = 0;
	switch (lex->classes[en->cls].role) {
	case NDL_ROLE_QUALIFIERS:
		for (size_t k = 0; k < en->nnames; k++)
			shown |= holds(norm, en->names[k], 1);
		return shown && read_by_table(chk, x);
	case NDL_ROLE_SPELLINGS:
		for (size_t k = 1; k < en->nnames; k++)
			shown |= holds(norm, en->names[k], 0);
		return shown && read_by_table(chk, x);
	case NDL_ROLE_MAY_CONTAIN:
		for (size_t k = 0; k < en->nnames; k++)
			shown |= holds(norm, en->names[k], 0);
		return shown && opens_shades(chk, x);
	case NDL_ROLE_HEADERS:
		for (size_t k = 0; k < en->nnames; k++)
			shown |= holds(norm, en->names[k], 0);
		return shown && opens_part(chk, ndl_header_index(en->role), x);
	case NDL_ROLE_SENTENCE_WORDS:
		for (size_t k = 0; k < en->nnames; k++)
			shown |= holds(norm, en->names[k], 0);
		return shown && ends_in_sentence(chk, x);
	default:
		return ndl_column_example(lex, e, x);
	}
}
