/* report_sarif.c - the findings as SARIF 2.1.0, for code-scanning UIs (GitHub, GitLab, Azure).
 *
 * One run. tool.driver.rules holds every rule of the catalogue (id, a CamelCase name, the
 * summary as shortDescription, why it matters as fullDescription, how to fix it as help, the
 * default level and a `security-severity` for GitHub's severity column). Each finding is a
 * result: ruleId and ruleIndex, level (critical and high: error, medium: warning, low and info:
 * note), the title as message, the finding id as partialFingerprints["apicensusFindingId/v1"]
 * (stable across runs, so code scanning tracks it), one location (the spec, manifest or log
 * file that declares the subject, relative to SRCROOT = the base directory when it lies under
 * it, else an absolute file: URI; the line, or 1 for a log), the subject and evidence under
 * properties, and an accepted finding as an external suppression.
 *
 * Built with json-c, so every string is escaped by one tested writer.
 */
/* realpath(3) is XSI. */
#define _XOPEN_SOURCE 700

#include "report.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static struct json_object *str(const char *s)
{
    return json_object_new_string(s != NULL ? s : "");
}

static struct json_object *text_obj(const char *s)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "text", str(s));
    return o;
}

static const char *level_of(const char *severity)
{
    if (severity == NULL)
        return "warning";
    if (strcmp(severity, "critical") == 0 || strcmp(severity, "high") == 0)
        return "error";
    if (strcmp(severity, "medium") == 0)
        return "warning";
    return "note";
}

/* GitHub maps security-severity to critical (>= 9.0), high (>= 7.0), medium (>= 4.0), low. */
static const char *security_severity(const char *severity)
{
    static const char *const sev[] = {"critical", "high", "medium", "low", "info"};
    static const char *const score[] = {"9.5", "8.0", "5.5", "3.0", "1.0"};
    size_t i;

    for (i = 0; severity != NULL && i < sizeof(sev) / sizeof(sev[0]); i++)
        if (strcmp(severity, sev[i]) == 0)
            return score[i];
    return "5.5";
}

/* "shadow-endpoint" -> "ShadowEndpoint"; a one-word id gets "Finding" ("DormantFinding"), as
 * SARIF readers expect a name that differs from the id. */
static void camel(const char *id, char *out, size_t cap)
{
    bool one_word = strchr(id, '-') == NULL, up = true;
    size_t k = 0;

    for (; *id != '\0' && k + 1 < cap; id++) {
        if (*id == '-') {
            up = true;
            continue;
        }
        out[k++] = up && *id >= 'a' && *id <= 'z' ? (char)(*id - 'a' + 'A') : *id;
        up = false;
    }
    out[k] = '\0';
    if (one_word && k > 0 && k + 8 <= cap)
        memcpy(out + k, "Finding", 8);
}

static struct json_object *rule_descriptor(const struct ac_table *rules, size_t i)
{
    struct json_object *r = json_object_new_object(), *cfg, *props, *tags, *help;
    const char *id = ac__cellv(rules, i, "rule"), *sev = ac__cellv(rules, i, "severity");
    const char *fix = ac__cellv(rules, i, "fix");
    char name[64], *md;
    size_t n;

    camel(id != NULL ? id : "", name, sizeof(name));
    json_object_object_add(r, "id", str(id));
    json_object_object_add(r, "name", str(name));
    json_object_object_add(r, "shortDescription", text_obj(ac__cellv(rules, i, "summary")));
    json_object_object_add(r, "fullDescription", text_obj(ac__cellv(rules, i, "why")));
    help = text_obj(fix);
    n = (fix != NULL ? strlen(fix) : 0) + (id != NULL ? strlen(id) : 0) + 96;
    md = malloc(n);
    if (md != NULL) {
        snprintf(md, n, "%s\n\nSee docs/rules.md, section `%s`, in the apicensus sources.",
                 fix != NULL ? fix : "", id != NULL ? id : "");
        json_object_object_add(help, "markdown", str(md));
        free(md);
    }
    json_object_object_add(r, "help", help);
    cfg = json_object_new_object();
    json_object_object_add(cfg, "level", str(level_of(sev)));
    json_object_object_add(r, "defaultConfiguration", cfg);
    props = json_object_new_object();
    json_object_object_add(props, "security-severity", str(security_severity(sev)));
    json_object_object_add(props, "severity", str(sev));
    tags = json_object_new_array();
    json_object_array_add(tags, str("security"));
    json_object_array_add(tags, str("api-inventory"));
    json_object_array_add(tags, str("owasp-api9"));
    json_object_object_add(props, "tags", tags);
    json_object_object_add(r, "properties", props);
    return r;
}

