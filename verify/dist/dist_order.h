/* dist_order.h - the order in which tasks are dealt. */
#ifndef RELUVET_DIST_ORDER_H
#define RELUVET_DIST_ORDER_H

#include "dist.h"

/* The tasks of job not marked done, largest cost first (index order for
 * ties or without costs); malloc'd, *count entries; NULL if out of memory.
 * Not thread-safe (called once, by the dealer). */
size_t *rv_dist_order(const rv_dist_job *job, size_t *count);

#endif
