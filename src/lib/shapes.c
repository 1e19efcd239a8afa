/* shapes.c - the bounded structure of undocumented paths an ingest keeps (see shapes.h).
 *
 * Nodes are one allocation each (the segment follows the struct); a node's children are an
 * open-addressing table of pointers keyed by XXH3 of the segment. Hosts are the children of a
 * hidden top node, so a host is looked up like a segment. Pinned literal paths live in a
 * separate tree of the same nodes, walked beside the host's.
 */
#include "shapes.h"

#include "normalize.h"
#include "version.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct snode {
    struct snode *parent;
    struct snode **kids; /* capkids slots (0 or a power of two), nkids used */
    uint32_t nkids, capkids;
    uint32_t nmerge; /* children that would merge into the parameter if the position collapsed */
    bool collapsed;  /* the position below is a parameter, named `name` */
    bool ints;       /* the integers of the position below are "{int}" */
    uint32_t nints;  /* distinct integer children (before `ints`) */
    bool pinned;     /* a segment of a literal path: never merged */
    char name[40];
    char own[44]; /* "{name}": the parameter's segment */
    uint64_t hash;
    uint32_t klen;
    char key[]; /* the segment, NUL-terminated */
};

struct ac_shapes {
    struct snode *hosts; /* children: one root per host (key: the host) */
    struct snode *pins;  /* children: the literal paths' segments */
    size_t hard, nodes;
    bool dates;
};

static const char *const class_names[] = {"int", "uuid", "objectid", "hex",
                                          "id",  "date", "email",    "ip"};

/* --- segments --------------------------------------------------------------------------------- */

enum ac_seg_param ac__seg_param(const char *s, size_t n)
{
    const char *close;
    size_t i, nl;

    if (n < 3 || s[0] != '{')
        return AC_PARAM_NONE;
    close = memchr(s, '}', n);
    if (close == NULL)
        return AC_PARAM_NONE;
    nl = (size_t)(close - s) - 1;
    for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
        if (strlen(class_names[i]) == nl && memcmp(class_names[i], s + 1, nl) == 0)
            return AC_PARAM_CLASS;
    return AC_PARAM_NAMED;
}

