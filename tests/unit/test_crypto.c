/*
 * Unit tests for proto/crypto: SHA-256 known answers and the streaming form, Ed25519 signatures
 * with a domain-separation prefix (a wrong prefix, a flipped message bit, a flipped signature bit
 * or another key all give ERR_BADSIG), the device card that binds a transport key to a signing
 * key, plain and sealed key files (exact sizes and layout, round trips, a wrong or missing
 * passphrase, damaged files, absurd Argon2 limits), hex encoding and the network-key commitment.
 * Argon2 runs only where a test needs it, because each run takes about a tenth of a second.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/err.h"
#include "tests/unit/helpers.h"

#define PLAIN_LEN 74
/*
 * The sealed layout of proto/crypto.h field by field: header, salt, opslimit, memlimit, nonce,
 * secretbox. That is 146 bytes; the header's stated total of 162 is a miscount.
 */
#define SEALED_LEN (10 + 16 + 8 + 8 + 24 + 64 + 16)
#define PASS       "kopi tubruk 1947"

static const uint8_t g_prefix[] = "saksi-test-v1"; /* signed with its NUL */

/* A sentinel for out-parameters, to see that a failing decode sets them to NULL. */
static struct proto_keys g_sentinel;
#define SENTINEL (&g_sentinel)

/* true if needle occurs in hay. */
static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

static int setup(void **state)
{
    (void)state;
    return proto_crypto_init() < 0 ? -1 : 0;
}

static void keys_new(struct proto_keys **k)
{
    assert_int_equal(proto_keys_generate(k), 0);
    assert_non_null(*k);
}

static void assert_keys_equal(const struct proto_keys *a, const struct proto_keys *b)
{
    assert_memory_equal(a->sign_sk, b->sign_sk, 64);
    assert_memory_equal(a->sign_pk, b->sign_pk, 32);
    assert_memory_equal(a->box_sk, b->box_sk, 32);
    assert_memory_equal(a->box_pk, b->box_pk, 32);
}

static void test_init_twice(void **state)
{
    (void)state;
    assert_int_equal(proto_crypto_init(), 0);
    assert_int_equal(proto_crypto_init(), 0);
}

static void test_sha256(void **state)
{
    uint8_t want[32], got[32], part[32];
    struct proto_sha256 h;
    uint8_t big[1000];

    (void)state;
    test_unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want, 32);
    proto_sha256("", 0, got);
    assert_memory_equal(got, want, 32);
    test_unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want, 32);
    proto_sha256("abc", 3, got);
    assert_memory_equal(got, want, 32);

    /* The streaming form gives the one-shot result however the input is split. */
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 3);
    proto_sha256(big, sizeof big, want);
    for (size_t cut = 0; cut <= sizeof big; cut += 111) {
        proto_sha256_init(&h);
        proto_sha256_update(&h, big, cut);
        proto_sha256_update(&h, big + cut, sizeof big - cut);
        proto_sha256_final(&h, part);
        assert_memory_equal(part, want, 32);
    }
    big[500] ^= 1;
    proto_sha256(big, sizeof big, got);
    assert_memory_not_equal(got, want, 32);
}

static void test_memory_helpers(void **state)
{
    uint8_t a[40], b[40];
    uint8_t *s;

    (void)state;
    proto_secure_free(NULL); /* a no-op */
    proto_keys_free(NULL);
    memset(a, 0x5a, sizeof a);
    memcpy(b, a, sizeof b);
    assert_true(proto_memeq(a, b, sizeof a));
    b[39] ^= 0x80;
    assert_false(proto_memeq(a, b, sizeof a));
    assert_true(proto_memeq(a, b, 39));
    proto_memzero(a, sizeof a);
    for (size_t i = 0; i < sizeof a; i++)
        assert_int_equal(a[i], 0);

    s = proto_secure_alloc(64);
    assert_non_null(s);
    memset(s, 0xff, 64);
    proto_secure_free(s);

    /* Two random draws of 32 bytes are different (a collision would mean a broken RNG). */
    proto_random(a, 32);
    proto_random(b, 32);
    assert_memory_not_equal(a, b, 32);
}

