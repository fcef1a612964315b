/*
 * Unit tests for proto/mp: the canonical writers byte for byte at every size-class boundary, the
 * scanner's rejection of each non-canonical alternative, truncated, oversized, forbidden, badly
 * encoded and too deeply nested input, and the msgpack-c document with its typed readers,
 * including the round trip that re-encodes a decoded document to the same bytes.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/buf.h"
#include "proto/err.h"
#include "proto/mp.h"
#include "tests/unit/helpers.h"

#define HEX_MAX 128

/* Decode a hex literal of at most HEX_MAX bytes; returns its length. */
static size_t hex(const char *s, uint8_t *out)
{
    size_t n = strlen(s) / 2;

    assert_int_equal(strlen(s) % 2, 0);
    assert_true(n <= HEX_MAX);
    test_unhex(s, out, n);
    return n;
}

static void assert_buf_hex(const struct proto_buf *b, const char *s)
{
    uint8_t want[HEX_MAX];
    size_t n = hex(s, want);

    assert_int_equal(b->len, n);
    assert_memory_equal(b->data, want, n);
}

/* Re-encode a decoded object with our writers. */
static int enc_obj(struct proto_buf *b, const msgpack_object *o)
{
    uint32_t i;
    int rc;

    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return proto_mp_put_nil(b);
    case MSGPACK_OBJECT_BOOLEAN:
        return proto_mp_put_bool(b, o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return proto_mp_put_uint(b, o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return proto_mp_put_int(b, o->via.i64);
    case MSGPACK_OBJECT_STR:
        return proto_mp_put_str(b, o->via.str.ptr, o->via.str.size);
    case MSGPACK_OBJECT_BIN:
        return proto_mp_put_bin(b, o->via.bin.ptr, o->via.bin.size);
    case MSGPACK_OBJECT_ARRAY:
        rc = proto_mp_put_array(b, o->via.array.size);
        for (i = 0; rc == 0 && i < o->via.array.size; i++)
            rc = enc_obj(b, &o->via.array.ptr[i]);
        return rc;
    default:
        return ERR_TYPE;
    }
}

/* p[0..n) is one canonical object: scan, check, a trailing byte, and the round trip. */
static void expect_ok(const uint8_t *p, size_t n)
{
    struct proto_mp_doc d;
    struct proto_buf b;
    uint8_t *longer;
    size_t used = 0;

    assert_int_equal(proto_mp_scan(p, n, PROTO_MP_DEPTH_MAX, &used), 0);
    assert_int_equal(used, n);
    assert_int_equal(proto_mp_check(p, n), 0);

    longer = malloc(n + 1);
    assert_non_null(longer);
    memcpy(longer, p, n);
    longer[n] = 0xc0;
    used = 0;
    assert_int_equal(proto_mp_scan(longer, n + 1, PROTO_MP_DEPTH_MAX, &used), 0);
    assert_int_equal(used, n);
    assert_int_equal(proto_mp_check(longer, n + 1), ERR_BADFRAME);
    free(longer);

    assert_int_equal(proto_mp_doc_init(&d), 0);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    proto_buf_init(&b);
    assert_int_equal(enc_obj(&b, &d.root), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.data, p, n);
    proto_buf_release(&b);
    proto_mp_doc_release(&d);
}

static void expect_err(const uint8_t *p, size_t n, int err)
{
    struct proto_mp_doc d;
    size_t used = 12345;

    assert_int_equal(proto_mp_scan(p, n, PROTO_MP_DEPTH_MAX, &used), err);
    assert_int_equal(used, 12345);
    assert_int_equal(proto_mp_check(p, n), err);
    assert_int_equal(proto_mp_doc_init(&d), 0);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), err);
    assert_true(proto_mp_is_nil(&d.root));
    proto_mp_doc_release(&d);
}

static void expect_err_hex(const char *s, int err)
{
    uint8_t p[HEX_MAX];
    size_t n = hex(s, p);

    expect_err(p, n, err);
}

static void expect_ok_hex(const char *s)
{
    uint8_t p[HEX_MAX];
    size_t n = hex(s, p);

    expect_ok(p, n);
}

/* A canonical entry-like array (see DESIGN.md), encoded by the writers; bin holds 00..1f. */
static void put_entry(struct proto_buf *b)
{
    uint8_t bin[32];
    size_t i;

    for (i = 0; i < sizeof bin; i++)
        bin[i] = (uint8_t)i;
    assert_int_equal(proto_mp_put_array(b, 8), 0);
    assert_int_equal(proto_mp_put_uint(b, 1), 0);
    assert_int_equal(proto_mp_put_nil(b), 0);
    assert_int_equal(proto_mp_put_bin(b, bin, sizeof bin), 0);
    assert_int_equal(proto_mp_put_uint(b, 7), 0);
    assert_int_equal(proto_mp_put_nil(b), 0);
    assert_int_equal(proto_mp_put_uint(b, 1700000000000ull), 0);
    assert_int_equal(proto_mp_put_uint(b, 16), 0);
    assert_int_equal(proto_mp_put_array(b, 2), 0);
    assert_int_equal(proto_mp_put_str(b, "memo", 4), 0);
    assert_int_equal(proto_mp_put_array(b, 1), 0);
    assert_int_equal(proto_mp_put_array(b, 4), 0);
    assert_int_equal(proto_mp_put_uint(b, 1100), 0);
    assert_int_equal(proto_mp_put_nil(b), 0);
    assert_int_equal(proto_mp_put_uint(b, 5000), 0);
    assert_int_equal(proto_mp_put_uint(b, 0), 0);
}

#define ENTRY_HEX                                                                                  \
    "9801c0c420000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f07c0"               \
    "cf0000018bcfe5680010"                                                                         \
    "92a46d656d6f9194cd044cc0cd138800"

