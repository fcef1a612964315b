/*
 * The Noise Protocol Framework, revision 34, for one cipher suite (25519, ChaChaPoly, SHA256) and
 * four patterns (NN, NNpsk0, XX, XXpsk3): CipherState, SymmetricState and HandshakeState as the
 * specification defines them, in the specification's order of operations so that the published
 * test vectors match byte for byte. This file is the one exception, allowed by the lead, to the
 * rule that only proto/crypto.c includes sodium.h: the handshake needs X25519, ChaCha20-Poly1305
 * (IETF), SHA-256 and HMAC-SHA-256 directly. noise.h stays free of sodium types. Every secret
 * lives in sodium_malloc memory or in a caller's proto_noise_cs; stack copies are wiped.
 */
#include "proto/noise.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/err.h"

_Static_assert(crypto_scalarmult_BYTES == 32 && crypto_scalarmult_SCALARBYTES == 32, "x25519");
_Static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == 32, "chachapoly key");
_Static_assert(crypto_aead_chacha20poly1305_ietf_NPUBBYTES == 12, "chachapoly nonce");
_Static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == PROTO_NOISE_TAG_LEN, "poly1305 tag");
_Static_assert(crypto_hash_sha256_BYTES == 32 && crypto_auth_hmacsha256_BYTES == 32, "sha256");

#define KEYLEN   32
#define TAGLEN   PROTO_NOISE_TAG_LEN
#define MAXNONCE UINT64_MAX /* reserved: never used to encrypt a message */

/* Layout of struct proto_noise_cs: key, little-endian nonce, has-key flag. */
#define CS_KEY    0
#define CS_NONCE  32
#define CS_HASKEY 40
_Static_assert(CS_HASKEY < sizeof(((struct proto_noise_cs *)0)->st), "cs layout");

enum noise_token { TOK_END = 0, TOK_E, TOK_S, TOK_EE, TOK_ES, TOK_SE, TOK_PSK };

#define NOISE_MSGS_MAX   3
#define NOISE_TOKENS_MAX 5 /* the longest message (e, ee, s, es) plus TOK_END */

struct noise_pattern_def {
    const char *name; /* the full protocol name */
    bool needs_s;
    bool psk;
    unsigned nmsgs;
    uint8_t tokens[NOISE_MSGS_MAX][NOISE_TOKENS_MAX];
};

/* Indexed by enum proto_noise_pattern. */
static const struct noise_pattern_def noise_patterns[] = {
    [PROTO_NOISE_NN] =
        {
            .name = "Noise_NN_25519_ChaChaPoly_SHA256",
            .nmsgs = 2,
            .tokens = {{TOK_E}, {TOK_E, TOK_EE}},
        },
    [PROTO_NOISE_NNPSK0] =
        {
            .name = "Noise_NNpsk0_25519_ChaChaPoly_SHA256",
            .psk = true,
            .nmsgs = 2,
            .tokens = {{TOK_PSK, TOK_E}, {TOK_E, TOK_EE}},
        },
    [PROTO_NOISE_XX] =
        {
            .name = "Noise_XX_25519_ChaChaPoly_SHA256",
            .needs_s = true,
            .nmsgs = 3,
            .tokens = {{TOK_E}, {TOK_E, TOK_EE, TOK_S, TOK_ES}, {TOK_S, TOK_SE}},
        },
    [PROTO_NOISE_XXPSK3] =
        {
            .name = "Noise_XXpsk3_25519_ChaChaPoly_SHA256",
            .needs_s = true,
            .psk = true,
            .nmsgs = 3,
            .tokens = {{TOK_E}, {TOK_E, TOK_EE, TOK_S, TOK_ES}, {TOK_S, TOK_SE, TOK_PSK}},
        },
};

enum noise_phase { PHASE_ACTIVE, PHASE_DONE, PHASE_SPLIT, PHASE_DEAD };

