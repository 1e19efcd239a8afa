/* test_infer.c - endpoints derived from the stored shapes of undocumented traffic (PRODUCT.md
 * "Path templates" rule 5, infer.h): many values each seen rarely become a parameter named after
 * the segment before them, a small set of literal routes each seen often stays, a value that
 * behaves unlike its siblings stays apart, version tokens and pinned literals never merge, small
 * integer sets are routes, and the result does not depend on the order of the rows or on the
 * other hosts.
 *
 * The rows are what the ingest stores (shapes.h): integers of up to three digits are still raw
 * ("/status/404"), longer ones are "{int}" already; ids the classifiers recognise (base62, UUID)
 * are "{id}", "{uuid}" already; words are kept as they are.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- rows ------------------------------------------------------------------------------------ */

struct rows {
    struct ac_infer_row *r;
    char **own; /* own[i]: the copy of r[i].shape */
    size_t n, cap;
};

/* Add a row; host and method are string literals, shape is copied. */
static void add(struct rows *rs, const char *host, const char *method, const char *shape,
                uint64_t count)
{
    if (rs->n == rs->cap) {
        size_t nc = rs->cap != 0 ? rs->cap * 2 : 64;

        rs->r = realloc(rs->r, nc * sizeof(*rs->r));
        rs->own = realloc(rs->own, nc * sizeof(*rs->own));
        assert_non_null(rs->r);
        assert_non_null(rs->own);
        rs->cap = nc;
    }
    rs->own[rs->n] = strdup(shape);
    assert_non_null(rs->own[rs->n]);
    rs->r[rs->n] = (struct ac_infer_row){host, method, rs->own[rs->n], count, NULL};
    rs->n++;
}

static void rows_free(struct rows *rs)
{
    size_t i;

    for (i = 0; i < rs->n; i++) {
        free(rs->r[i].endpoint);
        free(rs->own[i]);
    }
    free(rs->r);
    free(rs->own);
    memset(rs, 0, sizeof(*rs));
}

static void run_with(struct rows *rs, const char *const *pins, size_t npins, bool dates)
{
    size_t i;

    assert_int_equal(ac__infer(rs->r, rs->n, pins, npins, dates), AC_OK);
    for (i = 0; i < rs->n; i++)
        assert_non_null(rs->r[i].endpoint);
}

static void run(struct rows *rs)
{
    run_with(rs, NULL, 0, false);
}

/* The endpoint derived for the row (host, method, shape). */
static const char *ep(const struct rows *rs, const char *host, const char *method,
                      const char *shape)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->r[i].host, host) == 0 && strcmp(rs->r[i].method, method) == 0 &&
            strcmp(rs->r[i].shape, shape) == 0)
            return rs->r[i].endpoint;
    fail_msg("no row %s %s %s", host, method, shape);
    return NULL;
}

static void expect(const struct rows *rs, const char *host, const char *method, const char *shape,
                   const char *want)
{
    const char *got = ep(rs, host, method, shape);

    if (strcmp(got, want) != 0)
        fail_msg("%s %s %s: endpoint %s, expected %s", host, method, shape, got, want);
}

/* Every row of host whose shape starts with prefix, and has neither `except` as its shape nor
 * as its prefix, derives the endpoint prefix2 + the rest of the shape after its next segment:
 * "/users/v1/alice/email" with prefix "/users/v1/" and prefix2 "/users/v1/{user}" must give
 * "/users/v1/{user}/email". Returns how many rows were checked. */
static size_t expect_family(const struct rows *rs, const char *host, const char *prefix,
                            const char *const *except, size_t nexcept, const char *prefix2)
{
    size_t i, j, pl = strlen(prefix), checked = 0;

    for (i = 0; i < rs->n; i++) {
        const char *s = rs->r[i].shape, *rest;
        char want[512];
        bool skip = false;

        if (strcmp(rs->r[i].host, host) != 0 || strncmp(s, prefix, pl) != 0)
            continue;
        for (j = 0; j < nexcept; j++) {
            size_t el = strlen(except[j]);

            skip = skip || (strncmp(s, except[j], el) == 0 && (s[el] == '\0' || s[el] == '/'));
        }
        if (skip)
            continue;
        rest = strchr(s + pl, '/');
        snprintf(want, sizeof(want), "%s%s", prefix2, rest != NULL ? rest : "");
        expect(rs, host, rs->r[i].method, s, want);
        checked++;
    }
    return checked;
}

