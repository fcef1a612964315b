/*
 * libsodium behind saksi's own names. Key material lives in sodium_malloc memory (guard pages,
 * mlock where allowed) and is wiped on free; temporary copies on the stack are wiped before
 * returning.
 */
#include "proto/crypto.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((struct proto_sha256 *)0)->st),
               "proto_sha256 state too small");
_Static_assert(crypto_sign_SECRETKEYBYTES == 64, "ed25519 secret key size");
_Static_assert(crypto_sign_SEEDBYTES == 32, "ed25519 seed size");
_Static_assert(crypto_scalarmult_BYTES == 32, "x25519 size");
_Static_assert(crypto_auth_hmacsha256_BYTES == 32, "hmac-sha256 size");

#define KEYFILE_MAGIC      "SAKSIKEY"
#define KEYFILE_PLAIN_LEN  (8 + 2 + 64)
#define KEYFILE_SEALED_LEN (8 + 2 + 16 + 8 + 8 + 24 + 64 + 16)

int proto_crypto_init(void)
{
    return sodium_init() < 0 ? ERR_CRYPTO : 0;
}

void proto_sha256(const void *p, size_t n, uint8_t out[32])
{
    crypto_hash_sha256(out, p, n);
}

void proto_sha256_init(struct proto_sha256 *h)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)h->st);
}

void proto_sha256_update(struct proto_sha256 *h, const void *p, size_t n)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)h->st, p, n);
}

void proto_sha256_final(struct proto_sha256 *h, uint8_t out[32])
{
    crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)h->st, out);
}

void proto_hmac_sha256(const uint8_t *key, size_t klen, const void *a, size_t an, const void *b,
                       size_t bn, uint8_t out[32])
{
    crypto_auth_hmacsha256_state st;

    /* The init/update/final form takes any key length, unlike crypto_auth_hmacsha256(). */
    crypto_auth_hmacsha256_init(&st, key, klen);
    if (an > 0)
        crypto_auth_hmacsha256_update(&st, a, an);
    if (bn > 0)
        crypto_auth_hmacsha256_update(&st, b, bn);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st); /* the state holds the padded key */
}

void proto_random(void *p, size_t n)
{
    randombytes_buf(p, n);
}

void *proto_secure_alloc(size_t n)
{
    return sodium_malloc(n);
}

void proto_secure_free(void *p)
{
    if (p)
        sodium_free(p);
}

void proto_memzero(void *p, size_t n)
{
    sodium_memzero(p, n);
}

bool proto_memeq(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}

static struct proto_keys *keys_alloc(void)
{
    struct proto_keys *k = sodium_malloc(sizeof *k);

    if (k)
        memset(k, 0, sizeof *k);
    return k;
}

void proto_keys_free(struct proto_keys *k)
{
    if (k)
        sodium_free(k); /* sodium_free wipes before freeing */
}

/* Fills a key set from its two secrets (32-byte Ed25519 seed, X25519 secret). */
static int keys_from_secrets(struct proto_keys *k, const uint8_t seed[32], const uint8_t xsk[32])
{
    if (crypto_sign_seed_keypair(k->sign_pk, k->sign_sk, seed) != 0)
        return ERR_CRYPTO;
    memcpy(k->box_sk, xsk, 32);
    if (crypto_scalarmult_base(k->box_pk, k->box_sk) != 0)
        return ERR_CRYPTO;
    return 0;
}

int proto_keys_generate(struct proto_keys **out)
{
    struct proto_keys *k;

    *out = NULL;
    k = keys_alloc();
    if (!k)
        return -ENOMEM;
    /* Two independent random keys: the transport key is never derived from the signing key. */
    crypto_sign_keypair(k->sign_pk, k->sign_sk);
    crypto_box_keypair(k->box_pk, k->box_sk);
    *out = k;
    return 0;
}

/* Ed25519 needs the message contiguous, so prefix || msg is assembled in a scratch buffer. */
#define SCRATCH_STACK 2048

static uint8_t *join(uint8_t *stackbuf, const void *prefix, size_t plen, const void *msg,
                     size_t mlen)
{
    uint8_t *m = stackbuf;

    if (plen > SIZE_MAX - mlen)
        return NULL;
    if (plen + mlen > SCRATCH_STACK) {
        m = malloc(plen + mlen);
        if (!m)
            return NULL;
    }
    memcpy(m, prefix, plen);
    if (mlen)
        memcpy(m + plen, msg, mlen);
    return m;
}

int proto_sign(const struct proto_keys *k, const void *prefix, size_t plen, const void *msg,
               size_t mlen, uint8_t sig[64])
{
    uint8_t stackbuf[SCRATCH_STACK];
    uint8_t *m = join(stackbuf, prefix, plen, msg, mlen);
    int rc = 0;

    if (!m)
        return -ENOMEM;
    if (crypto_sign_detached(sig, NULL, m, plen + mlen, k->sign_sk) != 0)
        rc = ERR_CRYPTO;
    if (m != stackbuf)
        free(m);
    return rc;
}

