/*
 * Entry parsing, signing and verification. The wrapper and header are read straight from the
 * bytes after the strict scanner has accepted them (so every read below is in bounds and every
 * integer canonical); the body is left as bytes for the kind decoders.
 */
#include "proto/entry.h"

#include <errno.h>
#include <string.h>

#include "proto/acct.h"
#include "proto/close.h"
#include "proto/err.h"
#include "proto/mp.h"

#define NFIELDS        8
#define NFIELDS_STABLE 5 /* version, ledger, author, seq, prev: the same in every version */

/* A cursor over bytes the scanner has already accepted. */
struct cur {
    const uint8_t *p;
    const uint8_t *end;
};

static uint64_t be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* A non-negative integer; ERR_BADFRAME for any other type. */
static int cur_uint(struct cur *c, uint64_t *v)
{
    uint8_t t = *c->p;
    unsigned n;

    if (t <= 0x7f) {
        *v = t;
        c->p++;
        return 0;
    }
    switch (t) {
    case 0xcc:
        n = 1;
        break;
    case 0xcd:
        n = 2;
        break;
    case 0xce:
        n = 4;
        break;
    case 0xcf:
        n = 8;
        break;
    default:
        return ERR_BADFRAME;
    }
    *v = be(c->p + 1, n);
    c->p += 1 + n;
    return 0;
}

/* An array header: fixarray, array16 or array32. */
static int cur_array(struct cur *c, uint64_t *n)
{
    uint8_t t = *c->p;

    if ((t & 0xf0) == 0x90) {
        *n = t & 0x0f;
        c->p++;
        return 0;
    }
    if (t == 0xdc) {
        *n = be(c->p + 1, 2);
        c->p += 3;
        return 0;
    }
    if (t == 0xdd) {
        *n = be(c->p + 1, 4);
        c->p += 5;
        return 0;
    }
    return ERR_BADFRAME;
}

/* A 32-byte bin, or nil when nil_ok (then *present is false). */
static int cur_hash(struct cur *c, uint8_t out[32], bool nil_ok, bool *present)
{
    if (*c->p == 0xc0 && nil_ok) {
        c->p++;
        *present = false;
        return 0;
    }
    if (c->end - c->p < 34 || c->p[0] != 0xc4 || c->p[1] != 32)
        return ERR_BADFRAME;
    memcpy(out, c->p + 2, 32);
    c->p += 34;
    if (present)
        *present = true;
    return 0;
}

/* A bin of any length: sets *p and *n to its contents. */
static int cur_bin(struct cur *c, const uint8_t **p, size_t *n)
{
    unsigned hl;

    switch (*c->p) {
    case 0xc4:
        hl = 1;
        break;
    case 0xc5:
        hl = 2;
        break;
    case 0xc6:
        hl = 4;
        break;
    default:
        return ERR_BADFRAME;
    }
    *n = (size_t)be(c->p + 1, hl);
    *p = c->p + 1 + hl;
    c->p = *p + *n;
    return 0;
}

void proto_entry_id(const uint8_t *raw, size_t len, uint8_t id[32])
{
    static const uint8_t zero = 0;
    struct proto_sha256 h;

    proto_sha256_init(&h);
    proto_sha256_update(&h, &zero, 1);
    proto_sha256_update(&h, raw, len);
    proto_sha256_final(&h, id);
}

/* The rules an entry must meet on its own. */
static int header_rules(const struct proto_entry *e)
{
    if (e->seq == 0 || e->seq > PROTO_SEQ_MAX)
        return ERR_SEQ;
    if ((e->seq == 1) == e->has_prev)
        return ERR_SEQ;
    if (e->kind == PROTO_KIND_GENESIS) {
        if (e->has_ledger || e->seq != 1)
            return ERR_GENESIS;
    } else if (!e->has_ledger) {
        return ERR_LEDGER;
    }
    return 0;
}

static int entry_parse(const uint8_t *raw, size_t len, struct proto_entry *e, bool want_id);

int proto_entry_parse(const uint8_t *raw, size_t len, struct proto_entry *e)
{
    return entry_parse(raw, len, e, true);
}

int proto_entry_peek(const uint8_t *raw, size_t len, struct proto_entry *e)
{
    return entry_parse(raw, len, e, false);
}

