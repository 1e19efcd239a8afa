/* test_normalize.c - request targets to paths, percent-decoding, static assets, query names,
 * segment classes and templates (PRODUCT.md "Path templates"), including the real shop log of
 * ../shared/data/traffic/lnav. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "normalize.h"

#include <stdio.h>
#include <string.h>

static char buf[AC_PATH_MAX + 1];

static struct ac_slice sl(const char *s)
{
    struct ac_slice x;

    x.p = s;
    x.n = strlen(s);
    return x;
}

static void assert_slice(struct ac_slice s, const char *want)
{
    assert_int_equal(s.n, strlen(want));
    if (s.n != 0)
        assert_memory_equal(s.p, want, s.n);
}

/* Normalise `target` and check the decoded path. */
static struct ac_norm norm_ok(const char *target, const char *want_path)
{
    struct ac_norm n;

    memset(&n, 0, sizeof(n));
    assert_true(ac__normalize(sl(target), buf, sizeof(buf), &n));
    assert_string_equal(n.path, want_path);
    assert_int_equal(n.path_len, strlen(want_path));
    assert_false(n.truncated);
    return n;
}

static void test_origin_form(void **state)
{
    struct ac_norm n;
    (void)state;

    n = norm_ok("/a/b?x=1&y#frag", "/a/b");
    assert_slice(n.query, "x=1&y");
    assert_slice(n.host, "");
    assert_false(n.is_static);
    n = norm_ok("/a/b#frag?not-a-query", "/a/b");
    assert_slice(n.query, "");
    n = norm_ok("/", "/");
    n = norm_ok("/a/b/", "/a/b/"); /* the trailing slash is kept */
    n = norm_ok("//a//b", "//a//b");
    n = norm_ok("/a/../b/./c", "/a/../b/./c"); /* what the client sent */
    n = norm_ok("/search?", "/search");
    assert_slice(n.query, "");
    assert_non_null(n.query.p);
}

static void test_absolute_form(void **state)
{
    struct ac_norm n;
    (void)state;

    n = norm_ok("http://Example.com:8080/p/q?x=1#f", "/p/q");
    assert_slice(n.host, "Example.com:8080");
    assert_slice(n.query, "x=1");
    n = norm_ok("HTTPS://api.example.com/v1/users", "/v1/users");
    assert_slice(n.host, "api.example.com");
    n = norm_ok("https://user:secret@h.example/x", "/x");
    assert_slice(n.host, "h.example");
    n = norm_ok("http://h.example", "/");
    assert_slice(n.host, "h.example");
    n = norm_ok("http://h.example?x=1", "/");
    assert_slice(n.query, "x=1");
    n = norm_ok("http://h.example#top", "/");
    n = norm_ok("http://[::1]:8080/a%20b", "/a b");
    assert_slice(n.host, "[::1]:8080");
    n = norm_ok("*", "*");
    assert_slice(n.host, "");
}

static void test_not_a_path(void **state)
{
    static const char *const bad[] = {"",        "index.html", "?x=1",         "example.com:443",
                                      "http://", "http:///x",  "http://:80/x", "ftp://h/x",
                                      "http:/x", "**",         "http://a b/x"};
    struct ac_norm n;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(ac__normalize(sl(bad[i]), buf, sizeof(buf), &n));
    assert_false(ac__normalize(sl("/a"), buf, 1, &n)); /* cap below 2 */
}

