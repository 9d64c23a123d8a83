/* lint --fix's rewrite (src/fix.c, part of the program): only the edits
 * change, mode and extended attributes are kept, and a file that is no
 * longer what was read, has other names or is not a regular file is left
 * as it is. The races at the exact moments are in tests/lint/races.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cli/fix.h"

static char dir[] = "/tmp/test_fix.XXXXXX";
static char path[64];
static const char text[] = "a,b\r\nx,0\r\ny,\"3\"\r\n";
static const ndl_fix fixes[] = {{.offset = 7, .len = 1, .text = "7"},
				{.offset = 13, .len = 1, .text = "12"}};

static void put(const char *p, const char *s)
{
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
	/* an old time, so that any later write shows in it */
	struct timeval old[2] = {{1000000000, 0}, {1000000000, 0}};
	assert_int_equal(utimes(p, old), 0);
}

static char *get(const char *p)
{
	static char buf[256];
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/cat.csv", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir); /* fails if a temporary file was left */
}

/* A POSIX ACL as Linux stores it: version 2, then (tag, permissions, id)
 * for the owner, user 4242, the group, the mask and others. */
static const unsigned char acl[] = {
	2, 0, 0, 0,
	0x01, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,
	0x02, 0, 4, 0, 0x92, 0x10, 0, 0,
	0x04, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
	0x10, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
	0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};

static void test_edits_mode_and_xattrs(void **state)
{
	(void)state;
	put(path, text);
	chmod(path, 0640);
	int has_xattr = setxattr(path, "user.note", "kept", 4, 0) == 0;
	int has_acl = setxattr(path, "system.posix_acl_access", acl, sizeof(acl), 0) == 0;
	fix_target t;
	ndl_error err = {0};
	assert_int_equal(fix_open(&t, path, &err), 0);
	assert_int_equal(fix_apply(&t, fixes, 2, &err), 0);
	fix_close(&t);
	assert_string_equal(get(path), "a,b\r\nx,7\r\ny,\"12\"\r\n");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	if (has_xattr) {
		char v[16] = "";
		assert_int_equal(getxattr(path, "user.note", v, sizeof(v)), 4);
		assert_memory_equal(v, "kept", 4);
	} else {
		print_message("no user extended attributes on %s: not checked\n", dir);
	}
	if (has_acl) {
		unsigned char v[sizeof(acl) + 8];
		assert_int_equal(getxattr(path, "system.posix_acl_access", v, sizeof(v)),
				 sizeof(acl));
		assert_memory_equal(v, acl, sizeof(acl));
	} else {
		print_message("no ACLs on %s: not checked\n", dir);
	}
}

static void test_bad_edits(void **state)
{
	(void)state;
	put(path, text);
	ndl_fix wrong[] = {{.offset = 14, .len = 1, .text = "1"},
			   {.offset = 7, .len = 1, .text = "1"}};
	ndl_fix past = {.offset = 18, .len = 5, .text = "1"};
	fix_target t;
	ndl_error err = {0};
	assert_int_equal(fix_open(&t, path, &err), 0);
	assert_int_equal(fix_apply(&t, wrong, 2, &err), -1);
	assert_int_equal(fix_apply(&t, &past, 1, &err), -1);
	fix_close(&t);
	assert_string_equal(get(path), text);
}

/* Read, then changed: in place (same inode, same size, other bytes), or
 * replaced under its name: nothing is rewritten. */
static void test_changed_after_reading(void **state)
{
	(void)state;
	fix_target t;
	ndl_error err = {0};
	put(path, text);
	assert_int_equal(fix_open(&t, path, &err), 0);
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "z", 1, 5), 1);
	close(fd);
	assert_int_equal(fix_apply(&t, fixes, 2, &err), -1);
	assert_non_null(strstr(err.message, "changed while it was being checked"));
	fix_close(&t);
	assert_string_equal(get(path), "a,b\r\nz,0\r\ny,\"3\"\r\n");

	put(path, text);
	assert_int_equal(fix_open(&t, path, &err), 0);
	unlink(path);
	put(path, text);
	assert_int_equal(fix_apply(&t, fixes, 1, &err), -1);
	assert_non_null(strstr(err.message, "changed while it was being checked"));
	fix_close(&t);
	assert_string_equal(get(path), text);
}

static void test_refused(void **state)
{
	(void)state;
	fix_target t;
	ndl_error err = {0};
	char other[80], fifo[80];
	put(path, text);
	snprintf(other, sizeof(other), "%s/also.csv", dir);
	assert_int_equal(link(path, other), 0);
	assert_int_equal(fix_open(&t, path, &err), -1);
	assert_non_null(strstr(err.message, "hard links"));
	unlink(other);
	/* a FIFO: refused at once, where open() would wait for a writer */
	snprintf(fifo, sizeof(fifo), "%s/fifo.csv", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(fix_open(&t, fifo, &err), -1);
	assert_non_null(strstr(err.message, "regular files only"));
	unlink(fifo);
	assert_int_equal(fix_open(&t, dir, &err), -1);
	assert_non_null(strstr(err.message, "is a directory"));
	assert_string_equal(get(path), text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edits_mode_and_xattrs),
		cmocka_unit_test(test_bad_edits),
		cmocka_unit_test(test_changed_after_reading),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
