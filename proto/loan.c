/*
 * Loan mathematics (see loan.h for the rules). Everything is computed exactly in integers: a
 * figure is the exact rational value of its formula, rounded once per the rounding rule. Where
 * an intermediate can outgrow 64 bits (P * rate, the annuity's powers) the arithmetic goes
 * through a small fixed-capacity unsigned big integer of 32-bit limbs, so the code needs no
 * __int128 (which -std=c11 -Wpedantic rejects, and 32-bit ARM boards lack) and gives the same
 * rupiah on every platform.
 */
#include "proto/loan.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "proto/err.h"
#include "proto/ledger.h"

/* The denominator of the monthly rate: r = rate_ppm / LOAN_MONTH_DEN. */
#define LOAN_MONTH_DEN 12000000u

/*
 * Big integers. The largest value ever formed is an annuity comparison in
 * proto_loan_flat_effective: n * a * (b + a)^n with n <= 360, b = 24,000,000 and
 * a < 4 * PROTO_LOAN_RATE_MAX, so b + a < 2^26 and the whole product stays under
 * 9 + 26 + 360 * 26 = 9395 bits; the annuity itself needs under 8900 bits (see annuity_round).
 * 320 limbs (10240 bits) leave a margin, and every operation still checks the capacity.
 */
#define BIG_LIMBS 320

struct big {
    uint32_t n; /* limbs in use; the top one is non-zero, and zero has n = 0 */
    uint32_t d[BIG_LIMBS];
};

_Static_assert(PROTO_LOAN_RATE_MAX <= 10000000u, "BIG_LIMBS is sized for this maximum rate");
_Static_assert(PROTO_LOAN_PERIODS_MAX <= 360u, "BIG_LIMBS is sized for this maximum tenor");

static void big_trim(struct big *x)
{
    while (x->n > 0 && x->d[x->n - 1] == 0)
        x->n--;
}

static void big_set(struct big *x, uint64_t v)
{
    x->d[0] = (uint32_t)v;
    x->d[1] = (uint32_t)(v >> 32);
    x->n = 2;
    big_trim(x);
}

static void big_copy(struct big *dst, const struct big *src)
{
    dst->n = src->n;
    memcpy(dst->d, src->d, src->n * sizeof src->d[0]);
}

static bool big_is_zero(const struct big *x)
{
    return x->n == 0;
}

static int big_cmp(const struct big *x, const struct big *y)
{
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    for (uint32_t i = x->n; i-- > 0;)
        if (x->d[i] != y->d[i])
            return x->d[i] < y->d[i] ? -1 : 1;
    return 0;
}

/* x *= m. */
static int big_mul_small(struct big *x, uint32_t m)
{
    uint64_t carry = 0;

    for (uint32_t i = 0; i < x->n; i++) {
        uint64_t t = (uint64_t)x->d[i] * m + carry;

        x->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry != 0) {
        if (x->n == BIG_LIMBS)
            return -EOVERFLOW;
        x->d[x->n++] = (uint32_t)carry;
    }
    if (m == 0)
        x->n = 0;
    return 0;
}

/* x += y. */
static int big_add(struct big *x, const struct big *y)
{
    uint64_t carry = 0;
    uint32_t n = x->n > y->n ? x->n : y->n;

    for (uint32_t i = 0; i < n; i++) {
        uint64_t t = carry + (i < x->n ? x->d[i] : 0) + (i < y->n ? y->d[i] : 0);

        x->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry != 0) {
        if (n == BIG_LIMBS)
            return -EOVERFLOW;
        x->d[n++] = (uint32_t)carry;
    }
    x->n = n;
    return 0;
}

/* x -= y; requires x >= y. */
static void big_sub(struct big *x, const struct big *y)
{
    uint64_t borrow = 0;

    for (uint32_t i = 0; i < x->n; i++) {
        uint64_t yi = i < y->n ? y->d[i] : 0;
        uint64_t t = (uint64_t)x->d[i] - yi - borrow;

        x->d[i] = (uint32_t)t;
        borrow = (t >> 63) & 1; /* the subtraction wrapped below zero */
    }
    big_trim(x);
}

