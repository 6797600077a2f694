/* wisdom_file.c - wisdom as a JSON file: strict parsing (a file is used
 * whole or not at all: no trailing data, no unknown or repeated fields,
 * every value range-checked), locked merge-on-write, atomic replacement
 * that never overwrites what is not a wisdom file we could read. */
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
#include "wisdom_json.h"

#define FORMAT_NAME "reluvet-wisdom"
#define FORMAT_VERSION 1
#define MAX_SIZE 1099511627776.0 /* 2^40: any n, d, m a file may name */
#define MAX_COUNT 1000000.0

static const char *const effort_names[] = {"estimate", "measure", "exhaustive"};

static int effort_from_name(const char *name, int *effort)
{
    for (int i = RV_EFFORT_MEASURE; i <= RV_EFFORT_EXHAUSTIVE; i++)
        if (strcmp(name, effort_names[i]) == 0) {
            *effort = i;
            return 0;
        }
    return -1;
}

/* ---- writing ---- */

static int add_number(cJSON *o, const char *key, double v)
{
    return cJSON_AddNumberToObject(o, key, v) != NULL;
}

static cJSON *entry_to_cjson(const rv_wisdom_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    const rv_problem *p = &e->problem;
    const rv_opts *k = &e->choice.opts;
    int ok = o && cJSON_AddStringToObject(o, "op", rv_op_name(p->op)) &&
             cJSON_AddStringToObject(o, "dtype", rv_dtype_name(p->dt)) &&
             add_number(o, "n", (double)p->shape.n) && add_number(o, "d", (double)p->shape.d) &&
             add_number(o, "m", (double)p->shape.m) && add_number(o, "flags", p->flags) &&
             add_number(o, "max_threads", e->max_threads) &&
             cJSON_AddStringToObject(o, "variant", rv_variant_name(e->choice.variant)) &&
             add_number(o, "threads", k->threads) && add_number(o, "block_rows", k->block_rows) &&
             add_number(o, "block_cols", k->block_cols) &&
             cJSON_AddStringToObject(o, "effort", effort_names[e->effort]) &&
             add_number(o, "seconds", e->seconds) && add_number(o, "candidates", e->candidates) &&
             add_number(o, "failed", e->failed);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *rv_wisdom_to_json(const rv_wisdom *w, const rv_fingerprint *fp)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *entries = cJSON_CreateArray();
    cJSON *fpo = rv_fingerprint_to_cjson(fp);
    int ok = root && entries && fpo && cJSON_AddStringToObject(root, "format", FORMAT_NAME) &&
             add_number(root, "version", FORMAT_VERSION) &&
             cJSON_AddItemToObject(root, "fingerprint", fpo);
    if (ok)
        fpo = NULL; /* owned by root now */
    ok = ok && cJSON_AddItemToObject(root, "entries", entries);
    if (ok)
        entries = NULL;
    for (size_t i = 0; ok && i < rv_wisdom_count(w); i++) {
        cJSON *e = entry_to_cjson(rv_wisdom_at(w, i));
        ok = e && cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(root, "entries"), e);
        if (!ok)
            cJSON_Delete(e);
    }
    char *text = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    cJSON_Delete(entries);
    cJSON_Delete(fpo);
    return text;
}

/* ---- reading ---- */

/* Reads integer field key of o in [lo, hi]. */
static rv_status get_int(const cJSON *o, int idx, const char *key, double lo, double hi,
                         double *out, rv_error *err)
{
    if (!rv_json_integer(cJSON_GetObjectItemCaseSensitive(o, key), lo, hi, out))
        return rv_fail(err, RV_ERR_FORMAT, "entries[%d].%s: expected an integer in %.0f..%.0f",
                       idx, key, lo, hi);
    return RV_OK;
}

/* Reads string field key of o and converts it with from_name. */
static rv_status get_name(const cJSON *o, int idx, const char *key, int (*from_name)(const char *, void *),
                          void *out, rv_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v) || from_name(v->valuestring, out) != 0)
        return rv_fail(err, RV_ERR_FORMAT, "entries[%d].%s: expected a known name", idx, key);
    return RV_OK;
}

