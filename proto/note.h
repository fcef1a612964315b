/*
 * C2SP signed notes (https://c2sp.org/signed-note) and the Ed25519 cosignatures of
 * https://c2sp.org/tlog-cosignature (cosignature/v1), the text form of saksi's checkpoints
 * (docs/FORMATS.md 10).
 *
 * A note is a text ending in a newline, a blank line, then one or more signature lines
 * "— <key name> <base64(key id || signature)>\n" (em dash U+2014, standard padded base64). The
 * whole note is UTF-8 without control characters other than newline; the text is separated from
 * the signatures by the last blank line. A key id is the first four bytes, big-endian, of
 * SHA-256(key name || 0x0A || signature type || public key); type 0x01 is a plain Ed25519
 * signature over the text, type 0x04 a timestamped cosignature: u64be time || Ed25519 signature
 * over "cosignature/v1\ntime <time>\n" || text.
 *
 * Parsing is strict (size cap, signature-line cap, canonical base64 only, key names without
 * spaces or '+') and never verifies anything: a reader picks the signature lines whose name and
 * key id match a key it knows and verifies those (proto_note_verify); lines by other keys are
 * kept and ignored, as the spec requires.
 */
#ifndef SAKSI_PROTO_NOTE_H
#define SAKSI_PROTO_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/crypto.h"

#define PROTO_NOTE_MAX      65536 /* bytes in a whole note, signatures included */
#define PROTO_NOTE_SIGS_MAX 128   /* signature lines (the spec asks readers for at least 16) */
#define PROTO_NOTE_NAME_MAX 256   /* bytes in a key name */

/* Signature types (the byte hashed into the key id). */
#define PROTO_NOTE_ED25519 0x01 /* Ed25519 over the note text */
#define PROTO_NOTE_COSIG   0x04 /* cosignature/v1: u64be time || Ed25519 over header || text */

#define PROTO_NOTE_COSIG_TIME_MAX INT64_MAX /* 2^63 - 1, the spec's bound on a timestamp */

/* One signature line. name borrows the parsed bytes; data points into the note's own blob. */
struct proto_note_sig {
    const char *name;
    size_t name_len;
    uint32_t key_id;
    const uint8_t *data; /* the decoded bytes after the key id */
    size_t data_len;
};

/* A parsed note. text borrows the parsed bytes, which must outlive it. */
struct proto_note {
    const char *text; /* the note text, its final newline included */
    size_t text_len;
    size_t nsigs;
    struct proto_note_sig sigs[PROTO_NOTE_SIGS_MAX];
    uint8_t *blob; /* owned: the decoded signature bytes */
};

/*
 * Parses p[0..len). On success *n holds the text and every signature line in order (release it
 * with proto_note_release). Errors: ERR_TOOBIG (more than PROTO_NOTE_MAX bytes or
 * PROTO_NOTE_SIGS_MAX lines), ERR_NOTE (anything else: invalid UTF-8, a control character, a CR,
 * no blank line, no signature line, a malformed line or name, base64 that is not canonical or
 * shorter than a key id), -ENOMEM. *n is then empty.
 */
int proto_note_parse(const char *p, size_t len, struct proto_note *n);
void proto_note_release(struct proto_note *n);

/* A valid note text: non-empty, ends in a newline, UTF-8, no control characters but newline.
 * 0 or ERR_NOTE (ERR_TOOBIG above PROTO_NOTE_MAX). */
int proto_note_text_check(const char *text, size_t len);

/* A valid key name: 1..PROTO_NOTE_NAME_MAX bytes of UTF-8, no control character, no Unicode
 * space (Go's unicode.IsSpace set) and no '+'. */
bool proto_note_name_ok(const char *name, size_t len);

/* SHA-256(name || 0x0A || type || pk)[:4] as a big-endian integer. */
uint32_t proto_note_key_id(const char *name, size_t nlen, uint8_t type, const uint8_t pk[32]);

/*
 * Appends one signature line for text (which must pass proto_note_text_check) to out:
 *   _sign:   type 0x01, the Ed25519 signature of k over the text;
 *   _cosign: type 0x04, cosignature/v1 at time (0..2^63-1, seconds since the epoch).
 * Errors: ERR_NOTE (bad text or name), -EINVAL (time out of range), -ENOMEM.
 */
int proto_note_sign(struct proto_buf *out, const struct proto_keys *k, const char *name,
                    size_t nlen, const char *text, size_t tlen);
int proto_note_cosign(struct proto_buf *out, const struct proto_keys *k, const char *name,
                      size_t nlen, uint64_t time, const char *text, size_t tlen);

/* Appends the line "— name base64(key id || data)\n" as it is (no signing, no checks on
 * name or data: callers pass what they know to be valid). -ENOMEM. */
int proto_note_line(struct proto_buf *out, const char *name, size_t nlen, uint32_t key_id,
                    const uint8_t *data, size_t dlen);

/*
 * Verifies signature line s of note n as made by the key (name, type, pk). Returns -ENOENT when
 * the line is not by that key (another name or key id: the caller ignores it), ERR_BADSIG when
 * it is and does not verify (wrong length, a cosignature time above 2^63-1, or a bad
 * signature), 0 when it verifies; *time (may be NULL) is then the cosignature's time, or 0 for
 * type 0x01. Types other than 0x01 and 0x04 are -EINVAL.
 */
int proto_note_verify(const struct proto_note *n, const struct proto_note_sig *s, const char *name,
                      size_t nlen, uint8_t type, const uint8_t pk[32], uint64_t *time);

/*
 * Appends the note: text, the blank line, then the signature lines of lines[0..llen) (each
 * "— name base64\n", as proto_note_sign writes them), and checks that the result parses.
 * ERR_NOTE, ERR_TOOBIG, -ENOMEM (out is then as it was).
 */
int proto_note_format(struct proto_buf *out, const char *text, size_t tlen, const char *lines,
                      size_t llen);

/* Appends n again (text, blank line, every signature line): a parsed note formats to the
 * bytes it was parsed from. -ENOMEM. */
int proto_note_write(struct proto_buf *out, const struct proto_note *n);

#endif
