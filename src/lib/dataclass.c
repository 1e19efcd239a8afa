/* dataclass.c - data classes from field names, values and bodies (see dataclass.h). */
#include "dataclass.h"

#include <stdbool.h>
#include <string.h>

static const char *const class_names[AC_DATA_CLASSES] = {
    "email", "phone", "name", "payment-card", "credentials", "health", "location"};

const char *ac__data_class_name(unsigned i)
{
    return i < AC_DATA_CLASSES ? class_names[i] : NULL;
}

struct word {
    const char *w;
    unsigned cls;
};

/* Whole normalised names. */
static const struct word exact[] = {
    {"mail", AC_DATA_EMAIL},
    {"mobile", AC_DATA_PHONE},
    {"mobilenumber", AC_DATA_PHONE},
    {"msisdn", AC_DATA_PHONE},
    {"tel", AC_DATA_PHONE},
    {"firstname", AC_DATA_NAME},
    {"lastname", AC_DATA_NAME},
    {"fullname", AC_DATA_NAME},
    {"middlename", AC_DATA_NAME},
    {"surname", AC_DATA_NAME},
    {"givenname", AC_DATA_NAME},
    {"familyname", AC_DATA_NAME},
    {"customername", AC_DATA_NAME},
    {"pan", AC_DATA_PAYMENT_CARD},
    {"cvv", AC_DATA_PAYMENT_CARD},
    {"cvv2", AC_DATA_PAYMENT_CARD},
    {"cvc", AC_DATA_PAYMENT_CARD},
    {"ccnumber", AC_DATA_PAYMENT_CARD},
    {"ccnum", AC_DATA_PAYMENT_CARD},
    {"pwd", AC_DATA_CREDENTIALS},
    {"passcode", AC_DATA_CREDENTIALS},
    {"token", AC_DATA_CREDENTIALS},
    {"otp", AC_DATA_CREDENTIALS},
    {"pin", AC_DATA_CREDENTIALS},
    {"sessionid", AC_DATA_CREDENTIALS},
    {"lat", AC_DATA_LOCATION},
    {"lng", AC_DATA_LOCATION},
    {"lon", AC_DATA_LOCATION},
    {"latitude", AC_DATA_LOCATION},
    {"longitude", AC_DATA_LOCATION},
    {"latlng", AC_DATA_LOCATION},
    {"latlon", AC_DATA_LOCATION},
    {"geo", AC_DATA_LOCATION},
    {"geolocation", AC_DATA_LOCATION},
    {"gps", AC_DATA_LOCATION},
    {"coords", AC_DATA_LOCATION},
    {"coordinates", AC_DATA_LOCATION},
    {"location", AC_DATA_LOCATION},
};

/* Parts of normalised names. */
static const struct word part[] = {
    {"email", AC_DATA_EMAIL},
    {"phone", AC_DATA_PHONE},
    {"cardholder", AC_DATA_NAME | AC_DATA_PAYMENT_CARD},
    {"cardnumber", AC_DATA_PAYMENT_CARD},
    {"creditcard", AC_DATA_PAYMENT_CARD},
    {"password", AC_DATA_CREDENTIALS},
    {"passwd", AC_DATA_CREDENTIALS},
    {"secret", AC_DATA_CREDENTIALS},
    {"apikey", AC_DATA_CREDENTIALS},
    {"accesstoken", AC_DATA_CREDENTIALS},
    {"refreshtoken", AC_DATA_CREDENTIALS},
    {"idtoken", AC_DATA_CREDENTIALS},
    {"authtoken", AC_DATA_CREDENTIALS},
    {"privatekey", AC_DATA_CREDENTIALS},
    {"diagnos", AC_DATA_HEALTH},
    {"medical", AC_DATA_HEALTH},
    {"medication", AC_DATA_HEALTH},
    {"prescription", AC_DATA_HEALTH},
    {"bloodtype", AC_DATA_HEALTH},
    {"allerg", AC_DATA_HEALTH},
    {"symptom", AC_DATA_HEALTH},
    {"icd10", AC_DATA_HEALTH},
};

static bool contains(const char *s, size_t n, const char *w, size_t m)
{
    size_t i;

    for (i = 0; i + m <= n; i++)
        if (s[i] == w[0] && memcmp(s + i, w, m) == 0)
            return true;
    return false;
}

