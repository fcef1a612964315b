/*
 * Bodies of the accounting kinds (docs/ACCOUNTING.md section 3) and the postings each one makes
 * (its "pattern"): a pure function of the body alone (decision D3), so that balances are sums of
 * per-entry constants and the order entries arrive in can never change an amount.
 *
 * A body that does not match its table is ERR_BODY: the entry is `malformed` (stored without
 * effect, decision D2), never hard-invalid, so v1 and v2 replicas keep one set. Every body is a
 * fixed-arity canonical msgpack array; amounts are whole rupiah 0..PROTO_AMOUNT_MAX, dates
 * YYYYMMDD (proto_date_valid), members 1..2^32-1, memos str of at most PROTO_ACCT_MEMO_MAX bytes.
 * Pure functions, no I/O.
 */
#ifndef SAKSI_PROTO_ACCT_H
#define SAKSI_PROTO_ACCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/ledger.h"
#include "proto/params.h"

enum proto_acct_kind {
    PROTO_KIND_JOURNAL_A = 17,
    /* PROTO_KIND_PARAMS = 32 (proto/params.h) */
    PROTO_KIND_SIGN = 33,
    PROTO_KIND_MEMBER_ADMIT = 40,
    PROTO_KIND_MEMBER_EXIT = 41,
    PROTO_KIND_EXIT_SETTLE = 42,
    PROTO_KIND_DEPOSIT = 48,
    PROTO_KIND_WITHDRAW = 49,
};

#define PROTO_ACCT_MEMO_MAX        200
#define PROTO_ACCT_EVIDENCE_MAX    8
#define PROTO_ACCT_SAVINGS_MAX     8   /* exit-settle savings rows */
#define PROTO_ACCT_OFFSETS_MAX     16  /* exit-settle loan offsets */
#define PROTO_ACCT_TERM_MONTHS_MAX 120 /* deposit term: 1..120 months */
/* The most lines any pattern of these kinds makes (kind 17: its own lines). */
#define PROTO_ACCT_LINES_MAX PROTO_LINES_MAX

/* journal-a (17) = [date, memo, lines, evidence]: a kind 16 journal plus evidence digests. */
struct proto_journal_a {
    struct proto_journal j; /* date, memo (<= PROTO_ACCT_MEMO_MAX bytes here), lines */
    uint32_t nevidence;
    uint8_t evidence[PROTO_ACCT_EVIDENCE_MAX][32];
};

/* sign (33) = [target, decision, note] */
enum proto_sign_decision { PROTO_SIGN_APPROVE = 1, PROTO_SIGN_REJECT = 2 };
struct proto_sign {
    uint8_t target[32];
    uint8_t decision; /* enum proto_sign_decision */
    char note[PROTO_ACCT_MEMO_MAX + 1];
};