struct proto_noise_hs {
    /* SymmetricState. */
    struct proto_noise_cs cs;
    uint8_t ck[KEYLEN];
    uint8_t h[KEYLEN];
    /* HandshakeState. */
    uint8_t s_priv[KEYLEN], s_pub[KEYLEN];
    uint8_t e_priv[KEYLEN], e_pub[KEYLEN];
    uint8_t rs[KEYLEN], re[KEYLEN];
    uint8_t psk[KEYLEN];
    bool has_s, has_e, has_rs, has_re;
    bool initiator;
    enum noise_phase phase;
    unsigned msg; /* index of the next handshake message */
    const struct noise_pattern_def *pat;
};

/* ---- Little helpers ---- */

static void store_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void noise_hmac(const uint8_t key[KEYLEN], const uint8_t *a, size_t alen, const uint8_t *b,
                       size_t blen, uint8_t out[KEYLEN])
{
    crypto_auth_hmacsha256_state st;

    /* The init/update/final form takes any key length, unlike crypto_auth_hmacsha256(). */
    crypto_auth_hmacsha256_init(&st, key, KEYLEN);
    if (alen)
        crypto_auth_hmacsha256_update(&st, a, alen);
    if (blen)
        crypto_auth_hmacsha256_update(&st, b, blen);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

/*
 * HKDF(chaining_key, input_key_material, num_outputs) as Noise defines it: temp_key =
 * HMAC(ck, ikm), output1 = HMAC(temp_key, 0x01), output_i = HMAC(temp_key, output_{i-1} || i).
 * Writes nout (2 or 3) consecutive 32-byte outputs to out, which must not overlap ck.
 */
static void noise_hkdf(const uint8_t ck[KEYLEN], const uint8_t *ikm, size_t ikmlen, uint8_t *out,
                       unsigned nout)
{
    uint8_t temp[KEYLEN];
    uint8_t ctr;

    noise_hmac(ck, ikm, ikmlen, NULL, 0, temp);
    ctr = 1;
    noise_hmac(temp, &ctr, 1, NULL, 0, out);
    for (unsigned i = 1; i < nout; i++) {
        ctr = (uint8_t)(i + 1);
        noise_hmac(temp, out + (i - 1) * KEYLEN, KEYLEN, &ctr, 1, out + i * KEYLEN);
    }
    sodium_memzero(temp, sizeof temp);
}

/* DH(priv, pub) with the all-zero output (a low-order point) refused. */
static int noise_dh(uint8_t out[KEYLEN], const uint8_t priv[KEYLEN], const uint8_t pub[KEYLEN])
{
    if (crypto_scalarmult(out, priv, pub) != 0) {
        sodium_memzero(out, KEYLEN);
        return ERR_NOISE;
    }
    return 0;
}

/* ---- CipherState ---- */

static bool cs_has_key(const struct proto_noise_cs *cs)
{
    return cs->st[CS_HASKEY] != 0;
}

static uint64_t cs_nonce(const struct proto_noise_cs *cs)
{
    return load_le64(cs->st + CS_NONCE);
}

static void cs_nonce_put(struct proto_noise_cs *cs, uint64_t n)
{
    store_le64(cs->st + CS_NONCE, n);
}

/* InitializeKey(k): a new key and nonce 0. */
static void cs_init_key(struct proto_noise_cs *cs, const uint8_t k[KEYLEN])
{
    sodium_memzero(cs->st, sizeof cs->st);
    memcpy(cs->st + CS_KEY, k, KEYLEN);
    cs->st[CS_HASKEY] = 1;
}

/* ChaChaPoly's nonce: 32 bits of zeros, then the 64-bit counter little-endian. */
static void cs_nonce_bytes(uint64_t n, uint8_t out[12])
{
    memset(out, 0, 4);
    store_le64(out + 4, n);
}

/* ENCRYPT(k, n, ad, plaintext): writes len + TAGLEN bytes; out may equal pt. */
static int cs_seal(const uint8_t k[KEYLEN], uint64_t n, const uint8_t *ad, size_t adlen,
                   const uint8_t *pt, size_t len, uint8_t *out)
{
    uint8_t nonce[12];
    unsigned long long clen = 0;

    cs_nonce_bytes(n, nonce);
    if (crypto_aead_chacha20poly1305_ietf_encrypt(out, &clen, pt, len, ad, adlen, NULL, nonce, k) !=
            0 ||
        clen != len + TAGLEN)
        return ERR_CRYPTO;
    return 0;
}

/* DECRYPT(k, n, ad, ciphertext): len >= TAGLEN; writes len - TAGLEN bytes, only on success. */
static int cs_open(const uint8_t k[KEYLEN], uint64_t n, const uint8_t *ad, size_t adlen,
                   const uint8_t *ct, size_t len, uint8_t *out)
{
    uint8_t nonce[12];
    unsigned long long mlen = 0;

    cs_nonce_bytes(n, nonce);
    if (crypto_aead_chacha20poly1305_ietf_decrypt(out, &mlen, NULL, ct, len, ad, adlen, nonce, k) !=
        0)
        return ERR_NOISE;
    return 0;
}

/* EncryptWithAd() on a keyed state: refuses the reserved nonce, advances on success. */
static int cs_encrypt_ad(struct proto_noise_cs *cs, const uint8_t *ad, size_t adlen,
                         const uint8_t *pt, size_t len, uint8_t *out)
{
    uint64_t n = cs_nonce(cs);
    int rc;

    if (n == MAXNONCE)
        return ERR_NOISE;
    rc = cs_seal(cs->st + CS_KEY, n, ad, adlen, pt, len, out);
    if (rc < 0)
        return rc;
    cs_nonce_put(cs, n + 1);
    return 0;
}

/* DecryptWithAd() on a keyed state: the nonce advances only when the tag verifies. */
static int cs_decrypt_ad(struct proto_noise_cs *cs, const uint8_t *ad, size_t adlen,
                         const uint8_t *ct, size_t len, uint8_t *out)
{
    uint64_t n = cs_nonce(cs);
    int rc;

    if (n == MAXNONCE || len < TAGLEN)
        return ERR_NOISE;
    rc = cs_open(cs->st + CS_KEY, n, ad, adlen, ct, len, out);
    if (rc < 0)
        return rc;
    cs_nonce_put(cs, n + 1);
    return 0;
}

void proto_noise_cs_init_key(struct proto_noise_cs *cs, const uint8_t k[32])
{
    cs_init_key(cs, k);
}

void proto_noise_cs_wipe(struct proto_noise_cs *cs)
{
    if (cs)
        sodium_memzero(cs->st, sizeof cs->st);
}

int proto_noise_cs_encrypt(struct proto_noise_cs *cs, const uint8_t *ad, size_t adlen,
                           const uint8_t *plaintext, size_t n, uint8_t *out, size_t cap,
                           size_t *outlen)
{
    int rc;

    if (outlen)
        *outlen = 0;
    if (!cs || !outlen || !out || (n && !plaintext) || (adlen && !ad) || !cs_has_key(cs))
        return -EINVAL;
    if (n > PROTO_NOISE_PLAIN_MAX)
        return ERR_TOOBIG;
    if (cap < n + TAGLEN)
        return -ENOBUFS;
    rc = cs_encrypt_ad(cs, ad, adlen, plaintext, n, out);
    if (rc < 0)
        return rc;
    *outlen = n + TAGLEN;
    return 0;
}

int proto_noise_cs_decrypt(struct proto_noise_cs *cs, const uint8_t *ad, size_t adlen,
                           const uint8_t *ciphertext, size_t n, uint8_t *out, size_t cap,
                           size_t *outlen)
{
    int rc;

    if (outlen)
        *outlen = 0;
    if (!cs || !outlen || (n && !ciphertext) || (adlen && !ad) || !cs_has_key(cs))
        return -EINVAL;
    if (n > PROTO_NOISE_MSG_MAX)
        return ERR_TOOBIG;
    if (n < TAGLEN)
        return ERR_NOISE;
    if (cap < n - TAGLEN || (!out && n > TAGLEN))
        return -ENOBUFS;
    rc = cs_decrypt_ad(cs, ad, adlen, ciphertext, n, out);
    if (rc < 0)
        return rc;
    *outlen = n - TAGLEN;
    return 0;
}

int proto_noise_cs_rekey(struct proto_noise_cs *cs)
{
    uint8_t buf[KEYLEN + TAGLEN];
    int rc;

    if (!cs || !cs_has_key(cs))
        return -EINVAL;
    memset(buf, 0, sizeof buf);
    rc = cs_seal(cs->st + CS_KEY, MAXNONCE, NULL, 0, buf, KEYLEN, buf);
    if (rc == 0)
        memcpy(cs->st + CS_KEY, buf, KEYLEN);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

int proto_noise_cs_set_nonce(struct proto_noise_cs *cs, uint64_t nonce)
{
    if (!cs || !cs_has_key(cs))
        return -EINVAL;
    cs_nonce_put(cs, nonce);
    return 0;
}

/* ---- SymmetricState ---- */

static void ss_mix_hash(struct proto_noise_hs *hs, const uint8_t *data, size_t len)
{
    crypto_hash_sha256_state st;

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, hs->h, KEYLEN);
    if (len)
        crypto_hash_sha256_update(&st, data, len);
    crypto_hash_sha256_final(&st, hs->h);
    sodium_memzero(&st, sizeof st);
}

static void ss_mix_key(struct proto_noise_hs *hs, const uint8_t *ikm, size_t len)
{
    uint8_t out[2 * KEYLEN];

    noise_hkdf(hs->ck, ikm, len, out, 2);
    memcpy(hs->ck, out, KEYLEN);
    cs_init_key(&hs->cs, out + KEYLEN); /* HASHLEN is 32, so no truncation */
    sodium_memzero(out, sizeof out);
}

static void ss_mix_key_and_hash(struct proto_noise_hs *hs, const uint8_t *ikm, size_t len)
{
    uint8_t out[3 * KEYLEN];

    noise_hkdf(hs->ck, ikm, len, out, 3);
    memcpy(hs->ck, out, KEYLEN);
    ss_mix_hash(hs, out + KEYLEN, KEYLEN);
    cs_init_key(&hs->cs, out + 2 * KEYLEN);
    sodium_memzero(out, sizeof out);
}

/*
 * EncryptAndHash(): out gets len bytes (no key yet: the plaintext) or len + TAGLEN bytes; the
 * caller has checked the room. pt and out do not overlap.
 */
static int ss_encrypt_and_hash(struct proto_noise_hs *hs, const uint8_t *pt, size_t len,
                               uint8_t *out, size_t *outlen)
{
    int rc;

    if (!cs_has_key(&hs->cs)) {
        if (len)
            memcpy(out, pt, len);
        *outlen = len;
    } else {
        rc = cs_encrypt_ad(&hs->cs, hs->h, KEYLEN, pt, len, out);
        if (rc < 0)
            return rc;
        *outlen = len + TAGLEN;
    }
    ss_mix_hash(hs, out, *outlen);
    return 0;
}

/* DecryptAndHash(): ct (len bytes) to out (len or len - TAGLEN bytes). ct and out do not overlap.
 */
static int ss_decrypt_and_hash(struct proto_noise_hs *hs, const uint8_t *ct, size_t len,
                               uint8_t *out)
{
    int rc;

    if (!cs_has_key(&hs->cs)) {
        if (len)
            memcpy(out, ct, len);
    } else {
        /* The associated data is h before the ciphertext is mixed in. */
        rc = cs_decrypt_ad(&hs->cs, hs->h, KEYLEN, ct, len, out);
        if (rc < 0)
            return rc;
    }
    ss_mix_hash(hs, ct, len);
    return 0;
}

/* ---- HandshakeState ---- */

/* Wipes every secret and marks the handshake dead; returns rc. */
static int hs_fail(struct proto_noise_hs *hs, int rc)
{
    const struct noise_pattern_def *pat = hs->pat;
    bool initiator = hs->initiator;

    sodium_memzero(hs, sizeof *hs);
    hs->pat = pat;
    hs->initiator = initiator;
    hs->phase = PHASE_DEAD;
    return rc;
}

/* true when message number msg is written by the initiator: the patterns alternate from it. */
static bool hs_msg_is_ours(const struct proto_noise_hs *hs)
{
    return (hs->msg % 2 == 0) == hs->initiator;
}

static int hs_keypair_from(uint8_t pub[KEYLEN], const uint8_t priv[KEYLEN])
{
    return crypto_scalarmult_base(pub, priv) == 0 ? 0 : ERR_CRYPTO;
}

int proto_noise_hs_new(struct proto_noise_hs **out, enum proto_noise_pattern p, bool initiator,
                       const uint8_t *prologue, size_t plen, const uint8_t s_priv[32],
                       const uint8_t psk[32])
{
    const struct noise_pattern_def *pat;
    struct proto_noise_hs *hs;
    size_t nlen;
    int rc;

    if (!out)
        return -EINVAL;
    *out = NULL;
    if ((unsigned)p >= sizeof noise_patterns / sizeof noise_patterns[0] || (plen && !prologue))
        return -EINVAL;
    pat = &noise_patterns[p];
    if (pat->needs_s != (s_priv != NULL) || pat->psk != (psk != NULL))
        return -EINVAL;
    rc = proto_crypto_init();
    if (rc < 0)
        return rc;
    hs = sodium_malloc(sizeof *hs);
    if (!hs)
        return -ENOMEM;
    memset(hs, 0, sizeof *hs);
    hs->pat = pat;
    hs->initiator = initiator;
    hs->phase = PHASE_ACTIVE;

    /* InitializeSymmetric(protocol_name), then MixHash(prologue). */
    nlen = strlen(pat->name);
    if (nlen <= KEYLEN)
        memcpy(hs->h, pat->name, nlen); /* zero-padded by the memset */
    else
        crypto_hash_sha256(hs->h, (const unsigned char *)pat->name, nlen);
    memcpy(hs->ck, hs->h, KEYLEN);
    ss_mix_hash(hs, prologue, plen);

    if (s_priv) {
        memcpy(hs->s_priv, s_priv, KEYLEN);
        rc = hs_keypair_from(hs->s_pub, hs->s_priv);
        if (rc < 0) {
            proto_noise_hs_free(hs);
            return rc;
        }
        hs->has_s = true;
    }
    if (psk)
        memcpy(hs->psk, psk, KEYLEN);
    *out = hs;
    return 0;
}

void proto_noise_hs_free(struct proto_noise_hs *hs)
{
    if (!hs)
        return;
    sodium_memzero(hs, sizeof *hs);
    sodium_free(hs);
}

int proto_noise_hs_set_ephemeral(struct proto_noise_hs *hs, const uint8_t e_priv[32])
{
    int rc;

    if (!hs || !e_priv || hs->phase != PHASE_ACTIVE || hs->has_e)
        return -EINVAL;
    memcpy(hs->e_priv, e_priv, KEYLEN);
    rc = hs_keypair_from(hs->e_pub, hs->e_priv);
    if (rc < 0) {
        sodium_memzero(hs->e_priv, KEYLEN);
        return rc;
    }
    hs->has_e = true;
    return 0;
}

/* Room for len more bytes at *pos in an output of cap bytes, within Noise's message limit. */
static int hs_room(size_t pos, size_t len, size_t cap)
{
    if (len > PROTO_NOISE_MSG_MAX || pos + len > PROTO_NOISE_MSG_MAX)
        return ERR_TOOBIG;
    if (pos + len > cap)
        return -ENOBUFS;
    return 0;
}

/* The DH of a two-letter token from our side: which local and which remote key it pairs. */
static int hs_mix_dh(struct proto_noise_hs *hs, uint8_t tok)
{
    const uint8_t *priv, *pub;
    bool ok;
    uint8_t dh[KEYLEN];
    int rc;

    switch (tok) {
    case TOK_EE:
        ok = hs->has_e && hs->has_re;
        priv = hs->e_priv;
        pub = hs->re;
        break;
    case TOK_ES: /* initiator's e with responder's s */
        ok = hs->initiator ? hs->has_e && hs->has_rs : hs->has_s && hs->has_re;
        priv = hs->initiator ? hs->e_priv : hs->s_priv;
        pub = hs->initiator ? hs->rs : hs->re;
        break;
    case TOK_SE: /* initiator's s with responder's e */
        ok = hs->initiator ? hs->has_s && hs->has_re : hs->has_e && hs->has_rs;
        priv = hs->initiator ? hs->s_priv : hs->e_priv;
        pub = hs->initiator ? hs->re : hs->rs;
        break;
    default:
        return ERR_NOISE;
    }
    if (!ok)
        return ERR_NOISE;
    rc = noise_dh(dh, priv, pub);
    if (rc == 0)
        ss_mix_key(hs, dh, KEYLEN);
    sodium_memzero(dh, sizeof dh);
    return rc;
}

/* Common handling of the e token once the ephemeral public key is known. */
static void hs_mix_e(struct proto_noise_hs *hs, const uint8_t pub[KEYLEN])
{
    ss_mix_hash(hs, pub, KEYLEN);
    if (hs->pat->psk)
        ss_mix_key(hs, pub, KEYLEN);
}

static void hs_advance(struct proto_noise_hs *hs)
{
    hs->msg++;
    if (hs->msg == hs->pat->nmsgs)
        hs->phase = PHASE_DONE;
}

static int hs_write_tokens(struct proto_noise_hs *hs, const uint8_t *payload, size_t n,
                           uint8_t *out, size_t cap, size_t *outlen)
{
    const uint8_t *tok = hs->pat->tokens[hs->msg];
    size_t pos = 0, len;
    int rc;

    for (; *tok != TOK_END; tok++) {
        switch (*tok) {
        case TOK_E:
            if (!hs->has_e) {
                randombytes_buf(hs->e_priv, KEYLEN);
                rc = hs_keypair_from(hs->e_pub, hs->e_priv);
                if (rc < 0)
                    return rc;
                hs->has_e = true;
            }
            rc = hs_room(pos, KEYLEN, cap);
            if (rc < 0)
                return rc;
            memcpy(out + pos, hs->e_pub, KEYLEN);
            pos += KEYLEN;
            hs_mix_e(hs, hs->e_pub);
            break;
        case TOK_S:
            if (!hs->has_s)
                return ERR_NOISE;
            rc = hs_room(pos, KEYLEN + (cs_has_key(&hs->cs) ? TAGLEN : 0), cap);
            if (rc < 0)
                return rc;
            rc = ss_encrypt_and_hash(hs, hs->s_pub, KEYLEN, out + pos, &len);
            if (rc < 0)
                return rc;
            pos += len;
            break;
        case TOK_PSK:
            ss_mix_key_and_hash(hs, hs->psk, KEYLEN);
            break;
        default:
            rc = hs_mix_dh(hs, *tok);
            if (rc < 0)
                return rc;
            break;
        }
    }
    rc = hs_room(pos, n, cap);
    if (rc == 0)
        rc = hs_room(pos + n, cs_has_key(&hs->cs) ? TAGLEN : 0, cap);
    if (rc < 0)
        return rc;
    rc = ss_encrypt_and_hash(hs, payload, n, out + pos, &len);
    if (rc < 0)
        return rc;
    *outlen = pos + len;
    return 0;
}

int proto_noise_hs_write(struct proto_noise_hs *hs, const uint8_t *payload, size_t n, uint8_t *out,
                         size_t cap, size_t *outlen)
{
    int rc;

    if (outlen)
        *outlen = 0;
    if (!hs || !outlen || (n && !payload) || (cap && !out))
        return hs ? hs_fail(hs, -EINVAL) : -EINVAL;
    if (hs->phase != PHASE_ACTIVE || !hs_msg_is_ours(hs))
        return hs_fail(hs, ERR_NOISE);
    rc = hs_write_tokens(hs, payload, n, out, cap, outlen);
    if (rc < 0) {
        *outlen = 0;
        return hs_fail(hs, rc);
    }
    hs_advance(hs);
    return 0;
}

static int hs_read_tokens(struct proto_noise_hs *hs, const uint8_t *msg, size_t n, uint8_t *payload,
                          size_t cap, size_t *plen)
{
    const uint8_t *tok = hs->pat->tokens[hs->msg];
    size_t pos = 0, len;
    int rc;

    for (; *tok != TOK_END; tok++) {
        switch (*tok) {
        case TOK_E:
            if (n - pos < KEYLEN || hs->has_re)
                return ERR_NOISE;
            memcpy(hs->re, msg + pos, KEYLEN);
            hs->has_re = true;
            pos += KEYLEN;
            hs_mix_e(hs, hs->re);
            break;
        case TOK_S:
            len = KEYLEN + (cs_has_key(&hs->cs) ? TAGLEN : 0);
            if (n - pos < len || hs->has_rs)
                return ERR_NOISE;
            rc = ss_decrypt_and_hash(hs, msg + pos, len, hs->rs);
            if (rc < 0)
                return rc;
            hs->has_rs = true;
            pos += len;
            break;
        case TOK_PSK:
            ss_mix_key_and_hash(hs, hs->psk, KEYLEN);
            break;
        default:
            rc = hs_mix_dh(hs, *tok);
            if (rc < 0)
                return rc;
            break;
        }
    }
    len = n - pos;
    if (cs_has_key(&hs->cs)) {
        if (len < TAGLEN)
            return ERR_NOISE;
        *plen = len - TAGLEN;
    } else {
        *plen = len;
    }
    if (*plen > cap || (*plen && !payload))
        return -ENOBUFS;
    rc = ss_decrypt_and_hash(hs, msg + pos, len, payload);
    if (rc < 0) {
        *plen = 0;
        return rc;
    }
    return 0;
}

int proto_noise_hs_read(struct proto_noise_hs *hs, const uint8_t *msg, size_t n, uint8_t *payload,
                        size_t cap, size_t *plen)
{
    int rc;

    if (plen)
        *plen = 0;
    if (!hs || !plen || (n && !msg))
        return hs ? hs_fail(hs, -EINVAL) : -EINVAL;
    if (hs->phase != PHASE_ACTIVE || hs_msg_is_ours(hs))
        return hs_fail(hs, ERR_NOISE);
    if (n > PROTO_NOISE_MSG_MAX)
        return hs_fail(hs, ERR_TOOBIG);
    rc = hs_read_tokens(hs, msg, n, payload, cap, plen);
    if (rc < 0) {
        /* Nothing reached payload: the AEAD writes only once the tag verifies. */
        *plen = 0;
        return hs_fail(hs, rc);
    }
    hs_advance(hs);
    return 0;
}

bool proto_noise_hs_can_write(const struct proto_noise_hs *hs)
{
    return hs && hs->phase == PHASE_ACTIVE && hs_msg_is_ours(hs);
}

bool proto_noise_hs_done(const struct proto_noise_hs *hs)
{
    return hs && (hs->phase == PHASE_DONE || hs->phase == PHASE_SPLIT);
}

int proto_noise_hs_remote_static(const struct proto_noise_hs *hs, uint8_t out[32])
{
    if (!hs || !out)
        return -EINVAL;
    memset(out, 0, KEYLEN);
    if (hs->phase == PHASE_DEAD)
        return ERR_NOISE;
    if (!hs->has_rs)
        return -ENOENT;
    memcpy(out, hs->rs, KEYLEN);
    return 0;
}

void proto_noise_hs_hash(const struct proto_noise_hs *hs, uint8_t out[32])
{
    if (!out)
        return;
    if (!hs) {
        memset(out, 0, KEYLEN);
        return;
    }
    memcpy(out, hs->h, KEYLEN); /* zero once dead: hs_fail wipes it */
}

int proto_noise_hs_split(struct proto_noise_hs *hs, struct proto_noise_cs *send,
                         struct proto_noise_cs *recv)
{
    uint8_t out[2 * KEYLEN];

    proto_noise_cs_wipe(send);
    proto_noise_cs_wipe(recv);
    if (!hs || !send || !recv || send == recv)
        return -EINVAL;
    if (hs->phase == PHASE_DEAD)
        return ERR_NOISE;
    if (hs->phase != PHASE_DONE)
        return -EINVAL;
    noise_hkdf(hs->ck, NULL, 0, out, 2);
    cs_init_key(hs->initiator ? send : recv, out);
    cs_init_key(hs->initiator ? recv : send, out + KEYLEN);
    sodium_memzero(out, sizeof out);
    /* The handshake's own keys are no longer needed; h and rs stay for the caller. */
    sodium_memzero(hs->ck, KEYLEN);
    proto_noise_cs_wipe(&hs->cs);
    sodium_memzero(hs->e_priv, KEYLEN);
    sodium_memzero(hs->s_priv, KEYLEN);
    sodium_memzero(hs->psk, KEYLEN);
    hs->phase = PHASE_SPLIT;
    return 0;
}
