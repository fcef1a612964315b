/*
 * Unit tests for proto/wire: invalid input first (every decode error: unknown type, wrong arity,
 * wrong field types, out-of-range integers, too many rows or entries, empty and oversized
 * entries, non-canonical, truncated and oversized input; the encoders' refusals), then every
 * message byte for byte and back, the size boundaries (a full frontier chunk, ENTRIES filled
 * until room says no, room exact at PROTO_WIRE_PLAIN_MAX, one entry of PROTO_ENTRY_MAX), the
 * ENTRIES header fix-up at 1, 15, 16 and 1024 entries, the hello (with and without an invite
 * token), the messages of wire version 2 (ADDRS, ROSTER, JOIN, JOINED: their refusals, then
 * byte for byte and back), the prologue layout, and the gate against values computed
 * independently with Python's hmac module.
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

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/invite.h"
#include "proto/ledger.h"
#include "proto/mp.h"
#include "proto/wire.h"
#include "tests/unit/helpers.h"

#define HEX_MAX 512

#define H11 "1111111111111111111111111111111111111111111111111111111111111111"
#define H22 "2222222222222222222222222222222222222222222222222222222222222222"
#define H33 "3333333333333333333333333333333333333333333333333333333333333333"
#define H44 "4444444444444444444444444444444444444444444444444444444444444444"
#define H31 "11111111111111111111111111111111111111111111111111111111111111"
#define PK  "5555555555555555555555555555555555555555555555555555555555555555"
#define BX  "6666666666666666666666666666666666666666666666666666666666666666"

/* A decoded message is about 50 KB: one shared instance instead of one per stack frame. */
static struct proto_msg g_msg;

static int setup(void **state)
{
    (void)state;
    return proto_crypto_init();
}

/* Decode a hex literal of at most HEX_MAX bytes; returns its length. */
static size_t hex(const char *s, uint8_t *out)
{
    size_t n = strlen(s) / 2;

    assert_int_equal(strlen(s) % 2, 0);
    assert_true(n <= HEX_MAX);
    if (n > 0)
        test_unhex(s, out, n);
    return n;
}

static void assert_bytes_hex(const uint8_t *p, size_t n, const char *s)
{
    uint8_t want[HEX_MAX];
    size_t wn = hex(s, want);

    assert_int_equal(n, wn);
    assert_memory_equal(p, want, n);
}

/* Encode m again with the encoders (ENTRIES through the builder), appending to out. */
static int reencode(const struct proto_msg *m, struct proto_buf *out)
{
    struct proto_msg_builder b;
    uint32_t i;
    int rc;

    switch (m->type) {
    case PROTO_MSG_FRONTIER:
        return proto_msg_frontier(out, m->u.frontier.rows, m->u.frontier.n, m->u.frontier.final);
    case PROTO_MSG_ENTRIES:
        rc = proto_msg_entries_begin(&b, out);
        for (i = 0; rc == 0 && i < m->u.entries.n; i++) {
            assert_true(proto_msg_entries_room(&b, m->u.entries.len[i]));
            rc = proto_msg_entries_add(&b, m->u.entries.p[i], m->u.entries.len[i]);
        }
        if (rc == 0)
            rc = proto_msg_entries_end(&b);
        return rc;
    case PROTO_MSG_ACK:
        return proto_msg_ack(out, m->u.ack.messages);
    case PROTO_MSG_ERROR:
        return proto_msg_error(out, m->u.error.code, m->u.error.text);
    case PROTO_MSG_BYE:
        return proto_msg_bye(out, m->u.bye.reason);
    case PROTO_MSG_PING:
        return proto_msg_ping(out);
    case PROTO_MSG_PONG:
        return proto_msg_pong(out);
    case PROTO_MSG_ADDRS:
        return proto_msg_addrs(out, m->u.addrs.rows, m->u.addrs.n);
    case PROTO_MSG_ROSTER:
        return proto_msg_roster(out, m->u.roster.rows, m->u.roster.n, m->u.roster.final);
    case PROTO_MSG_JOIN:
        return proto_msg_join(out, m->u.join.p, m->u.join.len);
    case PROTO_MSG_JOINED:
        return proto_msg_joined(out, m->u.joined.code);
    case PROTO_MSG_PRUNE:
        return proto_msg_prune(out);
    case PROTO_MSG_GRAFT:
        return proto_msg_graft(out);
    default:
        return -EINVAL;
    }
}

/* p decodes, and its message re-encodes to exactly p. */
static void expect_round_trip(const uint8_t *p, size_t n)
{
    struct proto_buf b;
    uint32_t i;

    assert_int_equal(proto_msg_decode(p, n, &g_msg), 0);
    if (g_msg.type == PROTO_MSG_ENTRIES) {
        /* Entries borrow the input. */
        for (i = 0; i < g_msg.u.entries.n; i++) {
            assert_true(g_msg.u.entries.p[i] > p);
            assert_true(g_msg.u.entries.p[i] + g_msg.u.entries.len[i] <= p + n);
        }
    }
    if (g_msg.type == PROTO_MSG_JOIN) {
        /* So does a join request. */
        assert_true(g_msg.u.join.p > p);
        assert_true(g_msg.u.join.p + g_msg.u.join.len <= p + n);
    }
    proto_buf_init(&b);
    assert_int_equal(reencode(&g_msg, &b), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.data, p, n);
    proto_buf_release(&b);
}

static void expect_decode_err(const uint8_t *p, size_t n, int code)
{
    g_msg.type = 99;
    assert_int_equal(proto_msg_decode(p, n, &g_msg), code);
    assert_int_equal(g_msg.type, 0);
}

static void expect_decode_err_hex(const char *s, int code)
{
    uint8_t p[HEX_MAX];
    size_t n = hex(s, p);

    expect_decode_err(p, n, code);
}

/* ---- Invalid input ---- */

