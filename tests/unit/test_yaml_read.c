/* test_yaml_read.c - the YAML reader, and both readers against real third-party specs.
 *
 * What a user notices: multi-document streams, 1-based positions, core-schema typing of plain
 * scalars, anchors shared rather than copied, a "billion laughs" document refused at once,
 * libyaml's syntax and encoding errors with their position, limits that fail cleanly, and every
 * real spec in the shared data parsing - with the JSON and YAML editions of one document giving
 * the same tree.
 */
#include "arena.h"
#include "doc.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

static struct ac_arena *arena;
static struct ac_diag diag;
static struct ac_node **docs;
static size_t ndocs;

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

static enum ac_err parse_n(const char *text, size_t len, const struct ac_doc_limits *lim)
{
    ac__arena_reset(arena);
    memset(&diag, 0, sizeof(diag));
    docs = NULL;
    ndocs = 0;
    return ac__yaml_parse(arena, text, len, "t.yaml", lim, &docs, &ndocs, &diag);
}

/* Parse a one-document stream and return its root. */
static struct ac_node *parse_ok(const char *text)
{
    enum ac_err err = parse_n(text, strlen(text), NULL);

    if (err != AC_OK)
        print_error("unexpected failure on [%s]: %u:%u %s\n", text, diag.line, diag.col, diag.msg);
    assert_int_equal(err, AC_OK);
    assert_int_equal(ndocs, 1);
    return docs[0];
}

static void expect_err(const char *text, enum ac_err code, uint32_t line, uint32_t col,
                       const char *fragment)
{
    enum ac_err err = parse_n(text, strlen(text), NULL);

    if (err != code || diag.line != line || diag.col != col || strstr(diag.msg, fragment) == NULL)
        print_error("input [%s]: got %s %u:%u \"%s\", want %s %u:%u \"...%s...\"\n", text,
                    ac_errname(err), diag.line, diag.col, diag.msg, ac_errname(code), line, col,
                    fragment);
    assert_int_equal(err, code);
    assert_int_equal(diag.line, line);
    assert_int_equal(diag.col, col);
    assert_non_null(strstr(diag.msg, fragment));
    assert_string_equal(diag.file, "t.yaml");
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
    struct ac_node *root, *tags;

    (void)state;
    root = parse_ok("# comment\n"
                    "info:\n"
                    "  title: Pets\n"
                    "tags: [a, 'b c']\n"
                    "paths:\n"
                    "  - /pets\n"
                    "  -   {get: x}\n");
    assert_int_equal(root->kind, AC_NODE_MAP);
    assert_int_equal(root->n, 3);
    assert_int_equal(root->line, 2);
    assert_int_equal(root->col, 1);
    assert_scalar(ac__node_key(root, 0), AC_TAG_STR, "info", 2, 1);
    assert_scalar(ac__node_get(ac__node_get(root, "info"), "title"), AC_TAG_STR, "Pets", 3, 10);
    tags = ac__node_get(root, "tags");
    assert_int_equal(tags->kind, AC_NODE_SEQ);
    assert_int_equal(tags->line, 4);
    assert_int_equal(tags->col, 7);
    assert_scalar(tags->kids[1], AC_TAG_STR, "b c", 4, 11);
    assert_scalar(ac__node_get(root, "paths")->kids[0], AC_TAG_STR, "/pets", 6, 5);
    assert_int_equal(ac__node_get(root, "paths")->kids[1]->col, 7);
}

