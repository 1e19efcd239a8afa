/* aggregate.c - per-thread observation tables (see aggregate.h).
 *
 * Keys (host, method, template) live in an open-addressing table of (index, hash tag) into a
 * growing array of observations, with each key's (host, method) number and template length
 * beside it, so a probe touches neither the observation nor its strings unless the tags agree.
 * Each distinct (host, method) is interned once (its strings shared by its observations) and the
 * previous request's is remembered, since most requests of a log share them: a request costs one
 * hash of its template and one memcmp, and a documented one (its template the matcher's, at an
 * address that names it) not even that: its observation is remembered by the template's address
 * in a direct-mapped cache. Strings are copied into the aggregator's arena when new.
 * Per-client counts for the busiest-client figure come from appending (observation index, 64-bit
 * hash of the client address) per request and grouping once per batch (see compact()).
 * Samples and query names keep the smallest distinct values, which makes merging
 * order-independent.
 */
#include "aggregate.h"

#include "arena.h"
#include "dataclass.h"
#include "hex.h"
#include "normalize.h"
#include "vmem.h"

#include <pthread.h>
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

/* A slot of an open-addressing table: index + 1 into an array (0 = empty), and the high half of
 * the entry's hash, so a probe reads the array only when the tags agree. */
struct slot {
    uint32_t idx;
    uint32_t tag;
};

/* A distinct (host, method) of the aggregator: the strings every observation of it shares. */
struct hmpair {
    const char *host, *method;
    size_t hl, ml;
    uint64_t hash;
};

/* The key of an observation, beside a->obs (same index): its hmpair and template length. */
struct okey {
    uint32_t hm;
    uint32_t tl;
};

#define RECENT 4096                      /* entries of the recent-pairs cache (a power of two) */
#define KEEP_PAIRS (1u << 20)            /* records whose memory a reset keeps for the next batch */
#define PAIRS_MAX (AC_AGG_MAX_PAIRS / 2) /* records of one half */
#define FIXED 4096                       /* entries of the fixed-template cache (a power of two) */
#define HOST_MAX 256                     /* bytes of a host kept in a key (longer hosts are cut) */
#define METHOD_MEMO 32 /* longest method remembered from one request to the next */

struct ac_agg {
    struct ac_arena *a;
    struct ac_obs *obs;
    struct okey *keys;
    size_t nobs, capobs;
    struct slot *slots;
    size_t nslots;
    struct hmpair *hms;
    size_t nhms, caphms;
    struct slot *hmslots;
    size_t nhmslots;
    /* The records, in two halves by the client hash's top bit (a pair of one client and one
     * observation is always in one half), so the two are grouped by two threads at once. */
    struct pairs {
        struct pair *v; /* PAIRS_MAX reserved (vmem.h) on the first record, else NULL */
        size_t n;
        struct pair *sorted; /* the records by bucket, for compact(); reserved as v */
        /* Records of other aggregators merged by reference (ac__agg_merge_ref()), read where
         * they are by compact(), their observations through `map`. */
        struct pair_src {
            const struct pair *v;
            size_t n;
            const uint32_t *map;
        } src[AC_AGG_REF_SOURCES];
        size_t nsrc;
    } pairs[2];
    uint32_t *maps[AC_AGG_REF_SOURCES]; /* the observation maps of those merges (owned) */
    size_t nmaps;
    struct ac_hour *hours; /* requests per (observation, hour), evicted from the obs' slots */
    size_t nhours, caphours;
    /* Recent (observation, client) pairs with their counts, direct-mapped: a client's repeated
     * requests to one endpoint become one record when evicted, not one each. */
    struct pair recent[RECENT];
    /* Observations of fixed templates (ac_hit.tmpl_fixed) by (template address, hmpair),
     * direct-mapped: a documented request then hashes no string to find its observation. */
    struct {
        const char *tmpl; /* NULL: empty */
        uint32_t hm, idx;
    } fixed[FIXED];
    /* The previous request's (host, method) as given (last_hl = SIZE_MAX: none) and its hmpair:
     * most requests of a log share them, so most requests skip lower-casing and hashing. */
    char last_host[HOST_MAX], last_method[METHOD_MEMO];
    size_t last_hl, last_ml;
    uint32_t last_hm;
};

/* Hash of (host, method): XXH3 includes the length, so ("ab","c") and ("a","bc") differ. */
static uint64_t hm_hash(const char *host, size_t hl, const char *method, size_t ml)
{
    return XXH3_64bits_withSeed(method, ml,
                                XXH3_64bits_withSeed(host, hl, 0) + 0x9E3779B97F4A7C15u);
}

static uint64_t key_hash(uint64_t hm, const char *tmpl, size_t tl)
{
    return XXH3_64bits_withSeed(tmpl, tl, hm);
}

/* Forget the records merged by reference, and their maps. */
static void drop_sources(struct ac_agg *a)
{
    size_t i;

    for (i = 0; i < a->nmaps; i++)
        free(a->maps[i]);
    a->nmaps = 0;
    a->pairs[0].nsrc = a->pairs[1].nsrc = 0;
}

struct ac_agg *ac__agg_new(void)
{
    struct ac_agg *a = calloc(1, sizeof(*a));

    if (a == NULL)
        return NULL;
    a->a = ac__arena_new(0);
    a->last_hl = SIZE_MAX;
    a->nslots = 1024;
    a->slots = calloc(a->nslots, sizeof(*a->slots));
    a->nhmslots = 16;
    a->hmslots = calloc(a->nhmslots, sizeof(*a->hmslots));
    if (a->a == NULL || a->slots == NULL || a->hmslots == NULL) {
        ac__agg_free(a);
        return NULL;
    }
    return a;
}

void ac__agg_free(struct ac_agg *a)
{
    unsigned k;

    if (a == NULL)
        return;
    drop_sources(a);
    ac__arena_free(a->a);
    free(a->obs);
    free(a->keys);
    free(a->slots);
    free(a->hms);
    free(a->hmslots);
    for (k = 0; k < 2; k++) {
        ac__vmem_release(a->pairs[k].v, PAIRS_MAX * sizeof(struct pair));
        ac__vmem_release(a->pairs[k].sorted, PAIRS_MAX * sizeof(struct pair));
    }
    free(a->hours);
    free(a);
}

