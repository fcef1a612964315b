/*
 * Unit tests for proto/close: the bodies of the year-end kinds resolution (34), close (35),
 * frontier-part (36), shu-allocate (72) and shu-pay (73) (docs/ACCOUNTING.md 3.3, 3.4, 3.10),
 * the frontier digest (10.2) and the postings of 35, 72 and 73. Round trips of a full and a
 * minimal body of each kind; one table row per format rule, each rejected through the encoder
 * and the decoder alike, with a table of edge cases that must still pass; raw msgpack for what a
 * struct cannot express (types, arities, counts above capacity); non-canonical encodings; the
 * frontier digest against an independent computation with libsodium; the postings of each kind
 * line by line with balance asserts, and the "count may exceed max" convention.
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
#include <sodium.h>

#include "proto/close.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/mp.h"
#include "proto/shu.h"

#define AMAX   PROTO_AMOUNT_MAX
#define IAMAX  ((int64_t)PROTO_AMOUNT_MAX)
#define FIGMAX ((int64_t)PROTO_AMOUNT_MAX * 1000)

/* Accounts of the standard chart (cli/cmd_init.c). */
#define A_KAS      1100
#define A_SUKARELA 2100
#define A_SHU_PAY  2300
#define A_CADANGAN 3200
#define A_SOSIAL   2310
#define A_CURRENT  3500
#define A_RETAINED 3510
#define A_JASA     4100
#define A_ADMIN    4200
#define A_GAJI     5100
#define A_LISTRIK  5240

/* The structs are large (a close is about 60 KiB): the tests keep them here. */
static struct proto_resolution g_res;
static struct proto_close g_close;
static struct proto_frontier_part g_fp;
static struct proto_shu_allocate g_alloc;
static struct proto_shu_pay g_pay;
static union {
    struct proto_resolution res;
    struct proto_close close;
    struct proto_frontier_part fp;
    struct proto_shu_allocate alloc;
    struct proto_shu_pay pay;
} g_out;
#define LINES_ROOM (PROTO_CLOSE_LINES_MAX + PROTO_SHU_ROWS_MAX + PROTO_SHU_PARTS_MAX + 8)
static struct proto_line g_lines[LINES_ROOM];

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* ---- fixtures ---- */

static void part_set(struct proto_params_shu_part *p, const char *name, uint8_t role, uint32_t ppm,
                     uint32_t account)
{
    memset(p, 0, sizeof *p);
    strcpy(p->name, name);
    p->role = role;
    p->ppm = ppm;
    p->account = account;
}

static void tally_set(struct proto_decision *d, uint32_t e, uint32_t p, uint32_t f, uint32_t a,
                      uint32_t x)
{
    d->eligible = e;
    d->present = p;
    d->votes_for = f;
    d->against = a;
    d->abstain = x;
}

/* A RAT with one decision of every type. */
static void fill_res(void *p)
{
    struct proto_resolution *r = p;
    struct proto_decision *d;

    memset(r, 0, sizeof *r);
    r->date = 20260315;
    r->meeting = PROTO_MEETING_RAT;
    r->ndecisions = 5;
    d = &r->decisions[0];
    d->type = PROTO_DECIDE_RATIFY;
    d->has_target = true;
    memset(d->target, 0x35, 32);
    d->outcome = PROTO_OUTCOME_ADOPTED;
    tally_set(d, 120, 80, 70, 5, 5);
    d = &r->decisions[1];
    d->type = PROTO_DECIDE_SHU;
    d->has_target = true;
    memset(d->target, 0x35, 32);
    d->outcome = PROTO_OUTCOME_ADOPTED;
    tally_set(d, 120, 80, 60, 20, 0);
    d->has_table = true;
    d->nparts = 4;
    part_set(&d->parts[0], "Cadangan", PROTO_SHU_ROLE_OTHER, 400000, A_CADANGAN);
    part_set(&d->parts[1], "Jasa modal", PROTO_SHU_ROLE_MODAL, 200000, A_SHU_PAY);
    part_set(&d->parts[2], "Jasa usaha", PROTO_SHU_ROLE_USAHA, 300000, A_SHU_PAY);
    part_set(&d->parts[3], "Dana sosial", PROTO_SHU_ROLE_OTHER, 100000, A_SOSIAL);
    d = &r->decisions[2];
    d->type = PROTO_DECIDE_PARAMS;
    d->has_target = true;
    memset(d->target, 0x32, 32);
    d->outcome = PROTO_OUTCOME_ADOPTED;
    tally_set(d, 120, 80, 80, 0, 0);
    d = &r->decisions[3];
    d->type = PROTO_DECIDE_WRITEOFF;
    d->has_target = true;
    memset(d->target, 0x56, 32);
    d->outcome = PROTO_OUTCOME_REJECTED;
    tally_set(d, 120, 80, 10, 60, 10);
    d = &r->decisions[4];
    d->type = PROTO_DECIDE_OTHER;
    d->outcome = PROTO_OUTCOME_ADOPTED;
    tally_set(d, 120, 80, 41, 39, 0);
    d->has_motion = true;
    memset(d->motion, 0x4d, 32);
    r->has_minutes = true;
    memset(r->minutes, 0x6e, 32);
    strcpy(r->memo, "RAT tahun buku 2025");
}

/* One SHU decision with the table in force (nil), no minutes, no memo. */
static void fill_res_min(void *p)
{
    struct proto_resolution *r = p;

    memset(r, 0, sizeof *r);
    r->date = 20260315;
    r->meeting = PROTO_MEETING_OTHER;
    r->ndecisions = 1;
    r->decisions[0].type = PROTO_DECIDE_SHU;
    r->decisions[0].has_target = true;
    memset(r->decisions[0].target, 0x35, 32);
    r->decisions[0].outcome = PROTO_OUTCOME_ADOPTED;
}

static void author(uint8_t a[32], unsigned i)
{
    memset(a, 0, 32);
    a[0] = (uint8_t)(i >> 8);
    a[1] = (uint8_t)i;
    a[31] = 0xaa;
}

/* A surplus year: revenue 6 000 000, expense 3 500 000, SHU 2 500 000. */
static void fill_close(void *p)
{
    static const char *const types[] = {"cashflow", "equity", "findings",   "lhu",
                                        "loans",    "neraca", "shu-members"};
    struct proto_close *c = p;

    memset(c, 0, sizeof *c);
    c->year = 2025;
    c->start = 20250101;
    c->end = 20251231;
    c->date = 20260110;
    memset(c->frontier_digest, 0xfd, 32);
    c->nrows = 3;
    for (unsigned i = 0; i < 3; i++) {
        author(c->rows[i].author, i + 1);
        c->rows[i].length = 10 + i;
    }
    c->nparts = 2;
    memset(c->parts[0], 0x36, 32);
    memset(c->parts[1], 0x37, 32);
    c->current = A_CURRENT;
    c->retained = A_RETAINED;
    c->nlines = 4;
    c->lines[0] = (struct proto_close_line){A_JASA, -5000000};
    c->lines[1] = (struct proto_close_line){A_ADMIN, -1000000};
    c->lines[2] = (struct proto_close_line){A_GAJI, 3000000};
    c->lines[3] = (struct proto_close_line){A_LISTRIK, 500000};
    c->roll = 250000;
    c->ndigests = 7;
    for (unsigned i = 0; i < 7; i++) {
        strcpy(c->digests[i].type, types[i]);
        memset(c->digests[i].digest, (int)(0xd0 + i), 32);
    }
    c->shu.before_tax = 2500000;
    c->shu.tax = 250000;
    c->shu.after_tax = 2250000;
    c->shu.nonmember = 250000;
    c->shu.member = 2000000;
    c->shu.nparts = 4;
    c->shu.part_ppm[0] = 400000;
    c->shu.part_amount[0] = 800000;
    c->shu.part_ppm[1] = 200000;
    c->shu.part_amount[1] = 400000;
    c->shu.part_ppm[2] = 300000;
    c->shu.part_amount[2] = 600000;
    c->shu.part_ppm[3] = 100000;
    c->shu.part_amount[3] = 200000;
    c->shu.jm = (struct proto_close_pool){400000, 90000000, 399997, 3};
    c->shu.ju = (struct proto_close_pool){600000, 12000000, 599990, 10};
    c->shu.has_root = true;
    memset(c->shu.members_root, 0x7e, 32);
}

/* Nothing to close: no feeds, no lines, no roll, one digest, a zero SHU. */
static void fill_close_min(void *p)
{
    struct proto_close *c = p;

    memset(c, 0, sizeof *c);
    c->year = 2025;
    c->start = 20250101;
    c->end = 20251231;
    c->date = 20260110;
    c->current = A_CURRENT;
    c->retained = A_RETAINED;
    c->ndigests = 1;
    strcpy(c->digests[0].type, "neraca");
}

static void fill_fp(void *p)
{
    struct proto_frontier_part *f = p;

    memset(f, 0, sizeof *f);
    f->nrows = 3;
    for (unsigned i = 0; i < 3; i++) {
        author(f->rows[i].author, 100 + i);
        f->rows[i].length = (uint64_t)1 << (20 * i);
    }
}

static void fill_fp_min(void *p)
{
    struct proto_frontier_part *f = p;

    memset(f, 0, sizeof *f);
    f->nrows = 1;
    author(f->rows[0].author, 0);
    f->rows[0].length = 1;
}

/* Part 0 of 2: two funds and three members. */
static void fill_alloc(void *p)
{
    struct proto_shu_allocate *a = p;

    memset(a, 0, sizeof *a);
    a->year = 2025;
    memset(a->close, 0x35, 32);
    memset(a->resolution, 0x34, 32);
    a->date = 20260320;
    a->part = 0;
    a->parts = 2;
    a->source_account = A_CURRENT;
    a->payable_account = A_SHU_PAY;
    a->nfunds = 2;
    a->funds[0] = (struct proto_shu_fund){0, A_CADANGAN, 800000};
    a->funds[1] = (struct proto_shu_fund){3, A_SOSIAL, 200000};
    a->nrows = 3;
    a->rows[0] = (struct proto_shu_row){7, 150000, 200000};
    a->rows[1] = (struct proto_shu_row){9, 0, 1};
    a->rows[2] = (struct proto_shu_row){4000000000u, 249999, 0};
    strcpy(a->memo, "SHU 2025 bagian 1");
}

