/* probe_plan.c - the probe's input parsers (base URLs, --resolve entries, wordlists) and its
 * version arithmetic (the neighbours of v2, v2.7, 2024-06-01).
 *
 * Everything here takes untrusted text with its length and writes into bounded buffers; none of
 * it allocates except the wordlist's array. A fuzz target (tests/fuzz/fuzz_probe_input.c) runs
 * all of them on arbitrary bytes.
 */
#include "probe_run.h"

#include "version.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static bool is_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool prefix_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p), i;

    if (n < k)
        return false;
    for (i = 0; i < k; i++)
        if (lower(s[i]) != p[i])
            return false;
    return true;
}

/* DNS labels: none empty ("a..b"), none longer than 63 bytes. */
static bool labels_ok(const char *h, size_t n)
{
    size_t i, len = 0;

    for (i = 0; i < n; i++) {
        if (h[i] != '.') {
            if (++len > 63)
                return false;
        } else if (len == 0) {
            return false;
        } else {
            len = 0;
        }
    }
    return true;
}

/* An IPv4 or IPv6 address, the latter with or without brackets, as curl's --resolve takes. */
static bool addr_ok(const char *a, size_t n)
{
    char buf[64];
    unsigned char bin[sizeof(struct in6_addr)];

    if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
        a++;
        n -= 2;
        if (n == 0 || n >= sizeof(buf))
            return false;
        memcpy(buf, a, n);
        buf[n] = '\0';
        return inet_pton(AF_INET6, buf, bin) == 1;
    }
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, a, n);
    buf[n] = '\0';
    return inet_pton(AF_INET, buf, bin) == 1 || inet_pton(AF_INET6, buf, bin) == 1;
}

bool ac__probe_parse_url(const char *s, size_t n, struct ac__probe_url *out)
{
    struct ac__probe_url u;
    size_t i = 0, h = 0, b = 0;
    unsigned long port = 0;

    memset(&u, 0, sizeof(u));
    if (prefix_ci(s, n, "https://")) {
        u.https = true;
        i = 8;
    } else if (prefix_ci(s, n, "http://")) {
        i = 7;
    } else {
        return false;
    }
    for (; i < n && s[i] != ':' && s[i] != '/'; i++) {
        char c = lower(s[i]);

        if (!is_host_char(c) || h >= AC_PROBE_HOST_MAX)
            return false;
        u.host[h++] = c;
    }
    if (h == 0 || u.host[0] == '.' || u.host[h - 1] == '.' || u.host[0] == '-' ||
        !labels_ok(u.host, h))
        return false;
    if (i < n && s[i] == ':') {
        size_t digits = 0;

        for (i++; i < n && s[i] >= '0' && s[i] <= '9' && digits < 6; i++, digits++)
            port = port * 10 + (unsigned long)(s[i] - '0');
        if (digits == 0 || port == 0 || port > 65535)
            return false;
    }
    u.port = port != 0 ? (unsigned)port : (u.https ? 443u : 80u);
    if (i < n && s[i] != '/')
        return false;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#' || c == '\\' || b >= AC_PROBE_ROUTE_MAX)
            return false;
        if (c == '/' && b > 0 && u.base[b - 1] == '/')
            continue; /* "//" is one separator */
        u.base[b++] = (char)c;
    }
    while (b > 0 && u.base[b - 1] == '/')
        b--;
    u.base[b] = '\0';
    if (strstr(u.base, "/../") != NULL || (b >= 3 && strcmp(u.base + b - 3, "/..") == 0))
        return false;
    *out = u;
    return true;
}

bool ac__probe_parse_resolve(const char *s, size_t n, char *name, size_t ncap, unsigned *port,
                             char *addr, size_t acap)
{
    const char *c1 = memchr(s, ':', n), *c2, *a;
    size_t hn, an, i;
    unsigned long p = 0;

    if (c1 == NULL || c1 == s || ncap == 0 || acap == 0)
        return false;
    hn = (size_t)(c1 - s);
    if (hn >= ncap || hn > AC_PROBE_HOST_MAX)
        return false;
    for (i = 0; i < hn; i++)
        if (!is_host_char(lower(s[i])))
            return false;
    a = c1 + 1;
    c2 = memchr(a, ':', n - (size_t)(a - s));
    /* NAME:PORT:ADDR when what follows the first colon is a port and a colon */
    if (c2 != NULL && c2 > a && c2 - a <= 5) {
        const char *k;

        for (k = a; k < c2 && *k >= '0' && *k <= '9'; k++)
            p = p * 10 + (unsigned long)(*k - '0');
        if (k == c2 && p > 0 && p <= 65535)
            a = c2 + 1;
        else
            p = 0;
    }
    an = n - (size_t)(a - s);
    if (an == 0 || an >= acap || an > 64 || !addr_ok(a, an))
        return false;
    for (i = 0; i < hn; i++)
        name[i] = lower(s[i]);
    name[hn] = '\0';
    memcpy(addr, a, an);
    addr[an] = '\0';
    *port = (unsigned)p;
    return true;
}

void ac__probe_words_free(char **v, size_t n)
{
    size_t i;

    for (i = 0; v != NULL && i < n; i++)
        free(v[i]);
    free(v);
}

