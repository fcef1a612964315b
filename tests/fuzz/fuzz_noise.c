/*
 * Fuzz target for proto/noise: saksi's Noise_XXpsk3 handshake with one message replaced by fuzzed
 * bytes, the first (read by the responder), the second (read by the initiator) or the third (read
 * by the responder). The first input byte picks the message and whether the rest replaces it
 * outright or is XORed onto the genuine message (so that all zeros reproduce it and the fuzzer
 * reaches the success paths). Nothing may crash, and the outcome must be the right one: a changed
 * second or third message always fails, the genuine one always succeeds, and a changed first
 * message that the responder accepts makes the initiator refuse the second. Keys and ephemerals
 * are fixed through the test hook, so every run is deterministic.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"
#include "proto/noise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PROLOGUE "saksi-fuzz/1"

struct fuzz_keys {
    uint8_t is[32], rs[32], ie[32], re[32], psk[32];
};

static void fuzz_keys_fill(struct fuzz_keys *k)
{
    for (int i = 0; i < 32; i++) {
        k->is[i] = (uint8_t)(i + 1);
        k->rs[i] = (uint8_t)(2 * i + 3);
        k->ie[i] = (uint8_t)(3 * i + 5);
        k->re[i] = (uint8_t)(5 * i + 7);
        k->psk[i] = (uint8_t)(7 * i + 11);
    }
}

static struct proto_noise_hs *fuzz_hs_new(const struct fuzz_keys *k, bool initiator)
{
    struct proto_noise_hs *hs = NULL;

    if (proto_noise_hs_new(&hs, PROTO_NOISE_XXPSK3, initiator, (const uint8_t *)FUZZ_PROLOGUE,
                           sizeof FUZZ_PROLOGUE - 1, initiator ? k->is : k->rs, k->psk) != 0 ||
        proto_noise_hs_set_ephemeral(hs, initiator ? k->ie : k->re) != 0)
        abort();
    return hs;
}

/* Both sides completed: their hashes agree and transport works both ways. */
static void fuzz_transport(struct proto_noise_hs *i, struct proto_noise_hs *r)
{
    static const uint8_t text[] = "frontier";
    struct proto_noise_cs is, ir, rs, rr;
    uint8_t h1[32], h2[32], ct[64], pt[64];
    size_t clen, plen;

    proto_noise_hs_hash(i, h1);
    proto_noise_hs_hash(r, h2);
    if (memcmp(h1, h2, 32) != 0 || proto_noise_hs_split(i, &is, &ir) != 0 ||
        proto_noise_hs_split(r, &rs, &rr) != 0)
        abort();
    if (proto_noise_cs_encrypt(&is, NULL, 0, text, sizeof text, ct, sizeof ct, &clen) != 0 ||
        proto_noise_cs_decrypt(&rr, NULL, 0, ct, clen, pt, sizeof pt, &plen) != 0 ||
        plen != sizeof text || memcmp(pt, text, plen) != 0)
        abort();
    if (proto_noise_cs_encrypt(&rs, NULL, 0, text, sizeof text, ct, sizeof ct, &clen) != 0 ||
        proto_noise_cs_decrypt(&ir, NULL, 0, ct, clen, pt, sizeof pt, &plen) != 0 ||
        plen != sizeof text || memcmp(pt, text, plen) != 0)
        abort();
    proto_noise_cs_wipe(&is);
    proto_noise_cs_wipe(&ir);
    proto_noise_cs_wipe(&rs);
    proto_noise_cs_wipe(&rr);
}

/* The message that replaces genuine message g (glen bytes): data itself, or data XOR g. */
static size_t fuzz_message(const uint8_t *data, size_t size, bool xor, const uint8_t *g,
                           size_t glen, uint8_t *out)
{
    for (size_t j = 0; j < size; j++)
        out[j] = (uint8_t)(data[j] ^ (xor&&j < glen ? g[j] : 0));
    return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t g[3][PROTO_NOISE_MSG_MAX], msg[PROTO_NOISE_MSG_MAX + 1], pl[PROTO_NOISE_MSG_MAX];
    static const char *const payloads[3] = {"hello", "hello back", "done"};
    struct proto_noise_hs *i, *r;
    struct fuzz_keys k;
    size_t glen[3], len, plen;
    unsigned target;
    bool xor, same;
    int rc;

    if (size < 1 || size - 1 > PROTO_NOISE_MSG_MAX + 1)
        return 0;
    target = data[0] % 3;
    xor = data[0] % 6 >= 3;
    data++;
    size--;
    fuzz_keys_fill(&k);
    i = fuzz_hs_new(&k, true);
    r = fuzz_hs_new(&k, false);

    for (unsigned m = 0; m < 3; m++) {
        struct proto_noise_hs *w = m % 2 == 0 ? i : r, *rd = m % 2 == 0 ? r : i;
        size_t n;

        if (proto_noise_hs_write(w, (const uint8_t *)payloads[m], strlen(payloads[m]), g[m],
                                 sizeof g[m], &glen[m]) != 0)
            abort();
        if (m != target) {
            if (proto_noise_hs_read(rd, g[m], glen[m], pl, sizeof pl, &plen) != 0)
                abort();
            continue;
        }
        n = fuzz_message(data, size, xor, g[m], glen[m], msg);
        same = n == glen[m] && memcmp(msg, g[m], n) == 0;
        rc = proto_noise_hs_read(rd, msg, n, pl, sizeof pl, &plen);
        if (rc == 0 && (plen > n || proto_noise_hs_done(rd) != (m == 2)))
            abort();
        if (rc < 0 && (plen != 0 || proto_noise_hs_can_write(rd) || proto_noise_hs_done(rd)))
            abort();
        if (rc < 0 && rc != ERR_NOISE && rc != ERR_TOOBIG)
            abort();
        if (same && rc != 0)
            abort();
        if (m == 0) {
            /* A changed first message that got in must still sink message 2. */
            if (rc < 0)
                break;
            if (proto_noise_hs_write(r, (const uint8_t *)payloads[1], strlen(payloads[1]), g[1],
                                     sizeof g[1], &glen[1]) != 0)
                abort();
            rc = proto_noise_hs_read(i, g[1], glen[1], pl, sizeof pl, &plen);
            if ((rc == 0) != same)
                abort();
            if (rc < 0)
                break;
            m = 1; /* message 2 done by hand; go on with message 3 */
            continue;
        }
        /* The second and third messages are authenticated: only the genuine one passes. */
        if ((rc == 0) != same)
            abort();
        if (rc < 0)
            break;
        if (plen != strlen(payloads[m]) || memcmp(pl, payloads[m], plen) != 0)
            abort();
    }
    if (proto_noise_hs_done(i) && proto_noise_hs_done(r))
        fuzz_transport(i, r);
    proto_noise_hs_free(i);
    proto_noise_hs_free(r);
    return 0;
}