/* x <<= bits. */
static int big_shl(struct big *x, unsigned bits)
{
    unsigned limbs = bits / 32, sh = bits % 32;
    uint32_t n = x->n;

    if (n == 0)
        return 0;
    if (n + limbs + 1 > BIG_LIMBS)
        return -EOVERFLOW;
    x->d[n + limbs] = 0;
    for (uint32_t i = n; i-- > 0;) {
        uint64_t t = (uint64_t)x->d[i] << sh;

        x->d[i + limbs + 1] |= (uint32_t)(t >> 32);
        x->d[i + limbs] = (uint32_t)t;
    }
    for (unsigned i = 0; i < limbs; i++)
        x->d[i] = 0;
    x->n = n + limbs + 1;
    big_trim(x);
    return 0;
}

/* x *= v, as x * lo + (x * hi) << 32 over the two 32-bit halves of v. */
static int big_mul_u64(struct big *x, uint64_t v)
{
    struct big t;

    if (v >> 32 == 0)
        return big_mul_small(x, (uint32_t)v);
    big_copy(&t, x);
    if (big_mul_small(x, (uint32_t)v) < 0 || big_mul_small(&t, (uint32_t)(v >> 32)) < 0 ||
        big_shl(&t, 32) < 0)
        return -EOVERFLOW;
    return big_add(x, &t);
}

static void big_shr1(struct big *x)
{
    for (uint32_t i = 0; i < x->n; i++) {
        uint32_t next = i + 1 < x->n ? x->d[i + 1] : 0;

        x->d[i] = (x->d[i] >> 1) | (next << 31);
    }
    big_trim(x);
}

/* x = base^e. */
static int big_pow(struct big *x, uint32_t base, uint32_t e)
{
    big_set(x, 1);
    for (uint32_t i = 0; i < e; i++)
        if (big_mul_small(x, base) < 0)
            return -EOVERFLOW;
    return 0;
}

/*
 * *q = num / den rounded per mode, for den > 0; num is consumed (it ends as the remainder).
 * Quotients of 2^63 or more are -EOVERFLOW: they could not be amounts anyway. The quotient is
 * found bit by bit from bit 62 down (shift-and-subtract), 63 steps whatever the operands' size.
 */
static int big_div_round(struct big *num, const struct big *den, uint8_t mode, uint64_t *q)
{
    struct big t;
    uint64_t r = 0;

    *q = 0;
    if (big_is_zero(den))
        return -EINVAL;
    big_copy(&t, den);
    if (big_shl(&t, 63) < 0 || big_cmp(num, &t) >= 0)
        return -EOVERFLOW;
    for (int i = 62; i >= 0; i--) {
        big_shr1(&t);
        if (big_cmp(num, &t) >= 0) {
            big_sub(num, &t);
            r |= (uint64_t)1 << i;
        }
    }
    if (!big_is_zero(num)) {
        if (mode == PROTO_LOAN_ROUND_UP) {
            r++;
        } else if (mode == PROTO_LOAN_ROUND_HALF_UP) {
            /* The remainder is below den < 2^(32 * BIG_LIMBS - 63), so doubling it fits. */
            if (big_shl(num, 1) < 0)
                return -EOVERFLOW;
            if (big_cmp(num, den) >= 0)
                r++;
        }
    }
    *q = r;
    return 0;
}

/* *out = num / den rounded per rule r to a multiple of its unit; num is consumed. */
static int big_round(struct big *num, const struct big *den, const struct proto_loan_rounding *r,
                     uint64_t *out)
{
    struct big du;
    uint64_t q;
    int rc;

    *out = 0;
    big_copy(&du, den);
    if (big_mul_small(&du, r->unit) < 0)
        return -EOVERFLOW;
    rc = big_div_round(num, &du, r->mode, &q);
    if (rc < 0)
        return rc;
    if (q > PROTO_LOAN_AMOUNT_MAX / r->unit)
        return -EOVERFLOW;
    *out = q * r->unit;
    return 0;
}

