/* test_reader_clf.c - nginx/Apache combined and common logs and nginx log_format strings, on the
 * real logs of ../shared/data/traffic/lnav and on hand-written lines for the variants (vhost
 * first, escaped quotes, X-Forwarded-For, credentials, requests that are not HTTP). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct ac_reader_ops ac__reader_combined, ac__reader_common, ac__reader_nginx;

#define LNAV AC_SHARED_DATA "/traffic/lnav/"

static const char nginx_main[] =
    "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
    "\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\"";

static struct ac_reader *make(const struct ac_reader_ops *ops, const char *spec)
{
    struct ac_reader *r = NULL;
    struct ac_diag d;

    ac_diag_clear(&d);
    assert_int_equal(ops->create(spec, &r, &d), AC_OK);
    assert_non_null(r);
    return r;
}

static enum ac_line parse(const struct ac_reader_ops *ops, struct ac_reader *r, const char *line,
                          struct ac_request *req, char *why)
{
    why[0] = '\0';
    return ops->parse_line(r, line, strlen(line), req, why, 128);
}

/* Every line of the shop log is a request with the combined reader and the nginx "main" format;
 * chosen lines give exactly these values. */
static void check_shop(const struct ac_reader_ops *ops, const char *spec)
{
    struct ac_reader *r = make(ops, spec);
    struct ac_request req;
    size_t len, pos = 0, n, lineno = 0, xff = 0;
    char *text = slurp(LNAV "logfile_shop_access_log.0", &len);
    const char *line;
    char why[128];

    while (next_line(text, len, &pos, &line, &n)) {
        lineno++;
        assert_int_equal(ops->parse_line(r, line, n, &req, why, sizeof(why)), AC_LINE_REQUEST);
        assert_true(req.time >= 1548116774 && req.time < 1548116774 + 86400);
        assert_true(req.status >= 200 && req.status < 600);
        assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
        assert_int_equal(req.host.n, 0);
        xff += req.xff.n > 0;
        if (lineno == 1) {
            assert_true(eq(req.client, "54.36.149.41"));
            assert_true(eq(req.method, "GET"));
            assert_true(eq(req.target, "/filter/27|13%20%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8%B3"
                                       "%D9%84,27|%DA%A9%D9%85%D8%AA%D8%B1%20%D8%A7%D8%B2%205%20"
                                       "%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8%B3%D9%84,p53"));
            assert_int_equal(req.status, 200);
            assert_int_equal(req.time, 1548116774);
            assert_int_equal(req.xff.n, 0);
        } else if (lineno == 2) {
            assert_true(eq(req.client, "31.56.96.51"));
            assert_true(eq(req.target, "/image/60844/productModel/200x200"));
            assert_int_equal(req.time, 1548116776);
        } else if (lineno == 17) {
            assert_true(eq(req.client, "207.46.13.136"));
            assert_true(eq(req.target, "/product/14926"));
            assert_int_equal(req.status, 404);
            assert_int_equal(req.time, 1548116779);
        } else if (lineno == 52) {
            assert_true(eq(req.client, "5.78.198.52"));
            assert_true(eq(req.method, "POST"));
            assert_true(eq(req.target,
                           "/m/updateVariation?__amp_source_origin=https%3A%2F%2Fwww.zanbil.ir"));
            assert_int_equal(req.status, 200);
        } else if (lineno == 648) {
            assert_true(eq(req.client, "66.249.83.1"));
            assert_int_equal(req.status, 302);
            assert_true(eq(req.xff, "103.28.132.65"));
        }
    }
    assert_int_equal(lineno, 1000);
    assert_int_equal(xff, 13); /* grep -vc '"-"$' */
    ops->destroy(r);
    free(text);
}

static void test_shop_combined(void **state)
{
    (void)state;
    check_shop(&ac__reader_combined, NULL);
}

static void test_shop_nginx_main(void **state)
{
    (void)state;
    check_shop(&ac__reader_nginx, nginx_main);
}

