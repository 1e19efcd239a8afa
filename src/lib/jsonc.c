/* jsonc.c - small json-c helpers (see jsonc.h). */
#include "jsonc.h"

#include <stdlib.h>
#include <string.h>

struct json_object *ac__json_str(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *ac__json_str_array(const char *const *v, size_t n)
{
    struct json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; a != NULL && v != NULL && i < n && v[i] != NULL; i++)
        json_object_array_add(a, json_object_new_string(v[i]));
    return a;
}

bool ac__json_strings(const struct json_object *arr, char ***out, size_t *n)
{
    size_t i, len = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

    *out = NULL;
    *n = 0;
    if (len == 0)
        return true;
    *out = calloc(len, sizeof(**out));
    if (*out == NULL)
        return false;
    for (i = 0; i < len; i++) {
        struct json_object *e = json_object_array_get_idx(arr, i);

        if (!json_object_is_type(e, json_type_string))
            continue;
        (*out)[*n] = strdup(json_object_get_string(e));
        if ((*out)[*n] == NULL)
            return false;
        (*n)++;
    }
    return true;
}
