/* report_html.c - the HTML report: one self-contained page of the inventory and its findings.
 *
 * The page, top to bottom: a header (title, generation time, apicensus version); summary cards
 * (APIs, versions, deployments, integrations, endpoints observed and undocumented, open findings
 * by severity); charts as inline SVG (findings by severity and by rule and risk per API, drawn
 * here with report_svg.h's bars; versions per API by status, deployments by environment and
 * audience, the busiest endpoints, and requests per hour of each of the busiest endpoints of the
 * traffic timeline, one small multiple each, all from report_svg.c); the findings table,
 * filtered by text, severity and state (the filter lives in the URL fragment, so
 * "report.html#severity=high&state=open" opens filtered and a chart's bar links to its
 * findings), each finding's evidence in a <details>; the API and deployment inventory; the rule
 * catalogue.
 *
 * Invariants. The page loads nothing: no src or stylesheet URL, and a Content-Security-Policy
 * that allows only its own two scripts (by SHA-256) and its inline style, so it opens offline
 * and an escaping mistake could not run a script. Every string from the store goes through
 * ac__html_text() (safe in HTML text and quoted attributes) and none reaches a <script>, whose
 * text is constant. Every chart is <svg class="chart" data-chart=ID data-points=N> (see
 * report_svg.h). The script only filters and counts: with JavaScript off every row shows. The
 * head script counts script errors into the root's data-js-errors and the main one marks
 * data-js="ready", which headless checks read. Columns are found by name; a missing column or
 * NULL cell renders as "-" or is skipped. The output is a function of r only.
 */
#include "report.h"

#include "report_svg.h"
#include "sha256.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 30 /* bars of the rules chart (every rule of the catalogue fits) */

/* Severities, most severe first; index NSEV is any other value. */
enum { NSEV = 5 };
static const char *const sev_name[NSEV + 1] = {"critical", "high", "medium",
                                               "low",      "info", "other"};
static const char *const sev_color[NSEV + 1] = {"#7f1d1d", "#dc2626", "#b45309",
                                                "#2563eb", "#6b7280", "#9ca3af"};

