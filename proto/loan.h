/*
 * Loan mathematics as pure, exact-integer functions (no I/O, no floating point): repayment
 * schedules for the flat, declining-balance and annuity methods, the effective rate of a flat
 * rate, the allocation of a repayment, days past due and collectibility with the PPAP allowance,
 * late fees, and the calendar helpers they need. KOPERASI.md sections 3.2 and 3.3 describe the
 * domain; every device that runs these functions on the same inputs gets the same rupiah.
 *
 * Units. Amounts are whole rupiah in uint64_t, never above PROTO_LOAN_AMOUNT_MAX (INT64_MAX, so
 * that every figure also fits a signed 64-bit integer and jansson's json_int_t; the ledger's
 * own cap on a journal line, PROTO_AMOUNT_MAX, is lower and is the caller's to apply). Rates are
 * integers in parts per million (ppm): 18 % a year is 180000. A loan's rate is *annual*, and the
 * monthly rate is exactly r = rate_ppm / 12,000,000, a rational number, never a rounded one.
 * Dates are day numbers: days since 1970-01-01 (negative before it), limited to the years
 * 1900..9999 that proto_date_valid() accepts.
 *
 * Rounding. One rule, struct proto_loan_rounding, rounds every computed figure to a multiple of
 * its unit (1 = to the rupiah, 100 = to Rp100): half up (exact halves go up; all figures are
 * non-negative, so this is also half away from zero), down (towards zero) or up (away from
 * zero). Each figure is the exact rational value of its formula over the inputs and the
 * (already rounded) figures it depends on, rounded once; no intermediate is ever rounded.
 *
 * Schedule rules (periods k = 1..n, O_0 = principal, O_k = O_{k-1} - principal_k):
 *   flat:      interest_k  = round(P * r), the same every period (on the original principal);
 *              principal_k = round(P / n).
 *   declining: interest_k  = round(O_{k-1} * r) (on the rounded outstanding principal);
 *              principal_k = round(P / n).
 *   annuity:   A = round(P * r / (1 - (1 + r)^-n)), computed exactly (see loan.c), or
 *              round(P / n) when r = 0; interest_k = round(O_{k-1} * r);
 *              principal_k = A - interest_k (0 if interest_k > A).
 * In every method a principal part never exceeds what remains (it is clamped to O_{k-1}), and
 * the last installment absorbs the residual: principal_n = O_{n-1}, so the principal parts sum
 * exactly to P and O_n = 0. The last interest is computed by the method's rule as usual, and
 * total_k = principal_k + interest_k. Clamping only happens in degenerate cases (a principal of
 * a few rupiah over many periods, or a rounding unit larger than a principal part); then later
 * installments carry no principal.
 *
 * Due dates. Installment k falls due k months after the disbursement date, on the same day of
 * the month, clamped to the end of a shorter month. Each due date is computed from the
 * disbursement date, not from the previous due date, so a loan disbursed on 31 January falls due
 * on 28 (or 29) February, 31 March, 30 April, ...
 *
 * Errors, everywhere below: -EINVAL (a NULL pointer, an unknown enum value, periods outside
 * 1..PROTO_LOAN_PERIODS_MAX, a rounding unit of 0 or above PROTO_LOAN_UNIT_MAX, a bucket table
 * that fails proto_loan_buckets_check), ERR_AMOUNT (an input amount of 0 where one is needed, or
 * above PROTO_LOAN_AMOUNT_MAX), -ERANGE (a rate above its maximum), -EOVERFLOW (a result, or the
 * sum of a schedule's installments, would exceed PROTO_LOAN_AMOUNT_MAX; nothing ever wraps),
 * ERR_DATE (a date outside 1900..9999 or an invalid one). Out-parameters are zeroed on failure.
 */
