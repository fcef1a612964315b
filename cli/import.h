/*
 * The export stream and its importer: the path every untrusted input takes (files now, the
 * same checks for the network later). Stream format (docs/FORMATS.md): the 8 bytes "SAKSIEX1",
 * then records of u32be length + raw entry bytes, length 1..PROTO_ENTRY_MAX.
 */
#ifndef SAKSI_CLI_IMPORT_H
#define SAKSI_CLI_IMPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/verify.h"
#include "proto/buf.h"
#include "store/store.h"

#define IMPORT_MAGIC     "SAKSIEX1"
#define IMPORT_MAGIC_LEN 8

struct import_stats {
    uint64_t records;    /* records read */
    uint64_t added;      /* stored and applied */
    uint64_t had;        /* already stored */
    uint64_t pending;    /* parked: predecessor or admission missing */
    uint64_t forks;      /* stored as fork evidence */
    uint64_t frozen;     /* stored beyond a fork or cut-off */
    uint64_t rejected;   /* invalid: never stored */
    uint64_t released;   /* earlier pending entries this import let apply */
    uint64_t duplicates; /* the same entry twice in this stream */
};

/*
 * One problem with one record. e is NULL when the record could not be parsed (then only index
 * and offset name it). code is an ERR_* code, or a positive enum store_result for pending/fork.
 */
typedef void import_problem_fn(void *arg, uint64_t index, uint64_t offset,
                               const struct proto_entry *e, int code);

/*
 * Reads a stream from f, verifies every entry on the pool and ingests in batches, each in one
 * durable transaction. Problems with the input go to cb; the return value is 0, ERR_BADFRAME
 * for a stream that is not an export (bad magic) or ERR_TRUNC for one cut short (entries
 * before the cut are kept), or a runtime error (< 0) from reading or the store.
 */
int import_stream(FILE *f, struct store *st, struct verify_pool *pool, const uint8_t *expect_ledger,
                  import_problem_fn *cb, void *arg, struct import_stats *stats);

/* Appends one record (length + bytes) to b. */
int import_record_put(struct proto_buf *b, const uint8_t *raw, size_t len);

#endif
