/* test_reader_json.c - the JSON-lines readers: the field map, its presets and detection.
 *
 * What a user notices: Caddy's real log gives exactly its access records with the right fields
 * and skips its start-up messages; lines in the documented shapes of nginx JSON, Envoy and
 * Traefik read; a custom field map works and a bad one is refused with a clear message; bad
 * lines are reported with a reason instead of stopping the stream; each preset is detected on
 * its own lines.
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

extern const struct ac_reader_ops ac__reader_json, ac__reader_nginx_json, ac__reader_envoy,
    ac__reader_caddy, ac__reader_traefik, ac__reader_zeek_json;

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

/* Parse one line that must be a request. */
static void parse_req(const struct ac_reader_ops *ops, struct ac_reader *r, const char *line,
                      struct ac_request *req)
{
    enum ac_line res = parse(ops, r, line, req);

    if (res != AC_LINE_REQUEST)
        print_error("line not a request (%d: %s): %s\n", (int)res, why, line);
    assert_int_equal(res, AC_LINE_REQUEST);
}

/* --- Caddy on the real log ------------------------------------------------------------------- */

static void test_caddy_real_log(void **state)
{
    static const struct {
        unsigned line;
        int64_t time;
        const char *uri;
        int status;
    } want[] = {{16, 1761019828, "/", 304},
                {37, 1761019859, "/", 304},
                {38, 1761019942, "/", 304},
                {39, 1761019957, "/index.html", 200}};
    struct ac_reader *r = make(&ac__reader_caddy, NULL);
    size_t len, nreq = 0, nskip = 0;
    char *text = slurp(AC_SHARED_DATA "/traffic/lnav/logfile_caddy_log.0", &len);
    char *p = text, *nl;
    unsigned lineno = 0;
    struct ac_request req;
    enum ac_line res;

    (void)state;
    for (; p < text + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(text + len - p));
        if (nl == NULL)
            nl = text + len;
        lineno++;
        res = ac__reader_caddy.parse_line(r, p, (size_t)(nl - p), &req, why, sizeof(why));
        assert_int_not_equal(res, AC_LINE_BAD);
        if (res == AC_LINE_SKIP) {
            nskip++;
            continue;
        }
        assert_true(nreq < 4);
        assert_int_equal(lineno, want[nreq].line);
        expect_slice(req.method, "GET");
        expect_slice(req.target, want[nreq].uri);
        expect_slice(req.host, "localhost");
        expect_slice(req.client, "172.19.0.1");
        assert_int_equal(req.status, want[nreq].status);
        assert_int_equal(req.time, want[nreq].time);
        assert_int_equal(req.credentials, AC_CRED_PRESENT); /* "Cookie":["REDACTED"] */
        assert_int_equal(req.resp_headers, AC_HDR_KNOWN);
        expect_slice(req.server, "Caddy");
        assert_int_equal(req.xff.n, 0);
        nreq++;
    }
    assert_int_equal(nreq, 4);
    assert_int_equal(nskip, 35);
    ac__reader_caddy.destroy(r);
    free(text);
}

