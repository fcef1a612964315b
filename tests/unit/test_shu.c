/*
 * Unit tests for proto/shu: NULL and invalid arguments first, then every rule of the allocation
 * table broken in turn (each with its ERR_RULE detail), hand-computed worked examples of the
 * table split and of the per-member shares with the arithmetic written out (including
 * KOPERASI.md 5.3's own example), the edges (SHU 0, a loss, INT64_MAX, no measures, a million
 * members), and property tests on seeded random inputs against an independent oracle: exact
 * 128-bit floors and a sort-based largest-remainder allocation. The invariants: parts add up to
 * the SHU, shares plus residual equal the pool, the residual is below the number of members with
 * a measure, zero measures get zero, larger measures never get less, same input same output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/err.h"
#include "proto/shu.h"

#ifndef __SIZEOF_INT128__
#error "test_shu's oracle needs unsigned __int128 (proto/shu.c itself does not)"
#endif
__extension__ typedef unsigned __int128 u128;

#define OTHER PROTO_SHU_ROLE_OTHER
#define MODAL PROTO_SHU_ROLE_MODAL
#define USAHA PROTO_SHU_ROLE_USAHA
#define RES   PROTO_SHU_RESIDUAL
#define LR    PROTO_SHU_LARGEST_REMAINDER

/* A value no correct function leaves in an out-parameter, to see that failures zero them. */
#define JUNK ((int64_t)0x5a5a5a5a5a5a5a5a)

/*
 * The typical table of the worked example: cadangan 40 %, jasa modal 20 %, jasa usaha 25 %,
 * pengurus 5 %, karyawan 5 %, pendidikan 2.5 %, sosial 2.5 % (= 100 %).
 */
static const struct proto_shu_table g_typical = {
    7,
    {
        {"Cadangan", OTHER, 400000},
        {"Jasa modal", MODAL, 200000},
        {"Jasa usaha", USAHA, 250000},
        {"Dana pengurus", OTHER, 50000},
        {"Dana karyawan", OTHER, 50000},
        {"Dana pendidikan", OTHER, 25000},
        {"Dana sosial", OTHER, 25000},
    },
};

/* KOPERASI.md 5.3's worked example: 35/20/25/5/5/5/2.5/2.5. */
static const struct proto_shu_table g_koperasi = {
    8,
    {
        {"Cadangan", OTHER, 350000},
        {"Jasa modal", MODAL, 200000},
        {"Jasa usaha", USAHA, 250000},
        {"Dana pengurus dan pengawas", OTHER, 50000},
        {"Dana karyawan", OTHER, 50000},
        {"Dana pendidikan", OTHER, 50000},
        {"Dana sosial", OTHER, 25000},
        {"Dana pembangunan daerah kerja", OTHER, 25000},
    },
};

/* splitmix64: a fixed seed makes every random test reproducible. */
static uint64_t g_rng;

