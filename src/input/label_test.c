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

ndl_label_words *ndl_label_words_open(const char *lexicon_dir, ndl_error *err)
{
	char path[4096];
	struct stat st;
	if (lexicon_dir == NULL)
		return ndl_label_words_default(err);
	if ((size_t)snprintf(path, sizeof(path), "%s/label.tsv", lexicon_dir) >=
	    sizeof(path)) {
		ndl_fail(err, lexicon_dir, 0, 0, "path too long");
		return NULL;
	}
	if (stat(path, &st) != 0 && errno == ENOENT)
		return ndl_label_words_default(err);
	/* a regular file only: a FIFO would block the run */
	char *data;
	size_t len;
	if (ndl_knowledge_read(path, MAX_LABEL_FILE, &data, &len, err) != 0)
		return NULL;
	ndl_label_words *w = ndl_label_words_parse(data, len, path, err);
	free(data);
	return w;
}

long ndl_label_test(const char *lexicon_dir, ndl_buf *out, size_t *ntests,
		    ndl_error *err)
{
	ndl_label_words *w = ndl_label_words_open(lexicon_dir, err);
	long failed = w ? (long)ndl_label_words_test(w, out, ntests) : -1;
	ndl_label_words_free(w);
	return failed;
}
