/* test_version.c - version tokens in paths and the labels they stand for (PRODUCT.md: path
 * token first, spelled as the API declares it). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "version.h"

#include <string.h>

static bool tok(const char *s, bool dates)
{
    return ac__version_token(s, strlen(s), dates);
}

static void test_tokens(void **state)
{
    (void)state;
    assert_true(tok("v1", false));
    assert_true(tok("V2", false));
    assert_true(tok("v2.7", false));
    assert_true(tok("v1.25", false));
    assert_true(tok("v1beta1", false));
    assert_true(tok("v2alpha", false));
    assert_true(tok("1.25", false));
    assert_true(tok("2.0.1", false));
    /* Ids and words are not versions. */
    assert_false(tok("2", false));
    assert_false(tok("v", false));
    assert_false(tok("version", false));
    assert_false(tok("vampi", false));
    assert_false(tok("v1x", false));
    assert_false(tok("1.2.3.4.5a", false));
    /* Dates only where the inventory declares date versions, and only real dates. */
    assert_false(tok("2013-10-17", false));
    assert_true(tok("2013-10-17", true));
    assert_false(tok("2013-02-30", true));
    assert_true(tok("2024-02-29", true));
    assert_false(tok("2023-02-29", true));
}

static void test_in_path(void **state)
{
    const char *t = NULL;
    size_t n = 0;
    (void)state;

    assert_true(ac__version_in_path("/identity/api/auth/v2/check-otp", false, &t, &n));
    assert_int_equal(n, 2);
    assert_memory_equal(t, "v2", 2);
    assert_true(ac__version_in_path("/v1.25/containers/{id}/json", false, &t, &n));
    assert_memory_equal(t, "v1.25", 5);
    assert_true(ac__version_in_path("/openstack/2013-10-17/servers", true, &t, &n));
    assert_memory_equal(t, "2013-10-17", 10);
    assert_false(ac__version_in_path("/openstack/2013-10-17/servers", false, &t, &n));
    /* Parameters are never versions, whatever their name. */
    assert_false(ac__version_in_path("/users/{v1}/posts", false, &t, &n));
    assert_false(ac__version_in_path("/users/123", false, &t, &n));
}

static void test_labels(void **state)
{
    const char *const labels[] = {"1.25", "v2"};
    const char *l;
    size_t n = 0;
    (void)state;

    l = ac__version_label("v1.25", 5, labels, 2, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(l, "1.25", 4);
    l = ac__version_label("v2", 2, labels, 2, &n);
    assert_memory_equal(l, "v2", 2);
    l = ac__version_label("v3", 2, labels, 2, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(l, "v3", 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_in_path),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
