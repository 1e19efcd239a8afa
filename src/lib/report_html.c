/* report_html.c - the HTML report: one self-contained page of the inventory and its findings.
 *
 * The page, top to bottom: a header (title, generation time, apicensus version); summary cards
 * (APIs, versions, deployments, integrations, endpoints observed and undocumented, open findings
 * by severity); charts drawn here as inline SVG (findings by severity and by rule, risk per API,
 * versions per API by status, deployments by environment and audience, the busiest endpoints,
 * and requests per hour of each of the busiest endpoints of the traffic timeline, one small
 * multiple each); the findings table, filtered by text, severity and state (the filter lives in
 * the URL fragment, so "report.html#severity=high&state=open" opens filtered and a chart's bar
 * links to its findings), each finding's evidence in a <details>; the API and deployment
 * inventory; the rule catalogue.
 *
 * Invariants. The page loads nothing: no src or stylesheet URL, and a Content-Security-Policy
 * that allows only its own two scripts (by SHA-256) and its inline style, so it opens offline
 * and an escaping mistake could not run a script. Every string from the store goes through
 * esc() (safe in HTML text and quoted attributes) and none reaches a <script>, whose text is
 * constant. Every chart is <svg class="chart" data-chart=ID data-points=N> where N counts the
 * values it plots (bars, stacked segments, hours with traffic); an empty source gives a "no
 * data" figure with data-points="0". The script only filters and counts: with JavaScript off
 * every row shows. The head script counts script errors into the root's data-js-errors and the
 * main one marks data-js="ready", which headless checks read. Columns are found by name; a
 * missing column or NULL cell renders as "-" or is skipped. The output is a function of r only.
 */
#include "report.h"

#include "sha256.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NO_COL ((size_t)-1)
#define CHART_W 640.0
#define ROW_H 24.0
#define MAX_BARS 20          /* rows of a bar chart; the rest are counted in its caption */
#define MAX_RULES 30         /* bars of the rules chart (every rule of the catalogue fits) */
#define MAX_ENDPOINTS 12     /* bars of the busiest-endpoints chart */
#define MAX_PANELS 8         /* small multiples of the traffic timeline */
#define MAX_HOURS (24L * 92) /* the timeline shows at most its last 92 days */
#define MAX_SEG 5

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

static size_t nrows(const struct ac_table *t)
{
    return t != NULL ? ac_table_rows(t) : 0;
}

static size_t col(const struct ac_table *t, const char *name)
{
    return t != NULL ? ac_table_col_index(t, name) : NO_COL;
}

static const char *cell(const struct ac_table *t, size_t row, size_t c)
{
    return c == NO_COL ? NULL : ac_table_cell(t, row, c);
}

static unsigned long long num(const char *s)
{
    return s != NULL && s[0] >= '0' && s[0] <= '9' ? strtoull(s, NULL, 10) : 0;
}

static bool truthy(const char *s)
{
    return s != NULL && s[0] != '\0' && strcmp(s, "0") != 0 && strcmp(s, "false") != 0;
}

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

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

/* Write s escaped for HTML text and quoted attributes, dropping C0 controls other than tab and
 * newline, cut after max code points (0: no limit) with an ellipsis; wbr: let lines break after
 * each '/' (text only, for paths and URLs). NULL writes nothing. */
static void esc_text(FILE *out, const char *s, size_t max, bool wbr)
{
    size_t chars = 0;

    for (; s != NULL && *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c & 0xC0) != 0x80 && max != 0 && chars++ == max) {
            fputs("&#8230;", out);
            return;
        }
        if (c == '&')
            fputs("&amp;", out);
        else if (c == '<')
            fputs("&lt;", out);
        else if (c == '>')
            fputs("&gt;", out);
        else if (c == '"')
            fputs("&quot;", out);
        else if (c == '\'')
            fputs("&#39;", out);
        else if (c == '/' && wbr)
            fputs("/<wbr>", out);
        else if (c >= 0x20 || c == '\t' || c == '\n')
            fputc(c, out);
    }
}

static void esc_max(FILE *out, const char *s, size_t max)
{
    esc_text(out, s, max, false);
}

static void esc(FILE *out, const char *s)
{
    esc_max(out, s, 0);
}

/* s escaped, or a muted dash for NULL. */
static void esc_or_dash(FILE *out, const char *s)
{
    if (s != NULL)
        esc(out, s);
    else
        fputs("<span class=\"none\">-</span>", out);
}

/* s percent-encoded for a URL fragment parameter (only unreserved characters stay). */
static void url_part(FILE *out, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~", c) != NULL)
            fputc(c, out);
        else
            fprintf(out, "%%%02X", (unsigned)c);
    }
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
        esc_or_dash(out, s != NULL && strcmp(s, "null") != 0 ? s : NULL);
    json_object_put(v);
}

