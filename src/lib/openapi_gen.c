/* openapi_gen.c - an OpenAPI 3.1 document from observed traffic (<apicensus/openapi_gen.h>).
 *
 * Like export.c, this reads everything through the public ac_list() and never sees SQL: the
 * endpoints listing carries each endpoint's query names, status codes, security schemes and
 * body shapes, and the deployments listing the hosts of an API. The document is built as a
 * json-c tree (objects keep their insertion order, and every input is sorted first, so the same
 * store gives the same bytes), then written as JSON or as block YAML in which every string is a
 * JSON string (a valid YAML double-quoted scalar): no observed text can become YAML structure.
 */
#include <apicensus/openapi_gen.h>
#include <apicensus/registry.h>
#include <apicensus/table.h>

#include "jsonshape.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 32 /* path parameters of one template */

/* One endpoint row kept for the document. */
struct ep {
    size_t row;
    const char *host, *method, *tmpl;
    char key[512]; /* the template with parameter names blanked: "/users/{}" */
};

struct gen {
    const struct ac_table *t;
    size_t c_host, c_method, c_tmpl, c_query, c_codes, c_status, c_security, c_bodies, c_with,
        c_without;
    struct json_object *schemes; /* components.securitySchemes */
    struct json_object *op_ids;  /* operationIds used */
    struct ac_jshape *req, *resp;
};

static const char *cell(const struct ac_table *t, size_t r, size_t c)
{
    return c == (size_t)-1 ? NULL : ac_table_cell(t, r, c);
}

static bool eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The lower-case OpenAPI method of an HTTP method, or NULL when OpenAPI has none. */
static const char *oa_method(const char *m)
{
    static const char *const up[] = {"GET",     "PUT",  "POST",  "DELETE",
                                     "OPTIONS", "HEAD", "PATCH", "TRACE"};
    static const char *const low[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};
    size_t i;

    for (i = 0; i < sizeof(up) / sizeof(up[0]); i++)
        if (eq(m, up[i]))
            return low[i];
    return NULL;
}

/* The template with every {name} blanked to {}; false when it does not fit or is not a path. */
static bool blank_key(const char *tmpl, char *out, size_t cap)
{
    size_t k = 0;
    const char *p;

    if (tmpl[0] != '/')
        return false;
    for (p = tmpl; *p != '\0'; p++) {
        if (k + 3 >= cap)
            return false;
        out[k++] = *p;
        if (*p == '{') {
            const char *e = strchr(p, '}');

            if (e == NULL)
                return false;
            p = e;
            out[k++] = '}';
        }
    }
    out[k] = '\0';
    return true;
}

static int cmp_ep(const void *x, const void *y)
{
    const struct ep *a = x, *b = y;
    int c = strcmp(a->key, b->key);

    if (c == 0)
        c = strcmp(a->method, b->method);
    if (c == 0)
        c = strcmp(a->tmpl, b->tmpl);
    if (c == 0)
        c = strcmp(a->host, b->host);
    return c;
}

/* ---- path parameters --------------------------------------------------------------------- */

struct param {
    char name[64];  /* as written in the document's path */
    char klass[64]; /* the name in the observed template (int, uuid, user ...) */
};

static bool classifier(const char *k)
{
    static const char *const cls[] = {"int", "uuid", "hex",   "objectid",
                                      "id",  "date", "email", "ip"};
    size_t i;

    for (i = 0; i < sizeof(cls) / sizeof(cls[0]); i++)
        if (strcmp(k, cls[i]) == 0)
            return true;
    return false;
}

/* A parameter name for a classifier after the literal segment prev: users + int -> userId. */
static void name_for(const char *prev, size_t pn, const char *klass, char out[64])
{
    const char *suffix = strcmp(klass, "date") == 0    ? "Date"
                         : strcmp(klass, "email") == 0 ? "Email"
                         : strcmp(klass, "ip") == 0    ? "Ip"
                                                       : "Id";
    size_t i, k = 0;
    bool up = false;

    for (i = 0; i < pn && k < 40; i++) {
        char c = prev[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (k == 0 && c >= '0' && c <= '9')
                continue;
            out[k++] = up && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
            up = false;
        } else {
            up = k > 0;
        }
    }
    if (k > 3 && out[k - 1] == 's' && out[k - 2] != 's')
        k--; /* users -> user */
    if (k == 0) {
        memcpy(out, klass, strlen(klass) + 1);
        return;
    }
    if (out[0] >= 'A' && out[0] <= 'Z')
        out[0] = (char)(out[0] - 'A' + 'a');
    memcpy(out + k, suffix, strlen(suffix) + 1);
}