/* Every header type in one composite, for the truncation test. */
static void put_composite(struct proto_buf *b)
{
    uint8_t bin[300];
    char str[40];

    memset(bin, 0xab, sizeof bin);
    memset(str, 'x', sizeof str);
    assert_int_equal(proto_mp_put_array(b, 16), 0);
    put_entry(b);
    assert_int_equal(proto_mp_put_int(b, -129), 0);
    assert_int_equal(proto_mp_put_int(b, -40000), 0);
    assert_int_equal(proto_mp_put_int(b, INT64_MIN), 0);
    assert_int_equal(proto_mp_put_int(b, -5), 0);
    assert_int_equal(proto_mp_put_int(b, -100), 0);
    assert_int_equal(proto_mp_put_bool(b, true), 0);
    assert_int_equal(proto_mp_put_bool(b, false), 0);
    assert_int_equal(proto_mp_put_str(b, str, sizeof str), 0);
    assert_int_equal(proto_mp_put_bin(b, bin, sizeof bin), 0);
    assert_int_equal(proto_mp_put_uint(b, 200), 0);
    assert_int_equal(proto_mp_put_uint(b, 70000), 0);
    assert_int_equal(proto_mp_put_str(b, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80", 15), 0);
    assert_int_equal(proto_mp_put_array(b, 0), 0);
    assert_int_equal(proto_mp_put_str(b, "", 0), 0);
    assert_int_equal(proto_mp_put_bin(b, NULL, 0), 0);
}

/* Invalid and NULL-ish inputs. */

static void test_invalid_inputs(void **state)
{
    struct proto_mp_doc d;
    struct proto_buf b;
    const msgpack_object *f = NULL;
    const uint8_t *bp = NULL;
    const char *sp = NULL;
    char *dup = NULL;
    uint64_t u = 42;
    uint32_t u32 = 42;
    int64_t i = 42;
    size_t used = 42, n = 42;
    bool v = true;
    uint8_t out[4] = {9, 9, 9, 9};

    (void)state;
    assert_int_equal(proto_mp_scan(NULL, 0, PROTO_MP_DEPTH_MAX, &used), ERR_TRUNC);
    assert_int_equal(used, 42);
    assert_int_equal(proto_mp_scan(out, 0, PROTO_MP_DEPTH_MAX, &used), ERR_TRUNC);
    assert_int_equal(proto_mp_check(NULL, 0), ERR_TRUNC);
    assert_int_equal(proto_mp_doc_init(&d), 0);
    assert_int_equal(proto_mp_doc_parse(&d, NULL, 0), ERR_TRUNC);
    proto_mp_doc_release(&d);

    /* Readers given no object fail and leave their outputs alone. */
    assert_int_equal(proto_mp_array(NULL, 0, &f), ERR_BADFRAME);
    assert_int_equal(proto_mp_array_max(NULL, 10, &f, &u32), ERR_BADFRAME);
    assert_int_equal(proto_mp_u64(NULL, &u), ERR_BADFRAME);
    assert_int_equal(proto_mp_u64_max(NULL, 10, &u), ERR_BADFRAME);
    assert_int_equal(proto_mp_u32(NULL, &u32), ERR_BADFRAME);
    assert_int_equal(proto_mp_i64(NULL, &i), ERR_BADFRAME);
    assert_int_equal(proto_mp_bool(NULL, &v), ERR_BADFRAME);
    assert_false(proto_mp_is_nil(NULL));
    assert_int_equal(proto_mp_bin_fixed(NULL, out, sizeof out), ERR_BADFRAME);
    assert_int_equal(proto_mp_bin_ref(NULL, &bp, &n, 10), ERR_BADFRAME);
    assert_int_equal(proto_mp_str_ref(NULL, &sp, &n, 10), ERR_BADFRAME);
    assert_int_equal(proto_mp_str_dup(NULL, &dup, 10), ERR_BADFRAME);
    assert_null(f);
    assert_int_equal(u, 42);
    assert_int_equal(u32, 42);
    assert_int_equal(i, 42);
    assert_true(v);
    assert_int_equal(out[0], 9);
    assert_null(bp);
    assert_null(sp);
    assert_int_equal(n, 42);
    assert_null(dup);

    /* Empty str and bin with no pointer are fine. */
    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_str(&b, NULL, 0), 0);
    assert_int_equal(proto_mp_put_bin(&b, NULL, 0), 0);
    assert_buf_hex(&b, "a0c400");
    proto_buf_release(&b);
}

static void test_writer_toobig(void **state)
{
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_nil(&b), 0);
#if SIZE_MAX > UINT32_MAX
    /* The length is refused before any byte is read, so a short buffer is enough. */
    assert_int_equal(proto_mp_put_str(&b, "x", (size_t)UINT32_MAX + 1), ERR_TOOBIG);
    assert_int_equal(proto_mp_put_bin(&b, "x", (size_t)UINT32_MAX + 1), ERR_TOOBIG);
    assert_int_equal(proto_mp_put_str(&b, "x", SIZE_MAX), ERR_TOOBIG);
#endif
    assert_buf_hex(&b, "c0");
    proto_buf_release(&b);
}

static void test_doc_lifecycle(void **state)
{
    struct proto_mp_doc d;

    (void)state;
    proto_mp_doc_release(NULL);
    assert_int_equal(proto_mp_doc_init(&d), 0);
    assert_true(proto_mp_is_nil(&d.root));
    proto_mp_doc_release(&d);
    proto_mp_doc_release(&d); /* twice is harmless */
    assert_int_equal(proto_mp_doc_init(&d), 0);
    proto_mp_doc_release(&d);
}

/* Scalars at every boundary. */

