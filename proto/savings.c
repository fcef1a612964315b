/*
 * Savings interest (proto/savings.h, docs/ACCOUNTING.md 3.6.3). Balances come from the books'
 * balance index one member at a time (books_balance_series: a binary search and the month's
 * postings), so a month of N members costs O(N log P + postings of the month), never a scan of
 * the ledger per member or per day. Method 3 sums principal x rate over placements of different
 * rates exactly, as a quotient and a remainder of the common denominator, and rounds once.
 */
#include "proto/savings.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "proto/acct.h"
#include "proto/err.h"

#define MONTH_DEN (12u * PROTO_LOAN_PPM)                               /* rate / 12 000 000 */
#define DAY_DEN   ((uint64_t)PROTO_SAVINGS_YEAR_DAYS * PROTO_LOAN_PPM) /* rate / 365 000 000 */
#define DAYS_MAX  31

uint32_t proto_savings_period_end(uint32_t period)
{
    uint32_t y = period / 100, m = period % 100, next;
    int32_t d;

    if (m < 1 || m > 12 || !proto_date_valid(period * 100 + 1))
        return 0;
    next = m == 12 ? (y + 1) * 10000 + 101 : period * 100 + 101;
    if (proto_day_from_ymd(next, &d) < 0) /* December 9999: the calendar's last day */
        return m == 12 && y == 9999 ? 99991231 : 0;
    return proto_day_to_ymd(d - 1, &next) < 0 ? 0 : next;
}

int proto_savings_gross(uint8_t method, uint64_t basis, uint32_t rate_ppm,
                        const struct proto_loan_rounding *r, uint64_t *gross)
{
    *gross = 0;
    switch (method) {
    case PROTO_SAVM_LOWEST:
    case PROTO_SAVM_TERM:
        return proto_loan_muldiv(basis, rate_ppm, MONTH_DEN, r, gross);
    case PROTO_SAVM_DAILY:
        return proto_loan_muldiv(basis, rate_ppm, DAY_DEN, r, gross);
    default:
        return -EINVAL;
    }
}

int proto_savings_tax(uint64_t gross, uint64_t threshold, uint32_t tax_ppm,
                      const struct proto_loan_rounding *r, uint64_t *tax)
{
    *tax = 0;
    if (proto_loan_rounding_check(r) < 0)
        return -EINVAL;
    if (gross <= threshold) /* "above the threshold" (open question 12.8) */
        return 0;
    return proto_loan_muldiv(gross, tax_ppm, PROTO_LOAN_PPM, r, tax);
}

/* round(q + rem / den) per r, with rem < den: the rounding of proto_loan_muldiv, on a value
 * held as quotient and remainder. */
static int round_frac(uint64_t q, uint64_t rem, uint64_t den, const struct proto_loan_rounding *r,
                      uint64_t *out)
{
    uint64_t u = r->unit, k = q / u, num = (q % u) * den + rem, tot = u * den;

    /* (q % u) < u <= 10^6 and den <= 12 x 10^6: num, tot < 1.2 x 10^13. */
    *out = 0;
    switch (r->mode) {
    case PROTO_LOAN_ROUND_DOWN:
        break;
    case PROTO_LOAN_ROUND_UP:
        k += num > 0;
        break;
    case PROTO_LOAN_ROUND_HALF_UP:
        k += 2 * num >= tot;
        break;
    default:
        return -EINVAL;
    }
    if (k > PROTO_LOAN_AMOUNT_MAX / u)
        return -EOVERFLOW;
    *out = k * u;
    return 0;
}

void proto_savings_rows_release(struct proto_savings_rows *r)
{
    if (!r)
        return;
    free(r->rows);
    memset(r, 0, sizeof *r);
}

