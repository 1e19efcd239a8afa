/* output.c - rendering result tables as aligned text or JSON.
 *
 * Text tables show the chosen columns, JSON arrays flattened to comma-separated lists, long cells
 * cut with "..." so a row stays readable; JSON shows every column (the stable schema).
 */
#include "cli.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#define CELL_MAX 60

/* Severity colours: critical bold red, high red, medium yellow, low cyan, info dim; the gate's
 * FAIL red and pass green. */
static const struct {
    const char *word, *sgr;
} colours[] = {{"critical", "\033[1;31m"}, {"high", "\033[31m"}, {"medium", "\033[33m"},
               {"low", "\033[36m"},        {"info", "\033[2m"},  {"FAIL", "\033[1;31m"},
               {"pass", "\033[32m"}};

const char *cli_sgr(const struct cli *c, const char *word)
{
    size_t i;

    for (i = 0; c->colour && word != NULL && i < sizeof(colours) / sizeof(colours[0]); i++)
        if (strcmp(word, colours[i].word) == 0)
            return colours[i].sgr;
    return "";
}

const char *cli_sgr_reset(const struct cli *c, const char *word)
{
    return cli_sgr(c, word)[0] != '\0' ? "\033[0m" : "";
}

/* Text of a cell for the table view, into buf. */
static const char *cell_text(const struct ac_table *t, size_t r, size_t c, char *buf, size_t cap)
{
    const char *s = ac_table_cell(t, r, c);
    size_t n;

    if (s == NULL)
        return "-";
    switch (ac_table_col_type(t, c)) {
    case AC_COL_BOOL:
        return strcmp(s, "0") != 0 ? "yes" : "no";
    case AC_COL_JSON: {
        struct json_object *o = json_tokener_parse(s);
        size_t i, o_len = 0;

        buf[0] = '\0';
        if (o != NULL && json_object_is_type(o, json_type_array)) {
            for (i = 0; i < json_object_array_length(o) && o_len + 1 < cap; i++) {
                struct json_object *e = json_object_array_get_idx(o, i);
                const char *es = json_object_is_type(e, json_type_string)
                                     ? json_object_get_string(e)
                                     : json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN);
                int w = snprintf(buf + o_len, cap - o_len, "%s%s", i > 0 ? "," : "", es);

                if (w < 0)
                    break;
                o_len += (size_t)w;
                if (o_len >= cap)
                    o_len = cap - 1;
            }
            json_object_put(o);
            return o_len > 0 ? buf : "-";
        }
        json_object_put(o);
        break;
    }
    default:
        break;
    }
    n = strlen(s);
    if (n <= CELL_MAX && strchr(s, '\n') == NULL)
        return s;
    snprintf(buf, cap, "%.*s", (int)strcspn(s, "\n"), s);
    return buf;
}

/* Bytes of the first `max` characters of s (UTF-8 aware), and the character count in *chars. */
static size_t clip(const char *s, size_t max, size_t *chars)
{
    size_t i = 0, n = 0;

    while (s[i] != '\0' && n < max) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    *chars = n;
    return i;
}

static size_t width(const char *s)
{
    size_t chars;

    clip(s, CELL_MAX, &chars);
    return chars;
}

void cli_render(const struct cli *c, const struct ac_table *t, const char *const *columns)
{
    size_t cols[32], ncols = 0, w[32], r, k;
    char buf[4096];

    if (c->format == CLI_JSON) {
        char *json = ac_table_to_json(t);

        if (json != NULL)
            fputs(json, c->out);
        free(json);
        return;
    }
    if (c->format == CLI_CSV) {
        ac_table_write_csv(t, c->out); /* a write error shows when the output is closed */
        return;
    }
    if (columns == NULL) {
        for (k = 0; k < ac_table_cols(t) && ncols < 32; k++)
            cols[ncols++] = k;
    } else {
        for (k = 0; columns[k] != NULL && ncols < 32; k++) {
            size_t idx = ac_table_col_index(t, columns[k]);

            if (idx != (size_t)-1)
                cols[ncols++] = idx;
        }
    }
    for (k = 0; k < ncols; k++) {
        w[k] = strlen(ac_table_col_name(t, cols[k]));
        for (r = 0; r < ac_table_rows(t); r++) {
            size_t cw = width(cell_text(t, r, cols[k], buf, sizeof(buf)));

            if (cw > w[k])
                w[k] = cw;
        }
    }
    for (k = 0; k < ncols; k++) {
        const char *name = ac_table_col_name(t, cols[k]);
        size_t i;

        for (i = 0; name[i] != '\0'; i++)
            fputc(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i], c->out);
        if (k + 1 < ncols)
            fprintf(c->out, "%*s", (int)(w[k] - strlen(name) + 2), "");
    }
    fputc('\n', c->out);
    for (r = 0; r < ac_table_rows(t); r++) {
        for (k = 0; k < ncols; k++) {
            const char *s = cell_text(t, r, cols[k], buf, sizeof(buf));
            size_t chars, bytes = clip(s, CELL_MAX, &chars);
            bool cut = s[bytes] != '\0';
            const char *word = strcmp(ac_table_col_name(t, cols[k]), "severity") == 0 ? s : NULL;

            if (cut) {
                bytes = clip(s, CELL_MAX - 3, &chars);
                chars += 3;
            }
            fprintf(c->out, "%s%.*s%s%s", cli_sgr(c, word), (int)bytes, s, cut ? "..." : "",
                    cli_sgr_reset(c, word));
            if (k + 1 < ncols)
                fprintf(c->out, "%*s", (int)(w[k] - chars + 2), "");
        }
        fputc('\n', c->out);
    }
}
