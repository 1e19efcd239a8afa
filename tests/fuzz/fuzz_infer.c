/* fuzz_infer.c - libFuzzer target for template inference (shapes.h, infer.h).
 *
 * The input is lines "METHOD PATH COUNT". Each path becomes a shape through the classifiers
 * (integers kept) and a small tree (hard limit 4, so positions collapse often), and the shapes go
 * through the derivation. Checked: every shape and endpoint is a path of as many segments as the
 * path it came from; a shape asked for again is unchanged; two trees fed the halves of the input
 * and then each other's shapes agree with one fed everything (the monotone rule); the derivation
 * gives the same endpoints in reverse row order. A violation aborts.
 */
#include "infer.h"
#include "normalize.h"
#include "shapes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 64

static size_t segments(const char *t)
{
    size_t n = 0;

    for (; *t != '\0'; t++)
        n += *t == '/';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char shapes[MAX_ROWS][AC_SHAPE_MAX], tmpl[MAX_ROWS][AC_SHAPE_MAX];
    static char methods[MAX_ROWS][16];
    struct ac_infer_row rows[MAX_ROWS], back[MAX_ROWS];
    struct ac_shapes *all = ac__shapes_new(4, false), *a = ac__shapes_new(4, false),
                     *b = ac__shapes_new(4, false);
    const char *pins[] = {"/users/me"};
    size_t n = 0, i = 0;

    if (all == NULL || a == NULL || b == NULL)
        abort();
    while (i < size && n < MAX_ROWS) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t len = nl != NULL ? (size_t)(nl - (data + i)) : size - i, sp1, sp2;
        const char *line = (const char *)data + i;
        char path[512];
        bool c = false;

        i += len + 1;
        for (sp1 = 0; sp1 < len && line[sp1] != ' '; sp1++)
            ;
        for (sp2 = sp1 + 1; sp2 < len && line[sp2] != ' '; sp2++)
            ;
        if (sp1 == 0 || sp1 >= 15 || sp1 + 1 >= len || sp2 - sp1 - 1 >= sizeof(path) ||
            line[sp1 + 1] != '/')
            continue;
        memcpy(methods[n], line, sp1);
        methods[n][sp1] = '\0';
        memcpy(path, line + sp1 + 1, sp2 - sp1 - 1);
        path[sp2 - sp1 - 1] = '\0';
        if (memchr(path, '\0', sp2 - sp1 - 1) != NULL || strchr(path, '{') != NULL)
            continue;
        if (!ac__shape_of_path(path, strlen(path), false, true, tmpl[n], AC_SHAPE_MAX))
            continue;
        if (ac__shapes_add(all, "h", tmpl[n], shapes[n], AC_SHAPE_MAX, &c) != AC_OK)
            continue;
        if (segments(shapes[n]) != segments(tmpl[n]))
            abort();
        rows[n].host = "h";
        rows[n].method = methods[n];
        rows[n].shape = shapes[n];
        rows[n].count = sp2 + 1 < len ? (uint64_t)(unsigned char)line[sp2 + 1] % 9 + 1 : 1;
        n++;
    }
    for (i = 0; i < n; i++) { /* what "all" says now, asked again, and the split trees */
        char out[AC_SHAPE_MAX], x[AC_SHAPE_MAX];
        bool c = false;

        if (!ac__shapes_get(all, "h", tmpl[i], out, sizeof(out)))
            abort();
        strcpy(shapes[i], out);
        if (ac__shapes_add(i % 2 == 0 ? a : b, "h", tmpl[i], x, sizeof(x), &c) != AC_OK)
            abort();
        if (ac__shapes_add(i % 2 == 0 ? b : a, "h", x, out, sizeof(out), &c) != AC_OK)
            abort();
    }
    for (i = 0; i < n; i++) {
        char x[AC_SHAPE_MAX], y[AC_SHAPE_MAX];

        if (!ac__shapes_get(a, "h", tmpl[i], x, sizeof(x)) ||
            !ac__shapes_get(b, "h", tmpl[i], y, sizeof(y)))
            abort();
        if (strcmp(x, shapes[i]) != 0 || strcmp(y, shapes[i]) != 0)
            abort(); /* each half plus the other's shapes is the whole */
    }
    for (i = 0; i < n; i++)
        back[n - 1 - i] = rows[i];
    if (ac__infer(rows, n, pins, 1, false) == AC_OK &&
        ac__infer(back, n, pins, 1, false) == AC_OK) {
        for (i = 0; i < n; i++) {
            if (segments(rows[i].endpoint) != segments(rows[i].shape) ||
                strcmp(rows[i].endpoint, back[n - 1 - i].endpoint) != 0)
                abort();
        }
    }
    for (i = 0; i < n; i++) {
        free(rows[i].endpoint);
        free(back[i].endpoint);
    }
    ac__shapes_free(all);
    ac__shapes_free(a);
    ac__shapes_free(b);
    return 0;
}
