/* openapi.c - OpenAPI 2.0 / 3.0 / 3.1 to declarations (see openapi.h).
 *
 * One pass over `paths`: each path item (after $ref) and each method under it becomes one
 * operation per distinct server base path, so templates are the full paths clients send. The
 * version of an operation follows PRODUCT.md: the path's version token, else the manifest version,
 * else info.version. Strings are copied into the set's arena; the tree is only borrowed.
 */
#include "openapi.h"

#include "arena.h"
#include "buf.h"
#include "version.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_BASES 16
#define MAX_PARAMS 256

static const char *const methods[] = {"get",  "put",   "post",  "delete", "options",
                                      "head", "patch", "trace", "query"};

struct base {
    const char *path; /* "" or "/x" */
};

struct ctx {
    struct ac_resolver *r;
    const char *file;
    const struct ac_node *root;
    const struct ac_openapi_opts *o;
    struct ac_decl_set *set;
    struct ac_diag *d;
    int major; /* 2 or 3 */
    const char *api;
    const char *info_version;
    const char *labels[64];
    size_t nlabels;
    bool dates;
    struct base bases[MAX_BASES];
    size_t nbases;
    const char *audience; /* x-audience / x-internal at info level */
};

bool ac__openapi_detect(const struct ac_node *root)
{
    return root != NULL && root->kind == AC_NODE_MAP &&
           (ac__node_get(root, "openapi") != NULL || ac__node_get(root, "swagger") != NULL);
}

static enum ac_err oom(struct ctx *c)
{
    return ac_diag_set(c->d, AC_ENOMEM, c->file, 0, 0, "out of memory");
}

static const char *dup(struct ctx *c, const char *s)
{
    return ac__decl_strdup(c->set, s);
}

static const char *dupn(struct ctx *c, const char *s, size_t n)
{
    return ac__arena_strndup(c->set->arena, s, n);
}

static const char *str_at(const struct ac_node *map, const char *key)
{
    return ac__node_str(ac__node_get(map, key));
}

/* API name from a title: lower-case ASCII letters and digits, runs of others become '-'. */
static const char *slug(struct ctx *c, const char *title)
{
    char out[128];
    size_t o = 0;
    int dash = 0;

    for (; *title != '\0' && o + 2 < sizeof(out); title++) {
        unsigned char ch = (unsigned char)*title;

        if (isalnum(ch) && ch < 128) {
            if (dash && o > 0)
                out[o++] = '-';
            out[o++] = (char)tolower(ch);
            dash = 0;
        } else {
            dash = 1;
        }
    }
    out[o] = '\0';
    return o > 0 ? dupn(c, out, o) : NULL;
}

