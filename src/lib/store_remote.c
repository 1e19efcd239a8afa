/* store_remote.c - the collector's store handle (see <apicensus/collect.h>): ac_ingest() runs
 * unchanged against it; what it would write goes to the server instead.
 *
 * Opening reads the server's context (GET /api/v1/ingest/context): the documented operations,
 * domains, path policy and stored shapes the ingest matches and shapes with, served from memory
 * afterwards. Checkpoints live in a local SQLite state store; a batch is POSTed to
 * /api/v1/ingest under a name derived from what it covers, and only once the server answered
 * "committed" or "duplicate" is the checkpoint after it written locally. Requests that fail for
 * a reason that may pass (no connection, a timeout, 429, 5xx) are retried after 0.5 s, 1 s,
 * 2 s ... (at most 30 s, with a quarter of jitter); any other answer is an error carrying the
 * server's message.
 */
#include "aggregate.h"
#include "curl_lazy.h"
#include "jsonc.h"
#include "sha256.h"
#include "store.h"
#include "wire.h"

#include <apicensus/collect.h>
#include <apicensus/findings.h>

#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPLY_MAX (256u * 1024u * 1024u) /* bytes of a server's answer (the context can be big) */
#define BACKOFF_FIRST_MS 500u
#define BACKOFF_MAX_MS 30000u

struct remote {
    struct ac_store base;
    struct ac_store *local; /* the state store: checkpoints */
    CURL *curl;
    char *base_url; /* without a trailing '/' */
    char *auth;     /* "Authorization: Bearer ..." */
    unsigned retries, timeout_s;
    void (*on_retry)(void *ud, const char *why, unsigned attempt, double wait_s);
    void *ud;
    struct json_object *ctx; /* the context */
    char registry[17];
    uint64_t endpoints;
    char nonce[65]; /* names stdin's batches */
    uint64_t seq;
    unsigned seed;
    struct ac_remote_stats stats;
    const char *batch_path; /* the file of the batch being sent, for messages */
};

/* --- HTTP -------------------------------------------------------------------------------- */

struct body {
    char *p;
    size_t n, cap;
    bool over;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ud)
{
    struct body *b = ud;
    size_t n = size * nmemb;

    if (b->n + n + 1 > REPLY_MAX) {
        b->over = true;
        return 0;
    }
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap != 0 ? b->cap : 4096;
        char *np;

        while (cap < b->n + n + 1)
            cap *= 2;
        np = realloc(b->p, cap);
        if (np == NULL)
            return 0;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
    return n;
}

static void pause_ms(unsigned ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&t, &t) != 0)
        ;
}

/* The server's {"error": "..."} message, or the start of the body. */
static void server_message(const struct body *b, char *out, size_t cap)
{
    struct json_object *o = b->p != NULL ? json_tokener_parse(b->p) : NULL, *e = NULL;

    if (o != NULL && json_object_object_get_ex(o, "error", &e) &&
        json_object_is_type(e, json_type_string))
        snprintf(out, cap, "%s", json_object_get_string(e));
    else
        snprintf(out, cap, "%.120s", b->p != NULL ? b->p : "(no body)");
    json_object_put(o);
}

/* One request (body NULL: GET), retried while it may pass. The answer's JSON in *out. */
static enum ac_err request(struct remote *r, const char *path, const char *body,
                           struct json_object **out, struct ac_diag *d)
{
    char url[2048], why[512], msg[200];
    struct curl_slist *h = NULL;
    unsigned attempt;
    enum ac_err err = AC_OK;

