/* test_manifest.c - the apicensus.yaml reader as a user meets it.
 *
 * PRODUCT.md's example manifest must read with every value in place; each kind of mistake a user
 * makes (a typo in a key, a bad enum value, an impossible date, a bad URL, a string where a list
 * belongs, duplicates) must be an AC_ESCHEMA naming the file, the exact line and column and what
 * was expected; spec paths resolve against the manifest's directory; the `init` skeleton reads
 * as an empty manifest and, uncommented, as a full one. The document tree is freed before the
 * set is inspected, so the set cannot borrow from it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arena.h"
#include "doc.h"
#include "manifest.h"
#include "model.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
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
    r->set = ac__decl_set_new(AC_DOC_MANIFEST, file, 0);
    assert_non_null(r->set);
    r->rc = ac__doc_parse(a, text, strlen(text), file, NULL, &docs, &n, &r->d);
    if (r->rc != AC_OK)
        fail_msg("parse failed: %s:%u:%u: %s", r->d.file, r->d.line, r->d.col, r->d.msg);
    r->detected = ac__manifest_detect(n > 0 ? docs[0] : NULL);
    r->rc = ac__manifest_read(n > 0 ? docs[0] : NULL, file, r->set, &r->d);
    ac__arena_free(a);
    return r->rc;
}

static void done(struct run *r)
{
    ac__decl_set_free(r->set);
}

static void read_ok(struct run *r, const char *file, const char *text)
{
    if (run(r, file, text) != AC_OK)
        fail_msg("unexpected error %s:%u:%u: %s", r->d.file, r->d.line, r->d.col, r->d.msg);
}

/* The text must be rejected at line:col with a message containing each of the needles. */
static void expect_error(const char *text, uint32_t line, uint32_t col, const char *needle,
                         const char *needle2)
{
    struct run r;

    if (run(&r, "inv/apicensus.yaml", text) != AC_ESCHEMA)
        fail_msg("expected AC_ESCHEMA, got %d for:\n%s", r.rc, text);
    if (strstr(r.d.msg, needle) == NULL || (needle2 != NULL && strstr(r.d.msg, needle2) == NULL))
        fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", r.d.msg, needle,
                 needle2 != NULL ? needle2 : "");
    assert_string_equal(r.d.file, "inv/apicensus.yaml");
    if (r.d.line != line || r.d.col != col)
        fail_msg("error at %u:%u, expected %u:%u (%s)", r.d.line, r.d.col, line, col, r.d.msg);
    done(&r);
}

static const char product_example[] =
    "organisation:\n"
    "  domains: [example.com, example.net]   # hosts under these are ours\n"
    "apis:\n"
    "  - name: accounts\n"
    "    owner: identity-team <identity@example.com>\n"
    "    description: sign-up, login and profile\n"
    "    docs: https://docs.example.com/accounts\n"
    "    data: [email, name, credentials]\n"
    "    review: {last: 2026-09-01, every_days: 90}\n"
    "    specs: [specs/accounts.yaml]          # specs whose versions come from their paths\n"
    "    versions:\n"
    "      v1: {status: retired, sunset: 2025-06-30, superseded_by: v2}\n"
    "      v2: {status: active, specs: [specs/accounts-v2.yaml]}\n"
    "    deployments:\n"
    "      - {url: \"https://api.example.com/accounts/v2\", environment: production, audience: "
    "public,\n"
    "         protections: [rate-limit, waf]}\n"
    "      - {url: \"https://beta.example.com/accounts/v2\", environment: staging, audience: "
    "internal,\n"
    "         production_data: false}\n"
    "integrations:\n"
    "  - name: dealership-payments\n"
    "    url: https://api.mypremiumdealership.com\n"
    "    direction: outbound\n"
    "    purpose: payment processing for orders\n"
    "    data: [email, phone, name]\n"
    "    justification: contract 2026-114\n"
    "    approved: {by: ciso@example.com, on: 2026-01-15}\n"
    "policy:\n"
    "  severity: {orphan-operation: info}\n"
    "  fail_on: high\n"
    "  window_days: 30                  # traffic window for orphan and dormant\n"
    "  dormant_after_days: 30\n"
    "  burst_without_limit: 1000\n"
    "  public_docs: false\n"
    "  minimum_versions: {nginx: \"1.24\", express: \"4.19\"}\n"
    "  paths:\n"
    "    pin: [\"/repos/{owner}/{repo}\"]      # templates the inference must use\n"
    "    literal: [\"/users/me\"]              # paths whose segments are never parameters\n"
    "accepted:\n"
    "  - {finding: \"<finding id>\", reason: \"migration ticket OPS-12\", until: 2027-01-31}\n";

