/*
 * The roster as a pure function of the genesis and the governance entries (admissions and
 * revocations). The store applies it when it rebuilds derived state and the audit recomputes it
 * from the raw entries; both gather their inputs themselves, and this module does no I/O. The
 * caller works out what needs stored data: each revocation's effective cut-off, and the length
 * of each feed's unique prefix (one entry per seq from seq 1).
 *
 * The rule. Governance entries take effect in rounds. Every round starts from the genesis roster
 * and takes the entries in id order, all admissions first and then all revocations. An entry
 * counts when its author is on the previous round's roster, the policy lets the author's role
 * author its kind, and its seq lies within the author's applied length under that roster (see
 * proto_roster_applied). An admission adds its device unless the round holds it already, so of
 * two admissions of one device the lower id stands; a revocation marks its device revoked, and
 * of several the lowest cut-off stands. Round zero is the genesis roster alone. Rounds repeat
 * until one changes nothing (a chain of admissions settles in as many rounds as it is long), or
 * until PROTO_ROSTER_ROUNDS_MAX rounds for a contrived cycle of mutual revocations, whose result
 * is then still the same for everyone who holds the same entries.
 */
#ifndef SAKSI_PROTO_ROSTER_H
#define SAKSI_PROTO_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/ledger.h"

#define PROTO_ROSTER_ROUNDS_MAX 32

/* A governance entry, as the rule needs it. */
struct proto_gov {
    uint8_t id[32];
    uint8_t author[32];
    uint64_t seq;
    uint64_t kind;              /* PROTO_KIND_ADMIT or PROTO_KIND_REVOKE; others are ignored */
    struct proto_device admit;  /* kind ADMIT: the decoded body */
    struct proto_revoke revoke; /* kind REVOKE: the decoded body */
    uint64_t cut;               /* kind REVOKE: the effective cut-off, computed by the caller */
};

/* A device on the roster, with its standing. */
struct proto_roster_dev {
    struct proto_device dev;
    uint8_t admitted_by[32]; /* the admitting entry (the genesis for founders) */
    bool revoked;
    uint64_t cut_seq; /* with revoked: the feed's last valid seq */
};

struct proto_roster {
    struct proto_roster_dev *d; /* the genesis roster first, then admissions in id order */
    size_t n, cap;
    unsigned rounds; /* rounds that changed the roster */
    bool settled;    /* a last round changed nothing (else: stopped at the round limit) */
};

/* The length of author's unique prefix; 0 when there is no such feed. */
typedef uint64_t proto_roster_unique_fn(void *arg, const uint8_t author[32]);

/*
 * Computes the roster from genesis g (whose entry id is genesis_id) and the governance entries
 * gov[0..ngov), which must be sorted by id, ascending. unique(arg, author) gives feed lengths.
 * *out is the caller's: proto_roster_release(). Errors: -EINVAL (gov out of order), -ENOMEM;
 * *out is then empty.
 */
int proto_roster_compute(const struct proto_genesis *g, const uint8_t genesis_id[32],
                         const struct proto_gov *gov, size_t ngov, proto_roster_unique_fn *unique,
                         void *arg, struct proto_roster *out);

/* Frees the devices and empties r. */
void proto_roster_release(struct proto_roster *r);

/* The device with signing key pk, or NULL. Borrowed from r. */
const struct proto_roster_dev *proto_roster_find(const struct proto_roster *r,
                                                 const uint8_t pk[32]);

/*
 * The applied length of author's feed under r: 0 if the author is not on r, else its unique
 * prefix, cut at cut_seq if the author is revoked.
 */
uint64_t proto_roster_applied(const struct proto_roster *r, const uint8_t author[32],
                              uint64_t unique);

#endif
