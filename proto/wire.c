/*
 * saksid's wire protocol as pure functions: the Noise prologue, the HMAC gate in front of the
 * handshake, the hello payload, and the encoders and decoders of the messages carried in
 * transport frames. Every encoder writes saksi's canonical msgpack and every decoder runs the
 * strict scanner before msgpack-c sees the bytes, so whatever decodes re-encodes to the same
 * bytes (fuzzed by fuzz_wire). The node does all the I/O.
 */
#include "proto/wire.h"

#include <errno.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/mp.h"

/*
 * The largest encodings, checked against the frame once here so that the encoders never need to
 * measure: a frontier row is a fixarray, two bin8 headers with 32 bytes each and a uint64; a
 * full FRONTIER adds its fixarray, type, array16 header and bool.
 */
#define WIRE_ROW_MAX      (1 + (2 + 32) + 9 + (2 + 32))
#define WIRE_FRONTIER_MAX (1 + 1 + 3 + PROTO_WIRE_FRONTIER_CHUNK * WIRE_ROW_MAX + 1)
/* The ENTRIES head while it is built: fixarray(2), type, array16 header with room for the count. */
#define WIRE_ENTRIES_HEAD 5
#define WIRE_FIXARRAY_MAX 15

_Static_assert(sizeof PROTO_WIRE_PROLOGUE_TAG == 8, "the prologue tag is 7 bytes and a NUL");
_Static_assert(WIRE_FRONTIER_MAX <= PROTO_WIRE_PLAIN_MAX, "a full FRONTIER fits in a frame");
_Static_assert(WIRE_ENTRIES_HEAD + 3 + PROTO_ENTRY_MAX <= PROTO_WIRE_PLAIN_MAX,
               "an entry of the largest size fits in an ENTRIES message alone");
_Static_assert(PROTO_WIRE_ENTRIES_MAX > WIRE_FIXARRAY_MAX && PROTO_WIRE_ENTRIES_MAX <= UINT16_MAX,
               "the ENTRIES count needs the array16 header reserved for it");
_Static_assert(PROTO_WIRE_PLAIN_MAX + 16 == PROTO_WIRE_FRAME_MAX, "a ChaChaPoly tag is 16 bytes");
#define WIRE_ROSTER_ROW_MAX (1 + (2 + 32) * 2 + 5 + 1 + 1)
_Static_assert(1 + 1 + 3 + PROTO_WIRE_ROSTER_CHUNK * WIRE_ROSTER_ROW_MAX + 1 <= PROTO_WIRE_PLAIN_MAX,
               "a full ROSTER fits in a frame");

/* Arity of each message type, the type included; 0 marks an unknown type. */
static const uint8_t wire_arity[] = {
    [PROTO_MSG_FRONTIER] = 3, [PROTO_MSG_ENTRIES] = 2, [PROTO_MSG_ACK] = 2,  [PROTO_MSG_ERROR] = 3,
    [PROTO_MSG_BYE] = 2,      [PROTO_MSG_PING] = 1,    [PROTO_MSG_PONG] = 1,  [PROTO_MSG_ADDRS] = 2,
    [PROTO_MSG_ROSTER] = 3,   [PROTO_MSG_JOIN] = 2,    [PROTO_MSG_JOINED] = 2, [PROTO_MSG_PRUNE] = 1,
    [PROTO_MSG_GRAFT] = 1,
};
#define WIRE_ARITY_MAX 3

void proto_wire_prologue(const uint8_t ledger[32], uint8_t out[PROTO_WIRE_PROLOGUE_LEN])
{
    memcpy(out, PROTO_WIRE_PROLOGUE_TAG, sizeof PROTO_WIRE_PROLOGUE_TAG);
    memcpy(out + sizeof PROTO_WIRE_PROLOGUE_TAG, ledger, 32);
}

void proto_wire_gate(const uint8_t netkey[32], const uint8_t prologue[PROTO_WIRE_PROLOGUE_LEN],
                     const uint8_t e[32], uint8_t out[32])
{
    proto_hmac_sha256(netkey, 32, prologue, PROTO_WIRE_PROLOGUE_LEN, e, 32, out);
}

