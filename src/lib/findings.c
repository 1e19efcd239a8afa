/* findings.c - the public reconciliation calls (see <apicensus/findings.h>), through the store's
 * backend. */
#include "store.h"

#include <apicensus/findings.h>
#include <apicensus/timeutil.h>

#include <string.h>

enum ac_err ac_reconcile(struct ac_store *s, const char *now, struct ac_reconcile_stats *st,
                         struct ac_diag *d)
{
    if (s == NULL || now == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "reconcile: no store or no time");
    return s->ops->reconcile(s, now, st, d);
}

enum ac_err ac_accept(struct ac_store *s, const char *id, const char *reason, const char *until,
                      const char *now, struct ac_diag *d)
{
    enum ac_err err;
    char ts[21];

    if (s == NULL || id == NULL || now == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "accept: no store, finding or time");
    if (reason == NULL || reason[0] == '\0')
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "an acceptance needs a reason");
    if (until != NULL && (strlen(until) != 10 || ac_timestamp_parse(until, ts) != AC_OK))
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "until: a date YYYY-MM-DD, not '%s'", until);
    err = s->ops->accept(s, id, reason, until, now, d);
    return err == AC_OK ? s->ops->reconcile(s, now, NULL, d) : err;
}

enum ac_err ac_findings_gate(struct ac_store *s, const char *min_severity, size_t *n,
                             const char **level, struct ac_diag *d)
{
    if (s == NULL || n == NULL || level == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "gate: missing arguments");
    return s->ops->gate(s, min_severity, n, level, d);
}

enum ac_err ac_findings_expire(struct ac_store *s, const char *now, struct ac_diag *d)
{
    if (s == NULL || now == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "expire: no store or no time");
    return s->ops->expire(s, now, d);
}
