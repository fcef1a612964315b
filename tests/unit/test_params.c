/*
 * Unit tests for proto/params and proto/params_text: invalid and NULL inputs first; the
 * canonical body (round trips of the template and of a richer version, then every nested
 * structure of ACCOUNTING.md 1.2 broken in turn: arity, ranges, codes, names, counts, each by a
 * one-node edit of a valid body); proto_params_check (the template passes against the standard
 * chart of `saksi init`, then every problem kind from a minimal edit of the template); the
 * lookups; the text form of 1.6 (round trips, the doc's own excerpt, a hand-written file, and
 * every kind of mistake with its file and line).
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

#include "proto/buf.h"
#include "proto/chart.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/mp.h"
#include "proto/params.h"
#include "proto/params_text.h"

#define A_  PROTO_ACCT_ASSET
#define CA_ PROTO_ACCT_CONTRA_ASSET
#define L_  PROTO_ACCT_LIABILITY
#define E_  PROTO_ACCT_EQUITY
#define R_  PROTO_ACCT_REVENUE
#define X_  PROTO_ACCT_EXPENSE

/* The standard chart of `saksi init` (proto/chart.c), loaded by setup(). */
#define STD_MAX 128
#define YMD     20250101u

/* Parameter sets are about 40 KiB: the tests keep theirs here rather than on the stack. */
static struct proto_params g_p, g_q;
static struct proto_genesis g_gen;
static struct proto_account g_accounts[STD_MAX];

static int setup(void **state)
{
    (void)state;
    memset(&g_gen, 0, sizeof g_gen);
    assert_true(proto_chart_standard_n() <= STD_MAX);
    for (size_t i = 0; i < proto_chart_standard_n(); i++)
        proto_chart_standard(i, &g_accounts[i]);
    (void)snprintf(g_gen.name, sizeof g_gen.name, "KSP Contoh Sejahtera");
    memcpy(g_gen.currency, "IDR", 4);
    g_gen.naccounts = (uint32_t)proto_chart_standard_n();
    g_gen.accounts = g_accounts;
    return 0;
}

/* ---- fixtures ---- */

static void deflt(struct proto_params *p)
{
    proto_params_default(p, YMD);
}

/*
 * The template plus everything it leaves empty or default: an added account and a rename,
 * role rows, a khusus product on the new account, a fixed fee on another account, a grace
 * period, non-default loan accounts, an author row for nobody, a countersign row of mode 0,
 * LHU and cash-flow rows, two non-member accounts. It passes the check too.
 */
static void rich(struct proto_params *p)
{
    struct proto_savings_product *s;
    struct proto_loan_product *l;

    deflt(p);
    p->adopted = 20241215;
    p->add[0].code = 2150;
    p->add[0].type = L_;
    p->add[0].sub = true;
    (void)snprintf(p->add[0].name, sizeof p->add[0].name, "Simpanan qurban");
    p->add[1].code = 4100;
    p->add[1].type = R_;
    p->add[1].sub = true;
    (void)snprintf(p->add[1].name, sizeof p->add[1].name, "Jasa pinjaman anggota (nama baru)");
    p->nadd = 2;
    p->roles[0].role = PROTO_AR_CASH;
    p->roles[0].code = 1100;
    p->roles[1].role = PROTO_AR_CASH;
    p->roles[1].code = 1110;
    p->roles[2].role = PROTO_AR_REFUNDS;
    p->roles[2].code = 2400;
    p->nroles = 3;
    s = &p->savings[p->nsavings++];
    (void)snprintf(s->code, sizeof s->code, "SQ");
    s->class = PROTO_SAV_KHUSUS;
    s->account = 2150;
    l = &p->loans[0];
    l->late_grace_days = 3;
    l->fees[l->nfees].type = 1;
    l->fees[l->nfees].value = 50000;
    l->fees[l->nfees++].account = 4900;
    l = &p->loans[1];
    l->penalty = 4900;
    l->rate_period = 12;
    l->rate_ppm = 150000; /* 15 % a year */
    p->authors[p->nauthors].kind = 64;
    p->authors[p->nauthors++].roles = 0;
    p->csign[p->ncsign].kind = 48;
    p->csign[p->ncsign++].mode = PROTO_CSIGN_NONE;
    p->lhu[0].code = 4300;
    p->lhu[0].section = 4;
    p->nlhu = 1;
    p->cf[0].from = 2150;
    p->cf[0].to = 2150;
    p->cf[0].activity = 1;
    p->cf[0].line = 9;
    p->cf[1].from = 1600;
    p->cf[1].to = 1630;
    p->cf[1].activity = 2;
    p->cf[1].line = 11;
    p->ncf = 2;
    p->nonmember[p->nnonmember++] = 4300;
    p->params_need_rat = true;
    p->shu_mode = PROTO_SHU_LARGEST_REMAINDER;
    p->shu_eligibility = 2;
}

static void encode(const struct proto_params *p, struct proto_buf *b)
{
    proto_buf_init(b);
    assert_int_equal(proto_params_encode(p, b), 0);
}

static int check(const struct proto_params *p, struct proto_params_problem *why)
{
    return proto_params_check(p, &g_gen, NULL, 0, why);
}

/* The check of p fails with exactly this problem. */
static void expect_problem(const struct proto_params *p, int kind, uint32_t index, uint32_t detail)
{
    struct proto_params_problem why;

    memset(&why, 0x5a, sizeof why);
    assert_int_equal(check(p, &why), ERR_RULE);
    assert_int_equal(why.kind, kind);
    assert_int_equal(why.index, index);
    assert_int_equal(why.detail, detail);
    assert_int_equal(check(p, NULL), ERR_RULE);
}

static void expect_sound(const struct proto_params *p)
{
    struct proto_params_problem why;

    memset(&why, 0x5a, sizeof why);
    assert_int_equal(check(p, &why), 0);
    assert_int_equal(why.kind, PROTO_PARAMS_OK);
}

/* ---- msgpack edits: rewrite a valid body with one node changed ---- */

enum edit_op {
    ED_NONE,
    ED_UINT,      /* replace the node by a uint */
    ED_STR,       /* by a str */
    ED_NIL,       /* by nil */
    ED_BOOL,      /* by true */
    ED_NEG,       /* by -1 */
    ED_DROP_LAST, /* an array node loses its last element */
    ED_APPEND,    /* an array node gains a nil */
    ED_DUP_LAST,  /* an array node gains a copy of its last element */
    ED_EMPTY,     /* an array node becomes [] */
};

struct edit {
    int op;
    uint64_t u;
    const char *s;
    const int *path;
    int depth;
};

static void emit(struct proto_buf *b, const msgpack_object *o, const struct edit *e, int level,
                 bool on_path);

static void emit_array(struct proto_buf *b, const msgpack_object *o, const struct edit *e,
                       int level, bool on_path, uint32_t n, bool dup, bool nil)
{
    assert_int_equal(proto_mp_put_array(b, n + dup + nil), 0);
    for (uint32_t i = 0; i < n; i++)
        emit(b, &o->via.array.ptr[i], e, level + 1,
             on_path && level < e->depth && (int)i == e->path[level]);
    if (dup)
        emit(b, &o->via.array.ptr[n - 1], e, level + 1, false);
    if (nil)
        assert_int_equal(proto_mp_put_nil(b), 0);
}

static void emit(struct proto_buf *b, const msgpack_object *o, const struct edit *e, int level,
                 bool on_path)
{
    if (on_path && level == e->depth) {
        switch (e->op) {
        case ED_UINT:
            assert_int_equal(proto_mp_put_uint(b, e->u), 0);
            return;
        case ED_STR:
            assert_int_equal(proto_mp_put_str(b, e->s, strlen(e->s)), 0);
            return;
        case ED_NIL:
            assert_int_equal(proto_mp_put_nil(b), 0);
            return;
        case ED_BOOL:
            assert_int_equal(proto_mp_put_bool(b, true), 0);
            return;
        case ED_NEG:
            assert_int_equal(proto_mp_put_int(b, -1), 0);
            return;
        case ED_DROP_LAST:
            assert_int_equal(o->type, MSGPACK_OBJECT_ARRAY);
            assert_true(o->via.array.size > 0);
            emit_array(b, o, e, level, false, o->via.array.size - 1, false, false);
            return;
        case ED_APPEND:
            assert_int_equal(o->type, MSGPACK_OBJECT_ARRAY);
            emit_array(b, o, e, level, false, o->via.array.size, false, true);
            return;
        case ED_DUP_LAST:
            assert_int_equal(o->type, MSGPACK_OBJECT_ARRAY);
            assert_true(o->via.array.size > 0);
            emit_array(b, o, e, level, false, o->via.array.size, true, false);
            return;
        case ED_EMPTY:
            assert_int_equal(o->type, MSGPACK_OBJECT_ARRAY);
            assert_int_equal(proto_mp_put_array(b, 0), 0);
            return;
        default:
            break;
        }
    }
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        assert_int_equal(proto_mp_put_nil(b), 0);
        break;
    case MSGPACK_OBJECT_BOOLEAN:
        assert_int_equal(proto_mp_put_bool(b, o->via.boolean), 0);
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        assert_int_equal(proto_mp_put_uint(b, o->via.u64), 0);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        assert_int_equal(proto_mp_put_int(b, o->via.i64), 0);
        break;
    case MSGPACK_OBJECT_STR:
        assert_int_equal(proto_mp_put_str(b, o->via.str.ptr, o->via.str.size), 0);
        break;
    case MSGPACK_OBJECT_BIN:
        assert_int_equal(proto_mp_put_bin(b, o->via.bin.ptr, o->via.bin.size), 0);
        break;
    case MSGPACK_OBJECT_ARRAY:
        emit_array(b, o, e, level, on_path, o->via.array.size, false, false);
        break;
    default:
        fail_msg("unexpected msgpack type %d", (int)o->type);
    }
}

/* Decodes the body of src with one edit (op at path[0..depth)): proto_params_decode's answer.
 * On failure the output must be zeroed. */
static int decode_edit(const struct proto_params *src, int op, uint64_t u, const char *s,
                       const int *path, int depth)
{
    static struct proto_params out;
    struct proto_buf orig, b;
    struct proto_mp_doc doc;
    struct edit e = {op, u, s, path, depth};
    int rc;

    encode(src, &orig);
    assert_int_equal(proto_mp_doc_init(&doc), 0);
    assert_int_equal(proto_mp_doc_parse(&doc, orig.data, orig.len), 0);
    proto_buf_init(&b);
    emit(&b, &doc.root, &e, 0, true);
    memset(&out, 0x5a, sizeof out);
    rc = proto_params_decode(b.data, b.len, &out);
    if (rc < 0) {
        static const struct proto_params zero;

        assert_memory_equal(&out, &zero, sizeof out);
    } else if (op == ED_NONE) {
        assert_int_equal(b.len, orig.len);
        assert_memory_equal(b.data, orig.data, b.len);
    }
    proto_mp_doc_release(&doc);
    proto_buf_release(&orig);
    proto_buf_release(&b);
    return rc;
}

