/*
 * saksid's wire protocol (docs/PROTOCOL.md is the authority): the handshake gate and hello
 * payload, and the messages exchanged inside Noise transport frames after the handshake. Pure
 * encoders and decoders; the node does the I/O.
 *
 * On TCP every frame is a u16be length L (1..65535) followed by L bytes. The first frame from
 * the initiator is gate(32) || Noise message 1, where gate = HMAC-SHA256(network_key,
 * prologue || e) and e is the first 32 bytes of Noise message 1: a responder that cannot verify
 * it closes the connection without answering. After the XXpsk3 handshake every frame is one
 * ChaChaPoly ciphertext whose plaintext is one message: a msgpack array [type, fields...].
 */
#ifndef SAKSI_PROTO_WIRE_H
#define SAKSI_PROTO_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/invite.h"

#define PROTO_WIRE_VERSION     2
#define PROTO_WIRE_FRAME_MAX   65535 /* bytes after the length prefix */
#define PROTO_WIRE_PLAIN_MAX   65519 /* a transport frame's plaintext (65535 - 16-byte tag) */
#define PROTO_WIRE_GATE_LEN    32
#define PROTO_WIRE_REKEY_EVERY 65536 /* messages per direction between rekeys */
/* The Noise prologue: "saksi/1" NUL, then the 32-byte ledger id. */
#define PROTO_WIRE_PROLOGUE_TAG "saksi/1"
#define PROTO_WIRE_PROLOGUE_LEN (8 + 32)
/*
 * Frontier rows per FRONTIER message, so that one always fits in a frame (700 rows of the
 * largest form take 54,606 bytes).
 */
#define PROTO_WIRE_FRONTIER_CHUNK 700
/* The most bytes of an ERROR's text (valid UTF-8, no NUL). */
#define PROTO_WIRE_TEXT_MAX 200
/* The hello's protocol versions: 1..PROTO_WIRE_VERSION_MAX, min <= max. */
#define PROTO_WIRE_VERSION_MAX 65535

enum proto_msg_type {
    PROTO_MSG_FRONTIER = 1, /* [1, [[author, length, last_id], ...], final] */
    PROTO_MSG_ENTRIES = 2,  /* [2, [entry bytes, ...]] */
    PROTO_MSG_ACK = 3,      /* [3, messages] ENTRIES messages committed, since the last ACK */
    PROTO_MSG_ERROR = 4,    /* [4, code, text] a complaint; the sender may close */
    PROTO_MSG_BYE = 5,      /* [5, reason] an orderly goodbye */
    PROTO_MSG_PING = 6,     /* [6] */
    PROTO_MSG_PONG = 7,     /* [7] */
    PROTO_MSG_ADDRS = 8,    /* [8, [[host, port, sign_pk], ...]] where devices listen */
    PROTO_MSG_ROSTER = 9,   /* [9, [[sign_pk, box_pk, member, role, revoked], ...], final] */
    PROTO_MSG_JOIN = 10,    /* [10, join request] a guest's request to be admitted */
    PROTO_MSG_JOINED = 11,  /* [11, code] the join request was stored (0) or refused */
    PROTO_MSG_PRUNE = 12,   /* [12] stop pushing new entries to me at once; I tell you mine */
    PROTO_MSG_GRAFT = 13,   /* [13] push new entries to me at once again */
};

/* BYE reasons (a receiver closes whatever the reason; they are for its log). */
enum proto_bye_reason {
    PROTO_BYE_SHUTDOWN = 0,  /* the node is stopping */
    PROTO_BYE_DUPLICATE = 1, /* a second connection between the same two devices */
    PROTO_BYE_ADMITTED = 2,  /* a guest was admitted: reconnect as a member */
    PROTO_BYE_REVOKED = 3,   /* the peer's device was revoked */
};

/* ADDRS rows per message; a host is an IPv4 literal, or "" for the sender itself at the
 * address the receiver sees it connect from. */
#define PROTO_WIRE_ADDRS_MAX 16
#define PROTO_WIRE_HOST_MAX  15
/* ROSTER rows per message (500 rows of the largest form and the envelope take 38,006 bytes). */
#define PROTO_WIRE_ROSTER_CHUNK 500

struct proto_addr_row {
    char host[PROTO_WIRE_HOST_MAX + 1];
    uint16_t port; /* 1..65535 */
    uint8_t sign_pk[32];
};

