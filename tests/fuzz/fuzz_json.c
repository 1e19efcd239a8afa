/* fuzz_json.c - libFuzzer target for the JSON reader.
 *
 * Parses the input with default limits (and once more with tight ones, so the limit paths are
 * reached by small inputs), then checks the invariants every consumer relies on: positions are
 * 1-based, scalars are NUL-terminated at their length, containers have exactly n (or 2n) children
 * and no children when empty. A violation aborts, which the fuzzer reports as a crash.
 */
#include "arena.h"
#include "doc.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct ac_node *n, uint32_t depth, const struct ac_doc_limits *lim)
{
    size_t i, k;

    if (n == NULL || n->line == 0 || n->col == 0 || n->str == NULL || depth > lim->max_depth)
        abort();
    if (n->kind == AC_NODE_SCALAR) {
        if (n->str[n->len] != '\0' || n->n != 0 || n->kids != NULL || n->len > lim->max_scalar)
            abort();
        return;
    }
    if (n->tag != AC_TAG_STR || n->len != 0 || (n->n == 0) != (n->kids == NULL))
        abort();
    k = n->kind == AC_NODE_MAP ? 2u * n->n : n->n;
    for (i = 0; i < k; i++) {
        if (n->kind == AC_NODE_MAP && i % 2u == 0 && n->kids[i]->kind != AC_NODE_SCALAR)
            abort();
        check(n->kids[i], depth + 1, lim);
    }
}

static void run(const char *text, size_t size, const struct ac_doc_limits *lim)
{
    struct ac_arena *a = ac__arena_new((size_t)64 << 20);
    struct ac_node *root = NULL;
    struct ac_diag d;

    if (a == NULL)
        return;
    if (ac__json_parse(a, text, size, "fuzz.json", lim, &root, &d) == AC_OK)
        check(root, 0, lim);
    else if (root != NULL || d.msg[0] == '\0')
        abort(); /* out-parameter written on failure, or an error without a message */
    ac__arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_doc_limits lim;

    ac__doc_limits_default(&lim);
    lim.max_depth = 200; /* keeps check() shallow; the depth limit itself is unit-tested */
    run((const char *)data, size, &lim);
    lim.max_depth = 4;
    lim.max_scalar = 16;
    lim.max_nodes = 64;
    run((const char *)data, size, &lim);
    return 0;
}