/* round(a * b * c / den) per r, the core of every rate computation. */
static int muldiv3(uint64_t a, uint64_t b, uint64_t c, uint64_t den,
                   const struct proto_loan_rounding *r, uint64_t *out)
{
    struct big num, d;

    *out = 0;
    if (den == 0)
        return -EINVAL;
    big_set(&num, a);
    if (big_mul_u64(&num, b) < 0 || big_mul_u64(&num, c) < 0)
        return -EOVERFLOW;
    big_set(&d, den);
    return big_round(&num, &d, r, out);
}

int proto_loan_rounding_check(const struct proto_loan_rounding *r)
{
    if (r == NULL)
        return -EINVAL;
    if (r->mode < PROTO_LOAN_ROUND_HALF_UP || r->mode > PROTO_LOAN_ROUND_UP)
        return -EINVAL;
    if (r->unit < 1 || r->unit > PROTO_LOAN_UNIT_MAX)
        return -EINVAL;
    return 0;
}

int proto_loan_muldiv(uint64_t a, uint64_t b, uint64_t c, const struct proto_loan_rounding *r,
                      uint64_t *out)
{
    if (out == NULL)
        return -EINVAL;
    *out = 0;
    if (proto_loan_rounding_check(r) < 0 || c == 0)
        return -EINVAL;
    return muldiv3(a, b, 1, c, r, out);
}

/* Calendar. */

static bool leap(uint32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static uint32_t month_days(uint32_t y, uint32_t m)
{
    static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && leap(y) ? 29 : mdays[m - 1];
}

/*
 * Days since 1970-01-01 of a valid date in 1900..9999, by the usual civil-calendar algorithm
 * over 400-year eras (146097 days) whose years start on 1 March, so that the leap day is the
 * last day of its year. The years are positive here, so plain division is floor division.
 */
static int32_t days_from_civil(uint32_t y, uint32_t m, uint32_t d)
{
    uint32_t yy = m <= 2 ? y - 1 : y;
    uint32_t era = yy / 400, yoe = yy - era * 400;
    uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return (int32_t)(era * 146097 + doe) - 719468;
}

/* The inverse, for days in PROTO_DAY_MIN..PROTO_DAY_MAX (the shifted count is positive). */
static void civil_from_days(int32_t day, uint32_t *y, uint32_t *m, uint32_t *d)
{
    uint32_t z = (uint32_t)(day + 719468);
    uint32_t era = z / 146097, doe = z - era * 146097;
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint32_t mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

static bool day_valid(int32_t day)
{
    return day >= PROTO_DAY_MIN && day <= PROTO_DAY_MAX;
}

int proto_day_from_ymd(uint32_t ymd, int32_t *day)
{
    if (day == NULL)
        return -EINVAL;
    *day = 0;
    if (!proto_date_valid(ymd))
        return ERR_DATE;
    *day = days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100);
    return 0;
}

int proto_day_to_ymd(int32_t day, uint32_t *ymd)
{
    uint32_t y, m, d;

    if (ymd == NULL)
        return -EINVAL;
    *ymd = 0;
    if (!day_valid(day))
        return ERR_DATE;
    civil_from_days(day, &y, &m, &d);
    *ymd = y * 10000 + m * 100 + d;
    return 0;
}

int proto_day_parse(const char *s, int32_t *day)
{
    uint32_t ymd = 0;

    if (s == NULL || day == NULL)
        return -EINVAL;
    *day = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return ERR_DATE;
        } else if (s[i] >= '0' && s[i] <= '9') {
            ymd = ymd * 10 + (uint32_t)(s[i] - '0');
        } else {
            return ERR_DATE; /* also stops at a NUL, so a short string is never overread */
        }
    }
    if (s[10] != '\0')
        return ERR_DATE;
    return proto_day_from_ymd(ymd, day);
}

