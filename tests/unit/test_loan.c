/*
 * Unit tests for proto/loan: invalid and NULL inputs first; exact rounding; worked examples for
 * the three schedule methods, derived by hand in the comments (Rp10,000,000 over 12 months at
 * 18 % a year, in every rounding mode and to Rp100); KOPERASI.md 3.2's example (schedules,
 * effective rate, EAR, late fee) and 3.3's PPAP example; the annuity's exactness where the
 * installment is an exact integer or half-integer; golden annuity values from an independent
 * exact-rational computation; edge cases (one period, 360 periods, rate 0, clamping, the
 * overflow boundary, rates too high); invariants over thousands of random schedules, checked
 * against an independent 128-bit re-computation where the compiler has one; the effective rate
 * (bounds, monotonicity, the flat installment recovered); allocation; buckets, status and PPAP;
 * late fees; and the calendar over every day of 1900..9999.
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

#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/loan.h"

#define HALF PROTO_LOAN_ROUND_HALF_UP
#define DOWN PROTO_LOAN_ROUND_DOWN
#define UP   PROTO_LOAN_ROUND_UP
#define MAXA PROTO_LOAN_AMOUNT_MAX

#ifdef __SIZEOF_INT128__
/*
 * An independent oracle where the compiler has 128-bit integers (the library itself does not
 * use them); __extension__ keeps -Wpedantic quiet about the type.
 */
__extension__ typedef unsigned __int128 u128;
#endif

/* Schedules are 17 KiB: the tests keep theirs here rather than on the stack. */
static struct proto_loan_schedule g_s, g_s2;

static struct proto_loan_rounding rnd(uint8_t mode, uint32_t unit)
{
    struct proto_loan_rounding r = {mode, unit};

    return r;
}

static int32_t day(uint32_t ymd)
{
    int32_t d;

    assert_int_equal(proto_day_from_ymd(ymd, &d), 0);
    return d;
}

static struct proto_loan_terms terms(uint8_t method, uint64_t principal, uint32_t rate,
                                     uint32_t periods, uint8_t mode, uint32_t unit)
{
    struct proto_loan_terms t;

    memset(&t, 0, sizeof t);
    t.method = method;
    t.principal = principal;
    t.rate_ppm = rate;
    t.periods = periods;
    t.round = rnd(mode, unit);
    t.disbursed = day(20240131);
    return t;
}

static int build(uint8_t method, uint64_t principal, uint32_t rate, uint32_t periods, uint8_t mode,
                 uint32_t unit)
{
    struct proto_loan_terms t = terms(method, principal, rate, periods, mode, unit);

    return proto_loan_schedule_build(&t, &g_s);
}

