/*
 * Unit tests for proto/invite: invalid input first (empty and short inputs, every truncation of a
 * token, a join request and a code, trailing bytes, a token or code of another version signed or
 * checked correctly, every character of a code changed, a byte of a token's body or signature
 * changed, a token that decodes as a join request and the reverse, a join request whose card
 * signature binds other keys), then the round trips of tokens, codes and join requests, the
 * checks a responder makes (ledger, device keys, expiry at the second), white space around a
 * code, the address rules, and the note limits proto_join_sign enforces.
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
#include "proto/err.h"
#include "proto/invite.h"
#include "proto/ledger.h"
#include "proto/mp.h"

#define T_EXPIRES 1767225600u /* 2026-01-01T00:00:00Z */
#define T_ADDR    "192.0.2.10:47320"

struct fix {
    struct proto_keys *inviter, *device, *other;
    uint8_t ledger[32], netkey[32];
    struct proto_invite inv;
    struct proto_buf tok;  /* inv, signed by inviter */
    struct proto_buf join; /* a join request by device, note "HP Bu Siti", member 12 */
    char *code;            /* netkey, T_ADDR, tok */
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof *f);
    struct proto_join j;

    if (!f || proto_crypto_init() < 0 || proto_keys_generate(&f->inviter) < 0 ||
        proto_keys_generate(&f->device) < 0 || proto_keys_generate(&f->other) < 0)
        return -1;
    memset(f->ledger, 0x4c, 32);
    for (int i = 0; i < 32; i++)
        f->netkey[i] = (uint8_t)i;
    memcpy(f->inv.ledger, f->ledger, 32);
    memcpy(f->inv.inviter_sign_pk, f->inviter->sign_pk, 32);
    memcpy(f->inv.inviter_box_pk, f->inviter->box_pk, 32);
    memcpy(f->inv.device_sign_pk, f->device->sign_pk, 32);
    memcpy(f->inv.device_box_pk, f->device->box_pk, 32);
    f->inv.expires = T_EXPIRES;
    f->inv.member = 12;
    f->inv.role = PROTO_ROLE_ANGGOTA;
    proto_buf_init(&f->tok);
    proto_buf_init(&f->join);
    if (proto_invite_sign(f->inviter, &f->inv, &f->tok) < 0 ||
        proto_invite_code_encode(f->netkey, T_ADDR, f->tok.data, f->tok.len, &f->code) < 0)
        return -1;
    memset(&j, 0, sizeof j);
    memcpy(j.ledger, f->ledger, 32);
    j.member = 12;
    j.time = T_EXPIRES - 3600;
    strcpy(j.note, "HP Bu Siti");
    if (proto_join_sign(f->device, &j, &f->join) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;

    proto_keys_free(f->inviter);
    proto_keys_free(f->device);
    proto_keys_free(f->other);
    proto_buf_release(&f->tok);
    proto_buf_release(&f->join);
    free(f->code);
    free(f);
    return 0;
}