static const char page_css[] =
    "[hidden]{display:none!important}*{box-sizing:border-box}\n"
    "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
    "Arial,sans-serif;color:#1f2937;background:#f8fafc}\n"
    "header.top{background:#0f172a;color:#f8fafc;padding:20px 32px}"
    "header.top h1{margin:0;font-size:22px;font-weight:600}"
    "header.top p{margin:4px 0 0;color:#cbd5e1;font-size:13px}\n"
    "main{max-width:1400px;margin:0 auto;padding:8px 32px 48px}"
    "h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid #e5e7eb}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}"
    ".card{background:#fff;border:1px solid #e5e7eb;border-top:4px solid #94a3b8;"
    "border-radius:8px;padding:10px 14px}.card .n{font-size:26px;font-weight:600}"
    ".card .k{color:#6b7280;font-size:12px;text-transform:uppercase;letter-spacing:.04em}\n"
    ".c-critical{border-top-color:#7f1d1d}.c-high{border-top-color:#dc2626}"
    ".c-medium{border-top-color:#b45309}.c-low{border-top-color:#2563eb}"
    ".c-info{border-top-color:#6b7280}.c-bad{border-top-color:#dc2626}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}"
    ".grid.small{grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}"
    ".tall{grid-row:span 2}\n"
    "figure.panel{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:8px;"
    "padding:12px 14px}figcaption h3{margin:0;font-size:15px;font-weight:600;"
    "overflow-wrap:anywhere}figcaption p{margin:2px 0 8px;color:#6b7280;font-size:12px}\n"
    "svg.chart{display:block;width:100%;height:auto;font-size:12px}svg.tl{font-size:10px}"
    "svg.chart text{fill:#374151}"
    "svg .lbl{text-anchor:end}svg .end{text-anchor:end}svg .mid{text-anchor:middle}"
    "svg .axis{stroke:#cbd5e1}svg .nd{fill:#f8fafc;stroke:#cbd5e1;stroke-dasharray:4 3}"
    "svg .m,.m{font-weight:600}svg a:hover rect{opacity:.8}\n"
    ".sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 8px}"
    "p.legend{margin:0 0 4px;font-size:12px}.sw.doc{background:#0f766e}"
    ".sw.undoc{background:#dc2626}\n"
    ".wrap{overflow-x:auto;border:1px solid #e5e7eb;border-radius:8px;background:#fff}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top}"
    "th{background:#f1f5f9;font-weight:600;white-space:nowrap}"
    "code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "font-size:12px;overflow-wrap:break-word}.none,.muted{color:#9ca3af}"
    "td.id{white-space:nowrap;font-size:11px}td.m{font-weight:600}summary{white-space:nowrap}\n"
    ".sev{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;"
    "font-weight:600;color:#fff;background:#9ca3af}.sev-critical{background:#7f1d1d}"
    ".sev-high{background:#dc2626}.sev-medium{background:#b45309}.sev-low{background:#2563eb}"
    ".sev-info{background:#6b7280}\n"
    ".filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:0 0 12px}"
    ".filters input,.filters select{font:inherit;padding:5px 8px;border:1px solid #cbd5e1;"
    "border-radius:6px;background:#fff}.filters input{min-width:280px}\n"
    "td.title{min-width:260px}details summary{cursor:pointer;color:#1d4ed8;margin-top:2px}"
    "dl.ev{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:6px 0}"
    "dl.ev dt{color:#6b7280}"
    "dl.ev dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;"
    "overflow-wrap:anywhere}p.meta{margin:4px 0 0;color:#6b7280;font-size:12px}\n"
    "footer{max-width:1400px;margin:0 auto;padding:0 32px 32px;color:#6b7280;font-size:12px}\n"
    "@media print{.filters{display:none}header.top{background:none;color:#000}"
    "figure.panel{break-inside:avoid}}\n";

/* Runs first: counts script errors, so a headless browser's DOM dump shows them. */
static const char head_js[] =
    "window.addEventListener('error',function(){var r=document.documentElement;"
    "r.setAttribute('data-js-errors',String(Number(r.getAttribute('data-js-errors')||0)+1));});";

/* The findings filter: text, severity, state; kept in the URL fragment. */
static const char page_js[] =
    "(function () {\n"
    "  'use strict';\n"
    "  var root = document.documentElement;\n"
    "  var table = document.getElementById('findings-table');\n"
    "  var form = document.getElementById('filters');\n"
    "  if (table && form) {\n"
    "    var rows = Array.prototype.slice.call(table.tBodies[0].rows);\n"
    "    var shown = document.getElementById('shown');\n"
    "    var none = document.getElementById('no-match');\n"
    "    var q = form.elements.q, sev = form.elements.severity, state = form.elements.state;\n"
    "    var pick = function (select, value) {\n"
    "      select.value = value || '';\n"
    "      if (select.selectedIndex < 0) select.value = '';\n"
    "    };\n"
    "    var fromHash = function () {\n"
    "      var p = new URLSearchParams(location.hash.slice(1));\n"
    "      q.value = p.get('q') || '';\n"
    "      pick(sev, p.get('severity'));\n"
    "      pick(state, p.get('state'));\n"
    "    };\n"
    "    var apply = function () {\n"
    "      var text = q.value.trim().toLowerCase(), n = 0;\n"
    "      rows.forEach(function (tr) {\n"
    "        var ok = (!sev.value || tr.getAttribute('data-severity') === sev.value) &&\n"
    "          (!state.value || tr.getAttribute('data-state') === state.value) &&\n"
    "          (!text || tr.textContent.toLowerCase().indexOf(text) >= 0);\n"
    "        tr.hidden = !ok;\n"
    "        if (ok) n++;\n"
    "      });\n"
    "      shown.textContent = n + ' of ' + rows.length + ' findings shown';\n"
    "      none.hidden = n > 0;\n"
    "      root.setAttribute('data-shown', String(n));\n"
    "    };\n"
    "    var toHash = function () {\n"
    "      var p = new URLSearchParams();\n"
    "      if (q.value) p.set('q', q.value);\n"
    "      if (sev.value) p.set('severity', sev.value);\n"
    "      if (state.value) p.set('state', state.value);\n"
    "      try { history.replaceState(null, '', '#' + p.toString()); } catch (e) { /* file: */ }\n"
    "    };\n"
    "    var changed = function () { apply(); toHash(); };\n"
    "    form.addEventListener('input', changed);\n"
    "    form.addEventListener('change', changed);\n"
    "    form.addEventListener('submit', function (e) { e.preventDefault(); });\n"
    "    window.addEventListener('hashchange', function () {\n"
    "      fromHash();\n"
    "      apply();\n"
    "      form.scrollIntoView();\n"
    "    });\n"
    "    fromHash();\n"
    "    apply();\n"
    "    form.hidden = false;\n"
    "  }\n"
    "  root.setAttribute('data-js', 'ready');\n"
    "})();\n";

/* ---- table access and text ---------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
    return a != NULL && strcmp(a, b) == 0;
}

static size_t sev_rank(const char *s)
{
    size_t i;

    for (i = 0; i < NSEV; i++)
        if (str_eq(s, sev_name[i]))
            break;
    return i;
}

static void esc(FILE *out, const char *s)
{
    ac__html_text(out, s, 0, false);
}

/* A JSON value as text: a string as itself, an array of strings joined by ", ", anything else
 * as compact JSON. */
static void json_text(FILE *out, struct json_object *v)
{
    size_t i, n;

    if (json_object_is_type(v, json_type_string)) {
        esc(out, json_object_get_string(v));
        return;
    }
    if (json_object_is_type(v, json_type_array)) {
        n = json_object_array_length(v);
        for (i = 0; i < n; i++)
            if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
                break;
        if (i == n) {
            for (i = 0; i < n; i++) {
                fputs(i > 0 ? ", " : "", out);
                esc(out, json_object_get_string(json_object_array_get_idx(v, i)));
            }
            fputs(n == 0 ? "<span class=\"none\">none</span>" : "", out);
            return;
        }
    }
    esc(out,
        json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* A JSON cell (an array such as versions or protections) as text; unparsable text as itself. */
static void json_cell(FILE *out, const char *s)
{
    struct json_object *v = s != NULL ? json_tokener_parse(s) : NULL;

    if (v != NULL)
        json_text(out, v);
    else
        ac__html_text_or_dash(out, s != NULL && strcmp(s, "null") != 0 ? s : NULL);
    json_object_put(v);
}

/* ---- the charts of the findings ------------------------------------------------------------ */

static void chart_severity(FILE *out, const struct ac_table *f)
{
    static const struct ac__chart c = {"severity", "Findings by severity", 110, 0};
    unsigned long long n[NSEV + 1] = {0};
    struct ac__bar b[NSEV + 1];
    size_t sc = ac__col(f, "severity"), i, nb = 0;

    for (i = 0; i < ac__rows(f); i++)
        n[sev_rank(ac__cell(f, i, sc))]++;
    for (i = 0; i <= NSEV; i++)
        if (n[i] > 0)
            b[nb++] = (struct ac__bar){.label = sev_name[i],
                                       .link_key = i < NSEV ? "severity" : NULL,
                                       .link_val = sev_name[i],
                                       .value = n[i],
                                       .color = sev_color[i]};
    ac__svg_panel_open(out, "Findings by severity",
                       "Findings in this report; a bar filters the table.", false);
    ac__svg_bar_chart(out, &c, b, nb, "No findings");
    fputs("</figure>\n", out);
}

/* The catalogue's summary of a rule, or NULL. */
static const char *rule_summary(const struct ac_table *rules, const char *rule)
{
    size_t rc = ac__col(rules, "rule"), sc = ac__col(rules, "summary"), i;

    for (i = 0; rc != AC__NO_COL && i < ac__rows(rules); i++)
        if (ac__str_cmp(ac__cell(rules, i, rc), rule) == 0)
            return ac__cell(rules, i, sc);
    return NULL;
}

static void rule_bars(const struct ac__report *r, const struct ac__keyrow *kr, size_t n,
                      struct ac__bar *b, size_t *nb)
{
    size_t sc = ac__col(r->findings, "severity"), i, j, e, worst;

    for (i = 0; i < n; i = j) {
        worst = NSEV;
        for (j = i, e = ac__keyrows_group_end(kr, n, i); j < e; j++) {
            size_t s = sev_rank(ac__cell(r->findings, kr[j].row, sc));

            worst = s < worst ? s : worst;
        }
        b[(*nb)++] = (struct ac__bar){.label = kr[i].k[0] != NULL ? kr[i].k[0] : "(none)",
                                      .tip = rule_summary(r->rules, kr[i].k[0]),
                                      .link_key = "q",
                                      .link_val = kr[i].k[0],
                                      .value = (unsigned long long)(j - i),
                                      .color = sev_color[worst]};
    }
}

static enum ac_err chart_rules(FILE *out, const struct ac__report *r)
{
    static const struct ac__chart c = {"rules", "Findings by rule", 190, 0};
    struct ac__keyrow *kr = ac__keyrows(r->findings, "rule", NULL, NULL);
    struct ac__bar *b = calloc(ac__rows(r->findings) + 1, sizeof(*b));
    size_t nb = 0;
    enum ac_err err = AC_ENOMEM;

    if (kr == NULL || b == NULL)
        goto out;
    rule_bars(r, kr, ac__rows(r->findings), b, &nb);
    qsort(b, nb, sizeof(*b), ac__svg_bar_cmp);
    ac__svg_panel_open(out, "Findings by rule",
                       "Coloured by the most severe finding of the rule; a bar searches the table.",
                       true);
    ac__svg_bar_chart(out, &c, b, nb < MAX_RULES ? nb : MAX_RULES, "No findings");
    if (nb > MAX_RULES)
        fprintf(out, "<p class=\"muted\">and %zu more rules</p>", nb - MAX_RULES);
    fputs("</figure>\n", out);
    err = AC_OK;
out:
    free(b);
    free(kr);
    return err;
}

static const char *risk_color(unsigned long long risk)
{
    return sev_color[risk >= 40 ? 0 : risk >= 15 ? 1 : risk >= 5 ? 2 : risk > 0 ? 3 : 4];
}

static enum ac_err chart_risk(FILE *out, const struct ac__report *r)
{
    static const struct ac__chart c = {"risk", "Risk per API (0 to 100)", 190, 100};
    const struct ac_table *t = r->apis;
    size_t nc = ac__col(t, "name"), rc = ac__col(t, "risk"), i, n = ac__rows(t);
    struct ac__bar *b = calloc(n + 1, sizeof(*b));

    if (b == NULL)
        return AC_ENOMEM;
    for (i = 0; i < n; i++) {
        unsigned long long risk = ac__num(ac__cell(t, i, rc));

        b[i] = (struct ac__bar){.label = ac__cell(t, i, nc),
                                .link_key = "q",
                                .link_val = ac__cell(t, i, nc),
                                .value = risk,
                                .color = risk_color(risk)};
    }
    qsort(b, n, sizeof(*b), ac__svg_bar_cmp);
    ac__svg_panel_open(out, "Risk per API",
                       "0 to 100 from open findings, exposure and data classes (docs/rules.md).",
                       false);
    ac__svg_bar_chart(out, &c, b, n < AC__SVG_MAX_BARS ? n : AC__SVG_MAX_BARS,
                      "No APIs in the inventory");
    if (n > AC__SVG_MAX_BARS)
        fprintf(out, "<p class=\"muted\">and %zu more APIs</p>", n - AC__SVG_MAX_BARS);
    fputs("</figure>\n", out);
    free(b);
    return AC_OK;
}

/* ---- page sections ------------------------------------------------------------------------ */

static unsigned hex_digit(char c)
{
    return (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10) & 15;
}

/* 'sha256-<base64>' of text, for the Content-Security-Policy. */
static void csp_hash(FILE *out, const char *text)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char d[33] = {0};
    char hex[65];
    size_t i;

    ac__sha256_buf(text, strlen(text), hex);
    for (i = 0; i < 32; i++)
        d[i] = (unsigned char)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
    fputs("'sha256-", out);
    for (i = 0; i < 33; i += 3) {
        unsigned long v = (unsigned long)d[i] << 16 | (unsigned long)d[i + 1] << 8 | d[i + 2];

        fputc(b64[v >> 18 & 63], out);
        fputc(b64[v >> 12 & 63], out);
        fputc(i + 1 < 32 ? b64[v >> 6 & 63] : '=', out);
        fputc(i + 2 < 32 ? b64[v & 63] : '=', out);
    }
    fputs("'", out);
}

static void page_head(FILE *out, const struct ac__report *r)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
          "script-src ",
          out);
    csp_hash(out, head_js);
    fputs(" ", out);
    csp_hash(out, page_js);
    fputs("\">\n<meta name=\"generator\" content=\"apicensus ", out);
    esc(out, r->version);
    fputs("\">\n<title>", out);
    esc(out, r->title != NULL ? r->title : "apicensus report");
    fprintf(out, "</title>\n<script>%s</script>\n<style>\n%s</style>\n</head>\n<body>\n", head_js,
            page_css);
    fputs("<header class=\"top\"><h1>", out);
    esc(out, r->title != NULL ? r->title : "apicensus report");
    fputs("</h1><p>Generated ", out);
    ac__html_text_or_dash(out, r->generated);
    fputs(" by apicensus ", out);
    ac__html_text_or_dash(out, r->version);
    fputs("</p></header>\n<main>\n", out);
}