#ifndef SAKSI_PROTO_LOAN_H
#define SAKSI_PROTO_LOAN_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_LOAN_PPM         1000000u
#define PROTO_LOAN_AMOUNT_MAX  ((uint64_t)INT64_MAX)
#define PROTO_LOAN_PERIODS_MAX 360u
#define PROTO_LOAN_RATE_MAX    10000000u                  /* annual loan rate: 1000 % a year */
#define PROTO_LOAN_EFF_MAX     (2u * PROTO_LOAN_RATE_MAX) /* effective rates stay below this */
#define PROTO_LOAN_UNIT_MAX    1000000u
#define PROTO_LOAN_BUCKETS_MAX 8u
#define PROTO_LOAN_DAYS_OPEN   UINT32_MAX     /* max_days of the last, open-ended bucket */
#define PROTO_LOAN_LATE_MAX    PROTO_LOAN_PPM /* late-fee rate: 100 % per day or period */

/* Day numbers of 1900-01-01 and 9999-12-31, and the length of "YYYY-MM-DD" with its NUL. */
#define PROTO_DAY_MIN    (-25567)
#define PROTO_DAY_MAX    2932896
#define PROTO_DAY_STRLEN 11

enum proto_loan_method {
    PROTO_LOAN_FLAT = 1,      /* bunga flat / tetap */
    PROTO_LOAN_DECLINING = 2, /* bunga menurun / efektif, equal principal parts */
    PROTO_LOAN_ANNUITY = 3,   /* anuitas, equal installments */
};

enum proto_loan_round_mode {
    PROTO_LOAN_ROUND_HALF_UP = 1,
    PROTO_LOAN_ROUND_DOWN = 2,
    PROTO_LOAN_ROUND_UP = 3,
};

struct proto_loan_rounding {
    uint8_t mode;  /* enum proto_loan_round_mode */
    uint32_t unit; /* round to a multiple of this many rupiah, 1..PROTO_LOAN_UNIT_MAX */
};

struct proto_loan_terms {
    uint64_t principal; /* 1..PROTO_LOAN_AMOUNT_MAX */
    uint32_t rate_ppm;  /* annual, 0..PROTO_LOAN_RATE_MAX */
    uint32_t periods;   /* monthly installments, 1..PROTO_LOAN_PERIODS_MAX */
    uint8_t method;     /* enum proto_loan_method */
    struct proto_loan_rounding round;
    int32_t disbursed; /* day number; installment k falls due k months later */
};

struct proto_loan_installment {
    uint32_t period; /* 1..n */
    int32_t due;     /* day number */
    uint64_t principal;
    uint64_t interest;
    uint64_t total;     /* principal + interest */
    uint64_t remaining; /* principal outstanding after this installment */
};

/*
 * A whole schedule, about 17 KiB, with no pointers: copy it, embed it, or keep it on the stack.
 * installment is the regular installment: the rounded annuity A, or for the other methods the
 * first installment's total. The sums are of the n installments; each fits in
 * PROTO_LOAN_AMOUNT_MAX, and sum_total = sum_principal + sum_interest, sum_principal = principal.
 */
struct proto_loan_schedule {
    struct proto_loan_terms terms;
    uint32_t n;
    uint64_t installment;
    uint64_t sum_principal;
    uint64_t sum_interest;
    uint64_t sum_total;
    struct proto_loan_installment inst[PROTO_LOAN_PERIODS_MAX];
};

/* 0 for a valid rule, -EINVAL otherwise. */
int proto_loan_rounding_check(const struct proto_loan_rounding *r);

/*
 * *out = a * b / c, rounded per r, computed exactly (no intermediate can overflow). -EINVAL for
 * c = 0 or a bad rule, -EOVERFLOW when the result exceeds PROTO_LOAN_AMOUNT_MAX.
 */
int proto_loan_muldiv(uint64_t a, uint64_t b, uint64_t c, const struct proto_loan_rounding *r,
                      uint64_t *out);

/* Checks terms: -EINVAL, ERR_AMOUNT, -ERANGE or ERR_DATE (also for the last due date). */
int proto_loan_terms_check(const struct proto_loan_terms *t);

/*
 * Builds the schedule of t into *s by the rules at the top of this file. Deterministic: the same
 * terms give the same bytes. Errors: those of proto_loan_terms_check, and -EOVERFLOW when an
 * installment or the sum of all of them would exceed PROTO_LOAN_AMOUNT_MAX. On failure *s is
 * zeroed.
 */
int proto_loan_schedule_build(const struct proto_loan_terms *t, struct proto_loan_schedule *s);