unsigned ac__data_of_name(const char *p, size_t n)
{
    char s[AC_DATA_NAME_MAX];
    size_t i, k = 0, m;
    unsigned cls = 0;

    if (n > AC_DATA_NAME_MAX)
        return 0;
    for (i = 0; i < n; i++) {
        char c = p[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            s[k++] = c;
        else if (c != '_' && c != '-' && c != '.' && c != ' ')
            return 0; /* not a field name */
    }
    if (k < 3)
        return 0;
    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
        m = strlen(exact[i].w);
        if (m == k && memcmp(s, exact[i].w, m) == 0)
            return exact[i].cls;
    }
    for (i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
        m = strlen(part[i].w);
        if (m <= k && contains(s, k, part[i].w, m))
            cls |= part[i].cls;
    }
    return cls;
}

/* local@domain.tld: a local part, one '@', a domain with a dot and a final label of letters. */
static bool email_shaped(const char *p, size_t n)
{
    size_t at = n, i, dot = 0, tld = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c == '@') {
            if (at != n)
                return false;
            at = i;
        } else if (c <= ' ' || c == '"' || c == ',' || c == '<' || c == '>' || c >= 0x7F) {
            return false;
        }
    }
    if (at == 0 || at + 4 > n)
        return false;
    for (i = at + 1; i < n; i++) {
        char c = p[i];

        if (c == '.') {
            if (i == at + 1 || p[i - 1] == '.')
                return false;
            dot = i;
            tld = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            tld++;
        } else if ((c >= '0' && c <= '9') || c == '-') {
            tld = 100; /* digits in the last label: not a top-level domain */
        } else {
            return false;
        }
    }
    return dot != 0 && tld >= 2 && tld <= 24 && n - dot - 1 == tld;
}

/* 15 or 16 digits, in groups separated by one space or dash, starting 3-6, Luhn-valid. */
static bool card_shaped(const char *p, size_t n)
{
    char d[16];
    size_t i, k = 0;
    unsigned sum = 0;

    if (n < 15 || n > 19)
        return false;
    for (i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            if (k == sizeof(d))
                return false;
            d[k++] = p[i];
        } else if ((p[i] != ' ' && p[i] != '-') || i == 0 || i + 1 == n || p[i - 1] == ' ' ||
                   p[i - 1] == '-') {
            return false;
        }
    }
    if (k < 15 || d[0] < '3' || d[0] > '6')
        return false;
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

unsigned ac__data_of_value(const char *p, size_t n)
{
    unsigned cls = 0;

    if (n >= 5 && n <= 254 && memchr(p, '@', n) != NULL && email_shaped(p, n))
        cls |= AC_DATA_EMAIL;
    if (card_shaped(p, n))
        cls |= AC_DATA_PAYMENT_CARD;
    return cls;
}

/* A value of a form body: %40 reads as '@' (e-mail addresses), '+' as a space. */
static unsigned form_value(const char *p, size_t n)
{
    char v[256];
    size_t i, k = 0;

    if (n > sizeof(v))
        return 0;
    for (i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && p[i + 1] == '4' && p[i + 2] == '0') {
            v[k++] = '@';
            i += 2;
        } else {
            v[k++] = p[i] == '+' ? ' ' : p[i];
        }
    }
    return ac__data_of_value(v, k);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Bytes that end a bare token. */
static bool is_stop(char c)
{
    return is_space(c) || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' ||
           c == '&' || c == '=' || c == '"' || c == ';';
}

unsigned ac__data_of_payload(const char *p, size_t n)
{
    size_t i = 0, start, end, j;
    unsigned cls = 0;
    bool quoted;

    if (n > AC_DATA_PAYLOAD_MAX)
        n = AC_DATA_PAYLOAD_MAX;
    while (i < n) {
        if (is_stop(p[i]) && p[i] != '"') {
            i++;
            continue;
        }
        quoted = p[i] == '"';
        if (quoted) {
            start = ++i;
            while (i < n && p[i] != '"')
                i += p[i] == '\\' ? 2 : 1;
            end = i < n ? i : n;
            i = end + 1;
        } else {
            start = i;
            while (i < n && !is_stop(p[i]))
                i++;
            end = i;
        }
        for (j = i; j < n && (p[j] == ' ' || p[j] == '\t'); j++)
            ;
        if (j < n && (p[j] == ':' || (p[j] == '=' && !quoted)))
            cls |= ac__data_of_name(p + start, end - start);
        else if (quoted)
            cls |= ac__data_of_value(p + start, end - start);
        else
            cls |= form_value(p + start, end - start);
    }
    return cls;
}
