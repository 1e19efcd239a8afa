/* manifest_check.c - typed value checks with positioned diagnostics (see manifest_check.h).
 *
 * Split out of manifest.c so the reader there reads as the schema it is. The helpers never keep
 * a pointer into the document tree: accepted text is copied into the declaration set's arena.
 * Suggestions use the optimal string alignment distance (an adjacent transposition costs one),
 * ignoring case, capped to short words so hostile keys cost nothing.
 */
#include "manifest_check.h"

#include "version.h"

#include "arena.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- diagnostics ---------------------------------------------------------------------------- */

enum ac_err ac__chk_fail(struct ac_chk *c, const struct ac_node *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ac_diag_set(c->d, AC_ESCHEMA, c->file, at != NULL ? at->line : 0,
                       at != NULL ? at->col : 0, "%s", msg);
}

enum ac_err ac__chk_oom(struct ac_chk *c, const struct ac_node *at)
{
    uint32_t line = at != NULL ? at->line : 0, col = at != NULL ? at->col : 0;

    if (ac__arena_exhausted(c->set->arena))
        return ac_diag_set(c->d, AC_ELIMIT, c->file, line, col,
                           "document too large: its declarations exceed the memory limit");
    return ac_diag_set(c->d, AC_ENOMEM, c->file, line, col, "out of memory");
}

const char *ac__chk_type_name(const struct ac_node *n)
{
    if (n->kind == AC_NODE_SEQ)
        return "a list";
    if (n->kind == AC_NODE_MAP)
        return "a map";
    switch (n->tag) {
    case AC_TAG_NULL:
        return "null";
    case AC_TAG_BOOL:
        return "a boolean";
    case AC_TAG_INT:
    case AC_TAG_FLOAT:
        return "a number";
    case AC_TAG_STR:
        break;
    }
    return "a string";
}

enum ac_err ac__chk_wrong_type(struct ac_chk *c, const struct ac_node *v, const char *key,
                               const char *want)
{
    return ac__chk_fail(c, v, "wrong type for '%s': expected %s, got %s", key, want,
                        ac__chk_type_name(v));
}

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions),
 * ignoring case; SIZE_MAX for words too long to be worth comparing. */
static size_t distance(const char *a, const char *b)
{
    size_t rows[3][65], *pp = rows[0], *p = rows[1], *cur = rows[2], *t;
    size_t la = strlen(a), lb = strlen(b), i, j;

    if (la > 64 || lb > 64)
        return SIZE_MAX;
    for (j = 0; j <= lb; j++)
        p[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            int ai = tolower((unsigned char)a[i - 1]), bj = tolower((unsigned char)b[j - 1]);
            size_t v = p[j - 1] + (ai != bj);

            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == bj && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        t = pp;
        pp = p;
        p = cur;
        cur = t;
    }
    return p[lb];
}

/* The candidate a user most likely meant by `word`, or NULL: a close spelling, else a word that
 * starts with it ("prod" -> "production") or that it starts with ("deprecated_on"). */
static const char *suggest(const char *word, const char *const *cands, size_t n)
{
    size_t i, best = SIZE_MAX, wl = strlen(word);
    const char *pick = NULL, *prefix = NULL;

    for (i = 0; i < n; i++) {
        size_t dist = distance(word, cands[i]), cl = strlen(cands[i]);
        size_t longer = cl > wl ? cl : wl;

        if (dist < best && dist <= 2 && dist * 3 <= longer) {
            best = dist;
            pick = cands[i];
        }
        if (prefix == NULL && ((wl >= 3 && wl < cl && strncasecmp(word, cands[i], wl) == 0) ||
                               (cl >= 4 && cl < wl && strncasecmp(word, cands[i], cl) == 0)))
            prefix = cands[i];
    }
    return pick != NULL ? pick : prefix;
}

/* "; did you mean 'x'?" in buf, or "" when nothing is close. */
const char *ac__chk_hint(char *buf, size_t cap, const char *word, const char *const *cands,
                         size_t n)
{
    const char *s = suggest(word, cands, n);

    if (s == NULL)
        return "";
    snprintf(buf, cap, "; did you mean '%s'?", s);
    return buf;
}

void ac__chk_join(char *buf, size_t cap, const char *const *v, size_t n)
{
    size_t o = 0, i;

    buf[0] = '\0';
    for (i = 0; i < n && o < cap; i++) {
        int k = snprintf(buf + o, cap - o, "%s%s", i > 0 ? ", " : "", v[i]);

        if (k < 0)
            break;
        o += (size_t)k;
    }
}

/* ---- structure ------------------------------------------------------------------------------ */

/* The value of `key`, or NULL when it is absent or an explicit null. */
const struct ac_node *ac__chk_opt(const struct ac_node *map, const char *key)
{
    const struct ac_node *v = ac__node_get(map, key);

    if (v != NULL && v->kind == AC_NODE_SCALAR && v->tag == AC_TAG_NULL)
        return NULL;
    return v;
}

