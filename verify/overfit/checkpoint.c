/* checkpoint.c - cell JSON, atomic writes, resume. */
#include "checkpoint.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reluvet/fileio.h"

/* A cell file is a few kB per run: 64 MiB is far beyond any real one. */
#define RVO_CHECKPOINT_MAX ((size_t)64 << 20)

static void add_hex(cJSON *o, const char *name, uint64_t x)
{
    char buf[24];
    snprintf(buf, sizeof buf, "0x%016" PRIx64, x);
    cJSON_AddStringToObject(o, name, buf);
}

/* A double written with 17 significant digits, so that it reads back
 * bit-exactly (cJSON's own printer may drop the last bit); NAN or an
 * infinity becomes null. */
static void add_num(cJSON *o, const char *name, double x)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", x);
    if (isfinite(x))
        cJSON_AddRawToObject(o, name, buf);
    else
        cJSON_AddNullToObject(o, name);
}

/* The fewest significant digits ("%.Ng", N <= 17) that read back as exactly
 * x: the key must tell apart every two settings (cJSON's own printer stops
 * at 15 digits when the value is merely close), and for the usual values
 * (0.1, 1e-08) this is the text earlier versions wrote. */
static void exact_text(char *buf, size_t cap, double x)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, cap, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* A finite double of the key, exactly (see exact_text). */
static void add_exact(cJSON *o, const char *name, double x)
{
    char buf[40];
    exact_text(buf, sizeof buf, x);
    cJSON_AddRawToObject(o, name, buf);
}

void rvo_train_settings_json(cJSON *k, const rvo_sweep_cfg *cfg)
{
    add_exact(k, "init_w", cfg->init_w);
    add_exact(k, "init_v", cfg->init_v);
    cJSON_AddStringToObject(k, "trainer", rvo_trainer_name(cfg->train.trainer));
    add_exact(k, "lr_hinge", cfg->train.lr_hinge);
    add_exact(k, "lr_logistic", cfg->train.lr_logistic);
    cJSON_AddNumberToObject(k, "hinge_steps", (double)cfg->train.hinge_steps);
    cJSON_AddNumberToObject(k, "logistic_steps", (double)cfg->train.logistic_steps);
    add_exact(k, "hinge_target", cfg->train.hinge_target);
    cJSON_AddNumberToObject(k, "check_every", (double)cfg->train.check_every);
    add_exact(k, "margin_rtol", cfg->train.margin_rtol);
    cJSON_AddStringToObject(k, "dtype", "f64");
}

static cJSON *key_json(const rvo_sweep_cfg *cfg, const rvo_cell *c)
{
    cJSON *k = cJSON_CreateObject();
    add_hex(k, "master_seed", cfg->master_seed);
    cJSON_AddNumberToObject(k, "d", (double)c->d);
    cJSON_AddNumberToObject(k, "n", (double)c->n);
    add_exact(k, "p", c->p);
    cJSON_AddBoolToObject(k, "bias", c->bias);
    cJSON_AddNumberToObject(k, "seeds", (double)c->seeds);
    cJSON_AddNumberToObject(k, "width", (double)cfg->width);
    cJSON_AddNumberToObject(k, "test_points", (double)cfg->test_n);
    rvo_train_settings_json(k, cfg);
    cJSON_AddStringToObject(k, "form", rvo_form_name(c->form));
    return k;
}

char *rvo_cell_key(const rvo_sweep_cfg *cfg, const rvo_cell *c)
{
    cJSON *k = key_json(cfg, c);
    char *s = k ? cJSON_PrintUnformatted(k) : NULL;
    cJSON_Delete(k);
    return s;
}

/* The noisy test error of a run: one function for the writer and the
 * checker, so that both compute it the same way. */
static double noisy_of(double p, double clean)
{
    return p + (1 - 2 * p) * clean;
}

static cJSON *run_json(const rvo_cell *c, const rvo_run_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seed", (double)r->seed);
    add_hex(o, "data_stream", r->data_stream);
    add_hex(o, "init_stream", r->init_stream);
    add_hex(o, "test_stream", r->test_stream);
    cJSON_AddNumberToObject(o, "flips", (double)r->flips);
    cJSON_AddBoolToObject(o, "interpolated", r->train.interpolated);
    cJSON_AddBoolToObject(o, "margin_reached", r->train.margin_reached);
    cJSON_AddNumberToObject(o, "hinge_steps", (double)r->train.hinge_steps);
    cJSON_AddNumberToObject(o, "logistic_steps", (double)r->train.logistic_steps);
    cJSON_AddNumberToObject(o, "best_step", (double)r->train.best_step);
    add_num(o, "train_error", r->train.train_error);
    add_num(o, "logistic_loss", r->train.logistic_loss);
    add_num(o, "norm_margin", r->train.norm_margin);
    add_num(o, "clean_error", r->clean_error);
    add_num(o, "noisy_error", noisy_of(c->p, r->clean_error));
    add_num(o, "nn_error", r->nn_error);
    add_num(o, "seconds", r->train.seconds);
    add_num(o, "steps_per_s", r->train.steps_per_s);
    cJSON_AddStringToObject(o, "plan", r->plan);
    return o;
}

