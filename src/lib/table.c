/* table.c - result tables: arena-held cells, JSON rendering with json-c.
 *
 * Rows are stored as one array of cell pointers per row, grown by doubling; the arena keeps the
 * text. JSON output goes through json-c so escaping and number formats are json-c's, not ours.
 */
#include "table.h"

#include "arena.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

struct ac_table {
    struct ac_arena *a;
    struct ac_table_col *cols;
    size_t ncols;
    const char ***rows;
    size_t nrows, cap;
};

struct ac_table *ac__table_new(const struct ac_table_col *cols, size_t ncols)
{
    struct ac_arena *a = ac__arena_new(0);
    struct ac_table *t;
    size_t i;

    if (a == NULL)
        return NULL;
    t = ac__arena_alloc(a, sizeof(*t));
    if (t == NULL)
        goto fail;
    t->a = a;
    t->ncols = ncols;
    t->cols = ac__arena_alloc(a, ncols * sizeof(*t->cols));
    if (t->cols == NULL)
        goto fail;
    for (i = 0; i < ncols; i++) {
        t->cols[i].type = cols[i].type;
        t->cols[i].name = ac__arena_strndup(a, cols[i].name, strlen(cols[i].name));
        if (t->cols[i].name == NULL)
            goto fail;
    }
    return t;
fail:
    ac__arena_free(a);
    return NULL;
}

enum ac_err ac__table_add_row(struct ac_table *t)
{
    const char **row;

    if (t->nrows == t->cap) {
        size_t ncap = t->cap != 0 ? t->cap * 2 : 64;
        const char ***nr = ac__arena_alloc(t->a, ncap * sizeof(*nr));

        if (nr == NULL)
            return AC_ENOMEM;
        if (t->nrows > 0)
            memcpy(nr, t->rows, t->nrows * sizeof(*nr));
        t->rows = nr;
        t->cap = ncap;
    }
    row = ac__arena_alloc(t->a, (t->ncols != 0 ? t->ncols : 1) * sizeof(*row));
    if (row == NULL)
        return AC_ENOMEM;
    t->rows[t->nrows++] = row;
    return AC_OK;
}

enum ac_err ac__table_set(struct ac_table *t, size_t col, const char *s, size_t len)
{
    if (s == NULL)
        return AC_OK;
    t->rows[t->nrows - 1][col] = ac__arena_strndup(t->a, s, len);
    return t->rows[t->nrows - 1][col] != NULL ? AC_OK : AC_ENOMEM;
}

size_t ac_table_rows(const struct ac_table *t)
{
    return t->nrows;
}

size_t ac_table_cols(const struct ac_table *t)
{
    return t->ncols;
}

const char *ac_table_col_name(const struct ac_table *t, size_t col)
{
    return t->cols[col].name;
}

enum ac_col_type ac_table_col_type(const struct ac_table *t, size_t col)
{
    return t->cols[col].type;
}

const char *ac_table_cell(const struct ac_table *t, size_t row, size_t col)
{
    return t->rows[row][col];
}

size_t ac_table_col_index(const struct ac_table *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

static struct json_object *cell_json(const struct ac_table *t, size_t r, size_t c)
{
    const char *s = t->rows[r][c];

    if (s == NULL)
        return NULL;
    switch (t->cols[c].type) {
    case AC_COL_INT:
        return json_object_new_int64(strtoll(s, NULL, 10));
    case AC_COL_BOOL:
        return json_object_new_boolean(strcmp(s, "0") != 0 && strcmp(s, "false") != 0);
    case AC_COL_JSON: {
        struct json_object *o = json_tokener_parse(s);

        return o != NULL ? o : json_object_new_string(s);
    }
    case AC_COL_TEXT:
    default:
        return json_object_new_string(s);
    }
}

char *ac_table_to_json(const struct ac_table *t)
{
    struct json_object *arr = json_object_new_array();
    const char *text;
    char *out = NULL;
    size_t r, c, n;

    if (arr == NULL)
        return NULL;
    for (r = 0; r < t->nrows; r++) {
        struct json_object *obj = json_object_new_object();

        if (obj == NULL)
            goto out;
        for (c = 0; c < t->ncols; c++)
            json_object_object_add(obj, t->cols[c].name, cell_json(t, r, c));
        json_object_array_add(arr, obj);
    }
    text = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
    n = strlen(text);
    out = malloc(n + 2);
    if (out != NULL) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = '\0';
    }
out:
    json_object_put(arr);
    return out;
}

void ac_table_free(struct ac_table *t)
{
    if (t == NULL)
        return;
    ac__arena_free(t->a);
}
