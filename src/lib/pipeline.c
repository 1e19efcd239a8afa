/* pipeline.c - the per-request and per-line work of an ingest (see pipeline.h). */
#include "pipeline.h"

#include "dataclass.h"
#include "normalize.h"
#include "version.h"

#include <string.h>
#include <xxhash.h>

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* A host as the line gives it, a name (letters, digits, '-', '.', '_') or a bracketed IPv6
 * literal, at most 253 bytes. Anything else (a Host header crafted with '<', '|' or '=') says
 * nothing reliable: the request's host is unknown. */
static bool host_valid(struct ac_slice h)
{
    size_t i;
    bool v6 = h.n > 2 && h.p[0] == '[' && h.p[h.n - 1] == ']';

    if (h.n > 253)
        return false;
    for (i = v6 ? 1 : 0; i < (v6 ? h.n - 1 : h.n); i++) {
        char c = h.p[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || (v6 ? c == ':' || c == '%' : c == '-' || c == '_'))
            continue;
        return false;
    }
    return true;
}

/* Host without ":port" (IPv6 literals keep their brackets). */
static struct ac_slice host_only(struct ac_slice h)
{
    size_t i;

    while (h.n > 0 && (h.p[h.n - 1] == '.' || h.p[h.n - 1] == ' '))
        h.n--;
    if (h.n > 0 && h.p[0] == '[') {
        const char *e = memchr(h.p, ']', h.n);

        if (e != NULL)
            h.n = (size_t)(e - h.p) + 1;
        return h;
    }
    for (i = h.n; i > 0; i--) {
        if (h.p[i - 1] == ':') {
            h.n = i - 1;
            break;
        }
        if (h.p[i - 1] < '0' || h.p[i - 1] > '9')
            break;
    }
    return h;
}

static bool ieq_tail(const char *s, size_t n, const char *d, size_t dn)
{
    size_t i;

    if (dn > n)
        return false;
    for (i = 0; i < dn; i++) {
        char c = s[n - dn + i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != d[i])
            return false;
    }
    return dn == n || s[n - dn - 1] == '.';
}

static bool ours(const struct ac_pipeline *p, struct ac_slice host)
{
    size_t i;

    if (p->ndomains == 0 || host.n == 0)
        return true;
    for (i = 0; i < p->ndomains; i++)
        if (ieq_tail(host.p, host.n, p->domains[i], strlen(p->domains[i])))
            return true;
    return false;
}

/* The shape of an undocumented template on host[0..n) (lower-cased and cut as the aggregator
 * keys hosts: at 256 bytes and at a NUL). */
static enum ac_err shape_of(struct ac_shapes *sh, const char *host, size_t n, const char *tmpl,
                            char *out, bool *collapsed)
{
    char lower[257];
    size_t i;

    for (i = 0; i < n && i < 256 && host[i] != '\0'; i++)
        lower[i] = (host[i] >= 'A' && host[i] <= 'Z') ? (char)(host[i] - 'A' + 'a') : host[i];
    lower[i] = '\0';
    return ac__shapes_add(sh, lower, tmpl, out, AC_SHAPE_MAX, collapsed);
}

/* shape_of() through the thread's memo: adding a template the tree holds changes nothing, so
 * its shape is the one remembered, unless a position collapsed since (a new generation). */
static enum ac_err shape_memo(struct ac_chunk *c, const char *host, size_t hl, const char *tmpl,
                              char *out)
{
    struct ac_pipe_memo *m = c->memo;
    struct ac_shape_memo *e = NULL;
    size_t tl = strlen(tmpl), sl;
    bool collapsed = false;
    enum ac_err err;

    if (m != NULL && m->shapes_gen == 0)
        m->shapes_gen = 1; /* generation 0 marks an entry being filled */
    if (m != NULL && hl + tl <= AC_PIPE_SHAPE_TEXT) {
        char key[AC_PIPE_SHAPE_TEXT];
        uint64_t h;

        memcpy(key, host, hl);
        memcpy(key + hl, tmpl, tl);
        h = XXH3_64bits(key, hl + tl);
        e = &m->shapes[h & (AC_PIPE_SHAPE_MEMO - 1)];
        if (e->gen == m->shapes_gen && e->hash == h && e->host_len == hl && e->tmpl_len == tl &&
            memcmp(e->key, key, hl + tl) == 0) {
            memcpy(out, e->shape, e->shape_len);
            out[e->shape_len] = '\0';
            return AC_OK;
        }
        e->gen = 0;
        e->hash = h;
        e->host_len = (uint16_t)hl;
        e->tmpl_len = (uint16_t)tl;
        memcpy(e->key, key, hl + tl);
    }
    err = shape_of(c->shapes, host, hl, tmpl, out, &collapsed);
    if (m != NULL && collapsed)
        m->shapes_gen++; /* every shape remembered may have changed */
    if (e != NULL && err == AC_OK && (sl = strlen(out)) <= AC_PIPE_SHAPE_TEXT) {
        memcpy(e->shape, out, sl);
        e->shape_len = (uint16_t)sl;
        e->gen = m->shapes_gen;
    }
    return err;
}