static void test_multi_document(void **state)
{
    (void)state;
    assert_int_equal(parse_n("a: 1\n---\n- x\n...\n--- |\n  text\n", 30, NULL), AC_OK);
    assert_int_equal(ndocs, 3);
    assert_int_equal(docs[0]->kind, AC_NODE_MAP);
    assert_int_equal(docs[1]->kind, AC_NODE_SEQ);
    assert_int_equal(docs[1]->line, 3);
    assert_scalar(docs[2], AC_TAG_STR, "text\n", 5, 5);
    /* Empty stream, comments only: no documents. */
    assert_int_equal(parse_n("", 0, NULL), AC_OK);
    assert_int_equal(ndocs, 0);
    assert_null(docs);
    assert_int_equal(parse_n("# nothing\n\n", 11, NULL), AC_OK);
    assert_int_equal(ndocs, 0);
    /* Empty documents are null scalars. */
    assert_int_equal(parse_n("---\n---\n", 8, NULL), AC_OK);
    assert_int_equal(ndocs, 2);
    assert_int_equal(docs[0]->kind, AC_NODE_SCALAR);
    assert_int_equal(docs[0]->tag, AC_TAG_NULL);
    assert_int_equal(docs[1]->tag, AC_TAG_NULL);
}

struct tag_case {
    const char *text;
    enum ac_scalar_tag tag;
};

static void test_core_schema(void **state)
{
    static const struct tag_case cases[] = {
        {"~", AC_TAG_NULL},      {"null", AC_TAG_NULL},    {"Null", AC_TAG_NULL},
        {"NULL", AC_TAG_NULL},   {"nULL", AC_TAG_STR},     {"true", AC_TAG_BOOL},
        {"True", AC_TAG_BOOL},   {"TRUE", AC_TAG_BOOL},    {"false", AC_TAG_BOOL},
        {"FALSE", AC_TAG_BOOL},  {"yes", AC_TAG_STR},      {"on", AC_TAG_STR},
        {"tRUE", AC_TAG_STR},    {"0", AC_TAG_INT},        {"-12", AC_TAG_INT},
        {"+3", AC_TAG_INT},      {"012", AC_TAG_INT},      {"0o17", AC_TAG_INT},
        {"0x1F", AC_TAG_INT},    {"0xZ", AC_TAG_STR},      {"0o8", AC_TAG_STR},
        {"1_000", AC_TAG_STR},   {"1.5", AC_TAG_FLOAT},    {".5", AC_TAG_FLOAT},
        {"1.", AC_TAG_FLOAT},    {"-.5e-3", AC_TAG_FLOAT}, {"1e3", AC_TAG_FLOAT},
        {"1.e2", AC_TAG_FLOAT},  {".inf", AC_TAG_FLOAT},   {"-.Inf", AC_TAG_FLOAT},
        {"+.INF", AC_TAG_FLOAT}, {".nan", AC_TAG_FLOAT},   {".NaN", AC_TAG_FLOAT},
        {"-.nan", AC_TAG_STR},   {"inf", AC_TAG_STR},      {".", AC_TAG_STR},
        {"-1-", AC_TAG_STR},     {"1e", AC_TAG_STR},       {"1.2.3", AC_TAG_STR},
        {"v1", AC_TAG_STR},      {"200", AC_TAG_INT},      {"2024-01-01", AC_TAG_STR},
    };
    char buf[64];
    size_t i;
    struct ac_node *root;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(buf, sizeof(buf), "k: %s\n", cases[i].text);
        root = parse_ok(buf);
        if (ac__node_val(root, 0)->tag != cases[i].tag)
            print_error("plain scalar '%s'\n", cases[i].text);
        assert_scalar(ac__node_val(root, 0), cases[i].tag, cases[i].text, 1, 4);
        /* Every quoted form is a string. */
        snprintf(buf, sizeof(buf), "k: \"%s\"\n", cases[i].text);
        assert_int_equal(ac__node_val(parse_ok(buf), 0)->tag, AC_TAG_STR);
        snprintf(buf, sizeof(buf), "k: '%s'\n", cases[i].text);
        assert_int_equal(ac__node_val(parse_ok(buf), 0)->tag, AC_TAG_STR);
    }
    /* An empty value is null; literal and folded blocks are strings. */
    root = parse_ok("a:\nb: |\n  12\nc: >-\n  true\n");
    assert_scalar(ac__node_get(root, "a"), AC_TAG_NULL, "", 1, 3);
    assert_int_equal(ac__node_get(root, "b")->tag, AC_TAG_STR);
    assert_string_equal(ac__node_get(root, "b")->str, "12\n");
    assert_scalar(ac__node_get(root, "c"), AC_TAG_STR, "true", 4, 4);
    /* Explicit standard tags are honoured when the text fits them. */
    root = parse_ok("[!!str 5, !!int \"7\", !!int x, !!float 1, !!bool true, !custom 3]");
    assert_int_equal(root->kids[0]->tag, AC_TAG_STR);
    assert_int_equal(root->kids[1]->tag, AC_TAG_INT);
    assert_int_equal(root->kids[2]->tag, AC_TAG_STR);
    assert_int_equal(root->kids[3]->tag, AC_TAG_FLOAT);
    assert_int_equal(root->kids[4]->tag, AC_TAG_BOOL);
    assert_int_equal(root->kids[5]->tag, AC_TAG_INT);
}

