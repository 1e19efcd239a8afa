/* reader_json.c - JSON-lines access logs: a field map from request roles to JSON paths, and the
 * machinery the presets of reader_json_presets.c (nginx-json, envoy, caddy, traefik) build on.
 *
 * A field map is text: comma-separated `role=path` pairs, where a path is a dot path into the
 * line's object (`request.headers.Authorization`) and `a|b|c` lists alternatives tried in order
 * (the first one holding a value wins). At each level a key containing dots is tried whole first,
 * so Zeek's flat "id.orig_h" and a nested {"id":{"orig_h":..}} both resolve. Keys compare exactly,
 * then case-insensitively (header names). The roles:
 *
 *   time      ISO 8601, common-log or "YYYY/MM/DD hh:mm:ss" string, or a Unix time as a number
 *             or string (seconds with a fraction; milli-, micro- and nanoseconds are scaled)
 *   host method target status client xff user
 *   request   a request line "GET /p HTTP/1.1", used for method and target when those are unset
 *   path query   the target as two fields ("path?query" is built when target is unset)
 *   auth      a request header that carries credentials: a value means credentials present, a
 *             field that is there but empty ("", "-", null, []) means none
 *   headers   the object of all request headers: when it is there, an auth header missing from it
 *             means no credentials (Caddy logs every header)
 *   resp_headers  the object of response headers (Deprecation, RateLimit..., Server ...), or
 *             `prefix*` for top-level keys such as Traefik's "downstream_Content-Type"
 *   require   lines lacking any of these fields are skipped (not bad): Caddy's start-up messages
 *
 * A role given again replaces the earlier one, so a preset plus a user map overrides the preset.
 * Unset values ("", "-", null) count as absent. Credentials stay unknown unless an auth field or
 * user name says otherwise: a missing user name does not mean "no credentials" (bearer tokens are
 * invisible to it).
 *
 * Each line is parsed with ac__json_parse into the reader's arena, reset per line (its first
 * block is kept, so steady state allocates nothing from the arena); the request's slices point
 * into that arena and stay valid until the next parse_line call. Any prefix before the first '{'
 * is accepted ("caddy  | {...}" from docker compose, syslog headers).
 */
#include "reader_json.h"

#include "arena.h"
#include "doc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum role {
    R_TIME,
    R_HOST,
    R_METHOD,
    R_TARGET,
    R_REQUEST,
    R_PATH,
    R_QUERY,
    R_STATUS,
    R_CLIENT,
    R_XFF,
    R_USER,
    R_AUTH,
    R_HEADERS,
    R_RESP,
    R_REQUIRE,
    R_COUNT
};

static const char *const role_names[R_COUNT] = {
    "time",   "host", "method", "target", "request", "path",         "query",  "status",
    "client", "xff",  "user",   "auth",   "headers", "resp_headers", "require"};

#define MAX_ALTS 8
#define SPEC_MAX 4096
#define LINE_MAX_BYTES ((size_t)4 << 20)
#define ARENA_CAP ((size_t)64 << 20)

struct alts {
    unsigned n;
    struct ac_slice a[MAX_ALTS]; /* into ac_reader.spec */
};

struct ac_reader {
    struct ac_arena *arena;
    struct ac_doc_limits lim;
    struct alts roles[R_COUNT];
    char spec[SPEC_MAX]; /* the preset and user maps, joined; the slices point here */
};

/* What a field lookup found. */
enum fstate { F_ABSENT, F_EMPTY, F_VALUE };

