/* test_probe_plan.c - the probe's input parsers (base URLs, --resolve entries, wordlists) and its
 * version arithmetic (docs/probe.md: v1 and v3 beside v2; v2.6, v2.8, v1, v1.0 beside v2.7; the
 * year before and the first of the year beside a date). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "probe_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool url(const char *s, struct ac__probe_url *u)
{
    return ac__probe_parse_url(s, strlen(s), u);
}

static void test_url(void **state)
{
    struct ac__probe_url u;
    (void)state;

    assert_true(url("https://API.Example.com/accounts/v2/", &u));
    assert_true(u.https);
    assert_string_equal(u.host, "api.example.com");
    assert_int_equal(u.port, 443);
    assert_string_equal(u.base, "/accounts/v2");
    assert_true(url("http://h.test:8080", &u));
    assert_false(u.https);
    assert_int_equal(u.port, 8080);
    assert_string_equal(u.base, "");
    assert_true(url("HTTP://h.test//a//b", &u)); /* "//" is one separator */
    assert_int_equal(u.port, 80);
    assert_string_equal(u.base, "/a/b");
    assert_true(url("http://localhost:65535/", &u));
    assert_string_equal(u.base, "");
    /* Only http(s), no userinfo, query, fragment, backslash, dot segments or bad ports. */
    assert_false(url("ftp://h.test", &u));
    assert_false(url("h.test", &u));
    assert_false(url("http://", &u));
    assert_false(url("http://user@h.test", &u));
    assert_false(url("http://h.test/a?x=1", &u));
    assert_false(url("http://h.test/a#top", &u));
    assert_false(url("http://h.test/a\\b", &u));
    assert_false(url("http://h.test/a/../b", &u));
    assert_false(url("http://h.test/a/..", &u));
    assert_false(url("http://h.test:0", &u));
    assert_false(url("http://h.test:65536", &u));
    assert_false(url("http://h.test:", &u));
    assert_false(url("http://h.test:80x", &u));
    assert_false(url("http://h.test/a b", &u));
    /* Host names: no empty labels, no leading dot or dash, labels of at most 63 bytes. */
    assert_false(url("http://a..b", &u));
    assert_false(url("http://.a.b", &u));
    assert_false(url("http://a.b.", &u));
    assert_false(url("http://-a.b", &u));
    assert_true(
        url("http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", &u));
    assert_false(
        url("http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", &u));
}

static void test_url_bounds(void **state)
{
    struct ac__probe_url u;
    char buf[AC_PROBE_URL_MAX * 2];
    size_t i;
    (void)state;

    /* a base path of AC_PROBE_ROUTE_MAX bytes fits, one more does not */
    memcpy(buf, "http://h.test/", 14);
    for (i = 14; i < 14 + AC_PROBE_ROUTE_MAX - 1; i++)
        buf[i] = 'a';
    buf[i] = '\0';
    assert_true(url(buf, &u));
    assert_int_equal(strlen(u.base), AC_PROBE_ROUTE_MAX);
    buf[i] = 'a';
    buf[i + 1] = '\0';
    assert_false(url(buf, &u));
    /* the length given is the end: bytes past it are not read */
    assert_true(ac__probe_parse_url("http://h.test/ab?q", 15, &u));
    assert_string_equal(u.base, "/a");
}

static bool res(const char *s, char *name, unsigned *port, char *addr)
{
    return ac__probe_parse_resolve(s, strlen(s), name, AC_PROBE_HOST_MAX + 1, port, addr, 80);
}

static void test_resolve(void **state)
{
    char name[AC_PROBE_HOST_MAX + 1], addr[80];
    unsigned port = 99;
    (void)state;

    assert_true(res("Beta.Example.com:10.0.0.7", name, &port, addr));
    assert_string_equal(name, "beta.example.com");
    assert_int_equal(port, 0);
    assert_string_equal(addr, "10.0.0.7");
    assert_true(res("beta.example.com:8443:127.0.0.1", name, &port, addr));
    assert_int_equal(port, 8443);
    assert_string_equal(addr, "127.0.0.1");
    assert_true(res("h.test:[::1]", name, &port, addr));
    assert_int_equal(port, 0);
    assert_string_equal(addr, "[::1]");
    assert_true(res("h.test:443:[2001:db8::1]", name, &port, addr));
    assert_int_equal(port, 443);
    assert_string_equal(addr, "[2001:db8::1]");
    assert_true(res("h.test:::1", name, &port, addr)); /* NAME:ADDR, a bare IPv6 address */
    assert_int_equal(port, 0);
    assert_string_equal(addr, "::1");
    /* No name, no address, an address that is none, a port out of range taken for an address. */
    assert_false(res(":10.0.0.1", name, &port, addr));
    assert_false(res("h.test", name, &port, addr));
    assert_false(res("h.test:", name, &port, addr));
    assert_false(res("h.test:443:", name, &port, addr));
    assert_false(res("h.test:example.com", name, &port, addr));
    assert_false(res("h.test:10.0.0.256", name, &port, addr));
    assert_false(res("h.test:99999999:1.2.3.4", name, &port, addr));
    assert_false(res("h.test:0:1.2.3.4", name, &port, addr));
    assert_false(res("h test:1.2.3.4", name, &port, addr));
    assert_false(res("h.test:[::1", name, &port, addr));
    assert_false(res("h.test:[]", name, &port, addr));
}

