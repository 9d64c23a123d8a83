/* Build tool: writes a C file holding the given files, so the lexicon
 * travels inside the binary. Usage: embed FILE... > lexicon_data.c */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("/* Generated from lexicon/ by src/tools/embed.c. */\n"
	       "#include \"knowledge/lexicon.h\"\n\n"
	       "const ndl_embedded_file ndl_embedded_files[] = {\n");
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL) {
			perror(argv[i]);
			return 1;
		}
		const char *base = strrchr(argv[i], '/');
		printf("\t{\"%s\",\n\t \"", base ? base + 1 : argv[i]);
		long n = 0;
		int c, col = 0;
		while ((c = getc(f)) != EOF) {
			if (c == '\n') {
				printf("\\n\"\n\t \"");
				col = 0;
			} else if (c == '"' || c == '\\') {
				printf("\\%c", c);
			} else if (c < 0x20 || c >= 0x7f || c == '?') {
				printf("\\%03o", c); /* also keeps trigraphs out */
			} else {
				putchar(c);
			}
			n++;
			if (++col > 100) {
				printf("\"\n\t \"");
				col = 0;
			}
		}
		if (ferror(f)) {
			perror(argv[i]);
			return 1;
		}
		fclose(f);
		printf("\",\n\t %ld},\n", n);
	}
	printf("};\n\nconst size_t ndl_embedded_count = %d;\n", argc - 1);
	return ferror(stdout) ? 1 : 0;
}
