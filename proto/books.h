/*
 * The books: a cooperative's accounting state derived from the set of applied entries, as a pure
 * function of that set (DESIGN.md "The ledger is a set"; docs/ACCOUNTING.md section 4).
 *
 * The caller feeds the genesis, every device the roster has ever held (revoked ones too: their
 * applied entries keep their effect) and every applied entry of kinds 16, 17 and 32..73, in any
 * order; books_derive() then decides each entry's status, its postings, the member register and
 * the findings. Every decision reads only the set: entries are kept sorted by id, approvals are
 * counted by distinct member number, parameter versions are decided in (adopted, id) order, and
 * every choice among equals is by id. Two replicas holding the same entries therefore derive
 * byte-identical books, whatever order the entries arrived in.
 *
 * Amounts are whole rupiah in int64/uint64 with explicit bounds (PROTO_AMOUNT_MAX per line, at
 * most BOOKS_ENTRIES_MAX entries), so no sum can overflow. No floating point anywhere.
 *
 * What is covered (ACCOUNTING.md milestones M1 and M2, savings interest and the year end of M3,
 * provision and write-off of M4): kinds 16, 17, 32 (params), 33 (sign), 34..36, 40, 41, 42 (its
 * loan offsets counted as repayments), 48, 49, 50 (interest, its rows checked against
 * proto/savings.h), loans 56 (apply), 57 (disburse), 58 (repay), 59 (late fee), 60 (provision),
 * 61 (write-off), 64 (reversals: mirrors of posting entries, cancellations of the others), 72 and
 * 73. Other accounting kinds are kept with status `waiting` and reason BOOKS_WAIT_UNSUPPORTED, so
 * a report never pretends they took effect.
 */
#ifndef SAKSI_PROTO_BOOKS_H
#define SAKSI_PROTO_BOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/acct.h"
#include "proto/ledger.h"
#include "proto/loan.h"
#include "proto/params.h"

#define BOOKS_ENTRIES_MAX 100000000u /* far above any cooperative; keeps sums in range */

enum books_status {
    BOOKS_EFFECTIVE = 1,
    BOOKS_WAITING = 2,   /* menunggu: approvals, countersignature, prerequisite, parameters */
    BOOKS_CANCELLED = 3, /* a non-posting entry an effective reversal (64) cancelled (3.9) */
    BOOKS_VOID = 4,      /* the author lacked authority, or a prerequisite is void */
    BOOKS_MALFORMED = 5, /* the body does not match its kind's format (D2) */
};

enum books_reason {
    BOOKS_R_NONE = 0,
    /* waiting */
    BOOKS_WAIT_APPROVALS = 1,
    BOOKS_WAIT_COUNTERSIGN = 2,
    BOOKS_WAIT_PREREQUISITE = 3,
    BOOKS_WAIT_NO_PARAMS = 4,
    BOOKS_WAIT_RESOLUTION = 5,
    BOOKS_WAIT_UNSUPPORTED = 6, /* a kind this version does not apply yet */
    BOOKS_WAIT_FRONTIER = 7,    /* a close whose frontier this node does not hold (yet) */
    /* void */
    BOOKS_VOID_AUTHORITY = 16,       /* the author's role may not author this kind */
    BOOKS_VOID_PREREQUISITE = 17,    /* what it builds on is void or malformed */
    BOOKS_VOID_PARAMS = 18,          /* a parameter version that fails its check (params-invalid) */
    BOOKS_VOID_POLICY = 19,          /* kind 16 whose author's role the genesis policy refuses */
    BOOKS_VOID_NOT_BORROWER = 20,    /* a loan application not written on the borrower's device */
    BOOKS_VOID_CONFLICT = 21,        /* a second close of the same period (close-conflict) */
    BOOKS_VOID_REVERSE_INVALID = 22, /* a reversal of a kind that cannot be reversed (3.9) */
    BOOKS_VOID_CANCEL_REFUSED = 23,  /* a cancellation of a disbursed application (3.7.1) */
    BOOKS_VOID_DUPLICATE = 24,       /* a second reversal of one target (duplicate-reversal) */
};

