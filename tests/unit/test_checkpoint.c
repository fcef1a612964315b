/*
 * Unit tests for proto/checkpoint: the body text (round trip, one spelling, every malformed
 * line), a checkpoint computed from a frontier and matched against one, consistency between two
 * checkpoints (extension, a checkpoint below its predecessor, a missing feed, a bad proof, a
 * frontier that is not the checkpoint's, another ledger), the signers of a note (signature and
 * cosignature lines by roster devices, unknown keys ignored, a bad line rejecting the note, a
 * cosignature over another head, a wrong key id), the quorum counted by member number, and the
 * bodies of kinds 80 and 81 with the signature lines they stand for.
 *
 * Vectors: the frontier leaves are synthetic (leaf i of feed a = SHA-256(0x00 || a || u32be i));
 * expected heads are recomputed with proto_head_compute, whose own vectors are FORMATS 5.6.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/checkpoint.h"
#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/merkle.h"
#include "proto/mp.h"
#include "tests/unit/helpers.h"

#define NFEEDS 5
#define MAXLEN 40
#define NKEYS  6

static uint8_t g_ledger[32];
static uint8_t g_leaves[NFEEDS][MAXLEN][32];
static struct proto_keys *g_keys[NKEYS];

static int setup(void **state)
{
    (void)state;
    if (proto_crypto_init() < 0)
        return -1;
    memset(g_ledger, 0x1e, 32);
    for (int a = 0; a < NFEEDS; a++)
        for (int i = 0; i < MAXLEN; i++) {
            uint8_t in[5] = {(uint8_t)a, 0, 0, 0, (uint8_t)i};

            proto_merkle_leaf(in, sizeof in, g_leaves[a][i]);
        }
    for (int i = 0; i < NKEYS; i++)
        if (proto_keys_generate(&g_keys[i]) < 0)
            return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < NKEYS; i++)
        proto_keys_free(g_keys[i]);
    return 0;
}

/* Feed a (author a+1 repeated) at length len. */
static void feed_at(int a, uint64_t len, struct proto_ckpt_feed *f)
{
    memset(f->author, a + 1, 32);
    f->length = len;
    assert_int_equal(proto_merkle_root(proto_merkle_array_leaf, g_leaves[a], len, f->root), 0);
    memcpy(f->last, g_leaves[a][len - 1], 32);
}

/* A frontier of feeds 0..n-1 with the given lengths (0: feed absent). */
static size_t frontier(const uint64_t *lens, struct proto_ckpt_feed *f)
{
    size_t n = 0;

    for (int a = 0; a < NFEEDS; a++)
        if (lens[a])
            feed_at(a, lens[a], &f[n++]);
    return n;
}

static void test_invalid(void **state)
{
    struct proto_checkpoint c;
    struct proto_ckpt_feed f[2];

    (void)state;
    assert_int_equal(proto_checkpoint_parse("", 0, &c), ERR_CHECKPOINT);
    assert_int_equal(proto_checkpoint_parse("\n\n\n\n", 4, &c), ERR_CHECKPOINT);
    feed_at(1, 3, &f[0]);
    feed_at(0, 3, &f[1]);
    assert_int_equal(proto_checkpoint_compute(g_ledger, f, 2, &c), -EINVAL); /* unsorted */
    feed_at(0, 3, &f[0]);
    feed_at(1, 3, &f[1]);
    f[1].length = 0;
    assert_int_equal(proto_checkpoint_compute(g_ledger, f, 2, &c), -EINVAL);
    f[0].length = UINT64_MAX;
    f[1].length = 2;
    assert_int_equal(proto_checkpoint_compute(g_ledger, f, 2, &c), ERR_CHECKPOINT);
}

