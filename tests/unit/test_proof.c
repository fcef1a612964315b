/*
 * Unit tests for proto/proof: bundles built from in-memory feeds (no store) and verified with
 * the ledger id alone. One good bundle verifies; every byte of it, with one bit flipped, fails;
 * and each failure the verifier names is produced on purpose: another ledger, a fake ledger's
 * bundle, a bad genesis, a malformed checkpoint, a bad entry signature, a wrong inclusion path,
 * a wrong head path, a cosignature over another head, a quorum not met, a signer not on the
 * roster, a grant by a device that may not admit, a grant that is not an admission.
 *
 * With SAKSI_MEASURE=1 in the environment, test_measure also prints proof creation and
 * verification rates and the cost of a ledger head over 1,000 feeds of 1,000,000 entries.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "proto/checkpoint.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/merkle.h"
#include "proto/proof.h"
#include "tests/unit/helpers.h"

/*
 * Keys: 0 ketua (member 1, genesis author), 1 bendahara (member 2), 2 pengawas (member 3),
 * 3 kasir (member 4), all founders; 4 a pengawas (member 5) admitted by key 0; 5 never admitted;
 * 6 the founder of a fake ledger.
 */
#define NKEYS   7
#define NFEEDS  4 /* feeds of keys 0, 1, 3, 4 */
#define FEEDMAX 8

struct feed {
    int key;
    size_t n;
    struct proto_buf raw[FEEDMAX];
    uint8_t ids[FEEDMAX][32];
};

struct world {
    uint8_t ledger[32];
    struct feed feeds[NFEEDS]; /* sorted by author */
    size_t nfeeds;
    struct proto_head_feed hf[NFEEDS];
    struct proto_checkpoint c;
    struct proto_buf text;
};

static struct proto_keys *g_keys[NKEYS];
static struct world g_w, g_fake;

static const struct proto_account g_chart[2] = {
    {1101, PROTO_ACCT_ASSET, false, "Kas"},
    {3101, PROTO_ACCT_EQUITY, true, "Simpanan pokok"},
};

static void device_fill(struct proto_device *d, const struct proto_keys *k, uint32_t member,
                        uint8_t role, uint8_t office)
{
    memset(d, 0, sizeof *d);
    d->member = member;
    d->role = role;
    d->office = office;
    memcpy(d->sign_pk, k->sign_pk, 32);
    memcpy(d->box_pk, k->box_pk, 32);
    proto_card_sign(k, d->card_sig);
}

static void genesis_body(int founder, struct proto_buf *out)
{
    struct proto_genesis g;
    struct proto_account acc[2];
    struct proto_device dev[4];
    uint8_t netkey[32];

    memset(&g, 0, sizeof g);
    strcpy(g.name, "KSP Maju Bersama");
    strcpy(g.currency, "IDR");
    memcpy(acc, g_chart, sizeof acc);
    g.accounts = acc;
    g.naccounts = 2;
    if (founder == 6) {
        device_fill(&dev[0], g_keys[6], 1, PROTO_ROLE_PENGURUS, PROTO_OFFICE_KETUA);
        g.nroster = 1;
    } else {
        device_fill(&dev[0], g_keys[0], 1, PROTO_ROLE_PENGURUS, PROTO_OFFICE_KETUA);
        device_fill(&dev[1], g_keys[1], 2, PROTO_ROLE_PENGURUS, PROTO_OFFICE_BENDAHARA);
        device_fill(&dev[2], g_keys[2], 3, PROTO_ROLE_PENGAWAS, PROTO_OFFICE_NONE);
        device_fill(&dev[3], g_keys[3], 4, PROTO_ROLE_KASIR, PROTO_OFFICE_NONE);
        g.nroster = 4;
    }
    g.roster = dev;
    proto_policy_default(&g.policy); /* checkpoint quorum [2, 1]; admit: pengurus */
    memset(netkey, 0x6e, sizeof netkey);
    proto_netkey_commit(netkey, g.netkey_commit);
    assert_int_equal(proto_genesis_encode(&g, out), 0);
}

static void journal_body(uint32_t amount, struct proto_buf *out)
{
    struct proto_journal j;

    memset(&j, 0, sizeof j);
    j.date = 20250102;
    j.nlines = 2;
    j.lines[0] = (struct proto_line){1101, 0, amount, 0};
    j.lines[1] = (struct proto_line){3101, 7, 0, amount};
    assert_int_equal(proto_journal_encode(&j, out), 0);
}

/* Appends an entry of kind with body to feed f of world w. */
static void append(struct world *w, struct feed *f, uint64_t kind, const struct proto_buf *body)
{
    size_t seq = f->n + 1;
    struct proto_buf *b = &f->raw[f->n];
    bool genesis = kind == PROTO_KIND_GENESIS;

    proto_buf_init(b);
    assert_int_equal(proto_entry_build(b, g_keys[f->key], genesis ? NULL : w->ledger, seq,
                                       seq > 1 ? f->ids[f->n - 1] : NULL, 1750000000000 + seq, kind,
                                       body->data, body->len),
                     0);
    proto_entry_id(b->data, b->len, f->ids[f->n]);
    if (genesis)
        memcpy(w->ledger, f->ids[0], 32);
    f->n++;
}