/* Part 1 of 2: one member, no funds. */
static void fill_alloc_min(void *p)
{
    struct proto_shu_allocate *a = p;

    memset(a, 0, sizeof *a);
    a->year = 2025;
    memset(a->close, 0x35, 32);
    memset(a->resolution, 0x34, 32);
    a->date = 20260320;
    a->part = 1;
    a->parts = 2;
    a->source_account = A_CURRENT;
    a->payable_account = A_SHU_PAY;
    a->nrows = 1;
    a->rows[0] = (struct proto_shu_row){12, 1, 0};
}

static void fill_pay(void *p)
{
    struct proto_shu_pay *s = p;

    memset(s, 0, sizeof *s);
    s->member = 7;
    s->date = 20260401;
    s->year = 2025;
    s->amount = 350000;
    s->payable_account = A_SHU_PAY;
    s->to_account = A_KAS;
    strcpy(s->memo, "SHU 2025 tunai");
}

static void fill_pay_min(void *p)
{
    struct proto_shu_pay *s = p;

    fill_pay(s);
    s->amount = 1;
    s->to_account = A_SUKARELA;
    memset(s->memo, 0, sizeof s->memo);
}

/* ---- one interface over the five kinds ---- */

static int res_dec(const uint8_t *b, size_t n, void *o)
{
    return proto_resolution_decode(b, n, o);
}
static int res_enc(const void *x, struct proto_buf *b)
{
    return proto_resolution_encode(x, b);
}
static int res_chk(const void *x)
{
    return proto_resolution_check(x);
}
static int close_dec(const uint8_t *b, size_t n, void *o)
{
    return proto_close_decode(b, n, o);
}
static int close_enc(const void *x, struct proto_buf *b)
{
    return proto_close_encode(x, b);
}
static int close_chk(const void *x)
{
    return proto_close_check(x);
}
static int fp_dec(const uint8_t *b, size_t n, void *o)
{
    return proto_frontier_part_decode(b, n, o);
}
static int fp_enc(const void *x, struct proto_buf *b)
{
    return proto_frontier_part_encode(x, b);
}
static int fp_chk(const void *x)
{
    return proto_frontier_part_check(x);
}
static int alloc_dec(const uint8_t *b, size_t n, void *o)
{
    return proto_shu_allocate_decode(b, n, o);
}
static int alloc_enc(const void *x, struct proto_buf *b)
{
    return proto_shu_allocate_encode(x, b);
}
static int alloc_chk(const void *x)
{
    return proto_shu_allocate_check(x);
}
static int pay_dec(const uint8_t *b, size_t n, void *o)
{
    return proto_shu_pay_decode(b, n, o);
}
static int pay_enc(const void *x, struct proto_buf *b)
{
    return proto_shu_pay_encode(x, b);
}
static int pay_chk(const void *x)
{
    return proto_shu_pay_check(x);
}

struct kops {
    const char *name;
    void *x; /* the kind's global fixture */
    size_t size;
    int (*dec)(const uint8_t *, size_t, void *);
    int (*enc)(const void *, struct proto_buf *);
    int (*chk)(const void *);
    void (*fill)(void *);
    void (*fill_min)(void *);
};

static const struct kops K_RES = {"resolution", &g_res,  sizeof g_res, res_dec,
                                  res_enc,      res_chk, fill_res,     fill_res_min};
static const struct kops K_CLOSE = {"close",   &g_close,  sizeof g_close, close_dec,
                                    close_enc, close_chk, fill_close,     fill_close_min};
static const struct kops K_FP = {"frontier-part", &g_fp,  sizeof g_fp, fp_dec,
                                 fp_enc,          fp_chk, fill_fp,     fill_fp_min};
static const struct kops K_ALLOC = {"shu-allocate", &g_alloc,  sizeof g_alloc, alloc_dec,
                                    alloc_enc,      alloc_chk, fill_alloc,     fill_alloc_min};
static const struct kops K_PAY = {"shu-pay", &g_pay,  sizeof g_pay, pay_dec,
                                  pay_enc,   pay_chk, fill_pay,     fill_pay_min};
static const struct kops *const g_kops[] = {&K_RES, &K_CLOSE, &K_FP, &K_ALLOC, &K_PAY};
#define NKOPS (sizeof g_kops / sizeof g_kops[0])

/*
 * Encodes x, decodes the bytes; on success the decoded struct equals x and encodes to the same
 * bytes. The kind's check must agree with the decoder; on failure the output is all zero.
 * Returns the decoder's code.
 */
static int rt(const struct kops *k, const void *x)
{
    struct proto_buf e, e2;
    int rc;

    proto_buf_init(&e);
    proto_buf_init(&e2);
    assert_int_equal(k->enc(x, &e), 0);
    memset(&g_out, 0xee, sizeof g_out);
    rc = k->dec(e.data, e.len, &g_out);
    assert_int_equal(k->chk(x), rc);
    if (rc == 0) {
        assert_memory_equal(&g_out, x, k->size);
        assert_int_equal(k->enc(&g_out, &e2), 0);
        assert_int_equal(e2.len, e.len);
        assert_memory_equal(e2.data, e.data, e.len);
    } else {
        assert_true(all_zero(&g_out, k->size));
    }
    proto_buf_release(&e);
    proto_buf_release(&e2);
    return rc;
}

/* ---- round trips ---- */

static void test_roundtrip(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKOPS; i++) {
        const struct kops *k = g_kops[i];

        k->fill(k->x);
        assert_int_equal(rt(k, k->x), 0);
        k->fill_min(k->x);
        assert_int_equal(rt(k, k->x), 0);
    }
}

/* The minimal shu-pay byte for byte, as docs/FORMATS.md 3.10.4 writes the bodies. */
static void test_bytes_shu_pay(void **state)
{
    static const uint8_t want[] = {
        0x97,                         /* array(7) */
        0x07,                         /* member 7 */
        0xce, 0x01, 0x35, 0x26, 0x31, /* date 20260401 */
        0xcd, 0x07, 0xe9,             /* year 2025 */
        0x01,                         /* amount 1 */
        0xcd, 0x08, 0xfc,             /* payable_account 2300 */
        0xcd, 0x08, 0x34,             /* to_account 2100 */
        0xa0,                         /* memo "" */
    };
    struct proto_buf e;

    (void)state;
    fill_pay_min(&g_pay);
    proto_buf_init(&e);
    assert_int_equal(proto_shu_pay_encode(&g_pay, &e), 0);
    assert_int_equal(e.len, sizeof want);
    assert_memory_equal(e.data, want, sizeof want);
    proto_buf_release(&e);
    assert_int_equal(proto_shu_pay_decode(want, sizeof want, &g_out.pay), 0);
    assert_memory_equal(&g_out.pay, &g_pay, sizeof g_pay);
}

/* ---- one row per rule ---- */

struct rule {
    const char *name;
    const struct kops *k;
    void (*mutate)(void); /* applied to k's full fixture */
};

#define MUT(fn, ...)                                                                               \
    static void fn(void)                                                                           \
    {                                                                                              \
        struct proto_resolution *r = &g_res;                                                       \
        struct proto_close *c = &g_close;                                                          \
        struct proto_frontier_part *f = &g_fp;                                                     \
        struct proto_shu_allocate *a = &g_alloc;                                                   \
        struct proto_shu_pay *p = &g_pay;                                                          \
        (void)r;                                                                                   \
        (void)c;                                                                                   \
        (void)f;                                                                                   \
        (void)a;                                                                                   \
        (void)p;                                                                                   \
        __VA_ARGS__;                                                                               \
    }

/* clang-format off */
/* resolution */
MUT(r_date, r->date = 20250229)
MUT(r_meeting0, r->meeting = 0)
MUT(r_meeting4, r->meeting = 4)
MUT(r_nodecision, r->ndecisions = 0)
MUT(r_type0, r->decisions[0].type = 0)
MUT(r_type6, r->decisions[0].type = 6)
MUT(r_notarget, r->decisions[2].has_target = false)
MUT(r_target5, r->decisions[4].has_target = true)
MUT(r_outcome0, r->decisions[0].outcome = 0)
MUT(r_outcome3, r->decisions[0].outcome = 3)
MUT(r_eligible, tally_set(&r->decisions[0], 10000001, 10000001, 0, 0, 0))
MUT(r_present, tally_set(&r->decisions[0], 80, 81, 0, 0, 0))
MUT(r_votes, tally_set(&r->decisions[0], 120, 80, 70, 5, 6))
MUT(r_votes_big, tally_set(&r->decisions[0], 10000000, 10000000, 10000000, 10000000, 0))
MUT(r_table0, r->decisions[1].nparts = 0)
MUT(r_table33, r->decisions[1].nparts = 33)
MUT(r_table_type1, r->decisions[0].has_table = true; r->decisions[0].nparts = 1;
    r->decisions[0].parts[0] = r->decisions[1].parts[0])
