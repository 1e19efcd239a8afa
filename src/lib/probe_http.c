/* probe_http.c - the probe's HTTP runner: libcurl's multi interface with a token bucket per host.
 *
 * Invariants, the probe's safety: a request is sent only to a host of the allow-list (the
 * hosts the runner was made with, compared with the URL's own host before each request);
 * redirects are never followed (CURLOPT_FOLLOWLOCATION 0, the Location is kept); only http and
 * https; at most `concurrency` requests in flight; no more than `max_requests` sent per run;
 * and per host, requests start at least 1/rate seconds apart (a bucket of one token), so no
 * host ever sees more than `rate` requests in any second. The one exception is the burst check,
 * whose requests are bounded by their number and start at once; the host's bucket then starts
 * again after the burst.
 */
#include "probe_run.h"

#include "curl_lazy.h"
#include "request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

struct ac__probe_runner {
    CURLM *multi;
    struct ac__probe_host *hosts;
    size_t nhosts;
    struct curl_slist *resolve;
    double interval; /* seconds between two requests to one host */
    unsigned concurrency;
    uint64_t max_requests;
    long timeout_ms;
    char ua[160];
};

/* A request in flight. */
struct flight {
    struct ac__probe_req *q;
    CURL *e;
    struct curl_slist *hdrs;
    XXH3_state_t *hash;
};

static double mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum ac_err ac__probe_runner_new(struct ac__probe_host *hosts, size_t nhosts,
                                 const struct ac_probe_opts *o, char **resolve, size_t nresolve,
                                 struct ac__probe_runner **out, struct ac_diag *d)
{
    struct ac__probe_runner *r = calloc(1, sizeof(*r));
    size_t i;

    *out = NULL;
    if (r == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    if (ac__curl_load(d) != AC_OK) {
        free(r);
        return AC_EIO;
    }
    if ((r->multi = curl_multi_init()) == NULL) {
        free(r);
        return ac_diag_set(d, AC_EIO, NULL, 0, 0, "libcurl could not start");
    }
    r->hosts = hosts;
    r->nhosts = nhosts;
    /* 5% above 1/rate: a request whose connection took longer to open must not land within
     * 1/rate of the next one at the server */
    r->interval = 1.05 / (o->rate > 0 ? o->rate : 5.0);
    r->concurrency = o->concurrency > 0 ? o->concurrency : 8;
    r->max_requests = o->max_requests > 0 ? o->max_requests : 10000;
    r->timeout_ms = o->timeout_ms > 0 ? (long)o->timeout_ms : 10000;
    snprintf(r->ua, sizeof(r->ua), "%s",
             o->user_agent != NULL ? o->user_agent
                                   : "apicensus-probe/" APICENSUS_VERSION
                                     " (API inventory; OWASP API9)");
    for (i = 0; i < nresolve; i++) {
        struct curl_slist *l = curl_slist_append(r->resolve, resolve[i]);

        if (l == NULL) {
            ac__probe_runner_free(r);
            return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        }
        r->resolve = l;
    }
    curl_multi_setopt(r->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)r->concurrency);
    *out = r;
    return AC_OK;
}

void ac__probe_runner_free(struct ac__probe_runner *r)
{
    if (r == NULL)
        return;
    curl_slist_free_all(r->resolve);
    curl_multi_cleanup(r->multi);
    free(r);
}

void ac__probe_req_clear(struct ac__probe_req *q)
{
    free(q->url);
    free(q->extra);
    free(q->path);
    free(q->location);
    free(q->server);
    free(q->powered);
    free(q->ctype);
    free(q->acao);
    free(q->acac);
    free(q->acam);
    free(q->body);
    memset(q, 0, sizeof(*q));
}

/* --- callbacks ----------------------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct flight *f = ud;
    struct ac__probe_req *q = f->q;
    size_t n = size * nmemb, keep;

    q->bytes += n;
    XXH3_64bits_update(f->hash, p, n);
    keep = q->body_len < AC_PROBE_BODY_MAX ? AC_PROBE_BODY_MAX - q->body_len : 0;
    if (keep > n)
        keep = n;
    if (keep > 0) {
        char *b = realloc(q->body, q->body_len + keep + 1);

        if (b == NULL)
            return 0; /* aborts the transfer: an answer without its body is not trusted */
        memcpy(b + q->body_len, p, keep);
        q->body_len += keep;
        b[q->body_len] = '\0';
        q->body = b;
    }
    return n;
}

static bool hdr_is(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name), i;

    if (n <= k || p[k] != ':')
        return false;
    for (i = 0; i < k; i++)
        if (tolower((unsigned char)p[i]) != name[i])
            return false;
    return true;
}

