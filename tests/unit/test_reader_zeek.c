/* test_reader_zeek.c - Zeek http.log, TSV and JSON.
 *
 * What a user notices: every line of the real Zeek logs is a request or a skipped header or
 * request-less record, never bad; odd methods (CCM_POST) and the "*" target read; the #fields
 * header decides the columns, whatever their order; user names and proxied headers come through;
 * Zeek's JSON lines in the documented shape read the same, and broken lines say why.
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

#include "test_util.h"

extern const struct ac_reader_ops ac__reader_zeek, ac__reader_zeek_json;

static char why[256];

static struct ac_reader *make(const struct ac_reader_ops *ops, const char *spec)
{
    struct ac_reader *r = NULL;
    struct ac_diag d;

    memset(&d, 0, sizeof(d));
    if (ops->create(spec, &r, &d) != AC_OK)
        print_error("create %s failed: %s\n", ops->name, d.msg);
    assert_non_null(r);
    return r;
}

static enum ac_line parse(const struct ac_reader_ops *ops, struct ac_reader *r, const char *line,
                          struct ac_request *req)
{
    why[0] = '\0';
    return ops->parse_line(r, line, strlen(line), req, why, sizeof(why));
}

static void expect_slice(struct ac_slice s, const char *want)
{
    if (s.n != strlen(want) || memcmp(s.p, want, s.n) != 0)
        print_error("got '%.*s', want '%s'\n", (int)s.n, s.p != NULL ? s.p : "", want);
    assert_int_equal(s.n, strlen(want));
    assert_memory_equal(s.p, want, s.n);
}

struct tally {
    size_t req, skip, methods_ccm, star, unset_skipped;
};

/* Read a whole file with a fresh reader; no line may be bad. */
static void read_file(const char *path, struct tally *t)
{
    struct ac_reader *r = make(&ac__reader_zeek, NULL);
    size_t len;
    char *text = slurp(path, &len), *p = text, *nl;
    struct ac_request req;
    enum ac_line res;
    unsigned lineno = 0;

    memset(t, 0, sizeof(*t));
    for (; p < text + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(text + len - p));
        if (nl == NULL)
            nl = text + len;
        lineno++;
        res = ac__reader_zeek.parse_line(r, p, (size_t)(nl - p), &req, why, sizeof(why));
        if (res == AC_LINE_BAD)
            print_error("%s:%u: %s\n", path, lineno, why);
        assert_int_not_equal(res, AC_LINE_BAD);
        if (res == AC_LINE_SKIP) {
            t->skip++;
            continue;
        }
        t->req++;
        assert_true(req.method.n > 0 && req.target.n > 0);
        assert_true(req.time > 1300000000 && req.time < 1400000000);
        assert_true(req.client.n > 0);
        assert_true(req.status >= 100 && req.status <= 599);
        assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
        assert_int_equal(req.resp_headers, 0);
        if (req.method.n == 8 && memcmp(req.method.p, "CCM_POST", 8) == 0)
            t->methods_ccm++;
        if (req.target.n == 1 && req.target.p[0] == '*')
            t->star++;
    }
    ac__reader_zeek.destroy(r);
    free(text);
}

static void test_real_http_methods(void **state)
{
    struct tally t;

    (void)state;
    read_file(AC_SHARED_DATA "/traffic/zeek/http-methods.http.log", &t);
    /* 49 records: 25 requests, 23 with no method parsed and one "OPTIONS  HTTP/1.1" whose uri
     * Zeek logged as "HTTP/1.1"; 9 header lines */
    assert_int_equal(t.req, 25);
    assert_int_equal(t.skip, 24 + 9);
    assert_int_equal(t.methods_ccm, 3);
    assert_int_equal(t.star, 1);
}

static void test_real_bro_log(void **state)
{
    struct tally t;

    (void)state;
    read_file(AC_SHARED_DATA "/traffic/zeek/lnav-bro-http.log", &t);
    assert_int_equal(t.req, 197);
    assert_int_equal(t.skip, 9);
    read_file(AC_SHARED_DATA "/traffic/lnav/logfile_bro_http.log.0", &t);
    assert_int_equal(t.req, 197);
}

static void test_first_record_fields(void **state)
{
    struct ac_reader *r = make(&ac__reader_zeek, NULL);
    struct ac_request req;
    size_t len;
    char *text = slurp(AC_SHARED_DATA "/traffic/zeek/lnav-bro-http.log", &len), *p = text, *nl;
    enum ac_line res = AC_LINE_SKIP;

    (void)state;
    while (res == AC_LINE_SKIP) {
        nl = strchr(p, '\n');
        assert_non_null(nl);
        res = ac__reader_zeek.parse_line(r, p, (size_t)(nl - p), &req, why, sizeof(why));
        p = nl + 1;
    }
    assert_int_equal(res, AC_LINE_REQUEST);
    assert_int_equal(req.time, 1320279566);
    expect_slice(req.client, "192.168.2.76");
    expect_slice(req.method, "GET");
    expect_slice(req.host, "www.reddit.com");
    expect_slice(req.target, "/");
    assert_int_equal(req.status, 200);
    assert_int_equal(req.xff.n, 0);
    ac__reader_zeek.destroy(r);
    free(text);
}

