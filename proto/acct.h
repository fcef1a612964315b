/*
 * Bodies of the accounting kinds (docs/ACCOUNTING.md section 3) and the postings each one makes
 * (its "pattern"): a pure function of the body alone (decision D3), so that balances are sums of
 * per-entry constants and the order entries arrive in can never change an amount. The loan
 * kinds 57 and 58 name their loan, not its borrower and accounts: their pattern is a function of
 * the body and of the loan's application (proto_acct_loan_postings).
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
#include "proto/loan.h"
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
    PROTO_KIND_INTEREST = 50,
    PROTO_KIND_LOAN_APPLY = 56,
    PROTO_KIND_LOAN_DISBURSE = 57,
    PROTO_KIND_LOAN_REPAY = 58,
    PROTO_KIND_LATE_FEE = 59,
    PROTO_KIND_PROVISION = 60,
    PROTO_KIND_WRITE_OFF = 61,
    PROTO_KIND_REVERSE = 64,
};

#define PROTO_ACCT_MEMO_MAX          200
#define PROTO_ACCT_REASON_MAX        200 /* a reversal's reason: str 1..200 bytes */
#define PROTO_ACCT_EVIDENCE_MAX      8
#define PROTO_ACCT_SAVINGS_MAX       8    /* exit-settle savings rows */
#define PROTO_ACCT_OFFSETS_MAX       16   /* exit-settle loan offsets */
#define PROTO_ACCT_TERM_MONTHS_MAX   120  /* deposit term: 1..120 months */
#define PROTO_ACCT_FEES_MAX          4    /* loan fees, disbursement deductions */
#define PROTO_ACCT_PURPOSE_MAX       5    /* loan purpose: 1..5 */
#define PROTO_ACCT_INTEREST_ROWS_MAX 2000 /* interest rows: 1..2000 members */
/* An interest row's basis: rupiah-days (method 2) of a month of 31 days at most. */
#define PROTO_ACCT_BASIS_MAX (31 * PROTO_AMOUNT_MAX)
/* The most lines any pattern of these kinds makes (kind 17: its own lines; kind 50: one per row,
 * the expense line and the tax line). */
#define PROTO_ACCT_LINES_MAX (PROTO_ACCT_INTEREST_ROWS_MAX + 2)

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

/* interest (50) = [period, date, product, method, rate_ppm, expense_account, account, tax_account,
 *                 rows, memo]
 * rows: array(1..2000) of [member, basis, gross, tax], member strictly ascending, tax <= gross;
 * period YYYYMM (a month of the calendar proto_date_valid accepts); method 1..3 (enum
 * proto_savings_method, not 0); rate_ppm 0..PROTO_PARAMS_RATE_MAX (annual); basis
 * 0..PROTO_ACCT_BASIS_MAX; gross, tax 0..PROTO_AMOUNT_MAX and the sum of the gross figures at
 * most PROTO_AMOUNT_MAX (so every posting line stays within a journal line's cap). The rows are
 * last in the struct: decoding writes the whole struct, unused rows zero. */
struct proto_interest_row {
    uint32_t member;
    uint64_t basis; /* method 1: lowest balance; 2: rupiah-days; 3: principal placed */
    uint64_t gross, tax;
};
struct proto_interest {
    uint32_t period; /* YYYYMM */
    uint32_t date;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint8_t method;    /* enum proto_savings_method, 1..3 */
    uint32_t rate_ppm; /* annual */
    uint32_t expense_account, account, tax_account;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
    uint32_t nrows;
    struct proto_interest_row rows[PROTO_ACCT_INTEREST_ROWS_MAX];
};

/* A row [account, amount] of a loan's fees or a disbursement's deductions (amount 0..10^15). */
struct proto_acct_row {
    uint32_t account;
    uint64_t amount;
};

/* loan-apply (56) = [borrower, date, product, principal, periods, rate_ppm, method, rounding,
 *                    accounts, fees, purpose, collateral, memo]
 * rounding: [mode, unit]; accounts: [receivable, interest, penalty]; fees: array(0..4) of
 * [account, amount]; collateral: bin(32) or nil. rate_ppm is ANNUAL. principal >= 1. The terms
 * (principal, periods, rate_ppm, method, rounding) pass proto_loan_terms_check with the
 * application date as the disbursement day (so the last installment stays in the calendar). */