int proto_verify(const uint8_t pk[32], const void *prefix, size_t plen, const void *msg,
                 size_t mlen, const uint8_t sig[64])
{
    uint8_t stackbuf[SCRATCH_STACK];
    uint8_t *m = join(stackbuf, prefix, plen, msg, mlen);
    int rc = 0;

    if (!m)
        return -ENOMEM;
    if (crypto_sign_verify_detached(sig, m, plen + mlen, pk) != 0)
        rc = ERR_BADSIG;
    if (m != stackbuf)
        free(m);
    return rc;
}

void proto_card_sign(const struct proto_keys *k, uint8_t sig[64])
{
    uint8_t msg[64];

    memcpy(msg, k->sign_pk, 32);
    memcpy(msg + 32, k->box_pk, 32);
    /* Cannot fail: the message fits the stack buffer. */
    (void)proto_sign(k, PROTO_CARD_PREFIX, sizeof PROTO_CARD_PREFIX, msg, sizeof msg, sig);
}

int proto_card_verify(const uint8_t sign_pk[32], const uint8_t box_pk[32], const uint8_t sig[64])
{
    uint8_t msg[64];

    memcpy(msg, sign_pk, 32);
    memcpy(msg + 32, box_pk, 32);
    return proto_verify(sign_pk, PROTO_CARD_PREFIX, sizeof PROTO_CARD_PREFIX, msg, sizeof msg, sig);
}

static void put_u64be(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t get_u64be(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int proto_keyfile_encode(const struct proto_keys *k, const char *pass, size_t plen,
                         struct proto_buf *out)
{
    uint8_t hdr[10];
    uint8_t *secret = NULL, *kek = NULL;
    uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
    uint8_t lim[16], box[64 + crypto_secretbox_MACBYTES];
    uint64_t ops = crypto_pwhash_OPSLIMIT_INTERACTIVE, mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    int rc;

    memcpy(hdr, KEYFILE_MAGIC, 8);
    hdr[8] = 1;
    hdr[9] = pass ? 1 : 0;
    secret = sodium_malloc(64);
    if (!secret)
        return -ENOMEM;
    memcpy(secret, k->sign_sk, 32); /* the seed half */
    memcpy(secret + 32, k->box_sk, 32);
    if (!pass) {
        rc = proto_buf_append(out, hdr, sizeof hdr);
        if (rc == 0)
            rc = proto_buf_append(out, secret, 64);
        goto out;
    }
    kek = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!kek) {
        rc = -ENOMEM;
        goto out;
    }
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, pass, plen, salt, ops, (size_t)mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        rc = -ENOMEM; /* libsodium fails here only when it cannot get the memory */
        goto out;
    }
    crypto_secretbox_easy(box, secret, 64, nonce, kek);
    put_u64be(lim, ops);
    put_u64be(lim + 8, mem);
    if ((rc = proto_buf_append(out, hdr, sizeof hdr)) < 0 ||
        (rc = proto_buf_append(out, salt, sizeof salt)) < 0 ||
        (rc = proto_buf_append(out, lim, sizeof lim)) < 0 ||
        (rc = proto_buf_append(out, nonce, sizeof nonce)) < 0 ||
        (rc = proto_buf_append(out, box, sizeof box)) < 0)
        goto out;
out:
    sodium_free(kek);
    sodium_free(secret);
    return rc;
}

bool proto_keyfile_is_sealed(const uint8_t *p, size_t len)
{
    return len >= 10 && memcmp(p, KEYFILE_MAGIC, 8) == 0 && p[9] == 1;
}

int proto_keyfile_decode(const uint8_t *p, size_t len, const char *pass, size_t plen,
                         struct proto_keys **out)
{
    struct proto_keys *k = NULL;
    uint8_t *secret = NULL, *kek = NULL;
    uint64_t ops, mem;
    int rc;

    *out = NULL;
    if (len < 10 || memcmp(p, KEYFILE_MAGIC, 8) != 0 || p[8] != 1 || p[9] > 1)
        return ERR_KEYFILE;
    if ((p[9] == 0 && len != KEYFILE_PLAIN_LEN) || (p[9] == 1 && len != KEYFILE_SEALED_LEN))
        return ERR_KEYFILE;
    k = keys_alloc();
    secret = sodium_malloc(64);
    if (!k || !secret) {
        rc = -ENOMEM;
        goto out;
    }
    if (p[9] == 0) {
        memcpy(secret, p + 10, 64);
    } else {
        const uint8_t *salt = p + 10, *lim = p + 26, *nonce = p + 42, *box = p + 66;

        if (!pass) {
            rc = ERR_PASSPHRASE;
            goto out;
        }
        ops = get_u64be(lim);
        mem = get_u64be(lim + 8);
        /* Refuse absurd parameters from a damaged file rather than hang or exhaust memory. */
        if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
            mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
            rc = ERR_KEYFILE;
            goto out;
        }
        kek = sodium_malloc(crypto_secretbox_KEYBYTES);
        if (!kek) {
            rc = -ENOMEM;
            goto out;
        }
        if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, pass, plen, salt, ops, (size_t)mem,
                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
            rc = -ENOMEM;
            goto out;
        }
        if (crypto_secretbox_open_easy(secret, box, 64 + crypto_secretbox_MACBYTES, nonce, kek) !=
            0) {
            rc = ERR_PASSPHRASE;
            goto out;
        }
    }
    rc = keys_from_secrets(k, secret, secret + 32);
    if (rc == 0) {
        *out = k;
        k = NULL;
    }
