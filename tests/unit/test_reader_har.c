/* test_reader_har.c - HAR 1.2 documents as requests.
 *
 * What a user notices: every HAR export in the shared data (browsers, mitmproxy, Charles,
 * Fiddler, Insomnia) reads with all of its entries; entries without a usable URL are counted and
 * the first one named with its position while the others still arrive; credentials, Host,
 * status, time and the response headers that findings rely on (Deprecation, Sunset, RateLimit,
 * CORS, Location, Server, X-Powered-By) come through; a file that is not a HAR says so. The
 * gzip-compressed HAR of the data set is left to the ingest tests (decompression is the
 * driver's job).
 */
#include "reader.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define HAR_DIR AC_SHARED_DATA "/traffic/har/"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        print_error("cannot open %s\n", path);
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Up to 8 requests copied out of the callback (the slices die with the document's arena, so
 * only what the tests compare is kept, as small owned strings). */
struct seen {
    size_t n, stop_after;
    struct {
        char method[16], target[128], host[64], server[32], powered[32];
        int status;
        int64_t time;
        enum ac_cred cred;
        unsigned hdrs;
    } r[8];
};

static void copy(char *dst, size_t cap, struct ac_slice s)
{
    size_t n = s.n < cap - 1 ? s.n : cap - 1;

    if (n > 0)
        memcpy(dst, s.p, n);
    dst[n] = '\0';
}

static bool collect(void *ud, const struct ac_request *req)
{
    struct seen *s = ud;

    /* every delivered entry has a method and an absolute URL */
    assert_true(req->method.n > 0);
    assert_non_null(memchr(req->target.p, ':', req->target.n));
    assert_int_equal(req->client.n, 0);
    if (s->n < 8) {
        copy(s->r[s->n].method, sizeof(s->r[0].method), req->method);
        copy(s->r[s->n].target, sizeof(s->r[0].target), req->target);
        copy(s->r[s->n].host, sizeof(s->r[0].host), req->host);
        copy(s->r[s->n].server, sizeof(s->r[0].server), req->server);
        copy(s->r[s->n].powered, sizeof(s->r[0].powered), req->powered);
        s->r[s->n].status = req->status;
        s->r[s->n].time = req->time;
        s->r[s->n].cred = req->credentials;
        s->r[s->n].hdrs = req->resp_headers;
    }
    s->n++;
    return s->stop_after == 0 || s->n < s->stop_after;
}

static enum ac_err read_har(const char *text, size_t len, struct seen *s, size_t *bad,
                            struct ac_diag *d)
{
    memset(d, 0, sizeof(*d));
    *bad = 12345;
    return ac__har_read(text, len, "t.har", collect, s, bad, d);
}

static void read_path(const char *path, struct seen *s, size_t *bad, struct ac_diag *d)
{
    size_t len;
    char *text = slurp(path, &len);
    enum ac_err err;

    assert_true(ac__har_detect(text, len));
    err = read_har(text, len, s, bad, d);
    if (err != AC_OK)
        print_error("%s: %u:%u %s\n", path, d->line, d->col, d->msg);
    assert_int_equal(err, AC_OK);
    assert_int_equal(d->code, AC_OK);
    free(text);
}

