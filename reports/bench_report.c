/* bench_report.c - Markdown and figures from the benchmark JSON (see
 * bench_report.h). Case names are those of bench/shapes.h:
 * <op>/<impl>/<dtype>/<set>/<shape>/t<threads>[/real_time]. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench_report.h"
#include "gnuplot.h"
#include "reluvet/reluvet.h"
#include "text.h"

/* ---- results ---- */

typedef struct rec {
    char key[160];              /* op/impl/dtype/set/shape/tN */
    char op[24], impl[32], dtype[8], set[16], shape[48];
    int threads;
    const char *unit;           /* "GFLOP/s" or "GB/s" */
    double rate, bytes, flops, d;
    char label[320];
    char error[200];            /* "" unless the run failed */
    int median;                 /* from a median aggregate */
} rec;

typedef struct run {
    rec *r;
    size_t n, cap;
    /* context */
    double l1, l2, l3;          /* cache bytes (0 unknown) */
    char date[64], host[128], mode[16], seed[24], blis[128], onednn[96], timing[96];
    char oracle_cap[32], torch[128], build[16];
    int cpus, cores;
    double mhz;
    double load;                /* 1-minute load average as the run started; < 0 unknown */
} run;

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* Splits a case name into r's fields; 0 on success. */
static int parse_name(const char *name, rec *r)
{
    char buf[256], *save = NULL, *tok[6];
    copy(buf, sizeof buf, name);
    int k = 0;
    for (char *t = strtok_r(buf, "/", &save); t && k < 6; t = strtok_r(NULL, "/", &save))
        tok[k++] = t;
    if (k < 6 || tok[5][0] != 't')
        return -1;
    char *end;
    long th = strtol(tok[5] + 1, &end, 10);
    if (*end || th < 1)
        return -1;
    /* a field too long for its buffer is not one of ours (cut, two names
     * could read as one case), nor one with a control character (a line
     * end would split the data files' lines) */
    if (strlen(name) >= sizeof buf || !rv_gnuplot_exact(name) || strlen(tok[0]) >= sizeof r->op ||
        strlen(tok[1]) >= sizeof r->impl || strlen(tok[2]) >= sizeof r->dtype ||
        strlen(tok[3]) >= sizeof r->set || strlen(tok[4]) >= sizeof r->shape)
        return -1;
    copy(r->op, sizeof r->op, tok[0]);
    copy(r->impl, sizeof r->impl, tok[1]);
    copy(r->dtype, sizeof r->dtype, tok[2]);
    copy(r->set, sizeof r->set, tok[3]);
    copy(r->shape, sizeof r->shape, tok[4]);
    r->threads = (int)th;
    snprintf(r->key, sizeof r->key, "%s/%s/%s/%s/%s/t%d", r->op, r->impl, r->dtype, r->set,
             r->shape, r->threads);
    return 0;
}

static rec *find_key(run *R, const char *key)
{
    for (size_t i = 0; i < R->n; i++)
        if (strcmp(R->r[i].key, key) == 0)
            return &R->r[i];
    return NULL;
}

/* Adds one JSON result: the median aggregate of a case wins over its
 * repetitions; other aggregates are ignored. */
static rv_status add_result(run *R, const cJSON *b, rv_error *err)
{
    const char *type = jstr(b, "run_type"), *agg = jstr(b, "aggregate_name");
    if (type && strcmp(type, "aggregate") == 0 && (!agg || strcmp(agg, "median") != 0))
        return RV_OK;
    const char *name = jstr(b, "run_name") ? jstr(b, "run_name") : jstr(b, "name");
    rec r = {0};
    if (!name || parse_name(name, &r) != 0)
        return RV_OK; /* not one of ours (e.g. a foreign benchmark in the file) */
    r.median = type && strcmp(type, "aggregate") == 0;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(b, "error_occurred");
    if (cJSON_IsTrue(e))
        copy(r.error, sizeof r.error, jstr(b, "error_message") ? jstr(b, "error_message") : "?");
    r.unit = cJSON_GetObjectItemCaseSensitive(b, "GB/s") ? "GB/s" : "GFLOP/s";
    r.rate = jnum(b, r.unit, NAN);
    r.bytes = jnum(b, "bytes", NAN);
    r.flops = jnum(b, "flops", NAN);
    r.d = jnum(b, "d", NAN);
    copy(r.label, sizeof r.label, jstr(b, "label"));
    rec *old = find_key(R, r.key);
    if (old) {
        if (r.median && !old->median) {
            if (!r.label[0])
                copy(r.label, sizeof r.label, old->label);
            *old = r;
        } else if (!old->label[0]) {
            copy(old->label, sizeof old->label, r.label);
        }
        return RV_OK;
    }
    if (R->n == R->cap) {
        size_t cap = R->cap ? 2 * R->cap : 256;
        rec *g = realloc(R->r, cap * sizeof *g);
        if (!g)
            return rv_fail(err, RV_ERR_NOMEM, "out of memory reading results");
        R->r = g;
        R->cap = cap;
    }
    R->r[R->n++] = r;
    return RV_OK;
}

