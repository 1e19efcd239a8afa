/* fuzz_datavalue.c - libFuzzer target for the value classifiers (datavalue.c).
 *
 * The input is one value. Each scanner must read only its bytes (ASan checks) and give the same
 * answer twice; ac__data_of_value() must return only AC_DATA_* bits, and include every class a
 * single scanner found in the whole value; a percent-decoded form value without '%' or '+' must
 * read as the value itself. A violation aborts.
 */
#include "dataclass.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ALL_CLASSES ((1u << AC_DATA_CLASSES) - 1u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    unsigned v = ac__data_of_value(p, size), want = 0;
    long micro = 0;

    if (v & ~ALL_CLASSES || v != ac__data_of_value(p, size))
        abort();
    if (size >= 3) {
        if (ac__dv_email(p, size))
            want |= AC_DATA_EMAIL;
        if (ac__dv_card(p, size))
            want |= AC_DATA_PAYMENT_CARD;
        if (ac__dv_iban(p, size))
            want |= AC_DATA_IBAN;
        if (ac__dv_national_id(p, size))
            want |= AC_DATA_NATIONAL_ID;
        if (ac__dv_secret(p, size) || ac__dv_jwt(p, size))
            want |= AC_DATA_CREDENTIALS;
        if (ac__dv_phone(p, size))
            want |= AC_DATA_PHONE;
        if (ac__dv_ipv4(p, size) || ac__dv_ipv6(p, size))
            want |= AC_DATA_IP_ADDRESS;
        if (ac__dv_geo(p, size))
            want |= AC_DATA_LOCATION;
    }
    if ((v & want) != want)
        abort();
    if (ac__dv_coord(p, size, &micro) && (micro < 0 || micro > 999999999L))
        abort();
    if (memchr(p, '%', size) == NULL && memchr(p, '+', size) == NULL &&
        ac__data_of_form_value(p, size) != v)
        abort();
    return 0;
}