void ac__agg_reset(struct ac_agg *a)
{
    unsigned k;

    drop_sources(a);
    ac__arena_reset(a->a);
    a->nobs = 0;
    a->nhms = 0;
    for (k = 0; k < 2; k++) {
        struct pairs *ps = &a->pairs[k];

        ps->n = 0;
        /* A big batch's records: their memory given back, not kept idle. */
        ac__vmem_trim(ps->v, KEEP_PAIRS / 2 * sizeof(struct pair), PAIRS_MAX * sizeof(struct pair));
        ac__vmem_trim(ps->sorted, 0, PAIRS_MAX * sizeof(struct pair));
    }
    a->nhours = 0;
    a->last_hl = SIZE_MAX;
    memset(a->recent, 0, sizeof(a->recent));
    memset(a->fixed, 0, sizeof(a->fixed));
    memset(a->slots, 0, a->nslots * sizeof(*a->slots));
    memset(a->hmslots, 0, a->nhmslots * sizeof(*a->hmslots));
}

/* Slots of a table of `n` entries (n a power of two, twice the entries at most), rebuilt from
 * their hashes; NULL on ENOMEM. */
static struct slot *rehash(size_t n, size_t count, const void *arr, size_t size, size_t hash_at)
{
    struct slot *ns = calloc(n, sizeof(*ns));
    size_t i, s;
    uint64_t h;

    if (ns == NULL)
        return NULL;
    for (i = 0; i < count; i++) {
        memcpy(&h, (const char *)arr + i * size + hash_at, sizeof(h));
        for (s = (size_t)h & (n - 1); ns[s].idx != 0; s = (s + 1) & (n - 1))
            ;
        ns[s].idx = (uint32_t)i + 1;
        ns[s].tag = (uint32_t)(h >> 32);
    }
    return ns;
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

/* The index of (host, method) in a->hms, added when new; UINT32_MAX on ENOMEM. host must be
 * lower-case. */
static uint32_t intern_hm(struct ac_agg *a, const char *host, size_t hl, const char *method,
                          size_t ml)
{
    uint64_t h = hm_hash(host, hl, method, ml);
    size_t s = (size_t)h & (a->nhmslots - 1);
    uint32_t tag = (uint32_t)(h >> 32);
    struct hmpair *e;

    for (; a->hmslots[s].idx != 0; s = (s + 1) & (a->nhmslots - 1)) {
        e = &a->hms[a->hmslots[s].idx - 1];
        if (a->hmslots[s].tag == tag && e->hl == hl && e->ml == ml &&
            memcmp(e->host, host, hl) == 0 && memcmp(e->method, method, ml) == 0)
            return a->hmslots[s].idx - 1;
    }
    if (a->nhms == a->caphms) {
        size_t nc = a->caphms != 0 ? a->caphms * 2 : 16;
        struct hmpair *nh = nc < UINT32_MAX - 1 ? realloc(a->hms, nc * sizeof(*nh)) : NULL;

        if (nh == NULL)
            return UINT32_MAX;
        a->hms = nh;
        a->caphms = nc;
    }
    e = &a->hms[a->nhms];
    e->host = ac__arena_strndup(a->a, host, hl);
    e->method = ac__arena_strndup(a->a, method, ml);
    if (e->host == NULL || e->method == NULL)
        return UINT32_MAX;
    e->hl = hl;
    e->ml = ml;
    e->hash = h;
    a->hmslots[s].idx = (uint32_t)a->nhms + 1;
    a->hmslots[s].tag = tag;
    a->nhms++;
    if (a->nhms * 2 > a->nhmslots) {
        struct slot *ns = rehash(a->nhmslots * 2, a->nhms, a->hms, sizeof(*a->hms),
                                 offsetof(struct hmpair, hash));

        if (ns == NULL)
            return UINT32_MAX;
        free(a->hmslots);
        a->hmslots = ns;
        a->nhmslots *= 2;
    }
    return (uint32_t)a->nhms - 1;
}

/* Room for one more observation. */
static bool grow_obs(struct ac_agg *a)
{
    size_t nc = a->capobs != 0 ? a->capobs * 2 : 256;
    struct ac_obs *no;
    struct okey *nk;

    if (nc > UINT32_MAX - 1)
        return false;
    no = realloc(a->obs, nc * sizeof(*no));
    if (no == NULL)
        return false;
    a->obs = no;
    nk = realloc(a->keys, nc * sizeof(*nk));
    if (nk == NULL)
        return false;
    a->keys = nk;
    a->capobs = nc;
    return true;
}

/* The observation for (hms[hm], template), created empty when new; NULL on ENOMEM. A template
 * longer than 4 GiB is never found again (a new observation each time), never wrong. */
static struct ac_obs *lookup(struct ac_agg *a, uint32_t hm, const char *tmpl, size_t tl,
                             bool *created)
{
    uint64_t h = key_hash(a->hms[hm].hash, tmpl, tl);
    size_t s = (size_t)h & (a->nslots - 1);
    uint32_t tag = (uint32_t)(h >> 32);
    struct ac_obs *o;

    for (; a->slots[s].idx != 0; s = (s + 1) & (a->nslots - 1)) {
        const struct okey *k = &a->keys[a->slots[s].idx - 1];

        if (a->slots[s].tag == tag && k->hm == hm && k->tl == tl &&
            memcmp(a->obs[a->slots[s].idx - 1].tmpl, tmpl, tl) == 0) {
            *created = false;
            return &a->obs[a->slots[s].idx - 1];
        }
    }
    if (a->nobs == a->capobs && !grow_obs(a))
        return NULL;
    a->keys[a->nobs].hm = hm;
    a->keys[a->nobs].tl = (uint32_t)tl;
    o = &a->obs[a->nobs];
    memset(o, 0, sizeof(*o));
    o->host = a->hms[hm].host;
    o->method = a->hms[hm].method;
    o->tmpl = ac__arena_strndup(a->a, tmpl, tl);
    if (o->tmpl == NULL)
        return NULL;
    o->operation = -1;
    o->first_seen = -1;
    o->last_seen = -1;
    o->key_hash = h;
    a->slots[s].idx = (uint32_t)(a->nobs + 1);
    a->slots[s].tag = tag;
    a->nobs++;
    *created = true;
    if (a->nobs * 2 > a->nslots) {
        struct slot *ns = rehash(a->nslots * 2, a->nobs, a->obs, sizeof(*a->obs),
                                 offsetof(struct ac_obs, key_hash));

        if (ns == NULL)
            return NULL;
        free(a->slots);
        a->slots = ns;
        a->nslots *= 2;
    }
    return &a->obs[a->nobs - 1];
}

/* The hmpair of a request, through the one remembered from the previous request; UINT32_MAX on
 * ENOMEM. Keys are C strings: the host is lower-cased, cut at HOST_MAX bytes and at a NUL, and the
 * method cut at a NUL. */
static uint32_t hit_hm(struct ac_agg *a, const struct ac_hit *h)
{
    size_t hl = h->host_len < HOST_MAX ? h->host_len : HOST_MAX, ml = h->method_len, kl, kml, i;
    char lower[HOST_MAX];
    const char *z;
    uint32_t hm;

    if (hl == a->last_hl && ml == a->last_ml && memcmp(h->host, a->last_host, hl) == 0 &&
        memcmp(h->method, a->last_method, ml) == 0)
        return a->last_hm;
    z = memchr(h->host, '\0', hl);
    kl = z != NULL ? (size_t)(z - h->host) : hl;
    for (i = 0; i < kl; i++) {
        char c = h->host[i];

        lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    z = memchr(h->method, '\0', ml);
    kml = z != NULL ? (size_t)(z - h->method) : ml;
    hm = intern_hm(a, lower, kl, h->method, kml);
    a->last_hl = SIZE_MAX;
    if (hm != UINT32_MAX && ml <= METHOD_MEMO) {
        memcpy(a->last_host, h->host, hl);
        memcpy(a->last_method, h->method, ml);
        a->last_hl = hl;
        a->last_ml = ml;
        a->last_hm = hm;
    }
    return hm;
}

/* The string kept against s[0..n), which holds no NUL, as strcmp() orders them (a proper prefix
 * is the smaller); 0 only when they are equal. Inline: the strings compared here are short and
 * usually differ early. */
static int cmp_kept(const char *kept, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char x = (unsigned char)kept[i], y = (unsigned char)s[i];

        if (x != y)
            return x < y ? -1 : 1; /* the end of kept (its NUL) is below any byte of s */
        if (x == '\0')
            return 0; /* s holds a NUL after all (keep_name()'s may): never read past kept */
    }
    return kept[n] != '\0';
}

/* The first 8 bytes of s[0..n) as a big-endian number, zero-padded: two strings without NUL
 * bytes compare as these do, when these differ. */
static uint64_t key8(const char *s, size_t n)
{
    uint64_t k = 0;
    size_t i;

    for (i = 0; i < 8; i++)
        k = k << 8 | (i < n ? (unsigned char)s[i] : 0u);
    return k;
}

/* Insert s[0..n) (no NUL in it) into a sorted NULL-padded array of `cap` distinct strings,
 * keeping the smallest; *present when it is there already. The copy is made only when it is
 * kept. With `floor` (the last string kept: its key8(), its length, and how many are kept;
 * brought up to date here), the usual values (larger than everything kept, or the last string
 * again) are told by comparing two numbers, or with one memcmp when their first bytes agree,
 * and never walk the array. */
static enum ac_err keep_smallest_at(struct ac_arena *ar, const char **arr, size_t cap,
                                    const char *s, size_t n, bool *present,
                                    struct ac_samples_floor *floor)
{
    size_t i = 0, k;
    int c;
    bool append = false;

