/* fuzz_har.c - libFuzzer target for the HAR reader (reader_har.c).
 *
 * Runs ac__har_detect and ac__har_read on the input. Invariants: every delivered request has a
 * method and a target whose bytes are readable during the callback (ASan checks the slices); on
 * success the diagnostic's code is AC_OK and it carries a message exactly when entries were bad;
 * on failure there is a message and *bad is untouched. A violation aborts.
 */
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void touch(struct ac_slice s)
{
    size_t i;

    if (s.n > 0 && s.p == NULL)
        abort();
    for (i = 0; i < s.n; i++)
        sink += (unsigned char)s.p[i];
}

static bool on_request(void *ud, const struct ac_request *req)
{
    size_t *n = ud;

    if (req->method.n == 0 || req->target.n == 0 || req->status < 0 || req->status > 999)
        abort();
    touch(req->method);
    touch(req->target);
    touch(req->host);
    touch(req->server);
    touch(req->powered);
    (*n)++;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct ac_diag d;
    size_t bad = (size_t)-1, n = 0;
    enum ac_err err;

    sink += ac__har_detect(text, size);
    memset(&d, 0, sizeof(d));
    err = ac__har_read(text, size, "fuzz.har", on_request, &n, &bad, &d);
    if (err == AC_OK) {
        if (d.code != AC_OK || bad == (size_t)-1 || (bad > 0) != (d.msg[0] != '\0'))
            abort();
    } else if (d.msg[0] == '\0' || bad != (size_t)-1 || n != 0) {
        abort();
    }
    return 0;
}
