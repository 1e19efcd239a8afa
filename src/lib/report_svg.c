/* report_svg.c - the HTML report's charts as inline SVG (see report_svg.h).
 *
 * Drawing: a figure panel, horizontal bars (each optionally a link to the findings filter, so
 * "#severity=high" or "#q=rule" opens the table filtered) and stacked bars with a legend, all
 * CHART_W wide with ROW_H per row and a label column cut to fit. The charts that read their own
 * table: versions per API by status, deployments by environment and audience, the busiest
 * endpoints (summed over their sources, coloured documented or undocumented), and the traffic
 * timeline: the busiest endpoints' requests per hour, one small multiple each on its own scale,
 * over at most the last MAX_HOURS hours of the table.
 *
 * Invariants. Every chart is <svg class="chart" data-chart=ID data-points=N>: N counts the
 * elements of class "pt" it draws, one per plotted value (a bar, a non-empty stacked segment, an
 * hour with traffic), which headless checks compare with the JSON listings; with nothing to plot
 * it is the "no data" figure with data-points="0". Every string from a table goes through
 * ac__html_text() (safe in HTML text, SVG text and quoted attributes) and link values are
 * percent-encoded. Hours are converted with days_from_civil (H. Hinnant's arithmetic on the
 * proleptic Gregorian calendar), not the C library, so the output is a function of the tables.
 */
#include "report_svg.h"

#include "report.h"

#include <stdlib.h>
#include <string.h>

#define CHART_W 640.0
#define ROW_H 24.0
#define MAX_ENDPOINTS 12     /* bars of the busiest-endpoints chart */
#define MAX_PANELS 8         /* small multiples of the traffic timeline */
#define MAX_HOURS (24L * 92) /* the timeline shows at most its last 92 days */
#define MAX_SEG 5            /* segments of a stacked bar */

/* ---- table access and text ---------------------------------------------------------------- */

/* The escaping of both files of the HTML report: here, because the page depends on its charts
 * and not the reverse. */
void ac__html_text(FILE *out, const char *s, size_t max, bool wbr)
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

void ac__html_text_or_dash(FILE *out, const char *s)
{
    if (s != NULL)
        ac__html_text(out, s, 0, false);
    else
        fputs("<span class=\"none\">-</span>", out);
}

