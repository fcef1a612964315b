/*
 * Unit tests for proto/acct: the bodies of kinds 17, 33, 40, 41, 42, 48, 49 and the loan kinds
 * 56..59 (docs/ACCOUNTING.md 2.4, 3.1, 3.5, 3.6, 3.7) and their posting patterns. Invalid and
 * unknown inputs first; then hand-written expected bytes for every kind (one comment per field, as
 * docs/FORMATS.md writes them), round trips and each kind's own range rules, rejected through
 * the encoder and through raw msgpack built field by field; the rules every kind shares
 * (members, dates, memos, accounts, amounts, arity, types, canonical form, trailing and
 * truncated bytes); the postings of each kind line by line with concrete amounts, zero lines
 * omitted; properties over thousands of random valid bodies from a deterministic generator
 * (canonical round trips, postings equal to an independent reading of the pattern tables,
 * balance) and over random mutations of sound bodies; last the overview table's subjects,
 * matrix amount and countersign subject.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/acct.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/loan.h"
#include "proto/mp.h"

/* Accounts of the standard chart (cli/cmd_init.c). */
#define A_KAS      1100
#define A_BANK     1110
#define A_LOANS    1200
#define A_SUKARELA 2100
#define A_JANGKA   2110
#define A_REFUND   2400
#define A_POKOK    3100
#define A_WAJIB    3110
#define A_JASA     4100
#define A_ADMIN    4200
#define A_DENDA    4210
#define A_LISTRIK  5240
#define AMAX       PROTO_AMOUNT_MAX

#define NKINDS 11
static const uint32_t g_kinds[NKINDS] = {
    PROTO_KIND_JOURNAL_A,   PROTO_KIND_SIGN,        PROTO_KIND_MEMBER_ADMIT,
    PROTO_KIND_MEMBER_EXIT, PROTO_KIND_EXIT_SETTLE, PROTO_KIND_DEPOSIT,
    PROTO_KIND_WITHDRAW,    PROTO_KIND_LOAN_APPLY,  PROTO_KIND_LOAN_DISBURSE,
    PROTO_KIND_LOAN_REPAY,  PROTO_KIND_LATE_FEE,
};

/* The kinds whose body names the loan, not the borrower (57..59). */
static bool names_loan(uint32_t kind)
{
    return kind >= PROTO_KIND_LOAN_DISBURSE && kind <= PROTO_KIND_LATE_FEE;
}

/* Bodies are 7 KiB: the tests keep theirs here rather than on the stack. */
static struct proto_acct_body g_b, g_out, g_again, g_app;
static struct proto_line g_lines[PROTO_ACCT_LINES_MAX + 8], g_expect[PROTO_ACCT_LINES_MAX + 8];
static const uint32_t g_loan_accts[2 * PROTO_ACCT_OFFSETS_MAX] = {
    A_LOANS, A_JASA,  1210,    4110,   A_LOANS, A_JASA,  1210,    4110,   A_LOANS, A_JASA,  1210,
    4110,    A_LOANS, A_JASA,  1210,   4110,    A_LOANS, A_JASA,  1210,   4110,    A_LOANS, A_JASA,
    1210,    4110,    A_LOANS, A_JASA, 1210,    4110,    A_LOANS, A_JASA, 1210,    4110,
};

/* A deterministic generator (splitmix64), so that every run checks the same cases. */
static uint64_t g_rng = 0x61636374u;

static uint64_t rng(void)
{
    uint64_t z = (g_rng += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_range(uint64_t lo, uint64_t hi)
{
    uint64_t span = hi - lo + 1;

    return span == 0 ? rng() : lo + rng() % span;
}

/* A figure in lo..hi, often at an edge. */
static uint64_t rng_amount(uint64_t lo, uint64_t hi)
{
    switch (rng() % 8) {
    case 0:
        return lo;
    case 1:
        return hi;
    case 2:
        return rng_range(lo, hi - lo > 1000 ? lo + 1000 : hi);
    default:
        return rng_range(lo, hi);
    }
}

/* Parses hex with spaces into out; returns the byte count. */
static size_t unhex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    int hi = -1;

    for (; *s; s++) {
        int v = 0;

        if (*s == ' ')
            continue;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else
            fail_msg("bad hex character '%c'", *s);
        if (hi < 0) {
            hi = v;
        } else {
            assert_true(n < max);
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    assert_int_equal(hi, -1);
    return n;
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

/* ---- fixtures: one sound body per kind, the bodies of the hand-written bytes below ---- */

static void fill_ja(struct proto_acct_body *b)
{
    struct proto_journal *j = &b->u.ja.j;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_JOURNAL_A;
    j->date = 20250115;
    strcpy(j->memo, "Listrik");
    j->nlines = 2;
    j->lines[0] = (struct proto_line){A_LISTRIK, 0, 350000, 0};
    j->lines[1] = (struct proto_line){A_KAS, 0, 0, 350000};
    b->u.ja.nevidence = 1;
    memset(b->u.ja.evidence[0], 0x44, 32);
}

static void fill_sign(struct proto_acct_body *b)
{
    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_SIGN;
    memset(b->u.sign.target, 0x11, 32);
    b->u.sign.decision = PROTO_SIGN_APPROVE;
    strcpy(b->u.sign.note, "setuju");
}

static void fill_admit(struct proto_acct_body *b)
{
    struct proto_member_admit *a = &b->u.admit;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_MEMBER_ADMIT;
    a->member = 7;
    a->date = 20250102;
    a->class = PROTO_CLASS_BIASA;
    a->pokok = 100000;
    a->pokok_account = A_POKOK;
    a->cash_account = A_KAS;
    strcpy(a->memo, "Anggota baru");
}

static void fill_exit(struct proto_acct_body *b)
{
    struct proto_member_exit *e = &b->u.exit;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_MEMBER_EXIT;
    e->member = 7;
    e->date = 20251231;
    e->reason = PROTO_EXIT_OWN;
    e->pokok = 100000;
    e->wajib = 300000;
    e->pokok_account = A_POKOK;
    e->wajib_account = A_WAJIB;
    e->refund_account = A_REFUND;
}

static void fill_settle(struct proto_acct_body *b)
{
    struct proto_exit_settle *s = &b->u.settle;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_EXIT_SETTLE;
    s->member = 7;
    s->date = 20260115;
    memset(s->exit, 0x22, 32);
    s->refund = 400000;
    s->refund_account = A_REFUND;
    s->nsavings = 1;
    s->savings[0].account = A_SUKARELA;
    s->savings[0].amount = 150000;
    s->noffsets = 1;
    memset(s->offsets[0].loan, 0x33, 32);
    s->offsets[0].principal = 200000;
    s->offsets[0].interest = 10000;
    s->cash_account = A_KAS;
}

static void fill_deposit(struct proto_acct_body *b)
{
    struct proto_deposit *d = &b->u.deposit;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_DEPOSIT;
    d->member = 7;
    d->date = 20250106;
    strcpy(d->product, "SW");
    d->account = A_WAJIB;
    d->amount = 25000;
    d->cash_account = A_KAS;
}

static void fill_deposit_term(struct proto_acct_body *b)
{
    struct proto_deposit *d = &b->u.deposit;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_DEPOSIT;
    d->member = UINT32_MAX;
    d->date = 20250106;
    strcpy(d->product, "SB12");
    d->account = A_JANGKA;
    d->amount = 10000000;
    d->cash_account = A_BANK;
    d->has_term = true;
    d->term_months = 12;
    d->term_rate_ppm = 60000;
    strcpy(d->memo, "Deposito 12 bulan");
}

static void fill_withdraw(struct proto_acct_body *b)
{
    struct proto_withdraw *w = &b->u.withdraw;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_WITHDRAW;
    w->member = 7;
    w->date = 20250203;
    strcpy(w->product, "SS");
    w->account = A_SUKARELA;
    w->amount = 200000;
    w->cash_account = A_KAS;
    w->fee = 2500;
    w->fee_account = A_ADMIN;
    strcpy(w->memo, "tarik");
}

/* The application of docs/ACCOUNTING.md 8.3: Rp12.000.000 over 12 months at 18 % a year flat,
 * admin 1 % and provisi 1 %, collateral committed. */
static void fill_apply(struct proto_acct_body *b)
{
    struct proto_loan_apply *a = &b->u.apply;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_LOAN_APPLY;
    a->borrower = 7;
    a->date = 20250110;
    strcpy(a->product, "PU");
    a->principal = 12000000;
    a->periods = 12;
    a->rate_ppm = 180000;
    a->method = PROTO_LOAN_FLAT;
    a->rounding.mode = PROTO_LOAN_ROUND_HALF_UP;
    a->rounding.unit = 100;
    a->receivable = A_LOANS;
    a->interest = A_JASA;
    a->penalty = A_DENDA;
    a->nfees = 2;
    a->fees[0].account = A_ADMIN;
    a->fees[0].amount = 120000;
    a->fees[1].account = A_ADMIN;
    a->fees[1].amount = 120000;
    a->purpose = PROTO_PURPOSE_PRODUKTIF;
    a->has_collateral = true;
    memset(a->collateral, 0x5a, 32);
    strcpy(a->memo, "Modal warung");
}

static void fill_disburse(struct proto_acct_body *b)
{
    struct proto_loan_disburse *d = &b->u.disburse;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_LOAN_DISBURSE;
    memset(d->loan, 0x56, 32);
    d->date = 20250115;
    d->gross = 12000000;
    d->cash_account = A_KAS;
    d->nfees = 2;
    d->fees[0].account = A_ADMIN;
    d->fees[0].amount = 120000;
    d->fees[1].account = A_ADMIN;
    d->fees[1].amount = 120000;
    strcpy(d->memo, "Pencairan");
}

/* The first installment (1.000.000 + 180.000) and a late fee of 5.000. */
static void fill_repay(struct proto_acct_body *b)
{
    struct proto_loan_repay *r = &b->u.repay;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_LOAN_REPAY;
    memset(r->loan, 0x56, 32);
    r->date = 20250215;
    r->penalty = 5000;
    r->interest = 180000;
    r->principal = 1000000;
    r->cash_account = A_KAS;
    strcpy(r->memo, "angsuran 1");
}

/* KOPERASI.md 3.2: Rp1.180.000 ten days late at 0,1 % a day. */
static void fill_latefee(struct proto_acct_body *b)
{
    struct proto_late_fee *l = &b->u.latefee;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_LATE_FEE;
    memset(l->loan, 0x56, 32);
    l->date = 20250225;
    l->installment = 1;
    l->amount = 11800;
}

/* ---- the fixtures' bytes, written out by hand ---- */

#define X32(x) x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x

/* clang-format off */
static const char HEX_JA[] =            /* journal-a (17) */
    "94"                                /* array(4) */
    "ce 0134fe03"                       /* date 20250115 */
    "a7 4c69737472696b"                 /* memo "Listrik" */
    "92"                                /* lines: array(2) */
    "94 cd1478 c0 ce00055730 00"        /*   [5240, nil, 350000, 0]  debit Listrik */
    "94 cd044c c0 00 ce00055730"        /*   [1100, nil, 0, 350000]  credit Kas */
    "91"                                /* evidence: array(1) */
    "c420" X32("44");                   /*   bin(32) 44..44 */

static const char HEX_SIGN[] =          /* sign (33) */
    "93"                                /* array(3) */
    "c420" X32("11")                    /* target: bin(32) 11..11 */
    "01"                                /* decision 1 approve */
    "a6 736574756a75";                  /* note "setuju" */

static const char HEX_ADMIT[] =         /* member-admit (40) */
    "98"                                /* array(8) */
    "07"                                /* member 7 */
    "ce 0134fdf6"                       /* date 20250102 */
    "01"                                /* class 1 anggota biasa */
    "ce 000186a0"                       /* pokok 100000 */
    "cd 0c1c"                           /* pokok_account 3100 */
    "cd 044c"                           /* cash_account 1100 */
    "c0"                                /* profile nil */
    "ac 416e67676f74612062617275";      /* memo "Anggota baru" */

static const char HEX_EXIT[] =          /* member-exit (41) */
    "99"                                /* array(9) */
    "07"                                /* member 7 */
    "ce 0135025f"                       /* date 20251231 */
    "01"                                /* reason 1 permintaan sendiri */
    "ce 000186a0"                       /* pokok 100000 */
    "ce 000493e0"                       /* wajib 300000 */
    "cd 0c1c"                           /* pokok_account 3100 */
    "cd 0c26"                           /* wajib_account 3110 */
    "cd 0960"                           /* refund_account 2400 */
    "a0";                               /* memo "" */

static const char HEX_SETTLE[] =        /* exit-settle (42) */
    "99"                                /* array(9) */
    "07"                                /* member 7 */
    "ce 01352513"                       /* date 20260115 */
    "c420" X32("22")                    /* exit: bin(32) 22..22 */
    "ce 00061a80"                       /* refund 400000 */
    "cd 0960"                           /* refund_account 2400 */
    "91"                                /* savings: array(1) */
    "92 cd0834 ce000249f0"              /*   [2100, 150000] */
    "91"                                /* offsets: array(1) */
    "93 c420" X32("33")                 /*   [loan: bin(32) 33..33, */
    "ce00030d40 cd2710"                 /*    principal 200000, interest 10000] */
    "cd 044c"                           /* cash_account 1100 */
    "a0";                               /* memo "" */

static const char HEX_DEPOSIT[] =       /* deposit (48) */
    "98"                                /* array(8) */
    "07"                                /* member 7 */
    "ce 0134fdfa"                       /* date 20250106 */
    "a2 5357"                           /* product "SW" */
    "cd 0c26"                           /* account 3110 */
    "cd 61a8"                           /* amount 25000 */
    "cd 044c"                           /* cash_account 1100 */
    "c0"                                /* term nil */
    "a0";                               /* memo "" */

static const char HEX_DEPOSIT_TERM[] =  /* deposit (48), berjangka */
    "98"                                /* array(8) */
    "ce ffffffff"                       /* member 4294967295 */
    "ce 0134fdfa"                       /* date 20250106 */
    "a4 53423132"                       /* product "SB12" */
    "cd 083e"                           /* account 2110 */
    "ce 00989680"                       /* amount 10000000 */
    "cd 0456"                           /* cash_account 1110 */
    "92 0c cdea60"                      /* term [12 months, 60000 ppm] */
    "b1 4465706f7369746f"               /* memo "Deposito */
    "2031322062756c616e";               /*        12 bulan" */

static const char HEX_WITHDRAW[] =      /* withdraw (49) */
    "9a"                                /* array(10) */
    "07"                                /* member 7 */
    "ce 0134fe5b"                       /* date 20250203 */
    "a2 5353"                           /* product "SS" */
    "cd 0834"                           /* account 2100 */
    "ce 00030d40"                       /* amount 200000 */
    "cd 044c"                           /* cash_account 1100 */
    "c0"                                /* ref nil */
    "cd 09c4"                           /* fee 2500 */
    "cd 1068"                           /* fee_account 4200 */
    "a5 746172696b";                    /* memo "tarik" */

static const char HEX_APPLY[] =         /* loan-apply (56) */
    "9d"                                /* array(13) */
    "07"                                /* borrower 7 */
    "ce 0134fdfe"                       /* date 20250110 */
    "a2 5055"                           /* product "PU" */
    "ce 00b71b00"                       /* principal 12000000 */
    "0c"                                /* periods 12 */
    "ce 0002bf20"                       /* rate_ppm 180000 (18 % a year) */
    "01"                                /* method 1 flat */
    "92 01 64"                          /* rounding [1 half up, unit 100] */
    "93"                                /* accounts: array(3) */
    "cd04b0 cd1004 cd1072"              /*   [receivable 1200, interest 4100, penalty 4210] */
    "92"                                /* fees: array(2) */
    "92 cd1068 ce0001d4c0"              /*   [4200, 120000]  admin 1 % */
    "92 cd1068 ce0001d4c0"              /*   [4200, 120000]  provisi 1 % */
    "01"                                /* purpose 1 produktif */
    "c420" X32("5a")                    /* collateral: bin(32) 5a..5a */
    "ac 4d6f64616c20776172756e67";      /* memo "Modal warung" */

static const char HEX_DISBURSE[] =      /* loan-disburse (57) */
    "97"                                /* array(7) */
    "c420" X32("56")                    /* loan: bin(32) 56..56 */
    "ce 0134fe03"                       /* date 20250115 */
    "ce 00b71b00"                       /* gross 12000000 */
    "cd 044c"                           /* cash_account 1100 */
    "92"                                /* fees: array(2) */
    "92 cd1068 ce0001d4c0"              /*   [4200, 120000] */
    "92 cd1068 ce0001d4c0"              /*   [4200, 120000] */
    "90"                                /* deductions: array(0) */
    "a9 50656e63616972616e";            /* memo "Pencairan" */

static const char HEX_REPAY[] =         /* loan-repay (58) */
    "99"                                /* array(9) */
    "c420" X32("56")                    /* loan: bin(32) 56..56 */
    "ce 0134fe67"                       /* date 20250215 */
    "cd 1388"                           /* penalty 5000 */
    "ce 0002bf20"                       /* interest 180000 */
    "ce 000f4240"                       /* principal 1000000 */
    "00"                                /* excess 0 */
    "cd 044c"                           /* cash_account 1100 */
    "c0"                                /* excess_account nil */
    "aa 616e67737572616e2031";          /* memo "angsuran 1" */

static const char HEX_LATEFEE[] =       /* late-fee (59) */
    "95"                                /* array(5) */
    "c420" X32("56")                    /* loan: bin(32) 56..56 */
    "ce 0134fe71"                       /* date 20250225 */
    "01"                                /* installment 1 */
    "cd 2e18"                           /* amount 11800 */
    "a0";                               /* memo "" */
/* clang-format on */

/* ---- raw bodies, field by field (to write what the encoder never would) ---- */

enum rv_type { RV_U, RV_I, RV_NIL, RV_BOOL, RV_STR, RV_BIN, RV_ARR };

struct rv {
    enum rv_type t;
    uint64_t u;    /* RV_U value, RV_BIN fill byte, RV_ARR count */
    int64_t i;     /* RV_I value */
    const char *s; /* RV_STR bytes */
    size_t n;      /* RV_STR, RV_BIN length */
};

#define RU(x)                                                                                      \
    {                                                                                              \
        RV_U, (x), 0, NULL, 0                                                                      \
    }
#define RI(x)                                                                                      \
    {                                                                                              \
        RV_I, 0, (x), NULL, 0                                                                      \
    }
#define RNIL                                                                                       \
    {                                                                                              \
        RV_NIL, 0, 0, NULL, 0                                                                      \
    }
#define RTRUE                                                                                      \
    {                                                                                              \
        RV_BOOL, 1, 0, NULL, 0                                                                     \
    }
#define RS(x)                                                                                      \
    {                                                                                              \
        RV_STR, 0, 0, (x), sizeof(x) - 1                                                           \
    }
#define RBIN(c, n)                                                                                 \
    {                                                                                              \
        RV_BIN, (c), 0, NULL, (n)                                                                  \
    }
#define RARR(n)                                                                                    \
    {                                                                                              \
        RV_ARR, (n), 0, NULL, 0                                                                    \
    }
#define RAW_MAX 64

static const struct rv RAW_JA[] = {
    RARR(4), RU(20250115), RS("Listrik"), RARR(2), RARR(4), RU(5240),   RNIL,    RU(350000),
    RU(0),   RARR(4),      RU(1100),      RNIL,    RU(0),   RU(350000), RARR(1), RBIN(0x44, 32),
};
static const struct rv RAW_SIGN[] = {RARR(3), RBIN(0x11, 32), RU(1), RS("setuju")};
static const struct rv RAW_ADMIT[] = {
    RARR(8), RU(7), RU(20250102), RU(1), RU(100000), RU(3100), RU(1100), RNIL, RS("Anggota baru"),
};
static const struct rv RAW_EXIT[] = {
    RARR(9),    RU(7),    RU(20251231), RU(1),    RU(100000),
    RU(300000), RU(3100), RU(3110),     RU(2400), RS(""),
};
static const struct rv RAW_SETTLE[] = {
    RARR(9),        RU(7),      RU(20260115), RBIN(0x22, 32), RU(400000), RU(2400),
    RARR(1),        RARR(2),    RU(2100),     RU(150000),     RARR(1),    RARR(3),
    RBIN(0x33, 32), RU(200000), RU(10000),    RU(1100),       RS(""),
};
static const struct rv RAW_DEPOSIT[] = {
    RARR(8), RU(7), RU(20250106), RS("SW"), RU(3110), RU(25000), RU(1100), RNIL, RS(""),
};
static const struct rv RAW_WITHDRAW[] = {
    RARR(10), RU(7), RU(20250203), RS("SS"), RU(2100),    RU(200000),
    RU(1100), RNIL,  RU(2500),     RU(4200), RS("tarik"),
};
/* clang-format off */
static const struct rv RAW_APPLY[] = {
    RARR(13),                                       /*  0 */
    RU(7), RU(20250110), RS("PU"), RU(12000000),    /*  1 borrower .. 4 principal */
    RU(12), RU(180000), RU(1),                      /*  5 periods, 6 rate_ppm, 7 method */
    RARR(2), RU(1), RU(100),                        /*  8 rounding: 9 mode, 10 unit */
    RARR(3), RU(1200), RU(4100), RU(4210),          /* 11 accounts: 12, 13, 14 */
    RARR(2), RARR(2), RU(4200), RU(120000),         /* 15 fees: 16 [17, 18] */
    RARR(2), RU(4200), RU(120000),                  /*          19 [20, 21] */
    RU(1), RBIN(0x5a, 32), RS("Modal warung"),      /* 22 purpose, 23 collateral, 24 memo */
};
static const struct rv RAW_DISBURSE[] = {
    RARR(7), RBIN(0x56, 32), RU(20250115), RU(12000000), RU(1100), /* 0 .. 4 cash_account */
    RARR(2), RARR(2), RU(4200), RU(120000),                        /* 5 fees: 6 [7, 8] */
    RARR(2), RU(4200), RU(120000),                                 /*         9 [10, 11] */
    RARR(0), RS("Pencairan"),                                      /* 12 deductions, 13 memo */
};
static const struct rv RAW_REPAY[] = {
    RARR(9), RBIN(0x56, 32), RU(20250215),          /* 0, 1 loan, 2 date */
    RU(5000), RU(180000), RU(1000000), RU(0),       /* 3 penalty .. 6 excess */
    RU(1100), RNIL, RS("angsuran 1"),               /* 7 cash, 8 excess_account, 9 memo */
};
static const struct rv RAW_LATEFEE[] = {
    RARR(5), RBIN(0x56, 32), RU(20250225), RU(1), RU(11800), RS(""),
};
/* clang-format on */

/* What the shared-rule tests need to know of each kind: raw indices of its fields. */
struct kspec {
    uint32_t kind;
    void (*fill)(struct proto_acct_body *);
    const char *hex;
    const struct rv *raw;
    size_t nraw;
    int last;    /* the first raw index of the last top-level field */
    int member;  /* -1: none */
    int date;    /* -1: none */
    int memo;    /* the memo or note */
    int acct[4]; /* account fields, 0-terminated */
    int amt[4];  /* figures whose only rule is 0..10^15, 0-terminated */
};

#define RAW(r) (r), sizeof(r) / sizeof((r)[0])

/* clang-format off */
static const struct kspec g_spec[NKINDS] = {
    /* kind, fill, bytes, raw, last, member, date, memo, accounts, amounts */
    {PROTO_KIND_JOURNAL_A, fill_ja, HEX_JA, RAW(RAW_JA), 14, -1, 1, 2, {5, 10}, {7, 13}},
    {PROTO_KIND_SIGN, fill_sign, HEX_SIGN, RAW(RAW_SIGN), 3, -1, -1, 3, {0}, {0}},
    {PROTO_KIND_MEMBER_ADMIT, fill_admit, HEX_ADMIT, RAW(RAW_ADMIT), 8, 1, 2, 8, {5, 6}, {4}},
    {PROTO_KIND_MEMBER_EXIT, fill_exit, HEX_EXIT, RAW(RAW_EXIT), 9, 1, 2, 9, {6, 7, 8}, {4, 5}},
    {PROTO_KIND_EXIT_SETTLE, fill_settle, HEX_SETTLE, RAW(RAW_SETTLE), 16, 1, 2, 16,
     {5, 8, 15}, {4, 9}},
    {PROTO_KIND_DEPOSIT, fill_deposit, HEX_DEPOSIT, RAW(RAW_DEPOSIT), 8, 1, 2, 8, {4, 6}, {5}},
    {PROTO_KIND_WITHDRAW, fill_withdraw, HEX_WITHDRAW, RAW(RAW_WITHDRAW), 10, 1, 2, 10,
     {4, 6, 9}, {5}},
    {PROTO_KIND_LOAN_APPLY, fill_apply, HEX_APPLY, RAW(RAW_APPLY), 24, 1, 2, 24,
     {12, 13, 14, 17}, {18, 21}},
    /* A disbursement's fee and deduction amounts are bounded by its net too: not listed. */
    {PROTO_KIND_LOAN_DISBURSE, fill_disburse, HEX_DISBURSE, RAW(RAW_DISBURSE), 13, -1, 2, 13,
     {4, 7, 10}, {0}},
    {PROTO_KIND_LOAN_REPAY, fill_repay, HEX_REPAY, RAW(RAW_REPAY), 9, -1, 2, 9, {7}, {3, 4, 5}},
    {PROTO_KIND_LATE_FEE, fill_latefee, HEX_LATEFEE, RAW(RAW_LATEFEE), 5, -1, 2, 5, {0}, {0}},
};
/* clang-format on */

static void raw_put(struct proto_buf *b, const struct rv *v, size_t n)
{
    uint8_t bin[64];

    for (size_t i = 0; i < n; i++) {
        switch (v[i].t) {
        case RV_U:
            assert_int_equal(proto_mp_put_uint(b, v[i].u), 0);
            break;
        case RV_I:
            assert_int_equal(proto_mp_put_int(b, v[i].i), 0);
            break;
        case RV_NIL:
            assert_int_equal(proto_mp_put_nil(b), 0);
            break;
        case RV_BOOL:
            assert_int_equal(proto_mp_put_bool(b, v[i].u != 0), 0);
            break;
        case RV_STR:
            assert_int_equal(proto_mp_put_str(b, v[i].s, v[i].n), 0);
            break;
        case RV_BIN:
            assert_true(v[i].n <= sizeof bin);
            memset(bin, (int)v[i].u, v[i].n);
            assert_int_equal(proto_mp_put_bin(b, bin, v[i].n), 0);
            break;
        case RV_ARR:
            assert_int_equal(proto_mp_put_array(b, (uint32_t)v[i].u), 0);
            break;
        }
    }
}

static int decode_buf(uint32_t kind, const struct proto_buf *b)
{
    return proto_acct_decode(kind, b->data, b->len, &g_out);
}

static int raw_rc(uint32_t kind, const struct rv *v, size_t n)
{
    struct proto_buf b;
    int rc;

    proto_buf_init(&b);
    raw_put(&b, v, n);
    rc = decode_buf(kind, &b);
    proto_buf_release(&b);
    return rc;
}

/* The kind's raw body with field idx replaced by r. */
static int raw_with(const struct kspec *k, size_t idx, struct rv r)
{
    struct rv v[RAW_MAX];

    assert_true(k->nraw <= RAW_MAX && idx < k->nraw);
    memcpy(v, k->raw, k->nraw * sizeof v[0]);
    v[idx] = r;
    return raw_rc(k->kind, v, k->nraw);
}

static const struct kspec *spec(uint32_t kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (g_spec[i].kind == kind)
            return &g_spec[i];
    fail_msg("no spec for kind %u", (unsigned)kind);
    return NULL;
}

static struct rv rstr(const char *s, size_t n)
{
    struct rv r = {RV_STR, 0, 0, s, n};

    return r;
}

static struct rv ru(uint64_t x)
{
    struct rv r = RU(x);

    return r;
}

/* ---- round trips through the encoder ---- */

/*
 * Encodes b, decodes the bytes; on success the decoded body equals b and encodes to the same
 * bytes. proto_acct_check(b) must agree with the decoder. Returns the decoder's code.
 */
static int rt(const struct proto_acct_body *b)
{
    struct proto_buf e, e2;
    int rc;

    proto_buf_init(&e);
    proto_buf_init(&e2);
    assert_int_equal(proto_acct_encode(b, &e), 0);
    rc = proto_acct_decode(b->kind, e.data, e.len, &g_out);
    assert_int_equal(proto_acct_check(b), rc);
    if (rc == 0) {
        /* (The bytes of its kind: decoding leaves the rest of the union alone.) */
        assert_memory_equal(&g_out, b, proto_acct_body_size(b->kind));
        assert_int_equal(proto_acct_encode(&g_out, &e2), 0);
        assert_int_equal(e2.len, e.len);
        assert_memory_equal(e2.data, e.data, e.len);
    } else {
        assert_true(all_zero(&g_out, sizeof g_out));
    }
    proto_buf_release(&e);
    proto_buf_release(&e2);
    return rc;
}

#define GOOD(b) assert_int_equal(rt(b), 0)
#define BAD(b)  assert_int_equal(rt(b), ERR_BODY)

/* The fixture encodes to exactly hex, and hex decodes to the fixture. */
static void bytes_case(void (*fill)(struct proto_acct_body *), const char *hex)
{
    uint8_t want[512];
    size_t n = unhex(hex, want, sizeof want);
    struct proto_buf e;

    fill(&g_b);
    proto_buf_init(&e);
    assert_int_equal(proto_acct_encode(&g_b, &e), 0);
    assert_int_equal(e.len, n);
    assert_memory_equal(e.data, want, n);
    proto_buf_release(&e);
    memset(&g_out, 0xee, sizeof g_out);
    assert_int_equal(proto_acct_decode(g_b.kind, want, n, &g_out), 0);
    assert_memory_equal(&g_out, &g_b, proto_acct_body_size(g_b.kind));
    assert_int_equal(proto_acct_check(&g_out), 0);
    GOOD(&g_b);
}

/* ---- invalid and unknown inputs ---- */

static void test_unknown_kinds(void **state)
{
    /* 0x100000011: 17 in the low 32 bits only. */
    static const uint64_t other[] = {
        0,         1, 2, 3, 16, 18, 32, 34, 35, 36, 43, 51, 55, 62, 63, 65, 73, 255, 0x100000011ULL,
        UINT64_MAX};
    uint8_t body[512];
    size_t n = unhex(HEX_SIGN, body, sizeof body);
    struct proto_buf e;

    (void)state;
    proto_buf_init(&e);
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        assert_false(proto_acct_kind_known(other[i]));
        assert_null(proto_acct_kind_name(other[i]));
        memset(&g_out, 0xee, sizeof g_out);
        assert_int_equal(proto_acct_decode(other[i], body, n, &g_out), ERR_BODY);
        assert_true(all_zero(&g_out, sizeof g_out));
    }
    /* Encode, check and postings refuse a kind they do not know. */
    fill_sign(&g_b);
    g_b.kind = PROTO_KIND_JOURNAL;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, 8), -EINVAL);
    assert_int_equal(proto_acct_date(&g_b), 0);
    assert_int_equal(proto_acct_member(&g_b), 0);
    assert_int_equal(proto_acct_amount(&g_b), 0);
    assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    assert_int_equal(proto_acct_subjects(&g_b, NULL, 0), 0);
    g_b.kind = PROTO_KIND_PARAMS;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(e.len, 0);
    proto_buf_release(&e);

    /* Nothing, a scalar, a map, an empty array: malformed for every kind. */
    for (size_t k = 0; k < NKINDS; k++) {
        assert_int_equal(proto_acct_decode(g_kinds[k], NULL, 0, &g_out), ERR_BODY);
        assert_int_equal(proto_acct_decode(g_kinds[k], (const uint8_t *)"", 0, &g_out), ERR_BODY);
        assert_int_equal(proto_acct_decode(g_kinds[k], (const uint8_t *)"\x07", 1, &g_out),
                         ERR_BODY);
        assert_int_equal(proto_acct_decode(g_kinds[k], (const uint8_t *)"\x80", 1, &g_out),
                         ERR_BODY);
        assert_int_equal(proto_acct_decode(g_kinds[k], (const uint8_t *)"\x81\x01\x02", 3, &g_out),
                         ERR_BODY);
        assert_int_equal(proto_acct_decode(g_kinds[k], (const uint8_t *)"\x90", 1, &g_out),
                         ERR_BODY);
        assert_int_equal(proto_acct_decode(g_kinds[k], (const uint8_t *)"\xc1", 1, &g_out),
                         ERR_BODY);
        assert_true(all_zero(&g_out, sizeof g_out));
    }
}

static void test_kind_names(void **state)
{
    static const char *const names[NKINDS] = {
        "journal-a", "sign",       "member-admit",  "member-exit", "exit-settle", "deposit",
        "withdraw",  "loan-apply", "loan-disburse", "loan-repay",  "late-fee",
    };

    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        assert_true(proto_acct_kind_known(g_kinds[k]));
        assert_string_equal(proto_acct_kind_name(g_kinds[k]), names[k]);
    }
    assert_int_equal(PROTO_KIND_JOURNAL_A, 17);
    assert_int_equal(PROTO_KIND_SIGN, 33);
    assert_int_equal(PROTO_KIND_MEMBER_ADMIT, 40);
    assert_int_equal(PROTO_KIND_MEMBER_EXIT, 41);
    assert_int_equal(PROTO_KIND_EXIT_SETTLE, 42);
    assert_int_equal(PROTO_KIND_DEPOSIT, 48);
    assert_int_equal(PROTO_KIND_WITHDRAW, 49);
    assert_int_equal(PROTO_KIND_LOAN_APPLY, 56);
    assert_int_equal(PROTO_KIND_LOAN_DISBURSE, 57);
    assert_int_equal(PROTO_KIND_LOAN_REPAY, 58);
    assert_int_equal(PROTO_KIND_LATE_FEE, 59);
    assert_int_equal(PROTO_ACCT_FEES_MAX, 4);
}

