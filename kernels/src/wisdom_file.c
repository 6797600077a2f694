/* wisdom_file.c - wisdom as a JSON file: strict parsing (a file is used
 * whole or not at all), locked merge-on-write, atomic replacement. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
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
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, "seconds");
    if (!cJSON_IsNumber(sec) || !isfinite(sec->valuedouble) || sec->valuedouble < 0)
        return rv_fail(err, RV_ERR_FORMAT, "entries[%d].seconds: expected a number >= 0", idx);
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
    rv_status s = rv_fingerprint_from_cjson(cJSON_GetObjectItemCaseSensitive(root, "fingerprint"),
                                            &fp, err);
    if (s != RV_OK)
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
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root)
        return rv_fail(err, RV_ERR_FORMAT, "not valid JSON (truncated or malformed at byte %td "
                       "of %zu)", end ? end - text : (ptrdiff_t)0, len);
    rv_wisdom *tmp = NULL;
    rv_status s = check_header(root, expect, err);
    if (s == RV_OK)
        s = rv_wisdom_create(&tmp, err);
    if (s == RV_OK)
        s = entries_from_cjson(cJSON_GetObjectItemCaseSensitive(root, "entries"), tmp, err);
    if (s == RV_OK)
        s = rv_wisdom_merge(w, tmp, err);
    rv_wisdom_destroy(tmp);
    cJSON_Delete(root);
    return s;
}

/* ---- files ---- */

/* Reads path and merges it into w against fp. *missing = 1 when there is
 * no file (RV_OK). Errors name the path. */
static rv_status load_into(rv_wisdom *w, const char *path, const rv_fingerprint *fp,
                           int *missing, rv_error *err)
{
    struct stat st;
    *missing = 0;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) {
            *missing = 1;
            return RV_OK;
        }
        return rv_fail(err, RV_ERR_IO, "wisdom file %s: %s", path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) /* never open a FIFO or device: it could block */
        return rv_fail(err, RV_ERR_IO, "wisdom file %s is not a regular file", path);
    char *text = NULL;
    size_t len = 0;
    rv_error why = {0};
    rv_status s = rv_read_file(path, RV_WISDOM_MAX_BYTES, &text, &len, &why);
    if (s == RV_OK)
        s = rv_wisdom_from_json(w, text, len, fp, &why);
    free(text);
    if (s != RV_OK)
        return rv_fail(err, s, "wisdom file %s: %s", path, why.msg);
    return RV_OK;
}

rv_status rv_wisdom_load(rv_wisdom *w, const char *path, rv_error *err)
{
    if (!w || !path)
        return rv_fail(err, RV_ERR_NULL, "rv_wisdom_load: NULL argument");
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    int missing;
    return load_into(w, path, &fp, &missing, err);
}

/* Opens "<path>.lock" into *fd and takes an exclusive flock on it, waiting
 * up to RV_WISDOM_LOCK_WAIT_S. */
static rv_status lock_path(const char *path, int *fd, rv_error *err)
{
    size_t len = strlen(path) + sizeof ".lock";
    char *lp = malloc(len);
    if (!lp)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory locking %s", path);
    snprintf(lp, len, "%s.lock", path);
    rv_status s = RV_OK;
    *fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
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

rv_status rv_wisdom_check_writable(const char *path, rv_error *err)
{
    if (!path)
        return rv_fail(err, RV_ERR_NULL, "rv_wisdom_check_writable: NULL path");
    int fd = -1;
    rv_status s = lock_path(path, &fd, err);
    if (s != RV_OK)
        return s;
    flock(fd, LOCK_UN);
    close(fd);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return rv_fail(err, RV_ERR_IO, "cannot write %s: %s", path, strerror(EISDIR));
    return RV_OK;
}

rv_status rv_wisdom_save(rv_wisdom *w, const char *path, rv_error *warn, rv_error *err)
{
    if (warn)
        *warn = (rv_error){0};
    if (!w || !path)
        return rv_fail(err, RV_ERR_NULL, "rv_wisdom_save: NULL argument");
    int fd = -1;
    rv_status s = lock_path(path, &fd, err);
    if (s != RV_OK)
        return s;
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    int missing;
    rv_error why = {0};
    if (load_into(w, path, &fp, &missing, &why) != RV_OK && warn)
        rv_fail(warn, why.code, "%s; replacing it", why.msg);
    char *text = rv_wisdom_to_json(w, &fp);
    s = text ? rv_write_file_atomic(path, text, strlen(text), err)
             : rv_fail(err, RV_ERR_NOMEM, "out of memory writing %s", path);
    free(text);
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
