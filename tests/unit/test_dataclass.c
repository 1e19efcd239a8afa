/* test_dataclass.c - data classes from names, values and bodies (dataclass.h): what
 * dataflow-excess reports a third party received. The nearest misses matter as much as the hits:
 * a bare "name", "page", a 13-digit millisecond timestamp, a card-like number that fails Luhn, a
 * "health" check, an address without a domain. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dataclass.h"

#include <string.h>

static unsigned name_of(const char *s)
{
    return ac__data_of_name(s, strlen(s));
}

static unsigned value_of(const char *s)
{
    return ac__data_of_value(s, strlen(s));
}

static unsigned body_of(const char *s)
{
    return ac__data_of_payload(s, strlen(s));
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(name_of("email"), AC_DATA_EMAIL);
    assert_int_equal(name_of("contactEmail"), AC_DATA_EMAIL);
    assert_int_equal(name_of("e_mail"), AC_DATA_EMAIL);
    assert_int_equal(name_of("phone_number"), AC_DATA_PHONE);
    assert_int_equal(name_of("msisdn"), AC_DATA_PHONE);
    assert_int_equal(name_of("firstName"), AC_DATA_NAME);
    assert_int_equal(name_of("Last-Name"), AC_DATA_NAME);
    assert_int_equal(name_of("card_number"), AC_DATA_PAYMENT_CARD);
    assert_int_equal(name_of("cvv"), AC_DATA_PAYMENT_CARD);
    assert_int_equal(name_of("cardholder_name"), AC_DATA_NAME | AC_DATA_PAYMENT_CARD);
    assert_int_equal(name_of("password"), AC_DATA_CREDENTIALS);
    assert_int_equal(name_of("new_password"), AC_DATA_CREDENTIALS);
    assert_int_equal(name_of("access_token"), AC_DATA_CREDENTIALS);
    assert_int_equal(name_of("api-key"), AC_DATA_CREDENTIALS);
    assert_int_equal(name_of("token"), AC_DATA_CREDENTIALS);
    assert_int_equal(name_of("diagnosis"), AC_DATA_HEALTH);
    assert_int_equal(name_of("blood_type"), AC_DATA_HEALTH);
    assert_int_equal(name_of("lat"), AC_DATA_LOCATION);
    assert_int_equal(name_of("longitude"), AC_DATA_LOCATION);
    assert_int_equal(name_of("location"), AC_DATA_LOCATION);
    /* Nearest misses. */
    assert_int_equal(name_of("name"), 0);
    assert_int_equal(name_of("repo_name"), 0);
    assert_int_equal(name_of("page"), 0);
    assert_int_equal(name_of("per_page"), 0);
    assert_int_equal(name_of("health"), 0);
    assert_int_equal(name_of("tokens_used"), 0);
    assert_int_equal(name_of("q"), 0);
    assert_int_equal(name_of("mail[to]"), 0);
    assert_int_equal(name_of(""), 0);
    /* Longer than AC_DATA_NAME_MAX: not classified. */
    assert_int_equal(name_of("email_email_email_email_email_email_email_email_email_email_email_"),
                     0);
}

static void test_values(void **state)
{
    (void)state;
    assert_int_equal(value_of("alice@example.com"), AC_DATA_EMAIL);
    assert_int_equal(value_of("a.b+c@mail.example.co.uk"), AC_DATA_EMAIL);
    assert_int_equal(value_of("alice@localhost"), 0);
    assert_int_equal(value_of("@example.com"), 0);
    assert_int_equal(value_of("a@b@example.com"), 0);
    assert_int_equal(value_of("user@host.123"), 0);
    assert_int_equal(value_of("git@github.com:org/repo.git"), 0);
    /* Test card numbers of the payment networks: Visa, Mastercard, Amex; grouped too. */
    assert_int_equal(value_of("4111111111111111"), AC_DATA_PAYMENT_CARD);
    assert_int_equal(value_of("5555 5555 5555 4444"), AC_DATA_PAYMENT_CARD);
    assert_int_equal(value_of("3782-822463-10005"), AC_DATA_PAYMENT_CARD);
    assert_int_equal(value_of("4111111111111112"), 0);    /* fails Luhn */
    assert_int_equal(value_of("1689428184383"), 0);       /* a millisecond timestamp */
    assert_int_equal(value_of("1111111111111117"), 0);    /* Luhn-valid, no card prefix */
    assert_int_equal(value_of("4111  1111111111111"), 0); /* two separators */
    assert_int_equal(value_of("41111111111111111111"), 0);
    assert_int_equal(value_of("6011111111111117"), AC_DATA_PAYMENT_CARD); /* Discover */
    assert_int_equal(value_of("3530111333300000"), AC_DATA_PAYMENT_CARD); /* JCB */
    assert_int_equal(value_of("4222222222222"), AC_DATA_PAYMENT_CARD);    /* Visa, 13 digits */
    assert_int_equal(value_of("9418281828459043"), 0); /* Luhn-valid, no network starts 9 */
}

