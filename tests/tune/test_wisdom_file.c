/* test_wisdom_file.c - wisdom files: round trip, atomic and concurrent
 * writes, and every kind of bad file rejected with a message (wisdom left
 * unchanged, plans fall back to tuning), never a crash. */
#define _XOPEN_SOURCE 700 /* mknod, S_IFCHR: a character device of our own */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reluvet/fileio.h"
#include "reluvet/reluvet.h"
#include "reluvet/wisdom_file.h"

static char dir[] = "/tmp/rv_wisdom_test_XXXXXX";

static const char *path_in(const char *name)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static rv_wisdom_entry entry(size_t n, rv_dtype dt)
{
    rv_wisdom_entry e = {{RV_OP_LAYER_BWD, dt, {n, 3, 5}, RV_PLAN_WITH_DX}, 2,
                         {RV_VAR_NAIVE, {0, 0, 0}}, RV_EFFORT_MEASURE, 1.25e-6, 7, 1};
    return e;
}

static rv_wisdom *sample(void)
{
    rv_wisdom *w = NULL;
    assert_int_equal(rv_wisdom_create(&w, NULL), RV_OK);
    for (size_t n = 1; n <= 3; n++) {
        rv_wisdom_entry e = entry(n, n == 2 ? RV_F32 : RV_F64);
        assert_int_equal(rv_wisdom_put(w, &e, NULL), RV_OK);
    }
    return w;
}

/* The JSON text of sample() under this process's fingerprint (into *fp). */
static char *sample_json(rv_fingerprint *fp)
{
    rv_fingerprint_current(fp);
    rv_wisdom *w = sample();
    char *text = rv_wisdom_to_json(w, fp);
    rv_wisdom_destroy(w);
    assert_non_null(text);
    return text;
}

static void assert_same(const rv_wisdom *a, const rv_wisdom *b)
{
    assert_int_equal(rv_wisdom_count(a), rv_wisdom_count(b));
    for (size_t i = 0; i < rv_wisdom_count(a); i++) {
        const rv_wisdom_entry *x = rv_wisdom_at(a, i);
        const rv_wisdom_entry *y = rv_wisdom_find(b, &x->problem, x->max_threads);
        assert_non_null(y);
        assert_true(rv_candidate_equal(&x->choice, &y->choice));
        assert_true(x->effort == y->effort && x->seconds == y->seconds &&
                    x->candidates == y->candidates && x->failed == y->failed);
    }
}

static void json_round_trip(void **state)
{
    (void)state;
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    assert_true(fp.usable_cores >= 1 && fp.kernel_set[0] && fp.blis_version[0]);
    rv_wisdom *w = sample(), *back = NULL;
    char *text = rv_wisdom_to_json(w, &fp);
    assert_non_null(text);
    assert_int_equal(rv_wisdom_create(&back, NULL), RV_OK);
    assert_int_equal(rv_wisdom_from_json(back, text, strlen(text), &fp, NULL), RV_OK);
    assert_same(w, back);
    free(text);
    rv_wisdom_destroy(w);
    rv_wisdom_destroy(back);
}

/* The text of a valid file with `from` replaced by `to` (first occurrence). */
static char *edited(const char *from, const char *to)
{
    rv_fingerprint fp;
    char *text = sample_json(&fp);
    char *at = strstr(text, from);
    assert_non_null(at);
    char *out = malloc(strlen(text) + strlen(to) + 1);
    snprintf(out, strlen(text) + strlen(to) + 1, "%.*s%s%s", (int)(at - text), text, to,
             at + strlen(from));
    free(text);
    return out;
}

/* Loading text (as a file) must fail with `code`, a message containing
 * `why`, and leave the wisdom as it was. */
static void rejected(const char *text, size_t len, rv_status code, const char *why)
{
    const char *p = path_in("bad.json");
    assert_int_equal(rv_write_file_atomic(p, text, len, NULL), RV_OK);
    rv_wisdom *w = NULL;
    assert_int_equal(rv_wisdom_create(&w, NULL), RV_OK);
    rv_wisdom_entry keep = entry(99, RV_F64);
    assert_int_equal(rv_wisdom_put(w, &keep, NULL), RV_OK);
    rv_error err = {0};
    assert_int_equal(rv_wisdom_load(w, p, &err), code);
    if (!strstr(err.msg, why))
        fail_msg("message '%s' lacks '%s'", err.msg, why);
    assert_non_null(strstr(err.msg, p)); /* names the file */
    assert_int_equal(rv_wisdom_count(w), 1);
    rv_wisdom_destroy(w);
}