static int cmp_feed(const void *x, const void *y)
{
    const struct feed *a = x, *b = y;

    return memcmp(g_keys[a->key]->sign_pk, g_keys[b->key]->sign_pk, 32);
}

/* Sorts the feeds, computes roots, the checkpoint and its text. */
static void seal(struct world *w)
{
    qsort(w->feeds, w->nfeeds, sizeof w->feeds[0], cmp_feed);
    for (size_t i = 0; i < w->nfeeds; i++) {
        memcpy(w->hf[i].author, g_keys[w->feeds[i].key]->sign_pk, 32);
        w->hf[i].length = w->feeds[i].n;
        assert_int_equal(proto_merkle_root(proto_merkle_array_leaf, w->feeds[i].ids, w->feeds[i].n,
                                           w->hf[i].root),
                         0);
    }
    {
        struct proto_ckpt_feed cf[NFEEDS];

        for (size_t i = 0; i < w->nfeeds; i++) {
            memcpy(cf[i].author, w->hf[i].author, 32);
            cf[i].length = w->hf[i].length;
            memcpy(cf[i].root, w->hf[i].root, 32);
            memcpy(cf[i].last, w->feeds[i].ids[w->feeds[i].n - 1], 32);
        }
        assert_int_equal(proto_checkpoint_compute(w->ledger, cf, w->nfeeds, &w->c), 0);
    }
    proto_buf_init(&w->text);
    assert_int_equal(proto_checkpoint_format(&w->c, &w->text), 0);
}

static struct feed *feed_of(struct world *w, int key)
{
    for (size_t i = 0; i < w->nfeeds; i++)
        if (w->feeds[i].key == key)
            return &w->feeds[i];
    fail();
    return NULL;
}

static size_t feed_index(struct world *w, int key)
{
    return (size_t)(feed_of(w, key) - w->feeds);
}

static void world_init(struct world *w)
{
    struct proto_buf body;
    struct proto_device d;
    static const int keys[NFEEDS] = {0, 1, 3, 4};

    memset(w, 0, sizeof *w);
    w->nfeeds = NFEEDS;
    for (int i = 0; i < NFEEDS; i++)
        w->feeds[i].key = keys[i];
    proto_buf_init(&body);
    genesis_body(0, &body);
    append(w, &w->feeds[0], PROTO_KIND_GENESIS, &body);
    /* Key 0 admits key 4 (pengawas, member 5); key 3 (kasir) "admits" key 5: no authority. */
    body.len = 0;
    device_fill(&d, g_keys[4], 5, PROTO_ROLE_PENGAWAS, PROTO_OFFICE_NONE);
    assert_int_equal(proto_admit_encode(&d, &body), 0);
    append(w, &w->feeds[0], PROTO_KIND_ADMIT, &body);
    body.len = 0;
    device_fill(&d, g_keys[5], 6, PROTO_ROLE_PENGAWAS, PROTO_OFFICE_NONE);
    assert_int_equal(proto_admit_encode(&d, &body), 0);
    append(w, &w->feeds[2], PROTO_KIND_ADMIT, &body);
    for (uint32_t i = 0; i < 5; i++) {
        body.len = 0;
        journal_body(10000 * (i + 1), &body);
        append(w, &w->feeds[i % 2 ? 1 : 2], PROTO_KIND_JOURNAL, &body);
    }
    body.len = 0;
    journal_body(777, &body);
    append(w, &w->feeds[3], PROTO_KIND_JOURNAL, &body);
    proto_buf_release(&body);
    seal(w);
}

static void fake_init(struct world *w)
{
    struct proto_buf body;

    memset(w, 0, sizeof *w);
    w->nfeeds = 1;
    w->feeds[0].key = 6;
    proto_buf_init(&body);
    genesis_body(6, &body);
    append(w, &w->feeds[0], PROTO_KIND_GENESIS, &body);
    body.len = 0;
    journal_body(5, &body);
    append(w, &w->feeds[0], PROTO_KIND_JOURNAL, &body);
    proto_buf_release(&body);
    seal(w);
}

static void world_release(struct world *w)
{
    for (size_t i = 0; i < w->nfeeds; i++)
        for (size_t k = 0; k < w->feeds[i].n; k++)
            proto_buf_release(&w->feeds[i].raw[k]);
    proto_buf_release(&w->text);
}

