/*
 * The period reports of proto/report.h (docs/ACCOUNTING.md 6.3, 6.4, 6.5, 6.8): the laporan
 * hasil usaha with its SHU proposal, the changes in equity, the direct cash flow and the SHU
 * per member. A small koperasi year is worked by hand below, every figure written out in the
 * comments and asserted; then the invariants on several as-of dates (equity closing = neraca,
 * the cash flow reconciles, the proposal spends all of the SHU, shares + residual = pool),
 * KOPERASI.md 5.3's Siti example end to end through the books, and the order independence of
 * the new reports' bytes.
 *
 * Entries are not signed: the books take (id, author, seq, kind, body) of entries the store has
 * verified, so the test names ids and authors directly (as tests/unit/test_books.c does; the
 * helpers below are a copy of its small ones).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/acct.h"
#include "proto/books.h"
#include "proto/chart.h"
#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/loan.h"
#include "proto/merkle.h"
#include "proto/mp.h"
#include "proto/params.h"
#include "proto/report.h"
#include "tests/unit/hist.h"

/* ---- the small koperasi of tests/unit/hist.h ---- */

static size_t admit(struct hist *h, uint32_t m, uint32_t date, uint64_t pokok)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_MEMBER_ADMIT);
    size_t i;

    b->u.admit.member = m;
    b->u.admit.date = date;
    b->u.admit.class = PROTO_CLASS_BIASA;
    b->u.admit.pokok = pokok;
    b->u.admit.pokok_account = 3100;
    b->u.admit.cash_account = 1100;
    i = add(h, KETUA, b); /* a pengurus admitting is the one approval it needs */
    free(b);
    return i;
}

static size_t sign(struct hist *h, int d, size_t target)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_SIGN);
    size_t i;

    memcpy(b->u.sign.target, h->e[target].id, 32);
    b->u.sign.decision = PROTO_SIGN_APPROVE;
    i = add(h, d, b);
    free(b);
    return i;
}

static size_t deposit(struct hist *h, uint32_t m, uint32_t date, const char *product,
                      uint32_t account, uint64_t amount)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_DEPOSIT);
    size_t i;

    b->u.deposit.member = m;
    b->u.deposit.date = date;
    strcpy(b->u.deposit.product, product);
    b->u.deposit.account = account;
    b->u.deposit.amount = amount;
    b->u.deposit.cash_account = 1100;
    i = add(h, KASIR, b);
    free(b);
    return i;
}

/* A withdrawal, countersigned by the member's phone (countersign [49, 1]). */
static size_t withdraw(struct hist *h, int phone, uint32_t m, uint32_t date, const char *product,
                       uint32_t account, uint64_t amount)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_WITHDRAW);
    size_t i;

    b->u.withdraw.member = m;
    b->u.withdraw.date = date;
    strcpy(b->u.withdraw.product, product);
    b->u.withdraw.account = account;
    b->u.withdraw.amount = amount;
    b->u.withdraw.cash_account = 1100;
    i = add(h, KASIR, b);
    free(b);
    sign(h, phone, i);
    return i;
}

/* A journal-a by the ketua: Dr dr(dm) / Cr cr(cm), approved as the matrix needs. */
static size_t journal(struct hist *h, uint32_t date, uint32_t dr, uint32_t dm, uint32_t cr,
                      uint32_t cm, uint64_t amount)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_JOURNAL_A);
    size_t i;

    b->u.ja.j.date = date;
    strcpy(b->u.ja.j.memo, "Jurnal umum");
    b->u.ja.j.nlines = 2;
    b->u.ja.j.lines[0] = (struct proto_line){dr, dm, amount, 0};
    b->u.ja.j.lines[1] = (struct proto_line){cr, cm, 0, amount};
    i = add(h, KETUA, b);
    free(b);
    if (amount >= 5000000)
        sign(h, BENDAHARA, i); /* >= 5 jt: 2 pengurus */
    if (amount >= 25000000)
        sign(h, PENGAWAS, i); /* >= 25 jt: and 1 pengawas */
    return i;
}

/* A PU loan (flat, 1,5 % a month) applied for on the borrower's phone, approved by the ketua,
 * disbursed by the kasir with admin and provisi 1 % each, the receipt countersigned. */
static size_t loan(struct hist *h, int phone, uint32_t borrower, uint32_t applied,
                   uint32_t disbursed, uint64_t principal, uint32_t periods)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_LOAN_APPLY);
    struct proto_loan_apply *a = &b->u.apply;
    size_t app, dis;

    a->borrower = borrower;
    a->date = applied;
    strcpy(a->product, "PU");
    a->principal = principal;
    a->periods = periods;
    a->rate_ppm = 180000;
    a->method = PROTO_LOAN_FLAT;
    a->rounding = (struct proto_loan_rounding){PROTO_LOAN_ROUND_HALF_UP, 1};
    a->receivable = 1200;
    a->interest = 4100;
    a->penalty = 4210;
    a->nfees = 2;
    a->fees[0] = (struct proto_acct_row){4200, principal / 100};
    a->fees[1] = (struct proto_acct_row){4200, principal / 100};
    a->purpose = 1;
    app = add(h, phone, b);
    free(b);
    sign(h, KETUA, app);
    b = body_new(PROTO_KIND_LOAN_DISBURSE);
    memcpy(b->u.disburse.loan, h->e[app].id, 32);
    b->u.disburse.date = disbursed;
    b->u.disburse.gross = principal;
    b->u.disburse.cash_account = 1100;
    b->u.disburse.nfees = 2;
    b->u.disburse.fees[0] = (struct proto_acct_row){4200, principal / 100};
    b->u.disburse.fees[1] = (struct proto_acct_row){4200, principal / 100};
    dis = add(h, KASIR, b);
    free(b);
    sign(h, phone, dis);
    return app;
}