static void card(FILE *out, const char *cls, unsigned long long n, const char *what)
{
    fprintf(out,
            "<div class=\"card %s\"><div class=\"n\">%llu</div><div class=\"k\">%s</div>"
            "</div>\n",
            cls, n, what);
}

static enum ac_err cards(FILE *out, const struct ac__report *r)
{
    const struct ac_table *f = r->findings;
    unsigned long long open[NSEV + 1] = {0};
    size_t sc = ac__col(f, "severity"), stc = ac__col(f, "state"), i, endpoints = 0,
           undocumented = 0;
    enum ac_err err = ac__svg_endpoint_counts(r->endpoints, &endpoints, &undocumented);

    for (i = 0; i < ac__rows(f); i++)
        open[sev_rank(ac__cell(f, i, sc))] += str_eq(ac__cell(f, i, stc), "open");
    fputs("<h2>Summary</h2>\n<div class=\"cards\">\n", out);
    card(out, "", ac__rows(r->apis), "APIs");
    card(out, "", ac__rows(r->versions), "Versions");
    card(out, "", ac__rows(r->deployments), "Deployments");
    card(out, "", ac__rows(r->integrations), "Integrations");
    card(out, "", endpoints, "Endpoints observed");
    card(out, undocumented > 0 ? "c-bad" : "", undocumented, "Undocumented endpoints");
    for (i = 0; i < NSEV; i++) {
        fprintf(out,
                "<div class=\"card c-%s\"><div class=\"n\">%llu</div><div class=\"k\">"
                "open %s</div></div>\n",
                sev_name[i], open[i], sev_name[i]);
    }
    fputs("</div>\n", out);
    return err;
}

