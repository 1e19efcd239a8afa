/* manifest.c - apicensus.yaml to declarations: a closed schema, checked key by key.
 *
 * The reader walks the tree once. Every map of the schema has a static key list, used to reject
 * unknown keys (with a "did you mean" suggestion by edit distance) and duplicate keys, and a small
 * function that converts its values. Values go through typed helpers (text, enum, date, positive
 * integer, boolean, list, URL) that report the node at fault, so every error names a line and
 * column. Strings are copied into the set's arena; the document tree is only borrowed.
 *
 * YAML types plain scalars by their look, so text fields accept any scalar (a name or label may
 * read as a number: `1.25`), while numbers, booleans and dates insist on their type:
 * `every_days: "90"` is a string and an error. An explicit null counts as "not given".
 */
#include "manifest.h"

#include "arena.h"
#include "fileio.h"
#include "manifest_check.h"
#include "manifest_policy.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const top_keys[] = {"organisation", "apis", "integrations", "policy",
                                       "accepted"};
static const char *const org_keys[] = {"domains"};
static const char *const api_keys[] = {"name", "owner",  "description", "lifecycle", "docs",
                                       "data", "review", "specs",       "versions",  "deployments"};
static const char *const review_keys[] = {"last", "every_days"};
static const char *const version_keys[] = {"status", "deprecated", "sunset", "superseded_by",
                                           "specs"};
static const char *const deployment_keys[] = {"url",      "version",     "environment",
                                              "audience", "protections", "production_data"};
static const char *const integration_keys[] = {"name", "url",           "direction", "purpose",
                                               "data", "justification", "approved"};
static const char *const approved_keys[] = {"by", "on"};
static const char *const accepted_keys[] = {"finding", "reason", "until"};

static const char *const lifecycles[] = {"design", "active", "deprecated", "retired"};
static const char *const statuses[] = {"active", "deprecated", "retired"};
static const char *const environments[] = {"production", "staging", "test", "development"};
static const char *const audiences[] = {"public", "partner", "internal"};
static const char *const directions[] = {"inbound", "outbound", "both"};

/* Spec paths: resolved against the manifest's directory and listed as refs, never opened. */
static enum ac_err specs_of(struct ac_chk *c, const struct ac_node *v, const char *api,
                            const char *version)
{
    char path[4096];
    enum ac_err rc;
    uint32_t i;

    if (v->kind != AC_NODE_SEQ)
        return ac__chk_wrong_type(c, v, "specs", "a list of paths");
    for (i = 0; i < v->n; i++) {
        const struct ac_node *item = v->kids[i];
        struct ac_decl_ref *ref;

        if ((rc = ac__chk_text(c, item, "specs", AC_CHK_WORD, NULL)) != AC_OK)
            return rc;
        if (strstr(item->str, "://") != NULL)
            return ac__chk_fail(
                c, item,
                "spec '%.80s' is a URL; give a path relative to the manifest (specs are "
                "not downloaded)",
                item->str);
        if (ac__path_join_dir(c->file, item->str, path, sizeof(path)) != AC_OK)
            return ac__chk_fail(c, item, "spec path too long");
        if ((ref = ac__decl_add_ref(c->set)) == NULL)
            return ac__chk_oom(c, item);
        ref->api = api;
        ref->version = version;
        ref->line = item->line;
        if ((ref->path = ac__decl_strdup(c->set, path)) == NULL)
            return ac__chk_oom(c, item);
    }
    return AC_OK;
}

/* A version label: one token as the API spells it in paths. */
static enum ac_err label_of(struct ac_chk *c, const struct ac_node *v, const char *key,
                            const char **out)
{
    enum ac_err rc = ac__chk_text(c, v, key, AC_CHK_WORD, out);

    if (rc == AC_OK && (ac__chk_has_blank(v->str) || strpbrk(v->str, "/?#") != NULL))
        return ac__chk_fail(c, v,
                            "invalid %s '%.60s' (expected one token such as v2, 1.25, 2024-06-01)",
                            key, v->str);
    return rc;
}

/* ---- apis ----------------------------------------------------------------------------------- */

/* "team <contact>" -> owner "team", contact "contact"; a bare e-mail is both. */
static enum ac_err owner_of(struct ac_chk *c, const struct ac_node *v, struct ac_decl_api *api)
{
    const char *t, *lt, *lt2, *gt, *end, *tend;
    enum ac_err rc = ac__chk_text(c, v, "owner", AC_CHK_WORD, &t);

