/* test_reader_util.c - the scanners every traffic reader relies on: log times to Unix seconds
 * (zones, fractions, leap years, rejects) and request-line splitting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "reader.h"

#include <string.h>

static bool clf(const char *s, int64_t *t)
{
    return ac__parse_clf_time(s, strlen(s), t);
}

static bool iso(const char *s, int64_t *t)
{
    return ac__parse_iso_time(s, strlen(s), t);
}

static bool epoch(const char *s, int64_t *t)
{
    return ac__parse_epoch(s, strlen(s), t);
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(ac__days_from_civil(1970, 1, 1), 0);
    assert_int_equal(ac__days_from_civil(1969, 12, 31), -1);
    assert_int_equal(ac__days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(ac__days_from_civil(2019, 1, 22), 17918);
    assert_int_equal(ac__days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(ac__days_from_civil(2024, 3, 1), 19783);
    assert_int_equal(ac__days_from_civil(1600, 1, 1), -135140);
    /* Day 0 is the last day of the previous month, not a wrapped-around huge number. */
    assert_int_equal(ac__days_from_civil(1970, 3, 0), ac__days_from_civil(1970, 2, 28));
}

static void test_clf_time(void **state)
{
    int64_t t = 0;

    (void)state;
    assert_true(clf("22/Jan/2019:03:56:14 +0330", &t));
    assert_int_equal(t, 1548116774);
    assert_true(clf("22/Jan/2019:00:26:14 +0000", &t));
    assert_int_equal(t, 1548116774);
    assert_true(clf("10/Oct/2000:13:55:36 -0700", &t));
    assert_int_equal(t, 971211336);
    assert_true(clf("20/Jul/2009:22:59:29 +0000", &t));
    assert_int_equal(t, 1248130769);
    /* Without a zone: UTC. */
    assert_true(clf("20/Jul/2009:22:59:29", &t));
    assert_int_equal(t, 1248130769);
    /* Every month name. */
    assert_true(clf("01/Dec/2020:00:00:00 +0000", &t));
    assert_int_equal(t, ac__days_from_civil(2020, 12, 1) * 86400);
    /* Leap years. */
    assert_true(clf("29/Feb/2020:12:00:00 +0000", &t));
    assert_int_equal(t, ac__days_from_civil(2020, 2, 29) * 86400 + 43200);
    assert_true(clf("29/Feb/2000:00:00:00 +0000", &t));
    assert_false(clf("29/Feb/2019:00:00:00 +0000", &t));
    assert_false(clf("29/Feb/2100:00:00:00 +0000", &t));
    /* Bad inputs leave *out alone. */
    t = 42;
    assert_false(clf("", &t));
    assert_false(clf("22/Jan/2019", &t));
    assert_false(clf("32/Jan/2019:03:56:14 +0330", &t));
    assert_false(clf("31/Apr/2019:03:56:14 +0330", &t));
    assert_false(clf("22/Foo/2019:03:56:14 +0330", &t));
    assert_false(clf("22/jan/2019:03:56:14 +0330", &t));
    assert_false(clf("22/Jan/2019:24:00:00 +0000", &t));
    assert_false(clf("22/Jan/2019:23:60:00 +0000", &t));
    assert_false(clf("22/Jan/2019:03:56:14 +03", &t));
    assert_false(clf("22/Jan/2019:03:56:14 +2400", &t));
    assert_false(clf("22/Jan/2019:03:56:14 +0330 trailing", &t));
    assert_false(clf("22/Jan/2019:03:56:14+0330", &t));
    assert_false(clf("2x/Jan/2019:03:56:14 +0330", &t));
    assert_false(clf("22/Jan/1969:03:56:14 +0330", &t));
    assert_int_equal(t, 42);
}

