/*
 * Import: read records into a batch, verify the batch on the pool while the previous batch is
 * committed, report every record that was not simply added. Memory stays bounded whatever the
 * stream's size: two batches of at most BATCH_N entries and BATCH_BYTES bytes each.
 */
#include "cli/import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"

#define BATCH_N     4096
#define BATCH_BYTES (4u << 20)

struct batch {
    struct verify_job *jobs;
    struct store_item *items;
    uint64_t *offsets; /* byte offset of each record, for messages */
    uint64_t *index;   /* record number (1-based) of each record, for messages */
    size_t n;
    uint8_t *arena; /* raw bytes of the batch; never reallocated, so jobs may point in */
    size_t used;
};

static int batch_init(struct batch *b)
{
    memset(b, 0, sizeof *b);
    b->jobs = calloc(BATCH_N, sizeof *b->jobs);
    b->items = calloc(BATCH_N, sizeof *b->items);
    b->offsets = calloc(BATCH_N, sizeof *b->offsets);
    b->index = calloc(BATCH_N, sizeof *b->index);
    b->arena = malloc(BATCH_BYTES + PROTO_ENTRY_MAX);
    return b->jobs && b->items && b->offsets && b->index && b->arena ? 0 : -ENOMEM;
}

static void batch_release(struct batch *b)
{
    free(b->jobs);
    free(b->items);
    free(b->offsets);
    free(b->index);
    free(b->arena);
}

static bool batch_full(const struct batch *b)
{
    return b->n == BATCH_N || b->used >= BATCH_BYTES;
}

int import_record_put(struct proto_buf *b, const uint8_t *raw, size_t len)
{
    uint8_t hdr[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                      (uint8_t)len};
    int rc = proto_buf_append(b, hdr, 4);

    return rc < 0 ? rc : proto_buf_append(b, raw, len);
}

/* Reads exactly n bytes; returns how many were read (n unless EOF or error). */
static size_t read_full(FILE *f, void *p, size_t n)
{
    return fread(p, 1, n, f);
}

/* Skips n bytes; true if all were there. */
static bool skip(FILE *f, uint64_t n)
{
    uint8_t tmp[8192];

    while (n > 0) {
        size_t want = n > sizeof tmp ? sizeof tmp : (size_t)n;

        if (fread(tmp, 1, want, f) != want)
            return false;
        n -= want;
    }
    return true;
}

/*
 * Commits a verified batch and reports what it did. Entries that failed parsing or
 * verification are reported and left out; a repeat of an id within the batch is reported once
 * as a duplicate.
 */
static int batch_commit(struct batch *b, struct store *st, const uint8_t *expect_ledger,
                        import_problem_fn *cb, void *arg, struct import_stats *s)
{
    struct store_ingest_stats is;
    size_t m = 0;
    int rc;

    for (size_t i = 0; i < b->n; i++) {
        struct verify_job *j = &b->jobs[i];

        if (j->rc < 0) {
            s->rejected++;
            cb(arg, b->index[i], b->offsets[i], j->rc == ERR_BADSIG ? &j->e : NULL, j->rc);
            continue;
        }
        b->items[m].e = &j->e;
        b->items[m].result = 0;
        m++;
    }
    if (m == 0)
        return 0;
    rc = store_ingest(st, b->items, m, expect_ledger, &is);
    if (rc < 0)
        return rc;
    s->released += is.from_pending;
    m = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct verify_job *j = &b->jobs[i];
        int r;
        bool dup = false;

        if (j->rc < 0)
            continue;
        r = b->items[m++].result;
        if (r == STORE_HAD) {
            /* Seen earlier in this same batch? Then it is a duplicate in the stream. */
            for (size_t k = 0; k < i && !dup; k++)
                dup = b->jobs[k].rc == 0 && memcmp(b->jobs[k].e.id, j->e.id, 32) == 0;
        }
        switch (r) {
        case STORE_NEW:
            s->added++;
            break;
        case STORE_HAD:
            if (dup) {
                s->duplicates++;
                cb(arg, b->index[i], b->offsets[i], &j->e, -EEXIST);
            } else {
                s->had++;
            }
            break;
        case STORE_PENDING_GAP:
        case STORE_PENDING_AUTHOR:
            s->pending++;
            cb(arg, b->index[i], b->offsets[i], &j->e, r);
            break;
        case STORE_FORK:
            s->forks++;
            cb(arg, b->index[i], b->offsets[i], &j->e, r);
            break;
        case STORE_BEYOND_FORK:
            s->frozen++;
            cb(arg, b->index[i], b->offsets[i], &j->e, r);
            break;
        default:
            s->rejected++;
            cb(arg, b->index[i], b->offsets[i], &j->e, r < 0 ? r : ERR_STORE);
            break;
        }
    }
    return 0;
}

