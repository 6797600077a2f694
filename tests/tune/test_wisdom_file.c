/* test_wisdom_file.c - wisdom files: round trip, atomic and concurrent
 * writes, and every kind of bad file rejected with a message (wisdom left
 * unchanged, plans fall back to tuning), never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
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
        cmocka_unit_test(special_paths),
        cmocka_unit_test(save_load_and_replace),
        cmocka_unit_test(concurrent_writers_merge),
        cmocka_unit_test(default_path_follows_xdg),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
