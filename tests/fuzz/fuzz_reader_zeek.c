/* fuzz_reader_zeek.c - libFuzzer target for the Zeek http.log readers (reader_zeek.c).
 *
 * The input is split into lines and read by the TSV reader (its '#' header lines change the
 * reader's separator, markers and columns as they come) and by the Zeek JSON reader; detect()
 * runs on each line. Invariants: a request has a method and a target whose bytes are readable
 * (ASan checks the slices), a skipped or bad line leaves the request cleared, and a bad line
 * always has a reason. A violation aborts, which the fuzzer reports as a crash.
 */
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct ac_reader_ops ac__reader_zeek, ac__reader_zeek_json;

static volatile unsigned sink;

static void touch(struct ac_slice s)
{
    size_t i;

    if (s.n > 0 && s.p == NULL)
        abort();
    for (i = 0; i < s.n; i++)
        sink += (unsigned char)s.p[i];
}

static void check(enum ac_line res, const struct ac_request *req, const char *why, size_t cap)
{
    if (res == AC_LINE_REQUEST) {
        if (req->method.n == 0 || req->target.n == 0 || req->status < 0 || req->status > 999)
            abort();
        touch(req->method);
        touch(req->target);
        touch(req->host);
        touch(req->client);
        touch(req->xff);
        return;
    }
    if (req->method.n != 0 || req->target.n != 0 || req->time != -1)
        abort();
    if (res == AC_LINE_BAD && (why[0] == '\0' || memchr(why, '\0', cap) == NULL))
        abort();
}

static void run(const struct ac_reader_ops *ops, const char *text, size_t size)
{
    struct ac_reader *r = NULL;
    struct ac_request req;
    struct ac_diag d;
    char why[128];
    const char *p = text, *end = text + size, *nl;
    enum ac_line res;

    if (ops->create(NULL, &r, &d) != AC_OK)
        abort();
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            nl = end;
        sink += (unsigned)ops->detect(p, (size_t)(nl - p));
        why[0] = '\0';
        res = ops->parse_line(r, p, (size_t)(nl - p), &req, why, sizeof(why));
        check(res, &req, why, sizeof(why));
        p = nl + 1;
    }
    ops->destroy(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(&ac__reader_zeek, (const char *)data, size);
    run(&ac__reader_zeek_json, (const char *)data, size);
    return 0;
}
