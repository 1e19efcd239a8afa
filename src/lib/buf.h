/* buf.h - a growable byte buffer with a mandatory size cap.
 *
 * The buffer always keeps a NUL after its content so it can be used as a C string. Appends that
 * would grow it past `max` fail with AC_ELIMIT and leave the content unchanged. Owned by whoever
 * embeds the struct; release with ac__buf_free(). Not thread-safe.
 */
#ifndef AC_BUF_H
#define AC_BUF_H

#include <apicensus/error.h>

#include <stddef.h>

struct ac_buf {
    char *ptr;  /* content, NUL-terminated once anything was appended; NULL while empty */
    size_t len; /* bytes of content, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len */
};

/* Start empty with a size limit. Allocates nothing. */
void ac__buf_init(struct ac_buf *b, size_t max);

/* Release the memory; the buffer is empty (and reusable) afterwards. */
void ac__buf_free(struct ac_buf *b);

/* Forget the content but keep the memory. */
void ac__buf_reset(struct ac_buf *b);

/* Append bytes. AC_ELIMIT past max, AC_ENOMEM when malloc fails. */
enum ac_err ac__buf_add(struct ac_buf *b, const void *data, size_t len);

/* Append a C string. */
enum ac_err ac__buf_adds(struct ac_buf *b, const char *s);

/* Append one byte. */
enum ac_err ac__buf_addc(struct ac_buf *b, char c);

/* Append printf-formatted text. */
enum ac_err ac__buf_printf(struct ac_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The content as a C string ("" while empty); borrowed until the next change. */
const char *ac__buf_str(const struct ac_buf *b);

/* Hand the allocation to the caller (free() it) and leave the buffer empty. "" is returned as a
 * fresh allocation when empty. NULL on ENOMEM. */
char *ac__buf_detach(struct ac_buf *b);

#endif