static void read_context(run *R, const cJSON *c)
{
    copy(R->date, sizeof R->date, jstr(c, "date"));
    copy(R->host, sizeof R->host, jstr(c, "host_name"));
    copy(R->mode, sizeof R->mode, jstr(c, "reluvet_mode"));
    copy(R->seed, sizeof R->seed, jstr(c, "reluvet_seed"));
    copy(R->blis, sizeof R->blis, jstr(c, "reluvet_blis"));
    copy(R->onednn, sizeof R->onednn, jstr(c, "reluvet_onednn"));
    copy(R->timing, sizeof R->timing, jstr(c, "reluvet_timing"));
    copy(R->oracle_cap, sizeof R->oracle_cap, jstr(c, "reluvet_oracle_max_flops"));
    copy(R->build, sizeof R->build, jstr(c, "library_build_type"));
    R->cpus = (int)jnum(c, "num_cpus", 0);
    R->mhz = jnum(c, "mhz_per_cpu", 0);
    R->cores = jstr(c, "reluvet_usable_cores") ? atoi(jstr(c, "reluvet_usable_cores")) : 0;
    const cJSON *load = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "load_avg"), 0);
    R->load = cJSON_IsNumber(load) ? load->valuedouble : -1;
    const cJSON *cache;
    cJSON_ArrayForEach(cache, cJSON_GetObjectItemCaseSensitive(c, "caches"))
    {
        const char *type = jstr(cache, "type");
        int level = (int)jnum(cache, "level", 0);
        double size = jnum(cache, "size", 0);
        if (level == 1 && type && strcmp(type, "Instruction") != 0)
            R->l1 = size;
        else if (level == 2)
            R->l2 = size;
        else if (level == 3)
            R->l3 = size;
    }
}

/* Google Benchmark writes non-finite numbers as bare NaN / Infinity (e.g.
 * the cv of a counter whose mean is 0), which is not JSON: outside strings
 * and numbers, any bare word other than true / false / null (with an
 * optional leading minus) becomes null. Returns a fresh buffer, or NULL when
 * out of memory. */
static char *json_nonfinite_to_null(const char *in, size_t len)
{
    char *out = malloc(4 * len + 1), *o = out; /* a 1-letter word grows 4-fold */
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = in[i], next = i + 1 < len ? in[i + 1] : 0;
        if (c == '"') { /* a string, escapes included */
            *o++ = in[i++];
            while (i < len && in[i] != '"') {
                if (in[i] == '\\' && i + 1 < len)
                    *o++ = in[i++];
                *o++ = in[i++];
            }
            if (i < len)
                *o++ = in[i];
        } else if (isdigit((unsigned char)c) || (c == '-' && isdigit((unsigned char)next))) {
            while (i < len && strchr("0123456789.eE+-", in[i]))
                *o++ = in[i++];
            i--;
        } else if (isalpha((unsigned char)c) || (c == '-' && isalpha((unsigned char)next))) {
            size_t w = i + (c == '-'), e = w;
            while (e < len && isalpha((unsigned char)in[e]))
                e++;
            int keep = c != '-' && ((e - w == 4 && (!strncmp(in + w, "true", 4) ||
                                                    !strncmp(in + w, "null", 4))) ||
                                    (e - w == 5 && !strncmp(in + w, "false", 5)));
            memcpy(o, keep ? in + w : "null", keep ? e - w : 4);
            o += keep ? e - w : 4;
            i = e - 1;
        } else {
            *o++ = c;
        }
    }
    *o = 0;
    return out;
}

/* Loads one JSON file of results into R; context too when with_context. */
static rv_status load(run *R, const char *path, int with_context, rv_error *err)
{
    char *text;
    size_t len;
    rv_status st = rv_read_file(path, (size_t)1 << 28, &text, &len, err);
    if (st != RV_OK)
        return st;
    char *clean = json_nonfinite_to_null(text, len);
    free(text);
    if (!clean)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory reading %s", path);
    cJSON *root = cJSON_Parse(clean);
    free(clean);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "benchmarks");
    if (!root || !cJSON_IsArray(list)) {
        cJSON_Delete(root);
        return rv_fail(err, RV_ERR_FORMAT, "%s is not Google Benchmark JSON", path);
    }
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(root, "context");
    if (with_context)
        read_context(R, ctx);
    else
        copy(R->torch, sizeof R->torch, jstr(ctx, "reluvet_peer"));
    rv_status s = RV_OK;
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        if (s == RV_OK)
            s = add_result(R, it, err);
    }
    cJSON_Delete(root);
    return s;
}

/* ---- groups: one table and one figure per (op, dtype, threads) ---- */

enum { MAX_GROUPS = 64, MAX_SHAPES = 40, MAX_IMPLS = 16 };

typedef struct group {
    char op[24], dtype[8];
    int threads;
    int nshapes, nimpls;
    const rec *shape_rec[MAX_SHAPES]; /* one record per shape: its set, bytes, flops, d */
    char impl[MAX_IMPLS][32];
} group;

/* Columns: variants first, then the tuned plan, the roofs, the peers. */
static int impl_class(const char *impl)
{
    if (strcmp(impl, "tuned") == 0)
        return 1;
    if (strncmp(impl, "roof-", 5) == 0)
        return 2;
    if (strncmp(impl, "peer-", 5) == 0)
        return 3;
    return 0;
}