static void test_body_roundtrip(void **state)
{
    static const uint64_t lens[NFEEDS] = {3, 0, 17, 1, 32};
    struct proto_ckpt_feed f[NFEEDS];
    struct proto_head_feed hf[NFEEDS];
    struct proto_checkpoint c, d;
    struct proto_buf b;
    uint8_t head[32];
    char hex[65], want[256];
    size_t n = frontier(lens, f);

    (void)state;
    assert_int_equal(proto_checkpoint_compute(g_ledger, f, n, &c), 0);
    assert_int_equal(c.size, 3 + 17 + 1 + 32);
    for (size_t i = 0; i < n; i++) {
        memcpy(hf[i].author, f[i].author, 32);
        hf[i].length = f[i].length;
        memcpy(hf[i].root, f[i].root, 32);
    }
    assert_int_equal(proto_head_compute(hf, n, head), 0);
    assert_memory_equal(c.head, head, 32);
    assert_int_equal(proto_checkpoint_match(&c, f, n), 0);

    proto_buf_init(&b);
    assert_int_equal(proto_checkpoint_format(&c, &b), 0);
    /* The layout, line by line. */
    {
        char h64[PROTO_B64STD_LEN(32)], f64[PROTO_B64STD_LEN(32)];

        proto_hex(g_ledger, 32, hex);
        proto_b64std_encode(c.head, 32, h64);
        proto_b64std_encode(c.frontier, 32, f64);
        snprintf(want, sizeof want, "saksi.ledger/%s\n53\n%s\nfrontier %s\n", hex, h64, f64);
        assert_int_equal(b.len, strlen(want));
        assert_memory_equal(b.data, want, b.len);
    }
    assert_int_equal(proto_checkpoint_parse((const char *)b.data, b.len, &d), 0);
    assert_memory_equal(&c, &d, sizeof c);
    proto_buf_release(&b);

    /* The empty frontier: size 0, head SHA-256(""). */
    assert_int_equal(proto_checkpoint_compute(g_ledger, NULL, 0, &c), 0);
    assert_int_equal(c.size, 0);
    proto_sha256("", 0, head);
    assert_memory_equal(c.head, head, 32);
}

/* Each malformed body: one change to a good one. */
static void test_body_strict(void **state)
{
    static const uint64_t lens[NFEEDS] = {2, 2, 0, 0, 0};
    struct proto_ckpt_feed f[NFEEDS];
    struct proto_checkpoint c, d;
    struct proto_buf b;
    char good[300], bad[320], *p;
    size_t n = frontier(lens, f);

    (void)state;
    assert_int_equal(proto_checkpoint_compute(g_ledger, f, n, &c), 0);
    proto_buf_init(&b);
    assert_int_equal(proto_checkpoint_format(&c, &b), 0);
    memcpy(good, b.data, b.len);
    good[b.len] = '\0';
    proto_buf_release(&b);

#define BAD(...)                                                                                   \
    do {                                                                                           \
        snprintf(bad, sizeof bad, __VA_ARGS__);                                                    \
        assert_int_equal(proto_checkpoint_parse(bad, strlen(bad), &d), ERR_CHECKPOINT);            \
    } while (0)

    BAD("%s\n", good);                        /* an extra blank line */
    BAD("%sextra line\n", good);              /* an extension line saksi does not know */
    BAD("%.*s", (int)strlen(good) - 1, good); /* no final newline */
    p = strchr(good, '\n');
    BAD("saksi.ledger/%.*s", (int)(strlen(good) - 14), good + 13); /* fine, sanity below */
    assert_int_equal(proto_checkpoint_parse(bad, strlen(bad), &d), ERR_CHECKPOINT);
    BAD("saksi.ledgers/%s", good + 13); /* another origin prefix */
    BAD("example.com/log\n%s", p + 1);  /* another origin */
    strcpy(bad, good);
    bad[13] = 'A'; /* uppercase hex in the origin */
    assert_int_equal(proto_checkpoint_parse(bad, strlen(bad), &d), ERR_CHECKPOINT);
    BAD("%.*s\n04\n%s", (int)(p - good), good, strchr(p + 1, '\n') + 1); /* leading zero */
    BAD("%.*s\n+4\n%s", (int)(p - good), good, strchr(p + 1, '\n') + 1);
    BAD("%.*s\n\n%s", (int)(p - good), good, strchr(p + 1, '\n') + 1);
    BAD("%.*s\n18446744073709551616\n%s", (int)(p - good), good, strchr(p + 1, '\n') + 1);
    /* CRLF line ends. */
    strcpy(bad, good);
    {
        char crlf[400];
        size_t k = 0;

        for (size_t i = 0; bad[i]; i++) {
            if (bad[i] == '\n')
                crlf[k++] = '\r';
            crlf[k++] = bad[i];
        }
        assert_int_equal(proto_checkpoint_parse(crlf, k, &d), ERR_CHECKPOINT);
    }
    /* The root hash and frontier lines: not canonical base64, wrong length. */
    strcpy(bad, good);
    p = strchr(strchr(bad, '\n') + 1, '\n') + 1; /* the root hash line */
    p[42] = p[42] == 'A' ? 'B' : 'A';            /* non-zero unused bits, or another hash */
    if (proto_checkpoint_parse(bad, strlen(bad), &d) == 0)
        assert_memory_not_equal(d.head, c.head, 32);
    p[43] = 'A'; /* no padding */
    assert_int_equal(proto_checkpoint_parse(bad, strlen(bad), &d), ERR_CHECKPOINT);
    strcpy(bad, good);
    p = strstr(bad, "frontier ");
    p[8] = '\t';
    assert_int_equal(proto_checkpoint_parse(bad, strlen(bad), &d), ERR_CHECKPOINT);
    /* A size that does not match the frontier parses, but does not match it. */
    c.size++;
    assert_int_equal(proto_checkpoint_match(&c, f, n), ERR_CHECKPOINT);
    c.size--;
    f[0].last[0] ^= 1; /* another id at length: the frontier digest differs */
    assert_int_equal(proto_checkpoint_match(&c, f, n), ERR_CHECKPOINT);
    f[0].last[0] ^= 1;
    f[1].root[5] ^= 1; /* another feed root: the head differs */
    assert_int_equal(proto_checkpoint_match(&c, f, n), ERR_CHECKPOINT);
#undef BAD
}

