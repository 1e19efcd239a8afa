/* probe_fixture.c - hosts for the probe's tests, on 127.0.0.1 (libmicrohttpd).
 *
 * Usage: probe_fixture LOG NAME=PROFILE... Prints "PORT" on standard output, then answers
 * every request by its Host header (without port) with the profile named for it:
 *   prod      the accounts API v2 with rate limiting (RateLimit headers; 429 past 10 requests
 *             a second to one route), v1 still answering beside it with a /accounts/v1/admin
 *             route, an admin route /accounts/v2/admin that answers 403 unless X-Forwarded-For
 *             (or X-Real-IP) says 127.0.0.1, an internal route /accounts/v2/internal/stats that
 *             answers 404 (as any unknown path) unless X-Real-IP says 127.0.0.1, /login
 *             redirecting off scope, Server: nginx/1.18.0;
 *   beta      the same API v2 without any rate limit, /openapi.json answering to anyone;
 *   catchall  200 and the same page for every path (a soft-404 site);
 *   plain     200 on / only (a candidate host).
 * A host with no profile gets 421. Each request is appended to LOG as one line
 * "SECOND HOST CHECK METHOD PATH STATUS" (CHECK from X-Apicensus-Check, "-" without); at exit
 * (SIGTERM, SIGINT) the line "max HOST N" per host gives the most requests that host received
 * in one second outside the burst check, the fixture's own count for the rate test.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_HOSTS 16
#define MAX_SECONDS 4096

static volatile sig_atomic_t stop;
static FILE *logf_;

struct host {
    char name[128];
    char profile[16];
    /* requests per second, outside the burst */
    long sec[MAX_SECONDS];
    long first;
};

/* The rate limiter of prod: 10 requests a second per route (a slot per route hash). */
static struct {
    unsigned long hash;
    long sec, n;
} limits[1024];

static struct host hosts[MAX_HOSTS];
static size_t nhosts;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static const char openapi[] =
    "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"accounts (beta)\", \"version\": \"2.0\"},"
    " \"paths\": {\"/accounts/v2/users\": {\"get\": {\"responses\": {\"200\": {\"description\":"
    " \"ok\"}}}}, \"/accounts/v2/debug\": {\"get\": {\"responses\": {\"200\": {\"description\":"
    " \"ok\"}}}}}}";

static struct host *host_of(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    size_t n, i;

    if (h == NULL)
        return NULL;
    n = strcspn(h, ":");
    for (i = 0; i < nhosts; i++)
        if (strlen(hosts[i].name) == n && strncmp(hosts[i].name, h, n) == 0)
            return &hosts[i];
    return NULL;
}

static bool from_localhost(struct MHD_Connection *c)
{
    const char *x = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    const char *r = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");

    return (x != NULL && strncmp(x, "127.0.0.1", 9) == 0) ||
           (r != NULL && strncmp(r, "127.0.0.1", 9) == 0);
}

/* Only X-Real-IP: the internal statistics route trusts the proxy's header, 404 without it. */
static bool real_ip_local(struct MHD_Connection *c)
{
    const char *r = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");

    return r != NULL && strncmp(r, "127.0.0.1", 9) == 0;
}

struct answer {
    unsigned status;
    const char *body;
    const char *ctype;
    const char *location;
    bool ratelimit;
};

static void route_api(struct host *h, struct MHD_Connection *c, const char *url, bool limited,
                      struct answer *a)
{
    (void)h;
    if (limited && strncmp(url, "/accounts/", 10) == 0) {
        long now = (long)time(NULL);
        unsigned long hash = 5381;
        const char *k;

        for (k = url; *k != '\0'; k++)
            hash = hash * 33 + (unsigned char)*k;
        if (limits[hash % 1024].hash != hash || limits[hash % 1024].sec != now) {
            limits[hash % 1024].hash = hash;
            limits[hash % 1024].sec = now;
            limits[hash % 1024].n = 0;
        }
        a->ratelimit = true;
        if (++limits[hash % 1024].n > 10) {
            a->status = 429;
            a->body = "{\"error\": \"too many requests\"}";
            return;
        }
    }
    if (strcmp(url, "/accounts/v2/users") == 0)
        a->status = 200, a->body = "{\"users\": [{\"id\": 1, \"name\": \"ada\"}]}";
    else if (strcmp(url, "/accounts/v1/users") == 0)
        a->status = 200, a->body = "{\"users\": [{\"id\": 1, \"name\": \"ada\", \"v\": 1}]}";
    else if (strcmp(url, "/accounts/v1/admin") == 0 && limited)
        a->status = 200, a->body = "{\"admin\": true, \"version\": 1}";
    else if (strcmp(url, "/accounts/v2/admin") == 0)
        a->status = from_localhost(c) && limited ? 200 : 403,
        a->body =
            a->status == 200 ? "{\"admin\": true, \"users\": 1}" : "{\"error\": \"forbidden\"}";
    else if (strcmp(url, "/accounts/v2/internal/stats") == 0 && limited && real_ip_local(c))
        a->status = 200, a->body = "{\"internal\": true, \"requests\": 42}";
    else if (strcmp(url, "/login") == 0 && limited)
        a->status = 302, a->body = "", a->location = "http://sso.offscope.test/login";
    else if (strcmp(url, "/openapi.json") == 0 && !limited)
        a->status = 200, a->body = openapi;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct host *h = host_of(c);
    const char *check = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Apicensus-Check");
    const char *hn = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    struct answer a = {404, "{\"error\": \"not found\"}", "application/json", NULL, false};
    struct MHD_Response *r;
    enum MHD_Result ok;
    long now = (long)time(NULL);

