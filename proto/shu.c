/*
 * SHU distribution (proto/shu.h). Both splits, the table's and each member pool's, are one
 * apportionment: floor every share of pool * w_i / sum w with an exact 128-bit product, then
 * either report the leftover rupiah as the residual or hand them out by largest remainder. The
 * largest-remainder step needs no scratch memory: the remainders are parked in the output
 * array, a binary search over remainder values finds the cut, and a second pass recomputes the
 * floors and adds the bumps in input order.
 */
#include "proto/shu.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "proto/err.h"
#include "proto/mp.h"

/*
 * GCC's -Wpedantic rejects a bare unsigned __int128 under -std=c11; __extension__ on the typedef
 * is the documented way to use it. Targets without it (32-bit ARM, for one) take the portable
 * path below, which gives the same results; PROTO_SHU_NO_INT128 forces that path for testing.
 */
#if defined(__SIZEOF_INT128__) && !defined(PROTO_SHU_NO_INT128)
__extension__ typedef unsigned __int128 shu_u128;

/* q = floor(a * b / c), r = a * b mod c, exactly. Needs 0 < c and b <= c (so q <= a). */
static void muldivmod(uint64_t a, uint64_t b, uint64_t c, uint64_t *q, uint64_t *r)
{
    shu_u128 p = (shu_u128)a * b;

    assert(c > 0 && b <= c);
    *q = (uint64_t)(p / c);
    *r = (uint64_t)(p % c);
}
#else
static void muldivmod(uint64_t a, uint64_t b, uint64_t c, uint64_t *q, uint64_t *r)
{
    const uint64_t m32 = 0xffffffffu;
    uint64_t a0 = a & m32, a1 = a >> 32, b0 = b & m32, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & m32) + (p10 & m32);
    uint64_t lo = (mid << 32) | (p00 & m32);
    uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    uint64_t rem = hi, quo = 0;

    /*
     * Schoolbook binary division of hi:lo by c. b <= c makes hi < c, so the quotient fits in 64
     * bits and starting from rem = hi is exact; c <= INT64_MAX keeps 2 * rem + 1 below 2^64.
     */
    assert(c > 0 && c <= (uint64_t)INT64_MAX && b <= c && hi < c);
    for (int i = 63; i >= 0; i--) {
        rem = (rem << 1) | ((lo >> i) & 1);
        quo <<= 1;
        if (rem >= c) {
            rem -= c;
            quo |= 1;
        }
    }
    *q = quo;
    *r = rem;
}
#endif

/* Members whose remainder (parked in rem[]) is at least x. */
static uint64_t count_at_least(const int64_t *w, const int64_t *rem, size_t n, int64_t x)
{
    uint64_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (w[i] > 0 && rem[i] >= x)
            k++;
    return k;
}

/*
 * share[i] = floor(pool * w[i] / total), then by mode. Inputs are valid: pool >= 0, w[i] >= 0
 * and total == sum w (so it fits in int64). Fills every field of *res.
 */
static void apportion(int64_t pool, const int64_t *w, size_t n, int64_t total, bool lr,
                      int64_t *share, struct proto_shu_pool *res)
{
    uint64_t q, r, paid = 0, left, above, ties;
    int64_t lo, hi, mid, cut;

    memset(res, 0, sizeof *res);
    res->pool = pool;
    res->total = total;
    for (size_t i = 0; i < n; i++)
        share[i] = 0;
    if (total == 0) {
        res->residual = pool; /* nobody to pay: all of it goes back to the caller */
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (w[i] == 0)
            continue;
        res->nonzero++;
        muldivmod((uint64_t)pool, (uint64_t)w[i], (uint64_t)total, &q, &r);
        paid += q; /* each q <= pool * w[i] / total, so the sum stays <= pool */
        share[i] = lr ? (int64_t)r : (int64_t)q;
    }
    left = (uint64_t)pool - paid; /* sum r / total: below nonzero, since each r < total */
    if (!lr) {
        res->paid = (int64_t)paid;
        res->residual = (int64_t)left;
        return;
    }

    /*
     * Largest remainder. The remainders add up to left * total and each is below total, so more
     * than `left` of them are positive: the cut is the largest value x >= 1 that at least `left`
     * remainders reach. Those above the cut all get a rupiah, and the rest of `left` goes to the
     * remainders equal to it in input order. Exact shares (remainder 0) never get one.
     */
    cut = 0;
    ties = 0;
    if (left > 0) {
        lo = 1;
        hi = total - 1;
        while (lo < hi) {
            mid = lo + (hi - lo + 1) / 2;
            if (count_at_least(w, share, n, mid) >= left)
                lo = mid;
            else
                hi = mid - 1;
        }
        cut = lo;
        above = cut < total - 1 ? count_at_least(w, share, n, cut + 1) : 0;
        assert(above < left);
        ties = left - above;
    }
    for (size_t i = 0; i < n; i++) {
        if (w[i] == 0)
            continue;
        muldivmod((uint64_t)pool, (uint64_t)w[i], (uint64_t)total, &q, &r);
        assert(r == (uint64_t)share[i]);
        if (left > 0 && ((int64_t)r > cut || ((int64_t)r == cut && ties > 0))) {
            if ((int64_t)r == cut)
                ties--;
            q++;
            res->bumped++;
        }
        share[i] = (int64_t)q;
    }
    assert((uint64_t)res->bumped == left && ties == 0);
    res->paid = (int64_t)(paid + left);
    res->residual = 0;
}

