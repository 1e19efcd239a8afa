/* aggregate.c - per-thread observation tables (see aggregate.h).
 *
 * Keys (host, method, template) live in an open-addressing table of indexes into a growing array
 * of observations; every string is copied once into the aggregator's arena when its key is new.
 * Per-client counts for the busiest-client figure come from appending (observation index,
 * 64-bit hash of the client address) per request and sorting once per batch. Samples and query
 * names keep the smallest distinct values, which makes merging order-independent.
 */
#include "aggregate.h"

#include "arena.h"
#include "normalize.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* One request of one client to one observation. Requests are appended (a sequential write, no
 * table probing on the hot path) and counted by sorting when the aggregator is finished. */
struct pair {
    uint64_t client; /* hash of the client address */
    uint32_t obs;
    uint32_t count;
};

struct ac_agg {
    struct ac_arena *a;
    struct ac_obs *obs;
    size_t nobs, capobs;
    uint32_t *slots; /* obs index + 1; 0 = empty */
    size_t nslots;
    struct pair *pairs;
    size_t npairs, cappairs;
};

/* XXH3 of each part, combined; the parts' lengths keep ("ab","c") apart from ("a","bc"). */
static uint64_t key_hash(const char *host, size_t hl, const char *method, size_t ml,
                         const char *tmpl, size_t tl)
{
    uint64_t h = XXH3_64bits_withSeed(tmpl, tl, hl * 131 + ml);

    h ^= XXH3_64bits_withSeed(host, hl, h);
    h ^= XXH3_64bits_withSeed(method, ml, h) * 0x9E3779B97F4A7C15ull;
    return h;
}

struct ac_agg *ac__agg_new(void)
{
    struct ac_agg *a = calloc(1, sizeof(*a));

    if (a == NULL)
        return NULL;
    a->a = ac__arena_new(0);
    a->nslots = 1024;
    a->slots = calloc(a->nslots, sizeof(*a->slots));
    if (a->a == NULL || a->slots == NULL) {
        ac__agg_free(a);
        return NULL;
    }
    return a;
}

void ac__agg_free(struct ac_agg *a)
{
    if (a == NULL)
        return;
    ac__arena_free(a->a);
    free(a->obs);
    free(a->slots);
    free(a->pairs);
    free(a);
}

static bool eqn(const char *s, const char *p, size_t n)
{
    return strncmp(s, p, n) == 0 && s[n] == '\0';
}

static enum ac_err grow_slots(struct ac_agg *a)
{
    size_t n = a->nslots * 2, i;
    uint32_t *ns = calloc(n, sizeof(*ns));

    if (ns == NULL)
        return AC_ENOMEM;
    for (i = 0; i < a->nobs; i++) {
        size_t s = (size_t)a->obs[i].key_hash & (n - 1);

        while (ns[s] != 0)
            s = (s + 1) & (n - 1);
        ns[s] = (uint32_t)i + 1;
    }
    free(a->slots);
    a->slots = ns;
    a->nslots = n;
    return AC_OK;
}

static char *lower_copy(struct ac_arena *ar, const char *s, size_t n)
{
    char *c = ac__arena_strndup(ar, s, n);
    size_t i;

    for (i = 0; c != NULL && i < n; i++)
        if (c[i] >= 'A' && c[i] <= 'Z')
            c[i] = (char)(c[i] - 'A' + 'a');
    return c;
}

/* The observation for a key, created empty when new; NULL on ENOMEM. host must be lower-case. */
static struct ac_obs *lookup(struct ac_agg *a, const char *host, size_t hl, const char *method,
                             size_t ml, const char *tmpl, size_t tl, bool *created)
{
    uint64_t h = key_hash(host, hl, method, ml, tmpl, tl);
    size_t s = (size_t)h & (a->nslots - 1);
    struct ac_obs *o;

    for (; a->slots[s] != 0; s = (s + 1) & (a->nslots - 1)) {
        o = &a->obs[a->slots[s] - 1];
        if (o->key_hash == h && eqn(o->tmpl, tmpl, tl) && eqn(o->method, method, ml) &&
            eqn(o->host, host, hl)) {
            *created = false;
            return o;
        }
    }
    if (a->nobs == a->capobs) {
        size_t nc = a->capobs != 0 ? a->capobs * 2 : 256;
        struct ac_obs *no = realloc(a->obs, nc * sizeof(*no));

        if (no == NULL || nc > UINT32_MAX - 1)
            return NULL;
        a->obs = no;
        a->capobs = nc;
    }
    o = &a->obs[a->nobs];
    memset(o, 0, sizeof(*o));
    o->host = ac__arena_strndup(a->a, host, hl);
    o->method = ac__arena_strndup(a->a, method, ml);
    o->tmpl = ac__arena_strndup(a->a, tmpl, tl);
    if (o->host == NULL || o->method == NULL || o->tmpl == NULL)
        return NULL;
    o->operation = -1;
    o->first_seen = -1;
    o->last_seen = -1;
    o->key_hash = h;
    a->slots[s] = (uint32_t)(a->nobs + 1);
    a->nobs++;
    *created = true;
    if (a->nobs * 2 > a->nslots && grow_slots(a) != AC_OK)
        return NULL;
    return &a->obs[a->nobs - 1];
}