static void test_real_hars(void **state)
{
    /* entry counts from python3 json.load over each file */
    static const struct {
        const char *file;
        size_t entries;
    } files[] = {
        {"har-to-openapi/ServerService-GetNavigationMenu2-ff.har", 1},
        {"har-to-openapi/ServerService-GetNavigationMenu2-fiddler.har", 1},
        {"har-to-openapi/auth-variants.har", 4},
        {"har-to-openapi/base-path.har", 2},
        {"har-to-openapi/custom-method.har", 1},
        {"har-to-openapi/ericduran.github.io.har", 31},
        {"har-to-openapi/full.har", 8},
        {"har-to-openapi/no-entries.har", 0},
        {"har-to-openapi/post-same-endpoint-diff-bodies.har", 3},
        {"har-to-openapi/typed-params.har", 3},
        {"har-to-openapi/urlfull.har", 5},
        {"mitmproxy/charles.har", 1},
        {"mitmproxy/chrome.har", 3},
        {"mitmproxy/event_stream.har", 2},
        {"mitmproxy/firefox.har", 14},
        {"mitmproxy/head-content-length.har", 1},
        {"mitmproxy/insomnia.har", 1},
        {"mitmproxy/postdata.har", 1},
        {"mitmproxy/websocket.har", 3},
        {"mitmproxy/with-bom.har", 1},
        {"mitmproxy2swagger/form_data_har.har", 1},
        {"mitmproxy2swagger/headers_and_params_har.har", 1},
    };
    char path[512];
    struct seen s;
    struct ac_diag d;
    size_t i, bad;

    (void)state;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", HAR_DIR, files[i].file);
        memset(&s, 0, sizeof(s));
        read_path(path, &s, &bad, &d);
        if (s.n != files[i].entries || bad != 0)
            print_error("%s: %zu entries, %zu bad\n", files[i].file, s.n, bad);
        assert_int_equal(s.n, files[i].entries);
        assert_int_equal(bad, 0);
        assert_int_equal(d.msg[0], '\0');
    }
}

static void test_real_fields(void **state)
{
    struct seen s;
    struct ac_diag d;
    size_t bad;

    (void)state;
    /* a UTF-8 BOM, CORS on the response, no credentials among the request headers */
    memset(&s, 0, sizeof(s));
    read_path(HAR_DIR "mitmproxy/with-bom.har", &s, &bad, &d);
    assert_string_equal(s.r[0].method, "POST");
    assert_string_equal(s.r[0].target,
                        "https://signal-metrics-collector-beta.s-onetag.com/metrics");
    assert_string_equal(s.r[0].host, "signal-metrics-collector-beta.s-onetag.com");
    assert_int_equal(s.r[0].status, 200);
    assert_int_equal(s.r[0].time, 1689428246);
    assert_int_equal(s.r[0].cred, AC_CRED_NONE);
    assert_int_equal(s.r[0].hdrs, AC_HDR_KNOWN | AC_HDR_CORS);

    /* Chrome: a request that got no response has status 0; HTTP/2 :authority gives the host */
    memset(&s, 0, sizeof(s));
    read_path(HAR_DIR "mitmproxy/chrome.har", &s, &bad, &d);
    assert_string_equal(s.r[0].server, "AmazonS3");
    assert_int_equal(s.r[0].status, 304);
    assert_int_equal(s.r[1].status, 0);
    assert_int_equal(s.r[2].cred, AC_CRED_PRESENT);
    assert_string_equal(s.r[2].host, "www.google.com");

    /* Fiddler writes seven fraction digits and a zone */
    memset(&s, 0, sizeof(s));
    read_path(HAR_DIR "har-to-openapi/ServerService-GetNavigationMenu2-fiddler.har", &s, &bad, &d);
    assert_int_equal(s.r[0].time, 1592912642);
    assert_int_equal(s.r[0].cred, AC_CRED_PRESENT);

    /* Firefox, negative zone */
    memset(&s, 0, sizeof(s));
    read_path(HAR_DIR "mitmproxy/firefox.har", &s, &bad, &d);
    assert_int_equal(s.r[0].time, 1680134339);
    assert_string_equal(s.r[0].host, "mitmproxy.org");

    /* Bearer, Basic, X-Api-Key and Cookie all count as credentials */
    memset(&s, 0, sizeof(s));
    read_path(HAR_DIR "har-to-openapi/auth-variants.har", &s, &bad, &d);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.r[0].cred, AC_CRED_PRESENT);
    assert_int_equal(s.r[1].cred, AC_CRED_PRESENT);
    assert_int_equal(s.r[2].cred, AC_CRED_PRESENT);
    assert_int_equal(s.r[3].cred, AC_CRED_PRESENT);

    /* entries without headers or response: credentials and headers unknown, no time */
    memset(&s, 0, sizeof(s));
    read_path(HAR_DIR "har-to-openapi/full.har", &s, &bad, &d);
    assert_int_equal(s.r[1].cred, AC_CRED_UNKNOWN);
    assert_int_equal(s.r[1].status, 0);
    assert_int_equal(s.r[1].hdrs, 0);
    assert_int_equal(s.r[1].time, -1);
    assert_string_equal(s.r[1].target, "https://httpbin.org/get?page=Home");
}

