/* fuzz_reader_clf.c - libFuzzer target for the combined, common and nginx log_format readers.
 *
 * The input is split into lines; each line is copied into a buffer of exactly its size (so that
 * a read past the line is an ASan report) and given to every reader: combined, common, and nginx
 * with two fixed formats (the default "main" one, and one using $host, $uri$is_args$args,
 * $time_iso8601 and $msec), and with the input's first line as a third format when it compiles
 * (a rejected format must come with a message). Every detect() must return 0..100; a request
 * must have a method and a target, and all its slices must lie inside the line; a bad line must
 * come with a reason.
 */
#include "fuzz_reader_check.h"
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct ac_reader_ops ac__reader_combined, ac__reader_common, ac__reader_nginx;

static const char *const formats[] = {
    "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
    "\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\"",
    "$msec $host $remote_addr [$time_iso8601] \"$request_method $uri$is_args$args\" $status "
    "\"$http_authorization\" $upstream_response_time",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct ac_reader_ops *ops[5] = {&ac__reader_combined, &ac__reader_common,
                                          &ac__reader_nginx, &ac__reader_nginx, &ac__reader_nginx};
    struct ac_reader *r[5] = {NULL, NULL, NULL, NULL, NULL};
    const char *text = (const char *)data;
    const char *nl0 = memchr(text, '\n', size);
    size_t pos = 0, n, i, nr = 4;
    struct ac_diag d;
    char *spec;

    if (ops[0]->create(NULL, &r[0], &d) != AC_OK || ops[1]->create(NULL, &r[1], &d) != AC_OK ||
        ops[2]->create(formats[0], &r[2], &d) != AC_OK ||
        ops[3]->create(formats[1], &r[3], &d) != AC_OK)
        abort();
    n = nl0 != NULL ? (size_t)(nl0 - text) : size;
    spec = malloc(n + 1);
    if (spec == NULL)
        abort();
    memcpy(spec, text, n);
    spec[n] = '\0';
    ac_diag_clear(&d);
    if (ac__reader_nginx.create(spec, &r[4], &d) == AC_OK)
        nr = 5;
    else if (d.msg[0] == '\0' || r[4] != NULL)
        abort();
    free(spec);
    while (pos <= size) {
        const char *nl = pos < size ? memchr(text + pos, '\n', size - pos) : NULL;
        char *line;
        int score;

        n = nl != NULL ? (size_t)(nl - (text + pos)) : size - pos;
        line = malloc(n > 0 ? n : 1);
        if (line == NULL)
            abort();
        memcpy(line, text + pos, n);
        for (i = 0; i < nr; i++) {
            fuzz_line_in(ops[i], r[i], line, n);
            score = ops[i]->detect(line, n);
            if (score < 0 || score > 100)
                abort();
        }
        free(line);
        pos += n + 1;
    }
    for (i = 0; i < nr; i++)
        ops[i]->destroy(r[i]);
    return 0;
}
