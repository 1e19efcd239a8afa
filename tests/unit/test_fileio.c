/* test_fileio.c - lexical path joins used for $ref files and manifest spec paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fileio.h"

static void check(const char *base, const char *rel, const char *want)
{
    char out[256];

    assert_int_equal(ac__path_join_dir(base, rel, out, sizeof(out)), AC_OK);
    assert_string_equal(out, want);
}

static void test_join(void **state)
{
    (void)state;
    check("specs/main.yaml", "common.yaml", "specs/common.yaml");
    check("specs/paths/users.yaml", "../common.yaml", "specs/common.yaml");
    check("main.yaml", "./a/./b.yaml", "a/b.yaml");
    check("main.yaml", "../up.yaml", "../up.yaml");
    check("../x/main.yaml", "../../y.yaml", "../../y.yaml");
    check("/abs/dir/m.yaml", "../z.yaml", "/abs/z.yaml");
    check("/m.yaml", "../../z.yaml", "/z.yaml");
    check("a/m.yaml", "/etc/x.yaml", "/etc/x.yaml");
    check("", "./examples//acme/", "examples/acme");
    check("", ".", ".");
}

static void test_too_long(void **state)
{
    char out[8];
    (void)state;

    assert_int_equal(ac__path_join_dir("dir/m.yaml", "longer-than-eight.yaml", out, sizeof(out)),
                     AC_ELIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