/* Consistency proofs of every old feed against the new frontier. */
static void proofs_for(const struct proto_ckpt_feed *af, size_t an,
                       const struct proto_ckpt_feed *bf, size_t bn,
                       uint8_t (*paths)[PROTO_MERKLE_PATH_MAX][32],
                       struct proto_ckpt_cproof *proofs)
{
    for (size_t i = 0; i < an; i++) {
        size_t j = 0, len = 0;

        while (j < bn && memcmp(bf[j].author, af[i].author, 32) != 0)
            j++;
        if (j < bn && bf[j].length >= af[i].length)
            assert_int_equal(proto_merkle_consistency(proto_merkle_array_leaf,
                                                      g_leaves[af[i].author[0] - 1], bf[j].length,
                                                      af[i].length, paths[i], &len),
                             0);
        proofs[i].path = (const uint8_t(*)[32])paths[i];
        proofs[i].len = len;
    }
}

static void test_consistency(void **state)
{
    static const uint64_t la[NFEEDS] = {3, 0, 8, 1, 0};
    static const uint64_t lb[NFEEDS] = {3, 5, 13, 2, 1};
    static uint8_t paths[NFEEDS][PROTO_MERKLE_PATH_MAX][32];
    struct proto_ckpt_feed af[NFEEDS], bf[NFEEDS];
    struct proto_ckpt_cproof proofs[NFEEDS];
    struct proto_checkpoint a, b;
    size_t an = frontier(la, af), bn = frontier(lb, bf), bad = 0;

    (void)state;
    assert_int_equal(proto_checkpoint_compute(g_ledger, af, an, &a), 0);
    assert_int_equal(proto_checkpoint_compute(g_ledger, bf, bn, &b), 0);
    proofs_for(af, an, bf, bn, paths, proofs);
    assert_int_equal(proto_checkpoint_consistent(&a, af, an, &b, bf, bn, proofs, &bad), 0);
    assert_int_equal(bad, SIZE_MAX);
    /* Itself: every proof empty. */
    {
        struct proto_ckpt_cproof none[NFEEDS] = {{NULL, 0}};

        assert_int_equal(proto_checkpoint_consistent(&a, af, an, &a, af, an, none, &bad), 0);
    }
    /* The newer one below its predecessor: feed 2 shrinks from 13 to 8. */
    proofs_for(bf, bn, af, an, paths, proofs);
    assert_int_equal(proto_checkpoint_consistent(&b, bf, bn, &a, af, an, proofs, &bad),
                     ERR_REGRESS);
    assert_int_equal(bad, 1); /* bf[1] is feed 1, absent from a */
    /* A feed that left: drop feed 3 from b. */
    {
        static const uint64_t lc[NFEEDS] = {3, 5, 13, 0, 1};
        struct proto_ckpt_feed cf[NFEEDS];
        struct proto_checkpoint cc;
        size_t cn = frontier(lc, cf);

        assert_int_equal(proto_checkpoint_compute(g_ledger, cf, cn, &cc), 0);
        proofs_for(af, an, cf, cn, paths, proofs);
        assert_int_equal(proto_checkpoint_consistent(&a, af, an, &cc, cf, cn, proofs, &bad),
                         ERR_REGRESS);
        assert_int_equal(bad, 2); /* af[2] is feed 3 */
    }
    /* A bad proof: one flipped bit. */
    proofs_for(af, an, bf, bn, paths, proofs);
    paths[1][0][7] ^= 0x10;
    assert_int_equal(proto_checkpoint_consistent(&a, af, an, &b, bf, bn, proofs, &bad), ERR_PROOF);
    assert_int_equal(bad, 1);
    paths[1][0][7] ^= 0x10;
    /* A feed rewritten under the same length: its old root is not a prefix of the new one. */
    {
        struct proto_ckpt_feed xf[NFEEDS];
        struct proto_checkpoint x;

        memcpy(xf, bf, sizeof xf);
        memcpy(xf[2].root, af[1].root, 32); /* feed 2 (index 2 in b) with feed 2's old root */
        xf[2].root[0] ^= 1;
        assert_int_equal(proto_checkpoint_compute(g_ledger, xf, bn, &x), 0);
        assert_int_equal(proto_checkpoint_consistent(&a, af, an, &x, xf, bn, proofs, &bad),
                         ERR_PROOF);
    }
    /* A frontier that is not the checkpoint's. */
    bf[0].root[0] ^= 1;
    assert_int_equal(proto_checkpoint_consistent(&a, af, an, &b, bf, bn, proofs, &bad),
                     ERR_CHECKPOINT);
    assert_int_equal(bad, SIZE_MAX);
    bf[0].root[0] ^= 1;
    /* Another ledger. */
    b.ledger[0] ^= 1;
    assert_int_equal(proto_checkpoint_consistent(&a, af, an, &b, bf, bn, proofs, &bad), ERR_LEDGER);
}