/* Columns come from #fields in any order; markers and the separator from their headers. */
static void test_header_driven(void **state)
{
    struct ac_reader *r = make(&ac__reader_zeek, NULL);
    struct ac_request req;

    (void)state;
    assert_int_equal(parse(&ac__reader_zeek, r, "#separator \\x7c", &req), AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_zeek, r, "#set_separator|;", &req), AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_zeek, r, "#unset_field|?", &req), AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_zeek, r, "#empty_field|EMPTY", &req), AC_LINE_SKIP);
    assert_int_equal(
        parse(&ac__reader_zeek, r,
              "#fields|uri|method|status_code|host|username|proxied|id.orig_h|ts|extra", &req),
        AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_zeek, r,
                           "/v1/a?b=1|GET|200|api.example.com|alice|FORWARDED -> "
                           "for=1.2.3.4;X-FORWARDED-FOR -> 203.0.113.1|10.0.0.1|1354328870.5|x",
                           &req),
                     AC_LINE_REQUEST);
    expect_slice(req.target, "/v1/a?b=1");
    expect_slice(req.method, "GET");
    expect_slice(req.host, "api.example.com");
    expect_slice(req.client, "10.0.0.1");
    expect_slice(req.xff, "203.0.113.1");
    assert_int_equal(req.status, 200);
    assert_int_equal(req.time, 1354328870);
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    /* unset host, user and status; an empty proxied set */
    assert_int_equal(parse(&ac__reader_zeek, r, "/x|POST|?|?|?|EMPTY|10.0.0.1|1354328870", &req),
                     AC_LINE_REQUEST);
    assert_int_equal(req.host.n, 0);
    assert_int_equal(req.status, 0);
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
    assert_int_equal(req.xff.n, 0);
    /* an unset uri: no request on this connection; a uri no server routes is no request either */
    assert_int_equal(parse(&ac__reader_zeek, r, "?|GET|400|h|?|?|10.0.0.1|1354328870", &req),
                     AC_LINE_SKIP);
    assert_int_equal(
        parse(&ac__reader_zeek, r, "HTTP/1.1|OPTIONS|400|h|?|?|10.0.0.1|1354328870", &req),
        AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_zeek, r,
                           "www.google.com:443|CONNECT|200|h|?|?|10.0.0.1|1354328870", &req),
                     AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_zeek, r,
                           "http://api.example.com/v1/x|GET|200|h|?|?|10.0.0.1|1354328870", &req),
                     AC_LINE_REQUEST);
    expect_slice(req.target, "http://api.example.com/v1/x");
    ac__reader_zeek.destroy(r);
}

static void expect_bad(struct ac_reader *r, const char *line, const char *fragment)
{
    struct ac_request req;

    assert_int_equal(parse(&ac__reader_zeek, r, line, &req), AC_LINE_BAD);
    if (strstr(why, fragment) == NULL)
        print_error("reason '%s' lacks '%s'\n", why, fragment);
    assert_non_null(strstr(why, fragment));
    assert_int_equal(req.method.n, 0);
}

static void test_bad_lines(void **state)
{
    struct ac_reader *r = make(&ac__reader_zeek, NULL);
    struct ac_request req;

    (void)state;
    expect_bad(r, "1354328870.1\tC1\t10.0.0.1\t1\t10.0.0.2\t80\t1\tGET\th\t/", "before a #fields");
    expect_bad(r, "#fields\tts\tuid\tid.orig_h\tquery", "no 'method' column");
    expect_bad(r, "#separator tab", "unsupported #separator");
    assert_int_equal(parse(&ac__reader_zeek, r,
                           "#fields\tts\tid.orig_h\tmethod\thost\turi\t"
                           "status_code",
                           &req),
                     AC_LINE_SKIP);
    expect_bad(r, "1354328870.1\t10.0.0.1\tGET",
               "has 3 fields, the #fields header needs at least 6");
    expect_bad(r, "yesterday\t10.0.0.1\tGET\th\t/\t200", "ts 'yesterday' is not a Unix time");
    expect_bad(r, "1354328870.1\t10.0.0.1\tGET\th\t/\tOK", "status_code is not a number");
    assert_int_equal(parse(&ac__reader_zeek, r, "1354328870.1\t10.0.0.1\tGET\th\t/\t200\r", &req),
                     AC_LINE_REQUEST);
    assert_int_equal(req.status, 200);
    assert_int_equal(parse(&ac__reader_zeek, r, "", &req), AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_zeek, r, "#close\t2013-03-25-20-20-22", &req), AC_LINE_SKIP);
    ac__reader_zeek.destroy(r);
}