static void test_decode_invalid(void **state)
{
    static const struct {
        const char *hex;
        int code;
    } cases[] = {
        /* Not a message at all. */
        {"", ERR_TRUNC},
        {"c0", ERR_BADFRAME},
        {"06", ERR_BADFRAME},
        {"c40106", ERR_BADFRAME},
        {"90", ERR_BADFRAME},
        {"9406060606", ERR_BADFRAME},
        /* Unknown types, and types that are not unsigned integers. */
        {"9100", ERR_BADFRAME},
        {"9164", ERR_BADFRAME},
        {"926400", ERR_BADFRAME},
        {"9364c0c0", ERR_BADFRAME},
        {"917f", ERR_BADFRAME},
        {"91cc80", ERR_BADFRAME},
        {"91cf0000000100000006", ERR_BADFRAME},
        {"91ff", ERR_BADFRAME},
        {"91c0", ERR_BADFRAME},
        {"91c3", ERR_BADFRAME},
        {"91a136", ERR_BADFRAME},
        {"91c40106", ERR_BADFRAME},
        {"919106", ERR_BADFRAME},
        /* Wrong arity for the type. */
        {"920600", ERR_BADFRAME},
        {"920700", ERR_BADFRAME},
        {"9103", ERR_BADFRAME},
        {"93030000", ERR_BADFRAME},
        {"9105", ERR_BADFRAME},
        {"93050000", ERR_BADFRAME},
        {"9104", ERR_BADFRAME},
        {"920400", ERR_BADFRAME},
        {"9101", ERR_BADFRAME},
        {"920190", ERR_BADFRAME},
        {"9102", ERR_BADFRAME},
        {"930291c40161c3", ERR_BADFRAME},
        /* ACK: an unsigned integer. */
        {"9203c0", ERR_BADFRAME},
        {"9203c2", ERR_BADFRAME},
        {"9203ff", ERR_BADFRAME},
        {"9203d080", ERR_BADFRAME},
        {"9203a131", ERR_BADFRAME},
        {"9203c40101", ERR_BADFRAME},
        {"920390", ERR_BADFRAME},
        /* BYE: a u32. */
        {"9205c0", ERR_BADFRAME},
        {"9205ff", ERR_BADFRAME},
        {"9205cf0000000100000000", ERR_BADFRAME},
        {"9205a0", ERR_BADFRAME},
        /* ERROR: a u32 code and a str without NUL. */
        {"9304c0a0", ERR_BADFRAME},
        {"9304ffa0", ERR_BADFRAME},
        {"9304cf0000000100000000a0", ERR_BADFRAME},
        {"930400c0", ERR_BADFRAME},
        {"930400c400", ERR_BADFRAME},
        {"93040000", ERR_BADFRAME},
        {"930400a3610062", ERR_BADFRAME},
        {"930400a100", ERR_BADFRAME},
        {"930400a1ff", ERR_UTF8},
        {"930400a2c080", ERR_UTF8},
        {"930400a3eda080", ERR_UTF8},
        /* FRONTIER: an array of [bin32, u64, bin32] and a bool. */
        {"9301c0c3", ERR_BADFRAME},
        {"9301c400c3", ERR_BADFRAME},
        {"930190c0", ERR_BADFRAME},
        {"93019001", ERR_BADFRAME},
        {"930190a0", ERR_BADFRAME},
        {"930191c0c3", ERR_BADFRAME},
        {"93019190c3", ERR_BADFRAME},
        {"93019192c420" H11 "01c3", ERR_BADFRAME},
        {"93019194c420" H11 "01c420" H22 "c0c3", ERR_BADFRAME},
        {"93019193c41f" H31 "01c420" H22 "c3", ERR_BADFRAME},
        {"93019193c420" H11 "01c421" H22 "00c3", ERR_BADFRAME},
        {"93019193c420" H11 "01c41f" H31 "c3", ERR_BADFRAME},
        {"93019193d920" H11 "01c420" H22 "c3", ERR_BADFRAME},
        {"93019193c420" H11 "ffc420" H22 "c3", ERR_BADFRAME},
        {"93019193c420" H11 "c0c420" H22 "c3", ERR_BADFRAME},
        {"93019193c420" H11 "c3c420" H22 "c3", ERR_BADFRAME},
        {"93019193c420" H11 "01c0c3", ERR_BADFRAME},
        {"93019193c420" H11 "01c420" H22 "c0", ERR_BADFRAME},
        {"93019293c420" H11 "01c420" H22 "c0c3", ERR_BADFRAME},
        /* ENTRIES: 1..1024 bins of 1..PROTO_ENTRY_MAX bytes. */
        {"920290", ERR_BADFRAME},
        {"920291c400", ERR_BADFRAME},
        {"920292c40161c400", ERR_BADFRAME},
        {"920291a161", ERR_BADFRAME},
        {"92029101", ERR_BADFRAME},
        {"920291c0", ERR_BADFRAME},
        {"920291c40161c0", ERR_BADFRAME},
        {"9202c40161", ERR_BADFRAME},
        {"920291c401", ERR_TRUNC},
        /* Not canonical, or not msgpack that saksi speaks. */
        {"9203cc05", ERR_NONCANON},
        {"9203cd0005", ERR_NONCANON},
        {"91d006", ERR_NONCANON},
        {"dc000106", ERR_NONCANON},
        {"920291c5000161", ERR_NONCANON},
        {"930400d90161", ERR_NONCANON},
        {"9206cb0000000000000000", ERR_TYPE},
        {"80", ERR_TYPE},
        {"9203c1", ERR_TYPE},
        /* Truncated, trailing bytes, too deep. */
        {"9203", ERR_TRUNC},
        {"9203cc", ERR_TRUNC},
        {"93019193c420" H11, ERR_TRUNC},
        {"910600", ERR_BADFRAME},
        {"9106c0", ERR_BADFRAME},
        {"9206"
         "919191919191919191"
         "00",
         ERR_DEPTH},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_decode_err_hex(cases[i].hex, cases[i].code);
}

/* Big invalid messages, written with the mp writers directly. */
static void test_decode_invalid_sizes(void **state)
{
    struct proto_buf b;
    uint8_t zero[32] = {0}, *big;
    uint32_t i;

    (void)state;
    big = calloc(1, PROTO_WIRE_PLAIN_MAX + 1);
    assert_non_null(big);
    proto_buf_init(&b);

    /* 701 frontier rows. */
    assert_int_equal(proto_mp_put_array(&b, 3), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_FRONTIER), 0);
    assert_int_equal(proto_mp_put_array(&b, PROTO_WIRE_FRONTIER_CHUNK + 1), 0);
    for (i = 0; i < PROTO_WIRE_FRONTIER_CHUNK + 1; i++) {
        assert_int_equal(proto_mp_put_array(&b, 3), 0);
        assert_int_equal(proto_mp_put_bin(&b, zero, 32), 0);
        assert_int_equal(proto_mp_put_uint(&b, i), 0);
        assert_int_equal(proto_mp_put_bin(&b, zero, 32), 0);
    }
    assert_int_equal(proto_mp_put_bool(&b, true), 0);
    assert_true(b.len <= PROTO_WIRE_PLAIN_MAX);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);

    /* 1025 entries of one byte; 1024 decode. */
    proto_buf_reset(&b);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ENTRIES), 0);
    assert_int_equal(proto_mp_put_array(&b, PROTO_WIRE_ENTRIES_MAX + 1), 0);
    for (i = 0; i < PROTO_WIRE_ENTRIES_MAX + 1; i++)
        assert_int_equal(proto_mp_put_bin(&b, "x", 1), 0);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);
    b.data[4] = (uint8_t)PROTO_WIRE_ENTRIES_MAX; /* dc 04 01 -> dc 04 00 */
    assert_int_equal(b.data[3], PROTO_WIRE_ENTRIES_MAX >> 8);
    expect_round_trip(b.data, b.len - 3);
    assert_int_equal(g_msg.u.entries.n, PROTO_WIRE_ENTRIES_MAX);

    /* An entry one byte over PROTO_ENTRY_MAX, and one at it. */
    proto_buf_reset(&b);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ENTRIES), 0);
    assert_int_equal(proto_mp_put_array(&b, 1), 0);
    assert_int_equal(proto_mp_put_bin(&b, big, PROTO_ENTRY_MAX + 1), 0);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);
    proto_buf_reset(&b);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ENTRIES), 0);
    assert_int_equal(proto_mp_put_array(&b, 1), 0);
    assert_int_equal(proto_mp_put_bin(&b, big, PROTO_ENTRY_MAX), 0);
    expect_round_trip(b.data, b.len);

    /* An ERROR text of 201 bytes; 200 decode. */
    proto_buf_reset(&b);
    memset(big, 'a', PROTO_WIRE_TEXT_MAX + 1);
    assert_int_equal(proto_mp_put_array(&b, 3), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ERROR), 0);
    assert_int_equal(proto_mp_put_uint(&b, 1), 0);
    assert_int_equal(proto_mp_put_str(&b, (const char *)big, PROTO_WIRE_TEXT_MAX + 1), 0);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);
    proto_buf_reset(&b);
    assert_int_equal(proto_mp_put_array(&b, 3), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ERROR), 0);
    assert_int_equal(proto_mp_put_uint(&b, 1), 0);
    assert_int_equal(proto_mp_put_str(&b, (const char *)big, PROTO_WIRE_TEXT_MAX), 0);
    expect_round_trip(b.data, b.len);
    assert_int_equal(strlen(g_msg.u.error.text), PROTO_WIRE_TEXT_MAX);

    /* Over PROTO_WIRE_PLAIN_MAX: two large entries, otherwise well formed. */
    proto_buf_reset(&b);
    memset(big, 'e', PROTO_WIRE_PLAIN_MAX + 1);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ENTRIES), 0);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_bin(&b, big, PROTO_ENTRY_MAX), 0);
    assert_int_equal(proto_mp_put_bin(&b, big, PROTO_WIRE_PLAIN_MAX - b.len - 3 + 1), 0);
    assert_int_equal(b.len, PROTO_WIRE_PLAIN_MAX + 1);
    expect_decode_err(b.data, b.len, ERR_TOOBIG);
    /* One byte less (the second bin16 header, at 3 + 3 + 61440, says 4070) fits exactly. */
    assert_bytes_hex(b.data + 61446, 3, "c50fe7");
    b.data[61446 + 2]--;
    expect_round_trip(b.data, b.len - 1);
    assert_int_equal(g_msg.u.entries.len[1], 4070);

    proto_buf_release(&b);
    free(big);
}