int proto_day_format(int32_t day, char out[PROTO_DAY_STRLEN])
{
    uint32_t y, m, d;

    if (out == NULL)
        return -EINVAL;
    memset(out, 0, PROTO_DAY_STRLEN);
    if (!day_valid(day))
        return ERR_DATE;
    civil_from_days(day, &y, &m, &d);
    (void)snprintf(out, PROTO_DAY_STRLEN, "%04u-%02u-%02u", (unsigned)y, (unsigned)m, (unsigned)d);
    return 0;
}

int proto_day_add_months(int32_t day, uint32_t months, int32_t *out)
{
    uint32_t y, m, d, ny, nm, total;

    if (out == NULL)
        return -EINVAL;
    *out = 0;
    if (!day_valid(day))
        return ERR_DATE;
    if (months > 12u * 10000u) /* leaves the calendar, and keeps the sum below from wrapping */
        return ERR_DATE;
    civil_from_days(day, &y, &m, &d);
    total = y * 12 + (m - 1) + months;
    ny = total / 12;
    nm = total % 12 + 1;
    if (ny > 9999)
        return ERR_DATE;
    if (d > month_days(ny, nm))
        d = month_days(ny, nm);
    *out = days_from_civil(ny, nm, d);
    return 0;
}

/* Schedules. */

int proto_loan_terms_check(const struct proto_loan_terms *t)
{
    int32_t last;

    if (t == NULL)
        return -EINVAL;
    if (t->method < PROTO_LOAN_FLAT || t->method > PROTO_LOAN_ANNUITY)
        return -EINVAL;
    if (t->periods < 1 || t->periods > PROTO_LOAN_PERIODS_MAX)
        return -EINVAL;
    if (proto_loan_rounding_check(&t->round) < 0)
        return -EINVAL;
    if (t->principal < 1 || t->principal > PROTO_LOAN_AMOUNT_MAX)
        return ERR_AMOUNT;
    if (t->rate_ppm > PROTO_LOAN_RATE_MAX)
        return -ERANGE;
    return proto_day_add_months(t->disbursed, t->periods, &last);
}

/*
 * The annuity installment, exactly. With N = 12,000,000 + rate_ppm and D = 12,000,000 the
 * monthly rate is r = (N - D) / D and 1 + r = N / D, so
 *
 *   A = P * r / (1 - (1 + r)^-n) = P * r * (1+r)^n / ((1+r)^n - 1)
 *     = P * rate_ppm * N^n / (D * (N^n - D^n))
 *
 * multiplying through by D^(n+1). Numerator and denominator are integers, formed exactly as
 * big integers (N < 2^24.4 for rates up to PROTO_LOAN_RATE_MAX, so N^n < 2^8790 and the
 * numerator < 2^8880), and the quotient is rounded once, per the rule, from its exact remainder.
 * No approximation is involved, so the installment is exact for every allowed input, including
 * the inputs where A is an exact integer or half-integer and an approximation would round the
 * wrong way.
 */
static int annuity_round(uint64_t P, uint32_t rate, uint32_t n, const struct proto_loan_rounding *r,
                         uint64_t *out)
{
    struct big num, den, dn;

    *out = 0;
    if (rate == 0)
        return muldiv3(P, 1, 1, n, r, out);
    if (big_pow(&den, LOAN_MONTH_DEN + rate, n) < 0 || big_pow(&dn, LOAN_MONTH_DEN, n) < 0)
        return -EOVERFLOW;
    big_copy(&num, &den);
    if (big_mul_small(&num, rate) < 0 || big_mul_u64(&num, P) < 0)
        return -EOVERFLOW;
    big_sub(&den, &dn);
    if (big_mul_small(&den, LOAN_MONTH_DEN) < 0)
        return -EOVERFLOW;
    return big_round(&num, &den, r, out);
}

