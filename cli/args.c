/* args.c - strict parsing of command-line values. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int rv_arg_long(const char *s, long lo, long hi, long *out, char *why, size_t cap)
{
    if (!s || !*s) {
        snprintf(why, cap, "empty value where an integer in %ld..%ld was expected", lo, hi);
        return -1;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || end == s || isspace((unsigned char)*s)) {
        snprintf(why, cap, "'%.40s' is not an integer", s);
        return -1;
    }
    if (errno == ERANGE || v < lo || v > hi) {
        snprintf(why, cap, "%.40s is out of range %ld..%ld", s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int rv_arg_double(const char *s, double lo, double hi, double *out, char *why, size_t cap)
{
    if (!s || !*s) {
        snprintf(why, cap, "empty value where a number in [%g, %g] was expected", lo, hi);
        return -1;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || end == s || isspace((unsigned char)*s)) {
        snprintf(why, cap, "'%.40s' is not a number", s);
        return -1;
    }
    if (errno == ERANGE || !isfinite(v) || v < lo || v > hi) {
        snprintf(why, cap, "%.40s is out of range [%g, %g]", s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* Splits s at commas into at most max fields of field_cap bytes each;
 * returns the count or -1 (too many or too long fields). */
static int split(const char *s, char fields[][64], int max, char *why, size_t cap)
{
    int count = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (count == max) {
            snprintf(why, cap, "too many values in '%.40s' (at most %d)", s, max);
            return -1;
        }
        if (len >= 64) {
            snprintf(why, cap, "value too long in '%.40s'", s);
            return -1;
        }
        memcpy(fields[count], p, len);
        fields[count++][len] = '\0';
        if (!comma)
            return count;
        p = comma + 1;
    }
}

/* Parses the comma-separated list s into at most max_count values of
 * `size` bytes at out, each by one(field, lo, hi, slot); all or nothing. */
static int parse_list(const char *s, int max_count, int *count, char *why, size_t cap,
                      int (*one)(const char *, const void *, void *, char *, size_t),
                      const void *range, void *out, size_t size)
{
    char fields[64][64];
    double tmp[64]; /* aligned for long and double alike */
    if (!s || max_count > 64 || size > sizeof(double)) {
        snprintf(why, cap, "missing list");
        return -1;
    }
    int n = split(s, fields, max_count, why, cap);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (one(fields[i], range, (char *)tmp + (size_t)i * size, why, cap) != 0)
            return -1;
    memcpy(out, tmp, (size_t)n * size);
    *count = n;
    return 0;
}

static int one_long(const char *f, const void *range, void *slot, char *why, size_t cap)
{
    const long *r = range;
    return rv_arg_long(f, r[0], r[1], slot, why, cap);
}

static int one_double(const char *f, const void *range, void *slot, char *why, size_t cap)
{
    const double *r = range;
    return rv_arg_double(f, r[0], r[1], slot, why, cap);
}

int rv_arg_longs(const char *s, long lo, long hi, long *out, int max_count, int *count,
                 char *why, size_t cap)
{
    long range[2] = {lo, hi};
    return parse_list(s, max_count, count, why, cap, one_long, range, out, sizeof *out);
}

int rv_arg_doubles(const char *s, double lo, double hi, double *out, int max_count,
                   int *count, char *why, size_t cap)
{
    double range[2] = {lo, hi};
    return parse_list(s, max_count, count, why, cap, one_double, range, out, sizeof *out);
}

int rv_arg_shape(const char *s, size_t max, rv_shape *out, char *why, size_t cap)
{
    long v[3];
    int n = 0;
    if (rv_arg_longs(s, 1, (long)max, v, 3, &n, why, cap) != 0)
        return -1;
    if (n != 3) {
        snprintf(why, cap, "shape '%.40s' must be n,d,m", s);
        return -1;
    }
    *out = (rv_shape){(size_t)v[0], (size_t)v[1], (size_t)v[2]};
    return 0;
}

int rv_arg_fits(const char *what, rv_op op, rv_dtype dt, rv_shape s, char *why, size_t cap)
{
    double bytes = rv_op_bytes(op, dt, s, 1);
    if (bytes <= RV_ARG_MAX_BYTES)
        return 0;
    snprintf(why, cap, "'%.60s' needs %.1f GiB of buffers (limit %.0f GiB)", what,
             bytes / (1 << 30), RV_ARG_MAX_BYTES / (1 << 30));
    return -1;
}

int rv_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "reluvet %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

int rv_arg_is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}