/* Strict objects: every member of o is one of the n names, none twice. cJSON
 * keeps duplicate keys and lookups return the first, so without this check
 * {"n": 1, "n": 2} would be read as n = 1; an unknown member is a file
 * written by something else (or another format version). `where` prefixes
 * the message ("entries[3]: "). At most 64 names. */
static rv_status check_members(const cJSON *o, const char *const *names, size_t n,
                               const char *where, rv_error *err)
{
    unsigned long long seen = 0;
    for (const cJSON *it = o->child; it; it = it->next) {
        size_t i = 0;
        while (i < n && strcmp(it->string, names[i]) != 0)
            i++;
        if (i == n)
            return rv_fail(err, RV_ERR_FORMAT, "%sunknown field \"%.40s\"", where, it->string);
        if (seen & (1ULL << i))
            return rv_fail(err, RV_ERR_FORMAT, "%sfield \"%s\" appears twice", where, names[i]);
        seen |= 1ULL << i;
    }
    return RV_OK;
}

static const char *const entry_fields[] = {
    "op", "dtype", "n", "d", "m", "flags", "max_threads", "variant", "threads", "block_rows",
    "block_cols", "effort", "seconds", "candidates", "failed"};
static const char *const root_fields[] = {"format", "version", "fingerprint", "entries"};
#define COUNT(a) (sizeof a / sizeof a[0])

static int op_name(const char *s, void *out) { return rv_op_from_name(s, out); }
static int dtype_name(const char *s, void *out) { return rv_dtype_from_name(s, out); }
static int variant_name(const char *s, void *out) { return rv_variant_from_name(s, out); }
static int effort_name(const char *s, void *out) { return effort_from_name(s, out); }

static rv_status entry_from_cjson(const cJSON *o, int idx, rv_wisdom_entry *e, rv_error *err)
{
    memset(e, 0, sizeof *e);
    if (!cJSON_IsObject(o))
        return rv_fail(err, RV_ERR_FORMAT, "entries[%d]: expected an object", idx);
    double n, d, m, flags, cap, threads, rows, cols, cands, failed;
    rv_status s;
    if ((s = get_name(o, idx, "op", op_name, &e->problem.op, err)) ||
        (s = get_name(o, idx, "dtype", dtype_name, &e->problem.dt, err)) ||
        (s = get_int(o, idx, "n", 1, MAX_SIZE, &n, err)) ||
        (s = get_int(o, idx, "d", 1, MAX_SIZE, &d, err)) ||
        (s = get_int(o, idx, "m", 1, MAX_SIZE, &m, err)) ||
        (s = get_int(o, idx, "flags", 0, 7, &flags, err)) ||
        (s = get_int(o, idx, "max_threads", 1, RV_MAX_THREADS, &cap, err)) ||
        (s = get_name(o, idx, "variant", variant_name, &e->choice.variant, err)) ||
        (s = get_int(o, idx, "threads", 0, RV_MAX_THREADS, &threads, err)) ||
        (s = get_int(o, idx, "block_rows", 0, RV_MAX_BLOCK, &rows, err)) ||
        (s = get_int(o, idx, "block_cols", 0, RV_MAX_BLOCK, &cols, err)) ||
        (s = get_name(o, idx, "effort", effort_name, &e->effort, err)) ||
        (s = get_int(o, idx, "candidates", 1, MAX_COUNT, &cands, err)) ||
        (s = get_int(o, idx, "failed", 0, MAX_COUNT, &failed, err)))
        return s;
    /* Not an integer: a median time per call. The range is the one
     * rv_wisdom_entry_validate enforces (it also sees NaN and Inf, which the
     * JSON text cannot spell; 1e999 parses as Inf). */
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, "seconds");
    if (!cJSON_IsNumber(sec) ||
        !(sec->valuedouble >= 0 && sec->valuedouble <= RV_WISDOM_MAX_SECONDS))
        return rv_fail(err, RV_ERR_FORMAT, "entries[%d].seconds: expected a number in 0..%.0f",
                       idx, RV_WISDOM_MAX_SECONDS);
    char where[32];
    snprintf(where, sizeof where, "entries[%d]: ", idx);
    if ((s = check_members(o, entry_fields, COUNT(entry_fields), where, err)) != RV_OK)
        return s;
    e->problem.shape = (rv_shape){(size_t)n, (size_t)d, (size_t)m};
    e->problem.flags = (unsigned)flags;
    e->max_threads = (int)cap;
    e->choice.opts = (rv_opts){(int)threads, (int)rows, (int)cols};
    e->seconds = sec->valuedouble;
    e->candidates = (int)cands;
    e->failed = (int)failed;
    rv_error why = {0};
    if (rv_wisdom_entry_validate(e, &why) != RV_OK)
        return rv_fail(err, RV_ERR_FORMAT, "entries[%d]: %s", idx, why.msg);
    return RV_OK;
}

