/*
 * The ledger's entry kinds and the rules over them, as pure functions (no I/O): genesis
 * (koperasi identity, chart of accounts, initial roster, policy, network-key commitment), roster
 * changes (admit a device, revoke a key), and journal entries. docs/FORMATS.md gives the exact
 * layouts; each body is a fixed-arity msgpack array.
 *
 * Two kinds of failure are kept apart, as DESIGN.md asks. A body that does not match its kind's
 * format is hard-invalid (ERR_BODY, ERR_GENESIS): never stored. A business rule broken by a
 * well-formed entry (an unbalanced journal, an unknown account) is a *finding*: the entry is
 * stored and takes effect, the audit reports it, and the CLI refuses to author it.
 */
#ifndef SAKSI_PROTO_LEDGER_H
#define SAKSI_PROTO_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

#define PROTO_NAME_MAX         200
#define PROTO_REG_MAX          100
#define PROTO_ACCOUNT_NAME_MAX 100
#define PROTO_ACCOUNTS_MAX     1000
#define PROTO_ROSTER_MAX       500
#define PROTO_RULES_MAX        32
#define PROTO_MEMO_MAX         500
#define PROTO_LINES_MAX        256
#define PROTO_AMOUNT_MAX       1000000000000000ULL /* Rp 10^15 per line */
#define PROTO_MEMBER_MAX       4294967295ULL

enum proto_acct_type {
    PROTO_ACCT_ASSET = 1,
    PROTO_ACCT_CONTRA_ASSET = 2,
    PROTO_ACCT_LIABILITY = 3,
    PROTO_ACCT_EQUITY = 4,
    PROTO_ACCT_REVENUE = 5,
    PROTO_ACCT_EXPENSE = 6,
};

enum proto_role {
    PROTO_ROLE_PENGURUS = 1,
    PROTO_ROLE_PENGAWAS = 2,
    PROTO_ROLE_KASIR = 3,
    PROTO_ROLE_ANGGOTA = 4,
};

enum proto_office {
    PROTO_OFFICE_NONE = 0,
    PROTO_OFFICE_KETUA = 1,
    PROTO_OFFICE_SEKRETARIS = 2,
    PROTO_OFFICE_BENDAHARA = 3,
};

#define PROTO_ROLE_BIT(r) (1u << (r))

struct proto_account {
    uint32_t code; /* 1000..9999 */
    uint8_t type;  /* enum proto_acct_type */
    bool sub;      /* keeps a per-member sub-ledger: lines may name a member */
    char name[PROTO_ACCOUNT_NAME_MAX + 1];
};

/* A device on the roster: who holds it and its two public keys, bound by the card signature. */
struct proto_device {
    uint32_t member;
    uint8_t role;   /* enum proto_role */
    uint8_t office; /* enum proto_office, only for pengurus */
    uint8_t sign_pk[32];
    uint8_t box_pk[32];
    uint8_t card_sig[64];
};

struct proto_rule {
    uint32_t kind;
    uint32_t roles; /* PROTO_ROLE_BIT mask of the roles allowed to author it */
};

struct proto_quorum {
    uint32_t pengurus;
    uint32_t pengawas;
};

struct proto_policy {
    uint32_t nrules;
    struct proto_rule rules[PROTO_RULES_MAX];
    struct proto_quorum revoke_quorum;     /* approvals a revocation needs (enforced later) */
    struct proto_quorum checkpoint_quorum; /* cosignatures that make a checkpoint final */
};

struct proto_genesis {
    char name[PROTO_NAME_MAX + 1];
    char registration[PROTO_REG_MAX + 1];
    char currency[4];
    uint32_t naccounts;
    struct proto_account *accounts; /* sorted by code, strictly ascending */
    uint32_t nroster;
    struct proto_device *roster;
    struct proto_policy policy;
    uint8_t netkey_commit[32];
};

struct proto_revoke {
    uint8_t device[32];
    uint64_t last_seq; /* the feed's last valid seq; 0 = nothing of it is valid */
    bool has_last_id;  /* present iff last_seq > 0 */
    uint8_t last_id[32];
    char reason[PROTO_MEMO_MAX + 1];
};

struct proto_line {
    uint32_t account;
    uint32_t member; /* 0 = none */
    uint64_t debit;
    uint64_t credit; /* exactly one of debit and credit is non-zero */
};

struct proto_journal {
    uint32_t date; /* business date, YYYYMMDD */
    char memo[PROTO_MEMO_MAX + 1];
    uint32_t nlines;
    struct proto_line lines[PROTO_LINES_MAX];
};

/* The default policy used when a description file gives none. */
void proto_policy_default(struct proto_policy *p);
/* true if role may author kind under p (kinds without a rule: pengurus only). */
bool proto_policy_allows(const struct proto_policy *p, uint64_t kind, uint8_t role);

/*
 * Genesis. _decode checks the format and every genesis rule (IDR, accounts ascending and typed,
 * roster non-empty with distinct keys and valid cards, at least one pengurus). *out is the
 * caller's: proto_genesis_free(). _encode writes the body; -ENOMEM.
 * Errors: ERR_BODY (format), ERR_GENESIS (rules), ERR_BADSIG (a card), -ENOMEM.
 */
int proto_genesis_decode(const uint8_t *body, size_t len, struct proto_genesis **out);
int proto_genesis_encode(const struct proto_genesis *g, struct proto_buf *out);
/* Checks the genesis rules on a decoded or hand-built genesis. */
int proto_genesis_check(const struct proto_genesis *g);
void proto_genesis_free(struct proto_genesis *g);
const struct proto_account *proto_genesis_account(const struct proto_genesis *g, uint32_t code);
const struct proto_device *proto_genesis_device(const struct proto_genesis *g,
                                                const uint8_t pk[32]);

/* Admission: a device (its card must verify). ERR_BODY, ERR_BADSIG. */
int proto_admit_decode(const uint8_t *body, size_t len, struct proto_device *d);
int proto_admit_encode(const struct proto_device *d, struct proto_buf *out);

int proto_revoke_decode(const uint8_t *body, size_t len, struct proto_revoke *r);
int proto_revoke_encode(const struct proto_revoke *r, struct proto_buf *out);

/* Journal: format only (lines are debits or credits of positive amounts, a valid date). */
int proto_journal_decode(const uint8_t *body, size_t len, struct proto_journal *j);
int proto_journal_encode(const struct proto_journal *j, struct proto_buf *out);

/* Findings a journal can have against a chart of accounts. */
enum proto_jfinding {
    PROTO_JF_UNBALANCED = 1 << 0,    /* debits != credits */
    PROTO_JF_NO_ACCOUNT = 1 << 1,    /* an account not in the chart */
    PROTO_JF_MEMBER_NO_SUB = 1 << 2, /* a member named on an account without a sub-ledger */
    PROTO_JF_SUB_NO_MEMBER = 1 << 3, /* a sub-ledger account posted without a member */
};
/* A mask of proto_jfinding; 0 when the journal is sound. */
unsigned proto_journal_findings(const struct proto_journal *j, const struct proto_genesis *g);
/* Sum of debits and of credits (each fits: at most 256 lines of at most 10^15). */
void proto_journal_totals(const struct proto_journal *j, uint64_t *debit, uint64_t *credit);

/* Dates as YYYYMMDD integers: true for a real Gregorian date in years 1900..9999. */
bool proto_date_valid(uint32_t ymd);

const char *proto_role_name(uint8_t role);     /* "pengurus", ... or "?" */
const char *proto_office_name(uint8_t office); /* "ketua", ... or "" for none */
const char *proto_acct_type_name(uint8_t type);

#endif