/* The same format as pasted from nginx.conf. */
static void test_shop_nginx_conf(void **state)
{
    (void)state;
    check_shop(&ac__reader_nginx,
               "escape=default '$remote_addr - $remote_user [$time_local] '\n"
               "    '\"$request\" $status $body_bytes_sent '\n"
               "    '\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\"';");
}

static void test_access_log_common(void **state)
{
    struct ac_reader *r = make(&ac__reader_common, NULL);
    struct ac_request req;
    size_t len, pos = 0, n, lineno = 0;
    char *text = slurp(LNAV "logfile_access_log.0", &len);
    const char *line;
    char why[128];
    static const char *const targets[] = {"/vmw/cgi/tramp", "/vmw/vSphere/default/vmkboot.gz",
                                          "/vmw/vSphere/default/vmkernel.gz"};
    static const int status[] = {200, 404, 200};

    (void)state;
    while (next_line(text, len, &pos, &line, &n)) {
        assert_true(lineno < 3);
        assert_int_equal(ac__reader_common.parse_line(r, line, n, &req, why, sizeof(why)),
                         AC_LINE_REQUEST);
        assert_true(eq(req.client, "192.168.202.254"));
        assert_true(eq(req.method, "GET"));
        assert_true(eq(req.target, targets[lineno]));
        assert_int_equal(req.status, status[lineno]);
        assert_int_equal(req.time, lineno == 0 ? 1248130766 : 1248130769);
        assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
        lineno++;
    }
    assert_int_equal(lineno, 3);
    ac__reader_common.destroy(r);
    free(text);
}

/* The malformed log: exactly line 2 is bad, with a reason; 1 and 3 parse. */
static void test_bad_access_log(void **state)
{
    const struct ac_reader_ops *ops[] = {&ac__reader_combined, &ac__reader_common};
    size_t k;

    (void)state;
    for (k = 0; k < 2; k++) {
        struct ac_reader *r = make(ops[k], NULL);
        struct ac_request req;
        size_t len, pos = 0, n, lineno = 0;
        char *text = slurp(LNAV "logfile_bad_access_log.0", &len);
        const char *line;
        char why[128];
        enum ac_line got;

        while (next_line(text, len, &pos, &line, &n)) {
            lineno++;
            why[0] = '\0';
            got = ops[k]->parse_line(r, line, n, &req, why, sizeof(why));
            if (lineno == 2) {
                assert_int_equal(got, AC_LINE_BAD);
                assert_string_equal(why, "expected client, ident and user fields before '[time]'");
            } else {
                assert_int_equal(got, AC_LINE_REQUEST);
                assert_true(eq(req.target, lineno == 1 ? "/vmw/cgi/tramp"
                                                       : "/vmw/vSphere/default/vmkernel.gz"));
            }
        }
        assert_int_equal(lineno, 3);
        ops[k]->destroy(r);
        free(text);
    }
}

