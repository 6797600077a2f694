/* outlock.c - the results folder's lock: a flock'd file made by link(2). */
#include "outlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reluvet/fileio.h"

#define MAGIC "reluvet-overfit-lock 1\n"

struct rvo_outlock {
    int fd;             /* open on the lock file, flock'd */
    dev_t dev;          /* the file we made, to remove only that one */
    ino_t ino;
    char path[];
};

/* The holder a lock file names, for messages: "pid P on host H, running
 * since T". 0 if text is not a reluvet lock file. */
static int describe(const char *text, char *buf, size_t cap, const char *since)
{
    long pid = 0;
    long long t = 0;
    char host[256] = "?", date[20] = "?", clock[20] = "?";
    if (strncmp(text, MAGIC, strlen(MAGIC)) != 0)
        return 0;
    const char *p = text + strlen(MAGIC);
    if (sscanf(p, "pid %ld\nhost %255s\nstarted %lld %19s %19s UTC", &pid, host, &t, date,
               clock) != 5)
        return 0;
    snprintf(buf, cap, "pid %ld on host %s, %s %s %s UTC", pid, host, since, date, clock);
    return 1;
}

/* Reads what a lock file holds (at most cap - 1 bytes) into buf. */
static void read_lock(int fd, char *buf, size_t cap)
{
    ssize_t n = pread(fd, buf, cap - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
}

static int same_file(int fd, const char *path, struct stat *mine)
{
    struct stat there;
    return fstat(fd, mine) == 0 && stat(path, &there) == 0 && there.st_dev == mine->st_dev &&
           there.st_ino == mine->st_ino;
}

/* Makes a complete, locked lock file under a temporary name and links it to
 * path. Returns the open fd (>= 0), -1 with errno EEXIST when path exists
 * (someone else made one first), or -1 with errno set (and err filled). */
static int create_locked(const char *path, rv_error *err)
{
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp) {
        rv_fail(err, RV_ERR_NOMEM, "out of memory locking %s", path);
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, len, "%s.%ld.XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        rv_fail(err, RV_ERR_IO, "cannot create lock file %s: %s", path, strerror(e));
        free(tmp);
        errno = e == EEXIST ? EIO : e; /* EEXIST means "path exists" to the caller */
        return -1;
    }
    /* mkstemp gives no O_CLOEXEC: set it, so that gnuplot and other children
     * do not inherit (and keep) the lock. */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    char host[256] = "unknown", text[512], date[32];
    if (gethostname(host, sizeof host) != 0 || !host[0])
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    for (char *h = host; *h; h++) /* one word on one line, whatever the name */
        if (*h <= ' ' || *h == 0x7f)
            *h = '_';
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
    int n = snprintf(text, sizeof text, MAGIC "pid %ld\nhost %s\nstarted %lld %s UTC\n",
                     (long)getpid(), host, (long long)now, date);
    int e = 0;
    if (n < 0 || (size_t)n >= sizeof text || write(fd, text, (size_t)n) != n || fsync(fd) != 0)
        e = errno ? errno : EIO;
    else if (flock(fd, LOCK_EX | LOCK_NB) != 0) /* nobody else knows this file yet */
        e = errno;
    else if (link(tmp, path) != 0)
        e = errno;
    unlink(tmp);
    free(tmp);
    if (e) {
        close(fd);
        if (e != EEXIST)
            rv_fail(err, RV_ERR_IO, "cannot create lock file %s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    return fd;
}

rv_status rvo_outlock_take(const char *dir, rvo_outlock **out, char *note, size_t cap,
                           rv_error *err)
{
    *out = NULL;
    if (cap)
        note[0] = '\0';
    rv_status s = rv_make_dirs(dir, err);
    if (s != RV_OK)
        return s;
    size_t len = strlen(dir) + sizeof "/.lock";
    rvo_outlock *l = malloc(sizeof *l + len);
    if (!l)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory locking %s", dir);
    snprintf(l->path, len, "%s/.lock", dir);
    /* A few rounds: each one either ends or saw the file change under it (a
     * holder removing it, another run taking a stale one over). */
    for (int round = 0; round < 50; round++) {
        int fd = create_locked(l->path, err);
        if (fd >= 0) {
            struct stat st;
            if (!same_file(fd, l->path, &st)) { /* removed before we looked: retry */
                close(fd);
                continue;
            }
            l->fd = fd;
            l->dev = st.st_dev;
            l->ino = st.st_ino;
            *out = l;
            return RV_OK;
        }
        if (errno != EEXIST) {
            free(l);
            return err ? err->code : RV_ERR_IO;
        }
        /* O_NOFOLLOW: a symbolic link planted at .lock is not ours to use. */
        fd = open(l->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
            continue; /* its holder just removed it */
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            free(l);
            if (fd < 0 && e != ELOOP)
                return rv_fail(err, RV_ERR_IO, "cannot open lock file %s/.lock: %s", dir,
                               strerror(e));
            return rv_fail(err, RV_ERR_IO, "%s/.lock is not a reluvet lock file: remove it if "
                           "no reluvet run uses this folder", dir);
        }
        char text[512], who[400];
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            read_lock(fd, text, sizeof text);
            close(fd);
            if (e != EWOULDBLOCK) {
                free(l);
                return rv_fail(err, RV_ERR_IO, "cannot lock %s/.lock: %s", dir, strerror(e));
            }
            struct stat now;
            if (stat(l->path, &now) != 0 || now.st_ino != st.st_ino || now.st_dev != st.st_dev)
                continue; /* a stale lock being taken over, or its holder leaving */
            if (!describe(text, who, sizeof who, "running since"))
                snprintf(who, sizeof who, "another process (it holds %s/.lock)", dir);
            free(l);
            return rv_fail(err, RV_ERR_IO, "results folder %s is in use by %s: wait for it "
                           "to finish or use another --out", dir, who);
        }
        /* The flock was free: its holder is gone. Ours to take over, if it is
         * a lock file at all, and still the file at that name. */
        read_lock(fd, text, sizeof text);
        if (!same_file(fd, l->path, &st)) {
            close(fd);
            continue;
        }
        if (!describe(text, who, sizeof who, "started")) {
            close(fd);
            free(l);
            return rv_fail(err, RV_ERR_IO, "%s/.lock is not a reluvet lock file: remove it if "
                           "no reluvet run uses this folder", dir);
        }
        /* Removed while we hold its flock: a run that opened it meanwhile
         * gets the flock only after this, sees it gone and starts over. */
        if (unlink(l->path) != 0 && errno != ENOENT) {
            int e = errno;
            close(fd);
            free(l);
            return rv_fail(err, RV_ERR_IO, "cannot remove the stale lock %s/.lock: %s", dir,
                           strerror(e));
        }
        close(fd);
        if (cap)
            snprintf(note, cap, "took over the lock of %s, which is no longer running", who);
    }
    free(l);
    return rv_fail(err, RV_ERR_IO, "cannot take the lock %s/.lock: it keeps changing", dir);
}

void rvo_outlock_release(rvo_outlock *l)
{
    if (!l)
        return;
    /* Only the file we made: if someone removed ours and another run made
     * its own, that one is not ours to remove. Unlinked before the flock
     * goes, so that no one can take the lock on a file about to vanish. */
    struct stat st;
    if (stat(l->path, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino)
        unlink(l->path);
    close(l->fd);
    free(l);
}
