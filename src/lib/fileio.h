/* fileio.h - reading whole input files with a size cap, and path helpers.
 *
 * Specs and manifests are read whole (they are parsed into trees anyway); the cap keeps a hostile
 * or mistaken input (a 40 GB log given as a spec) from exhausting memory.
 */
#ifndef AC_FILEIO_H
#define AC_FILEIO_H

#include <apicensus/error.h>

#include <stddef.h>

/* Read the file at `path` into a fresh malloc'd buffer (NUL-terminated, owned by the caller) of
 * *len bytes. AC_EIO (with strerror text in d) when it cannot be opened or read, AC_ELIMIT when it
 * is larger than `max` bytes. "-" is not special here. */
enum ac_err ac__file_read(const char *path, size_t max, char **out, size_t *len, struct ac_diag *d);

/* Join `rel` to the directory of `base_file` and normalise "." and ".." lexically. An absolute
 * `rel` is only normalised. Writes at most `cap` bytes with NUL; AC_ELIMIT when it does not fit. */
enum ac_err ac__path_join_dir(const char *base_file, const char *rel, char *out, size_t cap);

#endif