static void esc(FILE *out, const char *s)
{
    ac__html_text(out, s, 0, false);
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

/* ---- grouping rows by key ----------------------------------------------------------------- */

static int keyrow_cmp(const void *pa, const void *pb)
{
    const struct ac__keyrow *a = pa, *b = pb;
    size_t i;
    int d;

    for (i = 0; i < 3; i++)
        if ((d = ac__str_cmp(a->k[i], b->k[i])) != 0)
            return d;
    if (a->ord != b->ord)
        return a->ord < b->ord ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static bool same_key(const struct ac__keyrow *a, const struct ac__keyrow *b)
{
    return ac__str_cmp(a->k[0], b->k[0]) == 0 && ac__str_cmp(a->k[1], b->k[1]) == 0 &&
           ac__str_cmp(a->k[2], b->k[2]) == 0;
}

struct ac__keyrow *ac__keyrows(const struct ac_table *t, const char *k0, const char *k1,
                               const char *k2)
{
    size_t c[3] = {ac__col(t, k0 != NULL ? k0 : ""), ac__col(t, k1 != NULL ? k1 : ""),
                   ac__col(t, k2 != NULL ? k2 : "")};
    size_t n = ac__rows(t), i, j;
    struct ac__keyrow *kr = calloc(n > 0 ? n : 1, sizeof(*kr));

    for (i = 0; kr != NULL && i < n; i++) {
        for (j = 0; j < 3; j++)
            kr[i].k[j] = ac__cell(t, i, c[j]);
        kr[i].row = i;
    }
    if (kr != NULL)
        qsort(kr, n, sizeof(*kr), keyrow_cmp);
    return kr;
}

size_t ac__keyrows_group_end(const struct ac__keyrow *kr, size_t n, size_t i)
{
    size_t j = i + 1;

    while (j < n && same_key(&kr[i], &kr[j]))
        j++;
    return j;
}

/* ---- SVG charts --------------------------------------------------------------------------- */

static void svg_open(FILE *out, const struct ac__chart *c, size_t points, double h)
{
    fprintf(out,
            "<svg class=\"chart\" data-chart=\"%s\" data-points=\"%zu\" viewBox=\"0 0 %.0f "
            "%.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\"><title>",
            c->id, points, CHART_W, h, CHART_W, h);
    esc(out, c->title);
    fputs("</title>\n", out);
}

static void no_data(FILE *out, const struct ac__chart *c, const char *msg)
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

void ac__svg_panel_open(FILE *out, const char *title, const char *note, bool tall)
{
    fputs(tall ? "<figure class=\"panel tall\"><figcaption><h3>"
               : "<figure class=\"panel\"><figcaption><h3>",
          out);
    esc(out, title);
    fputs("</h3><p>", out);
    esc(out, note);
    fputs("</p></figcaption>\n", out);
}

static void bar_row(FILE *out, const struct ac__chart *c, const struct ac__bar *b, double y,
                    double scale)
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
    ac__html_text(out, b->label, room > 2 ? room - 1 : 1, false);
    fprintf(out,
            "</text><rect class=\"pt\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" rx=\"2\" "
            "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\">%llu</text></g>",
            c->label_w, y + 4, w, b->color, c->label_w + w + 6, y + 16, b->value);
    fputs(b->link_key != NULL ? "</a>\n" : "\n", out);
}

void ac__svg_bar_chart(FILE *out, const struct ac__chart *c, const struct ac__bar *b, size_t n,
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

int ac__svg_bar_cmp(const void *pa, const void *pb)
{
    const struct ac__bar *a = pa, *b = pb;

    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return ac__str_cmp(a->label, b->label) != 0 ? ac__str_cmp(a->label, b->label)
                                                : ac__str_cmp(a->tip, b->tip);
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

static void stack_row(FILE *out, const struct ac__chart *c, const struct segs *s,
                      const struct stack *r, double y, double scale)
{
    double x = c->label_w;
    unsigned long long sum = 0;
    size_t i;

    fprintf(out, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\">", c->label_w - 8, y + 16);
    ac__html_text(out, r->label, (size_t)(c->label_w / 7.0) - 1, false);
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
static void stack_chart(FILE *out, const struct ac__chart *c, const struct segs *s,
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

/* ---- the charts of the inventory ----------------------------------------------------------- */

enum ac_err ac__svg_versions(FILE *out, const struct ac_table *t)
{
    static const char *const names[] = {"active", "deprecated", "retired", "other", "undeclared"};
    static const char *const colors[] = {"#16a34a", "#d97706", "#6b7280", "#a855f7", "#cbd5e1"};
    static const struct segs s = {MAX_SEG, names, colors};
    static const struct ac__chart c = {"versions", "Versions per API by status", 190, 0};
    struct ac__keyrow *kr = ac__keyrows(t, "api", NULL, NULL);
    struct stack *rows = calloc(ac__rows(t) + 1, sizeof(*rows));
    size_t stc = ac__col(t, "status"), n = ac__rows(t), nr = 0, i, j, e;
    enum ac_err err = AC_ENOMEM;

    if (kr == NULL || rows == NULL)
        goto out;
    for (i = 0; i < n; i = j, nr++) {
        rows[nr].label = kr[i].k[0] != NULL ? kr[i].k[0] : "(none)";
        for (j = i, e = ac__keyrows_group_end(kr, n, i); j < e; j++)
            rows[nr].v[category(ac__cell(t, kr[j].row, stc), names, MAX_SEG)]++;
    }
    ac__svg_panel_open(out, "Versions per API", "Each version by its declared status.", false);
    stack_chart(out, &c, &s, rows, nr < AC__SVG_MAX_BARS ? nr : AC__SVG_MAX_BARS,
                "No versions in the inventory");
    if (nr > AC__SVG_MAX_BARS)
        fprintf(out, "<p class=\"muted\">and %zu more APIs</p>", nr - AC__SVG_MAX_BARS);
    fputs("</figure>\n", out);
    err = AC_OK;
out:
    free(rows);
    free(kr);
    return err;
}

void ac__svg_deployments(FILE *out, const struct ac_table *t)
{
    static const char *const envs[] = {"production",  "staging", "test",
                                       "development", "other",   "undeclared"};
    static const char *const auds[] = {"public", "partner", "internal", "other", "undeclared"};
    static const char *const colors[] = {"#dc2626", "#7c3aed", "#0d9488", "#f59e0b", "#cbd5e1"};
    static const struct segs s = {MAX_SEG, auds, colors};
    static const struct ac__chart c = {"deployments", "Deployments by environment and audience",
                                       130, 0};
    struct stack rows[6];
    size_t ec = ac__col(t, "environment"), ac = ac__col(t, "audience"), i, nr = 0;

    memset(rows, 0, sizeof(rows));
    for (i = 0; i < 6; i++)
        rows[i].label = envs[i];
    for (i = 0; i < ac__rows(t); i++)
        rows[category(ac__cell(t, i, ec), envs, 6)]
            .v[category(ac__cell(t, i, ac), auds, MAX_SEG)]++;
    for (i = 0; i < 6; i++)
        if (rows[i].v[0] + rows[i].v[1] + rows[i].v[2] + rows[i].v[3] + rows[i].v[4] > 0)
            rows[nr++] = rows[i];
    ac__svg_panel_open(out, "Deployments by environment and audience",
                       "One bar per environment, split by who may reach the deployment.", false);
    stack_chart(out, &c, &s, rows, nr, "No deployments in the inventory");
    fputs("</figure>\n", out);
}

static const char color_documented[] = "#0f766e";
static const char color_undocumented[] = "#dc2626";

/* The endpoints grouped by (host, method, template) over their sources, busiest first, as bars
 * into *out (the caller frees it), coloured by whether any source matched a documented
 * operation; *n distinct endpoints. */
static enum ac_err endpoint_bars(const struct ac_table *t, struct ac__bar **out, size_t *n)
{
    size_t cc = ac__col(t, "count"), dc = ac__col(t, "documented"), rows = ac__rows(t), nb = 0, i,
           j, e;
    struct ac__keyrow *kr = ac__keyrows(t, "host", "method", "template");
    struct ac__bar *b = calloc(rows + 1, sizeof(*b));

    if (kr == NULL || b == NULL) {
        free(b);
        free(kr);
        return AC_ENOMEM;
    }
    for (i = 0; i < rows; i = j, nb++) {
        bool documented = false;

        b[nb] = (struct ac__bar){.prefix = kr[i].k[1],
                                 .label = kr[i].k[2],
                                 .tip = kr[i].k[0],
                                 .link_key = "q",
                                 .link_val = kr[i].k[2]};
        for (j = i, e = ac__keyrows_group_end(kr, rows, i); j < e; j++) {
            b[nb].value += ac__num(ac__cell(t, kr[j].row, cc));
            documented = documented || ac__truthy(ac__cell(t, kr[j].row, dc));
        }
        b[nb].color = documented ? color_documented : color_undocumented;
    }
    free(kr);
    qsort(b, nb, sizeof(*b), ac__svg_bar_cmp);
    *out = b;
    *n = nb;
    return AC_OK;
}

enum ac_err ac__svg_endpoints(FILE *out, const struct ac_table *t)
{
    static const struct ac__chart c = {"endpoints", "Busiest endpoints", 300, 0};
    struct ac__bar *b = NULL;
    size_t nb = 0;
    enum ac_err err = endpoint_bars(t, &b, &nb);

    if (err != AC_OK)
        return err;
    ac__svg_panel_open(out, "Busiest endpoints", "Requests observed per endpoint, all hosts.",
                       true);
    if (nb > 0)
        fputs("<p class=\"legend\"><span class=\"sw doc\"></span>documented"
              "<span class=\"sw undoc\"></span>undocumented</p>",
              out);
    ac__svg_bar_chart(out, &c, b, nb < MAX_ENDPOINTS ? nb : MAX_ENDPOINTS, "No traffic observed");
    fputs("</figure>\n", out);
    free(b);
    return AC_OK;
}

enum ac_err ac__svg_endpoint_counts(const struct ac_table *t, size_t *observed,
                                    size_t *undocumented)
{
    struct ac__bar *b = NULL;
    size_t nb = 0, bad = 0, i;
    enum ac_err err = endpoint_bars(t, &b, &nb);

    if (err == AC_OK) {
        for (i = 0; i < nb; i++)
            bad += b[i].color == color_undocumented;
        *observed = nb;
        *undocumented = bad;
    }
    free(b);
    return err;
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
static struct ac__keyrow *traffic_rows(const struct ac_table *t, size_t *n)
{
    struct ac__keyrow *kr = ac__keyrows(t, "host", "method", "template");
    size_t hc = ac__col(t, "hour"), i, kept = 0;

    for (i = 0; kr != NULL && i < ac__rows(t); i++) {
        kr[i].ord = hour_of(ac__cell(t, kr[i].row, hc));
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
    const struct ac__keyrow *kr;
    long h0, h1; /* the hours shown, inclusive */
};

static void traffic_svg(FILE *out, const struct timeline *tl, const struct series *s, size_t k)
{
    static const double x0 = 34, x1 = 314, y0 = 10, y1 = 100;
    size_t cc = ac__col(tl->t, "count"), i, points = 0;
    double bw = (x1 - x0) / (double)(tl->h1 - tl->h0 + 1);

    for (i = s->first; i < s->first + s->len; i++)
        points += tl->kr[i].ord >= tl->h0 && ac__num(ac__cell(tl->t, tl->kr[i].row, cc)) > 0;
    fprintf(out,
            "<svg class=\"chart tl\" data-chart=\"traffic-%zu\" data-points=\"%zu\" viewBox=\"0 0 "
            "320 120\" width=\"320\" height=\"120\" role=\"img\"><title>Requests per hour"
            "</title>\n<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>"
            "<text class=\"end\" x=\"%.0f\" y=\"%.0f\">%llu</text><text class=\"end\" "
            "x=\"%.0f\" y=\"%.0f\">0</text>\n",
            k, points, x0, y1, x1, y1, x0 - 6, y0 + 10, s->peak, x0 - 6, y1);
    for (i = s->first; i < s->first + s->len; i++) {
        long h = tl->kr[i].ord;
        unsigned long long v = ac__num(ac__cell(tl->t, tl->kr[i].row, cc));
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
    const struct ac__keyrow *key = &tl->kr[s->first];

    fputs("<figure class=\"panel\"><figcaption><h3><span class=\"m\">", out);
    ac__html_text_or_dash(out, key->k[1]);
    fputs("</span> <code>", out);
    ac__html_text_or_dash(out, key->k[2]);
    fputs("</code></h3><p>", out);
    ac__html_text_or_dash(out, key->k[0]);
    fprintf(out, " \xC2\xB7 %llu requests, at most %llu in one hour</p></figcaption>\n", s->total,
            s->peak);
    traffic_svg(out, tl, s, k);
    fputs("</figure>\n", out);
}

/* Split the sorted rows into one series per endpoint, summing the hours within the window. */
static size_t traffic_series(const struct timeline *tl, size_t n, struct series *s)
{
    size_t cc = ac__col(tl->t, "count"), ns = 0, i, j, e;

    for (i = 0; i < n; i = j, ns++) {
        s[ns] = (struct series){i, 0, 0, 0};
        for (j = i, e = ac__keyrows_group_end(tl->kr, n, i); j < e; j++) {
            unsigned long long v = ac__num(ac__cell(tl->t, tl->kr[j].row, cc));

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
    static const struct ac__chart c = {"traffic", "Requests per hour", 0, 0};
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
        ac__svg_panel_open(out, "Requests per hour", "The store holds no timed traffic.", false);
        no_data(out, &c, "No traffic over time");
        fputs("</figure>\n", out);
    }
    fputs("</div>\n", out);
}

enum ac_err ac__svg_timeline(FILE *out, const struct ac_table *t)
{
    struct timeline tl = {t, NULL, 0, 0};
    size_t n = 0;
    struct ac__keyrow *kr = traffic_rows(t, &n);
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
