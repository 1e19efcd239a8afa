/* timeutil.c - validating and normalising user-given timestamps (see <apicensus/timeutil.h>). */
#include <apicensus/timeutil.h>

#include "version.h"

#include <string.h>

static bool two_digits(const char *s, int max)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
           (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

enum ac_err ac_timestamp_parse(const char *in, char out[21])
{
    size_t n = strlen(in);

    if (n == 10 && ac__is_date(in, 10)) {
        memcpy(out, in, 10);
        memcpy(out + 10, "T00:00:00Z", 11);
        return AC_OK;
    }
    if (n == 20 && ac__is_date(in, 10) && in[10] == 'T' && two_digits(in + 11, 23) &&
        in[13] == ':' && two_digits(in + 14, 59) && in[16] == ':' && two_digits(in + 17, 60) &&
        in[19] == 'Z') {
        memcpy(out, in, 21);
        return AC_OK;
    }
    return AC_EUSAGE;
}
