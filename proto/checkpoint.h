/*
 * Checkpoints (docs/FORMATS.md 10.2-10.5): a C2SP checkpoint body stating a frontier of the
 * ledger, signed as a C2SP signed note by its author's device (type 0x01) and cosigned by other
 * devices (cosignature/v1, type 0x04). Pure functions: the body's text form, its relation to a
 * frontier, the consistency of two checkpoints, the key names of devices, which signature lines
 * verify, and whether the cosigners make a quorum; plus the bodies of the two entry kinds that
 * record checkpoints (80) and cosignatures (81) on the ledger.
 *
 * The body is exactly four lines:
 *   saksi.ledger/<ledger id, 64 lowercase hex>
 *   <entry count: the sum of the frontier's feed lengths, decimal>
 *   <ledger head over the frontier, standard base64 of 32 bytes>
 *   frontier <frontier digest, standard base64 of 32 bytes>
 */
#ifndef SAKSI_PROTO_CHECKPOINT_H
#define SAKSI_PROTO_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/close.h"
#include "proto/ledger.h"
#include "proto/note.h"

#define PROTO_CKPT_ORIGIN_PREFIX "saksi.ledger/"
#define PROTO_CKPT_KEY_PREFIX    "saksi-device/"
/* "saksi-device/" + 64 hex digits */
#define PROTO_CKPT_KEY_NAME_LEN (sizeof PROTO_CKPT_KEY_PREFIX - 1 + 64)
#define PROTO_CKPT_TEXT_MAX     256 /* bytes in a checkpoint body (a real one has about 190) */

enum proto_ckpt_kind {
    PROTO_KIND_CHECKPOINT = 80,
    PROTO_KIND_COSIGN = 81,
};

struct proto_checkpoint {
    uint8_t ledger[32];
    uint64_t size;        /* entries in the frontier */
    uint8_t head[32];     /* ledger head over the frontier (FORMATS 5.5) */
    uint8_t frontier[32]; /* frontier digest (FORMATS 3.10.4) */
};

/* Appends the body text (four lines, final newline included). -ENOMEM. */
int proto_checkpoint_format(const struct proto_checkpoint *c, struct proto_buf *out);
/* Parses a body text strictly (exactly the four lines above, canonical base64, no leading
 * zeros). 0 or ERR_CHECKPOINT; *c is zeroed on failure. */
int proto_checkpoint_parse(const char *text, size_t len, struct proto_checkpoint *c);

/* One non-empty feed of a frontier, as a checkpoint needs it. */
struct proto_ckpt_feed {
    uint8_t author[32];
    uint64_t length;  /* >= 1 */
    uint8_t root[32]; /* the feed tree's root at length */
    uint8_t last[32]; /* the id of the entry at length */
};

/*
 * The checkpoint of frontier f[0..n) (strictly ascending by author, every length >= 1) of
 * ledger: size = sum of lengths, head, frontier digest. -EINVAL (order, a zero length),
 * ERR_CHECKPOINT (the size overflows 64 bits), -ENOMEM.
 */
int proto_checkpoint_compute(const uint8_t ledger[32], const struct proto_ckpt_feed *f, size_t n,
                             struct proto_checkpoint *out);
/* 0 when f[0..n) is the frontier c states, else ERR_CHECKPOINT (or -EINVAL, -ENOMEM as above). */
int proto_checkpoint_match(const struct proto_checkpoint *c, const struct proto_ckpt_feed *f,
                           size_t n);

/* An RFC 6962 consistency proof of one feed (FORMATS 5.3), borrowed. */
struct proto_ckpt_cproof {
    const uint8_t (*path)[32];
    size_t len;
};

/*
 * Whether checkpoint b extends checkpoint a: both name the same ledger, each frontier matches its
 * checkpoint, and every feed of a's frontier is a prefix of the same feed in b's, as
 * proofs[i] (the consistency proof from af[i]'s length to that feed's length in bf) shows.
 * Returns 0; ERR_LEDGER (other ledgers); ERR_CHECKPOINT (a frontier does not match its
 * checkpoint; *bad is SIZE_MAX); ERR_REGRESS (feed *bad of a is missing from b or longer there);
 * ERR_PROOF (feed *bad's proof does not verify); -EINVAL, -ENOMEM. bad may be NULL. A fork,
 * which could justify a difference (DESIGN "Merkle trees"), is not considered here.
 */
int proto_checkpoint_consistent(const struct proto_checkpoint *a, const struct proto_ckpt_feed *af,
                                size_t an, const struct proto_checkpoint *b,
                                const struct proto_ckpt_feed *bf, size_t bn,
                                const struct proto_ckpt_cproof *proofs, size_t *bad);