static void test_invalid_url(void **state)
{
    struct seen s;
    struct ac_diag d;
    size_t bad;

    (void)state;
    memset(&s, 0, sizeof(s));
    read_path(HAR_DIR "har-to-openapi/invalid-url.har", &s, &bad, &d);
    assert_int_equal(s.n, 0);
    assert_int_equal(bad, 2); /* "testloadimpact" and "" */
    assert_int_equal(d.code, AC_OK);
    assert_int_equal(d.line, 8);
    assert_int_equal(d.col, 18);
    assert_string_equal(d.file, "t.har");
    assert_non_null(strstr(d.msg, "entry 1: request.url 'testloadimpact' is not an absolute URL"));
}

static const char written[] =
    "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"t\",\"version\":\"1\"},\"entries\":[\n"
    /* 1: every response header class, in mixed case; a lower-case authorization */
    "{\"startedDateTime\":\"2024-01-15T09:30:45.5Z\",\"request\":{\"method\":\"GET\","
    "\"url\":\"https://api.example.com/v1/users?page=2\",\"headers\":["
    "{\"name\":\"host\",\"value\":\"api.example.com\"},"
    "{\"name\":\"authorization\",\"value\":\"Bearer t\"}]},"
    "\"response\":{\"status\":301,\"headers\":["
    "{\"name\":\"DEPRECATION\",\"value\":\"@1688169599\"},"
    "{\"name\":\"Sunset\",\"value\":\"Wed, 11 Nov 2026 23:59:59 GMT\"},"
    "{\"name\":\"RateLimit-Policy\",\"value\":\"100;w=60\"},"
    "{\"name\":\"Location\",\"value\":\"/v2/users?page=2\"},"
    "{\"name\":\"Server\",\"value\":\"nginx/1.18.0\"},"
    "{\"name\":\"x-powered-by\",\"value\":\"Express\"}]}},\n"
    /* 2: X-Rate-Limit-*, Retry-After, CORS; an empty Authorization is no credential */
    "{\"request\":{\"method\":\"POST\",\"url\":\"http://b.example.com:8080/x\",\"headers\":["
    "{\"name\":\"Authorization\",\"value\":\"\"}]},"
    "\"response\":{\"status\":429,\"headers\":["
    "{\"name\":\"X-Rate-Limit-Remaining\",\"value\":\"0\"},"
    "{\"name\":\"Retry-After\",\"value\":\"30\"},"
    "{\"name\":\"Access-Control-Allow-Credentials\",\"value\":\"true\"}]}},\n"
    /* 3: X-RateLimit-* and plain RateLimit */
    "{\"request\":{\"method\":\"GET\",\"url\":\"https://c.example.com/\",\"headers\":[]},"
    "\"response\":{\"status\":200,\"headers\":[{\"name\":\"X-RateLimit-Limit\",\"value\":\"5\"},"
    "{\"name\":\"RateLimit\",\"value\":\"limit=5\"}]}},\n"
    /* 4-7: unusable entries */
    "{\"request\":{\"method\":\"GET\",\"url\":\"/relative\"}},\n"
    "{\"response\":{\"status\":200}},\n"
    "{\"request\":{\"url\":\"https://d.example.com/\"}},\n"
    "42,\n"
    /* 8: no response at all, headers that are not credentials; a negative status */
    "{\"request\":{\"method\":\"DELETE\",\"url\":\"wss://e.example.com/socket\",\"headers\":["
    "{\"name\":\"Accept\",\"value\":\"*/*\"},{\"name\":7}]},\"response\":{\"status\":-1}}\n"
    "]}}";

