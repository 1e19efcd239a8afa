/* test_matcher.c - matching paths to documented templates (PRODUCT.md "Path templates" rule 1):
 * literal beats parameter on the real crAPI and VAmPI specs, methods, per-host tries and the
 * any-host trie, ports, trailing slashes, "{name}.json" patterns, percent-encoded paths, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arena.h"
#include "doc.h"
#include "fileio.h"
#include "matcher.h"
#include "normalize.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Operations loaded from a spec: id = index. */
struct spec_ops {
    char method[256][16];
    char tmpl[256][256];
    size_t n;
};

static struct spec_ops ops;

static int64_t op_id(const char *method, const char *t)
{
    size_t i;

    for (i = 0; i < ops.n; i++)
        if (strcmp(ops.method[i], method) == 0 && strcmp(ops.tmpl[i], t) == 0)
            return (int64_t)i;
    return -2;
}

/* Load every (method, path) of an OpenAPI document at AC_SHARED_DATA/rel into a new matcher,
 * with the version token of the path as the operation's version. NULL when the file is absent. */
static struct ac_matcher *load_spec(const char *rel, const char *host)
{
    static const char *const methods[] = {"get",  "put",     "post",  "delete",
                                          "head", "options", "patch", "trace"};
    char path[4096], up[16], ver[32];
    struct ac_matcher *m = ac__matcher_new();
    struct ac_arena *a = ac__arena_new(0);
    struct ac_doc_limits lim;
    struct ac_node **docs = NULL, *paths;
    struct ac_diag d;
    char *text = NULL;
    size_t len, ndocs = 0, k, j;
    uint32_t i;

    assert_non_null(m);
    assert_non_null(a);
    snprintf(path, sizeof(path), "%s/%s", AC_SHARED_DATA, rel);
    if (ac__file_read(path, (size_t)64 << 20, &text, &len, &d) != AC_OK) {
        ac__matcher_free(m);
        ac__arena_free(a);
        return NULL;
    }
    ac__doc_limits_default(&lim);
    assert_int_equal(ac__doc_parse(a, text, len, path, &lim, &docs, &ndocs, &d), AC_OK);
    paths = ac__node_get(docs[0], "paths");
    assert_non_null(paths);
    ops.n = 0;
    memset(ops.method, 0, sizeof(ops.method));
    for (i = 0; i < paths->n; i++) {
        const char *t = ac__node_str(ac__node_key(paths, i));
        struct ac_node *item = ac__node_val(paths, i);

        for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
            const char *tok = NULL;
            size_t tlen = 0;

            if (ac__node_get(item, methods[k]) == NULL)
                continue;
            assert_true(ops.n < 256);
            for (j = 0; methods[k][j] != '\0'; j++)
                up[j] = (char)(methods[k][j] - 'a' + 'A');
            up[j] = '\0';
            snprintf(ops.tmpl[ops.n], sizeof(ops.tmpl[0]), "%s", t);
            ver[0] = '\0';
            if (ac__version_in_path(t, false, &tok, &tlen))
                snprintf(ver, sizeof(ver), "%.*s", (int)tlen, tok);
            assert_int_equal(
                ac__matcher_add(m, host, up, t, ver[0] != '\0' ? ver : NULL, (int64_t)ops.n),
                AC_OK);
            memcpy(ops.method[ops.n], up, j + 1);
            ops.n++;
        }
    }
    free(text);
    ac__arena_free(a);
    return m;
}

/* Match and check the template and the operation ("-1" when the method is not documented). */
static void expect(const struct ac_matcher *m, const char *host, const char *method,
                   const char *path, const char *want_tmpl, int64_t want_op)
{
    struct ac_match r;
    bool ok = ac__matcher_match(m, host, host != NULL ? strlen(host) : 0, method, strlen(method),
                                path, strlen(path), &r);

    if (want_tmpl == NULL) {
        if (ok)
            fail_msg("%s %s: matched %s, want no match", method, path, r.tmpl);
        return;
    }
    if (!ok)
        fail_msg("%s %s: no match, want %s", method, path, want_tmpl);
    if (strcmp(r.tmpl, want_tmpl) != 0 || r.operation != want_op)
        fail_msg("%s %s: %s op %lld, want %s op %lld", method, path, r.tmpl, (long long)r.operation,
                 want_tmpl, (long long)want_op);
}

