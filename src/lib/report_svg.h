/* report_svg.h - the HTML report's charts, drawn as inline SVG (private to the HTML renderer).
 *
 * report_html.c lays out the page; report_svg.c draws. It offers the drawing the page's findings
 * charts use (a figure panel, a horizontal bar chart), the charts that read their own table (the
 * inventory's versions, deployments and busiest endpoints, and the traffic timeline: requests per
 * hour of the busiest endpoints, one small multiple each), and the two helpers both files need:
 * escaping text, and grouping a table's rows by key. Dependencies run one way: report_html.c
 * uses this header, report_svg.c knows nothing of the page.
 *
 * Every chart is one <svg class="chart" data-chart=ID data-points=N> where N counts the values it
 * plots (bars, stacked segments, hours with traffic), each drawn as an element of class "pt"; an
 * empty source gives a "no data" figure, <svg class="chart nodata" ... data-points="0">. Every
 * string from a table goes through ac__html_text(). Columns are found by name; a missing column
 * or NULL cell is skipped or drawn as "-". Functions write to out and leave write errors to the
 * caller, which checks the stream once at the end. Strings and tables are borrowed for the call;
 * nothing is kept between calls, so calls on different streams may run in parallel.
 */
#ifndef AC_REPORT_SVG_H
#define AC_REPORT_SVG_H

#include <apicensus/error.h>
#include <apicensus/table.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define AC__SVG_MAX_BARS 20 /* rows of a bar chart; the caller counts the rest in its caption */

/* ---- text ----------------------------------------------------------------------------------- */

/* Write s escaped for HTML text and quoted attributes (inline SVG included), dropping C0 controls
 * other than tab and newline, cut after max code points (0: no limit) with an ellipsis; wbr: let
 * lines break after each '/' (text only, for paths and URLs). NULL writes nothing. */
void ac__html_text(FILE *out, const char *s, size_t max, bool wbr);

/* s escaped as by ac__html_text(out, s, 0, false), or a muted dash for NULL. */
void ac__html_text_or_dash(FILE *out, const char *s);

/* ---- grouping rows by key ------------------------------------------------------------------- */

struct ac__keyrow {
    const char *k[3]; /* the key, borrowed from the table */
    long ord;         /* orders rows of one key (the hour of a traffic row); 0 from ac__keyrows */
    size_t row;       /* the row in the table */
};

/* The rows of t keyed by the named columns (up to three; NULL names and missing columns give
 * NULL keys), sorted by key then row: an array of ac_table_rows(t) entries, which the caller
 * frees with free(). NULL when out of memory. t is borrowed while the array is used. */
struct ac__keyrow *ac__keyrows(const struct ac_table *t, const char *k0, const char *k1,
                               const char *k2);

/* The end of the group of equal keys that starts at kr[i] (i < n). */
size_t ac__keyrows_group_end(const struct ac__keyrow *kr, size_t n, size_t i);

/* ---- drawing -------------------------------------------------------------------------------- */

struct ac__chart {
    const char *id;         /* data-chart */
    const char *title;      /* the accessible name */
    double label_w;         /* width of the label column */
    unsigned long long max; /* the scale's maximum; 0: the largest value */
};

struct ac__bar {
    const char *prefix; /* drawn bold before the label (a method), or NULL */
    const char *label;
    const char *tip;                 /* added to the tooltip, or NULL */
    const char *link_key, *link_val; /* the bar links to #key=val when key is not NULL */
    unsigned long long value;
    const char *color; /* an SVG colour, written as it is */
};

/* Open a chart's <figure class="panel"> (spanning two grid rows when tall) with its caption, a
 * title and a note. The caller writes the chart and closes the </figure>. */
void ac__svg_panel_open(FILE *out, const char *title, const char *note, bool tall);

/* Horizontal bars, one per entry of b[0..n) in that order, each a link when it has a link_key;
 * a "no data" figure saying empty when n is 0. */
void ac__svg_bar_chart(FILE *out, const struct ac__chart *c, const struct ac__bar *b, size_t n,
                       const char *empty);

/* qsort() order of struct ac__bar: largest value first, then by label and tip. */
int ac__svg_bar_cmp(const void *a, const void *b);

/* ---- charts of the report's tables ---------------------------------------------------------- */

/* The panel of versions per API (AC_LIST_VERSIONS: api, status), stacked by status. AC_ENOMEM
 * (nothing written) when out of memory. */
enum ac_err ac__svg_versions(FILE *out, const struct ac_table *versions);

/* The panel of deployments (AC_LIST_DEPLOYMENTS: environment, audience), one stacked bar per
 * environment split by audience. */
void ac__svg_deployments(FILE *out, const struct ac_table *deployments);

/* The panel of the busiest endpoints (AC_LIST_ENDPOINTS: host, method, template, count,
 * documented) summed over their sources, coloured by whether one is documented. AC_ENOMEM
 * (nothing written) when out of memory. */
enum ac_err ac__svg_endpoints(FILE *out, const struct ac_table *endpoints);

/* How many distinct endpoints (host, method, template) AC_LIST_ENDPOINTS holds, and how many of
 * them no source matched to a documented operation, as the endpoints chart counts them. Writes
 * *observed and *undocumented only on success; AC_ENOMEM when out of memory. */
enum ac_err ac__svg_endpoint_counts(const struct ac_table *endpoints, size_t *observed,
                                    size_t *undocumented);

/* The traffic section (AC_LIST_TRAFFIC: host, method, template, hour, count): its heading, a
 * note of the hours shown (at most the last 92 days) and one panel of requests per hour for
 * each of the 8 busiest endpoints, each on its own scale, or one "no data" panel. AC_ENOMEM
 * (nothing written) when out of memory. */
enum ac_err ac__svg_timeline(FILE *out, const struct ac_table *traffic);

#endif
