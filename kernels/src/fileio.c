/* fileio.c - atomic whole-file writes and bounded reads. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reluvet/fileio.h"

/* The folder part of path ("." when there is none), into buf. */
static void folder_of(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, cap, ".");
    else if (slash == path)
        snprintf(buf, cap, "/");
    else
        snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

rv_status rv_write_file_atomic(const char *path, const void *data, size_t len, rv_error *err)
{
    if (!path || (!data && len))
        return rv_fail(err, RV_ERR_NULL, "rv_write_file_atomic: NULL path or data");
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory writing %s", path);
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rv_status s = rv_fail(err, RV_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return s;
    }
    int failed = write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0;
    int saved = errno;
    failed |= close(fd) != 0;
    if (!failed && rename(tmp, path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(tmp);
        free(tmp);
        return rv_fail(err, RV_ERR_IO, "cannot write %s: %s", path, strerror(saved));
    }
    free(tmp);
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) { /* make the rename itself durable; best effort */
        fsync(dfd);
        close(dfd);
    }
    return RV_OK;
}

rv_status rv_read_file(const char *path, size_t max_len, char **out, size_t *len,
                       rv_error *err)
{
    if (!out || !len || !path)
        return rv_fail(err, RV_ERR_NULL, "rv_read_file: NULL argument");
    *out = NULL;
    *len = 0;
    /* Check the type before opening: opening a FIFO would block. */
    struct stat st;
    if (stat(path, &st) != 0)
        return rv_fail(err, RV_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return rv_fail(err, RV_ERR_IO, "cannot read %s: not a regular file", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return rv_fail(err, RV_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) { /* replaced meanwhile */
        fclose(f);
        return rv_fail(err, RV_ERR_IO, "cannot read %s: not a regular file", path);
    }
    if ((unsigned long long)st.st_size > max_len) {
        fclose(f);
        return rv_fail(err, RV_ERR_FORMAT, "%s is too large (%lld bytes, limit %zu)", path,
                       (long long)st.st_size, max_len);
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        fclose(f);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory reading %s", path);
    }
    size_t got = fread(buf, 1, (size_t)st.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return rv_fail(err, RV_ERR_IO, "cannot read %s", path);
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return RV_OK;
}

rv_status rv_make_dirs(const char *path, rv_error *err)
{
    if (!path || !*path)
        return rv_fail(err, RV_ERR_NULL, "rv_make_dirs: empty path");
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return rv_fail(err, RV_ERR_IO, "path too long: %.64s...", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return rv_fail(err, RV_ERR_IO, "cannot create folder %s: %s", buf,
                               strerror(errno));
            struct stat st;
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
                return rv_fail(err, RV_ERR_IO, "%s exists and is not a folder", buf);
            *p = c;
            if (c == '\0')
                break;
        }
    }
    return RV_OK;
}