/* Sum of measures: -EINVAL for a negative one, -EOVERFLOW past INT64_MAX. */
static int measures_total(const int64_t *m, size_t n, int64_t *total)
{
    int64_t t = 0;

    *total = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i] < 0)
            return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (m[i] > INT64_MAX - t)
            return -EOVERFLOW;
        t += m[i];
    }
    *total = t;
    return 0;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Equal ignoring ASCII case; bytes above 0x7f compare exactly (no locale). */
static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b))
            return false;
    return *a == *b;
}

static int name_kind(const char *name)
{
    size_t len = strnlen(name, PROTO_SHU_NAME_MAX + 1);

    if (len == PROTO_SHU_NAME_MAX + 1)
        return PROTO_SHU_TABLE_NAME_BAD;
    if (len == 0)
        return PROTO_SHU_TABLE_NAME_EMPTY;
    if (name[0] == ' ' || name[len - 1] == ' ')
        return PROTO_SHU_TABLE_NAME_BAD;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] == 0x7f)
            return PROTO_SHU_TABLE_NAME_BAD;
    if (!proto_mp_utf8_valid((const uint8_t *)name, len))
        return PROTO_SHU_TABLE_NAME_BAD;
    return PROTO_SHU_TABLE_OK;
}

static int table_problem(const struct proto_shu_table *t, struct proto_shu_problem *why)
{
    const struct proto_shu_part *p;
    uint64_t sum = 0;
    int k, modal = -1, usaha = -1;

    if (t->nparts == 0 || t->nparts > PROTO_SHU_PARTS_MAX)
        return PROTO_SHU_TABLE_NPARTS;
    for (uint32_t i = 0; i < t->nparts; i++) {
        p = &t->parts[i];
        why->part = i;
        k = name_kind(p->name);
        if (k != PROTO_SHU_TABLE_OK)
            return k;
        if (p->role != PROTO_SHU_ROLE_OTHER && p->role != PROTO_SHU_ROLE_MODAL &&
            p->role != PROTO_SHU_ROLE_USAHA)
            return PROTO_SHU_TABLE_ROLE;
        if (p->ppm > PROTO_SHU_PPM)
            return PROTO_SHU_TABLE_PPM;
        sum += p->ppm; /* at most 32 * 10^6 */
    }
    for (uint32_t i = 1; i < t->nparts; i++) {
        for (uint32_t j = 0; j < i; j++) {
            if (name_eq(t->parts[i].name, t->parts[j].name)) {
                why->part = i;
                why->other = j;
                return PROTO_SHU_TABLE_NAME_DUP;
            }
        }
    }
    why->part = 0;
    if (sum != PROTO_SHU_PPM) {
        why->sum = sum;
        return PROTO_SHU_TABLE_SUM;
    }
    for (uint32_t i = 0; i < t->nparts; i++) {
        why->part = i;
        if (t->parts[i].role == PROTO_SHU_ROLE_MODAL) {
            if (modal >= 0) {
                why->other = (uint32_t)modal;
                return PROTO_SHU_TABLE_TWO_MODAL;
            }
            modal = (int)i;
        }
        if (t->parts[i].role == PROTO_SHU_ROLE_USAHA) {
            if (usaha >= 0) {
                why->other = (uint32_t)usaha;
                return PROTO_SHU_TABLE_TWO_USAHA;
            }
            usaha = (int)i;
        }
    }
    why->part = 0;
    if (modal < 0)
        return PROTO_SHU_TABLE_NO_MODAL;
    if (usaha < 0)
        return PROTO_SHU_TABLE_NO_USAHA;
    return PROTO_SHU_TABLE_OK;
}

int proto_shu_table_check(const struct proto_shu_table *t, struct proto_shu_problem *why)
{
    struct proto_shu_problem w;

    memset(&w, 0, sizeof w);
    if (why)
        memset(why, 0, sizeof *why);
    if (!t)
        return -EINVAL;
    w.kind = table_problem(t, &w);
    if (w.kind == PROTO_SHU_TABLE_OK)
        memset(&w, 0, sizeof w);
    if (why)
        *why = w;
    return w.kind == PROTO_SHU_TABLE_OK ? 0 : ERR_RULE;
}

