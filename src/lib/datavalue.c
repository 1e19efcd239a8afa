/* datavalue.c - data classes of one value, by its shape and its checksum (dataclass.h).
 *
 * Each scanner answers one question about a whole value: is this an e-mail address, a payment
 * card, an IBAN, a national identifier, a JWT, a bearer token or API key, a phone number, an IP
 * address, a pair of coordinates? Where a checksum exists it is checked (Luhn for cards, ISO 7064
 * mod 97-10 for IBANs, the check letter of a Spanish DNI/NIE, the two check digits of a Brazilian
 * CPF), so a 16-digit order number that fails Luhn is not a card. Where none exists the shape is
 * strict and the scanner errs towards silence: a phone number needs its '+' country code (or the
 * North American "(555) 123-4567"), a coordinate pair needs four decimals on both numbers.
 *
 * ac__data_of_value() tries the whole value, then, when that finds nothing, each word of a text
 * value (split at white space and brackets), so "write to alice@example.com" is an e-mail.
 *
 * Invariants: no allocation, no state, no locale; every loop is bounded by the value's length,
 * which is capped (AC_DATA_VALUE_MAX for the words of a text, smaller caps per scanner).
 * Thread-safe.
 */
#include "dataclass.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_alnum(char c)
{
    return is_digit(c) || is_upper(c) || is_lower(c);
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool starts(const char *p, size_t n, const char *lit)
{
    size_t m = strlen(lit);

    return n >= m && memcmp(p, lit, m) == 0;
}

/* ---- e-mail ----------------------------------------------------------------------------- */

/* local@domain.tld: a local part, one '@', a domain with a dot and a final label of letters. */
bool ac__dv_email(const char *p, size_t n)
{
    size_t at = n, i, dot = 0, tld = 0;

    if (n < 6 || n > 254 || memchr(p, '@', n) == NULL)
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c == '@') {
            if (at != n)
                return false;
            at = i;
        } else if (c <= ' ' || c == '"' || c == ',' || c == '<' || c == '>' || c >= 0x7F ||
                   c == ':' || c == '/' || c == '\\') {
            return false;
        }
    }
    if (at == 0 || at + 4 > n || at > 64)
        return false;
    for (i = at + 1; i < n; i++) {
        char c = p[i];

        if (c == '.') {
            if (i == at + 1 || p[i - 1] == '.')
                return false;
            dot = i;
            tld = 0;
        } else if (is_upper(c) || is_lower(c)) {
            tld++;
        } else if (is_digit(c) || c == '-') {
            tld = 100; /* digits in the last label: not a top-level domain */
        } else {
            return false;
        }
    }
    return dot != 0 && tld >= 2 && tld <= 24 && n - dot - 1 == tld;
}

/* ---- payment cards ---------------------------------------------------------------------- */

/* The Luhn check over k digits (ASCII). */
static bool luhn(const char *d, size_t k)
{
    unsigned sum = 0;
    size_t i;

    for (i = 0; i < k; i++) {
        unsigned v = (unsigned)(d[k - 1 - i] - '0');

        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* The leading digits as a number (at most 4 of them). */
static unsigned lead(const char *d, size_t m)
{
    unsigned v = 0;
    size_t i;

    for (i = 0; i < m; i++)
        v = v * 10 + (unsigned)(d[i] - '0');
    return v;
}

/* A card network's prefix (IIN) with a length it issues: Visa, Mastercard, American Express,
 * Discover, JCB, Diners Club, UnionPay. */
static bool card_prefix(const char *d, size_t k)
{
    unsigned two = lead(d, 2), three = lead(d, 3), four = lead(d, 4);

    if (d[0] == '4')
        return k == 13 || k == 16 || k == 19;
    if (two == 34 || two == 37)
        return k == 15;
    if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))
        return k == 16;
    if (four == 6011 || (three >= 644 && three <= 649) || two == 65 || two == 62)
        return k >= 16 && k <= 19;
    if (four >= 3528 && four <= 3589)
        return k >= 16 && k <= 19;
    if (two == 36)
        return k >= 14 && k <= 19;
    if ((three >= 300 && three <= 305) || two == 38 || two == 39)
        return k >= 16 && k <= 19;
    return false;
}

/* 13 to 19 digits, in groups separated by one space or dash, with a network's prefix and length,
 * Luhn-valid. */
