/* test_reader_logs.c - the IIS W3C, AWS ALB, Squid, HAProxy and eventlet wsgi readers on the real
 * logs of ../shared/data/traffic (every line accounted for) and on sample lines written from each
 * format's documentation; and format detection: the first lines of each log score best for its
 * own reader among all the line readers of reader_clf.c and these. */
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

extern const struct ac_reader_ops ac__reader_combined, ac__reader_common, ac__reader_w3c,
    ac__reader_alb, ac__reader_squid, ac__reader_haproxy, ac__reader_wsgi;

#define TRAFFIC AC_SHARED_DATA "/traffic/"

static struct ac_reader *make(const struct ac_reader_ops *ops)
{
    struct ac_reader *r = NULL;
    struct ac_diag d;

    ac_diag_clear(&d);
    assert_int_equal(ops->create(NULL, &r, &d), AC_OK);
    assert_non_null(r);
    return r;
}

static enum ac_line parse(const struct ac_reader_ops *ops, struct ac_reader *r, const char *line,
                          struct ac_request *req, char *why)
{
    why[0] = '\0';
    return ops->parse_line(r, line, strlen(line), req, why, 128);
}

/* --- W3C ----------------------------------------------------------------------------------- */

static void test_w3c_big(void **state)
{
    struct ac_reader *r = make(&ac__reader_w3c);
    struct ac_request req;
    size_t len, pos = 0, n, lineno = 0, requests = 0, skipped = 0;
    char *text = slurp(TRAFFIC "lnav/logfile_w3c_big.0", &len);
    const char *line;
    char why[128];
    enum ac_line got;

    (void)state;
    while (next_line(text, len, &pos, &line, &n)) {
        lineno++;
        got = ac__reader_w3c.parse_line(r, line, n, &req, why, sizeof(why));
        if (line[0] == '#') {
            assert_int_equal(got, AC_LINE_SKIP);
            skipped++;
            continue;
        }
        assert_int_equal(got, AC_LINE_REQUEST);
        requests++;
        assert_true(eq(req.method, "GET"));
        assert_true(req.target.n > 0 && req.target.p[0] == '/');
        assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
        assert_true(req.time >= 1421107200 && req.time < 1421107200 + 86400);
        if (lineno == 5) {
            assert_true(eq(req.target, "/robots.txt"));
            assert_int_equal(req.status, 404);
            assert_true(eq(req.client, "157.55.39.146"));
            assert_int_equal(req.time, 1421109137);
            assert_int_equal(req.host.n, 0);
        } else if (lineno == 140) {
            /* The query is its own column: the target is the stem. */
            assert_true(eq(req.target, "/index.php"));
            assert_true(eq(req.client, "183.60.244.30"));
            assert_int_equal(req.time, 1421107200 + 22 * 3600 + 30 * 60 + 11);
        }
    }
    assert_int_equal(requests, 210);
    assert_int_equal(skipped, 44);
    ac__reader_w3c.destroy(r);
    free(text);
}