/* Percent-encode a path for a URI: unreserved characters and '/' stay. */
static void uri_path(const char *p, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t k = 0;

    for (; *p != '\0' && k + 4 < cap; p++) {
        unsigned char c = (unsigned char)*p;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out[k++] = (char)c;
        } else {
            out[k++] = '%';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        }
    }
    out[k] = '\0';
}

/* The base directory, absolute, with a trailing '/'; "" when unknown. */
static void base_dir(const char *base, char *out, size_t cap)
{
    char buf[PATH_MAX];
    size_t n;

    out[0] = '\0';
    if (base == NULL || realpath(base, buf) == NULL) {
        if (getcwd(buf, sizeof(buf)) == NULL)
            return;
    }
    n = strlen(buf);
    snprintf(out, cap, "%s%s", buf, n > 0 && buf[n - 1] == '/' ? "" : "/");
}

static struct json_object *location(const char *file, const char *line, const char *base)
{
    struct json_object *loc = json_object_new_object(), *phys = json_object_new_object();
    struct json_object *art = json_object_new_object(), *region = json_object_new_object();
    char abs[PATH_MAX], uri[3 * PATH_MAX + 16];
    size_t nb = strlen(base);
    long l = line != NULL ? strtol(line, NULL, 10) : 1;

    if (file == NULL || realpath(file, abs) == NULL)
        snprintf(abs, sizeof(abs), "%s", file != NULL ? file : "apicensus.yaml");
    if (nb > 0 && strncmp(abs, base, nb) == 0) {
        uri_path(abs + nb, uri, sizeof(uri));
        json_object_object_add(art, "uri", str(uri));
        json_object_object_add(art, "uriBaseId", str("SRCROOT"));
    } else if (abs[0] == '/') {
        memcpy(uri, "file://", 7);
        uri_path(abs, uri + 7, sizeof(uri) - 7);
        json_object_object_add(art, "uri", str(uri));
    } else {
        uri_path(abs, uri, sizeof(uri));
        json_object_object_add(art, "uri", str(uri));
        json_object_object_add(art, "uriBaseId", str("SRCROOT"));
    }
    json_object_object_add(region, "startLine",
                           json_object_new_int(l >= 1 && l < INT_MAX ? (int)l : 1));
    json_object_object_add(phys, "artifactLocation", art);
    json_object_object_add(phys, "region", region);
    json_object_object_add(loc, "physicalLocation", phys);
    return loc;
}

static size_t rule_index(const struct ac_table *rules, const char *id)
{
    size_t i, c = ac_table_col_index(rules, "rule");

    for (i = 0; id != NULL && c != (size_t)-1 && i < ac_table_rows(rules); i++) {
        const char *v = ac_table_cell(rules, i, c);

        if (v != NULL && strcmp(v, id) == 0)
            return i;
    }
    return (size_t)-1;
}

static struct json_object *result_of(const struct ac__report *r, size_t i, const char *base)
{
    static const char *const subject[] = {"api",           "host",    "method",
                                          "template",      "version", "first_detected",
                                          "last_detected", "state",   "severity"};
    const struct ac_table *f = r->findings;
    struct json_object *res = json_object_new_object(), *locs = json_object_new_array();
    struct json_object *fp = json_object_new_object(), *props = json_object_new_object(), *ev;
    const char *rule = ac__cellv(f, i, "rule"), *state = ac__cellv(f, i, "state");
    size_t k, idx = rule_index(r->rules, rule);