static void test_nil_bool(void **state)
{
    struct proto_buf b;
    struct proto_mp_doc d;
    bool v = false;

    (void)state;
    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_nil(&b), 0);
    assert_int_equal(proto_mp_put_bool(&b, false), 0);
    assert_int_equal(proto_mp_put_bool(&b, true), 0);
    assert_buf_hex(&b, "c0c2c3");
    expect_ok_hex("c0");
    expect_ok_hex("c2");
    expect_ok_hex("c3");

    assert_int_equal(proto_mp_doc_init(&d), 0);
    assert_int_equal(proto_mp_doc_parse(&d, b.data + 2, 1), 0);
    assert_int_equal(proto_mp_bool(&d.root, &v), 0);
    assert_true(v);
    assert_false(proto_mp_is_nil(&d.root));
    assert_int_equal(proto_mp_doc_parse(&d, b.data + 1, 1), 0);
    assert_int_equal(proto_mp_bool(&d.root, &v), 0);
    assert_false(v);
    assert_int_equal(proto_mp_doc_parse(&d, b.data, 1), 0);
    assert_true(proto_mp_is_nil(&d.root));
    assert_int_equal(proto_mp_bool(&d.root, &v), ERR_BADFRAME);
    assert_false(v);
    proto_mp_doc_release(&d);
    proto_buf_release(&b);
}

/* A value, its canonical encoding and non-canonical encodings of the same value. */
struct uint_case {
    uint64_t u;
    const char *hex;
    const char *alt[5];
};

struct int_case {
    int64_t v;
    const char *hex;
    const char *alt[5];
};

static void test_uint_boundaries(void **state)
{
    static const struct uint_case cases[] = {
        {0, "00", {"cc00", "cd0000", "ce00000000", "cf0000000000000000", "d000"}},
        {127, "7f", {"cc7f", "cd007f", "d07f", "d1007f"}},
        {128, "cc80", {"cd0080", "ce00000080", "d10080"}},
        {255, "ccff", {"cd00ff", "cf00000000000000ff", "d100ff"}},
        {256, "cd0100", {"ce00000100", "d200000100"}},
        {65535, "cdffff", {"ce0000ffff", "d20000ffff"}},
        {65536, "ce00010000", {"cf0000000000010000", "d200010000"}},
        {UINT32_MAX, "ceffffffff", {"cf00000000ffffffff", "d300000000ffffffff"}},
        {(uint64_t)1 << 32, "cf0000000100000000", {"d30000000100000000"}},
        {(uint64_t)INT64_MAX, "cf7fffffffffffffff", {"d37fffffffffffffff"}},
        {UINT64_MAX, "cfffffffffffffffff", {NULL}},
    };
    size_t k, j;

    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct proto_buf b;

        proto_buf_init(&b);
        assert_int_equal(proto_mp_put_uint(&b, cases[k].u), 0);
        assert_buf_hex(&b, cases[k].hex);
        if (cases[k].u <= INT64_MAX) {
            /* put_int takes the unsigned forms for non-negative values. */
            proto_buf_reset(&b);
            assert_int_equal(proto_mp_put_int(&b, (int64_t)cases[k].u), 0);
            assert_buf_hex(&b, cases[k].hex);
        }
        expect_ok(b.data, b.len);
        for (j = 0; j < 5 && cases[k].alt[j]; j++)
            expect_err_hex(cases[k].alt[j], ERR_NONCANON);
        proto_buf_release(&b);
    }
}

static void test_int_boundaries(void **state)
{
    static const struct int_case cases[] = {
        {-1, "ff", {"d0ff", "d1ffff", "d2ffffffff", "d3ffffffffffffffff"}},
        {-5, "fb", {"d0fb", "d1fffb"}},
        {-32, "e0", {"d0e0", "d1ffe0"}},
        {-33, "d0df", {"d1ffdf", "d2ffffffdf"}},
        {-128, "d080", {"d1ff80", "d3ffffffffffffff80"}},
        {-129, "d1ff7f", {"d2ffffff7f"}},
        {-32768, "d18000", {"d2ffff8000", "d3ffffffffffff8000"}},
        {-32769, "d2ffff7fff", {"d3ffffffffffff7fff"}},
        {INT32_MIN, "d280000000", {"d3ffffffff80000000"}},
        {(int64_t)INT32_MIN - 1, "d3ffffffff7fffffff", {NULL}},
        {INT64_MIN, "d38000000000000000", {NULL}},
    };
    size_t k, j;

    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct proto_buf b;

        proto_buf_init(&b);
        assert_int_equal(proto_mp_put_int(&b, cases[k].v), 0);
        assert_buf_hex(&b, cases[k].hex);
        expect_ok(b.data, b.len);
        for (j = 0; j < 5 && cases[k].alt[j]; j++)
            expect_err_hex(cases[k].alt[j], ERR_NONCANON);
        proto_buf_release(&b);
    }
}

/* Every power of two, and its neighbours, of either sign survives write, check and round trip. */
static void test_int_sweep(void **state)
{
    unsigned s;
    int d;

    (void)state;
    for (s = 0; s < 64; s++) {
        for (d = -1; d <= 1; d++) {
            uint64_t u = ((uint64_t)1 << s) + (uint64_t)(int64_t)d;
            int64_t v = s < 63 ? -(int64_t)((uint64_t)1 << s) + d : INT64_MIN + (d + 1);
            struct proto_buf b;

            proto_buf_init(&b);
            assert_int_equal(proto_mp_put_uint(&b, u), 0);
            expect_ok(b.data, b.len);
            proto_buf_reset(&b);
            assert_int_equal(proto_mp_put_int(&b, v), 0);
            expect_ok(b.data, b.len);
            proto_buf_release(&b);
        }
    }
}

/* str, bin and array at every size-class boundary. */

enum sized_kind { SIZED_STR, SIZED_BIN, SIZED_ARRAY };