/* ---- hand-written bytes ---- */

static void test_bytes_journal_a(void **state)
{
    (void)state;
    bytes_case(fill_ja, HEX_JA);
}

static void test_bytes_sign(void **state)
{
    (void)state;
    bytes_case(fill_sign, HEX_SIGN);
}

static void test_bytes_member_admit(void **state)
{
    (void)state;
    bytes_case(fill_admit, HEX_ADMIT);
}

static void test_bytes_member_exit(void **state)
{
    (void)state;
    bytes_case(fill_exit, HEX_EXIT);
}

static void test_bytes_exit_settle(void **state)
{
    (void)state;
    bytes_case(fill_settle, HEX_SETTLE);
}

static void test_bytes_deposit(void **state)
{
    (void)state;
    bytes_case(fill_deposit, HEX_DEPOSIT);
    bytes_case(fill_deposit_term, HEX_DEPOSIT_TERM);
}

static void test_bytes_withdraw(void **state)
{
    (void)state;
    bytes_case(fill_withdraw, HEX_WITHDRAW);
}

static void test_bytes_loan_apply(void **state)
{
    (void)state;
    bytes_case(fill_apply, HEX_APPLY);
}

static void test_bytes_loan_disburse(void **state)
{
    (void)state;
    bytes_case(fill_disburse, HEX_DISBURSE);
}

static void test_bytes_loan_repay(void **state)
{
    (void)state;
    bytes_case(fill_repay, HEX_REPAY);
}

static void test_bytes_late_fee(void **state)
{
    (void)state;
    bytes_case(fill_latefee, HEX_LATEFEE);
}

/* The raw field lists the shared-rule tests start from are the fixtures, byte for byte. */
static void test_raw_matches_bytes(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        const struct kspec *s = &g_spec[k];
        uint8_t want[512];
        size_t n = unhex(s->hex, want, sizeof want);
        struct proto_buf b;

        proto_buf_init(&b);
        raw_put(&b, s->raw, s->nraw);
        assert_int_equal(b.len, n);
        assert_memory_equal(b.data, want, n);
        proto_buf_release(&b);
        assert_int_equal(raw_rc(s->kind, s->raw, s->nraw), 0);
    }
}

/* ---- round trips of the variants ---- */

static void test_roundtrip_variants(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        g_spec[k].fill(&g_b);
        GOOD(&g_b);
    }
    fill_sign(&g_b);
    g_b.u.sign.decision = PROTO_SIGN_REJECT;
    memset(g_b.u.sign.note, 0, sizeof g_b.u.sign.note);
    GOOD(&g_b);
    for (uint8_t c = PROTO_CLASS_BIASA; c <= PROTO_CLASS_LUAR; c++) {
        fill_admit(&g_b);
        g_b.u.admit.class = c;
        g_b.u.admit.has_profile = true;
        memset(g_b.u.admit.profile, c, 32);
        GOOD(&g_b);
    }
    for (uint8_t r = PROTO_EXIT_OWN; r <= PROTO_EXIT_OTHER; r++) {
        fill_exit(&g_b);
        g_b.u.exit.reason = r;
        GOOD(&g_b);
    }
    fill_settle(&g_b);
    g_b.u.settle.nsavings = 0;
    g_b.u.settle.noffsets = 0;
    memset(&g_b.u.settle.savings, 0, sizeof g_b.u.settle.savings);
    memset(&g_b.u.settle.offsets, 0, sizeof g_b.u.settle.offsets);
    GOOD(&g_b);
    fill_deposit_term(&g_b);
    GOOD(&g_b);
    fill_withdraw(&g_b);
    g_b.u.withdraw.has_ref = true;
    memset(g_b.u.withdraw.ref, 0x55, 32);
    GOOD(&g_b);
    fill_withdraw(&g_b);
    g_b.u.withdraw.fee = 0;
    g_b.u.withdraw.fee_account = 0;
    GOOD(&g_b);
    fill_ja(&g_b);
    g_b.u.ja.nevidence = 0;
    memset(g_b.u.ja.evidence, 0, sizeof g_b.u.ja.evidence);
    GOOD(&g_b);
    /* Loans: every method, rounding mode and purpose; no fees, no collateral. */
    for (uint8_t m = PROTO_LOAN_FLAT; m <= PROTO_LOAN_ANNUITY; m++)
        for (uint8_t r = PROTO_LOAN_ROUND_HALF_UP; r <= PROTO_LOAN_ROUND_UP; r++)
            for (uint8_t p = 1; p <= PROTO_ACCT_PURPOSE_MAX; p++) {
                fill_apply(&g_b);
                g_b.u.apply.method = m;
                g_b.u.apply.rounding.mode = r;
                g_b.u.apply.purpose = p;
                GOOD(&g_b);
            }
    fill_apply(&g_b);
    g_b.u.apply.nfees = 0;
    memset(g_b.u.apply.fees, 0, sizeof g_b.u.apply.fees);
    g_b.u.apply.has_collateral = false;
    memset(g_b.u.apply.collateral, 0, 32);
    g_b.u.apply.rate_ppm = 0;
    GOOD(&g_b);
    fill_disburse(&g_b);
    g_b.u.disburse.ndeductions = 1;
    g_b.u.disburse.deductions[0].account = A_WAJIB;
    g_b.u.disburse.deductions[0].amount = 50000;
    GOOD(&g_b);
    g_b.u.disburse.nfees = 0;
    memset(g_b.u.disburse.fees, 0, sizeof g_b.u.disburse.fees);
    GOOD(&g_b);
    fill_repay(&g_b);
    g_b.u.repay.excess = 20000;
    g_b.u.repay.excess_account = A_SUKARELA;
    GOOD(&g_b);
}

/* ---- journal-a ---- */

/* A journal-a body with n copies of a sound line (debit, then credit) and ne evidence. */
static int ja_raw_n(uint32_t nlines, uint32_t nevidence)
{
    uint8_t ev[32];
    struct proto_buf b;
    int rc;

    memset(ev, 0x44, sizeof ev);
    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_array(&b, 4), 0);
    assert_int_equal(proto_mp_put_uint(&b, 20250115), 0);
    assert_int_equal(proto_mp_put_str(&b, "", 0), 0);
    assert_int_equal(proto_mp_put_array(&b, nlines), 0);
    for (uint32_t i = 0; i < nlines; i++) {
        assert_int_equal(proto_mp_put_array(&b, 4), 0);
        assert_int_equal(proto_mp_put_uint(&b, A_KAS), 0);
        assert_int_equal(proto_mp_put_nil(&b), 0);
        assert_int_equal(proto_mp_put_uint(&b, i % 2 ? 0 : 5), 0);
        assert_int_equal(proto_mp_put_uint(&b, i % 2 ? 5 : 0), 0);
    }
    assert_int_equal(proto_mp_put_array(&b, nevidence), 0);
    for (uint32_t i = 0; i < nevidence; i++)
        assert_int_equal(proto_mp_put_bin(&b, ev, 32), 0);
    rc = decode_buf(PROTO_KIND_JOURNAL_A, &b);
    proto_buf_release(&b);
    return rc;
}

static void test_journal_a_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_JOURNAL_A);

    (void)state;
    /* Lines: 1..256; evidence 0..8. */
    assert_int_equal(ja_raw_n(0, 0), ERR_BODY);
    assert_int_equal(ja_raw_n(1, 0), 0);
    assert_int_equal(ja_raw_n(PROTO_LINES_MAX, PROTO_ACCT_EVIDENCE_MAX), 0);
    assert_int_equal(g_out.u.ja.j.nlines, PROTO_LINES_MAX);
    assert_int_equal(g_out.u.ja.nevidence, PROTO_ACCT_EVIDENCE_MAX);
    assert_int_equal(ja_raw_n(PROTO_LINES_MAX + 1, 0), ERR_BODY);
    assert_int_equal(ja_raw_n(1, PROTO_ACCT_EVIDENCE_MAX + 1), ERR_BODY);

    /* A line: exactly one side, member nil or 1..2^32-1 (never an explicit 0). */
    assert_int_equal(raw_with(k, 8, ru(1)), ERR_BODY);  /* both sides */
    assert_int_equal(raw_with(k, 12, ru(0)), 0);        /* (was already 0) */
    assert_int_equal(raw_with(k, 13, ru(0)), ERR_BODY); /* neither side */
    assert_int_equal(raw_with(k, 6, ru(0)), ERR_BODY);
    assert_int_equal(raw_with(k, 6, ru(1)), 0);
    assert_int_equal(g_out.u.ja.j.lines[0].member, 1);
    assert_int_equal(raw_with(k, 6, ru(PROTO_MEMBER_MAX)), 0);
    assert_int_equal(raw_with(k, 6, ru(PROTO_MEMBER_MAX + 1)), ERR_BODY);
    assert_int_equal(raw_with(k, 6, (struct rv)RS("")), ERR_BODY);
    /* A line of 3 or 5 fields; a line that is not an array. */
    assert_int_equal(raw_with(k, 4, (struct rv)RARR(3)), ERR_BODY);
    assert_int_equal(raw_with(k, 4, (struct rv)RARR(5)), ERR_BODY);
    /* Evidence: bin(32) only. */
    assert_int_equal(raw_with(k, 15, (struct rv)RBIN(0x44, 31)), ERR_BODY);
    assert_int_equal(raw_with(k, 15, (struct rv)RBIN(0x44, 33)), ERR_BODY);
    assert_int_equal(raw_with(k, 15, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 15, (struct rv)RS("44")), ERR_BODY);
    assert_int_equal(raw_with(k, 14, (struct rv)RARR(0)), ERR_BODY); /* a bin after the body */

    /* Through the encoder. An unbalanced journal is well-formed (a finding, not a format). */
    fill_ja(&g_b);
    g_b.u.ja.j.lines[1].credit = 1;
    GOOD(&g_b);
    fill_ja(&g_b);
    g_b.u.ja.j.lines[0].credit = 1;
    BAD(&g_b);
    fill_ja(&g_b);
    g_b.u.ja.j.lines[0].debit = 0;
    BAD(&g_b);
    fill_ja(&g_b);
    g_b.u.ja.j.nlines = 0;
    BAD(&g_b);
    /* The memo is at most 200 bytes here, though a kind 16 memo may have 500. */
    fill_ja(&g_b);
    memset(g_b.u.ja.j.memo, 'm', PROTO_ACCT_MEMO_MAX);
    GOOD(&g_b);
    memset(g_b.u.ja.j.memo, 'm', PROTO_ACCT_MEMO_MAX + 1);
    BAD(&g_b);
    memset(g_b.u.ja.j.memo, 'm', PROTO_MEMO_MAX);
    BAD(&g_b);
}

