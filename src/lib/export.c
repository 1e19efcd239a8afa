/* export.c - Backstage entities, an RFC 9727 API catalog and the whole inventory as JSON
 * (<apicensus/export.h>).
 *
 * Like report.c, this reads everything through the public ac_list() and never sees SQL: the API,
 * version, deployment and document listings give what each export needs. JSON is built with
 * json-c; the Backstage YAML is written by hand with every scalar a JSON string (a valid YAML
 * double-quoted scalar), so no text from a spec or manifest can become YAML structure.
 */
#include <apicensus/export.h>
#include <apicensus/registry.h>
#include <apicensus/table.h>

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

bool ac_export_kind_parse(const char *name, enum ac_export_kind *out)
{
    if (strcmp(name, "backstage") == 0)
        *out = AC_EXPORT_BACKSTAGE;
    else if (strcmp(name, "api-catalog") == 0)
        *out = AC_EXPORT_API_CATALOG;
    else if (strcmp(name, "json") == 0)
        *out = AC_EXPORT_JSON;
    else
        return false;
    return true;
}

/* The listings an export reads. */
struct inv {
    struct ac_table *apis, *versions, *deployments, *documents;
};

static void inv_free(struct inv *v)
{
    ac_table_free(v->apis);
    ac_table_free(v->versions);
    ac_table_free(v->deployments);
    ac_table_free(v->documents);
}

static enum ac_err inv_load(struct ac_store *s, struct inv *v, struct ac_diag *d)
{
    enum ac_err err;

    memset(v, 0, sizeof(*v));
    if ((err = ac_list(s, AC_LIST_APIS, NULL, &v->apis, d)) != AC_OK ||
        (err = ac_list(s, AC_LIST_VERSIONS, NULL, &v->versions, d)) != AC_OK ||
        (err = ac_list(s, AC_LIST_DEPLOYMENTS, NULL, &v->deployments, d)) != AC_OK ||
        (err = ac_list(s, AC_LIST_DOCUMENTS, NULL, &v->documents, d)) != AC_OK)
        inv_free(v);
    return err;
}

static const char *cell(const struct ac_table *t, size_t r, const char *col)
{
    size_t i = ac_table_col_index(t, col);

    return i == (size_t)-1 ? NULL : ac_table_cell(t, r, i);
}

static bool eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* An href for a document path or URL: absolute URLs as they are, else base/path. */
static char *href_of(const char *path, const char *base)
{
    size_t n;
    char *s;

    if (strstr(path, "://") != NULL || base == NULL) {
        s = strdup(path);
        return s;
    }
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    n = strlen(base) + strlen(path) + 2;
    s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s%s%s", base, base[0] != '\0' && base[strlen(base) - 1] == '/' ? "" : "/",
                 path);
    return s;
}

static const char *media_type(const char *path)
{
    size_t n = strlen(path);

    if (n > 5 && strcmp(path + n - 5, ".json") == 0)
        return "application/openapi+json";
    return "application/openapi+yaml";
}

/* ---- Backstage ------------------------------------------------------------------------- */

/* A JSON string literal of s (a YAML double-quoted scalar too). */
static void yq(FILE *f, const char *s)
{
    struct json_object *o = json_object_new_string(s != NULL ? s : "");

    fputs(
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
        f);
    json_object_put(o);
}

/* A Backstage entity name: [a-zA-Z0-9] joined by '-', '_' or '.', at most 63 characters. */
static void entity_name(const char *s, char out[64])
{
    size_t i, k = 0;

    for (i = 0; s[i] != '\0' && k < 63; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        if (ok)
            out[k++] = c;
        else if (k > 0 && out[k - 1] != '-' && (c == '-' || c == '_' || c == '.' || c == ' '))
            out[k++] = c == ' ' ? '-' : c;
    }
    while (k > 0 && (out[k - 1] == '-' || out[k - 1] == '_' || out[k - 1] == '.'))
        k--;
    if (k == 0)
        memcpy(out, "api", (k = 3));
    out[k] = '\0';
}

static const char *lifecycle_of(const char *l)
{
    if (eq(l, "design"))
        return "experimental";
    if (eq(l, "deprecated") || eq(l, "retired"))
        return "deprecated";
    return "production";
}

