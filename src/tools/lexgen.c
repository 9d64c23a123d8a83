/* Build tool: writes the built-in lexicon in its final form as C, with
 * the library's own loader and writer linked in (ndl_lexicon_generate,
 * src/knowledge/lexicon_write.c), or with "near" the index of its names'
 * misspellings (ndl_near_generate, src/core/near.c).
 * Usage: lexgen > lexicon_built.c; lexgen near > near_built.c */
#include <stdio.h>
#include <string.h>

/* declared in knowledge/lexicon.h and core/near.h: a build tool
 * includes no header of the layers */
int ndl_lexicon_generate(FILE *out);
int ndl_near_generate(FILE *out);

int main(int argc, char **argv)
{
	int near = argc > 1 && strcmp(argv[1], "near") == 0;
	if ((near ? ndl_near_generate(stdout) : ndl_lexicon_generate(stdout)) != 0)
		return 1;
	return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