static bool zeroed(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* [body (bin), sig (bin 64)] with sig by k over prefix || body: a hand-made signed structure. */
static void signed_wrap(const struct proto_keys *k, const char *prefix, size_t plen,
                        const struct proto_buf *body, struct proto_buf *out)
{
    uint8_t sig[64];

    assert_int_equal(proto_sign(k, prefix, plen, body->data, body->len, sig), 0);
    assert_int_equal(proto_mp_put_array(out, 2), 0);
    assert_int_equal(proto_mp_put_bin(out, body->data, body->len), 0);
    assert_int_equal(proto_mp_put_bin(out, sig, 64), 0);
}

/* An invite body of the given version, as proto_invite_sign would encode it. */
static void invite_body(const struct proto_invite *inv, uint64_t version, struct proto_buf *b)
{
    assert_int_equal(proto_mp_put_array(b, 9), 0);
    assert_int_equal(proto_mp_put_uint(b, version), 0);
    assert_int_equal(proto_mp_put_bin(b, inv->ledger, 32), 0);
    assert_int_equal(proto_mp_put_bin(b, inv->inviter_sign_pk, 32), 0);
    assert_int_equal(proto_mp_put_bin(b, inv->inviter_box_pk, 32), 0);
    assert_int_equal(proto_mp_put_bin(b, inv->device_sign_pk, 32), 0);
    assert_int_equal(proto_mp_put_bin(b, inv->device_box_pk, 32), 0);
    assert_int_equal(proto_mp_put_uint(b, inv->expires), 0);
    assert_int_equal(proto_mp_put_uint(b, inv->member), 0);
    assert_int_equal(proto_mp_put_uint(b, inv->role), 0);
}

/* A code from raw msgpack bytes: the check bytes appended, base64url, the prefix. */
static char *code_from(const struct proto_buf *m)
{
    struct proto_buf b;
    uint8_t check[32];
    size_t pl = strlen(PROTO_INVITE_CODE_PREFIX);
    char *s;

    proto_buf_init(&b);
    assert_int_equal(proto_buf_append(&b, m->data, m->len), 0);
    proto_sha256(m->data, m->len, check);
    assert_int_equal(proto_buf_append(&b, check, 4), 0);
    s = malloc(pl + PROTO_B64_LEN(b.len));
    assert_non_null(s);
    memcpy(s, PROTO_INVITE_CODE_PREFIX, pl);
    proto_b64_encode(b.data, b.len, s + pl);
    proto_buf_release(&b);
    return s;
}

/* ---- invalid input ---- */

static void test_token_invalid(void **state)
{
    struct fix *f = *state;
    struct proto_invite inv;
    struct proto_buf b;
    uint8_t *p = malloc(f->tok.len + 1);

    assert_non_null(p);
    memcpy(p, f->tok.data, f->tok.len);
    /* Empty, every truncation, one byte more. */
    for (size_t n = 0; n < f->tok.len; n++) {
        memset(&inv, 0xee, sizeof inv);
        assert_true(proto_invite_parse(p, n, &inv) < 0);
        assert_true(zeroed(&inv, sizeof inv));
    }
    p[f->tok.len] = 0xc0;
    assert_true(proto_invite_parse(p, f->tok.len + 1, &inv) < 0);
    /* Any byte of the body's fields or of the signature changed: the signature fails. The last
     * 64 bytes are the signature; the body's fields start after the headers. */
    for (size_t i = f->tok.len - 64; i < f->tok.len; i++) {
        p[i] ^= 0x01;
        assert_int_equal(proto_invite_parse(p, f->tok.len, &inv), ERR_BADSIG);
        p[i] ^= 0x01;
    }
    /* The ledger id: after [ (1), the body's bin header (2), [ (1), the version (1) and its own
     * bin header (2). */
    for (size_t i = 7; i < 7 + 32; i++) {
        p[i] ^= 0x80;
        assert_int_equal(proto_invite_parse(p, f->tok.len, &inv), ERR_BADSIG);
        p[i] ^= 0x80;
    }
    assert_int_equal(proto_invite_parse(p, f->tok.len, &inv), 0);
    free(p);
    /* Another version, correctly signed. */
    proto_buf_init(&b);
    {
        struct proto_buf body;

        proto_buf_init(&body);
        invite_body(&f->inv, 2, &body);
        signed_wrap(f->inviter, PROTO_INVITE_SIG_PREFIX, sizeof PROTO_INVITE_SIG_PREFIX, &body, &b);
        assert_int_equal(proto_invite_parse(b.data, b.len, &inv), ERR_VERSION);
        /* Version 1 by hand is what proto_invite_sign makes. */
        proto_buf_reset(&body);
        proto_buf_reset(&b);
        invite_body(&f->inv, 1, &body);
        signed_wrap(f->inviter, PROTO_INVITE_SIG_PREFIX, sizeof PROTO_INVITE_SIG_PREFIX, &body, &b);
        assert_int_equal(b.len, f->tok.len);
        assert_memory_equal(b.data, f->tok.data, b.len);
        /* Signed by another key than the inviter it names. */
        proto_buf_reset(&b);
        signed_wrap(f->other, PROTO_INVITE_SIG_PREFIX, sizeof PROTO_INVITE_SIG_PREFIX, &body, &b);
        assert_int_equal(proto_invite_parse(b.data, b.len, &inv), ERR_BADSIG);
        /* Signed under the join requests' domain. */
        proto_buf_reset(&b);
        signed_wrap(f->inviter, PROTO_JOIN_SIG_PREFIX, sizeof PROTO_JOIN_SIG_PREFIX, &body, &b);
        assert_int_equal(proto_invite_parse(b.data, b.len, &inv), ERR_BADSIG);
        proto_buf_release(&body);
    }
    /* A join request is no token, and a token is no join request. */
    assert_int_equal(proto_invite_parse(f->join.data, f->join.len, &inv), ERR_BADFRAME);
    {
        struct proto_join j;

        assert_int_equal(proto_join_parse(f->tok.data, f->tok.len, &j), ERR_BADFRAME);
    }
    /* Too big. */
    proto_buf_reset(&b);
    assert_int_equal(proto_buf_reserve(&b, PROTO_INVITE_TOKEN_MAX + 1), 0);
    memset(b.data, 0, PROTO_INVITE_TOKEN_MAX + 1);
    assert_int_equal(proto_invite_parse(b.data, PROTO_INVITE_TOKEN_MAX + 1, &inv), ERR_TOOBIG);
    proto_buf_release(&b);
}

static void test_sign_invalid(void **state)
{
    struct fix *f = *state;
    struct proto_invite inv = f->inv;
    struct proto_buf b;

    proto_buf_init(&b);
    /* The signer must be the inviter the token names, with both keys. */
    assert_int_equal(proto_invite_sign(f->other, &inv, &b), -EINVAL);
    inv.inviter_box_pk[0] ^= 1;
    assert_int_equal(proto_invite_sign(f->inviter, &inv, &b), -EINVAL);
    inv = f->inv;
    inv.role = PROTO_ROLE_ANGGOTA + 1;
    assert_int_equal(proto_invite_sign(f->inviter, &inv, &b), -EINVAL);
    assert_int_equal(b.len, 0);
    proto_buf_release(&b);
}

static void test_code_invalid(void **state)
{
    struct fix *f = *state;
    struct proto_invite_code *c = malloc(sizeof *c);
    size_t n = strlen(f->code), pl = strlen(PROTO_INVITE_CODE_PREFIX);
    char *s = malloc(n + 16);
    struct proto_buf m, bad;
    char *x;

    assert_non_null(c);
    assert_non_null(s);
    assert_int_equal(proto_invite_code_decode("", c), ERR_INVITE);
    assert_int_equal(proto_invite_code_decode("   \n", c), ERR_INVITE);
    assert_int_equal(proto_invite_code_decode(PROTO_INVITE_CODE_PREFIX, c), ERR_INVITE);
    assert_int_equal(proto_invite_code_decode(f->code + pl, c), ERR_INVITE); /* no prefix */
    assert_int_equal(proto_invite_code_decode("saksi-device:00", c), ERR_INVITE);
    /* Every truncation. */
    for (size_t k = 0; k < n; k++) {
        memcpy(s, f->code, k);
        s[k] = '\0';
        memset(c, 0xee, sizeof *c);
        assert_int_equal(proto_invite_code_decode(s, c), ERR_INVITE);
        assert_true(zeroed(c, sizeof *c));
    }
    /* Every character after the prefix changed to another base64url character, or to one
     * outside the alphabet; white space inside. */
    for (size_t k = pl; k < n; k++) {
        static const char alt[] = {'A', 'B', '-', '=', '.', ' '};

        for (size_t a = 0; a < sizeof alt; a++) {
            if (f->code[k] == alt[a])
                continue;
            strcpy(s, f->code);
            s[k] = alt[a];
            assert_int_equal(proto_invite_code_decode(s, c), ERR_INVITE);
        }
    }
    /* Every character with its top bit set: libsodium's decoder reads such a byte as the
     * ASCII character below it (0xdf as '_'), which made a second spelling of one code. */
    for (size_t k = pl; k < n; k++) {
        strcpy(s, f->code);
        s[k] = (char)((unsigned char)s[k] | 0x80);
        assert_int_equal(proto_invite_code_decode(s, c), ERR_INVITE);
    }
    /* One character more. */
    snprintf(s, n + 16, "%sA", f->code);
    assert_int_equal(proto_invite_code_decode(s, c), ERR_INVITE);
    /* A whole code around a token whose signature fails: the token's code, not ERR_INVITE. */
    proto_buf_init(&bad);
    assert_int_equal(proto_buf_append(&bad, f->tok.data, f->tok.len), 0);
    bad.data[bad.len - 1] ^= 1;
    assert_int_equal(proto_invite_code_encode(f->netkey, T_ADDR, bad.data, bad.len, &x), 0);
    assert_int_equal(proto_invite_code_decode(x, c), ERR_BADSIG);
    free(x);
    /* A whole code around something that is no token. */
    assert_int_equal(proto_invite_code_encode(f->netkey, T_ADDR, f->join.data, f->join.len, &x), 0);
    assert_int_equal(proto_invite_code_decode(x, c), ERR_INVITE);
    free(x);
    /* Hand-made: another version; the right shape, as a check; a bad address; a short key. */
    proto_buf_init(&m);
    for (int v = 0; v < 5; v++) {
        static const char *const addrs[] = {T_ADDR, T_ADDR, "192.0.2.10", T_ADDR, "a b:1"};

        proto_buf_reset(&m);
        assert_int_equal(proto_mp_put_array(&m, 4), 0);
        assert_int_equal(proto_mp_put_uint(&m, v == 1 ? 2 : 1), 0);
        assert_int_equal(proto_mp_put_bin(&m, f->netkey, v == 3 ? 31 : 32), 0);
        assert_int_equal(proto_mp_put_str(&m, addrs[v], strlen(addrs[v])), 0);
        assert_int_equal(proto_mp_put_bin(&m, f->tok.data, f->tok.len), 0);
        x = code_from(&m);
        assert_int_equal(proto_invite_code_decode(x, c), v == 0   ? 0
                                                         : v == 1 ? ERR_VERSION
                                                                  : ERR_INVITE);
        if (v == 0)
            assert_string_equal(x, f->code);
        free(x);
    }
    /* A check that does not match. */
    proto_buf_reset(&m);
    assert_int_equal(proto_mp_put_array(&m, 4), 0);
    assert_int_equal(proto_mp_put_uint(&m, 1), 0);
    assert_int_equal(proto_mp_put_bin(&m, f->netkey, 32), 0);
    assert_int_equal(proto_mp_put_str(&m, T_ADDR, strlen(T_ADDR)), 0);
    assert_int_equal(proto_mp_put_bin(&m, f->tok.data, f->tok.len), 0);
    assert_int_equal(proto_buf_append(&m, "\0\0\0\0", 4), 0);
    x = malloc(pl + PROTO_B64_LEN(m.len));
    assert_non_null(x);
    memcpy(x, PROTO_INVITE_CODE_PREFIX, pl);
    proto_b64_encode(m.data, m.len, x + pl);
    assert_int_equal(proto_invite_code_decode(x, c), ERR_INVITE);
    free(x);
    proto_buf_release(&m);
    proto_buf_release(&bad);
    free(s);
    free(c);
}

static void test_encode_invalid(void **state)
{
    struct fix *f = *state;
    static const char *const bad[] = {
        "",      "192.0.2.10", "host name:1",
        "a/b:1", "x;y:1",      "0123456789012345678901234567890123456789012345:1"};
    uint8_t big[PROTO_INVITE_TOKEN_MAX + 1] = {0};
    char *x = (char *)1;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(proto_invite_code_encode(f->netkey, bad[i], f->tok.data, f->tok.len, &x),
                         -EINVAL);
        assert_null(x);
    }
    assert_int_equal(proto_invite_code_encode(f->netkey, T_ADDR, f->tok.data, 0, &x), ERR_TOOBIG);
    assert_int_equal(proto_invite_code_encode(f->netkey, T_ADDR, big, sizeof big, &x), ERR_TOOBIG);
    assert_null(x);
}

