/* test_shapes.c - the ingest-time part of template inference (PRODUCT.md "Path templates" rule
 * 5, shapes.h): positions that reach the hard limit of distinct values become parameters named
 * after the segment before them, subtrees merge, version tokens, pinned literals and extensions
 * stay, and the result does not depend on the order of paths or on how they were split between
 * trees. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "shapes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add tmpl on host "h" and return its shape (static buffer). */
static const char *add(struct ac_shapes *s, const char *tmpl, bool *collapsed)
{
    static char out[AC_SHAPE_MAX];
    bool c = false;

    assert_int_equal(ac__shapes_add(s, "h", tmpl, out, sizeof(out), &c), AC_OK);
    if (collapsed != NULL)
        *collapsed = c;
    return out;
}

static const char *get(const struct ac_shapes *s, const char *tmpl)
{
    static char out[AC_SHAPE_MAX];

    assert_true(ac__shapes_get(s, "h", tmpl, out, sizeof(out)));
    return out;
}

static void test_names(void **state)
{
    char out[40];

    (void)state;
    ac__param_name("users", 5, NULL, 0, out);
    assert_string_equal(out, "user");
    ac__param_name("categories", 10, NULL, 0, out);
    assert_string_equal(out, "category");
    ac__param_name("addresses", 9, NULL, 0, out);
    assert_string_equal(out, "address");
    ac__param_name("branches", 8, NULL, 0, out);
    assert_string_equal(out, "branch");
    ac__param_name("status", 6, NULL, 0, out);
    assert_string_equal(out, "status");
    ac__param_name("v1", 2, "users", 5, out); /* /users/v1/{username}: after the version */
    assert_string_equal(out, "user");
    ac__param_name("{repo}", 6, "repos", 5, out);
    assert_string_equal(out, "repo_2");
    ac__param_name("{repo_2}", 8, NULL, 0, out);
    assert_string_equal(out, "repo_3");
    ac__param_name("ids", 3, NULL, 0, out); /* never a classifier's name */
    assert_string_equal(out, "id_name");
    ac__param_name("Pull-Requests", 13, NULL, 0, out);
    assert_string_equal(out, "pull_request");
    assert_int_equal(ac__seg_param("{int}", 5), AC_PARAM_CLASS);
    assert_int_equal(ac__seg_param("{int}.json", 10), AC_PARAM_CLASS);
    assert_int_equal(ac__seg_param("{user}", 6), AC_PARAM_NAMED);
    assert_int_equal(ac__seg_param("users", 5), AC_PARAM_NONE);
}

static void test_hard_limit(void **state)
{
    struct ac_shapes *s = ac__shapes_new(4, false);
    bool c;

    (void)state;
    assert_string_equal(add(s, "/users/alice", &c), "/users/alice");
    assert_false(c);
    assert_string_equal(add(s, "/users/bob/repos", &c), "/users/bob/repos");
    assert_string_equal(add(s, "/users/carol", &c), "/users/carol");
    assert_false(c);
    assert_string_equal(get(s, "/users/alice"), "/users/alice");
    /* The fourth distinct value: the position becomes a parameter, named after "users". */
    assert_string_equal(add(s, "/users/dave", &c), "/users/{user}");
    assert_true(c);
    assert_string_equal(get(s, "/users/alice"), "/users/{user}");
    assert_string_equal(get(s, "/users/bob/repos"), "/users/{user}/repos");
    assert_string_equal(add(s, "/users/erin/repos", &c), "/users/{user}/repos");
    assert_false(c);
    /* Classifier parameters at that position merge too; other positions are untouched. */
    assert_string_equal(add(s, "/users/{int}", NULL), "/users/{user}");
    assert_string_equal(add(s, "/orgs/acme", NULL), "/orgs/acme");
    ac__shapes_free(s);
}

static void test_nested_merge(void **state)
{
    struct ac_shapes *s = ac__shapes_new(3, false);
    const char *owners[] = {"alice", "bob", "carol", "dave"};
    const char *repos[] = {"web", "api", "cli", "docs", "infra"};
    size_t i, j;

    (void)state;
    for (i = 0; i < 4; i++)
        for (j = 0; j < 5; j++) {
            char t[128];

            snprintf(t, sizeof(t), "/repos/%s/%s/%s", owners[i], repos[(i + j) % 5],
                     j % 2 == 0 ? "issues" : "pulls");
            add(s, t, NULL);
        }
    /* Owners and repositories are parameters; "issues" and "pulls" (two values) stay. */
    assert_string_equal(get(s, "/repos/zed/web/issues"), "/repos/{repo}/{repo_2}/issues");
    assert_string_equal(get(s, "/repos/alice/api/pulls"), "/repos/{repo}/{repo_2}/pulls");
    ac__shapes_free(s);
}