/* The key name of a device in checkpoint notes: "saksi-device/" + hex sign_pk, NUL-terminated.
 * out holds PROTO_CKPT_KEY_NAME_LEN + 1 bytes. */
void proto_checkpoint_key_name(const uint8_t pk[32], char *out);

/* A device that may sign: its key, member number and role (from the roster). */
struct proto_ckpt_device {
    uint8_t pk[32];
    uint32_t member;
    uint8_t role; /* enum proto_role */
};

/* A verified signature line of a checkpoint note. */
struct proto_ckpt_signer {
    size_t line;   /* index in the note's signature lines */
    size_t device; /* index in the devices given */
    uint8_t type;  /* PROTO_NOTE_ED25519 or PROTO_NOTE_COSIG */
    uint64_t time; /* cosignature time, 0 for type 0x01 */
};

/*
 * Verifies the signature lines of note n made by devices dev[0..ndev): a line whose name is a
 * device's key name and whose key id is that device's for type 0x01 or 0x04. Lines by other keys
 * are ignored (signed-note rules); those named like a saksi device but whose device is not in
 * dev are counted in *unknown (may be NULL). out[0..*nout) gets one record per verified line, in
 * line order (out has room for PROTO_NOTE_SIGS_MAX). Returns 0, or ERR_BADSIG when a line by one
 * of the devices does not verify (then *nout is that line's index and the note must be
 * rejected).
 */
int proto_checkpoint_signers(const struct proto_note *n, const struct proto_ckpt_device *dev,
                             size_t ndev, struct proto_ckpt_signer *out, size_t *nout,
                             size_t *unknown);

/*
 * The quorum rule, counted by member number as approvals are (ACCOUNTING.md 2.3): each member
 * with a verified signature counts once, in the lowest role number among its signing devices;
 * have = (members counted as pengurus, members counted as pengawas); the quorum is met when have
 * >= need in both and at least one signature verified. 0 when met, else ERR_QUORUM; *have is
 * filled either way.
 */
int proto_checkpoint_quorum(const struct proto_quorum *need, const struct proto_ckpt_device *dev,
                            const struct proto_ckpt_signer *s, size_t ns,
                            struct proto_quorum *have);

/*
 * Kind 80, checkpoint = [text, sig, rows, parts]: the body text, the author's type-0x01 note
 * signature over it (64 bytes), and the frontier as in a close (rows array(0..1000) of [author,
 * length >= 1] strictly ascending; parts array(0..64) of kind-36 ids strictly ascending).
 * Kind 81, cosign = [checkpoint, time, sig]: the id of a kind-80 entry, the cosignature time
 * (0..2^63-1) and the author's cosignature/v1 signature (64 bytes) over that entry's text.
 * _decode: 0 or ERR_BODY (the output is then zeroed); _encode: 0, ERR_BODY (the struct breaks
 * the rules), -ENOMEM.
 */
struct proto_ckpt_entry {
    char text[PROTO_CKPT_TEXT_MAX + 1];
    size_t text_len;
    struct proto_checkpoint c; /* text, parsed */
    uint8_t sig[64];
    uint32_t nrows;
    struct proto_frontier_row rows[PROTO_CLOSE_ROWS_MAX];
    uint32_t nparts;
    uint8_t parts[PROTO_CLOSE_PARTS_MAX][32];
};

struct proto_cosign {
    uint8_t checkpoint[32];
    uint64_t time;
    uint8_t sig[64];
};

int proto_ckpt_entry_decode(const uint8_t *body, size_t len, struct proto_ckpt_entry *out);
int proto_ckpt_entry_encode(const struct proto_ckpt_entry *e, struct proto_buf *out);
int proto_cosign_decode(const uint8_t *body, size_t len, struct proto_cosign *out);
int proto_cosign_encode(const struct proto_cosign *c, struct proto_buf *out);

/*
 * The signature lines these entries stand for, so that a node rebuilds the note from the ledger:
 * a kind-80 entry by author gives "— saksi-device/<author> base64(id1 || sig)\n", a kind-81
 * entry "— saksi-device/<author> base64(id4 || u64be time || sig)\n". Appended to out; -ENOMEM.
 */
int proto_ckpt_entry_line(const uint8_t author[32], const uint8_t sig[64], struct proto_buf *out);
int proto_cosign_line(const uint8_t author[32], const struct proto_cosign *c,
                      struct proto_buf *out);

#endif