static void repay(struct hist *h, size_t loan_app, uint32_t date, uint64_t interest,
                  uint64_t principal)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_LOAN_REPAY);

    memcpy(b->u.repay.loan, h->e[loan_app].id, 32);
    b->u.repay.date = date;
    b->u.repay.interest = interest;
    b->u.repay.principal = principal;
    b->u.repay.cash_account = 1100;
    add(h, KASIR, b);
    free(b);
}

static struct books *derive(const struct hist *h, const size_t *perm)
{
    struct books *bk;
    uint8_t gauthor[32];

    dev_pk(KETUA, gauthor);
    assert_int_equal(books_new(&h->g, h->ledger, gauthor, &bk), 0);
    for (size_t k = 0; k < h->n; k++) {
        const struct entry *e = &h->e[perm ? perm[k] : k];
        uint8_t pk[32];

        dev_pk(e->dev, pk);
        assert_int_equal(books_entry(bk, e->id, pk, e->seq, e->kind, e->body.data, e->body.len), 0);
    }
    assert_int_equal(books_derive(bk), 0);
    return bk;
}

static void params_founding(struct hist *h, uint32_t capital_basis)
{
    struct proto_params *p = malloc(sizeof *p);

    assert_non_null(p);
    proto_params_default(p, 20250101);
    p->shu_capital.basis = (uint8_t)capital_basis;
    add_params(h, KETUA, p); /* seq 2 of the genesis author: the founding parameters */
    free(p);
}

/* The amount of an LHU row (0 when the section does not list the account). */
static int64_t lhu_amount(const struct report_lhu *r, uint8_t section, uint32_t account)
{
    const struct report_lhu_section *s = &r->sections[section - 1];

    for (size_t i = 0; i < s->nrows; i++)
        if (s->rows[i].account == account)
            return s->rows[i].amount;
    return 0;
}

static const struct report_equity_row *eq_row(const struct report_equity *r, uint32_t account)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].account == account)
            return &r->rows[i];
    return NULL;
}

/* A cash-flow line's (inflow, outflow), asserted present. */
static const struct report_cf_line *cf_line(const struct report_cashflow *r, uint8_t act,
                                            uint32_t line)
{
    for (size_t i = 0; i < r->nlines; i++)
        if (r->lines[i].activity == act && r->lines[i].line == line)
            return &r->lines[i];
    fail_msg("no cash-flow line %u.%u", act, line);
    return NULL;
}

/* ---- the hand-worked year 2025 ---- */

/*
 * Standard parameters from 1 January 2025 (pokok Rp100.000; SHU table 40/20/25/5/5/2,5/2,5;
 * capital = time-weighted SP + SW, usage = jasa paid on 4100; members active at year end;
 * residual mode, residual to part 0 Cadangan umum).
 *
 *   01-01  member 7 admitted, pokok 100.000          Dr 1100 / Cr 3100(7)        100.000
 *   01-01  member 7 wajib 25.000                      Dr 1100 / Cr 3110(7)         25.000
 *   01-02  member 7 sukarela 5.000.000                Dr 1100 / Cr 2100(7)      5.000.000
 *   12-02  loan to 7: 2.400.000 x 12, flat 1,5 %/mo   Dr 1200(7) 2.400.000 / Cr 1100 2.352.000,
 *          admin + provisi 1 % each                   Cr 4200 24.000, Cr 4200 24.000
 *   12-03  installment 1: jasa 36.000, pokok 200.000  Dr 1100 236.000 / Cr 4100(7), Cr 1200(7)
 *   20-03  listrik 150.000 (journal-a)                Dr 5240 / Cr 1100            150.000
 *   12-04  installment 2: jasa 36.000, pokok 200.000  Dr 1100 236.000 / Cr 4100(7), Cr 1200(7)
 *   01-05  jasa from another koperasi 60.000          Dr 1100 / Cr 4110             60.000
 *   01-06  member 7 withdraws sukarela 1.000.000      Dr 2100(7) / Cr 1100       1.000.000
 *   01-07  member 8 admitted, pokok 100.000           Dr 1100 / Cr 3100(8)        100.000
 *   01-07  member 8 wajib 25.000                      Dr 1100 / Cr 3110(8)         25.000
 *   31-12  income tax 10.000 (journal-a)              Dr 5900 / Cr 1100             10.000
 */
static struct hist *year_build(void)
{
    struct hist *h = hist_new();
    size_t app;

