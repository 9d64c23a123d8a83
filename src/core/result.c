/* A result at a moment: the status of each finding and the product's
 * verdict, computed from the day-free result of ndl_check; and the names
 * of statuses and verdicts. */
#include <string.h>

#include "needlecheck.h"
#include "knowledge/window.h"

const char *ndl_status_name(ndl_status s)
{
	static const char *const names[] = {"recommended", "safe", "caution",
					    "avoid"};
	return (unsigned)s < 4 ? names[s] : "?";
}

const char *ndl_verdict_name(ndl_verdict v)
{
	static const char *const names[] = {"safe", "caution", "unknown",
					    "avoid"};
	return (unsigned)v < 4 ? names[v] : "?";
}

int ndl_verdict_parse(const char *s)
{
	for (int v = 0; v < 4; v++)
		if (strcmp(s, ndl_verdict_name((ndl_verdict)v)) == 0)
			return v;
	return -1;
}

/* ------------------------------------------------------ at a moment */

ndl_status ndl_finding_status(const ndl_finding *f, ndl_when when, int *until_day)
{
	return ndl_window_status(&f->window, when, until_day);
}

ndl_verdict ndl_verdict_at(const ndl_result *r, ndl_when when, int *safe_from_day)
{
	ndl_status worst = NDL_SAFE;
	for (size_t k = 0; k < r->nfindings && worst != NDL_AVOID; k++) {
		ndl_status s = ndl_window_status_at(&r->findings[k].window, when.hours);
		if (s > worst)
			worst = s;
	}
	/* a list not read in full is unknown, unless what was read is
	 * avoided anyway; and no day makes it safe: once the avoided
	 * active allows it, it is unknown again */
	if (r->error && safe_from_day)
		*safe_from_day = -1;
	if (r->error && worst != NDL_AVOID)
		return NDL_VERDICT_UNKNOWN;
	if (safe_from_day && !r->error) {
		ndl_window all = {NDL_NO_WINDOW, r->safe_from_h, NDL_SAFE};
		*safe_from_day = ndl_window_safe_day(&all);
	}
	return worst == NDL_AVOID ? NDL_VERDICT_AVOID
	       : worst == NDL_CAUTION ? NDL_VERDICT_CAUTION
				      : NDL_VERDICT_SAFE;
}