/* ---- grouping rows by key ----------------------------------------------------------------- */

struct keyrow {
    const char *k[3];
    long ord; /* orders rows of one key (the hour of a traffic row) */
    size_t row;
};

static int keyrow_cmp(const void *pa, const void *pb)
{
    const struct keyrow *a = pa, *b = pb;
    size_t i;
    int d;

    for (i = 0; i < 3; i++)
        if ((d = str_cmp(a->k[i], b->k[i])) != 0)
            return d;
    if (a->ord != b->ord)
        return a->ord < b->ord ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static bool same_key(const struct keyrow *a, const struct keyrow *b)
{
    return str_cmp(a->k[0], b->k[0]) == 0 && str_cmp(a->k[1], b->k[1]) == 0 &&
           str_cmp(a->k[2], b->k[2]) == 0;
}

/* The rows of t keyed by the named columns (up to three; NULL names and missing columns give
 * NULL keys), sorted by key then row. The caller frees it; NULL on ENOMEM. */
static struct keyrow *keyrows(const struct ac_table *t, const char *k0, const char *k1,
                              const char *k2)
{
    size_t c[3] = {col(t, k0 != NULL ? k0 : ""), col(t, k1 != NULL ? k1 : ""),
                   col(t, k2 != NULL ? k2 : "")};
    size_t n = nrows(t), i, j;
    struct keyrow *kr = calloc(n > 0 ? n : 1, sizeof(*kr));

    for (i = 0; kr != NULL && i < n; i++) {
        for (j = 0; j < 3; j++)
            kr[i].k[j] = cell(t, i, c[j]);
        kr[i].row = i;
    }
    if (kr != NULL)
        qsort(kr, n, sizeof(*kr), keyrow_cmp);
    return kr;
}

/* The end of the group of equal keys that starts at i. */
static size_t group_end(const struct keyrow *kr, size_t n, size_t i)
{
    size_t j = i + 1;

    while (j < n && same_key(&kr[i], &kr[j]))
        j++;
    return j;
}

/* ---- SVG charts --------------------------------------------------------------------------- */

struct chart {
    const char *id;         /* data-chart */
    const char *title;      /* the accessible name */
    double label_w;         /* width of the label column */
    unsigned long long max; /* the scale's maximum; 0: the largest value */
};

struct bar {
    const char *prefix; /* drawn bold before the label (a method), or NULL */
    const char *label;
    const char *tip;                 /* added to the tooltip, or NULL */
    const char *link_key, *link_val; /* the bar links to #key=val when key is not NULL */
    unsigned long long value;
    const char *color;
};

static void svg_open(FILE *out, const struct chart *c, size_t points, double h)
{
    fprintf(out,
            "<svg class=\"chart\" data-chart=\"%s\" data-points=\"%zu\" viewBox=\"0 0 %.0f "
            "%.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\"><title>",
            c->id, points, CHART_W, h, CHART_W, h);
    esc(out, c->title);
    fputs("</title>\n", out);
}

static void no_data(FILE *out, const struct chart *c, const char *msg)
{
    fprintf(out,
            "<svg class=\"chart nodata\" data-chart=\"%s\" data-points=\"0\" viewBox=\"0 0 %.0f "
            "80\" width=\"%.0f\" height=\"80\" role=\"img\"><title>",
            c->id, CHART_W, CHART_W);
    esc(out, c->title);
    fprintf(out,
            "</title><rect class=\"nd\" x=\"1\" y=\"1\" width=\"%.0f\" height=\"78\" rx=\"6\"/>"
            "<text class=\"mid\" x=\"%.0f\" y=\"45\">",
            CHART_W - 2, CHART_W / 2);
    esc(out, msg);
    fputs("</text></svg>\n", out);
}

static void panel_open(FILE *out, const char *title, const char *note, bool tall)
{
    fputs(tall ? "<figure class=\"panel tall\"><figcaption><h3>"
               : "<figure class=\"panel\"><figcaption><h3>",
          out);
    esc(out, title);
    fputs("</h3><p>", out);
    esc(out, note);
    fputs("</p></figcaption>\n", out);
}

static void bar_row(FILE *out, const struct chart *c, const struct bar *b, double y, double scale)
{
    double w = (double)b->value * scale;
    size_t room = (size_t)(c->label_w / 7.0);

    if (b->link_key != NULL) {
        fprintf(out, "<a href=\"#%s=", b->link_key);
        url_part(out, b->link_val);
        fputs("\">", out);
    }
    fputs("<g><title>", out);
    esc(out, b->prefix);
    fputs(b->prefix != NULL ? " " : "", out);
    esc(out, b->label);
    fprintf(out, ": %llu", b->value);
    if (b->tip != NULL) {
        fputs(" \xC2\xB7 ", out);
        esc(out, b->tip);
    }
    fprintf(out, "</title><text class=\"lbl\" x=\"%.1f\" y=\"%.1f\">", c->label_w - 8, y + 16);
    if (b->prefix != NULL) {
        fputs("<tspan class=\"m\">", out);
        esc(out, b->prefix);
        fputs("</tspan> ", out);
        room -= room > strlen(b->prefix) + 1 ? strlen(b->prefix) + 1 : 0;
    }
    esc_max(out, b->label, room > 2 ? room - 1 : 1);
    fprintf(out,
            "</text><rect class=\"pt\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" rx=\"2\" "
            "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\">%llu</text></g>",
            c->label_w, y + 4, w, b->color, c->label_w + w + 6, y + 16, b->value);
    fputs(b->link_key != NULL ? "</a>\n" : "\n", out);
}

/* Horizontal bars, one per value, in the given order; "no data" when n is 0. */
static void bar_chart(FILE *out, const struct chart *c, const struct bar *b, size_t n,
                      const char *empty)
{
    unsigned long long max = c->max;
    double plot_w = CHART_W - c->label_w - 56, h = 16 + ROW_H * (double)n;
    size_t i;

    if (n == 0) {
        no_data(out, c, empty);
        return;
    }
    for (i = 0; i < n; i++)
        max = b[i].value > max ? b[i].value : max;
    svg_open(out, c, n, h);
    fprintf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"6\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
            c->label_w, c->label_w, h - 6);
    for (i = 0; i < n; i++)
        bar_row(out, c, &b[i], 8 + ROW_H * (double)i, max > 0 ? plot_w / (double)max : 0);
    fputs("</svg>\n", out);
}