static void test_detect(void **state)
{
    static const char rec[] =
        "1320279566.452687\tCwFs1P2UcUdlSxD2La\t192.168.2.76\t52026\t132.235.215.119\t80\t1\tGET"
        "\twww.reddit.com\t/\t-\t1.1\tM\t0\t109978\t200\tOK\t-\t-\t(empty)\t-\t-\t-";

    (void)state;
    assert_int_equal(ac__reader_zeek.detect("#separator \\x09", 15), 100);
    assert_true(ac__reader_zeek.detect("#fields\tts\tuid\tid.orig_h", 24) >= 90);
    assert_true(ac__reader_zeek.detect(rec, strlen(rec)) > 0);
    assert_int_equal(ac__reader_zeek.detect("192.0.2.1 - - [10/Oct/2000:13:55:36 -0700]", 42), 0);
    assert_int_equal(ac__reader_zeek.detect("{\"ts\":1}", 8), 0);
}

/* --- Zeek JSON ------------------------------------------------------------------------------- */

static void test_zeek_json(void **state)
{
    struct ac_reader *r = make(&ac__reader_zeek_json, NULL);
    struct ac_request req;
    const char *line;

    (void)state;
    /* the shape of Zeek's JSON http.log (LogAscii::use_json=T), as in Zeek's documentation */
    line =
        "{\"ts\":1591367999.512593,\"uid\":\"C5bLoe2Mvxqhawzqqd\",\"id.orig_h\":\"192.168.4.76\","
        "\"id.orig_p\":46378,\"id.resp_h\":\"31.3.245.133\",\"id.resp_p\":80,\"trans_depth\":1,"
        "\"method\":\"GET\",\"host\":\"testmyids.com\",\"uri\":\"/\",\"version\":\"1.1\","
        "\"user_agent\":\"curl/7.47.0\",\"request_body_len\":0,\"response_body_len\":39,"
        "\"status_code\":200,\"status_msg\":\"OK\",\"tags\":[],\"resp_fuids\":"
        "[\"FEEsZS1w0Z0VJIb5x4\"],\"resp_mime_types\":[\"text/plain\"]}";
    assert_true(ac__reader_zeek_json.detect(line, strlen(line)) >= 70);
    assert_int_equal(parse(&ac__reader_zeek_json, r, line, &req), AC_LINE_REQUEST);
    assert_int_equal(req.time, 1591367999);
    expect_slice(req.client, "192.168.4.76");
    expect_slice(req.method, "GET");
    expect_slice(req.host, "testmyids.com");
    expect_slice(req.target, "/");
    assert_int_equal(req.status, 200);
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);

    /* ISO 8601 timestamps (json_timestamps=JSON::TS_ISO8601), user name, proxied headers */
    assert_int_equal(
        parse(&ac__reader_zeek_json, r,
              "{\"ts\":\"2020-06-05T14:39:59.512593Z\",\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.5\","
              "\"method\":\"CCM_POST\",\"host\":\"www.google.com\",\"uri\":\"*\",\"status_code\":"
              "405,\"username\":\"bob\",\"proxied\":[\"VIA -> 1.1 proxy\","
              "\"X-FORWARDED-FOR -> 198.51.100.7\"]}",
              &req),
        AC_LINE_REQUEST);
    assert_int_equal(req.time, 1591367999);
    expect_slice(req.method, "CCM_POST");
    expect_slice(req.target, "*");
    expect_slice(req.xff, "198.51.100.7");
    assert_int_equal(req.credentials, AC_CRED_PRESENT);

    /* unset fields are omitted in Zeek JSON: no method or uri means no request */
    assert_int_equal(parse(&ac__reader_zeek_json, r,
                           "{\"ts\":1354328874.299063,\"uid\":\"k6kgXLOoSKl\",\"id.orig_h\":"
                           "\"128.2.6.136\",\"trans_depth\":0,\"status_code\":400}",
                           &req),
                     AC_LINE_SKIP);
    assert_int_equal(
        parse(&ac__reader_zeek_json, r, "{\"ts\":1354328874.2,\"method\":\"GET\"", &req),
        AC_LINE_BAD);
    assert_non_null(strstr(why, "invalid JSON"));
    ac__reader_zeek_json.destroy(r);

    /* a user map refines the preset; a bad one is refused */
    r = make(&ac__reader_zeek_json, "host=server_name|host");
    assert_int_equal(
        parse(&ac__reader_zeek_json, r,
              "{\"ts\":1,\"method\":\"GET\",\"uri\":\"/\",\"server_name\":\"sni.example\","
              "\"host\":\"h\"}",
              &req),
        AC_LINE_REQUEST);
    expect_slice(req.host, "sni.example");
    ac__reader_zeek_json.destroy(r);
    {
        struct ac_reader *bad = NULL;
        struct ac_diag d;

        assert_int_equal(ac__reader_zeek_json.create("nonsense=1", &bad, &d), AC_EUSAGE);
        assert_null(bad);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_http_methods),   cmocka_unit_test(test_real_bro_log),
        cmocka_unit_test(test_first_record_fields), cmocka_unit_test(test_header_driven),
        cmocka_unit_test(test_bad_lines),           cmocka_unit_test(test_detect),
        cmocka_unit_test(test_zeek_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
