/* A program of the library's users, built against the installed copy:
 * checks one ingredient list on day 2 and prints the verdict. */
#include <stdio.h>
#include <string.h>
#include <needlecheck.h>

int main(void)
{
	ndl_error err = {0};
	ndl_lexicon *lex = ndl_lexicon_open(NULL, &err);
	ndl_checker *chk = lex ? ndl_checker_new(lex) : NULL;
	if (chk == NULL)
		return 2;
	const char *list = "Aqua, Glycerin, Retinol, Phenoxyethanol";
	ndl_product p = {.text = list, .len = strlen(list)};
	const ndl_result *r = ndl_check(chk, &p);
	int safe_from = -1;
	ndl_verdict v = ndl_verdict_at(r, ndl_when_day(2), &safe_from);
	printf("%s %s, safe from day %d\n", NDL_VERSION, ndl_verdict_name(v), safe_from);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	return 0;
}