    json_object_object_add(res, "ruleId", str(rule));
    if (idx != (size_t)-1)
        json_object_object_add(res, "ruleIndex", json_object_new_int64((int64_t)idx));
    json_object_object_add(res, "level", str(level_of(ac__cellv(f, i, "severity"))));
    json_object_object_add(res, "message", text_obj(ac__cellv(f, i, "title")));
    json_object_array_add(locs, location(ac__cellv(f, i, "file"), ac__cellv(f, i, "line"), base));
    json_object_object_add(res, "locations", locs);
    json_object_object_add(fp, "apicensusFindingId/v1", str(ac__cellv(f, i, "id")));
    json_object_object_add(res, "partialFingerprints", fp);
    json_object_object_add(props, "id", str(ac__cellv(f, i, "id")));
    for (k = 0; k < sizeof(subject) / sizeof(subject[0]); k++) {
        const char *v = ac__cellv(f, i, subject[k]);

        if (v != NULL)
            json_object_object_add(props, subject[k], str(v));
    }
    ev = ac__cellv(f, i, "evidence") != NULL ? json_tokener_parse(ac__cellv(f, i, "evidence"))
                                             : NULL;
    if (ev != NULL)
        json_object_object_add(props, "evidence", ev);
    json_object_object_add(res, "properties", props);
    if (state != NULL && strcmp(state, "accepted") == 0) {
        struct json_object *sups = json_object_new_array(), *sup = json_object_new_object();

        json_object_object_add(sup, "kind", str("external"));
        json_object_object_add(sup, "status", str("accepted"));
        json_object_array_add(sups, sup);
        json_object_object_add(res, "suppressions", sups);
    }
    return res;
}

enum ac_err ac__report_sarif(const struct ac__report *r, FILE *out)
{
    struct json_object *doc = json_object_new_object(), *runs = json_object_new_array();
    struct json_object *run = json_object_new_object(), *tool = json_object_new_object();
    struct json_object *driver = json_object_new_object(), *rules = json_object_new_array();
    struct json_object *results = json_object_new_array(), *bases = json_object_new_object();
    struct json_object *root = json_object_new_object(), *inv, *invs;
    char base[PATH_MAX + 2], uri[3 * PATH_MAX + 16];
    size_t i;
    enum ac_err err = AC_OK;

    base_dir(r->base, base, sizeof(base));
    json_object_object_add(doc, "$schema", str(SARIF_SCHEMA));
    json_object_object_add(doc, "version", str("2.1.0"));
    json_object_object_add(driver, "name", str("apicensus"));
    json_object_object_add(driver, "version", str(r->version));
    json_object_object_add(driver, "semanticVersion", str(r->version));
    for (i = 0; i < ac_table_rows(r->rules); i++)
        json_object_array_add(rules, rule_descriptor(r->rules, i));
    json_object_object_add(driver, "rules", rules);
    json_object_object_add(tool, "driver", driver);
    json_object_object_add(run, "tool", tool);
    memcpy(uri, "file://", 7);
    uri_path(base, uri + 7, sizeof(uri) - 7);
    json_object_object_add(root, "uri", str(uri));
    json_object_object_add(bases, "SRCROOT", root);
    json_object_object_add(run, "originalUriBaseIds", bases);
    invs = json_object_new_array();
    inv = json_object_new_object();
    json_object_object_add(inv, "executionSuccessful", json_object_new_boolean(1));
    json_object_object_add(inv, "endTimeUtc", str(r->generated));
    json_object_array_add(invs, inv);
    json_object_object_add(run, "invocations", invs);
    for (i = 0; i < ac_table_rows(r->findings); i++)
        json_object_array_add(results, result_of(r, i, base));
    json_object_object_add(run, "results", results);
    json_object_object_add(run, "columnKind", str("unicodeCodePoints"));
    json_object_array_add(runs, run);
    json_object_object_add(doc, "runs", runs);
    fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE),
          out);
    fputc('\n', out);
    if (ferror(out))
        err = AC_EIO;
    json_object_put(doc);
    return err;
}
