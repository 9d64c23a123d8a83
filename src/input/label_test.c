/* label.tsv from a lexicon directory (--lexicon DIR) when it has one,
 * else the file built in: for reading photos, and its examples for
 * `needlecheck lexicon --test` (needlecheck_input.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "needlecheck_input.h"
#include "knowledge/lexicon.h"
#include "input/label.h"

#define MAX_LABEL_FILE ((size_t)4 << 20)

/* The directory's label.tsv: 0 and its data, 1 when there is none, -1
 * with err filled. A regular file only: a FIFO would block the run. */
static int dir_file(const char *dir, char *path, size_t cap, char **data,
		    size_t *len, ndl_error *err)
{
	struct stat st;
	if (dir == NULL)
		return 1;
	if ((size_t)snprintf(path, cap, "%s/label.tsv", dir) >= cap)
		return ndl_fail(err, dir, 0, 0, "path too long");
	if (stat(path, &st) != 0 && errno == ENOENT)
		return 1;
	return ndl_knowledge_read(path, MAX_LABEL_FILE, data, len, err);
}

ndl_label_words *ndl_label_words_open(const char *lexicon_dir, ndl_error *err)
{
	char path[4096], *data;
	size_t len;
	int rc = dir_file(lexicon_dir, path, sizeof(path), &data, &len, err);
	if (rc != 0)
		return rc > 0 ? ndl_label_words_default(err) : NULL;
	ndl_label_words *w = ndl_label_words_parse(data, len, path, err);
	free(data);
	return w;
}

int ndl_label_check(const char *lexicon_dir, ndl_error *err)
{
	char path[4096], *data;
	size_t len;
	int rc = dir_file(lexicon_dir, path, sizeof(path), &data, &len, err);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	ndl_label_words *w = ndl_label_words_parse(data, len, path, err);
	rc = w ? 0 : -1;
	ndl_label_words_free(w);
	free(data);
	return rc;
}

long ndl_label_test(const char *lexicon_dir, ndl_buf *out, size_t *ntests,
		    ndl_error *err)
{
	ndl_label_words *w = ndl_label_words_open(lexicon_dir, err);
	long failed = w ? (long)ndl_label_words_test(w, out, ntests) : -1;
	ndl_label_words_free(w);
	return failed;
}
