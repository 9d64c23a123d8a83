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

/* The commands, in the order of command_names (options.c). */
static int (*const commands[NCOMMANDS])(options *o, int nfiles, char **files) = {
	[CMD_CHECK] = cmd_check,
	[CMD_PLAN] = cmd_plan,
	[CMD_LINT] = cmd_lint,
	[CMD_LEXICON] = cmd_lexicon,
	[CMD_SERVE] = cmd_serve,
};

int main(int argc, char **argv)
{
	options o = {.fail_on = NDL_VERDICT_AVOID, .color = -1, .format = FMT_TEXT};
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
		for (int c = 0; !known && c < NCOMMANDS; c++)
			known = strcmp(argv[2], command_names[c]) == 0;
		if (!known)
			return usage_error("help: no command '%s' (check, plan, lint, "
					   "lexicon, serve)",
					   argv[2]);
		argv[1] = help_opt;
		argc = 2;
	}
	o.cmd = take_command(&argc, argv);
	int rc = parse_options(argc, argv, &o);
	if (rc == 0)
		rc = commands[o.cmd](&o, argc - optind, argv + optind);
	free_photo_engine();
	free(o.known);
	return rc;
}
