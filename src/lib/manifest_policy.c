/* manifest_policy.c - the manifest's `policy` section to policy declarations (key + JSON text).
 *
 * Each policy key is validated (rule ids against the findings table, severity levels, positive
 * numbers, booleans, version strings, path templates) and re-encoded as JSON text, which the
 * store keeps as is and the reconciler reads back with json-c. Re-encoding rather than copying
 * the YAML means the store never sees YAML-only spellings (yes/no, unquoted 1.24) and every
 * string is escaped once, here.
 */
#include "manifest_policy.h"

#include "buf.h"
#include "rules.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define POLICY_JSON_MAX (16u << 20)

/* Rule ids come from the catalogue (rules.h); this many fit the checker's arrays. */
#define RULES_MAX 64
static const char *const levels[] = {"info", "low", "medium", "high", "critical"};
static const char *const paths_keys[] = {"pin", "literal"};
static const char *const policy_keys[] = {
    "severity",    "fail_on",          "window_days", "dormant_after_days", "burst_without_limit",
    "public_docs", "minimum_versions", "paths"};

/* A JSON writer whose first error sticks, so the policy readers check it once at the end. */
struct jw {
    struct ac_buf b;
    enum ac_err err;
};

static void jw_raw(struct jw *w, const char *s)
{
    if (w->err == AC_OK)
        w->err = ac__buf_adds(&w->b, s);
}

static void jw_str(struct jw *w, const char *s)
{
    static const char hexd[] = "0123456789abcdef";

    jw_raw(w, "\"");
    for (; *s != '\0' && w->err == AC_OK; s++) {
        unsigned char ch = (unsigned char)*s;
        char esc[7] = {'\\', 'u', '0', '0', hexd[ch >> 4], hexd[ch & 15], '\0'};

        if (ch == '"' || ch == '\\') {
            esc[1] = (char)ch;
            esc[2] = '\0';
        } else if (ch >= 0x20) {
            w->err = ac__buf_addc(&w->b, (char)ch);
            continue;
        }
        jw_raw(w, esc);
    }
    jw_raw(w, "\"");
}

static enum ac_err pol_severity(struct ac_chk *c, const struct ac_node *v, struct jw *w)
{
    const struct ac_node *seen[RULES_MAX] = {NULL};
    const char *rules[RULES_MAX];
    const struct ac__rule_info *cat;
    size_t nrules, k;
    char h[80];
    uint32_t i;

    cat = ac__rules(&nrules);
    if (nrules > RULES_MAX)
        nrules = RULES_MAX;
    for (k = 0; k < nrules; k++)
        rules[k] = cat[k].id;
    if (v->kind != AC_NODE_MAP)
        return ac__chk_wrong_type(c, v, "severity", "a map of rule: level");
    jw_raw(w, "{");
    for (i = 0; i < v->n; i++) {
        const struct ac_node *key = ac__node_key(v, i);
        const char *level;
        enum ac_err rc;

        for (k = 0; k < nrules && !ac__node_is(key, rules[k]); k++)
            ;
        if (k == nrules)
            return ac__chk_fail(c, key,
                                "unknown rule '%.60s' in policy.severity (see docs/rules.md)%s",
                                key->str, ac__chk_hint(h, sizeof(h), key->str, rules, nrules));
        if (seen[k] != NULL)
            return ac__chk_fail(c, key, "duplicate rule '%s' (first declared on line %u)", rules[k],
                                seen[k]->line);
        seen[k] = key;
        if ((rc = ac__chk_enum(c, ac__node_val(v, i), "severity", levels, COUNT(levels), &level)))
            return rc;
        jw_raw(w, i > 0 ? "," : "");
        jw_str(w, rules[k]);
        jw_raw(w, ":");
        jw_str(w, level);
    }
    jw_raw(w, "}");
    return AC_OK;
}

static enum ac_err pol_minver(struct ac_chk *c, const struct ac_node *v, struct jw *w)
{
    struct ac_named *names = NULL;
    enum ac_err rc = AC_OK;
    uint32_t i;

    if (v->kind != AC_NODE_MAP)
        return ac__chk_wrong_type(c, v, "minimum_versions", "a map of software: \"version\"");
    if (v->n > 0 && (names = calloc(v->n, sizeof(*names))) == NULL)
        return ac__chk_oom(c, v);
    jw_raw(w, "{");
    for (i = 0; i < v->n && rc == AC_OK; i++) {
        const struct ac_node *key = ac__node_key(v, i), *val = ac__node_val(v, i);
        const char *name;

        if ((rc = ac__chk_text(c, key, "minimum_versions", AC_CHK_WORD | AC_CHK_LOWER, &name)) !=
                AC_OK ||
            (rc = ac__chk_text(c, val, name, AC_CHK_WORD, NULL)) != AC_OK)
            break;
        if (!isdigit((unsigned char)val->str[0]) ||
            strspn(val->str,
                   "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-+_") !=
                val->len) {
            rc = ac__chk_fail(c, val,
                              "invalid version '%.60s' for '%s' (expected a version such as 1.24)",
                              val->str, name);
            break;
        }
        names[i] = (struct ac_named){name, key, i};
        jw_raw(w, i > 0 ? "," : "");
        jw_str(w, name);
        jw_raw(w, ":");
        jw_str(w, val->str);
    }
    jw_raw(w, "}");
    if (rc == AC_OK)
        rc = ac__chk_unique(c, names, v->n, "software");
    free(names);
    return rc;
}