enum proto_loan_purpose {
    PROTO_PURPOSE_PRODUKTIF = 1,
    PROTO_PURPOSE_KONSUMTIF = 2,
    PROTO_PURPOSE_PENDIDIKAN = 3,
    PROTO_PURPOSE_KESEHATAN = 4,
    PROTO_PURPOSE_LAINNYA = 5,
};
struct proto_loan_apply {
    uint32_t borrower;
    uint32_t date;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint64_t principal;
    uint32_t periods;  /* 1..PROTO_LOAN_PERIODS_MAX */
    uint32_t rate_ppm; /* annual, 0..PROTO_LOAN_RATE_MAX */
    uint8_t method;    /* enum proto_loan_method */
    struct proto_loan_rounding rounding;
    uint32_t receivable, interest, penalty;
    uint32_t nfees;
    struct proto_acct_row fees[PROTO_ACCT_FEES_MAX];
    uint8_t purpose; /* enum proto_loan_purpose */
    bool has_collateral;
    uint8_t collateral[32];
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* loan-disburse (57) = [loan, date, gross, cash_account, fees, deductions, memo]
 * fees, deductions: array(0..4) of [account, amount]. gross >= 1; the net paid out,
 * gross - sum(fees) - sum(deductions), must not be negative (else ERR_BODY). */
struct proto_loan_disburse {
    uint8_t loan[32]; /* the loan-apply id */
    uint32_t date;
    uint64_t gross;
    uint32_t cash_account;
    uint32_t nfees;
    struct proto_acct_row fees[PROTO_ACCT_FEES_MAX];
    uint32_t ndeductions;
    struct proto_acct_row deductions[PROTO_ACCT_FEES_MAX];
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* loan-repay (58) = [loan, date, penalty, interest, principal, excess, cash_account,
 *                    excess_account, memo]
 * amount = penalty + interest + principal + excess >= 1; excess_account nil iff excess = 0. */
struct proto_loan_repay {
    uint8_t loan[32];
    uint32_t date;
    uint64_t penalty, interest, principal, excess;
    uint32_t cash_account;
    uint32_t excess_account; /* 0 iff excess == 0 */
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* late-fee (59) = [loan, date, installment, amount, memo]
 * installment 1..PROTO_LOAN_PERIODS_MAX (the books check it against the loan's periods);
 * amount >= 1. */
struct proto_late_fee {
    uint8_t loan[32];
    uint32_t date;
    uint32_t installment;
    uint64_t amount;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* provision (60) = [date, expense_account, allowance_account, amount, memo]
 * amount: int, not 0, |amount| <= PROTO_AMOUNT_MAX. Positive: Dr expense / Cr allowance (the
 * allowance grows); negative: Dr allowance / Cr expense (it is released). */
struct proto_provision {
    uint32_t date;
    uint32_t expense_account, allowance_account;
    int64_t amount;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* write-off (61) = [loan, date, principal, allowance_account, resolution, memo]
 * principal >= 1; resolution: nil or the id of the resolution (kind 34) that decided it. */
struct proto_write_off {
    uint8_t loan[32]; /* the loan-apply id */
    uint32_t date;
    uint64_t principal;
    uint32_t allowance_account;
    bool has_resolution;
    uint8_t resolution[32];
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* reverse (64) = [target, date, reason]: reason a str of 1..200 bytes. The body names only its
 * target: subjects, matrix amount and postings are the target's (the books supply them; see
 * proto_acct_mirror for the postings). */
struct proto_reverse {
    uint8_t target[32];
    uint32_t date;
    char reason[PROTO_ACCT_REASON_MAX + 1];
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
        struct proto_interest interest;
        struct proto_loan_apply apply;
        struct proto_loan_disburse disburse;
        struct proto_loan_repay repay;
        struct proto_late_fee latefee;
        struct proto_provision provision;
        struct proto_write_off writeoff;
        struct proto_reverse reverse;
    } u;
};

/* true for the kinds this file decodes. */
bool proto_acct_kind_known(uint64_t kind);

/*
 * The bytes of struct proto_acct_body that a body of this kind uses: the kind field and its own
 * member of the union (0 for a kind this file does not know). The union is as large as its
 * largest member (kind 50's 2000 rows, about 64 KiB); the others are a few KiB at most.
 */
size_t proto_acct_body_size(uint64_t kind);

/*
 * Decodes the body of an entry of kind (one of enum proto_acct_kind) into *out; out->kind = kind.
 * On success the first proto_acct_body_size(kind) bytes of *out are overwritten whole (unused
 * array slots zero) and the rest of the union is left as it was: decoding a small kind does not
 * pay for clearing kind 50's rows. ERR_BODY for any departure from the format (including every
 * rule of proto_acct_check), or for a kind this file does not know; -ENOMEM. On failure *out is
 * all zero.
 */
int proto_acct_decode(uint64_t kind, const uint8_t *body, size_t len, struct proto_acct_body *out);
/*
 * Encodes b per b->kind, canonically: proto_acct_decode() of the bytes gives b back when b
 * passes proto_acct_check() (and leaves zero what its nil fields ignore). b is not checked
 * otherwise, so a test can encode a bad body. -ENOMEM, or -EINVAL for an unknown kind or a count
 * above its array's capacity (nlines, nevidence, nsavings, noffsets, nfees, ndeductions).
 */
int proto_acct_encode(const struct proto_acct_body *b, struct proto_buf *out);
/*
 * The rules a decoded body meets, on a decoded or hand-built one (what the CLI checks before it
 * authors): ranges, dates, strings (UTF-8, no NUL, lengths), product codes, counts, fee rules,
 * a non-negative exit-settle payout, loan terms (proto_loan_terms_check), a non-negative
 * disbursement net, a repayment of at least 1. 0, or ERR_BODY (also for an unknown kind).
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
 * (ACCOUNTING.md 2.7, 3.1, 3.5, 3.6, 3.7): lines with amount 0 are left out; a line on a member
 * sub-ledger names the member. Writes at most max lines to out and returns how many there are
 * (which may exceed max: call again with more room), or a negative code. Kind 17: its own lines.
 * Kind 50: Dr expense_account sum(gross), Cr account(m_i) gross_i - tax_i for each row (in row
 * order), Cr tax_account sum(tax): at most PROTO_ACCT_LINES_MAX lines. Kinds 33, 56 and 59: none.
 * Kind 64: -EINVAL, its lines are its target's mirrored (proto_acct_mirror).
 * Kind 42 with offsets needs each loan's receivable and interest accounts: the caller passes them
 * in loan_accts (2 per offset, in order: receivable, interest), NULL when noffsets is 0; -EINVAL if
 * needed and missing (or not an account 1000..9999), if b fails proto_acct_check(), or if out is
 * NULL with max > 0. Kinds 57 and 58: -EINVAL, their pattern needs the application
 * (proto_acct_loan_postings). Kind 60: amount > 0 Dr expense_account / Cr allowance_account,
 * amount < 0 Dr allowance_account / Cr expense_account (|amount|), no member. Kind 61: -EINVAL,
 * as 57 and 58 (its receivable and borrower come from the application). Each pattern balances by
 * construction. A pattern line may exceed
 * PROTO_AMOUNT_MAX: 41's refund line is pokok + wajib (at most 2 x), 42's cash line the payout (at
 * most 9 x).
 */
int proto_acct_postings(const struct proto_acct_body *b, const uint32_t *loan_accts,
                        struct proto_line *out, size_t max);

/* sub_mask of proto_acct_loan_postings: bit i (i < PROTO_ACCT_FEES_MAX) for deduction i, and: */
#define PROTO_ACCT_SUB_EXCESS (1u << PROTO_ACCT_FEES_MAX) /* the excess line of kind 58 */

/*
 * Postings of 57, 58 and 61, which take the borrower b and the accounts from the loan's
 * application app (ACCOUNTING.md 3.7 and 3.8 tables), in this order:
 *   57: Dr receivable(b) gross / Cr cash_account net, Cr fee_i amount_i (no member),
 *       Cr deduction_i amount_i (member b when bit i of sub_mask is set, else none);
 *   58: Dr cash_account amount / Cr penalty penalty (no member), Cr interest(b) interest,
 *       Cr receivable(b) principal, Cr excess_account excess (member b when sub_mask has
 *       PROTO_ACCT_SUB_EXCESS, else none);
 *   61: Dr allowance_account principal (no member) / Cr receivable(b) principal.
 * sub_mask bit i (i < 4) marks deduction i as a line on a member sub-ledger and bit 4 the excess
 * line: the caller knows which accounts have sub-ledgers; bits of absent lines are ignored.
 * Kinds 56 and 59: none (0, app not read). Lines of amount 0 are left out. Same return
 * convention as proto_acct_postings (the count, which may exceed max). -EINVAL if b fails
 * proto_acct_check() or is of another kind, if app is NULL or fails the rules of a loan-apply
 * body, if sub_mask has a bit above bit 4, or if out is NULL with max > 0. 58's cash line may
 * exceed PROTO_AMOUNT_MAX (at most 4 x).
 */
int proto_acct_loan_postings(const struct proto_acct_body *b, const struct proto_loan_apply *app,
                             unsigned sub_mask, struct proto_line *out, size_t max);

/*
 * The postings of a reversal (64): the n lines of its target, in order, with debit and credit
 * swapped (same accounts, same members), so that target + mirror sums to nothing on every account
 * and sub-ledger. Writes at most max lines to out and returns n, or -EINVAL if a line is not a
 * well-formed posting (account 1000..9999, exactly one side non-zero) or out is NULL with
 * max > 0. in and out may be the same array.
 */
int proto_acct_mirror(const struct proto_line *in, size_t n, struct proto_line *out, size_t max);

/* Sum of the gross figures of an interest body (its matrix amount), of at most nrows rows; at
 * most PROTO_ACCT_INTEREST_ROWS_MAX x PROTO_AMOUNT_MAX, so it never wraps. */
uint64_t proto_acct_interest_gross(const struct proto_interest *in);
/* The row of member m in an interest body (rows ascending by member), or NULL. */
const struct proto_interest_row *proto_acct_interest_row(const struct proto_interest *in,
                                                         uint32_t m);

/* The business date of a body (0 for kind 33, which has none; 64: the reversal's own date). */
uint32_t proto_acct_date(const struct proto_acct_body *b);
/* The member the entry is about (its subject), 0 for none (kinds 17 and 33: 0; for 17 the
 * subjects are the members named on its lines, see proto_acct_subjects). 56: the borrower;
 * 57..59: 0, the body does not name the borrower (the books take it from the application);
 * 50: 0, a bulk kind has no subject (ACCOUNTING.md 2.3); 64: 0, the target's (books). */
uint32_t proto_acct_member(const struct proto_acct_body *b);
/*
 * The subjects of an entry (ACCOUNTING.md 2.3: the members it is about, who never count as its
 * approvers): kind 17 the distinct members on its lines, ascending; 40..49 the member; 56 the
 * borrower. Writes up to max (the smallest), returns the count (which may exceed max); kinds 33,
 * 50, 57..59, 60, 61 and 64: 0 (for 57..59 and 61 the books add the application's borrower, for
 * 64 the target's subjects; 50 and 60 are bulk kinds whose members never keep officers from
 * approving them).
 */
size_t proto_acct_subjects(const struct proto_acct_body *b, uint32_t *out, size_t max);
/*
 * The matrix amount (ACCOUNTING.md 3 overview): 17 sum of debits; 40 pokok; 41 pokok + wajib;
 * 42 refund + sum(savings); 48 and 49 amount; 50 sum of the gross figures; 56 principal; 57 gross;
 * 58 penalty + interest + principal + excess; 59 amount; 60 |amount|; 61 principal; 33: 0;
 * 64: 0 (the target's amount, which the books supply).
 */
uint64_t proto_acct_amount(const struct proto_acct_body *b);
/* The countersign subject (2.5): 41 the member; 42 the member when it pays cash out (payout > 0);
 * 49 the member; others 0 (57's is the application's borrower: the books take it from there). */
uint32_t proto_acct_csign_subject(const struct proto_acct_body *b);

/* Short stable names for kinds: "journal-a", "sign", "member-admit", ..., or NULL. */
const char *proto_acct_kind_name(uint64_t kind);

#endif