static void test_caddy_written(void **state)
{
    struct ac_reader *r = make(&ac__reader_caddy, NULL);
    struct ac_request req;

    (void)state;
    /* no prefix, no credentials (headers logged without any), rate-limit and deprecation seen */
    parse_req(&ac__reader_caddy, r,
              "{\"level\":\"info\",\"ts\":1761019828.5,\"logger\":\"http.log.access.log0\","
              "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"10.0.0.9\","
              "\"client_ip\":\"203.0.113.5\",\"proto\":\"HTTP/2.0\",\"method\":\"POST\","
              "\"host\":\"api.example.com:8443\",\"uri\":\"/v1/orders?page=2\",\"headers\":{"
              "\"User-Agent\":[\"curl/8\"],\"X-Forwarded-For\":[\"198.51.100.1, 10.0.0.1\"]}},"
              "\"user_id\":\"\",\"status\":201,\"resp_headers\":{\"Deprecation\":[\"true\"],"
              "\"X-Ratelimit-Remaining\":[\"9\"],\"Location\":[\"/v1/orders/7\"],"
              "\"X-Powered-By\":[\"Express\"]}}\r",
              &req);
    expect_slice(req.method, "POST");
    expect_slice(req.target, "/v1/orders?page=2");
    expect_slice(req.host, "api.example.com:8443");
    expect_slice(req.client, "203.0.113.5"); /* client_ip wins over remote_ip */
    expect_slice(req.xff, "198.51.100.1, 10.0.0.1");
    assert_int_equal(req.status, 201);
    assert_int_equal(req.time, 1761019828);
    assert_int_equal(req.credentials, AC_CRED_NONE);
    assert_int_equal(req.resp_headers,
                     AC_HDR_KNOWN | AC_HDR_DEPRECATION | AC_HDR_RATELIMIT | AC_HDR_LOCATION);
    expect_slice(req.powered, "Express");
    assert_int_equal(req.server.n, 0);

    /* an Authorization header in any case, remote_ip when client_ip is absent */
    parse_req(&ac__reader_caddy, r,
              "web-1  | {\"ts\":1700000000,\"request\":{\"remote_ip\":\"10.1.1.1\",\"method\":"
              "\"GET\",\"host\":\"h\",\"uri\":\"/\",\"headers\":{\"authorization\":[\"Bearer x\"]"
              "}},\"status\":\"200\"}",
              &req);
    expect_slice(req.client, "10.1.1.1");
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(req.status, 200);

    /* a user override of the preset: the host from a forwarded header */
    ac__reader_caddy.destroy(r);
    r = make(&ac__reader_caddy, "host=request.headers.X-Forwarded-Host|request.host");
    parse_req(&ac__reader_caddy, r,
              "{\"ts\":1700000000,\"request\":{\"method\":\"GET\",\"host\":\"internal\",\"uri\":"
              "\"/\",\"headers\":{\"X-Forwarded-Host\":[\"shop.example.com\"]}},\"status\":200}",
              &req);
    expect_slice(req.host, "shop.example.com");
    ac__reader_caddy.destroy(r);
}

/* --- nginx JSON ------------------------------------------------------------------------------ */

static void test_nginx_json(void **state)
{
    struct ac_reader *r = make(&ac__reader_nginx_json, NULL);
    struct ac_request req;

    (void)state;
    /* the classic json_combined of escape=json: request line, time_local, status as a string */
    parse_req(&ac__reader_nginx_json, r,
              "{\"time_local\":\"10/Oct/2000:13:55:36 -0700\",\"remote_addr\":\"192.0.2.7\","
              "\"remote_user\":\"frank\",\"request\":\"GET /apache_pb.gif?x=1 HTTP/1.0\","
              "\"status\": \"200\",\"body_bytes_sent\":\"2326\",\"request_time\":\"0.001\","
              "\"http_referrer\":\"\",\"http_user_agent\":\"curl\",\"http_x_forwarded_for\":"
              "\"203.0.113.9\"}",
              &req);
    expect_slice(req.method, "GET");
    expect_slice(req.target, "/apache_pb.gif?x=1");
    expect_slice(req.client, "192.0.2.7");
    expect_slice(req.xff, "203.0.113.9");
    assert_int_equal(req.time, 971211336);
    assert_int_equal(req.status, 200);
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(req.host.n, 0);
    assert_int_equal(req.resp_headers, 0);

    /* time_iso8601, request_method + request_uri, host, numeric status, "-" user and xff */
    parse_req(&ac__reader_nginx_json, r,
              "{\"time_iso8601\":\"2019-01-22T03:56:14+00:00\",\"remote_addr\":\"10.0.0.1\","
              "\"remote_user\":\"-\",\"host\":\"api.example.com\",\"request_method\":\"DELETE\","
              "\"request_uri\":\"/v2/items/9\",\"status\":204,\"http_x_forwarded_for\":\"-\"}",
              &req);
    expect_slice(req.method, "DELETE");
    expect_slice(req.target, "/v2/items/9");
    expect_slice(req.host, "api.example.com");
    assert_int_equal(req.time, 1548129374);
    assert_int_equal(req.status, 204);
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN); /* no user name says nothing of tokens */
    assert_int_equal(req.xff.n, 0);

    /* $uri + $args, $msec, a logged but empty $http_authorization means no credentials */
    parse_req(&ac__reader_nginx_json, r,
              "{\"msec\":\"1548129374.123\",\"request_method\":\"GET\",\"uri\":\"/search\","
              "\"args\":\"q=x&page=2\",\"status\":\"200\",\"http_authorization\":\"\"}",
              &req);
    expect_slice(req.target, "/search?q=x&page=2");
    assert_int_equal(req.time, 1548129374);
    assert_int_equal(req.credentials, AC_CRED_NONE);

    /* nginx logs "" for connections closed before a request: not a request, not bad */
    assert_int_equal(parse(&ac__reader_nginx_json, r,
                           "{\"time_local\":\"10/Oct/2000:13:55:36 -0700\",\"remote_addr\":"
                           "\"192.0.2.7\",\"request\":\"\",\"status\":\"400\"}",
                           &req),
                     AC_LINE_SKIP);
    /* TLS bytes sent to a plain port give a request line that is not one */
    assert_int_equal(parse(&ac__reader_nginx_json, r,
                           "{\"request\":\"\\u0016\\u0003\\u0001\",\"status\":\"400\"}", &req),
                     AC_LINE_BAD);
    assert_non_null(strstr(why, "is not 'METHOD TARGET"));
    ac__reader_nginx_json.destroy(r);
}