static void test_crapi(void **state)
{
    static const char *const recent = "/community/api/v2/community/posts/recent";
    static const char *const post = "/community/api/v2/community/posts/{postId}";
    static const char *const all = "/workshop/api/shop/orders/all";
    static const char *const order = "/workshop/api/shop/orders/{order_id}";
    struct ac_matcher *m = load_spec("specs/crapi/crapi-openapi-spec.json", NULL);
    struct ac_match r;
    (void)state;

    if (m == NULL) {
        print_message("no crAPI spec, skipping\n");
        skip();
    }
    assert_int_equal(ac__matcher_size(m), 40);
    assert_true(op_id("GET", recent) >= 0 && op_id("GET", post) >= 0);
    /* A literal beside a parameter wins, whatever the order of the spec. */
    expect(m, NULL, "GET", recent, recent, op_id("GET", recent));
    expect(m, NULL, "GET", "/community/api/v2/community/posts/7qdA4Mnq2Pvr9AbT3Uyc", post,
           op_id("GET", post));
    expect(m, NULL, "POST", "/community/api/v2/community/posts/7qdA4Mnq2Pvr9AbT3Uyc/comment",
           "/community/api/v2/community/posts/{postId}/comment",
           op_id("POST", "/community/api/v2/community/posts/{postId}/comment"));
    expect(m, NULL, "GET", all, all, op_id("GET", all));
    expect(m, NULL, "GET", "/workshop/api/shop/orders/42", order, op_id("GET", order));
    expect(m, NULL, "PUT", "/workshop/api/shop/orders/42", order, op_id("PUT", order));
    expect(m, NULL, "POST", "/workshop/api/shop/orders/return_order",
           "/workshop/api/shop/orders/return_order",
           op_id("POST", "/workshop/api/shop/orders/return_order"));
    /* Methods documented on one template but not the other: the first template that documents
     * the method wins; when none does, the first match, with operation -1. */
    expect(m, NULL, "PUT", all, order, op_id("PUT", order));
    expect(m, NULL, "DELETE", all, all, -1);
    expect(m, NULL, "DELETE", "/workshop/api/shop/orders/42", order, -1);
    expect(m, NULL, "POST", recent, recent, -1);
    /* The documented trailing slash of /workshop/api/mechanic/ is part of the route. */
    expect(m, NULL, "GET", "/workshop/api/mechanic/", "/workshop/api/mechanic/",
           op_id("GET", "/workshop/api/mechanic/"));
    expect(m, NULL, "GET", "/workshop/api/mechanic", NULL, 0);
    expect(m, NULL, "GET", "/workshop/api/mechanic/receive_report",
           "/workshop/api/mechanic/receive_report",
           op_id("GET", "/workshop/api/mechanic/receive_report"));
    /* Versions side by side stay apart, and carry their version. */
    assert_true(
        ac__matcher_match(m, NULL, 0, "POST", 4, "/identity/api/auth/v2/check-otp", 31, &r));
    assert_string_equal(r.tmpl, "/identity/api/auth/v2/check-otp");
    assert_string_equal(r.version, "v2");
    expect(m, NULL, "POST", "/identity/api/auth/v3/check-otp", "/identity/api/auth/v3/check-otp",
           op_id("POST", "/identity/api/auth/v3/check-otp"));
    expect(m, NULL, "POST", "/identity/api/auth/v1/check-otp", NULL, 0);
    assert_true(ac__matcher_match(m, NULL, 0, "GET", 3,
                                  "/identity/api/auth/v2.7/user/login-with-token", 45, &r));
    assert_string_equal(r.version, "v2.7"); /* the version of the template's operation */
    assert_int_equal(r.operation, -1);
    expect(m, NULL, "GET", "/identity/api/v2/vehicle/550e8400-e29b-41d4-a716-446655440000/location",
           "/identity/api/v2/vehicle/{vehicleId}/location",
           op_id("GET", "/identity/api/v2/vehicle/{vehicleId}/location"));
    expect(m, NULL, "GET", "/identity/api/v2/vehicle/vehicles", "/identity/api/v2/vehicle/vehicles",
           op_id("GET", "/identity/api/v2/vehicle/vehicles"));
    expect(m, NULL, "GET", "/identity/api/v2/user/videos/convert_video",
           "/identity/api/v2/user/videos/convert_video",
           op_id("GET", "/identity/api/v2/user/videos/convert_video"));
    expect(m, NULL, "DELETE", "/identity/api/v2/user/videos/12",
           "/identity/api/v2/user/videos/{video_id}",
           op_id("DELETE", "/identity/api/v2/user/videos/{video_id}"));
    expect(m, NULL, "GET", "/", NULL, 0);
    ac__matcher_free(m);
}