static int setup(void **state)
{
    (void)state;
    if (proto_crypto_init() < 0)
        return -1;
    for (int i = 0; i < NKEYS; i++)
        if (proto_keys_generate(&g_keys[i]) < 0)
            return -1;
    world_init(&g_w);
    fake_init(&g_fake);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    world_release(&g_w);
    world_release(&g_fake);
    for (int i = 0; i < NKEYS; i++)
        proto_keys_free(g_keys[i]);
    return 0;
}

/* The note over text, signed by signers[0] and cosigned by the rest. */
static void note_make(const struct proto_buf *text, const int *signers, size_t n,
                      struct proto_buf *out)
{
    struct proto_buf lines;
    char name[PROTO_CKPT_KEY_NAME_LEN + 1];

    proto_buf_init(&lines);
    for (size_t i = 0; i < n; i++) {
        proto_checkpoint_key_name(g_keys[signers[i]]->sign_pk, name);
        if (i == 0)
            assert_int_equal(proto_note_sign(&lines, g_keys[signers[i]], name,
                                             PROTO_CKPT_KEY_NAME_LEN, (const char *)text->data,
                                             text->len),
                             0);
        else
            assert_int_equal(proto_note_cosign(&lines, g_keys[signers[i]], name,
                                               PROTO_CKPT_KEY_NAME_LEN, 1750000100 + i,
                                               (const char *)text->data, text->len),
                             0);
    }
    assert_int_equal(proto_note_format(out, (const char *)text->data, text->len,
                                       (const char *)lines.data, lines.len),
                     0);
    proto_buf_release(&lines);
}

static void item_make(struct world *w, int key, uint64_t seq, struct proto_proof_item *it)
{
    struct feed *f = feed_of(w, key);

    assert_int_equal(proto_proof_item_make(w->hf, w->nfeeds, feed_index(w, key),
                                           proto_merkle_array_leaf, f->ids, seq,
                                           f->raw[seq - 1].data, f->raw[seq - 1].len, it),
                     0);
}

/*
 * A bundle of world w for key's entry at seq, with the note signed by signers and the grants
 * given as (key, seq) pairs.
 */
static void bundle_make(struct world *w, int key, uint64_t seq, const int *signers, size_t ns,
                        const int (*grants)[2], size_t ng, struct proto_buf *out)
{
    static struct proto_proof_item item, gi[4];
    struct proto_buf note;
    struct feed *g0 = &w->feeds[feed_index(w, w == &g_fake ? 6 : 0)];
    size_t gseq0 = 0;

    (void)gseq0;
    proto_buf_init(&note);
    note_make(&w->text, signers, ns, &note);
    item_make(w, key, seq, &item);
    for (size_t i = 0; i < ng; i++)
        item_make(w, grants[i][0], (uint64_t)grants[i][1], &gi[i]);
    assert_int_equal(proto_proof_encode(g0->raw[0].data, g0->raw[0].len, (const char *)note.data,
                                        note.len, gi, ng, &item, out),
                     0);
    proto_buf_release(&note);
}

static const int k_grant4[1][2] = {{0, 2}}; /* key 0's admission of key 4 */

/* The standard bundle: key 3's journal at seq 2, signed by 0, cosigned by 1 and 4. */
static void good_bundle(struct proto_buf *out)
{
    bundle_make(&g_w, 3, 2, (const int[]){0, 1, 4}, 3, k_grant4, 1, out);
}

static int verify(const struct proto_buf *b, struct proto_proof_result *res)
{
    int rc = proto_proof_verify(g_w.ledger, b->data, b->len, res);

    assert_true(res->msg[0] != '\0');
    if (rc == 0)
        assert_int_equal(res->status, PROTO_PROOF_OK);
    else
        assert_int_not_equal(res->status, PROTO_PROOF_OK);
    return rc;
}

static void expect(const struct proto_buf *b, enum proto_proof_status st, int code)
{
    struct proto_proof_result res;
    int rc = verify(b, &res);

    if (res.status != st || rc != code)
        print_error("got %s (%s): %s\n", proto_proof_status_name(res.status), err_str(rc), res.msg);
    assert_int_equal(res.status, st);
    assert_int_equal(rc, code);
}

static void test_invalid(void **state)
{
    struct proto_proof_result res;
    struct proto_buf b;
    struct proto_proof_item it;
    uint8_t nil = 0xc0;

    (void)state;
    assert_int_equal(proto_proof_verify(g_w.ledger, NULL, 0, &res), ERR_BADFRAME);
    assert_int_equal(res.status, PROTO_PROOF_MALFORMED);
    assert_int_equal(proto_proof_verify(g_w.ledger, &nil, 1, &res), ERR_BADFRAME);
    assert_int_equal(res.status, PROTO_PROOF_MALFORMED);
    assert_int_equal(proto_proof_item_make(g_w.hf, g_w.nfeeds, g_w.nfeeds, proto_merkle_array_leaf,
                                           NULL, 1, NULL, 0, &it),
                     -EINVAL);
    assert_int_equal(proto_proof_item_make(g_w.hf, g_w.nfeeds, 0, proto_merkle_array_leaf, NULL,
                                           g_w.hf[0].length + 1, NULL, 0, &it),
                     -EINVAL);
    proto_buf_init(&b);
    assert_int_equal(proto_proof_encode(NULL, 0, "", 0, &it, PROTO_PROOF_GRANTS + 1, &it, &b),
                     -EINVAL);
    assert_int_equal(b.len, 0);
    proto_buf_release(&b);
}