static void test_variants(void **state)
{
    struct ac_reader *r = make(&ac__reader_combined, NULL);
    struct ac_request req;
    char why[128];

    (void)state;
    /* Apache vhost_combined: "%v:%p %h %l %u %t ...", with a user. */
    assert_int_equal(parse(&ac__reader_combined, r,
                           "www.example.com:443 10.0.0.1 - alice [10/Oct/2000:13:55:36 -0700] "
                           "\"GET /api/v1/users HTTP/1.1\" 200 2326 \"-\" \"curl/8.0\"",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_true(eq(req.host, "www.example.com:443"));
    assert_true(eq(req.client, "10.0.0.1"));
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(req.time, 971211336);
    assert_true(eq(req.target, "/api/v1/users"));
    /* Escaped quotes in the user agent and referer; IPv6 client; CRLF; '-' bytes. */
    assert_int_equal(
        parse(&ac__reader_combined, r,
              "2001:db8::1 - - [10/Oct/2000:13:55:36 -0700] \"DELETE /x/1 HTTP/1.1\" "
              "204 - \"a \\\"q\\\" b\" \"Mozilla \\\"x\\\\\" \"10.1.2.3, 192.0.2.7\"\r",
              &req, why),
        AC_LINE_REQUEST);
    assert_true(eq(req.client, "2001:db8::1"));
    assert_true(eq(req.method, "DELETE"));
    assert_int_equal(req.status, 204);
    assert_true(eq(req.xff, "10.1.2.3, 192.0.2.7"));
    /* A trailing quoted field that is not an address list is not X-Forwarded-For. */
    assert_int_equal(parse(&ac__reader_combined, r,
                           "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 "
                           "\"-\" \"ua\" \"api.example.com\" 0.003 extra",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_int_equal(req.xff.n, 0);
    /* A request with spaces in the target (broken client) and one without a protocol. */
    assert_int_equal(parse(&ac__reader_combined, r,
                           "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /a b HTTP/1.1\" 400 1 "
                           "\"-\" \"-\"",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_true(eq(req.target, "/a b"));
    assert_int_equal(
        parse(&ac__reader_combined, r,
              "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /old\" 200 1 \"-\" \"-\"", &req, why),
        AC_LINE_REQUEST);
    assert_true(eq(req.target, "/old"));
    /* Not HTTP: a well-formed line without a request is skipped, with a reason. */
    assert_int_equal(parse(&ac__reader_combined, r,
                           "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"-\" 400 0 \"-\" \"-\"", &req,
                           why),
                     AC_LINE_SKIP);
    assert_string_equal(why, "no HTTP request line (\"-\" or not HTTP)");
    assert_int_equal(parse(&ac__reader_combined, r,
                           "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "
                           "\"\\x16\\x03\\x01\\x00\\xA5\\x01 x\" 400 157 \"-\" \"-\"",
                           &req, why),
                     AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_combined, r, "", &req, why), AC_LINE_SKIP);
    ac__reader_combined.destroy(r);
}

/* Times of consecutive lines: same minute, other seconds, other zone, a bad second. */
static void test_times_in_sequence(void **state)
{
    static const struct {
        const char *time;
        int64_t want; /* -1: bad line */
    } cases[] = {
        {"22/Jan/2019:03:56:14 +0330", 1548116774}, {"22/Jan/2019:03:56:59 +0330", 1548116819},
        {"22/Jan/2019:03:56:00 +0330", 1548116760}, {"22/Jan/2019:03:56:14 +0000", 1548129374},
        {"22/Jan/2019:03:56:61 +0000", -1},         {"22/Jan/2019:03:56:1x +0000", -1},
        {"22/Jan/2019:03:57:14 +0000", 1548129434}, {"22/Jan/2019:03:56:14 +0330", 1548116774},
        {"22/Jan/2019:03:56:14", 1548129374},       {"22/Jan/2019:03:56:15 +0330", 1548116775},
    };
    struct ac_reader *r = make(&ac__reader_combined, NULL);
    struct ac_request req;
    char line[256], why[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(line, sizeof(line), "1.2.3.4 - - [%s] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
                 cases[i].time);
        if (cases[i].want < 0) {
            assert_int_equal(parse(&ac__reader_combined, r, line, &req, why), AC_LINE_BAD);
        } else {
            assert_int_equal(parse(&ac__reader_combined, r, line, &req, why), AC_LINE_REQUEST);
            assert_int_equal(req.time, cases[i].want);
        }
    }
    ac__reader_combined.destroy(r);
}

static void test_bad_lines(void **state)
{
    static const struct {
        const char *line, *why;
    } cases[] = {
        {"1.2.3.4 - - 10/Oct/2000:13:55:36 -0700 \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
         "expected '[' before the time"},
        {"a b c d e [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
         "too many fields before '[time]'"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:99 -0700] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
         "expected a time like [22/Jan/2019:03:56:14 +0330]"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700 \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
         "expected a time like [22/Jan/2019:03:56:14 +0330]"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] GET / HTTP/1.1 200 1 \"-\" \"-\"",
         "expected '\"' before the request after the time"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1 200 1",
         "unterminated quoted request"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 20 1 \"-\" \"-\"",
         "expected a three-digit status after the request"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 2000 1 \"-\" \"-\"",
         "expected a three-digit status after the request"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 x \"-\" \"-\"",
         "expected the byte count after the status"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 12",
         "expected the quoted referer after the byte count"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 12 \"-\"",
         "expected the quoted user agent after the referer"},
        {"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 12 \"-\" \"x",
         "expected the quoted user agent after the referer"},
    };
    struct ac_reader *r = make(&ac__reader_combined, NULL);
    struct ac_request req;
    char why[128], small[8];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(parse(&ac__reader_combined, r, cases[i].line, &req, why), AC_LINE_BAD);
        assert_string_equal(why, cases[i].why);
    }
    /* The reason is cut to the buffer, and NUL-terminated. */
    assert_int_equal(ac__reader_combined.parse_line(r, "x", 1, &req, small, sizeof(small)),
                     AC_LINE_BAD);
    assert_string_equal(small, "expecte");
    /* The common reader accepts a line that ends after the byte count. */
    ac__reader_combined.destroy(r);
    r = make(&ac__reader_common, NULL);
    assert_int_equal(parse(&ac__reader_common, r, cases[9].line, &req, why), AC_LINE_REQUEST);
    assert_int_equal(req.status, 200);
    ac__reader_common.destroy(r);
}

static void test_detect(void **state)
{
    static const char combined[] = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" "
                                   "200 1 \"-\" \"curl\"";
    static const char common[] = "1.2.3.4 - bob [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" "
                                 "200 1";
    int a, b;

    (void)state;
    a = ac__reader_combined.detect(combined, strlen(combined));
    b = ac__reader_common.detect(combined, strlen(combined));
    assert_true(a > b && b > 0);
    assert_int_equal(ac__reader_combined.detect(common, strlen(common)), 0);
    assert_true(ac__reader_common.detect(common, strlen(common)) > 0);
    assert_int_equal(ac__reader_nginx.detect(combined, strlen(combined)), 0);
    assert_int_equal(ac__reader_combined.detect("", 0), 0);
    assert_int_equal(ac__reader_common.detect("#Fields: date", 13), 0);
}

static void expect_create_error(const char *spec, const char *msg)
{
    struct ac_reader *r = NULL;
    struct ac_diag d;

    ac_diag_clear(&d);
    assert_int_equal(ac__reader_nginx.create(spec, &r, &d), AC_EUSAGE);
    assert_null(r);
    assert_string_equal(d.msg, msg);
}

static void test_nginx_spec_errors(void **state)
{
    (void)state;
    expect_create_error(NULL, "nginx needs --log-format STRING");
    expect_create_error("", "nginx needs --log-format STRING");
    expect_create_error("$remote_addr $status",
                        "log_format has no $request (nor $request_method with $request_uri or "
                        "$uri)");
    expect_create_error("$remote_addr$remote_user \"$request\"",
                        "log_format: $remote_addr and the next variable need a separator between "
                        "them (column 13)");
    expect_create_error("$remote_addr $ \"$request\"",
                        "log_format: '$' without a variable name at column 14");
    expect_create_error("${request \"$status\"",
                        "log_format: '$' without a variable name at column 1");
    expect_create_error("'$remote_addr \"$request\"' '$status",
                        "log_format: unbalanced single quotes (paste the format alone, or its "
                        "quoted pieces as in nginx.conf)");
    expect_create_error("'$remote_addr \"$request\"' $status",
                        "log_format: unbalanced single quotes (paste the format alone, or its "
                        "quoted pieces as in nginx.conf)");
    expect_create_error("$request $is_args",
                        "log_format: $is_args is only understood in $uri$is_args$args");
}

static void test_nginx_formats(void **state)
{
    struct ac_reader *r;
    struct ac_request req;
    char why[128];

    (void)state;
    /* Host, method and $uri?$args as separate variables, ISO time, Authorization presence. */
    r = make(&ac__reader_nginx, "$host $remote_addr [$time_iso8601] $request_method $uri?$args "
                                "$status \"$http_authorization\" $upstream_response_time");
    assert_int_equal(
        parse(&ac__reader_nginx, r,
              "api.example.com 10.0.0.9 [2019-01-22T03:56:14+03:30] GET /v1/items?a=1&b=2 "
              "200 \"Bearer abc\" 0.012",
              &req, why),
        AC_LINE_REQUEST);
    assert_true(eq(req.host, "api.example.com"));
    assert_true(eq(req.client, "10.0.0.9"));
    assert_int_equal(req.time, 1548116774);
    assert_true(eq(req.method, "GET"));
    assert_true(eq(req.target, "/v1/items?a=1&b=2"));
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(parse(&ac__reader_nginx, r,
                           "api.example.com 10.0.0.9 [2019-01-22T03:56:14+03:30] GET /v1/items? "
                           "200 \"-\" -",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_true(eq(req.target, "/v1/items"));
    assert_int_equal(req.credentials, AC_CRED_NONE);
    assert_int_equal(parse(&ac__reader_nginx, r,
                           "api.example.com 10.0.0.9 [bad] GET /x? 200 \"-\" -", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "bad time in $time_iso8601");
    assert_int_equal(parse(&ac__reader_nginx, r,
                           "api.example.com 10.0.0.9 [2019-01-22T03:56:14Z] GET /x? 2xx \"-\" -",
                           &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a three-digit $status");
    assert_int_equal(parse(&ac__reader_nginx, r, "api.example.com 10.0.0.9", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected ' [' after $remote_addr");
    ac__reader_nginx.destroy(r);

    /* $uri$is_args$args, ${braced} names, $msec, $http_host beats $server_name, xff; a literal
     * prefix and text after the last literal. */
    r = make(&ac__reader_nginx, "ts=${msec} host=$server_name/$http_host c=$remote_addr "
                                "req=\"$request_method $uri$is_args$args\" s=$status "
                                "xff=\"$http_x_forwarded_for\" u=$remote_user;");
    assert_int_equal(parse(&ac__reader_nginx, r,
                           "ts=1548116774.123 host=_/shop.example:8443 c=::1 "
                           "req=\"PUT /cart/7?x=\\\"y\\\"\" s=201 xff=\"198.51.100.1\" u=-; "
                           "tail",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_int_equal(req.time, 1548116774);
    assert_true(eq(req.host, "shop.example:8443"));
    assert_true(eq(req.client, "::1"));
    assert_true(eq(req.method, "PUT"));
    assert_true(eq(req.target, "/cart/7?x=\\\"y\\\""));
    assert_int_equal(req.status, 201);
    assert_true(eq(req.xff, "198.51.100.1"));
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
    assert_int_equal(parse(&ac__reader_nginx, r, "x", &req, why), AC_LINE_BAD);
    assert_string_equal(why, "expected the line to start with 'ts='");
    assert_int_equal(parse(&ac__reader_nginx, r,
                           "ts=1 host=a/b c=d req=\"PUT /x s=201 xff=\"-\" u=-;", &req, why),
                     AC_LINE_BAD);
    ac__reader_nginx.destroy(r);

    /* $request "-" is not a request. */
    r = make(&ac__reader_nginx, nginx_main);
    assert_int_equal(parse(&ac__reader_nginx, r,
                           "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"-\" 400 0 \"-\" \"-\" \"-\"",
                           &req, why),
                     AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_nginx, r,
                           "1.2.3.4 - admin [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.1\" 200 0 "
                           "\"-\" \"-\" \"-\"",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(req.xff.n, 0);
    ac__reader_nginx.destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shop_combined),
        cmocka_unit_test(test_shop_nginx_main),
        cmocka_unit_test(test_shop_nginx_conf),
        cmocka_unit_test(test_access_log_common),
        cmocka_unit_test(test_bad_access_log),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_times_in_sequence),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_nginx_spec_errors),
        cmocka_unit_test(test_nginx_formats),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
