/*
 * The books (proto/books.h) and reports (proto/report.h): a hand-worked koperasi session whose
 * statuses, balances and findings are checked one by one, and the order-independence property:
 * random histories fed in random orders derive byte-identical reports.
 *
 * Entries here are not signed: the books take (id, author, seq, kind, body) of entries that the
 * store has already verified, so a test names ids and authors directly.
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
#include "proto/close.h"
#include "proto/crypto.h"
#include "proto/loan.h"
#include "proto/err.h"
#include "proto/mp.h"
#include "proto/params.h"
#include "proto/report.h"
#include "proto/savings.h"
#include "proto/yearend.h"
#include "tests/unit/hist.h"

/* ---- a small koperasi ---- */

static size_t admit(struct hist *h, int d, uint32_t m, uint32_t date, uint64_t pokok)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_MEMBER_ADMIT);
    size_t i;

    b->u.admit.member = m;
    b->u.admit.date = date;
    b->u.admit.class = PROTO_CLASS_BIASA;
    b->u.admit.pokok = pokok;
    b->u.admit.pokok_account = 3100;
    b->u.admit.cash_account = 1100;
    i = add(h, d, b);
    free(b);
    return i;
}

static size_t savings(struct hist *h, int d, bool deposit, uint32_t m, uint32_t date,
                      const char *product, uint32_t account, uint64_t amount)
{
    struct proto_acct_body *b = body_new(deposit ? PROTO_KIND_DEPOSIT : PROTO_KIND_WITHDRAW);
    size_t i;

    if (deposit) {
        b->u.deposit.member = m;
        b->u.deposit.date = date;
        strcpy(b->u.deposit.product, product);
        b->u.deposit.account = account;
        b->u.deposit.amount = amount;
        b->u.deposit.cash_account = 1100;
    } else {
        b->u.withdraw.member = m;
        b->u.withdraw.date = date;
        strcpy(b->u.withdraw.product, product);
        b->u.withdraw.account = account;
        b->u.withdraw.amount = amount;
        b->u.withdraw.cash_account = 1100;
    }
    i = add(h, d, b);
    free(b);
    return i;
}

static size_t sign(struct hist *h, int d, size_t target, int decision)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_SIGN);
    size_t i;

    memcpy(b->u.sign.target, h->e[target].id, 32);
    b->u.sign.decision = (uint8_t)decision;
    i = add(h, d, b);
    free(b);
    return i;
}

static size_t journal(struct hist *h, int d, uint32_t date, uint32_t dr, uint32_t cr,
                      uint32_t member, uint64_t amount)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_JOURNAL_A);
    size_t i;

    b->u.ja.j.date = date;
    strcpy(b->u.ja.j.memo, "Beban operasional");
    b->u.ja.j.nlines = 2;
    b->u.ja.j.lines[0] = (struct proto_line){dr, member, amount, 0};
    b->u.ja.j.lines[1] = (struct proto_line){cr, 0, 0, amount};
    i = add(h, d, b);
    free(b);
    return i;
}

/* Derives the books of n of the entries in the given order (perm NULL: as added). */
static struct books *derive_n(const struct hist *h, const size_t *perm, size_t n)
{
    struct books *bk;
    uint8_t gauthor[32];

    dev_pk(KETUA, gauthor);
    assert_int_equal(books_new(&h->g, h->ledger, gauthor, &bk), 0);
    for (size_t k = 0; k < n; k++) {
        const struct entry *e = &h->e[perm ? perm[k] : k];
        uint8_t pk[32];

        dev_pk(e->dev, pk);
        assert_int_equal(books_entry(bk, e->id, pk, e->seq, e->kind, e->body.data, e->body.len), 0);
    }
    assert_int_equal(books_derive(bk), 0);
    return bk;
}

static struct books *derive(const struct hist *h, const size_t *perm)
{
    return derive_n(h, perm, h->n);
}

static const struct books_item *item(const struct books *bk, const struct hist *h, size_t i)
{
    const struct books_item *it = books_find(bk, h->e[i].id);

    assert_non_null(it);
    return it;
}

static bool has_finding(const struct books *bk, int code, uint32_t member)
{
    for (size_t i = 0; i < books_nfindings(bk); i++)
        if (books_findings(bk)[i].code == code &&
            (member == 0 || books_findings(bk)[i].member == member))
            return true;
    return false;
}

/* ---- the worked session ---- */

struct session {
    struct hist *h;
    size_t params, admit7, sign_admit7, sw7, ss7, wd7, wd7_sign, admit8, wdsw7, wdsw7_sign, dep9,
        over7, over7_sign, jbig, jbig_sign, bad, jself, jself_sign, exit8, exit8_sign, dep8;
};

static void session_build(struct session *s)
{
    struct proto_params *p = malloc(sizeof *p);
    struct proto_buf junk;

    assert_non_null(p);
    s->h = hist_new();
    proto_params_default(p, 20250101);
    s->params = add_params(s->h, KETUA, p); /* seq 2 of the genesis author: founding */
    free(p);
    /* Member 7 joins through the kasir: 40 needs 1 pengurus, the kasir is none. */
    s->admit7 = admit(s->h, KASIR, 7, 20250106, 100000);
    s->sign_admit7 = sign(s->h, KETUA, s->admit7, PROTO_SIGN_APPROVE);
    s->sw7 = savings(s->h, KASIR, true, 7, 20250106, "SW", 3110, 25000);
    s->ss7 = savings(s->h, KASIR, true, 7, 20250106, "SS", 2100, 500000);
    /* A withdrawal waits for member 7's own signature (countersign [49, 1]). */
    s->wd7 = savings(s->h, KASIR, false, 7, 20250203, "SS", 2100, 200000);
    s->wd7_sign = sign(s->h, HP7, s->wd7, PROTO_SIGN_APPROVE);
    /* A pengurus admitting counts as the one approval it needs. */
    s->admit8 = admit(s->h, KETUA, 8, 20250110, 100000);
    s->dep8 = savings(s->h, KASIR, true, 8, 20250110, "SW", 3110, 25000);
    /* Wajib withdrawn while active: takes effect (cash moved) but is a finding. */
    s->wdsw7 = savings(s->h, KASIR, false, 7, 20250301, "SW", 3110, 10000);
    s->wdsw7_sign = sign(s->h, HP7, s->wdsw7, PROTO_SIGN_APPROVE);
    /* A deposit for someone who was never admitted. */
    s->dep9 = savings(s->h, KASIR, true, 9, 20250301, "SS", 2100, 50000);
    /* Overdrawn: 300.000 left, 400.000 withdrawn. */
    s->over7 = savings(s->h, KASIR, false, 7, 20250315, "SS", 2100, 400000);
    s->over7_sign = sign(s->h, HP7, s->over7, PROTO_SIGN_APPROVE);
    /* 6 jt of expenses: >= 5 jt needs 2 pengurus: the ketua's own plus the bendahara's. */
    s->jbig = journal(s->h, KETUA, 20250320, 5200, 1100, 0, 6000000);
    s->jbig_sign = sign(s->h, BENDAHARA, s->jbig, PROTO_SIGN_APPROVE);
    /* A deposit body of the wrong shape: malformed, stored without effect. */
    proto_buf_init(&junk);
    assert_int_equal(proto_mp_put_array(&junk, 1), 0);
    assert_int_equal(proto_mp_put_uint(&junk, 7), 0);
    s->bad = add_raw(s->h, KASIR, PROTO_KIND_DEPOSIT, &junk);
    /* A journal about member 7 that member 7 approves: self-approval, counts for nothing. */
    s->jself = journal(s->h, KASIR, 20250401, 2100, 1100, 7, 1000);
    s->jself_sign = sign(s->h, HP7, s->jself, PROTO_SIGN_APPROVE);
    /* Member 8 leaves; the pengawas witnesses (countersign [41, 2]). */
    {
        struct proto_acct_body *b = body_new(PROTO_KIND_MEMBER_EXIT);

        b->u.exit.member = 8;
        b->u.exit.date = 20250601;
        b->u.exit.reason = PROTO_EXIT_OWN;
        b->u.exit.pokok = 100000;
        b->u.exit.wajib = 25000;
        b->u.exit.pokok_account = 3100;
        b->u.exit.wajib_account = 3110;
        b->u.exit.refund_account = 2400;
        s->exit8 = add(s->h, KETUA, b);
        free(b);
    }
    s->exit8_sign = sign(s->h, PENGAWAS, s->exit8, PROTO_SIGN_APPROVE);
}


/* ---- slices (the statement cache): a member's slice gives its statement byte for byte ---- */

struct slices {
    uint32_t member[64];
    struct proto_buf part[64];
    size_t n;
};

static int slice_keep(void *ctx, uint32_t member, const uint8_t *slice, size_t len)
{
    struct slices *s = ctx;

    assert_true(s->n < 64);
    assert_true(s->n == 0 || s->member[s->n - 1] < member); /* ascending, once each */
    s->member[s->n] = member;
    proto_buf_init(&s->part[s->n]);
    assert_int_equal(proto_buf_append(&s->part[s->n], slice, len), 0);
    s->n++;
    return 0;
}

/* For every member the slices name and one they do not (999), over several periods and as-of
 * dates: report_statement over books_slice_open() has the digest of report_statement over bk;
 * a part damaged in its last byte or cut short does not open. */
static void slices_agree(const struct books *bk)
{
    static const uint32_t q[][3] = {{20250101, 20251231, 20251231}, {20250301, 20250630, 20251231},
                                    {20250101, 20251231, 20250415}, {20250101, 20251231, 20250721},
                                    {20260101, 20261231, 20261231}};
    static const uint8_t zero[32];
    struct slices s;
    struct proto_buf common;

    memset(&s, 0, sizeof s);
    proto_buf_init(&common);
    assert_int_equal(books_slice_common(bk, &common), 0);
    assert_int_equal(books_slice_each(bk, slice_keep, &s), 0);
    for (size_t i = 0; i <= s.n; i++) {
        uint32_t m = i < s.n ? s.member[i] : 999;
        const uint8_t *part = i < s.n ? s.part[i].data : NULL;
        size_t len = i < s.n ? s.part[i].len : 0;
        struct books *sb = NULL;

        assert_int_equal(books_slice_open(books_genesis(bk), books_ledger_id(bk), zero, m,
                                          common.data, common.len, part, len, &sb),
                         0);
        for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
            struct report_statement a, b;

            assert_int_equal(report_statement(bk, m, q[k][0], q[k][1], q[k][2], &a), 0);
            assert_int_equal(report_statement(sb, m, q[k][0], q[k][1], q[k][2], &b), 0);
            assert_int_equal(a.meta.bytes.len, b.meta.bytes.len);
            assert_memory_equal(a.meta.bytes.data, b.meta.bytes.data, a.meta.bytes.len);
            report_statement_free(&a);
            report_statement_free(&b);
        }
        books_free(sb);
        if (i < s.n) {
            sb = NULL;
            assert_int_not_equal(books_slice_open(books_genesis(bk), books_ledger_id(bk), zero, m,
                                                  common.data, common.len, part, len - 1, &sb),
                                 0);
            assert_null(sb);
            assert_int_not_equal(books_slice_open(books_genesis(bk), books_ledger_id(bk), zero,
                                                  m + 1, common.data, common.len, part, len, &sb),
                                 0);
            proto_buf_release(&s.part[i]);
        }
    }
    proto_buf_release(&common);
}

static void test_session_statuses(void **state)
{
    struct session s;
    struct books *bk;

    (void)state;
    session_build(&s);
    bk = derive(s.h, NULL);
    assert_int_equal(item(bk, s.h, s.params)->status, BOOKS_EFFECTIVE);
    assert_non_null(books_params_at(bk, 20250101));
    assert_null(books_params_at(bk, 20241231));
    assert_int_equal(item(bk, s.h, s.admit7)->status, BOOKS_EFFECTIVE);
    /* Two approving members (the kasir who wrote it, the ketua who signed); one is a pengurus. */
    assert_int_equal(item(bk, s.h, s.admit7)->approvers, 2);
    assert_int_equal(item(bk, s.h, s.admit7)->missing_pengurus, 0);
    assert_int_equal(item(bk, s.h, s.wd7)->status, BOOKS_EFFECTIVE);
    assert_true(item(bk, s.h, s.wd7)->confirmed);
    assert_int_equal(item(bk, s.h, s.admit8)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, s.h, s.jbig)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, s.h, s.jbig)->approvers, 2);
    assert_int_equal(item(bk, s.h, s.bad)->status, BOOKS_MALFORMED);
    assert_int_equal(item(bk, s.h, s.exit8)->status, BOOKS_EFFECTIVE);
    /* The self-approved journal: 1 pengurus needed, the kasir authored it, member 7 is a
     * subject: it waits. */
    assert_int_equal(item(bk, s.h, s.jself)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, s.h, s.jself)->reason, BOOKS_WAIT_APPROVALS);
    assert_int_equal(item(bk, s.h, s.jself)->missing_pengurus, 1);
    books_free(bk);
    hist_free(s.h);
}

static void test_session_waiting_until_signed(void **state)
{
    struct session s;
    struct books *bk;
    size_t keep = 0, perm[MAX_ENTRIES];

    (void)state;
    session_build(&s);
    /* Without the ketua's sign and member 7's countersignature. */
    for (size_t i = 0; i < s.h->n; i++)
        if (i != s.sign_admit7 && i != s.wd7_sign && i != s.jbig_sign)
            perm[keep++] = i;
    bk = derive_n(s.h, perm, keep);
    assert_int_equal(item(bk, s.h, s.admit7)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, s.h, s.admit7)->reason, BOOKS_WAIT_APPROVALS);
    assert_int_equal(item(bk, s.h, s.admit7)->missing_pengurus, 1);
    assert_int_equal(item(bk, s.h, s.wd7)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, s.h, s.wd7)->reason, BOOKS_WAIT_COUNTERSIGN);
    assert_int_equal(item(bk, s.h, s.wd7)->csign_member, 7);
    assert_int_equal(item(bk, s.h, s.jbig)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, s.h, s.jbig)->missing_pengurus, 1);
    /* Waiting entries post nothing: the kas shows only what took effect. */
    assert_int_equal(books_balance(bk, 3100, 7, 20251231), 0);
    slices_agree(bk);
    books_free(bk);
    hist_free(s.h);
}

static void test_session_balances(void **state)
{
    struct session s;
    struct books *bk;

    (void)state;
    session_build(&s);
    bk = derive(s.h, NULL);
    /* Member 7: SP 100.000; SW 25.000 - 10.000; SS 500.000 - 200.000 - 400.000 = -100.000. */
    assert_int_equal(books_balance_natural(bk, 3100, 7, 20251231), 100000);
    assert_int_equal(books_balance_natural(bk, 3110, 7, 20251231), 15000);
    assert_int_equal(books_balance_natural(bk, 2100, 7, 20251231), -100000);
    assert_int_equal(books_balance_natural(bk, 2100, 7, 20250228), 300000);
    /* Member 8 left: SP and SW moved to refunds due (2400). */
    assert_int_equal(books_balance_natural(bk, 3100, 8, 20251231), 0);
    assert_int_equal(books_balance_natural(bk, 3110, 8, 20251231), 0);
    assert_int_equal(books_balance_natural(bk, 2400, 8, 20251231), 125000);
    /* Kas: +100.000 +25.000 +500.000 -200.000 +100.000 +25.000 -10.000 +50.000 -400.000
     * -6.000.000 = -5.810.000 (a koperasi that spends more than it holds: the test does not
     * care; the neraca still balances). The waiting self-approved journal posts nothing. */
    assert_int_equal(books_balance(bk, 1100, 0, 20251231), -5810000);
    assert_int_equal(books_member_status(bk, 7, 20250105, NULL, NULL), BOOKS_MEMBER_UNREGISTERED);
    assert_int_equal(books_member_status(bk, 7, 20250106, NULL, NULL), BOOKS_MEMBER_ACTIVE);
    assert_int_equal(books_member_status(bk, 8, 20250601, NULL, NULL), BOOKS_MEMBER_EXITED);
    books_free(bk);
    hist_free(s.h);
}