    *out = NULL;
    snprintf(url, sizeof(url), "%s%s", r->base_url, path);
    h = curl_slist_append(h, r->auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
    for (attempt = 1;; attempt++) {
        struct body b = {NULL, 0, 0, false};
        long status = 0;
        CURLcode rc;
        bool again;

        curl_easy_setopt(r->curl, CURLOPT_URL, url);
        curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, &b);
        if (body != NULL) {
            curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
            curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
        } else {
            curl_easy_setopt(r->curl, CURLOPT_HTTPGET, 1L);
        }
        rc = curl_easy_perform(r->curl);
        if (rc == CURLE_OK)
            curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
        if (rc != CURLE_OK) {
            snprintf(why, sizeof(why), "%.200s: %s", url,
                     b.over ? "answer too large" : curl_easy_strerror(rc));
            again = !b.over;
        } else if (status >= 200 && status < 300) {
            struct json_object *o = b.p != NULL ? json_tokener_parse(b.p) : NULL;

            if (o == NULL)
                err = ac_diag_set(d, AC_EIO, NULL, 0, 0, "%s: the answer is not JSON", url);
            *out = o;
            free(b.p);
            break;
        } else {
            server_message(&b, msg, sizeof(msg));
            snprintf(why, sizeof(why), "%.200s: HTTP %ld: %s%s", url, status, msg,
                     status == 413 ? " (a smaller --batch-size makes smaller batches)" : "");
            again = status == 429 || status >= 500;
            if (status == 409 && body != NULL && r->batch_path != NULL)
                snprintf(why, sizeof(why), "%.260s: the server refused the batch: %.200s",
                         r->batch_path, msg);
        }
        free(b.p);
        if (!again || attempt > r->retries) {
            err = ac_diag_set(d, AC_EIO, NULL, 0, 0, "%s%s", why,
                              again ? " (gave up after the retries)" : "");
            break;
        }
        {
            unsigned shift = attempt - 1 < 16 ? attempt - 1 : 16;
            unsigned ms = BACKOFF_FIRST_MS << shift;

            if (ms > BACKOFF_MAX_MS)
                ms = BACKOFF_MAX_MS;
            ms = ms - ms / 4 + (unsigned)rand_r(&r->seed) % (ms / 4 + 1);
            if (r->on_retry != NULL)
                r->on_retry(r->ud, why, attempt, ms / 1000.0);
            pause_ms(ms);
        }
    }
    curl_slist_free_all(h);
    return err;
}

static enum ac_err post(struct remote *r, struct json_object *req, struct json_object **out,
                        struct ac_diag *d)
{
    const char *s = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);

    if (s == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    return request(r, "/api/v1/ingest", s, out, d);
}

/* --- the context ------------------------------------------------------------------------- */

static struct json_object *ctx_array(const struct remote *r, const char *key)
{
    struct json_object *v = NULL;

    json_object_object_get_ex(r->ctx, key, &v);
    return json_object_is_type(v, json_type_array) ? v : NULL;
}

static const char *opt_string(struct json_object *v)
{
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static enum ac_err r_documented(struct ac_store *s, ac_documented_cb cb, void *ud,
                                struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;
    struct json_object *a = ctx_array(r, "documented");
    size_t i, n = a != NULL ? json_object_array_length(a) : 0;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < n; i++) {
        struct json_object *e = json_object_array_get_idx(a, i);
        const char *method = opt_string(json_object_array_get_idx(e, 1)),
                   *tmpl = opt_string(json_object_array_get_idx(e, 2));

        if (method == NULL || tmpl == NULL)
            continue;
        err = cb(ud, json_object_get_int64(json_object_array_get_idx(e, 0)), method, tmpl,
                 opt_string(json_object_array_get_idx(e, 3)),
                 opt_string(json_object_array_get_idx(e, 4)));
    }
    return err == AC_ENOMEM ? ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory") : err;
}

static enum ac_err r_domains(struct ac_store *s, struct ac_domains *out, struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;

    if (!ac__json_strings(ctx_array(r, "domains"), &out->v, &out->n))
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    return AC_OK;
}

static enum ac_err r_path_policy(struct ac_store *s, struct ac_path_policy *out, struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;

    memset(out, 0, sizeof(*out));
    if (!ac__json_strings(ctx_array(r, "pins"), &out->pins, &out->npins) ||
        !ac__json_strings(ctx_array(r, "literals"), &out->literals, &out->nliterals))
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    return AC_OK;
}

