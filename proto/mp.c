/*
 * Canonical msgpack: the strict scanner that stands between untrusted bytes and msgpack-c, the
 * writers that produce the one canonical encoding of each value, and the typed readers that turn
 * msgpack-c objects into checked C values. The scanner and the writers encode the same rules, so
 * anything the scanner accepts decodes and re-encodes to the same bytes (fuzzed by fuzz_mp).
 */
#include "proto/mp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"

/*
 * The scanner keeps one counter per open array on the stack, so it cannot follow arbitrarily deep
 * nesting; a max_depth above this is treated as this. saksi itself never asks for more than
 * PROTO_MP_DEPTH_MAX.
 */
#define MP_SCAN_LEVELS 128

/* The zone's chunk size: a typical entry decodes into a few dozen objects of 24 bytes. */
#define MP_ZONE_CHUNK 2048

enum mp_kind {
    MP_SCALAR, /* nil, bool or integer: the header is the whole object */
    MP_STR,
    MP_BIN,
    MP_ARRAY,
};

/* What one header announces. */
struct mp_head {
    enum mp_kind kind;
    size_t hlen; /* header bytes, including an integer's value bytes */
    uint32_t n;  /* str/bin payload bytes or array elements */
};

static uint64_t mp_load_be(const uint8_t *p, size_t width)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < width; i++)
        v = v << 8 | p[i];
    return v;
}

/*
 * An unsigned integer in a width-byte form must not fit the next smaller form; min is the
 * smallest value that needs this one.
 */
static int mp_head_uint(const uint8_t *p, size_t rem, size_t width, uint64_t min, struct mp_head *h)
{
    if (rem < 1 + width)
        return ERR_TRUNC;
    if (mp_load_be(p + 1, width) < min)
        return ERR_NONCANON;
    h->kind = MP_SCALAR;
    h->hlen = 1 + width;
    return 0;
}

/*
 * A signed integer form is canonical only for a negative value below min (the smallest value the
 * next smaller form holds): non-negative values belong in the unsigned forms.
 */
static int mp_head_int(const uint8_t *p, size_t rem, size_t width, int64_t min, struct mp_head *h)
{
    uint64_t u;
    int64_t v;

    if (rem < 1 + width)
        return ERR_TRUNC;
    u = mp_load_be(p + 1, width);
    if ((u >> (8 * width - 1)) == 0)
        return ERR_NONCANON; /* not negative */
    /* Sign-extend, then negate without implementation-defined unsigned-to-signed conversion. */
    if (width < 8)
        u |= ~(uint64_t)0 << (8 * width);
    v = -(int64_t)~u - 1;
    if (v >= min)
        return ERR_NONCANON;
    h->kind = MP_SCALAR;
    h->hlen = 1 + width;
    return 0;
}

/* A str, bin or array length in a width-byte header must not fit the next smaller form. */
static int mp_head_len(const uint8_t *p, size_t rem, size_t width, uint32_t min, enum mp_kind kind,
                       struct mp_head *h)
{
    uint32_t n;

    if (rem < 1 + width)
        return ERR_TRUNC;
    n = (uint32_t)mp_load_be(p + 1, width);
    if (n < min)
        return ERR_NONCANON;
    h->kind = kind;
    h->hlen = 1 + width;
    h->n = n;
    return 0;
}

/* Decode and check the header at p (rem >= 1 bytes remain). */
static int mp_head_read(const uint8_t *p, size_t rem, struct mp_head *h)
{
    uint8_t c = p[0];

    h->kind = MP_SCALAR;
    h->hlen = 1;
    h->n = 0;
    if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3)
        return 0;
    if (c >= 0x90 && c <= 0x9f) {
        h->kind = MP_ARRAY;
        h->n = c & 0x0fu;
        return 0;
    }
    if (c >= 0xa0 && c <= 0xbf) {
        h->kind = MP_STR;
        h->n = c & 0x1fu;
        return 0;
    }
    switch (c) {
    case 0xc4:
        return mp_head_len(p, rem, 1, 0, MP_BIN, h);
    case 0xc5:
        return mp_head_len(p, rem, 2, 0x100, MP_BIN, h);
    case 0xc6:
        return mp_head_len(p, rem, 4, 0x10000, MP_BIN, h);
    case 0xcc:
        return mp_head_uint(p, rem, 1, 0x80, h);
    case 0xcd:
        return mp_head_uint(p, rem, 2, 0x100, h);
    case 0xce:
        return mp_head_uint(p, rem, 4, 0x10000, h);
    case 0xcf:
        return mp_head_uint(p, rem, 8, (uint64_t)1 << 32, h);
    case 0xd0:
        return mp_head_int(p, rem, 1, -32, h);
    case 0xd1:
        return mp_head_int(p, rem, 2, INT8_MIN, h);
    case 0xd2:
        return mp_head_int(p, rem, 4, INT16_MIN, h);
    case 0xd3:
        return mp_head_int(p, rem, 8, INT32_MIN, h);
    case 0xd9:
        return mp_head_len(p, rem, 1, 32, MP_STR, h);
    case 0xda:
        return mp_head_len(p, rem, 2, 0x100, MP_STR, h);
    case 0xdb:
        return mp_head_len(p, rem, 4, 0x10000, MP_STR, h);
    case 0xdc:
        return mp_head_len(p, rem, 2, 16, MP_ARRAY, h);
    case 0xdd:
        return mp_head_len(p, rem, 4, 0x10000, MP_ARRAY, h);
    default:
        /* Maps, floats, ext and 0xc1. */
        return ERR_TYPE;
    }
}

