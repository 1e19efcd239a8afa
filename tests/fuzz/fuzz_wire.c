/* fuzz_wire.c - libFuzzer target for the collectors' wire format (wire.h).
 *
 * The input is a server's request body: JSON read with json-c (as the server does), its
 * "observations" (or the whole input when it is an array) decoded into an aggregator. Decoding
 * must fail cleanly or succeed; what succeeded must survive a round trip: encoded and decoded
 * again, it encodes to the same text. A violation aborts.
 */
#include "aggregate.h"
#include "wire.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *encode(struct ac_agg *a)
{
    struct json_object *o;
    char *s;

    ac__agg_finish(a);
    o = ac__wire_encode(a);
    s = o != NULL ? strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) : NULL;
    json_object_put(o);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_tokener *tok = json_tokener_new_ex(16);
    struct json_object *v = NULL, *arr = NULL, *again = NULL;
    struct ac_agg *a = ac__agg_new(), *b = ac__agg_new();
    struct ac_diag d;
    char *first = NULL, *second = NULL;

    if (tok != NULL && a != NULL && b != NULL && size < (1u << 20))
        v = json_tokener_parse_ex(tok, (const char *)data, (int)size);
    if (v != NULL && !json_object_object_get_ex(v, "observations", &arr))
        arr = v;
    if (v != NULL && ac__wire_decode(arr, a, size % 2 == 0, &d) == AC_OK) {
        first = encode(a);
        again = first != NULL ? json_tokener_parse(first) : NULL;
        if (first != NULL && (again == NULL || ac__wire_decode(again, b, true, &d) != AC_OK))
            abort(); /* what we wrote, we read */
        second = again != NULL ? encode(b) : NULL;
        if (first != NULL && second != NULL && strcmp(first, second) != 0)
            abort();
    }
    free(first);
    free(second);
    json_object_put(again);
    json_object_put(v);
    json_tokener_free(tok);
    ac__agg_free(a);
    ac__agg_free(b);
    return 0;
}