/* A name of [A-Za-z0-9_.-] from an observed parameter name. */
static void sanitize(const char *s, size_t n, char out[64])
{
    size_t i, k = 0;

    for (i = 0; i < n && k < 48; i++) {
        char c = s[i];

        out[k++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.')
                       ? c
                       : '_';
    }
    if (k == 0)
        out[k++] = 'p';
    out[k] = '\0';
}

/* The parameters of tmpl in order, named for the document, and the path written with them. */
static size_t path_params(const char *tmpl, struct param *ps, char *path, size_t cap)
{
    const char *seg = tmpl, *prev = NULL, *p;
    size_t prevn = 0, np = 0, k = 0, i, j;

    while (*seg != '\0') {
        const char *end = strchr(seg + 1, '/');
        bool literal = true;

        if (end == NULL)
            end = seg + strlen(seg);
        for (p = seg; p < end; p++) {
            if (*p == '{') {
                const char *e = memchr(p, '}', (size_t)(end - p));
                struct param *q;
                char base[64];
                unsigned dup = 1;

                if (e == NULL || np == MAX_PARAMS)
                    break;
                literal = false;
                q = &ps[np];
                sanitize(p + 1, (size_t)(e - p - 1), q->klass);
                if (classifier(q->klass) && prev != NULL)
                    name_for(prev, prevn, q->klass, base);
                else
                    memcpy(base, q->klass, strlen(q->klass) + 1);
                memcpy(q->name, base, strlen(base) + 1);
                for (i = 0; i < np; i++)
                    if (strcmp(ps[i].name, q->name) == 0) {
                        snprintf(q->name, sizeof(q->name), "%.56s%u", base, ++dup);
                        i = (size_t)-1; /* check the new name again */
                    }
                np++;
                for (j = 0; q->name[j] != '\0' && k + 2 < cap; j++) {
                    if (j == 0)
                        path[k++] = '{';
                    path[k++] = q->name[j];
                }
                if (k + 1 < cap)
                    path[k++] = '}';
                p = e;
                continue;
            }
            if (k + 1 < cap)
                path[k++] = *p;
        }
        if (literal) {
            prev = seg + 1;
            prevn = (size_t)(end - seg - 1);
        } else {
            prev = NULL;
        }
        seg = end;
    }
    path[k] = '\0';
    return np;
}

static struct json_object *str(const char *s)
{
    return json_object_new_string(s);
}

/* The schema of a path parameter observed as {klass}. */
static struct json_object *param_schema(const char *klass)
{
    struct json_object *s = json_object_new_object();

    if (strcmp(klass, "int") == 0) {
        json_object_object_add(s, "type", str("integer"));
        return s;
    }
    json_object_object_add(s, "type", str("string"));
    if (strcmp(klass, "uuid") == 0)
        json_object_object_add(s, "format", str("uuid"));
    else if (strcmp(klass, "date") == 0)
        json_object_object_add(s, "format", str("date"));
    else if (strcmp(klass, "email") == 0)
        json_object_object_add(s, "format", str("email"));
    else if (strcmp(klass, "hex") == 0)
        json_object_object_add(s, "pattern", str("^[0-9a-fA-F]+$"));
    else if (strcmp(klass, "objectid") == 0)
        json_object_object_add(s, "pattern", str("^[0-9a-fA-F]{24}$"));
    return s;
}

/* ---- body schemas ------------------------------------------------------------------------ */

static struct json_object *schema_at(const struct ac_jshape *s, const char *path, unsigned depth);

/* The JSON Schema type(s) of a field: one name, or an array of them. */
static struct json_object *types_of(unsigned t)
{
    static const struct {
        unsigned bits;
        const char *name;
    } names[] = {{AC_JT_OBJ, "object"}, {AC_JT_ARR, "array"},   {AC_JT_STR, "string"},
                 {AC_JT_NUM, "number"}, {AC_JT_INT, "integer"}, {AC_JT_BOOL, "boolean"},
                 {AC_JT_NULL, "null"}};
    struct json_object *arr = json_object_new_array();
    size_t i;

    if ((t & AC_JT_NUM) != 0)
        t &= ~(unsigned)AC_JT_INT; /* integers are numbers too */
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (t & names[i].bits)
            json_object_array_add(arr, str(names[i].name));
    if (json_object_array_length(arr) == 1) {
        struct json_object *one = json_object_get(json_object_array_get_idx(arr, 0));

        json_object_put(arr);
        return one;
    }
    return arr;
}

static const char *format_of(unsigned fmt)
{
    if (fmt == AC_JF_ALL)
        return NULL; /* no string was seen */
    if (fmt & AC_JF_DATE_TIME)
        return "date-time";
    if (fmt & AC_JF_DATE)
        return "date";
    if (fmt & AC_JF_UUID)
        return "uuid";
    if (fmt & AC_JF_EMAIL)
        return "email";
    if (fmt & AC_JF_URI)
        return "uri";
    if (fmt & AC_JF_IPV4)
        return "ipv4";
    if (fmt & AC_JF_IPV6)
        return "ipv6";
    return NULL;
}

/* The properties of the object at path: its direct children "path.key" (or "key" at the root). */
static void object_schema(const struct ac_jshape *s, const struct ac_jfield *f, const char *path,
                          unsigned depth, struct json_object *out)
{
    struct json_object *props = json_object_new_object(), *req = json_object_new_array();
    size_t pl = strlen(path), skip = pl > 0 ? pl + 1 : 0;
    uint32_t i;

    for (i = 0; i < s->nf; i++) {
        const char *p = s->f[i].path, *key = p + skip;

        if (strlen(p) <= skip || (pl > 0 && (strncmp(p, path, pl) != 0 || p[pl] != '.')) ||
            strpbrk(key, ".[") != NULL)
            continue;
        json_object_object_add(props, key, schema_at(s, p, depth + 1));
        if (f->nobj > 0 && s->f[i].n >= f->nobj)
            json_object_array_add(req, str(key));
    }
    if (json_object_object_length(props) > 0)
        json_object_object_add(out, "properties", props);
    else
        json_object_put(props);
    if (json_object_array_length(req) > 0)
        json_object_object_add(out, "required", req);
    else
        json_object_put(req);
}

static struct json_object *schema_at(const struct ac_jshape *s, const char *path, unsigned depth)
{
    const struct ac_jfield *f = ac__jshape_find(s, path);
    struct json_object *out = json_object_new_object();
    const char *fmt;
    char items[AC_JSHAPE_PATH + 2];

    if (f == NULL || depth > AC_JSHAPE_DEPTH + 1)
        return out; /* {}: anything */
    json_object_object_add(out, "type", types_of(f->types));
    if ((f->types & AC_JT_STR) && (fmt = format_of(f->fmt)) != NULL)
        json_object_object_add(out, "format", str(fmt));
    if (f->types & AC_JT_OBJ)
        object_schema(s, f, path, depth, out);
    if (f->types & AC_JT_ARR) {
        snprintf(items, sizeof(items), "%s[]", path);
        json_object_object_add(out, "items", schema_at(s, items, depth + 1));
    }
    return out;
}

static struct json_object *json_content(const struct ac_jshape *s)
{
    struct json_object *c = json_object_new_object(), *mt = json_object_new_object();

    json_object_object_add(mt, "schema", schema_at(s, "", 0));
    json_object_object_add(c, "application/json", mt);
    return c;
}

/* Merge the shapes of a row's `bodies` cell into g->req and g->resp. */
static void merge_bodies(struct gen *g, const char *cellv)
{
    struct json_object *arr = cellv != NULL ? json_tokener_parse(cellv) : NULL, *o, *part;
    struct ac_jshape *tmp = malloc(sizeof(*tmp));
    size_t i;

    for (i = 0; tmp != NULL && json_object_is_type(arr, json_type_array) &&
                i < json_object_array_length(arr);
         i++) {
        o = json_object_array_get_idx(arr, i);
        if (json_object_object_get_ex(o, "request", &part) && ac__jshape_from_json(tmp, part))
            ac__jshape_merge(g->req, tmp);
        if (json_object_object_get_ex(o, "response", &part) && ac__jshape_from_json(tmp, part))
            ac__jshape_merge(g->resp, tmp);
    }
    free(tmp);
    json_object_put(arr);
}

/* ---- one operation ----------------------------------------------------------------------- */

static const char *reason(unsigned code)
{
    static const struct {
        unsigned code;
        const char *text;
    } r[] = {{200, "OK"},
             {201, "Created"},
             {202, "Accepted"},
             {204, "No Content"},
             {206, "Partial Content"},
             {301, "Moved Permanently"},
             {302, "Found"},
             {303, "See Other"},
             {304, "Not Modified"},
             {307, "Temporary Redirect"},
             {308, "Permanent Redirect"},
             {400, "Bad Request"},
             {401, "Unauthorized"},
             {403, "Forbidden"},
             {404, "Not Found"},
             {405, "Method Not Allowed"},
             {409, "Conflict"},
             {415, "Unsupported Media Type"},
             {422, "Unprocessable Content"},
             {429, "Too Many Requests"},
             {500, "Internal Server Error"},
             {502, "Bad Gateway"},
             {503, "Service Unavailable"},
             {504, "Gateway Timeout"}};
    size_t i;

    for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        if (r[i].code == code)
            return r[i].text;
    return "Observed";
}

/* Add the JSON array in a cell (strings or numbers) to a sorted set (json object keys). */
static void union_cell(struct json_object *set, const char *cellv)
{
    struct json_object *arr = cellv != NULL ? json_tokener_parse(cellv) : NULL;
    size_t i;

    for (i = 0; json_object_is_type(arr, json_type_array) && i < json_object_array_length(arr);
         i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(arr, i));

        if (v != NULL)
            json_object_object_add(set, v, NULL);
    }
    json_object_put(arr);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int cmp_num(const void *x, const void *y)
{
    long a = strtol(*(const char *const *)x, NULL, 10),
         b = strtol(*(const char *const *)y, NULL, 10);

    return a < b ? -1 : a > b;
}

/* The keys of a set, sorted (borrowed from the set); *n of them. NULL when empty. */
static const char **sorted_keys(struct json_object *set, size_t *n, bool numeric)
{
    const char **v;
    size_t k = 0;

    *n = (size_t)json_object_object_length(set);
    if (*n == 0 || (v = malloc(*n * sizeof(*v))) == NULL) {
        *n = 0;
        return NULL;
    }
    json_object_object_foreach(set, key, val)
    {
        (void)val;
        v[k++] = key;
    }
    qsort(v, *n, sizeof(*v), numeric ? cmp_num : cmp_str);
    return v;
}

/* The security scheme component for one observed scheme ("bearer", "header:x-api-key" ...),
 * added to g->schemes; its name, or NULL for "other". */
static const char *scheme_for(struct gen *g, const char *s, char name[96])
{
    struct json_object *c;
    const char *colon = strchr(s, ':');
    char clean[64];

    if (strcmp(s, "bearer") == 0 || strcmp(s, "basic") == 0) {
        snprintf(name, 96, "%sAuth", s);
        if (!json_object_object_get_ex(g->schemes, name, NULL)) {
            c = json_object_new_object();
            json_object_object_add(c, "type", str("http"));
            json_object_object_add(c, "scheme", str(s));
            json_object_object_add(g->schemes, name, c);
        }
        return name;
    }
    if (colon == NULL || colon[1] == '\0')
        return NULL;
    sanitize(colon + 1, strlen(colon + 1), clean);
    snprintf(name, 96, "apiKey_%.*s_%s", (int)(colon - s), s, clean);
    if (!json_object_object_get_ex(g->schemes, name, NULL)) {
        c = json_object_new_object();
        json_object_object_add(c, "type", str("apiKey"));
        json_object_object_add(c, "in", json_object_new_string_len(s, (int)(colon - s)));
        json_object_object_add(c, "name", str(colon + 1));
        json_object_object_add(g->schemes, name, c);
    }
    return name;
}

/* A unique operationId: method + the path's words. */
static void operation_id(struct gen *g, const char *method, const char *path, char out[160])
{
    size_t k, i;
    unsigned n = 1;
    char base[150];

    k = (size_t)snprintf(base, sizeof(base), "%s", method);
    for (i = 0; path[i] != '\0' && k + 2 < sizeof(base); i++) {
        char c = path[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            base[k++] = c;
        else if (base[k - 1] != '_')
            base[k++] = '_';
    }
    while (k > 1 && base[k - 1] == '_')
        k--;
    base[k] = '\0';
    snprintf(out, 160, "%s", base);
    while (json_object_object_get_ex(g->op_ids, out, NULL))
        snprintf(out, 160, "%s_%u", base, ++n);
    json_object_object_add(g->op_ids, out, NULL);
}

static void add_responses(struct gen *g, const struct ep *v, size_t n, struct json_object *op,
                          bool resp_body)
{
    static const char *const classes[] = {"2xx", "3xx", "401", "403",  "404",
                                          "429", "4xx", "5xx", "other"};
    static const char *const keys[] = {"2XX", "3XX", "401", "403",    "404",
                                       "429", "4XX", "5XX", "default"};
    struct json_object *codes = json_object_new_object(), *rs = json_object_new_object(), *r;
    const char **sorted;
    size_t i, k, nc;
    char desc[64];

    for (i = 0; i < n; i++)
        union_cell(codes, cell(g->t, v[i].row, g->c_codes));
    sorted = sorted_keys(codes, &nc, true);
    for (k = 0; k < nc; k++) {
        unsigned code = (unsigned)strtoul(sorted[k], NULL, 10);

        r = json_object_new_object();
        snprintf(desc, sizeof(desc), "%s (observed)", reason(code));
        json_object_object_add(r, "description", str(desc));
        if (resp_body && code >= 200 && code < 300 && code != 204)
            json_object_object_add(r, "content", json_content(g->resp));
        json_object_object_add(rs, sorted[k], r);
    }
    free(sorted);
    if (nc == 0) { /* traffic stored before status codes were kept: the classes */
        for (k = 0; k < sizeof(classes) / sizeof(classes[0]); k++) {
            long long sum = 0;

            for (i = 0; i < n; i++) {
                struct json_object *st = json_tokener_parse(cell(g->t, v[i].row, g->c_status)), *x;

                if (json_object_object_get_ex(st, classes[k], &x))
                    sum += json_object_get_int64(x);
                json_object_put(st);
            }
            if (sum == 0)
                continue;
            r = json_object_new_object();
            json_object_object_add(r, "description", str("Observed"));
            if (resp_body && k == 0)
                json_object_object_add(r, "content", json_content(g->resp));
            json_object_object_add(rs, keys[k], r);
        }
    }
    if (json_object_object_length(rs) == 0) {
        r = json_object_new_object();
        json_object_object_add(r, "description", str("No response was observed"));
        json_object_object_add(rs, "default", r);
    }
    json_object_put(codes);
    json_object_object_add(op, "responses", rs);
}

static void add_security(struct gen *g, const struct ep *v, size_t n, struct json_object *op)
{
    struct json_object *set = json_object_new_object(), *sec = json_object_new_array(), *req;
    const char **sorted;
    long long without = 0;
    size_t i, k, ns;
    char name[96];

    for (i = 0; i < n; i++) {
        const char *w = cell(g->t, v[i].row, g->c_without);

        union_cell(set, cell(g->t, v[i].row, g->c_security));
        without += w != NULL ? strtoll(w, NULL, 10) : 0;
    }
    sorted = sorted_keys(set, &ns, false);
    for (k = 0; k < ns; k++) {
        const char *sn = scheme_for(g, sorted[k], name);

        if (sn == NULL)
            continue;
        req = json_object_new_object();
        json_object_object_add(req, sn, json_object_new_array());
        json_object_array_add(sec, req);
    }
    free(sorted);
    json_object_put(set);
    if (json_object_array_length(sec) > 0 && without > 0)
        json_object_array_add(sec, json_object_new_object()); /* credentials are optional */
    if (json_object_array_length(sec) > 0)
        json_object_object_add(op, "security", sec);
    else
        json_object_put(sec);
}

/* The operation of rows v[0..n) (one method, templates equal but for parameter names). */
static struct json_object *operation(struct gen *g, const struct ep *v, size_t n,
                                     const char *method, const char *path, const struct param *ps,
                                     size_t np)
{
    struct json_object *op = json_object_new_object(), *params = json_object_new_array(), *p;
    struct json_object *qset = json_object_new_object();
    struct param own[MAX_PARAMS];
    const char **sorted;
    char id[160], scratch[512];
    size_t i, nq, nown;

    operation_id(g, method, path, id);
    json_object_object_add(op, "operationId", str(id));
    /* Path parameters typed by this operation's own template (the first row's). */
    nown = path_params(v[0].tmpl, own, scratch, sizeof(scratch));
    for (i = 0; i < np; i++) {
        p = json_object_new_object();
        json_object_object_add(p, "name", str(ps[i].name));
        json_object_object_add(p, "in", str("path"));
        json_object_object_add(p, "required", json_object_new_boolean(1));
        json_object_object_add(p, "schema",
                               param_schema(i < nown && n == 1 ? own[i].klass : ps[i].klass));
        json_object_array_add(params, p);
    }
    for (i = 0; i < n; i++)
        union_cell(qset, cell(g->t, v[i].row, g->c_query));
    sorted = sorted_keys(qset, &nq, false);
    for (i = 0; i < nq; i++) {
        struct json_object *sch = json_object_new_object();

        p = json_object_new_object();
        json_object_object_add(p, "name", str(sorted[i]));
        json_object_object_add(p, "in", str("query"));
        json_object_object_add(sch, "type", str("string"));
        json_object_object_add(p, "schema", sch);
        json_object_array_add(params, p);
    }
    free(sorted);
    json_object_put(qset);
    if (json_object_array_length(params) > 0)
        json_object_object_add(op, "parameters", params);
    else
        json_object_put(params);
    ac__jshape_init(g->req);
    ac__jshape_init(g->resp);
    for (i = 0; i < n; i++)
        merge_bodies(g, cell(g->t, v[i].row, g->c_bodies));
    if (g->req->samples > 0 && strcmp(method, "get") != 0 && strcmp(method, "head") != 0) {
        struct json_object *rb = json_object_new_object();

        json_object_object_add(rb, "content", json_content(g->req));
        json_object_object_add(op, "requestBody", rb);
    }
    add_responses(g, v, n, op, g->resp->samples > 0);
    add_security(g, v, n, op);
    return op;
}

/* ---- the document ------------------------------------------------------------------------ */

/* The rows the options select, sorted by (key, method, template, host); *n of them. */
static struct ep *select_rows(struct gen *g, const struct ac_table *deps,
                              const struct ac_openapi_opts *o, size_t *n, size_t *skipped)
{
    size_t rows = ac_table_rows(g->t), r, k = 0, c_api = ac_table_col_index(g->t, "api"),
           c_doc = ac_table_col_index(g->t, "documented"),
           c_dir = ac_table_col_index(g->t, "direction");
    size_t d_host = deps != NULL ? ac_table_col_index(deps, "host") : (size_t)-1;
    struct ep *v = calloc(rows + 1, sizeof(*v));

    *skipped = 0;
    if (v == NULL)
        return NULL;
    for (r = 0; r < rows; r++) {
        const char *host = cell(g->t, r, g->c_host), *method = cell(g->t, r, g->c_method),
                   *tmpl = cell(g->t, r, g->c_tmpl);
        size_t i;
        bool ok;

        if (host == NULL || method == NULL || tmpl == NULL)
            continue;
        if (o->host != NULL ? !eq(host, o->host) : eq(cell(g->t, r, c_dir), "outbound"))
            continue;
        if (o->undocumented_only &&
            (eq(cell(g->t, r, c_doc), "1") || eq(cell(g->t, r, c_doc), "true")))
            continue;
        if (o->api != NULL) {
            ok = eq(cell(g->t, r, c_api), o->api);
            for (i = 0; !ok && deps != NULL && i < ac_table_rows(deps); i++)
                ok = eq(cell(deps, i, d_host), host);
            if (!ok)
                continue;
        }
        if (oa_method(method) == NULL || !blank_key(tmpl, v[k].key, sizeof(v[k].key))) {
            (*skipped)++;
            continue;
        }
        v[k].row = r;
        v[k].host = host;
        v[k].method = method;
        v[k].tmpl = tmpl;
        k++;
    }
    qsort(v, k, sizeof(*v), cmp_ep);
    *n = k;
    return v;
}

static struct json_object *document(struct gen *g, const struct ep *v, size_t n,
                                    const struct ac_openapi_opts *o, struct ac_openapi_stats *st)
{
    struct json_object *doc = json_object_new_object(), *info = json_object_new_object();
    struct json_object *servers = json_object_new_array(), *paths = json_object_new_object();
    struct json_object *hosts = json_object_new_object(), *comp;
    const char **sorted;
    size_t i, j, m, nh;
    char title[300], url[300];

    json_object_object_add(doc, "openapi", str("3.1.0"));
    if (o->title != NULL)
        snprintf(title, sizeof(title), "%s", o->title);
    else if (o->host != NULL)
        snprintf(title, sizeof(title), "%.200s (observed)", o->host);
    else if (o->api != NULL)
        snprintf(title, sizeof(title), "%.200s (observed)", o->api);
    else
        snprintf(title, sizeof(title), "observed APIs");
    json_object_object_add(info, "title", str(title));
    json_object_object_add(info, "version", str("observed"));
    json_object_object_add(
        info, "description",
        str(o->undocumented_only
                ? "Endpoints that traffic shows and no spec documents, generated by apicensus "
                  "from observations (templates, parameters, status codes, body shapes and "
                  "credentials seen; never values)."
                : "Generated by apicensus from observed traffic (templates, parameters, status "
                  "codes, body shapes and credentials seen; never values)."));
    json_object_object_add(doc, "info", info);
    for (i = 0; i < n; i++)
        json_object_object_add(hosts, v[i].host, NULL);
    sorted = sorted_keys(hosts, &nh, false);
    for (i = 0; i < nh; i++) {
        struct json_object *s = json_object_new_object();

        snprintf(url, sizeof(url), "https://%.280s", sorted[i]);
        json_object_object_add(s, "url", str(url));
        json_object_array_add(servers, s);
    }
    free(sorted);
    json_object_put(hosts);
    if (json_object_array_length(servers) > 0)
        json_object_object_add(doc, "servers", servers);
    else
        json_object_put(servers);
    for (i = 0; i < n; i = j) {
        struct param ps[MAX_PARAMS];
        struct json_object *item = json_object_new_object();
        char path[600];
        size_t np = path_params(v[i].tmpl, ps, path, sizeof(path));

        for (j = i; j < n && strcmp(v[j].key, v[i].key) == 0; j = m) {
            const char *method = oa_method(v[j].method);

            for (m = j; m < n && strcmp(v[m].key, v[i].key) == 0 && eq(v[m].method, v[j].method);)
                m++;
            json_object_object_add(item, method, operation(g, v + j, m - j, method, path, ps, np));
            st->operations++;
        }
        json_object_object_add(paths, path, item);
        st->paths++;
    }
    json_object_object_add(doc, "paths", paths);
    if (json_object_object_length(g->schemes) > 0) {
        comp = json_object_new_object();
        json_object_object_add(comp, "securitySchemes", json_object_get(g->schemes));
        json_object_object_add(doc, "components", comp);
    }
    return doc;
}

/* ---- YAML -------------------------------------------------------------------------------- */

/* A key written plain when it cannot be read as anything but that string. */
static bool plain_key(const char *k)
{
    static const char *const special[] = {"y",   "n",    "yes",   "no",  "on",
                                          "off", "true", "false", "null"};
    size_t i;

    if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z') || k[0] == '_'))
        return false;
    for (i = 0; k[i] != '\0'; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
              (k[i] >= '0' && k[i] <= '9') || k[i] == '_' || k[i] == '-' || k[i] == '.'))
            return false;
    for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
        size_t j;

        for (j = 0; k[j] != '\0' && special[i][j] != '\0' && (k[j] | 0x20) == special[i][j]; j++)
            ;
        if (k[j] == '\0' && special[i][j] == '\0')
            return false;
    }
    return true;
}