static void test_encode_invalid(void **state)
{
    static struct proto_frontier_row rows[PROTO_WIRE_FRONTIER_CHUNK + 1];
    struct proto_msg_builder mb;
    struct proto_hello h;
    struct proto_buf b;
    char text[PROTO_WIRE_TEXT_MAX + 2];
    uint8_t *big;

    (void)state;
    proto_buf_init(&b);
    /* Every refusal leaves what the buffer held before. */
    assert_int_equal(proto_buf_append(&b, "pre", 3), 0);

    assert_int_equal(proto_msg_frontier(&b, rows, PROTO_WIRE_FRONTIER_CHUNK + 1, true), ERR_TOOBIG);
    assert_int_equal(proto_msg_frontier(&b, NULL, 1, true), -EINVAL);

    assert_int_equal(proto_msg_error(&b, 1, NULL), -EINVAL);
    memset(text, 'a', sizeof text);
    text[PROTO_WIRE_TEXT_MAX + 1] = '\0';
    assert_int_equal(proto_msg_error(&b, 1, text), ERR_TOOBIG);
    assert_int_equal(proto_msg_error(&b, 1, "\xff"), ERR_UTF8);
    assert_int_equal(proto_msg_error(&b, 1, "ok \xc0\x80"), ERR_UTF8);
    assert_int_equal(proto_msg_error(&b, 1, "\xed\xa0\x80"), ERR_UTF8);
    assert_int_equal(proto_msg_error(&b, 1, "\xf4\x90\x80\x80"), ERR_UTF8);
    assert_int_equal(proto_msg_error(&b, 1, "\xe2\x82"), ERR_UTF8);

    memset(&h, 0, sizeof h);
    h.version_min = 0;
    h.version_max = 1;
    assert_int_equal(proto_hello_encode(&h, &b), -EINVAL);
    h.version_min = 1;
    h.version_max = PROTO_WIRE_VERSION_MAX + 1;
    assert_int_equal(proto_hello_encode(&h, &b), -EINVAL);
    h.version_min = 3;
    h.version_max = 2;
    assert_int_equal(proto_hello_encode(&h, &b), -EINVAL);
    h.version_min = 0;
    h.version_max = 0;
    assert_int_equal(proto_hello_encode(&h, &b), -EINVAL);
    assert_int_equal(b.len, 3);

    /* ENTRIES: no entries is invalid, and end takes the head back out. */
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    assert_int_equal(b.len, 3 + 5);
    assert_false(proto_msg_entries_room(&mb, 0));
    assert_false(proto_msg_entries_room(&mb, PROTO_ENTRY_MAX + 1));
    assert_int_equal(proto_msg_entries_add(&mb, (const uint8_t *)"x", 0), -EINVAL);
    assert_int_equal(proto_msg_entries_add(&mb, NULL, 1), -EINVAL);
    big = calloc(1, PROTO_ENTRY_MAX + 1);
    assert_non_null(big);
    assert_int_equal(proto_msg_entries_add(&mb, big, PROTO_ENTRY_MAX + 1), ERR_TOOBIG);
    assert_int_equal(b.len, 3 + 5);
    assert_int_equal(proto_msg_entries_end(&mb), -EINVAL);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "pre", 3);
    /* A spent builder refuses everything. */
    assert_int_equal(proto_msg_entries_end(&mb), -EINVAL);
    assert_false(proto_msg_entries_room(&mb, 1));
    assert_int_equal(proto_msg_entries_add(&mb, big, 1), -EINVAL);
    assert_int_equal(b.len, 3);
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    assert_int_equal(proto_msg_entries_add(&mb, big, 1), 0);
    assert_int_equal(proto_msg_entries_end(&mb), 0);
    assert_int_equal(proto_msg_entries_add(&mb, big, 1), -EINVAL);
    assert_int_equal(proto_msg_entries_end(&mb), -EINVAL);
    assert_bytes_hex(b.data, b.len,
                     "707265"
                     "920291c40100");

    free(big);
    proto_buf_release(&b);
}

static void test_hello_invalid(void **state)
{
    static const char *const cases[] = {
        "",
        "c0",
        "90",
        "9201c420" PK,
        "930101c420" PK "00",
        "94010101c420" PK,
        "930001c420" PK,
        "930100c420" PK,
        "930201c420" PK,
        "9301ce00010000c420" PK,
        "93ce00010000ce00010000c420" PK,
        "93ff01c420" PK,
        "93c001c420" PK,
        "930101c41f" PK,
        "930101c421" PK "55",
        "930101d920" PK,
        "930101c0",
        "9301cc01c420" PK,
        "930101c420" PK "c0",
    };
    struct proto_hello h;
    uint8_t p[HEX_MAX];
    size_t i, n;
    int rc;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n = hex(cases[i], p);
        memset(&h, 0xa5, sizeof h);
        rc = proto_hello_decode(p, n, &h);
        assert_true(rc == ERR_BADFRAME || rc == ERR_TRUNC || rc == ERR_NONCANON);
        assert_int_equal(h.version_min, 0);
        assert_int_equal(h.version_max, 0);
        assert_int_equal(h.sign_pk[0], 0);
    }
    /* The exact codes of a few. */
    n = hex("930201c420" PK, p);
    assert_int_equal(proto_hello_decode(p, n, &h), ERR_BADFRAME);
    n = hex("9301cc01c420" PK, p);
    assert_int_equal(proto_hello_decode(p, n, &h), ERR_NONCANON);
    n = hex("930101c420" PK "c0", p);
    assert_int_equal(proto_hello_decode(p, n, &h), ERR_BADFRAME);
    n = hex("930101c420", p);
    assert_int_equal(proto_hello_decode(p, n, &h), ERR_TRUNC);
}

/* ---- Round trips ---- */

static void expect_round_trip_hex(const char *s)
{
    uint8_t p[HEX_MAX];
    size_t n = hex(s, p);

    expect_round_trip(p, n);
}

static void test_simple_messages(void **state)
{
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    /* Encoders append: a prefix stays. */
    assert_int_equal(proto_buf_append_byte(&b, 0xee), 0);
    assert_int_equal(proto_msg_ping(&b), 0);
    assert_int_equal(proto_msg_pong(&b), 0);
    assert_int_equal(proto_msg_ack(&b, 0), 0);
    assert_int_equal(proto_msg_ack(&b, 300), 0);
    assert_int_equal(proto_msg_ack(&b, UINT64_MAX), 0);
    assert_int_equal(proto_msg_bye(&b, 0), 0);
    assert_int_equal(proto_msg_bye(&b, UINT32_MAX), 0);
    assert_int_equal(proto_msg_error(&b, 7, "busy"), 0);
    assert_int_equal(proto_msg_error(&b, 128, ""), 0);
    assert_int_equal(proto_msg_error(&b, 65536, "d\xc3\xa9j\xc3\xa0 \xf0\x9f\x99\x82"), 0);
    assert_bytes_hex(b.data, b.len,
                     "ee"
                     "9106"
                     "9107"
                     "920300"
                     "9203cd012c"
                     "9203cfffffffffffffffff"
                     "920500"
                     "9205ceffffffff"
                     "930407a462757379"
                     "9304cc80a0"
                     "9304ce00010000ab64c3a96ac3a020f09f9982");
    proto_buf_release(&b);

    expect_round_trip_hex("9106");
    assert_int_equal(g_msg.type, PROTO_MSG_PING);
    expect_round_trip_hex("9107");
    assert_int_equal(g_msg.type, PROTO_MSG_PONG);
    expect_round_trip_hex("910c");
    assert_int_equal(g_msg.type, PROTO_MSG_PRUNE);
    expect_round_trip_hex("910d");
    assert_int_equal(g_msg.type, PROTO_MSG_GRAFT);
    expect_decode_err_hex("920c00", ERR_BADFRAME); /* PRUNE and GRAFT carry no fields */
    expect_decode_err_hex("920d00", ERR_BADFRAME);
    expect_round_trip_hex("920300");
    assert_int_equal(g_msg.type, PROTO_MSG_ACK);
    assert_int_equal(g_msg.u.ack.messages, 0);
    expect_round_trip_hex("9203cd012c");
    assert_int_equal(g_msg.u.ack.messages, 300);
    expect_round_trip_hex("9203cfffffffffffffffff");
    assert_true(g_msg.u.ack.messages == UINT64_MAX);
    expect_round_trip_hex("920500");
    assert_int_equal(g_msg.type, PROTO_MSG_BYE);
    assert_int_equal(g_msg.u.bye.reason, 0);
    expect_round_trip_hex("9205ceffffffff");
    assert_int_equal(g_msg.u.bye.reason, UINT32_MAX);
    expect_round_trip_hex("930407a462757379");
    assert_int_equal(g_msg.type, PROTO_MSG_ERROR);
    assert_int_equal(g_msg.u.error.code, 7);
    assert_string_equal(g_msg.u.error.text, "busy");
    expect_round_trip_hex("9304cc80a0");
    assert_int_equal(g_msg.u.error.code, 128);
    assert_string_equal(g_msg.u.error.text, "");
    expect_round_trip_hex("9304ce00010000ab64c3a96ac3a020f09f9982");
    assert_string_equal(g_msg.u.error.text, "d\xc3\xa9j\xc3\xa0 \xf0\x9f\x99\x82");
    expect_round_trip_hex("9304ceffffffffa0");
    assert_int_equal(g_msg.u.error.code, UINT32_MAX);
}