/* A checkpoint note: its text signed by key 0, cosigned by the others. */
static void note_of(const struct proto_checkpoint *c, const int *signers, size_t n,
                    struct proto_buf *out)
{
    struct proto_buf text, lines;
    char name[PROTO_CKPT_KEY_NAME_LEN + 1];

    proto_buf_init(&text);
    proto_buf_init(&lines);
    assert_int_equal(proto_checkpoint_format(c, &text), 0);
    for (size_t i = 0; i < n; i++) {
        const struct proto_keys *k = g_keys[signers[i]];

        proto_checkpoint_key_name(k->sign_pk, name);
        if (i == 0)
            assert_int_equal(proto_note_sign(&lines, k, name, PROTO_CKPT_KEY_NAME_LEN,
                                             (const char *)text.data, text.len),
                             0);
        else
            assert_int_equal(proto_note_cosign(&lines, k, name, PROTO_CKPT_KEY_NAME_LEN,
                                               1750000000 + i, (const char *)text.data, text.len),
                             0);
    }
    assert_int_equal(proto_note_format(out, (const char *)text.data, text.len,
                                       (const char *)lines.data, lines.len),
                     0);
    proto_buf_release(&text);
    proto_buf_release(&lines);
}

/* Devices: keys 0, 1 pengurus (members 1, 2), key 2 pengawas (member 3), key 3 kasir (member
 * 4), key 4 pengawas of member 1 (a second device of a pengurus). Key 5 is not listed. */
static void devices(struct proto_ckpt_device *d)
{
    static const uint32_t members[5] = {1, 2, 3, 4, 1};
    static const uint8_t roles[5] = {PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGAWAS,
                                     PROTO_ROLE_KASIR, PROTO_ROLE_PENGAWAS};

    for (int i = 0; i < 5; i++) {
        memcpy(d[i].pk, g_keys[i]->sign_pk, 32);
        d[i].member = members[i];
        d[i].role = roles[i];
    }
}

