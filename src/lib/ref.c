/* ref.c - lazy $ref resolution with a per-import cache of files and targets.
 *
 * Invariants: every loaded file appears once in `files` (keyed by its normalised path); every
 * resolved (file, $ref text) pair is cached in an open-addressing table so a spec with tens of
 * thousands of $refs to a few thousand targets walks each JSON pointer once. Targets are found by
 * walking the pointer through the tree; nothing is copied or expanded.
 */
#include "ref.h"

#include "arena.h"
#include "fileio.h"
#include "sha256.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REF_MAX_HOPS 64
#define REF_MAX_FILES 512
#define REF_MAX_WALK (50u * 1000u * 1000u)

struct ref_file {
    const char *path;
    const struct ac_node *root;
    int walked;
    char sha256[65]; /* of the file's bytes; "" for the root (the caller hashes it) */
};

struct ref_slot {
    uint64_t hash;
    const char *file;
    const char *ref;
    const struct ac_node *target;
    const char *target_file;
};

struct ac_resolver {
    struct ac_arena *a;
    const struct ac_doc_limits *lim;
    struct ref_file files[REF_MAX_FILES];
    size_t nfiles;
    struct ref_slot *slots;
    size_t nslots; /* power of two */
    size_t used;
};

struct ac_resolver *ac__resolver_new(struct ac_arena *a, const struct ac_doc_limits *lim,
                                     const char *file, const struct ac_node *root)
{
    struct ac_resolver *r = ac__arena_alloc(a, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->a = a;
    r->lim = lim;
    r->files[0].path = ac__arena_strndup(a, file, strlen(file));
    r->files[0].root = root;
    r->nfiles = 1;
    r->nslots = 1024;
    r->slots = ac__arena_alloc(a, r->nslots * sizeof(*r->slots));
    if (r->files[0].path == NULL || r->slots == NULL)
        return NULL;
    return r;
}

static uint64_t hash2(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */

    for (; *a != '\0'; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (; *b != '\0'; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ull;
    return h;
}

static struct ref_slot *cache_find(struct ac_resolver *r, uint64_t h, const char *file,
                                   const char *ref)
{
    size_t i = (size_t)h & (r->nslots - 1);

    for (;; i = (i + 1) & (r->nslots - 1)) {
        struct ref_slot *s = &r->slots[i];

        if (s->ref == NULL)
            return s;
        if (s->hash == h && strcmp(s->file, file) == 0 && strcmp(s->ref, ref) == 0)
            return s;
    }
}

static void cache_put(struct ac_resolver *r, uint64_t h, const char *file, const char *ref,
                      const struct ac_node *target, const char *target_file)
{
    struct ref_slot *s;

    if ((r->used + 1) * 2 > r->nslots) {
        size_t n = r->nslots * 2, i;
        struct ref_slot *old = r->slots, *ns = ac__arena_alloc(r->a, n * sizeof(*ns));

        if (ns == NULL)
            return; /* the cache is an optimisation: go on without it */
        r->slots = ns;
        r->nslots = n;
        for (i = 0; i < n / 2; i++)
            if (old[i].ref != NULL)
                *cache_find(r, old[i].hash, old[i].file, old[i].ref) = old[i];
    }
    s = cache_find(r, h, file, ref);
    if (s->ref == NULL)
        r->used++;
    s->hash = h;
    s->file = file;
    s->ref = ref;
    s->target = target;
    s->target_file = target_file;
}

/* Find or load the file at `path` (already normalised). */
static enum ac_err load_file(struct ac_resolver *r, const char *path, const struct ac_node *at,
                             const char *at_file, struct ref_file **out, struct ac_diag *d)
{
    char *text = NULL;
    size_t len = 0, i, ndocs = 0;
    struct ac_node **docs = NULL;
    struct ac_diag sub;
    struct stat sb;
    enum ac_err err;

    for (i = 0; i < r->nfiles; i++) {
        if (strcmp(r->files[i].path, path) == 0) {
            *out = &r->files[i];
            return AC_OK;
        }
    }
    if (r->nfiles == REF_MAX_FILES)
        return ac_diag_set(d, AC_ELIMIT, at_file, at->line, at->col,
                           "more than %d files referenced through $ref", REF_MAX_FILES);
    ac_diag_clear(&sub);
    /* Only regular files: a $ref to /dev/zero or a FIFO must not stall or exhaust the import. */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return ac_diag_set(d, AC_EREF, at_file, at->line, at->col,
                           "$ref to '%s': not a regular file", path);
    err = ac__file_read(path, r->lim->max_bytes, &text, &len, &sub);
    if (err != AC_OK) {
        ac_diag_set(d, AC_EREF, at_file, at->line, at->col, "$ref to '%s': %s", path, sub.msg);
        goto out;
    }
    err = ac__doc_parse(r->a, text, len, path, r->lim, &docs, &ndocs, d);
    if (err != AC_OK)
        goto out;
    if (ndocs == 0) {
        err = ac_diag_set(d, AC_EREF, at_file, at->line, at->col, "$ref to '%s': the file is empty",
                          path);
        goto out;
    }
    r->files[r->nfiles].path = ac__arena_strndup(r->a, path, strlen(path));
    r->files[r->nfiles].root = docs[0];
    ac__sha256_buf(text, len, r->files[r->nfiles].sha256);
    if (r->files[r->nfiles].path == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    *out = &r->files[r->nfiles++];
out:
    free(text);
    return err;
}

/* Decode one JSON pointer token (RFC 6901 ~0 ~1, plus URI percent-encoding) into buf. */
static size_t pointer_token(const char *s, size_t n, char *buf, size_t cap)
{
    size_t i, o = 0;

    for (i = 0; i < n && o + 1 < cap; i++) {
        char c = s[i];

        if (c == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
            c = s[i + 1] == '0' ? '~' : '/';
            i++;
        } else if (c == '%' && i + 2 < n) {
            int hi = s[i + 1], lo = s[i + 2], v = 0, k;

            for (k = 0; k < 2; k++) {
                int ch = k == 0 ? hi : lo;

                v <<= 4;
                if (ch >= '0' && ch <= '9')
                    v |= ch - '0';
                else if (ch >= 'a' && ch <= 'f')
                    v |= ch - 'a' + 10;
                else if (ch >= 'A' && ch <= 'F')
                    v |= ch - 'A' + 10;
                else
                    v = -1000;
            }
            if (v >= 0) {
                c = (char)v;
                i += 2;
            }
        }
        buf[o++] = c;
    }
    buf[o] = '\0';
    return o;
}

/* Walk a JSON pointer fragment ("/a/b/0") from root; on failure name the missing token. */
static const struct ac_node *pointer_walk(const struct ac_node *root, const char *frag,
                                          char *missing, size_t mcap)
{
    const struct ac_node *cur = root;
    char tok[1024];

    while (*frag == '/') {
        const char *end = strchr(frag + 1, '/');
        size_t n = end != NULL ? (size_t)(end - frag - 1) : strlen(frag + 1);

        pointer_token(frag + 1, n, tok, sizeof(tok));
        snprintf(missing, mcap, "%.200s", tok);
        if (cur->kind == AC_NODE_MAP) {
            cur = ac__node_get(cur, tok);
        } else if (cur->kind == AC_NODE_SEQ) {
            char *e = NULL;
            unsigned long idx = strtoul(tok, &e, 10);

            cur =
                (tok[0] != '\0' && e != NULL && *e == '\0' && idx < cur->n) ? cur->kids[idx] : NULL;
        } else {
            cur = NULL;
        }
        if (cur == NULL)
            return NULL;
        frag += 1 + n;
    }
    return *frag == '\0' ? cur : NULL;
}

/* Resolve one $ref string found at node `at` in `file`. */
static enum ac_err resolve_one(struct ac_resolver *r, const char *file, const struct ac_node *at,
                               const char *ref, const struct ac_node **out, const char **out_file,
                               struct ac_diag *d)
{
    const char *hash = strchr(ref, '#');
    size_t flen = hash != NULL ? (size_t)(hash - ref) : strlen(ref);
    const char *frag = hash != NULL ? hash + 1 : "";
    char path[4096], fpart[4096], missing[256];
    struct ref_file *target = NULL;
    const struct ac_node *node;
    uint64_t h = hash2(file, ref);
    struct ref_slot *slot = cache_find(r, h, file, ref);
    enum ac_err err;

    if (slot->ref != NULL) {
        *out = slot->target;
        *out_file = slot->target_file;
        return AC_OK;
    }
    if (memchr(ref, ':', flen) != NULL && strstr(ref, "://") != NULL)
        return ac_diag_set(d, AC_EREF, file, at->line, at->col,
                           "remote $ref '%s' is not fetched; download it and refer to the file",
                           ref);
    if (flen == 0) {
        size_t i;

        for (i = 0; i < r->nfiles && strcmp(r->files[i].path, file) != 0; i++)
            ;
        if (i == r->nfiles)
            return ac_diag_set(d, AC_EREF, file, at->line, at->col, "unknown file %s", file);
        target = &r->files[i];
    } else {
        if (flen >= sizeof(fpart))
            return ac_diag_set(d, AC_ELIMIT, file, at->line, at->col, "$ref path too long");
        pointer_token(ref, flen, fpart, sizeof(fpart)); /* percent-decode the file part */
        if (ac__path_join_dir(file, fpart, path, sizeof(path)) != AC_OK)
            return ac_diag_set(d, AC_ELIMIT, file, at->line, at->col, "$ref path too long");
        err = load_file(r, path, at, file, &target, d);
        if (err != AC_OK)
            return err;
    }
    missing[0] = '\0';
    node = pointer_walk(target->root, frag, missing, sizeof(missing));
    if (node == NULL)
        return ac_diag_set(d, AC_EREF, file, at->line, at->col,
                           "$ref '%s' points to nothing (no '%s' in %s)", ref, missing,
                           target->path);
    cache_put(r, h, file, ref, node, target->path);
    *out = node;
    *out_file = target->path;
    return AC_OK;
}

enum ac_err ac__resolve(struct ac_resolver *r, const char *file, const struct ac_node *node,
                        const struct ac_node **out, const char **out_file, struct ac_diag *d)
{
    const struct ac_node *cur = node, *ref;
    const char *cur_file = file;
    int hops = 0;
    enum ac_err err;

    while (cur != NULL && cur->kind == AC_NODE_MAP && (ref = ac__node_get(cur, "$ref")) != NULL &&
           ref->kind == AC_NODE_SCALAR) {
        if (++hops > REF_MAX_HOPS)
            return ac_diag_set(d, AC_EREF, file, node->line, node->col,
                               "$ref chain longer than %d hops (a cycle of references?)",
                               REF_MAX_HOPS);
        err = resolve_one(r, cur_file, ref, ref->str, &cur, &cur_file, d);
        if (err != AC_OK)
            return err;
    }
    *out = cur;
    *out_file = cur_file;
    return AC_OK;
}

/* Check every $ref under one file's root; iterative so depth cannot overflow the stack. */
static enum ac_err walk_file(struct ac_resolver *r, size_t fi, size_t *nrefs, struct ac_diag *d)
{
    const struct ac_node **stack = NULL;
    size_t top = 0, cap = 256, visits = 0;
    const char *file = r->files[fi].path;
    enum ac_err err = AC_OK;

    stack = malloc(cap * sizeof(*stack));
    if (stack == NULL)
        return ac_diag_set(d, AC_ENOMEM, file, 0, 0, "out of memory");
    stack[top++] = r->files[fi].root;
    while (top > 0) {
        const struct ac_node *n = stack[--top], *ref, *target;
        const char *tfile;
        uint32_t i, nk;

        if (++visits > REF_MAX_WALK) {
            err = ac_diag_set(d, AC_ELIMIT, file, 0, 0, "document too large to check $refs");
            goto out;
        }
        if (n->kind == AC_NODE_SCALAR)
            continue;
        if (n->kind == AC_NODE_MAP && (ref = ac__node_get(n, "$ref")) != NULL &&
            ref->kind == AC_NODE_SCALAR) {
            err = resolve_one(r, file, ref, ref->str, &target, &tfile, d);
            if (err != AC_OK)
                goto out;
            (*nrefs)++;
        }
        nk = n->kind == AC_NODE_MAP ? 2 * n->n : n->n;
        if (top + nk > cap) {
            const struct ac_node **ns;

            while (top + nk > cap)
                cap *= 2;
            ns = realloc(stack, cap * sizeof(*stack));
            if (ns == NULL) {
                err = ac_diag_set(d, AC_ENOMEM, file, 0, 0, "out of memory");
                goto out;
            }
            stack = ns;
        }
        for (i = nk; i > 0; i--) /* reversed so the walk goes in document order */
            if (n->kids[i - 1]->kind != AC_NODE_SCALAR)
                stack[top++] = n->kids[i - 1];
    }
out:
    free(stack);
    return err;
}

enum ac_err ac__resolver_check_all(struct ac_resolver *r, size_t *nrefs, struct ac_diag *d)
{
    size_t i, count = 0;
    enum ac_err err = AC_OK;

    /* Files loaded while walking are appended to `files` and walked in turn. */
    for (i = 0; i < r->nfiles; i++) {
        if (r->files[i].walked)
            continue;
        r->files[i].walked = 1;
        err = walk_file(r, i, &count, d);
        if (err != AC_OK)
            break;
    }
    if (nrefs != NULL)
        *nrefs = count;
    return err;
}

void ac__resolver_digest(const struct ac_resolver *r, char sha[65])
{
    struct ac_sha256 c;
    size_t i;

    if (r->nfiles < 2)
        return;
    ac__sha256_init(&c);
    ac__sha256_update(&c, sha, 64);
    for (i = 1; i < r->nfiles; i++) {
        ac__sha256_update(&c, r->files[i].path, strlen(r->files[i].path) + 1);
        ac__sha256_update(&c, r->files[i].sha256, 64);
    }
    ac__sha256_hex(&c, sha);
}