#define PATH(...)                                                                                  \
    (const int[]){__VA_ARGS__}, (int)(sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

/* The edit of the template's body at the path is rejected. */
#define BAD(op, u, s, ...)                                                                         \
    assert_int_equal(decode_edit(&g_p, op, u, s, PATH(__VA_ARGS__)), ERR_BODY)
/* ... and accepted. */
#define OK(op, u, s, ...) assert_int_equal(decode_edit(&g_p, op, u, s, PATH(__VA_ARGS__)), 0)
/* The same at the root of the body. */
#define BAD0(op) assert_int_equal(decode_edit(&g_p, op, 0, NULL, NULL, 0), ERR_BODY)
#define OK0(op)  assert_int_equal(decode_edit(&g_p, op, 0, NULL, NULL, 0), 0)

/* ---- NULL and garbage ---- */

static void test_null_args(void **state)
{
    struct proto_buf b;
    struct proto_params_problem why;

    (void)state;
    deflt(&g_p);
    proto_buf_init(&b);
    assert_int_equal(proto_params_encode(NULL, &b), -EINVAL);
    assert_int_equal(proto_params_encode(&g_p, NULL), -EINVAL);
    memset(&why, 0x5a, sizeof why);
    assert_int_equal(proto_params_check(NULL, &g_gen, NULL, 0, &why), -EINVAL);
    assert_int_equal(why.kind, 0);
    assert_int_equal(proto_params_check(&g_p, NULL, NULL, 0, &why), -EINVAL);
    assert_int_equal(proto_params_check(&g_p, &g_gen, NULL, 3, &why), -EINVAL);
    assert_null(proto_params_savings(NULL, "SS"));
    assert_null(proto_params_savings(&g_p, NULL));
    assert_null(proto_params_savings_by_account(NULL, 2100));
    assert_null(proto_params_loan(NULL, "PU"));
    assert_null(proto_params_row(NULL, 17, 0));
    assert_int_equal(proto_params_csign(NULL, 49), PROTO_CSIGN_NONE);
    assert_int_equal(proto_params_authors(NULL, 40), PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS));
    assert_true(proto_params_has_role(NULL, PROTO_AR_CASH, 1100));
    assert_int_equal(proto_params_text_write(NULL, &b), -EINVAL);
    assert_int_equal(proto_params_text_write(&g_p, NULL), -EINVAL);
    assert_int_equal(proto_params_text_parse("x", "", 0, NULL, NULL, 0), -EINVAL);
    assert_int_equal(proto_params_text_parse(NULL, "", 0, &g_p, NULL, 0), -EINVAL);
    assert_int_equal(proto_params_text_parse("x", NULL, 3, &g_p, NULL, 0), -EINVAL);
    assert_int_equal(b.len, 0);
    proto_buf_release(&b);
}

static void test_decode_garbage(void **state)
{
    static const struct proto_params zero;
    struct proto_buf b;

    (void)state;
    memset(&g_p, 0x5a, sizeof g_p);
    assert_int_equal(proto_params_decode((const uint8_t *)"", 0, &g_p), ERR_BODY);
    assert_memory_equal(&g_p, &zero, sizeof g_p);
    assert_int_equal(proto_params_decode((const uint8_t *)"\xc0", 1, &g_p), ERR_BODY);
    assert_int_equal(proto_params_decode((const uint8_t *)"\x90", 1, &g_p), ERR_BODY);
    assert_int_equal(proto_params_decode((const uint8_t *)"\x81\x01\x02", 3, &g_p), ERR_BODY);
    assert_int_equal(proto_params_decode((const uint8_t *)"\x9b\x01", 2, &g_p), ERR_BODY);
    /* The template's body, truncated, with a byte more, and with fmt as a uint8 (not the
     * shortest form, so not canonical). */
    deflt(&g_q);
    encode(&g_q, &b);
    assert_int_equal(proto_params_decode(b.data, b.len - 1, &g_p), ERR_BODY);
    assert_int_equal(proto_buf_append_byte(&b, 0xc0), 0);
    assert_int_equal(proto_params_decode(b.data, b.len, &g_p), ERR_BODY);
    assert_int_equal(b.data[0], 0x9b);
    assert_int_equal(b.data[1], 0x01);
    {
        struct proto_buf nc;

        proto_buf_init(&nc);
        assert_int_equal(proto_buf_append(&nc, "\x9b\xcc\x01", 3), 0);
        assert_int_equal(proto_buf_append(&nc, b.data + 2, b.len - 3), 0);
        assert_int_equal(proto_params_decode(nc.data, nc.len, &g_p), ERR_BODY);
        assert_memory_equal(&g_p, &zero, sizeof g_p);
        proto_buf_release(&nc);
    }
    proto_buf_release(&b);
}

/* ---- round trips ---- */

static void roundtrip(const struct proto_params *p)
{
    struct proto_buf b, b2;

    encode(p, &b);
    memset(&g_q, 0x5a, sizeof g_q);
    assert_int_equal(proto_params_decode(b.data, b.len, &g_q), 0);
    assert_memory_equal(&g_q, p, sizeof g_q);
    encode(&g_q, &b2);
    assert_int_equal(b.len, b2.len);
    assert_memory_equal(b.data, b2.data, b.len);
    proto_buf_release(&b);
    proto_buf_release(&b2);
}

static void test_roundtrip_default(void **state)
{
    (void)state;
    deflt(&g_p);
    roundtrip(&g_p);
    OK(ED_NONE, 0, NULL, 0);
}

static void test_roundtrip_rich(void **state)
{
    (void)state;
    rich(&g_p);
    roundtrip(&g_p);
    expect_sound(&g_p);
}

static void test_roundtrip_maxima(void **state)
{
    (void)state;
    /* Every table at its maximum still decodes; one more row does not. */
    deflt(&g_p);
    for (uint32_t i = 0; i < PROTO_PARAMS_ADD_MAX; i++) {
        g_p.add[i].code = 6000 + i;
        g_p.add[i].type = X_;
        (void)snprintf(g_p.add[i].name, sizeof g_p.add[i].name, "%0100u", i);
    }
    g_p.nadd = PROTO_PARAMS_ADD_MAX;
    for (uint32_t i = g_p.nsavings; i < PROTO_PARAMS_SAVINGS_MAX; i++) {
        g_p.savings[i] = g_p.savings[0];
        (void)snprintf(g_p.savings[i].code, sizeof g_p.savings[i].code, "ZZZZZZ%02u", i);
    }
    g_p.nsavings = PROTO_PARAMS_SAVINGS_MAX;
    roundtrip(&g_p);
    BAD(ED_DUP_LAST, 0, NULL, 3, 0);
    BAD(ED_DUP_LAST, 0, NULL, 6);
    BAD(ED_DUP_LAST, 0, NULL, 3, 0, 0); /* an account record of 5 fields */
}

/* ---- decode: every nested structure ---- */

static void test_decode_top(void **state)
{
    (void)state;
    deflt(&g_p);
    BAD0(ED_DROP_LAST);
    BAD0(ED_APPEND);
    BAD(ED_UINT, 2, NULL, 0);        /* fmt 2: malformed for this version */
    BAD(ED_UINT, 0, NULL, 0);        /* fmt 0 */
    BAD(ED_UINT, 20250230, NULL, 1); /* adopted: 30 February */
    BAD(ED_UINT, 0, NULL, 2);        /* effective 0 */
    BAD(ED_STR, 0, "2025-01-01", 2); /* a date as text */
    BAD(ED_NIL, 0, NULL, 3);
    BAD(ED_NEG, 0, NULL, 1);
    OK(ED_UINT, 20240229, NULL, 1); /* a leap day */
}

static void test_decode_chart(void **state)
{
    (void)state;
    rich(&g_p); /* two added accounts, three role rows */
    OK(ED_NONE, 0, NULL, 0);
    BAD(ED_DROP_LAST, 0, NULL, 3);
    BAD(ED_APPEND, 0, NULL, 3);
    BAD(ED_DROP_LAST, 0, NULL, 3, 0, 0); /* an account record of 3 fields */
    BAD(ED_APPEND, 0, NULL, 3, 0, 0);
    BAD(ED_UINT, 999, NULL, 3, 0, 0, 0);
    BAD(ED_UINT, 10000, NULL, 3, 0, 0, 0);
    BAD(ED_UINT, 0, NULL, 3, 0, 0, 1); /* type 0 */
    BAD(ED_UINT, 7, NULL, 3, 0, 0, 1);
    BAD(ED_UINT, 1, NULL, 3, 0, 0, 2); /* sub as an integer */
    BAD(ED_STR, 0, "", 3, 0, 0, 3);
    BAD(ED_STR, 0, "Simpanan\tqurban", 3, 0, 0, 3);
    BAD(ED_STR, 0, "Simpanan\x7fqurban", 3, 0, 0, 3);
    BAD(ED_STR, 0,
        "12345678901234567890123456789012345678901234567890"
        "123456789012345678901234567890123456789012345678901",
        3, 0, 0, 3); /* 101 bytes */
    OK(ED_STR, 0,
       "12345678901234567890123456789012345678901234567890"
       "123456789012345678901234567890123456789012345678Ω",
       3, 0, 0, 3); /* 100 bytes of UTF-8 */
    BAD(ED_NIL, 0, NULL, 3, 0, 0, 3);
    BAD(ED_DROP_LAST, 0, NULL, 3, 1, 0); /* a role row [role] */
    BAD(ED_UINT, 0, NULL, 3, 1, 0, 0);   /* role 0 */
    BAD(ED_UINT, 23, NULL, 3, 1, 0, 0);
    OK(ED_UINT, 22, NULL, 3, 1, 0, 0);
    BAD(ED_UINT, 99, NULL, 3, 1, 0, 1);
}