    (void)cls, (void)version, (void)upload, (void)upload_size;
    if (*con_cls == NULL) { /* headers only: wait for the end of the request */
        *con_cls = (void *)1;
        return MHD_YES;
    }
    if (h == NULL) {
        a.status = 421;
    } else if (strcmp(h->profile, "catchall") == 0) {
        a.status = 200, a.body = "<html><body>Welcome to acme</body></html>", a.ctype = "text/html";
    } else if (strcmp(h->profile, "plain") == 0) {
        if (strcmp(url, "/") == 0)
            a.status = 200, a.body = "{\"service\": \"accounts\"}";
        else if (strcmp(url, "/admin") == 0) /* a front that ignores X-Original-URL: "/" is "/" */
            a.status = 401, a.body = "{\"error\": \"sign in\"}";
    } else {
        route_api(h, c, url, strcmp(h->profile, "prod") == 0, &a);
    }
    if (h != NULL && (check == NULL || strcmp(check, "burst") != 0)) {
        if (h->first == 0)
            h->first = now;
        if (now - h->first >= 0 && now - h->first < MAX_SECONDS)
            h->sec[now - h->first]++;
    }
    fprintf(logf_, "%ld %.100s %.20s %.10s %.200s %u\n", now, hn != NULL ? hn : "-",
            check != NULL ? check : "-", method, url, a.status);
    fflush(logf_);
    r = MHD_create_response_from_buffer(strlen(a.body), (void *)(uintptr_t)a.body,
                                        MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", a.ctype);
    if (h != NULL && strcmp(h->profile, "prod") == 0)
        MHD_add_response_header(r, "Server", "nginx/1.18.0");
    else if (h != NULL && strcmp(h->profile, "beta") == 0)
        MHD_add_response_header(r, "Server", "nginx/1.25.3");
    if (a.location != NULL)
        MHD_add_response_header(r, "Location", a.location);
    if (a.ratelimit) {
        MHD_add_response_header(r, "RateLimit-Limit", "10");
        MHD_add_response_header(r, "RateLimit-Remaining", a.status == 429 ? "0" : "5");
    }
    ok = MHD_queue_response(c, a.status, r);
    MHD_destroy_response(r);
    return ok;
}

int main(int argc, char **argv)
{
    struct MHD_Daemon *daemon;
    const union MHD_DaemonInfo *info;
    struct sockaddr_in addr;
    int i;
    size_t k, s;

    if (argc < 3) {
        fprintf(stderr, "usage: probe_fixture LOG NAME=PROFILE...\n");
        return 2;
    }
    logf_ = fopen(argv[1], "w");
    if (logf_ == NULL)
        return 1;
    for (i = 2; i < argc && nhosts < MAX_HOSTS; i++) {
        const char *eq = strchr(argv[i], '=');

        if (eq == NULL)
            return 2;
        snprintf(hosts[nhosts].name, sizeof(hosts[0].name), "%.*s", (int)(eq - argv[i]), argv[i]);
        snprintf(hosts[nhosts].profile, sizeof(hosts[0].profile), "%s", eq + 1);
        nhosts++;
    }
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    /* one thread: the rate limiter and the counts need no locks */
    daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, NULL,
                              MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_CONNECTION_LIMIT, 64u,
                              MHD_OPTION_END);
    if (daemon == NULL)
        return 1;
    info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    printf("%u\n", info != NULL ? (unsigned)info->port : 0u);
    fflush(stdout);
    while (!stop)
        pause();
    MHD_stop_daemon(daemon);
    for (k = 0; k < nhosts; k++) {
        long max = 0;

        for (s = 0; s < MAX_SECONDS; s++)
            if (hosts[k].sec[s] > max)
                max = hosts[k].sec[s];
        fprintf(logf_, "max %s %ld\n", hosts[k].name, max);
    }
    fclose(logf_);
    return 0;
}
