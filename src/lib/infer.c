/* infer.c - endpoints from the stored shapes of undocumented traffic (see infer.h).
 *
 * Nodes live in one arena (a merged node is abandoned there, so memory is bounded by the input);
 * children are open-addressing tables keyed by XXH3 of the segment. Nothing here depends on the
 * order of children: merging adds and unites, and names come from the segments.
 */
#include "infer.h"

#include "arena.h"
#include "normalize.h"
#include "shapes.h"
#include "version.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define RARE 2             /* requests of a value "seen rarely" */
#define CLOSED_MIN 5       /* requests of each integer of a set of literal routes */
#define DISTINCT_MIN 4     /* requests a value needs before it can stand apart */
#define MISS_LOG (-9.2103) /* log(1/10,000): missing a continuation by chance */

struct meth {
    const char *m;
    uint64_t c;
};

struct inode {
    const char *key;
    uint32_t klen;
    uint64_t hash;
    struct inode **kids; /* capkids slots, nkids used */
    uint32_t nkids, capkids;
    uint64_t total; /* requests in the subtree */
    struct meth *meth;
    uint32_t nmeth, capmeth;
    size_t *rows;
    uint32_t nrows, caprows;
    bool pinned;
};

struct cont;

struct ctx {
    struct ac_arena *a;
    struct ac_infer_row *rows;
    bool dates;
    bool oom;
    const struct cont *shared; /* next segments found under two values or more, sorted */
    uint32_t nshared;
};

static void *grow(struct ctx *c, void *arr, uint32_t n, uint32_t *cap, size_t size)
{
    uint32_t nc;
    void *p;

    if (n < *cap)
        return arr;
    nc = *cap != 0 ? *cap * 2 : 4;
    p = ac__arena_alloc(c->a, (size_t)nc * size);
    if (p == NULL) {
        c->oom = true;
        return NULL;
    }
    if (n > 0)
        memcpy(p, arr, (size_t)n * size);
    *cap = nc;
    return p;
}

static struct inode *kid_find(const struct inode *nd, const char *key, size_t n, uint64_t h)
{
    uint32_t i;

    if (nd->capkids == 0)
        return NULL;
    for (i = (uint32_t)h & (nd->capkids - 1); nd->kids[i] != NULL; i = (i + 1) & (nd->capkids - 1))
        if (nd->kids[i]->hash == h && nd->kids[i]->klen == n &&
            memcmp(nd->kids[i]->key, key, n) == 0)
            return nd->kids[i];
    return NULL;
}

static void kid_place(struct inode **tab, uint32_t cap, struct inode *k)
{
    uint32_t i;

    for (i = (uint32_t)k->hash & (cap - 1); tab[i] != NULL; i = (i + 1) & (cap - 1))
        ;
    tab[i] = k;
}

static bool kid_add(struct ctx *c, struct inode *nd, struct inode *k)
{
    if ((nd->nkids + 1) * 2 > nd->capkids) {
        uint32_t cap = nd->capkids != 0 ? nd->capkids * 2 : 4, i;
        struct inode **tab = ac__arena_alloc(c->a, (size_t)cap * sizeof(*tab));

        if (tab == NULL) {
            c->oom = true;
            return false;
        }
        for (i = 0; i < nd->capkids; i++)
            if (nd->kids[i] != NULL)
                kid_place(tab, cap, nd->kids[i]);
        nd->kids = tab;
        nd->capkids = cap;
    }
    kid_place(nd->kids, nd->capkids, k);
    nd->nkids++;
    return true;
}

static struct inode *kid_get(struct ctx *c, struct inode *nd, const char *key, size_t n)
{
    uint64_t h = XXH3_64bits(key, n);
    struct inode *k = kid_find(nd, key, n, h);

    if (k != NULL)
        return k;
    k = ac__arena_alloc(c->a, sizeof(*k));
    if (k == NULL || (k->key = ac__arena_strndup(c->a, key, n)) == NULL) {
        c->oom = true;
        return NULL;
    }
    k->klen = (uint32_t)n;
    k->hash = h;
    return kid_add(c, nd, k) ? k : NULL;
}

