/* Helpers the report writers share. */
#ifndef NDL_REPORT_H
#define NDL_REPORT_H

#include "needlecheck.h"

/* Appends s for a terminal: control characters, escapes and bidi
 * overrides become '?', invalid UTF-8 too; cut to max_chars with "…"
 * (0: no limit). */
void ndl_term_text(ndl_buf *out, const char *s, size_t n, size_t max_chars);

#endif