/* Insert s[0..n) into a sorted NULL-padded array of `cap` distinct strings, keeping the
 * smallest; the copy is made only when it is kept. */
static enum ac_err keep_smallest(struct ac_arena *ar, const char **arr, size_t cap, const char *s,
                                 size_t n)
{
    size_t i, k;
    int c = 1;

    /* Most values are larger than everything kept once the array is full: one comparison. */
    if (arr[cap - 1] != NULL && strncmp(arr[cap - 1], s, n) <= 0)
        return AC_OK;
    for (i = 0; i < cap && arr[i] != NULL; i++) {
        c = strncmp(arr[i], s, n);
        if (c == 0 && arr[i][n] == '\0')
            return AC_OK; /* already there */
        if (c > 0 || (c == 0 && arr[i][n] != '\0'))
            break;
    }
    if (i == cap)
        return AC_OK; /* larger than everything kept */
    for (k = cap - 1; k > i; k--)
        arr[k] = arr[k - 1];
    arr[i] = ac__arena_strndup(ar, s, n);
    return arr[i] != NULL ? AC_OK : AC_ENOMEM;
}

static enum ac_status_class status_class(int st)
{
    if (st >= 200 && st < 300)
        return AC_ST_2XX;
    if (st >= 300 && st < 400)
        return AC_ST_3XX;
    switch (st) {
    case 401:
        return AC_ST_401;
    case 403:
        return AC_ST_403;
    case 404:
        return AC_ST_404;
    case 429:
        return AC_ST_429;
    default:
        break;
    }
    if (st >= 400 && st < 500)
        return AC_ST_4XX;
    if (st >= 500 && st < 600)
        return AC_ST_5XX;
    return AC_ST_OTHER;
}

static enum ac_err count_pair(struct ac_agg *a, uint32_t obs, uint64_t client, uint32_t add)
{
    if (a->npairs == a->cappairs) {
        size_t n = a->cappairs != 0 ? a->cappairs * 2 : 4096;
        struct pair *np;

        if (a->npairs >= AC_AGG_MAX_PAIRS)
            return AC_OK; /* past the cap the busiest-client figure is a lower bound */
        np = realloc(a->pairs, n * sizeof(*np));
        if (np == NULL)
            return AC_ENOMEM;
        a->pairs = np;
        a->cappairs = n;
    }
    a->pairs[a->npairs].client = client;
    a->pairs[a->npairs].obs = obs;
    a->pairs[a->npairs].count = add;
    a->npairs++;
    return AC_OK;
}

enum ac_err ac__agg_add(struct ac_agg *a, const struct ac_hit *h)
{
    char hostbuf[256];
    size_t hl = h->host_len < sizeof(hostbuf) ? h->host_len : sizeof(hostbuf);
    struct ac_obs *o;
    bool created;
    size_t i, pos = 0;
    enum ac_err err = AC_OK;