static void rejected_edit(const char *from, const char *to, const char *why)
{
    char *text = edited(from, to);
    rejected(text, strlen(text), RV_ERR_FORMAT, why);
    free(text);
}

static void bad_files_are_rejected(void **state)
{
    (void)state;
    rv_fingerprint fp;
    char *good = sample_json(&fp);
    size_t len = strlen(good);

    /* truncated anywhere */
    for (size_t cut = 0; cut < len; cut += len / 17 + 1)
        rejected(good, cut, RV_ERR_FORMAT, "not valid JSON");
    /* corrupted: garbage, binary, NUL bytes, another JSON document */
    rejected("\x7f" "ELF\x01\x02\x00\xff", 8, RV_ERR_FORMAT, "not valid JSON");
    rejected("[1, 2, 3]", 9, RV_ERR_FORMAT, "not a reluvet wisdom file");
    const char *v2 = "{\"format\": \"reluvet-wisdom\", \"version\": 2}";
    rejected(v2, strlen(v2), RV_ERR_FORMAT, "version");
    char *nul = malloc(len);
    memcpy(nul, good, len);
    nul[len / 2] = '\0';
    rejected(nul, len, RV_ERR_FORMAT, "JSON");
    free(nul);
    /* foreign fingerprints */
    rejected_edit(fp.kernel_set, "0.0.0+0000000000000000", "kernel_set");
    char cores[64], other[64];
    snprintf(cores, sizeof cores, "\"usable_cores\":\t%d", fp.usable_cores);
    snprintf(other, sizeof other, "\"usable_cores\":\t%d", fp.usable_cores + 1);
    rejected_edit(cores, other, "usable_cores");
    rejected_edit("\"blis_kernel_set\":\t\"", "\"blis_kernel_set\":\t\"x", "blis_kernel_set");
    rejected_edit("\"cpu_model\"", "\"cpu_modle\"", "cpu_model");
    /* wrong types and out-of-range values */
    rejected_edit("\"n\":\t1,", "\"n\":\t\"1\",", "entries[0].n");
    rejected_edit("\"n\":\t1,", "\"n\":\t1.5,", "entries[0].n");
    rejected_edit("\"n\":\t1,", "\"n\":\t0,", "entries[0].n");
    rejected_edit("\"n\":\t1,", "\"n\":\t1e300,", "entries[0].n");
    rejected_edit("\"n\":\t1,", "\"n\":\t-7,", "entries[0].n");
    rejected_edit("\"variant\":\t\"naive\"", "\"variant\":\t\"turbo\"", "variant");
    rejected_edit("\"variant\":\t\"naive\"", "\"variant\":\t\"reference\"", "contender");
    rejected_edit("\"threads\":\t0", "\"threads\":\t5", "do not fit");
    rejected_edit("\"effort\":\t\"measure\"", "\"effort\":\t\"estimate\"", "effort");
    rejected_edit("\"flags\":\t2", "\"flags\":\t1", "flags");
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\tnull", "seconds");
    rejected_edit("\"entries\":\t[", "\"entries\":\t7, \"x\": [", "entries");
    rejected_edit("\"fingerprint\":\t{", "\"fingerprint\":\t[], \"y\": {", "fingerprint");
    /* the same key twice */
    rejected_edit("\"n\":\t3,", "\"n\":\t1,", "second entry");
    /* every value range-checked, integers where integers are meant */
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\t1e308", "entries[0].seconds");
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\t1e999", "entries[0].seconds");
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\t-1e-9", "entries[0].seconds");
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\t86401", "entries[0].seconds");
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\t\"1\"", "entries[0].seconds");
    rejected_edit("\"block_rows\":\t0", "\"block_rows\":\t0.5", "entries[0].block_rows");
    rejected_edit("\"block_cols\":\t0", "\"block_cols\":\t5000", "entries[0].block_cols");
    rejected_edit("\"threads\":\t0", "\"threads\":\t-1", "entries[0].threads");
    rejected_edit("\"max_threads\":\t2", "\"max_threads\":\t0", "entries[0].max_threads");
    rejected_edit("\"max_threads\":\t2", "\"max_threads\":\t2.5", "entries[0].max_threads");
    rejected_edit("\"candidates\":\t7", "\"candidates\":\t0", "entries[0].candidates");
    rejected_edit("\"candidates\":\t7", "\"candidates\":\t1e7", "entries[0].candidates");
    rejected_edit("\"failed\":\t1", "\"failed\":\t8", "inconsistent");
    rejected_edit("\"flags\":\t2", "\"flags\":\t8", "entries[0].flags");
    /* no field twice (cJSON would read the first), none unknown */
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\t1.25e-06, \"seconds\": 1e308",
                  "entries[0]: field \"seconds\" appears twice");
    rejected_edit("\"seconds\":\t1.25e-06", "\"seconds\":\t1.25e-06, \"turbo\": 1",
                  "entries[0]: unknown field \"turbo\"");
    rejected_edit("\"version\":\t1,", "\"version\":\t1, \"version\": 1,",
                  "field \"version\" appears twice");
    rejected_edit("\"version\":\t1,", "\"version\":\t1, \"extra\": [],", "unknown field \"extra\"");
    rejected_edit("\"cpu_model\"", "\"cpu_model\": \"other\", \"cpu_model\"",
                  "fingerprint: field \"cpu_model\" appears twice");
    rejected_edit("\"cpu_model\"", "\"gpu\": \"x\", \"cpu_model\"", "fingerprint: unknown field");
    /* nothing after the document: garbage, a second document */
    size_t tl = len + 64;
    char *trail = malloc(tl);
    snprintf(trail, tl, "%s\ngarbage", good);
    rejected(trail, strlen(trail), RV_ERR_FORMAT, "data after the document");
    snprintf(trail, tl, "%s{}", good);
    rejected(trail, strlen(trail), RV_ERR_FORMAT, "data after the document");
    char *twice = malloc(2 * len + 1);
    memcpy(twice, good, len);
    memcpy(twice + len, good, len + 1);
    rejected(twice, 2 * len, RV_ERR_FORMAT, "data after the document");
    free(twice);
    /* ... but whitespace is fine */
    snprintf(trail, tl, " \r\n%s \t\r\n\n", good);
    rv_wisdom *ok = NULL;
    assert_int_equal(rv_wisdom_create(&ok, NULL), RV_OK);
    assert_int_equal(rv_wisdom_from_json(ok, trail, strlen(trail), &fp, NULL), RV_OK);
    assert_int_equal(rv_wisdom_count(ok), 3);
    rv_wisdom_destroy(ok);
    free(trail);
    /* hostile: deep nesting, oversized file, too many entries */
    size_t deep = 100000;
    char *nest = malloc(deep);
    memset(nest, '[', deep);
    rejected(nest, deep, RV_ERR_FORMAT, "not valid JSON");
    free(nest);
    size_t huge = RV_WISDOM_MAX_BYTES + 1;
    char *big = malloc(huge);
    memset(big, ' ', huge);
    rejected(big, huge, RV_ERR_FORMAT, "too large");
    free(big);
    free(good);
}

