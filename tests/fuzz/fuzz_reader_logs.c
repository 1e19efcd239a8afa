/* fuzz_reader_logs.c - libFuzzer target for the W3C, ALB, Squid, HAProxy and wsgi readers.
 *
 * The input is split into lines; each line is copied into a buffer of exactly its size (so that
 * a read past the line is an ASan report) and given to every one of these readers, in order, so
 * a "#Fields:" line in the input reshapes the W3C reader for the lines after it. Every detect()
 * must return 0..100; a request must have a method and a target, and all its slices must lie
 * inside the line; a bad line must come with a reason.
 */
#include "fuzz_reader_check.h"
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct ac_reader_ops ac__reader_w3c, ac__reader_alb, ac__reader_squid,
    ac__reader_haproxy, ac__reader_wsgi;

#define NREADERS 5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct ac_reader_ops *ops[NREADERS] = {
        &ac__reader_w3c, &ac__reader_alb, &ac__reader_squid, &ac__reader_haproxy, &ac__reader_wsgi};
    struct ac_reader *r[NREADERS];
    const char *text = (const char *)data;
    size_t pos = 0, n, i;
    struct ac_diag d;

    for (i = 0; i < NREADERS; i++)
        if (ops[i]->create(NULL, &r[i], &d) != AC_OK)
            abort();
    while (pos <= size) {
        const char *nl = pos < size ? memchr(text + pos, '\n', size - pos) : NULL;
        char *line;
        int score;

        n = nl != NULL ? (size_t)(nl - (text + pos)) : size - pos;
        line = malloc(n > 0 ? n : 1);
        if (line == NULL)
            abort();
        memcpy(line, text + pos, n);
        for (i = 0; i < NREADERS; i++) {
            fuzz_line_in(ops[i], r[i], line, n);
            score = ops[i]->detect(line, n);
            if (score < 0 || score > 100)
                abort();
        }
        free(line);
        pos += n + 1;
    }
    for (i = 0; i < NREADERS; i++)
        ops[i]->destroy(r[i]);
    return 0;
}