static rv_status build_groups(const run *R, group *g, int *ng, rv_error *err)
{
    *ng = 0;
    for (size_t i = 0; i < R->n; i++) {
        const rec *r = &R->r[i];
        group *G = NULL;
        for (int k = 0; k < *ng && !G; k++)
            if (strcmp(g[k].op, r->op) == 0 && strcmp(g[k].dtype, r->dtype) == 0 &&
                g[k].threads == r->threads)
                G = &g[k];
        if (!G) {
            if (*ng == MAX_GROUPS)
                return rv_fail(err, RV_ERR_FORMAT, "more than %d (op, dtype, threads) groups",
                               MAX_GROUPS);
            G = &g[(*ng)++];
            *G = (group){.threads = r->threads};
            copy(G->op, sizeof G->op, r->op);
            copy(G->dtype, sizeof G->dtype, r->dtype);
        }
        int s = 0;
        while (s < G->nshapes && (strcmp(G->shape_rec[s]->shape, r->shape) != 0 ||
                                  strcmp(G->shape_rec[s]->set, r->set) != 0))
            s++;
        if (s == G->nshapes) {
            if (s == MAX_SHAPES)
                return rv_fail(err, RV_ERR_FORMAT, "more than %d shapes in %s", MAX_SHAPES,
                               r->op);
            G->shape_rec[G->nshapes++] = r;
        } else if (G->shape_rec[s]->error[0] && !r->error[0]) {
            G->shape_rec[s] = r; /* prefer a record that carries the counters */
        }
        int m = 0;
        while (m < G->nimpls && strcmp(G->impl[m], r->impl) != 0)
            m++;
        if (m == G->nimpls) {
            if (m == MAX_IMPLS)
                return rv_fail(err, RV_ERR_FORMAT, "more than %d implementations in %s",
                               MAX_IMPLS, r->op);
            copy(G->impl[G->nimpls++], sizeof G->impl[0], r->impl);
        }
    }
    for (int k = 0; k < *ng; k++) { /* stable sort of the columns by class */
        group *G = &g[k];
        for (int a = 1; a < G->nimpls; a++)
            for (int b = a; b > 0 && impl_class(G->impl[b - 1]) > impl_class(G->impl[b]); b--) {
                char t[32];
                memcpy(t, G->impl[b], sizeof t);
                memcpy(G->impl[b], G->impl[b - 1], sizeof t);
                memcpy(G->impl[b - 1], t, sizeof t);
            }
    }
    return RV_OK;
}

/* The record of impl at shape s of group G, or NULL. */
static const rec *lookup(const run *R, const group *G, const rec *s, const char *impl)
{
    char key[160];
    snprintf(key, sizeof key, "%s/%s/%s/%s/%s/t%d", G->op, impl, G->dtype, s->set, s->shape,
             G->threads);
    return find_key((run *)R, key);
}

static int elementwise(const group *G)
{
    return strncmp(G->op, "relu", 4) == 0;
}

static const char *level(const run *R, double ws)
{
    if (!(ws > 0) || !(R->l1 > 0))
        return "?";
    return ws <= R->l1 ? "L1" : R->l2 > 0 && ws <= R->l2 ? "L2" : R->l3 > 0 && ws <= R->l3 ? "L3"
                                                                                         : "DRAM";
}

static void fmt_bytes(char *buf, size_t cap, double b)
{
    if (b >= 1 << 20)
        snprintf(buf, cap, "%.3g MiB", b / (1 << 20));
    else
        snprintf(buf, cap, "%.3g KiB", b / (1 << 10));
}

static void fmt_rate(char *buf, size_t cap, double x)
{
    if (x >= 100)
        snprintf(buf, cap, "%.0f", x);
    else
        snprintf(buf, cap, "%.3g", x);
}

static const char *peer_letter(const char *impl)
{
    return strcmp(impl, "peer-onednn") == 0 ? "D" : strcmp(impl, "peer-torch") == 0 ? "T" : "P";
}

/* The plan's choice from a tuned label: the text after each "...: ". */
static void choice(const char *label, char *out, size_t cap)
{
    out[0] = 0;
    char buf[320], *save = NULL;
    copy(buf, sizeof buf, label);
    for (char *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        const char *c = strstr(part, ": ");
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", len ? " / " : "", c ? c + 2 : part);
    }
}

/* ---- the Markdown tables ---- */