/* Asserts installment k (1-based) of g_s. */
static void row(uint32_t k, uint64_t principal, uint64_t interest, uint64_t remaining)
{
    const struct proto_loan_installment *in = &g_s.inst[k - 1];

    assert_int_equal(in->period, k);
    assert_int_equal(in->principal, principal);
    assert_int_equal(in->interest, interest);
    assert_int_equal(in->total, principal + interest);
    assert_int_equal(in->remaining, remaining);
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

/* A deterministic generator (splitmix64), so that every run checks the same cases. */
static uint64_t g_rng = 0x5a6b5349u;

static uint64_t rng(void)
{
    uint64_t z = (g_rng += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform enough in lo..hi for tests. */
static uint64_t rng_range(uint64_t lo, uint64_t hi)
{
    uint64_t span = hi - lo + 1;

    return span == 0 ? rng() : lo + rng() % span;
}

static void test_invalid(void **state)
{
    struct proto_loan_terms t = terms(PROTO_LOAN_FLAT, 1000000, 180000, 12, HALF, 1);
    struct proto_loan_rounding r = rnd(HALF, 1);
    struct proto_loan_alloc al;
    struct proto_loan_due due = {0, 0, 0};
    uint64_t v = 1;
    uint32_t u = 1;
    int32_t d = 1;

    (void)state;
    /* NULL pointers. */
    assert_int_equal(proto_loan_rounding_check(NULL), -EINVAL);
    assert_int_equal(proto_loan_muldiv(1, 1, 1, NULL, &v), -EINVAL);
    assert_int_equal(v, 0);
    assert_int_equal(proto_loan_muldiv(1, 1, 1, &r, NULL), -EINVAL);
    assert_int_equal(proto_loan_terms_check(NULL), -EINVAL);
    assert_int_equal(proto_loan_schedule_build(NULL, &g_s), -EINVAL);
    assert_int_equal(proto_loan_schedule_build(&t, NULL), -EINVAL);
    assert_int_equal(proto_loan_annuity(1, 1, 1, NULL, &v), -EINVAL);
    assert_int_equal(proto_loan_annuity(1, 1, 1, &r, NULL), -EINVAL);
    assert_int_equal(proto_loan_flat_effective(1, 1, NULL), -EINVAL);
    assert_int_equal(proto_loan_rate_ear(1, NULL), -EINVAL);
    assert_int_equal(proto_loan_allocate(NULL, 1, &al), -EINVAL);
    assert_int_equal(proto_loan_allocate(&due, 1, NULL), -EINVAL);
    assert_int_equal(proto_loan_buckets_check(NULL), -EINVAL);
    assert_int_equal(proto_loan_bucket_find(NULL, 0, &u), -EINVAL);
    assert_int_equal(proto_loan_ppap(1, 1, NULL, &v), -EINVAL);
    assert_int_equal(proto_loan_ppap(1, 1, &r, NULL), -EINVAL);
    assert_int_equal(proto_loan_late_units(PROTO_LOAN_LATE_PER_DAY, 0, 1, NULL), -EINVAL);
    assert_int_equal(proto_loan_late_fee(NULL, 1, 0, 1, &v), -EINVAL);
    assert_int_equal(proto_day_from_ymd(20240101, NULL), -EINVAL);
    assert_int_equal(proto_day_to_ymd(0, NULL), -EINVAL);
    assert_int_equal(proto_day_parse(NULL, &d), -EINVAL);
    assert_int_equal(proto_day_parse("2024-01-01", NULL), -EINVAL);
    assert_int_equal(proto_day_format(0, NULL), -EINVAL);
    assert_int_equal(proto_day_add_months(0, 1, NULL), -EINVAL);

    /* Rounding rules: a mode of 1..3 and a unit of 1..PROTO_LOAN_UNIT_MAX. */
    for (int m = 0; m < 6; m++) {
        r = rnd((uint8_t)m, 1);
        assert_int_equal(proto_loan_rounding_check(&r), m >= 1 && m <= 3 ? 0 : -EINVAL);
    }
    r = rnd(HALF, 0);
    assert_int_equal(proto_loan_rounding_check(&r), -EINVAL);
    r = rnd(HALF, PROTO_LOAN_UNIT_MAX);
    assert_int_equal(proto_loan_rounding_check(&r), 0);
    r = rnd(HALF, PROTO_LOAN_UNIT_MAX + 1);
    assert_int_equal(proto_loan_rounding_check(&r), -EINVAL);
    r = rnd(HALF, 1);
    assert_int_equal(proto_loan_muldiv(1, 1, 0, &r, &v), -EINVAL);

    /* Terms, one broken field at a time; a failed build leaves the schedule zeroed. */
    assert_int_equal(proto_loan_terms_check(&t), 0);
    t.method = 0;
    assert_int_equal(proto_loan_terms_check(&t), -EINVAL);
    t.method = 4;
    assert_int_equal(proto_loan_terms_check(&t), -EINVAL);
    t = terms(PROTO_LOAN_FLAT, 1000000, 180000, 0, HALF, 1);
    assert_int_equal(proto_loan_terms_check(&t), -EINVAL);
    t.periods = PROTO_LOAN_PERIODS_MAX + 1;
    assert_int_equal(proto_loan_terms_check(&t), -EINVAL);
    t = terms(PROTO_LOAN_FLAT, 1000000, 180000, 12, 0, 1);
    assert_int_equal(proto_loan_terms_check(&t), -EINVAL);
    t = terms(PROTO_LOAN_FLAT, 1000000, 180000, 12, HALF, 0);
    assert_int_equal(proto_loan_terms_check(&t), -EINVAL);
    t = terms(PROTO_LOAN_FLAT, 0, 180000, 12, HALF, 1);
    assert_int_equal(proto_loan_terms_check(&t), ERR_AMOUNT);
    t.principal = MAXA + 1;
    assert_int_equal(proto_loan_terms_check(&t), ERR_AMOUNT);
    t.principal = UINT64_MAX;
    assert_int_equal(proto_loan_terms_check(&t), ERR_AMOUNT);
    t = terms(PROTO_LOAN_FLAT, 1000000, PROTO_LOAN_RATE_MAX + 1, 12, HALF, 1);
    assert_int_equal(proto_loan_terms_check(&t), -ERANGE);
    t.rate_ppm = UINT32_MAX;
    assert_int_equal(proto_loan_terms_check(&t), -ERANGE);
    t = terms(PROTO_LOAN_FLAT, 1000000, 180000, 12, HALF, 1);
    t.disbursed = PROTO_DAY_MIN - 1;
    assert_int_equal(proto_loan_terms_check(&t), ERR_DATE);
    t.disbursed = PROTO_DAY_MAX + 1;
    assert_int_equal(proto_loan_terms_check(&t), ERR_DATE);
    /* Disbursed on 9999-01-31: the 11th due date is the last one in the calendar. */
    t.disbursed = day(99990131);
    t.periods = 11;
    assert_int_equal(proto_loan_terms_check(&t), 0);
    t.periods = 12;
    assert_int_equal(proto_loan_terms_check(&t), ERR_DATE);
    memset(&g_s, 0xa5, sizeof g_s);
    assert_int_equal(proto_loan_schedule_build(&t, &g_s), ERR_DATE);
    assert_true(all_zero(&g_s, sizeof g_s));

    /* The annuity and the effective-rate functions check the same ranges. */
    r = rnd(HALF, 1);
    assert_int_equal(proto_loan_annuity(0, 1, 1, &r, &v), ERR_AMOUNT);
    assert_int_equal(proto_loan_annuity(MAXA + 1, 1, 1, &r, &v), ERR_AMOUNT);
    assert_int_equal(proto_loan_annuity(1, 1, 0, &r, &v), -EINVAL);
    assert_int_equal(proto_loan_annuity(1, 1, 361, &r, &v), -EINVAL);
    assert_int_equal(proto_loan_annuity(1, PROTO_LOAN_RATE_MAX + 1, 1, &r, &v), -ERANGE);
    assert_int_equal(proto_loan_flat_effective(1, 0, &u), -EINVAL);
    assert_int_equal(u, 0);
    assert_int_equal(proto_loan_flat_effective(1, 361, &u), -EINVAL);
    assert_int_equal(proto_loan_flat_effective(PROTO_LOAN_RATE_MAX + 1, 12, &u), -ERANGE);
    assert_int_equal(proto_loan_rate_ear(PROTO_LOAN_EFF_MAX + 1, &v), -ERANGE);

    /* Allocation refuses amounts no ledger can hold. */
    assert_int_equal(proto_loan_allocate(&due, MAXA + 1, &al), ERR_AMOUNT);
    due.interest = MAXA + 1;
    assert_int_equal(proto_loan_allocate(&due, 1, &al), ERR_AMOUNT);
    assert_true(all_zero(&al, sizeof al));

    /* PPAP: amount, rate, rule. */
    assert_int_equal(proto_loan_ppap(MAXA + 1, 1, &r, &v), ERR_AMOUNT);
    assert_int_equal(proto_loan_ppap(1, PROTO_LOAN_PPM + 1, &r, &v), -ERANGE);
    r = rnd(7, 1);
    assert_int_equal(proto_loan_ppap(1, 1, &r, &v), -EINVAL);
}

static void test_muldiv(void **state)
{
    struct proto_loan_rounding h = rnd(HALF, 1), dn = rnd(DOWN, 1), up = rnd(UP, 1);
    struct proto_loan_rounding h100 = rnd(HALF, 100), d100 = rnd(DOWN, 100), u100 = rnd(UP, 100);
    uint64_t v;

    (void)state;
    /* 7/2 = 3.5: half up 4, down 3, up 4. 5/2 = 2.5 goes up too (half up, not to even). */
    assert_int_equal(proto_loan_muldiv(7, 1, 2, &h, &v), 0);
    assert_int_equal(v, 4);
    assert_int_equal(proto_loan_muldiv(7, 1, 2, &dn, &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(proto_loan_muldiv(7, 1, 2, &up, &v), 0);
    assert_int_equal(v, 4);
    assert_int_equal(proto_loan_muldiv(5, 1, 2, &h, &v), 0);
    assert_int_equal(v, 3);
    /* 10/3 = 3.33: half up 3, up 4. An exact quotient is never moved: 9/3 = 3 in every mode. */
    assert_int_equal(proto_loan_muldiv(10, 1, 3, &h, &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(proto_loan_muldiv(10, 1, 3, &up, &v), 0);
    assert_int_equal(v, 4);
    assert_int_equal(proto_loan_muldiv(9, 1, 3, &up, &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(proto_loan_muldiv(9, 1, 3, &dn, &v), 0);
    assert_int_equal(v, 3);
    /* To Rp100: 250 is 2.5 hundreds (300 half up, 200 down, 300 up); 249 is 200 half up. */
    assert_int_equal(proto_loan_muldiv(250, 1, 1, &h100, &v), 0);
    assert_int_equal(v, 300);
    assert_int_equal(proto_loan_muldiv(250, 1, 1, &d100, &v), 0);
    assert_int_equal(v, 200);
    assert_int_equal(proto_loan_muldiv(250, 1, 1, &u100, &v), 0);
    assert_int_equal(v, 300);
    assert_int_equal(proto_loan_muldiv(249, 1, 1, &h100, &v), 0);
    assert_int_equal(v, 200);
    assert_int_equal(proto_loan_muldiv(1, 1, 1, &u100, &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(proto_loan_muldiv(0, 5, 3, &u100, &v), 0);
    assert_int_equal(v, 0);
    /* Intermediates far beyond 64 bits are exact: MAX * MAX / MAX = MAX. */
    assert_int_equal(proto_loan_muldiv(MAXA, MAXA, MAXA, &up, &v), 0);
    assert_int_equal(v, MAXA);
    assert_int_equal(proto_loan_muldiv(UINT64_MAX, UINT64_MAX, UINT64_MAX, &h, &v), -EOVERFLOW);
    assert_int_equal(v, 0);
    assert_int_equal(proto_loan_muldiv(MAXA, 2, 1, &h, &v), -EOVERFLOW);
    /* (MAX * 2 - 1) / 2 = MAX - 1/2: half up gives MAX, which fits; up likewise. */
    assert_int_equal(proto_loan_muldiv(MAXA * 2 - 1, 1, 2, &h, &v), 0);
    assert_int_equal(v, MAXA);
    /* Rounding up to Rp100 past the maximum overflows. */
    assert_int_equal(proto_loan_muldiv(MAXA, 1, 1, &u100, &v), -EOVERFLOW);
    assert_int_equal(proto_loan_muldiv(MAXA, 1, 1, &d100, &v), 0);
    assert_int_equal(v, MAXA / 100 * 100);

#ifdef __SIZEOF_INT128__
    /* Against the compiler's 128-bit arithmetic, on random operands. */
    for (int i = 0; i < 20000; i++) {
        uint64_t a = rng() >> (rng() % 64), b = rng() >> (rng() % 64), c = rng() >> (rng() % 64);
        uint32_t unit = (uint32_t)(i % 3 == 0 ? 1 : rng_range(1, PROTO_LOAN_UNIT_MAX));
        uint8_t mode = (uint8_t)rng_range(1, 3);
        struct proto_loan_rounding rr = rnd(mode, unit);
        u128 den, q, rem, want;
        int rc;

        if (c == 0)
            c = 1;
        den = (u128)c * unit;
        q = (u128)a * b / den;
        rem = (u128)a * b % den;
        if ((mode == UP && rem != 0) || (mode == HALF && 2 * rem >= den))
            q++;
        want = q * unit;
        rc = proto_loan_muldiv(a, b, c, &rr, &v);
        if (want > MAXA) {
            assert_int_equal(rc, -EOVERFLOW);
        } else {
            assert_int_equal(rc, 0);
            assert_true(v == (uint64_t)want);
        }
    }
#endif
}

/*
 * Flat. Rp10,000,000 over 12 months at 18 % a year (180000 ppm):
 *   monthly rate r = 180000 / 12,000,000 = 0.015 exactly;
 *   interest = 10,000,000 * 0.015 = 150,000 every month, exactly (no rounding);
 *   principal part = 10,000,000 / 12 = 833,333.33...
 *     half up and down: 833,333; the first 11 take 11 * 833,333 = 9,166,663, so the last one
 *       takes 10,000,000 - 9,166,663 = 833,337 (total 983,337); the others total 983,333;
 *     up: 833,334; 11 * 833,334 = 9,166,674, the last takes 833,326 (total 983,326);
 *     half up to Rp100: 8,333.33 hundreds -> 833,300; 11 * 833,300 = 9,166,300, last 833,700;
 *     up to Rp100: 833,400; 11 * 833,400 = 9,167,400, last 832,600 (total 982,600).
 *   Interest over the loan: 12 * 150,000 = 1,800,000 in every mode.
 */
static void test_flat_example(void **state)
{
    (void)state;
    assert_int_equal(build(PROTO_LOAN_FLAT, 10000000, 180000, 12, HALF, 1), 0);
    assert_int_equal(g_s.n, 12);
    assert_int_equal(g_s.installment, 983333);
    row(1, 833333, 150000, 9166667);
    row(2, 833333, 150000, 8333334);
    row(11, 833333, 150000, 833337);
    row(12, 833337, 150000, 0);
    assert_int_equal(g_s.sum_principal, 10000000);
    assert_int_equal(g_s.sum_interest, 1800000);
    assert_int_equal(g_s.sum_total, 11800000);

    assert_int_equal(build(PROTO_LOAN_FLAT, 10000000, 180000, 12, DOWN, 1), 0);
    row(1, 833333, 150000, 9166667);
    row(12, 833337, 150000, 0);

    assert_int_equal(build(PROTO_LOAN_FLAT, 10000000, 180000, 12, UP, 1), 0);
    assert_int_equal(g_s.installment, 983334);
    row(1, 833334, 150000, 9166666);
    row(11, 833334, 150000, 833326);
    row(12, 833326, 150000, 0);
    assert_int_equal(g_s.sum_interest, 1800000);

    assert_int_equal(build(PROTO_LOAN_FLAT, 10000000, 180000, 12, HALF, 100), 0);
    assert_int_equal(g_s.installment, 983300);
    row(1, 833300, 150000, 9166700);
    row(11, 833300, 150000, 833700);
    row(12, 833700, 150000, 0);

    assert_int_equal(build(PROTO_LOAN_FLAT, 10000000, 180000, 12, UP, 100), 0);
    assert_int_equal(g_s.installment, 983400);
    row(1, 833400, 150000, 9166600);
    row(12, 832600, 150000, 0);

    /* Flat interest rounds too: Rp1,000,001 at 18 %: 15,000.015 -> 15,000 (half), 15,001 (up). */
    assert_int_equal(build(PROTO_LOAN_FLAT, 1000001, 180000, 2, HALF, 1), 0);
    row(1, 500001, 15000, 500000);
    row(2, 500000, 15000, 0);
    assert_int_equal(build(PROTO_LOAN_FLAT, 1000001, 180000, 2, UP, 1), 0);
    row(1, 500001, 15001, 500000);
    row(2, 500000, 15001, 0);
}

/*
 * Declining balance, same loan. Principal parts as for flat (833,333; the last 833,337). The
 * interest of month k is 0.015 * O_{k-1}, with O_{k-1} = 10,000,000 - 833,333 * (k-1) for
 * k <= 12:
 *   k = 1: 0.015 * 10,000,000 = 150,000
 *   k = 2: 0.015 *  9,166,667 = 137,500.005    -> 137,500 half up and down, 137,501 up
 *   k = 3: 0.015 *  8,333,334 = 125,000.01     -> 125,000
 *   k:     150,000 - 12,499.995 * (k-1); the fraction 0.005 * (k-1) stays below 0.5, so half
 *          up gives 150,000 - 12,500 * (k-1)
 *   k = 12: 0.015 *   833,337 = 12,500.055     -> 12,500; last total 833,337 + 12,500 = 845,837
 *   Interest = 12 * 150,000 - 12,500 * (0 + 1 + ... + 11) = 1,800,000 - 825,000 = 975,000.
 * Rounding up, the parts are 833,334 and O_{k-1} = 10,000,000 - 833,334 * (k-1), so the
 * interest is 150,000 - 12,500.01 * (k-1): never a whole number after k = 1, and ceil gives
 * 150,000 - 12,500 * (k-1) again; the last part is 833,326 (interest 0.015 * 833,326 =
 * 12,499.89 -> 12,500).
 */
static void test_declining_example(void **state)
{
    (void)state;
    assert_int_equal(build(PROTO_LOAN_DECLINING, 10000000, 180000, 12, HALF, 1), 0);
    assert_int_equal(g_s.installment, 983333);
    row(1, 833333, 150000, 9166667);
    row(2, 833333, 137500, 8333334);
    row(3, 833333, 125000, 7500001);
    row(6, 833333, 87500, 5000002);
    row(11, 833333, 25000, 833337);
    row(12, 833337, 12500, 0);
    assert_int_equal(g_s.sum_interest, 975000);
    assert_int_equal(g_s.sum_total, 10975000);

    assert_int_equal(build(PROTO_LOAN_DECLINING, 10000000, 180000, 12, DOWN, 1), 0);
    row(2, 833333, 137500, 8333334);
    row(12, 833337, 12500, 0);
    assert_int_equal(g_s.sum_interest, 975000);

    assert_int_equal(build(PROTO_LOAN_DECLINING, 10000000, 180000, 12, UP, 1), 0);
    row(1, 833334, 150000, 9166666);
    row(2, 833334, 137500, 8333332);
    row(12, 833326, 12500, 0);
    assert_int_equal(g_s.sum_interest, 975000);

    /* Where the modes differ: Rp1,000,001 over 2 months; O_1 = 500,000 (half) or 500,000 (up:
     * part 500,001). Month 1 interest 15,000.015: 15,000 half and down, 15,001 up. */
    assert_int_equal(build(PROTO_LOAN_DECLINING, 1000001, 180000, 2, UP, 1), 0);
    row(1, 500001, 15001, 500000);
    row(2, 500000, 7500, 0);
    assert_int_equal(build(PROTO_LOAN_DECLINING, 1000001, 180000, 2, DOWN, 1), 0);
    row(1, 500000, 15000, 500001);
    row(2, 500001, 7500, 0); /* 0.015 * 500,001 = 7,500.015 -> 7,500 */
}

/*
 * Annuity, same loan. 1 + r = 1.015 = 203/200, so
 *   A = P * r * (1+r)^n / ((1+r)^n - 1) = 10,000,000 * (3/200) * 203^12 / (203^12 - 200^12)
 *   203^12 = 4,897,252,030,306,448,390,395,044,241
 *   200^12 = 4,096,000,000,000,000,000,000,000,000
 *   A = 150,000 * 4,897,252,030,306,448,390,395,044,241 / 801,252,030,306,448,390,395,044,241
 *     = 150,000 * 6.11199952708... = 916,799.9290622894...
 * so A = 916,800 (half up and up) or 916,799 (down). Then, half up:
 *   k = 1: interest 0.015 * 10,000,000 = 150,000;  principal 916,800 - 150,000 = 766,800;
 *          O_1 = 9,233,200
 *   k = 2: interest 0.015 * 9,233,200 = 138,498;    principal 778,302; O_2 = 8,454,898
 *   k = 3: interest 0.015 * 8,454,898 = 126,823.47 -> 126,823; principal 789,977;
 *          O_3 = 7,664,921
 *   ...
 *   k = 11: O_10 = 1,793,153; interest 26,897.295 -> 26,897; principal 889,903; O_11 = 903,250
 *   k = 12: interest 0.015 * 903,250 = 13,548.75 -> 13,549; principal = the residual 903,250;
 *           total 916,799 (one rupiah under A: the residual).
 *   Interest: 11 * 916,800 + 916,799 - 10,000,000 = 1,001,599.
 * To Rp100 half up: A = 916,800; k = 2 interest 138,498 -> 138,500, principal 778,300; ...
 * the last installment is 903,100 + 13,500 = 916,600; interest 1,001,400.
 */
static void test_annuity_example(void **state)
{
    struct proto_loan_rounding r = rnd(HALF, 1);
    uint64_t a;

    (void)state;
    assert_int_equal(proto_loan_annuity(10000000, 180000, 12, &r, &a), 0);
    assert_int_equal(a, 916800);
    r = rnd(DOWN, 1);
    assert_int_equal(proto_loan_annuity(10000000, 180000, 12, &r, &a), 0);
    assert_int_equal(a, 916799);
    r = rnd(UP, 1);
    assert_int_equal(proto_loan_annuity(10000000, 180000, 12, &r, &a), 0);
    assert_int_equal(a, 916800);
    r = rnd(DOWN, 1000);
    assert_int_equal(proto_loan_annuity(10000000, 180000, 12, &r, &a), 0);
    assert_int_equal(a, 916000);

    assert_int_equal(build(PROTO_LOAN_ANNUITY, 10000000, 180000, 12, HALF, 1), 0);
    assert_int_equal(g_s.installment, 916800);
    row(1, 766800, 150000, 9233200);
    row(2, 778302, 138498, 8454898);
    row(3, 789977, 126823, 7664921);
    row(11, 889903, 26897, 903250);
    row(12, 903250, 13549, 0);
    for (uint32_t k = 0; k < 11; k++)
        assert_int_equal(g_s.inst[k].total, 916800);
    assert_int_equal(g_s.inst[11].total, 916799);
    assert_int_equal(g_s.sum_interest, 1001599);

    /* Down: A = 916,799; k = 1: principal 766,799, O_1 = 9,233,201; the last is 916,804. */
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 10000000, 180000, 12, DOWN, 1), 0);
    row(1, 766799, 150000, 9233201);
    row(12, 903256, 13548, 0);
    assert_int_equal(g_s.sum_interest, 1001593);

    /* Up: k = 3 interest 126,823.47 -> 126,824; the last is 903,254 + 13,549 = 916,803. */
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 10000000, 180000, 12, UP, 1), 0);
    row(3, 789976, 126824, 7664922);
    row(12, 903254, 13549, 0);
    assert_int_equal(g_s.sum_interest, 1001603);

    assert_int_equal(build(PROTO_LOAN_ANNUITY, 10000000, 180000, 12, HALF, 100), 0);
    row(1, 766800, 150000, 9233200);
    row(2, 778300, 138500, 8454900);
    row(12, 903100, 13500, 0);
    assert_int_equal(g_s.sum_interest, 1001400);
}

/*
 * KOPERASI.md 3.2: Rp12,000,000, 12 months, 1.5 % a month = 18 % a year = 180000 ppm.
 *   Flat: 1,000,000 + 180,000 = 1,180,000 every month; interest 12 * 180,000 = 2,160,000.
 *   Declining: month 1 1,000,000 + 180,000; month 12 1,000,000 + 0.015 * 1,000,000 = 1,015,000;
 *     interest 0.015 * 1,000,000 * (12 + 11 + ... + 1) = 0.015 * 78,000,000 = 1,170,000.
 *   Annuity: A = 180,000 * 203^12 / (203^12 - 200^12) = 1,100,159.91... -> 1,100,160;
 *     month 1: 920,160 principal + 180,000 interest. Month 12: O_11 = 1,083,901, interest
 *     16,258.515 -> 16,259, total 1,100,160. Interest 12 * 1,100,160 - 12,000,000 = 1,201,920.
 *     KOPERASI.md's 1,201,919 is the unrounded 12 * 1,100,159.9149 - 12,000,000 =
 *     1,201,918.98; with installments rounded to the rupiah the borrower pays 1,201,920.
 *   The flat stream's effective rate: 317,164 ppm a year (2.643 % a month, "2,64 %"; "31,7 %
 *     nominal p.a."), EAR 1.026430...^12 - 1 = 36.7583 % ("36,8 %").
 *   Late fee: 1,180,000 ten days late at 0.1 % a day = 1,180,000 * 0.001 * 10 = 11,800.
 */
static void test_koperasi_example(void **state)
{
    struct proto_loan_late_rule late = {PROTO_LOAN_LATE_PER_DAY, 1000, {HALF, 1}};
    uint32_t eff;
    uint64_t ear, fee;

    (void)state;
    assert_int_equal(build(PROTO_LOAN_FLAT, 12000000, 180000, 12, HALF, 1), 0);
    for (uint32_t k = 1; k <= 12; k++)
        row(k, 1000000, 180000, 12000000 - 1000000 * (uint64_t)k);
    assert_int_equal(g_s.sum_interest, 2160000);

    assert_int_equal(build(PROTO_LOAN_DECLINING, 12000000, 180000, 12, HALF, 1), 0);
    row(1, 1000000, 180000, 11000000);
    row(12, 1000000, 15000, 0);
    assert_int_equal(g_s.inst[11].total, 1015000);
    assert_int_equal(g_s.sum_interest, 1170000);

    assert_int_equal(build(PROTO_LOAN_ANNUITY, 12000000, 180000, 12, HALF, 1), 0);
    assert_int_equal(g_s.installment, 1100160);
    row(1, 920160, 180000, 11079840);
    row(12, 1083901, 16259, 0);
    assert_int_equal(g_s.inst[11].total, 1100160);
    assert_int_equal(g_s.sum_interest, 1201920);

    assert_int_equal(proto_loan_flat_effective(180000, 12, &eff), 0);
    assert_int_equal(eff, 317164);
    assert_int_equal(proto_loan_rate_ear(eff, &ear), 0);
    assert_int_equal(ear, 367583);
    /* The monthly rate itself compounds to 19.5618 %: 1.015^12 - 1 = 0.195618171... */
    assert_int_equal(proto_loan_rate_ear(180000, &ear), 0);
    assert_int_equal(ear, 195618);

    assert_int_equal(proto_loan_late_fee(&late, 1180000, day(20240110), day(20240120), &fee), 0);
    assert_int_equal(fee, 11800);
}

/*
 * Exactness where an approximation would fail. For n = 2, N^2 - D^2 = (N - D)(N + D) and the
 * rate cancels: A = P * N^2 / (D * (N + D)). At 18 %, N/D = 203/200, so A = P * 203^2 /
 * (200 * 403) = P * 41,209 / 80,600 (41,209 = 7^2 * 29^2 and 80,600 = 2^3 * 5^2 * 13 * 31 are
 * coprime). P = 80,600 * k gives exactly 41,209 * k, which rounding up must not move; P = 40,300
 * gives exactly 20,604.5, which half up takes to 20,605 and down to 20,604. For n = 1,
 * A = P * 203/200: P = 200 gives exactly 203.
 */
static void test_annuity_exact(void **state)
{
    struct proto_loan_rounding h = rnd(HALF, 1), dn = rnd(DOWN, 1), up = rnd(UP, 1);
    const uint64_t k = 100000000000ULL; /* P = 80,600 * 10^11 = 8.06 * 10^15 */
    uint64_t a;

    (void)state;
    assert_int_equal(proto_loan_annuity(80600, 180000, 2, &up, &a), 0);
    assert_int_equal(a, 41209);
    assert_int_equal(proto_loan_annuity(80600, 180000, 2, &dn, &a), 0);
    assert_int_equal(a, 41209);
    assert_int_equal(proto_loan_annuity(80601, 180000, 2, &up, &a), 0);
    assert_int_equal(a, 41210); /* 41,209.51... */
    assert_int_equal(proto_loan_annuity(80599, 180000, 2, &dn, &a), 0);
    assert_int_equal(a, 41208); /* 41,208.48... */
    /* A large exact multiple. */
    assert_int_equal(proto_loan_annuity(80600 * k, 180000, 2, &up, &a), 0);
    assert_int_equal(a, 41209 * k);
    assert_int_equal(proto_loan_annuity(80600 * k, 180000, 2, &dn, &a), 0);
    assert_int_equal(a, 41209 * k);
    assert_int_equal(proto_loan_annuity(80600 * k + 1, 180000, 2, &dn, &a), 0);
    assert_int_equal(a, 41209 * k);
    assert_int_equal(proto_loan_annuity(80600 * k + 1, 180000, 2, &up, &a), 0);
    assert_int_equal(a, 41209 * k + 1);

    assert_int_equal(proto_loan_annuity(40300, 180000, 2, &h, &a), 0);
    assert_int_equal(a, 20605);
    assert_int_equal(proto_loan_annuity(40300, 180000, 2, &dn, &a), 0);
    assert_int_equal(a, 20604);
    assert_int_equal(proto_loan_annuity(40300, 180000, 2, &up, &a), 0);
    assert_int_equal(a, 20605);

    assert_int_equal(proto_loan_annuity(200, 180000, 1, &up, &a), 0);
    assert_int_equal(a, 203);
    assert_int_equal(proto_loan_annuity(200, 180000, 1, &dn, &a), 0);
    assert_int_equal(a, 203);
}

/*
 * Annuity installments computed independently with exact rationals (Python's Fraction,
 * A = P*r / (1 - (1+r)^-n) with r = Fraction(rate, 12,000,000), then rounded), with the exact
 * value for reference. OVF: above PROTO_LOAN_AMOUNT_MAX.
 */
#define OVF UINT64_MAX
static const struct {
    uint64_t principal;
    uint32_t rate, periods;
    uint8_t mode;
    uint32_t unit;
    uint64_t want;
} g_gold[] = {
    {12000000ULL, 180000, 12, HALF, 1, 1100160ULL},   /* 1,100,159.9149 */
    {10000000ULL, 180000, 12, DOWN, 1, 916799ULL},    /* 916,799.9291 */
    {500000000ULL, 120000, 360, HALF, 1, 5143063ULL}, /* 5,143,062.9846 */
    {1ULL, 10000000, 360, HALF, 1, 1ULL},             /* 0.8333 */
    {9223372036854775807ULL, 1, 360, DOWN, 1, 25620863256761789ULL},
    {9223372036854775807ULL, 10000000, 360, UP, 1, 7686143364045646506ULL},
    {9223372036854775807ULL, 10000000, 2, HALF, 1, OVF}, /* 1.094e19 */
    {4611686018427387903ULL, 180000, 1, HALF, 1, 4680861308703798722ULL},
    {1000000000000000ULL, 1, 2, UP, 1, 500000062500001ULL}, /* 500,000,062,500,000.9 */
    {1000000000000000ULL, 1, 2, DOWN, 1, 500000062500000ULL},
    {987654321987ULL, 333333, 240, HALF, 1000, 27473106000ULL}, /* 27,473,105,866.94 */
    {25000000ULL, 240000, 36, UP, 100, 980900ULL},              /* 980,821.31 */
    {7ULL, 1, 1, UP, 1, 8ULL},                                  /* 7.0000006 */
    {999999999999999ULL, 10000000, 12, HALF, 1000000, 833911726000000ULL},
    {123456789ULL, 9999999, 359, DOWN, 7, 102880645ULL}, /* 102,880,647.21 */
};

static void test_annuity_golden(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof g_gold / sizeof g_gold[0]; i++) {
        struct proto_loan_rounding r = rnd(g_gold[i].mode, g_gold[i].unit);
        uint64_t a = 1;
        int rc = proto_loan_annuity(g_gold[i].principal, g_gold[i].rate, g_gold[i].periods, &r, &a);

        if (g_gold[i].want == OVF) {
            assert_int_equal(rc, -EOVERFLOW);
            assert_int_equal(a, 0);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(a, g_gold[i].want);
        }
    }
}

/*
 * One period: everything is due at once. Rp1,000,000 at 18 %: interest 15,000 in every method,
 * and the annuity 1,000,000 * 1.015 = 1,015,000 exactly.
 */
static void test_one_period(void **state)
{
    (void)state;
    for (uint8_t m = PROTO_LOAN_FLAT; m <= PROTO_LOAN_ANNUITY; m++) {
        assert_int_equal(build(m, 1000000, 180000, 1, HALF, 1), 0);
        assert_int_equal(g_s.n, 1);
        row(1, 1000000, 15000, 0);
        assert_int_equal(g_s.installment, 1015000);
        assert_int_equal(g_s.inst[0].due, day(20240229)); /* disbursed 2024-01-31 */
    }
}

/*
 * 360 periods (a 30-year KPR): Rp500,000,000 at 12 % (1 % a month).
 *   A = 5,000,000 / (1 - 1.01^-360) = 5,143,062.98 -> 5,143,063; month 1: interest 5,000,000,
 *   principal 143,063. The last absorbs the residual: 5,092,068 + 50,921 = 5,142,989.
 * Flat: 500,000,000 / 360 = 1,388,888.89 -> 1,388,889 (359 of them = 498,611,151), last
 *   1,388,849; interest 5,000,000 * 360 = 1,800,000,000.
 */
static void test_360_periods(void **state)
{
    (void)state;
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 500000000, 120000, 360, HALF, 1), 0);
    assert_int_equal(g_s.n, 360);
    assert_int_equal(g_s.installment, 5143063);
    row(1, 143063, 5000000, 499856937);
    row(360, 5092068, 50921, 0);
    assert_int_equal(g_s.sum_interest, 1351502606);
    assert_int_equal(g_s.inst[359].due, day(20540131));

    assert_int_equal(build(PROTO_LOAN_FLAT, 500000000, 120000, 360, HALF, 1), 0);
    row(1, 1388889, 5000000, 498611111);
    row(360, 1388849, 5000000, 0);
    assert_int_equal(g_s.sum_interest, 1800000000);
}

/*
 * Rate 0: no interest in any method, and the annuity is the equal part. Rp1,000,000 over 3:
 * 333,333.33 -> 333,333 twice, the last 333,334. Rounding up: 333,334 twice, the last 333,332.
 */
static void test_rate_zero(void **state)
{
    struct proto_loan_rounding up = rnd(UP, 1);
    uint64_t a;

    (void)state;
    for (uint8_t m = PROTO_LOAN_FLAT; m <= PROTO_LOAN_ANNUITY; m++) {
        assert_int_equal(build(m, 1000000, 0, 3, HALF, 1), 0);
        row(1, 333333, 0, 666667);
        row(2, 333333, 0, 333334);
        row(3, 333334, 0, 0);
        assert_int_equal(g_s.sum_interest, 0);
        assert_int_equal(build(m, 1000000, 0, 3, UP, 1), 0);
        row(1, 333334, 0, 666666);
        row(3, 333332, 0, 0);
    }
    assert_int_equal(proto_loan_annuity(1000000, 0, 3, &up, &a), 0);
    assert_int_equal(a, 333334);
}

/*
 * Degenerate rounding: a principal part larger than what remains is clamped, and later
 * installments carry no principal. Rp250 over 3 months to Rp100, rounding up: 83.3 -> 100,
 * 100, then the residual 50. Rp10 over 12 to Rp100 up: 100 clamped to 10 in month 1, then
 * nothing. Rp100 over 360 half up: 0.28 -> 0 every month, the last takes all 100.
 */
static void test_clamping(void **state)
{
    (void)state;
    assert_int_equal(build(PROTO_LOAN_DECLINING, 250, 0, 3, UP, 100), 0);
    row(1, 100, 0, 150);
    row(2, 100, 0, 50);
    row(3, 50, 0, 0);

    assert_int_equal(build(PROTO_LOAN_FLAT, 10, 180000, 12, UP, 100), 0);
    row(1, 10, 100, 0); /* flat interest 0.15 -> Rp100, on the original principal throughout */
    row(2, 0, 100, 0);
    row(12, 0, 100, 0);
    assert_int_equal(g_s.sum_interest, 1200);

    assert_int_equal(build(PROTO_LOAN_DECLINING, 10, 180000, 12, UP, 100), 0);
    row(1, 10, 100, 0);
    row(2, 0, 0, 0);

    assert_int_equal(build(PROTO_LOAN_DECLINING, 100, 0, 360, HALF, 1), 0);
    row(1, 0, 0, 100);
    row(359, 0, 0, 100);
    row(360, 100, 0, 0);

    /*
     * An annuity whose rounded installment is below the interest: Rp10 at 1000 % a year
     * (r = 5/6) over 360 months, down to Rp10: A = 8.33 -> 0, interest 8.33 -> 0 too. Half up
     * to Rp10: A = 10, interest 10: no principal until the last month.
     */
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 10, PROTO_LOAN_RATE_MAX, 360, HALF, 10), 0);
    assert_int_equal(g_s.installment, 10);
    row(1, 0, 10, 10);
    row(360, 10, 10, 0);

    /*
     * An annuity rounded up past the principal: Rp10 at 0 % over 2 months to Rp100 has A = 100
     * (5 rounded up), but month 1 can take only the 10 that remains. The schedule's installment
     * is still the nominal A.
     */
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 10, 0, 2, UP, 100), 0);
    assert_int_equal(g_s.installment, 100);
    row(1, 10, 0, 0);
    row(2, 0, 0, 0);
}