static const char *policy(const struct ac_decl_set *s, const char *key)
{
    size_t i;

    for (i = 0; i < s->npolicy; i++)
        if (strcmp(s->policy[i].key, key) == 0)
            return s->policy[i].value;
    fail_msg("no policy entry '%s'", key);
    return NULL;
}

static void test_product_example(void **state)
{
    const struct ac_decl_deployment *dep;
    const struct ac_decl_api *api;
    const struct ac_decl_integration *in;
    struct ac_decl_set *s;
    struct run r;
    size_t i;
    (void)state;

    read_ok(&r, "/srv/inv/apicensus.yaml", product_example);
    s = r.set;
    assert_true(r.detected);
    assert_string_equal(s->format, "apicensus manifest");
    assert_int_equal(s->domains.n, 2);
    assert_string_equal(s->domains.v[0], "example.com");
    assert_string_equal(s->domains.v[1], "example.net");

    assert_int_equal(s->napis, 1);
    api = &s->apis[0];
    assert_string_equal(api->name, "accounts");
    assert_string_equal(api->owner, "identity-team");
    assert_string_equal(api->contact, "identity@example.com");
    assert_string_equal(api->description, "sign-up, login and profile");
    assert_string_equal(api->docs, "https://docs.example.com/accounts");
    assert_true(api->has_data);
    assert_int_equal(api->data.n, 3);
    assert_string_equal(api->data.v[2], "credentials");
    assert_string_equal(api->review_last, "2026-09-01");
    assert_int_equal(api->review_every_days, 90);
    assert_null(api->lifecycle);
    assert_int_equal(api->line, 4);

    assert_int_equal(s->nversions, 2);
    assert_string_equal(s->versions[0].api, "accounts");
    assert_string_equal(s->versions[0].label, "v1");
    assert_string_equal(s->versions[0].status, "retired");
    assert_string_equal(s->versions[0].sunset, "2025-06-30");
    assert_string_equal(s->versions[0].superseded_by, "v2");
    assert_null(s->versions[0].deprecated_on);
    assert_int_equal(s->versions[0].line, 12);
    assert_string_equal(s->versions[1].label, "v2");
    assert_string_equal(s->versions[1].status, "active");
    assert_int_equal(s->versions[1].line, 13);

    assert_int_equal(s->nrefs, 2);
    assert_string_equal(s->refs[0].path, "/srv/inv/specs/accounts.yaml");
    assert_string_equal(s->refs[0].api, "accounts");
    assert_null(s->refs[0].version);
    assert_int_equal(s->refs[0].line, 10);
    assert_string_equal(s->refs[1].path, "/srv/inv/specs/accounts-v2.yaml");
    assert_string_equal(s->refs[1].version, "v2");
    assert_null(s->refs[1].inline_text);

    assert_int_equal(s->ndeployments, 2);
    dep = &s->deployments[0];
    assert_string_equal(dep->api, "accounts");
    assert_string_equal(dep->url, "https://api.example.com/accounts/v2");
    assert_string_equal(dep->scheme, "https");
    assert_string_equal(dep->host, "api.example.com");
    assert_int_equal(dep->port, 443);
    assert_string_equal(dep->base_path, "/accounts/v2");
    assert_string_equal(dep->environment, "production");
    assert_string_equal(dep->audience, "public");
    assert_true(dep->has_protections);
    assert_int_equal(dep->protections.n, 2);
    assert_string_equal(dep->protections.v[0], "rate-limit");
    assert_string_equal(dep->protections.v[1], "waf");
    assert_int_equal(dep->production_data, -1);
    assert_null(dep->version);
    assert_int_equal(dep->line, 15);
    dep = &s->deployments[1];
    assert_string_equal(dep->host, "beta.example.com");
    assert_string_equal(dep->environment, "staging");
    assert_string_equal(dep->audience, "internal");
    assert_false(dep->has_protections);
    assert_int_equal(dep->production_data, 0);

    assert_int_equal(s->nintegrations, 1);
    in = &s->integrations[0];
    assert_string_equal(in->name, "dealership-payments");
    assert_string_equal(in->url, "https://api.mypremiumdealership.com");
    assert_string_equal(in->host, "api.mypremiumdealership.com");
    assert_string_equal(in->direction, "outbound");
    assert_string_equal(in->purpose, "payment processing for orders");
    assert_int_equal(in->data.n, 3);
    assert_string_equal(in->data.v[1], "phone");
    assert_string_equal(in->justification, "contract 2026-114");
    assert_string_equal(in->approved_by, "ciso@example.com");
    assert_string_equal(in->approved_on, "2026-01-15");
    assert_int_equal(in->line, 20);

    assert_int_equal(s->npolicy, 8);
    assert_string_equal(s->policy[0].key, "severity");
    assert_int_equal(s->policy[0].line, 28);
    assert_string_equal(policy(s, "severity"), "{\"orphan-operation\":\"info\"}");
    assert_string_equal(policy(s, "fail_on"), "\"high\"");
    assert_string_equal(policy(s, "window_days"), "30");
    assert_string_equal(policy(s, "dormant_after_days"), "30");
    assert_string_equal(policy(s, "burst_without_limit"), "1000");
    assert_string_equal(policy(s, "public_docs"), "false");
    assert_string_equal(policy(s, "minimum_versions"), "{\"nginx\":\"1.24\",\"express\":\"4.19\"}");
    assert_string_equal(policy(s, "paths"),
                        "{\"pin\":[\"/repos/{owner}/{repo}\"],\"literal\":[\"/users/me\"]}");
    for (i = 0; i < s->npolicy; i++) {
        json_object *j = json_tokener_parse(s->policy[i].value);

        if (j == NULL)
            fail_msg("policy %s is not JSON: %s", s->policy[i].key, s->policy[i].value);
        json_object_put(j);
    }

    assert_int_equal(s->naccepted, 1);
    assert_string_equal(s->accepted[0].finding, "<finding id>");
    assert_string_equal(s->accepted[0].reason, "migration ticket OPS-12");
    assert_string_equal(s->accepted[0].until, "2027-01-31");
    assert_int_equal(s->accepted[0].line, 39);
    done(&r);
}

