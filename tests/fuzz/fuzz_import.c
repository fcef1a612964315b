/*
 * Fuzz target for the import path: the input is an export stream, fed through the same
 * import_stream() that `saksi import` uses (framing, parsing, parallel verification, ingest)
 * into a store that already holds a small ledger built from fixed keys. Whatever the input,
 * nothing may crash, and the store must still open and report a head. With the environment
 * variable FUZZ_IMPORT_SEED=FILE set, the target first writes the fixture's own export stream
 * to FILE (a valid seed for the corpus).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/import.h"
#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/ledger.h"

static struct store *st;
static struct verify_pool *pool;

static void die(const char *what)
{
    fprintf(stderr, "fuzz_import: %s\n", what);
    abort();
}

/* A device from a fixed seed byte, so that every run builds the same entries. */
static struct proto_keys *fixed_keys(uint8_t seed)
{
    struct proto_buf b;
    struct proto_keys *k = NULL;
    uint8_t secret[64];

    memset(secret, seed, sizeof secret);
    proto_buf_init(&b);
    if (proto_buf_append(&b, "SAKSIKEY\x01\x00", 10) < 0 ||
        proto_buf_append(&b, secret, sizeof secret) < 0 ||
        proto_keyfile_decode(b.data, b.len, NULL, 0, &k) < 0)
        die("fixed key");
    proto_buf_release(&b);
    return k;
}

static void add(struct proto_buf *stream, const struct proto_keys *k, const uint8_t *ledger,
                uint64_t seq, const uint8_t *prev, uint64_t kind, const struct proto_buf *body,
                uint8_t id[32])
{
    struct proto_buf raw;

    proto_buf_init(&raw);
    if (proto_entry_build(&raw, k, ledger, seq, prev, 1767225600000ULL + seq, kind, body->data,
                          body->len) < 0 ||
        import_record_put(stream, raw.data, raw.len) < 0)
        die("build");
    proto_entry_id(raw.data, raw.len, id);
    proto_buf_release(&raw);
}

/* Genesis with two founders, an admission, and journals: the fixture's export stream. */
static void fixture(struct proto_buf *stream)
{
    struct proto_keys *a = fixed_keys(1), *b = fixed_keys(2), *m = fixed_keys(3);
    struct proto_genesis g;
    struct proto_account acc[3] = {
        {1100, PROTO_ACCT_ASSET, false, "Kas"},
        {3100, PROTO_ACCT_EQUITY, true, "Simpanan pokok"},
        {5240, PROTO_ACCT_EXPENSE, false, "Beban ATK"},
    };
    struct proto_device roster[2];
    struct proto_device dev;
    struct proto_journal j;
    struct proto_buf body;
    uint8_t ledger[32], prev[32], id[32];

    memset(&g, 0, sizeof g);
    strcpy(g.name, "KSP Fuzz");
    strcpy(g.registration, "1/BH/2026");
    strcpy(g.currency, "IDR");
    g.naccounts = 3;
    g.accounts = acc;
    memset(roster, 0, sizeof roster);
    roster[0] = (struct proto_device){1, PROTO_ROLE_PENGURUS, PROTO_OFFICE_KETUA, {0}, {0}, {0}};
    memcpy(roster[0].sign_pk, a->sign_pk, 32);
    memcpy(roster[0].box_pk, a->box_pk, 32);
    proto_card_sign(a, roster[0].card_sig);
    roster[1] = (struct proto_device){2, PROTO_ROLE_PENGAWAS, PROTO_OFFICE_NONE, {0}, {0}, {0}};
    memcpy(roster[1].sign_pk, b->sign_pk, 32);
    memcpy(roster[1].box_pk, b->box_pk, 32);
    proto_card_sign(b, roster[1].card_sig);
    g.nroster = 2;
    g.roster = roster;
    proto_policy_default(&g.policy);
    proto_buf_init(&body);
    if (proto_genesis_encode(&g, &body) < 0)
        die("genesis");
    add(stream, a, NULL, 1, NULL, PROTO_KIND_GENESIS, &body, ledger);
    memcpy(prev, ledger, 32);

    dev = (struct proto_device){7, PROTO_ROLE_KASIR, PROTO_OFFICE_NONE, {0}, {0}, {0}};
    memcpy(dev.sign_pk, m->sign_pk, 32);
    memcpy(dev.box_pk, m->box_pk, 32);
    proto_card_sign(m, dev.card_sig);
    proto_buf_reset(&body);
    if (proto_admit_encode(&dev, &body) < 0)
        die("admit");
    add(stream, a, ledger, 2, prev, PROTO_KIND_ADMIT, &body, id);
    memcpy(prev, id, 32);

    memset(&j, 0, sizeof j);
    j.date = 20260105;
    strcpy(j.memo, "Simpanan pokok");
    j.nlines = 2;
    j.lines[0] = (struct proto_line){1100, 0, 100000, 0};
    j.lines[1] = (struct proto_line){3100, 7, 0, 100000};
    proto_buf_reset(&body);
    if (proto_journal_encode(&j, &body) < 0)
        die("journal");
    add(stream, a, ledger, 3, prev, PROTO_KIND_JOURNAL, &body, id);
    add(stream, m, ledger, 1, NULL, PROTO_KIND_JOURNAL, &body, prev);
    j.date = 20260106;
    proto_buf_reset(&body);
    if (proto_journal_encode(&j, &body) < 0)
        die("journal");
    add(stream, m, ledger, 2, prev, PROTO_KIND_JOURNAL, &body, id);
    proto_buf_release(&body);
    proto_keys_free(a);
    proto_keys_free(b);
    proto_keys_free(m);
}

