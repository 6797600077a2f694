/* gnuplot.c - see gnuplot.h. */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "text.h"

extern char **environ;

static int fail(rv_gnuplot_result *r, rv_gnuplot_outcome outcome, int err, const char *what)
{
    r->outcome = outcome;
    r->err = err;
    snprintf(r->why, sizeof r->why, "%s (%s)", what, strerror(err));
    return -1;
}

/* Starts argv[0] from PATH with stdout and stderr on fd; 0 or an errno. */
static int start(char *const argv[], int fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0)
        return rc;
    rc = posix_spawn_file_actions_adddup2(&fa, fd, 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, fd, 2);
    if (rc == 0)
        rc = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

static int finish(pid_t pid, rv_gnuplot_result *r)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return fail(r, RV_GNUPLOT_UNRUN, errno, "lost track of gnuplot");
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    r->outcome = RV_GNUPLOT_FAILED;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (r->status >= 0)
        snprintf(r->why, sizeof r->why, "gnuplot exited with %d", r->status);
    else
        snprintf(r->why, sizeof r->why, "gnuplot was ended by signal %d", WTERMSIG(st));
    return -1;
}

int rv_gnuplot(const char *script, const char *dir, const char *out, const char *log,
               rv_gnuplot_result *r)
{
    *r = (rv_gnuplot_result){.outcome = RV_GNUPLOT_DRAWN};
    /* gnuplot's single-quoted strings have no escapes: a quote would end
     * the string and run the rest of the path as commands. */
    const char *bad = dir && strchr(dir, '\'') ? dir : out && strchr(out, '\'') ? out : NULL;
    if (bad) {
        r->outcome = RV_GNUPLOT_REFUSED;
        snprintf(r->why, sizeof r->why, "gnuplot cannot take a path with a single quote: %.100s",
                 bad);
        return -1;
    }
    rv_text e = {0};
    if (dir)
        rv_text_printf(&e, "cd '%s'", dir);
    if (out)
        rv_text_printf(&e, "%sout='%s'", dir ? "; " : "", out);
    if (e.oom) {
        rv_text_free(&e);
        return fail(r, RV_GNUPLOT_UNRUN, ENOMEM, "gnuplot could not be run");
    }
    int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int err = errno;
        rv_text_free(&e);
        return fail(r, RV_GNUPLOT_UNRUN, err, "cannot open gnuplot's log");
    }
    char *argv[5], **a = argv;
    *a++ = "gnuplot";
    if (e.s) {
        *a++ = "-e";
        *a++ = e.s;
    }
    *a++ = (char *)script;
    *a = NULL;
    pid_t pid;
    int rc = start(argv, fd, &pid);
    close(fd);
    rv_text_free(&e);
    if (rc != 0)
        return fail(r, rc == ENOENT ? RV_GNUPLOT_MISSING : RV_GNUPLOT_UNRUN, rc,
                    "gnuplot could not be run");
    return finish(pid, r);
}