static enum ac_err charts(FILE *out, const struct ac__report *r)
{
    enum ac_err err;

    fputs("<h2 id=\"findings-charts\">Findings and risk</h2>\n<div class=\"grid\">\n", out);
    chart_severity(out, r->findings);
    err = chart_rules(out, r);
    if (err == AC_OK)
        err = chart_risk(out, r);
    if (err != AC_OK)
        return err;
    fputs("</div>\n<h2 id=\"inventory-charts\">Inventory</h2>\n<div class=\"grid\">\n", out);
    err = ac__svg_versions(out, r->versions);
    if (err != AC_OK)
        return err;
    err = ac__svg_endpoints(out, r->endpoints);
    ac__svg_deployments(out, r->deployments);
    fputs("</div>\n", out);
    return err != AC_OK ? err : ac__svg_timeline(out, r->traffic);
}

/* ---- the findings table ------------------------------------------------------------------- */

struct fcols {
    size_t id, rule, sev, state, title, api, host, method, tmpl, version, ev, first, last, resolved,
        file, line;
};

static void evidence_list(FILE *out, const char *text)
{
    struct json_object *o = text != NULL ? json_tokener_parse(text) : NULL;
    struct json_object_iterator it, end;

    if (!json_object_is_type(o, json_type_object)) {
        fputs("<p class=\"mono\">", out);
        ac__html_text_or_dash(out, text);
        fputs("</p>", out);
        json_object_put(o);
        return;
    }
    fputs("<dl class=\"ev\">", out);
    it = json_object_iter_begin(o);
    end = json_object_iter_end(o);
    for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
        struct json_object *v = json_object_iter_peek_value(&it);

        fputs("<dt>", out);
        esc(out, json_object_iter_peek_name(&it));
        fputs("</dt><dd>", out);
        if (v == NULL)
            fputs("<span class=\"none\">null</span>", out);
        else
            json_text(out, v);
        fputs("</dd>", out);
    }
    fputs("</dl>", out);
    json_object_put(o);
}

