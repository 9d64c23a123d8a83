/* needlecheck: the command line. It parses options and hands them to a
 * command (cmd_*.c); everything else is the library's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/cli.h"

/* The commands; the first word of the arguments picks one, "check" when
 * it names none. */
static const struct {
	const char *name;
	int (*run)(options *o, int nfiles, char **files);
} commands[] = {
	{"check", cmd_check},
	{"lexicon", cmd_lexicon},
	{"plan", cmd_plan},
	{"lint", cmd_lint},
};

int main(int argc, char **argv)
{
	options o = {.command = "check", .fail_on = NDL_VERDICT_AVOID,
		     .color = -1, .format = FMT_TEXT};
	int (*run)(options *, int, char **) = cmd_check;
#ifdef __GLIBC__
	/* Large buffers (a long row's) go back to the system when freed:
	 * glibc would otherwise raise its threshold after the first one and
	 * keep as much again in each thread's heap. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
	/* "version" and "help [COMMAND]" are --version and --help (one text
	 * tells every command) */
	static char version_opt[] = "--version", help_opt[] = "--help";
	if (argc == 2 && strcmp(argv[1], "version") == 0)
		argv[1] = version_opt;
	if (argc > 1 && argc <= 3 && strcmp(argv[1], "help") == 0) {
		int known = argc == 2;
		for (size_t i = 0; !known && i < sizeof(commands) / sizeof(commands[0]); i++)
			known = strcmp(argv[2], commands[i].name) == 0;
		if (!known)
			return usage_error("help: no command '%s' (check, plan, lint, lexicon)",
					   argv[2]);
		argv[1] = help_opt;
		argc = 2;
	}
	for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			o.command = commands[i].name;
			run = commands[i].run;
			argv[1] = argv[0];
			argv++;
			argc--;
			break;
		}
	int rc = parse_options(argc, argv, &o);
	if (rc == 0)
		rc = run(&o, argc - optind, argv + optind);
	free(o.known);
	return rc;
}