/*
 * Overflow is an error, never a wrap. Flat, one period, 12 % (1 % a month): the total is
 * P + round(P / 100). The largest P that fits is 9,132,051,521,638,391,888 (total exactly
 * 2^63 - 1); one more rupiah overflows. The whole schedule must fit too: Rp9 * 10^18 at 18 %
 * over 12 months has installments that fit but sums to 10.62 * 10^18.
 */
static void test_overflow(void **state)
{
    struct proto_loan_rounding h = rnd(HALF, 1);
    uint64_t a;

    (void)state;
    assert_int_equal(build(PROTO_LOAN_FLAT, 9132051521638391888ULL, 120000, 1, HALF, 1), 0);
    assert_int_equal(g_s.sum_total, MAXA);
    assert_int_equal(g_s.inst[0].interest, 91320515216383919ULL);
    memset(&g_s, 0x5a, sizeof g_s);
    assert_int_equal(build(PROTO_LOAN_FLAT, 9132051521638391889ULL, 120000, 1, HALF, 1),
                     -EOVERFLOW);
    assert_true(all_zero(&g_s, sizeof g_s));
    assert_int_equal(build(PROTO_LOAN_DECLINING, 9132051521638391889ULL, 120000, 1, HALF, 1),
                     -EOVERFLOW);
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 9132051521638391889ULL, 120000, 1, HALF, 1),
                     -EOVERFLOW);

    assert_int_equal(build(PROTO_LOAN_FLAT, 9000000000000000000ULL, 180000, 12, HALF, 1),
                     -EOVERFLOW);
    assert_int_equal(build(PROTO_LOAN_DECLINING, 9000000000000000000ULL, 180000, 12, HALF, 1),
                     -EOVERFLOW);
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 9000000000000000000ULL, 180000, 12, HALF, 1),
                     -EOVERFLOW);
    /* The largest principal itself is fine without interest. */
    assert_int_equal(build(PROTO_LOAN_ANNUITY, MAXA, 0, 360, HALF, 1), 0);
    assert_int_equal(g_s.sum_total, MAXA);
    assert_int_equal(build(PROTO_LOAN_FLAT, MAXA, 0, 1, UP, 1), 0);
    row(1, MAXA, 0, 0);
    /*
     * Rounding up to Rp1,000 near the maximum: one period takes the principal as the residual
     * (no part is rounded); over two, MAX/2 = 4,611,686,018,427,387,903.5 rounds up to
     * 4,611,686,018,427,388,000 and the residual is 4,611,686,018,427,387,807.
     */
    assert_int_equal(build(PROTO_LOAN_FLAT, MAXA, 0, 1, UP, 1000), 0);
    row(1, MAXA, 0, 0);
    assert_int_equal(build(PROTO_LOAN_FLAT, MAXA, 0, 2, UP, 1000), 0);
    row(1, 4611686018427388000ULL, 0, 4611686018427387807ULL);
    row(2, 4611686018427387807ULL, 0, 0);
    /* Any interest on the largest principal overflows: 1 ppm is Rp768,614,336,404 a month. */
    assert_int_equal(build(PROTO_LOAN_FLAT, MAXA, 1, 1, UP, 1000), -EOVERFLOW);
    assert_int_equal(build(PROTO_LOAN_DECLINING, MAXA, 1, 360, DOWN, 1), -EOVERFLOW);
    /*
     * An annuity over one period at the maximum rate: 1 + r = 1 + 10/12 = 11/6, so P = 6 * q
     * gives exactly A = 11 * q. With q = floor(MAX / 11) that is the largest multiple of 11
     * that fits; the next one (P + 6) does not.
     */
    assert_int_equal(proto_loan_annuity(MAXA / 11 * 6, PROTO_LOAN_RATE_MAX, 1, &h, &a), 0);
    assert_int_equal(a, MAXA / 11 * 11);
    assert_int_equal(proto_loan_annuity(MAXA / 11 * 6 + 6, PROTO_LOAN_RATE_MAX, 1, &h, &a),
                     -EOVERFLOW);
    assert_int_equal(proto_loan_annuity(MAXA, PROTO_LOAN_RATE_MAX, 1, &h, &a), -EOVERFLOW);
    assert_int_equal(a, 0);

    /* Rates: the maximum is accepted, one ppm more is not. */
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 1000000, PROTO_LOAN_RATE_MAX, 360, HALF, 1), 0);
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 1000000, PROTO_LOAN_RATE_MAX + 1, 360, HALF, 1),
                     -ERANGE);
}

