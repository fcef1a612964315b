/*
 * The Noise Protocol Framework (revision 34) for saksi's transport: handshakes NN, NNpsk0, XX and
 * XXpsk3 over the fixed suite 25519 / ChaChaPoly / SHA256, and the transport CipherState that
 * Split() hands out. A pure module: it holds no globals, does no I/O and never sees a socket; the
 * caller moves the bytes. saksi's peers speak Noise_XXpsk3_25519_ChaChaPoly_SHA256 (DESIGN.md,
 * "Network"); the other patterns exist for the published test vectors.
 *
 * This header does not include sodium.h: the handshake state is opaque and lives in sodium_malloc
 * memory, and the CipherState is a fixed-size byte array that only noise.c interprets.
 *
 * Errors: -EINVAL (bad arguments or a call that the API contract forbids), -ENOMEM, -ENOBUFS (an
 * output buffer is too small), ERR_TOOBIG (a message would exceed PROTO_NOISE_MSG_MAX), ERR_CRYPTO
 * (libsodium failure) and ERR_NOISE (a message that is too short or fails authentication, a
 * zero Diffie-Hellman output, a message out of turn, an exhausted nonce, a dead handshake).
 */
#ifndef SAKSI_PROTO_NOISE_H
#define SAKSI_PROTO_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_NOISE_KEY_LEN 32    /* X25519 keys, PSK, ChaChaPoly key, SHA-256 output */
#define PROTO_NOISE_TAG_LEN 16    /* Poly1305 tag */
#define PROTO_NOISE_MSG_MAX 65535 /* Noise's limit for any message, handshake or transport */
/* The largest plaintext that fits one transport message. */
#define PROTO_NOISE_PLAIN_MAX (PROTO_NOISE_MSG_MAX - PROTO_NOISE_TAG_LEN)

enum proto_noise_pattern {
    PROTO_NOISE_NN,     /* -> e / <- e, ee */
    PROTO_NOISE_NNPSK0, /* -> psk, e / <- e, ee */
    PROTO_NOISE_XX,     /* -> e / <- e, ee, s, es / -> s, se */
    PROTO_NOISE_XXPSK3, /* XX with psk at the end of the third message: saksi's handshake */
};

/*
 * A CipherState: key (32), nonce (64-bit counter) and whether a key is set. Opaque bytes, laid out
 * by noise.c. It holds a secret key: keep it in memory the caller wipes, and call
 * proto_noise_cs_wipe() when done with it. An all-zero value is a CipherState with no key.
 */
struct proto_noise_cs {
    unsigned char st[48];
};

/* Handshake state: opaque, in sodium_malloc memory. */
struct proto_noise_hs;

/*
 * Starts a handshake as initiator or responder. The prologue (plen bytes, NULL when plen is 0) is
 * mixed into the transcript and must equal the peer's. s_priv is the local static X25519 private
 * key: required by XX and XXpsk3, NULL for NN and NNpsk0. psk is the 32-byte pre-shared key:
 * required by NNpsk0 and XXpsk3, NULL for the others. Both are copied, never kept.
 * Ephemeral keys are drawn at random when the first "e" token is written.
 * *out is the caller's; free with proto_noise_hs_free(). On failure *out is NULL.
 * -EINVAL (unknown pattern, a key missing or given where the pattern has no use for it), -ENOMEM,
 * ERR_CRYPTO.
 */
int proto_noise_hs_new(struct proto_noise_hs **out, enum proto_noise_pattern p, bool initiator,
                       const uint8_t *prologue, size_t plen, const uint8_t s_priv[32],
                       const uint8_t psk[32]);
/* Wipes every secret and frees; NULL is a no-op. */
void proto_noise_hs_free(struct proto_noise_hs *hs);

/*
 * Test hook: fixes the local ephemeral private key instead of a random one (for test vectors and
 * deterministic fuzzing). Only before the local "e" token has been written: -EINVAL afterwards
 * or on a dead handshake. Never use it in production: a reused ephemeral key breaks Noise.
 */
int proto_noise_hs_set_ephemeral(struct proto_noise_hs *hs, const uint8_t e_priv[32]);

/*
 * Writes the next handshake message, carrying payload (n bytes; NULL when n is 0), into out
 * (cap bytes; PROTO_NOISE_MSG_MAX always suffices). *outlen is the message length, 0 on failure.
 * payload and out must not overlap. A payload is only as safe as the keys mixed in so far: the
 * first message of NN and XX goes in clear text, and in XXpsk3 it is encrypted under a key that
 * derives from public values only (a PSK pattern's e token keys the cipher), so it is neither
 * secret nor authenticated. saksi's first payload therefore carries nothing confidential.
 * ERR_NOISE when it is the peer's turn or the handshake is finished or dead; -ENOBUFS, ERR_TOOBIG,
 * ERR_CRYPTO. Any failure kills the handshake: its secrets are wiped and every later call fails.
 */
