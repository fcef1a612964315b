/*
 * The one door to libsodium: hashing, Ed25519 signatures with a domain-separation prefix, device
 * keys in guarded memory, and the sealed key-file format. Only crypto.c includes sodium.h.
 */
#ifndef SAKSI_PROTO_CRYPTO_H
#define SAKSI_PROTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

#define PROTO_PK_LEN  32
#define PROTO_SIG_LEN 64

/* Call once before anything else here; safe to call again. ERR_CRYPTO if libsodium fails. */
int proto_crypto_init(void);

void proto_sha256(const void *p, size_t n, uint8_t out[32]);

/* Streaming SHA-256; the state is opaque (sized and checked against libsodium's in crypto.c). */
struct proto_sha256 {
    _Alignas(8) unsigned char st[112];
};
void proto_sha256_init(struct proto_sha256 *h);
void proto_sha256_update(struct proto_sha256 *h, const void *p, size_t n);
void proto_sha256_final(struct proto_sha256 *h, uint8_t out[32]);

/*
 * HMAC-SHA256 (RFC 2104) under a key of any length over a || b; either part may be empty (its
 * pointer may then be NULL).
 */
void proto_hmac_sha256(const uint8_t *key, size_t klen, const void *a, size_t an, const void *b,
                       size_t bn, uint8_t out[32]);

void proto_random(void *p, size_t n);
/* Guarded memory for secrets (sodium_malloc): NULL on failure; _free wipes, NULL is a no-op. */
void *proto_secure_alloc(size_t n);
void proto_secure_free(void *p);
void proto_memzero(void *p, size_t n);
/* Constant-time equality of n bytes: true when equal. */
bool proto_memeq(const void *a, const void *b, size_t n);

/*
 * A device's keys: Ed25519 for signing its feed, X25519 for the transport handshake. They are
 * independent random keys, never derived from each other. Lives in sodium_malloc memory.
 */
struct proto_keys {
    uint8_t sign_sk[64]; /* libsodium form: seed || public key */
    uint8_t sign_pk[32];
    uint8_t box_sk[32];
    uint8_t box_pk[32];
};

/* Fresh random keys. *out is the caller's; free with proto_keys_free(). -ENOMEM, ERR_CRYPTO. */
int proto_keys_generate(struct proto_keys **out);
/* Wipes and frees; NULL is a no-op. */
void proto_keys_free(struct proto_keys *k);

/*
 * Ed25519 over prefix || msg (the prefix is a domain-separation string such as
 * PROTO_ENTRY_SIG_PREFIX). Sign returns 0 or -ENOMEM; verify returns 0 or ERR_BADSIG.
 */
int proto_sign(const struct proto_keys *k, const void *prefix, size_t plen, const void *msg,
               size_t mlen, uint8_t sig[64]);
int proto_verify(const uint8_t pk[32], const void *prefix, size_t plen, const void *msg,
                 size_t mlen, const uint8_t sig[64]);

/*
 * The device card: a device's two public keys with a signature by its signing key over
 * "saksi-device-v1\0" || sign_pk || box_pk, binding the transport key to the device. Admissions
 * carry it so a device cannot be listed with a transport key it does not hold.
 */
#define PROTO_CARD_PREFIX "saksi-device-v1"
void proto_card_sign(const struct proto_keys *k, uint8_t sig[64]);
int proto_card_verify(const uint8_t sign_pk[32], const uint8_t box_pk[32], const uint8_t sig[64]);

/*
 * Key files (the bytes; the CLI writes them with mode 0600). Plain:
 *   "SAKSIKEY" 0x01 0x00 || ed25519 seed (32) || x25519 secret (32)               = 74 bytes
 * Sealed with a passphrase (Argon2id13 + XSalsa20-Poly1305 secretbox):
 *   "SAKSIKEY" 0x01 0x01 || salt (16) || u64be opslimit || u64be memlimit || nonce (24)
 *   || secretbox(seed || x25519 secret) (64 + 16)                                 = 146 bytes
 * encode appends to out; decode returns ERR_KEYFILE (format), ERR_PASSPHRASE (sealed and the
 * passphrase is missing or wrong) or -ENOMEM. *out is the caller's (proto_keys_free).
 */
int proto_keyfile_encode(const struct proto_keys *k, const char *pass, size_t plen,
                         struct proto_buf *out);
int proto_keyfile_decode(const uint8_t *p, size_t len, const char *pass, size_t plen,
                         struct proto_keys **out);
bool proto_keyfile_is_sealed(const uint8_t *p, size_t len);

/* Network key commitment carried in genesis: SHA-256("saksi-netkey-v1\0" || key). */
void proto_netkey_commit(const uint8_t key[32], uint8_t out[32]);

/*
 * URL-safe base64 without padding (RFC 4648 section 5). encode: out must hold
 * PROTO_B64_LEN(n) bytes (NUL included). decode: 0 and *len, or -EINVAL (a character outside
 * the alphabet, padding, a bad length) or ERR_TOOBIG (more than cap bytes).
 */
#define PROTO_B64_LEN(n) (((n) + 2) / 3 * 4 + 1)
void proto_b64_encode(const uint8_t *p, size_t n, char *out);
int proto_b64_decode(const char *s, uint8_t *out, size_t cap, size_t *len);

/*
 * Standard base64 with padding (RFC 4648 section 4), as C2SP signed notes use it. encode: out
 * must hold PROTO_B64STD_LEN(n) bytes (NUL included). decode reads exactly slen characters and
 * accepts only the one canonical spelling of a value (length a multiple of 4, '=' only as the
 * padding the length calls for, unused bits zero): 0 and *len, -EINVAL otherwise, or ERR_TOOBIG
 * (more than cap bytes).
 */
#define PROTO_B64STD_LEN(n) (((n) + 2) / 3 * 4 + 1)
void proto_b64std_encode(const uint8_t *p, size_t n, char *out);
int proto_b64std_decode(const char *s, size_t slen, uint8_t *out, size_t cap, size_t *len);

/* Lowercase hex; out must hold 2n+1 bytes. Parse returns 0 or -EINVAL (length or digit). */
void proto_hex(const uint8_t *p, size_t n, char *out);
int proto_unhex(const char *s, uint8_t *out, size_t n);

/*
 * XChaCha20-Poly1305-IETF: a 24-byte nonce (random nonces are safe), a 16-byte tag, additional
 * data ad (may be NULL when adlen is 0). Seal writes n + PROTO_AEAD_TAG_LEN bytes to out:
 * ERR_CRYPTO if libsodium refuses. Open reads n >= PROTO_AEAD_TAG_LEN bytes of ciphertext and
 * writes n - PROTO_AEAD_TAG_LEN bytes to out: ERR_NOISE when the tag does not verify (wrong key,
 * nonce or ad, or changed bytes) or n is too short; out is then zeroed. out may equal the input.
 */
#define PROTO_AEAD_KEY_LEN   32
#define PROTO_AEAD_NONCE_LEN 24
#define PROTO_AEAD_TAG_LEN   16
int proto_aead_seal(uint8_t *out, const uint8_t *pt, size_t n, const uint8_t *ad, size_t adlen,
                    const uint8_t nonce[PROTO_AEAD_NONCE_LEN],
                    const uint8_t key[PROTO_AEAD_KEY_LEN]);
int proto_aead_open(uint8_t *out, const uint8_t *ct, size_t n, const uint8_t *ad, size_t adlen,
                    const uint8_t nonce[PROTO_AEAD_NONCE_LEN],
                    const uint8_t key[PROTO_AEAD_KEY_LEN]);

#endif
