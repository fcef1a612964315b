/*
 * Unit tests for proto/beacon: invalid input first (sizes, magic, every byte changed, every
 * truncation, another network key or ledger, and each way an authenticated plaintext can be
 * wrong: arity, field types, port 0 and above 65535, versions, non-canonical forms, trailing
 * bytes), then the round trip, the size bounds, the freshness window, the AEAD wrapper, and a
 * datagram byte for byte against a vector computed independently in Python (HMAC from hmac,
 * HChaCha20 by hand and checked against draft-irtf-cfrg-xchacha-03, ChaCha20-Poly1305 from the
 * cryptography package).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/beacon.h"
#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/err.h"
#include "tests/unit/helpers.h"

/* The vector's inputs: netkey[i] = i, ledger[i] = 0x80 + i, nonce[i] = 0x40 + i,
 * sign_pk[i] = 0xa0 + i, port 7447, time 1767225600 (2026-01-01T00:00:00Z). */
#define VEC_K "dd1d82762887c2212d3bda7a7c8b727f92ced2f6e93016773a8bb3b23f516aa3"
#define VEC_PLAIN                                                                                  \
    "9401cd1d17c420a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfce6955b900"
#define VEC_DGRAM                                                                                  \
    "534b4231404142434445464748494a4b4c4d4e4f505152535455565736e923df342c8de2e3df4f70adc3c49aa1cb" \
    "66403753e492ad4838608d999a7a5564a2d4c93d812aa56111d08b21ebeb24b1fff876f65e3c37d840d0"
#define VEC_PORT 7447
#define VEC_TIME 1767225600u

struct fix {
    uint8_t netkey[32], ledger[32], nonce[24], pk[32], key[32];
};

static void fix_fill(struct fix *f)
{
    for (int i = 0; i < 32; i++) {
        f->netkey[i] = (uint8_t)i;
        f->ledger[i] = (uint8_t)(0x80 + i);
        f->pk[i] = (uint8_t)(0xa0 + i);
    }
    for (int i = 0; i < 24; i++)
        f->nonce[i] = (uint8_t)(0x40 + i);
    proto_beacon_key(f->netkey, f->ledger, f->key);
}

static struct proto_beacon vec_beacon(const struct fix *f)
{
    struct proto_beacon b;

    memset(&b, 0, sizeof b);
    b.port = VEC_PORT;
    memcpy(b.sign_pk, f->pk, 32);
    b.time = VEC_TIME;
    return b;
}

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s) / 2;

    assert_int_equal(strlen(s) % 2, 0);
    assert_true(n <= cap);
    if (n > 0)
        test_unhex(s, out, n);
    return n;
}

static bool is_zero(const void *p, size_t n)
{
    const uint8_t *q = p;

    for (size_t i = 0; i < n; i++)
        if (q[i])
            return false;
    return true;
}

/* Opens and checks the result code; on failure the beacon must come back zeroed. */
static void open_expect(const uint8_t key[32], const uint8_t *p, size_t n, int want)
{
    struct proto_beacon b;

    memset(&b, 0xa5, sizeof b);
    assert_int_equal(proto_beacon_open(key, p, n, &b), want);
    if (want < 0)
        assert_true(is_zero(&b, sizeof b));
}

/* A datagram around any plaintext, sealed the way proto_beacon_seal does (to reach the decoder
 * with bytes the encoder would never write). */
static size_t seal_raw(const uint8_t key[32], const uint8_t *pt, size_t n, uint8_t *out)
{
    static const uint8_t nonce[24] = {9, 8, 7, 6, 5, 4, 3, 2, 1};

    memcpy(out, "SKB1", 4);
    memcpy(out + 4, nonce, 24);
    assert_int_equal(proto_aead_seal(out + 28, pt, n, out, 4, nonce, key), 0);
    return 28 + n + 16;
}

static int setup(void **state)
{
    (void)state;
    return proto_crypto_init();
}

/* ---- Invalid input ---- */

