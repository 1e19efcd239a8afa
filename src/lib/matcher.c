/* matcher.c - segment tries of the documented templates: one per host, and one for any host.
 *
 * A node's children come in three tiers, tried in this order: literal segments (a hash table),
 * segments with one parameter between a fixed prefix and/or suffix ("{name}.json", "v{major}",
 * longest fixed part first), and one plain parameter. A segment with two or more parameters
 * ("{a}:{b}") is a plain parameter. Parameters never match an empty segment, so "/users/" is not
 * "/users/{id}", and a trailing slash is an empty last segment of its own. Parameter names do not
 * matter: "/a/{id}" and "/a/{name}" share one node, and the first template added names it.
 *
 * Matching is a depth-first search in that priority order with backtracking. Each trie node sits
 * at a fixed depth, so it is visited at most once per match: the cost is bounded by the trie size
 * even for adversarial templates, and recursion by the 128-segment limit. Among complete matches
 * the first one whose leaf documents the request's method wins; if none does, the first complete
 * match is returned with operation -1 ("the path is documented, the method is not").
 *
 * Hosts. The "any host" trie holds every operation added, whatever its host: a host that has no
 * trie of its own (a log without vhosts, a host nobody declared) is matched against everything
 * documented. A host's own trie holds that host's operations plus every operation added without
 * a host (whenever either was added). For the same method and template, a host's own operation
 * beats a hostless one in the host's trie, and a hostless one beats a host's in the any-host
 * trie; otherwise the first operation added for a (method, template) wins. Host keys are lower
 * case, without port and trailing dot, in an open-addressing hash table. ac__matcher_size()
 * counts the distinct templates of the any-host trie (templates differing only in parameter
 * names count once).
 *
 * Memory: everything lives in one arena owned by the matcher (grown arrays leave their old copy
 * behind, at most doubling the footprint); matching allocates nothing and only reads.
 */
#include "matcher.h"

#include "arena.h"
#include "swar.h"

#include <string.h>

#define TMPL_MAX 2048
#define SEGS_MAX 128

/* In a host's trie, the host's own operations (rank 0) beat hostless ones; in the any-host trie
 * it is the other way round, since a hostless operation is the one meant for any host. */
#define RANK_HOSTLESS_IN_HOST 1

struct mop {
    uint64_t mkey; /* head8() of the method */
    const char *method;
    size_t mlen;
    const char *version;
    int64_t id;
    int rank; /* of the trie_add that put it here: lower wins over earlier */
};

struct mleaf {
    const char *tmpl;
    int tmpl_rank;
    struct mop *ops;
    uint32_t nops, capops;
};

struct mnode;

/* A slot of a node's literal children, an open-addressing hash table keyed by (length, first
 * and last eight bytes): most lookups cost one probe and two integer compares, no memcmp. */
struct mlit {
    uint64_t head;
    const char *s;
    size_t len;
    struct mnode *node;
};

struct mpat {
    const char *pre, *suf;
    size_t npre, nsuf;
    struct mnode *node;
};

struct mnode {
    struct mlit *lits; /* caplits slots (0 or a power of two), nlits used; empty: node NULL */
    struct mpat *pats;
    struct mnode *param;
    struct mleaf *leaf;
    uint32_t nlits, caplits, npats, cappats;
};

struct mhost {
    const char *key;       /* lower case; NULL for a free slot */
    const uint64_t *words; /* key as host_word()s: (len + 7) / 8 of them */
    size_t len;
    uint64_t hash;
    struct mnode *root;
};

/* An operation added without a host, replayed into host tries created later. */
struct hostless_op {
    const char *method, *tmpl, *version;
    int64_t id;
    struct hostless_op *next;
};

struct ac_matcher {
    struct ac_arena *arena;
    struct mnode *any;
    struct mhost *hosts;
    size_t nhosts, caphosts; /* caphosts is 0 or a power of two */
    struct hostless_op *hostless, *hostless_tail;
    size_t ntemplates;
};

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Length of host without ":port" and without a trailing dot ("[::1]:80" -> "[::1]"; a bare
 * IPv6 address, with several colons, is kept whole). */
static size_t host_bare_len(const char *h, size_t n)
{
    const char *c;

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
    return n;
}

/* Bytes s[0..r) (r <= 8) as an integer, zero-padded, ASCII letters lower-cased (eight at once:
 * a byte is upper case when it is ASCII, at least 'A' and at most 'Z'). */
