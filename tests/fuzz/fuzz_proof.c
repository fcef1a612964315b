/*
 * Fuzz target for proto/proof: the input is verified as a bundle against a fixed ledger id (the
 * id of the genesis in the seed corpus, so mutations of a real bundle get past the first
 * checks). Verification never crashes, reports a status and a message, returns 0 exactly when
 * the status is OK, and fails with one of the documented codes. The input is the ledger id (32
 * bytes) followed by the bundle; the corpus seed is a good bundle, written by
 * `SAKSI_FUZZ_SEED=FILE build/tests/test_proof`.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    struct proto_proof_result res;
    uint8_t ledger[32];
    int rc;

    if (!init) {
        if (proto_crypto_init() < 0)
            abort();
        init = true;
    }
    /* The first 32 bytes name the ledger; the rest is the bundle. */
    if (size < 32)
        return 0;
    memcpy(ledger, data, 32);
    rc = proto_proof_verify(ledger, data + 32, size - 32, &res);
    if (res.msg[0] == '\0' || (rc == 0) != (res.status == PROTO_PROOF_OK))
        abort();
    if (rc == 0 && memcmp(res.checkpoint.ledger, ledger, 32) != 0)
        abort();
    if (rc < 0 && !(rc >= ERR_BADFRAME && rc < ERR_LAST_) && rc != -ENOMEM)
        abort(); /* only project codes, or out of memory */
    (void)proto_proof_status_name(res.status);
    return 0;
}
