/* text.c - see text.h. */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Marks t failed; a failed try may have written past len, so the string is
 * cut back to what it held. */
static void fail(rv_text *t)
{
    if (t->s)
        t->s[t->len] = 0;
    t->oom = 1;
}

void rv_text_printf(rv_text *t, const char *fmt, ...)
{
    for (;;) {
        if (t->oom)
            return;
        /* Format into the free space; when it does not fit, grow and retry. */
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            fail(t);
            return;
        }
        if (t->s && t->len + (size_t)k < t->cap) {
            t->len += (size_t)k;
            return;
        }
        size_t cap = t->cap ? t->cap : 4096;
        while (cap <= t->len + (size_t)k)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            fail(t);
            return;
        }
        t->s = s;
        t->cap = cap;
    }
}

void rv_text_free(rv_text *t)
{
    free(t->s);
    *t = (rv_text){0};
}