static void scalar(FILE *f, struct json_object *v)
{
    fputs(v == NULL ? "null"
                    : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE),
          f);
}

static void yaml_key(FILE *f, const char *k)
{
    struct json_object *s;

    if (plain_key(k)) {
        fputs(k, f);
        return;
    }
    s = str(k);
    scalar(f, s);
    json_object_put(s);
}

static bool is_block(struct json_object *v)
{
    return (json_object_is_type(v, json_type_object) && json_object_object_length(v) > 0) ||
           (json_object_is_type(v, json_type_array) && json_object_array_length(v) > 0);
}

static void yaml_node(FILE *f, struct json_object *v, unsigned indent);

/* The value after "key:" or "- ": inline when a scalar or empty, else on the next lines. */
static void yaml_value(FILE *f, struct json_object *v, unsigned indent)
{
    if (!is_block(v)) {
        fputc(' ', f);
        if (json_object_is_type(v, json_type_object))
            fputs("{}", f);
        else if (json_object_is_type(v, json_type_array))
            fputs("[]", f);
        else
            scalar(f, v);
        fputc('\n', f);
        return;
    }
    fputc('\n', f);
    yaml_node(f, v, indent);
}

static void yaml_node(FILE *f, struct json_object *v, unsigned indent)
{
    size_t i;

    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, val)
        {
            fprintf(f, "%*s", (int)indent, "");
            yaml_key(f, key);
            fputc(':', f);
            yaml_value(f, val, indent + 2);
        }
        return;
    }
    for (i = 0; i < json_object_array_length(v); i++) {
        struct json_object *e = json_object_array_get_idx(v, i);

        fprintf(f, "%*s-", (int)indent, "");
        if (json_object_is_type(e, json_type_object) && json_object_object_length(e) > 0) {
            /* "- key: value" then the other keys under it */
            bool first = true;

            json_object_object_foreach(e, key, val)
            {
                if (!first)
                    fprintf(f, "%*s", (int)indent + 2, "");
                else
                    fputc(' ', f);
                first = false;
                yaml_key(f, key);
                fputc(':', f);
                yaml_value(f, val, indent + 4);
            }
        } else {
            yaml_value(f, e, indent + 2);
        }
    }
}