static void meta_item(FILE *out, const char *what, const char *value, bool *first)
{
    if (value == NULL)
        return;
    fprintf(out, "%s%s ", *first ? "" : " \xC2\xB7 ", what);
    ac__html_text(out, value, 0, true);
    *first = false;
}

/* The title, and under it the evidence in a <details>: the widest column holds it when open. */
static void title_cell(FILE *out, const struct ac_table *t, size_t i, const struct fcols *c)
{
    bool first = true;

    fputs("<td class=\"title\">", out);
    if (ac__cell(t, i, c->title) != NULL)
        ac__html_text(out, ac__cell(t, i, c->title), 0, true);
    else
        fputs("<span class=\"none\">-</span>", out);
    fputs("<details><summary>evidence</summary>", out);
    evidence_list(out, ac__cell(t, i, c->ev));
    fputs("<p class=\"meta\">", out);
    meta_item(out, "version", ac__cell(t, i, c->version), &first);
    meta_item(out, "first detected", ac__cell(t, i, c->first), &first);
    meta_item(out, "last detected", ac__cell(t, i, c->last), &first);
    meta_item(out, "resolved", ac__cell(t, i, c->resolved), &first);
    meta_item(out, "declared in", ac__cell(t, i, c->file), &first);
    if (ac__cell(t, i, c->file) != NULL && ac__cell(t, i, c->line) != NULL) {
        fputs(":", out);
        esc(out, ac__cell(t, i, c->line));
    }
    fputs("</p></details></td>", out);
}