static void test_vampi(void **state)
{
    static const char *const user = "/users/v1/{username}";
    struct ac_matcher *m = load_spec("specs/vampi/openapi3.yml", NULL);
    (void)state;

    if (m == NULL) {
        print_message("no VAmPI spec, skipping\n");
        skip();
    }
    expect(m, NULL, "GET", "/users/v1/_debug", "/users/v1/_debug",
           op_id("GET", "/users/v1/_debug"));
    expect(m, NULL, "GET", "/users/v1/name1", user, op_id("GET", user));
    expect(m, NULL, "DELETE", "/users/v1/name1", user, op_id("DELETE", user));
    expect(m, NULL, "POST", "/users/v1/login", "/users/v1/login", op_id("POST", "/users/v1/login"));
    /* "login" has no GET: the parameter template documents GET, so it takes the request. */
    expect(m, NULL, "GET", "/users/v1/login", user, op_id("GET", user));
    /* Backtracking: _debug has no children, {username} does. */
    expect(m, NULL, "PUT", "/users/v1/_debug/email", "/users/v1/{username}/email",
           op_id("PUT", "/users/v1/{username}/email"));
    expect(m, NULL, "GET", "/users/v1", "/users/v1", op_id("GET", "/users/v1"));
    expect(m, NULL, "GET", "/users/v1/", NULL, 0); /* "/users/v1/" is not "/users/v1" */
    expect(m, NULL, "GET", "/", "/", op_id("GET", "/"));
    expect(m, NULL, "GET", "/me", "/me", op_id("GET", "/me"));
    expect(m, NULL, "GET", "/books/v1/The%20Art", "/books/v1/{book_title}",
           op_id("GET", "/books/v1/{book_title}"));
    expect(m, NULL, "GET", "/users/v2/name1", NULL, 0);
    ac__matcher_free(m);
}

static void add(struct ac_matcher *m, const char *host, const char *method, const char *t,
                int64_t id)
{
    assert_int_equal(ac__matcher_add(m, host, method, t, NULL, id), AC_OK);
}

