/* data.c - inputs on [-1, 1] or the sphere (direct or reduced), labels with
 * flips. */
#include "data.h"

#include <math.h>
#include <stdlib.h>


/* Sub-streams of a data stream: inputs and flip uniforms never share bits. */
enum { STREAM_INPUTS = 1, STREAM_FLIPS = 2 };

static uint64_t substream(uint64_t stream, uint64_t tag)
{
    uint64_t w[2] = {stream, tag};
    return rvo_seed_hash(w, 2);
}

void rvo_inputs_open(rvo_rng *r, uint64_t stream)
{
    rvo_rng_seed(r, substream(stream, STREAM_INPUTS));
}

void rvo_inputs_draw(rvo_rng *r, double *X, size_t n, size_t d)
{
    for (size_t i = 0; i < n; i++) {
        double *x = X + i * d;
        if (d == 1) {
            x[0] = 2 * rvo_rng_uniform(r) - 1;
            continue;
        }
        double s2;
        do { /* a zero vector has probability 0; redraw it anyway */
            s2 = 0;
            for (size_t k = 0; k < d; k++) {
                x[k] = rvo_rng_normal(r);
                s2 += x[k] * x[k];
            }
        } while (s2 == 0);
        double inv = 1 / sqrt(s2);
        for (size_t k = 0; k < d; k++)
            x[k] *= inv;
    }
}

void rvo_inputs_draw_reduced(rvo_rng *r, double *X, size_t rows, size_t k, size_t d)
{
    for (size_t i = 0; i < rows; i++) {
        double *x = X + i * k, s2 = rvo_rng_chisq(r, (double)(d - k));
        for (size_t j = 0; j < k; j++) {
            x[j] = rvo_rng_normal(r);
            s2 += x[j] * x[j];
        }
        double inv = 1 / sqrt(s2); /* s2 > 0: the chi-square part is > 0 a.s. */
        for (size_t j = 0; j < k; j++)
            x[j] *= inv;
    }
}

void rvo_bartlett_row(rvo_rng *r, double *x, size_t i, size_t k, size_t d, double scale)
{
    double s2;
    do {
        s2 = 0;
        for (size_t j = 0; j < i; j++) {
            x[j] = rvo_rng_normal(r);
            s2 += x[j] * x[j];
        }
        x[i] = rvo_rng_chi(r, (double)(d - i));
        s2 += x[i] * x[i];
    } while (s2 == 0);
    for (size_t j = i + 1; j < k; j++)
        x[j] = 0;
    double f = scale / sqrt(s2);
    for (size_t j = 0; j <= i; j++)
        x[j] *= f;
}

rv_status rvo_data_make(rvo_data *out, size_t n, size_t d, double p, uint64_t stream,
                        int reduced, rv_error *err)
{
    *out = (rvo_data){0};
    if (n == 0 || d == 0)
        return rv_fail(err, RV_ERR_SIZE, "data set n=%zu d=%zu has a zero size", n, d);
    if (!(p >= 0 && p <= 1))
        return rv_fail(err, RV_ERR_OPTS, "noise rate p=%g is not in [0, 1]", p);
    if (reduced && d <= n)
        return rv_fail(err, RV_ERR_SIZE, "reduced data need d > n (n=%zu d=%zu)", n, d);
    size_t dc = reduced ? n : d;
    if (n > SIZE_MAX / sizeof(double) / dc)
        return rv_fail(err, RV_ERR_OVERFLOW, "data set n=%zu d=%zu is too large", n, d);
    out->X = malloc(n * dc * sizeof *out->X);
    out->y = malloc(n * sizeof *out->y);
    if (!out->X || !out->y) {
        rvo_data_free(out);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a data set n=%zu d=%zu", n, d);
    }
    out->n = n;
    out->d = d;
    out->dc = dc;
    rvo_rng r;
    rvo_inputs_open(&r, stream);
    if (reduced)
        for (size_t i = 0; i < n; i++)
            rvo_bartlett_row(&r, out->X + i * n, i, n, d, 1);
    else
        rvo_inputs_draw(&r, out->X, n, d);
    rvo_rng_seed(&r, substream(stream, STREAM_FLIPS));
    for (size_t i = 0; i < n; i++) {
        int flip = rvo_rng_uniform(&r) < p;
        out->y[i] = flip ? -1.0 : 1.0;
        out->flips += (size_t)flip;
    }
    return RV_OK;
}

void rvo_data_free(rvo_data *data)
{
    free(data->X);
    free(data->y);
    *data = (rvo_data){0};
}

rv_status rvo_nn_clean_error(const rvo_data *train, uint64_t test_stream, size_t test_n,
                             double *error, rv_error *err)
{
    if (train->dc != train->d)
        return rv_fail(err, RV_ERR_OPTS, "the 1-NN error needs inputs drawn directly in R^d");
    size_t d = train->d, wrong = 0;
    double *x = malloc(d * sizeof *x);
    if (!x)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a test point");
    rvo_rng r;
    rvo_inputs_open(&r, test_stream);
    for (size_t t = 0; t < test_n; t++) {
        rvo_inputs_draw(&r, x, 1, d);
        double best = INFINITY, label = 1;
        for (size_t i = 0; i < train->n; i++) {
            double s = 0;
            for (size_t k = 0; k < d; k++) {
                double e = x[k] - train->X[i * d + k];
                s += e * e;
            }
            if (s < best) {
                best = s;
                label = train->y[i];
            }
        }
        wrong += label < 0;
    }
    free(x);
    *error = (double)wrong / (double)test_n;
    return RV_OK;
}
