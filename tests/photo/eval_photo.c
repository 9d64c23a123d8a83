/* Measures the photo reader on label images with known lists.
 *
 *   eval_photo [--day N] [--text] DIR...
 *
 * DIR/manifest.tsv (written by labels.py: image, id, level, columns, pt,
 * font, truth) names each image and the list printed on it. For each
 * image: the photo is read (ndl_ocr_read), the list found on it
 * (ndl_label_find), and that list checked (ndl_check) beside the printed
 * list. One JSON object per image on stdout:
 *
 *   truth_n      ingredients of the printed list (the tokenizer's)
 *   read_exact   of them, read exactly (same name key) in the list found
 *   read_entry   read as the same lexicon entry and class, not exactly
 *   read_text    read exactly anywhere in the photo's text
 *   verdict_text / verdict_photo   the check of each, on day N (3);
 *                the photo's as the program gives it (ndl_photo_judge)
 *   ms, cpu_ms   time to read the photo (wall, CPU); mp its megapixels
 *
 * --text prints what was read and found instead. The tokenizer and the
 * normalisation are the library's own (internal headers), so a name
 * counts as read exactly as the checker would see it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input/label.h"
#include "needlecheck.h"
#include "needlecheck_input.h"
#include "input/ocr.h"
#include "base/text.h"
#include "core/tokenize.h"

typedef struct tools {
	ndl_checker *truth_chk, *photo_chk;
	ndl_label_words *words;
	ndl_photo *ph;
	ndl_when when;
	int text_mode;
} tools;

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The tokens of a list with their name keys (normalised, no spaces). */
typedef struct keyed {
	ndl_tokenizer tok;
	ndl_arena mem;
	char **keys;
} keyed;

/* The lexicon's "may contain" and header phrases and its sentence words,
 * as the checker reads them. */
static const ndl_phrases *markers;
static const ndl_headers *headers;
static const char *const *sentence_words;

static int keyed_tokens(keyed *k, const char *s, size_t n)
{
	memset(k, 0, sizeof(*k));
	k->tok.markers = markers;
	k->tok.headers = headers;
	k->tok.sentence_words = sentence_words;
	if (ndl_tokenize(&k->tok, s, n, &k->mem) != 0)
		return -1;
	k->keys = calloc(k->tok.ntok + 1, sizeof(*k->keys));
	for (size_t i = 0; k->keys && i < k->tok.ntok; i++) {
		char buf[512];
		size_t len = ndl_normalize(k->tok.tok[i].text, k->tok.tok[i].len,
					   buf, sizeof(buf));
		len = ndl_compact(buf, len);
		k->keys[i] = ndl_arena_strndup(&k->mem, buf, len);
	}
	return k->keys ? 0 : -1;
}

static void keyed_free(keyed *k)
{
	free(k->keys);
	ndl_tokenizer_free(&k->tok);
	ndl_arena_free(&k->mem);
}

static int has_key(const keyed *k, const char *key)
{
	for (size_t i = 0; i < k->tok.ntok; i++)
		if (k->keys[i] && strcmp(k->keys[i], key) == 0)
			return 1;
	return 0;
}

/* Did the photo's check find the entry and class the printed list's
 * check found for the token [start, end) of the printed list? */
static int same_entry(const ndl_result *truth, const ndl_result *photo,
		      size_t start, size_t end)
{
	for (size_t i = 0; i < truth->nfindings; i++) {
		const ndl_finding *f = &truth->findings[i];
		if (f->offset < start || f->offset >= end || f->matched == NULL)
			continue;
		for (size_t j = 0; j < photo->nfindings; j++) {
			const ndl_finding *g = &photo->findings[j];
			if (g->matched && strcmp(g->matched, f->matched) == 0 &&
			    strcmp(g->class_id, f->class_id) == 0)
				return 1;
		}
	}
	return 0;
}

static const ndl_result *check(ndl_checker *chk, const char *s, size_t n)
{
	ndl_product p = {.text = s, .len = n};
	return ndl_check(chk, &p);
}

