/* dataclass.c - data classes from field names and bodies (see dataclass.h); values are
 * classified in datavalue.c. */
#include "dataclass.h"

#include "hex.h"

#include <stdbool.h>
#include <string.h>

static const char *const class_names[AC_DATA_CLASSES] = {
    "email",  "phone",    "name", "payment-card", "credentials",
    "health", "location", "iban", "national-id",  "ip-address"};

const char *ac__data_class_name(unsigned i)
{
    return i < AC_DATA_CLASSES ? class_names[i] : NULL;
}

struct word {
    const char *w;
    size_t n;
    unsigned cls;
};

#define W(s, c)                                                                                    \
    {                                                                                              \
        s, sizeof(s) - 1, c                                                                        \
    }

/* Whole normalised names. */
static const struct word exact[] = {
    W("mail", AC_DATA_EMAIL),
    W("mobile", AC_DATA_PHONE),
    W("mobilenumber", AC_DATA_PHONE),
    W("msisdn", AC_DATA_PHONE),
    W("tel", AC_DATA_PHONE),
    W("firstname", AC_DATA_NAME),
    W("lastname", AC_DATA_NAME),
    W("fullname", AC_DATA_NAME),
    W("middlename", AC_DATA_NAME),
    W("surname", AC_DATA_NAME),
    W("givenname", AC_DATA_NAME),
    W("familyname", AC_DATA_NAME),
    W("customername", AC_DATA_NAME),
    W("pan", AC_DATA_PAYMENT_CARD),
    W("cvv", AC_DATA_PAYMENT_CARD),
    W("cvv2", AC_DATA_PAYMENT_CARD),
    W("cvc", AC_DATA_PAYMENT_CARD),
    W("ccnumber", AC_DATA_PAYMENT_CARD),
    W("ccnum", AC_DATA_PAYMENT_CARD),
    W("pwd", AC_DATA_CREDENTIALS),
    W("passcode", AC_DATA_CREDENTIALS),
    W("token", AC_DATA_CREDENTIALS),
    W("otp", AC_DATA_CREDENTIALS),
    W("pin", AC_DATA_CREDENTIALS),
    W("sessionid", AC_DATA_CREDENTIALS),
    W("lat", AC_DATA_LOCATION),
    W("lng", AC_DATA_LOCATION),
    W("lon", AC_DATA_LOCATION),
    W("latitude", AC_DATA_LOCATION),
    W("longitude", AC_DATA_LOCATION),
    W("latlng", AC_DATA_LOCATION),
    W("latlon", AC_DATA_LOCATION),
    W("geo", AC_DATA_LOCATION),
    W("geolocation", AC_DATA_LOCATION),
    W("gps", AC_DATA_LOCATION),
    W("coords", AC_DATA_LOCATION),
    W("coordinates", AC_DATA_LOCATION),
    W("location", AC_DATA_LOCATION),
};

/* Parts of normalised names. */
static const struct word part[] = {
    W("email", AC_DATA_EMAIL),
    W("phone", AC_DATA_PHONE),
    W("cardholder", AC_DATA_NAME | AC_DATA_PAYMENT_CARD),
    W("cardnumber", AC_DATA_PAYMENT_CARD),
    W("creditcard", AC_DATA_PAYMENT_CARD),
    W("password", AC_DATA_CREDENTIALS),
    W("passwd", AC_DATA_CREDENTIALS),
    W("secret", AC_DATA_CREDENTIALS),
    W("apikey", AC_DATA_CREDENTIALS),
    W("accesstoken", AC_DATA_CREDENTIALS),
    W("refreshtoken", AC_DATA_CREDENTIALS),
    W("idtoken", AC_DATA_CREDENTIALS),
    W("authtoken", AC_DATA_CREDENTIALS),
    W("privatekey", AC_DATA_CREDENTIALS),
    W("diagnos", AC_DATA_HEALTH),
    W("medical", AC_DATA_HEALTH),
    W("medication", AC_DATA_HEALTH),
    W("prescription", AC_DATA_HEALTH),
    W("bloodtype", AC_DATA_HEALTH),
    W("allerg", AC_DATA_HEALTH),
    W("symptom", AC_DATA_HEALTH),
    W("icd10", AC_DATA_HEALTH),
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
    size_t i, k = 0;
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
    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (exact[i].n == k && memcmp(s, exact[i].w, k) == 0)
            return exact[i].cls;
    for (i = 0; i < sizeof(part) / sizeof(part[0]); i++)
        if (part[i].n <= k && contains(s, k, part[i].w, part[i].n))
            cls |= part[i].cls;
    return cls;
}

/* A value of a form body or a query string, percent-decoded ('+' as a space) into a bounded
 * buffer; longer values are classified as they are. */
unsigned ac__data_of_form_value(const char *p, size_t n)
{
    char v[2048];
    size_t i, k = 0;
    int hi, lo;

    if (n > sizeof(v) || (memchr(p, '%', n) == NULL && memchr(p, '+', n) == NULL))
        return ac__data_of_value(p, n);
    for (i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && (hi = ac__hexval((unsigned char)p[i + 1])) >= 0 &&
            (lo = ac__hexval((unsigned char)p[i + 2])) >= 0) {
            v[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            v[k++] = p[i] == '+' ? ' ' : p[i];
        }
    }
    return ac__data_of_value(v, k);
}

unsigned ac__data_of_query(const char *p, size_t n)
{
    size_t i = 0, eq;
    unsigned cls = 0;

    if (n > AC_DATA_VALUE_MAX)
        n = AC_DATA_VALUE_MAX;
    while (i < n) {
        eq = n;
        for (; i < n && p[i] != '&' && p[i] != ';' && p[i] != '#'; i++)
            if (p[i] == '=' && eq == n)
                eq = i;
        if (eq < i)
            cls |= ac__data_of_form_value(p + eq + 1, i - eq - 1);
        if (i < n && p[i] == '#')
            break;
        i++;
    }
    return cls;
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

/* Two unquoted numbers side by side in an array, "[4.895168, 52.370216": a coordinate pair.
 * prev is the previous token's coordinate or -1, gap the bytes between the two tokens. */
static bool coord_pair(long prev, const char *gap, size_t ngap, const char *p, size_t n)
{
    long cur;
    size_t i, commas = 0;

    if (prev < 0 || !ac__dv_coord(p, n, &cur))
        return false;
    for (i = 0; i < ngap; i++) {
        if (gap[i] == ',')
            commas++;
        else if (!is_space(gap[i]))
            return false;
    }
    return commas == 1 && ac__dv_latlng(prev, cur);
}

unsigned ac__data_of_payload(const char *p, size_t n)
{
    size_t i = 0, start, end, j, prev_end = 0;
    unsigned cls = 0;
    long prev = -1, cur;
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
        if (j < n && (p[j] == ':' || (p[j] == '=' && !quoted))) {
            cls |= ac__data_of_name(p + start, end - start);
            prev = -1;
            continue;
        }
        if (quoted) {
            cls |= ac__data_of_value(p + start, end - start);
            prev = -1;
            continue;
        }
        cls |= ac__data_of_form_value(p + start, end - start);
        if (coord_pair(prev, p + prev_end, start - prev_end, p + start, end - start))
            cls |= AC_DATA_LOCATION;
        prev = ac__dv_coord(p + start, end - start, &cur) ? cur : -1;
        prev_end = end;
    }
    return cls;
}