out:
    sodium_free(kek);
    sodium_free(secret);
    proto_keys_free(k);
    return rc;
}

void proto_netkey_commit(const uint8_t key[32], uint8_t out[32])
{
    static const char prefix[] = "saksi-netkey-v1";
    crypto_hash_sha256_state st;

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)prefix, sizeof prefix);
    crypto_hash_sha256_update(&st, key, 32);
    crypto_hash_sha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

void proto_b64_encode(const uint8_t *p, size_t n, char *out)
{
    sodium_bin2base64(out, PROTO_B64_LEN(n), p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int proto_b64_decode(const char *s, uint8_t *out, size_t cap, size_t *len)
{
    size_t sl = strlen(s), need = sl / 4 * 3 + (sl % 4 ? sl % 4 - 1 : 0);
    const char *end = NULL;

    /* libsodium reads a byte with its top bit set as the character below it: check the
     * alphabet first, so that a code has exactly one spelling. */
    if (sl % 4 == 1 ||
        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != sl)
        return -EINVAL;
    if (need > cap)
        return ERR_TOOBIG;
    if (sodium_base642bin(out, cap, s, sl, NULL, len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != s + sl)
        return -EINVAL;
    return 0;
}

void proto_b64std_encode(const uint8_t *p, size_t n, char *out)
{
    sodium_bin2base64(out, PROTO_B64STD_LEN(n), p, n, sodium_base64_VARIANT_ORIGINAL);
}

int proto_b64std_decode(const char *s, size_t slen, uint8_t *out, size_t cap, size_t *len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t pad = 0, need, i;
    const char *end = NULL;
    char again[5];

    *len = 0;
    if (slen == 0 || slen % 4 != 0)
        return -EINVAL;
    while (pad < 2 && s[slen - 1 - pad] == '=')
        pad++;
    for (i = 0; i < slen - pad; i++)
        if (!s[i] || !memchr(alphabet, s[i], sizeof alphabet - 1))
            return -EINVAL;
    need = slen / 4 * 3 - pad;
    if (need > cap)
        return ERR_TOOBIG;
    if (sodium_base642bin(out, cap, s, slen, NULL, len, &end, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        end != s + slen || *len != need) {
        *len = 0;
        return -EINVAL;
    }
    /*
     * Unused bits of the last character must be zero, so that a value has one spelling: the
     * last group re-encoded must give the same four characters.
     */
    if (pad) {
        sodium_bin2base64(again, sizeof again, out + need - (3 - pad), 3 - pad,
                          sodium_base64_VARIANT_ORIGINAL);
        if (memcmp(again, s + slen - 4, 4) != 0) {
            sodium_memzero(out, need);
            *len = 0;
            return -EINVAL;
        }
    }
    return 0;
}

void proto_hex(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int proto_unhex(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -EINVAL;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == PROTO_AEAD_KEY_LEN, "xchacha key");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == PROTO_AEAD_NONCE_LEN,
               "xchacha nonce");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == PROTO_AEAD_TAG_LEN, "poly1305 tag");

int proto_aead_seal(uint8_t *out, const uint8_t *pt, size_t n, const uint8_t *ad, size_t adlen,
                    const uint8_t nonce[PROTO_AEAD_NONCE_LEN],
                    const uint8_t key[PROTO_AEAD_KEY_LEN])
{
    unsigned long long clen;

    if (crypto_aead_xchacha20poly1305_ietf_encrypt(out, &clen, pt, n, ad, adlen, NULL, nonce,
                                                   key) != 0)
        return ERR_CRYPTO;
    return 0;
}

int proto_aead_open(uint8_t *out, const uint8_t *ct, size_t n, const uint8_t *ad, size_t adlen,
                    const uint8_t nonce[PROTO_AEAD_NONCE_LEN],
                    const uint8_t key[PROTO_AEAD_KEY_LEN])
{
    unsigned long long mlen;

    if (n < PROTO_AEAD_TAG_LEN)
        return ERR_NOISE;
    /* libsodium verifies the tag before it writes any plaintext. */
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL, ct, n, ad, adlen, nonce,
                                                   key) != 0) {
        sodium_memzero(out, n - PROTO_AEAD_TAG_LEN);
        return ERR_NOISE;
    }
    return 0;
}
