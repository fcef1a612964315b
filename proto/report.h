/*
 * Reports as pure functions of the books and an explicit as-of date (docs/ACCOUNTING.md
 * section 6), each with the canonical msgpack of its data and a digest of it:
 *
 *   report = ["saksi-report", 1, type, ledger_id, start, end, as_of, basis, data]
 *   digest = SHA-256("saksi-report-v1\0" || report)
 *
 * so two members can compare a 64-hex digest (or its first 16 hex digits, the fingerprint)
 * instead of every figure. Labels, names and language are not in the data: renderers (cli/)
 * add them. Integer arithmetic only.
 *
 * Each builder fills a struct the renderers read and, in the same call, the canonical bytes and
 * the digest. Structs are the caller's: report_*_free().
 */
#ifndef SAKSI_PROTO_REPORT_H
#define SAKSI_PROTO_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/books.h"
#include "proto/buf.h"

#define REPORT_VERSION   1
#define REPORT_FPR_CHARS 19 /* "xxxx xxxx xxxx xxxx" */

/* Synthetic neraca codes (ACCOUNTING.md 6.2). */
#define REPORT_CODE_SHU_CURRENT 1 /* SHU tahun berjalan: revenue - expense not yet closed */
#define REPORT_CODE_UNBALANCED  2 /* the difference of unbalanced journals (0 normally) */

struct report_meta {
    const char *type; /* "neraca", "lhu", "equity", "cashflow", "loans", "statement", "pending",
                       * "findings", "shu-members" */
    uint32_t start, end, as_of;
    bool has_basis;   /* an effective close of exactly [start, end] and as_of >= end: */
    uint8_t basis[32]; /* its frontier digest (ACCOUNTING.md 6.1) */
    uint8_t digest[32];
    struct proto_buf bytes; /* the canonical report */
};

/* ---- neraca (laporan posisi keuangan) ---- */

struct report_neraca_row {
    uint32_t code;  /* account, or REPORT_CODE_* */
    uint8_t type;   /* enum proto_acct_type (synthetic rows: EQUITY) */
    int64_t amount; /* natural sign: A and CA debit - credit; L and E credit - debit */
    int64_t prior;  /* the same one year earlier */
};

struct report_neraca {
    struct report_meta meta;
    uint32_t prior_date;
    size_t nrows;
    struct report_neraca_row *rows; /* ascending code; rows where amount or prior is non-zero */
    int64_t assets, liabilities, equity;
    int64_t prior_assets, prior_liabilities, prior_equity;
    bool balanced; /* assets == liabilities + equity */
};

/* The financial position at the end of as_of (postings dated <= as_of). start/end: the year's. */
int report_neraca(const struct books *bk, uint32_t as_of, struct report_neraca *out);
void report_neraca_free(struct report_neraca *r);

/* ---- loans (loan portfolio and collectibility, ACCOUNTING.md 6.7) ---- */

struct report_loan_row {
    uint32_t loan; /* index for books_loan_at() */
    uint32_t member;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint32_t disbursed;
    uint64_t principal;
    bool officer;
    struct books_loan_state st; /* at as_of */
};

struct report_bucket {
    uint32_t index;
    uint8_t klass;
    uint32_t count;
    uint64_t outstanding;
    uint32_t ppap_ppm;
    uint64_t ppapwd;
};

struct report_top {
    uint32_t member;
    uint64_t outstanding;
    uint32_t ppm; /* of the whole outstanding, rounded half up */
};

struct report_loans {
    struct report_meta meta;
    size_t n;
    struct report_loan_row *rows; /* loans disbursed by as_of, by (member, disbursed, loan id) */
    size_t nbuckets;
    struct report_bucket buckets[PROTO_PARAMS_RISK_MAX];
    uint64_t count, outstanding;
    uint64_t bermasalah; /* outstanding of loans in class >= 2 */
    uint32_t ratio_ppm;  /* bermasalah / outstanding, half up */
    uint64_t ppapwd;
    int64_t ppap_booked; /* the allowance accounts' balance (credit - debit) */
    uint64_t officer_outstanding;
    size_t ntop;
    struct report_top top[10];
    uint64_t written_off; /* principal written off (61) of the loans written off by as_of */
};

int report_loans(const struct books *bk, uint32_t as_of, struct report_loans *out);
void report_loans_free(struct report_loans *r);

/* ---- member statement ---- */

struct report_move {
    uint32_t date;
    uint32_t item; /* books item index */
    uint32_t kind;
    uint64_t debit, credit;
    bool confirmed; /* the member signed the entry */
};

struct report_stmt_account {
    uint32_t account;
    char product[PROTO_PARAMS_CODE_MAX + 1]; /* "" when no product names the account */
    int64_t opening;                         /* balance before from, natural sign of the account */
    int64_t closing;                         /* balance at the end of to */
    size_t nmoves;
    struct report_move *moves; /* from <= date <= to, by (date, id, line) */
};