static int signers_quorum(const struct proto_buf *note, const struct proto_ckpt_device *dev,
                          size_t *ns, size_t *unknown, struct proto_quorum *have)
{
    static const struct proto_quorum need = {2, 1};
    struct proto_ckpt_signer s[PROTO_NOTE_SIGS_MAX];
    struct proto_note n;
    int rc;

    assert_int_equal(proto_note_parse((const char *)note->data, note->len, &n), 0);
    rc = proto_checkpoint_signers(&n, dev, 5, s, ns, unknown);
    if (rc == 0) {
        for (size_t i = 0; i < *ns; i++)
            assert_int_equal(s[i].type, s[i].line == 0 ? PROTO_NOTE_ED25519 : PROTO_NOTE_COSIG);
        rc = proto_checkpoint_quorum(&need, dev, s, *ns, have);
    }
    proto_note_release(&n);
    return rc;
}

static void test_signers_quorum(void **state)
{
    static const uint64_t lens[NFEEDS] = {3, 4, 0, 0, 0};
    struct proto_ckpt_feed f[NFEEDS];
    struct proto_ckpt_device dev[5];
    struct proto_checkpoint c;
    struct proto_quorum have;
    struct proto_buf note;
    size_t n = frontier(lens, f), ns, unknown;

    (void)state;
    devices(dev);
    assert_int_equal(proto_checkpoint_compute(g_ledger, f, n, &c), 0);
    proto_buf_init(&note);

    /* 2 pengurus + 1 pengawas: final. */
    note_of(&c, (const int[]){0, 1, 2}, 3, &note);
    assert_int_equal(signers_quorum(&note, dev, &ns, &unknown, &have), 0);
    assert_int_equal(ns, 3);
    assert_int_equal(unknown, 0);
    assert_int_equal(have.pengurus, 2);
    assert_int_equal(have.pengawas, 1);

    /* Member 1 twice (its pengawas device) does not make a pengawas: counted once, as pengurus;
     * a kasir counts for nothing. */
    note.len = 0;
    note_of(&c, (const int[]){0, 1, 4, 3}, 4, &note);
    assert_int_equal(signers_quorum(&note, dev, &ns, &unknown, &have), ERR_QUORUM);
    assert_int_equal(ns, 4);
    assert_int_equal(have.pengurus, 2);
    assert_int_equal(have.pengawas, 0);

    /* A signer not on the roster is ignored, and counted as unknown. */
    note.len = 0;
    note_of(&c, (const int[]){0, 5, 2}, 3, &note);
    assert_int_equal(signers_quorum(&note, dev, &ns, &unknown, &have), ERR_QUORUM);
    assert_int_equal(ns, 2);
    assert_int_equal(unknown, 1);
    assert_int_equal(have.pengurus, 1);

    /* A cosignature over another head: moved onto this note, it does not verify, and the whole
     * note is rejected. */
    {
        struct proto_checkpoint other = c;
        struct proto_buf on, mixed;
        const char *l;

        other.head[0] ^= 1;
        proto_buf_init(&on);
        proto_buf_init(&mixed);
        note_of(&other, (const int[]){0, 2}, 2, &on);
        note.len = 0;
        note_of(&c, (const int[]){0, 1}, 2, &note);
        /* this note, plus the pengawas line of the other one */
        l = strstr((const char *)on.data, "\n\n") + 2;
        l = strchr(l, '\n') + 1;
        assert_int_equal(proto_buf_append(&mixed, note.data, note.len), 0);
        assert_int_equal(proto_buf_append(&mixed, l, on.len - (size_t)(l - (char *)on.data)), 0);
        assert_int_equal(signers_quorum(&mixed, dev, &ns, &unknown, &have), ERR_BADSIG);
        assert_int_equal(ns, 2); /* the offending line */
        proto_buf_release(&on);
        proto_buf_release(&mixed);
    }

    /* A wrong key id under a roster name: not that device's key, ignored (and counted). */
    {
        struct proto_buf text, lines, bad;
        char name[PROTO_CKPT_KEY_NAME_LEN + 1];
        uint8_t sig[64];

        proto_buf_init(&text);
        proto_buf_init(&lines);
        proto_buf_init(&bad);
        assert_int_equal(proto_checkpoint_format(&c, &text), 0);
        proto_checkpoint_key_name(g_keys[2]->sign_pk, name);
        assert_int_equal(proto_sign(g_keys[2], "", 0, text.data, text.len, sig), 0);
        assert_int_equal(proto_note_line(&lines, name, PROTO_CKPT_KEY_NAME_LEN,
                                         proto_note_key_id(name, PROTO_CKPT_KEY_NAME_LEN,
                                                           PROTO_NOTE_ED25519, g_keys[2]->sign_pk) ^
                                             1,
                                         sig, 64),
                         0);
        assert_int_equal(proto_note_format(&bad, (const char *)text.data, text.len,
                                           (const char *)lines.data, lines.len),
                         0);
        assert_int_equal(signers_quorum(&bad, dev, &ns, &unknown, &have), ERR_QUORUM);
        assert_int_equal(ns, 0);
        assert_int_equal(unknown, 1);
        proto_buf_release(&text);
        proto_buf_release(&lines);
        proto_buf_release(&bad);
    }
    proto_buf_release(&note);
}