/* One applied entry of an accounting kind, as derived. */
struct books_item {
    uint8_t id[32];
    uint8_t author[32];
    uint64_t seq;
    uint32_t kind;
    uint8_t status;  /* enum books_status */
    uint8_t reason;  /* enum books_reason */
    uint32_t date;   /* business date (0: none, kinds 32's adopted date is its date) */
    uint64_t amount; /* matrix amount */
    uint32_t member; /* the member it is about (0: none) */
    uint32_t author_member;
    uint8_t author_role;
    /* approvals (status waiting, reason APPROVALS): what is still missing */
    uint32_t missing_pengurus, missing_pengawas, missing_offices;
    uint32_t approvers;    /* distinct approving members counted (author included) */
    uint32_t rejects;      /* distinct members who signed a rejection */
    uint32_t csign_member; /* countersign subject (0: none) */
    bool confirmed;        /* the member it is about signed it (receipt acknowledged) */
    bool has_prereq;
    uint8_t prereq[32]; /* with WAIT_PREREQUISITE / VOID_PREREQUISITE: the entry it waits on */
    uint32_t first_posting, nposting; /* its postings in books_postings() (effective only) */
};

/* One posting of an effective entry. */
struct books_posting {
    uint32_t date; /* posting date */
    uint32_t account;
    uint32_t member; /* 0: none */
    uint32_t item;   /* index into the items */
    uint16_t line;
    uint16_t kind; /* its item's kind (so that readers need not look the item up) */
    uint64_t debit, credit;
};

enum books_severity { BOOKS_INFO = 1, BOOKS_ATTENTION = 2, BOOKS_SERIOUS = 3 };