    if (floor != NULL && floor->n > 0) {
        uint64_t head = key8(s, n);

        /* c: the last string kept against s, as cmp_kept() says */
        c = head > floor->key   ? -1
            : head < floor->key ? 1
                                : memcmp(arr[floor->n - 1], s, floor->len < n ? floor->len : n);
        if (c == 0)
            c = floor->len == n ? 0 : floor->len < n ? -1 : 1;
        if (c == 0)
            *present = true;
        if (c == 0 || (c < 0 && floor->n == cap))
            return AC_OK;
        append = c < 0; /* after the last one kept: no walk */
        i = append ? floor->n : 0;
    } else if (arr[cap - 1] != NULL && (c = cmp_kept(arr[cap - 1], s, n)) <= 0) {
        *present = c == 0;
        return AC_OK; /* most values are larger than everything kept: one comparison */
    }
    for (; !append && i < cap && arr[i] != NULL; i++) {
        c = cmp_kept(arr[i], s, n);
        if (c == 0) {
            *present = true;
            return AC_OK; /* already there */
        }
        if (c > 0)
            break;
    }
    if (i == cap)
        return AC_OK; /* larger than everything kept */
    for (k = cap - 1; k > i; k--)
        arr[k] = arr[k - 1];
    arr[i] = ac__arena_strndup(ar, s, n);
    if (arr[i] == NULL)
        return AC_ENOMEM;
    if (floor != NULL) { /* one more kept, or the last one pushed out */
        floor->n = floor->n < cap ? floor->n + 1 : cap;
        floor->len = strlen(arr[floor->n - 1]);
        floor->key = key8(arr[floor->n - 1], floor->len);
    }
    return AC_OK;
}

static enum ac_err keep_smallest(struct ac_arena *ar, const char **arr, size_t cap, const char *s,
                                 size_t n, struct ac_samples_floor *floor)
{
    bool present = false;

    return keep_smallest_at(ar, arr, cap, s, n, &present, floor);
}

/* keep_smallest() into o's query names, their array made on first use; a name not kept yet
 * adds its data classes (a kept one added them when it came). */
static enum ac_err keep_query(struct ac_agg *a, struct ac_obs *o, const char *s, size_t n)
{
    bool present = false;
    const char *z;
    enum ac_err err;