static void test_quorum_edges(void **state)
{
    struct proto_ckpt_device dev[5];
    struct proto_ckpt_signer s[3] = {{0, 0, 1, 0}, {1, 2, 4, 7}, {2, 1, 4, 9}};
    struct proto_quorum have, zero = {0, 0}, big = {3, 0};

    (void)state;
    devices(dev);
    /* Quorum [0, 0] still needs one verified signature. */
    assert_int_equal(proto_checkpoint_quorum(&zero, dev, s, 0, &have), ERR_QUORUM);
    assert_int_equal(proto_checkpoint_quorum(&zero, dev, s, 1, &have), 0);
    assert_int_equal(proto_checkpoint_quorum(&big, dev, s, 3, &have), ERR_QUORUM);
    assert_int_equal(have.pengurus, 2);
    assert_int_equal(have.pengawas, 1);
}

static void test_entry_bodies(void **state)
{
    static const uint64_t lens[NFEEDS] = {3, 4, 0, 7, 0};
    static struct proto_ckpt_entry e, d;
    struct proto_ckpt_feed f[NFEEDS];
    struct proto_cosign co, co2;
    struct proto_buf text, body, line, want;
    char name[PROTO_CKPT_KEY_NAME_LEN + 1];
    size_t n = frontier(lens, f);

    (void)state;
    memset(&e, 0, sizeof e);
    assert_int_equal(proto_checkpoint_compute(g_ledger, f, n, &e.c), 0);
    proto_buf_init(&text);
    proto_buf_init(&body);
    proto_buf_init(&line);
    proto_buf_init(&want);
    assert_int_equal(proto_checkpoint_format(&e.c, &text), 0);
    memcpy(e.text, text.data, text.len);
    e.text_len = text.len;
    assert_int_equal(proto_sign(g_keys[0], "", 0, text.data, text.len, e.sig), 0);
    for (size_t i = 0; i < n; i++) {
        memcpy(e.rows[i].author, f[i].author, 32);
        e.rows[i].length = f[i].length;
    }
    e.nrows = (uint32_t)n;
    memset(e.parts[0], 0x36, 32);
    e.nparts = 1;
    assert_int_equal(proto_ckpt_entry_encode(&e, &body), 0);
    assert_int_equal(proto_ckpt_entry_decode(body.data, body.len, &d), 0);
    assert_int_equal(d.text_len, e.text_len);
    assert_memory_equal(d.text, e.text, e.text_len);
    assert_memory_equal(&d.c, &e.c, sizeof e.c);
    assert_int_equal(d.nrows, n);
    assert_int_equal(d.nparts, 1);
    /* Its signature line is the one proto_note_sign writes (Ed25519 is deterministic). */
    proto_checkpoint_key_name(g_keys[0]->sign_pk, name);
    assert_int_equal(proto_ckpt_entry_line(g_keys[0]->sign_pk, d.sig, &line), 0);
    assert_int_equal(
        proto_note_sign(&want, g_keys[0], name, PROTO_CKPT_KEY_NAME_LEN, e.text, e.text_len), 0);
    assert_int_equal(line.len, want.len);
    assert_memory_equal(line.data, want.data, want.len);

    /* Malformed: rows out of order, a zero length, a text that is no checkpoint, trailing. */
    body.len = 0;
    e.rows[1] = e.rows[0];
    assert_int_equal(proto_ckpt_entry_encode(&e, &body), ERR_BODY);
    e.rows[1].author[0]++;
    e.rows[1].length = 0;
    assert_int_equal(proto_ckpt_entry_encode(&e, &body), ERR_BODY);
    e.rows[1].length = 1;
    e.text[0] = 'S';
    assert_int_equal(proto_ckpt_entry_encode(&e, &body), ERR_BODY);
    e.text[0] = 's';
    assert_int_equal(proto_ckpt_entry_encode(&e, &body), 0);
    assert_int_equal(proto_buf_append_byte(&body, 0xc0), 0);
    assert_int_equal(proto_ckpt_entry_decode(body.data, body.len, &d), ERR_BODY);
    assert_int_equal(d.nrows, 0);
    assert_int_equal(proto_ckpt_entry_decode(body.data, 3, &d), ERR_BODY);

    /* Kind 81. */
    memset(co.checkpoint, 0x80, 32);
    co.time = 1750000000;
    line.len = want.len = body.len = 0;
    assert_int_equal(proto_note_cosign(&want, g_keys[2], "x", 1, co.time, e.text, e.text_len), 0);
    {
        /* The signature bytes of a cosignature line by key 2 under its device name. */
        struct proto_buf l2, note;
        struct proto_note pn;

        proto_buf_init(&l2);
        proto_buf_init(&note);
        proto_checkpoint_key_name(g_keys[2]->sign_pk, name);
        assert_int_equal(proto_note_cosign(&l2, g_keys[2], name, PROTO_CKPT_KEY_NAME_LEN, co.time,
                                           e.text, e.text_len),
                         0);
        assert_int_equal(
            proto_note_format(&note, e.text, e.text_len, (const char *)l2.data, l2.len), 0);
        assert_int_equal(proto_note_parse((const char *)note.data, note.len, &pn), 0);
        memcpy(co.sig, pn.sigs[0].data + 8, 64);
        proto_note_release(&pn);
        assert_int_equal(proto_cosign_encode(&co, &body), 0);
        assert_int_equal(proto_cosign_decode(body.data, body.len, &co2), 0);
        assert_memory_equal(&co, &co2, sizeof co);
        assert_int_equal(proto_cosign_line(g_keys[2]->sign_pk, &co2, &line), 0);
        assert_int_equal(line.len, l2.len);
        assert_memory_equal(line.data, l2.data, l2.len);
        proto_buf_release(&l2);
        proto_buf_release(&note);
    }
    co.time = (uint64_t)INT64_MAX + 1;
    assert_int_equal(proto_cosign_encode(&co, &body), ERR_BODY);
    body.len = 0;
    assert_int_equal(proto_mp_put_array(&body, 3), 0);
    assert_int_equal(proto_mp_put_bin(&body, co.checkpoint, 32), 0);
    assert_int_equal(proto_mp_put_uint(&body, co.time), 0);
    assert_int_equal(proto_mp_put_bin(&body, co.sig, 64), 0);
    assert_int_equal(proto_cosign_decode(body.data, body.len, &co2), ERR_BODY);
    proto_buf_release(&text);
    proto_buf_release(&body);
    proto_buf_release(&line);
    proto_buf_release(&want);
}