static void test_frontier(void **state)
{
    static struct proto_frontier_row rows[PROTO_WIRE_FRONTIER_CHUNK];
    const char *two = "9301"
                      "92"
                      "93c420" H11 "01c420" H22 "93c420" H33 "cf0000010000000000c420" H44 "c2";
    struct proto_buf b;
    uint32_t i;

    (void)state;
    proto_buf_init(&b);

    /* No rows: a node with nothing yet still says so. */
    assert_int_equal(proto_msg_frontier(&b, NULL, 0, true), 0);
    assert_bytes_hex(b.data, b.len, "930190c3");
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.type, PROTO_MSG_FRONTIER);
    assert_int_equal(g_msg.u.frontier.n, 0);
    assert_true(g_msg.u.frontier.final);

    proto_buf_reset(&b);
    memset(rows[0].author, 0x11, 32);
    rows[0].length = 1;
    memset(rows[0].last_id, 0x22, 32);
    memset(rows[1].author, 0x33, 32);
    rows[1].length = (uint64_t)1 << 40;
    memset(rows[1].last_id, 0x44, 32);
    assert_int_equal(proto_msg_frontier(&b, rows, 2, false), 0);
    assert_bytes_hex(b.data, b.len, two);
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.u.frontier.n, 2);
    assert_false(g_msg.u.frontier.final);
    assert_memory_equal(&g_msg.u.frontier.rows[0], &rows[0], sizeof rows[0]);
    assert_memory_equal(&g_msg.u.frontier.rows[1], &rows[1], sizeof rows[1]);

    /* A full chunk of rows in their largest form fits in a frame: 6 + 700 * 78 bytes. */
    proto_buf_reset(&b);
    for (i = 0; i < PROTO_WIRE_FRONTIER_CHUNK; i++) {
        memset(rows[i].author, (int)(i & 0xff), 32);
        memcpy(rows[i].author, &i, sizeof i);
        rows[i].length = UINT64_MAX - i;
        memset(rows[i].last_id, (int)(~i & 0xff), 32);
    }
    assert_int_equal(proto_msg_frontier(&b, rows, PROTO_WIRE_FRONTIER_CHUNK, true), 0);
    assert_int_equal(b.len, 6 + PROTO_WIRE_FRONTIER_CHUNK * 78);
    assert_true(b.len <= PROTO_WIRE_PLAIN_MAX);
    assert_bytes_hex(b.data, 5, "9301dc02bc");
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.u.frontier.n, PROTO_WIRE_FRONTIER_CHUNK);
    assert_memory_equal(g_msg.u.frontier.rows, rows, sizeof rows);

    proto_buf_release(&b);
}

/* Entry i of a test batch: len bytes derived from i, so that misplaced entries show. */
static void fill_entry(uint8_t *e, size_t len, uint32_t i)
{
    size_t k;

    for (k = 0; k < len; k++)
        e[k] = (uint8_t)(i * 31 + k);
}

/* Lengths 1..300 cross the bin8/bin16 boundary; a thousand entries get shorter ones to fit. */
static size_t entry_len(uint32_t count, uint32_t i)
{
    return count > 256 ? 1 + i % 50 : 1 + (i * 7) % 300;
}

static void test_entries_header(void **state)
{
    static const uint32_t counts[] = {1, 2, 15, 16, 17, 255, 256, 1024};
    static const char *const heads[] = {"920291",     "920292",     "92029f",     "9202dc0010",
                                        "9202dc0011", "9202dc00ff", "9202dc0100", "9202dc0400"};
    struct proto_msg_builder mb;
    struct proto_buf b, want;
    uint8_t e[300];
    uint32_t c, i;
    size_t len;

    (void)state;
    proto_buf_init(&b);
    proto_buf_init(&want);

    /* One entry, byte for byte. */
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    assert_int_equal(proto_msg_entries_add(&mb, (const uint8_t *)"abc", 3), 0);
    assert_int_equal(proto_msg_entries_end(&mb), 0);
    assert_bytes_hex(b.data, b.len, "920291c403616263");
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.type, PROTO_MSG_ENTRIES);
    assert_int_equal(g_msg.u.entries.n, 1);
    assert_int_equal(g_msg.u.entries.len[0], 3);
    assert_memory_equal(g_msg.u.entries.p[0], "abc", 3);

    for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        /* Behind a prefix, so that the fix-up must work from the builder's start. */
        proto_buf_reset(&b);
        proto_buf_reset(&want);
        assert_int_equal(proto_buf_append(&b, "\x01\x02", 2), 0);
        assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
        /* The reference, from the mp writers. */
        assert_int_equal(proto_mp_put_array(&want, 2), 0);
        assert_int_equal(proto_mp_put_uint(&want, PROTO_MSG_ENTRIES), 0);
        assert_int_equal(proto_mp_put_array(&want, counts[c]), 0);
        for (i = 0; i < counts[c]; i++) {
            len = entry_len(counts[c], i);
            fill_entry(e, len, i);
            assert_true(proto_msg_entries_room(&mb, len));
            assert_int_equal(proto_msg_entries_add(&mb, e, len), 0);
            assert_int_equal(proto_mp_put_bin(&want, e, len), 0);
        }
        if (counts[c] == PROTO_WIRE_ENTRIES_MAX) {
            assert_false(proto_msg_entries_room(&mb, 1));
            assert_int_equal(proto_msg_entries_add(&mb, e, 1), ERR_TOOBIG);
        }
        assert_int_equal(proto_msg_entries_end(&mb), 0);
        assert_memory_equal(b.data, "\x01\x02", 2);
        assert_int_equal(b.len - 2, want.len);
        assert_memory_equal(b.data + 2, want.data, want.len);
        assert_bytes_hex(b.data + 2, strlen(heads[c]) / 2, heads[c]);
        expect_round_trip(b.data + 2, b.len - 2);
        assert_int_equal(g_msg.u.entries.n, counts[c]);
        for (i = 0; i < counts[c]; i++) {
            len = entry_len(counts[c], i);
            fill_entry(e, len, i);
            assert_int_equal(g_msg.u.entries.len[i], len);
            assert_memory_equal(g_msg.u.entries.p[i], e, len);
        }
    }
    proto_buf_release(&b);
    proto_buf_release(&want);
}

/* Finish a builder and check the message: within the limit, and it round-trips. */
static void finish_and_check(struct proto_msg_builder *mb, struct proto_buf *b, uint32_t n)
{
    assert_int_equal(proto_msg_entries_end(mb), 0);
    assert_true(b->len <= PROTO_WIRE_PLAIN_MAX);
    expect_round_trip(b->data, b->len);
    assert_int_equal(g_msg.u.entries.n, n);
}

static void test_entries_fill(void **state)
{
    struct proto_msg_builder mb;
    struct proto_buf b;
    uint8_t *e;
    uint32_t n;

    (void)state;
    e = malloc(PROTO_ENTRY_MAX);
    assert_non_null(e);
    memset(e, 0x5a, PROTO_ENTRY_MAX);
    proto_buf_init(&b);

    /* 1000-byte entries until room says no: 65 of them, 1003 bytes each with the header. */
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    for (n = 0; proto_msg_entries_room(&mb, 1000); n++)
        assert_int_equal(proto_msg_entries_add(&mb, e, 1000), 0);
    assert_int_equal(n, 65);
    assert_int_equal(proto_msg_entries_add(&mb, e, 1000), ERR_TOOBIG);
    finish_and_check(&mb, &b, n);
    assert_int_equal(b.len, 5 + 65 * 1003);
    assert_true(PROTO_WIRE_PLAIN_MAX - b.len < 1003);

    /* One entry of PROTO_ENTRY_MAX alone. */
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    assert_true(proto_msg_entries_room(&mb, PROTO_ENTRY_MAX));
    assert_int_equal(proto_msg_entries_add(&mb, e, PROTO_ENTRY_MAX), 0);
    assert_false(proto_msg_entries_room(&mb, PROTO_ENTRY_MAX));
    finish_and_check(&mb, &b, 1);
    assert_int_equal(b.len, 3 + 3 + PROTO_ENTRY_MAX);
    assert_bytes_hex(b.data, 6, "920291c5f000");
    assert_int_equal(g_msg.u.entries.len[0], PROTO_ENTRY_MAX);

    /*
     * Room is exact with a fixarray header: 2 + 1 + (3 + 61440) + (3 + 4070) = 65519, so after
     * the largest entry there is room for 4070 bytes and not 4071.
     */
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    assert_int_equal(proto_msg_entries_add(&mb, e, PROTO_ENTRY_MAX), 0);
    assert_false(proto_msg_entries_room(&mb, 4071));
    assert_int_equal(proto_msg_entries_add(&mb, e, 4071), ERR_TOOBIG);
    assert_true(proto_msg_entries_room(&mb, 4070));
    assert_int_equal(proto_msg_entries_add(&mb, e, 4070), 0);
    assert_false(proto_msg_entries_room(&mb, 1));
    finish_and_check(&mb, &b, 2);
    assert_int_equal(b.len, PROTO_WIRE_PLAIN_MAX);

    /*
     * And when the 16th entry grows the header to 3 bytes: 15 entries of 4300 bytes take
     * 15 * 4303, so the 16th may have 65519 - 2 - 3 - 64545 - 3 = 966 bytes, not 967 (which a
     * fixarray header would allow).
     */
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    for (n = 0; n < 15; n++)
        assert_int_equal(proto_msg_entries_add(&mb, e, 4300), 0);
    assert_false(proto_msg_entries_room(&mb, 967));
    assert_true(proto_msg_entries_room(&mb, 966));
    assert_int_equal(proto_msg_entries_add(&mb, e, 966), 0);
    finish_and_check(&mb, &b, 16);
    assert_int_equal(b.len, PROTO_WIRE_PLAIN_MAX);

    /* The bin8/bin16 step: 255 bytes take a 2-byte header, 256 a 3-byte one. */
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_entries_begin(&mb, &b), 0);
    assert_int_equal(proto_msg_entries_add(&mb, e, PROTO_ENTRY_MAX), 0);
    /* 258 bytes left: enough for 255 + 2, not for 256 + 3. */
    assert_int_equal(proto_msg_entries_add(&mb, e, PROTO_WIRE_PLAIN_MAX - 258 - 61446 - 3), 0);
    assert_true(proto_msg_entries_room(&mb, 255));
    assert_false(proto_msg_entries_room(&mb, 256));
    assert_int_equal(proto_msg_entries_add(&mb, e, 255), 0);
    finish_and_check(&mb, &b, 3);
    assert_int_equal(b.len, PROTO_WIRE_PLAIN_MAX - 1);

    proto_buf_release(&b);
    free(e);
}

