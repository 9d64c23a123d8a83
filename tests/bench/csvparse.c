/* The ceiling for a libcsv reader: parse a file with libcsv and do
 * nothing else (count the cells and rows). csvparse FILE */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static unsigned long cells, rows;

static void on_cell(void *s, size_t n, void *ctx)
{
	(void)s, (void)n, (void)ctx;
	cells++;
}

static void on_row(int c, void *ctx)
{
	(void)c, (void)ctx;
	rows++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	struct csv_parser p;
	int fd = argc == 2 ? open(argv[1], O_RDONLY) : -1;
	if (fd < 0 || csv_init(&p, 0) != 0) {
		perror(argc == 2 ? argv[1] : "usage: csvparse FILE");
		return 2;
	}
	ssize_t k;
	while ((k = read(fd, buf, sizeof(buf))) > 0)
		csv_parse(&p, buf, (size_t)k, on_cell, on_row, NULL);
	csv_fini(&p, on_cell, on_row, NULL);
	csv_free(&p);
	printf("%lu rows, %lu cells\n", rows, cells);
	return 0;
}