static void test_w3c_header_state(void **state)
{
    struct ac_reader *r = make(&ac__reader_w3c);
    struct ac_request req;
    char why[128];

    (void)state;
    /* Before any #Fields, the IIS default field list. */
    assert_int_equal(parse(&ac__reader_w3c, r,
                           "2024-03-01 10:00:00 10.0.0.5 POST /api/v2/orders id=7 443 bob "
                           "203.0.113.9 curl/8.0 - 201 0 0 15",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_true(eq(req.method, "POST"));
    assert_true(eq(req.target, "/api/v2/orders"));
    assert_true(eq(req.client, "203.0.113.9"));
    assert_int_equal(req.status, 201);
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(req.time, 1709287200);
    /* A custom header: no date column (the #Date directive gives it), host, X-Forwarded-For,
     * no username column (credentials unknown), tabs. */
    assert_int_equal(parse(&ac__reader_w3c, r, "#Date: 2024-03-02 00:00:00", &req, why),
                     AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_w3c, r,
                           "#Fields: time c-ip cs-method cs-uri-stem sc-status cs(Host) "
                           "cs(X-Forwarded-For)",
                           &req, why),
                     AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_w3c, r,
                           "01:02:03\t10.1.1.1\tGET\t/health\t200\tapi.example.com\t198.51.100.4",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_int_equal(req.time, 1709337600 + 3723);
    assert_true(eq(req.host, "api.example.com"));
    assert_true(eq(req.xff, "198.51.100.4"));
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
    assert_int_equal(parse(&ac__reader_w3c, r, "01:02:03 10.1.1.1 GET /h 200 - -", &req, why),
                     AC_LINE_REQUEST);
    assert_int_equal(req.host.n, 0);
    assert_int_equal(req.xff.n, 0);
    /* Bad lines. */
    assert_int_equal(parse(&ac__reader_w3c, r, "01:02:03 10.1.1.1 GET", &req, why), AC_LINE_BAD);
    assert_string_equal(why, "expected 7 fields (see #Fields), found 3");
    assert_int_equal(parse(&ac__reader_w3c, r, "01:02:03 10.1.1.1 GET /h 2000 - -", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a three-digit sc-status");
    assert_int_equal(parse(&ac__reader_w3c, r, "25:02:03 10.1.1.1 GET /h 200 - -", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a date like 2015-01-13 and a time like 00:32:17");
    assert_int_equal(parse(&ac__reader_w3c, r, "01:02:03 10.1.1.1 - /h 200 - -", &req, why),
                     AC_LINE_BAD);
    assert_int_equal(parse(&ac__reader_w3c, r, "#Fields: date time c-ip", &req, why), AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_w3c, r, "2024-03-02 01:02:03 10.1.1.1", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "the #Fields header has no cs-method or no cs-uri-stem");
    assert_int_equal(parse(&ac__reader_w3c, r, "", &req, why), AC_LINE_SKIP);
    /* Quoted string values, with "" for a quote. */
    assert_int_equal(parse(&ac__reader_w3c, r,
                           "#Fields: date time cs(User-Agent) cs-method cs-uri-stem cs-username",
                           &req, why),
                     AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_w3c, r,
                           "2024-03-02 01:02:03 \"Mozilla/5.0 (X11; \"\"Q\"\")\" GET "
                           "\"/a b\" \"DOMAIN\\alice\"",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_true(eq(req.target, "/a b"));
    assert_true(eq(req.method, "GET"));
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(
        parse(&ac__reader_w3c, r, "2024-03-02 01:02:03 \"unterminated GET /x -", &req, why),
        AC_LINE_BAD);
    ac__reader_w3c.destroy(r);
}

/* --- ALB ----------------------------------------------------------------------------------- */

/* Written from the examples of AWS's "Access logs for your Application Load Balancer". */
static const char *const alb_lines[] = {
    "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 "
    "10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" "
    "\"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/"
    "my-targets/73e2d6bc24d8a067 \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 "
    "2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\"",
    "https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 "
    "10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 \"GET https://www.example.com:443/api/v2/users/"
    "42?fields=name HTTP/1.1\" \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
    "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
    "\"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"www.example.com\" "
    "\"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012\" 1 "
    "2018-07-02T22:22:48.364000Z \"authenticate,forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" "
    "\"-\" \"-\" TID_1234abcd5678ef90",
    "h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.1.252:48160 "
    "10.0.0.66:9000 0.000 0.002 0.000 200 200 5 257 \"GET https://10.0.2.105:773/ HTTP/2.0\" "
    "\"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:"
    "123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
    "\"Root=1-58337327-72bd00b0343d75b906739c42\" \"-\" \"-\" 1 2018-07-02T22:22:48.364000Z "
    "\"redirect\" \"https://example.com:80/\" \"-\" \"10.0.0.66:9000\" \"200\" \"-\" \"-\"",
    "ws 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:40914 "
    "10.0.1.192:8010 0.001 0.003 0.000 101 101 218 587 \"GET http://10.0.0.30:80/ HTTP/1.1\" "
    "\"-\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/"
    "73e2d6bc24d8a067 \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 1 "
    "2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"10.0.1.192:8010\" \"101\" \"-\" \"-\"",
    "http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 2001:db8::10:2817 - "
    "0.000 0.001 0.000 502 - 34 366 \"POST http://www.example.com:80/orders HTTP/1.1\" "
    "\"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/"
    "my-targets/73e2d6bc24d8a067 \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0 "
    "2018-11-30T22:22:48.364000Z \"forward\" \"-\" \"LambdaInvalidResponse\" \"-\" \"-\" \"-\" "
    "\"-\"",
    /* A request the load balancer could not parse. */
    "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 "
    "- -1 -1 -1 400 - 0 0 \"- http://www.example.com:80- -\" \"-\" - - - \"-\" \"-\" \"-\" - "
    "2018-07-02T22:22:48.364000Z \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\"",
    /* Classic ELB: no type field. */
    "2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 "
    "0.001048 0.000057 200 200 0 29 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" "
    "- -",
};

static void test_alb(void **state)
{
    struct ac_reader *r = make(&ac__reader_alb);
    struct ac_request req;
    char why[128];

    (void)state;
    assert_int_equal(parse(&ac__reader_alb, r, alb_lines[0], &req, why), AC_LINE_REQUEST);
    assert_int_equal(req.time, 1530570180);
    assert_true(eq(req.client, "192.168.131.39"));
    assert_true(eq(req.method, "GET"));
    assert_true(eq(req.target, "http://www.example.com:80/"));
    assert_true(eq(req.host, "www.example.com:80"));
    assert_int_equal(req.status, 200);
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
    assert_int_equal(parse(&ac__reader_alb, r, alb_lines[1], &req, why), AC_LINE_REQUEST);
    assert_true(eq(req.target, "https://www.example.com:443/api/v2/users/42?fields=name"));
    assert_true(eq(req.host, "www.example.com:443"));
    assert_int_equal(parse(&ac__reader_alb, r, alb_lines[2], &req, why), AC_LINE_REQUEST);
    assert_true(eq(req.host, "10.0.2.105:773"));
    assert_true(eq(req.client, "10.0.1.252"));
    assert_int_equal(parse(&ac__reader_alb, r, alb_lines[3], &req, why), AC_LINE_REQUEST);
    assert_int_equal(req.status, 101);
    /* The status the client got is elb_status_code; IPv6 client without its port. */
    assert_int_equal(parse(&ac__reader_alb, r, alb_lines[4], &req, why), AC_LINE_REQUEST);
    assert_int_equal(req.status, 502);
    assert_true(eq(req.method, "POST"));
    assert_true(eq(req.client, "2001:db8::10"));
    assert_int_equal(parse(&ac__reader_alb, r, alb_lines[5], &req, why), AC_LINE_SKIP);
    assert_string_equal(why, "no request (ALB could not parse it)");
    assert_int_equal(parse(&ac__reader_alb, r, alb_lines[6], &req, why), AC_LINE_REQUEST);
    assert_int_equal(req.time, 1431560383);
    assert_true(eq(req.host, "www.example.com:80"));
    assert_true(eq(req.client, "192.168.131.39"));
    /* Bad lines. */
    assert_int_equal(
        parse(&ac__reader_alb, r, "http 2018-07-02T22:23:00Z app/x 1.2.3.4:5", &req, why),
        AC_LINE_BAD);
    assert_string_equal(why, "expected at least 12 fields through the quoted request");
    assert_int_equal(parse(&ac__reader_alb, r,
                           "http yesterday app/x 1.2.3.4:5 - 0 0 0 200 200 1 1 \"GET http://h/ "
                           "HTTP/1.1\" \"-\"",
                           &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a time like 2018-07-02T22:23:00.186641Z");
    assert_int_equal(parse(&ac__reader_alb, r,
                           "http 2018-07-02T22:23:00Z app/x 1.2.3.4:5 - 0 0 0 OK 200 1 1 \"GET "
                           "http://h/ HTTP/1.1\" \"-\"",
                           &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a three-digit elb_status_code");
    assert_int_equal(parse(&ac__reader_alb, r,
                           "http 2018-07-02T22:23:00Z app/x 1.2.3.4:5 - 0 0 0 200 200 1 1 \"GET "
                           "http://h/ HTTP/1.1",
                           &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "unterminated quoted field");
    ac__reader_alb.destroy(r);
}

/* --- Squid --------------------------------------------------------------------------------- */

static const char *const squid_lines[] = {
    "1286536309.586    921 192.168.0.68 TCP_MISS/200 507 GET http://www.google.com/ - "
    "DIRECT/74.125.230.114 text/html",
    "1286536308.779    180 192.168.0.68 TCP_MISS/200 411 GET http://www.google.com/complete/"
    "search?hl=en&q=x - DIRECT/74.125.230.116 text/javascript",
    "1286536310.112   3521 192.168.0.68 TCP_TUNNEL/200 5120 CONNECT api.stripe.com:443 alice "
    "HIER_DIRECT/54.187.174.169 -",
    "1286536311.000      0 192.168.0.70 TCP_DENIED/407 3924 GET http://u:p@partner.example.net/"
    "v1/orders - HIER_NONE/- text/html",
    "1286536312.500      0 192.168.0.71 NONE/400 3900 NONE error:invalid-request - HIER_NONE/- "
    "text/html",
    "1286536313.500      0 192.168.0.71 TAG_NONE/000 0 - error:transaction-end-before-headers - "
    "HIER_NONE/- -",
};

static void test_squid(void **state)
{
    struct ac_reader *r = make(&ac__reader_squid);
    struct ac_request req;
    char why[128];

    (void)state;
    assert_int_equal(parse(&ac__reader_squid, r, squid_lines[0], &req, why), AC_LINE_REQUEST);
    assert_int_equal(req.time, 1286536309);
    assert_true(eq(req.client, "192.168.0.68"));
    assert_int_equal(req.status, 200);
    assert_true(eq(req.method, "GET"));
    assert_true(eq(req.target, "http://www.google.com/"));
    assert_true(eq(req.host, "www.google.com"));
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
    assert_int_equal(parse(&ac__reader_squid, r, squid_lines[1], &req, why), AC_LINE_REQUEST);
    assert_true(eq(req.target, "http://www.google.com/complete/search?hl=en&q=x"));
    /* CONNECT: the authority is the host; a user means credentials. */
    assert_int_equal(parse(&ac__reader_squid, r, squid_lines[2], &req, why), AC_LINE_REQUEST);
    assert_true(eq(req.method, "CONNECT"));
    assert_true(eq(req.target, "api.stripe.com:443"));
    assert_true(eq(req.host, "api.stripe.com:443"));
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    /* Userinfo in the URL is not part of the host. */
    assert_int_equal(parse(&ac__reader_squid, r, squid_lines[3], &req, why), AC_LINE_REQUEST);
    assert_int_equal(req.status, 407);
    assert_true(eq(req.host, "partner.example.net"));
    assert_int_equal(parse(&ac__reader_squid, r, squid_lines[4], &req, why), AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_squid, r, squid_lines[5], &req, why), AC_LINE_SKIP);
    assert_string_equal(why, "no request (Squid logged a transaction without one)");
    /* Bad lines. */
    assert_int_equal(parse(&ac__reader_squid, r, "not a squid line", &req, why), AC_LINE_BAD);
    assert_int_equal(parse(&ac__reader_squid, r,
                           "yesterday 921 1.2.3.4 TCP_MISS/200 5 GET http://x/ -", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a Unix time like 1286536309.586");
    assert_int_equal(parse(&ac__reader_squid, r,
                           "1286536309.586 921 1.2.3.4 TCP_MISS 5 GET http://x/ -", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a result code like TCP_MISS/200");
    ac__reader_squid.destroy(r);
}

/* --- HAProxy ------------------------------------------------------------------------------- */

static void test_haproxy_file(void **state)
{
    struct ac_reader *r = make(&ac__reader_haproxy);
    struct ac_request req;
    size_t len, pos = 0, n, lineno = 0, requests = 0;
    char *text = slurp(TRAFFIC "lnav/logfile_haproxy.0", &len);
    const char *line;
    char why[128];
    enum ac_line got;

    (void)state;
    while (next_line(text, len, &pos, &line, &n)) {
        lineno++;
        got = ac__reader_haproxy.parse_line(r, line, n, &req, why, sizeof(why));
        /* Lines 1-3 are "Proxy x started.", line 14 an SSL handshake failure. */
        if (lineno <= 3 || lineno == 14) {
            assert_int_equal(got, AC_LINE_SKIP);
            continue;
        }
        assert_int_equal(got, AC_LINE_REQUEST);
        requests++;
        assert_int_equal(req.status, 200);
        assert_true(req.time >= 1551111588 && req.time < 1551111588 + 60);
        if (lineno == 4) {
            assert_true(eq(req.client, "141.35.244.171"));
            assert_int_equal(req.time, 1551111588);
            assert_true(eq(req.method, "GET"));
            assert_true(eq(req.target, "/admin/colt/administration?survey=130&input_stats=1&ajax=1"
                                       "&&ajax=1&refresh=1&ihandle=1"));
        } else if (lineno == 5) {
            assert_true(eq(req.method, "POST"));
            assert_true(eq(req.client, "92.193.212.151"));
        } else if (lineno == 17) {
            assert_true(eq(req.target, "/media/core/core.css?1550939640"));
        }
    }
    assert_int_equal(lineno, 17);
    assert_int_equal(requests, 13);
    ac__reader_haproxy.destroy(r);
    free(text);
}

static void test_haproxy_lines(void **state)
{
    struct ac_reader *r = make(&ac__reader_haproxy);
    struct ac_request req;
    char why[128];

    (void)state;
    /* Logging to stdout: no syslog prefix; an IPv6 client; status -1. */
    assert_int_equal(
        parse(&ac__reader_haproxy, r,
              "2001:db8::7:5000 [25/Feb/2019:16:20:12.331] fe be/s 0/0/0/-1/1 -1 0 - - "
              "CD-- 1/1/0/0/0 0/0 \"POST /api/v2/orders HTTP/1.1\"",
              &req, why),
        AC_LINE_REQUEST);
    assert_true(eq(req.client, "2001:db8::7"));
    assert_int_equal(req.status, 0);
    assert_true(eq(req.target, "/api/v2/orders"));
    /* TCP mode and <BADREQ> carry no request. */
    assert_int_equal(
        parse(&ac__reader_haproxy, r,
              "Feb 25 16:20:18 lb haproxy[7]: 10.0.0.1:5000 [25/Feb/2019:16:20:12.331] "
              "ssh_in ssh_back/git 1/0/5007 212 -- 1/1/1/1/0 0/0",
              &req, why),
        AC_LINE_SKIP);
    assert_string_equal(why, "not an HTTP log line (no quoted request)");
    assert_int_equal(
        parse(&ac__reader_haproxy, r,
              "10.0.0.1:5000 [25/Feb/2019:16:20:12.331] fe fe/<NOSRV> -1/-1/-1/-1/0 400 "
              "187 - - PR-- 1/1/0/0/0 0/0 \"<BADREQ>\"",
              &req, why),
        AC_LINE_SKIP);
    /* A request cut by the syslog line limit, and a broken status. */
    assert_int_equal(parse(&ac__reader_haproxy, r,
                           "10.0.0.1:5000 [25/Feb/2019:16:20:12.331] fe be/s 0/0/0/1/1 200 5 - - "
                           "---- 1/1/0/0/0 0/0 \"GET /very/long/path",
                           &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "unterminated request (line cut short?)");
    assert_int_equal(parse(&ac__reader_haproxy, r,
                           "10.0.0.1:5000 [25/Feb/2019:16:20:12.331] fe be/s 0/0/0/1/1 OK 5 - - "
                           "---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
                           &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected a three-digit status after the timers");
    assert_int_equal(parse(&ac__reader_haproxy, r,
                           "10.0.0.1:5000 [25/Feb/2019:16:20:12.331] fe \"GET / HTTP/1.1\"", &req,
                           why),
                     AC_LINE_BAD);
    assert_int_equal(parse(&ac__reader_haproxy, r, "", &req, why), AC_LINE_SKIP);
    ac__reader_haproxy.destroy(r);
}

/* --- wsgi ---------------------------------------------------------------------------------- */

static void test_openstack(void **state)
{
    struct ac_reader *r = make(&ac__reader_wsgi);
    struct ac_request req;
    size_t len, pos = 0, n, lineno = 0, requests = 0, skipped = 0;
    char *text = slurp(TRAFFIC "loghub/OpenStack_2k.log", &len);
    const char *line;
    char why[128];
    enum ac_line got;

    (void)state;
    while (next_line(text, len, &pos, &line, &n)) {
        lineno++;
        got = ac__reader_wsgi.parse_line(r, line, n, &req, why, sizeof(why));
        assert_int_not_equal(got, AC_LINE_BAD);
        if (got == AC_LINE_SKIP) {
            skipped++;
            continue;
        }
        requests++;
        assert_true(req.status >= 200 && req.status < 600);
        assert_true(req.time >= 1494892800 && req.time < 1494892800 + 86400);
        assert_true(req.target.n > 0 && req.target.p[0] == '/');
        if (lineno == 1) {
            assert_true(eq(req.client, "10.11.10.1"));
            assert_int_equal(req.xff.n, 0);
            assert_true(eq(req.method, "GET"));
            assert_true(eq(req.target, "/v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail"));
            assert_int_equal(req.status, 200);
            assert_int_equal(req.time, 1494892800);
        } else if (lineno == 41) {
            /* The metadata service logs "forwarded-for,peer". */
            assert_true(eq(req.client, "10.11.10.1"));
            assert_true(eq(req.xff, "10.11.21.122"));
            assert_true(eq(req.target, "/openstack/2012-08-10/meta_data.json"));
        }
    }
    /* grep -c '"[A-Z]* [^"]* HTTP/[0-9.]*" status: ' OpenStack_2k.log */
    assert_int_equal(requests, 1017);
    assert_int_equal(requests + skipped, 2000);
    ac__reader_wsgi.destroy(r);
    free(text);
}

static void test_wsgi_lines(void **state)
{
    struct ac_reader *r = make(&ac__reader_wsgi);
    struct ac_request req;
    char why[128];

    (void)state;
    assert_int_equal(parse(&ac__reader_wsgi, r,
                           "2017-05-16 00:00:00.008 1 INFO x.wsgi.server [-] 10.0.0.1 "
                           "\"GET /a \"b\" HTTP/1.1\" status: 404 len: 1 time: 0.1",
                           &req, why),
                     AC_LINE_REQUEST);
    assert_true(eq(req.target, "/a \"b\""));
    assert_int_equal(req.status, 404);
    /* No time anywhere: unknown. */
    assert_int_equal(
        parse(&ac__reader_wsgi, r, "x 10.0.0.1 \"DELETE /v1/x HTTP/1.1\" status: 204", &req, why),
        AC_LINE_REQUEST);
    assert_int_equal(req.time, -1);
    assert_int_equal(
        parse(&ac__reader_wsgi, r, "x 10.0.0.1 \"GET / HTTP/1.1\" status: 2x", &req, why),
        AC_LINE_BAD);
    assert_string_equal(why, "expected a three-digit status after 'status:'");
    assert_int_equal(parse(&ac__reader_wsgi, r, "\"GET / HTTP/1.1\" status: 200", &req, why),
                     AC_LINE_BAD);
    assert_string_equal(why, "expected the client address before the request");
    assert_int_equal(parse(&ac__reader_wsgi, r, "x 1.2.3.4 \"GET / HTTP/1.1\" 200", &req, why),
                     AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_wsgi, r, "x 1.2.3.4 \"-\" status: 400", &req, why),
                     AC_LINE_SKIP);
    ac__reader_wsgi.destroy(r);
}

/* --- detection ----------------------------------------------------------------------------- */

static const struct ac_reader_ops *const line_readers[] = {
    &ac__reader_combined, &ac__reader_common,  &ac__reader_alb,  &ac__reader_w3c,
    &ac__reader_squid,    &ac__reader_haproxy, &ac__reader_wsgi,
};
#define NREADERS (sizeof(line_readers) / sizeof(line_readers[0]))

/* The reader scoring best over the lines (ties to the earlier), or NULL when none scores. */
static const struct ac_reader_ops *best(const char *const *lines, const size_t *lens, size_t n)
{
    const struct ac_reader_ops *b = NULL;
    long top = 0, score;
    size_t i, k;

    for (i = 0; i < NREADERS; i++) {
        score = 0;
        for (k = 0; k < n; k++)
            score += line_readers[i]->detect(lines[k], lens[k]);
        if (score > top) {
            top = score;
            b = line_readers[i];
        }
    }
    return b;
}

static void expect_file(const char *path, const struct ac_reader_ops *want)
{
    const char *lines[10];
    size_t lens[10], len, pos = 0, n = 0;
    char *text = slurp(path, &len);

    while (n < 10 && next_line(text, len, &pos, &lines[n], &lens[n]))
        n++;
    assert_ptr_equal(best(lines, lens, n), want);
    free(text);
}

static void expect_lines(const char *const *lines, size_t n, const struct ac_reader_ops *want)
{
    size_t lens[16], i;

    for (i = 0; i < n; i++)
        lens[i] = strlen(lines[i]);
    assert_ptr_equal(best(lines, lens, n), want);
}

static void test_detect(void **state)
{
    static const char *const common[] = {
        "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
        "127.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET /api/v1/x HTTP/1.0\" 404 -",
    };
    static const char *const nothing[] = {"hello world", "", "{\"json\": true}"};
    size_t i;

    (void)state;
    expect_file(TRAFFIC "lnav/logfile_shop_access_log.0", &ac__reader_combined);
    expect_file(TRAFFIC "lnav/logfile_access_log.0", &ac__reader_combined);
    expect_file(TRAFFIC "lnav/logfile_bad_access_log.0", &ac__reader_combined);
    expect_file(TRAFFIC "lnav/logfile_w3c_big.0", &ac__reader_w3c);
    expect_file(TRAFFIC "lnav/logfile_haproxy.0", &ac__reader_haproxy);
    expect_file(TRAFFIC "loghub/OpenStack_2k.log", &ac__reader_wsgi);
    expect_file(TRAFFIC "zeek/lnav-bro-http.log", NULL);
    expect_lines(alb_lines, sizeof(alb_lines) / sizeof(alb_lines[0]), &ac__reader_alb);
    expect_lines(squid_lines, sizeof(squid_lines) / sizeof(squid_lines[0]), &ac__reader_squid);
    expect_lines(common, 2, &ac__reader_common);
    expect_lines(nothing, 3, NULL);
    /* A single line of each is enough, too. */
    for (i = 0; i < 4; i++)
        expect_lines(alb_lines + i, 1, &ac__reader_alb);
    expect_lines(squid_lines, 1, &ac__reader_squid);
    expect_lines(common, 1, &ac__reader_common);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_w3c_big),      cmocka_unit_test(test_w3c_header_state),
        cmocka_unit_test(test_alb),          cmocka_unit_test(test_squid),
        cmocka_unit_test(test_haproxy_file), cmocka_unit_test(test_haproxy_lines),
        cmocka_unit_test(test_openstack),    cmocka_unit_test(test_wsgi_lines),
        cmocka_unit_test(test_detect),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
