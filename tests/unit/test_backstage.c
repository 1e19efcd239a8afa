/* test_backstage.c - Backstage catalog files: which entities become APIs, and what they carry.
 *
 * A catalog file mixes kinds; only `kind: API` entities count. Their definition becomes a ref
 * (a file placeholder resolved against the catalog's directory, or the inline text), their owner
 * and lifecycle are mapped to apicensus terms, and a malformed entity is an error at its
 * position. The document tree is freed before the set is inspected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arena.h"
#include "backstage.h"
#include "doc.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

struct run {
    struct ac_decl_set *set;
    struct ac_diag d;
    enum ac_err rc;
    bool detected;
};

static enum ac_err run(struct run *r, const char *file, const char *text)
{
    struct ac_arena *a = ac__arena_new(0);
    struct ac_node **docs = NULL;
    size_t n = 0;

    memset(r, 0, sizeof(*r));
    assert_non_null(a);
    r->set = ac__decl_set_new(AC_DOC_BACKSTAGE, file, 0);
    assert_non_null(r->set);
    r->rc = ac__doc_parse(a, text, strlen(text), file, NULL, &docs, &n, &r->d);
    if (r->rc != AC_OK)
        fail_msg("parse failed: %s:%u:%u: %s", r->d.file, r->d.line, r->d.col, r->d.msg);
    r->detected = ac__backstage_detect(docs, n);
    r->rc = ac__backstage_read(docs, n, file, r->set, &r->d);
    ac__arena_free(a);
    return r->rc;
}

static void read_ok(struct run *r, const char *file, const char *text)
{
    if (run(r, file, text) != AC_OK)
        fail_msg("unexpected error %s:%u:%u: %s", r->d.file, r->d.line, r->d.col, r->d.msg);
}

static void done(struct run *r)
{
    ac__decl_set_free(r->set);
}

static const char catalog[] = "apiVersion: backstage.io/v1alpha1\n"
                              "kind: Component\n"
                              "metadata:\n"
                              "  name: petstore-service\n"
                              "spec:\n"
                              "  type: service\n"
                              "  lifecycle: production\n"
                              "  owner: team-a\n"
                              "  providesApis: [petstore]\n"
                              "---\n"
                              "apiVersion: backstage.io/v1alpha1\n"
                              "kind: API\n"
                              "metadata:\n"
                              "  name: petstore\n"
                              "  description: The Petstore API\n"
                              "  links:\n"
                              "    - {url: https://status.example.com, title: Status}\n"
                              "    - {url: https://docs.example.com/petstore, title: API Docs}\n"
                              "spec:\n"
                              "  type: openapi\n"
                              "  lifecycle: production\n"
                              "  owner: group:default/team-a\n"
                              "  system: pets\n"
                              "  definition:\n"
                              "    $text: ./specs/../specs/petstore.yaml\n"
                              "---\n"
                              "apiVersion: backstage.io/v1alpha1\n"
                              "kind: API\n"
                              "metadata:\n"
                              "  name: inventory\n"
                              "spec:\n"
                              "  type: openapi\n"
                              "  lifecycle: experimental\n"
                              "  owner: user:default/jdoe\n"
                              "  definition: |\n"
                              "    openapi: 3.0.0\n"
                              "    info: {title: Inventory, version: 1.0.0}\n"
                              "    paths: {}\n"
                              "---\n"
                              "apiVersion: backstage.io/v1alpha1\n"
                              "kind: Group\n"
                              "metadata: {name: team-a}\n"
                              "spec: {type: team, children: []}\n";

static void test_catalog_with_component_and_two_apis(void **state)
{
    const struct ac_decl_set *s;
    struct run r;
    (void)state;

    read_ok(&r, "repo/catalog-info.yaml", catalog);
    s = r.set;
    assert_true(r.detected);
    assert_string_equal(s->format, "backstage");
    assert_int_equal(s->napis, 2);
    assert_string_equal(s->apis[0].name, "petstore");
    assert_string_equal(s->apis[0].description, "The Petstore API");
    assert_string_equal(s->apis[0].owner, "team-a");
    assert_string_equal(s->apis[0].lifecycle, "active");
    assert_string_equal(s->apis[0].docs, "https://docs.example.com/petstore");
    assert_int_equal(s->apis[0].line, 11);
    assert_string_equal(s->apis[1].name, "inventory");
    assert_string_equal(s->apis[1].owner, "user:jdoe");
    assert_string_equal(s->apis[1].lifecycle, "design");
    assert_null(s->apis[1].docs);
    assert_null(s->apis[1].description);
    assert_int_equal(s->apis[1].line, 27);

    assert_int_equal(s->nrefs, 2);
    assert_string_equal(s->refs[0].path, "repo/specs/petstore.yaml");
    assert_string_equal(s->refs[0].api, "petstore");
    assert_null(s->refs[0].version);
    assert_null(s->refs[0].inline_text);
    assert_int_equal(s->refs[0].line, 25);
    assert_string_equal(s->refs[1].path, "repo/catalog-info.yaml#inventory");
    assert_string_equal(s->refs[1].api, "inventory");
    assert_non_null(s->refs[1].inline_text);
    assert_int_equal(s->refs[1].inline_len, strlen(s->refs[1].inline_text));
    assert_non_null(strstr(s->refs[1].inline_text, "openapi: 3.0.0\ninfo:"));
    /* Nothing else is declared by a catalog. */
    assert_int_equal(s->nversions + s->ndeployments + s->npolicy + s->nintegrations, 0);
    done(&r);
}