/* A made-up word for i < 1000 ("baba", "koba", "babako"): never an integer, an id or a version. */
static void word(size_t i, char *out, size_t cap)
{
    static const char *const syl[] = {"ba", "ko", "ri", "tu", "me", "sa", "lo", "ne", "da", "pu"};

    if (i < 100)
        snprintf(out, cap, "%s%s", syl[i % 10], syl[i / 10 % 10]);
    else
        snprintf(out, cap, "%s%s%s", syl[i % 10], syl[i / 10 % 10], syl[i / 100 % 10]);
}

/* --- scenarios (shared by the determinism test) ------------------------------------------------
 */

/* VAmPI-like: the users' collection, a debug route, login and register, and 60 users each seen
 * once or twice, on GET, DELETE, /email and /password. */
static void build_vampi(struct rows *rs, const char *host)
{
    size_t i;

    add(rs, host, "GET", "/users/v1", 80);
    add(rs, host, "GET", "/users/v1/_debug", 50);
    add(rs, host, "POST", "/users/v1/login", 120);
    add(rs, host, "POST", "/users/v1/register", 40);
    for (i = 0; i < 60; i++) {
        char w[16], s[64];

        word(i, w, sizeof(w));
        switch (i % 4) {
        case 0:
            snprintf(s, sizeof(s), "/users/v1/%s", w);
            add(rs, host, "GET", s, 1 + i % 2);
            break;
        case 1:
            snprintf(s, sizeof(s), "/users/v1/%s", w);
            add(rs, host, "DELETE", s, 1);
            break;
        case 2:
            snprintf(s, sizeof(s), "/users/v1/%s/email", w);
            add(rs, host, "PUT", s, 1);
            break;
        default:
            snprintf(s, sizeof(s), "/users/v1/%s/password", w);
            add(rs, host, "PUT", s, 1 + i % 2);
            break;
        }
    }
}

/* crAPI's community posts: ids the classifiers caught, "recent", and slugs they missed. */
static void build_posts(struct rows *rs, const char *host)
{
    add(rs, host, "GET", "/community/api/v2/community/posts/{id}", 300);
    add(rs, host, "DELETE", "/community/api/v2/community/posts/{id}", 20);
    add(rs, host, "POST", "/community/api/v2/community/posts/{id}/comment", 100);
    add(rs, host, "GET", "/community/api/v2/community/posts/recent", 40);
    add(rs, host, "GET", "/community/api/v2/community/posts/hello-world", 1);
    add(rs, host, "GET", "/community/api/v2/community/posts/my-first-post", 1);
    add(rs, host, "GET", "/community/api/v2/community/posts/another-day", 2);
    add(rs, host, "POST", "/community/api/v2/community/posts", 15);
}

/* crAPI's shop orders: long order numbers are "{int}", short ones raw, and "all". */
static void build_orders(struct rows *rs, const char *host)
{
    add(rs, host, "GET", "/workshop/api/shop/orders/all", 12);
    add(rs, host, "GET", "/workshop/api/shop/orders/{int}", 200);
    add(rs, host, "PUT", "/workshop/api/shop/orders/{int}", 30);
    add(rs, host, "GET", "/workshop/api/shop/orders/7", 3);
    add(rs, host, "GET", "/workshop/api/shop/orders/42", 1);
    add(rs, host, "POST", "/workshop/api/shop/orders/return_order", 5);
}

/* Status routes each seen often, and items by number each seen once. */
static void build_ints(struct rows *rs, const char *host)
{
    size_t i;

    add(rs, host, "GET", "/status/200", 10);
    add(rs, host, "GET", "/status/404", 10);
    add(rs, host, "GET", "/status/500", 10);
    for (i = 1; i <= 40; i++) {
        char s[32];

        snprintf(s, sizeof(s), "/items/%zu", i);
        add(rs, host, "GET", s, 1);
    }
}

/* 12 owners, each with one repository seen once or twice, on issues or pulls. */
static void build_repos(struct rows *rs, const char *host)
{
    size_t i;

    for (i = 0; i < 12; i++) {
        char o[16], r[16], s[96];

        word(i, o, sizeof(o));
        word(100 + (i * 5) % 12, r, sizeof(r));
        snprintf(s, sizeof(s), "/repos/%s/%s/%s", o, r, i % 3 == 0 ? "pulls" : "issues");
        add(rs, host, "GET", s, 1 + i % 2);
    }
}

