/* backstage.c - Backstage `kind: API` entities to declarations.
 *
 * A catalog file is a stream of entities; only API entities are read, and only the fields the
 * inventory needs. Unlike the manifest, unknown keys are fine here (Backstage has many, and
 * plugins add more), but the fields read are type-checked with positions, through the same
 * helpers as the manifest. Definitions are not parsed here: they become refs that import loads
 * as OpenAPI documents attached to the API, so an inline spec and a spec file behave alike.
 */
#include "backstage.h"

#include "arena.h"
#include "fileio.h"
#include "manifest_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Placeholders Backstage substitutes with a file's content. */
static const char *const placeholders[] = {"$text", "$openapi", "$yaml", "$json", "$asyncapi"};

static bool is_backstage(const struct ac_node *doc)
{
    const char *av = ac__node_str(ac__node_get(doc, "apiVersion"));

    return doc != NULL && doc->kind == AC_NODE_MAP && av != NULL &&
           strncmp(av, "backstage.io/", 13) == 0 && ac__node_str(ac__node_get(doc, "kind")) != NULL;
}

bool ac__backstage_detect(struct ac_node **docs, size_t ndocs)
{
    size_t i;

    for (i = 0; i < ndocs; i++)
        if (is_backstage(docs[i]))
            return true;
    return false;
}

/* "group:default/team" -> "team", "user:default/jo" -> "user:jo"; other namespaces stay. */
static enum ac_err owner_of(struct ac_chk *c, const struct ac_node *v, const char **out)
{
    const char *o;
    bool user = false;
    enum ac_err rc = ac__chk_text(c, v, "owner", AC_CHK_WORD, &o);
    char *u;

    if (rc != AC_OK)
        return rc;
    if (strncasecmp(o, "group:", 6) == 0) {
        o += 6;
    } else if (strncasecmp(o, "user:", 5) == 0) {
        o += 5;
        user = true;
    }
    if (strncmp(o, "default/", 8) == 0)
        o += 8;
    if (*o == '\0')
        return ac__chk_fail(c, v, "invalid owner '%.80s' (expected an entity reference)", v->str);
    if (!user) {
        *out = o;
        return AC_OK;
    }
    if ((u = ac__arena_alloc(c->set->arena, strlen(o) + 6)) == NULL)
        return ac__chk_oom(c, v);
    memcpy(u, "user:", 5);
    memcpy(u + 5, o, strlen(o) + 1);
    *out = u;
    return AC_OK;
}

static enum ac_err lifecycle_of(struct ac_chk *c, const struct ac_node *v, const char **out)
{
    static const char *const map[][2] = {{"production", "active"},
                                         {"experimental", "design"},
                                         {"deprecated", "deprecated"},
                                         {"retired", "retired"}};
    enum ac_err rc = ac__chk_text(c, v, "lifecycle", AC_CHK_WORD, NULL);
    size_t i;

    if (rc != AC_OK)
        return rc;
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcasecmp(v->str, map[i][0]) == 0) {
            *out = map[i][1];
            return AC_OK;
        }
    }
    return ac__chk_text(c, v, "lifecycle", AC_CHK_WORD, out); /* kept as written */
}

static bool contains_doc(const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        if (strncasecmp(s, "doc", 3) == 0)
            return true;
    return false;
}

/* The first of metadata.links typed, iconed or titled as documentation. */
static enum ac_err docs_of(struct ac_chk *c, const struct ac_node *links, const char **out)
{
    uint32_t i;

    if (links->kind != AC_NODE_SEQ)
        return ac__chk_wrong_type(c, links, "links", "a list");
    for (i = 0; i < links->n; i++) {
        const struct ac_node *l = links->kids[i], *url;
        const char *type, *icon, *title;

        if (l->kind != AC_NODE_MAP)
            return ac__chk_wrong_type(c, l, "links", "a list of maps");
        if ((url = ac__chk_opt(l, "url")) == NULL)
            continue;
        type = ac__node_str(ac__node_get(l, "type"));
        icon = ac__node_str(ac__node_get(l, "icon"));
        title = ac__node_str(ac__node_get(l, "title"));
        if ((type != NULL && contains_doc(type)) || (icon != NULL && contains_doc(icon)) ||
            (title != NULL && contains_doc(title)))
            return ac__chk_text(c, url, "url", AC_CHK_WORD, out);
    }
    return AC_OK;
}

static enum ac_err add_ref(struct ac_chk *c, const struct ac_node *at, const char *api,
                           const char *path, size_t pathlen, struct ac_decl_ref **out)
{
    struct ac_decl_ref *ref = ac__decl_add_ref(c->set);

    if (ref == NULL || (ref->path = ac__arena_strndup(c->set->arena, path, pathlen)) == NULL)
        return ac__chk_oom(c, at);
    ref->api = api;
    ref->line = at->line;
    *out = ref;
    return AC_OK;
}