static void test_decode_governance(void **state)
{
    (void)state;
    deflt(&g_p);
    BAD(ED_DROP_LAST, 0, NULL, 4);
    BAD(ED_APPEND, 0, NULL, 4);
    BAD(ED_APPEND, 0, NULL, 4, 0, 0);      /* an authors row of 3 */
    BAD(ED_UINT, 0, NULL, 4, 0, 0, 0);     /* kind 0 */
    BAD(ED_UINT, 65536, NULL, 4, 0, 0, 0); /* beyond 16 bits */
    OK(ED_UINT, 65535, NULL, 4, 0, 0, 0);
    BAD(ED_UINT, 0x01, NULL, 4, 0, 0, 1); /* bit 0 names no role */
    BAD(ED_UINT, 0x20, NULL, 4, 0, 0, 1);
    OK(ED_UINT, 0, NULL, 4, 0, 0, 1);    /* nobody */
    BAD(ED_DROP_LAST, 0, NULL, 4, 1, 0); /* a matrix row of 4 */
    BAD(ED_UINT, 0, NULL, 4, 1, 0, 0);
    BAD(ED_UINT, PROTO_AMOUNT_MAX + 1, NULL, 4, 1, 0, 1);
    OK(ED_UINT, PROTO_AMOUNT_MAX, NULL, 4, 1, 2, 1);
    BAD(ED_UINT, 33, NULL, 4, 1, 0, 2); /* 33 pengurus */
    OK(ED_UINT, 32, NULL, 4, 1, 0, 2);
    BAD(ED_UINT, 33, NULL, 4, 1, 0, 3);
    BAD(ED_UINT, 0x01, NULL, 4, 1, 0, 4); /* offices: bit 0 */
    BAD(ED_UINT, 0x10, NULL, 4, 1, 0, 4);
    OK(ED_UINT, 0x0e, NULL, 4, 1, 0, 4);
    BAD(ED_APPEND, 0, NULL, 4, 2); /* officer_extra [p, w, ?] */
    BAD(ED_UINT, 33, NULL, 4, 2, 1);
    BAD(ED_DROP_LAST, 0, NULL, 4, 3, 0); /* countersign row [kind] */
    BAD(ED_UINT, 3, NULL, 4, 3, 0, 1);   /* mode 3 */
    BAD(ED_UINT, 1, NULL, 4, 4);         /* params_need_rat as an integer */
    BAD(ED_NIL, 0, NULL, 4, 5);
    BAD(ED_UINT, 3651, NULL, 4, 6);
    OK(ED_UINT, 3650, NULL, 4, 6);
}

static void test_decode_membership(void **state)
{
    (void)state;
    deflt(&g_p);
    BAD(ED_DROP_LAST, 0, NULL, 5);
    BAD(ED_APPEND, 0, NULL, 5);
    BAD(ED_UINT, PROTO_AMOUNT_MAX + 1, NULL, 5, 0);
    OK(ED_UINT, 0, NULL, 5, 1);
    BAD(ED_NEG, 0, NULL, 5, 1);
    BAD(ED_UINT, 0, NULL, 5, 2); /* wajib every 0 months */
    BAD(ED_UINT, 13, NULL, 5, 2);
    BAD(ED_UINT, 3651, NULL, 5, 3);
    BAD(ED_NIL, 0, NULL, 5, 4);
}

static void test_decode_savings(void **state)
{
    (void)state;
    deflt(&g_p);
    BAD(ED_EMPTY, 0, NULL, 6); /* at least one product */
    BAD(ED_DROP_LAST, 0, NULL, 6, 2);
    BAD(ED_APPEND, 0, NULL, 6, 2);
    BAD(ED_STR, 0, "ss", 6, 2, 0);
    BAD(ED_STR, 0, "", 6, 2, 0);
    BAD(ED_STR, 0, "ABCDEFGHI", 6, 2, 0);
    BAD(ED_STR, 0, "S-1", 6, 2, 0);
    OK(ED_STR, 0, "ABCDEFG9", 6, 2, 0);
    BAD(ED_UINT, 0, NULL, 6, 2, 1); /* class 0 */
    BAD(ED_UINT, 6, NULL, 6, 2, 1);
    BAD(ED_UINT, 999, NULL, 6, 2, 2);
    BAD(ED_UINT, PROTO_PARAMS_RATE_MAX + 1, NULL, 6, 2, 3);
    OK(ED_UINT, PROTO_PARAMS_RATE_MAX, NULL, 6, 2, 3);
    BAD(ED_UINT, 4, NULL, 6, 2, 4); /* method 4 */
    BAD(ED_UINT, PROTO_AMOUNT_MAX + 1, NULL, 6, 2, 5);
    BAD(ED_UINT, 1000001, NULL, 6, 2, 6); /* tax above 100 % */
    BAD(ED_UINT, 121, NULL, 6, 3, 8);     /* term over 10 years */
    BAD(ED_UINT, 1000001, NULL, 6, 3, 9);
    BAD(ED_UINT, 0, NULL, 6, 2, 10); /* no expense account is nil, never 0 */
    BAD(ED_STR, 0, "5100", 6, 2, 10);
    OK(ED_NIL, 0, NULL, 6, 2, 10);
}

static void test_decode_loans(void **state)
{
    (void)state;
    deflt(&g_p);
    BAD(ED_APPEND, 0, NULL, 7);
    BAD(ED_APPEND, 0, NULL, 7, 0); /* rounding [mode, unit, ?] */
    BAD(ED_UINT, 0, NULL, 7, 0, 0);
    BAD(ED_UINT, 4, NULL, 7, 0, 0);
    BAD(ED_UINT, 0, NULL, 7, 0, 1);
    BAD(ED_UINT, 1000001, NULL, 7, 0, 1);
    OK(ED_UINT, 1000000, NULL, 7, 0, 1);
    OK(ED_EMPTY, 0, NULL, 7, 1); /* no loan products */
    BAD(ED_DROP_LAST, 0, NULL, 7, 1, 0);
    BAD(ED_APPEND, 0, NULL, 7, 1, 0);
    BAD(ED_STR, 0, "pu", 7, 1, 0, 0);
    BAD(ED_UINT, 0, NULL, 7, 1, 0, 1); /* method 0 */
    BAD(ED_UINT, 4, NULL, 7, 1, 0, 1);
    BAD(ED_UINT, PROTO_PARAMS_RATE_MAX + 1, NULL, 7, 1, 0, 2);
    BAD(ED_UINT, 2, NULL, 7, 1, 0, 3); /* rate per 2 months */
    OK(ED_UINT, 12, NULL, 7, 1, 0, 3);
    BAD(ED_APPEND, 0, NULL, 7, 1, 0, 4);
    BAD(ED_UINT, 0, NULL, 7, 1, 0, 4, 0);
    BAD(ED_UINT, 361, NULL, 7, 1, 0, 4, 1);
    BAD(ED_UINT, 0, NULL, 7, 1, 0, 5, 0); /* principal 0 */
    BAD(ED_UINT, PROTO_AMOUNT_MAX + 1, NULL, 7, 1, 0, 5, 1);
    OK(ED_DUP_LAST, 0, NULL, 7, 1, 0, 6);   /* fees: 3 */
    BAD(ED_APPEND, 0, NULL, 7, 1, 0, 6, 0); /* a fee of 4 fields */
    BAD(ED_UINT, 3, NULL, 7, 1, 0, 6, 0, 0);
    BAD(ED_UINT, 1000001, NULL, 7, 1, 0, 6, 0, 1); /* a share above 100 % */
    BAD(ED_UINT, 4199999, NULL, 7, 1, 0, 6, 0, 2);
    BAD(ED_DROP_LAST, 0, NULL, 7, 1, 0, 7); /* late [basis, rate] */
    BAD(ED_UINT, 3, NULL, 7, 1, 0, 7, 0);
    BAD(ED_UINT, PROTO_LOAN_LATE_MAX + 1, NULL, 7, 1, 0, 7, 1);
    BAD(ED_UINT, 3651, NULL, 7, 1, 0, 7, 2);
    BAD(ED_BOOL, 0, NULL, 7, 1, 0, 7);
    OK(ED_NIL, 0, NULL, 7, 1, 0, 7);
    BAD(ED_UINT, 100000001, NULL, 7, 1, 0, 8);
    OK(ED_UINT, 100000000, NULL, 7, 1, 0, 8);
    BAD(ED_DROP_LAST, 0, NULL, 7, 1, 0, 9); /* accounts [receivable, interest] */
    BAD(ED_UINT, 0, NULL, 7, 1, 0, 9, 2);
    {
        /* A fixed fee may be any amount; five fees are one too many. */
        struct proto_loan_product *l = &g_p.loans[0];

        l->fees[0].type = 1;
        l->fees[0].value = PROTO_AMOUNT_MAX;
        l->nfees = 4;
        l->fees[2] = l->fees[1];
        l->fees[3] = l->fees[1];
        OK0(ED_NONE);
        BAD(ED_DUP_LAST, 0, NULL, 7, 1, 0, 6);
        BAD(ED_UINT, PROTO_AMOUNT_MAX + 1, NULL, 7, 1, 0, 6, 0, 1);
    }
}

static void test_decode_risk(void **state)
{
    (void)state;
    deflt(&g_p);
    BAD(ED_EMPTY, 0, NULL, 8);
    BAD(ED_DROP_LAST, 0, NULL, 8, 0);
    BAD(ED_APPEND, 0, NULL, 8, 0);
    BAD(ED_UINT, 0x100000000ull, NULL, 8, 3, 1);
    BAD(ED_UINT, 1000001, NULL, 8, 0, 2);
    BAD(ED_UINT, 0, NULL, 8, 0, 3); /* class 0 */
    BAD(ED_UINT, 5, NULL, 8, 0, 3);
    /* Nine buckets: four more copies of the last, then one too many. */
    g_p.nrisk = PROTO_PARAMS_RISK_MAX;
    for (uint32_t i = 4; i < PROTO_PARAMS_RISK_MAX; i++)
        g_p.risk[i] = g_p.risk[3];
    OK0(ED_NONE);
    BAD(ED_DUP_LAST, 0, NULL, 8);
}

static void test_decode_shu(void **state)
{
    (void)state;
    deflt(&g_p);
    BAD(ED_DROP_LAST, 0, NULL, 9);
    BAD(ED_APPEND, 0, NULL, 9);
    BAD(ED_EMPTY, 0, NULL, 9, 0);
    BAD(ED_DROP_LAST, 0, NULL, 9, 0, 0);
    BAD(ED_APPEND, 0, NULL, 9, 0, 0);
    BAD(ED_STR, 0, "", 9, 0, 0, 0);
    BAD(ED_STR, 0, "Cadangan\x01", 9, 0, 0, 0);
    BAD(ED_STR, 0, "12345678901234567890123456789012345678901234567890123456789012345", 9, 0, 0,
        0); /* 65 bytes */
    OK(ED_STR, 0, "1234567890123456789012345678901234567890123456789012345678901234", 9, 0, 0, 0);
    BAD(ED_UINT, 3, NULL, 9, 0, 0, 1); /* role 3 */
    BAD(ED_UINT, 1000001, NULL, 9, 0, 0, 2);
    OK(ED_UINT, 990000, NULL, 9, 0, 0, 2); /* 99 %: well-formed, the check says no */
    BAD(ED_UINT, 999, NULL, 9, 0, 0, 3);
    BAD(ED_APPEND, 0, NULL, 9, 1); /* capital [basis, accounts, ?] */
    BAD(ED_UINT, 0, NULL, 9, 1, 0);
    BAD(ED_UINT, 3, NULL, 9, 1, 0);
    BAD(ED_EMPTY, 0, NULL, 9, 1, 1); /* a basis over no account */
    BAD(ED_UINT, 10000, NULL, 9, 2, 1, 0);
    BAD(ED_UINT, 0, NULL, 9, 3); /* eligibility */
    BAD(ED_UINT, 3, NULL, 9, 3);
    BAD(ED_UINT, 2, NULL, 9, 4); /* mode */
    BAD(ED_STR, 0, "0", 9, 5);
    OK(ED_UINT, 4000000000u, NULL, 9, 5); /* out of range is the check's: void, not malformed */
    OK(ED_EMPTY, 0, NULL, 9, 6);
    BAD(ED_UINT, 999, NULL, 9, 6, 0);
    g_p.nnonmember = PROTO_PARAMS_ACCTS_MAX;
    for (uint32_t i = 0; i < PROTO_PARAMS_ACCTS_MAX; i++)
        g_p.nonmember[i] = 4110;
    OK0(ED_NONE);
    BAD(ED_DUP_LAST, 0, NULL, 9, 6);
}