/*
 * The annuity installment round(P * r / (1 - (1 + r)^-n)) with r = rate_ppm / 12,000,000, or
 * round(P / n) for a rate of 0: exact, whatever the inputs. Errors as for a schedule.
 */
int proto_loan_annuity(uint64_t principal, uint32_t rate_ppm, uint32_t periods,
                       const struct proto_loan_rounding *r, uint64_t *out);

/*
 * The effective rate of a flat rate: the annual rate (ppm, nominal, that is 12 times the monthly
 * rate, the way "bunga efektif" is quoted) at which an annuity has the same installment as the
 * flat loan, P/n + P*flat/12. Both installments are taken exactly (unrounded), so the answer does
 * not depend on the principal or on a rounding rule. The exact root x is rounded to the nearest
 * ppm, an exact half going up: *eff_ppm = floor(x + 1/2). The effective rate equals the flat
 * rate for one period, exceeds it for more, and stays below 2 * flat_ppm (so below
 * PROTO_LOAN_EFF_MAX). Errors: -EINVAL (periods), -ERANGE (flat_ppm above PROTO_LOAN_RATE_MAX).
 */
int proto_loan_flat_effective(uint32_t flat_ppm, uint32_t periods, uint32_t *eff_ppm);

/*
 * The effective annual rate (EAR, compounded monthly) of a nominal annual rate:
 * (1 + rate/12)^12 - 1, in ppm, rounded half up to the ppm. -ERANGE above PROTO_LOAN_EFF_MAX.
 */
int proto_loan_rate_ear(uint32_t rate_ppm, uint64_t *ear_ppm);

/* What is due on a loan when a repayment arrives, and how the repayment was split. */
struct proto_loan_due {
    uint64_t penalty; /* denda */
    uint64_t interest;
    uint64_t principal;
};

struct proto_loan_alloc {
    uint64_t penalty;
    uint64_t interest;
    uint64_t principal;
    uint64_t excess; /* overpayment, beyond everything due */
};

/*
 * Allocates payment to the penalty, then the interest, then the principal due, each part at
 * most what is due; the rest is excess. The four parts sum to payment. ERR_AMOUNT for an amount
 * above PROTO_LOAN_AMOUNT_MAX.
 */
int proto_loan_allocate(const struct proto_loan_due *due, uint64_t payment,
                        struct proto_loan_alloc *out);

/*
 * Collectibility buckets (a ParameterSet table): bucket i covers min_days..max_days days past
 * due inclusive and carries the PPAP rate for loans in it. A valid table has 1 to
 * PROTO_LOAN_BUCKETS_MAX buckets; the first starts at 0; each starts the day after the previous
 * one ends (ascending, no overlap, no gap); the last ends at PROTO_LOAN_DAYS_OPEN (complete);
 * min_days <= max_days; rates are at most PROTO_LOAN_PPM and never decrease. The OJK five-class
 * table, for example: {0,0,5000} {1,90,...} {91,120,...} {121,180,...} {181,OPEN,1000000}.
 */
struct proto_loan_bucket {
    uint32_t min_days;
    uint32_t max_days;
    uint32_t ppap_ppm;
};

struct proto_loan_buckets {
    uint32_t n;
    struct proto_loan_bucket b[PROTO_LOAN_BUCKETS_MAX];
};

/* 0 for a valid table, -EINVAL otherwise. */
int proto_loan_buckets_check(const struct proto_loan_buckets *b);
/* The index of the bucket holding days past due. -EINVAL for an invalid table. */
int proto_loan_bucket_find(const struct proto_loan_buckets *b, uint32_t days, uint32_t *index);

/*
 * The allowance on an outstanding principal: round(outstanding * ppap_ppm / 10^6). No collateral
 * is deducted. ERR_AMOUNT, -ERANGE (a rate above PROTO_LOAN_PPM), -EINVAL.
 */
int proto_loan_ppap(uint64_t outstanding, uint32_t ppap_ppm, const struct proto_loan_rounding *r,
                    uint64_t *out);

/* A repayment credited to the schedule: its interest and principal, without any denda. */
struct proto_loan_payment {
    int32_t day;
    uint64_t amount;
};