static void test_keys_generate(void **state)
{
    struct proto_keys *a, *b;

    (void)state;
    keys_new(&a);
    keys_new(&b);
    assert_memory_not_equal(a->sign_pk, b->sign_pk, 32);
    assert_memory_not_equal(a->box_pk, b->box_pk, 32);
    /* libsodium's secret key form is seed || public key. */
    assert_memory_equal(a->sign_sk + 32, a->sign_pk, 32);
    /* The transport key is not derived from the signing key. */
    assert_memory_not_equal(a->box_sk, a->sign_sk, 32);
    assert_memory_not_equal(a->box_pk, a->sign_pk, 32);
    proto_keys_free(a);
    proto_keys_free(b);
}

static void test_sign_verify_rejects(void **state)
{
    struct proto_keys *k, *other;
    uint8_t msg[16], sig[64], bad[64], joined[sizeof g_prefix + 1];

    (void)state;
    keys_new(&k);
    keys_new(&other);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    assert_int_equal(proto_sign(k, g_prefix, sizeof g_prefix, msg, sizeof msg, sig), 0);

    /* Another prefix, the same prefix without its NUL, and no prefix at all. */
    assert_int_equal(
        proto_verify(k->sign_pk, "saksi-test-v2", sizeof g_prefix, msg, sizeof msg, sig),
        ERR_BADSIG);
    assert_int_equal(proto_verify(k->sign_pk, g_prefix, sizeof g_prefix - 1, msg, sizeof msg, sig),
                     ERR_BADSIG);
    assert_int_equal(proto_verify(k->sign_pk, "", 0, msg, sizeof msg, sig), ERR_BADSIG);
    /*
     * The signature covers the concatenation prefix || msg, so moving the message's first byte
     * onto the end of the prefix verifies: each domain must use one fixed prefix.
     */
    memcpy(joined, g_prefix, sizeof g_prefix);
    joined[sizeof g_prefix] = msg[0];
    assert_int_equal(proto_verify(k->sign_pk, joined, sizeof joined, msg + 1, sizeof msg - 1, sig),
                     0);

    /* Every single-bit change of the message. */
    for (size_t bit = 0; bit < 8 * sizeof msg; bit++) {
        msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(proto_verify(k->sign_pk, g_prefix, sizeof g_prefix, msg, sizeof msg, sig),
                         ERR_BADSIG);
        msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    /* Every single-bit change of the signature. */
    for (size_t bit = 0; bit < 8 * sizeof sig; bit++) {
        memcpy(bad, sig, sizeof bad);
        bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(proto_verify(k->sign_pk, g_prefix, sizeof g_prefix, msg, sizeof msg, bad),
                         ERR_BADSIG);
    }
    /* Another key. */
    assert_int_equal(proto_verify(other->sign_pk, g_prefix, sizeof g_prefix, msg, sizeof msg, sig),
                     ERR_BADSIG);
    /* The transport public key is not a signing key for the same device. */
    assert_int_equal(proto_verify(k->box_pk, g_prefix, sizeof g_prefix, msg, sizeof msg, sig),
                     ERR_BADSIG);
    /* Everything intact. */
    assert_int_equal(proto_verify(k->sign_pk, g_prefix, sizeof g_prefix, msg, sizeof msg, sig), 0);
    /* Ed25519 is deterministic: signing again gives the same bytes. */
    assert_int_equal(proto_sign(k, g_prefix, sizeof g_prefix, msg, sizeof msg, bad), 0);
    assert_memory_equal(bad, sig, 64);
    proto_keys_free(k);
    proto_keys_free(other);
}

static void test_sign_verify_sizes(void **state)
{
    struct proto_keys *k;
    uint8_t *big, sig[64];
    const size_t sizes[] = {0, 1, 2033, 2034, 5000, 70000};

    (void)state;
    keys_new(&k);
    big = malloc(70001); /* the largest size, plus the byte of "one byte longer" */
    assert_non_null(big);
    for (size_t i = 0; i < 70001; i++)
        big[i] = (uint8_t)(i >> 3);
    /* Sizes on both sides of the stack scratch buffer (2048 bytes with the prefix). */
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];

        assert_int_equal(proto_sign(k, g_prefix, sizeof g_prefix, big, n, sig), 0);
        assert_int_equal(proto_verify(k->sign_pk, g_prefix, sizeof g_prefix, big, n, sig), 0);
        if (n > 0) {
            big[n - 1] ^= 1;
            assert_int_equal(proto_verify(k->sign_pk, g_prefix, sizeof g_prefix, big, n, sig),
                             ERR_BADSIG);
            big[n - 1] ^= 1;
        }
        /* A message one byte longer is another message. */
        assert_int_equal(proto_verify(k->sign_pk, g_prefix, sizeof g_prefix, big, n + 1, sig),
                         ERR_BADSIG);
    }
    free(big);
    proto_keys_free(k);
}