MUT(r_name_empty, r->decisions[1].parts[2].name[0] = '\0')
MUT(r_name_ctrl, r->decisions[1].parts[2].name[4] = '\t')
MUT(r_name_utf8, r->decisions[1].parts[2].name[4] = (char)0xc0)
MUT(r_name_long, memset(r->decisions[1].parts[2].name, 'x', PROTO_SHU_NAME_MAX + 1))
MUT(r_role3, r->decisions[1].parts[0].role = 3)
MUT(r_ppm, r->decisions[1].parts[0].ppm = 1000001)
MUT(r_acct999, r->decisions[1].parts[3].account = 999)
MUT(r_acct10000, r->decisions[1].parts[3].account = 10000)
MUT(r_nomotion, r->decisions[4].has_motion = false)
MUT(r_motion3, r->decisions[2].has_motion = true)
MUT(r_memo_long, memset(r->memo, 'm', PROTO_ACCT_MEMO_MAX + 1))
MUT(r_memo_utf8, r->memo[0] = (char)0xff)
/* close */
MUT(c_year1899, c->year = 1899)
MUT(c_year10000, c->year = 10000)
MUT(c_start, c->start = 20250100)
MUT(c_end, c->end = 20251232)
MUT(c_date, c->date = 20260230)
MUT(c_start_end, c->start = 20260101)
MUT(c_len0, c->rows[1].length = 0)
MUT(c_rows_dup, memcpy(c->rows[2].author, c->rows[1].author, 32))
MUT(c_rows_desc, author(c->rows[0].author, 9))
MUT(c_parts_dup, memset(c->parts[1], 0x36, 32))
MUT(c_parts_desc, memset(c->parts[0], 0x38, 32))
MUT(c_current, c->current = 999)
MUT(c_retained, c->retained = 10000)
MUT(c_same, c->retained = c->current)
MUT(c_line_acct, c->lines[0].account = 999)
MUT(c_line_acct_hi, c->lines[3].account = 10000)
MUT(c_line_zero, c->lines[1].amount = 0)
MUT(c_line_big, c->lines[2].amount = IAMAX + 1)
MUT(c_line_small, c->lines[2].amount = -IAMAX - 1)
MUT(c_line_min, c->lines[2].amount = INT64_MIN)
MUT(c_lines_dup, c->lines[1].account = c->lines[0].account)
MUT(c_lines_desc, c->lines[3].account = 5000)
MUT(c_roll_big, c->roll = IAMAX + 1)
MUT(c_roll_small, c->roll = -IAMAX - 1)
MUT(c_nodigest, c->ndigests = 0)
MUT(c_type_empty, c->digests[0].type[0] = '\0')
MUT(c_type_upper, c->digests[0].type[0] = 'C')
MUT(c_type_digit, c->digests[1].type[2] = '1')
MUT(c_type_space, c->digests[1].type[2] = ' ')
MUT(c_type_under, c->digests[6].type[3] = '_')
MUT(c_type_long, memset(c->digests[6].type, 'z', PROTO_CLOSE_TYPE_MAX + 1))
MUT(c_type_dup, strcpy(c->digests[1].type, "cashflow"))
MUT(c_type_desc, strcpy(c->digests[0].type, "neraca"); strcpy(c->digests[5].type, "cashflow"))
MUT(c_shu_before, c->shu.before_tax = FIGMAX + 1)
MUT(c_shu_tax, c->shu.tax = -FIGMAX - 1)
MUT(c_shu_after, c->shu.after_tax = INT64_MAX)
MUT(c_shu_nonmember, c->shu.nonmember = INT64_MIN)
MUT(c_shu_member, c->shu.member = -FIGMAX - 1)
MUT(c_shu_nparts, c->shu.nparts = 33)
MUT(c_shu_ppm, c->shu.part_ppm[3] = 1000001)
MUT(c_shu_amount, c->shu.part_amount[0] = FIGMAX + 1)
MUT(c_jm_pool, c->shu.jm.pool = FIGMAX + 1)
MUT(c_jm_paid, c->shu.jm.paid = -FIGMAX - 1)
MUT(c_ju_residual, c->shu.ju.residual = FIGMAX + 1)
/* frontier-part */
MUT(f_norows, f->nrows = 0)
MUT(f_len0, f->rows[0].length = 0)
MUT(f_dup, memcpy(f->rows[1].author, f->rows[0].author, 32))
MUT(f_desc, author(f->rows[2].author, 1))
/* shu-allocate */
MUT(a_year, a->year = 1899)
MUT(a_year_hi, a->year = 10000)
MUT(a_date, a->date = 20261301)
MUT(a_parts0, a->parts = 0)
MUT(a_parts65, a->parts = 65)
MUT(a_part_eq, a->part = 2)
MUT(a_part_big, a->part = 70; a->parts = 64)
MUT(a_source, a->source_account = 999)
MUT(a_payable, a->payable_account = 10000)
MUT(a_funds_part1, a->part = 1)
MUT(a_fund_index, a->funds[1].index = 32)
MUT(a_fund_acct, a->funds[0].account = 999)
MUT(a_fund_zero, a->funds[0].amount = 0)
MUT(a_fund_big, a->funds[0].amount = AMAX + 1)
MUT(a_member0, a->rows[0].member = 0)
MUT(a_rows_dup, a->rows[1].member = 7)
MUT(a_rows_desc, a->rows[2].member = 8)
MUT(a_jm_big, a->rows[0].jm = AMAX + 1)
MUT(a_ju_big, a->rows[0].ju = AMAX + 1)
MUT(a_row_zero, a->rows[1].ju = 0)
MUT(a_empty, a->nfunds = 0; a->nrows = 0)
MUT(a_memo, memset(a->memo, 'm', PROTO_ACCT_MEMO_MAX + 1))
/* shu-pay */
MUT(p_member, p->member = 0)
MUT(p_date, p->date = 20260431)
MUT(p_year, p->year = 10000)
MUT(p_year_lo, p->year = 0)
MUT(p_amount0, p->amount = 0)
MUT(p_amount_big, p->amount = AMAX + 1)
MUT(p_payable, p->payable_account = 999)
MUT(p_to, p->to_account = 10000)
MUT(p_memo, p->memo[3] = (char)0xed)

static const struct rule g_bad[] = {
    {"resolution: date invalid", &K_RES, r_date},
    {"resolution: meeting 0", &K_RES, r_meeting0},
    {"resolution: meeting 4", &K_RES, r_meeting4},
    {"resolution: no decision", &K_RES, r_nodecision},
    {"resolution: type 0", &K_RES, r_type0},
    {"resolution: type 6", &K_RES, r_type6},
    {"resolution: type 3 without target", &K_RES, r_notarget},
    {"resolution: type 5 with a target", &K_RES, r_target5},
    {"resolution: outcome 0", &K_RES, r_outcome0},
    {"resolution: outcome 3", &K_RES, r_outcome3},
    {"resolution: eligible above 10^7", &K_RES, r_eligible},
    {"resolution: present above eligible", &K_RES, r_present},
    {"resolution: votes above present", &K_RES, r_votes},
    {"resolution: votes above present, each 10^7", &K_RES, r_votes_big},
    {"resolution: table of 0 parts", &K_RES, r_table0},
    {"resolution: table on type 1", &K_RES, r_table_type1},
    {"resolution: part name empty", &K_RES, r_name_empty},
    {"resolution: part name control byte", &K_RES, r_name_ctrl},
    {"resolution: part name not UTF-8", &K_RES, r_name_utf8},
    {"resolution: part role 3", &K_RES, r_role3},
    {"resolution: part ppm above 10^6", &K_RES, r_ppm},
    {"resolution: part account 999", &K_RES, r_acct999},
    {"resolution: part account 10000", &K_RES, r_acct10000},
    {"resolution: type 5 without motion", &K_RES, r_nomotion},
    {"resolution: motion on type 3", &K_RES, r_motion3},
    {"resolution: memo 201 bytes", &K_RES, r_memo_long},
    {"resolution: memo not UTF-8", &K_RES, r_memo_utf8},
    {"close: year 1899", &K_CLOSE, c_year1899},
    {"close: year 10000", &K_CLOSE, c_year10000},
    {"close: start invalid", &K_CLOSE, c_start},
    {"close: end invalid", &K_CLOSE, c_end},
    {"close: date invalid", &K_CLOSE, c_date},
    {"close: start after end", &K_CLOSE, c_start_end},
    {"close: frontier length 0", &K_CLOSE, c_len0},
    {"close: frontier author twice", &K_CLOSE, c_rows_dup},
    {"close: frontier authors descending", &K_CLOSE, c_rows_desc},
    {"close: part id twice", &K_CLOSE, c_parts_dup},
    {"close: part ids descending", &K_CLOSE, c_parts_desc},
    {"close: current account 999", &K_CLOSE, c_current},
    {"close: retained account 10000", &K_CLOSE, c_retained},
    {"close: current = retained", &K_CLOSE, c_same},
    {"close: closing account 999", &K_CLOSE, c_line_acct},
    {"close: closing account 10000", &K_CLOSE, c_line_acct_hi},
    {"close: closing amount 0", &K_CLOSE, c_line_zero},
    {"close: closing amount above 10^15", &K_CLOSE, c_line_big},
    {"close: closing amount below -10^15", &K_CLOSE, c_line_small},
    {"close: closing amount INT64_MIN", &K_CLOSE, c_line_min},
    {"close: closing account twice", &K_CLOSE, c_lines_dup},
    {"close: closing accounts descending", &K_CLOSE, c_lines_desc},
    {"close: roll above 10^15", &K_CLOSE, c_roll_big},
    {"close: roll below -10^15", &K_CLOSE, c_roll_small},
    {"close: no digest", &K_CLOSE, c_nodigest},
    {"close: digest type empty", &K_CLOSE, c_type_empty},
    {"close: digest type uppercase", &K_CLOSE, c_type_upper},
    {"close: digest type digit", &K_CLOSE, c_type_digit},
    {"close: digest type space", &K_CLOSE, c_type_space},
    {"close: digest type underscore", &K_CLOSE, c_type_under},
    {"close: digest type 16 bytes", &K_CLOSE, c_type_long},
    {"close: digest type twice", &K_CLOSE, c_type_dup},
    {"close: digest types descending", &K_CLOSE, c_type_desc},
    {"close: shu before_tax above 10^18", &K_CLOSE, c_shu_before},
    {"close: shu tax below -10^18", &K_CLOSE, c_shu_tax},
    {"close: shu after_tax INT64_MAX", &K_CLOSE, c_shu_after},
    {"close: shu nonmember INT64_MIN", &K_CLOSE, c_shu_nonmember},
    {"close: shu member below -10^18", &K_CLOSE, c_shu_member},
    {"close: shu part ppm above 10^6", &K_CLOSE, c_shu_ppm},
    {"close: shu part amount above 10^18", &K_CLOSE, c_shu_amount},
    {"close: jm pool above 10^18", &K_CLOSE, c_jm_pool},
    {"close: jm paid below -10^18", &K_CLOSE, c_jm_paid},
    {"close: ju residual above 10^18", &K_CLOSE, c_ju_residual},
    {"frontier-part: no rows", &K_FP, f_norows},
    {"frontier-part: length 0", &K_FP, f_len0},
    {"frontier-part: author twice", &K_FP, f_dup},
    {"frontier-part: authors descending", &K_FP, f_desc},
    {"shu-allocate: year 1899", &K_ALLOC, a_year},
    {"shu-allocate: year 10000", &K_ALLOC, a_year_hi},
    {"shu-allocate: date invalid", &K_ALLOC, a_date},
    {"shu-allocate: parts 0", &K_ALLOC, a_parts0},
    {"shu-allocate: parts 65", &K_ALLOC, a_parts65},
    {"shu-allocate: part = parts", &K_ALLOC, a_part_eq},
    {"shu-allocate: part above parts", &K_ALLOC, a_part_big},
    {"shu-allocate: source account 999", &K_ALLOC, a_source},
    {"shu-allocate: payable account 10000", &K_ALLOC, a_payable},
    {"shu-allocate: funds outside part 0", &K_ALLOC, a_funds_part1},
    {"shu-allocate: fund index 32", &K_ALLOC, a_fund_index},
    {"shu-allocate: fund account 999", &K_ALLOC, a_fund_acct},
    {"shu-allocate: fund amount 0", &K_ALLOC, a_fund_zero},
    {"shu-allocate: fund amount above 10^15", &K_ALLOC, a_fund_big},
    {"shu-allocate: member 0", &K_ALLOC, a_member0},
    {"shu-allocate: member twice", &K_ALLOC, a_rows_dup},
    {"shu-allocate: members descending", &K_ALLOC, a_rows_desc},
    {"shu-allocate: jm above 10^15", &K_ALLOC, a_jm_big},
    {"shu-allocate: ju above 10^15", &K_ALLOC, a_ju_big},
    {"shu-allocate: jm + ju = 0", &K_ALLOC, a_row_zero},
    {"shu-allocate: no fund and no row", &K_ALLOC, a_empty},
    {"shu-allocate: memo 201 bytes", &K_ALLOC, a_memo},
    {"shu-pay: member 0", &K_PAY, p_member},
    {"shu-pay: date invalid", &K_PAY, p_date},
    {"shu-pay: year 10000", &K_PAY, p_year},
    {"shu-pay: year 0", &K_PAY, p_year_lo},
    {"shu-pay: amount 0", &K_PAY, p_amount0},
    {"shu-pay: amount above 10^15", &K_PAY, p_amount_big},
    {"shu-pay: payable account 999", &K_PAY, p_payable},
    {"shu-pay: to account 10000", &K_PAY, p_to},
    {"shu-pay: memo not UTF-8", &K_PAY, p_memo},
};