/* Finding codes (ACCOUNTING.md section 7; the ones M1 derives). Stable numbers. */
enum books_code {
    BOOKS_F_MALFORMED = 1,
    BOOKS_F_PARAMS_INVALID = 2,
    BOOKS_F_PARAMS_CONFLICT = 3,
    BOOKS_F_AUTHORITY = 4,
    BOOKS_F_SELF_APPROVAL = 5,
    BOOKS_F_APPROVED_DESPITE_REJECTION = 6,
    BOOKS_F_UNAPPROVED = 7,
    BOOKS_F_WITNESSED = 8,
    BOOKS_F_WAITING_AGED = 9, /* as_of */
    BOOKS_F_UNBALANCED = 10,
    BOOKS_F_ACCOUNT = 11,
    BOOKS_F_PATTERN = 12,
    BOOKS_F_PRODUCT = 13,
    BOOKS_F_NON_MEMBER = 14,
    BOOKS_F_NOT_MEMBER = 15,
    BOOKS_F_MEMBER_UNREGISTERED = 16,
    BOOKS_F_DUPLICATE_ADMISSION = 17,
    BOOKS_F_POKOK_AMOUNT = 18,
    BOOKS_F_EQUITY_WITHDRAWAL = 19,
    BOOKS_F_OVERDRAWN = 20,
    BOOKS_F_EXIT_AMOUNTS = 21,
    BOOKS_F_REFUND_OVERDUE = 22, /* as_of */
    BOOKS_F_TERMS = 23,
    BOOKS_F_NOT_BORROWER = 24,
    BOOKS_F_LIMIT = 25,
    BOOKS_F_OFFICER_LOAN = 26,
    BOOKS_F_DELINQUENT_BORROWER = 27,
    BOOKS_F_DISBURSE_AMOUNT = 28,
    BOOKS_F_DOUBLE_DISBURSEMENT = 29,
    BOOKS_F_SELF_DISBURSEMENT = 30,
    BOOKS_F_ALLOCATION = 31,
    BOOKS_F_OVERPAYMENT = 32,
    BOOKS_F_INTEREST_OVERCHARGE = 33,
    BOOKS_F_PENALTY_OVERCHARGE = 34,
    BOOKS_F_DATE_ORDER = 35,
    BOOKS_F_LATE_FEE_MISMATCH = 36,
    /* Savings interest (3.6.1). mismatch: item, member, account = the row's; amount its gross;
     * detail = the expected gross and tax. duplicate: a later row (by entry id) of a member a
     * row of the same (period, product) already names; detail[0] = the period. missing: item
     * none, dated the period's last day; amount and detail[0] = the expected gross, detail[1]
     * the expected tax. */
    BOOKS_F_INTEREST_MISMATCH = 37,
    BOOKS_F_INTEREST_DUPLICATE = 38,
    BOOKS_F_INTEREST_MISSING = 39,
    BOOKS_F_LATE_POSTING = 40,
    BOOKS_F_CLOSE_EARLY = 41,
    BOOKS_F_CLOSE_CONFLICT = 42,
    BOOKS_F_CLOSE_MISMATCH = 43,
    BOOKS_F_DIGEST_MISMATCH = 44,
    BOOKS_F_FRONTIER_MISMATCH = 45,
    BOOKS_F_FRONTIER_REGRESS = 46,
    BOOKS_F_SHU_MISMATCH = 47,
    BOOKS_F_SHU_INCOMPLETE = 48,
    BOOKS_F_SHU_TWICE = 49,
    BOOKS_F_QUORUM = 50,
    BOOKS_F_MAJORITY = 51,
    BOOKS_F_ELIGIBLE_COUNT = 52,
    BOOKS_F_RAT_OVERDUE = 53, /* as_of */
    /* Reversals (3.9). Each names the reversal as its item; amount = the target's amount;
     * detail[0] = the target's item index (-1 when it is not in the set). */
    BOOKS_F_CANCEL_REFUSED = 54,
    BOOKS_F_REVERSE_INVALID = 55,
    BOOKS_F_DUPLICATE_REVERSAL = 56, /* detail[1]: the reversal that counts (item index) */
    /* A repayment (58) or a settlement offset (42) of a loan dated on or after its effective
     * write-off (61): amount = interest + principal; detail[0] = the write-off's date. */
    BOOKS_F_REPAY_WRITTEN_OFF = 57,
    /* A provision (60) after which the allowance balance (credit - debit of the allowance
     * accounts, end of its day) differs from the portfolio's PPAPWD that day; informative.
     * amount = the balance, detail[0] = the PPAPWD, detail[1] = the provision's amount. */
    BOOKS_F_PPAP = 58,
    BOOKS_F_CODE_MAX = 58,
};

struct books_finding {
    uint16_t code;    /* enum books_code */
    uint8_t severity; /* enum books_severity */
    uint32_t date;
    int64_t item;     /* index into the items, -1 for none */
    uint32_t member;  /* 0: none */
    uint32_t account; /* 0: none */
    int64_t amount;
    int64_t detail[2]; /* per code: an expected value, a day count, ... */
};

/* Member register: status on a day (ACCOUNTING.md 4.6). */
enum books_member_status {
    BOOKS_MEMBER_UNREGISTERED = 0, /* tidak tercatat: never admitted nor exited */
    BOOKS_MEMBER_ACTIVE = 1,       /* aktif (anggota biasa) */
    BOOKS_MEMBER_CALON = 2,
    BOOKS_MEMBER_LUAR = 3, /* anggota luar biasa */
    BOOKS_MEMBER_EXITED = 4,
};

struct books;

/* A new, empty book for the ledger founded by g (g is copied: the caller keeps it). -ENOMEM. */
int books_new(const struct proto_genesis *g, const uint8_t ledger_id[32],
              const uint8_t genesis_author[32], struct books **out);
void books_free(struct books *bk); /* NULL is a no-op */

/* Every device the roster has held, revoked or not (founders included). -ENOMEM. */
int books_device(struct books *bk, const struct proto_device *d);