/* spec.definition: inline text, or a placeholder naming a file relative to the catalog file. */
static enum ac_err definition_of(struct ac_chk *c, const struct ac_node *def, const char *api,
                                 bool openapi)
{
    const struct ac_node *key, *val;
    struct ac_decl_ref *ref = NULL;
    char path[4096];
    enum ac_err rc;
    size_t k;
    int n;

    if (def->kind == AC_NODE_SCALAR) {
        if ((rc = ac__chk_text(c, def, "definition", AC_CHK_NONEMPTY, NULL)) != AC_OK || !openapi)
            return rc;
        n = snprintf(path, sizeof(path), "%s#%s", c->file, api);
        if (n < 0 || (size_t)n >= sizeof(path))
            return ac__chk_fail(c, def, "file name too long");
        if ((rc = add_ref(c, def, api, path, strlen(path), &ref)) != AC_OK)
            return rc;
        /* Copied with its length so import can hand it to the parser as is. */
        if ((ref->inline_text = ac__arena_strndup(c->set->arena, def->str, def->len)) == NULL)
            return ac__chk_oom(c, def);
        ref->inline_len = def->len;
        return AC_OK;
    }
    if (def->kind != AC_NODE_MAP || def->n != 1)
        return ac__chk_wrong_type(c, def, "definition", "text or a {$text: path} placeholder");
    key = ac__node_key(def, 0);
    val = ac__node_val(def, 0);
    for (k = 0; k < sizeof(placeholders) / sizeof(placeholders[0]); k++)
        if (ac__node_is(key, placeholders[k]))
            break;
    if (k == sizeof(placeholders) / sizeof(placeholders[0]))
        return ac__chk_fail(c, key,
                            "unknown placeholder '%.60s' in definition (expected $text, $openapi, "
                            "$yaml or $json)",
                            key->str);
    if ((rc = ac__chk_text(c, val, key->str, AC_CHK_WORD, NULL)) != AC_OK)
        return rc;
    if (!openapi || strstr(val->str, "://") != NULL)
        return AC_OK; /* remote definitions are not fetched */
    if (ac__path_join_dir(c->file, val->str, path, sizeof(path)) != AC_OK)
        return ac__chk_fail(c, val, "definition path too long");
    return add_ref(c, val, api, path, strlen(path), &ref);
}

static enum ac_err read_spec(struct ac_chk *c, const struct ac_node *spec, struct ac_decl_api *api)
{
    const struct ac_node *v;
    const char *type = NULL;
    enum ac_err rc;

    if (spec->kind != AC_NODE_MAP)
        return ac__chk_wrong_type(c, spec, "spec", "a map");
    if ((v = ac__chk_opt(spec, "owner")) != NULL && (rc = owner_of(c, v, &api->owner)) != AC_OK)
        return rc;
    if ((v = ac__chk_opt(spec, "lifecycle")) != NULL &&
        (rc = lifecycle_of(c, v, &api->lifecycle)) != AC_OK)
        return rc;
    if ((rc = ac__chk_get_text(c, spec, "type", AC_CHK_WORD, &type)) != AC_OK)
        return rc;
    if ((v = ac__chk_opt(spec, "definition")) == NULL)
        return AC_OK;
    return definition_of(c, v, api->name, type != NULL && strcasecmp(type, "openapi") == 0);
}

static enum ac_err read_entity(struct ac_chk *c, const struct ac_node *doc, struct ac_named *nm)
{
    const struct ac_node *meta = ac__node_get(doc, "metadata"), *name, *v;
    const char *ns = NULL, *n;
    struct ac_decl_api *api;
    enum ac_err rc;
    char *q;

    if (meta == NULL)
        return ac__chk_fail(c, doc, "API entity without metadata.name");
    if (meta->kind != AC_NODE_MAP)
        return ac__chk_wrong_type(c, meta, "metadata", "a map");
    if ((name = ac__node_get(meta, "name")) == NULL)
        return ac__chk_fail(c, meta, "API entity without metadata.name");
    if ((rc = ac__chk_text(c, name, "name", AC_CHK_WORD, &n)) != AC_OK ||
        (rc = ac__chk_get_text(c, meta, "namespace", AC_CHK_WORD, &ns)) != AC_OK)
        return rc;
    if (ns != NULL && strcmp(ns, "default") != 0) {
        if ((q = ac__arena_alloc(c->set->arena, strlen(ns) + strlen(n) + 2)) == NULL)
            return ac__chk_oom(c, name);
        memcpy(q, ns, strlen(ns));
        q[strlen(ns)] = '/';
        memcpy(q + strlen(ns) + 1, n, strlen(n) + 1);
        n = q;
    }
    if ((api = ac__decl_add_api(c->set)) == NULL)
        return ac__chk_oom(c, doc);
    api->name = n;
    api->line = doc->line;
    nm->text = n;
    nm->at = name;
    if ((rc = ac__chk_get_text(c, meta, "description", AC_CHK_FREE, &api->description)) != AC_OK)
        return rc;
    if ((v = ac__chk_opt(meta, "links")) != NULL && (rc = docs_of(c, v, &api->docs)) != AC_OK)
        return rc;
    if ((v = ac__chk_opt(doc, "spec")) == NULL)
        return AC_OK;
    return read_spec(c, v, api);
}

enum ac_err ac__backstage_read(struct ac_node **docs, size_t ndocs, const char *file,
                               struct ac_decl_set *set, struct ac_diag *d)
{
    struct ac_chk c = {set, file != NULL ? file : "", d};
    struct ac_named *names = NULL;
    enum ac_err rc = AC_OK;
    size_t i, napis = 0;

    set->format = "backstage";
    if (ndocs > 0 && (names = calloc(ndocs, sizeof(*names))) == NULL) {
        rc = ac__chk_oom(&c, NULL);
        goto out;
    }
    for (i = 0; i < ndocs; i++) {
        const char *kind = ac__node_str(ac__node_get(docs[i], "kind"));

        if (!is_backstage(docs[i]) || strcasecmp(kind, "API") != 0)
            continue;
        names[napis].idx = napis;
        if ((rc = read_entity(&c, docs[i], &names[napis])) != AC_OK)
            goto out;
        napis++;
    }
    rc = ac__chk_unique(&c, names, napis, "API entity");
out:
    free(names);
    return rc;
}