#ifdef __SIZEOF_INT128__
static u128 ref_round(u128 num, u128 den, uint8_t mode, uint32_t unit)
{
    u128 q, rem;

    den *= unit;
    q = num / den;
    rem = num % den;
    if ((mode == UP && rem != 0) || (mode == HALF && 2 * rem >= den))
        q++;
    return q * unit;
}

/*
 * The schedule rules of loan.h re-implemented in 128-bit arithmetic, given the annuity
 * installment A: returns false on overflow, else fills g_s2's rows and sums.
 */
static bool ref_schedule(const struct proto_loan_terms *t, uint64_t A)
{
    u128 P = t->principal, O = P, sum = 0, part, flat;
    uint32_t n = t->periods;

    memset(&g_s2, 0, sizeof g_s2);
    part = ref_round(P, n, t->round.mode, t->round.unit);
    flat = ref_round(P * t->rate_ppm, 12000000, t->round.mode, t->round.unit);
    for (uint32_t k = 1; k <= n; k++) {
        u128 i = t->method == PROTO_LOAN_FLAT
                     ? flat
                     : ref_round(O * t->rate_ppm, 12000000, t->round.mode, t->round.unit);
        u128 p;

        if (k == n)
            p = O;
        else if (t->method == PROTO_LOAN_ANNUITY)
            p = A > i ? A - i : 0;
        else
            p = part;
        if (p > O)
            p = O;
        O -= p;
        sum += p + i;
        if (p + i > MAXA || sum > MAXA)
            return false;
        g_s2.inst[k - 1].principal = (uint64_t)p;
        g_s2.inst[k - 1].interest = (uint64_t)i;
        g_s2.inst[k - 1].remaining = (uint64_t)O;
    }
    g_s2.sum_total = (uint64_t)sum;
    return true;
}
#endif

