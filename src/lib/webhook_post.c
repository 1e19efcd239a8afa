/* webhook_post.c - the standard webhook sender (<apicensus/access.h>, ac_webhook_post()): the
 * JSON payload POSTed with libcurl (opened on first use, curl_lazy.h), Content-Type
 * application/json, a 10 s timeout, no redirects followed; a 2xx answer delivers it. */
#include "curl_lazy.h"

#include <apicensus/access.h>

#include <stdio.h>

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

bool ac_webhook_post(void *ud, const struct ac_webhook_job *job, char *err, size_t errlen)
{
    struct ac_diag d;
    CURL *c;
    struct curl_slist *h = NULL;
    char ua[64];
    long status = 0;
    CURLcode rc;

    (void)ud;
    if (ac__curl_load(&d) != AC_OK) {
        snprintf(err, errlen, "%s", d.msg);
        return false;
    }
    c = curl_easy_init();
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