static void test_open_sizes(void **state)
{
    struct fix f;
    uint8_t big[PROTO_BEACON_MAX + 64];

    (void)state;
    fix_fill(&f);
    memset(big, 0, sizeof big);
    memcpy(big, "SKB1", 4);
    open_expect(f.key, NULL, 0, ERR_TRUNC);
    for (size_t n = 0; n < PROTO_BEACON_OVERHEAD; n++)
        open_expect(f.key, big, n, ERR_TRUNC);
    open_expect(f.key, big, PROTO_BEACON_MAX + 1, ERR_TOOBIG);
    open_expect(f.key, big, sizeof big, ERR_TOOBIG);
    open_expect(f.key, big, SIZE_MAX, ERR_TOOBIG);
    /* Header and tag only: the right size to be looked at, and then the tag fails. */
    open_expect(f.key, big, PROTO_BEACON_OVERHEAD, ERR_NOISE);
}

static void test_seal_refuses(void **state)
{
    struct fix f;
    struct proto_beacon b;
    struct proto_buf buf;
    uint8_t out[PROTO_BEACON_MAX];
    size_t len = 99;

    (void)state;
    fix_fill(&f);
    b = vec_beacon(&f);
    b.port = 0;
    assert_int_equal(proto_beacon_seal(f.key, &b, out, &len), -EINVAL);
    assert_int_equal(len, 0);
    len = 99;
    assert_int_equal(proto_beacon_seal_nonce(f.key, f.nonce, &b, out, &len), -EINVAL);
    assert_int_equal(len, 0);
    proto_buf_init(&buf);
    assert_int_equal(proto_beacon_encode(&b, &buf), -EINVAL);
    assert_int_equal(buf.len, 0);
    proto_buf_release(&buf);
}

static void test_bad_magic(void **state)
{
    static const char *const magics[] = {"SKB2", "SKB0", "skb1", "SKA1", "\0\0\0\0", "1BKS"};
    struct fix f;
    struct proto_beacon b;
    uint8_t d[PROTO_BEACON_MAX];
    size_t len;

    (void)state;
    fix_fill(&f);
    b = vec_beacon(&f);
    assert_int_equal(proto_beacon_seal(f.key, &b, d, &len), 0);
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        memcpy(d, magics[i], 4);
        open_expect(f.key, d, len, ERR_VERSION);
    }
}

static void test_wrong_keys(void **state)
{
    struct fix f;
    struct proto_beacon b;
    uint8_t d[PROTO_BEACON_MAX], other[32];
    size_t len;

    (void)state;
    fix_fill(&f);
    b = vec_beacon(&f);
    assert_int_equal(proto_beacon_seal(f.key, &b, d, &len), 0);
    open_expect(f.key, d, len, 0);
    /* Another network key, same ledger. */
    f.netkey[31] ^= 1;
    proto_beacon_key(f.netkey, f.ledger, other);
    open_expect(other, d, len, ERR_NOISE);
    /* The network key, another ledger. */
    f.netkey[31] ^= 1;
    f.ledger[0] ^= 0x80;
    proto_beacon_key(f.netkey, f.ledger, other);
    open_expect(other, d, len, ERR_NOISE);
    /* The raw network key is not the beacon key. */
    open_expect(f.netkey, d, len, ERR_NOISE);
}

/* Every byte changed, one bit at a time at both ends of the byte: the magic is refused as such,
 * the nonce, ciphertext and tag by the authenticator. */
static void test_tamper_every_byte(void **state)
{
    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    struct fix f;
    struct proto_beacon b;
    uint8_t d[PROTO_BEACON_MAX];
    size_t len;

    (void)state;
    fix_fill(&f);
    b = vec_beacon(&f);
    assert_int_equal(proto_beacon_seal(f.key, &b, d, &len), 0);
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            d[i] ^= masks[m];
            open_expect(f.key, d, len, i < PROTO_BEACON_MAGIC_LEN ? ERR_VERSION : ERR_NOISE);
            d[i] ^= masks[m];
        }
    }
    open_expect(f.key, d, len, 0);
}

static void test_truncated_and_extended(void **state)
{
    struct fix f;
    struct proto_beacon b;
    uint8_t d[PROTO_BEACON_MAX + 1];
    size_t len;

    (void)state;
    fix_fill(&f);
    b = vec_beacon(&f);
    assert_int_equal(proto_beacon_seal(f.key, &b, d, &len), 0);
    for (size_t n = 0; n < len; n++)
        open_expect(f.key, d, n, n < PROTO_BEACON_OVERHEAD ? ERR_TRUNC : ERR_NOISE);
    /* One byte more: the tag no longer sits at the end. */
    memset(d + len, 0, sizeof d - len);
    open_expect(f.key, d, len + 1, ERR_NOISE);
    /* Padded to the limit, and one past it. */
    open_expect(f.key, d, PROTO_BEACON_MAX, ERR_NOISE);
    open_expect(f.key, d, PROTO_BEACON_MAX + 1, ERR_TOOBIG);
}

