/* Build tool: writes the built-in lexicon in its final form as C, with
 * the library's own loader and writer linked in (ndl_lexicon_generate,
 * src/knowledge/lexicon_write.c). Usage: lexgen > lexicon_built.c */
#include <stdio.h>

int ndl_lexicon_generate(FILE *out); /* declared in knowledge/lexicon.h:
					a build tool includes no header of
					the layers */

int main(void)
{
	if (ndl_lexicon_generate(stdout) != 0)
		return 1;
	return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