/* A cell; class "mono" ones hold paths and URLs, which may break after a '/'. */
static void td(FILE *out, const char *cls, const char *s)
{
    fprintf(out, "<td%s%s%s>", cls != NULL ? " class=\"" : "", cls != NULL ? cls : "",
            cls != NULL ? "\"" : "");
    if (s != NULL)
        ac__html_text(out, s, 0, cls != NULL && strcmp(cls, "mono") == 0);
    else
        fputs("<span class=\"none\">-</span>", out);
    fputs("</td>", out);
}

static void finding_row(FILE *out, const struct ac_table *t, size_t i, const struct fcols *c)
{
    const char *sev = ac__cell(t, i, c->sev);

    fputs("<tr data-severity=\"", out);
    esc(out, sev);
    fputs("\" data-state=\"", out);
    esc(out, ac__cell(t, i, c->state));
    fputs("\">", out);
    td(out, "mono id", ac__cell(t, i, c->id));
    fprintf(out, "<td><span class=\"sev sev-%s\">", sev_name[sev_rank(sev)]);
    ac__html_text_or_dash(out, sev);
    fputs("</span></td>", out);
    td(out, NULL, ac__cell(t, i, c->state));
    td(out, "mono rule", ac__cell(t, i, c->rule));
    td(out, NULL, ac__cell(t, i, c->api));
    td(out, NULL, ac__cell(t, i, c->host));
    td(out, "m", ac__cell(t, i, c->method));
    td(out, "mono", ac__cell(t, i, c->tmpl));
    title_cell(out, t, i, c);
    fputs("</tr>\n", out);
}

static const char filter_form[] =
    "<form id=\"filters\" class=\"filters\" hidden><label>Search <input type=\"search\" "
    "name=\"q\" placeholder=\"id, rule, API, host, template, title\"></label>"
    "<label>Severity <select name=\"severity\"><option value=\"\">any</option>"
    "<option>critical</option><option>high</option><option>medium</option><option>low</option>"
    "<option>info</option></select></label><label>State <select name=\"state\">"
    "<option value=\"\">any</option><option>open</option><option>accepted</option>"
    "<option>resolved</option></select></label><span id=\"shown\" class=\"muted\"></span>"
    "</form>\n";

static void findings_table(FILE *out, const struct ac_table *t)
{
    const struct fcols c = {ac__col(t, "id"),
                            ac__col(t, "rule"),
                            ac__col(t, "severity"),
                            ac__col(t, "state"),
                            ac__col(t, "title"),
                            ac__col(t, "api"),
                            ac__col(t, "host"),
                            ac__col(t, "method"),
                            ac__col(t, "template"),
                            ac__col(t, "version"),
                            ac__col(t, "evidence"),
                            ac__col(t, "first_detected"),
                            ac__col(t, "last_detected"),
                            ac__col(t, "resolved_at"),
                            ac__col(t, "file"),
                            ac__col(t, "line")};
    size_t i;

    fprintf(out, "<h2 id=\"findings\">Findings (%zu)</h2>\n", ac__rows(t));
    if (ac__rows(t) == 0) {
        fputs("<p class=\"muted\">No findings in this report.</p>\n", out);
        return;
    }
    fputs(filter_form, out);
    fputs("<div class=\"wrap\"><table id=\"findings-table\"><thead><tr><th>ID</th>"
          "<th>Severity</th><th>State</th><th>Rule</th><th>API</th><th>Host</th><th>Method</th>"
          "<th>Template</th><th>Title and evidence</th></tr></thead>\n<tbody>\n",
          out);
    for (i = 0; i < ac__rows(t); i++)
        finding_row(out, t, i, &c);
    fputs("</tbody></table></div>\n<p id=\"no-match\" class=\"muted\" hidden>No finding matches "
          "the filter.</p>\n",
          out);
}

