/*
 * Entries: the signed, canonical unit of the ledger (docs/FORMATS.md is the authority).
 *
 *   entry        = [bin signed_bytes, bin(64) signature]
 *   signed_bytes = [version, ledger_id|nil, author, seq, prev|nil, time_ms, kind, body]
 *   signature    = Ed25519(author, "saksi-entry-v1\0" || signed_bytes)
 *   id           = SHA-256(0x00 || entry)   (the RFC 6962 leaf hash of the whole entry)
 *
 * Parsing never re-encodes: the signature is checked over the exact signed bytes received, and
 * the body stays as its canonical bytes for the kind decoders in proto/ledger.h.
 */
#ifndef SAKSI_PROTO_ENTRY_H
#define SAKSI_PROTO_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/crypto.h"

#define PROTO_ENTRY_VERSION    1
#define PROTO_ENTRY_MAX        61440            /* 60 KiB, the whole wrapper */
#define PROTO_ENTRY_SIG_PREFIX "saksi-entry-v1" /* signed with its NUL: 15 bytes */
#define PROTO_SEQ_MAX          ((uint64_t)1 << 53)

/* Entry kinds. Unknown kinds are stored and relayed but have no effect (a finding). */
enum proto_kind {
    PROTO_KIND_NEWER = 0, /* an entry of a newer version: stored and relayed, no effect here */
    PROTO_KIND_GENESIS = 1,
    PROTO_KIND_ADMIT = 2,
    PROTO_KIND_REVOKE = 3,
    PROTO_KIND_JOURNAL = 16,
};

/*
 * A parsed entry. Every pointer borrows the raw bytes given to proto_entry_parse(), which must
 * outlive it.
 */
struct proto_entry {
    const uint8_t *raw;
    size_t raw_len;
    const uint8_t *signed_bytes;
    size_t signed_len;
    const uint8_t *sig;
    uint8_t id[32];
    uint64_t version;
    bool has_ledger;
    uint8_t ledger[32];
    uint8_t author[32];
    uint64_t seq;
    bool has_prev;
    uint8_t prev[32];
    uint64_t time_ms;
    uint64_t kind;
    const uint8_t *body; /* canonical msgpack of the body, the last field of signed_bytes */
    size_t body_len;
};

/*
 * Checks structure and canonical form, and the rules that need no other entry: version >= 1
 * (a newer version keeps the first five fields, version, ledger, author, seq, prev, and its
 * other fields are opaque: kind is set to PROTO_KIND_NEWER and body to the rest),
 * 1 <= seq <= PROTO_SEQ_MAX, prev present iff seq > 1, ledger id absent iff kind is genesis, and
 * genesis only at seq 1. Computes the id. Does not verify the signature.
 * Errors: ERR_TOOBIG, ERR_TRUNC, ERR_NONCANON, ERR_TYPE, ERR_UTF8, ERR_DEPTH, ERR_BADFRAME,
 * ERR_VERSION, ERR_SEQ, ERR_GENESIS.
 */
int proto_entry_parse(const uint8_t *raw, size_t len, struct proto_entry *e);

/* proto_entry_parse() without computing the id (e->id is zero): for a cheap look at headers
 * of entries that are verified elsewhere. */
int proto_entry_peek(const uint8_t *raw, size_t len, struct proto_entry *e);

/* Verifies the author's signature over the signed bytes. 0 or ERR_BADSIG. */
int proto_entry_verify(const struct proto_entry *e);

/*
 * Builds and signs an entry, appending its bytes to out. ledger and prev may be NULL (genesis,
 * seq 1). body must be canonical msgpack (it is checked). ERR_TOOBIG if the entry would exceed
 * PROTO_ENTRY_MAX; ERR_SEQ/ERR_GENESIS for rule violations; -ENOMEM.
 */
int proto_entry_build(struct proto_buf *out, const struct proto_keys *k, const uint8_t *ledger,
                      uint64_t seq, const uint8_t *prev, uint64_t time_ms, uint64_t kind,
                      const uint8_t *body, size_t body_len);

/* The entry id of raw bytes: SHA-256(0x00 || raw). */
void proto_entry_id(const uint8_t *raw, size_t len, uint8_t id[32]);

/* A short name for a kind ("genesis", "admit", "revoke", "journal", "unknown"). */
const char *proto_kind_name(uint64_t kind);

#endif