static void test_versions_pins_extensions(void **state)
{
    struct ac_shapes *s = ac__shapes_new(2, false);

    (void)state;
    assert_int_equal(ac__shapes_pin(s, "/users/me"), AC_OK);
    add(s, "/v1/things", NULL);
    add(s, "/v2/things", NULL);
    add(s, "/v2.7/things", NULL);
    assert_string_equal(get(s, "/v1/things"), "/v1/things"); /* version tokens never merge */
    add(s, "/users/me", NULL);
    add(s, "/users/alice.json", NULL);
    assert_string_equal(add(s, "/users/bob.json", NULL), "/users/{user}.json");
    assert_string_equal(get(s, "/users/carol.xml"), "/users/{user}.xml");
    assert_string_equal(get(s, "/users/me"), "/users/me"); /* pinned */
    assert_string_equal(get(s, "/users/"), "/users/");     /* an empty segment stays */
    ac__shapes_free(s);
}

/* A shape carrying a parameter (from another thread's tree) collapses that position here. */
static void test_named_param_spreads(void **state)
{
    struct ac_shapes *s = ac__shapes_new(100, false);
    bool c = false;

    (void)state;
    add(s, "/users/alice/keys", NULL);
    assert_string_equal(add(s, "/users/{user}/keys", &c), "/users/{user}/keys");
    assert_true(c);
    assert_string_equal(get(s, "/users/alice/keys"), "/users/{user}/keys");
    ac__shapes_free(s);
}

static uint64_t rng = 88172645463325252u;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The same paths in any order, or split between two trees whose shapes meet in a third, give
 * the same shapes. */
static void test_order_and_split(void **state)
{
    enum { N = 600 };
    static char paths[N][96];
    static char want[N][AC_SHAPE_MAX];
    size_t i, round;

    (void)state;
    for (i = 0; i < N; i++)
        snprintf(paths[i], sizeof(paths[i]), "/api/v2/%s/%s%u/%s",
                 i % 3 == 0 ? "teams" : "projects", i % 7 == 0 ? "x" : "p",
                 (unsigned)((i * 7919u) % (i % 5 == 0 ? 40u : 9u)),
                 i % 4 == 0 ? "members" : "settings");
    {
        struct ac_shapes *s = ac__shapes_new(16, false);

        for (i = 0; i < N; i++)
            add(s, paths[i], NULL);
        for (i = 0; i < N; i++)
            strcpy(want[i], get(s, paths[i]));
        ac__shapes_free(s);
    }
    for (round = 0; round < 5; round++) {
        struct ac_shapes *a = ac__shapes_new(16, false), *b = ac__shapes_new(16, false),
                         *g = ac__shapes_new(16, false);
        static char sa[N][AC_SHAPE_MAX];
        bool to_a[N];

        for (i = N - 1; i > 0; i--) { /* shuffle */
            size_t j = (size_t)(next_rand() % (i + 1));
            char t[96];

            memcpy(t, paths[i], sizeof(t));
            memcpy(paths[i], paths[j], sizeof(t));
            memcpy(paths[j], t, sizeof(t));
            memcpy(t, want[i], sizeof(t));
            memcpy(want[i], want[j], sizeof(t));
            memcpy(want[j], t, sizeof(t));
        }
        for (i = 0; i < N; i++) {
            to_a[i] = next_rand() % 3 != 0;
            strcpy(sa[i], add(to_a[i] ? a : b, paths[i], NULL));
        }
        for (i = 0; i < N; i++) /* what each thread stored, folded into the global tree */
            add(g, sa[i], NULL);
        for (i = 0; i < N; i++)
            assert_string_equal(get(g, sa[i]), want[i]);
        ac__shapes_free(a);
        ac__shapes_free(b);
        ac__shapes_free(g);
    }
}

static void test_clone_and_bounds(void **state)
{
    struct ac_shapes *s = ac__shapes_new(0, false), *c;
    char t[64];
    size_t i;

    (void)state;
    for (i = 0; i < 5000; i++) {
        snprintf(t, sizeof(t), "/files/f%zu/raw", i);
        add(s, t, NULL);
    }
    /* 256 distinct values at most under one parent: the rest went to the parameter. */
    assert_string_equal(get(s, "/files/f1/raw"), "/files/{file}/raw");
    assert_true(ac__shapes_nodes(s) < 20);
    c = ac__shapes_clone(s);
    assert_non_null(c);
    assert_string_equal(get(c, "/files/zzz/raw"), "/files/{file}/raw");
    assert_int_equal(ac__shapes_nodes(c), ac__shapes_nodes(s));
    ac__shapes_free(s);
    ac__shapes_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_hard_limit),
        cmocka_unit_test(test_nested_merge),
        cmocka_unit_test(test_versions_pins_extensions),
        cmocka_unit_test(test_named_param_spreads),
        cmocka_unit_test(test_order_and_split),
        cmocka_unit_test(test_clone_and_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