/* --- the tests ---------------------------------------------------------------------------------
 */

/* "posts/recent" has its own behaviour (GET only, where the posts also take DELETE and comments)
 * and enough requests: it stays literal. Slugs seen once or twice merge into the ids' parameter,
 * which keeps its classifier's name. */
static void test_posts_recent(void **state)
{
    struct rows rs = {0};

    (void)state;
    build_posts(&rs, "h");
    run(&rs);
    expect(&rs, "h", "GET", "/community/api/v2/community/posts/recent",
           "/community/api/v2/community/posts/recent");
    expect(&rs, "h", "GET", "/community/api/v2/community/posts/{id}",
           "/community/api/v2/community/posts/{id}");
    expect(&rs, "h", "POST", "/community/api/v2/community/posts/{id}/comment",
           "/community/api/v2/community/posts/{id}/comment");
    expect(&rs, "h", "GET", "/community/api/v2/community/posts/hello-world",
           "/community/api/v2/community/posts/{id}");
    expect(&rs, "h", "GET", "/community/api/v2/community/posts/my-first-post",
           "/community/api/v2/community/posts/{id}");
    expect(&rs, "h", "GET", "/community/api/v2/community/posts/another-day",
           "/community/api/v2/community/posts/{id}");
    expect(&rs, "h", "POST", "/community/api/v2/community/posts",
           "/community/api/v2/community/posts");
    rows_free(&rs);
}

/* "orders/all" and "return_order" beside the order numbers stay; a raw "7" and "42" beside
 * "{int}" are order numbers too. */
static void test_orders_all(void **state)
{
    struct rows rs = {0};

    (void)state;
    build_orders(&rs, "h");
    run(&rs);
    expect(&rs, "h", "GET", "/workshop/api/shop/orders/all", "/workshop/api/shop/orders/all");
    expect(&rs, "h", "POST", "/workshop/api/shop/orders/return_order",
           "/workshop/api/shop/orders/return_order");
    expect(&rs, "h", "GET", "/workshop/api/shop/orders/{int}", "/workshop/api/shop/orders/{int}");
    expect(&rs, "h", "PUT", "/workshop/api/shop/orders/{int}", "/workshop/api/shop/orders/{int}");
    expect(&rs, "h", "GET", "/workshop/api/shop/orders/7", "/workshop/api/shop/orders/{int}");
    expect(&rs, "h", "GET", "/workshop/api/shop/orders/42", "/workshop/api/shop/orders/{int}");
    rows_free(&rs);
}

static const char *const vampi_routes[] = {"/users/v1/_debug", "/users/v1/login",
                                           "/users/v1/register"};

/* The case: "_debug" (GET only, 50 requests), "login" and "register" (POST) stay beside
 * 60 user names each seen once or twice, which become "{user}" (named after "users", the segment
 * before the version) with their continuations. */
static void test_vampi_users(void **state)
{
    struct rows rs = {0};

    (void)state;
    build_vampi(&rs, "h");
    run(&rs);
    expect(&rs, "h", "GET", "/users/v1", "/users/v1");
    expect(&rs, "h", "GET", "/users/v1/_debug", "/users/v1/_debug");
    expect(&rs, "h", "POST", "/users/v1/login", "/users/v1/login");
    expect(&rs, "h", "POST", "/users/v1/register", "/users/v1/register");
    expect(&rs, "h", "GET", "/users/v1/baba", "/users/v1/{user}");
    expect(&rs, "h", "DELETE", "/users/v1/koba", "/users/v1/{user}");
    expect(&rs, "h", "PUT", "/users/v1/riba/email", "/users/v1/{user}/email");
    expect(&rs, "h", "PUT", "/users/v1/tuba/password", "/users/v1/{user}/password");
    assert_int_equal(expect_family(&rs, "h", "/users/v1/", vampi_routes, 3, "/users/v1/{user}"),
                     60);
    rows_free(&rs);
}

/* A hot user seen 20 times, spread over the same continuations as the other users, is a user:
 * being frequent is no reason to stand apart. */