struct proto_roster_row {
    uint8_t sign_pk[32];
    uint8_t box_pk[32];
    uint32_t member;
    uint8_t role; /* PROTO_ROLE_*, 1..4 */
    bool revoked;
};

/*
 * "A.B.C.D:PORT": an IPv4 literal (dotted quad, parts 0..255 without leading zeros, as in
 * ADDRS) and a decimal port 0..65535. host receives the address as text. 0 or -EINVAL. Every
 * address saksi reads (command line, saksid.conf, invite codes) goes through this one parser.
 */
int proto_addr_parse(const char *s, char host[PROTO_WIRE_HOST_MAX + 1], int *port);

/* The prologue for a ledger. out: PROTO_WIRE_PROLOGUE_LEN bytes. */
void proto_wire_prologue(const uint8_t ledger[32], uint8_t out[PROTO_WIRE_PROLOGUE_LEN]);

/* gate = HMAC-SHA256(network_key, prologue || e). Verify is constant-time: 0 or ERR_BADFRAME. */
void proto_wire_gate(const uint8_t netkey[32], const uint8_t prologue[PROTO_WIRE_PROLOGUE_LEN],
                     const uint8_t e[32], uint8_t out[32]);
int proto_wire_gate_verify(const uint8_t netkey[32],
                           const uint8_t prologue[PROTO_WIRE_PROLOGUE_LEN], const uint8_t e[32],
                           const uint8_t gate[32]);

/*
 * The hello carried in Noise messages 2 and 3: [version_min, version_max, device sign_pk], each
 * version 1..PROTO_WIRE_VERSION_MAX and min <= max, and a fourth element, an invite token (bin,
 * 1..PROTO_INVITE_TOKEN_MAX bytes), when a device that is not on the roster yet joins with an
 * invite. Encode appends it: -EINVAL for bad versions or token size, -ENOMEM. Decode: the
 * scanner's codes, ERR_BADFRAME (arity, field types, versions); on failure *h is zeroed.
 * Choosing a common version, and checking the token, are the caller's.
 */
struct proto_hello {
    uint32_t version_min;
    uint32_t version_max;
    uint8_t sign_pk[32];
    size_t token_len; /* 0: no invite */
    uint8_t token[PROTO_INVITE_TOKEN_MAX];
};
int proto_hello_encode(const struct proto_hello *h, struct proto_buf *out);
int proto_hello_decode(const uint8_t *p, size_t n, struct proto_hello *h);

struct proto_frontier_row {
    uint8_t author[32];
    uint64_t length;
    uint8_t last_id[32];
};

/*
 * A decoded message. Pointers borrow the decoded bytes (which must outlive the message);
 * rows and entries are arrays of n elements inside msg, and the message owns no memory: rows
 * are copied into the fixed array, entries point into the input. The error text is
 * NUL-terminated. The struct is about 50 KB: keep it off small stacks.
 */
#define PROTO_WIRE_ENTRIES_MAX 1024
struct proto_msg {
    uint32_t type;
    union {
        struct {
            uint32_t n;
            bool final;
            struct proto_frontier_row rows[PROTO_WIRE_FRONTIER_CHUNK];
        } frontier;
        struct {
            uint32_t n;
            const uint8_t *p[PROTO_WIRE_ENTRIES_MAX];
            size_t len[PROTO_WIRE_ENTRIES_MAX];
        } entries;
        struct {
            uint64_t messages;
        } ack;
        struct {
            uint32_t code;
            char text[PROTO_WIRE_TEXT_MAX + 1];
        } error;
        struct {
            uint32_t reason;
        } bye;
        struct {
            uint32_t n;
            struct proto_addr_row rows[PROTO_WIRE_ADDRS_MAX];
        } addrs;
        struct {
            uint32_t n;
            bool final;
            struct proto_roster_row rows[PROTO_WIRE_ROSTER_CHUNK];
        } roster;
        struct {
            const uint8_t *p; /* the join request's bytes (proto_join_parse) */
            size_t len;
        } join;
        struct {
            uint32_t code;
        } joined;
    } u;
};