static void test_percent_decoding(void **state)
{
    static const char *const cases[][2] = {
        {"/a%20b", "/a b"},
        {"/a+b", "/a+b"},                 /* '+' is not a space in a path */
        {"/files/a%2Fb", "/files/a%2Fb"}, /* never splits a segment */
        {"/files/a%2fb", "/files/a%2Fb"},
        {"/a%00b", "/a%00b"},
        {"/a%0Ab%0d", "/a%0Ab%0D"},
        {"/a%7f", "/a%7F"},
        {"/%7Bid%7D", "/{id}"}, /* decoded; just a literal to everyone downstream */
        {"/%D8%B3%D8%B4", "/\xD8\xB3\xD8\xB4"},
        {"/%e2%82%ac", "/\xE2\x82\xAC"},
        {"/%F0%9F%98%80", "/\xF0\x9F\x98\x80"},
        {"/%FF%41", "/%FFA"}, /* not UTF-8: stays encoded, the next escape decodes */
        {"/%C3", "/%C3"},     /* cut short */
        {"/%C3%28", "/%C3("}, /* bad continuation */
        {"/%E2%82", "/%E2%82"},
        {"/%C0%AF", "/%C0%AF"},             /* overlong '/' */
        {"/%ED%A0%80", "/%ED%A0%80"},       /* surrogate */
        {"/%F4%90%80%80", "/%F4%90%80%80"}, /* past U+10FFFF */
        {"/%C2%85", "/%C2%85"},             /* C1 control */
        {"/%C2%A9", "/\xC2\xA9"},
        {"/100%", "/100%"},
        {"/%zz", "/%zz"},
        {"/%4", "/%4"},
        {"/%2541", "/%41"}, /* decoded once */
        {"/a%3Fb", "/a?b"},
        {"/a%23b", "/a#b"},
        {"/\xC3\xA9t\xC3\xA9", "/\xC3\xA9t\xC3\xA9"}, /* raw UTF-8 is kept */
        {"/a\xFF", "/a%FF"},                          /* raw invalid bytes are encoded */
        {"/a\tb", "/a%09b"},
        {"/\xE2\x82", "/%E2%82"},
    };
    struct ac_norm n;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        norm_ok(cases[i][0], cases[i][1]);
    n = norm_ok("/a%3Fb?c=1", "/a?b");
    assert_slice(n.query, "c=1");
}

static void test_truncation(void **state)
{
    static char big[3 * AC_PATH_MAX];
    char small[8];
    struct ac_norm n;
    (void)state;

    memset(big, 'a', sizeof(big) - 1);
    big[0] = '/';
    big[sizeof(big) - 1] = '\0';
    assert_true(ac__normalize(sl(big), buf, sizeof(buf), &n));
    assert_int_equal(n.path_len, AC_PATH_MAX);
    assert_int_equal(strlen(n.path), AC_PATH_MAX);
    assert_true(n.truncated);
    /* The cap of the caller's buffer counts too; the query is found past the cut. */
    assert_true(ac__normalize(sl("/abcdefghij?x=1"), small, 5, &n));
    assert_string_equal(n.path, "/abc");
    assert_true(n.truncated);
    assert_slice(n.query, "x=1");
    /* A character or a kept escape is never cut in half. */
    assert_true(ac__normalize(sl("/%D8%B3%D8%B4"), small, 5, &n));
    assert_string_equal(n.path, "/\xD8\xB3");
    assert_true(n.truncated);
    assert_true(ac__normalize(sl("/%D8%B3%D8%B4"), small, 3, &n));
    assert_string_equal(n.path, "/");
    assert_true(n.truncated);
    assert_true(ac__normalize(sl("/ab%2F"), small, 5, &n));
    assert_string_equal(n.path, "/ab");
    assert_true(n.truncated);
    assert_true(ac__normalize(sl("/abc"), small, 5, &n));
    assert_string_equal(n.path, "/abc");
    assert_false(n.truncated);
}