struct sized_case {
    uint32_t n;
    const char *head;
    const char *alt[3]; /* non-canonical headers for the same length */
};

/* Header bytes followed by the payload of an n-long str, bin or array (n nils). */
static void sized_build(struct proto_buf *b, enum sized_kind kind, const char *head, uint32_t n)
{
    uint8_t h[HEX_MAX];
    size_t hl = hex(head, h), i;

    proto_buf_reset(b);
    assert_int_equal(proto_buf_append(b, h, hl), 0);
    assert_int_equal(proto_buf_reserve(b, n), 0);
    for (i = 0; i < n; i++) {
        uint8_t c = kind == SIZED_STR   ? (uint8_t)('a' + i % 26)
                    : kind == SIZED_BIN ? (uint8_t)(i * 131 + 7)
                                        : 0xc0;

        assert_int_equal(proto_buf_append_byte(b, c), 0);
    }
}

static void sized_check(enum sized_kind kind, const struct sized_case *cases, size_t ncases)
{
    struct proto_buf want, got;
    size_t k, j, i;

    proto_buf_init(&want);
    proto_buf_init(&got);
    for (k = 0; k < ncases; k++) {
        uint32_t n = cases[k].n;

        sized_build(&want, kind, cases[k].head, n);
        proto_buf_reset(&got);
        if (kind == SIZED_ARRAY) {
            assert_int_equal(proto_mp_put_array(&got, n), 0);
            for (i = 0; i < n; i++)
                assert_int_equal(proto_mp_put_nil(&got), 0);
        } else if (kind == SIZED_STR) {
            const char *s = (const char *)want.data + (want.len - n);

            assert_int_equal(proto_mp_put_str(&got, s, n), 0);
        } else {
            assert_int_equal(proto_mp_put_bin(&got, want.data + (want.len - n), n), 0);
        }
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.data, want.data, want.len);
        expect_ok(got.data, got.len);
        for (j = 0; j < 3 && cases[k].alt[j]; j++) {
            sized_build(&want, kind, cases[k].alt[j], n);
            expect_err(want.data, want.len, ERR_NONCANON);
        }
    }
    proto_buf_release(&want);
    proto_buf_release(&got);
}

static void test_str_boundaries(void **state)
{
    static const struct sized_case cases[] = {
        {0, "a0", {"d900", "da0000", "db00000000"}},
        {1, "a1", {"d901"}},
        {31, "bf", {"d91f", "da001f"}},
        {32, "d920", {"da0020", "db00000020"}},
        {255, "d9ff", {"da00ff", "db000000ff"}},
        {256, "da0100", {"db00000100"}},
        {65535, "daffff", {"db0000ffff"}},
        {65536, "db00010000", {NULL}},
    };

    (void)state;
    sized_check(SIZED_STR, cases, sizeof cases / sizeof cases[0]);
}

static void test_bin_boundaries(void **state)
{
    static const struct sized_case cases[] = {
        {0, "c400", {"c50000", "c600000000"}},   {1, "c401", {"c50001"}},
        {255, "c4ff", {"c500ff", "c6000000ff"}}, {256, "c50100", {"c600000100"}},
        {65535, "c5ffff", {"c60000ffff"}},       {65536, "c600010000", {NULL}},
    };

    (void)state;
    sized_check(SIZED_BIN, cases, sizeof cases / sizeof cases[0]);
}

static void test_array_boundaries(void **state)
{
    static const struct sized_case cases[] = {
        {0, "90", {"dc0000", "dd00000000"}},  {1, "91", {"dc0001"}},
        {15, "9f", {"dc000f", "dd0000000f"}}, {16, "dc0010", {"dd00000010"}},
        {65535, "dcffff", {"dd0000ffff"}},    {65536, "dd00010000", {NULL}},
    };

    (void)state;
    sized_check(SIZED_ARRAY, cases, sizeof cases / sizeof cases[0]);
}

/* Truncation and declared sizes. */

static void test_entry_bytes(void **state)
{
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    put_entry(&b);
    assert_buf_hex(&b, ENTRY_HEX);
    expect_ok(b.data, b.len);
    proto_buf_release(&b);
}

static void trunc_every_byte(const struct proto_buf *b)
{
    size_t k;

    for (k = 0; k < b->len; k++)
        expect_err(b->data, k, ERR_TRUNC);
}

static void test_truncation_every_byte(void **state)
{
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    put_entry(&b);
    trunc_every_byte(&b);
    proto_buf_reset(&b);
    put_composite(&b);
    expect_ok(b.data, b.len);
    trunc_every_byte(&b);
    proto_buf_release(&b);
}

static void test_huge_declared_sizes(void **state)
{
    (void)state;
    /*
     * 2^32-1 elements with 3 bytes behind them: refused by the scanner, never reaching msgpack-c
     * (which would preallocate 24 x 2^32 bytes; doc_parse would then report -ENOMEM).
     */
    expect_err_hex("ddffffffffc0c0c0", ERR_TRUNC);
    expect_err_hex("91ddffffffffc0c0c0", ERR_TRUNC);
    expect_err_hex("dcffffc0c0c0", ERR_TRUNC);
    expect_err_hex("9fc0c0c0", ERR_TRUNC);
    /* A count that fits the remaining bytes alone but not with its pending siblings. */
    expect_err_hex("929292c0c0c0", ERR_TRUNC);
    /* Here the 16 elements alone would fit, and a per-array check would go on to see 0xc1. */
    expect_err_hex("93c0dc0010"
                   "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c1",
                   ERR_TRUNC);
    /* str and bin payloads. */
    expect_err_hex("dbffffffff616161", ERR_TRUNC);
    expect_err_hex("c6ffffffff000000", ERR_TRUNC);
    expect_err_hex("c5ffff00", ERR_TRUNC);
    expect_err_hex("d9ff61", ERR_TRUNC);
    expect_err_hex("a361", ERR_TRUNC);
}