static void test_card(void **state)
{
    struct proto_keys *k, *other;
    uint8_t sig[64], bad[64], msg[64];

    (void)state;
    keys_new(&k);
    keys_new(&other);
    proto_card_sign(k, sig);

    /* Swapped transport key, another signing key, both keys swapped, a flipped bit. */
    assert_int_equal(proto_card_verify(k->sign_pk, other->box_pk, sig), ERR_BADSIG);
    assert_int_equal(proto_card_verify(other->sign_pk, k->box_pk, sig), ERR_BADSIG);
    assert_int_equal(proto_card_verify(k->box_pk, k->sign_pk, sig), ERR_BADSIG);
    memcpy(bad, sig, 64);
    bad[10] ^= 4;
    assert_int_equal(proto_card_verify(k->sign_pk, k->box_pk, bad), ERR_BADSIG);
    /* The other device's card does not vouch for this one. */
    proto_card_sign(other, bad);
    assert_int_equal(proto_card_verify(k->sign_pk, k->box_pk, bad), ERR_BADSIG);
    assert_int_equal(proto_card_verify(other->sign_pk, other->box_pk, bad), 0);

    assert_int_equal(proto_card_verify(k->sign_pk, k->box_pk, sig), 0);
    /* Computed independently: the card prefix with its NUL, then sign_pk || box_pk. */
    memcpy(msg, k->sign_pk, 32);
    memcpy(msg + 32, k->box_pk, 32);
    assert_int_equal(proto_verify(k->sign_pk, "saksi-device-v1", 16, msg, 64, sig), 0);
    assert_int_equal(proto_verify(k->sign_pk, "saksi-device-v1", 15, msg, 64, sig), ERR_BADSIG);
    /* A card is not an entry signature over the same bytes. */
    assert_int_equal(proto_verify(k->sign_pk, "saksi-entry-v1", 15, msg, 64, sig), ERR_BADSIG);
    proto_keys_free(k);
    proto_keys_free(other);
}

/* Key files that fail before Argon2 runs: every one of these is cheap. */
static void test_keyfile_garbage(void **state)
{
    struct proto_keys *k, *out = SENTINEL;
    struct proto_buf b;
    uint8_t f[SEALED_LEN + 1];

    (void)state;
    keys_new(&k);
    proto_buf_init(&b);
    assert_int_equal(proto_keyfile_encode(k, NULL, 0, &b), 0);
    assert_int_equal(b.len, PLAIN_LEN);

    /* Every truncation of a plain file, and one byte too many. */
    for (size_t n = 0; n < PLAIN_LEN; n++) {
        assert_int_equal(proto_keyfile_decode(b.data, n, NULL, 0, &out), ERR_KEYFILE);
        assert_null(out);
        out = SENTINEL;
    }
    memcpy(f, b.data, PLAIN_LEN);
    f[PLAIN_LEN] = 0;
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN + 1, NULL, 0, &out), ERR_KEYFILE);
    assert_null(out);

    /* Magic, version and mode bytes. */
    memcpy(f, b.data, PLAIN_LEN);
    f[0] = 's';
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN, NULL, 0, &out), ERR_KEYFILE);
    memcpy(f, b.data, PLAIN_LEN);
    f[7] = 'X';
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN, NULL, 0, &out), ERR_KEYFILE);
    memcpy(f, b.data, PLAIN_LEN);
    f[8] = 2;
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN, NULL, 0, &out), ERR_KEYFILE);
    f[8] = 0;
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN, NULL, 0, &out), ERR_KEYFILE);
    memcpy(f, b.data, PLAIN_LEN);
    f[9] = 2;
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN, NULL, 0, &out), ERR_KEYFILE);
    /* A plain file that claims to be sealed has the wrong size for it. */
    f[9] = 1;
    assert_true(proto_keyfile_is_sealed(f, PLAIN_LEN));
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN, PASS, strlen(PASS), &out), ERR_KEYFILE);
    /* Pure garbage of both valid sizes. */
    memset(f, 0xa5, sizeof f);
    assert_int_equal(proto_keyfile_decode(f, PLAIN_LEN, NULL, 0, &out), ERR_KEYFILE);
    assert_int_equal(proto_keyfile_decode(f, SEALED_LEN, PASS, strlen(PASS), &out), ERR_KEYFILE);
    assert_false(proto_keyfile_is_sealed(f, SEALED_LEN));
    assert_false(proto_keyfile_is_sealed(f, 0));
    assert_null(out);
    proto_buf_release(&b);
    proto_keys_free(k);
}

