/* atomic_file.c - atomic file publication (see atomic_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

/* fsync of the directory holding path, so that a rename survives a crash. */
static rv_status sync_dir(const char *path, rv_error *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - path) >= sizeof dir)
        return rv_fail(err, RV_ERR_IO, "path too long: %s", path);
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return rv_fail(err, RV_ERR_IO, "cannot open directory %s: %s", dir, strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc != 0 && errno != EINVAL) /* some file systems cannot sync directories */
        return rv_fail(err, RV_ERR_IO, "cannot sync directory %s: %s", dir, strerror(errno));
    return RV_OK;
}

rv_status rvr_commit_file(const char *tmp, const char *path, rv_error *err)
{
    int fd = open(tmp, O_RDONLY);
    if (fd < 0)
        return rv_fail(err, RV_ERR_IO, "cannot open %s: %s", tmp, strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc != 0)
        return rv_fail(err, RV_ERR_IO, "cannot sync %s: %s", tmp, strerror(errno));
    if (rename(tmp, path) != 0)
        return rv_fail(err, RV_ERR_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    return sync_dir(path, err);
}

rv_status rvr_write_atomic(const char *path, const void *data, size_t len, rv_error *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return rv_fail(err, RV_ERR_IO, "path too long: %s", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        return rv_fail(err, RV_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rv_fail(err, RV_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return RV_ERR_IO;
        }
        p += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0) {
        rv_fail(err, RV_ERR_IO, "cannot close %s: %s", tmp, strerror(errno));
        unlink(tmp);
        return RV_ERR_IO;
    }
    rv_status s = rvr_commit_file(tmp, path, err);
    if (s != RV_OK)
        unlink(tmp);
    return s;
}

rv_status rvr_mkdirs(const char *path, rv_error *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return rv_fail(err, RV_ERR_IO, "path too long: %s", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return rv_fail(err, RV_ERR_IO, "cannot create directory %s: %s", buf,
                           strerror(errno));
        if (!c)
            return RV_OK;
        *p = c;
    }
}