static void table(rv_text *md, const run *R, const group *G)
{
    const char *roof = NULL;
    for (int m = 0; m < G->nimpls; m++)
        if (impl_class(G->impl[m]) == 2)
            roof = G->impl[m];
    rv_text_printf(md, "\n### %s %s, %d thread%s (%s)\n\n", G->op, G->dtype, G->threads,
                   G->threads > 1 ? "s" : "", G->shape_rec[0]->unit);
    rv_text_printf(md, "| shape | set | %s |", elementwise(G) ? "working set" : "flops / call");
    for (int m = 0; m < G->nimpls; m++)
        rv_text_printf(md, " %s |", G->impl[m]);
    rv_text_printf(md, " tuned choice |\n|---|---|---|");
    for (int m = 0; m <= G->nimpls; m++)
        rv_text_printf(md, "---|");
    rv_text_printf(md, "\n");
    for (int s = 0; s < G->nshapes; s++) {
        const rec *S = G->shape_rec[s];
        char work[80], cell[48];
        if (elementwise(G)) {
            fmt_bytes(cell, sizeof cell, S->bytes);
            snprintf(work, sizeof work, "%s (%s)", cell, level(R, S->bytes));
        } else {
            snprintf(work, sizeof work, "%.3g", S->flops);
        }
        rv_text_printf(md, "| %s | %s | %s |", S->shape, S->set, work);
        const rec *rf = roof ? lookup(R, G, S, roof) : NULL;
        for (int m = 0; m < G->nimpls; m++) {
            const rec *r = lookup(R, G, S, G->impl[m]);
            if (!r) {
                rv_text_printf(md, " - |");
                continue;
            }
            if (r->error[0]) {
                rv_text_printf(md, " error: %s |", r->error);
                continue;
            }
            fmt_rate(cell, sizeof cell, r->rate);
            rv_text_printf(md, " %s", cell);
            if (impl_class(G->impl[m]) <= 1) {
                const char *sep = " (";
                if (rf && !rf->error[0]) {
                    rv_text_printf(md, "%sR %.2f", sep, r->rate / rf->rate);
                    sep = ", ";
                }
                for (int p = 0; p < G->nimpls; p++) {
                    const rec *pr = impl_class(G->impl[p]) == 3 ? lookup(R, G, S, G->impl[p])
                                                                : NULL;
                    if (pr && !pr->error[0]) {
                        rv_text_printf(md, "%s%s %.2f", sep, peer_letter(G->impl[p]),
                                       r->rate / pr->rate);
                        sep = ", ";
                    }
                }
                if (strcmp(sep, ", ") == 0)
                    rv_text_printf(md, ")");
            }
            rv_text_printf(md, " |");
        }
        const rec *t = lookup(R, G, S, "tuned");
        char ch[320];
        choice(t && !t->error[0] ? t->label : "", ch, sizeof ch);
        rv_text_printf(md, " %s |\n", ch[0] ? ch : "-");
    }
}

/* ---- the targets of issue 5 ---- */

typedef enum { ON_DRAM, ON_L2, ON_ANY, ON_LARGE_D, ON_HARNESS, ON_D1_HARNESS,
               ON_LARGE_D_HARNESS, ON_D2000_HARNESS } where;

static const struct target {
    const char *ops[2];
    const char *vs;
    where on;
    double min;
    const char *text;
} targets[] = {
    {{"relu_fwd", "relu_bwd"}, "roof-copy", ON_DRAM, 0.9,
     "elementwise ReLU at DRAM sizes >= 0.9x the copy roof"},
    {{"relu_fwd", "relu_bwd"}, "roof-copy", ON_L2, 0.8,
     "elementwise ReLU at L2 sizes >= 0.8x the copy roof"},
    {{"relu_fwd", "relu_bwd"}, "peer-onednn", ON_ANY, 1.0,
     "elementwise ReLU not slower than oneDNN eltwise at any size"},
    {{"layer_fwd", "layer_bwd"}, "roof-gemm", ON_LARGE_D, 0.85,
     "fused layer (tuned) on large-d shapes (d >= 256) >= 0.85x the BLIS GEMM roof"},
    {{"layer_fwd", "layer_bwd"}, "peer-onednn", ON_HARNESS, 1.0,
     "fused layer (tuned) not slower than oneDNN on every harness shape"},
    {{"step", NULL}, "peer-torch", ON_D1_HARNESS, 20.0,
     "training step >= 20x faster than PyTorch on d = 1 harness shapes"},
    {{"step", NULL}, "peer-torch", ON_LARGE_D_HARNESS, 2.0,
     "training step >= 2x faster than PyTorch on large-d harness shapes (d >= 256)"},
    {{"harness_step", NULL}, "direct-form", ON_D2000_HARNESS, 20.0,
     "the harness's step in its own form >= 20x its direct form at d >= 2000"},
};

static int applies(const run *R, const rec *s, where on)
{
    int harness = strcmp(s->set, "harness") == 0;
    switch (on) {
    case ON_DRAM:
        return strcmp(level(R, s->bytes), "DRAM") == 0;
    case ON_L2:
        return strcmp(level(R, s->bytes), "L2") == 0;
    case ON_LARGE_D:
        return s->d >= 256;
    case ON_HARNESS:
        return harness;
    case ON_D1_HARNESS:
        return harness && s->d == 1;
    case ON_LARGE_D_HARNESS:
        return harness && s->d >= 256;
    case ON_D2000_HARNESS:
        return harness && s->d >= 2000;
    default:
        return 1;
    }
}

static int covers(const struct target *t, const char *op)
{
    return strcmp(op, t->ops[0]) == 0 || (t->ops[1] && strcmp(op, t->ops[1]) == 0);
}