/* ---- inventory tables --------------------------------------------------------------------- */

enum fmt { F_TEXT, F_CODE, F_LIST, F_BOOL, F_SEV };

struct column {
    const char *head, *name;
    enum fmt fmt;
};

static void data_cell(FILE *out, const char *s, enum fmt f)
{
    if (s == NULL || f == F_TEXT) {
        td(out, NULL, s);
    } else if (f == F_CODE) {
        td(out, "mono", s);
    } else if (f == F_BOOL) {
        td(out, NULL, ac__truthy(s) ? "yes" : "no");
    } else if (f == F_SEV) {
        fprintf(out, "<td><span class=\"sev sev-%s\">", sev_name[sev_rank(s)]);
        esc(out, s);
        fputs("</span></td>", out);
    } else {
        fputs("<td>", out);
        json_cell(out, s);
        fputs("</td>", out);
    }
}

static void data_table(FILE *out, const char *title, const struct ac_table *t,
                       const struct column *cols, size_t ncols)
{
    size_t i, j, c[16];

    fprintf(out, "<h2>%s (%zu)</h2>\n", title, ac__rows(t));
    if (ac__rows(t) == 0) {
        fputs("<p class=\"muted\">None.</p>\n", out);
        return;
    }
    fputs("<div class=\"wrap\"><table><thead><tr>", out);
    for (j = 0; j < ncols && j < 16; j++) {
        c[j] = ac__col(t, cols[j].name);
        fprintf(out, "<th>%s</th>", cols[j].head);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (i = 0; i < ac__rows(t); i++) {
        fputs("<tr>", out);
        for (j = 0; j < ncols && j < 16; j++)
            data_cell(out, ac__cell(t, i, c[j]), cols[j].fmt);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static void inventory_tables(FILE *out, const struct ac__report *r)
{
    static const struct column apis[] = {{"API", "name", F_TEXT},
                                         {"Owner", "owner", F_TEXT},
                                         {"Lifecycle", "lifecycle", F_TEXT},
                                         {"Versions", "versions", F_LIST},
                                         {"Deployments", "deployments", F_TEXT},
                                         {"Operations", "operations", F_TEXT},
                                         {"Data", "data", F_LIST},
                                         {"Risk", "risk", F_TEXT},
                                         {"Open findings", "open_findings", F_TEXT}};
    static const struct column deps[] = {{"API", "api", F_TEXT},
                                         {"URL", "url", F_CODE},
                                         {"Version", "version", F_TEXT},
                                         {"Environment", "environment", F_TEXT},
                                         {"Audience", "audience", F_TEXT},
                                         {"Protections", "protections", F_LIST},
                                         {"Production data", "production_data", F_BOOL}};
    static const struct column rules[] = {{"Rule", "rule", F_CODE},
                                          {"Severity", "severity", F_SEV},
                                          {"Evaluated", "evaluated", F_BOOL},
                                          {"Fires when", "summary", F_TEXT}};

    data_table(out, "APIs", r->apis, apis, sizeof(apis) / sizeof(apis[0]));
    data_table(out, "Deployments", r->deployments, deps, sizeof(deps) / sizeof(deps[0]));
    data_table(out, "Rules", r->rules, rules, sizeof(rules) / sizeof(rules[0]));
}

enum ac_err ac__report_html(const struct ac__report *r, FILE *out)
{
    enum ac_err err;

    page_head(out, r);
    err = cards(out, r);
    if (err == AC_OK)
        err = charts(out, r);
    if (err == AC_OK) {
        findings_table(out, r->findings);
        inventory_tables(out, r);
    }
    fputs("</main>\n<footer>apicensus ", out);
    esc(out, r->version);
    fprintf(out,
            " \xC2\xB7 self-contained report: it loads nothing from the network.</footer>\n"
            "<script>%s</script>\n</body>\n</html>\n",
            page_js);
    if (err == AC_OK && (fflush(out) != 0 || ferror(out)))
        err = AC_EIO;
    return err;
}