int proto_wire_gate_verify(const uint8_t netkey[32],
                           const uint8_t prologue[PROTO_WIRE_PROLOGUE_LEN], const uint8_t e[32],
                           const uint8_t gate[32])
{
    uint8_t want[32];
    bool ok;

    proto_wire_gate(netkey, prologue, e, want);
    /* Constant-time, so that timing tells a prober nothing about how much of a guess was right. */
    ok = proto_memeq(want, gate, sizeof want);
    proto_memzero(want, sizeof want);
    return ok ? 0 : ERR_BADFRAME;
}

static bool wire_version_ok(uint32_t v)
{
    return v >= 1 && v <= PROTO_WIRE_VERSION_MAX;
}

int proto_hello_encode(const struct proto_hello *h, struct proto_buf *out)
{
    size_t start = out->len;
    int rc;

    if (!wire_version_ok(h->version_min) || !wire_version_ok(h->version_max) ||
        h->version_min > h->version_max || h->token_len > PROTO_INVITE_TOKEN_MAX)
        return -EINVAL;
    rc = proto_mp_put_array(out, h->token_len ? 4 : 3);
    if (rc == 0)
        rc = proto_mp_put_uint(out, h->version_min);
    if (rc == 0)
        rc = proto_mp_put_uint(out, h->version_max);
    if (rc == 0)
        rc = proto_mp_put_bin(out, h->sign_pk, sizeof h->sign_pk);
    if (rc == 0 && h->token_len)
        rc = proto_mp_put_bin(out, h->token, h->token_len);
    if (rc < 0)
        out->len = start;
    return rc;
}

static int wire_hello_unpack(const msgpack_object *o, void *out)
{
    struct proto_hello *h = out;
    const msgpack_object *f;
    const uint8_t *tok;
    uint64_t vmin, vmax;
    uint32_t n;

    if (proto_mp_array_max(o, 4, &f, &n) < 0 || n < 3)
        return ERR_BADFRAME;
    if (n == 4) {
        if (proto_mp_bin_ref(&f[3], &tok, &h->token_len, PROTO_INVITE_TOKEN_MAX) < 0 ||
            h->token_len == 0)
            return ERR_BADFRAME;
        memcpy(h->token, tok, h->token_len);
    }
    if (proto_mp_u64_max(&f[0], PROTO_WIRE_VERSION_MAX, &vmin) < 0 ||
        proto_mp_u64_max(&f[1], PROTO_WIRE_VERSION_MAX, &vmax) < 0 ||
        proto_mp_bin_fixed(&f[2], h->sign_pk, sizeof h->sign_pk) < 0)
        return ERR_BADFRAME;
    if (vmin < 1 || vmin > vmax)
        return ERR_BADFRAME;
    h->version_min = (uint32_t)vmin;
    h->version_max = (uint32_t)vmax;
    return 0;
}

int proto_hello_decode(const uint8_t *p, size_t n, struct proto_hello *h)
{
    int rc;

    memset(h, 0, sizeof *h);
    rc = proto_mp_decode(p, n, wire_hello_unpack, h);
    if (rc < 0)
        memset(h, 0, sizeof *h);
    return rc;
}

/* ---- Messages ---- */

static int wire_put_head(struct proto_buf *out, enum proto_msg_type type)
{
    int rc;

    rc = proto_mp_put_array(out, wire_arity[type]);
    if (rc == 0)
        rc = proto_mp_put_uint(out, type);
    return rc;
}

static int wire_frontier_unpack(const msgpack_object *f, struct proto_msg *m)
{
    const msgpack_object *rows, *r;
    struct proto_frontier_row *row;
    uint32_t n, i;

    if (proto_mp_array_max(&f[1], PROTO_WIRE_FRONTIER_CHUNK, &rows, &n) < 0)
        return ERR_BADFRAME;
    for (i = 0; i < n; i++) {
        row = &m->u.frontier.rows[i];
        if (proto_mp_array(&rows[i], 3, &r) < 0 ||
            proto_mp_bin_fixed(&r[0], row->author, sizeof row->author) < 0 ||
            proto_mp_u64(&r[1], &row->length) < 0 ||
            proto_mp_bin_fixed(&r[2], row->last_id, sizeof row->last_id) < 0)
            return ERR_BADFRAME;
    }
    if (proto_mp_bool(&f[2], &m->u.frontier.final) < 0)
        return ERR_BADFRAME;
    m->u.frontier.n = n;
    return 0;
}