static void test_hot_user_merges(void **state)
{
    struct rows rs = {0};

    (void)state;
    build_vampi(&rs, "h");
    add(&rs, "h", "GET", "/users/v1/hotshot", 5);
    add(&rs, "h", "DELETE", "/users/v1/hotshot", 5);
    add(&rs, "h", "PUT", "/users/v1/hotshot/email", 5);
    add(&rs, "h", "PUT", "/users/v1/hotshot/password", 5);
    run(&rs);
    expect(&rs, "h", "GET", "/users/v1/hotshot", "/users/v1/{user}");
    expect(&rs, "h", "DELETE", "/users/v1/hotshot", "/users/v1/{user}");
    expect(&rs, "h", "PUT", "/users/v1/hotshot/email", "/users/v1/{user}/email");
    expect(&rs, "h", "PUT", "/users/v1/hotshot/password", "/users/v1/{user}/password");
    expect(&rs, "h", "GET", "/users/v1/_debug", "/users/v1/_debug");
    assert_int_equal(expect_family(&rs, "h", "/users/v1/", vampi_routes, 3, "/users/v1/{user}"),
                     64);
    rows_free(&rs);
}

/* The threshold: beside 40 accounts, each seen on GET and on DELETE once, a GET-only value
 * misses DELETE with probability 1/2 per request: 13 requests (1/8192) are chance, 14 (1/16384)
 * are not. A POST-only value shows nothing the accounts show, yet below 4 requests it merges. */
static void test_apart_threshold(void **state)
{
    static const char *const methods[] = {"GET", "GET", "POST", "POST"};
    static const uint64_t counts[] = {13, 14, 3, 4};
    static const char *const want[] = {"/accounts/{account}", "/accounts/stats",
                                       "/accounts/{account}", "/accounts/stats"};
    size_t k, i;

    (void)state;
    for (k = 0; k < 4; k++) {
        struct rows rs = {0};

        for (i = 0; i < 40; i++) {
            char w[16], s[48];

            word(i, w, sizeof(w));
            snprintf(s, sizeof(s), "/accounts/%s", w);
            add(&rs, "h", "GET", s, 1);
            add(&rs, "h", "DELETE", s, 1);
        }
        add(&rs, "h", methods[k], "/accounts/stats", counts[k]);
        run(&rs);
        expect(&rs, "h", methods[k], "/accounts/stats", want[k]);
        expect(&rs, "h", "DELETE", "/accounts/baba", "/accounts/{account}");
        rows_free(&rs);
    }
}

/* Version tokens ("v2.7", "1.25", "v3", "2.0.1") stay literal and never merge, not with 250
 * words each seen once beside them, not with each other when there are many of them. */
static void test_version_tokens(void **state)
{
    struct rows rs = {0};
    size_t i;

    (void)state;
    add(&rs, "h", "GET", "/api/v2.7/x", 1);
    add(&rs, "h", "GET", "/api/1.25/x", 1);
    add(&rs, "h", "GET", "/api/v3/x", 1);
    add(&rs, "h", "GET", "/api/2.0.1/x", 1);
    for (i = 0; i < 250; i++) {
        char w[16], s[48];

        word(i, w, sizeof(w));
        snprintf(s, sizeof(s), "/api/%s/x", w);
        add(&rs, "h", "GET", s, 1);
    }
    for (i = 1; i <= 30; i++) {
        char s[48];

        snprintf(s, sizeof(s), "/svc/v%zu/ping", i);
        add(&rs, "h", "GET", s, 1);
    }
    run(&rs);
    expect(&rs, "h", "GET", "/api/v2.7/x", "/api/v2.7/x");
    expect(&rs, "h", "GET", "/api/1.25/x", "/api/1.25/x");
    expect(&rs, "h", "GET", "/api/v3/x", "/api/v3/x");
    expect(&rs, "h", "GET", "/api/2.0.1/x", "/api/2.0.1/x");
    expect(&rs, "h", "GET", "/api/baba/x", "/api/{api}/x");
    expect(&rs, "h", "GET", "/svc/v1/ping", "/svc/v1/ping");
    expect(&rs, "h", "GET", "/svc/v30/ping", "/svc/v30/ping");
    rows_free(&rs);
}

/* With date versions declared, "/openstack/2012-08-10" and "/openstack/2013-10-17" are versions:
 * they stay while 30 words seen once beside them merge. */