static void test_decode_reporting(void **state)
{
    (void)state;
    rich(&g_p); /* one lhu row, two cash-flow rows */
    BAD(ED_DROP_LAST, 0, NULL, 10);
    BAD(ED_APPEND, 0, NULL, 10);
    BAD(ED_UINT, 0, NULL, 10, 0);
    BAD(ED_UINT, 13, NULL, 10, 0);
    BAD(ED_UINT, 13, NULL, 10, 1);
    BAD(ED_UINT, 1000001, NULL, 10, 2);
    OK(ED_UINT, 1000000, NULL, 10, 2);
    BAD(ED_APPEND, 0, NULL, 10, 3, 0);
    BAD(ED_UINT, 0, NULL, 10, 3, 0, 1); /* section 0 */
    BAD(ED_UINT, 8, NULL, 10, 3, 0, 1);
    BAD(ED_UINT, 999, NULL, 10, 3, 0, 0);
    BAD(ED_DROP_LAST, 0, NULL, 10, 4, 0);
    BAD(ED_UINT, 2151, NULL, 10, 4, 0, 0); /* from > to */
    BAD(ED_UINT, 4, NULL, 10, 4, 0, 2);    /* activity 4 */
    OK(ED_UINT, 99, NULL, 10, 4, 0, 2);
    BAD(ED_UINT, 0, NULL, 10, 4, 0, 3);
    BAD(ED_UINT, 100, NULL, 10, 4, 0, 3);
}

/* ---- the check ---- */

static void test_default_passes_check(void **state)
{
    struct proto_params_problem why;

    (void)state;
    deflt(&g_p);
    expect_sound(&g_p);
    /* With an earlier version's accounts too, and against a decoded copy of itself. */
    assert_int_equal(proto_params_check(&g_p, &g_gen, g_accounts, 3, &why), 0);
    roundtrip(&g_p);
    expect_sound(&g_q);
}

/* The standard chart is sorted, typed and has the accounts the template names; the template
 * passes against it. */
static void test_default_standard_chart(void **state)
{
    size_t n = proto_chart_standard_n();

    (void)state;
    assert_true(n >= 50);
    for (size_t i = 1; i < n; i++)
        assert_true(g_accounts[i - 1].code < g_accounts[i].code);
    for (size_t i = 0; i < n; i++)
        assert_true(g_accounts[i].type >= PROTO_ACCT_ASSET &&
                    g_accounts[i].type <= PROTO_ACCT_EXPENSE);
    assert_int_equal(proto_genesis_account(&g_gen, 3100)->sub, true);
    assert_int_equal(proto_genesis_account(&g_gen, 1100)->sub, false);
    deflt(&g_p);
    assert_int_equal(proto_params_check(&g_p, &g_gen, NULL, 0, NULL), 0);
}

static void test_default_contents(void **state)
{
    const struct proto_params_approval *r;

    (void)state;
    deflt(&g_p);
    assert_int_equal(g_p.fmt, PROTO_PARAMS_FMT);
    assert_int_equal(g_p.adopted, YMD);
    assert_int_equal(g_p.effective, YMD);
    assert_int_equal(g_p.pokok, 100000);
    assert_int_equal(g_p.wajib, 25000);
    assert_int_equal(g_p.wajib_months, 1);
    assert_int_equal(g_p.refund_days, 30);
    assert_int_equal(g_p.nsavings, 4);
    assert_string_equal(g_p.savings[3].code, "SB12");
    assert_int_equal(g_p.savings[3].term_months, 12);
    assert_int_equal(g_p.savings[3].rate_ppm, 42500);
    assert_int_equal(g_p.nloans, 2);
    assert_int_equal(g_p.loans[0].rate_ppm, 15000);
    assert_int_equal(g_p.loans[0].rate_period, 1);
    assert_int_equal(g_p.loans[1].method, PROTO_LOAN_ANNUITY);
    assert_int_equal(g_p.loans[1].savings_multiple_ppm, 3000000);
    assert_int_equal(g_p.rounding.mode, PROTO_LOAN_ROUND_HALF_UP);
    assert_int_equal(g_p.rounding.unit, 1);
    assert_int_equal(g_p.shu[g_p.shu_residual_part].account, 3400);
    assert_int_equal(g_p.shu_capital.basis, 2);
    assert_int_equal(g_p.nnonmember, 1);
    assert_int_equal(g_p.nonmember[0], 4110);
    assert_int_equal(g_p.quorum_ppm, 500000);
    assert_int_equal(g_p.officer_extra_pengawas, 1);
    assert_int_equal(g_p.nadd, 0); /* the standard chart has every account it names */
    /* Matrix rows of the brief and of the overview table. */
    r = proto_params_row(&g_p, 17, 24999999);
    assert_non_null(r);
    assert_int_equal(r->pengurus, 2);
    assert_int_equal(r->pengawas, 0);
    r = proto_params_row(&g_p, 17, 25000000);
    assert_int_equal(r->pengawas, 1);
    assert_int_equal(proto_params_row(&g_p, 32, 0)->pengurus, 2);
    assert_int_equal(proto_params_row(&g_p, 32, 0)->pengawas, 1);
    assert_int_equal(proto_params_row(&g_p, 42, 10000000)->pengurus, 2);
    assert_null(proto_params_row(&g_p, 49, 4999999));
    assert_int_equal(proto_params_row(&g_p, 49, 5000000)->pengurus, 1);
    assert_int_equal(proto_params_row(&g_p, 34, 0)->offices,
                     PROTO_OFFICE_BIT(PROTO_OFFICE_KETUA) |
                         PROTO_OFFICE_BIT(PROTO_OFFICE_SEKRETARIS));
    assert_null(proto_params_row(&g_p, 48, 1000000000));
    /* Authors: kasir for 17, 40, 42, 48, 49; everyone for 56; pengurus for 41. */
    for (uint32_t k = 0; k < 5; k++) {
        static const uint32_t kinds[] = {17, 40, 42, 48, 49};

        assert_true(proto_params_authors(&g_p, kinds[k]) & PROTO_ROLE_BIT(PROTO_ROLE_KASIR));
    }
    assert_int_equal(proto_params_authors(&g_p, 56), 0x1e);
    assert_int_equal(proto_params_authors(&g_p, 41), PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS));
    assert_int_equal(proto_params_csign(&g_p, 41), PROTO_CSIGN_WITNESS);
    assert_int_equal(proto_params_csign(&g_p, 49), PROTO_CSIGN_MEMBER);
    assert_int_equal(proto_params_csign(&g_p, 73), PROTO_CSIGN_MEMBER);
    assert_int_equal(proto_params_csign(&g_p, 48), PROTO_CSIGN_NONE);
}

static void test_lookups(void **state)
{
    (void)state;
    rich(&g_p);
    assert_ptr_equal(proto_params_savings(&g_p, "SS"), &g_p.savings[2]);
    assert_null(proto_params_savings(&g_p, "ss"));
    assert_null(proto_params_savings(&g_p, "PU"));
    assert_ptr_equal(proto_params_savings_by_account(&g_p, 2150), &g_p.savings[4]);
    assert_null(proto_params_savings_by_account(&g_p, 1100));
    assert_ptr_equal(proto_params_loan(&g_p, "PA"), &g_p.loans[1]);
    assert_null(proto_params_loan(&g_p, "SS"));
    /* Kind 33 is any role whatever the rows say; 36 follows 35; rows below 17 are ignored. */
    assert_int_equal(proto_params_authors(&g_p, 33), 0x1e);
    assert_int_equal(proto_params_authors(&g_p, 64), 0); /* rich: nobody */
    g_p.authors[0].kind = 35;
    assert_int_equal(proto_params_authors(&g_p, 36), g_p.authors[0].roles);
    g_p.authors[0].kind = 16;
    assert_int_equal(proto_params_authors(&g_p, 16), PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS));
    assert_int_equal(proto_params_authors(&g_p, 99), PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS));
    /* Row choice does not depend on the rows' order. */
    g_p.matrix[0] = g_p.matrix[2];
    g_p.matrix[2].min_amount = 0;
    g_p.matrix[2].pengurus = 1;
    g_p.matrix[2].pengawas = 0;
    assert_int_equal(proto_params_row(&g_p, 17, 1)->pengurus, 1);
    assert_int_equal(proto_params_row(&g_p, 17, 30000000)->pengawas, 1);
    assert_int_equal(proto_params_csign(&g_p, 48), PROTO_CSIGN_NONE);
    /* Roles: cash overridden to 1100, 1110; refunds to 2400; others from 1.3. */
    assert_true(proto_params_has_role(&g_p, PROTO_AR_CASH, 1110));
    g_p.roles[1].code = 1120;
    assert_false(proto_params_has_role(&g_p, PROTO_AR_CASH, 1110));
    assert_true(proto_params_has_role(&g_p, PROTO_AR_CASH, 1120));
    assert_true(proto_params_has_role(&g_p, PROTO_AR_FIXED_ASSETS, 1620));
    assert_false(proto_params_has_role(&g_p, PROTO_AR_FIXED_ASSETS, 1690));
    assert_true(proto_params_has_role(&g_p, PROTO_AR_BORROWINGS, 2610));
    assert_true(proto_params_has_role(&g_p, PROTO_AR_PLACEMENTS, 1500));
    assert_false(proto_params_has_role(&g_p, PROTO_AR_POKOK, 3110));
}

static void test_check_fmt_dates_rounding(void **state)
{
    (void)state;
    deflt(&g_p);
    g_p.fmt = 2;
    expect_problem(&g_p, PROTO_PARAMS_FMT_BAD, 0, 2);
    deflt(&g_p);
    g_p.adopted = 20250230;
    expect_problem(&g_p, PROTO_PARAMS_DATES, 0, 20250230);
    deflt(&g_p);
    g_p.effective = 0;
    expect_problem(&g_p, PROTO_PARAMS_DATES, 1, 0);
    deflt(&g_p);
    g_p.rounding.unit = 0;
    expect_problem(&g_p, PROTO_PARAMS_ROUNDING, 0, 0);
    deflt(&g_p);
    g_p.rounding.mode = 4;
    expect_problem(&g_p, PROTO_PARAMS_ROUNDING, 0, 1);
}