    for (i = 0; i < hl; i++) {
        char c = h->host[i];

        hostbuf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    o = lookup(a, hostbuf, hl, h->method, h->method_len, h->tmpl, strlen(h->tmpl), &created);
    if (o == NULL)
        return AC_ENOMEM;
    if (created) {
        o->version =
            h->version != NULL ? ac__arena_strndup(a->a, h->version, strlen(h->version)) : NULL;
        o->operation = h->operation;
        o->documented = h->documented;
        o->outbound = h->outbound;
        o->is_static = h->is_static;
    }
    o->count++;
    if (h->req->time >= 0) {
        if (o->first_seen < 0 || h->req->time < o->first_seen)
            o->first_seen = h->req->time;
        if (h->req->time > o->last_seen)
            o->last_seen = h->req->time;
    }
    o->status[status_class(h->req->status)]++;
    if (h->req->credentials == AC_CRED_PRESENT)
        o->with_credentials++;
    else if (h->req->credentials == AC_CRED_NONE)
        o->without_credentials++;
    if (h->client_known) {
        if (h->client_public)
            o->public_clients++;
        else
            o->private_clients++;
    }
    o->headers |= h->req->resp_headers;
    if (h->is_static)
        return AC_OK; /* static assets are only counted */
    err = keep_smallest(a->a, o->samples, AC_AGG_SAMPLES, h->path,
                        h->path_len < AC_AGG_SAMPLE_MAX ? h->path_len : AC_AGG_SAMPLE_MAX);
    if (err == AC_OK && h->query.n > 0) {
        struct ac_slice name;

        while (err == AC_OK && ac__query_next_name(h->query, &pos, &name))
            if (name.n <= 64)
                err = keep_smallest(a->a, o->query, AC_AGG_QUERY_NAMES, name.p, name.n);
    }
    if (err == AC_OK && h->req->server.n > 0 && h->req->server.n < 128 &&
        (o->server == NULL || strncmp(o->server, h->req->server.p, h->req->server.n) > 0))
        o->server = lower_copy(a->a, h->req->server.p, h->req->server.n);
    if (err == AC_OK && h->req->powered.n > 0 && h->req->powered.n < 128 &&
        (o->powered_by == NULL || strncmp(o->powered_by, h->req->powered.p, h->req->powered.n) > 0))
        o->powered_by = lower_copy(a->a, h->req->powered.p, h->req->powered.n);
    if (err == AC_OK && h->client.n > 0)
        err = count_pair(a, (uint32_t)(o - a->obs), XXH3_64bits(h->client.p, h->client.n), 1);
    return err;
}

/* Strings of `from` copied into a's arena (NULL stays NULL). */
static const char *copy_str(struct ac_agg *a, const char *s)
{
    return s != NULL ? ac__arena_strndup(a->a, s, strlen(s)) : NULL;
}

/* Fold the counters and unions of add into o; strings kept by o are copied by the caller. */
void ac__obs_merge_into(struct ac_obs *o, const struct ac_obs *add)
{
    size_t i;

    o->count += add->count;
    if (add->first_seen >= 0 && (o->first_seen < 0 || add->first_seen < o->first_seen))
        o->first_seen = add->first_seen;
    if (add->last_seen > o->last_seen)
        o->last_seen = add->last_seen;
    for (i = 0; i < AC_ST_COUNT; i++)
        o->status[i] += add->status[i];
    o->with_credentials += add->with_credentials;
    o->without_credentials += add->without_credentials;
    o->public_clients += add->public_clients;
    o->private_clients += add->private_clients;
    if (add->busiest_client > o->busiest_client)
        o->busiest_client = add->busiest_client;
    o->headers |= add->headers;
    if (o->version == NULL)
        o->version = add->version;
    if (o->operation < 0)
        o->operation = add->operation;
    o->documented = o->documented || add->documented;
    if (add->server != NULL && (o->server == NULL || strcmp(add->server, o->server) < 0))
        o->server = add->server;
    if (add->powered_by != NULL &&
        (o->powered_by == NULL || strcmp(add->powered_by, o->powered_by) < 0))
        o->powered_by = add->powered_by;
}

/* Merge a sorted NULL-padded string array into another, keeping the smallest `cap`. */
static enum ac_err merge_sorted(struct ac_agg *a, const char **into, const char *const *from,
                                size_t cap)
{
    size_t i;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < cap && from[i] != NULL; i++)
        err = keep_smallest(a->a, into, cap, from[i], strlen(from[i]));
    return err;
}

enum ac_err ac__agg_merge(struct ac_agg *into, const struct ac_agg *from)
{
    size_t i;
    uint32_t *map = NULL;
    enum ac_err err = AC_OK;

    map = malloc((from->nobs + 1) * sizeof(*map));
    if (map == NULL)
        return AC_ENOMEM;
    for (i = 0; i < from->nobs && err == AC_OK; i++) {
        const struct ac_obs *f = &from->obs[i];
        struct ac_obs *o;
        bool created;

        o = lookup(into, f->host, strlen(f->host), f->method, strlen(f->method), f->tmpl,
                   strlen(f->tmpl), &created);
        if (o == NULL) {
            err = AC_ENOMEM;
            break;
        }
        if (created) {
            o->version = copy_str(into, f->version);
            o->operation = f->operation;
            o->documented = f->documented;
            o->outbound = f->outbound;
            o->is_static = f->is_static;
        }
        map[i] = (uint32_t)(o - into->obs);
        {
            struct ac_obs tmp = *f;

            tmp.server = copy_str(into, f->server);
            tmp.powered_by = copy_str(into, f->powered_by);
            tmp.version = NULL;
            ac__obs_merge_into(o, &tmp);
        }
        err = merge_sorted(into, o->samples, f->samples, AC_AGG_SAMPLES);
        if (err == AC_OK)
            err = merge_sorted(into, o->query, f->query, AC_AGG_QUERY_NAMES);
    }
    for (i = 0; err == AC_OK && i < from->npairs; i++)
        err =
            count_pair(into, map[from->pairs[i].obs], from->pairs[i].client, from->pairs[i].count);
    free(map);
    return err;
}