static void test_truth(void **state)
{
    struct ac_node *root;

    (void)state;
    root = parse_ok("{a: true, b: True, c: 'TRUE', d: false, e: yes, f: 1}");
    assert_true(ac__node_true(ac__node_get(root, "a")));
    assert_true(ac__node_true(ac__node_get(root, "b")));
    assert_true(ac__node_true(ac__node_get(root, "c")));
    assert_false(ac__node_true(ac__node_get(root, "d")));
    assert_false(ac__node_true(ac__node_get(root, "e"))); /* a string in YAML 1.2 */
    assert_false(ac__node_true(ac__node_get(root, "f")));
}

static void test_anchors_shared(void **state)
{
    struct ac_node *root, *a;

    (void)state;
    root = parse_ok("base: &b {type: string, enum: [x, y]}\n"
                    "one: *b\n"
                    "two: *b\n"
                    "s: &s word\n"
                    "t: *s\n");
    a = ac__node_get(root, "base");
    assert_int_equal(a->kind, AC_NODE_MAP);
    assert_ptr_equal(ac__node_get(root, "one"), a);
    assert_ptr_equal(ac__node_get(root, "two"), a);
    assert_ptr_equal(ac__node_get(root, "t"), ac__node_get(root, "s"));
    /* A node's position is that of its first property (the anchor). */
    assert_int_equal(a->line, 1);
    assert_int_equal(a->col, 7);
    /* A redefined anchor: later aliases see the latest definition. */
    root = parse_ok("- &x 1\n- *x\n- &x 2\n- *x\n");
    assert_ptr_equal(root->kids[1], root->kids[0]);
    assert_ptr_equal(root->kids[3], root->kids[2]);
    /* Alias as a key, merge keys kept as they are. */
    root = parse_ok("- &k name\n- {*k : v, <<: {m: 1}}\n");
    assert_ptr_equal(ac__node_key(root->kids[1], 0), root->kids[0]);
    assert_non_null(ac__node_get(root->kids[1], "<<"));
}

static void test_alias_errors(void **state)
{
    (void)state;
    expect_err("a: *nope\n", AC_ESYNTAX, 1, 4, "unknown alias '*nope'");
    expect_err("a: &a [1, *a]\n", AC_ESYNTAX, 1, 11, "refers to a node that contains it");
    /* Anchors do not cross documents. */
    expect_err("a: &x 1\n---\nb: *x\n", AC_ESYNTAX, 3, 4, "unknown alias '*x'");
}

/* Length of the first k lines of text. */
static size_t lines_len(const char *text, int k)
{
    const char *p = text;

    while (k-- > 0 && (p = strchr(p, '\n')) != NULL)
        p++;
    return p != NULL ? (size_t)(p - text) : strlen(text);
}

