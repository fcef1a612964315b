/*
 * saksi-gen: the demo ledger of issue 4 item 9 (docs/ACCOUNTING.md 9.4), one financial year of
 * "Koperasi Simpan Pinjam Maju Bersama" as an export stream that `saksi import` accepts.
 *
 *   saksi-gen [--seed N] [--keys DIR] FILE
 *
 * The same seed always gives the same bytes (keys, dates, amounts and signatures all follow from
 * it; Ed25519 signatures are deterministic). What it writes, all dated inside 2025 but for
 * December's interest (1 January 2026):
 *   - the genesis (standard chart, 31 devices: ketua, sekretaris and bendahara as pengurus, two
 *     pengawas, one kasir, and the phones of 25 members; policy closing kind 16 as `saksi init
 *     --params` does) and, at seq 2 of the ketua's feed, the founding parameters: the standard
 *     template (proto_params_default) in force from 1 January 2025;
 *   - 50 members admitted in January (kind 40, simpanan pokok), each approved by a pengurus;
 *     members 1..31 hold the devices above, 32..50 have none;
 *   - simpanan wajib every month, sukarela deposits at random (kind 48), one berjangka placement,
 *     sukarela withdrawals by members with a device, countersigned on that device (kind 49 + 33;
 *     members without a device do not withdraw: the template's countersign mode for 49 is the
 *     member's own device); members with a device acknowledge some deposits and repayments;
 *   - 30 loans over the template's products (PU flat and PA annuity; PA within its savings
 *     multiple) applied for on the borrower's own phone (56), approved per the matrix by distinct
 *     pengurus (33), disbursed by the bendahara with the product's fees (57), the receipt
 *     countersigned by the borrower (33), repaid on each due date (58) from proto/loan.h's
 *     schedule; three loans pay one installment late, with a late fee (59) that the repayment
 *     pays first; one loan stops after its first installment (macet by year end);
 *   - monthly expenses by journal-a (17: gaji, honor pengurus & pengawas, listrik, ATK), a
 *     working-capital loan from LPDB and its monthly interest, each approved per the matrix;
 *   - each month's savings interest (kind 50) of every product with interest (SS: daily
 *     balance; SB12: the placement's monthly anniversaries), recorded by the kasir on the next
 *     month's first day and approved by a pengurus, its rows those of proto/savings.h over the
 *     books of the entries written so far (derived by proto/books.h at each month's end), so the
 *     books find no interest-mismatch or interest-missing;
 *   - one member without a loan leaves (41, countersigned on their phone, 29 August) and is
 *     settled (42) on 1 September, after August's interest is credited.
 * Every entry is one the books take as effective, with no finding. Nothing is sealed: the keys
 * directory (--keys) holds every device's plain key file (ketua.key, ..., anggota-07.key) and
 * network.key, so that a data directory can be set up for any device (import the stream, copy
 * the device's file to DIR/key and network.key to DIR/): demo ledgers only.
 *
 * The year runs month by month (year_run: month_begin, day_run for each day, month_end, and
 * year_end after the last month): month_end computes the month's interest rows, day_run posts
 * them on the next month's first day, year_end posts December's on 1 January. The year-end close,
 * resolution and SHU (kinds 35, 34, 72, 73) are not generated: `make demo` (tests/demo.sh) runs
 * them through the CLI.
 *
 * Results go to stdout as key=value lines (entries, members, loans, interest entries, the
 * members the demo shows, timings: seconds in all, seconds_books of it deriving the books for
 * the interest rows); errors to stderr. Exit 0 ok, 1 failure, 2 usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/acct.h"
#include "proto/books.h"
#include "proto/chart.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/loan.h"
#include "proto/params.h"
#include "proto/savings.h"
#include "tests/lib/stream.h"

#define YEAR      2025u
#define NMEMBERS  50u
#define NDEV      31u /* members 1..31 hold one device each */
#define NOFFICERS 6u  /* devices 0..5: ketua, sekretaris, bendahara, 2 pengawas, kasir */
#define NLOANS    30u
#define CASH      1100u /* kas: cash role (ACCOUNTING.md 1.3) */
#define REFUNDS   2400u /* refunds due to exited members (role 8) */
#define TAX       2210u /* tax payable (role 6): withheld on savings interest */
#define NIPROD    4u    /* savings products with interest the generator posts, at most */

enum { KETUA, SEKRETARIS, BENDAHARA, PENGAWAS1, PENGAWAS2, KASIR, ANGGOTA0 };

struct dev {
    char file[24]; /* its key file in the keys directory */
    uint8_t role, office;
    uint32_t member;
    struct tstream_feed f;
};

struct member {
    int dev;           /* its device, -1 for none */
    uint32_t admitted; /* YYYYMMDD, 0 before */
    uint32_t exited;
    uint8_t admit_day, wajib_day; /* day of January it joins; day of the month wajib is paid */
    int64_t sp, sw, ss, sb;       /* balances of the savings products */
};

enum loan_plan { PLAN_ONTIME, PLAN_LATE, PLAN_MACET };

struct loan {
    uint32_t borrower;
    uint8_t plan;       /* enum loan_plan */
    bool annuity;       /* wants the annuity product (PA) */
    uint32_t apply;     /* YYYYMMDD */
    uint32_t late_inst; /* PLAN_LATE: the installment paid late, and how late */
    uint32_t late_days;
    uint64_t want;   /* principal asked for */
    uint32_t months; /* periods asked for */
    /* progress */
    int stage; /* 0 planned, 1 approved, 2 disbursed, 3 nothing more this year */
    uint8_t id[32];
    struct proto_loan_apply app;
    const struct proto_loan_product *lp;
    int32_t disburse_day;
    struct proto_loan_schedule *s;
    uint32_t next; /* the next installment to pay (1-based) */
    uint64_t paid_i, paid_p, fees, fees_paid;
};

struct gen {
    uint64_t seed, rng;
    struct proto_params *P;
    struct dev dev[NDEV];
    struct member mem[NMEMBERS + 1];
    struct loan loan[NLOANS];
    uint8_t ledger[32];
    uint8_t netkey[32];
    struct proto_buf out;  /* the records */
    struct proto_buf body; /* scratch */
    struct proto_acct_body *b;
    uint32_t ymd; /* today */
    int32_t day;
    unsigned month, mday, tick;
    int64_t cash, cash_min;
    uint64_t entries, nkind[80];
    uint32_t exit_member;
    uint8_t exit_id[32];
    /* savings interest: each product's rows of the month just ended, posted on the next
     * month's first day (month_end computes them, interest_day posts them) */
    struct proto_savings_rows due[NIPROD];
    unsigned ndue;
    uint64_t interest_sum; /* gross credited over the run */
    double books_s;        /* time spent deriving the books for the rows */
};

static const char *const month_name[13] = {
    "",     "Januari", "Februari",  "Maret",   "April",    "Mei",     "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember"};

/* ---- randomness: one sequence per seed, drawn in a fixed order ---- */

static uint64_t rnd(struct gen *g)
{
    return tstream_mix(g->seed * 0x2545f4914f6cdd1dULL + g->rng++);
}

static uint32_t below(struct gen *g, uint32_t n)
{
    return (uint32_t)(rnd(g) % n);
}

/* true with probability num/den. */
static bool chance(struct gen *g, uint32_t num, uint32_t den)
{
    return below(g, den) < num;
}

/* Seconds on a monotonic clock (the summary's timings). */
static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- entries ---- */