static void test_join_invalid(void **state)
{
    struct fix *f = *state;
    struct proto_join j;
    struct proto_buf b, body;
    uint8_t *p = malloc(f->join.len + 1), card_sig[64];

    assert_non_null(p);
    memcpy(p, f->join.data, f->join.len);
    for (size_t n = 0; n < f->join.len; n++) {
        memset(&j, 0xee, sizeof j);
        assert_true(proto_join_parse(p, n, &j) < 0);
        assert_true(zeroed(&j, sizeof j));
    }
    p[f->join.len] = 0xc0;
    assert_true(proto_join_parse(p, f->join.len + 1, &j) < 0);
    for (size_t i = f->join.len - 64; i < f->join.len; i++) {
        p[i] ^= 0x04;
        assert_int_equal(proto_join_parse(p, f->join.len, &j), ERR_BADSIG);
        p[i] ^= 0x04;
    }
    assert_int_equal(proto_join_parse(p, f->join.len, &j), 0);
    free(p);

    /* Notes proto_join_sign refuses: too long, not UTF-8; 200 bytes pass. */
    proto_buf_init(&b);
    memset(&j, 0, sizeof j);
    memset(j.note, 'x', PROTO_JOIN_NOTE_MAX);
    assert_int_equal(proto_join_sign(f->device, &j, &b), 0);
    assert_int_equal(proto_join_parse(b.data, b.len, &j), 0);
    assert_int_equal(strlen(j.note), PROTO_JOIN_NOTE_MAX);
    {
        struct proto_join *big = calloc(1, sizeof *big + 8);

        assert_non_null(big);
        memset(big->note, 'x', PROTO_JOIN_NOTE_MAX + 1); /* the NUL lands in the padding */
        proto_buf_reset(&b);
        assert_int_equal(proto_join_sign(f->device, big, &b), -EINVAL);
        free(big);
    }
    memset(&j, 0, sizeof j);
    strcpy(j.note, "HP \xff");
    assert_int_equal(proto_join_sign(f->device, &j, &b), -EINVAL);
    strcpy(j.note, "\xc3\x28");
    assert_int_equal(proto_join_sign(f->device, &j, &b), -EINVAL);
    strcpy(j.note, "Bu Siti \xe2\x80\x93 HP");
    assert_int_equal(proto_join_sign(f->device, &j, &b), 0);

    /* Hand-made, signed by the device: a card signature over other keys; another version. */
    for (int v = 0; v < 3; v++) {
        proto_buf_init(&body);
        proto_buf_reset(&b);
        if (v == 0)
            proto_card_sign(f->other, card_sig); /* binds other's keys, not device's */
        else
            proto_card_sign(f->device, card_sig);
        assert_int_equal(proto_mp_put_array(&body, 8), 0);
        assert_int_equal(proto_mp_put_uint(&body, v == 1 ? 2 : 1), 0);
        assert_int_equal(proto_mp_put_bin(&body, f->ledger, 32), 0);
        assert_int_equal(proto_mp_put_bin(&body, f->device->sign_pk, 32), 0);
        assert_int_equal(proto_mp_put_bin(&body, f->device->box_pk, 32), 0);
        assert_int_equal(proto_mp_put_bin(&body, card_sig, 64), 0);
        assert_int_equal(proto_mp_put_uint(&body, 12), 0);
        assert_int_equal(proto_mp_put_uint(&body, T_EXPIRES), 0);
        assert_int_equal(proto_mp_put_str(&body, "HP", 2), 0);
        signed_wrap(f->device, PROTO_JOIN_SIG_PREFIX, sizeof PROTO_JOIN_SIG_PREFIX, &body, &b);
        assert_int_equal(proto_join_parse(b.data, b.len, &j), v == 0   ? ERR_BADSIG
                                                              : v == 1 ? ERR_VERSION
                                                                       : 0);
        proto_buf_release(&body);
    }
    /* A card signature binding the device's sign key to another transport key. */
    {
        struct proto_keys mixed = *f->device;

        memcpy(mixed.box_pk, f->other->box_pk, 32);
        proto_card_sign(&mixed, card_sig); /* a true signature over (sign_pk, other box_pk) */
        proto_buf_init(&body);
        proto_buf_reset(&b);
        assert_int_equal(proto_mp_put_array(&body, 8), 0);
        assert_int_equal(proto_mp_put_uint(&body, 1), 0);
        assert_int_equal(proto_mp_put_bin(&body, f->ledger, 32), 0);
        assert_int_equal(proto_mp_put_bin(&body, f->device->sign_pk, 32), 0);
        assert_int_equal(proto_mp_put_bin(&body, f->device->box_pk, 32), 0);
        assert_int_equal(proto_mp_put_bin(&body, card_sig, 64), 0);
        assert_int_equal(proto_mp_put_uint(&body, 0), 0);
        assert_int_equal(proto_mp_put_uint(&body, 1), 0);
        assert_int_equal(proto_mp_put_str(&body, "", 0), 0);
        signed_wrap(f->device, PROTO_JOIN_SIG_PREFIX, sizeof PROTO_JOIN_SIG_PREFIX, &body, &b);
        assert_int_equal(proto_join_parse(b.data, b.len, &j), ERR_BADSIG);
        proto_memzero(&mixed, sizeof mixed);
        proto_buf_release(&body);
    }
    proto_buf_release(&b);
}