/* Every invariant a built schedule must satisfy, whatever its terms. */
static void check_schedule(const struct proto_loan_terms *t, const struct proto_loan_schedule *s)
{
    uint64_t O = t->principal, sp = 0, si = 0, part;
    struct proto_loan_rounding r = t->round;
    uint32_t unit = r.unit;

    assert_int_equal(proto_loan_muldiv(t->principal, 1, t->periods, &r, &part), 0);
    assert_int_equal(s->n, t->periods);
    assert_memory_equal(&s->terms, t, sizeof *t);
    for (uint32_t k = 1; k <= s->n; k++) {
        const struct proto_loan_installment *in = &s->inst[k - 1];
        int32_t due;

        assert_int_equal(in->period, k);
        assert_int_equal(proto_day_add_months(t->disbursed, k, &due), 0);
        assert_int_equal(in->due, due);
        if (k > 1)
            assert_true(in->due > in[-1].due);
        assert_true(in->principal <= O);
        O -= in->principal;
        assert_int_equal(in->remaining, O);
        assert_int_equal(in->total, in->principal + in->interest);
        assert_int_equal(in->interest % unit, 0);
        if (k < s->n) {
            /* Multiples of the unit, unless clamped to what remained. */
            assert_true(in->principal % unit == 0 || in->remaining == 0);
            if (t->method != PROTO_LOAN_ANNUITY)
                assert_true(in->principal == part || in->remaining == 0);
            else if (in->remaining > 0 && in->interest <= s->installment)
                assert_int_equal(in->total, s->installment);
        }
        if (t->method == PROTO_LOAN_FLAT)
            assert_int_equal(in->interest, s->inst[0].interest);
        else if (k > 1)
            assert_true(in->interest <= in[-1].interest); /* on a shrinking balance */
        sp += in->principal;
        si += in->interest;
    }
    assert_int_equal(O, 0);
    assert_int_equal(s->inst[s->n - 1].remaining, 0);
    assert_int_equal(sp, t->principal);
    assert_int_equal(s->sum_principal, t->principal);
    assert_int_equal(s->sum_interest, si);
    assert_int_equal(s->sum_total, sp + si);
    for (uint32_t k = s->n; k < PROTO_LOAN_PERIODS_MAX; k++)
        assert_true(all_zero(&s->inst[k], sizeof s->inst[k]));
}

static uint64_t random_principal(void)
{
    switch (rng() % 5) {
    case 0:
        return rng_range(1, 10000);
    case 1:
        return rng_range(100000, 100000000) / 1000 * 1000 + 1000;
    case 2:
        return rng_range(1, 10000000000ULL);
    case 3:
        return rng_range(1, 1000000000000000ULL);
    default:
        return rng_range(1, MAXA);
    }
}

static void test_invariants_random(void **state)
{
    unsigned built = 0, overflowed = 0;

    (void)state;
    for (int i = 0; i < 3000; i++) {
        static const uint32_t units[] = {1, 1, 1, 10, 100, 1000, 50000};
        struct proto_loan_terms t;
        uint32_t rate;
        int rc;

        switch (rng() % 4) {
        case 0:
            rate = (uint32_t)rng_range(0, 400000);
            break;
        case 1:
            rate = (uint32_t)rng_range(0, PROTO_LOAN_RATE_MAX);
            break;
        case 2:
            rate = rng() % 2 ? 0 : PROTO_LOAN_RATE_MAX;
            break;
        default:
            rate = (uint32_t)rng_range(100000, 360000) / 1200 * 1200; /* whole ppm a month */
            break;
        }
        t = terms((uint8_t)rng_range(1, 3), random_principal(), rate,
                  (uint32_t)(rng() % 4 == 0 ? PROTO_LOAN_PERIODS_MAX : rng_range(1, 360)),
                  (uint8_t)rng_range(1, 3), units[rng() % 7]);
        t.disbursed = (int32_t)rng_range(0, 40000); /* 1970 .. 2079 */
        rc = proto_loan_schedule_build(&t, &g_s);
        if (rc == -EOVERFLOW) {
            assert_true(all_zero(&g_s, sizeof g_s));
            overflowed++;
        } else {
            assert_int_equal(rc, 0);
            check_schedule(&t, &g_s);
            /* Deterministic: the same terms give the same bytes. */
            assert_int_equal(proto_loan_schedule_build(&t, &g_s2), 0);
            assert_memory_equal(&g_s, &g_s2, sizeof g_s);
            built++;
        }
#ifdef __SIZEOF_INT128__
        {
            uint64_t A = 0;
            int arc = 0;
            bool fits;

            if (t.method == PROTO_LOAN_ANNUITY)
                arc = proto_loan_annuity(t.principal, t.rate_ppm, t.periods, &t.round, &A);
            fits = arc == 0 && ref_schedule(&t, A);
            assert_int_equal(rc == 0, fits);
            if (fits) {
                for (uint32_t k = 0; k < t.periods; k++) {
                    assert_int_equal(g_s.inst[k].principal, g_s2.inst[k].principal);
                    assert_int_equal(g_s.inst[k].interest, g_s2.inst[k].interest);
                    assert_int_equal(g_s.inst[k].remaining, g_s2.inst[k].remaining);
                }
                assert_int_equal(g_s.sum_total, g_s2.sum_total);
            }
        }
#endif
    }
    /* The mix exercises both outcomes. */
    assert_true(built > 2000);
    assert_true(overflowed > 50);
}

/*
 * The rounded annuity in the three modes brackets the exact value: down <= half <= up, and up
 * and down differ by at most one unit (by none only when the value is an exact multiple).
 */
static void test_annuity_modes(void **state)
{
    (void)state;
    for (int i = 0; i < 1500; i++) {
        uint64_t P = random_principal() / (rng() % 2 ? 1000 : 1) + 1;
        uint32_t rate = (uint32_t)rng_range(0, PROTO_LOAN_RATE_MAX);
        uint32_t n = (uint32_t)rng_range(1, 360), unit = rng() % 3 ? 1 : 100;
        struct proto_loan_rounding h = rnd(HALF, unit), d = rnd(DOWN, unit), u = rnd(UP, unit);
        uint64_t ah, ad, au;
        int rc = proto_loan_annuity(P, rate, n, &u, &au);

        if (rc == -EOVERFLOW)
            continue;
        assert_int_equal(rc, 0);
        assert_int_equal(proto_loan_annuity(P, rate, n, &h, &ah), 0);
        assert_int_equal(proto_loan_annuity(P, rate, n, &d, &ad), 0);
        assert_true(ad <= ah && ah <= au);
        assert_true(au - ad == 0 || au - ad == unit);
        /* The installment is above the equal part P/n and at least the interest P*r. */
        assert_true(au >= P / n);
        assert_int_equal(proto_loan_muldiv(P, rate, 12000000, &d, &ah), 0);
        assert_true(au >= ah);
    }
}

/*
 * The effective rate of a flat rate. Values checked against an independent exact-rational
 * bisection. For one period the rates coincide; for more, the effective rate lies in
 * [flat, 2 * flat) and grows with the flat rate.
 */