    if (rc != AC_OK)
        return rc;
    if ((lt = strchr(t, '<')) == NULL) {
        api->owner = t;
        if (strchr(t, '@') != NULL && strchr(t, ' ') == NULL)
            api->contact = t;
        return AC_OK;
    }
    gt = strchr(lt, '>');
    lt2 = strchr(lt + 1, '<');
    for (end = gt != NULL ? gt + 1 : lt; *end == ' ' || *end == '\t'; end++)
        ;
    if (gt == NULL || gt == lt + 1 || *end != '\0' || (lt2 != NULL && lt2 < gt))
        return ac__chk_fail(c, v, "invalid owner '%.80s' (expected 'team' or 'team <contact>')", t);
    api->contact = ac__arena_strndup(c->set->arena, lt + 1, (size_t)(gt - lt - 1));
    for (tend = lt; tend > t && (tend[-1] == ' ' || tend[-1] == '\t'); tend--)
        ;
    api->owner = tend > t ? ac__arena_strndup(c->set->arena, t, (size_t)(tend - t)) : api->contact;
    return api->contact != NULL && api->owner != NULL ? AC_OK : ac__chk_oom(c, v);
}

static enum ac_err read_versions(struct ac_chk *c, const struct ac_node *map, const char *api)
{
    struct ac_named *names = NULL;
    enum ac_err rc = AC_OK;
    uint32_t i;

    if (map->kind != AC_NODE_MAP)
        return ac__chk_wrong_type(c, map, "versions", "a map of version labels");
    if (map->n > 0 && (names = calloc(map->n, sizeof(*names))) == NULL)
        return ac__chk_oom(c, map);
    for (i = 0; i < map->n && rc == AC_OK; i++) {
        const struct ac_node *key = ac__node_key(map, i), *val = ac__node_val(map, i);
        struct ac_decl_version *ver;
        const struct ac_node *spec;

        if ((ver = ac__decl_add_version(c->set)) == NULL) {
            rc = ac__chk_oom(c, key);
            break;
        }
        ver->api = api;
        ver->line = key->line;
        if ((rc = label_of(c, key, "version label", &ver->label)) != AC_OK)
            break;
        names[i] = (struct ac_named){ver->label, key, i};
        if (val->kind == AC_NODE_SCALAR && val->tag == AC_TAG_NULL)
            continue; /* `v3:` alone declares the label */
        if ((rc = ac__chk_map(c, val, "version", version_keys, COUNT(version_keys))) != AC_OK ||
            (rc = ac__chk_get_enum(c, val, "status", statuses, COUNT(statuses), &ver->status)) !=
                AC_OK ||
            (rc = ac__chk_get_date(c, val, "deprecated", &ver->deprecated_on)) != AC_OK ||
            (rc = ac__chk_get_date(c, val, "sunset", &ver->sunset)) != AC_OK)
            break;
        if (ac__chk_opt(val, "superseded_by") != NULL &&
            (rc = label_of(c, ac__chk_opt(val, "superseded_by"), "superseded_by",
                           &ver->superseded_by)) != AC_OK)
            break;
        if (ver->superseded_by != NULL && strcmp(ver->superseded_by, ver->label) == 0) {
            rc = ac__chk_fail(c, ac__chk_opt(val, "superseded_by"),
                              "version '%.60s' cannot supersede itself", ver->label);
            break;
        }
        if ((spec = ac__chk_opt(val, "specs")) != NULL)
            rc = specs_of(c, spec, api, ver->label);
    }
    if (rc == AC_OK)
        rc = ac__chk_unique(c, names, map->n, "version");
    free(names);
    return rc;
}

static enum ac_err read_deployment(struct ac_chk *c, const struct ac_node *node, const char *api,
                                   struct ac_named *nm)
{
    struct ac_decl_deployment *dep;
    const struct ac_node *url, *v;
    enum ac_err rc;