/* 32 bytes of 0x33 as bin8 (the canonical sign_pk), bin16, str8; 31 and 33 bytes as bin8. */
#define B33x32 "3333333333333333333333333333333333333333333333333333333333333333"
#define PK32   "c420" B33x32
#define PKB16  "c50020" B33x32
#define ST32   "d920" B33x32
#define PK31   "c41f33333333333333333333333333333333333333333333333333333333333333"
#define PK33   "c421" B33x32 "33"

/* Authenticated plaintexts that are not beacons, with the code each must give. */
static const struct {
    const char *name, *hex;
    int rc;
} bad_plain[] = {
    {"empty", "", ERR_TRUNC},
    {"port 0", "940100" PK32 "01", ERR_BADFRAME},
    {"port 65536", "9401ce00010000" PK32 "01", ERR_BADFRAME},
    {"port negative", "9401ff" PK32 "01", ERR_BADFRAME},
    {"port as str", "9401a135" PK32 "01", ERR_BADFRAME},
    {"port nil", "9401c0" PK32 "01", ERR_BADFRAME},
    {"version 0", "940005" PK32 "01", ERR_VERSION},
    {"version 2", "940205" PK32 "01", ERR_VERSION},
    {"version 256", "94cd010005" PK32 "01", ERR_VERSION},
    {"version bool", "94c305" PK32 "01", ERR_BADFRAME},
    {"version negative", "94ff05" PK32 "01", ERR_BADFRAME},
    {"sign_pk 31 bytes", "940105" PK31 "01", ERR_BADFRAME},
    {"sign_pk 33 bytes", "940105" PK33 "01", ERR_BADFRAME},
    {"sign_pk as str", "940105" ST32 "01", ERR_BADFRAME},
    {"sign_pk as array", "9401059001", ERR_BADFRAME},
    {"time negative", "940105" PK32 "ff", ERR_BADFRAME},
    {"time nil", "940105" PK32 "c0", ERR_BADFRAME},
    {"time bool", "940105" PK32 "c2", ERR_BADFRAME},
    {"3 fields", "930105" PK32, ERR_BADFRAME},
    {"5 fields", "950105" PK32 "0101", ERR_BADFRAME},
    {"empty array", "90", ERR_BADFRAME},
    {"not an array", "01", ERR_BADFRAME},
    {"nested", "91940105" PK32 "01", ERR_BADFRAME},
    {"array too short for its header", "940105" PK32, ERR_TRUNC},
    {"bin runs past the end", "940105c4203333", ERR_TRUNC},
    {"port as uint8", "9401cc05" PK32 "01", ERR_NONCANON},
    {"port 200 as uint16", "9401cd00c8" PK32 "01", ERR_NONCANON},
    {"time as uint64", "940105" PK32 "cf0000000000000001", ERR_NONCANON},
    {"time 70000 as uint64", "940105" PK32 "cf0000000000011170", ERR_NONCANON},
    {"array16 header", "dc00040105" PK32 "01", ERR_NONCANON},
    {"bin16 header", "940105" PKB16 "01", ERR_NONCANON},
    {"trailing byte", "940105" PK32 "0100", ERR_BADFRAME},
    {"map", "810101", ERR_TYPE},
    {"float time", "940105" PK32 "ca3f800000", ERR_TYPE},
    {"ext", "940105" PK32 "d40100", ERR_TYPE},
};

static void test_bad_plaintexts(void **state)
{
    struct fix f;
    uint8_t pt[PROTO_BEACON_MAX], d[PROTO_BEACON_MAX + 64];
    struct proto_beacon b;

    (void)state;
    fix_fill(&f);
    for (size_t i = 0; i < sizeof bad_plain / sizeof bad_plain[0]; i++) {
        size_t n = hex(bad_plain[i].hex, pt, sizeof pt), len;

        print_message("%s\n", bad_plain[i].name);
        memset(&b, 0xa5, sizeof b);
        assert_int_equal(proto_beacon_decode(pt, n, &b), bad_plain[i].rc);
        assert_true(is_zero(&b, sizeof b));
        len = seal_raw(f.key, pt, n, d);
        assert_true(len <= PROTO_BEACON_MAX);
        open_expect(f.key, d, len, bad_plain[i].rc);
    }
}