static void test_date_versions(void **state)
{
    struct rows rs = {0};
    size_t i;

    (void)state;
    add(&rs, "h", "GET", "/openstack/2012-08-10/servers", 5);
    add(&rs, "h", "GET", "/openstack/2013-10-17/servers", 5);
    for (i = 0; i < 30; i++) {
        char w[16], s[48];

        word(i, w, sizeof(w));
        snprintf(s, sizeof(s), "/openstack/%s/servers", w);
        add(&rs, "h", "GET", s, 1);
    }
    run_with(&rs, NULL, 0, true);
    expect(&rs, "h", "GET", "/openstack/2012-08-10/servers", "/openstack/2012-08-10/servers");
    expect(&rs, "h", "GET", "/openstack/2013-10-17/servers", "/openstack/2013-10-17/servers");
    expect(&rs, "h", "GET", "/openstack/baba/servers", "/openstack/{openstack}/servers");
    rows_free(&rs);
}

/* A few literal routes each seen often stay; many values each seen once are a parameter; so are
 * 200 distinct values even when each is seen often, while 199 may still be routes. A position
 * is a parameter when at least half of three or more values are rare. */
static void test_routes_and_values(void **state)
{
    struct rows rs = {0};
    size_t i;

    (void)state;
    add(&rs, "h", "GET", "/api/users", 50);
    add(&rs, "h", "GET", "/api/orders", 50);
    add(&rs, "h", "GET", "/api/items", 50);
    for (i = 0; i < 10; i++) {
        char w[16], s[48];

        word(i, w, sizeof(w));
        snprintf(s, sizeof(s), "/search/%s", w);
        add(&rs, "h", "GET", s, 1);
    }
    for (i = 0; i < 200; i++) {
        char w[16], s[48];

        word(i, w, sizeof(w));
        snprintf(s, sizeof(s), "/tags/%s", w);
        add(&rs, "h", "GET", s, 10);
        if (i < 199) {
            snprintf(s, sizeof(s), "/labels/%s", w);
            add(&rs, "h", "GET", s, 10);
        }
    }
    /* Two of four rare: a parameter. One of three rare: routes. */
    add(&rs, "h", "GET", "/half/alpha", 1);
    add(&rs, "h", "GET", "/half/beta", 2);
    add(&rs, "h", "GET", "/half/gamma", 30);
    add(&rs, "h", "GET", "/half/delta", 30);
    add(&rs, "h", "GET", "/third/alpha", 1);
    add(&rs, "h", "GET", "/third/gamma", 30);
    add(&rs, "h", "GET", "/third/delta", 30);
    run(&rs);
    expect(&rs, "h", "GET", "/api/users", "/api/users");
    expect(&rs, "h", "GET", "/api/orders", "/api/orders");
    expect(&rs, "h", "GET", "/api/items", "/api/items");
    expect(&rs, "h", "GET", "/search/baba", "/search/{search}");
    expect(&rs, "h", "GET", "/search/puba", "/search/{search}");
    expect(&rs, "h", "GET", "/tags/baba", "/tags/{tag}");
    expect(&rs, "h", "GET", "/tags/pupuko", "/tags/{tag}");
    expect(&rs, "h", "GET", "/labels/baba", "/labels/baba");
    expect(&rs, "h", "GET", "/half/alpha", "/half/{half}");
    expect(&rs, "h", "GET", "/half/gamma", "/half/{half}");
    expect(&rs, "h", "GET", "/third/alpha", "/third/alpha");
    expect(&rs, "h", "GET", "/third/gamma", "/third/gamma");
    rows_free(&rs);
}

/* Integers: three or more each seen 5 times or more are routes ("/status/404"); 40 seen once
 * each are "{int}"; raw integers beside "{int}" are among them (per extension), even a set that
 * would otherwise be routes. Two integers are no set of routes, and one seen 4 times makes the
 * set "{int}". */