/*
 * Well-formed UTF-8 as Unicode's table 3-7 defines it: the second byte's range depends on the
 * lead byte, which rules out overlong forms, surrogates and code points above U+10FFFF.
 */
bool proto_mp_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0, k, more;
    uint8_t c, lo, hi;

    while (i < n) {
        c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        lo = 0x80;
        hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            return false;
        }
        if (n - i - 1 < more)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (k = 2; k <= more; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return false;
        i += 1 + more;
    }
    return true;
}

/*
 * One pass, no recursion. left[] holds, for each open array, how many of its elements have not
 * started yet; pending is their sum. Every one of them needs at least one byte, so a declared
 * size is checked against the remaining bytes minus pending: the elements msgpack-c will
 * preallocate can never add up to more than the input's length.
 */
int proto_mp_scan(const uint8_t *p, size_t len, unsigned max_depth, size_t *used)
{
    uint32_t left[MP_SCAN_LEVELS];
    unsigned top = 0, limit = max_depth < MP_SCAN_LEVELS ? max_depth : MP_SCAN_LEVELS;
    size_t pos = 0, pending = 0, rem;
    struct mp_head h;
    int rc;

    for (;;) {
        if (top > 0) {
            left[top - 1]--;
            pending--;
        }
        if (pos >= len)
            return ERR_TRUNC;
        rc = mp_head_read(p + pos, len - pos, &h);
        if (rc < 0)
            return rc;
        pos += h.hlen;
        rem = len - pos;
        if (h.kind == MP_ARRAY && top >= limit)
            return ERR_DEPTH;
        if (pending > rem || h.n > rem - pending)
            return ERR_TRUNC;
        if (h.kind == MP_ARRAY && h.n > 0) {
            left[top++] = h.n;
            pending += h.n;
            continue;
        }
        if (h.kind == MP_STR && !proto_mp_utf8_valid(p + pos, h.n))
            return ERR_UTF8;
        if (h.kind == MP_STR || h.kind == MP_BIN)
            pos += h.n;
        /* An object is complete; so is every open array whose last element it was. */
        while (top > 0 && left[top - 1] == 0)
            top--;
        if (top == 0)
            break;
    }
    *used = pos;
    return 0;
}

int proto_mp_check(const uint8_t *p, size_t len)
{
    size_t used;
    int rc;

    rc = proto_mp_scan(p, len, PROTO_MP_DEPTH_MAX, &used);
    if (rc < 0)
        return rc;
    return used == len ? 0 : ERR_BADFRAME;
}

/*
 * Writers. Each builds its header locally and appends header and payload together, so a failed
 * append leaves the buffer as it was.
 */

static size_t mp_store_be(uint8_t *h, uint8_t tag, uint64_t v, size_t width)
{
    size_t i;

    h[0] = tag;
    for (i = 0; i < width; i++)
        h[1 + i] = (uint8_t)(v >> (8 * (width - 1 - i)));
    return 1 + width;
}

static int mp_append(struct proto_buf *b, const uint8_t *h, size_t hlen, const void *p, size_t n)
{
    int rc;

    if (n > SIZE_MAX - hlen)
        return -ENOMEM;
    rc = proto_buf_reserve(b, hlen + n);
    if (rc < 0)
        return rc;
    memcpy(b->data + b->len, h, hlen);
    if (n > 0)
        memcpy(b->data + b->len + hlen, p, n);
    b->len += hlen + n;
    return 0;
}

/*
 * The shortest length header: a fix form (tag fix, up to fix_max) when fix_max is not 0, an
 * 8-bit form when t8 is not 0, then the 16- and 32-bit forms.
 */