static int bar_cmp(const void *pa, const void *pb)
{
    const struct bar *a = pa, *b = pb;

    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return str_cmp(a->label, b->label) != 0 ? str_cmp(a->label, b->label) : str_cmp(a->tip, b->tip);
}

struct segs {
    size_t n;
    const char *const *names;
    const char *const *colors;
};

struct stack {
    const char *label;
    unsigned long long v[MAX_SEG];
};

static void stack_legend(FILE *out, const struct segs *s, const unsigned long long *total)
{
    double x = 8;
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (total[i] == 0)
            continue;
        fprintf(out,
                "<rect x=\"%.0f\" y=\"6\" width=\"10\" height=\"10\" rx=\"2\" fill=\"%s\"/>"
                "<text x=\"%.0f\" y=\"15\">%s</text>",
                x, s->colors[i], x + 14, s->names[i]);
        x += 30 + 7.0 * (double)strlen(s->names[i]);
    }
    fputs("\n", out);
}

static void stack_row(FILE *out, const struct chart *c, const struct segs *s, const struct stack *r,
                      double y, double scale)
{
    double x = c->label_w;
    unsigned long long sum = 0;
    size_t i;

    fprintf(out, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\">", c->label_w - 8, y + 16);
    esc_max(out, r->label, (size_t)(c->label_w / 7.0) - 1);
    fputs("</text>", out);
    for (i = 0; i < s->n; i++) {
        if (r->v[i] == 0)
            continue;
        fprintf(out,
                "<rect class=\"pt\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" "
                "fill=\"%s\"><title>",
                x, y + 4, (double)r->v[i] * scale, s->colors[i]);
        esc(out, r->label);
        fprintf(out, ", %s: %llu</title></rect>", s->names[i], r->v[i]);
        x += (double)r->v[i] * scale;
        sum += r->v[i];
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%llu</text>\n", x + 6, y + 16, sum);
}

/* Stacked horizontal bars with a legend; data points are the non-empty segments. */
static void stack_chart(FILE *out, const struct chart *c, const struct segs *s,
                        const struct stack *rows, size_t n, const char *empty)
{
    unsigned long long total[MAX_SEG] = {0}, max = 0, sum;
    size_t i, j, points = 0;
    double h = 40 + ROW_H * (double)n;

    for (i = 0; i < n; i++) {
        for (j = 0, sum = 0; j < s->n; j++) {
            total[j] += rows[i].v[j];
            sum += rows[i].v[j];
            points += rows[i].v[j] > 0;
        }
        max = sum > max ? sum : max;
    }
    if (points == 0) {
        no_data(out, c, empty);
        return;
    }
    svg_open(out, c, points, h);
    stack_legend(out, s, total);
    fprintf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"28\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
            c->label_w, c->label_w, h - 6);
    for (i = 0; i < n; i++)
        stack_row(out, c, s, &rows[i], 30 + ROW_H * (double)i,
                  (CHART_W - c->label_w - 56) / (double)max);
    fputs("</svg>\n", out);
}

