/*
 * Bodies of the accounting kinds 17, 33, 40, 41, 42, 48, 49, 50, 56..61 and 64
 * (docs/ACCOUNTING.md 2.4, 3.1, 3.5, 3.6, 3.7, 3.8, 3.9) and their posting patterns. Decoding is in
 * two steps: a parse that checks only arity, msgpack types and what the struct cannot hold (nil
 * against 0, a str with a NUL), and then proto_acct_check(), which holds every range and
 * cross-field rule in one place, so that a decoded body and a hand-built one are judged by the
 * same code. Encoding writes the
 * canonical form (proto/mp.h), so encode(decode(b)) == b. Patterns balance by construction:
 * their amounts are the body's own figures, and the derived figures (exit-settle's payout, a
 * disbursement's net) are the difference of the other lines.
 */
#include "proto/acct.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "proto/err.h"
#include "proto/internal.h"
#include "proto/mp.h"

#define JOURNAL_A_NFIELDS 4
#define SIGN_NFIELDS      3
#define ADMIT_NFIELDS     8
#define EXIT_NFIELDS      9
#define SETTLE_NFIELDS    9
#define DEPOSIT_NFIELDS   8
#define WITHDRAW_NFIELDS  10
#define INTEREST_NFIELDS  10
#define APPLY_NFIELDS     13
#define DISBURSE_NFIELDS  7
#define REPAY_NFIELDS     9
#define LATEFEE_NFIELDS   5
#define PROVISION_NFIELDS 5
#define WRITEOFF_NFIELDS  6
#define REVERSE_NFIELDS   3
#define LINE_NFIELDS      4
#define SAVING_NFIELDS    2
#define OFFSET_NFIELDS    3
#define TERM_NFIELDS      2
#define ROW_NFIELDS       2
#define ROUNDING_NFIELDS  2
#define IROW_NFIELDS      4
#define ACCOUNTS_NFIELDS  3
#define ACCOUNT_MIN       1000u
#define ACCOUNT_MAX       9999u

/* ---- rules on the struct (proto_acct_check) ---- */

static bool account_ok(uint32_t a)
{
    return a >= ACCOUNT_MIN && a <= ACCOUNT_MAX;
}

static bool amount_ok(uint64_t x)
{
    return x <= PROTO_AMOUNT_MAX;
}

/* A NUL-terminated str of at most max bytes inside a buffer of size, valid UTF-8. */
static bool text_ok(const char *s, size_t size, size_t max)
{
    size_t n = strnlen(s, size);

    return n < size && n <= max && proto_mp_utf8_valid((const uint8_t *)s, n);
}

#define MEMO_OK(m) text_ok((m), sizeof(m), PROTO_ACCT_MEMO_MAX)

/* Product codes: 1..PROTO_PARAMS_CODE_MAX bytes of A-Z 0-9. */
static bool product_ok(const char *p, size_t size)
{
    size_t n = strnlen(p, size);

    if (n == 0 || n >= size || n > PROTO_PARAMS_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
            return false;
    return true;
}

static bool line_ok(const struct proto_line *l)
{
    /* member: 0 is nil, anything else is a member number (1..2^32-1 by its type). */
    return account_ok(l->account) && amount_ok(l->debit) && amount_ok(l->credit) &&
           (l->debit == 0) != (l->credit == 0);
}

static bool journal_a_ok(const struct proto_journal_a *ja)
{
    const struct proto_journal *j = &ja->j;

    if (!proto_date_valid(j->date) || !text_ok(j->memo, sizeof j->memo, PROTO_ACCT_MEMO_MAX) ||
        j->nlines < 1 || j->nlines > PROTO_LINES_MAX || ja->nevidence > PROTO_ACCT_EVIDENCE_MAX)
        return false;
    for (uint32_t i = 0; i < j->nlines; i++)
        if (!line_ok(&j->lines[i]))
            return false;
    return true;
}

static bool sign_ok(const struct proto_sign *s)
{
    return (s->decision == PROTO_SIGN_APPROVE || s->decision == PROTO_SIGN_REJECT) &&
           MEMO_OK(s->note);
}

static bool admit_ok(const struct proto_member_admit *a)
{
    return a->member >= 1 && proto_date_valid(a->date) && a->class >= PROTO_CLASS_BIASA &&
           a->class <= PROTO_CLASS_LUAR && amount_ok(a->pokok) && account_ok(a->pokok_account) &&
           account_ok(a->cash_account) && MEMO_OK(a->memo);
}

static bool exit_ok(const struct proto_member_exit *e)
{
    return e->member >= 1 && proto_date_valid(e->date) && e->reason >= PROTO_EXIT_OWN &&
           e->reason <= PROTO_EXIT_OTHER && amount_ok(e->pokok) && amount_ok(e->wajib) &&
           account_ok(e->pokok_account) && account_ok(e->wajib_account) &&
           account_ok(e->refund_account) && MEMO_OK(e->memo);
}

/*
 * The payout refund + sum(savings) - sum(principal + interest), when every row is in range and
 * it is not negative. Each figure is at most 10^15, so the sums stay below 9 * 10^15 and
 * 3.2 * 10^16: far from 2^64.
 */
static bool settle_payout(const struct proto_exit_settle *s, uint64_t *payout)
{
    uint64_t in, out = 0;

    if (!amount_ok(s->refund) || s->nsavings > PROTO_ACCT_SAVINGS_MAX ||
        s->noffsets > PROTO_ACCT_OFFSETS_MAX)
        return false;
    in = s->refund;
    for (uint32_t i = 0; i < s->nsavings; i++) {
        if (!amount_ok(s->savings[i].amount))
            return false;
        in += s->savings[i].amount;
    }
    for (uint32_t i = 0; i < s->noffsets; i++) {
        if (!amount_ok(s->offsets[i].principal) || !amount_ok(s->offsets[i].interest))
            return false;
        out += s->offsets[i].principal + s->offsets[i].interest;
    }
    if (out > in)
        return false;
    *payout = in - out;
    return true;
}

static bool settle_ok(const struct proto_exit_settle *s)
{
    uint64_t payout;

    if (s->member < 1 || !proto_date_valid(s->date) || !account_ok(s->refund_account) ||
        !account_ok(s->cash_account) || !MEMO_OK(s->memo) || !settle_payout(s, &payout))
        return false;
    for (uint32_t i = 0; i < s->nsavings; i++)
        if (!account_ok(s->savings[i].account))
            return false;
    return true;
}

static bool deposit_ok(const struct proto_deposit *d)
{
    if (d->member < 1 || !proto_date_valid(d->date) || !product_ok(d->product, sizeof d->product) ||
        !account_ok(d->account) || d->amount < 1 || !amount_ok(d->amount) ||
        !account_ok(d->cash_account) || !MEMO_OK(d->memo))
        return false;
    return !d->has_term || (d->term_months >= 1 && d->term_months <= PROTO_ACCT_TERM_MONTHS_MAX &&
                            d->term_rate_ppm <= PROTO_PARAMS_RATE_MAX);
}

static bool withdraw_ok(const struct proto_withdraw *w)
{
    if (w->member < 1 || !proto_date_valid(w->date) || !product_ok(w->product, sizeof w->product) ||
        !account_ok(w->account) || w->amount < 1 || !amount_ok(w->amount) ||
        !account_ok(w->cash_account) || w->fee > w->amount || !MEMO_OK(w->memo))
        return false;
    return w->fee == 0 ? w->fee_account == 0 : account_ok(w->fee_account);
}

/* A period YYYYMM whose first day is a valid date. */
static bool period_ok(uint32_t period)
{
    return period % 100 >= 1 && period % 100 <= 12 && proto_date_valid(period * 100 + 1);
}

uint64_t proto_acct_interest_gross(const struct proto_interest *in)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < in->nrows && i < PROTO_ACCT_INTEREST_ROWS_MAX; i++)
        sum += in->rows[i].gross <= PROTO_AMOUNT_MAX ? in->rows[i].gross : PROTO_AMOUNT_MAX;
    return sum;
}