/*
 * The id of the applied entry at (author, seq) in the caller's set: 0 and *id set, 1 when the
 * set does not hold it (or it is not applied), a negative code on failure. The books ask only
 * for entries a close names in its frontier (ACCOUNTING.md 3.4), so that they can check the
 * close's frontier digest; without a function every close waits (`frontier`).
 */
typedef int (*books_id_at_fn)(void *ctx, const uint8_t author[32], uint64_t seq, uint8_t id[32]);
void books_set_id_at(struct books *bk, books_id_at_fn fn, void *ctx);
/*
 * Derives these books as the books of the year closed by the close `id` (fed like any entry):
 * the close is taken as effective whatever its approvals, as its author must when computing the
 * close's digests (ACCOUNTING.md 3.4). Before books_derive; -EINVAL after.
 */
int books_force_close(struct books *bk, const uint8_t id[32]);

/*
 * One applied entry (body copied). Kinds 80 and 81 are kept aside (books_trefs); kinds other than
 * 16, 17 and 32..73 are ignored (returns 0).
 * Adding after books_derive() is -EINVAL. ERR_TOOBIG past BOOKS_ENTRIES_MAX.
 */
int books_entry(struct books *bk, const uint8_t id[32], const uint8_t author[32], uint64_t seq,
                uint64_t kind, const uint8_t *body, size_t len);

/* An entry of the transparency kinds (80 checkpoint, 81 cosign, proto/checkpoint.h) given to
 * books_entry: the books decide nothing about them and keep only where they are, so that a
 * reader that loaded the books finds the ledger's checkpoints without walking the store. */
struct books_tref {
    uint8_t id[32];
    uint8_t author[32];
    uint64_t seq;
    uint32_t kind;
};
/* Those entries, by id (valid after books_derive). */
size_t books_trefs(const struct books *bk, const struct books_tref **out);

/* Decides statuses, postings, register and findings. Once. -ENOMEM. */
int books_derive(struct books *bk);

/* Results (valid after books_derive, until books_free). Items sorted by id; postings by (date,
 * item id, line); findings by (code, date, item id, member, account). */
size_t books_nitems(const struct books *bk);
const struct books_item *books_item(const struct books *bk, size_t i);
/* The index of the item with this id, or SIZE_MAX. */
size_t books_index(const struct books *bk, const uint8_t id[32]);
/* The item with this id, or NULL. */
const struct books_item *books_find(const struct books *bk, const uint8_t id[32]);
/* Decodes the body of item i into *out (large: allocate it). ERR_BODY for malformed items and
 * for kinds proto/acct.h does not know (32: books_params_item; 16: out->kind 17 with the
 * journal in out->u.ja.j and no evidence). */
int books_body(const struct books *bk, size_t i, struct proto_acct_body *out);
/* The raw body bytes of item i (borrowed). */
const uint8_t *books_body_raw(const struct books *bk, size_t i, size_t *len);
size_t books_npostings(const struct books *bk);
const struct books_posting *books_postings(const struct books *bk);
size_t books_nfindings(const struct books *bk);
const struct books_finding *books_findings(const struct books *bk);

/* The parameter version in force on day ymd (J(d), ACCOUNTING.md 1.5), or NULL. */
const struct proto_params *books_params_at(const struct books *bk, uint32_t ymd);
/* The chart in force on ymd: the genesis account or one a version in force added. */
const struct proto_account *books_account(const struct books *bk, uint32_t code, uint32_t ymd);
/* The genesis. */
const struct proto_genesis *books_genesis(const struct books *bk);
const uint8_t *books_ledger_id(const struct books *bk);

/*
 * The balance of account for member (0: every member and none) over the postings dated <= ymd,
 * as debit minus credit (negate it for liability, equity and revenue accounts).
 */