static bool route_ok(const char *p, size_t n)
{
    size_t i;

    if (n == 0 || n > AC_PROBE_ROUTE_MAX)
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\')
            return false;
    }
    /* the probe stays under the paths it was given: no dot segments */
    for (i = 0; i + 1 < n; i++)
        if (p[i] == '.' && p[i + 1] == '.' && (i == 0 || p[i - 1] == '/') &&
            (i + 2 == n || p[i + 2] == '/'))
            return false;
    return true;
}

enum ac_err ac__probe_words_parse(const char *text, size_t len, char ***out, size_t *n, size_t *bad,
                                  size_t *bad_line)
{
    char **v = NULL;
    size_t nv = 0, cap = 0, i = 0, lineno = 0;

    *out = NULL;
    *n = 0;
    *bad = 0;
    *bad_line = 0;
    while (i < len) {
        const char *line = text + i, *nl = memchr(line, '\n', len - i);
        size_t ln = nl != NULL ? (size_t)(nl - line) : len - i;
        size_t s = 0, e = ln;

        i += ln + (nl != NULL);
        lineno++;
        while (s < e && (line[s] == ' ' || line[s] == '\t'))
            s++;
        while (e > s && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r'))
            e--;
        if (s == e || line[s] == '#')
            continue;
        while (s < e && line[s] == '/')
            s++; /* "/admin" and "admin" are the same route */
        if (s == e || !route_ok(line + s, e - s) || nv >= AC_PROBE_WORDS_MAX) {
            if ((*bad)++ == 0)
                *bad_line = lineno;
            continue;
        }
        if (nv == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nvv = realloc(v, nc * sizeof(*nvv));

            if (nvv == NULL)
                goto oom;
            v = nvv;
            cap = nc;
        }
        if ((v[nv] = malloc(e - s + 2)) == NULL)
            goto oom;
        v[nv][0] = '/';
        memcpy(v[nv] + 1, line + s, e - s);
        v[nv][e - s + 1] = '\0';
        nv++;
    }
    *out = v;
    *n = nv;
    return AC_OK;
oom:
    ac__probe_words_free(v, nv);
    return AC_ENOMEM;
}

/* v2 -> v1, v3 (and v0 never); v5 -> v4 .. v1 (at most 4 before), v6; v2.7 -> v2.6, v2.8, v1,
 * v1.0; v4.0 -> v4.1, v3, v3.0; 1.25 -> 1.24, 1.26, 0 (no 0.0); dates -> the year before and the
 * first of the year. A prefix letter stays; a suffix (v1beta1) or a third part (2.0.1) yields
 * none. */
size_t ac__probe_siblings(const char *tok, size_t len, char out[][32], size_t cap)
{
    size_t k = 0, i = 0, nout = 0;
    unsigned long major = 0, minor = 0;
    bool has_minor = false;
    char pre[4] = "";

    if (len == 0 || len > 24)
        return 0;
    if (len == 10 && ac__is_date(tok, len)) {
        int y = (tok[0] - '0') * 1000 + (tok[1] - '0') * 100 + (tok[2] - '0') * 10 + (tok[3] - '0');

        if (y > 1 && nout < cap)
            snprintf(out[nout++], 32, "%04d%.6s", y - 1, tok + 4);
        if (memcmp(tok + 5, "01-01", 5) != 0 && nout < cap)
            snprintf(out[nout++], 32, "%.4s-01-01", tok);
        return nout;
    }
    if (tok[0] == 'v' || tok[0] == 'V') {
        pre[0] = tok[0];
        pre[1] = '\0';
        i = 1;
    }
    for (k = i; k < len && tok[k] >= '0' && tok[k] <= '9' && k - i < 6; k++)
        major = major * 10 + (unsigned long)(tok[k] - '0');
    if (k == i)
        return 0;
    if (k < len && tok[k] == '.') {
        size_t m = k + 1;

        for (k = m; k < len && tok[k] >= '0' && tok[k] <= '9' && k - m < 6; k++)
            minor = minor * 10 + (unsigned long)(tok[k] - '0');
        if (k == m)
            return 0;
        has_minor = true;
    }
    if (k != len)
        return 0; /* v1beta1, 2.0.1: no arithmetic, the wordlist and the docs still cover them */
    if (has_minor) {
        if (minor > 0 && nout < cap)
            snprintf(out[nout++], 32, "%s%lu.%lu", pre, major, minor - 1);
        if (nout < cap)
            snprintf(out[nout++], 32, "%s%lu.%lu", pre, major, minor + 1);
        if (major > 0 && nout < cap)
            snprintf(out[nout++], 32, "%s%lu", pre, major - 1);
        if (major > 1 && nout < cap)
            snprintf(out[nout++], 32, "%s%lu.0", pre, major - 1);
    } else {
        unsigned long v;

        /* every earlier version down to 1 (v0 only when the API counts from 0), and the next */
        for (v = major; v-- > 1 && nout < cap && major - v <= 4;)
            snprintf(out[nout++], 32, "%s%lu", pre, v);
        if (nout < cap)
            snprintf(out[nout++], 32, "%s%lu", pre, major + 1);
    }
    return nout;
}
