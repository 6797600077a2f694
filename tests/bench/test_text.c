/* test_text.c - what the reports share (reports/text.h, reports/gnuplot.h):
 * the growable text, and the gnuplot runner against a stand-in gnuplot
 * that records its arguments, so the test needs no real gnuplot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gnuplot.h"
#include "reluvet/fileio.h"
#include "text.h"

static char dir[] = "/tmp/test_text_XXXXXX";
static char log_path[256];

static void text_grows_and_frees(void **state)
{
    (void)state;
    rv_text t = {0};
    for (int i = 0; i < 1000; i++) /* past the first 4096 bytes */
        rv_text_printf(&t, "%04d,", i);
    assert_false(t.oom);
    assert_int_equal(t.len, 5000);
    assert_int_equal(strlen(t.s), 5000);
    assert_memory_equal(t.s + 4995, "0999,", 5);
    rv_text_free(&t);
    assert_null(t.s);
    assert_int_equal(t.len + t.cap, 0);
}

static void text_oom_is_sticky(void **state)
{
    (void)state;
    rv_text t = {0};
    rv_text_printf(&t, "kept");
    t.oom = 1;
    rv_text_printf(&t, " lost");
    assert_string_equal(t.s, "kept");
    rv_text_free(&t);
    assert_false(t.oom);
}

/* The stand-in's output, as it wrote it to the log: its arguments. */
static void run_stand_in(const char *dir_arg, const char *out, const char *want)
{
    rv_gnuplot_result r;
    assert_int_equal(rv_gnuplot("s.gp", dir_arg, out, log_path, &r), 0);
    assert_int_equal(r.outcome, RV_GNUPLOT_DRAWN);
    char *text;
    size_t len;
    assert_int_equal(rv_read_file(log_path, 4096, &text, &len, NULL), RV_OK);
    assert_string_equal(text, want);
    free(text);
}

/* What gnuplot gets for hostile strings: quotes doubled, line ends gone,
 * backquotes and @ kept as text (inert in single quotes). */
static void quoting_keeps_data_data(void **state)
{
    (void)state;
    rv_text t = {0};
    rv_gnuplot_quote(&t, "a';system('touch PWNED');'\n`x`@y\\");
    assert_string_equal(t.s, "'a'';system(''touch PWNED'');''?`x`@y\\'");
    rv_text_free(&t);
    assert_true(rv_gnuplot_exact("plain name-1.svg"));
    assert_false(rv_gnuplot_exact("two\nlines"));
    assert_false(rv_gnuplot_exact("tab\there"));
}

/* A figure is published whole or not at all: a cut SVG or PNG (gnuplot's
 * output on a full disk) leaves the old figure and no temporary. */
static void figures_are_published_whole(void **state)
{
    (void)state;
    char tmp[300], png[300], svg[300];
    snprintf(tmp, sizeof tmp, "%s/f.tmp", dir);
    snprintf(png, sizeof png, "%s/f.png", dir);
    snprintf(svg, sizeof svg, "%s/f.svg", dir);
    static const char whole_png[] = "\x89PNG\r\n\x1a\n....\0\0\0\0IEND\xae\x42\x60\x82";
    assert_int_equal(rv_write_file_atomic(png, "old", 3, NULL), RV_OK);
    rv_error err = {0};
    assert_int_equal(rv_write_file_atomic(tmp, whole_png, 12, NULL), RV_OK); /* cut */
    assert_int_equal(rv_gnuplot_publish(tmp, png, &err), RV_ERR_IO);
    assert_non_null(strstr(err.msg, "could not write all of"));
    assert_int_equal(access(tmp, F_OK), -1);
    char *text;
    size_t len;
    assert_int_equal(rv_read_file(png, 4096, &text, &len, NULL), RV_OK);
    assert_int_equal(len, 3);
    free(text);
    assert_int_equal(rv_write_file_atomic(tmp, whole_png, sizeof whole_png - 1, NULL), RV_OK);
    assert_int_equal(rv_gnuplot_publish(tmp, png, &err), RV_OK);
    assert_int_equal(rv_read_file(png, 4096, &text, &len, NULL), RV_OK);
    assert_int_equal(len, sizeof whole_png - 1);
    free(text);
    assert_int_equal(rv_write_file_atomic(tmp, "<svg>", 5, NULL), RV_OK);
    assert_int_equal(rv_gnuplot_publish(tmp, svg, &err), RV_ERR_IO);
    assert_int_equal(access(svg, F_OK), -1);
    assert_int_equal(rv_write_file_atomic(tmp, "<svg></svg>\n", 12, NULL), RV_OK);
    assert_int_equal(rv_gnuplot_publish(tmp, svg, &err), RV_OK);
    assert_int_equal(unlink(png), 0);
    assert_int_equal(unlink(svg), 0);
}

static void gnuplot_arguments_and_outcomes(void **state)
{
    (void)state;
    run_stand_in(NULL, NULL, "s.gp|");
    run_stand_in(NULL, "x.svg", "-e|out='x.svg'|s.gp|");
    /* any folder: gnuplot is started in it, the path is never in a command */
    char odd[300];
    snprintf(odd, sizeof odd, "%s/it's `touch PWNED` @x", dir);
    assert_int_equal(mkdir(odd, 0755), 0);
    run_stand_in(odd, "a'b.svg", "-e|out='a''b.svg'|s.gp|");
    assert_int_equal(rmdir(odd), 0);

    rv_gnuplot_result r;
    setenv("STAND_IN_EXIT", "3", 1);
    assert_int_equal(rv_gnuplot("s.gp", NULL, NULL, NULL, &r), -1);
    unsetenv("STAND_IN_EXIT");
    assert_int_equal(r.outcome, RV_GNUPLOT_FAILED);
    assert_int_equal(r.status, 3);
    assert_string_equal(r.why, "gnuplot exited with 3");

    /* a newline would end gnuplot's string: refused before anything runs */
    assert_int_equal(rv_gnuplot("s.gp", NULL, "a\nb.svg", log_path, &r), -1);
    assert_int_equal(r.outcome, RV_GNUPLOT_REFUSED);
    assert_non_null(strstr(r.why, "control character"));
    assert_int_equal(rv_gnuplot("s.gp", "/nonexistent-folder", NULL, NULL, &r), -1);
    assert_int_equal(r.outcome, RV_GNUPLOT_UNRUN);

    setenv("PATH", "/nonexistent", 1);
    assert_int_equal(rv_gnuplot("s.gp", NULL, NULL, NULL, &r), -1);
    assert_int_equal(r.outcome, RV_GNUPLOT_MISSING);
    assert_string_equal(r.why, "gnuplot could not be run (No such file or directory)");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char stand_in[256];
    snprintf(stand_in, sizeof stand_in, "%s/gnuplot", dir);
    snprintf(log_path, sizeof log_path, "%s/log", dir);
    const char *script = "#!/bin/sh\nprintf '%s|' \"$@\"\nexit ${STAND_IN_EXIT:-0}\n";
    if (rv_write_file_atomic(stand_in, script, strlen(script), NULL) != RV_OK ||
        chmod(stand_in, 0755) != 0 || setenv("PATH", dir, 1) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_grows_and_frees),
        cmocka_unit_test(text_oom_is_sticky),
        cmocka_unit_test(quoting_keeps_data_data),
        cmocka_unit_test(figures_are_published_whole),
        cmocka_unit_test(gnuplot_arguments_and_outcomes),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!failed && (unlink(stand_in) != 0 || unlink(log_path) != 0 || rmdir(dir) != 0))
        return 1;
    return failed;
}
