/* The examples of label.tsv, for `needlecheck lexicon --test`
 * (needlecheck_input.h): those of the lexicon directory's file when it
 * has one, else those of the file built in. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "needlecheck_input.h"
#include "base/util.h"
#include "input/label.h"

#define MAX_LABEL_FILE ((size_t)4 << 20)

long ndl_label_test(const char *lexicon_dir, ndl_buf *out, size_t *ntests,
		    ndl_error *err)
{
	char path[4096];
	char *data = NULL;
	size_t len;
	int fd = -1;
	if (lexicon_dir) {
		snprintf(path, sizeof(path), "%s/label.tsv", lexicon_dir);
		if ((fd = open(path, O_RDONLY)) < 0 && errno != ENOENT)
			return ndl_fail(err, path, 0, 0, "%s", strerror(errno));
	}
	if (fd >= 0) {
		int rc = ndl_read_fd(fd, path, MAX_LABEL_FILE, &data, &len, err);
		close(fd);
		if (rc != 0)
			return -1;
	}
	ndl_label_words *w = data ? ndl_label_words_parse(data, len, path, err)
				  : ndl_label_words_default(err);
	long failed = w ? (long)ndl_label_words_test(w, out, ntests) : -1;
	ndl_label_words_free(w);
	free(data);
	return failed;
}