static void test_check_shu(void **state)
{
    (void)state;
    deflt(&g_p);
    g_p.shu[6].ppm = 15000; /* sosial 1,5 %: 99 % in all */
    expect_problem(&g_p, PROTO_PARAMS_SHU_TABLE, 0, PROTO_SHU_TABLE_SUM);
    deflt(&g_p);
    g_p.shu[2].role = PROTO_SHU_ROLE_MODAL;
    expect_problem(&g_p, PROTO_PARAMS_SHU_TABLE, 2, PROTO_SHU_TABLE_TWO_MODAL);
    deflt(&g_p);
    (void)snprintf(g_p.shu[6].name, sizeof g_p.shu[6].name, "dana KARYAWAN");
    expect_problem(&g_p, PROTO_PARAMS_SHU_TABLE, 6, PROTO_SHU_TABLE_NAME_DUP);
    deflt(&g_p);
    (void)snprintf(g_p.shu[3].name, sizeof g_p.shu[3].name, " Dana");
    expect_problem(&g_p, PROTO_PARAMS_SHU_TABLE, 3, PROTO_SHU_TABLE_NAME_BAD);
    deflt(&g_p);
    g_p.nshu = 0;
    expect_problem(&g_p, PROTO_PARAMS_SHU_TABLE, 0, PROTO_SHU_TABLE_NPARTS);
    deflt(&g_p);
    g_p.nshu = PROTO_SHU_PARTS_MAX + 1;
    expect_problem(&g_p, PROTO_PARAMS_SHU_TABLE, 0, PROTO_SHU_TABLE_NPARTS);
    deflt(&g_p);
    g_p.shu_residual_part = 7;
    expect_problem(&g_p, PROTO_PARAMS_SHU_RESIDUAL, 7, 0);
    deflt(&g_p);
    g_p.shu_residual_part = 1; /* jasa modal */
    expect_problem(&g_p, PROTO_PARAMS_SHU_RESIDUAL, 1, 0);
    g_p.shu_residual_part = 6; /* dana sosial: any fund may take it */
    expect_sound(&g_p);
}

static void test_check_buckets(void **state)
{
    (void)state;
    deflt(&g_p);
    g_p.risk[1].min_days = 92; /* a gap */
    expect_problem(&g_p, PROTO_PARAMS_BUCKETS, 1, 0);
    deflt(&g_p);
    g_p.risk[0].min_days = 1;
    expect_problem(&g_p, PROTO_PARAMS_BUCKETS, 0, 0);
    deflt(&g_p);
    g_p.risk[3].max_days = 1000; /* not open-ended */
    expect_problem(&g_p, PROTO_PARAMS_BUCKETS, 3, 0);
    deflt(&g_p);
    g_p.risk[2].ppap_ppm = 50000; /* below the previous bucket's rate */
    expect_problem(&g_p, PROTO_PARAMS_BUCKETS, 2, 0);
    deflt(&g_p);
    g_p.risk[3].class = 2; /* classes decrease */
    expect_problem(&g_p, PROTO_PARAMS_BUCKETS, 3, 0);
    deflt(&g_p);
    g_p.nrisk = 0;
    expect_problem(&g_p, PROTO_PARAMS_BUCKETS, 0, 0);
    deflt(&g_p);
    g_p.risk[2].class = 2; /* equal classes are allowed */
    expect_sound(&g_p);
}

static void test_check_format(void **state)
{
    struct proto_buf b;

    (void)state;
    deflt(&g_p);
    g_p.nsavings = PROTO_PARAMS_SAVINGS_MAX + 1;
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    proto_buf_init(&b);
    assert_int_equal(proto_params_encode(&g_p, &b), -EINVAL);
    proto_buf_release(&b);
    deflt(&g_p);
    g_p.matrix[0].pengurus = 33;
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    deflt(&g_p);
    (void)snprintf(g_p.loans[0].code, sizeof g_p.loans[0].code, "pu");
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    deflt(&g_p);
    g_p.nsavings = 0;
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    deflt(&g_p);
    g_p.loans[0].rate_period = 3;
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    deflt(&g_p);
    g_p.loans[0].nfees = PROTO_PARAMS_FEES_MAX + 1;
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    rich(&g_p);
    g_p.add[0].name[0] = '\0';
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    deflt(&g_p);
    g_p.savings[2].expense_account = 42;
    expect_problem(&g_p, PROTO_PARAMS_FORMAT, 0, 0);
    deflt(&g_p);
    g_p.nloans = 0; /* no loan products is fine */
    expect_sound(&g_p);
}

static void test_check_products_dup(void **state)
{
    (void)state;
    deflt(&g_p);
    (void)snprintf(g_p.savings[2].code, sizeof g_p.savings[2].code, "SP");
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_DUP, 2, 0);
    deflt(&g_p);
    (void)snprintf(g_p.loans[1].code, sizeof g_p.loans[1].code, "PU");
    expect_problem(&g_p, PROTO_PARAMS_LOANS_DUP, 1, 0);
    deflt(&g_p);
    (void)snprintf(g_p.loans[0].code, sizeof g_p.loans[0].code, "SS");
    expect_problem(&g_p, PROTO_PARAMS_LOANS_DUP, 0, 0);
}

static void test_check_savings_terms(void **state)
{
    (void)state;
    deflt(&g_p);
    g_p.savings[3].term_months = 0; /* berjangka without a term */
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_TERMS, 3, 0);
    deflt(&g_p);
    g_p.savings[2].term_months = 12; /* sukarela with one */
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_TERMS, 2, 0);
    deflt(&g_p);
    g_p.savings[2].expense_account = 0; /* interest, but no expense account */
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_TERMS, 2, 0);
    deflt(&g_p);
    g_p.savings[2].method = PROTO_SAVM_NONE; /* a rate and no method */
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_TERMS, 2, 0);
    deflt(&g_p);
    g_p.savings[2].method = PROTO_SAVM_TERM;
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_TERMS, 2, 0);
    deflt(&g_p);
    g_p.savings[2].break_fee_ppm = 10000;
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_TERMS, 2, 0);
    deflt(&g_p);
    g_p.savings[3].method = PROTO_SAVM_LOWEST;
    expect_problem(&g_p, PROTO_PARAMS_SAVINGS_TERMS, 3, 0);
    deflt(&g_p);
    g_p.savings[2].rate_ppm = 0; /* a method without a rate earns nothing: allowed */
    expect_sound(&g_p);
}

static void test_check_loan_terms(void **state)
{
    (void)state;
    deflt(&g_p);
    g_p.loans[0].periods_min = 37;
    expect_problem(&g_p, PROTO_PARAMS_LOAN_TERMS, 0, 0);
    deflt(&g_p);
    g_p.loans[1].principal_max = 4999999;
    expect_problem(&g_p, PROTO_PARAMS_LOAN_TERMS, 1, 0);
    deflt(&g_p);
    g_p.loans[0].rate_ppm = 833334; /* a month: 10 000 008 ppm a year */
    expect_problem(&g_p, PROTO_PARAMS_LOAN_TERMS, 0, 0);
    g_p.loans[0].rate_ppm = 833333; /* 9 999 996 */
    expect_sound(&g_p);
    g_p.loans[0].rate_period = 12;
    g_p.loans[0].rate_ppm = PROTO_PARAMS_RATE_MAX;
    expect_sound(&g_p);
}

static void test_check_matrix_order(void **state)
{
    struct proto_params_approval t;

    (void)state;
    deflt(&g_p);
    t = g_p.matrix[0];
    g_p.matrix[0] = g_p.matrix[1];
    g_p.matrix[1] = t;
    expect_problem(&g_p, PROTO_PARAMS_MATRIX_ORDER, 1, 17);
    deflt(&g_p);
    g_p.matrix[1].min_amount = 0; /* two rows for (17, 0) */
    expect_problem(&g_p, PROTO_PARAMS_MATRIX_ORDER, 1, 17);
    deflt(&g_p);
    g_p.matrix[3].kind = 16; /* kind 32's row moved before 17's */
    expect_problem(&g_p, PROTO_PARAMS_MATRIX_ORDER, 3, 16);
}

static void test_check_duplicates(void **state)
{
    (void)state;
    rich(&g_p);
    g_p.add[1].code = 2150;
    g_p.add[1].type = L_;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 1, 2150);
    rich(&g_p);
    g_p.roles[1].code = 1100;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 1, 1100);
    rich(&g_p);
    g_p.roles[1].role = PROTO_AR_PLACEMENTS; /* one account in two roles is fine */
    expect_sound(&g_p);
    deflt(&g_p);
    g_p.authors[1].kind = 17;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 1, 17);
    deflt(&g_p);
    g_p.csign[4].kind = 41;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 4, 41);
    deflt(&g_p);
    g_p.shu_capital.codes[1] = 3100;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 1, 3100);
    deflt(&g_p);
    g_p.nonmember[g_p.nnonmember++] = 4110;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 1, 4110);
    rich(&g_p);
    g_p.lhu[1] = g_p.lhu[0];
    g_p.nlhu = 2;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 1, 4300);
    rich(&g_p);
    g_p.cf[1].from = 2100; /* 2100..1630 is not a range: make it 2100..2200 */
    g_p.cf[1].to = 2200;
    expect_problem(&g_p, PROTO_PARAMS_DUPLICATE, 1, 2100);
}

static void test_check_chart(void **state)
{
    struct proto_params_problem why;
    struct proto_account extra = {2150, L_, true, "Simpanan qurban"};

    (void)state;
    deflt(&g_p);
    g_p.savings[2].account = 2199; /* not in the chart */
    expect_problem(&g_p, PROTO_PARAMS_CHART, 2, 2199);
    deflt(&g_p);
    g_p.savings[0].account = 2100; /* pokok on a liability */
    expect_problem(&g_p, PROTO_PARAMS_CHART, 0, 2100);
    deflt(&g_p);
    g_p.savings[2].account = 2130; /* sukarela on an account without sub-ledger */
    expect_problem(&g_p, PROTO_PARAMS_CHART, 2, 2130);
    deflt(&g_p);
    g_p.savings[3].expense_account = 4100;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 3, 4100);
    deflt(&g_p);
    g_p.loans[0].receivable = 1210; /* no sub-ledger */
    expect_problem(&g_p, PROTO_PARAMS_CHART, 0, 1210);
    deflt(&g_p);
    g_p.loans[1].interest = 5100;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 1, 5100);
    deflt(&g_p);
    g_p.loans[1].penalty = 2210;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 1, 2210);
    deflt(&g_p);
    g_p.loans[0].fees[1].account = 1100;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 0, 1100);
    deflt(&g_p);
    g_p.shu[4].account = 9999;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 4, 9999);
    deflt(&g_p);
    g_p.shu[1].account = 3400; /* the members' part on the reserve */
    expect_problem(&g_p, PROTO_PARAMS_CHART, 1, 3400);
    deflt(&g_p);
    g_p.shu_capital.codes[1] = 3400;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 1, 3400);
    deflt(&g_p);
    g_p.shu_usage.codes[0] = 4110;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 0, 4110);
    deflt(&g_p);
    g_p.nonmember[0] = 5100;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 0, 5100);
    rich(&g_p);
    g_p.lhu[0].code = 4301;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 0, 4301);
    rich(&g_p);
    g_p.roles[2].code = 2401;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 2, 2401);
    /* Adds: a rename keeps type and sub; a change of either is refused. */
    rich(&g_p);
    g_p.add[1].sub = false;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 1, 4100);
    rich(&g_p);
    g_p.add[1].type = X_;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 1, 4100);
    /* A product on an account an earlier version added: missing alone, fine with extra. */
    rich(&g_p);
    g_p.nadd = 0;
    expect_problem(&g_p, PROTO_PARAMS_CHART, 4, 2150);
    assert_int_equal(proto_params_check(&g_p, &g_gen, &extra, 1, &why), 0);
    /* ... and this version may not change what the earlier one added. */
    rich(&g_p);
    g_p.add[0].sub = false;
    g_p.savings[4].class = PROTO_SAV_KHUSUS;
    assert_int_equal(proto_params_check(&g_p, &g_gen, &extra, 1, &why), ERR_RULE);
    assert_int_equal(why.kind, PROTO_PARAMS_CHART);
    assert_int_equal(why.index, 0);
    assert_int_equal(why.detail, 2150);
}

