/* lint --fix: a catalogue rewritten in place, only its wrong claims.
 * The library finds the edits (ndl_fix, in the lint's diagnostics); the
 * program applies them here: the library never rewrites a user's file.
 *
 * The file is opened once (fix_open) and the lint reads it through that
 * descriptor. The rewrite (fix_apply) is a copy with the edits in a
 * temporary file beside it, which replaces it by rename() only when the
 * file is still what was read: the same device and inode, size,
 * modification and change times (to the nanosecond), through the
 * descriptor once read and by its name just before the rename. Anything
 * else leaves the file as it is and fails. Mode, owner, extended
 * attributes and ACLs are kept (or the fix fails); SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT during the copy remove it.
 *
 * What remains: an edit in the instant between the last check and the
 * rename, and one that keeps the size within the file system's
 * timestamp granularity of the moment the file was opened. */
#ifndef NDL_FIX_H
#define NDL_FIX_H

#include <sys/stat.h>

#include "needlecheck.h"

typedef struct fix_target {
	const char *path; /* as given */
	char *real;       /* resolved: what is replaced */
	int fd;           /* -1 when closed */
	struct stat st;   /* at open */
} fix_target;

/* Opens path for --fix: a regular file (never waiting on a FIFO) with no
 * other hard link. Returns 0, or -1 with err filled. */
int fix_open(fix_target *t, const char *path, ndl_error *err);

/* Applies fixes (sorted by offset, not overlapping) to the file open in
 * t; every byte outside them stays as it was. Returns 0, or -1 with err
 * filled and the file untouched. */
int fix_apply(fix_target *t, const ndl_fix *fixes, size_t n, ndl_error *err);

void fix_close(fix_target *t);

#endif