int proto_loan_annuity(uint64_t principal, uint32_t rate_ppm, uint32_t periods,
                       const struct proto_loan_rounding *r, uint64_t *out)
{
    if (out == NULL)
        return -EINVAL;
    *out = 0;
    if (periods < 1 || periods > PROTO_LOAN_PERIODS_MAX || proto_loan_rounding_check(r) < 0)
        return -EINVAL;
    if (principal < 1 || principal > PROTO_LOAN_AMOUNT_MAX)
        return ERR_AMOUNT;
    if (rate_ppm > PROTO_LOAN_RATE_MAX)
        return -ERANGE;
    return annuity_round(principal, rate_ppm, periods, r, out);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static int schedule_fill(const struct proto_loan_terms *t, struct proto_loan_schedule *s)
{
    const struct proto_loan_rounding *r = &t->round;
    uint64_t part = 0, flat_interest = 0, A = 0, O = t->principal, sum = 0;
    uint32_t n = t->periods;
    int rc;

    /* The equal part serves installments before the last, so a single one needs none. */
    rc = n > 1 ? muldiv3(t->principal, 1, 1, n, r, &part) : 0;
    if (rc == 0 && t->method == PROTO_LOAN_FLAT)
        rc = muldiv3(t->principal, t->rate_ppm, 1, LOAN_MONTH_DEN, r, &flat_interest);
    if (rc == 0 && t->method == PROTO_LOAN_ANNUITY)
        rc = annuity_round(t->principal, t->rate_ppm, n, r, &A);
    if (rc < 0)
        return rc;
    for (uint32_t k = 1; k <= n; k++) {
        struct proto_loan_installment *in = &s->inst[k - 1];
        uint64_t interest = flat_interest, p;

        if (t->method != PROTO_LOAN_FLAT) {
            rc = muldiv3(O, t->rate_ppm, 1, LOAN_MONTH_DEN, r, &interest);
            if (rc < 0)
                return rc;
        }
        if (k == n)
            p = O; /* the residual */
        else if (t->method == PROTO_LOAN_ANNUITY)
            p = min_u64(A > interest ? A - interest : 0, O);
        else
            p = min_u64(part, O);
        /* Both parts are at most 2^63 - 1, so their sum cannot wrap before the check. */
        if (p + interest > PROTO_LOAN_AMOUNT_MAX || sum + p + interest > PROTO_LOAN_AMOUNT_MAX)
            return -EOVERFLOW;
        O -= p;
        sum += p + interest;
        in->period = k;
        in->principal = p;
        in->interest = interest;
        in->total = p + interest;
        in->remaining = O;
        rc = proto_day_add_months(t->disbursed, k, &in->due);
        if (rc < 0)
            return rc;
    }
    s->terms = *t;
    s->n = n;
    s->installment = t->method == PROTO_LOAN_ANNUITY ? A : s->inst[0].total;
    s->sum_principal = t->principal;
    s->sum_total = sum;
    s->sum_interest = sum - t->principal;
    return 0;
}

int proto_loan_schedule_build(const struct proto_loan_terms *t, struct proto_loan_schedule *s)
{
    int rc;

    if (s == NULL)
        return -EINVAL;
    memset(s, 0, sizeof *s);
    rc = proto_loan_terms_check(t);
    if (rc == 0)
        rc = schedule_fill(t, s);
    if (rc < 0)
        memset(s, 0, sizeof *s);
    return rc;
}

/* Effective rates. */

/*
 * Whether the exact annuity installment at monthly rate a/b is at most the exact flat
 * installment at monthly rate f/b, both per rupiah of principal over n periods. With
 * N = b + a:
 *
 *   a * N^n / (b * (N^n - b^n))  <=  1/n + f/b  =  (b + n*f) / (n*b)
 *   <=>  n * a * N^n  <=  (b + n*f) * (N^n - b^n)           (for a > 0; both sides times n*b)
 *
 * At a = 0 the annuity is 1/n, never above the flat installment.
 */
static int annuity_le_flat(uint64_t a, uint64_t b, uint64_t f, uint32_t n, bool *le)
{
    struct big lhs, rhs, bn;

    *le = true;
    if (a == 0)
        return 0;
    if (big_pow(&lhs, (uint32_t)(b + a), n) < 0 || big_pow(&bn, (uint32_t)b, n) < 0)
        return -EOVERFLOW;
    big_copy(&rhs, &lhs);
    big_sub(&rhs, &bn);
    if (big_mul_u64(&rhs, b + (uint64_t)n * f) < 0 || big_mul_u64(&lhs, (uint64_t)n * a) < 0)
        return -EOVERFLOW;
    *le = big_cmp(&lhs, &rhs) <= 0;
    return 0;
}

/*
 * The annuity installment grows strictly with the rate, so the effective rate is found by
 * bisection on whole ppm, then one comparison at the half ppm decides the rounding. Bounds:
 * at the flat rate itself the annuity costs no more than the flat loan (it pays interest on
 * less principal), and at twice the flat rate it costs more (its interest is then above that of
 * equal principal parts, P*2f*(n+1)/2, which is at least the flat interest P*f*n). So the root
 * lies in [flat, 2 * flat), and about 24 steps find it.
 */
int proto_loan_flat_effective(uint32_t flat_ppm, uint32_t periods, uint32_t *eff_ppm)
{
    uint64_t lo, hi;
    bool le;
    int rc;

    if (eff_ppm == NULL)
        return -EINVAL;
    *eff_ppm = 0;
    if (periods < 1 || periods > PROTO_LOAN_PERIODS_MAX)
        return -EINVAL;
    if (flat_ppm > PROTO_LOAN_RATE_MAX)
        return -ERANGE;
    lo = flat_ppm; /* annuity(lo) <= flat */
    hi = 2 * lo;   /* annuity(hi) > flat, or hi == lo == 0 */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;

        rc = annuity_le_flat(mid, LOAN_MONTH_DEN, flat_ppm, periods, &le);
        if (rc < 0)
            return rc;
        if (le)
            lo = mid;
        else
            hi = mid;
    }
    /* lo is the largest ppm not above the root x; x >= lo + 1/2 iff annuity(lo + 1/2) <= flat. */
    rc = annuity_le_flat(2 * lo + 1, 2 * (uint64_t)LOAN_MONTH_DEN, 2 * (uint64_t)flat_ppm, periods,
                         &le);
    if (rc < 0)
        return rc;
    *eff_ppm = (uint32_t)(lo + (flat_ppm > 0 && le ? 1 : 0));
    return 0;
}

