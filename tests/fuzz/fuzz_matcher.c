/* fuzz_matcher.c - libFuzzer target for the template matcher, checked against a naive oracle.
 *
 * Input: lines up to the first empty line are documented operations "METHOD TEMPLATE [HOST]";
 * the lines after it are requests "METHOD PATH [HOST]". Every result is compared with a
 * brute-force matcher that tries each operation a host can see (its own and the hostless ones
 * when it has operations of its own, otherwise all): a match must be a template that matches the
 * path; no match means no template matches; an operation id must document the method on a
 * template matching the path; operation -1 means no such template exists. Each operation's
 * template, sent as a path with its method and host, must match with an operation. A violation
 * aborts.
 */
#include "matcher.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPS 256
#define MAX_REQS 512

struct tok {
    const char *p;
    size_t n;
};

struct line {
    struct tok method, text, host;
    bool has_host;
};

struct op {
    char *method, *tmpl, *host; /* host NULL when hostless */
    char key[256];              /* host key: lower case, no port, no trailing dot */
    size_t keylen;
};

static char *dup_tok(struct tok t)
{
    char *s = malloc(t.n + 1);

    if (s == NULL)
        abort();
    memcpy(s, t.p, t.n);
    s[t.n] = '\0';
    return s;
}

/* Split "A B [C]" at single spaces (the third token takes the rest). */
static bool split(const char *s, size_t n, struct line *l)
{
    const char *sp1 = memchr(s, ' ', n), *sp2;

    if (sp1 == NULL || sp1 == s)
        return false;
    l->method.p = s;
    l->method.n = (size_t)(sp1 - s);
    s = sp1 + 1;
    n -= l->method.n + 1;
    sp2 = memchr(s, ' ', n);
    l->text.p = s;
    l->text.n = sp2 != NULL ? (size_t)(sp2 - s) : n;
    l->has_host = sp2 != NULL;
    if (sp2 != NULL) {
        l->host.p = sp2 + 1;
        l->host.n = n - l->text.n - 1;
    }
    return true;
}

/* The oracle's own host key; a host longer than the key buffer gets no key. */
static size_t host_key(const char *h, size_t n, char *key)
{
    const char *c;
    size_t i;

    if (n > 0 && h[0] == '[') {
        c = memchr(h, ']', n);
        if (c != NULL)
            n = (size_t)(c - h) + 1;
    } else {
        c = memchr(h, ':', n);
        if (c != NULL && memchr(c + 1, ':', n - (size_t)(c - h) - 1) == NULL)
            n = (size_t)(c - h);
    }
    if (n > 1 && h[n - 1] == '.')
        n--;
    if (n > 255)
        return SIZE_MAX;
    for (i = 0; i < n; i++)
        key[i] = (char)((h[i] >= 'A' && h[i] <= 'Z') ? h[i] - 'A' + 'a' : h[i]);
    return n;
}

/* Does template segment t match path segment p? */
static bool seg_match(const char *t, size_t tn, const char *p, size_t pn)
{
    const char *open = memchr(t, '{', tn), *close;
    size_t pre, suf;

    if (open == NULL || (close = memchr(open, '}', tn - (size_t)(open - t))) == NULL)
        return tn == pn && memcmp(t, p, tn) == 0;
    if (memchr(close + 1, '{', tn - (size_t)(close - t) - 1) != NULL)
        return pn > 0;
    pre = (size_t)(open - t);
    suf = tn - (size_t)(close - t) - 1;
    return pn > pre + suf && memcmp(t, p, pre) == 0 && memcmp(t + tn - suf, p + pn - suf, suf) == 0;
}

static bool naive_match(const char *t, const char *p, size_t pn)
{
    size_t tn = strlen(t), ti = 1, pi = 1;

    if (pn == 0 || p[0] != '/' || t[0] != '/')
        return false;
    for (;;) {
        const char *ts = memchr(t + ti, '/', tn - ti), *ps = memchr(p + pi, '/', pn - pi);
        size_t te = ts != NULL ? (size_t)(ts - t) : tn, pe = ps != NULL ? (size_t)(ps - p) : pn;

        if (!seg_match(t + ti, te - ti, p + pi, pe - pi))
            return false;
        if ((ts == NULL) != (ps == NULL))
            return false;
        if (ts == NULL)
            return true;
        ti = te + 1;
        pi = pe + 1;
    }
}

