/* test_json_read.c - the JSON reader, the JSON-or-YAML dispatch and the tree accessors.
 *
 * What a user notices: the tree and its positions, exact line:column of every kind of error,
 * escapes and UTF-8 handling, limits that fail cleanly instead of crashing, and truncated files
 * reported as such at their end.
 */
#include "arena.h"
#include "doc.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct ac_arena *arena;
static struct ac_diag diag;

static int setup(void **state)
{
    (void)state;
    arena = ac__arena_new(0);
    return arena == NULL;
}

static int teardown(void **state)
{
    (void)state;
    ac__arena_free(arena);
    arena = NULL;
    return 0;
}

static enum ac_err parse_n(const char *text, size_t len, const struct ac_doc_limits *lim,
                           struct ac_node **root)
{
    ac__arena_reset(arena);
    memset(&diag, 0, sizeof(diag));
    *root = NULL;
    return ac__json_parse(arena, text, len, "t.json", lim, root, &diag);
}

static struct ac_node *parse_ok(const char *text)
{
    struct ac_node *root;
    enum ac_err err = parse_n(text, strlen(text), NULL, &root);

    if (err != AC_OK)
        print_error("unexpected failure on [%s]: %u:%u %s\n", text, diag.line, diag.col, diag.msg);
    assert_int_equal(err, AC_OK);
    assert_non_null(root);
    return root;
}

/* Expect an error with this code, position and message fragment. */
static void expect_err_n(const char *text, size_t len, enum ac_err code, uint32_t line,
                         uint32_t col, const char *fragment)
{
    struct ac_node *root;
    enum ac_err err = parse_n(text, len, NULL, &root);

    if (err != code || diag.line != line || diag.col != col || strstr(diag.msg, fragment) == NULL)
        print_error("input [%.*s]: got %s %u:%u \"%s\", want %s %u:%u \"...%s...\"\n",
                    (int)(len > 80 ? 80 : len), text, ac_errname(err), diag.line, diag.col,
                    diag.msg, ac_errname(code), line, col, fragment);
    assert_int_equal(err, code);
    assert_int_equal(diag.line, line);
    assert_int_equal(diag.col, col);
    assert_non_null(strstr(diag.msg, fragment));
    assert_string_equal(diag.file, "t.json");
    assert_null(root);
}

static void expect_err(const char *text, enum ac_err code, uint32_t line, uint32_t col,
                       const char *fragment)
{
    expect_err_n(text, strlen(text), code, line, col, fragment);
}