/* "/a/{b}" for pins (parameters in braces, one per segment part), "/a/b" for literals. */
static bool is_path(const char *s, bool tmpl)
{
    bool open = false;

    if (s[0] != '/')
        return false;
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch <= 0x20 || ch == 0x7f || ch == '?' || ch == '#')
            return false;
        if (ch == '{') {
            if (!tmpl || open || s[1] == '}')
                return false;
            open = true;
        } else if (ch == '}') {
            if (!open)
                return false;
            open = false;
        } else if (ch == '/' && open) {
            return false;
        }
    }
    return !open;
}

static enum ac_err pol_paths(struct ac_chk *c, const struct ac_node *v, struct jw *w)
{
    enum ac_err rc;
    uint32_t i, j;

    if ((rc = ac__chk_map(c, v, "policy.paths", paths_keys, COUNT(paths_keys))) != AC_OK)
        return rc;
    jw_raw(w, "{");
    for (i = 0; i < v->n; i++) {
        const struct ac_node *key = ac__node_key(v, i), *list = ac__node_val(v, i);
        bool pin = ac__node_is(key, "pin");

        if (list->kind == AC_NODE_SCALAR && list->tag == AC_TAG_NULL)
            continue;
        if (list->kind != AC_NODE_SEQ)
            return ac__chk_wrong_type(c, list, key->str, "a list of paths");
        jw_raw(w, w->b.len > 1 ? "," : "");
        jw_str(w, key->str);
        jw_raw(w, ":[");
        for (j = 0; j < list->n; j++) {
            const struct ac_node *p = list->kids[j];

            if ((rc = ac__chk_text(c, p, key->str, AC_CHK_WORD, NULL)) != AC_OK)
                return rc;
            if (!is_path(p->str, pin))
                return ac__chk_fail(c, p, "invalid %s path '%.80s' (expected %s)", key->str, p->str,
                                    pin ? "a template such as /repos/{owner}/{repo}"
                                        : "a path such as /users/me");
            jw_raw(w, j > 0 ? "," : "");
            jw_str(w, p->str);
        }
        jw_raw(w, "]");
    }
    jw_raw(w, "}");
    return AC_OK;
}

/* One policy value to JSON text. */
static enum ac_err policy_value(struct ac_chk *c, const char *key, const struct ac_node *v,
                                struct jw *w)
{
    const char *level;
    enum ac_err rc;
    int64_t n;
    int b;

    if (strcmp(key, "severity") == 0)
        return pol_severity(c, v, w);
    if (strcmp(key, "minimum_versions") == 0)
        return pol_minver(c, v, w);
    if (strcmp(key, "paths") == 0)
        return pol_paths(c, v, w);
    if (strcmp(key, "fail_on") == 0) {
        if ((rc = ac__chk_enum(c, v, key, levels, COUNT(levels), &level)) == AC_OK)
            jw_str(w, level);
        return rc;
    }
    if (strcmp(key, "public_docs") == 0) {
        if ((rc = ac__chk_bool(c, v, key, &b)) == AC_OK)
            jw_raw(w, b ? "true" : "false");
        return rc;
    }
    if ((rc = ac__chk_posint(c, v, key, &n)) == AC_OK && w->err == AC_OK)
        w->err = ac__buf_printf(&w->b, "%" PRId64, n);
    return rc;
}

enum ac_err ac__manifest_policy_read(struct ac_chk *c, const struct ac_node *node)
{
    struct jw w = {{NULL, 0, 0, 0}, AC_OK};
    enum ac_err rc;
    uint32_t i;
    size_t k;

    if ((rc = ac__chk_map(c, node, "policy", policy_keys, COUNT(policy_keys))) != AC_OK)
        return rc;
    ac__buf_init(&w.b, POLICY_JSON_MAX);
    for (i = 0; i < node->n; i++) {
        const struct ac_node *key = ac__node_key(node, i), *val = ac__node_val(node, i);
        struct ac_decl_policy *p;

        if (val->kind == AC_NODE_SCALAR && val->tag == AC_TAG_NULL)
            continue;
        ac__buf_reset(&w.b);
        if ((rc = policy_value(c, key->str, val, &w)) != AC_OK)
            goto out;
        if (w.err != AC_OK) {
            rc = w.err == AC_ELIMIT ? ac_diag_set(c->d, AC_ELIMIT, c->file, val->line, val->col,
                                                  "policy '%s' is too large", key->str)
                                    : ac__chk_oom(c, val);
            goto out;
        }
        if ((p = ac__decl_add_policy(c->set)) == NULL ||
            (p->value = ac__decl_strdup(c->set, ac__buf_str(&w.b))) == NULL) {
            rc = ac__chk_oom(c, key);
            goto out;
        }
        /* check_map made sure the key is one of policy_keys: store the static copy. */
        for (k = 0; strcmp(key->str, policy_keys[k]) != 0; k++)
            ;
        p->key = policy_keys[k];
        p->line = key->line;
    }
out:
    ac__buf_free(&w.b);
    return rc;
}