static void test_typo_key_with_suggestion(void **state)
{
    (void)state;
    expect_error("apis:\n  - name: accounts\n    ownr: team-a\n", 3, 5,
                 "unknown key 'ownr' in api (expected one of: name, owner,",
                 "did you mean 'owner'?");
    expect_error("organization:\n  domains: [example.com]\n", 1, 1, "unknown key 'organization'",
                 "did you mean 'organisation'?");
    expect_error("apis:\n  - name: a\n    versions:\n      v1: {deprecated_on: 2025-01-01}\n", 4,
                 12, "unknown key 'deprecated_on' in version", "did you mean 'deprecated'?");
    expect_error("policy:\n  window_day: 30\n", 2, 3, "unknown key 'window_day' in policy",
                 "did you mean 'window_days'?");
    expect_error("apis:\n  - name: a\n    owner: x\n    owner: y\n", 4, 5, "duplicate key 'owner'",
                 "first on line 3");
}

static void test_bad_enum_values(void **state)
{
    (void)state;
    expect_error("apis:\n  - name: a\n    versions:\n      v1:\n        status: actve\n", 5, 17,
                 "invalid status 'actve' (expected one of: active, deprecated, retired)",
                 "did you mean 'active'?");
    expect_error("apis:\n  - name: a\n    deployments:\n      - url: https://a.example.com\n"
                 "        environment: prod\n",
                 5, 22, "invalid environment 'prod'", "did you mean 'production'?");
    expect_error("apis:\n  - {name: a, lifecycle: live}\n", 2, 26, "invalid lifecycle 'live'",
                 "design, active, deprecated, retired");
    expect_error("integrations:\n  - {name: p, url: p.example.net, direction: out}\n", 2, 46,
                 "invalid direction 'out'", "inbound, outbound, both");
    expect_error("policy:\n  fail_on: severe\n", 2, 12, "invalid fail_on 'severe'",
                 "info, low, medium, high, critical");
    expect_error("policy:\n  severity: {orphan-operaton: info}\n", 2, 14,
                 "unknown rule 'orphan-operaton'", "did you mean 'orphan-operation'?");
    expect_error("policy:\n  severity: {dormant: urgent}\n", 2, 23, "invalid severity 'urgent'",
                 NULL);
}

