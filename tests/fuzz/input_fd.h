/* The fuzz targets that read a file descriptor (the CSV reader's): the
 * input as a file, one memfd kept across runs, at offset 0. The target
 * defines _GNU_SOURCE (memfd_create) before any include. */
#ifndef FUZZ_INPUT_FD_H
#define FUZZ_INPUT_FD_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int input_fd(const uint8_t *data, size_t size)
{
	static int fd = -1;
	if (fd < 0 && (fd = memfd_create("fuzz", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	lseek(fd, 0, SEEK_SET);
	return fd;
}

#endif