/* The index of s in names[0..n-2], else n-2 ("other"), or n-1 ("undeclared") for NULL. */
static size_t category(const char *s, const char *const *names, size_t n)
{
    size_t i;

    if (s == NULL)
        return n - 1;
    for (i = 0; i + 2 < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return n - 2;
}

/* ---- the charts of the page --------------------------------------------------------------- */

static void chart_severity(FILE *out, const struct ac_table *f)
{
    static const struct chart c = {"severity", "Findings by severity", 110, 0};
    unsigned long long n[NSEV + 1] = {0};
    struct bar b[NSEV + 1];
    size_t sc = col(f, "severity"), i, nb = 0;

    for (i = 0; i < nrows(f); i++)
        n[sev_rank(cell(f, i, sc))]++;
    for (i = 0; i <= NSEV; i++)
        if (n[i] > 0)
            b[nb++] = (struct bar){.label = sev_name[i],
                                   .link_key = i < NSEV ? "severity" : NULL,
                                   .link_val = sev_name[i],
                                   .value = n[i],
                                   .color = sev_color[i]};
    panel_open(out, "Findings by severity", "Findings in this report; a bar filters the table.",
               false);
    bar_chart(out, &c, b, nb, "No findings");
    fputs("</figure>\n", out);
}

/* The catalogue's summary of a rule, or NULL. */
static const char *rule_summary(const struct ac_table *rules, const char *rule)
{
    size_t rc = col(rules, "rule"), sc = col(rules, "summary"), i;

    for (i = 0; rc != NO_COL && i < nrows(rules); i++)
        if (str_cmp(cell(rules, i, rc), rule) == 0)
            return cell(rules, i, sc);
    return NULL;
}

static void rule_bars(const struct ac__report *r, const struct keyrow *kr, size_t n, struct bar *b,
                      size_t *nb)
{
    size_t sc = col(r->findings, "severity"), i, j, e, worst;

    for (i = 0; i < n; i = j) {
        worst = NSEV;
        for (j = i, e = group_end(kr, n, i); j < e; j++) {
            size_t s = sev_rank(cell(r->findings, kr[j].row, sc));

            worst = s < worst ? s : worst;
        }
        b[(*nb)++] = (struct bar){.label = kr[i].k[0] != NULL ? kr[i].k[0] : "(none)",
                                  .tip = rule_summary(r->rules, kr[i].k[0]),
                                  .link_key = "q",
                                  .link_val = kr[i].k[0],
                                  .value = (unsigned long long)(j - i),
                                  .color = sev_color[worst]};
    }
}

static enum ac_err chart_rules(FILE *out, const struct ac__report *r)
{
    static const struct chart c = {"rules", "Findings by rule", 190, 0};
    struct keyrow *kr = keyrows(r->findings, "rule", NULL, NULL);
    struct bar *b = calloc(nrows(r->findings) + 1, sizeof(*b));
    size_t nb = 0;
    enum ac_err err = AC_ENOMEM;

    if (kr == NULL || b == NULL)
        goto out;
    rule_bars(r, kr, nrows(r->findings), b, &nb);
    qsort(b, nb, sizeof(*b), bar_cmp);
    panel_open(out, "Findings by rule",
               "Coloured by the most severe finding of the rule; a bar searches the table.", true);
    bar_chart(out, &c, b, nb < MAX_RULES ? nb : MAX_RULES, "No findings");
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
    static const struct chart c = {"risk", "Risk per API (0 to 100)", 190, 100};
    const struct ac_table *t = r->apis;
    size_t nc = col(t, "name"), rc = col(t, "risk"), i, n = nrows(t);
    struct bar *b = calloc(n + 1, sizeof(*b));

    if (b == NULL)
        return AC_ENOMEM;
    for (i = 0; i < n; i++) {
        unsigned long long risk = num(cell(t, i, rc));

        b[i] = (struct bar){.label = cell(t, i, nc),
                            .link_key = "q",
                            .link_val = cell(t, i, nc),
                            .value = risk,
                            .color = risk_color(risk)};
    }
    qsort(b, n, sizeof(*b), bar_cmp);
    panel_open(out, "Risk per API",
               "0 to 100 from open findings, exposure and data classes (docs/rules.md).", false);
    bar_chart(out, &c, b, n < MAX_BARS ? n : MAX_BARS, "No APIs in the inventory");
    if (n > MAX_BARS)
        fprintf(out, "<p class=\"muted\">and %zu more APIs</p>", n - MAX_BARS);
    fputs("</figure>\n", out);
    free(b);
    return AC_OK;
}

static enum ac_err chart_versions(FILE *out, const struct ac_table *t)
{
    static const char *const names[] = {"active", "deprecated", "retired", "other", "undeclared"};
    static const char *const colors[] = {"#16a34a", "#d97706", "#6b7280", "#a855f7", "#cbd5e1"};
    static const struct segs s = {MAX_SEG, names, colors};
    static const struct chart c = {"versions", "Versions per API by status", 190, 0};
    struct keyrow *kr = keyrows(t, "api", NULL, NULL);
    struct stack *rows = calloc(nrows(t) + 1, sizeof(*rows));
    size_t stc = col(t, "status"), n = nrows(t), nr = 0, i, j, e;
    enum ac_err err = AC_ENOMEM;

    if (kr == NULL || rows == NULL)
        goto out;
    for (i = 0; i < n; i = j, nr++) {
        rows[nr].label = kr[i].k[0] != NULL ? kr[i].k[0] : "(none)";
        for (j = i, e = group_end(kr, n, i); j < e; j++)
            rows[nr].v[category(cell(t, kr[j].row, stc), names, MAX_SEG)]++;
    }
    panel_open(out, "Versions per API", "Each version by its declared status.", false);
    stack_chart(out, &c, &s, rows, nr < MAX_BARS ? nr : MAX_BARS, "No versions in the inventory");
    if (nr > MAX_BARS)
        fprintf(out, "<p class=\"muted\">and %zu more APIs</p>", nr - MAX_BARS);
    fputs("</figure>\n", out);
    err = AC_OK;
out:
    free(rows);
    free(kr);
    return err;
}

static void chart_deployments(FILE *out, const struct ac_table *t)
{
    static const char *const envs[] = {"production",  "staging", "test",
                                       "development", "other",   "undeclared"};
    static const char *const auds[] = {"public", "partner", "internal", "other", "undeclared"};
    static const char *const colors[] = {"#dc2626", "#7c3aed", "#0d9488", "#f59e0b", "#cbd5e1"};
    static const struct segs s = {MAX_SEG, auds, colors};
    static const struct chart c = {"deployments", "Deployments by environment and audience", 130,
                                   0};
    struct stack rows[6];
    size_t ec = col(t, "environment"), ac = col(t, "audience"), i, nr = 0;

    memset(rows, 0, sizeof(rows));
    for (i = 0; i < 6; i++)
        rows[i].label = envs[i];
    for (i = 0; i < nrows(t); i++)
        rows[category(cell(t, i, ec), envs, 6)].v[category(cell(t, i, ac), auds, MAX_SEG)]++;
    for (i = 0; i < 6; i++)
        if (rows[i].v[0] + rows[i].v[1] + rows[i].v[2] + rows[i].v[3] + rows[i].v[4] > 0)
            rows[nr++] = rows[i];
    panel_open(out, "Deployments by environment and audience",
               "One bar per environment, split by who may reach the deployment.", false);
    stack_chart(out, &c, &s, rows, nr, "No deployments in the inventory");
    fputs("</figure>\n", out);
}

static const char color_documented[] = "#0f766e";
static const char color_undocumented[] = "#dc2626";

/* The endpoints grouped by (host, method, template) over their sources, busiest first, as bars
 * into *out (the caller frees it), coloured by whether any source matched a documented
 * operation; *n distinct endpoints. */
static enum ac_err endpoint_bars(const struct ac_table *t, struct bar **out, size_t *n)
{
    size_t cc = col(t, "count"), dc = col(t, "documented"), rows = nrows(t), nb = 0, i, j, e;
    struct keyrow *kr = keyrows(t, "host", "method", "template");
    struct bar *b = calloc(rows + 1, sizeof(*b));

    if (kr == NULL || b == NULL) {
        free(b);
        free(kr);
        return AC_ENOMEM;
    }
    for (i = 0; i < rows; i = j, nb++) {
        bool documented = false;

        b[nb] = (struct bar){.prefix = kr[i].k[1],
                             .label = kr[i].k[2],
                             .tip = kr[i].k[0],
                             .link_key = "q",
                             .link_val = kr[i].k[2]};
        for (j = i, e = group_end(kr, rows, i); j < e; j++) {
            b[nb].value += num(cell(t, kr[j].row, cc));
            documented = documented || truthy(cell(t, kr[j].row, dc));
        }
        b[nb].color = documented ? color_documented : color_undocumented;
    }
    free(kr);
    qsort(b, nb, sizeof(*b), bar_cmp);
    *out = b;
    *n = nb;
    return AC_OK;
}

static enum ac_err chart_endpoints(FILE *out, const struct ac_table *t)
{
    static const struct chart c = {"endpoints", "Busiest endpoints", 300, 0};
    struct bar *b = NULL;
    size_t nb = 0;
    enum ac_err err = endpoint_bars(t, &b, &nb);

    if (err != AC_OK)
        return err;
    panel_open(out, "Busiest endpoints", "Requests observed per endpoint, all hosts.", true);
    if (nb > 0)
        fputs("<p class=\"legend\"><span class=\"sw doc\"></span>documented"
              "<span class=\"sw undoc\"></span>undocumented</p>",
              out);
    bar_chart(out, &c, b, nb < MAX_ENDPOINTS ? nb : MAX_ENDPOINTS, "No traffic observed");
    fputs("</figure>\n", out);
    free(b);
    return AC_OK;
}

/* ---- the traffic timeline ----------------------------------------------------------------- */

static long days_from_civil(long y, long m, long d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static long digits(const char *s, size_t n)
{
    long v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Hours since 1970 of "YYYY-MM-DDTHH...", or -1 when s is not such a time. */
static long hour_of(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd";
    long mo, d, h;
    size_t i;

    for (i = 0; s != NULL && shape[i] != '\0'; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
            return -1;
    if (s == NULL)
        return -1;
    mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23)
        return -1;
    return days_from_civil(digits(s, 4), mo, d) * 24 + h;
}

static void hour_label(FILE *out, long h)
{
    long y, m, d;

    civil_from_days(h >= 0 ? h / 24 : (h - 23) / 24, &y, &m, &d);
    fprintf(out, "%04ld-%02ld-%02ld %02ld:00", y, m, d, ((h % 24) + 24) % 24);
}

struct series {
    size_t first, len; /* rows kr[first .. first+len) */
    unsigned long long total, peak;
};

static int series_cmp(const void *pa, const void *pb)
{
    const struct series *a = pa, *b = pb;

    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    return a->first < b->first ? -1 : a->first > b->first;
}

/* The traffic rows with a valid hour (ord: hours since 1970), sorted by endpoint then hour; *n
 * of them. The caller frees it; NULL on ENOMEM. */
static struct keyrow *traffic_rows(const struct ac_table *t, size_t *n)
{
    struct keyrow *kr = keyrows(t, "host", "method", "template");
    size_t hc = col(t, "hour"), i, kept = 0;

    for (i = 0; kr != NULL && i < nrows(t); i++) {
        kr[i].ord = hour_of(cell(t, kr[i].row, hc));
        if (kr[i].ord >= 0)
            kr[kept++] = kr[i];
    }
    if (kr != NULL)
        qsort(kr, kept, sizeof(*kr), keyrow_cmp);
    *n = kept;
    return kr;
}

struct timeline {
    const struct ac_table *t;
    const struct keyrow *kr;
    long h0, h1; /* the hours shown, inclusive */
};

static void traffic_svg(FILE *out, const struct timeline *tl, const struct series *s, size_t k)
{
    static const double x0 = 34, x1 = 314, y0 = 10, y1 = 100;
    size_t cc = col(tl->t, "count"), i, points = 0;
    double bw = (x1 - x0) / (double)(tl->h1 - tl->h0 + 1);

    for (i = s->first; i < s->first + s->len; i++)
        points += tl->kr[i].ord >= tl->h0 && num(cell(tl->t, tl->kr[i].row, cc)) > 0;
    fprintf(out,
            "<svg class=\"chart tl\" data-chart=\"traffic-%zu\" data-points=\"%zu\" viewBox=\"0 0 "
            "320 120\" width=\"320\" height=\"120\" role=\"img\"><title>Requests per hour"
            "</title>\n<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>"
            "<text class=\"end\" x=\"%.0f\" y=\"%.0f\">%llu</text><text class=\"end\" "
            "x=\"%.0f\" y=\"%.0f\">0</text>\n",
            k, points, x0, y1, x1, y1, x0 - 6, y0 + 10, s->peak, x0 - 6, y1);
    for (i = s->first; i < s->first + s->len; i++) {
        long h = tl->kr[i].ord;
        unsigned long long v = num(cell(tl->t, tl->kr[i].row, cc));
        double bh = (y1 - y0) * (double)v / (double)(s->peak > 0 ? s->peak : 1);

        if (h < tl->h0 || v == 0)
            continue;
        fprintf(out,
                "<rect class=\"pt\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                "fill=\"#2563eb\">",
                x0 + bw * (double)(h - tl->h0) + bw * 0.1, y1 - bh, bw * 0.8 > 1 ? bw * 0.8 : 1,
                bh);
        fputs("<title>", out);
        hour_label(out, h);
        fprintf(out, " UTC: %llu requests</title></rect>\n", v);
    }
    fprintf(out, "<text x=\"%.0f\" y=\"116\">", x0);
    hour_label(out, tl->h0);
    fprintf(out, "</text><text class=\"end\" x=\"%.0f\" y=\"116\">", x1);
    hour_label(out, tl->h1);
    fputs("</text></svg>\n", out);
}

static void traffic_panel(FILE *out, const struct timeline *tl, const struct series *s, size_t k)
{
    const struct keyrow *key = &tl->kr[s->first];

    fputs("<figure class=\"panel\"><figcaption><h3><span class=\"m\">", out);
    esc_or_dash(out, key->k[1]);
    fputs("</span> <code>", out);
    esc_or_dash(out, key->k[2]);
    fputs("</code></h3><p>", out);
    esc_or_dash(out, key->k[0]);
    fprintf(out, " \xC2\xB7 %llu requests, at most %llu in one hour</p></figcaption>\n", s->total,
            s->peak);
    traffic_svg(out, tl, s, k);
    fputs("</figure>\n", out);
}

/* Split the sorted rows into one series per endpoint, summing the hours within the window. */
static size_t traffic_series(const struct timeline *tl, size_t n, struct series *s)
{
    size_t cc = col(tl->t, "count"), ns = 0, i, j, e;

    for (i = 0; i < n; i = j, ns++) {
        s[ns] = (struct series){i, 0, 0, 0};
        for (j = i, e = group_end(tl->kr, n, i); j < e; j++) {
            unsigned long long v = num(cell(tl->t, tl->kr[j].row, cc));

            s[ns].total += tl->kr[j].ord >= tl->h0 ? v : 0;
            s[ns].peak = tl->kr[j].ord >= tl->h0 && v > s[ns].peak ? v : s[ns].peak;
        }
        s[ns].len = j - i;
    }
    qsort(s, ns, sizeof(*s), series_cmp);
    return ns;
}

static void traffic_panels(FILE *out, struct timeline *tl, size_t n, struct series *s)
{
    static const struct chart c = {"traffic", "Requests per hour", 0, 0};
    size_t ns, i;

    tl->h0 = tl->h1 = 0;
    for (i = 0; i < n; i++) {
        tl->h0 = i == 0 || tl->kr[i].ord < tl->h0 ? tl->kr[i].ord : tl->h0;
        tl->h1 = i == 0 || tl->kr[i].ord > tl->h1 ? tl->kr[i].ord : tl->h1;
    }
    if (tl->h1 - tl->h0 + 1 > MAX_HOURS)
        tl->h0 = tl->h1 - MAX_HOURS + 1;
    ns = traffic_series(tl, n, s);
    while (ns > 0 && s[ns - 1].total == 0)
        ns--;
    ns = ns < MAX_PANELS ? ns : MAX_PANELS;
    if (ns > 0) {
        fputs("<p class=\"muted\">Requests per hour (UTC) from ", out);
        hour_label(out, tl->h0);
        fputs(" to ", out);
        hour_label(out, tl->h1);
        fprintf(out, ", the %zu busiest endpoints; each panel has its own scale.</p>\n", ns);
    }
    fputs(ns > 0 ? "<div class=\"grid small\">\n" : "<div class=\"grid\">\n", out);
    for (i = 0; i < ns; i++)
        traffic_panel(out, tl, &s[i], i + 1);
    if (ns == 0) {
        panel_open(out, "Requests per hour", "The store holds no timed traffic.", false);
        no_data(out, &c, "No traffic over time");
        fputs("</figure>\n", out);
    }
    fputs("</div>\n", out);
}

static enum ac_err chart_traffic(FILE *out, const struct ac_table *t)
{
    struct timeline tl = {t, NULL, 0, 0};
    size_t n = 0;
    struct keyrow *kr = traffic_rows(t, &n);
    struct series *s = calloc(n + 1, sizeof(*s));
    enum ac_err err = AC_ENOMEM;

    if (kr == NULL || s == NULL)
        goto out;
    tl.kr = kr;
    fputs("<h2 id=\"traffic\">Traffic per endpoint over time</h2>\n", out);
    traffic_panels(out, &tl, n, s);
    err = AC_OK;
out:
    free(s);
    free(kr);
    return err;
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
    esc_or_dash(out, r->generated);
    fputs(" by apicensus ", out);
    esc_or_dash(out, r->version);
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
    size_t sc = col(f, "severity"), stc = col(f, "state"), i, endpoints = 0, undocumented = 0;
    struct bar *b = NULL;
    enum ac_err err = endpoint_bars(r->endpoints, &b, &endpoints);

    for (i = 0; i < endpoints; i++)
        undocumented += b[i].color == color_undocumented;
    free(b);
    for (i = 0; i < nrows(f); i++)
        open[sev_rank(cell(f, i, sc))] += str_eq(cell(f, i, stc), "open");
    fputs("<h2>Summary</h2>\n<div class=\"cards\">\n", out);
    card(out, "", nrows(r->apis), "APIs");
    card(out, "", nrows(r->versions), "Versions");
    card(out, "", nrows(r->deployments), "Deployments");
    card(out, "", nrows(r->integrations), "Integrations");
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
    err = chart_versions(out, r->versions);
    if (err != AC_OK)
        return err;
    err = chart_endpoints(out, r->endpoints);
    chart_deployments(out, r->deployments);
    fputs("</div>\n", out);
    return err != AC_OK ? err : chart_traffic(out, r->traffic);
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
        esc_or_dash(out, text);
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
    esc_text(out, value, 0, true);
    *first = false;
}

/* The title, and under it the evidence in a <details>: the widest column holds it when open. */
static void title_cell(FILE *out, const struct ac_table *t, size_t i, const struct fcols *c)
{
    bool first = true;

    fputs("<td class=\"title\">", out);
    if (cell(t, i, c->title) != NULL)
        esc_text(out, cell(t, i, c->title), 0, true);
    else
        fputs("<span class=\"none\">-</span>", out);
    fputs("<details><summary>evidence</summary>", out);
    evidence_list(out, cell(t, i, c->ev));
    fputs("<p class=\"meta\">", out);
    meta_item(out, "version", cell(t, i, c->version), &first);
    meta_item(out, "first detected", cell(t, i, c->first), &first);
    meta_item(out, "last detected", cell(t, i, c->last), &first);
    meta_item(out, "resolved", cell(t, i, c->resolved), &first);
    meta_item(out, "declared in", cell(t, i, c->file), &first);
    if (cell(t, i, c->file) != NULL && cell(t, i, c->line) != NULL) {
        fputs(":", out);
        esc(out, cell(t, i, c->line));
    }
    fputs("</p></details></td>", out);
}

/* A cell; class "mono" ones hold paths and URLs, which may break after a '/'. */
static void td(FILE *out, const char *cls, const char *s)
{
    fprintf(out, "<td%s%s%s>", cls != NULL ? " class=\"" : "", cls != NULL ? cls : "",
            cls != NULL ? "\"" : "");
    if (s != NULL)
        esc_text(out, s, 0, cls != NULL && strcmp(cls, "mono") == 0);
    else
        fputs("<span class=\"none\">-</span>", out);
    fputs("</td>", out);
}

static void finding_row(FILE *out, const struct ac_table *t, size_t i, const struct fcols *c)
{
    const char *sev = cell(t, i, c->sev);

    fputs("<tr data-severity=\"", out);
    esc(out, sev);
    fputs("\" data-state=\"", out);
    esc(out, cell(t, i, c->state));
    fputs("\">", out);
    td(out, "mono id", cell(t, i, c->id));
    fprintf(out, "<td><span class=\"sev sev-%s\">", sev_name[sev_rank(sev)]);
    esc_or_dash(out, sev);
    fputs("</span></td>", out);
    td(out, NULL, cell(t, i, c->state));
    td(out, "mono rule", cell(t, i, c->rule));
    td(out, NULL, cell(t, i, c->api));
    td(out, NULL, cell(t, i, c->host));
    td(out, "m", cell(t, i, c->method));
    td(out, "mono", cell(t, i, c->tmpl));
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
    const struct fcols c = {col(t, "id"),
                            col(t, "rule"),
                            col(t, "severity"),
                            col(t, "state"),
                            col(t, "title"),
                            col(t, "api"),
                            col(t, "host"),
                            col(t, "method"),
                            col(t, "template"),
                            col(t, "version"),
                            col(t, "evidence"),
                            col(t, "first_detected"),
                            col(t, "last_detected"),
                            col(t, "resolved_at"),
                            col(t, "file"),
                            col(t, "line")};
    size_t i;

    fprintf(out, "<h2 id=\"findings\">Findings (%zu)</h2>\n", nrows(t));
    if (nrows(t) == 0) {
        fputs("<p class=\"muted\">No findings in this report.</p>\n", out);
        return;
    }
    fputs(filter_form, out);
    fputs("<div class=\"wrap\"><table id=\"findings-table\"><thead><tr><th>ID</th>"
          "<th>Severity</th><th>State</th><th>Rule</th><th>API</th><th>Host</th><th>Method</th>"
          "<th>Template</th><th>Title and evidence</th></tr></thead>\n<tbody>\n",
          out);
    for (i = 0; i < nrows(t); i++)
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
        td(out, NULL, truthy(s) ? "yes" : "no");
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

    fprintf(out, "<h2>%s (%zu)</h2>\n", title, nrows(t));
    if (nrows(t) == 0) {
        fputs("<p class=\"muted\">None.</p>\n", out);
        return;
    }
    fputs("<div class=\"wrap\"><table><thead><tr>", out);
    for (j = 0; j < ncols && j < 16; j++) {
        c[j] = col(t, cols[j].name);
        fprintf(out, "<th>%s</th>", cols[j].head);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (i = 0; i < nrows(t); i++) {
        fputs("<tr>", out);
        for (j = 0; j < ncols && j < 16; j++)
            data_cell(out, cell(t, i, c[j]), cols[j].fmt);
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
