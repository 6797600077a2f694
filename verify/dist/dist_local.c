/* dist_local.c - the single-process back end: `jobs` threads of this
 * process take tasks from one shared cursor. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dist.h"
#include "dist_order.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct pool {
    const rv_dist_job *job;
    const size_t *order;
    size_t count, next;
    int stop;
    rv_status status;
    rv_error err;
    pthread_mutex_t lock;      /* cursor, stop, status */
    pthread_mutex_t collect;   /* one collect() at a time */
    double t0, last_deal;
    rv_dist_stats *stats;
} pool;

typedef struct worker {
    pool *p;
    int id;
} worker;

static void fail(pool *p, size_t task, const char *what, const char *why)
{
    pthread_mutex_lock(&p->lock);
    if (p->status == RV_OK)
        p->status = rv_fail(&p->err, RV_ERR_IO, "task %zu %s: %s", task, what, why);
    p->stop = 1;
    pthread_mutex_unlock(&p->lock);
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    pool *p = w->p;
    double asked = now_s();
    for (;;) {
        pthread_mutex_lock(&p->lock);
        if (p->stop || p->next == p->count) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        size_t task = p->order[p->next++];
        p->last_deal = now_s();
        pthread_mutex_unlock(&p->lock);
        if (p->stats)
            p->stats->idle_s[w->id] += p->last_deal - asked;

        char why[256] = "", *out = NULL;
        size_t len = 0;
        double t = now_s();
        int rc = p->job->work(task, p->job->ctx, &out, &len, why, sizeof why);
        if (p->stats) {
            p->stats->busy_s[w->id] += now_s() - t;
            p->stats->tasks[w->id]++;
        }
        if (rc != 0) {
            free(out);
            fail(p, task, "failed", why);
            return NULL;
        }
        pthread_mutex_lock(&p->collect);
        rc = p->job->collect(task, out, len, p->job->ctx, why, sizeof why);
        pthread_mutex_unlock(&p->collect);
        free(out);
        if (rc != 0) {
            fail(p, task, "could not be collected", why);
            return NULL;
        }
        asked = now_s();
    }
}

rv_status rv_dist_run(const rv_dist_job *job, int jobs, rv_dist_stats *stats, rv_error *err)
{
    if (!job || !job->work || !job->collect)
        return rv_fail(err, RV_ERR_NULL, "dist job without work or collect function");
    if (jobs < 1 || jobs > RV_DIST_MAX_WORKERS)
        return rv_fail(err, RV_ERR_OPTS, "jobs = %d: must be 1..%d", jobs, RV_DIST_MAX_WORKERS);
    pool p = {.job = job, .stats = stats, .t0 = now_s()};
    p.last_deal = p.t0;
    p.order = rv_dist_order(job, &p.count);
    if (!p.order)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory ordering %zu tasks", job->ntasks);
    if (stats)
        *stats = (rv_dist_stats){.workers = jobs};
    pthread_mutex_init(&p.lock, NULL);
    pthread_mutex_init(&p.collect, NULL);
    pthread_t tid[RV_DIST_MAX_WORKERS];
    worker w[RV_DIST_MAX_WORKERS];
    int started = 0;
    for (int i = 1; i < jobs; i++) {
        w[i] = (worker){&p, i};
        if (pthread_create(&tid[i], NULL, run_worker, &w[i]) != 0)
            break;
        started = i;
    }
    w[0] = (worker){&p, 0};
    run_worker(&w[0]); /* the calling thread is worker 0 */
    for (int i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    if (stats) {
        double end = now_s();
        stats->wall_s = end - p.t0;
        stats->tail_s = end - p.last_deal;
    }
    pthread_mutex_destroy(&p.lock);
    pthread_mutex_destroy(&p.collect);
    free((void *)p.order);
    if (p.status != RV_OK && err)
        *err = p.err;
    return p.status;
}

int rv_dist_rank(void)
{
    return 0;
}

int rv_dist_size(void)
{
    return 1;
}

int rv_dist_node_size(void)
{
    return 1;
}

void rv_dist_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}

void rv_dist_finalize(void)
{
}

const char *rv_dist_backend(void)
{
    return "local";
}
