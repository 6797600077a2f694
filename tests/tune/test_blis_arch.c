/* test_blis_arch.c - RELUVET_BLIS_ARCH: a kernel set that cannot run here
 * is reported (rv_blis_check), never silently replaced by another, and an
 * unset variable keeps the automatic choice. The choice is made once per
 * process, so each case runs in a child of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blis_cntx.h"
#include "reluvet/backend.h"

typedef struct outcome {
    rv_status status;
    char kernel_set[32], default_set[32], msg[200];
} outcome;

/* rv_blis_check and the kernel set in a fresh process where
 * RELUVET_BLIS_ARCH is `value` (NULL: unset). */
static outcome run_with(const char *value)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (value)
            setenv("RELUVET_BLIS_ARCH", value, 1);
        else
            unsetenv("RELUVET_BLIS_ARCH");
        outcome o = {0};
        rv_error err = {0};
        o.status = rv_blis_check(&err);
        snprintf(o.msg, sizeof o.msg, "%s", err.msg);
        snprintf(o.kernel_set, sizeof o.kernel_set, "%s", rv_blis_kernel_set());
        snprintf(o.default_set, sizeof o.default_set, "%s", rv_blis_default_kernel_set());
        _exit(write(fds[1], &o, sizeof o) == (ssize_t)sizeof o ? 0 : 1);
    }
    close(fds[1]);
    outcome o = {0};
    assert_int_equal(read(fds[0], &o, sizeof o), (ssize_t)sizeof o);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return o;
}

static void unset_or_empty_keeps_the_automatic_choice(void **state)
{
    (void)state;
    outcome unset = run_with(NULL), empty = run_with("");
    assert_int_equal(unset.status, RV_OK);
    assert_int_equal(empty.status, RV_OK);
    assert_string_equal(unset.kernel_set, empty.kernel_set);
    /* BLIS's own choice, unless that is the slow generic one */
    if (strcmp(unset.default_set, "generic") != 0)
        assert_string_equal(unset.kernel_set, unset.default_set);
}

static void a_usable_name_is_taken(void **state)
{
    (void)state;
    outcome g = run_with("generic");
    assert_int_equal(g.status, RV_OK);
    assert_string_equal(g.kernel_set, "generic");
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        outcome h = run_with("haswell");
        assert_int_equal(h.status, RV_OK);
        assert_string_equal(h.kernel_set, "haswell");
    }
}

/* A refused name: RV_ERR_OPTS, a message naming the variable, its value and
 * `why`, listing what would be accepted, and the kernels run as unset. */
static void refused(const char *value, const char *why)
{
    outcome unset = run_with(NULL), o = run_with(value);
    assert_int_equal(o.status, RV_ERR_OPTS);
    char head[120];
    snprintf(head, sizeof head, "RELUVET_BLIS_ARCH=%s: %s (usable here: ", value, why);
    if (strncmp(o.msg, head, strlen(head)) != 0)
        fail_msg("RELUVET_BLIS_ARCH=%s: message '%s' does not start with '%s'", value, o.msg,
                 head);
    assert_non_null(strstr(o.msg, "generic)"));
    assert_string_equal(o.kernel_set, unset.kernel_set);
}

static void names_that_cannot_run_are_reported(void **state)
{
    (void)state;
    refused("garbage", "unknown BLIS sub-configuration");
    refused("SKX", "unknown BLIS sub-configuration"); /* names are case-sensitive */
    refused("knc", "not built into this BLIS");       /* a Xeon Phi co-processor */
    if (!__builtin_cpu_supports("fma4"))               /* Bulldozer's FMA4: gone since Zen */
        refused("piledriver", "this CPU cannot run its kernels");
    if (!__builtin_cpu_supports("avx512f"))
        refused("skx", "this CPU cannot run its kernels");
    /* a long value is shortened in the message, not overflowing it */
    char longv[300];
    memset(longv, 'x', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    outcome o = run_with(longv);
    assert_int_equal(o.status, RV_ERR_OPTS);
    assert_non_null(strstr(o.msg, "xxx...: unknown BLIS sub-configuration"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unset_or_empty_keeps_the_automatic_choice),
        cmocka_unit_test(a_usable_name_is_taken),
        cmocka_unit_test(names_that_cannot_run_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