int64_t books_balance(const struct books *bk, uint32_t account, uint32_t member, uint32_t ymd);
/* The natural-sign balance: debit - credit for assets and expenses, credit - debit otherwise
 * (by the account's type in the chart in force on ymd; unknown accounts: debit - credit). */
int64_t books_balance_natural(const struct books *bk, uint32_t account, uint32_t member,
                              uint32_t ymd);

/* The natural balance, at the end of ymd, of every account of the chart that holds account role
 * `role` (enum proto_acct_role) in P, by P's own rows or by the defaults of ACCOUNTING.md 1.3;
 * member 0: all members. */
int64_t books_role_balance(const struct books *bk, const struct proto_params *P, uint8_t role,
                           uint32_t member, uint32_t ymd);

/*
 * The end-of-day balance (debit - credit, as books_balance) of account for member (0: every
 * member and none) on each day from `from` to `to`, both YYYYMMDD and inclusive, into out[0..]:
 * one binary search, then the postings of that range. Returns the number of days, or -EINVAL
 * (a bad date, to before from, or more days than max).
 */
int books_balance_series(const struct books *bk, uint32_t account, uint32_t member, uint32_t from,
                         uint32_t to, int64_t *out, size_t max);
/* The members (ascending, member 0 left out) with a posting on account dated <= ymd, into *out
 * (the caller's: free()). -ENOMEM. */
int books_account_members(const struct books *bk, uint32_t account, uint32_t ymd, uint32_t **out,
                          size_t *count);
/* The effective interest entries (kind 50) of (period, product): writes up to max item indices
 * (id order), returns how many there are. */
size_t books_interest_items(const struct books *bk, uint32_t period, const char *product,
                            uint32_t *out, size_t max);

/* A berjangka placement: an effective deposit whose body carries a term (ACCOUNTING.md 3.6). */
struct books_placement {
    uint32_t item; /* the deposit (its id is the placement id) */
    uint32_t member, date, account;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint64_t principal;
    uint32_t months, rate_ppm; /* the placement's own term and annual rate */
    uint32_t withdrawn;        /* date of the first effective withdrawal naming it (0: none) */
};
size_t books_nplacements(const struct books *bk);
const struct books_placement *books_placement_at(const struct books *bk, size_t i); /* by item */

/* A member's savings at the end of ymd: the natural balances of every savings product's account
 * of P (each account once), as the `limit` rule counts them. */
int64_t books_savings(const struct books *bk, const struct proto_params *P, uint32_t member,
                      uint32_t ymd);

/* A member's status on day ymd, and the dates of the admission and exit that decide it. */
int books_member_status(const struct books *bk, uint32_t member, uint32_t ymd, uint32_t *admitted,
                        uint32_t *exited);
/* Every member number known to the books (roster, register, postings), ascending. */
size_t books_members(const struct books *bk, const uint32_t **out);
/* The members with a vote on day ymd: anggota (biasa) active at the end of the day, members of
 * a ledger kept before the register included; calon and luar biasa members have none. */
size_t books_voters(const struct books *bk, uint32_t ymd);
/* true if the member holds (or held) a pengurus, pengawas or kasir device. */
bool books_is_officer(const struct books *bk, uint32_t member);

/* ---- loans (ACCOUNTING.md 3.7) ---- */

enum books_loan_status {
    BOOKS_LOAN_APPLIED = 1,     /* the application waits (approvals) */
    BOOKS_LOAN_APPROVED = 2,    /* effective, not disbursed yet */
    BOOKS_LOAN_DISBURSED = 3,   /* an effective disbursement names it */
    BOOKS_LOAN_PAID = 4,        /* lunas: nothing outstanding (as of a date) */
    BOOKS_LOAN_REVERSED = 5,    /* dibalik: its disbursement was reversed (from that date on) */
    BOOKS_LOAN_WRITTEN_OFF = 6, /* hapus buku: an effective write-off (61), from its date */
};

