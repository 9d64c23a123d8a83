#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

void *ndl_fresh_alloc(size_t n)
{
	void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void ndl_fresh_free(void *p, size_t n)
{
	if (p)
		munmap(p, n ? n : 1);
}

/* The most an arena keeps between products (see ndl_arena_reset). */
#define ARENA_KEEP_MAX ((size_t)4 << 20)

struct ndl_arena_block {
	ndl_arena_block *next;
	size_t size, used;
	max_align_t data[];
};

void *ndl_arena_alloc(ndl_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	ndl_arena_block *b = a->head;
	if (b == NULL || b->size - b->used < n) {
		size_t size = a->block_size ? a->block_size : 16384;
		while (size < n)
			size *= 2;
		b = malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	a->used += n;
	return p;
}

char *ndl_arena_strndup(ndl_arena *a, const char *s, size_t n)
{
	char *p = ndl_arena_alloc(a, n + 1);
	if (p != NULL) {
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void ndl_arena_reset(ndl_arena *a)
{
	/* Keep one block as large as everything used, so the next product of
	 * the same size fits in it without any allocation; but not past
	 * ARENA_KEEP_MAX, so one huge product does not hold its memory for
	 * the rest of the run. */
	ndl_arena_block *b = a->head;
	a->used = 0;
	if (b == NULL)
		return;
	if (b->next == NULL && b->size <= ARENA_KEEP_MAX) {
		b->used = 0;
		return;
	}
	size_t total = 0;
	while (b != NULL) {
		ndl_arena_block *next = b->next;
		total += b->size;
		free(b);
		b = next;
	}
	a->head = NULL;
	if (total > ARENA_KEEP_MAX)
		total = ARENA_KEEP_MAX;
	if (total > a->block_size)
		a->block_size = total;
}

size_t ndl_arena_size(const ndl_arena *a)
{
	return a->used;
}

void ndl_arena_free(ndl_arena *a)
{
	ndl_arena_block *b = a->head;
	while (b != NULL) {
		ndl_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

uint64_t ndl_hash(const char *s, size_t n)
{
	/* eight bytes a step, then a 64-bit mixer (from splitmix64) */
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 29;
	}
	uint64_t tail = 0;
	if (n >= 8 && i < n) {
		memcpy(&tail, s + n - 8, 8); /* the last 8, overlapping */
	} else {
		for (; i < n; i++)
			tail = tail << 8 | (unsigned char)s[i];
	}
	h = (h ^ tail) * 0x94D049BB133111EBULL;
	h ^= h >> 31;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 32);
}

int ndl_fail(ndl_error *err, const char *file, unsigned line, unsigned col,
	     const char *fmt, ...)
{
	if (err == NULL)
		return -1;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->column = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	err->count = 1;
	err->more[0] = '\0';
	return -1;
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int ndl_fail_more(ndl_error *err, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...)
{
	if (err == NULL)
		return -1;
	ndl_error one = {0};
	snprintf(one.file, sizeof(one.file), "%s", file ? file : "");
	one.line = line;
	one.column = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(one.message, sizeof(one.message), fmt, ap);
	va_end(ap);
	char text[1024];
	ndl_error_format(&one, text, sizeof(text));
	size_t used = strlen(err->more), n = strlen(text);
	/* once one is left out, the later ones are too: the lines stay in
	 * order, and the count says how many are missing */
	if (used + n + 2 <= sizeof(err->more) && err->count == 1 + count_lines(err->more))
		snprintf(err->more + used, sizeof(err->more) - used, "%s\n", text);
	err->count++;
	return -1;
}

unsigned ndl_error_unwritten(const ndl_error *err)
{
	unsigned written = 1 + count_lines(err->more);
	return err->count > written ? err->count - written : 0;
}

char *ndl_error_format(const ndl_error *err, char *out, size_t n)
{
	if (err->file[0] && err->line)
		snprintf(out, n, "%s:%u:%u: error: %s", err->file, err->line,
			 err->column ? err->column : 1, err->message);
	else if (err->file[0])
		snprintf(out, n, "%s: error: %s", err->file, err->message);
	else
		snprintf(out, n, "error: %s", err->message);
	return out;
}

int ndl_open_regular(const char *path, ndl_error *err)
{
	/* non-blocking: opening a FIFO for reading waits for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	if (fd < 0)
		return ndl_fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ndl_fail(err, path, 0, 0, "not a regular file");
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
		close(fd);
		return ndl_fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
	}
	return fd;
}

int ndl_read_fd(int fd, const char *name, size_t max, char **data, size_t *len,
		ndl_error *err)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL)
		return ndl_fail(err, name, 0, 0, "out of memory");
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max) {
				free(buf);
				return ndl_fail(err, name, 0, 0,
						"input larger than %zu MB", max >> 20);
			}
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				return ndl_fail(err, name, 0, 0, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t k = read(fd, buf + n, cap - n - 1);
		if (k == 0)
			break;
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return ndl_fail(err, name, 0, 0, "read error: %s",
					e == EISDIR ? "is a directory" : strerror(e));
		}
		n += (size_t)k;
	}
	if (n > max) {
		free(buf);
		return ndl_fail(err, name, 0, 0, "input larger than %zu MB", max >> 20);
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int ndl_grow(void **p, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / sz)
			return -1;
		ncap *= 2;
	}
	void *np = realloc(*p, ncap * sz);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

/* ------------------------------------------------------------- ndl_buf */

static int buf_reserve(ndl_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->failed = 1;
		return -1;
	}
	size_t ncap = b->cap ? b->cap : 256;
	while (ncap < b->len + extra + 1)
		ncap *= 2;
	char *nd = realloc(b->data, ncap);
	if (nd == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = nd;
	b->cap = ncap;
	return 0;
}

void ndl_buf_append(ndl_buf *b, const char *s, size_t n)
{
	if (n == 0 || buf_reserve(b, n) != 0)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

void ndl_buf_puts(ndl_buf *b, const char *s)
{
	ndl_buf_append(b, s, strlen(s));
}

/* The decimal digits of v, at the end of d; returns where they start. */
#define DECIMAL_MAX 24
static inline size_t decimal(char d[DECIMAL_MAX], unsigned long v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	size_t i = DECIMAL_MAX;
	while (v >= 100) {
		i -= 2;
		memcpy(d + i, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(d + i, pairs + 2 * v, 2);
	} else {
		d[--i] = (char)('0' + v);
	}
	return i;
}

void ndl_buf_digits(ndl_buf *b, unsigned long v)
{
	char d[DECIMAL_MAX];
	size_t i = decimal(d, v);
	ndl_buf_put(b, d + i, DECIMAL_MAX - i);
}

/* Does fmt use only the conversions ndl_vformat writes itself? */
static int plain_format(const char *f)
{
	while ((f = strchr(f, '%')) != NULL) {
		f++;
		if (*f == '.') {
			if (f[1] < '0' || f[1] > '9')
				return 0;
			for (f++; *f >= '0' && *f <= '9'; f++)
				;
			if (*f != 's')
				return 0;
		} else if (*f == 'z') {
			if (*++f != 'u')
				return 0;
		} else if (*f != 's' && *f != 'u' && *f != '%') {
			return 0;
		}
		f++;
	}
	return 1;
}

size_t ndl_vformat(char *out, size_t cap, const char *fmt, va_list ap)
{
	if (cap == 0)
		return 0;
	if (!plain_format(fmt)) {
		int n = vsnprintf(out, cap, fmt, ap);
		if (n < 0)
			out[0] = '\0';
		return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
	}
	size_t n = 0;
	char d[DECIMAL_MAX];
	for (const char *f = fmt; *f; f++) {
		/* the text up to the next conversion, then what it writes */
		const char *s = f, *pct = strchr(f, '%');
		size_t len = pct ? (size_t)(pct - f) : strlen(f);
		if (pct && len == 0) {
			size_t max = SIZE_MAX;
			if (*++f == '.')
				for (max = 0, f++; *f >= '0' && *f <= '9'; f++)
					max = max * 10 + (size_t)(*f - '0');
			if (*f == 's') {
				s = va_arg(ap, const char *);
				len = strnlen(s, max);
			} else if (*f == 'u' || *f == 'z') {
				unsigned long v = *f == 'u' ? va_arg(ap, unsigned)
							    : va_arg(ap, size_t);
				f += *f == 'z';
				size_t i = decimal(d, v);
				s = d + i;
				len = DECIMAL_MAX - i;
			} else {
				s = f; /* "%%" */
				len = 1;
			}
		} else {
			f += len - 1;
		}
		if (len > cap - 1 - n)
			len = cap - 1 - n;
		memcpy(out + n, s, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

void ndl_buf_printf(ndl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		ndl_buf_append(b, small, (size_t)n);
		return;
	}
	if (buf_reserve(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *ndl_buf_cstr(ndl_buf *b)
{
	if (buf_reserve(b, 0) != 0)
		return "";
	b->data[b->len] = '\0';
	return b->data;
}

void ndl_buf_free(ndl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