/* The fingerprint object's members are exactly those fingerprint.c writes
 * (its names are taken from a serialised fingerprint, not listed twice). */
static rv_status fingerprint_members(const cJSON *fpo, rv_error *err)
{
    rv_fingerprint blank = {0};
    cJSON *model = rv_fingerprint_to_cjson(&blank);
    const char *names[64];
    size_t n = 0;
    for (const cJSON *it = model ? model->child : NULL; it && n < COUNT(names); it = it->next)
        names[n++] = it->string;
    rv_status s = model ? check_members(fpo, names, n, "fingerprint: ", err)
                        : rv_fail(err, RV_ERR_NOMEM, "out of memory checking the fingerprint");
    cJSON_Delete(model);
    return s;
}

static rv_status check_header(const cJSON *root, const rv_fingerprint *expect, rv_error *err)
{
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    double version;
    if (!cJSON_IsObject(root) || !cJSON_IsString(fmt) || strcmp(fmt->valuestring, FORMAT_NAME))
        return rv_fail(err, RV_ERR_FORMAT, "not a reluvet wisdom file (no \"format\": \"%s\")",
                       FORMAT_NAME);
    if (!rv_json_integer(cJSON_GetObjectItemCaseSensitive(root, "version"), FORMAT_VERSION,
                         FORMAT_VERSION, &version))
        return rv_fail(err, RV_ERR_FORMAT, "unsupported wisdom format version (want %d)",
                       FORMAT_VERSION);
    rv_fingerprint fp;
    const cJSON *fpo = cJSON_GetObjectItemCaseSensitive(root, "fingerprint");
    rv_status s = rv_fingerprint_from_cjson(fpo, &fp, err);
    if (s != RV_OK)
        return s;
    if ((s = fingerprint_members(fpo, err)) != RV_OK)
        return s;
    const char *field = rv_fingerprint_diff(&fp, expect);
    if (field) {
        char there[48], here[48];
        return rv_fail(err, RV_ERR_FORMAT, "made for another machine or build: %s is '%s' "
                       "there, '%s' here", field, rv_fingerprint_field(&fp, field, there, sizeof there),
                       rv_fingerprint_field(expect, field, here, sizeof here));
    }
    return RV_OK;
}

static rv_status entries_from_cjson(const cJSON *arr, rv_wisdom *tmp, rv_error *err)
{
    if (!cJSON_IsArray(arr))
        return rv_fail(err, RV_ERR_FORMAT, "\"entries\": expected an array");
    int count = cJSON_GetArraySize(arr);
    if (count > RV_WISDOM_MAX_ENTRIES)
        return rv_fail(err, RV_ERR_FORMAT, "%d entries, more than the limit of %d", count,
                       RV_WISDOM_MAX_ENTRIES);
    int idx = 0;
    for (const cJSON *it = arr->child; it; it = it->next, idx++) {
        rv_wisdom_entry e;
        rv_status s = entry_from_cjson(it, idx, &e, err);
        if (s != RV_OK)
            return s;
        if (rv_wisdom_find(tmp, &e.problem, e.max_threads))
            return rv_fail(err, RV_ERR_FORMAT, "entries[%d]: a second entry for the same key", idx);
        if ((s = rv_wisdom_put(tmp, &e, err)) != RV_OK)
            return s;
    }
    return RV_OK;
}