    if (o->query == NULL) {
        o->query = ac__arena_alloc(a->a, AC_AGG_QUERY_NAMES * sizeof(*o->query));
        if (o->query == NULL)
            return AC_ENOMEM;
    }
    z = memchr(s, '\0', n); /* a name is a C string once kept: cut at a NUL of the line */
    if (z != NULL)
        n = (size_t)(z - s);
    if (n == 0)
        return AC_OK;
    err = keep_smallest_at(a->a, o->query, AC_AGG_QUERY_NAMES, s, n, &present, &o->query_floor);
    if (!present)
        o->data |= ac__data_of_name(s, n);
    return err;
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

/* Room in half ps for the most records it may hold: reserved with the first one, never moved. */
static bool reserve_pairs(struct pairs *ps)
{
    if (ps->v == NULL)
        ps->v = ac__vmem_reserve(PAIRS_MAX * sizeof(*ps->v));
    return ps->v != NULL;
}

static enum ac_err append_pair(struct ac_agg *a, uint32_t obs, uint64_t client, uint32_t add)
{
    struct pairs *ps = &a->pairs[client >> 63];

    if (ps->n >= PAIRS_MAX)
        return AC_OK; /* past the cap the busiest-client figure is a lower bound */
    if (ps->v == NULL && !reserve_pairs(ps))
        return AC_ENOMEM;
    ps->v[ps->n].client = client;
    ps->v[ps->n].obs = obs;
    ps->v[ps->n].count = add;
    ps->n++;
    return AC_OK;
}

static enum ac_err append_hour(struct ac_agg *a, uint32_t obs, int64_t hour, uint32_t add)
{
    if (a->nhours == a->caphours) {
        size_t n = a->caphours != 0 ? a->caphours * 2 : 1024;
        struct ac_hour *nh;

        if (a->nhours >= AC_AGG_MAX_HOURS)
            return AC_OK; /* past the cap the timeline misses the rest of the batch */
        nh = realloc(a->hours, n * sizeof(*nh));
        if (nh == NULL)
            return AC_ENOMEM;
        a->hours = nh;
        a->caphours = n;
    }
    a->hours[a->nhours].hour = hour;
    a->hours[a->nhours].obs = obs;
    a->hours[a->nhours].count = add;
    a->nhours++;
    return AC_OK;
}

/* Count `add` requests of observation o (index obs) in an hour: each observation counts two
 * hours at once (an even and an odd one), so a log in time order, even with lines a little out
 * of order around the hour, writes one record per observation and hour. */
static enum ac_err count_hour(struct ac_agg *a, struct ac_obs *o, uint32_t obs, int64_t hour,
                              uint32_t add)
{
    unsigned k = (unsigned)(hour & 1);
    enum ac_err err = AC_OK;

    if (o->hour_n[k] != 0 && o->hour_at[k] == hour && o->hour_n[k] <= UINT32_MAX - add) {
        o->hour_n[k] += add;
        return AC_OK;
    }
    if (o->hour_n[k] != 0)
        err = append_hour(a, obs, o->hour_at[k], o->hour_n[k]);
    o->hour_at[k] = hour;
    o->hour_n[k] = add;
    return err;
}

/* Count `add` requests of a client to an observation: in the recent-pairs cache, whose evicted
 * entry is appended to the records. */
static enum ac_err count_pair(struct ac_agg *a, uint32_t obs, uint64_t client, uint32_t add)
{
    struct pair *e =
        &a->recent[(client ^ ((uint64_t)obs * 0x9E3779B97F4A7C15u)) >> 52 & (RECENT - 1)];
    enum ac_err err = AC_OK;

    if (e->count != 0 && e->client == client && e->obs == obs && e->count <= UINT32_MAX - add) {
        e->count += add;
        return AC_OK;
    }
    if (e->count != 0)
        err = append_pair(a, e->obs, e->client, e->count);
    e->client = client;
    e->obs = obs;
    e->count = add;
    return err;
}

/* Move the recent-pairs cache into the records. */
static enum ac_err spill_recent(struct ac_agg *a)
{
    size_t i;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < RECENT; i++)
        if (a->recent[i].count != 0) {
            err = append_pair(a, a->recent[i].obs, a->recent[i].client, a->recent[i].count);
            a->recent[i].count = 0;
        }
    return err;
}

/* Keep the smallest of *kept and s[0..n) (copied into the arena, lower-cased when asked). */
static enum ac_err keep_name(struct ac_agg *a, const char **kept, const char *s, size_t n,
                             bool lower)
{
    char *c;

    if (n == 0 || n > 64 || (*kept != NULL && cmp_kept(*kept, s, n) < 0))
        return AC_OK;
    c = lower ? lower_copy(a->a, s, n) : ac__arena_strndup(a->a, s, n);
    if (c == NULL)
        return AC_ENOMEM;
    if (*kept == NULL || strcmp(c, *kept) < 0)
        *kept = c;
    return AC_OK;
}

/* o's body shapes, made (empty) on first use. */
static struct ac_bodies *bodies_of(struct ac_agg *a, struct ac_obs *o)
{
    if (o->bodies == NULL) {
        o->bodies = ac__arena_alloc(a->a, sizeof(*o->bodies));
        if (o->bodies != NULL) {
            ac__jshape_init(&o->bodies->req);
            ac__jshape_init(&o->bodies->resp);
        }
    }
    return o->bodies;
}

/* The exact status code, the security schemes with their key names, and the body shapes. */
static enum ac_err add_extras(struct ac_agg *a, struct ac_obs *o, const struct ac_request *r)
{
    enum ac_err err = AC_OK;