static void test_effective(void **state)
{
    static const struct {
        uint32_t flat, n, eff;
    } known[] = {
        {180000, 12, 317164},
        {180000, 2, 239213},
        {180000, 360, 212954},
        {120000, 24, 215712},
        {1, 12, 2},
        {1, 2, 1},
        {100, 2, 133},
        {100, 12, 185},
        {PROTO_LOAN_RATE_MAX, 360, 10033333},
        {PROTO_LOAN_RATE_MAX, 2, 12000000},
    };
    static const uint32_t ns[] = {2, 3, 12, 60, 360};
    uint32_t e, prev;

    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_int_equal(proto_loan_flat_effective(known[i].flat, known[i].n, &e), 0);
        assert_int_equal(e, known[i].eff);
    }
    for (uint32_t f = 0; f <= PROTO_LOAN_RATE_MAX; f += f < 1000 ? 97 : 199999) {
        assert_int_equal(proto_loan_flat_effective(f, 1, &e), 0);
        assert_int_equal(e, f);
    }
    assert_int_equal(proto_loan_flat_effective(PROTO_LOAN_RATE_MAX, 1, &e), 0);
    assert_int_equal(e, PROTO_LOAN_RATE_MAX);
    assert_int_equal(proto_loan_flat_effective(0, 12, &e), 0);
    assert_int_equal(e, 0);

    /* Monotone in the flat rate, within the bounds. */
    for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
        prev = 0;
        for (uint32_t f = 0; f <= PROTO_LOAN_RATE_MAX; f += f < 2000 ? 111 : 249989) {
            assert_int_equal(proto_loan_flat_effective(f, ns[j], &e), 0);
            assert_true(e >= prev);
            assert_true(e >= f);
            assert_true(e < PROTO_LOAN_EFF_MAX);
            if (f > 0)
                assert_true(e < 2 * f);
            if (f >= 100)
                assert_true(e > f);
            prev = e;
        }
    }

    /*
     * The effective rate recovers the flat installment T = P/n + P * flat / 12,000,000. With the
     * exact root x and e = round(x): e - 1 < x < e + 1, and the annuity grows with the rate, so
     * floor(A(e - 1)) <= floor(T) and ceil(A(e + 1)) >= ceil(T). With large principals one ppm
     * moves A by many rupiah, so this pins e down.
     */
    {
        static const uint64_t ps[] = {12000000ULL, 1000000000000ULL, 1000000000000000ULL};
        static const uint32_t fs[] = {120000, 180000, 360000};
        static const uint32_t ms[] = {6, 12, 36};
        struct proto_loan_rounding d = rnd(DOWN, 1), u = rnd(UP, 1), h = rnd(HALF, 1);

        for (size_t a = 0; a < 3; a++)
            for (size_t b = 0; b < 3; b++)
                for (size_t c = 0; c < 3; c++) {
                    uint64_t p = ps[a], tf, tc, lo, hi;
                    uint32_t f = fs[b], n = ms[c];

                    assert_int_equal(proto_loan_flat_effective(f, n, &e), 0);
                    assert_int_equal(proto_loan_muldiv(p, 12000000ULL + (uint64_t)n * f,
                                                       12000000ULL * n, &d, &tf),
                                     0);
                    assert_int_equal(proto_loan_muldiv(p, 12000000ULL + (uint64_t)n * f,
                                                       12000000ULL * n, &u, &tc),
                                     0);
                    assert_int_equal(proto_loan_annuity(p, e - 1, n, &d, &lo), 0);
                    assert_int_equal(proto_loan_annuity(p, e + 1, n, &u, &hi), 0);
                    assert_true(lo <= tf);
                    assert_true(hi >= tc);
                    assert_int_equal(proto_loan_annuity(p, e, n, &h, &lo), 0);
                    assert_true(lo >= tf - p / 1000000 - 1 && lo <= tc + p / 1000000 + 1);
                }
    }

    /*
     * KOPERASI.md's loan at its effective rate: the annuity installment is the flat one,
     * 1,180,000 (exactly 1,180,000.11), and over the loan the two differ by Rp3.
     */
    assert_int_equal(proto_loan_flat_effective(180000, 12, &e), 0);
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 12000000, e, 12, HALF, 1), 0);
    assert_int_equal(g_s.installment, 1180000);
    assert_int_equal(g_s.sum_total, 14160003);
    assert_int_equal(build(PROTO_LOAN_FLAT, 12000000, 180000, 12, HALF, 1), 0);
    assert_int_equal(g_s.sum_total, 14160000);
}