static void test_hello(void **state)
{
    static const struct {
        uint32_t vmin, vmax;
        const char *hex;
    } cases[] = {
        {1, 1, "930101c420" PK},
        {1, PROTO_WIRE_VERSION_MAX, "9301cdffffc420" PK},
        {200, 300, "93ccc8cd012cc420" PK},
        {PROTO_WIRE_VERSION_MAX, PROTO_WIRE_VERSION_MAX, "93cdffffcdffffc420" PK},
    };
    struct proto_hello h, d;
    struct proto_buf b;
    size_t i;

    (void)state;
    proto_buf_init(&b);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        proto_buf_reset(&b);
        memset(&h, 0, sizeof h);
        h.version_min = cases[i].vmin;
        h.version_max = cases[i].vmax;
        memset(h.sign_pk, 0x55, sizeof h.sign_pk);
        assert_int_equal(proto_hello_encode(&h, &b), 0);
        assert_bytes_hex(b.data, b.len, cases[i].hex);
        assert_int_equal(proto_hello_decode(b.data, b.len, &d), 0);
        assert_int_equal(d.version_min, h.version_min);
        assert_int_equal(d.version_max, h.version_max);
        assert_memory_equal(d.sign_pk, h.sign_pk, 32);
        /* A hello is not a message. */
        expect_decode_err(b.data, b.len, ERR_BADFRAME);
    }
    proto_buf_release(&b);
}

/* ---- The hello's invite token ---- */

static void test_hello_token(void **state)
{
    static const char *const invalid[] = {
        /* An empty token (no invite is said by leaving the element out). */
        "940102c420" PK "c400",
        /* Not a bin: str, nil, an integer, an array. */
        "940102c420" PK "a3616263",
        "940102c420" PK "c0",
        "940102c420" PK "01",
        "940102c420" PK "9101",
        /* A fifth element. */
        "950102c420" PK "c40161c40162",
        /* The token right, the rest wrong. */
        "940201c420" PK "c40161",
        "940102c41f" PK "c40161",
        "94000cc420" PK "c40161",
        /* Truncated token. */
        "940102c420" PK "c40361",
    };
    struct proto_hello *h = calloc(1, sizeof *h), *d = calloc(1, sizeof *d);
    struct proto_buf b;
    uint8_t p[HEX_MAX];
    size_t i, n, len;
    int rc;

    (void)state;
    assert_non_null(h);
    assert_non_null(d);
    proto_buf_init(&b);

    for (i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        n = hex(invalid[i], p);
        memset(d, 0xa5, sizeof *d);
        rc = proto_hello_decode(p, n, d);
        assert_true(rc == ERR_BADFRAME || rc == ERR_TRUNC);
        /* Zeroed on failure, the token too. */
        assert_int_equal(d->version_min, 0);
        assert_int_equal(d->token_len, 0);
        assert_int_equal(d->token[0], 0);
    }

    /* One byte over PROTO_INVITE_TOKEN_MAX, written with the mp writers; the maximum decodes. */
    memset(h->sign_pk, 0x55, 32);
    for (len = PROTO_INVITE_TOKEN_MAX; len <= PROTO_INVITE_TOKEN_MAX + 1; len++) {
        uint8_t *tok = malloc(len);

        assert_non_null(tok);
        memset(tok, 0x7e, len);
        proto_buf_reset(&b);
        assert_int_equal(proto_mp_put_array(&b, 4), 0);
        assert_int_equal(proto_mp_put_uint(&b, 1), 0);
        assert_int_equal(proto_mp_put_uint(&b, 2), 0);
        assert_int_equal(proto_mp_put_bin(&b, h->sign_pk, 32), 0);
        assert_int_equal(proto_mp_put_bin(&b, tok, len), 0);
        rc = proto_hello_decode(b.data, b.len, d);
        if (len > PROTO_INVITE_TOKEN_MAX) {
            assert_int_equal(rc, ERR_BADFRAME);
            assert_int_equal(d->token_len, 0);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(d->token_len, len);
            assert_memory_equal(d->token, tok, len);
        }
        free(tok);
    }

    /* The encoder refuses a token over the limit, and leaves out appended bytes. */
    proto_buf_reset(&b);
    assert_int_equal(proto_buf_append(&b, "pre", 3), 0);
    h->version_min = 1;
    h->version_max = 2;
    h->token_len = PROTO_INVITE_TOKEN_MAX + 1;
    assert_int_equal(proto_hello_encode(h, &b), -EINVAL);
    assert_int_equal(b.len, 3);

    /* Without a token: three elements. With one: four, byte for byte, and back. */
    h->token_len = 0;
    proto_buf_reset(&b);
    assert_int_equal(proto_hello_encode(h, &b), 0);
    assert_bytes_hex(b.data, b.len, "930102c420" PK);
    assert_int_equal(proto_hello_decode(b.data, b.len, d), 0);
    assert_int_equal(d->token_len, 0);

    memcpy(h->token, "abc", 3);
    h->token_len = 3;
    proto_buf_reset(&b);
    assert_int_equal(proto_hello_encode(h, &b), 0);
    assert_bytes_hex(b.data, b.len, "940102c420" PK "c403616263");
    memset(d, 0xa5, sizeof *d);
    assert_int_equal(proto_hello_decode(b.data, b.len, d), 0);
    assert_int_equal(d->version_min, 1);
    assert_int_equal(d->version_max, 2);
    assert_memory_equal(d->sign_pk, h->sign_pk, 32);
    assert_int_equal(d->token_len, 3);
    assert_memory_equal(d->token, "abc", 3);
    /* A hello is not a message. */
    expect_decode_err(b.data, b.len, ERR_BADFRAME);

    /* One byte, 255 (bin8), 256 and the maximum (bin16): each re-encodes to the same bytes. */
    {
        static const size_t lens[] = {1, 255, 256, PROTO_INVITE_TOKEN_MAX};
        struct proto_buf again;

        proto_buf_init(&again);
        for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            for (len = 0; len < lens[i]; len++)
                h->token[len] = (uint8_t)(len * 7 + 1);
            h->token_len = lens[i];
            proto_buf_reset(&b);
            proto_buf_reset(&again);
            assert_int_equal(proto_hello_encode(h, &b), 0);
            assert_int_equal(b.len, 1 + 1 + 1 + 34 + (lens[i] > 255 ? 3 : 2) + lens[i]);
            assert_int_equal(proto_hello_decode(b.data, b.len, d), 0);
            assert_int_equal(d->token_len, lens[i]);
            assert_memory_equal(d->token, h->token, lens[i]);
            assert_int_equal(proto_hello_encode(d, &again), 0);
            assert_int_equal(again.len, b.len);
            assert_memory_equal(again.data, b.data, b.len);
        }
        proto_buf_release(&again);
    }

    proto_buf_release(&b);
    free(h);
    free(d);
}

/* ---- Wire version 2: ADDRS, ROSTER, JOIN, JOINED ---- */

/* One ADDRS row in msgpack: [host, port, sign_pk]. */
static void put_addr_row(struct proto_buf *b, const char *host, uint64_t port)
{
    uint8_t pk[32];

    memset(pk, 0x55, sizeof pk);
    assert_int_equal(proto_mp_put_array(b, 3), 0);
    assert_int_equal(proto_mp_put_str(b, host, strlen(host)), 0);
    assert_int_equal(proto_mp_put_uint(b, port), 0);
    assert_int_equal(proto_mp_put_bin(b, pk, sizeof pk), 0);
}

/* An ADDRS message of one row. */
static void addrs_one(struct proto_buf *b, const char *host, uint64_t port)
{
    proto_buf_reset(b);
    assert_int_equal(proto_mp_put_array(b, 2), 0);
    assert_int_equal(proto_mp_put_uint(b, PROTO_MSG_ADDRS), 0);
    assert_int_equal(proto_mp_put_array(b, 1), 0);
    put_addr_row(b, host, port);
}