    (void)nm;
    if ((rc = ac__chk_map(c, node, "deployment", deployment_keys, COUNT(deployment_keys))) != AC_OK)
        return rc;
    if ((url = ac__node_get(node, "url")) == NULL)
        return ac__chk_fail(c, node, "missing required key 'url' in deployment");
    if ((dep = ac__decl_add_deployment(c->set)) == NULL)
        return ac__chk_oom(c, node);
    dep->api = api;
    dep->line = node->line;
    if ((rc = ac__chk_url(c, url, "url", dep)) != AC_OK)
        return rc;
    if ((v = ac__chk_opt(node, "version")) != NULL &&
        (rc = label_of(c, v, "version", &dep->version)))
        return rc;
    if ((rc = ac__chk_get_enum(c, node, "environment", environments, COUNT(environments),
                               &dep->environment)) != AC_OK ||
        (rc = ac__chk_get_enum(c, node, "audience", audiences, COUNT(audiences), &dep->audience)) !=
            AC_OK)
        return rc;
    if ((v = ac__chk_opt(node, "protections")) != NULL) {
        if ((rc = ac__chk_list(c, v, "protections", AC_CHK_LOWER, &dep->protections)) != AC_OK)
            return rc;
        dep->has_protections = true;
    }
    if ((v = ac__chk_opt(node, "production_data")) != NULL)
        return ac__chk_bool(c, v, "production_data", &dep->production_data);
    return AC_OK;
}

typedef enum ac_err (*item_fn)(struct ac_chk *c, const struct ac_node *item, const char *api,
                               struct ac_named *nm);

/* Read every item of a list with fn; `what` (when not NULL) names what must be unique. */
static enum ac_err read_items(struct ac_chk *c, const struct ac_node *seq, const char *key,
                              const char *api, item_fn fn, const char *what)
{
    struct ac_named *names = NULL;
    enum ac_err rc = AC_OK;
    uint32_t i;

    if (seq == NULL)
        return AC_OK;
    if (seq->kind != AC_NODE_SEQ)
        return ac__chk_wrong_type(c, seq, key, "a list");
    if (seq->n == 0)
        return AC_OK;
    if ((names = calloc(seq->n, sizeof(*names))) == NULL) {
        rc = ac__chk_oom(c, seq);
        goto out;
    }
    for (i = 0; i < seq->n; i++) {
        names[i].idx = i;
        if ((rc = fn(c, seq->kids[i], api, &names[i])) != AC_OK)
            goto out;
    }
    if (what != NULL)
        rc = ac__chk_unique(c, names, seq->n, what);
out:
    free(names);
    return rc;
}

static enum ac_err read_api(struct ac_chk *c, const struct ac_node *node, const char *unused,
                            struct ac_named *nm)
{
    struct ac_decl_api *api;
    const struct ac_node *name, *v;
    struct ac_decl_deployment docs = {0};
    enum ac_err rc;

    (void)unused;
    if ((rc = ac__chk_map(c, node, "api", api_keys, COUNT(api_keys))) != AC_OK)
        return rc;
    if ((name = ac__node_get(node, "name")) == NULL)
        return ac__chk_fail(c, node, "missing required key 'name' in api");
    if ((api = ac__decl_add_api(c->set)) == NULL)
        return ac__chk_oom(c, node);
    api->line = node->line;
    if ((rc = ac__chk_text(c, name, "name", AC_CHK_WORD, &api->name)) != AC_OK)
        return rc;
    nm->text = api->name;
    nm->at = name;
    if ((v = ac__chk_opt(node, "owner")) != NULL && (rc = owner_of(c, v, api)) != AC_OK)
        return rc;
    if ((rc = ac__chk_get_text(c, node, "description", AC_CHK_FREE, &api->description)) != AC_OK ||
        (rc = ac__chk_get_enum(c, node, "lifecycle", lifecycles, COUNT(lifecycles),
                               &api->lifecycle)))
        return rc;
    if ((v = ac__chk_opt(node, "docs")) != NULL) {
        if ((rc = ac__chk_url(c, v, "docs", &docs)) != AC_OK)
            return rc;
        api->docs = docs.url;
    }
    if ((v = ac__chk_opt(node, "data")) != NULL) {
        if ((rc = ac__chk_list(c, v, "data", AC_CHK_LOWER, &api->data)) != AC_OK)
            return rc;
        api->has_data = true;
    }
    if ((v = ac__chk_opt(node, "review")) != NULL) {
        const struct ac_node *every;

        if ((rc = ac__chk_map(c, v, "review", review_keys, COUNT(review_keys))) != AC_OK ||
            (rc = ac__chk_get_date(c, v, "last", &api->review_last)) != AC_OK)
            return rc;
        if ((every = ac__chk_opt(v, "every_days")) != NULL &&
            (rc = ac__chk_posint(c, every, "every_days", &api->review_every_days)) != AC_OK)
            return rc;
    }
    if ((v = ac__chk_opt(node, "specs")) != NULL && (rc = specs_of(c, v, api->name, NULL)) != AC_OK)
        return rc;
    if ((v = ac__chk_opt(node, "versions")) != NULL &&
        (rc = read_versions(c, v, api->name)) != AC_OK)
        return rc;
    return read_items(c, ac__chk_opt(node, "deployments"), "deployments", api->name,
                      read_deployment, NULL);
}