static void test_iso_time(void **state)
{
    int64_t t = 0;

    (void)state;
    assert_true(iso("2015-01-13 00:32:17", &t));
    assert_int_equal(t, 1421109137);
    assert_true(iso("2015-01-13T00:32:17Z", &t));
    assert_int_equal(t, 1421109137);
    assert_true(iso("2018-07-02T22:23:00.186641Z", &t));
    assert_int_equal(t, 1530570180);
    /* Fractions are dropped, zones applied. */
    assert_true(iso("2019-01-22T03:56:14.999+03:30", &t));
    assert_int_equal(t, 1548116774);
    assert_true(iso("2019-01-22T03:56:14+0330", &t));
    assert_int_equal(t, 1548116774);
    assert_true(iso("2019-01-21T19:26:14-05:00", &t));
    assert_int_equal(t, 1548116774);
    assert_true(iso("2017-05-16 00:00:00.008", &t));
    assert_int_equal(t, 1494892800);
    assert_true(iso("2024-02-29T00:00:00Z", &t));
    t = 7;
    assert_false(iso("2023-02-29T00:00:00Z", &t));
    assert_false(iso("2015-13-01 00:00:00", &t));
    assert_false(iso("2015-00-01 00:00:00", &t));
    assert_false(iso("2015-01-13_00:32:17", &t));
    assert_false(iso("2015-01-13 00:32", &t));
    assert_false(iso("2015-01-13 00:32:17 extra", &t));
    assert_false(iso("2015-01-13T00:32:17+5", &t));
    assert_false(iso("2015/01/13 00:32:17", &t));
    assert_int_equal(t, 7);
}

static void test_epoch(void **state)
{
    int64_t t = 0;

    (void)state;
    assert_true(epoch("1354328870.191989", &t));
    assert_int_equal(t, 1354328870);
    assert_true(epoch("1286536309", &t));
    assert_int_equal(t, 1286536309);
    assert_true(epoch("1286536309.586", &t));
    assert_int_equal(t, 1286536309);
    t = 9;
    assert_false(epoch("", &t));
    assert_false(epoch(".5", &t));
    assert_false(epoch("-1", &t));
    assert_false(epoch("12x", &t));
    assert_false(epoch("1286536309.586 ", &t));
    /* Milliseconds since the epoch are not seconds (13 digits is past the year 33000). */
    assert_false(epoch("1286536309586", &t));
    assert_int_equal(t, 9);
}

static bool split(const char *s, const char *method, const char *target)
{
    struct ac_slice m = {NULL, 0}, t = {NULL, 0};

    if (!ac__split_request_line(s, strlen(s), &m, &t))
        return false;
    return m.n == strlen(method) && memcmp(m.p, method, m.n) == 0 && t.n == strlen(target) &&
           memcmp(t.p, target, t.n) == 0;
}

static void test_split_request_line(void **state)
{
    struct ac_slice m, t;

    (void)state;
    assert_true(split("GET /a/b?c=1 HTTP/1.1", "GET", "/a/b?c=1"));
    assert_true(split("POST /login HTTP/1.0", "POST", "/login"));
    assert_true(split("GET /index.html", "GET", "/index.html"));
    assert_true(split("GET /x ", "GET", "/x"));
    assert_true(split("GET  /two-spaces HTTP/2.0", "GET", "/two-spaces"));
    assert_true(split("GET /a b c HTTP/1.1", "GET", "/a b c"));
    assert_true(split("GET /a HTTP/1.1 HTTP/1.1", "GET", "/a HTTP/1.1"));
    assert_true(split("CONNECT example.com:443 HTTP/1.1", "CONNECT", "example.com:443"));
    assert_true(split("GET http://h:8080/p?q HTTP/1.1", "GET", "http://h:8080/p?q"));
    assert_true(split("OPTIONS * HTTP/1.1", "OPTIONS", "*"));
    assert_true(split("CCM_POST /x HTTP/1.1", "CCM_POST", "/x"));
    assert_false(ac__split_request_line("", 0, &m, &t));
    assert_false(ac__split_request_line("-", 1, &m, &t));
    assert_false(ac__split_request_line("GET", 3, &m, &t));
    assert_false(ac__split_request_line("GET ", 4, &m, &t));
    assert_false(ac__split_request_line(" /x HTTP/1.1", 12, &m, &t));
    assert_false(ac__split_request_line("GET HTTP/1.1", 12, &m, &t));
    assert_false(ac__split_request_line("GET  HTTP/1.1", 13, &m, &t));
    /* Nothing is written on failure. */
    m.p = NULL;
    t.p = NULL;
    assert_false(ac__split_request_line("GET  HTTP/1.1", 13, &m, &t));
    assert_null(m.p);
    assert_null(t.p);
    /* Only n bytes are read. */
    assert_true(ac__split_request_line("GET /abc HTTP/1.1", 8, &m, &t));
    assert_int_equal(t.n, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_from_civil),    cmocka_unit_test(test_clf_time),
        cmocka_unit_test(test_iso_time),           cmocka_unit_test(test_epoch),
        cmocka_unit_test(test_split_request_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