static void test_addrs_invalid(void **state)
{
    /* Hosts that are neither "" nor a dotted-quad IPv4 literal without leading zeros. */
    static const char *const hosts[] = {
        "1.2.3",
        "01.2.3.4",
        "256.1.1.1",
        "a.b.c.d",
        "1.2.3.4.5",
        "1.2.3.",
        ".1.2.3",
        "1..2.3",
        " 1.2.3.4",
        "1.2.3.4 ",
        "1.2.3.-4",
        "1.2.3.1000",
        "1.2.3.00",
        "1.2.3.04",
        "0x1.2.3.4",
        "::1",
        "localhost",
        "1,2,3,4",
        "999.9.9.9",
        "1.2.3.256",
        "+1.2.3.4",
        "1.2.3.4:80",
        /* 16 characters: one over PROTO_WIRE_HOST_MAX, whatever they are. */
        "123.123.123.1234",
        "1111111111111111",
    };
    static const struct {
        const char *hex;
        int code;
    } cases[] = {
        /* Arity and field types. */
        {"9108", ERR_BADFRAME},
        {"930890c3", ERR_BADFRAME},
        {"9208c0", ERR_BADFRAME},
        {"920801", ERR_BADFRAME},
        {"920891c0", ERR_BADFRAME},
        {"92089192a001", ERR_BADFRAME},
        {"92089194a001c420" PK "c0", ERR_BADFRAME},
        /* The host: bin instead of str, nil, an integer. */
        {"92089193c40001c420" PK, ERR_BADFRAME},
        {"92089193c001c420" PK, ERR_BADFRAME},
        {"920891930001c420" PK, ERR_BADFRAME},
        /* The port: 0, 65536, negative, nil, a str. */
        {"92089193a000c420" PK, ERR_BADFRAME},
        {"92089193a0ce00010000c420" PK, ERR_BADFRAME},
        {"92089193a0ffc420" PK, ERR_BADFRAME},
        {"92089193a0c0c420" PK, ERR_BADFRAME},
        {"92089193a0a131c420" PK, ERR_BADFRAME},
        /* The key: 31 or 33 bytes, a str, nil. */
        {"92089193a001c41f" H31, ERR_BADFRAME},
        {"92089193a001c421" PK "55", ERR_BADFRAME},
        {"92089193a001d920" PK, ERR_BADFRAME},
        {"92089193a001c0", ERR_BADFRAME},
        /* A host holding a NUL; not canonical; not UTF-8. */
        {"92089193a8312e322e332e3400"
         "01c420" PK,
         ERR_BADFRAME},
        {"92089193a0cd0001c420" PK, ERR_NONCANON},
        {"92089193a1ff01c420" PK, ERR_UTF8},
    };
    struct proto_addr_row rows[PROTO_WIRE_ADDRS_MAX + 1];
    struct proto_buf b;
    size_t i;

    (void)state;
    proto_buf_init(&b);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_decode_err_hex(cases[i].hex, cases[i].code);

    memset(rows, 0, sizeof rows);
    for (i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        /* Decoded: refused. */
        addrs_one(&b, hosts[i], 47320);
        expect_decode_err(b.data, b.len, ERR_BADFRAME);
        /* Encoded: refused, out untouched. */
        proto_buf_reset(&b);
        memset(rows[0].host, 0, sizeof rows[0].host);
        memcpy(rows[0].host, hosts[i],
               strlen(hosts[i]) < sizeof rows[0].host ? strlen(hosts[i]) : sizeof rows[0].host);
        rows[0].port = 47320;
        assert_int_equal(proto_msg_addrs(&b, rows, 1), -EINVAL);
        assert_int_equal(b.len, 0);
    }
    /* A host array without a NUL in its 16 bytes. */
    memset(rows[0].host, '1', sizeof rows[0].host);
    assert_int_equal(proto_msg_addrs(&b, rows, 1), -EINVAL);
    assert_int_equal(b.len, 0);
    snprintf(rows[0].host, sizeof rows[0].host, "%s", "1.2.3.4");

    /* Port 0, decoded and encoded. */
    addrs_one(&b, "1.2.3.4", 0);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);
    proto_buf_reset(&b);
    rows[0].port = 0;
    assert_int_equal(proto_msg_addrs(&b, rows, 1), -EINVAL);
    assert_int_equal(b.len, 0);

    /* One row over PROTO_WIRE_ADDRS_MAX, decoded and encoded. */
    proto_buf_reset(&b);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ADDRS), 0);
    assert_int_equal(proto_mp_put_array(&b, PROTO_WIRE_ADDRS_MAX + 1), 0);
    for (i = 0; i < PROTO_WIRE_ADDRS_MAX + 1; i++)
        put_addr_row(&b, "10.0.0.1", 1000 + i);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);
    proto_buf_reset(&b);
    for (i = 0; i < PROTO_WIRE_ADDRS_MAX + 1; i++) {
        snprintf(rows[i].host, sizeof rows[i].host, "10.0.0.%zu", i + 1);
        rows[i].port = (uint16_t)(1000 + i);
    }
    assert_int_equal(proto_msg_addrs(&b, rows, PROTO_WIRE_ADDRS_MAX + 1), ERR_TOOBIG);
    assert_int_equal(b.len, 0);
    proto_buf_release(&b);
}

static void test_addrs(void **state)
{
    static const char *const hosts[] = {
        "",          "0.0.0.0",         "1.2.3.4",         "10.0.0.1",
        "127.0.0.1", "192.168.100.200", "255.255.255.255", "100.10.1.0",
    };
    static struct proto_addr_row rows[PROTO_WIRE_ADDRS_MAX];
    struct proto_buf b;
    size_t i;

    (void)state;
    proto_buf_init(&b);

    /* No rows. */
    assert_int_equal(proto_msg_addrs(&b, NULL, 0), 0);
    assert_bytes_hex(b.data, b.len, "920890");
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.type, PROTO_MSG_ADDRS);
    assert_int_equal(g_msg.u.addrs.n, 0);

    /*
     * The sender itself ("" host) and another device, byte for byte. (The "" host is a
     * regression test: its decoder copied from the NULL pointer msgpack-c gives an empty str,
     * which UBSan stops.)
     */
    proto_buf_reset(&b);
    assert_int_equal(proto_buf_append_byte(&b, 0xee), 0); /* encoders append */
    memset(rows, 0, sizeof rows);
    rows[0].port = 47320;
    memset(rows[0].sign_pk, 0x55, 32);
    snprintf(rows[1].host, sizeof rows[1].host, "%s", "192.168.1.10");
    rows[1].port = 65535;
    memset(rows[1].sign_pk, 0x66, 32);
    assert_int_equal(proto_msg_addrs(&b, rows, 2), 0);
    assert_bytes_hex(b.data, b.len,
                     "ee"
                     "920892"
                     "93a0cdb8d8c420" PK "93ac3139322e3136382e312e3130cdffffc420" BX);
    expect_round_trip(b.data + 1, b.len - 1);
    assert_int_equal(g_msg.u.addrs.n, 2);
    assert_string_equal(g_msg.u.addrs.rows[0].host, "");
    assert_int_equal(g_msg.u.addrs.rows[0].port, 47320);
    assert_memory_equal(g_msg.u.addrs.rows[0].sign_pk, rows[0].sign_pk, 32);
    assert_string_equal(g_msg.u.addrs.rows[1].host, "192.168.1.10");
    assert_int_equal(g_msg.u.addrs.rows[1].port, 65535);
    assert_memory_equal(g_msg.u.addrs.rows[1].sign_pk, rows[1].sign_pk, 32);

    /* A full message of hosts at the edges (15 characters the longest), ports 1 and up. */
    for (i = 0; i < PROTO_WIRE_ADDRS_MAX; i++) {
        snprintf(rows[i].host, sizeof rows[i].host, "%s", hosts[i % 8]);
        rows[i].port = (uint16_t)(i == 0 ? 1 : i * 4000 + 1);
        memset(rows[i].sign_pk, (int)i, 32);
    }
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_addrs(&b, rows, PROTO_WIRE_ADDRS_MAX), 0);
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.u.addrs.n, PROTO_WIRE_ADDRS_MAX);
    for (i = 0; i < PROTO_WIRE_ADDRS_MAX; i++) {
        assert_string_equal(g_msg.u.addrs.rows[i].host, rows[i].host);
        assert_int_equal(g_msg.u.addrs.rows[i].port, rows[i].port);
        assert_memory_equal(g_msg.u.addrs.rows[i].sign_pk, rows[i].sign_pk, 32);
    }
    proto_buf_release(&b);
}

/* A ROSTER message of one row with the given role and member (as uint64). */
static void roster_one(struct proto_buf *b, uint64_t member, uint64_t role)
{
    uint8_t k[32];

    memset(k, 0x55, sizeof k);
    proto_buf_reset(b);
    assert_int_equal(proto_mp_put_array(b, 3), 0);
    assert_int_equal(proto_mp_put_uint(b, PROTO_MSG_ROSTER), 0);
    assert_int_equal(proto_mp_put_array(b, 1), 0);
    assert_int_equal(proto_mp_put_array(b, 5), 0);
    assert_int_equal(proto_mp_put_bin(b, k, 32), 0);
    assert_int_equal(proto_mp_put_bin(b, k, 32), 0);
    assert_int_equal(proto_mp_put_uint(b, member), 0);
    assert_int_equal(proto_mp_put_uint(b, role), 0);
    assert_int_equal(proto_mp_put_bool(b, false), 0);
    assert_int_equal(proto_mp_put_bool(b, true), 0);
}