static void test_words(void **state)
{
    const char text[] = "# comment\n"
                        "\n"
                        "admin\n"
                        "  /internal/debug  \r\n"
                        "//v1/status\n"
                        "has space\n"
                        "../etc/passwd\n"
                        "a/../b\n"
                        "a/..\n"
                        "..hidden\n"
                        "back\\slash\n"
                        "tab\there\n"
                        "last";
    char **w = NULL;
    size_t n = 0, bad = 0, line = 0;
    (void)state;

    assert_int_equal(ac__probe_words_parse(text, strlen(text), &w, &n, &bad, &line), AC_OK);
    assert_int_equal(n, 5);
    assert_string_equal(w[0], "/admin");
    assert_string_equal(w[1], "/internal/debug");
    assert_string_equal(w[2], "/v1/status");
    assert_string_equal(w[3], "/..hidden"); /* a name that begins with dots is no dot segment */
    assert_string_equal(w[4], "/last");
    assert_int_equal(bad, 6);
    assert_int_equal(line, 6); /* "has space", counting comments and blank lines */
    ac__probe_words_free(w, n);
}

static void test_words_bounds(void **state)
{
    char *text = malloc(AC_PROBE_ROUTE_MAX * 2 + 8);
    char **w = NULL;
    size_t n = 0, bad = 0, line = 0;
    (void)state;

    assert_non_null(text);
    /* a route of AC_PROBE_ROUTE_MAX bytes is kept, one longer is not */
    memset(text, 'a', AC_PROBE_ROUTE_MAX);
    text[AC_PROBE_ROUTE_MAX] = '\n';
    memset(text + AC_PROBE_ROUTE_MAX + 1, 'b', AC_PROBE_ROUTE_MAX + 1);
    text[AC_PROBE_ROUTE_MAX * 2 + 2] = '\0';
    assert_int_equal(ac__probe_words_parse(text, strlen(text), &w, &n, &bad, &line), AC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(w[0]), AC_PROBE_ROUTE_MAX + 1);
    assert_int_equal(bad, 1);
    assert_int_equal(line, 2);
    ac__probe_words_free(w, n);
    /* empty input: no routes, and nothing to free */
    assert_int_equal(ac__probe_words_parse("", 0, &w, &n, &bad, &line), AC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(line, 0);
    ac__probe_words_free(w, n);
    free(text);
}

/* The siblings of tok, joined by spaces. */
static const char *sibs(const char *tok)
{
    static char out[256];
    char v[8][32];
    size_t n = ac__probe_siblings(tok, strlen(tok), v, 8), i, k = 0;

    out[0] = '\0';
    for (i = 0; i < n; i++)
        k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%s", i ? " " : "", v[i]);
    return out;
}

static void test_siblings(void **state)
{
    char v[8][32];
    (void)state;

    assert_string_equal(sibs("v2"), "v1 v3");
    assert_string_equal(sibs("v1"), "v2"); /* v0 never */
    assert_string_equal(sibs("V3"), "V2 V1 V4");
    assert_string_equal(sibs("v7"), "v6 v5 v4 v3 v8"); /* down to 4 before */
    assert_string_equal(sibs("v2.7"), "v2.6 v2.8 v1 v1.0");
    assert_string_equal(sibs("v4.0"), "v4.1 v3 v3.0");
    assert_string_equal(sibs("v1.0"), "v1.1 v0");
    assert_string_equal(sibs("1.25"), "1.24 1.26 0");
    assert_string_equal(sibs("2024-06-01"), "2023-06-01 2024-01-01");
    assert_string_equal(sibs("2024-01-01"), "2023-01-01");
    assert_string_equal(sibs("2024-02-29"), "2023-02-29 2024-01-01");
    /* No arithmetic on suffixes, third parts, words or empty tokens. */
    assert_string_equal(sibs("v1beta1"), "");
    assert_string_equal(sibs("2.0.1"), "");
    assert_string_equal(sibs("version"), "");
    assert_string_equal(sibs("v"), "");
    assert_string_equal(sibs("v2."), "");
    assert_string_equal(sibs(""), "");
    assert_string_equal(sibs("v1234567890"), ""); /* more than 6 digits: not a version */
    /* The cap holds. */
    assert_int_equal(ac__probe_siblings("v9", 2, v, 2), 2);
    assert_string_equal(v[0], "v8");
    assert_string_equal(v[1], "v7");
    assert_int_equal(ac__probe_siblings("v9", 2, v, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url),          cmocka_unit_test(test_url_bounds),
        cmocka_unit_test(test_resolve),      cmocka_unit_test(test_words),
        cmocka_unit_test(test_words_bounds), cmocka_unit_test(test_siblings),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