/* ---- round trips and checks ---- */

static void test_token_roundtrip(void **state)
{
    struct fix *f = *state;
    struct proto_invite inv, bare = f->inv;
    struct proto_buf b;

    assert_true(f->tok.len <= PROTO_INVITE_TOKEN_MAX);
    assert_int_equal(proto_invite_parse(f->tok.data, f->tok.len, &inv), 0);
    assert_memory_equal(&inv, &f->inv, sizeof inv);
    /* Without member and role (0: not stated), and at the largest values. */
    bare.member = 0;
    bare.role = 0;
    proto_buf_init(&b);
    assert_int_equal(proto_invite_sign(f->inviter, &bare, &b), 0);
    assert_int_equal(proto_invite_parse(b.data, b.len, &inv), 0);
    assert_int_equal(inv.member, 0);
    assert_int_equal(inv.role, 0);
    bare.member = UINT32_MAX;
    bare.expires = UINT64_MAX;
    bare.role = PROTO_ROLE_PENGURUS;
    proto_buf_reset(&b);
    assert_int_equal(proto_invite_sign(f->inviter, &bare, &b), 0);
    assert_true(b.len <= PROTO_INVITE_TOKEN_MAX);
    assert_int_equal(proto_invite_parse(b.data, b.len, &inv), 0);
    assert_memory_equal(&inv, &bare, sizeof inv);
    proto_buf_release(&b);
}