static void test_session_findings(void **state)
{
    struct session s;
    struct books *bk;
    struct books_finding *f;
    size_t n;

    (void)state;
    session_build(&s);
    bk = derive(s.h, NULL);
    assert_true(has_finding(bk, BOOKS_F_EQUITY_WITHDRAWAL, 7));
    assert_true(has_finding(bk, BOOKS_F_NON_MEMBER, 9));
    assert_true(has_finding(bk, BOOKS_F_OVERDRAWN, 7));
    assert_true(has_finding(bk, BOOKS_F_MALFORMED, 0));
    assert_true(has_finding(bk, BOOKS_F_SELF_APPROVAL, 7));
    assert_true(has_finding(bk, BOOKS_F_WITNESSED, 8));
    assert_false(has_finding(bk, BOOKS_F_EXIT_AMOUNTS, 8));
    assert_false(has_finding(bk, BOOKS_F_DUPLICATE_ADMISSION, 0));
    assert_false(has_finding(bk, BOOKS_F_UNBALANCED, 0));
    /* The overdrawn finding names the withdrawal that went below zero, dated its day. */
    for (size_t i = 0; i < books_nfindings(bk); i++) {
        const struct books_finding *x = &books_findings(bk)[i];

        if (x->code != BOOKS_F_OVERDRAWN)
            continue;
        assert_int_equal(x->date, 20250315);
        assert_int_equal(x->amount, -100000);
        assert_memory_equal(books_item(bk, (size_t)x->item)->id, s.h->e[s.over7].id, 32);
    }
    /* Refund due to member 8: 30 days after 1 June; overdue on 2 July, not on 1 July. */
    assert_int_equal(books_findings_at(bk, 20250701, &f, &n), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(f[i].code, BOOKS_F_REFUND_OVERDUE);
    free(f);
    assert_int_equal(books_findings_at(bk, 20250702, &f, &n), 0);
    {
        bool found = false;

        for (size_t i = 0; i < n; i++)
            if (f[i].code == BOOKS_F_REFUND_OVERDUE) {
                found = true;
                assert_int_equal(f[i].member, 8);
                assert_int_equal(f[i].amount, 125000);
                assert_int_equal(f[i].detail[0], 1);
            }
        assert_true(found);
    }
    free(f);
    books_free(bk);
    hist_free(s.h);
}

static void test_session_reports(void **state)
{
    struct session s;
    struct books *bk;
    struct report_neraca nr;
    struct report_statement st;
    struct report_pending pd;

    (void)state;
    session_build(&s);
    bk = derive(s.h, NULL);
    assert_int_equal(report_neraca(bk, 20251231, &nr), 0);
    assert_true(nr.balanced);
    /* Assets: kas -5.810.000. Liabilities: SS 7 -100.000, SS 9 50.000, refund 8 125.000 =
     * 75.000. Equity: SP 100.000 + SW 15.000 + SHU tahun berjalan -6.000.000. */
    assert_int_equal(nr.assets, -5810000);
    assert_int_equal(nr.liabilities, 75000);
    assert_int_equal(nr.equity, 115000 - 6000000);
    assert_int_equal(nr.rows[0].code, REPORT_CODE_SHU_CURRENT);
    assert_int_equal(nr.rows[0].amount, -6000000);
    report_neraca_free(&nr);

    assert_int_equal(report_statement(bk, 7, 20250101, 20251231, 20251231, &st), 0);
    assert_int_equal(st.status, BOOKS_MEMBER_ACTIVE);
    assert_int_equal(st.joined, 20250106);
    assert_int_equal(st.naccounts, 3); /* 2100, 3100, 3110 */
    assert_int_equal(st.accounts[0].account, 2100);
    assert_string_equal(st.accounts[0].product, "SS");
    assert_int_equal(st.accounts[0].opening, 0);
    assert_int_equal(st.accounts[0].nmoves, 3);
    assert_int_equal(st.accounts[0].closing, -100000);
    assert_true(st.accounts[0].moves[1].confirmed);
    assert_int_equal(st.nwaiting, 1); /* the self-approved journal */
    report_statement_free(&st);
    /* From March on: opening = 300.000 on SS. */
    assert_int_equal(report_statement(bk, 7, 20250301, 20251231, 20251231, &st), 0);
    assert_int_equal(st.accounts[0].opening, 300000);
    assert_int_equal(st.accounts[0].nmoves, 1);
    report_statement_free(&st);

    /* Member 8 left on 1 June with 125.000 to be refunded within 30 days: overdue by 62 days
     * on 1 September (due 1 July). */
    assert_int_equal(report_statement(bk, 8, 20250101, 20250901, 20250901, &st), 0);
    assert_int_equal(st.status, BOOKS_MEMBER_EXITED);
    assert_int_equal(st.refund_balance, 125000);
    assert_int_equal(st.refund_due, 20250701);
    assert_int_equal(st.overdue_days, 62);
    report_statement_free(&st);

    assert_int_equal(report_pending(bk, 20251231, 0, &pd), 0);
    assert_int_equal(pd.n, 1);
    assert_memory_equal(books_item(bk, pd.items[0])->id, s.h->e[s.jself].id, 32);
    report_pending_free(&pd);
    slices_agree(bk);
    books_free(bk);
    hist_free(s.h);
}

/* ---- order independence on random histories ---- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t interest(struct hist *h, int d, uint32_t period, uint32_t date, const char *product,
                       uint32_t rate, const struct proto_interest_row *rows, uint32_t n);
static size_t reverse(struct hist *h, int d, size_t target, uint32_t date);

/* A random history: admissions, deposits, withdrawals, exits, journals, approvals and
 * rejections by random devices, many of them breaking rules on purpose. */
static struct hist *random_hist(uint64_t seed, size_t ops)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    uint64_t r = seed;

    assert_non_null(p);
    proto_params_default(p, 20250101);
    add_params(h, KETUA, p);
    free(p);
    for (size_t k = 0; k < ops && h->n < MAX_ENTRIES - 2; k++) {
        uint64_t x = rng_next(&r);
        int d = (int)(x % NDEV);
        uint32_t m = 5 + (uint32_t)((x >> 8) % 8);
        uint32_t date = 20250101 + 100 * (uint32_t)((x >> 16) % 12) + (uint32_t)((x >> 24) % 28);
        uint64_t amt = 1000 * (1 + (x >> 32) % 9000);

        switch ((x >> 40) % 10) {
        case 0:
            admit(h, d, m, date, (x >> 48) % 4 ? 100000 : 50000);
            break;
        case 1:
        case 2:
            savings(h, d, true, m, date, "SS", 2100, amt);
            break;
        case 3:
            savings(h, d, true, m, date, (x >> 50) % 2 ? "SW" : "SP", (x >> 50) % 2 ? 3110 : 3100,
                    amt);
            break;
        case 4:
            savings(h, d, false, m, date, (x >> 52) % 5 ? "SS" : "SW", (x >> 52) % 5 ? 2100 : 3110,
                    amt);
            break;
        case 5:
            if ((x >> 56) % 3 == 0) {
                /* Interest for a month of 2025 on a few members: mostly wrong figures,
                 * duplicates and missing members, by whoever. */
                struct proto_interest_row rows[4];
                uint32_t nr = 1 + (uint32_t)((x >> 58) % 4);

                for (uint32_t q = 0; q < nr; q++)
                    rows[q] = (struct proto_interest_row){5 + 2 * q + (uint32_t)((x >> 62) % 2),
                                                          amt, amt / 1000, 0};
                interest(h, d, 202501 + (uint32_t)((x >> 16) % 11), date + 100, "SS", 30000, rows,
                         nr);
                break;
            }
            journal(h, d, date, (x >> 52) % 2 ? 5200 : 2100, 1100, (x >> 52) % 2 ? 0 : m,
                    amt * 100);
            break;
        case 6:
        case 7:
            if (h->n > 1)
                sign(h, d, 1 + (size_t)((x >> 48) % (h->n - 1)),
                     (x >> 60) % 6 ? PROTO_SIGN_APPROVE : PROTO_SIGN_REJECT);
            break;
        case 8:
            /* A reversal of any earlier entry by whoever: mirrors, cancellations of nothing
             * cancellable, reversals of signs and of the founding parameters (invalid), of
             * reversals (chains), several of one entry (duplicates), dated before it. */
            if (h->n > 1) {
                size_t t = (x >> 48) % 4 == 0 && h->n > 8 ? h->n - 1 - (size_t)((x >> 50) % 8)
                                                          : (size_t)((x >> 48) % h->n);

                reverse(h, (x >> 60) % 3 ? KETUA + (int)((x >> 58) % 2) : d, t, date);
            }
            break;
        default: {
            struct proto_acct_body *b = body_new(PROTO_KIND_MEMBER_EXIT);

            b->u.exit.member = m;
            b->u.exit.date = date;
            b->u.exit.reason = PROTO_EXIT_OWN;
            b->u.exit.pokok = 100000;
            b->u.exit.wajib = amt;
            b->u.exit.pokok_account = 3100;
            b->u.exit.wajib_account = 3110;
            b->u.exit.refund_account = 2400;
            add(h, d, b);
            free(b);
            break;
        }
        }
    }
    return h;
}

/* Every report's bytes, concatenated: what two replicas compare. */
static void reports_bytes(const struct books *bk, struct proto_buf *out)
{
    struct report_neraca nr;
    struct report_pending pd;
    struct report_findings fd;
    const uint32_t *members;
    size_t nm = books_members(bk, &members);

    for (uint32_t d = 20250131; d <= 20251231; d += 300) {
        assert_int_equal(report_neraca(bk, d, &nr), 0);
        assert_true(nr.balanced); /* every pattern balances; random journals do too */
        assert_int_equal(proto_buf_append(out, nr.meta.bytes.data, nr.meta.bytes.len), 0);
        report_neraca_free(&nr);
    }
    for (size_t i = 0; i < nm; i++) {
        struct report_statement st;

        assert_int_equal(report_statement(bk, members[i], 20250101, 20251231, 20251231, &st), 0);
        assert_int_equal(proto_buf_append(out, st.meta.bytes.data, st.meta.bytes.len), 0);
        report_statement_free(&st);
    }
    assert_int_equal(report_pending(bk, 20251231, 0, &pd), 0);
    assert_int_equal(proto_buf_append(out, pd.meta.bytes.data, pd.meta.bytes.len), 0);
    report_pending_free(&pd);
    assert_int_equal(report_findings(bk, 20250101, 20251231, &fd), 0);
    assert_int_equal(proto_buf_append(out, fd.meta.bytes.data, fd.meta.bytes.len), 0);
    report_findings_free(&fd);
    for (size_t i = 0; i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        assert_int_equal(proto_buf_append(out, it, sizeof *it), 0);
    }
}

static void test_order_independence(void **state)
{
    size_t effective = 0, waiting = 0, findings = 0, reversed = 0, dup_or_invalid = 0;

    (void)state;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        struct hist *h = random_hist(seed, 150 + 40 * seed);
        size_t *perm = malloc(h->n * sizeof *perm);
        struct proto_buf first, again;
        uint64_t r = seed * 7919;
        struct books *bk;

        assert_non_null(perm);
        bk = derive(h, NULL);
        proto_buf_init(&first);
        reports_bytes(bk, &first);
        for (size_t i = 0; i < books_nitems(bk); i++) {
            const struct books_item *it = books_item(bk, i);

            effective += it->status == BOOKS_EFFECTIVE;
            waiting += it->status == BOOKS_WAITING;
            reversed += it->kind == PROTO_KIND_REVERSE && it->status == BOOKS_EFFECTIVE;
            dup_or_invalid +=
                it->kind == PROTO_KIND_REVERSE && it->status == BOOKS_VOID &&
                (it->reason == BOOKS_VOID_DUPLICATE || it->reason == BOOKS_VOID_REVERSE_INVALID);
        }
        findings += books_nfindings(bk);
        books_free(bk);
        for (int round = 0; round < 8; round++) {
            for (size_t i = 0; i < h->n; i++)
                perm[i] = i;
            for (size_t i = h->n; i > 1; i--) {
                size_t j = (size_t)(rng_next(&r) % i), t = perm[i - 1];

                perm[i - 1] = perm[j];
                perm[j] = t;
            }
            bk = derive(h, perm);
            proto_buf_init(&again);
            reports_bytes(bk, &again);
            assert_int_equal(again.len, first.len);
            assert_memory_equal(again.data, first.data, first.len);
            proto_buf_release(&again);
            books_free(bk);
        }
        proto_buf_release(&first);
        free(perm);
        hist_free(h);
    }
    /* The histories exercise every outcome, not just one. */
    assert_true(effective > 100);
    assert_true(waiting > 20);
    assert_true(findings > 20);
    assert_true(reversed > 10);
    assert_true(dup_or_invalid > 3);
}

/* A later arrival flips a status: the sign that completes a withdrawal arrives last. */
static void test_late_sign(void **state)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    struct books *bk;
    size_t w;

    (void)state;
    assert_non_null(p);
    proto_params_default(p, 20250101);
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250105, 100000);
    savings(h, KASIR, true, 7, 20250105, "SS", 2100, 1000000);
    /* Below 5 jt a withdrawal needs only the member's countersignature. */
    w = savings(h, KASIR, false, 7, 20250110, "SS", 2100, 600000);
    sign(h, HP7, w, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, w)->status, BOOKS_EFFECTIVE); /* 600.000 < 5 jt: no approval */
    books_free(bk);
    /* A rejection by the pengawas does not undo it: a finding. */
    sign(h, PENGAWAS, w, PROTO_SIGN_REJECT);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, w)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, w)->rejects, 1);
    assert_true(has_finding(bk, BOOKS_F_APPROVED_DESPITE_REJECTION, 7));
    books_free(bk);
    hist_free(h);
}

/* Without parameters nothing of the new kinds takes effect: it waits (no-params). */
static void test_no_params(void **state)
{
    struct hist *h = hist_new();
    struct books *bk;
    size_t a;

    (void)state;
    a = admit(h, KETUA, 7, 20250105, 100000);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, a)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, a)->reason, BOOKS_WAIT_NO_PARAMS);
    assert_int_equal(books_npostings(bk), 0);
    books_free(bk);
    hist_free(h);
}

/* Authority: a member's phone may not deposit (default authors of 48: pengurus, kasir). */
static void test_authority(void **state)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    struct books *bk;
    size_t d;

    (void)state;
    assert_non_null(p);
    proto_params_default(p, 20250101);
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250105, 100000);
    d = savings(h, HP7, true, 7, 20250106, "SS", 2100, 50000);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, d)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, d)->reason, BOOKS_VOID_AUTHORITY);
    assert_true(has_finding(bk, BOOKS_F_AUTHORITY, 7));
    assert_int_equal(books_balance(bk, 2100, 7, 20251231), 0);
    books_free(bk);
    hist_free(h);
}

/* A second parameter version needs 2 pengurus + 1 pengawas and is in force from the day after
 * its adoption; the founding one stays in force before that. */
static void test_params_versions(void **state)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    struct books *bk;
    size_t v2;

    (void)state;
    assert_non_null(p);
    proto_params_default(p, 20250101);
    p->params_need_rat = false; /* resolutions (kind 34) are a later milestone */
    add_params(h, KETUA, p);
    p->adopted = 20250301;
    p->effective = 20250101; /* "retroactive": clamped to the day after adoption */
    p->pokok = 150000;
    v2 = add_params(h, BENDAHARA, p);
    free(p);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, v2)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, v2)->reason, BOOKS_WAIT_APPROVALS);
    books_free(bk);
    sign(h, KETUA, v2, PROTO_SIGN_APPROVE);
    sign(h, PENGAWAS, v2, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, v2)->status, BOOKS_EFFECTIVE);
    assert_int_equal(books_params_at(bk, 20250301)->pokok, 100000);
    assert_int_equal(books_params_at(bk, 20250302)->pokok, 150000);
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