/* How the list was found on the photo. */
static ndl_list_found found_how(const tools *t, const ndl_photo_page *pr)
{
	ndl_label_list list;
	if (ndl_label_find(t->words, pr->text, pr->len, &list) != 0)
		return NDL_LIST_NONE;
	return list.found;
}

static void json_field(ndl_buf *out, const char *name, const char *s)
{
	ndl_buf_printf(out, ",\"%s\":", name);
	if (s)
		ndl_json_string(out, s, strlen(s));
	else
		ndl_buf_puts(out, "null");
}

/* Compares the photo's list with the printed one; appends the counts. */
static void score(const tools *t, const char *truth, const char *list,
		  const char *text, ndl_photo_page *pr, ndl_buf *out)
{
	keyed kt, kl, kx;
	if (keyed_tokens(&kt, truth, strlen(truth)) != 0 ||
	    keyed_tokens(&kl, list, strlen(list)) != 0 ||
	    keyed_tokens(&kx, text, strlen(text)) != 0) {
		fprintf(stderr, "eval_photo: out of memory\n");
		exit(2);
	}
	const ndl_result *rt = check(t->truth_chk, truth, strlen(truth));
	const ndl_result *rp = check(t->photo_chk, list, strlen(list));
	if (pr) /* as the program says it: what the photo allows */
		rp = ndl_photo_judge(pr, t->photo_chk, rp);
	size_t n = 0, exact = 0, entry = 0, anywhere = 0;
	ndl_buf missing = {0};
	for (size_t i = 0; i < kt.tok.ntok; i++) {
		const ndl_token *k = &kt.tok.tok[i];
		if ((k->flags & NDL_TOK_TENTATIVE) || !kt.keys[i][0])
			continue;
		n++;
		anywhere += has_key(&kx, kt.keys[i]);
		if (has_key(&kl, kt.keys[i])) {
			exact++;
		} else if (same_entry(rt, rp, k->start, k->end)) {
			entry++;
		} else {
			ndl_buf_puts(&missing, missing.len ? "\", \"" : "\"");
			ndl_buf_append(&missing, k->text, k->len);
		}
	}
	ndl_buf_printf(out, ",\"truth_n\":%zu,\"read_exact\":%zu,\"read_entry\":%zu,"
		       "\"read_text\":%zu", n, exact, entry, anywhere);
	json_field(out, "verdict_text", ndl_verdict_name(ndl_verdict_at(rt, t->when, NULL)));
	json_field(out, "verdict_photo", ndl_verdict_name(ndl_verdict_at(rp, t->when, NULL)));
	json_field(out, "photo_error", rp->error);
	ndl_buf_puts(&missing, missing.len ? "\"" : "");
	json_field(out, "missing", ndl_buf_cstr(&missing));
	ndl_buf_free(&missing);
	keyed_free(&kt);
	keyed_free(&kl);
	keyed_free(&kx);
}

static char *read_file(const char *path, size_t *len)
{
	ndl_error err;
	char *data = NULL;
	int fd = open(path, O_RDONLY);
	if (fd < 0 || ndl_read_fd(fd, path, (size_t)1 << 30, &data, len, &err) != 0)
		data = NULL;
	if (fd >= 0)
		close(fd);
	return data;
}

