/*
 * RFC 6962 Merkle trees for feeds and the ledger head. Roots are computed by streaming leaves
 * through a compact range, so a tree of any size needs O(log n) memory; the proof generators walk
 * the RFC's recursion top-down as a loop and compute each sibling subtree's root the same way,
 * reading every leaf but the proven one exactly once. The verifiers are the step-by-step
 * algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, which use the same hashes as RFC 6962.
 */
#include "proto/merkle.h"

#include <errno.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/err.h"

#define HEAD_LEAF_TAG "saksi-head" /* hashed with its NUL: 11 bytes */

void proto_merkle_leaf(const void *data, size_t n, uint8_t out[32])
{
    static const uint8_t prefix = 0x00;
    struct proto_sha256 h;

    proto_sha256_init(&h);
    proto_sha256_update(&h, &prefix, 1);
    proto_sha256_update(&h, data, n);
    proto_sha256_final(&h, out);
}

void proto_merkle_node(const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
    static const uint8_t prefix = 0x01;
    struct proto_sha256 h;

    /* out may alias l or r: both are read before final writes it. */
    proto_sha256_init(&h);
    proto_sha256_update(&h, &prefix, 1);
    proto_sha256_update(&h, l, 32);
    proto_sha256_update(&h, r, 32);
    proto_sha256_final(&h, out);
}

int proto_merkle_array_leaf(void *arg, uint64_t index, uint8_t out[32])
{
    const uint8_t(*leaves)[32] = arg;

    memcpy(out, leaves[index], 32);
    return 0;
}

/* The largest power of two strictly smaller than n (n >= 2); written so it cannot overflow. */
static uint64_t split_point(uint64_t n)
{
    uint64_t k = 1;

    while (k <= (n - 1) / 2)
        k <<= 1;
    return k;
}

static unsigned popcount64(uint64_t v)
{
    unsigned c = 0;

    for (; v; v &= v - 1)
        c++;
    return c;
}

static void reverse_path(uint8_t (*path)[32], size_t len)
{
    uint8_t tmp[32];
    size_t i;

    for (i = 0; i < len / 2; i++) {
        memcpy(tmp, path[i], 32);
        memcpy(path[i], path[len - 1 - i], 32);
        memcpy(path[len - 1 - i], tmp, 32);
    }
}

void proto_merkle_range_init(struct proto_merkle_range *r)
{
    memset(r, 0, sizeof *r);
}

void proto_merkle_range_push(struct proto_merkle_range *r, const uint8_t leaf[32])
{
    uint8_t acc[32];
    uint64_t n = r->n;

    /*
     * A full range (2^64 - 1 leaves) cannot count another leaf; no real feed gets there, and
     * refusing keeps nodes[] in bounds.
     */
    if (n == UINT64_MAX)
        return;
    /*
     * Each trailing one bit of n is a perfect subtree of the same size as the one being built:
     * merge them, smallest first, before storing the result. Merging before storing keeps count
     * at popcount(n + 1) <= 64 throughout.
     */
    memcpy(acc, leaf, 32);
    for (; n & 1; n >>= 1)
        proto_merkle_node(r->nodes[--r->count], acc, acc);
    memcpy(r->nodes[r->count++], acc, 32);
    r->n++;
}

void proto_merkle_range_root(const struct proto_merkle_range *r, uint8_t out[32])
{
    uint8_t acc[32];
    unsigned i;

    if (r->count == 0) {
        proto_sha256("", 0, out);
        return;
    }
    /*
     * With RFC 6962's split the left child is always the largest perfect subtree, so the root
     * folds the subtrees right to left: node(nodes[0], node(nodes[1], ... nodes[count-1])).
     */
    memcpy(acc, r->nodes[r->count - 1], 32);
    for (i = r->count - 1; i > 0; i--)
        proto_merkle_node(r->nodes[i - 1], acc, acc);
    memcpy(out, acc, 32);
}

size_t proto_merkle_range_size(const struct proto_merkle_range *r)
{
    return 8 + (size_t)r->count * 32;
}