    if (r->status >= 100 && r->status < 100 + 64 * AC_AGG_CODE_WORDS)
        o->codes[(r->status - 100) / 64] |= (uint64_t)1 << ((r->status - 100) % 64);
    o->auth |= r->auth;
    if (r->auth_header.n > 0)
        err = keep_name(a, &o->auth_header, r->auth_header.p, r->auth_header.n, true);
    if (err == AC_OK && r->auth_query.n > 0)
        err = keep_name(a, &o->auth_query, r->auth_query.p, r->auth_query.n, false);
    if (err == AC_OK && r->auth_cookie.n > 0)
        err = keep_name(a, &o->auth_cookie, r->auth_cookie.p, r->auth_cookie.n, false);
    if (err == AC_OK && (r->req_body.n > 0 || r->resp_body.n > 0)) {
        struct ac_bodies *b = bodies_of(a, o);

        if (b == NULL)
            return AC_ENOMEM;
        if (r->req_body.n > 0)
            (void)ac__jshape_add_json(&b->req, r->req_body.p, r->req_body.n);
        if (r->resp_body.n > 0)
            (void)ac__jshape_add_json(&b->resp, r->resp_body.p, r->resp_body.n);
    }
    return err;
}

enum ac_err ac__agg_add(struct ac_agg *a, const struct ac_hit *h)
{
    uint32_t hm;
    struct ac_obs *o;
    bool created;
    size_t pos = 0, f;
    enum ac_err err = AC_OK;

    hm = hit_hm(a, h);
    if (hm == UINT32_MAX)
        return AC_ENOMEM;
    f = (size_t)((((uint64_t)(uintptr_t)h->tmpl >> 3) ^ hm) * 0x9E3779B97F4A7C15u >> 52) &
        (FIXED - 1);
    if (h->tmpl_fixed && a->fixed[f].tmpl == h->tmpl && a->fixed[f].hm == hm) {
        o = &a->obs[a->fixed[f].idx];
        created = false;
    } else {
        o = lookup(a, hm, h->tmpl, strlen(h->tmpl), &created);
        if (o == NULL)
            return AC_ENOMEM;
        if (h->tmpl_fixed) { /* remembered by the template's address from now on */
            a->fixed[f].tmpl = h->tmpl;
            a->fixed[f].hm = hm;
            a->fixed[f].idx = (uint32_t)(o - a->obs);
        }
    }
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
        err = count_hour(a, o, (uint32_t)(o - a->obs), h->req->time / 3600, 1);
        if (err != AC_OK)
            return err;
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
    o->data |= h->req->data;
    if (h->is_static)
        return AC_OK; /* static assets are only counted */
    err = keep_smallest(a->a, o->samples, AC_AGG_SAMPLES, h->path,
                        h->path_len < AC_AGG_SAMPLE_MAX ? h->path_len : AC_AGG_SAMPLE_MAX,
                        &o->samples_floor);
    if (err == AC_OK && h->query.n > 0) {
        struct ac_slice name;

        while (err == AC_OK && ac__query_next_name(h->query, &pos, &name))
            if (name.n <= 64)
                err = keep_query(a, o, name.p, name.n);
        o->data |= h->query_data;
    }
    if (err == AC_OK && h->req->server.n > 0 && h->req->server.n < 128 &&
        (o->server == NULL || strncmp(o->server, h->req->server.p, h->req->server.n) > 0))
        o->server = lower_copy(a->a, h->req->server.p, h->req->server.n);
    if (err == AC_OK && h->req->powered.n > 0 && h->req->powered.n < 128 &&
        (o->powered_by == NULL || strncmp(o->powered_by, h->req->powered.p, h->req->powered.n) > 0))
        o->powered_by = lower_copy(a->a, h->req->powered.p, h->req->powered.n);
    if (err == AC_OK)
        err = add_extras(a, o, h->req);
    if (err == AC_OK && h->client.n > 0)
        err = count_pair(a, (uint32_t)(o - a->obs),
                         h->client_hashed ? h->client_hash : XXH3_64bits(h->client.p, h->client.n),
                         1);
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
    o->data |= add->data;
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
    for (i = 0; i < AC_AGG_CODE_WORDS; i++)
        o->codes[i] |= add->codes[i];
    o->auth |= add->auth;
    if (add->auth_header != NULL &&
        (o->auth_header == NULL || strcmp(add->auth_header, o->auth_header) < 0))
        o->auth_header = add->auth_header;
    if (add->auth_query != NULL &&
        (o->auth_query == NULL || strcmp(add->auth_query, o->auth_query) < 0))
        o->auth_query = add->auth_query;
    if (add->auth_cookie != NULL &&
        (o->auth_cookie == NULL || strcmp(add->auth_cookie, o->auth_cookie) < 0))
        o->auth_cookie = add->auth_cookie;
    if (o->bodies != NULL && add->bodies != NULL && o->bodies != add->bodies) {
        ac__jshape_merge(&o->bodies->req, &add->bodies->req);
        ac__jshape_merge(&o->bodies->resp, &add->bodies->resp);
    }
}

/* Merge a sorted NULL-padded string array into another, keeping the smallest `cap`. */
static enum ac_err merge_sorted(struct ac_agg *a, const char **into, const char *const *from,
                                size_t cap, struct ac_samples_floor *floor)
{
    size_t i;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < cap && from[i] != NULL; i++)
        err = keep_smallest(a->a, into, cap, from[i], strlen(from[i]), floor);
    return err;
}

enum ac_err ac__agg_merge(struct ac_agg *into, const struct ac_agg *from)
{
    return ac__agg_merge_as(into, from, NULL);
}