int import_stream(FILE *f, struct store *st, struct verify_pool *pool, const uint8_t *expect_ledger,
                  import_problem_fn *cb, void *arg, struct import_stats *s)
{
    struct batch bt[2];
    struct batch *cur = &bt[0], *busy = NULL;
    uint8_t magic[IMPORT_MAGIC_LEN], hdr[4];
    uint64_t offset = IMPORT_MAGIC_LEN, index = 0, trunc_at = 0;
    int rc = 0;

    memset(s, 0, sizeof *s);
    memset(bt, 0, sizeof bt);
    if (read_full(f, magic, sizeof magic) != sizeof magic ||
        memcmp(magic, IMPORT_MAGIC, IMPORT_MAGIC_LEN) != 0)
        return ferror(f) ? -EIO : ERR_BADFRAME;
    /* busy was verified before cur started: it commits while cur verifies. */
    if ((rc = batch_init(&bt[0])) < 0 || (rc = batch_init(&bt[1])) < 0)
        goto out;
    for (;;) {
        size_t got = read_full(f, hdr, 4);
        uint64_t len;

        if (got == 0 && !ferror(f))
            break;
        index++;
        if (got != 4) {
            trunc_at = index;
            break;
        }
        s->records++;
        len = (uint64_t)hdr[0] << 24 | (uint64_t)hdr[1] << 16 | (uint64_t)hdr[2] << 8 | hdr[3];
        if (len == 0 || len > PROTO_ENTRY_MAX) {
            /* Rejected unread; it joins the batch so that messages keep the stream's order. */
            if (!skip(f, len)) {
                trunc_at = index;
                break;
            }
            cur->jobs[cur->n].raw = NULL;
            cur->jobs[cur->n].len = 0;
            cur->jobs[cur->n].rc = len ? ERR_TOOBIG : ERR_BADFRAME;
        } else if (read_full(f, cur->arena + cur->used, (size_t)len) != len) {
            trunc_at = index;
            break;
        } else {
            cur->jobs[cur->n].raw = cur->arena + cur->used;
            cur->jobs[cur->n].len = (size_t)len;
            cur->used += (size_t)len;
        }
        cur->offsets[cur->n] = offset;
        cur->index[cur->n] = index;
        cur->n++;
        offset += 4 + len;
        if (!batch_full(cur))
            continue;
        /* Hand this batch to the pool; commit the previous one meanwhile. */
        if (busy)
            verify_pool_wait(pool);
        verify_pool_start(pool, cur->jobs, cur->n);
        {
            struct batch *done = busy;

            busy = cur;
            cur = busy == &bt[0] ? &bt[1] : &bt[0];
            if (done) {
                rc = batch_commit(done, st, expect_ledger, cb, arg, s);
                if (rc < 0)
                    goto out;
            }
            cur->n = 0;
            cur->used = 0;
        }
    }
out:
    if (busy) {
        verify_pool_wait(pool);
        if (rc == 0)
            rc = batch_commit(busy, st, expect_ledger, cb, arg, s);
    }
    if (rc == 0 && cur->n > 0) {
        verify_pool_start(pool, cur->jobs, cur->n);
        verify_pool_wait(pool);
        rc = batch_commit(cur, st, expect_ledger, cb, arg, s);
    }
    if (rc == 0 && ferror(f))
        rc = -EIO;
    if (rc == 0 && trunc_at) {
        /* Reported last, after every record before it. */
        cb(arg, trunc_at, offset, NULL, ERR_TRUNC);
        s->rejected++;
        rc = ERR_TRUNC;
    }
    batch_release(&bt[0]);
    batch_release(&bt[1]);
    return rc;
}