/* member-admit (40) = [member, date, class, pokok, pokok_account, cash_account, profile, memo] */
enum proto_member_class { PROTO_CLASS_BIASA = 1, PROTO_CLASS_CALON = 2, PROTO_CLASS_LUAR = 3 };
struct proto_member_admit {
    uint32_t member;
    uint32_t date;
    uint8_t class;  /* enum proto_member_class */
    uint64_t pokok; /* may be 0 */
    uint32_t pokok_account;
    uint32_t cash_account;
    bool has_profile;
    uint8_t profile[32];
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* member-exit (41) = [member, date, reason, pokok, wajib, pokok_account, wajib_account,
 *                     refund_account, memo] */
enum proto_exit_reason {
    PROTO_EXIT_OWN = 1,       /* permintaan sendiri */
    PROTO_EXIT_DIED = 2,      /* meninggal */
    PROTO_EXIT_DISMISSED = 3, /* diberhentikan */
    PROTO_EXIT_OTHER = 4,     /* lainnya */
};
struct proto_member_exit {
    uint32_t member;
    uint32_t date;
    uint8_t reason; /* enum proto_exit_reason */
    uint64_t pokok, wajib;
    uint32_t pokok_account, wajib_account, refund_account;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* exit-settle (42) = [member, date, exit, refund, refund_account, savings, offsets,
 *                     cash_account, memo]
 * savings: [[account, amount]...], offsets: [[loan, principal, interest]...]; the payout
 * refund + sum(savings) - sum(principal + interest) must not be negative (else ERR_BODY). */
struct proto_settle_saving {
    uint32_t account;
    uint64_t amount;
};
struct proto_settle_offset {
    uint8_t loan[32]; /* the loan-apply id */
    uint64_t principal, interest;
};
struct proto_exit_settle {
    uint32_t member;
    uint32_t date;
    uint8_t exit[32]; /* the member-exit settled */
    uint64_t refund;
    uint32_t refund_account;
    uint32_t nsavings;
    struct proto_settle_saving savings[PROTO_ACCT_SAVINGS_MAX];
    uint32_t noffsets;
    struct proto_settle_offset offsets[PROTO_ACCT_OFFSETS_MAX];
    uint32_t cash_account;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* deposit (48) = [member, date, product, account, amount, cash_account, term, memo]
 * term: nil, or [months 1..120, rate_ppm 0..10^7] (berjangka). amount >= 1. */
struct proto_deposit {
    uint32_t member;
    uint32_t date;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint32_t account;
    uint64_t amount;
    uint32_t cash_account;
    bool has_term;
    uint32_t term_months, term_rate_ppm;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* withdraw (49) = [member, date, product, account, amount, cash_account, ref, fee, fee_account,
 *                  memo]
 * ref: nil or a deposit id; fee_account nil iff fee = 0; fee <= amount; amount >= 1. */
struct proto_withdraw {
    uint32_t member;
    uint32_t date;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint32_t account;
    uint64_t amount;
    uint32_t cash_account;
    bool has_ref;
    uint8_t ref[32];
    uint64_t fee;
    uint32_t fee_account; /* 0 iff fee == 0 */
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* Any decoded body of the kinds above. */
struct proto_acct_body {
    uint32_t kind; /* which member of the union is set */
    union {
        struct proto_journal_a ja;
        struct proto_sign sign;
        struct proto_member_admit admit;
        struct proto_member_exit exit;
        struct proto_exit_settle settle;
        struct proto_deposit deposit;
        struct proto_withdraw withdraw;
    } u;
};

/* true for the kinds this file decodes. */
bool proto_acct_kind_known(uint64_t kind);

/*
 * Decodes the body of an entry of kind (one of enum proto_acct_kind) into *out (overwritten
 * whole; out->kind = kind). ERR_BODY for any departure from the format (including every rule
 * of proto_acct_check), or for a kind this file does not know; -ENOMEM. On failure *out is all
 * zero.
 */
int proto_acct_decode(uint64_t kind, const uint8_t *body, size_t len, struct proto_acct_body *out);
/*
 * Encodes b per b->kind, canonically: proto_acct_decode() of the bytes gives b back when b
 * passes proto_acct_check() (and leaves zero what its nil fields ignore). b is not checked
 * otherwise, so a test can encode a bad body. -ENOMEM, or -EINVAL for an unknown kind or a count
 * above its array's capacity (nlines, nevidence, nsavings, noffsets).
 */
int proto_acct_encode(const struct proto_acct_body *b, struct proto_buf *out);
/*
 * The rules a decoded body meets, on a decoded or hand-built one (what the CLI checks before it
 * authors): ranges, dates, strings (UTF-8, no NUL, lengths), product codes, counts, fee rules,
 * a non-negative exit-settle payout. 0, or ERR_BODY (also for an unknown kind).
 */
int proto_acct_check(const struct proto_acct_body *b);
/*
 * The payout of an exit-settle: refund + sum(savings) - sum(principal + interest). 0, or
 * ERR_BODY (*payout = 0) when it is negative or a count or figure is out of range. At most
 * 9 * PROTO_AMOUNT_MAX.
 */
int proto_acct_payout(const struct proto_exit_settle *s, uint64_t *payout);

/*
 * The postings of an effective entry with body b, in the order of the pattern tables
 * (ACCOUNTING.md 2.7, 3.1, 3.5, 3.6): lines with amount 0 are left out; a line on a member
 * sub-ledger names the member. Writes at most max lines to out and returns how many there are
 * (which may exceed max: call again with more room), or a negative code. Kind 17: its own lines.
 * Kind 33: none. Kind 42 with offsets needs each loan's receivable and interest accounts: the
 * caller passes them in loan_accts (2 per offset, in order: receivable, interest), NULL when
 * noffsets is 0; -EINVAL if needed and missing (or not an account 1000..9999), if b fails
 * proto_acct_check(), or if out is NULL with max > 0. Each pattern balances by construction.
 * A pattern line may exceed PROTO_AMOUNT_MAX: 41's refund line is pokok + wajib (at most 2 x),
 * 42's cash line the payout (at most 9 x).
 */
int proto_acct_postings(const struct proto_acct_body *b, const uint32_t *loan_accts,
                        struct proto_line *out, size_t max);

/* The business date of a body (0 for kind 33, which has none). */
uint32_t proto_acct_date(const struct proto_acct_body *b);
/* The member the entry is about (its subject), 0 for none (kinds 17 and 33: 0; for 17 the
 * subjects are the members named on its lines, see proto_acct_subjects). */
uint32_t proto_acct_member(const struct proto_acct_body *b);
/*
 * The subjects of an entry (ACCOUNTING.md 2.3: the members it is about, who never count as its
 * approvers): kind 17 the distinct members on its lines, ascending; 40..49 the member. Writes up
 * to max (the smallest), returns the count (which may exceed max); kind 33: 0.
 */
size_t proto_acct_subjects(const struct proto_acct_body *b, uint32_t *out, size_t max);
/*
 * The matrix amount (ACCOUNTING.md 3 overview): 17 sum of debits; 40 pokok; 41 pokok + wajib;
 * 42 refund + sum(savings); 48 and 49 amount; 33: 0.
 */
uint64_t proto_acct_amount(const struct proto_acct_body *b);
/* The countersign subject (2.5): 41 the member; 42 the member when it pays cash out (payout > 0);
 * 49 the member; others 0. */
uint32_t proto_acct_csign_subject(const struct proto_acct_body *b);

/* Short stable names for kinds: "journal-a", "sign", "member-admit", ..., or NULL. */
const char *proto_acct_kind_name(uint64_t kind);

#endif