static enum ac_err r_shapes(struct ac_store *s, ac_shape_cb cb, void *ud, struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;
    struct json_object *a = ctx_array(r, "shapes");
    size_t i, n = a != NULL ? json_object_array_length(a) : 0;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < n; i++) {
        struct json_object *e = json_object_array_get_idx(a, i);
        const char *host = opt_string(json_object_array_get_idx(e, 0)),
                   *tmpl = opt_string(json_object_array_get_idx(e, 1));

        if (host != NULL && tmpl != NULL)
            err = cb(ud, host, tmpl);
    }
    return err == AC_ENOMEM ? ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory") : err;
}

static enum ac_err r_count_endpoints(struct ac_store *s, uint64_t *n, struct ac_diag *d)
{
    (void)d;
    *n = ((struct remote *)s)->endpoints;
    return AC_OK;
}

/* --- checkpoints and batches ------------------------------------------------------------- */

static enum ac_err r_checkpoint(struct ac_store *s, struct ac_checkpoint *cp, struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;

    return r->local->ops->checkpoint(r->local, cp, d);
}

/* A file's identity, whoever reads it: the hash of its first bytes. */
static void file_id(const struct ac_checkpoint *cp, char out[65])
{
    struct ac_sha256 c;
    char num[32];

    snprintf(num, sizeof(num), "%lld", (long long)cp->head_len);
    ac__sha256_init(&c);
    ac__sha256_update(&c, "apicensus-file", 15);
    ac__sha256_update(&c, cp->head_hash, strlen(cp->head_hash) + 1);
    ac__sha256_update(&c, num, strlen(num));
    ac__sha256_hex(&c, out);
}

/* The batch's name: what it covers of which file, or for standard input (nothing to resume)
 * this run's nonce and the batch's number. */
static void batch_id(struct remote *r, const struct ac_batch *b, const char *file, char out[65])
{
    struct ac_sha256 c;
    char num[64];

    ac__sha256_init(&c);
    ac__sha256_update(&c, "apicensus-batch", 16);
    ac__sha256_update(&c, b->source, strlen(b->source) + 1);
    if (b->cp != NULL) {
        ac__sha256_update(&c, file, strlen(file) + 1);
        snprintf(num, sizeof(num), "%lld:%lld", (long long)b->from_offset,
                 (long long)b->cp->offset);
    } else {
        ac__sha256_update(&c, r->nonce, strlen(r->nonce) + 1);
        snprintf(num, sizeof(num), "stdin:%llu", (unsigned long long)r->seq++);
    }
    ac__sha256_update(&c, num, strlen(num));
    ac__sha256_hex(&c, out);
}

static uint64_t member_u64(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int)
               ? (uint64_t)json_object_get_int64(v)
               : 0;
}

