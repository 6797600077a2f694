/* machine_quiet.c - how busy the machine is, from /proc/stat. */
#include "machine_quiet.h"

#include <stdio.h>
#include <time.h>

#define POLL_S 0.5

/* Total and idle jiffies of all CPUs; 0 on failure. */
static int cpu_times(double *total, double *idle)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return 0;
    double v[8] = {0};
    int n = fscanf(f, "cpu %lf %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 4)
        return 0;
    *total = 0;
    for (int i = 0; i < 8; i++)
        *total += v[i];
    *idle = v[3] + v[4]; /* idle + iowait */
    return 1;
}

static void nap(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

double rv_busy_share(double window_s)
{
    double t0, i0, t1, i1;
    if (!cpu_times(&t0, &i0))
        return -1;
    nap(window_s);
    if (!cpu_times(&t1, &i1) || t1 <= t0)
        return -1;
    return 1 - (i1 - i0) / (t1 - t0);
}

double rv_wait_quiet(double threshold, double max_wait_s, int *quiet)
{
    double waited = 0;
    for (;;) {
        double busy = rv_busy_share(POLL_S);
        waited += POLL_S;
        *quiet = busy < threshold;
        if (*quiet || waited >= max_wait_s)
            return waited;
    }
}