static void test_ok(void **state)
{
    struct proto_proof_result res;
    struct proto_buf b;
    struct feed *f = feed_of(&g_w, 3);

    (void)state;
    proto_buf_init(&b);
    good_bundle(&b);
    assert_int_equal(verify(&b, &res), 0);
    assert_memory_equal(res.entry_id, f->ids[1], 32);
    assert_memory_equal(res.author, g_keys[3]->sign_pk, 32);
    assert_int_equal(res.seq, 2);
    assert_int_equal(res.kind, PROTO_KIND_JOURNAL);
    assert_int_equal(res.checkpoint.size, 9);
    assert_int_equal(res.have.pengurus, 2);
    assert_int_equal(res.have.pengawas, 1);
    assert_int_equal(res.need.pengurus, 2);
    assert_int_equal(res.need.pengawas, 1);
    assert_int_equal(res.signers, 3);
    assert_string_equal(proto_proof_status_name(res.status), "ok");
    /* The fuzz corpus seed: ledger id || bundle. */
    if (getenv("SAKSI_FUZZ_SEED")) {
        FILE *fp = fopen(getenv("SAKSI_FUZZ_SEED"), "wb");

        assert_non_null(fp);
        assert_int_equal(fwrite(g_w.ledger, 1, 32, fp), 32);
        assert_int_equal(fwrite(b.data, 1, b.len, fp), b.len);
        assert_int_equal(fclose(fp), 0);
    }
    /* The genesis itself, with the founders' quorum and no grant. */
    b.len = 0;
    bundle_make(&g_w, 0, 1, (const int[]){1, 0, 2}, 3, NULL, 0, &b);
    assert_int_equal(verify(&b, &res), 0);
    assert_int_equal(res.kind, PROTO_KIND_GENESIS);
    /* The last entry of the last feed, and the only entry of key 4's feed. */
    b.len = 0;
    bundle_make(&g_w, 4, 1, (const int[]){0, 1, 4}, 3, k_grant4, 1, &b);
    assert_int_equal(verify(&b, &res), 0);
    proto_buf_release(&b);
}

/* Every byte of a good bundle, one bit flipped: never verifies. */
static void test_every_bit(void **state)
{
    struct proto_proof_result res;
    struct proto_buf b;
    unsigned counts[PROTO_PROOF_QUORUM + 1] = {0};

    (void)state;
    proto_buf_init(&b);
    good_bundle(&b);
    for (size_t i = 0; i < b.len; i++) {
        uint8_t bit = (uint8_t)(1u << (i % 8));

        b.data[i] ^= bit;
        assert_int_not_equal(verify(&b, &res), 0);
        counts[res.status]++;
        b.data[i] ^= bit;
    }
    assert_int_equal(verify(&b, &res), 0);
    /* The flips reached every part. */
    assert_true(counts[PROTO_PROOF_MALFORMED] > 0);
    assert_true(counts[PROTO_PROOF_WRONG_LEDGER] > 0);
    assert_true(counts[PROTO_PROOF_CHECKPOINT] > 0);
    assert_true(counts[PROTO_PROOF_INCLUSION] > 0);
    assert_true(counts[PROTO_PROOF_HEAD_PATH] > 0);
    assert_true(counts[PROTO_PROOF_GRANT] > 0);
    assert_true(counts[PROTO_PROOF_CHECKPOINT_SIG] > 0);
    assert_true(counts[PROTO_PROOF_ENTRY_SIG] > 0);
    proto_buf_release(&b);
}

/* The first offset at or after from where b holds p[0..n). */
static size_t find_from(const struct proto_buf *b, size_t from, const void *p, size_t n)
{
    for (size_t i = from; i + n <= b->len; i++)
        if (memcmp(b->data + i, p, n) == 0)
            return i;
    fail();
    return 0;
}

static size_t find(const struct proto_buf *b, const void *p, size_t n)
{
    return find_from(b, 0, p, n);
}

/*
 * Flips bit 0 of byte at of a part of the good bundle, found by its bytes after those of anchor
 * (an entry: its item's paths follow it; NULL to search from the start), and expects st.
 */
static void flip_expect_after(const void *anchor, size_t alen, const void *part, size_t n,
                              size_t at, enum proto_proof_status st, int code)
{
    struct proto_buf b;
    size_t off, from = 0;

    proto_buf_init(&b);
    good_bundle(&b);
    if (anchor)
        from = find(&b, anchor, alen) + alen;
    off = find_from(&b, from, part, n);
    b.data[off + at] ^= 0x01;
    expect(&b, st, code);
    proto_buf_release(&b);
}

