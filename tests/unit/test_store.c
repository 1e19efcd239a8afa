/* test_store.c - the store through the public API: import, list, re-import, schema versions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <apicensus/registry.h>
#include <apicensus/store.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dbpath[64];

static int setup(void **state)
{
    int fd;

    (void)state;
    snprintf(dbpath, sizeof(dbpath), "/tmp/ac-test-store-XXXXXX");
    fd = mkstemp(dbpath);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(dbpath); /* let SQLite create it */
    return 0;
}

static int teardown(void **state)
{
    char p[80];

    (void)state;
    unlink(dbpath);
    snprintf(p, sizeof(p), "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", dbpath);
    unlink(p);
    return 0;
}

static void count_event(void *ud, const struct ac_import_event *ev)
{
    int *counts = ud;

    counts[ev->status]++;
}

static void test_import_list_reimport(void **state)
{
    struct ac_store *s = NULL;
    struct ac_table *t = NULL;
    struct ac_diag d;
    int counts[4] = {0, 0, 0, 0};
    struct ac_import_opts o = {"2026-01-01T00:00:00Z", count_event, counts, NULL, NULL};
    size_t tcol, row;
    (void)state;

    assert_int_equal(ac_store_open(dbpath, AC_STORE_CREATE, &s, &d), AC_OK);
    assert_int_equal(ac_import(s, AC_TEST_DATA "/refs/main.yaml", &o, &d), AC_OK);
    assert_int_equal(counts[AC_IMPORT_CHANGED], 1);
    assert_int_equal(ac_list(s, AC_LIST_OPERATIONS, NULL, &t, &d), AC_OK);
    assert_int_equal(ac_table_rows(t), 3);
    tcol = ac_table_col_index(t, "template");
    assert_true(tcol != (size_t)-1);
    for (row = 0; row < 3; row++)
        assert_true(strncmp(ac_table_cell(t, row, tcol), "/api/", 5) == 0);
    ac_table_free(t);
    /* Same content again: nothing written. */
    assert_int_equal(ac_import(s, AC_TEST_DATA "/refs/main.yaml", &o, &d), AC_OK);
    assert_int_equal(counts[AC_IMPORT_UNCHANGED], 1);
    ac_store_close(s);
    /* Reopened, the store still holds it. */
    assert_int_equal(ac_store_open(dbpath, AC_STORE_CREATE, &s, &d), AC_OK);
    assert_int_equal(ac_list(s, AC_LIST_APIS, NULL, &t, &d), AC_OK);
    assert_int_equal(ac_table_rows(t), 1);
    assert_string_equal(ac_table_cell(t, 0, ac_table_col_index(t, "name")), "refs");
    ac_table_free(t);
    ac_store_close(s);
}

static void test_newer_schema_refused(void **state)
{
    struct ac_store *s = NULL;
    struct ac_diag d;
    sqlite3 *db = NULL;
    (void)state;

    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(ac_store_open(dbpath, 0, &s, &d), AC_ESTORE);
    assert_non_null(strstr(d.msg, "upgrade apicensus"));
    assert_null(s);
}

extern const char ac__schema_sql[];

/* A store written by a version-1 apicensus is migrated in place, keeping what it holds. */
static void test_migrates_v1(void **state)
{
    struct ac_store *s = NULL;
    struct ac_table *t = NULL;
    struct ac_diag d;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    (void)state;

    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, ac__schema_sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA user_version = 1;"
                                  "INSERT INTO document (path, kind, sha256, imported_at,"
                                  " changed_at) VALUES ('old.yaml', 'openapi', 'x', 't', 't');"
                                  "INSERT INTO api_decl (document_id, layer, name, line)"
                                  " VALUES (1, 1, 'legacy', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(ac_store_open(dbpath, 0, &s, &d), AC_OK);
    assert_int_equal(ac_list(s, AC_LIST_APIS, NULL, &t, &d), AC_OK);
    assert_int_equal(ac_table_rows(t), 1);
    ac_table_free(t);
    assert_int_equal(ac_list(s, AC_LIST_ENDPOINTS, NULL, &t, &d), AC_OK);
    assert_int_equal(ac_table_rows(t), 0);
    ac_table_free(t);
    ac_store_close(s);
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), ac_store_schema_version());
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_missing_store_not_created(void **state)
{
    struct ac_store *s = NULL;
    struct ac_diag d;
    (void)state;

    assert_int_equal(ac_store_open(dbpath, 0, &s, &d), AC_ENOTFOUND);
    assert_null(s);
    assert_int_equal(access(dbpath, F_OK), -1);
}

static void test_bad_file_keeps_store(void **state)
{
    struct ac_store *s = NULL;
    struct ac_table *t = NULL;
    struct ac_diag d;
    (void)state;

    assert_int_equal(ac_store_open(dbpath, AC_STORE_CREATE, &s, &d), AC_OK);
    assert_int_equal(ac_import(s, AC_TEST_DATA "/refs/main.yaml", NULL, &d), AC_OK);
    assert_int_equal(ac_import(s, AC_TEST_DATA "/bad/missing-ref.yaml", NULL, &d), AC_EREF);
    assert_int_equal(d.line, 7);
    assert_int_equal(ac_list(s, AC_LIST_OPERATIONS, NULL, &t, &d), AC_OK);
    assert_int_equal(ac_table_rows(t), 3);
    ac_table_free(t);
    ac_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_list_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_file_keeps_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_store_not_created, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrates_v1, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