/* The entries' bytes are msgpack-c's bin pointers, which point into the input itself. */
static int wire_entries_unpack(const msgpack_object *f, struct proto_msg *m)
{
    const msgpack_object *e;
    uint32_t n, i;

    if (proto_mp_array_max(&f[1], PROTO_WIRE_ENTRIES_MAX, &e, &n) < 0 || n == 0)
        return ERR_BADFRAME;
    for (i = 0; i < n; i++) {
        if (proto_mp_bin_ref(&e[i], &m->u.entries.p[i], &m->u.entries.len[i], PROTO_ENTRY_MAX) <
                0 ||
            m->u.entries.len[i] == 0)
            return ERR_BADFRAME;
    }
    m->u.entries.n = n;
    return 0;
}

static int wire_error_unpack(const msgpack_object *f, struct proto_msg *m)
{
    const char *s;
    size_t n;

    if (proto_mp_u32(&f[1], &m->u.error.code) < 0 ||
        proto_mp_str_ref(&f[2], &s, &n, PROTO_WIRE_TEXT_MAX) < 0)
        return ERR_BADFRAME;
    /* The text is handed on as a C string: a NUL inside would cut it short. */
    if (n > 0 && memchr(s, '\0', n))
        return ERR_BADFRAME;
    if (n > 0)
        memcpy(m->u.error.text, s, n);
    m->u.error.text[n] = '\0';
    return 0;
}

/* An IPv4 literal in dotted-quad form, each part 0..255 without leading zeros. */
static bool wire_ipv4_ok(const char *s, size_t n)
{
    unsigned parts = 0, val = 0, digits = 0;

    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (digits == 0 || val > 255 || ++parts > 4)
                return false;
            val = digits = 0;
        } else if (s[i] >= '0' && s[i] <= '9') {
            if (digits > 0 && val == 0)
                return false; /* a leading zero */
            val = val * 10 + (unsigned)(s[i] - '0');
            if (++digits > 3)
                return false;
        } else {
            return false;
        }
    }
    return parts == 4;
}

int proto_addr_parse(const char *s, char host[PROTO_WIRE_HOST_MAX + 1], int *port)
{
    const char *colon = strrchr(s, ':');
    size_t hl = colon ? (size_t)(colon - s) : 0;
    long p = 0;

    if (!colon || hl == 0 || hl > PROTO_WIRE_HOST_MAX || !wire_ipv4_ok(s, hl) || !colon[1] ||
        strlen(colon + 1) > 5)
        return -EINVAL;
    for (const char *q = colon + 1; *q; q++) {
        if (*q < '0' || *q > '9')
            return -EINVAL;
        p = p * 10 + (*q - '0');
    }
    if (p > 65535)
        return -EINVAL;
    memcpy(host, s, hl);
    host[hl] = '\0';
    *port = (int)p;
    return 0;
}

static int wire_addrs_unpack(const msgpack_object *f, struct proto_msg *m)
{
    const msgpack_object *rows, *r;
    const char *host;
    size_t hlen;
    uint64_t port;
    uint32_t n;

    if (proto_mp_array_max(&f[1], PROTO_WIRE_ADDRS_MAX, &rows, &n) < 0)
        return ERR_BADFRAME;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_addr_row *row = &m->u.addrs.rows[i];

        if (proto_mp_array(&rows[i], 3, &r) < 0 ||
            proto_mp_str_ref(&r[0], &host, &hlen, PROTO_WIRE_HOST_MAX) < 0 ||
            (hlen > 0 && !wire_ipv4_ok(host, hlen)) || proto_mp_u64_max(&r[1], 65535, &port) < 0 ||
            port == 0 || proto_mp_bin_fixed(&r[2], row->sign_pk, 32) < 0)
            return ERR_BADFRAME;
        if (hlen > 0) /* an empty str's pointer may be NULL */
            memcpy(row->host, host, hlen);
        row->host[hlen] = '\0';
        row->port = (uint16_t)port;
    }
    m->u.addrs.n = n;
    return 0;
}

