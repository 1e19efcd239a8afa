/* server.c - the daemon, each request's life, the store pool and the metrics (see server.h). */
#include "server.h"
#include "static.h"

#include <apicensus/registry.h>
#include <apicensus/store.h>
#include <apicensus/table.h>

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define URL_MAX 2048           /* longer request targets get 414 */
#define HEADERS_MAX (32 << 10) /* bytes of a connection's request head (libmicrohttpd: 431) */
#define MAX_ROUTES 64

/* Counters of one route (index MAX_ROUTES - 1: requests that matched none). */
struct route_stats {
    atomic_ullong by_class[6]; /* 1xx .. 5xx, other */
    atomic_ullong micros;      /* time spent answering, total */
    atomic_ullong count;
};

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct ac_store **all, **idle;
    size_t n, nidle;
};

struct ac_server {
    struct MHD_Daemon *daemon;
    const struct ac_server_opts *o;
    struct pool pool;
    struct route_stats stats[MAX_ROUTES];
    atomic_ullong body_bytes, in_flight, too_large;
    time_t started;
};

/* One connection's request: the body as it arrives. */
struct conn {
    char *buf;
    size_t len, cap;
    bool too_big;
    bool started;      /* on_request has seen it */
    size_t target_len; /* of the whole request target, query included */
    struct timespec t0;
};

_Static_assert(sizeof(((struct ac_req *)0)->params) / sizeof(char *) >= 4, "path parameters");

/* --- responses ------------------------------------------------------------------------- */

void ac_resp_json(struct ac_resp *r, unsigned status, char *json)
{
    free(r->body);
    r->status = status;
    r->body = json;
    r->len = json != NULL ? strlen(json) : 0;
    r->type = "application/json";
}

/* s as a JSON string (quotes included) into out. */
static void json_quote(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;

    out[k++] = '"';
    for (; *s != '\0' && k + 8 < cap; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\') {
            out[k++] = '\\';
            out[k++] = (char)c;
        } else if (c < 0x20) {
            k += (size_t)snprintf(out + k, cap - k, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
        } else {
            out[k++] = (char)c;
        }
    }
    out[k++] = '"';
    out[k] = '\0';
}

void ac_resp_error(struct ac_resp *r, unsigned status, const char *fmt, ...)
{
    char msg[1024], quoted[2200], *body;
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_quote(msg, quoted, sizeof(quoted));
    n = strlen(quoted) + 16;
    body = malloc(n);
    if (body != NULL)
        snprintf(body, n, "{\"error\": %s}\n", quoted);
    ac_resp_json(r, status, body);
}

const char *ac_req_query(const struct ac_req *r, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND,
                                       name);
}