static bool hdr_prefix(const char *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix), i;

    if (n <= k)
        return false;
    for (i = 0; i < k; i++)
        if (tolower((unsigned char)p[i]) != prefix[i])
            return false;
    return true;
}

/* The value of a header line (trimmed, at most 255 bytes, control bytes dropped). */
static void hdr_keep(char **dst, const char *p, size_t n)
{
    const char *v = memchr(p, ':', n);
    size_t len, i, k = 0;
    char *s;

    if (v == NULL || *dst != NULL)
        return;
    v++;
    len = n - (size_t)(v - p);
    while (len > 0 && (*v == ' ' || *v == '\t'))
        v++, len--;
    while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
        len--;
    if (len > 255)
        len = 255;
    s = malloc(len + 1);
    if (s == NULL)
        return;
    for (i = 0; i < len; i++)
        if ((unsigned char)v[i] >= 0x20 && v[i] != 0x7f)
            s[k++] = v[i];
    s[k] = '\0';
    *dst = s;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct flight *f = ud;
    struct ac__probe_req *q = f->q;
    size_t n = size * nmemb;

    q->hdr_bits |= AC_HDR_KNOWN;
    if (hdr_is(p, n, "deprecation"))
        q->hdr_bits |= AC_HDR_DEPRECATION;
    else if (hdr_is(p, n, "sunset"))
        q->hdr_bits |= AC_HDR_SUNSET;
    else if (hdr_prefix(p, n, "ratelimit") || hdr_prefix(p, n, "x-ratelimit-") ||
             hdr_prefix(p, n, "x-rate-limit-") || hdr_is(p, n, "retry-after"))
        q->hdr_bits |= AC_HDR_RATELIMIT;
    else if (hdr_prefix(p, n, "access-control-allow-")) {
        q->hdr_bits |= AC_HDR_CORS;
        if (hdr_is(p, n, "access-control-allow-origin"))
            hdr_keep(&q->acao, p, n);
        else if (hdr_is(p, n, "access-control-allow-credentials"))
            hdr_keep(&q->acac, p, n);
        else if (hdr_is(p, n, "access-control-allow-methods"))
            hdr_keep(&q->acam, p, n);
    } else if (hdr_is(p, n, "location")) {
        q->hdr_bits |= AC_HDR_LOCATION;
        hdr_keep(&q->location, p, n);
    } else if (hdr_is(p, n, "server"))
        hdr_keep(&q->server, p, n);
    else if (hdr_is(p, n, "x-powered-by") || hdr_is(p, n, "x-aspnet-version") ||
             hdr_is(p, n, "x-generator"))
        hdr_keep(&q->powered, p, n);
    else if (hdr_is(p, n, "content-type"))
        hdr_keep(&q->ctype, p, n);
    return n;
}

/* --- scheduling ---------------------------------------------------------------------------- */

/* The URL's host (lower case) is the request's host of the allow-list. */
static bool in_scope(const struct ac__probe_runner *r, const struct ac__probe_req *q)
{
    struct ac__probe_url u;
    const char *rest;

    if (q->host >= r->nhosts || (rest = strstr(q->url, "://")) == NULL)
        return false;
    /* the base URL parser sees the scheme, host and port; the path is checked by libcurl */
    {
        size_t end = strcspn(rest + 3, "/?#");
        size_t len = (size_t)(rest + 3 - q->url) + end;

        if (!ac__probe_parse_url(q->url, len, &u))
            return false;
    }
    return strcmp(u.host, r->hosts[q->host].name) == 0;
}

static enum ac_err start(struct ac__probe_runner *r, struct ac__probe_req *q, struct flight *f)
{
    CURL *e = curl_easy_init();

    memset(f, 0, sizeof(*f));
    f->q = q;
    f->hash = XXH3_createState();
    if (e == NULL || f->hash == NULL) {
        curl_easy_cleanup(e);
        XXH3_freeState(f->hash);
        return AC_ENOMEM;
    }
    XXH3_64bits_reset(f->hash);
    f->e = e;
    if (q->extra != NULL)
        f->hdrs = curl_slist_append(NULL, q->extra);
    if (strcmp(q->method, "OPTIONS") == 0) {
        struct curl_slist *h = curl_slist_append(f->hdrs, "Access-Control-Request-Method: POST");

        if (h != NULL)
            f->hdrs = h;
    }
    {
        /* who is asking, and why: operators can recognise and filter the probe */
        char tag[64];
        struct curl_slist *h;

        snprintf(tag, sizeof(tag), "X-Apicensus-Check: %s", q->check);
        h = curl_slist_append(f->hdrs, tag);
        if (h != NULL)
            f->hdrs = h;
    }
    curl_easy_setopt(e, CURLOPT_URL, q->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, r->timeout_ms < 5000 ? r->timeout_ms : 5000L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, r->ua);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, q->method);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->hdrs);
    curl_easy_setopt(e, CURLOPT_RESOLVE, r->resolve);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, f);
    curl_easy_setopt(e, CURLOPT_PRIVATE, f);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    q->sent = true;
    if (curl_multi_add_handle(r->multi, e) != CURLM_OK) {
        curl_easy_cleanup(e);
        curl_slist_free_all(f->hdrs);
        XXH3_freeState(f->hash);
        f->e = NULL;
        return AC_OK; /* counted as a failure */
    }
    return AC_OK;
}