/* The OpenAPI document of an API's active version (the last by path), else its last one. */
static const char *definition_of(const struct inv *v, const char *api)
{
    const char *any = NULL, *active = NULL;
    size_t k, j;

    for (k = 0; k < ac_table_rows(v->documents); k++) {
        const char *ver = cell(v->documents, k, "version");

        if (!eq(cell(v->documents, k, "api"), api) || !eq(cell(v->documents, k, "kind"), "openapi"))
            continue;
        any = cell(v->documents, k, "path");
        for (j = 0; j < ac_table_rows(v->versions); j++)
            if (eq(cell(v->versions, j, "api"), api) && eq(cell(v->versions, j, "label"), ver) &&
                eq(cell(v->versions, j, "status"), "active"))
                active = any;
    }
    return active != NULL ? active : any;
}

static void backstage(const struct inv *v, const struct ac_export_opts *o, FILE *f)
{
    size_t r, k, nv;
    char name[64];

    for (r = 0; r < ac_table_rows(v->apis); r++) {
        const char *api = cell(v->apis, r, "name"), *spec = NULL, *docs = cell(v->apis, r, "docs");
        const char *owner = cell(v->apis, r, "owner"), *desc = cell(v->apis, r, "description");

        spec = definition_of(v, api);
        entity_name(api, name);
        fputs(r > 0 ? "---\n" : "", f);
        fprintf(f, "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: %s\n", name);
        fputs("  title: ", f);
        yq(f, api);
        if (desc != NULL) {
            fputs("\n  description: ", f);
            yq(f, desc);
        }
        fputs("\n  annotations:\n    apicensus.io/versions: ", f);
        {
            char buf[1024];
            size_t used = 0;

            buf[0] = '\0';
            for (k = 0, nv = 0; k < ac_table_rows(v->versions); k++) {
                const char *st = cell(v->versions, k, "status");

                if (!eq(cell(v->versions, k, "api"), api) || used + 64 >= sizeof(buf))
                    continue;
                used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%.24s%s%.16s%s",
                                         nv++ > 0 ? ", " : "", cell(v->versions, k, "label"),
                                         st != NULL ? " (" : "", st != NULL ? st : "",
                                         st != NULL ? ")" : "");
            }
            yq(f, buf);
        }
        if (docs != NULL) {
            fputs("\n  links:\n    - url: ", f);
            yq(f, docs);
            fputs("\n      title: \"Documentation\"", f);
        }
        fputs("\nspec:\n  type: openapi\n  lifecycle: ", f);
        fputs(lifecycle_of(cell(v->apis, r, "lifecycle")), f);
        fputs("\n  owner: ", f);
        yq(f, owner != NULL ? owner : "unknown");
        fputs("\n  definition:\n", f);
        if (spec != NULL) {
            char *h = href_of(spec, o->base_url);

            fputs("    $text: ", f);
            yq(f, h != NULL ? h : spec);
            free(h);
            fputc('\n', f);
        } else {
            fputs("    \"openapi: 3.1.0\\ninfo: {title: no document imported, version: '0'}\\n"
                  "paths: {}\\n\"\n",
                  f);
        }
    }
}

/* ---- RFC 9727 api-catalog -------------------------------------------------------------- */

static void link(struct json_object *ctx, const char *rel, const char *href, const char *type,
                 const char *title)
{
    struct json_object *arr, *t = json_object_new_object();

    if (!json_object_object_get_ex(ctx, rel, &arr)) {
        arr = json_object_new_array();
        json_object_object_add(ctx, rel, arr);
    }
    json_object_object_add(t, "href", json_object_new_string(href));
    if (type != NULL)
        json_object_object_add(t, "type", json_object_new_string(type));
    if (title != NULL)
        json_object_object_add(t, "title", json_object_new_string(title));
    json_object_array_add(arr, t);
}

