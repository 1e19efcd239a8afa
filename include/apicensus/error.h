/* apicensus/error.h - error codes and parser diagnostics shared by every module.
 *
 * One X-macro table defines enum ac_err, the symbolic name of each code and its human message,
 * so the three can never drift apart. Library functions return an enum ac_err (AC_OK = 0); parsers
 * additionally fill a struct ac_diag naming the file, line and column at fault. The library never
 * prints or exits: only the CLI turns a code into a message and an exit status.
 */
#ifndef APICENSUS_ERROR_H
#define APICENSUS_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* X(name, message, exit status the CLI uses) */
#define AC_ERR_TABLE(X)                                                                            \
    X(AC_OK, "success", 0)                                                                         \
    X(AC_ENOMEM, "out of memory", 4)                                                               \
    X(AC_EIO, "cannot read input", 3)                                                              \
    X(AC_ESYNTAX, "syntax error", 3)                                                               \
    X(AC_EENCODING, "input is not valid UTF-8", 3)                                                 \
    X(AC_ELIMIT, "input exceeds a safety limit", 3)                                                \
    X(AC_ESCHEMA, "invalid document", 3)                                                           \
    X(AC_EREF, "unresolvable $ref", 3)                                                             \
    X(AC_EKIND, "unrecognised document kind", 3)                                                   \
    X(AC_ENOTFOUND, "not found", 3)                                                                \
    X(AC_EUSAGE, "invalid argument", 2)                                                            \
    X(AC_ESTORE, "store error", 4)

#define AC__ERR_ENUM(name, msg, exit) name,
enum ac_err { AC_ERR_TABLE(AC__ERR_ENUM) AC_ERR_COUNT };
#undef AC__ERR_ENUM

/* Human message for an error code; never NULL (unknown codes give "unknown error"). */
const char *ac_strerror(enum ac_err err);

/* Symbolic name ("AC_ESYNTAX") of an error code; never NULL. */
const char *ac_errname(enum ac_err err);

/* Exit status the CLI uses for an error: 0 ok, 2 usage, 3 bad input, 4 store/system. */
int ac_err_exit_status(enum ac_err err);

/* A diagnostic about one place in one input. line and col are 1-based; 0 means "unknown".
 * Plain value type: embed it, copy it, no ownership. */
struct ac_diag {
    enum ac_err code;
    uint32_t line;
    uint32_t col;
    char file[512];
    char msg[512];
};

/* Fill *d (if d is not NULL) and return code. The message is printf-formatted and truncated to
 * fit. file may be NULL. Always returns `code` so callers can write `return ac_diag_set(...)`. */
enum ac_err ac_diag_set(struct ac_diag *d, enum ac_err code, const char *file, uint32_t line,
                        uint32_t col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Reset *d to "no error". */
void ac_diag_clear(struct ac_diag *d);

#endif
