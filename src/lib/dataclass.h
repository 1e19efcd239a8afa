/* dataclass.h - the data classes a request carries, seen from field names and values.
 *
 * PRODUCT.md's observation records the data classes seen; `dataflow-excess` compares those seen in
 * traffic to or from a third party with the classes its integration declares. The classifier
 * recognises seven classes, as bits of one unsigned:
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
 *                 "location" ...
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

#include <stddef.h>

enum {
    AC_DATA_EMAIL = 1u << 0,
    AC_DATA_PHONE = 1u << 1,
    AC_DATA_NAME = 1u << 2,
    AC_DATA_PAYMENT_CARD = 1u << 3,
    AC_DATA_CREDENTIALS = 1u << 4,
    AC_DATA_HEALTH = 1u << 5,
    AC_DATA_LOCATION = 1u << 6
};

#define AC_DATA_CLASSES 7
#define AC_DATA_NAME_MAX 64
#define AC_DATA_PAYLOAD_MAX ((size_t)1 << 20)

/* The class name of bit index i ("email", "payment-card" ...), or NULL past the last. */
const char *ac__data_class_name(unsigned i);

/* The classes a field or parameter name stands for (0 for most names). */
unsigned ac__data_of_name(const char *p, size_t n);

/* The classes a value shows by its shape alone: an e-mail address, a card number. */
unsigned ac__data_of_value(const char *p, size_t n);

/* The classes of a request or response body: JSON ("key": value), form-encoded (key=value&...)
 * or text with "key: value" or "key=value" pairs. Names are read as names, the rest as values;
 * %40 in a form value reads as '@'. */
unsigned ac__data_of_payload(const char *p, size_t n);

#endif