/* Operations a request for host h sees. */
/* True when some operation has the host key `key` (the host has a trie of its own). */
static bool has_own(const struct op *ops, size_t nops, const char *key, size_t keylen)
{
    size_t k;

    for (k = 0; k < nops && keylen != 0; k++)
        if (ops[k].host != NULL && ops[k].keylen == keylen && memcmp(ops[k].key, key, keylen) == 0)
            return true;
    return false;
}

/* Whether operation o is seen by a request whose host key is `key`: everything for a host with
 * no operations of its own, else its own and the hostless ones. */
static bool visible(const struct op *o, bool own, const char *key, size_t keylen)
{
    return !own || o->host == NULL || (o->keylen == keylen && memcmp(o->key, key, keylen) == 0);
}

static void check(const struct ac_matcher *m, const struct op *ops, size_t nops, const char *method,
                  size_t mlen, const char *path, size_t pn, const char *host, size_t hn)
{
    struct ac_match r;
    char key[256];
    size_t keylen = host != NULL ? host_key(host, hn, key) : 0, i;
    bool ok = ac__matcher_match(m, host, hn, method, mlen, path, pn, &r);
    bool any = false, with_method = false, tmpl_seen = false, own;

    if (keylen == SIZE_MAX)
        return; /* the oracle does not model hosts this long */
    own = has_own(ops, nops, key, keylen);
    for (i = 0; i < nops; i++) {
        if (!visible(&ops[i], own, key, keylen) || !naive_match(ops[i].tmpl, path, pn))
            continue;
        any = true;
        if (strlen(ops[i].method) == mlen && memcmp(ops[i].method, method, mlen) == 0)
            with_method = true;
        if (ok && strcmp(ops[i].tmpl, r.tmpl) == 0)
            tmpl_seen = true;
    }
    if (ok != any || (ok && !tmpl_seen) || (ok && (r.operation >= 0) != with_method))
        abort();
    if (ok && r.operation >= 0) {
        const struct op *o;

        if ((size_t)r.operation >= nops)
            abort();
        o = &ops[r.operation];
        if (strlen(o->method) != mlen || memcmp(o->method, method, mlen) != 0 ||
            !naive_match(o->tmpl, path, pn) || !visible(o, own, key, keylen))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    struct ac_matcher *m = ac__matcher_new();
    struct op *ops = calloc(MAX_OPS, sizeof(*ops));
    size_t nops = 0, nreq = 0, i;
    bool requests = false;

    if (m == NULL || ops == NULL)
        goto out;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
        struct line l;

        if (n == 0) {
            requests = true;
        } else if (split(s, n, &l)) {
            if (!requests && nops < MAX_OPS) {
                struct op *o = &ops[nops];

                o->method = dup_tok(l.method);
                o->tmpl = dup_tok(l.text);
                o->host = l.has_host ? dup_tok(l.host) : NULL;
                if (ac__matcher_add(m, o->host, o->method, o->tmpl, NULL, (int64_t)nops) == AC_OK) {
                    o->keylen = o->host != NULL ? host_key(o->host, strlen(o->host), o->key) : 0;
                    if (o->keylen == SIZE_MAX) {
                        nops++;
                        goto out; /* a host too long for the oracle: stop here */
                    }
                    if (o->keylen == 0) { /* NULL, "" and ":port" are hostless */
                        free(o->host);
                        o->host = NULL;
                    }
                    nops++;
                } else {
                    free(o->method);
                    free(o->tmpl);
                    free(o->host);
                    memset(o, 0, sizeof(*o));
                }
            } else if (requests && nreq++ < MAX_REQS) {
                check(m, ops, nops, l.method.p, l.method.n, l.text.p, l.text.n,
                      l.has_host ? l.host.p : NULL, l.has_host ? l.host.n : 0);
            }
        }
        s += n + 1;
    }
    /* Every template, sent as a path, matches with an operation for its own method and host. */
    for (i = 0; i < nops; i++) {
        struct ac_match r;
        const char *h = ops[i].host;

        if (!ac__matcher_match(m, h, h != NULL ? strlen(h) : 0, ops[i].method,
                               strlen(ops[i].method), ops[i].tmpl, strlen(ops[i].tmpl), &r) ||
            r.operation < 0)
            abort();
        check(m, ops, nops, ops[i].method, strlen(ops[i].method), ops[i].tmpl, strlen(ops[i].tmpl),
              h, h != NULL ? strlen(h) : 0);
    }
    if (ac__matcher_size(m) > nops)
        abort();
out:
    if (ops != NULL) {
        for (i = 0; i < MAX_OPS; i++) {
            free(ops[i].method);
            free(ops[i].tmpl);
            free(ops[i].host);
        }
    }
    free(ops);
    ac__matcher_free(m);
    return 0;
}