static void test_truncated_headers(void **state)
{
    static const char *const heads[] = {
        "cc",   "cd00",     "ce000000", "cf00000000000000",
        "d0",   "d1ff",     "d2ffffff", "d3ffffffffffffff",
        "c4",   "c500",     "c6000000", "d9",
        "da00", "db000000", "dc00",     "dd000000",
        "a1",   "c401",     "91",       "92c0",
    };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof heads / sizeof heads[0]; k++)
        expect_err_hex(heads[k], ERR_TRUNC);
}

/* Types saksi never uses. */

static void test_forbidden_types(void **state)
{
    static const char *const bad[] = {
        "80",                                 /* fixmap, empty */
        "810101",                             /* fixmap {1: 1} */
        "8f",                                 /* fixmap, truncated */
        "de0000",                             /* map16 */
        "df00000000",                         /* map32 */
        "ca00000000",                         /* float32 */
        "cb0000000000000000",                 /* float64 */
        "c1",                                 /* never used */
        "c70001",                             /* ext8 */
        "c8000101",                           /* ext16 */
        "c90000000101",                       /* ext32 */
        "d40100",                             /* fixext1 */
        "d5010000",                           /* fixext2 */
        "d6ff00000000",                       /* fixext4 (timestamp) */
        "d7010000000000000000",               /* fixext8 */
        "d801000000000000000000000000000000", /* fixext16 */
        "9180",                               /* a map inside an array */
        "9301c0ca3f800000",                   /* a float after two good elements */
        "91919191c1",                         /* 0xc1 deep down */
    };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++)
        expect_err_hex(bad[k], ERR_TYPE);
}

/* UTF-8. */

static void test_utf8_valid(void **state)
{
    uint8_t p[64];
    size_t n;

    (void)state;
    expect_ok_hex("a24869");               /* "Hi" */
    expect_ok_hex("a100");                 /* NUL is valid UTF-8 (str_dup refuses it) */
    expect_ok_hex("a17f");                 /* DEL */
    expect_ok_hex("a2c280");               /* U+0080 */
    expect_ok_hex("a2c3a9");               /* U+00E9 */
    expect_ok_hex("a2dfbf");               /* U+07FF */
    expect_ok_hex("a3e0a080");             /* U+0800 */
    expect_ok_hex("a3e282ac");             /* U+20AC */
    expect_ok_hex("a3ed9fbf");             /* U+D7FF, just below the surrogates */
    expect_ok_hex("a3ee8080");             /* U+E000, just above them */
    expect_ok_hex("a3efbfbf");             /* U+FFFF */
    expect_ok_hex("a4f0908080");           /* U+10000 */
    expect_ok_hex("a4f09f9880");           /* U+1F600 */
    expect_ok_hex("a4f48fbfbf");           /* U+10FFFF */
    expect_ok_hex("a9c3a9e282acf09f9880"); /* mixed */

    /* A multi-byte sequence in a str8. */
    n = hex("d920", p);
    memset(p + n, 'a', 32);
    memcpy(p + n + 28, "\xf0\x9f\x98\x80", 4);
    expect_ok(p, n + 32);
}

static void test_utf8_invalid(void **state)
{
    static const char *const bad[] = {
        "a2c080",                                 /* overlong NUL */
        "a2c1bf",                                 /* overlong U+007F */
        "a3e08080",                               /* overlong 3-byte */
        "a3e09fbf",                               /* overlong U+07FF */
        "a4f0808080",                             /* overlong 4-byte */
        "a4f08fbfbf",                             /* overlong U+FFFF */
        "a3eda080",                               /* surrogate U+D800 */
        "a3edbfbf",                               /* surrogate U+DFFF */
        "a4f4908080",                             /* U+110000 */
        "a4f5808080",                             /* lead byte above f4 */
        "a1ff",                                   /* never in UTF-8 */
        "a1fe",       "a180",                     /* lone continuation */
        "a2bf41",     "a2e282",                   /* truncated 3-byte sequence */
        "a1c3",                                   /* truncated 2-byte sequence */
        "a3f09f98",                               /* truncated 4-byte sequence */
        "a2c341",                                 /* bad continuation */
        "a3e2c2ac",   "a4f09fc380", "9201a2c080", /* inside an array */
    };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++)
        expect_err_hex(bad[k], ERR_UTF8);
}

