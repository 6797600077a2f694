/* test_fileio.c - atomic writes and bounded reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "reluvet/fileio.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rv_fileio_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void round_trip_replaces_whole_file(void **state)
{
    (void)state;
    char path[128], *buf = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/a.json", dir);
    assert_int_equal(rv_write_file_atomic(path, "first version", 13, NULL), RV_OK);
    assert_int_equal(rv_write_file_atomic(path, "2nd", 3, NULL), RV_OK);
    assert_int_equal(rv_read_file(path, 100, &buf, &len, NULL), RV_OK);
    assert_int_equal(len, 3);
    assert_string_equal(buf, "2nd");
    free(buf);
    /* no temporary file is left behind */
    char cmd[160];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp", dir);
    assert_int_not_equal(system(cmd), 0);
}

static void oversized_and_missing_files_are_rejected(void **state)
{
    (void)state;
    char path[128], *buf = (char *)1;
    size_t len = 7;
    rv_error err = {0};
    snprintf(path, sizeof path, "%s/big", dir);
    assert_int_equal(rv_write_file_atomic(path, "0123456789", 10, NULL), RV_OK);
    assert_int_equal(rv_read_file(path, 9, &buf, &len, &err), RV_ERR_FORMAT);
    assert_null(buf);
    assert_non_null(strstr(err.msg, "too large"));
    snprintf(path, sizeof path, "%s/none", dir);
    assert_int_equal(rv_read_file(path, 9, &buf, &len, &err), RV_ERR_IO);
    assert_int_equal(rv_read_file(dir, 9, &buf, &len, &err), RV_ERR_IO); /* a folder */
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(rv_read_file(path, 9, &buf, &len, &err), RV_ERR_IO); /* must not block */
    assert_non_null(strstr(err.msg, "not a regular file"));
}

static void unwritable_target_leaves_old_file(void **state)
{
    (void)state;
    char path[160];
    rv_error err = {0};
    snprintf(path, sizeof path, "%s/missing-folder/x.json", dir);
    assert_int_equal(rv_write_file_atomic(path, "x", 1, &err), RV_ERR_IO);
    assert_non_null(strstr(err.msg, "missing-folder"));
}

static void make_dirs_creates_parents(void **state)
{
    (void)state;
    char path[160];
    struct stat st;
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    assert_int_equal(rv_make_dirs(path, NULL), RV_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(rv_make_dirs(path, NULL), RV_OK); /* idempotent */
    snprintf(path, sizeof path, "%s/big/sub", dir); /* "big" is a file */
    assert_int_equal(rv_make_dirs(path, NULL), RV_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_replaces_whole_file),
        cmocka_unit_test(oversized_and_missing_files_are_rejected),
        cmocka_unit_test(unwritable_target_leaves_old_file),
        cmocka_unit_test(make_dirs_creates_parents),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