/*
 * Decodes one message plaintext (the scanner checks it first). Errors: ERR_TOOBIG (more than
 * PROTO_WIRE_PLAIN_MAX bytes), the scanner's codes (ERR_TRUNC, ERR_NONCANON, ERR_TYPE, ERR_UTF8,
 * ERR_DEPTH, ERR_BADFRAME for trailing bytes), ERR_BADFRAME (unknown type, wrong arity or field
 * types, an integer out of its field's range, more than PROTO_WIRE_FRONTIER_CHUNK rows, ENTRIES
 * with 0 or more than PROTO_WIRE_ENTRIES_MAX entries, an ERROR text over PROTO_WIRE_TEXT_MAX
 * bytes or holding a NUL), -ENOMEM. On failure m->type is 0 and the rest is unspecified. An entry
 * inside ENTRIES is only bounds-checked here (1..PROTO_ENTRY_MAX bytes); parse and verify it
 * like any other untrusted entry. Whatever decodes re-encodes to the same bytes.
 */
int proto_msg_decode(const uint8_t *p, size_t n, struct proto_msg *m);

/*
 * Encoders append one message plaintext to out; on failure out is as it was. -ENOMEM, or
 * ERR_TOOBIG if it would exceed PROTO_WIRE_PLAIN_MAX (for ENTRIES the caller adds entries while
 * proto_msg_entries_room says they fit). FRONTIER: ERR_TOOBIG for more than
 * PROTO_WIRE_FRONTIER_CHUNK rows. ERROR: -EINVAL for a NULL text, ERR_TOOBIG for more than
 * PROTO_WIRE_TEXT_MAX bytes, ERR_UTF8 if it is not valid UTF-8.
 */
int proto_msg_frontier(struct proto_buf *out, const struct proto_frontier_row *rows, uint32_t n,
                       bool final);
/*
 * ENTRIES is built in steps, and nothing else may append to out in between: begin (appends the
 * message head with a 3-byte array header, room for up to PROTO_WIRE_ENTRIES_MAX), add each
 * entry, end (writes the final count in the shortest header, moving the entries down 2 bytes
 * when there are at most 15). room is exact: true when an entry of entry_len bytes can be added
 * and the finished message still fits PROTO_WIRE_PLAIN_MAX; false when the message is full, and
 * for lengths no message carries (0 or more than PROTO_ENTRY_MAX). add: ERR_TOOBIG when room
 * is false (-EINVAL for length 0 or a NULL entry), -ENOMEM; the message is unchanged on
 * failure. end: -EINVAL with no entries (an empty ENTRIES is invalid), and out is then truncated
 * back to where begin found it. After end, or a failed begin (-ENOMEM), the builder is spent:
 * room is false and add and end return -EINVAL.
 */
struct proto_msg_builder {
    struct proto_buf *out;
    size_t start;
    uint32_t n;
};
int proto_msg_entries_begin(struct proto_msg_builder *b, struct proto_buf *out);
bool proto_msg_entries_room(const struct proto_msg_builder *b, size_t entry_len);
int proto_msg_entries_add(struct proto_msg_builder *b, const uint8_t *entry, size_t len);
int proto_msg_entries_end(struct proto_msg_builder *b);
int proto_msg_ack(struct proto_buf *out, uint64_t messages);
int proto_msg_error(struct proto_buf *out, uint32_t code, const char *text);
int proto_msg_bye(struct proto_buf *out, uint32_t reason);
int proto_msg_ping(struct proto_buf *out);
/* ADDRS: ERR_TOOBIG over PROTO_WIRE_ADDRS_MAX rows, -EINVAL for a host that is not "" or an
 * IPv4 literal, or port 0. ROSTER: ERR_TOOBIG over PROTO_WIRE_ROSTER_CHUNK rows, -EINVAL for a
 * role outside 1..4. JOIN: -EINVAL for 0 or more than PROTO_JOIN_MAX bytes. */
int proto_msg_addrs(struct proto_buf *out, const struct proto_addr_row *rows, uint32_t n);
int proto_msg_roster(struct proto_buf *out, const struct proto_roster_row *rows, uint32_t n,
                     bool final);
int proto_msg_join(struct proto_buf *out, const uint8_t *req, size_t len);
int proto_msg_joined(struct proto_buf *out, uint32_t code);
int proto_msg_prune(struct proto_buf *out);
int proto_msg_graft(struct proto_buf *out);
int proto_msg_pong(struct proto_buf *out);

#endif
