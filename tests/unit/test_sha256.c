/* test_sha256.c - SHA-256 against FIPS 180-4 / NIST test vectors, in one call and in pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sha256.h"

#include <string.h>

static void test_vectors(void **state)
{
    char hex[65];
    (void)state;

    ac__sha256_buf("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ac__sha256_buf("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ac__sha256_buf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a_in_pieces(void **state)
{
    struct ac_sha256 c;
    char hex[65], chunk[997];
    size_t left = 1000000;
    (void)state;

    /* Odd-sized pieces cross block boundaries at every offset. */
    memset(chunk, 'a', sizeof(chunk));
    ac__sha256_init(&c);
    while (left > 0) {
        size_t take = left < sizeof(chunk) ? left : sizeof(chunk);

        ac__sha256_update(&c, chunk, take);
        left -= take;
    }
    ac__sha256_hex(&c, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_million_a_in_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
