/* Build tool: writes the built-in lexicon in its final form as C, with
 * the library's own loader and writer linked in (ndl_lexicon_generate,
 * src/knowledge/lexicon_write.c), or with "near" the index of its names'
 * misspellings (ndl_near_generate, src/core/near.c), or with "gates" its
 * patterns' gates (ndl_gates_generate, src/core/gate.c).
 * Usage: lexgen > lexicon_built.c; lexgen near > near_built.c;
 * lexgen gates > gates_built.c */
#include <stdio.h>
#include <string.h>

/* declared in knowledge/lexicon.h, core/near.h and core/gate.h: a build
 * tool includes no header of the layers */
int ndl_lexicon_generate(FILE *out);
int ndl_near_generate(FILE *out);
int ndl_gates_generate(FILE *out);

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	int rc = strcmp(what, "near") == 0    ? ndl_near_generate(stdout)
		 : strcmp(what, "gates") == 0 ? ndl_gates_generate(stdout)
					      : ndl_lexicon_generate(stdout);
	if (rc != 0)
		return 1;
	return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
