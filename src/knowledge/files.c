/* The knowledge files: lexicon/ as embedded at build time, a file of a
 * --lexicon DIR in place of the embedded one of its name, and the hour
 * counts that protocol.tsv and guidance.tsv share. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knowledge/lexicon.h"

#define MAX_HOURS 100000.0 /* eleven years: anything longer is a typo */

int ndl_parse_hours(const char *f, double *out)
{
	if (strcmp(f, "-") == 0) {
		*out = NDL_NO_WINDOW;
		return 0;
	}
	if (*f == '\0' || !((*f >= '0' && *f <= '9') || *f == '.'))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(f, &end);
	if (*end != '\0' || errno != 0 || !isfinite(v) || v < 0 || v > MAX_HOURS)
		return -1;
	*out = v;
	return 0;
}

const ndl_embedded_file *ndl_embedded_find(const char *name)
{
	for (size_t i = 0; i < ndl_embedded_count; i++)
		if (strcmp(ndl_embedded_files[i].name, name) == 0)
			return &ndl_embedded_files[i];
	return NULL;
}

int ndl_knowledge_read(const char *path, size_t max, char **data, size_t *len,
		       ndl_error *err)
{
	int fd = ndl_open_regular(path, err);
	if (fd < 0)
		return -1;
	int rc = ndl_read_fd(fd, path, max, data, len, err);
	close(fd);
	return rc;
}
