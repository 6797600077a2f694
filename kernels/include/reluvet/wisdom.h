/* reluvet/wisdom.h - wisdom in memory: what searches chose, keyed by
 * (problem, thread cap). Plans consult it and add to it (plan.h); reading
 * and writing it as a file is reluvet/wisdom_file.h, a separate library, so
 * that libreluvet itself does no file I/O.
 *
 * A wisdom object is not thread-safe: plan creation that shares one must be
 * serialised by the caller. */
#ifndef RELUVET_WISDOM_H
#define RELUVET_WISDOM_H

#include "reluvet/tune.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_WISDOM_MAX_ENTRIES 4096
/* The longest median time per call an entry may record: a day. No kernel
 * call within the tuner's buffer limits comes near it; a larger value (say
 * 1e308 in a file) is damage, not a measurement. */
#define RV_WISDOM_MAX_SECONDS 86400.0

typedef struct rv_wisdom rv_wisdom;

typedef struct rv_wisdom_entry {
    rv_problem problem;   /* key */
    int max_threads;      /* key: the thread cap the search ran under */
    rv_candidate choice;
    int effort;           /* RV_EFFORT_MEASURE or RV_EFFORT_EXHAUSTIVE */
    double seconds;       /* median seconds per call of the choice, when tuned */
    int candidates;       /* how many candidates the search tried */
    int failed;           /* how many of them failed their check */
} rv_wisdom_entry;

/* Creates an empty wisdom. Returns RV_OK and *out, or RV_ERR_NOMEM. */
rv_status rv_wisdom_create(rv_wisdom **out, rv_error *err);

/* Frees w; NULL is a no-op. */
void rv_wisdom_destroy(rv_wisdom *w);

size_t rv_wisdom_count(const rv_wisdom *w);

/* Entry i (0 <= i < count), in insertion order; NULL when out of range. The
 * pointer is valid until the wisdom is next changed. */
const rv_wisdom_entry *rv_wisdom_at(const rv_wisdom *w, size_t i);

/* The entry for (p, max_threads), or NULL. */
const rv_wisdom_entry *rv_wisdom_find(const rv_wisdom *w, const rv_problem *p, int max_threads);

/* Checks an entry as if it came from a hostile file: a valid problem, a
 * thread cap in 1..RV_MAX_THREADS, a known non-oracle variant whose unread
 * options are 0 and read ones in range (threads 1..max_threads), an effort
 * that timed, seconds in 0..RV_WISDOM_MAX_SECONDS (not NaN), at least one
 * candidate and no more failed than tried. */
rv_status rv_wisdom_entry_validate(const rv_wisdom_entry *e, rv_error *err);

/* Adds e (validated first), replacing the entry with the same key. Fails
 * with RV_ERR_NOMEM past RV_WISDOM_MAX_ENTRIES entries. */
rv_status rv_wisdom_put(rv_wisdom *w, const rv_wisdom_entry *e, rv_error *err);

/* Removes the entry for (p, max_threads), if there is one. */
void rv_wisdom_forget(rv_wisdom *w, const rv_problem *p, int max_threads);

/* Merges src into dst: keys dst lacks are added; for a key both hold, the
 * entry of higher effort wins, dst on a tie. */
rv_status rv_wisdom_merge(rv_wisdom *dst, const rv_wisdom *src, rv_error *err);

/* Removes every entry. */
void rv_wisdom_clear(rv_wisdom *w);

#ifdef __cplusplus
}
#endif
#endif