static void test_small_integers(void **state)
{
    struct rows rs = {0};

    (void)state;
    build_ints(&rs, "h");
    add(&rs, "h", "GET", "/things/7", 1);
    add(&rs, "h", "GET", "/things/{int}", 40);
    add(&rs, "h", "GET", "/things/7.json", 2);
    add(&rs, "h", "GET", "/things/{int}.json", 3);
    add(&rs, "h", "GET", "/things/new", 30);
    add(&rs, "h", "GET", "/tickets/{int}", 40);
    add(&rs, "h", "GET", "/tickets/1", 6);
    add(&rs, "h", "GET", "/tickets/2", 6);
    add(&rs, "h", "GET", "/tickets/3", 6);
    add(&rs, "h", "GET", "/codes/200", 50);
    add(&rs, "h", "GET", "/codes/404", 50);
    add(&rs, "h", "GET", "/errors/400", 10);
    add(&rs, "h", "GET", "/errors/401", 10);
    add(&rs, "h", "GET", "/errors/403", 4);
    run(&rs);
    expect(&rs, "h", "GET", "/status/200", "/status/200");
    expect(&rs, "h", "GET", "/status/404", "/status/404");
    expect(&rs, "h", "GET", "/status/500", "/status/500");
    expect(&rs, "h", "GET", "/items/1", "/items/{int}");
    expect(&rs, "h", "GET", "/items/40", "/items/{int}");
    expect(&rs, "h", "GET", "/things/7", "/things/{int}");
    expect(&rs, "h", "GET", "/things/7.json", "/things/{int}.json");
    expect(&rs, "h", "GET", "/things/new", "/things/new");
    expect(&rs, "h", "GET", "/tickets/2", "/tickets/{int}"); /* a set, but "{int}" is there */
    expect(&rs, "h", "GET", "/codes/200", "/codes/{int}");
    expect(&rs, "h", "GET", "/errors/400", "/errors/{int}");
    expect(&rs, "h", "GET", "/errors/403", "/errors/{int}");
    rows_free(&rs);
}

/* Beside a classifier's parameter holding most requests, a value seen once is an id the
 * classifiers missed ("cus_Abcdef"); a literal with its own requests stays. When the parameter
 * does not dominate, the rare value stays too. */
static void test_dominant_classifier(void **state)
{
    struct rows rs = {0};

    (void)state;
    add(&rs, "a", "GET", "/v1/customers/{id}", 100);
    add(&rs, "a", "GET", "/v1/customers/cus_Abcdef", 1);
    add(&rs, "a", "GET", "/v1/customers/search", 30);
    add(&rs, "b", "GET", "/v1/customers/{id}", 40);
    add(&rs, "b", "GET", "/v1/customers/cus_Abcdef", 1);
    add(&rs, "b", "GET", "/v1/customers/search", 60);
    run(&rs);
    expect(&rs, "a", "GET", "/v1/customers/cus_Abcdef", "/v1/customers/{id}");
    expect(&rs, "a", "GET", "/v1/customers/{id}", "/v1/customers/{id}");
    expect(&rs, "a", "GET", "/v1/customers/search", "/v1/customers/search");
    expect(&rs, "b", "GET", "/v1/customers/cus_Abcdef", "/v1/customers/cus_Abcdef");
    expect(&rs, "b", "GET", "/v1/customers/search", "/v1/customers/search");
    rows_free(&rs);
}

/* The extension of a value stays ("{user}.json"); names with dots keep none. */
static void test_extensions(void **state)
{
    struct rows rs = {0};

    (void)state;
    add(&rs, "h", "GET", "/users/alice.json", 1);
    add(&rs, "h", "GET", "/users/bob.json", 1);
    add(&rs, "h", "GET", "/users/carol.json", 2);
    add(&rs, "h", "GET", "/users/dave.xml", 1);
    add(&rs, "h", "GET", "/users/erin", 1);
    add(&rs, "h", "GET", "/domains/shop.example.com", 1);
    add(&rs, "h", "GET", "/domains/api.example.org", 1);
    add(&rs, "h", "GET", "/domains/www.test.io/records", 2);
    run(&rs);
    expect(&rs, "h", "GET", "/users/alice.json", "/users/{user}.json");
    expect(&rs, "h", "GET", "/users/carol.json", "/users/{user}.json");
    expect(&rs, "h", "GET", "/users/dave.xml", "/users/{user}.xml");
    expect(&rs, "h", "GET", "/users/erin", "/users/{user}");
    expect(&rs, "h", "GET", "/domains/shop.example.com", "/domains/{domain}");
    expect(&rs, "h", "GET", "/domains/api.example.org", "/domains/{domain}");
    expect(&rs, "h", "GET", "/domains/www.test.io/records", "/domains/{domain}/records");
    rows_free(&rs);
}

/* A pinned literal path ("/users/me") stays on every host, even seen once, while the users
 * beside it merge; without the pin it is a user like the others. */
