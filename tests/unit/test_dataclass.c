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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_bodies),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