    params_founding(h, 2);
    admit(h, 7, 20250101, 100000);
    deposit(h, 7, 20250101, "SW", 3110, 25000);
    deposit(h, 7, 20250201, "SS", 2100, 5000000);
    app = loan(h, HP7, 7, 20250210, 20250212, 2400000, 12);
    repay(h, app, 20250312, 36000, 200000);
    journal(h, 20250320, 5240, 0, 1100, 0, 150000);
    repay(h, app, 20250412, 36000, 200000);
    journal(h, 20250501, 1100, 0, 4110, 0, 60000);
    withdraw(h, HP7, 7, 20250601, "SS", 2100, 1000000);
    admit(h, 8, 20250701, 100000);
    deposit(h, 8, 20250701, "SW", 3110, 25000);
    journal(h, 20251231, 5900, 0, 1100, 0, 10000);
    return h;
}

static void test_year_clean(void **state)
{
    struct hist *h = year_build();
    struct books *bk = derive(h, NULL);

    (void)state;
    /* Every entry took effect and no rule was broken: the figures below are the whole year. */
    for (size_t i = 0; i < books_nitems(bk); i++)
        assert_int_equal(books_item(bk, i)->status, BOOKS_EFFECTIVE);
    assert_int_equal(books_nfindings(bk), 0);
    books_free(bk);
    hist_free(h);
}

static void test_year_lhu(void **state)
{
    struct hist *h = year_build();
    struct books *bk = derive(h, NULL);
    struct report_lhu r;
    int64_t sum = 0;

    (void)state;
    assert_int_equal(report_lhu(bk, 20250101, 20251231, 20251231, &r), 0);
    assert_string_equal(r.meta.type, "lhu");
    /*
     * 1 partisipasi bruto: 4100 jasa 36.000 + 36.000 = 72.000; 4200 fees 24.000 + 24.000 =
     *   48.000; subtotal 120.000.
     * 2 beban pokok: none. 3 non-anggota: 4110 60.000. 4 lain: none.
     * 5 beban usaha: 5240 150.000. 6 perkoperasian: none. 7 pajak: 5900 10.000.
     */
    for (int s = 0; s < REPORT_LHU_SECTIONS; s++)
        assert_int_equal(r.sections[s].section, s + 1);
    assert_int_equal(lhu_amount(&r, 1, 4100), 72000);
    assert_int_equal(lhu_amount(&r, 1, 4200), 48000);
    assert_int_equal(r.sections[0].nrows, 2);
    assert_int_equal(r.sections[0].subtotal, 120000);
    assert_int_equal(r.sections[1].nrows, 0);
    assert_int_equal(r.sections[1].subtotal, 0);
    assert_int_equal(lhu_amount(&r, 3, 4110), 60000);
    assert_int_equal(r.sections[2].subtotal, 60000);
    assert_int_equal(r.sections[3].nrows, 0);
    assert_int_equal(lhu_amount(&r, 5, 5240), 150000);
    assert_int_equal(r.sections[4].subtotal, 150000);
    assert_int_equal(r.sections[5].nrows, 0);
    assert_int_equal(lhu_amount(&r, 7, 5900), 10000);
    assert_int_equal(r.sections[6].subtotal, 10000);
    /*
     * partisipasi neto = 120.000 - 0 = 120.000
     * SHU before tax   = 120.000 - 0 + 60.000 + 0 - 150.000 - 0 = 30.000
     * SHU after tax    = 30.000 - 10.000 = 20.000
     * non-member       = floor(20.000 x 60.000 / (120.000 + 60.000 + 0)) = floor(6.666,67) = 6.666
     * member (SHU_A)   = 20.000 - 6.666 = 13.334
     */
    assert_int_equal(r.partisipasi_neto, 120000);
    assert_int_equal(r.shu_before_tax, 30000);
    assert_int_equal(r.tax, 10000);
    assert_int_equal(r.shu_after_tax, 20000);
    assert_int_equal(r.nonmember, 6666);
    assert_int_equal(r.member, 13334);
    /*
     * The table split of 13.334 (floors, then the 4 rupiah left by largest remainder of
     * 13.334 x ppm mod 10^6; ties to the earlier part):
     *   Cadangan 40 %   5.333,6  -> 5.333 (+1, rem 600.000) = 5.334
     *   Jasa modal 20 % 2.666,8  -> 2.666 (+1, rem 800.000) = 2.667
     *   Jasa usaha 25 % 3.333,5  -> 3.333 (rem 500.000: no bump)
     *   Pengurus 5 %      666,7  ->   666 (+1, rem 700.000) =   667
     *   Karyawan 5 %      666,7  ->   666 (+1, rem 700.000) =   667
     *   Pendidikan 2,5 %  333,35 ->   333,  Sosial 2,5 % 333,35 -> 333
     * Members' shares (6.8): S_7 = 125.000 x 365 days = 45.625.000 rupiah-days, S_8 = 125.000 x
     * 184 days (1 July .. 31 December) = 23.000.000; sum 68.625.000.
     *   JM_7 = floor(2.667 x 45.625.000 / 68.625.000) = floor(1.773,14) = 1.773
     *   JM_8 = floor(2.667 x 23.000.000 / 68.625.000) = floor(  893,86) =   893   paid 2.666,
     *   residual 1. T_7 = 72.000 (jasa paid), T_8 = 0: JU_7 = 3.333, residual 0.
     * Proposal: the member parts keep what is paid (2.666 and 3.333); Cadangan takes its own
     * 5.334 + non-member 6.666 + residuals 1 + 0 = 12.001. Sum = 20.000 = SHU after tax.
     */
    assert_true(r.has_proposal);
    assert_int_equal(r.nproposal, 7);
    {
        static const int64_t want[7] = {12001, 2666, 3333, 667, 667, 333, 333};
        static const uint32_t acct[7] = {3400, 2300, 2300, 2310, 2320, 2330, 2340};

        for (size_t i = 0; i < 7; i++) {
            assert_int_equal(r.proposal[i].index, i);
            assert_int_equal(r.proposal[i].amount, want[i]);
            assert_int_equal(r.proposal[i].account, acct[i]);
            sum += r.proposal[i].amount;
        }
    }
    assert_int_equal(r.proposal[0].ppm, 400000);
    assert_int_equal(r.proposal[1].role, PROTO_SHU_ROLE_MODAL);
    assert_int_equal(sum, r.shu_after_tax);
    assert_int_equal(sum, r.member + r.nonmember);
    report_lhu_free(&r);
    books_free(bk);
    hist_free(h);
}

