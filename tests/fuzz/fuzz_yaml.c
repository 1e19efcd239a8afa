/* fuzz_yaml.c - libFuzzer target for the YAML reader and the JSON-or-YAML dispatch.
 *
 * Parses the input through ac__doc_parse (YAML for most inputs, JSON when it starts like JSON)
 * with default limits and again with tight ones, then walks every document checking the tree
 * invariants. Aliases make the tree a DAG; the walk counts nodes as expanded and aborts if that
 * count passes what the alias cap allows (so a missed "billion laughs" is reported as a crash), or
 * if aliases make it nest deeper than the depth limit.
 */
#include "arena.h"
#include "doc.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
    const struct ac_doc_limits *lim;
    size_t budget; /* nodes the walk may still visit */
};

static void check(struct walk *w, const struct ac_node *n, uint32_t depth)
{
    size_t i, k;

    if (n == NULL || n->line == 0 || n->col == 0 || n->str == NULL)
        abort();
    /* Even through aliases the tree never nests deeper than the limit, and the walk visits at
     * most the nodes created plus the alias cap. */
    if (w->budget == 0 || depth > w->lim->max_depth)
        abort();
    w->budget--;
    if (n->kind == AC_NODE_SCALAR) {
        if (n->str[n->len] != '\0' || n->n != 0 || n->kids != NULL || n->len > w->lim->max_scalar)
            abort();
        return;
    }
    if ((n->n == 0) != (n->kids == NULL) || n->len != 0)
        abort();
    k = n->kind == AC_NODE_MAP ? 2u * n->n : n->n;
    for (i = 0; i < k; i++) {
        if (n->kind == AC_NODE_MAP && i % 2u == 0 && n->kids[i]->kind != AC_NODE_SCALAR)
            abort();
        check(w, n->kids[i], depth + 1);
    }
}

static void run(const char *text, size_t size, const struct ac_doc_limits *lim)
{
    struct ac_arena *a = ac__arena_new((size_t)64 << 20);
    struct ac_node **docs = NULL;
    size_t ndocs = 0, i;
    struct ac_diag d;
    struct walk w;

    if (a == NULL)
        return;
    if (ac__doc_parse(a, text, size, "fuzz.yaml", lim, &docs, &ndocs, &d) == AC_OK) {
        if (ndocs > 0 && docs == NULL)
            abort();
        w.lim = lim;
        w.budget = 4u * size + 16u + lim->max_alias_nodes;
        for (i = 0; i < ndocs; i++)
            check(&w, docs[i], 0);
    } else if (d.msg[0] == '\0') {
        abort();
    }
    ac__arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_doc_limits lim;

    ac__doc_limits_default(&lim);
    lim.max_depth = 200;
    lim.max_alias_nodes = 100000;
    run((const char *)data, size, &lim);
    lim.max_depth = 4;
    lim.max_scalar = 16;
    lim.max_nodes = 64;
    lim.max_alias_nodes = 50;
    run((const char *)data, size, &lim);
    return 0;
}
