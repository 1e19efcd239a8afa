/* swar.h - eight bytes at a time: the word-at-a-time tests of the hot scanners (matcher.c,
 * normalize.c, reader_clf.c). Header-only: each inlines to a few integer operations.
 *
 * ac__swar_zero(x) flags (sets the high bit of) the bytes of x that are zero. Its answer to
 * "is some byte zero" is exact; a byte above a zero byte may be flagged wrongly (the borrow
 * runs on), but the lowest flagged byte is always a true zero. On a little-endian machine the
 * lowest byte is the first in memory, so ac__swar_first() gives the index of the first match.
 */
#ifndef AC_SWAR_H
#define AC_SWAR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define AC_SWAR_ONES ((uint64_t)0x0101010101010101u)
#define AC_SWAR_HIGHS ((uint64_t)0x8080808080808080u)

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define AC_SWAR_LE 1 /* ac__swar_first() may be used */
#else
#define AC_SWAR_LE 0
#endif

/* The eight bytes at p, in memory order (p need not be aligned). */
static inline uint64_t ac__swar_load(const void *p)
{
    uint64_t x;

    memcpy(&x, p, 8);
    return x;
}

/* The high bit of each zero byte of x (see above for what "each" means). */
static inline uint64_t ac__swar_zero(uint64_t x)
{
    return (x - AC_SWAR_ONES) & ~x & AC_SWAR_HIGHS;
}

/* The high bit of each byte of x equal to c (as ac__swar_zero()). */
static inline uint64_t ac__swar_eq(uint64_t x, unsigned char c)
{
    return ac__swar_zero(x ^ (AC_SWAR_ONES * c));
}

#if AC_SWAR_LE
/* Index (0-7) of the first flagged byte in memory order; flags non-zero. */
static inline size_t ac__swar_first(uint64_t flags)
{
    return (size_t)__builtin_ctzll(flags) / 8;
}
#endif

#endif