/* A plaintext padded (authenticated, so it gets that far) to exactly PROTO_BEACON_MAX bytes is
 * looked at and refused for its trailing bytes; decode refuses more than PROTO_BEACON_MAX. */
static void test_size_limits(void **state)
{
    struct fix f;
    uint8_t pt[PROTO_BEACON_MAX + 1], d[PROTO_BEACON_MAX + 64];
    struct proto_beacon b;
    size_t n, len;

    (void)state;
    fix_fill(&f);
    memset(pt, 0, sizeof pt);
    n = hex(VEC_PLAIN, pt, sizeof pt);
    assert_int_equal(proto_beacon_decode(pt, n, &b), 0);
    len = seal_raw(f.key, pt, PROTO_BEACON_MAX - PROTO_BEACON_OVERHEAD, d);
    assert_int_equal(len, PROTO_BEACON_MAX);
    open_expect(f.key, d, len, ERR_BADFRAME);
    len = seal_raw(f.key, pt, PROTO_BEACON_MAX - PROTO_BEACON_OVERHEAD + 1, d);
    open_expect(f.key, d, len, ERR_TOOBIG);
    assert_int_equal(proto_beacon_decode(pt, PROTO_BEACON_MAX + 1, &b), ERR_TOOBIG);
}

/* ---- Valid beacons ---- */

static void test_key_vector(void **state)
{
    struct fix f;
    uint8_t want[32];

    (void)state;
    fix_fill(&f);
    hex(VEC_K, want, sizeof want);
    assert_memory_equal(f.key, want, 32);
}

static void test_datagram_vector(void **state)
{
    struct fix f;
    struct proto_beacon b, got;
    struct proto_buf buf;
    uint8_t d[PROTO_BEACON_MAX], want[PROTO_BEACON_MAX];
    size_t len, wn;

    (void)state;
    fix_fill(&f);
    b = vec_beacon(&f);
    proto_buf_init(&buf);
    assert_int_equal(proto_beacon_encode(&b, &buf), 0);
    wn = hex(VEC_PLAIN, want, sizeof want);
    assert_int_equal(buf.len, wn);
    assert_memory_equal(buf.data, want, wn);
    proto_buf_release(&buf);

    assert_int_equal(proto_beacon_seal_nonce(f.key, f.nonce, &b, d, &len), 0);
    wn = hex(VEC_DGRAM, want, sizeof want);
    assert_int_equal(len, wn);
    assert_memory_equal(d, want, wn);
    assert_int_equal(proto_beacon_open(f.key, want, wn, &got), 0);
    assert_int_equal(got.port, VEC_PORT);
    assert_memory_equal(got.sign_pk, f.pk, 32);
    assert_int_equal(got.time, VEC_TIME);
}

static void test_round_trip(void **state)
{
    static const struct {
        uint16_t port;
        uint64_t time;
        size_t len; /* the datagram's size */
    } cases[] = {
        {1, 0, 82},       {127, 127, 82},         {128, 128, 84},          {255, 255, 84},
        {256, 65535, 86}, {7447, 1767225600, 88}, {65535, 1ull << 32, 92}, {65535, UINT64_MAX, 92},
    };
    struct fix f;
    struct proto_beacon b, got;
    uint8_t d1[PROTO_BEACON_MAX], d2[PROTO_BEACON_MAX];
    size_t l1, l2;

    (void)state;
    fix_fill(&f);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        b = vec_beacon(&f);
        b.port = cases[i].port;
        b.time = cases[i].time;
        assert_int_equal(proto_beacon_seal(f.key, &b, d1, &l1), 0);
        assert_int_equal(proto_beacon_seal(f.key, &b, d2, &l2), 0);
        assert_int_equal(l1, cases[i].len);
        assert_int_equal(l2, cases[i].len);
        assert_memory_equal(d1, "SKB1", 4);
        /* Fresh random nonces: the same beacon never looks the same twice. */
        assert_memory_not_equal(d1 + 4, d2 + 4, 24);
        assert_memory_not_equal(d1 + 28, d2 + 28, l1 - 28);
        assert_int_equal(proto_beacon_open(f.key, d1, l1, &got), 0);
        assert_int_equal(got.port, b.port);
        assert_memory_equal(got.sign_pk, b.sign_pk, 32);
        assert_true(got.time == b.time);
        assert_int_equal(proto_beacon_open(f.key, d2, l2, &got), 0);
        assert_true(got.time == b.time);
    }
}