static void add_meth(struct ctx *c, struct inode *nd, const char *m, uint64_t n)
{
    uint32_t i;

    for (i = 0; i < nd->nmeth; i++)
        if (strcmp(nd->meth[i].m, m) == 0) {
            nd->meth[i].c += n;
            return;
        }
    nd->meth = grow(c, nd->meth, nd->nmeth, &nd->capmeth, sizeof(*nd->meth));
    if (nd->meth == NULL)
        return;
    nd->meth[nd->nmeth].m = m;
    nd->meth[nd->nmeth].c = n;
    nd->nmeth++;
}

static void add_row(struct ctx *c, struct inode *nd, size_t row)
{
    nd->rows = grow(c, nd->rows, nd->nrows, &nd->caprows, sizeof(*nd->rows));
    if (nd->rows != NULL)
        nd->rows[nd->nrows++] = row;
}

/* Fold `from` (detached) into `into`. */
static void merge(struct ctx *c, struct inode *into, const struct inode *from)
{
    uint32_t i;

    into->total += from->total;
    into->pinned = into->pinned || from->pinned;
    for (i = 0; i < from->nmeth; i++)
        add_meth(c, into, from->meth[i].m, from->meth[i].c);
    for (i = 0; i < from->nrows; i++)
        add_row(c, into, from->rows[i]);
    for (i = 0; i < from->capkids && !c->oom; i++) {
        struct inode *k = from->kids[i], *same;

        if (k == NULL)
            continue;
        same = kid_find(into, k->key, k->klen, k->hash);
        if (same != NULL)
            merge(c, same, k);
        else
            kid_add(c, into, k);
    }
}

/* --- the distinct-behaviour test ------------------------------------------------------------ */

/* A continuation of a value: a method ending there ("M" + method) or a next segment. */
struct cont {
    const char *key;
    size_t klen;
    char kind; /* 'M' or 'S' */
    uint64_t count;
};

static int cmp_cont_key(const void *x, const void *y)
{
    const struct cont *a = x, *b = y;
    int r;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->klen != b->klen)
        return a->klen < b->klen ? -1 : 1;
    r = memcmp(a->key, b->key, a->klen);
    return r;
}

/* Continuations of value v appended to *arr (n, cap). */
static struct cont *conts_of(struct ctx *c, const struct inode *v, struct cont *arr, uint32_t *n,
                             uint32_t *cap)
{
    uint32_t i;

    for (i = 0; !c->oom && i < v->nmeth; i++) {
        arr = grow(c, arr, *n, cap, sizeof(*arr));
        if (arr != NULL)
            arr[(*n)++] = (struct cont){v->meth[i].m, strlen(v->meth[i].m), 'M', v->meth[i].c};
    }
    for (i = 0; !c->oom && i < v->capkids; i++) {
        struct cont k;

        if (v->kids[i] == NULL)
            continue;
        k = (struct cont){v->kids[i]->key, v->kids[i]->klen, 'S', v->kids[i]->total};
        /* A next segment few other values have (an owner's own repositories) is "some value":
         * comparable with the other values' own ones. */
        if (c->nshared == 0 ||
            bsearch(&k, c->shared, c->nshared, sizeof(k), cmp_cont_key) == NULL) {
            k.key = "*";
            k.klen = 1;
        }
        arr = grow(c, arr, *n, cap, sizeof(*arr));
        if (arr != NULL)
            arr[(*n)++] = k;
    }
    return arr;
}

/* Sort arr by continuation and sum equal ones; the new length. */
static uint32_t sum_conts(struct cont *arr, uint32_t n)
{
    uint32_t i, j, k;

    if (n == 0)
        return 0;
    qsort(arr, n, sizeof(*arr), cmp_cont_key);
    for (i = 0, k = 0; i < n; i = j) {
        uint64_t sum = 0;

        for (j = i; j < n && cmp_cont_key(&arr[i], &arr[j]) == 0; j++)
            sum += arr[j].count;
        arr[k] = arr[i];
        arr[k++].count = sum;
    }
    return k;
}

/* The next segments that two values or more of vals have, and at least one value in twenty
 * ("/email" under users; not a repository name under owners), sorted, into c->shared. */