/* ac__data_of_query() through the thread's memo (a log repeats its query strings). */
static unsigned query_data(struct ac_pipe_memo *m, struct ac_slice q)
{
    struct ac_query_memo *e;
    uint64_t h;

    if (q.n == 0)
        return 0;
    if (m == NULL || q.n > AC_PIPE_QUERY_TEXT)
        return ac__data_of_query(q.p, q.n);
    h = XXH3_64bits(q.p, q.n);
    e = &m->queries[h & (AC_PIPE_QUERY_MEMO - 1)];
    if (e->len != q.n || e->hash != h || memcmp(e->text, q.p, q.n) != 0) {
        e->data = ac__data_of_query(q.p, q.n);
        e->hash = h;
        e->len = (uint16_t)q.n;
        memcpy(e->text, q.p, q.n);
    }
    return e->data;
}

/* ac__pipeline_request with strlen(p->host) (0 without --host) worked out by the caller, once
 * per buffer rather than once per line. */
static enum ac_err request_of(const struct ac_pipeline *p, size_t host_len,
                              const struct ac_request *r, struct ac_chunk *c)
{
    char pathbuf[AC_PATH_MAX + 16], tmpl[AC_PATH_MAX + 64], ver[64], shape[AC_SHAPE_MAX];
    struct ac_norm norm;
    struct ac_match m;
    struct ac_hit h;
    struct ac_slice host, client;
    bool client_public = false, client_known = false;
    uint64_t client_hash = 0;
    const void *root;
    const char *tok;
    size_t toklen;
    struct ac_pipe_memo *memo = c->memo;
    struct ac_addr_memo *ae;
    bool same_host;

    /* The client's entry of the address memo is fetched now and read after the path's work:
     * a random access into 64 KiB, its latency hidden. */
    client = ac__client_of(r);
    if (memo != NULL && client.n > 0) {
        client_hash = XXH3_64bits(client.p, client.n);
        PREFETCH(&memo->addr[client_hash & (AC_PIPE_ADDR_MEMO - 1)]);
    }
    if (r->method.n == 7 && memcmp(r->method.p, "CONNECT", 7) == 0 && r->target.n > 0 &&
        r->target.p[0] != '/' && r->target.p[0] != '*' &&
        memchr(r->target.p, '/', r->target.n) == NULL) {
        /* A proxy's CONNECT names an authority (host:443), not a path: the tunnel is the
         * request, counted on that host under the template "*". */
        memset(&norm, 0, sizeof(norm));
        norm.host = r->target;
        norm.path = "*";
        norm.path_len = 1;
    } else if (!ac__normalize(r->target, pathbuf, sizeof(pathbuf), &norm)) {
        c->bad++;
        return AC_OK;
    }
    host = r->host.n > 0 ? r->host : norm.host;
    if (host.n == 0 && p->host != NULL) {
        host.p = p->host;
        host.n = host_len;
    }
    host = host_only(host);
    /* Most requests of a log go to the previous request's host: validated and matched once. */
    same_host = memo != NULL && memo->root != NULL && host.n == memo->host_len &&
                (host.n == 0 || memcmp(host.p, memo->host, host.n) == 0);
    if (!same_host && !host_valid(host))
        host.n = 0;
    if (memo != NULL && client.n > 0) {
        ae = &memo->addr[client_hash & (AC_PIPE_ADDR_MEMO - 1)];
        if (ae->state == 0 || ae->hash != client_hash) {
            client_public = ac__addr_is_public(client.p, client.n, &client_known);
            ae->hash = client_hash;
            ae->state = !client_known ? 3 : client_public ? 2 : 1;
        }
        client_known = ae->state != 3;
        client_public = ae->state == 2;
    } else {
        client_public = ac__addr_is_public(client.p, client.n, &client_known);
    }
    /* Every field assigned, none left to an initialiser: a partial initialiser clears the whole
     * struct with a string instruction first (about 1% of a line's time). */
    h.host = host.p != NULL ? host.p : "";
    h.host_len = host.n;
    h.method = r->method.p;
    h.method_len = r->method.n;
    h.tmpl = NULL;
    h.tmpl_fixed = false;
    h.version = NULL;
    h.operation = -1;
    h.documented = false;
    h.outbound = p->outbound || !(same_host ? memo->ours : ours(p, host));
    h.is_static = false;
    h.path = norm.path;
    h.path_len = norm.path_len;
    h.query = norm.query;
    h.query_data = 0;
    h.req = r;
    h.client = client;
    h.client_hash = client_hash;
    h.client_hashed = memo != NULL && client.n > 0;
    h.client_public = client_public;
    h.client_known = client_known;
    c->requests++;
    /* Documented templates win over the static-asset rule (/contents/index.js is an API call). */
    if (same_host) {
        root = memo->root; /* the host of the previous request */
    } else {
        root = ac__matcher_root(p->matcher, h.host, h.host_len);
        if (memo != NULL && h.host_len < sizeof(memo->host)) {
            memcpy(memo->host, h.host, h.host_len);
            memo->host_len = h.host_len;
            memo->root = root;
            memo->ours = ours(p, host);
        }
    }
    if (ac__matcher_match_in(p->matcher, root, r->method.p, r->method.n, norm.path, norm.path_len,
                             &m)) {
        h.tmpl = m.tmpl;
        h.tmpl_fixed = true;
        h.version = m.version;
        h.operation = m.operation;
        h.documented = true;
    } else if (p->pins != NULL && ac__matcher_match(p->pins, NULL, 0, r->method.p, r->method.n,
                                                    norm.path, norm.path_len, &m)) {
        h.tmpl = m.tmpl; /* a pinned template (policy.paths.pin): used as it is */
        h.tmpl_fixed = true;
    } else if (norm.is_static) {
        c->static_requests++;
        h.is_static = true;
        h.method = "*";
        h.method_len = 1;
        h.tmpl = "*static*";
    } else {
        if (!ac__shape_of_path(norm.path, norm.path_len, p->date_versions, c->shapes != NULL, tmpl,
                               sizeof(tmpl)))
            memcpy(tmpl, "*toolong*", 10);
        h.tmpl = tmpl;
        if (c->shapes != NULL && tmpl[0] == '/') {
            enum ac_err err = shape_memo(c, h.host, h.host_len, tmpl, shape);

            if (err == AC_ENOMEM)
                return err;
            if (err == AC_OK)
                h.tmpl = shape;
        }
    }
    if (!h.is_static) /* static assets are only counted: their queries say nothing */
        h.query_data = query_data(memo, norm.query);
    if (!h.documented && !h.is_static) {
        if (ac__version_in_path(h.tmpl, p->date_versions, &tok, &toklen) && toklen < sizeof(ver)) {
            memcpy(ver, tok, toklen);
            ver[toklen] = '\0';
            h.version = ver;
        }
    }
    return ac__agg_add(c->agg, &h);
}

