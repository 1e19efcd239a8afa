/* collect.c - the server's side of remote collectors (see <apicensus/collect.h>): the context a
 * collector matches and shapes with, and the batches it ships, folded in exactly once. */
#include "aggregate.h"
#include "jsonc.h"
#include "shaping.h"
#include "store.h"
#include "wire.h"

#include <apicensus/collect.h>
#include <apicensus/findings.h>

#include <json-c/json.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Batches of one process are committed one at a time: a shaping reads the stored shapes before
 * its transaction begins. */
static pthread_mutex_t commit_mu = PTHREAD_MUTEX_INITIALIZER;

static enum ac_err nomem(struct ac_diag *d)
{
    return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
}

static enum ac_err reply_json(struct json_object *o, char **reply, struct ac_diag *d)
{
    const char *s = o != NULL ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : NULL;

    *reply = s != NULL ? strdup(s) : NULL;
    json_object_put(o);
    return *reply != NULL ? AC_OK : nomem(d);
}

/* --- the context ------------------------------------------------------------------------- */

struct context {
    struct json_object *documented, *shapes;
    uint64_t stamp;
};

static enum ac_err add_documented(void *ud, int64_t id, const char *method, const char *tmpl,
                                  const char *version, const char *host)
{
    struct context *c = ud;
    struct json_object *e = json_object_new_array();

    if (e == NULL)
        return AC_ENOMEM;
    c->stamp = ac__registry_stamp(c->stamp, id, method, tmpl, version, host);
    json_object_array_add(e, json_object_new_int64(id));
    json_object_array_add(e, json_object_new_string(method));
    json_object_array_add(e, json_object_new_string(tmpl));
    json_object_array_add(e, ac__json_str(version));
    json_object_array_add(e, ac__json_str(host));
    return json_object_array_add(c->documented, e) == 0 ? AC_OK : AC_ENOMEM;
}

static enum ac_err add_shape(void *ud, const char *host, const char *tmpl)
{
    struct context *c = ud;
    struct json_object *e = json_object_new_array();

    if (e == NULL)
        return AC_ENOMEM;
    json_object_array_add(e, json_object_new_string(host));
    json_object_array_add(e, json_object_new_string(tmpl));
    return json_object_array_add(c->shapes, e) == 0 ? AC_OK : AC_ENOMEM;
}

enum ac_err ac_collect_context(struct ac_store *s, char **json, struct ac_diag *d)
{
    struct context c = {json_object_new_array(), json_object_new_array(), 0};
    struct ac_domains dom = {NULL, 0};
    struct ac_path_policy pol;
    struct json_object *o = json_object_new_object();
    uint64_t endpoints = 0;
    char stamp[17];
    enum ac_err err = AC_OK;

    memset(&pol, 0, sizeof(pol));
    *json = NULL;
    if (o == NULL || c.documented == NULL || c.shapes == NULL)
        err = nomem(d);
    if (err == AC_OK)
        err = s->ops->documented(s, add_documented, &c, d);
    if (err == AC_OK)
        err = s->ops->domains(s, &dom, d);
    if (err == AC_OK)
        err = s->ops->path_policy(s, &pol, d);
    if (err == AC_OK)
        err = s->ops->shapes(s, add_shape, &c, d);
    if (err == AC_OK)
        err = s->ops->count_endpoints(s, &endpoints, d);
    if (err == AC_ENOMEM)
        nomem(d);
    if (err == AC_OK) {
        snprintf(stamp, sizeof(stamp), "%016llx", (unsigned long long)c.stamp);
        json_object_object_add(o, "registry", json_object_new_string(stamp));
        json_object_object_add(o, "documented", c.documented);
        json_object_object_add(o, "domains", ac__json_str_array((const char *const *)dom.v, dom.n));
        json_object_object_add(o, "pins",
                               ac__json_str_array((const char *const *)pol.pins, pol.npins));
        json_object_object_add(
            o, "literals", ac__json_str_array((const char *const *)pol.literals, pol.nliterals));
        json_object_object_add(o, "shapes", c.shapes);
        json_object_object_add(o, "endpoints", json_object_new_uint64(endpoints));
        c.documented = c.shapes = NULL;
        err = reply_json(o, json, d);
        o = NULL;
    }
    json_object_put(c.documented);
    json_object_put(c.shapes);
    json_object_put(o);
    ac__domains_free(&dom);
    ac__path_policy_free(&pol);
    return err;
}

