/* tune_problems.c - parsing problem specs and shape lists (tune_problems.h). */
#include "tune_problems.h"

#include <stdio.h>
#include <string.h>

#include "args.h"

/* Copies field `index` of s (fields separated by sep) into buf. 0; -1 when
 * s has fewer fields; -2 when the field does not fit in cap bytes: it is
 * never cut, since a cut field may name something else ("nobiasXX..." must
 * not become "nobias"). */
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
        return -2;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 0;
}

/* Parses FLAGS (the rest of the spec, s): names joined by '+', each known,
 * none twice, none empty. Compared in place, with no buffer that could cut
 * a long name down to a known one. */
static int parse_flags(const char *s, unsigned *flags, char *why, size_t cap)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"h", RV_PLAN_WITH_H}, {"dx", RV_PLAN_WITH_DX}, {"nobias", RV_PLAN_NO_BIAS}};
    *flags = 0;
    for (;;) {
        size_t len = strcspn(s, "+"), k = 0;
        while (k < 3 && !(strlen(names[k].name) == len && memcmp(s, names[k].name, len) == 0))
            k++;
        if (len == 0) {
            snprintf(why, cap, "empty flag in FLAGS (h, dx, nobias joined by '+')");
            return -1;
        }
        if (k == 3) {
            snprintf(why, cap, "unknown flag '%.*s%s' in FLAGS (h, dx, nobias joined by '+')",
                     len > 40 ? 40 : (int)len, s, len > 40 ? "..." : "");
            return -1;
        }
        if (*flags & names[k].bit) {
            snprintf(why, cap, "flag '%s' given twice in FLAGS", names[k].name);
            return -1;
        }
        *flags |= names[k].bit;
        if (!s[len])
            return 0;
        s += len + 1;
    }
}

/* Explains why field `index` (named `what`) of spec s could not be copied
 * into a buffer of cap bytes (rc from field()). */
static int field_error(const char *s, int rc, int index, const char *what, size_t fieldcap,
                       char *why, size_t cap)
{
    if (rc == -1) {
        snprintf(why, cap, "'%.60s%s' is not OP:DTYPE:N,D,M[:FLAGS]", s,
                 strlen(s) > 60 ? "..." : "");
        return -1;
    }
    for (int i = 0; i < index; i++)
        s = strchr(s, ':') + 1;
    snprintf(why, cap, "%s '%.40s...' is too long (at most %zu bytes)", what, s, fieldcap - 1);
    return -1;
}

int rv_parse_problem(const char *s, rv_problem *out, char *why, size_t cap)
{
    char op[32], dt[16], shape[64];
    int colons = 0;
    for (const char *c = s; c && *c; c++)
        colons += *c == ':';
    if (!s || colons < 2 || colons > 3) {
        snprintf(why, cap, "'%.60s%s' is not OP:DTYPE:N,D,M[:FLAGS]", s ? s : "",
                 s && strlen(s) > 60 ? "..." : "");
        return -1;
    }
    int rc;
    if ((rc = field(s, ':', 0, op, sizeof op)) != 0)
        return field_error(s, rc, 0, "OP", sizeof op, why, cap);
    if ((rc = field(s, ':', 1, dt, sizeof dt)) != 0)
        return field_error(s, rc, 1, "DTYPE", sizeof dt, why, cap);
    if ((rc = field(s, ':', 2, shape, sizeof shape)) != 0)
        return field_error(s, rc, 2, "N,D,M", sizeof shape, why, cap);
    rv_problem p = {0};
    if (rv_op_from_name(op, &p.op) != 0) {
        snprintf(why, cap, "unknown operation '%s' (see reluvet list)", op);
        return -1;
    }
    if (rv_dtype_from_name(dt, &p.dt) != 0) {
        snprintf(why, cap, "unknown dtype '%s' (f32 or f64)", dt);
        return -1;
    }
    if (rv_arg_shape(shape, RV_TUNE_MAX_EXTENT, &p.shape, why, cap) != 0)
        return -1;
    if (colons == 3 && parse_flags(strrchr(s, ':') + 1, &p.flags, why, cap) != 0)
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