static void test_static_assets(void **state)
{
    static const struct {
        const char *path;
        bool is_static;
    } cases[] = {
        {"/a/app.js", true},
        {"/a/APP.JS", true},
        {"/static/app.min.css", true},
        {"/logo.png", true},
        {"/f/x.woff2", true},
        {"/v.mp4", true},
        {"/a.Jpeg", true},
        {"/data.json", false},
        {"/feed.xml", false},
        {"/openapi.yaml", false},
        {"/robots.txt", false},
        {"/a.js/", false},
        {"/js", false},
        {"/.css", false},
        {"/a.b/c", false},
        {"/x.jsx", false},
        {"/png", false},
        {"/a.", false},
        {"/", false},
        {"", false},
        {"/x.woff22", false},
    };
    struct ac_norm n;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool got = ac__is_static_path(cases[i].path, strlen(cases[i].path));

        if (got != cases[i].is_static)
            fail_msg("%s: static %d", cases[i].path, got);
    }
    n = norm_ok("/static/app.min.JS?v=3", "/static/app.min.JS");
    assert_true(n.is_static);
    n = norm_ok("/api/x.json?v=3", "/api/x.json");
    assert_false(n.is_static);
    n = norm_ok("/img/a%2Epng", "/img/a.png"); /* judged on the decoded path */
    assert_true(n.is_static);
}

/* All names of a query string, joined by ','. */
static const char *names(const char *q)
{
    static char out[256];
    struct ac_slice name;
    size_t pos = 0, len = 0;

    out[0] = '\0';
    while (ac__query_next_name(sl(q), &pos, &name)) {
        assert_true(name.n > 0);
        assert_null(memchr(name.p, '&', name.n));
        assert_null(memchr(name.p, '=', name.n));
        assert_true(len + name.n + 2 < sizeof(out));
        if (len != 0)
            out[len++] = ',';
        memcpy(out + len, name.p, name.n);
        len += name.n;
        out[len] = '\0';
    }
    assert_int_equal(pos, strlen(q));
    return out;
}

static void test_query_names(void **state)
{
    (void)state;
    assert_string_equal(names("a=1&b&&c="), "a,b,c");
    assert_string_equal(names("=x&&d"), "d");
    assert_string_equal(names(""), "");
    assert_string_equal(names("&&&"), "");
    assert_string_equal(names("a=1=2&b"), "a,b");
    assert_string_equal(names("q%5B%5D=1&page=4"), "q%5B%5D,page"); /* not decoded */
    assert_string_equal(names("name=pr465at.jpg&wh=max"), "name,wh");
}