/* Does any group of the target's ops hold a result of the reference? */
static int measured_anywhere(const run *R, const struct target *t)
{
    for (size_t i = 0; i < R->n; i++)
        if (strcmp(R->r[i].impl, t->vs) == 0 && covers(t, R->r[i].op))
            return 1;
    return 0;
}

/* Was other work running as the run started? Then multi-thread timings are
 * not trustworthy. */
static int busy(const run *R)
{
    return R->load >= 0.5;
}

/* How impl fares against target t in group G: over the applicable shapes
 * where both have results, the count, how many fall below the threshold,
 * and the worst ratio with its shape (NULL when count is 0). */
typedef struct verdict {
    int count, below;
    double worst;
    const rec *worst_s;
} verdict;

static verdict judge(const run *R, const group *G, const struct target *t, const char *impl)
{
    verdict v = {.worst = INFINITY};
    for (int s = 0; s < G->nshapes; s++) {
        const rec *S = G->shape_rec[s];
        const rec *a = lookup(R, G, S, impl), *b = lookup(R, G, S, t->vs);
        if (!applies(R, S, t->on) || !a || !b || a->error[0] || b->error[0])
            continue;
        double ratio = a->rate / b->rate;
        v.count++;
        v.below += !(ratio >= t->min);
        if (!(ratio >= v.worst)) {
            v.worst = ratio;
            v.worst_s = S;
        }
    }
    return v;
}

/* Does G hold any result of impl? */
static int group_has(const run *R, const group *G, const char *impl)
{
    for (int s = 0; s < G->nshapes; s++)
        if (lookup(R, G, G->shape_rec[s], impl))
            return 1;
    return 0;
}

/* Notes on a target row: the variant with the best worst-case ratio (is the
 * miss the plan's choice or every kernel's?), and, against a peer, whether
 * the roof itself is below the peer at the worst shape. */
static void notes(rv_text *md, const run *R, const group *G, const struct target *t,
                  const verdict *tuned)
{
    const char *best = NULL;
    double best_worst = -INFINITY;
    for (int m = 0; m < G->nimpls; m++) {
        rv_variant var;
        if (impl_class(G->impl[m]) != 0 || rv_variant_from_name(G->impl[m], &var) != 0 ||
            (rv_variant_flags(var) & RV_VF_ORACLE))
            continue; /* not a variant of this build, or the oracle: never a contender */
        verdict v = judge(R, G, t, G->impl[m]);
        if (v.count == tuned->count && v.worst > best_worst) {
            best_worst = v.worst;
            best = G->impl[m];
        }
    }
    const char *sep = "";
    if (best) {
        rv_text_printf(md, "best variant: %s %.2f", best, best_worst);
        sep = "; ";
    }
    for (int m = 0; m < G->nimpls && impl_class(t->vs) == 3; m++) {
        const rec *roof = impl_class(G->impl[m]) == 2 ? lookup(R, G, tuned->worst_s, G->impl[m])
                                                      : NULL;
        const rec *peer = lookup(R, G, tuned->worst_s, t->vs);
        if (roof && peer && !roof->error[0] && roof->rate < peer->rate)
            rv_text_printf(md, "%sthe %s itself is %.2fx the peer there", sep, G->impl[m],
                           roof->rate / peer->rate);
    }
}

static void targets_section(rv_text *md, const run *R, const group *g, int ng,
                            const rvr_bench_input *in, rvr_bench_result *res)
{
    rv_text_printf(md, "\n## Targets (issue 5), as ratios measured in this run\n\n"
                       "Ratio = rate of the tuned dispatch / rate of the reference it is held "
                       "against, same shape, dtype and threads (for the step: the PyTorch step "
                       "time / the C step time). A line is met when every applicable shape reaches "
                       "the threshold; the worst shape is quoted. Notes: the variant whose worst "
                       "ratio is best (a miss the plan could avoid shows here), and where the roof "
                       "itself is slower than the peer.\n\n"
                       "| target | op | dtype | threads | shapes | worst ratio (shape) | threshold "
                       "| verdict | notes |\n|---|---|---|---|---|---|---|---|---|\n");
    for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
        const struct target *t = &targets[k];
        if (!measured_anywhere(R, t)) {
            const char *why = strcmp(t->vs, "peer-torch") == 0
                                  ? (in->torch_note ? in->torch_note : "PyTorch peer not run")
                              : strcmp(t->vs, "peer-onednn") == 0 ? "oneDNN peer not built"
                                                                  : "reference not measured";
            rv_text_printf(md, "| %s | %s | - | - | - | - | %.2f | not measured: %s | |\n", t->text,
                           t->ops[0], t->min, why);
            res->unjudged++;
            continue;
        }
        for (int i = 0; i < ng; i++) {
            const group *G = &g[i];
            if (!covers(t, G->op) || !group_has(R, G, t->vs))
                continue; /* e.g. oneDNN has no f64: no line for f64 */
            verdict v = judge(R, G, t, "tuned");
            if (!v.count) {
                rv_text_printf(md, "| %s | %s | %s | %d | 0 | - | %.2f | not measured: no shape "
                                   "of this kind in this run | |\n",
                               t->text, G->op, G->dtype, G->threads, t->min);
                res->unjudged++;
                continue;
            }
            char where_s[96];
            if (elementwise(G)) {
                char b[32];
                fmt_bytes(b, sizeof b, v.worst_s->bytes);
                snprintf(where_s, sizeof where_s, "%s, %s %s", v.worst_s->shape, b,
                         level(R, v.worst_s->bytes));
            } else {
                snprintf(where_s, sizeof where_s, "%s %s", v.worst_s->set, v.worst_s->shape);
            }
            rv_text_printf(md, "| %s | %s | %s | %d | %d | %.2f (%s) | %.2f | ", t->text, G->op,
                           G->dtype, G->threads, v.count, v.worst, where_s, t->min);
            if (G->threads > 1 && busy(R)) {
                rv_text_printf(md, "unreliable: machine busy (load %.2f) | |\n", R->load);
                res->unjudged++;
                continue;
            }
            if (v.below) {
                rv_text_printf(md, "**MISSED** (%d of %d shapes below) | ", v.below, v.count);
                res->missed++;
            } else {
                rv_text_printf(md, "met | ");
                res->met++;
            }
            notes(md, R, G, t, &v);
            rv_text_printf(md, " |\n");
        }
    }
}