static void test_bad_dates(void **state)
{
    struct run r;
    (void)state;

    expect_error("apis:\n  - name: a\n    versions:\n      v1: {sunset: 2026-02-30}\n", 4, 20,
                 "invalid date '2026-02-30' for 'sunset'", "YYYY-MM-DD");
    expect_error("accepted:\n  - {finding: f, reason: r, until: 2027-13-01}\n", 2, 36,
                 "invalid date '2027-13-01'", NULL);
    expect_error("apis:\n  - name: a\n    review: {last: 1/2/2026}\n", 3, 20,
                 "invalid date '1/2/2026' for 'last'", NULL);
    expect_error("apis:\n  - name: a\n    versions:\n      v1: {deprecated: true}\n", 4, 24,
                 "'deprecated' takes the deprecation date", "status: deprecated");
    /* 2024 is a leap year, 2100 is not. */
    read_ok(&r, "m.yaml",
            "apis:\n  - name: a\n    versions:\n      v1: {deprecated: 2024-02-29}\n");
    assert_string_equal(r.set->versions[0].deprecated_on, "2024-02-29");
    done(&r);
    expect_error("apis:\n  - name: a\n    review: {last: 2100-02-29}\n", 3, 20, "invalid date",
                 NULL);
}

static void test_bad_urls(void **state)
{
    (void)state;
    expect_error("apis:\n  - name: a\n    deployments:\n      - url: ftp://files.example.com\n", 4,
                 14, "invalid URL 'ftp://files.example.com' for 'url'", "http:// or https://");
    expect_error("apis:\n  - name: a\n    deployments:\n      - {url: \"https://\"}\n", 4, 15,
                 "invalid URL", NULL);
    expect_error("apis:\n  - name: a\n    deployments:\n      - url: https://exa mple.com/x\n", 4,
                 14, "invalid URL", NULL);
    expect_error("apis:\n  - name: a\n    docs: docs.example.com/a\n", 3, 11,
                 "invalid URL 'docs.example.com/a' for 'docs'", NULL);
    expect_error("integrations:\n  - name: p\n    url: not a host\n", 3, 10, "invalid URL",
                 "host name");
    expect_error("apis:\n  - name: a\n    deployments:\n      - environment: production\n", 4, 9,
                 "missing required key 'url' in deployment", NULL);
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_error("apis:\n  - name: a\n    data: email\n", 3, 11,
                 "wrong type for 'data': expected a list, got a string", NULL);
    expect_error("apis:\n  name: a\n", 2, 3, "wrong type for 'apis': expected a list, got a map",
                 NULL);
    expect_error("apis:\n  - name: a\n    review: {every_days: \"90\"}\n", 3, 26,
                 "wrong type for 'every_days'", "got a string");
    expect_error("policy:\n  window_days: 0\n", 2, 16, "invalid value '0' for 'window_days'", NULL);
    expect_error("policy:\n  window_days: 2.5\n", 2, 16, "expected a whole number", NULL);
    expect_error("policy:\n  public_docs: \"no\"\n", 2, 16,
                 "wrong type for 'public_docs': expected true or false", NULL);
    expect_error("apis:\n  - name: [a, b]\n", 2, 11, "wrong type for 'name'", "got a list");
    expect_error("apis:\n  - name: a\n    deployments:\n      - url: https://a.example.com\n"
                 "        production_data: maybe\n",
                 5, 26, "wrong type for 'production_data'", NULL);
    expect_error("- apis\n", 1, 1, "a manifest is a map", "got a list");
    expect_error("policy:\n  paths: {pin: [\"repos/{owner}\"]}\n", 2, 17, "invalid pin path",
                 "/repos/{owner}/{repo}");
    expect_error("organisation:\n  domains: [\"https://example.com\"]\n", 2, 13,
                 "invalid domain 'https://example.com'", NULL);
}