int proto_loan_rate_ear(uint32_t rate_ppm, uint64_t *ear_ppm)
{
    static const struct proto_loan_rounding half = {PROTO_LOAN_ROUND_HALF_UP, 1};
    struct big num, den;

    if (ear_ppm == NULL)
        return -EINVAL;
    *ear_ppm = 0;
    if (rate_ppm > PROTO_LOAN_EFF_MAX)
        return -ERANGE;
    /* ((N/D)^12 - 1) * 10^6 = (N^12 - D^12) * 10^6 / D^12. */
    if (big_pow(&num, LOAN_MONTH_DEN + rate_ppm, 12) < 0 || big_pow(&den, LOAN_MONTH_DEN, 12) < 0)
        return -EOVERFLOW;
    big_sub(&num, &den);
    if (big_mul_small(&num, PROTO_LOAN_PPM) < 0)
        return -EOVERFLOW;
    return big_round(&num, &den, &half, ear_ppm);
}

/* Repayments, collectibility, late fees. */

int proto_loan_allocate(const struct proto_loan_due *due, uint64_t payment,
                        struct proto_loan_alloc *out)
{
    if (out == NULL)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    if (due == NULL)
        return -EINVAL;
    if (payment > PROTO_LOAN_AMOUNT_MAX || due->penalty > PROTO_LOAN_AMOUNT_MAX ||
        due->interest > PROTO_LOAN_AMOUNT_MAX || due->principal > PROTO_LOAN_AMOUNT_MAX)
        return ERR_AMOUNT;
    out->penalty = min_u64(payment, due->penalty);
    payment -= out->penalty;
    out->interest = min_u64(payment, due->interest);
    payment -= out->interest;
    out->principal = min_u64(payment, due->principal);
    out->excess = payment - out->principal;
    return 0;
}