static uint64_t host_word(const char *s, size_t r)
{
    const uint64_t hi = 0x8080808080808080u;
    uint64_t x = 0, h7, upper;
    size_t i;

    if (r == 8)
        memcpy(&x, s, 8);
    else
        for (i = 0; i < r; i++)
            x |= (uint64_t)(unsigned char)s[i] << (8 * i);
    h7 = x & ~hi;
    upper = (h7 + 0x3F3F3F3F3F3F3F3Fu) & ~(h7 + 0x2525252525252525u) & ~x & hi;
    return x | (upper >> 2);
}

static uint64_t host_hash(const char *h, size_t n)
{
    uint64_t x = 14695981039346656037u ^ n;
    size_t i;

    for (i = 0; i < n; i += 8) {
        x = (x ^ host_word(h + i, n - i < 8 ? n - i : 8)) * 0x9E3779B97F4A7C15u;
        x ^= x >> 29;
    }
    return x;
}

static struct mnode *host_root(const struct ac_matcher *m, const char *h, size_t n)
{
    uint64_t hash;
    size_t i, k, mask;

    if (m->caphosts == 0 || n == 0)
        return NULL;
    hash = host_hash(h, n);
    mask = m->caphosts - 1;
    for (i = (size_t)hash & mask; m->hosts[i].key != NULL; i = (i + 1) & mask) {
        const struct mhost *e = &m->hosts[i];

        if (e->hash != hash || e->len != n)
            continue;
        for (k = 0; k < n && host_word(h + k, n - k < 8 ? n - k : 8) == e->words[k / 8]; k += 8)
            ;
        if (k >= n)
            return e->root;
    }
    return NULL;
}

static void host_place(struct mhost *tab, size_t cap, const struct mhost *e)
{
    size_t i = (size_t)e->hash & (cap - 1);

    while (tab[i].key != NULL)
        i = (i + 1) & (cap - 1);
    tab[i] = *e;
}

/* New host entry with an empty trie; load factor kept at most 1/2. */
static struct mnode *host_insert(struct ac_matcher *m, const char *h, size_t n)
{
    struct mhost e;
    char *key;
    uint64_t *words;
    size_t i;

    if ((m->nhosts + 1) * 2 > m->caphosts) {
        size_t cap = m->caphosts != 0 ? m->caphosts * 2 : 16;
        struct mhost *tab = ac__arena_alloc(m->arena, cap * sizeof(*tab));

        if (tab == NULL)
            return NULL;
        for (i = 0; i < m->caphosts; i++)
            if (m->hosts[i].key != NULL)
                host_place(tab, cap, &m->hosts[i]);
        m->hosts = tab;
        m->caphosts = cap;
    }
    key = ac__arena_strndup(m->arena, h, n);
    e.root = ac__arena_alloc(m->arena, sizeof(*e.root));
    words = ac__arena_alloc(m->arena, (n / 8 + 1) * sizeof(*words));
    if (key == NULL || e.root == NULL || words == NULL)
        return NULL;
    for (i = 0; i < n; i++)
        key[i] = (char)lower((unsigned char)key[i]);
    for (i = 0; i < n; i += 8)
        words[i / 8] = host_word(key + i, n - i < 8 ? n - i : 8);
    e.key = key;
    e.words = words;
    e.len = n;
    e.hash = host_hash(h, n);
    host_place(m->hosts, m->caphosts, &e);
    m->nhosts++;
    return e.root;
}

/* `arr` (n items of `size` bytes) with room for one more: the same array, or a copy twice as big
 * (the old one stays in the arena). NULL when out of memory. */
static void *grow(struct ac_arena *a, void *arr, uint32_t n, uint32_t *cap, size_t size)
{
    void *p;
    uint32_t ncap;

    if (n < *cap)
        return arr;
    ncap = *cap != 0 ? *cap * 2 : 4;
    p = ac__arena_alloc(a, (size_t)ncap * size);
    if (p == NULL)
        return NULL;
    if (n != 0)
        memcpy(p, arr, (size_t)n * size);
    *cap = ncap;
    return p;
}

/* The first eight bytes of s[0..n) as an integer in memory order, zero-padded. */
static uint64_t head8(const char *s, size_t n)
{
    uint64_t x = 0;

    memcpy(&x, s, n < 8 ? n : 8);
    return x;
}

/* head8() of a prefix of x (eight bytes in memory order): its first n < 8 bytes, the rest
 * zeroed. */