static void test_roster_invalid(void **state)
{
    static const struct {
        const char *hex;
        int code;
    } cases[] = {
        {"9109", ERR_BADFRAME},
        {"920990", ERR_BADFRAME},
        {"930990c0", ERR_BADFRAME},
        {"93099001", ERR_BADFRAME},
        {"9309c0c3", ERR_BADFRAME},
        {"940990c3c3", ERR_BADFRAME},
        /* Row arity and field types. */
        {"930991c0c3", ERR_BADFRAME},
        {"93099194c420" PK "c420" BX "0101c3", ERR_BADFRAME},
        {"93099196c420" PK "c420" BX "0101c2c2c3", ERR_BADFRAME},
        {"93099195c41f" H31 "c420" BX "0101c2c3", ERR_BADFRAME},
        {"93099195c420" PK "c421" BX "66"
         "0101c2c3",
         ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "c00101c2c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "ff01c2c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "01a131c2c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "010100c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "0101c0c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "0101c2c0", ERR_BADFRAME},
        /* Roles 0, 5 and 255; a member over u32. */
        {"93099195c420" PK "c420" BX "0100c2c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "0105c2c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "01ccffc2c3", ERR_BADFRAME},
        {"93099195c420" PK "c420" BX "cf000000010000000001c2c3", ERR_BADFRAME},
        /* Not canonical. */
        {"93099195c420" PK "c420" BX "cc0101c2c3", ERR_NONCANON},
    };
    static struct proto_roster_row rows[PROTO_WIRE_ROSTER_CHUNK + 1];
    struct proto_buf b;
    uint64_t role;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_decode_err_hex(cases[i].hex, cases[i].code);

    proto_buf_init(&b);
    /* Roles outside 1..4, decoded and encoded; those inside decode. */
    memset(rows, 0, sizeof rows);
    for (role = 0; role <= 6; role++) {
        roster_one(&b, 7, role);
        if (role >= 1 && role <= 4) {
            expect_round_trip(b.data, b.len);
            assert_int_equal(g_msg.u.roster.rows[0].role, role);
        } else {
            expect_decode_err(b.data, b.len, ERR_BADFRAME);
        }
        proto_buf_reset(&b);
        rows[0].role = (uint8_t)role;
        rows[0].member = 7;
        assert_int_equal(proto_msg_roster(&b, rows, 1, true), role >= 1 && role <= 4 ? 0 : -EINVAL);
        if (role < 1 || role > 4)
            assert_int_equal(b.len, 0);
    }
    /* A bad role in any row. */
    for (i = 0; i < 3; i++)
        rows[i].role = PROTO_ROLE_ANGGOTA;
    rows[2].role = 5;
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_roster(&b, rows, 3, false), -EINVAL);
    assert_int_equal(b.len, 0);

    /* One row over PROTO_WIRE_ROSTER_CHUNK, decoded and encoded. */
    proto_buf_reset(&b);
    assert_int_equal(proto_mp_put_array(&b, 3), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_ROSTER), 0);
    assert_int_equal(proto_mp_put_array(&b, PROTO_WIRE_ROSTER_CHUNK + 1), 0);
    for (i = 0; i < PROTO_WIRE_ROSTER_CHUNK + 1; i++) {
        assert_int_equal(proto_mp_put_array(&b, 5), 0);
        assert_int_equal(proto_mp_put_bin(&b, rows[0].sign_pk, 32), 0);
        assert_int_equal(proto_mp_put_bin(&b, rows[0].box_pk, 32), 0);
        assert_int_equal(proto_mp_put_uint(&b, i), 0);
        assert_int_equal(proto_mp_put_uint(&b, 4), 0);
        assert_int_equal(proto_mp_put_bool(&b, false), 0);
    }
    assert_int_equal(proto_mp_put_bool(&b, true), 0);
    assert_true(b.len <= PROTO_WIRE_PLAIN_MAX);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);
    for (i = 0; i < PROTO_WIRE_ROSTER_CHUNK + 1; i++)
        rows[i].role = PROTO_ROLE_ANGGOTA;
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_roster(&b, rows, PROTO_WIRE_ROSTER_CHUNK + 1, true), ERR_TOOBIG);
    assert_int_equal(b.len, 0);
    proto_buf_release(&b);
}

/* Field by field: a struct's padding is not part of it. */
static void assert_roster_row(const struct proto_roster_row *got,
                              const struct proto_roster_row *want)
{
    assert_memory_equal(got->sign_pk, want->sign_pk, 32);
    assert_memory_equal(got->box_pk, want->box_pk, 32);
    assert_int_equal(got->member, want->member);
    assert_int_equal(got->role, want->role);
    assert_int_equal(got->revoked, want->revoked);
}

static void test_roster(void **state)
{
    static struct proto_roster_row rows[PROTO_WIRE_ROSTER_CHUNK];
    struct proto_buf b;
    uint32_t i;

    (void)state;
    proto_buf_init(&b);

    /* No rows (a final, empty chunk). */
    assert_int_equal(proto_msg_roster(&b, NULL, 0, true), 0);
    assert_bytes_hex(b.data, b.len, "930990c3");
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.type, PROTO_MSG_ROSTER);
    assert_int_equal(g_msg.u.roster.n, 0);
    assert_true(g_msg.u.roster.final);

    /* Two rows, byte for byte. */
    memset(rows, 0, 2 * sizeof rows[0]);
    memset(rows[0].sign_pk, 0x55, 32);
    memset(rows[0].box_pk, 0x66, 32);
    rows[0].member = 7;
    rows[0].role = PROTO_ROLE_PENGURUS;
    memset(rows[1].sign_pk, 0x11, 32);
    memset(rows[1].box_pk, 0x22, 32);
    rows[1].member = UINT32_MAX;
    rows[1].role = 4;
    rows[1].revoked = true;
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_roster(&b, rows, 2, false), 0);
    assert_bytes_hex(b.data, b.len,
                     "930992"
                     "95c420" PK "c420" BX "07"
                     "01"
                     "c2"
                     "95c420" H11 "c420" H22 "ceffffffff"
                     "04"
                     "c3"
                     "c2");
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.u.roster.n, 2);
    assert_false(g_msg.u.roster.final);
    assert_roster_row(&g_msg.u.roster.rows[0], &rows[0]);
    assert_roster_row(&g_msg.u.roster.rows[1], &rows[1]);

    /* A full chunk of rows in their largest form fits in a frame. */
    for (i = 0; i < PROTO_WIRE_ROSTER_CHUNK; i++) {
        memset(rows[i].sign_pk, (int)(i & 0xff), 32);
        memcpy(rows[i].sign_pk, &i, sizeof i);
        memset(rows[i].box_pk, (int)(~i & 0xff), 32);
        rows[i].member = UINT32_MAX - i;
        rows[i].role = (uint8_t)(1 + i % 4);
        rows[i].revoked = i % 3 == 0;
    }
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_roster(&b, rows, PROTO_WIRE_ROSTER_CHUNK, true), 0);
    assert_int_equal(b.len, 1 + 1 + 3 + PROTO_WIRE_ROSTER_CHUNK * (1 + 34 + 34 + 5 + 1 + 1) + 1);
    assert_true(b.len <= PROTO_WIRE_PLAIN_MAX);
    assert_bytes_hex(b.data, 5, "9309dc01f4");
    expect_round_trip(b.data, b.len);
    assert_int_equal(g_msg.u.roster.n, PROTO_WIRE_ROSTER_CHUNK);
    assert_true(g_msg.u.roster.final);
    for (i = 0; i < PROTO_WIRE_ROSTER_CHUNK; i++)
        assert_roster_row(&g_msg.u.roster.rows[i], &rows[i]);
    proto_buf_release(&b);
}

