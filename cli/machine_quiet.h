/* machine_quiet.h - waiting for other processes to leave the machine alone
 * before a timing that is compared with another (the grading). */
#ifndef RELUVET_CLI_MACHINE_QUIET_H
#define RELUVET_CLI_MACHINE_QUIET_H

/* The busy share (0..1) of all CPUs over window_s seconds, from /proc/stat;
 * -1 when unknown. Call while this process is idle: it then measures the
 * others. */
double rv_busy_share(double window_s);

/* Waits, polling rv_busy_share, until it is below `threshold` or max_wait_s
 * have passed. Returns the seconds waited; *quiet says whether it got
 * quiet (1 also when the share cannot be read). */
double rv_wait_quiet(double threshold, double max_wait_s, int *quiet);

#endif