static void test_required_and_duplicates(void **state)
{
    (void)state;
    expect_error("apis:\n  - owner: team-a\n", 2, 5, "missing required key 'name' in api", NULL);
    expect_error("apis:\n  - name: accounts\n  - name: billing\n  - name: accounts\n", 4, 11,
                 "duplicate api name 'accounts'", "first declared on line 2");
    expect_error("apis:\n  - name: a\n    versions:\n      v1: {}\n      v2: {}\n      v1: {}\n", 6,
                 7, "duplicate version 'v1'", "first declared on line 4");
    expect_error("integrations:\n  - {name: p, url: a.example.net}\n"
                 "  - {name: p, url: b.example.net}\n",
                 3, 12, "duplicate integration name 'p'", NULL);
    expect_error("organisation:\n  domains: [example.com, Example.COM]\n", 2, 26,
                 "duplicate domain 'example.com'", NULL);
    expect_error("accepted:\n  - {finding: f, until: 2027-01-31}\n", 2, 5,
                 "missing required key 'reason'", NULL);
    expect_error("apis:\n  - name: a\n    versions:\n      v1: {superseded_by: v1}\n", 4, 27,
                 "cannot supersede itself", NULL);
}

static void test_empty_manifest(void **state)
{
    struct run r;
    (void)state;

    assert_int_equal(run(&r, "m.yaml", ""), AC_ESCHEMA);
    assert_string_equal(r.d.msg, "empty manifest");
    done(&r);
    assert_int_equal(run(&r, "m.yaml", "# only a comment\n---\n"), AC_ESCHEMA);
    assert_string_equal(r.d.msg, "empty manifest");
    done(&r);
    /* An explicit empty map is a manifest that declares nothing. */
    read_ok(&r, "m.yaml", "{}\n");
    assert_int_equal(r.set->napis, 0);
    done(&r);
}

static void test_spec_paths_resolve_against_manifest_dir(void **state)
{
    struct run r;
    (void)state;

    read_ok(&r, "conf/inv/apicensus.yaml",
            "apis:\n  - name: a\n    specs: [../specs/a.yaml, ./b.yaml, /abs/c.yaml]\n"
            "    versions:\n      v3: {specs: [v3/d.json]}\n");
    assert_int_equal(r.set->nrefs, 4);
    assert_string_equal(r.set->refs[0].path, "conf/specs/a.yaml");
    assert_string_equal(r.set->refs[1].path, "conf/inv/b.yaml");
    assert_string_equal(r.set->refs[2].path, "/abs/c.yaml");
    assert_string_equal(r.set->refs[3].path, "conf/inv/v3/d.json");
    assert_string_equal(r.set->refs[3].version, "v3");
    assert_int_equal(r.set->refs[3].line, 5);
    done(&r);
    read_ok(&r, "apicensus.yaml", "apis:\n  - {name: a, specs: [specs/a.yaml]}\n");
    assert_string_equal(r.set->refs[0].path, "specs/a.yaml");
    done(&r);
    expect_error("apis:\n  - {name: a, specs: [\"https://x.example.com/a.yaml\"]}\n", 2, 23,
                 "is a URL", NULL);
}

