/* lint --fix: the rewrite of a catalogue (see fix.h). */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cli/fix.h"

#define COPY_BYTES ((size_t)1 << 16)

/* Fills err about path; returns -1. */
static int fail(ndl_error *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(ndl_error *err, const char *path, const char *fmt, ...)
{
	va_list ap;
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* Room for need bytes in *p (of *cap); nonzero when out of memory. */
static int grow_bytes(char **p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	char *np = realloc(*p, need);
	if (np == NULL) {
		errno = 0;
		return -1;
	}
	*p = np;
	*cap = need;
	return 0;
}

/* ------------------------------------------------------- test hooks */

#ifdef NDL_FIX_HOOKS
/* Test builds only (make check builds one): at each risky moment the
 * command in NEEDLECHECK_FIX_HOOK runs with the moment as $1 ("read":
 * the file has been read; "rename": the copy is written, the last
 * check comes next), so that a test can change the file, or signal
 * this process, exactly then. The installed program has no such door. */
static void hook(const char *moment)
{
	const char *cmd = getenv("NEEDLECHECK_FIX_HOOK");
	if (cmd == NULL)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", moment, (char *)NULL);
		_exit(127);
	}
	int status;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}
#else
#define hook(moment) ((void)0)
#endif

/* ------------------------------------------------------------ opening */

int fix_open(fix_target *t, const char *path, ndl_error *err)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
	/* non-blocking: a FIFO would wait for a writer in open() */
	t->fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (t->fd < 0)
		return fail(err, path, "%s", strerror(errno));
	int flags = fcntl(t->fd, F_GETFL);
	if (fstat(t->fd, &t->st) != 0 || flags == -1 ||
	    fcntl(t->fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
		fail(err, path, "%s", strerror(errno));
	} else if (S_ISDIR(t->st.st_mode)) {
		fail(err, path, "is a directory");
	} else if (!S_ISREG(t->st.st_mode)) {
		fail(err, path, "--fix rewrites regular files only");
	} else if (t->st.st_nlink > 1) {
		fail(err, path, "cannot fix: the file has other hard "
			 "links, which a rewrite would part from it");
	} else if ((t->real = realpath(path, NULL)) == NULL) {
		fail(err, path, "cannot fix: %s", strerror(errno));
	} else {
		return 0;
	}
	fix_close(t);
	return -1;
}

void fix_close(fix_target *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	free(t->real);
	t->real = NULL;
}

/* ------------------------------------------------- is it still it? */

static int same_time(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size && same_time(a->st_mtim, b->st_mtim) &&
	       same_time(a->st_ctim, b->st_ctim);
}

/* Is the file, through the descriptor and by its name, what was opened? */
static int unchanged(const fix_target *t, ndl_error *err)
{
	struct stat now;
	if (fstat(t->fd, &now) == 0 && same_file(&t->st, &now) &&
	    stat(t->real, &now) == 0 && same_file(&t->st, &now))
		return 0;
	return fail(err, t->path, "cannot fix: the file changed while "
			"it was being checked; nothing rewritten (run lint --fix "
			"again)");
}

/* ---------------------------------------------- the temporary copy */

/* The copy's name, for the signal handler: it removes the copy, then
 * lets the signal do what it would have done. */
static char temporary[PATH_MAX + 32];
static volatile sig_atomic_t temporary_made;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void remove_temporary(int sig)
{
	if (temporary_made)
		unlink(temporary);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Catches the signals that end a run (those not ignored), or restores
 * what was there. */
static void catch_signals(int on, struct sigaction *saved)
{
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		if (!on) {
			sigaction(caught[i], &saved[i], NULL);
			continue;
		}
		sigaction(caught[i], NULL, &saved[i]);
		if (saved[i].sa_handler == SIG_IGN)
			continue;
		struct sigaction sa = {0};
		sa.sa_handler = remove_temporary;
		sigemptyset(&sa.sa_mask);
		sigaction(caught[i], &sa, NULL);
	}
}

static void block_signals(int block, sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&set, caught[i]);
	sigprocmask(block ? SIG_BLOCK : SIG_SETMASK, block ? &set : old,
		    block ? old : NULL);
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Copies bytes [from, to) of in to out. */
static int copy_range(int in, int out, uint64_t from, uint64_t to, char *buf)
{
	while (from < to) {
		size_t want = to - from < COPY_BYTES ? (size_t)(to - from) : COPY_BYTES;
		ssize_t k = pread(in, buf, want, (off_t)from);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			errno = k == 0 ? EIO : errno; /* the file shrank */
			return -1;
		}
		if (write_all(out, buf, (size_t)k))
			return -1;
		from += (uint64_t)k;
	}
	return 0;
}