static void find_shared(struct ctx *c, struct inode **vals, uint32_t nv)
{
    struct cont *all = NULL;
    uint32_t n = 0, cap = 0, i, j, k = 0;

    c->shared = NULL;
    c->nshared = 0;
    for (i = 0; i < nv && !c->oom; i++) {
        uint32_t m;

        for (m = 0; m < vals[i]->capkids && !c->oom; m++) {
            if (vals[i]->kids[m] == NULL)
                continue;
            all = grow(c, all, n, &cap, sizeof(*all));
            if (all != NULL)
                all[n++] = (struct cont){vals[i]->kids[m]->key, vals[i]->kids[m]->klen, 'S', 1};
        }
    }
    if (c->oom || n == 0)
        return;
    qsort(all, n, sizeof(*all), cmp_cont_key);
    for (i = 0; i < n; i = j) {
        for (j = i; j < n && cmp_cont_key(&all[i], &all[j]) == 0; j++)
            ;
        if (j - i >= 2 && (j - i) * 20 >= nv)
            all[k++] = all[i];
    }
    c->shared = all;
    c->nshared = k;
}

/* The summed continuations of the values of vals not marked apart, most frequent first, into
 * *all (nall); their requests in *ntotal. */
static struct cont *group_conts(struct ctx *c, struct inode **vals, uint32_t nv, const bool *apart,
                                uint32_t *nall, uint64_t *ntotal)
{
    struct cont *all = NULL;
    uint32_t capall = 0, i;

    *nall = 0;
    *ntotal = 0;
    for (i = 0; i < nv; i++) {
        if (apart[i])
            continue;
        *ntotal += vals[i]->total;
        all = conts_of(c, vals[i], all, nall, &capall);
        if (c->oom)
            return NULL;
    }
    *nall = sum_conts(all, *nall);
    return all;
}

/* Mark in `apart` the values of vals (nv) that behave unlike the rest: with the other values'
 * requests spread over continuations with shares p, a value whose c requests all fell on its
 * own continuations S (sum of their shares q) stands apart when q^c < 1/10,000. Values found
 * apart leave the group, and every value is tested again against the rest, until nothing
 * changes (six rounds at most). */
static void find_apart(struct ctx *c, struct inode **vals, uint32_t nv, bool *apart)
{
    unsigned round;
    bool changed = true, *next;
    uint32_t i, j;

    next = ac__arena_alloc(c->a, (size_t)nv * sizeof(*next) + 1);
    if (next == NULL) {
        c->oom = true;
        return;
    }
    for (i = 0; i < nv; i++)
        apart[i] = false;
    find_shared(c, vals, nv);
    /* Each round tests every value against the others that the last round found alike. */
    for (round = 0; round < 6 && changed && !c->oom; round++) {
        uint32_t nall;
        uint64_t ntotal;
        struct cont *all = group_conts(c, vals, nv, apart, &nall, &ntotal);

        changed = false;
        for (i = 0; i < nv && !c->oom; i++) {
            uint32_t nmine = 0, capmine = 0;
            struct cont *mine;
            uint64_t cv = vals[i]->total, ng = ntotal - (apart[i] ? 0 : cv), in_own = 0;
            double q;

            next[i] = false;
            if (all == NULL || cv < DISTINCT_MIN || ng == 0)
                continue;
            mine = conts_of(c, vals[i], NULL, &nmine, &capmine);
            nmine = mine != NULL ? sum_conts(mine, nmine) : 0;
            for (j = 0; mine != NULL && j < nmine; j++) {
                uint64_t tot = 0, own = apart[i] ? 0 : mine[j].count;
                uint32_t k;

                for (k = 0; k < nall; k++)
                    if (cmp_cont_key(&all[k], &mine[j]) == 0) {
                        tot = all[k].count;
                        break;
                    }
                in_own += tot >= own ? tot - own : 0;
            }
            q = (double)in_own / (double)ng;
            next[i] = q < 1.0 && (q <= 0.0 || (double)cv * log(q) < MISS_LOG);
        }
        for (i = 0; i < nv; i++) {
            changed = changed || next[i] != apart[i];
            apart[i] = next[i];
        }
    }
}

/* --- deciding positions --------------------------------------------------------------------- */