static void test_problem_str(void **state)
{
    (void)state;
    for (int k = PROTO_PARAMS_OK; k <= PROTO_PARAMS_DUPLICATE; k++) {
        assert_string_not_equal(proto_params_problem_str(k), "?");
        for (int j = PROTO_PARAMS_OK; j < k; j++)
            assert_string_not_equal(proto_params_problem_str(k), proto_params_problem_str(j));
    }
    assert_string_equal(proto_params_problem_str(PROTO_PARAMS_DUPLICATE + 1), "?");
    assert_string_equal(proto_params_problem_str(-1), "?");
}

/* ---- text form ---- */

/* Parses text into g_q; the return code, with the message in err. */
static int parse(const char *text, char *err, size_t errlen)
{
    return proto_params_text_parse("p.txt", text, strlen(text), &g_q, err, errlen);
}

/* Writes p, parses it back into g_q, and requires the very same struct. */
static void text_roundtrip(const struct proto_params *p, struct proto_buf *out)
{
    char err[256];

    proto_buf_init(out);
    assert_int_equal(proto_params_text_write(p, out), 0);
    assert_int_equal(proto_buf_append_byte(out, 0), 0);
    memset(&g_q, 0x5a, sizeof g_q);
    if (proto_params_text_parse("w.txt", (const char *)out->data, out->len - 1, &g_q, err,
                                sizeof err) != 0)
        fail_msg("%s\n%s", err, (const char *)out->data);
    assert_memory_equal(&g_q, p, sizeof g_q);
}

static void test_text_default_roundtrip(void **state)
{
    static const char *const lines[] = {
        "effective = 2025-01-01\n",
        "pokok = 100.000\n",
        "wajib = 25.000 / 1 bulan\n",
        "refund-days = 30\n",
        "savings = SP pokok 3100\n",
        "savings = SW wajib 3110\n",
        "savings = SS sukarela 2100 bunga=3%/tahun metode=harian min=50.000 "
        "pajak=10%>240.000 beban=5100\n",
        "savings = SB12 berjangka 2110 bunga=4,25%/tahun jangka=12 denda-putus=1% beban=5110\n",
        "loan = PU flat 1,5%/bulan tenor=3..36 plafon=1.000.000..50.000.000 admin=1% "
        "provisi=1% denda=0,1%/hari\n",
        "loan = PA anuitas 1,25%/bulan tenor=6..60 plafon=5.000.000..100.000.000 admin=1% "
        "denda=0,1%/hari kelipatan=300%\n",
        "rounding = half-up 1\n",
        "author loan-apply = pengurus,pengawas,kasir,anggota\n",
        "approve loan-apply >= 0 : 1 pengurus\n",
        "approve loan-apply >= 5.000.000 : 2 pengurus\n",
        "approve loan-apply >= 25.000.000 : 2 pengurus + 1 pengawas\n",
        "approve resolution >= 0 : 2 pengurus + 1 pengawas + ketua + sekretaris\n",
        "officer-extra = 1 pengawas\n",
        "countersign withdraw = anggota\n",
        "countersign loan-disburse = anggota\n",
        "countersign member-exit = anggota-atau-pengawas\n",
        "bucket = lancar 0..90 0,5%\n",
        "bucket = kurang-lancar 91..180 10%\n",
        "bucket = diragukan 181..270 50%\n",
        "bucket = macet 271.. 100%\n",
        "shu = Cadangan umum 40% 3400 sisa\n",
        "shu = Jasa modal 20% 2300 modal\n",
        "shu = Jasa usaha 25% 2300 usaha\n",
        "shu = Dana pengurus & pengawas 5% 2310\n",
        "shu = Dana pendidikan 2,5% 2330\n",
        "shu-capital = waktu 3100,3110\n",
        "shu-usage = jasa 4100\n",
        "quorum = 50%\n",
    };
    struct proto_buf out;

    (void)state;
    deflt(&g_p);
    text_roundtrip(&g_p, &out);
    /* The writer speaks the doc's language (ACCOUNTING.md 1.6). */
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!strstr((const char *)out.data, lines[i]))
            fail_msg("missing line: %s\n%s", lines[i], (const char *)out.data);
    proto_buf_release(&out);
}

