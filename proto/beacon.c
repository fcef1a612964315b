/*
 * LAN beacons as pure functions: the beacon key, the canonical plaintext and the sealed datagram
 * (see beacon.h for the format). Opening checks the cheap things first (size, magic) so that
 * noise on the port costs no cryptography, then the tag, and only authenticated bytes reach the
 * strict scanner and msgpack-c. Fuzzed by fuzz_beacon.
 */
#include "proto/beacon.h"

#include <errno.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/mp.h"

/*
 * The largest plaintext: fixarray, version (positive fixint), port (uint16), bin8 header and 32
 * bytes, time (uint64).
 */
#define BEACON_PLAIN_MAX (1 + 1 + 3 + (2 + 32) + 9)

_Static_assert(sizeof PROTO_BEACON_MAGIC - 1 == PROTO_BEACON_MAGIC_LEN, "the magic is 4 bytes");
_Static_assert(sizeof PROTO_BEACON_KEY_LABEL == 16, "the key label is 15 bytes and its NUL");
_Static_assert(PROTO_BEACON_NONCE_LEN == PROTO_AEAD_NONCE_LEN, "XChaCha20 nonce");
_Static_assert(PROTO_BEACON_TAG_LEN == PROTO_AEAD_TAG_LEN, "Poly1305 tag");
_Static_assert(PROTO_BEACON_OVERHEAD + BEACON_PLAIN_MAX <= PROTO_BEACON_MAX,
               "the largest beacon fits");

void proto_beacon_key(const uint8_t netkey[32], const uint8_t ledger[32], uint8_t key[32])
{
    proto_hmac_sha256(netkey, 32, PROTO_BEACON_KEY_LABEL, sizeof PROTO_BEACON_KEY_LABEL, ledger,
                      32, key);
}

int proto_beacon_encode(const struct proto_beacon *b, struct proto_buf *out)
{
    size_t start = out->len;
    int rc;

    if (b->port == 0)
        return -EINVAL;
    rc = proto_mp_put_array(out, PROTO_BEACON_NFIELDS);
    if (rc == 0)
        rc = proto_mp_put_uint(out, PROTO_BEACON_VERSION);
    if (rc == 0)
        rc = proto_mp_put_uint(out, b->port);
    if (rc == 0)
        rc = proto_mp_put_bin(out, b->sign_pk, sizeof b->sign_pk);
    if (rc == 0)
        rc = proto_mp_put_uint(out, b->time);
    if (rc < 0)
        out->len = start;
    return rc;
}

static int beacon_unpack(const msgpack_object *o, void *out)
{
    struct proto_beacon *b = out;
    const msgpack_object *f;
    uint64_t version, port;

    if (proto_mp_array(o, PROTO_BEACON_NFIELDS, &f) < 0 || proto_mp_u64(&f[0], &version) < 0 ||
        proto_mp_u64_max(&f[1], UINT16_MAX, &port) < 0 ||
        proto_mp_bin_fixed(&f[2], b->sign_pk, sizeof b->sign_pk) < 0 ||
        proto_mp_u64(&f[3], &b->time) < 0)
        return ERR_BADFRAME;
    if (version != PROTO_BEACON_VERSION)
        return ERR_VERSION;
    if (port == 0)
        return ERR_BADFRAME;
    b->port = (uint16_t)port;
    return 0;
}

int proto_beacon_decode(const uint8_t *p, size_t n, struct proto_beacon *b)
{
    int rc;

    memset(b, 0, sizeof *b);
    if (n > PROTO_BEACON_MAX)
        return ERR_TOOBIG;
    rc = proto_mp_decode(p, n, beacon_unpack, b);
    if (rc < 0)
        memset(b, 0, sizeof *b);
    return rc;
}

int proto_beacon_seal_nonce(const uint8_t key[32], const uint8_t nonce[PROTO_BEACON_NONCE_LEN],
                            const struct proto_beacon *b, uint8_t out[PROTO_BEACON_MAX],
                            size_t *len)
{
    struct proto_buf pt;
    int rc;

    *len = 0;
    proto_buf_init(&pt);
    rc = proto_beacon_encode(b, &pt);
    if (rc < 0)
        goto out;
    if (pt.len > BEACON_PLAIN_MAX) { /* cannot happen: the encoding is bounded */
        rc = ERR_TOOBIG;
        goto out;
    }
    memcpy(out, PROTO_BEACON_MAGIC, PROTO_BEACON_MAGIC_LEN);
    memcpy(out + PROTO_BEACON_MAGIC_LEN, nonce, PROTO_BEACON_NONCE_LEN);
    /* The magic is the additional data: it is authenticated though it travels in clear. */
    rc = proto_aead_seal(out + PROTO_BEACON_MAGIC_LEN + PROTO_BEACON_NONCE_LEN, pt.data, pt.len,
                         out, PROTO_BEACON_MAGIC_LEN, nonce, key);
    if (rc == 0)
        *len = PROTO_BEACON_OVERHEAD + pt.len;
out:
    proto_buf_release(&pt);
    return rc;
}

int proto_beacon_seal(const uint8_t key[32], const struct proto_beacon *b,
                      uint8_t out[PROTO_BEACON_MAX], size_t *len)
{
    uint8_t nonce[PROTO_BEACON_NONCE_LEN];

    proto_random(nonce, sizeof nonce);
    return proto_beacon_seal_nonce(key, nonce, b, out, len);
}

int proto_beacon_open(const uint8_t key[32], const uint8_t *p, size_t n, struct proto_beacon *b)
{
    const uint8_t *nonce, *ct;
    uint8_t pt[PROTO_BEACON_MAX];
    size_t ctlen;
    int rc;

    memset(b, 0, sizeof *b);
    if (n > PROTO_BEACON_MAX)
        return ERR_TOOBIG;
    if (n < PROTO_BEACON_OVERHEAD)
        return ERR_TRUNC;
    if (memcmp(p, PROTO_BEACON_MAGIC, PROTO_BEACON_MAGIC_LEN) != 0)
        return ERR_VERSION;
    nonce = p + PROTO_BEACON_MAGIC_LEN;
    ct = nonce + PROTO_BEACON_NONCE_LEN;
    ctlen = n - PROTO_BEACON_MAGIC_LEN - PROTO_BEACON_NONCE_LEN;
    rc = proto_aead_open(pt, ct, ctlen, p, PROTO_BEACON_MAGIC_LEN, nonce, key);
    if (rc < 0)
        return rc;
    return proto_beacon_decode(pt, ctlen - PROTO_BEACON_TAG_LEN, b);
}

bool proto_beacon_fresh(const struct proto_beacon *b, uint64_t now_s)
{
    uint64_t d = b->time > now_s ? b->time - now_s : now_s - b->time;

    return d <= PROTO_BEACON_SKEW_S;
}
