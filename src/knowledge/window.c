/* Time after the procedure: moments (ndl_when), local dates, and the
 * windows of the protocol that say what a class asks at a moment. */
#include <math.h>
#include <string.h>

#include "needlecheck.h"
#include "knowledge/window.h"

ndl_when ndl_when_day(int day)
{
	ndl_when w = {.hours = 24.0 * day, .day = day};
	return w;
}

ndl_when ndl_when_hours(double hours)
{
	ndl_when w = {.hours = hours, .day = (int)floor(hours / 24.0)};
	return w;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

int ndl_parse_datetime(const char *s, int64_t *minutes)
{
	unsigned y, mo, d, h = 0, mi = 0;
	size_t n = strlen(s);
	if ((n != 10 && n != 16) || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (n == 16 && ((s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) ||
			s[13] != ':' || digits(s + 14, 2, &mi)))
		return -1;
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30,
					 31, 31, 30, 31, 30, 31};
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59)
		return -1;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	*minutes = (days_from_civil(y, mo, d) * 24 + h) * 60 + mi;
	return 0;
}

/* ----------------------------------------------------------- windows */

/* The first day that starts at or after hours h (day N starts at 24N). */
static int day_of(double hours)
{
	return hours <= 0 ? 0 : (int)ceil(hours / 24.0 - 1e-9);
}

ndl_status ndl_window_status(const ndl_window *w, ndl_when when, int *until_day)
{
	ndl_status s = ndl_window_status_at(w, when.hours);
	if (until_day) /* then is safe or recommended: the last status */
		*until_day = s == NDL_AVOID     ? day_of(w->avoid_h)
			     : s == NDL_CAUTION ? day_of(w->caution_h)
						: -1;
	return s;
}

double ndl_window_end(const ndl_window *w)
{
	double e = 0;
	if (w->avoid_h != NDL_NO_WINDOW && w->avoid_h > e)
		e = w->avoid_h;
	if (w->caution_h != NDL_NO_WINDOW && w->caution_h > e)
		e = w->caution_h;
	return e;
}

int ndl_window_safe_day(const ndl_window *w)
{
	return day_of(ndl_window_end(w));
}

void ndl_window_days(const ndl_window *w, int *avoid_until_day,
		     int *caution_until_day)
{
	*avoid_until_day = w->avoid_h != NDL_NO_WINDOW ? day_of(w->avoid_h) : -1;
	*caution_until_day = w->caution_h != NDL_NO_WINDOW ? day_of(w->caution_h) : -1;
}
