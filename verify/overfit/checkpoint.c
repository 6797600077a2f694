/* checkpoint.c - cell JSON, atomic writes, resume. */
#include "checkpoint.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
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

static cJSON *key_json(const rvo_sweep_cfg *cfg, const rvo_cell *c)
{
    cJSON *k = cJSON_CreateObject();
    add_hex(k, "master_seed", cfg->master_seed);
    cJSON_AddNumberToObject(k, "d", (double)c->d);
    cJSON_AddNumberToObject(k, "n", (double)c->n);
    cJSON_AddNumberToObject(k, "p", c->p);
    cJSON_AddBoolToObject(k, "bias", c->bias);
    cJSON_AddNumberToObject(k, "seeds", (double)c->seeds);
    cJSON_AddNumberToObject(k, "width", (double)cfg->width);
    cJSON_AddNumberToObject(k, "test_points", (double)cfg->test_n);
    cJSON_AddNumberToObject(k, "init_w", cfg->init_w);
    cJSON_AddNumberToObject(k, "init_v", cfg->init_v);
    cJSON_AddStringToObject(k, "trainer", rvo_trainer_name(cfg->train.trainer));
    cJSON_AddNumberToObject(k, "lr_hinge", cfg->train.lr_hinge);
    cJSON_AddNumberToObject(k, "lr_logistic", cfg->train.lr_logistic);
    cJSON_AddNumberToObject(k, "hinge_steps", (double)cfg->train.hinge_steps);
    cJSON_AddNumberToObject(k, "logistic_steps", (double)cfg->train.logistic_steps);
    cJSON_AddNumberToObject(k, "hinge_target", cfg->train.hinge_target);
    cJSON_AddNumberToObject(k, "check_every", (double)cfg->train.check_every);
    cJSON_AddNumberToObject(k, "margin_rtol", cfg->train.margin_rtol);
    cJSON_AddStringToObject(k, "dtype", "f64");
    return k;
}

char *rvo_cell_key(const rvo_sweep_cfg *cfg, const rvo_cell *c)
{
    cJSON *k = key_json(cfg, c);
    char *s = k ? cJSON_PrintUnformatted(k) : NULL;
    cJSON_Delete(k);
    return s;
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
    add_num(o, "noisy_error", c->p + (1 - 2 * c->p) * r->clean_error);
    add_num(o, "nn_error", r->nn_error);
    add_num(o, "seconds", r->train.seconds);
    add_num(o, "steps_per_s", r->train.steps_per_s);
    cJSON_AddStringToObject(o, "plan", r->plan);
    return o;
}

cJSON *rvo_cell_json(const rvo_sweep_cfg *cfg, const rvo_cell *c)
{
    static const char *const kinds[] = {"curve", "small_n", "nobias"};
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

static void cell_path(char *buf, size_t cap, const char *dir, const rvo_cell *c)
{
    snprintf(buf, cap, "%s/cell-d%zu-n%zu-p%.4f-%s.json", dir, c->d, c->n, c->p,
             c->bias ? "bias" : "nobias");
}

rv_status rvo_checkpoint_save(const char *dir, const rvo_sweep_cfg *cfg, const rvo_cell *c,
                              rv_error *err)
{
    rv_status ms = rv_make_dirs(dir, err);
    if (ms != RV_OK)
        return ms;
    char path[4096];
    cell_path(path, sizeof path, dir, c);
    cJSON *o = rvo_cell_json(cfg, c);
    char *text = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory writing %s", path);
    rv_status s = rv_write_file_atomic(path, text, strlen(text), err);
    cJSON_free(text);
    return s;
}

static double num(const cJSON *o, const char *name)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static uint64_t hex(const cJSON *o, const char *name)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(x) ? strtoull(x->valuestring, NULL, 16) : 0;
}

static int flag(const cJSON *o, const char *name)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* Reads one run back; 0 if a required field is missing. */
static int parse_run(const cJSON *o, rvo_run_result *r)
{
    const cJSON *plan = cJSON_GetObjectItemCaseSensitive(o, "plan");
    double seed = num(o, "seed"), ce = num(o, "clean_error");
    if (!cJSON_IsString(plan) || isnan(seed) || isnan(ce))
        return 0;
    *r = (rvo_run_result){0};
    r->seed = (size_t)seed;
    r->data_stream = hex(o, "data_stream");
    r->init_stream = hex(o, "init_stream");
    r->test_stream = hex(o, "test_stream");
    r->flips = (size_t)num(o, "flips");
    r->train.interpolated = flag(o, "interpolated");
    r->train.margin_reached = flag(o, "margin_reached");
    r->train.hinge_steps = (long)num(o, "hinge_steps");
    r->train.logistic_steps = (long)num(o, "logistic_steps");
    r->train.best_step = (long)num(o, "best_step");
    r->train.train_error = num(o, "train_error");
    r->train.logistic_loss = num(o, "logistic_loss");
    r->train.norm_margin = num(o, "norm_margin");
    r->train.seconds = num(o, "seconds");
    r->train.steps_per_s = num(o, "steps_per_s");
    r->clean_error = ce;
    r->nn_error = num(o, "nn_error");
    snprintf(r->plan, sizeof r->plan, "%s", plan->valuestring);
    return 1;
}

rv_status rvo_checkpoint_load(const char *dir, const rvo_sweep_cfg *cfg, rvo_cell *c,
                              int *loaded, rv_error *err)
{
    *loaded = 0;
    char path[4096];
    cell_path(path, sizeof path, dir, c);
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return RV_OK;
    char *text = NULL;
    size_t len = 0;
    rv_status rs = rv_read_file(path, RVO_CHECKPOINT_MAX, &text, &len, err);
    if (rs != RV_OK)
        return rs;
    cJSON *o = cJSON_Parse(text);
    free(text);
    char *want = rvo_cell_key(cfg, c);
    char *have = o ? cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(o, "key")) : NULL;
    rv_status s = RV_OK;
    const cJSON *runs = o ? cJSON_GetObjectItemCaseSensitive(o, "runs") : NULL;
    if (!o || !have || !cJSON_IsArray(runs)) {
        s = rv_fail(err, RV_ERR_FORMAT, "checkpoint %s is malformed", path);
    } else if (!want || strcmp(want, have) != 0) {
        s = rv_fail(err, RV_ERR_FORMAT,
                    "checkpoint %s was made with other settings: use another output folder or "
                    "remove it",
                    path);
    } else if ((size_t)cJSON_GetArraySize(runs) != c->seeds) {
        s = rv_fail(err, RV_ERR_FORMAT, "checkpoint %s has %d runs, expected %zu", path,
                    cJSON_GetArraySize(runs), c->seeds);
    } else {
        size_t i = 0;
        const cJSON *r;
        cJSON_ArrayForEach(r, runs)
        {
            if (!parse_run(r, &c->runs[i]) || c->runs[i].seed != i) {
                s = rv_fail(err, RV_ERR_FORMAT, "checkpoint %s: run %zu is malformed", path, i);
                break;
            }
            i++;
        }
    }
    if (s == RV_OK) {
        *loaded = 1;
        c->done = c->seeds;
        c->from_checkpoint = 1;
    }
    cJSON_free(have);
    cJSON_free(want);
    cJSON_Delete(o);
    return s;
}