/* n must be a map whose keys are among `keys` (at most 16), each at most once. */
enum ac_err ac__chk_map(struct ac_chk *c, const struct ac_node *n, const char *noun,
                        const char *const *keys, size_t nkeys)
{
    const struct ac_node *seen[16] = {NULL};
    char list[400], h[80];
    uint32_t i;
    size_t k;

    assert(nkeys <= sizeof(seen) / sizeof(seen[0]));
    if (n->kind != AC_NODE_MAP)
        return ac__chk_fail(c, n, "wrong type for %s: expected a map, got %s", noun,
                            ac__chk_type_name(n));
    for (i = 0; i < n->n; i++) {
        const struct ac_node *key = ac__node_key(n, i);
        const char *s = ac__node_str(key);

        if (s != NULL && strlen(s) != key->len)
            s = NULL;
        for (k = 0; s != NULL && k < nkeys && strcmp(s, keys[k]) != 0; k++)
            ;
        if (s == NULL || k == nkeys) {
            ac__chk_join(list, sizeof(list), keys, nkeys);
            return ac__chk_fail(c, key, "unknown key '%.60s' in %s (expected one of: %s)%s",
                                s != NULL ? s : "?", noun, list,
                                s != NULL ? ac__chk_hint(h, sizeof(h), s, keys, nkeys) : "");
        }
        if (seen[k] != NULL)
            return ac__chk_fail(c, key, "duplicate key '%s' in %s (first on line %u)", keys[k],
                                noun, seen[k]->line);
        seen[k] = key;
    }
    return AC_OK;
}

