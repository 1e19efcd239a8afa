/* fuzz_reader_json.c - libFuzzer target for the JSON-lines readers (reader_json.c).
 *
 * The input is split into lines and every line goes through each preset (nginx-json, envoy,
 * caddy, traefik) and through a custom field map that uses every role, path + query joining,
 * alternatives and the prefix form of resp_headers; detect() runs on each line too. Invariants
 * the ingest driver relies on: a request has a method and a target whose bytes are readable
 * (ASan checks the slices), a skipped or bad line leaves the request cleared, and a bad line
 * always has a reason. A violation aborts, which the fuzzer reports as a crash.
 */
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct ac_reader_ops ac__reader_json, ac__reader_nginx_json, ac__reader_envoy,
    ac__reader_caddy, ac__reader_traefik;

static const char custom_map[] =
    "time=t|time,host=h|a.b.host,method=m|verb,target=u,request=req,path=p,query=q|args,"
    "status=s|code,client=c|id.orig_h,xff=x|proxied,user=user,auth=hdr.Authorization|auth,"
    "headers=hdr,resp_headers=resp|down_*,require=m|req|p|u";

static volatile unsigned sink;

/* Read every byte of a slice so ASan sees any slice that points outside live memory. */
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
        touch(req->server);
        touch(req->powered);
        return;
    }
    if (req->method.n != 0 || req->target.n != 0 || req->time != -1 || req->resp_headers != 0)
        abort();
    if (res == AC_LINE_BAD && (why[0] == '\0' || memchr(why, '\0', cap) == NULL))
        abort();
}

static void run(const struct ac_reader_ops *ops, const char *spec, const char *text, size_t size)
{
    struct ac_reader *r = NULL;
    struct ac_request req;
    struct ac_diag d;
    char why[128];
    const char *p = text, *end = text + size, *nl;
    enum ac_line res;

    if (ops->create(spec, &r, &d) != AC_OK)
        abort(); /* the maps here are valid */
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
    const char *text = (const char *)data;

    run(&ac__reader_nginx_json, NULL, text, size);
    run(&ac__reader_envoy, NULL, text, size);
    run(&ac__reader_caddy, NULL, text, size);
    run(&ac__reader_traefik, NULL, text, size);
    run(&ac__reader_json, custom_map, text, size);
    return 0;
}
