/*
 * Savings interest by the formulas of docs/ACCOUNTING.md 3.6.3: the rows a monthly interest
 * entry (kind 50) of one product should carry, computed from the derived books. The books use
 * these rows to judge the signed ones (findings interest-mismatch and interest-missing); the CLI
 * uses them to author the entry. Pure functions of the books and their arguments: no I/O, exact
 * integers (every product through proto_loan_muldiv or an exact quotient-and-remainder sum),
 * rounded once per figure by the parameters' rounding rule (loans.rounding).
 *
 * For month M (days 1..D) and a product with account A, b(d) is the end-of-day balance of
 * (member, A) on day d in the account's natural sign (credit - debit for the liability and
 * equity accounts savings live in), counting every effective posting dated <= d except the
 * postings of effective kind-50 entries of the same period and product (an interest entry
 * never feeds its own basis; interest of earlier months does count).
 *
 *   method 1 (lowest):  B = min_d b(d), 0 if negative, 0 if below min_balance;
 *                       gross = rnd(B x rate / 12 000 000)
 *   method 2 (daily):   B = sum_d b'(d), b'(d) = b(d) if b(d) >= min_balance, else 0;
 *                       gross = rnd(B x rate / (365 x 10^6))            (ACT/365)
 *   method 3 (term):    a placement (an effective deposit with a term, books_placement) of the
 *                       product earns one month of interest in M when one of its monthly
 *                       anniversaries, date + k months for k = 1..its months (same-day rule of
 *                       proto_day_add_months), falls in M and it was not withdrawn before that
 *                       anniversary. B = the sum of those principals of the member;
 *                       gross = rnd(sum_p principal_p x rate_p / 12 000 000), each placement at
 *                       its own rate, summed exactly and rounded once
 *   tax:                gross > tax_threshold ? rnd(gross x tax_ppm / 10^6) : 0
 *
 * The product and the rounding rule are those of the parameters in force on the last day of M.
 */
#ifndef SAKSI_PROTO_SAVINGS_H
#define SAKSI_PROTO_SAVINGS_H

#include <stddef.h>
#include <stdint.h>

#include "proto/books.h"
#include "proto/loan.h"
#include "proto/params.h"

#define PROTO_SAVINGS_YEAR_DAYS 365u /* ACT/365, also in leap years (open question 12.12) */

/* One member's expected interest row. */
struct proto_savings_row {
    uint32_t member;
    uint64_t basis; /* as an interest row's basis: B above */
    uint64_t gross, tax;
};

/* The expected rows of (period, product): every member with a basis or gross above zero,
 * ascending by member. */
struct proto_savings_rows {
    uint32_t period;                      /* YYYYMM */
    uint32_t first, last;                 /* the month's first and last day, YYYYMMDD */
    struct proto_savings_product product; /* as in force on `last` */
    struct proto_loan_rounding rounding;  /* as in force on `last` */
    size_t n;
    struct proto_savings_row *rows;
    uint64_t sum_gross, sum_tax;
};

/*
 * The rows of (period, product code) by the formulas above into *out (its rows: release with
 * proto_savings_rows_release). A product without interest (method 0) gives no rows. Errors:
 * ERR_DATE (period not a YYYYMM month of the calendar), -ENOENT (no parameters in force on the
 * month's last day, or no such product in them), -EOVERFLOW (a basis above
 * PROTO_ACCT_BASIS_MAX or a figure above PROTO_AMOUNT_MAX), -ENOMEM. On failure *out is empty.
 */
int proto_savings_expected(const struct books *bk, uint32_t period, const char *code,
                           struct proto_savings_rows *out);
void proto_savings_rows_release(struct proto_savings_rows *r); /* NULL-safe; empties *r */
/* The row of member m, or NULL. */
const struct proto_savings_row *proto_savings_row_find(const struct proto_savings_rows *r,
                                                       uint32_t m);

/*
 * The formulas on their own. gross of a basis for method 1 or 3 (one rate: monthly, rate /
 * 12 000 000) or 2 (rupiah-days, rate / (365 x 10^6)); tax of a month's gross. -EINVAL for
 * another method or a bad rounding rule; -EOVERFLOW past PROTO_LOAN_AMOUNT_MAX.
 */
int proto_savings_gross(uint8_t method, uint64_t basis, uint32_t rate_ppm,
                        const struct proto_loan_rounding *r, uint64_t *gross);
int proto_savings_tax(uint64_t gross, uint64_t threshold, uint32_t tax_ppm,
                      const struct proto_loan_rounding *r, uint64_t *tax);
/* The last day of period YYYYMM as YYYYMMDD, or 0 for a bad period. */
uint32_t proto_savings_period_end(uint32_t period);

#endif