/* --- small helpers --------------------------------------------------------------------------- */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ieq(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

/* Printable excerpt of untrusted bytes for a reason message (at most 40 bytes, '?' for others). */
static const char *excerpt(char *buf, size_t cap, const char *p, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n && k + 4 < cap && i < 40; i++)
        buf[k++] = (p[i] >= 0x20 && p[i] < 0x7F) ? p[i] : '?';
    if (i < n && k + 3 < cap) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

static enum ac_line bad(char *why, size_t whycap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum ac_line bad(char *why, size_t whycap, const char *fmt, ...)
{
    va_list ap;

    if (why != NULL && whycap > 0) {
        va_start(ap, fmt);
        vsnprintf(why, whycap, fmt, ap);
        va_end(ap);
    }
    return AC_LINE_BAD;
}

/* --- the field map --------------------------------------------------------------------------- */

static int role_of(struct ac_slice name)
{
    int i;

    for (i = 0; i < R_COUNT; i++)
        if (strlen(role_names[i]) == name.n && memcmp(role_names[i], name.p, name.n) == 0)
            return i;
    return -1;
}

/* Parse one `role=a|b` item of the map at p[0..n) (inside r->spec) into r->roles. */
static enum ac_err parse_item(struct ac_reader *r, const char *p, size_t n, struct ac_diag *d)
{
    const char *eq = memchr(p, '=', n);
    struct ac_slice name, alt;
    struct alts *as;
    size_t i, start;
    int role;
    char buf[48];

    if (eq == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "field map item '%s' is not role=path",
                           excerpt(buf, sizeof(buf), p, n));
    name = ac__json_trim(p, (size_t)(eq - p));
    role = role_of(name);
    if (role < 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "unknown role '%s' in the field map (roles: time, host, method, target, "
                           "request, path, query, status, client, xff, user, auth, headers, "
                           "resp_headers, require)",
                           excerpt(buf, sizeof(buf), name.p, name.n));
    as = &r->roles[role];
    as->n = 0;
    start = (size_t)(eq - p) + 1;
    for (i = start; i <= n; i++) {
        if (i < n && p[i] != '|')
            continue;
        alt = ac__json_trim(p + start, i - start);
        start = i + 1;
        if (alt.n == 0)
            continue;
        if (as->n == MAX_ALTS)
            return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                               "role '%s' has more than %d alternative paths", role_names[role],
                               MAX_ALTS);
        as->a[as->n++] = alt;
    }
    if (as->n == 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "role '%s' has no path", role_names[role]);
    return AC_OK;
}

/* Parse the comma-separated map at r->spec[0..n). */
static enum ac_err parse_map(struct ac_reader *r, size_t n, struct ac_diag *d)
{
    size_t i, start = 0;
    struct ac_slice item;
    enum ac_err err;

    for (i = 0; i <= n; i++) {
        if (i < n && r->spec[i] != ',')
            continue;
        item = ac__json_trim(r->spec + start, i - start);
        start = i + 1;
        if (item.n == 0)
            continue;
        err = parse_item(r, item.p, item.n, d);
        if (err != AC_OK)
            return err;
    }
    if (r->roles[R_METHOD].n == 0 && r->roles[R_REQUEST].n == 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "the field map needs 'method' (or 'request', a request line)");
    if (r->roles[R_TARGET].n == 0 && r->roles[R_REQUEST].n == 0 && r->roles[R_PATH].n == 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "the field map needs 'target' (or 'request', or 'path')");
    return AC_OK;
}

enum ac_err ac__json_reader_create(const char *preset, const char *spec, struct ac_reader **out,
                                   struct ac_diag *d)
{
    struct ac_reader *r = NULL;
    size_t pn = preset != NULL ? strlen(preset) : 0, sn = spec != NULL ? strlen(spec) : 0;
    enum ac_err err;

    if (preset == NULL && sn == 0) {
        err = ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                          "the json format needs a field map, e.g. "
                          "json:time=ts,method=request.method,target=request.uri,status=status");
        goto out;
    }
    if (pn + sn + 2 > SPEC_MAX) {
        err = ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "field map longer than %d bytes", SPEC_MAX);
        goto out;
    }
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    if (pn > 0)
        memcpy(r->spec, preset, pn);
    r->spec[pn] = ',';
    if (sn > 0)
        memcpy(r->spec + pn + 1, spec, sn);
    r->spec[pn + 1 + sn] = '\0';
    err = parse_map(r, pn + 1 + sn, d);
    if (err != AC_OK)
        goto out;
    r->arena = ac__arena_new(ARENA_CAP);
    if (r->arena == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    /* Access-log lines are flat and small: tight limits make hostile lines cheap to refuse. */
    ac__doc_limits_default(&r->lim);
    r->lim.max_bytes = LINE_MAX_BYTES;
    r->lim.max_scalar = (size_t)1 << 20;
    r->lim.max_depth = 64;
    r->lim.max_nodes = 100000;
    *out = r;
    r = NULL;
out:
    if (r != NULL)
        ac__arena_free(r->arena);
    free(r);
    return err;
}

