/*
 * Accounting parameters as ledger data: the body of kind 32 (params), docs/ACCOUNTING.md
 * section 1. A parameter set is versioned by its `adopted` and `effective` business dates; the
 * founding version is a kind 32 entry at seq 2 of the genesis author's feed. No money rule of the
 * accounting is hard-coded: amounts, products, approval matrix, countersignature modes, risk
 * buckets, SHU table and rounding all come from here.
 *
 * Three outcomes, kept apart as ACCOUNTING.md 1.4 does:
 *   - the body does not match the format (arity, types, ranges, strings): proto_params_decode()
 *     fails with ERR_BODY and the entry is `malformed` (stored, no effect);
 *   - the body is well-formed but self-inconsistent (SHU table not 100 %, buckets, rounding,
 *     duplicate product codes, matrix rows unsorted, ...): proto_params_check() names the
 *     problem and the version is `void` (finding params-invalid);
 *   - otherwise the version can be adopted.
 * Pure functions: no I/O, no allocation beyond the caller's struct (which is large: allocate it,
 * do not put it on a small stack).
 */
#ifndef SAKSI_PROTO_PARAMS_H
#define SAKSI_PROTO_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/ledger.h"
#include "proto/loan.h"
#include "proto/shu.h"

#define PROTO_KIND_PARAMS 32

#define PROTO_PARAMS_FMT         1
#define PROTO_PARAMS_ADD_MAX     200
#define PROTO_PARAMS_ROLES_MAX   64
#define PROTO_PARAMS_AUTHORS_MAX 32
#define PROTO_PARAMS_MATRIX_MAX  128
#define PROTO_PARAMS_CSIGN_MAX   32
#define PROTO_PARAMS_SAVINGS_MAX 16
#define PROTO_PARAMS_LOANS_MAX   16
#define PROTO_PARAMS_FEES_MAX    4
#define PROTO_PARAMS_RISK_MAX    8
#define PROTO_PARAMS_ACCTS_MAX   16 /* accounts lists in shu.capital/usage/nonmember */
#define PROTO_PARAMS_LHU_MAX     200
#define PROTO_PARAMS_CF_MAX      64
#define PROTO_PARAMS_CODE_MAX    8         /* product codes: 1..8 bytes of A-Z 0-9 */
#define PROTO_PARAMS_NAME_MAX    100       /* names: 1..100 bytes, UTF-8, no NUL or control bytes */
#define PROTO_PARAMS_RATE_MAX    10000000u /* rates: 0..10^7 ppm (1000 %) */

/* Semantic account roles (ACCOUNTING.md 1.3). */
enum proto_acct_role {
    PROTO_AR_CASH = 1,
    PROTO_AR_LOANS = 2,
    PROTO_AR_ALLOWANCE = 3,
    PROTO_AR_ACCRUED = 4,
    PROTO_AR_PLACEMENTS = 5,
    PROTO_AR_TAX_PAYABLE = 6,
    PROTO_AR_SHU_PAYABLE = 7,
    PROTO_AR_REFUNDS = 8,
    PROTO_AR_POKOK = 9,
    PROTO_AR_WAJIB = 10,
    PROTO_AR_RESERVE = 11,
    PROTO_AR_SHU_CURRENT = 12,
    PROTO_AR_SHU_PRIOR = 13,
    PROTO_AR_INTEREST_MEMBERS = 14,
    PROTO_AR_INTEREST_OTHERS = 15,
    PROTO_AR_FEES = 16,
    PROTO_AR_PENALTIES = 17,
    PROTO_AR_OTHER_INCOME = 18,
    PROTO_AR_PPAP_EXPENSE = 19,
    PROTO_AR_TAX_EXPENSE = 20,
    PROTO_AR_BORROWINGS = 21,
    PROTO_AR_FIXED_ASSETS = 22,
    PROTO_AR_MAX = 22,
};

/* Savings classes. */
enum proto_savings_class {
    PROTO_SAV_POKOK = 1,
    PROTO_SAV_WAJIB = 2,
    PROTO_SAV_SUKARELA = 3,
    PROTO_SAV_BERJANGKA = 4,
    PROTO_SAV_KHUSUS = 5,
};

/* Interest methods of a savings product. */
enum proto_savings_method {
    PROTO_SAVM_NONE = 0,
    PROTO_SAVM_LOWEST = 1, /* lowest balance of the month */
    PROTO_SAVM_DAILY = 2,  /* daily balance, ACT/365 */
    PROTO_SAVM_TERM = 3,   /* berjangka: on the placement */
};