const char *ac_req_now(const struct ac_req *r, char buf[32])
{
    time_t t;
    struct tm tm;

    if (r->opts->now != NULL)
        return r->opts->now;
    t = time(NULL);
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/* Queue a response; the body is handed to libmicrohttpd (it frees it). */
static enum MHD_Result send_resp(struct MHD_Connection *c, struct ac_resp *r)
{
    static char empty[1] = "";
    struct MHD_Response *resp;
    enum MHD_Result ok;

    resp = MHD_create_response_from_buffer(r->len, r->body != NULL ? r->body : empty,
                                           r->body != NULL ? MHD_RESPMEM_MUST_FREE
                                                           : MHD_RESPMEM_PERSISTENT);
    if (resp == NULL) {
        free(r->body);
        r->body = NULL;
        return MHD_NO;
    }
    r->body = NULL;
    MHD_add_response_header(resp, "Content-Type", r->type != NULL ? r->type : "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"apicensus\"");
    if (r->location != NULL)
        MHD_add_response_header(resp, "Location", r->location);
    ok = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* --- the store pool -------------------------------------------------------------------- */

static struct ac_store *pool_get(struct pool *p)
{
    struct ac_store *s;

    pthread_mutex_lock(&p->mu);
    while (p->nidle == 0)
        pthread_cond_wait(&p->cv, &p->mu);
    s = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->mu);
    return s;
}

static void pool_put(struct pool *p, struct ac_store *s)
{
    pthread_mutex_lock(&p->mu);
    p->idle[p->nidle++] = s;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static bool pool_open(struct pool *p, const char *db, size_t n, char *err, size_t errlen)
{
    struct ac_diag d;
    size_t i;

    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->all = calloc(n, sizeof(*p->all));
    p->idle = calloc(n, sizeof(*p->idle));
    if (p->all == NULL || p->idle == NULL) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (i = 0; i < n; i++) {
        ac_diag_clear(&d);
        if (ac_store_open(db, i == 0 ? AC_STORE_CREATE : 0, &p->all[i], &d) != AC_OK) {
            snprintf(err, errlen, "%s: %s", db, d.msg);
            return false;
        }
        p->idle[p->nidle++] = p->all[i];
        p->n++;
    }
    return true;
}

static void pool_close(struct pool *p)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        ac_store_close(p->all[i]);
    free(p->all);
    free(p->idle);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

/* --- routing --------------------------------------------------------------------------- */

/* Does path match pattern ({} captures one non-empty segment)? */
static bool match(const char *pattern, const char *path, char *scratch, size_t cap,
                  const char **params, size_t *nparams)
{
    size_t k = 0;

    *nparams = 0;
    while (*pattern != '\0' && *path != '\0') {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t n = strcspn(path, "/");

            if (n == 0 || k + n + 1 > cap || *nparams == 8)
                return false;
            memcpy(scratch + k, path, n);
            scratch[k + n] = '\0';
            params[(*nparams)++] = scratch + k;
            k += n + 1;
            path += n;
            pattern += 2;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

static void record(struct ac_server *s, size_t route, unsigned status, const struct timespec *t0)
{
    struct timespec t1;
    unsigned cls = status >= 100 && status < 600 ? status / 100 - 1 : 5;
    long long us;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    us = (t1.tv_sec - t0->tv_sec) * 1000000LL + (t1.tv_nsec - t0->tv_nsec) / 1000;
    atomic_fetch_add(&s->stats[route].by_class[cls], 1);
    atomic_fetch_add(&s->stats[route].micros, (unsigned long long)(us > 0 ? us : 0));
    atomic_fetch_add(&s->stats[route].count, 1);
}

/* The bearer token of the request, or NULL. */
static const char *bearer(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return h;
}

/* Find the route, check the token, run the handler. */
/* policy.public_docs: true in every manifest that sets it (and at least one sets it): routes
 * marked public_docs answer without a token. An error reading the store counts as "no". */
static bool docs_public(struct ac_store *store)
{
    struct ac_list_filter f;
    struct ac_table *t = NULL;
    struct ac_diag d;
    size_t r, nk, nv, n = 0;
    bool all = true;

    memset(&f, 0, sizeof(f));
    ac_diag_clear(&d);
    if (ac_list(store, AC_LIST_POLICY, &f, &t, &d) != AC_OK)
        return false;
    nk = ac_table_col_index(t, "key");
    nv = ac_table_col_index(t, "value");
    for (r = 0; r < ac_table_rows(t); r++) {
        const char *k = ac_table_cell(t, r, nk), *v = ac_table_cell(t, r, nv);

        if (k == NULL || strcmp(k, "public_docs") != 0)
            continue;
        n++;
        all = all && v != NULL && strcmp(v, "true") == 0;
    }
    ac_table_free(t);
    return n > 0 && all;
}

static void dispatch(struct ac_server *s, struct MHD_Connection *c, const char *url,
                     const char *method, struct conn *k, struct ac_resp *resp, size_t *route)
{
    struct ac_req req;
    char scratch[URL_MAX + 16], name[AC_TOKEN_NAME_MAX] = "";
    bool path_known = false;
    size_t i;

    memset(&req, 0, sizeof(req));
    *route = MAX_ROUTES - 1;
    for (i = 0; i < ac_nroutes; i++) {
        if (!match(ac_routes[i].pattern, url, scratch, sizeof(scratch), req.params, &req.nparams))
            continue;
        path_known = true;
        if (strcmp(ac_routes[i].method, method) == 0)
            break;
    }
    if (i == ac_nroutes) {
        if (path_known)
            ac_resp_error(resp, 405, "method %s not allowed on %s", method, url);
        else
            ac_resp_error(resp, 404, "no route %s (see /api/v1/openapi.json)", url);
        return;
    }
    *route = i;
    req.method = method;
    req.path = url;
    req.body = k->buf != NULL ? k->buf : "";
    req.body_len = k->len;
    req.conn = c;
    req.opts = s->o;
    req.server = s;
    req.store = pool_get(&s->pool);
    req.role = AC_ROLE_NONE;
    req.actor = "anonymous";
    if (ac_routes[i].role != AC_ROLE_NONE &&
        !(ac_routes[i].public_docs && docs_public(req.store))) {
        const char *tok = bearer(c);
        struct ac_diag d;

        ac_diag_clear(&d);
        if (tok == NULL) {
            ac_resp_error(resp, 401, "this route needs a token: Authorization: Bearer TOKEN");
            goto out;
        }
        if (ac_token_check(req.store, tok, &req.role, name, &d) != AC_OK) {
            ac_resp_error(resp, d.code == AC_ENOTFOUND ? 401 : 500, "%s",
                          d.code == AC_ENOTFOUND ? "unknown or revoked token" : d.msg);
            goto out;
        }
        req.actor = name;
        if (!ac_role_allows(req.role, ac_routes[i].role)) {
            const char *have = ac_role_name(req.role);

            ac_resp_error(resp, 403, "a%s %s token cannot %s %s (it needs %s)",
                          strchr("aeiou", have[0]) != NULL ? "n" : "", have, method, url,
                          ac_role_name(ac_routes[i].role));
            goto out;
        }
    }
    ac_routes[i].handle(&req, resp);
out:
    pool_put(&s->pool, req.store);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct ac_server *s = cls;
    struct conn *k = *con_cls;
    struct ac_resp resp = {500, NULL, 0, NULL, NULL};
    size_t route = MAX_ROUTES - 1;
    enum MHD_Result ok;

    (void)version;
    if (k == NULL)
        return MHD_NO; /* on_uri made it; out of memory then */
    if (!k->started) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");

        k->started = true;
        k->too_big = cl != NULL && strtoull(cl, NULL, 10) > s->o->max_body;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!k->too_big && k->len + *upload_size > s->o->max_body) {
            k->too_big = true;
        } else if (!k->too_big) {
            if (k->len + *upload_size + 1 > k->cap) {
                size_t n = k->cap != 0 ? k->cap : 4096;
                char *nb;

                while (n < k->len + *upload_size + 1)
                    n *= 2;
                nb = realloc(k->buf, n);
                if (nb == NULL)
                    return MHD_NO;
                k->buf = nb;
                k->cap = n;
            }
            memcpy(k->buf + k->len, upload, *upload_size);
            k->len += *upload_size;
            k->buf[k->len] = '\0';
        }
        atomic_fetch_add(&s->body_bytes, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (k->target_len > URL_MAX) {
        ac_resp_error(&resp, 414, "request target longer than %d bytes", URL_MAX);
    } else if (k->too_big) {
        atomic_fetch_add(&s->too_large, 1);
        ac_resp_error(&resp, 413, "request body larger than --max-body (%zu bytes)",
                      s->o->max_body);
    } else if (ac_static_handles(method, url)) {
        return ac_static_send(c, method, url, s->o->quiet); /* the web UI's files */
    } else {
        dispatch(s, c, url, method, k, &resp, &route);
    }
    if (!s->o->quiet)
        fprintf(stderr, "%s %s %u\n", method, url, resp.status);
    record(s, route, resp.status, &k->t0);
    ok = send_resp(c, &resp);
    return ok;
}

/* The first sight of a request: its whole target (the query too), and its state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct ac_server *s = cls;
    struct conn *k = calloc(1, sizeof(*k));

    (void)c;
    if (k == NULL)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &k->t0);
    k->target_len = strlen(uri);
    atomic_fetch_add(&s->in_flight, 1);
    return k;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    struct ac_server *s = cls;
    struct conn *k = *con_cls;

    (void)c;
    (void)why;
    if (k == NULL)
        return;
    atomic_fetch_sub(&s->in_flight, 1);
    free(k->buf);
    free(k);
    *con_cls = NULL;
}

/* --- metrics --------------------------------------------------------------------------- */

char *ac_server_metrics(struct ac_server *s, struct ac_store *store)
{
    static const char *const classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    char *buf = NULL;
    size_t len = 0, i, k;
    FILE *f = open_memstream(&buf, &len);
    struct ac_server *m = s;

    (void)store;
    if (f == NULL)
        return NULL;
    fputs("# HELP apicensus_http_requests_total Requests answered, by route and status class.\n"
          "# TYPE apicensus_http_requests_total counter\n",
          f);
    for (i = 0; i <= ac_nroutes; i++) {
        size_t r = i < ac_nroutes ? i : MAX_ROUTES - 1;
        const char *name = i < ac_nroutes ? ac_routes[i].name : "unmatched";

        for (k = 0; k < 6; k++) {
            unsigned long long n = atomic_load(&m->stats[r].by_class[k]);

            if (n > 0)
                fprintf(f, "apicensus_http_requests_total{route=\"%s\",code=\"%s\"} %llu\n", name,
                        classes[k], n);
        }
    }
    ac_static_metrics(f);
    fputs("# HELP apicensus_http_request_seconds Time spent answering, by route.\n"
          "# TYPE apicensus_http_request_seconds summary\n",
          f);
    for (i = 0; i < ac_nroutes; i++) {
        unsigned long long n = atomic_load(&m->stats[i].count);

        if (n > 0)
            fprintf(f,
                    "apicensus_http_request_seconds_sum{route=\"%s\"} %.6f\n"
                    "apicensus_http_request_seconds_count{route=\"%s\"} %llu\n",
                    ac_routes[i].name, (double)atomic_load(&m->stats[i].micros) / 1e6,
                    ac_routes[i].name, n);
    }
    fprintf(f,
            "# HELP apicensus_http_request_body_bytes_total Request body bytes received.\n"
            "# TYPE apicensus_http_request_body_bytes_total counter\n"
            "apicensus_http_request_body_bytes_total %llu\n"
            "# HELP apicensus_http_requests_too_large_total Requests refused with 413.\n"
            "# TYPE apicensus_http_requests_too_large_total counter\n"
            "apicensus_http_requests_too_large_total %llu\n"
            "# HELP apicensus_http_requests_in_flight Requests being read or answered.\n"
            "# TYPE apicensus_http_requests_in_flight gauge\n"
            "apicensus_http_requests_in_flight %llu\n"
            "# HELP apicensus_start_time_seconds When the server started (Unix time).\n"
            "# TYPE apicensus_start_time_seconds gauge\n"
            "apicensus_start_time_seconds %lld\n",
            atomic_load(&m->body_bytes), atomic_load(&m->too_large), atomic_load(&m->in_flight),
            (long long)m->started);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* --- the daemon ------------------------------------------------------------------------ */

/* "host:port", "[v6]:port" or ":port" into an address. */
static bool parse_listen(const char *spec, struct sockaddr_storage *ss, bool *v6)
{
    char host[128];
    const char *colon = strrchr(spec, ':');
    char *end = NULL;
    long port;
    size_t n;

    memset(ss, 0, sizeof(*ss));
    if (colon == NULL)
        return false;
    port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end != '\0' || port < 0 || port > 65535)
        return false;
    n = (size_t)(colon - spec);
    if (n >= sizeof(host))
        return false;
    memcpy(host, spec, n);
    host[n] = '\0';
    *v6 = n > 1 && host[0] == '[' && host[n - 1] == ']';
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

        host[n - 1] = '\0';
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;

        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (n == 0) {
            a->sin_addr.s_addr = htonl(INADDR_ANY);
            return true;
        }
        return inet_pton(AF_INET, host, &a->sin_addr) == 1;
    }
}

int ac_server_run(const struct ac_server_opts *o, volatile sig_atomic_t *stop, char *err,
                  size_t errlen)
{
    struct ac_server *s = calloc(1, sizeof(*s));
    struct sockaddr_storage ss;
    const union MHD_DaemonInfo *info;
    struct ac_hooks *hooks;
    unsigned threads = o->threads;
    bool v6 = false;
    int rc = 0;

    if (s == NULL || ac_nroutes >= MAX_ROUTES) {
        snprintf(err, errlen, "out of memory");
        free(s);
        return 4;
    }
    /* Each request allocates and frees its tables and JSON: without this, glibc hands freed
     * memory back to the kernel (madvise) after most requests, and the TLB shootdowns that
     * follow cost more than the request itself (perf: 80% of a loaded server's time). */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        threads = n > 0 && n < 64 ? (unsigned)n : 2;
    }
    s->o = o;
    s->started = time(NULL);
    if (!parse_listen(o->listen, &ss, &v6)) {
        snprintf(err, errlen, "--listen '%s': expected HOST:PORT, [IPv6]:PORT or :PORT", o->listen);
        free(s);
        return 2;
    }
    if (!pool_open(&s->pool, o->db, threads, err, errlen)) {
        pool_close(&s->pool);
        free(s);
        return 4;
    }
    s->daemon =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                             (v6 ? MHD_USE_IPv6 : 0),
                         0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                         MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
                         o->max_conns != 0 ? o->max_conns : 1024u, MHD_OPTION_CONNECTION_TIMEOUT,
                         o->timeout_s != 0 ? o->timeout_s : 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                         (size_t)HEADERS_MAX, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                         MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_END);
    if (s->daemon == NULL) {
        snprintf(err, errlen, "cannot listen on %s: %s", o->listen,
                 errno != 0 ? strerror(errno) : "address in use or not allowed");
        pool_close(&s->pool);
        free(s);
        return 4;
    }
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    {
        /* One line with the real port (":0" picks a free one), which scripts and tests read;
         * printed even with --quiet when the port was chosen by the system. */
        const char *colon = strrchr(o->listen, ':');
        int n = colon != NULL ? (int)(colon - o->listen) : 0;
        unsigned port = info != NULL ? (unsigned)info->port : 0u;

        if (!o->quiet || strcmp(colon != NULL ? colon : "", ":0") == 0)
            printf("apicensus serve: listening on http://%.*s:%u (%u threads, store %s)\n",
                   n > 0 ? n : 7, n > 0 ? o->listen : "0.0.0.0", port, threads, o->db);
        fflush(stdout);
    }
    hooks = ac_webhooks_start(o, stop);
    while (!*stop) {
        struct timespec t = {0, 100 * 1000 * 1000};

        nanosleep(&t, NULL);
    }
    MHD_stop_daemon(s->daemon);
    ac_webhooks_stop(hooks);
    pool_close(&s->pool);
    free(s);
    return rc;
}