const char *proto_shu_problem_str(int kind)
{
    switch (kind) {
    case PROTO_SHU_TABLE_OK:
        return "the allocation table is sound";
    case PROTO_SHU_TABLE_NPARTS:
        return "the allocation table needs 1 to 32 parts";
    case PROTO_SHU_TABLE_NAME_EMPTY:
        return "a part has no name";
    case PROTO_SHU_TABLE_NAME_BAD:
        return "a part's name is too long, not UTF-8, has a control character or an outer space";
    case PROTO_SHU_TABLE_ROLE:
        return "a part has an unknown role";
    case PROTO_SHU_TABLE_PPM:
        return "a part's share is above 100%";
    case PROTO_SHU_TABLE_NAME_DUP:
        return "two parts have the same name";
    case PROTO_SHU_TABLE_SUM:
        return "the shares do not add up to exactly 100%";
    case PROTO_SHU_TABLE_NO_MODAL:
        return "no jasa modal part";
    case PROTO_SHU_TABLE_TWO_MODAL:
        return "more than one jasa modal part";
    case PROTO_SHU_TABLE_NO_USAHA:
        return "no jasa usaha part";
    case PROTO_SHU_TABLE_TWO_USAHA:
        return "more than one jasa usaha part";
    default:
        return "?";
    }
}

int proto_shu_table_find(const struct proto_shu_table *t, uint8_t role)
{
    if (!t || (role != PROTO_SHU_ROLE_MODAL && role != PROTO_SHU_ROLE_USAHA))
        return -EINVAL;
    for (uint32_t i = 0; i < t->nparts && i < PROTO_SHU_PARTS_MAX; i++)
        if (t->parts[i].role == role)
            return (int)i;
    return -ENOENT;
}

/* The split itself, on a checked table and shu >= 0. */
static void table_split(const struct proto_shu_table *t, int64_t shu,
                        int64_t amount[PROTO_SHU_PARTS_MAX])
{
    int64_t w[PROTO_SHU_PARTS_MAX];
    struct proto_shu_pool res;

    for (uint32_t i = 0; i < t->nparts; i++)
        w[i] = t->parts[i].ppm;
    apportion(shu, w, t->nparts, PROTO_SHU_PPM, true, amount, &res);
    assert(res.residual == 0);
}

int proto_shu_table_split(const struct proto_shu_table *t, int64_t shu,
                          int64_t amount[PROTO_SHU_PARTS_MAX])
{
    int rc;

    if (!amount)
        return -EINVAL;
    memset(amount, 0, PROTO_SHU_PARTS_MAX * sizeof amount[0]);
    if (!t)
        return -EINVAL;
    rc = proto_shu_table_check(t, NULL);
    if (rc < 0)
        return rc;
    if (shu < 0)
        return PROTO_SHU_ELOSS;
    table_split(t, shu, amount);
    return 0;
}

static bool mode_valid(enum proto_shu_rounding mode)
{
    return mode == PROTO_SHU_RESIDUAL || mode == PROTO_SHU_LARGEST_REMAINDER;
}

int proto_shu_pool_split(int64_t pool, const int64_t *measure, size_t n,
                         enum proto_shu_rounding mode, int64_t *share, struct proto_shu_pool *res)
{
    struct proto_shu_pool dummy;
    int64_t total;
    int rc;

    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    if (share && n <= PROTO_SHU_MEMBERS_MAX)
        memset(share, 0, n * sizeof share[0]);
    if (!mode_valid(mode) || (n > 0 && (!measure || !share)))
        return -EINVAL;
    if (n > PROTO_SHU_MEMBERS_MAX)
        return ERR_TOOBIG;
    if (pool < 0)
        return PROTO_SHU_ELOSS;
    rc = measures_total(measure, n, &total);
    if (rc < 0)
        return rc;
    apportion(pool, measure, n, total, mode == PROTO_SHU_LARGEST_REMAINDER, share, res);
    return 0;
}

int proto_shu_compute(const struct proto_shu_table *t, int64_t shu, const int64_t *capital,
                      const int64_t *usage, size_t n, enum proto_shu_rounding mode, int64_t *jm,
                      int64_t *ju, struct proto_shu_result *res)
{
    int64_t total_modal, total_usaha;
    bool lr = mode == PROTO_SHU_LARGEST_REMAINDER;
    int rc, im, iu;

    if (res)
        memset(res, 0, sizeof *res);
    if (n <= PROTO_SHU_MEMBERS_MAX) {
        if (jm)
            memset(jm, 0, n * sizeof jm[0]);
        if (ju)
            memset(ju, 0, n * sizeof ju[0]);
    }
    if (!t || !res || !mode_valid(mode) || (n > 0 && (!capital || !usage || !jm || !ju)))
        return -EINVAL;
    if (n > PROTO_SHU_MEMBERS_MAX)
        return ERR_TOOBIG;
    rc = proto_shu_table_check(t, NULL);
    if (rc < 0)
        return rc;
    if (shu < 0)
        return PROTO_SHU_ELOSS;
    rc = measures_total(capital, n, &total_modal);
    if (rc == 0)
        rc = measures_total(usage, n, &total_usaha);
    if (rc < 0)
        return rc;

    table_split(t, shu, res->amount);
    im = proto_shu_table_find(t, PROTO_SHU_ROLE_MODAL);
    iu = proto_shu_table_find(t, PROTO_SHU_ROLE_USAHA);
    assert(im >= 0 && iu >= 0);
    apportion(res->amount[im], capital, n, total_modal, lr, jm, &res->modal);
    apportion(res->amount[iu], usage, n, total_usaha, lr, ju, &res->usaha);
    return 0;
}