/* Edges that stay well-formed. */
MUT(g_tally_max, tally_set(&r->decisions[0], 10000000, 10000000, 10000000, 0, 0))
MUT(g_tally_sum, tally_set(&r->decisions[0], 120, 80, 40, 30, 10))
MUT(g_tally_zero, tally_set(&r->decisions[0], 0, 0, 0, 0, 0))
MUT(g_table_sum, r->decisions[1].parts[0].ppm = 5) /* not 100 %: the books' params-invalid */
MUT(g_table_roles, r->decisions[1].parts[1].role = PROTO_SHU_ROLE_OTHER)
MUT(g_table_32, r->decisions[1].nparts = 32;
    for (int i = 0; i < 32; i++) {
        part_set(&r->decisions[1].parts[i], "Bagian", (uint8_t)(i % 3), 31250, 9999);
        r->decisions[1].parts[i].name[6] = (char)('A' + i % 26);
    })
MUT(g_table_name64, memset(r->decisions[1].parts[0].name, 'n', PROTO_SHU_NAME_MAX))
MUT(g_table_nil, r->decisions[1].has_table = false; r->decisions[1].nparts = 0;
    memset(r->decisions[1].parts, 0, sizeof r->decisions[1].parts))
MUT(g_res_16, r->ndecisions = 16;
    for (int i = 5; i < 16; i++) r->decisions[i] = r->decisions[i % 5])
MUT(g_res_utf8, strcpy(r->memo, "Rapat Anggota Tahunan \xe2\x80\x94 Koperasi"))
MUT(g_close_edges, c->lines[0].amount = -IAMAX; c->lines[3].amount = IAMAX;
    c->lines[0].account = 1000; c->lines[3].account = 9999; c->roll = -IAMAX)
MUT(g_close_roll_max, c->roll = IAMAX)
MUT(g_close_figs, c->shu.before_tax = FIGMAX; c->shu.tax = -FIGMAX; c->shu.jm.total = UINT64_MAX;
    c->shu.ju.pool = -FIGMAX; c->shu.part_amount[0] = -FIGMAX; c->shu.part_ppm[0] = 1000000)
MUT(g_close_early, c->start = c->end = c->date = 20251231; c->year = 9999)
MUT(g_close_date_before, c->date = 20240101; c->year = 1900) /* close-early is a finding */
MUT(g_close_len_max, c->rows[2].length = UINT64_MAX)
MUT(g_close_types, memset(c->digests[0].type, 0, sizeof c->digests[0].type);
    strcpy(c->digests[0].type, "-"); strcpy(c->digests[6].type, "zzzzzzzzzzzzzzz"))
MUT(g_close_16, c->ndigests = 16;
    for (int i = 7; i < 16; i++) {
        memset(c->digests[i].type, 0, sizeof c->digests[i].type);
        strcpy(c->digests[i].type, "zz");
        c->digests[i].type[2] = (char)('a' + i);
    })
MUT(g_close_noroot, c->shu.has_root = false; memset(c->shu.members_root, 0, 32))
MUT(g_fp_len, f->rows[0].length = UINT64_MAX)
MUT(g_alloc_funds_only, a->nrows = 0; memset(a->rows, 0, 3 * sizeof a->rows[0]))
MUT(g_alloc_edges, a->funds[0].index = 31; a->funds[0].amount = AMAX; a->rows[0].jm = AMAX;
    a->rows[0].ju = AMAX; a->part = 63; a->parts = 64; a->nfunds = 0;
    memset(a->funds, 0, sizeof a->funds))
MUT(g_alloc_dup_index, a->funds[1].index = 0)
MUT(g_pay_max, p->amount = AMAX; p->member = UINT32_MAX; p->year = 1900)
/* clang-format on */

static const struct rule g_good[] = {
    {"resolution: tally at 10^7", &K_RES, g_tally_max},
    {"resolution: votes = present", &K_RES, g_tally_sum},
    {"resolution: empty tally", &K_RES, g_tally_zero},
    {"resolution: table not 100 %", &K_RES, g_table_sum},
    {"resolution: table without jasa modal", &K_RES, g_table_roles},
    {"resolution: table of 32 parts", &K_RES, g_table_32},
    {"resolution: part name 64 bytes", &K_RES, g_table_name64},
    {"resolution: SHU with the table in force", &K_RES, g_table_nil},
    {"resolution: 16 decisions", &K_RES, g_res_16},
    {"resolution: UTF-8 memo", &K_RES, g_res_utf8},
    {"close: closing at +-10^15, accounts 1000 and 9999", &K_CLOSE, g_close_edges},
    {"close: roll 10^15", &K_CLOSE, g_close_roll_max},
    {"close: shu figures at +-10^18, total 2^64-1", &K_CLOSE, g_close_figs},
    {"close: start = end = date, year 9999", &K_CLOSE, g_close_early},
    {"close: date before start, year 1900", &K_CLOSE, g_close_date_before},
    {"close: frontier length 2^64-1", &K_CLOSE, g_close_len_max},
    {"close: digest types '-' and 15 bytes", &K_CLOSE, g_close_types},
    {"close: 16 digests", &K_CLOSE, g_close_16},
    {"close: no members root", &K_CLOSE, g_close_noroot},
    {"frontier-part: length 2^64-1", &K_FP, g_fp_len},
    {"shu-allocate: funds only", &K_ALLOC, g_alloc_funds_only},
    {"shu-allocate: edges", &K_ALLOC, g_alloc_edges},
    {"shu-allocate: one table index twice", &K_ALLOC, g_alloc_dup_index},
    {"shu-pay: amount 10^15, member 2^32-1, year 1900", &K_PAY, g_pay_max},
};

static void test_rules_rejected(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof g_bad / sizeof g_bad[0]; i++) {
        const struct rule *t = &g_bad[i];

        t->k->fill(t->k->x);
        assert_int_equal(rt(t->k, t->k->x), 0);
        t->mutate();
        if (t->k->chk(t->k->x) != ERR_BODY)
            fail_msg("rule not enforced: %s", t->name);
        if (rt(t->k, t->k->x) != ERR_BODY)
            fail_msg("rule not enforced by the decoder: %s", t->name);
    }
}

/* Rules only a hand-built struct can break (the encoder refuses or truncates such a struct). */
static void test_rules_check_only(void **state)
{
    (void)state;
    fill_res(&g_res);
    r_table33();
    assert_int_equal(proto_resolution_check(&g_res), ERR_BODY);
    fill_res(&g_res);
    r_name_long();
    assert_int_equal(proto_resolution_check(&g_res), ERR_BODY);
    fill_close(&g_close);
    c_shu_nparts();
    assert_int_equal(proto_close_check(&g_close), ERR_BODY);
    fill_close(&g_close);
    g_close.nrows = PROTO_CLOSE_ROWS_MAX + 1;
    assert_int_equal(proto_close_check(&g_close), ERR_BODY);
    fill_close(&g_close);
    g_close.nparts = PROTO_CLOSE_PARTS_MAX + 1;
    assert_int_equal(proto_close_check(&g_close), ERR_BODY);
    fill_close(&g_close);
    g_close.nlines = PROTO_CLOSE_LINES_MAX + 1;
    assert_int_equal(proto_close_check(&g_close), ERR_BODY);
    fill_close(&g_close);
    g_close.ndigests = PROTO_CLOSE_DIGESTS_MAX + 1;
    assert_int_equal(proto_close_check(&g_close), ERR_BODY);
    fill_res(&g_res);
    g_res.ndecisions = PROTO_RES_DECISIONS_MAX + 1;
    assert_int_equal(proto_resolution_check(&g_res), ERR_BODY);
    fill_fp(&g_fp);
    g_fp.nrows = PROTO_CLOSE_PART_ROWS_MAX + 1;
    assert_int_equal(proto_frontier_part_check(&g_fp), ERR_BODY);
    fill_alloc(&g_alloc);
    g_alloc.nfunds = PROTO_SHU_PARTS_MAX + 1;
    assert_int_equal(proto_shu_allocate_check(&g_alloc), ERR_BODY);
    fill_alloc(&g_alloc);
    g_alloc.nrows = PROTO_SHU_ROWS_MAX + 1;
    assert_int_equal(proto_shu_allocate_check(&g_alloc), ERR_BODY);
    fill_pay(&g_pay);
    memset(g_pay.memo, 'm', sizeof g_pay.memo); /* not terminated */
    assert_int_equal(proto_shu_pay_check(&g_pay), ERR_BODY);
}

static void test_edges_accepted(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof g_good / sizeof g_good[0]; i++) {
        const struct rule *t = &g_good[i];

        t->k->fill(t->k->x);
        t->mutate();
        if (rt(t->k, t->k->x) != 0)
            fail_msg("edge refused: %s", t->name);
    }
}

/* ---- raw msgpack: what a struct cannot express ---- */