/* Fold observation f, under (host, method, tmpl), into `into`: its index in *at. */
static enum ac_err put_obs(struct ac_agg *into, const char *host, size_t hl, const char *method,
                           size_t ml, const char *tmpl, size_t tl, const struct ac_obs *f,
                           uint32_t *at)
{
    uint32_t hm = intern_hm(into, host, hl, method, ml);
    struct ac_obs *o = NULL, tmp;
    bool created = false;
    size_t k;
    enum ac_err err;

    if (hm != UINT32_MAX)
        o = lookup(into, hm, tmpl, tl, &created);
    if (o == NULL)
        return AC_ENOMEM;
    if (created) {
        o->version = copy_str(into, f->version);
        o->operation = f->operation;
        o->documented = f->documented;
        o->outbound = f->outbound;
        o->is_static = f->is_static;
    }
    *at = (uint32_t)(o - into->obs);
    tmp = *f;
    tmp.server = copy_str(into, f->server);
    tmp.powered_by = copy_str(into, f->powered_by);
    tmp.auth_header = copy_str(into, f->auth_header);
    tmp.auth_query = copy_str(into, f->auth_query);
    tmp.auth_cookie = copy_str(into, f->auth_cookie);
    tmp.version = NULL;
    if (f->bodies != NULL && bodies_of(into, o) == NULL)
        return AC_ENOMEM;
    ac__obs_merge_into(o, &tmp);
    err = merge_sorted(into, o->samples, f->samples, AC_AGG_SAMPLES, &o->samples_floor);
    for (k = 0; err == AC_OK && f->query != NULL && k < AC_AGG_QUERY_NAMES && f->query[k]; k++)
        err = keep_query(into, o, f->query[k], strlen(f->query[k]));
    return err;
}

/* ac__agg_merge_as(), and ac__agg_merge_ref() with by_ref. */
static enum ac_err merge(struct ac_agg *into, const struct ac_agg *from, const char *const *tmpls,
                         bool by_ref)
{
    size_t i, k;
    uint32_t *map = NULL;
    enum ac_err err = AC_OK;

    if (into->nmaps == AC_AGG_REF_SOURCES)
        by_ref = false; /* no room for another source: copied */
    map = malloc((from->nobs + 1) * sizeof(*map));
    if (map == NULL)
        return AC_ENOMEM;
    for (i = 0; i < from->nobs && err == AC_OK; i++) {
        const struct ac_obs *f = &from->obs[i];
        const struct hmpair *fp = &from->hms[from->keys[i].hm];

        if (tmpls != NULL && tmpls[i] != NULL)
            err = put_obs(into, fp->host, fp->hl, fp->method, fp->ml, tmpls[i], strlen(tmpls[i]), f,
                          &map[i]);
        else
            err = put_obs(into, fp->host, fp->hl, fp->method, fp->ml, f->tmpl, from->keys[i].tl, f,
                          &map[i]);
    }
    for (k = 0; err == AC_OK && k < 2; k++) {
        const struct pairs *ps = &from->pairs[k];
        struct pairs *to = &into->pairs[k];
        size_t j;

        if (by_ref && ps->n > 0) {
            to->src[to->nsrc].v = ps->v;
            to->src[to->nsrc].n = ps->n;
            to->src[to->nsrc].map = map;
            to->nsrc++;
        } else {
            if (ps->n > 0 && !reserve_pairs(to))
                err = AC_ENOMEM;
            for (i = 0; err == AC_OK && i < ps->n; i++)
                err = append_pair(into, map[ps->v[i].obs], ps->v[i].client, ps->v[i].count);
        }
        /* from's own sources, if it has any, are copied (their maps composed with map). */
        for (j = 0; err == AC_OK && j < ps->nsrc; j++) {
            const struct pair_src *sr = &ps->src[j];

            if (!reserve_pairs(to))
                err = AC_ENOMEM;
            for (i = 0; err == AC_OK && i < sr->n; i++)
                err =
                    append_pair(into, map[sr->map[sr->v[i].obs]], sr->v[i].client, sr->v[i].count);
        }
    }
    for (i = 0; err == AC_OK && i < from->nhours; i++)
        err = append_hour(into, map[from->hours[i].obs], from->hours[i].hour, from->hours[i].count);
    for (i = 0; err == AC_OK && i < from->nobs; i++)
        for (k = 0; err == AC_OK && k < 2; k++)
            if (from->obs[i].hour_n[k] != 0)
                err = append_hour(into, map[i], from->obs[i].hour_at[k], from->obs[i].hour_n[k]);
    for (i = 0; err == AC_OK && i < RECENT; i++)
        if (from->recent[i].count != 0)
            err = append_pair(into, map[from->recent[i].obs], from->recent[i].client,
                              from->recent[i].count);
    if (by_ref)
        into->maps[into->nmaps++] = map; /* the sources' maps, until compact() has read them */
    else
        free(map);
    return err;
}

enum ac_err ac__agg_merge_as(struct ac_agg *into, const struct ac_agg *from,
                             const char *const *tmpls)
{
    return merge(into, from, tmpls, false);
}

enum ac_err ac__agg_merge_ref(struct ac_agg *into, const struct ac_agg *from,
                              const char *const *tmpls)
{
    return merge(into, from, tmpls, true);
}

