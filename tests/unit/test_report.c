/* test_report.c - what report writers promise about hostile cells: CSV fields quoted by RFC 4180
 * and formulas defused, report formats chosen by name and by a path's extension. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report.h"
#include "table.h"

#include <stdlib.h>
#include <string.h>

/* The table written as CSV, into a malloc'd string. */
static char *csv_of(const struct ac_table *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(ac_table_write_csv(t, f), AC_OK);
    fclose(f);
    return buf;
}

static void test_csv_fields(void **state)
{
    static const struct ac_table_col cols[] = {
        {"text", AC_COL_TEXT}, {"n", AC_COL_INT}, {"ok", AC_COL_BOOL}, {"json", AC_COL_JSON}};
    static const char *const cells[][4] = {
        {"plain", "1", "1", "[\"a\",\"b\"]"},
        {"a,b", "-2", "0", NULL},
        {"say \"hi\"", NULL, NULL, "{\"k\":1}"},
        {"two\r\nlines", "3", "1", "[]"},
        {"=HYPERLINK(\"http://evil\")", "4", "0", "[]"},
        {"+1", "5", "0", "[]"},
        {"@SUM(A1)", "6", "0", "[]"},
        {"-2+3", "7", "0", "[]"},
    };
    struct ac_table *t = ac__table_new(cols, 4);
    char *csv;
    size_t r, c;

    (void)state;
    assert_non_null(t);
    for (r = 0; r < sizeof(cells) / sizeof(cells[0]); r++) {
        assert_int_equal(ac__table_add_row(t), AC_OK);
        for (c = 0; c < 4; c++)
            if (cells[r][c] != NULL)
                assert_int_equal(ac__table_set(t, c, cells[r][c], strlen(cells[r][c])), AC_OK);
    }
    csv = csv_of(t);
    assert_string_equal(csv, "text,n,ok,json\r\n"
                             "plain,1,true,\"[\"\"a\"\",\"\"b\"\"]\"\r\n"
                             "\"a,b\",-2,false,\r\n"
                             "\"say \"\"hi\"\"\",,,\"{\"\"k\"\":1}\"\r\n"
                             "\"two\r\nlines\",3,true,[]\r\n"
                             "\"'=HYPERLINK(\"\"http://evil\"\")\",4,false,[]\r\n"
                             "'+1,5,false,[]\r\n"
                             "'@SUM(A1),6,false,[]\r\n"
                             "'-2+3,7,false,[]\r\n");
    free(csv);
    ac_table_free(t);
}

static void test_formats(void **state)
{
    enum ac_report_format f;

    (void)state;
    assert_true(ac_report_format_parse("sarif", &f));
    assert_int_equal(f, AC_REPORT_SARIF);
    assert_true(ac_report_format_parse("markdown", &f));
    assert_int_equal(f, AC_REPORT_MD);
    assert_false(ac_report_format_parse("pdf", &f));
    assert_true(ac_report_format_of_path("out/findings.sarif.json", &f));
    assert_int_equal(f, AC_REPORT_SARIF);
    assert_true(ac_report_format_of_path("REPORT.HTML", &f));
    assert_int_equal(f, AC_REPORT_HTML);
    assert_true(ac_report_format_of_path("a.csv", &f));
    assert_int_equal(f, AC_REPORT_CSV);
    assert_true(ac_report_format_of_path("x.json", &f));
    assert_int_equal(f, AC_REPORT_JSON);
    assert_false(ac_report_format_of_path("report.txt", &f));
    assert_false(ac_report_format_of_path("html", &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_formats),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
