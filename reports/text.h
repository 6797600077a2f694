/* text.h - a growable string that reports build with printf-style appends.
 * An allocation failure is sticky: later appends do nothing and the caller
 * checks oom once, before it uses the text. */
#ifndef RELUVET_REPORTS_TEXT_H
#define RELUVET_REPORTS_TEXT_H

#include <stddef.h>

/* Zero-initialise for an empty text ({0}). s is NULL until the first
 * append, then NUL-terminated; len excludes the NUL; cap is s's size.
 * The text owns s: release it with rv_text_free. */
typedef struct rv_text {
    char *s;
    size_t len, cap;
    int oom; /* an append failed (out of memory or a bad format) */
} rv_text;

/* Appends printf(fmt, ...) to t, growing s as needed. On failure sets
 * t->oom and leaves s and len as they were; once oom is set it does
 * nothing. */
void rv_text_printf(rv_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Frees t's string and leaves t empty ({0}), oom cleared. */
void rv_text_free(rv_text *t);

#endif