const struct proto_savings_row *proto_savings_row_find(const struct proto_savings_rows *r,
                                                       uint32_t m)
{
    size_t lo = 0, hi = r->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (r->rows[mid].member == m)
            return &r->rows[mid];
        if (r->rows[mid].member < m)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int row_add(struct proto_savings_rows *out, size_t *cap, uint32_t member, uint64_t basis,
                   uint64_t gross)
{
    const struct proto_savings_product *sp = &out->product;
    struct proto_savings_row *row;
    uint64_t tax;
    int rc;

    if (basis == 0 && gross == 0)
        return 0;
    if (basis > PROTO_ACCT_BASIS_MAX || gross > PROTO_AMOUNT_MAX)
        return -EOVERFLOW;
    rc = proto_savings_tax(gross, sp->tax_threshold, sp->tax_ppm, &out->rounding, &tax);
    if (rc < 0)
        return rc;
    if (out->n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        struct proto_savings_row *v = realloc(out->rows, ncap * sizeof *v);

        if (!v)
            return -ENOMEM;
        out->rows = v;
        *cap = ncap;
    }
    row = &out->rows[out->n++];
    row->member = member;
    row->basis = basis;
    row->gross = gross;
    row->tax = tax;
    out->sum_gross += gross;
    out->sum_tax += tax;
    return 0;
}

/* The effective kind-50 entries of this period and product that credit the product's account:
 * decoded, so that each member's credit can be found by a binary search in its rows. */
struct excluded {
    struct proto_acct_body **v;
    size_t n;
};

static void excluded_free(struct excluded *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->v[i]);
    free(x->v);
}

static int excluded_load(const struct books *bk, const struct proto_savings_rows *out,
                         const char *code, struct excluded *x)
{
    size_t n = books_interest_items(bk, out->period, code, NULL, 0);
    uint32_t *items;

    x->v = NULL;
    x->n = 0;
    if (n == 0)
        return 0;
    items = malloc(n * sizeof *items);
    x->v = calloc(n, sizeof *x->v);
    if (!items || !x->v) {
        free(items);
        return -ENOMEM;
    }
    (void)books_interest_items(bk, out->period, code, items, n);
    for (size_t i = 0; i < n; i++) {
        struct proto_acct_body *b = malloc(sizeof *b);

        if (!b) {
            free(items);
            return -ENOMEM;
        }
        if (books_body(bk, items[i], b) < 0 || b->u.interest.account != out->product.account ||
            b->u.interest.date > out->last) {
            free(b);
            continue;
        }
        x->v[x->n++] = b;
    }
    free(items);
    return 0;
}

static bool debit_natural(const struct books *bk, uint32_t account, uint32_t ymd)
{
    const struct proto_account *a = books_account(bk, account, ymd);

    return !a || a->type == PROTO_ACCT_ASSET || a->type == PROTO_ACCT_EXPENSE;
}

/* Methods 1 and 2: one balance series per member holding the account by the month's end. */
static int balance_rows(const struct books *bk, const char *code, struct proto_savings_rows *out)
{
    const struct proto_savings_product *sp = &out->product;
    struct excluded x = {NULL, 0};
    uint32_t *members = NULL;
    size_t nm = 0, cap = 0;
    int32_t day0;
    bool dn = debit_natural(bk, sp->account, out->last);
    int rc;

    if ((rc = proto_day_from_ymd(out->first, &day0)) < 0 ||
        (rc = books_account_members(bk, sp->account, out->last, &members, &nm)) < 0 ||
        (rc = excluded_load(bk, out, code, &x)) < 0)
        goto out;
    for (size_t i = 0; i < nm && rc == 0; i++) {
        int64_t b[DAYS_MAX];
        int nd =
            books_balance_series(bk, sp->account, members[i], out->first, out->last, b, DAYS_MAX);
        uint64_t basis = 0, gross;

        if (nd < 0) {
            rc = nd;
            break;
        }
        for (int d = 0; d < nd; d++)
            b[d] = dn ? b[d] : -b[d];
        /* Take out this period's own interest credits from their date on. */
        for (size_t k = 0; k < x.n; k++) {
            const struct proto_interest *in = &x.v[k]->u.interest;
            const struct proto_interest_row *row = proto_acct_interest_row(in, members[i]);
            int32_t dd;

            if (!row || proto_day_from_ymd(in->date, &dd) < 0)
                continue;
            for (int d = dd > day0 ? dd - day0 : 0; d < nd; d++)
                b[d] -= (int64_t)(row->gross - row->tax);
        }
        if (sp->method == PROTO_SAVM_LOWEST) {
            int64_t low = b[0];

            for (int d = 1; d < nd; d++)
                low = b[d] < low ? b[d] : low;
            basis = low > 0 && (uint64_t)low >= sp->min_balance ? (uint64_t)low : 0;
        } else {
            for (int d = 0; d < nd && basis <= PROTO_ACCT_BASIS_MAX; d++)
                if (b[d] > 0 && (uint64_t)b[d] >= sp->min_balance)
                    basis += (uint64_t)b[d]; /* below 2^63 + 3.1 x 10^16: no wrap */
            if (basis > PROTO_ACCT_BASIS_MAX) {
                rc = -EOVERFLOW;
                break;
            }
        }
        rc = proto_savings_gross(sp->method, basis, sp->rate_ppm, &out->rounding, &gross);
        if (rc == 0)
            rc = row_add(out, &cap, members[i], basis, gross);
    }
out:
    free(members);
    excluded_free(&x);
    return rc;
}