/* The same ranges hold for entries put in memory (so what a tune records
 * is always read back): NaN, Inf, negative or absurd seconds are refused. */
static void entries_in_memory_are_range_checked(void **state)
{
    (void)state;
    rv_wisdom *w = NULL;
    assert_int_equal(rv_wisdom_create(&w, NULL), RV_OK);
    const double bad[] = {NAN, INFINITY, -1e-9, 1e308, RV_WISDOM_MAX_SECONDS * 2};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rv_wisdom_entry e = entry(1, RV_F64);
        e.seconds = bad[i];
        rv_error err = {0};
        assert_int_equal(rv_wisdom_put(w, &e, &err), RV_ERR_OPTS);
        assert_non_null(strstr(err.msg, "seconds"));
    }
    rv_wisdom_entry e = entry(1, RV_F64);
    e.seconds = RV_WISDOM_MAX_SECONDS;
    assert_int_equal(rv_wisdom_put(w, &e, NULL), RV_OK);
    assert_int_equal(rv_wisdom_count(w), 1);
    rv_wisdom_destroy(w);
}

static void too_many_entries_rejected(void **state)
{
    (void)state;
    rv_fingerprint fp;
    char *text = sample_json(&fp);
    /* the valid header and fingerprint, then RV_WISDOM_MAX_ENTRIES + 1 copies
     * of the first entry: only the count can be the problem */
    char *open = strstr(text, "\"entries\"");
    open = strchr(open, '[') + 1;
    char *first = strchr(open, '{'), *close = strchr(first, '}') + 1;
    size_t head = (size_t)(open - text), one = (size_t)(close - first);
    size_t count = RV_WISDOM_MAX_ENTRIES + 1, cap = head + count * (one + 1) + 8;
    char *doc = malloc(cap);
    memcpy(doc, text, head);
    size_t at = head;
    for (size_t i = 0; i < count; i++) {
        memcpy(doc + at, first, one);
        at += one;
        doc[at++] = i + 1 < count ? ',' : ']';
    }
    doc[at++] = '}';
    rejected(doc, at, RV_ERR_FORMAT, "more than the limit");
    free(doc);
    free(text);
}