/* --- batches ----------------------------------------------------------------------------- */

static bool is_hex(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[n] == '\0';
}

static const char *member_string(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static bool member_true(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean) &&
           json_object_get_boolean(v);
}

static enum ac_err batch(struct ac_store *s, struct json_object *req, const char *collector,
                         const char *now, char **reply, unsigned *code, struct ac_diag *d)
{
    const char *id = member_string(req, "batch"), *source = member_string(req, "source"),
               *registry = member_string(req, "registry"), *path = member_string(req, "path"),
               *file = member_string(req, "file");
    struct json_object *from = NULL, *to = NULL;
    struct json_object *obs = NULL, *out;
    struct ac_shaping *sh = NULL;
    struct ac_agg *agg = NULL;
    struct ac_batch b;
    struct ac_batch_result r = {0, 0, false, false, false};
    uint64_t stamp = 0, requests = 0;
    char mine[17];
    size_t i, moved = 0, nobs = 0;
    bool stale = false;
    enum ac_err err = AC_OK;

    if (id == NULL || strlen(id) != 64 || !is_hex(id, 64))
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0, "batch: not 64 lower-case hex digits");
    if (source == NULL || source[0] == '\0' || strlen(source) > 64)
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0, "source: not a name of 1 to 64 bytes");
    if (registry == NULL || strlen(registry) != 16 || !is_hex(registry, 16))
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0,
                           "registry: not the 16 hex digits of the context");
    if (path != NULL && (path[0] == '\0' || strlen(path) > 4096))
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0, "path: not a name of 1 to 4096 bytes");
    if (file != NULL && (strlen(file) != 64 || !is_hex(file, 64)))
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0, "file: not 64 lower-case hex digits");
    json_object_object_get_ex(req, "from", &from);
    json_object_object_get_ex(req, "to", &to);
    if (file != NULL &&
        (!json_object_is_type(from, json_type_int) || !json_object_is_type(to, json_type_int) ||
         json_object_get_int64(from) < 0 ||
         json_object_get_int64(to) <= json_object_get_int64(from)))
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0,
                           "from, to: with file, the byte range the batch covers (0 <= from < to)");
    json_object_object_get_ex(req, "observations", &obs);
    memset(&b, 0, sizeof(b));
    b.source = source;
    b.now = now;
    b.batch_id = id;
    b.collector = collector;
    b.path = path;
    b.file_id = file;
    b.range_from = file != NULL ? json_object_get_int64(from) : 0;
    b.range_to = file != NULL ? json_object_get_int64(to) : 0;
    /* A batch sent again is answered before it is decoded and shaped (commit checks again). */
    err = s->ops->batch_seen(s, &b, &r.duplicate, &r.conflict, d);
    snprintf(mine, sizeof(mine), "%s", registry);
    if (err == AC_OK && !r.duplicate && !r.conflict) {
        pthread_mutex_lock(&commit_mu);
        err = ac__shaping_open(s, &sh, &stamp, d);
        if (err == AC_OK && (agg = ac__agg_new()) == NULL)
            err = nomem(d);
        /* Observations that name operations of another state of the registry lose them: the
         * rematch after the commit finds their operations again, when they still exist. */
        snprintf(mine, sizeof(mine), "%016llx", (unsigned long long)stamp);
        stale = strcmp(mine, registry) != 0;
        if (err == AC_OK)
            err = ac__wire_decode(obs, agg, !stale, d);
        if (err == AC_OK) {
            nobs = ac__agg_count(agg);
            for (i = 0; i < nobs; i++)
                requests += ac__agg_get(agg, i)->count;
            err = ac__shaping_commit(sh, agg, &b, &r, d);
        }
        if (err == AC_OK && stale && !r.duplicate && !r.conflict)
            err = ac__shaping_rematch(sh, &moved, d);
        ac__shaping_close(sh);
        pthread_mutex_unlock(&commit_mu);
        ac__agg_free(agg);
    }
    if (err != AC_OK)
        return err;
    *code = r.conflict ? 409 : 200;
    out = json_object_new_object();
    if (r.conflict)
        json_object_object_add(
            out, "error",
            json_object_new_string("other batches of this file cover part of its range (it was "
                                   "read at another length, or with another --batch-size): "
                                   "counting it would count their lines twice"));
    json_object_object_add(out, "batch", json_object_new_string(id));
    json_object_object_add(out, "status",
                           json_object_new_string(r.conflict    ? "conflict"
                                                  : r.duplicate ? "duplicate"
                                                                : "committed"));
    json_object_object_add(out, "observations", json_object_new_uint64(nobs));
    json_object_object_add(out, "requests", json_object_new_uint64(requests));
    json_object_object_add(out, "known_endpoints", json_object_new_uint64(r.known_endpoints));
    json_object_object_add(out, "registry", json_object_new_string(mine));
    return reply_json(out, reply, d);
}