/* The deployment URL of an API (version NULL: any; production first). */
static const char *deployment_of(const struct inv *v, const char *api, const char *version)
{
    const char *first = NULL;
    size_t k;

    for (k = 0; k < ac_table_rows(v->deployments); k++) {
        if (!eq(cell(v->deployments, k, "api"), api) ||
            (version != NULL && !eq(cell(v->deployments, k, "version"), version)))
            continue;
        if (eq(cell(v->deployments, k, "environment"), "production"))
            return cell(v->deployments, k, "url");
        if (first == NULL)
            first = cell(v->deployments, k, "url");
    }
    return first;
}

/* The anchor of an API's version: its deployment's URL, else the API's anchor (or name) and the
 * version's label. */
static void version_anchor(const struct inv *v, const char *api, const char *anchor,
                           const char *label, char out[600])
{
    const char *dep = deployment_of(v, api, label);

    if (dep != NULL)
        snprintf(out, 600, "%.590s", dep);
    else
        snprintf(out, 600, "%.500s/%.64s", anchor != NULL ? anchor : api, label);
}

static char *anchor_of(const struct inv *v, const char *api, const char *base)
{
    const char *dep = deployment_of(v, api, NULL);
    char path[320];

    if (dep != NULL)
        return strdup(dep);
    snprintf(path, sizeof(path), "apis/%.300s", api);
    return href_of(path, base != NULL ? base : "urn:apicensus:");
}

static void add_specs(struct json_object *ctx, const struct inv *v, const char *api,
                      const char *version, const char *base)
{
    char title[160];
    size_t k;

    for (k = 0; k < ac_table_rows(v->documents); k++) {
        const char *p = cell(v->documents, k, "path"), *ver = cell(v->documents, k, "version");
        char *h;

        if (!eq(cell(v->documents, k, "api"), api) ||
            !eq(cell(v->documents, k, "kind"), "openapi") || (version != NULL && !eq(ver, version)))
            continue;
        h = href_of(p, base);
        snprintf(title, sizeof(title), "%.64s%s%.64s", api, ver != NULL ? " " : "",
                 ver != NULL ? ver : "");
        if (h != NULL)
            link(ctx, "service-desc", h, media_type(p), title);
        free(h);
    }
}

static struct json_object *api_catalog(const struct inv *v, const struct ac_export_opts *o)
{
    struct json_object *root = json_object_new_object(), *set = json_object_new_array(), *ctx;
    size_t r, k;

    for (r = 0; r < ac_table_rows(v->apis); r++) {
        const char *api = cell(v->apis, r, "name"), *docs = cell(v->apis, r, "docs");
        char *anchor = anchor_of(v, api, o->base_url);

        ctx = json_object_new_object();
        json_object_object_add(ctx, "anchor",
                               json_object_new_string(anchor != NULL ? anchor : api));
        add_specs(ctx, v, api, NULL, o->base_url);
        if (docs != NULL)
            link(ctx, "service-doc", docs, "text/html", api);
        json_object_array_add(set, ctx);
        for (k = 0; k < ac_table_rows(v->versions); k++) {
            const char *label = cell(v->versions, k, "label"), *sb, *st, *sun;
            char vanchor[600];
            size_t j;

            if (!eq(cell(v->versions, k, "api"), api) || label == NULL)
                continue;
            version_anchor(v, api, anchor, label, vanchor);
            ctx = json_object_new_object();
            json_object_object_add(ctx, "anchor", json_object_new_string(vanchor));
            add_specs(ctx, v, api, label, o->base_url);
            st = cell(v->versions, k, "status");
            sun = cell(v->versions, k, "sunset");
            if (docs != NULL)
                link(ctx, "service-doc", docs, "text/html", label);
            sb = cell(v->versions, k, "superseded_by");
            if (sb != NULL) {
                char sa[600];

                version_anchor(v, api, anchor, sb, sa);
                link(ctx, "successor-version", sa, NULL, sb);
            }
            for (j = 0; j < ac_table_rows(v->versions); j++)
                if (eq(cell(v->versions, j, "api"), api) &&
                    eq(cell(v->versions, j, "superseded_by"), label)) {
                    const char *pl = cell(v->versions, j, "label");
                    char pa[600];

                    version_anchor(v, api, anchor, pl, pa);
                    link(ctx, "predecessor-version", pa, NULL, pl);
                }
            /* Status and sunset as target attributes of a self link (RFC 9264 allows extension
             * attributes; the anchor's own status is what a catalog reader wants). */
            {
                struct json_object *self = json_object_new_object(), *arr = json_object_new_array();

                json_object_object_add(self, "href", json_object_new_string(vanchor));
                json_object_object_add(self, "title", json_object_new_string(label));
                if (st != NULL)
                    json_object_object_add(self, "status", json_object_new_string(st));
                if (sun != NULL)
                    json_object_object_add(self, "sunset", json_object_new_string(sun));
                json_object_array_add(arr, self);
                json_object_object_add(ctx, "version", arr);
            }
            json_object_array_add(set, ctx);
        }
        free(anchor);
    }
    json_object_object_add(root, "linkset", set);
    return root;
}