rv_status rv_wisdom_from_json(rv_wisdom *w, const char *text, size_t len,
                              const rv_fingerprint *expect, rv_error *err)
{
    if (!w || !text || !expect)
        return rv_fail(err, RV_ERR_NULL, "rv_wisdom_from_json: NULL argument");
    for (size_t i = 0; i < len; i++) /* JSON allows no raw control bytes but these */
        if ((unsigned char)text[i] < 0x20 && text[i] != '\t' && text[i] != '\n' &&
            text[i] != '\r')
            return rv_fail(err, RV_ERR_FORMAT, "not valid JSON (control byte 0x%02x at byte "
                           "%zu)", (unsigned)(unsigned char)text[i], i);
    const char *end = NULL;
    /* require_null_terminated is of no use with a length (cJSON then fails
     * every document), so the end is checked here: only JSON whitespace may
     * follow the document, not garbage or a second document. */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root)
        return rv_fail(err, RV_ERR_FORMAT, "not valid JSON (truncated or malformed at byte %td "
                       "of %zu)", end ? end - text : (ptrdiff_t)0, len);
    size_t tail = (size_t)(end - text);
    while (tail < len && (text[tail] == ' ' || text[tail] == '\t' || text[tail] == '\n' ||
                          text[tail] == '\r'))
        tail++;
    if (tail < len) {
        cJSON_Delete(root);
        return rv_fail(err, RV_ERR_FORMAT, "not valid JSON (data after the document at byte "
                       "%zu of %zu)", tail, len);
    }
    rv_wisdom *tmp = NULL;
    rv_status s = check_header(root, expect, err);
    if (s == RV_OK)
        s = rv_wisdom_create(&tmp, err);
    if (s == RV_OK)
        s = entries_from_cjson(cJSON_GetObjectItemCaseSensitive(root, "entries"), tmp, err);
    if (s == RV_OK)
        s = check_members(root, root_fields, COUNT(root_fields), "", err);
    if (s == RV_OK)
        s = rv_wisdom_merge(w, tmp, err);
    rv_wisdom_destroy(tmp);
    cJSON_Delete(root);
    return s;
}

/* ---- files ---- */

/* A path that cannot name a file: "" or one ending in '/' (a folder, "/"
 * included). Refused before anything is created: the lock file would
 * otherwise be "./.lock" or "/.lock", or "dir/.lock" inside the folder. */
static rv_status check_path(const char *path, rv_error *err)
{
    size_t len = strlen(path);
    if (len == 0)
        return rv_fail(err, RV_ERR_IO, "empty wisdom path");
    if (path[len - 1] == '/')
        return rv_fail(err, RV_ERR_IO, "wisdom path %s ends in '/': it names a folder, not a "
                       "file", path);
    return RV_OK;
}

/* Reads path and merges it into w against fp; errors name `name` (the
 * path the caller was given). *missing = 1 when there is no file (RV_OK).
 * *replaceable = 1 only when the file is a regular file that was read whole
 * and rejected for its content (malformed, foreign, out of range): the only
 * kind a save may overwrite. A device, FIFO, folder, an unreadable or
 * oversized file (wisdom is never that large, so it is not ours) or a
 * failed read leaves *replaceable = 0. */
static rv_status load_into(rv_wisdom *w, const char *path, const char *name,
                           const rv_fingerprint *fp, int *missing, int *replaceable,
                           rv_error *err)
{
    struct stat st;
    *missing = *replaceable = 0;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) {
            *missing = 1;
            return RV_OK;
        }
        return rv_fail(err, RV_ERR_IO, "wisdom file %s: %s", name, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) /* never open a FIFO or device: it could block */
        return rv_fail(err, RV_ERR_IO, "wisdom file %s is not a regular file", name);
    char *text = NULL;
    size_t len = 0;
    rv_error why = {0};
    rv_status s = rv_read_file(path, RV_WISDOM_MAX_BYTES, &text, &len, &why);
    if (s == RV_OK) {
        s = rv_wisdom_from_json(w, text, len, fp, &why);
        *replaceable = s == RV_ERR_FORMAT;
    }
    free(text);
    if (s != RV_OK)
        return rv_fail(err, s, "wisdom file %s: %s", name, why.msg);
    return RV_OK;
}

rv_status rv_wisdom_load(rv_wisdom *w, const char *path, rv_error *err)
{
    if (!w || !path)
        return rv_fail(err, RV_ERR_NULL, "rv_wisdom_load: NULL argument");
    rv_status s = check_path(path, err);
    if (s != RV_OK)
        return s;
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    int missing, replaceable;
    return load_into(w, path, path, &fp, &missing, &replaceable, err);
}

#define MAX_LINKS 40 /* as the kernel's limit on symlinks in one lookup */