static void test_join_joined(void **state)
{
    static const struct {
        const char *hex;
        int code;
    } cases[] = {
        /* JOIN: one bin of 1..PROTO_JOIN_MAX bytes. */
        {"910a", ERR_BADFRAME},
        {"920ac400", ERR_BADFRAME},
        {"920aa3616263", ERR_BADFRAME},
        {"920ac0", ERR_BADFRAME},
        {"920a01", ERR_BADFRAME},
        {"920a91c40161", ERR_BADFRAME},
        {"930ac40161c40161", ERR_BADFRAME},
        {"920ac5000161", ERR_NONCANON},
        {"920ac40461", ERR_TRUNC},
        /* JOINED: a u32. */
        {"910b", ERR_BADFRAME},
        {"920bc0", ERR_BADFRAME},
        {"920bff", ERR_BADFRAME},
        {"920bcf0000000100000000", ERR_BADFRAME},
        {"920ba0", ERR_BADFRAME},
        {"930b0000", ERR_BADFRAME},
        {"920bcc05", ERR_NONCANON},
    };
    uint8_t *big = malloc(PROTO_JOIN_MAX + 1);
    struct proto_buf b;
    size_t i;

    (void)state;
    assert_non_null(big);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_decode_err_hex(cases[i].hex, cases[i].code);
    for (i = 0; i <= PROTO_JOIN_MAX; i++)
        big[i] = (uint8_t)(i * 13 + 5);
    proto_buf_init(&b);

    /* JOIN over PROTO_JOIN_MAX, decoded and encoded; empty and NULL encoded. */
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_uint(&b, PROTO_MSG_JOIN), 0);
    assert_int_equal(proto_mp_put_bin(&b, big, PROTO_JOIN_MAX + 1), 0);
    expect_decode_err(b.data, b.len, ERR_BADFRAME);
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_join(&b, big, PROTO_JOIN_MAX + 1), -EINVAL);
    assert_int_equal(proto_msg_join(&b, big, 0), -EINVAL);
    assert_int_equal(proto_msg_join(&b, NULL, 5), -EINVAL);
    assert_int_equal(b.len, 0);

    /* JOIN byte for byte, and back: 3 bytes, 255 (bin8), 256 and the maximum (bin16). */
    assert_int_equal(proto_buf_append_byte(&b, 0xee), 0);
    assert_int_equal(proto_msg_join(&b, (const uint8_t *)"abc", 3), 0);
    assert_bytes_hex(b.data, b.len, "ee920ac403616263");
    expect_round_trip(b.data + 1, b.len - 1);
    assert_int_equal(g_msg.type, PROTO_MSG_JOIN);
    assert_int_equal(g_msg.u.join.len, 3);
    assert_memory_equal(g_msg.u.join.p, "abc", 3);
    {
        static const size_t lens[] = {1, 255, 256, PROTO_JOIN_MAX};

        for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            proto_buf_reset(&b);
            assert_int_equal(proto_msg_join(&b, big, lens[i]), 0);
            assert_int_equal(b.len, 2 + (lens[i] > 255 ? 3 : 2) + lens[i]);
            expect_round_trip(b.data, b.len);
            assert_int_equal(g_msg.u.join.len, lens[i]);
            assert_memory_equal(g_msg.u.join.p, big, lens[i]);
        }
    }

    /* JOINED. */
    proto_buf_reset(&b);
    assert_int_equal(proto_msg_joined(&b, 0), 0);
    assert_int_equal(proto_msg_joined(&b, 1003), 0);
    assert_int_equal(proto_msg_joined(&b, UINT32_MAX), 0);
    assert_bytes_hex(b.data, b.len,
                     "920b00"
                     "920bcd03eb"
                     "920bceffffffff");
    expect_round_trip_hex("920b00");
    assert_int_equal(g_msg.type, PROTO_MSG_JOINED);
    assert_int_equal(g_msg.u.joined.code, 0);
    expect_round_trip_hex("920bcd03eb");
    assert_int_equal(g_msg.u.joined.code, 1003);
    expect_round_trip_hex("920bceffffffff");
    assert_int_equal(g_msg.u.joined.code, UINT32_MAX);

    proto_buf_release(&b);
    free(big);
}

/* ---- Prologue and gate ---- */

static void test_prologue(void **state)
{
    uint8_t ledger[32], pro[PROTO_WIRE_PROLOGUE_LEN];
    size_t i;

    (void)state;
    assert_int_equal(PROTO_WIRE_PROLOGUE_LEN, 40);
    for (i = 0; i < 32; i++)
        ledger[i] = (uint8_t)(0x20 + i);
    memset(pro, 0xa5, sizeof pro);
    proto_wire_prologue(ledger, pro);
    /* "saksi/1" NUL, then the ledger id. */
    assert_bytes_hex(pro, sizeof pro,
                     "73616b73692f3100"
                     "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
}

static void test_hmac(void **state)
{
    /*
     * RFC 4231 test cases 1 and 6 (a key longer than the block), split between a and b at every
     * point, so that a || b is what is authenticated.
     */
    static const char msg1[] = "Hi There";
    static const char msg6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    uint8_t key1[20], key6[131], mac[32];
    size_t i;

    (void)state;
    memset(key1, 0x0b, sizeof key1);
    memset(key6, 0xaa, sizeof key6);
    for (i = 0; i <= sizeof msg1 - 1; i++) {
        memset(mac, 0, sizeof mac);
        proto_hmac_sha256(key1, sizeof key1, msg1, i, msg1 + i, sizeof msg1 - 1 - i, mac);
        assert_bytes_hex(mac, 32,
                         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }
    proto_hmac_sha256(key1, sizeof key1, NULL, 0, msg1, sizeof msg1 - 1, mac);
    assert_bytes_hex(mac, 32, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    proto_hmac_sha256(key1, sizeof key1, msg1, sizeof msg1 - 1, NULL, 0, mac);
    assert_bytes_hex(mac, 32, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    for (i = 0; i <= sizeof msg6 - 1; i += 9) {
        proto_hmac_sha256(key6, sizeof key6, msg6, i, msg6 + i, sizeof msg6 - 1 - i, mac);
        assert_bytes_hex(mac, 32,
                         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }
}

static void test_gate(void **state)
{
    /*
     * Known answer, computed independently:
     *   python3 -c "import hmac, hashlib; k = bytes(range(32));
     *     p = b'saksi/1\x00' + bytes(range(0x20, 0x40)); e = bytes(range(0x40, 0x60));
     *     print(hmac.new(k, p + e, hashlib.sha256).hexdigest())"
     */
    static const char want[] = "15046008444394817c04c1f8c613e4ebe10e973b8690ba68135baee431711ee5";
    uint8_t key[32], ledger[32], e[32], pro[PROTO_WIRE_PROLOGUE_LEN], gate[32], bad[32];
    uint8_t other[PROTO_WIRE_PROLOGUE_LEN];
    size_t i;

    (void)state;
    for (i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
        ledger[i] = (uint8_t)(0x20 + i);
        e[i] = (uint8_t)(0x40 + i);
    }
    proto_wire_prologue(ledger, pro);
    proto_wire_gate(key, pro, e, gate);
    assert_bytes_hex(gate, sizeof gate, want);
    assert_int_equal(proto_wire_gate_verify(key, pro, e, gate), 0);

    /* Any flipped bit of the gate, e, key or prologue. */
    for (i = 0; i < 8 * 32; i++) {
        memcpy(bad, gate, 32);
        bad[i / 8] ^= (uint8_t)(1u << (i % 8));
        assert_int_equal(proto_wire_gate_verify(key, pro, e, bad), ERR_BADFRAME);
        memcpy(bad, e, 32);
        bad[i / 8] ^= (uint8_t)(1u << (i % 8));
        assert_int_equal(proto_wire_gate_verify(key, pro, bad, gate), ERR_BADFRAME);
        memcpy(bad, key, 32);
        bad[i / 8] ^= (uint8_t)(1u << (i % 8));
        assert_int_equal(proto_wire_gate_verify(bad, pro, e, gate), ERR_BADFRAME);
    }
    for (i = 0; i < 8 * PROTO_WIRE_PROLOGUE_LEN; i++) {
        memcpy(other, pro, sizeof other);
        other[i / 8] ^= (uint8_t)(1u << (i % 8));
        assert_int_equal(proto_wire_gate_verify(key, other, e, gate), ERR_BADFRAME);
    }
    memset(bad, 0, sizeof bad);
    assert_int_equal(proto_wire_gate_verify(key, pro, e, bad), ERR_BADFRAME);

    /* The gate is HMAC(key, prologue || e) with nothing else mixed in. */
    proto_hmac_sha256(key, 32, pro, sizeof pro, e, 32, bad);
    assert_memory_equal(bad, gate, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_decode_invalid_sizes),
        cmocka_unit_test(test_encode_invalid),
        cmocka_unit_test(test_hello_invalid),
        cmocka_unit_test(test_simple_messages),
        cmocka_unit_test(test_frontier),
        cmocka_unit_test(test_entries_header),
        cmocka_unit_test(test_entries_fill),
        cmocka_unit_test(test_hello),
        cmocka_unit_test(test_hello_token),
        cmocka_unit_test(test_addrs_invalid),
        cmocka_unit_test(test_addrs),
        cmocka_unit_test(test_roster_invalid),
        cmocka_unit_test(test_roster),
        cmocka_unit_test(test_join_joined),
        cmocka_unit_test(test_prologue),
        cmocka_unit_test(test_hmac),
        cmocka_unit_test(test_gate),
    };

    return cmocka_run_group_tests_name("proto_wire", tests, setup, NULL);
}