static uint64_t keep_bytes(uint64_t x, size_t n)
{
    static const unsigned char ones[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    uint64_t mask;

    memcpy(&mask, ones + 8 - n, 8); /* n bytes 0xFF then zeros, in memory order */
    return x & mask;
}

/* The last eight bytes of s[0..n) when n > 8, else 0. */
static uint64_t tail8(const char *s, size_t n)
{
    uint64_t x = 0;

    if (n > 8)
        memcpy(&x, s + n - 8, 8);
    return x;
}

static size_t lit_hash(uint64_t head, uint64_t tail, size_t n)
{
    uint64_t h = head * 0x9E3779B97F4A7C15u ^ tail * 0xC2B2AE3D27D4EB4Fu ^ (uint64_t)n;

    return (size_t)(h ^ (h >> 29) ^ (h >> 47));
}

/* The literal child s[0..n) of nd, or NULL; head is head8(s, n). */
static const struct mlit *lit_find(const struct mnode *nd, const char *s, size_t n, uint64_t head)
{
    size_t mask = (size_t)nd->caplits - 1, i = lit_hash(head, tail8(s, n), n) & mask;

    for (;; i = (i + 1) & mask) {
        const struct mlit *l = &nd->lits[i];

        if (l->node == NULL)
            return NULL;
        if (l->head == head && l->len == n && (n <= 8 || memcmp(l->s + 8, s + 8, n - 8) == 0))
            return l;
    }
}

static void lit_place(struct mlit *tab, uint32_t cap, const struct mlit *l)
{
    size_t mask = (size_t)cap - 1, i = lit_hash(l->head, tail8(l->s, l->len), l->len) & mask;

    while (tab[i].node != NULL)
        i = (i + 1) & mask;
    tab[i] = *l;
}

/* Pattern order: longest fixed part first, then by bytes, so the order never depends on the
 * order templates were added. */
static int pat_cmp(const struct mpat *p, const char *pre, size_t npre, const char *suf, size_t nsuf)
{
    int c;

    if (p->npre + p->nsuf != npre + nsuf)
        return p->npre + p->nsuf > npre + nsuf ? -1 : 1;
    if (p->npre != npre)
        return p->npre > npre ? -1 : 1;
    c = memcmp(p->pre, pre, npre);
    if (c == 0)
        c = memcmp(p->suf, suf, nsuf);
    return c < 0 ? -1 : c > 0;
}

enum seg_kind { SEG_LITERAL, SEG_PATTERN, SEG_PARAM };

/* Kind of template segment s[0..n); for a pattern, the lengths of its prefix and suffix. */
static enum seg_kind seg_kind(const char *s, size_t n, size_t *npre, size_t *nsuf)
{
    const char *open = memchr(s, '{', n), *close;
    size_t rest;

    if (open == NULL)
        return SEG_LITERAL;
    rest = n - (size_t)(open - s);
    close = memchr(open, '}', rest);
    if (close == NULL)
        return SEG_LITERAL;
    rest = n - (size_t)(close - s) - 1;
    if (memchr(close + 1, '{', rest) != NULL)
        return SEG_PARAM;
    *npre = (size_t)(open - s);
    *nsuf = rest;
    return *npre == 0 && *nsuf == 0 ? SEG_PARAM : SEG_PATTERN;
}

static struct mnode *child_literal(struct ac_arena *a, struct mnode *nd, const char *s, size_t n)
{
    const struct mlit *found = nd->nlits != 0 ? lit_find(nd, s, n, head8(s, n)) : NULL;
    struct mlit l;
    uint32_t i;

    if (found != NULL)
        return found->node;
    if ((nd->nlits + 1) * 2 > nd->caplits) { /* load factor at most 1/2 */
        uint32_t cap = nd->caplits != 0 ? nd->caplits * 2 : 4;
        struct mlit *tab = ac__arena_alloc(a, (size_t)cap * sizeof(*tab));

        if (tab == NULL)
            return NULL;
        for (i = 0; i < nd->caplits; i++)
            if (nd->lits[i].node != NULL)
                lit_place(tab, cap, &nd->lits[i]);
        nd->lits = tab;
        nd->caplits = cap;
    }
    l.head = head8(s, n);
    l.s = s;
    l.len = n;
    l.node = ac__arena_alloc(a, sizeof(*l.node));
    if (l.node == NULL)
        return NULL;
    lit_place(nd->lits, nd->caplits, &l);
    nd->nlits++;
    return l.node;
}

static struct mnode *child_pattern(struct ac_arena *a, struct mnode *nd, const char *s, size_t n,
                                   size_t npre, size_t nsuf)
{
    const char *suf = s + n - nsuf;
    uint32_t at;
    struct mpat p, *arr;

    for (at = 0; at < nd->npats; at++) {
        int c = pat_cmp(&nd->pats[at], s, npre, suf, nsuf);

        if (c == 0)
            return nd->pats[at].node;
        if (c > 0)
            break;
    }
    p.pre = s;
    p.npre = npre;
    p.suf = suf;
    p.nsuf = nsuf;
    p.node = ac__arena_alloc(a, sizeof(*p.node));
    if (p.node == NULL)
        return NULL;
    arr = grow(a, nd->pats, nd->npats, &nd->cappats, sizeof(p));
    if (arr == NULL)
        return NULL;
    nd->pats = arr;
    memmove(&nd->pats[at + 1], &nd->pats[at], (size_t)(nd->npats - at) * sizeof(p));
    nd->pats[at] = p;
    nd->npats++;
    return p.node;
}

static struct mnode *child_param(struct ac_arena *a, struct mnode *nd)
{
    if (nd->param == NULL)
        nd->param = ac__arena_alloc(a, sizeof(*nd->param));
    return nd->param;
}

static struct mop *leaf_find(const struct mleaf *lf, uint64_t mkey, const char *method, size_t mlen)
{
    uint32_t i;

    for (i = 0; i < lf->nops; i++) {
        const struct mop *op = &lf->ops[i];

        if (op->mkey == mkey && op->mlen == mlen &&
            (mlen <= 8 || memcmp(op->method + 8, method + 8, mlen - 8) == 0))
            return &lf->ops[i];
    }
    return NULL;
}

/* Add one operation to a trie. The strings are arena copies shared by every trie. For the same
 * (method, template), an operation of lower `rank` replaces one already there, otherwise the
 * first stays (rank: which of hostless and host-specific operations the trie prefers). *new_leaf
 * tells whether the template was new to this trie. */
static enum ac_err trie_add(struct ac_arena *a, struct mnode *root, const char *method,
                            const char *tmpl, const char *version, int64_t id, int rank,
                            bool *new_leaf)
{
    struct mnode *nd = root;
    size_t tlen = strlen(tmpl), pos = 1;
    struct mleaf *lf;
    struct mop op, *old, *ops;

    *new_leaf = false;
    for (;;) {
        const char *seg = tmpl + pos, *slash = memchr(seg, '/', tlen - pos);
        size_t n = slash != NULL ? (size_t)(slash - seg) : tlen - pos, npre = 0, nsuf = 0;

        switch (seg_kind(seg, n, &npre, &nsuf)) {
        case SEG_LITERAL:
            nd = child_literal(a, nd, seg, n);
            break;
        case SEG_PATTERN:
            nd = child_pattern(a, nd, seg, n, npre, nsuf);
            break;
        case SEG_PARAM:
            nd = child_param(a, nd);
            break;
        }
        if (nd == NULL)
            return AC_ENOMEM;
        if (slash == NULL)
            break;
        pos += n + 1;
    }
    if (nd->leaf == NULL) {
        nd->leaf = ac__arena_alloc(a, sizeof(*nd->leaf));
        if (nd->leaf == NULL)
            return AC_ENOMEM;
        nd->leaf->tmpl = tmpl;
        nd->leaf->tmpl_rank = rank;
        *new_leaf = true;
    } else if (rank < nd->leaf->tmpl_rank) {
        nd->leaf->tmpl = tmpl;
        nd->leaf->tmpl_rank = rank;
    }
    lf = nd->leaf;
    op.method = method;
    op.mlen = strlen(method);
    op.mkey = head8(method, op.mlen);
    op.version = version;
    op.id = id;
    op.rank = rank;
    old = leaf_find(lf, op.mkey, method, op.mlen);
    if (old != NULL) {
        if (rank < old->rank)
            *old = op;
        return AC_OK;
    }
    ops = grow(a, lf->ops, lf->nops, &lf->capops, sizeof(op));
    if (ops == NULL)
        return AC_ENOMEM;
    lf->ops = ops;
    lf->ops[lf->nops++] = op;
    return AC_OK;
}

struct ac_matcher *ac__matcher_new(void)
{
    struct ac_arena *a = ac__arena_new(0);
    struct ac_matcher *m = NULL;

    if (a == NULL)
        return NULL;
    m = ac__arena_alloc(a, sizeof(*m));
    if (m == NULL || (m->any = ac__arena_alloc(a, sizeof(*m->any))) == NULL) {
        ac__arena_free(a);
        return NULL;
    }
    m->arena = a;
    return m;
}

void ac__matcher_free(struct ac_matcher *m)
{
    if (m != NULL)
        ac__arena_free(m->arena); /* the matcher itself lives in its arena */
}

/* The trie of a host, created (with every hostless operation replayed into it) when new. */
static enum ac_err host_trie(struct ac_matcher *m, const char *host, size_t n, struct mnode **out)
{
    struct mnode *root = host_root(m, host, n);
    const struct hostless_op *h;
    bool fresh;
    enum ac_err err;

    if (root == NULL) {
        root = host_insert(m, host, n);
        if (root == NULL)
            return AC_ENOMEM;
        for (h = m->hostless; h != NULL; h = h->next) {
            err = trie_add(m->arena, root, h->method, h->tmpl, h->version, h->id,
                           RANK_HOSTLESS_IN_HOST, &fresh);
            if (err != AC_OK)
                return err;
        }
    }
    *out = root;
    return AC_OK;
}

/* Remember a hostless operation and add it to every host trie that exists already. */
static enum ac_err add_hostless(struct ac_matcher *m, const char *method, const char *tmpl,
                                const char *version, int64_t id)
{
    struct hostless_op *h = ac__arena_alloc(m->arena, sizeof(*h));
    enum ac_err err;
    bool fresh;
    size_t i;

    if (h == NULL)
        return AC_ENOMEM;
    h->method = method;
    h->tmpl = tmpl;
    h->version = version;
    h->id = id;
    if (m->hostless_tail != NULL)
        m->hostless_tail->next = h;
    else
        m->hostless = h;
    m->hostless_tail = h;
    for (i = 0; i < m->caphosts; i++) {
        if (m->hosts[i].key == NULL)
            continue;
        err = trie_add(m->arena, m->hosts[i].root, method, tmpl, version, id, RANK_HOSTLESS_IN_HOST,
                       &fresh);
        if (err != AC_OK)
            return err;
    }
    return AC_OK;
}

enum ac_err ac__matcher_add(struct ac_matcher *m, const char *host, const char *method,
                            const char *tmpl, const char *version, int64_t operation)
{
    const char *t, *me, *v = NULL, *p;
    struct mnode *root;
    size_t tlen, segs = 0, hn = host != NULL ? host_bare_len(host, strlen(host)) : 0;
    bool fresh, hostless = hn == 0; /* NULL, "" and a bare ":port" */
    enum ac_err err;

    if (m == NULL || method == NULL || method[0] == '\0' || tmpl == NULL || tmpl[0] != '/')
        return AC_EUSAGE;
    tlen = strlen(tmpl);
    for (p = tmpl; *p != '\0'; p++)
        segs += *p == '/';
    if (tlen > TMPL_MAX || segs > SEGS_MAX)
        return AC_ELIMIT;
    t = ac__arena_strndup(m->arena, tmpl, tlen);
    me = ac__arena_strndup(m->arena, method, strlen(method));
    if (version != NULL)
        v = ac__arena_strndup(m->arena, version, strlen(version));
    if (t == NULL || me == NULL || (version != NULL && v == NULL))
        return AC_ENOMEM;
    err = trie_add(m->arena, m->any, me, t, v, operation, hostless ? 0 : 1, &fresh);
    if (err != AC_OK)
        return err;
    if (fresh)
        m->ntemplates++;
    if (hostless)
        return add_hostless(m, me, t, v, operation);
    err = host_trie(m, host, hn, &root);
    if (err != AC_OK)
        return err;
    return trie_add(m->arena, root, me, t, v, operation, 0, &fresh);
}

/* State of one match: the path, the method, and the first complete match seen. */
struct walk {
    const char *path;
    size_t n;
    const char *method;
    size_t mlen;
    uint64_t mkey;
    const struct mleaf *first;
    const struct mleaf *leaf; /* the leaf of the operation found */
};

static const struct mop *walk_node(const struct mnode *nd, size_t pos, struct walk *w);

/* Enter child for the segment ending at `end` (== w->n for the last one). */
static const struct mop *visit(const struct mnode *child, size_t end, struct walk *w)
{
    const struct mop *op;

    if (end < w->n) {
        if (child->nlits == 0 && child->npats == 0 && child->param == NULL)
            return NULL;
        return walk_node(child, end + 1, w);
    }
    if (child->leaf == NULL)
        return NULL;
    op = leaf_find(child->leaf, w->mkey, w->method, w->mlen);
    if (op != NULL) {
        w->leaf = child->leaf;
        return op;
    }
    if (w->first == NULL)
        w->first = child->leaf;
    return NULL;
}

/* Index of the first '/' in the eight bytes at seg (x, loaded from there), or 8. */
static size_t slash_in8(const char *seg, uint64_t x)
{
    uint64_t z = ac__swar_eq(x, '/');

    if (z == 0)
        return 8; /* exact: no byte is a '/' */
#if AC_SWAR_LE
    (void)seg;
    return ac__swar_first(z);
#else
    {
        size_t i;

        for (i = 0; seg[i] != '/'; i++)
            ;
        return i;
    }
#endif
}

/* Length of the segment at w->path + pos (up to the next '/' or the end) and its head8(). The
 * usual segment is found with one eight-byte load, not a memchr call. */
static size_t segment(const struct walk *w, size_t pos, uint64_t *head)
{
    const char *seg = w->path + pos, *slash;
    size_t left = w->n - pos, n;
    uint64_t x;

    if (left >= 8) {
        x = ac__swar_load(seg);
        n = slash_in8(seg, x);
        if (n < 8) {
            *head = keep_bytes(x, n);
            return n;
        }
        *head = x;
        if (left >= 16) { /* a name or an id of 8 to 15 bytes: the second word has its end */
            n = slash_in8(seg + 8, ac__swar_load(seg + 8));
            if (n < 8)
                return 8 + n;
        }
        slash = memchr(seg + 8, '/', left - 8);
        return slash != NULL ? (size_t)(slash - seg) : left;
    }
    slash = memchr(seg, '/', left);
    n = slash != NULL ? (size_t)(slash - seg) : left;
    *head = head8(seg, n);
    return n;
}

static const struct mop *walk_node(const struct mnode *nd, size_t pos, struct walk *w)
{
    const char *seg = w->path + pos;
    uint64_t head;
    size_t n = segment(w, pos, &head), end = pos + n;
    const struct mlit *l;
    const struct mop *op;
    uint32_t i;

    if (nd->nlits != 0 && (l = lit_find(nd, seg, n, head)) != NULL &&
        (op = visit(l->node, end, w)) != NULL)
        return op;
    if (n == 0)
        return NULL; /* parameters never match an empty segment */
    for (i = 0; i < nd->npats; i++) {
        const struct mpat *p = &nd->pats[i];

        if (n > p->npre + p->nsuf && memcmp(seg, p->pre, p->npre) == 0 &&
            memcmp(seg + n - p->nsuf, p->suf, p->nsuf) == 0 &&
            (op = visit(p->node, end, w)) != NULL)
            return op;
    }
    if (nd->param != NULL)
        return visit(nd->param, end, w);
    return NULL;
}

const void *ac__matcher_root(const struct ac_matcher *m, const char *host, size_t host_len)
{
    const struct mnode *root = NULL;

    if (m == NULL)
        return NULL;
    if (host != NULL && host_len != 0)
        root = host_root(m, host, host_bare_len(host, host_len));
    return root != NULL ? root : m->any;
}

bool ac__matcher_match_in(const struct ac_matcher *m, const void *root, const char *method,
                          size_t method_len, const char *path, size_t path_len,
                          struct ac_match *out)
{
    const struct mop *op;
    struct walk w;

    if (m == NULL || root == NULL || path == NULL || path_len == 0 || path[0] != '/' || out == NULL)
        return false;
    w.path = path;
    w.n = path_len;
    w.method = method != NULL ? method : "";
    w.mlen = method != NULL ? method_len : 0;
    w.mkey = head8(w.method, w.mlen);
    w.first = NULL;
    w.leaf = NULL;
    op = walk_node(root, 1, &w);
    if (op != NULL) {
        out->tmpl = w.leaf->tmpl;
        out->version = op->version;
        out->operation = op->id;
        return true;
    }
    if (w.first == NULL)
        return false;
    out->tmpl = w.first->tmpl;
    out->version = w.first->nops != 0 ? w.first->ops[0].version : NULL;
    out->operation = -1;
    return true;
}

bool ac__matcher_match(const struct ac_matcher *m, const char *host, size_t host_len,
                       const char *method, size_t method_len, const char *path, size_t path_len,
                       struct ac_match *out)
{
    return ac__matcher_match_in(m, ac__matcher_root(m, host, host_len), method, method_len, path,
                                path_len, out);
}

size_t ac__matcher_size(const struct ac_matcher *m)
{
    return m != NULL ? m->ntemplates : 0;
}
