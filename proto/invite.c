/*
 * Invite tokens, invite codes and join requests: see proto/invite.h and docs/PROTOCOL.md.
 */
#include "proto/invite.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/mp.h"

#define INVITE_BODY_ARITY 9
#define JOIN_BODY_ARITY   8

/* Appends [body (bin), sig (bin 64)] where sig signs prefix || body. */
static int put_signed(const struct proto_keys *k, const char *prefix, size_t plen,
                      const struct proto_buf *body, struct proto_buf *out)
{
    uint8_t sig[64];
    size_t start = out->len;
    int rc;

    rc = proto_sign(k, prefix, plen, body->data, body->len, sig);
    if (rc == 0)
        rc = proto_mp_put_array(out, 2);
    if (rc == 0)
        rc = proto_mp_put_bin(out, body->data, body->len);
    if (rc == 0)
        rc = proto_mp_put_bin(out, sig, sizeof sig);
    if (rc < 0)
        out->len = start;
    return rc;
}

/*
 * Splits [body, sig] (canonical, nothing after it), verifies sig by pk_of(body) over
 * prefix || body, and hands the parsed body to unpack. The body must be canonical too.
 */
typedef int unpack_fn(const msgpack_object *f, uint32_t n, void *out);

static int parse_signed(const uint8_t *p, size_t n, size_t max, uint32_t arity, unpack_fn *unpack,
                        void *out, const uint8_t *(*signer)(const void *out), const char *prefix,
                        size_t plen)
{
    struct proto_mp_doc outer, inner;
    const msgpack_object *f, *bf;
    const uint8_t *body, *sig;
    size_t blen, slen;
    uint64_t version;
    int rc;

    if (n > max)
        return ERR_TOOBIG;
    if ((rc = proto_mp_doc_init(&outer)) < 0)
        return rc;
    if ((rc = proto_mp_doc_init(&inner)) < 0) {
        proto_mp_doc_release(&outer);
        return rc;
    }
    rc = proto_mp_doc_parse(&outer, p, n);
    if (rc == 0 && (proto_mp_array(&outer.root, 2, &f) < 0 ||
                    proto_mp_bin_ref(&f[0], &body, &blen, max) < 0 ||
                    proto_mp_bin_ref(&f[1], &sig, &slen, 64) < 0 || slen != 64))
        rc = ERR_BADFRAME;
    if (rc == 0)
        rc = proto_mp_doc_parse(&inner, body, blen);
    if (rc == 0 && (proto_mp_array(&inner.root, arity, &bf) < 0 ||
                    proto_mp_u64(&bf[0], &version) < 0))
        rc = ERR_BADFRAME;
    if (rc == 0 && version != PROTO_INVITE_VERSION)
        rc = ERR_VERSION;
    if (rc == 0)
        rc = unpack(bf, arity, out);
    if (rc == 0)
        rc = proto_verify(signer(out), prefix, plen, body, blen, sig);
    proto_mp_doc_release(&inner);
    proto_mp_doc_release(&outer);
    return rc;
}

/* ---- invite tokens ---- */

static int invite_unpack(const msgpack_object *f, uint32_t n, void *out)
{
    struct proto_invite *inv = out;
    uint64_t role;

    (void)n;
    if (proto_mp_bin_fixed(&f[1], inv->ledger, 32) < 0 ||
        proto_mp_bin_fixed(&f[2], inv->inviter_sign_pk, 32) < 0 ||
        proto_mp_bin_fixed(&f[3], inv->inviter_box_pk, 32) < 0 ||
        proto_mp_bin_fixed(&f[4], inv->device_sign_pk, 32) < 0 ||
        proto_mp_bin_fixed(&f[5], inv->device_box_pk, 32) < 0 ||
        proto_mp_u64(&f[6], &inv->expires) < 0 || proto_mp_u32(&f[7], &inv->member) < 0 ||
        proto_mp_u64_max(&f[8], PROTO_ROLE_ANGGOTA, &role) < 0)
        return ERR_BADFRAME;
    inv->role = (uint8_t)role;
    return 0;
}

static const uint8_t *invite_signer(const void *out)
{
    return ((const struct proto_invite *)out)->inviter_sign_pk;
}

int proto_invite_sign(const struct proto_keys *inviter, const struct proto_invite *inv,
                      struct proto_buf *out)
{
    struct proto_buf body;
    int rc;