static void test_year_shu_members(void **state)
{
    struct hist *h = year_build();
    struct books *bk = derive(h, NULL);
    struct report_shu_members r;
    struct proto_merkle_range mr;
    uint8_t leaf[32], root[32];
    int64_t sum = 0;

    (void)state;
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, NULL, &r), 0);
    assert_string_equal(r.meta.type, "shu-members");
    assert_int_equal(r.shu_member, 13334);
    assert_int_equal(r.nonmember, 6666);
    assert_int_equal(r.nparts, 7);
    /* The parts are the plain table split (see test_year_lhu): they add up to SHU_A. */
    {
        static const int64_t want[7] = {5334, 2667, 3333, 667, 667, 333, 333};

        for (size_t i = 0; i < 7; i++) {
            assert_int_equal(r.parts[i].amount, want[i]);
            sum += r.parts[i].amount;
        }
    }
    assert_int_equal(sum, r.shu_member);
    assert_int_equal(r.residual_part, 0);
    assert_int_equal(r.jm.pool, 2667);
    assert_int_equal(r.jm.total, 68625000);
    assert_int_equal(r.jm.paid, 2666);
    assert_int_equal(r.jm.residual, 1);
    assert_int_equal(r.ju.pool, 3333);
    assert_int_equal(r.ju.total, 72000);
    assert_int_equal(r.ju.paid, 3333);
    assert_int_equal(r.ju.residual, 0);
    /* Members 7 and 8 only (the officers' members 1..4 were never admitted: not active). */
    assert_int_equal(r.n, 2);
    assert_int_equal(r.rows[0].member, 7);
    assert_int_equal(r.rows[0].capital, 45625000);
    assert_int_equal(r.rows[0].usage, 72000);
    assert_int_equal(r.rows[0].jm, 1773);
    assert_int_equal(r.rows[0].ju, 3333);
    assert_int_equal(r.rows[1].member, 8);
    assert_int_equal(r.rows[1].capital, 23000000);
    assert_int_equal(r.rows[1].usage, 0);
    assert_int_equal(r.rows[1].jm, 893);
    assert_int_equal(r.rows[1].ju, 0);
    /* Per pool: shares + residual = pool. */
    assert_int_equal(r.rows[0].jm + r.rows[1].jm + r.jm.residual, r.jm.pool);
    assert_int_equal(r.rows[0].ju + r.rows[1].ju + r.ju.residual, r.ju.pool);
    /* members_root: RFC 6962 over the two leaves = node(leaf 7, leaf 8); leaf 7 by hand. */
    {
        static const uint8_t prefix[] = "saksi-shu-v1"; /* 12 bytes + its NUL */
        uint8_t buf[64], l7[32], l8[32];
        struct proto_buf mp;

        proto_buf_init(&mp);
        assert_int_equal(proto_mp_put_array(&mp, 5), 0);
        assert_int_equal(proto_mp_put_uint(&mp, 7), 0);
        assert_int_equal(proto_mp_put_uint(&mp, 45625000), 0);
        assert_int_equal(proto_mp_put_uint(&mp, 72000), 0);
        assert_int_equal(proto_mp_put_uint(&mp, 1773), 0);
        assert_int_equal(proto_mp_put_uint(&mp, 3333), 0);
        memcpy(buf, prefix, sizeof prefix);
        assert_true(sizeof prefix + mp.len <= sizeof buf);
        memcpy(buf + sizeof prefix, mp.data, mp.len);
        proto_merkle_leaf(buf, sizeof prefix + mp.len, l7);
        proto_buf_release(&mp);
        assert_int_equal(report_shu_leaf(&r.rows[0], leaf), 0);
        assert_memory_equal(leaf, l7, 32);
        assert_int_equal(report_shu_leaf(&r.rows[1], l8), 0);
        proto_merkle_node(l7, l8, root);
        assert_memory_equal(r.members_root, root, 32);
    }
    proto_merkle_range_init(&mr);
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(report_shu_leaf(&r.rows[i], leaf), 0);
        proto_merkle_range_push(&mr, leaf);
    }
    proto_merkle_range_root(&mr, root);
    assert_memory_equal(r.members_root, root, 32);
    report_shu_members_free(&r);
    books_free(bk);
    hist_free(h);
}

