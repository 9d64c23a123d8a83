/* What the plan says about why a product waits, in every format. */
#include "needlecheck.h"
#include "apps/plan.h"
#include "render/render.h"

void ndl_plan_reason_classes(ndl_buf *out, const ndl_plan_reason *r)
{
	for (size_t c = 0; c < r->nclasses; c++)
		ndl_buf_printf(out, "%s%s", c ? ", " : "", r->classes[c]);
}

void ndl_plan_reason_days(ndl_buf *out, const ndl_plan_reason *r)
{
	ndl_days_phrase(out, 0, r->avoid_until_day, r->safe_day);
}

void ndl_credit(ndl_buf *out, const char *protocol)
{
	if (protocol)
		ndl_buf_printf(out, "The days follow the clinic's protocol (%s); the "
				    "classes it does not name keep those of one "
				    "aftercare article (\xe2\x80\x9c" NDL_ARTICLE_TITLE
				    "\xe2\x80\x9d). ",
			       protocol);
	else
		ndl_buf_puts(out, "The days follow one aftercare article (\xe2\x80\x9c" NDL_ARTICLE_TITLE
				  "\xe2\x80\x9d); a clinic's protocol overrides them. ");
	ndl_buf_puts(out, "This is information, not medical advice: follow your "
			  "practitioner.");
}
