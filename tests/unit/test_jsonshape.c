/* test_jsonshape.c - JSON body shapes: types, formats and presence per path; required fields;
 * nullable; arrays; depth and field caps; bad JSON adds nothing; merging in any order gives the
 * same shape, and the stored form reads back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "jsonshape.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static struct ac_jshape a, b, c;

static void add(struct ac_jshape *s, const char *json)
{
    assert_true(ac__jshape_add_json(s, json, strlen(json)));
}

static const struct ac_jfield *get(const struct ac_jshape *s, const char *path)
{
    const struct ac_jfield *f = ac__jshape_find(s, path);

    assert_non_null(f);
    return f;
}

static void test_types_and_required(void **state)
{
    (void)state;
    ac__jshape_init(&a);
    add(&a, "{\"id\": 1, \"email\": \"ann@example.com\", \"note\": null, \"tags\": [\"a\"],"
            " \"at\": \"2026-11-22T10:00:00Z\"}");
    add(&a, "{\"id\": 2.5, \"email\": \"bob@example.org\", \"note\": \"x\", \"tags\": [],"
            " \"at\": \"2026-11-22T10:00:00.123+01:00\", \"extra\": true}");
    assert_int_equal(a.samples, 2);
    assert_int_equal(get(&a, "")->nobj, 2);
    assert_int_equal(get(&a, "id")->types, AC_JT_INT | AC_JT_NUM);
    assert_int_equal(get(&a, "id")->n, 2);    /* required: in both objects */
    assert_int_equal(get(&a, "extra")->n, 1); /* optional */
    assert_int_equal(get(&a, "note")->types, AC_JT_NULL | AC_JT_STR); /* nullable string */
    assert_int_equal(get(&a, "email")->fmt & AC_JF_EMAIL, AC_JF_EMAIL);
    assert_int_equal(get(&a, "at")->fmt & AC_JF_DATE_TIME, AC_JF_DATE_TIME);
    assert_int_equal(get(&a, "tags")->types, AC_JT_ARR);
    assert_int_equal(get(&a, "tags[]")->types, AC_JT_STR);
    assert_int_equal(get(&a, "tags[]")->n, 1);
    assert_null(ac__jshape_find(&a, "note.x"));
}

static void test_formats(void **state)
{
    (void)state;
    assert_int_equal(ac__jshape_formats("123e4567-e89b-12d3-a456-426614174000", 36), AC_JF_UUID);
    assert_int_equal(ac__jshape_formats("2024-02-29", 10), AC_JF_DATE);
    assert_int_equal(ac__jshape_formats("https://example.com/a", 21), AC_JF_URI);
    assert_int_equal(ac__jshape_formats("10.0.0.1", 8), AC_JF_IPV4);
    assert_int_equal(ac__jshape_formats("2001:db8::1", 11), AC_JF_IPV6);
    assert_int_equal(ac__jshape_formats("010.0.0.1", 9), 0);
    assert_int_equal(ac__jshape_formats("2024-13-01", 10), 0);
    assert_int_equal(ac__jshape_formats("a@b", 3), 0);
    assert_int_equal(ac__jshape_formats("hello world", 11), 0);
    /* A format holds only when every string value had it. */
    ac__jshape_init(&a);
    add(&a, "{\"u\": \"https:\\/\\/example.com\\/x\"}");
    add(&a, "{\"u\": \"not a uri\"}");
    assert_int_equal(get(&a, "u")->fmt & AC_JF_URI, 0);
}

static void test_bad_json_adds_nothing(void **state)
{
    static const char *const bad[] = {"{\"a\": 1", "{\"a\" 1}", "[1,]", "{\"a\": tru}", "01",
                                      "\"\\x\"",   "{} {}",     "",     "\"a\nb\""};
    size_t i;
    char deep[200];

    (void)state;
    ac__jshape_init(&a);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(ac__jshape_add_json(&a, bad[i], strlen(bad[i])));
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    assert_false(ac__jshape_add_json(&a, deep, sizeof(deep))); /* nesting past 64 */
    assert_int_equal(a.samples, 0);
    assert_int_equal(a.nf, 0);
}

static void test_depth_and_keys(void **state)
{
    (void)state;
    ac__jshape_init(&a);
    add(&a, "{\"a\": {\"b\": {\"c\": {\"d\": {\"e\": 1}}}}, \"we.ird\": 1, \"x\": [[1]]}");
    assert_non_null(ac__jshape_find(&a, "a.b.c.d"));
    assert_null(ac__jshape_find(&a, "a.b.c.d.e")); /* depth 5: not recorded */
    assert_null(ac__jshape_find(&a, "we.ird"));
    assert_int_equal(get(&a, "x[][]")->types, AC_JT_INT);
}

/* 100 keys: the 64 smallest are kept whatever the order of bodies and merges. */
static void test_cap_order_independent(void **state)
{
    char body[4096], *p;
    struct ac_buf buf;
    struct json_object *o;
    int i, k;

    (void)state;
    ac__jshape_init(&a);
    ac__jshape_init(&b);
    ac__jshape_init(&c);
    for (k = 0; k < 2; k++) {
        p = body;
        *p++ = '{';
        for (i = 0; i < 100; i++)
            p += snprintf(p, 32, "%s\"k%03d\":%d", i > 0 ? "," : "", k == 0 ? i : 99 - i, i);
        *p++ = '}';
        *p = '\0';
        add(k == 0 ? &a : &b, body);
        add(&c, body);
    }
    add(&b, "{\"k000\": \"s\", \"z\": 1}");
    add(&c, "{\"k000\": \"s\", \"z\": 1}");
    ac__jshape_merge(&a, &b);
    assert_int_equal(a.nf, AC_JSHAPE_FIELDS);
    assert_int_equal(c.nf, AC_JSHAPE_FIELDS);
    assert_string_equal(a.f[AC_JSHAPE_FIELDS - 1].path, "k062");
    assert_memory_equal(&a, &c, sizeof(a));
    assert_int_equal(get(&a, "k000")->n, 3);
    assert_int_equal(get(&a, "k000")->types, AC_JT_INT | AC_JT_STR);
    ac__buf_init(&buf, 1u << 20);
    assert_int_equal(ac__jshape_to_json(&a, &buf), AC_OK);
    o = json_tokener_parse(ac__buf_str(&buf));
    assert_true(ac__jshape_from_json(&b, o));
    assert_memory_equal(&a, &b, sizeof(a));
    json_object_put(o);
    ac__buf_free(&buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_required),    cmocka_unit_test(test_formats),
        cmocka_unit_test(test_bad_json_adds_nothing), cmocka_unit_test(test_depth_and_keys),
        cmocka_unit_test(test_cap_order_independent),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
