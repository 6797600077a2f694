/* gnuplot.h - writes strings into gnuplot scripts safely, and runs gnuplot
 * on a script file: no shell, the caller's environment, blocking until it
 * ends. The outcome is data so that each report words its own note about
 * missing figures.
 *
 * Every string that reaches a script (a title, a name read from a results
 * file, a path) goes through rv_gnuplot_quote and nothing else: gnuplot
 * runs `backquoted` commands and expands @macros inside double-quoted
 * strings and bare words, but inside single quotes its only special
 * character is the quote itself (doubled to stand for one) and the end of
 * the line (checked with gnuplot 5.4: '`touch x`' and '@x' print as
 * written, "`touch x`" runs touch). */
#ifndef RELUVET_REPORTS_GNUPLOT_H
#define RELUVET_REPORTS_GNUPLOT_H

#include "reluvet/status.h"
#include "text.h"

typedef enum rv_gnuplot_outcome {
    RV_GNUPLOT_DRAWN,   /* gnuplot exited 0 */
    RV_GNUPLOT_REFUSED, /* out holds a control character: not started */
    RV_GNUPLOT_MISSING, /* no gnuplot in PATH */
    RV_GNUPLOT_UNRUN,   /* the log, the start or the wait failed (err) */
    RV_GNUPLOT_FAILED,  /* gnuplot ran and failed (status) */
} rv_gnuplot_outcome;

typedef struct rv_gnuplot_result {
    rv_gnuplot_outcome outcome;
    int err;       /* MISSING, UNRUN: the errno */
    int status;    /* FAILED: gnuplot's exit status, -1 when a signal ended it */
    char why[160]; /* not DRAWN: one line, e.g. "gnuplot could not be run (No such
                      file or directory)" */
} rv_gnuplot_result;

/* Appends s to t as one gnuplot single-quoted string: each ' doubled, each
 * control character (a newline would end the command) written as '?'. The
 * result is data to gnuplot whatever s holds. t's oom rule applies. */
void rv_gnuplot_quote(rv_text *t, const char *s);

/* 1 when s has no control character, so rv_gnuplot_quote gives it back
 * unchanged (a path that must name the same file); else 0. */
int rv_gnuplot_exact(const char *s);

/* Runs `gnuplot -e "out='out'" script` in the folder dir (NULL: the
 * caller's; started there, so any path works and none reaches gnuplot's
 * command line), so a relative script or out is taken from there. out
 * (NULL: not set) sets the script's variable out, quoted by
 * rv_gnuplot_quote. gnuplot's stdout and stderr go to the file log
 * (created or truncated, relative to the caller's folder; NULL:
 * /dev/null). Returns 0 when gnuplot exited 0; else -1 with *r saying why
 * (an out that rv_gnuplot_exact refuses is never passed on). */
int rv_gnuplot(const char *script, const char *dir, const char *out, const char *log,
               rv_gnuplot_result *r);

/* Publishes tmp, a figure gnuplot wrote, as path: first checked whole (an
 * SVG ends with </svg>, a PNG with its IEND chunk; path's suffix says
 * which), because gnuplot exits 0 even when the disk filled up under it
 * (seen: an SVG cut at 8192 bytes); then written atomically
 * (reluvet/fileio.h). tmp is removed in every case. RV_ERR_IO "gnuplot
 * could not write all of PATH (is the disk full?)" for a cut figure, or the
 * read or write error; path is then left as it was. */
rv_status rv_gnuplot_publish(const char *tmp, const char *path, rv_error *err);

#endif
