/* check/buffer.h - guarded, strided matrices of either dtype.
 *
 * A matrix lives in a block of RVC_GUARD elements, then rows x ld elements
 * (the padding between the width and the leading dimension included), then
 * RVC_GUARD elements. Everything outside the rows x cols elements is a NaN
 * canary with a payload no arithmetic produces, so that writes outside the
 * matrix (guards, padding) and elements a kernel never wrote can both be
 * told apart from computed values, NaNs included. A vector is a 1 x len
 * matrix. */
#ifndef RVC_BUFFER_H
#define RVC_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#include "reluvet/ops.h"

#define RVC_GUARD 16

typedef struct rvc_mat {
    rv_dtype dt;
    size_t rows, cols, ld;
    void *data;   /* element (0, 0); NULL for an absent (optional) operand */
    void *block;  /* the allocation, guards included */
    size_t count; /* elements in block: rows * ld + 2 * RVC_GUARD */
} rvc_mat;

/* Element idx of the dtype-dt array p, as a double (exact for both dtypes). */
double rvc_load(rv_dtype dt, const void *p, size_t idx);

/* Stores x, rounded to dt, as element idx of p. */
void rvc_store(rv_dtype dt, void *p, size_t idx, double x);

/* Is element idx of p the canary, bit for bit? */
int rvc_is_canary(rv_dtype dt, const void *p, size_t idx);

/* Allocates a rows x cols matrix with leading dimension ld (>= cols, all
 * sizes >= 1), every element of the block set to the canary. On failure
 * *m is zeroed and RV_ERR_NOMEM (or RV_ERR_SIZE / RV_ERR_LD) is returned. */
rv_status rvc_mat_alloc(rvc_mat *m, rv_dtype dt, size_t rows, size_t cols, size_t ld,
                        rv_error *err);

/* Frees the block and zeroes *m; a zeroed or absent matrix is a no-op. */
void rvc_mat_free(rvc_mat *m);

/* Element (i, j) as a double / set from a double (rounded to the dtype). */
double rvc_mat_get(const rvc_mat *m, size_t i, size_t j);
void rvc_mat_set(rvc_mat *m, size_t i, size_t j, double x);

/* Sets every element of the block, matrix included, to the canary. */
void rvc_mat_poison(rvc_mat *m);

/* Copies src's whole block into dst; both must have the same dtype and
 * geometry (rows, cols, ld). */
void rvc_mat_copy(rvc_mat *dst, const rvc_mat *src);

/* Counts the elements outside the rows x cols matrix (guards and padding)
 * that are no longer the canary. When there are any, *first_row and
 * *first_col locate the first one in the padded grid: row -1 / rows for
 * the guard before / after, col >= cols for the padding. */
size_t rvc_mat_damage(const rvc_mat *m, long *first_row, long *first_col);

/* FNV-1a hash of the whole block, to detect writes into an input. */
uint64_t rvc_mat_hash(const rvc_mat *m);

#endif