void ac__json_reader_destroy(struct ac_reader *r)
{
    if (r == NULL)
        return;
    ac__arena_free(r->arena);
    free(r);
}

/* --- lookups --------------------------------------------------------------------------------- */

/* Value of key k[0..n) in a map: an exact match, else the first case-insensitive one. */
static const struct ac_node *get_key(const struct ac_node *map, const char *k, size_t n)
{
    const struct ac_node *ci = NULL, *key;
    uint32_t i;

    for (i = 0; i < map->n; i++) {
        key = map->kids[2u * (size_t)i];
        if (key->len != n)
            continue;
        if (memcmp(key->str, k, n) == 0)
            return map->kids[2u * (size_t)i + 1u];
        if (ci == NULL && ieq(key->str, k, n))
            ci = map->kids[2u * (size_t)i + 1u];
    }
    return ci;
}

/* Resolve a dot path: the whole remaining path as one key first, then each dotted prefix. */
static const struct ac_node *resolve(const struct ac_node *obj, const char *path, size_t n)
{
    const struct ac_node *v, *child;
    size_t i;

    if (obj == NULL || obj->kind != AC_NODE_MAP)
        return NULL;
    v = get_key(obj, path, n);
    if (v != NULL)
        return v;
    for (i = 1; i + 1 < n; i++) {
        if (path[i] != '.')
            continue;
        child = get_key(obj, path, i);
        if (child != NULL && child->kind == AC_NODE_MAP) {
            v = resolve(child, path + i + 1, n - i - 1);
            if (v != NULL)
                return v;
        }
    }
    return NULL;
}

/* A node as a value: scalars other than null, "" and "-"; an array gives its first element. */
static enum fstate value_of(const struct ac_node *v, const struct ac_node **out)
{
    if (v == NULL)
        return F_ABSENT;
    if (v->kind == AC_NODE_SEQ) {
        if (v->n == 0)
            return F_EMPTY;
        v = v->kids[0];
    }
    if (v->kind != AC_NODE_SCALAR || v->tag == AC_TAG_NULL || v->len == 0 ||
        (v->len == 1 && v->str[0] == '-'))
        return F_EMPTY;
    *out = v;
    return F_VALUE;
}

/* The first alternative of a role that holds a value. Returns the best state seen. */
static enum fstate field(const struct ac_reader *r, const struct ac_node *root, int role,
                         const struct ac_node **out)
{
    const struct alts *as = &r->roles[role];
    enum fstate best = F_ABSENT, st;
    unsigned i;

    for (i = 0; i < as->n; i++) {
        st = value_of(resolve(root, as->a[i].p, as->a[i].n), out);
        if (st == F_VALUE)
            return st;
        if (st > best)
            best = st;
    }
    return best;
}

static struct ac_slice slice_of(const struct ac_node *v)
{
    struct ac_slice s;

    s.p = v->str;
    s.n = v->len;
    return s;
}

/* --- values ---------------------------------------------------------------------------------- */

/* A JSON number or decimal string as Unix seconds: fraction dropped, exponent applied, and
 * values past the year 5000 scaled down from milli-, micro- or nanoseconds. */
