/* What the plan says about why a product waits, in every format. */
#include "needlecheck.h"
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