static bool interest_ok(const struct proto_interest *in)
{
    uint64_t gross = 0;

    if (!period_ok(in->period) || !proto_date_valid(in->date) ||
        !product_ok(in->product, sizeof in->product) || in->method < PROTO_SAVM_LOWEST ||
        in->method > PROTO_SAVM_TERM || in->rate_ppm > PROTO_PARAMS_RATE_MAX ||
        !account_ok(in->expense_account) || !account_ok(in->account) ||
        !account_ok(in->tax_account) || !MEMO_OK(in->memo) || in->nrows < 1 ||
        in->nrows > PROTO_ACCT_INTEREST_ROWS_MAX)
        return false;
    for (uint32_t i = 0; i < in->nrows; i++) {
        const struct proto_interest_row *r = &in->rows[i];

        if (r->member < 1 || (i > 0 && r->member <= in->rows[i - 1].member) ||
            r->basis > PROTO_ACCT_BASIS_MAX || !amount_ok(r->gross) || r->tax > r->gross)
            return false;
        gross += r->gross; /* at most 2000 x 10^15: no wrap */
    }
    return gross <= PROTO_AMOUNT_MAX;
}

const struct proto_interest_row *proto_acct_interest_row(const struct proto_interest *in,
                                                         uint32_t m)
{
    size_t lo = 0, hi = in->nrows <= PROTO_ACCT_INTEREST_ROWS_MAX ? in->nrows : 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (in->rows[mid].member == m)
            return &in->rows[mid];
        if (in->rows[mid].member < m)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* n rows of [account, amount], n at most PROTO_ACCT_FEES_MAX; *sum gets their amounts (at most
 * 4 x 10^15). */
static bool rows_ok(const struct proto_acct_row *r, uint32_t n, uint64_t *sum)
{
    *sum = 0;
    if (n > PROTO_ACCT_FEES_MAX)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!account_ok(r[i].account) || !amount_ok(r[i].amount))
            return false;
        *sum += r[i].amount;
    }
    return true;
}

/* The loan terms of an application, disbursed (as a placeholder) on its own date. */
static bool apply_terms_ok(const struct proto_loan_apply *a)
{
    struct proto_loan_terms t = {0};

    t.principal = a->principal;
    t.rate_ppm = a->rate_ppm;
    t.periods = a->periods;
    t.method = a->method;
    t.round = a->rounding;
    return proto_day_from_ymd(a->date, &t.disbursed) == 0 && proto_loan_terms_check(&t) == 0;
}

static bool apply_ok(const struct proto_loan_apply *a)
{
    uint64_t fees;

    return a->borrower >= 1 && proto_date_valid(a->date) &&
           product_ok(a->product, sizeof a->product) && a->principal >= 1 &&
           amount_ok(a->principal) && apply_terms_ok(a) && account_ok(a->receivable) &&
           account_ok(a->interest) && account_ok(a->penalty) && rows_ok(a->fees, a->nfees, &fees) &&
           a->purpose >= PROTO_PURPOSE_PRODUKTIF && a->purpose <= PROTO_ACCT_PURPOSE_MAX &&
           MEMO_OK(a->memo);
}

/* The net of a disbursement, gross - sum(fees) - sum(deductions), when the rows are in range and
 * it is not negative. */
static bool disburse_net(const struct proto_loan_disburse *d, uint64_t *net)
{
    uint64_t fees, deductions;

    if (!amount_ok(d->gross) || !rows_ok(d->fees, d->nfees, &fees) ||
        !rows_ok(d->deductions, d->ndeductions, &deductions) || fees + deductions > d->gross)
        return false;
    *net = d->gross - fees - deductions;
    return true;
}

static bool disburse_ok(const struct proto_loan_disburse *d)
{
    uint64_t net;

    return proto_date_valid(d->date) && d->gross >= 1 && account_ok(d->cash_account) &&
           disburse_net(d, &net) && MEMO_OK(d->memo);
}

/* penalty + interest + principal + excess: at most 4 x 10^15 when each is in range. */
static uint64_t repay_amount(const struct proto_loan_repay *r)
{
    return r->penalty + r->interest + r->principal + r->excess;
}

static bool repay_ok(const struct proto_loan_repay *r)
{
    if (!proto_date_valid(r->date) || !amount_ok(r->penalty) || !amount_ok(r->interest) ||
        !amount_ok(r->principal) || !amount_ok(r->excess) || repay_amount(r) < 1 ||
        !account_ok(r->cash_account) || !MEMO_OK(r->memo))
        return false;
    return r->excess == 0 ? r->excess_account == 0 : account_ok(r->excess_account);
}

static bool latefee_ok(const struct proto_late_fee *l)
{
    return proto_date_valid(l->date) && l->installment >= 1 &&
           l->installment <= PROTO_LOAN_PERIODS_MAX && l->amount >= 1 && amount_ok(l->amount) &&
           MEMO_OK(l->memo);
}

static bool provision_ok(const struct proto_provision *p)
{
    return proto_date_valid(p->date) && account_ok(p->expense_account) &&
           account_ok(p->allowance_account) && p->amount != 0 &&
           p->amount >= -(int64_t)PROTO_AMOUNT_MAX && p->amount <= (int64_t)PROTO_AMOUNT_MAX &&
           MEMO_OK(p->memo);
}

static bool writeoff_ok(const struct proto_write_off *w)
{
    return proto_date_valid(w->date) && w->principal >= 1 && amount_ok(w->principal) &&
           account_ok(w->allowance_account) && MEMO_OK(w->memo);
}

/* |amount| of a provision (its matrix amount); 0 out of range. */
static uint64_t provision_abs(const struct proto_provision *p)
{
    if (p->amount < -(int64_t)PROTO_AMOUNT_MAX || p->amount > (int64_t)PROTO_AMOUNT_MAX)
        return 0;
    return p->amount < 0 ? (uint64_t)-p->amount : (uint64_t)p->amount;
}

/* A reversal's reason is not optional: 1..200 bytes. */
static bool reverse_ok(const struct proto_reverse *r)
{
    return proto_date_valid(r->date) && r->reason[0] != '\0' &&
           text_ok(r->reason, sizeof r->reason, PROTO_ACCT_REASON_MAX);
}

int proto_acct_check(const struct proto_acct_body *b)
{
    bool ok;

    switch (b->kind) {
    case PROTO_KIND_JOURNAL_A:
        ok = journal_a_ok(&b->u.ja);
        break;
    case PROTO_KIND_SIGN:
        ok = sign_ok(&b->u.sign);
        break;
    case PROTO_KIND_MEMBER_ADMIT:
        ok = admit_ok(&b->u.admit);
        break;
    case PROTO_KIND_MEMBER_EXIT:
        ok = exit_ok(&b->u.exit);
        break;
    case PROTO_KIND_EXIT_SETTLE:
        ok = settle_ok(&b->u.settle);
        break;
    case PROTO_KIND_DEPOSIT:
        ok = deposit_ok(&b->u.deposit);
        break;
    case PROTO_KIND_WITHDRAW:
        ok = withdraw_ok(&b->u.withdraw);
        break;
    case PROTO_KIND_INTEREST:
        ok = interest_ok(&b->u.interest);
        break;
    case PROTO_KIND_LOAN_APPLY:
        ok = apply_ok(&b->u.apply);
        break;
    case PROTO_KIND_LOAN_DISBURSE:
        ok = disburse_ok(&b->u.disburse);
        break;
    case PROTO_KIND_LOAN_REPAY:
        ok = repay_ok(&b->u.repay);
        break;
    case PROTO_KIND_LATE_FEE:
        ok = latefee_ok(&b->u.latefee);
        break;
    case PROTO_KIND_PROVISION:
        ok = provision_ok(&b->u.provision);
        break;
    case PROTO_KIND_WRITE_OFF:
        ok = writeoff_ok(&b->u.writeoff);
        break;
    case PROTO_KIND_REVERSE:
        ok = reverse_ok(&b->u.reverse);
        break;
    default:
        ok = false;
        break;
    }
    return ok ? 0 : ERR_BODY;
}

int proto_acct_payout(const struct proto_exit_settle *s, uint64_t *payout)
{
    *payout = 0;
    return settle_payout(s, payout) ? 0 : ERR_BODY;
}

/* ---- parse: arity, types and what the struct cannot represent ---- */

/* An unsigned integer in lo..hi. */
static int u32_range(const msgpack_object *o, uint64_t lo, uint64_t hi, uint32_t *v)
{
    uint64_t x;

    if (proto_mp_u64_max(o, hi, &x) < 0 || x < lo)
        return ERR_BODY;
    *v = (uint32_t)x;
    return 0;
}