static const char *const kinds[] = {"curve", "small_n", "nobias"};

cJSON *rvo_cell_json(const rvo_sweep_cfg *cfg, const rvo_cell *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "kind", kinds[c->kind]);
    cJSON_AddItemToObject(o, "key", key_json(cfg, c));
    cJSON *runs = cJSON_AddArrayToObject(o, "runs");
    for (size_t s = 0; s < c->seeds; s++)
        cJSON_AddItemToArray(runs, run_json(c, &c->runs[s]));
    return o;
}


int rvo_checkpoint_path(char *buf, size_t cap, const char *dir, const rvo_cell *c)
{
    /* "%.4f" when it reads back as exactly p (the names of earlier versions,
     * kept so that their checkpoints still load), else the shortest exact
     * text: either way the name determines p (checkpoint.h). A file of an
     * earlier version named by a "%.4f" that is not exact is never looked at
     * again (it may hold another rate's cell): that cell is recomputed. */
    char p[40];
    snprintf(p, sizeof p, "%.4f", c->p);
    if (strtod(p, NULL) != c->p)
        exact_text(p, sizeof p, c->p);
    int n = snprintf(buf, cap, "%s/cell-d%zu-n%zu-p%s-%s.json", dir, c->d, c->n, p,
                     c->bias ? "bias" : "nobias");
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

rv_status rvo_checkpoint_save(const char *dir, const rvo_sweep_cfg *cfg, const rvo_cell *c,
                              rv_error *err)
{
    char path[4096];
    if (rvo_checkpoint_path(path, sizeof path, dir, c) != 0)
        return rv_fail(err, RV_ERR_IO, "checkpoint path too long under %.100s", dir);
    rv_status ms = rv_make_dirs(dir, err);
    if (ms != RV_OK)
        return ms;
    cJSON *o = rvo_cell_json(cfg, c);
    char *text = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory writing %s", path);
    rv_status s = rv_write_file_atomic(path, text, strlen(text), err);
    cJSON_free(text);
    return s;
}

/* -- strict reading ------------------------------------------------------ */

/* Where a message points: the file and, within runs, the run. */
typedef struct where {
    const char *file;
    long run; /* -1: not in a run */
    rv_error *err;
} where;

/* RV_ERR_FORMAT "checkpoint FILE: [run I: ]<what>". */
__attribute__((format(printf, 2, 3))) static rv_status bad(const where *w, const char *fmt, ...)
{
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (w->run >= 0)
        return rv_fail(w->err, RV_ERR_FORMAT, "checkpoint %s: run %ld: %s", w->file, w->run,
                       what);
    return rv_fail(w->err, RV_ERR_FORMAT, "checkpoint %s: %s", w->file, what);
}

/* Every member of o is one of the n names and none appears twice (cJSON
 * keeps duplicates and lookups return the first, so {"flips": 1, "flips":
 * -5} would otherwise read as 1); every name is present. At most 32. */
static rv_status check_members(const cJSON *o, const char *const *names, size_t n,
                               const where *w)
{
    unsigned long seen = 0;
    for (const cJSON *it = o->child; it; it = it->next) {
        size_t i = 0;
        while (i < n && strcmp(it->string, names[i]) != 0)
            i++;
        if (i == n)
            return bad(w, "unknown field \"%.40s\"", it->string);
        if (seen & (1UL << i))
            return bad(w, "field %s appears twice", names[i]);
        seen |= 1UL << i;
    }
    for (size_t i = 0; i < n; i++)
        if (!(seen & (1UL << i)))
            return bad(w, "field %s is missing", names[i]);
    return RV_OK;
}

static const cJSON *item(const cJSON *o, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

/* An integer-valued number in lo..hi. */
static rv_status get_int(const cJSON *o, const char *name, double lo, double hi, double *out,
                         const where *w)
{
    const cJSON *x = item(o, name);
    if (!cJSON_IsNumber(x))
        return bad(w, "%s is not a number", name);
    double v = x->valuedouble;
    char t[40];
    exact_text(t, sizeof t, v);
    if (!(v >= lo && v <= hi) || v != floor(v))
        return bad(w, "%s = %s: expected an integer in %.0f..%.0f", name, t, lo, hi);
    *out = v;
    return RV_OK;
}

/* A number in [lo, hi]; null reads as NAN where nullable (what add_num
 * writes for a value that was not finite). */
static rv_status get_real(const cJSON *o, const char *name, double lo, double hi, int nullable,
                          double *out, const where *w)
{
    const cJSON *x = item(o, name);
    if (nullable && cJSON_IsNull(x)) {
        *out = NAN;
        return RV_OK;
    }
    if (!cJSON_IsNumber(x))
        return bad(w, "%s is not a number%s", name, nullable ? " or null" : "");
    double v = x->valuedouble;
    char t[40];
    exact_text(t, sizeof t, v);
    if (!isfinite(v)) /* 1e999 parses as an infinity */
        return bad(w, "%s = %s is not finite", name, t);
    if (!(v >= lo && v <= hi))
        return bad(w, "%s = %s is out of range [%g, %g]", name, t, lo, hi);
    *out = v;
    return RV_OK;
}

/* A fraction k/count of count points (an error rate as the harness
 * computes it), bit-exactly. */
static rv_status get_fraction(const cJSON *o, const char *name, size_t count, double *out,
                              const where *w)
{
    rv_status s = get_real(o, name, 0, 1, 0, out, w);
    if (s != RV_OK)
        return s;
    double k = floor(*out * (double)count + 0.5);
    char t[40];
    exact_text(t, sizeof t, *out);
    if (k / (double)count != *out)
        return bad(w, "%s = %s is not a fraction k/%zu of the points", name, t, count);
    return RV_OK;
}

static rv_status get_bool(const cJSON *o, const char *name, int *out, const where *w)
{
    const cJSON *x = item(o, name);
    if (!cJSON_IsBool(x))
        return bad(w, "%s is not true or false", name);
    *out = cJSON_IsTrue(x);
    return RV_OK;
}

/* A stream as add_hex writes it ("0x" and 16 hex digits), equal to want. */
static rv_status get_stream(const cJSON *o, const char *name, uint64_t want, uint64_t *out,
                            const where *w)
{
    const cJSON *x = item(o, name);
    const char *t = cJSON_IsString(x) ? x->valuestring : NULL;
    int ok = t && strlen(t) == 18 && t[0] == '0' && t[1] == 'x';
    for (int i = 2; ok && i < 18; i++)
        ok = (t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f');
    if (!ok)
        return bad(w, "%s is not \"0x\" and 16 hex digits", name);
    *out = strtoull(t + 2, NULL, 16);
    if (*out != want)
        return bad(w, "%s %s does not match the settings (master seed, d, seed)", name, t);
    return RV_OK;
}

static const char *const run_fields[] = {
    "seed", "data_stream", "init_stream", "test_stream", "flips", "interpolated",
    "margin_reached", "hinge_steps", "logistic_steps", "best_step", "train_error",
    "logistic_loss", "norm_margin", "clean_error", "noisy_error", "nn_error", "seconds",
    "steps_per_s", "plan"};
static const char *const top_fields[] = {"kind", "key", "runs"};
#define COUNT(a) (sizeof a / sizeof a[0])

/* Reads run i of cell c into r (see rvo_checkpoint_parse for the rules). */
static rv_status parse_run(const cJSON *o, const rvo_sweep_cfg *cfg, const rvo_cell *c,
                           size_t i, rvo_run_result *r, const where *w)
{
    if (!cJSON_IsObject(o))
        return bad(w, "not a JSON object");
    rv_status s = check_members(o, run_fields, COUNT(run_fields), w);
    if (s != RV_OK)
        return s;
    *r = (rvo_run_result){0};
    uint64_t streams[3];
    rvo_run_streams(cfg, c->d, i, streams);
    double v, steps_budget_h = (double)cfg->train.hinge_steps;
    double steps_budget_l = (double)cfg->train.logistic_steps;
    if ((s = get_int(o, "seed", (double)i, (double)i, &v, w)) != RV_OK)
        return s;
    r->seed = i;
    if ((s = get_stream(o, "data_stream", streams[0], &r->data_stream, w)) != RV_OK ||
        (s = get_stream(o, "init_stream", streams[1], &r->init_stream, w)) != RV_OK ||
        (s = get_stream(o, "test_stream", streams[2], &r->test_stream, w)) != RV_OK)
        return s;
    if ((s = get_int(o, "flips", 0, (double)c->n, &v, w)) != RV_OK)
        return s;
    r->flips = (size_t)v;
    if ((s = get_bool(o, "interpolated", &r->train.interpolated, w)) != RV_OK ||
        (s = get_bool(o, "margin_reached", &r->train.margin_reached, w)) != RV_OK)
        return s;
    if ((s = get_int(o, "hinge_steps", 0, steps_budget_h, &v, w)) != RV_OK)
        return s;
    r->train.hinge_steps = (long)v;
    if ((s = get_int(o, "logistic_steps", 0, steps_budget_l, &v, w)) != RV_OK)
        return s;
    r->train.logistic_steps = (long)v;
    if ((s = get_int(o, "best_step", 0, (double)r->train.logistic_steps, &v, w)) != RV_OK)
        return s;
    r->train.best_step = (long)v;
    if ((s = get_fraction(o, "train_error", c->n, &r->train.train_error, w)) != RV_OK)
        return s;
    if (r->train.interpolated != (r->train.train_error == 0))
        return bad(w, "interpolated = %s contradicts train_error = %.17g",
                   r->train.interpolated ? "true" : "false", r->train.train_error);
    if ((s = get_real(o, "logistic_loss", 0, INFINITY, 1, &r->train.logistic_loss, w)) ||
        (s = get_real(o, "norm_margin", -INFINITY, INFINITY, 1, &r->train.norm_margin, w)) ||
        (s = get_fraction(o, "clean_error", cfg->test_n, &r->clean_error, w)))
        return s;
    if ((s = get_real(o, "noisy_error", 0, 1, 0, &v, w)) != RV_OK)
        return s;
    if (fabs(v - noisy_of(c->p, r->clean_error)) > 1e-12) {
        char have[40], want[40];
        exact_text(have, sizeof have, v);
        exact_text(want, sizeof want, noisy_of(c->p, r->clean_error));
        return bad(w, "noisy_error = %s is not p + (1 - 2p) clean_error = %s", have, want);
    }
    if (c->d == 1) {
        if ((s = get_fraction(o, "nn_error", cfg->test_n, &r->nn_error, w)) != RV_OK)
            return s;
    } else if (!cJSON_IsNull(item(o, "nn_error"))) {
        return bad(w, "nn_error must be null at d = %zu (1-NN is measured at d = 1 only)",
                   c->d);
    } else {
        r->nn_error = NAN;
    }
    if ((s = get_real(o, "seconds", 0, 1e9, 0, &r->train.seconds, w)) != RV_OK ||
        (s = get_real(o, "steps_per_s", 0, INFINITY, 0, &r->train.steps_per_s, w)) != RV_OK)
        return s;
    double steps = (double)(r->train.hinge_steps + r->train.logistic_steps);
    double rate = r->train.seconds > 0 ? steps / r->train.seconds : 0;
    if (fabs(r->train.steps_per_s - rate) > 1e-9 * rate)
    {
        char have[40], want[40];
        exact_text(have, sizeof have, r->train.steps_per_s);
        exact_text(want, sizeof want, rate);
        return bad(w, "steps_per_s = %s is not steps / seconds = %s", have, want);
    }
    const cJSON *plan = item(o, "plan");
    size_t plen = cJSON_IsString(plan) ? strlen(plan->valuestring) : 0;
    int printable = plen > 0 && plen < sizeof r->plan;
    for (size_t k = 0; printable && k < plen; k++)
        printable = (unsigned char)plan->valuestring[k] >= 0x20 && plan->valuestring[k] != 0x7f;
    if (!printable)
        return bad(w, "plan is not a string of 1..%zu printable bytes", sizeof r->plan - 1);
    memcpy(r->plan, plan->valuestring, plen + 1);
    return RV_OK;
}

/* Whether two keys are equal: the same members, numbers equal exactly,
 * strings and booleans alike. Compared as values, not text, so that a key
 * written by an earlier version (cJSON's printer) still matches. */
static int same_key(const cJSON *have, const cJSON *want)
{
    if (!cJSON_IsObject(have) || cJSON_GetArraySize(have) != cJSON_GetArraySize(want))
        return 0;
    for (const cJSON *x = want->child; x; x = x->next) {
        const cJSON *y = item(have, x->string);
        if (!y || (x->type & 0xFF) != (y->type & 0xFF))
            return 0;
        if (cJSON_IsNumber(x) && x->valuedouble != y->valuedouble)
            return 0;
        if (cJSON_IsString(x) && strcmp(x->valuestring, y->valuestring) != 0)
            return 0;
    }
    return 1; /* as many members, each of want's found: no duplicate either */
}

rv_status rvo_checkpoint_parse(const char *text, size_t len, const char *name,
                               const rvo_sweep_cfg *cfg, rvo_cell *c, rv_error *err)
{
    where w = {.file = name, .run = -1, .err = err};
    /* JSON allows no raw control bytes but whitespace; a NUL would also end
     * the text early for cJSON. */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 && text[i] != '\t' && text[i] != '\n' &&
            text[i] != '\r')
            return rv_fail(err, RV_ERR_FORMAT, "checkpoint %s is malformed (control byte 0x%02x "
                           "at byte %zu)", name, (unsigned)(unsigned char)text[i], i);
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!o)
        return rv_fail(err, RV_ERR_FORMAT, "checkpoint %s is malformed", name);
    size_t tail = (size_t)(end - text);
    while (tail < len && (text[tail] == ' ' || text[tail] == '\t' || text[tail] == '\n' ||
                          text[tail] == '\r'))
        tail++;
    rv_status s = RV_OK;
    rvo_run_result *runs = NULL;
    char *want_text = NULL;
    cJSON *want = NULL;
    if (tail < len) {
        s = rv_fail(err, RV_ERR_FORMAT, "checkpoint %s is malformed (data after the JSON "
                    "document at byte %zu of %zu)", name, tail, len);
        goto done;
    }
    if (!cJSON_IsObject(o)) {
        s = rv_fail(err, RV_ERR_FORMAT, "checkpoint %s is malformed (not a JSON object)", name);
        goto done;
    }
    if ((s = check_members(o, top_fields, COUNT(top_fields), &w)) != RV_OK)
        goto done;
    const cJSON *kind = item(o, "kind"), *runs_json = item(o, "runs");
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, kinds[c->kind]) != 0) {
        s = bad(&w, "kind is not \"%s\"", kinds[c->kind]);
        goto done;
    }
    want_text = rvo_cell_key(cfg, c);
    want = want_text ? cJSON_Parse(want_text) : NULL;
    if (!want) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory reading %s", name);
        goto done;
    }
    if (!same_key(item(o, "key"), want)) {
        s = rv_fail(err, RV_ERR_FORMAT,
                    "checkpoint %s was made with other settings: use another output folder or "
                    "remove it",
                    name);
        goto done;
    }
    if (!cJSON_IsArray(runs_json) || (size_t)cJSON_GetArraySize(runs_json) != c->seeds) {
        s = rv_fail(err, RV_ERR_FORMAT, "checkpoint %s has %d runs, expected %zu", name,
                    cJSON_IsArray(runs_json) ? cJSON_GetArraySize(runs_json) : 0, c->seeds);
        goto done;
    }
    /* Into a copy: a file refused halfway leaves the cell as it was. */
    runs = calloc(c->seeds, sizeof *runs);
    if (!runs) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory reading %s", name);
        goto done;
    }
    size_t i = 0;
    for (const cJSON *r = runs_json->child; r && s == RV_OK; r = r->next, i++) {
        w.run = (long)i;
        s = parse_run(r, cfg, c, i, &runs[i], &w);
    }
    if (s == RV_OK)
        memcpy(c->runs, runs, c->seeds * sizeof *runs);
done:
    free(runs);
    cJSON_Delete(want);
    cJSON_free(want_text);
    cJSON_Delete(o);
    return s;
}

rv_status rvo_checkpoint_load(const char *dir, const rvo_sweep_cfg *cfg, rvo_cell *c,
                              int *loaded, rv_error *err)
{
    *loaded = 0;
    char path[4096];
    if (rvo_checkpoint_path(path, sizeof path, dir, c) != 0)
        return rv_fail(err, RV_ERR_IO, "checkpoint path too long under %.100s", dir);
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT)
        return RV_OK;
    char *text = NULL;
    size_t len = 0;
    rv_status s = rv_read_file(path, RVO_CHECKPOINT_MAX, &text, &len, err);
    if (s != RV_OK)
        return s;
    s = rvo_checkpoint_parse(text, len, path, cfg, c, err);
    free(text);
    if (s == RV_OK) {
        *loaded = 1;
        c->done = c->seeds;
        c->from_checkpoint = 1;
    }
    return s;
}