    if (memcmp(inviter->sign_pk, inv->inviter_sign_pk, 32) != 0 ||
        memcmp(inviter->box_pk, inv->inviter_box_pk, 32) != 0 || inv->role > PROTO_ROLE_ANGGOTA)
        return -EINVAL;
    proto_buf_init(&body);
    rc = proto_mp_put_array(&body, INVITE_BODY_ARITY);
    if (rc == 0)
        rc = proto_mp_put_uint(&body, PROTO_INVITE_VERSION);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, inv->ledger, 32);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, inv->inviter_sign_pk, 32);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, inv->inviter_box_pk, 32);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, inv->device_sign_pk, 32);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, inv->device_box_pk, 32);
    if (rc == 0)
        rc = proto_mp_put_uint(&body, inv->expires);
    if (rc == 0)
        rc = proto_mp_put_uint(&body, inv->member);
    if (rc == 0)
        rc = proto_mp_put_uint(&body, inv->role);
    if (rc == 0)
        rc = put_signed(inviter, PROTO_INVITE_SIG_PREFIX, sizeof PROTO_INVITE_SIG_PREFIX, &body,
                        out);
    proto_buf_release(&body);
    return rc;
}

int proto_invite_parse(const uint8_t *p, size_t n, struct proto_invite *inv)
{
    int rc;

    memset(inv, 0, sizeof *inv);
    rc = parse_signed(p, n, PROTO_INVITE_TOKEN_MAX, INVITE_BODY_ARITY, invite_unpack, inv,
                      invite_signer, PROTO_INVITE_SIG_PREFIX, sizeof PROTO_INVITE_SIG_PREFIX);
    if (rc < 0)
        memset(inv, 0, sizeof *inv);
    return rc;
}

int proto_invite_check(const struct proto_invite *inv, const uint8_t ledger[32],
                       const uint8_t sign_pk[32], const uint8_t box_pk[32], uint64_t now)
{
    if (memcmp(inv->ledger, ledger, 32) != 0)
        return ERR_LEDGER;
    if (memcmp(inv->device_sign_pk, sign_pk, 32) != 0 ||
        memcmp(inv->device_box_pk, box_pk, 32) != 0)
        return ERR_AUTHORITY;
    if (now >= inv->expires)
        return ERR_EXPIRED;
    return 0;
}

/* ---- invite codes ---- */

static bool addr_ok(const char *a)
{
    size_t n = strlen(a);

    if (n == 0 || n > PROTO_INVITE_ADDR_MAX || !strchr(a, ':'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)a[i]) && !strchr(".:-[]", a[i]))
            return false;
    return true;
}

int proto_invite_code_encode(const uint8_t netkey[32], const char *addr, const uint8_t *token,
                             size_t token_len, char **out)
{
    struct proto_buf b;
    uint8_t check[32];
    size_t pl = strlen(PROTO_INVITE_CODE_PREFIX);
    char *s = NULL;
    int rc;

    *out = NULL;
    if (!addr_ok(addr))
        return -EINVAL;
    if (token_len == 0 || token_len > PROTO_INVITE_TOKEN_MAX)
        return ERR_TOOBIG;
    proto_buf_init(&b);
    rc = proto_mp_put_array(&b, 4);
    if (rc == 0)
        rc = proto_mp_put_uint(&b, PROTO_INVITE_VERSION);
    if (rc == 0)
        rc = proto_mp_put_bin(&b, netkey, 32);
    if (rc == 0)
        rc = proto_mp_put_str(&b, addr, strlen(addr));
    if (rc == 0)
        rc = proto_mp_put_bin(&b, token, token_len);
    if (rc == 0) {
        proto_sha256(b.data, b.len, check);
        rc = proto_buf_append(&b, check, 4);
    }
    if (rc == 0) {
        s = malloc(pl + PROTO_B64_LEN(b.len));
        if (!s)
            rc = -ENOMEM;
    }
    if (rc == 0) {
        memcpy(s, PROTO_INVITE_CODE_PREFIX, pl);
        proto_b64_encode(b.data, b.len, s + pl);
        *out = s;
    }
    proto_memzero(b.data, b.len); /* it held the network key */
    proto_buf_release(&b);
    return rc;
}