static void ignore(void *arg, uint64_t index, uint64_t offset, const struct proto_entry *e,
                   int code)
{
    (void)arg;
    (void)index;
    (void)offset;
    (void)e;
    (void)code;
}

static void setup(void)
{
    char dir[] = "/tmp/saksi-fuzz-import-XXXXXX";
    struct import_stats s;
    struct proto_buf stream;
    const char *seed = getenv("FUZZ_IMPORT_SEED");
    FILE *f;

    if (proto_crypto_init() < 0 || !mkdtemp(dir))
        die("setup");
    if (store_open(dir, STORE_CREATE, &st) < 0 || verify_pool_new(2, &pool) < 0)
        die("store");
    proto_buf_init(&stream);
    if (proto_buf_append(&stream, IMPORT_MAGIC, IMPORT_MAGIC_LEN) < 0)
        die("magic");
    fixture(&stream);
    if (seed) {
        f = fopen(seed, "wb");
        if (!f || fwrite(stream.data, 1, stream.len, f) != stream.len || fclose(f) != 0)
            die("seed");
    }
    f = fmemopen(stream.data, stream.len, "rb");
    if (!f || import_stream(f, st, pool, NULL, ignore, NULL, &s) != 0 || s.added != 5)
        die("fixture import");
    fclose(f);
    proto_buf_release(&stream);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_stats s;
    struct store_head h;
    FILE *f;
    int rc;

    if (!st)
        setup();
    if (size == 0)
        return 0;
    /* Half the inputs get the magic for free, so the fuzzer spends its time on records. */
    if (data[0] & 1) {
        uint8_t *buf = malloc(size + IMPORT_MAGIC_LEN);

        if (!buf)
            return 0;
        memcpy(buf, IMPORT_MAGIC, IMPORT_MAGIC_LEN);
        memcpy(buf + IMPORT_MAGIC_LEN, data, size);
        f = fmemopen(buf, size + IMPORT_MAGIC_LEN, "rb");
        rc = f ? import_stream(f, st, pool, NULL, ignore, NULL, &s) : 0;
        if (f)
            fclose(f);
        free(buf);
    } else {
        f = fmemopen((void *)(uintptr_t)data, size, "rb");
        if (!f)
            return 0;
        rc = import_stream(f, st, pool, NULL, ignore, NULL, &s);
        fclose(f);
    }
    if (rc < 0 && rc != ERR_BADFRAME && rc != ERR_TRUNC && rc != ERR_PENDING_FULL)
        die("runtime error from import");
    if (store_head_get(st, &h) < 0 || h.applied < 5)
        die("store lost entries");
    return 0;
}