/* ---- publishing files other programs wrote ---- */

rv_status rvr_publish_file(const char *tmp, const char *path, rv_error *err)
{
    char *data;
    size_t len;
    rv_status st = rv_read_file(tmp, (size_t)1 << 30, &data, &len, err);
    if (st == RV_OK)
        st = rv_write_file_atomic(path, data, len, err);
    free(data);
    unlink(tmp);
    return st;
}

/* ---- figures ---- */

typedef struct point {
    double x, y;
} point;

static int by_x(const void *a, const void *b)
{
    double d = ((const point *)a)->x - ((const point *)b)->x;
    return (d > 0) - (d < 0);
}

/* Line style by kind (tuned bold, roofs dashed, peers dotted). */
static const char *style(const char *impl)
{
    switch (impl_class(impl)) {
    case 1:
        return "linespoints lw 3 pt 7";
    case 2:
        return "lines dt 2 lw 3";
    case 3:
        return "linespoints dt 3 lw 2 pt 4";
    default:
        return "linespoints lw 1.5 pt 6";
    }
}

/* One colour per implementation, the same in every figure (gnuplot's
 * default cycles by position, so a colour named different lines in two
 * figures). Names not listed take a palette entry by a hash of the name. */
static const char *colour(const char *impl)
{
    static const struct {
        const char *impl, *rgb;
    } fixed[] = {
        {"tuned", "#000000"},     {"reference", "#999999"}, {"naive", "#e69f00"},
        {"omp", "#0072b2"},       {"blis", "#009e73"},      {"roof-gemm", "#555555"},
        {"roof-copy", "#555555"}, {"peer-onednn", "#d55e00"}, {"peer-torch", "#cc79a7"},
    };
    static const char *const palette[] = {"#56b4e9", "#f0e442", "#882255", "#44aa99"};
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
        if (strcmp(impl, fixed[k].impl) == 0)
            return fixed[k].rgb;
    unsigned h = 0;
    for (const char *c = impl; *c; c++)
        h = h * 31u + (unsigned char)*c;
    return palette[h % (sizeof palette / sizeof palette[0])];
}

/* Writes fig/<op>-<dtype>-t<N>.{dat,gp} under dir and renders the SVG.
 * Returns RV_OK (with *drawn) or an I/O error; a gnuplot failure is not an
 * error: it leaves why set and *drawn 0. */