static bool epoch_of(const char *s, size_t n, int64_t *out)
{
    char dig[40];
    size_t i = 0, nd = 0, nint = 0;
    long exp = 0, point;
    int esign = 1;
    uint64_t v = 0;
    long k;

    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (nd < sizeof(dig))
            dig[nd++] = s[i];
        nint++;
        i++;
    }
    if (nint == 0 || nint > 30)
        return false;
    if (i < n && s[i] == '.') {
        i++;
        if (i == n || s[i] < '0' || s[i] > '9')
            return false;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (nd < sizeof(dig))
                dig[nd++] = s[i];
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            esign = s[i++] == '-' ? -1 : 1;
        if (i == n)
            return false;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (exp < 1000)
                exp = exp * 10 + (s[i] - '0');
    }
    if (i != n)
        return false;
    point = (long)nint + esign * exp;
    if (point > 19)
        return false;
    for (k = 0; k < point; k++)
        v = v * 10u + (uint64_t)((size_t)k < nd ? dig[k] - '0' : 0);
    while (v >= 100000000000u) /* past year 5138: milliseconds or finer */
        v /= 1000u;
    *out = (int64_t)v;
    return true;
}

static bool time_of(const struct ac_node *v, int64_t *out)
{
    char buf[48];

    if (v->tag == AC_TAG_INT || v->tag == AC_TAG_FLOAT)
        return epoch_of(v->str, v->len, out);
    if (v->len >= 19 && v->str[4] == '-')
        return ac__parse_iso_time(v->str, v->len, out);
    if (v->len >= 19 && v->len < sizeof(buf) && v->str[4] == '/' && v->str[7] == '/') {
        /* Caddy's "wall" format: 2006/01/02 15:04:05.000 */
        memcpy(buf, v->str, v->len);
        buf[4] = '-';
        buf[7] = '-';
        return ac__parse_iso_time(buf, v->len, out);
    }
    if (v->len >= 20 && v->str[2] == '/')
        return ac__parse_clf_time(v->str, v->len, out);
    return epoch_of(v->str, v->len, out);
}

static bool status_of(const struct ac_node *v, int *out)
{
    int s = 0;
    size_t i;

    if (v->len == 0 || v->len > 3)
        return false;
    for (i = 0; i < v->len; i++) {
        if (v->str[i] < '0' || v->str[i] > '9')
            return false;
        s = s * 10 + (v->str[i] - '0');
    }
    *out = s;
    return true;
}

/* X-Forwarded-For: a plain value, or Zeek's proxied set ["X-FORWARDED-FOR -> 1.2.3.4", ...]
 * where the X-Forwarded-For element is taken and other headers are ignored. */
static bool xff_of(const struct ac_node *v, struct ac_slice *out)
{
    static const char tag[] = "X-FORWARDED-FOR -> ";
    const size_t tn = sizeof(tag) - 1;
    const struct ac_node *e;
    uint32_t i, n = v->kind == AC_NODE_SEQ ? v->n : 1;

    for (i = 0; i < n; i++) {
        e = v->kind == AC_NODE_SEQ ? v->kids[i] : v;
        if (e->kind != AC_NODE_SCALAR || e->tag == AC_TAG_NULL || e->len == 0)
            continue;
        if (!ac__json_contains(e->str, e->len, " -> ")) {
            out->p = e->str;
            out->n = e->len;
            return true;
        }
        if (e->len > tn && ieq(e->str, tag, tn)) {
            out->p = e->str + tn;
            out->n = e->len - tn;
            return true;
        }
    }
    return false;
}

/* One response header (name, value node) into the request. */
static void resp_header(struct ac_request *out, const char *name, size_t n,
                        const struct ac_node *val)
{
    const struct ac_node *v = NULL;

    out->resp_headers |= ac__resp_header_bits(name, n);
    if (value_of(val, &v) != F_VALUE)
        return;
    if (n == 6 && ieq(name, "server", 6))
        out->server = slice_of(v);
    else if (n == 12 && ieq(name, "x-powered-by", 12))
        out->powered = slice_of(v);
}

/* Response headers from an object of headers, or from top-level keys with a prefix
 * ("downstream_*": Traefik's "downstream_Retry-After"). */
static void resp_headers(const struct ac_reader *r, const struct ac_node *root,
                         struct ac_request *out)
{
    const struct alts *as = &r->roles[R_RESP];
    const struct ac_node *obj, *key;
    size_t pn;
    unsigned i;
    uint32_t k;