/*
 * The worked example of docs/FORMATS.md 10.8: the ledger of FORMATS 2.6 (one feed, applied
 * length 2, feed root and head from FORMATS 5.6), checkpointed and signed by its key (seed 00 01
 * .. 1f). The expected text and lines were computed with pyca/cryptography and Python's hashlib
 * from the definitions, independently of this code.
 */
static void test_formats_example(void **state)
{
    static const char want_text[] =
        "saksi.ledger/b83d244b93bd46ce3cb4b5ed92daa4d1f2e3017dd8d963b1c6562a5b3e0d44af\n"
        "2\n"
        "BeqGqUDA+5EVRYavw9x+N8kUipAqtNcbWsalEkZmlPw=\n"
        "frontier jl19Eb46/qISYjluRqLQG8kNvYIk02LGc/Mr5mOlPLg=\n";
    static const char want_sig[] =
        "\xe2\x80\x94"
        " saksi-device/03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8 "
        "9vWDnmsapr5BULdhlUexTuPx9bL89eHhu21g0QSYaIjl+"
        "oBxI5JJbZkjeMsxq2G2dwue3z5ogujummYNjzNJiEzbGAE=\n";
    static const char want_cosig[] =
        "\xe2\x80\x94"
        " saksi-device/03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8 "
        "jnDz9wAAAABpVbkAxtYpjdGQ3oeowI3dGrv0mLmGTRIJdO1eulWGP5yC/"
        "SCRx8p1F5BRBY+zxFIeNuMiULibvSOc9tdlDr/wPtDoAw==\n";
    uint8_t file[74] = "SAKSIKEY\x01\x00";
    struct proto_keys *k = NULL;
    struct proto_ckpt_feed f;
    struct proto_checkpoint c;
    struct proto_buf text, line;
    uint8_t ledger[32];
    char name[PROTO_CKPT_KEY_NAME_LEN + 1];

    (void)state;
    for (int i = 0; i < 32; i++)
        file[10 + i] = (uint8_t)i;
    memset(file + 42, 0x20, 32);
    assert_int_equal(proto_keyfile_decode(file, sizeof file, NULL, 0, &k), 0);
    test_unhex("b83d244b93bd46ce3cb4b5ed92daa4d1f2e3017dd8d963b1c6562a5b3e0d44af", ledger, 32);
    memcpy(f.author, k->sign_pk, 32);
    f.length = 2;
    test_unhex("e3aa8e8a6e3d2b00cc81e0f7dea9c35f93d80bbcc1f519a38e918a5f26764923", f.root, 32);
    test_unhex("4cebb222191736b95b7d456fda8c626589fd75419cae63a80720a0c171fb6eae", f.last, 32);
    assert_int_equal(proto_checkpoint_compute(ledger, &f, 1, &c), 0);
    proto_buf_init(&text);
    proto_buf_init(&line);
    assert_int_equal(proto_checkpoint_format(&c, &text), 0);
    assert_int_equal(text.len, strlen(want_text));
    assert_memory_equal(text.data, want_text, text.len);
    proto_checkpoint_key_name(k->sign_pk, name);
    assert_int_equal(
        proto_note_key_id(name, PROTO_CKPT_KEY_NAME_LEN, PROTO_NOTE_ED25519, k->sign_pk),
        0xf6f5839eu);
    assert_int_equal(proto_note_key_id(name, PROTO_CKPT_KEY_NAME_LEN, PROTO_NOTE_COSIG, k->sign_pk),
                     0x8e70f3f7u);
    assert_int_equal(
        proto_note_sign(&line, k, name, PROTO_CKPT_KEY_NAME_LEN, (const char *)text.data, text.len),
        0);
    assert_int_equal(line.len, strlen(want_sig));
    assert_memory_equal(line.data, want_sig, line.len);
    line.len = 0;
    assert_int_equal(proto_note_cosign(&line, k, name, PROTO_CKPT_KEY_NAME_LEN, 1767225600,
                                       (const char *)text.data, text.len),
                     0);
    assert_int_equal(line.len, strlen(want_cosig));
    assert_memory_equal(line.data, want_cosig, line.len);
    proto_buf_release(&text);
    proto_buf_release(&line);
    proto_keys_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid),        cmocka_unit_test(test_body_roundtrip),
        cmocka_unit_test(test_body_strict),    cmocka_unit_test(test_consistency),
        cmocka_unit_test(test_signers_quorum), cmocka_unit_test(test_quorum_edges),
        cmocka_unit_test(test_entry_bodies),   cmocka_unit_test(test_formats_example),
    };

    return cmocka_run_group_tests_name("proto_checkpoint", tests, setup, teardown);
}