static void test_classify(void **state)
{
    static const struct {
        const char *seg;
        bool dates;
        enum ac_seg_class want;
    } cases[] = {
        {"", false, AC_SEG_LITERAL},
        {"123", false, AC_SEG_INT},
        {"0", false, AC_SEG_INT},
        {"2019", false, AC_SEG_INT},
        {"60844", false, AC_SEG_INT},
        {"123456789012345678901234567890", false, AC_SEG_INT},
        {"200x200", false, AC_SEG_LITERAL},
        {"me", false, AC_SEG_LITERAL},
        {"recent", false, AC_SEG_LITERAL},
        {"all", false, AC_SEG_LITERAL},
        {"_debug", false, AC_SEG_LITERAL},
        {"productModel", false, AC_SEG_LITERAL},
        {"v1", false, AC_SEG_LITERAL},
        {"v2.7", false, AC_SEG_LITERAL},
        {"v4.0", false, AC_SEG_LITERAL},
        {"1.25", false, AC_SEG_LITERAL},
        {"v1beta1", false, AC_SEG_LITERAL},
        {"550e8400-e29b-41d4-a716-446655440000", false, AC_SEG_UUID},
        {"550E8400-E29B-41D4-A716-446655440000", false, AC_SEG_UUID},
        {"00000000-0000-0000-0000-000000000000", false, AC_SEG_UUID},
        {"550e8400-e29b-41d4-a716-44665544000", false, AC_SEG_ID}, /* not a UUID, still an id */
        {"550e8400e29b-41d4-a716-4466554400000", false, AC_SEG_ID},
        {"507f1f77bcf86cd799439011", false, AC_SEG_OBJECTID},
        {"507f1f77bcf86cd79943901", false, AC_SEG_HEX},
        {"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", false, AC_SEG_HEX}, /* sha1 */
        {"A94A8FE5CCB19BA61C4C0873D391E987982FBBD3", false, AC_SEG_HEX},
        {"8d1bd6a4e1b04d5f9a3c0e2b7f6d5c4a", false, AC_SEG_HEX}, /* OpenStack tenant */
        {"deadbeefcafebabe", false, AC_SEG_LITERAL},             /* no digit: a word? */
        {"abc123", false, AC_SEG_LITERAL},                       /* too short */
        {"cus_9s6XKzkNRiz8i3", false, AC_SEG_ID},
        {"dQw4w9WgXcQ-abcdEFGH", false, AC_SEG_ID},
        {"Zm9vYmFyMTIzNDU2Nzg5MA", false, AC_SEG_ID},
        {"my-long-blog-post-title-2", false, AC_SEG_LITERAL},
        {"my-long-blog-post-title-2019", false, AC_SEG_LITERAL},
        {"iphone-15-pro-max-256gb", false, AC_SEG_LITERAL},
        {"AbCdEfGhIjKlMn12", false, AC_SEG_ID}, /* the case changes at every letter: a token */
        {"id_0FZMoHoZmuIgHnLfmXys", false, AC_SEG_ID},            /* random mixed case, one digit */
        {"cus_8TEMHVY5moxIPI", false, AC_SEG_ID},                 /* Stripe's own example */
        {"id_BCwrTsBRMkNdckxs", false, AC_SEG_ID},                /* no digit, few vowels */
        {"getUserPreferencesByIdAndName", false, AC_SEG_LITERAL}, /* camelCase route names */
        {"getHTTPResponseCodeForUser", false, AC_SEG_LITERAL},
        {"productTypeTypeMobile", false, AC_SEG_LITERAL},
        {"abcdefghijklmnop", false, AC_SEG_LITERAL},
        {"ab1cd2", false, AC_SEG_LITERAL},
        {"2013-10-17", false, AC_SEG_DATE},
        {"2013-10-17", true, AC_SEG_LITERAL}, /* a declared date version */
        {"2024-02-29", false, AC_SEG_DATE},
        {"2023-02-29", false, AC_SEG_LITERAL},
        {"2013-13-01", false, AC_SEG_LITERAL},
        {"alice@example.com", false, AC_SEG_EMAIL},
        {"first.last+tag@mail.example.co.uk", false, AC_SEG_EMAIL},
        {"alice@localhost", false, AC_SEG_LITERAL},
        {"alice@example.c0m", false, AC_SEG_LITERAL},
        {"@example.com", false, AC_SEG_LITERAL},
        {"a@b@example.com", false, AC_SEG_LITERAL},
        {"alice@.example.com", false, AC_SEG_LITERAL},
        {"10.0.0.1", false, AC_SEG_IP},
        {"192.168.100.255", false, AC_SEG_IP},
        {"256.1.1.1", false, AC_SEG_LITERAL},
        {"1.2.3", false, AC_SEG_LITERAL}, /* a version */
        {"1.2.3.4.5", false, AC_SEG_LITERAL},
        {"2001:db8::1", false, AC_SEG_IP},
        {"::1", false, AC_SEG_IP},
        {"fe80::1:2:3:4", false, AC_SEG_IP},
        {"2001:0db8:85a3:0000:0000:8a2e:0370:7334", false, AC_SEG_IP},
        {"::ffff:192.0.2.1", false, AC_SEG_IP},
        {"::", false, AC_SEG_LITERAL},
        {"a:b", false, AC_SEG_LITERAL},
        {"1:2:3", false, AC_SEG_LITERAL},
        {"2001:db8::1::2", false, AC_SEG_LITERAL},
        {"2001:db8:1", false, AC_SEG_LITERAL},
        {"12345::1", false, AC_SEG_LITERAL},
        {"dead:beef:", false, AC_SEG_LITERAL},
        {"{id}", false, AC_SEG_LITERAL}, /* a decoded "%7Bid%7D" is just a literal */
        {"-1", false, AC_SEG_LITERAL},
        {"123.json", false, AC_SEG_LITERAL}, /* extensions are ac__template_of's business */
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum ac_seg_class got =
            ac__classify_segment(cases[i].seg, strlen(cases[i].seg), cases[i].dates);

        if (got != cases[i].want)
            fail_msg("\"%s\" (dates %d): class %d, want %d", cases[i].seg, cases[i].dates, got,
                     cases[i].want);
    }
}