/*
 * journal-a's date, memo and lines follow kind 16's rules: the same lines, sound or not, are
 * accepted or refused alike by proto_journal_decode, and decode to the same struct.
 */
static void test_journal_a_as_kind16(void **state)
{
    static const int64_t accts[] = {-1, 0, 999, 1000, 1100, 9999, 10000};
    static const int64_t members[] = {
        -2, -1, 0, 1, 7, (int64_t)PROTO_MEMBER_MAX, (int64_t)PROTO_MEMBER_MAX + 1};
    static const uint64_t amounts[] = {0, 1, AMAX, AMAX + 1, UINT64_MAX};
    static struct proto_journal j16;
    const size_t na = sizeof accts / sizeof accts[0], nm = sizeof members / sizeof members[0],
                 nx = sizeof amounts / sizeof amounts[0];
    size_t agree = 0, ok = 0;

    (void)state;
    for (size_t a = 0; a < na; a++)
        for (size_t m = 0; m < nm; m++)
            for (size_t d = 0; d < nx; d++)
                for (size_t c = 0; c < nx; c++) {
                    struct proto_buf b16, b17;
                    int rc16, rc17;

                    proto_buf_init(&b16);
                    proto_buf_init(&b17);
                    for (int kind = 16; kind <= 17; kind++) {
                        struct proto_buf *b = kind == 16 ? &b16 : &b17;

                        assert_int_equal(proto_mp_put_array(b, kind == 16 ? 3 : 4), 0);
                        assert_int_equal(proto_mp_put_uint(b, 20240229), 0);
                        assert_int_equal(proto_mp_put_str(b, "koreksi", 7), 0);
                        assert_int_equal(proto_mp_put_array(b, 1), 0);
                        assert_int_equal(proto_mp_put_array(b, 4), 0);
                        assert_int_equal(proto_mp_put_int(b, accts[a]), 0);
                        if (members[m] == -2)
                            assert_int_equal(proto_mp_put_nil(b), 0);
                        else
                            assert_int_equal(proto_mp_put_int(b, members[m]), 0);
                        assert_int_equal(proto_mp_put_uint(b, amounts[d]), 0);
                        assert_int_equal(proto_mp_put_uint(b, amounts[c]), 0);
                        if (kind == 17)
                            assert_int_equal(proto_mp_put_array(b, 0), 0);
                    }
                    rc16 = proto_journal_decode(b16.data, b16.len, &j16);
                    rc17 = decode_buf(PROTO_KIND_JOURNAL_A, &b17);
                    assert_int_equal(rc16, rc17);
                    agree++;
                    if (rc16 == 0) {
                        ok++;
                        assert_memory_equal(&j16, &g_out.u.ja.j, sizeof j16);
                    }
                    proto_buf_release(&b16);
                    proto_buf_release(&b17);
                }
    assert_int_equal(agree, na * nm * nx * nx);
    /* Accounts 1000, 1100, 9999 x members nil, 1, 7, max x one side 1 or 10^15. */
    assert_int_equal(ok, 3 * 4 * 4);
}

/* ---- sign ---- */

static void test_sign_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_SIGN);

    (void)state;
    for (unsigned d = 0; d < 256; d++) {
        fill_sign(&g_b);
        g_b.u.sign.decision = (uint8_t)d;
        assert_int_equal(rt(&g_b), d == 1 || d == 2 ? 0 : ERR_BODY);
    }
    assert_int_equal(raw_with(k, 2, ru(2)), 0);
    assert_int_equal(raw_with(k, 2, ru(256)), ERR_BODY);
    assert_int_equal(raw_with(k, 2, ru(257)), ERR_BODY);
    assert_int_equal(raw_with(k, 2, (struct rv)RNIL), ERR_BODY);
    /* The target is an id: bin(32). */
    assert_int_equal(raw_with(k, 1, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x11, 31)), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x11, 33)), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x11, 64)), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RS("11111111111111111111111111111111")), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x00, 32)), 0);
}

/* ---- member-admit, member-exit ---- */

static void test_member_admit_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_MEMBER_ADMIT);

    (void)state;
    for (unsigned c = 0; c < 256; c++) {
        fill_admit(&g_b);
        g_b.u.admit.class = (uint8_t)c;
        assert_int_equal(rt(&g_b), c >= 1 && c <= 3 ? 0 : ERR_BODY);
    }
    assert_int_equal(raw_with(k, 3, ru(256 + 1)), ERR_BODY);
    /* pokok 0 is allowed (calon, or pokok by installments). */
    fill_admit(&g_b);
    g_b.u.admit.pokok = 0;
    GOOD(&g_b);
    /* profile: nil or bin(32). */
    assert_int_equal(raw_with(k, 7, (struct rv)RBIN(0xab, 32)), 0);
    assert_true(g_out.u.admit.has_profile);
    assert_int_equal(g_out.u.admit.profile[31], 0xab);
    assert_int_equal(raw_with(k, 7, (struct rv)RBIN(0xab, 31)), ERR_BODY);
    assert_int_equal(raw_with(k, 7, (struct rv)RBIN(0xab, 0)), ERR_BODY);
    assert_int_equal(raw_with(k, 7, (struct rv)RS("")), ERR_BODY);
    assert_int_equal(raw_with(k, 7, ru(0)), ERR_BODY);
}

static void test_member_exit_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_MEMBER_EXIT);

    (void)state;
    for (unsigned r = 0; r < 256; r++) {
        fill_exit(&g_b);
        g_b.u.exit.reason = (uint8_t)r;
        assert_int_equal(rt(&g_b), r >= 1 && r <= 4 ? 0 : ERR_BODY);
    }
    assert_int_equal(raw_with(k, 3, ru(256 + 2)), ERR_BODY);
    fill_exit(&g_b);
    g_b.u.exit.pokok = 0;
    g_b.u.exit.wajib = 0;
    GOOD(&g_b);
    g_b.u.exit.pokok = AMAX;
    g_b.u.exit.wajib = AMAX;
    GOOD(&g_b);
}

/* ---- exit-settle ---- */

/* An exit-settle body with ns savings rows of amount sa and no offsets of principal op. */
static int settle_raw_n(uint32_t ns, uint64_t sa, uint32_t no, uint64_t op)
{
    uint8_t id[32];
    struct proto_buf b;
    int rc;

    memset(id, 0x33, sizeof id);
    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_array(&b, 9), 0);
    assert_int_equal(proto_mp_put_uint(&b, 7), 0);
    assert_int_equal(proto_mp_put_uint(&b, 20260115), 0);
    assert_int_equal(proto_mp_put_bin(&b, id, 32), 0);
    assert_int_equal(proto_mp_put_uint(&b, 0), 0);
    assert_int_equal(proto_mp_put_uint(&b, A_REFUND), 0);
    assert_int_equal(proto_mp_put_array(&b, ns), 0);
    for (uint32_t i = 0; i < ns; i++) {
        assert_int_equal(proto_mp_put_array(&b, 2), 0);
        assert_int_equal(proto_mp_put_uint(&b, A_SUKARELA), 0);
        assert_int_equal(proto_mp_put_uint(&b, sa), 0);
    }
    assert_int_equal(proto_mp_put_array(&b, no), 0);
    for (uint32_t i = 0; i < no; i++) {
        assert_int_equal(proto_mp_put_array(&b, 3), 0);
        assert_int_equal(proto_mp_put_bin(&b, id, 32), 0);
        assert_int_equal(proto_mp_put_uint(&b, op), 0);
        assert_int_equal(proto_mp_put_uint(&b, 0), 0);
    }
    assert_int_equal(proto_mp_put_uint(&b, A_KAS), 0);
    assert_int_equal(proto_mp_put_str(&b, "", 0), 0);
    rc = decode_buf(PROTO_KIND_EXIT_SETTLE, &b);
    proto_buf_release(&b);
    return rc;
}

static void test_exit_settle_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_EXIT_SETTLE);

    (void)state;
    /* savings array(0..8), offsets array(0..16). */
    assert_int_equal(settle_raw_n(0, 0, 0, 0), 0);
    assert_int_equal(settle_raw_n(PROTO_ACCT_SAVINGS_MAX, AMAX, PROTO_ACCT_OFFSETS_MAX, AMAX / 2),
                     0);
    assert_int_equal(g_out.u.settle.nsavings, PROTO_ACCT_SAVINGS_MAX);
    assert_int_equal(g_out.u.settle.noffsets, PROTO_ACCT_OFFSETS_MAX);
    assert_int_equal(settle_raw_n(PROTO_ACCT_SAVINGS_MAX + 1, 1, 0, 0), ERR_BODY);
    assert_int_equal(settle_raw_n(PROTO_ACCT_SAVINGS_MAX, AMAX, PROTO_ACCT_OFFSETS_MAX + 1, 0),
                     ERR_BODY);
    /* Rows: [account, amount] and [loan, principal, interest]. */
    assert_int_equal(raw_with(k, 7, (struct rv)RARR(1)), ERR_BODY);
    assert_int_equal(raw_with(k, 7, (struct rv)RARR(3)), ERR_BODY);
    assert_int_equal(raw_with(k, 11, (struct rv)RARR(2)), ERR_BODY);
    assert_int_equal(raw_with(k, 11, (struct rv)RARR(4)), ERR_BODY);
    assert_int_equal(raw_with(k, 12, (struct rv)RBIN(0x33, 31)), ERR_BODY);
    assert_int_equal(raw_with(k, 12, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 13, ru(AMAX + 1)), ERR_BODY);
    assert_int_equal(raw_with(k, 14, ru(AMAX + 1)), ERR_BODY);
    assert_int_equal(raw_with(k, 13, ru(0)), 0);
    assert_int_equal(raw_with(k, 14, ru(0)), 0);
    /* exit: an id. */
    assert_int_equal(raw_with(k, 3, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 3, (struct rv)RBIN(0x22, 31)), ERR_BODY);
    /* savings and offsets are arrays, never nil. */
    assert_int_equal(raw_with(k, 6, (struct rv)RNIL), ERR_BODY);
}

static void test_exit_settle_payout(void **state)
{
    struct proto_exit_settle *s = &g_b.u.settle;
    uint64_t p;

    (void)state;
    fill_settle(&g_b);
    assert_int_equal(proto_acct_payout(s, &p), 0);
    assert_int_equal(p, 400000 + 150000 - 210000);
    /* Exactly 0 is sound; 1 rupiah short is malformed. */
    s->offsets[0].interest = 350000;
    assert_int_equal(proto_acct_payout(s, &p), 0);
    assert_int_equal(p, 0);
    GOOD(&g_b);
    s->offsets[0].interest = 350001;
    p = 99;
    assert_int_equal(proto_acct_payout(s, &p), ERR_BODY);
    assert_int_equal(p, 0);
    BAD(&g_b);
    /* Offsets without any refund or savings to take them from. */
    fill_settle(&g_b);
    s->refund = 0;
    s->nsavings = 0;
    memset(s->savings, 0, sizeof s->savings);
    BAD(&g_b);
    s->offsets[0].principal = 0;
    s->offsets[0].interest = 0;
    GOOD(&g_b);
    /* The largest payout: refund and eight savings rows at 10^15. */
    fill_settle(&g_b);
    s->refund = AMAX;
    s->nsavings = PROTO_ACCT_SAVINGS_MAX;
    for (uint32_t i = 0; i < s->nsavings; i++) {
        s->savings[i].account = (uint32_t)(A_SUKARELA + i);
        s->savings[i].amount = AMAX;
    }
    s->noffsets = 0;
    memset(s->offsets, 0, sizeof s->offsets);
    assert_int_equal(proto_acct_payout(s, &p), 0);
    assert_int_equal(p, 9 * AMAX);
    GOOD(&g_b);
    /* The largest offsets: 16 x (10^15 + 10^15) against 9 x 10^15. */
    s->noffsets = PROTO_ACCT_OFFSETS_MAX;
    for (uint32_t i = 0; i < s->noffsets; i++) {
        s->offsets[i].principal = AMAX;
        s->offsets[i].interest = AMAX;
    }
    BAD(&g_b);
    /* A figure above 10^15 is refused before it is summed (no wrap-around). */
    fill_settle(&g_b);
    s->savings[0].amount = UINT64_MAX - 100000;
    BAD(&g_b);
    fill_settle(&g_b);
    s->offsets[0].principal = UINT64_MAX;
    BAD(&g_b);
    fill_settle(&g_b);
    s->refund = AMAX + 1;
    assert_int_equal(proto_acct_payout(s, &p), ERR_BODY);
    BAD(&g_b);
    /* Counts beyond the arrays: refused, never read past. */
    fill_settle(&g_b);
    s->nsavings = PROTO_ACCT_SAVINGS_MAX + 1;
    assert_int_equal(proto_acct_payout(s, &p), ERR_BODY);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    fill_settle(&g_b);
    s->noffsets = PROTO_ACCT_OFFSETS_MAX + 1;
    assert_int_equal(proto_acct_payout(s, &p), ERR_BODY);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
}

/* ---- deposit, withdraw ---- */

static void test_deposit_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_DEPOSIT);

    (void)state;
    fill_deposit(&g_b);
    g_b.u.deposit.amount = 0;
    BAD(&g_b);
    g_b.u.deposit.amount = 1;
    GOOD(&g_b);
    g_b.u.deposit.amount = AMAX;
    GOOD(&g_b);
    g_b.u.deposit.amount = AMAX + 1;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 5, ru(0)), ERR_BODY);
    /* The product is a str: not nil, not bin. */
    assert_int_equal(raw_with(k, 3, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 3, (struct rv)RBIN('S', 2)), ERR_BODY);
}

static void test_deposit_term(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_DEPOSIT);
    struct rv v[RAW_MAX];
    size_t n = k->nraw;

    (void)state;
    fill_deposit_term(&g_b);
    g_b.u.deposit.term_months = 0;
    BAD(&g_b);
    g_b.u.deposit.term_months = 1;
    GOOD(&g_b);
    g_b.u.deposit.term_months = PROTO_ACCT_TERM_MONTHS_MAX;
    GOOD(&g_b);
    g_b.u.deposit.term_months = PROTO_ACCT_TERM_MONTHS_MAX + 1;
    BAD(&g_b);
    g_b.u.deposit.term_months = UINT32_MAX;
    BAD(&g_b);
    fill_deposit_term(&g_b);
    g_b.u.deposit.term_rate_ppm = 0;
    GOOD(&g_b);
    g_b.u.deposit.term_rate_ppm = 10000000;
    GOOD(&g_b);
    g_b.u.deposit.term_rate_ppm = 10000001;
    BAD(&g_b);

    /* The term is nil or exactly [months, rate_ppm]. */
    memcpy(v, k->raw, n * sizeof v[0]);
    v[7] = (struct rv)RARR(2);
    v[8] = ru(12);
    v[9] = ru(60000);
    v[10] = (struct rv)RS("");
    assert_int_equal(raw_rc(k->kind, v, 11), 0);
    assert_true(g_out.u.deposit.has_term);
    assert_int_equal(g_out.u.deposit.term_months, 12);
    assert_int_equal(g_out.u.deposit.term_rate_ppm, 60000);
    v[7] = (struct rv)RARR(1); /* [12], then 60000 takes the memo's place */
    assert_int_equal(raw_rc(k->kind, v, 11), ERR_BODY);
    v[7] = (struct rv)RARR(3);
    v[10] = ru(0);
    v[11] = (struct rv)RS("");
    assert_int_equal(raw_rc(k->kind, v, 12), ERR_BODY);
    v[7] = (struct rv)RARR(2);
    v[8] = (struct rv)RNIL;
    v[10] = (struct rv)RS("");
    assert_int_equal(raw_rc(k->kind, v, 11), ERR_BODY);
    v[8] = ru(12);
    v[9] = (struct rv)RNIL;
    assert_int_equal(raw_rc(k->kind, v, 11), ERR_BODY);
    v[9] = ru((uint64_t)1 << 32);
    assert_int_equal(raw_rc(k->kind, v, 11), ERR_BODY);
    assert_int_equal(raw_with(k, 7, (struct rv)RARR(0)), ERR_BODY);
    assert_int_equal(raw_with(k, 7, ru(12)), ERR_BODY);
    assert_int_equal(raw_with(k, 7, (struct rv)RS("")), ERR_BODY);
}

/* Product codes: 1..8 bytes of A-Z 0-9, in deposits and withdrawals alike. */
static void test_product_codes(void **state)
{
    static const char *const good[] = {"A",  "Z",    "0",        "9",       "SS",
                                       "SW", "SB12", "ABCDEFGH", "12345678"};
    static const char *const bad[] = {"",    "ABCDEFGHI", "sw",  "Ss",  "S W",      "S-W",
                                      "S_W", " SS",       "SS ", "S\n", "\xc3\x89", "S\x7f"};

    (void)state;
    for (int kind = 0; kind < 2; kind++) {
        const struct kspec *k = spec(kind ? PROTO_KIND_WITHDRAW : PROTO_KIND_DEPOSIT);

        for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
            assert_int_equal(raw_with(k, 3, rstr(good[i], strlen(good[i]))), 0);
            k->fill(&g_b);
            strcpy(kind ? g_b.u.withdraw.product : g_b.u.deposit.product, good[i]);
            GOOD(&g_b);
        }
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            assert_int_equal(raw_with(k, 3, rstr(bad[i], strlen(bad[i]))), ERR_BODY);
            if (strlen(bad[i]) <= PROTO_PARAMS_CODE_MAX) {
                k->fill(&g_b);
                strcpy(kind ? g_b.u.withdraw.product : g_b.u.deposit.product, bad[i]);
                BAD(&g_b);
            }
        }
        assert_int_equal(raw_with(k, 3, rstr("S\0W", 3)), ERR_BODY);
        /* Not NUL-terminated in a hand-built struct: refused, not read past. */
        k->fill(&g_b);
        memset(kind ? g_b.u.withdraw.product : g_b.u.deposit.product, 'A',
               PROTO_PARAMS_CODE_MAX + 1);
        assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
        BAD(&g_b);
    }
}

static void test_withdraw_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_WITHDRAW);

    (void)state;
    fill_withdraw(&g_b);
    g_b.u.withdraw.amount = 0;
    g_b.u.withdraw.fee = 0;
    g_b.u.withdraw.fee_account = 0;
    BAD(&g_b);
    g_b.u.withdraw.amount = 1;
    GOOD(&g_b);
    g_b.u.withdraw.amount = AMAX;
    GOOD(&g_b);
    g_b.u.withdraw.amount = AMAX + 1;
    BAD(&g_b);
    /* ref: nil or an id. */
    assert_int_equal(raw_with(k, 7, (struct rv)RBIN(0x66, 32)), 0);
    assert_true(g_out.u.withdraw.has_ref);
    assert_int_equal(g_out.u.withdraw.ref[0], 0x66);
    assert_int_equal(raw_with(k, 7, (struct rv)RBIN(0x66, 31)), ERR_BODY);
    assert_int_equal(raw_with(k, 7, (struct rv)RS("")), ERR_BODY);
    assert_int_equal(raw_with(k, 7, ru(0)), ERR_BODY);
}

static void test_withdraw_fee(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_WITHDRAW);
    struct proto_withdraw *w = &g_b.u.withdraw;

    (void)state;
    /* fee <= amount. */
    fill_withdraw(&g_b);
    w->fee = w->amount;
    GOOD(&g_b);
    w->fee = w->amount + 1;
    BAD(&g_b);
    w->fee = AMAX + 1;
    BAD(&g_b);
    /* fee_account nil iff fee = 0. */
    fill_withdraw(&g_b);
    w->fee = 0;
    BAD(&g_b); /* an account with no fee */
    w->fee_account = 0;
    GOOD(&g_b);
    w->fee = 1;
    BAD(&g_b); /* a fee with no account */
    w->fee_account = 9999;
    GOOD(&g_b);
    assert_int_equal(raw_with(k, 9, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 8, ru(0)), ERR_BODY);
    {
        struct rv v[RAW_MAX];

        memcpy(v, k->raw, k->nraw * sizeof v[0]);
        v[8] = ru(0);
        v[9] = (struct rv)RNIL;
        assert_int_equal(raw_rc(k->kind, v, k->nraw), 0);
        assert_int_equal(g_out.u.withdraw.fee_account, 0);
        /* An explicit 0 is not nil: it would not survive a round trip. */
        v[9] = ru(0);
        assert_int_equal(raw_rc(k->kind, v, k->nraw), ERR_BODY);
    }
}

/* ---- loan-apply ---- */

/* A loan-apply body with n fee rows [4200, amount]. */
static int apply_raw_fees(uint32_t n, uint64_t amount)
{
    const struct kspec *k = spec(PROTO_KIND_LOAN_APPLY);
    struct rv v[RAW_MAX];
    size_t at = 0;

    for (size_t i = 0; i <= 14; i++)
        v[at++] = k->raw[i];
    v[at++] = (struct rv)RARR(n);
    for (uint32_t i = 0; i < n; i++) {
        v[at++] = (struct rv)RARR(2);
        v[at++] = ru(A_ADMIN);
        v[at++] = ru(amount);
    }
    for (size_t i = 22; i < k->nraw; i++)
        v[at++] = k->raw[i];
    assert_true(at <= RAW_MAX);
    return raw_rc(k->kind, v, at);
}

