/*
 * Test generators' export streams (tests/bench/bench.c, tests/demo/gen.c): devices with keys
 * from fixed bytes, each device's feed chained entry after entry, records in the export stream
 * format (docs/FORMATS.md: "SAKSIEX1", then per entry a u32be length and the entry), and a keys
 * directory from which a data directory can be set up for any of the devices. Generated keys are
 * public by construction: test ledgers only. Links proto/ only.
 */
#ifndef SAKSI_TESTS_LIB_STREAM_H
#define SAKSI_TESTS_LIB_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/crypto.h"

#define TSTREAM_MAGIC "SAKSIEX1" /* the 8 bytes an export stream starts with */

/* One device's feed: the key that signs it and the chain so far (seq 0: nothing yet). */
struct tstream_feed {
    struct proto_keys *k;
    uint64_t seq;     /* seq of the last entry built */
    uint8_t prev[32]; /* id of the last entry built (valid when seq > 0) */
};

/* splitmix64's mixing step: a fast deterministic hash of x. */
uint64_t tstream_mix(uint64_t x);

/* A device key from 64 secret bytes (the plain key file's ed25519 seed and x25519 secret).
 * *out is the caller's: proto_keys_free(). Errors of proto_keyfile_decode. */
int tstream_keys(const uint8_t secret[64], struct proto_keys **out);
/* The same with all 64 bytes equal to b (the bench's and the fuzzers' fixed devices). */
int tstream_keys_byte(uint8_t b, struct proto_keys **out);

/*
 * Builds and signs the next entry of feed f (seq f->seq + 1, chained to f->prev; ledger NULL
 * only for the genesis) and appends it to out as an export record (u32be length, entry). The
 * feed then points at it; id (may be NULL) receives its id. Errors of proto_entry_build, -ENOMEM.
 */
int tstream_record(struct tstream_feed *f, struct proto_buf *out, const uint8_t *ledger,
                   uint64_t time_ms, uint64_t kind, const uint8_t *body, size_t len,
                   uint8_t id[32]);

/* Writes a new file dir/name, mode 0600, never over an existing one (O_EXCL): -EEXIST. */
int tstream_file_new(const char *dir, const char *name, const void *p, size_t len);

/*
 * A keys directory: dir (created 0700 if missing) receives network.key (the 32 bytes of netkey)
 * and one plain key file per device, names[i] for keys[i] (NULL names: device-NN.key, NN = i).
 * Copy a device's file to DATA/key and network.key to DATA/ to run saksi or saksid as that
 * device. -errno; -EEXIST when a file is already there.
 */
int tstream_keys_dir(const char *dir, const uint8_t netkey[32], struct proto_keys *const *keys,
                     const char *const *names, unsigned n);

#endif