/* EAR = (1 + rate/12)^12 - 1: 1 % a month compounds to 12.6825 %, 18 % to 19.5618 %. */
static void test_ear(void **state)
{
    uint64_t v, prev = 0;

    (void)state;
    assert_int_equal(proto_loan_rate_ear(0, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(proto_loan_rate_ear(1, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(proto_loan_rate_ear(120000, &v), 0);
    assert_int_equal(v, 126825);
    assert_int_equal(proto_loan_rate_ear(180000, &v), 0);
    assert_int_equal(v, 195618);
    /* (1 + 20/12)^12 - 1 = (8/3)^12 - 1 = 129,305.819186... */
    assert_int_equal(proto_loan_rate_ear(PROTO_LOAN_EFF_MAX, &v), 0);
    assert_int_equal(v, 129306819186ULL);
    for (uint32_t r = 0; r <= PROTO_LOAN_EFF_MAX; r += 99991) {
        assert_int_equal(proto_loan_rate_ear(r, &v), 0);
        assert_true(v >= r && v >= prev);
        prev = v;
    }
}

static void alloc_is(const struct proto_loan_alloc *a, uint64_t pen, uint64_t in, uint64_t pr,
                     uint64_t ex)
{
    assert_int_equal(a->penalty, pen);
    assert_int_equal(a->interest, in);
    assert_int_equal(a->principal, pr);
    assert_int_equal(a->excess, ex);
}

/* Denda first, then interest, then principal; anything beyond is excess. */
static void test_allocate(void **state)
{
    struct proto_loan_due due = {11800, 180000, 1000000};
    struct proto_loan_alloc a;

    (void)state;
    assert_int_equal(proto_loan_allocate(&due, 0, &a), 0);
    alloc_is(&a, 0, 0, 0, 0);
    assert_int_equal(proto_loan_allocate(&due, 5000, &a), 0);
    alloc_is(&a, 5000, 0, 0, 0);
    assert_int_equal(proto_loan_allocate(&due, 11800, &a), 0);
    alloc_is(&a, 11800, 0, 0, 0);
    assert_int_equal(proto_loan_allocate(&due, 100000, &a), 0);
    alloc_is(&a, 11800, 88200, 0, 0);
    assert_int_equal(proto_loan_allocate(&due, 191800, &a), 0);
    alloc_is(&a, 11800, 180000, 0, 0);
    assert_int_equal(proto_loan_allocate(&due, 500000, &a), 0);
    alloc_is(&a, 11800, 180000, 308200, 0);
    assert_int_equal(proto_loan_allocate(&due, 1191800, &a), 0);
    alloc_is(&a, 11800, 180000, 1000000, 0);
    assert_int_equal(proto_loan_allocate(&due, 1200000, &a), 0);
    alloc_is(&a, 11800, 180000, 1000000, 8200);

    /* Nothing due: all excess. Only principal due: straight to it. */
    due = (struct proto_loan_due){0, 0, 0};
    assert_int_equal(proto_loan_allocate(&due, 500, &a), 0);
    alloc_is(&a, 0, 0, 0, 500);
    due = (struct proto_loan_due){0, 0, MAXA};
    assert_int_equal(proto_loan_allocate(&due, MAXA, &a), 0);
    alloc_is(&a, 0, 0, MAXA, 0);
    due = (struct proto_loan_due){MAXA, MAXA, MAXA};
    assert_int_equal(proto_loan_allocate(&due, MAXA, &a), 0);
    alloc_is(&a, MAXA, 0, 0, 0);

    for (int i = 0; i < 5000; i++) {
        uint64_t pay = rng_range(0, 3000000);

        due = (struct proto_loan_due){rng_range(0, 50000), rng_range(0, 500000),
                                      rng_range(0, 2000000)};
        assert_int_equal(proto_loan_allocate(&due, pay, &a), 0);
        assert_int_equal(a.penalty + a.interest + a.principal + a.excess, pay);
        assert_true(a.penalty <= due.penalty && a.interest <= due.interest &&
                    a.principal <= due.principal);
        /* A later part gets money only when every earlier part is settled. */
        assert_true(a.interest == 0 || a.penalty == due.penalty);
        assert_true(a.principal == 0 || a.interest == due.interest);
        assert_true(a.excess == 0 || a.principal == due.principal);
    }
}

/* OJK's five classes (KOPERASI.md 3.3), with illustrative rates. */
static const struct proto_loan_buckets g_ojk = {
    5,
    {{0, 0, 5000},
     {1, 90, 30000},
     {91, 120, 100000},
     {121, 180, 500000},
     {181, PROTO_LOAN_DAYS_OPEN, 1000000}},
};

/* The four koperasi classes at 0.5 / 10 / 50 / 100 % (the day ranges are illustrative). */
static const struct proto_loan_buckets g_kop = {
    4,
    {{0, 0, 5000}, {1, 90, 100000}, {91, 180, 500000}, {181, PROTO_LOAN_DAYS_OPEN, 1000000}},
};

static void test_buckets(void **state)
{
    static const struct {
        uint32_t days, index;
    } find[] = {{0, 0},   {1, 1},   {45, 1},  {90, 1},  {91, 2},
                {120, 2}, {121, 3}, {180, 3}, {181, 4}, {UINT32_MAX, 4}};
    struct proto_loan_buckets b;
    uint32_t idx;

    (void)state;
    assert_int_equal(proto_loan_buckets_check(&g_ojk), 0);
    assert_int_equal(proto_loan_buckets_check(&g_kop), 0);
    for (size_t i = 0; i < sizeof find / sizeof find[0]; i++) {
        assert_int_equal(proto_loan_bucket_find(&g_ojk, find[i].days, &idx), 0);
        assert_int_equal(idx, find[i].index);
    }
    assert_int_equal(proto_loan_bucket_find(&g_kop, 100, &idx), 0);
    assert_int_equal(idx, 2);

    /* One open bucket is a complete table. */
    b = (struct proto_loan_buckets){1, {{0, PROTO_LOAN_DAYS_OPEN, 0}}};
    assert_int_equal(proto_loan_buckets_check(&b), 0);
    assert_int_equal(proto_loan_bucket_find(&b, 12345, &idx), 0);
    assert_int_equal(idx, 0);
    /* And the largest table. */
    memset(&b, 0, sizeof b);
    b.n = PROTO_LOAN_BUCKETS_MAX;
    for (uint32_t i = 0; i < b.n; i++)
        b.b[i] = (struct proto_loan_bucket){i * 10, i * 10 + 9, i * 1000};
    b.b[b.n - 1].max_days = PROTO_LOAN_DAYS_OPEN;
    assert_int_equal(proto_loan_buckets_check(&b), 0);

    /* Broken tables: too few or many, not from 0, a gap, an overlap, not open-ended, empty
     * range, rate above 100 %, rates going down, an open bucket that is not the last. */
    b = g_ojk;
    b.n = 0;
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b.n = PROTO_LOAN_BUCKETS_MAX + 1;
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b = (struct proto_loan_buckets){2, {{1, 90, 0}, {91, PROTO_LOAN_DAYS_OPEN, 0}}};
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b.b[0].min_days = 0;
    assert_int_equal(proto_loan_buckets_check(&b), 0);
    b = g_ojk;
    b.b[2].min_days = 92;
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b = g_ojk;
    b.b[2].min_days = 90;
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b = g_ojk;
    b.b[4].max_days = 365;
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b = (struct proto_loan_buckets){3, {{0, 0, 0}, {1, 0, 0}, {1, PROTO_LOAN_DAYS_OPEN, 0}}};
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b = g_ojk;
    b.b[4].ppap_ppm = PROTO_LOAN_PPM + 1;
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b = g_ojk;
    b.b[1].ppap_ppm = 1000;
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b = (struct proto_loan_buckets){2,
                                    {{0, PROTO_LOAN_DAYS_OPEN, 0}, {0, PROTO_LOAN_DAYS_OPEN, 0}}};
    assert_int_equal(proto_loan_buckets_check(&b), -EINVAL);
    b.b[1].min_days = 0;
    assert_int_equal(proto_loan_bucket_find(&b, 0, &idx), -EINVAL);
}

/*
 * KOPERASI.md 3.3: Lancar 800 jt, KL 60 jt, D 30 jt, M 10 jt at 0.5 / 10 / 50 / 100 % give
 * PPAPWD 4 + 6 + 15 + 10 = Rp35 jt; bermasalah (KL + D + M) / total = 100 / 900 = 11.1 %.
 */
static void test_ppap(void **state)
{
    static const uint64_t bal[4] = {800000000, 60000000, 30000000, 10000000};
    static const uint64_t want[4] = {4000000, 6000000, 15000000, 10000000};
    struct proto_loan_rounding r = rnd(HALF, 1);
    uint64_t v, sum = 0, ratio;

    (void)state;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(proto_loan_ppap(bal[i], g_kop.b[i].ppap_ppm, &r, &v), 0);
        assert_int_equal(v, want[i]);
        sum += v;
    }
    assert_int_equal(sum, 35000000);
    /* The ratio in ppm, with the same exact arithmetic: 100/900 = 111,111.1 -> 111,111. */
    assert_int_equal(proto_loan_muldiv(100000000, PROTO_LOAN_PPM, 900000000, &r, &ratio), 0);
    assert_int_equal(ratio, 111111);

    /* 1,234,567 * 0.5 % = 6,172.835: half up 6,173, down 6,172, up to Rp1,000 7,000. */
    assert_int_equal(proto_loan_ppap(1234567, 5000, &r, &v), 0);
    assert_int_equal(v, 6173);
    r = rnd(DOWN, 1);
    assert_int_equal(proto_loan_ppap(1234567, 5000, &r, &v), 0);
    assert_int_equal(v, 6172);
    r = rnd(UP, 1000);
    assert_int_equal(proto_loan_ppap(1234567, 5000, &r, &v), 0);
    assert_int_equal(v, 7000);
    assert_int_equal(proto_loan_ppap(0, 1000000, &r, &v), 0);
    assert_int_equal(v, 0);
    r = rnd(HALF, 1);
    assert_int_equal(proto_loan_ppap(MAXA, PROTO_LOAN_PPM, &r, &v), 0);
    assert_int_equal(v, MAXA);
}

static void status_is(const struct proto_loan_status *st, uint64_t paid, uint64_t outstanding,
                      uint64_t arr_p, uint64_t arr_i, uint32_t overdue, uint32_t next, uint32_t dpd,
                      uint32_t bucket, uint64_t ppap)
{
    assert_int_equal(st->paid, paid);
    assert_int_equal(st->outstanding, outstanding);
    assert_int_equal(st->arrears_principal, arr_p);
    assert_int_equal(st->arrears_interest, arr_i);
    assert_int_equal(st->arrears, arr_p + arr_i);
    assert_int_equal(st->overdue, overdue);
    assert_int_equal(st->next_period, next);
    assert_int_equal(st->days_past_due, dpd);
    assert_int_equal(st->bucket, bucket);
    assert_int_equal(st->ppap, ppap);
}

/*
 * KOPERASI.md's flat loan (1,180,000 a month: 1,000,000 principal + 180,000 interest),
 * disbursed 2024-01-31, so due on 2024-02-29, 03-31, 04-30, 05-31, ... 2025-01-31. Payments:
 * 1,180,000 on 02-29 and on 03-30, 500,000 on 05-10, 9,999 on 07-01. OJK buckets.
 */
static void test_status(void **state)
{
    struct proto_loan_payment pay[4] = {{0, 1180000}, {0, 1180000}, {0, 500000}, {0, 9999}};
    struct proto_loan_payment rev[4], bad[2];
    struct proto_loan_rounding r = rnd(HALF, 1);
    struct proto_loan_status st, st2;

    (void)state;
    pay[0].day = day(20240229);
    pay[1].day = day(20240330);
    pay[2].day = day(20240510);
    pay[3].day = day(20240701);
    assert_int_equal(build(PROTO_LOAN_FLAT, 12000000, 180000, 12, HALF, 1), 0);

    /* On the day of disbursement: nothing due, 0.5 % of 12,000,000 = 60,000. */
    assert_int_equal(proto_loan_status_compute(&g_s, NULL, 0, day(20240131), &g_ojk, &r, &st), 0);
    status_is(&st, 0, 12000000, 0, 0, 0, 1, 0, 0, 60000);
    assert_int_equal(st.excess, 0);

    /* 2024-04-30, installment 3's due date: two paid, the third due today is not late. */
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240430), &g_ojk, &r, &st), 0);
    status_is(&st, 2360000, 10000000, 0, 0, 0, 3, 0, 0, 50000);

    /* The next day it is 1 day past due: Kol-2, 3 % of 10,000,000 = 300,000. */
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240501), &g_ojk, &r, &st), 0);
    status_is(&st, 2360000, 10000000, 1000000, 180000, 1, 3, 1, 1, 300000);

    /*
     * 2024-06-15: 2,860,000 paid. 500,000 went to installment 3: its interest 180,000 first,
     * then 320,000 of its principal. Outstanding 12,000,000 - 2,000,000 - 320,000 = 9,680,000.
     * Past due: installment 3 (680,000 principal) and 4 (due 05-31: 1,000,000 + 180,000).
     * Days past due: 04-30 -> 06-15 = 1 + 31 + 14 = 46. PPAP 3 % of 9,680,000 = 290,400.
     */
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, &st), 0);
    status_is(&st, 2860000, 9680000, 1680000, 180000, 2, 3, 46, 1, 290400);
    /* The order of the payments does not matter. */
    for (int i = 0; i < 4; i++)
        rev[i] = pay[3 - i];
    assert_int_equal(proto_loan_status_compute(&g_s, rev, 4, day(20240615), &g_ojk, &r, &st2), 0);
    assert_memory_equal(&st, &st2, sizeof st);

    /*
     * 2025-12-31, every installment past due; all four payments count (2,869,999), so
     * installment 3 has 329,999 of its principal. Outstanding 12,000,000 - 2,329,999 =
     * 9,670,001, all of it in arrears with interest of installments 4..12 (9 * 180,000).
     * Days past due: 2024-04-30 (day 19843) to 2025-12-31 (day 20453) = 610: macet, 100 %.
     */
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20251231), &g_ojk, &r, &st), 0);
    status_is(&st, 2869999, 9670001, 9670001, 1620000, 10, 3, 610, 4, 9670001);
    assert_int_equal(st.arrears, 14160000 - 2869999);

    /* A partial payment settles interest before principal: 100,000 of installment 1's. */
    bad[0] = (struct proto_loan_payment){day(20240229), 100000};
    assert_int_equal(proto_loan_status_compute(&g_s, bad, 1, day(20240301), &g_ojk, &r, &st), 0);
    status_is(&st, 100000, 12000000, 1000000, 80000, 1, 1, 1, 1, 360000);

    /* Paying ahead: 2,360,000 on 02-01 settles installments 1 and 2. */
    bad[0] = (struct proto_loan_payment){day(20240201), 2360000};
    assert_int_equal(proto_loan_status_compute(&g_s, bad, 1, day(20240201), &g_ojk, &r, &st), 0);
    status_is(&st, 2360000, 10000000, 0, 0, 0, 3, 0, 0, 50000);

    /* Overpaid: everything (14,160,000) plus 1,000. */
    bad[0] = (struct proto_loan_payment){day(20240301), 14161000};
    assert_int_equal(proto_loan_status_compute(&g_s, bad, 1, day(20260101), &g_ojk, &r, &st), 0);
    status_is(&st, 14161000, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(st.excess, 1000);

    /* Errors; the result is zeroed. */
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, NULL),
                     -EINVAL);
    assert_int_equal(proto_loan_status_compute(NULL, pay, 4, day(20240615), &g_ojk, &r, &st),
                     -EINVAL);
    assert_true(all_zero(&st, sizeof st));
    assert_int_equal(proto_loan_status_compute(&g_s, NULL, 1, day(20240615), &g_ojk, &r, &st),
                     -EINVAL);
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), NULL, &r, &st),
                     -EINVAL);
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, NULL, &st),
                     -EINVAL);
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, PROTO_DAY_MAX + 1, &g_ojk, &r, &st),
                     ERR_DATE);
    bad[0] = (struct proto_loan_payment){PROTO_DAY_MIN - 1, 1};
    assert_int_equal(proto_loan_status_compute(&g_s, bad, 1, day(20240615), &g_ojk, &r, &st),
                     ERR_DATE);
    bad[0] = (struct proto_loan_payment){day(20240201), MAXA + 1};
    assert_int_equal(proto_loan_status_compute(&g_s, bad, 1, day(20240615), &g_ojk, &r, &st),
                     ERR_AMOUNT);
    bad[0] = (struct proto_loan_payment){day(20240201), MAXA};
    bad[1] = (struct proto_loan_payment){day(20240202), 1};
    assert_int_equal(proto_loan_status_compute(&g_s, bad, 2, day(20240615), &g_ojk, &r, &st),
                     -EOVERFLOW);
    assert_true(all_zero(&st, sizeof st));
    /* The second one is after as_of, so it does not count. */
    assert_int_equal(proto_loan_status_compute(&g_s, bad, 2, day(20240201), &g_ojk, &r, &st), 0);
    assert_int_equal(st.excess, MAXA - 14160000);
    /* Hand-made schedules that do not add up are refused, not computed with. */
    g_s.inst[0].principal += 1;
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, &st),
                     -EINVAL);
    g_s.inst[0].total += 1;
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, &st),
                     -EINVAL);
    g_s.inst[1].principal -= 1;
    g_s.inst[1].total -= 1;
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, &st), 0);
    g_s.inst[0].principal = MAXA;
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, &st),
                     -EINVAL);
    assert_int_equal(build(PROTO_LOAN_FLAT, 12000000, 180000, 12, HALF, 1), 0);
    g_s.n = 11; /* not what the terms say */
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, &st),
                     -EINVAL);
    memset(&g_s, 0, sizeof g_s);
    assert_int_equal(proto_loan_status_compute(&g_s, pay, 4, day(20240615), &g_ojk, &r, &st),
                     -EINVAL);
}