/* Departures written by the raw builders below (V_NONE: a sound body). */
enum variant {
    V_NONE,
    /* resolution */
    V_RES_ARITY4,
    V_DEC_ARITY6,
    V_TALLY_ARITY4,
    V_TALLY_NEG,
    V_TALLY_BIG, /* 2^32 */
    V_TYPE_NEG,
    V_TYPE_256,
    V_TARGET_BIN31,
    V_TARGET_STR,
    V_DATA_STR,
    V_DATA_BIN31,
    V_DATA_TRUE,
    V_PART_ARITY3,
    V_PART_NAME_BIN,
    V_PART_NAME_NUL,
    V_PART_NAME_65,
    V_MINUTES_BIN33,
    V_MEMO_NUL,
    V_MEMO_BIN,
    /* close */
    V_CLOSE_ARITY11,
    V_YEAR_NEG,
    V_FRONTIER_ARITY2,
    V_ROW_ARITY3,
    V_LEN_NEG,
    V_AUTHOR_BIN31,
    V_PART_ID_NIL,
    V_ACCOUNTS_ARITY3,
    V_LINE_ARITY3,
    V_LINE_AMOUNT_NIL,
    V_ROLL_HUGE, /* uint 2^63: no int64 */
    V_DIGEST_TYPE_BIN,
    V_DIGEST_TYPE_NUL,
    V_DIGEST_TYPE_16,
    V_DIGEST_BIN31,
    V_SHU_ARITY8,
    V_SHU_PART_ARITY3,
    V_POOL_ARITY3,
    V_TOTAL_NEG,
    V_ROOT_STR,
    V_ROLL_NC_POS, /* 5 as int8 */
    V_ROLL_NC_NEG, /* -1 as int16 */
    V_ROLL_NC_U16, /* 5 as uint16 */
    /* frontier-part */
    V_FP_ARITY2,
    V_FP_NOT_ARRAY,
    /* shu-allocate */
    V_ALLOC_ARITY10,
    V_CLOSE_ID_BIN31,
    V_FUND_ARITY2,
    V_ROW_ARITY4,
    V_JM_NEG,
    V_MEMBER_2_32,
    V_FUND_AMOUNT_NIL,
    V_PART_NEG,
};

static void put_u(struct proto_buf *b, uint64_t v)
{
    assert_int_equal(proto_mp_put_uint(b, v), 0);
}

static void put_i(struct proto_buf *b, int64_t v)
{
    assert_int_equal(proto_mp_put_int(b, v), 0);
}

static void put_a(struct proto_buf *b, uint32_t n)
{
    assert_int_equal(proto_mp_put_array(b, n), 0);
}

static void put_s(struct proto_buf *b, const char *s, size_t n)
{
    assert_int_equal(proto_mp_put_str(b, s, n), 0);
}

static void put_nil(struct proto_buf *b)
{
    assert_int_equal(proto_mp_put_nil(b), 0);
}

static void put_bn(struct proto_buf *b, int fill, size_t n)
{
    uint8_t x[64];

    assert_true(n <= sizeof x);
    memset(x, fill, n);
    assert_int_equal(proto_mp_put_bin(b, x, n), 0);
}

static void put_raw(struct proto_buf *b, const char *bytes, size_t n)
{
    assert_int_equal(proto_buf_append(b, bytes, n), 0);
}

/* A resolution of ndec type-2 decisions, each with a table of ntable parts. */
static void raw_res(struct proto_buf *b, uint32_t ndec, uint32_t ntable, enum variant v)
{
    put_a(b, v == V_RES_ARITY4 ? 4 : 5);
    put_u(b, 20260315);
    put_u(b, 1);
    put_a(b, ndec);
    for (uint32_t i = 0; i < ndec; i++) {
        put_a(b, v == V_DEC_ARITY6 ? 6 : 5);
        if (v == V_TYPE_NEG)
            put_i(b, -2);
        else
            put_u(b, v == V_TYPE_256 ? 258 : 2);
        if (v == V_TARGET_STR)
            put_s(b, "target", 6);
        else
            put_bn(b, 0x35, v == V_TARGET_BIN31 ? 31 : 32);
        put_u(b, 1);
        put_a(b, v == V_TALLY_ARITY4 ? 4 : 5);
        put_u(b, v == V_TALLY_BIG ? (uint64_t)1 << 32 : 100);
        put_u(b, 90);
        put_u(b, 80);
        if (v == V_TALLY_NEG)
            put_i(b, -1);
        else
            put_u(b, 5);
        if (v != V_TALLY_ARITY4)
            put_u(b, 5);
        if (v == V_DATA_STR) {
            put_s(b, "data", 4);
        } else if (v == V_DATA_BIN31) {
            put_bn(b, 0x4d, 31);
        } else if (v == V_DATA_TRUE) {
            assert_int_equal(proto_mp_put_bool(b, true), 0);
        } else {
            put_a(b, ntable);
            for (uint32_t k = 0; k < ntable; k++) {
                char name[8] = {
                    'P', 'a', 'r', 't', ' ', (char)('A' + k / 26), (char)('a' + k % 26)};

                put_a(b, v == V_PART_ARITY3 ? 3 : 4);
                if (v == V_PART_NAME_BIN)
                    put_bn(b, 'x', 4);
                else if (v == V_PART_NAME_NUL)
                    put_s(b, "Da\0na", 5);
                else if (v == V_PART_NAME_65)
                    put_s(b, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                          65);
                else
                    put_s(b, name, 7);
                put_u(b, k % 3);
                put_u(b, 1000000 / ntable);
                if (v != V_PART_ARITY3)
                    put_u(b, 3200);
            }
        }
        if (v == V_DEC_ARITY6)
            put_nil(b);
    }
    put_bn(b, 0x6e, v == V_MINUTES_BIN33 ? 33 : 32);
    if (v == V_RES_ARITY4)
        return;
    if (v == V_MEMO_NUL)
        put_s(b, "a\0b", 3);
    else if (v == V_MEMO_BIN)
        put_bn(b, 'm', 3);
    else
        put_s(b, "RAT", 3);
}

/* A close with the given counts: rows and lines ascending, digest types "tAA", "tAB", ... */
static void raw_close(struct proto_buf *b, uint32_t nrows, uint32_t nparts, uint32_t nlines,
                      uint32_t ndigests, uint32_t nshu, enum variant v)
{
    put_a(b, v == V_CLOSE_ARITY11 ? 11 : 10);
    if (v == V_YEAR_NEG)
        put_i(b, -2025);
    else
        put_u(b, 2025);
    put_u(b, 20250101);
    put_u(b, 20251231);
    put_u(b, 20260110);
    put_a(b, v == V_FRONTIER_ARITY2 ? 2 : 3);
    put_bn(b, 0xfd, 32);
    put_a(b, nrows);
    for (uint32_t i = 0; i < nrows; i++) {
        uint8_t a[32];

        author(a, i);
        put_a(b, v == V_ROW_ARITY3 ? 3 : 2);
        assert_int_equal(proto_mp_put_bin(b, a, v == V_AUTHOR_BIN31 ? 31 : 32), 0);
        if (v == V_LEN_NEG)
            put_i(b, -1);
        else
            put_u(b, i + 1);
        if (v == V_ROW_ARITY3)
            put_u(b, 1);
    }
    if (v != V_FRONTIER_ARITY2) {
        put_a(b, nparts);
        for (uint32_t i = 0; i < nparts; i++) {
            uint8_t id[32] = {(uint8_t)i};

            if (v == V_PART_ID_NIL)
                put_nil(b);
            else
                assert_int_equal(proto_mp_put_bin(b, id, 32), 0);
        }
    }
    put_a(b, v == V_ACCOUNTS_ARITY3 ? 3 : 2);
    put_u(b, 3500);
    put_u(b, 3510);
    if (v == V_ACCOUNTS_ARITY3)
        put_u(b, 3520);
    put_a(b, nlines);
    for (uint32_t i = 0; i < nlines; i++) {
        put_a(b, v == V_LINE_ARITY3 ? 3 : 2);
        put_u(b, 4000 + i);
        if (v == V_LINE_AMOUNT_NIL)
            put_nil(b);
        else
            put_i(b, i % 2 ? -(int64_t)(i + 1) : (int64_t)(i + 1));
        if (v == V_LINE_ARITY3)
            put_u(b, 1);
    }
    if (v == V_ROLL_HUGE)
        put_u(b, (uint64_t)1 << 63);
    else if (v == V_ROLL_NC_POS)
        put_raw(b, "\xd0\x05", 2);
    else if (v == V_ROLL_NC_NEG)
        put_raw(b, "\xd1\xff\xff", 3);
    else if (v == V_ROLL_NC_U16)
        put_raw(b, "\xcd\x00\x05", 3);
    else
        put_i(b, -5);
    put_a(b, ndigests);
    for (uint32_t i = 0; i < ndigests; i++) {
        char t[3] = {'t', (char)('a' + i / 26), (char)('a' + i % 26)};

        put_a(b, 2);
        if (v == V_DIGEST_TYPE_BIN)
            put_bn(b, 'a', 3);
        else if (v == V_DIGEST_TYPE_NUL)
            put_s(b, "ab\0", 3);
        else if (v == V_DIGEST_TYPE_16)
            put_s(b, "abcdefghijklmnop", 16);
        else
            put_s(b, t, 3);
        put_bn(b, 0xd0, v == V_DIGEST_BIN31 ? 31 : 32);
    }
    put_a(b, v == V_SHU_ARITY8 ? 8 : 9);
    for (int i = 0; i < 5; i++)
        put_i(b, -1000 * i);
    put_a(b, nshu);
    for (uint32_t i = 0; i < nshu; i++) {
        put_a(b, v == V_SHU_PART_ARITY3 ? 3 : 2);
        put_u(b, 31250);
        put_i(b, (int64_t)i - 3);
        if (v == V_SHU_PART_ARITY3)
            put_u(b, 0);
    }
    for (int k = 0; k < 2; k++) {
        put_a(b, v == V_POOL_ARITY3 ? 3 : 4);
        put_i(b, 100);
        if (v == V_TOTAL_NEG)
            put_i(b, -1);
        else
            put_u(b, 1000);
        put_i(b, 97);
        if (v != V_POOL_ARITY3)
            put_i(b, 3);
    }
    if (v == V_SHU_ARITY8)
        return;
    if (v == V_ROOT_STR)
        put_s(b, "root", 4);
    else
        put_nil(b);
}