/* One image of the manifest: fields are image, id, level, …, truth. */
static void run_one(const tools *t, const char *dir, char **f)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, f[0]);
	size_t len;
	char *data = read_file(path, &len);
	if (data == NULL) {
		fprintf(stderr, "eval_photo: cannot read %s\n", path);
		exit(2);
	}
	ndl_photo_page pr;
	ndl_error err;
	double w0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	int rc = ndl_photo_read(t->ph, data, len, &pr, &err);
	double ms = clock_ms(CLOCK_MONOTONIC) - w0;
	double cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	free(data);
	ndl_buf out = {0};
	ndl_list_found how = rc == 0 ? found_how(t, &pr) : NDL_LIST_NONE;
	char *list = rc == 0 ? strndup(pr.product.text, pr.product.len) : strdup("");
	char *text = rc == 0 ? strndup(pr.text, pr.len) : strdup("");
	if (list == NULL || text == NULL) {
		fprintf(stderr, "eval_photo: out of memory\n");
		exit(2);
	}
	if (t->text_mode) {
		printf("== %s (%s) %.0f ms, confidence %.1f\n%s\n-- list:\n%s\n",
		       f[0], f[2], ms, rc == 0 ? pr.confidence : 0,
		       rc == 0 ? text : err.message, list);
	} else {
		ndl_buf_puts(&out, "{\"image\":");
		ndl_json_string(&out, f[0], strlen(f[0]));
		json_field(&out, "id", f[1]);
		json_field(&out, "level", f[2]);
		ndl_buf_printf(&out, ",\"ms\":%.1f,\"cpu_ms\":%.1f,\"mp\":%.3f,"
			       "\"confidence\":%.1f", ms, cpu,
			       rc == 0 ? pr.width * (double)pr.height / 1e6 : 0,
			       rc == 0 ? pr.confidence : 0);
		json_field(&out, "found", how == NDL_LIST_HEADER ? "header"
					  : how == NDL_LIST_RUN ? "run" : "none");
		json_field(&out, "error", rc == 0 ? NULL : err.message);
		/* a name broken over two lines counts, as in the list */
		for (char *c = text; *c; c++)
			if (*c == '\n')
				*c = ' ';
		score(t, f[6], list, text, rc == 0 ? &pr : NULL, &out);
		ndl_buf_puts(&out, "}\n");
		fwrite(out.data, 1, out.len, stdout);
		fflush(stdout);
	}
	ndl_buf_free(&out);
	free(list);
	free(text);
	if (rc == 0)
		ndl_photo_read_free(&pr);
}

static void run_dir(const tools *t, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/manifest.tsv", dir);
	size_t len;
	char *data = read_file(path, &len);
	if (data == NULL) {
		fprintf(stderr, "eval_photo: cannot read %s\n", path);
		exit(2);
	}
	char *save = NULL;
	int header = 1;
	for (char *line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[7] = {0};
		size_t nf = 0;
		for (char *p = line; nf < 7; nf++) {
			f[nf] = p;
			p = strchr(p, '\t');
			if (p == NULL) {
				nf++;
				break;
			}
			*p++ = '\0';
		}
		if (header-- > 0)
			continue;
		if (nf != 7) {
			fprintf(stderr, "eval_photo: %s: a line without 7 fields\n", path);
			exit(2);
		}
		run_one(t, dir, f);
	}
	free(data);
}

int main(int argc, char **argv)
{
	tools t = {0};
	int day = 3, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--day") == 0 && i + 1 < argc)
			day = atoi(argv[++i]);
		else if (strcmp(argv[i], "--text") == 0)
			t.text_mode = 1;
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: eval_photo [--day N] [--text] DIR...\n");
		return 2;
	}
	t.when = ndl_when_day(day);
	ndl_error err;
	ndl_lexicon *lex = ndl_lexicon_open(NULL, &err);
	t.words = lex ? ndl_label_words_default(&err) : NULL;
	t.ph = t.words ? ndl_photo_new(NULL, &err) : NULL;
	if (t.ph == NULL) {
		char msg[1024];
		fprintf(stderr, "eval_photo: %s\n", ndl_error_format(&err, msg, sizeof(msg)));
		return 2;
	}
	markers = &lex->tables.may_contain;
	headers = &lex->tables.headers;
	sentence_words = lex->tables.sentence_words;
	t.truth_chk = ndl_checker_new(lex);
	t.photo_chk = ndl_checker_new(lex);
	for (; i < argc; i++)
		run_dir(&t, argv[i]);
	ndl_checker_free(t.truth_chk);
	ndl_checker_free(t.photo_chk);
	ndl_photo_free(t.ph);
	ndl_label_words_free(t.words);
	ndl_lexicon_free(lex);
	return 0;
}
