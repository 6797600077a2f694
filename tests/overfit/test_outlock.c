/* test_outlock.c - the results folder's lock: a second taker is refused with
 * the holder's pid and start; a holder killed with SIGKILL leaves a lock
 * that is taken over; what is not a reluvet lock file is never used,
 * replaced or removed; a release removes only the lock file it made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "outlock.h"
#include "reluvet/fileio.h"

static char *temp_dir(void)
{
    char *d = strdup("/tmp/rvo_lock_XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static void lock_path(char *buf, size_t cap, const char *dir)
{
    assert_true(snprintf(buf, cap, "%s/.lock", dir) < (int)cap);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path)
{
    char *t = NULL;
    size_t n = 0;
    assert_int_equal(rv_read_file(path, 1 << 16, &t, &n, NULL), RV_OK);
    return t;
}

static void cleanup(char *dir)
{
    char p[4200];
    lock_path(p, sizeof p, dir);
    unlink(p);
    rmdir(dir);
    free(dir);
}

static void second_taker_is_refused(void **state)
{
    (void)state;
    char *dir = temp_dir(), path[4200], want[64], note[256];
    lock_path(path, sizeof path, dir);
    rvo_outlock *a = NULL, *b = NULL;
    rv_error err;
    assert_int_equal(rvo_outlock_take(dir, &a, note, sizeof note, &err), RV_OK);
    assert_string_equal(note, "");
    char *text = read_text(path);
    snprintf(want, sizeof want, "\npid %ld\n", (long)getpid());
    assert_non_null(strstr(text, want));
    free(text);
    /* flock is per open file: a second take in this process conflicts too */
    assert_int_equal(rvo_outlock_take(dir, &b, note, sizeof note, &err), RV_ERR_IO);
    assert_null(b);
    snprintf(want, sizeof want, "is in use by pid %ld on host ", (long)getpid());
    if (!strstr(err.msg, want) || !strstr(err.msg, "running since") ||
        !strstr(err.msg, "use another --out"))
        fail_msg("%s", err.msg);
    rvo_outlock_release(a);
    assert_int_equal(access(path, F_OK), -1); /* we made it: removed */
    assert_int_equal(rvo_outlock_take(dir, &b, note, sizeof note, &err), RV_OK);
    rvo_outlock_release(b);
    cleanup(dir);
}

static void killed_holder_is_taken_over(void **state)
{
    (void)state;
    char *dir = temp_dir(), path[4200], want[128], note[512];
    lock_path(path, sizeof path, dir);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        rvo_outlock *l = NULL;
        char c = rvo_outlock_take(dir, &l, note, sizeof note, NULL) == RV_OK ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            _exit(1);
        pause(); /* until SIGKILL: no release */
        _exit(0);
    }
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    rvo_outlock *l = NULL;
    rv_error err;
    assert_int_equal(rvo_outlock_take(dir, &l, note, sizeof note, &err), RV_ERR_IO);
    snprintf(want, sizeof want, "is in use by pid %ld", (long)child);
    if (!strstr(err.msg, want))
        fail_msg("%s", err.msg);
    kill(child, SIGKILL);
    int st;
    waitpid(child, &st, 0);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(access(path, F_OK), 0); /* left behind, stale */
    assert_int_equal(rvo_outlock_take(dir, &l, note, sizeof note, &err), RV_OK);
    snprintf(want, sizeof want, "took over the lock of pid %ld on host ", (long)child);
    if (!strstr(note, want) || !strstr(note, "which is no longer running"))
        fail_msg("%s", note);
    char *text = read_text(path);
    snprintf(want, sizeof want, "\npid %ld\n", (long)getpid());
    assert_non_null(strstr(text, want)); /* ours now */
    free(text);
    rvo_outlock_release(l);
    assert_int_equal(access(path, F_OK), -1);
    close(ready[0]);
    close(ready[1]);
    cleanup(dir);
}

static void foreign_files_are_left_alone(void **state)
{
    (void)state;
    char *dir = temp_dir(), path[4200], other[4200], note[256];
    lock_path(path, sizeof path, dir);
    rvo_outlock *l = NULL;
    rv_error err;
    /* a file of someone else's at .lock: refused, not rewritten */
    write_text(path, "my notes\n");
    assert_int_equal(rvo_outlock_take(dir, &l, note, sizeof note, &err), RV_ERR_IO);
    if (!strstr(err.msg, "/.lock is not a reluvet lock file: remove it if no reluvet run uses"))
        fail_msg("%s", err.msg);
    char *text = read_text(path);
    assert_string_equal(text, "my notes\n");
    free(text);
    /* a symbolic link at .lock: not followed, its target untouched */
    unlink(path);
    snprintf(other, sizeof other, "%s/target", dir);
    write_text(other, "target\n");
    assert_int_equal(symlink(other, path), 0);
    assert_int_equal(rvo_outlock_take(dir, &l, note, sizeof note, &err), RV_ERR_IO);
    if (!strstr(err.msg, "is not a reluvet lock file"))
        fail_msg("%s", err.msg);
    text = read_text(other);
    assert_string_equal(text, "target\n");
    free(text);
    unlink(path);
    /* our lock replaced by another's behind our back: release keeps theirs */
    assert_int_equal(rvo_outlock_take(dir, &l, note, sizeof note, &err), RV_OK);
    unlink(path);
    write_text(path, "reluvet-overfit-lock 1\npid 1\nhost h\nstarted 0 1970-01-01 00:00:00 UTC\n");
    rvo_outlock_release(l);
    assert_int_equal(access(path, F_OK), 0);
    unlink(other);
    cleanup(dir);
}

static void unusable_folders_are_refused(void **state)
{
    (void)state;
    char *dir = temp_dir(), file[4200], note[256];
    rvo_outlock *l = NULL;
    rv_error err;
    snprintf(file, sizeof file, "%s/afile", dir);
    write_text(file, "");
    assert_int_equal(rvo_outlock_take(file, &l, note, sizeof note, &err), RV_ERR_IO);
    if (!strstr(err.msg, "afile exists and is not a folder"))
        fail_msg("%s", err.msg);
    /* a folder where no file can be made, even by root */
    assert_int_equal(rvo_outlock_take("/proc", &l, note, sizeof note, &err), RV_ERR_IO);
    if (!strstr(err.msg, "cannot create lock file /proc/.lock: "))
        fail_msg("%s", err.msg);
    assert_null(l);
    unlink(file);
    rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(second_taker_is_refused),
        cmocka_unit_test(killed_holder_is_taken_over),
        cmocka_unit_test(foreign_files_are_left_alone),
        cmocka_unit_test(unusable_folders_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