    for (i = 0; i < as->n; i++) {
        pn = as->a[i].p[as->a[i].n - 1] == '*' ? as->a[i].n - 1 : 0;
        obj = pn > 0 ? root : resolve(root, as->a[i].p, as->a[i].n);
        if (obj == NULL || obj->kind != AC_NODE_MAP)
            continue;
        if (pn == 0)
            out->resp_headers |= AC_HDR_KNOWN;
        for (k = 0; k < obj->n; k++) {
            key = obj->kids[2u * (size_t)k];
            if (pn > 0 && (key->len <= pn || !ieq(key->str, as->a[i].p, pn)))
                continue;
            out->resp_headers |= AC_HDR_KNOWN;
            resp_header(out, key->str + pn, key->len - pn, obj->kids[2u * (size_t)k + 1u]);
        }
    }
}

static enum ac_cred credentials_of(const struct ac_reader *r, const struct ac_node *root)
{
    const struct ac_node *v = NULL;
    enum fstate st;
    unsigned i;

    if (field(r, root, R_USER, &v) == F_VALUE)
        return AC_CRED_PRESENT;
    st = field(r, root, R_AUTH, &v);
    if (st == F_VALUE)
        return AC_CRED_PRESENT;
    if (st == F_EMPTY)
        return AC_CRED_NONE;
    if (r->roles[R_AUTH].n == 0)
        return AC_CRED_UNKNOWN;
    for (i = 0; i < r->roles[R_HEADERS].n; i++) {
        v = resolve(root, r->roles[R_HEADERS].a[i].p, r->roles[R_HEADERS].a[i].n);
        if (v != NULL && v->kind == AC_NODE_MAP)
            return AC_CRED_NONE;
    }
    return AC_CRED_UNKNOWN;
}

/* --- parse_line ------------------------------------------------------------------------------ */

/* The first path of the first mapped role among a, b, c (for messages). */
static struct ac_slice mapped_path(const struct ac_reader *r, int a, int b, int c)
{
    static const struct ac_slice none = {"(unmapped)", 10};
    const int roles[3] = {a, b, c};
    int i;

    for (i = 0; i < 3; i++)
        if (roles[i] >= 0 && r->roles[roles[i]].n > 0)
            return r->roles[roles[i]].a[0];
    return none;
}

/* Target from path + query: "path?query" built in the line's arena. */
static bool join_target(struct ac_reader *r, const struct ac_node *path, const struct ac_node *q,
                        struct ac_slice *out)
{
    char *cat;

    *out = slice_of(path);
    if (q == NULL)
        return true;
    cat = ac__arena_alloc(r->arena, path->len + q->len + 2);
    if (cat == NULL)
        return false;
    memcpy(cat, path->str, path->len);
    cat[path->len] = '?';
    memcpy(cat + path->len + 1, q->str, q->len);
    out->p = cat;
    out->n = path->len + q->len + 1;
    return true;
}

/* Method and target from method/target, the request line, or path + query. */
static enum ac_line request_of(struct ac_reader *r, const struct ac_node *root,
                               struct ac_request *out, char *why, size_t whycap)
{
    const struct ac_node *m = NULL, *t = NULL, *rl = NULL, *q = NULL;
    enum fstate ms = field(r, root, R_METHOD, &m), ts = field(r, root, R_TARGET, &t), rs;
    struct ac_slice rm, rt, name;
    char buf[48];

