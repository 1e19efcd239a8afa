/* webhooks.c - the server's delivery thread: every second it asks the library for the webhook
 * deliveries that are due (<apicensus/access.h>, ac_webhook_deliver()) and POSTs each with the
 * library's sender (ac_webhook_post(): libcurl, the JSON payload, a 10 s timeout, no redirects
 * followed). A 2xx answer delivers it; anything else is retried with backoff by the library.
 * The thread has its own store handle, so it never competes for the request threads' pool. */
#include "server.h"

#include <apicensus/store.h>

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
        if (ac_webhook_deliver(s, (long long)t, k->o->now != NULL ? k->o->now : now, 32,
                               ac_webhook_post, k, &sent, &d) != AC_OK &&
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
    k->started = pthread_create(&k->thread, NULL, loop, k) == 0;
    return k;
}

void ac_webhooks_stop(struct ac_hooks *k)
{
    if (k == NULL)
        return;
    if (k->started)
        pthread_join(k->thread, NULL);
    free(k);
}