/* Late fees per day and per period. */
static void test_late_fee(void **state)
{
    struct proto_loan_late_rule rule = {PROTO_LOAN_LATE_PER_DAY, 1000, {HALF, 100}};
    int32_t due = day(20240131);
    uint32_t u;
    uint64_t fee;

    (void)state;
    /* Days: none on or before the due date. */
    assert_int_equal(proto_loan_late_units(PROTO_LOAN_LATE_PER_DAY, due, due - 5, &u), 0);
    assert_int_equal(u, 0);
    assert_int_equal(proto_loan_late_units(PROTO_LOAN_LATE_PER_DAY, due, due, &u), 0);
    assert_int_equal(u, 0);
    assert_int_equal(proto_loan_late_units(PROTO_LOAN_LATE_PER_DAY, due, due + 1, &u), 0);
    assert_int_equal(u, 1);
    assert_int_equal(proto_loan_late_units(PROTO_LOAN_LATE_PER_DAY, due, due + 10, &u), 0);
    assert_int_equal(u, 10);

    /*
     * Periods from a due date of 2024-01-31: one from 02-01 up to 02-29 (the same day a month
     * later, clamped), two from 03-01 up to 03-31, three from 04-01.
     */
    {
        static const struct {
            uint32_t as_of, units;
        } per[] = {{20240131, 0}, {20240201, 1}, {20240229, 1},  {20240301, 2},
                   {20240331, 2}, {20240401, 3}, {20250131, 12}, {20250201, 13}};

        for (size_t i = 0; i < sizeof per / sizeof per[0]; i++) {
            assert_int_equal(
                proto_loan_late_units(PROTO_LOAN_LATE_PER_PERIOD, due, day(per[i].as_of), &u), 0);
            assert_int_equal(u, per[i].units);
        }
    }
    assert_int_equal(
        proto_loan_late_units(PROTO_LOAN_LATE_PER_PERIOD, day(20240115), day(20240215), &u), 0);
    assert_int_equal(u, 1);
    assert_int_equal(
        proto_loan_late_units(PROTO_LOAN_LATE_PER_PERIOD, day(20240115), day(20240216), &u), 0);
    assert_int_equal(u, 2);
    /* The whole calendar: 1900-01-01 + k months for k = 0..97,199 is before 9999-12-31. */
    assert_int_equal(
        proto_loan_late_units(PROTO_LOAN_LATE_PER_PERIOD, PROTO_DAY_MIN, PROTO_DAY_MAX, &u), 0);
    assert_int_equal(u, 97200);
    assert_int_equal(proto_loan_late_units(0, due, due + 1, &u), -EINVAL);
    assert_int_equal(proto_loan_late_units(3, due, due + 1, &u), -EINVAL);
    assert_int_equal(proto_loan_late_units(PROTO_LOAN_LATE_PER_DAY, PROTO_DAY_MAX + 1, 0, &u),
                     ERR_DATE);
    assert_int_equal(proto_loan_late_units(PROTO_LOAN_LATE_PER_DAY, 0, PROTO_DAY_MIN - 1, &u),
                     ERR_DATE);

    /* 1,180,000 * 0.1 % * 7 days = 8,260: to Rp100 half up 8,300, down 8,200, up 8,300. */
    assert_int_equal(proto_loan_late_fee(&rule, 1180000, due, due + 7, &fee), 0);
    assert_int_equal(fee, 8300);
    rule.round.mode = DOWN;
    assert_int_equal(proto_loan_late_fee(&rule, 1180000, due, due + 7, &fee), 0);
    assert_int_equal(fee, 8200);
    rule.round.mode = UP;
    assert_int_equal(proto_loan_late_fee(&rule, 1180000, due, due + 7, &fee), 0);
    assert_int_equal(fee, 8300);
    assert_int_equal(proto_loan_late_fee(&rule, 1180000, due, due, &fee), 0);
    assert_int_equal(fee, 0);

    /* Per period at 2 %: on 2024-03-01, two periods: 1,180,000 * 0.02 * 2 = 47,200. */
    rule = (struct proto_loan_late_rule){PROTO_LOAN_LATE_PER_PERIOD, 20000, {HALF, 1}};
    assert_int_equal(proto_loan_late_fee(&rule, 1180000, due, day(20240301), &fee), 0);
    assert_int_equal(fee, 47200);

    /* Limits: 100 % a day on the largest amount fits for one day, not two. */
    rule = (struct proto_loan_late_rule){PROTO_LOAN_LATE_PER_DAY, PROTO_LOAN_LATE_MAX, {HALF, 1}};
    assert_int_equal(proto_loan_late_fee(&rule, MAXA, due, due + 1, &fee), 0);
    assert_int_equal(fee, MAXA);
    assert_int_equal(proto_loan_late_fee(&rule, MAXA, due, due + 2, &fee), -EOVERFLOW);
    assert_int_equal(fee, 0);
    assert_int_equal(proto_loan_late_fee(&rule, MAXA + 1, due, due + 1, &fee), ERR_AMOUNT);
    rule.rate_ppm = PROTO_LOAN_LATE_MAX + 1;
    assert_int_equal(proto_loan_late_fee(&rule, 1, due, due + 1, &fee), -ERANGE);
    rule.rate_ppm = 1;
    rule.basis = 0;
    assert_int_equal(proto_loan_late_fee(&rule, 1, due, due + 1, &fee), -EINVAL);
    rule.basis = PROTO_LOAN_LATE_PER_DAY;
    rule.round.unit = 0;
    assert_int_equal(proto_loan_late_fee(&rule, 1, due, due + 1, &fee), -EINVAL);
    rule.round.unit = 1;
    assert_int_equal(proto_loan_late_fee(&rule, 1, PROTO_DAY_MIN - 1, due, &fee), ERR_DATE);
}

/* Known day numbers, and every day of 1900..9999 against a naive calendar walk. */
static void test_days(void **state)
{
    static const struct {
        uint32_t ymd;
        int32_t day;
    } known[] = {{19700101, 0},     {19691231, -1},    {19000101, PROTO_DAY_MIN}, {20000301, 11017},
                 {20240229, 19782}, {20251231, 20453}, {99991231, PROTO_DAY_MAX}};
    uint32_t y = 1900, m = 1, d = 1, ymd, leapdays = 0;
    int32_t n;

    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_int_equal(proto_day_from_ymd(known[i].ymd, &n), 0);
        assert_int_equal(n, known[i].day);
        assert_int_equal(proto_day_to_ymd(known[i].day, &ymd), 0);
        assert_int_equal(ymd, known[i].ymd);
    }
    for (int32_t day_no = PROTO_DAY_MIN; day_no <= PROTO_DAY_MAX; day_no++) {
        uint32_t want = y * 10000 + m * 100 + d;

        assert_int_equal(proto_day_to_ymd(day_no, &ymd), 0);
        if (ymd != want)
            fail_msg("day %d: %u, want %u", (int)day_no, (unsigned)ymd, (unsigned)want);
        assert_int_equal(proto_day_from_ymd(want, &n), 0);
        if (n != day_no)
            fail_msg("%u: day %d, want %d", (unsigned)want, (int)n, (int)day_no);
        if (m == 2 && d == 29)
            leapdays++;
        /* The naive next day. */
        d++;
        if (!proto_date_valid(y * 10000 + m * 100 + d)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 10000);
    assert_int_equal(leapdays, 1964); /* 2425 years / 4, less 81 non-leap centuries */

    /* Outside the calendar, and invalid dates. */
    assert_int_equal(proto_day_to_ymd(PROTO_DAY_MIN - 1, &ymd), ERR_DATE);
    assert_int_equal(ymd, 0);
    assert_int_equal(proto_day_to_ymd(PROTO_DAY_MAX + 1, &ymd), ERR_DATE);
    assert_int_equal(proto_day_to_ymd(INT32_MIN, &ymd), ERR_DATE);
    assert_int_equal(proto_day_to_ymd(INT32_MAX, &ymd), ERR_DATE);
    {
        static const uint32_t badymd[] = {20230229, 19000229, 21000229, 18991231, 100000101,
                                          20241301, 20240100, 20240431, 0};

        for (size_t i = 0; i < sizeof badymd / sizeof badymd[0]; i++)
            assert_int_equal(proto_day_from_ymd(badymd[i], &n), ERR_DATE);
    }
    assert_int_equal(proto_day_from_ymd(20000229, &n), 0); /* 2000 is a leap year */
}

static void test_day_strings(void **state)
{
    static const char *bad[] = {
        "2023-02-29",  "2024-2-29",  "2024-02-29 ", "2024/02/29",   "",
        "2024-02-2",   "+024-02-29", "20240229",    "2024-02-29\n", "1899-12-31",
        "10000-01-01", "2024-13-01", "2024-00-10",  "2024-01-32",   "2024-01-1a",
        "2024--01-01"};
    char buf[PROTO_DAY_STRLEN];
    int32_t n;

    (void)state;
    assert_int_equal(proto_day_parse("2024-02-29", &n), 0);
    assert_int_equal(n, 19782);
    assert_int_equal(proto_day_format(n, buf), 0);
    assert_string_equal(buf, "2024-02-29");
    assert_int_equal(proto_day_format(PROTO_DAY_MIN, buf), 0);
    assert_string_equal(buf, "1900-01-01");
    assert_int_equal(proto_day_format(PROTO_DAY_MAX, buf), 0);
    assert_string_equal(buf, "9999-12-31");
    assert_int_equal(proto_day_format(0, buf), 0);
    assert_string_equal(buf, "1970-01-01");
    assert_int_equal(proto_day_format(PROTO_DAY_MAX + 1, buf), ERR_DATE);
    assert_string_equal(buf, "");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = 1;
        assert_int_equal(proto_day_parse(bad[i], &n), ERR_DATE);
        assert_int_equal(n, 0);
    }
    /* Round trips through the text form, across the calendar. */
    for (int32_t d = PROTO_DAY_MIN; d <= PROTO_DAY_MAX; d += 997) {
        assert_int_equal(proto_day_format(d, buf), 0);
        assert_int_equal(strlen(buf), 10);
        assert_int_equal(proto_day_parse(buf, &n), 0);
        assert_int_equal(n, d);
    }
}

/* Same day next month, clamped to the month's end, always counted from the start date. */
static void test_add_months(void **state)
{
    static const struct {
        uint32_t from, months, to;
    } cases[] = {
        {20240131, 0, 20240131},  {20240131, 1, 20240229},  {20230131, 1, 20230228},
        {20240131, 2, 20240331},  {20240131, 3, 20240430},  {20240131, 13, 20250228},
        {20240229, 12, 20250228}, {20240229, 48, 20280229}, {20240330, 1, 20240430},
        {20241215, 1, 20250115},  {20241231, 2, 20250228},  {19000131, 1, 19000228},
        {20000131, 1, 20000229},  {99991101, 1, 99991201},  {19000101, 1199, 19991201},
        {20240430, 1, 20240530},  {20240229, 1, 20240329},  {20240130, 1, 20240229},
        {20240130, 2, 20240330},
    };
    static const uint32_t due2024[13] = {20240229, 20240331, 20240430, 20240531, 20240630,
                                         20240731, 20240831, 20240930, 20241031, 20241130,
                                         20241231, 20250131, 20250228};
    int32_t n;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(proto_day_add_months(day(cases[i].from), cases[i].months, &n), 0);
        assert_int_equal(n, day(cases[i].to));
    }
    assert_int_equal(proto_day_add_months(day(99991201), 1, &n), ERR_DATE);
    assert_int_equal(n, 0);
    assert_int_equal(proto_day_add_months(PROTO_DAY_MIN, UINT32_MAX, &n), ERR_DATE);
    assert_int_equal(proto_day_add_months(PROTO_DAY_MIN, 12u * 8100u - 1, &n), 0);
    assert_int_equal(n, day(99991201));
    assert_int_equal(proto_day_add_months(PROTO_DAY_MAX + 1, 0, &n), ERR_DATE);

    /* A schedule's due dates follow the rule, from 2024-01-31. */
    assert_int_equal(build(PROTO_LOAN_ANNUITY, 13000000, 180000, 13, HALF, 1), 0);
    for (int k = 0; k < 13; k++)
        assert_int_equal(g_s.inst[k].due, day(due2024[k]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_muldiv),
        cmocka_unit_test(test_flat_example),
        cmocka_unit_test(test_declining_example),
        cmocka_unit_test(test_annuity_example),
        cmocka_unit_test(test_koperasi_example),
        cmocka_unit_test(test_annuity_exact),
        cmocka_unit_test(test_annuity_golden),
        cmocka_unit_test(test_one_period),
        cmocka_unit_test(test_360_periods),
        cmocka_unit_test(test_rate_zero),
        cmocka_unit_test(test_clamping),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_invariants_random),
        cmocka_unit_test(test_annuity_modes),
        cmocka_unit_test(test_effective),
        cmocka_unit_test(test_ear),
        cmocka_unit_test(test_allocate),
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_ppap),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_late_fee),
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_day_strings),
        cmocka_unit_test(test_add_months),
    };

    return cmocka_run_group_tests_name("proto_loan", tests, NULL, NULL);
}