/* Within a day order never matters (ACCOUNTING.md 4.4): a member admitted on a day is one all
 * that day, and one who leaves on a day is one until its end, whatever the entries' ids. */
static void test_same_day(void **state)
{
    (void)state;
    for (uint32_t v = 0; v < 16; v++) {
        struct hist *h = hist_new();
        struct proto_params *p = malloc(sizeof *p);
        struct books *bk;

        assert_non_null(p);
        proto_params_default(p, 20250101);
        add_params(h, KETUA, p);
        free(p);
        /* Different amounts give different ids, so both id orders occur over the rounds. */
        savings(h, KASIR, true, 7, 20250105, "SS", 2100, 1000 * (v + 1));
        admit(h, KETUA, 7, 20250105, 100000);
        {
            struct proto_acct_body *b = body_new(PROTO_KIND_MEMBER_EXIT);

            b->u.exit.member = 7;
            b->u.exit.date = 20250110;
            b->u.exit.reason = PROTO_EXIT_OWN;
            b->u.exit.pokok = 100000;
            b->u.exit.pokok_account = 3100;
            b->u.exit.wajib_account = 3110;
            b->u.exit.refund_account = 2400;
            sign(h, HP7, add(h, KETUA, b), PROTO_SIGN_APPROVE);
            free(b);
        }
        savings(h, KASIR, true, 7, 20250110, "SS", 2100, 2000 * (v + 1));
        bk = derive(h, NULL);
        assert_false(has_finding(bk, BOOKS_F_NON_MEMBER, 7));
        assert_false(has_finding(bk, BOOKS_F_EXIT_AMOUNTS, 7));
        books_free(bk);
        /* The next day the member is gone. */
        savings(h, KASIR, true, 7, 20250111, "SS", 2100, 5000);
        bk = derive(h, NULL);
        assert_true(has_finding(bk, BOOKS_F_NON_MEMBER, 7));
        slices_agree(bk);
    books_free(bk);
        hist_free(h);
    }
}

/* A member of a ledger kept before the register (pokok posted by a journal, no admission) is
 * a member: an info finding, not a serious non-member one on each deposit. */
static void test_legacy_member(void **state)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    struct books *bk;

    (void)state;
    assert_non_null(p);
    proto_params_default(p, 20250101);
    add_params(h, KETUA, p);
    free(p);
    {
        struct proto_acct_body *b = body_new(PROTO_KIND_JOURNAL_A);

        b->u.ja.j.date = 20250110;
        strcpy(b->u.ja.j.memo, "Simpanan pokok anggota 9 (buku lama)");
        b->u.ja.j.nlines = 2;
        b->u.ja.j.lines[0] = (struct proto_line){1100, 0, 100000, 0};
        b->u.ja.j.lines[1] = (struct proto_line){3100, 9, 0, 100000};
        add(h, KETUA, b);
        free(b);
    }
    savings(h, KASIR, true, 9, 20250201, "SS", 2100, 50000);
    savings(h, KASIR, true, 9, 20250105, "SS", 2100, 50000); /* before the pokok: not yet */
    bk = derive(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_MEMBER_UNREGISTERED, 9));
    for (size_t i = 0; i < books_nfindings(bk); i++) {
        const struct books_finding *f = &books_findings(bk)[i];

        if (f->code == BOOKS_F_NON_MEMBER)
            assert_int_equal(f->date, 20250105);
    }
    assert_true(has_finding(bk, BOOKS_F_NON_MEMBER, 9));
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

/* ---- loans (ACCOUNTING.md 3.7) ---- */

static size_t loan_apply(struct hist *h, int d, uint32_t borrower, uint32_t date,
                         uint64_t principal, uint32_t periods)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_LOAN_APPLY);
    struct proto_loan_apply *a = &b->u.apply;
    size_t i;

    a->borrower = borrower;
    a->date = date;
    strcpy(a->product, "PU");
    a->principal = principal;
    a->periods = periods;
    a->rate_ppm = 180000; /* 1,5 % a month, flat */
    a->method = PROTO_LOAN_FLAT;
    a->rounding = (struct proto_loan_rounding){PROTO_LOAN_ROUND_HALF_UP, 1};
    a->receivable = 1200;
    a->interest = 4100;
    a->penalty = 4210;
    a->nfees = 2; /* admin 1 %, provisi 1 % */
    a->fees[0] = (struct proto_acct_row){4200, principal / 100};
    a->fees[1] = (struct proto_acct_row){4200, principal / 100};
    a->purpose = 1;
    i = add(h, d, b);
    free(b);
    return i;
}

static size_t loan_disburse(struct hist *h, int d, size_t loan, uint32_t date, uint64_t gross)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_LOAN_DISBURSE);
    size_t i;

    memcpy(b->u.disburse.loan, h->e[loan].id, 32);
    b->u.disburse.date = date;
    b->u.disburse.gross = gross;
    b->u.disburse.cash_account = 1100;
    b->u.disburse.nfees = 2;
    b->u.disburse.fees[0] = (struct proto_acct_row){4200, gross / 100};
    b->u.disburse.fees[1] = (struct proto_acct_row){4200, gross / 100};
    i = add(h, d, b);
    free(b);
    return i;
}

static size_t loan_repay(struct hist *h, size_t loan, uint32_t date, uint64_t penalty,
                         uint64_t interest, uint64_t principal)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_LOAN_REPAY);
    size_t i;

    memcpy(b->u.repay.loan, h->e[loan].id, 32);
    b->u.repay.date = date;
    b->u.repay.penalty = penalty;
    b->u.repay.interest = interest;
    b->u.repay.principal = principal;
    b->u.repay.cash_account = 1100;
    i = add(h, KASIR, b);
    free(b);
    return i;
}

/* Siti's 12 jt PU loan (ACCOUNTING.md 8.3): flat 1,5 % a month over 12 months, so each
 * installment is 12.000.000 / 12 = 1.000.000 principal + 12.000.000 x 1,5 % = 180.000
 * interest = 1.180.000; admin and provisi 1 % each = 120.000 + 120.000, net 11.760.000. */
static struct hist *loan_hist(size_t *app, size_t *dis)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);

    assert_non_null(p);
    proto_params_default(p, 20250101);
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250106, 100000);
    savings(h, KASIR, true, 7, 20250106, "SS", 2100, 20000000);
    *app = loan_apply(h, HP7, 7, 20250210, 12000000, 12);
    *dis = loan_disburse(h, KASIR, *app, 20250212, 12000000);
    return h;
}

static void test_loan_waits(void **state)
{
    struct books *bk;
    size_t app, dis, s1;
    struct hist *h = loan_hist(&app, &dis);

    (void)state;
    /* >= 5 jt: 2 pengurus; the borrower's own device counts for nothing (a subject). */
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, app)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, app)->missing_pengurus, 2);
    assert_int_equal(item(bk, h, dis)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, dis)->reason, BOOKS_WAIT_PREREQUISITE);
    books_free(bk);
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    s1 = sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    (void)s1;
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, app)->status, BOOKS_EFFECTIVE);
    /* The disbursement now waits for the borrower's receipt (countersign [57, 1]). */
    assert_int_equal(item(bk, h, dis)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, dis)->reason, BOOKS_WAIT_COUNTERSIGN);
    assert_int_equal(item(bk, h, dis)->csign_member, 7);
    assert_int_equal(books_loan_find(bk, h->e[app].id)->status, BOOKS_LOAN_APPROVED);
    books_free(bk);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, dis)->status, BOOKS_EFFECTIVE);
    assert_int_equal(books_loan_find(bk, h->e[app].id)->status, BOOKS_LOAN_DISBURSED);
    assert_int_equal(books_loan_find(bk, h->e[app].id)->disbursed, 20250212);
    /* Dr 1200(7) 12.000.000 / Cr 1100 11.760.000, Cr 4200 120.000 x 2. */
    assert_int_equal(books_balance(bk, 1200, 7, 20250212), 12000000);
    assert_int_equal(books_balance_natural(bk, 4200, 0, 20250212), 240000);
    assert_int_equal(books_balance(bk, 1100, 0, 20250212), 100000 + 20000000 - 11760000);
    assert_false(has_finding(bk, BOOKS_F_DISBURSE_AMOUNT, 0));
    assert_false(has_finding(bk, BOOKS_F_SELF_DISBURSEMENT, 0));
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

static void test_loan_state(void **state)
{
    struct books *bk;
    size_t app, dis, r1;
    struct hist *h = loan_hist(&app, &dis);
    struct books_loan_state st;
    const struct books_loan *l;
    struct report_loans rl;

    (void)state;
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    r1 = loan_repay(h, app, 20250312, 0, 180000, 1000000);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, r1)->status, BOOKS_EFFECTIVE);
    assert_false(has_finding(bk, BOOKS_F_ALLOCATION, 7));
    l = books_loan_find(bk, h->e[app].id);
    assert_non_null(l);
    /* Installment 1 falls due 12 March and is paid that day: nothing past due. */
    assert_int_equal(books_loan_state(bk, l, 20250312, &st), 0);
    assert_int_equal(st.outstanding, 11000000);
    assert_int_equal(st.dpd, 0);
    assert_int_equal(st.interest_paid, 180000);
    assert_int_equal(st.next_due, 20250412);
    assert_int_equal(st.next_amount, 1180000);
    /* Installment 2 (12 April) unpaid on 2 May: 20 days past due, 1.180.000 in arrears; bucket
     * 0..90 days (lancar), allowance 0,5 % of 11.000.000 = 55.000. */
    assert_int_equal(books_loan_state(bk, l, 20250502, &st), 0);
    assert_int_equal(st.dpd, 20);
    assert_int_equal(st.arrears, 1180000);
    assert_int_equal(st.klass, 1);
    assert_int_equal(st.ppapwd, 55000);
    /* 4 months late on the 2nd installment (12 April + 100 days = 21 July): kurang lancar. */
    assert_int_equal(books_loan_state(bk, l, 20250721, &st), 0);
    assert_int_equal(st.dpd, 100);
    assert_int_equal(st.klass, 2);
    assert_int_equal(st.ppapwd, 1100000); /* 10 % of 11.000.000 */
    assert_int_equal(report_loans(bk, 20250721, &rl), 0);
    assert_int_equal(rl.count, 1);
    assert_int_equal(rl.outstanding, 11000000);
    assert_int_equal(rl.bermasalah, 11000000);
    assert_int_equal(rl.ratio_ppm, 1000000);
    assert_int_equal(rl.ntop, 1);
    assert_int_equal(rl.top[0].member, 7);
    report_loans_free(&rl);
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

static void test_loan_findings(void **state)
{
    struct books *bk;
    size_t app, dis, bad, r;
    struct hist *h = loan_hist(&app, &dis);

    (void)state;
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    /* All as principal while 180.000 of interest is due: allocation. */
    r = loan_repay(h, app, 20250312, 0, 0, 1180000);
    /* An application the kasir wrote for member 7: fictitious, void. */
    bad = loan_apply(h, KASIR, 7, 20250301, 2000000, 6);
    bk = derive(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_ALLOCATION, 7));
    assert_int_equal(item(bk, h, r)->status, BOOKS_EFFECTIVE); /* cash moved: still posts */
    assert_int_equal(item(bk, h, bad)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, bad)->reason, BOOKS_VOID_NOT_BORROWER);
    assert_true(has_finding(bk, BOOKS_F_NOT_BORROWER, 7));
    books_free(bk);
    /* A second application while the first loan is past due (nothing paid for April's
     * installment by 1 May): delinquent-borrower; one on 12 April is not (paid up to March). */
    sign(h, KETUA, loan_apply(h, HP7, 7, 20250412, 1000000, 3), PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_false(has_finding(bk, BOOKS_F_DELINQUENT_BORROWER, 7));
    books_free(bk);
    sign(h, KETUA, loan_apply(h, HP7, 7, 20250501, 1000000, 3), PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_DELINQUENT_BORROWER, 7));
    books_free(bk);
    /* Paying back more principal than was lent: overpayment, on each repayment beyond it. */
    r = loan_repay(h, app, 20250412, 0, 180000, 11000000);
    bad = loan_repay(h, app, 20250512, 0, 0, 500000);
    bk = derive(h, NULL);
    {
        size_t over = 0;

        for (size_t k = 0; k < books_nfindings(bk); k++)
            over += books_findings(bk)[k].code == BOOKS_F_OVERPAYMENT;
        assert_int_equal(over, 2);
    }
    books_free(bk);
    /* The borrower approving their own application: self-approval, and it counts for nothing. */
    sign(h, HP7, app, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_SELF_APPROVAL, 7));
    books_free(bk);
    hist_free(h);
    /* An application whose admin fee is not the product's 1 %: terms. */
    h = loan_hist(&app, &dis);
    {
        struct proto_acct_body *b = body_new(PROTO_KIND_LOAN_APPLY);

        assert_int_equal(
            proto_acct_decode(PROTO_KIND_LOAN_APPLY, h->e[app].body.data, h->e[app].body.len, b),
            0);
        b->u.apply.fees[0].amount = 500000;
        b->u.apply.date = 20250211;
        bad = add(h, HP7, b);
        sign(h, KETUA, bad, PROTO_SIGN_APPROVE);
        sign(h, BENDAHARA, bad, PROTO_SIGN_APPROVE);
        free(b);
    }
    bk = derive(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_TERMS, 7));
    books_free(bk);
    hist_free(h);
}

/* ---- exit settlement against loans (3.5), provision and write-off (3.8) ---- */

static size_t settle_entry(struct hist *h, int d, uint32_t m, uint32_t date, size_t ex,
                           uint64_t refund, uint64_t sukarela, size_t loan, uint64_t principal,
                           uint64_t interest)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_EXIT_SETTLE);
    struct proto_exit_settle *s = &b->u.settle;
    size_t i;

    s->member = m;
    s->date = date;
    memcpy(s->exit, h->e[ex].id, 32);
    s->refund = refund;
    s->refund_account = 2400;
    s->nsavings = 1;
    s->savings[0] = (struct proto_settle_saving){2100, sukarela};
    s->noffsets = 1;
    memcpy(s->offsets[0].loan, h->e[loan].id, 32);
    s->offsets[0].principal = principal;
    s->offsets[0].interest = interest;
    s->cash_account = 1100;
    i = add(h, d, b);
    free(b);
    return i;
}

/*
 * Member 7: pokok 100.000, wajib 300.000, sukarela 200.000; a loan of 500.000 over 10 months,
 * flat 1,5 % a month: installments of 50.000 principal + 7.500 interest, due the 12th from
 * March. The first is paid on 12 March; on 15 May three are due, so 450.000 is outstanding and
 * 3 x 7.500 - 7.500 = 15.000 of interest is due. The exit makes 100.000 + 300.000 a refund due;
 * the settlement nets 400.000 + 200.000 - (450.000 + 15.000) = 135.000 paid out.
 */
static struct hist *exit_loan_hist(size_t *app, size_t *ex)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    size_t dis;

    assert_non_null(p);
    proto_params_default(p, 20250101);
    p->loans[0].principal_min = 100000; /* PU from 100.000 here: no `terms` finding */
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250106, 100000);
    savings(h, KASIR, true, 7, 20250106, "SW", 3110, 300000);
    savings(h, KASIR, true, 7, 20250106, "SS", 2100, 200000);
    *app = loan_apply(h, HP7, 7, 20250210, 500000, 10);
    sign(h, KETUA, *app, PROTO_SIGN_APPROVE);
    dis = loan_disburse(h, KASIR, *app, 20250212, 500000);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    loan_repay(h, *app, 20250312, 0, 7500, 50000);
    {
        struct proto_acct_body *b = body_new(PROTO_KIND_MEMBER_EXIT);

        b->u.exit.member = 7;
        b->u.exit.date = 20250515;
        b->u.exit.reason = PROTO_EXIT_OWN;
        b->u.exit.pokok = 100000;
        b->u.exit.wajib = 300000;
        b->u.exit.pokok_account = 3100;
        b->u.exit.wajib_account = 3110;
        b->u.exit.refund_account = 2400;
        *ex = add(h, KETUA, b);
        free(b);
    }
    return h;
}