static void special_paths(void **state)
{
    (void)state;
    rv_wisdom *w = sample();
    rv_error err = {0};
    /* missing: fine, nothing loaded */
    assert_int_equal(rv_wisdom_load(w, path_in("none.json"), &err), RV_OK);
    assert_int_equal(rv_wisdom_count(w), 3);
    /* a folder and a FIFO: rejected without blocking */
    assert_int_equal(rv_wisdom_load(w, dir, &err), RV_ERR_IO);
    assert_int_equal(mkfifo(path_in("fifo"), 0600), 0);
    assert_int_equal(rv_wisdom_load(w, path_in("fifo"), &err), RV_ERR_IO);
    assert_non_null(strstr(err.msg, "not a regular file"));
    /* saving into a folder that does not exist */
    assert_int_equal(rv_wisdom_save(w, path_in("no/such/dir/w.json"), NULL, &err), RV_ERR_IO);
    /* the check before tuning agrees, and writes no wisdom */
    assert_int_equal(rv_wisdom_check_writable(path_in("no/such/dir/w.json"), &err), RV_ERR_IO);
    assert_int_equal(rv_wisdom_check_writable(dir, &err), RV_ERR_IO);
    assert_non_null(strstr(err.msg, "Is a directory"));
    assert_int_equal(rv_wisdom_check_writable(path_in("fresh.json"), &err), RV_OK);
    assert_int_equal(access(path_in("fresh.json"), F_OK), -1);
    rv_wisdom_destroy(w);
}

/* The bytes of path (NUL-terminated, caller frees), or NULL. */
static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len;
    return rv_read_file(path, (size_t)64 << 20, &text, &len, NULL) == RV_OK ? text : NULL;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* A save (and the check before tuning) must refuse `path`, with RV_ERR_IO,
 * a message containing `why`, and create nothing: `lock` (the lock file it
 * would have made) must not appear. */
static void save_refused(const char *path, const char *why, const char *lock)
{
    rv_wisdom *w = sample();
    rv_error err = {0}, warn = {0};
    int had_lock = lock && exists(lock);
    assert_int_equal(rv_wisdom_check_writable(path, &err), RV_ERR_IO);
    if (!strstr(err.msg, why))
        fail_msg("check of '%s': message '%s' lacks '%s'", path, err.msg, why);
    err = (rv_error){0};
    assert_int_equal(rv_wisdom_save(w, path, &warn, &err), RV_ERR_IO);
    if (!strstr(err.msg, why))
        fail_msg("save of '%s': message '%s' lacks '%s'", path, err.msg, why);
    assert_int_equal(warn.code, RV_OK);
    if (lock && !had_lock && exists(lock))
        fail_msg("refusing '%s' created %s", path, lock);
    rv_wisdom_destroy(w);
}

/* A character device to aim saves at: a /dev/null of our own in the test
 * folder when we may make one (as root, who could also destroy the real
 * one should the code regress: a tune as root once replaced /dev/full),
 * else /dev/null itself, which a non-root process cannot replace. */
static const char *char_device(void)
{
    static char dev[256];
    struct stat st;
    snprintf(dev, sizeof dev, "%s/chardev", dir);
    if (lstat(dev, &st) == 0 || mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0)
        return dev;
    assert_int_not_equal(geteuid(), 0);
    return "/dev/null";
}

/* Item A: only a regular file read whole and rejected for its content is
 * ever replaced; devices, FIFOs, folders, unreadable and oversized files
 * are refused and left as they were. */
