/* tune_problems.c - parsing problem specs and shape lists (tune_problems.h). */
#include "tune_problems.h"

#include <stdio.h>
#include <string.h>

#include "args.h"

/* Copies field `index` of s (separated by sep) into buf; -1 if missing or
 * too long. */
static int field(const char *s, char sep, int index, char *buf, size_t cap)
{
    for (int i = 0; i < index; i++) {
        s = strchr(s, sep);
        if (!s)
            return -1;
        s++;
    }
    size_t len = strcspn(s, (char[]){sep, '\0'});
    if (len >= cap)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 0;
}

static int parse_flags(const char *s, unsigned *flags, char *why, size_t cap)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"h", RV_PLAN_WITH_H}, {"dx", RV_PLAN_WITH_DX}, {"nobias", RV_PLAN_NO_BIAS}};
    char one[16];
    *flags = 0;
    for (int i = 0; *s && field(s, '+', i, one, sizeof one) == 0; i++) {
        size_t k = 0;
        while (k < 3 && strcmp(one, names[k].name) != 0)
            k++;
        if (k == 3) {
            snprintf(why, cap, "unknown flag '%s' (h, dx, nobias)", one);
            return -1;
        }
        *flags |= names[k].bit;
    }
    return 0;
}

int rv_parse_problem(const char *s, rv_problem *out, char *why, size_t cap)
{
    char op[32], dt[16], shape[64], flags[64] = "";
    int colons = 0;
    for (const char *c = s; c && *c; c++)
        colons += *c == ':';
    if (!s || colons < 2 || colons > 3 || field(s, ':', 0, op, sizeof op) ||
        field(s, ':', 1, dt, sizeof dt) || field(s, ':', 2, shape, sizeof shape) ||
        (colons == 3 && field(s, ':', 3, flags, sizeof flags))) {
        snprintf(why, cap, "'%.60s' is not OP:DTYPE:N,D,M[:FLAGS]", s ? s : "");
        return -1;
    }
    rv_problem p = {0};
    if (rv_op_from_name(op, &p.op) != 0) {
        snprintf(why, cap, "unknown operation '%s' (see reluvet list)", op);
        return -1;
    }
    if (rv_dtype_from_name(dt, &p.dt) != 0) {
        snprintf(why, cap, "unknown dtype '%s' (f32 or f64)", dt);
        return -1;
    }
    if (rv_arg_shape(shape, RV_TUNE_MAX_EXTENT, &p.shape, why, cap) != 0 ||
        parse_flags(flags, &p.flags, why, cap) != 0)
        return -1;
    if (p.op == RV_OP_RELU_FWD || p.op == RV_OP_RELU_BWD)
        p.shape.d = 1;
    rv_error err = {0};
    if (rv_problem_validate(&p, &err) != RV_OK) {
        snprintf(why, cap, "%s", err.msg);
        return -1;
    }
    if (rv_arg_fits(s, p.op, p.dt, p.shape, why, cap) != 0)
        return -1;
    *out = p;
    return 0;
}

int rv_parse_problem_list(const char *text, size_t len, rv_problem *out, size_t cap,
                          size_t *count, char *why, size_t whycap)
{
    size_t pos = 0;
    for (int line = 1; pos < len; line++) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        char buf[256];
        size_t n = end - pos;
        if (n >= sizeof buf) {
            snprintf(why, whycap, "line %d: longer than %zu bytes", line, sizeof buf - 1);
            return -1;
        }
        if (memchr(text + pos, '\0', n)) {
            snprintf(why, whycap, "line %d: contains a NUL byte", line);
            return -1;
        }
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        buf[strcspn(buf, "#\r")] = '\0';
        char *s = buf + strspn(buf, " \t");
        size_t tail = strlen(s);
        while (tail > 0 && (s[tail - 1] == ' ' || s[tail - 1] == '\t'))
            s[--tail] = '\0';
        pos = end + 1;
        if (!*s)
            continue;
        if (*count >= cap) {
            snprintf(why, whycap, "line %d: more than %zu problems", line, cap);
            return -1;
        }
        char reason[200];
        if (rv_parse_problem(s, &out[*count], reason, sizeof reason) != 0) {
            snprintf(why, whycap, "line %d: %s", line, reason);
            return -1;
        }
        (*count)++;
    }
    return 0;
}