static bool plain(const struct ctx *c, const struct inode *k)
{
    return !k->pinned && k->klen > 0 && ac__seg_param(k->key, k->klen) == AC_PARAM_NONE &&
           !ac__version_token(k->key, k->klen, c->dates) && !ac__is_int_value(k->key, k->klen);
}

/* The integers of the position below nd: a small set of three or more, every one seen at least
 * CLOSED_MIN times ("/status/200" ... "/status/504") stays literal; otherwise they are one
 * "{int}" (per extension), as are they all once "{int}" is there already. */
static void decide_ints(struct ctx *c, struct inode *nd)
{
    struct inode **old = nd->kids;
    uint32_t i, cap = nd->capkids, nint = 0;
    bool param = false, closed = true;

    for (i = 0; i < cap; i++) {
        const struct inode *k = old[i];

        if (k == NULL || k->pinned)
            continue;
        if (ac__is_int_param(k->key, k->klen)) {
            param = true;
        } else if (ac__is_int_value(k->key, k->klen)) {
            nint++;
            closed = closed && k->total >= CLOSED_MIN;
        }
    }
    if (nint == 0 || (!param && closed && nint >= 3 && nint < AC_SHAPES_INT_CAP))
        return;
    nd->kids = NULL;
    nd->capkids = 0;
    nd->nkids = 0;
    for (i = 0; i < cap && !c->oom; i++) {
        struct inode *k = old[i], *t;

        if (k == NULL)
            continue;
        if (!k->pinned && ac__is_int_value(k->key, k->klen)) {
            char tk[80];
            size_t at = ac__value_ext(k->key, k->klen), el = k->klen - at <= 64 ? k->klen - at : 0;

            memcpy(tk, "{int}", 5);
            memcpy(tk + 5, k->key + at, el);
            t = kid_get(c, nd, tk, 5 + el);
        } else {
            t = kid_find(nd, k->key, k->klen, k->hash);
            if (t == NULL) {
                kid_add(c, nd, k);
                continue;
            }
        }
        if (t != NULL)
            merge(c, t, k);
    }
}

/* "{name}" + the extension of key into buf (AC_SHAPE_MAX bytes); its length. */
static size_t target_key(const char *name, const char *key, size_t n, char *buf)
{
    size_t at, nl = strlen(name), el;

    if (n > 0 && key[0] == '{') {
        const char *close = memchr(key, '}', n);

        at = close != NULL ? (size_t)(close - key) + 1 : n;
    } else {
        at = ac__value_ext(key, n);
    }
    el = n - at <= 64 ? n - at : 0;
    buf[0] = '{';
    memcpy(buf + 1, name, nl);
    buf[nl + 1] = '}';
    memcpy(buf + nl + 2, key + at, el);
    return nl + 2 + el;
}

/* When one classifier's parameter holds at least half of the requests of the values that merge
 * ("/product/{int}" beside a few slugs), the parameter keeps its name ("int"). */
static void classifier_name(struct inode **vals, uint32_t nv, char *name)
{
    const struct inode *best = NULL;
    uint64_t total = 0;
    uint32_t i;

    for (i = 0; i < nv; i++) {
        total += vals[i]->total;
        if (ac__seg_param(vals[i]->key, vals[i]->klen) == AC_PARAM_CLASS &&
            (best == NULL || vals[i]->total > best->total ||
             (vals[i]->total == best->total && strcmp(vals[i]->key, best->key) < 0)))
            best = vals[i]; /* ties: the smaller name, whatever the order of the children */
    }
    if (best != NULL && best->total * 2 >= total) {
        const char *close = memchr(best->key, '}', best->klen);
        size_t n = (size_t)(close - best->key) - 1;

        memcpy(name, best->key + 1, n);
        name[n] = '\0';
    }
}

/* The name of a parameter the ingest already made at this position ("{user}" or "{user}.json";
 * the smallest when, after a change of rules, there are several), into name. */
