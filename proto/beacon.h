/*
 * LAN beacons: the UDP datagrams by which saksid nodes of one koperasi on one network find each
 * other with no internet. Only holders of the ledger's network key can read or forge one. Pure
 * functions: the node (node/disc.c) does the sockets, the clock and the peer table.
 *
 * The beacon key is K = HMAC-SHA256(key = network key, "saksi-beacon-v1\0" || ledger id), the
 * label's 15 ASCII bytes and its NUL, like saksi's other domain labels. A datagram is
 *   "SKB1" (4) || nonce (24, random) || XChaCha20-Poly1305-IETF(K, nonce, AD = "SKB1", plaintext)
 * where the plaintext is the canonical msgpack array
 *   [version = 1, listen_port (1..65535), sign_pk (bin 32), unix time in seconds (uint)]
 * and the whole datagram is at most PROTO_BEACON_MAX bytes (a real one takes 82 to 92).
 */
#ifndef SAKSI_PROTO_BEACON_H
#define SAKSI_PROTO_BEACON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

#define PROTO_BEACON_MAGIC     "SKB1"
#define PROTO_BEACON_MAGIC_LEN 4
#define PROTO_BEACON_NONCE_LEN 24
#define PROTO_BEACON_TAG_LEN   16
/* Magic, nonce and tag: a datagram shorter than this cannot be a beacon. */
#define PROTO_BEACON_OVERHEAD                                                                      \
    (PROTO_BEACON_MAGIC_LEN + PROTO_BEACON_NONCE_LEN + PROTO_BEACON_TAG_LEN)
#define PROTO_BEACON_MAX       128 /* longer datagrams are refused before any decryption */
#define PROTO_BEACON_VERSION   1
#define PROTO_BEACON_NFIELDS   4
#define PROTO_BEACON_KEY_LABEL "saksi-beacon-v1"
/* A receiver ignores beacons whose time is further than this from its own clock. */
#define PROTO_BEACON_SKEW_S 600

/* What a beacon says: the sender's device, where it listens for peers (TCP), and when. */
struct proto_beacon {
    uint16_t port;       /* 1..65535 */
    uint8_t sign_pk[32]; /* the sender's device signing key */
    uint64_t time;       /* unix time in seconds when it was sealed */
};

/* K = HMAC-SHA256(netkey, PROTO_BEACON_KEY_LABEL || ledger). key is secret: keep it in
 * proto_secure_alloc memory or wipe it after use. */
void proto_beacon_key(const uint8_t netkey[32], const uint8_t ledger[32], uint8_t key[32]);

/*
 * The plaintext. Encode appends the canonical array to out: -EINVAL for port 0, -ENOMEM (out is
 * then as it was). Decode is strict: the scanner's codes (ERR_TRUNC, ERR_NONCANON, ERR_TYPE,
 * ERR_UTF8, ERR_DEPTH, ERR_BADFRAME for trailing bytes), ERR_BADFRAME (not an array of
 * PROTO_BEACON_NFIELDS, a field of another type, a sign_pk that is not 32 bytes, a port of 0 or
 * above 65535), ERR_VERSION (a version other than PROTO_BEACON_VERSION), ERR_TOOBIG (more than
 * PROTO_BEACON_MAX bytes), -ENOMEM. On failure *b is zeroed. Whatever decodes re-encodes to the
 * same bytes.
 */
int proto_beacon_encode(const struct proto_beacon *b, struct proto_buf *out);
int proto_beacon_decode(const uint8_t *p, size_t n, struct proto_beacon *b);

/*
 * Seals b under key K with a fresh random nonce into out (PROTO_BEACON_MAX bytes of room); *len
 * is the datagram's size. -EINVAL for port 0, -ENOMEM, ERR_CRYPTO. On failure *len is 0.
 */
int proto_beacon_seal(const uint8_t key[32], const struct proto_beacon *b,
                      uint8_t out[PROTO_BEACON_MAX], size_t *len);
/* The same with a given nonce: for test vectors and the fuzz target only. A nonce must never be
 * used twice under one key. */
int proto_beacon_seal_nonce(const uint8_t key[32], const uint8_t nonce[PROTO_BEACON_NONCE_LEN],
                            const struct proto_beacon *b, uint8_t out[PROTO_BEACON_MAX],
                            size_t *len);

/*
 * Opens a received datagram p[0..n) with key K. Checks in this order, each with its own code:
 * ERR_TOOBIG (more than PROTO_BEACON_MAX bytes), ERR_TRUNC (shorter than
 * PROTO_BEACON_OVERHEAD), ERR_VERSION (the magic is not "SKB1"), ERR_NOISE (authentication
 * failed: another network key or ledger, or a changed byte), then proto_beacon_decode's codes for
 * the plaintext. On failure *b is zeroed. The time is not checked here: see
 * proto_beacon_fresh().
 */
int proto_beacon_open(const uint8_t key[32], const uint8_t *p, size_t n, struct proto_beacon *b);

/* true when the beacon's time is within PROTO_BEACON_SKEW_S seconds of now_s (either way). */
bool proto_beacon_fresh(const struct proto_beacon *b, uint64_t now_s);

#endif