static void raw_fp(struct proto_buf *b, uint32_t nrows, enum variant v)
{
    if (v == V_FP_NOT_ARRAY) {
        put_u(b, 1);
        return;
    }
    put_a(b, v == V_FP_ARITY2 ? 2 : 1);
    put_a(b, nrows);
    for (uint32_t i = 0; i < nrows; i++) {
        uint8_t a[32];

        author(a, i);
        put_a(b, 2);
        assert_int_equal(proto_mp_put_bin(b, a, 32), 0);
        put_u(b, 1);
    }
    if (v == V_FP_ARITY2)
        put_nil(b);
}

static void raw_alloc(struct proto_buf *b, uint32_t nfunds, uint32_t nrows, enum variant v)
{
    put_a(b, v == V_ALLOC_ARITY10 ? 10 : 11);
    put_u(b, 2025);
    put_bn(b, 0x35, v == V_CLOSE_ID_BIN31 ? 31 : 32);
    put_bn(b, 0x34, 32);
    put_u(b, 20260320);
    if (v == V_PART_NEG)
        put_i(b, -1);
    else
        put_u(b, 0);
    put_u(b, 1);
    put_u(b, 3500);
    put_u(b, 2300);
    put_a(b, nfunds);
    for (uint32_t i = 0; i < nfunds; i++) {
        put_a(b, v == V_FUND_ARITY2 ? 2 : 3);
        put_u(b, i);
        put_u(b, 3200);
        if (v == V_FUND_AMOUNT_NIL)
            put_nil(b);
        else if (v != V_FUND_ARITY2)
            put_u(b, 1000);
    }
    put_a(b, nrows);
    for (uint32_t i = 0; i < nrows; i++) {
        put_a(b, v == V_ROW_ARITY4 ? 4 : 3);
        put_u(b, v == V_MEMBER_2_32 ? ((uint64_t)1 << 32) + i : i + 1);
        if (v == V_JM_NEG)
            put_i(b, -1);
        else
            put_u(b, 10);
        put_u(b, 20);
        if (v == V_ROW_ARITY4)
            put_u(b, 0);
    }
    if (v != V_ALLOC_ARITY10)
        put_s(b, "", 0);
}

static int raw_decode(const struct kops *k, struct proto_buf *b)
{
    int rc;

    memset(&g_out, 0xee, sizeof g_out);
    rc = k->dec(b->data, b->len, &g_out);
    if (rc != 0)
        assert_true(all_zero(&g_out, k->size));
    proto_buf_reset(b);
    return rc;
}

static void test_raw_resolution(void **state)
{
    static const enum variant bad[] = {
        V_RES_ARITY4,   V_DEC_ARITY6,    V_TALLY_ARITY4, V_TALLY_NEG,     V_TALLY_BIG,
        V_TYPE_NEG,     V_TYPE_256,      V_TARGET_BIN31, V_TARGET_STR,    V_DATA_STR,
        V_DATA_BIN31,   V_DATA_TRUE,     V_PART_ARITY3,  V_PART_NAME_BIN, V_PART_NAME_NUL,
        V_PART_NAME_65, V_MINUTES_BIN33, V_MEMO_NUL,     V_MEMO_BIN,
    };
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    raw_res(&b, 1, 4, V_NONE);
    assert_int_equal(raw_decode(&K_RES, &b), 0);
    /* Counts at and above capacity. */
    raw_res(&b, PROTO_RES_DECISIONS_MAX, PROTO_SHU_PARTS_MAX, V_NONE);
    assert_int_equal(raw_decode(&K_RES, &b), 0);
    assert_int_equal(g_out.res.ndecisions, PROTO_RES_DECISIONS_MAX);
    assert_int_equal(g_out.res.decisions[15].nparts, PROTO_SHU_PARTS_MAX);
    raw_res(&b, PROTO_RES_DECISIONS_MAX + 1, 1, V_NONE);
    assert_int_equal(raw_decode(&K_RES, &b), ERR_BODY);
    raw_res(&b, 1, PROTO_SHU_PARTS_MAX + 1, V_NONE);
    assert_int_equal(raw_decode(&K_RES, &b), ERR_BODY);
    raw_res(&b, 1, 0, V_NONE);
    assert_int_equal(raw_decode(&K_RES, &b), ERR_BODY);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        raw_res(&b, 1, 4, bad[i]);
        if (raw_decode(&K_RES, &b) != ERR_BODY)
            fail_msg("resolution variant %d accepted", (int)bad[i]);
    }
    proto_buf_release(&b);
}

static void test_raw_close(void **state)
{
    static const enum variant bad[] = {
        V_CLOSE_ARITY11, V_YEAR_NEG,        V_FRONTIER_ARITY2, V_ROW_ARITY3,     V_LEN_NEG,
        V_AUTHOR_BIN31,  V_PART_ID_NIL,     V_ACCOUNTS_ARITY3, V_LINE_ARITY3,    V_LINE_AMOUNT_NIL,
        V_ROLL_HUGE,     V_DIGEST_TYPE_BIN, V_DIGEST_TYPE_NUL, V_DIGEST_TYPE_16, V_DIGEST_BIN31,
        V_SHU_ARITY8,    V_SHU_PART_ARITY3, V_POOL_ARITY3,     V_TOTAL_NEG,      V_ROOT_STR,
        V_ROLL_NC_POS,   V_ROLL_NC_NEG,     V_ROLL_NC_U16,
    };
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    raw_close(&b, 2, 1, 3, 2, 2, V_NONE);
    assert_int_equal(raw_decode(&K_CLOSE, &b), 0);
    assert_int_equal(g_out.close.roll, -5);
    raw_close(&b, PROTO_CLOSE_ROWS_MAX, PROTO_CLOSE_PARTS_MAX, PROTO_CLOSE_LINES_MAX,
              PROTO_CLOSE_DIGESTS_MAX, PROTO_SHU_PARTS_MAX, V_NONE);
    assert_int_equal(raw_decode(&K_CLOSE, &b), 0);
    assert_int_equal(g_out.close.nrows, PROTO_CLOSE_ROWS_MAX);
    assert_int_equal(g_out.close.nlines, PROTO_CLOSE_LINES_MAX);
    raw_close(&b, PROTO_CLOSE_ROWS_MAX + 1, 1, 1, 1, 1, V_NONE);
    assert_int_equal(raw_decode(&K_CLOSE, &b), ERR_BODY);
    raw_close(&b, 1, PROTO_CLOSE_PARTS_MAX + 1, 1, 1, 1, V_NONE);
    assert_int_equal(raw_decode(&K_CLOSE, &b), ERR_BODY);
    raw_close(&b, 1, 1, PROTO_CLOSE_LINES_MAX + 1, 1, 1, V_NONE);
    assert_int_equal(raw_decode(&K_CLOSE, &b), ERR_BODY);
    raw_close(&b, 1, 1, 1, PROTO_CLOSE_DIGESTS_MAX + 1, 1, V_NONE);
    assert_int_equal(raw_decode(&K_CLOSE, &b), ERR_BODY);
    raw_close(&b, 1, 1, 1, 1, PROTO_SHU_PARTS_MAX + 1, V_NONE);
    assert_int_equal(raw_decode(&K_CLOSE, &b), ERR_BODY);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        raw_close(&b, 2, 1, 3, 2, 2, bad[i]);
        if (raw_decode(&K_CLOSE, &b) != ERR_BODY)
            fail_msg("close variant %d accepted", (int)bad[i]);
    }
    proto_buf_release(&b);
}

static void test_raw_frontier_part(void **state)
{
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    raw_fp(&b, 1, V_NONE);
    assert_int_equal(raw_decode(&K_FP, &b), 0);
    raw_fp(&b, PROTO_CLOSE_PART_ROWS_MAX, V_NONE);
    assert_int_equal(raw_decode(&K_FP, &b), 0);
    assert_int_equal(g_out.fp.nrows, PROTO_CLOSE_PART_ROWS_MAX);
    raw_fp(&b, PROTO_CLOSE_PART_ROWS_MAX + 1, V_NONE);
    assert_int_equal(raw_decode(&K_FP, &b), ERR_BODY);
    raw_fp(&b, 1, V_FP_ARITY2);
    assert_int_equal(raw_decode(&K_FP, &b), ERR_BODY);
    raw_fp(&b, 1, V_FP_NOT_ARRAY);
    assert_int_equal(raw_decode(&K_FP, &b), ERR_BODY);
    proto_buf_release(&b);
}

static void test_raw_shu_allocate(void **state)
{
    static const enum variant bad[] = {
        V_ALLOC_ARITY10, V_CLOSE_ID_BIN31, V_FUND_ARITY2,     V_ROW_ARITY4,
        V_JM_NEG,        V_MEMBER_2_32,    V_FUND_AMOUNT_NIL, V_PART_NEG,
    };
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    raw_alloc(&b, 2, 3, V_NONE);
    assert_int_equal(raw_decode(&K_ALLOC, &b), 0);
    raw_alloc(&b, PROTO_SHU_PARTS_MAX, PROTO_SHU_ROWS_MAX, V_NONE);
    assert_int_equal(raw_decode(&K_ALLOC, &b), 0);
    assert_int_equal(g_out.alloc.nrows, PROTO_SHU_ROWS_MAX);
    raw_alloc(&b, PROTO_SHU_PARTS_MAX + 1, 1, V_NONE);
    assert_int_equal(raw_decode(&K_ALLOC, &b), ERR_BODY);
    raw_alloc(&b, 1, PROTO_SHU_ROWS_MAX + 1, V_NONE);
    assert_int_equal(raw_decode(&K_ALLOC, &b), ERR_BODY);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        raw_alloc(&b, 2, 3, bad[i]);
        if (raw_decode(&K_ALLOC, &b) != ERR_BODY)
            fail_msg("shu-allocate variant %d accepted", (int)bad[i]);
    }
    proto_buf_release(&b);
}