/* The file a save of path writes, into *out (caller frees): path itself, or
 * when path is a symlink the file it finally points to (followed link by
 * link, so a dangling link names the file to create). The rename of the
 * atomic write then replaces the target, the link stays a link, and the
 * lock is taken beside the target, where every path to it meets. A path
 * whose lstat fails other than with ENOENT is kept as it is: the lock or
 * the write then reports why. */
static rv_status resolve_target(const char *path, char **out, rv_error *err)
{
    char *cur = strdup(path);
    for (int hops = 0; cur; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            *out = cur;
            return RV_OK;
        }
        char link[4096];
        ssize_t n = hops < MAX_LINKS ? readlink(cur, link, sizeof link) : -1;
        if (n < 0 || (size_t)n >= sizeof link) {
            free(cur);
            return rv_fail(err, RV_ERR_IO, "wisdom file %s: %s", path,
                           hops >= MAX_LINKS ? strerror(ELOOP)
                           : n < 0           ? strerror(errno)
                                             : "symbolic link target too long");
        }
        link[n] = '\0';
        /* A relative target is relative to the folder holding the link. */
        const char *slash = strrchr(cur, '/');
        int dir_len = link[0] == '/' || !slash ? 0 : (int)(slash - cur) + 1;
        size_t cap = (size_t)dir_len + (size_t)n + 1;
        char *next = malloc(cap);
        if (next)
            snprintf(next, cap, "%.*s%s", dir_len, cur, link);
        free(cur);
        cur = next;
    }
    return rv_fail(err, RV_ERR_NOMEM, "out of memory resolving %s", path);
}

/* Refuses, before any lock file is made, a target a save must never
 * replace: a folder, a device, a FIFO, a socket, a file we may not read or
 * one larger than any wisdom we write. Missing or not statable (the lock or
 * the write says why): fine here. The read under the lock checks again. */
