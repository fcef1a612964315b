/*
 * Invites and join requests (docs/PROTOCOL.md, "Joining"). A pengurus device signs an invite
 * token naming the ledger, itself (both keys), the new device (both keys, from its device card),
 * an expiry and optionally the member number and role it is meant for. The invite code that
 * travels to the new device is one line: the token, the network key and an address to dial.
 * With the token the new device passes the handshake's roster check as a guest: it receives
 * genesis and the roster and may submit one join request (signed by its own device key), and
 * nothing more until the board admits it. Pure encoders, decoders and checks.
 */
#ifndef SAKSI_PROTO_INVITE_H
#define SAKSI_PROTO_INVITE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/crypto.h"

/* Signature domains (the NUL is part of each prefix). */
#define PROTO_INVITE_SIG_PREFIX "saksi-invite-v1"
#define PROTO_JOIN_SIG_PREFIX   "saksi-join-v1"
/* The code's text prefix; the rest is URL-safe base64 without padding. */
#define PROTO_INVITE_CODE_PREFIX "saksi-invite:"
#define PROTO_INVITE_VERSION     1
#define PROTO_INVITE_TOKEN_MAX   512 /* bytes of a token on the wire */
#define PROTO_INVITE_ADDR_MAX    47  /* "ADDR:PORT" in a code */
#define PROTO_INVITE_CODE_MAX    1200
#define PROTO_JOIN_NOTE_MAX      200 /* bytes of UTF-8 */
#define PROTO_JOIN_MAX           700 /* bytes of a join request on the wire */

/*
 * Token = [body, sig]: body (bin) is the canonical msgpack array
 *   [1, ledger, inviter_sign_pk, inviter_box_pk, device_sign_pk, device_box_pk, expires,
 *    member, role]
 * (keys and ledger bin 32; expires unix seconds; member 0 = not stated; role 0 = not stated,
 * else a PROTO_ROLE_*), sig (bin 64) = Ed25519 by inviter_sign_pk over
 * "saksi-invite-v1\0" || body.
 */
struct proto_invite {
    uint8_t ledger[32];
    uint8_t inviter_sign_pk[32];
    uint8_t inviter_box_pk[32];
    uint8_t device_sign_pk[32];
    uint8_t device_box_pk[32];
    uint64_t expires;
    uint32_t member;
    uint8_t role;
};

/* Signs inv with the inviter's keys (which must match inviter_*_pk: -EINVAL otherwise) and
 * appends the token to out. -ENOMEM. */
int proto_invite_sign(const struct proto_keys *inviter, const struct proto_invite *inv,
                      struct proto_buf *out);
/* Decodes a token and verifies its signature: the scanner's codes, ERR_BADFRAME (shape),
 * ERR_VERSION, ERR_BADSIG. On failure *inv is zeroed. Who may invite is the caller's check. */
int proto_invite_parse(const uint8_t *p, size_t n, struct proto_invite *inv);
/*
 * The checks a responder makes of a parsed token presented in a handshake: for this ledger
 * (ERR_LEDGER), naming the device that completed the handshake (ERR_AUTHORITY) and not expired
 * at now (ERR_EXPIRED). That the inviter is a pengurus device in good standing is the roster's.
 */
int proto_invite_check(const struct proto_invite *inv, const uint8_t ledger[32],
                       const uint8_t sign_pk[32], const uint8_t box_pk[32], uint64_t now);

/*
 * The invite code: "saksi-invite:" then base64url of
 *   msgpack [1, network_key (bin 32), address (str "ADDR:PORT"), token (bin)] || check
 * where check is the first 4 bytes of SHA-256 of the msgpack (catches a damaged copy).
 */
struct proto_invite_code {
    uint8_t netkey[32];
    char addr[PROTO_INVITE_ADDR_MAX + 1];
    uint8_t token[PROTO_INVITE_TOKEN_MAX];
    size_t token_len;
    struct proto_invite inv; /* the token, parsed and its signature verified */
};
/* *out is a new NUL-terminated string (free()). -EINVAL (address), -ENOMEM, ERR_TOOBIG. */
int proto_invite_code_encode(const uint8_t netkey[32], const char *addr, const uint8_t *token,
                             size_t token_len, char **out);
/* Leading and trailing white space is ignored. ERR_INVITE for anything that is not a whole,
 * undamaged code, else the token's codes (ERR_BADSIG, ERR_VERSION). The caller wipes c. */
int proto_invite_code_decode(const char *s, struct proto_invite_code *c);

/*
 * Join request = [body, sig]: body (bin) is the canonical msgpack array
 *   [1, ledger, device_sign_pk, device_box_pk, card_sig, member, time, note]
 * (card_sig: the device card's signature binding the two keys; member 0 = not stated; time unix
 * seconds; note str up to PROTO_JOIN_NOTE_MAX bytes, e.g. "HP Bu Siti"), sig (bin 64) by
 * device_sign_pk over "saksi-join-v1\0" || body. It carries no personal data beyond the note.
 */
struct proto_join {
    uint8_t ledger[32];
    uint8_t sign_pk[32];
    uint8_t box_pk[32];
    uint8_t card_sig[64];
    uint32_t member;
    uint64_t time;
    char note[PROTO_JOIN_NOTE_MAX + 1];
};
/* Fills sign_pk, box_pk and card_sig from k, signs, appends. -EINVAL (note too long or not
 * UTF-8), -ENOMEM. */
int proto_join_sign(const struct proto_keys *k, struct proto_join *j, struct proto_buf *out);
/* Decodes and verifies both signatures: the scanner's codes, ERR_BADFRAME, ERR_VERSION,
 * ERR_UTF8, ERR_BADSIG. On failure *j is zeroed. */
int proto_join_parse(const uint8_t *p, size_t n, struct proto_join *j);

#endif