static void test_written_headers(void **state)
{
    struct seen s;
    struct ac_diag d;
    size_t bad;

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_true(ac__har_detect(written, strlen(written)));
    assert_int_equal(read_har(written, strlen(written), &s, &bad, &d), AC_OK);
    assert_int_equal(s.n, 4);
    assert_int_equal(bad, 4);
    assert_int_equal(d.code, AC_OK);
    assert_int_equal(d.line, 5);
    assert_non_null(strstr(d.msg, "entry 4: request.url '/relative' is not an absolute URL"));

    assert_int_equal(s.r[0].hdrs, AC_HDR_KNOWN | AC_HDR_DEPRECATION | AC_HDR_SUNSET |
                                      AC_HDR_RATELIMIT | AC_HDR_LOCATION);
    assert_string_equal(s.r[0].server, "nginx/1.18.0");
    assert_string_equal(s.r[0].powered, "Express");
    assert_string_equal(s.r[0].host, "api.example.com");
    assert_int_equal(s.r[0].cred, AC_CRED_PRESENT);
    assert_int_equal(s.r[0].status, 301);
    assert_int_equal(s.r[0].time, 1705311045);

    assert_int_equal(s.r[1].hdrs, AC_HDR_KNOWN | AC_HDR_RATELIMIT | AC_HDR_CORS);
    assert_int_equal(s.r[1].cred, AC_CRED_NONE);
    assert_int_equal(s.r[1].status, 429);
    assert_string_equal(s.r[1].host, ""); /* the normaliser takes it from the URL */
    assert_int_equal(s.r[1].time, -1);

    assert_int_equal(s.r[2].hdrs, AC_HDR_KNOWN | AC_HDR_RATELIMIT);
    assert_int_equal(s.r[2].cred, AC_CRED_NONE);

    assert_string_equal(s.r[3].method, "DELETE");
    assert_string_equal(s.r[3].target, "wss://e.example.com/socket");
    assert_int_equal(s.r[3].status, 0);
    assert_int_equal(s.r[3].hdrs, 0);
    assert_int_equal(s.r[3].cred, AC_CRED_NONE);

    /* the callback can stop the walk */
    memset(&s, 0, sizeof(s));
    s.stop_after = 2;
    assert_int_equal(read_har(written, strlen(written), &s, &bad, &d), AC_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(bad, 0);
}

static void expect_doc_error(const char *text, enum ac_err code, uint32_t line, uint32_t col,
                             const char *fragment)
{
    struct seen s;
    struct ac_diag d;
    size_t bad;

    memset(&s, 0, sizeof(s));
    assert_int_equal(read_har(text, strlen(text), &s, &bad, &d), code);
    assert_int_equal(bad, 12345); /* not written on failure */
    assert_int_equal(s.n, 0);
    if (strstr(d.msg, fragment) == NULL || d.line != line || d.col != col)
        print_error("got %u:%u '%s'\n", d.line, d.col, d.msg);
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, col);
    assert_non_null(strstr(d.msg, fragment));
}

static void test_not_har(void **state)
{
    (void)state;
    expect_doc_error("[1,2]", AC_ESCHEMA, 1, 1, "not a HAR document: no \"log\" object");
    expect_doc_error("{\"log\":\n  {\"pages\":[]}}", AC_ESCHEMA, 2, 3, "no \"log.entries\" array");
    expect_doc_error("{\"log\":{\"entries\":{}}}", AC_ESCHEMA, 1, 8, "no \"log.entries\" array");
    expect_doc_error("{\"log\":{\"entries\":[\n{\"request\":}", AC_ESYNTAX, 2, 12,
                     "expected a JSON value");
    expect_doc_error("", AC_ESYNTAX, 1, 1, "unexpected end of input");

    assert_false(ac__har_detect("[{\"log\":1}]", 11));
    assert_false(ac__har_detect("{\"logs\":[]}", 11));
    assert_false(ac__har_detect("", 0));
    assert_false(ac__har_detect("{\"log\"", 6));
    {
        static const char bom[] = "\xEF\xBB\xBF\n {\n \"log\" : {";

        assert_true(ac__har_detect(bom, strlen(bom)));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_hars),   cmocka_unit_test(test_real_fields),
        cmocka_unit_test(test_invalid_url), cmocka_unit_test(test_written_headers),
        cmocka_unit_test(test_not_har),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
