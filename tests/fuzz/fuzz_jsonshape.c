/* fuzz_jsonshape.c - libFuzzer target for the JSON body shapes (jsonshape.c).
 *
 * The input is one body. Adding it must read only its bytes (ASan checks) and either add nothing
 * (not JSON) or count one sample; the fields must stay sorted, distinct, bounded, with NUL-
 * terminated paths whose parents are kept; adding the body again must double every count and
 * change no type or format; merging must give the same shape as adding, in either order; the
 * stored form must read back to the same shape. A violation aborts.
 */
#include "jsonshape.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_sorted(const struct ac_jshape *s)
{
    uint32_t i;

    if (s->nf > AC_JSHAPE_FIELDS)
        abort();
    for (i = 0; i < s->nf; i++) {
        const struct ac_jfield *f = &s->f[i];
        size_t len = strnlen(f->path, AC_JSHAPE_PATH);

        if (len == AC_JSHAPE_PATH || (i > 0 && strcmp(s->f[i - 1].path, f->path) >= 0) ||
            f->types == 0 || f->types & ~0x7Fu || f->n == 0 || f->nobj > f->n)
            abort();
        if (len > 0) { /* the parent of "a.b" is "a", of "a[]" is "a", of "a" is "" */
            char parent[AC_JSHAPE_PATH];
            size_t k = len;

            if (len >= 2 && f->path[len - 1] == ']')
                k = len - 2;
            else
                while (k > 0 && f->path[k - 1] != '.' && f->path[k - 1] != ']')
                    k--;
            if (k > 0 && f->path[k - 1] == '.')
                k--;
            memcpy(parent, f->path, k);
            parent[k] = '\0';
            if (ac__jshape_find(s, parent) == NULL)
                abort();
        }
    }
}

static bool same(const struct ac_jshape *a, const struct ac_jshape *b)
{
    uint32_t i;

    if (a->samples != b->samples || a->nf != b->nf)
        return false;
    for (i = 0; i < a->nf; i++)
        if (strcmp(a->f[i].path, b->f[i].path) != 0 || a->f[i].n != b->f[i].n ||
            a->f[i].nobj != b->f[i].nobj || a->f[i].types != b->f[i].types ||
            a->f[i].fmt != b->f[i].fmt)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ac_jshape one, two, merged, back;
    const char *p = (const char *)data;
    struct json_object *o;
    struct ac_buf b;
    uint32_t i;

    ac__jshape_init(&one);
    if (!ac__jshape_add_json(&one, p, size)) {
        if (one.samples != 0 || one.nf != 0)
            abort();
        return 0;
    }
    if (one.samples != 1 || one.nf == 0)
        abort();
    check_sorted(&one);
    two = one;
    if (!ac__jshape_add_json(&two, p, size) || two.nf != one.nf || two.samples != 2)
        abort();
    for (i = 0; i < one.nf; i++)
        if (two.f[i].n != 2 * one.f[i].n || two.f[i].types != one.f[i].types ||
            two.f[i].fmt != one.f[i].fmt)
            abort();
    merged = one;
    ac__jshape_merge(&merged, &one);
    if (!same(&merged, &two))
        abort();
    ac__buf_init(&b, (size_t)1 << 22);
    if (ac__jshape_to_json(&two, &b) != AC_OK)
        abort();
    o = json_tokener_parse(ac__buf_str(&b));
    if (o == NULL || !ac__jshape_from_json(&back, o) || !same(&back, &two))
        abort();
    json_object_put(o);
    ac__buf_free(&b);
    return 0;
}