static rv_status figure(const run *R, const group *G, const char *dir, int *drawn, char *why,
                        size_t why_cap, rv_error *err)
{
    char base[4096], dat[4200], gp[4200], svg[4200], tmp[4300], name[300];
    /* the names come from the results file: they reach the script only
     * through rv_gnuplot_quote, and gnuplot runs in fig/ so no path does */
    snprintf(name, sizeof name, "%s-%s-t%d", G->op, G->dtype, G->threads);
    if (snprintf(base, sizeof base, "%s/fig/%s", dir, name) >= (int)sizeof base)
        return rv_fail(err, RV_ERR_IO, "path too long: %s/fig/%s", dir, name);
    snprintf(dat, sizeof dat, "%s.dat", base);
    snprintf(gp, sizeof gp, "%s.gp", base);
    snprintf(svg, sizeof svg, "%s.svg", base);
    snprintf(tmp, sizeof tmp, "%s.svg.tmp.%ld", base, (long)getpid());
    char fig[4100], dat_name[320], gp_name[320], tmp_name[340], title[400];
    snprintf(gp_name, sizeof gp_name, "%s.gp", name);
    snprintf(tmp_name, sizeof tmp_name, "%s.svg.tmp.%ld", name, (long)getpid());
    snprintf(fig, sizeof fig, "%s/fig", dir);
    snprintf(dat_name, sizeof dat_name, "%s.dat", name);
    int ew = elementwise(G);
    snprintf(title, sizeof title, "%s %s, %d thread%s: %s vs %s", G->op, G->dtype, G->threads,
             G->threads > 1 ? "s" : "", G->shape_rec[0]->unit,
             ew ? "working set" : "work per call");
    rv_text d = {0}, s = {0};
    rv_text_printf(&s, "# rate vs size per implementation\n"
                       "set terminal svg size 960,560 dynamic font 'sans,11' background '#ffffff'\n"
                       "if (!exists('out')) out = ");
    rv_gnuplot_quote(&s, name);
    rv_text_printf(&s, ".'.svg'\nset output out\nset title ");
    rv_gnuplot_quote(&s, title);
    rv_text_printf(&s, " noenhanced\n"
                       "set logscale x %d\nset format x '%s'\nset xlabel '%s'\nset ylabel ",
                   ew ? 2 : 10, ew ? "%.0b %BB" : "%.0s%c",
                   ew ? "working set (bytes, cost model)" : "work per call (flops, cost model)");
    rv_gnuplot_quote(&s, G->shape_rec[0]->unit);
    rv_text_printf(&s, "\nset yrange [0:*]\nset grid\nset key outside right top noenhanced\nplot");
    int index = 0;
    for (int m = 0; m < G->nimpls; m++) {
        point pts[MAX_SHAPES];
        int np = 0;
        for (int k = 0; k < G->nshapes; k++) {
            const rec *r = lookup(R, G, G->shape_rec[k], G->impl[m]);
            if (r && !r->error[0] && r->rate > 0)
                pts[np++] = (point){ew ? r->bytes : r->flops, r->rate};
        }
        if (!np)
            continue;
        qsort(pts, (size_t)np, sizeof pts[0], by_x);
        rv_text_printf(&d, "# %s\n", G->impl[m]);
        for (int k = 0; k < np; k++)
            rv_text_printf(&d, "%.6g %.6g\n", pts[k].x, pts[k].y);
        rv_text_printf(&d, "\n\n");
        rv_text_printf(&s, "%s", index ? ", \\\n    " : " ");
        rv_gnuplot_quote(&s, dat_name);
        rv_text_printf(&s, " index %d using 1:2 with %s lc rgb '%s' title ", index,
                       style(G->impl[m]), colour(G->impl[m]));
        rv_gnuplot_quote(&s, G->impl[m]);
        index++;
    }
    rv_text_printf(&s, "\n");
    rv_status st = RV_OK;
    if (d.oom || s.oom)
        st = rv_fail(err, RV_ERR_NOMEM, "out of memory drawing %s", base);
    if (st == RV_OK)
        st = rv_write_file_atomic(dat, d.s ? d.s : "", d.len, err);
    if (st == RV_OK)
        st = rv_write_file_atomic(gp, s.s, s.len, err);
    rv_text_free(&d);
    rv_text_free(&s);
    *drawn = 0;
    if (st != RV_OK || !index)
        return st;
    rv_gnuplot_result r;
    if (rv_gnuplot(gp_name, fig, tmp_name, NULL, &r) != 0) {
        if (r.outcome == RV_GNUPLOT_FAILED)
            snprintf(why, why_cap, "gnuplot failed on fig/%s-%s-t%d.gp (run it by hand to see "
                     "why)", G->op, G->dtype, G->threads);
        else
            snprintf(why, why_cap, "%s: figures skipped", r.why);
        unlink(tmp);
        return RV_OK;
    }
    st = rv_gnuplot_publish(tmp, svg, err);
    *drawn = st == RV_OK;
    return st;
}

/* ---- the report ---- */

static void header(rv_text *md, const run *R, const rvr_bench_input *in)
{
    char l1[32], l2[32], l3[32];
    fmt_bytes(l1, sizeof l1, R->l1);
    fmt_bytes(l2, sizeof l2, R->l2);
    fmt_bytes(l3, sizeof l3, R->l3);
    rv_text_printf(md, "# reluvet benchmark report\n\n"
                       "- Run: %s on %s: %d CPUs at %.0f MHz, %d usable cores; caches L1d %s, L2 "
                       "%s, L3 %s (as Google Benchmark reports them).\n"
                       "- Mode: %s, seed %s. Libraries: %s; %s; %s. Google Benchmark's own "
                       "library build: %s (Debian's package; the timed code is reluvet's, built "
                       "Release).\n",
                   R->date, R->host, R->cpus, R->mhz, R->cores, l1, l2, l3, R->mode, R->seed,
                   R->blis, R->onednn[0] ? R->onednn : "oneDNN not recorded",
                   R->torch[0] ? R->torch
                               : (in->torch_note ? in->torch_note : "PyTorch peer not run"),
                   R->build);
    rv_text_printf(md, "- Timing: %s. Each rate is the median of the repetitions when the run "
                       "repeated (Google Benchmark's `_median` aggregate).\n",
                   R->timing);
    rv_text_printf(md, "- Rates: GFLOP/s for the layer ops and the step, GB/s for elementwise "
                       "ReLU, from reluvet's cost model (`rv_op_flops`, `rv_op_bytes` in "
                       "reluvet/ops.h; the count per call is in each table). The step counts "
                       "layer_fwd + layer_bwd flops; its loss gradient and GD update (O(n + md)) "
                       "are not counted. Roofs are timed on the op's own buffers and rated with "
                       "the op's flops or bytes, so every ratio is a ratio of times.\n"
                       "- The oracle (`reference`) is timed only up to %s flops per call; it is "
                       "never a contender.\n",
                   R->oracle_cap[0] ? R->oracle_cap : "?");
    if (R->load >= 0)
        rv_text_printf(md, "- Load average (1 min) as the run started: %.2f.\n", R->load);
    if (busy(R))
        rv_text_printf(md, "\n> **Warning: the machine was not idle** (load %.2f on %d cores "
                           "before the run). Threaded results compete with other processes: a "
                           "descheduled thread stalls every barrier for a time slice, so ratios at "
                           "more than one thread are unreliable and their target lines are not "
                           "judged. One-thread ratios use CPU time and suffer less.\n",
                       R->load, R->cores);
}