static void test_check(void **state)
{
    struct fix *f = *state;
    const struct proto_invite *inv = &f->inv;
    uint8_t other_ledger[32];

    memset(other_ledger, 0x4d, 32);
    assert_int_equal(proto_invite_check(inv, f->ledger, f->device->sign_pk, f->device->box_pk, 0),
                     0);
    assert_int_equal(
        proto_invite_check(inv, f->ledger, f->device->sign_pk, f->device->box_pk, T_EXPIRES - 1),
        0);
    /* Expired at the second it names. */
    assert_int_equal(
        proto_invite_check(inv, f->ledger, f->device->sign_pk, f->device->box_pk, T_EXPIRES),
        ERR_EXPIRED);
    assert_int_equal(proto_invite_check(inv, f->ledger, f->device->sign_pk, f->device->box_pk,
                                        T_EXPIRES + 86400),
                     ERR_EXPIRED);
    assert_int_equal(
        proto_invite_check(inv, other_ledger, f->device->sign_pk, f->device->box_pk, 0),
        ERR_LEDGER);
    /* Another device, or the right signing key with another transport key, or the reverse. */
    assert_int_equal(proto_invite_check(inv, f->ledger, f->other->sign_pk, f->other->box_pk, 0),
                     ERR_AUTHORITY);
    assert_int_equal(proto_invite_check(inv, f->ledger, f->device->sign_pk, f->other->box_pk, 0),
                     ERR_AUTHORITY);
    assert_int_equal(proto_invite_check(inv, f->ledger, f->other->sign_pk, f->device->box_pk, 0),
                     ERR_AUTHORITY);
    /* The inviter is not the invited device. */
    assert_int_equal(proto_invite_check(inv, f->ledger, f->inviter->sign_pk, f->inviter->box_pk, 0),
                     ERR_AUTHORITY);
}

