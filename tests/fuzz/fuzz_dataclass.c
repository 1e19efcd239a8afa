/* fuzz_dataclass.c - libFuzzer target for the data-class classifier (dataclass.h).
 *
 * The input is a request or response body, and also a name and a value. Every entry point must
 * read only its bytes (ASan checks), return only the seven AC_DATA_* bits, and give the same
 * answer twice; a body's classes include those of the same bytes read as one quoted JSON key.
 * A violation aborts.
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
    unsigned body, name, value, keyed;
    char *copy;

    body = ac__data_of_payload(p, size);
    name = ac__data_of_name(p, size);
    value = ac__data_of_value(p, size);
    if ((body | name | value) & ~ALL_CLASSES)
        abort();
    if (body != ac__data_of_payload(p, size) || name != ac__data_of_name(p, size))
        abort();
    /* "<input>": 1 read as a body: a name without quotes or backslashes is classified as one. */
    if (size <= AC_DATA_NAME_MAX && memchr(p, '"', size) == NULL && memchr(p, '\\', size) == NULL) {
        copy = malloc(size + 5);
        if (copy == NULL)
            return 0;
        copy[0] = '"';
        memcpy(copy + 1, p, size);
        memcpy(copy + 1 + size, "\":1", 3);
        keyed = ac__data_of_payload(copy, size + 4);
        if ((keyed & name) != name)
            abort();
        free(copy);
    }
    return 0;
}