static const struct {
    const char *prefix, *title;
} sections[] = {
    {"relu", "Elementwise ReLU (GB/s)"},
    {"layer", "Fused layer (GFLOP/s)"},
    {"step", "Full training step (GFLOP/s)"},
    {"harness_step", "The harness's own step: its form (tuned) against the direct form (GFLOP/s "
                     "of the direct step, so rates compare as step times)"},
};

rv_status rvr_bench_report(const rvr_bench_input *in, rvr_bench_result *res, rv_error *err)
{
    *res = (rvr_bench_result){0};
    if (!in || !in->bench_json || !in->out_dir)
        return rv_fail(err, RV_ERR_NULL, "bench report: missing input or output path");
    run R = {0};
    group *g = calloc(MAX_GROUPS, sizeof *g);
    rv_text md = {0};
    int ng = 0;
    rv_status s = g ? RV_OK : rv_fail(err, RV_ERR_NOMEM, "out of memory");
    if (s == RV_OK)
        s = load(&R, in->bench_json, 1, err);
    if (s == RV_OK && in->torch_json)
        s = load(&R, in->torch_json, 0, err);
    if (s == RV_OK)
        s = build_groups(&R, g, &ng, err);
    if (s == RV_OK && ng == 0)
        s = rv_fail(err, RV_ERR_FORMAT, "%s holds no reluvet benchmark results", in->bench_json);
    char figdir[4096];
    snprintf(figdir, sizeof figdir, "%s/fig", in->out_dir);
    if (s == RV_OK)
        s = rv_make_dirs(figdir, err);
    if (s != RV_OK)
        goto done;

    header(&md, &R, in);
    targets_section(&md, &R, g, ng, in, res);
    rv_text_printf(&md, "\nCells: rate, then in parentheses its ratio to the roof (R) and to each "
                        "peer (D = oneDNN, T = PyTorch). Roof and peer columns hold their own "
                        "rates. oneDNN has no f64 on CPU; PyTorch is timed in f64 only.\n");
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        rv_text_printf(&md, "\n## %s\n", sections[k].title);
        for (int i = 0; i < ng; i++)
            if (strncmp(g[i].op, sections[k].prefix, strlen(sections[k].prefix)) == 0)
                table(&md, &R, &g[i]);
    }
    rv_text_printf(&md, "\n## Figures (rate vs size; the roof dashed, peers dotted)\n\n");
    for (int i = 0; i < ng; i++) {
        int drawn = 0;
        /* a figure that cannot be written (a full disk) is a note, not the
         * end of the report: the tables are the report's substance */
        if (!res->figures_note[0] &&
            figure(&R, &g[i], in->out_dir, &drawn, res->figures_note, sizeof res->figures_note,
                   err) != RV_OK)
            snprintf(res->figures_note, sizeof res->figures_note, "%s", err->msg);
        if (drawn) {
            res->figures++;
            rv_text_printf(&md, "![%s %s, %d thread(s)](fig/%s-%s-t%d.svg)\n", g[i].op, g[i].dtype,
                           g[i].threads, g[i].op, g[i].dtype, g[i].threads);
        }
    }
    if (res->figures_note[0])
        rv_text_printf(&md, "\nSome figures are missing: %s. Their data and gnuplot scripts are in "
                            "fig/.\n",
                       res->figures_note);
    rv_text_printf(&md,
                   "\n## Comparing runs\n\n"
                   "The JSON files beside this report are Google Benchmark's format; compare two "
                   "runs (or two implementations in one run) with its `compare.py` "
                   "(libbenchmark-tools, needs python3-scipy):\n\n"
                   "```sh\n"
                   "C=/usr/share/benchmark/compare.py\n"
                   "/usr/bin/python3 $C benchmarks old/bench.json new/bench.json\n"
                   "/usr/bin/python3 $C filters bench.json "
                   "'layer_fwd/naive/f64/harness' 'layer_fwd/tuned/f64/harness'\n"
                   "/usr/bin/python3 $C benchmarksfiltered old/bench.json "
                   "'relu_fwd/tuned' new/bench.json 'relu_fwd/tuned'\n"
                   "```\n");
    if (md.oom) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory writing the report");
        goto done;
    }
    snprintf(res->markdown, sizeof res->markdown, "%s/bench.md", in->out_dir);
    s = rv_write_file_atomic(res->markdown, md.s, md.len, err);
done:
    rv_text_free(&md);
    free(g);
    free(R.r);
    return s;
}