static void finish(struct ac__probe_runner *r, struct flight *f, CURLcode res,
                   struct ac_probe_stats *st)
{
    long code = 0;

    curl_easy_getinfo(f->e, CURLINFO_RESPONSE_CODE, &code);
    if (res == CURLE_OK && code > 0) {
        f->q->answered = true;
        f->q->status = (int)code;
        f->q->body_hash = XXH3_64bits_digest(f->hash);
    } else {
        st->failed++;
    }
    curl_multi_remove_handle(r->multi, f->e);
    curl_easy_cleanup(f->e);
    curl_slist_free_all(f->hdrs);
    XXH3_freeState(f->hash);
    f->e = NULL;
}

/* The next request that may start now: the first pending one whose host's bucket has a token
 * (burst requests need none); *wait is how long until the earliest bucket fills otherwise. */
static struct ac__probe_req *next_ready(struct ac__probe_runner *r, struct ac__probe_req *reqs,
                                        size_t n, size_t *cursor, double now, double *wait)
{
    size_t i;
    bool all_done = true;

    *wait = 1.0;
    for (i = *cursor; i < n; i++) {
        struct ac__probe_req *q = &reqs[i];
        double at;

        if (q->sent)
            continue;
        if (all_done)
            *cursor = i; /* everything before i has started */
        all_done = false;
        if (q->burst)
            return q;
        at = r->hosts[q->host].next_at;
        if (at <= now)
            return q;
        if (at - now < *wait)
            *wait = at - now;
    }
    if (all_done)
        *cursor = n;
    return NULL;
}

enum ac_err ac__probe_runner_run(struct ac__probe_runner *r, struct ac__probe_req *reqs, size_t n,
                                 struct ac_probe_stats *st)
{
    struct flight *fl = calloc(r->concurrency, sizeof(*fl));
    size_t cursor = 0, i, inflight = 0;
    enum ac_err err = AC_OK;

    if (fl == NULL)
        return AC_ENOMEM;
    for (i = 0; i < n; i++) /* out of scope: never sent */
        if (!reqs[i].sent && !in_scope(r, &reqs[i]))
            reqs[i].sent = true;
    for (;;) {
        double now = mono(), wait = 1.0;
        struct ac__probe_req *q;
        int running = 0, left = 0;
        CURLMsg *m;

        while (err == AC_OK && inflight < r->concurrency &&
               (q = next_ready(r, reqs, n, &cursor, now, &wait)) != NULL) {
            struct ac__probe_host *h = &r->hosts[q->host];

            if (st->sent >= r->max_requests) { /* over the whole probe, all phases */
                q->sent = true;
                st->capped++;
                continue;
            }
            for (i = 0; fl[i].e != NULL; i++)
                ;
            err = start(r, q, &fl[i]);
            if (err != AC_OK)
                break;
            st->sent++;
            h->sent++;
            inflight++;
            /* a burst request also pushes the bucket, so the rate resumes after the burst */
            h->next_at = (h->next_at > now && !q->burst ? h->next_at : now) + r->interval;
            if (fl[i].e == NULL) {
                st->failed++;
                inflight--;
            }
        }
        if (err != AC_OK || (inflight == 0 && cursor >= n))
            break;
        curl_multi_perform(r->multi, &running);
        while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
            struct flight *f = NULL;

            if (m->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&f);
            if (f != NULL) {
                finish(r, f, m->data.result, st);
                inflight--;
            }
        }
        if (inflight == 0 && cursor >= n)
            break;
        {
            int ms = (int)(wait * 1000.0) + 1;

            if (inflight == 0 && cursor < n) {
                struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

                nanosleep(&ts, NULL);
            } else {
                curl_multi_poll(r->multi, NULL, 0, ms < 100 ? ms : 100, NULL);
            }
        }
    }
    for (i = 0; i < r->concurrency; i++)
        if (fl[i].e != NULL)
            finish(r, &fl[i], CURLE_ABORTED_BY_CALLBACK, st);
    free(fl);
    return err;
}