/* --- Envoy ----------------------------------------------------------------------------------- */

static void test_envoy(void **state)
{
    struct ac_reader *r = make(&ac__reader_envoy, NULL);
    struct ac_request req;

    (void)state;
    /* the keys of Envoy's documented default format, written as JSON */
    parse_req(&ac__reader_envoy, r,
              "{\"start_time\":\"2024-01-15T09:30:45.123Z\",\"method\":\"PUT\",\"path\":"
              "\"/internal/v1/users/42\",\"x-envoy-original-path\":\"/v1/users/42\","
              "\"protocol\":\"HTTP/1.1\",\"response_code\":\"200\",\"response_flags\":\"-\","
              "\"bytes_received\":12,\"bytes_sent\":0,\"duration\":3,"
              "\"upstream_service_time\":\"2\",\"x-forwarded-for\":\"198.51.100.4\","
              "\"user-agent\":\"okhttp\",\"request_id\":\"abc\",\"authority\":"
              "\"users.example.com\",\"upstream_host\":\"10.0.0.3:8080\","
              "\"downstream_remote_address\":\"10.0.0.2:51234\"}",
              &req);
    expect_slice(req.method, "PUT");
    expect_slice(req.target, "/v1/users/42"); /* the original path, as the client sent it */
    expect_slice(req.host, "users.example.com");
    expect_slice(req.client, "10.0.0.2:51234");
    expect_slice(req.xff, "198.51.100.4");
    assert_int_equal(req.status, 200);
    assert_int_equal(req.time, 1705311045);
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);

    /* unset values are null in typed JSON: path falls back, xff stays empty, status 0 */
    parse_req(&ac__reader_envoy, r,
              "{\"start_time\":\"2024-01-15T09:30:45Z\",\"method\":\"GET\",\"path\":\"/h\","
              "\"x-envoy-original-path\":null,\"response_code\":0,\"x-forwarded-for\":null,"
              "\"authority\":\"a\"}",
              &req);
    expect_slice(req.target, "/h");
    assert_int_equal(req.status, 0);
    assert_int_equal(req.xff.n, 0);

    /* no request at all (a TCP reset before headers): method and path unset */
    assert_int_equal(parse(&ac__reader_envoy, r,
                           "{\"start_time\":\"2024-01-15T09:30:45Z\",\"method\":\"-\",\"path\":"
                           "\"-\",\"response_code\":0}",
                           &req),
                     AC_LINE_SKIP);
    ac__reader_envoy.destroy(r);
}

/* --- Traefik --------------------------------------------------------------------------------- */

