/* dist_order.c - the order in which tasks are dealt (both back ends). */
#include <stdlib.h>

#include "dist_order.h"

static const double *sort_cost;

static int by_cost_desc(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (sort_cost[i] != sort_cost[j])
        return sort_cost[i] < sort_cost[j] ? 1 : -1;
    return i < j ? -1 : i > j; /* stable: by index */
}

size_t *rv_dist_order(const rv_dist_job *job, size_t *count)
{
    size_t *order = malloc((job->ntasks ? job->ntasks : 1) * sizeof *order);
    if (!order)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < job->ntasks; i++)
        if (!job->done || !job->done[i])
            order[n++] = i;
    if (job->cost) {
        sort_cost = job->cost; /* qsort has no context argument in C11 */
        qsort(order, n, sizeof *order, by_cost_desc);
        sort_cost = NULL;
    }
    *count = n;
    return order;
}
