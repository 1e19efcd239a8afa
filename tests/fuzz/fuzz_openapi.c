/* fuzz_openapi.c - libFuzzer target for the OpenAPI reader: parse (JSON or YAML), then read the
 * first document as OpenAPI into a declaration set, resolving and checking every $ref.
 *
 * Inputs are parsed as if they were a file named "fuzz/openapi.yaml"; relative $refs then point
 * at paths that do not exist, which exercises the error path without touching real files.
 */
#include "arena.h"
#include "doc.h"
#include "model.h"
#include "openapi.h"
#include "ref.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const labels[] = {"v1", "1.25", "2024-06-01"};
    struct ac_arena *a = ac__arena_new(64u << 20);
    struct ac_decl_set *set = ac__decl_set_new(AC_DOC_OPENAPI, "fuzz/openapi.yaml", 64u << 20);
    struct ac_doc_limits lim;
    struct ac_node **docs = NULL;
    struct ac_openapi_opts o = {NULL, NULL, labels, 3, false};
    struct ac_resolver *r;
    struct ac_diag d;
    size_t ndocs = 0;

    if (a == NULL || set == NULL)
        goto out;
    ac__doc_limits_default(&lim);
    lim.max_alias_nodes = 100000;
    if (ac__doc_parse(a, (const char *)data, size, "fuzz/openapi.yaml", &lim, &docs, &ndocs, &d) !=
            AC_OK ||
        ndocs == 0)
        goto out;
    r = ac__resolver_new(a, &lim, "fuzz/openapi.yaml", docs[0]);
    if (r != NULL && ac__openapi_detect(docs[0]))
        (void)ac__openapi_read(r, "fuzz/openapi.yaml", docs[0], &o, set, &d);
out:
    ac__decl_set_free(set);
    ac__arena_free(a);
    return 0;
}