static enum ac_err r_commit_batch(struct ac_store *s, const struct ac_batch *b,
                                  struct ac_batch_result *res, struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;
    struct json_object *req = json_object_new_object(), *ans = NULL, *st = NULL;
    struct ac_agg *none = NULL;
    char id[65], file[65] = "";
    enum ac_err err = AC_OK;

    if (ac__agg_count(b->agg) > 0) { /* an empty batch only moves the checkpoint */
        if (b->cp != NULL)
            file_id(b->cp, file);
        batch_id(r, b, file, id);
        json_object_object_add(req, "batch", json_object_new_string(id));
        json_object_object_add(req, "source", json_object_new_string(b->source));
        json_object_object_add(req, "registry", json_object_new_string(r->registry));
        if (b->cp != NULL) {
            json_object_object_add(req, "path", json_object_new_string(b->cp->path));
            json_object_object_add(req, "file", json_object_new_string(file));
            json_object_object_add(req, "from", json_object_new_int64(b->from_offset));
            json_object_object_add(req, "to", json_object_new_int64(b->cp->offset));
        }
        json_object_object_add(req, "observations", ac__wire_encode(b->agg));
        r->batch_path = b->cp != NULL ? b->cp->path : NULL;
        err = post(r, req, &ans, d);
        r->batch_path = NULL;
        if (err == AC_OK && (!json_object_object_get_ex(ans, "status", &st) ||
                             !json_object_is_type(st, json_type_string)))
            err = ac_diag_set(d, AC_EIO, NULL, 0, 0, "%s: the server did not acknowledge the batch",
                              r->base_url);
        if (err == AC_OK && res != NULL) {
            memset(res, 0, sizeof(*res));
            res->known_endpoints = (size_t)member_u64(ans, "known_endpoints");
            res->duplicate = strcmp(json_object_get_string(st), "duplicate") == 0;
        }
        if (err == AC_OK && strcmp(json_object_get_string(st), "duplicate") == 0)
            r->stats.duplicate++;
        else if (err == AC_OK)
            r->stats.committed++;
    }
    /* Acknowledged (or nothing to send): the checkpoint moves, locally. */
    if (err == AC_OK && b->cp != NULL) {
        struct ac_batch lb;

        if ((none = ac__agg_new()) == NULL)
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        if (err == AC_OK) {
            ac__agg_finish(none);
            memset(&lb, 0, sizeof(lb));
            lb.source = b->source;
            lb.agg = none;
            lb.cp = b->cp;
            lb.now = b->now;
            err = r->local->ops->commit_batch(r->local, &lb, NULL, d);
        }
    }
    ac__agg_free(none);
    json_object_put(req);
    json_object_put(ans);
    return err;
}

static enum ac_err r_derive(struct ac_store *s, const char *const *literals, size_t nliterals,
                            const char *const *pins, size_t npins, bool dates, struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;
    struct json_object *req = json_object_new_object(), *ans = NULL;
    enum ac_err err;

    (void)literals, (void)nliterals, (void)pins, (void)npins, (void)dates;
    json_object_object_add(req, "derive", json_object_new_boolean(1));
    err = post(r, req, &ans, d);
    if (err == AC_OK)
        r->endpoints = member_u64(ans, "endpoints");
    json_object_put(req);
    json_object_put(ans);
    return err;
}

static enum ac_err r_reconcile(struct ac_store *s, const char *now, struct ac_reconcile_stats *st,
                               struct ac_diag *d)
{
    struct remote *r = (struct remote *)s;
    struct json_object *req = json_object_new_object(), *ans = NULL;
    enum ac_err err;

    (void)now; /* the server records its own time */
    json_object_object_add(req, "reconcile", json_object_new_boolean(1));
    err = post(r, req, &ans, d);
    if (err == AC_OK && st != NULL) {
        st->open = (size_t)member_u64(ans, "open");
        st->accepted = (size_t)member_u64(ans, "accepted");
        st->opened = (size_t)member_u64(ans, "opened");
        st->resolved = (size_t)member_u64(ans, "resolved");
    }
    json_object_put(req);
    json_object_put(ans);
    return err;
}

static void r_close(struct ac_store *s)
{
    struct remote *r = (struct remote *)s;

    ac_store_close(r->local);
    if (r->curl != NULL)
        curl_easy_cleanup(r->curl);
    json_object_put(r->ctx);
    free(r->base_url);
    free(r->auth);
    free(r);
}

static const struct ac_store_ops remote_ops = {
    .name = "remote",
    .documented = r_documented,
    .domains = r_domains,
    .checkpoint = r_checkpoint,
    .commit_batch = r_commit_batch,
    .path_policy = r_path_policy,
    .shapes = r_shapes,
    .derive = r_derive,
    .reconcile = r_reconcile,
    .count_endpoints = r_count_endpoints,
    .close = r_close,
};

void ac_remote_stats(const struct ac_store *s, struct ac_remote_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (s != NULL && s->ops == &remote_ops)
        *out = ((const struct remote *)s)->stats;
}