/* Countersignature modes (ACCOUNTING.md 2.5). */
enum proto_csign_mode {
    PROTO_CSIGN_NONE = 0,
    PROTO_CSIGN_MEMBER = 1,  /* the subject member's own device */
    PROTO_CSIGN_WITNESS = 2, /* the member's device, or one pengawas as witness */
};

/* Office bits in a matrix row and in approvals: FORMATS 3.2 office numbers as bits. */
#define PROTO_OFFICE_BIT(o) (1u << (o)) /* ketua 0x02, sekretaris 0x04, bendahara 0x08 */

struct proto_params_role {
    uint8_t role;  /* enum proto_acct_role; PROTO_AR_CASH may repeat */
    uint32_t code; /* account 1000..9999 */
};

struct proto_params_author {
    uint32_t kind;
    uint32_t roles; /* PROTO_ROLE_BIT mask: pengurus 0x02, pengawas 0x04, kasir 0x08, anggota
                     * 0x10 */
};

struct proto_params_approval {
    uint32_t kind;
    uint64_t min_amount; /* the row applies from this matrix amount up */
    uint32_t pengurus;   /* distinct members with a pengurus device, 0..32 */
    uint32_t pengawas;   /* distinct members with a pengawas device, 0..32 */
    uint32_t offices;    /* PROTO_OFFICE_BIT mask that must be among the approving pengurus */
};

struct proto_params_csign {
    uint32_t kind;
    uint8_t mode; /* enum proto_csign_mode */
};

struct proto_savings_product {
    char code[PROTO_PARAMS_CODE_MAX + 1];
    uint8_t class;        /* enum proto_savings_class */
    uint32_t account;     /* class 1, 2: an equity account with sub-ledger; 3..5: liability, sub */
    uint32_t rate_ppm;    /* annual, 0..PROTO_PARAMS_RATE_MAX */
    uint8_t method;       /* enum proto_savings_method */
    uint64_t min_balance; /* amount */
    uint32_t tax_ppm;     /* 0..1000000 */
    uint64_t tax_threshold;   /* amount */
    uint32_t term_months;     /* berjangka 1..120, else 0 */
    uint32_t break_fee_ppm;   /* 0..1000000 */
    uint32_t expense_account; /* 0 = none (nil): required when rate_ppm > 0 */
};

struct proto_loan_fee_rule {
    uint8_t type;     /* 1 fixed rupiah, 2 ppm of principal */
    uint64_t value;   /* type 1: amount; type 2: 0..1000000 */
    uint32_t account; /* a revenue account */
};

struct proto_loan_product {
    char code[PROTO_PARAMS_CODE_MAX + 1];
    uint8_t method;                    /* enum proto_loan_method: 1 flat, 2 declining, 3 annuity */
    uint32_t rate_ppm;                 /* as the AD states it, per rate_period */
    uint8_t rate_period;               /* 1 per month, 12 per year */
    uint32_t periods_min, periods_max; /* 1..360 */
    uint64_t principal_min, principal_max; /* amounts, min >= 1, min <= max */
    uint32_t nfees;
    struct proto_loan_fee_rule fees[PROTO_PARAMS_FEES_MAX];
    bool has_late;
    uint8_t late_basis;     /* enum proto_loan_late_basis */
    uint32_t late_rate_ppm; /* per unit */
    uint32_t late_grace_days;
    uint32_t savings_multiple_ppm;          /* 0 = no limit */
    uint32_t receivable, interest, penalty; /* accounts */
};

struct proto_params_risk {
    uint32_t min_days, max_days, ppap_ppm;
    uint8_t class; /* 1 lancar, 2 kurang lancar, 3 diragukan, 4 macet */
};

struct proto_params_shu_part {
    char name[PROTO_SHU_NAME_MAX + 1];
    uint8_t role; /* enum proto_shu_role */
    uint32_t ppm;
    uint32_t account;
};

struct proto_params_accounts {
    uint8_t basis;
    uint32_t n;
    uint32_t codes[PROTO_PARAMS_ACCTS_MAX];
};

struct proto_params_lhu {
    uint32_t code;
    uint8_t section; /* 1..7, ACCOUNTING.md 6.3 */
};

struct proto_params_cf {
    uint32_t from, to; /* account code range, from <= to */
    uint8_t activity;  /* 1 operasi, 2 investasi, 3 pendanaan, 99 other */
    uint8_t line;      /* 1..99 */
};