struct proto_loan_status {
    uint64_t paid;              /* payments dated on or before as_of */
    uint64_t outstanding;       /* principal not yet repaid */
    uint64_t arrears_principal; /* unpaid principal of installments past due */
    uint64_t arrears_interest;  /* unpaid interest of installments past due */
    uint64_t arrears;           /* the sum of the two */
    uint64_t excess;            /* paid beyond the whole schedule */
    uint32_t overdue;           /* installments past due and not fully paid */
    uint32_t next_period;       /* the first installment not fully paid; 0 if none */
    uint32_t days_past_due;     /* as_of - due of the oldest one past due; 0 if none */
    uint32_t bucket;            /* index into the bucket table */
    uint64_t ppap;              /* outstanding * that bucket's rate, rounded per the rule */
};

/*
 * A loan's position on as_of. Payments dated after as_of are ignored; the others, in any order,
 * settle the installments oldest first, each installment's interest before its principal;
 * money beyond what has fallen due pays the next installments ahead in the same way (the
 * schedule is not recomputed). An installment is past due when its due date is before as_of
 * (paying on the due date is on time), so one due on 10 March and unpaid is 1 day past due on
 * 11 March. The bucket is the one holding days_past_due, and ppap is rounded per rnd.
 * Errors: -EINVAL (s is not a built schedule: its terms fail to check, or its rows do not add
 * up to its principal and sum_total; a bad table or rule), ERR_AMOUNT (a payment above
 * PROTO_LOAN_AMOUNT_MAX), ERR_DATE (as_of or a payment day outside the calendar), -EOVERFLOW
 * (payments summing above PROTO_LOAN_AMOUNT_MAX).
 */
int proto_loan_status_compute(const struct proto_loan_schedule *s,
                              const struct proto_loan_payment *pay, size_t npay, int32_t as_of,
                              const struct proto_loan_buckets *b,
                              const struct proto_loan_rounding *rnd, struct proto_loan_status *out);

enum proto_loan_late_basis {
    PROTO_LOAN_LATE_PER_DAY = 1,    /* units = days past due */
    PROTO_LOAN_LATE_PER_PERIOD = 2, /* units = monthly periods begun since the due date */
};

struct proto_loan_late_rule {
    uint8_t basis;     /* enum proto_loan_late_basis */
    uint32_t rate_ppm; /* per unit, 0..PROTO_LOAN_LATE_MAX */
    struct proto_loan_rounding round;
};

/*
 * How many units of lateness as_of is after due: 0 unless as_of > due. Per day: as_of - due.
 * Per period: the number of k >= 0 for which due + k months (same-day rule) is before as_of, so
 * 1 from the day after the due date up to the same day a month later, then 2, and so on.
 * -EINVAL (basis), ERR_DATE.
 */
int proto_loan_late_units(uint8_t basis, int32_t due, int32_t as_of, uint32_t *units);

/*
 * The late fee (denda) on an overdue installment amount: round(overdue * rate_ppm * units /
 * 10^6), with units from proto_loan_late_units. KOPERASI.md 3.2: Rp1,180,000 ten days late at
 * 0.1 % a day (1000 ppm) is Rp11,800. -EINVAL, -ERANGE, ERR_AMOUNT, ERR_DATE, -EOVERFLOW.
 */
int proto_loan_late_fee(const struct proto_loan_late_rule *rule, uint64_t overdue, int32_t due,
                        int32_t as_of, uint64_t *fee);

/*
 * Calendar. ymd is a YYYYMMDD integer as in proto_journal. _from_ymd, _parse: ERR_DATE unless
 * proto_date_valid() accepts the date; _parse takes exactly "YYYY-MM-DD". _to_ymd, _format:
 * ERR_DATE for a day outside PROTO_DAY_MIN..PROTO_DAY_MAX; _format writes PROTO_DAY_STRLEN bytes
 * with the NUL. _add_months applies the same-day, clamped-to-month-end rule above; ERR_DATE if
 * the result leaves the calendar.
 */
int proto_day_from_ymd(uint32_t ymd, int32_t *day);
int proto_day_to_ymd(int32_t day, uint32_t *ymd);
int proto_day_parse(const char *s, int32_t *day);
int proto_day_format(int32_t day, char out[PROTO_DAY_STRLEN]);
int proto_day_add_months(int32_t day, uint32_t months, int32_t *out);

#endif
