/* needlecheck lexicon: list, explain, test the knowledge. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_lexicon(options *o, int nfiles, char **files)
{
	if (nfiles > 0)
		return usage_error("'lexicon' takes no file ('%s')", files[0]);
	ndl_lexicon *lex = open_lexicon(o);
	if (lex == NULL)
		return 2;
	ndl_checker *chk = ndl_checker_new(lex);
	ndl_buf out = {0};
	int status = 0;
	if (chk == NULL) {
		ndl_lexicon_free(lex);
		out_of_memory();
	}
	if (o->list)
		ndl_lexicon_list(lex, &out);
	if (o->explain)
		ndl_explain(chk, o->explain, strlen(o->explain), &out);
	if (o->test) {
		/* the lexicon's examples, then those of the words that find
		 * the list on a photo of a label */
		size_t n = 0, labels = 0;
		ndl_buf fails = {0};
		ndl_error err = {0};
		size_t bad = ndl_lexicon_test(chk, &fails, &n);
		long label_bad = ndl_label_test(o->cfg.lexicon_dir, &fails, &labels, &err);
		say_lines(fails.data, fails.len, 0);
		if (label_bad < 0) {
			say_error(&err);
			status = 2;
		} else {
			bad += (size_t)label_bad;
			ndl_buf_printf(&out, "lexicon test: %zu checks, %zu failed\n",
				       n + labels, bad);
			status = bad ? 1 : 0;
		}
		ndl_buf_free(&fails);
	}
	write_out(out.data, out.len);
	ndl_buf_free(&out);
	ndl_checker_free(chk);
	ndl_lexicon_free(lex);
	int w = finish_output();
	return w ? w : status;
}