static void save_replaces_only_unusable_wisdom(void **state)
{
    (void)state;
    alarm(60); /* opening a FIFO would block: fail rather than hang */
    char lock[300];
    const char *dev = char_device();
    snprintf(lock, sizeof lock, "%s.lock", dev);
    save_refused(dev, "not a regular file; not replacing it", lock);
    struct stat st;
    assert_int_equal(stat(dev, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    /* a FIFO: never opened (no hang), still a FIFO */
    const char *fifo = path_in("save.fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(lock, sizeof lock, "%s.lock", fifo);
    save_refused(fifo, "not a regular file", lock);
    assert_int_equal(stat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    /* a folder: no lock file beside it either */
    const char *sub = path_in("folder");
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(lock, sizeof lock, "%s.lock", sub);
    save_refused(sub, "Is a directory", lock);
    assert_int_equal(stat(sub, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* larger than any wisdom we write: not ours, kept byte for byte */
    const char *big = path_in("big.json");
    size_t huge = RV_WISDOM_MAX_BYTES + 1;
    char *blob = malloc(huge + 1);
    memset(blob, 'x', huge);
    blob[huge] = '\0';
    assert_int_equal(rv_write_file_atomic(big, blob, huge, NULL), RV_OK);
    snprintf(lock, sizeof lock, "%s.lock", big);
    save_refused(big, "too large", lock);
    char *after = slurp(big);
    assert_non_null(after);
    assert_string_equal(after, blob);
    free(after);
    free(blob);
    alarm(0);
}

/* Item A, unreadable: a file we may not read is refused, not replaced. As
 * root (who reads everything) the save runs in a child as nobody. */
static void save_refuses_an_unreadable_file(void **state)
{
    (void)state;
    const char *pub = path_in("public");
    assert_int_equal(mkdir(pub, 0777), 0);
    assert_int_equal(chmod(pub, 0777), 0); /* whatever the umask */
    assert_int_equal(chmod(dir, 0755), 0);
    char secret[300];
    snprintf(secret, sizeof secret, "%s/secret.json", pub);
    const char *text = "{\"mine\": true}";
    assert_int_equal(rv_write_file_atomic(secret, text, strlen(text), NULL), RV_OK);
    assert_int_equal(chmod(secret, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(3);
        } else if (chmod(secret, 0000) != 0) {
            _exit(4);
        }
        if (access(secret, R_OK) == 0)
            _exit(5); /* still readable: nothing to test */
        rv_wisdom *w = sample();
        rv_error err = {0}, warn = {0};
        int bad = rv_wisdom_check_writable(secret, &err) != RV_ERR_IO ||
                  !strstr(err.msg, "Permission denied");
        bad |= (rv_wisdom_save(w, secret, &warn, &err) != RV_ERR_IO ||
                !strstr(err.msg, "not replacing it") || warn.code != RV_OK) << 1;
        rv_wisdom_destroy(w);
        _exit(bad ? 10 + bad : 0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 5)
        skip(); /* e.g. CAP_DAC_OVERRIDE without uid 0 */
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(chmod(secret, 0600), 0);
    char *now = slurp(secret);
    assert_non_null(now);
    assert_string_equal(now, text);
    free(now);
    char lock[320];
    snprintf(lock, sizeof lock, "%s.lock", secret);
    assert_false(exists(lock));
}

/* Item A, symlinks: followed. The target gets the new wisdom, the link
 * stays a link, the lock is beside the target. */
static void save_follows_symlinks(void **state)
{
    (void)state;
    char target[256], link[300], chain[256], sub[256], dangling[256], loop[256], lock[320];
    snprintf(target, sizeof target, "%s", path_in("target.json")); /* path_in's buffer is reused */
    assert_int_equal(rv_write_file_atomic(target, "{\"format\":", 10, NULL), RV_OK);
    snprintf(sub, sizeof sub, "%s", path_in("links"));
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(link, sizeof link, "%s/rel.json", sub);
    assert_int_equal(symlink("../target.json", link), 0); /* relative to its folder */
    snprintf(chain, sizeof chain, "%s", path_in("chain.json"));
    assert_int_equal(symlink(link, chain), 0);             /* a link to a link */
    rv_wisdom *w = sample(), *back = NULL;
    rv_error warn = {0}, err = {0};
    assert_int_equal(rv_wisdom_check_writable(chain, &err), RV_OK);
    assert_int_equal(rv_wisdom_save(w, chain, &warn, &err), RV_OK);
    assert_int_equal(warn.code, RV_ERR_FORMAT); /* the corrupt target was replaced */
    assert_non_null(strstr(warn.msg, "replacing it"));
    struct stat st;
    assert_int_equal(lstat(chain, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(target, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(rv_wisdom_create(&back, NULL), RV_OK);
    assert_int_equal(rv_wisdom_load(back, target, &err), RV_OK);
    assert_same(w, back);
    snprintf(lock, sizeof lock, "%s.lock", target);
    assert_true(exists(lock));
    snprintf(lock, sizeof lock, "%s.lock", chain);
    assert_false(exists(lock));
    /* loads follow links too */
    rv_wisdom_clear(back);
    assert_int_equal(rv_wisdom_load(back, chain, &err), RV_OK);
    assert_same(w, back);
    /* a dangling link names the file to create */
    snprintf(dangling, sizeof dangling, "%s", path_in("dangling.json"));
    assert_int_equal(symlink("created.json", dangling), 0);
    assert_int_equal(rv_wisdom_save(w, dangling, &warn, &err), RV_OK);
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(path_in("created.json"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    /* a link to a device is refused like the device; a loop is an error */
    const char *dev = char_device();
    snprintf(lock, sizeof lock, "%s.lock", dev);
    snprintf(link, sizeof link, "%s", path_in("null.json"));
    assert_int_equal(symlink(dev, link), 0);
    save_refused(link, "not a regular file", lock);
    assert_int_equal(stat(dev, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    snprintf(loop, sizeof loop, "%s", path_in("loop.json"));
    assert_int_equal(symlink("loop.json", loop), 0);
    save_refused(loop, "symbolic links", NULL);
    rv_wisdom_destroy(w);
    rv_wisdom_destroy(back);
}

/* Item B: "", "/" and any path ending in '/' name no file: refused before
 * anything is created (once "./.lock", "/.lock" or "dir/.lock"). */
static void folder_paths_are_refused(void **state)
{
    (void)state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    save_refused("", "empty wisdom path", ".lock");
    save_refused("/", "ends in '/'", "/.lock");
    const char *sub = path_in("slashed");
    assert_int_equal(mkdir(sub, 0755), 0);
    char slashed[300], lock[300];
    snprintf(slashed, sizeof slashed, "%s/", sub);
    snprintf(lock, sizeof lock, "%s/.lock", sub);
    save_refused(slashed, "ends in '/'", lock);
    save_refused("nodir/", "ends in '/'", "nodir/.lock");
    assert_false(exists(".lock"));
    assert_false(exists("nodir"));
    rv_wisdom *w = sample();
    rv_error err = {0};
    assert_int_equal(rv_wisdom_load(w, "", &err), RV_ERR_IO);
    assert_int_equal(rv_wisdom_load(w, slashed, &err), RV_ERR_IO);
    assert_int_equal(rv_wisdom_count(w), 3);
    rv_wisdom_destroy(w);
    assert_int_equal(chdir(cwd), 0);
}

static int temp_files_left(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static void save_load_and_replace(void **state)
{
    (void)state;
    const char *p = path_in("w.json");
    rv_wisdom *w = sample(), *back = NULL;
    rv_error warn = {0}, err = {0};
    assert_int_equal(rv_wisdom_save(w, p, &warn, &err), RV_OK);
    assert_int_equal(warn.code, RV_OK);
    assert_int_equal(rv_wisdom_create(&back, NULL), RV_OK);
    assert_int_equal(rv_wisdom_load(back, p, &err), RV_OK);
    assert_same(w, back);
    assert_int_equal(temp_files_left(), 0);

    /* a corrupt file on disk is replaced, with a warning */
    assert_int_equal(rv_write_file_atomic(p, "{\"format\":", 10, NULL), RV_OK);
    assert_int_equal(rv_wisdom_save(w, p, &warn, &err), RV_OK);
    assert_int_equal(warn.code, RV_ERR_FORMAT);
    assert_non_null(strstr(warn.msg, "replacing it"));
    rv_wisdom_clear(back);
    assert_int_equal(rv_wisdom_load(back, p, &err), RV_OK);
    assert_same(w, back);

    /* a foreign file on disk: a plan made with what loaded (nothing) tunes */
    char *text = edited("\"kernel_set\":\t\"", "\"kernel_set\":\t\"old-");
    assert_int_equal(rv_write_file_atomic(p, text, strlen(text), NULL), RV_OK);
    free(text);
    rv_wisdom_clear(back);
    assert_int_equal(rv_wisdom_load(back, p, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "another machine or build"));
    rv_tune_report rep = {0};
    rv_plan_opts po = {.effort = RV_EFFORT_MEASURE, .max_threads = 2, .wisdom = back,
                       .report = &rep};
    rv_plan *plan = NULL;
    assert_int_equal(rv_plan_create(&plan, RV_OP_LAYER_BWD, RV_F64, (rv_shape){1, 3, 5},
                                    RV_PLAN_WITH_DX, &po, &err), RV_OK);
    assert_true(rep.count > 0); /* searched: the stale entry was not used */
    rv_tune_report_clear(&rep);
    rv_plan_destroy(plan);
    rv_wisdom_destroy(w);
    rv_wisdom_destroy(back);
}

/* Several processes add different entries to one file at once: with the
 * lock and merge-on-write, none is lost and the file stays valid. */
static void concurrent_writers_merge(void **state)
{
    (void)state;
    const char *p = path_in("shared.json");
    enum { WRITERS = 6, ROUNDS = 5 };
    for (int k = 0; k < WRITERS; k++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            rv_wisdom *w = NULL;
            int bad = rv_wisdom_create(&w, NULL) != RV_OK;
            for (int r = 0; r < ROUNDS && !bad; r++) {
                rv_wisdom_entry e = entry((size_t)(100 + k * ROUNDS + r), RV_F64);
                bad |= rv_wisdom_put(w, &e, NULL) != RV_OK;
                bad |= rv_wisdom_save(w, p, NULL, NULL) != RV_OK;
            }
            rv_wisdom_destroy(w);
            _exit(bad);
        }
    }
    for (int k = 0; k < WRITERS; k++) {
        int status;
        assert_true(wait(&status) > 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    rv_wisdom *all = NULL;
    rv_error err = {0};
    assert_int_equal(rv_wisdom_create(&all, NULL), RV_OK);
    assert_int_equal(rv_wisdom_load(all, p, &err), RV_OK);
    assert_int_equal(rv_wisdom_count(all), WRITERS * ROUNDS);
    assert_int_equal(temp_files_left(), 0);
    rv_wisdom_destroy(all);
}

static void default_path_follows_xdg(void **state)
{
    (void)state;
    char buf[512];
    setenv("RELUVET_WISDOM", "/x/y.json", 1);
    assert_int_equal(rv_wisdom_default_path(buf, sizeof buf, NULL), RV_OK);
    assert_string_equal(buf, "/x/y.json");
    unsetenv("RELUVET_WISDOM");
    setenv("XDG_CACHE_HOME", "/cache", 1);
    assert_int_equal(rv_wisdom_default_path(buf, sizeof buf, NULL), RV_OK);
    assert_string_equal(buf, "/cache/reluvet/wisdom.json");
    setenv("XDG_CACHE_HOME", "relative", 1); /* not absolute: ignored, per XDG */
    setenv("HOME", "/home/u", 1);
    assert_int_equal(rv_wisdom_default_path(buf, sizeof buf, NULL), RV_OK);
    assert_string_equal(buf, "/home/u/.cache/reluvet/wisdom.json");
    unsetenv("XDG_CACHE_HOME");
    unsetenv("HOME");
    assert_int_equal(rv_wisdom_default_path(buf, sizeof buf, NULL), RV_ERR_IO);
    setenv("HOME", "/home/u", 1);
    assert_int_equal(rv_wisdom_default_path(buf, 8, NULL), RV_ERR_IO);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_round_trip),
        cmocka_unit_test(bad_files_are_rejected),
        cmocka_unit_test(too_many_entries_rejected),
        cmocka_unit_test(entries_in_memory_are_range_checked),
        cmocka_unit_test(special_paths),
        cmocka_unit_test(save_replaces_only_unusable_wisdom),
        cmocka_unit_test(save_refuses_an_unreadable_file),
        cmocka_unit_test(save_follows_symlinks),
        cmocka_unit_test(folder_paths_are_refused),
        cmocka_unit_test(save_load_and_replace),
        cmocka_unit_test(concurrent_writers_merge),
        cmocka_unit_test(default_path_follows_xdg),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
