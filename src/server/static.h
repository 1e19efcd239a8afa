/* static.h - the web UI's files, embedded into the binary at build time and served at /.
 *
 * cmake/embed_web.cmake turns every file under web/ into one entry of ac__web_files (sorted by
 * path, so a lookup is a binary search); static.c answers GET and HEAD for them. The UI's files
 * need no token: they hold no data, and every data call the UI makes carries one. Only paths
 * that name an embedded file (and /, for /index.html) are answered here; any other path goes
 * on to the route table, so unknown paths keep their JSON 404.
 */
#ifndef AC_STATIC_H
#define AC_STATIC_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ac_web_file {
    const char *path; /* "/index.html", "/views/apis.js" */
    const char *type; /* the Content-Type */
    const unsigned char *data;
    size_t len;
    const char *etag; /* quoted: "\"0123456789abcdef\"" */
};
extern const struct ac_web_file ac__web_files[]; /* generated: web_files.c */
extern const size_t ac__web_nfiles;

/* The embedded file a URL path names ("/" names /index.html), or NULL. */
const struct ac_web_file *ac_static_find(const char *url);

/* Does static.c answer this request: a GET or HEAD of an embedded file? */
bool ac_static_handles(const char *method, const char *url);

/* Queue the answer to a request ac_static_handles() took: the file (200) or 304 when the
 * request's If-None-Match holds its ETag, with the UI's security headers. Logs the access line
 * to standard error unless quiet. Thread-safe. */
enum MHD_Result ac_static_send(struct MHD_Connection *c, const char *method, const char *url,
                               bool quiet);

/* The counts of answered UI requests as lines of apicensus_http_requests_total{route="web"}. */
void ac_static_metrics(FILE *f);

#endif