static void test_settle_offsets(void **state)
{
    struct books *bk;
    size_t app, ex, st;
    struct hist *h = exit_loan_hist(&app, &ex);
    const struct books_loan *l;
    struct books_loan_state ls;
    struct report_loans rl;
    const struct books_item *it;

    (void)state;
    st = settle_entry(h, KETUA, 7, 20250515, ex, 400000, 200000, app, 450000, 15000);
    sign(h, HP7, st, PROTO_SIGN_APPROVE); /* the payout's countersignature */
    /* The exit is not countersigned yet: the settlement waits for it. */
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, ex)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, st)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, st)->reason, BOOKS_WAIT_PREREQUISITE);
    books_free(bk);
    sign(h, HP7, ex, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    it = item(bk, h, st);
    assert_int_equal(it->status, BOOKS_EFFECTIVE);
    assert_int_equal(it->amount, 600000); /* matrix amount: refund + savings */
    assert_int_equal(it->csign_member, 7);
    /* Dr 2400(7) 400.000, Dr 2100(7) 200.000 / Cr 1200(7) 450.000, Cr 4100(7) 15.000,
     * Cr 1100 135.000. */
    assert_int_equal(it->nposting, 5);
    {
        const struct books_posting *p = &books_postings(bk)[it->first_posting];

        assert_int_equal(p[0].account, 2400);
        assert_int_equal(p[0].debit, 400000);
        assert_int_equal(p[1].account, 2100);
        assert_int_equal(p[1].debit, 200000);
        assert_int_equal(p[2].account, 1200);
        assert_int_equal(p[2].member, 7);
        assert_int_equal(p[2].credit, 450000);
        assert_int_equal(p[3].account, 4100);
        assert_int_equal(p[3].member, 7);
        assert_int_equal(p[3].credit, 15000);
        assert_int_equal(p[4].account, 1100);
        assert_int_equal(p[4].member, 0);
        assert_int_equal(p[4].credit, 135000);
    }
    assert_int_equal(books_balance(bk, 1200, 7, 20250515), 0);
    assert_int_equal(books_balance(bk, 2400, 7, 20250515), 0);
    assert_int_equal(books_balance_natural(bk, 4100, 7, 20250515), 22500);
    /* The loan is paid off on the settlement's date and drops out of the portfolio. */
    l = books_loan_find(bk, h->e[app].id);
    assert_int_equal(books_loan_state(bk, l, 20250514, &ls), 0);
    assert_int_equal(ls.status, BOOKS_LOAN_DISBURSED);
    assert_int_equal(ls.outstanding, 450000);
    assert_int_equal(books_loan_state(bk, l, 20250515, &ls), 0);
    assert_int_equal(ls.status, BOOKS_LOAN_PAID);
    assert_int_equal(ls.outstanding, 0);
    assert_int_equal(ls.interest_paid, 22500);
    assert_int_equal(ls.principal_paid, 500000);
    assert_int_equal(report_loans(bk, 20250515, &rl), 0);
    assert_int_equal(rl.count, 0);
    assert_int_equal(rl.outstanding, 0);
    assert_int_equal(rl.n, 1); /* listed, as paid */
    assert_int_equal(rl.rows[0].st.status, BOOKS_LOAN_PAID);
    report_loans_free(&rl);
    assert_false(has_finding(bk, BOOKS_F_OVERPAYMENT, 7));
    assert_false(has_finding(bk, BOOKS_F_PATTERN, 7));
    assert_false(has_finding(bk, BOOKS_F_OVERDRAWN, 7));
    books_free(bk);
    hist_free(h);

    /* Offsetting more than the loan owes: overpayment (it still posts: the refund was kept). */
    h = exit_loan_hist(&app, &ex);
    sign(h, HP7, ex, PROTO_SIGN_APPROVE);
    st = settle_entry(h, KETUA, 7, 20250515, ex, 400000, 200000, app, 500000, 15000);
    sign(h, HP7, st, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, st)->status, BOOKS_EFFECTIVE);
    assert_true(has_finding(bk, BOOKS_F_OVERPAYMENT, 7));
    books_free(bk);
    hist_free(h);

    /* An offset naming a loan that is not disbursed: the settlement waits for it. With no cash
     * paid out (payout 0) no countersignature is needed. */
    h = exit_loan_hist(&app, &ex);
    sign(h, HP7, ex, PROTO_SIGN_APPROVE);
    {
        size_t app2 = loan_apply(h, HP7, 7, 20250301, 135000, 3);

        sign(h, KETUA, app2, PROTO_SIGN_APPROVE);
        settle_entry(h, KETUA, 7, 20250515, ex, 400000, 200000, app, 450000, 15000);
        {
            struct proto_acct_body *b = body_new(PROTO_KIND_EXIT_SETTLE);

            assert_int_equal(proto_acct_decode(PROTO_KIND_EXIT_SETTLE, h->e[h->n - 1].body.data,
                                               h->e[h->n - 1].body.len, b),
                             0);
            b->u.settle.noffsets = 2;
            memcpy(b->u.settle.offsets[1].loan, h->e[app2].id, 32);
            b->u.settle.offsets[1].principal = 135000;
            assert_int_equal(proto_acct_csign_subject(b), 0);
            st = add(h, KETUA, b);
            free(b);
        }
        bk = derive(h, NULL);
        assert_int_equal(item(bk, h, st)->status, BOOKS_WAITING);
        assert_int_equal(item(bk, h, st)->reason, BOOKS_WAIT_PREREQUISITE);
        assert_memory_equal(item(bk, h, st)->prereq, h->e[app2].id, 32);
        books_free(bk);
        sign(h, HP7, loan_disburse(h, KASIR, app2, 20250302, 135000), PROTO_SIGN_APPROVE);
        bk = derive(h, NULL);
        assert_int_equal(item(bk, h, st)->status, BOOKS_EFFECTIVE);
        assert_int_equal(item(bk, h, st)->csign_member, 0);
        books_free(bk);
    }
    hist_free(h);
}

static size_t provision(struct hist *h, int d, uint32_t date, int64_t amount)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_PROVISION);
    size_t i;

    b->u.provision.date = date;
    b->u.provision.expense_account = 5220;
    b->u.provision.allowance_account = 1290;
    b->u.provision.amount = amount;
    i = add(h, d, b);
    free(b);
    return i;
}

/* Siti's 12 jt loan on 1 March 2025, before its first installment: lancar, PPAPWD 0,5 % of
 * 12.000.000 = 60.000. */
static void test_provision(void **state)
{
    struct books *bk;
    size_t app, dis, p1, p2;
    struct hist *h = loan_hist(&app, &dis);
    struct report_loans rl;

    (void)state;
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    p1 = provision(h, KETUA, 20250301, 60000);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, p1)->status, BOOKS_WAITING); /* 1 pengurus + 1 pengawas */
    assert_int_equal(item(bk, h, p1)->missing_pengawas, 1);
    assert_int_equal(item(bk, h, p1)->missing_pengurus, 0);
    books_free(bk);
    sign(h, PENGAWAS, p1, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, p1)->status, BOOKS_EFFECTIVE);
    assert_int_equal(books_balance(bk, 1290, 0, 20250301), -60000);
    assert_int_equal(books_balance(bk, 5220, 0, 20250301), 60000);
    assert_false(has_finding(bk, BOOKS_F_PPAP, 0));
    assert_int_equal(report_loans(bk, 20250301, &rl), 0);
    assert_int_equal(rl.ppapwd, 60000);
    assert_int_equal(rl.ppap_booked, 60000);
    report_loans_free(&rl);
    books_free(bk);
    /* A second one of 10.000 the next day: 70.000 booked against 60.000 required. */
    p2 = provision(h, KETUA, 20250302, 10000);
    sign(h, PENGAWAS, p2, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, p2)->status, BOOKS_EFFECTIVE); /* informative only */
    assert_true(has_finding(bk, BOOKS_F_PPAP, 0));
    for (size_t k = 0; k < books_nfindings(bk); k++) {
        const struct books_finding *f = &books_findings(bk)[k];

        if (f->code != BOOKS_F_PPAP)
            continue;
        assert_int_equal(f->date, 20250302);
        assert_int_equal(f->amount, 70000);
        assert_int_equal(f->detail[0], 60000);
        assert_int_equal(f->detail[1], 10000);
        assert_int_equal(f->severity, BOOKS_ATTENTION);
    }
    books_free(bk);
    /* A release of 10.000 (amount < 0) brings it back: Dr 1290 / Cr 5220. */
    p2 = provision(h, KETUA, 20250303, -10000);
    sign(h, PENGAWAS, p2, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(books_balance(bk, 1290, 0, 20250303), -60000);
    assert_int_equal(item(bk, h, p2)->amount, 10000);
    books_free(bk);
    hist_free(h);
}

static size_t writeoff(struct hist *h, uint32_t date, size_t loan, uint64_t principal,
                       const size_t *res)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_WRITE_OFF);
    size_t i;

    memcpy(b->u.writeoff.loan, h->e[loan].id, 32);
    b->u.writeoff.date = date;
    b->u.writeoff.principal = principal;
    b->u.writeoff.allowance_account = 1290;
    if (res) {
        b->u.writeoff.has_resolution = true;
        memcpy(b->u.writeoff.resolution, h->e[*res].id, 32);
    }
    i = add(h, KETUA, b);
    free(b);
    return i;
}

static size_t writeoff_resolution(struct hist *h, uint32_t date, size_t loan)
{
    struct proto_resolution *r = calloc(1, sizeof *r);
    struct proto_buf body;

    assert_non_null(r);
    r->date = date;
    r->meeting = PROTO_MEETING_RAT;
    r->ndecisions = 1;
    r->decisions[0].type = PROTO_DECIDE_WRITEOFF;
    r->decisions[0].has_target = true;
    memcpy(r->decisions[0].target, h->e[loan].id, 32);
    r->decisions[0].outcome = PROTO_OUTCOME_ADOPTED;
    r->decisions[0].eligible = 10;
    r->decisions[0].present = 8;
    r->decisions[0].votes_for = 8;
    proto_buf_init(&body);
    assert_int_equal(proto_resolution_encode(r, &body), 0);
    free(r);
    return add_raw(h, KETUA, PROTO_KIND_RESOLUTION, &body);
}

/* Siti's 12 jt loan, 11.000.000 outstanding after March, written off at the end of 2025 by a
 * resolution (writeoff-need-rat): Dr 1290 11.000.000 / Cr 1200(7) 11.000.000. */
static void test_writeoff(void **state)
{
    struct books *bk;
    size_t app, dis, w, res, late;
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    const struct books_loan *l;
    struct books_loan_state ls;
    struct report_loans rl;

    (void)state;
    assert_non_null(p);
    proto_params_default(p, 20250101);
    assert_true(p->writeoff_need_rat);
    for (uint32_t k = 0; k < p->nmatrix; k++)
        if (p->matrix[k].kind == PROTO_KIND_RESOLUTION)
            p->matrix[k].offices = 0; /* this roster has no sekretaris */
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250106, 100000);
    savings(h, KASIR, true, 7, 20250106, "SS", 2100, 20000000);
    app = loan_apply(h, HP7, 7, 20250210, 12000000, 12);
    dis = loan_disburse(h, KASIR, app, 20250212, 12000000);
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    loan_repay(h, app, 20250312, 0, 180000, 1000000);
    w = writeoff(h, 20251231, app, 11000000, NULL);
    sign(h, BENDAHARA, w, PROTO_SIGN_APPROVE);
    sign(h, PENGAWAS, w, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, w)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, w)->reason, BOOKS_WAIT_RESOLUTION);
    assert_int_equal(item(bk, h, w)->member, 7);
    books_free(bk);
    hist_free(h);

    /* Again, naming a resolution: it waits for the resolution's approvals, then takes effect. */
    h = hist_new();
    p = malloc(sizeof *p);
    assert_non_null(p);
    proto_params_default(p, 20250101);
    for (uint32_t k = 0; k < p->nmatrix; k++)
        if (p->matrix[k].kind == PROTO_KIND_RESOLUTION)
            p->matrix[k].offices = 0;
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250106, 100000);
    savings(h, KASIR, true, 7, 20250106, "SS", 2100, 20000000);
    app = loan_apply(h, HP7, 7, 20250210, 12000000, 12);
    dis = loan_disburse(h, KASIR, app, 20250212, 12000000);
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    loan_repay(h, app, 20250312, 0, 180000, 1000000);
    res = writeoff_resolution(h, 20251220, app);
    w = writeoff(h, 20251231, app, 11000000, &res);
    sign(h, BENDAHARA, w, PROTO_SIGN_APPROVE);
    sign(h, PENGAWAS, w, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, res)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, w)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, w)->reason, BOOKS_WAIT_RESOLUTION);
    books_free(bk);
    sign(h, BENDAHARA, res, PROTO_SIGN_APPROVE);
    sign(h, PENGAWAS, res, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, res)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, w)->status, BOOKS_EFFECTIVE);
    assert_int_equal(books_balance(bk, 1200, 7, 20251231), 0);
    assert_int_equal(books_balance(bk, 1290, 0, 20251231), 11000000);
    assert_false(has_finding(bk, BOOKS_F_PATTERN, 7));
    l = books_loan_find(bk, h->e[app].id);
    assert_int_equal(l->written_off, 20251231);
    assert_int_equal(books_loan_state(bk, l, 20251230, &ls), 0);
    assert_int_equal(ls.status, BOOKS_LOAN_DISBURSED);
    assert_int_equal(ls.outstanding, 11000000);
    assert_true(ls.ppapwd > 0);
    assert_int_equal(books_loan_state(bk, l, 20251231, &ls), 0);
    assert_int_equal(ls.status, BOOKS_LOAN_WRITTEN_OFF);
    assert_int_equal(ls.outstanding, 0);
    assert_int_equal(ls.ppapwd, 0);
    assert_int_equal(ls.written_off, 11000000);
    assert_int_equal(report_loans(bk, 20251231, &rl), 0);
    assert_int_equal(rl.count, 0);
    assert_int_equal(rl.outstanding, 0);
    assert_int_equal(rl.written_off, 11000000);
    assert_int_equal(rl.n, 1);
    assert_int_equal(rl.rows[0].st.status, BOOKS_LOAN_WRITTEN_OFF);
    report_loans_free(&rl);
    assert_false(has_finding(bk, BOOKS_F_REPAY_WRITTEN_OFF, 7));
    books_free(bk);
    /* The borrower paying afterwards: a repayment on a written-off loan is a finding (it is a
     * recovery); one dated before the write-off is not. */
    late = loan_repay(h, app, 20260115, 0, 0, 500000);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, late)->status, BOOKS_EFFECTIVE);
    assert_true(has_finding(bk, BOOKS_F_REPAY_WRITTEN_OFF, 7));
    for (size_t k = 0; k < books_nfindings(bk); k++)
        if (books_findings(bk)[k].code == BOOKS_F_REPAY_WRITTEN_OFF) {
            assert_int_equal(books_findings(bk)[k].date, 20260115);
            assert_int_equal(books_findings(bk)[k].amount, 500000);
            assert_int_equal(books_findings(bk)[k].detail[0], 20251231);
        }
    books_free(bk);
    /* The borrower's own approve-sign on the write-off: self-approval. */
    sign(h, HP7, w, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_SELF_APPROVAL, 7));
    books_free(bk);
    hist_free(h);
}