int proto_noise_hs_write(struct proto_noise_hs *hs, const uint8_t *payload, size_t n, uint8_t *out,
                         size_t cap, size_t *outlen);

/*
 * Reads the peer's next handshake message msg (n bytes) and copies its decrypted payload into
 * payload (cap bytes; NULL when cap is 0). *plen is the payload length, 0 on failure. msg and
 * payload must not overlap.
 * ERR_NOISE (out of turn, finished or dead handshake, truncated message, failed authentication,
 * zero DH output), ERR_TOOBIG (n > PROTO_NOISE_MSG_MAX), -ENOBUFS (payload does not fit),
 * ERR_CRYPTO. Any failure kills the handshake, as for proto_noise_hs_write().
 */
int proto_noise_hs_read(struct proto_noise_hs *hs, const uint8_t *msg, size_t n, uint8_t *payload,
                        size_t cap, size_t *plen);

/* true when the next handshake step is ours to write (false once finished or dead). */
bool proto_noise_hs_can_write(const struct proto_noise_hs *hs);
/* true once every handshake message has been written or read successfully. */
bool proto_noise_hs_done(const struct proto_noise_hs *hs);

/*
 * The peer's static public key, once its "s" token has been read (XX: message 2 for the
 * initiator, message 3 for the responder). It is authenticated only when the handshake is done.
 * -ENOENT before then or when the pattern has none, ERR_NOISE on a dead handshake.
 */
int proto_noise_hs_remote_static(const struct proto_noise_hs *hs, uint8_t out[32]);

/*
 * The handshake hash h: once the handshake is done, a unique identifier of this session for
 * channel binding (both sides see the same value). All zero on a dead handshake.
 */
void proto_noise_hs_hash(const struct proto_noise_hs *hs, uint8_t out[32]);

/*
 * Split(): derives the two transport CipherStates. The initiator sends with the first and the
 * responder with the second; each side gets its own send and receive states. Once only, when the
 * handshake is done; the chaining key is wiped afterwards (hash and remote static stay readable).
 * -EINVAL when not done or already split, ERR_NOISE on a dead handshake. On failure send and
 * recv are wiped.
 */
int proto_noise_hs_split(struct proto_noise_hs *hs, struct proto_noise_cs *send,
                         struct proto_noise_cs *recv);

/* InitializeKey(): key k (copied) and nonce 0. For tests and keys derived outside a handshake. */
void proto_noise_cs_init_key(struct proto_noise_cs *cs, const uint8_t k[32]);
/* Wipes the key and nonce; the state then has no key. */
void proto_noise_cs_wipe(struct proto_noise_cs *cs);

/*
 * Transport encryption with associated data ad (adlen bytes, may be NULL when 0): writes
 * n + PROTO_NOISE_TAG_LEN bytes to out (cap bytes) and advances the nonce. out may equal
 * plaintext (in place) but must not overlap it otherwise. *outlen is 0 on failure.
 * -EINVAL (no key), -ENOBUFS, ERR_TOOBIG (n > PROTO_NOISE_PLAIN_MAX), ERR_NOISE (nonce
 * exhausted: 2^64 - 1 is reserved, so a CipherState encrypts at most 2^64 - 1 messages).
 */
int proto_noise_cs_encrypt(struct proto_noise_cs *cs, const uint8_t *ad, size_t adlen,
                           const uint8_t *plaintext, size_t n, uint8_t *out, size_t cap,
                           size_t *outlen);

/*
 * Transport decryption: ciphertext (n bytes, tag included) to out (n - PROTO_NOISE_TAG_LEN bytes
 * written), advancing the nonce on success only. out may equal ciphertext. On failure nothing is
 * written to out and the state is unchanged; a stream transport should then close.
 * -EINVAL (no key), -ENOBUFS, ERR_TOOBIG (n > PROTO_NOISE_MSG_MAX), ERR_NOISE (shorter than a tag,
 * failed authentication, nonce exhausted).
 */
int proto_noise_cs_decrypt(struct proto_noise_cs *cs, const uint8_t *ad, size_t adlen,
                           const uint8_t *ciphertext, size_t n, uint8_t *out, size_t cap,
                           size_t *outlen);

/*
 * Rekey(): k = the first 32 bytes of ENCRYPT(k, 2^64 - 1, empty, 32 zero bytes). The nonce is
 * unchanged. Both sides must rekey at the same point of the stream. -EINVAL (no key), ERR_CRYPTO.
 */
int proto_noise_cs_rekey(struct proto_noise_cs *cs);

/* SetNonce(): for tests (nonce exhaustion) and out-of-order transports only. -EINVAL (no key). */
int proto_noise_cs_set_nonce(struct proto_noise_cs *cs, uint64_t nonce);

#endif