enum ac_err ac__pipeline_request(const struct ac_pipeline *p, const struct ac_request *r,
                                 struct ac_chunk *c)
{
    return request_of(p, p->host != NULL ? strlen(p->host) : 0, r, c);
}

static void note_bad(struct ac_chunk *c, uint64_t line, const char *why)
{
    c->bad++;
    if (c->nbad_first < AC_PIPE_BAD_KEPT) {
        c->bad_first[c->nbad_first].line = line;
        memcpy(c->bad_first[c->nbad_first].why, why, strnlen(why, 159));
        c->bad_first[c->nbad_first].why[strnlen(why, 159)] = '\0';
        c->nbad_first++;
    }
}

enum ac_err ac__pipeline_lines(const struct ac_pipeline *p, const struct ac_reader_ops *ops,
                               struct ac_reader *state, const char *buf, size_t len,
                               struct ac_chunk *c)
{
    const char *s = buf, *end = buf + len;
    struct ac_request r;
    char why[160];
    enum ac_err err = AC_OK;
    size_t host_len = p->host != NULL ? strlen(p->host) : 0;

    while (s < end && err == AC_OK) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl != NULL ? nl : end;
        size_t n = (size_t)(e - s);
        uint64_t before = c->bad;

        c->lines++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        /* No ac__request_clear(&r): every parse_line clears its output first, and a second
         * clear of the whole struct per line is measurable. */
        why[0] = '\0';
        switch (n == 0 ? AC_LINE_SKIP : ops->parse_line(state, s, n, &r, why, sizeof(why))) {
        case AC_LINE_REQUEST:
            err = request_of(p, host_len, &r, c);
            if (c->bad != before) {
                c->bad = before; /* counted by the request path: report it with its line */
                note_bad(c, c->lines, "the request target is not a path");
            }
            break;
        case AC_LINE_BAD:
            note_bad(c, c->lines, why[0] != '\0' ? why : "malformed line");
            break;
        case AC_LINE_SKIP:
        default:
            c->skipped++;
            break;
        }
        s = nl != NULL ? nl + 1 : end;
    }
    return err;
}
