/*
 * Parallel parsing and signature verification of entry batches, on all cores. Every entry's
 * signature is checked before it is stored (DESIGN.md), and that check is the cost that bounds
 * import and audit, so it is spread across a small pool of threads while the caller's thread
 * reads the next batch or commits the previous one.
 */
#ifndef SAKSI_CLI_VERIFY_H
#define SAKSI_CLI_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "proto/entry.h"

struct verify_pool;

/* One unit of work: raw bytes in, parsed entry and verdict out (0, or an ERR_* code). A job
 * with raw == NULL was rejected before verification and keeps the rc it has. */
struct verify_job {
    const uint8_t *raw;
    size_t len;
    struct proto_entry e;
    int rc;
};

/* Starts nthreads workers (0: one per online core). *out: verify_pool_free(). */
int verify_pool_new(unsigned nthreads, struct verify_pool **out);
void verify_pool_free(struct verify_pool *p);

/* Starts parsing and verifying jobs[0..n) in the background; one batch at a time. */
void verify_pool_start(struct verify_pool *p, struct verify_job *jobs, size_t n);
/* Waits for the batch started last, working on its remaining jobs meanwhile. */
void verify_pool_wait(struct verify_pool *p);

#endif
