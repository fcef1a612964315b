/*
 * RFC 6962 Merkle trees: the tree of one feed (leaves are entry ids, used as they are), the
 * ledger head (a tree over the feeds sorted by author) and the proofs over both.
 *
 * Hashing, exactly as RFC 6962 section 2.1: leaf hash = SHA-256(0x00 || data), interior node =
 * SHA-256(0x01 || left || right), the root of an empty tree = SHA-256(""), and a tree of n > 1
 * leaves splits at k, the largest power of two smaller than n. An entry id is already a leaf
 * hash (SHA-256(0x00 || entry bytes)), so a feed tree's leaves are the ids themselves.
 */
#ifndef SAKSI_PROTO_MERKLE_H
#define SAKSI_PROTO_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_HASH_LEN 32
/* A proof over at most 2^64 leaves never holds more than 64 (inclusion) or 128 hashes. */
#define PROTO_MERKLE_PATH_MAX 128

/* SHA-256(0x00 || data) and SHA-256(0x01 || l || r). */
void proto_merkle_leaf(const void *data, size_t n, uint8_t out[32]);
void proto_merkle_node(const uint8_t l[32], const uint8_t r[32], uint8_t out[32]);

/*
 * Leaves are read through a callback so that the caller may keep them anywhere (an array, the
 * store). It returns 0 or a negative code, which aborts the computation and is returned.
 */
typedef int proto_merkle_leaf_fn(void *arg, uint64_t index, uint8_t out[32]);

/* Reads leaves from an array of n hashes (arg = const uint8_t (*)[32]). */
int proto_merkle_array_leaf(void *arg, uint64_t index, uint8_t out[32]);

/* MTH(D[0:n]) over leaves 0..n-1. */
int proto_merkle_root(proto_merkle_leaf_fn *get, void *arg, uint64_t n, uint8_t out[32]);

/*
 * Inclusion proof PATH(m, D[0:n]) (RFC 6962 2.1.1) for leaf m < n: writes *plen hashes into
 * path (room for PROTO_MERKLE_PATH_MAX). -EINVAL if m >= n.
 */
int proto_merkle_inclusion(proto_merkle_leaf_fn *get, void *arg, uint64_t n, uint64_t m,
                           uint8_t (*path)[32], size_t *plen);

/* Checks that leaf is leaf m of the tree of size n with the given root. 0 or ERR_PROOF. */
int proto_merkle_inclusion_verify(const uint8_t leaf[32], uint64_t m, uint64_t n,
                                  const uint8_t (*path)[32], size_t plen, const uint8_t root[32]);

/*
 * Consistency proof PROOF(m, D[0:n]) (RFC 6962 2.1.2) that the tree of size m is a prefix of
 * the tree of size n, 0 < m <= n (for m == n the proof is empty). -EINVAL otherwise.
 */
int proto_merkle_consistency(proto_merkle_leaf_fn *get, void *arg, uint64_t n, uint64_t m,
                             uint8_t (*path)[32], size_t *plen);

/* Checks a consistency proof between (m, root_m) and (n, root_n). 0 or ERR_PROOF. */
int proto_merkle_consistency_verify(uint64_t m, uint64_t n, const uint8_t root_m[32],
                                    const uint8_t root_n[32], const uint8_t (*path)[32],
                                    size_t plen);

/*
 * A compact range: the roots of the perfect subtrees that make up a tree of n leaves, largest
 * first (one per set bit of n). Appending a leaf is amortised O(1), the root is O(log n), and the
 * whole thing is at most 64 hashes, so a feed's tree grows without rehashing its history.
 */
struct proto_merkle_range {
    uint64_t n;
    unsigned count;
    uint8_t nodes[64][32];
};

void proto_merkle_range_init(struct proto_merkle_range *r);
void proto_merkle_range_push(struct proto_merkle_range *r, const uint8_t leaf[32]);
/* MTH of the n leaves pushed so far (SHA-256("") for none). */
void proto_merkle_range_root(const struct proto_merkle_range *r, uint8_t out[32]);

/* Serialised form: u64be n followed by popcount(n) hashes, largest subtree first. */
size_t proto_merkle_range_size(const struct proto_merkle_range *r);
void proto_merkle_range_encode(const struct proto_merkle_range *r, uint8_t *out);
/* ERR_BADFRAME if len does not match n. */
int proto_merkle_range_decode(struct proto_merkle_range *r, const uint8_t *p, size_t len);

/*
 * The ledger head: an RFC 6962 tree (node hashing as above) over the non-empty feeds sorted by
 * author key, with leaf = SHA-256(0x00 || "saksi-head\0" || author || u64be length || root).
 */
struct proto_head_feed {
    uint8_t author[32];
    uint64_t length;
    uint8_t root[32];
};

void proto_head_leaf(const struct proto_head_feed *f, uint8_t out[32]);

/* feeds[0..n) must be sorted by author, strictly ascending (-EINVAL otherwise). */
int proto_head_compute(const struct proto_head_feed *feeds, size_t n, uint8_t out[32]);

#endif