int proto_invite_code_decode(const char *s, struct proto_invite_code *c)
{
    uint8_t raw[PROTO_INVITE_CODE_MAX], check[32];
    char text[PROTO_INVITE_CODE_MAX + 1];
    size_t pl = strlen(PROTO_INVITE_CODE_PREFIX), n, len = 0;
    struct proto_mp_doc d;
    const msgpack_object *f;
    const uint8_t *tok;
    const char *addr;
    size_t tlen, alen;
    uint64_t version;
    int rc;

    memset(c, 0, sizeof *c);
    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n <= pl || n - pl > PROTO_INVITE_CODE_MAX || strncmp(s, PROTO_INVITE_CODE_PREFIX, pl) != 0)
        return ERR_INVITE;
    if ((rc = proto_mp_doc_init(&d)) < 0)
        return rc;
    memcpy(text, s + pl, n - pl);
    text[n - pl] = '\0';
    if (proto_b64_decode(text, raw, sizeof raw, &len) < 0 || len < 5)
        rc = ERR_INVITE;
    if (rc == 0) {
        proto_sha256(raw, len - 4, check);
        if (memcmp(check, raw + len - 4, 4) != 0)
            rc = ERR_INVITE;
    }
    if (rc == 0)
        rc = proto_mp_doc_parse(&d, raw, len - 4);
    if (rc == 0 && (proto_mp_array(&d.root, 4, &f) < 0 || proto_mp_u64(&f[0], &version) < 0))
        rc = ERR_INVITE;
    if (rc == 0 && version != PROTO_INVITE_VERSION)
        rc = ERR_VERSION;
    if (rc == 0 && (proto_mp_bin_fixed(&f[1], c->netkey, 32) < 0 ||
                    proto_mp_str_ref(&f[2], &addr, &alen, PROTO_INVITE_ADDR_MAX) < 0 ||
                    proto_mp_bin_ref(&f[3], &tok, &tlen, PROTO_INVITE_TOKEN_MAX) < 0))
        rc = ERR_INVITE;
    if (rc == 0) {
        memcpy(c->addr, addr, alen);
        c->addr[alen] = '\0';
        if (!addr_ok(c->addr) || strlen(c->addr) != alen)
            rc = ERR_INVITE;
    }
    if (rc == 0) {
        memcpy(c->token, tok, tlen);
        c->token_len = tlen;
        rc = proto_invite_parse(c->token, c->token_len, &c->inv);
    }
    if (rc < 0 && rc != -ENOMEM && rc != ERR_BADSIG && rc != ERR_VERSION)
        rc = ERR_INVITE;
    proto_mp_doc_release(&d);
    proto_memzero(raw, sizeof raw);
    proto_memzero(text, sizeof text);
    if (rc < 0)
        proto_memzero(c, sizeof *c);
    return rc;
}

/* ---- join requests ---- */

static int join_unpack(const msgpack_object *f, uint32_t n, void *out)
{
    struct proto_join *j = out;
    const char *note;
    size_t nlen;

    (void)n;
    if (proto_mp_bin_fixed(&f[1], j->ledger, 32) < 0 ||
        proto_mp_bin_fixed(&f[2], j->sign_pk, 32) < 0 ||
        proto_mp_bin_fixed(&f[3], j->box_pk, 32) < 0 ||
        proto_mp_bin_fixed(&f[4], j->card_sig, 64) < 0 || proto_mp_u32(&f[5], &j->member) < 0 ||
        proto_mp_u64(&f[6], &j->time) < 0 ||
        proto_mp_str_ref(&f[7], &note, &nlen, PROTO_JOIN_NOTE_MAX) < 0 ||
        memchr(note, '\0', nlen))
        return ERR_BADFRAME;
    memcpy(j->note, note, nlen);
    j->note[nlen] = '\0';
    return proto_card_verify(j->sign_pk, j->box_pk, j->card_sig);
}

static const uint8_t *join_signer(const void *out)
{
    return ((const struct proto_join *)out)->sign_pk;
}

int proto_join_sign(const struct proto_keys *k, struct proto_join *j, struct proto_buf *out)
{
    struct proto_buf body;
    size_t nlen = strlen(j->note);
    int rc;

    if (nlen > PROTO_JOIN_NOTE_MAX || !proto_mp_utf8_valid((const uint8_t *)j->note, nlen))
        return -EINVAL;
    memcpy(j->sign_pk, k->sign_pk, 32);
    memcpy(j->box_pk, k->box_pk, 32);
    proto_card_sign(k, j->card_sig);
    proto_buf_init(&body);
    rc = proto_mp_put_array(&body, JOIN_BODY_ARITY);
    if (rc == 0)
        rc = proto_mp_put_uint(&body, PROTO_INVITE_VERSION);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, j->ledger, 32);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, j->sign_pk, 32);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, j->box_pk, 32);
    if (rc == 0)
        rc = proto_mp_put_bin(&body, j->card_sig, 64);
    if (rc == 0)
        rc = proto_mp_put_uint(&body, j->member);
    if (rc == 0)
        rc = proto_mp_put_uint(&body, j->time);
    if (rc == 0)
        rc = proto_mp_put_str(&body, j->note, nlen);
    if (rc == 0)
        rc = put_signed(k, PROTO_JOIN_SIG_PREFIX, sizeof PROTO_JOIN_SIG_PREFIX, &body, out);
    proto_buf_release(&body);
    return rc;
}

int proto_join_parse(const uint8_t *p, size_t n, struct proto_join *j)
{
    int rc;

    memset(j, 0, sizeof *j);
    rc = parse_signed(p, n, PROTO_JOIN_MAX, JOIN_BODY_ARITY, join_unpack, j, join_signer,
                      PROTO_JOIN_SIG_PREFIX, sizeof PROTO_JOIN_SIG_PREFIX);
    if (rc < 0)
        memset(j, 0, sizeof *j);
    return rc;
}