static size_t mp_len_head(uint8_t *h, uint32_t n, uint8_t fix, uint32_t fix_max, uint8_t t8,
                          uint8_t t16, uint8_t t32)
{
    if (fix_max > 0 && n <= fix_max) {
        h[0] = (uint8_t)(fix | n);
        return 1;
    }
    if (t8 != 0 && n <= UINT8_MAX)
        return mp_store_be(h, t8, n, 1);
    if (n <= UINT16_MAX)
        return mp_store_be(h, t16, n, 2);
    return mp_store_be(h, t32, n, 4);
}

int proto_mp_put_nil(struct proto_buf *b)
{
    return proto_buf_append_byte(b, 0xc0);
}

int proto_mp_put_bool(struct proto_buf *b, bool v)
{
    return proto_buf_append_byte(b, v ? 0xc3 : 0xc2);
}

int proto_mp_put_uint(struct proto_buf *b, uint64_t v)
{
    uint8_t h[9];
    size_t hlen;

    if (v <= 0x7f) {
        h[0] = (uint8_t)v;
        hlen = 1;
    } else if (v <= UINT8_MAX) {
        hlen = mp_store_be(h, 0xcc, v, 1);
    } else if (v <= UINT16_MAX) {
        hlen = mp_store_be(h, 0xcd, v, 2);
    } else if (v <= UINT32_MAX) {
        hlen = mp_store_be(h, 0xce, v, 4);
    } else {
        hlen = mp_store_be(h, 0xcf, v, 8);
    }
    return mp_append(b, h, hlen, NULL, 0);
}

int proto_mp_put_int(struct proto_buf *b, int64_t v)
{
    uint8_t h[9];
    uint64_t u = (uint64_t)v; /* two's complement bits, as msgpack stores them */
    size_t hlen;

    if (v >= 0)
        return proto_mp_put_uint(b, u);
    if (v >= -32) {
        h[0] = (uint8_t)u;
        hlen = 1;
    } else if (v >= INT8_MIN) {
        hlen = mp_store_be(h, 0xd0, u, 1);
    } else if (v >= INT16_MIN) {
        hlen = mp_store_be(h, 0xd1, u, 2);
    } else if (v >= INT32_MIN) {
        hlen = mp_store_be(h, 0xd2, u, 4);
    } else {
        hlen = mp_store_be(h, 0xd3, u, 8);
    }
    return mp_append(b, h, hlen, NULL, 0);
}

int proto_mp_put_str(struct proto_buf *b, const char *s, size_t n)
{
    uint8_t h[5];
    size_t hlen;

    if ((uint64_t)n > UINT32_MAX)
        return ERR_TOOBIG;
    hlen = mp_len_head(h, (uint32_t)n, 0xa0, 31, 0xd9, 0xda, 0xdb);
    return mp_append(b, h, hlen, s, n);
}

int proto_mp_put_bin(struct proto_buf *b, const void *p, size_t n)
{
    uint8_t h[5];
    size_t hlen;

    if ((uint64_t)n > UINT32_MAX)
        return ERR_TOOBIG;
    hlen = mp_len_head(h, (uint32_t)n, 0, 0, 0xc4, 0xc5, 0xc6);
    return mp_append(b, h, hlen, p, n);
}

int proto_mp_put_array(struct proto_buf *b, uint32_t n)
{
    uint8_t h[5];
    size_t hlen;

    hlen = mp_len_head(h, n, 0x90, 15, 0, 0xdc, 0xdd);
    return mp_append(b, h, hlen, NULL, 0);
}

int proto_mp_doc_init(struct proto_mp_doc *d)
{
    memset(d, 0, sizeof *d);
    d->root.type = MSGPACK_OBJECT_NIL;
    if (!msgpack_zone_init(&d->zone, MP_ZONE_CHUNK)) {
        memset(&d->zone, 0, sizeof d->zone);
        return -ENOMEM;
    }
    return 0;
}

/*
 * Safe on NULL, twice, and after a failed init: a zone whose init failed or that was destroyed
 * here has no chunk list (msgpack_zone_destroy would follow it).
 */
void proto_mp_doc_release(struct proto_mp_doc *d)
{
    if (!d)
        return;
    if (d->zone.chunk_list.head)
        msgpack_zone_destroy(&d->zone);
    memset(d, 0, sizeof *d);
    d->root.type = MSGPACK_OBJECT_NIL;
}