/* A placement earning in the month: its member, principal and rate. */
struct earn {
    uint32_t member;
    uint32_t rate_ppm;
    uint64_t principal;
};

static int cmp_earn(const void *a, const void *b)
{
    const struct earn *x = a, *y = b;

    return x->member < y->member ? -1 : x->member > y->member;
}

/* Method 3: the placements with an anniversary in the month. */
static int term_rows(const struct books *bk, const char *code, struct proto_savings_rows *out)
{
    size_t np = books_nplacements(bk), ne = 0, cap = 0;
    struct earn *e = malloc((np + 1) * sizeof *e);
    uint32_t month = (out->period / 100) * 12 + out->period % 100;
    int rc = 0;

    if (!e)
        return -ENOMEM;
    for (size_t i = 0; i < np; i++) {
        const struct books_placement *pl = books_placement_at(bk, i);
        uint32_t placed = (pl->date / 10000) * 12 + (pl->date / 100) % 100, k, due;
        int32_t d0, dk;

        if (strcmp(pl->product, code) != 0 || month <= placed)
            continue;
        k = month - placed; /* the anniversary date + k months falls in the month */
        if (k > pl->months || proto_day_from_ymd(pl->date, &d0) < 0 ||
            proto_day_add_months(d0, k, &dk) < 0 || proto_day_to_ymd(dk, &due) < 0)
            continue;
        if (pl->withdrawn && pl->withdrawn < due)
            continue; /* broken before this month's anniversary */
        e[ne].member = pl->member;
        e[ne].rate_ppm = pl->rate_ppm;
        e[ne++].principal = pl->principal;
    }
    if (ne > 1)
        qsort(e, ne, sizeof *e, cmp_earn);
    for (size_t i = 0; i < ne && rc == 0;) {
        uint64_t basis = 0, q = 0, rem = 0, gross;
        size_t j = i;

        /* sum principal x rate / 12e6 exactly: principal = a x den + b gives a x rate +
         * floor(b x rate / den) and a remainder below den; b x rate < 1.2 x 10^14. */
        for (; j < ne && e[j].member == e[i].member; j++) {
            uint64_t a = e[j].principal / MONTH_DEN, b = e[j].principal % MONTH_DEN;

            basis += e[j].principal;
            if (basis > PROTO_ACCT_BASIS_MAX) {
                rc = -EOVERFLOW;
                break;
            }
            q += a * e[j].rate_ppm + b * e[j].rate_ppm / MONTH_DEN;
            rem += b * e[j].rate_ppm % MONTH_DEN;
            q += rem / MONTH_DEN;
            rem %= MONTH_DEN;
        }
        if (rc == 0)
            rc = round_frac(q, rem, MONTH_DEN, &out->rounding, &gross);
        if (rc == 0)
            rc = row_add(out, &cap, e[i].member, basis, gross);
        i = j;
    }
    free(e);
    return rc;
}

int proto_savings_expected(const struct books *bk, uint32_t period, const char *code,
                           struct proto_savings_rows *out)
{
    const struct proto_params *P;
    const struct proto_savings_product *sp;
    int rc;

    memset(out, 0, sizeof *out);
    out->last = proto_savings_period_end(period);
    if (!out->last || !code)
        return ERR_DATE;
    out->period = period;
    out->first = period * 100 + 1;
    P = books_params_at(bk, out->last);
    sp = P ? proto_params_savings(P, code) : NULL;
    if (!sp) {
        proto_savings_rows_release(out);
        return -ENOENT;
    }
    out->product = *sp;
    out->rounding = P->rounding;
    switch (sp->method) {
    case PROTO_SAVM_LOWEST:
    case PROTO_SAVM_DAILY:
        rc = balance_rows(bk, code, out);
        break;
    case PROTO_SAVM_TERM:
        rc = term_rows(bk, code, out);
        break;
    default:
        rc = 0; /* no interest */
        break;
    }
    if (rc < 0) {
        proto_savings_rows_release(out);
        return rc;
    }
    return 0;
}