/* Each class of value, with the nearest values that are not of it. */
static void test_value_classes(void **state)
{
    (void)state;
    /* IBAN: the country's length and mod 97. */
    assert_int_equal(value_of("GB82 WEST 1234 5698 7654 32"), AC_DATA_IBAN);
    assert_int_equal(value_of("DE89370400440532013000"), AC_DATA_IBAN);
    assert_int_equal(value_of("NL91ABNA0417164300"), AC_DATA_IBAN);
    assert_int_equal(value_of("GB82WEST12345698765433"), 0);      /* check digits fail */
    assert_int_equal(value_of("DE8937040044053201300"), 0);       /* one short for DE */
    assert_int_equal(value_of("GB8 2WEST 1234 5698 7654 32"), 0); /* not in fours */
    assert_int_equal(value_of("gb82west12345698765432"), 0);
    /* National ids with a check: Spanish DNI and NIE letters, Brazilian CPF digits. */
    assert_int_equal(value_of("12345678Z"), AC_DATA_NATIONAL_ID);
    assert_int_equal(value_of("12345678-Z"), AC_DATA_NATIONAL_ID);
    assert_int_equal(value_of("X1234567L"), AC_DATA_NATIONAL_ID);
    assert_int_equal(value_of("111.444.777-35"), AC_DATA_NATIONAL_ID);
    assert_int_equal(value_of("12345678A"), 0);      /* wrong letter */
    assert_int_equal(value_of("111.444.777-36"), 0); /* wrong check digit */
    assert_int_equal(value_of("111.111.111-11"), 0); /* one repeated digit */
    assert_int_equal(value_of("11144477735"), 0);    /* unformatted: any number could be */
    assert_int_equal(value_of("123-45-6789"), 0);    /* a US SSN has no checksum */
    /* Credentials: JWT, bearer and basic, known key prefixes, random-looking tokens. */
    assert_int_equal(value_of("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwib"
                              "mFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fw"
                              "pMeJf36POk6yJV_adQssw5c"),
                     AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjMifQ."), AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0"), AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("Basic YWxhZGRpbjpvcGVuc2VzYW1l"), AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("sk_live_4eC39HqLyjWDarjtT1zdp7dc"), AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("ghp_16C7e42F292c6912E7710c838347Ae178B4a"), AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("AKIAIOSFODNN7EXAMPLE"), AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("xoxb-2364729012-4827365019283-aB3dE5fG7hJ9kL1mN3pQ5rS7"),
                     AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("Zx8Qp2Lm9Rt4Vb7Nc1Kd6Hf3Jg5Ws0Ya"), AC_DATA_CREDENTIALS);
    assert_int_equal(value_of("eyJub3QiOiJhIEpXVCJ9"), 0); /* one segment */
    assert_int_equal(value_of("eyJhbGciOiJIUzI1NiJ9.bm90IEpTT04.sig"), 0);
    assert_int_equal(value_of("Bearer of bad news"), 0);
    assert_int_equal(value_of("sk_live_short"), 0);
    assert_int_equal(value_of("pk_live_51H8x2LkdIwHu7ix"), 0); /* publishable keys are public */
    assert_int_equal(value_of("0123456789abcdef0123456789abcdef01234567"), 0); /* hex digest */
    assert_int_equal(value_of("thisIsAVeryLongIdentifierName123"), 0);
    assert_int_equal(value_of("550e8400-e29b-41d4-a716-446655440000"), 0); /* a UUID */
    /* Phone numbers: with their country code, or (555) 123-4567. */
    assert_int_equal(value_of("+31 6 12345678"), AC_DATA_PHONE);
    assert_int_equal(value_of("+1 (555) 123-4567"), AC_DATA_PHONE);
    assert_int_equal(value_of("+4915112345678"), AC_DATA_PHONE);
    assert_int_equal(value_of("(555) 123-4567"), AC_DATA_PHONE);
    assert_int_equal(value_of("+01:00"), 0);
    assert_int_equal(value_of("0612345678"), 0); /* no country code: any number */
    assert_int_equal(value_of("+1234"), 0);
    assert_int_equal(value_of("+49--151 1234567"), 0);
    assert_int_equal(value_of("+0 123 456 789"), 0);
    /* IP addresses. */
    assert_int_equal(value_of("192.168.1.10"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("8.8.8.8"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("2001:db8::1"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("::1"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("fe80::1ff:fe23:4567:890a"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("2001:0db8:85a3:0000:0000:8a2e:0370:7334"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("::ffff:192.0.2.128"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("256.1.1.1"), 0);
    assert_int_equal(value_of("1.2.3"), 0);
    assert_int_equal(value_of("01.2.3.4"), 0);
    assert_int_equal(value_of("1.2.3.4.5"), 0);
    assert_int_equal(value_of("12:30:45"), 0);          /* a time */
    assert_int_equal(value_of("aa:bb:cc:dd:ee:ff"), 0); /* a MAC address */
    assert_int_equal(value_of("2001:db8:::1"), 0);
    assert_int_equal(value_of("::"), 0);
    /* Coordinates: a pair with four decimals or more. */
    assert_int_equal(value_of("52.370216,4.895168"), AC_DATA_LOCATION);
    assert_int_equal(value_of("-33.8688, 151.2093"), AC_DATA_LOCATION);
    assert_int_equal(value_of("1.5,2.5"), 0);            /* too coarse: any pair of numbers */
    assert_int_equal(value_of("95.12345,200.12345"), 0); /* out of range */
    assert_int_equal(value_of("3.14159265,2.71828182"), AC_DATA_LOCATION); /* in range: a limit */
    /* Words of a text. */
    assert_int_equal(value_of("write to alice@example.com."), AC_DATA_EMAIL);
    assert_int_equal(value_of("client 10.0.0.7 retried"), AC_DATA_IP_ADDRESS);
    assert_int_equal(value_of("version 1.2.3 of 2024-06-01"), 0);
}

static void test_bodies(void **state)
{
    (void)state;
    /* JSON: keys are names, strings and numbers values. */
    assert_int_equal(body_of("{\"user\":{\"email\":\"x\",\"firstName\":\"Al\"}}"),
                     AC_DATA_EMAIL | AC_DATA_NAME);
    assert_int_equal(body_of("{\"to\": \"bob@example.org\", \"n\": 4111111111111111}"),
                     AC_DATA_EMAIL | AC_DATA_PAYMENT_CARD);
    assert_int_equal(body_of("{\"note\": \"say \\\"password\\\": no\"}"), 0);
    /* Form bodies, %40 for '@'. */
    assert_int_equal(body_of("username=alice&password=secret"), AC_DATA_CREDENTIALS);
    assert_int_equal(body_of("to=alice%40example.com&subject=hi"), AC_DATA_EMAIL);
    /* Text with key: value lines. */
    assert_int_equal(body_of("lat: 48.2\nlng: 16.4\n"), AC_DATA_LOCATION);
    /* Nothing sensitive. */
    assert_int_equal(body_of("{\"page\":1,\"items\":[{\"name\":\"kitten\",\"id\":1689428184383}]}"),
                     0);
    assert_int_equal(body_of("kitten OR puppy OR quokka\nresult1:2345"), 0);
    assert_int_equal(body_of(""), 0);
    /* Truncated and unbalanced input is still read to its end. */
    assert_int_equal(body_of("{\"phone\":\"+43"), AC_DATA_PHONE);
    assert_int_equal(body_of("\"\\"), 0);
}

/* Values are found under any key, in every place a body can hold them. */
static void test_bodies_by_value(void **state)
{
    (void)state;
    assert_int_equal(body_of("{\"x\":\"alice@example.com\"}"), AC_DATA_EMAIL);
    assert_int_equal(body_of("{\"a\":[{\"b\":{\"c\":\"note: ask bob@example.org\"}}]}"),
                     AC_DATA_EMAIL);
    assert_int_equal(body_of("{\"ref\":\"4111111111111112\",\"order\":4111111111111112}"), 0);
    assert_int_equal(body_of("{\"ref\":\"4111111111111111\"}"), AC_DATA_PAYMENT_CARD);
    assert_int_equal(body_of("{\"acct\":\"DE89370400440532013000\"}"), AC_DATA_IBAN);
    assert_int_equal(body_of("{\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                             "[4.895168, 52.370216]}}"),
                     AC_DATA_LOCATION | 0u);
    assert_int_equal(body_of("{\"sizes\":[1.5, 2.25], \"ratio\": 0.12345, \"k\": 1.23456}"), 0);
    assert_int_equal(body_of("{\"t\":\"eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjMifQ.\"}"),
                     AC_DATA_CREDENTIALS);
    assert_int_equal(body_of("{\"peer\":\"2001:db8::1\"}"), AC_DATA_IP_ADDRESS);
    /* Form values are percent-decoded. */
    assert_int_equal(body_of("to=%2B31%206%2012345678&x=1"), AC_DATA_PHONE);
    assert_int_equal(body_of("id=12345678Z"), AC_DATA_NATIONAL_ID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),           cmocka_unit_test(test_values),
        cmocka_unit_test(test_value_classes),   cmocka_unit_test(test_bodies),
        cmocka_unit_test(test_bodies_by_value),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
