/* hex.h - the value of one hexadecimal digit, for the scanners that decode %XX, \uXXXX, IPv6
 * groups and hex strings (normalize.c, json_string.c, dataclass.c, aggregate.c, reader_zeek.c).
 * Header-only: it sits on hot paths and inlines to a few compares.
 */
#ifndef AC_HEX_H
#define AC_HEX_H

/* 0..15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for anything else. */
static inline int ac__hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
