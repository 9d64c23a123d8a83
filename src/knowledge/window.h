/* A window's status at an hour, inline: the loops over a product's
 * findings (its verdict, a writer's weights) ask it of each. */
#ifndef NDL_WINDOW_H
#define NDL_WINDOW_H

#include "needlecheck.h"

/* As ndl_window_status, without the day it ends. */
static inline ndl_status ndl_window_status_at(const ndl_window *w, double hours)
{
	if (w->avoid_h != NDL_NO_WINDOW && hours < w->avoid_h)
		return NDL_AVOID;
	if (w->caution_h != NDL_NO_WINDOW && hours < w->caution_h)
		return NDL_CAUTION;
	return w->then;
}

#endif