static void flip_expect(const void *part, size_t n, size_t at, enum proto_proof_status st, int code)
{
    flip_expect_after(NULL, 0, part, n, at, st, code);
}

/* One flipped bit in each named part gives that part's failure. */
static void test_parts(void **state)
{
    struct proto_proof_item it, gi;
    struct feed *f3 = feed_of(&g_w, 3), *f0 = feed_of(&g_w, 0);
    const struct proto_buf *e = &f3->raw[1];

    (void)state;
    item_make(&g_w, 3, 2, &it);
    item_make(&g_w, 0, 2, &gi);
    /* The genesis: another id, so another ledger. */
    flip_expect(f0->raw[0].data, f0->raw[0].len, f0->raw[0].len / 2, PROTO_PROOF_WRONG_LEDGER,
                ERR_LEDGER);
    /* The entry's signature (its last 64 bytes). */
    flip_expect(e->data, e->len, e->len - 10, PROTO_PROOF_ENTRY_SIG, ERR_BADSIG);
    /* The entry's signed bytes: the signature no longer covers them. */
    flip_expect(e->data, e->len, e->len - 70, PROTO_PROOF_ENTRY_SIG, ERR_BADSIG);
    /* Feed root, feed path, head path. */
    flip_expect_after(e->data, e->len, it.feed_root, 32, 3, PROTO_PROOF_INCLUSION, ERR_PROOF);
    flip_expect_after(e->data, e->len, it.feed_path[0], 32, 31, PROTO_PROOF_INCLUSION, ERR_PROOF);
    flip_expect_after(e->data, e->len, it.head_path[it.head_plen - 1], 32, 0, PROTO_PROOF_HEAD_PATH,
                      ERR_PROOF);
    /* The grant's path (its first hash is the genesis id, the ledger id). */
    flip_expect_after(gi.entry, gi.entry_len, gi.feed_path[0], 32, 0, PROTO_PROOF_GRANT, ERR_PROOF);
    /* The grant's signature. */
    flip_expect(gi.entry, gi.entry_len, gi.entry_len - 1, PROTO_PROOF_GRANT, ERR_BADSIG);
    /* The checkpoint text: its head line (base64) changes, so every signature fails. */
    {
        char b64[PROTO_B64STD_LEN(32)];

        static const char alpha[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        size_t j = 0;

        proto_b64std_encode(g_w.c.head, 32, b64);
        /* A character whose bit 0 flipped is still base64 (the keys, so the head, are random:
         * flipping 'A' would make the line unreadable instead of changing the head). */
        while (j < 42 && !strchr(alpha, b64[j] ^ 0x01))
            j++;
        flip_expect(b64, 44, j, PROTO_PROOF_CHECKPOINT_SIG, ERR_BADSIG);
        /* Its origin: another ledger's checkpoint, or no saksi checkpoint at all. */
        {
            char hex[65];
            size_t k = 0;

            proto_hex(g_w.ledger, 32, hex);
            while (!strchr("0123456789bcde", hex[k]))
                k++; /* a digit whose bit 0 flipped is still a lowercase hex digit */
            flip_expect("saksi.ledger/", 13, 13 + k, PROTO_PROOF_WRONG_LEDGER, ERR_LEDGER);
        }
        flip_expect("saksi.ledger/", 13, 0, PROTO_PROOF_CHECKPOINT, ERR_CHECKPOINT);
    }
    /* The magic. */
    flip_expect("saksi-proof", 11, 0, PROTO_PROOF_MALFORMED, ERR_BADFRAME);
}

/* The entry's feed length or head position changed (re-encoded, so the bundle stays canonical). */
static void test_positions(void **state)
{
    struct proto_proof_item it, gi;
    struct proto_buf b, note;
    struct feed *g0 = feed_of(&g_w, 0);

    (void)state;
    proto_buf_init(&b);
    proto_buf_init(&note);
    note_make(&g_w.text, (const int[]){0, 1, 4}, 3, &note);
    item_make(&g_w, 0, 2, &gi);

#define ENCODE_EXPECT(st, code)                                                                    \
    do {                                                                                           \
        b.len = 0;                                                                                 \
        assert_int_equal(proto_proof_encode(g0->raw[0].data, g0->raw[0].len,                       \
                                            (const char *)note.data, note.len, &gi, 1, &it, &b),   \
                         0);                                                                       \
        expect(&b, st, code);                                                                      \
    } while (0)

    item_make(&g_w, 3, 2, &it);
    it.feed_length++;
    ENCODE_EXPECT(PROTO_PROOF_INCLUSION, ERR_PROOF);
    item_make(&g_w, 3, 2, &it);
    it.feed_length = 1; /* below the entry's seq */
    ENCODE_EXPECT(PROTO_PROOF_INCLUSION, ERR_PROOF);
    item_make(&g_w, 3, 2, &it);
    it.head_index ^= 1;
    ENCODE_EXPECT(PROTO_PROOF_HEAD_PATH, ERR_PROOF);
    item_make(&g_w, 3, 2, &it);
    it.head_index = it.head_count;
    ENCODE_EXPECT(PROTO_PROOF_HEAD_PATH, ERR_PROOF);
    item_make(&g_w, 3, 2, &it);
    it.head_count++;
    ENCODE_EXPECT(PROTO_PROOF_HEAD_PATH, ERR_PROOF);
    item_make(&g_w, 3, 2, &it);
    it.feed_plen--;
    ENCODE_EXPECT(PROTO_PROOF_INCLUSION, ERR_PROOF);
    /* Another entry of the same feed, with this entry's paths. */
    item_make(&g_w, 3, 2, &it);
    it.entry = feed_of(&g_w, 3)->raw[0].data;
    it.entry_len = feed_of(&g_w, 3)->raw[0].len;
    ENCODE_EXPECT(PROTO_PROOF_INCLUSION, ERR_PROOF);
    /* Garbage for the entry. */
    item_make(&g_w, 3, 2, &it);
    it.entry = (const uint8_t *)"\x92\xc4\x00\xc4\x00";
    it.entry_len = 5;
    ENCODE_EXPECT(PROTO_PROOF_ENTRY, ERR_BADFRAME);
    /* A grant that is not an admission: key 3's journal. */
    item_make(&g_w, 3, 2, &it);
    item_make(&g_w, 3, 4, &gi);
    ENCODE_EXPECT(PROTO_PROOF_GRANT, ERR_BODY);
    /* A grant by the kasir, who may not admit (key 3's admission of key 5). */
    item_make(&g_w, 3, 1, &gi);
    note.len = 0;
    note_make(&g_w.text, (const int[]){0, 1, 5}, 3, &note);
    ENCODE_EXPECT(PROTO_PROOF_GRANT, ERR_AUTHORITY);
#undef ENCODE_EXPECT
    proto_buf_release(&b);
    proto_buf_release(&note);
}

/* Trailing bytes, another version, the wrong ledger id. */
static void test_envelope(void **state)
{
    struct proto_proof_result res;
    struct proto_buf b;
    uint8_t other[32];
    size_t off;

    (void)state;
    proto_buf_init(&b);
    good_bundle(&b);
    assert_int_equal(proto_buf_append_byte(&b, 0xc0), 0);
    expect(&b, PROTO_PROOF_MALFORMED, ERR_BADFRAME);
    b.len--;
    off = find(&b, "saksi-proof", 11);
    b.data[off + 11] = 2; /* version 2 */
    expect(&b, PROTO_PROOF_MALFORMED, ERR_BADFRAME);
    b.data[off + 11] = 1;
    b.data[0] = 0x97; /* seven fields announced */
    expect(&b, PROTO_PROOF_MALFORMED, ERR_TRUNC == ERR_BADFRAME ? ERR_BADFRAME : ERR_BADFRAME);
    b.data[0] = 0x96;
    memcpy(other, g_w.ledger, 32);
    other[31] ^= 0x80;
    assert_int_equal(proto_proof_verify(other, b.data, b.len, &res), ERR_LEDGER);
    assert_int_equal(res.status, PROTO_PROOF_WRONG_LEDGER);
    assert_non_null(strstr(res.msg, "not"));
    proto_buf_release(&b);
}

/* A bundle of a fake ledger, checked against the real ledger id; and its checkpoint, or its
 * entry, inside a bundle of the real ledger. */
static void test_fake_ledger(void **state)
{
    struct proto_proof_result res;
    struct proto_proof_item it, fit, gi;
    struct proto_buf b, note;
    struct feed *g0 = feed_of(&g_w, 0);

    (void)state;
    proto_buf_init(&b);
    proto_buf_init(&note);
    bundle_make(&g_fake, 6, 2, (const int[]){6}, 1, NULL, 0, &b);
    assert_int_equal(proto_proof_verify(g_fake.ledger, b.data, b.len, &res), ERR_QUORUM);
    expect(&b, PROTO_PROOF_WRONG_LEDGER, ERR_LEDGER);
    /* The real genesis with the fake checkpoint. */
    note_make(&g_fake.text, (const int[]){0, 1, 4}, 3, &note);
    item_make(&g_w, 3, 2, &it);
    item_make(&g_w, 0, 2, &gi);
    b.len = 0;
    assert_int_equal(proto_proof_encode(g0->raw[0].data, g0->raw[0].len, (const char *)note.data,
                                        note.len, &gi, 1, &it, &b),
                     0);
    expect(&b, PROTO_PROOF_WRONG_LEDGER, ERR_LEDGER);
    /* The fake ledger's entry in a real bundle. */
    note.len = 0;
    note_make(&g_w.text, (const int[]){0, 1, 4}, 3, &note);
    item_make(&g_fake, 6, 2, &fit);
    b.len = 0;
    assert_int_equal(proto_proof_encode(g0->raw[0].data, g0->raw[0].len, (const char *)note.data,
                                        note.len, &gi, 1, &fit, &b),
                     0);
    expect(&b, PROTO_PROOF_WRONG_LEDGER, ERR_LEDGER);
    /* A genesis authored by the kasir: its own ledger, not a valid genesis. */
    {
        struct proto_buf gb, body;
        uint8_t gid[32];

        proto_buf_init(&gb);
        proto_buf_init(&body);
        genesis_body(0, &body);
        assert_int_equal(proto_entry_build(&gb, g_keys[3], NULL, 1, NULL, 0, PROTO_KIND_GENESIS,
                                           body.data, body.len),
                         0);
        proto_entry_id(gb.data, gb.len, gid);
        b.len = 0;
        assert_int_equal(
            proto_proof_encode(gb.data, gb.len, (const char *)note.data, note.len, &gi, 1, &it, &b),
            0);
        assert_int_equal(proto_proof_verify(gid, b.data, b.len, &res), ERR_GENESIS);
        assert_int_equal(res.status, PROTO_PROOF_GENESIS);
        proto_buf_release(&gb);
        proto_buf_release(&body);
    }
    proto_buf_release(&b);
    proto_buf_release(&note);
}

/* Signatures: over another head, too few, from keys not on the roster, a malformed note. */
static void test_signatures(void **state)
{
    struct proto_buf b, note, other_note, mixed, text;
    struct proto_proof_item it, gi;
    struct feed *g0 = feed_of(&g_w, 0);
    struct proto_checkpoint other;
    const char *l;

    (void)state;
    proto_buf_init(&b);
    proto_buf_init(&note);
    proto_buf_init(&other_note);
    proto_buf_init(&mixed);
    proto_buf_init(&text);
    item_make(&g_w, 3, 2, &it);
    item_make(&g_w, 0, 2, &gi);

#define WITH_NOTE(nb, st, code)                                                                    \
    do {                                                                                           \
        b.len = 0;                                                                                 \
        assert_int_equal(proto_proof_encode(g0->raw[0].data, g0->raw[0].len,                       \
                                            (const char *)(nb).data, (nb).len, &gi, 1, &it, &b),   \
                         0);                                                                       \
        expect(&b, st, code);                                                                      \
    } while (0)

    /* Quorum not met: two pengurus, no pengawas. */
    note_make(&g_w.text, (const int[]){0, 1}, 2, &note);
    WITH_NOTE(note, PROTO_PROOF_QUORUM, ERR_QUORUM);
    /* A pengurus signing twice (two lines) is one member. */
    note.len = 0;
    note_make(&g_w.text, (const int[]){0, 0, 2}, 3, &note);
    WITH_NOTE(note, PROTO_PROOF_QUORUM, ERR_QUORUM);
    /* Key 5 was never admitted (the kasir's admission does not count): not on the roster. */
    note.len = 0;
    note_make(&g_w.text, (const int[]){0, 1, 5}, 3, &note);
    WITH_NOTE(note, PROTO_PROOF_NOT_ON_ROSTER, ERR_QUORUM);
    /* Key 4 without its grant in the bundle. */
    note.len = 0;
    note_make(&g_w.text, (const int[]){0, 1, 4}, 3, &note);
    b.len = 0;
    assert_int_equal(proto_proof_encode(g0->raw[0].data, g0->raw[0].len, (const char *)note.data,
                                        note.len, NULL, 0, &it, &b),
                     0);
    expect(&b, PROTO_PROOF_NOT_ON_ROSTER, ERR_QUORUM);
    /* A cosignature over another head, moved onto this checkpoint. */
    other = g_w.c;
    other.head[0] ^= 1;
    assert_int_equal(proto_checkpoint_format(&other, &text), 0);
    note_make(&text, (const int[]){0, 2}, 2, &other_note);
    note.len = 0;
    note_make(&g_w.text, (const int[]){0, 1}, 2, &note);
    l = strstr((const char *)other_note.data, "\n\n") + 2;
    l = strchr(l, '\n') + 1; /* the pengawas's cosignature line */
    assert_int_equal(proto_buf_append(&mixed, note.data, note.len), 0);
    assert_int_equal(
        proto_buf_append(&mixed, l, other_note.len - (size_t)(l - (const char *)other_note.data)),
        0);
    WITH_NOTE(mixed, PROTO_PROOF_CHECKPOINT_SIG, ERR_BADSIG);
    /* CRLF in the note; an extra blank line after the signatures. */
    mixed.len = 0;
    for (size_t i = 0; i < note.len; i++) {
        if (note.data[i] == '\n')
            assert_int_equal(proto_buf_append_byte(&mixed, '\r'), 0);
        assert_int_equal(proto_buf_append_byte(&mixed, note.data[i]), 0);
    }
    WITH_NOTE(mixed, PROTO_PROOF_CHECKPOINT, ERR_NOTE);
    mixed.len = 0;
    assert_int_equal(proto_buf_append(&mixed, note.data, note.len), 0);
    assert_int_equal(proto_buf_append_byte(&mixed, '\n'), 0);
    WITH_NOTE(mixed, PROTO_PROOF_CHECKPOINT, ERR_NOTE);
    /* An extra blank line before the signatures: the text is no longer a checkpoint. */
    mixed.len = 0;
    assert_int_equal(proto_buf_append(&mixed, g_w.text.data, g_w.text.len), 0);
    assert_int_equal(proto_buf_append_byte(&mixed, '\n'), 0);
    assert_int_equal(proto_buf_append(&mixed, note.data + g_w.text.len, note.len - g_w.text.len),
                     0);
    WITH_NOTE(mixed, PROTO_PROOF_CHECKPOINT, ERR_CHECKPOINT);
#undef WITH_NOTE
    proto_buf_release(&b);
    proto_buf_release(&note);
    proto_buf_release(&other_note);
    proto_buf_release(&mixed);
    proto_buf_release(&text);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Leaves of the synthetic feeds of the head measurement: leaf i of feed f. */
static int synth_leaf(void *arg, uint64_t index, uint8_t out[32])
{
    uint64_t v[2] = {(uint64_t)(uintptr_t)arg, index};

    proto_sha256(v, sizeof v, out);
    return 0;
}

static void test_measure(void **state)
{
    struct proto_proof_result res;
    struct proto_buf b, note;
    struct proto_proof_item it, gi;
    struct feed *g0 = feed_of(&g_w, 0);
    struct proto_head_feed *hf;
    struct proto_merkle_range r;
    uint8_t head[32], leaf[32];
    double t0, t1;
    int n = 2000;

    (void)state;
    if (!getenv("SAKSI_MEASURE"))
        skip();
    proto_buf_init(&b);
    proto_buf_init(&note);
    note_make(&g_w.text, (const int[]){0, 1, 4}, 3, &note);
    t0 = now_s();
    for (int i = 0; i < n; i++) {
        b.len = 0;
        item_make(&g_w, 3, 2, &it);
        item_make(&g_w, 0, 2, &gi);
        assert_int_equal(proto_proof_encode(g0->raw[0].data, g0->raw[0].len,
                                            (const char *)note.data, note.len, &gi, 1, &it, &b),
                         0);
    }
    t1 = now_s();
    printf("proof creation (11-entry ledger, 1 grant, from in-memory ids): %.0f/s, %zu bytes\n",
           n / (t1 - t0), b.len);
    t0 = now_s();
    for (int i = 0; i < n; i++)
        assert_int_equal(proto_proof_verify(g_w.ledger, b.data, b.len, &res), 0);
    t1 = now_s();
    printf("proof verification (3 signatures, 2 entries, 4 card signatures): %.0f/s\n",
           n / (t1 - t0));

    /* 1,000 feeds of 1,000 entries: roots by compact range (what the store keeps), then the
     * head from scratch, then the head again with one feed changed. */
    hf = calloc(1000, sizeof *hf);
    assert_non_null(hf);
    t0 = now_s();
    for (int f = 0; f < 1000; f++) {
        memset(hf[f].author, 0, 32);
        hf[f].author[0] = (uint8_t)(f >> 8);
        hf[f].author[1] = (uint8_t)f;
        hf[f].length = 1000;
        proto_merkle_range_init(&r);
        for (uint64_t i = 0; i < 1000; i++) {
            synth_leaf((void *)(uintptr_t)f, i, leaf);
            proto_merkle_range_push(&r, leaf);
        }
        proto_merkle_range_root(&r, hf[f].root);
    }
    t1 = now_s();
    printf("feed roots, 1,000 feeds x 1,000 entries by compact range: %.3f s\n", t1 - t0);
    t0 = now_s();
    for (int i = 0; i < 100; i++)
        assert_int_equal(proto_head_compute(hf, 1000, head), 0);
    t1 = now_s();
    printf("proto_head_compute over 1,000 feed roots: %.3f ms each (%.0f heads/s)\n",
           (t1 - t0) * 1000 / 100, 100 / (t1 - t0));
    free(hf);
    proto_buf_release(&b);
    proto_buf_release(&note);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid),     cmocka_unit_test(test_ok),
        cmocka_unit_test(test_every_bit),   cmocka_unit_test(test_parts),
        cmocka_unit_test(test_positions),   cmocka_unit_test(test_envelope),
        cmocka_unit_test(test_fake_ledger), cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_measure),
    };

    return cmocka_run_group_tests_name("proto_proof", tests, setup, teardown);
}