bool ac__dv_card(const char *p, size_t n)
{
    char d[19];
    size_t i, k = 0;

    if (n < 13 || n > 23)
        return false;
    for (i = 0; i < n; i++) {
        if (is_digit(p[i])) {
            if (k == sizeof(d))
                return false;
            d[k++] = p[i];
        } else if ((p[i] != ' ' && p[i] != '-') || i == 0 || i + 1 == n || p[i - 1] == ' ' ||
                   p[i - 1] == '-') {
            return false;
        }
    }
    return k >= 13 && card_prefix(d, k) && luhn(d, k);
}

/* ---- IBAN ------------------------------------------------------------------------------- */

/* Countries of the IBAN registry and the length of their IBANs. */
static const struct {
    char cc[3];
    unsigned char len;
} iban_len[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
    {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

/* An IBAN: country, two check digits, the account (upper-case letters and digits), the length
 * of that country, in groups of four split by single spaces or not at all, mod 97 == 1. */
bool ac__dv_iban(const char *p, size_t n)
{
    char s[34];
    size_t i, k = 0, want = 0;
    unsigned rem = 0;

    if (n < 15 || n > 42 || !is_upper(p[0]) || !is_upper(p[1]))
        return false;
    for (i = 0; i < n; i++) {
        if (p[i] == ' ') {
            if (k % 4 != 0 || i + 1 == n || p[i + 1] == ' ')
                return false;
            continue;
        }
        if (k == sizeof(s) || !(is_digit(p[i]) || is_upper(p[i])))
            return false;
        s[k++] = p[i];
    }
    if (!is_digit(s[2]) || !is_digit(s[3]))
        return false;
    for (i = 0; i < sizeof(iban_len) / sizeof(iban_len[0]); i++)
        if (iban_len[i].cc[0] == s[0] && iban_len[i].cc[1] == s[1])
            want = iban_len[i].len;
    if (want != k)
        return false;
    /* Move the first four to the end, letters as 10..35, the number mod 97. */
    for (i = 0; i < k; i++) {
        char c = s[(i + 4) % k];

        if (is_digit(c))
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    return rem == 1;
}

/* ---- national identifiers --------------------------------------------------------------- */

/* Spain: DNI "12345678Z" (8 digits and the letter of the number mod 23) and NIE "X1234567L"
 * (X, Y, Z stand for 0, 1, 2); a dash or space before the letter is allowed. */
static bool spanish_id(const char *p, size_t n)
{
    static const char letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
    unsigned long v = 0;
    size_t i, digits = 0;

    if (n == 10 && (p[8] == '-' || p[8] == ' ')) {
        char c = p[9];

        if (!is_upper(c))
            return false;
        for (i = 0; i < 8; i++) {
            if (i == 0 && (p[0] == 'X' || p[0] == 'Y' || p[0] == 'Z'))
                v = (unsigned long)(p[0] - 'X');
            else if (is_digit(p[i]))
                v = v * 10 + (unsigned long)(p[i] - '0');
            else
                return false;
        }
        return letters[v % 23] == c;
    }
    if (n != 9 || !is_upper(p[8]))
        return false;
    for (i = 0; i < 8; i++) {
        if (i == 0 && (p[0] == 'X' || p[0] == 'Y' || p[0] == 'Z')) {
            v = (unsigned long)(p[0] - 'X');
        } else if (is_digit(p[i])) {
            v = v * 10 + (unsigned long)(p[i] - '0');
            digits++;
        } else {
            return false;
        }
    }
    return digits >= 7 && v != 0 && letters[v % 23] == p[8];
}

/* Brazil: CPF written "123.456.789-09": two check digits, mod 11. Unformatted 11-digit numbers
 * are too common to be told from other numbers. */
static bool brazilian_cpf(const char *p, size_t n)
{
    int d[11], k = 0, s, i, r;
    bool same = true;

    if (n != 14 || p[3] != '.' || p[7] != '.' || p[11] != '-')
        return false;
    for (i = 0; i < 14; i++) {
        if (i == 3 || i == 7 || i == 11)
            continue;
        if (!is_digit(p[i]))
            return false;
        d[k++] = p[i] - '0';
    }
    for (i = 1; i < 11; i++)
        same = same && d[i] == d[0];
    if (same)
        return false;
    for (s = 0, i = 0; i < 9; i++)
        s += d[i] * (10 - i);
    r = s * 10 % 11 % 10;
    if (r != d[9])
        return false;
    for (s = 0, i = 0; i < 10; i++)
        s += d[i] * (11 - i);
    r = s * 10 % 11 % 10;
    return r == d[10];
}

bool ac__dv_national_id(const char *p, size_t n)
{
    return spanish_id(p, n) || brazilian_cpf(p, n);
}

/* ---- credentials: JWT, bearer and basic, API keys --------------------------------------- */

static bool b64url(char c)
{
    return is_alnum(c) || c == '-' || c == '_';
}

/* header.payload.signature, base64url, header and payload JSON objects ("eyJ" is '{"'); the
 * signature may be empty (alg none). */
bool ac__dv_jwt(const char *p, size_t n)
{
    size_t i, dots = 0, seg = 0;

    if (n < 24 || n > 16384 || !starts(p, n, "eyJ"))
        return false;
    for (i = 0; i < n; i++) {
        if (p[i] == '.') {
            if (seg < (dots < 2 ? 10u : 0u))
                return false;
            if (++dots > 2)
                return false;
            if (dots == 1 && !starts(p + i + 1, n - i - 1, "eyJ"))
                return false;
            seg = 0;
        } else if (b64url(p[i]) || (p[i] == '=' && dots == 2)) {
            seg++;
        } else {
            return false;
        }
    }
    return dots == 2;
}

/* Key prefixes of services that issue secret keys, their lengths, and the fewest characters after
 * each. */
#define KEY(prefix, rest)                                                                          \
    {                                                                                              \
        prefix, sizeof(prefix) - 1, rest                                                           \
    }
static const struct {
    const char *prefix;
    unsigned char len, rest;
} key_prefixes[] = {
    KEY("sk_live_", 16), KEY("sk_test_", 16), KEY("rk_live_", 16),    KEY("rk_test_", 16),
    KEY("whsec_", 16),   KEY("ghp_", 30),     KEY("gho_", 30),        KEY("ghu_", 30),
    KEY("ghs_", 30),     KEY("ghr_", 30),     KEY("github_pat_", 30), KEY("glpat-", 20),
    KEY("xoxb-", 20),    KEY("xoxp-", 20),    KEY("xoxa-", 20),       KEY("xoxr-", 20),
    KEY("xapp-", 20),    KEY("AKIA", 16),     KEY("ASIA", 16),        KEY("AIza", 35),
    KEY("SG.", 40),      KEY("sk-proj-", 20), KEY("sk-ant-", 20),     KEY("npm_", 30),
    KEY("pypi-AgE", 30), KEY("shpat_", 20),   KEY("shpss_", 20),      KEY("hf_", 30),
    KEY("dop_v1_", 40),
};
#undef KEY
#define KEY_SHORTEST 20 /* the fewest characters of a key: "AKIA" and 16 */

static bool key_char(char c)
{
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
}

static bool known_key(const char *p, size_t n)
{
    size_t i, j, m;

    if (n < KEY_SHORTEST || n > 512)
        return false;
    for (i = 0; i < sizeof(key_prefixes) / sizeof(key_prefixes[0]); i++) {
        m = key_prefixes[i].len;
        if (n < m + key_prefixes[i].rest || p[0] != key_prefixes[i].prefix[0] ||
            memcmp(p, key_prefixes[i].prefix, m) != 0)
            continue;
        for (j = m; j < n && key_char(p[j]); j++)
            ;
        if (j == n)
            return true;
    }
    return false;
}

/* The class of a character: 0 digit, 1 upper case, 2 lower case, 3 other. */
static int char_class(char c)
{
    return is_digit(c) ? 0 : is_upper(c) ? 1 : is_lower(c) ? 2 : 3;
}

/* A random-looking token: 32 to 512 characters of [A-Za-z0-9_-] with at least two digits, two
 * upper-case and two lower-case letters, 16 distinct characters, and a change of character class
 * (digit, upper, lower) at 40% or more of its steps. A random base62 string changes class at
 * about 62% of its steps; an identifier such as "thisIsAVeryLongIdentifierName123" at 35%, hex
 * digests have no upper case. */
static bool high_entropy(const char *p, size_t n)
{
    unsigned char seen[128];
    size_t i, distinct = 0, changes = 0, count[4] = {0, 0, 0, 0};

    if (n < 32 || n > 512)
        return false;
    memset(seen, 0, sizeof(seen));
    for (i = 0; i < n; i++) {
        char c = p[i];

        if (!b64url(c))
            return false;
        count[char_class(c)]++;
        if (i > 0 && char_class(c) != char_class(p[i - 1]))
            changes++;
        if (!seen[(unsigned char)c]) {
            seen[(unsigned char)c] = 1;
            distinct++;
        }
    }
    return count[0] >= 2 && count[1] >= 2 && count[2] >= 2 && distinct >= 16 &&
           changes * 5 >= (n - 1) * 2;
}

/* "Bearer <token>" or "Basic <base64>", as an Authorization value would carry them. */
static bool auth_scheme(const char *p, size_t n)
{
    size_t i, m;

    if (starts(p, n, "Bearer ") || starts(p, n, "bearer "))
        m = 7;
    else if (starts(p, n, "Basic ") || starts(p, n, "basic "))
        m = 6;
    else
        return false;
    if (n - m < (m == 7 ? 16u : 8u) || n > 16384)
        return false;
    for (i = m; i < n; i++)
        if (!(b64url(p[i]) || p[i] == '.' || p[i] == '~' || p[i] == '+' || p[i] == '/' ||
              (p[i] == '=' && i + 2 >= n)))
            return false;
    return true;
}

bool ac__dv_secret(const char *p, size_t n)
{
    return auth_scheme(p, n) || ac__dv_jwt(p, n) || known_key(p, n) || high_entropy(p, n);
}

/* ---- phone numbers ---------------------------------------------------------------------- */

/* E.164 as people write it: '+', a country code not starting with 0, 8 to 15 digits in all,
 * single spaces, dashes or dots between groups, one "(...)" group. Or the North American
 * "(555) 123-4567". A number without its country code is not told from other numbers. */
bool ac__dv_phone(const char *p, size_t n)
{
    size_t i, digits = 0;
    bool paren = false, closed = false;

    if (n == 14 && p[0] == '(' && p[4] == ')' && p[5] == ' ' && p[9] == '-') {
        for (i = 0; i < 14; i++)
            if (i != 0 && i != 4 && i != 5 && i != 9 && !is_digit(p[i]))
                return false;
        return p[1] >= '2';
    }
    if (n < 9 || n > 24 || p[0] != '+' || !is_digit(p[1]) || p[1] == '0')
        return false;
    for (i = 1; i < n; i++) {
        char c = p[i];

        if (is_digit(c)) {
            digits++;
        } else if (c == ' ' || c == '-' || c == '.') {
            if (p[i - 1] == ' ' || p[i - 1] == '-' || p[i - 1] == '.' || i + 1 == n)
                return false;
        } else if (c == '(' && !paren) {
            paren = true;
        } else if (c == ')' && paren && !closed && p[i - 1] != '(') {
            closed = true;
        } else {
            return false;
        }
    }
    return digits >= 8 && digits <= 15 && paren == closed;
}

/* ---- IP addresses ----------------------------------------------------------------------- */

/* Dotted quad, each part 0-255 without leading zeros, the first not 0. */
bool ac__dv_ipv4(const char *p, size_t n)
{
    size_t i = 0, part;
    unsigned v, parts = 0;

    if (n < 7 || n > 15)
        return false;
    while (i < n) {
        part = 0;
        v = 0;
        while (i < n && is_digit(p[i]) && part < 4) {
            v = v * 10 + (unsigned)(p[i] - '0');
            i++;
            part++;
        }
        if (part == 0 || part > 3 || v > 255 || (part > 1 && p[i - part] == '0'))
            return false;
        if (parts == 0 && v == 0)
            return false;
        parts++;
        if (i == n)
            break;
        if (p[i] != '.' || parts == 4)
            return false;
        i++;
        if (i == n)
            return false;
    }
    return parts == 4;
}

/* RFC 4291 text: up to eight groups of 1-4 hex digits, at most one "::", optionally ending in a
 * dotted quad. Needs a "::" or all eight groups, so times (12:30:45) and MAC addresses are not
 * addresses. */
bool ac__dv_ipv6(const char *p, size_t n)
{
    size_t i = 0, groups = 0, k, last;
    bool dbl = false;

    if (n < 3 || n > 45 || memchr(p, ':', n) == NULL)
        return false;
    if (p[0] == ':') {
        if (p[1] != ':')
            return false;
        dbl = true;
        i = 2;
        if (i == n)
            return false; /* "::" alone */
    }
    while (i < n) {
        last = i;
        for (k = 0; i < n && is_hex(p[i]) && k < 5; i++, k++)
            ;
        if (i < n && p[i] == '.') /* a trailing dotted quad counts as two groups */
            return groups <= (dbl ? 5u : 6u) && ac__dv_ipv4(p + last, n - last) &&
                   (dbl || groups == 6);
        if (k == 0 || k > 4)
            return false;
        groups++;
        if (i == n)
            break;
        if (p[i] != ':')
            return false;
        i++;
        if (i < n && p[i] == ':') {
            if (dbl)
                return false;
            dbl = true;
            i++;
        } else if (i == n) {
            return false;
        }
    }
    return dbl ? groups <= 7 : groups == 8;
}

/* ---- coordinates ------------------------------------------------------------------------ */

/* A signed decimal with at least 4 digits after the point and at most 3 before; its absolute
 * value in millionths of a degree (fraction cut after 6 digits). */
bool ac__dv_coord(const char *p, size_t n, long *micro)
{
    size_t i = 0, ip = 0, fp = 0;
    long v = 0;

    if (n > 0 && (p[0] == '-' || p[0] == '+'))
        i++;
    for (; i < n && is_digit(p[i]) && ip < 4; i++, ip++)
        v = v * 10 + (p[i] - '0');
    if (ip == 0 || ip > 3 || i == n || p[i] != '.')
        return false;
    for (i++; i < n && is_digit(p[i]); i++, fp++)
        if (fp < 6)
            v = v * 10 + (p[i] - '0');
    if (i != n || fp < 4 || fp > 15)
        return false;
    for (; fp < 6; fp++)
        v *= 10;
    *micro = v;
    return true;
}

/* Two coordinates that can be a latitude (|x| <= 90) and a longitude (|y| <= 180), in either
 * order (GeoJSON writes longitude first). */
bool ac__dv_latlng(long a, long b)
{
    return a <= 180000000L && b <= 180000000L && (a <= 90000000L || b <= 90000000L);
}

/* "52.370216,4.895168", "52.370216, 4.895168" or "52.370216 4.895168". */
bool ac__dv_geo(const char *p, size_t n)
{
    size_t i, j;
    long a, b;

    if (n < 13 || n > 48)
        return false;
    for (i = 1; i < n && p[i] != ',' && p[i] != ' ' && p[i] != ';'; i++)
        ;
    if (i >= n - 1)
        return false;
    j = i + 1;
    if (p[i] != ' ' && p[j] == ' ')
        j++;
    return ac__dv_coord(p, i, &a) && ac__dv_coord(p + j, n - j, &b) && ac__dv_latlng(a, b);
}

/* ---- a value, a text ---------------------------------------------------------------------- */

static unsigned whole_value(const char *p, size_t n)
{
    unsigned cls = 0;

    if (n < 3)
        return 0;
    if (ac__dv_email(p, n))
        cls |= AC_DATA_EMAIL;
    if (ac__dv_card(p, n))
        cls |= AC_DATA_PAYMENT_CARD;
    if (ac__dv_iban(p, n))
        cls |= AC_DATA_IBAN;
    if (ac__dv_national_id(p, n))
        cls |= AC_DATA_NATIONAL_ID;
    if (ac__dv_secret(p, n))
        cls |= AC_DATA_CREDENTIALS;
    if (ac__dv_phone(p, n))
        cls |= AC_DATA_PHONE;
    if (ac__dv_ipv4(p, n) || ac__dv_ipv6(p, n))
        cls |= AC_DATA_IP_ADDRESS;
    if (ac__dv_geo(p, n))
        cls |= AC_DATA_LOCATION;
    return cls;
}

/* Bytes between the words of a text. '.', ':' and '@' stay inside words (addresses); a word's
 * trailing '.', ':' and the like are dropped ("alice@example.com."). */
static bool word_gap(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == ',' || c == ';' || c == '=' || c == '&' || c == '?' || c == '!';
}

unsigned ac__data_of_value(const char *p, size_t n)
{
    unsigned cls = whole_value(p, n);
    size_t i = 0, start, end;

    if (cls != 0 || n > AC_DATA_VALUE_MAX)
        return cls;
    for (start = 0; start < n && !word_gap(p[start]); start++)
        ;
    if (start == n)
        return 0; /* one word: tried whole */
    while (i < n) {
        while (i < n && word_gap(p[i]))
            i++;
        start = i;
        while (i < n && !word_gap(p[i]))
            i++;
        end = i;
        while (end > start && (p[end - 1] == '.' || p[end - 1] == ':'))
            end--;
        if (end - start >= 6)
            cls |= whole_value(p + start, end - start);
    }
    return cls;
}
