/*
 * Unit tests for proto/merkle: the Certificate Transparency known-answer vectors for RFC 6962
 * (roots, inclusion and consistency proofs), property tests against a literal recursive
 * transcription of RFC 6962 section 2.1 for every tree and index up to a few hundred leaves,
 * tampered proofs, the compact range and its encoding, callback error propagation, proofs over
 * trees near 2^64 leaves, and the ledger head.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/merkle.h"
#include "tests/unit/helpers.h"

#define MAX_LEAVES 300
#define INCL_MAX_N 130
#define CONS_MAX_N 70

/* Synthetic leaves for the property tests: leaf i = SHA-256(0x00 || u32be i). */
static uint8_t g_leaves[MAX_LEAVES][32];

/* The eight leaf inputs of the CT reference tests and the published roots of sizes 0..8. */
static const char *const ct_inputs[8] = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};
static const char *const ct_roots[9] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct ct_proof {
    uint64_t a; /* leaf index (inclusion) or old size (consistency) */
    uint64_t n;
    size_t len;
    const char *hashes[3];
};

/* Published inclusion proofs (leaf indices here are 0-based). */
static const struct ct_proof ct_inclusion[] = {
    {0,
     8,
     3,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     3,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, 1, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     3,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {0, 1, 0, {NULL}},
};

/* Published consistency proofs. */
static const struct ct_proof ct_consistency[] = {
    {1,
     8,
     3,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     3,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     2,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     3,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {1, 1, 0, {NULL}},
    {8, 8, 0, {NULL}},
};

/*
 * Reference: RFC 6962 section 2.1 transcribed literally, recursion and all, over an array of
 * leaf-level hashes. Deliberately independent of the code under test (its own split, no range).
 */
static uint64_t ref_split(uint64_t n)
{
    uint64_t k = 1;

    while (k * 2 < n)
        k *= 2;
    return k;
}

static void ref_mth(const uint8_t (*d)[32], uint64_t n, uint8_t out[32])
{
    uint8_t buf[65], l[32], r[32];
    uint64_t k;

    if (n == 0) {
        proto_sha256("", 0, out);
        return;
    }
    if (n == 1) {
        memcpy(out, d[0], 32);
        return;
    }
    k = ref_split(n);
    ref_mth(d, k, l);
    ref_mth(d + k, n - k, r);
    buf[0] = 0x01;
    memcpy(buf + 1, l, 32);
    memcpy(buf + 33, r, 32);
    proto_sha256(buf, sizeof buf, out);
}

/* PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) or PATH(m - k, D[k:n]) : MTH(D[0:k]). */
static void ref_path(uint64_t m, const uint8_t (*d)[32], uint64_t n, uint8_t (*out)[32],
                     size_t *len)
{
    uint64_t k;

    if (n <= 1) {
        *len = 0;
        return;
    }
    k = ref_split(n);
    if (m < k) {
        ref_path(m, d, k, out, len);
        ref_mth(d + k, n - k, out[(*len)++]);
    } else {
        ref_path(m - k, d + k, n - k, out, len);
        ref_mth(d, k, out[(*len)++]);
    }
}

/* Which way PATH(m, D[n]) turns at each level, bottom first (0 = m is left, 1 = m is right). */
static void ref_shape(uint64_t m, uint64_t n, int *dirs, size_t *len)
{
    uint64_t k;

    if (n <= 1) {
        *len = 0;
        return;
    }
    k = ref_split(n);
    if (m < k) {
        ref_shape(m, k, dirs, len);
        dirs[(*len)++] = 0;
    } else {
        ref_shape(m - k, n - k, dirs, len);
        dirs[(*len)++] = 1;
    }
}

static void ref_subproof(uint64_t m, const uint8_t (*d)[32], uint64_t n, int b, uint8_t (*out)[32],
                         size_t *len)
{
    uint64_t k;

    if (m == n) {
        *len = 0;
        if (!b)
            ref_mth(d, n, out[(*len)++]);
        return;
    }
    k = ref_split(n);
    if (m <= k) {
        ref_subproof(m, d, k, b, out, len);
        ref_mth(d + k, n - k, out[(*len)++]);
    } else {
        ref_subproof(m - k, d + k, n - k, 0, out, len);
        ref_mth(d, k, out[(*len)++]);
    }
}

/* A leaf source that counts its reads and fails with -EIO at one index. */
struct spy {
    const uint8_t (*leaves)[32];
    uint64_t fail_at; /* UINT64_MAX: never */
    uint64_t reads;
};

static int spy_leaf(void *arg, uint64_t index, uint8_t out[32])
{
    struct spy *s = arg;

    s->reads++;
    if (index == s->fail_at)
        return -EIO;
    memcpy(out, s->leaves[index], 32);
    return 0;
}

static int setup(void **state)
{
    uint8_t be[4];
    uint32_t i;

    (void)state;
    if (proto_crypto_init() < 0)
        return -1;
    for (i = 0; i < MAX_LEAVES; i++) {
        be[0] = (uint8_t)(i >> 24);
        be[1] = (uint8_t)(i >> 16);
        be[2] = (uint8_t)(i >> 8);
        be[3] = (uint8_t)i;
        proto_merkle_leaf(be, 4, g_leaves[i]);
    }
    return 0;
}

static void ct_leaves(uint8_t out[8][32])
{
    uint8_t data[16] = {0};
    size_t i, len;

    for (i = 0; i < 8; i++) {
        len = strlen(ct_inputs[i]) / 2;
        if (len > 0)
            test_unhex(ct_inputs[i], data, len);
        proto_merkle_leaf(data, len, out[i]);
    }
}

static void flip(uint8_t h[32], unsigned bit)
{
    h[bit / 8 % 32] ^= (uint8_t)(1u << (bit % 8));
}

/* Invalid arguments first: sizes and indices out of range. */
static void test_invalid_args(void **state)
{
    uint8_t path[PROTO_MERKLE_PATH_MAX][32], root[32], h[32];
    size_t plen = 99;

    (void)state;
    memset(path, 0, sizeof path);
    memcpy(h, g_leaves[0], 32);
    assert_int_equal(proto_merkle_inclusion(proto_merkle_array_leaf, g_leaves, 0, 0, path, &plen),
                     -EINVAL);
    assert_int_equal(plen, 0);
    plen = 99;
    assert_int_equal(proto_merkle_inclusion(proto_merkle_array_leaf, g_leaves, 5, 5, path, &plen),
                     -EINVAL);
    assert_int_equal(plen, 0);
    plen = 99;
    assert_int_equal(proto_merkle_consistency(proto_merkle_array_leaf, g_leaves, 5, 0, path, &plen),
                     -EINVAL);
    assert_int_equal(plen, 0);
    plen = 99;
    assert_int_equal(proto_merkle_consistency(proto_merkle_array_leaf, g_leaves, 5, 6, path, &plen),
                     -EINVAL);
    assert_int_equal(plen, 0);
    plen = 99;
    assert_int_equal(proto_merkle_consistency(proto_merkle_array_leaf, g_leaves, 0, 0, path, &plen),
                     -EINVAL);
    assert_int_equal(plen, 0);

    /* A one-leaf tree: its root is the leaf; index or size out of range fails. */
    assert_int_equal(proto_merkle_inclusion_verify(h, 0, 1, NULL, 0, h), 0);
    assert_int_equal(proto_merkle_inclusion_verify(h, 1, 1, NULL, 0, h), ERR_PROOF);
    assert_int_equal(proto_merkle_inclusion_verify(h, 0, 0, NULL, 0, h), ERR_PROOF);
    assert_int_equal(proto_merkle_inclusion_verify(h, 2, 1, NULL, 0, h), ERR_PROOF);
    proto_sha256("", 0, root);
    assert_int_equal(proto_merkle_inclusion_verify(h, 0, 1, NULL, 0, root), ERR_PROOF);
    /* An over-long path is refused before it is read. */
    assert_int_equal(proto_merkle_inclusion_verify(h, 0, 1, (const uint8_t(*)[32])path,
                                                   PROTO_MERKLE_PATH_MAX + 1, h),
                     ERR_PROOF);

    /* Consistency: m == 0, m > n, and m == n with unequal roots or a non-empty proof. */
    assert_int_equal(proto_merkle_consistency_verify(0, 0, root, root, NULL, 0), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(0, 1, root, h, NULL, 0), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(2, 1, h, h, NULL, 0), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(1, 1, h, h, NULL, 0), 0);
    assert_int_equal(proto_merkle_consistency_verify(1, 1, h, root, NULL, 0), ERR_PROOF);
    memcpy(path[0], root, 32);
    assert_int_equal(proto_merkle_consistency_verify(1, 1, h, h, (const uint8_t(*)[32])path, 1),
                     ERR_PROOF);
    /* m < n needs a proof. */
    assert_int_equal(proto_merkle_consistency_verify(1, 2, h, root, NULL, 0), ERR_PROOF);
}

static void test_hash_primitives(void **state)
{
    uint8_t h[32], l0[32], l1[32], want[32], buf[65];

    (void)state;
    /* MTH({}) = SHA-256("") and the leaf hash of the empty input. */
    assert_int_equal(proto_merkle_root(proto_merkle_array_leaf, g_leaves, 0, h), 0);
    test_unhex(ct_roots[0], want, 32);
    assert_memory_equal(h, want, 32);
    proto_merkle_leaf("", 0, l0);
    test_unhex(ct_roots[1], want, 32);
    assert_memory_equal(l0, want, 32);

    /* node(l0, l1) = SHA-256(0x01 || l0 || l1), the size-2 reference root. */
    proto_merkle_leaf("\x00", 1, l1);
    proto_merkle_node(l0, l1, h);
    test_unhex(ct_roots[2], want, 32);
    assert_memory_equal(h, want, 32);
    buf[0] = 0x01;
    memcpy(buf + 1, l0, 32);
    memcpy(buf + 33, l1, 32);
    proto_sha256(buf, 65, want);
    assert_memory_equal(h, want, 32);
    /* Output aliasing an input is allowed (the range relies on it). */
    memcpy(h, l0, 32);
    proto_merkle_node(h, l1, h);
    assert_memory_equal(h, want, 32);
}

static void test_ct_roots(void **state)
{
    uint8_t leaves[8][32], h[32], want[32];
    struct proto_merkle_range r;
    uint64_t n;

    (void)state;
    ct_leaves(leaves);
    proto_merkle_range_init(&r);
    for (n = 0; n <= 8; n++) {
        test_unhex(ct_roots[n], want, 32);
        assert_int_equal(proto_merkle_root(proto_merkle_array_leaf, leaves, n, h), 0);
        assert_memory_equal(h, want, 32);
        proto_merkle_range_root(&r, h);
        assert_memory_equal(h, want, 32);
        if (n < 8)
            proto_merkle_range_push(&r, leaves[n]);
    }
}

static void test_ct_inclusion(void **state)
{
    uint8_t leaves[8][32], path[PROTO_MERKLE_PATH_MAX][32], want[3][32], root[32];
    size_t i, j, plen;

    (void)state;
    memset(want, 0, sizeof want);
    ct_leaves(leaves);
    for (i = 0; i < sizeof ct_inclusion / sizeof ct_inclusion[0]; i++) {
        const struct ct_proof *v = &ct_inclusion[i];

        for (j = 0; j < v->len; j++)
            test_unhex(v->hashes[j], want[j], 32);
        test_unhex(ct_roots[v->n], root, 32);
        assert_int_equal(
            proto_merkle_inclusion(proto_merkle_array_leaf, leaves, v->n, v->a, path, &plen), 0);
        assert_int_equal(plen, v->len);
        if (plen > 0)
            assert_memory_equal(path, want, plen * 32);
        assert_int_equal(proto_merkle_inclusion_verify(leaves[v->a], v->a, v->n,
                                                       (const uint8_t(*)[32])want, v->len, root),
                         0);
        /* Same proof, the neighbouring leaf: refused. */
        assert_int_equal(proto_merkle_inclusion_verify(leaves[(v->a + 1) % 8], v->a, v->n,
                                                       (const uint8_t(*)[32])want, v->len, root),
                         ERR_PROOF);
    }
}

static void test_ct_consistency(void **state)
{
    uint8_t leaves[8][32], path[PROTO_MERKLE_PATH_MAX][32], want[3][32], r1[32], r2[32];
    size_t i, j, plen;

    (void)state;
    memset(want, 0, sizeof want);
    ct_leaves(leaves);
    for (i = 0; i < sizeof ct_consistency / sizeof ct_consistency[0]; i++) {
        const struct ct_proof *v = &ct_consistency[i];

        for (j = 0; j < v->len; j++)
            test_unhex(v->hashes[j], want[j], 32);
        test_unhex(ct_roots[v->a], r1, 32);
        test_unhex(ct_roots[v->n], r2, 32);
        assert_int_equal(
            proto_merkle_consistency(proto_merkle_array_leaf, leaves, v->n, v->a, path, &plen), 0);
        assert_int_equal(plen, v->len);
        if (plen > 0)
            assert_memory_equal(path, want, plen * 32);
        assert_int_equal(
            proto_merkle_consistency_verify(v->a, v->n, r1, r2, (const uint8_t(*)[32])want, v->len),
            0);
        if (v->a < v->n) {
            /* Swapped roots never verify. */
            assert_int_equal(proto_merkle_consistency_verify(v->a, v->n, r2, r1,
                                                             (const uint8_t(*)[32])want, v->len),
                             ERR_PROOF);
        }
    }
}

/* The compact range agrees with the recursive MTH for every size 0..300, node by node. */
static void test_range_matches_recursive(void **state)
{
    struct proto_merkle_range r;
    uint8_t h[32], want[32];
    uint64_t n, start, size;
    unsigned i, bits;

    (void)state;
    proto_merkle_range_init(&r);
    for (n = 0; n <= MAX_LEAVES; n++) {
        assert_int_equal(r.n, n);
        for (bits = 0, size = n; size; size &= size - 1)
            bits++;
        assert_int_equal(r.count, bits);
        /* nodes[i] is MTH of the i-th perfect subtree, largest first. */
        start = 0;
        for (i = 0; i < r.count; i++) {
            size = (uint64_t)1 << 63;
            while (!(n & size) || (start & size))
                size >>= 1;
            ref_mth((const uint8_t(*)[32])g_leaves + start, size, want);
            assert_memory_equal(r.nodes[i], want, 32);
            start += size;
        }
        assert_int_equal(start, n);

        ref_mth((const uint8_t(*)[32])g_leaves, n, want);
        proto_merkle_range_root(&r, h);
        assert_memory_equal(h, want, 32);
        assert_int_equal(proto_merkle_root(proto_merkle_array_leaf, g_leaves, n, h), 0);
        assert_memory_equal(h, want, 32);
        if (n < MAX_LEAVES)
            proto_merkle_range_push(&r, g_leaves[n]);
    }
}

/* Verification with (m, n) succeeds iff the shape of (m, n) is the shape the path was built for. */
static int same_shape(uint64_t m1, uint64_t n1, uint64_t m2, uint64_t n2)
{
    int d1[64], d2[64];
    size_t l1, l2;

    ref_shape(m1, n1, d1, &l1);
    ref_shape(m2, n2, d2, &l2);
    return l1 == l2 && memcmp(d1, d2, l1 * sizeof d1[0]) == 0;
}

static void check_inclusion_tampering(uint64_t n, uint64_t m, uint8_t (*path)[32], size_t plen,
                                      const uint8_t root[32])
{
    const uint8_t(*cpath)[32] = (const uint8_t(*)[32])path;
    const uint8_t *leaf = g_leaves[m];
    uint8_t bad[32];
    uint64_t alt[6];
    unsigned bit;
    size_t i;
    int rc;

    /* A flipped bit anywhere in any path hash (three spots per hash) is caught. */
    for (i = 0; i < plen; i++) {
        for (bit = 0; bit < 256; bit += 127) {
            flip(path[i], bit);
            assert_int_equal(proto_merkle_inclusion_verify(leaf, m, n, cpath, plen, root),
                             ERR_PROOF);
            flip(path[i], bit);
        }
    }
    /* The leaf and the root. */
    memcpy(bad, leaf, 32);
    flip(bad, (unsigned)(m * 7 % 256));
    assert_int_equal(proto_merkle_inclusion_verify(bad, m, n, cpath, plen, root), ERR_PROOF);
    memcpy(bad, root, 32);
    flip(bad, 255);
    assert_int_equal(proto_merkle_inclusion_verify(leaf, m, n, cpath, plen, bad), ERR_PROOF);
    /* Truncated, extended (by the root or a copy of the last hash), emptied. */
    if (plen > 0) {
        assert_int_equal(proto_merkle_inclusion_verify(leaf, m, n, cpath, plen - 1, root),
                         ERR_PROOF);
        assert_int_equal(proto_merkle_inclusion_verify(leaf, m, n, cpath, 0, root), ERR_PROOF);
    }
    memcpy(path[plen], root, 32);
    assert_int_equal(proto_merkle_inclusion_verify(leaf, m, n, cpath, plen + 1, root), ERR_PROOF);
    if (plen > 0) {
        memcpy(path[plen], path[plen - 1], 32);
        assert_int_equal(proto_merkle_inclusion_verify(leaf, m, n, cpath, plen + 1, root),
                         ERR_PROOF);
    }
    /*
     * One hash too many, with a root that really is node(extra, root): the hashes check out, but
     * the path is longer than leaf m is deep in a tree of n, so it must still be refused.
     */
    memcpy(path[plen], g_leaves[n % MAX_LEAVES], 32);
    proto_merkle_node(path[plen], root, bad);
    assert_int_equal(proto_merkle_inclusion_verify(leaf, m, n, cpath, plen + 1, bad), ERR_PROOF);
    /* Wrong index (the first 16, the neighbours, the last): never the same shape. */
    for (i = 0; i < n; i++) {
        if (i == m || (i >= 16 && i + 1 != m && i != m + 1 && i != n - 1))
            continue;
        assert_false(same_shape(m, n, i, n));
        assert_int_equal(proto_merkle_inclusion_verify(leaf, i, n, cpath, plen, root), ERR_PROOF);
    }
    assert_int_equal(proto_merkle_inclusion_verify(leaf, n, n, cpath, plen, root), ERR_PROOF);
    /*
     * Wrong size: a path proves (leaf, index, size, root) only up to the shape of the tree along
     * the path, so a size with the same shape (e.g. leaf 0 of 3 and of 4 both turn left twice)
     * legitimately verifies against the same root. Accept exactly when the shapes agree; doubling
     * or halving the size always changes the depth.
     */
    alt[0] = n + 1;
    alt[1] = n - 1;
    alt[2] = n * 2;
    alt[3] = n / 2;
    alt[4] = n + 2;
    alt[5] = UINT64_MAX;
    for (i = 0; i < 6; i++) {
        if (alt[i] == n)
            continue;
        rc = proto_merkle_inclusion_verify(leaf, m, alt[i], cpath, plen, root);
        if (m >= alt[i])
            assert_int_equal(rc, ERR_PROOF);
        else if (i == 2 || i == 3 || i == 5)
            assert_int_equal(rc, ERR_PROOF);
        else
            assert_int_equal(rc, same_shape(m, n, m, alt[i]) ? 0 : ERR_PROOF);
    }
}

static void test_inclusion_all(void **state)
{
    uint8_t path[PROTO_MERKLE_PATH_MAX + 1][32], want[PROTO_MERKLE_PATH_MAX][32], root[32];
    struct spy spy = {(const uint8_t(*)[32])g_leaves, UINT64_MAX, 0};
    size_t plen, wlen;
    uint64_t n, m;

    (void)state;
    for (n = 1; n <= INCL_MAX_N; n++) {
        ref_mth((const uint8_t(*)[32])g_leaves, n, root);
        for (m = 0; m < n; m++) {
            spy.reads = 0;
            assert_int_equal(proto_merkle_inclusion(spy_leaf, &spy, n, m, path, &plen), 0);
            /* Every leaf but m is read exactly once. */
            assert_int_equal(spy.reads, n - 1);
            ref_path(m, (const uint8_t(*)[32])g_leaves, n, want, &wlen);
            assert_int_equal(plen, wlen);
            if (plen > 0)
                assert_memory_equal(path, want, plen * 32);
            assert_int_equal(proto_merkle_inclusion_verify(g_leaves[m], m, n,
                                                           (const uint8_t(*)[32])path, plen, root),
                             0);
            check_inclusion_tampering(n, m, path, plen, root);
        }
    }
}

static void check_consistency_tampering(uint64_t m, uint64_t n, uint8_t (*path)[32], size_t plen,
                                        const uint8_t r1[32], const uint8_t r2[32])
{
    const uint8_t(*cpath)[32] = (const uint8_t(*)[32])path;
    uint8_t bad[32], bad2[32];
    unsigned bit;
    size_t i;

    for (i = 0; i < plen; i++) {
        for (bit = 3; bit < 256; bit += 126) {
            flip(path[i], bit);
            assert_int_equal(proto_merkle_consistency_verify(m, n, r1, r2, cpath, plen), ERR_PROOF);
            flip(path[i], bit);
        }
    }
    memcpy(bad, r1, 32);
    flip(bad, 0);
    assert_int_equal(proto_merkle_consistency_verify(m, n, bad, r2, cpath, plen), ERR_PROOF);
    memcpy(bad, r2, 32);
    flip(bad, 0);
    assert_int_equal(proto_merkle_consistency_verify(m, n, r1, bad, cpath, plen), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(m, n, r2, r1, cpath, plen), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(0, n, r1, r2, cpath, plen), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(n + 1, n, r1, r2, cpath, plen), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(m, n, r1, r2, cpath, plen - 1), ERR_PROOF);
    assert_int_equal(proto_merkle_consistency_verify(m, n, r1, r2, cpath, 0), ERR_PROOF);
    memcpy(path[plen], r1, 32);
    assert_int_equal(proto_merkle_consistency_verify(m, n, r1, r2, cpath, plen + 1), ERR_PROOF);
    memcpy(path[plen], r2, 32);
    assert_int_equal(proto_merkle_consistency_verify(m, n, r1, r2, cpath, plen + 1), ERR_PROOF);
    memcpy(path[plen], path[plen - 1], 32);
    assert_int_equal(proto_merkle_consistency_verify(m, n, r1, r2, cpath, plen + 1), ERR_PROOF);
    /*
     * One hash too many, with both roots wrapped as node(extra, root): the hashes fold to those
     * roots, but the proof is longer than (m, n) allows.
     */
    memcpy(path[plen], g_leaves[(m + n) % MAX_LEAVES], 32);
    proto_merkle_node(path[plen], r1, bad);
    proto_merkle_node(path[plen], r2, bad2);
    assert_int_equal(proto_merkle_consistency_verify(m, n, bad, bad2, cpath, plen + 1), ERR_PROOF);
    /*
     * Claimed against a tree twice as large, the hashes may still fold to r2 when the old proof
     * is a prefix of the new one (always so when n is a power of two), but the proof is then
     * too short for that size and must be refused.
     */
    assert_int_equal(proto_merkle_consistency_verify(m, 2 * n, r1, r2, cpath, plen), ERR_PROOF);
    /* The proof of (m, n) does not show that m is a prefix of n (roots differ when m < n). */
    assert_int_equal(proto_merkle_consistency_verify(n, n, r1, r2, NULL, 0), ERR_PROOF);
}

static void test_consistency_all(void **state)
{
    uint8_t path[PROTO_MERKLE_PATH_MAX + 1][32], want[PROTO_MERKLE_PATH_MAX][32];
    uint8_t roots[CONS_MAX_N + 1][32];
    size_t plen, wlen;
    uint64_t n, m;

    (void)state;
    for (n = 0; n <= CONS_MAX_N; n++)
        ref_mth((const uint8_t(*)[32])g_leaves, n, roots[n]);
    for (n = 1; n <= CONS_MAX_N; n++) {
        for (m = 1; m <= n; m++) {
            assert_int_equal(
                proto_merkle_consistency(proto_merkle_array_leaf, g_leaves, n, m, path, &plen), 0);
            ref_subproof(m, (const uint8_t(*)[32])g_leaves, n, 1, want, &wlen);
            assert_int_equal(plen, wlen);
            if (plen > 0)
                assert_memory_equal(path, want, plen * 32);
            assert_int_equal(proto_merkle_consistency_verify(m, n, roots[m], roots[n],
                                                             (const uint8_t(*)[32])path, plen),
                             0);
            if (m == n) {
                assert_int_equal(plen, 0);
                continue;
            }
            assert_true(plen > 0);
            check_consistency_tampering(m, n, path, plen, roots[m], roots[n]);
        }
    }
}

static void test_range_codec(void **state)
{
    uint8_t buf[8 + 64 * 32 + 1], h1[32], h2[32], want[8 + 2 * 32];
    struct proto_merkle_range r, d;
    size_t len;
    uint64_t n;

    (void)state;
    proto_merkle_range_init(&r);
    for (n = 0; n <= MAX_LEAVES; n++) {
        len = proto_merkle_range_size(&r);
        assert_int_equal(len, 8 + 32 * r.count);
        proto_merkle_range_encode(&r, buf);
        memset(&d, 0xa5, sizeof d);
        assert_int_equal(proto_merkle_range_decode(&d, buf, len), 0);
        assert_int_equal(d.n, n);
        assert_int_equal(d.count, r.count);
        if (r.count > 0)
            assert_memory_equal(d.nodes, r.nodes, r.count * 32);
        proto_merkle_range_root(&r, h1);
        proto_merkle_range_root(&d, h2);
        assert_memory_equal(h1, h2, 32);
        /* A decoded range keeps growing like the original. */
        if (n < MAX_LEAVES) {
            proto_merkle_range_push(&r, g_leaves[n]);
            proto_merkle_range_push(&d, g_leaves[n]);
            proto_merkle_range_root(&r, h1);
            proto_merkle_range_root(&d, h2);
            assert_memory_equal(h1, h2, 32);
        }
        /* Wrong lengths: one byte or one hash short or long. */
        assert_int_equal(proto_merkle_range_decode(&d, buf, len + 1), ERR_BADFRAME);
        assert_int_equal(proto_merkle_range_decode(&d, buf, len + 32), ERR_BADFRAME);
        assert_int_equal(d.n, 0);
        assert_int_equal(d.count, 0);
        if (len > 8) {
            assert_int_equal(proto_merkle_range_decode(&d, buf, len - 1), ERR_BADFRAME);
            assert_int_equal(proto_merkle_range_decode(&d, buf, len - 32), ERR_BADFRAME);
        }
    }

    /* Exact bytes for n = 3: u64be 3, node(l0, l1), l2. */
    proto_merkle_range_init(&r);
    proto_merkle_range_push(&r, g_leaves[0]);
    proto_merkle_range_push(&r, g_leaves[1]);
    proto_merkle_range_push(&r, g_leaves[2]);
    memset(want, 0, 8);
    want[7] = 3;
    proto_merkle_node(g_leaves[0], g_leaves[1], want + 8);
    memcpy(want + 40, g_leaves[2], 32);
    assert_int_equal(proto_merkle_range_size(&r), sizeof want);
    proto_merkle_range_encode(&r, buf);
    assert_memory_equal(buf, want, sizeof want);

    /* Short headers, and a count that does not match popcount(n). */
    assert_int_equal(proto_merkle_range_decode(&d, NULL, 0), ERR_BADFRAME);
    assert_int_equal(proto_merkle_range_decode(&d, buf, 7), ERR_BADFRAME);
    want[7] = 4; /* popcount 1, two hashes follow */
    assert_int_equal(proto_merkle_range_decode(&d, want, sizeof want), ERR_BADFRAME);
    assert_int_equal(proto_merkle_range_decode(&d, want, 8 + 32), 0);
    assert_int_equal(d.n, 4);
    assert_int_equal(d.count, 1);
    want[7] = 0; /* the empty range is 8 zero bytes */
    assert_int_equal(proto_merkle_range_decode(&d, want, 8), 0);
    assert_int_equal(d.count, 0);
    assert_int_equal(proto_merkle_range_decode(&d, want, 40), ERR_BADFRAME);

    /* The full range: n = 2^64 - 1 carries 64 hashes, and a further push is refused. */
    memset(buf, 0xff, 8);
    memset(buf + 8, 0x11, 64 * 32);
    assert_int_equal(proto_merkle_range_decode(&d, buf, 8 + 64 * 32 + 1), ERR_BADFRAME);
    assert_int_equal(proto_merkle_range_decode(&d, buf, 8 + 64 * 32), 0);
    assert_int_equal(d.n, UINT64_MAX);
    assert_int_equal(d.count, 64);
    proto_merkle_range_root(&d, h1);
    proto_merkle_range_push(&d, g_leaves[0]);
    assert_int_equal(d.n, UINT64_MAX);
    assert_int_equal(d.count, 64);
    proto_merkle_range_root(&d, h2);
    assert_memory_equal(h1, h2, 32);
    assert_int_equal(proto_merkle_range_size(&d), 8 + 64 * 32);
}

static void test_callback_errors(void **state)
{
    uint8_t path[PROTO_MERKLE_PATH_MAX][32], h[32], zero[32] = {0};
    struct spy spy = {(const uint8_t(*)[32])g_leaves, 0, 0};
    const uint64_t n = 10;
    size_t plen;
    uint64_t f, m;
    int rc;

    (void)state;
    for (f = 0; f < n; f++) {
        spy.fail_at = f;
        memset(h, 0x5a, 32);
        assert_int_equal(proto_merkle_root(spy_leaf, &spy, n, h), -EIO);
        assert_memory_equal(h, zero, 32);
        /* Leaves past the end are never read. */
        assert_int_equal(proto_merkle_root(spy_leaf, &spy, f, h), 0);

        for (m = 0; m < n; m++) {
            plen = 99;
            rc = proto_merkle_inclusion(spy_leaf, &spy, n, m, path, &plen);
            /* The proven leaf itself is not part of its path and is not read. */
            assert_int_equal(rc, m == f ? 0 : -EIO);
            if (rc < 0)
                assert_int_equal(plen, 0);
        }
        /* PROOF(3, D[10]) reads every leaf (8..9, 4..7, 0..1, 3, 2). */
        plen = 99;
        assert_int_equal(proto_merkle_consistency(spy_leaf, &spy, n, 3, path, &plen), -EIO);
        assert_int_equal(plen, 0);
        /* PROOF(8, D[10]) only reads 8 and 9: the old tree is a node of the new one. */
        rc = proto_merkle_consistency(spy_leaf, &spy, n, 8, path, &plen);
        assert_int_equal(rc, f >= 8 ? -EIO : 0);
        /* PROOF(10, D[10]) is empty and reads nothing. */
        assert_int_equal(proto_merkle_consistency(spy_leaf, &spy, n, n, path, &plen), 0);
        assert_int_equal(plen, 0);
    }
    /* Any negative code comes back unchanged. */
    spy.fail_at = 0;
    assert_int_equal(proto_merkle_root(spy_leaf, &spy, 1, h), -EIO);
}

/*
 * Proofs over trees of nearly 2^64 leaves, checked without materialising them: with every leaf
 * equal to L, a perfect subtree of 2^j leaves has root P[j] = node(P[j-1], P[j-1]), and the
 * root of n leaves folds the P[j] of n's set bits (the compact-range rule, tested above).
 */
static void const_root(const uint8_t p[64][32], uint64_t n, uint8_t out[32])
{
    struct proto_merkle_range r;
    int j;

    proto_merkle_range_init(&r);
    r.n = n;
    for (j = 63; j >= 0; j--)
        if (n >> j & 1)
            memcpy(r.nodes[r.count++], p[j], 32);
    proto_merkle_range_root(&r, out);
}

static void test_huge_trees(void **state)
{
    uint8_t p[64][32], path[PROTO_MERKLE_PATH_MAX][32], root[32], r1[32], r2[32];
    const uint8_t(*cpath)[32] = (const uint8_t(*)[32])path;
    const uint64_t top = (uint64_t)1 << 63;
    int j;

    (void)state;
    memcpy(p[0], g_leaves[7], 32);
    for (j = 1; j < 64; j++)
        proto_merkle_node(p[j - 1], p[j - 1], p[j]);

    /* n = 2^64 - 1, leaf 0: P[0..62] then MTH of the 2^63 - 1 leaves on the right. */
    for (j = 0; j < 63; j++)
        memcpy(path[j], p[j], 32);
    const_root((const uint8_t(*)[32])p, top - 1, path[63]);
    const_root((const uint8_t(*)[32])p, UINT64_MAX, root);
    assert_int_equal(proto_merkle_inclusion_verify(p[0], 0, UINT64_MAX, cpath, 64, root), 0);
    /*
     * All leaves are equal, so only a different shape can fail here: leaf 2^63 sits one level
     * higher than leaf 0.
     */
    assert_int_equal(proto_merkle_inclusion_verify(p[0], top, UINT64_MAX, cpath, 64, root),
                     ERR_PROOF);
    assert_int_equal(proto_merkle_inclusion_verify(p[0], 0, UINT64_MAX, cpath, 63, root),
                     ERR_PROOF);

    /* n = 2^63 + 1, last leaf: its one sibling is the perfect left half. */
    const_root((const uint8_t(*)[32])p, top + 1, root);
    memcpy(path[0], p[63], 32);
    assert_int_equal(proto_merkle_inclusion_verify(p[0], top, top + 1, cpath, 1, root), 0);
    assert_int_equal(proto_merkle_inclusion_verify(p[0], top - 1, top + 1, cpath, 1, root),
                     ERR_PROOF);

    /* Consistency from 2^63 (a node of the new tree) to 2^64 - 1: one hash, the right part. */
    const_root((const uint8_t(*)[32])p, UINT64_MAX, root);
    const_root((const uint8_t(*)[32])p, top - 1, path[0]);
    memcpy(r1, p[63], 32);
    assert_int_equal(proto_merkle_consistency_verify(top, UINT64_MAX, r1, root, cpath, 1), 0);
    const_root((const uint8_t(*)[32])p, UINT64_MAX - 1, r2);
    assert_int_equal(proto_merkle_consistency_verify(top, UINT64_MAX, r1, r2, cpath, 1), ERR_PROOF);
    /* From 2^64 - 2 to 2^64 - 1: the old tree's last subtree (2 leaves) and the new leaf. */
    const_root((const uint8_t(*)[32])p, UINT64_MAX - 1, r1);
    memcpy(path[0], p[1], 32);
    memcpy(path[1], p[0], 32);
    for (j = 2; j < 64; j++)
        memcpy(path[j], p[j], 32);
    assert_int_equal(
        proto_merkle_consistency_verify(UINT64_MAX - 1, UINT64_MAX, r1, root, cpath, 64), 0);
    assert_int_equal(
        proto_merkle_consistency_verify(UINT64_MAX - 1, UINT64_MAX, r1, root, cpath, 63),
        ERR_PROOF);
}

/* Hand-made feeds for the head tests; their roots are SHA-256("a"), ("b"), ("c"). */
static void head_feeds(struct proto_head_feed f[3])
{
    unsigned i;

    memset(f, 0, 3 * sizeof f[0]);
    for (i = 0; i < 32; i++)
        f[0].author[i] = (uint8_t)i; /* 00 01 .. 1f */
    f[1].author[0] = 0x80;           /* 80 00 .. 00 */
    memset(f[2].author, 0xff, 32);   /* ff .. ff */
    f[0].length = 1;
    f[1].length = 0x0102030405060708;
    f[2].length = UINT64_MAX;
    proto_sha256("a", 1, f[0].root);
    proto_sha256("b", 1, f[1].root);
    proto_sha256("c", 1, f[2].root);
}

/* SHA-256(0x00 || "saksi-head\0" || author || u64be length || root), assembled by hand. */
static void head_leaf_by_hand(const struct proto_head_feed *f, uint8_t out[32])
{
    uint8_t buf[1 + 11 + 32 + 8 + 32];
    unsigned i;

    buf[0] = 0x00;
    memcpy(buf + 1, "saksi-head\0", 11);
    memcpy(buf + 12, f->author, 32);
    for (i = 0; i < 8; i++)
        buf[44 + i] = (uint8_t)(f->length >> (56 - 8 * i));
    memcpy(buf + 52, f->root, 32);
    proto_sha256(buf, sizeof buf, out);
}

static void node_by_hand(const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
    uint8_t buf[65];

    buf[0] = 0x01;
    memcpy(buf + 1, l, 32);
    memcpy(buf + 33, r, 32);
    proto_sha256(buf, sizeof buf, out);
}

static void test_head(void **state)
{
    struct proto_head_feed f[3], g[3];
    uint8_t l[3][32], h[32], want[32], ab[32], zero[32] = {0};
    unsigned i;

    (void)state;
    head_feeds(f);
    /* Leaves: by hand, through the API, and as computed independently (Python hashlib). */
    for (i = 0; i < 3; i++) {
        head_leaf_by_hand(&f[i], l[i]);
        proto_head_leaf(&f[i], h);
        assert_memory_equal(h, l[i], 32);
    }
    test_unhex("f2ad3b334983409b809ca04b4f7862d8053aeca8af4b85d81f0f720f711e5451", want, 32);
    assert_memory_equal(l[0], want, 32);
    test_unhex("84e1e726d2507d1e6cb5a17de315863d4fa3f137745bf711a2cc41893a2a2e3d", want, 32);
    assert_memory_equal(l[1], want, 32);
    test_unhex("6e3dc00588d17d7f276b36e0ba8b9ac8e570953d9e2d1d6a633f4f69c7eb1b26", want, 32);
    assert_memory_equal(l[2], want, 32);

    /* No feeds: SHA-256(""). */
    assert_int_equal(proto_head_compute(f, 0, h), 0);
    test_unhex(ct_roots[0], want, 32);
    assert_memory_equal(h, want, 32);

    /* One feed: the head is its leaf hash, not hashed again. */
    assert_int_equal(proto_head_compute(f, 1, h), 0);
    assert_memory_equal(h, l[0], 32);

    /* Two feeds: SHA-256(0x01 || L0 || L1). */
    node_by_hand(l[0], l[1], ab);
    assert_int_equal(proto_head_compute(f, 2, h), 0);
    assert_memory_equal(h, ab, 32);
    test_unhex("25fe42f584dbc3e9c6250996dd2114374fec17d1cf2f5550889227ce5b38d877", want, 32);
    assert_memory_equal(h, want, 32);

    /* Three feeds: k = 2, so SHA-256(0x01 || SHA-256(0x01 || L0 || L1) || L2). */
    node_by_hand(ab, l[2], want);
    assert_int_equal(proto_head_compute(f, 3, h), 0);
    assert_memory_equal(h, want, 32);
    test_unhex("d56f8f08a10d0f1a502bdb8fdf9cf71d932cdd2f45ba43dbdf300df873de9e24", want, 32);
    assert_memory_equal(h, want, 32);

    /* Unsorted and duplicate authors are refused. */
    g[0] = f[1];
    g[1] = f[0];
    memset(h, 0x5a, 32);
    assert_int_equal(proto_head_compute(g, 2, h), -EINVAL);
    assert_memory_equal(h, zero, 32);
    g[0] = f[0];
    g[1] = f[2];
    g[2] = f[1];
    assert_int_equal(proto_head_compute(g, 3, h), -EINVAL);
    g[1] = f[0];
    g[1].length = 9; /* same author, other data */
    assert_int_equal(proto_head_compute(g, 2, h), -EINVAL);
    /* Authors that differ only in their last byte are ordered by it. */
    g[0] = f[1];
    g[1] = f[1];
    g[1].author[31] = 0x01;
    assert_int_equal(proto_head_compute(g, 2, h), 0);
    g[0].author[31] = 0x02;
    assert_int_equal(proto_head_compute(g, 2, h), -EINVAL);

    /* Every field of a feed reaches the head. */
    g[0] = f[0];
    g[1] = f[1];
    g[1].length ^= 1;
    assert_int_equal(proto_head_compute(g, 2, h), 0);
    assert_memory_not_equal(h, ab, 32);
    g[1] = f[1];
    g[1].root[31] ^= 1;
    assert_int_equal(proto_head_compute(g, 2, h), 0);
    assert_memory_not_equal(h, ab, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_args),   cmocka_unit_test(test_hash_primitives),
        cmocka_unit_test(test_ct_roots),       cmocka_unit_test(test_ct_inclusion),
        cmocka_unit_test(test_ct_consistency), cmocka_unit_test(test_range_matches_recursive),
        cmocka_unit_test(test_inclusion_all),  cmocka_unit_test(test_consistency_all),
        cmocka_unit_test(test_range_codec),    cmocka_unit_test(test_callback_errors),
        cmocka_unit_test(test_huge_trees),     cmocka_unit_test(test_head),
    };

    return cmocka_run_group_tests_name("proto_merkle", tests, setup, NULL);
}