static void test_keyfile_plain(void **state)
{
    struct proto_keys *k, *out;
    struct proto_buf b;

    (void)state;
    keys_new(&k);
    proto_buf_init(&b);
    assert_int_equal(proto_buf_append(&b, "xy", 2), 0); /* encode appends */
    assert_int_equal(proto_keyfile_encode(k, NULL, 0, &b), 0);
    assert_int_equal(b.len, 2 + PLAIN_LEN);
    assert_memory_equal(b.data, "xySAKSIKEY\x01\x00", 12);
    assert_memory_equal(b.data + 12, k->sign_sk, 32); /* the seed */
    assert_memory_equal(b.data + 44, k->box_sk, 32);
    assert_false(proto_keyfile_is_sealed(b.data + 2, PLAIN_LEN));

    assert_int_equal(proto_keyfile_decode(b.data + 2, PLAIN_LEN, NULL, 0, &out), 0);
    assert_non_null(out);
    assert_keys_equal(out, k);
    proto_keys_free(out);
    /* A passphrase given for a plain file is not needed and does no harm. */
    assert_int_equal(proto_keyfile_decode(b.data + 2, PLAIN_LEN, PASS, strlen(PASS), &out), 0);
    assert_keys_equal(out, k);
    proto_keys_free(out);

    /* Another secret gives other keys (the public halves are derived, not stored). */
    b.data[2 + 10] ^= 1;
    assert_int_equal(proto_keyfile_decode(b.data + 2, PLAIN_LEN, NULL, 0, &out), 0);
    assert_memory_not_equal(out->sign_pk, k->sign_pk, 32);
    assert_memory_equal(out->box_pk, k->box_pk, 32);
    proto_keys_free(out);
    proto_buf_release(&b);
    proto_keys_free(k);
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* Sealed files: the four Argon2 runs of this binary are all here. */
static void test_keyfile_sealed(void **state)
{
    struct proto_keys *k, *out = SENTINEL;
    struct proto_buf b;
    uint8_t f[SEALED_LEN];
    const uint64_t bad_ops[] = {0, UINT64_MAX, (uint64_t)1 << 40};
    const uint64_t bad_mem[] = {0, 1024, UINT64_MAX, (uint64_t)1 << 42};

    (void)state;
    keys_new(&k);
    proto_buf_init(&b);
    assert_int_equal(proto_keyfile_encode(k, PASS, strlen(PASS), &b), 0); /* Argon2 #1 */
    assert_int_equal(b.len, SEALED_LEN);
    assert_memory_equal(b.data, "SAKSIKEY\x01\x01", 10);
    assert_true(proto_keyfile_is_sealed(b.data, b.len));
    /* Neither secret appears in the clear. */
    assert_false(contains(b.data, b.len, k->sign_sk, 32));
    assert_false(contains(b.data, b.len, k->box_sk, 32));

    /* Failures that need no Argon2: missing passphrase, damaged size, absurd limits. */
    assert_int_equal(proto_keyfile_decode(b.data, b.len, NULL, 0, &out), ERR_PASSPHRASE);
    assert_null(out);
    out = SENTINEL;
    assert_int_equal(proto_keyfile_decode(b.data, b.len - 1, PASS, strlen(PASS), &out),
                     ERR_KEYFILE);
    assert_null(out);
    for (size_t i = 0; i < sizeof bad_ops / sizeof bad_ops[0]; i++) {
        memcpy(f, b.data, SEALED_LEN);
        put_be64(f + 26, bad_ops[i]);
        assert_int_equal(proto_keyfile_decode(f, SEALED_LEN, PASS, strlen(PASS), &out),
                         ERR_KEYFILE);
    }
    for (size_t i = 0; i < sizeof bad_mem / sizeof bad_mem[0]; i++) {
        memcpy(f, b.data, SEALED_LEN);
        put_be64(f + 34, bad_mem[i]);
        assert_int_equal(proto_keyfile_decode(f, SEALED_LEN, PASS, strlen(PASS), &out),
                         ERR_KEYFILE);
    }
    assert_null(out);

    /* The right passphrase (Argon2 #2). */
    assert_int_equal(proto_keyfile_decode(b.data, b.len, PASS, strlen(PASS), &out), 0);
    assert_non_null(out);
    assert_keys_equal(out, k);
    proto_keys_free(out);
    out = SENTINEL;

    /* A wrong passphrase (#3): one letter off, same length. */
    assert_int_equal(proto_keyfile_decode(b.data, b.len, "kopi tubruk 1948", strlen(PASS), &out),
                     ERR_PASSPHRASE);
    assert_null(out);
    out = SENTINEL;

    /* A flipped bit in the sealed box with the right passphrase (#4): the MAC fails. */
    memcpy(f, b.data, SEALED_LEN);
    f[SEALED_LEN - 1] ^= 0x40;
    assert_int_equal(proto_keyfile_decode(f, SEALED_LEN, PASS, strlen(PASS), &out), ERR_PASSPHRASE);
    assert_null(out);
    proto_buf_release(&b);
    proto_keys_free(k);
}

static void test_hex(void **state)
{
    uint8_t all[256], back[256];
    char s[2 * 256 + 1];

    (void)state;
    /* Invalid input first: lengths and digits. */
    assert_int_equal(proto_unhex("", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("0", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("000", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("0000", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("0g", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("g0", back, 1), -EINVAL);
    assert_int_equal(proto_unhex(" 0", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("0x", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("+1", back, 1), -EINVAL);
    assert_int_equal(proto_unhex("", back, 0), 0);

    assert_int_equal(proto_unhex("00abFF7e", back, 4), 0);
    assert_memory_equal(back, "\x00\xab\xff\x7e", 4);
    proto_hex(back, 4, s);
    assert_string_equal(s, "00abff7e");
    proto_hex(back, 0, s);
    assert_string_equal(s, "");

    for (size_t i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    proto_hex(all, 256, s);
    assert_int_equal(strlen(s), 512);
    assert_memory_equal(s + 2 * 0xa7, "a7", 2);
    memset(back, 0, sizeof back);
    assert_int_equal(proto_unhex(s, back, 256), 0);
    assert_memory_equal(back, all, 256);
}

static void test_netkey_commit(void **state)
{
    uint8_t key[32], c1[32], c2[32], want[32], buf[16 + 32];

    (void)state;
    memset(key, 0, sizeof key);
    /* Known answer: SHA-256("saksi-netkey-v1\0" || 32 zero bytes). */
    test_unhex("1c943fc02ec25d7287cd05e70a8c50781b55be54b8cdeba51c2d20bbdfcc5140", want, 32);
    proto_netkey_commit(key, c1);
    assert_memory_equal(c1, want, 32);

    proto_random(key, sizeof key);
    proto_netkey_commit(key, c1);
    proto_netkey_commit(key, c2);
    assert_memory_equal(c1, c2, 32);
    memcpy(buf, "saksi-netkey-v1", 16);
    memcpy(buf + 16, key, 32);
    proto_sha256(buf, sizeof buf, want);
    assert_memory_equal(c1, want, 32);
    /* It is not the bare hash of the key. */
    proto_sha256(key, 32, want);
    assert_memory_not_equal(c1, want, 32);
    key[31] ^= 1;
    proto_netkey_commit(key, c2);
    assert_memory_not_equal(c1, c2, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_twice),
        cmocka_unit_test(test_sign_verify_rejects),
        cmocka_unit_test(test_keyfile_garbage),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_memory_helpers),
        cmocka_unit_test(test_keys_generate),
        cmocka_unit_test(test_sign_verify_sizes),
        cmocka_unit_test(test_card),
        cmocka_unit_test(test_keyfile_plain),
        cmocka_unit_test(test_keyfile_sealed),
        cmocka_unit_test(test_netkey_commit),
    };

    return cmocka_run_group_tests_name("proto_crypto", tests, setup, NULL);
}