static void test_lifecycle_and_owner_mapping(void **state)
{
    static const struct {
        const char *lifecycle, *want_lifecycle, *owner, *want_owner;
    } cases[] = {
        {"production", "active", "team-a", "team-a"},
        {"experimental", "design", "group:team-b", "team-b"},
        {"deprecated", "deprecated", "Group:default/team-c", "team-c"},
        {"retired", "retired", "group:ops/sre", "ops/sre"},
        {"beta", "beta", "user:jo", "user:jo"},
        {"Production", "active", "default/team-d", "team-d"},
    };
    char text[512];
    struct run r;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(text, sizeof(text),
                 "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: x}\n"
                 "spec: {type: openapi, lifecycle: %s, owner: \"%s\"}\n",
                 cases[i].lifecycle, cases[i].owner);
        read_ok(&r, "c.yaml", text);
        assert_int_equal(r.set->napis, 1);
        assert_string_equal(r.set->apis[0].lifecycle, cases[i].want_lifecycle);
        assert_string_equal(r.set->apis[0].owner, cases[i].want_owner);
        assert_int_equal(r.set->nrefs, 0); /* no definition, no ref */
        done(&r);
    }
}

static void test_definitions_that_give_no_ref(void **state)
{
    struct run r;
    (void)state;

    /* A remote definition is not fetched; an AsyncAPI definition is no OpenAPI spec. The APIs
     * stay. */
    read_ok(&r, "c.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: remote}\n"
            "spec: {type: openapi, definition: {$text: \"https://example.com/openapi.yaml\"}}\n"
            "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: events}\n"
            "spec: {type: asyncapi, definition: {$text: ./events.yaml}}\n"
            "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: rpc}\n"
            "spec: {type: grpc, definition: \"syntax = 'proto3';\"}\n");
    assert_int_equal(r.set->napis, 3);
    assert_int_equal(r.set->nrefs, 0);
    done(&r);
    /* A named namespace qualifies the name; $openapi works like $text. */
    read_ok(&r, "cat/c.yaml",
            "apiVersion: backstage.io/v1beta1\nkind: API\nmetadata: {name: a, namespace: billing}\n"
            "spec: {type: OpenAPI, definition: {$openapi: a.json}}\n");
    assert_string_equal(r.set->apis[0].name, "billing/a");
    assert_int_equal(r.set->nrefs, 1);
    assert_string_equal(r.set->refs[0].path, "cat/a.json");
    assert_string_equal(r.set->refs[0].api, "billing/a");
    done(&r);
}

static void expect_error(const char *text, uint32_t line, uint32_t col, const char *needle)
{
    struct run r;

    if (run(&r, "cat.yaml", text) != AC_ESCHEMA)
        fail_msg("expected AC_ESCHEMA, got %d", r.rc);
    if (strstr(r.d.msg, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", r.d.msg, needle);
    assert_string_equal(r.d.file, "cat.yaml");
    if (r.d.line != line || r.d.col != col)
        fail_msg("error at %u:%u, expected %u:%u (%s)", r.d.line, r.d.col, line, col, r.d.msg);
    done(&r);
}

static void test_errors_have_positions(void **state)
{
    (void)state;
    expect_error("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  title: No name\n"
                 "spec: {type: openapi}\n",
                 4, 3, "API entity without metadata.name");
    expect_error("apiVersion: backstage.io/v1alpha1\nkind: API\nspec: {type: openapi}\n", 1, 1,
                 "API entity without metadata.name");
    expect_error("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\n"
                 "spec: {type: openapi, definition: [a, b]}\n",
                 4, 35, "wrong type for 'definition'");
    expect_error("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\n"
                 "spec: {type: openapi, definition: {$ref: a.yaml}}\n",
                 4, 36, "unknown placeholder '$ref'");
    expect_error("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\n"
                 "spec: [openapi]\n",
                 4, 7, "wrong type for 'spec'");
    expect_error("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\n---\n"
                 "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\n",
                 7, 18, "duplicate API entity 'a'");
}

static void test_detect_and_other_kinds(void **state)
{
    struct run r;
    (void)state;

    /* Backstage entities without any API: detected, nothing declared. */
    read_ok(&r, "c.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\n---\n");
    assert_true(r.detected);
    assert_int_equal(r.set->napis, 0);
    done(&r);
    /* kind: API under another apiVersion is not Backstage. */
    read_ok(&r, "c.yaml", "apiVersion: example.com/v1\nkind: API\nmetadata: {name: a}\n");
    assert_false(r.detected);
    assert_int_equal(r.set->napis, 0);
    done(&r);
    read_ok(&r, "c.yaml", "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n");
    assert_false(r.detected);
    done(&r);
    assert_false(ac__backstage_detect(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_with_component_and_two_apis),
        cmocka_unit_test(test_lifecycle_and_owner_mapping),
        cmocka_unit_test(test_definitions_that_give_no_ref),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_detect_and_other_kinds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