static void test_hosts(void **state)
{
    struct ac_matcher *m = ac__matcher_new();
    (void)state;

    assert_non_null(m);
    add(m, NULL, "GET", "/health", 1);
    add(m, "API.example.com:443", "GET", "/a/{id}", 2);
    add(m, "beta.example.com", "GET", "/b", 3);
    add(m, "", "GET", "/status", 4);
    add(m, "api.example.com", "GET", "/health", 5); /* the host's own beats the hostless one */
    add(m, NULL, "GET", "/a/{id}", 6);              /* hostless after the host's own: loses */
    add(m, "[2001:db8::1]:8443", "GET", "/v6", 7);

    /* Hosts compared case-insensitively, ports and a trailing dot ignored. */
    expect(m, "api.example.com", "GET", "/a/1", "/a/{id}", 2);
    expect(m, "Api.Example.COM:8443", "GET", "/a/1", "/a/{id}", 2);
    expect(m, "api.example.com.", "GET", "/a/1", "/a/{id}", 2);
    expect(m, "api.example.com", "GET", "/b", NULL, 0); /* beta's, not api's */
    expect(m, "api.example.com", "GET", "/health", "/health", 5);
    /* Hostless operations are in every host's trie, whenever the host appeared. */
    expect(m, "api.example.com", "GET", "/status", "/status", 4);
    expect(m, "beta.example.com", "GET", "/status", "/status", 4);
    expect(m, "beta.example.com", "GET", "/health", "/health", 1);
    expect(m, "beta.example.com", "GET", "/a/1", "/a/{id}", 6);
    expect(m, "beta.example.com:8080", "GET", "/b", "/b", 3);
    /* A host without a trie of its own is matched against everything documented. */
    expect(m, "other.example.org", "GET", "/b", "/b", 3);
    expect(m, "other.example.org", "GET", "/health", "/health", 1); /* the hostless one */
    expect(m, "other.example.org", "GET", "/a/1", "/a/{id}", 6);
    expect(m, NULL, "GET", "/b", "/b", 3);
    expect(m, "", "GET", "/v6", "/v6", 7);
    expect(m, "[2001:DB8::1]", "GET", "/v6", "/v6", 7);
    expect(m, "[2001:db8::1]", "GET", "/b", NULL, 0);
    expect(m, "other.example.org", "GET", "/c", NULL, 0);
    assert_int_equal(ac__matcher_size(m), 5);
    ac__matcher_free(m);
}

static void test_patterns(void **state)
{
    struct ac_matcher *m = ac__matcher_new();
    (void)state;

    add(m, NULL, "GET", "/users/{name}", 1);
    add(m, NULL, "GET", "/users/{name}.json", 2);
    add(m, NULL, "GET", "/users/me.json", 3);
    add(m, NULL, "GET", "/api/v{major}/ping", 4);
    add(m, NULL, "GET", "/f/{n}.gz", 5);
    add(m, NULL, "GET", "/f/{n}.tar.gz", 6);
    add(m, NULL, "GET", "/x/{a}:{b}", 7); /* two parameters: a plain parameter */
    add(m, NULL, "GET", "/y/{name}:run", 8);
    add(m, NULL, "GET", "/y/{name}", 9);

    expect(m, NULL, "GET", "/users/bob", "/users/{name}", 1);
    expect(m, NULL, "GET", "/users/bob.json", "/users/{name}.json", 2);
    expect(m, NULL, "GET", "/users/me.json", "/users/me.json", 3); /* literal beats pattern */
    expect(m, NULL, "GET", "/users/.json", "/users/{name}", 1);    /* a parameter is never empty */
    expect(m, NULL, "GET", "/api/v3/ping", "/api/v{major}/ping", 4);
    expect(m, NULL, "GET", "/api/v/ping", NULL, 0);
    expect(m, NULL, "GET", "/f/a.tar.gz", "/f/{n}.tar.gz", 6); /* longest fixed part first */
    expect(m, NULL, "GET", "/f/a.gz", "/f/{n}.gz", 5);
    expect(m, NULL, "GET", "/x/anything", "/x/{a}:{b}", 7);
    expect(m, NULL, "GET", "/y/job1:run", "/y/{name}:run", 8);
    expect(m, NULL, "GET", "/y/job1", "/y/{name}", 9);
    expect(m, NULL, "POST", "/users/bob.json", "/users/{name}.json", -1);
    ac__matcher_free(m);
}