static void test_loan_apply_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_LOAN_APPLY);
    struct proto_loan_apply *a = &g_b.u.apply;

    (void)state;
    /* purpose 1..5. */
    for (unsigned p = 0; p < 256; p++) {
        fill_apply(&g_b);
        a->purpose = (uint8_t)p;
        assert_int_equal(rt(&g_b), p >= 1 && p <= 5 ? 0 : ERR_BODY);
    }
    assert_int_equal(raw_with(k, 22, ru(0)), ERR_BODY);
    assert_int_equal(raw_with(k, 22, ru(6)), ERR_BODY);
    assert_int_equal(raw_with(k, 22, ru(5)), 0);
    assert_int_equal(raw_with(k, 22, ru(256 + 1)), ERR_BODY);
    /* principal 1..10^15: the ledger's cap, below the loan library's. */
    fill_apply(&g_b);
    a->principal = 0;
    BAD(&g_b);
    a->principal = 1;
    GOOD(&g_b);
    a->principal = AMAX;
    GOOD(&g_b);
    a->principal = AMAX + 1;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 4, ru(0)), ERR_BODY);
    assert_int_equal(raw_with(k, 4, ru(PROTO_LOAN_AMOUNT_MAX)), ERR_BODY);
    /* fees: array(0..4) of [account, amount]; an amount may be 0. */
    assert_int_equal(apply_raw_fees(0, 0), 0);
    assert_int_equal(g_out.u.apply.nfees, 0);
    assert_int_equal(apply_raw_fees(PROTO_ACCT_FEES_MAX, AMAX), 0);
    assert_int_equal(g_out.u.apply.nfees, PROTO_ACCT_FEES_MAX);
    assert_int_equal(apply_raw_fees(1, 0), 0);
    assert_int_equal(apply_raw_fees(PROTO_ACCT_FEES_MAX + 1, 1), ERR_BODY);
    assert_int_equal(apply_raw_fees(1, AMAX + 1), ERR_BODY);
    fill_apply(&g_b);
    a->nfees = PROTO_ACCT_FEES_MAX;
    for (uint32_t i = 0; i < PROTO_ACCT_FEES_MAX; i++) {
        a->fees[i].account = 9999 - i;
        a->fees[i].amount = AMAX - i;
    }
    GOOD(&g_b);
    a->nfees = PROTO_ACCT_FEES_MAX + 1;
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    a->nfees = 1;
    a->fees[0].account = 999;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 15, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 16, (struct rv)RARR(1)), ERR_BODY);
    assert_int_equal(raw_with(k, 16, (struct rv)RARR(3)), ERR_BODY);
    /* accounts: exactly [receivable, interest, penalty]. */
    assert_int_equal(raw_with(k, 11, (struct rv)RARR(2)), ERR_BODY);
    assert_int_equal(raw_with(k, 11, (struct rv)RARR(4)), ERR_BODY);
    assert_int_equal(raw_with(k, 11, (struct rv)RNIL), ERR_BODY);
    /* rounding: exactly [mode, unit]. */
    assert_int_equal(raw_with(k, 8, (struct rv)RARR(1)), ERR_BODY);
    assert_int_equal(raw_with(k, 8, (struct rv)RARR(3)), ERR_BODY);
    assert_int_equal(raw_with(k, 8, (struct rv)RNIL), ERR_BODY);
    /* collateral: nil or bin(32). */
    assert_int_equal(raw_with(k, 23, (struct rv)RNIL), 0);
    assert_false(g_out.u.apply.has_collateral);
    assert_true(all_zero(g_out.u.apply.collateral, 32));
    assert_int_equal(raw_with(k, 23, (struct rv)RBIN(0x5a, 31)), ERR_BODY);
    assert_int_equal(raw_with(k, 23, (struct rv)RBIN(0x5a, 33)), ERR_BODY);
    assert_int_equal(raw_with(k, 23, (struct rv)RS("")), ERR_BODY);
    assert_int_equal(raw_with(k, 23, ru(0)), ERR_BODY);
    /* The product, as for savings. */
    assert_int_equal(raw_with(k, 3, (struct rv)RS("pu")), ERR_BODY);
    assert_int_equal(raw_with(k, 3, (struct rv)RS("")), ERR_BODY);
    assert_int_equal(raw_with(k, 3, (struct rv)RNIL), ERR_BODY);
}

/* ---- provision (60) and write-off (61) ---- */

static void fill_provision(struct proto_acct_body *b)
{
    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_PROVISION;
    b->u.provision.date = 20260131;
    b->u.provision.expense_account = 5220;
    b->u.provision.allowance_account = 1290;
    b->u.provision.amount = -5000;
    strcpy(b->u.provision.memo, "PPAP");
}

static void fill_writeoff(struct proto_acct_body *b)
{
    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_WRITE_OFF;
    memset(b->u.writeoff.loan, 0x11, 32);
    b->u.writeoff.date = 20260131;
    b->u.writeoff.principal = 450000;
    b->u.writeoff.allowance_account = 1290;
}

static void test_provision_writeoff(void **state)
{
    (void)state;
    assert_int_equal(PROTO_KIND_PROVISION, 60);
    assert_int_equal(PROTO_KIND_WRITE_OFF, 61);
    assert_string_equal(proto_acct_kind_name(60), "provision");
    assert_string_equal(proto_acct_kind_name(61), "write-off");
    /* Bytes, worked by hand: a negative amount in msgpack's int16 form. */
    bytes_case(fill_provision, "95 ce 01 35 25 23 cd 14 64 cd 05 0a d1 ec 78 a4 50 50 41 50");
    bytes_case(fill_writeoff, "96 c4 20 1111111111111111111111111111111111111111111111111111111111111111"
                              " ce 01 35 25 23 ce 00 06 dd d0 cd 05 0a c0 a0");
    /* Ranges: amount != 0 and |amount| <= 10^15; principal >= 1. */
    fill_provision(&g_b);
    GOOD(&g_b);
    g_b.u.provision.amount = 0;
    BAD(&g_b);
    g_b.u.provision.amount = (int64_t)PROTO_AMOUNT_MAX;
    GOOD(&g_b);
    g_b.u.provision.amount = -(int64_t)PROTO_AMOUNT_MAX;
    GOOD(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), PROTO_AMOUNT_MAX);
    g_b.u.provision.amount = -(int64_t)PROTO_AMOUNT_MAX - 1;
    BAD(&g_b);
    g_b.u.provision.amount = INT64_MIN;
    BAD(&g_b);
    fill_provision(&g_b);
    g_b.u.provision.allowance_account = 999;
    BAD(&g_b);
    fill_writeoff(&g_b);
    GOOD(&g_b);
    g_b.u.writeoff.has_resolution = true;
    memset(g_b.u.writeoff.resolution, 0x22, 32);
    GOOD(&g_b);
    g_b.u.writeoff.principal = 0;
    BAD(&g_b);
    g_b.u.writeoff.principal = PROTO_AMOUNT_MAX + 1;
    BAD(&g_b);

    /* Postings: a release (amount < 0) debits the allowance; a write-off needs its loan. */
    fill_provision(&g_b);
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, 8), 2);
    assert_int_equal(g_lines[0].account, 1290);
    assert_int_equal(g_lines[0].debit, 5000);
    assert_int_equal(g_lines[1].account, 5220);
    assert_int_equal(g_lines[1].credit, 5000);
    g_b.u.provision.amount = 7000;
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, 8), 2);
    assert_int_equal(g_lines[0].account, 5220);
    assert_int_equal(g_lines[0].debit, 7000);
    assert_int_equal(g_lines[1].account, 1290);
    assert_int_equal(g_lines[1].credit, 7000);
    assert_int_equal(g_lines[1].member, 0);
    assert_int_equal(proto_acct_subjects(&g_b, NULL, 0), 0);
    assert_int_equal(proto_acct_date(&g_b), 20260131);
    fill_writeoff(&g_b);
    fill_apply(&g_app);
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, 8), -EINVAL);
    assert_int_equal(proto_acct_loan_postings(&g_b, NULL, 0, g_lines, 8), -EINVAL);
    assert_int_equal(proto_acct_loan_postings(&g_b, &g_app.u.apply, 0, g_lines, 8), 2);
    assert_int_equal(g_lines[0].account, 1290);
    assert_int_equal(g_lines[0].member, 0);
    assert_int_equal(g_lines[0].debit, 450000);
    assert_int_equal(g_lines[1].account, A_LOANS);
    assert_int_equal(g_lines[1].member, 7);
    assert_int_equal(g_lines[1].credit, 450000);
    assert_int_equal(proto_acct_amount(&g_b), 450000);
    assert_int_equal(proto_acct_member(&g_b), 0); /* the books take the borrower */
}

/* The terms' own ranges: periods 1..360, rate 0..10^7 (annual), method, rounding. */
static void test_loan_apply_terms(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_LOAN_APPLY);
    struct proto_loan_apply *a = &g_b.u.apply;

    (void)state;
    fill_apply(&g_b);
    a->periods = 0;
    BAD(&g_b);
    a->periods = 1;
    GOOD(&g_b);
    a->periods = PROTO_LOAN_PERIODS_MAX;
    GOOD(&g_b);
    a->periods = PROTO_LOAN_PERIODS_MAX + 1;
    BAD(&g_b);
    a->periods = UINT32_MAX;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 5, ru((uint64_t)1 << 32)), ERR_BODY);
    fill_apply(&g_b);
    a->rate_ppm = PROTO_LOAN_RATE_MAX;
    GOOD(&g_b);
    a->rate_ppm = PROTO_LOAN_RATE_MAX + 1;
    BAD(&g_b);
    a->rate_ppm = 15000; /* a monthly 1,5 % is 180000 a year: no rule tells them apart */
    GOOD(&g_b);
    for (unsigned m = 0; m < 256; m++) {
        fill_apply(&g_b);
        a->method = (uint8_t)m;
        assert_int_equal(rt(&g_b), m >= 1 && m <= 3 ? 0 : ERR_BODY);
        a->method = PROTO_LOAN_FLAT;
        a->rounding.mode = (uint8_t)m;
        assert_int_equal(rt(&g_b), m >= 1 && m <= 3 ? 0 : ERR_BODY);
    }
    assert_int_equal(raw_with(k, 7, ru(256 + 1)), ERR_BODY);
    assert_int_equal(raw_with(k, 9, ru(256 + 1)), ERR_BODY);
    fill_apply(&g_b);
    a->rounding.unit = 0;
    BAD(&g_b);
    a->rounding.unit = 1;
    GOOD(&g_b);
    a->rounding.unit = PROTO_LOAN_UNIT_MAX;
    GOOD(&g_b);
    a->rounding.unit = PROTO_LOAN_UNIT_MAX + 1;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 10, ru(0)), ERR_BODY);
    assert_int_equal(raw_with(k, 10, ru((uint64_t)1 << 32 | 100)), ERR_BODY);

    /* The last installment falls due in the calendar: the date + periods months <= 9999-12-31. */
    fill_apply(&g_b);
    a->date = 99981231;
    GOOD(&g_b);
    a->date = 99990101;
    BAD(&g_b);
    a->periods = 11;
    GOOD(&g_b); /* 9999-12-01 */
    a->date = 99991231;
    a->periods = 1;
    BAD(&g_b);
    a->date = 99691231;
    a->periods = PROTO_LOAN_PERIODS_MAX;
    GOOD(&g_b); /* 9999-12-31 */
    a->date = 99700101;
    BAD(&g_b);
    a->date = 19000101;
    GOOD(&g_b);
    a->date = 20250131; /* due 28 February: clamped, in the calendar */
    a->periods = 1;
    GOOD(&g_b);
}

/*
 * Whatever the terms, the body is sound exactly when proto_loan_terms_check accepts them with
 * the application date as the disbursement day (and the principal is at most 10^15).
 */
static void test_loan_apply_terms_agree(void **state)
{
    static const uint32_t dates[] = {19000101, 20240229, 20250131, 99691231, 99700101,
                                     99981231, 99990101, 99991130, 99991231};
    size_t ok = 0, bad = 0;

    (void)state;
    for (int iter = 0; iter < 20000; iter++) {
        struct proto_loan_terms t;
        int32_t day;
        bool want;

        fill_apply(&g_b);
        g_b.u.apply.date = rng() % 2 ? dates[rng() % (sizeof dates / sizeof dates[0])] : 20250110;
        g_b.u.apply.principal = rng() % 8 ? rng_amount(0, AMAX + 1) : rng();
        g_b.u.apply.periods = (uint32_t)rng_amount(0, PROTO_LOAN_PERIODS_MAX + 1);
        g_b.u.apply.rate_ppm = (uint32_t)rng_amount(0, PROTO_LOAN_RATE_MAX + 1);
        g_b.u.apply.method = (uint8_t)rng_range(0, 4);
        g_b.u.apply.rounding.mode = (uint8_t)rng_range(0, 4);
        g_b.u.apply.rounding.unit = (uint32_t)rng_amount(0, PROTO_LOAN_UNIT_MAX + 1);
        memset(&t, 0, sizeof t);
        t.principal = g_b.u.apply.principal;
        t.rate_ppm = g_b.u.apply.rate_ppm;
        t.periods = g_b.u.apply.periods;
        t.method = g_b.u.apply.method;
        t.round = g_b.u.apply.rounding;
        assert_int_equal(proto_day_from_ymd(g_b.u.apply.date, &day), 0);
        t.disbursed = day;
        want = proto_loan_terms_check(&t) == 0 && t.principal <= AMAX;
        assert_int_equal(rt(&g_b), want ? 0 : ERR_BODY);
        if (want)
            ok++;
        else
            bad++;
    }
    assert_true(ok > 1000 && bad > 1000);
}

/* ---- loan-disburse ---- */

static void test_loan_disburse_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_LOAN_DISBURSE);
    struct proto_loan_disburse *d = &g_b.u.disburse;
    uint8_t body[512];
    size_t n;

    (void)state;
    /* gross 1..10^15. */
    fill_disburse(&g_b);
    d->nfees = 0;
    memset(d->fees, 0, sizeof d->fees);
    d->gross = 0;
    BAD(&g_b);
    d->gross = 1;
    GOOD(&g_b);
    d->gross = AMAX;
    GOOD(&g_b);
    d->gross = AMAX + 1;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 3, ru(AMAX)), 0);
    assert_int_equal(raw_with(k, 3, ru(AMAX + 1)), ERR_BODY);
    /* The net, gross - fees - deductions: 0 is sound, -1 malformed. */
    fill_disburse(&g_b);
    d->ndeductions = 2;
    d->deductions[0].account = A_WAJIB;
    d->deductions[0].amount = 60000;
    d->deductions[1].account = A_SUKARELA;
    d->deductions[1].amount = 12000000 - 240000 - 60000;
    GOOD(&g_b);
    d->deductions[1].amount++;
    BAD(&g_b);
    d->deductions[1].amount -= 2;
    GOOD(&g_b);
    fill_disburse(&g_b);
    d->fees[1].amount = 12000000 - 120000;
    GOOD(&g_b);
    d->fees[1].amount++;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 3, ru(240000)), 0);
    assert_int_equal(raw_with(k, 3, ru(239999)), ERR_BODY);
    /* Four fees and four deductions at the cap, against a gross at the cap. */
    fill_disburse(&g_b);
    d->gross = AMAX;
    d->nfees = PROTO_ACCT_FEES_MAX;
    d->ndeductions = PROTO_ACCT_FEES_MAX;
    for (uint32_t i = 0; i < PROTO_ACCT_FEES_MAX; i++) {
        d->fees[i].account = A_ADMIN;
        d->fees[i].amount = AMAX / 8;
        d->deductions[i].account = A_WAJIB;
        d->deductions[i].amount = AMAX / 8;
    }
    GOOD(&g_b);
    d->deductions[3].amount++;
    BAD(&g_b);
    /* Figures above 10^15 are refused before they are summed (no wrap-around to a small net). */
    fill_disburse(&g_b);
    d->fees[0].amount = UINT64_MAX;
    d->fees[1].amount = 2;
    BAD(&g_b);
    fill_disburse(&g_b);
    d->ndeductions = 1;
    d->deductions[0].account = A_WAJIB;
    d->deductions[0].amount = AMAX + 1;
    BAD(&g_b);
    /* More than four rows: refused, never read past. */
    fill_disburse(&g_b);
    d->nfees = PROTO_ACCT_FEES_MAX + 1;
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    fill_disburse(&g_b);
    d->ndeductions = UINT32_MAX;
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    /* Raw: five fee rows; rows of 1 or 3 fields; nil arrays; the loan is an id. */
    n = unhex(
        "97 c420" X32("56") " ce0134fe03 ce00b71b00 cd044c"
                            " 95 92cd106801 92cd106801 92cd106801 92cd106801 92cd106801 90 a0",
        body, sizeof body);
    assert_int_equal(proto_acct_decode(k->kind, body, n, &g_out), ERR_BODY);
    n = unhex("97 c420" X32(
                  "56") " ce0134fe03 ce00b71b00 cd044c"
                        " 94 92cd106801 92cd106801 92cd106801 92cd106801 94 92cd0c2601 92cd0c2601"
                        " 92cd0c2601 92cd0c2601 a0",
              body, sizeof body);
    assert_int_equal(proto_acct_decode(k->kind, body, n, &g_out), 0);
    assert_int_equal(g_out.u.disburse.nfees, 4);
    assert_int_equal(g_out.u.disburse.ndeductions, 4);
    assert_int_equal(g_out.u.disburse.deductions[3].account, A_WAJIB);
    n = unhex(
        "97 c420" X32("56") " ce0134fe03 ce00b71b00 cd044c"
                            " 90 95 92cd0c2601 92cd0c2601 92cd0c2601 92cd0c2601 92cd0c2601 a0",
        body, sizeof body);
    assert_int_equal(proto_acct_decode(k->kind, body, n, &g_out), ERR_BODY);
    assert_int_equal(raw_with(k, 6, (struct rv)RARR(1)), ERR_BODY);
    assert_int_equal(raw_with(k, 6, (struct rv)RARR(3)), ERR_BODY);
    assert_int_equal(raw_with(k, 5, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 12, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x56, 31)), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x00, 32)), 0);
}

/* ---- loan-repay ---- */

static void test_loan_repay_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_LOAN_REPAY);
    struct proto_loan_repay *r = &g_b.u.repay;

    (void)state;
    /* amount = penalty + interest + principal + excess >= 1: any one part will do. */
    fill_repay(&g_b);
    r->penalty = 0;
    r->interest = 0;
    r->principal = 0;
    BAD(&g_b);
    r->penalty = 1;
    GOOD(&g_b);
    r->penalty = 0;
    r->interest = 1;
    GOOD(&g_b);
    r->interest = 0;
    r->principal = 1;
    GOOD(&g_b);
    r->principal = 0;
    r->excess = 1;
    r->excess_account = A_SUKARELA;
    GOOD(&g_b);
    {
        struct rv v[RAW_MAX];

        memcpy(v, k->raw, k->nraw * sizeof v[0]);
        v[3] = ru(0);
        v[4] = ru(0);
        v[5] = ru(0);
        assert_int_equal(raw_rc(k->kind, v, k->nraw), ERR_BODY);
        v[5] = ru(1);
        assert_int_equal(raw_rc(k->kind, v, k->nraw), 0);
    }
    /* Each part at most 10^15; all four at the cap is sound (a cash line of 4 x 10^15). */
    fill_repay(&g_b);
    r->penalty = AMAX;
    r->interest = AMAX;
    r->principal = AMAX;
    r->excess = AMAX;
    r->excess_account = A_SUKARELA;
    GOOD(&g_b);
    assert_true(proto_acct_amount(&g_b) == 4 * AMAX);
    r->excess = AMAX + 1;
    BAD(&g_b);
    r->excess = UINT64_MAX; /* would wrap the sum to a small amount */
    BAD(&g_b);
    assert_int_equal(raw_with(k, 6, ru(AMAX)), ERR_BODY); /* excess without its account */
    /* The loan is an id. */
    assert_int_equal(raw_with(k, 1, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x56, 31)), ERR_BODY);
}

/* excess_account nil iff excess = 0. */
static void test_loan_repay_excess(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_LOAN_REPAY);
    struct proto_loan_repay *r = &g_b.u.repay;
    struct rv v[RAW_MAX];

    (void)state;
    fill_repay(&g_b);
    r->excess_account = A_SUKARELA;
    BAD(&g_b); /* an account with no excess */
    r->excess_account = 0;
    r->excess = 1;
    BAD(&g_b); /* an excess with no account */
    r->excess_account = A_SUKARELA;
    GOOD(&g_b);
    r->excess_account = 999;
    BAD(&g_b);
    r->excess_account = 10000;
    BAD(&g_b);
    memcpy(v, k->raw, k->nraw * sizeof v[0]);
    v[8] = ru(A_SUKARELA);
    assert_int_equal(raw_rc(k->kind, v, k->nraw), ERR_BODY);
    v[6] = ru(20000);
    assert_int_equal(raw_rc(k->kind, v, k->nraw), 0);
    assert_int_equal(g_out.u.repay.excess, 20000);
    assert_int_equal(g_out.u.repay.excess_account, A_SUKARELA);
    v[8] = (struct rv)RNIL;
    assert_int_equal(raw_rc(k->kind, v, k->nraw), ERR_BODY);
    v[8] = ru(9999);
    assert_int_equal(raw_rc(k->kind, v, k->nraw), 0);
    v[8] = ru(10000);
    assert_int_equal(raw_rc(k->kind, v, k->nraw), ERR_BODY);
    /* An explicit 0 is not nil: it would not survive a round trip. */
    v[6] = ru(0);
    v[8] = ru(0);
    assert_int_equal(raw_rc(k->kind, v, k->nraw), ERR_BODY);
    v[8] = (struct rv)RS("");
    assert_int_equal(raw_rc(k->kind, v, k->nraw), ERR_BODY);
}

/* ---- late-fee ---- */

static void test_late_fee_rules(void **state)
{
    const struct kspec *k = spec(PROTO_KIND_LATE_FEE);
    struct proto_late_fee *l = &g_b.u.latefee;

    (void)state;
    /* installment 1..360: the body cannot know the loan's periods (the books check them). */
    fill_latefee(&g_b);
    l->installment = 0;
    BAD(&g_b);
    l->installment = 1;
    GOOD(&g_b);
    l->installment = PROTO_LOAN_PERIODS_MAX;
    GOOD(&g_b);
    l->installment = PROTO_LOAN_PERIODS_MAX + 1;
    BAD(&g_b);
    l->installment = UINT32_MAX;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 3, ru(0)), ERR_BODY);
    assert_int_equal(raw_with(k, 3, ru(360)), 0);
    assert_int_equal(raw_with(k, 3, ru(361)), ERR_BODY);
    assert_int_equal(raw_with(k, 3, ru((uint64_t)1 << 32 | 1)), ERR_BODY);
    assert_int_equal(raw_with(k, 3, (struct rv)RNIL), ERR_BODY);
    /* amount 1..10^15. */
    fill_latefee(&g_b);
    l->amount = 0;
    BAD(&g_b);
    l->amount = 1;
    GOOD(&g_b);
    l->amount = AMAX;
    GOOD(&g_b);
    l->amount = AMAX + 1;
    BAD(&g_b);
    assert_int_equal(raw_with(k, 4, ru(0)), ERR_BODY);
    assert_int_equal(raw_with(k, 4, ru(AMAX)), 0);
    assert_int_equal(raw_with(k, 4, ru(AMAX + 1)), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RNIL), ERR_BODY);
    assert_int_equal(raw_with(k, 1, (struct rv)RBIN(0x56, 33)), ERR_BODY);
}