/* Loans in random orders derive the same books too. */
static void test_loan_order(void **state)
{
    size_t app, dis, perm[MAX_ENTRIES];
    struct hist *h = loan_hist(&app, &dis);
    struct proto_buf first, again;
    struct books *bk;
    uint64_t r = 42;

    (void)state;
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    for (uint32_t m = 3; m <= 9; m++)
        loan_repay(h, app, 20250012 + m * 100, m == 5 ? 5000 : 0, 180000, 1000000);
    /* A second disbursement, receipt signed too: both post (cash moved), a finding. */
    sign(h, HP7, loan_disburse(h, BENDAHARA, app, 20250213, 12000000), PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_DOUBLE_DISBURSEMENT, 7));
    assert_true(has_finding(bk, BOOKS_F_PENALTY_OVERCHARGE, 7));
    proto_buf_init(&first);
    reports_bytes(bk, &first);
    {
        struct report_loans rl;

        assert_int_equal(report_loans(bk, 20251231, &rl), 0);
        assert_int_equal(proto_buf_append(&first, rl.meta.bytes.data, rl.meta.bytes.len), 0);
        report_loans_free(&rl);
    }
    books_free(bk);
    for (int round = 0; round < 10; round++) {
        struct report_loans rl;

        for (size_t i = 0; i < h->n; i++)
            perm[i] = i;
        for (size_t i = h->n; i > 1; i--) {
            size_t j = (size_t)(rng_next(&r) % i), t = perm[i - 1];

            perm[i - 1] = perm[j];
            perm[j] = t;
        }
        bk = derive(h, perm);
        proto_buf_init(&again);
        reports_bytes(bk, &again);
        assert_int_equal(report_loans(bk, 20251231, &rl), 0);
        assert_int_equal(proto_buf_append(&again, rl.meta.bytes.data, rl.meta.bytes.len), 0);
        report_loans_free(&rl);
        assert_int_equal(again.len, first.len);
        assert_memory_equal(again.data, first.data, first.len);
        proto_buf_release(&again);
        slices_agree(bk);
    books_free(bk);
    }
    proto_buf_release(&first);
    hist_free(h);
}

/* ---- reversals (ACCOUNTING.md 3.9) ---- */

static size_t count_code(const struct books *bk, int code);

static size_t reverse(struct hist *h, int d, size_t target, uint32_t date)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_REVERSE);
    size_t i;

    memcpy(b->u.reverse.target, h->e[target].id, 32);
    b->u.reverse.date = date;
    strcpy(b->u.reverse.reason, "salah catat");
    i = add(h, d, b);
    free(b);
    return i;
}

static struct hist *reverse_hist(void)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);

    assert_non_null(p);
    proto_params_default(p, 20250101);
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250106, 100000);
    return h;
}

/* A deposit typed twice: the ketua reverses the copy; the balance is restored from the
 * reversal's date, the mirror postings are the deposit's with the sides swapped. */
static void test_reverse_deposit(void **state)
{
    struct hist *h = reverse_hist();
    const struct books_item *it;
    struct books *bk;
    size_t d1, d2, r, rk;

    (void)state;
    d1 = savings(h, KASIR, true, 7, 20250110, "SS", 2100, 500000);
    d2 = savings(h, KASIR, true, 7, 20250111, "SS", 2100, 500000);
    r = reverse(h, KETUA, d2, 20250115);
    rk = reverse(h, KASIR, d1, 20250115); /* a kasir may not author a reversal */
    bk = derive(h, NULL);
    it = item(bk, h, r);
    assert_int_equal(it->status, BOOKS_EFFECTIVE); /* < 5 jt: 1 pengurus, the author */
    assert_int_equal(it->amount, 500000);          /* the target's */
    assert_int_equal(it->member, 7);
    assert_int_equal(it->date, 20250115);
    assert_int_equal(it->nposting, 2);
    assert_int_equal(books_postings(bk)[it->first_posting].date, 20250115);
    assert_int_equal(books_balance_natural(bk, 2100, 7, 20250114), 1000000);
    assert_int_equal(books_balance_natural(bk, 2100, 7, 20250115), 500000);
    assert_int_equal(books_balance(bk, 1100, 0, 20250115), 100000 + 500000);
    assert_int_equal(books_reversal_of(bk, books_index(bk, h->e[d2].id)),
                     books_index(bk, h->e[r].id));
    assert_true(books_reversed_at(bk, books_index(bk, h->e[d2].id), 20250115));
    assert_false(books_reversed_at(bk, books_index(bk, h->e[d2].id), 20250114));
    assert_int_equal(item(bk, h, rk)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, rk)->reason, BOOKS_VOID_AUTHORITY);
    assert_int_equal(books_reversal_of(bk, books_index(bk, h->e[d1].id)), SIZE_MAX);
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

/* >= 5 jt: 2 pengurus; a reversal waits for an effective target; the subject's approval is a
 * self-approval and counts for nothing; a date before the target's is a finding. */
static void test_reverse_waits(void **state)
{
    struct hist *h = reverse_hist();
    struct books *bk;
    size_t j, r, w, rw;

    (void)state;
    j = journal(h, KETUA, 20250120, 5200, 1100, 0, 6000000); /* waits: 2 pengurus */
    r = reverse(h, KETUA, j, 20250119);
    savings(h, KASIR, true, 7, 20250110, "SS", 2100, 900000);
    w = savings(h, KASIR, false, 7, 20250112, "SS", 2100, 100000); /* waits: countersign */
    rw = reverse(h, KETUA, w, 20250113);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, r)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, r)->reason, BOOKS_WAIT_PREREQUISITE);
    assert_int_equal(item(bk, h, rw)->reason, BOOKS_WAIT_PREREQUISITE);
    books_free(bk);
    sign(h, BENDAHARA, j, PROTO_SIGN_APPROVE);
    sign(h, HP7, w, PROTO_SIGN_APPROVE);
    sign(h, HP7, rw, PROTO_SIGN_APPROVE); /* member 7 approves a reversal about them */
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, j)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, r)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, r)->reason, BOOKS_WAIT_APPROVALS);
    assert_int_equal(item(bk, h, r)->missing_pengurus, 1);
    assert_int_equal(item(bk, h, rw)->status, BOOKS_EFFECTIVE);
    assert_true(has_finding(bk, BOOKS_F_SELF_APPROVAL, 7));
    books_free(bk);
    sign(h, BENDAHARA, r, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, r)->status, BOOKS_EFFECTIVE);
    assert_true(has_finding(bk, BOOKS_F_DATE_ORDER, 0));
    /* Posted on the 19th, before the journal's 20th: 5200 nets to nothing from the 20th. */
    assert_int_equal(books_balance(bk, 5200, 0, 20250119), -6000000);
    assert_int_equal(books_balance(bk, 5200, 0, 20250120), 0);
    books_free(bk);
    hist_free(h);
}

/* Two reversals of one entry: the lower id counts, the other is void; a reversal of the
 * reversal re-instates the entry; reversals of a sign or of the founding parameters are void. */
static void test_reverse_duplicate_and_chain(void **state)
{
    struct hist *h = reverse_hist();
    struct books *bk;
    size_t d, r1, r2, lo, hi, rr, s, rs, rp;

    (void)state;
    d = savings(h, KASIR, true, 7, 20250110, "SS", 2100, 300000);
    r1 = reverse(h, KETUA, d, 20250201);
    r2 = reverse(h, BENDAHARA, d, 20250202);
    lo = memcmp(h->e[r1].id, h->e[r2].id, 32) < 0 ? r1 : r2;
    hi = lo == r1 ? r2 : r1;
    s = sign(h, BENDAHARA, d, PROTO_SIGN_APPROVE);
    rs = reverse(h, KETUA, s, 20250203);
    rp = reverse(h, KETUA, 0, 20250203); /* entry 0: the founding parameters */
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, lo)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, hi)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, hi)->reason, BOOKS_VOID_DUPLICATE);
    assert_true(has_finding(bk, BOOKS_F_DUPLICATE_REVERSAL, 7));
    assert_int_equal(books_balance_natural(bk, 2100, 7, 20250301), 0);
    assert_int_equal(item(bk, h, rs)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, rs)->reason, BOOKS_VOID_REVERSE_INVALID);
    assert_int_equal(item(bk, h, rp)->reason, BOOKS_VOID_REVERSE_INVALID);
    assert_int_equal(count_code(bk, BOOKS_F_REVERSE_INVALID), 2);
    assert_int_equal(item(bk, h, 0)->status, BOOKS_EFFECTIVE);
    books_free(bk);
    rr = reverse(h, KETUA, lo, 20250301);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, rr)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, rr)->nposting, 2);
    assert_int_equal(books_balance_natural(bk, 2100, 7, 20250228), 0);
    assert_int_equal(books_balance_natural(bk, 2100, 7, 20250301), 300000);
    assert_false(books_reversed_at(bk, books_index(bk, h->e[d].id), 20250301));
    assert_true(books_reversed_at(bk, books_index(bk, h->e[d].id), 20250228));
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

/* A borrower withdraws their own waiting application: cancelled with no approvals. Once an
 * authorised device wrote a disbursement of a loan (even one still waiting for its receipt),
 * its cancellation is refused. */
static void test_reverse_cancel_application(void **state)
{
    struct books *bk;
    size_t app, dis, c, ck, app3, c3, app2, c2;
    struct hist *h = loan_hist(&app, &dis);

    (void)state;
    c = reverse(h, HP7, app, 20250211); /* the kasir's disbursement (waiting) names it */
    app3 = loan_apply(h, HP7, 7, 20250215, 3000000, 6);
    c3 = reverse(h, HP7, app3, 20250216);
    ck = reverse(h, KASIR, app3, 20250216); /* not the author, not a pengurus */
    app2 = loan_apply(h, HP7, 7, 20250301, 2000000, 6);
    sign(h, KETUA, app2, PROTO_SIGN_APPROVE);
    sign(h, HP7, loan_disburse(h, KASIR, app2, 20250302, 2000000), PROTO_SIGN_APPROVE);
    c2 = reverse(h, HP7, app2, 20250303);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, c)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, c)->reason, BOOKS_VOID_CANCEL_REFUSED);
    assert_int_equal(item(bk, h, app)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, app3)->status, BOOKS_CANCELLED);
    assert_int_equal(item(bk, h, c3)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, c3)->missing_pengurus, 0); /* no approvals needed */
    assert_int_equal(item(bk, h, c3)->nposting, 0);
    assert_int_equal(item(bk, h, ck)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, ck)->reason, BOOKS_VOID_AUTHORITY);
    assert_null(books_loan_find(bk, h->e[app3].id));
    assert_int_equal(item(bk, h, app2)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, c2)->status, BOOKS_VOID);
    assert_int_equal(item(bk, h, c2)->reason, BOOKS_VOID_CANCEL_REFUSED);
    assert_int_equal(count_code(bk, BOOKS_F_CANCEL_REFUSED), 2);
    assert_int_equal(books_loan_find(bk, h->e[app2].id)->status, BOOKS_LOAN_DISBURSED);
    books_free(bk);
    hist_free(h);
}

/* A reversed repayment restores the outstanding from its date; a cancelled late fee is no
 * longer due; a reversed disbursement leaves nothing outstanding from its date. */
static void test_reverse_loan(void **state)
{
    struct books *bk;
    size_t app, dis, r1, r2, rv, fee, cf, rd;
    struct hist *h = loan_hist(&app, &dis);
    struct books_loan_state st;
    const struct books_loan *l;

    (void)state;
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    r1 = loan_repay(h, app, 20250312, 0, 180000, 1000000);
    r2 = loan_repay(h, app, 20250313, 0, 180000, 1000000); /* recorded twice by mistake */
    rv = reverse(h, KETUA, r2, 20250320);
    {
        struct proto_acct_body *b = body_new(PROTO_KIND_LATE_FEE);

        memcpy(b->u.latefee.loan, h->e[app].id, 32);
        b->u.latefee.date = 20250425;
        b->u.latefee.installment = 2;
        b->u.latefee.amount = 15340;
        fee = add(h, KASIR, b);
        free(b);
    }
    cf = reverse(h, KASIR, fee, 20250426); /* the kasir wrote it: cancels it without approvals */
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, r1)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, rv)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, fee)->status, BOOKS_CANCELLED);
    assert_int_equal(item(bk, h, cf)->status, BOOKS_EFFECTIVE);
    l = books_loan_find(bk, h->e[app].id);
    assert_int_equal(books_loan_state(bk, l, 20250319, &st), 0);
    assert_int_equal(st.outstanding, 10000000);
    assert_int_equal(books_loan_state(bk, l, 20250320, &st), 0);
    assert_int_equal(st.outstanding, 11000000);
    assert_int_equal(st.principal_paid, 1000000);
    assert_int_equal(books_balance(bk, 1200, 7, 20250320), 11000000); /* = the receivable */
    assert_int_equal(books_loan_state(bk, l, 20250430, &st), 0);
    assert_int_equal(st.late_fees, 0);
    assert_int_equal(st.penalty_due, 0);
    books_free(bk);
    rd = reverse(h, KETUA, dis, 20250501);
    sign(h, BENDAHARA, rd, PROTO_SIGN_APPROVE); /* 12 jt: 2 pengurus */
    loan_repay(h, app, 20250512, 0, 180000, 1000000);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, rd)->status, BOOKS_EFFECTIVE);
    l = books_loan_find(bk, h->e[app].id);
    assert_int_equal(l->status, BOOKS_LOAN_REVERSED);
    assert_int_equal(l->reversed, 20250501);
    assert_int_equal(books_loan_state(bk, l, 20250430, &st), 0);
    assert_int_equal(st.status, BOOKS_LOAN_DISBURSED);
    assert_int_equal(books_loan_state(bk, l, 20250501, &st), 0);
    assert_int_equal(st.status, BOOKS_LOAN_REVERSED);
    assert_int_equal(st.outstanding, 0);
    assert_true(has_finding(bk, BOOKS_F_PATTERN, 7)); /* the repayment after the reversal */
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

/* A provision reversed (3.9): its lines mirrored on the reversal's date, the allowance and the
 * PPAP expense back to what they were; the reversal's amount and subjects are the provision's. */
static void test_reverse_provision(void **state)
{
    struct books *bk;
    size_t app, dis, p, r;
    struct hist *h = loan_hist(&app, &dis);
    const struct books_item *it;
    struct report_loans rl;

    (void)state;
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    p = provision(h, KETUA, 20250301, 60000);
    sign(h, PENGAWAS, p, PROTO_SIGN_APPROVE);
    r = reverse(h, KETUA, p, 20250310);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, p)->status, BOOKS_EFFECTIVE);
    it = item(bk, h, r);
    assert_int_equal(it->status, BOOKS_EFFECTIVE); /* < 5 jt: 1 pengurus, the author */
    assert_int_equal(it->amount, 60000);
    assert_int_equal(it->member, 0); /* a bulk kind: no subjects */
    assert_int_equal(it->nposting, 2);
    for (uint32_t k = 0; k < it->nposting; k++) {
        const struct books_posting *q = &books_postings(bk)[it->first_posting + k];

        assert_int_equal(q->date, 20250310);
        assert_int_equal(q->kind, PROTO_KIND_REVERSE);
        if (q->account == 1290)
            assert_int_equal(q->debit, 60000); /* the provision credited the allowance */
        else
            assert_int_equal(q->credit, 60000);
    }
    assert_true(books_reversed_at(bk, books_index(bk, h->e[p].id), 20250310));
    assert_int_equal(books_balance(bk, 1290, 0, 20250309), -60000);
    assert_int_equal(books_balance(bk, 5220, 0, 20250309), 60000);
    assert_int_equal(books_balance(bk, 1290, 0, 20250310), 0);
    assert_int_equal(books_balance(bk, 5220, 0, 20250310), 0);
    assert_int_equal(report_loans(bk, 20250310, &rl), 0);
    assert_int_equal(rl.ppap_booked, 0);
    assert_int_equal(rl.ppapwd, 60000);
    report_loans_free(&rl);
    assert_false(has_finding(bk, BOOKS_F_REVERSE_INVALID, 0));
    books_free(bk);
    hist_free(h);
}