/* ---- the whole inventory --------------------------------------------------------------- */

static enum ac_err inventory(struct ac_store *s, const struct ac_export_opts *o,
                             struct json_object **out, struct ac_diag *d)
{
    static const struct {
        const char *key;
        enum ac_list_kind kind;
    } parts[] = {{"apis", AC_LIST_APIS},
                 {"versions", AC_LIST_VERSIONS},
                 {"deployments", AC_LIST_DEPLOYMENTS},
                 {"operations", AC_LIST_OPERATIONS},
                 {"integrations", AC_LIST_INTEGRATIONS},
                 {"documents", AC_LIST_DOCUMENTS},
                 {"endpoints", AC_LIST_ENDPOINTS},
                 {"findings", AC_LIST_FINDINGS}};
    struct json_object *root = json_object_new_object(), *arr;
    struct ac_table *t;
    enum ac_err err;
    size_t i;
    char *text;

    json_object_object_add(root, "apicensus", json_object_new_string(APICENSUS_VERSION));
    json_object_object_add(root, "generated_at",
                           o->generated_at != NULL ? json_object_new_string(o->generated_at)
                                                   : NULL);
    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if ((err = ac_list(s, parts[i].kind, NULL, &t, d)) != AC_OK) {
            json_object_put(root);
            return err;
        }
        text = ac_table_to_json(t);
        ac_table_free(t);
        arr = text != NULL ? json_tokener_parse(text) : NULL;
        free(text);
        if (arr == NULL) {
            json_object_put(root);
            return ac_diag_set(d, AC_ENOMEM, "", 0, 0, "out of memory");
        }
        json_object_object_add(root, parts[i].key, arr);
    }
    *out = root;
    return AC_OK;
}

enum ac_err ac_export_write(struct ac_store *s, enum ac_export_kind kind,
                            const struct ac_export_opts *o, FILE *out, struct ac_diag *d)
{
    struct ac_export_opts none;
    struct json_object *j = NULL;
    struct inv v;
    enum ac_err err;

    if (o == NULL) {
        memset(&none, 0, sizeof(none));
        o = &none;
    }
    if (kind == AC_EXPORT_JSON) {
        err = inventory(s, o, &j, d);
    } else {
        if ((err = inv_load(s, &v, d)) != AC_OK)
            return err;
        if (kind == AC_EXPORT_BACKSTAGE)
            backstage(&v, o, out);
        else
            j = api_catalog(&v, o);
        inv_free(&v);
    }
    if (err == AC_OK && j != NULL)
        fprintf(out, "%s\n",
                json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
                                                      JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(j);
    if (err == AC_OK && ferror(out))
        err = ac_diag_set(d, AC_EIO, "", 0, 0, "cannot write the export");
    return err;
}

enum ac_err ac_export_text(struct ac_store *s, enum ac_export_kind kind,
                           const struct ac_export_opts *o, char **text, size_t *len,
                           struct ac_diag *d)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    enum ac_err err;

    if (f == NULL)
        return ac_diag_set(d, AC_ENOMEM, "", 0, 0, "out of memory");
    err = ac_export_write(s, kind, o, f, d);
    if (fclose(f) != 0 && err == AC_OK)
        err = ac_diag_set(d, AC_ENOMEM, "", 0, 0, "out of memory");
    if (err != AC_OK) {
        free(buf);
        return err;
    }
    *text = buf;
    *len = n;
    return AC_OK;
}