/* ---- rules every kind shares ---- */

static void test_members(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];

        if (k->member < 0)
            continue;
        assert_int_equal(raw_with(k, (size_t)k->member, ru(1)), 0);
        assert_int_equal(proto_acct_member(&g_out), 1);
        assert_int_equal(raw_with(k, (size_t)k->member, ru(PROTO_MEMBER_MAX)), 0);
        assert_int_equal(proto_acct_member(&g_out), UINT32_MAX);
        assert_int_equal(raw_with(k, (size_t)k->member, ru(0)), ERR_BODY);
        assert_int_equal(raw_with(k, (size_t)k->member, ru(PROTO_MEMBER_MAX + 1)), ERR_BODY);
        assert_int_equal(raw_with(k, (size_t)k->member, (struct rv)RNIL), ERR_BODY);
        assert_int_equal(raw_with(k, (size_t)k->member, (struct rv)RI(-7)), ERR_BODY);
        k->fill(&g_b);
        /* Every member field is the first of its body. */
        memset(&g_b.u, 0, sizeof(uint32_t));
        BAD(&g_b);
    }
}

static void test_dates(void **state)
{
    static const struct {
        uint64_t ymd;
        bool ok;
    } d[] = {
        {20240229, true},
        {20250228, true},
        {19000101, true},
        {99991231, true},
        {20000229, true},
        {20250229, false},
        {19000229, false},
        {18991231, false},
        {100000101, false},
        {0, false},
        {20251301, false},
        {20250001, false},
        {20250100, false},
        {20250431, false},
        {20250132, false},
        {UINT32_MAX, false},
        {(uint64_t)1 << 32 | 20250102, false},
    };

    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];

        if (k->date < 0)
            continue;
        for (size_t j = 0; j < sizeof d / sizeof d[0]; j++) {
            int rc = raw_with(k, (size_t)k->date, ru(d[j].ymd));
            /* An application's last installment, 12 months on, must stay in the calendar. */
            bool ok = d[j].ok && !(k->kind == PROTO_KIND_LOAN_APPLY && d[j].ymd > 99981231);

            assert_int_equal(rc, ok ? 0 : ERR_BODY);
            if (rc == 0)
                assert_int_equal(proto_acct_date(&g_out), d[j].ymd);
        }
        assert_int_equal(raw_with(k, (size_t)k->date, (struct rv)RNIL), ERR_BODY);
        assert_int_equal(raw_with(k, (size_t)k->date, (struct rv)RS("2025-01-02")), ERR_BODY);
    }
}

static void test_memos(void **state)
{
    static char m200[PROTO_ACCT_MEMO_MAX + 8], mb[PROTO_ACCT_MEMO_MAX + 8];

    (void)state;
    memset(m200, 'm', sizeof m200);
    /* 100 two-byte characters: 200 bytes. */
    for (size_t i = 0; i + 1 < sizeof mb; i += 2) {
        mb[i] = '\xc3';
        mb[i + 1] = '\xa9';
    }
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];
        size_t at = (size_t)k->memo;

        assert_int_equal(raw_with(k, at, rstr(m200, PROTO_ACCT_MEMO_MAX)), 0);
        assert_int_equal(raw_with(k, at, rstr(m200, PROTO_ACCT_MEMO_MAX + 1)), ERR_BODY);
        assert_int_equal(raw_with(k, at, rstr(mb, PROTO_ACCT_MEMO_MAX)), 0);
        assert_int_equal(raw_with(k, at, rstr(mb, PROTO_ACCT_MEMO_MAX + 2)), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RS("")), 0);
        assert_int_equal(raw_with(k, at, (struct rv)RS("baris 1\nbaris 2\t")), 0);
        /* NUL bytes, and what the scanner refuses: bad UTF-8, surrogates, overlong forms. */
        assert_int_equal(raw_with(k, at, (struct rv)RS("a\0b")), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RS("\0")), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RS("\xc3\x28")), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RS("\xed\xa0\x80")), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RS("\xc0\xaf")), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RS("\xf4\x90\x80\x80")), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RS("\xff")), ERR_BODY);
        /* A str, never nil or bin. */
        assert_int_equal(raw_with(k, at, (struct rv)RNIL), ERR_BODY);
        assert_int_equal(raw_with(k, at, (struct rv)RBIN('m', 3)), ERR_BODY);
        assert_int_equal(raw_with(k, at, ru(0)), ERR_BODY);
    }
}

static void test_accounts(void **state)
{
    static const struct {
        uint64_t code;
        bool ok;
    } a[] = {
        {1000, true},   {1100, true},        {9999, true},
        {0, false},     {999, false},        {10000, false},
        {65535, false}, {UINT32_MAX, false}, {(uint64_t)1 << 32 | 1100, false},
    };

    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];

        for (size_t f = 0; f < 4 && k->acct[f]; f++) {
            for (size_t j = 0; j < sizeof a / sizeof a[0]; j++)
                assert_int_equal(raw_with(k, (size_t)k->acct[f], ru(a[j].code)),
                                 a[j].ok ? 0 : ERR_BODY);
            assert_int_equal(raw_with(k, (size_t)k->acct[f], (struct rv)RI(-1100)), ERR_BODY);
            assert_int_equal(raw_with(k, (size_t)k->acct[f], (struct rv)RS("1100")), ERR_BODY);
        }
    }
    /* Only the withdrawal's fee_account may be nil (with no fee: test_withdraw_fee). */
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];

        for (size_t f = 0; f < 4 && k->acct[f]; f++)
            if (!(k->kind == PROTO_KIND_WITHDRAW && k->acct[f] == 9))
                assert_int_equal(raw_with(k, (size_t)k->acct[f], (struct rv)RNIL), ERR_BODY);
    }
}

static void test_amounts(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];

        for (size_t f = 0; f < 4 && k->amt[f]; f++) {
            size_t at = (size_t)k->amt[f];

            assert_int_equal(raw_with(k, at, ru(AMAX)), 0);
            assert_int_equal(raw_with(k, at, ru(AMAX + 1)), ERR_BODY);
            assert_int_equal(raw_with(k, at, ru(UINT64_MAX)), ERR_BODY);
            assert_int_equal(raw_with(k, at, (struct rv)RI(-1)), ERR_BODY);
            assert_int_equal(raw_with(k, at, (struct rv)RI(INT64_MIN)), ERR_BODY);
            assert_int_equal(raw_with(k, at, (struct rv)RNIL), ERR_BODY);
        }
    }
}

/* One field too few or too many, for every kind. */
static void test_arity(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];
        struct rv v[RAW_MAX];
        uint32_t nf = (uint32_t)k->raw[0].u;

        memcpy(v, k->raw, k->nraw * sizeof v[0]);
        v[0] = (struct rv)RARR(nf - 1);
        assert_int_equal(raw_rc(k->kind, v, (size_t)k->last), ERR_BODY);
        v[0] = (struct rv)RARR(nf + 1);
        v[k->nraw] = (struct rv)RNIL;
        assert_int_equal(raw_rc(k->kind, v, k->nraw + 1), ERR_BODY);
        v[k->nraw] = (struct rv)RS("");
        assert_int_equal(raw_rc(k->kind, v, k->nraw + 1), ERR_BODY);
        v[0] = (struct rv)RARR(nf);
        assert_int_equal(raw_rc(k->kind, v, k->nraw), 0);
        /* Another kind's body: every arity differs, except admit and deposit (8 fields). */
        for (size_t j = 0; j < NKINDS; j++) {
            const struct kspec *o = &g_spec[j];
            int rc = raw_rc(o->kind, k->raw, k->nraw);

            assert_int_equal(rc, i == j ? 0 : ERR_BODY);
        }
    }
}

/* Every scalar field, replaced by a type no body uses (bool) or a negative integer. */
static void test_types(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kspec *k = &g_spec[i];

        for (size_t at = 1; at < k->nraw; at++) {
            if (k->raw[at].t == RV_ARR)
                continue;
            assert_int_equal(raw_with(k, at, (struct rv)RTRUE), ERR_BODY);
            assert_int_equal(raw_with(k, at, (struct rv)RI(-1)), ERR_BODY);
            assert_int_equal(raw_with(k, at, (struct rv)RARR(0)), ERR_BODY);
        }
    }
}

/* Non-canonical forms are refused by the scanner: the body is malformed. */
static void test_noncanonical(void **state)
{
    static const char *const bad[] = {
        /* member 7 as uint8 */
        "98 cc07 ce0134fdf6 01 ce000186a0 cd0c1c cd044c c0 a0",
        /* date as uint64 */
        "98 07 cf000000000134fdf6 01 ce000186a0 cd0c1c cd044c c0 a0",
        /* pokok 100 as uint32 (a positive fixint) */
        "98 07 ce0134fdf6 01 ce00000064 cd0c1c cd044c c0 a0",
        /* memo as str8 */
        "98 07 ce0134fdf6 01 ce000186a0 cd0c1c cd044c c0 d900",
        /* array(8) as array16 */
        "dc0008 07 ce0134fdf6 01 ce000186a0 cd0c1c cd044c c0 a0",
        /* profile as bin32 header */
        "98 07 ce0134fdf6 01 ce000186a0 cd0c1c cd044c c6 00000020" X32("ab") " a0",
        /* member as int8 */
        "98 d007 ce0134fdf6 01 ce000186a0 cd0c1c cd044c c0 a0",
        /* a float */
        "98 07 ce0134fdf6 01 cb4058c00000000000 cd0c1c cd044c c0 a0",
    };
    uint8_t body[512];
    size_t n;

    (void)state;
    n = unhex("98 07 ce0134fdf6 01 ce000186a0 cd0c1c cd044c c0 a0", body, sizeof body);
    assert_int_equal(proto_acct_decode(PROTO_KIND_MEMBER_ADMIT, body, n, &g_out), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = unhex(bad[i], body, sizeof body);
        memset(&g_out, 0xee, sizeof g_out);
        assert_int_equal(proto_acct_decode(PROTO_KIND_MEMBER_ADMIT, body, n, &g_out), ERR_BODY);
        assert_true(all_zero(&g_out, sizeof g_out));
    }
}

/* Every proper prefix of a sound body, and the body with a byte after it, are malformed. */
static void test_trailing_and_truncated(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        uint8_t body[520];
        size_t n = unhex(g_spec[i].hex, body, sizeof body - 8);

        for (size_t len = 0; len < n; len++)
            assert_int_equal(proto_acct_decode(g_spec[i].kind, body, len, &g_out), ERR_BODY);
        body[n] = 0xc0;
        assert_int_equal(proto_acct_decode(g_spec[i].kind, body, n + 1, &g_out), ERR_BODY);
        body[n] = 0x00;
        assert_int_equal(proto_acct_decode(g_spec[i].kind, body, n + 1, &g_out), ERR_BODY);
        assert_int_equal(proto_acct_decode(g_spec[i].kind, body, n, &g_out), 0);
    }
}

/* ---- the encoder and proto_acct_check on hand-built bodies ---- */

static void test_encode_counts(void **state)
{
    struct proto_buf e;

    (void)state;
    proto_buf_init(&e);
    fill_ja(&g_b);
    g_b.u.ja.j.nlines = PROTO_LINES_MAX + 1;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, 8), -EINVAL);
    fill_ja(&g_b);
    g_b.u.ja.nevidence = PROTO_ACCT_EVIDENCE_MAX + 1;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    fill_settle(&g_b);
    g_b.u.settle.nsavings = PROTO_ACCT_SAVINGS_MAX + 1;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    fill_settle(&g_b);
    g_b.u.settle.noffsets = UINT32_MAX;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    assert_int_equal(proto_acct_postings(&g_b, g_loan_accts, g_lines, 8), -EINVAL);
    fill_apply(&g_b);
    g_b.u.apply.nfees = PROTO_ACCT_FEES_MAX + 1;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    fill_disburse(&g_b);
    g_b.u.disburse.nfees = PROTO_ACCT_FEES_MAX + 1;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    fill_disburse(&g_b);
    g_b.u.disburse.ndeductions = PROTO_ACCT_FEES_MAX + 1;
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    fill_apply(&g_app);
    assert_int_equal(proto_acct_loan_postings(&g_b, &g_app.u.apply, 0, g_lines, 8), -EINVAL);
    assert_int_equal(e.len, 0);
    proto_buf_release(&e);
}

/* Strings in a hand-built body: unterminated or bad UTF-8 are refused by the check. */
static void test_check_strings(void **state)
{
    (void)state;
    fill_admit(&g_b);
    memset(g_b.u.admit.memo, 'x', sizeof g_b.u.admit.memo);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    BAD(&g_b);
    fill_sign(&g_b);
    strcpy(g_b.u.sign.note, "\xff\xfe");
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    BAD(&g_b);
    fill_withdraw(&g_b);
    strcpy(g_b.u.withdraw.memo, "caf\xc3\xa9");
    GOOD(&g_b);
    strcpy(g_b.u.withdraw.memo, "caf\xc3");
    BAD(&g_b);
    fill_ja(&g_b);
    strcpy(g_b.u.ja.j.memo, "\xed\xbf\xbf");
    BAD(&g_b);
}

/* A failed decode leaves *out all zero; a second decode overwrites the first whole. */
static void test_decode_overwrites(void **state)
{
    uint8_t a[512], b[512];
    size_t na = unhex(HEX_SETTLE, a, sizeof a), nb = unhex(HEX_DEPOSIT, b, sizeof b);

    (void)state;
    memset(&g_out, 0xee, sizeof g_out);
    assert_int_equal(proto_acct_decode(PROTO_KIND_EXIT_SETTLE, a, na, &g_out), 0);
    memcpy(&g_again, &g_out, sizeof g_again);
    assert_int_equal(proto_acct_decode(PROTO_KIND_DEPOSIT, b, nb, &g_out), 0);
    fill_deposit(&g_b);
    assert_memory_equal(&g_out, &g_b, proto_acct_body_size(PROTO_KIND_DEPOSIT));
    assert_int_equal(proto_acct_decode(PROTO_KIND_EXIT_SETTLE, a, na - 1, &g_out), ERR_BODY);
    assert_true(all_zero(&g_out, sizeof g_out));
    /* Bytes of one kind, decoded as another with the same arity. */
    assert_int_equal(proto_acct_decode(PROTO_KIND_MEMBER_ADMIT, b, nb, &g_out), ERR_BODY);
    assert_true(all_zero(&g_out, sizeof g_out));
    assert_int_equal(proto_acct_decode(PROTO_KIND_EXIT_SETTLE, a, na, &g_out), 0);
    assert_memory_equal(&g_out, &g_again, proto_acct_body_size(PROTO_KIND_EXIT_SETTLE));
}

/* ---- postings, line by line ---- */

static void line_is(const struct proto_line *l, uint32_t account, uint32_t member, uint64_t debit,
                    uint64_t credit)
{
    assert_int_equal(l->account, account);
    assert_int_equal(l->member, member);
    assert_int_equal(l->debit, debit);
    assert_int_equal(l->credit, credit);
}

static int post(const struct proto_acct_body *b, const uint32_t *accts)
{
    memset(g_lines, 0xee, sizeof g_lines);
    return proto_acct_postings(b, accts, g_lines, PROTO_ACCT_LINES_MAX);
}

static void test_postings_invalid(void **state)
{
    (void)state;
    fill_admit(&g_b);
    assert_int_equal(proto_acct_postings(&g_b, NULL, NULL, 1), -EINVAL);
    assert_int_equal(proto_acct_postings(&g_b, NULL, NULL, 0), 2);
    g_b.u.admit.member = 0;
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    fill_withdraw(&g_b);
    g_b.u.withdraw.fee = g_b.u.withdraw.amount + 1; /* would make a negative cash line */
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    fill_settle(&g_b);
    g_b.u.settle.refund = 0; /* a negative payout */
    g_b.u.settle.savings[0].amount = 0;
    assert_int_equal(post(&g_b, g_loan_accts), -EINVAL);
    fill_deposit(&g_b);
    g_b.u.deposit.amount = 0;
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    g_b.kind = 50;
    assert_int_equal(post(&g_b, NULL), -EINVAL);
}

static void test_postings_journal_a(void **state)
{
    struct proto_journal *j = &g_b.u.ja.j;

    (void)state;
    fill_ja(&g_b);
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_LISTRIK, 0, 350000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 350000);
    /* Its own lines as written, members and all, even unbalanced. */
    j->nlines = 3;
    j->lines[1] = (struct proto_line){A_SUKARELA, 7, 0, 300000};
    j->lines[2] = (struct proto_line){A_WAJIB, 4000000000u, 0, 49999};
    assert_int_equal(post(&g_b, NULL), 3);
    line_is(&g_lines[0], A_LISTRIK, 0, 350000, 0);
    line_is(&g_lines[1], A_SUKARELA, 7, 0, 300000);
    line_is(&g_lines[2], A_WAJIB, 4000000000u, 0, 49999);
    /* 256 lines. */
    j->nlines = PROTO_LINES_MAX;
    for (uint32_t i = 0; i < PROTO_LINES_MAX; i++)
        j->lines[i] = (struct proto_line){1000 + i, i, i % 2 ? 0 : AMAX, i % 2 ? AMAX : 0};
    assert_int_equal(post(&g_b, NULL), PROTO_LINES_MAX);
    assert_memory_equal(g_lines, j->lines, PROTO_LINES_MAX * sizeof g_lines[0]);
}

static void test_postings_sign(void **state)
{
    (void)state;
    fill_sign(&g_b);
    assert_int_equal(post(&g_b, NULL), 0);
    assert_int_equal(proto_acct_postings(&g_b, NULL, NULL, 0), 0);
    g_b.u.sign.decision = PROTO_SIGN_REJECT;
    assert_int_equal(post(&g_b, g_loan_accts), 0);
}

/* 40: Dr cash pokok / Cr pokok_account(m) pokok. */
static void test_postings_member_admit(void **state)
{
    (void)state;
    fill_admit(&g_b);
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_KAS, 0, 100000, 0);
    line_is(&g_lines[1], A_POKOK, 7, 0, 100000);
    g_b.u.admit.pokok = 0; /* a calon: no lines at all */
    g_b.u.admit.class = PROTO_CLASS_CALON;
    assert_int_equal(post(&g_b, NULL), 0);
}

/* 41: Dr pokok_account(m) pokok, Dr wajib_account(m) wajib / Cr refund_account(m) both. */
static void test_postings_member_exit(void **state)
{
    (void)state;
    fill_exit(&g_b);
    assert_int_equal(post(&g_b, NULL), 3);
    line_is(&g_lines[0], A_POKOK, 7, 100000, 0);
    line_is(&g_lines[1], A_WAJIB, 7, 300000, 0);
    line_is(&g_lines[2], A_REFUND, 7, 0, 400000);
    g_b.u.exit.wajib = 0;
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_POKOK, 7, 100000, 0);
    line_is(&g_lines[1], A_REFUND, 7, 0, 100000);
    g_b.u.exit.wajib = 25000;
    g_b.u.exit.pokok = 0;
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_WAJIB, 7, 25000, 0);
    line_is(&g_lines[1], A_REFUND, 7, 0, 25000);
    g_b.u.exit.wajib = 0;
    assert_int_equal(post(&g_b, NULL), 0);
    /* The refund line may carry more than one figure's cap. */
    g_b.u.exit.pokok = AMAX;
    g_b.u.exit.wajib = AMAX;
    assert_int_equal(post(&g_b, NULL), 3);
    line_is(&g_lines[2], A_REFUND, 7, 0, 2 * AMAX);
}

/*
 * 42: Dr refund_account(m) refund, Dr savings_i(m) amount_i / Cr receivable_L(m) principal_L,
 * Cr interest_L(m) interest_L, Cr cash payout.
 */
static void test_postings_exit_settle(void **state)
{
    static const uint32_t accts[4] = {A_LOANS, A_JASA, 1210, 4110};
    struct proto_exit_settle *s = &g_b.u.settle;

    (void)state;
    fill_settle(&g_b);
    assert_int_equal(post(&g_b, accts), 5);
    line_is(&g_lines[0], A_REFUND, 7, 400000, 0);
    line_is(&g_lines[1], A_SUKARELA, 7, 150000, 0);
    line_is(&g_lines[2], A_LOANS, 7, 0, 200000);
    line_is(&g_lines[3], A_JASA, 7, 0, 10000);
    line_is(&g_lines[4], A_KAS, 0, 0, 340000);

    /* Two savings rows, two loans; zero figures leave their lines out. */
    s->nsavings = 3;
    s->savings[1].account = A_JANGKA;
    s->savings[1].amount = 0;
    s->savings[2].account = 2120;
    s->savings[2].amount = 60000;
    s->noffsets = 2;
    s->offsets[0].interest = 0;
    memset(s->offsets[1].loan, 0x34, 32);
    s->offsets[1].principal = 100000;
    s->offsets[1].interest = 5000;
    /* payout = 400000 + 150000 + 60000 - 200000 - 105000 = 305000 */
    assert_int_equal(post(&g_b, accts), 7);
    line_is(&g_lines[0], A_REFUND, 7, 400000, 0);
    line_is(&g_lines[1], A_SUKARELA, 7, 150000, 0);
    line_is(&g_lines[2], 2120, 7, 60000, 0);
    line_is(&g_lines[3], A_LOANS, 7, 0, 200000);
    line_is(&g_lines[4], 1210, 7, 0, 100000);
    line_is(&g_lines[5], 4110, 7, 0, 5000);
    line_is(&g_lines[6], A_KAS, 0, 0, 305000);

    /* Everything offset: no cash line. */
    fill_settle(&g_b);
    s->offsets[0].interest = 350000;
    assert_int_equal(post(&g_b, accts), 4);
    line_is(&g_lines[3], A_JASA, 7, 0, 350000);
    /* No refund, only savings paid out. */
    fill_settle(&g_b);
    s->refund = 0;
    s->noffsets = 0;
    memset(s->offsets, 0, sizeof s->offsets);
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_SUKARELA, 7, 150000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 150000);
    /* All zero: nothing. */
    s->savings[0].amount = 0;
    assert_int_equal(post(&g_b, NULL), 0);
}