enum ac_err ac_openapi_write(struct ac_store *s, const struct ac_openapi_opts *o, FILE *out,
                             struct ac_openapi_stats *st, struct ac_diag *d)
{
    struct ac_openapi_opts none;
    struct ac_openapi_stats stats = {0, 0, 0};
    struct ac_list_filter f;
    struct ac_table *t = NULL, *deps = NULL;
    struct ep *v = NULL;
    struct json_object *doc = NULL;
    struct gen g;
    size_t n = 0;
    enum ac_err err;

    memset(&none, 0, sizeof(none));
    memset(&g, 0, sizeof(g));
    memset(&f, 0, sizeof(f));
    if (o == NULL)
        o = &none;
    err = ac_list(s, AC_LIST_ENDPOINTS, NULL, &t, d);
    if (err == AC_OK && o->api != NULL) {
        f.api = o->api;
        err = ac_list(s, AC_LIST_DEPLOYMENTS, &f, &deps, d);
    }
    if (err != AC_OK)
        goto out;
    g.t = t;
    g.c_host = ac_table_col_index(t, "host");
    g.c_method = ac_table_col_index(t, "method");
    g.c_tmpl = ac_table_col_index(t, "template");
    g.c_query = ac_table_col_index(t, "query_params");
    g.c_codes = ac_table_col_index(t, "status_codes");
    g.c_status = ac_table_col_index(t, "status");
    g.c_security = ac_table_col_index(t, "security");
    g.c_bodies = ac_table_col_index(t, "bodies");
    g.c_with = ac_table_col_index(t, "with_credentials");
    g.c_without = ac_table_col_index(t, "without_credentials");
    g.schemes = json_object_new_object();
    g.op_ids = json_object_new_object();
    g.req = malloc(sizeof(*g.req));
    g.resp = malloc(sizeof(*g.resp));
    v = select_rows(&g, deps, o, &n, &stats.skipped);
    if (v == NULL || g.req == NULL || g.resp == NULL || g.schemes == NULL || g.op_ids == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    doc = document(&g, v, n, o, &stats);
    if (o->json) {
        fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
                                                      JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE),
              out);
        fputc('\n', out);
    } else {
        yaml_node(out, doc, 0);
    }
    if (fflush(out) != 0 || ferror(out))
        err = ac_diag_set(d, AC_EIO, "", 0, 0, "cannot write the OpenAPI document");
    if (err == AC_OK && st != NULL)
        *st = stats;
out:
    json_object_put(doc);
    json_object_put(g.schemes);
    json_object_put(g.op_ids);
    free(g.req);
    free(g.resp);
    free(v);
    ac_table_free(deps);
    ac_table_free(t);
    return err;
}