struct report_statement {
    struct report_meta meta;
    uint32_t member;
    uint8_t status;          /* enum books_member_status on as_of */
    uint32_t joined, exited; /* 0: none */
    size_t naccounts;
    struct report_stmt_account *accounts; /* every sub-ledger account the member has postings on */
    size_t nloans;
    struct report_loan_row *loans; /* the member's loans, applied or disbursed by as_of */
    int64_t refund_balance;        /* balance of the refund account(s) (role 8) at as_of */
    uint32_t refund_due;           /* exit date + refund_days, 0 when nothing is due */
    int64_t overdue_days;          /* as_of - refund_due when positive and a balance remains */
    size_t nwaiting;
    uint32_t *waiting; /* items about this member (or authored by one of its devices) that wait */
};

/* Member N's statement over [from, to], figures at as_of (to <= as_of normally). */
int report_statement(const struct books *bk, uint32_t member, uint32_t from, uint32_t to,
                     uint32_t as_of, struct report_statement *out);
void report_statement_free(struct report_statement *r);

/* ---- pending (menunggu) ---- */

struct report_pending {
    struct report_meta meta;
    size_t n;
    uint32_t *items; /* waiting items dated <= as_of, by (date, id) */
};

/* member 0: all; else only items about that member. */
int report_pending(const struct books *bk, uint32_t as_of, uint32_t member,
                   struct report_pending *out);
void report_pending_free(struct report_pending *r);

/* ---- findings ---- */

struct report_findings {
    struct report_meta meta;
    size_t n;
    struct books_finding *rows; /* dated in [start, as_of], sorted by (code, date, entry, member) */
};

int report_findings(const struct books *bk, uint32_t start, uint32_t as_of,
                    struct report_findings *out);
void report_findings_free(struct report_findings *r);

/*
 * ---- period reports: lhu, equity, cashflow, shu-members (ACCOUNTING.md 6.3, 6.4, 6.5, 6.8) ----
 *
 * Each covers the period [start, end] with figures at as_of: movements are the effective
 * postings dated from start to min(end, as_of), balances are taken at the end of that day, and
 * "opening" is the balance at the end of the day before start. Movements over the period leave
 * out the closing postings (those of a close entry, kind 35) everywhere but in the equity report,
 * whose source 5 is the close itself (so that its closing balances stay the neraca's). The
 * classification (LHU sections, cash-flow lines, the cash accounts, the SHU table and bases)
 * comes from the parameter version in force on `end`, or from the defaults of ACCOUNTING.md 1.3
 * without one. Any period may be asked for (the close entry computes its own figures with these
 * functions). Memory: O(accounts + members); time: one pass over the postings up to the last day.
 * Errors: -ENOMEM; report_shu_members also -ENOENT (no table: no parameters in force on `end`
 * and none passed), ERR_RULE (a table that fails proto_shu_table_check) and -EOVERFLOW (bases
 * too large for exact integers). On failure *out is zeroed and owns nothing.
 */

#define REPORT_KIND_CLOSE   35 /* close (ACCOUNTING.md 3.4): its postings are "closing" */
#define REPORT_KIND_REVERSE 64 /* reverse (3.9): counts under its target's equity source */

/* One part of the SHU table with its amount (and, for the proposal, the account it goes to). */
struct report_shu_part {
    uint32_t index; /* in the table */
    uint8_t role;   /* enum proto_shu_role */
    uint32_t ppm;
    uint32_t account; /* the part's account in the parameters (0 for a table passed in) */
    int64_t amount;
};

/* ---- lhu (laporan hasil usaha / laporan SHU) ---- */

#define REPORT_LHU_SECTIONS 7 /* 1 partisipasi bruto .. 7 pajak */

struct report_lhu_row {
    uint32_t account;
    int64_t amount; /* revenue sections (1, 3, 4): credit - debit; the others debit - credit */
};

struct report_lhu_section {
    uint8_t section; /* 1..7 */
    size_t nrows;
    struct report_lhu_row *rows; /* accounts with a non-zero movement, ascending */
    int64_t subtotal;
};

struct report_lhu {
    struct report_meta meta;
    struct report_lhu_section sections[REPORT_LHU_SECTIONS]; /* always all seven, in order */
    int64_t partisipasi_neto;                                /* s1 - s2 */
    int64_t shu_before_tax;                                  /* s1 - s2 + s3 + s4 - s5 - s6 */
    int64_t tax;                                             /* s7 */
    int64_t shu_after_tax;
    int64_t nonmember; /* floor(after_tax x s3 / (s1 + s3 + s4)) when both are positive */
    int64_t member;    /* after_tax - nonmember: SHU_A */
    /*
     * The proposal (member > 0 and a table in force on `end`): the table's split of `member`
     * (proto_shu_table_split), where the two member parts keep what the members are paid and
     * the residual part (shu.residual_part) also receives the non-member SHU and both pools'
     * residuals (6.8): the amounts add up to shu_after_tax, all of the year's SHU.
     */
    bool has_proposal;
    size_t nproposal;
    struct report_shu_part proposal[PROTO_SHU_PARTS_MAX];
};

