/* tune_grade.h - `reluvet tune --grade`: the tuner's targets (issue 3),
 * measured in one run and written as a table, Markdown and JSON:
 *   - on held-out shapes (d 1..4096, n 16..4096, m 16..4096, f32 and f64):
 *     the measure choice's speed over the exhaustive best (>= 0.95 on 90% of
 *     them, never < 0.8), and over the best single fixed variant (never
 *     below 0.95, and a geometric-mean win over every fixed variant);
 *   - measure tuning time of the harness's default list (< 60 s), and the
 *     exhaustive time for comparison;
 *   - plan execution overhead at n = d = m = 64 (< 1%).
 * No wisdom file is read or written: every search is fresh. */
#ifndef RELUVET_CLI_TUNE_GRADE_H
#define RELUVET_CLI_TUNE_GRADE_H

#define RV_GRADE_DEFAULT_REPORT "tune-grade"

/* Runs the grading with max_threads threads, prints the table, writes
 * <prefix>.md and <prefix>.json. Returns the exit status: 0 when it ran
 * (targets met or not: the report says), 1 on a run-time failure. */
int rv_tune_grade(const char *prefix, int max_threads);

#endif