/* ---- organisation, integrations, accepted --------------------------------------------------- */

static enum ac_err read_domain(struct ac_chk *c, const struct ac_node *node, struct ac_named *nm)
{
    const char *t;
    enum ac_err rc;

    if ((rc = ac__chk_text(c, node, "domains", AC_CHK_WORD | AC_CHK_LOWER, &t)) != AC_OK)
        return rc;
    if (strncmp(t, "*.", 2) == 0)
        t += 2;
    else if (t[0] == '.')
        t++;
    if (!ac__chk_is_host(t, strlen(t)))
        return ac__chk_fail(c, node,
                            "invalid domain '%.80s' (expected a domain name such as example.com)",
                            node->str);
    nm->text = t;
    nm->at = node;
    return AC_OK;
}

static enum ac_err read_organisation(struct ac_chk *c, const struct ac_node *node)
{
    struct ac_named *names = NULL;
    const struct ac_node *doms;
    const char **arr = NULL;
    enum ac_err rc;
    uint32_t i;

    if ((rc = ac__chk_map(c, node, "organisation", org_keys, COUNT(org_keys))) != AC_OK)
        return rc;
    if ((doms = ac__chk_opt(node, "domains")) == NULL)
        return AC_OK;
    if (doms->kind != AC_NODE_SEQ)
        return ac__chk_wrong_type(c, doms, "domains", "a list");
    if (doms->n == 0)
        return AC_OK;
    if ((arr = ac__arena_alloc(c->set->arena, doms->n * sizeof(*arr))) == NULL ||
        (names = calloc(doms->n, sizeof(*names))) == NULL) {
        rc = ac__chk_oom(c, doms);
        goto out;
    }
    for (i = 0; i < doms->n; i++) {
        names[i].idx = i;
        if ((rc = read_domain(c, doms->kids[i], &names[i])) != AC_OK)
            goto out;
        arr[i] = names[i].text;
    }
    if ((rc = ac__chk_unique(c, names, doms->n, "domain")) != AC_OK)
        goto out;
    c->set->domains.v = arr;
    c->set->domains.n = doms->n;
out:
    free(names);
    return rc;
}

/* Integration url: an http(s) URL or a bare host[:port]; fills url (as written) and host. */
static enum ac_err integration_url(struct ac_chk *c, const struct ac_node *v,
                                   struct ac_decl_integration *in)
{
    struct ac_decl_deployment tmp = {0};
    const char *port;
    enum ac_err rc;
    size_t hl, i;
    char *h;

    if (strstr(v->str != NULL ? v->str : "", "://") != NULL) {
        if ((rc = ac__chk_url(c, v, "url", &tmp)) != AC_OK)
            return rc;
        in->url = tmp.url;
        in->host = tmp.host;
        return AC_OK;
    }
    if ((rc = ac__chk_text(c, v, "url", AC_CHK_WORD, &in->url)) != AC_OK)
        return rc;
    /* A bare host, optionally with :port. */
    hl = strcspn(in->url, ":");
    port = in->url + hl + (in->url[hl] == ':');
    if (!ac__chk_is_host(in->url, hl) || (in->url[hl] == ':' && *port == '\0') ||
        strspn(port, "0123456789") != strlen(port))
        return ac__chk_fail(
            c, v, "invalid URL '%.80s' for 'url' (expected https://host or a host name)", in->url);
    if ((h = ac__arena_strndup(c->set->arena, in->url, hl)) == NULL)
        return ac__chk_oom(c, v);
    for (i = 0; h[i] != '\0'; i++)
        h[i] = (char)tolower((unsigned char)h[i]);
    in->host = h;
    return AC_OK;
}