/* --- opening ----------------------------------------------------------------------------- */

static void make_nonce(struct remote *r)
{
    unsigned char raw[32];
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t got = fd >= 0 ? read(fd, raw, sizeof(raw)) : -1;
    struct timespec t;

    if (fd >= 0)
        close(fd);
    clock_gettime(CLOCK_REALTIME, &t);
    if (got != (ssize_t)sizeof(raw)) { /* no urandom: the time and pid are unique enough */
        memset(raw, 0, sizeof(raw));
        memcpy(raw, &t, sizeof(t) < sizeof(raw) ? sizeof(t) : sizeof(raw));
        raw[31] = (unsigned char)getpid();
    }
    ac__sha256_buf(raw, sizeof(raw), r->nonce);
    r->seed = (unsigned)t.tv_nsec ^ (unsigned)getpid();
}

enum ac_err ac_remote_open(const struct ac_remote_opts *o, struct ac_store **out, struct ac_diag *d)
{
    struct remote *r = calloc(1, sizeof(*r));
    struct json_object *v = NULL;
    size_t ul;
    enum ac_err err = AC_OK;

    *out = NULL;
    if (r == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    r->base.ops = &remote_ops;
    r->retries = o->retries >= 0 ? (unsigned)o->retries : 8;
    r->timeout_s = o->timeout_s != 0 ? o->timeout_s : 300;
    r->on_retry = o->on_retry;
    r->ud = o->ud;
    make_nonce(r);
    if (o->url == NULL ||
        (strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0) ||
        strlen(o->url) > 1024)
        err = ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                          "--to wants the server's http:// or https:// URL, e.g. "
                          "http://apicensus.internal:8080");
    else if (o->token == NULL || o->token[0] == '\0' || strlen(o->token) > 256 ||
             strpbrk(o->token, "\r\n") != NULL)
        err = ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                          "--to needs --token (or APICENSUS_TOKEN): a collector token from "
                          "'apicensus token create --role collector'");
    if (err == AC_OK) {
        ul = strlen(o->url);
        while (ul > 0 && o->url[ul - 1] == '/')
            ul--;
        r->base_url = strndup(o->url, ul);
        r->auth = malloc(strlen(o->token) + 32);
        if (r->base_url == NULL || r->auth == NULL)
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        else
            sprintf(r->auth, "Authorization: Bearer %s", o->token);
    }
    if (err == AC_OK)
        err = ac__curl_load(d);
    if (err == AC_OK) {
        r->curl = curl_easy_init();
        if (r->curl == NULL)
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (err == AC_OK) {
        char ua[64];

        snprintf(ua, sizeof(ua), "apicensus/%s", APICENSUS_VERSION);
        curl_easy_setopt(r->curl, CURLOPT_USERAGENT, ua);
        curl_easy_setopt(r->curl, CURLOPT_TIMEOUT, (long)r->timeout_s);
        curl_easy_setopt(r->curl, CURLOPT_CONNECTTIMEOUT, 10L);
        curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(r->curl, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(r->curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(r->curl, CURLOPT_ACCEPT_ENCODING, "");
        err = ac__sqlite_open(o->state, &r->local, d);
    }
    if (err == AC_OK)
        err = request(r, "/api/v1/ingest/context", NULL, &r->ctx, d);
    if (err == AC_OK &&
        (!json_object_object_get_ex(r->ctx, "registry", &v) ||
         !json_object_is_type(v, json_type_string) || json_object_get_string_len(v) != 16))
        err = ac_diag_set(d, AC_EIO, NULL, 0, 0,
                          "%s: the context has no registry stamp (not an apicensus server?)",
                          r->base_url);
    if (err == AC_OK) {
        snprintf(r->registry, sizeof(r->registry), "%s", json_object_get_string(v));
        r->endpoints = member_u64(r->ctx, "endpoints");
        *out = &r->base;
    } else {
        r_close(&r->base);
    }
    return err;
}