int proto_mp_doc_parse(struct proto_mp_doc *d, const uint8_t *p, size_t len)
{
    msgpack_unpack_return ur;
    msgpack_object obj;
    size_t off = 0;
    int rc;

    d->root.type = MSGPACK_OBJECT_NIL;
    rc = proto_mp_check(p, len);
    if (rc < 0)
        return rc;
    msgpack_zone_clear(&d->zone);
    ur = msgpack_unpack((const char *)p, len, &off, &d->zone, &obj);
    if (ur == MSGPACK_UNPACK_NOMEM_ERROR)
        return -ENOMEM;
    if (ur != MSGPACK_UNPACK_SUCCESS || off != len)
        return ERR_BADFRAME;
    d->root = obj;
    return 0;
}

int proto_mp_array(const msgpack_object *o, uint32_t n, const msgpack_object **f)
{
    if (!o || o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != n)
        return ERR_BADFRAME;
    *f = o->via.array.ptr;
    return 0;
}

int proto_mp_array_max(const msgpack_object *o, uint32_t max, const msgpack_object **f, uint32_t *n)
{
    if (!o || o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size > max)
        return ERR_BADFRAME;
    *f = o->via.array.ptr;
    *n = o->via.array.size;
    return 0;
}

int proto_mp_u64(const msgpack_object *o, uint64_t *v)
{
    return proto_mp_u64_max(o, UINT64_MAX, v);
}

int proto_mp_u64_max(const msgpack_object *o, uint64_t max, uint64_t *v)
{
    if (!o || o->type != MSGPACK_OBJECT_POSITIVE_INTEGER || o->via.u64 > max)
        return ERR_BADFRAME;
    *v = o->via.u64;
    return 0;
}

int proto_mp_u32(const msgpack_object *o, uint32_t *v)
{
    uint64_t u;
    int rc;

    rc = proto_mp_u64_max(o, UINT32_MAX, &u);
    if (rc < 0)
        return rc;
    *v = (uint32_t)u;
    return 0;
}

int proto_mp_i64(const msgpack_object *o, int64_t *v)
{
    if (!o)
        return ERR_BADFRAME;
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX) {
        *v = (int64_t)o->via.u64;
        return 0;
    }
    /* msgpack-c reports only values below zero as negative. */
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER && o->via.i64 < 0) {
        *v = o->via.i64;
        return 0;
    }
    return ERR_BADFRAME;
}

int proto_mp_bool(const msgpack_object *o, bool *v)
{
    if (!o || o->type != MSGPACK_OBJECT_BOOLEAN)
        return ERR_BADFRAME;
    *v = o->via.boolean;
    return 0;
}

bool proto_mp_is_nil(const msgpack_object *o)
{
    return o && o->type == MSGPACK_OBJECT_NIL;
}

int proto_mp_bin_fixed(const msgpack_object *o, void *out, size_t n)
{
    if (!o || o->type != MSGPACK_OBJECT_BIN || o->via.bin.size != n)
        return ERR_BADFRAME;
    if (n > 0)
        memcpy(out, o->via.bin.ptr, n);
    return 0;
}

int proto_mp_bin_ref(const msgpack_object *o, const uint8_t **p, size_t *n, size_t max)
{
    if (!o || o->type != MSGPACK_OBJECT_BIN || o->via.bin.size > max)
        return ERR_BADFRAME;
    *p = (const uint8_t *)o->via.bin.ptr;
    *n = o->via.bin.size;
    return 0;
}

int proto_mp_str_ref(const msgpack_object *o, const char **s, size_t *n, size_t max)
{
    if (!o || o->type != MSGPACK_OBJECT_STR || o->via.str.size > max)
        return ERR_BADFRAME;
    *s = o->via.str.ptr;
    *n = o->via.str.size;
    return 0;
}

int proto_mp_str_dup(const msgpack_object *o, char **out, size_t max)
{
    const char *s;
    size_t n;
    char *c;
    int rc;

    rc = proto_mp_str_ref(o, &s, &n, max);
    if (rc < 0)
        return rc;
    if (n > 0 && memchr(s, '\0', n))
        return ERR_BADFRAME;
    c = malloc(n + 1);
    if (!c)
        return -ENOMEM;
    if (n > 0)
        memcpy(c, s, n);
    c[n] = '\0';
    *out = c;
    return 0;
}

int proto_mp_decode(const uint8_t *p, size_t len, proto_mp_unpack_fn *unpack, void *out)
{
    struct proto_mp_doc d;
    int rc = proto_mp_doc_init(&d);

    if (rc < 0)
        return rc;
    rc = proto_mp_doc_parse(&d, p, len);
    if (rc == 0)
        rc = unpack(&d.root, out);
    proto_mp_doc_release(&d);
    return rc;
}