static void test_text_rich_roundtrip(void **state)
{
    struct proto_buf out;

    (void)state;
    rich(&g_p);
    text_roundtrip(&g_p, &out);
    assert_non_null(strstr((const char *)out.data, "add-account = 2150 L yes Simpanan qurban\n"));
    assert_non_null(strstr((const char *)out.data, "role kas = 1110\n"));
    assert_non_null(strstr((const char *)out.data, "author reverse = tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "countersign deposit = tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "admin=1% provisi=1% biaya=50.000@4900"));
    assert_non_null(strstr((const char *)out.data, "tenggang=3"));
    assert_non_null(strstr((const char *)out.data, "15%/tahun"));
    assert_non_null(strstr((const char *)out.data, "akun=1200,4100,4900"));
    assert_non_null(strstr((const char *)out.data, "cashflow = 1600..1630 investasi 11\n"));
    proto_buf_release(&out);
    /* Lists the template fills, emptied (as the parser empties them: zeroed). */
    deflt(&g_p);
    memset(g_p.loans, 0, sizeof g_p.loans);
    g_p.nloans = 0;
    memset(g_p.authors, 0, sizeof g_p.authors);
    g_p.nauthors = 0;
    memset(g_p.matrix, 0, sizeof g_p.matrix);
    g_p.nmatrix = 0;
    memset(g_p.csign, 0, sizeof g_p.csign);
    g_p.ncsign = 0;
    memset(g_p.nonmember, 0, sizeof g_p.nonmember);
    g_p.nnonmember = 0;
    g_p.officer_extra_pengawas = 0;
    text_roundtrip(&g_p, &out);
    assert_non_null(strstr((const char *)out.data, "loan = tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "author = tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "approve tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "countersign = tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "shu-nonmember = tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "officer-extra = tidak ada\n"));
    proto_buf_release(&out);
    /* Kinds without a name, rows of offices only or of nothing, and edge values. */
    deflt(&g_p);
    g_p.matrix[g_p.nmatrix].kind = 1000;
    g_p.matrix[g_p.nmatrix++].offices = PROTO_OFFICE_BIT(PROTO_OFFICE_BENDAHARA);
    g_p.matrix[g_p.nmatrix++].kind = 65535;
    g_p.authors[g_p.nauthors].kind = 3;
    g_p.authors[g_p.nauthors++].roles = PROTO_ROLE_BIT(PROTO_ROLE_ANGGOTA);
    g_p.pokok = 0;
    g_p.wajib_months = 3;
    g_p.calon_allowed = false;
    g_p.writeoff_need_rat = false;
    g_p.wait_days = 0;
    g_p.quorum_ppm = 1;
    g_p.fy_start_month = 4;
    g_p.rat_months = 3;
    g_p.rounding.mode = PROTO_LOAN_ROUND_UP;
    g_p.rounding.unit = 1000000;
    g_p.savings[2].tax_ppm = 0;  /* a threshold without a tax */
    g_p.savings[3].rate_ppm = 0; /* berjangka without interest, method still "jangka" */
    g_p.loans[0].fees[1].value = 0;
    g_p.loans[0].late_basis = PROTO_LOAN_LATE_PER_PERIOD;
    g_p.loans[0].late_rate_ppm = 0;
    g_p.loans[1].has_late = false;
    g_p.loans[1].late_basis = 0;
    g_p.loans[1].late_rate_ppm = 0;
    g_p.loans[1].principal_max = PROTO_AMOUNT_MAX;
    (void)snprintf(g_p.shu[6].name, sizeof g_p.shu[6].name, "Dana sosial#1 (modal 5%% 2300)");
    g_p.shu_residual_part = 6;
    g_p.risk[0].ppap_ppm = 0;
    text_roundtrip(&g_p, &out);
    assert_non_null(strstr((const char *)out.data, "approve 1000 >= 0 : bendahara\n"));
    assert_non_null(strstr((const char *)out.data, "approve 65535 >= 0 : tidak ada\n"));
    assert_non_null(strstr((const char *)out.data, "author 3 = anggota\n"));
    assert_non_null(strstr((const char *)out.data, "pajak=0%>240.000"));
    assert_non_null(strstr((const char *)out.data, "metode=jangka"));
    assert_non_null(strstr((const char *)out.data, "quorum = 0,0001%\n"));
    assert_non_null(strstr((const char *)out.data, "rounding = up 1.000.000\n"));
    assert_non_null(
        strstr((const char *)out.data, "shu = Dana sosial#1 (modal 5% 2300) 2,5% 2340 sisa\n"));
    proto_buf_release(&out);
}

/* ACCOUNTING.md 1.6's excerpt, verbatim: its list lines replace the template's lists. */
static void test_text_doc_excerpt(void **state)
{
    static const char doc[] =
        "effective = 2025-01-01\n"
        "pokok = 100.000\n"
        "wajib = 25.000 / 1 bulan\n"
        "refund-days = 30\n"
        "savings = SP pokok 3100\n"
        "savings = SW wajib 3110\n"
        "savings = SS sukarela 2100 bunga=3%/tahun metode=harian min=50.000 pajak=10%>240.000 "
        "beban=5100\n"
        "savings = SB12 berjangka 2110 bunga=4,25%/tahun jangka=12 denda-putus=1% beban=5110\n"
        "loan = PU flat 1,5%/bulan tenor=3..36 plafon=1.000.000..50.000.000 admin=1% provisi=1% "
        "denda=0,1%/hari\n"
        "loan = PA anuitas 1,25%/bulan tenor=6..60 plafon=5.000.000..100.000.000 admin=1% "
        "denda=0,1%/hari kelipatan=300%\n"
        "rounding = half-up 1\n"
        "author loan-apply = pengurus,pengawas,kasir,anggota\n"
        "approve loan-apply >= 0 : 1 pengurus\n"
        "approve loan-apply >= 5.000.000 : 2 pengurus\n"
        "approve loan-apply >= 25.000.000 : 2 pengurus + 1 pengawas\n"
        "officer-extra = 1 pengawas\n"
        "countersign withdraw = anggota\n"
        "countersign loan-disburse = anggota\n"
        "bucket = lancar 0..90 0,5%          # placeholders: verify against Juknis 15/2021 "
        "(12.5)\n"
        "bucket = kurang-lancar 91..180 10%\n"
        "bucket = diragukan 181..270 50%\n"
        "bucket = macet 271.. 100%\n"
        "shu = Cadangan umum 40% 3400 sisa\n"
        "shu = Jasa modal 20% 2300 modal\n"
        "shu = Jasa usaha 25% 2300 usaha\n"
        "shu = Dana pengurus & pengawas 5% 2310\n"
        "shu = Dana karyawan 5% 2320\n"
        "shu = Dana pendidikan 2,5% 2330\n"
        "shu = Dana sosial 2,5% 2340\n"
        "shu-capital = waktu 3100,3110        # time-weighted SP+SW\n"
        "shu-usage = jasa 4100\n";
    char err[256] = "";

    (void)state;
    if (parse(doc, err, sizeof err) != 0)
        fail_msg("%s", err);
    deflt(&g_p);
    /* Everything but the three governance lists is the template. */
    assert_memory_equal(g_q.savings, g_p.savings, sizeof g_p.savings);
    assert_memory_equal(g_q.loans, g_p.loans, sizeof g_p.loans);
    assert_memory_equal(g_q.risk, g_p.risk, sizeof g_p.risk);
    assert_memory_equal(g_q.shu, g_p.shu, sizeof g_p.shu);
    assert_memory_equal(&g_q.shu_capital, &g_p.shu_capital, sizeof g_p.shu_capital);
    assert_int_equal(g_q.adopted, YMD);
    assert_int_equal(g_q.effective, YMD);
    assert_int_equal(g_q.nauthors, 1);
    assert_int_equal(g_q.authors[0].kind, 56);
    assert_int_equal(g_q.authors[0].roles, 0x1e);
    assert_int_equal(g_q.nmatrix, 3);
    assert_int_equal(g_q.matrix[2].min_amount, 25000000);
    assert_int_equal(g_q.matrix[2].pengawas, 1);
    assert_int_equal(g_q.ncsign, 2);
    assert_int_equal(g_q.csign[0].kind, 49);
    assert_int_equal(g_q.csign[1].kind, 57);
    assert_int_equal(g_q.csign[1].mode, PROTO_CSIGN_MEMBER);
    expect_sound(&g_q);
}

static void test_text_handwritten(void **state)
{
    static const char text[] =
        "\xef\xbb\xbf# Parameter KSP Maju Bersama\r\n"
        "effective = 2026-01-01\r\n"
        "adopted = 2025-12-20   # RAT tahunan\r\n"
        "pokok = Rp 250.000\r\n"
        "wajib = 50000 / 3 bulan\r\n"
        "calon-allowed = tidak\r\n"
        "params-need-rat = ya\r\n"
        "\r\n"
        "savings = SP pokok 3100\r\n"
        "savings = SW wajib 3110\r\n"
        "savings = SS sukarela 2100 bunga=2.5%/tahun metode=terendah min=10.000 beban=5100\r\n"
        "savings = SQ khusus 2150\t\r\n"
        "loan = tidak ada\r\n"
        "\tapprove   deposit >= 10.000.000 : 1 pengurus\r\n"
        "approve withdraw >= 0 : 1 pengurus + bendahara\r\n"
        "countersign = tidak ada\r\n"
        "bucket = lancar 0..30 1%\r\n"
        "bucket = macet 31.. 100%\r\n"
        "shu = Cadangan 50% 3400 sisa\r\n"
        "shu = Jasa  modal 25% 2300 modal\r\n"
        "shu = Jasa usaha 25% 2300 usaha\r\n"
        "shu-mode = terbesar\r\n"
        "add-account = 2150 L yes Simpanan qurban\r\n"
        "role kas = 1100, 1110\r\n"
        "lhu = 4300 4\r\n"
        "cashflow = 2150..2150 operasi 9\r\n"
        "quorum = 66,6667%"; /* no final newline */
    static struct proto_params parsed;
    struct proto_buf b, out;
    char err[256] = "";

    (void)state;
    if (parse(text, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(err, "");
    parsed = g_q;
    assert_int_equal(parsed.effective, 20260101);
    assert_int_equal(parsed.adopted, 20251220);
    assert_int_equal(parsed.pokok, 250000);
    assert_int_equal(parsed.wajib, 50000);
    assert_int_equal(parsed.wajib_months, 3);
    assert_false(parsed.calon_allowed);
    assert_true(parsed.params_need_rat);
    assert_int_equal(parsed.nsavings, 4);
    assert_int_equal(parsed.savings[2].rate_ppm, 25000);
    assert_int_equal(parsed.savings[2].method, PROTO_SAVM_LOWEST);
    assert_int_equal(parsed.savings[2].min_balance, 10000);
    assert_string_equal(parsed.savings[3].code, "SQ");
    assert_int_equal(parsed.savings[3].method, PROTO_SAVM_NONE);
    assert_int_equal(parsed.nloans, 0);
    assert_int_equal(parsed.nmatrix, 2);
    assert_int_equal(parsed.matrix[0].kind, 48);
    assert_int_equal(parsed.matrix[0].min_amount, 10000000);
    assert_int_equal(parsed.matrix[1].offices, PROTO_OFFICE_BIT(PROTO_OFFICE_BENDAHARA));
    assert_int_equal(parsed.ncsign, 0);
    assert_int_equal(parsed.nauthors, 11); /* no author line: the template's rows */
    assert_int_equal(parsed.nrisk, 2);
    assert_int_equal(parsed.risk[1].max_days, PROTO_LOAN_DAYS_OPEN);
    assert_int_equal(parsed.risk[1].class, 4);
    assert_int_equal(parsed.nshu, 3);
    assert_string_equal(parsed.shu[1].name, "Jasa  modal");
    assert_int_equal(parsed.shu[1].role, PROTO_SHU_ROLE_MODAL);
    assert_int_equal(parsed.shu_residual_part, 0);
    assert_int_equal(parsed.shu_mode, PROTO_SHU_LARGEST_REMAINDER);
    assert_int_equal(parsed.nadd, 1);
    assert_string_equal(parsed.add[0].name, "Simpanan qurban");
    assert_int_equal(parsed.nroles, 2);
    assert_int_equal(parsed.roles[1].code, 1110);
    assert_int_equal(parsed.quorum_ppm, 666667);
    expect_sound(&parsed);
    /* Whatever the parser gives encodes and decodes to itself, and writes back. */
    roundtrip(&parsed);
    text_roundtrip(&parsed, &out);
    proto_buf_release(&out);
    (void)b;
}

struct text_case {
    const char *text;
    const char *msg; /* the whole message, or its start when it ends in "..." */
};

static void test_text_errors(void **state)
{
    static const struct text_case cases[] = {
        {"effective = 2025-01-01\nfoo = 1\n", "p.txt:2: unknown key 'foo'"},
        {"effective = 2025-01-01\npokok = 1\n# c\npokok = 2\n",
         "p.txt:4: 'pokok' is already given on line 2"},
        {"effective = 2025-01-01\npokok = 10.00\n", "p.txt:2: invalid amount '10.00' for pokok..."},
        {"effective = 2025-01-01\npokok = 1.000.000.000.000.001\n", "p.txt:2: invalid amount..."},
        {"effective = 2025-01-01\nquorum = 50,12345%\n",
         "p.txt:2: invalid percentage '50,12345%' for quorum..."},
        {"effective = 2025-01-01\nquorum = 100,0001%\n", "p.txt:2: invalid percentage..."},
        {"effective = 2025-02-30\n", "p.txt:1: invalid date '2025-02-30' (YYYY-MM-DD)"},
        {"pokok = 1\n", "p.txt: missing 'effective = YYYY-MM-DD'..."},
        {"effective = 2025-01-01\n\nshu = A 50% 3400\nshu = B 50% 2300 modal\n",
         "p.txt:3: no 'shu' line is marked 'sisa' (the part that receives residuals)"},
        {"effective = 2025-01-01\nshu = A 50% 3400 sisa\nshu = B 50% 2310 sisa\n",
         "p.txt:3: another part is already marked 'sisa' on line 2"},
        {"effective = 2025-01-01\nsavings = ss sukarela 2100\n",
         "p.txt:2: invalid product code 'ss' (1 to 8 capital letters or digits)"},
        {"effective = 2025-01-01\nloan = PX flat 1%/bulan plafon=1..2\n",
         "p.txt:2: a loan product needs tenor=MIN..MAX and plafon=MIN..MAX"},
        {"effective = 2025-01-01\napprove loan-apply 5.000.000 : 2 pengurus\n",
         "p.txt:2: an approve line reads..."},
        {"effective = 2025-01-01\nx\xff = 1\n", "p.txt:2: not valid UTF-8 text..."},
        {"effective = 2025-01-01\npokok = 1\x01\n", "p.txt:2: not valid UTF-8 text..."},
        {"effective = 2025-01-01\nsavings = tidak ada\n", "p.txt:2: 'savings' cannot be empty"},
        {"effective = 2025-01-01\nloan = tidak ada\nloan = PU flat 1%/bulan tenor=1 plafon=1\n",
         "p.txt:3: 'loan' was set to 'tidak ada' on line 2"},
        {"loan = PU flat 1%/bulan tenor=1..2 plafon=1..2\nloan = none\n",
         "p.txt:2: 'loan' lines are already given (from line 1)"},
        {"loan = PU flat 1%/bulan tenor=1..2 plafon=1..2 tenggang=3\n",
         "p.txt:1: tenggang needs denda=PCT/hari or denda=PCT/bulan"},
        {"loan = PU flat 1%/bulan tenor=1..2 plafon=1..2 diskon=1%\n",
         "p.txt:1: unknown option 'diskon'"},
        {"loan = PU flat 1%/bulan tenor=1..2 plafon=1..2 admin=1 biaya=2 biaya=3 biaya=4 "
         "provisi=5\n",
         "p.txt:1: too many fees (at most 4)"},
        {"loan = PU flat 1%/minggu tenor=1..2 plafon=1..2\n",
         "p.txt:1: unknown rate period (after '/') 'minggu' (use bulan, tahun)"},
        {"loan = PU flat 1% tenor=1..2 plafon=1..2\n",
         "p.txt:1: missing rate period (after '/') (use bulan, tahun)"},
        {"loan = PU flat 1%/bulan tenor=0..36 plafon=1..2\n",
         "p.txt:1: invalid tenor '0..36' (MIN..MAX, each from 1 to 360)"},
        {"effective = 2025-01-01 # the date\nrounding = nearest 1\n",
         "p.txt:2: unknown rounding mode 'nearest' (use half-up, down, up)"},
        {"author loan-apply = pengurus,bos\n",
         "p.txt:1: unknown role 'bos' (use pengurus, pengawas, kasir, anggota)"},
        {"approve foo >= 0 : 1 pengurus\n", "p.txt:1: unknown entry kind 'foo'..."},
        {"approve withdraw >= 0 : 1 pengurus + 2 pengurus\n",
         "p.txt:1: 'pengurus' counted twice or not pengurus or pengawas"},
        {"countersign withdraw = selalu\n",
         "p.txt:1: unknown countersignature 'selalu' (use anggota, anggota-atau-pengawas)"},
        {"bucket = lancar 0-90 1%\n", "p.txt:1: invalid day range '0-90'..."},
        {"wajib = 25.000 / 13 bulan\n",
         "p.txt:1: invalid number of months '13' (a whole number from 1 to 12)"},
        {"savings = SS sukarela 2100 bunga=1%/bulan bunga=2%/bulan\n",
         "p.txt:1: option 'bunga' is given twice"},
        {"savings = SS sukarela 2100 bunga=900%/bulan\n", "p.txt:1: bunga above 1000% a year"},
        {"effective = 2025-01-01\n\n  x\n", "p.txt:3: expected 'key = value'"},
        {"add-account = 2150 L maybe Qurban\n",
         "p.txt:1: unknown member sub-ledger (yes or no) 'maybe'..."},
        {"pokok =\n", "p.txt:1: 'pokok' needs a value"},
        {"role bos = 1100\n", "p.txt:1: unknown account role 'bos'..."},
        {"lhu = 4300 8\n", "p.txt:1: invalid LHU section '8' (a whole number from 1 to 7)"},
        {"shu-nonmember = 4110,99\n",
         "p.txt:1: invalid account code '99' (four digits, 1000 to 9999)"},
        {"shu = Dana dengan nama yang terlalu panjang untuk tabel SHU koperasi kita 5% 2310 sisa\n",
         "p.txt:1: invalid part name..."},
        {"shu = 5% 2310\n", "p.txt:1: a shu line reads..."},
        {"cashflow = 2200..2100 operasi 9\n", "p.txt:1: account range '2200..2100' runs backwards"},
        {"officer-extra = 1 ketua\n", "p.txt:1: 'ketua' counted twice or not pengurus or pengawas"},
        {"savings = SS sukarela\n", "p.txt:1: a savings line reads..."},
    };
    char err[256];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *want = cases[i].msg;
        size_t n = strlen(want);
        static const struct proto_params zero;

        memset(err, 'x', sizeof err);
        if (parse(cases[i].text, err, sizeof err) != ERR_CONFIG)
            fail_msg("case %zu accepted: %s", i, cases[i].text);
        assert_memory_equal(&g_q, &zero, sizeof g_q);
        if (n > 3 && strcmp(want + n - 3, "...") == 0) {
            if (strncmp(err, want, n - 3) != 0)
                fail_msg("case %zu: got '%s', want '%s'", i, err, want);
        } else if (strcmp(err, want) != 0) {
            fail_msg("case %zu: got '%s', want '%s'", i, err, want);
        }
    }
}

static void test_text_limits(void **state)
{
    char err[256], small[12];
    char *big;
    size_t n;

    (void)state;
    /* A NUL byte inside a line (the text is not a C string). */
    assert_int_equal(proto_params_text_parse("p.txt", "effective = 2025-01-01\npo\0kok = 1\n", 35,
                                             &g_q, err, sizeof err),
                     ERR_CONFIG);
    assert_string_equal(err, "p.txt:2: contains a NUL byte (is this a text file?)");
    /* Too large, before anything is read. */
    n = PROTO_PARAMS_TEXT_MAX + 1;
    big = malloc(n);
    assert_non_null(big);
    memset(big, '\n', n);
    assert_int_equal(proto_params_text_parse("p.txt", big, n, &g_q, err, sizeof err), ERR_CONFIG);
    assert_string_equal(err, "p.txt: too large for a parameter file (1048577 bytes, at most "
                             "1048576)");
    free(big);
    /* Seventeen savings products; a message cut to fit; no message buffer at all. */
    {
        char text[2048];
        int o = snprintf(text, sizeof text, "effective = 2025-01-01\n");

        for (int i = 0; i < 17; i++)
            o += snprintf(text + o, sizeof text - (size_t)o, "savings = S%d sukarela 2100\n", i);
        assert_int_equal(parse(text, err, sizeof err), ERR_CONFIG);
        assert_string_equal(err, "p.txt:18: too many 'savings' lines (at most 16)");
    }
    assert_int_equal(parse("foo = 1\n", small, sizeof small), ERR_CONFIG);
    assert_string_equal(small, "p.txt:1: un");
    assert_int_equal(parse("foo = 1\n", NULL, 0), ERR_CONFIG);
    assert_int_equal(parse("foo = 1\n", small, 0), ERR_CONFIG);
    /* Empty text: only the missing date. */
    assert_int_equal(parse("", err, sizeof err), ERR_CONFIG);
    assert_string_equal(err, "p.txt: missing 'effective = YYYY-MM-DD' (the first day the "
                             "parameters are meant for)");
}

static void test_text_numbers(void **state)
{
    char err[256];

    (void)state;
    assert_int_equal(
        parse("effective = 2025-01-01\nquorum = 0,0001%\npokok = 0\n", err, sizeof err), 0);
    assert_int_equal(g_q.quorum_ppm, 1);
    assert_int_equal(g_q.pokok, 0);
    assert_int_equal(parse("effective = 2025-01-01\nquorum = 100%\npokok = "
                           "1.000.000.000.000.000\n",
                           err, sizeof err),
                     0);
    assert_int_equal(g_q.quorum_ppm, 1000000);
    assert_int_equal(g_q.pokok, PROTO_AMOUNT_MAX);
    assert_int_equal(
        parse("effective = 2025-01-01\nquorum = 12.5%\npokok = Rp100.000\n", err, sizeof err), 0);
    assert_int_equal(g_q.quorum_ppm, 125000);
    assert_int_equal(g_q.pokok, 100000);
    assert_int_equal(parse("effective = 2025-01-01\nwajib = 10.000 / bulan\n", err, sizeof err), 0);
    assert_int_equal(g_q.wajib_months, 1);
    assert_int_equal(parse("effective = 2025-01-01\nquorum = ,5%\n", err, sizeof err), ERR_CONFIG);
    assert_int_equal(parse("effective = 2025-01-01\nquorum = 5,%\n", err, sizeof err), ERR_CONFIG);
    assert_int_equal(parse("effective = 2025-01-01\nquorum = 5\n", err, sizeof err), ERR_CONFIG);
    assert_int_equal(parse("effective = 2025-01-01\npokok = 1.00.000\n", err, sizeof err),
                     ERR_CONFIG);
    assert_int_equal(parse("effective = 2025-01-01\npokok = 1000.000\n", err, sizeof err),
                     ERR_CONFIG);
    assert_int_equal(parse("effective = 20250101\n", err, sizeof err), ERR_CONFIG);
    /* A monthly savings rate is stored annually: 0,25 %/bulan = 3 % a year. */
    assert_int_equal(parse("effective = 2025-01-01\nsavings = SS sukarela 2100 "
                           "bunga=0,25%/bulan metode=harian beban=5100\n",
                           err, sizeof err),
                     0);
    assert_int_equal(g_q.savings[0].rate_ppm, 30000);
}

static void test_text_write_refuses(void **state)
{
    struct proto_buf out;

    (void)state;
    proto_buf_init(&out);
    assert_int_equal(proto_buf_append(&out, "keep", 4), 0);
    rich(&g_p);
    (void)snprintf(g_p.add[0].name, sizeof g_p.add[0].name, "Qurban # 2025");
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    rich(&g_p);
    (void)snprintf(g_p.add[0].name, sizeof g_p.add[0].name, "Qurban ");
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    deflt(&g_p);
    (void)snprintf(g_p.shu[0].name, sizeof g_p.shu[0].name, "#1");
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    deflt(&g_p);
    g_p.shu_residual_part = 7;
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    deflt(&g_p);
    g_p.fmt = 2;
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    deflt(&g_p);
    g_p.savings[0].class = 9;
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    deflt(&g_p);
    g_p.pokok = PROTO_AMOUNT_MAX + 1; /* written, but it would not read back */
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    deflt(&g_p);
    g_p.nloans = PROTO_PARAMS_LOANS_MAX + 1;
    assert_int_equal(proto_params_text_write(&g_p, &out), -EINVAL);
    assert_int_equal(out.len, 4);
    assert_memory_equal(out.data, "keep", 4);
    proto_buf_release(&out);
}

/* Text that parses is always a well-formed body, even where the check says no. */
static void test_text_output_decodes(void **state)
{
    static const char text[] = "effective = 2025-01-01\n"
                               "bucket = macet 0..5 100%\n"
                               "bucket = lancar 3.. 1%\n" /* overlapping and decreasing */
                               "shu = A 10% 9999 sisa\n"  /* 10 %, and no such account */
                               "approve withdraw >= 5 : 1 pengurus\n"
                               "approve withdraw >= 0 : 1 pengurus\n";
    char err[256];

    (void)state;
    assert_int_equal(parse(text, err, sizeof err), 0);
    roundtrip(&g_q);
    assert_int_equal(check(&g_q, NULL), ERR_RULE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_decode_garbage),
        cmocka_unit_test(test_roundtrip_default),
        cmocka_unit_test(test_roundtrip_rich),
        cmocka_unit_test(test_roundtrip_maxima),
        cmocka_unit_test(test_decode_top),
        cmocka_unit_test(test_decode_chart),
        cmocka_unit_test(test_decode_governance),
        cmocka_unit_test(test_decode_membership),
        cmocka_unit_test(test_decode_savings),
        cmocka_unit_test(test_decode_loans),
        cmocka_unit_test(test_decode_risk),
        cmocka_unit_test(test_decode_shu),
        cmocka_unit_test(test_decode_reporting),
        cmocka_unit_test(test_default_passes_check),
        cmocka_unit_test(test_default_standard_chart),
        cmocka_unit_test(test_default_contents),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_check_fmt_dates_rounding),
        cmocka_unit_test(test_check_shu),
        cmocka_unit_test(test_check_buckets),
        cmocka_unit_test(test_check_format),
        cmocka_unit_test(test_check_products_dup),
        cmocka_unit_test(test_check_savings_terms),
        cmocka_unit_test(test_check_loan_terms),
        cmocka_unit_test(test_check_matrix_order),
        cmocka_unit_test(test_check_duplicates),
        cmocka_unit_test(test_check_chart),
        cmocka_unit_test(test_problem_str),
        cmocka_unit_test(test_text_default_roundtrip),
        cmocka_unit_test(test_text_rich_roundtrip),
        cmocka_unit_test(test_text_doc_excerpt),
        cmocka_unit_test(test_text_handwritten),
        cmocka_unit_test(test_text_errors),
        cmocka_unit_test(test_text_limits),
        cmocka_unit_test(test_text_numbers),
        cmocka_unit_test(test_text_write_refuses),
        cmocka_unit_test(test_text_output_decodes),
    };

    return cmocka_run_group_tests_name("proto_params", tests, setup, NULL);
}
