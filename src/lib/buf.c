/* buf.c - growable byte buffer with a cap (see buf.h for the contract).
 *
 * Growth doubles capacity; the cap is checked before every allocation so hostile input cannot
 * make it exceed `max` bytes of content.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ac__buf_init(struct ac_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void ac__buf_free(struct ac_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}

void ac__buf_reset(struct ac_buf *b)
{
    b->len = 0;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

static enum ac_err buf_reserve(struct ac_buf *b, size_t extra)
{
    size_t need, ncap;
    char *p;

    if (extra > b->max || b->len > b->max - extra)
        return AC_ELIMIT;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return AC_OK;
    ncap = b->cap != 0 ? b->cap : 64;
    while (ncap < need)
        ncap *= 2;
    p = realloc(b->ptr, ncap);
    if (p == NULL)
        return AC_ENOMEM;
    b->ptr = p;
    b->cap = ncap;
    return AC_OK;
}

enum ac_err ac__buf_add(struct ac_buf *b, const void *data, size_t len)
{
    enum ac_err err = buf_reserve(b, len);

    if (err != AC_OK)
        return err;
    if (len > 0)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return AC_OK;
}

enum ac_err ac__buf_adds(struct ac_buf *b, const char *s)
{
    return ac__buf_add(b, s, strlen(s));
}

enum ac_err ac__buf_addc(struct ac_buf *b, char c)
{
    return ac__buf_add(b, &c, 1);
}

enum ac_err ac__buf_printf(struct ac_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    enum ac_err err;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return AC_ESYNTAX;
    err = buf_reserve(b, (size_t)n);
    if (err != AC_OK)
        return err;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return AC_OK;
}

const char *ac__buf_str(const struct ac_buf *b)
{
    return b->ptr != NULL ? b->ptr : "";
}

char *ac__buf_detach(struct ac_buf *b)
{
    char *p = b->ptr;

    if (p == NULL)
        p = calloc(1, 1);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