static void test_traefik(void **state)
{
    struct ac_reader *r = make(&ac__reader_traefik, NULL);
    struct ac_request req;

    (void)state;
    parse_req(&ac__reader_traefik, r,
              "{\"ClientAddr\":\"192.168.1.10:54321\",\"ClientHost\":\"192.168.1.10\","
              "\"ClientPort\":\"54321\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":512,"
              "\"DownstreamStatus\":429,\"Duration\":1000,\"OriginContentSize\":0,"
              "\"OriginDuration\":0,\"OriginStatus\":0,\"Overhead\":1000,\"RequestAddr\":"
              "\"api.example.com\",\"RequestContentSize\":0,\"RequestCount\":7,\"RequestHost\":"
              "\"api.example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/v1/users?page=2\","
              "\"RequestPort\":\"-\",\"RequestProtocol\":\"HTTP/1.1\",\"RequestScheme\":\"https\","
              "\"RetryAttempts\":0,\"RouterName\":\"api@docker\",\"StartLocal\":"
              "\"2024-01-15T10:30:45.123456789+01:00\",\"StartUTC\":"
              "\"2024-01-15T09:30:45.123456789Z\",\"entryPointName\":\"websecure\",\"level\":"
              "\"info\",\"msg\":\"\",\"request_Authorization\":\"REDACTED\","
              "\"request_X-Forwarded-For\":\"203.0.113.7\",\"downstream_Retry-After\":\"30\","
              "\"downstream_Content-Type\":\"application/json\",\"time\":"
              "\"2024-01-15T10:30:45+01:00\"}",
              &req);
    expect_slice(req.method, "GET");
    expect_slice(req.target, "/v1/users?page=2");
    expect_slice(req.host, "api.example.com");
    expect_slice(req.client, "192.168.1.10");
    expect_slice(req.xff, "203.0.113.7");
    assert_int_equal(req.status, 429);
    assert_int_equal(req.time, 1705311045);
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(req.resp_headers, AC_HDR_KNOWN | AC_HDR_RATELIMIT);

    /* without kept headers: credentials unknown, response headers unknown */
    parse_req(&ac__reader_traefik, r,
              "{\"ClientHost\":\"10.0.0.1\",\"ClientUsername\":\"alice\",\"DownstreamStatus\":200,"
              "\"RequestHost\":\"h\",\"RequestMethod\":\"POST\",\"RequestPath\":\"/login\","
              "\"StartUTC\":\"2024-01-15T09:30:45Z\"}",
              &req);
    assert_int_equal(req.credentials, AC_CRED_PRESENT); /* basic-auth user name */
    assert_int_equal(req.resp_headers, 0);
    ac__reader_traefik.destroy(r);
}

/* --- a custom field map ---------------------------------------------------------------------- */

static void test_custom_map(void **state)
{
    struct ac_reader *r =
        make(&ac__reader_json, " time = when , method=http.verb, path=http.path, "
                               "query=http.qs, status=http.code|code, host=site, client=peer.ip, "
                               "auth=http.hdr.x-api-key, resp_headers=resp, require=http");
    struct ac_request req;

    (void)state;
    parse_req(&ac__reader_json, r,
              "{\"when\":1761019822315,\"site\":\"api.example.net\",\"peer\":{\"ip\":"
              "\"2001:db8::1\"},\"http\":{\"verb\":\"PATCH\",\"path\":\"/v3/things/7\",\"qs\":"
              "\"fields=a\",\"code\":\"409\",\"hdr\":{\"x-api-key\":\"k\"}},\"resp\":{\"Sunset\":"
              "\"Wed, 11 Nov 2026 23:59:59 GMT\",\"Access-Control-Allow-Origin\":\"*\"}}",
              &req);
    expect_slice(req.method, "PATCH");
    expect_slice(req.target, "/v3/things/7?fields=a");
    expect_slice(req.host, "api.example.net");
    expect_slice(req.client, "2001:db8::1");
    assert_int_equal(req.status, 409);
    assert_int_equal(req.time, 1761019822); /* milliseconds scaled to seconds */
    assert_int_equal(req.credentials, AC_CRED_PRESENT);
    assert_int_equal(req.resp_headers, AC_HDR_KNOWN | AC_HDR_SUNSET | AC_HDR_CORS);

    /* alternatives in order, exponent epochs, a record without "http" skipped */
    parse_req(&ac__reader_json, r,
              "{\"when\":1.761019822E9,\"code\":500,\"http\":{\"verb\":\"GET\",\"path\":\"/\"}}",
              &req);
    assert_int_equal(req.status, 500);
    assert_int_equal(req.time, 1761019822);
    expect_slice(req.target, "/");
    assert_int_equal(req.credentials, AC_CRED_UNKNOWN);
    assert_int_equal(parse(&ac__reader_json, r, "{\"when\":1,\"msg\":\"started\"}", &req),
                     AC_LINE_SKIP);
    ac__reader_json.destroy(r);

    /* a request line and a flat key containing dots (Zeek-style) */
    r = make(&ac__reader_json, "request=req,client=id.orig_h,time=t");
    parse_req(&ac__reader_json, r,
              "{\"req\":\"OPTIONS * HTTP/1.1\",\"id.orig_h\":\"10.9.8.7\",\"t\":"
              "\"2015-01-13 00:32:17\"}",
              &req);
    expect_slice(req.method, "OPTIONS");
    expect_slice(req.target, "*");
    expect_slice(req.client, "10.9.8.7");
    assert_int_equal(req.time, 1421109137);
    ac__reader_json.destroy(r);
}