/* The loans' accounts are needed exactly when there are offsets. */
static void test_postings_settle_accounts(void **state)
{
    uint32_t accts[4] = {A_LOANS, A_JASA, 1210, 4110};

    (void)state;
    fill_settle(&g_b);
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    accts[0] = 999;
    assert_int_equal(post(&g_b, accts), -EINVAL);
    accts[0] = A_LOANS;
    accts[1] = 10000;
    assert_int_equal(post(&g_b, accts), -EINVAL);
    accts[1] = 0;
    assert_int_equal(post(&g_b, accts), -EINVAL);
    accts[1] = A_JASA;
    assert_int_equal(post(&g_b, accts), 5);
    /* Only the first 2 x noffsets entries are read. */
    accts[2] = 0;
    accts[3] = 0;
    assert_int_equal(post(&g_b, accts), 5);
    g_b.u.settle.noffsets = 0;
    memset(g_b.u.settle.offsets, 0, sizeof g_b.u.settle.offsets);
    assert_int_equal(post(&g_b, NULL), 3);
    line_is(&g_lines[2], A_KAS, 0, 0, 550000);
}

/* 48: Dr cash amount / Cr account(m) amount. */
static void test_postings_deposit(void **state)
{
    (void)state;
    fill_deposit(&g_b);
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_KAS, 0, 25000, 0);
    line_is(&g_lines[1], A_WAJIB, 7, 0, 25000);
    fill_deposit_term(&g_b);
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_BANK, 0, 10000000, 0);
    line_is(&g_lines[1], A_JANGKA, UINT32_MAX, 0, 10000000);
}

/* 49: Dr account(m) amount / Cr cash amount - fee, Cr fee_account fee. */
static void test_postings_withdraw(void **state)
{
    (void)state;
    fill_withdraw(&g_b);
    assert_int_equal(post(&g_b, NULL), 3);
    line_is(&g_lines[0], A_SUKARELA, 7, 200000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 197500);
    line_is(&g_lines[2], A_ADMIN, 0, 0, 2500);
    g_b.u.withdraw.fee = 0;
    g_b.u.withdraw.fee_account = 0;
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_SUKARELA, 7, 200000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 200000);
    /* The whole amount as a fee: no cash line. */
    g_b.u.withdraw.fee = 200000;
    g_b.u.withdraw.fee_account = A_ADMIN;
    assert_int_equal(post(&g_b, NULL), 2);
    line_is(&g_lines[0], A_SUKARELA, 7, 200000, 0);
    line_is(&g_lines[1], A_ADMIN, 0, 0, 200000);
}

/* With too little room: the count of all lines, and only max of them written. */
static void test_postings_room(void **state)
{
    (void)state;
    fill_settle(&g_b);
    memset(g_lines, 0xee, sizeof g_lines);
    assert_int_equal(proto_acct_postings(&g_b, g_loan_accts, g_lines, 2), 5);
    line_is(&g_lines[0], A_REFUND, 7, 400000, 0);
    line_is(&g_lines[1], A_SUKARELA, 7, 150000, 0);
    assert_true(g_lines[2].account == 0xeeeeeeeeu && g_lines[2].debit == 0xeeeeeeeeeeeeeeeeULL);
    assert_int_equal(proto_acct_postings(&g_b, g_loan_accts, NULL, 0), 5);
    assert_int_equal(proto_acct_postings(&g_b, g_loan_accts, g_lines, 5), 5);
    line_is(&g_lines[4], A_KAS, 0, 0, 340000);
    fill_ja(&g_b);
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, 1), 2);
}

/* ---- loan postings (3.7): borrower and accounts from the application ---- */

static int lpost(const struct proto_acct_body *b, unsigned mask)
{
    memset(g_lines, 0xee, sizeof g_lines);
    return proto_acct_loan_postings(b, &g_app.u.apply, mask, g_lines, PROTO_ACCT_LINES_MAX);
}

/* 56 and 59: none, through either function; 57 and 58 need the application. */
static void test_postings_loan_none(void **state)
{
    (void)state;
    fill_apply(&g_b);
    assert_int_equal(post(&g_b, NULL), 0);
    assert_int_equal(proto_acct_postings(&g_b, NULL, NULL, 0), 0);
    assert_int_equal(proto_acct_loan_postings(&g_b, NULL, 0, NULL, 0), 0);
    fill_latefee(&g_b);
    assert_int_equal(post(&g_b, g_loan_accts), 0);
    assert_int_equal(proto_acct_loan_postings(&g_b, NULL, 0, g_lines, 8), 0);
    fill_disburse(&g_b);
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    assert_int_equal(post(&g_b, g_loan_accts), -EINVAL);
    fill_repay(&g_b);
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    /* Bodies that fail their rules: -EINVAL from both. */
    fill_apply(&g_b);
    g_b.u.apply.purpose = 0;
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    assert_int_equal(proto_acct_loan_postings(&g_b, NULL, 0, g_lines, 8), -EINVAL);
    fill_latefee(&g_b);
    g_b.u.latefee.amount = 0;
    assert_int_equal(post(&g_b, NULL), -EINVAL);
    assert_int_equal(proto_acct_loan_postings(&g_b, NULL, 0, g_lines, 8), -EINVAL);
}

/*
 * 57, KOPERASI 4.4: gross 10.000.000, admin 1 % and provisi 1 % ->
 * Dr 1200(b) 10.000.000 / Cr 1100 9.800.000, Cr 4200 100.000, Cr 4200 100.000.
 */
static void test_postings_loan_disburse(void **state)
{
    struct proto_loan_disburse *d = &g_b.u.disburse;

    (void)state;
    fill_apply(&g_app);
    fill_disburse(&g_b);
    d->gross = 10000000;
    d->fees[0].amount = 100000;
    d->fees[1].amount = 100000;
    assert_int_equal(lpost(&g_b, 0), 4);
    line_is(&g_lines[0], A_LOANS, 7, 10000000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 9800000);
    line_is(&g_lines[2], A_ADMIN, 0, 0, 100000);
    line_is(&g_lines[3], A_ADMIN, 0, 0, 100000);
    /* The sub-ledger bits concern deductions only: fees never name the borrower. */
    assert_int_equal(lpost(&g_b, 0x1f), 4);
    line_is(&g_lines[2], A_ADMIN, 0, 0, 100000);

    /* Deductions: wajib owed (a sub-ledger: bit 0), a zero row (left out), a payable (none). */
    d->ndeductions = 3;
    d->deductions[0].account = A_WAJIB;
    d->deductions[0].amount = 50000;
    d->deductions[1].account = A_SUKARELA;
    d->deductions[1].amount = 0;
    d->deductions[2].account = 2500;
    d->deductions[2].amount = 1000000;
    assert_int_equal(lpost(&g_b, 1u << 0), 6);
    line_is(&g_lines[0], A_LOANS, 7, 10000000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 8750000);
    line_is(&g_lines[2], A_ADMIN, 0, 0, 100000);
    line_is(&g_lines[3], A_ADMIN, 0, 0, 100000);
    line_is(&g_lines[4], A_WAJIB, 7, 0, 50000);
    line_is(&g_lines[5], 2500, 0, 0, 1000000);
    /* Bit i is deduction i's, by position. */
    assert_int_equal(lpost(&g_b, 1u << 2), 6);
    line_is(&g_lines[4], A_WAJIB, 0, 0, 50000);
    line_is(&g_lines[5], 2500, 7, 0, 1000000);
    assert_int_equal(lpost(&g_b, PROTO_ACCT_SUB_EXCESS), 6);
    line_is(&g_lines[4], A_WAJIB, 0, 0, 50000);
    line_is(&g_lines[5], 2500, 0, 0, 1000000);

    /* The borrower and the receivable are the application's. */
    g_app.u.apply.borrower = 4000000000u;
    g_app.u.apply.receivable = 1210;
    assert_int_equal(lpost(&g_b, 1u << 0), 6);
    line_is(&g_lines[0], 1210, 4000000000u, 10000000, 0);
    line_is(&g_lines[4], A_WAJIB, 4000000000u, 0, 50000);
    fill_apply(&g_app);

    /* Everything withheld: no cash line. No fees: gross out in cash. */
    fill_disburse(&g_b);
    d->fees[1].amount = 12000000 - 120000;
    assert_int_equal(lpost(&g_b, 0), 3);
    line_is(&g_lines[0], A_LOANS, 7, 12000000, 0);
    line_is(&g_lines[1], A_ADMIN, 0, 0, 120000);
    line_is(&g_lines[2], A_ADMIN, 0, 0, 11880000);
    d->nfees = 0;
    memset(d->fees, 0, sizeof d->fees);
    assert_int_equal(lpost(&g_b, 0), 2);
    line_is(&g_lines[0], A_LOANS, 7, 12000000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 12000000);
}

/*
 * 58: penalty 5.000, interest 180.000, principal 1.000.000 ->
 * Dr 1100 1.185.000 / Cr 4210 5.000, Cr 4100(b) 180.000, Cr 1200(b) 1.000.000.
 */
static void test_postings_loan_repay(void **state)
{
    struct proto_loan_repay *r = &g_b.u.repay;

    (void)state;
    fill_apply(&g_app);
    fill_repay(&g_b);
    assert_int_equal(lpost(&g_b, 0), 4);
    line_is(&g_lines[0], A_KAS, 0, 1185000, 0);
    line_is(&g_lines[1], A_DENDA, 0, 0, 5000);
    line_is(&g_lines[2], A_JASA, 7, 0, 180000);
    line_is(&g_lines[3], A_LOANS, 7, 0, 1000000);
    assert_int_equal(lpost(&g_b, 0x1f), 4); /* no excess line for the bit to mark */
    line_is(&g_lines[1], A_DENDA, 0, 0, 5000);

    /* An excess into savings (a sub-ledger: the bit) or elsewhere (none). */
    r->excess = 20000;
    r->excess_account = A_SUKARELA;
    assert_int_equal(lpost(&g_b, PROTO_ACCT_SUB_EXCESS), 5);
    line_is(&g_lines[0], A_KAS, 0, 1205000, 0);
    line_is(&g_lines[4], A_SUKARELA, 7, 0, 20000);
    assert_int_equal(lpost(&g_b, 0x0f), 5);
    line_is(&g_lines[4], A_SUKARELA, 0, 0, 20000);

    /* Zero parts are left out. */
    fill_repay(&g_b);
    r->penalty = 0;
    assert_int_equal(lpost(&g_b, 0), 3);
    line_is(&g_lines[0], A_KAS, 0, 1180000, 0);
    line_is(&g_lines[1], A_JASA, 7, 0, 180000);
    line_is(&g_lines[2], A_LOANS, 7, 0, 1000000);
    r->interest = 0;
    r->principal = 0;
    r->penalty = 11800; /* denda only */
    assert_int_equal(lpost(&g_b, 0), 2);
    line_is(&g_lines[0], A_KAS, 0, 11800, 0);
    line_is(&g_lines[1], A_DENDA, 0, 0, 11800);

    /* The application's accounts and borrower. */
    g_app.u.apply.penalty = 4900;
    g_app.u.apply.interest = 4110;
    g_app.u.apply.receivable = 1210;
    g_app.u.apply.borrower = 1;
    fill_repay(&g_b);
    assert_int_equal(lpost(&g_b, 0), 4);
    line_is(&g_lines[1], 4900, 0, 0, 5000);
    line_is(&g_lines[2], 4110, 1, 0, 180000);
    line_is(&g_lines[3], 1210, 1, 0, 1000000);

    /* The cash line may carry four figures' cap. */
    r->penalty = AMAX;
    r->interest = AMAX;
    r->principal = AMAX;
    r->excess = AMAX;
    r->excess_account = A_SUKARELA;
    assert_int_equal(lpost(&g_b, 0), 5);
    line_is(&g_lines[0], A_KAS, 0, 4 * AMAX, 0);
    fill_apply(&g_app);
}

static void test_postings_loan_invalid(void **state)
{
    (void)state;
    fill_apply(&g_app);
    fill_repay(&g_b);
    assert_int_equal(proto_acct_loan_postings(&g_b, NULL, 0, g_lines, 8), -EINVAL);
    assert_int_equal(proto_acct_loan_postings(&g_b, &g_app.u.apply, 0, NULL, 1), -EINVAL);
    assert_int_equal(proto_acct_loan_postings(&g_b, &g_app.u.apply, 0, NULL, 0), 4);
    /* Mask bits beyond the four deductions and the excess. */
    assert_int_equal(lpost(&g_b, 1u << 5), -EINVAL);
    assert_int_equal(lpost(&g_b, ~0u), -EINVAL);
    assert_int_equal(lpost(&g_b, 0x1f), 4);
    /* An application that fails its own rules. */
    g_app.u.apply.borrower = 0;
    assert_int_equal(lpost(&g_b, 0), -EINVAL);
    fill_apply(&g_app);
    g_app.u.apply.receivable = 999;
    assert_int_equal(lpost(&g_b, 0), -EINVAL);
    fill_apply(&g_app);
    g_app.u.apply.periods = 0;
    assert_int_equal(lpost(&g_b, 0), -EINVAL);
    fill_apply(&g_app);
    g_app.u.apply.penalty = 0;
    assert_int_equal(lpost(&g_b, 0), -EINVAL);
    fill_apply(&g_app);
    /* Bodies that fail theirs: a negative net, an excess with no account, nothing paid. */
    fill_disburse(&g_b);
    g_b.u.disburse.gross = 239999;
    assert_int_equal(lpost(&g_b, 0), -EINVAL);
    fill_repay(&g_b);
    g_b.u.repay.excess = 1;
    assert_int_equal(lpost(&g_b, 0), -EINVAL);
    fill_repay(&g_b);
    g_b.u.repay.penalty = 0;
    g_b.u.repay.interest = 0;
    g_b.u.repay.principal = 0;
    assert_int_equal(lpost(&g_b, 0), -EINVAL);
    /* Other kinds are not loan kinds. */
    for (size_t k = 0; k < 7; k++) {
        g_spec[k].fill(&g_b);
        assert_int_equal(lpost(&g_b, 0), -EINVAL);
    }
    /* Too little room: the count of all lines, and only max of them written. */
    fill_disburse(&g_b);
    memset(g_lines, 0xee, sizeof g_lines);
    assert_int_equal(proto_acct_loan_postings(&g_b, &g_app.u.apply, 0, g_lines, 2), 4);
    line_is(&g_lines[0], A_LOANS, 7, 12000000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 11760000);
    assert_true(g_lines[2].account == 0xeeeeeeeeu);
}

/* ---- random valid bodies ---- */

static uint32_t rand_date(void)
{
    for (;;) {
        uint32_t ymd =
            (uint32_t)(rng_range(1900, 9999) * 10000 + rng_range(1, 12) * 100 + rng_range(1, 31));

        if (proto_date_valid(ymd))
            return ymd;
    }
}

static uint32_t rand_account(void)
{
    return (uint32_t)rng_amount(1000, 9999);
}

static uint32_t rand_member(void)
{
    return (uint32_t)rng_amount(1, UINT32_MAX);
}

/* UTF-8 text of at most max bytes (ASCII, controls but NUL, two- and three-byte characters). */
static void rand_text(char *dst, size_t max)
{
    size_t want = rng() % 4 ? rng_range(0, 24) : rng_amount(0, max), n = 0;

    while (n < want) {
        uint64_t r = rng() % 16;

        if (r == 0 && n + 2 <= want) {
            dst[n++] = '\xc3';
            dst[n++] = '\xa9';
        } else if (r == 1 && n + 3 <= want) {
            dst[n++] = '\xe2';
            dst[n++] = '\x82';
            dst[n++] = '\xac';
        } else if (r == 2) {
            dst[n++] = (char)rng_range(1, 31);
        } else {
            dst[n++] = (char)rng_range(32, 126);
        }
    }
    dst[n] = '\0';
}

static void rand_product(char *dst)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t n = rng_range(1, PROTO_PARAMS_CODE_MAX);

    for (size_t i = 0; i < n; i++)
        dst[i] = set[rng() % (sizeof set - 1)];
    dst[n] = '\0';
}

static void rand_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rng();
}