static void test_owner_contact_and_hosts(void **state)
{
    struct run r;
    (void)state;

    read_ok(&r, "m.yaml",
            "apis:\n  - {name: a, owner: jdoe@example.com}\n  - {name: b, owner: platform}\n"
            "  - {name: c, owner: <ops@example.com>}\n"
            "integrations:\n  - {name: p, url: \"API.Partner.net:8443\"}\n");
    assert_string_equal(r.set->apis[0].owner, "jdoe@example.com");
    assert_string_equal(r.set->apis[0].contact, "jdoe@example.com");
    assert_string_equal(r.set->apis[1].owner, "platform");
    assert_null(r.set->apis[1].contact);
    assert_string_equal(r.set->apis[2].owner, "ops@example.com");
    assert_string_equal(r.set->integrations[0].url, "API.Partner.net:8443");
    assert_string_equal(r.set->integrations[0].host, "api.partner.net");
    done(&r);
    expect_error("apis:\n  - {name: a, owner: team <>}\n", 2, 22, "invalid owner", NULL);
}

static void test_version_binding_and_escaping(void **state)
{
    struct run r;
    json_object *j, *pin;
    (void)state;

    read_ok(
        &r, "m.yaml",
        "apis:\n  - name: a\n    versions: {\"1.25\": {status: deprecated}, 2024-06-01: }\n"
        "    deployments:\n      - {url: \"http://A.example.com:8080/base/\", version: \"1.25\"}\n"
        "policy:\n  minimum_versions: {'Ng\"x': 1.20}\n  paths: {pin: ['/a\\b/{x}']}\n");
    assert_int_equal(r.set->nversions, 2);
    assert_string_equal(r.set->versions[0].label, "1.25");
    assert_string_equal(r.set->versions[1].label, "2024-06-01");
    assert_null(r.set->versions[1].status);
    assert_string_equal(r.set->deployments[0].version, "1.25");
    assert_string_equal(r.set->deployments[0].host, "a.example.com");
    assert_int_equal(r.set->deployments[0].port, 8080);
    assert_string_equal(r.set->deployments[0].base_path, "/base");
    /* Unquoted 1.20 keeps its text; names are lower-cased; quotes and backslashes escaped. */
    assert_string_equal(r.set->policy[0].value, "{\"ng\\\"x\":\"1.20\"}");
    j = json_tokener_parse(r.set->policy[1].value);
    assert_non_null(j);
    assert_true(json_object_object_get_ex(j, "pin", &pin));
    assert_string_equal(json_object_get_string(json_object_array_get_idx(pin, 0)), "/a\\b/{x}");
    json_object_put(j);
    done(&r);
}

static void test_json_manifest(void **state)
{
    struct run r;
    (void)state;

    read_ok(&r, "m.json", "{\"apis\": [{\"name\": \"a\", \"data\": [\"Email\"]}]}");
    assert_string_equal(r.set->apis[0].data.v[0], "email");
    done(&r);
    expect_error("{\n  \"apis\": [{\"name\": \"a\", \"ownr\": \"x\"}]\n}\n", 2, 26,
                 "unknown key 'ownr'", "did you mean 'owner'?");
}

static void test_detect(void **state)
{
    static const char *const yes[] = {"apis: []\n", "organisation: {domains: []}\npolicy: {}\n",
                                      "integrations: []\naccepted: []\n"};
    static const char *const no[] = {"openapi: 3.0.0\ninfo: {title: x}\n",
                                     "policy: {}\n",
                                     "apis: []\nopenapi: 3.0.0\n",
                                     "- apis\n",
                                     "{}\n",
                                     "apiVersion: backstage.io/v1alpha1\nkind: API\n"};
    struct run r;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        run(&r, "m.yaml", yes[i]);
        if (!r.detected)
            fail_msg("not detected: %s", yes[i]);
        done(&r);
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        run(&r, "m.yaml", no[i]);
        if (r.detected)
            fail_msg("detected: %s", no[i]);
        done(&r);
    }
    assert_false(ac__manifest_detect(NULL));
}