static void expect_create_error(const struct ac_reader_ops *ops, const char *spec,
                                const char *fragment)
{
    struct ac_reader *r = NULL;
    struct ac_diag d;

    memset(&d, 0, sizeof(d));
    assert_int_equal(ops->create(spec, &r, &d), AC_EUSAGE);
    assert_null(r);
    if (strstr(d.msg, fragment) == NULL)
        print_error("message '%s' lacks '%s'\n", d.msg, fragment);
    assert_non_null(strstr(d.msg, fragment));
}

static void test_bad_maps(void **state)
{
    char big[5000];

    (void)state;
    expect_create_error(&ac__reader_json, NULL, "needs a field map");
    expect_create_error(&ac__reader_json, "", "needs a field map");
    expect_create_error(&ac__reader_json, "method=m,target=t,colour=c", "unknown role 'colour'");
    expect_create_error(&ac__reader_json, "method=m,target", "is not role=path");
    expect_create_error(&ac__reader_json, "target=t,status=s", "needs 'method'");
    expect_create_error(&ac__reader_json, "method=m,status=s", "needs 'target'");
    expect_create_error(&ac__reader_json, "method=m,target= | ", "has no path");
    expect_create_error(&ac__reader_json, "method=a|b|c|d|e|f|g|h|i,target=t",
                        "more than 8 alternative");
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(big, "method=", 7);
    expect_create_error(&ac__reader_caddy, big, "longer than");
}

/* --- bad lines ------------------------------------------------------------------------------- */

static void expect_bad(const struct ac_reader_ops *ops, struct ac_reader *r, const char *line,
                       const char *fragment)
{
    struct ac_request req;

    assert_int_equal(parse(ops, r, line, &req), AC_LINE_BAD);
    if (strstr(why, fragment) == NULL)
        print_error("reason '%s' lacks '%s'\n", why, fragment);
    assert_non_null(strstr(why, fragment));
    assert_int_equal(req.method.n, 0); /* nothing half-filled on a bad line */
    assert_int_equal(req.time, -1);
}

static void test_bad_lines(void **state)
{
    struct ac_reader *r = make(&ac__reader_nginx_json, NULL);
    struct ac_request req;
    char deep[300];
    size_t i;

    (void)state;
    expect_bad(&ac__reader_nginx_json, r, "192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /\"",
               "expected a JSON object");
    expect_bad(&ac__reader_nginx_json, r, "{\"request_method\":\"GET\",\"request_uri\":",
               "invalid JSON at column 39: unexpected end of input");
    expect_bad(&ac__reader_nginx_json, r, "app: {\"status\" 200}",
               "invalid JSON at column 16: expected ':' after object key");
    expect_bad(&ac__reader_nginx_json, r, "{\"request_method\":\"GET\"} trailing",
               "expected end of input");
    expect_bad(&ac__reader_nginx_json, r, "{\"request_uri\":\"/x\",\"status\":200}",
               "no method: field 'request_method'");
    expect_bad(&ac__reader_nginx_json, r, "{\"request_method\":\"GET\",\"status\":200}",
               "no request target: field 'request_uri'");
    expect_bad(&ac__reader_nginx_json, r,
               "{\"request\":\"GET / HTTP/1.1\",\"time_local\":\"yesterday\"}",
               "unrecognised time 'yesterday'");
    expect_bad(&ac__reader_nginx_json, r, "{\"request\":\"GET / HTTP/1.1\",\"status\":\"2OO\"}",
               "status '2OO' is not a number");
    expect_bad(&ac__reader_nginx_json, r, "{\"request\":\"GET / HTTP/1.1\",\"status\":-1}",
               "is not a number");
    expect_bad(&ac__reader_nginx_json, r, "{\"request\":\"\xff\"}", "invalid JSON");
    /* nesting past the reader's depth limit is refused, not recursed into */
    memcpy(deep, "{\"a\":", 5);
    for (i = 5; i < sizeof(deep) - 1; i++)
        deep[i] = '[';
    deep[sizeof(deep) - 1] = '\0';
    expect_bad(&ac__reader_nginx_json, r, deep, "nesting deeper than 64");
    /* blank lines are nothing; good lines still read after bad ones */
    assert_int_equal(parse(&ac__reader_nginx_json, r, "", &req), AC_LINE_SKIP);
    assert_int_equal(parse(&ac__reader_nginx_json, r, "  \r", &req), AC_LINE_SKIP);
    parse_req(&ac__reader_nginx_json, r, "{\"request\":\"GET /ok HTTP/1.1\"}", &req);
    expect_slice(req.target, "/ok");
    ac__reader_nginx_json.destroy(r);
}