int proto_loan_buckets_check(const struct proto_loan_buckets *b)
{
    if (b == NULL || b->n < 1 || b->n > PROTO_LOAN_BUCKETS_MAX)
        return -EINVAL;
    if (b->b[0].min_days != 0 || b->b[b->n - 1].max_days != PROTO_LOAN_DAYS_OPEN)
        return -EINVAL;
    for (uint32_t i = 0; i < b->n; i++) {
        const struct proto_loan_bucket *k = &b->b[i];

        if (k->min_days > k->max_days || k->ppap_ppm > PROTO_LOAN_PPM)
            return -EINVAL;
        if (i > 0 && (k->ppap_ppm < k[-1].ppap_ppm || k[-1].max_days == PROTO_LOAN_DAYS_OPEN ||
                      k->min_days != k[-1].max_days + 1))
            return -EINVAL;
    }
    return 0;
}

int proto_loan_bucket_find(const struct proto_loan_buckets *b, uint32_t days, uint32_t *index)
{
    if (index == NULL)
        return -EINVAL;
    *index = 0;
    if (proto_loan_buckets_check(b) < 0)
        return -EINVAL;
    for (uint32_t i = 0; i < b->n; i++) {
        if (days >= b->b[i].min_days && days <= b->b[i].max_days) {
            *index = i;
            return 0;
        }
    }
    return -EINVAL; /* unreachable: a checked table covers every day count */
}

int proto_loan_ppap(uint64_t outstanding, uint32_t ppap_ppm, const struct proto_loan_rounding *r,
                    uint64_t *out)
{
    if (out == NULL)
        return -EINVAL;
    *out = 0;
    if (proto_loan_rounding_check(r) < 0)
        return -EINVAL;
    if (outstanding > PROTO_LOAN_AMOUNT_MAX)
        return ERR_AMOUNT;
    if (ppap_ppm > PROTO_LOAN_PPM)
        return -ERANGE;
    return muldiv3(outstanding, ppap_ppm, 1, PROTO_LOAN_PPM, r, out);
}

/*
 * A schedule as proto_loan_schedule_build leaves it: terms that check, a matching n, and rows
 * whose principal parts add up to the principal and whose totals add up to sum_total, so that
 * the status arithmetic below can neither underflow nor wrap on a hand-made one.
 */
static bool schedule_ok(const struct proto_loan_schedule *s)
{
    uint64_t sp = 0, st = 0;

    if (proto_loan_terms_check(&s->terms) < 0 || s->n != s->terms.periods)
        return false;
    for (uint32_t k = 0; k < s->n; k++) {
        const struct proto_loan_installment *in = &s->inst[k];

        if (in->principal > PROTO_LOAN_AMOUNT_MAX - sp || in->interest > PROTO_LOAN_AMOUNT_MAX ||
            in->total != in->principal + in->interest || in->total > PROTO_LOAN_AMOUNT_MAX - st)
            return false;
        sp += in->principal;
        st += in->total;
    }
    return sp == s->terms.principal && st == s->sum_total;
}

