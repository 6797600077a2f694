/* fingerprint.c - the machine and build that wisdom is valid for, and its
 * JSON form. Every field is listed once, in `fields`. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "wisdom_json.h"
#include "reluvet/backend.h"
#include "rv_build_id.h"

#define TEXT(f) {#f, offsetof(rv_fingerprint, f), sizeof(((rv_fingerprint *)0)->f)}
static const struct {
    const char *name;
    size_t off, cap; /* cap 0: the int usable_cores */
} fields[] = {
    TEXT(cpu_model),
    TEXT(cpu_flags),
    {"usable_cores", offsetof(rv_fingerprint, usable_cores), 0},
    TEXT(blis_version),
    TEXT(blis_kernel_set),
    TEXT(compiler),
    TEXT(cflags),
    TEXT(kernel_set),
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static const char *text(const rv_fingerprint *fp, size_t i)
{
    return (const char *)fp + fields[i].off;
}

static int number(const rv_fingerprint *fp, size_t i)
{
    int v;
    memcpy(&v, (const char *)fp + fields[i].off, sizeof v);
    return v;
}

/* Copies the value of the first /proc/cpuinfo line whose key is `key`. */
static void cpuinfo_field(const char *key, char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[8192];
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (!colon || strncmp(line, key, klen) != 0 || strspn(line + klen, " \t") !=
                                                           (size_t)(colon - line) - klen)
            continue;
        const char *v = colon + 1 + (colon[1] == ' ');
        snprintf(out, cap, "%.*s", (int)strcspn(v, "\n"), v);
        break;
    }
    fclose(f);
}

void rv_fingerprint_current(rv_fingerprint *fp)
{
    memset(fp, 0, sizeof *fp);
    cpuinfo_field("model name", fp->cpu_model, sizeof fp->cpu_model);
    cpuinfo_field("flags", fp->cpu_flags, sizeof fp->cpu_flags);
    fp->usable_cores = rv_usable_cores();
    snprintf(fp->blis_version, sizeof fp->blis_version, "%s", rv_blis_version());
    snprintf(fp->blis_kernel_set, sizeof fp->blis_kernel_set, "%s", rv_blis_kernel_set());
    snprintf(fp->compiler, sizeof fp->compiler, "%s", RV_BUILD_COMPILER);
    snprintf(fp->cflags, sizeof fp->cflags, "%s", RV_BUILD_CFLAGS);
    snprintf(fp->kernel_set, sizeof fp->kernel_set, "%s", RV_KERNEL_SET);
}

const char *rv_fingerprint_diff(const rv_fingerprint *a, const rv_fingerprint *b)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (fields[i].cap ? strcmp(text(a, i), text(b, i)) != 0 : number(a, i) != number(b, i))
            return fields[i].name;
    return NULL;
}

const char *rv_fingerprint_field(const rv_fingerprint *fp, const char *name, char *buf,
                                 size_t cap)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (strcmp(fields[i].name, name) == 0) {
            if (fields[i].cap)
                snprintf(buf, cap, "%s", text(fp, i));
            else
                snprintf(buf, cap, "%d", number(fp, i));
            return buf;
        }
    snprintf(buf, cap, "?");
    return buf;
}

int rv_json_integer(const cJSON *v, double lo, double hi, double *out)
{
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi) ||
        floor(v->valuedouble) != v->valuedouble)
        return 0;
    *out = v->valuedouble;
    return 1;
}

cJSON *rv_fingerprint_to_cjson(const rv_fingerprint *fp)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < NFIELDS; i++) {
        cJSON *v = fields[i].cap ? cJSON_CreateString(text(fp, i))
                                 : cJSON_CreateNumber(number(fp, i));
        if (!v || !cJSON_AddItemToObject(o, fields[i].name, v)) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

rv_status rv_fingerprint_from_cjson(const cJSON *o, rv_fingerprint *fp, rv_error *err)
{
    memset(fp, 0, sizeof *fp);
    if (!cJSON_IsObject(o))
        return rv_fail(err, RV_ERR_FORMAT, "fingerprint is not an object");
    for (size_t i = 0; i < NFIELDS; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, fields[i].name);
        if (fields[i].cap) {
            if (!cJSON_IsString(v) || strlen(v->valuestring) >= fields[i].cap)
                return rv_fail(err, RV_ERR_FORMAT, "fingerprint.%s: expected a string of "
                               "under %zu bytes", fields[i].name, fields[i].cap);
            memcpy((char *)fp + fields[i].off, v->valuestring, strlen(v->valuestring) + 1);
        } else {
            double x;
            if (!rv_json_integer(v, 1, RV_MAX_THREADS, &x))
                return rv_fail(err, RV_ERR_FORMAT, "fingerprint.%s: expected an integer in "
                               "1..%d", fields[i].name, RV_MAX_THREADS);
            int n = (int)x;
            memcpy((char *)fp + fields[i].off, &n, sizeof n);
        }
    }
    return RV_OK;
}