bool ac__is_int_value(const char *s, size_t n)
{
    size_t i, stem = ac__value_ext(s, n);

    for (i = 0; i < stem; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return stem > 0;
}

bool ac__is_int_param(const char *s, size_t n)
{
    return n >= 5 && memcmp(s, "{int}", 5) == 0 && (n == 5 || s[5] == '.');
}

size_t ac__value_ext(const char *s, size_t n)
{
    size_t at = ac__extension_at(s, n);

    return at < n && memchr(s, '.', at) != NULL ? n : at;
}

static bool is_class_name(const char *s)
{
    size_t i;

    for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
        if (strcmp(class_names[i], s) == 0)
            return true;
    return false;
}

/* "users" -> "user", "categories" -> "category", "addresses" -> "address", "branches" ->
 * "branch"; words ending in "ss", "us", "is" stay. */
static void singular(char *w)
{
    size_t n = strlen(w);

    if (n > 4 && strcmp(w + n - 3, "ies") == 0) {
        strcpy(w + n - 3, "y");
    } else if (n > 4 && (strcmp(w + n - 4, "sses") == 0 || strcmp(w + n - 4, "ches") == 0 ||
                         strcmp(w + n - 4, "shes") == 0 || strcmp(w + n - 3, "xes") == 0)) {
        w[n - 2] = '\0';
    } else if (n > 2 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i') {
        w[n - 1] = '\0';
    }
}

void ac__param_name(const char *prev, size_t pn, const char *grand, size_t gn, char *out)
{
    size_t i, k = 0;
    enum ac_seg_param kind;

    if (prev != NULL && ac__version_token(prev, pn, true) && grand != NULL) {
        prev = grand; /* "/users/v1/{...}": named after "users" */
        pn = gn;
    }
    kind = prev != NULL ? ac__seg_param(prev, pn) : AC_PARAM_NONE;
    if (prev != NULL && kind != AC_PARAM_NONE) {
        /* After a parameter: its name with a suffix ("{repo}" -> "repo_2", "{repo_2}" ->
         * "repo_3"). */
        const char *close = memchr(prev, '}', pn);
        size_t nl = (size_t)(close - prev) - 1, stem = nl;
        unsigned gen = 2;

        if (nl > 2 && prev[nl] >= '2' && prev[nl] <= '8' && prev[nl - 1] == '_') {
            gen = (unsigned)(prev[nl] - '0') + 1;
            stem = nl - 2;
        }
        if (stem > 28)
            stem = 28;
        memcpy(out, prev + 1, stem);
        k = stem;
        out[k++] = '_';
        out[k++] = (char)('0' + (gen > 9 ? 9 : gen));
        out[k] = '\0';
        return;
    }
    for (i = 0; prev != NULL && i < pn && k < 32; i++) {
        unsigned char c = (unsigned char)prev[i];

        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[k++] = (char)c;
        else if (k > 0 && out[k - 1] != '_')
            out[k++] = '_';
    }
    while (k > 0 && out[k - 1] == '_')
        k--;
    out[k] = '\0';
    if (k == 0) {
        strcpy(out, "param");
        return;
    }
    singular(out);
    if (is_class_name(out))
        strcat(out, "_name");
}

/* --- nodes -------------------------------------------------------------------------------- */

static uint64_t key_hash(const char *s, size_t n)
{
    return XXH3_64bits(s, n);
}

static struct snode *node_new(struct ac_shapes *s, const char *key, size_t n, uint64_t h)
{
    struct snode *nd;

    if (n > UINT32_MAX - 1)
        return NULL;
    nd = calloc(1, sizeof(*nd) + n + 1);
    if (nd == NULL)
        return NULL;
    memcpy(nd->key, key, n);
    nd->key[n] = '\0';
    nd->klen = (uint32_t)n;
    nd->hash = h;
    s->nodes++;
    return nd;
}

static void node_free(struct ac_shapes *s, struct snode *nd)
{
    uint32_t i;

    if (nd == NULL)
        return;
    for (i = 0; i < nd->capkids; i++)
        node_free(s, nd->kids[i]);
    free(nd->kids);
    free(nd);
    s->nodes--;
}

static struct snode *kid_find(const struct snode *nd, const char *key, size_t n, uint64_t h)
{
    uint32_t i;

    if (nd == NULL || nd->capkids == 0)
        return NULL;
    for (i = (uint32_t)h & (nd->capkids - 1); nd->kids[i] != NULL; i = (i + 1) & (nd->capkids - 1))
        if (nd->kids[i]->hash == h && nd->kids[i]->klen == n &&
            memcmp(nd->kids[i]->key, key, n) == 0)
            return nd->kids[i];
    return NULL;
}

static void kid_place(struct snode **tab, uint32_t cap, struct snode *k)
{
    uint32_t i;

    for (i = (uint32_t)k->hash & (cap - 1); tab[i] != NULL; i = (i + 1) & (cap - 1))
        ;
    tab[i] = k;
}

/* Add child k (not present) to nd. */
static enum ac_err kid_add(struct snode *nd, struct snode *k)
{
    if ((nd->nkids + 1) * 2 > nd->capkids) {
        uint32_t cap = nd->capkids != 0 ? nd->capkids * 2 : 4, i;
        struct snode **tab = calloc(cap, sizeof(*tab));

        if (tab == NULL)
            return AC_ENOMEM;
        for (i = 0; i < nd->capkids; i++)
            if (nd->kids[i] != NULL)
                kid_place(tab, cap, nd->kids[i]);
        free(nd->kids);
        nd->kids = tab;
        nd->capkids = cap;
    }
    kid_place(nd->kids, nd->capkids, k);
    nd->nkids++;
    k->parent = nd;
    return AC_OK;
}

/* Is child k a value that counts toward its position's limit and merges when the position
 * collapses? Pinned literals, version tokens and empty segments never do. */
static bool is_value(const struct ac_shapes *s, const struct snode *k)
{
    return !k->pinned && k->klen > 0 && !ac__version_token(k->key, k->klen, s->dates);
}

/* Would value k merge into the parameter `target` of its position ("{user}", the parameter's
 * own segment without extension), that is, is it a value and not that parameter itself? */
static bool mergeable(const struct ac_shapes *s, const struct snode *k, const char *target)
{
    size_t tl = strlen(target);

    return is_value(s, k) && !(k->klen >= tl && memcmp(k->key, target, tl) == 0 &&
                               (k->klen == tl || k->key[tl] == '.'));
}

/* The extension kept from a value: ".json" of "alice.json" or of "{int}.json". */
static size_t ext_of(const char *key, size_t n, const char **ext)
{
    size_t at;

    if (n > 0 && key[0] == '{') {
        const char *close = memchr(key, '}', n);

        at = close != NULL ? (size_t)(close - key) + 1 : n;
    } else {
        at = ac__value_ext(key, n);
    }
    *ext = key + at;
    return n - at;
}

/* "{name}" + the extension of value key into buf (at least AC_SHAPE_MAX bytes); its length. */
static size_t target_key(const struct snode *nd, const char *key, size_t n, char *buf)
{
    const char *ext;
    size_t el = ext_of(key, n, &ext), nl = strlen(nd->name);

    if (el > 64)
        el = 0;
    buf[0] = '{';
    memcpy(buf + 1, nd->name, nl);
    buf[nl + 1] = '}';
    memcpy(buf + nl + 2, ext, el);
    buf[nl + 2 + el] = '\0';
    return nl + 2 + el;
}

static enum ac_err collapse(struct ac_shapes *s, struct snode *nd);
static enum ac_err int_collapse(struct ac_shapes *s, struct snode *nd);

/* "{int}" + the extension of integer value key into buf; its length. */
static size_t int_key(const char *key, size_t n, char *buf)
{
    size_t at = ac__value_ext(key, n), el = n - at <= 64 ? n - at : 0;

    memcpy(buf, "{int}", 5);
    memcpy(buf + 5, key + at, el);
    buf[5 + el] = '\0';
    return 5 + el;
}

/* The child of nd for key, created when missing (pinned when pin has that segment). */
static enum ac_err kid_get_h(struct ac_shapes *s, struct snode *nd, const char *key, size_t n,
                             uint64_t h, bool pinned, struct snode **out)
{
    struct snode *k = kid_find(nd, key, n, h);
    enum ac_err err;

    if (k != NULL) {
        *out = k;
        return AC_OK;
    }
    k = node_new(s, key, n, h);
    if (k == NULL)
        return AC_ENOMEM;
    k->pinned = pinned;
    err = kid_add(nd, k);
    if (err != AC_OK) {
        node_free(s, k);
        return err;
    }
    *out = k;
    return AC_OK;
}

static enum ac_err kid_get(struct ac_shapes *s, struct snode *nd, const char *key, size_t n,
                           bool pinned, struct snode **out)
{
    return kid_get_h(s, nd, key, n, key_hash(key, n), pinned, out);
}

/* Fold the subtree `from` (detached, same segment) into `into`, then free `from`. */
static enum ac_err merge(struct ac_shapes *s, struct snode *into, struct snode *from)
{
    enum ac_err err = AC_OK;
    uint32_t i;

    into->pinned = into->pinned || from->pinned;
    if (from->collapsed && !into->collapsed)
        err = collapse(s, into);
    if (err == AC_OK && from->ints && !into->ints && !into->collapsed)
        err = int_collapse(s, into);
    for (i = 0; err == AC_OK && i < from->capkids; i++) {
        struct snode *k = from->kids[i], *same;
        char tk[AC_SHAPE_MAX];
        const char *key = k != NULL ? k->key : NULL;
        size_t kl = k != NULL ? k->klen : 0;

        if (k == NULL)
            continue;
        from->kids[i] = NULL;
        if (into->collapsed) {
            if (mergeable(s, k, into->own)) {
                kl = target_key(into, k->key, k->klen, tk);
                key = tk;
            }
        } else if (into->ints && !k->pinned && ac__is_int_value(k->key, k->klen)) {
            kl = int_key(k->key, k->klen, tk);
            key = tk;
        }
        same = kid_find(into, key, kl, key_hash(key, kl));
        if (same != NULL) {
            err = merge(s, same, k);
        } else if (key == tk) { /* renamed: a new parameter node takes k's subtree */
            struct snode *t;

            err = kid_get(s, into, key, kl, false, &t);
            if (err == AC_OK)
                err = merge(s, t, k);
            else
                node_free(s, k);
        } else {
            bool is_int = !into->collapsed && !k->pinned && ac__is_int_value(k->key, k->klen);

            err = kid_add(into, k);
            if (err != AC_OK)
                node_free(s, k);
            else if (!into->collapsed && is_value(s, k) && ++into->nmerge >= s->hard)
                err = collapse(s, into);
            else if (is_int && ++into->nints >= AC_SHAPES_INT_CAP)
                err = int_collapse(s, into);
        }
    }
    for (; i < from->capkids; i++) /* after an error: what was not moved */
        node_free(s, from->kids[i]);
    free(from->kids);
    free(from);
    s->nodes--;
    return err;
}

/* Make the position below nd a parameter: every mergeable child folds into "{name}" (one per
 * extension). */
static enum ac_err collapse(struct ac_shapes *s, struct snode *nd)
{
    struct snode **old = nd->kids;
    uint32_t cap = nd->capkids, i;
    const struct snode *gp = nd->parent;
    char own[48];
    enum ac_err err = AC_OK;

    if (nd->collapsed)
        return AC_OK;
    if (gp == s->hosts) /* the first segment: nothing before it to name it after */
        ac__param_name(NULL, 0, NULL, 0, nd->name);
    else if (gp != NULL && gp->parent == s->hosts) /* the second: no segment before the first */
        ac__param_name(nd->key, nd->klen, NULL, 0, nd->name);
    else
        ac__param_name(nd->key, nd->klen, gp != NULL ? gp->key : NULL, gp != NULL ? gp->klen : 0,
                       nd->name);
    snprintf(own, sizeof(own), "{%s}", nd->name);
    memcpy(nd->own, own, sizeof(nd->own));
    nd->collapsed = true;
    nd->kids = NULL;
    nd->capkids = 0;
    nd->nkids = 0;
    nd->nmerge = 0;
    for (i = 0; i < cap; i++) {
        struct snode *k = old[i];

        if (k == NULL)
            continue;
        old[i] = NULL;
        if (err != AC_OK) {
            node_free(s, k);
        } else if (mergeable(s, k, own)) {
            char tk[AC_SHAPE_MAX];
            size_t tl = target_key(nd, k->key, k->klen, tk);
            struct snode *t;

            err = kid_get(s, nd, tk, tl, false, &t);
            if (err == AC_OK)
                err = merge(s, t, k);
            else
                node_free(s, k);
        } else {
            struct snode *same = kid_find(nd, k->key, k->klen, k->hash);

            err = same != NULL ? merge(s, same, k) : kid_add(nd, k);
            if (err != AC_OK && same == NULL)
                node_free(s, k);
        }
    }
    free(old);
    return err;
}

/* Is seg the collapsed position's own parameter ("{user}" or "{user}.json")? */
static bool own_param(const struct snode *nd, const char *seg, size_t n)
{
    size_t ol = strlen(nd->own);

    return n >= ol && memcmp(seg, nd->own, ol) == 0 && (n == ol || seg[ol] == '.');
}

/* Make the integers of the position below nd "{int}" (one per extension). */
static enum ac_err int_collapse(struct ac_shapes *s, struct snode *nd)
{
    struct snode **old = nd->kids;
    uint32_t cap = nd->capkids, i;
    enum ac_err err = AC_OK;

    if (nd->ints || nd->collapsed)
        return AC_OK;
    nd->ints = true;
    nd->kids = NULL;
    nd->capkids = 0;
    nd->nkids = 0;
    nd->nints = 0;
    for (i = 0; i < cap; i++) {
        struct snode *k = old[i], *same;

        if (k == NULL)
            continue;
        old[i] = NULL;
        if (err != AC_OK) {
            node_free(s, k);
        } else if (!k->pinned && ac__is_int_value(k->key, k->klen)) {
            char tk[80];
            size_t tl = int_key(k->key, k->klen, tk);
            struct snode *t;

            err = kid_get(s, nd, tk, tl, false, &t);
            if (err == AC_OK)
                err = merge(s, t, k);
            else
                node_free(s, k);
        } else {
            same = kid_find(nd, k->key, k->klen, k->hash);
            err = same != NULL ? merge(s, same, k) : kid_add(nd, k);
            if (err != AC_OK && same == NULL)
                node_free(s, k);
        }
    }
    free(old);
    nd->nmerge = 0; /* count again: the integers are one value per extension now */
    for (i = 0; i < nd->capkids; i++)
        if (nd->kids[i] != NULL && is_value(s, nd->kids[i]))
            nd->nmerge++;
    return err;
}

/* --- the tree ----------------------------------------------------------------------------- */

struct ac_shapes *ac__shapes_new(size_t hard, bool dates)
{
    struct ac_shapes *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return NULL;
    s->hard = hard != 0 ? hard : AC_SHAPES_HARD;
    s->dates = dates;
    s->hosts = node_new(s, "", 0, 0);
    s->pins = node_new(s, "", 0, 0);
    if (s->hosts == NULL || s->pins == NULL) {
        ac__shapes_free(s);
        return NULL;
    }
    return s;
}

void ac__shapes_free(struct ac_shapes *s)
{
    if (s == NULL)
        return;
    node_free(s, s->hosts);
    node_free(s, s->pins);
    free(s);
}

static struct snode *copy_tree(struct ac_shapes *s, const struct snode *from)
{
    struct snode *nd = node_new(s, from->key, from->klen, from->hash);
    uint32_t i;

    if (nd == NULL)
        return NULL;
    nd->collapsed = from->collapsed;
    nd->ints = from->ints;
    nd->nints = from->nints;
    nd->pinned = from->pinned;
    nd->nmerge = from->nmerge;
    memcpy(nd->name, from->name, sizeof(nd->name));
    memcpy(nd->own, from->own, sizeof(nd->own));
    if (from->capkids != 0) {
        nd->kids = calloc(from->capkids, sizeof(*nd->kids));
        if (nd->kids == NULL) {
            node_free(s, nd);
            return NULL;
        }
        nd->capkids = from->capkids;
    }
    for (i = 0; i < from->capkids; i++) {
        if (from->kids[i] == NULL)
            continue;
        nd->kids[i] = copy_tree(s, from->kids[i]);
        if (nd->kids[i] == NULL) {
            node_free(s, nd);
            return NULL;
        }
        nd->kids[i]->parent = nd;
        nd->nkids++;
    }
    return nd;
}

struct ac_shapes *ac__shapes_clone(const struct ac_shapes *from)
{
    struct ac_shapes *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return NULL;
    s->hard = from->hard;
    s->dates = from->dates;
    s->hosts = copy_tree(s, from->hosts);
    s->pins = copy_tree(s, from->pins);
    if (s->hosts == NULL || s->pins == NULL) {
        ac__shapes_free(s);
        return NULL;
    }
    return s;
}

size_t ac__shapes_nodes(const struct ac_shapes *s)
{
    return s != NULL ? s->nodes : 0;
}

/* Next segment of a template at *pos (after a '/'); false at the end. */
static bool next_seg(const char *t, size_t *pos, const char **seg, size_t *n)
{
    const char *slash;

    if (t[*pos] != '/')
        return false;
    *seg = t + *pos + 1;
    slash = strchr(*seg, '/');
    *n = slash != NULL ? (size_t)(slash - *seg) : strlen(*seg);
    *pos += 1 + *n;
    return true;
}

struct out {
    char *p;
    size_t n, cap;
    bool full;
};

static void emit(struct out *o, const char *s, size_t n)
{
    if (o->n + 1 + n + 1 > o->cap) {
        o->full = true;
        return;
    }
    o->p[o->n++] = '/';
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = '\0';
}

enum ac_err ac__shapes_pin(struct ac_shapes *s, const char *path)
{
    struct snode *nd = s->pins;
    size_t pos = 0, n;
    const char *seg;
    enum ac_err err = AC_OK;

    while (err == AC_OK && next_seg(path, &pos, &seg, &n))
        err = kid_get(s, nd, seg, n, true, &nd);
    return err;
}

enum ac_err ac__shapes_add(struct ac_shapes *s, const char *host, const char *tmpl, char *out,
                           size_t cap, bool *collapsed)
{
    struct snode *nd, *pin = s->pins;
    struct out o = {out, 0, cap, false};
    size_t pos = 0, n;
    const char *seg;
    enum ac_err err;

    if (cap == 0)
        return AC_ELIMIT;
    out[0] = '\0';
    if (tmpl[0] != '/') { /* "*", "*toolong*": kept as they are */
        if (strlen(tmpl) >= cap)
            return AC_ELIMIT;
        strcpy(out, tmpl);
        return AC_OK;
    }
    err = kid_get(s, s->hosts, host, strlen(host), false, &nd);
    while (err == AC_OK && next_seg(tmpl, &pos, &seg, &n)) {
        char tk[AC_SHAPE_MAX];
        const char *key = seg;
        size_t kl = n;
        uint64_t h = key_hash(seg, n);
        struct snode *k;
        uint32_t before = nd->nkids;

        pin = pin != NULL && pin->nkids != 0 ? kid_find(pin, seg, n, h) : NULL;
        if (!nd->collapsed && ac__seg_param(seg, n) == AC_PARAM_NAMED) {
            err = collapse(s, nd); /* a part of the traffic found this position a parameter */
            *collapsed = true;
        } else if (!nd->collapsed && !nd->ints && ac__is_int_param(seg, n)) {
            err = int_collapse(s, nd); /* the same for the integers of this position */
            *collapsed = true;
        }
        if (err == AC_OK && !nd->collapsed && s->nodes >= AC_SHAPES_MAX_NODES &&
            kid_find(nd, seg, n, h) == NULL && pin == NULL && n > 0 &&
            !ac__version_token(seg, n, s->dates)) {
            err = collapse(s, nd); /* out of nodes: no new values here */
            *collapsed = true;
        }
        if (err != AC_OK)
            break;
        if (nd->collapsed && pin == NULL && n > 0 && !own_param(nd, seg, n) &&
            !ac__version_token(seg, n, s->dates)) {
            kl = target_key(nd, seg, n, tk);
            key = tk;
            h = key_hash(key, kl);
        } else if (!nd->collapsed && nd->ints && pin == NULL && ac__is_int_value(seg, n)) {
            kl = int_key(seg, n, tk);
            key = tk;
            h = key_hash(key, kl);
        }
        err = kid_get_h(s, nd, key, kl, h, pin != NULL && key == seg, &k);
        if (err != AC_OK)
            break;
        if (nd->nkids > before && !nd->collapsed && is_value(s, k) && ++nd->nmerge >= s->hard) {
            err = collapse(s, nd); /* k is merged away: go on from the parameter that took it */
            *collapsed = true;
            if (err == AC_OK) {
                kl = target_key(nd, seg, n, tk);
                key = tk;
                k = kid_find(nd, key, kl, key_hash(key, kl));
                if (k == NULL)
                    err = AC_ENOMEM; /* cannot happen: collapse made it */
            }
        }
        if (err == AC_OK && nd->nkids > before && !nd->collapsed && !nd->ints && key == seg &&
            pin == NULL && ac__is_int_value(seg, n) && ++nd->nints >= AC_SHAPES_INT_CAP) {
            err = int_collapse(s, nd);
            *collapsed = true;
            if (err == AC_OK) {
                kl = int_key(seg, n, tk);
                k = kid_find(nd, tk, kl, key_hash(tk, kl));
                if (k == NULL)
                    err = AC_ENOMEM; /* cannot happen: int_collapse made it */
            }
        }
        if (err != AC_OK)
            break;
        emit(&o, k->key, k->klen);
        nd = k;
    }
    if (err == AC_OK && o.full)
        err = AC_ELIMIT;
    return err;
}

bool ac__shapes_get(const struct ac_shapes *s, const char *host, const char *tmpl, char *out,
                    size_t cap)
{
    const struct snode *nd, *pin = s->pins;
    struct out o = {out, 0, cap, false};
    size_t pos = 0, n;
    const char *seg;

    if (cap == 0)
        return false;
    out[0] = '\0';
    if (tmpl[0] != '/') {
        if (strlen(tmpl) >= cap)
            return false;
        strcpy(out, tmpl);
        return true;
    }
    nd = kid_find(s->hosts, host, strlen(host), key_hash(host, strlen(host)));
    while (next_seg(tmpl, &pos, &seg, &n)) {
        char tk[AC_SHAPE_MAX];
        const char *key = seg;
        size_t kl = n;
        uint64_t h = key_hash(seg, n);

        pin = pin != NULL && pin->nkids != 0 ? kid_find(pin, seg, n, h) : NULL;
        if (nd != NULL && nd->collapsed && pin == NULL && n > 0 && !own_param(nd, seg, n) &&
            !ac__version_token(seg, n, s->dates)) {
            kl = target_key(nd, seg, n, tk);
            key = tk;
            h = key_hash(key, kl);
        } else if (nd != NULL && !nd->collapsed && nd->ints && pin == NULL &&
                   ac__is_int_value(seg, n)) {
            kl = int_key(seg, n, tk);
            key = tk;
            h = key_hash(key, kl);
        }
        emit(&o, key, kl);
        nd = nd != NULL ? kid_find(nd, key, kl, h) : NULL;
    }
    return !o.full;
}