void proto_merkle_range_encode(const struct proto_merkle_range *r, uint8_t *out)
{
    unsigned i;

    for (i = 0; i < 8; i++)
        out[i] = (uint8_t)(r->n >> (56 - 8 * i));
    for (i = 0; i < r->count; i++)
        memcpy(out + 8 + (size_t)i * 32, r->nodes[i], 32);
}

int proto_merkle_range_decode(struct proto_merkle_range *r, const uint8_t *p, size_t len)
{
    uint64_t n = 0;
    unsigned i, count;

    proto_merkle_range_init(r);
    if (len < 8)
        return ERR_BADFRAME;
    for (i = 0; i < 8; i++)
        n = n << 8 | p[i];
    count = popcount64(n);
    if (len != 8 + (size_t)count * 32)
        return ERR_BADFRAME;
    r->n = n;
    r->count = count;
    memcpy(r->nodes, p + 8, (size_t)count * 32);
    return 0;
}

/* MTH(D[lo:hi]) by streaming the leaves through a compact range: O(log n) memory. */
static int subtree_root(proto_merkle_leaf_fn *get, void *arg, uint64_t lo, uint64_t hi,
                        uint8_t out[32])
{
    struct proto_merkle_range r;
    uint8_t leaf[32];
    uint64_t i;
    int rc;

    proto_merkle_range_init(&r);
    for (i = lo; i < hi; i++) {
        rc = get(arg, i, leaf);
        if (rc < 0)
            return rc;
        proto_merkle_range_push(&r, leaf);
    }
    proto_merkle_range_root(&r, out);
    return 0;
}

int proto_merkle_root(proto_merkle_leaf_fn *get, void *arg, uint64_t n, uint8_t out[32])
{
    int rc = subtree_root(get, arg, 0, n, out);

    if (rc < 0)
        memset(out, 0, 32);
    return rc;
}

int proto_merkle_inclusion(proto_merkle_leaf_fn *get, void *arg, uint64_t n, uint64_t m,
                           uint8_t (*path)[32], size_t *plen)
{
    uint64_t lo = 0, hi = n, k;
    size_t len = 0;
    int rc;

    *plen = 0;
    if (m >= n)
        return -EINVAL;
    /*
     * PATH(m, D[lo:hi]) descends into the half holding m and appends the other half's root
     * after the deeper part of the path, so walking down collects the path top first; it is
     * reversed at the end. The depth is at most 64, well inside PROTO_MERKLE_PATH_MAX.
     */
    while (hi - lo > 1) {
        k = split_point(hi - lo);
        if (m - lo < k) {
            rc = subtree_root(get, arg, lo + k, hi, path[len]);
            hi = lo + k;
        } else {
            rc = subtree_root(get, arg, lo, lo + k, path[len]);
            lo += k;
        }
        if (rc < 0)
            return rc;
        len++;
    }
    reverse_path(path, len);
    *plen = len;
    return 0;
}

int proto_merkle_consistency(proto_merkle_leaf_fn *get, void *arg, uint64_t n, uint64_t m,
                             uint8_t (*path)[32], size_t *plen)
{
    uint64_t lo = 0, hi = n, k;
    size_t len = 0;
    int whole = 1; /* SUBPROOF's b: D[lo:lo+m] is still the whole old tree */
    int rc;

    *plen = 0;
    if (m == 0 || m > n)
        return -EINVAL;
    /*
     * SUBPROOF(m, D[lo:hi], b) as a loop, collecting siblings top first like the inclusion
     * path. When m reaches the subtree size the recursion ends; if the old tree is not this
     * whole subtree (b false) the subtree's own root is the proof's first hash, so it goes last
     * here and comes first after the reversal.
     */
    while (m < hi - lo) {
        k = split_point(hi - lo);
        if (m <= k) {
            rc = subtree_root(get, arg, lo + k, hi, path[len]);
            hi = lo + k;
        } else {
            rc = subtree_root(get, arg, lo, lo + k, path[len]);
            lo += k;
            m -= k;
            whole = 0;
        }
        if (rc < 0)
            return rc;
        len++;
    }
    if (!whole) {
        rc = subtree_root(get, arg, lo, hi, path[len]);
        if (rc < 0)
            return rc;
        len++;
    }
    reverse_path(path, len);
    *plen = len;
    return 0;
}

