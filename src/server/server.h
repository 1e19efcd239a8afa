/* server.h - `apicensus serve`: the REST API over the store, on libmicrohttpd.
 *
 * server.c owns the daemon (a thread pool on epoll), each request's life (the body read up to
 * --max-body, URL and header caps, the bearer token checked against the route's role, the JSON
 * error bodies, the metrics) and a pool of store handles, one per thread, so requests never
 * share a handle. routes.c holds the route table and the handlers; they receive a struct
 * ac_req and fill a struct ac_resp, and never see libmicrohttpd.
 *
 * Every response body is JSON (metrics: Prometheus text). Errors are {"error": "..."} with the
 * status: 400 bad input, 401 no or unknown token, 403 role too small, 404, 405, 409, 413 body
 * over the cap, 414 URL too long, 500 store failures (never for input).
 */
#ifndef AC_SERVER_H
#define AC_SERVER_H

#include <apicensus/access.h>

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ac_store;
struct ac_server;

struct ac_server_opts {
    const char *db;     /* the store; created when missing */
    const char *listen; /* "127.0.0.1:8080", "[::1]:8080", ":8080" (all addresses) */
    size_t max_body;    /* bytes; larger bodies get 413 */
    unsigned threads;   /* request threads; 0: one per CPU */
    unsigned max_conns; /* open connections at most */
    unsigned timeout_s; /* idle connection timeout */
    const char *now;    /* fixed time for changes (tests); NULL: the clock */
    bool quiet;         /* no startup line, no access log */
};

/* One request as a handler sees it. Strings are valid during the handler. */
struct ac_req {
    const char *method;
    const char *path;      /* without the query */
    const char *params[8]; /* path parameters, as the route pattern captured them */
    size_t nparams;
    const char *body; /* NUL-terminated; "" when none */
    size_t body_len;
    void *conn;             /* for ac_req_query() */
    struct ac_store *store; /* this thread's handle */
    const char *actor;      /* the token's name */
    enum ac_role role;
    const struct ac_server_opts *opts;
    struct ac_server *server;
};

/* A handler's answer: the status and a malloc'd body (NULL: none), with its content type. */
struct ac_resp {
    unsigned status;
    char *body;
    size_t len;
    const char *type;     /* "application/json" unless set */
    const char *location; /* Location header, or NULL */
};

/* A query parameter of the request, or NULL. */
const char *ac_req_query(const struct ac_req *r, const char *name);

/* The time to record for a change: opts->now, else the clock (UTC ISO 8601) into buf. */
const char *ac_req_now(const struct ac_req *r, char buf[32]);

/* Set r to a JSON error {"error": msg} with the status. */
void ac_resp_error(struct ac_resp *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set r to a body (taken over: freed by the server) of JSON. */
void ac_resp_json(struct ac_resp *r, unsigned status, char *json);

/* The route table (routes.c): method, pattern ("/api/v1/findings/{}/accept": each {} captures a
 * segment), the role it needs (AC_ROLE_NONE: no token) and the handler. */
struct ac_route {
    const char *method;
    const char *pattern;
    enum ac_role role;
    const char *name; /* for metrics: "findings", "finding.accept" ... */
    void (*handle)(const struct ac_req *req, struct ac_resp *resp);
    bool public_docs; /* no token needed when the manifest says policy.public_docs: true */
};
extern const struct ac_route ac_routes[];
extern const size_t ac_nroutes;

/* Metrics of the server, as Prometheus text (malloc'd) with the store's gauges. */
char *ac_server_metrics(struct ac_server *s, struct ac_store *store);

/* The webhook delivery thread (webhooks.c): started with the server, stopped (joined) after *stop
 * became non-zero. NULL on failure to start. */
struct ac_hooks;
struct ac_hooks *ac_webhooks_start(const struct ac_server_opts *o, volatile sig_atomic_t *stop);
void ac_webhooks_stop(struct ac_hooks *k);

/* Run until *stop becomes non-zero (SIGINT, SIGTERM). Returns an exit status (0 when stopped
 * cleanly), with a message in err when it could not start. */
int ac_server_run(const struct ac_server_opts *o, volatile sig_atomic_t *stop, char *err,
                  size_t errlen);

#endif
