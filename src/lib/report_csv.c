/* report_csv.c - tables as CSV (RFC 4180), and the findings report in CSV.
 *
 * A header row of the column names, then one row per table row, CRLF line ends. A field is
 * quoted when it holds a comma, a quote, CR or LF (quotes doubled); NULL is an empty field;
 * booleans are true/false; JSON cells (arrays, evidence) are their JSON text. A field that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading ' so
 * a path or Host header from a log cannot inject one (OWASP "CSV injection").
 */
#include "report.h"

#include <string.h>

static void field(FILE *out, const char *s, enum ac_col_type type)
{
    const char *p;
    bool quote;

    if (s == NULL)
        return;
    if (type == AC_COL_BOOL) {
        fputs(strcmp(s, "0") != 0 ? "true" : "false", out);
        return;
    }
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    if (type == AC_COL_TEXT && strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
        fputc('\'', out);
    for (p = s; *p != '\0'; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
}

enum ac_err ac_table_write_csv(const struct ac_table *t, FILE *out)
{
    size_t r, c, nc = ac_table_cols(t);

    for (c = 0; c < nc; c++) {
        if (c > 0)
            fputc(',', out);
        field(out, ac_table_col_name(t, c), AC_COL_TEXT);
    }
    fputs("\r\n", out);
    for (r = 0; r < ac_table_rows(t); r++) {
        for (c = 0; c < nc; c++) {
            if (c > 0)
                fputc(',', out);
            field(out, ac_table_cell(t, r, c), ac_table_col_type(t, c));
        }
        fputs("\r\n", out);
    }
    return ferror(out) ? AC_EIO : AC_OK;
}

enum ac_err ac__report_csv(const struct ac__report *r, FILE *out)
{
    return ac_table_write_csv(r->findings, out);
}