/* A write-off reversed (3.9): the loan is written off from the write-off's date until the
 * reversal's, then owes its outstanding again (the mirror re-debits the receivable); a repayment
 * after the reversal is an ordinary repayment, not repay-written-off. */
static void test_reverse_writeoff(void **state)
{
    struct books *bk;
    size_t app, dis, w, res, r, pay;
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    const struct books_loan *l;
    struct books_loan_state ls;
    struct report_loans rl;

    (void)state;
    assert_non_null(p);
    proto_params_default(p, 20250101);
    for (uint32_t k = 0; k < p->nmatrix; k++)
        if (p->matrix[k].kind == PROTO_KIND_RESOLUTION)
            p->matrix[k].offices = 0; /* this roster has no sekretaris */
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250106, 100000);
    savings(h, KASIR, true, 7, 20250106, "SS", 2100, 20000000);
    app = loan_apply(h, HP7, 7, 20250210, 12000000, 12);
    dis = loan_disburse(h, KASIR, app, 20250212, 12000000);
    sign(h, KETUA, app, PROTO_SIGN_APPROVE);
    sign(h, BENDAHARA, app, PROTO_SIGN_APPROVE);
    sign(h, HP7, dis, PROTO_SIGN_APPROVE);
    loan_repay(h, app, 20250312, 0, 180000, 1000000);
    res = writeoff_resolution(h, 20251220, app);
    sign(h, BENDAHARA, res, PROTO_SIGN_APPROVE);
    sign(h, PENGAWAS, res, PROTO_SIGN_APPROVE);
    w = writeoff(h, 20251231, app, 11000000, &res);
    sign(h, BENDAHARA, w, PROTO_SIGN_APPROVE);
    sign(h, PENGAWAS, w, PROTO_SIGN_APPROVE);
    r = reverse(h, KETUA, w, 20260110);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, w)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, r)->status, BOOKS_WAITING); /* 11 jt: 2 pengurus */
    assert_int_equal(item(bk, h, r)->reason, BOOKS_WAIT_APPROVALS);
    assert_int_equal(item(bk, h, r)->member, 7); /* the write-off's subject: the borrower */
    books_free(bk);
    sign(h, BENDAHARA, r, PROTO_SIGN_APPROVE);
    pay = loan_repay(h, app, 20260115, 0, 0, 500000);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, r)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, r)->amount, 11000000);
    assert_int_equal(item(bk, h, r)->nposting, 2);
    assert_int_equal(item(bk, h, pay)->status, BOOKS_EFFECTIVE);
    l = books_loan_find(bk, h->e[app].id);
    assert_int_equal(l->written_off, 20251231);
    assert_int_equal(books_loan_state(bk, l, 20260109, &ls), 0);
    assert_int_equal(ls.status, BOOKS_LOAN_WRITTEN_OFF);
    assert_int_equal(ls.outstanding, 0);
    assert_int_equal(ls.written_off, 11000000);
    assert_int_equal(books_balance(bk, 1200, 7, 20260109), 0);
    assert_int_equal(books_balance(bk, 1290, 0, 20260109), 11000000);
    assert_int_equal(books_loan_state(bk, l, 20260110, &ls), 0);
    assert_int_equal(ls.status, BOOKS_LOAN_DISBURSED);
    assert_int_equal(ls.outstanding, 11000000);
    assert_int_equal(ls.written_off, 0);
    assert_true(ls.ppapwd > 0);
    assert_int_equal(books_balance(bk, 1200, 7, 20260110), 11000000); /* = the outstanding */
    assert_int_equal(books_balance(bk, 1290, 0, 20260110), 0);
    assert_int_equal(books_loan_state(bk, l, 20260115, &ls), 0);
    assert_int_equal(ls.outstanding, 10500000);
    assert_int_equal(books_balance(bk, 1200, 7, 20260115), 10500000);
    assert_int_equal(report_loans(bk, 20260110, &rl), 0);
    assert_int_equal(rl.count, 1);
    assert_int_equal(rl.outstanding, 11000000);
    assert_int_equal(rl.written_off, 0);
    assert_int_equal(rl.rows[0].st.status, BOOKS_LOAN_DISBURSED);
    report_loans_free(&rl);
    assert_int_equal(report_loans(bk, 20260109, &rl), 0);
    assert_int_equal(rl.written_off, 11000000);
    assert_int_equal(rl.outstanding, 0);
    report_loans_free(&rl);
    assert_false(has_finding(bk, BOOKS_F_REPAY_WRITTEN_OFF, 7));
    books_free(bk);
    hist_free(h);
}

/* A reversed admission: not a member from the reversal's date; a reversed exit: a member
 * again. A parameter version its author withdraws: cancelled, never in force. */
static void test_reverse_register_params(void **state)
{
    struct hist *h = reverse_hist();
    struct proto_params *p = malloc(sizeof *p);
    struct books *bk;
    size_t a8, x7, v2;
    uint32_t adm, ex;

    (void)state;
    assert_non_null(p);
    a8 = admit(h, KETUA, 8, 20250110, 100000);
    reverse(h, KETUA, a8, 20250120);
    {
        struct proto_acct_body *b = body_new(PROTO_KIND_MEMBER_EXIT);

        b->u.exit.member = 7;
        b->u.exit.date = 20250601;
        b->u.exit.reason = PROTO_EXIT_OWN;
        b->u.exit.pokok = 100000;
        b->u.exit.pokok_account = 3100;
        b->u.exit.wajib_account = 3110;
        b->u.exit.refund_account = 2400;
        x7 = add(h, KETUA, b);
        free(b);
    }
    sign(h, HP7, x7, PROTO_SIGN_APPROVE);
    reverse(h, KETUA, x7, 20250605);
    proto_params_default(p, 20250301);
    p->pokok = 150000;
    v2 = add_params(h, KETUA, p);
    free(p);
    reverse(h, KETUA, v2, 20250302); /* its own author: no approvals */
    bk = derive(h, NULL);
    assert_int_equal(books_member_status(bk, 8, 20250119, &adm, &ex), BOOKS_MEMBER_ACTIVE);
    assert_int_equal(books_member_status(bk, 8, 20250120, &adm, &ex), BOOKS_MEMBER_UNREGISTERED);
    assert_int_equal(books_balance_natural(bk, 3100, 8, 20250120), 0);
    assert_int_equal(books_member_status(bk, 7, 20250602, &adm, &ex), BOOKS_MEMBER_EXITED);
    assert_int_equal(books_member_status(bk, 7, 20250605, &adm, &ex), BOOKS_MEMBER_ACTIVE);
    assert_int_equal(books_balance_natural(bk, 3100, 7, 20250605), 100000);
    assert_int_equal(books_balance_natural(bk, 2400, 7, 20250605), 0);
    assert_int_equal(item(bk, h, v2)->status, BOOKS_CANCELLED);
    assert_int_equal(books_params_at(bk, 20250601)->pokok, 100000);
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

/* ---- savings interest (ACCOUNTING.md 3.6.3), worked by hand ---- */

/* One kind-50 entry of product SS (account 2100, expense 5100, tax 2210) or SB12 (2110, 5110),
 * rows given as {member, basis, gross, tax}. */
static size_t interest(struct hist *h, int d, uint32_t period, uint32_t date, const char *product,
                       uint32_t rate, const struct proto_interest_row *rows, uint32_t n)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_INTEREST);
    struct proto_interest *in = &b->u.interest;
    bool term = strcmp(product, "SB12") == 0;
    size_t i;

    in->period = period;
    in->date = date;
    strcpy(in->product, product);
    in->method = term ? PROTO_SAVM_TERM : PROTO_SAVM_DAILY;
    in->rate_ppm = rate;
    in->expense_account = term ? 5110 : 5100;
    in->account = term ? 2110 : 2100;
    in->tax_account = 2210;
    in->nrows = n;
    memcpy(in->rows, rows, n * sizeof *rows);
    i = add(h, d, b);
    free(b);
    return i;
}

static size_t placement(struct hist *h, uint32_t m, uint32_t date, uint64_t amount, uint32_t rate)
{
    struct proto_acct_body *b = body_new(PROTO_KIND_DEPOSIT);
    size_t i;

    b->u.deposit.member = m;
    b->u.deposit.date = date;
    strcpy(b->u.deposit.product, "SB12");
    b->u.deposit.account = 2110;
    b->u.deposit.amount = amount;
    b->u.deposit.cash_account = 1100;
    b->u.deposit.has_term = true;
    b->u.deposit.term_months = 12;
    b->u.deposit.term_rate_ppm = rate;
    i = add(h, KASIR, b);
    free(b);
    return i;
}

/* A koperasi with SS by `method` (3 %/yr, min 50.000, tax 10 % above 240.000, rounding half up to
 * the rupiah): member 7 puts 1.000.000 in on 6 Jan, takes 600.000 out on 20 Jan (countersigned)
 * and puts 250.000.000 in on 15 Feb; member 8 keeps 40.000 from 10 Jan, below the minimum. */
static struct hist *interest_hist(uint8_t method)
{
    struct hist *h = hist_new();
    struct proto_params *p = malloc(sizeof *p);
    size_t w;

    assert_non_null(p);
    proto_params_default(p, 20250101);
    assert_non_null(proto_params_savings(p, "SS"));
    ((struct proto_savings_product *)proto_params_savings(p, "SS"))->method = method;
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250102, 100000);
    admit(h, KETUA, 8, 20250102, 100000);
    savings(h, KASIR, true, 7, 20250106, "SS", 2100, 1000000);
    w = savings(h, KASIR, false, 7, 20250120, "SS", 2100, 600000);
    sign(h, HP7, w, PROTO_SIGN_APPROVE);
    savings(h, KASIR, true, 8, 20250110, "SS", 2100, 40000);
    savings(h, KASIR, true, 7, 20250215, "SS", 2100, 250000000);
    return h;
}

static size_t count_code(const struct books *bk, int code)
{
    size_t n = 0;

    for (size_t i = 0; i < books_nfindings(bk); i++)
        n += books_findings(bk)[i].code == code;
    return n;
}

static void expect_rows(const struct books *bk, uint32_t period, const char *code,
                        const struct proto_savings_row *want, size_t n)
{
    struct proto_savings_rows r;

    assert_int_equal(proto_savings_expected(bk, period, code, &r), 0);
    assert_int_equal(r.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r.rows[i].member, want[i].member);
        assert_int_equal(r.rows[i].basis, want[i].basis);
        assert_int_equal(r.rows[i].gross, want[i].gross);
        assert_int_equal(r.rows[i].tax, want[i].tax);
    }
    proto_savings_rows_release(&r);
}

/*
 * Method 2, daily balance, ACT/365: gross = rnd(B x 30.000 / 365.000.000).
 * January, member 7: 1-5 Jan nothing; 6-19 Jan 1.000.000 x 14 days = 14.000.000; 20-31 Jan
 *   400.000 x 12 = 4.800.000; B = 18.800.000 rupiah-days; gross = 18.800.000 x 3 / 36.500 =
 *   1.545,2 -> 1.545; not above 240.000: no tax. Member 8: 40.000 < 50.000 every day: B = 0.
 * The January entry (1.545 to member 7) is dated 1 Feb, so February's balances include it:
 *   1-14 Feb 401.545 x 14 = 5.621.630; 15-28 Feb 250.401.545 x 14 = 3.505.621.630;
 *   B = 3.511.243.260; gross = 3.511.243.260 x 3 / 36.500 = 288.595,34 -> 288.595; above
 *   240.000: tax = 10 % = 28.859,5 -> 28.860 (half up).
 * The February entry is dated 28 Feb, inside its own month: its credit does not count in its own
 *   basis (3.6.3), so the figures above stand. March: 250.661.280 every day (250.401.545 +
 *   288.595 - 28.860) x 31 = 7.770.499.680; gross = 7.770.499.680 x 3 / 36.500 = 638.671,21 ->
 *   638.671; tax 63.867,1 -> 63.867.
 */
static void test_interest_daily(void **state)
{
    static const struct proto_interest_row jan[] = {{7, 18800000, 1545, 0}};
    static const struct proto_interest_row feb[] = {{7, 3511243260ULL, 288595, 28860}};
    static const struct proto_savings_row xjan[] = {{7, 18800000, 1545, 0}};
    static const struct proto_savings_row xfeb[] = {{7, 3511243260ULL, 288595, 28860}};
    static const struct proto_savings_row xmar[] = {{7, 7770499680ULL, 638671, 63867}};
    struct hist *h = interest_hist(PROTO_SAVM_DAILY);
    struct books *bk;
    size_t ij, ifb;

    (void)state;
    ij = interest(h, KETUA, 202501, 20250201, "SS", 30000, jan, 1);
    ifb = interest(h, KETUA, 202502, 20250228, "SS", 30000, feb, 1);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, ij)->status, BOOKS_EFFECTIVE); /* a pengurus: 1 pengurus */
    assert_int_equal(item(bk, h, ifb)->status, BOOKS_EFFECTIVE);
    assert_int_equal(item(bk, h, ifb)->amount, 288595); /* matrix amount: sum of gross */
    expect_rows(bk, 202501, "SS", xjan, 1);
    expect_rows(bk, 202502, "SS", xfeb, 1);
    expect_rows(bk, 202503, "SS", xmar, 1);
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_MISMATCH), 0);
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_DUPLICATE), 0);
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_MISSING), 0);
    assert_int_equal(count_code(bk, BOOKS_F_TERMS), 0);
    /* The postings: member 7's savings, the expense, the tax payable. */
    assert_int_equal(-books_balance(bk, 2100, 7, 20250228), 250661280);
    assert_int_equal(books_balance(bk, 5100, 0, 20250228), 1545 + 288595);
    assert_int_equal(-books_balance(bk, 2210, 0, 20250228), 28860);
    books_free(bk);
    hist_free(h);
}

/*
 * Method 1, lowest balance of the month: gross = rnd(B x 30.000 / 12.000.000) = B x 0,25 %.
 * January: 1-5 Jan the balance is 0, so B = 0 (saldo terendah counts the whole month).
 * February: lowest 400.000 (1-14 Feb), not below 50.000: gross 1.000; no tax.
 * March (no entries posted): 250.400.000 all month: gross 626.000, tax 62.600 (10 %, above
 * 240.000). Member 8: 40.000 < 50.000 in every month: nothing.
 */
static void test_interest_lowest(void **state)
{
    static const struct proto_savings_row xfeb[] = {{7, 400000, 1000, 0}};
    static const struct proto_savings_row xmar[] = {{7, 250400000, 626000, 62600}};
    struct hist *h = interest_hist(PROTO_SAVM_LOWEST);
    struct books *bk = derive(h, NULL);

    (void)state;
    expect_rows(bk, 202501, "SS", NULL, 0);
    expect_rows(bk, 202502, "SS", xfeb, 1);
    expect_rows(bk, 202503, "SS", xmar, 1);
    books_free(bk);
    hist_free(h);
}

/*
 * Method 3, berjangka SB12 (4,25 %/yr, 12 months): each placement earns
 * principal x rate / 12.000.000 in the month of each monthly anniversary, summed per member
 * and rounded once.
 *   member 7: 10.000.000 placed 31 Jan: anniversaries 28 Feb (clamped), 31 Mar. Feb: 10.000.000
 *     x 42.500 / 12.000.000 = 35.416,67 -> 35.417. Withdrawn (early) on 20 Mar, before the
 *     31 Mar anniversary: nothing in March.
 *   member 8: 5.000.000 placed 15 Jan at 42.500 (17.708,33 a month), and 2.000.800 placed
 *     10 Feb at its own 36.000 (2.000.800 x 36.000 / 12.000.000 = 6.002,4 a month). Feb: only
 *     the first: 17.708. March: both: 17.708,33 + 6.002,4 = 23.710,73 -> 23.711 (rounded per
 *     placement it would be 17.708 + 6.002 = 23.710: the sum is rounded once).
 *   January: no anniversary yet.
 */
