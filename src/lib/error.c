/* error.c - the error table: names, messages and exit statuses of enum ac_err, and diagnostics.
 *
 * Everything here is derived from AC_ERR_TABLE in <apicensus/error.h>; adding an error means one
 * new line there and nothing here.
 */
#include <apicensus/error.h>

#include <stdio.h>
#include <string.h>

#define AC__ERR_MSG(name, msg, exit) msg,
static const char *const err_msgs[] = {AC_ERR_TABLE(AC__ERR_MSG)};
#define AC__ERR_NAME(name, msg, exit) #name,
static const char *const err_names[] = {AC_ERR_TABLE(AC__ERR_NAME)};
#define AC__ERR_EXIT(name, msg, exit) exit,
static const int err_exits[] = {AC_ERR_TABLE(AC__ERR_EXIT)};

const char *ac_strerror(enum ac_err err)
{
    if ((unsigned)err >= AC_ERR_COUNT)
        return "unknown error";
    return err_msgs[err];
}

const char *ac_errname(enum ac_err err)
{
    if ((unsigned)err >= AC_ERR_COUNT)
        return "AC_EUNKNOWN";
    return err_names[err];
}

int ac_err_exit_status(enum ac_err err)
{
    if ((unsigned)err >= AC_ERR_COUNT)
        return 4;
    return err_exits[err];
}

void ac_diag_clear(struct ac_diag *d)
{
    if (d == NULL)
        return;
    memset(d, 0, sizeof(*d));
}

enum ac_err ac_diag_set(struct ac_diag *d, enum ac_err code, const char *file, uint32_t line,
                        uint32_t col, const char *fmt, ...)
{
    va_list ap;

    if (d == NULL)
        return code;
    d->code = code;
    d->line = line;
    d->col = col;
    snprintf(d->file, sizeof(d->file), "%s", file != NULL ? file : "");
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    return code;
}
