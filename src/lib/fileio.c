/* fileio.c - capped whole-file reads and lexical path joins.
 *
 * Paths are normalised lexically rather than with realpath(3) so that a document keeps the name
 * the user gave it (relative stays relative) and missing files can still be named in errors.
 */
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum ac_err ac__file_read(const char *path, size_t max, char **out, size_t *len, struct ac_diag *d)
{
    FILE *f = NULL;
    char *buf = NULL;
    struct stat st;
    size_t n = 0, cap, got;
    enum ac_err err = AC_OK;

    f = fopen(path, "rb");
    if (f == NULL) {
        err = ac_diag_set(d, AC_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        goto out;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        err = ac_diag_set(d, AC_EIO, path, 0, 0, "is a directory");
        goto out;
    }
    /* Regular files are read in one go; pipes and the like grow the buffer as they come. */
    cap = (S_ISREG(st.st_mode) && st.st_size >= 0) ? (size_t)st.st_size + 1 : 65536;
    if (cap > max + 1)
        cap = max + 1;
    buf = malloc(cap + 1);
    if (buf == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory reading %zu bytes", cap);
        goto out;
    }
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n > max) {
            err = ac_diag_set(d, AC_ELIMIT, path, 0, 0, "file larger than %zu bytes", max);
            goto out;
        }
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);

            if (nb == NULL) {
                err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        err = ac_diag_set(d, AC_EIO, path, 0, 0, "read error: %s", strerror(errno));
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    if (f != NULL)
        fclose(f);
    return err;
}

enum ac_err ac__path_join_dir(const char *base_file, const char *rel, char *out, size_t cap)
{
    char tmp[4096];
    size_t dirlen = 0, o = 0, i;
    const char *slash;
    int n;

    if (rel[0] == '/') {
        n = snprintf(tmp, sizeof(tmp), "%s", rel);
    } else {
        slash = strrchr(base_file, '/');
        dirlen = slash != NULL ? (size_t)(slash - base_file) + 1 : 0;
        n = snprintf(tmp, sizeof(tmp), "%.*s%s", (int)dirlen, base_file, rel);
    }
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return AC_ELIMIT;
    /* Lexical normalisation: drop "." segments and resolve ".." against kept segments. */
    i = 0;
    if (tmp[0] == '/') {
        if (cap < 2)
            return AC_ELIMIT;
        out[o++] = '/';
        i = 1;
    }
    while (tmp[i] != '\0') {
        size_t start = i, seglen;

        while (tmp[i] != '\0' && tmp[i] != '/')
            i++;
        seglen = i - start;
        if (tmp[i] == '/')
            i++;
        if (seglen == 0 || (seglen == 1 && tmp[start] == '.'))
            continue;
        if (seglen == 2 && tmp[start] == '.' && tmp[start + 1] == '.') {
            /* Pop the last kept segment unless there is none or it is itself "..". */
            size_t k = o;
            int root = (o > 0 && out[0] == '/');

            while (k > (size_t)root && out[k - 1] == '/')
                k--;
            if (k > (size_t)root && !(k >= 2 && out[k - 1] == '.' && out[k - 2] == '.' &&
                                      (k == 2 || out[k - 3] == '/'))) {
                while (k > (size_t)root && out[k - 1] != '/')
                    k--;
                o = k;
                continue;
            }
            if (root)
                continue; /* "/.." is "/" */
        }
        if (o + seglen + 2 > cap)
            return AC_ELIMIT;
        if (o > 0 && out[o - 1] != '/')
            out[o++] = '/';
        memcpy(out + o, tmp + start, seglen);
        o += seglen;
    }
    if (o == 0) {
        if (cap < 2)
            return AC_ELIMIT;
        out[o++] = '.';
    }
    out[o] = '\0';
    return AC_OK;
}