/* Uncomment the skeleton's examples: "#  x" lines lose their '#', "  # key:" policy lines lose
 * theirs, and the empty lists the examples follow stop being empty. */
static char *uncomment(const char *sk)
{
    size_t len = strlen(sk), o = 0;
    char *out = malloc(len + 1);
    const char *p = sk;

    assert_non_null(out);
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) + 1 : strlen(p);

        if (strncmp(p, "#  ", 3) == 0) {
            p++;
            n--;
        } else if (strncmp(p, "  # ", 4) == 0) {
            memcpy(out + o, "  ", 2);
            o += 2;
            p += 4;
            n -= 4;
        } else if (p[0] != ' ' && p[0] != '#' && n >= 4 && strncmp(p + n - 4, " []\n", 4) == 0) {
            memcpy(out + o, p, n - 4);
            o += n - 4;
            out[o++] = '\n';
            p += n;
            continue;
        }
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    out[o] = '\0';
    return out;
}

static void test_skeleton(void **state)
{
    static const char *const keys[] = {"organisation:",
                                       "domains:",
                                       "apis:",
                                       "name:",
                                       "owner:",
                                       "description:",
                                       "lifecycle:",
                                       "docs:",
                                       "data:",
                                       "review:",
                                       "last:",
                                       "every_days:",
                                       "specs:",
                                       "versions:",
                                       "status:",
                                       "deprecated:",
                                       "sunset:",
                                       "superseded_by:",
                                       "deployments:",
                                       "url:",
                                       "version:",
                                       "environment:",
                                       "audience:",
                                       "protections:",
                                       "production_data:",
                                       "integrations:",
                                       "direction:",
                                       "purpose:",
                                       "justification:",
                                       "approved:",
                                       "by:",
                                       "on:",
                                       "policy:",
                                       "severity:",
                                       "fail_on:",
                                       "window_days:",
                                       "dormant_after_days:",
                                       "burst_without_limit:",
                                       "public_docs:",
                                       "minimum_versions:",
                                       "paths:",
                                       "pin:",
                                       "literal:",
                                       "accepted:",
                                       "finding:",
                                       "reason:",
                                       "until:"};
    const char *sk = ac__manifest_skeleton();
    char *full;
    struct run r;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strstr(sk, keys[i]) == NULL)
            fail_msg("skeleton lacks %s", keys[i]);
    /* As written: a valid manifest that declares nothing. */
    read_ok(&r, "apicensus.yaml", sk);
    assert_true(r.detected);
    assert_int_equal(r.set->napis + r.set->nintegrations + r.set->npolicy + r.set->naccepted, 0);
    assert_int_equal(r.set->domains.n, 0);
    done(&r);
    /* Uncommented: every example is valid too. */
    full = uncomment(sk);
    read_ok(&r, "apicensus.yaml", full);
    assert_int_equal(r.set->napis, 1);
    assert_int_equal(r.set->nversions, 2);
    assert_int_equal(r.set->ndeployments, 1);
    assert_string_equal(r.set->deployments[0].version, "v2");
    assert_int_equal(r.set->nintegrations, 1);
    assert_int_equal(r.set->npolicy, 8);
    assert_string_equal(policy(r.set, "public_docs"), "true");
    assert_int_equal(r.set->naccepted, 1);
    assert_int_equal(r.set->nrefs, 2);
    done(&r);
    free(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_example),
        cmocka_unit_test(test_typo_key_with_suggestion),
        cmocka_unit_test(test_bad_enum_values),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_bad_urls),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_required_and_duplicates),
        cmocka_unit_test(test_empty_manifest),
        cmocka_unit_test(test_spec_paths_resolve_against_manifest_dir),
        cmocka_unit_test(test_owner_contact_and_hosts),
        cmocka_unit_test(test_version_binding_and_escaping),
        cmocka_unit_test(test_json_manifest),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_skeleton),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