static void test_year_equity(void **state)
{
    struct hist *h = year_build();
    struct books *bk = derive(h, NULL);
    struct report_equity r;
    struct report_neraca n;
    const struct report_equity_row *w;

    (void)state;
    assert_int_equal(report_equity(bk, 20250101, 20251231, 20251231, &r), 0);
    assert_string_equal(r.meta.type, "equity");
    /*
     *   1     SHU current: opening 0; other (57 fees 48.000, 58 jasa 72.000) credit 120.000;
     *         journals credit 60.000 (4110), debit 150.000 + 10.000 = 160.000; closing 20.000
     *   3100  opening 0; admissions credit 100.000 + 100.000 = 200.000; closing 200.000
     *   3110  opening 0; deposits credit 25.000 + 25.000 = 50.000; closing 50.000
     *   totals: opening 0, closing 270.000 (= the neraca's equity on 31-12-2025)
     */
    assert_int_equal(r.n, 3);
    w = eq_row(&r, REPORT_CODE_SHU_CURRENT);
    assert_non_null(w);
    assert_ptr_equal(w, &r.rows[0]);
    assert_int_equal(w->opening, 0);
    assert_int_equal(w->credit[REPORT_SRC_OTHER], 120000);
    assert_int_equal(w->debit[REPORT_SRC_OTHER], 0);
    assert_int_equal(w->credit[REPORT_SRC_JOURNAL], 60000);
    assert_int_equal(w->debit[REPORT_SRC_JOURNAL], 160000);
    assert_int_equal(w->closing, 20000);
    w = eq_row(&r, 3100);
    assert_non_null(w);
    assert_int_equal(w->credit[REPORT_SRC_ADMISSION], 200000);
    assert_int_equal(w->closing, 200000);
    w = eq_row(&r, 3110);
    assert_non_null(w);
    assert_int_equal(w->credit[REPORT_SRC_DEPOSIT], 50000);
    assert_int_equal(w->debit[REPORT_SRC_DEPOSIT], 0);
    assert_int_equal(w->closing, 50000);
    assert_int_equal(r.opening, 0);
    assert_int_equal(r.closing, 270000);
    assert_int_equal(report_neraca(bk, 20251231, &n), 0);
    assert_int_equal(n.equity, r.closing);
    report_neraca_free(&n);
    report_equity_free(&r);

    /* The second half alone: opening = the first half's closing. 1: credit 72.000 + 48.000 +
     * 60.000 - debit 150.000 up to June = 30.000; 3100 100.000; 3110 25.000. */
    assert_int_equal(report_equity(bk, 20250701, 20251231, 20251231, &r), 0);
    assert_int_equal(eq_row(&r, REPORT_CODE_SHU_CURRENT)->opening, 30000);
    assert_int_equal(eq_row(&r, REPORT_CODE_SHU_CURRENT)->debit[REPORT_SRC_JOURNAL], 10000);
    assert_int_equal(eq_row(&r, REPORT_CODE_SHU_CURRENT)->closing, 20000);
    assert_int_equal(eq_row(&r, 3100)->opening, 100000);
    assert_int_equal(eq_row(&r, 3110)->opening, 25000);
    assert_int_equal(r.opening, 155000);
    assert_int_equal(r.closing, 270000);
    report_equity_free(&r);
    books_free(bk);
    hist_free(h);
}

static void test_year_cashflow(void **state)
{
    struct hist *h = year_build();
    struct books *bk = derive(h, NULL);
    struct report_cashflow r;
    const struct report_cf_line *l;

    (void)state;
    assert_int_equal(report_cashflow(bk, 20250101, 20251231, 20251231, &r), 0);
    assert_string_equal(r.meta.type, "cashflow");
    /*
     * Kas 1100: +100.000 +25.000 +5.000.000 -2.352.000 +236.000 -150.000 +236.000 +60.000
     * -1.000.000 +100.000 +25.000 -10.000 = 2.270.000; opening 0.
     * 1 operasi:  1 jasa pinjaman  in 72.000 (4100) + 60.000 (4110) = 132.000
     *             2 fees           in 48.000 (the fees of the disbursement)
     *             5 beban usaha    out 150.000;   6 pajak  out 10.000
     *             7 disbursed      out 2.400.000 (the gross: net cash 2.352.000 + fees 48.000)
     *             8 principal in   in 400.000
     *             9 sukarela in    in 5.000.000;  10 sukarela out  out 1.000.000
     *             net = 132.000 + 48.000 - 160.000 - 2.400.000 + 400.000 + 4.000.000 = 2.020.000
     * 2 investasi: nothing.  3 pendanaan: 13 pokok and wajib in 250.000.
     * net 2.270.000 = closing - opening: reconciles.
     */
    assert_int_equal(r.opening_cash, 0);
    assert_int_equal(r.closing_cash, 2270000);
    assert_int_equal(r.nact, 3);
    assert_int_equal(r.act[0].activity, 1);
    assert_int_equal(r.act[0].n, 8);
    assert_int_equal(r.act[0].net, 2020000);
    assert_int_equal(r.act[1].activity, 2);
    assert_int_equal(r.act[1].n, 0);
    assert_int_equal(r.act[1].net, 0);
    assert_int_equal(r.act[2].activity, 3);
    assert_int_equal(r.act[2].n, 1);
    assert_int_equal(r.act[2].net, 250000);
    l = cf_line(&r, 1, 1);
    assert_int_equal(l->inflow, 132000);
    assert_int_equal(l->outflow, 0);
    assert_int_equal(cf_line(&r, 1, 2)->inflow, 48000);
    assert_int_equal(cf_line(&r, 1, 5)->outflow, 150000);
    assert_int_equal(cf_line(&r, 1, 6)->outflow, 10000);
    assert_int_equal(cf_line(&r, 1, 7)->outflow, 2400000);
    assert_int_equal(cf_line(&r, 1, 7)->inflow, 0);
    assert_int_equal(cf_line(&r, 1, 8)->inflow, 400000);
    assert_int_equal(cf_line(&r, 1, 9)->inflow, 5000000);
    assert_int_equal(cf_line(&r, 1, 10)->outflow, 1000000);
    assert_int_equal(cf_line(&r, 3, 13)->inflow, 250000);
    assert_int_equal(r.net, 2270000);
    assert_true(r.reconciles);
    /* Lines are sorted by (activity, line). */
    for (size_t i = 1; i < r.nlines; i++)
        assert_true(r.lines[i - 1].activity < r.lines[i].activity ||
                    (r.lines[i - 1].activity == r.lines[i].activity &&
                     r.lines[i - 1].line < r.lines[i].line));
    report_cashflow_free(&r);
    books_free(bk);
    hist_free(h);
}