static void test_class_params(void **state)
{
    (void)state;
    assert_null(ac__seg_class_param(AC_SEG_LITERAL));
    assert_string_equal(ac__seg_class_param(AC_SEG_INT), "{int}");
    assert_string_equal(ac__seg_class_param(AC_SEG_UUID), "{uuid}");
    assert_string_equal(ac__seg_class_param(AC_SEG_OBJECTID), "{objectid}");
    assert_string_equal(ac__seg_class_param(AC_SEG_HEX), "{hex}");
    assert_string_equal(ac__seg_class_param(AC_SEG_ID), "{id}");
    assert_string_equal(ac__seg_class_param(AC_SEG_DATE), "{date}");
    assert_string_equal(ac__seg_class_param(AC_SEG_EMAIL), "{email}");
    assert_string_equal(ac__seg_class_param(AC_SEG_IP), "{ip}");
}

static const char *tmpl(const char *path, bool dates)
{
    static char out[AC_PATH_MAX + 64];

    assert_true(ac__template_of(path, strlen(path), dates, out, sizeof(out)));
    return out;
}

static void test_template_of(void **state)
{
    static const struct {
        const char *path;
        bool dates;
        const char *want;
    } cases[] = {
        {"/users/123.json", false, "/users/{int}.json"},
        {"/users/123", false, "/users/{int}"},
        {"/users/123/", false, "/users/{int}/"},
        {"/users/me", false, "/users/me"},
        {"/users/me.json", false, "/users/me.json"},
        {"/users/123.json/x", false, "/users/123.json/x"}, /* only the last segment's extension */
        {"/files/report.2019.csv", false, "/files/report.2019.csv"},
        {"/v1.25/containers/4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d/json", false,
         "/v1.25/containers/{hex}/json"},
        {"/identity/api/auth/v2/check-otp", false, "/identity/api/auth/v2/check-otp"},
        {"/api/v1.25", false, "/api/v1.25"}, /* "25" is no extension */
        {"/api/1.25", false, "/api/1.25"},
        {"/", false, "/"},
        {"//a//123", false, "//a//{int}"},
        {"", false, ""},
        {"*", false, "*"},
        {"/v2/8d1bd6a4e1b04d5f9a3c0e2b7f6d5c4a/servers/detail", false, "/v2/{hex}/servers/detail"},
        {"/openstack/2013-10-17/meta_data.json", false, "/openstack/{date}/meta_data.json"},
        {"/openstack/2013-10-17/meta_data.json", true, "/openstack/2013-10-17/meta_data.json"},
        {"/reports/2013-10-17.csv", false, "/reports/{date}.csv"},
        {"/u/alice@example.com", false, "/u/{email}"},
        {"/geo/10.0.0.1", false, "/geo/{ip}"},
        {"/geo/10.0.0.1.json", false, "/geo/{ip}.json"},
        {"/o/507f1f77bcf86cd799439011/items/550e8400-e29b-41d4-a716-446655440000", false,
         "/o/{objectid}/items/{uuid}"},
        {"/c/cus_9s6XKzkNRiz8i3", false, "/c/{id}"},
        {"/blog/my-long-blog-post-title-2", false, "/blog/my-long-blog-post-title-2"},
        {"/a/{id}", false, "/a/%7Bid%7D"}, /* a literal brace never reads as a parameter */
        {"/a/x{int}y/1", false, "/a/x%7Bint%7Dy/{int}"},
    };
    char small[16];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = tmpl(cases[i].path, cases[i].dates);

        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s: \"%s\", want \"%s\"", cases[i].path, got, cases[i].want);
    }
    /* Does not fit: false, and still a C string (a parameter is never cut in half). */
    assert_false(ac__template_of("/users/12345/posts", 18, false, small, 10));
    assert_string_equal(small, "/users/");
    assert_true(ac__template_of("/users/12345", 12, false, small, 13));
    assert_string_equal(small, "/users/{int}");
    assert_false(ac__template_of("/users/12345", 12, false, small, 12));
    assert_false(ac__template_of("/", 1, false, small, 0));
}