int report_lhu(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
               struct report_lhu *out);
void report_lhu_free(struct report_lhu *r);

/* ---- equity (laporan perubahan ekuitas) ---- */

/* Where an equity movement comes from: the kind of the posting's entry (ACCOUNTING.md 6.4). */
enum report_eq_source {
    REPORT_SRC_ADMISSION = 1, /* 40 */
    REPORT_SRC_DEPOSIT = 2,   /* 48 */
    REPORT_SRC_EXIT = 3,      /* 41 */
    REPORT_SRC_SHU = 4,       /* 72 */
    REPORT_SRC_CLOSE = 5,     /* 35 */
    REPORT_SRC_JOURNAL = 6,   /* 16, 17 */
    REPORT_SRC_OTHER = 7,     /* everything else; a reversal counts as its target */
    REPORT_SRC_MAX = 7,
};

struct report_equity_row {
    uint32_t account; /* an equity account, or REPORT_CODE_SHU_CURRENT (revenue - expense) */
    int64_t opening;  /* credit - debit at the end of the day before start */
    int64_t credit[REPORT_SRC_MAX + 1], debit[REPORT_SRC_MAX + 1]; /* by source (index 0 unused) */
    int64_t closing;                                               /* opening + credits - debits */
};

struct report_equity {
    struct report_meta meta;
    size_t n;
    struct report_equity_row *rows; /* ascending code; rows with an opening or a movement */
    int64_t opening, closing;       /* closing = the neraca's equity at the period's last day */
};

int report_equity(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                  struct report_equity *out);
void report_equity_free(struct report_equity *r);

/* ---- cashflow (laporan arus kas, direct method) ---- */

#define REPORT_CF_OTHER 99 /* the activity of counter-accounts no line takes; line = account */

struct report_cf_line {
    uint8_t activity; /* 1 operasi, 2 investasi, 3 pendanaan, 99 other */
    uint32_t line;    /* 1..17 by default (6.5), 1..99 from cf_map, the account code in 99 */
    int64_t inflow, outflow;
};

struct report_cf_activity {
    uint8_t activity;
    size_t first, n; /* its lines: lines[first .. first + n) */
    int64_t net;     /* inflows - outflows */
};

struct report_cashflow {
    struct report_meta meta;
    int64_t opening_cash, closing_cash; /* role-1 accounts, debit - credit */
    size_t nlines;
    struct report_cf_line *lines; /* non-zero lines, by (activity, line) */
    size_t nact;
    struct report_cf_activity act[8]; /* 1, 2, 3 always, then any other with lines */
    int64_t net;
    bool reconciles; /* opening + net == closing (false flags an unbalanced entry) */
};

int report_cashflow(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                    struct report_cashflow *out);
void report_cashflow_free(struct report_cashflow *r);

/* ---- shu-members (SHU per member) ---- */

struct report_shu_row {
    uint32_t member;
    int64_t capital; /* S_i: rupiah (end balance) or rupiah-days (time-weighted) */
    int64_t usage;   /* T_i: rupiah */
    int64_t jm, ju;  /* jasa modal, jasa usaha */
};

struct report_shu_members {
    struct report_meta meta;
    int64_t shu_member; /* the LHU's member SHU over the same period (0 when it is <= 0) */
    int64_t nonmember;  /* the LHU's non-member SHU */
    size_t nparts;
    struct report_shu_part parts[PROTO_SHU_PARTS_MAX]; /* the table's split of shu_member */
    uint32_t residual_part; /* the part that takes residuals and non-member SHU (the table's
                             * first role-0 part when none is configured) */
    struct proto_shu_pool jm, ju;
    size_t n;
    struct report_shu_row *rows; /* eligible members, ascending */
    uint8_t members_root[32];    /* RFC 6962 root over the rows (10.2) */
};

/*
 * table NULL: the SHU table of the parameters in force on `end`. The bases, eligibility,
 * rounding mode and residual part always come from those parameters (defaults of
 * proto_params_default without them).
 */
int report_shu_members(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                       const struct proto_shu_table *table, struct report_shu_members *out);
void report_shu_members_free(struct report_shu_members *r);

/* The leaf of one row: SHA-256(0x00 || "saksi-shu-v1\0" || canonical [member, S, T, jm, ju]). */
int report_shu_leaf(const struct report_shu_row *row, uint8_t out[32]);

/* The fingerprint of a digest: its first 16 hex digits in groups of 4 (REPORT_FPR_CHARS + 1). */
void report_fingerprint(const uint8_t digest[32], char out[REPORT_FPR_CHARS + 1]);
/* The financial year [start, end] containing ymd (fy_start_month from the params in force on
 * ymd; January without params). */
void report_year(const struct books *bk, uint32_t ymd, uint32_t *start, uint32_t *end);

#endif
