/* json_impl.h - what the JSON reader's two files share: the parser state and a few internals.
 *
 * Private to json_read.c (the parser: containers, numbers, literals, the state machine, node and
 * error helpers) and json_string.c (strings: scanning, escapes, UTF-8 validation and decoding);
 * nothing else includes it. Everything here works on one `struct jp`, which lives on the stack of
 * ac__json_parse() for one parse; every pointer in it is borrowed for that parse. Errors are
 * reported by filling j->d and returning its code, never by printing or aborting.
 */
#ifndef AC_JSON_IMPL_H
#define AC_JSON_IMPL_H

#include "doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bump allocation out of arena chunks: nodes and short strings are allocated in their millions. */
struct jpool {
    char *p;
    char *end;
    size_t chunk;
    struct ac_arena *a;
};

struct jframe {
    struct ac_node *node; /* the open container */
    size_t base;          /* index of its first child on the kids stack */
};

/* One parse. line and line_start are advanced only while skipping whitespace (see json_read.c). */
struct jp {
    const char *text;
    const char *end;
    const char *line_start;
    uint32_t line;
    const char *file;
    const struct ac_doc_limits *lim;
    struct ac_diag *d;
    struct jpool pool;
    size_t nodes;
    struct ac_node **kids;
    size_t nkids, capkids;
    struct jframe *frames;
    size_t nframes, capframes;
};

/* 1-based byte column of `at` on the current line (0 if before it), clamped to UINT32_MAX. */
static inline uint32_t ac__json_col_of(const struct jp *j, const char *at)
{
    size_t c;

    if (at < j->line_start)
        return 0;
    c = (size_t)(at - j->line_start) + 1;
    return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* json_read.c */

/* Fill j->d with `code` at line:col and a printf-style message (truncated to fit); return code. */
enum ac_err ac__json_err_at(const struct jp *j, enum ac_err code, uint32_t line, uint32_t col,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "unexpected end of input" at the end position, naming what_open (started at oline:ocol) when
 * not NULL, else the innermost open container, else the missing value. Returns AC_ESYNTAX. */
enum ac_err ac__json_eof_err(const struct jp *j, const char *what_open, uint32_t oline,
                             uint32_t ocol);

/* AC_ELIMIT when the arena's cap refused an allocation at `at`, else AC_ENOMEM. */
enum ac_err ac__json_alloc_err(const struct jp *j, const char *at);

/* Human description of what is at p (a word, a character or a byte), for "found X" messages;
 * written into buf[0..size) or a static string, either returned. */
const char *ac__json_describe(char *buf, size_t size, const char *p, const char *end);

/* size bytes (rounded up to 8) from the pool, borrowed from its arena; NULL when the arena
 * refuses (see ac__json_alloc_err). */
void *ac__json_pool_take(struct jpool *pl, size_t size);

/* A new node of `kind` positioned at `at`, counted against the node limit; an empty string
 * scalar until the caller fills it. NULL after setting *err. */
struct ac_node *ac__json_new_node(struct jp *j, const char *at, enum ac_node_kind kind,
                                  enum ac_err *err);

/* json_string.c */

/* Length of the valid UTF-8 sequence at p (1 for ASCII; p < end), or 0 when it is not valid
 * UTF-8 (overlong forms, surrogates, code points past U+10FFFF and truncated sequences). */
size_t ac__json_utf8_seq(const unsigned char *p, const unsigned char *end);

/* Read the string whose opening quote is at *pp into a string scalar with the decoded text and
 * advance *pp past the closing quote. NULL after setting *err (AC_ESYNTAX, AC_EENCODING,
 * AC_ELIMIT, AC_ENOMEM). */
struct ac_node *ac__json_read_string(struct jp *j, const char **pp, enum ac_err *err);

#endif
