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
    const char *type; /* "neraca", "statement", "pending", "findings" */
    uint32_t start, end, as_of;
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

/* The fingerprint of a digest: its first 16 hex digits in groups of 4 (REPORT_FPR_CHARS + 1). */
void report_fingerprint(const uint8_t digest[32], char out[REPORT_FPR_CHARS + 1]);
/* The financial year [start, end] containing ymd (fy_start_month from the params in force on
 * ymd; January without params). */
void report_year(const struct books *bk, uint32_t ymd, uint32_t *start, uint32_t *end);

#endif
