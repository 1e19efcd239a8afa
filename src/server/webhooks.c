/* webhooks.c - the server's delivery thread: every second it asks the library for the webhook
 * deliveries that are due (<apicensus/access.h>, ac_webhook_deliver()) and POSTs each with
 * libcurl: the JSON payload, Content-Type application/json, a 10 s timeout, no redirects
 * followed. A 2xx answer delivers it; anything else is retried with backoff by the library.
 * The thread has its own store handle, so it never competes for the request threads' pool. */
#include "server.h"

#include <apicensus/store.h>

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ac_hooks {
    pthread_t thread;
    const struct ac_server_opts *o;
    volatile sig_atomic_t *stop;
    bool started;
};

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static bool post(void *ud, const struct ac_webhook_job *job, char *err, size_t errlen)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char ua[64];
    long status = 0;
    CURLcode rc;

    (void)ud;
    if (c == NULL) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    snprintf(ua, sizeof(ua), "apicensus/%s", APICENSUS_VERSION);
    h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, job->url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, job->payload);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK)
        snprintf(err, errlen, "%s", curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(err, errlen, "HTTP %ld", status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc == CURLE_OK && status >= 200 && status <= 299;
}

static void *loop(void *arg)
{
    struct ac_hooks *k = arg;
    struct ac_store *s = NULL;
    struct ac_diag d;

    ac_diag_clear(&d);
    if (ac_store_open(k->o->db, 0, &s, &d) != AC_OK) {
        fprintf(stderr, "apicensus serve: webhooks: %s\n", d.msg);
        return NULL;
    }
    while (!*k->stop) {
        struct timespec pause = {0, 200 * 1000 * 1000};
        char now[32];
        time_t t = time(NULL);
        struct tm tm;
        size_t sent = 0;
        int i;

        gmtime_r(&t, &tm);
        strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
        ac_diag_clear(&d);
        if (ac_webhook_deliver(s, (long long)t, k->o->now != NULL ? k->o->now : now, 32, post, k,
                               &sent, &d) != AC_OK &&
            !k->o->quiet)
            fprintf(stderr, "apicensus serve: webhooks: %s\n", d.msg);
        for (i = 0; i < 5 && !*k->stop && sent == 0; i++) /* about a second between rounds */
            nanosleep(&pause, NULL);
    }
    ac_store_close(s);
    return NULL;
}

struct ac_hooks *ac_webhooks_start(const struct ac_server_opts *o, volatile sig_atomic_t *stop)
{
    struct ac_hooks *k = calloc(1, sizeof(*k));

    if (k == NULL)
        return NULL;
    k->o = o;
    k->stop = stop;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    k->started = pthread_create(&k->thread, NULL, loop, k) == 0;
    return k;
}

void ac_webhooks_stop(struct ac_hooks *k)
{
    if (k == NULL)
        return;
    if (k->started)
        pthread_join(k->thread, NULL);
    curl_global_cleanup();
    free(k);
}