static int cmp_pair(const void *x, const void *y)
{
    const struct pair *p = x, *q = y;

    if (p->obs != q->obs)
        return p->obs < q->obs ? -1 : 1;
    if (p->client != q->client)
        return p->client < q->client ? -1 : 1;
    return 0;
}

void ac__agg_finish(struct ac_agg *a)
{
    size_t i = 0, j;

    /* Sorted by (observation, client), each run is one client's requests to one observation. */
    if (a->npairs > 1)
        qsort(a->pairs, a->npairs, sizeof(*a->pairs), cmp_pair);
    while (i < a->npairs) {
        uint64_t sum = 0;

        for (j = i; j < a->npairs && a->pairs[j].obs == a->pairs[i].obs &&
                    a->pairs[j].client == a->pairs[i].client;
             j++)
            sum += a->pairs[j].count;
        if (sum > a->obs[a->pairs[i].obs].busiest_client)
            a->obs[a->pairs[i].obs].busiest_client = sum;
        i = j;
    }
    a->npairs = 0;
}

size_t ac__agg_count(const struct ac_agg *a)
{
    return a->nobs;
}

const struct ac_obs *ac__agg_get(const struct ac_agg *a, size_t i)
{
    return &a->obs[i];
}

/* --- client addresses ------------------------------------------------------------------- */

static bool parse_v4(const char *s, size_t n, unsigned char out[4])
{
    size_t i = 0;
    int k;

    for (k = 0; k < 4; k++) {
        unsigned v = 0, digits = 0;

        while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(s[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || v > 255)
            return false;
        out[k] = (unsigned char)v;
        if (k < 3) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
    }
    return i == n;
}

static bool v4_private(const unsigned char b[4])
{
    return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xF0) == 16) ||
           (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
           (b[0] == 100 && (b[1] & 0xC0) == 64) || b[0] == 0;
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool ac__addr_is_public(const char *s, size_t n, bool *known)
{
    unsigned char b[4];
    size_t i, colons = 0;
    int first = 0, k;

    *known = false;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '"'))
        n--;
    while (n > 0 && (s[0] == ' ' || s[0] == '"')) {
        s++;
        n--;
    }
    if (n > 0 && s[0] == '[') { /* [v6]:port */
        const char *e = memchr(s, ']', n);

        if (e == NULL)
            return false;
        n = (size_t)(e - s - 1);
        s++;
    }
    for (i = 0; i < n; i++)
        colons += s[i] == ':';
    if (colons == 1) /* v4:port */
        n = (size_t)((const char *)memchr(s, ':', n) - s);
    if (colons <= 1) {
        if (!parse_v4(s, n, b))
            return false;
        *known = true;
        return !v4_private(b);
    }
    /* IPv6: the first 16 bits decide (fc00::/7 ULA, fe80::/10 link-local); ::1 loopback;
     * ::ffff:a.b.c.d is judged as IPv4. */
    for (i = 0; i < n; i++)
        if (hexv(s[i]) < 0 && s[i] != ':' && s[i] != '.' && s[i] != '%')
            return false;
    *known = true;
    if (n >= 7 && strncmp(s, "::ffff:", 7) == 0 && parse_v4(s + 7, n - 7, b))
        return !v4_private(b);
    if ((n == 3 && strncmp(s, "::1", 3) == 0) || (n == 2 && strncmp(s, "::", 2) == 0))
        return false;
    for (k = 0, i = 0; i < n && s[i] != ':' && k < 4; i++, k++)
        first = first * 16 + hexv(s[i]);
    if (s[0] == ':')
        first = 0;
    if ((first & 0xFE00) == 0xFC00 || (first & 0xFFC0) == 0xFE80)
        return false;
    return true;
}

struct ac_slice ac__client_of(const struct ac_request *r)
{
    struct ac_slice best = r->client, leftmost = {NULL, 0};
    const char *p = r->xff.p;
    size_t n = r->xff.n, end = n;

    if (n == 0 || (n == 1 && p[0] == '-'))
        return best;
    /* Scan entries from the right: proxies we trust append private addresses. */
    while (end > 0) {
        size_t start = end;
        bool known, pub;

        while (start > 0 && p[start - 1] != ',')
            start--;
        {
            size_t s = start, e = end;

            while (s < e && (p[s] == ' ' || p[s] == '"'))
                s++;
            while (e > s && (p[e - 1] == ' ' || p[e - 1] == '"'))
                e--;
            if (e > s) {
                pub = ac__addr_is_public(p + s, e - s, &known);
                if (known && pub) {
                    best.p = p + s;
                    best.n = e - s;
                    return best;
                }
                if (known) {
                    leftmost.p = p + s;
                    leftmost.n = e - s;
                }
            }
        }
        end = start > 0 ? start - 1 : 0;
    }
    return leftmost.n > 0 ? leftmost : best;
}