/* On several as-of dates and periods: equity closing = neraca per account and in total; the
 * cash flow reconciles and its closing cash is the neraca's Kas; the proposal spends all of
 * the SHU; per pool, shares + residual = pool. */
static void test_invariants(void **state)
{
    static const uint32_t dates[] = {20250101, 20250211, 20250212, 20250315,
                                     20250630, 20250701, 20251231, 20260315};
    struct hist *h = year_build();
    struct books *bk = derive(h, NULL);

    (void)state;
    for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++) {
        uint32_t as_of = dates[d], start = as_of / 10000 * 10000 + 101, end = start + 1130;
        struct report_neraca n;
        struct report_equity e;
        struct report_cashflow c;
        struct report_lhu l;
        struct report_shu_members s;
        int64_t kas = 0, sum = 0, paid_jm = 0, paid_ju = 0;

        assert_int_equal(report_neraca(bk, as_of, &n), 0);
        assert_int_equal(report_equity(bk, start, end, as_of, &e), 0);
        assert_int_equal(report_cashflow(bk, start, end, as_of, &c), 0);
        assert_int_equal(report_lhu(bk, start, end, as_of, &l), 0);
        assert_int_equal(report_shu_members(bk, start, end, as_of, NULL, &s), 0);
        assert_int_equal(e.closing, n.equity);
        for (size_t i = 0; i < n.nrows; i++) {
            if (n.rows[i].type != PROTO_ACCT_EQUITY || n.rows[i].code == REPORT_CODE_UNBALANCED)
                continue;
            assert_non_null(eq_row(&e, n.rows[i].code));
            assert_int_equal(eq_row(&e, n.rows[i].code)->closing, n.rows[i].amount);
        }
        for (size_t i = 0; i < e.n; i++) {
            int64_t x = e.rows[i].opening;

            for (int k = 1; k <= REPORT_SRC_MAX; k++)
                x += e.rows[i].credit[k] - e.rows[i].debit[k];
            assert_int_equal(x, e.rows[i].closing);
        }
        /* The current SHU in the equity report is the LHU's SHU after tax plus the opening. */
        if (eq_row(&e, REPORT_CODE_SHU_CURRENT))
            assert_int_equal(eq_row(&e, REPORT_CODE_SHU_CURRENT)->closing -
                                 eq_row(&e, REPORT_CODE_SHU_CURRENT)->opening,
                             l.shu_after_tax);
        for (size_t i = 0; i < n.nrows; i++)
            if (n.rows[i].code == 1100)
                kas = n.rows[i].amount;
        assert_true(c.reconciles);
        assert_int_equal(c.opening_cash + c.net, c.closing_cash);
        assert_int_equal(c.closing_cash, kas);
        if (l.has_proposal) {
            for (size_t i = 0; i < l.nproposal; i++)
                sum += l.proposal[i].amount;
            assert_int_equal(sum, l.shu_after_tax);
        }
        sum = 0;
        for (size_t i = 0; i < s.nparts; i++)
            sum += s.parts[i].amount;
        assert_int_equal(sum, s.shu_member);
        assert_int_equal(s.shu_member, l.member > 0 ? l.member : 0);
        for (size_t i = 0; i < s.n; i++) {
            paid_jm += s.rows[i].jm;
            paid_ju += s.rows[i].ju;
        }
        assert_int_equal(paid_jm + s.jm.residual, s.jm.pool);
        assert_int_equal(paid_ju + s.ju.residual, s.ju.pool);
        report_neraca_free(&n);
        report_equity_free(&e);
        report_cashflow_free(&c);
        report_lhu_free(&l);
        report_shu_members_free(&s);
    }
    books_free(bk);
    hist_free(h);
}

/* Part of the year (as_of 30 June): movements only up to as_of; the LHU shows a loss-free half
 * year and 8, admitted on 1 July, is no member yet. */
