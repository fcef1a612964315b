/*
 * The LMDB store of one ledger data directory: raw entries, feeds, feed heads and the ledger
 * head, the pending area, fork records, and derived state (roster, postings). Only store.c
 * includes lmdb.h; LMDB codes become -ENOENT, -ENOSPC, -EEXIST or ERR_STORE at this boundary.
 *
 * Writing happens in batches: store_ingest() applies a batch of already signature-verified
 * entries in one write transaction, so a crash leaves either the whole batch or none of it, and
 * a commit returns only when the data is durable. Derived state is a pure function of the set of
 * entries held (DESIGN.md "The ledger is a set"): store_reindex() rebuilds it from the entries
 * alone, and ingest rebuilds it whenever an event (a fork, a revocation) changes what earlier
 * entries mean.
 */
#ifndef SAKSI_STORE_STORE_H
#define SAKSI_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/entry.h"
#include "proto/ledger.h"

#define STORE_SCHEMA_VERSION 1
#define STORE_PENDING_MAX    65536 /* entries waiting for a predecessor or an admission */

struct store;

enum store_open_flags {
    STORE_RDONLY = 1 << 0, /* read-only; fails with -ENOENT if there is no store */
    STORE_CREATE = 1 << 1, /* create the store directory if missing */
};

/*
 * Opens (or creates) the LMDB environment in dir (the store's own directory). Checks the schema
 * version: ERR_SCHEMA for a newer one. *out is the caller's: store_close().
 */
int store_open(const char *dir, unsigned flags, struct store **out);
void store_close(struct store *st); /* NULL is a no-op */

/*
 * The data directory's writer lock: an exclusive, non-blocking flock on <data_dir>/lock (created
 * 0600). One writer per data directory: saksid holds it while it runs, the CLI while it writes.
 * On success *fd holds it (closing the fd releases it). ERR_LOCKED if another process holds it.
 */
int store_lock_take(const char *data_dir, int *fd);

/* The ledger id (genesis entry id). ERR_NOLEDGER if no genesis is stored yet. */
int store_ledger_id(struct store *st, uint8_t id[32]);

/* The outcome of one entry in a batch. */
enum store_result {
    STORE_NEW = 1,            /* stored and applied to the feed */
    STORE_HAD = 2,            /* already stored: nothing changed */
    STORE_PENDING_GAP = 3,    /* predecessor missing: waits in the pending area */
    STORE_PENDING_AUTHOR = 4, /* author not admitted (yet): waits in the pending area */
    STORE_FORK = 5,           /* a second entry for (author, seq): stored as fork evidence */
    STORE_BEYOND_FORK = 6,    /* stored, but its feed is frozen by a fork or revocation */
};

struct store_item {
    const struct proto_entry *e; /* parsed AND signature-verified by the caller */
    int result;                  /* out: enum store_result, or < 0 (ERR_LEDGER, ...) */
};

struct store_ingest_stats {
    uint64_t from_pending; /* pending entries that this batch let apply */
    uint64_t forks;        /* new fork records */
    bool rebuilt;          /* derived state was rebuilt (a fork or revocation arrived) */
};

/*
 * Ingests a batch in one write transaction. Every entry's signature must already have been
 * verified (the caller spreads that across cores); the store checks everything else: ledger id,
 * chain links, authority, forks. Per-entry outcomes go in items[i].result; a per-entry rejection
 * (ERR_LEDGER, ERR_GENESIS, ERR_BODY, ERR_PENDING_FULL) does not fail the batch. If the store
 * has no ledger yet, the first genesis in the batch founds it, provided expect_ledger is NULL
 * or equals its id. Returns 0, or a negative code when the transaction failed as a whole
 * (nothing of the batch is stored then).
 */
int store_ingest(struct store *st, struct store_item *items, size_t n, const uint8_t *expect_ledger,
                 struct store_ingest_stats *stats);

/* Rebuilds every piece of derived state from the stored entries, in one write transaction. */
int store_reindex(struct store *st);

struct store_head {
    uint8_t head[32]; /* ledger head over the applied frontier */
    uint64_t feeds;   /* feeds with at least one applied entry (frontier size) */
    uint64_t applied; /* entries in the applied frontier (sum of feed lengths) */
    uint64_t entries; /* entries stored, fork branches included */
    uint64_t pending; /* entries in the pending area */
    uint64_t forks;   /* fork records */
};
int store_head_get(struct store *st, struct store_head *h);

/* Raw bytes of an entry, appended to out. -ENOENT if absent. */
int store_entry_get(struct store *st, const uint8_t id[32], struct proto_buf *out);

/* The entry whose id starts with prefix (plen bytes, 1..32): -ENOENT, or -EEXIST if several. */
int store_entry_find(struct store *st, const uint8_t *prefix, size_t plen, uint8_t id[32]);

/*
 * The tip of a feed for authoring: the highest stored seq and its id (*seq = 0 if the feed is
 * empty). -EEXIST if that seq holds more than one entry (a forked feed must not grow).
 */
int store_feed_tip(struct store *st, const uint8_t author[32], uint64_t *seq, uint8_t id[32]);

/* One stored entry as iteration sees it. The bytes are borrowed for the callback only. */
struct store_row {
    const uint8_t *raw;
    size_t len;
    uint8_t id[32];
    uint8_t author[32];
    uint64_t seq;
    bool applied; /* inside its feed's applied frontier */
};
/* Return 0 to go on, > 0 to stop early (returned as 0), < 0 to abort (returned). */
typedef int store_row_cb(const struct store_row *row, void *arg);