static bool named_param(const struct inode *nd, char *name)
{
    const char *best = NULL;
    size_t bn = 0;
    uint32_t i;

    for (i = 0; i < nd->capkids; i++) {
        const struct inode *k = nd->kids[i];
        const char *close;
        size_t n;

        if (k == NULL || ac__seg_param(k->key, k->klen) != AC_PARAM_NAMED)
            continue;
        close = memchr(k->key, '}', k->klen);
        n = (size_t)(close - k->key) - 1;
        if (n < 40 && (best == NULL || n < bn || (n == bn && memcmp(k->key + 1, best, n) < 0))) {
            best = k->key + 1;
            bn = n;
        }
    }
    if (best == NULL)
        return false;
    memcpy(name, best, bn);
    name[bn] = '\0';
    return true;
}

/* Does a classifier's parameter hold most requests of this position? Then values seen once or
 * twice beside it are most likely identifiers the classifiers missed ("cus_BCweiOeEsBRMka"). */
static bool class_dominates(const struct ctx *c, const struct inode *nd)
{
    uint64_t total = 0, best = 0;
    uint32_t i;

    (void)c;
    for (i = 0; i < nd->capkids; i++) {
        const struct inode *k = nd->kids[i];

        if (k == NULL)
            continue;
        total += k->total;
        if (ac__seg_param(k->key, k->klen) == AC_PARAM_CLASS && k->total > best)
            best = k->total;
    }
    return best * 2 >= total && best > 0;
}

/* Decide the position below nd (depth 0: a host's root), then the positions below that. */
static void decide(struct ctx *c, struct inode *nd, const struct inode *parent, unsigned depth)
{
    struct inode **vals, **old = nd->kids;
    uint32_t nv = 0, d = 0, rare = 0, i, cap = nd->capkids;
    bool param, all, dominated, named = false, *apart;
    char name[40];

    if (nd->nkids == 0 || c->oom)
        return;
    decide_ints(c, nd);
    old = nd->kids;
    cap = nd->capkids;
    vals = ac__arena_alloc(c->a, (size_t)nd->nkids * sizeof(*vals));
    apart = ac__arena_alloc(c->a, (size_t)nd->nkids * sizeof(*apart));
    if (vals == NULL || apart == NULL) {
        c->oom = true;
        return;
    }
    for (i = 0; i < cap; i++) {
        struct inode *k = old[i];

        if (k == NULL)
            continue;
        if (plain(c, k)) {
            d++;
            rare += k->total <= RARE;
        }
        named = named || ac__seg_param(k->key, k->klen) == AC_PARAM_NAMED;
    }
    /* Beside a classifier's parameter that holds most requests, only the values seen rarely
     * merge (identifiers the classifiers missed); elsewhere the rule of many rare values. */
    dominated = !named && class_dominates(c, nd);
    all = named || (!dominated && ((d >= 3 && 2 * rare >= d) || d >= AC_INFER_MANY));
    param = all || (dominated && rare > 0);
    if (param) {
        if (depth == 0) /* the first segment: nothing before it to name it after */
            ac__param_name(NULL, 0, NULL, 0, name);
        else if (depth == 1)
            ac__param_name(nd->key, nd->klen, NULL, 0, name);
        else
            ac__param_name(nd->key, nd->klen, parent->key, parent->klen, name);
        /* The values that may merge: plain literals and the classifiers' parameters. */
        for (i = 0; i < cap; i++)
            if (old[i] != NULL &&
                (plain(c, old[i]) ||
                 (!old[i]->pinned && ac__seg_param(old[i]->key, old[i]->klen) == AC_PARAM_CLASS)))
                vals[nv++] = old[i];
        if (!named_param(nd, name))
            classifier_name(vals, nv, name);
        find_apart(c, vals, nv, apart);
        nd->kids = NULL;
        nd->capkids = 0;
        nd->nkids = 0;
        for (i = 0; i < cap && !c->oom; i++) {
            struct inode *k = old[i];
            uint32_t j;
            bool merging = false;

            if (k == NULL)
                continue;
            for (j = 0; j < nv; j++)
                if (vals[j] == k)
                    merging = !apart[j] && (all || !plain(c, k) || k->total <= RARE);
            if (merging) {
                char tk[AC_SHAPE_MAX];
                size_t tl = target_key(name, k->key, k->klen, tk);
                struct inode *t = kid_get(c, nd, tk, tl);

                if (t != NULL)
                    merge(c, t, k);
            } else {
                struct inode *same = kid_find(nd, k->key, k->klen, k->hash);

                if (same != NULL)
                    merge(c, same, k);
                else
                    kid_add(c, nd, k);
            }
        }
    }
    for (i = 0; i < nd->capkids && !c->oom; i++)
        if (nd->kids[i] != NULL)
            decide(c, nd->kids[i], nd, depth + 1);
}