/* First paragraph of a description, at most ~300 bytes, cut on a UTF-8 boundary. */
static const char *short_text(struct ctx *c, const char *s)
{
    size_t n;

    if (s == NULL)
        return NULL;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    n = strcspn(s, "\n");
    if (n > 300) {
        n = 300;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    return n > 0 ? dupn(c, s, n) : NULL;
}

static const char *environment_of(const char *desc)
{
    char low[256];
    size_t i;

    if (desc == NULL)
        return NULL;
    for (i = 0; desc[i] != '\0' && i + 1 < sizeof(low); i++)
        low[i] = (char)tolower((unsigned char)desc[i]);
    low[i] = '\0';
    if (strstr(low, "staging") != NULL || strstr(low, "stage") != NULL ||
        strstr(low, "preprod") != NULL || strstr(low, "uat") != NULL)
        return "staging";
    if (strstr(low, "sandbox") != NULL || strstr(low, "test") != NULL || strstr(low, "qa") != NULL)
        return "test";
    if (strstr(low, "develop") != NULL || strstr(low, "dev ") != NULL || strcmp(low, "dev") == 0 ||
        strstr(low, "local") != NULL)
        return "development";
    if (strstr(low, "prod") != NULL || strstr(low, "live") != NULL)
        return "production";
    return NULL;
}

/* Audience from x-audience or x-internal on a node, or NULL. */
static const char *audience_of(const struct ac_node *n)
{
    const char *a = str_at(n, "x-audience");

    if (a != NULL &&
        (strcmp(a, "public") == 0 || strcmp(a, "partner") == 0 || strcmp(a, "internal") == 0))
        return a;
    if (ac__node_true(ac__node_get(n, "x-internal")))
        return "internal";
    return NULL;
}

/* Substitute {var} in a server URL with the variables' defaults. */
static enum ac_err expand_server(struct ctx *c, const struct ac_node *server, char *out, size_t cap)
{
    const char *url = str_at(server, "url");
    const struct ac_node *vars = ac__node_get(server, "variables");
    size_t o = 0;

    if (url == NULL)
        return ac_diag_set(c->d, AC_ESCHEMA, c->file, server->line, server->col,
                           "server without a 'url'");
    while (*url != '\0' && o + 1 < cap) {
        if (*url == '{') {
            const char *end = strchr(url, '}');
            char name[128];
            const char *def;
            size_t n;

            if (end == NULL || (size_t)(end - url - 1) >= sizeof(name))
                break;
            n = (size_t)(end - url - 1);
            memcpy(name, url + 1, n);
            name[n] = '\0';
            def = str_at(ac__node_get(vars, name), "default");
            if (def == NULL)
                return ac_diag_set(c->d, AC_ESCHEMA, c->file, server->line, server->col,
                                   "server variable '{%s}' has no default", name);
            n = strlen(def);
            if (o + n + 1 >= cap)
                return ac_diag_set(c->d, AC_ELIMIT, c->file, server->line, server->col,
                                   "server URL too long");
            memcpy(out + o, def, n);
            o += n;
            url = end + 1;
            continue;
        }
        out[o++] = *url++;
    }
    out[o] = '\0';
    return AC_OK;
}

/* Normalise a base path: leading '/', no trailing '/', "" for the root. */
static const char *norm_base(struct ctx *c, const char *p, size_t n)
{
    char tmp[1024];
    size_t o = 0, i;

    for (i = 0; i < n && o + 2 < sizeof(tmp); i++) {
        if (p[i] == '/' && o > 0 && tmp[o - 1] == '/')
            continue;
        if (o == 0 && p[i] != '/')
            tmp[o++] = '/';
        tmp[o++] = p[i];
    }
    while (o > 0 && tmp[o - 1] == '/')
        o--;
    return dupn(c, tmp, o);
}

static enum ac_err add_base(struct ctx *c, struct base *bases, size_t *nb, const char *bp)
{
    size_t i;

    if (bp == NULL)
        return oom(c);
    for (i = 0; i < *nb; i++)
        if (strcmp(bases[i].path, bp) == 0)
            return AC_OK;
    if (*nb < MAX_BASES)
        bases[(*nb)++].path = bp;
    return AC_OK;
}

/* A deployment from an absolute URL; the base path of the URL is returned in *bp. */
static enum ac_err add_deployment(struct ctx *c, const char *url, const struct ac_node *at,
                                  const char *desc, const char *audience, const char **bp)
{
    struct ac_decl_deployment *dep = ac__decl_add_deployment(c->set);

    if (dep == NULL)
        return oom(c);
    if (ac__decl_parse_url(c->set, url, dep) != AC_OK) {
        /* Not an http(s) URL with a host (ws://, a bare path): no deployment, keep the path. */
        c->set->ndeployments--;
        *bp = NULL;
        return AC_OK;
    }
    dep->api = c->api;
    dep->environment = environment_of(desc);
    dep->audience = audience != NULL ? audience : c->audience;
    dep->line = at->line;
    *bp = dep->base_path;
    return AC_OK;
}

/* Servers of OAS 3 (root, path or operation level) into base paths (+ deployments at root). */
static enum ac_err servers3(struct ctx *c, const struct ac_node *servers, bool declare,
                            struct base *bases, size_t *nb)
{
    char url[2048];
    uint32_t i;
    enum ac_err err;

    for (i = 0; servers != NULL && servers->kind == AC_NODE_SEQ && i < servers->n; i++) {
        const struct ac_node *s = servers->kids[i];
        const char *bp = NULL, *u;

        if (s->kind != AC_NODE_MAP)
            return ac_diag_set(c->d, AC_ESCHEMA, c->file, s->line, s->col,
                               "a server must be an object with a 'url'");
        err = expand_server(c, s, url, sizeof(url));
        if (err != AC_OK)
            return err;
        u = url;
        if (strstr(u, "://") != NULL) {
            if (declare) {
                const char *env = str_at(s, "x-environment");

                err = add_deployment(c, u, s, env != NULL ? env : str_at(s, "description"),
                                     audience_of(s), &bp);
                if (err != AC_OK)
                    return err;
            }
            if (bp == NULL) {
                const char *p = strstr(u, "://") + 3;

                p += strcspn(p, "/");
                bp = norm_base(c, p, strcspn(p, "?#"));
            }
        } else if (u[0] == '/' && u[1] == '/') {
            const char *p = u + 2 + strcspn(u + 2, "/");

            bp = norm_base(c, p, strcspn(p, "?#"));
        } else {
            bp = norm_base(c, u, strcspn(u, "?#"));
        }
        err = add_base(c, bases, nb, bp);
        if (err != AC_OK)
            return err;
    }
    return AC_OK;
}

/* Swagger 2.0 host + basePath + schemes. */
static enum ac_err servers2(struct ctx *c)
{
    const char *host = str_at(c->root, "host");
    const char *base = str_at(c->root, "basePath");
    const struct ac_node *schemes = ac__node_get(c->root, "schemes");
    const char *bp = norm_base(c, base != NULL ? base : "", base != NULL ? strlen(base) : 0);
    char url[2048];
    uint32_t i;
    enum ac_err err;

    if (host != NULL) {
        uint32_t n = (schemes != NULL && schemes->kind == AC_NODE_SEQ) ? schemes->n : 0;

        for (i = 0; i < (n > 0 ? n : 1); i++) {
            const char *scheme = n > 0 ? ac__node_str(schemes->kids[i]) : "https";
            const char *ignored;

            if (scheme == NULL || (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
                continue;
            snprintf(url, sizeof(url), "%s://%s%s", scheme, host, bp != NULL ? bp : "");
            err = add_deployment(c, url, ac__node_get(c->root, "host"), NULL, NULL, &ignored);
            if (err != AC_OK)
                return err;
        }
    }
    return add_base(c, c->bases, &c->nbases, bp);
}

/* JSON text of the security requirements in force, and whether credentials are required. */
static enum ac_err security_of(struct ctx *c, const struct ac_node *op, const char **json,
                               bool *required)
{
    const struct ac_node *sec = ac__node_get(op, "security");
    struct ac_buf b;
    uint32_t i, j;
    bool any_empty = false;
    enum ac_err err = AC_OK;

    if (sec == NULL)
        sec = ac__node_get(c->root, "security");
    *json = NULL;
    *required = false;
    if (sec == NULL || sec->kind != AC_NODE_SEQ)
        return AC_OK;
    ac__buf_init(&b, 64 * 1024);
    err = ac__buf_addc(&b, '[');
    for (i = 0; err == AC_OK && i < sec->n; i++) {
        const struct ac_node *req = sec->kids[i];

        if (i > 0)
            err = ac__buf_addc(&b, ',');
        if (err == AC_OK)
            err = ac__buf_addc(&b, '[');
        if (req->kind != AC_NODE_MAP || req->n == 0)
            any_empty = true;
        for (j = 0; err == AC_OK && req->kind == AC_NODE_MAP && j < req->n; j++) {
            const char *name = ac__node_str(ac__node_key(req, j));
            const char *p;

            err = ac__buf_adds(&b, j > 0 ? ",\"" : "\"");
            for (p = name; err == AC_OK && p != NULL && *p != '\0'; p++) {
                if (*p == '"' || *p == '\\')
                    err = ac__buf_addc(&b, '\\');
                if (err == AC_OK)
                    err = (unsigned char)*p < 0x20 ? ac__buf_addc(&b, '?') : ac__buf_addc(&b, *p);
            }
            if (err == AC_OK)
                err = ac__buf_addc(&b, '"');
        }
        if (err == AC_OK)
            err = ac__buf_addc(&b, ']');
    }
    if (err == AC_OK)
        err = ac__buf_addc(&b, ']');
    if (err == AC_OK) {
        *json = dupn(c, ac__buf_str(&b), b.len);
        if (*json == NULL)
            err = AC_ENOMEM;
    }
    *required = sec->n > 0 && !any_empty;
    ac__buf_free(&b);
    return err == AC_OK ? AC_OK
                        : ac_diag_set(c->d, err, c->file, sec->line, sec->col,
                                      "security requirements too large");
}

static bool header_named(const struct ac_node *headers, const char *prefix)
{
    uint32_t i;
    size_t pl = strlen(prefix);

    for (i = 0; headers != NULL && headers->kind == AC_NODE_MAP && i < headers->n; i++) {
        const char *h = ac__node_str(ac__node_key(headers, i));

        if (h != NULL && strncasecmp(h, prefix, pl) == 0)
            return true;
    }
    return false;
}

static enum ac_err responses_of(struct ctx *c, const char *file, const struct ac_node *op,
                                struct ac_decl_operation *out)
{
    const struct ac_node *resps = ac__node_get(op, "responses"), *resp;
    const char *rfile;
    uint32_t i;
    enum ac_err err;

    if (resps == NULL || resps->kind != AC_NODE_MAP)
        return AC_OK;
    for (i = 0; i < resps->n; i++) {
        const struct ac_node *key = ac__node_key(resps, i);
        const struct ac_node *hdrs;

        if (key->kind != AC_NODE_SCALAR || strncmp(key->str, "x-", 2) == 0)
            continue;
        if (ac__strv_push(c->set, &out->responses, key->str, key->len) != AC_OK)
            return oom(c);
        if (strcmp(key->str, "429") == 0)
            out->rate_limited = true;
        if (key->str[0] == '3')
            out->redirects = true;
        err = ac__resolve(c->r, file, ac__node_val(resps, i), &resp, &rfile, c->d);
        if (err != AC_OK)
            return err;
        hdrs = ac__node_get(resp, "headers");
        if (header_named(hdrs, "RateLimit") || header_named(hdrs, "X-RateLimit") ||
            header_named(hdrs, "X-Rate-Limit") || header_named(hdrs, "Retry-After"))
            out->rate_limited = true;
        if (header_named(hdrs, "Access-Control-"))
            out->cors = true;
    }
    return AC_OK;
}

/* The type, format and enum values of parameter p: from its schema (OAS 3, through a $ref), or
 * from the parameter itself (Swagger 2). */
static enum ac_err param_schema(struct ctx *c, const char *pf, const struct ac_node *p,
                                struct ac_decl_param *out)
{
    const struct ac_node *sch = ac__node_get(p, "schema"), *en;
    const char *sf;
    const char *type, *format;
    uint32_t i;
    enum ac_err err;

    out->type = NULL;
    out->format = NULL;
    out->enums = NULL;
    out->nenums = 0;
    if (sch != NULL) {
        err = ac__resolve(c->r, pf, sch, &sch, &sf, c->d);
        if (err != AC_OK)
            return err;
    } else {
        sch = p;
    }
    if (sch == NULL || sch->kind != AC_NODE_MAP)
        return AC_OK;
    type = str_at(sch, "type");
    format = str_at(sch, "format");
    en = ac__node_get(sch, "enum");
    if (type != NULL && (out->type = dup(c, type)) == NULL)
        return oom(c);
    if (format != NULL && (out->format = dup(c, format)) == NULL)
        return oom(c);
    if (en == NULL || en->kind != AC_NODE_SEQ || en->n == 0)
        return AC_OK;
    out->enums = ac__arena_alloc(c->set->arena, AC_PARAM_ENUM_MAX * sizeof(*out->enums));
    if (out->enums == NULL)
        return oom(c);
    for (i = 0; i < en->n && out->nenums < AC_PARAM_ENUM_MAX; i++)
        if (en->kids[i]->kind == AC_NODE_SCALAR && en->kids[i]->tag != AC_TAG_NULL) {
            out->enums[out->nenums] = dup(c, en->kids[i]->str);
            if (out->enums[out->nenums++] == NULL)
                return oom(c);
        }
    return AC_OK;
}

/* Path-level then operation-level parameters; a later (name, in) replaces an earlier one. */
static enum ac_err params_of(struct ctx *c, const char *pfile, const struct ac_node *pitem,
                             const char *ofile, const struct ac_node *op,
                             struct ac_decl_operation *out)
{
    struct ac_decl_param tmp[MAX_PARAMS];
    size_t n = 0, k;
    int level;
    enum ac_err err;

    for (level = 0; level < 2; level++) {
        const struct ac_node *list = ac__node_get(level == 0 ? pitem : op, "parameters");
        const char *lfile = level == 0 ? pfile : ofile;
        uint32_t i;

        for (i = 0; list != NULL && list->kind == AC_NODE_SEQ && i < list->n; i++) {
            const struct ac_node *p;
            const char *pf, *name, *in;

            err = ac__resolve(c->r, lfile, list->kids[i], &p, &pf, c->d);
            if (err != AC_OK)
                return err;
            name = str_at(p, "name");
            in = str_at(p, "in");
            if (name == NULL || in == NULL)
                continue; /* real specs carry malformed parameters; skip, don't fail */
            for (k = 0; k < n; k++)
                if (strcmp(tmp[k].name, name) == 0 && strcmp(tmp[k].in, in) == 0)
                    break;
            if (k == n) {
                if (n == MAX_PARAMS)
                    return ac_diag_set(c->d, AC_ELIMIT, lfile, p->line, p->col,
                                       "more than %d parameters on one operation", MAX_PARAMS);
                n++;
            }
            tmp[k].name = name;
            tmp[k].in = in;
            tmp[k].required = strcmp(in, "path") == 0 || ac__node_true(ac__node_get(p, "required"));
            err = param_schema(c, pf, p, &tmp[k]);
            if (err != AC_OK)
                return err;
        }
    }
    if (n == 0)
        return AC_OK;
    out->params = ac__arena_alloc(c->set->arena, n * sizeof(*out->params));
    if (out->params == NULL)
        return oom(c);
    for (k = 0; k < n; k++) {
        out->params[k] = tmp[k]; /* type, format and enums are arena copies already */
        out->params[k].name = dup(c, tmp[k].name);
        out->params[k].in = dup(c, tmp[k].in);
        if (out->params[k].name == NULL || out->params[k].in == NULL)
            return oom(c);
    }
    out->nparams = n;
    return AC_OK;
}

/* The full template: base path + path, with exactly one '/' between them. */
static const char *join_template(struct ctx *c, const char *base, const char *path)
{
    char tmp[4096];
    int n;

    if (path[0] == '/')
        n = snprintf(tmp, sizeof(tmp), "%s%s", base, path);
    else
        n = snprintf(tmp, sizeof(tmp), "%s/%s", base, path);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return NULL;
    return dupn(c, tmp, (size_t)n);
}

static const char *version_of(struct ctx *c, const char *tmpl)
{
    const char *tok, *label;
    size_t len, llen;

    if (ac__version_in_path(tmpl, c->dates, &tok, &len)) {
        label = ac__version_label(tok, len, c->labels, c->nlabels, &llen);
        return dupn(c, label, llen);
    }
    if (c->o != NULL && c->o->version != NULL)
        return c->o->version;
    return c->info_version;
}

static enum ac_err read_operation(struct ctx *c, const char *path, const char *pfile,
                                  const struct ac_node *pitem, const struct ac_node *key,
                                  const struct ac_node *opnode, const struct base *bases, size_t nb)
{
    const struct ac_node *op;
    const char *ofile, *security;
    char method[16];
    bool required;
    size_t i, bi;
    enum ac_err err;

    err = ac__resolve(c->r, pfile, opnode, &op, &ofile, c->d);
    if (err != AC_OK)
        return err;
    if (op->kind != AC_NODE_MAP)
        return ac_diag_set(c->d, AC_ESCHEMA, pfile, opnode->line, opnode->col,
                           "operation '%s %s' must be an object", key->str, path);
    for (i = 0; key->str[i] != '\0' && i + 1 < sizeof(method); i++)
        method[i] = (char)toupper((unsigned char)key->str[i]);
    method[i] = '\0';
    err = security_of(c, op, &security, &required);
    if (err != AC_OK)
        return err;
    for (bi = 0; bi < nb; bi++) {
        struct ac_decl_operation *o = ac__decl_add_operation(c->set);

        if (o == NULL)
            return oom(c);
        o->api = c->api;
        o->method = dup(c, method);
        o->tmpl = join_template(c, bases[bi].path, path);
        if (o->method == NULL || o->tmpl == NULL)
            return oom(c);
        o->version = version_of(c, o->tmpl);
        o->operation_id = dup(c, str_at(op, "operationId"));
        o->summary = short_text(c, str_at(op, "summary"));
        o->deprecated = ac__node_true(ac__node_get(op, "deprecated"));
        o->security = security;
        o->requires_auth = required;
        o->internal = audience_of(op);
        o->line = key->line;
        if (ac__node_get(op, "x-rate-limit") != NULL || ac__node_get(op, "x-ratelimit") != NULL ||
            ac__node_get(op, "x-rateLimit") != NULL)
            o->rate_limited = true;
        err = responses_of(c, ofile, op, o);
        if (err == AC_OK)
            err = params_of(c, pfile, pitem, ofile, op, o);
        if (err != AC_OK)
            return err;
    }
    return AC_OK;
}

static enum ac_err read_paths(struct ctx *c)
{
    const struct ac_node *paths = ac__node_get(c->root, "paths");
    uint32_t i;
    size_t m;
    enum ac_err err = AC_OK;

    if (paths == NULL)
        return AC_OK; /* webhooks-only or components-only documents declare no operations */
    if (paths->kind != AC_NODE_MAP)
        return ac_diag_set(c->d, AC_ESCHEMA, c->file, paths->line, paths->col,
                           "'paths' must be an object");
    for (i = 0; i < paths->n; i++) {
        const struct ac_node *key = ac__node_key(paths, i), *pitem;
        const char *pfile;
        struct base pbases[MAX_BASES];
        size_t npb = 0;
        uint32_t j;

        if (key->kind != AC_NODE_SCALAR || strncmp(key->str, "x-", 2) == 0)
            continue;
        err = ac__resolve(c->r, c->file, ac__node_val(paths, i), &pitem, &pfile, c->d);
        if (err != AC_OK)
            return err;
        if (pitem->kind != AC_NODE_MAP)
            continue;
        if (c->major == 3)
            err = servers3(c, ac__node_get(pitem, "servers"), false, pbases, &npb);
        if (err != AC_OK)
            return err;
        for (j = 0; j < pitem->n; j++) {
            const struct ac_node *mk = ac__node_key(pitem, j);
            struct base obases[MAX_BASES];
            size_t nob = 0;

            for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
                if (ac__node_is(mk, methods[m]))
                    break;
            if (m == sizeof(methods) / sizeof(methods[0]))
                continue;
            if (c->major == 3) {
                err = servers3(c, ac__node_get(ac__node_val(pitem, j), "servers"), false, obases,
                               &nob);
                if (err != AC_OK)
                    return err;
            }
            err = read_operation(c, key->str, pfile, pitem, mk, ac__node_val(pitem, j),
                                 nob > 0   ? obases
                                 : npb > 0 ? pbases
                                           : c->bases,
                                 nob > 0   ? nob
                                 : npb > 0 ? npb
                                           : c->nbases);
            if (err != AC_OK)
                return err;
        }
    }
    return AC_OK;
}

static enum ac_err read_info(struct ctx *c)
{
    const struct ac_node *info = ac__node_get(c->root, "info");
    const struct ac_node *contact = ac__node_get(info, "contact");
    struct ac_decl_api *api;
    const char *title = str_at(info, "title"), *lc;

    c->info_version = dup(c, str_at(info, "version"));
    if (c->o != NULL && c->o->api != NULL)
        c->api = c->o->api;
    else if (title != NULL)
        c->api = slug(c, title);
    if (c->api == NULL) {
        const char *base = strrchr(c->file, '/');

        c->api = slug(c, base != NULL ? base + 1 : c->file);
    }
    if (c->api == NULL)
        c->api = "unnamed";
    api = ac__decl_add_api(c->set);
    if (api == NULL)
        return oom(c);
    api->name = c->api;
    api->description = short_text(c, str_at(info, "description"));
    if (api->description == NULL)
        api->description = dup(c, title);
    api->owner = dup(c, str_at(info, "x-owner"));
    if (api->owner == NULL)
        api->owner = dup(c, str_at(contact, "name"));
    api->contact = dup(c, str_at(contact, "email"));
    if (api->contact == NULL)
        api->contact = dup(c, str_at(contact, "url"));
    api->docs = dup(c, str_at(ac__node_get(c->root, "externalDocs"), "url"));
    lc = str_at(info, "x-lifecycle");
    if (lc != NULL && (strcmp(lc, "design") == 0 || strcmp(lc, "active") == 0 ||
                       strcmp(lc, "deprecated") == 0 || strcmp(lc, "retired") == 0))
        api->lifecycle = dup(c, lc);
    api->line = info != NULL ? info->line : 1;
    c->audience = audience_of(info);
    return AC_OK;
}

/* Every distinct version label carried by an operation is a registered version. */
static enum ac_err declare_versions(struct ctx *c)
{
    size_t i, j;

    for (i = 0; i < c->set->noperations; i++) {
        const char *v = c->set->operations[i].version;
        struct ac_decl_version *ver;

        if (v == NULL)
            continue;
        for (j = 0; j < c->set->nversions; j++)
            if (strcmp(c->set->versions[j].label, v) == 0)
                break;
        if (j < c->set->nversions)
            continue;
        ver = ac__decl_add_version(c->set);
        if (ver == NULL)
            return oom(c);
        ver->api = c->api;
        ver->label = v;
        ver->line = c->set->operations[i].line;
    }
    return AC_OK;
}

enum ac_err ac__openapi_read(struct ac_resolver *r, const char *file, const struct ac_node *root,
                             const struct ac_openapi_opts *o, struct ac_decl_set *set,
                             struct ac_diag *d)
{
    struct ctx c;
    const struct ac_node *ver;
    const char *vs;
    char fmt[64];
    size_t i;
    enum ac_err err;

    memset(&c, 0, sizeof(c));
    c.r = r;
    c.file = file;
    c.root = root;
    c.o = o;
    c.set = set;
    c.d = d;
    if (!ac__openapi_detect(root))
        return ac_diag_set(d, AC_ESCHEMA, file, root != NULL ? root->line : 0,
                           root != NULL ? root->col : 0,
                           "not an OpenAPI document (no 'openapi' or 'swagger' key)");
    ver = ac__node_get(root, "openapi");
    c.major = 3;
    if (ver == NULL) {
        ver = ac__node_get(root, "swagger");
        c.major = 2;
    }
    vs = ac__node_str(ver);
    if (vs == NULL || (c.major == 2 && strcmp(vs, "2.0") != 0) ||
        (c.major == 3 && strncmp(vs, "3.", 2) != 0))
        return ac_diag_set(d, AC_ESCHEMA, file, ver->line, ver->col,
                           "unsupported %s version '%s' (expected 2.0, 3.0.x or 3.1.x)",
                           c.major == 2 ? "swagger" : "openapi", vs != NULL ? vs : "?");
    snprintf(fmt, sizeof(fmt), "%s %s", c.major == 2 ? "swagger" : "openapi", vs);
    set->format = dup(&c, fmt);
    err = read_info(&c);
    if (err != AC_OK)
        return err;
    for (i = 0; o != NULL && i < o->nlabels && c.nlabels < 63; i++) {
        c.labels[c.nlabels++] = o->labels[i];
        if (ac__is_date(o->labels[i], strlen(o->labels[i])))
            c.dates = true;
    }
    if (c.info_version != NULL) {
        c.labels[c.nlabels++] = c.info_version;
        if (ac__is_date(c.info_version, strlen(c.info_version)))
            c.dates = true;
    }
    if (o != NULL && o->date_versions)
        c.dates = true;
    if (c.major == 3) {
        err = servers3(&c, ac__node_get(root, "servers"), true, c.bases, &c.nbases);
        if (err == AC_OK && c.nbases == 0)
            err = add_base(&c, c.bases, &c.nbases, "");
    } else {
        err = servers2(&c);
    }
    if (err == AC_OK)
        err = read_paths(&c);
    if (err == AC_OK)
        err = declare_versions(&c);
    if (err == AC_OK)
        err = ac__resolver_check_all(r, NULL, d);
    return err;
}
