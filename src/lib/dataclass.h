/* dataclass.h - the data classes a request carries, seen from field names and values.
 *
 * PRODUCT.md's observation records the data classes seen; `dataflow-excess` compares those seen in
 * traffic to or from a third party with the classes its integration declares. The classifier
 * recognises ten classes, as bits of one unsigned. Names are classified in dataclass.c, values
 * by their shape and checksum in datavalue.c:
 *
 *   email         a field named like "email", or a value shaped like local@domain.tld
 *   phone         a field named like "phone", "mobile", "msisdn", "tel"
 *   name          "first_name", "lastName", "full_name", "surname" ... (not a bare "name":
 *                 products, files and repositories have names too)
 *   payment-card  "card_number", "creditCard", "pan", "cvv" ...; or a value of 15 or 16 digits
 *                 (spaces or dashes between groups allowed) that starts like a card (3-6) and
 *                 passes the Luhn check
 *   credentials   "password", "passwd", "secret", "api_key", "access_token", "token", "otp" ...
 *   health        "diagnosis", "medical...", "blood_type", "allergies", "prescription" ...
 *   location      "lat", "lng", "latitude", "longitude", "geolocation", "coordinates",
 *                 "location" ...; or a value "52.370216,4.895168", or two such numbers side by
 *                 side in a JSON array ([4.895168, 52.370216])
 *   iban          a value that is an IBAN of its country's length with a valid mod-97 check
 *   national-id   a value that is a Spanish DNI/NIE (check letter) or a Brazilian CPF written
 *                 123.456.789-09 (check digits); identifiers without a checksum (US SSN) or
 *                 whose checksum passes too many plain numbers (Dutch BSN) are not classified
 *   ip-address    a value that is an IPv4 dotted quad or an IPv6 address
 *
 * Values also show email (local@domain.tld), phone ("+" country code, 8-15 digits; or
 * "(555) 123-4567"), payment-card (a card network's prefix and length, Luhn-valid) and
 * credentials (a JWT, "Bearer ..." / "Basic ...", a key with a known prefix such as sk_live_,
 * ghp_, AKIA, xoxb-, AIza, or a random-looking token of 32+ characters mixing upper case, lower
 * case and digits).
 *
 * Names compare after lower-casing and dropping '_', '-', '.' and spaces, so "first_name",
 * "firstName" and "First-Name" are one name. The rules are published in docs/rules.md
 * (dataflow-excess) with their limits: a class is evidence that a field of that kind travelled,
 * not proof of what its value was.
 *
 * Everything here is allocation-free and bounded: names longer than AC_DATA_NAME_MAX bytes are
 * not classified, payloads are read up to AC_DATA_PAYLOAD_MAX bytes. Thread-safe (no state).
 */
#ifndef AC_DATACLASS_H
#define AC_DATACLASS_H

#include <stdbool.h>
#include <stddef.h>

enum {
    AC_DATA_EMAIL = 1u << 0,
    AC_DATA_PHONE = 1u << 1,
    AC_DATA_NAME = 1u << 2,
    AC_DATA_PAYMENT_CARD = 1u << 3,
    AC_DATA_CREDENTIALS = 1u << 4,
    AC_DATA_HEALTH = 1u << 5,
    AC_DATA_LOCATION = 1u << 6,
    AC_DATA_IBAN = 1u << 7,
    AC_DATA_NATIONAL_ID = 1u << 8,
    AC_DATA_IP_ADDRESS = 1u << 9
};

#define AC_DATA_CLASSES 10
/* The classes as an SQL VALUES list of (bit, name), in bit order, for the store's queries. */
#define AC__DATA_SQL_VALUES                                                                        \
    "(1, 'email'), (2, 'phone'), (4, 'name'), (8, 'payment-card'), (16, 'credentials'),"           \
    " (32, 'health'), (64, 'location'), (128, 'iban'), (256, 'national-id'), (512, 'ip-address')"
/* The bitwise OR of the column data_classes over a group, as an SQL aggregate expression. */
#define AC__DATA_SQL_OR                                                                            \
    "max(data_classes & 1) | max(data_classes & 2) | max(data_classes & 4)"                        \
    " | max(data_classes & 8) | max(data_classes & 16) | max(data_classes & 32)"                   \
    " | max(data_classes & 64) | max(data_classes & 128) | max(data_classes & 256)"                \
    " | max(data_classes & 512)"
/* The classes that are personal or financial data (email, phone, name, payment-card, health,
 * location, iban, national-id): what prod-data-in-nonprod looks for in a non-production
 * deployment's traffic. Credentials and IP addresses travel in every environment. */
#define AC__DATA_PERSONAL "495"
/* Longest text value whose words are classified one by one. */
#define AC_DATA_VALUE_MAX 65536
#define AC_DATA_NAME_MAX 64
#define AC_DATA_PAYLOAD_MAX ((size_t)1 << 20)

/* The class name of bit index i ("email", "payment-card" ...), or NULL past the last. */
const char *ac__data_class_name(unsigned i);

/* The classes a field or parameter name stands for (0 for most names). */
unsigned ac__data_of_name(const char *p, size_t n);

/* The classes a value shows by its shape and checksum (datavalue.c): the whole value first, then,
 * when that finds nothing, each word of a text up to AC_DATA_VALUE_MAX bytes. */
unsigned ac__data_of_value(const char *p, size_t n);

/* ac__data_of_value() of a form or query value after percent-decoding ('+' is a space). */
unsigned ac__data_of_form_value(const char *p, size_t n);

/* The classes of the values of a query string (a=1&b=2, without the '?'; up to '#' and at most
 * AC_DATA_VALUE_MAX bytes), each percent-decoded. Names are classified by the aggregator. */
unsigned ac__data_of_query(const char *p, size_t n);

/* The single-class scanners of datavalue.c, each true when the whole of p[0..n) is one. */
bool ac__dv_email(const char *p, size_t n);
bool ac__dv_card(const char *p, size_t n);
bool ac__dv_iban(const char *p, size_t n);
bool ac__dv_national_id(const char *p, size_t n);
bool ac__dv_jwt(const char *p, size_t n);
bool ac__dv_secret(const char *p, size_t n);
bool ac__dv_phone(const char *p, size_t n);
bool ac__dv_ipv4(const char *p, size_t n);
bool ac__dv_ipv6(const char *p, size_t n);
bool ac__dv_geo(const char *p, size_t n);
/* A decimal coordinate with 4+ decimals: its absolute value in millionths into *micro. */
bool ac__dv_coord(const char *p, size_t n, long *micro);
/* Whether two absolute coordinates can be a latitude and a longitude, in either order. */
bool ac__dv_latlng(long a, long b);

/* The classes of a request or response body: JSON ("key": value), form-encoded (key=value&...)
 * or text with "key: value" or "key=value" pairs. Names are read as names, the rest as values;
 * %40 in a form value reads as '@'. */
unsigned ac__data_of_payload(const char *p, size_t n);

#endif
