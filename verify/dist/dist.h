/* dist.h - deal independent tasks to workers and collect their results.
 *
 * One interface, two back ends chosen at build time: dist_local.c runs the
 * tasks on `jobs` threads of this process; dist_mpi.c (-DRELUVET_MPI=ON)
 * deals them to MPI ranks. Either way tasks are dealt dynamically (a worker
 * gets the next task when it finishes one), largest estimated cost first,
 * so that runs whose costs differ by orders of magnitude do not leave
 * workers idle; and results reach `collect` on one thread of one process
 * (rank 0), which alone writes files and prints. */
#ifndef RELUVET_DIST_H
#define RELUVET_DIST_H

#include <stddef.h>

#include "reluvet/status.h"

typedef struct rv_dist_job {
    size_t ntasks;
    /* Optional: estimated cost of each task (any unit); dealt largest first.
     * NULL: dealt in index order. */
    const double *cost;
    /* Optional: non-zero for tasks already finished (resume); skipped. */
    const unsigned char *done;
    /* Runs task i (any worker, any rank). On success returns 0 with a
     * malloc'd result of *len bytes in *out (the dealer frees it); on failure
     * returns non-zero with a reason in why; the whole job then stops. */
    int (*work)(size_t task, void *ctx, char **out, size_t *len, char *why, size_t cap);
    /* Takes a finished task's result: called on rank 0 only, one call at a
     * time, in completion order. Non-zero stops the job (reason in why). */
    int (*collect)(size_t task, const char *result, size_t len, void *ctx, char *why,
                   size_t cap);
    void *ctx;
} rv_dist_job;

#define RV_DIST_MAX_WORKERS 256

typedef struct rv_dist_stats {
    int workers;                          /* ranks (MPI) or threads (local) */
    double wall_s;                        /* whole job, rank 0's clock */
    double tail_s;                        /* from the last deal to the end */
    double busy_s[RV_DIST_MAX_WORKERS];   /* time each worker spent in work() */
    double idle_s[RV_DIST_MAX_WORKERS];   /* time each worker waited for a task
                                             before the last deal (the tail
                                             excluded) */
    size_t tasks[RV_DIST_MAX_WORKERS];    /* tasks each worker ran */
} rv_dist_stats;

/* Runs job. `jobs` is the number of local worker threads (local back end;
 * ignored under MPI, where every rank is one worker). Returns RV_OK when
 * every task not marked done was run and collected; otherwise the first
 * failure, with the task and reason in err. stats may be NULL. Under MPI
 * every rank calls it collectively; only rank 0's stats are filled. */
rv_status rv_dist_run(const rv_dist_job *job, int jobs, rv_dist_stats *stats, rv_error *err);

/* This process's rank and the number of ranks (0 and 1 without MPI). */
int rv_dist_rank(void);
int rv_dist_size(void);

/* Ranks on this node, this one included (1 without MPI): a rank's fair
 * share of the node's cores is usable cores / rv_dist_node_size(). */
int rv_dist_node_size(void);

/* Starts and stops the back end (MPI_Init_thread / MPI_Finalize); no-ops
 * for the local one. Call once around everything else. */
void rv_dist_init(int *argc, char ***argv);
void rv_dist_finalize(void);

/* The back end's name: "local" or "mpi". */
const char *rv_dist_backend(void);

#endif