static void test_priority_and_backtracking(void **state)
{
    static const char *const tmpls[] = {"/a/b/c", "/a/{x}/d", "/{y}/b/e", "/{y}/{z}/f",
                                        "/a/{x}/{w}/g"};
    struct ac_matcher *fwd = ac__matcher_new(), *rev = ac__matcher_new();
    const struct ac_matcher *both[2];
    size_t i, k;
    (void)state;

    for (i = 0; i < 5; i++) {
        add(fwd, NULL, "GET", tmpls[i], (int64_t)i);
        add(rev, NULL, "GET", tmpls[4 - i], (int64_t)i);
    }
    both[0] = fwd;
    both[1] = rev;
    /* The same answers whatever the order the templates were added in. */
    for (k = 0; k < 2; k++) {
        const struct ac_matcher *m = both[k];
        struct ac_match r;

        expect(m, NULL, "GET", "/a/b/c", "/a/b/c", k == 0 ? 0 : 4);
        assert_true(ac__matcher_match(m, NULL, 0, "GET", 3, "/a/b/d", 6, &r));
        assert_string_equal(r.tmpl, "/a/{x}/d");
        assert_true(ac__matcher_match(m, NULL, 0, "GET", 3, "/a/b/e", 6, &r));
        assert_string_equal(r.tmpl, "/{y}/b/e");
        assert_true(ac__matcher_match(m, NULL, 0, "GET", 3, "/a/b/f", 6, &r));
        assert_string_equal(r.tmpl, "/{y}/{z}/f");
        assert_true(ac__matcher_match(m, NULL, 0, "GET", 3, "/q/r/f", 6, &r));
        assert_string_equal(r.tmpl, "/{y}/{z}/f");
        assert_true(ac__matcher_match(m, NULL, 0, "GET", 3, "/a/b/c/g", 8, &r));
        assert_string_equal(r.tmpl, "/a/{x}/{w}/g");
        assert_false(ac__matcher_match(m, NULL, 0, "GET", 3, "/a/b/c/h", 8, &r));
        assert_false(ac__matcher_match(m, NULL, 0, "GET", 3, "/a/b", 4, &r));
        assert_false(ac__matcher_match(m, NULL, 0, "GET", 3, "/a/b/c/", 7, &r));
    }
    ac__matcher_free(fwd);
    ac__matcher_free(rev);
}

static void test_slashes(void **state)
{
    struct ac_matcher *m = ac__matcher_new();
    (void)state;

    add(m, NULL, "GET", "/a", 1);
    add(m, NULL, "GET", "/b/", 2);
    add(m, NULL, "GET", "/users/{id}", 3);
    add(m, NULL, "GET", "/", 4);
    add(m, NULL, "GET", "/c//d", 5);
    expect(m, NULL, "GET", "/a", "/a", 1);
    expect(m, NULL, "GET", "/a/", NULL, 0);
    expect(m, NULL, "GET", "/b/", "/b/", 2);
    expect(m, NULL, "GET", "/b", NULL, 0);
    expect(m, NULL, "GET", "/users/", NULL, 0); /* a parameter never matches "" */
    expect(m, NULL, "GET", "/users/7", "/users/{id}", 3);
    expect(m, NULL, "GET", "/", "/", 4);
    expect(m, NULL, "GET", "//a", NULL, 0);
    expect(m, NULL, "GET", "/c//d", "/c//d", 5);
    expect(m, NULL, "GET", "/c/d", NULL, 0);
    expect(m, NULL, "GET", "*", NULL, 0);
    expect(m, NULL, "GET", "a", NULL, 0);
    expect(m, NULL, "GET", "", NULL, 0);
    ac__matcher_free(m);
}

/* Normalise a target, then match it: what ingest does. */
static void expect_target(const struct ac_matcher *m, const char *target, const char *want)
{
    char buf[AC_PATH_MAX + 1];
    struct ac_slice t;
    struct ac_norm n;

    t.p = target;
    t.n = strlen(target);
    assert_true(ac__normalize(t, buf, sizeof(buf), &n));
    expect(m, n.host.n != 0 ? "" : NULL, "GET", n.path, want, want != NULL ? 1 : 0);
}