enum ac_err ac__agg_put(struct ac_agg *a, const struct ac_obs *o, const struct ac_hour *hours,
                        size_t nhours)
{
    char host[HOST_MAX];
    size_t hl = strlen(o->host), i;
    uint32_t at = 0;
    enum ac_err err;

    if (hl > HOST_MAX)
        hl = HOST_MAX;
    for (i = 0; i < hl; i++)
        host[i] =
            (o->host[i] >= 'A' && o->host[i] <= 'Z') ? (char)(o->host[i] - 'A' + 'a') : o->host[i];
    err = put_obs(a, host, hl, o->method, strlen(o->method), o->tmpl, strlen(o->tmpl), o, &at);
    for (i = 0; err == AC_OK && i < nhours; i++)
        if (hours[i].count != 0)
            err = append_hour(a, at, hours[i].hour, hours[i].count);
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

/* Fold the runs of equal (observation, client) of sorted[0..n) into one pair each, written from
 * ps->v[0] on (in place: the write never passes the read). */
static void fold_runs(struct pairs *ps, const struct pair *sorted, size_t n)
{
    size_t i = 0, j, k = 0;

    while (i < n) {
        uint64_t sum = 0;

        for (j = i; j < n && sorted[j].obs == sorted[i].obs && sorted[j].client == sorted[i].client;
             j++)
            sum += sorted[j].count;
        ps->v[k] = sorted[i];
        ps->v[k].count = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
        k++;
        i = j;
    }
    ps->n = k;
}

#define BUCKET_BITS 11 /* a half's pairs are spread by the client's next bits over 2^11 buckets */
#define BUCKETS (1u << BUCKET_BITS)
#define BUCKET_OF(p) ((uint32_t)((p).client >> (63 - BUCKET_BITS)) & (BUCKETS - 1))
#define PARALLEL_PAIRS (1u << 16) /* from this many records on, the halves group at once */

/* Records of ps's sources (ac__agg_merge_ref()) that fit beside its own: take[j] of source j,
 * in order, so that the half holds PAIRS_MAX at most, as if they had been appended. */
static size_t source_take(const struct pairs *ps, size_t take[AC_AGG_REF_SOURCES])
{
    size_t j, total = ps->n;

    for (j = 0; j < ps->nsrc; j++) {
        take[j] = ps->src[j].n < PAIRS_MAX - total ? ps->src[j].n : PAIRS_MAX - total;
        total += take[j];
    }
    return total;
}

/* Append ps's sources to its own records (their observations mapped) and forget them: for the
 * ways of grouping that want every record in one array. False on ENOMEM. */
static bool own_sources(struct pairs *ps)
{
    size_t take[AC_AGG_REF_SOURCES], j, i;

    (void)source_take(ps, take);
    if (ps->nsrc > 0 && !reserve_pairs(ps))
        return false;
    for (j = 0; j < ps->nsrc; j++)
        for (i = 0; i < take[j]; i++) {
            ps->v[ps->n] = ps->src[j].v[i];
            ps->v[ps->n].obs = ps->src[j].map[ps->src[j].v[i].obs];
            ps->n++;
        }
    ps->nsrc = 0;
    return true;
}

/* Group half ps by (observation, client), one pair each with the sum of their counts, in any
 * order, into ps->v: its own records and those of its sources, read where they are. Grouping a
 * few million pairs is bound by memory traffic, so the pairs cross memory twice only: once
 * counted and once scattered into buckets by the client's next bits (a pair of one client and
 * one observation is always in one bucket), each bucket small enough to be grouped within the
 * cache by a hash table of its own. qsort when there is no memory for the buckets. */
static void *compact(void *arg)
{
    struct pairs *ps = arg;
    size_t take[AC_AGG_REF_SOURCES], i, j, n = source_take(ps, take), k = 0, most = 0, cap;
    uint32_t *start = NULL, *slots = NULL, b;

    if (n < 2 || !reserve_pairs(ps)) {
        (void)own_sources(ps); /* one record at most: no grouping */
        return NULL;
    }
    if (ps->sorted == NULL)
        ps->sorted = ac__vmem_reserve(PAIRS_MAX * sizeof(*ps->sorted));
    start = ps->sorted != NULL ? calloc(BUCKETS + 1, sizeof(*start)) : NULL;
    for (i = 0; start != NULL && i < ps->n; i++)
        start[BUCKET_OF(ps->v[i]) + 1]++;
    for (j = 0; start != NULL && j < ps->nsrc; j++)
        for (i = 0; i < take[j]; i++)
            start[BUCKET_OF(ps->src[j].v[i]) + 1]++;
    for (b = 0; start != NULL && b < BUCKETS; b++) {
        if (start[b + 1] > most)
            most = start[b + 1];
        start[b + 1] += start[b];
    }
    for (cap = 16; cap < 2 * most; cap *= 2)
        ;
    slots = start != NULL ? malloc(cap * sizeof(*slots)) : NULL;
    if (slots == NULL) {
        if (own_sources(ps)) { /* on ENOMEM the sources are left out: a lower bound */
            qsort(ps->v, ps->n, sizeof(*ps->v), cmp_pair);
            fold_runs(ps, ps->v, ps->n);
        }
        ps->nsrc = 0;
        free(start);
        return NULL;
    }
    for (i = 0; i < ps->n; i++) /* start[b]: where bucket b's next pair goes, then its end */
        ps->sorted[start[BUCKET_OF(ps->v[i])]++] = ps->v[i];
    for (j = 0; j < ps->nsrc; j++)
        for (i = 0; i < take[j]; i++) {
            struct pair p = ps->src[j].v[i];

            p.obs = ps->src[j].map[p.obs];
            ps->sorted[start[BUCKET_OF(p)]++] = p;
        }
    ps->nsrc = 0;
    for (b = 0; b < BUCKETS; b++) {
        size_t lo = b > 0 ? start[b - 1] : 0, hi = start[b], m = hi - lo, mask;

        if (m == 0)
            continue;
        for (mask = 15; mask + 1 < 2 * m; mask = mask * 2 + 1)
            ;
        memset(slots, 0, (mask + 1) * sizeof(*slots));
        for (i = lo; i < hi; i++) {
            const struct pair *p = &ps->sorted[i];
            uint64_t h =
                (p->client ^ ((uint64_t)p->obs * 0x9E3779B97F4A7C15u)) * 0xFF51AFD7ED558CCDu;
            size_t s = (size_t)(h >> 32) & mask;
            struct pair *e;

            for (; slots[s] != 0; s = (s + 1) & mask) {
                e = &ps->v[slots[s] - 1];
                if (e->obs == p->obs && e->client == p->client)
                    break;
            }
            if (slots[s] != 0) {
                e = &ps->v[slots[s] - 1];
                e->count = e->count > UINT32_MAX - p->count ? UINT32_MAX : e->count + p->count;
            } else {
                ps->v[k] = *p; /* k < i + 1: bucket b's pairs are all in ps->sorted */
                slots[s] = (uint32_t)++k;
            }
        }
    }
    ps->n = k;
    free(slots);
    free(start);
    return NULL;
}

/* Group both halves: many records by a second thread for the first half meanwhile. */
static void compact_halves(struct ac_agg *a)
{
    pthread_t tid;
    size_t take[AC_AGG_REF_SOURCES];
    bool threaded = source_take(&a->pairs[0], take) >= PARALLEL_PAIRS &&
                    source_take(&a->pairs[1], take) >= PARALLEL_PAIRS &&
                    pthread_create(&tid, NULL, compact, &a->pairs[0]) == 0;

    if (!threaded)
        compact(&a->pairs[0]);
    compact(&a->pairs[1]);
    if (threaded)
        pthread_join(tid, NULL);
}

static int cmp_hour(const void *x, const void *y)
{
    const struct ac_hour *p = x, *q = y;

    if (p->obs != q->obs)
        return p->obs < q->obs ? -1 : 1;
    if (p->hour != q->hour)
        return p->hour < q->hour ? -1 : 1;
    return 0;
}

#define HOUR_SPAN_MAX ((int64_t)1 << 17) /* hours a counting sort takes (15 years) */

/* Sort the hour records by (observation, hour) in two counting passes: by hour into a scratch
 * array, then, keeping that order, by observation into a new array that a->hours becomes. A
 * batch's hours and observations are both few, so each pass is one read and one write of the
 * records. False (nothing done) when the hours span more than HOUR_SPAN_MAX or memory is short. */
static bool sort_hours(struct ac_agg *a)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    size_t i, span, nc;
    struct ac_hour *tmp = NULL, *by = NULL;
    uint32_t *cnt = NULL;
    bool done = false;

    for (i = 0; i < a->nhours; i++) {
        lo = a->hours[i].hour < lo ? a->hours[i].hour : lo;
        hi = a->hours[i].hour > hi ? a->hours[i].hour : hi;
    }
    if (hi - lo >= HOUR_SPAN_MAX)
        return false;
    span = (size_t)(hi - lo) + 1;
    nc = (span > a->nobs ? span : a->nobs) + 1;
    tmp = malloc(a->nhours * sizeof(*tmp));
    by = malloc(a->caphours * sizeof(*by));
    cnt = calloc(nc, sizeof(*cnt));
    if (tmp != NULL && by != NULL && cnt != NULL) {
        for (i = 0; i < a->nhours; i++)
            cnt[a->hours[i].hour - lo + 1]++;
        for (i = 1; i < span; i++)
            cnt[i] += cnt[i - 1];
        for (i = 0; i < a->nhours; i++) /* cnt[h]: where hour h's next record goes */
            tmp[cnt[a->hours[i].hour - lo]++] = a->hours[i];
        memset(cnt, 0, nc * sizeof(*cnt));
        for (i = 0; i < a->nhours; i++)
            cnt[tmp[i].obs + 1]++;
        for (i = 1; i < a->nobs; i++)
            cnt[i] += cnt[i - 1];
        for (i = 0; i < a->nhours; i++) /* stable: each observation's records stay by hour */
            by[cnt[tmp[i].obs]++] = tmp[i];
        free(a->hours);
        a->hours = by;
        by = NULL;
        done = true;
    }
    free(tmp);
    free(by);
    free(cnt);
    return done;
}