/* The file's bytes with the fixes, into out. */
static int copy_fixed(const fix_target *t, int out, const ndl_fix *fixes,
		      size_t n, ndl_error *err)
{
	char *buf = malloc(COPY_BYTES);
	if (buf == NULL)
		return fail(err, t->path, "out of memory");
	uint64_t at = 0, size = (uint64_t)t->st.st_size;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (fixes[i].offset < at || fixes[i].offset + fixes[i].len > size)
			rc = fail(err, t->path, "cannot fix: edits overlap "
				      "or pass the end of the file");
		else if (copy_range(t->fd, out, at, fixes[i].offset, buf) ||
			 write_all(out, fixes[i].text, strlen(fixes[i].text)))
			rc = fail(err, t->path, "cannot fix: %s", strerror(errno));
		at = fixes[i].offset + fixes[i].len;
	}
	if (rc == 0 && (copy_range(t->fd, out, at, size, buf) || fsync(out)))
		rc = fail(err, t->path, "cannot fix: %s", strerror(errno));
	free(buf);
	return rc;
}

/* The extended attributes of from (ACLs among them) onto to. */
static int copy_xattrs(const fix_target *t, int to, ndl_error *err)
{
	ssize_t len = flistxattr(t->fd, NULL, 0);
	if (len == 0 || (len < 0 && (errno == ENOTSUP || errno == ENOSYS)))
		return 0; /* none, or a file system without them */
	char *names = len > 0 ? malloc((size_t)len) : NULL, *value = NULL;
	size_t cap = 0;
	const char *name = "";
	int rc = 0;
	if (names == NULL || (len = flistxattr(t->fd, names, (size_t)len)) < 0)
		goto fail;
	for (ssize_t i = 0; i < len; i += (ssize_t)strlen(name) + 1) {
		name = names + i;
		ssize_t n = fgetxattr(t->fd, name, NULL, 0);
		if (n < 0 || grow_bytes(&value, &cap, (size_t)n + 1) ||
		    (n = fgetxattr(t->fd, name, value, cap)) < 0 ||
		    fsetxattr(to, name, value, (size_t)n, 0) != 0)
			goto fail;
	}
	goto done;
fail:
	rc = fail(err, t->path, "cannot fix: cannot keep the extended attribute "
		  "'%s': %s", name, errno ? strerror(errno) : "out of memory");
done:
	free(names);
	free(value);
	return rc;
}

/* Owner, mode, then extended attributes as the file's: what cannot be
 * kept fails the fix rather than being lost. */
static int keep_attributes(const fix_target *t, int out, ndl_error *err)
{
	const struct stat *st = &t->st;
	if (((st->st_uid != geteuid() || st->st_gid != getegid()) &&
	     fchown(out, st->st_uid, st->st_gid)) ||
	    fchmod(out, st->st_mode & 07777))
		return fail(err, t->path, "cannot fix: cannot keep the file's "
			    "owner and mode: %s", strerror(errno));
	return copy_xattrs(t, out, err);
}

/* After the rename, the directory entry is made durable too. */
static void sync_directory(const char *path)
{
	char *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (slash) {
		*(slash == dir ? slash + 1 : slash) = '\0';
		int fd = open(dir, O_RDONLY | O_DIRECTORY);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(dir);
}

int fix_apply(fix_target *t, const ndl_fix *fixes, size_t n, ndl_error *err)
{
	hook("read");
	if (unchanged(t, err))
		return -1;
	if (strlen(t->real) + 32 > sizeof(temporary))
		return fail(err, t->path, "cannot fix: path too long");
	struct sigaction saved[sizeof(caught) / sizeof(caught[0])];
	sigset_t mask;
	int rc = -1, out;
	catch_signals(1, saved);
	/* the name is known to the handler before the file exists */
	strcpy(temporary, t->real);
	strcpy(strrchr(temporary, '/') + 1, ".needlecheck-fix-XXXXXX");
	block_signals(1, &mask);
	out = mkstemp(temporary);
	temporary_made = out >= 0;
	block_signals(0, &mask);
	if (out < 0) {
		fail(err, t->path, "cannot fix: %s", strerror(errno));
		goto done;
	}
	if (keep_attributes(t, out, err) || copy_fixed(t, out, fixes, n, err))
		goto done;
	if (close(out) != 0) {
		out = -1;
		fail(err, t->path, "cannot fix: %s", strerror(errno));
		goto done;
	}
	out = -1;
	hook("rename");
	/* the last look and the rename, with no signal in between */
	block_signals(1, &mask);
	if (unchanged(t, err) == 0) {
		if (rename(temporary, t->real) == 0)
			temporary_made = 0, rc = 0;
		else
			fail(err, t->path, "cannot fix: %s", strerror(errno));
	}
	block_signals(0, &mask);
	if (rc == 0)
		sync_directory(t->real);
done:
	if (out >= 0)
		close(out);
	block_signals(1, &mask);
	if (temporary_made)
		unlink(temporary);
	temporary_made = 0;
	block_signals(0, &mask);
	catch_signals(0, saved);
	return rc;
}
