/* fuzz_manifest.c - libFuzzer target for the manifest and Backstage readers.
 *
 * Parses the input with ac__doc_parse, reads the first document as a manifest and every document
 * as a Backstage catalog, each into a fresh set, once with a roomy arena and once with a tiny one
 * (so the out-of-memory paths run too), then frees everything. Invariants checked: an error
 * always comes with a diagnostic (code, message, a position for schema errors); a success yields
 * complete declarations (names, resolved ref paths) and policy values that are valid JSON.
 */
#include "arena.h"
#include "backstage.h"
#include "doc.h"
#include "manifest.h"
#include "model.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum ac_err rc, const struct ac_diag *d, const struct ac_decl_set *s)
{
    size_t i;

    if (rc != AC_OK) {
        if (d->code != rc || d->msg[0] == '\0' || (rc == AC_ESCHEMA && d->line == 0))
            abort();
        return;
    }
    for (i = 0; i < s->napis; i++)
        if (s->apis[i].name == NULL || s->apis[i].name[0] == '\0')
            abort();
    for (i = 0; i < s->nrefs; i++)
        if (s->refs[i].path == NULL || s->refs[i].api == NULL)
            abort();
    for (i = 0; i < s->ndeployments; i++)
        if (s->deployments[i].host == NULL || s->deployments[i].port <= 0)
            abort();
    for (i = 0; i < s->npolicy; i++) {
        json_object *j = json_tokener_parse(s->policy[i].value);

        if (j == NULL)
            abort();
        json_object_put(j);
    }
}

static void run(struct ac_node **docs, size_t ndocs, size_t cap)
{
    struct ac_decl_set *s;
    struct ac_diag d;
    enum ac_err rc;

    if ((s = ac__decl_set_new(AC_DOC_MANIFEST, "fuzz/apicensus.yaml", cap)) != NULL) {
        ac_diag_clear(&d);
        (void)ac__manifest_detect(ndocs > 0 ? docs[0] : NULL);
        rc = ac__manifest_read(ndocs > 0 ? docs[0] : NULL, "fuzz/apicensus.yaml", s, &d);
        check(rc, &d, s);
        ac__decl_set_free(s);
    }
    if ((s = ac__decl_set_new(AC_DOC_BACKSTAGE, "fuzz/catalog-info.yaml", cap)) != NULL) {
        ac_diag_clear(&d);
        (void)ac__backstage_detect(docs, ndocs);
        rc = ac__backstage_read(docs, ndocs, "fuzz/catalog-info.yaml", s, &d);
        check(rc, &d, s);
        ac__decl_set_free(s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_arena *a = ac__arena_new((size_t)64 << 20);
    struct ac_node **docs = NULL;
    struct ac_diag d;
    size_t ndocs = 0;
    char *text = malloc(size + 1);

    if (a == NULL || text == NULL)
        goto out;
    if (size > 0)
        memcpy(text, data, size);
    text[size] = '\0';
    if (ac__doc_parse(a, text, size, "fuzz/apicensus.yaml", NULL, &docs, &ndocs, &d) != AC_OK)
        goto out;
    run(docs, ndocs, 0);
    run(docs, ndocs, 4096);
out:
    free(text);
    ac__arena_free(a);
    return 0;
}