/* --- detection ------------------------------------------------------------------------------- */

static const struct ac_reader_ops *best_of(const char *line)
{
    const struct ac_reader_ops *all[] = {&ac__reader_json,    &ac__reader_nginx_json,
                                         &ac__reader_envoy,   &ac__reader_caddy,
                                         &ac__reader_traefik, &ac__reader_zeek_json};
    const struct ac_reader_ops *best = NULL;
    int score, top = 0;
    size_t i;

    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        score = all[i]->detect(line, strlen(line));
        if (score > top) {
            top = score;
            best = all[i];
        }
    }
    return best;
}

static void test_detect(void **state)
{
    size_t len;
    char *text = slurp(AC_SHARED_DATA "/traffic/lnav/logfile_caddy_log.0", &len);
    char *p = text, *nl;

    (void)state;
    /* every line of the real Caddy log, start-up messages included */
    for (; p < text + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(text + len - p));
        if (nl == NULL)
            nl = text + len;
        *nl = '\0';
        assert_ptr_equal(best_of(p), &ac__reader_caddy);
    }
    free(text);
    assert_ptr_equal(best_of("{\"time_local\":\"10/Oct/2000:13:55:36 -0700\",\"remote_addr\":"
                             "\"1.2.3.4\",\"request\":\"GET / HTTP/1.1\",\"status\":\"200\","
                             "\"body_bytes_sent\":\"1\"}"),
                     &ac__reader_nginx_json);
    assert_ptr_equal(best_of("{\"start_time\":\"2024-01-15T09:30:45Z\",\"method\":\"GET\","
                             "\"path\":\"/\",\"response_code\":200,\"authority\":\"a\","
                             "\"downstream_remote_address\":\"1.2.3.4:5\"}"),
                     &ac__reader_envoy);
    assert_ptr_equal(best_of("{\"ClientHost\":\"1.2.3.4\",\"DownstreamStatus\":200,"
                             "\"RequestMethod\":\"GET\",\"RequestPath\":\"/\"}"),
                     &ac__reader_traefik);
    assert_ptr_equal(best_of("{\"ts\":1320279566.452687,\"uid\":\"CwFs1P2UcUdlSxD2La\","
                             "\"id.orig_h\":\"192.168.2.76\",\"method\":\"GET\"}"),
                     &ac__reader_zeek_json);
    /* JSON nobody knows: only the generic reader claims it, weakly */
    assert_ptr_equal(best_of("{\"a\":1}"), &ac__reader_json);
    assert_true(ac__reader_json.detect("{\"a\":1}", 7) < 10);
    assert_null(best_of("192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1"));
    assert_null(best_of("{not json"));
    assert_null(best_of(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caddy_real_log), cmocka_unit_test(test_caddy_written),
        cmocka_unit_test(test_nginx_json),     cmocka_unit_test(test_envoy),
        cmocka_unit_test(test_traefik),        cmocka_unit_test(test_custom_map),
        cmocka_unit_test(test_bad_maps),       cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_detect),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