static int u32_get(const msgpack_object *o, uint32_t *v)
{
    return u32_range(o, 0, UINT32_MAX, v);
}

static int u8_get(const msgpack_object *o, uint8_t *v)
{
    uint32_t x;

    if (u32_range(o, 0, UINT8_MAX, &x) < 0)
        return ERR_BODY;
    *v = (uint8_t)x;
    return 0;
}


/* nil (0), or a non-zero u32 in lo..hi: an explicit 0 would not survive a round trip. */
static int u32_opt(const msgpack_object *o, uint64_t lo, uint64_t hi, uint32_t *v)
{
    if (proto_mp_is_nil(o)) {
        *v = 0;
        return 0;
    }
    return u32_range(o, lo < 1 ? 1 : lo, hi, v);
}

static int line_unpack(const msgpack_object *o, struct proto_line *l)
{
    const msgpack_object *f;

    if (proto_mp_array(o, LINE_NFIELDS, &f) < 0 || u32_get(&f[0], &l->account) < 0 ||
        u32_opt(&f[1], 1, PROTO_MEMBER_MAX, &l->member) < 0 || proto__u64_get(&f[2], &l->debit) < 0 ||
        proto__u64_get(&f[3], &l->credit) < 0)
        return ERR_BODY;
    return 0;
}

