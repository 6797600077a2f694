/* gnuplot.h - runs gnuplot on a script file: no shell, the caller's
 * environment, blocking until it ends. The outcome is data so that each
 * report words its own note about missing figures. */
#ifndef RELUVET_REPORTS_GNUPLOT_H
#define RELUVET_REPORTS_GNUPLOT_H

typedef enum rv_gnuplot_outcome {
    RV_GNUPLOT_DRAWN,   /* gnuplot exited 0 */
    RV_GNUPLOT_REFUSED, /* dir or out holds a single quote: not started */
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

/* Runs `gnuplot -e "cd 'dir'; out='out'" script`. dir (NULL: stay in the
 * caller's folder) is where gnuplot works, so a relative script or out is
 * taken from there. out (NULL: not set) sets the script's variable out.
 * gnuplot's stdout and stderr go to the file log (created or truncated,
 * relative to the caller's folder; NULL: /dev/null). Returns 0 when gnuplot
 * exited 0; else -1 with *r saying why (a dir or out that holds a single
 * quote is refused, never passed on). */
int rv_gnuplot(const char *script, const char *dir, const char *out, const char *log,
               rv_gnuplot_result *r);

#endif