static int ymd_of(int32_t day, uint32_t *ymd)
{
    return proto_day_to_ymd(day, ymd);
}

/* Appends the next entry of device d's feed: kind with the scratch body. Entries of one day are
 * stamped from 08:00 WIB (01:00 UTC) on, 45 s apart. */
static int emit_raw(struct gen *g, unsigned d, uint64_t kind, uint8_t id[32])
{
    uint64_t t = (uint64_t)g->day * 86400000ULL + 3600000ULL + (uint64_t)g->tick++ * 45000ULL;
    int rc;

    rc = tstream_record(&g->dev[d].f, &g->out, g->ledger, t, kind, g->body.data, g->body.len, id);
    if (rc == 0) {
        g->entries++;
        g->nkind[kind < 80 ? kind : 0]++;
    }
    return rc;
}

/* Encodes g->b (checked first: the generator writes only well-formed bodies) and emits it. */
static int emit(struct gen *g, unsigned d, uint8_t id[32])
{
    int rc = proto_acct_check(g->b);

    if (rc < 0) {
        fprintf(stderr, "saksi-gen: %u: a body of kind %u fails its check\n", g->ymd, g->b->kind);
        return rc;
    }
    proto_buf_reset(&g->body);
    rc = proto_acct_encode(g->b, &g->body);
    return rc < 0 ? rc : emit_raw(g, d, g->b->kind, id);
}

static void body_new(struct gen *g, uint32_t kind)
{
    memset(g->b, 0, sizeof *g->b);
    g->b->kind = kind;
}

/* A sign (kind 33, approve) by device d on target. */
static int sign(struct gen *g, unsigned d, const uint8_t target[32], const char *note)
{
    body_new(g, PROTO_KIND_SIGN);
    memcpy(g->b->u.sign.target, target, 32);
    g->b->u.sign.decision = PROTO_SIGN_APPROVE;
    snprintf(g->b->u.sign.note, sizeof g->b->u.sign.note, "%s", note);
    return emit(g, d, NULL);
}

static bool is_officer(uint32_t member)
{
    return member >= 1 && member <= NOFFICERS;
}

