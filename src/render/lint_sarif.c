/* --format sarif: a SARIF 2.1.0 log, the format code-scanning services
 * (GitHub code scanning among them) read. One run for all the files. */
#include <stdio.h>
#include <string.h>

#include "needlecheck.h"
#include "render/render.h"

static const struct {
	const char *id, *level, *title, *text;
} lint_checks[] = {
	{NDL_CHECK_UNREADABLE, "warning", "Claimed list not read",
	 "A claimed product whose ingredient list cannot be read: the claim "
	 "is not checked."},
	{NDL_CHECK_BAD_CLAIM, "error", "Claim is not a day",
	 "A claim that is not a day: a whole number of days from 0, or the tag "
	 "post-procedure-safe[:N]."},
	{NDL_CHECK_BAD_ALLOW, "warning", "Allowance names nothing",
	 "A needlecheck_allow entry that names neither a class nor an "
	 "ingredient of the product."},
	{NDL_CHECK_UNCLAIMED, "note", "Safe from day 0, not claimed",
	 "A product safe from the day of the procedure that claims nothing "
	 "(--suggest)."},
	{NDL_CHECK_NO_CLAIMS, "warning", "No claims to check",
	 "A catalogue with no claim column and no tags column."},
};

static void rule(ndl_buf *out, const char *id, const char *title,
		 const char *text, const char *level, int first)
{
	ndl_buf_puts(out, first ? "\n" : ",\n");
	ndl_buf_puts(out, "{\"id\":");
	ndl_json_string(out, id, strlen(id));
	ndl_buf_puts(out, ",\"shortDescription\":{\"text\":");
	ndl_json_string(out, title, strlen(title));
	ndl_buf_puts(out, "},\"fullDescription\":{\"text\":");
	ndl_json_string(out, text, strlen(text));
	ndl_buf_printf(out, "},\"defaultConfiguration\":{\"level\":\"%s\"}}", level);
}

void ndl_write_sarif_begin(ndl_buf *out, const ndl_lexicon *lex)
{
	ndl_buf_puts(out, "{\"version\":\"2.1.0\",\"$schema\":"
		     "\"https://json.schemastore.org/sarif-2.1.0.json\",\"runs\":[\n"
		     "{\"tool\":{\"driver\":{\"name\":\"needlecheck\",\"version\":\""
		     NDL_VERSION "\",\"rules\":[");
	size_t n = ndl_class_count(lex);
	for (size_t i = 0; i < n; i++) {
		const char *title = ndl_class_title(lex, i);
		rule(out, ndl_class_id(lex, i), title,
		     "A product claimed fine after micro-needling before an "
		     "ingredient of this class allows, by the protocol's windows.",
		     "error", i == 0);
	}
	for (size_t i = 0; i < sizeof(lint_checks) / sizeof(lint_checks[0]); i++)
		rule(out, lint_checks[i].id, lint_checks[i].title, lint_checks[i].text,
		     lint_checks[i].level, n == 0 && i == 0);
	/* columns count characters, as the rest of needlecheck does */
	ndl_buf_puts(out, "]}},\n\"columnKind\":\"unicodeCodePoints\",\"results\":[");
}

/* A file name as a URI reference: relative names stay relative (to the
 * repository root for code scanning), absolute ones become file URIs, and
 * every byte outside the unreserved set is percent-encoded. */
static void uri(ndl_buf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	ndl_buf_puts(out, path[0] == '/' ? "\"file://" : "\"");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			ndl_buf_append(out, (const char *)p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			ndl_buf_append(out, e, 3);
		}
	}
	ndl_buf_puts(out, "\"");
}

void ndl_write_sarif_result(ndl_buf *out, const ndl_diagnostic *d)
{
	static const char *const levels[] = {"note", "warning", "error"};
	ndl_buf_puts(out, "{\"ruleId\":");
	ndl_json_string(out, d->check, strlen(d->check));
	ndl_buf_printf(out, ",\"level\":\"%s\",\"message\":{\"text\":",
		       levels[d->severity]);
	ndl_json_string(out, d->message, strlen(d->message));
	ndl_buf_puts(out, "},\"locations\":[{\"physicalLocation\":"
		     "{\"artifactLocation\":{\"uri\":");
	uri(out, d->source);
	ndl_buf_printf(out, "},\"region\":{\"startLine\":%lu,\"startColumn\":%u}}}]",
		       d->line, d->column);
	if (d->suppressed_by) {
		char why[300];
		snprintf(why, sizeof(why), "needlecheck_allow: %s", d->suppressed_by);
		ndl_buf_puts(out, ",\"suppressions\":[{\"kind\":\"inSource\","
			     "\"justification\":");
		ndl_json_string(out, why, strlen(why));
		ndl_buf_puts(out, "}]");
	}
	if (d->fix && d->severity != NDL_NOTE) {
		ndl_buf_puts(out, ",\"fixes\":[{\"description\":{\"text\":");
		char what[64];
		snprintf(what, sizeof(what), "claim day %d", d->safe_from_day);
		ndl_json_string(out, what, strlen(what));
		ndl_buf_puts(out, "},\"artifactChanges\":[{\"artifactLocation\":"
			     "{\"uri\":");
		uri(out, d->source);
		ndl_buf_printf(out, "},\"replacements\":[{\"deletedRegion\":"
			       "{\"byteOffset\":%llu,\"byteLength\":%zu},"
			       "\"insertedContent\":{\"text\":",
			       (unsigned long long)d->fix->offset, d->fix->len);
		ndl_json_string(out, d->fix->text, strlen(d->fix->text));
		ndl_buf_puts(out, "}}]}]}]");
	}
	ndl_buf_puts(out, ",\"properties\":{");
	if (d->row)
		ndl_buf_printf(out, "\"row\":%lu,", d->row);
	if (d->claimed_day >= 0)
		ndl_buf_printf(out, "\"claimedDay\":%d,", d->claimed_day);
	if (d->safe_from_day >= 0)
		ndl_buf_printf(out, "\"safeFromDay\":%d,", d->safe_from_day);
	ndl_buf_puts(out, "\"product\":");
	if (d->name)
		ndl_json_string(out, d->name, d->name_len);
	else
		ndl_buf_puts(out, "null");
	ndl_buf_puts(out, "}}");
}

void ndl_write_sarif_end(ndl_buf *out, int successful)
{
	ndl_buf_printf(out, "\n],\"invocations\":[{\"executionSuccessful\":%s}]}\n]}\n",
		       successful ? "true" : "false");
}