static void test_billion_laughs(void **state)
{
    const char *bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    struct ac_doc_limits lim;
    clock_t t0 = clock();

    (void)state;
    expect_err(bomb, AC_ELIMIT, 7, 8,
               "YAML alias expansion exceeds 1000000 nodes (a 'billion laughs' document?)");
    assert_true(clock() - t0 < CLOCKS_PER_SEC);
    assert_true(ac__arena_used(arena) < 1024 * 1024);
    /* The same shape, small enough, is fine: aliases are shared, not copied. */
    assert_int_equal(parse_n(bomb, lines_len(bomb, 4), NULL), AC_OK);
    assert_ptr_equal(ac__node_get(docs[0], "d")->kids[8], ac__node_get(docs[0], "c"));
    /* The cap is the caller's. */
    ac__doc_limits_default(&lim);
    lim.max_alias_nodes = 90; /* b expands to 9 x 10 nodes */
    assert_int_equal(parse_n(bomb, lines_len(bomb, 2), &lim), AC_OK);
    assert_int_equal(parse_n(bomb, lines_len(bomb, 3), &lim), AC_ELIMIT);
    assert_int_equal(diag.line, 3);
    assert_int_equal(diag.col, 8);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_err("a: [1, 2\nb: 3\n", AC_ESYNTAX, 2, 2,
               "did not find expected ',' or ']' (while parsing a flow sequence at line 1, "
               "column 4)");
    expect_err("a: b: c\n", AC_ESYNTAX, 1, 5, "mapping values are not allowed in this context");
    expect_err("a:\n  - 1\n - 2\n", AC_ESYNTAX, 3, 2, "did not find expected key");
    expect_err("a: \"open\n", AC_ESYNTAX, 2, 1, "found unexpected end of stream");
    expect_err("? [a, b]\n: c\n", AC_ESYNTAX, 1, 3, "a mapping key must be a scalar");
    expect_err("k: \"\x01\"\n", AC_ESYNTAX, 1, 5, "control characters are not allowed");
}

static void test_encoding_errors(void **state)
{
    (void)state;
    expect_err("a: \"\xFF\"\n", AC_EENCODING, 1, 5, "invalid leading UTF-8 octet");
    expect_err("a: 1\nb: x\xC3(\n", AC_EENCODING, 2, 6, "UTF-8");
    expect_err("a: 1\nb: \xED\xA0\x80\n", AC_EENCODING, 2, 4, "");
    /* A BOM is fine, valid UTF-8 is kept as is. */
    assert_string_equal(ac__node_get(parse_ok("\xEF\xBB\xBF"
                                              "a: \xC3\xA9\n"),
                                     "a")
                            ->str,
                        "\xC3\xA9");
}

static void test_limits(void **state)
{
    size_t n = 100000, big = 20u * 1024u * 1024u;
    char *text = malloc(big + 8);
    struct ac_doc_limits lim;
    size_t i;

    (void)state;
    assert_non_null(text);
    memset(text, '[', n);
    text[n] = '\0';
    expect_err(text, AC_ELIMIT, 1, 1001, "nesting deeper than 1000 levels");
    /* Block nesting counts the same. */
    {
        size_t len = 0;

        for (i = 0; i < 1200 && len + 4 < big; i++)
            len += (size_t)snprintf(text + len, 8, "- ");
        text[len++] = 'x';
        text[len] = '\0';
        assert_int_equal(parse_n(text, len, NULL), AC_ELIMIT);
    }
    memcpy(text, "k: ", 3);
    memset(text + 3, 'a', big);
    text[big + 3] = '\0';
    expect_err(text, AC_ELIMIT, 1, 4, "scalar longer than the limit of 4194304 bytes");
    free(text);

    ac__doc_limits_default(&lim);
    lim.max_nodes = 4;
    assert_int_equal(parse_n("a: [1]", 6, &lim), AC_OK);
    assert_int_equal(parse_n("a: [1, 2]", 9, &lim), AC_ELIMIT);
    assert_int_equal(diag.col, 8);
    ac__doc_limits_default(&lim);
    lim.max_bytes = 5;
    assert_int_equal(parse_n("a: 1\nb: 2", 9, &lim), AC_ELIMIT);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.col, 1);
    ac__doc_limits_default(&lim);
    lim.max_depth = 2;
    assert_int_equal(parse_n("a: {b: 1}", 9, &lim), AC_OK);
    assert_int_equal(parse_n("a: {b: [1]}", 11, &lim), AC_ELIMIT);
    assert_int_equal(diag.col, 8);
}

