/* static.c - serve the web UI's embedded files (see static.h).
 *
 * The files are constant data in the binary: responses point at them (MHD_RESPMEM_PERSISTENT),
 * nothing is read from disk, and a request path can only name an entry of the table, so there is
 * no path to traverse. Browsers revalidate each file (Cache-Control: no-cache) with its ETag,
 * which costs a 304 and no body when the binary has not changed. The Content-Security-Policy
 * allows nothing but this server: no inline script or style, no other origin, no framing; the UI
 * is written to need no more.
 */
#include "static.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CSP                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "                 \
    "frame-ancestors 'none'"

static atomic_ullong answered_2xx, answered_3xx;

static int by_path(const void *key, const void *elem)
{
    const struct ac_web_file *f = elem;

    return strcmp(key, f->path);
}

const struct ac_web_file *ac_static_find(const char *url)
{
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    return bsearch(url, ac__web_files, ac__web_nfiles, sizeof(ac__web_files[0]), by_path);
}

bool ac_static_handles(const char *method, const char *url)
{
    return (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
           ac_static_find(url) != NULL;
}

/* Does an If-None-Match header value list this tag (or "*")? */
static bool etag_matches(const char *header, const char *tag)
{
    size_t n = strlen(tag);
    const char *p;

    if (header == NULL)
        return false;
    if (strcmp(header, "*") == 0)
        return true;
    for (p = strstr(header, tag); p != NULL; p = strstr(p + 1, tag)) {
        /* A whole list member: "tag" or W/"tag", bounded by the start, a space or a comma. */
        bool start = p == header || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/';
        bool end = p[n] == '\0' || p[n] == ' ' || p[n] == ',';

        if (start && end)
            return true;
    }
    return false;
}

enum MHD_Result ac_static_send(struct MHD_Connection *c, const char *method, const char *url,
                               bool quiet)
{
    const struct ac_web_file *f = ac_static_find(url);
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    bool fresh = f != NULL && etag_matches(inm, f->etag);
    unsigned status = fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
    struct MHD_Response *resp;
    enum MHD_Result ok;

    if (f == NULL)
        return MHD_NO; /* ac_static_handles() said yes: cannot happen */
    /* The cast drops const only for libmicrohttpd's signature: PERSISTENT never writes. */
    resp = MHD_create_response_from_buffer(fresh ? 0 : f->len, (void *)(uintptr_t)f->data,
                                           MHD_RESPMEM_PERSISTENT);
    if (resp == NULL)
        return MHD_NO;
    if (!fresh)
        MHD_add_response_header(resp, "Content-Type", f->type);
    MHD_add_response_header(resp, "ETag", f->etag);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    ok = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    atomic_fetch_add(fresh ? &answered_3xx : &answered_2xx, 1);
    if (!quiet)
        fprintf(stderr, "%s %s %u\n", method, url, status);
    return ok;
}

void ac_static_metrics(FILE *f)
{
    unsigned long long n2 = atomic_load(&answered_2xx), n3 = atomic_load(&answered_3xx);

    if (n2 > 0)
        fprintf(f, "apicensus_http_requests_total{route=\"web\",code=\"2xx\"} %llu\n", n2);
    if (n3 > 0)
        fprintf(f, "apicensus_http_requests_total{route=\"web\",code=\"3xx\"} %llu\n", n3);
}
