/* gnuplot.c - see gnuplot.h. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np (glibc 2.29) */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reluvet/fileio.h"
#include "text.h"

extern char **environ;

static int fail(rv_gnuplot_result *r, rv_gnuplot_outcome outcome, int err, const char *what)
{
    r->outcome = outcome;
    r->err = err;
    snprintf(r->why, sizeof r->why, "%s (%s)", what, strerror(err));
    return -1;
}

void rv_gnuplot_quote(rv_text *t, const char *s)
{
    rv_text_printf(t, "'");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '\'')
            rv_text_printf(t, "''");
        else
            rv_text_printf(t, "%c", *c < 0x20 || *c == 0x7f ? '?' : *c);
    }
    rv_text_printf(t, "'");
}

int rv_gnuplot_exact(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

/* Starts argv[0] from PATH in the folder dir (NULL: ours) with stdout and
 * stderr on fd; 0 or an errno. */
static int start(char *const argv[], const char *dir, int fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0)
        return rc;
    rc = posix_spawn_file_actions_adddup2(&fa, fd, 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, fd, 2);
    if (rc == 0 && dir)
        rc = posix_spawn_file_actions_addchdir_np(&fa, dir);
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
    if (out && !rv_gnuplot_exact(out)) {
        r->outcome = RV_GNUPLOT_REFUSED;
        snprintf(r->why, sizeof r->why, "gnuplot cannot take a path with a control character");
        return -1;
    }
    /* checked here: a failed chdir in the child reads like a missing gnuplot */
    if (dir && access(dir, X_OK) != 0)
        return fail(r, RV_GNUPLOT_UNRUN, errno, "cannot enter gnuplot's folder");
    rv_text e = {0};
    if (out) {
        rv_text_printf(&e, "out=");
        rv_gnuplot_quote(&e, out);
    }
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
    int rc = start(argv, dir, fd, &pid);
    close(fd);
    rv_text_free(&e);
    if (rc != 0)
        return fail(r, rc == ENOENT ? RV_GNUPLOT_MISSING : RV_GNUPLOT_UNRUN, rc,
                    "gnuplot could not be run");
    return finish(pid, r);
}

/* 1 when data is a whole figure of the kind path names. */
static int whole(const char *path, const char *data, size_t len)
{
    size_t n = strlen(path);
    if (n >= 4 && strcmp(path + n - 4, ".png") == 0) {
        static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
                                               0xae, 0x42, 0x60, 0x82};
        return len >= 12 && memcmp(data + len - 12, iend, 12) == 0;
    }
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' ' || data[len - 1] == '\r'))
        len--;
    return len >= 6 && memcmp(data + len - 6, "</svg>", 6) == 0;
}

rv_status rv_gnuplot_publish(const char *tmp, const char *path, rv_error *err)
{
    char *data = NULL;
    size_t len = 0;
    rv_status st = rv_read_file(tmp, (size_t)1 << 30, &data, &len, err);
    if (st == RV_OK && !whole(path, data, len))
        st = rv_fail(err, RV_ERR_IO, "gnuplot could not write all of %s (is the disk full?)",
                     path);
    if (st == RV_OK)
        st = rv_write_file_atomic(path, data, len, err);
    free(data);
    unlink(tmp);
    return st;
}