/* Aliases cannot make the tree, as walked, nest deeper than the limit: walkers may recurse. */
static void test_alias_depth(void **state)
{
    struct ac_doc_limits lim;
    char text[8192];
    size_t len = 0;
    int i, j;

    (void)state;
    ac__doc_limits_default(&lim);
    lim.max_depth = 3;
    assert_int_equal(parse_n("a: &a [[1]]\nb: *a\n", 18, &lim), AC_OK);
    assert_int_equal(parse_n("a: &a [[1]]\nb: [*a]\n", 20, &lim), AC_ELIMIT);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.col, 5);
    assert_non_null(strstr(diag.msg, "nesting deeper than 3 levels through alias '*a'"));
    /* A chain of anchors, each nesting the previous one 100 levels deeper. */
    for (i = 0; i < 20; i++) {
        len += (size_t)snprintf(text + len, sizeof(text) - len, "- &a%d ", i);
        for (j = 0; j < 100; j++)
            text[len++] = '[';
        if (i > 0)
            len += (size_t)snprintf(text + len, sizeof(text) - len, "*a%d", i - 1);
        for (j = 0; j < 100; j++)
            text[len++] = ']';
        text[len++] = '\n';
    }
    assert_int_equal(parse_n(text, len, NULL), AC_ELIMIT);
    assert_int_equal(diag.line, 10);
    assert_non_null(strstr(diag.msg, "through alias '*a8'"));
}

static void test_duplicate_keys_kept(void **state)
{
    struct ac_node *root;

    (void)state;
    root = parse_ok("a: 1\na: 2\n");
    assert_int_equal(root->n, 2);
    assert_string_equal(ac__node_get(root, "a")->str, "1");
}

/* --- real specs ------------------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        } else if (buf != NULL) {
            *len = (size_t)size;
        }
    }
    fclose(f);
    return buf;
}

static void parse_file(const char *path, struct ac_node **root)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    enum ac_err err;

    assert_non_null(text);
    err = ac__doc_parse(arena, text, len, path, NULL, &docs, &ndocs, &diag);
    if (err != AC_OK)
        print_error("%s:%u:%u: %s\n", path, diag.line, diag.col, diag.msg);
    assert_int_equal(err, AC_OK);
    assert_int_equal(ndocs, 1);
    assert_int_equal(docs[0]->kind, AC_NODE_MAP);
    *root = docs[0];
    free(text);
}

/* Nodes in the tree with aliases expanded; every node has a position. */
static size_t count_nodes(const struct ac_node *n)
{
    size_t c = 1, i, k = n->kind == AC_NODE_MAP ? 2u * n->n : n->n;

    assert_true(n->line >= 1 && n->col >= 1);
    if (n->kind == AC_NODE_SCALAR) {
        assert_int_equal(n->str[n->len], '\0');
        return 1;
    }
    for (i = 0; i < k; i++)
        c += count_nodes(n->kids[i]);
    return c;
}

/* Structural comparison: kinds, sizes and keys must be equal; returns the number of scalar values
 * whose text differs (tags are ignored: a YAML int 200 and a JSON "200" are the same text), or
 * SIZE_MAX at the first structural difference. Differences are reported. */