/* Non-canonical forms of the minimal shu-pay are refused by the scanner. */
static void test_noncanonical(void **state)
{
    static const struct {
        const char *b;
        size_t n;
    } bad[] = {
#define NC(s) {s, sizeof(s) - 1}
        /* member 7 as uint8 */
        NC("\x97\xcc\x07\xce\x01\x35\x26\x31\xcd\x07\xe9\x01\xcd\x08\xfc\xcd\x08\x34\xa0"),
        /* member 7 as int8 */
        NC("\x97\xd0\x07\xce\x01\x35\x26\x31\xcd\x07\xe9\x01\xcd\x08\xfc\xcd\x08\x34\xa0"),
        /* date as uint64 */
        NC("\x97\x07\xcf\x00\x00\x00\x00\x01\x35\x26\x31\xcd\x07\xe9\x01\xcd\x08\xfc\xcd\x08\x34"
           "\xa0"),
        /* year as uint32 */
        NC("\x97\x07\xce\x01\x35\x26\x31\xce\x00\x00\x07\xe9\x01\xcd\x08\xfc\xcd\x08\x34\xa0"),
        /* memo as str8 */
        NC("\x97\x07\xce\x01\x35\x26\x31\xcd\x07\xe9\x01\xcd\x08\xfc\xcd\x08\x34\xd9\x00"),
        /* array(7) as array16 */
        NC("\xdc\x00\x07\x07\xce\x01\x35\x26\x31\xcd\x07\xe9\x01\xcd\x08\xfc\xcd\x08\x34\xa0"),
        /* a map */
        NC("\x81\x07\x07"),
        /* a float amount */
        NC("\x97\x07\xce\x01\x35\x26\x31\xcd\x07\xe9\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00\xcd\x08"
           "\xfc\xcd\x08\x34\xa0"),
#undef NC
    };
    static const uint8_t good[] = {0x97, 0x07, 0xce, 0x01, 0x35, 0x26, 0x31, 0xcd, 0x07,
                                   0xe9, 0x01, 0xcd, 0x08, 0xfc, 0xcd, 0x08, 0x34, 0xa0};

    (void)state;
    assert_int_equal(proto_shu_pay_decode(good, sizeof good, &g_out.pay), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&g_out, 0xee, sizeof g_out);
        assert_int_equal(proto_shu_pay_decode((const uint8_t *)bad[i].b, bad[i].n, &g_out.pay),
                         ERR_BODY);
        assert_true(all_zero(&g_out.pay, sizeof g_out.pay));
    }
}

/* Every proper prefix of a sound body, and the body with a byte after it, are malformed; bytes
 * of one kind are malformed as any other. */
static void test_trailing_truncated_other_kind(void **state)
{
    struct proto_buf e;

    (void)state;
    proto_buf_init(&e);
    for (size_t i = 0; i < NKOPS; i++) {
        const struct kops *k = g_kops[i];

        k->fill(k->x);
        proto_buf_reset(&e);
        assert_int_equal(k->enc(k->x, &e), 0);
        for (size_t len = 0; len < e.len; len++)
            assert_int_equal(k->dec(e.data, len, &g_out), ERR_BODY);
        assert_int_equal(proto_buf_append_byte(&e, 0xc0), 0);
        assert_int_equal(k->dec(e.data, e.len, &g_out), ERR_BODY);
        assert_true(all_zero(&g_out, k->size));
        e.len--;
        assert_int_equal(k->dec(e.data, e.len, &g_out), 0);
        for (size_t j = 0; j < NKOPS; j++)
            if (j != i)
                assert_int_equal(g_kops[j]->dec(e.data, e.len, &g_out), ERR_BODY);
    }
    proto_buf_release(&e);
}

static void test_encode_counts(void **state)
{
    struct proto_buf e;

    (void)state;
    proto_buf_init(&e);
    fill_res(&g_res);
    g_res.ndecisions = PROTO_RES_DECISIONS_MAX + 1;
    assert_int_equal(proto_resolution_encode(&g_res, &e), -EINVAL);
    fill_res(&g_res);
    g_res.decisions[1].nparts = PROTO_SHU_PARTS_MAX + 1;
    assert_int_equal(proto_resolution_encode(&g_res, &e), -EINVAL);
    fill_close(&g_close);
    g_close.nrows = PROTO_CLOSE_ROWS_MAX + 1;
    assert_int_equal(proto_close_encode(&g_close, &e), -EINVAL);
    fill_close(&g_close);
    g_close.nparts = PROTO_CLOSE_PARTS_MAX + 1;
    assert_int_equal(proto_close_encode(&g_close, &e), -EINVAL);
    fill_close(&g_close);
    g_close.nlines = PROTO_CLOSE_LINES_MAX + 1;
    assert_int_equal(proto_close_encode(&g_close, &e), -EINVAL);
    fill_close(&g_close);
    g_close.ndigests = PROTO_CLOSE_DIGESTS_MAX + 1;
    assert_int_equal(proto_close_encode(&g_close, &e), -EINVAL);
    fill_close(&g_close);
    g_close.shu.nparts = PROTO_SHU_PARTS_MAX + 1;
    assert_int_equal(proto_close_encode(&g_close, &e), -EINVAL);
    fill_fp(&g_fp);
    g_fp.nrows = PROTO_CLOSE_PART_ROWS_MAX + 1;
    assert_int_equal(proto_frontier_part_encode(&g_fp, &e), -EINVAL);
    fill_alloc(&g_alloc);
    g_alloc.nfunds = PROTO_SHU_PARTS_MAX + 1;
    assert_int_equal(proto_shu_allocate_encode(&g_alloc, &e), -EINVAL);
    fill_alloc(&g_alloc);
    g_alloc.nrows = PROTO_SHU_ROWS_MAX + 1;
    assert_int_equal(proto_shu_allocate_encode(&g_alloc, &e), -EINVAL);
    assert_int_equal(e.len, 0);
    proto_buf_release(&e);
}

/* ---- frontier digest ---- */

static void test_frontier_digest(void **state)
{
    struct proto_frontier_row rows[2];
    uint8_t ids[2][32], got[32], want[32];
    crypto_hash_sha256_state h;
    uint8_t be[8];

    (void)state;
    assert_int_equal(sodium_init() >= 0, 1);
    memset(rows, 0, sizeof rows);
    memset(rows[0].author, 0x11, 32);
    rows[0].length = 3;
    memset(rows[1].author, 0x22, 32);
    rows[1].length = 0x0102030405060708ULL;
    memset(ids[0], 0xa1, 32);
    memset(ids[1], 0xb2, 32);
    /* The definition, written out: prefix with its NUL, then author || u64be || id per feed. */
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const uint8_t *)"saksi-frontier-v1\0", 18);
    crypto_hash_sha256_update(&h, rows[0].author, 32);
    memcpy(be, "\0\0\0\0\0\0\0\x03", 8);
    crypto_hash_sha256_update(&h, be, 8);
    crypto_hash_sha256_update(&h, ids[0], 32);
    crypto_hash_sha256_update(&h, rows[1].author, 32);
    memcpy(be, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    crypto_hash_sha256_update(&h, be, 8);
    crypto_hash_sha256_update(&h, ids[1], 32);
    crypto_hash_sha256_final(&h, want);
    assert_int_equal(proto_frontier_digest(rows, (const uint8_t(*)[32])ids, 2, got), 0);
    assert_memory_equal(got, want, 32);
    /* No feeds: the hash of the prefix alone. */
    crypto_hash_sha256(want, (const uint8_t *)"saksi-frontier-v1\0", 18);
    assert_int_equal(proto_frontier_digest(NULL, NULL, 0, got), 0);
    assert_memory_equal(got, want, 32);
    /* Refused, with out zeroed: a length 0, one author twice, descending authors, NULLs. */
    rows[0].length = 0;
    memset(got, 0xee, 32);
    assert_int_equal(proto_frontier_digest(rows, (const uint8_t(*)[32])ids, 2, got), -EINVAL);
    assert_true(all_zero(got, 32));
    rows[0].length = 3;
    memset(rows[1].author, 0x11, 32);
    assert_int_equal(proto_frontier_digest(rows, (const uint8_t(*)[32])ids, 2, got), -EINVAL);
    memset(rows[1].author, 0x10, 32);
    assert_int_equal(proto_frontier_digest(rows, (const uint8_t(*)[32])ids, 2, got), -EINVAL);
    assert_int_equal(proto_frontier_digest(NULL, (const uint8_t(*)[32])ids, 1, got), -EINVAL);
    assert_int_equal(proto_frontier_digest(rows, NULL, 1, got), -EINVAL);
    /* One feed: a different digest. */
    assert_int_equal(proto_frontier_digest(rows, (const uint8_t(*)[32])ids, 1, got), 0);
    assert_memory_not_equal(got, want, 32);
}

/* ---- postings ---- */

static void line_is(const struct proto_line *l, uint32_t account, uint32_t member, uint64_t debit,
                    uint64_t credit)
{
    assert_int_equal(l->account, account);
    assert_int_equal(l->member, member);
    assert_int_equal(l->debit, debit);
    assert_int_equal(l->credit, credit);
}

/* Every line one-sided on an account, and debits = credits. */
static void balanced(int n)
{
    uint64_t dr = 0, cr = 0;

    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        assert_true(g_lines[i].account >= 1000 && g_lines[i].account <= 9999);
        assert_true((g_lines[i].debit == 0) != (g_lines[i].credit == 0));
        dr += g_lines[i].debit;
        cr += g_lines[i].credit;
    }
    assert_true(dr == cr);
}

static int close_post(const struct proto_close *c)
{
    int n;

    memset(g_lines, 0xee, sizeof g_lines);
    n = proto_close_postings(c, g_lines, LINES_ROOM);
    balanced(n);
    return n;
}

/* Each account's net after the closing lines is 0 (revenue and expense are closed). */
static void closes_accounts(const struct proto_close *c, int n)
{
    for (uint32_t i = 0; i < c->nlines; i++) {
        int64_t net = c->lines[i].amount; /* the period's movement, debit - credit */

        for (int k = 0; k < n; k++)
            if (g_lines[k].account == c->lines[i].account)
                net += (int64_t)g_lines[k].debit - (int64_t)g_lines[k].credit;
        assert_true(net == 0);
    }
}

static void test_postings_close_surplus(void **state)
{
    int n;

    (void)state;
    fill_close(&g_close); /* revenue 6 000 000, expense 3 500 000: SHU 2 500 000; roll 250 000 */
    n = close_post(&g_close);
    assert_int_equal(n, 7);
    line_is(&g_lines[0], A_JASA, 0, 5000000, 0);
    line_is(&g_lines[1], A_ADMIN, 0, 1000000, 0);
    line_is(&g_lines[2], A_GAJI, 0, 0, 3000000);
    line_is(&g_lines[3], A_LISTRIK, 0, 0, 500000);
    line_is(&g_lines[4], A_CURRENT, 0, 0, 2500000); /* Cr current: a surplus */
    line_is(&g_lines[5], A_CURRENT, 0, 250000, 0);  /* the roll */
    line_is(&g_lines[6], A_RETAINED, 0, 0, 250000);
    closes_accounts(&g_close, n);
}