/* The validator on its own: exactly n bytes, whatever follows them. */
static void test_utf8_direct(void **state)
{
    static const struct {
        const char *s;
        size_t n;
        bool ok;
    } cases[] = {
        {"", 0, true},
        {"a\0b\x7f\t", 5, true}, /* NUL and controls are UTF-8 */
        {"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, true},
        {"\xe2\x82\xac", 2, false}, /* cut by n, though the bytes go on */
        {"\xe2\x82\xac", 0, true},
        {"x\xff", 1, true}, /* n stops before the bad byte */
        {"x\xff", 2, false},
        {"\xc0\xaf", 2, false},         /* overlong '/' */
        {"\xed\xa0\x80", 3, false},     /* surrogate */
        {"\xf4\x90\x80\x80", 4, false}, /* above U+10FFFF */
        {"\x80", 1, false},             /* lone continuation */
    };

    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        assert_int_equal(proto_mp_utf8_valid((const uint8_t *)cases[k].s, cases[k].n), cases[k].ok);
}

/* Depth and trailing bytes. */

static void nested(struct proto_buf *b, unsigned depth)
{
    unsigned k;

    proto_buf_reset(b);
    for (k = 0; k < depth; k++)
        assert_int_equal(proto_mp_put_array(b, 1), 0);
    assert_int_equal(proto_mp_put_uint(b, 1), 0);
}

static void test_depth(void **state)
{
    struct proto_buf b;
    uint8_t p[HEX_MAX];
    size_t used = 0, n;

    (void)state;
    proto_buf_init(&b);
    nested(&b, PROTO_MP_DEPTH_MAX);
    assert_buf_hex(&b, "919191919191919101");
    expect_ok(b.data, b.len);
    nested(&b, PROTO_MP_DEPTH_MAX + 1);
    expect_err(b.data, b.len, ERR_DEPTH);
    assert_int_equal(proto_mp_scan(b.data, b.len, PROTO_MP_DEPTH_MAX + 1, &used), 0);
    assert_int_equal(used, b.len);

    /* A scalar has depth 0; an empty array depth 1. */
    assert_int_equal(proto_mp_scan((const uint8_t *)"\x01", 1, 0, &used), 0);
    assert_int_equal(used, 1);
    assert_int_equal(proto_mp_scan((const uint8_t *)"\x90", 1, 0, &used), ERR_DEPTH);
    assert_int_equal(proto_mp_scan((const uint8_t *)"\x90", 1, 1, &used), 0);
    assert_int_equal(proto_mp_scan((const uint8_t *)"\x91\x90", 2, 1, &used), ERR_DEPTH);

    /* Depth goes up and down: [[[nil]], [nil], [[[nil]]]] has depth 4. */
    n = hex("939191c091c0919191c0", p);
    used = 0;
    assert_int_equal(proto_mp_scan(p, n, 4, &used), 0);
    assert_int_equal(used, n);
    assert_int_equal(proto_mp_scan(p, n, 3, &used), ERR_DEPTH);

    /* Depth is checked before the array's count is trusted. */
    assert_int_equal(proto_mp_scan((const uint8_t *)"\x91\xdd\xff\xff\xff\xff", 6, 1, &used),
                     ERR_DEPTH);

    /* Very deep input with a huge limit fails cleanly (the scanner's own limit is 128). */
    nested(&b, 128);
    assert_int_equal(proto_mp_scan(b.data, b.len, UINT_MAX, &used), 0);
    assert_int_equal(used, b.len);
    nested(&b, 5000);
    assert_int_equal(proto_mp_scan(b.data, b.len, UINT_MAX, &used), ERR_DEPTH);
    expect_err(b.data, b.len, ERR_DEPTH);
    proto_buf_release(&b);
}

static void test_trailing_bytes(void **state)
{
    static const struct {
        const char *hex;
        size_t used; /* the object scan() finds at the start */
    } cases[] = {
        {"c0c0", 1},
        {"910100", 2},
        {"a16161", 2},
        {"00ff", 1},
        /* Garbage after a good object: check() need not parse it, the frame is bad anyway. */
        {"9100c1", 2},
        {"9100cc", 2},
    };
    struct proto_mp_doc d;
    uint8_t p[HEX_MAX];
    size_t k, used, n;

    (void)state;
    assert_int_equal(proto_mp_doc_init(&d), 0);
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        n = hex(cases[k].hex, p);
        used = 0;
        assert_int_equal(proto_mp_scan(p, n, PROTO_MP_DEPTH_MAX, &used), 0);
        assert_int_equal(used, cases[k].used);
        assert_int_equal(proto_mp_check(p, n), ERR_BADFRAME);
        assert_int_equal(proto_mp_doc_parse(&d, p, n), ERR_BADFRAME);
        assert_true(proto_mp_is_nil(&d.root));
    }
    proto_mp_doc_release(&d);
}

/* The document and the typed readers. */