static size_t tree_diffs(const struct ac_node *x, const struct ac_node *y, bool is_key)
{
    size_t i, k, sub, diffs = 0;

    if (x->kind != y->kind || x->n != y->n) {
        print_error("shapes differ at json %u:%u vs yaml %u:%u\n", x->line, x->col, y->line,
                    y->col);
        return SIZE_MAX;
    }
    if (x->kind == AC_NODE_SCALAR) {
        if (x->len == y->len && memcmp(x->str, y->str, x->len) == 0)
            return 0;
        print_message("%s differs: json %u:%u '%.40s' vs yaml %u:%u '%.40s'\n",
                      is_key ? "key" : "value", x->line, x->col, x->str, y->line, y->col, y->str);
        return is_key ? SIZE_MAX : 1;
    }
    k = x->kind == AC_NODE_MAP ? 2u * x->n : x->n;
    for (i = 0; i < k; i++) {
        sub = tree_diffs(x->kids[i], y->kids[i], x->kind == AC_NODE_MAP && i % 2u == 0);
        if (sub == SIZE_MAX)
            return SIZE_MAX;
        diffs += sub;
    }
    return diffs;
}

static void walk_specs(const char *dir, int *files)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char path[4096];
    struct stat st;
    struct ac_node *root;

    assert_non_null(dp);
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        assert_int_equal(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            walk_specs(path, files);
            continue;
        }
        ac__arena_reset(arena);
        parse_file(path, &root);
        assert_true(count_nodes(root) > 10);
        (*files)++;
    }
    closedir(dp);
}

static void test_real_specs_parse(void **state)
{
    char dir[4096];
    struct stat st;
    int files = 0;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/specs", AC_SHARED_DATA);
    if (stat(dir, &st) != 0) {
        print_message("no shared specs at %s, skipping\n", dir);
        skip();
    }
    walk_specs(dir, &files);
    assert_true(files >= 10);
}

static void test_json_yaml_twins(void **state)
{
    static const char *const versions[] = {"2.0", "3.0", "3.1"};
    char jdir[2048], jpath[4096], ypath[4096];
    struct ac_node *jroot, *yroot;
    struct dirent *e;
    struct stat st;
    size_t i, n;
    int pairs = 0;
    DIR *dp;

    (void)state;
    snprintf(jdir, sizeof(jdir), "%s/specs/readme-oas-examples", AC_SHARED_DATA);
    if (stat(jdir, &st) != 0) {
        print_message("no shared specs at %s, skipping\n", jdir);
        skip();
    }
    for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        snprintf(jdir, sizeof(jdir), "%s/specs/readme-oas-examples/%s/json", AC_SHARED_DATA,
                 versions[i]);
        dp = opendir(jdir);
        if (dp == NULL)
            continue;
        while ((e = readdir(dp)) != NULL) {
            n = strlen(e->d_name);
            if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
                continue;
            snprintf(jpath, sizeof(jpath), "%s/%s", jdir, e->d_name);
            snprintf(ypath, sizeof(ypath), "%s/specs/readme-oas-examples/%s/yaml/%.*s.yaml",
                     AC_SHARED_DATA, versions[i], (int)(n - 5), e->d_name);
            if (stat(ypath, &st) != 0)
                continue;
            ac__arena_reset(arena);
            parse_file(jpath, &jroot);
            parse_file(ypath, &yroot);
            assert_int_equal(count_nodes(jroot), count_nodes(yroot));
            /* The YAML edition of train-travel (as published) writes three descriptions as plain
             * scalars containing a literal backslash-n where the JSON has a newline escape: the
             * difference is in the data, and both readers read what is written. */
            assert_int_equal(tree_diffs(jroot, yroot, false),
                             strcmp(e->d_name, "train-travel.json") == 0 ? 3 : 0);
            pairs++;
        }
        closedir(dp);
    }
    assert_true(pairs >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions), cmocka_unit_test(test_multi_document),
        cmocka_unit_test(test_core_schema),        cmocka_unit_test(test_truth),
        cmocka_unit_test(test_anchors_shared),     cmocka_unit_test(test_alias_errors),
        cmocka_unit_test(test_billion_laughs),     cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_encoding_errors),    cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alias_depth),        cmocka_unit_test(test_duplicate_keys_kept),
        cmocka_unit_test(test_real_specs_parse),   cmocka_unit_test(test_json_yaml_twins),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