static void test_pins(void **state)
{
    static const char *const pins[] = {"/users/me"};
    size_t pinned;

    (void)state;
    for (pinned = 0; pinned < 2; pinned++) {
        struct rows rs = {0};
        size_t i;

        add(&rs, "a", "GET", "/users/me", 1);
        add(&rs, "b", "GET", "/users/me", 1);
        for (i = 0; i < 20; i++) {
            char w[16], s[48];

            word(i, w, sizeof(w));
            snprintf(s, sizeof(s), "/users/%s", w);
            add(&rs, "a", "GET", s, 1);
            add(&rs, "b", "GET", s, 2);
        }
        run_with(&rs, pins, pinned, false);
        expect(&rs, "a", "GET", "/users/me", pinned ? "/users/me" : "/users/{user}");
        expect(&rs, "b", "GET", "/users/me", pinned ? "/users/me" : "/users/{user}");
        expect(&rs, "a", "GET", "/users/baba", "/users/{user}");
        expect(&rs, "b", "GET", "/users/puko", "/users/{user}");
        rows_free(&rs);
    }
}

/* Names: after the segment before ("categories" -> "category"), after a parameter with a
 * suffix ("{repo}" -> "{repo_2}"), "{param}" for a first segment. */
static void test_naming(void **state)
{
    struct rows rs = {0};
    size_t i, nrepos = 0;

    (void)state;
    build_repos(&rs, "h");
    for (i = 0; i < 8; i++) {
        char w[16], s[48];

        word(i, w, sizeof(w));
        snprintf(s, sizeof(s), "/categories/%s/products", w);
        add(&rs, "h", "GET", s, 1);
        snprintf(s, sizeof(s), "/%s", w);
        add(&rs, "top", "GET", s, 1);
    }
    run(&rs);
    for (i = 0; i < rs.n; i++) {
        const char *s = rs.r[i].shape;

        if (strncmp(s, "/repos/", 7) == 0) { /* "/repos/<owner>/<repo>/issues" */
            char want[64];

            snprintf(want, sizeof(want), "/repos/{repo}/{repo_2}%s", strrchr(s, '/'));
            assert_string_equal(rs.r[i].endpoint, want);
            nrepos++;
        }
    }
    assert_int_equal(nrepos, 12);
    expect(&rs, "h", "GET", "/repos/baba/babako/pulls", "/repos/{repo}/{repo_2}/pulls");
    expect(&rs, "h", "GET", "/categories/riba/products", "/categories/{category}/products");
    expect(&rs, "top", "GET", "/baba", "/{param}");
    rows_free(&rs);
}

/* Hosts are decided apart: the same three user shapes, seen once each among 30 users on one
 * host, are routes seen 50 times each on the other. */
static void test_hosts_independent(void **state)
{
    struct rows rs = {0};
    size_t i;

    (void)state;
    for (i = 0; i < 30; i++) {
        char w[16], s[48];

        word(i, w, sizeof(w));
        snprintf(s, sizeof(s), "/users/%s", w);
        add(&rs, "a.example.com", "GET", s, 1);
        if (i < 3)
            add(&rs, "b.example.com", "GET", s, 50);
    }
    run(&rs);
    expect(&rs, "a.example.com", "GET", "/users/baba", "/users/{user}");
    expect(&rs, "a.example.com", "GET", "/users/riba", "/users/{user}");
    expect(&rs, "b.example.com", "GET", "/users/baba", "/users/baba");
    expect(&rs, "b.example.com", "GET", "/users/koba", "/users/koba");
    expect(&rs, "b.example.com", "GET", "/users/riba", "/users/riba");
    rows_free(&rs);
}

/* Rows that are not paths keep their shape; a trailing slash is its own segment. */
static void test_not_paths(void **state)
{
    struct rows rs = {0};

    (void)state;
    add(&rs, "h", "*", "*static*", 10);
    add(&rs, "h", "GET", "*toolong*", 1);
    add(&rs, "h", "GET", "/health_check/", 5);
    add(&rs, "h", "GET", "/health_check", 5);
    run(&rs);
    expect(&rs, "h", "*", "*static*", "*static*");
    expect(&rs, "h", "GET", "*toolong*", "*toolong*");
    expect(&rs, "h", "GET", "/health_check/", "/health_check/");
    expect(&rs, "h", "GET", "/health_check", "/health_check");
    assert_int_equal(ac__infer(NULL, 0, NULL, 0, false), AC_OK);
    rows_free(&rs);
}