static int entry_parse(const uint8_t *raw, size_t len, struct proto_entry *e, bool want_id)
{
    struct cur c;
    const uint8_t *sig;
    size_t siglen;
    uint64_t nfields;
    int rc;

    memset(e, 0, sizeof *e);
    if (len > PROTO_ENTRY_MAX)
        return ERR_TOOBIG;
    rc = proto_mp_check(raw, len);
    if (rc < 0)
        return rc;
    c.p = raw;
    c.end = raw + len;
    if (*c.p++ != 0x92)
        return ERR_BADFRAME;
    if (cur_bin(&c, &e->signed_bytes, &e->signed_len) < 0 || cur_bin(&c, &sig, &siglen) < 0 ||
        siglen != PROTO_SIG_LEN)
        return ERR_BADFRAME;
    e->sig = sig;

    /* The signed bytes are a msgpack document of their own: scan them before reading. */
    rc = proto_mp_check(e->signed_bytes, e->signed_len);
    if (rc < 0)
        return rc;
    c.p = e->signed_bytes;
    c.end = e->signed_bytes + e->signed_len;
    if (cur_array(&c, &nfields) < 0 || nfields < NFIELDS_STABLE)
        return ERR_BADFRAME;
    if (cur_uint(&c, &e->version) < 0)
        return ERR_BADFRAME;
    if (e->version == 0 || (e->version == PROTO_ENTRY_VERSION && nfields != NFIELDS))
        return ERR_VERSION;
    if (cur_hash(&c, e->ledger, true, &e->has_ledger) < 0 ||
        cur_hash(&c, e->author, false, NULL) < 0 || cur_uint(&c, &e->seq) < 0 ||
        cur_hash(&c, e->prev, true, &e->has_prev) < 0)
        return ERR_BADFRAME;
    if (e->version > PROTO_ENTRY_VERSION) {
        /*
         * A newer version: the first five fields keep their meaning in every version, so the
         * entry can be placed in its feed, verified, stored and relayed; the rest is opaque to
         * us and the entry has no effect here (kind PROTO_KIND_NEWER, reported as a finding).
         */
        e->kind = PROTO_KIND_NEWER;
        e->body = c.p;
        e->body_len = (size_t)(c.end - c.p);
        if (!e->has_ledger)
            return ERR_LEDGER;
    } else {
        if (cur_uint(&c, &e->time_ms) < 0 || cur_uint(&c, &e->kind) < 0)
            return ERR_BADFRAME;
        if (e->kind == PROTO_KIND_NEWER)
            return ERR_BADFRAME; /* kind 0 is reserved for newer-version entries */
        /* The scanner proved the array holds exactly eight objects: the body is what is left. */
        e->body = c.p;
        e->body_len = (size_t)(c.end - c.p);
        if (e->body_len == 0)
            return ERR_BADFRAME;
    }
    e->raw = raw;
    e->raw_len = len;
    rc = header_rules(e);
    if (rc < 0)
        return rc;
    if (want_id)
        proto_entry_id(raw, len, e->id);
    return 0;
}

int proto_entry_verify(const struct proto_entry *e)
{
    return proto_verify(e->author, PROTO_ENTRY_SIG_PREFIX, sizeof PROTO_ENTRY_SIG_PREFIX,
                        e->signed_bytes, e->signed_len, e->sig);
}

int proto_entry_build(struct proto_buf *out, const struct proto_keys *k, const uint8_t *ledger,
                      uint64_t seq, const uint8_t *prev, uint64_t time_ms, uint64_t kind,
                      const uint8_t *body, size_t body_len)
{
    struct proto_buf sb;
    uint8_t sig[PROTO_SIG_LEN];
    size_t start = out->len, used;
    int rc;

    if (seq == 0 || seq > PROTO_SEQ_MAX || (seq == 1) != (prev == NULL))
        return ERR_SEQ;
    if (kind == PROTO_KIND_NEWER)
        return ERR_BADFRAME; /* kind 0 only stands for entries of a newer version */
    if ((kind == PROTO_KIND_GENESIS) != (ledger == NULL) ||
        (kind == PROTO_KIND_GENESIS && seq != 1))
        return ERR_GENESIS;
    /* The body sits one level down in the signed array, so it may nest one level less than a
     * whole document: otherwise build would sign an entry that parse refuses (ERR_DEPTH). */
    rc = proto_mp_scan(body, body_len, PROTO_MP_DEPTH_MAX - 1, &used);
    if (rc < 0)
        return rc;
    if (used != body_len)
        return ERR_BADFRAME;
    proto_buf_init(&sb);
    if ((rc = proto_mp_put_array(&sb, NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(&sb, PROTO_ENTRY_VERSION)) < 0 ||
        (rc = ledger ? proto_mp_put_bin(&sb, ledger, 32) : proto_mp_put_nil(&sb)) < 0 ||
        (rc = proto_mp_put_bin(&sb, k->sign_pk, 32)) < 0 ||
        (rc = proto_mp_put_uint(&sb, seq)) < 0 ||
        (rc = prev ? proto_mp_put_bin(&sb, prev, 32) : proto_mp_put_nil(&sb)) < 0 ||
        (rc = proto_mp_put_uint(&sb, time_ms)) < 0 || (rc = proto_mp_put_uint(&sb, kind)) < 0 ||
        (rc = proto_buf_append(&sb, body, body_len)) < 0)
        goto out;
    rc = proto_sign(k, PROTO_ENTRY_SIG_PREFIX, sizeof PROTO_ENTRY_SIG_PREFIX, sb.data, sb.len, sig);
    if (rc < 0)
        goto out;
    if ((rc = proto_mp_put_array(out, 2)) < 0 ||
        (rc = proto_mp_put_bin(out, sb.data, sb.len)) < 0 ||
        (rc = proto_mp_put_bin(out, sig, sizeof sig)) < 0)
        goto out;
    if (out->len - start > PROTO_ENTRY_MAX)
        rc = ERR_TOOBIG;
out:
    if (rc < 0)
        out->len = start;
    proto_buf_release(&sb);
    return rc;
}

const char *proto_kind_name(uint64_t kind)
{
    switch (kind) {
    case PROTO_KIND_GENESIS:
        return "genesis";
    case PROTO_KIND_ADMIT:
        return "admit";
    case PROTO_KIND_REVOKE:
        return "revoke";
    case PROTO_KIND_JOURNAL:
        return "journal";
    case PROTO_KIND_NEWER:
        return "newer-version";
    case PROTO_KIND_PARAMS:
        return "params";
    case PROTO_KIND_RESOLUTION:
        return "resolution";
    case PROTO_KIND_CLOSE:
        return "close";
    case PROTO_KIND_FRONTIER_PART:
        return "frontier-part";
    case PROTO_KIND_SHU_ALLOCATE:
        return "shu-allocate";
    case PROTO_KIND_SHU_PAY:
        return "shu-pay";
    case 80: /* PROTO_KIND_CHECKPOINT (proto/checkpoint.h) */
        return "checkpoint";
    case 81: /* PROTO_KIND_COSIGN */
        return "cosign";
    default:
        return proto_acct_kind_name(kind) ? proto_acct_kind_name(kind) : "unknown";
    }
}