/* Every stored entry (fork branches included), by author then seq then id; author may be NULL
 * for all feeds. Feeds come in ascending author order except that the genesis author's first. */
int store_each_entry(struct store *st, const uint8_t *author, store_row_cb *cb, void *arg);

/* The rows of store_each_entry (the same rows, each with the same applied flag), in id order:
 * one sequential pass over the entries table instead of a lookup per row. */
int store_each_entry_by_id(struct store *st, store_row_cb *cb, void *arg);

/* The stored entries of one feed with from <= seq <= to, in seq order (fork branches too). */
int store_feed_range(struct store *st, const uint8_t author[32], uint64_t from, uint64_t to,
                     store_row_cb *cb, void *arg);

struct store_feed {
    uint8_t author[32];
    uint64_t length;   /* applied length */
    uint64_t stored;   /* entries stored for this author, fork branches included */
    uint64_t fork_seq; /* lowest forked seq, 0 if none */
    uint8_t root[32];  /* Merkle root of the applied entries */
    uint8_t last_id[32];
};
typedef int store_feed_cb(const struct store_feed *f, void *arg);
int store_each_feed(struct store *st, store_feed_cb *cb, void *arg);

/* A device as the roster holds it, with its standing. */
struct store_device {
    struct proto_device dev;
    uint8_t admitted_by[32]; /* the admitting entry (genesis for founders) */
    bool revoked;
    uint64_t cut_seq; /* with revoked: the feed's last valid seq */
};
typedef int store_device_cb(const struct store_device *d, void *arg);
int store_each_device(struct store *st, store_device_cb *cb, void *arg);
int store_device_get(struct store *st, const uint8_t pk[32], struct store_device *d);

struct store_fork {
    uint8_t author[32];
    uint64_t seq;
    uint32_t nids;
    uint8_t ids[8][32]; /* the first eight distinct entries at (author, seq), sorted */
};
typedef int store_fork_cb(const struct store_fork *f, void *arg);
int store_each_fork(struct store *st, store_fork_cb *cb, void *arg);

/* The genesis of the stored ledger. *out is the caller's: proto_genesis_free(). */
int store_genesis(struct store *st, struct proto_genesis **out);

/* Net balance (debits minus credits) per account from the derived postings. */
struct store_balance {
    uint32_t account;
    int64_t debit;
    int64_t credit;
};
typedef int store_balance_cb(const struct store_balance *b, void *arg);
int store_each_balance(struct store *st, store_balance_cb *cb, void *arg);

/*
 * The books of this ledger (proto/books.h): the genesis, every device the roster holds (revoked
 * ones too) and every applied entry of kinds 16, 17 and 32..73, derived. *out is the caller's:
 * books_free(). ERR_NOLEDGER without a genesis; -ENOMEM; store errors.
 */
struct books;
int store_books(struct store *st, struct books **out);
/* The same, loaded but not derived yet: the caller may add entries (a candidate it is about to
 * author, to see its effect) before books_derive(). */
int store_books_load(struct store *st, struct books **out);
/* books_id_at_fn over the store (ctx: the struct store *), which must stay open while the books
 * are derived: the id of the applied entry at (author, seq), 1 when none is stored. */
int store_books_id_at(void *ctx, const uint8_t author[32], uint64_t seq, uint8_t id[32]);

/* What books_new() takes, read from the store: the genesis (*g the caller's:
 * proto_genesis_free()), the ledger id and the genesis author. */
int store_books_origin(struct store *st, struct proto_genesis **g, uint8_t ledger[32],
                       uint8_t gauthor[32]);

/*
 * The statement cache: <data>/books.cache (docs/FORMATS.md 7.9), the slices of derived books
 * (proto/books.h) that members' statements read, keyed by the ledger id, the ledger head (head
 * digest and applied count) the books were derived at, and STORE_BOOKS_CACHE_VERSION, which is
 * bumped whenever the derivation of the books or the file's layout changes. Derived state only:
 * deleting it loses nothing.
 *
 * store_books_cache_write(): writes the file for books bk derived from the store when its head
 * was *at (read before deriving), atomically (a temporary file, fsync, rename; mode 0600), but
 * only if the store's head is still *at: returns 0 when written, 1 when skipped (the ledger has
 * moved on), a negative code on failure (the caller goes on without a cache).
 *
 * store_books_cache_member(): the books of member's statement from the file, when the file is
 * current for the store (same ledger, head and version) and every part it reads checks out
 * (SHA-256 of the header, the index, the common part and the member's part): 0 and *out (the
 * caller's: books_free()); 1 for a miss (no file, stale, torn or corrupt: the caller derives);
 * a negative code for errors of the store or memory.
 */
#define STORE_BOOKS_CACHE_VERSION 1
#define STORE_BOOKS_CACHE_FILE    "books.cache"
int store_books_cache_write(struct store *st, const char *dir, const struct books *bk,
                            const struct store_head *at);
int store_books_cache_member(struct store *st, const char *dir, uint32_t member,
                             struct books **out);
/* The file against books bk derived independently (saksi audit): 0 when there is no current
 * file, 1 when every part of it is the slice of bk, 2 when it differs; negative codes for the
 * store's errors and -ENOMEM. */
int store_books_cache_check(struct store *st, const char *dir, const struct books *bk);
/* The file's path in dir: "<dir>/books.cache" (-ENAMETOOLONG). */
int store_books_cache_path(const char *dir, char *out, size_t size);

#endif