static void test_interest_term(void **state)
{
    static const struct proto_savings_row xfeb[] = {{7, 10000000, 35417, 0},
                                                    {8, 5000000, 17708, 0}};
    static const struct proto_savings_row xmar[] = {{8, 7000800, 23711, 0}};
    static const struct proto_interest_row feb[] = {{7, 10000000, 35417, 0},
                                                    {8, 5000000, 17708, 0}};
    struct hist *h = interest_hist(PROTO_SAVM_DAILY);
    struct books *bk;
    struct proto_acct_body *b = body_new(PROTO_KIND_WITHDRAW);
    size_t p7, w, ifb;

    (void)state;
    p7 = placement(h, 7, 20250131, 10000000, 42500);
    placement(h, 8, 20250115, 5000000, 42500);
    placement(h, 8, 20250210, 2000800, 36000);
    b->u.withdraw.member = 7;
    b->u.withdraw.date = 20250320;
    strcpy(b->u.withdraw.product, "SB12");
    b->u.withdraw.account = 2110;
    b->u.withdraw.amount = 10000000;
    b->u.withdraw.cash_account = 1100;
    b->u.withdraw.has_ref = true;
    memcpy(b->u.withdraw.ref, h->e[p7].id, 32);
    w = add(h, KETUA, b);
    free(b);
    sign(h, HP7, w, PROTO_SIGN_APPROVE);
    ifb = interest(h, KASIR, 202502, 20250301, "SB12", 42500, feb, 2);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, w)->status, BOOKS_EFFECTIVE);
    assert_int_equal(books_nplacements(bk), 3);
    /* A kasir's interest entry waits for one pengurus (matrix [50, 0, 1 pengurus]). */
    assert_int_equal(item(bk, h, ifb)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, ifb)->reason, BOOKS_WAIT_APPROVALS);
    expect_rows(bk, 202501, "SB12", NULL, 0);
    expect_rows(bk, 202502, "SB12", xfeb, 2);
    expect_rows(bk, 202503, "SB12", xmar, 1);
    books_free(bk);
    sign(h, BENDAHARA, ifb, PROTO_SIGN_APPROVE);
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, ifb)->status, BOOKS_EFFECTIVE);
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_MISMATCH), 0);
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_MISSING), 0);
    assert_int_equal(-books_balance(bk, 2110, 8, 20250301), 5000000 + 2000800 + 17708);
    slices_agree(bk);
    books_free(bk);
    hist_free(h);
}

/* The three interest findings and terms, each from one wrong entry. */
static void test_interest_findings(void **state)
{
    static const struct proto_interest_row jan[] = {{7, 18800000, 1545, 0}};
    static const struct proto_interest_row wrong[] = {{7, 18800000, 1600, 0}};
    static const struct proto_interest_row only8[] = {{8, 0, 100, 0}};
    struct hist *h = interest_hist(PROTO_SAVM_DAILY);
    struct books *bk;
    size_t ij, dup, feb, rate;
    const struct books_finding *f;
    bool mm = false, dd = false, ms = false, tt = false;

    (void)state;
    ij = interest(h, KETUA, 202501, 20250201, "SS", 30000, jan, 1);
    /* The same month again, with a wrong figure: a duplicate row and a mismatch. */
    dup = interest(h, KETUA, 202501, 20250202, "SS", 30000, wrong, 1);
    /* February: a row for member 8 only (expected nothing: mismatch) and none for member 7
     * (missing). */
    feb = interest(h, KETUA, 202502, 20250301, "SS", 30000, only8, 1);
    /* March at a rate that is not the product's: terms (and its row mismatches). */
    rate = interest(h, KETUA, 202503, 20250401, "SS", 40000, only8, 1);
    bk = derive(h, NULL);
    for (size_t i = 0; i < books_nfindings(bk); i++) {
        f = &books_findings(bk)[i];
        if (f->code == BOOKS_F_INTEREST_MISMATCH && f->member == 7) {
            /* The second January row says 1.600; the formulas give 1.545, no tax. */
            assert_memory_equal(books_item(bk, (size_t)f->item)->id, h->e[dup].id, 32);
            assert_int_equal(f->amount, 1600);
            assert_int_equal(f->detail[0], 1545);
            assert_int_equal(f->detail[1], 0);
            assert_int_equal(f->severity, BOOKS_ATTENTION);
            mm = true;
        } else if (f->code == BOOKS_F_INTEREST_DUPLICATE) {
            /* The later row by id is the duplicate. */
            const uint8_t *later =
                memcmp(h->e[ij].id, h->e[dup].id, 32) < 0 ? h->e[dup].id : h->e[ij].id;

            assert_int_equal(f->member, 7);
            assert_memory_equal(books_item(bk, (size_t)f->item)->id, later, 32);
            assert_int_equal(f->severity, BOOKS_SERIOUS);
            dd = true;
        } else if (f->code == BOOKS_F_INTEREST_MISSING) {
            assert_int_equal(f->member, 7);
            assert_int_equal(f->item, -1);
            /* (Both January rows were credited, so the figures are not test_interest_daily's.) */
            assert_true(f->detail[0] > 240000 && f->amount == f->detail[0] && f->detail[1] > 0);
            assert_int_equal(f->severity, BOOKS_ATTENTION);
            ms = true;
        } else if (f->code == BOOKS_F_TERMS) {
            assert_memory_equal(books_item(bk, (size_t)f->item)->id, h->e[rate].id, 32);
            assert_int_equal(f->detail[0], 30000);
            assert_int_equal(f->detail[1], 40000);
            tt = true;
        }
    }
    assert_true(mm && dd && ms && tt);
    /* Member 8's February and March rows mismatch (expected nothing); member 7 is missing in
     * both months. */
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_MISMATCH), 3);
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_DUPLICATE), 1);
    assert_int_equal(count_code(bk, BOOKS_F_INTEREST_MISSING), 2);
    assert_int_equal(item(bk, h, feb)->status, BOOKS_EFFECTIVE); /* findings never void */
    assert_string_equal(books_code_name(BOOKS_F_INTEREST_MISMATCH), "interest-mismatch");
    assert_string_equal(books_code_name(BOOKS_F_INTEREST_DUPLICATE), "interest-duplicate");
    assert_string_equal(books_code_name(BOOKS_F_INTEREST_MISSING), "interest-missing");
    assert_string_equal(books_code_name(BOOKS_F_RAT_OVERDUE), "rat-overdue");
    assert_string_equal(books_code_name(BOOKS_F_DUPLICATE_REVERSAL), "duplicate-reversal");
    assert_string_equal(books_code_name(BOOKS_F_REPAY_WRITTEN_OFF), "repay-written-off");
    assert_string_equal(books_code_name(BOOKS_F_CODE_MAX), "ppap");
    assert_int_equal(BOOKS_F_REPAY_WRITTEN_OFF, 57);
    assert_int_equal(BOOKS_F_PPAP, 58);
    books_free(bk);
    hist_free(h);
}

/* The series accessor against books_balance, day by day. */
static void test_balance_series(void **state)
{
    struct hist *h = interest_hist(PROTO_SAVM_DAILY);
    struct books *bk = derive(h, NULL);
    int64_t v[60];
    uint32_t *m;
    size_t nm;

    (void)state;
    assert_int_equal(books_balance_series(bk, 2100, 7, 20250101, 20250301, v, 60), 60);
    for (int d = 0; d < 60; d++) {
        int32_t day;
        uint32_t ymd;

        assert_int_equal(proto_day_from_ymd(20250101, &day), 0);
        assert_int_equal(proto_day_to_ymd(day + d, &ymd), 0);
        assert_int_equal(v[d], books_balance(bk, 2100, 7, ymd));
    }
    assert_int_equal(books_balance_series(bk, 2100, 7, 20250102, 20250101, v, 60), -EINVAL);
    assert_int_equal(books_balance_series(bk, 2100, 7, 20250101, 20250301, v, 59), -EINVAL);
    assert_int_equal(books_account_members(bk, 2100, 20250105, &m, &nm), 0);
    assert_int_equal(nm, 0);
    free(m);
    assert_int_equal(books_account_members(bk, 2100, 20250110, &m, &nm), 0);
    assert_int_equal(nm, 2);
    assert_true(m[0] == 7 && m[1] == 8);
    free(m);
    books_free(bk);
    hist_free(h);
}

/* ---- closing a year (ACCOUNTING.md 3.4, 4.5) ---- */

/* books_id_at_fn over a history: the entry of device pk at seq (the ketua's seq 1: genesis). */
static int hist_id_at(void *ctx, const uint8_t author[32], uint64_t seq, uint8_t id[32])
{
    const struct hist *h = ctx;
    uint8_t pk[32];

    dev_pk(KETUA, pk);
    if (seq == 1 && memcmp(author, pk, 32) == 0) {
        memcpy(id, h->ledger, 32);
        return 0;
    }
    for (size_t i = 0; i < h->n; i++) {
        dev_pk(h->e[i].dev, pk);
        if (h->e[i].seq == seq && memcmp(pk, author, 32) == 0) {
            memcpy(id, h->e[i].id, 32);
            return 0;
        }
    }
    return 1;
}

/* The books of n of the entries (perm NULL: all, as added), able to check closes' frontiers;
 * forced: derived as the books of that close's year. */
static struct books *derive_closing_f(const struct hist *h, const size_t *perm, size_t n,
                                      const uint8_t *forced)
{
    struct books *bk;
    uint8_t gauthor[32];

    dev_pk(KETUA, gauthor);
    assert_int_equal(books_new(&h->g, h->ledger, gauthor, &bk), 0);
    books_set_id_at(bk, hist_id_at, (void *)h);
    if (forced)
        assert_int_equal(books_force_close(bk, forced), 0);
    for (size_t k = 0; k < n; k++) {
        const struct entry *e = &h->e[perm ? perm[k] : k];
        uint8_t pk[32];

        dev_pk(e->dev, pk);
        assert_int_equal(books_entry(bk, e->id, pk, e->seq, e->kind, e->body.data, e->body.len), 0);
    }
    assert_int_equal(books_derive(bk), 0);
    assert_int_equal(yearend_check(bk), 0);
    return bk;
}

static struct books *derive_closing(const struct hist *h, const uint8_t *forced)
{
    return derive_closing_f(h, NULL, h->n, forced);
}

static struct books *derive_closing_n(const struct hist *h, const size_t *perm, size_t n)
{
    return derive_closing_f(h, perm, n, NULL);
}

/*
 * The close of 2025 as its author makes it: the frontier of everything held, the figures over
 * the books, the digests over the books with the close taken as effective. tamper: 1 changes
 * the neraca digest, 2 a closing line, 3 the frontier digest.
 */
static size_t close_year(struct hist *h, uint32_t date, int tamper)
{
    struct proto_close *c = calloc(1, sizeof *c);
    uint8_t(*ids)[32] = calloc(NDEV, 32);
    struct books *bk;
    struct proto_buf body;
    size_t idx;

    assert_non_null(c);
    assert_non_null(ids);
    c->year = 2025;
    c->start = 20250101;
    c->end = 20251231;
    c->date = date;
    c->current = 3500;
    c->retained = 3510;
    /* Feeds by author: dev_pk orders them by device index. */
    for (int d = 0; d < NDEV; d++) {
        if (h->seq[d] == 0)
            continue;
        dev_pk(d, c->rows[c->nrows].author);
        c->rows[c->nrows].length = h->seq[d];
        assert_int_equal(hist_id_at(h, c->rows[c->nrows].author, h->seq[d], ids[c->nrows]), 0);
        c->nrows++;
    }
    assert_int_equal(proto_frontier_digest(c->rows, (const uint8_t(*)[32])ids, c->nrows,
                                           c->frontier_digest),
                     0);
    bk = derive_closing(h, NULL);
    assert_int_equal(yearend_close_figures(bk, c), 0);
    books_free(bk);
    /* The digests need the close itself: add it without digests, force it, compute. */
    c->ndigests = 1;
    strcpy(c->digests[0].type, "neraca");
    proto_buf_init(&body);
    assert_int_equal(proto_close_encode(c, &body), 0);
    idx = add_raw(h, KETUA, PROTO_KIND_CLOSE, &body);
    bk = derive_closing(h, h->e[idx].id);
    assert_int_equal(yearend_close_digests(bk, c), 0);
    books_free(bk);
    assert_int_equal(c->ndigests, YEAREND_NDIGESTS);
    if (tamper == 1)
        c->digests[5].digest[0] ^= 1;
    if (tamper == 2)
        c->lines[0].amount += 1;
    if (tamper == 3)
        c->frontier_digest[0] ^= 1;
    /* Replace the provisional entry by the real one (same device, same seq). */
    proto_buf_release(&h->e[idx].body);
    h->n--;
    h->seq[KETUA]--;
    proto_buf_init(&body);
    assert_int_equal(proto_close_encode(c, &body), 0);
    idx = add_raw(h, KETUA, PROTO_KIND_CLOSE, &body);
    free(c);
    free(ids);
    return idx;
}

static struct hist *year_hist(void)
{
    struct proto_params *p = malloc(sizeof *p);
    struct hist *h = hist_new();

    assert_non_null(p);
    proto_params_default(p, 20250101);
    add_params(h, KETUA, p);
    free(p);
    admit(h, KETUA, 7, 20250106, 100000);
    savings(h, KASIR, true, 7, 20250106, "SW", 3110, 25000);
    /* Income 1.000.000 (other income), expense 300.000: SHU before tax 700.000. */
    journal(h, KETUA, 20250601, 1100, 4300, 0, 1000000);
    journal(h, KETUA, 20250701, 5200, 1100, 0, 300000);
    return h;
}

static void test_close_effective(void **state)
{
    struct hist *h = year_hist();
    size_t c = close_year(h, 20260110, 0);
    struct books *bk;

    (void)state;
    bk = derive_closing(h, NULL);
    /* 35 needs the ketua and the bendahara. */
    assert_int_equal(item(bk, h, c)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, c)->reason, BOOKS_WAIT_APPROVALS);
    books_free(bk);
    sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
    bk = derive_closing(h, NULL);
    assert_int_equal(item(bk, h, c)->status, BOOKS_EFFECTIVE);
    assert_int_equal(books_ncloses(bk), 1);
    /* Revenue and expense are closed into 3500 on 31-12-2025. */
    assert_int_equal(books_balance(bk, 4300, 0, 20251231), 0);
    assert_int_equal(books_balance(bk, 5200, 0, 20251231), 0);
    assert_int_equal(books_balance(bk, 3500, 0, 20251231), -700000);
    assert_int_equal(books_balance(bk, 4300, 0, 20251230), -1000000);
    /* Its figures and digests are the ledger's own. */
    assert_false(has_finding(bk, BOOKS_F_CLOSE_MISMATCH, 0));
    assert_false(has_finding(bk, BOOKS_F_DIGEST_MISMATCH, 0));
    assert_false(has_finding(bk, BOOKS_F_CLOSE_EARLY, 0));
    books_free(bk);

    /* An expense dated into the closed year but outside the close's frontier posts on the first
     * day of the next year (late-posting), and the closed year's digests still hold. */
    journal(h, KETUA, 20251215, 5200, 1100, 0, 50000);
    bk = derive_closing(h, NULL);
    assert_true(has_finding(bk, BOOKS_F_LATE_POSTING, 0));
    assert_int_equal(books_balance(bk, 5200, 0, 20251231), 0);
    assert_int_equal(books_balance(bk, 5200, 0, 20260101), 50000);
    assert_false(has_finding(bk, BOOKS_F_DIGEST_MISMATCH, 0));
    assert_false(has_finding(bk, BOOKS_F_CLOSE_MISMATCH, 0));
    books_free(bk);
    hist_free(h);
}