/* Write every row's endpoint: the path of the node it ended in. */
static void assign(struct ctx *c, const struct inode *nd, char *path, size_t len)
{
    uint32_t i;

    for (i = 0; i < nd->nrows; i++) {
        char *e = malloc(len + 1);

        if (e == NULL) {
            c->oom = true;
            return;
        }
        memcpy(e, path, len);
        e[len] = '\0';
        c->rows[nd->rows[i]].endpoint = e;
    }
    for (i = 0; i < nd->capkids && !c->oom; i++) {
        const struct inode *k = nd->kids[i];

        if (k == NULL)
            continue;
        if (len + 1 + k->klen >= AC_SHAPE_MAX) {
            c->oom = true; /* cannot happen: shapes are shorter */
            return;
        }
        path[len] = '/';
        memcpy(path + len + 1, k->key, k->klen);
        assign(c, k, path, len + 1 + k->klen);
    }
}

enum ac_err ac__infer(struct ac_infer_row *rows, size_t n, const char *const *pins, size_t npins,
                      bool dates)
{
    struct ctx c = {NULL, rows, dates, false, NULL, 0};
    struct inode top, pintop;
    size_t i;

    memset(&top, 0, sizeof(top));
    memset(&pintop, 0, sizeof(pintop));
    for (i = 0; i < n; i++)
        rows[i].endpoint = NULL;
    c.a = ac__arena_new(0);
    if (c.a == NULL)
        return AC_ENOMEM;
    for (i = 0; i < npins && !c.oom; i++) {
        struct inode *p = &pintop;
        const char *s = pins[i];

        while (p != NULL && *s == '/') {
            const char *e = strchr(s + 1, '/');
            size_t len = e != NULL ? (size_t)(e - s - 1) : strlen(s + 1);

            p = kid_get(&c, p, s + 1, len);
            s += 1 + len;
        }
    }
    for (i = 0; i < n && !c.oom; i++) {
        const char *s = rows[i].shape;
        struct inode *nd = kid_get(&c, &top, rows[i].host, strlen(rows[i].host));
        const struct inode *pin = &pintop;

        if (nd == NULL || s[0] != '/')
            continue;
        nd->total += rows[i].count;
        while (nd != NULL && *s == '/') {
            const char *e = strchr(s + 1, '/');
            size_t len = e != NULL ? (size_t)(e - s - 1) : strlen(s + 1);

            pin = pin != NULL ? kid_find(pin, s + 1, len, XXH3_64bits(s + 1, len)) : NULL;
            nd = kid_get(&c, nd, s + 1, len);
            if (nd != NULL) {
                nd->total += rows[i].count;
                nd->pinned = nd->pinned || pin != NULL;
            }
            s += 1 + len;
        }
        if (nd != NULL) {
            add_meth(&c, nd, rows[i].method, rows[i].count);
            add_row(&c, nd, i);
        }
    }
    for (i = 0; i < top.capkids && !c.oom; i++)
        if (top.kids[i] != NULL)
            decide(&c, top.kids[i], NULL, 0);
    for (i = 0; i < top.capkids && !c.oom; i++) {
        char path[AC_SHAPE_MAX];

        if (top.kids[i] != NULL)
            assign(&c, top.kids[i], path, 0);
    }
    /* Rows that are not paths ("*") keep their shape. */
    for (i = 0; i < n && !c.oom; i++)
        if (rows[i].endpoint == NULL && (rows[i].endpoint = strdup(rows[i].shape)) == NULL)
            c.oom = true;
    ac__arena_free(c.a);
    if (c.oom) {
        for (i = 0; i < n; i++) {
            free(rows[i].endpoint);
            rows[i].endpoint = NULL;
        }
        return AC_ENOMEM;
    }
    return AC_OK;
}