/* Whatever decodes re-encodes to the same bytes. */
static void test_decode_reencode(void **state)
{
    static const char *const good[] = {
        VEC_PLAIN,
        "940101" PK32 "00",
        "9401cdffff" PK32 "cfffffffffffffffff",
        "94017f" PK32 "ce00010000",
    };
    struct proto_beacon b;
    struct proto_buf buf;
    uint8_t pt[PROTO_BEACON_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t n = hex(good[i], pt, sizeof pt);

        assert_int_equal(proto_beacon_decode(pt, n, &b), 0);
        proto_buf_init(&buf);
        assert_int_equal(proto_beacon_encode(&b, &buf), 0);
        assert_int_equal(buf.len, n);
        assert_memory_equal(buf.data, pt, n);
        proto_buf_release(&buf);
    }
}

/* The receiver's clock check: up to PROTO_BEACON_SKEW_S either way, no overflow at the ends. */
static void test_fresh(void **state)
{
    struct proto_beacon b;
    const uint64_t now = VEC_TIME;

    (void)state;
    memset(&b, 0, sizeof b);
    b.time = now;
    assert_true(proto_beacon_fresh(&b, now));
    b.time = now + PROTO_BEACON_SKEW_S;
    assert_true(proto_beacon_fresh(&b, now));
    b.time = now + PROTO_BEACON_SKEW_S + 1;
    assert_false(proto_beacon_fresh(&b, now));
    b.time = now - PROTO_BEACON_SKEW_S;
    assert_true(proto_beacon_fresh(&b, now));
    b.time = now - PROTO_BEACON_SKEW_S - 1;
    assert_false(proto_beacon_fresh(&b, now));
    b.time = 0;
    assert_false(proto_beacon_fresh(&b, now));
    assert_true(proto_beacon_fresh(&b, PROTO_BEACON_SKEW_S));
    b.time = UINT64_MAX;
    assert_false(proto_beacon_fresh(&b, now));
    assert_false(proto_beacon_fresh(&b, 0));
    assert_true(proto_beacon_fresh(&b, UINT64_MAX - PROTO_BEACON_SKEW_S));
    assert_int_equal(PROTO_BEACON_SKEW_S, 600);
}

static void test_aead(void **state)
{
    uint8_t key[32], nonce[24], ct[64 + 16], pt[64];
    const char msg[] = "frontier";

    (void)state;
    memset(key, 7, sizeof key);
    memset(nonce, 9, sizeof nonce);
    assert_int_equal(
        proto_aead_seal(ct, (const uint8_t *)msg, sizeof msg, (const uint8_t *)"ad", 2, nonce, key),
        0);
    assert_int_equal(proto_aead_open(pt, ct, sizeof msg + 16, (const uint8_t *)"ad", 2, nonce, key),
                     0);
    assert_memory_equal(pt, msg, sizeof msg);
    /* Other additional data: refused, and nothing of the plaintext is left in out. */
    memset(pt, 0xa5, sizeof pt);
    assert_int_equal(proto_aead_open(pt, ct, sizeof msg + 16, (const uint8_t *)"AD", 2, nonce, key),
                     ERR_NOISE);
    assert_true(is_zero(pt, sizeof msg));
    assert_int_equal(proto_aead_open(pt, ct, 15, NULL, 0, nonce, key), ERR_NOISE);
    /* Empty plaintext, no additional data. */
    assert_int_equal(proto_aead_seal(ct, NULL, 0, NULL, 0, nonce, key), 0);
    assert_int_equal(proto_aead_open(pt, ct, 16, NULL, 0, nonce, key), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_sizes),
        cmocka_unit_test(test_seal_refuses),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_wrong_keys),
        cmocka_unit_test(test_tamper_every_byte),
        cmocka_unit_test(test_truncated_and_extended),
        cmocka_unit_test(test_bad_plaintexts),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_key_vector),
        cmocka_unit_test(test_datagram_vector),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_decode_reencode),
        cmocka_unit_test(test_fresh),
        cmocka_unit_test(test_aead),
    };

    return cmocka_run_group_tests_name("proto_beacon", tests, setup, NULL);
}
