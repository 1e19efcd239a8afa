/* test_vmem.c - reserved arrays: zeroed, writable to their last byte, kept where they are, and
 * zero again past a trim. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vmem.h"

#include <string.h>

#define MIB ((size_t)1024 * 1024)

static void test_reserve_write_release(void **state)
{
    size_t max = 64 * MIB + 123; /* not a whole number of pages */
    unsigned char *p = ac__vmem_reserve(max);
    size_t i;
    (void)state;

    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 4096, 0);
    for (i = 0; i < max; i += 4096 * 97) /* reads as zeroes before any write */
        assert_int_equal(p[i], 0);
    assert_int_equal(p[max - 1], 0);
    memset(p, 0xab, 3 * MIB);
    p[max - 1] = 0xcd;
    assert_int_equal(p[3 * MIB - 1], 0xab);
    assert_int_equal(p[3 * MIB], 0);
    assert_int_equal(p[max - 1], 0xcd);
    ac__vmem_release(p, max);
    ac__vmem_release(NULL, max); /* a no-op */
}

static void test_trim_keeps_prefix(void **state)
{
    size_t max = 16 * MIB, keep = 5 * MIB + 100;
    unsigned char *p = ac__vmem_reserve(max);
    (void)state;

    assert_non_null(p);
    memset(p, 0x5a, max);
    ac__vmem_trim(p, keep, max);
    /* Everything before `keep` is as written; the trim starts at the next page boundary. */
    assert_int_equal(p[0], 0x5a);
    assert_int_equal(p[keep - 1], 0x5a);
    assert_int_equal(p[(keep + 4095) / 4096 * 4096], 0);
    assert_int_equal(p[max - 1], 0);
    p[max - 1] = 1; /* still writable after the trim */
    assert_int_equal(p[max - 1], 1);
    ac__vmem_trim(p, 0, max);
    assert_int_equal(p[0], 0);
    ac__vmem_trim(NULL, 0, max); /* a no-op */
    ac__vmem_release(p, max);
}

static void test_many_reservations_are_distinct(void **state)
{
    unsigned char *v[8];
    size_t i, max = 128 * MIB;
    (void)state;

    /* The aggregator reserves this much per half; several at once must not overlap. */
    for (i = 0; i < 8; i++) {
        v[i] = ac__vmem_reserve(max);
        assert_non_null(v[i]);
        v[i][0] = (unsigned char)(i + 1);
        v[i][max - 1] = (unsigned char)(i + 1);
    }
    for (i = 0; i < 8; i++) {
        assert_int_equal(v[i][0], i + 1);
        assert_int_equal(v[i][max - 1], i + 1);
        ac__vmem_release(v[i], max);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserve_write_release),
        cmocka_unit_test(test_trim_keeps_prefix),
        cmocka_unit_test(test_many_reservations_are_distinct),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