static rv_status check_target(const char *path, const char *target, rv_error *err)
{
    struct stat st;
    if (stat(target, &st) != 0)
        return RV_OK;
    if (S_ISDIR(st.st_mode))
        return rv_fail(err, RV_ERR_IO, "cannot write %s: %s", path, strerror(EISDIR));
    if (!S_ISREG(st.st_mode))
        return rv_fail(err, RV_ERR_IO, "wisdom file %s is not a regular file; not replacing it",
                       path);
    if ((unsigned long long)st.st_size > RV_WISDOM_MAX_BYTES)
        return rv_fail(err, RV_ERR_IO, "wisdom file %s is too large (%lld bytes, limit %zu); "
                       "not replacing it", path, (long long)st.st_size, RV_WISDOM_MAX_BYTES);
    /* O_NONBLOCK: should a FIFO have taken the file's place since stat. */
    int fd = open(target, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return rv_fail(err, RV_ERR_IO, "wisdom file %s: cannot read it: %s; not replacing it",
                       path, strerror(errno));
    close(fd);
    return RV_OK;
}

/* Opens "<target>.lock" into *fd and takes an exclusive flock on it,
 * waiting up to RV_WISDOM_LOCK_WAIT_S. */
static rv_status lock_path(const char *target, int *fd, rv_error *err)
{
    size_t len = strlen(target) + sizeof ".lock";
    char *lp = malloc(len);
    if (!lp)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory locking %s", target);
    snprintf(lp, len, "%s.lock", target);
    rv_status s = RV_OK;
    /* O_NOFOLLOW: a symlink planted at the lock's name must not make us
     * create a file wherever it points. */
    *fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (*fd < 0)
        s = rv_fail(err, RV_ERR_IO, "cannot open lock file %s: %s", lp, strerror(errno));
    struct timespec nap = {0, 10 * 1000 * 1000};
    for (int tries = (int)(RV_WISDOM_LOCK_WAIT_S * 100);
         s == RV_OK && flock(*fd, LOCK_EX | LOCK_NB) != 0; tries--) {
        if ((errno != EWOULDBLOCK && errno != EINTR) || tries == 0) {
            s = rv_fail(err, RV_ERR_IO, "cannot lock %s: %s", lp,
                        tries == 0 ? "held by another process for too long" : strerror(errno));
            close(*fd);
        }
        nanosleep(&nap, NULL);
    }
    free(lp);
    return s;
}

/* What a save of path needs before it may write: path checked, *target
 * resolved (caller frees) and a replaceable kind of file, or none. */
static rv_status prepare(const char *path, char **target, rv_error *err)
{
    *target = NULL;
    rv_status s = check_path(path, err);
    if (s == RV_OK)
        s = resolve_target(path, target, err);
    if (s == RV_OK)
        s = check_target(path, *target, err);
    if (s != RV_OK) {
        free(*target);
        *target = NULL;
    }
    return s;
}

/* Reads target (named path in messages) into w. RV_OK when it is missing,
 * valid, or rejected for its content only (then *warn, if not NULL, gets
 * "<reason>; replacing it"); otherwise the error, for a save to refuse. */
static rv_status read_before_write(rv_wisdom *w, const char *path, const char *target,
                                   const rv_fingerprint *fp, rv_error *warn, rv_error *err)
{
    int missing, replaceable;
    rv_error why = {0};
    rv_status s = load_into(w, target, path, fp, &missing, &replaceable, &why);
    if (s == RV_OK)
        return RV_OK;
    if (replaceable) {
        if (warn)
            rv_fail(warn, why.code, "%s; replacing it", why.msg);
        return RV_OK;
    }
    if (s == RV_ERR_NOMEM)
        return rv_fail(err, s, "%s", why.msg);
    /* Not a regular file (one took the file's place since check_target),
     * unreadable, too large, a failed read: never ours to overwrite. */
    return rv_fail(err, RV_ERR_IO, "%s; not replacing it", why.msg);
}

rv_status rv_wisdom_check_writable(const char *path, rv_error *err)
{
    if (!path)
        return rv_fail(err, RV_ERR_NULL, "rv_wisdom_check_writable: NULL path");
    char *target;
    rv_status s = prepare(path, &target, err);
    int fd = -1;
    if (s == RV_OK && (s = lock_path(target, &fd, err)) == RV_OK) {
        flock(fd, LOCK_UN);
        close(fd);
        /* What rv_wisdom_save will find (into a scratch wisdom): refused
         * now, before any search, rather than after it. */
        rv_wisdom *scratch = NULL;
        rv_fingerprint fp;
        rv_fingerprint_current(&fp);
        s = rv_wisdom_create(&scratch, err);
        if (s == RV_OK)
            s = read_before_write(scratch, path, target, &fp, NULL, err);
        rv_wisdom_destroy(scratch);
    }
    free(target);
    return s;
}

rv_status rv_wisdom_save(rv_wisdom *w, const char *path, rv_error *warn, rv_error *err)
{
    if (warn)
        *warn = (rv_error){0};
    if (!w || !path)
        return rv_fail(err, RV_ERR_NULL, "rv_wisdom_save: NULL argument");
    char *target;
    rv_status s = prepare(path, &target, err);
    if (s != RV_OK)
        return s;
    int fd = -1;
    if ((s = lock_path(target, &fd, err)) != RV_OK) {
        free(target);
        return s;
    }
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    s = read_before_write(w, path, target, &fp, warn, err);
    char *text = s == RV_OK ? rv_wisdom_to_json(w, &fp) : NULL;
    if (s == RV_OK)
        s = text ? rv_write_file_atomic(target, text, strlen(text), err)
                 : rv_fail(err, RV_ERR_NOMEM, "out of memory writing %s", path);
    free(text);
    free(target);
    flock(fd, LOCK_UN);
    close(fd);
    return s;
}

rv_status rv_wisdom_default_path(char *buf, size_t cap, rv_error *err)
{
    const char *env = getenv("RELUVET_WISDOM"), *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (env && *env)
        n = snprintf(buf, cap, "%s", env);
    else if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/reluvet/wisdom.json", xdg);
    else if (home && *home)
        n = snprintf(buf, cap, "%s/.cache/reluvet/wisdom.json", home);
    else
        return rv_fail(err, RV_ERR_IO, "no wisdom location: set RELUVET_WISDOM, "
                       "XDG_CACHE_HOME or HOME");
    if (n < 0 || (size_t)n >= cap)
        return rv_fail(err, RV_ERR_IO, "wisdom path is longer than %zu bytes", cap - 1);
    return RV_OK;
}