static void test_postings_close_deficit(void **state)
{
    int n;

    (void)state;
    fill_close(&g_close);
    g_close.lines[0].amount = -1000000; /* revenue 2 000 000, expense 3 500 000 */
    g_close.roll = -400000;             /* a prior loss left in current */
    n = close_post(&g_close);
    assert_int_equal(n, 7);
    line_is(&g_lines[0], A_JASA, 0, 1000000, 0);
    line_is(&g_lines[4], A_CURRENT, 0, 1500000, 0); /* Dr current: a deficit */
    line_is(&g_lines[5], A_RETAINED, 0, 400000, 0); /* the roll reversed, debit first */
    line_is(&g_lines[6], A_CURRENT, 0, 0, 400000);
    closes_accounts(&g_close, n);
}

static void test_postings_close_edges(void **state)
{
    int n;

    (void)state;
    /* Nothing to close: no lines at all. */
    fill_close_min(&g_close);
    assert_int_equal(close_post(&g_close), 0);
    /* Lines that cancel: no balancing line; a roll alone. */
    g_close.nlines = 2;
    g_close.lines[0] = (struct proto_close_line){4100, -700};
    g_close.lines[1] = (struct proto_close_line){5100, 700};
    g_close.roll = 1;
    n = close_post(&g_close);
    assert_int_equal(n, 4);
    line_is(&g_lines[0], 4100, 0, 700, 0);
    line_is(&g_lines[1], 5100, 0, 0, 700);
    line_is(&g_lines[2], A_CURRENT, 0, 1, 0);
    line_is(&g_lines[3], A_RETAINED, 0, 0, 1);
    /* The largest close: 1000 revenue lines at -10^15, the balancing line 10^18. */
    g_close.nlines = PROTO_CLOSE_LINES_MAX;
    for (uint32_t i = 0; i < PROTO_CLOSE_LINES_MAX; i++)
        g_close.lines[i] = (struct proto_close_line){4000 + i, -IAMAX};
    g_close.roll = -IAMAX;
    n = close_post(&g_close);
    assert_int_equal(n, PROTO_CLOSE_LINES_MAX + 3);
    line_is(&g_lines[PROTO_CLOSE_LINES_MAX], A_CURRENT, 0, 0, AMAX * PROTO_CLOSE_LINES_MAX);
    closes_accounts(&g_close, n);
    /* And the largest deficit. */
    for (uint32_t i = 0; i < PROTO_CLOSE_LINES_MAX; i++)
        g_close.lines[i].amount = IAMAX;
    n = close_post(&g_close);
    line_is(&g_lines[PROTO_CLOSE_LINES_MAX], A_CURRENT, 0, AMAX * PROTO_CLOSE_LINES_MAX, 0);
}

static void test_postings_shu_allocate(void **state)
{
    int n;

    (void)state;
    fill_alloc(&g_alloc);
    assert_int_equal(proto_shu_allocate_total(&g_alloc), 1600000);
    memset(g_lines, 0xee, sizeof g_lines);
    n = proto_shu_allocate_postings(&g_alloc, g_lines, LINES_ROOM);
    assert_int_equal(n, 6);
    balanced(n);
    line_is(&g_lines[0], A_CURRENT, 0, 1600000, 0);
    line_is(&g_lines[1], A_CADANGAN, 0, 0, 800000);
    line_is(&g_lines[2], A_SOSIAL, 0, 0, 200000);
    line_is(&g_lines[3], A_SHU_PAY, 7, 0, 350000);
    line_is(&g_lines[4], A_SHU_PAY, 9, 0, 1);
    line_is(&g_lines[5], A_SHU_PAY, 4000000000u, 0, 249999);
    fill_alloc_min(&g_alloc);
    n = proto_shu_allocate_postings(&g_alloc, g_lines, LINES_ROOM);
    assert_int_equal(n, 2);
    balanced(n);
    line_is(&g_lines[0], A_CURRENT, 0, 1, 0);
    line_is(&g_lines[1], A_SHU_PAY, 12, 0, 1);
    /* The largest part: 32 funds and 2000 members at the maximum, 4.032 x 10^18 in one line. */
    fill_alloc(&g_alloc);
    g_alloc.nfunds = PROTO_SHU_PARTS_MAX;
    for (uint32_t i = 0; i < PROTO_SHU_PARTS_MAX; i++)
        g_alloc.funds[i] = (struct proto_shu_fund){i, 3200, AMAX};
    g_alloc.nrows = PROTO_SHU_ROWS_MAX;
    for (uint32_t i = 0; i < PROTO_SHU_ROWS_MAX; i++)
        g_alloc.rows[i] = (struct proto_shu_row){i + 1, AMAX, AMAX};
    n = proto_shu_allocate_postings(&g_alloc, g_lines, LINES_ROOM);
    assert_int_equal(n, 1 + PROTO_SHU_PARTS_MAX + PROTO_SHU_ROWS_MAX);
    balanced(n);
    line_is(&g_lines[0], A_CURRENT, 0, AMAX * (PROTO_SHU_PARTS_MAX + 2 * PROTO_SHU_ROWS_MAX), 0);
    assert_true(proto_shu_allocate_total(&g_alloc) == AMAX * 4032);
}

static void test_postings_shu_pay(void **state)
{
    (void)state;
    fill_pay(&g_pay);
    memset(g_lines, 0xee, sizeof g_lines);
    assert_int_equal(proto_shu_pay_postings(&g_pay, false, g_lines, LINES_ROOM), 2);
    balanced(2);
    line_is(&g_lines[0], A_SHU_PAY, 7, 350000, 0);
    line_is(&g_lines[1], A_KAS, 0, 0, 350000); /* cash: no member */
    g_pay.to_account = A_SUKARELA;
    assert_int_equal(proto_shu_pay_postings(&g_pay, true, g_lines, LINES_ROOM), 2);
    balanced(2);
    line_is(&g_lines[0], A_SHU_PAY, 7, 350000, 0);
    line_is(&g_lines[1], A_SUKARELA, 7, 0, 350000); /* savings: the member's sub-ledger */
}

/* The count is returned even when it exceeds max; only max lines are written. */
static void test_postings_room(void **state)
{
    (void)state;
    fill_close(&g_close);
    memset(g_lines, 0xee, sizeof g_lines);
    assert_int_equal(proto_close_postings(&g_close, g_lines, 2), 7);
    line_is(&g_lines[1], A_ADMIN, 0, 1000000, 0);
    assert_true(g_lines[2].account == 0xeeeeeeeeu && g_lines[2].debit == 0xeeeeeeeeeeeeeeeeULL);
    assert_int_equal(proto_close_postings(&g_close, NULL, 0), 7);
    assert_int_equal(proto_close_postings(&g_close, g_lines, 7), 7);
    line_is(&g_lines[6], A_RETAINED, 0, 0, 250000);
    fill_alloc(&g_alloc);
    memset(g_lines, 0xee, sizeof g_lines);
    assert_int_equal(proto_shu_allocate_postings(&g_alloc, g_lines, 1), 6);
    line_is(&g_lines[0], A_CURRENT, 0, 1600000, 0);
    assert_true(g_lines[1].account == 0xeeeeeeeeu);
    assert_int_equal(proto_shu_allocate_postings(&g_alloc, NULL, 0), 6);
    fill_pay(&g_pay);
    assert_int_equal(proto_shu_pay_postings(&g_pay, false, g_lines, 1), 2);
    assert_int_equal(proto_shu_pay_postings(&g_pay, true, NULL, 0), 2);
}

static void test_postings_invalid(void **state)
{
    (void)state;
    fill_close(&g_close);
    assert_int_equal(proto_close_postings(&g_close, NULL, 1), -EINVAL);
    g_close.lines[1].amount = 0;
    assert_int_equal(proto_close_postings(&g_close, g_lines, LINES_ROOM), -EINVAL);
    fill_alloc(&g_alloc);
    assert_int_equal(proto_shu_allocate_postings(&g_alloc, NULL, 3), -EINVAL);
    g_alloc.part = 1; /* funds outside part 0 */
    assert_int_equal(proto_shu_allocate_postings(&g_alloc, g_lines, LINES_ROOM), -EINVAL);
    fill_pay(&g_pay);
    assert_int_equal(proto_shu_pay_postings(&g_pay, false, NULL, 2), -EINVAL);
    g_pay.amount = 0;
    assert_int_equal(proto_shu_pay_postings(&g_pay, false, g_lines, LINES_ROOM), -EINVAL);
}

/* Decoding overwrites the whole struct: nothing of a larger earlier body survives. */
static void test_decode_overwrites(void **state)
{
    struct proto_buf e;

    (void)state;
    proto_buf_init(&e);
    fill_close_min(&g_close);
    assert_int_equal(proto_close_encode(&g_close, &e), 0);
    fill_close(&g_out.close);
    assert_int_equal(proto_close_decode(e.data, e.len, &g_out.close), 0);
    assert_memory_equal(&g_out.close, &g_close, sizeof g_close);
    proto_buf_reset(&e);
    fill_res_min(&g_res);
    assert_int_equal(proto_resolution_encode(&g_res, &e), 0);
    fill_res(&g_out.res);
    assert_int_equal(proto_resolution_decode(e.data, e.len, &g_out.res), 0);
    assert_memory_equal(&g_out.res, &g_res, sizeof g_res);
    proto_buf_release(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_bytes_shu_pay),
        cmocka_unit_test(test_rules_rejected),
        cmocka_unit_test(test_rules_check_only),
        cmocka_unit_test(test_edges_accepted),
        cmocka_unit_test(test_raw_resolution),
        cmocka_unit_test(test_raw_close),
        cmocka_unit_test(test_raw_frontier_part),
        cmocka_unit_test(test_raw_shu_allocate),
        cmocka_unit_test(test_noncanonical),
        cmocka_unit_test(test_trailing_truncated_other_kind),
        cmocka_unit_test(test_encode_counts),
        cmocka_unit_test(test_decode_overwrites),
        cmocka_unit_test(test_frontier_digest),
        cmocka_unit_test(test_postings_close_surplus),
        cmocka_unit_test(test_postings_close_deficit),
        cmocka_unit_test(test_postings_close_edges),
        cmocka_unit_test(test_postings_shu_allocate),
        cmocka_unit_test(test_postings_shu_pay),
        cmocka_unit_test(test_postings_room),
        cmocka_unit_test(test_postings_invalid),
    };

    return cmocka_run_group_tests_name("proto_close", tests, NULL, NULL);
}
