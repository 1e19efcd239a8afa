/* fuzz_reader_check.h - what the traffic-reader fuzz targets assert about every parsed line.
 *
 * A request has a method and a target, a status in range, and every slice points into live
 * memory (inside the line, for the line readers); a bad line has a reason that fits its buffer;
 * a JSON-lines reader leaves a non-request empty. Header-only: each target is its own program.
 */
#ifndef AC_FUZZ_READER_CHECK_H
#define AC_FUZZ_READER_CHECK_H

#include "reader.h"

#include <stdlib.h>
#include <string.h>

static volatile unsigned fuzz_sink;

/* Read every byte of a slice so ASan sees any slice that points outside live memory. */
static inline void fuzz_touch(struct ac_slice s)
{
    size_t i;

    if (s.n > 0 && s.p == NULL)
        abort();
    for (i = 0; i < s.n; i++)
        fuzz_sink += (unsigned char)s.p[i];
}

static inline void fuzz_check_json(enum ac_line res, const struct ac_request *req, const char *why,
                                   size_t cap)
{
    if (res == AC_LINE_REQUEST) {
        if (req->method.n == 0 || req->target.n == 0 || req->status < 0 || req->status > 999)
            abort();
        fuzz_touch(req->method);
        fuzz_touch(req->target);
        fuzz_touch(req->host);
        fuzz_touch(req->client);
        fuzz_touch(req->xff);
        fuzz_touch(req->server);
        fuzz_touch(req->powered);
        return;
    }
    if (req->method.n != 0 || req->target.n != 0 || req->time != -1 || req->resp_headers != 0)
        abort();
    if (res == AC_LINE_BAD && (why[0] == '\0' || memchr(why, '\0', cap) == NULL))
        abort();
}

/* Every line of text through one JSON-lines reader made from spec. */
static inline void fuzz_json_lines(const struct ac_reader_ops *ops, const char *spec,
                                   const char *text, size_t size)
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
        fuzz_sink += (unsigned)ops->detect(p, (size_t)(nl - p));
        why[0] = '\0';
        res = ops->parse_line(r, p, (size_t)(nl - p), &req, why, sizeof(why));
        fuzz_check_json(res, &req, why, sizeof(why));
        p = nl + 1;
    }
    ops->destroy(r);
}

static inline void fuzz_inside(struct ac_slice s, const char *line, size_t n)
{
    if (s.n > 0 && (s.p < line || s.p + s.n > line + n))
        abort();
}

/* One line through a line reader: request fields inside the line, reasons that fit. */
static inline void fuzz_line_in(const struct ac_reader_ops *ops, struct ac_reader *r,
                                const char *line, size_t n)
{
    struct ac_request req;
    char why[64];
    enum ac_line k;

    why[0] = 'x';
    k = ops->parse_line(r, line, n, &req, why, sizeof(why));
    if (k == AC_LINE_BAD && (memchr(why, '\0', sizeof(why)) == NULL || why[0] == '\0'))
        abort();
    if (k != AC_LINE_REQUEST)
        return;
    if (req.method.n == 0 || req.target.n == 0 || req.status < 0 || req.status > 999)
        abort();
    fuzz_inside(req.method, line, n);
    fuzz_inside(req.target, line, n);
    fuzz_inside(req.host, line, n);
    fuzz_inside(req.client, line, n);
    fuzz_inside(req.xff, line, n);
    /* A tiny reason buffer must be respected too. */
    ops->parse_line(r, line, n, &req, why, 1);
}

#endif