static uint64_t rnd(void)
{
    uint64_t z = (g_rng += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in 0..max (max < 2^64 - 1), without modulo bias mattering for these tests. */
static uint64_t rnd_upto(uint64_t max)
{
    return max == UINT64_MAX ? rnd() : rnd() % (max + 1);
}

/* An amount of a random magnitude: 0, tiny, rupiah-sized, up to INT64_MAX. */
static int64_t rnd_amount(int64_t max)
{
    switch (rnd() % 6) {
    case 0:
        return (int64_t)rnd_upto(max < 3 ? (uint64_t)max : 3);
    case 1:
        return (int64_t)rnd_upto(max < 1000 ? (uint64_t)max : 1000);
    case 2:
        return (int64_t)rnd_upto(max < 1000000000000 ? (uint64_t)max : 1000000000000);
    case 3:
        return max - (int64_t)rnd_upto(max < 1000 ? (uint64_t)max : 1000);
    default:
        return (int64_t)rnd_upto((uint64_t)max);
    }
}

static void fill(int64_t *a, size_t n, int64_t v)
{
    for (size_t i = 0; i < n; i++)
        a[i] = v;
}

static int64_t sum(const int64_t *a, size_t n)
{
    int64_t s = 0;

    for (size_t i = 0; i < n; i++)
        s += a[i];
    return s;
}

/*
 * The oracle: floor(pool * w_i / total) and remainders with plain unsigned __int128, then the
 * leftover by sorting the members with a measure by (remainder descending, index ascending).
 */
struct oracle_key {
    uint64_t rem;
    size_t idx;
};

static int oracle_cmp(const void *a, const void *b)
{
    const struct oracle_key *x = a, *y = b;

    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Fills want[] and returns the residual of the floors (the leftover before any bump). */
static int64_t oracle(int64_t pool, const int64_t *w, size_t n, bool lr, int64_t *want)
{
    struct oracle_key *k;
    u128 total = 0;
    int64_t paid = 0, left;
    size_t nk = 0;

    for (size_t i = 0; i < n; i++)
        total += (u128)w[i];
    if (total == 0) {
        fill(want, n, 0);
        return pool;
    }
    k = malloc((n ? n : 1) * sizeof *k);
    assert_non_null(k);
    for (size_t i = 0; i < n; i++) {
        u128 p = (u128)pool * (u128)w[i];

        want[i] = (int64_t)(p / total);
        paid += want[i];
        if (w[i] > 0)
            k[nk++] = (struct oracle_key){(uint64_t)(p % total), i};
    }
    left = pool - paid;
    if (lr) {
        qsort(k, nk, sizeof *k, oracle_cmp);
        assert_true((size_t)left <= nk);
        for (int64_t j = 0; j < left; j++)
            want[k[j].idx]++;
    }
    free(k);
    return left;
}

/* ---- arguments ---- */

static void test_null_args(void **state)
{
    struct proto_shu_problem why;
    struct proto_shu_pool pr;
    struct proto_shu_result res;
    int64_t amount[PROTO_SHU_PARTS_MAX], m[2] = {1, 2}, s[2];

    (void)state;
    why.kind = 77;
    assert_int_equal(proto_shu_table_check(NULL, &why), -EINVAL);
    assert_int_equal(why.kind, 0);
    assert_int_equal(proto_shu_table_check(NULL, NULL), -EINVAL);
    assert_int_equal(proto_shu_table_check(&g_typical, NULL), 0);
    assert_int_equal(proto_shu_table_find(NULL, MODAL), -EINVAL);
    assert_int_equal(proto_shu_table_find(&g_typical, OTHER), -EINVAL);
    assert_int_equal(proto_shu_table_find(&g_typical, 9), -EINVAL);

    fill(amount, PROTO_SHU_PARTS_MAX, JUNK);
    assert_int_equal(proto_shu_table_split(NULL, 100, amount), -EINVAL);
    for (int i = 0; i < PROTO_SHU_PARTS_MAX; i++)
        assert_int_equal(amount[i], 0);
    assert_int_equal(proto_shu_table_split(&g_typical, 100, NULL), -EINVAL);

    fill(s, 2, JUNK);
    assert_int_equal(proto_shu_pool_split(10, NULL, 2, RES, s, &pr), -EINVAL);
    assert_int_equal(s[0], 0);
    assert_int_equal(s[1], 0);
    assert_int_equal(proto_shu_pool_split(10, m, 2, RES, NULL, &pr), -EINVAL);
    assert_int_equal(pr.pool, 0);
    assert_int_equal(proto_shu_pool_split(10, m, 2, (enum proto_shu_rounding)2, s, &pr), -EINVAL);
    assert_int_equal(proto_shu_pool_split(10, m, 2, (enum proto_shu_rounding)99, s, &pr), -EINVAL);
    /* res is optional. */
    assert_int_equal(proto_shu_pool_split(10, m, 2, RES, s, NULL), 0);
    assert_int_equal(s[0], 3);
    assert_int_equal(s[1], 6);

    assert_int_equal(proto_shu_compute(NULL, 10, m, m, 2, RES, s, s, &res), -EINVAL);
    assert_int_equal(proto_shu_compute(&g_typical, 10, m, m, 2, RES, s, s, NULL), -EINVAL);
    assert_int_equal(proto_shu_compute(&g_typical, 10, NULL, m, 2, RES, s, s, &res), -EINVAL);
    assert_int_equal(proto_shu_compute(&g_typical, 10, m, NULL, 2, RES, s, s, &res), -EINVAL);
    assert_int_equal(proto_shu_compute(&g_typical, 10, m, m, 2, RES, NULL, s, &res), -EINVAL);
    assert_int_equal(proto_shu_compute(&g_typical, 10, m, m, 2, RES, s, NULL, &res), -EINVAL);
    assert_int_equal(
        proto_shu_compute(&g_typical, 10, m, m, 2, (enum proto_shu_rounding)5, s, s, &res),
        -EINVAL);
}

/* ---- the allocation table ---- */

/* The table's check must fail with ERR_RULE and exactly this detail. */
static void expect_problem(const struct proto_shu_table *t, int kind, uint32_t part, uint32_t other,
                           uint64_t sum_ppm)
{
    struct proto_shu_problem why;
    int64_t amount[PROTO_SHU_PARTS_MAX];

    memset(&why, 0x5a, sizeof why);
    assert_int_equal(proto_shu_table_check(t, &why), ERR_RULE);
    assert_int_equal(why.kind, kind);
    assert_int_equal(why.part, part);
    assert_int_equal(why.other, other);
    assert_int_equal(why.sum, sum_ppm);
    assert_string_not_equal(proto_shu_problem_str(why.kind), "?");
    /* Every entry point refuses the table the same way. */
    fill(amount, PROTO_SHU_PARTS_MAX, JUNK);
    assert_int_equal(proto_shu_table_split(t, 1000, amount), ERR_RULE);
    for (int i = 0; i < PROTO_SHU_PARTS_MAX; i++)
        assert_int_equal(amount[i], 0);
    /* Even in a loss year the broken table is what gets reported. */
    assert_int_equal(proto_shu_table_split(t, -1000, amount), ERR_RULE);
}

static void test_table_ok(void **state)
{
    struct proto_shu_problem why;
    struct proto_shu_table t;

    (void)state;
    memset(&why, 0x5a, sizeof why);
    assert_int_equal(proto_shu_table_check(&g_typical, &why), 0);
    assert_int_equal(why.kind, PROTO_SHU_TABLE_OK);
    assert_int_equal(why.part, 0);
    assert_int_equal(why.other, 0);
    assert_int_equal(why.sum, 0);
    assert_int_equal(proto_shu_table_check(&g_koperasi, NULL), 0);
    assert_int_equal(proto_shu_table_find(&g_typical, MODAL), 1);
    assert_int_equal(proto_shu_table_find(&g_typical, USAHA), 2);

    /* Both member parts may be 0 %, and one part may hold all of it. */
    memset(&t, 0, sizeof t);
    t.nparts = 3;
    t.parts[0] = (struct proto_shu_part){"Jasa usaha", USAHA, 0};
    t.parts[1] = (struct proto_shu_part){"Cadangan", OTHER, PROTO_SHU_PPM};
    t.parts[2] = (struct proto_shu_part){"Jasa modal", MODAL, 0};
    assert_int_equal(proto_shu_table_check(&t, NULL), 0);
    assert_int_equal(proto_shu_table_find(&t, MODAL), 2);
    assert_int_equal(proto_shu_table_find(&t, USAHA), 0);

    /* Two parts are the minimum; 32 the maximum. */
    t.nparts = 2;
    t.parts[0] = (struct proto_shu_part){"Jasa modal", MODAL, 999999};
    t.parts[1] = (struct proto_shu_part){"Jasa usaha", USAHA, 1};
    assert_int_equal(proto_shu_table_check(&t, NULL), 0);
    t.nparts = PROTO_SHU_PARTS_MAX;
    t.parts[0].ppm = 1000000 - 31 * 10;
    t.parts[1].ppm = 10;
    for (int i = 2; i < PROTO_SHU_PARTS_MAX; i++) {
        snprintf(t.parts[i].name, sizeof t.parts[i].name, "Dana %d", i);
        t.parts[i].role = OTHER;
        t.parts[i].ppm = 10;
    }
    assert_int_equal(proto_shu_table_check(&t, NULL), 0);

    /* Names: UTF-8, inner spaces and punctuation, exactly PROTO_SHU_NAME_MAX bytes. */
    t = g_typical;
    strcpy(t.parts[6].name, "Dana sosial – bencana & duka");
    memset(t.parts[5].name, 'x', PROTO_SHU_NAME_MAX);
    t.parts[5].name[PROTO_SHU_NAME_MAX] = '\0';
    assert_int_equal(proto_shu_table_check(&t, NULL), 0);
}

static void test_table_nparts(void **state)
{
    struct proto_shu_table t = g_typical;

    (void)state;
    t.nparts = 0;
    expect_problem(&t, PROTO_SHU_TABLE_NPARTS, 0, 0, 0);
    t.nparts = PROTO_SHU_PARTS_MAX + 1;
    expect_problem(&t, PROTO_SHU_TABLE_NPARTS, 0, 0, 0);
    t.nparts = UINT32_MAX;
    expect_problem(&t, PROTO_SHU_TABLE_NPARTS, 0, 0, 0);
}

static void test_table_sum(void **state)
{
    struct proto_shu_table t = g_typical;

    (void)state;
    t.parts[6].ppm = 24999; /* 99.9999 % */
    expect_problem(&t, PROTO_SHU_TABLE_SUM, 0, 0, 999999);
    t.parts[6].ppm = 25001; /* 100.0001 % */
    expect_problem(&t, PROTO_SHU_TABLE_SUM, 0, 0, 1000001);
    /* The wiwiwahda0804 blog's 40/40/5/5/5/5/5 = 105 % (KOPERASI.md 5.2), anggota split 20/20. */
    t.nparts = 8;
    t.parts[0].ppm = 400000;
    t.parts[1].ppm = 200000;
    t.parts[2].ppm = 200000;
    for (int i = 3; i < 7; i++)
        t.parts[i].ppm = 50000;
    t.parts[7] = (struct proto_shu_part){"Dana pembangunan daerah kerja", OTHER, 50000};
    expect_problem(&t, PROTO_SHU_TABLE_SUM, 0, 0, 1050000);
    /* All zero. */
    t = g_typical;
    for (int i = 0; i < 7; i++)
        t.parts[i].ppm = 0;
    expect_problem(&t, PROTO_SHU_TABLE_SUM, 0, 0, 0);
}

static void test_table_ppm(void **state)
{
    struct proto_shu_table t = g_typical;

    (void)state;
    t.parts[3].ppm = PROTO_SHU_PPM + 1;
    expect_problem(&t, PROTO_SHU_TABLE_PPM, 3, 0, 0);
    /* Values that would wrap a 32-bit sum are refused one by one, before any sum. */
    t = g_typical;
    t.parts[0].ppm = UINT32_MAX;
    t.parts[1].ppm = UINT32_MAX - 399999;
    expect_problem(&t, PROTO_SHU_TABLE_PPM, 0, 0, 0);
}

static void test_table_names(void **state)
{
    struct proto_shu_table t;

    (void)state;
    t = g_typical;
    t.parts[4].name[0] = '\0';
    expect_problem(&t, PROTO_SHU_TABLE_NAME_EMPTY, 4, 0, 0);

    t = g_typical;
    strcpy(t.parts[5].name, "Dana sosial"); /* exact duplicate of part 6 */
    expect_problem(&t, PROTO_SHU_TABLE_NAME_DUP, 6, 5, 0);
    t = g_typical;
    strcpy(t.parts[6].name, "DANA PENGURUS"); /* part 3 in other case */
    expect_problem(&t, PROTO_SHU_TABLE_NAME_DUP, 6, 3, 0);
    /* Non-ASCII bytes compare exactly: these differ. */
    t = g_typical;
    strcpy(t.parts[5].name, "Dana \xc3\xa9");
    strcpy(t.parts[6].name, "Dana \xc3\x89");
    assert_int_equal(proto_shu_table_check(&t, NULL), 0);

    t = g_typical;
    strcpy(t.parts[2].name, " Jasa usaha");
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    strcpy(t.parts[2].name, "Jasa usaha ");
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    strcpy(t.parts[2].name, " ");
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    strcpy(t.parts[2].name, "Jasa\tusaha");
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    strcpy(t.parts[2].name, "Jasa\nusaha");
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    strcpy(t.parts[2].name, "Jasa\x7fusaha");
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    strcpy(t.parts[2].name, "Jasa \xc3"); /* truncated UTF-8 */
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    strcpy(t.parts[2].name, "Jasa \xc0\xa0"); /* overlong */
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 2, 0, 0);
    /* No NUL within the array. */
    t = g_typical;
    memset(t.parts[1].name, 'a', sizeof t.parts[1].name);
    expect_problem(&t, PROTO_SHU_TABLE_NAME_BAD, 1, 0, 0);

    /* The first broken part is reported, whatever else is wrong after it. */
    t = g_typical;
    t.parts[1].name[0] = '\0';
    t.parts[3].ppm = 2000000;
    t.parts[5].role = 9;
    expect_problem(&t, PROTO_SHU_TABLE_NAME_EMPTY, 1, 0, 0);
}

static void test_table_roles(void **state)
{
    struct proto_shu_table t;

    (void)state;
    t = g_typical;
    t.parts[3].role = 3;
    expect_problem(&t, PROTO_SHU_TABLE_ROLE, 3, 0, 0);
    t.parts[3].role = 255;
    expect_problem(&t, PROTO_SHU_TABLE_ROLE, 3, 0, 0);

    t = g_typical;
    t.parts[1].role = OTHER;
    expect_problem(&t, PROTO_SHU_TABLE_NO_MODAL, 0, 0, 0);
    assert_int_equal(proto_shu_table_find(&t, MODAL), -ENOENT);
    t = g_typical;
    t.parts[2].role = OTHER;
    expect_problem(&t, PROTO_SHU_TABLE_NO_USAHA, 0, 0, 0);
    t = g_typical;
    t.parts[1].role = OTHER;
    t.parts[2].role = OTHER;
    expect_problem(&t, PROTO_SHU_TABLE_NO_MODAL, 0, 0, 0);

    t = g_typical;
    t.parts[5].role = MODAL;
    expect_problem(&t, PROTO_SHU_TABLE_TWO_MODAL, 5, 1, 0);
    t = g_typical;
    t.parts[6].role = USAHA;
    expect_problem(&t, PROTO_SHU_TABLE_TWO_USAHA, 6, 2, 0);
    /* Member parts swapped is fine: roles, not positions, say which is which. */
    t = g_typical;
    t.parts[1].role = USAHA;
    t.parts[2].role = MODAL;
    assert_int_equal(proto_shu_table_check(&t, NULL), 0);
    assert_int_equal(proto_shu_table_find(&t, MODAL), 2);
}

static void test_problem_str(void **state)
{
    (void)state;
    for (int k = PROTO_SHU_TABLE_OK; k <= PROTO_SHU_TABLE_TWO_USAHA; k++) {
        assert_non_null(proto_shu_problem_str(k));
        assert_string_not_equal(proto_shu_problem_str(k), "?");
    }
    assert_string_equal(proto_shu_problem_str(PROTO_SHU_TABLE_TWO_USAHA + 1), "?");
    assert_string_equal(proto_shu_problem_str(-1), "?");
    assert_string_equal(proto_shu_problem_str(PROTO_SHU_TABLE_SUM),
                        "the shares do not add up to exactly 100%");
}

/* ---- splitting the SHU across the table ---- */

/*
 * SHU Rp 123.456.789 over the typical table. Exact shares and their floors:
 *
 *   part              ppm      exact share       floor        remainder (of 10^6)
 *   0 cadangan       400000   49.382.715,600    49.382.715   600000
 *   1 jasa modal     200000   24.691.357,800    24.691.357   800000
 *   2 jasa usaha     250000   30.864.197,250    30.864.197   250000
 *   3 pengurus        50000    6.172.839,450     6.172.839   450000
 *   4 karyawan        50000    6.172.839,450     6.172.839   450000
 *   5 pendidikan      25000    3.086.419,725     3.086.419   725000
 *   6 sosial          25000    3.086.419,725     3.086.419   725000
 *                                               -----------
 *                                               123.456.785
 *
 * Leftover: 123.456.789 - 123.456.785 = 4 rupiah (= 0,6 + 0,8 + 0,25 + 0,45 + 0,45 + 0,725 +
 * 0,725). Remainders, largest first: jasa modal 0,8; pendidikan 0,725; sosial 0,725; cadangan
 * 0,6 | pengurus 0,45; karyawan 0,45; jasa usaha 0,25. The top four get one rupiah each:
 *
 *   cadangan 49.382.716, jasa modal 24.691.358, jasa usaha 30.864.197, pengurus 6.172.839,
 *   karyawan 6.172.839, pendidikan 3.086.420, sosial 3.086.420; total 123.456.789.
 */
static void test_split_worked(void **state)
{
    static const int64_t want[7] = {49382716, 24691358, 30864197, 6172839,
                                    6172839,  3086420,  3086420};
    int64_t amount[PROTO_SHU_PARTS_MAX];

    (void)state;
    fill(amount, PROTO_SHU_PARTS_MAX, JUNK);
    assert_int_equal(proto_shu_table_split(&g_typical, 123456789, amount), 0);
    for (int i = 0; i < 7; i++)
        assert_int_equal(amount[i], want[i]);
    for (int i = 7; i < PROTO_SHU_PARTS_MAX; i++)
        assert_int_equal(amount[i], 0);
    assert_int_equal(sum(amount, 7), 123456789);
}

/*
 * The tie-break. SHU Rp 10 over the typical table: exact shares 4; 2; 2,5; 0,5; 0,5; 0,25;
 * 0,25. Floors 4 + 2 + 2 + 0 + 0 + 0 + 0 = 8, leftover 2. Three parts tie at the largest
 * remainder 0,5 (jasa usaha, pengurus, karyawan): table order decides, so jasa usaha and
 * pengurus get one each and karyawan none: 4, 2, 3, 1, 0, 0, 0.
 *
 * The same table in another order ranks the tied parts in that order instead: with karyawan
 * moved to the front, karyawan and jasa usaha win and pengurus loses.
 *
 * SHU Rp 1: every floor is 0; the largest remainder is cadangan's 0,4: 1, 0, 0, 0, 0, 0, 0.
 */
static void test_split_tiebreak(void **state)
{
    static const int64_t want10[7] = {4, 2, 3, 1, 0, 0, 0};
    static const int64_t want1[7] = {1, 0, 0, 0, 0, 0, 0};
    struct proto_shu_table t;
    int64_t amount[PROTO_SHU_PARTS_MAX];

    (void)state;
    assert_int_equal(proto_shu_table_split(&g_typical, 10, amount), 0);
    for (int i = 0; i < 7; i++)
        assert_int_equal(amount[i], want10[i]);
    assert_int_equal(proto_shu_table_split(&g_typical, 1, amount), 0);
    for (int i = 0; i < 7; i++)
        assert_int_equal(amount[i], want1[i]);

    /* karyawan, cadangan, jasa modal, jasa usaha, pengurus, pendidikan, sosial */
    t = g_typical;
    t.parts[0] = g_typical.parts[4];
    for (int i = 1; i <= 4; i++)
        t.parts[i] = g_typical.parts[i - 1];
    assert_int_equal(proto_shu_table_check(&t, NULL), 0);
    assert_int_equal(proto_shu_table_split(&t, 10, amount), 0);
    assert_int_equal(amount[0], 1); /* karyawan */
    assert_int_equal(amount[1], 4); /* cadangan */
    assert_int_equal(amount[2], 2); /* jasa modal */
    assert_int_equal(amount[3], 3); /* jasa usaha */
    assert_int_equal(amount[4], 0); /* pengurus */
    assert_int_equal(amount[5], 0);
    assert_int_equal(amount[6], 0);
}

/*
 * KOPERASI.md 5.3: Rp 100.000.000 over 35/20/25/5/5/5/2,5/2,5 divides exactly: 35 jt, 20 jt,
 * 25 jt, 5 jt, 5 jt, 5 jt, 2,5 jt, 2,5 jt.
 */
static void test_split_koperasi(void **state)
{
    static const int64_t want[8] = {35000000, 20000000, 25000000, 5000000,
                                    5000000,  5000000,  2500000,  2500000};
    int64_t amount[PROTO_SHU_PARTS_MAX];

    (void)state;
    assert_int_equal(proto_shu_table_split(&g_koperasi, 100000000, amount), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(amount[i], want[i]);
}

static void test_split_edges(void **state)
{
    int64_t amount[PROTO_SHU_PARTS_MAX];
    u128 exact;

    (void)state;
    /* SHU 0: nothing to share. */
    fill(amount, PROTO_SHU_PARTS_MAX, JUNK);
    assert_int_equal(proto_shu_table_split(&g_typical, 0, amount), 0);
    for (int i = 0; i < PROTO_SHU_PARTS_MAX; i++)
        assert_int_equal(amount[i], 0);

    /* A loss is not distributed, and says so with its own code. */
    assert_int_equal(PROTO_SHU_ELOSS, ERR_AMOUNT);
    fill(amount, PROTO_SHU_PARTS_MAX, JUNK);
    assert_int_equal(proto_shu_table_split(&g_typical, -1, amount), PROTO_SHU_ELOSS);
    for (int i = 0; i < PROTO_SHU_PARTS_MAX; i++)
        assert_int_equal(amount[i], 0);
    assert_int_equal(proto_shu_table_split(&g_typical, INT64_MIN, amount), PROTO_SHU_ELOSS);

    /*
     * INT64_MAX = 9.223.372.036.854.775.807: shu * ppm needs 83 bits, nothing wraps, and the
     * parts still add up exactly, each its floor or floor + 1.
     */
    assert_int_equal(proto_shu_table_split(&g_typical, INT64_MAX, amount), 0);
    assert_int_equal(sum(amount, 7), INT64_MAX);
    for (int i = 0; i < 7; i++) {
        exact = (u128)INT64_MAX * g_typical.parts[i].ppm / PROTO_SHU_PPM;
        assert_true((u128)amount[i] == exact || (u128)amount[i] == exact + 1);
    }
    /* 40 % of INT64_MAX = 3.689.348.814.741.910.322,8 (remainder 800000: it gets a rupiah). */
    assert_int_equal(amount[0], 3689348814741910323);

    /* One part at 100 % takes everything, the 0 % parts nothing. */
    {
        struct proto_shu_table t;

        memset(&t, 0, sizeof t);
        t.nparts = 3;
        t.parts[0] = (struct proto_shu_part){"Jasa modal", MODAL, 0};
        t.parts[1] = (struct proto_shu_part){"Jasa usaha", USAHA, 0};
        t.parts[2] = (struct proto_shu_part){"Cadangan", OTHER, PROTO_SHU_PPM};
        assert_int_equal(proto_shu_table_split(&t, INT64_MAX, amount), 0);
        assert_int_equal(amount[0], 0);
        assert_int_equal(amount[1], 0);
        assert_int_equal(amount[2], INT64_MAX);
    }
}

/* Random valid tables: 2..32 parts, random shares summing to 10^6 (many zeros, many ties). */
static void random_table(struct proto_shu_table *t)
{
    uint32_t left = PROTO_SHU_PPM, n = 2 + (uint32_t)rnd_upto(PROTO_SHU_PARTS_MAX - 2);
    uint32_t im = (uint32_t)rnd_upto(n - 1), iu;

    do
        iu = (uint32_t)rnd_upto(n - 1);
    while (iu == im);
    memset(t, 0, sizeof *t);
    t->nparts = n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t p;

        switch (rnd() % 4) {
        case 0:
            p = 0;
            break;
        case 1:
            p = (uint32_t)rnd_upto(left < 25000 ? left : 25000) / 12500 * 12500; /* ties */
            break;
        default:
            p = (uint32_t)rnd_upto(left);
            break;
        }
        if (i == n - 1)
            p = left;
        left -= p;
        t->parts[i].ppm = p;
        t->parts[i].role = i == im ? MODAL : i == iu ? USAHA : OTHER;
        snprintf(t->parts[i].name, sizeof t->parts[i].name, "Part %u", i);
    }
}

/*
 * Random tables and SHUs: the parts add up to the SHU exactly, each is its floor or floor + 1,
 * the bumps are exactly the oracle's (largest remainder, table order on ties), and the same
 * input gives the same output.
 */
static void test_split_random(void **state)
{
    struct proto_shu_table t;
    int64_t amount[PROTO_SHU_PARTS_MAX], again[PROTO_SHU_PARTS_MAX], w[PROTO_SHU_PARTS_MAX];
    int64_t want[PROTO_SHU_PARTS_MAX], shu;

    (void)state;
    g_rng = 0x5348552d7370; /* "SHU-sp" */
    for (int iter = 0; iter < 20000; iter++) {
        random_table(&t);
        assert_int_equal(proto_shu_table_check(&t, NULL), 0);
        shu = rnd_amount(INT64_MAX);
        assert_int_equal(proto_shu_table_split(&t, shu, amount), 0);
        assert_int_equal(sum(amount, t.nparts), shu);
        for (uint32_t i = 0; i < t.nparts; i++)
            w[i] = t.parts[i].ppm;
        (void)oracle(shu, w, t.nparts, true, want);
        for (uint32_t i = 0; i < t.nparts; i++) {
            assert_int_equal(amount[i], want[i]);
            if (t.parts[i].ppm == 0)
                assert_int_equal(amount[i], 0);
        }
        for (uint32_t i = t.nparts; i < PROTO_SHU_PARTS_MAX; i++)
            assert_int_equal(amount[i], 0);
        assert_int_equal(proto_shu_table_split(&t, shu, again), 0);
        assert_memory_equal(amount, again, sizeof amount);
    }
}

/* ---- per-member shares ---- */

/*
 * Five members and the pools of test_split_worked: jasa modal Rp 24.691.358, jasa usaha
 * Rp 30.864.197.
 *
 * Capital S_i (simpanan pokok + wajib): A 4.000.000, B 2.500.000, C 1.750.000, D 1.200.000,
 * E 550.000; sum S = 10.000.000. JM_i = 24.691.358 x S_i / 10.000.000:
 *   A  x 0,400 =  9.876.543,20  -> 9.876.543  (remainder 0,20)
 *   B  x 0,250 =  6.172.839,50  -> 6.172.839  (0,50)
 *   C  x 0,175 =  4.320.987,65  -> 4.320.987  (0,65)
 *   D  x 0,120 =  2.962.962,96  -> 2.962.962  (0,96)
 *   E  x 0,055 =  1.358.024,69  -> 1.358.024  (0,69)
 *   floors 24.691.355; residual 24.691.358 - 24.691.355 = 3 (= 0,2+0,5+0,65+0,96+0,69).
 * Largest remainder instead: D (0,96), E (0,69), C (0,65) get one each: C 4.320.988,
 * D 2.962.963, E 1.358.025.
 *
 * Transactions T_i (jasa pinjaman paid): A 1.800.000, B 0 (no loan), C 3.250.000, D 725.000,
 * E 1.225.000; sum T = 7.000.000. JU_i = 30.864.197 x T_i / 7.000.000:
 *   A  x 18/70  = 277.777.773/35   = 7.936.507 + 28/35   (0,800)
 *   B  0
 *   C  x 13/28  = 401.234.561/28   = 14.329.805 + 21/28  (0,750)
 *   D  x 29/280 = 895.061.713/280  = 3.196.648 + 273/280 (0,975)
 *   E  x 7/40   = 216.049.379/40   = 5.401.234 + 19/40   (0,475)
 *   floors 30.864.194; residual 3 (= 0,8+0,75+0,975+0,475), below the 4 members with T > 0.
 * Largest remainder instead: D (0,975), A (0,8), C (0,75): A 7.936.508, C 14.329.806,
 * D 3.196.649; E (0,475) and B (no measure) get nothing more.
 *
 * SHU per member, residual mode: A 17.813.050, B 6.172.839, C 18.650.792, D 6.159.610,
 * E 6.759.258; together 55.555.549 = 55.555.555 in the two pools - 6 of residual.
 */
static const int64_t g_capital[5] = {4000000, 2500000, 1750000, 1200000, 550000};
static const int64_t g_usage[5] = {1800000, 0, 3250000, 725000, 1225000};

static void test_pool_worked(void **state)
{
    static const int64_t jm_res[5] = {9876543, 6172839, 4320987, 2962962, 1358024};
    static const int64_t jm_lr[5] = {9876543, 6172839, 4320988, 2962963, 1358025};
    static const int64_t ju_res[5] = {7936507, 0, 14329805, 3196648, 5401234};
    static const int64_t ju_lr[5] = {7936508, 0, 14329806, 3196649, 5401234};
    struct proto_shu_pool pr;
    int64_t s[5];

    (void)state;
    assert_int_equal(proto_shu_pool_split(24691358, g_capital, 5, RES, s, &pr), 0);
    assert_memory_equal(s, jm_res, sizeof s);
    assert_int_equal(pr.pool, 24691358);
    assert_int_equal(pr.total, 10000000);
    assert_int_equal(pr.paid, 24691355);
    assert_int_equal(pr.residual, 3);
    assert_int_equal(pr.bumped, 0);
    assert_int_equal(pr.nonzero, 5);

    assert_int_equal(proto_shu_pool_split(24691358, g_capital, 5, LR, s, &pr), 0);
    assert_memory_equal(s, jm_lr, sizeof s);
    assert_int_equal(pr.paid, 24691358);
    assert_int_equal(pr.residual, 0);
    assert_int_equal(pr.bumped, 3);

    assert_int_equal(proto_shu_pool_split(30864197, g_usage, 5, RES, s, &pr), 0);
    assert_memory_equal(s, ju_res, sizeof s);
    assert_int_equal(pr.total, 7000000);
    assert_int_equal(pr.paid, 30864194);
    assert_int_equal(pr.residual, 3);
    assert_int_equal(pr.nonzero, 4);

    assert_int_equal(proto_shu_pool_split(30864197, g_usage, 5, LR, s, &pr), 0);
    assert_memory_equal(s, ju_lr, sizeof s);
    assert_int_equal(pr.residual, 0);
    assert_int_equal(pr.bumped, 3);
}

/* The same five members through proto_shu_compute, from SHU Rp 123.456.789. */
static void test_compute_worked(void **state)
{
    static const int64_t total_res[5] = {17813050, 6172839, 18650792, 6159610, 6759258};
    struct proto_shu_result res;
    int64_t jm[5], ju[5], amount[PROTO_SHU_PARTS_MAX];

    (void)state;
    assert_int_equal(
        proto_shu_compute(&g_typical, 123456789, g_capital, g_usage, 5, RES, jm, ju, &res), 0);
    assert_int_equal(proto_shu_table_split(&g_typical, 123456789, amount), 0);
    assert_memory_equal(res.amount, amount, sizeof amount);
    assert_int_equal(res.modal.pool, 24691358);
    assert_int_equal(res.modal.residual, 3);
    assert_int_equal(res.usaha.pool, 30864197);
    assert_int_equal(res.usaha.residual, 3);
    for (int i = 0; i < 5; i++)
        assert_int_equal(jm[i] + ju[i], total_res[i]);
    assert_int_equal(sum(jm, 5) + sum(ju, 5) + res.modal.residual + res.usaha.residual,
                     24691358 + 30864197);

    assert_int_equal(
        proto_shu_compute(&g_typical, 123456789, g_capital, g_usage, 5, LR, jm, ju, &res), 0);
    assert_int_equal(jm[3], 2962963);
    assert_int_equal(ju[3], 3196649);
    assert_int_equal(sum(jm, 5), 24691358);
    assert_int_equal(sum(ju, 5), 30864197);
    assert_int_equal(res.modal.residual + res.usaha.residual, 0);
}

/*
 * KOPERASI.md 5.3's Siti: sum(SP+SW) Rp 400 jt, sum jasa paid Rp 250 jt; Siti has SP+SW
 * Rp 4.000.000 and paid Rp 1.800.000. JM = 4/400 x 20 jt = Rp 200.000; JU = 1,8/250 x 25 jt =
 * Rp 180.000; SHU Siti Rp 380.000. The other members are lumped into one line here (396 jt and
 * 248,2 jt); every share is exact, so no residual.
 */
static void test_compute_koperasi(void **state)
{
    static const int64_t capital[2] = {4000000, 396000000};
    static const int64_t usage[2] = {1800000, 248200000};
    struct proto_shu_result res;
    int64_t jm[2], ju[2];

    (void)state;
    assert_int_equal(
        proto_shu_compute(&g_koperasi, 100000000, capital, usage, 2, RES, jm, ju, &res), 0);
    assert_int_equal(jm[0], 200000);
    assert_int_equal(ju[0], 180000);
    assert_int_equal(jm[0] + ju[0], 380000);
    assert_int_equal(jm[1], 19800000);
    assert_int_equal(ju[1], 24820000);
    assert_int_equal(res.modal.total, 400000000);
    assert_int_equal(res.usaha.total, 250000000);
    assert_int_equal(res.modal.residual, 0);
    assert_int_equal(res.usaha.residual, 0);
}

static void test_pool_edges(void **state)
{
    struct proto_shu_pool pr;
    int64_t m[4], s[4];

    (void)state;
    /* No members: all residual, NULL arrays allowed. */
    for (int mode = RES; mode <= LR; mode++) {
        assert_int_equal(
            proto_shu_pool_split(1000, NULL, 0, (enum proto_shu_rounding)mode, NULL, &pr), 0);
        assert_int_equal(pr.pool, 1000);
        assert_int_equal(pr.paid, 0);
        assert_int_equal(pr.residual, 1000);
        assert_int_equal(pr.nonzero, 0);
    }
    /* Every measure 0: every share 0 and the whole pool residual, in either mode. */
    fill(m, 4, 0);
    for (int mode = RES; mode <= LR; mode++) {
        fill(s, 4, JUNK);
        assert_int_equal(proto_shu_pool_split(1000, m, 4, (enum proto_shu_rounding)mode, s, &pr),
                         0);
        for (int i = 0; i < 4; i++)
            assert_int_equal(s[i], 0);
        assert_int_equal(pr.total, 0);
        assert_int_equal(pr.residual, 1000);
    }
    /* Pool 0: all zero, no residual. */
    m[0] = 5;
    m[2] = 7;
    assert_int_equal(proto_shu_pool_split(0, m, 4, LR, s, &pr), 0);
    assert_int_equal(sum(s, 4), 0);
    assert_int_equal(pr.residual, 0);
    assert_int_equal(pr.total, 12);
    /* One member with a measure takes the whole pool; zero measures get nothing. */
    fill(m, 4, 0);
    m[2] = 1;
    assert_int_equal(proto_shu_pool_split(999, m, 4, RES, s, &pr), 0);
    assert_int_equal(s[2], 999);
    assert_int_equal(s[0] + s[1] + s[3], 0);
    assert_int_equal(pr.residual, 0);
    /*
     * Three equal measures share Rp 100: 33 each, residual 1; largest remainder gives the
     * rupiah to the first (all remainders tie at 1/3), never to the zero measure.
     */
    m[0] = 0;
    m[1] = 8;
    m[2] = 8;
    m[3] = 8;
    assert_int_equal(proto_shu_pool_split(100, m, 4, RES, s, &pr), 0);
    assert_int_equal(s[1], 33);
    assert_int_equal(s[2], 33);
    assert_int_equal(s[3], 33);
    assert_int_equal(pr.residual, 1);
    assert_int_equal(proto_shu_pool_split(100, m, 4, LR, s, &pr), 0);
    assert_int_equal(s[0], 0);
    assert_int_equal(s[1], 34);
    assert_int_equal(s[2], 33);
    assert_int_equal(s[3], 33);
    /*
     * Rp 2 among three equal members: residual mode pays 0 each (residual 2 < 3 members); the
     * largest remainder pays the first two.
     */
    assert_int_equal(proto_shu_pool_split(2, m + 1, 3, RES, s, &pr), 0);
    assert_int_equal(sum(s, 3), 0);
    assert_int_equal(pr.residual, 2);
    assert_int_equal(proto_shu_pool_split(2, m + 1, 3, LR, s, &pr), 0);
    assert_int_equal(s[0], 1);
    assert_int_equal(s[1], 1);
    assert_int_equal(s[2], 0);
}

static void test_pool_errors(void **state)
{
    struct proto_shu_pool pr;
    int64_t m[4] = {10, 20, 30, 40}, s[4];

    (void)state;
    /* Negative measures, wherever they are; the shares and the result are zeroed. */
    for (int at = 0; at < 4; at++) {
        int64_t bad[4] = {10, 20, 30, 40};

        bad[at] = at == 3 ? INT64_MIN : -1;
        fill(s, 4, JUNK);
        memset(&pr, 0x5a, sizeof pr);
        assert_int_equal(proto_shu_pool_split(1000, bad, 4, RES, s, &pr), -EINVAL);
        for (int i = 0; i < 4; i++)
            assert_int_equal(s[i], 0);
        assert_int_equal(pr.pool, 0);
        assert_int_equal(pr.residual, 0);
        assert_int_equal(proto_shu_pool_split(1000, bad, 4, LR, s, &pr), -EINVAL);
    }
    /* A negative pool is a loss. */
    fill(s, 4, JUNK);
    assert_int_equal(proto_shu_pool_split(-1, m, 4, RES, s, &pr), PROTO_SHU_ELOSS);
    assert_int_equal(s[0], 0);
    assert_int_equal(proto_shu_pool_split(INT64_MIN, m, 4, LR, s, &pr), PROTO_SHU_ELOSS);
    /* Too many members: refused before the arrays are read. */
    assert_int_equal(proto_shu_pool_split(1000, m, PROTO_SHU_MEMBERS_MAX + 1, RES, s, &pr),
                     ERR_TOOBIG);
    assert_int_equal(proto_shu_pool_split(1000, m, SIZE_MAX, RES, s, &pr), ERR_TOOBIG);
}

/*
 * Overflow: the measures must add up within INT64_MAX (the sums S and T are recorded in the
 * SHU_COMPUTED entry as int64); one rupiah more is -EOVERFLOW, never a wrapped total. Up to that,
 * pool x measure is carried in 128 bits and the results are exact.
 */
static void test_pool_overflow(void **state)
{
    struct proto_shu_pool pr;
    int64_t m[3], s[3], want[3];

    (void)state;
    m[0] = INT64_MAX / 2 + 1;
    m[1] = INT64_MAX / 2 + 1;
    fill(s, 2, JUNK);
    assert_int_equal(proto_shu_pool_split(1000, m, 2, RES, s, &pr), -EOVERFLOW);
    assert_int_equal(s[0], 0);
    assert_int_equal(s[1], 0);
    assert_int_equal(pr.total, 0);
    m[0] = INT64_MAX;
    m[1] = 1;
    assert_int_equal(proto_shu_pool_split(1000, m, 2, LR, s, &pr), -EOVERFLOW);
    m[0] = 1;
    m[1] = INT64_MAX;
    assert_int_equal(proto_shu_pool_split(1000, m, 2, LR, s, &pr), -EOVERFLOW);
    m[0] = INT64_MAX;
    m[1] = INT64_MAX;
    m[2] = INT64_MAX;
    assert_int_equal(proto_shu_pool_split(1000, m, 3, RES, s, &pr), -EOVERFLOW);

    /* Exactly INT64_MAX in total, pool INT64_MAX: measure 1 gets exactly 1. */
    m[0] = INT64_MAX - 1;
    m[1] = 1;
    assert_int_equal(proto_shu_pool_split(INT64_MAX, m, 2, RES, s, &pr), 0);
    assert_int_equal(pr.total, INT64_MAX);
    assert_int_equal(s[0], INT64_MAX - 1);
    assert_int_equal(s[1], 1);
    assert_int_equal(pr.residual, 0);

    /* A single measure INT64_MAX takes an INT64_MAX pool. */
    m[0] = INT64_MAX;
    assert_int_equal(proto_shu_pool_split(INT64_MAX, m, 1, RES, s, &pr), 0);
    assert_int_equal(s[0], INT64_MAX);

    /* Three large uneven measures near the limit, both modes, against the oracle. */
    m[0] = INT64_MAX / 3 + 12345;
    m[1] = INT64_MAX / 3 - 777;
    m[2] = INT64_MAX - m[0] - m[1];
    for (int mode = RES; mode <= LR; mode++) {
        int64_t left;

        assert_int_equal(
            proto_shu_pool_split(INT64_MAX - 2, m, 3, (enum proto_shu_rounding)mode, s, &pr), 0);
        left = oracle(INT64_MAX - 2, m, 3, mode == LR, want);
        assert_memory_equal(s, want, sizeof s);
        assert_int_equal(pr.residual, mode == LR ? 0 : left);
        assert_int_equal(sum(s, 3) + pr.residual, INT64_MAX - 2);
    }
}

/* Every invariant of one pool split, checked against the oracle. */
static void check_pool(int64_t pool, const int64_t *m, size_t n, int64_t *s, int64_t *want)
{
    struct proto_shu_pool pr, pr_lr;
    int64_t total = 0, left;
    uint32_t nonzero = 0;
    int64_t *lr = malloc((n ? n : 1) * sizeof *lr);

    assert_non_null(lr);
    for (size_t i = 0; i < n; i++) {
        total += m[i];
        nonzero += m[i] > 0;
    }

    /* Residual mode: exact floors, shares + residual = pool, residual < members with m > 0. */
    assert_int_equal(proto_shu_pool_split(pool, m, n, RES, s, &pr), 0);
    left = oracle(pool, m, n, false, want);
    assert_memory_equal(s, want, n * sizeof *s);
    assert_int_equal(pr.pool, pool);
    assert_int_equal(pr.total, total);
    assert_int_equal(pr.nonzero, nonzero);
    assert_int_equal(pr.paid, sum(s, n));
    assert_int_equal(pr.paid + pr.residual, pool);
    assert_int_equal(pr.residual, left);
    assert_int_equal(pr.bumped, 0);
    if (nonzero > 0)
        assert_true(pr.residual < (int64_t)nonzero);
    else
        assert_int_equal(pr.residual, pool);

    /* Largest remainder: the oracle's bumps exactly, each share its floor or floor + 1. */
    assert_int_equal(proto_shu_pool_split(pool, m, n, LR, lr, &pr_lr), 0);
    (void)oracle(pool, m, n, true, want);
    assert_memory_equal(lr, want, n * sizeof *lr);
    assert_int_equal(pr_lr.paid, sum(lr, n));
    assert_int_equal(pr_lr.paid + pr_lr.residual, pool);
    assert_int_equal(pr_lr.residual, nonzero > 0 ? 0 : pool);
    assert_int_equal(pr_lr.bumped, nonzero > 0 ? pr.residual : 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(lr[i] == s[i] || lr[i] == s[i] + 1);
        if (m[i] == 0) {
            assert_int_equal(s[i], 0);
            assert_int_equal(lr[i], 0);
        }
    }

    /* Larger measures never get less; equal ones get the same, or one more if earlier (LR). */
    for (size_t i = 0; i + 1 < n; i++) {
        for (size_t j = i + 1; j < n && j < i + 8; j++) {
            if (m[i] > m[j]) {
                assert_true(s[i] >= s[j] && lr[i] >= lr[j]);
            } else if (m[i] < m[j]) {
                assert_true(s[i] <= s[j] && lr[i] <= lr[j]);
            } else {
                assert_int_equal(s[i], s[j]);
                assert_true(lr[i] == lr[j] || lr[i] == lr[j] + 1);
            }
        }
    }

    /* Same input, same output. */
    assert_int_equal(proto_shu_pool_split(pool, m, n, LR, want, &pr), 0);
    assert_memory_equal(lr, want, n * sizeof *lr);
    free(lr);
}

/* Random measures (with zeros and ties) within what the sum allows. */
static void random_measures(int64_t *m, size_t n)
{
    int64_t cap = INT64_MAX / (int64_t)(n ? n : 1);
    int style = (int)(rnd() % 4);

    for (size_t i = 0; i < n; i++) {
        switch (rnd() % 5) {
        case 0:
            m[i] = 0;
            break;
        case 1:
            m[i] = i > 0 ? m[i - 1] : 1000; /* ties */
            break;
        default:
            m[i] = style == 0   ? (int64_t)rnd_upto(10)
                   : style == 1 ? (int64_t)rnd_upto(100000000)
                                : rnd_amount(cap);
            break;
        }
    }
}

static void test_pool_random(void **state)
{
    int64_t m[300], s[300], want[300], pool;
    size_t n;

    (void)state;
    g_rng = 0x5348552d706f6f6c; /* "SHU-pool" */
    for (int iter = 0; iter < 5000; iter++) {
        n = (size_t)rnd_upto(iter % 10 == 0 ? 300 : 12);
        random_measures(m, n);
        pool = rnd_amount(INT64_MAX);
        check_pool(pool, m, n, s, want);
    }
}

/*
 * Residual mode depends on nothing but each member's own measure and the total: shuffling the
 * members shuffles the shares the same way. Largest remainder breaks equal remainders by input
 * order, so there a shuffle may move a bump between tied members, but never changes how many.
 */
static void test_pool_order(void **state)
{
    int64_t m[64], pm[64], s[64], ps[64];
    size_t perm[64], n = 64;
    struct proto_shu_pool pr, ppr;

    (void)state;
    g_rng = 0x5348552d6f7264; /* "SHU-ord" */
    for (int iter = 0; iter < 500; iter++) {
        int64_t pool = rnd_amount(INT64_MAX);

        random_measures(m, n);
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = (size_t)rnd_upto(i), tmp = perm[i];

            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (size_t i = 0; i < n; i++)
            pm[i] = m[perm[i]];
        assert_int_equal(proto_shu_pool_split(pool, m, n, RES, s, &pr), 0);
        assert_int_equal(proto_shu_pool_split(pool, pm, n, RES, ps, &ppr), 0);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(ps[i], s[perm[i]]);
        assert_memory_equal(&pr, &ppr, sizeof pr);
        assert_int_equal(proto_shu_pool_split(pool, m, n, LR, s, &pr), 0);
        assert_int_equal(proto_shu_pool_split(pool, pm, n, LR, ps, &ppr), 0);
        assert_memory_equal(&pr, &ppr, sizeof pr);
    }
}

/* The maximum: a million members, both modes, against the oracle; one more is refused. */
static void test_pool_max_members(void **state)
{
    size_t n = PROTO_SHU_MEMBERS_MAX;
    int64_t *m = malloc(n * sizeof *m), *s = malloc(n * sizeof *s), *w = malloc(n * sizeof *w);
    struct proto_shu_pool pr;

    (void)state;
    assert_non_null(m);
    assert_non_null(s);
    assert_non_null(w);
    g_rng = 0x5348552d6d6178; /* "SHU-max" */
    /* Capital of Rp 0..Rp 50 jt, a fifth of the members with none. */
    for (size_t i = 0; i < n; i++)
        m[i] = rnd() % 5 == 0 ? 0 : (int64_t)rnd_upto(50000000);
    check_pool(987654321987, m, n, s, w);
    /* Measures as large as the sum allows. */
    for (size_t i = 0; i < n; i++)
        m[i] = INT64_MAX / (int64_t)n - (int64_t)rnd_upto(1000);
    check_pool(INT64_MAX, m, n, s, w);
    /* One rupiah too many in the total. */
    m[0] += INT64_MAX - sum(m, n) + 1;
    assert_int_equal(proto_shu_pool_split(1000, m, n, RES, s, &pr), -EOVERFLOW);
    assert_int_equal(proto_shu_pool_split(1000, m, n + 1, RES, s, &pr), ERR_TOOBIG);
    free(m);
    free(s);
    free(w);
}

static void test_compute_errors(void **state)
{
    struct proto_shu_result res;
    struct proto_shu_table t = g_typical;
    int64_t jm[5], ju[5], bad[5];

    (void)state;
    t.parts[0].ppm = 399999;
    fill(jm, 5, JUNK);
    fill(ju, 5, JUNK);
    memset(&res, 0x5a, sizeof res);
    assert_int_equal(proto_shu_compute(&t, 1000, g_capital, g_usage, 5, RES, jm, ju, &res),
                     ERR_RULE);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(jm[i], 0);
        assert_int_equal(ju[i], 0);
    }
    assert_int_equal(res.amount[0], 0);
    assert_int_equal(res.modal.pool, 0);

    assert_int_equal(proto_shu_compute(&g_typical, -5, g_capital, g_usage, 5, RES, jm, ju, &res),
                     PROTO_SHU_ELOSS);
    /* A negative or overflowing measure in either array; nothing is computed. */
    memcpy(bad, g_usage, sizeof bad);
    bad[4] = -1;
    fill(jm, 5, JUNK);
    assert_int_equal(proto_shu_compute(&g_typical, 1000, g_capital, bad, 5, LR, jm, ju, &res),
                     -EINVAL);
    assert_int_equal(jm[0], 0);
    assert_int_equal(res.amount[0], 0);
    assert_int_equal(proto_shu_compute(&g_typical, 1000, bad, g_usage, 5, LR, jm, ju, &res),
                     -EINVAL);
    bad[4] = INT64_MAX;
    assert_int_equal(proto_shu_compute(&g_typical, 1000, g_capital, bad, 5, LR, jm, ju, &res),
                     -EOVERFLOW);
    assert_int_equal(
        proto_shu_compute(&g_typical, 1000, g_capital, g_usage, SIZE_MAX, RES, jm, ju, &res),
        ERR_TOOBIG);
}

/* Random tables, SHUs and members through proto_shu_compute: the pieces fit together. */
static void test_compute_random(void **state)
{
    struct proto_shu_table t;
    struct proto_shu_result res;
    int64_t cap[40], use[40], jm[40], ju[40], want[40], shu, amount[PROTO_SHU_PARTS_MAX];
    int im, iu;

    (void)state;
    g_rng = 0x5348552d636f6d70; /* "SHU-comp" */
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = (size_t)rnd_upto(40);
        int mode = (int)(rnd() % 2);

        random_table(&t);
        random_measures(cap, n);
        random_measures(use, n);
        shu = rnd_amount(INT64_MAX);
        assert_int_equal(
            proto_shu_compute(&t, shu, cap, use, n, (enum proto_shu_rounding)mode, jm, ju, &res),
            0);
        assert_int_equal(proto_shu_table_split(&t, shu, amount), 0);
        assert_memory_equal(res.amount, amount, sizeof amount);
        im = proto_shu_table_find(&t, MODAL);
        iu = proto_shu_table_find(&t, USAHA);
        assert_int_equal(res.modal.pool, amount[im]);
        assert_int_equal(res.usaha.pool, amount[iu]);
        (void)oracle(amount[im], cap, n, mode == LR, want);
        assert_memory_equal(jm, want, n * sizeof *jm);
        (void)oracle(amount[iu], use, n, mode == LR, want);
        assert_memory_equal(ju, want, n * sizeof *ju);
        assert_int_equal(sum(jm, n) + res.modal.residual, amount[im]);
        assert_int_equal(sum(ju, n) + res.usaha.residual, amount[iu]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* Arguments and the allocation table */
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_table_ok),
        cmocka_unit_test(test_table_nparts),
        cmocka_unit_test(test_table_sum),
        cmocka_unit_test(test_table_ppm),
        cmocka_unit_test(test_table_names),
        cmocka_unit_test(test_table_roles),
        cmocka_unit_test(test_problem_str),
        /* Splitting the SHU across the table */
        cmocka_unit_test(test_split_worked),
        cmocka_unit_test(test_split_tiebreak),
        cmocka_unit_test(test_split_koperasi),
        cmocka_unit_test(test_split_edges),
        cmocka_unit_test(test_split_random),
        /* Per-member shares */
        cmocka_unit_test(test_pool_worked),
        cmocka_unit_test(test_compute_worked),
        cmocka_unit_test(test_compute_koperasi),
        cmocka_unit_test(test_pool_edges),
        cmocka_unit_test(test_pool_errors),
        cmocka_unit_test(test_pool_overflow),
        cmocka_unit_test(test_pool_random),
        cmocka_unit_test(test_pool_order),
        cmocka_unit_test(test_pool_max_members),
        cmocka_unit_test(test_compute_errors),
        cmocka_unit_test(test_compute_random),
    };

    return cmocka_run_group_tests_name("proto_shu", tests, NULL, NULL);
}
