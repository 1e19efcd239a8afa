/* model.c - declaration sets: arena-backed growable arrays of what one document declares.
 *
 * Arrays grow by doubling inside the set's arena; the old copy is simply abandoned to the arena,
 * which is cheap because a set lives for one import only.
 */
#include "model.h"

#include "arena.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum {
    CAP_API,
    CAP_VERSION,
    CAP_DEPLOYMENT,
    CAP_OPERATION,
    CAP_INTEGRATION,
    CAP_POLICY,
    CAP_ACCEPT,
    CAP_REF,
    CAP_COUNT_
};

struct ac_decl_set *ac__decl_set_new(enum ac_doc_kind kind, const char *path, size_t cap)
{
    struct ac_arena *a = ac__arena_new(cap);
    struct ac_decl_set *s;

    if (a == NULL)
        return NULL;
    s = ac__arena_alloc(a, sizeof(*s));
    if (s == NULL) {
        ac__arena_free(a);
        return NULL;
    }
    s->arena = a;
    s->kind = kind;
    s->path = ac__arena_strndup(a, path, strlen(path));
    if (s->path == NULL) {
        ac__arena_free(a);
        return NULL;
    }
    return s;
}

void ac__decl_set_free(struct ac_decl_set *s)
{
    if (s == NULL)
        return;
    ac__arena_free(s->arena); /* the set itself lives in its arena */
}

/* Grow *arr (n used, *cap allocated) by one zeroed element of `size` bytes. */
static void *grow(struct ac_decl_set *s, void **arr, size_t *n, size_t *cap, size_t size)
{
    unsigned char *p;

    if (*n == *cap) {
        size_t ncap = *cap != 0 ? *cap * 2 : 8;
        void *na = ac__arena_alloc(s->arena, ncap * size);

        if (na == NULL)
            return NULL;
        if (*n > 0)
            memcpy(na, *arr, *n * size);
        *arr = na;
        *cap = ncap;
    }
    p = (unsigned char *)*arr + *n * size;
    memset(p, 0, size);
    (*n)++;
    return p;
}

#define GROW(s, field, count, capidx)                                                              \
    grow((s), (void **)&(s)->field, &(s)->count, &(s)->cap_[capidx], sizeof(*(s)->field))

struct ac_decl_api *ac__decl_add_api(struct ac_decl_set *s)
{
    struct ac_decl_api *x = GROW(s, apis, napis, CAP_API);

    if (x != NULL)
        x->review_every_days = -1;
    return x;
}

struct ac_decl_version *ac__decl_add_version(struct ac_decl_set *s)
{
    return GROW(s, versions, nversions, CAP_VERSION);
}

struct ac_decl_deployment *ac__decl_add_deployment(struct ac_decl_set *s)
{
    struct ac_decl_deployment *x = GROW(s, deployments, ndeployments, CAP_DEPLOYMENT);

    if (x != NULL) {
        x->port = -1;
        x->production_data = -1;
    }
    return x;
}

struct ac_decl_operation *ac__decl_add_operation(struct ac_decl_set *s)
{
    return GROW(s, operations, noperations, CAP_OPERATION);
}

struct ac_decl_integration *ac__decl_add_integration(struct ac_decl_set *s)
{
    return GROW(s, integrations, nintegrations, CAP_INTEGRATION);
}

struct ac_decl_policy *ac__decl_add_policy(struct ac_decl_set *s)
{
    return GROW(s, policy, npolicy, CAP_POLICY);
}

struct ac_decl_accept *ac__decl_add_accept(struct ac_decl_set *s)
{
    return GROW(s, accepted, naccepted, CAP_ACCEPT);
}

struct ac_decl_ref *ac__decl_add_ref(struct ac_decl_set *s)
{
    return GROW(s, refs, nrefs, CAP_REF);
}

enum ac_err ac__strv_push(struct ac_decl_set *set, struct ac_strv *v, const char *str, size_t len)
{
    const char **nv;
    char *copy = ac__arena_strndup(set->arena, str, len);

    if (copy == NULL)
        return AC_ENOMEM;
    /* Lists are short (data classes, protections); a copy per push keeps this simple. */
    nv = ac__arena_alloc(set->arena, (v->n + 1) * sizeof(*nv));
    if (nv == NULL)
        return AC_ENOMEM;
    if (v->n > 0)
        memcpy(nv, v->v, v->n * sizeof(*nv));
    nv[v->n++] = copy;
    v->v = nv;
    return AC_OK;
}

const char *ac__decl_strdup(struct ac_decl_set *s, const char *str)
{
    if (str == NULL)
        return NULL;
    return ac__arena_strndup(s->arena, str, strlen(str));
}

enum ac_err ac__decl_parse_url(struct ac_decl_set *s, const char *url,
                               struct ac_decl_deployment *dep)
{
    const char *p, *host, *hend, *path;
    size_t schemelen, i, plen;
    int64_t port = -1;
    char *h, *bp;

    p = strstr(url, "://");
    if (p == NULL)
        return AC_ESCHEMA;
    schemelen = (size_t)(p - url);
    if (!((schemelen == 4 && strncmp(url, "http", 4) == 0) ||
          (schemelen == 5 && strncmp(url, "https", 5) == 0)))
        return AC_ESCHEMA;
    host = p + 3;
    /* Skip userinfo if any. */
    for (hend = host; *hend != '\0' && *hend != '/' && *hend != '?' && *hend != '#'; hend++)
        if (*hend == '@')
            host = hend + 1;
    path = hend;
    /* Split host and port; IPv6 literals keep their brackets. */
    hend = host;
    if (*hend == '[') {
        while (hend < path && *hend != ']')
            hend++;
        if (hend < path)
            hend++;
    } else {
        while (hend < path && *hend != ':')
            hend++;
    }
    if (hend == host)
        return AC_ESCHEMA;
    if (hend < path && *hend == ':') {
        const char *q = hend + 1;

        if (q == path)
            return AC_ESCHEMA;
        port = 0;
        for (; q < path; q++) {
            if (*q < '0' || *q > '9' || port > 65535)
                return AC_ESCHEMA;
            port = port * 10 + (*q - '0');
        }
        if (port == 0 || port > 65535)
            return AC_ESCHEMA;
    }
    h = ac__arena_strndup(s->arena, host, (size_t)(hend - host));
    if (h == NULL)
        return AC_ENOMEM;
    for (i = 0; h[i] != '\0'; i++)
        h[i] = (char)tolower((unsigned char)h[i]);
    plen = strcspn(path, "?#");
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    bp = ac__arena_strndup(s->arena, path, plen);
    if (bp == NULL)
        return AC_ENOMEM;
    dep->scheme = schemelen == 5 ? "https" : "http";
    dep->host = h;
    dep->port = port != -1 ? port : (schemelen == 5 ? 443 : 80);
    dep->base_path = bp;
    dep->url = ac__decl_strdup(s, url);
    return dep->url != NULL ? AC_OK : AC_ENOMEM;
}