static uint64_t rng = 88172645463325252u;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The same rows in 8 shuffled orders give the same endpoints. */
static void test_determinism(void **state)
{
    struct rows base = {0};
    size_t *perm, round, i;

    (void)state;
    build_vampi(&base, "a");
    build_posts(&base, "a");
    build_orders(&base, "a");
    build_ints(&base, "a");
    build_repos(&base, "a");
    build_vampi(&base, "b");
    build_repos(&base, "b");
    add(&base, "b", "GET", "/users/v1/hotshot", 20);
    add(&base, "b", "GET", "/v1/customers/{id}", 100);
    add(&base, "b", "GET", "/v1/customers/cus_Abcdef", 1);
    run(&base);
    perm = malloc(base.n * sizeof(*perm));
    assert_non_null(perm);
    for (i = 0; i < base.n; i++)
        perm[i] = i;
    for (round = 0; round < 8; round++) {
        struct ac_infer_row *r = malloc(base.n * sizeof(*r));

        assert_non_null(r);
        for (i = base.n - 1; i > 0; i--) {
            size_t j = (size_t)(next_rand() % (i + 1)), t = perm[i];

            perm[i] = perm[j];
            perm[j] = t;
        }
        for (i = 0; i < base.n; i++) {
            r[i] = base.r[perm[i]];
            r[i].endpoint = NULL;
        }
        assert_int_equal(ac__infer(r, base.n, NULL, 0, false), AC_OK);
        for (i = 0; i < base.n; i++) {
            assert_non_null(r[i].endpoint);
            assert_string_equal(r[i].endpoint, base.r[perm[i]].endpoint);
            free(r[i].endpoint);
        }
        free(r);
    }
    free(perm);
    rows_free(&base);
}

/* BUG (src/lib/infer.c, reported, not fixed here): infer.h says the classifiers' parameters at a
 * position that is a parameter merge into it, and that the result is the same whatever the
 * order of the rows. With a parameter the ingest named ("{user}") beside "{int}" and "{uuid}"
 * holding 100 requests each, classifier_name() picks the first classifier of the tie in the
 * order of the hash table (which depends on the order of the rows), and the classifiers merge
 * into "{int}" or "{uuid}" while "{user}" stays apart: two endpoints for one position, named by
 * the row order. The ingest does not store such rows today (a collapsed position renames the
 * classifiers' parameters too), so the CLI does not show it; ac__infer's contract does. */
static void test_bug_named_beside_classifiers(void **state)
{
    static const char *const shapes[] = {"/users/{user}", "/users/{int}", "/users/{uuid}"};
    static const uint64_t counts[] = {1, 100, 100};
    char got[2][3][64], msg[512];
    bool same_order = true, one = true;
    size_t order, i;

    (void)state;
    for (order = 0; order < 2; order++) {
        struct rows rs = {0};

        for (i = 0; i < 3; i++) {
            size_t k = order == 0 ? i : 2 - i;

            add(&rs, "h", "GET", shapes[k], counts[k]);
        }
        run(&rs);
        for (i = 0; i < 3; i++)
            snprintf(got[order][i], sizeof(got[order][i]), "%s", ep(&rs, "h", "GET", shapes[i]));
        rows_free(&rs);
    }
    for (i = 0; i < 3; i++) {
        same_order = same_order && strcmp(got[0][i], got[1][i]) == 0; /* either order */
        one = one && strcmp(got[0][i], got[0][0]) == 0; /* one parameter at the position */
    }
    snprintf(msg, sizeof(msg), "{user} {int} {uuid} -> %s %s %s; in the other order %s %s %s",
             got[0][0], got[0][1], got[0][2], got[1][0], got[1][1], got[1][2]);
    if (!same_order || !one)
        fail_msg("%s", msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_posts_recent),
        cmocka_unit_test(test_orders_all),
        cmocka_unit_test(test_vampi_users),
        cmocka_unit_test(test_hot_user_merges),
        cmocka_unit_test(test_apart_threshold),
        cmocka_unit_test(test_version_tokens),
        cmocka_unit_test(test_date_versions),
        cmocka_unit_test(test_routes_and_values),
        cmocka_unit_test(test_small_integers),
        cmocka_unit_test(test_dominant_classifier),
        cmocka_unit_test(test_extensions),
        cmocka_unit_test(test_pins),
        cmocka_unit_test(test_naming),
        cmocka_unit_test(test_hosts_independent),
        cmocka_unit_test(test_not_paths),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_bug_named_beside_classifiers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
