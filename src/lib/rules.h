/* rules.h - the catalogue of finding rules (PRODUCT.md "Findings", docs/rules.md).
 *
 * One entry per rule: its id, default severity, whether apicensus evaluates it yet, and the
 * three texts reports show: the one-line summary, why it matters and how to fix it (condensed
 * from docs/rules.md, which has the full explanation). Reconciliation takes default severities
 * from here, `ls rules` and the reports list it. The array is static and read-only.
 */
#ifndef AC_RULES_H
#define AC_RULES_H

#include <stdbool.h>
#include <stddef.h>

struct ac__rule_info {
    const char *id;       /* "shadow-endpoint" */
    const char *severity; /* default: info, low, medium, high or critical */
    bool evaluated;       /* false: defined, not checked yet (needs active probing) */
    const char *summary;  /* one line */
    const char *why;
    const char *fix;
};

/* The rules, in the order of docs/rules.md; *n receives the count. */
const struct ac__rule_info *ac__rules(size_t *n);

/* The rule named id, or NULL. */
const struct ac__rule_info *ac__rule_find(const char *id);

#endif