static void test_doc_readers(void **state)
{
    struct proto_mp_doc d;
    struct proto_buf b;
    const msgpack_object *f = NULL, *g = NULL, *h = NULL, *w = NULL;
    uint8_t bin[32], want[32], small[31];
    const uint8_t *bp = NULL;
    const char *sp = NULL;
    char *dup = NULL;
    uint64_t u = 0;
    uint32_t u32 = 0, n32 = 0;
    int64_t i = 0;
    size_t n = 0, k;
    bool v = false;

    (void)state;
    for (k = 0; k < sizeof want; k++)
        want[k] = (uint8_t)k;
    proto_buf_init(&b);
    put_entry(&b);
    assert_int_equal(proto_mp_doc_init(&d), 0);
    assert_int_equal(proto_mp_doc_parse(&d, b.data, b.len), 0);

    /* Arity must match exactly. */
    assert_int_equal(proto_mp_array(&d.root, 7, &f), ERR_BADFRAME);
    assert_int_equal(proto_mp_array(&d.root, 9, &f), ERR_BADFRAME);
    assert_null(f);
    assert_int_equal(proto_mp_array(&d.root, 8, &f), 0);
    assert_non_null(f);

    assert_int_equal(proto_mp_u64(&f[0], &u), 0);
    assert_int_equal(u, 1);
    assert_true(proto_mp_is_nil(&f[1]));
    assert_false(proto_mp_is_nil(&f[0]));
    assert_int_equal(proto_mp_u64(&f[1], &u), ERR_BADFRAME);
    assert_int_equal(u, 1);

    memset(bin, 0, sizeof bin);
    assert_int_equal(proto_mp_bin_fixed(&f[2], bin, sizeof bin), 0);
    assert_memory_equal(bin, want, sizeof want);
    memset(small, 0x55, sizeof small);
    assert_int_equal(proto_mp_bin_fixed(&f[2], small, sizeof small), ERR_BADFRAME);
    assert_int_equal(small[0], 0x55);
    assert_int_equal(proto_mp_bin_ref(&f[2], &bp, &n, 31), ERR_BADFRAME);
    assert_null(bp);
    assert_int_equal(proto_mp_bin_ref(&f[2], &bp, &n, 32), 0);
    assert_int_equal(n, 32);
    assert_ptr_equal(bp, b.data + 5); /* borrowed from the input */
    assert_int_equal(proto_mp_str_ref(&f[2], &sp, &n, 100), ERR_BADFRAME);
    assert_int_equal(proto_mp_u64(&f[2], &u), ERR_BADFRAME);

    assert_int_equal(proto_mp_u32(&f[3], &u32), 0);
    assert_int_equal(u32, 7);
    assert_int_equal(proto_mp_bool(&f[3], &v), ERR_BADFRAME);
    assert_int_equal(proto_mp_bin_fixed(&f[3], bin, 1), ERR_BADFRAME);
    assert_true(proto_mp_is_nil(&f[4]));

    assert_int_equal(proto_mp_u64(&f[5], &u), 0);
    assert_int_equal(u, 1700000000000ull);
    u32 = 99;
    assert_int_equal(proto_mp_u32(&f[5], &u32), ERR_BADFRAME);
    assert_int_equal(u32, 99);
    assert_int_equal(proto_mp_i64(&f[5], &i), 0);
    assert_int_equal(i, 1700000000000ll);

    assert_int_equal(proto_mp_u64_max(&f[6], 16, &u), 0);
    assert_int_equal(u, 16);
    assert_int_equal(proto_mp_u64_max(&f[6], 15, &u), ERR_BADFRAME);
    assert_int_equal(u, 16);

    /* ["memo", [[1100, nil, 5000, 0]]] */
    assert_int_equal(proto_mp_array(&f[7], 2, &g), 0);
    assert_int_equal(proto_mp_array_max(&f[7], 1, &g, &n32), ERR_BADFRAME);
    assert_int_equal(n32, 0);
    assert_int_equal(proto_mp_array_max(&f[7], 2, &g, &n32), 0);
    assert_int_equal(n32, 2);
    assert_int_equal(proto_mp_array_max(&f[6], 2, &g, &n32), ERR_BADFRAME);
    assert_int_equal(proto_mp_str_ref(&g[0], &sp, &n, 3), ERR_BADFRAME);
    assert_null(sp);
    assert_int_equal(proto_mp_str_ref(&g[0], &sp, &n, 4), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(sp, "memo", 4);
    assert_int_equal(proto_mp_bin_ref(&g[0], &bp, &n, 100), ERR_BADFRAME);
    assert_int_equal(proto_mp_str_dup(&g[0], &dup, 3), ERR_BADFRAME);
    assert_null(dup);
    assert_int_equal(proto_mp_str_dup(&g[0], &dup, 4), 0);
    assert_string_equal(dup, "memo");
    free(dup);
    assert_int_equal(proto_mp_array(&g[1], 1, &h), 0);
    assert_int_equal(proto_mp_array(&h[0], 3, &w), ERR_BADFRAME);
    assert_int_equal(proto_mp_array(&h[0], 4, &w), 0);
    assert_int_equal(proto_mp_i64(&w[0], &i), 0);
    assert_int_equal(i, 1100);
    assert_true(proto_mp_is_nil(&w[1]));
    assert_int_equal(proto_mp_u64(&w[2], &u), 0);
    assert_int_equal(u, 5000);
    assert_int_equal(proto_mp_u64(&w[3], &u), 0);
    assert_int_equal(u, 0);
    assert_int_equal(proto_mp_array(&w[3], 0, &f), ERR_BADFRAME);

    proto_mp_doc_release(&d);
    proto_buf_release(&b);
}

static void test_readers_ints(void **state)
{
    struct proto_mp_doc d;
    uint8_t p[HEX_MAX];
    uint64_t u = 7;
    uint32_t u32 = 7;
    int64_t i = 7;
    size_t n;

    (void)state;
    assert_int_equal(proto_mp_doc_init(&d), 0);

    /* A negative integer is no u64 or u32. */
    n = hex("d0df", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(d.root.type, MSGPACK_OBJECT_NEGATIVE_INTEGER);
    assert_int_equal(proto_mp_u64(&d.root, &u), ERR_BADFRAME);
    assert_int_equal(proto_mp_u32(&d.root, &u32), ERR_BADFRAME);
    assert_int_equal(u, 7);
    assert_int_equal(u32, 7);
    assert_int_equal(proto_mp_i64(&d.root, &i), 0);
    assert_int_equal(i, -33);

    n = hex("d38000000000000000", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_i64(&d.root, &i), 0);
    assert_true(i == INT64_MIN);

    /* Above INT64_MAX is no i64; INT64_MAX is. */
    i = 7;
    n = hex("cf8000000000000000", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(d.root.type, MSGPACK_OBJECT_POSITIVE_INTEGER);
    assert_int_equal(proto_mp_i64(&d.root, &i), ERR_BADFRAME);
    assert_int_equal(i, 7);
    assert_int_equal(proto_mp_u64(&d.root, &u), 0);
    assert_true(u == (uint64_t)1 << 63);
    n = hex("cf7fffffffffffffff", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_i64(&d.root, &i), 0);
    assert_true(i == INT64_MAX);

    /* u32 bounds. */
    n = hex("ceffffffff", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_u32(&d.root, &u32), 0);
    assert_true(u32 == UINT32_MAX);
    n = hex("cf0000000100000000", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_u32(&d.root, &u32), ERR_BADFRAME);
    assert_true(u32 == UINT32_MAX);
    assert_int_equal(proto_mp_u64_max(&d.root, UINT32_MAX, &u), ERR_BADFRAME);
    assert_int_equal(proto_mp_u64_max(&d.root, (uint64_t)1 << 32, &u), 0);
    assert_true(u == (uint64_t)1 << 32);

    /* Booleans and nil are not integers. */
    n = hex("c2", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_u64(&d.root, &u), ERR_BADFRAME);
    assert_int_equal(proto_mp_i64(&d.root, &i), ERR_BADFRAME);
    proto_mp_doc_release(&d);
}

static void test_readers_str(void **state)
{
    struct proto_mp_doc d;
    uint8_t p[HEX_MAX], out[4] = {1, 2, 3, 4};
    const uint8_t *bp = NULL;
    const char *sp = NULL;
    char *dup = NULL;
    size_t n, len = 9;

    (void)state;
    assert_int_equal(proto_mp_doc_init(&d), 0);

    /* An embedded NUL is valid msgpack but no C string. */
    n = hex("a3610062", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_str_dup(&d.root, &dup, 100), ERR_BADFRAME);
    assert_null(dup);
    assert_int_equal(proto_mp_str_ref(&d.root, &sp, &len, 100), 0);
    assert_int_equal(len, 3);
    assert_ptr_equal(sp, p + 1);

    /* The empty str. */
    n = hex("a0", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_str_dup(&d.root, &dup, 0), 0);
    assert_non_null(dup);
    assert_string_equal(dup, "");
    free(dup);
    dup = NULL;

    /* Multi-byte UTF-8 survives str_dup. */
    n = hex("a3e282ac", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_str_dup(&d.root, &dup, 3), 0);
    assert_string_equal(dup, "\xe2\x82\xac");
    free(dup);

    /* The empty bin: bin_fixed of 0 and bin_ref. */
    n = hex("c400", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_bin_fixed(&d.root, out, 0), 0);
    assert_int_equal(proto_mp_bin_fixed(&d.root, out, 1), ERR_BADFRAME);
    assert_int_equal(out[0], 1);
    assert_int_equal(proto_mp_bin_ref(&d.root, &bp, &len, 0), 0);
    assert_int_equal(len, 0);
    assert_int_equal(proto_mp_str_ref(&d.root, &sp, &len, 10), ERR_BADFRAME);

    /* A str is no bin. */
    n = hex("a401020304", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_bin_fixed(&d.root, out, 4), ERR_BADFRAME);
    assert_int_equal(out[0], 1);
    proto_mp_doc_release(&d);
}

static void test_doc_reparse(void **state)
{
    struct proto_mp_doc d;
    struct proto_buf b;
    uint8_t p[HEX_MAX];
    const msgpack_object *f;
    uint64_t u = 0;
    size_t n;
    int round;

    (void)state;
    proto_buf_init(&b);
    put_entry(&b);
    assert_int_equal(proto_mp_doc_init(&d), 0);
    for (round = 0; round < 100; round++) {
        assert_int_equal(proto_mp_doc_parse(&d, b.data, b.len), 0);
        assert_int_equal(proto_mp_array(&d.root, 8, &f), 0);
        assert_int_equal(proto_mp_u64(&f[5], &u), 0);
        assert_int_equal(u, 1700000000000ull);
    }
    /* A failed parse leaves nil behind, and the doc stays usable. */
    n = hex("cc05", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), ERR_NONCANON);
    assert_true(proto_mp_is_nil(&d.root));
    n = hex("9105", p);
    assert_int_equal(proto_mp_doc_parse(&d, p, n), 0);
    assert_int_equal(proto_mp_array(&d.root, 1, &f), 0);
    assert_int_equal(proto_mp_u64(&f[0], &u), 0);
    assert_int_equal(u, 5);
    proto_mp_doc_release(&d);
    proto_buf_release(&b);
}

/* Writers append; they never reset what is already there. */
static void test_writers_append(void **state)
{
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_array(&b, 5), 0);
    assert_int_equal(proto_mp_put_int(&b, -1), 0);
    assert_int_equal(proto_mp_put_uint(&b, 300), 0);
    assert_int_equal(proto_mp_put_str(&b, "ab", 2), 0);
    assert_int_equal(proto_mp_put_bin(&b, "\x01\x02", 2), 0);
    assert_int_equal(proto_mp_put_bool(&b, true), 0);
    assert_buf_hex(&b, "95ffcd012ca26162c4020102c3");
    expect_ok(b.data, b.len);
    proto_buf_release(&b);
}

static void test_roundtrip(void **state)
{
    struct proto_mp_doc d;
    struct proto_buf b, again;

    (void)state;
    proto_buf_init(&b);
    proto_buf_init(&again);
    put_composite(&b);
    assert_int_equal(proto_mp_check(b.data, b.len), 0);
    assert_int_equal(proto_mp_doc_init(&d), 0);
    assert_int_equal(proto_mp_doc_parse(&d, b.data, b.len), 0);
    assert_int_equal(enc_obj(&again, &d.root), 0);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);
    proto_mp_doc_release(&d);
    proto_buf_release(&again);
    proto_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_inputs),
        cmocka_unit_test(test_writer_toobig),
        cmocka_unit_test(test_doc_lifecycle),
        cmocka_unit_test(test_nil_bool),
        cmocka_unit_test(test_uint_boundaries),
        cmocka_unit_test(test_int_boundaries),
        cmocka_unit_test(test_int_sweep),
        cmocka_unit_test(test_str_boundaries),
        cmocka_unit_test(test_bin_boundaries),
        cmocka_unit_test(test_array_boundaries),
        cmocka_unit_test(test_entry_bytes),
        cmocka_unit_test(test_truncation_every_byte),
        cmocka_unit_test(test_huge_declared_sizes),
        cmocka_unit_test(test_truncated_headers),
        cmocka_unit_test(test_forbidden_types),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_utf8_direct),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_doc_readers),
        cmocka_unit_test(test_readers_ints),
        cmocka_unit_test(test_readers_str),
        cmocka_unit_test(test_doc_reparse),
        cmocka_unit_test(test_writers_append),
        cmocka_unit_test(test_roundtrip),
    };

    return cmocka_run_group_tests_name("proto_mp", tests, NULL, NULL);
}