static int wire_roster_unpack(const msgpack_object *f, struct proto_msg *m)
{
    const msgpack_object *rows, *r;
    uint64_t role;
    uint32_t n;

    if (proto_mp_array_max(&f[1], PROTO_WIRE_ROSTER_CHUNK, &rows, &n) < 0 ||
        proto_mp_bool(&f[2], &m->u.roster.final) < 0)
        return ERR_BADFRAME;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_roster_row *row = &m->u.roster.rows[i];

        if (proto_mp_array(&rows[i], 5, &r) < 0 || proto_mp_bin_fixed(&r[0], row->sign_pk, 32) < 0 ||
            proto_mp_bin_fixed(&r[1], row->box_pk, 32) < 0 || proto_mp_u32(&r[2], &row->member) < 0 ||
            proto_mp_u64_max(&r[3], 4, &role) < 0 || role == 0 ||
            proto_mp_bool(&r[4], &row->revoked) < 0)
            return ERR_BADFRAME;
        row->role = (uint8_t)role;
    }
    m->u.roster.n = n;
    return 0;
}

static int wire_msg_unpack(const msgpack_object *o, void *out)
{
    struct proto_msg *m = out;
    const msgpack_object *f;
    uint32_t n, type;

    if (proto_mp_array_max(o, WIRE_ARITY_MAX, &f, &n) < 0 || n == 0)
        return ERR_BADFRAME;
    if (proto_mp_u32(&f[0], &type) < 0 || type >= sizeof wire_arity || wire_arity[type] == 0 ||
        wire_arity[type] != n)
        return ERR_BADFRAME;
    switch (type) {
    case PROTO_MSG_FRONTIER:
        if (wire_frontier_unpack(f, m) < 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_ENTRIES:
        if (wire_entries_unpack(f, m) < 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_ACK:
        if (proto_mp_u64(&f[1], &m->u.ack.messages) < 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_ERROR:
        if (wire_error_unpack(f, m) < 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_BYE:
        if (proto_mp_u32(&f[1], &m->u.bye.reason) < 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_ADDRS:
        if (wire_addrs_unpack(f, m) < 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_ROSTER:
        if (wire_roster_unpack(f, m) < 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_JOIN:
        if (proto_mp_bin_ref(&f[1], &m->u.join.p, &m->u.join.len, PROTO_JOIN_MAX) < 0 ||
            m->u.join.len == 0)
            return ERR_BADFRAME;
        break;
    case PROTO_MSG_JOINED:
        if (proto_mp_u32(&f[1], &m->u.joined.code) < 0)
            return ERR_BADFRAME;
        break;
    default: /* PING, PONG, PRUNE, GRAFT: the type is the whole message */
        break;
    }
    m->type = type;
    return 0;
}

int proto_msg_decode(const uint8_t *p, size_t n, struct proto_msg *m)
{
    int rc;

    m->type = 0;
    /* Nothing larger fits in a frame, and the encoders could not reproduce it. */
    if (n > PROTO_WIRE_PLAIN_MAX)
        return ERR_TOOBIG;
    rc = proto_mp_decode(p, n, wire_msg_unpack, m);
    if (rc < 0)
        m->type = 0;
    return rc;
}

int proto_msg_frontier(struct proto_buf *out, const struct proto_frontier_row *rows, uint32_t n,
                       bool final)
{
    size_t start = out->len;
    uint32_t i;
    int rc;

    if (n > PROTO_WIRE_FRONTIER_CHUNK)
        return ERR_TOOBIG;
    if (n > 0 && !rows)
        return -EINVAL;
    rc = wire_put_head(out, PROTO_MSG_FRONTIER);
    if (rc == 0)
        rc = proto_mp_put_array(out, n);
    for (i = 0; rc == 0 && i < n; i++) {
        rc = proto_mp_put_array(out, 3);
        if (rc == 0)
            rc = proto_mp_put_bin(out, rows[i].author, sizeof rows[i].author);
        if (rc == 0)
            rc = proto_mp_put_uint(out, rows[i].length);
        if (rc == 0)
            rc = proto_mp_put_bin(out, rows[i].last_id, sizeof rows[i].last_id);
    }
    if (rc == 0)
        rc = proto_mp_put_bool(out, final);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_entries_begin(struct proto_msg_builder *b, struct proto_buf *out)
{
    static const uint8_t head[WIRE_ENTRIES_HEAD] = {0x92, PROTO_MSG_ENTRIES, 0xdc, 0, 0};
    int rc;

    b->out = NULL;
    b->start = out->len;
    b->n = 0;
    rc = proto_buf_append(out, head, sizeof head);
    if (rc == 0)
        b->out = out;
    return rc;
}

/* A bin header's size for len bytes (bin8, bin16, bin32). */
static size_t wire_bin_head(size_t len)
{
    return len <= UINT8_MAX ? 2 : len <= UINT16_MAX ? 3 : 5;
}

/*
 * Exact, not a bound: the finished message is the fixarray and type, the array header in the
 * shortest form for the new count, the entries so far and this one with its bin header.
 */
bool proto_msg_entries_room(const struct proto_msg_builder *b, size_t entry_len)
{
    size_t body, total;
    uint32_t n;

    if (!b->out || b->n >= PROTO_WIRE_ENTRIES_MAX || entry_len == 0 || entry_len > PROTO_ENTRY_MAX)
        return false;
    n = b->n + 1;
    body = b->out->len - b->start - WIRE_ENTRIES_HEAD;
    total = 2 + (n <= WIRE_FIXARRAY_MAX ? 1 : 3) + body + wire_bin_head(entry_len) + entry_len;
    return total <= PROTO_WIRE_PLAIN_MAX;
}

int proto_msg_entries_add(struct proto_msg_builder *b, const uint8_t *entry, size_t len)
{
    int rc;

    if (!b->out || len == 0 || !entry)
        return -EINVAL;
    if (!proto_msg_entries_room(b, len))
        return ERR_TOOBIG;
    rc = proto_mp_put_bin(b->out, entry, len);
    if (rc < 0)
        return rc;
    b->n++;
    return 0;
}

/*
 * Canonical msgpack wants the shortest array header, which is only known now: the array16 form
 * reserved by begin stays for 16 or more entries, and a fixarray replaces it for 1..15, with the
 * entries (at most 15 of them, so a short move) shifted down over the 2 spare bytes.
 */
int proto_msg_entries_end(struct proto_msg_builder *b)
{
    struct proto_buf *out = b->out;
    uint8_t *h;
    size_t body;

    if (!out)
        return -EINVAL;
    b->out = NULL; /* the builder is spent either way */
    if (b->n == 0) {
        out->len = b->start;
        return -EINVAL;
    }
    h = out->data + b->start + 2;
    body = out->len - b->start - WIRE_ENTRIES_HEAD;
    if (b->n <= WIRE_FIXARRAY_MAX) {
        h[0] = (uint8_t)(0x90 | b->n);
        memmove(h + 1, h + 3, body);
        out->len -= 2;
    } else {
        h[0] = 0xdc;
        h[1] = (uint8_t)(b->n >> 8);
        h[2] = (uint8_t)b->n;
    }
    return 0;
}

int proto_msg_ack(struct proto_buf *out, uint64_t messages)
{
    size_t start = out->len;
    int rc;

    rc = wire_put_head(out, PROTO_MSG_ACK);
    if (rc == 0)
        rc = proto_mp_put_uint(out, messages);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_error(struct proto_buf *out, uint32_t code, const char *text)
{
    size_t start = out->len, n;
    int rc;

    if (!text)
        return -EINVAL;
    n = strnlen(text, PROTO_WIRE_TEXT_MAX + 1);
    if (n > PROTO_WIRE_TEXT_MAX)
        return ERR_TOOBIG;
    rc = wire_put_head(out, PROTO_MSG_ERROR);
    if (rc == 0)
        rc = proto_mp_put_uint(out, code);
    if (rc == 0)
        rc = proto_mp_put_str(out, text, n);
    /* The writers take a str as it comes; the scanner is what knows UTF-8 (ERR_UTF8). */
    if (rc == 0)
        rc = proto_mp_check(out->data + start, out->len - start);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_bye(struct proto_buf *out, uint32_t reason)
{
    size_t start = out->len;
    int rc;

    rc = wire_put_head(out, PROTO_MSG_BYE);
    if (rc == 0)
        rc = proto_mp_put_uint(out, reason);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_ping(struct proto_buf *out)
{
    size_t start = out->len;
    int rc;

    rc = wire_put_head(out, PROTO_MSG_PING);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_pong(struct proto_buf *out)
{
    size_t start = out->len;
    int rc;

    rc = wire_put_head(out, PROTO_MSG_PONG);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_addrs(struct proto_buf *out, const struct proto_addr_row *rows, uint32_t n)
{
    size_t start = out->len;
    int rc;

    if (n > PROTO_WIRE_ADDRS_MAX)
        return ERR_TOOBIG;
    for (uint32_t i = 0; i < n; i++) {
        size_t hl = strnlen(rows[i].host, sizeof rows[i].host);

        if (hl == sizeof rows[i].host || (hl > 0 && !wire_ipv4_ok(rows[i].host, hl)) ||
            rows[i].port == 0)
            return -EINVAL;
    }
    rc = wire_put_head(out, PROTO_MSG_ADDRS);
    if (rc == 0)
        rc = proto_mp_put_array(out, n);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        rc = proto_mp_put_array(out, 3);
        if (rc == 0)
            rc = proto_mp_put_str(out, rows[i].host, strlen(rows[i].host));
        if (rc == 0)
            rc = proto_mp_put_uint(out, rows[i].port);
        if (rc == 0)
            rc = proto_mp_put_bin(out, rows[i].sign_pk, 32);
    }
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_roster(struct proto_buf *out, const struct proto_roster_row *rows, uint32_t n,
                     bool final)
{
    size_t start = out->len;
    int rc;

    if (n > PROTO_WIRE_ROSTER_CHUNK)
        return ERR_TOOBIG;
    for (uint32_t i = 0; i < n; i++)
        if (rows[i].role < 1 || rows[i].role > 4)
            return -EINVAL;
    rc = wire_put_head(out, PROTO_MSG_ROSTER);
    if (rc == 0)
        rc = proto_mp_put_array(out, n);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        rc = proto_mp_put_array(out, 5);
        if (rc == 0)
            rc = proto_mp_put_bin(out, rows[i].sign_pk, 32);
        if (rc == 0)
            rc = proto_mp_put_bin(out, rows[i].box_pk, 32);
        if (rc == 0)
            rc = proto_mp_put_uint(out, rows[i].member);
        if (rc == 0)
            rc = proto_mp_put_uint(out, rows[i].role);
        if (rc == 0)
            rc = proto_mp_put_bool(out, rows[i].revoked);
    }
    if (rc == 0)
        rc = proto_mp_put_bool(out, final);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_join(struct proto_buf *out, const uint8_t *req, size_t len)
{
    size_t start = out->len;
    int rc;

    if (!req || len == 0 || len > PROTO_JOIN_MAX)
        return -EINVAL;
    rc = wire_put_head(out, PROTO_MSG_JOIN);
    if (rc == 0)
        rc = proto_mp_put_bin(out, req, len);
    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_joined(struct proto_buf *out, uint32_t code)
{
    size_t start = out->len;
    int rc;

    rc = wire_put_head(out, PROTO_MSG_JOINED);
    if (rc == 0)
        rc = proto_mp_put_uint(out, code);
    if (rc < 0)
        out->len = start;
    return rc;
}

static int wire_bare(struct proto_buf *out, enum proto_msg_type type)
{
    size_t start = out->len;
    int rc = wire_put_head(out, type);

    if (rc < 0)
        out->len = start;
    return rc;
}

int proto_msg_prune(struct proto_buf *out)
{
    return wire_bare(out, PROTO_MSG_PRUNE);
}

int proto_msg_graft(struct proto_buf *out)
{
    return wire_bare(out, PROTO_MSG_GRAFT);
}