static void rand_body(struct proto_acct_body *b, uint32_t kind)
{
    memset(b, 0, sizeof *b);
    b->kind = kind;
    switch (kind) {
    case PROTO_KIND_JOURNAL_A: {
        struct proto_journal *j = &b->u.ja.j;

        j->date = rand_date();
        rand_text(j->memo, PROTO_ACCT_MEMO_MAX);
        j->nlines = (uint32_t)(rng() % 8 ? rng_range(1, 6) : rng_amount(1, PROTO_LINES_MAX));
        for (uint32_t i = 0; i < j->nlines; i++) {
            uint64_t x = rng_amount(1, AMAX);

            j->lines[i].account = rand_account();
            j->lines[i].member = rng() % 2 ? 0 : rand_member();
            j->lines[i].debit = rng() % 2 ? x : 0;
            j->lines[i].credit = j->lines[i].debit ? 0 : x;
        }
        b->u.ja.nevidence = (uint32_t)rng_range(0, PROTO_ACCT_EVIDENCE_MAX);
        for (uint32_t i = 0; i < b->u.ja.nevidence; i++)
            rand_bytes(b->u.ja.evidence[i], 32);
        break;
    }
    case PROTO_KIND_SIGN:
        rand_bytes(b->u.sign.target, 32);
        b->u.sign.decision = (uint8_t)rng_range(1, 2);
        rand_text(b->u.sign.note, PROTO_ACCT_MEMO_MAX);
        break;
    case PROTO_KIND_MEMBER_ADMIT: {
        struct proto_member_admit *a = &b->u.admit;

        a->member = rand_member();
        a->date = rand_date();
        a->class = (uint8_t)rng_range(1, 3);
        a->pokok = rng_amount(0, AMAX);
        a->pokok_account = rand_account();
        a->cash_account = rand_account();
        a->has_profile = rng() % 2;
        if (a->has_profile)
            rand_bytes(a->profile, 32);
        rand_text(a->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_MEMBER_EXIT: {
        struct proto_member_exit *e = &b->u.exit;

        e->member = rand_member();
        e->date = rand_date();
        e->reason = (uint8_t)rng_range(1, 4);
        e->pokok = rng_amount(0, AMAX);
        e->wajib = rng_amount(0, AMAX);
        e->pokok_account = rand_account();
        e->wajib_account = rand_account();
        e->refund_account = rand_account();
        rand_text(e->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_EXIT_SETTLE: {
        struct proto_exit_settle *s = &b->u.settle;
        uint64_t left;

        s->member = rand_member();
        s->date = rand_date();
        rand_bytes(s->exit, 32);
        s->refund = rng_amount(0, AMAX);
        s->refund_account = rand_account();
        s->nsavings = (uint32_t)rng_amount(0, PROTO_ACCT_SAVINGS_MAX);
        left = s->refund;
        for (uint32_t i = 0; i < s->nsavings; i++) {
            s->savings[i].account = rand_account();
            s->savings[i].amount = rng_amount(0, AMAX);
            left += s->savings[i].amount;
        }
        s->noffsets = (uint32_t)rng_amount(0, PROTO_ACCT_OFFSETS_MAX);
        for (uint32_t i = 0; i < s->noffsets; i++) {
            rand_bytes(s->offsets[i].loan, 32);
            s->offsets[i].principal = rng_amount(0, left < AMAX ? left : AMAX);
            left -= s->offsets[i].principal;
            s->offsets[i].interest = rng_amount(0, left < AMAX ? left : AMAX);
            left -= s->offsets[i].interest;
        }
        s->cash_account = rand_account();
        rand_text(s->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_DEPOSIT: {
        struct proto_deposit *d = &b->u.deposit;

        d->member = rand_member();
        d->date = rand_date();
        rand_product(d->product);
        d->account = rand_account();
        d->amount = rng_amount(1, AMAX);
        d->cash_account = rand_account();
        d->has_term = rng() % 2;
        if (d->has_term) {
            d->term_months = (uint32_t)rng_amount(1, PROTO_ACCT_TERM_MONTHS_MAX);
            d->term_rate_ppm = (uint32_t)rng_amount(0, PROTO_PARAMS_RATE_MAX);
        }
        rand_text(d->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_WITHDRAW: {
        struct proto_withdraw *w = &b->u.withdraw;

        w->member = rand_member();
        w->date = rand_date();
        rand_product(w->product);
        w->account = rand_account();
        w->amount = rng_amount(1, AMAX);
        w->cash_account = rand_account();
        w->has_ref = rng() % 2;
        if (w->has_ref)
            rand_bytes(w->ref, 32);
        if (rng() % 3) {
            w->fee = rng_amount(1, w->amount);
            w->fee_account = rand_account();
        }
        rand_text(w->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_LOAN_APPLY: {
        struct proto_loan_apply *a = &b->u.apply;
        int32_t day, last;

        a->borrower = rand_member();
        a->periods = (uint32_t)rng_amount(1, PROTO_LOAN_PERIODS_MAX);
        /* A date whose last installment stays in the calendar (up to 9999-12-31). */
        do {
            a->date = rng() % 8 ? rand_date() : (uint32_t)rng_range(99690101, 99991231);
        } while (proto_day_from_ymd(a->date, &day) != 0 ||
                 proto_day_add_months(day, a->periods, &last) != 0);
        rand_product(a->product);
        a->principal = rng_amount(1, AMAX);
        a->rate_ppm = (uint32_t)rng_amount(0, PROTO_LOAN_RATE_MAX);
        a->method = (uint8_t)rng_range(PROTO_LOAN_FLAT, PROTO_LOAN_ANNUITY);
        a->rounding.mode = (uint8_t)rng_range(PROTO_LOAN_ROUND_HALF_UP, PROTO_LOAN_ROUND_UP);
        a->rounding.unit = (uint32_t)rng_amount(1, PROTO_LOAN_UNIT_MAX);
        a->receivable = rand_account();
        a->interest = rand_account();
        a->penalty = rand_account();
        a->nfees = (uint32_t)rng_amount(0, PROTO_ACCT_FEES_MAX);
        for (uint32_t i = 0; i < a->nfees; i++) {
            a->fees[i].account = rand_account();
            a->fees[i].amount = rng_amount(0, AMAX);
        }
        a->purpose = (uint8_t)rng_range(1, PROTO_ACCT_PURPOSE_MAX);
        a->has_collateral = rng() % 2;
        if (a->has_collateral)
            rand_bytes(a->collateral, 32);
        rand_text(a->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_LOAN_DISBURSE: {
        struct proto_loan_disburse *d = &b->u.disburse;
        uint64_t left;

        rand_bytes(d->loan, 32);
        d->date = rand_date();
        d->gross = rng_amount(1, AMAX);
        d->cash_account = rand_account();
        left = d->gross;
        d->nfees = (uint32_t)rng_amount(0, PROTO_ACCT_FEES_MAX);
        for (uint32_t i = 0; i < d->nfees; i++) {
            d->fees[i].account = rand_account();
            d->fees[i].amount = rng() % 2 ? rng_amount(0, left / 16) : rng_amount(0, left);
            left -= d->fees[i].amount;
        }
        d->ndeductions = (uint32_t)rng_amount(0, PROTO_ACCT_FEES_MAX);
        for (uint32_t i = 0; i < d->ndeductions; i++) {
            d->deductions[i].account = rand_account();
            d->deductions[i].amount = rng() % 2 ? rng_amount(0, left / 16) : rng_amount(0, left);
            left -= d->deductions[i].amount;
        }
        rand_text(d->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_LOAN_REPAY: {
        struct proto_loan_repay *r = &b->u.repay;

        rand_bytes(r->loan, 32);
        r->date = rand_date();
        do {
            r->penalty = rng() % 3 ? 0 : rng_amount(0, AMAX);
            r->interest = rng() % 3 ? rng_amount(0, AMAX) : 0;
            r->principal = rng() % 3 ? rng_amount(0, AMAX) : 0;
            r->excess = rng() % 4 ? 0 : rng_amount(0, AMAX);
        } while (r->penalty + r->interest + r->principal + r->excess == 0);
        r->cash_account = rand_account();
        r->excess_account = r->excess ? rand_account() : 0;
        rand_text(r->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    case PROTO_KIND_LATE_FEE: {
        struct proto_late_fee *l = &b->u.latefee;

        rand_bytes(l->loan, 32);
        l->date = rand_date();
        l->installment = (uint32_t)rng_amount(1, PROTO_LOAN_PERIODS_MAX);
        l->amount = rng_amount(1, AMAX);
        rand_text(l->memo, PROTO_ACCT_MEMO_MAX);
        break;
    }
    default:
        fail();
    }
}

/*
 * The pattern tables of ACCOUNTING.md 3.5, 3.6 and 3.7, read independently of the library: each
 * row's lines as the table writes them, then the lines of amount 0 struck out. app and mask are
 * the application and sub-ledger bits of kinds 57 and 58.
 */
static size_t oracle(const struct proto_acct_body *b, const uint32_t *la,
                     const struct proto_loan_apply *app, unsigned mask, struct proto_line *x)
{
    struct proto_line t[PROTO_ACCT_LINES_MAX + 8];
    size_t n = 0, k = 0;

    switch (b->kind) {
    case PROTO_KIND_JOURNAL_A:
        for (uint32_t i = 0; i < b->u.ja.j.nlines; i++)
            t[n++] = b->u.ja.j.lines[i];
        break;
    case PROTO_KIND_SIGN:
        break;
    case PROTO_KIND_MEMBER_ADMIT: {
        const struct proto_member_admit *a = &b->u.admit;

        t[n++] = (struct proto_line){a->cash_account, 0, a->pokok, 0};
        t[n++] = (struct proto_line){a->pokok_account, a->member, 0, a->pokok};
        break;
    }
    case PROTO_KIND_MEMBER_EXIT: {
        const struct proto_member_exit *e = &b->u.exit;

        t[n++] = (struct proto_line){e->pokok_account, e->member, e->pokok, 0};
        t[n++] = (struct proto_line){e->wajib_account, e->member, e->wajib, 0};
        t[n++] = (struct proto_line){e->refund_account, e->member, 0, e->pokok + e->wajib};
        break;
    }
    case PROTO_KIND_EXIT_SETTLE: {
        const struct proto_exit_settle *s = &b->u.settle;
        uint64_t in = s->refund, out = 0;

        t[n++] = (struct proto_line){s->refund_account, s->member, s->refund, 0};
        for (uint32_t i = 0; i < s->nsavings; i++) {
            t[n++] = (struct proto_line){s->savings[i].account, s->member, s->savings[i].amount, 0};
            in += s->savings[i].amount;
        }
        for (uint32_t i = 0; i < s->noffsets; i++) {
            t[n++] = (struct proto_line){la[2 * i], s->member, 0, s->offsets[i].principal};
            t[n++] = (struct proto_line){la[2 * i + 1], s->member, 0, s->offsets[i].interest};
            out += s->offsets[i].principal + s->offsets[i].interest;
        }
        assert_true(in >= out);
        t[n++] = (struct proto_line){s->cash_account, 0, 0, in - out};
        break;
    }
    case PROTO_KIND_DEPOSIT: {
        const struct proto_deposit *d = &b->u.deposit;

        t[n++] = (struct proto_line){d->cash_account, 0, d->amount, 0};
        t[n++] = (struct proto_line){d->account, d->member, 0, d->amount};
        break;
    }
    case PROTO_KIND_WITHDRAW: {
        const struct proto_withdraw *w = &b->u.withdraw;

        t[n++] = (struct proto_line){w->account, w->member, w->amount, 0};
        t[n++] = (struct proto_line){w->cash_account, 0, 0, w->amount - w->fee};
        t[n++] = (struct proto_line){w->fee_account, 0, 0, w->fee};
        break;
    }
    case PROTO_KIND_LOAN_APPLY:
    case PROTO_KIND_LATE_FEE:
        break;
    case PROTO_KIND_LOAN_DISBURSE: {
        const struct proto_loan_disburse *d = &b->u.disburse;
        uint64_t net = d->gross;

        for (uint32_t i = 0; i < d->nfees; i++)
            net -= d->fees[i].amount;
        for (uint32_t i = 0; i < d->ndeductions; i++)
            net -= d->deductions[i].amount;
        assert_true(net <= d->gross);
        t[n++] = (struct proto_line){app->receivable, app->borrower, d->gross, 0};
        t[n++] = (struct proto_line){d->cash_account, 0, 0, net};
        for (uint32_t i = 0; i < d->nfees; i++)
            t[n++] = (struct proto_line){d->fees[i].account, 0, 0, d->fees[i].amount};
        for (uint32_t i = 0; i < d->ndeductions; i++)
            t[n++] =
                (struct proto_line){d->deductions[i].account, mask >> i & 1 ? app->borrower : 0, 0,
                                    d->deductions[i].amount};
        break;
    }
    case PROTO_KIND_LOAN_REPAY: {
        const struct proto_loan_repay *r = &b->u.repay;

        t[n++] = (struct proto_line){r->cash_account, 0,
                                     r->penalty + r->interest + r->principal + r->excess, 0};
        t[n++] = (struct proto_line){app->penalty, 0, 0, r->penalty};
        t[n++] = (struct proto_line){app->interest, app->borrower, 0, r->interest};
        t[n++] = (struct proto_line){app->receivable, app->borrower, 0, r->principal};
        t[n++] =
            (struct proto_line){r->excess_account, mask >> 4 & 1 ? app->borrower : 0, 0, r->excess};
        break;
    }
    default:
        fail();
    }
    for (size_t i = 0; i < n; i++)
        if (t[i].debit || t[i].credit)
            x[k++] = t[i];
    return k;
}

/* The postings of any valid body: 57 and 58 through the application. */
static int post_any(const struct proto_acct_body *b, const uint32_t *la,
                    const struct proto_loan_apply *app, unsigned mask)
{
    memset(g_lines, 0xee, sizeof g_lines);
    if (b->kind == PROTO_KIND_LOAN_DISBURSE || b->kind == PROTO_KIND_LOAN_REPAY)
        return proto_acct_loan_postings(b, app, mask, g_lines, PROTO_ACCT_LINES_MAX);
    return proto_acct_postings(b, la, g_lines, PROTO_ACCT_LINES_MAX);
}

/* The balance and shape every posting of a valid body has. */
static void check_postings(const struct proto_acct_body *b, const uint32_t *la,
                           const struct proto_loan_apply *app, unsigned mask, int n)
{
    uint64_t dr = 0, cr = 0;
    size_t want = oracle(b, la, app, mask, g_expect);
    uint32_t who = names_loan(b->kind) ? app->borrower : proto_acct_member(b);

    assert_true(n >= 0);
    assert_int_equal((size_t)n, want);
    assert_memory_equal(g_lines, g_expect, want * sizeof g_lines[0]);
    for (int i = 0; i < n; i++) {
        const struct proto_line *l = &g_lines[i];

        assert_true(l->account >= 1000 && l->account <= 9999);
        assert_true((l->debit == 0) != (l->credit == 0));
        /* A line names the body's member (57, 58: the borrower), or (cash, fees) none. */
        if (b->kind != PROTO_KIND_JOURNAL_A)
            assert_true(l->member == 0 || l->member == who);
        dr += l->debit;
        cr += l->credit;
    }
    if (b->kind != PROTO_KIND_JOURNAL_A)
        assert_true(dr == cr);
}

static void test_random_bodies(void **state)
{
    uint32_t la[2 * PROTO_ACCT_OFFSETS_MAX];
    size_t lines = 0;

    (void)state;
    for (int iter = 0; iter < 11000; iter++) {
        uint32_t kind = g_kinds[iter % NKINDS];
        unsigned mask = (unsigned)(rng() & 0x1f);
        struct proto_buf e, e2;
        int n;

        rand_body(&g_b, kind);
        for (size_t i = 0; i < 2 * PROTO_ACCT_OFFSETS_MAX; i++)
            la[i] = rand_account();
        rand_body(&g_app, PROTO_KIND_LOAN_APPLY);
        assert_int_equal(proto_acct_check(&g_app), 0);
        assert_int_equal(proto_acct_check(&g_b), 0);
        /* Canonical round trip both ways. */
        proto_buf_init(&e);
        proto_buf_init(&e2);
        assert_int_equal(proto_acct_encode(&g_b, &e), 0);
        assert_int_equal(proto_mp_check(e.data, e.len), 0);
        assert_int_equal(proto_acct_decode(kind, e.data, e.len, &g_out), 0);
        assert_memory_equal(&g_out, &g_b, proto_acct_body_size(kind));
        assert_int_equal(proto_acct_encode(&g_out, &e2), 0);
        assert_int_equal(e2.len, e.len);
        assert_memory_equal(e2.data, e.data, e.len);
        proto_buf_release(&e);
        proto_buf_release(&e2);
        /* Postings: the tables, line by line, and they balance. */
        n = post_any(&g_b, la, &g_app.u.apply, mask);
        check_postings(&g_b, la, &g_app.u.apply, mask, n);
        lines += (size_t)n;
        if (kind == PROTO_KIND_LOAN_DISBURSE || kind == PROTO_KIND_LOAN_REPAY)
            assert_int_equal(proto_acct_postings(&g_b, la, g_lines, PROTO_ACCT_LINES_MAX), -EINVAL);
        /* The helpers agree with the body. */
        assert_int_equal(proto_acct_date(&g_b),
                         kind == PROTO_KIND_SIGN ? 0 : proto_acct_date(&g_out));
        if (kind != PROTO_KIND_SIGN)
            assert_true(proto_date_valid(proto_acct_date(&g_b)));
    }
    assert_true(lines > 11000);
}

/* Random byte changes to sound bodies: whatever still decodes is canonical and balances. */
static void test_random_mutations(void **state)
{
    size_t accepted = 0;

    (void)state;
    for (int iter = 0; iter < 33000; iter++) {
        const struct kspec *k = &g_spec[iter % NKINDS];
        uint8_t body[600];
        size_t n = unhex(k->hex, body, sizeof body - 8);
        struct proto_buf e;
        int rc;

        for (int m = (int)rng_range(1, 3); m > 0; m--) {
            size_t at = rng() % n;

            switch (rng() % 3) {
            case 0:
                body[at] = (uint8_t)rng();
                break;
            case 1:
                body[at] ^= (uint8_t)(1u << (rng() % 8));
                break;
            default:
                body[at] = (uint8_t)(body[at] + 1);
                break;
            }
        }
        rc = proto_acct_decode(k->kind, body, n, &g_out);
        if (rc != 0) {
            assert_int_equal(rc, ERR_BODY);
            continue;
        }
        accepted++;
        proto_buf_init(&e);
        assert_int_equal(proto_acct_encode(&g_out, &e), 0);
        assert_int_equal(e.len, n);
        assert_memory_equal(e.data, body, n);
        proto_buf_release(&e);
        fill_apply(&g_app);
        check_postings(&g_out, g_loan_accts, &g_app.u.apply, (unsigned)iter & 0x1f,
                       post_any(&g_out, g_loan_accts, &g_app.u.apply, (unsigned)iter & 0x1f));
    }
    assert_true(accepted > 100);
}

/* ---- the overview table: subjects, matrix amount, countersign subject ---- */

static void test_subjects(void **state)
{
    struct proto_journal *j = &g_b.u.ja.j;
    uint32_t s[8];

    (void)state;
    fill_ja(&g_b);
    assert_int_equal(proto_acct_subjects(&g_b, s, 8), 0);
    j->nlines = 6;
    j->lines[0] = (struct proto_line){A_SUKARELA, 9, 0, 10};
    j->lines[1] = (struct proto_line){A_KAS, 0, 100, 0};
    j->lines[2] = (struct proto_line){A_SUKARELA, 3, 0, 20};
    j->lines[3] = (struct proto_line){A_WAJIB, 9, 0, 30};
    j->lines[4] = (struct proto_line){A_WAJIB, 3000000000u, 0, 35};
    j->lines[5] = (struct proto_line){A_POKOK, 3, 0, 5};
    memset(s, 0, sizeof s);
    assert_int_equal(proto_acct_subjects(&g_b, s, 8), 3);
    assert_int_equal(s[0], 3);
    assert_int_equal(s[1], 9);
    assert_int_equal(s[2], 3000000000u);
    assert_int_equal(s[3], 0);
    /* Too little room: the smallest, and the full count. */
    memset(s, 0, sizeof s);
    assert_int_equal(proto_acct_subjects(&g_b, s, 2), 3);
    assert_int_equal(s[0], 3);
    assert_int_equal(s[1], 9);
    assert_int_equal(s[2], 0);
    assert_int_equal(proto_acct_subjects(&g_b, NULL, 0), 3);
    assert_int_equal(proto_acct_member(&g_b), 0);
    /* 256 distinct members, in descending order on the lines. */
    j->nlines = PROTO_LINES_MAX;
    for (uint32_t i = 0; i < PROTO_LINES_MAX; i++)
        j->lines[i] = (struct proto_line){A_SUKARELA, PROTO_LINES_MAX - i, 1, 0};
    {
        uint32_t all[PROTO_LINES_MAX];

        assert_int_equal(proto_acct_subjects(&g_b, all, PROTO_LINES_MAX), PROTO_LINES_MAX);
        for (uint32_t i = 0; i < PROTO_LINES_MAX; i++)
            assert_int_equal(all[i], i + 1);
    }
    /* Sign: none. The member kinds: the member; loan-apply: the borrower. 57..59 name the
     * loan, not the borrower: none here (the books take the application's borrower). */
    fill_sign(&g_b);
    assert_int_equal(proto_acct_subjects(&g_b, s, 8), 0);
    for (size_t k = 2; k < NKINDS; k++) {
        g_spec[k].fill(&g_b);
        memset(s, 0, sizeof s);
        if (names_loan(g_spec[k].kind)) {
            assert_int_equal(proto_acct_subjects(&g_b, s, 8), 0);
            assert_int_equal(s[0], 0);
            assert_int_equal(proto_acct_member(&g_b), 0);
            continue;
        }
        assert_int_equal(proto_acct_subjects(&g_b, s, 8), 1);
        assert_int_equal(s[0], 7);
        assert_int_equal(proto_acct_subjects(&g_b, NULL, 0), 1);
        assert_int_equal(proto_acct_member(&g_b), 7);
    }
    fill_apply(&g_b);
    g_b.u.apply.borrower = 3000000000u;
    assert_int_equal(proto_acct_subjects(&g_b, s, 8), 1);
    assert_int_equal(s[0], 3000000000u);
}

/* 17 sum of debits; 33: 0; 40 pokok; 41 pokok + wajib; 42 refund + savings; 48, 49 amount. */
static void test_amount(void **state)
{
    struct proto_journal *j = &g_b.u.ja.j;

    (void)state;
    fill_ja(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 350000);
    j->lines[1].credit = 1; /* unbalanced: still the debits */
    assert_int_equal(proto_acct_amount(&g_b), 350000);
    j->nlines = PROTO_LINES_MAX;
    for (uint32_t i = 0; i < PROTO_LINES_MAX; i++)
        j->lines[i] = (struct proto_line){A_KAS, 0, i % 2 ? 0 : AMAX, i % 2 ? AMAX : 0};
    assert_true(proto_acct_amount(&g_b) == 128 * AMAX);
    fill_sign(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 0);
    fill_admit(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 100000);
    fill_exit(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 400000);
    g_b.u.exit.pokok = AMAX;
    g_b.u.exit.wajib = AMAX;
    assert_true(proto_acct_amount(&g_b) == 2 * AMAX);
    fill_settle(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 550000); /* offsets do not count */
    fill_deposit(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 25000);
    fill_withdraw(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 200000); /* the fee does not reduce it */
    fill_apply(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 12000000); /* the principal, fees aside */
    fill_disburse(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 12000000); /* gross, not net */
    g_b.u.disburse.ndeductions = 1;
    g_b.u.disburse.deductions[0].account = A_WAJIB;
    g_b.u.disburse.deductions[0].amount = 500000;
    assert_int_equal(proto_acct_amount(&g_b), 12000000);
    fill_repay(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 1185000);
    g_b.u.repay.excess = 15000;
    g_b.u.repay.excess_account = A_SUKARELA;
    assert_int_equal(proto_acct_amount(&g_b), 1200000);
    fill_latefee(&g_b);
    assert_int_equal(proto_acct_amount(&g_b), 11800);
}

/* 41 the member; 42 the member when it pays cash out; 49 the member; others none. */
static void test_csign_subject(void **state)
{
    (void)state;
    fill_ja(&g_b);
    g_b.u.ja.j.lines[0].member = 7;
    assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    fill_sign(&g_b);
    assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    fill_admit(&g_b);
    assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    fill_exit(&g_b);
    assert_int_equal(proto_acct_csign_subject(&g_b), 7);
    fill_settle(&g_b);
    assert_int_equal(proto_acct_csign_subject(&g_b), 7);
    g_b.u.settle.offsets[0].interest = 350000; /* payout 0 */
    assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    g_b.u.settle.offsets[0].interest = 349999; /* payout 1 */
    assert_int_equal(proto_acct_csign_subject(&g_b), 7);
    fill_deposit(&g_b);
    assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    fill_withdraw(&g_b);
    assert_int_equal(proto_acct_csign_subject(&g_b), 7);
    g_b.u.withdraw.fee = g_b.u.withdraw.amount; /* no cash, but the savings still leave */
    assert_int_equal(proto_acct_csign_subject(&g_b), 7);
    /* Loans: 56 has none; 57's is the application's borrower, which the body does not name. */
    for (size_t k = 7; k < NKINDS; k++) {
        g_spec[k].fill(&g_b);
        assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    }
}

/* ---- reverse (64) ---- */

/* clang-format off */
static const char HEX_REVERSE[] =       /* reverse (64) */
    "93"                                /* array(3) */
    "c420" X32("48")                    /* target: bin(32) 48..48 */
    "ce 0134fe0a"                       /* date 20250122 */
    "ac 73616c616820636174617421";      /* reason "salah catat!" (12) */
/* clang-format on */

static void fill_reverse(struct proto_acct_body *b)
{
    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_REVERSE;
    memset(b->u.reverse.target, 0x48, 32);
    b->u.reverse.date = 20250122;
    strcpy(b->u.reverse.reason, "salah catat!");
}

static void test_reverse_body(void **state)
{
    uint8_t raw[128];
    size_t n = unhex(HEX_REVERSE, raw, sizeof raw);
    struct proto_buf e;
    uint32_t subj[4];

    (void)state;
    bytes_case(fill_reverse, HEX_REVERSE);
    assert_true(proto_acct_kind_known(PROTO_KIND_REVERSE));
    assert_string_equal(proto_acct_kind_name(64), "reverse");
    assert_int_equal(PROTO_KIND_REVERSE, 64);
    assert_int_equal(proto_acct_decode(PROTO_KIND_REVERSE, raw, n, &g_out), 0);
    assert_int_equal(proto_acct_date(&g_out), 20250122);
    /* The body alone names no member and no amount: the books take the target's. */
    assert_int_equal(proto_acct_member(&g_out), 0);
    assert_int_equal(proto_acct_subjects(&g_out, subj, 4), 0);
    assert_int_equal(proto_acct_amount(&g_out), 0);
    assert_int_equal(proto_acct_csign_subject(&g_out), 0);
    assert_int_equal(proto_acct_postings(&g_out, NULL, g_lines, 8), -EINVAL);
    assert_int_equal(proto_acct_body_size(64),
                     offsetof(struct proto_acct_body, u) + sizeof(struct proto_reverse));
    /* A deposit's body is not a reversal's (arity), nor is a sign's (decision not a date...
     * and the note is not a date either): ERR_BODY, output zero. */
    memset(&g_out, 0xee, sizeof g_out);
    n = unhex(HEX_SIGN, raw, sizeof raw);
    assert_int_equal(proto_acct_decode(PROTO_KIND_REVERSE, raw, n, &g_out), ERR_BODY);
    assert_true(all_zero(&g_out, sizeof g_out));
    /* The reason: 1..200 bytes of UTF-8 without NUL; the date valid. */
    proto_buf_init(&e);
    fill_reverse(&g_b);
    g_b.u.reverse.reason[0] = '\0';
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    assert_int_equal(proto_acct_encode(&g_b, &e), 0); /* encode does not check */
    assert_int_equal(proto_acct_decode(PROTO_KIND_REVERSE, e.data, e.len, &g_out), ERR_BODY);
    fill_reverse(&g_b);
    memset(g_b.u.reverse.reason, 'a', PROTO_ACCT_REASON_MAX);
    g_b.u.reverse.reason[PROTO_ACCT_REASON_MAX] = '\0';
    assert_int_equal(proto_acct_check(&g_b), 0);
    proto_buf_release(&e);
    proto_buf_init(&e);
    assert_int_equal(proto_acct_encode(&g_b, &e), 0);
    assert_int_equal(proto_acct_decode(PROTO_KIND_REVERSE, e.data, e.len, &g_out), 0);
    assert_memory_equal(&g_out, &g_b, proto_acct_body_size(PROTO_KIND_REVERSE));
    fill_reverse(&g_b);
    strcpy(g_b.u.reverse.reason, "\xff\xfe");
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    fill_reverse(&g_b);
    g_b.u.reverse.date = 20250230;
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    proto_buf_release(&e);
}

static void test_reverse_mirror(void **state)
{
    struct proto_line in[3] = {{1100, 0, 500000, 0}, {2100, 7, 0, 450000}, {4200, 0, 0, 50000}};
    struct proto_line out[3];

    (void)state;
    assert_int_equal(proto_acct_mirror(in, 3, out, 3), 3);
    assert_int_equal(out[0].credit, 500000);
    assert_int_equal(out[0].debit, 0);
    assert_int_equal(out[1].account, 2100);
    assert_int_equal(out[1].member, 7);
    assert_int_equal(out[1].debit, 450000);
    assert_int_equal(out[2].debit, 50000);
    /* Room for fewer: the count all the same; in place; NULL out with room is refused. */
    assert_int_equal(proto_acct_mirror(in, 3, NULL, 0), 3);
    assert_int_equal(proto_acct_mirror(in, 3, in, 3), 3);
    assert_memory_equal(in, out, sizeof out);
    assert_int_equal(proto_acct_mirror(in, 3, NULL, 1), -EINVAL);
    /* A line that is not a posting (both sides, no side, a bad account). */
    in[0] = (struct proto_line){1100, 0, 1, 1};
    assert_int_equal(proto_acct_mirror(in, 1, out, 1), -EINVAL);
    in[0] = (struct proto_line){1100, 0, 0, 0};
    assert_int_equal(proto_acct_mirror(in, 1, out, 1), -EINVAL);
    in[0] = (struct proto_line){999, 0, 1, 0};
    assert_int_equal(proto_acct_mirror(in, 1, out, 1), -EINVAL);
    /* A pattern line above a journal line's cap mirrors too (41's refund line). */
    in[0] = (struct proto_line){2400, 7, 0, 2 * PROTO_AMOUNT_MAX};
    assert_int_equal(proto_acct_mirror(in, 1, out, 1), 1);
    assert_int_equal(out[0].debit, 2 * PROTO_AMOUNT_MAX);
}

static void test_date_member(void **state)
{
    static const uint32_t dates[NKINDS] = {20250115, 0,        20250102, 20251231,
                                           20260115, 20250106, 20250203, 20250110,
                                           20250115, 20250215, 20250225};

    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        g_spec[k].fill(&g_b);
        assert_int_equal(proto_acct_date(&g_b), dates[k]);
        assert_int_equal(proto_acct_member(&g_b), k < 2 || names_loan(g_kinds[k]) ? 0 : 7);
    }
}

/* ---- interest (50) ---- */

/* [202501, 20250201, "SS", 2, 30000, 5100, 2100, 2210, rows, "bunga 2025-01"] with rows
 * [7, 15500000, 1274, 0] and [12, 310000000, 25479, 2548]. */
#define HEX_INTEREST                                                                               \
    "9a ce00031705 ce0134fe59 a25353 02 cd7530 cd13ec cd0834 cd08a2"                               \
    " 92 94 07 ce00ec82e0 cd04fa 00  94 0c ce127a3980 cd6387 cd09f4"                               \
    " ad 62756e67612032303235 2d3031"

static void fill_interest(struct proto_acct_body *b)
{
    struct proto_interest *in = &b->u.interest;

    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_INTEREST;
    in->period = 202501;
    in->date = 20250201;
    strcpy(in->product, "SS");
    in->method = PROTO_SAVM_DAILY;
    in->rate_ppm = 30000;
    in->expense_account = 5100;
    in->account = A_SUKARELA;
    in->tax_account = 2210;
    in->nrows = 2;
    in->rows[0] = (struct proto_interest_row){7, 15500000, 1274, 0};
    in->rows[1] = (struct proto_interest_row){12, 310000000, 25479, 2548};
    strcpy(in->memo, "bunga 2025-01");
}

static void test_interest_bytes(void **state)
{
    (void)state;
    bytes_case(fill_interest, HEX_INTEREST);
    assert_true(proto_acct_kind_known(PROTO_KIND_INTEREST));
    assert_string_equal(proto_acct_kind_name(PROTO_KIND_INTEREST), "interest");
    assert_int_equal(PROTO_KIND_INTEREST, 50);
    /* The union is sized for kind 50; the other kinds use a few KiB of it. */
    assert_true(proto_acct_body_size(PROTO_KIND_INTEREST) <= sizeof(struct proto_acct_body));
    assert_true(proto_acct_body_size(PROTO_KIND_DEPOSIT) < 1024);
    assert_int_equal(proto_acct_body_size(51), 0);
}

static struct rv rv_of(enum rv_type t, uint64_t u, int64_t i)
{
    struct rv r = {t, u, i, NULL, 0};

    return r;
}

/* Every bound of the body, one at a time, on the struct (check and decode agree: rt). */
static void test_interest_rejects(void **state)
{
    struct proto_interest *in = &g_b.u.interest;
    struct proto_buf e;

    (void)state;
#define MUT(stmt)                                                                                  \
    do {                                                                                           \
        fill_interest(&g_b);                                                                       \
        stmt;                                                                                      \
        BAD(&g_b);                                                                                 \
    } while (0)
#define OK(stmt)                                                                                   \
    do {                                                                                           \
        fill_interest(&g_b);                                                                       \
        stmt;                                                                                      \
        GOOD(&g_b);                                                                                \
    } while (0)
    MUT(in->period = 0);
    MUT(in->period = 202500);
    MUT(in->period = 202513);
    MUT(in->period = 189912);
    MUT(in->period = 1000001);
    OK(in->period = 190001);
    OK(in->period = 999912);
    MUT(in->date = 20250230);
    MUT(in->date = 0);
    MUT(in->product[0] = '\0');
    MUT(strcpy(in->product, "ss"));
    OK(strcpy(in->product, "SB12ABCD"));
    MUT(in->method = 0);
    MUT(in->method = 4);
    OK(in->method = PROTO_SAVM_LOWEST);
    OK(in->method = PROTO_SAVM_TERM);
    OK(in->rate_ppm = 0);
    OK(in->rate_ppm = PROTO_PARAMS_RATE_MAX);
    MUT(in->rate_ppm = PROTO_PARAMS_RATE_MAX + 1);
    MUT(in->expense_account = 999);
    MUT(in->account = 10000);
    MUT(in->tax_account = 0);
    MUT(in->nrows = 0);
    MUT(in->rows[1].member = 7); /* not strictly ascending */
    MUT(in->rows[1].member = 6);
    MUT(in->rows[0].member = 0);
    OK(in->rows[1].member = UINT32_MAX);
    OK(in->rows[0].basis = PROTO_ACCT_BASIS_MAX);
    MUT(in->rows[0].basis = PROTO_ACCT_BASIS_MAX + 1);
    OK((in->rows[0].gross = AMAX, in->rows[1].gross = 0, in->rows[1].tax = 0));
    MUT(in->rows[0].gross = AMAX + 1);
    MUT(in->rows[0].tax = 1275); /* tax > gross */
    OK(in->rows[0].tax = 1274);  /* tax = gross: the member gets nothing, a finding's business */
    /* The sum of the gross figures is one posting line: at most 10^15. */
    MUT((in->rows[0].gross = AMAX / 2 + 1, in->rows[1].gross = AMAX / 2));
    OK((in->rows[0].gross = AMAX / 2, in->rows[1].gross = AMAX / 2, in->rows[1].tax = 0));
    OK(memset(in->memo, 'x', PROTO_ACCT_MEMO_MAX));
    MUT(memset(in->memo, 'x', sizeof in->memo)); /* 201 bytes, no NUL */
    MUT(strcpy(in->memo, "\xff"));
#undef MUT
#undef OK
    /* More rows than the array holds: encode refuses, check refuses. */
    fill_interest(&g_b);
    in->nrows = PROTO_ACCT_INTEREST_ROWS_MAX + 1;
    proto_buf_init(&e);
    assert_int_equal(proto_acct_encode(&g_b, &e), -EINVAL);
    assert_int_equal(proto_acct_check(&g_b), ERR_BODY);
    proto_buf_release(&e);
}

/* What only the bytes can get wrong: arity, types, sizes beyond the struct. */
static void test_interest_raw(void **state)
{
    /* clang-format off */
    static const struct rv good[] = {
        RARR(10), RU(202501), RU(20250201), RS("SS"), RU(2), RU(30000), RU(5100), RU(2100),
        RU(2210), RARR(1), RARR(4), RU(7), RU(100), RU(10), RU(1), RS(""),
    };
    /* clang-format on */
    struct rv v[RAW_MAX];
    const size_t n = sizeof good / sizeof good[0];
    struct proto_buf b;

    (void)state;
    assert_int_equal(raw_rc(PROTO_KIND_INTEREST, good, n), 0);
    assert_int_equal(g_out.u.interest.nrows, 1);
#define TRY(idx, val, want)                                                                        \
    do {                                                                                           \
        memcpy(v, good, sizeof good);                                                              \
        v[idx] = (val);                                                                            \
        assert_int_equal(raw_rc(PROTO_KIND_INTEREST, v, n), (want));                               \
    } while (0)
    TRY(0, rv_of(RV_ARR, 9, 0), ERR_BODY); /* arity */
    TRY(0, rv_of(RV_ARR, 11, 0), ERR_BODY);
    TRY(4, ru(256), ERR_BODY); /* method beyond a byte */
    TRY(4, rv_of(RV_NIL, 0, 0), ERR_BODY);
    TRY(5, rv_of(RV_I, 0, 30000), 0); /* (a positive int is the same bytes as a uint) */
    TRY(5, rv_of(RV_I, 0, -1), ERR_BODY);
    TRY(8, rv_of(RV_NIL, 0, 0), ERR_BODY);  /* the tax account is never nil */
    TRY(9, rv_of(RV_ARR, 0, 0), ERR_BODY);  /* no rows (and the row after it is surplus) */
    TRY(10, rv_of(RV_ARR, 3, 0), ERR_BODY); /* row arity */
    TRY(10, rv_of(RV_ARR, 5, 0), ERR_BODY);
    TRY(11, ru(4294967296ULL), ERR_BODY); /* member above 2^32 - 1 */
    TRY(11, rv_of(RV_NIL, 0, 0), ERR_BODY);
    TRY(12, rv_of(RV_I, 0, -5), ERR_BODY);
    TRY(13, rstr("10", 2), ERR_BODY);
    TRY(14, ru(11), ERR_BODY);              /* tax > gross */
    TRY(15, rv_of(RV_NIL, 0, 0), ERR_BODY); /* memo */
#undef TRY
    /* 2000 rows decode, 2001 do not. */
    for (uint32_t rows = PROTO_ACCT_INTEREST_ROWS_MAX; rows <= PROTO_ACCT_INTEREST_ROWS_MAX + 1;
         rows++) {
        proto_buf_init(&b);
        raw_put(&b, good, 9);
        assert_int_equal(proto_mp_put_array(&b, rows), 0);
        for (uint32_t r = 0; r < rows; r++) {
            struct rv row[5] = {RARR(4), RU(0), RU(0), RU(1), RU(0)};

            row[1].u = r + 1;
            raw_put(&b, row, 5);
        }
        raw_put(&b, &good[15], 1);
        assert_int_equal(decode_buf(PROTO_KIND_INTEREST, &b),
                         rows <= PROTO_ACCT_INTEREST_ROWS_MAX ? 0 : ERR_BODY);
        proto_buf_release(&b);
    }
}

static void test_interest_postings(void **state)
{
    struct proto_interest *in = &g_b.u.interest;
    uint32_t subj[4];
    int n;

    (void)state;
    fill_interest(&g_b);
    /* Dr 5100 sum(gross) = 1274 + 25479 = 26753; Cr 2100(7) 1274 - 0; Cr 2100(12) 25479 -
     * 2548 = 22931; Cr 2210 sum(tax) = 2548. 26753 = 1274 + 22931 + 2548. */
    n = proto_acct_postings(&g_b, NULL, g_lines, PROTO_ACCT_LINES_MAX);
    assert_int_equal(n, 4);
    assert_true(g_lines[0].account == 5100 && g_lines[0].member == 0 && g_lines[0].debit == 26753 &&
                g_lines[0].credit == 0);
    assert_true(g_lines[1].account == A_SUKARELA && g_lines[1].member == 7 &&
                g_lines[1].credit == 1274 && g_lines[1].debit == 0);
    assert_true(g_lines[2].account == A_SUKARELA && g_lines[2].member == 12 &&
                g_lines[2].credit == 22931);
    assert_true(g_lines[3].account == 2210 && g_lines[3].member == 0 && g_lines[3].credit == 2548);
    assert_int_equal(proto_acct_postings(&g_b, NULL, NULL, 0), 4);
    assert_int_equal(proto_acct_amount(&g_b), 26753);
    assert_int_equal(proto_acct_date(&g_b), 20250201);
    assert_int_equal(proto_acct_member(&g_b), 0); /* a bulk kind has no subject (2.3) */
    assert_int_equal(proto_acct_subjects(&g_b, subj, 4), 0);
    assert_int_equal(proto_acct_csign_subject(&g_b), 0);
    assert_non_null(proto_acct_interest_row(in, 12));
    assert_int_equal(proto_acct_interest_row(in, 12)->tax, 2548);
    assert_null(proto_acct_interest_row(in, 8));
    assert_null(proto_acct_interest_row(in, 13));
    /* Lines of 0 are left out: no tax, a row whose tax takes it all, a zero row. */
    in->rows[1].tax = 0;
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, PROTO_ACCT_LINES_MAX), 3);
    in->rows[0].tax = 1274;
    n = proto_acct_postings(&g_b, NULL, g_lines, PROTO_ACCT_LINES_MAX);
    assert_int_equal(n, 3); /* Dr 26753 / Cr 2100(12) 25479, Cr 2210 1274 */
    assert_true(g_lines[1].member == 12 && g_lines[2].account == 2210 && g_lines[2].credit == 1274);
    in->rows[0] = (struct proto_interest_row){7, 0, 0, 0};
    in->rows[1] = (struct proto_interest_row){12, 5, 0, 0};
    assert_int_equal(proto_acct_postings(&g_b, NULL, g_lines, PROTO_ACCT_LINES_MAX), 0);
    assert_int_equal(proto_acct_amount(&g_b), 0);
}

/* 2000 rows of the largest figures the sum allows: the body, its 2002 lines, their balance. */
static void test_interest_max(void **state)
{
    struct proto_interest *in = &g_b.u.interest;
    struct proto_buf e;
    uint64_t dr = 0, cr = 0;
    int n;

    (void)state;
    fill_interest(&g_b);
    in->nrows = PROTO_ACCT_INTEREST_ROWS_MAX;
    for (uint32_t i = 0; i < in->nrows; i++)
        in->rows[i] =
            (struct proto_interest_row){UINT32_MAX - PROTO_ACCT_INTEREST_ROWS_MAX + i,
                                        PROTO_ACCT_BASIS_MAX, AMAX / 2000, AMAX / 2000 - i % 7 - 1};
    GOOD(&g_b);
    proto_buf_init(&e);
    assert_int_equal(proto_acct_encode(&g_b, &e), 0);
    /* 33 bytes a row: too big for one entry (PROTO_ENTRY_MAX, 60 KiB); the CLI splits by
     * size too. */
    assert_true(e.len > 2000 * 33 && e.len > 61440);
    proto_buf_release(&e);
    n = proto_acct_postings(&g_b, NULL, g_lines, PROTO_ACCT_LINES_MAX);
    assert_int_equal(n, PROTO_ACCT_LINES_MAX);
    for (int i = 0; i < n; i++) {
        dr += g_lines[i].debit;
        cr += g_lines[i].credit;
        assert_true(g_lines[i].debit <= AMAX && g_lines[i].credit <= AMAX);
    }
    assert_int_equal(dr, cr);
    assert_int_equal(dr, AMAX);
}

/* Random sound bodies: round trip, postings balance, helpers agree. */
static void test_interest_random(void **state)
{
    struct proto_interest *in = &g_b.u.interest;

    (void)state;
    for (int iter = 0; iter < 300; iter++) {
        uint32_t m = 0;
        uint64_t dr = 0, cr = 0, sum = 0;
        int n;

        fill_interest(&g_b);
        memset(in->rows, 0, sizeof in->rows);
        in->period = (uint32_t)rng_range(1900, 9999) * 100 + (uint32_t)rng_range(1, 12);
        in->method = (uint8_t)rng_range(1, 3);
        in->rate_ppm = (uint32_t)rng_amount(0, PROTO_PARAMS_RATE_MAX);
        in->nrows = (uint32_t)rng_range(1, iter % 10 ? 50 : PROTO_ACCT_INTEREST_ROWS_MAX);
        for (uint32_t i = 0; i < in->nrows; i++) {
            struct proto_interest_row *r = &in->rows[i];

            m += (uint32_t)rng_range(1, 1000);
            r->member = m;
            r->basis = rng_amount(0, PROTO_ACCT_BASIS_MAX);
            r->gross = rng_amount(0, AMAX / PROTO_ACCT_INTEREST_ROWS_MAX);
            r->tax = rng_amount(0, r->gross);
            sum += r->gross;
        }
        GOOD(&g_b);
        assert_int_equal(proto_acct_amount(&g_b), sum);
        n = proto_acct_postings(&g_b, NULL, g_lines, PROTO_ACCT_LINES_MAX);
        assert_true(n >= 0 && n <= (int)in->nrows + 2);
        for (int i = 0; i < n; i++) {
            assert_true((g_lines[i].debit == 0) != (g_lines[i].credit == 0));
            dr += g_lines[i].debit;
            cr += g_lines[i].credit;
        }
        assert_int_equal(dr, cr);
        assert_int_equal(dr, sum);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_kinds),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_provision_writeoff),
        cmocka_unit_test(test_bytes_journal_a),
        cmocka_unit_test(test_bytes_sign),
        cmocka_unit_test(test_bytes_member_admit),
        cmocka_unit_test(test_bytes_member_exit),
        cmocka_unit_test(test_bytes_exit_settle),
        cmocka_unit_test(test_bytes_deposit),
        cmocka_unit_test(test_bytes_withdraw),
        cmocka_unit_test(test_bytes_loan_apply),
        cmocka_unit_test(test_bytes_loan_disburse),
        cmocka_unit_test(test_bytes_loan_repay),
        cmocka_unit_test(test_bytes_late_fee),
        cmocka_unit_test(test_raw_matches_bytes),
        cmocka_unit_test(test_roundtrip_variants),
        cmocka_unit_test(test_journal_a_rules),
        cmocka_unit_test(test_journal_a_as_kind16),
        cmocka_unit_test(test_sign_rules),
        cmocka_unit_test(test_member_admit_rules),
        cmocka_unit_test(test_member_exit_rules),
        cmocka_unit_test(test_exit_settle_rules),
        cmocka_unit_test(test_exit_settle_payout),
        cmocka_unit_test(test_deposit_rules),
        cmocka_unit_test(test_deposit_term),
        cmocka_unit_test(test_product_codes),
        cmocka_unit_test(test_withdraw_rules),
        cmocka_unit_test(test_withdraw_fee),
        cmocka_unit_test(test_loan_apply_rules),
        cmocka_unit_test(test_loan_apply_terms),
        cmocka_unit_test(test_loan_apply_terms_agree),
        cmocka_unit_test(test_loan_disburse_rules),
        cmocka_unit_test(test_loan_repay_rules),
        cmocka_unit_test(test_loan_repay_excess),
        cmocka_unit_test(test_late_fee_rules),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_memos),
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_arity),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_noncanonical),
        cmocka_unit_test(test_trailing_and_truncated),
        cmocka_unit_test(test_encode_counts),
        cmocka_unit_test(test_check_strings),
        cmocka_unit_test(test_decode_overwrites),
        cmocka_unit_test(test_postings_invalid),
        cmocka_unit_test(test_postings_journal_a),
        cmocka_unit_test(test_postings_sign),
        cmocka_unit_test(test_postings_member_admit),
        cmocka_unit_test(test_postings_member_exit),
        cmocka_unit_test(test_postings_exit_settle),
        cmocka_unit_test(test_postings_settle_accounts),
        cmocka_unit_test(test_postings_deposit),
        cmocka_unit_test(test_postings_withdraw),
        cmocka_unit_test(test_postings_room),
        cmocka_unit_test(test_postings_loan_none),
        cmocka_unit_test(test_postings_loan_disburse),
        cmocka_unit_test(test_postings_loan_repay),
        cmocka_unit_test(test_postings_loan_invalid),
        cmocka_unit_test(test_random_bodies),
        cmocka_unit_test(test_random_mutations),
        cmocka_unit_test(test_subjects),
        cmocka_unit_test(test_amount),
        cmocka_unit_test(test_csign_subject),
        cmocka_unit_test(test_date_member),
        cmocka_unit_test(test_reverse_body),
        cmocka_unit_test(test_reverse_mirror),
        cmocka_unit_test(test_interest_bytes),
        cmocka_unit_test(test_interest_rejects),
        cmocka_unit_test(test_interest_raw),
        cmocka_unit_test(test_interest_postings),
        cmocka_unit_test(test_interest_max),
        cmocka_unit_test(test_interest_random),
    };

    return cmocka_run_group_tests_name("proto_acct", tests, NULL, NULL);
}