static void test_as_of(void **state)
{
    struct hist *h = year_build();
    struct books *bk = derive(h, NULL);
    struct report_lhu l;
    struct report_shu_members s;

    (void)state;
    assert_int_equal(report_lhu(bk, 20250101, 20251231, 20250630, &l), 0);
    /* 120.000 + 60.000 - 150.000 = 30.000, no tax yet; non-member floor(30.000 x 60.000 /
     * 180.000) = 10.000; member 20.000. */
    assert_int_equal(l.shu_after_tax, 30000);
    assert_int_equal(l.nonmember, 10000);
    assert_int_equal(l.member, 20000);
    assert_int_equal(l.meta.end, 20251231);
    assert_int_equal(l.meta.as_of, 20250630);
    report_lhu_free(&l);
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20250630, NULL, &s), 0);
    /* Member 7 alone: S = 125.000 x 181 days (1 January .. 30 June). */
    assert_int_equal(s.n, 1);
    assert_int_equal(s.rows[0].member, 7);
    assert_int_equal(s.rows[0].capital, 125000 * 181);
    /* One member takes the whole of both pools: 20 % and 25 % of 20.000. */
    assert_int_equal(s.rows[0].jm, 4000);
    assert_int_equal(s.rows[0].ju, 5000);
    report_shu_members_free(&s);
    /* A period before anything happened: all zero, no proposal. */
    assert_int_equal(report_lhu(bk, 20240101, 20241231, 20241231, &l), 0);
    assert_int_equal(l.shu_after_tax, 0);
    assert_false(l.has_proposal);
    report_lhu_free(&l);
    books_free(bk);
    hist_free(h);
}

/* Errors and the explicit table: no parameters and no table is -ENOENT; a broken table is
 * ERR_RULE; end-balance capital (basis 1). */
static void test_tables(void **state)
{
    static const struct proto_shu_table half = {
        3,
        {
            {"Cadangan", PROTO_SHU_ROLE_OTHER, 500000},
            {"Jasa modal", PROTO_SHU_ROLE_MODAL, 250000},
            {"Jasa usaha", PROTO_SHU_ROLE_USAHA, 250000},
        },
    };
    struct proto_shu_table bad = half;
    struct hist *h = hist_new();
    struct books *bk = derive(h, NULL);
    struct report_shu_members s;
    struct report_lhu l;
    struct report_equity e;
    struct report_cashflow c;

    (void)state;
    /* An empty ledger: every report builds, with nothing in it. */
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, NULL, &s), -ENOENT);
    assert_null(s.rows);
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, &half, &s), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.jm.pool, 0);
    report_shu_members_free(&s);
    assert_int_equal(report_lhu(bk, 20250101, 20251231, 20251231, &l), 0);
    assert_false(l.has_proposal);
    report_lhu_free(&l);
    assert_int_equal(report_equity(bk, 20250101, 20251231, 20251231, &e), 0);
    assert_int_equal(e.n, 0);
    report_equity_free(&e);
    assert_int_equal(report_cashflow(bk, 20250101, 20251231, 20251231, &c), 0);
    assert_true(c.reconciles);
    assert_int_equal(c.nact, 3);
    report_cashflow_free(&c);
    books_free(bk);
    hist_free(h);

    h = year_build();
    bk = derive(h, NULL);
    bad.parts[0].ppm = 600000; /* 110 % */
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, &bad, &s), ERR_RULE);
    assert_null(s.rows);
    /* 50/25/25 of 13.334: jasa modal 3.333 (+1 by largest remainder? 13.334 x 250.000 mod 10^6
     * = 500.000 for both member parts and 0 for Cadangan: 6.667 + 3.333 + 3.333 = 13.333, the
     * one rupiah left goes to the earlier of the tied parts, jasa modal: 3.334). */
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, &half, &s), 0);
    assert_int_equal(s.parts[0].amount, 6667);
    assert_int_equal(s.parts[1].amount, 3334);
    assert_int_equal(s.parts[2].amount, 3333);
    assert_int_equal(s.parts[0].account, 0);
    report_shu_members_free(&s);
    books_free(bk);
    hist_free(h);
}

/* KOPERASI.md 5.3 end to end: SHU_A Rp100 jt, table 35/20/25/5/5/5/2,5/2,5; capital at year end
 * (basis 1): Siti (7) SP + SW Rp4 jt of Rp400 jt; jasa paid Rp1,8 jt of Rp250 jt. Pools 20 jt
 * and 25 jt: JM = 4/400 x 20 jt = Rp200.000, JU = 1,8/250 x 25 jt = Rp180.000. */
