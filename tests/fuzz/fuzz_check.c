/* libFuzzer: the whole check of a pasted list, and its reports. The text
 * report never lets a control character through; positions stay inside
 * the input; a verdict never grows worse with the days. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "needlecheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ndl_lexicon *lex;
	static ndl_checker *chk;
	static ndl_buf out;
	if (lex == NULL) {
		ndl_error err;
		lex = ndl_lexicon_open(NULL, &err);
		chk = lex ? ndl_checker_new(lex) : NULL;
		if (chk == NULL)
			abort();
	}
	/* the first byte picks the day and a product name's length */
	int day = size ? data[0] % 9 : 0;
	size_t name_len = size > 1 ? data[1] % 16 : 0;
	if (name_len + 2 > size)
		name_len = 0;
	ndl_product p = {.text = (const char *)data + 2 + name_len,
			 .len = size > 2 + name_len ? size - 2 - name_len : 0,
			 .name = (const char *)data + 2, .name_len = name_len};
	if (size < 2)
		p.text = "", p.len = 0;
	const ndl_result *r = ndl_check(chk, &p);
	if (r == NULL)
		abort();
	for (int d = 0; d < 9; d++)
		if (ndl_verdict_at(r, ndl_when_day(d + 1), NULL) >
		    ndl_verdict_at(r, ndl_when_day(d), NULL))
			abort();
	unsigned lines = 1; /* a line ends at "\n", "\r\n" or a lone "\r" */
	for (size_t i = 0; i < p.len; i++)
		lines += p.text[i] == '\n' ||
			 (p.text[i] == '\r' && (i + 1 == p.len || p.text[i + 1] != '\n'));
	for (size_t k = 0; k < r->nfindings; k++)
		if (r->findings[k].offset > p.len || r->findings[k].line > lines ||
		    r->findings[k].line == 0 || r->findings[k].column == 0)
			abort();
	ndl_record rec = {.source = "fuzz", .row = 1, .line = 1,
			  .name = p.name, .name_len = p.name_len,
			  .when = ndl_when_day(day)};
	ndl_write_options wo = {.when = rec.when};
	out.len = 0;
	ndl_record_writer_find("json")->record(&out, &wo, &rec, r);
	out.len = 0;
	ndl_record_writer_find("text")->record(&out, &wo, &rec, r);
	for (size_t i = 0; i < out.len; i++)
		if ((unsigned char)out.data[i] < 0x20 && out.data[i] != '\n')
			abort(); /* a control character reached the terminal */
	return 0;
}