/* The request target of a combined-log line, between "METHOD and HTTP/x". */
static bool target_of(const char *line, const char **t, size_t *n)
{
    const char *q = strchr(line, '"'), *sp, *end;

    if (q == NULL || (sp = strchr(q, ' ')) == NULL || (end = strstr(sp + 1, " HTTP/")) == NULL)
        return false;
    *t = sp + 1;
    *n = (size_t)(end - *t);
    return true;
}

static int count_char(const char *s, char c)
{
    int k = 0;

    for (; *s != '\0'; s++)
        k += *s == c;
    return k;
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* Every /image/<n>/productModel/<WxH> and /product/<n>/<m>/<name> of the real shop log keeps its
 * literals and turns its numbers into {int}. */
static void test_shop_log_templates(void **state)
{
    char path[4096], line[8192], want[AC_PATH_MAX + 64];
    struct ac_slice target;
    struct ac_norm n;
    int images = 0, products = 0, lines = 0;
    FILE *f;
    (void)state;

    snprintf(path, sizeof(path), "%s/traffic/lnav/logfile_shop_access_log.0", AC_SHARED_DATA);
    f = fopen(path, "r");
    if (f == NULL) {
        print_message("no shop log at %s, skipping\n", path);
        skip();
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        const char *t, *got, *rest;
        size_t len;

        if (!target_of(line, &t, &len))
            continue;
        lines++;
        target.p = t;
        target.n = len;
        assert_true(ac__normalize(target, buf, sizeof(buf), &n));
        got = tmpl(n.path, false);
        if (has_prefix(n.path, "/image/") && strstr(n.path, "/productModel/") != NULL) {
            rest = strstr(n.path, "/productModel/");
            snprintf(want, sizeof(want), "/image/{int}%s", rest);
            assert_string_equal(got, want);
            assert_null(strstr(got, "x{int}"));
            images++;
        } else if (has_prefix(n.path, "/product/") && count_char(n.path, '/') == 4) {
            /* "/product/31893/62100/<name>" -> "/product/{int}/{int}/<name>" */
            rest = strrchr(n.path, '/');
            if (rest[1] >= '0' && rest[1] <= '9' &&
                strspn(rest + 1, "0123456789") == strlen(rest + 1))
                rest = "/{int}"; /* a few product names are numbers */
            snprintf(want, sizeof(want), "/product/{int}/{int}%s", rest);
            assert_string_equal(got, want);
            products++;
        }
    }
    fclose(f);
    assert_true(lines > 900);
    assert_true(images > 100);
    assert_true(products > 20);
    assert_string_equal(tmpl("/image/60844/productModel/200x200", false),
                        "/image/{int}/productModel/200x200");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin_form),        cmocka_unit_test(test_absolute_form),
        cmocka_unit_test(test_not_a_path),         cmocka_unit_test(test_percent_decoding),
        cmocka_unit_test(test_truncation),         cmocka_unit_test(test_static_assets),
        cmocka_unit_test(test_query_names),        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_class_params),       cmocka_unit_test(test_template_of),
        cmocka_unit_test(test_shop_log_templates),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
