/* buffer.c - guarded matrices and the NaN canary. */
#include "check/buffer.h"

#include <stdlib.h>
#include <string.h>

/* Quiet NaNs with payloads that no operation produces (x86 makes
 * 0xffc00000 / 0xfff8000000000000; propagation keeps an operand's payload,
 * and kernels never read the guards or the padding). */
static const uint32_t canary_f32 = 0x7fe5c0deu;
static const uint64_t canary_f64 = 0x7ffc0de5c0de5c0du;

double rvc_load(rv_dtype dt, const void *p, size_t idx)
{
    if (dt == RV_F32) {
        float f;
        memcpy(&f, (const char *)p + idx * sizeof f, sizeof f);
        return f;
    }
    double x;
    memcpy(&x, (const char *)p + idx * sizeof x, sizeof x);
    return x;
}

void rvc_store(rv_dtype dt, void *p, size_t idx, double x)
{
    if (dt == RV_F32) {
        float f = (float)x;
        memcpy((char *)p + idx * sizeof f, &f, sizeof f);
    } else {
        memcpy((char *)p + idx * sizeof x, &x, sizeof x);
    }
}

int rvc_is_canary(rv_dtype dt, const void *p, size_t idx)
{
    if (dt == RV_F32)
        return memcmp((const char *)p + idx * 4, &canary_f32, 4) == 0;
    return memcmp((const char *)p + idx * 8, &canary_f64, 8) == 0;
}

rv_status rvc_mat_alloc(rvc_mat *m, rv_dtype dt, size_t rows, size_t cols, size_t ld,
                        rv_error *err)
{
    memset(m, 0, sizeof *m);
    if (rows == 0 || cols == 0)
        return rv_fail(err, RV_ERR_SIZE, "matrix of %zu x %zu", rows, cols);
    if (ld < cols)
        return rv_fail(err, RV_ERR_LD, "leading dimension %zu < width %zu", ld, cols);
    size_t es = rv_dtype_size(dt);
    size_t count = rows * ld + 2 * RVC_GUARD;
    void *block = malloc(count * es);
    if (!block)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for a %zu x %zu matrix", rows, ld);
    *m = (rvc_mat){.dt = dt, .rows = rows, .cols = cols, .ld = ld, .block = block,
                   .data = (char *)block + RVC_GUARD * es, .count = count};
    rvc_mat_poison(m);
    return RV_OK;
}

void rvc_mat_free(rvc_mat *m)
{
    free(m->block);
    memset(m, 0, sizeof *m);
}

double rvc_mat_get(const rvc_mat *m, size_t i, size_t j)
{
    return rvc_load(m->dt, m->data, i * m->ld + j);
}

void rvc_mat_set(rvc_mat *m, size_t i, size_t j, double x)
{
    rvc_store(m->dt, m->data, i * m->ld + j, x);
}

void rvc_mat_poison(rvc_mat *m)
{
    for (size_t k = 0; k < m->count; k++) {
        if (m->dt == RV_F32)
            memcpy((char *)m->block + 4 * k, &canary_f32, 4);
        else
            memcpy((char *)m->block + 8 * k, &canary_f64, 8);
    }
}

void rvc_mat_copy(rvc_mat *dst, const rvc_mat *src)
{
    memcpy(dst->block, src->block, src->count * rv_dtype_size(src->dt));
}

size_t rvc_mat_damage(const rvc_mat *m, long *first_row, long *first_col)
{
    size_t bad = 0;
    for (size_t k = 0; k < m->count; k++) {
        long off = (long)k - RVC_GUARD;
        long row = off < 0 ? -1 : off / (long)m->ld, col = off < 0 ? off : off % (long)m->ld;
        if (row >= (long)m->rows) {
            row = (long)m->rows;
            col = off - (long)(m->rows * m->ld);
        }
        int inside = row >= 0 && row < (long)m->rows && col < (long)m->cols;
        if (inside || rvc_is_canary(m->dt, m->block, k))
            continue;
        if (bad++ == 0) {
            *first_row = row;
            *first_col = col;
        }
    }
    return bad;
}

uint64_t rvc_mat_hash(const rvc_mat *m)
{
    const unsigned char *p = m->block;
    uint64_t h = 0xcbf29ce484222325u;
    size_t bytes = m->count * rv_dtype_size(m->dt);
    for (size_t k = 0; k < bytes; k++)
        h = (h ^ p[k]) * 0x100000001b3u;
    return h;
}
