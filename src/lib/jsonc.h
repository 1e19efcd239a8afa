/* jsonc.h - small json-c helpers shared by the modules that build or read JSON with json-c: the
 * collectors' wire format (wire.c), the server's side of collectors (collect.c), the collector's
 * store handle (store_remote.c), the SQLite backend's stored arrays (store_sqlite_obs.c) and the
 * probe's facts (probe_*.c).
 */
#ifndef AC_JSONC_H
#define AC_JSONC_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/* A JSON string of s, or NULL (JSON null) when s is NULL. A new object the caller owns. */
struct json_object *ac__json_str(const char *s);

/* A JSON array of the strings v[0..n), stopping early at a NULL entry (NULL-padded arrays). A new
 * object the caller owns; NULL on ENOMEM. */
struct json_object *ac__json_str_array(const char *const *v, size_t n);

/* The strings of JSON array `arr` (other elements skipped; anything but an array, or NULL, is
 * empty) as a malloc'd array of malloc'd copies in *out, *n of them. false on ENOMEM, leaving
 * what was copied in *out and *n for the caller to free. */
bool ac__json_strings(const struct json_object *arr, char ***out, size_t *n);

#endif