static bool has_member(const uint32_t *v, size_t n, uint32_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

/*
 * Signs target by as many distinct pengurus and pengawas as the parameters' matrix row for
 * (kind, amount) asks (ACCOUNTING.md 2.3), the author counted, subjects never: pengurus in the
 * order pref[0..npref) then ketua, sekretaris, bendahara; pengawas in turn. -EDOM if the officers
 * cannot meet the row (the parameters ask for more than this koperasi has).
 */
static int approve(struct gen *g, const uint8_t target[32], uint32_t kind, uint64_t amount,
                   unsigned author, const uint32_t *subj, size_t nsubj, const unsigned *pref,
                   size_t npref)
{
    const struct proto_params_approval *row = proto_params_row(g->P, kind, amount);
    unsigned order[8], n = 0, w0 = (unsigned)(g->rng & 1);
    uint32_t need_p, need_w, have_p = 0, have_w = 0, offices = 0;
    bool used[NOFFICERS] = {false}, officer = false;
    int rc;

    if (!row)
        return 0;
    for (size_t i = 0; i < nsubj; i++)
        officer |= is_officer(subj[i]);
    need_p = row->pengurus + (officer ? g->P->officer_extra_pengurus : 0);
    need_w = row->pengawas + (officer ? g->P->officer_extra_pengawas : 0);
    if (!has_member(subj, nsubj, g->dev[author].member)) {
        if (g->dev[author].role == PROTO_ROLE_PENGURUS) {
            have_p++;
            offices |= PROTO_OFFICE_BIT(g->dev[author].office);
        } else if (g->dev[author].role == PROTO_ROLE_PENGAWAS) {
            have_w++;
        }
    }
    if (author < NOFFICERS)
        used[author] = true;
    for (size_t i = 0; i < npref && n < 5; i++)
        order[n++] = pref[i];
    order[n++] = KETUA;
    order[n++] = SEKRETARIS;
    order[n++] = BENDAHARA;
    for (unsigned i = 0; i < n; i++) {
        unsigned d = order[i];
        uint32_t bit = PROTO_OFFICE_BIT(g->dev[d].office);

        if (used[d] || has_member(subj, nsubj, g->dev[d].member))
            continue;
        if (have_p >= need_p && !(row->offices & bit & ~offices))
            continue;
        if ((rc = sign(g, d, target, "Disetujui")) < 0)
            return rc;
        used[d] = true;
        have_p++;
        offices |= bit;
    }
    for (unsigned i = 0; i < 2 && have_w < need_w; i++) {
        unsigned d = (i + w0) % 2 ? PENGAWAS2 : PENGAWAS1;

        if (used[d] || has_member(subj, nsubj, g->dev[d].member))
            continue;
        if ((rc = sign(g, d, target, "Diperiksa dan disetujui pengawas")) < 0)
            return rc;
        used[d] = true;
        have_w++;
    }
    if (have_p < need_p || have_w < need_w || (row->offices & ~offices)) {
        fprintf(stderr, "saksi-gen: %u: cannot meet the approvals of kind %u (Rp%llu)\n", g->ymd,
                kind, (unsigned long long)amount);
        return -EDOM;
    }
    return 0;
}

/* The member's own device signs target (countersignature or acknowledgement). */
static int member_signs(struct gen *g, uint32_t m, const uint8_t target[32], const char *note)
{
    if (g->mem[m].dev < 0)
        return -EINVAL;
    return sign(g, (unsigned)g->mem[m].dev, target, note);
}

static void cash_move(struct gen *g, int64_t delta)
{
    g->cash += delta;
    if (g->cash < g->cash_min)
        g->cash_min = g->cash;
}

/* ---- the operations, each as the CLI would author it ---- */

static const struct proto_savings_product *product_of(struct gen *g, uint8_t class)
{
    for (uint32_t i = 0; i < g->P->nsavings; i++)
        if (g->P->savings[i].class == class)
            return &g->P->savings[i];
    return NULL;
}

/* Kind 40 by the kasir, approved by a pengurus. */
static int admit(struct gen *g, uint32_t m)
{
    const struct proto_savings_product *sp = product_of(g, PROTO_SAV_POKOK);
    static const unsigned pref[] = {SEKRETARIS};
    uint8_t id[32];
    int rc;

    if (!sp)
        return -ENOENT;
    body_new(g, PROTO_KIND_MEMBER_ADMIT);
    g->b->u.admit.member = m;
    g->b->u.admit.date = g->ymd;
    g->b->u.admit.class = PROTO_CLASS_BIASA;
    g->b->u.admit.pokok = g->P->pokok;
    g->b->u.admit.pokok_account = sp->account;
    g->b->u.admit.cash_account = CASH;
    snprintf(g->b->u.admit.memo, sizeof g->b->u.admit.memo, "Anggota baru no. %u, simpanan pokok",
             m);
    if ((rc = emit(g, KASIR, id)) < 0 ||
        (rc = approve(g, id, PROTO_KIND_MEMBER_ADMIT, g->P->pokok, KASIR, &m, 1, pref, 1)) < 0)
        return rc;
    g->mem[m].admitted = g->ymd;
    g->mem[m].sp += (int64_t)g->P->pokok;
    cash_move(g, (int64_t)g->P->pokok);
    return 0;
}

/* Kind 48 by the kasir; a member with a device acknowledges some receipts on it. */
static int deposit(struct gen *g, uint32_t m, uint8_t class, uint64_t amount, const char *memo)
{
    const struct proto_savings_product *sp = product_of(g, class);
    struct member *mb = &g->mem[m];
    uint8_t id[32];
    int rc;

    if (!sp)
        return -ENOENT; /* the parameters have no product of this class */
    body_new(g, PROTO_KIND_DEPOSIT);
    g->b->u.deposit.member = m;
    g->b->u.deposit.date = g->ymd;
    snprintf(g->b->u.deposit.product, sizeof g->b->u.deposit.product, "%s", sp->code);
    g->b->u.deposit.account = sp->account;
    g->b->u.deposit.amount = amount;
    g->b->u.deposit.cash_account = CASH;
    if (class == PROTO_SAV_BERJANGKA) {
        g->b->u.deposit.has_term = true;
        g->b->u.deposit.term_months = sp->term_months;
        g->b->u.deposit.term_rate_ppm = sp->rate_ppm;
    }
    snprintf(g->b->u.deposit.memo, sizeof g->b->u.deposit.memo, "%s", memo);
    if ((rc = emit(g, KASIR, id)) < 0)
        return rc;
    if (mb->dev >= 0 && chance(g, 2, 5) && (rc = member_signs(g, m, id, "Diterima")) < 0)
        return rc;
    if (class == PROTO_SAV_WAJIB)
        mb->sw += (int64_t)amount;
    else if (class == PROTO_SAV_SUKARELA)
        mb->ss += (int64_t)amount;
    else if (class == PROTO_SAV_BERJANGKA)
        mb->sb += (int64_t)amount;
    cash_move(g, (int64_t)amount);
    return 0;
}

/* Kind 49 from sukarela by the kasir, countersigned on the member's own device. */
static int withdraw(struct gen *g, uint32_t m, uint64_t amount)
{
    const struct proto_savings_product *sp = product_of(g, PROTO_SAV_SUKARELA);
    static const unsigned pref[] = {BENDAHARA};
    uint8_t id[32];
    int rc;

    if (!sp)
        return -ENOENT;
    body_new(g, PROTO_KIND_WITHDRAW);
    g->b->u.withdraw.member = m;
    g->b->u.withdraw.date = g->ymd;
    snprintf(g->b->u.withdraw.product, sizeof g->b->u.withdraw.product, "%s", sp->code);
    g->b->u.withdraw.account = sp->account;
    g->b->u.withdraw.amount = amount;
    g->b->u.withdraw.cash_account = CASH;
    snprintf(g->b->u.withdraw.memo, sizeof g->b->u.withdraw.memo, "Penarikan simpanan sukarela");
    if ((rc = emit(g, KASIR, id)) < 0 ||
        (rc = member_signs(g, m, id, "Benar, saya menarik uang ini")) < 0 ||
        (rc = approve(g, id, PROTO_KIND_WITHDRAW, amount, KASIR, &m, 1, pref, 1)) < 0)
        return rc;
    g->mem[m].ss -= (int64_t)amount;
    cash_move(g, -(int64_t)amount);
    return 0;
}

/* A two-line journal-a (17): Dr debit / Cr credit, authored by author and approved per the
 * matrix (pengurus preferred in pref order). */
static int journal(struct gen *g, unsigned author, unsigned approver, uint32_t debit,
                   uint32_t credit, uint64_t amount, const char *memo)
{
    struct proto_journal *j = &g->b->u.ja.j;
    uint8_t id[32];
    int rc;

    body_new(g, PROTO_KIND_JOURNAL_A);
    j->date = g->ymd;
    snprintf(j->memo, PROTO_ACCT_MEMO_MAX + 1, "%s", memo);
    j->lines[0] = (struct proto_line){debit, 0, amount, 0};
    j->lines[1] = (struct proto_line){credit, 0, 0, amount};
    j->nlines = 2;
    if ((rc = emit(g, author, id)) < 0 ||
        (rc = approve(g, id, PROTO_KIND_JOURNAL_A, amount, author, NULL, 0, &approver, 1)) < 0)
        return rc;
    cash_move(g, debit == CASH ? (int64_t)amount : credit == CASH ? -(int64_t)amount : 0);
    return 0;
}

/* ---- loans ---- */

static const struct proto_loan_product *loan_product(struct gen *g, uint8_t method)
{
    for (uint32_t i = 0; i < g->P->nloans; i++)
        if (g->P->loans[i].method == method)
            return &g->P->loans[i];
    return g->P->nloans ? &g->P->loans[0] : NULL;
}

/* The member's savings as the `limit` rule counts them. */
static int64_t savings_of(const struct gen *g, uint32_t m)
{
    const struct member *mb = &g->mem[m];

    return mb->sp + mb->sw + mb->ss + mb->sb;
}

static uint32_t clamp32(uint32_t v, uint32_t lo, uint32_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static uint64_t clamp64(uint64_t v, uint64_t lo, uint64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Kind 56 on the borrower's phone, then the approvals the matrix asks for. */
static int loan_apply(struct gen *g, struct loan *l)
{
    static const char *const purpose[6] = {"",
                                           "Modal usaha warung",
                                           "Renovasi rumah",
                                           "Biaya sekolah anak",
                                           "Biaya berobat",
                                           "Keperluan keluarga"};
    const struct proto_loan_product *lp =
        loan_product(g, l->annuity ? PROTO_LOAN_ANNUITY : PROTO_LOAN_FLAT);
    struct proto_loan_apply *a;
    uint64_t principal = l->want;
    int rc;

    if (!lp)
        return -ENOENT;
    if (lp->savings_multiple_ppm) {
        /* Within the product's multiple of the borrower's savings, in steps of Rp500.000. */
        uint64_t sv = (uint64_t)savings_of(g, l->borrower);
        uint64_t cap = sv / 1000000 * lp->savings_multiple_ppm +
                       sv % 1000000 * lp->savings_multiple_ppm / 1000000;

        cap -= cap % 500000;
        if (cap < lp->principal_min) {
            lp = loan_product(g, PROTO_LOAN_FLAT); /* not enough savings: the flat product */
        } else if (principal > cap) {
            principal = cap;
        }
    }
    principal = clamp64(principal, lp->principal_min, lp->principal_max);
    l->lp = lp;
    body_new(g, PROTO_KIND_LOAN_APPLY);
    a = &g->b->u.apply;
    a->borrower = l->borrower;
    a->date = g->ymd;
    snprintf(a->product, sizeof a->product, "%s", lp->code);
    a->principal = principal;
    a->periods = clamp32(l->months, lp->periods_min, lp->periods_max);
    a->rate_ppm = lp->rate_period == 1 ? lp->rate_ppm * 12 : lp->rate_ppm;
    a->method = lp->method;
    a->rounding = g->P->rounding;
    a->receivable = lp->receivable;
    a->interest = lp->interest;
    a->penalty = lp->penalty;
    for (uint32_t k = 0; k < lp->nfees; k++) {
        uint64_t fee = lp->fees[k].value;

        if (lp->fees[k].type == 2 &&
            (rc = proto_loan_muldiv(principal, lp->fees[k].value, PROTO_LOAN_PPM, &g->P->rounding,
                                    &fee)) < 0)
            return rc;
        a->fees[a->nfees].account = lp->fees[k].account;
        a->fees[a->nfees++].amount = fee;
    }
    a->purpose = (uint8_t)(1 + below(g, 5));
    snprintf(a->memo, sizeof a->memo, "%s", purpose[a->purpose]);
    l->app = *a;
    if ((rc = emit(g, (unsigned)g->mem[l->borrower].dev, l->id)) < 0)
        return rc;
    return approve(g, l->id, PROTO_KIND_LOAN_APPLY, principal, (unsigned)g->mem[l->borrower].dev,
                   &l->borrower, 1, NULL, 0);
}

/* Kind 57 by the bendahara with the application's fees; the borrower confirms receipt. */
static int loan_disburse(struct gen *g, struct loan *l)
{
    struct proto_loan_disburse *d;
    struct proto_loan_terms t;
    uint64_t net = l->app.principal;
    uint8_t id[32];
    int rc;

    body_new(g, PROTO_KIND_LOAN_DISBURSE);
    d = &g->b->u.disburse;
    memcpy(d->loan, l->id, 32);
    d->date = g->ymd;
    d->gross = l->app.principal;
    d->cash_account = CASH;
    d->nfees = l->app.nfees;
    for (uint32_t k = 0; k < l->app.nfees; k++) {
        d->fees[k] = l->app.fees[k];
        net -= l->app.fees[k].amount;
    }
    snprintf(d->memo, sizeof d->memo, "Pencairan pinjaman %s", l->app.product);
    if ((rc = emit(g, BENDAHARA, id)) < 0 ||
        (rc = member_signs(g, l->borrower, id, "Uang pinjaman sudah saya terima")) < 0)
        return rc;
    memset(&t, 0, sizeof t);
    t.principal = l->app.principal;
    t.rate_ppm = l->app.rate_ppm;
    t.periods = l->app.periods;
    t.method = l->app.method;
    t.round = l->app.rounding;
    t.disbursed = g->day;
    l->s = malloc(sizeof *l->s);
    if (!l->s)
        return -ENOMEM;
    if ((rc = proto_loan_schedule_build(&t, l->s)) < 0)
        return rc;
    l->disburse_day = g->day;
    l->next = 1;
    cash_move(g, -(int64_t)net);
    return 0;
}

/* Kind 59 for installment k, as `saksi loan latefee` computes it: the product's rule on the
 * unpaid part of the installment for the days since it fell due. */
static int loan_late_fee(struct gen *g, struct loan *l, uint32_t k)
{
    const struct proto_loan_installment *in = &l->s->inst[k - 1];
    struct proto_loan_late_rule rule;
    uint64_t fee = 0;
    int rc;

    if (!l->lp->has_late)
        return 0;
    memset(&rule, 0, sizeof rule);
    rule.basis = l->lp->late_basis;
    rule.rate_ppm = l->lp->late_rate_ppm;
    rule.round = g->P->rounding;
    rc = proto_loan_late_fee(&rule, in->total, in->due, g->day, &fee);
    if (rc < 0 || fee == 0)
        return rc;
    body_new(g, PROTO_KIND_LATE_FEE);
    memcpy(g->b->u.latefee.loan, l->id, 32);
    g->b->u.latefee.date = g->ymd;
    g->b->u.latefee.installment = k;
    g->b->u.latefee.amount = fee;
    snprintf(g->b->u.latefee.memo, sizeof g->b->u.latefee.memo,
             "Denda keterlambatan angsuran ke-%u", k);
    if ((rc = emit(g, KASIR, NULL)) < 0)
        return rc;
    l->fees += fee;
    return 0;
}

/* Kind 58 by the kasir: what is due today (penalty, interest, principal) and the installment. */
static int loan_repay(struct gen *g, struct loan *l, uint32_t k)
{
    const struct proto_loan_schedule *s = l->s;
    struct proto_loan_due due;
    struct proto_loan_alloc a;
    struct proto_loan_repay *r;
    uint64_t si = 0, spr = 0, amount;
    uint8_t id[32];
    int rc;

    for (uint32_t n = 0; n < s->n && s->inst[n].due <= g->day; n++) {
        si += s->inst[n].interest;
        spr += s->inst[n].principal;
    }
    due.penalty = l->fees - l->fees_paid;
    due.interest = si > l->paid_i ? si - l->paid_i : 0;
    due.principal = spr > l->paid_p ? spr - l->paid_p : 0;
    amount = due.penalty + s->inst[k - 1].total;
    if ((rc = proto_loan_allocate(&due, amount, &a)) < 0)
        return rc;
    body_new(g, PROTO_KIND_LOAN_REPAY);
    r = &g->b->u.repay;
    memcpy(r->loan, l->id, 32);
    r->date = g->ymd;
    r->penalty = a.penalty;
    r->interest = a.interest;
    r->principal = a.principal + a.excess; /* as the CLI: the rest prepays principal */
    r->cash_account = CASH;
    snprintf(r->memo, sizeof r->memo, "Angsuran ke-%u dari %u", k, s->n);
    l->fees_paid += r->penalty; /* (before the acknowledgement reuses the scratch body) */
    l->paid_i += r->interest;
    l->paid_p += r->principal;
    cash_move(g, (int64_t)amount);
    if ((rc = emit(g, KASIR, id)) < 0)
        return rc;
    if (chance(g, 1, 2) && (rc = member_signs(g, l->borrower, id, "Angsuran diterima")) < 0)
        return rc;
    return 0;
}

/* Today's loan events: repayments due (or late), applications, disbursements. */
static int loans_day(struct gen *g)
{
    int rc;

    for (unsigned i = 0; i < NLOANS; i++) {
        struct loan *l = &g->loan[i];

        if (l->stage == 2) {
            const struct proto_loan_installment *in = &l->s->inst[l->next - 1];

            if (l->plan == PLAN_MACET && l->next > 1) {
                l->stage = 3; /* stops paying after the first installment */
            } else if (l->plan == PLAN_LATE && l->next == l->late_inst) {
                if (g->day == in->due + (int32_t)l->late_days) {
                    if ((rc = loan_late_fee(g, l, l->next)) < 0 ||
                        (rc = loan_repay(g, l, l->next)) < 0)
                        return rc;
                    l->next++;
                }
            } else if (g->day == in->due) {
                if ((rc = loan_repay(g, l, l->next)) < 0)
                    return rc;
                l->next++;
            }
            if (l->next > l->s->n)
                l->stage = 3; /* lunas */
        } else if (l->stage == 1 && g->day == l->disburse_day) {
            uint64_t net = l->app.principal;

            for (uint32_t k = 0; k < l->app.nfees; k++)
                net -= l->app.fees[k].amount;
            if (g->cash - (int64_t)net < 2000000) {
                l->disburse_day += 7; /* not enough in the till: paid out a week later */
                continue;
            }
            if ((rc = loan_disburse(g, l)) < 0)
                return rc;
            l->stage = 2;
        } else if (l->stage == 0 && g->ymd == l->apply) {
            if ((rc = loan_apply(g, l)) < 0)
                return rc;
            l->stage = 1;
            l->disburse_day = g->day + 2; /* paid out two days after the application */
        }
    }
    return 0;
}

/* ---- the year ---- */

/* January: the founders first (2 January), the others over the following days; each pays the
 * simpanan pokok (40), the month's wajib and an opening sukarela deposit (48). */
static int admissions_day(struct gen *g)
{
    char memo[80];
    int rc;

    for (uint32_t m = 1; m <= NMEMBERS; m++) {
        if (g->mem[m].admit_day != g->mday)
            continue;
        if ((rc = admit(g, m)) < 0)
            return rc;
        snprintf(memo, sizeof memo, "Simpanan wajib %s %u", month_name[1], YEAR);
        if ((rc = deposit(g, m, PROTO_SAV_WAJIB, g->P->wajib, memo)) < 0 ||
            (rc = deposit(g, m, PROTO_SAV_SUKARELA, 500000 * (uint64_t)(1 + below(g, 16)),
                          "Setoran awal simpanan sukarela")) < 0)
            return rc;
    }
    return 0;
}

/* Wajib on each member's day, sukarela deposits at random, withdrawals by members with a
 * device (never below zero, never more cash than the till holds beyond Rp5.000.000). */
static int savings_day(struct gen *g)
{
    char memo[80];
    int rc;

    for (uint32_t m = 1; m <= NMEMBERS; m++) {
        struct member *mb = &g->mem[m];

        if (!mb->admitted || mb->admitted == g->ymd || (mb->exited && g->ymd >= mb->exited))
            continue;
        if (g->month > 1 && mb->wajib_day == g->mday) {
            snprintf(memo, sizeof memo, "Simpanan wajib %s %u", month_name[g->month], YEAR);
            if ((rc = deposit(g, m, PROTO_SAV_WAJIB, g->P->wajib, memo)) < 0)
                return rc;
        }
        if (chance(g, 1, 20) &&
            (rc = deposit(g, m, PROTO_SAV_SUKARELA, 25000 * (uint64_t)(1 + below(g, 16)),
                          "Setoran simpanan sukarela")) < 0)
            return rc;
        if (mb->dev >= 0 && mb->ss >= 200000 && chance(g, 1, 40)) {
            uint64_t w = (uint64_t)mb->ss * (10 + below(g, 50)) / 100;

            w -= w % 50000;
            if (w >= 50000 && g->cash - (int64_t)w >= 5000000 && (rc = withdraw(g, m, w)) < 0)
                return rc;
        }
    }
    /* One berjangka placement (12 months) by the member with the most sukarela, in March. */
    if (g->month == 3 && g->mday == 17 && product_of(g, PROTO_SAV_BERJANGKA)) {
        uint32_t best = 1;

        for (uint32_t m = 2; m <= NMEMBERS; m++)
            if (g->mem[m].ss > g->mem[best].ss && !g->mem[m].exited)
                best = m;
        if ((rc = deposit(g, best, PROTO_SAV_BERJANGKA, 10000000, "Simpanan berjangka 12 bulan")) <
            0)
            return rc;
    }
    return 0;
}

/* The office's running costs, each a journal-a with its approvals, and the LPDB loan. */
static int expenses_day(struct gen *g)
{
    char memo[120];
    int rc = 0;

    if (g->month == 2 && g->mday == 3)
        rc = journal(g, BENDAHARA, KETUA, CASH, 2500, 30000000,
                     "Pinjaman modal kerja dari LPDB, akad 2025");
    if (rc == 0 && g->month >= 3 && g->mday == 15) {
        snprintf(memo, sizeof memo, "Bunga pinjaman LPDB %s %u", month_name[g->month], YEAR);
        rc = journal(g, BENDAHARA, KETUA, 5120, CASH, 300000, memo);
    }
    if (rc == 0 && g->mday == 10) {
        snprintf(memo, sizeof memo, "Listrik dan air kantor %s %u", month_name[g->month], YEAR);
        rc = journal(g, KASIR, BENDAHARA, 5240, CASH, 150000 + 500 * (uint64_t)below(g, 300), memo);
    }
    if (rc == 0 && (g->mday == 6 || g->mday == 20) && chance(g, 3, 5))
        rc = journal(g, KASIR, BENDAHARA, 5240, CASH, 50000 + 5000 * (uint64_t)below(g, 41),
                     "Pembelian ATK dan fotokopi");
    if (rc == 0 && g->mday == 25) {
        snprintf(memo, sizeof memo, "Gaji karyawan %s %u (staf administrasi, paruh waktu)",
                 month_name[g->month], YEAR);
        rc = journal(g, KASIR, BENDAHARA, 5200, CASH, 1200000, memo);
    }
    if (rc == 0 && g->mday == 28) {
        snprintf(memo, sizeof memo, "Honor pengurus dan pengawas %s %u", month_name[g->month],
                 YEAR);
        rc = journal(g, KASIR, KETUA, 5210, CASH, 300000, memo);
    }
    return rc;
}

/* One member without a loan leaves at the end of August (41, countersigned on their phone) and
 * is paid out on 1 September (42: pokok and wajib from the refunds account, sukarela), after
 * August's interest is credited that morning: their sukarela then earns nothing in September,
 * so no interest arrives after the settlement (daily balance: any day with a balance earns). */
static int exit_day(struct gen *g)
{
    uint32_t m = g->exit_member;
    struct member *mb = &g->mem[m];
    static const unsigned pref[] = {KETUA};
    int rc;

    if (!m)
        return 0;
    if (g->ymd == YEAR * 10000 + 829) {
        body_new(g, PROTO_KIND_MEMBER_EXIT);
        g->b->u.exit.member = m;
        g->b->u.exit.date = g->ymd;
        g->b->u.exit.reason = PROTO_EXIT_OWN;
        g->b->u.exit.pokok = (uint64_t)mb->sp;
        g->b->u.exit.wajib = (uint64_t)mb->sw;
        g->b->u.exit.pokok_account = product_of(g, PROTO_SAV_POKOK)->account;
        g->b->u.exit.wajib_account = product_of(g, PROTO_SAV_WAJIB)->account;
        g->b->u.exit.refund_account = REFUNDS;
        snprintf(g->b->u.exit.memo, sizeof g->b->u.exit.memo,
                 "Berhenti atas permintaan sendiri (pindah ke luar kota)");
        if ((rc = emit(g, SEKRETARIS, g->exit_id)) < 0 ||
            (rc = member_signs(g, m, g->exit_id, "Saya mengajukan berhenti")) < 0 ||
            (rc = approve(g, g->exit_id, PROTO_KIND_MEMBER_EXIT, (uint64_t)(mb->sp + mb->sw),
                          SEKRETARIS, &m, 1, pref, 1)) < 0)
            return rc;
        mb->exited = g->ymd;
    } else if (g->ymd == YEAR * 10000 + 901) {
        struct proto_exit_settle *s;
        uint64_t refund = (uint64_t)(mb->sp + mb->sw), amount;
        uint8_t id[32];

        body_new(g, PROTO_KIND_EXIT_SETTLE);
        s = &g->b->u.settle;
        s->member = m;
        s->date = g->ymd;
        memcpy(s->exit, g->exit_id, 32);
        s->refund = refund;
        s->refund_account = REFUNDS;
        if (mb->ss > 0) {
            s->savings[0].account = product_of(g, PROTO_SAV_SUKARELA)->account;
            s->savings[0].amount = (uint64_t)mb->ss;
            s->nsavings = 1;
        }
        s->cash_account = CASH;
        snprintf(s->memo, sizeof s->memo, "Pengembalian simpanan anggota keluar no. %u", m);
        amount = refund + (uint64_t)mb->ss;
        if ((rc = emit(g, BENDAHARA, id)) < 0 ||
            (rc = member_signs(g, m, id, "Pengembalian simpanan sudah saya terima")) < 0 ||
            (rc = approve(g, id, PROTO_KIND_EXIT_SETTLE, amount, BENDAHARA, &m, 1, pref, 1)) < 0)
            return rc;
        cash_move(g, -(int64_t)amount);
        mb->sp = mb->sw = mb->ss = 0;
    }
    return 0;
}

/* ---- savings interest (kind 50) ---- */

/*
 * The books of every entry written so far, derived, into *out (the caller's: books_free): the
 * genesis and its roster, then each record of g->out, as `saksi` loads them from its store
 * (store/books_load.c). Every generated entry is applied: one chain per device, no forks.
 */
static int books_so_far(struct gen *g, struct books **out)
{
    struct proto_genesis *gn = NULL;
    struct books *bk = NULL;
    struct proto_entry e;
    size_t off = 0;
    int rc = 0;

    *out = NULL;
    while (off + 4 <= g->out.len && rc == 0) {
        const uint8_t *p = g->out.data + off;
        size_t n = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];

        if (off + 4 + n > g->out.len) {
            rc = ERR_TRUNC;
            break;
        }
        off += 4 + n;
        if ((rc = proto_entry_parse(p + 4, n, &e)) < 0)
            break;
        if (e.kind == PROTO_KIND_GENESIS) {
            if (bk) {
                rc = ERR_GENESIS;
                break;
            }
            if ((rc = proto_genesis_decode(e.body, e.body_len, &gn)) < 0 ||
                (rc = books_new(gn, g->ledger, e.author, &bk)) < 0)
                break;
            for (uint32_t i = 0; i < gn->nroster && rc == 0; i++)
                rc = books_device(bk, &gn->roster[i]);
            continue;
        }
        if (!bk) {
            rc = ERR_GENESIS;
            break;
        }
        rc = books_entry(bk, e.id, e.author, e.seq, e.kind, e.body, e.body_len);
    }
    if (rc == 0 && !bk)
        rc = ERR_GENESIS;
    if (rc == 0)
        rc = books_derive(bk);
    if (rc == 0) {
        *out = bk;
        bk = NULL;
    }
    books_free(bk);
    proto_genesis_free(gn);
    return rc;
}

/*
 * The month that ends today: for each savings product with interest, the rows proto/savings.h
 * gives over the books so far (everything dated in the month is written by now; the books'
 * own check of the entry recomputes exactly these), kept for interest_day.
 */
static int month_interest(struct gen *g)
{
    struct books *bk = NULL;
    double t0 = now_s();
    int rc;

    g->ndue = 0;
    if ((rc = books_so_far(g, &bk)) < 0)
        return rc;
    for (uint32_t i = 0; i < g->P->nsavings && rc == 0; i++) {
        const struct proto_savings_product *sp = &g->P->savings[i];

        if (sp->method == PROTO_SAVM_NONE || sp->rate_ppm == 0)
            continue;
        if (g->ndue == NIPROD) {
            rc = -EOVERFLOW;
            break;
        }
        rc = proto_savings_expected(bk, g->ymd / 100, sp->code, &g->due[g->ndue]);
        if (rc == 0)
            g->ndue++;
    }
    books_free(bk);
    g->books_s += now_s() - t0;
    return rc;
}

/* Adds the interest net of tax to the member's balance of the product (class). */
static void interest_credit(struct gen *g, uint8_t class, uint32_t m, int64_t net)
{
    if (m < 1 || m > NMEMBERS)
        return;
    if (class == PROTO_SAV_SUKARELA)
        g->mem[m].ss += net;
    else if (class == PROTO_SAV_BERJANGKA)
        g->mem[m].sb += net;
}

/*
 * The kasir records last month's interest (kind 50, one entry per product, as `saksi interest
 * post --month M --product P --date today` writes it) first thing on the month's first day; a
 * pengurus approves it. Rows with gross 0 are left out, as the CLI leaves them out.
 */
static int interest_day(struct gen *g)
{
    static const unsigned pref[] = {BENDAHARA};
    char memo[80];
    int rc = 0;

    for (unsigned k = 0; k < g->ndue && rc == 0; k++) {
        struct proto_savings_rows *r = &g->due[k];
        const struct proto_savings_product *sp = &r->product;
        struct proto_interest *in;
        uint8_t id[32];
        uint64_t amount;

        body_new(g, PROTO_KIND_INTEREST);
        in = &g->b->u.interest;
        in->period = r->period;
        in->date = g->ymd;
        snprintf(in->product, sizeof in->product, "%s", sp->code);
        in->method = sp->method;
        in->rate_ppm = sp->rate_ppm;
        in->expense_account = sp->expense_account;
        in->account = sp->account;
        in->tax_account = TAX;
        for (size_t i = 0; i < r->n; i++) {
            if (r->rows[i].gross == 0)
                continue;
            if (in->nrows == PROTO_ACCT_INTEREST_ROWS_MAX) {
                rc = -EOVERFLOW; /* 50 members: never */
                break;
            }
            in->rows[in->nrows++] = (struct proto_interest_row){r->rows[i].member, r->rows[i].basis,
                                                                r->rows[i].gross, r->rows[i].tax};
        }
        if (rc < 0 || in->nrows == 0)
            continue; /* nobody earned this product's interest this month */
        snprintf(memo, sizeof memo, "Jasa simpanan %s %s %u",
                 sp->class == PROTO_SAV_BERJANGKA ? "berjangka" : "sukarela",
                 month_name[r->period % 100], r->period / 100);
        snprintf(in->memo, sizeof in->memo, "%s", memo);
        amount = proto_acct_amount(g->b);
        for (uint32_t i = 0; i < in->nrows; i++)
            interest_credit(g, sp->class, in->rows[i].member,
                            (int64_t)(in->rows[i].gross - in->rows[i].tax));
        g->interest_sum += amount;
        if ((rc = emit(g, KASIR, id)) < 0 ||
            (rc = approve(g, id, PROTO_KIND_INTEREST, amount, KASIR, NULL, 0, pref, 1)) < 0)
            break;
    }
    for (unsigned k = 0; k < g->ndue; k++)
        proto_savings_rows_release(&g->due[k]);
    g->ndue = 0;
    return rc;
}

/* Every business event of one day, in a fixed order: last month's interest first. */
static int day_run(struct gen *g)
{
    int rc;

    g->tick = 0;
    if (g->mday == 1 && (rc = interest_day(g)) < 0)
        return rc;
    if (g->month == 1 && (rc = admissions_day(g)) < 0)
        return rc;
    if ((rc = savings_day(g)) < 0 || (rc = loans_day(g)) < 0 || (rc = expenses_day(g)) < 0 ||
        (rc = exit_day(g)) < 0)
        return rc;
    return 0;
}

/* Hooks: month_begin (nothing yet), month_end (the month's savings interest, posted on the
 * next month's first day), year_end (December's interest, posted on 1 January of the next
 * year). The close, the RAT resolution and the SHU allocation and payments (kinds 35, 34, 72,
 * 73) are not generated: `make demo` (tests/demo.sh) runs them through the CLI, as the board
 * does in January. */
static int month_begin(struct gen *g)
{
    (void)g;
    return 0;
}

static int month_end(struct gen *g)
{
    return month_interest(g);
}

/* The kasir's first morning of the next year: December's interest, with its approval. */
static int year_end(struct gen *g)
{
    int rc;

    if ((rc = proto_day_from_ymd((YEAR + 1) * 10000 + 101, &g->day)) < 0 ||
        (rc = ymd_of(g->day, &g->ymd)) < 0)
        return rc;
    g->month = g->ymd / 100 % 100;
    g->mday = g->ymd % 100;
    g->tick = 0;
    return interest_day(g);
}

static int year_run(struct gen *g)
{
    int32_t d0, d1;
    int rc;

    if ((rc = proto_day_from_ymd(YEAR * 10000 + 101, &d0)) < 0 ||
        (rc = proto_day_from_ymd(YEAR * 10000 + 1231, &d1)) < 0)
        return rc;
    for (g->day = d0; g->day <= d1; g->day++) {
        uint32_t next;

        if ((rc = ymd_of(g->day, &g->ymd)) < 0 || (rc = ymd_of(g->day + 1, &next)) < 0)
            return rc;
        g->month = g->ymd / 100 % 100;
        g->mday = g->ymd % 100;
        if (g->mday == 1 && (rc = month_begin(g)) < 0)
            return rc;
        if ((rc = day_run(g)) < 0)
            return rc;
        if (next % 100 == 1 && (rc = month_end(g)) < 0)
            return rc;
    }
    return year_end(g);
}

/* ---- set-up: devices, members, loans, genesis ---- */

static int devices_make(struct gen *g, struct proto_keys **keys)
{
    static const char *const names[NOFFICERS] = {"ketua",      "sekretaris", "bendahara",
                                                 "pengawas-1", "pengawas-2", "kasir"};
    static const uint8_t roles[NOFFICERS] = {PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS,
                                             PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGAWAS,
                                             PROTO_ROLE_PENGAWAS, PROTO_ROLE_KASIR};
    static const uint8_t offices[NOFFICERS] = {PROTO_OFFICE_KETUA,     PROTO_OFFICE_SEKRETARIS,
                                               PROTO_OFFICE_BENDAHARA, PROTO_OFFICE_NONE,
                                               PROTO_OFFICE_NONE,      PROTO_OFFICE_NONE};
    uint8_t secret[64];
    int rc = 0;

    for (unsigned i = 0; i < NDEV && rc == 0; i++) {
        struct dev *d = &g->dev[i];

        for (unsigned w = 0; w < 8; w++) {
            uint64_t x = tstream_mix(g->seed * 0x100000001b3ULL + i * 8 + w + 0x6b6579ULL);

            memcpy(secret + 8 * w, &x, 8);
        }
        rc = tstream_keys(secret, &keys[i]);
        d->f.k = keys[i];
        d->member = i + 1;
        d->role = i < NOFFICERS ? roles[i] : PROTO_ROLE_ANGGOTA;
        d->office = i < NOFFICERS ? offices[i] : PROTO_OFFICE_NONE;
        if (i < NOFFICERS)
            snprintf(d->file, sizeof d->file, "%s.key", names[i]);
        else
            snprintf(d->file, sizeof d->file, "anggota-%02u.key", i + 1);
    }
    proto_memzero(secret, sizeof secret);
    for (unsigned w = 0; w < 4; w++) {
        uint64_t x = tstream_mix(g->seed ^ (0x6e65746b6579ULL + w));

        memcpy(g->netkey + 8 * w, &x, 8);
    }
    return rc;
}

/* Members: who joins on which day of January, pays wajib on which day; the loan plan. */
static void plan_make(struct gen *g)
{
    uint32_t pool[NDEV - NOFFICERS];
    unsigned np = 0;

    for (uint32_t m = 1; m <= NMEMBERS; m++) {
        struct member *mb = &g->mem[m];

        mb->dev = m <= NDEV ? (int)(m - 1) : -1;
        mb->admit_day = (uint8_t)(m <= NOFFICERS ? 2 : 3 + below(g, 8)); /* 2..10 January */
        mb->wajib_day = (uint8_t)(1 + below(g, 20));
    }
    /* Borrowers: members with their own phone (officers borrowing would be officer-loans). */
    for (uint32_t m = NOFFICERS + 1; m <= NDEV; m++)
        pool[np++] = m;
    for (unsigned i = np - 1; i > 0; i--) {
        unsigned j = below(g, i + 1);
        uint32_t t = pool[i];

        pool[i] = pool[j];
        pool[j] = t;
    }
    g->exit_member = pool[np - 1]; /* pool[22..24] never borrow; the last one leaves */
    for (unsigned i = 0; i < NLOANS; i++) {
        struct loan *l = &g->loan[i];
        static const uint8_t pu_months[6] = {6, 10, 12, 12, 18, 24};
        static const uint8_t pa_months[4] = {12, 18, 24, 36};
        int32_t day;

        /* Loans 0..21: one per borrower pool[0..21], applied for from mid-January to July
         * (21: the loan that goes bad, 18..20: one installment late each); 22..29: a second
         * loan for pool[0..7], whose loans are paid on time, from July to October. */
        l->borrower = pool[i < 22 ? i : i - 22];
        l->plan = i == 21 ? PLAN_MACET : i >= 18 && i <= 20 ? PLAN_LATE : PLAN_ONTIME;
        l->annuity = l->plan == PLAN_ONTIME && chance(g, 2, 5);
        if (l->annuity) {
            l->want = 1000000 * (uint64_t)(5 + below(g, 36));
            l->months = pa_months[below(g, 4)];
        } else {
            l->want = 1000000 * (uint64_t)(2 + below(g, 19));
            l->months = pu_months[below(g, 6)];
        }
        if (proto_day_from_ymd(YEAR * 10000 + 113, &day) < 0)
            day = 0;
        if (l->plan == PLAN_MACET) {
            l->want = 6000000;
            l->months = 12;
        } else if (i < 22) {
            day += 7 + (int32_t)(i * 8 + below(g, 5));
        } else {
            day += 170 + (int32_t)((i - 22) * 14 + below(g, 7));
        }
        (void)ymd_of(day, &l->apply);
        l->late_inst = 2 + below(g, 3);
        l->late_days = 5 + below(g, 16);
    }
}

static int genesis_make(struct gen *g, struct proto_keys *const *keys)
{
    struct proto_account *acc = NULL;
    struct proto_device roster[NDEV];
    struct proto_genesis gn;
    uint32_t i;
    int rc;

    memset(&gn, 0, sizeof gn);
    snprintf(gn.name, sizeof gn.name, "Koperasi Simpan Pinjam Maju Bersama");
    snprintf(gn.registration, sizeof gn.registration, "412/BH/XIII.4/2024");
    memcpy(gn.currency, "IDR", 4);
    acc = calloc(proto_chart_standard_n(), sizeof *acc);
    if (!acc)
        return -ENOMEM;
    for (size_t k = 0; k < proto_chart_standard_n(); k++)
        proto_chart_standard(k, &acc[k]);
    gn.naccounts = (uint32_t)proto_chart_standard_n();
    gn.accounts = acc;
    memset(roster, 0, sizeof roster);
    for (i = 0; i < NDEV; i++) {
        roster[i].member = g->dev[i].member;
        roster[i].role = g->dev[i].role;
        roster[i].office = g->dev[i].office;
        memcpy(roster[i].sign_pk, keys[i]->sign_pk, 32);
        memcpy(roster[i].box_pk, keys[i]->box_pk, 32);
        proto_card_sign(keys[i], roster[i].card_sig);
    }
    gn.nroster = NDEV;
    gn.roster = roster;
    /* As `saksi init --params`: nobody may author kind 16 (journals are kind 17). */
    proto_policy_default(&gn.policy);
    for (i = 0; i < gn.policy.nrules; i++)
        if (gn.policy.rules[i].kind == PROTO_KIND_JOURNAL)
            break;
    if (i == gn.policy.nrules) {
        if (i >= PROTO_RULES_MAX) {
            free(acc);
            return -EOVERFLOW;
        }
        gn.policy.nrules++;
    }
    gn.policy.rules[i].kind = PROTO_KIND_JOURNAL;
    gn.policy.rules[i].roles = 0;
    proto_netkey_commit(g->netkey, gn.netkey_commit);
    proto_buf_reset(&g->body);
    rc = proto_genesis_check(&gn);
    if (rc == 0)
        rc = proto_genesis_encode(&gn, &g->body);
    if (rc == 0) {
        /* Founded at 07:00 WIB (00:00 UTC) on 2 January, before the day's business. */
        rc = tstream_record(&g->dev[KETUA].f, &g->out, NULL, (uint64_t)g->day * 86400000ULL,
                            PROTO_KIND_GENESIS, g->body.data, g->body.len, g->ledger);
        g->entries++;
    }
    /* The founding parameters at seq 2 of the same feed (ACCOUNTING.md 1.1). */
    if (rc == 0) {
        struct proto_params_problem why;

        rc = proto_params_check(g->P, &gn, NULL, 0, &why);
        if (rc < 0)
            fprintf(stderr, "saksi-gen: the parameters do not fit the chart: %s\n",
                    proto_params_problem_str(why.kind));
    }
    proto_buf_reset(&g->body);
    if (rc == 0)
        rc = proto_params_encode(g->P, &g->body);
    if (rc == 0) {
        rc = tstream_record(&g->dev[KETUA].f, &g->out, g->ledger,
                            (uint64_t)g->day * 86400000ULL + 1000, PROTO_KIND_PARAMS, g->body.data,
                            g->body.len, NULL);
        g->entries++;
    }
    free(acc);
    return rc;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end != '\0' || s[0] == '-')
        return -EINVAL;
    *out = v;
    return 0;
}

static void summary(const struct gen *g, double t0)
{
    char hex[65];
    unsigned late = 0, macet = 0, annuity = 0, loans = 0, stmt = 0;

    for (unsigned i = 0; i < NLOANS; i++) {
        const struct loan *l = &g->loan[i];

        if (!l->s)
            continue;
        loans++;
        annuity += l->app.method == PROTO_LOAN_ANNUITY;
        if (l->fees) {
            late++;
            if (!stmt)
                stmt = l->borrower;
        }
        macet += l->plan == PLAN_MACET && l->stage == 3;
    }
    proto_hex(g->ledger, 32, hex);
    printf("ledger_id=%s\nseed=%llu\nentries=%llu\nmembers=%u\ndevices=%u\n", hex,
           (unsigned long long)g->seed, (unsigned long long)g->entries, NMEMBERS, NDEV);
    printf("admit=%llu\ndeposit=%llu\nwithdraw=%llu\nsign=%llu\njournal_a=%llu\n",
           (unsigned long long)g->nkind[40], (unsigned long long)g->nkind[48],
           (unsigned long long)g->nkind[49], (unsigned long long)g->nkind[33],
           (unsigned long long)g->nkind[17]);
    printf("interest=%llu\ninterest_gross=%llu\n", (unsigned long long)g->nkind[50],
           (unsigned long long)g->interest_sum);
    printf("loans=%u\nloans_annuity=%u\nloans_late=%u\nloans_macet=%u\nrepay=%llu\nlate_fee=%llu\n",
           loans, annuity, late, macet, (unsigned long long)g->nkind[58],
           (unsigned long long)g->nkind[59]);
    for (unsigned i = 0; i < NLOANS; i++)
        if (g->loan[i].plan == PLAN_MACET && g->loan[i].stage == 3)
            printf("macet_member=%u\n", g->loan[i].borrower);
    printf("exit_member=%u\nstatement_member=%u\nbendahara_key=%s\n", g->exit_member, stmt,
           g->dev[BENDAHARA].file);
    printf("cash_end=%lld\ncash_min=%lld\nseconds=%.3f\nseconds_books=%.3f\n", (long long)g->cash,
           (long long)g->cash_min, now_s() - t0, g->books_s);
}

int main(int argc, char **argv)
{
    struct proto_keys *keys[NDEV] = {NULL};
    const char *keydir = NULL, *file;
    const char *names[NDEV];
    struct gen *g = NULL;
    double t0 = now_s();
    uint64_t seed = 1;
    FILE *f = NULL;
    int rc = 0, arg = 1;

    for (; arg + 1 < argc && argv[arg][0] == '-'; arg += 2) {
        if (strcmp(argv[arg], "--seed") == 0 && parse_u64(argv[arg + 1], &seed) == 0)
            continue;
        if (strcmp(argv[arg], "--keys") == 0) {
            keydir = argv[arg + 1];
            continue;
        }
        break;
    }
    if (argc != arg + 1 || argv[arg][0] == '-') {
        fprintf(stderr, "usage: saksi-gen [--seed N] [--keys DIR] FILE\n");
        return 2;
    }
    file = argv[arg];
    if (proto_crypto_init() < 0) {
        fprintf(stderr, "saksi-gen: cannot initialise the crypto library\n");
        return 1;
    }
    g = calloc(1, sizeof *g);
    if (!g || !(g->P = calloc(1, sizeof *g->P)) || !(g->b = malloc(sizeof *g->b))) {
        fprintf(stderr, "saksi-gen: out of memory\n");
        rc = -ENOMEM;
        goto out;
    }
    g->seed = seed;
    g->cash_min = INT64_MAX;
    proto_buf_init(&g->out);
    proto_buf_init(&g->body);
    proto_params_default(g->P, YEAR * 10000 + 101);
    if ((rc = devices_make(g, keys)) < 0) {
        fprintf(stderr, "saksi-gen: keys: %s\n", err_str(rc));
        goto out;
    }
    plan_make(g);
    if ((rc = proto_day_from_ymd(YEAR * 10000 + 102, &g->day)) < 0 ||
        (rc = genesis_make(g, keys)) < 0) {
        fprintf(stderr, "saksi-gen: genesis: %s\n", err_str(rc));
        goto out;
    }
    if ((rc = year_run(g)) < 0) {
        fprintf(stderr, "saksi-gen: %u: %s\n", g->ymd, err_str(rc));
        goto out;
    }
    if (g->cash_min < 0) {
        fprintf(stderr, "saksi-gen: the till went below zero (Rp%lld)\n", (long long)g->cash_min);
        rc = -ERANGE;
        goto out;
    }
    if (keydir) {
        for (unsigned i = 0; i < NDEV; i++)
            names[i] = g->dev[i].file;
        if ((rc = tstream_keys_dir(keydir, g->netkey, keys, names, NDEV)) < 0) {
            fprintf(stderr, "saksi-gen: %s: %s\n", keydir, err_str(rc));
            goto out;
        }
    }
    f = fopen(file, "wb");
    if (!f || fwrite(TSTREAM_MAGIC, 1, 8, f) != 8 ||
        fwrite(g->out.data, 1, g->out.len, f) != g->out.len || fflush(f) != 0) {
        fprintf(stderr, "saksi-gen: %s: %s\n", file, strerror(errno ? errno : EIO));
        rc = -EIO;
        goto out;
    }
    summary(g, t0);
out:
    if (f && fclose(f) != 0 && rc == 0)
        rc = -EIO;
    for (unsigned i = 0; i < NDEV; i++)
        proto_keys_free(keys[i]);
    if (g) {
        for (unsigned i = 0; i < NLOANS; i++)
            free(g->loan[i].s);
        for (unsigned k = 0; k < NIPROD; k++)
            proto_savings_rows_release(&g->due[k]);
        proto_buf_release(&g->out);
        proto_buf_release(&g->body);
        free(g->P);
        free(g->b);
    }
    free(g);
    return rc < 0 ? 1 : 0;
}
