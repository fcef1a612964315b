/*
 * Offline proof bundles (docs/FORMATS.md 10.6, 10.7): everything needed to show, with no store and
 * only the ledger id as the trust root, that an entry is part of a ledger as of a checkpoint
 * made final by the policy's quorum:
 *
 *   bundle = ["saksi-proof", 1, genesis, note, grants, item]
 *   item   = [entry, feed_length, feed_root, feed_path, head_index, head_count, head_path]
 *
 * genesis is the genesis entry's bytes (its id must be the ledger id), note the checkpoint as a
 * signed note with its signature lines, grants the admissions (kind 2) that put on the roster the
 * signers who are not founders, each proven like the entry, and item the entry with its RFC 6962
 * inclusion path in its feed and the feed's path in the ledger head that the checkpoint states.
 * The verifier says exactly what failed.
 */
#ifndef SAKSI_PROTO_PROOF_H
#define SAKSI_PROTO_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/checkpoint.h"
#include "proto/merkle.h"

#define PROTO_PROOF_MAGIC     "saksi-proof"
#define PROTO_PROOF_VERSION   1
#define PROTO_PROOF_MAX       (1024 * 1024) /* bytes in a bundle */
#define PROTO_PROOF_GRANTS    64            /* role grants in a bundle */
#define PROTO_PROOF_DEPTH_MAX 64            /* hashes in one path (a tree of < 2^64 leaves) */

/* An entry proven inside a checkpoint: the two paths, as built by proto_proof_item_make. */
struct proto_proof_item {
    const uint8_t *entry; /* borrowed */
    size_t entry_len;
    uint64_t feed_length;
    uint8_t feed_root[32];
    size_t feed_plen;
    uint8_t feed_path[PROTO_PROOF_DEPTH_MAX][32];
    uint64_t head_index, head_count;
    size_t head_plen;
    uint8_t head_path[PROTO_PROOF_DEPTH_MAX][32];
};

/*
 * Fills *out for the entry entry[0..elen) at seq of the feed frontier[feed] (frontier: the
 * non-empty feeds, strictly ascending by author, as for proto_head_compute), whose leaves
 * (entry ids) are read through get/arg. -EINVAL (seq outside the feed, feed out of range, an
 * unsorted frontier), or get's error.
 */
int proto_proof_item_make(const struct proto_head_feed *frontier, size_t nfeeds, size_t feed,
                          proto_merkle_leaf_fn *get, void *arg, uint64_t seq, const uint8_t *entry,
                          size_t elen, struct proto_proof_item *out);

/* Appends the canonical bundle. -EINVAL (more than PROTO_PROOF_GRANTS grants, a path longer
 * than PROTO_PROOF_DEPTH_MAX), ERR_TOOBIG (over PROTO_PROOF_MAX), -ENOMEM. */
int proto_proof_encode(const uint8_t *genesis, size_t glen, const char *note, size_t nlen,
                       const struct proto_proof_item *grants, size_t ngrants,
                       const struct proto_proof_item *item, struct proto_buf *out);

/* What a verification found; the first failure, in the order listed, is reported. */
enum proto_proof_status {
    PROTO_PROOF_OK = 0,
    PROTO_PROOF_MALFORMED,      /* not a canonical bundle of this version */
    PROTO_PROOF_WRONG_LEDGER,   /* the genesis, checkpoint or entry names another ledger */
    PROTO_PROOF_GENESIS,        /* the genesis entry is not a valid genesis */
    PROTO_PROOF_CHECKPOINT,     /* the note or its checkpoint body is malformed */
    PROTO_PROOF_ENTRY,          /* the entry is malformed */
    PROTO_PROOF_ENTRY_SIG,      /* the entry's signature does not verify */
    PROTO_PROOF_INCLUSION,      /* the entry's path in its feed does not lead to the feed root */
    PROTO_PROOF_HEAD_PATH,      /* the feed's path does not lead to the checkpoint's head */
    PROTO_PROOF_GRANT,          /* a role grant is malformed, unsigned, unproven or unauthorised */
    PROTO_PROOF_CHECKPOINT_SIG, /* a signature line by a roster key does not verify */
    PROTO_PROOF_NOT_ON_ROSTER,  /* quorum not met, and some signers' keys are not on the roster */
    PROTO_PROOF_QUORUM,         /* quorum not met */
};

/* A signature line the verifier counted: the device and what the roster says of it. */
struct proto_proof_signer {
    uint8_t pk[32];
    uint32_t member;
    uint8_t role; /* enum proto_role */
    uint8_t type; /* PROTO_NOTE_ED25519 or PROTO_NOTE_COSIG */
    uint64_t time; /* cosignature time, 0 for type 0x01 */
};

struct proto_proof_result {
    enum proto_proof_status status;
    char msg[256]; /* one line, what failed and where (or a summary when OK) */
    /* Filled as far as verification got: */
    struct proto_checkpoint checkpoint;
    uint8_t entry_id[32];
    uint8_t author[32];
    uint64_t seq, kind;
    struct proto_quorum need, have;
    size_t signers; /* verified signature lines by roster devices */
    size_t unknown; /* lines named like saksi devices that the bundle's roster lacks */
    /* With status OK: the entry's author as the bundle's roster shows it (author_known false
     * when the author is not on it: a device admitted by an admission the bundle lacks), and the
     * signers[0..signers) counted for the quorum, in line order. */
    bool author_known;
    uint32_t author_member;
    uint8_t author_role;
    struct proto_proof_signer signed_by[PROTO_NOTE_SIGS_MAX];
};

/* A short name for a status ("ok", "wrong-ledger", "inclusion", ...). */
const char *proto_proof_status_name(enum proto_proof_status s);

/*
 * Verifies bundle[0..len) against the ledger id alone. Returns 0 (status OK: the entry is in the
 * ledger as of a checkpoint the quorum has signed), or a negative code with *res saying what
 * failed: ERR_BADFRAME (malformed), ERR_LEDGER, ERR_GENESIS, ERR_CHECKPOINT, ERR_NOTE, the
 * entry's parse codes, ERR_BADSIG, ERR_PROOF, ERR_AUTHORITY (a grant), ERR_QUORUM, -ENOMEM.
 */
int proto_proof_verify(const uint8_t ledger[32], const uint8_t *bundle, size_t len,
                       struct proto_proof_result *res);

#endif