/* Move every observation's counting hours into the records, sort them by (observation, hour)
 * and fold each run into one record. */
static void finish_hours(struct ac_agg *a)
{
    size_t i, j, k = 0;
    unsigned s;

    for (i = 0; i < a->nobs; i++)
        for (s = 0; s < 2; s++)
            if (a->obs[i].hour_n[s] != 0) {
                /* on ENOMEM the timeline misses these hours, as past the cap */
                (void)append_hour(a, (uint32_t)i, a->obs[i].hour_at[s], a->obs[i].hour_n[s]);
                a->obs[i].hour_n[s] = 0;
            }
    if (a->nhours > 1 && !sort_hours(a)) /* a span of many years, or short of memory */
        qsort(a->hours, a->nhours, sizeof(*a->hours), cmp_hour);
    for (i = 0; i < a->nhours; i = j) {
        uint64_t sum = 0;

        for (j = i; j < a->nhours && a->hours[j].obs == a->hours[i].obs &&
                    a->hours[j].hour == a->hours[i].hour;
             j++)
            sum += a->hours[j].count;
        a->hours[k] = a->hours[i];
        a->hours[k].count = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
        k++;
    }
    a->nhours = k;
}

size_t ac__agg_hours(const struct ac_agg *a, const struct ac_hour **out)
{
    *out = a->hours;
    return a->nhours;
}

void ac__agg_finish(struct ac_agg *a)
{
    size_t i;
    unsigned k;

    finish_hours(a);
    (void)spill_recent(a); /* on ENOMEM the figure is a lower bound, as past the cap */
    compact_halves(a);
    drop_sources(a); /* read: the sources may change from now on */
    for (k = 0; k < 2; k++) {
        struct pairs *ps = &a->pairs[k];

        for (i = 0; i < ps->n; i++)
            if (ps->v[i].count > a->obs[ps->v[i].obs].busiest_client)
                a->obs[ps->v[i].obs].busiest_client = ps->v[i].count;
        ps->n = 0;
    }
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

/* Parse a dotted quad at the start of s[0..n); *end is where it stops. */
static bool parse_v4_at(const char *s, size_t n, unsigned char out[4], size_t *end)
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
    *end = i;
    return true;
}

static bool parse_v4(const char *s, size_t n, unsigned char out[4])
{
    size_t end;

    return parse_v4_at(s, n, out, &end) && end == n;
}

static bool v4_private(const unsigned char b[4])
{
    return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xF0) == 16) ||
           (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
           (b[0] == 100 && (b[1] & 0xC0) == 64) || b[0] == 0;
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
    /* The usual client, "a.b.c.d" or "a.b.c.d:port", in one pass; anything else below. */
    if (parse_v4_at(s, n, b, &i) &&
        (i == n || (s[i] == ':' && memchr(s + i + 1, ':', n - i - 1) == NULL))) {
        *known = true;
        return !v4_private(b);
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
        if (ac__hexval((unsigned char)s[i]) < 0 && s[i] != ':' && s[i] != '.' && s[i] != '%')
            return false;
    *known = true;
    if (n >= 7 && strncmp(s, "::ffff:", 7) == 0 && parse_v4(s + 7, n - 7, b))
        return !v4_private(b);
    if ((n == 3 && strncmp(s, "::1", 3) == 0) || (n == 2 && strncmp(s, "::", 2) == 0))
        return false;
    for (k = 0, i = 0; i < n && s[i] != ':' && k < 4; i++, k++)
        first = first * 16 + ac__hexval((unsigned char)s[i]);
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