static void test_siti(void **state)
{
    static const struct proto_shu_table koperasi = {
        8,
        {
            {"Cadangan", PROTO_SHU_ROLE_OTHER, 350000},
            {"Jasa modal", PROTO_SHU_ROLE_MODAL, 200000},
            {"Jasa usaha", PROTO_SHU_ROLE_USAHA, 250000},
            {"Dana pengurus dan pengawas", PROTO_SHU_ROLE_OTHER, 50000},
            {"Dana karyawan", PROTO_SHU_ROLE_OTHER, 50000},
            {"Dana pendidikan", PROTO_SHU_ROLE_OTHER, 50000},
            {"Dana sosial", PROTO_SHU_ROLE_OTHER, 25000},
            {"Dana pembangunan daerah kerja", PROTO_SHU_ROLE_OTHER, 25000},
        },
    };
    static const int64_t parts[8] = {35000000, 20000000, 25000000, 5000000,
                                     5000000,  5000000,  2500000,  2500000};
    struct hist *h = hist_new();
    struct books *bk;
    struct report_lhu l;
    struct report_shu_members s;

    (void)state;
    params_founding(h, 1);
    admit(h, 7, 20250106, 100000);
    deposit(h, 7, 20250106, "SW", 3110, 3900000);
    admit(h, 8, 20250106, 100000);
    deposit(h, 8, 20250106, "SW", 3110, 395900000);
    /* Jasa paid, booked by journal-a on the members' sub-ledger of 4100 (both are bigger than
     * 25 jt together, so each journal gets the approvals it needs). */
    journal(h, 20250601, 1100, 0, 4100, 7, 1800000);
    journal(h, 20250601, 1100, 0, 4100, 8, 248200000);
    /* Expenses: 150 jt, so the SHU is 250 - 150 = 100 jt, all of it from members. */
    journal(h, 20251201, 5240, 0, 1100, 0, 150000000);
    bk = derive(h, NULL);
    assert_int_equal(books_nfindings(bk), 0);
    assert_int_equal(report_lhu(bk, 20250101, 20251231, 20251231, &l), 0);
    assert_int_equal(l.shu_after_tax, 100000000);
    assert_int_equal(l.nonmember, 0);
    assert_int_equal(l.member, 100000000);
    report_lhu_free(&l);
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, &koperasi, &s), 0);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(s.parts[i].amount, parts[i]);
    assert_int_equal(s.jm.pool, 20000000);
    assert_int_equal(s.jm.total, 400000000);
    assert_int_equal(s.ju.pool, 25000000);
    assert_int_equal(s.ju.total, 250000000);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.rows[0].member, 7);
    assert_int_equal(s.rows[0].capital, 4000000);
    assert_int_equal(s.rows[0].usage, 1800000);
    assert_int_equal(s.rows[0].jm, 200000);
    assert_int_equal(s.rows[0].ju, 180000);
    assert_int_equal(s.rows[1].jm, 19800000);
    assert_int_equal(s.rows[1].ju, 24820000);
    assert_int_equal(s.jm.residual, 0);
    assert_int_equal(s.ju.residual, 0);
    report_shu_members_free(&s);
    books_free(bk);
    hist_free(h);
}

/* The new reports' bytes over the same entries fed in other orders: identical. */
static void period_bytes(const struct books *bk, struct proto_buf *out)
{
    struct report_lhu l;
    struct report_equity e;
    struct report_cashflow c;
    struct report_shu_members s;

    assert_int_equal(report_lhu(bk, 20250101, 20251231, 20251231, &l), 0);
    assert_int_equal(proto_buf_append(out, l.meta.bytes.data, l.meta.bytes.len), 0);
    assert_int_equal(proto_buf_append(out, l.meta.digest, 32), 0);
    report_lhu_free(&l);
    assert_int_equal(report_equity(bk, 20250101, 20251231, 20251231, &e), 0);
    assert_int_equal(proto_buf_append(out, e.meta.bytes.data, e.meta.bytes.len), 0);
    report_equity_free(&e);
    assert_int_equal(report_cashflow(bk, 20250101, 20251231, 20251231, &c), 0);
    assert_int_equal(proto_buf_append(out, c.meta.bytes.data, c.meta.bytes.len), 0);
    report_cashflow_free(&c);
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, NULL, &s), 0);
    assert_int_equal(proto_buf_append(out, s.meta.bytes.data, s.meta.bytes.len), 0);
    report_shu_members_free(&s);
}

static void test_order_independence(void **state)
{
    struct hist *h = year_build();
    struct proto_buf first, again;
    size_t perm[MAX_ENTRIES];
    uint64_t r = 0x5eed;
    struct books *bk;

    (void)state;
    bk = derive(h, NULL);
    proto_buf_init(&first);
    period_bytes(bk, &first);
    books_free(bk);
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i < h->n; i++)
            perm[i] = round == 0 ? h->n - 1 - i : i; /* round 0: reversed */
        for (size_t i = h->n; round > 0 && i > 1; i--) {
            size_t j, t;

            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            j = (size_t)((r >> 33) % i);
            t = perm[i - 1];
            perm[i - 1] = perm[j];
            perm[j] = t;
        }
        bk = derive(h, perm);
        proto_buf_init(&again);
        period_bytes(bk, &again);
        assert_int_equal(again.len, first.len);
        assert_memory_equal(again.data, first.data, first.len);
        proto_buf_release(&again);
        books_free(bk);
    }
    proto_buf_release(&first);
    hist_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),      cmocka_unit_test(test_year_clean),
        cmocka_unit_test(test_year_lhu),    cmocka_unit_test(test_year_shu_members),
        cmocka_unit_test(test_year_equity), cmocka_unit_test(test_year_cashflow),
        cmocka_unit_test(test_invariants),  cmocka_unit_test(test_as_of),
        cmocka_unit_test(test_siti),        cmocka_unit_test(test_order_independence),
    };

    return cmocka_run_group_tests_name("proto_report", tests, NULL, NULL);
}