static void assert_scalar(const struct ac_node *n, enum ac_scalar_tag tag, const char *text,
                          uint32_t line, uint32_t col)
{
    assert_non_null(n);
    assert_int_equal(n->kind, AC_NODE_SCALAR);
    assert_int_equal(n->tag, tag);
    assert_string_equal(n->str, text);
    assert_int_equal(n->len, strlen(text));
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

static void test_tree_and_positions(void **state)
{
    const char *text = "{\n"
                       "  \"name\": \"pet\",\n"
                       "  \"ids\": [1, -2.5e3, 0],\n"
                       "\t\"ok\": true, \"no\": false,\r\n"
                       "  \"none\": null, \"empty\": {}, \"list\": []\n"
                       "}\n";
    struct ac_node *root, *ids;

    (void)state;
    root = parse_ok(text);
    assert_int_equal(root->kind, AC_NODE_MAP);
    assert_int_equal(root->n, 7);
    assert_int_equal(root->line, 1);
    assert_int_equal(root->col, 1);
    assert_string_equal(root->str, "");
    assert_scalar(ac__node_key(root, 0), AC_TAG_STR, "name", 2, 3);
    assert_scalar(ac__node_val(root, 0), AC_TAG_STR, "pet", 2, 11);
    ids = ac__node_get(root, "ids");
    assert_non_null(ids);
    assert_int_equal(ids->kind, AC_NODE_SEQ);
    assert_int_equal(ids->n, 3);
    assert_int_equal(ids->line, 3);
    assert_int_equal(ids->col, 10);
    assert_scalar(ids->kids[0], AC_TAG_INT, "1", 3, 11);
    assert_scalar(ids->kids[1], AC_TAG_FLOAT, "-2.5e3", 3, 14);
    assert_scalar(ids->kids[2], AC_TAG_INT, "0", 3, 22);
    /* A tab counts as one byte of column. */
    assert_scalar(ac__node_key(root, 2), AC_TAG_STR, "ok", 4, 2);
    assert_scalar(ac__node_val(root, 2), AC_TAG_BOOL, "true", 4, 8);
    assert_scalar(ac__node_val(root, 3), AC_TAG_BOOL, "false", 4, 20);
    assert_scalar(ac__node_val(root, 4), AC_TAG_NULL, "null", 5, 11);
    assert_int_equal(ac__node_get(root, "empty")->kind, AC_NODE_MAP);
    assert_int_equal(ac__node_get(root, "empty")->n, 0);
    assert_null(ac__node_get(root, "empty")->kids);
    assert_int_equal(ac__node_get(root, "list")->kind, AC_NODE_SEQ);
    assert_null(ac__node_get(root, "list")->kids);
}

static void test_scalar_roots(void **state)
{
    struct ac_node *n;

    (void)state;
    assert_scalar(parse_ok("  \"x\"  "), AC_TAG_STR, "x", 1, 3);
    assert_scalar(parse_ok("\n\n 42\n"), AC_TAG_INT, "42", 3, 2);
    assert_scalar(parse_ok("null"), AC_TAG_NULL, "null", 1, 1);
    n = parse_ok("\"\"");
    assert_int_equal(n->len, 0);
    assert_string_equal(n->str, "");
}

static void test_escapes(void **state)
{
    struct ac_node *n;

    (void)state;
    n = parse_ok("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"");
    assert_string_equal(n->str, "q\" b\\ s/ \b\f\n\r\t");
    n = parse_ok("\"\\u0041\\u00e9\\u20AC\\uD83D\\uDE00!\"");
    assert_string_equal(n->str, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80!");
    assert_int_equal(n->len, 1 + 2 + 3 + 4 + 1);
    /* \u0000 is kept: the length says where the string ends. */
    n = parse_ok("[\"a\\u0000b\"]");
    assert_int_equal(n->kids[0]->len, 3);
    assert_memory_equal(n->kids[0]->str, "a\0b", 4);
    /* Escapes in keys too. */
    n = parse_ok("{\"\\u0070ath\": 1}");
    assert_non_null(ac__node_get(n, "path"));
}

static void test_escape_errors(void **state)
{
    (void)state;
    expect_err("[\"ab\\x\"]", AC_ESYNTAX, 1, 5, "invalid escape in string: '\\' followed by 'x'");
    expect_err("[\"\\u12G4\"]", AC_ESYNTAX, 1, 3, "expected four hex digits");
    expect_err("[\"\\uD800\"]", AC_EENCODING, 1, 3, "lone UTF-16 surrogate \\uD800");
    expect_err("[\"x\\uDC00\"]", AC_EENCODING, 1, 4, "lone UTF-16 surrogate \\uDC00");
    expect_err("[\"\\uD800\\u0041\"]", AC_EENCODING, 1, 3, "no low surrogate follows");
    expect_err("[\"\\uDE00\\uD83D\"]", AC_EENCODING, 1, 3, "lone UTF-16 surrogate \\uDE00");
    expect_err("[\"\\uD800x\"]", AC_EENCODING, 1, 3, "lone UTF-16 surrogate");
}

static void test_utf8(void **state)
{
    struct ac_node *n;

    (void)state;
    /* Two-, three- and four-byte characters, and the highest code point, pass unchanged. */
    n = parse_ok("[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"]");
    assert_string_equal(n->kids[0]->str, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
    /* Long runs cross the eight-byte fast path at every alignment. */
    n = parse_ok("[\"abcdefg\xC3\xA9hijklmnopqrstuvwxyz0123456789\xE2\x82\xAC\"]");
    assert_int_equal(n->kids[0]->len, 7 + 2 + 26 - 7 + 10 + 3);

    expect_err("[\"a\xFF\"]", AC_EENCODING, 1, 4, "invalid UTF-8");
    expect_err("[\"0123456789abc\xC0\xAF\"]", AC_EENCODING, 1, 16, "byte 0xC0");
    expect_err("[\"\xED\xA0\x80\"]", AC_EENCODING, 1, 3, "byte 0xED");     /* surrogate */
    expect_err("[\"\xF4\x90\x80\x80\"]", AC_EENCODING, 1, 3, "byte 0xF4"); /* > U+10FFFF */
    expect_err("[\"\xE0\x80\xAF\"]", AC_EENCODING, 1, 3, "byte 0xE0");     /* overlong */
    expect_err("[\"\xC3(\"]", AC_EENCODING, 1, 3, "byte 0xC3");            /* bad trail */
    expect_err("[\"\xE2\x82", AC_EENCODING, 1, 3, "byte 0xE2");            /* cut short */
    expect_err("{\n  \"k\": \"ok\",\n  \"v\": \"\x80\"}", AC_EENCODING, 3, 9, "byte 0x80");
    /* Outside strings: invalid UTF-8 is an encoding error, a valid character a syntax error. */
    expect_err("[1, \xFF]", AC_EENCODING, 1, 5, "byte 0xFF");
    expect_err("[1, \xC3\xA9]", AC_ESYNTAX, 1, 5, "expected a JSON value, found '\xC3\xA9'");
}

static void test_numbers(void **state)
{
    static const char *const ints[] = {"0", "-0", "7", "-12", "9007199254740993123"};
    static const char *const floats[] = {"0.5", "-0.0", "1e5", "1E+5", "-1.25e-10", "10.0E0"};
    struct ac_node *n;
    char buf[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        snprintf(buf, sizeof(buf), "[%s]", ints[i]);
        n = parse_ok(buf);
        assert_scalar(n->kids[0], AC_TAG_INT, ints[i], 1, 2);
    }
    for (i = 0; i < sizeof(floats) / sizeof(floats[0]); i++) {
        snprintf(buf, sizeof(buf), "[%s]", floats[i]);
        n = parse_ok(buf);
        assert_scalar(n->kids[0], AC_TAG_FLOAT, floats[i], 1, 2);
    }
    expect_err("[01]", AC_ESYNTAX, 1, 2, "leading zeros");
    expect_err("[-]", AC_ESYNTAX, 1, 3, "expected a digit after '-', found ']'");
    expect_err("[1.]", AC_ESYNTAX, 1, 4, "expected a digit after the decimal point");
    expect_err("[1.e3]", AC_ESYNTAX, 1, 4, "expected a digit after the decimal point");
    expect_err("[1e]", AC_ESYNTAX, 1, 4, "expected a digit in the exponent");
    expect_err("[1e+]", AC_ESYNTAX, 1, 5, "expected a digit in the exponent");
    expect_err("[.5]", AC_ESYNTAX, 1, 2, "expected a JSON value, found '.5'");
    expect_err("[+1]", AC_ESYNTAX, 1, 2, "expected a JSON value, found '+1'");
    expect_err("[0x1F]", AC_ESYNTAX, 1, 3, "expected ',' or ']' after array element, found 'x1F'");
    expect_err("[NaN]", AC_ESYNTAX, 1, 2, "found 'NaN'");
    expect_err("[-Infinity]", AC_ESYNTAX, 1, 3, "expected a digit after '-', found 'Infinity'");
}

static void test_literals(void **state)
{
    (void)state;
    expect_err("[tru]", AC_ESYNTAX, 1, 2, "expected a JSON value, found 'tru'");
    expect_err("[True]", AC_ESYNTAX, 1, 2, "expected a JSON value, found 'True'");
    expect_err("[nul", AC_ESYNTAX, 1, 5, "unexpected end of input");
    expect_err("[truex]", AC_ESYNTAX, 1, 6, "expected ',' or ']' after array element, found 'x'");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_err("{\"a\": 1 \"b\": 2}", AC_ESYNTAX, 1, 9,
               "expected ',' or '}' after object member, found '\"'");
    expect_err("[1 2]", AC_ESYNTAX, 1, 4, "expected ',' or ']' after array element, found '2'");
    expect_err("[1,]", AC_ESYNTAX, 1, 4, "expected a JSON value, found ']'");
    expect_err("{\"a\":1,}", AC_ESYNTAX, 1, 8,
               "expected an object key (a string in double quotes), found '}'");
    expect_err("{a: 1}", AC_ESYNTAX, 1, 2, "expected an object key");
    expect_err("{'a': 1}", AC_ESYNTAX, 1, 2, "found '''");
    expect_err("{\"a\" 1}", AC_ESYNTAX, 1, 6, "expected ':' after object key, found '1'");
    expect_err("{\"a\": }", AC_ESYNTAX, 1, 7, "expected a JSON value, found '}'");
    expect_err("[}", AC_ESYNTAX, 1, 2, "expected a JSON value, found '}'");
    expect_err("{]", AC_ESYNTAX, 1, 2, "expected an object key");
    expect_err("[1}", AC_ESYNTAX, 1, 3, "expected ',' or ']'");
    expect_err("{} x", AC_ESYNTAX, 1, 4, "expected end of input after the JSON value, found 'x'");
    expect_err("[]\n[]", AC_ESYNTAX, 2, 1, "expected end of input after the JSON value");
    expect_err("[\"a\nb\"]", AC_ESYNTAX, 1, 4, "unescaped newline in string");
    expect_err("[\"a\tb\"]", AC_ESYNTAX, 1, 4, "unescaped control character");
    expect_err("[1, // c\n2]", AC_ESYNTAX, 1, 5, "found '/'");
    expect_err_n("[1,\0 2]", 7, AC_ESYNTAX, 1, 4, "found byte 0x00");
    expect_err("\n\n   {\n  \"x\": [1, 2,, 3]\n}", AC_ESYNTAX, 4, 14,
               "expected a JSON value, found ','");
}

static void test_empty_input(void **state)
{
    (void)state;
    expect_err("", AC_ESYNTAX, 1, 1, "unexpected end of input");
    expect_err(" \n\t ", AC_ESYNTAX, 2, 3, "unexpected end of input");
    expect_err("\xEF\xBB\xBF", AC_ESYNTAX, 1, 1, "unexpected end of input");
}

static void test_bom(void **state)
{
    struct ac_node *root;

    (void)state;
    root = parse_ok("\xEF\xBB\xBF{\"a\": [true]}");
    assert_int_equal(root->col, 1);
    assert_scalar(ac__node_get(root, "a")->kids[0], AC_TAG_BOOL, "true", 1, 8);
    /* Only a leading BOM is skipped. */
    expect_err("[1, \xEF\xBB\xBF 2]", AC_ESYNTAX, 1, 5, "found '\xEF\xBB\xBF'");
}

/* Every strict prefix of a document is reported as truncated, at its own end. */
static void test_truncated_prefixes(void **state)
{
    const char *doc = "{\n"
                      "  \"s\": \"x\\\"y\\u00e9\\uD83D\\uDE00\\\\\",\n"
                      "  \"n\": [-12.5e+3, 0, true, false, null],\n"
                      "  \"o\": {\"k\": {}}\n"
                      "}";
    size_t len = strlen(doc), cut, i;

    (void)state;
    for (cut = 0; cut < len; cut++) {
        uint32_t line = 1, col = 1;

        for (i = 0; i < cut; i++) {
            col++;
            if (doc[i] == '\n') {
                line++;
                col = 1;
            }
        }
        expect_err_n(doc, cut, AC_ESYNTAX, line, col, "unexpected end of input");
    }
    parse_ok(doc);
    expect_err_n(doc, 30, AC_ESYNTAX, 2, 29, "unterminated string starting at line 2, column 8");
    expect_err_n(doc, 2, AC_ESYNTAX, 2, 1, "unterminated object starting at line 1, column 1");
}

static void test_depth_limit(void **state)
{
    struct ac_doc_limits lim;
    struct ac_node *root;
    size_t n = 100000, i;
    char *text = malloc(2 * n);

    (void)state;
    assert_non_null(text);
    memset(text, '[', n);
    memset(text + n, ']', n);
    /* 100000 levels: a clean limit error at the 1001st bracket, not a stack overflow. */
    expect_err_n(text, 2 * n, AC_ELIMIT, 1, 1001, "nesting deeper than 1000 levels");
    /* Exactly the limit is fine. */
    assert_int_equal(parse_n(text + n - 1000, 2000, NULL, &root), AC_OK);
    for (i = 0; i < 999; i++)
        root = root->kids[0];
    assert_int_equal(root->kind, AC_NODE_SEQ);
    assert_int_equal(root->n, 0);
    ac__doc_limits_default(&lim);
    lim.max_depth = 3;
    assert_int_equal(parse_n("[{\"a\": [1]}]", 12, &lim, &root), AC_OK);
    assert_int_equal(parse_n("[{\"a\": [[1]]}]", 14, &lim, &root), AC_ELIMIT);
    assert_int_equal(diag.col, 9);
    free(text);
}

static void test_scalar_limit(void **state)
{
    size_t n = 20u * 1024u * 1024u;
    char *text = malloc(n + 4);
    struct ac_doc_limits lim;
    struct ac_node *root;

    (void)state;
    assert_non_null(text);
    text[0] = '[';
    text[1] = '"';
    memset(text + 2, 'a', n);
    text[n + 2] = '"';
    text[n + 3] = ']';
    expect_err_n(text, n + 4, AC_ELIMIT, 1, 2, "string longer than the limit of 4194304 bytes");
    free(text);

    ac__doc_limits_default(&lim);
    lim.max_scalar = 5;
    assert_int_equal(parse_n("[\"abcde\"]", 9, &lim, &root), AC_OK);
    assert_int_equal(parse_n("[\"abcdef\"]", 10, &lim, &root), AC_ELIMIT);
    /* The decoded length counts, not the escaped one. */
    assert_int_equal(parse_n("[\"\\u0041\\u0042\\u0043\\u0044\\u0045\"]", 34, &lim, &root), AC_OK);
    assert_int_equal(parse_n("[123456]", 8, &lim, &root), AC_ELIMIT);
    assert_non_null(strstr(diag.msg, "number longer"));
}

static void test_node_and_byte_limits(void **state)
{
    struct ac_doc_limits lim;
    struct ac_node *root;

    (void)state;
    ac__doc_limits_default(&lim);
    lim.max_nodes = 3;
    assert_int_equal(parse_n("[1, 2]", 6, &lim, &root), AC_OK);
    assert_int_equal(parse_n("[1, 2, 3]", 9, &lim, &root), AC_ELIMIT);
    assert_int_equal(diag.line, 1);
    assert_int_equal(diag.col, 8);
    assert_non_null(strstr(diag.msg, "more than 3 nodes"));

    ac__doc_limits_default(&lim);
    lim.max_bytes = 8;
    assert_int_equal(parse_n("[1,2,3]", 7, &lim, &root), AC_OK);
    assert_int_equal(parse_n("[1,\n2,3,4]", 10, &lim, &root), AC_ELIMIT);
    assert_non_null(strstr(diag.msg, "exceeds the limit of 8 bytes"));
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.col, 5);
}

static void test_arena_cap(void **state)
{
    struct ac_arena *small = ac__arena_new(4096);
    struct ac_node *root = NULL;
    struct ac_diag d;
    char text[8192];
    size_t i, len = 0;

    (void)state;
    assert_non_null(small);
    text[len++] = '[';
    for (i = 0; i < 2000; i++) {
        text[len++] = '1';
        text[len++] = ',';
    }
    text[len - 1] = ']';
    assert_int_equal(ac__json_parse(small, text, len, "t.json", NULL, &root, &d), AC_ELIMIT);
    assert_null(root);
    assert_non_null(strstr(d.msg, "more memory"));
    ac__arena_free(small);
}

static void test_big_containers(void **state)
{
    size_t n = 300000, i, len = 0;
    char *text = malloc(n * 24 + 16);
    struct ac_node *root;

    (void)state;
    assert_non_null(text);
    text[len++] = '{';
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, 24, "\"%zu\":[%zu],", i, i);
    text[len - 1] = '}';
    assert_int_equal(parse_n(text, len, NULL, &root), AC_OK);
    assert_int_equal(root->n, n);
    assert_string_equal(ac__node_key(root, (uint32_t)(n - 1))->str, "299999");
    assert_string_equal(ac__node_get(root, "123456")->kids[0]->str, "123456");
    free(text);
}

static void test_duplicate_keys_kept(void **state)
{
    struct ac_node *root;

    (void)state;
    root = parse_ok("{\"a\": 1, \"a\": 2}");
    assert_int_equal(root->n, 2);
    assert_string_equal(ac__node_get(root, "a")->str, "1");
    assert_string_equal(ac__node_val(root, 1)->str, "2");
}

static void test_accessors(void **state)
{
    struct ac_node *root;

    (void)state;
    root = parse_ok("{\"t\": true, \"s\": \"True\", \"y\": \"yes\", \"f\": false, \"z\": 0,"
                    " \"k\\u0000x\": 1, \"m\": {\"inner\": [1]}}");
    assert_true(ac__node_true(ac__node_get(root, "t")));
    assert_true(ac__node_true(ac__node_get(root, "s")));
    assert_false(ac__node_true(ac__node_get(root, "y")));
    assert_false(ac__node_true(ac__node_get(root, "f")));
    assert_false(ac__node_true(ac__node_get(root, "z")));
    assert_false(ac__node_true(ac__node_get(root, "m")));
    assert_false(ac__node_true(NULL));
    /* A key with a NUL in it is not found by its prefix. */
    assert_null(ac__node_get(root, "k"));
    assert_null(ac__node_get(ac__node_get(root, "nope"), "x"));
    assert_null(ac__node_get(ac__node_get(root, "t"), "x"));
    assert_non_null(ac__node_get(ac__node_get(root, "m"), "inner"));
    assert_null(ac__node_key(root, root->n));
    assert_null(ac__node_val(NULL, 0));
    assert_null(ac__node_key(ac__node_get(ac__node_get(root, "m"), "inner"), 0));
    assert_string_equal(ac__node_str(ac__node_key(root, 1)), "s");
    assert_null(ac__node_str(ac__node_get(root, "m")));
    assert_null(ac__node_str(NULL));
    assert_true(ac__node_is(ac__node_get(root, "s"), "True"));
    assert_false(ac__node_is(ac__node_get(root, "s"), "Tru"));
    assert_false(ac__node_is(ac__node_get(root, "m"), ""));
    assert_false(ac__node_is(NULL, "x"));
}

static void test_doc_parse_dispatch(void **state)
{
    const char *json = "\xEF\xBB\xBF \r\n\t[{\"a\": 1}]";
    const char *yaml = "a: [1, 2]\n---\nb: 2\n";
    struct ac_node **docs = NULL;
    struct ac_diag d;
    size_t ndocs = 0;

    (void)state;
    ac__arena_reset(arena);
    assert_int_equal(ac__doc_parse(arena, json, strlen(json), "x", NULL, &docs, &ndocs, &d), AC_OK);
    assert_int_equal(ndocs, 1);
    assert_int_equal(docs[0]->kind, AC_NODE_SEQ);
    assert_int_equal(docs[0]->line, 2);
    assert_int_equal(docs[0]->col, 2);
    assert_int_equal(ac__doc_parse(arena, yaml, strlen(yaml), "x", NULL, &docs, &ndocs, &d), AC_OK);
    assert_int_equal(ndocs, 2);
    assert_int_equal(ac__node_get(docs[0], "a")->n, 2);
    /* A JSON-looking document with a JSON mistake gets the JSON diagnostic, not a YAML retry. */
    assert_int_equal(ac__doc_parse(arena, "{\"a\": 1,}", 9, "x", NULL, &docs, &ndocs, &d),
                     AC_ESYNTAX);
    assert_int_equal(d.col, 9);
    assert_non_null(strstr(d.msg, "expected an object key"));
    /* Empty input is an empty YAML stream. */
    assert_int_equal(ac__doc_parse(arena, "", 0, "x", NULL, &docs, &ndocs, &d), AC_OK);
    assert_int_equal(ndocs, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions),
        cmocka_unit_test(test_scalar_roots),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_escape_errors),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_truncated_prefixes),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_scalar_limit),
        cmocka_unit_test(test_node_and_byte_limits),
        cmocka_unit_test(test_arena_cap),
        cmocka_unit_test(test_big_containers),
        cmocka_unit_test(test_duplicate_keys_kept),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_doc_parse_dispatch),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
