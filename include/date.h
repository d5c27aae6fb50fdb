/* SPDX-License-Identifier: ISC */
/* date — parses the dates feeds really send (RFC 822 with its many broken variants, RFC 3339 /
 * ISO 8601, bare dates, Unix seconds) into Unix time, and formats Unix time back as RFC 3339. */
#ifndef WINNOW_DATE_H
#define WINNOW_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Returns Unix seconds (UTC), or -1 when s is not a date we can read. */
int64_t date_parse(const char *s);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes).  t < 0 gives "". */
void date_rfc3339(int64_t t, char *buf, size_t n);

/* Days since 1970-01-01 for a proleptic Gregorian date (no time zone, no locale). */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