struct proto_params {
    uint32_t fmt;       /* PROTO_PARAMS_FMT */
    uint32_t adopted;   /* YYYYMMDD */
    uint32_t effective; /* YYYYMMDD */
    /* chart */
    uint32_t nadd;
    struct proto_account add[PROTO_PARAMS_ADD_MAX];
    uint32_t nroles;
    struct proto_params_role roles[PROTO_PARAMS_ROLES_MAX];
    /* governance */
    uint32_t nauthors;
    struct proto_params_author authors[PROTO_PARAMS_AUTHORS_MAX];
    uint32_t nmatrix;
    struct proto_params_approval matrix[PROTO_PARAMS_MATRIX_MAX];
    uint32_t officer_extra_pengurus, officer_extra_pengawas;
    uint32_t ncsign;
    struct proto_params_csign csign[PROTO_PARAMS_CSIGN_MAX];
    bool params_need_rat;
    bool writeoff_need_rat;
    uint32_t wait_days; /* 0..3650 */
    /* membership */
    uint64_t pokok;
    uint64_t wajib;
    uint32_t wajib_months; /* 1..12 */
    uint32_t refund_days;  /* 0..3650 */
    bool calon_allowed;
    /* savings */
    uint32_t nsavings; /* 1..PROTO_PARAMS_SAVINGS_MAX */
    struct proto_savings_product savings[PROTO_PARAMS_SAVINGS_MAX];
    /* loans */
    struct proto_loan_rounding rounding;
    uint32_t nloans;
    struct proto_loan_product loans[PROTO_PARAMS_LOANS_MAX];
    /* risk */
    uint32_t nrisk; /* 1..PROTO_PARAMS_RISK_MAX */
    struct proto_params_risk risk[PROTO_PARAMS_RISK_MAX];
    /* shu */
    uint32_t nshu; /* 1..PROTO_SHU_PARTS_MAX */
    struct proto_params_shu_part shu[PROTO_SHU_PARTS_MAX];
    struct proto_params_accounts shu_capital; /* basis 1 balance at end, 2 time-weighted */
    struct proto_params_accounts shu_usage;   /* basis 1 jasa paid, 2 principal disbursed */
    uint8_t shu_eligibility;                  /* 1 active at period end, 2 S or T > 0 */
    uint8_t shu_mode;                         /* enum proto_shu_rounding */
    uint32_t shu_residual_part;               /* index into shu[] (a role-0 part) */
    uint32_t nnonmember;
    uint32_t nonmember[PROTO_PARAMS_ACCTS_MAX];
    /* reporting */
    uint8_t fy_start_month; /* 1..12 */
    uint8_t rat_months;     /* 1..12 */
    uint32_t quorum_ppm;    /* 0..1000000 */
    uint32_t nlhu;
    struct proto_params_lhu lhu[PROTO_PARAMS_LHU_MAX];
    uint32_t ncf;
    struct proto_params_cf cf[PROTO_PARAMS_CF_MAX];
};

/*
 * Decodes a kind 32 body (the canonical msgpack of ACCOUNTING.md 1.2, exactly: every field in
 * order, fixed arities, ranges and string rules). ERR_BODY names nothing more: the entry is
 * malformed. *p is overwritten whole.
 */
int proto_params_decode(const uint8_t *body, size_t len, struct proto_params *p);
/* Encodes p (which need not pass the check: a test may build a bad version). -ENOMEM; -EINVAL
 * when a count exceeds its array (nothing beyond the arrays is ever read). */
int proto_params_encode(const struct proto_params *p, struct proto_buf *out);