/* One loan: an effective or waiting loan application (its id is the loan id). */
struct books_loan {
    uint32_t item; /* the application's item */
    uint32_t borrower;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint8_t status;         /* enum books_loan_status, regardless of any as-of date */
    uint32_t disbursed;     /* date of the first effective disbursement (0: none) */
    uint32_t disburse_item; /* its item (valid with disbursed) */
    uint32_t reversed;      /* status REVERSED: the date its disbursement was reversed (else 0) */
    uint64_t principal;
    bool officer; /* the borrower is an officer */
    /* The loan's effective write-off (61): the first by (date, id) that no reversal undoes for
     * good, else the first (0: none). From its date until any reversal of it, written off. */
    uint32_t written_off;        /* its date */
    uint32_t writeoff_item;      /* its item (valid with written_off) */
    uint64_t writeoff_principal; /* the principal it wrote off */
};

/* A loan's position at the end of a day (books_loan_state). */
struct books_loan_state {
    uint8_t status;       /* enum books_loan_status on that day */
    uint64_t outstanding; /* principal not repaid */
    uint64_t arrears;     /* principal and interest of installments past due, unpaid */
    uint32_t dpd;         /* days past due */
    uint32_t bucket;      /* index into the risk buckets in force (valid with has_bucket) */
    bool has_bucket;
    uint8_t klass; /* collectibility class of the bucket: 1 lancar .. 4 macet (0: none) */
    uint32_t ppap_ppm;
    uint64_t ppapwd;      /* outstanding x the bucket's rate */
    uint32_t next_due;    /* YYYYMMDD of the first installment not fully paid (0: none) */
    uint64_t next_amount; /* what remains of it */
    uint64_t interest_paid, principal_paid, penalty_paid;
    uint64_t late_fees;   /* late fees charged up to the day */
    uint64_t penalty_due; /* late fees - penalty paid */
    /* Written off by that day (status BOOKS_LOAN_WRITTEN_OFF): the principal written off;
     * outstanding, arrears and PPAPWD are then 0. */
    uint64_t written_off;
};

size_t books_nloans(const struct books *bk);
const struct books_loan *books_loan_at(const struct books *bk, size_t i); /* by loan id */
const struct books_loan *books_loan_find(const struct books *bk, const uint8_t id[32]);
/* The application of a loan, decoded (ERR_BODY if it cannot be). */
int books_loan_apply(const struct books *bk, const struct books_loan *l,
                     struct proto_loan_apply *out);
/* The loan's schedule (about 17 KiB: allocate it). -EINVAL before disbursement. */
int books_loan_schedule(const struct books *bk, const struct books_loan *l,
                        struct proto_loan_schedule *out);
/*
 * The loan's position at the end of ymd. Repayments (58) and the offsets of effective exit
 * settlements (42) naming the loan count as payments on their dates (principal, interest); from
 * the date of its write-off (61) the loan is written off, outstanding 0. -ENOMEM; errors of
 * proto_loan_status_compute.
 */
int books_loan_state(const struct books *bk, const struct books_loan *l, uint32_t ymd,
                     struct books_loan_state *out);

/*
 * As-of findings (waiting-aged, refund-overdue) for as_of, appended to the set-level ones and
 * sorted as above into *out (the caller's: free()). -ENOMEM.
 */
int books_findings_at(const struct books *bk, uint32_t as_of, struct books_finding **out,
                      size_t *n);

/* ---- closed years (ACCOUNTING.md 3.4, 4.5) ---- */

/* One effective close: its item, period, and the books of the set it closed (the entries its
 * frontier covers plus the close itself, taken as effective), from which its figures and
 * digests are recomputed. */
struct books_close {
    uint32_t item;
    uint32_t year, start, end;
    uint8_t frontier[32];       /* its frontier digest: the basis of the period's reports */
    const struct books *closed; /* borrowed: valid until books_free of the parent */
};

