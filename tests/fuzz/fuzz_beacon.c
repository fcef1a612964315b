/*
 * Fuzz target for proto/beacon. Each input is tried three ways: as a received datagram under a
 * fixed beacon key (what the UDP socket hands saksid), as a beacon plaintext, and as a plaintext
 * sealed under that key and then opened, so that the fuzzer reaches the decoder behind the
 * authenticator, which random bytes never pass. Nothing may crash; every failure is one of the
 * documented codes with the beacon zeroed; a datagram that opens re-seals (with its own nonce)
 * to exactly the input; a plaintext that decodes re-encodes to exactly the input; and opening
 * the sealed plaintext agrees with decoding it. The seeds in tests/fuzz/corpus/beacon are sealed
 * under this key (network key 32 x 0x11, ledger 32 x 0x22).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/beacon.h"
#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t fuzz_key[32];

static void fuzz_init(void)
{
    static bool done;
    uint8_t netkey[32], ledger[32];

    if (done)
        return;
    if (proto_crypto_init() != 0)
        abort();
    memset(netkey, 0x11, sizeof netkey);
    memset(ledger, 0x22, sizeof ledger);
    proto_beacon_key(netkey, ledger, fuzz_key);
    done = true;
}

static bool fuzz_known_err(int rc)
{
    return rc == ERR_TOOBIG || rc == ERR_TRUNC || rc == ERR_VERSION || rc == ERR_NOISE ||
           rc == ERR_BADFRAME || rc == ERR_NONCANON || rc == ERR_TYPE || rc == ERR_UTF8 ||
           rc == ERR_DEPTH || rc == -ENOMEM;
}

static bool fuzz_zero(const struct proto_beacon *b)
{
    static const struct proto_beacon zero;

    return memcmp(b, &zero, sizeof *b) == 0;
}

static bool fuzz_same(const struct proto_beacon *a, const struct proto_beacon *b)
{
    return a->port == b->port && a->time == b->time && memcmp(a->sign_pk, b->sign_pk, 32) == 0;
}

/* The input as a datagram. */
static void fuzz_open(const uint8_t *data, size_t size)
{
    struct proto_beacon b;
    uint8_t out[PROTO_BEACON_MAX];
    size_t len;
    int rc;

    rc = proto_beacon_open(fuzz_key, data, size, &b);
    if (rc < 0) {
        if (!fuzz_known_err(rc) || !fuzz_zero(&b))
            abort();
        return;
    }
    if (size < PROTO_BEACON_OVERHEAD || size > PROTO_BEACON_MAX || b.port == 0)
        abort();
    rc = proto_beacon_seal_nonce(fuzz_key, data + PROTO_BEACON_MAGIC_LEN, &b, out, &len);
    if (rc == -ENOMEM)
        return;
    if (rc != 0 || len != size || memcmp(out, data, size) != 0)
        abort();
}

/* The input as a plaintext; returns decode's code and the beacon. */
static int fuzz_decode(const uint8_t *data, size_t size, struct proto_beacon *b)
{
    struct proto_buf buf;
    int rc;

    rc = proto_beacon_decode(data, size, b);
    if (rc < 0) {
        if (!fuzz_known_err(rc) || rc == ERR_NOISE || !fuzz_zero(b))
            abort();
        return rc;
    }
    if (b->port == 0 || size > PROTO_BEACON_MAX - PROTO_BEACON_OVERHEAD)
        abort();
    proto_buf_init(&buf);
    rc = proto_beacon_encode(b, &buf);
    if (rc == 0 && (buf.len != size || memcmp(buf.data, data, size) != 0))
        abort();
    proto_buf_release(&buf);
    return rc == -ENOMEM ? rc : 0;
}

/* The input sealed as a plaintext, then opened: the same outcome as decoding it. */
static void fuzz_sealed(const uint8_t *data, size_t size, int want, const struct proto_beacon *bw)
{
    static const uint8_t nonce[PROTO_BEACON_NONCE_LEN] = {1, 2, 3};
    uint8_t d[PROTO_BEACON_MAX];
    struct proto_beacon b;
    int rc;

    if (size > PROTO_BEACON_MAX - PROTO_BEACON_OVERHEAD || want == -ENOMEM)
        return;
    memcpy(d, PROTO_BEACON_MAGIC, PROTO_BEACON_MAGIC_LEN);
    memcpy(d + PROTO_BEACON_MAGIC_LEN, nonce, sizeof nonce);
    if (proto_aead_seal(d + PROTO_BEACON_MAGIC_LEN + sizeof nonce, data, size, d,
                        PROTO_BEACON_MAGIC_LEN, nonce, fuzz_key) != 0)
        abort();
    rc = proto_beacon_open(fuzz_key, d, PROTO_BEACON_OVERHEAD + size, &b);
    if (rc == -ENOMEM)
        return;
    if (rc != want || !fuzz_same(&b, bw))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_beacon b;
    int rc;

    fuzz_init();
    fuzz_open(data, size);
    rc = fuzz_decode(data, size, &b);
    fuzz_sealed(data, size, rc, &b);
    return 0;
}