static void test_encoded_paths(void **state)
{
    struct ac_matcher *m = ac__matcher_new();
    (void)state;

    add(m, NULL, "GET", "/files/{name}", 1);
    add(m, NULL, "GET", "/files/{name}/meta", 1);
    add(m, NULL, "GET", "/caf\xC3\xA9/menu", 1);
    /* %2F stays encoded: one segment, never two. */
    expect_target(m, "/files/a%2Fmeta", "/files/{name}");
    expect_target(m, "/files/a/meta", "/files/{name}/meta");
    expect_target(m, "/files/a%2Fb/meta", "/files/{name}/meta");
    /* "%7Bid%7D" is the literal text "{id}": a value like any other. */
    expect_target(m, "/files/%7Bid%7D", "/files/{name}");
    expect_target(m, "/caf%C3%A9/menu", "/caf\xC3\xA9/menu");
    expect_target(m, "/caf%E9/menu", NULL); /* Latin-1, not UTF-8: stays encoded */
    expect_target(m, "http://shop.example:8080/files/x?y=1", "/files/{name}");
    ac__matcher_free(m);
}

static void test_limits(void **state)
{
    struct ac_matcher *m = ac__matcher_new();
    char t[4096];
    size_t i;
    struct ac_match r;
    (void)state;

    for (i = 0; i < 128; i++)
        memcpy(t + 2 * i, "/a", 2);
    t[256] = '\0';
    assert_int_equal(ac__matcher_add(m, NULL, "GET", t, NULL, 1), AC_OK);
    assert_true(ac__matcher_match(m, NULL, 0, "GET", 3, t, 256, &r));
    memcpy(t + 256, "/a", 3);
    assert_int_equal(ac__matcher_add(m, NULL, "GET", t, NULL, 2), AC_ELIMIT);
    memset(t, 'a', 2049);
    t[0] = '/';
    t[2049] = '\0';
    assert_int_equal(ac__matcher_add(m, NULL, "GET", t, NULL, 3), AC_ELIMIT);
    t[2048] = '\0';
    assert_int_equal(ac__matcher_add(m, NULL, "GET", t, NULL, 4), AC_OK);
    assert_int_equal(ac__matcher_add(m, NULL, "GET", "nope", NULL, 5), AC_EUSAGE);
    assert_int_equal(ac__matcher_add(m, NULL, "", "/x", NULL, 5), AC_EUSAGE);
    assert_int_equal(ac__matcher_add(m, NULL, NULL, "/x", NULL, 5), AC_EUSAGE);
    assert_int_equal(ac__matcher_size(m), 2);
    assert_false(ac__matcher_match(m, NULL, 0, "GET", 3, "/b", 2, &r));
    ac__matcher_free(m);
    ac__matcher_free(NULL);
    assert_int_equal(ac__matcher_size(NULL), 0);
}

/* Duplicates: the first operation added for a (method, template) wins; parameter names do not
 * make templates different. Methods are exact. */
static void test_duplicates_and_methods(void **state)
{
    struct ac_matcher *m = ac__matcher_new();
    struct ac_match r;
    (void)state;

    assert_int_equal(ac__matcher_add(m, NULL, "GET", "/books/v1/{book}", "v1", 1), AC_OK);
    assert_int_equal(ac__matcher_add(m, NULL, "GET", "/books/v1/{book_title}", "v1", 2), AC_OK);
    assert_int_equal(ac__matcher_add(m, NULL, "PUT", "/books/v1/{book_title}", "v1", 3), AC_OK);
    assert_int_equal(ac__matcher_size(m), 1);
    expect(m, NULL, "GET", "/books/v1/x", "/books/v1/{book}", 1);
    expect(m, NULL, "PUT", "/books/v1/x", "/books/v1/{book}", 3);
    expect(m, NULL, "get", "/books/v1/x", "/books/v1/{book}", -1);
    assert_true(ac__matcher_match(m, NULL, 0, "PATCH", 5, "/books/v1/x", 11, &r));
    assert_int_equal(r.operation, -1);
    assert_string_equal(r.version, "v1");
    assert_true(ac__matcher_match(m, NULL, 0, NULL, 0, "/books/v1/x", 11, &r));
    assert_int_equal(r.operation, -1);
    ac__matcher_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crapi),
        cmocka_unit_test(test_vampi),
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_priority_and_backtracking),
        cmocka_unit_test(test_slashes),
        cmocka_unit_test(test_encoded_paths),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_duplicates_and_methods),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