size_t books_ncloses(const struct books *bk); /* effective closes, ascending (end, id) */
const struct books_close *books_close_at(const struct books *bk, size_t i);
/* The effective close whose period holds ymd, or NULL. */
const struct books_close *books_close_of(const struct books *bk, uint32_t ymd);
/* The close these books were derived for (books_close.closed), or SIZE_MAX for a ledger's own
 * books. */
size_t books_closing_item(const struct books *bk);
/* true if posting k is a closing posting (of a close, kind 35): excluded from period movements
 * (ACCOUNTING.md 6.1). */
bool books_posting_closing(const struct books *bk, size_t k);
/* Adds a finding found by a reader (the close and SHU checks of proto/report.c), after
 * books_derive. -ENOMEM. */
int books_add_finding(struct books *bk, int code, uint32_t date, size_t item, uint32_t member,
                      uint32_t account, int64_t amount, int64_t d0, int64_t d1);

/* ---- reversals (ACCOUNTING.md 3.9) ---- */

/* The effective reversal (kind 64) of item i, or SIZE_MAX: at most one per target. */
size_t books_reversal_of(const struct books *bk, size_t i);
/* true if item i is reversed at the end of ymd: following the chain of effective reversals
 * (i, its reversal, the reversal's reversal, ...) while each is dated <= ymd, an odd number of
 * links (a reversal of a reversal re-instates). */
bool books_reversed_at(const struct books *bk, size_t i, uint32_t ymd);
/* true for the kinds a reversal cancels rather than mirrors (56, 59, 32, 34). */
bool books_cancel_kind(uint32_t kind);
/* true for the kinds a reversal mirrors (16, 17, 40..42, 48..50, 57, 58, 60, 61, 64, 72, 73). */
bool books_mirror_kind(uint32_t kind);

/*
 * ---- slices: the statement cache (docs/ACCOUNTING.md 5, docs/FORMATS.md 7.9) ----
 *
 * A slice is the part of derived books that one member's statement reads (report_statement and
 * its renderers), as bytes: a common part (the parameter versions and the effective closes) and
 * one part per member (the member's postings, register events, legacy record, loans with their
 * events, waiting items about the member, the items all of these name and their chains of
 * effective reversals). books_slice_open() builds books from the two parts that answer every
 * question a statement of that member asks exactly as the full books do: items (index order is
 * id order; first_posting and nposting are 0), postings, balances, status, loans, waiting items,
 * parameters, accounts, closes (without their closed books). Nothing else: no other member, no
 * balance over every member (member 0), no findings, placements or devices beyond the genesis
 * roster; only loan and register items carry their bodies.
 *
 * books_slice_common(): the common part appended to out. books_slice_each(): calls fn once per
 * member any statement part names (postings, register, legacy, loans, waiting items), in
 * ascending order, with the member's part (borrowed until fn returns); a member not listed has
 * an empty statement. A non-zero return from fn stops and is returned. Both need derived books
 * (-EINVAL for the books of a closed year); -ENOMEM.
 */
typedef int books_slice_fn(void *ctx, uint32_t member, const uint8_t *slice, size_t len);
int books_slice_common(const struct books *bk, struct proto_buf *out);
int books_slice_each(const struct books *bk, books_slice_fn *fn, void *ctx);
/* Books of one member from the parts (copied) and the ledger's genesis, ledger id and genesis
 * author; slen 0: a member no part names. *out is the caller's: books_free(). ERR_BADFRAME for
 * parts that do not decode whole or a part of another member; errors of proto_params_decode;
 * -ENOMEM. */
int books_slice_open(const struct proto_genesis *g, const uint8_t ledger_id[32],
                     const uint8_t genesis_author[32], uint32_t member, const uint8_t *common,
                     size_t clen, const uint8_t *slice, size_t slen, struct books **out);

/* Stable short names. */
const char *books_status_name(int status); /* "effective", "waiting", ... */
const char *books_reason_name(int reason); /* "approvals", "countersign", ... ("" for none) */
const char *books_code_name(int code);     /* "malformed", "overdrawn", ... */
int books_code_severity(int code);

#endif