    if (ms == F_VALUE)
        out->method = slice_of(m);
    if (ts == F_VALUE)
        out->target = slice_of(t);
    if (ms != F_VALUE || ts != F_VALUE) {
        rs = field(r, root, R_REQUEST, &rl);
        if (rs == F_EMPTY && ms != F_VALUE)
            return AC_LINE_SKIP; /* "request":"" - a connection closed before any request */
        if (rs == F_VALUE) {
            if (!ac__split_request_line(rl->str, rl->len, &rm, &rt))
                return bad(why, whycap, "request line '%s' is not 'METHOD TARGET [PROTOCOL]'",
                           excerpt(buf, sizeof(buf), rl->str, rl->len));
            if (ms != F_VALUE)
                out->method = rm;
            if (ts != F_VALUE)
                out->target = rt;
        }
    }
    if (out->target.n == 0 && field(r, root, R_PATH, &t) == F_VALUE) {
        if (field(r, root, R_QUERY, &q) != F_VALUE || q->str[0] == '?')
            q = NULL;
        if (!join_target(r, t, q, &out->target))
            return bad(why, whycap, "the line needs more memory than the reader allows");
    }
    if (out->method.n == 0 && out->target.n == 0 && ms == F_EMPTY)
        return AC_LINE_SKIP; /* unset method and target: no request was made (Envoy "-") */
    if (out->method.n == 0) {
        name = mapped_path(r, R_METHOD, R_REQUEST, -1);
        return bad(why, whycap, "no method: field '%.*s' is missing or empty", (int)name.n, name.p);
    }
    if (out->target.n == 0) {
        name = mapped_path(r, R_TARGET, R_REQUEST, R_PATH);
        return bad(why, whycap, "no request target: field '%.*s' is missing or empty", (int)name.n,
                   name.p);
    }
    return AC_LINE_REQUEST;
}

/* Time, status, host, client, xff, credentials and response headers. */
static enum ac_line details_of(struct ac_reader *r, const struct ac_node *root,
                               struct ac_request *out, char *why, size_t whycap)
{
    const struct ac_node *v = NULL, *raw;
    char buf[48];
    unsigned i;

    if (field(r, root, R_TIME, &v) == F_VALUE && !time_of(v, &out->time))
        return bad(why, whycap, "unrecognised time '%s'",
                   excerpt(buf, sizeof(buf), v->str, v->len));
    if (field(r, root, R_STATUS, &v) == F_VALUE && !status_of(v, &out->status))
        return bad(why, whycap, "status '%s' is not a number",
                   excerpt(buf, sizeof(buf), v->str, v->len));
    if (field(r, root, R_HOST, &v) == F_VALUE)
        out->host = slice_of(v);
    if (field(r, root, R_CLIENT, &v) == F_VALUE)
        out->client = slice_of(v);
    for (i = 0; i < r->roles[R_XFF].n; i++) {
        raw = resolve(root, r->roles[R_XFF].a[i].p, r->roles[R_XFF].a[i].n);
        if (raw != NULL && xff_of(raw, &out->xff) && !(out->xff.n == 1 && out->xff.p[0] == '-'))
            break;
        out->xff.p = NULL;
        out->xff.n = 0;
    }
    out->credentials = credentials_of(r, root);
    resp_headers(r, root, out);
    return AC_LINE_REQUEST;
}

enum ac_line ac__json_reader_parse_line(struct ac_reader *r, const char *line, size_t n,
                                        struct ac_request *out, char *why, size_t whycap)
{
    const struct ac_node *root = NULL;
    struct ac_node *tree = NULL;
    struct ac_diag d;
    const char *brace;
    struct ac_slice s = ac__json_trim(line, n);
    size_t off;
    unsigned i;
    enum ac_line res;

    ac__request_clear(out);
    if (s.n == 0)
        return AC_LINE_SKIP;
    brace = memchr(s.p, '{', s.n);
    if (brace == NULL)
        return bad(why, whycap, "expected a JSON object ('{')");
    off = (size_t)(brace - line);
    ac__arena_reset(r->arena);
    if (ac__json_parse(r->arena, brace, (size_t)(s.p + s.n - brace), NULL, &r->lim, &tree, &d) !=
        AC_OK)
        return bad(why, whycap, "invalid JSON at column %zu: %s",
                   d.col > 0 ? (size_t)d.col + off : off + 1, d.msg);
    root = tree;
    for (i = 0; i < r->roles[R_REQUIRE].n; i++)
        if (resolve(root, r->roles[R_REQUIRE].a[i].p, r->roles[R_REQUIRE].a[i].n) == NULL)
            return AC_LINE_SKIP;
    res = request_of(r, root, out, why, whycap);
    if (res == AC_LINE_REQUEST)
        res = details_of(r, root, out, why, whycap);
    if (res != AC_LINE_REQUEST)
        ac__request_clear(out);
    return res;
}