/* The first self-consistency rule a well-formed version breaks (ACCOUNTING.md 1.4). */
enum proto_params_problem_kind {
    PROTO_PARAMS_OK = 0,
    PROTO_PARAMS_FMT_BAD,   /* fmt is not PROTO_PARAMS_FMT */
    PROTO_PARAMS_DATES,     /* adopted or effective not a valid date */
    PROTO_PARAMS_SHU_TABLE, /* proto_shu_table_check fails (detail: enum proto_shu_problem_kind) */
    PROTO_PARAMS_SHU_RESIDUAL,  /* residual_part out of range or not a role-0 part */
    PROTO_PARAMS_BUCKETS,       /* risk fails proto_loan_buckets_check, or classes decrease */
    PROTO_PARAMS_ROUNDING,      /* rounding fails proto_loan_rounding_check */
    PROTO_PARAMS_SAVINGS_DUP,   /* two savings products with one code (index: the second) */
    PROTO_PARAMS_LOANS_DUP,     /* two loan products with one code, or a code of both kinds */
    PROTO_PARAMS_SAVINGS_TERMS, /* berjangka without term_months, or another class with one;
                                 * interest without a method or an expense account; method 3 or
                                 * a break fee outside berjangka; berjangka with method 1 or 2 */
    PROTO_PARAMS_LOAN_TERMS,    /* periods or principal min > max, rate over 1000 %/yr */
    PROTO_PARAMS_MATRIX_ORDER,  /* matrix rows not strictly ascending by (kind, min_amount) */
    PROTO_PARAMS_CHART,         /* an account (added, role, product, SHU part) missing from
                                 * the chart, of the wrong type or sub-ledger, or an add that
                                 * changes an existing code's type or sub */
    PROTO_PARAMS_FORMAT,        /* a field outside the body format (a count beyond its array, a
                                 * bad code or name, a value out of range): only a hand-built
                                 * struct can have it, proto_params_decode refuses such bodies */
    PROTO_PARAMS_DUPLICATE,     /* one key twice in a keyed table: chart.add codes, role rows
                                 * (role, code), authors or countersign kinds, an account list of
                                 * shu, lhu_map codes, or overlapping cf_map ranges (index: the
                                 * second row; detail: the code or kind) */
};

struct proto_params_problem {
    int kind;        /* enum proto_params_problem_kind */
    uint32_t index;  /* the offending row or product, when there is one */
    uint32_t detail; /* an account code, or the enum proto_shu_problem_kind */
};

/*
 * Checks a decoded version for self-consistency and against a chart of accounts: the genesis
 * chart g plus the accounts p itself adds (p->add; accounts added by earlier versions are
 * passed in extra/nextra, may be NULL/0). 0 if sound; else ERR_RULE with *why filled (why may
 * be NULL); -EINVAL for a NULL p or g. Problems are looked for in this order: FMT_BAD, DATES,
 * ROUNDING, SHU_TABLE, SHU_RESIDUAL, BUCKETS, FORMAT, SAVINGS_DUP, LOANS_DUP, SAVINGS_TERMS,
 * LOAN_TERMS, MATRIX_ORDER, DUPLICATE, CHART; the first found is reported. Account types
 * required: savings class 1, 2 equity with sub-ledger, 3..5 liability with sub-ledger; expense
 * accounts expense; loan receivable asset with sub-ledger; interest, penalty, fee and
 * non-member accounts revenue; SHU member parts (roles 1, 2) liability with sub-ledger; SHU
 * capital and usage accounts with sub-ledger; role, other SHU part and lhu_map accounts exist.
 */
int proto_params_check(const struct proto_params *p, const struct proto_genesis *g,
                       const struct proto_account *extra, size_t nextra,
                       struct proto_params_problem *why);
/* A one-line English description of a problem, for findings and errors ("SHU table: ..."). */
const char *proto_params_problem_str(int kind);

/*
 * The standard parameter set of ACCOUNTING.md 1.6's template for the standard chart of
 * `saksi init` (cli/cmd_init.c), dated adopted = effective = ymd. It passes proto_params_check
 * against that chart.
 */
void proto_params_default(struct proto_params *p, uint32_t ymd);

/* Lookups (NULL / 0 when absent). */
const struct proto_savings_product *proto_params_savings(const struct proto_params *p,
                                                         const char *code);
const struct proto_savings_product *proto_params_savings_by_account(const struct proto_params *p,
                                                                    uint32_t account);
const struct proto_loan_product *proto_params_loan(const struct proto_params *p, const char *code);
/* The role mask allowed to author kind (no row: pengurus only). Kind 33 (sign) is any role and
 * not configurable; kind 36 (frontier-part) follows kind 35's row; rows for kinds below 17 are
 * ignored (the genesis policy decides those kinds). */
uint32_t proto_params_authors(const struct proto_params *p, uint32_t kind);
/* The matrix row for kind at amount (largest min_amount <= amount); NULL when there is none. */
const struct proto_params_approval *proto_params_row(const struct proto_params *p, uint32_t kind,
                                                     uint64_t amount);
uint8_t proto_params_csign(const struct proto_params *p, uint32_t kind); /* default NONE */
/* true if code has acct role r in p->roles (or, with no row for r at all, in the defaults of
 * ACCOUNTING.md 1.3). */
bool proto_params_has_role(const struct proto_params *p, uint8_t r, uint32_t code);

#endif