static enum ac_err read_integration(struct ac_chk *c, const struct ac_node *node,
                                    const char *unused, struct ac_named *nm)
{
    struct ac_decl_integration *in;
    const struct ac_node *name, *url, *v;
    enum ac_err rc;

    (void)unused;
    if ((rc = ac__chk_map(c, node, "integration", integration_keys, COUNT(integration_keys))))
        return rc;
    if ((name = ac__node_get(node, "name")) == NULL)
        return ac__chk_fail(c, node, "missing required key 'name' in integration");
    if ((url = ac__node_get(node, "url")) == NULL)
        return ac__chk_fail(c, node, "missing required key 'url' in integration");
    if ((in = ac__decl_add_integration(c->set)) == NULL)
        return ac__chk_oom(c, node);
    in->line = node->line;
    if ((rc = ac__chk_text(c, name, "name", AC_CHK_WORD, &in->name)) != AC_OK ||
        (rc = integration_url(c, url, in)) != AC_OK ||
        (rc = ac__chk_get_enum(c, node, "direction", directions, COUNT(directions),
                               &in->direction)) ||
        (rc = ac__chk_get_text(c, node, "purpose", AC_CHK_FREE, &in->purpose)) != AC_OK ||
        (rc = ac__chk_get_text(c, node, "justification", AC_CHK_FREE, &in->justification)) != AC_OK)
        return rc;
    nm->text = in->name;
    nm->at = name;
    if ((v = ac__chk_opt(node, "data")) != NULL &&
        (rc = ac__chk_list(c, v, "data", AC_CHK_LOWER, &in->data)))
        return rc;
    if ((v = ac__chk_opt(node, "approved")) == NULL)
        return AC_OK;
    if ((rc = ac__chk_map(c, v, "approved", approved_keys, COUNT(approved_keys))) != AC_OK ||
        (rc = ac__chk_get_text(c, v, "by", AC_CHK_WORD, &in->approved_by)) != AC_OK)
        return rc;
    return ac__chk_get_date(c, v, "on", &in->approved_on);
}

static enum ac_err read_accept(struct ac_chk *c, const struct ac_node *node, const char *unused,
                               struct ac_named *nm)
{
    struct ac_decl_accept *acc;
    const struct ac_node *finding, *reason;
    enum ac_err rc;

    (void)unused;
    (void)nm;
    if ((rc = ac__chk_map(c, node, "accepted entry", accepted_keys, COUNT(accepted_keys))))
        return rc;
    if ((finding = ac__node_get(node, "finding")) == NULL)
        return ac__chk_fail(c, node, "missing required key 'finding' in accepted entry");
    if ((reason = ac__node_get(node, "reason")) == NULL)
        return ac__chk_fail(c, node, "missing required key 'reason' in accepted entry");
    if ((acc = ac__decl_add_accept(c->set)) == NULL)
        return ac__chk_oom(c, node);
    acc->line = node->line;
    if ((rc = ac__chk_text(c, finding, "finding", AC_CHK_WORD, &acc->finding)) != AC_OK ||
        (rc = ac__chk_text(c, reason, "reason", AC_CHK_NONEMPTY, &acc->reason)) != AC_OK)
        return rc;
    return ac__chk_get_date(c, node, "until", &acc->until);
}

/* ---- entry points --------------------------------------------------------------------------- */

enum ac_err ac__manifest_read(const struct ac_node *root, const char *file, struct ac_decl_set *set,
                              struct ac_diag *d)
{
    struct ac_chk c = {set, file != NULL ? file : "", d};
    const struct ac_node *v;
    enum ac_err rc;

    if (root == NULL || (root->kind == AC_NODE_SCALAR && root->tag == AC_TAG_NULL))
        return ac_diag_set(d, AC_ESCHEMA, c.file, root != NULL ? root->line : 1,
                           root != NULL ? root->col : 1, "empty manifest");
    if (root->kind != AC_NODE_MAP)
        return ac__chk_fail(&c, root,
                            "a manifest is a map of organisation, apis, integrations, policy and "
                            "accepted; got %s",
                            ac__chk_type_name(root));
    if ((rc = ac__chk_map(&c, root, "manifest", top_keys, COUNT(top_keys))) != AC_OK)
        return rc;
    set->format = "apicensus manifest";
    if ((v = ac__chk_opt(root, "organisation")) != NULL && (rc = read_organisation(&c, v)) != AC_OK)
        return rc;
    if ((rc = read_items(&c, ac__chk_opt(root, "apis"), "apis", NULL, read_api, "api name")) !=
            AC_OK ||
        (rc = read_items(&c, ac__chk_opt(root, "integrations"), "integrations", NULL,
                         read_integration, "integration name")) != AC_OK)
        return rc;
    if ((v = ac__chk_opt(root, "policy")) != NULL &&
        (rc = ac__manifest_policy_read(&c, v)) != AC_OK)
        return rc;
    return read_items(&c, ac__chk_opt(root, "accepted"), "accepted", NULL, read_accept, NULL);
}