/* A resolution of the RAT on close c (ratify; shu: adopt its allocation) by the ketua, with the
 * sekretaris's and the pengawas's approvals. */
static size_t resolve(struct hist *h, size_t c, uint32_t date, uint32_t eligible, bool shu)
{
    struct proto_resolution *r = calloc(1, sizeof *r);
    struct proto_buf body;
    size_t i;

    assert_non_null(r);
    r->date = date;
    r->meeting = PROTO_MEETING_RAT;
    for (int k = 0; k < (shu ? 2 : 1); k++) {
        struct proto_decision *d = &r->decisions[r->ndecisions++];

        d->type = k == 0 ? PROTO_DECIDE_RATIFY : PROTO_DECIDE_SHU;
        d->has_target = true;
        memcpy(d->target, h->e[c].id, 32);
        d->outcome = PROTO_OUTCOME_ADOPTED;
        d->eligible = eligible;
        d->present = eligible;
        d->votes_for = eligible;
    }
    proto_buf_init(&body);
    assert_int_equal(proto_resolution_encode(r, &body), 0);
    free(r);
    i = add_raw(h, KETUA, PROTO_KIND_RESOLUTION, &body);
    sign(h, SEKRETARIS, i, PROTO_SIGN_APPROVE);
    sign(h, PENGAWAS, i, PROTO_SIGN_APPROVE);
    return i;
}

static bool has_finding_at(const struct books *bk, uint32_t as_of, int code)
{
    struct books_finding *f;
    size_t n;
    bool yes = false;

    assert_int_equal(books_findings_at(bk, as_of, &f, &n), 0);
    for (size_t i = 0; i < n; i++)
        yes |= f[i].code == code;
    free(f);
    return yes;
}

static void test_close_rat(void **state)
{
    struct hist *h = year_hist();
    size_t c = close_year(h, 20260110, 0), r;
    struct books *bk;
    const struct proto_params *P;

    (void)state;
    sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
    bk = derive_closing(h, NULL);
    P = books_params_at(bk, 20251231);
    assert_non_null(P);
    /* No RAT within rat_months (6) of the year's end: rat-overdue from 1 July 2026. */
    assert_int_equal(P->rat_months, 6);
    assert_false(has_finding_at(bk, 20260630, BOOKS_F_RAT_OVERDUE));
    assert_true(has_finding_at(bk, 20260701, BOOKS_F_RAT_OVERDUE));
    books_free(bk);
    /* Member 7 is the one anggota: 1 eligible; the RAT ratifies. */
    r = resolve(h, c, 20260220, 1, true);
    bk = derive_closing(h, NULL);
    assert_int_equal(item(bk, h, r)->status, BOOKS_EFFECTIVE);
    assert_false(has_finding_at(bk, 20261231, BOOKS_F_RAT_OVERDUE));
    assert_false(has_finding(bk, BOOKS_F_QUORUM, 0));
    assert_false(has_finding(bk, BOOKS_F_ELIGIBLE_COUNT, 0));
    books_free(bk);
    hist_free(h);
    /* A declared tally that is not the register's: eligible-count; too few present: quorum. */
    h = year_hist();
    c = close_year(h, 20260110, 0);
    sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
    {
        struct proto_resolution *x = calloc(1, sizeof *x);
        struct proto_buf body;

        assert_non_null(x);
        x->date = 20260220;
        x->meeting = PROTO_MEETING_RAT;
        x->ndecisions = 1;
        x->decisions[0].type = PROTO_DECIDE_RATIFY;
        x->decisions[0].has_target = true;
        memcpy(x->decisions[0].target, h->e[c].id, 32);
        x->decisions[0].outcome = PROTO_OUTCOME_ADOPTED;
        x->decisions[0].eligible = 10;
        x->decisions[0].present = 1;
        x->decisions[0].votes_for = 1;
        proto_buf_init(&body);
        assert_int_equal(proto_resolution_encode(x, &body), 0);
        free(x);
        r = add_raw(h, KETUA, PROTO_KIND_RESOLUTION, &body);
        sign(h, SEKRETARIS, r, PROTO_SIGN_APPROVE);
        sign(h, PENGAWAS, r, PROTO_SIGN_APPROVE);
    }
    bk = derive_closing(h, NULL);
    assert_int_equal(item(bk, h, r)->status, BOOKS_EFFECTIVE);
    assert_true(has_finding(bk, BOOKS_F_ELIGIBLE_COUNT, 0));
    assert_true(has_finding(bk, BOOKS_F_QUORUM, 0));
    books_free(bk);
    hist_free(h);
}

/* The SHU allocation of close c adopted by resolution r, as recomputed (tamper: jm + 1). */
static size_t allocate(struct hist *h, size_t c, size_t r, int tamper)
{
    struct proto_shu_allocate *a = calloc(1, sizeof *a);
    struct proto_shu_row *rows;
    struct proto_shu_fund funds[PROTO_SHU_PARTS_MAX];
    uint32_t nfunds, accounts[PROTO_SHU_PARTS_MAX];
    struct proto_buf body;
    struct books *bk = derive_closing(h, NULL);
    const struct books_close *cl = books_close_at(bk, 0);
    size_t n, i;

    assert_non_null(a);
    assert_non_null(cl);
    yearend_part_accounts(bk, books_index(bk, h->e[r].id), cl, accounts);
    assert_int_equal(yearend_shu_rows(cl->closed, cl, NULL, accounts, &rows, &n, funds, &nfunds),
                     0);
    a->year = 2025;
    memcpy(a->close, h->e[c].id, 32);
    memcpy(a->resolution, h->e[r].id, 32);
    a->date = 20260221;
    a->parts = 1;
    a->source_account = 3500;
    a->payable_account = 2300;
    a->nfunds = nfunds;
    memcpy(a->funds, funds, nfunds * sizeof *funds);
    a->nrows = (uint32_t)n;
    memcpy(a->rows, rows, n * sizeof *rows);
    if (tamper)
        a->rows[0].jm++;
    free(rows);
    books_free(bk);
    proto_buf_init(&body);
    assert_int_equal(proto_shu_allocate_encode(a, &body), 0);
    free(a);
    i = add_raw(h, KETUA, PROTO_KIND_SHU_ALLOCATE, &body);
    return i;
}

static void test_close_shu(void **state)
{
    for (int tamper = 0; tamper < 2; tamper++) {
        struct hist *h = year_hist();
        size_t c = close_year(h, 20260110, 0), r, al;
        struct books *bk;

        (void)state;
        sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
        r = resolve(h, c, 20260220, 1, true);
        al = allocate(h, c, r, tamper);
        bk = derive_closing(h, NULL);
        /* 72 needs 2 pengurus: the ketua's own and the bendahara's. */
        assert_int_equal(item(bk, h, al)->status, BOOKS_WAITING);
        assert_int_equal(item(bk, h, al)->reason, BOOKS_WAIT_APPROVALS);
        books_free(bk);
        sign(h, BENDAHARA, al, PROTO_SIGN_APPROVE);
        bk = derive_closing(h, NULL);
        assert_int_equal(item(bk, h, al)->status, BOOKS_EFFECTIVE);
        /* All of the SHU after tax (700.000) leaves 3500 (one rupiah more when tampered);
         * member 7 is owed jasa modal. */
        assert_int_equal(books_balance(bk, 3500, 0, 20260221), tamper);
        assert_true(books_balance(bk, 2300, 7, 20260221) < 0);
        assert_int_equal(has_finding(bk, BOOKS_F_SHU_MISMATCH, 0), tamper == 1);
        assert_false(has_finding(bk, BOOKS_F_SHU_INCOMPLETE, 0));
        books_free(bk);
        hist_free(h);
    }
}

/* An allocation without an adopted SHU decision waits for one (resolution). */
static void test_close_shu_waits(void **state)
{
    struct hist *h = year_hist();
    size_t c = close_year(h, 20260110, 0), r, al, n = 0;
    size_t *perm = calloc(MAX_ENTRIES, sizeof *perm);
    struct books *bk;

    (void)state;
    assert_non_null(perm);
    sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
    r = resolve(h, c, 20260220, 1, true);
    al = allocate(h, c, r, 0);
    sign(h, BENDAHARA, al, PROTO_SIGN_APPROVE);
    /* Without the pengawas's approval the resolution waits, and so does the allocation. */
    for (size_t i = 0; i < h->n; i++)
        if (!(h->e[i].kind == PROTO_KIND_SIGN && h->e[i].dev == PENGAWAS))
            perm[n++] = i;
    bk = derive_closing_n(h, perm, n);
    assert_int_equal(item(bk, h, r)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, al)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, al)->reason, BOOKS_WAIT_RESOLUTION);
    books_free(bk);
    free(perm);
    hist_free(h);
}

/* The closed year, derived in random orders: the same statuses, postings and reports. */
static void year_bytes(const struct books *bk, struct proto_buf *out)
{
    struct report_lhu lhu;
    struct report_equity eq;
    struct report_shu_members sm;
    struct report_findings fd;

    reports_bytes(bk, out);
    assert_int_equal(report_lhu(bk, 20250101, 20251231, 20251231, &lhu), 0);
    assert_int_equal(proto_buf_append(out, lhu.meta.bytes.data, lhu.meta.bytes.len), 0);
    report_lhu_free(&lhu);
    assert_int_equal(report_equity(bk, 20260101, 20261231, 20261231, &eq), 0);
    assert_int_equal(proto_buf_append(out, eq.meta.bytes.data, eq.meta.bytes.len), 0);
    report_equity_free(&eq);
    assert_int_equal(report_shu_members(bk, 20250101, 20251231, 20251231, NULL, &sm), 0);
    assert_int_equal(proto_buf_append(out, sm.meta.bytes.data, sm.meta.bytes.len), 0);
    report_shu_members_free(&sm);
    assert_int_equal(report_findings(bk, 20260101, 20261231, &fd), 0);
    assert_int_equal(proto_buf_append(out, fd.meta.bytes.data, fd.meta.bytes.len), 0);
    report_findings_free(&fd);
    /* Every posting, field by field (the struct has padding). */
    for (size_t k = 0; k < books_npostings(bk); k++) {
        const struct books_posting *p = &books_postings(bk)[k];
        const struct books_item *it = books_item(bk, p->item);
        uint64_t v[6] = {p->date, p->account, p->member, p->line, p->debit, p->credit};

        assert_int_equal(proto_buf_append(out, v, sizeof v), 0);
        assert_int_equal(proto_buf_append(out, it->id, 32), 0);
    }
}

static void test_close_order(void **state)
{
    struct hist *h = year_hist();
    size_t c = close_year(h, 20260110, 0), r, al, *perm = calloc(MAX_ENTRIES, sizeof *perm);
    struct proto_buf first, again;
    struct books *bk;
    uint64_t rng = 7;

    (void)state;
    assert_non_null(perm);
    sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
    r = resolve(h, c, 20260220, 1, true);
    al = allocate(h, c, r, 0);
    sign(h, BENDAHARA, al, PROTO_SIGN_APPROVE);
    journal(h, KETUA, 20251215, 5200, 1100, 0, 50000); /* late: posts on 01-01-2026 */
    bk = derive_closing(h, NULL);
    assert_int_equal(item(bk, h, al)->status, BOOKS_EFFECTIVE);
    assert_true(has_finding(bk, BOOKS_F_LATE_POSTING, 0));
    proto_buf_init(&first);
    year_bytes(bk, &first);
    books_free(bk);
    for (int round = 0; round < 10; round++) {
        for (size_t i = 0; i < h->n; i++)
            perm[i] = i;
        for (size_t i = h->n; i > 1; i--) {
            size_t j = (size_t)(rng_next(&rng) % i), t = perm[i - 1];

            perm[i - 1] = perm[j];
            perm[j] = t;
        }
        bk = derive_closing_n(h, perm, h->n);
        proto_buf_init(&again);
        year_bytes(bk, &again);
        assert_int_equal(again.len, first.len);
        assert_memory_equal(again.data, first.data, first.len);
        proto_buf_release(&again);
        books_free(bk);
    }
    proto_buf_release(&first);
    free(perm);
    hist_free(h);
}

static void test_close_tampered(void **state)
{
    for (int tamper = 1; tamper <= 2; tamper++) {
        struct hist *h = year_hist();
        size_t c = close_year(h, 20251231, tamper);
        struct books *bk;

        (void)state;
        sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
        bk = derive_closing(h, NULL);
        assert_int_equal(item(bk, h, c)->status, BOOKS_EFFECTIVE);
        assert_true(has_finding(bk, tamper == 1 ? BOOKS_F_DIGEST_MISMATCH : BOOKS_F_CLOSE_MISMATCH,
                                0));
        assert_true(has_finding(bk, BOOKS_F_CLOSE_EARLY, 0)); /* made on its last day */
        books_free(bk);
        hist_free(h);
    }
}

static void test_close_frontier(void **state)
{
    struct hist *h = year_hist();
    size_t c = close_year(h, 20260110, 0);
    struct books *bk;

    (void)state;
    sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
    /* Without a way to look entries up, the frontier cannot be checked: the close waits and the
     * year stays open. */
    bk = derive(h, NULL);
    assert_int_equal(item(bk, h, c)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, c)->reason, BOOKS_WAIT_FRONTIER);
    assert_int_equal(books_balance(bk, 5200, 0, 20251231), 300000);
    books_free(bk);
    hist_free(h);

    /* A frontier digest that is not the entries': waits, frontier-mismatch. */
    h = year_hist();
    c = close_year(h, 20260110, 3);
    sign(h, BENDAHARA, c, PROTO_SIGN_APPROVE);
    bk = derive_closing(h, NULL);
    assert_int_equal(item(bk, h, c)->status, BOOKS_WAITING);
    assert_int_equal(item(bk, h, c)->reason, BOOKS_WAIT_FRONTIER);
    assert_true(has_finding(bk, BOOKS_F_FRONTIER_MISMATCH, 0));
    books_free(bk);
    hist_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_statuses),
        cmocka_unit_test(test_session_waiting_until_signed),
        cmocka_unit_test(test_session_balances),
        cmocka_unit_test(test_session_findings),
        cmocka_unit_test(test_session_reports),
        cmocka_unit_test(test_late_sign),
        cmocka_unit_test(test_no_params),
        cmocka_unit_test(test_authority),
        cmocka_unit_test(test_params_versions),
        cmocka_unit_test(test_same_day),
        cmocka_unit_test(test_legacy_member),
        cmocka_unit_test(test_loan_waits),
        cmocka_unit_test(test_loan_state),
        cmocka_unit_test(test_loan_findings),
        cmocka_unit_test(test_settle_offsets),
        cmocka_unit_test(test_provision),
        cmocka_unit_test(test_writeoff),
        cmocka_unit_test(test_loan_order),
        cmocka_unit_test(test_interest_daily),
        cmocka_unit_test(test_interest_lowest),
        cmocka_unit_test(test_interest_term),
        cmocka_unit_test(test_interest_findings),
        cmocka_unit_test(test_balance_series),
        cmocka_unit_test(test_close_effective),
        cmocka_unit_test(test_close_tampered),
        cmocka_unit_test(test_close_rat),
        cmocka_unit_test(test_close_shu),
        cmocka_unit_test(test_close_shu_waits),
        cmocka_unit_test(test_close_order),
        cmocka_unit_test(test_close_frontier),
        cmocka_unit_test(test_reverse_deposit),
        cmocka_unit_test(test_reverse_waits),
        cmocka_unit_test(test_reverse_duplicate_and_chain),
        cmocka_unit_test(test_reverse_cancel_application),
        cmocka_unit_test(test_reverse_loan),
        cmocka_unit_test(test_reverse_provision),
        cmocka_unit_test(test_reverse_writeoff),
        cmocka_unit_test(test_reverse_register_params),
        cmocka_unit_test(test_order_independence),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