int proto_merkle_inclusion_verify(const uint8_t leaf[32], uint64_t m, uint64_t n,
                                  const uint8_t (*path)[32], size_t plen, const uint8_t root[32])
{
    uint64_t fn = m, sn;
    uint8_t r[32];
    size_t i;

    if (m >= n || plen > PROTO_MERKLE_PATH_MAX)
        return ERR_PROOF;
    sn = n - 1;
    memcpy(r, leaf, 32);
    for (i = 0; i < plen; i++) {
        if (sn == 0)
            return ERR_PROOF; /* the path is longer than the leaf is deep */
        if ((fn & 1) || fn == sn) {
            proto_merkle_node(path[i], r, r);
            /* The last node of a level with no right sibling is carried up unchanged. */
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            proto_merkle_node(r, path[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0 || !proto_memeq(r, root, 32))
        return ERR_PROOF;
    return 0;
}

int proto_merkle_consistency_verify(uint64_t m, uint64_t n, const uint8_t root_m[32],
                                    const uint8_t root_n[32], const uint8_t (*path)[32],
                                    size_t plen)
{
    const uint8_t *c;
    uint8_t fr[32], sr[32];
    uint64_t fn, sn;
    size_t i, total, skip;

    if (m == 0 || m > n || plen > PROTO_MERKLE_PATH_MAX)
        return ERR_PROOF;
    if (m == n)
        return plen == 0 && proto_memeq(root_m, root_n, 32) ? 0 : ERR_PROOF;
    if (plen == 0)
        return ERR_PROOF;
    /*
     * When m is a power of two the old root is a node of the new tree and the proof leaves it
     * out; RFC 9162 prepends root_m to the path. Here element i of that conceptual path is
     * root_m for i == 0 and path[i - skip] otherwise.
     */
    skip = (m & (m - 1)) == 0 ? 1 : 0;
    total = plen + skip;
    fn = m - 1;
    sn = n - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    c = skip ? root_m : path[0];
    memcpy(fr, c, 32);
    memcpy(sr, c, 32);
    for (i = 1; i < total; i++) {
        c = path[i - skip];
        if (sn == 0)
            return ERR_PROOF;
        if ((fn & 1) || fn == sn) {
            proto_merkle_node(c, fr, fr);
            proto_merkle_node(c, sr, sr);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            proto_merkle_node(sr, c, sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0 || !proto_memeq(fr, root_m, 32) || !proto_memeq(sr, root_n, 32))
        return ERR_PROOF;
    return 0;
}

void proto_head_leaf(const struct proto_head_feed *f, uint8_t out[32])
{
    static const uint8_t prefix = 0x00;
    struct proto_sha256 h;
    uint8_t len[8];
    unsigned i;

    for (i = 0; i < 8; i++)
        len[i] = (uint8_t)(f->length >> (56 - 8 * i));
    proto_sha256_init(&h);
    proto_sha256_update(&h, &prefix, 1);
    proto_sha256_update(&h, HEAD_LEAF_TAG, sizeof HEAD_LEAF_TAG);
    proto_sha256_update(&h, f->author, 32);
    proto_sha256_update(&h, len, 8);
    proto_sha256_update(&h, f->root, 32);
    proto_sha256_final(&h, out);
}

int proto_head_compute(const struct proto_head_feed *feeds, size_t n, uint8_t out[32])
{
    struct proto_merkle_range r;
    uint8_t leaf[32];
    size_t i;

    for (i = 1; i < n; i++) {
        if (memcmp(feeds[i - 1].author, feeds[i].author, 32) >= 0) {
            memset(out, 0, 32);
            return -EINVAL;
        }
    }
    proto_merkle_range_init(&r);
    for (i = 0; i < n; i++) {
        proto_head_leaf(&feeds[i], leaf);
        proto_merkle_range_push(&r, leaf);
    }
    proto_merkle_range_root(&r, out);
    return 0;
}
