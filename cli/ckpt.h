/*
 * Checkpoints as the CLI sees them in its store (docs/FORMATS.md 10.5, 10.9): every applied
 * kind-80 entry by a pengurus or pengawas device that is not revoked, with the note rebuilt from
 * it and from the kind-81 cosignatures of such devices, and whether the genesis policy's
 * checkpoint_quorum makes it final. Shared by `saksi checkpoint`, `saksi prove` and the
 * reports' final/pending line.
 */
#ifndef SAKSI_CLI_CKPT_H
#define SAKSI_CLI_CKPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "proto/books.h"
#include "proto/checkpoint.h"

struct cli_ckpt {
    uint8_t id[32], author[32]; /* the kind-80 entry */
    uint64_t seq, time_ms;
    char text[PROTO_CKPT_TEXT_MAX + 1];
    size_t text_len;
    struct proto_checkpoint c;
    uint8_t sig[64];
    struct proto_frontier_row *rows; /* the whole frontier, parts included (heap) */
    size_t nrows;
    bool rows_ok;          /* every frontier part was found and decoded */
    bool valid;            /* names this ledger, and its author's signature verifies */
    struct proto_buf note; /* text, blank line, the author's line, each verified cosignature */
    struct proto_ckpt_signer *signers; /* verified lines of note (heap, PROTO_NOTE_SIGS_MAX) */
    size_t nsigners;
    struct proto_quorum have;
    bool final;
};

struct cli_ckpts {
    uint8_t ledger[32];
    struct proto_quorum need;
    struct proto_ckpt_device *dev; /* the roster's devices that are not revoked */
    size_t ndev;
    struct cli_ckpt *v; /* sorted by entry count, then entry time */
    size_t n;
};

/* Loads every checkpoint of the store. Release with cli_ckpts_release (also after failure). */
int cli_ckpts_load(struct store *st, struct cli_ckpts *out);
void cli_ckpts_release(struct cli_ckpts *s);
/* The latest valid checkpoint (the largest entry count; the later one of equals), final ones
 * only when final_only: its index, or SIZE_MAX. */
size_t cli_ckpts_latest(const struct cli_ckpts *s, bool final_only);

/*
 * Whether a report as of as_of is final: the store's latest final checkpoint holds every
 * applied entry of the books (bk) dated on or before as_of, or without a date. *final is false
 * when there is no final checkpoint. 0 or a store error.
 */
int cli_report_final(struct store *st, const struct books *bk, uint32_t as_of, bool *final);

#endif
