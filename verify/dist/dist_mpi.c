/* dist_mpi.c - the MPI back end. Rank 0 coordinates: it deals tasks, takes
 * every result (collect), and meanwhile computes too, on a worker thread
 * of its own, so that 2 ranks on 2 cores do the work of 2 workers. Only
 * rank 0's main thread calls MPI (MPI_THREAD_FUNNELED). The coordinator
 * polls (MPI_Iprobe + a short sleep) instead of blocking in MPI_Recv,
 * which Open MPI implements as a busy wait that would steal a core from
 * the workers. */
#include <mpi.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dist.h"
#include "dist_order.h"

enum { TAG_READY = 1, TAG_TASK, TAG_STOP, TAG_RESULT, TAG_FAIL };
#define HEADER (sizeof(uint64_t) + sizeof(double)) /* task index, busy seconds */

/* -- rank 0's own worker thread, fed through a one-slot mailbox --------- */
typedef struct mailbox {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    const rv_dist_job *job;
    int has_task, has_result, stop, failed;
    size_t task;
    char *out;
    size_t len;
    double busy;
    char why[256];
} mailbox;

static void *local_worker(void *arg)
{
    mailbox *m = arg;
    pthread_mutex_lock(&m->lock);
    for (;;) {
        while (!m->has_task && !m->stop)
            pthread_cond_wait(&m->cond, &m->lock);
        if (m->stop)
            break;
        size_t task = m->task;
        m->has_task = 0;
        pthread_mutex_unlock(&m->lock);
        char why[256] = "", *out = NULL;
        size_t len = 0;
        double t0 = MPI_Wtime();
        int rc = m->job->work(task, m->job->ctx, &out, &len, why, sizeof why);
        double busy = MPI_Wtime() - t0;
        pthread_mutex_lock(&m->lock);
        m->out = out;
        m->len = len;
        m->busy = busy;
        m->failed = rc != 0;
        memcpy(m->why, why, sizeof why);
        m->has_result = 1;
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

/* -- the coordinator ---------------------------------------------------- */
typedef struct coord {
    const rv_dist_job *job;
    size_t *order, count, next;
    int active;             /* workers not yet stopped */
    rv_status status;
    rv_error err;
    double t0, last_deal;
    double waiting_since[RV_DIST_MAX_WORKERS];
    rv_dist_stats *stats;
    mailbox *mb;
} coord;

static void record_failure(coord *c, int worker, size_t task, const char *why)
{
    if (c->status == RV_OK)
        c->status = rv_fail(&c->err, RV_ERR_IO, "rank %d, task %zu failed: %s", worker, task,
                            why);
}

/* Gives worker its next task, or stops it when none is left (or after a
 * failure). */
static void deal(coord *c, int worker)
{
    double t = MPI_Wtime();
    if (c->status == RV_OK && c->next < c->count) {
        uint64_t task = c->order[c->next++];
        c->stats->idle_s[worker] += t - c->waiting_since[worker];
        c->last_deal = t;
        if (worker == 0) {
            pthread_mutex_lock(&c->mb->lock);
            c->mb->task = (size_t)task;
            c->mb->has_task = 1;
            pthread_cond_signal(&c->mb->cond);
            pthread_mutex_unlock(&c->mb->lock);
        } else {
            MPI_Send(&task, 1, MPI_UINT64_T, worker, TAG_TASK, MPI_COMM_WORLD);
        }
        return;
    }
    c->active--;
    if (worker == 0) {
        pthread_mutex_lock(&c->mb->lock);
        c->mb->stop = 1;
        pthread_cond_signal(&c->mb->cond);
        pthread_mutex_unlock(&c->mb->lock);
    } else {
        MPI_Send(NULL, 0, MPI_BYTE, worker, TAG_STOP, MPI_COMM_WORLD);
    }
}

static void take_result(coord *c, int worker, size_t task, double busy, const char *res,
                        size_t len)
{
    c->stats->busy_s[worker] += busy;
    c->stats->tasks[worker]++;
    c->waiting_since[worker] = MPI_Wtime();
    if (c->status != RV_OK)
        return;
    char why[256] = "";
    if (c->job->collect(task, res, len, c->job->ctx, why, sizeof why) != 0)
        c->status = rv_fail(&c->err, RV_ERR_IO, "result of task %zu could not be collected: %s",
                            task, why);
}

/* Handles one message from a worker rank, if any; returns 1 if it did. */
static int poll_ranks(coord *c)
{
    int flag = 0, bytes = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag)
        return 0;
    MPI_Get_count(&st, MPI_BYTE, &bytes);
    char *buf = malloc((size_t)bytes + 1);
    if (!buf) {
        MPI_Abort(MPI_COMM_WORLD, 1); /* cannot even drain the message */
        return 1;
    }
    MPI_Recv(buf, bytes, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    buf[bytes] = '\0';
    int w = st.MPI_SOURCE;
    uint64_t task = 0;
    double busy = 0;
    if (st.MPI_TAG == TAG_RESULT && (size_t)bytes >= HEADER) {
        memcpy(&task, buf, sizeof task);
        memcpy(&busy, buf + sizeof task, sizeof busy);
        take_result(c, w, (size_t)task, busy, buf + HEADER, (size_t)bytes - HEADER);
    } else if (st.MPI_TAG == TAG_FAIL && (size_t)bytes >= sizeof task) {
        memcpy(&task, buf, sizeof task);
        record_failure(c, w, (size_t)task, buf + sizeof task);
    } else if (st.MPI_TAG != TAG_READY) {
        record_failure(c, w, 0, "malformed message");
    }
    free(buf);
    deal(c, w);
    return 1;
}

/* Handles rank 0's own worker's result, if any; returns 1 if it did. */
static int poll_local(coord *c)
{
    mailbox *m = c->mb;
    pthread_mutex_lock(&m->lock);
    if (!m->has_result) {
        pthread_mutex_unlock(&m->lock);
        return 0;
    }
    m->has_result = 0;
    char *out = m->out;
    size_t len = m->len, task = m->task;
    int failed = m->failed;
    double busy = m->busy;
    char why[256];
    memcpy(why, m->why, sizeof why);
    pthread_mutex_unlock(&m->lock);
    if (failed) {
        c->stats->tasks[0]++;
        record_failure(c, 0, task, why);
    } else {
        take_result(c, 0, task, busy, out, len);
    }
    free(out);
    deal(c, 0);
    return 1;
}

static rv_status coordinate(const rv_dist_job *job, rv_dist_stats *stats, rv_error *err)
{
    int size = rv_dist_size();
    coord c = {.job = job, .active = size, .stats = stats, .t0 = MPI_Wtime()};
    c.last_deal = c.t0;
    for (int w = 0; w < size; w++)
        c.waiting_since[w] = c.t0;
    c.order = rv_dist_order(job, &c.count);
    mailbox m = {.job = job};
    pthread_mutex_init(&m.lock, NULL);
    pthread_cond_init(&m.cond, NULL);
    c.mb = &m;
    pthread_t tid;
    if (!c.order || pthread_create(&tid, NULL, local_worker, &m) != 0)
        MPI_Abort(MPI_COMM_WORLD, 1); /* the other ranks are waiting on us */
    deal(&c, 0);
    while (c.active > 0) {
        int progressed = poll_ranks(&c);
        progressed |= poll_local(&c);
        if (!progressed)
            nanosleep(&(struct timespec){0, 100000}, NULL); /* 0.1 ms */
    }
    pthread_join(tid, NULL);
    pthread_mutex_destroy(&m.lock);
    pthread_cond_destroy(&m.cond);
    free(c.order);
    double end = MPI_Wtime();
    stats->wall_s = end - c.t0;
    stats->tail_s = end - c.last_deal;
    if (c.status != RV_OK && err)
        *err = c.err;
    return c.status;
}

/* -- the other ranks ---------------------------------------------------- */
static rv_status compute(const rv_dist_job *job, rv_error *err)
{
    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
    for (;;) {
        MPI_Status st;
        uint64_t task = 0;
        MPI_Recv(&task, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP)
            return RV_OK;
        char why[256] = "", *out = NULL;
        size_t len = 0;
        double t0 = MPI_Wtime();
        int rc = job->work((size_t)task, job->ctx, &out, &len, why, sizeof why);
        double busy = MPI_Wtime() - t0;
        if (rc != 0) {
            char msg[sizeof task + sizeof why];
            memcpy(msg, &task, sizeof task);
            memcpy(msg + sizeof task, why, sizeof why);
            MPI_Send(msg, (int)sizeof msg, MPI_BYTE, 0, TAG_FAIL, MPI_COMM_WORLD);
            free(out);
            rv_fail(err, RV_ERR_IO, "task %llu failed: %s", (unsigned long long)task, why);
            continue; /* rank 0 answers with STOP */
        }
        char *msg = malloc(HEADER + len);
        if (!msg || HEADER + len > (size_t)INT32_MAX)
            MPI_Abort(MPI_COMM_WORLD, 1);
        memcpy(msg, &task, sizeof task);
        memcpy(msg + sizeof task, &busy, sizeof busy);
        if (len)
            memcpy(msg + HEADER, out, len);
        MPI_Send(msg, (int)(HEADER + len), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(msg);
        free(out);
    }
}

rv_status rv_dist_run(const rv_dist_job *job, int jobs, rv_dist_stats *stats, rv_error *err)
{
    (void)jobs; /* one worker per rank */
    if (!job || !job->work || !job->collect)
        return rv_fail(err, RV_ERR_NULL, "dist job without work or collect function");
    int size = rv_dist_size();
    if (size > RV_DIST_MAX_WORKERS)
        return rv_fail(err, RV_ERR_OPTS, "%d ranks: at most %d", size, RV_DIST_MAX_WORKERS);
    rv_dist_stats local;
    if (!stats)
        stats = &local;
    *stats = (rv_dist_stats){.workers = size};
    rv_status s = rv_dist_rank() == 0 ? coordinate(job, stats, err) : compute(job, err);
    MPI_Barrier(MPI_COMM_WORLD);
    return s;
}

int rv_dist_rank(void)
{
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int rv_dist_size(void)
{
    int s = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
}

int rv_dist_node_size(void)
{
    MPI_Comm node;
    int n = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
        MPI_SUCCESS) {
        MPI_Comm_size(node, &n);
        MPI_Comm_free(&node);
    }
    return n;
}

void rv_dist_init(int *argc, char ***argv)
{
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
}

void rv_dist_finalize(void)
{
    MPI_Finalize();
}

const char *rv_dist_backend(void)
{
    return "mpi";
}