static int cmp_named(const void *a, const void *b)
{
    const struct ac_named *x = a, *y = b;
    int r = strcmp(x->text, y->text);

    if (r != 0)
        return r;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Report the first (in document order) of v's texts declared twice. Reorders v. */
enum ac_err ac__chk_unique(struct ac_chk *c, struct ac_named *v, size_t n, const char *what)
{
    const struct ac_named *dup = NULL, *orig = NULL;
    size_t i, first = 0;

    if (n < 2)
        return AC_OK;
    qsort(v, n, sizeof(*v), cmp_named);
    for (i = 1; i < n; i++) {
        if (strcmp(v[i].text, v[first].text) != 0) {
            first = i;
            continue;
        }
        if (dup == NULL || v[i].idx < dup->idx) {
            dup = &v[i];
            orig = &v[first];
        }
    }
    if (dup == NULL)
        return AC_OK;
    return ac__chk_fail(c, dup->at, "duplicate %s '%.60s' (first declared on line %u)", what,
                        dup->text, orig->at->line);
}

/* ---- values --------------------------------------------------------------------------------- */

/* Text of scalar v. AC_CHK_NONEMPTY: not "". AC_CHK_WORD: also one line without control characters.
 * AC_CHK_LOWER: lower-cased. With out == NULL only validates. */
enum ac_err ac__chk_text(struct ac_chk *c, const struct ac_node *v, const char *key, int flags,
                         const char **out)
{
    char *copy;
    size_t i;

    if (v->kind != AC_NODE_SCALAR || v->tag == AC_TAG_NULL)
        return ac__chk_wrong_type(c, v, key, "a string");
    if (strlen(v->str) != v->len)
        return ac__chk_fail(c, v, "'%s' must not contain NUL characters", key);
    if ((flags & AC_CHK_NONEMPTY) && v->len == 0)
        return ac__chk_fail(c, v, "'%s' must not be empty", key);
    for (i = 0; (flags & AC_CHK_WORD) == AC_CHK_WORD && i < v->len; i++)
        if ((unsigned char)v->str[i] < 0x20 || v->str[i] == 0x7f)
            return ac__chk_fail(c, v, "'%s' must be one line without control characters", key);
    if (out == NULL)
        return AC_OK;
    copy = ac__arena_strndup(c->set->arena, v->str, v->len);
    if (copy == NULL)
        return ac__chk_oom(c, v);
    for (i = 0; (flags & AC_CHK_LOWER) && copy[i] != '\0'; i++)
        copy[i] = (char)tolower((unsigned char)copy[i]);
    *out = copy;
    return AC_OK;
}

enum ac_err ac__chk_get_text(struct ac_chk *c, const struct ac_node *map, const char *key,
                             int flags, const char **out)
{
    const struct ac_node *v = ac__chk_opt(map, key);

    return v != NULL ? ac__chk_text(c, v, key, flags, out) : AC_OK;
}

/* One of vals (the static string is stored, not a copy). */
enum ac_err ac__chk_enum(struct ac_chk *c, const struct ac_node *v, const char *key,
                         const char *const *vals, size_t n, const char **out)
{
    char list[200], h[80];
    size_t i;

    if (v->kind != AC_NODE_SCALAR || v->tag == AC_TAG_NULL)
        return ac__chk_wrong_type(c, v, key, "a string");
    for (i = 0; i < n; i++) {
        if (v->len == strlen(vals[i]) && strcmp(v->str, vals[i]) == 0) {
            *out = vals[i];
            return AC_OK;
        }
    }
    ac__chk_join(list, sizeof(list), vals, n);
    return ac__chk_fail(c, v, "invalid %s '%.60s' (expected one of: %s)%s", key, v->str, list,
                        ac__chk_hint(h, sizeof(h), v->str, vals, n));
}

enum ac_err ac__chk_get_enum(struct ac_chk *c, const struct ac_node *map, const char *key,
                             const char *const *vals, size_t n, const char **out)
{
    const struct ac_node *v = ac__chk_opt(map, key);

    return v != NULL ? ac__chk_enum(c, v, key, vals, n, out) : AC_OK;
}

/* A real calendar date written YYYY-MM-DD. */
enum ac_err ac__chk_get_date(struct ac_chk *c, const struct ac_node *map, const char *key,
                             const char **out)
{
    const struct ac_node *v = ac__chk_opt(map, key);

    if (v == NULL)
        return AC_OK;
    if (v->kind != AC_NODE_SCALAR)
        return ac__chk_wrong_type(c, v, key, "a date YYYY-MM-DD");
    if (v->tag == AC_TAG_BOOL && strcmp(key, "deprecated") == 0)
        return ac__chk_fail(
            c, v,
            "'deprecated' takes the deprecation date (YYYY-MM-DD); to mark a version "
            "deprecated without a date, write status: deprecated");
    if (!ac__is_date(v->str, v->len))
        return ac__chk_fail(c, v,
                            "invalid date '%.60s' for '%s' (expected a calendar date YYYY-MM-DD)",
                            v->str, key);
    return ac__chk_text(c, v, key, AC_CHK_WORD, out);
}

enum ac_err ac__chk_posint(struct ac_chk *c, const struct ac_node *v, const char *key, int64_t *out)
{
    int64_t x = 0;
    size_t i = 0;

    if (v->kind != AC_NODE_SCALAR || (v->tag != AC_TAG_INT && v->tag != AC_TAG_FLOAT))
        return ac__chk_wrong_type(c, v, key, "a positive whole number");
    if (v->str[0] == '+')
        i++;
    for (; i < v->len && isdigit((unsigned char)v->str[i]) && x <= INT32_MAX; i++)
        x = x * 10 + (v->str[i] - '0');
    if (i != v->len || v->len == 0 || x < 1 || x > INT32_MAX)
        return ac__chk_fail(c, v,
                            "invalid value '%.60s' for '%s' (expected a whole number from 1 to %d)",
                            v->str, key, INT32_MAX);
    *out = x;
    return AC_OK;
}

enum ac_err ac__chk_bool(struct ac_chk *c, const struct ac_node *v, const char *key, int *out)
{
    if (v->kind != AC_NODE_SCALAR || v->tag != AC_TAG_BOOL)
        return ac__chk_wrong_type(c, v, key, "true or false");
    *out = ac__node_true(v) ? 1 : 0;
    return AC_OK;
}

/* A list of one-line strings (lower-cased with AC_CHK_LOWER). */
enum ac_err ac__chk_list(struct ac_chk *c, const struct ac_node *v, const char *key, int flags,
                         struct ac_strv *out)
{
    const char **arr = NULL;
    enum ac_err rc;
    uint32_t i;

    if (v->kind != AC_NODE_SEQ)
        return ac__chk_wrong_type(c, v, key, "a list");
    if (v->n > 0 && (arr = ac__arena_alloc(c->set->arena, v->n * sizeof(*arr))) == NULL)
        return ac__chk_oom(c, v);
    for (i = 0; i < v->n; i++)
        if ((rc = ac__chk_text(c, v->kids[i], key, flags | AC_CHK_WORD, &arr[i])) != AC_OK)
            return rc;
    out->v = arr;
    out->n = v->n;
    return AC_OK;
}

bool ac__chk_has_blank(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* An absolute http(s) URL; parsed into dep (scheme, host, port, base path, url). */
enum ac_err ac__chk_url(struct ac_chk *c, const struct ac_node *v, const char *key,
                        struct ac_decl_deployment *dep)
{
    enum ac_err rc = ac__chk_text(c, v, key, AC_CHK_WORD, NULL);

    if (rc != AC_OK)
        return rc;
    rc = ac__chk_has_blank(v->str) ? AC_ESCHEMA : ac__decl_parse_url(c->set, v->str, dep);
    if (rc == AC_ESCHEMA)
        return ac__chk_fail(
            c, v, "invalid URL '%.80s' for '%s' (expected http:// or https:// and a host)", v->str,
            key);
    return rc != AC_OK ? ac__chk_oom(c, v) : AC_OK;
}

/* A host name or IPv4 address: dot-separated labels of letters, digits, '-' and '_'. */
bool ac__chk_is_host(const char *s, size_t len)
{
    size_t i, label = 0;

    if (len == 0 || len > 253)
        return false;
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == '.') {
            if (label == 0)
                return false;
            label = 0;
            continue;
        }
        if (!isalnum(ch) && ch != '-' && ch != '_')
            return false;
        if (++label > 63)
            return false;
    }
    return label > 0;
}
