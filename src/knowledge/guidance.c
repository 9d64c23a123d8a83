/* Guidance: what to do besides products on each day after the procedure
 * (lexicon/guidance.tsv; the syntax is in lexicon/README.md). It is read
 * here, not by the lexicon loader, which takes *.txt as class files and
 * only protocol.tsv among the .tsv files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "knowledge/lexicon.h"

#define GUIDANCE_FILE "guidance.tsv"
#define MAX_GUIDANCE_BYTES ((size_t)1 << 20)
#define NFIELDS 7

struct ndl_guidance {
	ndl_arena mem;
	ndl_advice *items;
	size_t n, cap;
};

size_t ndl_guidance_count(const ndl_guidance *g)
{
	return g->n;
}

const ndl_advice *ndl_guidance_at(const ndl_guidance *g, size_t i)
{
	return i < g->n ? &g->items[i] : NULL;
}

void ndl_guidance_free(ndl_guidance *g)
{
	if (g == NULL)
		return;
	free(g->items);
	ndl_arena_free(&g->mem);
	free(g);
}

static int parse_line(ndl_guidance *g, const char *path, unsigned lineno,
		      char *line, ndl_error *err)
{
	char *f[NFIELDS];
	unsigned col[NFIELDS];
	size_t nf = 0;
	char *p = line;
	for (;;) {
		if (nf == NFIELDS)
			return ndl_fail(err, path, lineno, (unsigned)(p - line),
					"more than %d tab-separated fields", NFIELDS);
		f[nf] = p;
		col[nf++] = (unsigned)(p - line) + 1;
		char *tab = strchr(p, '\t');
		if (tab == NULL)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	if (strcmp(f[0], "id") == 0)
		return 0; /* the header */
	if (nf != NFIELDS)
		return ndl_fail(err, path, lineno, 1,
				"expected tab-separated id, label, avoid_until_h, "
				"caution_until_h, then, advice, source");
	for (size_t k = 0; k < NFIELDS; k++)
		if (*f[k] == '\0')
			return ndl_fail(err, path, lineno, col[k], "empty field");
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->items[i].id, f[0]) == 0)
			return ndl_fail(err, path, lineno, 1, "second line for '%s'",
					f[0]);
	ndl_advice a = {.id = f[0], .label = f[1], .advice = f[5], .source = f[6]};
	if (ndl_parse_hours(f[2], &a.window.avoid_h))
		return ndl_fail(err, path, lineno, col[2],
				"'%s' is not a number of hours (0 to 100000) or '-'", f[2]);
	if (ndl_parse_hours(f[3], &a.window.caution_h))
		return ndl_fail(err, path, lineno, col[3],
				"'%s' is not a number of hours (0 to 100000) or '-'", f[3]);
	if (a.window.caution_h >= 0 && a.window.caution_h < a.window.avoid_h)
		return ndl_fail(err, path, lineno, col[3],
				"caution ends (%s h) before avoid does", f[3]);
	if (strcmp(f[4], "safe") == 0)
		a.window.then = NDL_SAFE;
	else if (strcmp(f[4], "recommended") == 0)
		a.window.then = NDL_RECOMMENDED;
	else
		return ndl_fail(err, path, lineno, col[4],
				"'then' is safe or recommended, not '%s'", f[4]);
	if (NDL_GROW(g->items, g->cap, g->n + 1))
		return ndl_fail(err, path, lineno, 1, "out of memory");
	g->items[g->n++] = a;
	return 0;
}

static int parse(ndl_guidance *g, const char *path, const char *data,
		 size_t len, ndl_error *err)
{
	unsigned lineno = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *s = data + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		lineno++;
		if (n && s[n - 1] == '\r')
			n--;
		if (n == 0 || s[0] == '#')
			continue;
		if (memchr(s, '\0', n))
			return ndl_fail(err, path, lineno, 1, "NUL byte");
		char *line = ndl_arena_strndup(&g->mem, s, n);
		if (line == NULL)
			return ndl_fail(err, path, lineno, 1, "out of memory");
		if (parse_line(g, path, lineno, line, err))
			return -1;
	}
	if (g->n == 0)
		return ndl_fail(err, path, 0, 0, "no guidance line");
	return 0;
}

/* The directory's guidance.tsv: 0 and its data, 1 when there is none,
 * -1 on an error. */
static int read_from_dir(const char *dir, char *path, size_t cap, char **data,
			 size_t *len, ndl_error *err)
{
	if ((size_t)snprintf(path, cap, "%s/%s", dir, GUIDANCE_FILE) >= cap)
		return ndl_fail(err, dir, 0, 0, "path too long");
	struct stat st;
	if (stat(path, &st) != 0 && errno == ENOENT)
		return 1;
	return ndl_knowledge_read(path, MAX_GUIDANCE_BYTES, data, len, err);
}

ndl_guidance *ndl_guidance_open(const ndl_config *cfg, ndl_error *err)
{
	ndl_guidance *g = calloc(1, sizeof(*g));
	if (g == NULL) {
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	g->mem.block_size = 1 << 14;
	char path[4096];
	char *owned = NULL;
	const char *data = NULL;
	size_t len = 0;
	int rc = 1;
	if (cfg && cfg->lexicon_dir)
		rc = read_from_dir(cfg->lexicon_dir, path, sizeof(path), &owned,
				   &len, err);
	if (rc == 0) {
		data = owned;
	} else if (rc == 1) {
		snprintf(path, sizeof(path), "lexicon/%s", GUIDANCE_FILE);
		const ndl_embedded_file *f = ndl_embedded_find(GUIDANCE_FILE);
		if (f) {
			data = f->data;
			len = f->len;
		}
		rc = data ? 0 : ndl_fail(err, NULL, 0, 0, "no %s in the lexicon",
					 GUIDANCE_FILE);
	}
	if (rc == 0)
		rc = parse(g, path, data, len, err);
	free(owned);
	if (rc != 0) {
		ndl_guidance_free(g);
		return NULL;
	}
	return g;
}