int proto_loan_status_compute(const struct proto_loan_schedule *s,
                              const struct proto_loan_payment *pay, size_t npay, int32_t as_of,
                              const struct proto_loan_buckets *b,
                              const struct proto_loan_rounding *rnd, struct proto_loan_status *out)
{
    uint64_t avail = 0, repaid = 0;
    int rc;

    if (out == NULL)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    if (s == NULL || (pay == NULL && npay > 0) || !schedule_ok(s) ||
        proto_loan_buckets_check(b) < 0 || proto_loan_rounding_check(rnd) < 0)
        return -EINVAL;
    if (!day_valid(as_of))
        return ERR_DATE;
    for (size_t i = 0; i < npay; i++) {
        if (!day_valid(pay[i].day))
            return ERR_DATE;
        if (pay[i].amount > PROTO_LOAN_AMOUNT_MAX)
            return ERR_AMOUNT;
        if (pay[i].day > as_of)
            continue;
        if (avail + pay[i].amount > PROTO_LOAN_AMOUNT_MAX) /* both <= 2^63 - 1: no wrap */
            return -EOVERFLOW;
        avail += pay[i].amount;
    }
    out->paid = avail;
    for (uint32_t k = 0; k < s->n; k++) {
        const struct proto_loan_installment *in = &s->inst[k];
        uint64_t pi = min_u64(avail, in->interest), pp;

        avail -= pi;
        pp = min_u64(avail, in->principal);
        avail -= pp;
        repaid += pp;
        if (pi == in->interest && pp == in->principal)
            continue;
        if (out->next_period == 0)
            out->next_period = in->period;
        if (in->due < as_of) {
            if (out->overdue++ == 0)
                out->days_past_due = (uint32_t)(as_of - in->due);
            out->arrears_interest += in->interest - pi;
            out->arrears_principal += in->principal - pp;
        }
    }
    /* Arrears are parts of the schedule's sums, which fit. */
    out->arrears = out->arrears_interest + out->arrears_principal;
    out->excess = avail;
    out->outstanding = s->terms.principal - repaid;
    rc = proto_loan_bucket_find(b, out->days_past_due, &out->bucket);
    if (rc == 0)
        rc = proto_loan_ppap(out->outstanding, b->b[out->bucket].ppap_ppm, rnd, &out->ppap);
    if (rc < 0)
        memset(out, 0, sizeof *out);
    return rc;
}

int proto_loan_late_units(uint8_t basis, int32_t due, int32_t as_of, uint32_t *units)
{
    uint32_t y1, m1, d1, y2, m2, d2, k;
    int32_t at;
    int rc;

    if (units == NULL)
        return -EINVAL;
    *units = 0;
    if (basis != PROTO_LOAN_LATE_PER_DAY && basis != PROTO_LOAN_LATE_PER_PERIOD)
        return -EINVAL;
    if (!day_valid(due) || !day_valid(as_of))
        return ERR_DATE;
    if (as_of <= due)
        return 0;
    if (basis == PROTO_LOAN_LATE_PER_DAY) {
        *units = (uint32_t)(as_of - due);
        return 0;
    }
    /*
     * Count the k >= 0 with due + k months < as_of. With as_of k0 calendar months after due,
     * due + k months lies in an earlier month than as_of for every k < k0, so all of those
     * count, and due + k0 months, in as_of's own month, may count too (then due + k0 + 1 months
     * is in the month after). Past 9999 a date is never before as_of.
     */
    civil_from_days(due, &y1, &m1, &d1);
    civil_from_days(as_of, &y2, &m2, &d2);
    k = (y2 * 12 + m2) - (y1 * 12 + m1); /* as_of > due, so no wrap */
    for (;;) {
        rc = proto_day_add_months(due, k, &at);
        if (rc < 0 || at >= as_of)
            break;
        k++;
    }
    *units = k;
    return 0;
}

int proto_loan_late_fee(const struct proto_loan_late_rule *rule, uint64_t overdue, int32_t due,
                        int32_t as_of, uint64_t *fee)
{
    uint32_t units;
    int rc;

    if (fee == NULL)
        return -EINVAL;
    *fee = 0;
    if (rule == NULL || proto_loan_rounding_check(&rule->round) < 0)
        return -EINVAL;
    if (rule->rate_ppm > PROTO_LOAN_LATE_MAX)
        return -ERANGE;
    if (overdue > PROTO_LOAN_AMOUNT_MAX)
        return ERR_AMOUNT;
    rc = proto_loan_late_units(rule->basis, due, as_of, &units);
    if (rc < 0)
        return rc;
    return muldiv3(overdue, rule->rate_ppm, units, PROTO_LOAN_PPM, &rule->round, fee);
}
