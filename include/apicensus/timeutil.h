/* apicensus/timeutil.h - the timestamps apicensus records and compares.
 *
 * Every time in the store is UTC in the form YYYY-MM-DDTHH:MM:SSZ, so that text order is time
 * order. Pure functions, thread-safe.
 */
#ifndef APICENSUS_TIMEUTIL_H
#define APICENSUS_TIMEUTIL_H

#include <apicensus/error.h>

/* Normalise a user-given time: "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ" (a real
 * calendar date and time) into out[21]. AC_EUSAGE (out untouched) for anything else. */
enum ac_err ac_timestamp_parse(const char *in, char out[21]);

#endif
