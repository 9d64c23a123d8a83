/* What the renderers share. */
#include "needlecheck.h"
#include "render/render.h"

int ndl_finding_weight(const ndl_finding *f, ndl_when when)
{
	ndl_status s = ndl_finding_status(f, when, NULL);
	return s == NDL_AVOID ? 2 : s == NDL_CAUTION ? 1 : 0;
}