static void test_code_roundtrip(void **state)
{
    struct fix *f = *state;
    struct proto_invite_code *c = malloc(sizeof *c);
    size_t pl = strlen(PROTO_INVITE_CODE_PREFIX), n = strlen(f->code);
    char *s = malloc(n + 32);
    static const char *const addrs[] = {"127.0.0.1:1", "koperasi.example:47320", "[::1]:7447",
                                        "01234567890123456789012345678901234567890:65535"};

    assert_non_null(c);
    assert_non_null(s);
    assert_int_equal(strncmp(f->code, PROTO_INVITE_CODE_PREFIX, pl), 0);
    assert_true(n <= pl + PROTO_INVITE_CODE_MAX);
    /* One line, URL-safe base64 without padding. */
    for (size_t i = pl; i < n; i++)
        assert_true(
            (f->code[i] >= 'A' && f->code[i] <= 'Z') || (f->code[i] >= 'a' && f->code[i] <= 'z') ||
            (f->code[i] >= '0' && f->code[i] <= '9') || f->code[i] == '-' || f->code[i] == '_');
    assert_int_equal(proto_invite_code_decode(f->code, c), 0);
    assert_memory_equal(c->netkey, f->netkey, 32);
    assert_string_equal(c->addr, T_ADDR);
    assert_int_equal(c->token_len, f->tok.len);
    assert_memory_equal(c->token, f->tok.data, f->tok.len);
    assert_memory_equal(&c->inv, &f->inv, sizeof c->inv);
    /* White space around the code (a copy from a chat message) is ignored. */
    snprintf(s, n + 32, " \t\r\n%s \r\n\t", f->code);
    memset(c, 0, sizeof *c);
    assert_int_equal(proto_invite_code_decode(s, c), 0);
    assert_memory_equal(&c->inv, &f->inv, sizeof c->inv);
    /* The addresses a code may carry (which ones saksid can dial is the caller's). */
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        char *x;

        assert_int_equal(proto_invite_code_encode(f->netkey, addrs[i], f->tok.data, f->tok.len, &x),
                         0);
        assert_int_equal(proto_invite_code_decode(x, c), 0);
        assert_string_equal(c->addr, addrs[i]);
        free(x);
    }
    free(s);
    proto_memzero(c, sizeof *c);
    free(c);
}

static void test_join_roundtrip(void **state)
{
    struct fix *f = *state;
    struct proto_join j;

    assert_true(f->join.len <= PROTO_JOIN_MAX);
    assert_int_equal(proto_join_parse(f->join.data, f->join.len, &j), 0);
    assert_memory_equal(j.ledger, f->ledger, 32);
    assert_memory_equal(j.sign_pk, f->device->sign_pk, 32);
    assert_memory_equal(j.box_pk, f->device->box_pk, 32);
    assert_int_equal(proto_card_verify(j.sign_pk, j.box_pk, j.card_sig), 0);
    assert_int_equal(j.member, 12);
    assert_int_equal(j.time, T_EXPIRES - 3600);
    assert_string_equal(j.note, "HP Bu Siti");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_invalid),  cmocka_unit_test(test_sign_invalid),
        cmocka_unit_test(test_code_invalid),   cmocka_unit_test(test_encode_invalid),
        cmocka_unit_test(test_join_invalid),   cmocka_unit_test(test_token_roundtrip),
        cmocka_unit_test(test_check),          cmocka_unit_test(test_code_roundtrip),
        cmocka_unit_test(test_join_roundtrip),
    };

    return cmocka_run_group_tests_name("proto_invite", tests, setup, teardown);
}