bool ac__manifest_detect(const struct ac_node *root)
{
    bool core = false;
    uint32_t i;
    size_t k;

    if (root == NULL || root->kind != AC_NODE_MAP || root->n == 0)
        return false;
    for (i = 0; i < root->n; i++) {
        const struct ac_node *key = ac__node_key(root, i);

        for (k = 0; k < COUNT(top_keys) && !ac__node_is(key, top_keys[k]); k++)
            ;
        if (k == COUNT(top_keys))
            return false;
        if (k < 3) /* organisation, apis, integrations */
            core = true;
    }
    return core;
}

const char *ac__manifest_skeleton(void)
{
    /* Lines stay under 80 columns so the file reads well in any editor. */
    return "# apicensus.yaml - the API inventory as code. Every key: docs/manifest.md\n"
           "#\n"
           "# Declare what specs cannot say: owners, environments, audiences, retirement\n"
           "# plans, third parties and policy. This file wins over imported OpenAPI specs\n"
           "# and Backstage entities, field by field. Paths are relative to this file's\n"
           "# directory. Uncomment and edit what applies; as written it declares nothing.\n"
           "\n"
           "# Hosts under these domains are ours, other hosts are third parties. With no\n"
           "# domains, every host is ours unless marked --outbound.\n"
           "organisation:\n"
           "  domains: []                    # e.g. [example.com, example.net]\n"
           "\n"
           "# Every API the organisation runs.\n"
           "apis: []\n"
           "#  - name: accounts              # unique name (required)\n"
           "#    owner: identity-team <identity@example.com>   # team, optionally <contact>\n"
           "#    description: sign-up, login and profile\n"
           "#    lifecycle: active           # design | active | deprecated | retired\n"
           "#    docs: https://docs.example.com/accounts       # documentation link\n"
           "#    data: [email, name, credentials]              # data classes it handles\n"
           "#    review: {last: 2026-09-01, every_days: 90}    # last review, interval\n"
           "#    specs: [specs/accounts.yaml]  # OpenAPI files; versions from their paths\n"
           "#    versions:                   # status: active | deprecated | retired\n"
           "#      v1: {status: retired, deprecated: 2025-01-01, sunset: 2025-06-30,\n"
           "#           superseded_by: v2}\n"
           "#      v2: {status: active, specs: [specs/accounts-v2.yaml]}\n"
           "#    deployments:\n"
           "#      - url: https://api.example.com/accounts/v2  # base URL (required)\n"
           "#        version: v2             # the version it serves (all when absent)\n"
           "#        environment: production # production | staging | test | development\n"
           "#        audience: public        # public | partner | internal\n"
           "#        protections: [rate-limit, waf]  # also auth-gateway, mtls, ...\n"
           "#        production_data: true   # whether it holds production data\n"
           "\n"
           "# Third parties the organisation exchanges data with.\n"
           "integrations: []\n"
           "#  - name: payments-provider     # unique name (required)\n"
           "#    url: https://api.payments.example.net  # base URL or host (required)\n"
           "#    direction: outbound         # inbound | outbound | both\n"
           "#    purpose: payment processing for orders\n"
           "#    data: [email, name, payment-card]      # data classes shared\n"
           "#    justification: contract 2026-114\n"
           "#    approved: {by: ciso@example.com, on: 2026-01-15}\n"
           "\n"
           "# Policy. The values shown are the defaults.\n"
           "policy:\n"
           "  # severity: {orphan-operation: info}  # info | low | medium | high | critical\n"
           "  # fail_on: high                # `apicensus check` fails from this severity\n"
           "  # window_days: 30              # traffic window for orphan and dormant\n"
           "  # dormant_after_days: 30       # no traffic this long: dormant\n"
           "  # burst_without_limit: 1000    # one client's requests, no 429: no limit\n"
           "  # public_docs: true            # false: docs never answer without credentials\n"
           "  # minimum_versions: {nginx: \"1.24\"}     # outdated below these (none)\n"
           "  # paths:\n"
           "  #   pin: [\"/repos/{owner}/{repo}\"]      # templates inference must use (none)\n"
           "  #   literal: [\"/users/me\"]              # never parameters (none)\n"
           "\n"
           "# Accepted risks: findings accepted, with a reason, until a date.\n"
           "accepted: []\n"
           "#  - finding: \"<finding id>\"   # as `apicensus findings` shows it (required)\n"
           "#    reason: migration ticket OPS-12   # why (required)\n"
           "#    until: 2027-01-31         # last day of the acceptance (none: no expiry)\n";
}