static enum ac_err derive(struct ac_store *s, char **reply, struct ac_diag *d)
{
    struct ac_shaping *sh = NULL;
    struct json_object *out;
    uint64_t stamp = 0, endpoints = 0;
    enum ac_err err;

    pthread_mutex_lock(&commit_mu);
    err = ac__shaping_open(s, &sh, &stamp, d);
    if (err == AC_OK)
        err = ac__shaping_derive(sh, &endpoints, d);
    ac__shaping_close(sh);
    pthread_mutex_unlock(&commit_mu);
    if (err != AC_OK)
        return err;
    out = json_object_new_object();
    json_object_object_add(out, "endpoints", json_object_new_uint64(endpoints));
    return reply_json(out, reply, d);
}

static enum ac_err reconcile(struct ac_store *s, const char *now, char **reply, struct ac_diag *d)
{
    struct ac_reconcile_stats st;
    struct json_object *out;
    enum ac_err err;

    memset(&st, 0, sizeof(st));
    err = ac_reconcile(s, now, &st, d);
    if (err != AC_OK)
        return err;
    out = json_object_new_object();
    json_object_object_add(out, "open", json_object_new_uint64(st.open));
    json_object_object_add(out, "accepted", json_object_new_uint64(st.accepted));
    json_object_object_add(out, "opened", json_object_new_uint64(st.opened));
    json_object_object_add(out, "resolved", json_object_new_uint64(st.resolved));
    return reply_json(out, reply, d);
}

enum ac_err ac_collect_post(struct ac_store *s, const char *body, size_t len, const char *collector,
                            const char *now, char **reply, unsigned *code, struct ac_diag *d)
{
    struct json_tokener *tok = json_tokener_new_ex(16);
    struct json_object *req = NULL;
    enum ac_err err;

    *reply = NULL;
    *code = 200;
    if (tok == NULL)
        return nomem(d);
    if (len > 0 && len < (size_t)INT32_MAX)
        req = json_tokener_parse_ex(tok, body, (int)len);
    if (req == NULL || json_tokener_get_error(tok) != json_tokener_success ||
        !json_object_is_type(req, json_type_object))
        err = ac_diag_set(
            d, AC_ESCHEMA, NULL, 0, 0, "the body must be a JSON object%s%s",
            req == NULL && len > 0 ? ": " : "",
            req == NULL && len > 0 ? json_tokener_error_desc(json_tokener_get_error(tok)) : "");
    else if (member_true(req, "derive"))
        err = derive(s, reply, d);
    else if (member_true(req, "reconcile"))
        err = reconcile(s, now, reply, d);
    else
        err = batch(s, req, collector, now, reply, code, d);
    json_object_put(req);
    json_tokener_free(tok);
    return err;
}