static int journal_a_unpack(const msgpack_object *f, struct proto_journal_a *ja)
{
    const msgpack_object *l, *e;
    uint32_t n;

    if (u32_get(&f[0], &ja->j.date) < 0 || proto__str_copy(&f[1], ja->j.memo, PROTO_ACCT_MEMO_MAX) < 0 ||
        proto_mp_array_max(&f[2], PROTO_LINES_MAX, &l, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (line_unpack(&l[i], &ja->j.lines[i]) < 0)
            return ERR_BODY;
    ja->j.nlines = n;
    if (proto_mp_array_max(&f[3], PROTO_ACCT_EVIDENCE_MAX, &e, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto__bin32_get(&e[i], ja->evidence[i]) < 0)
            return ERR_BODY;
    ja->nevidence = n;
    return 0;
}

static int sign_unpack(const msgpack_object *f, struct proto_sign *s)
{
    if (proto__bin32_get(&f[0], s->target) < 0 || u8_get(&f[1], &s->decision) < 0 ||
        proto__str_copy(&f[2], s->note, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int admit_unpack(const msgpack_object *f, struct proto_member_admit *a)
{
    if (u32_get(&f[0], &a->member) < 0 || u32_get(&f[1], &a->date) < 0 ||
        u8_get(&f[2], &a->class) < 0 || proto__u64_get(&f[3], &a->pokok) < 0 ||
        u32_get(&f[4], &a->pokok_account) < 0 || u32_get(&f[5], &a->cash_account) < 0 ||
        proto__bin32_opt(&f[6], &a->has_profile, a->profile) < 0 ||
        proto__str_copy(&f[7], a->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int exit_unpack(const msgpack_object *f, struct proto_member_exit *e)
{
    if (u32_get(&f[0], &e->member) < 0 || u32_get(&f[1], &e->date) < 0 ||
        u8_get(&f[2], &e->reason) < 0 || proto__u64_get(&f[3], &e->pokok) < 0 ||
        proto__u64_get(&f[4], &e->wajib) < 0 || u32_get(&f[5], &e->pokok_account) < 0 ||
        u32_get(&f[6], &e->wajib_account) < 0 || u32_get(&f[7], &e->refund_account) < 0 ||
        proto__str_copy(&f[8], e->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int settle_unpack(const msgpack_object *f, struct proto_exit_settle *s)
{
    const msgpack_object *r, *rf;
    uint32_t n;

    if (u32_get(&f[0], &s->member) < 0 || u32_get(&f[1], &s->date) < 0 ||
        proto__bin32_get(&f[2], s->exit) < 0 || proto__u64_get(&f[3], &s->refund) < 0 ||
        u32_get(&f[4], &s->refund_account) < 0 ||
        proto_mp_array_max(&f[5], PROTO_ACCT_SAVINGS_MAX, &r, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&r[i], SAVING_NFIELDS, &rf) < 0 ||
            u32_get(&rf[0], &s->savings[i].account) < 0 ||
            proto__u64_get(&rf[1], &s->savings[i].amount) < 0)
            return ERR_BODY;
    s->nsavings = n;
    if (proto_mp_array_max(&f[6], PROTO_ACCT_OFFSETS_MAX, &r, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&r[i], OFFSET_NFIELDS, &rf) < 0 ||
            proto__bin32_get(&rf[0], s->offsets[i].loan) < 0 ||
            proto__u64_get(&rf[1], &s->offsets[i].principal) < 0 ||
            proto__u64_get(&rf[2], &s->offsets[i].interest) < 0)
            return ERR_BODY;
    s->noffsets = n;
    if (u32_get(&f[7], &s->cash_account) < 0 || proto__str_copy(&f[8], s->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int deposit_unpack(const msgpack_object *f, struct proto_deposit *d)
{
    const msgpack_object *t;

    if (u32_get(&f[0], &d->member) < 0 || u32_get(&f[1], &d->date) < 0 ||
        proto__str_copy(&f[2], d->product, PROTO_PARAMS_CODE_MAX) < 0 || u32_get(&f[3], &d->account) < 0 ||
        proto__u64_get(&f[4], &d->amount) < 0 || u32_get(&f[5], &d->cash_account) < 0 ||
        proto__str_copy(&f[7], d->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    d->has_term = !proto_mp_is_nil(&f[6]);
    if (d->has_term &&
        (proto_mp_array(&f[6], TERM_NFIELDS, &t) < 0 || u32_get(&t[0], &d->term_months) < 0 ||
         u32_get(&t[1], &d->term_rate_ppm) < 0))
        return ERR_BODY;
    return 0;
}

static int withdraw_unpack(const msgpack_object *f, struct proto_withdraw *w)
{
    if (u32_get(&f[0], &w->member) < 0 || u32_get(&f[1], &w->date) < 0 ||
        proto__str_copy(&f[2], w->product, PROTO_PARAMS_CODE_MAX) < 0 || u32_get(&f[3], &w->account) < 0 ||
        proto__u64_get(&f[4], &w->amount) < 0 || u32_get(&f[5], &w->cash_account) < 0 ||
        proto__bin32_opt(&f[6], &w->has_ref, w->ref) < 0 || proto__u64_get(&f[7], &w->fee) < 0 ||
        u32_opt(&f[8], ACCOUNT_MIN, ACCOUNT_MAX, &w->fee_account) < 0 ||
        proto__str_copy(&f[9], w->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int interest_unpack(const msgpack_object *f, struct proto_interest *in)
{
    const msgpack_object *r, *rf;
    uint32_t n;

    if (u32_get(&f[0], &in->period) < 0 || u32_get(&f[1], &in->date) < 0 ||
        proto__str_copy(&f[2], in->product, PROTO_PARAMS_CODE_MAX) < 0 || u8_get(&f[3], &in->method) < 0 ||
        u32_get(&f[4], &in->rate_ppm) < 0 || u32_get(&f[5], &in->expense_account) < 0 ||
        u32_get(&f[6], &in->account) < 0 || u32_get(&f[7], &in->tax_account) < 0 ||
        proto_mp_array_max(&f[8], PROTO_ACCT_INTEREST_ROWS_MAX, &r, &n) < 0 ||
        proto__str_copy(&f[9], in->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&r[i], IROW_NFIELDS, &rf) < 0 ||
            u32_get(&rf[0], &in->rows[i].member) < 0 || proto__u64_get(&rf[1], &in->rows[i].basis) < 0 ||
            proto__u64_get(&rf[2], &in->rows[i].gross) < 0 || proto__u64_get(&rf[3], &in->rows[i].tax) < 0)
            return ERR_BODY;
    in->nrows = n;
    return 0;
}

/* array(0..PROTO_ACCT_FEES_MAX) of [account, amount]. */
static int rows_unpack(const msgpack_object *o, struct proto_acct_row *r, uint32_t *count)
{
    const msgpack_object *a, *f;
    uint32_t n;

    if (proto_mp_array_max(o, PROTO_ACCT_FEES_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&a[i], ROW_NFIELDS, &f) < 0 || u32_get(&f[0], &r[i].account) < 0 ||
            proto__u64_get(&f[1], &r[i].amount) < 0)
            return ERR_BODY;
    *count = n;
    return 0;
}

static int apply_unpack(const msgpack_object *f, struct proto_loan_apply *a)
{
    const msgpack_object *r, *ac;

    if (u32_get(&f[0], &a->borrower) < 0 || u32_get(&f[1], &a->date) < 0 ||
        proto__str_copy(&f[2], a->product, PROTO_PARAMS_CODE_MAX) < 0 ||
        proto__u64_get(&f[3], &a->principal) < 0 || u32_get(&f[4], &a->periods) < 0 ||
        u32_get(&f[5], &a->rate_ppm) < 0 || u8_get(&f[6], &a->method) < 0 ||
        proto_mp_array(&f[7], ROUNDING_NFIELDS, &r) < 0 || u8_get(&r[0], &a->rounding.mode) < 0 ||
        u32_get(&r[1], &a->rounding.unit) < 0 || proto_mp_array(&f[8], ACCOUNTS_NFIELDS, &ac) < 0 ||
        u32_get(&ac[0], &a->receivable) < 0 || u32_get(&ac[1], &a->interest) < 0 ||
        u32_get(&ac[2], &a->penalty) < 0 || rows_unpack(&f[9], a->fees, &a->nfees) < 0 ||
        u8_get(&f[10], &a->purpose) < 0 ||
        proto__bin32_opt(&f[11], &a->has_collateral, a->collateral) < 0 ||
        proto__str_copy(&f[12], a->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int disburse_unpack(const msgpack_object *f, struct proto_loan_disburse *d)
{
    if (proto__bin32_get(&f[0], d->loan) < 0 || u32_get(&f[1], &d->date) < 0 ||
        proto__u64_get(&f[2], &d->gross) < 0 || u32_get(&f[3], &d->cash_account) < 0 ||
        rows_unpack(&f[4], d->fees, &d->nfees) < 0 ||
        rows_unpack(&f[5], d->deductions, &d->ndeductions) < 0 ||
        proto__str_copy(&f[6], d->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int repay_unpack(const msgpack_object *f, struct proto_loan_repay *r)
{
    if (proto__bin32_get(&f[0], r->loan) < 0 || u32_get(&f[1], &r->date) < 0 ||
        proto__u64_get(&f[2], &r->penalty) < 0 || proto__u64_get(&f[3], &r->interest) < 0 ||
        proto__u64_get(&f[4], &r->principal) < 0 || proto__u64_get(&f[5], &r->excess) < 0 ||
        u32_get(&f[6], &r->cash_account) < 0 ||
        u32_opt(&f[7], ACCOUNT_MIN, ACCOUNT_MAX, &r->excess_account) < 0 ||
        proto__str_copy(&f[8], r->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int latefee_unpack(const msgpack_object *f, struct proto_late_fee *l)
{
    if (proto__bin32_get(&f[0], l->loan) < 0 || u32_get(&f[1], &l->date) < 0 ||
        u32_get(&f[2], &l->installment) < 0 || proto__u64_get(&f[3], &l->amount) < 0 ||
        proto__str_copy(&f[4], l->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int provision_unpack(const msgpack_object *f, struct proto_provision *p)
{
    if (u32_get(&f[0], &p->date) < 0 || u32_get(&f[1], &p->expense_account) < 0 ||
        u32_get(&f[2], &p->allowance_account) < 0 || proto_mp_i64(&f[3], &p->amount) < 0 ||
        proto__str_copy(&f[4], p->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int writeoff_unpack(const msgpack_object *f, struct proto_write_off *w)
{
    if (proto__bin32_get(&f[0], w->loan) < 0 || u32_get(&f[1], &w->date) < 0 ||
        proto__u64_get(&f[2], &w->principal) < 0 || u32_get(&f[3], &w->allowance_account) < 0 ||
        proto__bin32_opt(&f[4], &w->has_resolution, w->resolution) < 0 ||
        proto__str_copy(&f[5], w->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static int reverse_unpack(const msgpack_object *f, struct proto_reverse *r)
{
    if (proto__bin32_get(&f[0], r->target) < 0 || u32_get(&f[1], &r->date) < 0 ||
        proto__str_copy(&f[2], r->reason, PROTO_ACCT_REASON_MAX) < 0)
        return ERR_BODY;
    return 0;
}

static uint32_t kind_nfields(uint64_t kind)
{
    switch (kind) {
    case PROTO_KIND_JOURNAL_A:
        return JOURNAL_A_NFIELDS;
    case PROTO_KIND_SIGN:
        return SIGN_NFIELDS;
    case PROTO_KIND_MEMBER_ADMIT:
        return ADMIT_NFIELDS;
    case PROTO_KIND_MEMBER_EXIT:
        return EXIT_NFIELDS;
    case PROTO_KIND_EXIT_SETTLE:
        return SETTLE_NFIELDS;
    case PROTO_KIND_DEPOSIT:
        return DEPOSIT_NFIELDS;
    case PROTO_KIND_WITHDRAW:
        return WITHDRAW_NFIELDS;
    case PROTO_KIND_INTEREST:
        return INTEREST_NFIELDS;
    case PROTO_KIND_LOAN_APPLY:
        return APPLY_NFIELDS;
    case PROTO_KIND_LOAN_DISBURSE:
        return DISBURSE_NFIELDS;
    case PROTO_KIND_LOAN_REPAY:
        return REPAY_NFIELDS;
    case PROTO_KIND_LATE_FEE:
        return LATEFEE_NFIELDS;
    case PROTO_KIND_PROVISION:
        return PROVISION_NFIELDS;
    case PROTO_KIND_WRITE_OFF:
        return WRITEOFF_NFIELDS;
    case PROTO_KIND_REVERSE:
        return REVERSE_NFIELDS;
    default:
        return 0;
    }
}

static int body_unpack(const msgpack_object *f, struct proto_acct_body *out)
{
    switch (out->kind) {
    case PROTO_KIND_JOURNAL_A:
        return journal_a_unpack(f, &out->u.ja);
    case PROTO_KIND_SIGN:
        return sign_unpack(f, &out->u.sign);
    case PROTO_KIND_MEMBER_ADMIT:
        return admit_unpack(f, &out->u.admit);
    case PROTO_KIND_MEMBER_EXIT:
        return exit_unpack(f, &out->u.exit);
    case PROTO_KIND_EXIT_SETTLE:
        return settle_unpack(f, &out->u.settle);
    case PROTO_KIND_DEPOSIT:
        return deposit_unpack(f, &out->u.deposit);
    case PROTO_KIND_WITHDRAW:
        return withdraw_unpack(f, &out->u.withdraw);
    case PROTO_KIND_INTEREST:
        return interest_unpack(f, &out->u.interest);
    case PROTO_KIND_LOAN_APPLY:
        return apply_unpack(f, &out->u.apply);
    case PROTO_KIND_LOAN_DISBURSE:
        return disburse_unpack(f, &out->u.disburse);
    case PROTO_KIND_LOAN_REPAY:
        return repay_unpack(f, &out->u.repay);
    case PROTO_KIND_LATE_FEE:
        return latefee_unpack(f, &out->u.latefee);
    case PROTO_KIND_PROVISION:
        return provision_unpack(f, &out->u.provision);
    case PROTO_KIND_WRITE_OFF:
        return writeoff_unpack(f, &out->u.writeoff);
    case PROTO_KIND_REVERSE:
        return reverse_unpack(f, &out->u.reverse);
    default:
        return ERR_BODY;
    }
}

#define BODY_SIZE(member)                                                                          \
    (offsetof(struct proto_acct_body, u) + sizeof(((struct proto_acct_body *)0)->u.member))

size_t proto_acct_body_size(uint64_t kind)
{
    switch (kind) {
    case PROTO_KIND_JOURNAL_A:
        return BODY_SIZE(ja);
    case PROTO_KIND_SIGN:
        return BODY_SIZE(sign);
    case PROTO_KIND_MEMBER_ADMIT:
        return BODY_SIZE(admit);
    case PROTO_KIND_MEMBER_EXIT:
        return BODY_SIZE(exit);
    case PROTO_KIND_EXIT_SETTLE:
        return BODY_SIZE(settle);
    case PROTO_KIND_DEPOSIT:
        return BODY_SIZE(deposit);
    case PROTO_KIND_WITHDRAW:
        return BODY_SIZE(withdraw);
    case PROTO_KIND_INTEREST:
        return BODY_SIZE(interest);
    case PROTO_KIND_LOAN_APPLY:
        return BODY_SIZE(apply);
    case PROTO_KIND_LOAN_DISBURSE:
        return BODY_SIZE(disburse);
    case PROTO_KIND_LOAN_REPAY:
        return BODY_SIZE(repay);
    case PROTO_KIND_LATE_FEE:
        return BODY_SIZE(latefee);
    case PROTO_KIND_PROVISION:
        return BODY_SIZE(provision);
    case PROTO_KIND_WRITE_OFF:
        return BODY_SIZE(writeoff);
    case PROTO_KIND_REVERSE:
        return BODY_SIZE(reverse);
    default:
        return 0;
    }
}

int proto_acct_decode(uint64_t kind, const uint8_t *body, size_t len, struct proto_acct_body *out)
{
    struct proto_mp_doc doc;
    const msgpack_object *f;
    uint32_t nfields = kind_nfields(kind);
    int rc;

    if (nfields == 0) {
        memset(out, 0, sizeof *out);
        return ERR_BODY;
    }
    /* Only this kind's bytes: the union is sized for kind 50's rows (see the header). */
    memset(out, 0, proto_acct_body_size(kind));
    rc = proto_mp_doc_init(&doc);
    if (rc < 0)
        return rc;
    rc = proto_mp_doc_parse(&doc, body, len);
    if (rc < 0) {
        rc = rc == -ENOMEM ? rc : ERR_BODY;
        goto out;
    }
    rc = ERR_BODY;
    if (proto_mp_array(&doc.root, nfields, &f) < 0)
        goto out;
    out->kind = (uint32_t)kind;
    if (body_unpack(f, out) < 0)
        goto out;
    rc = proto_acct_check(out);
out:
    proto_mp_doc_release(&doc);
    if (rc < 0)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- encode ---- */

/* A str field held in a buffer of size bytes (NUL-terminated when the body is sound). */
static int put_text(struct proto_buf *b, const char *s, size_t size)
{
    return proto_mp_put_str(b, s, strnlen(s, size));
}

#define PUT_TEXT(b, s) put_text((b), (s), sizeof(s))

/* nil for 0, else v. */
static int put_u32_opt(struct proto_buf *b, uint32_t v)
{
    return v ? proto_mp_put_uint(b, v) : proto_mp_put_nil(b);
}

static int put_bin32_opt(struct proto_buf *b, bool has, const uint8_t v[32])
{
    return has ? proto_mp_put_bin(b, v, 32) : proto_mp_put_nil(b);
}

static int journal_a_pack(struct proto_buf *b, const struct proto_journal_a *ja)
{
    const struct proto_journal *j = &ja->j;
    int rc;

    if (j->nlines > PROTO_LINES_MAX || ja->nevidence > PROTO_ACCT_EVIDENCE_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(b, JOURNAL_A_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, j->date)) < 0 || (rc = PUT_TEXT(b, j->memo)) < 0 ||
        (rc = proto_mp_put_array(b, j->nlines)) < 0)
        return rc;
    for (uint32_t i = 0; i < j->nlines; i++) {
        const struct proto_line *l = &j->lines[i];

        if ((rc = proto_mp_put_array(b, LINE_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, l->account)) < 0 || (rc = put_u32_opt(b, l->member)) < 0 ||
            (rc = proto_mp_put_uint(b, l->debit)) < 0 || (rc = proto_mp_put_uint(b, l->credit)) < 0)
            return rc;
    }
    if ((rc = proto_mp_put_array(b, ja->nevidence)) < 0)
        return rc;
    for (uint32_t i = 0; i < ja->nevidence; i++)
        if ((rc = proto_mp_put_bin(b, ja->evidence[i], 32)) < 0)
            return rc;
    return 0;
}

static int sign_pack(struct proto_buf *b, const struct proto_sign *s)
{
    int rc;

    if ((rc = proto_mp_put_array(b, SIGN_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(b, s->target, 32)) < 0 ||
        (rc = proto_mp_put_uint(b, s->decision)) < 0 || (rc = PUT_TEXT(b, s->note)) < 0)
        return rc;
    return 0;
}

static int admit_pack(struct proto_buf *b, const struct proto_member_admit *a)
{
    int rc;

    if ((rc = proto_mp_put_array(b, ADMIT_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, a->member)) < 0 || (rc = proto_mp_put_uint(b, a->date)) < 0 ||
        (rc = proto_mp_put_uint(b, a->class)) < 0 || (rc = proto_mp_put_uint(b, a->pokok)) < 0 ||
        (rc = proto_mp_put_uint(b, a->pokok_account)) < 0 ||
        (rc = proto_mp_put_uint(b, a->cash_account)) < 0 ||
        (rc = put_bin32_opt(b, a->has_profile, a->profile)) < 0 || (rc = PUT_TEXT(b, a->memo)) < 0)
        return rc;
    return 0;
}

static int exit_pack(struct proto_buf *b, const struct proto_member_exit *e)
{
    int rc;

    if ((rc = proto_mp_put_array(b, EXIT_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, e->member)) < 0 || (rc = proto_mp_put_uint(b, e->date)) < 0 ||
        (rc = proto_mp_put_uint(b, e->reason)) < 0 || (rc = proto_mp_put_uint(b, e->pokok)) < 0 ||
        (rc = proto_mp_put_uint(b, e->wajib)) < 0 ||
        (rc = proto_mp_put_uint(b, e->pokok_account)) < 0 ||
        (rc = proto_mp_put_uint(b, e->wajib_account)) < 0 ||
        (rc = proto_mp_put_uint(b, e->refund_account)) < 0 || (rc = PUT_TEXT(b, e->memo)) < 0)
        return rc;
    return 0;
}

static int settle_pack(struct proto_buf *b, const struct proto_exit_settle *s)
{
    int rc;

    if (s->nsavings > PROTO_ACCT_SAVINGS_MAX || s->noffsets > PROTO_ACCT_OFFSETS_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(b, SETTLE_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, s->member)) < 0 || (rc = proto_mp_put_uint(b, s->date)) < 0 ||
        (rc = proto_mp_put_bin(b, s->exit, 32)) < 0 || (rc = proto_mp_put_uint(b, s->refund)) < 0 ||
        (rc = proto_mp_put_uint(b, s->refund_account)) < 0 ||
        (rc = proto_mp_put_array(b, s->nsavings)) < 0)
        return rc;
    for (uint32_t i = 0; i < s->nsavings; i++)
        if ((rc = proto_mp_put_array(b, SAVING_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, s->savings[i].account)) < 0 ||
            (rc = proto_mp_put_uint(b, s->savings[i].amount)) < 0)
            return rc;
    if ((rc = proto_mp_put_array(b, s->noffsets)) < 0)
        return rc;
    for (uint32_t i = 0; i < s->noffsets; i++)
        if ((rc = proto_mp_put_array(b, OFFSET_NFIELDS)) < 0 ||
            (rc = proto_mp_put_bin(b, s->offsets[i].loan, 32)) < 0 ||
            (rc = proto_mp_put_uint(b, s->offsets[i].principal)) < 0 ||
            (rc = proto_mp_put_uint(b, s->offsets[i].interest)) < 0)
            return rc;
    if ((rc = proto_mp_put_uint(b, s->cash_account)) < 0 || (rc = PUT_TEXT(b, s->memo)) < 0)
        return rc;
    return 0;
}

static int deposit_pack(struct proto_buf *b, const struct proto_deposit *d)
{
    int rc;

    if ((rc = proto_mp_put_array(b, DEPOSIT_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, d->member)) < 0 || (rc = proto_mp_put_uint(b, d->date)) < 0 ||
        (rc = PUT_TEXT(b, d->product)) < 0 || (rc = proto_mp_put_uint(b, d->account)) < 0 ||
        (rc = proto_mp_put_uint(b, d->amount)) < 0 ||
        (rc = proto_mp_put_uint(b, d->cash_account)) < 0)
        return rc;
    if (d->has_term) {
        if ((rc = proto_mp_put_array(b, TERM_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, d->term_months)) < 0 ||
            (rc = proto_mp_put_uint(b, d->term_rate_ppm)) < 0)
            return rc;
    } else if ((rc = proto_mp_put_nil(b)) < 0) {
        return rc;
    }
    return PUT_TEXT(b, d->memo);
}

static int withdraw_pack(struct proto_buf *b, const struct proto_withdraw *w)
{
    int rc;

    if ((rc = proto_mp_put_array(b, WITHDRAW_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, w->member)) < 0 || (rc = proto_mp_put_uint(b, w->date)) < 0 ||
        (rc = PUT_TEXT(b, w->product)) < 0 || (rc = proto_mp_put_uint(b, w->account)) < 0 ||
        (rc = proto_mp_put_uint(b, w->amount)) < 0 ||
        (rc = proto_mp_put_uint(b, w->cash_account)) < 0 ||
        (rc = put_bin32_opt(b, w->has_ref, w->ref)) < 0 ||
        (rc = proto_mp_put_uint(b, w->fee)) < 0 || (rc = put_u32_opt(b, w->fee_account)) < 0 ||
        (rc = PUT_TEXT(b, w->memo)) < 0)
        return rc;
    return 0;
}

static int interest_pack(struct proto_buf *b, const struct proto_interest *in)
{
    int rc;

    if (in->nrows > PROTO_ACCT_INTEREST_ROWS_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(b, INTEREST_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, in->period)) < 0 || (rc = proto_mp_put_uint(b, in->date)) < 0 ||
        (rc = PUT_TEXT(b, in->product)) < 0 || (rc = proto_mp_put_uint(b, in->method)) < 0 ||
        (rc = proto_mp_put_uint(b, in->rate_ppm)) < 0 ||
        (rc = proto_mp_put_uint(b, in->expense_account)) < 0 ||
        (rc = proto_mp_put_uint(b, in->account)) < 0 ||
        (rc = proto_mp_put_uint(b, in->tax_account)) < 0 ||
        (rc = proto_mp_put_array(b, in->nrows)) < 0)
        return rc;
    for (uint32_t i = 0; i < in->nrows; i++) {
        const struct proto_interest_row *r = &in->rows[i];

        if ((rc = proto_mp_put_array(b, IROW_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, r->member)) < 0 ||
            (rc = proto_mp_put_uint(b, r->basis)) < 0 ||
            (rc = proto_mp_put_uint(b, r->gross)) < 0 || (rc = proto_mp_put_uint(b, r->tax)) < 0)
            return rc;
    }
    return PUT_TEXT(b, in->memo);
}

static int rows_pack(struct proto_buf *b, const struct proto_acct_row *r, uint32_t n)
{
    int rc;

    if ((rc = proto_mp_put_array(b, n)) < 0)
        return rc;
    for (uint32_t i = 0; i < n; i++)
        if ((rc = proto_mp_put_array(b, ROW_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, r[i].account)) < 0 ||
            (rc = proto_mp_put_uint(b, r[i].amount)) < 0)
            return rc;
    return 0;
}

static int apply_pack(struct proto_buf *b, const struct proto_loan_apply *a)
{
    int rc;

    if (a->nfees > PROTO_ACCT_FEES_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(b, APPLY_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, a->borrower)) < 0 || (rc = proto_mp_put_uint(b, a->date)) < 0 ||
        (rc = PUT_TEXT(b, a->product)) < 0 || (rc = proto_mp_put_uint(b, a->principal)) < 0 ||
        (rc = proto_mp_put_uint(b, a->periods)) < 0 ||
        (rc = proto_mp_put_uint(b, a->rate_ppm)) < 0 ||
        (rc = proto_mp_put_uint(b, a->method)) < 0 ||
        (rc = proto_mp_put_array(b, ROUNDING_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, a->rounding.mode)) < 0 ||
        (rc = proto_mp_put_uint(b, a->rounding.unit)) < 0 ||
        (rc = proto_mp_put_array(b, ACCOUNTS_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, a->receivable)) < 0 ||
        (rc = proto_mp_put_uint(b, a->interest)) < 0 ||
        (rc = proto_mp_put_uint(b, a->penalty)) < 0 || (rc = rows_pack(b, a->fees, a->nfees)) < 0 ||
        (rc = proto_mp_put_uint(b, a->purpose)) < 0 ||
        (rc = put_bin32_opt(b, a->has_collateral, a->collateral)) < 0 ||
        (rc = PUT_TEXT(b, a->memo)) < 0)
        return rc;
    return 0;
}

static int disburse_pack(struct proto_buf *b, const struct proto_loan_disburse *d)
{
    int rc;

    if (d->nfees > PROTO_ACCT_FEES_MAX || d->ndeductions > PROTO_ACCT_FEES_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(b, DISBURSE_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(b, d->loan, 32)) < 0 || (rc = proto_mp_put_uint(b, d->date)) < 0 ||
        (rc = proto_mp_put_uint(b, d->gross)) < 0 ||
        (rc = proto_mp_put_uint(b, d->cash_account)) < 0 ||
        (rc = rows_pack(b, d->fees, d->nfees)) < 0 ||
        (rc = rows_pack(b, d->deductions, d->ndeductions)) < 0 || (rc = PUT_TEXT(b, d->memo)) < 0)
        return rc;
    return 0;
}

static int repay_pack(struct proto_buf *b, const struct proto_loan_repay *r)
{
    int rc;

    if ((rc = proto_mp_put_array(b, REPAY_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(b, r->loan, 32)) < 0 || (rc = proto_mp_put_uint(b, r->date)) < 0 ||
        (rc = proto_mp_put_uint(b, r->penalty)) < 0 ||
        (rc = proto_mp_put_uint(b, r->interest)) < 0 ||
        (rc = proto_mp_put_uint(b, r->principal)) < 0 ||
        (rc = proto_mp_put_uint(b, r->excess)) < 0 ||
        (rc = proto_mp_put_uint(b, r->cash_account)) < 0 ||
        (rc = put_u32_opt(b, r->excess_account)) < 0 || (rc = PUT_TEXT(b, r->memo)) < 0)
        return rc;
    return 0;
}

static int latefee_pack(struct proto_buf *b, const struct proto_late_fee *l)
{
    int rc;

    if ((rc = proto_mp_put_array(b, LATEFEE_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(b, l->loan, 32)) < 0 || (rc = proto_mp_put_uint(b, l->date)) < 0 ||
        (rc = proto_mp_put_uint(b, l->installment)) < 0 ||
        (rc = proto_mp_put_uint(b, l->amount)) < 0 || (rc = PUT_TEXT(b, l->memo)) < 0)
        return rc;
    return 0;
}

static int provision_pack(struct proto_buf *b, const struct proto_provision *p)
{
    int rc;

    if ((rc = proto_mp_put_array(b, PROVISION_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, p->date)) < 0 ||
        (rc = proto_mp_put_uint(b, p->expense_account)) < 0 ||
        (rc = proto_mp_put_uint(b, p->allowance_account)) < 0 ||
        (rc = proto_mp_put_int(b, p->amount)) < 0 || (rc = PUT_TEXT(b, p->memo)) < 0)
        return rc;
    return 0;
}

static int writeoff_pack(struct proto_buf *b, const struct proto_write_off *w)
{
    int rc;

    if ((rc = proto_mp_put_array(b, WRITEOFF_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(b, w->loan, 32)) < 0 || (rc = proto_mp_put_uint(b, w->date)) < 0 ||
        (rc = proto_mp_put_uint(b, w->principal)) < 0 ||
        (rc = proto_mp_put_uint(b, w->allowance_account)) < 0 ||
        (rc = put_bin32_opt(b, w->has_resolution, w->resolution)) < 0 ||
        (rc = PUT_TEXT(b, w->memo)) < 0)
        return rc;
    return 0;
}

static int reverse_pack(struct proto_buf *b, const struct proto_reverse *r)
{
    int rc;

    if ((rc = proto_mp_put_array(b, REVERSE_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(b, r->target, 32)) < 0 || (rc = proto_mp_put_uint(b, r->date)) < 0 ||
        (rc = PUT_TEXT(b, r->reason)) < 0)
        return rc;
    return 0;
}

int proto_acct_encode(const struct proto_acct_body *b, struct proto_buf *out)
{
    switch (b->kind) {
    case PROTO_KIND_JOURNAL_A:
        return journal_a_pack(out, &b->u.ja);
    case PROTO_KIND_SIGN:
        return sign_pack(out, &b->u.sign);
    case PROTO_KIND_MEMBER_ADMIT:
        return admit_pack(out, &b->u.admit);
    case PROTO_KIND_MEMBER_EXIT:
        return exit_pack(out, &b->u.exit);
    case PROTO_KIND_EXIT_SETTLE:
        return settle_pack(out, &b->u.settle);
    case PROTO_KIND_DEPOSIT:
        return deposit_pack(out, &b->u.deposit);
    case PROTO_KIND_WITHDRAW:
        return withdraw_pack(out, &b->u.withdraw);
    case PROTO_KIND_INTEREST:
        return interest_pack(out, &b->u.interest);
    case PROTO_KIND_LOAN_APPLY:
        return apply_pack(out, &b->u.apply);
    case PROTO_KIND_LOAN_DISBURSE:
        return disburse_pack(out, &b->u.disburse);
    case PROTO_KIND_LOAN_REPAY:
        return repay_pack(out, &b->u.repay);
    case PROTO_KIND_LATE_FEE:
        return latefee_pack(out, &b->u.latefee);
    case PROTO_KIND_PROVISION:
        return provision_pack(out, &b->u.provision);
    case PROTO_KIND_WRITE_OFF:
        return writeoff_pack(out, &b->u.writeoff);
    case PROTO_KIND_REVERSE:
        return reverse_pack(out, &b->u.reverse);
    default:
        return -EINVAL;
    }
}

/* ---- postings ---- */

struct emit {
    struct proto_line *out;
    size_t max;
    size_t n;
};

/* One line of a pattern; a line of amount 0 is left out (ACCOUNTING.md 2.7). */
static void emit(struct emit *e, uint32_t account, uint32_t member, uint64_t debit, uint64_t credit)
{
    if (debit == 0 && credit == 0)
        return;
    if (e->n < e->max)
        e->out[e->n] = (struct proto_line){account, member, debit, credit};
    e->n++;
}

#define DR(e, a, m, x) emit((e), (a), (m), (x), 0)
#define CR(e, a, m, x) emit((e), (a), (m), 0, (x))

static int settle_lines(struct emit *e, const struct proto_exit_settle *s,
                        const uint32_t *loan_accts)
{
    uint32_t m = s->member;
    uint64_t payout;

    if (s->noffsets > 0) {
        if (!loan_accts)
            return -EINVAL;
        for (uint32_t i = 0; i < 2 * s->noffsets; i++)
            if (!account_ok(loan_accts[i]))
                return -EINVAL;
    }
    if (!settle_payout(s, &payout))
        return -EINVAL;
    DR(e, s->refund_account, m, s->refund);
    for (uint32_t i = 0; i < s->nsavings; i++)
        DR(e, s->savings[i].account, m, s->savings[i].amount);
    for (uint32_t i = 0; i < s->noffsets; i++) {
        CR(e, loan_accts[2 * i], m, s->offsets[i].principal);
        CR(e, loan_accts[2 * i + 1], m, s->offsets[i].interest);
    }
    CR(e, s->cash_account, 0, payout);
    return 0;
}

int proto_acct_postings(const struct proto_acct_body *b, const uint32_t *loan_accts,
                        struct proto_line *out, size_t max)
{
    struct emit e = {out, max, 0};
    int rc;

    if ((max > 0 && !out) || proto_acct_check(b) < 0)
        return -EINVAL;
    switch (b->kind) {
    case PROTO_KIND_JOURNAL_A:
        for (uint32_t i = 0; i < b->u.ja.j.nlines; i++) {
            const struct proto_line *l = &b->u.ja.j.lines[i];

            emit(&e, l->account, l->member, l->debit, l->credit);
        }
        break;
    case PROTO_KIND_SIGN:
        break;
    case PROTO_KIND_MEMBER_ADMIT: {
        const struct proto_member_admit *a = &b->u.admit;

        DR(&e, a->cash_account, 0, a->pokok);
        CR(&e, a->pokok_account, a->member, a->pokok);
        break;
    }
    case PROTO_KIND_MEMBER_EXIT: {
        const struct proto_member_exit *x = &b->u.exit;

        DR(&e, x->pokok_account, x->member, x->pokok);
        DR(&e, x->wajib_account, x->member, x->wajib);
        CR(&e, x->refund_account, x->member, x->pokok + x->wajib);
        break;
    }
    case PROTO_KIND_EXIT_SETTLE:
        rc = settle_lines(&e, &b->u.settle, loan_accts);
        if (rc < 0)
            return rc;
        break;
    case PROTO_KIND_DEPOSIT: {
        const struct proto_deposit *d = &b->u.deposit;

        DR(&e, d->cash_account, 0, d->amount);
        CR(&e, d->account, d->member, d->amount);
        break;
    }
    case PROTO_KIND_WITHDRAW: {
        const struct proto_withdraw *w = &b->u.withdraw;

        DR(&e, w->account, w->member, w->amount);
        CR(&e, w->cash_account, 0, w->amount - w->fee);
        CR(&e, w->fee_account, 0, w->fee);
        break;
    }
    case PROTO_KIND_INTEREST: {
        const struct proto_interest *in = &b->u.interest;
        uint64_t tax = 0;

        /* Dr the expense for the gross; each member gets gross - tax; the tax withheld is owed
         * to the state. Lines of 0 are left out, as everywhere (2.7). */
        DR(&e, in->expense_account, 0, proto_acct_interest_gross(in));
        for (uint32_t i = 0; i < in->nrows; i++) {
            CR(&e, in->account, in->rows[i].member, in->rows[i].gross - in->rows[i].tax);
            tax += in->rows[i].tax;
        }
        CR(&e, in->tax_account, 0, tax);
        break;
    }
    case PROTO_KIND_LOAN_APPLY:
    case PROTO_KIND_LATE_FEE:
        break; /* no postings: an application, and denda recognised when paid (3.7) */
    case PROTO_KIND_PROVISION: {
        const struct proto_provision *p = &b->u.provision;
        uint64_t x = provision_abs(p);

        if (p->amount > 0) {
            DR(&e, p->expense_account, 0, x);
            CR(&e, p->allowance_account, 0, x);
        } else {
            DR(&e, p->allowance_account, 0, x);
            CR(&e, p->expense_account, 0, x);
        }
        break;
    }
    default:
        return -EINVAL; /* 57, 58 and 61: proto_acct_loan_postings; 64: proto_acct_mirror */
    }
    return (int)e.n;
}

int proto_acct_loan_postings(const struct proto_acct_body *b, const struct proto_loan_apply *app,
                             unsigned sub_mask, struct proto_line *out, size_t max)
{
    struct emit e = {out, max, 0};
    uint32_t m;

    if ((max > 0 && !out) || (sub_mask & ~((PROTO_ACCT_SUB_EXCESS << 1) - 1u)) ||
        proto_acct_check(b) < 0)
        return -EINVAL;
    if (b->kind == PROTO_KIND_LOAN_APPLY || b->kind == PROTO_KIND_LATE_FEE)
        return 0;
    if ((b->kind != PROTO_KIND_LOAN_DISBURSE && b->kind != PROTO_KIND_LOAN_REPAY &&
         b->kind != PROTO_KIND_WRITE_OFF) ||
        !app || !apply_ok(app))
        return -EINVAL;
    m = app->borrower;
    if (b->kind == PROTO_KIND_WRITE_OFF) {
        DR(&e, b->u.writeoff.allowance_account, 0, b->u.writeoff.principal);
        CR(&e, app->receivable, m, b->u.writeoff.principal);
    } else if (b->kind == PROTO_KIND_LOAN_DISBURSE) {
        const struct proto_loan_disburse *d = &b->u.disburse;
        uint64_t net;

        if (!disburse_net(d, &net))
            return -EINVAL;
        DR(&e, app->receivable, m, d->gross);
        CR(&e, d->cash_account, 0, net);
        for (uint32_t i = 0; i < d->nfees; i++)
            CR(&e, d->fees[i].account, 0, d->fees[i].amount);
        for (uint32_t i = 0; i < d->ndeductions; i++)
            CR(&e, d->deductions[i].account, sub_mask & (1u << i) ? m : 0, d->deductions[i].amount);
    } else {
        const struct proto_loan_repay *r = &b->u.repay;

        DR(&e, r->cash_account, 0, repay_amount(r));
        CR(&e, app->penalty, 0, r->penalty);
        CR(&e, app->interest, m, r->interest);
        CR(&e, app->receivable, m, r->principal);
        CR(&e, r->excess_account, sub_mask & PROTO_ACCT_SUB_EXCESS ? m : 0, r->excess);
    }
    return (int)e.n;
}

int proto_acct_mirror(const struct proto_line *in, size_t n, struct proto_line *out, size_t max)
{
    if (max > 0 && !out)
        return -EINVAL;
    if (n > (size_t)INT32_MAX)
        return -EINVAL;
    /* Pattern lines may exceed a journal line's cap (41's refund, 42's cash), so only the shape
     * is checked here. */
    for (size_t i = 0; i < n; i++)
        if (!account_ok(in[i].account) || (in[i].debit == 0) == (in[i].credit == 0))
            return -EINVAL;
    /* Copy through a local: in and out may alias. */
    for (size_t i = 0; i < n && i < max; i++) {
        struct proto_line l = in[i];

        out[i] = (struct proto_line){l.account, l.member, l.credit, l.debit};
    }
    return (int)n;
}

/* ---- small helpers ---- */

uint32_t proto_acct_date(const struct proto_acct_body *b)
{
    switch (b->kind) {
    case PROTO_KIND_JOURNAL_A:
        return b->u.ja.j.date;
    case PROTO_KIND_MEMBER_ADMIT:
        return b->u.admit.date;
    case PROTO_KIND_MEMBER_EXIT:
        return b->u.exit.date;
    case PROTO_KIND_EXIT_SETTLE:
        return b->u.settle.date;
    case PROTO_KIND_DEPOSIT:
        return b->u.deposit.date;
    case PROTO_KIND_WITHDRAW:
        return b->u.withdraw.date;
    case PROTO_KIND_INTEREST:
        return b->u.interest.date;
    case PROTO_KIND_LOAN_APPLY:
        return b->u.apply.date;
    case PROTO_KIND_LOAN_DISBURSE:
        return b->u.disburse.date;
    case PROTO_KIND_LOAN_REPAY:
        return b->u.repay.date;
    case PROTO_KIND_LATE_FEE:
        return b->u.latefee.date;
    case PROTO_KIND_PROVISION:
        return b->u.provision.date;
    case PROTO_KIND_WRITE_OFF:
        return b->u.writeoff.date;
    case PROTO_KIND_REVERSE:
        return b->u.reverse.date;
    default:
        return 0;
    }
}

uint32_t proto_acct_member(const struct proto_acct_body *b)
{
    switch (b->kind) {
    case PROTO_KIND_MEMBER_ADMIT:
        return b->u.admit.member;
    case PROTO_KIND_MEMBER_EXIT:
        return b->u.exit.member;
    case PROTO_KIND_EXIT_SETTLE:
        return b->u.settle.member;
    case PROTO_KIND_DEPOSIT:
        return b->u.deposit.member;
    case PROTO_KIND_WITHDRAW:
        return b->u.withdraw.member;
    case PROTO_KIND_LOAN_APPLY:
        return b->u.apply.borrower;
    default:
        return 0; /* 57..59 name the loan, not the borrower; 50 is a bulk kind */
    }
}

size_t proto_acct_subjects(const struct proto_acct_body *b, uint32_t *out, size_t max)
{
    uint32_t m[PROTO_LINES_MAX];
    size_t n = 0, k = 0;

    if (b->kind != PROTO_KIND_JOURNAL_A) {
        uint32_t one = proto_acct_member(b);

        if (one == 0)
            return 0;
        if (max > 0)
            out[0] = one;
        return 1;
    }
    /* Insertion sort without duplicates: at most 256 lines. */
    for (uint32_t i = 0; i < b->u.ja.j.nlines && i < PROTO_LINES_MAX; i++) {
        uint32_t x = b->u.ja.j.lines[i].member;
        size_t at = n;

        if (x == 0)
            continue;
        while (at > 0 && m[at - 1] > x)
            at--;
        if (at > 0 && m[at - 1] == x)
            continue;
        memmove(&m[at + 1], &m[at], (n - at) * sizeof m[0]);
        m[at] = x;
        n++;
    }
    for (k = 0; k < n && k < max; k++)
        out[k] = m[k];
    return n;
}

uint64_t proto_acct_amount(const struct proto_acct_body *b)
{
    uint64_t sum = 0;

    switch (b->kind) {
    case PROTO_KIND_JOURNAL_A:
        for (uint32_t i = 0; i < b->u.ja.j.nlines && i < PROTO_LINES_MAX; i++)
            sum += b->u.ja.j.lines[i].debit;
        return sum;
    case PROTO_KIND_MEMBER_ADMIT:
        return b->u.admit.pokok;
    case PROTO_KIND_MEMBER_EXIT:
        return b->u.exit.pokok + b->u.exit.wajib;
    case PROTO_KIND_EXIT_SETTLE:
        sum = b->u.settle.refund;
        for (uint32_t i = 0; i < b->u.settle.nsavings && i < PROTO_ACCT_SAVINGS_MAX; i++)
            sum += b->u.settle.savings[i].amount;
        return sum;
    case PROTO_KIND_DEPOSIT:
        return b->u.deposit.amount;
    case PROTO_KIND_WITHDRAW:
        return b->u.withdraw.amount;
    case PROTO_KIND_INTEREST:
        return proto_acct_interest_gross(&b->u.interest);
    case PROTO_KIND_LOAN_APPLY:
        return b->u.apply.principal;
    case PROTO_KIND_LOAN_DISBURSE:
        return b->u.disburse.gross;
    case PROTO_KIND_LOAN_REPAY:
        return repay_amount(&b->u.repay);
    case PROTO_KIND_LATE_FEE:
        return b->u.latefee.amount;
    case PROTO_KIND_PROVISION:
        return provision_abs(&b->u.provision);
    case PROTO_KIND_WRITE_OFF:
        return b->u.writeoff.principal;
    default:
        return 0;
    }
}

uint32_t proto_acct_csign_subject(const struct proto_acct_body *b)
{
    uint64_t payout;

    switch (b->kind) {
    case PROTO_KIND_MEMBER_EXIT:
        return b->u.exit.member;
    case PROTO_KIND_EXIT_SETTLE:
        return settle_payout(&b->u.settle, &payout) && payout > 0 ? b->u.settle.member : 0;
    case PROTO_KIND_WITHDRAW:
        return b->u.withdraw.member;
    default:
        return 0;
    }
}

const char *proto_acct_kind_name(uint64_t kind)
{
    switch (kind) {
    case PROTO_KIND_JOURNAL_A:
        return "journal-a";
    case PROTO_KIND_SIGN:
        return "sign";
    case PROTO_KIND_MEMBER_ADMIT:
        return "member-admit";
    case PROTO_KIND_MEMBER_EXIT:
        return "member-exit";
    case PROTO_KIND_EXIT_SETTLE:
        return "exit-settle";
    case PROTO_KIND_DEPOSIT:
        return "deposit";
    case PROTO_KIND_WITHDRAW:
        return "withdraw";
    case PROTO_KIND_INTEREST:
        return "interest";
    case PROTO_KIND_LOAN_APPLY:
        return "loan-apply";
    case PROTO_KIND_LOAN_DISBURSE:
        return "loan-disburse";
    case PROTO_KIND_LOAN_REPAY:
        return "loan-repay";
    case PROTO_KIND_LATE_FEE:
        return "late-fee";
    case PROTO_KIND_PROVISION:
        return "provision";
    case PROTO_KIND_WRITE_OFF:
        return "write-off";
    case PROTO_KIND_REVERSE:
        return "reverse";
    default:
        return NULL;
    }
}

bool proto_acct_kind_known(uint64_t kind)
{
    return kind_nfields(kind) != 0;
}
