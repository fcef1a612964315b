/*
 * Unit tests for proto/noise: every cacophony vector in tests/vectors/noise.json (NN, NNpsk0, XX
 * and XXpsk3 over 25519/ChaChaPoly/SHA256) run on both sides, byte for byte, through the handshake
 * hash and the transport messages; then the failures: a flipped bit anywhere in any handshake
 * message, truncated messages, a wrong PSK or prologue, messages out of turn, size limits, nonce
 * exhaustion, and Rekey (known answers computed independently, and both sides staying in step).
 * A last test runs saksi's own handshake with random keys. The vectors file is found through
 * SAKSI_VECTORS, by default tests/vectors/noise.json relative to the working directory, which is
 * the repository root when the tests run from make.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/noise.h"
#include "tests/unit/helpers.h"

#define VEC_DEFAULT   "tests/vectors/noise.json"
#define VEC_MAX       16
#define VEC_MSGS_MAX  16
#define VEC_BYTES_MAX 512

struct vec_msg {
    uint8_t payload[VEC_BYTES_MAX];
    size_t plen;
    uint8_t ct[VEC_BYTES_MAX];
    size_t clen;
};

struct vec {
    char name[64];
    enum proto_noise_pattern pat;
    unsigned nhs; /* handshake messages; the rest are transport messages */
    uint8_t init_prologue[VEC_BYTES_MAX], resp_prologue[VEC_BYTES_MAX];
    size_t init_plen, resp_plen;
    uint8_t init_e[32], resp_e[32];
    bool has_s, has_psk;
    uint8_t init_s[32], resp_s[32];
    uint8_t init_psk[32], resp_psk[32];
    uint8_t hash[32];
    struct vec_msg msgs[VEC_MSGS_MAX];
    size_t nmsgs;
};

struct vec_set {
    struct vec v[VEC_MAX];
    size_t n;
};

/* ---- Loading the vectors ---- */

/* Decodes the hex string field key of o into out (at most cap bytes); returns its length. */
static size_t vec_hex(json_t *o, const char *key, uint8_t *out, size_t cap)
{
    const char *s = json_string_value(json_object_get(o, key));
    size_t n;

    assert_non_null(s);
    n = strlen(s) / 2;
    assert_true(n <= cap);
    assert_int_equal(proto_unhex(s, out, n), 0);
    return n;
}

static void vec_key(json_t *o, const char *key, uint8_t out[32])
{
    assert_int_equal(vec_hex(o, key, out, 32), 32);
}

/* The first PSK of a psks array. */
static void vec_psk(json_t *o, const char *key, uint8_t out[32])
{
    json_t *a = json_object_get(o, key);
    const char *s;

    assert_true(json_is_array(a) && json_array_size(a) == 1);
    s = json_string_value(json_array_get(a, 0));
    assert_non_null(s);
    test_unhex(s, out, 32);
}

static void vec_parse(json_t *o, struct vec *v)
{
    static const struct {
        const char *name;
        enum proto_noise_pattern pat;
        unsigned nhs;
    } names[] = {
        {"Noise_NN_25519_ChaChaPoly_SHA256", PROTO_NOISE_NN, 2},
        {"Noise_NNpsk0_25519_ChaChaPoly_SHA256", PROTO_NOISE_NNPSK0, 2},
        {"Noise_XX_25519_ChaChaPoly_SHA256", PROTO_NOISE_XX, 3},
        {"Noise_XXpsk3_25519_ChaChaPoly_SHA256", PROTO_NOISE_XXPSK3, 3},
    };
    const char *name = json_string_value(json_object_get(o, "protocol_name"));
    json_t *msgs = json_object_get(o, "messages");
    size_t i;

    assert_non_null(name);
    assert_true(strlen(name) < sizeof v->name);
    strcpy(v->name, name);
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0)
            break;
    assert_true(i < sizeof names / sizeof names[0]);
    v->pat = names[i].pat;
    v->nhs = names[i].nhs;
    v->init_plen = vec_hex(o, "init_prologue", v->init_prologue, sizeof v->init_prologue);
    v->resp_plen = vec_hex(o, "resp_prologue", v->resp_prologue, sizeof v->resp_prologue);
    vec_key(o, "init_ephemeral", v->init_e);
    vec_key(o, "resp_ephemeral", v->resp_e);
    v->has_s = json_object_get(o, "init_static") != NULL;
    if (v->has_s) {
        vec_key(o, "init_static", v->init_s);
        vec_key(o, "resp_static", v->resp_s);
    }
    v->has_psk = json_object_get(o, "init_psks") != NULL;
    if (v->has_psk) {
        vec_psk(o, "init_psks", v->init_psk);
        vec_psk(o, "resp_psks", v->resp_psk);
    }
    vec_key(o, "handshake_hash", v->hash);
    assert_true(json_is_array(msgs));
    v->nmsgs = json_array_size(msgs);
    assert_true(v->nmsgs > v->nhs && v->nmsgs <= VEC_MSGS_MAX);
    for (i = 0; i < v->nmsgs; i++) {
        json_t *m = json_array_get(msgs, i);

        v->msgs[i].plen = vec_hex(m, "payload", v->msgs[i].payload, VEC_BYTES_MAX);
        v->msgs[i].clen = vec_hex(m, "ciphertext", v->msgs[i].ct, VEC_BYTES_MAX);
    }
}

static int setup(void **state)
{
    const char *path = getenv("SAKSI_VECTORS");
    struct vec_set *set;
    json_error_t jerr;
    json_t *root, *vecs;

    if (proto_crypto_init() < 0)
        return -1;
    if (!path || !*path)
        path = VEC_DEFAULT;
    root = json_load_file(path, 0, &jerr);
    if (!root) {
        print_error("cannot load '%s': %s (run from the repository root or set SAKSI_VECTORS)\n",
                    path, jerr.text);
        return -1;
    }
    set = calloc(1, sizeof *set);
    vecs = json_object_get(root, "vectors");
    if (!set || !json_is_array(vecs) || json_array_size(vecs) > VEC_MAX) {
        free(set);
        json_decref(root);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(vecs); i++)
        vec_parse(json_array_get(vecs, i), &set->v[i]);
    set->n = json_array_size(vecs);
    json_decref(root);
    *state = set;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static const struct vec *vec_find(void **state, enum proto_noise_pattern pat)
{
    const struct vec_set *set = *state;

    for (size_t i = 0; i < set->n; i++)
        if (set->v[i].pat == pat)
            return &set->v[i];
    fail_msg("no vector for pattern %d", (int)pat);
    return NULL;
}

/* ---- Helpers ---- */

struct pair {
    struct proto_noise_hs *init, *resp;
};

/* Both sides of v's handshake with its keys and fixed ephemerals. */
static void pair_from_vec(struct pair *p, const struct vec *v)
{
    assert_int_equal(proto_noise_hs_new(&p->init, v->pat, true, v->init_prologue, v->init_plen,
                                        v->has_s ? v->init_s : NULL,
                                        v->has_psk ? v->init_psk : NULL),
                     0);
    assert_int_equal(proto_noise_hs_new(&p->resp, v->pat, false, v->resp_prologue, v->resp_plen,
                                        v->has_s ? v->resp_s : NULL,
                                        v->has_psk ? v->resp_psk : NULL),
                     0);
    assert_int_equal(proto_noise_hs_set_ephemeral(p->init, v->init_e), 0);
    assert_int_equal(proto_noise_hs_set_ephemeral(p->resp, v->resp_e), 0);
}

static void pair_free(struct pair *p)
{
    proto_noise_hs_free(p->init);
    proto_noise_hs_free(p->resp);
    p->init = p->resp = NULL;
}

/* Every call on a dead handshake fails, and its hash reads as zeros. */
static void assert_dead(struct proto_noise_hs *hs)
{
    uint8_t buf[256], h[32], zero[32] = {0};
    struct proto_noise_cs a, b;
    size_t len = 1;

    assert_false(proto_noise_hs_can_write(hs));
    assert_false(proto_noise_hs_done(hs));
    assert_int_equal(proto_noise_hs_write(hs, NULL, 0, buf, sizeof buf, &len), ERR_NOISE);
    assert_int_equal(len, 0);
    len = 1;
    assert_int_equal(proto_noise_hs_read(hs, buf, 100, buf + 100, 100, &len), ERR_NOISE);
    assert_int_equal(len, 0);
    assert_int_equal(proto_noise_hs_remote_static(hs, h), ERR_NOISE);
    assert_int_equal(proto_noise_hs_split(hs, &a, &b), ERR_NOISE);
    assert_int_equal(proto_noise_hs_set_ephemeral(hs, zero), -EINVAL);
    proto_noise_hs_hash(hs, h);
    assert_memory_equal(h, zero, 32);
}

/*
 * Runs the whole handshake of p with v's payloads. When flip_msg >= 0, bit flip_bit of that
 * message is flipped in transit; message trunc_msg is cut to trunc_len bytes. Returns the index of
 * the message whose read failed, or -1 when the handshake completed.
 */
static int pair_run(struct pair *p, const struct vec *v, int flip_msg, size_t flip_bit,
                    size_t trunc_msg, size_t trunc_len)
{
    uint8_t msg[PROTO_NOISE_MSG_MAX], payload[VEC_BYTES_MAX];
    size_t len, plen;
    int rc;

    for (unsigned i = 0; i < v->nhs; i++) {
        const struct vec_msg *m = &v->msgs[i];
        struct proto_noise_hs *w = i % 2 == 0 ? p->init : p->resp;
        struct proto_noise_hs *r = i % 2 == 0 ? p->resp : p->init;

        assert_true(proto_noise_hs_can_write(w));
        assert_false(proto_noise_hs_can_write(r));
        assert_int_equal(proto_noise_hs_write(w, m->payload, m->plen, msg, sizeof msg, &len), 0);
        if ((int)i == flip_msg) {
            assert_true(flip_bit / 8 < len);
            msg[flip_bit / 8] ^= (uint8_t)(1u << flip_bit % 8);
        }
        if (i == trunc_msg) {
            assert_true(trunc_len < len);
            len = trunc_len;
        }
        rc = proto_noise_hs_read(r, msg, len, payload, sizeof payload, &plen);
        if (rc < 0) {
            assert_int_equal(rc, ERR_NOISE);
            assert_int_equal(plen, 0);
            return (int)i;
        }
        /* A damaged message sent in clear is read as it came; the next message catches it. */
        if ((int)i != flip_msg && i != trunc_msg) {
            assert_int_equal(plen, m->plen);
            assert_memory_equal(payload, m->payload, plen);
        }
    }
    assert_true(proto_noise_hs_done(p->init));
    assert_true(proto_noise_hs_done(p->resp));
    return -1;
}

/* Transport in both directions between two split pairs of CipherStates. */
static void transport_check(struct proto_noise_cs *a_send, struct proto_noise_cs *a_recv,
                            struct proto_noise_cs *b_send, struct proto_noise_cs *b_recv)
{
    static uint8_t pt[PROTO_NOISE_PLAIN_MAX], ct[PROTO_NOISE_MSG_MAX], back[PROTO_NOISE_MSG_MAX];
    size_t sizes[] = {0, 1, 100, PROTO_NOISE_PLAIN_MAX};
    size_t clen, blen;

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        proto_random(pt, sizes[i]);
        assert_int_equal(
            proto_noise_cs_encrypt(a_send, NULL, 0, pt, sizes[i], ct, sizeof ct, &clen), 0);
        assert_int_equal(clen, sizes[i] + PROTO_NOISE_TAG_LEN);
        assert_int_equal(
            proto_noise_cs_decrypt(b_recv, NULL, 0, ct, clen, back, sizeof back, &blen), 0);
        assert_int_equal(blen, sizes[i]);
        assert_memory_equal(back, pt, blen);

        assert_int_equal(
            proto_noise_cs_encrypt(b_send, NULL, 0, pt, sizes[i], ct, sizeof ct, &clen), 0);
        assert_int_equal(
            proto_noise_cs_decrypt(a_recv, NULL, 0, ct, clen, back, sizeof back, &blen), 0);
        assert_int_equal(blen, sizes[i]);
        assert_memory_equal(back, pt, blen);
    }
}

/* ---- Invalid input ---- */

static void test_invalid_args(void **state)
{
    uint8_t key[32] = {1}, buf[128], h[32];
    struct proto_noise_hs *hs = (void *)buf; /* a sentinel: failures must reset it to NULL */
    struct proto_noise_cs cs, cs2;
    size_t len;

    (void)state;
    assert_int_equal(proto_noise_hs_new(NULL, PROTO_NOISE_NN, true, NULL, 0, NULL, NULL), -EINVAL);
    /* Unknown pattern, prologue pointer missing, keys missing or unexpected: *out is NULL. */
    assert_int_equal(
        proto_noise_hs_new(&hs, (enum proto_noise_pattern)7, true, NULL, 0, NULL, NULL), -EINVAL);
    assert_null(hs);
    hs = (void *)buf;
    assert_int_equal(proto_noise_hs_new(&hs, PROTO_NOISE_NN, true, NULL, 3, NULL, NULL), -EINVAL);
    assert_null(hs);
    assert_int_equal(proto_noise_hs_new(&hs, PROTO_NOISE_NN, true, NULL, 0, key, NULL), -EINVAL);
    assert_int_equal(proto_noise_hs_new(&hs, PROTO_NOISE_NN, true, NULL, 0, NULL, key), -EINVAL);
    assert_int_equal(proto_noise_hs_new(&hs, PROTO_NOISE_NNPSK0, true, NULL, 0, NULL, NULL),
                     -EINVAL);
    assert_int_equal(proto_noise_hs_new(&hs, PROTO_NOISE_XX, true, NULL, 0, NULL, NULL), -EINVAL);
    assert_int_equal(proto_noise_hs_new(&hs, PROTO_NOISE_XXPSK3, true, NULL, 0, key, NULL),
                     -EINVAL);
    assert_int_equal(proto_noise_hs_new(&hs, PROTO_NOISE_XXPSK3, true, NULL, 0, NULL, key),
                     -EINVAL);
    assert_null(hs);

    /* NULL handshakes. */
    proto_noise_hs_free(NULL);
    assert_int_equal(proto_noise_hs_set_ephemeral(NULL, key), -EINVAL);
    assert_int_equal(proto_noise_hs_write(NULL, NULL, 0, buf, sizeof buf, &len), -EINVAL);
    assert_int_equal(proto_noise_hs_read(NULL, buf, 10, buf, sizeof buf, &len), -EINVAL);
    assert_false(proto_noise_hs_can_write(NULL));
    assert_false(proto_noise_hs_done(NULL));
    assert_int_equal(proto_noise_hs_remote_static(NULL, h), -EINVAL);
    proto_noise_hs_hash(NULL, h);
    assert_int_equal(proto_noise_hs_split(NULL, &cs, &cs2), -EINVAL);

    /* A CipherState with no key refuses everything. */
    memset(&cs, 0, sizeof cs);
    assert_int_equal(proto_noise_cs_encrypt(&cs, NULL, 0, buf, 1, buf, sizeof buf, &len), -EINVAL);
    assert_int_equal(len, 0);
    assert_int_equal(proto_noise_cs_decrypt(&cs, NULL, 0, buf, 17, buf, sizeof buf, &len), -EINVAL);
    assert_int_equal(proto_noise_cs_rekey(&cs), -EINVAL);
    assert_int_equal(proto_noise_cs_set_nonce(&cs, 1), -EINVAL);
    assert_int_equal(proto_noise_cs_encrypt(NULL, NULL, 0, buf, 1, buf, sizeof buf, &len), -EINVAL);
    assert_int_equal(proto_noise_cs_decrypt(NULL, NULL, 0, buf, 17, buf, sizeof buf, &len),
                     -EINVAL);
    assert_int_equal(proto_noise_cs_rekey(NULL), -EINVAL);
    proto_noise_cs_wipe(NULL);

    /* A keyed one checks its arguments and sizes. */
    proto_noise_cs_init_key(&cs, key);
    assert_int_equal(proto_noise_cs_encrypt(&cs, NULL, 0, NULL, 1, buf, sizeof buf, &len), -EINVAL);
    assert_int_equal(proto_noise_cs_encrypt(&cs, NULL, 1, buf, 1, buf, sizeof buf, &len), -EINVAL);
    assert_int_equal(proto_noise_cs_encrypt(&cs, NULL, 0, buf, 1, buf, 16, &len), -ENOBUFS);
    assert_int_equal(
        proto_noise_cs_encrypt(&cs, NULL, 0, buf, PROTO_NOISE_PLAIN_MAX + 1, buf, SIZE_MAX, &len),
        ERR_TOOBIG);
    assert_int_equal(proto_noise_cs_decrypt(&cs, NULL, 0, buf, 15, buf, sizeof buf, &len),
                     ERR_NOISE);
    assert_int_equal(proto_noise_cs_decrypt(&cs, NULL, 0, buf, 20, buf, 3, &len), -ENOBUFS);
    assert_int_equal(
        proto_noise_cs_decrypt(&cs, NULL, 0, buf, PROTO_NOISE_MSG_MAX + 1, buf, SIZE_MAX, &len),
        ERR_TOOBIG);
    proto_noise_cs_wipe(&cs);
    assert_int_equal(proto_noise_cs_rekey(&cs), -EINVAL);
}

/* ---- Vectors ---- */

static void vec_run(const struct vec *v)
{
    uint8_t out[PROTO_NOISE_MSG_MAX], payload[VEC_BYTES_MAX], h1[32], h2[32], rs[32];
    struct proto_noise_cs i_send, i_recv, r_send, r_recv;
    struct pair p;
    size_t len, plen;
    unsigned i;

    pair_from_vec(&p, v);
    for (i = 0; i < v->nhs; i++) {
        const struct vec_msg *m = &v->msgs[i];
        struct proto_noise_hs *w = i % 2 == 0 ? p.init : p.resp;
        struct proto_noise_hs *r = i % 2 == 0 ? p.resp : p.init;

        assert_false(proto_noise_hs_done(w));
        assert_int_equal(proto_noise_hs_write(w, m->payload, m->plen, out, sizeof out, &len), 0);
        assert_int_equal(len, m->clen);
        assert_memory_equal(out, m->ct, len);
        assert_int_equal(proto_noise_hs_read(r, out, len, payload, sizeof payload, &plen), 0);
        assert_int_equal(plen, m->plen);
        assert_memory_equal(payload, m->payload, plen);
    }
    assert_true(proto_noise_hs_done(p.init) && proto_noise_hs_done(p.resp));
    assert_false(proto_noise_hs_can_write(p.init) || proto_noise_hs_can_write(p.resp));
    proto_noise_hs_hash(p.init, h1);
    proto_noise_hs_hash(p.resp, h2);
    assert_memory_equal(h1, v->hash, 32);
    assert_memory_equal(h2, v->hash, 32);

    /* Each side learnt the other's static key, or none. */
    if (v->has_s) {
        uint8_t pub[32];

        assert_int_equal(proto_noise_hs_remote_static(p.init, rs), 0);
        /* The public key of resp_s is in message 2 only encrypted: compare both sides instead. */
        assert_int_equal(proto_noise_hs_remote_static(p.resp, pub), 0);
        assert_memory_not_equal(rs, pub, 32);
    } else {
        assert_int_equal(proto_noise_hs_remote_static(p.init, rs), -ENOENT);
        assert_int_equal(proto_noise_hs_remote_static(p.resp, rs), -ENOENT);
    }

    assert_int_equal(proto_noise_hs_split(p.init, &i_send, &i_recv), 0);
    assert_int_equal(proto_noise_hs_split(p.resp, &r_send, &r_recv), 0);
    /* Transport messages alternate as the handshake did: even indices from the initiator. */
    for (; i < v->nmsgs; i++) {
        const struct vec_msg *m = &v->msgs[i];
        struct proto_noise_cs *s = i % 2 == 0 ? &i_send : &r_send;
        struct proto_noise_cs *r = i % 2 == 0 ? &r_recv : &i_recv;

        assert_int_equal(
            proto_noise_cs_encrypt(s, NULL, 0, m->payload, m->plen, out, sizeof out, &len), 0);
        assert_int_equal(len, m->clen);
        assert_memory_equal(out, m->ct, len);
        assert_int_equal(
            proto_noise_cs_decrypt(r, NULL, 0, out, len, payload, sizeof payload, &plen), 0);
        assert_int_equal(plen, m->plen);
        assert_memory_equal(payload, m->payload, plen);
    }
    /* The hash and the remote key survive the split. */
    proto_noise_hs_hash(p.init, h1);
    assert_memory_equal(h1, v->hash, 32);
    assert_true(proto_noise_hs_done(p.init));
    assert_int_equal(proto_noise_hs_split(p.init, &i_send, &i_recv), -EINVAL); /* once only */
    proto_noise_cs_wipe(&i_send);
    proto_noise_cs_wipe(&i_recv);
    proto_noise_cs_wipe(&r_send);
    proto_noise_cs_wipe(&r_recv);
    pair_free(&p);
}

static void test_vectors(void **state)
{
    const struct vec_set *set = *state;
    unsigned seen = 0;

    assert_int_equal(set->n, 4);
    for (size_t i = 0; i < set->n; i++) {
        vec_run(&set->v[i]);
        seen |= 1u << set->v[i].pat;
    }
    /* All four patterns are covered. */
    assert_int_equal(seen, 0xf);
}

/* The remote static key is the peer's public key: checked with keys whose public halves we know. */
static void test_remote_static(void **state)
{
    struct proto_keys *a, *b;
    uint8_t psk[32], rs[32], msg[512], pl[64];
    struct proto_noise_hs *i, *r;
    size_t len, plen;

    (void)state;
    assert_int_equal(proto_keys_generate(&a), 0);
    assert_int_equal(proto_keys_generate(&b), 0);
    proto_random(psk, sizeof psk);
    assert_int_equal(proto_noise_hs_new(&i, PROTO_NOISE_XXPSK3, true, NULL, 0, a->box_sk, psk), 0);
    assert_int_equal(proto_noise_hs_new(&r, PROTO_NOISE_XXPSK3, false, NULL, 0, b->box_sk, psk), 0);
    assert_int_equal(proto_noise_hs_remote_static(i, rs), -ENOENT);
    assert_int_equal(proto_noise_hs_write(i, NULL, 0, msg, sizeof msg, &len), 0);
    assert_int_equal(len, 32 + 16); /* e, and the empty payload's tag: e keys the cipher */
    assert_int_equal(proto_noise_hs_read(r, msg, len, pl, sizeof pl, &plen), 0);
    assert_int_equal(proto_noise_hs_write(r, NULL, 0, msg, sizeof msg, &len), 0);
    assert_int_equal(len, 32 + 48 + 16);
    assert_int_equal(proto_noise_hs_read(i, msg, len, pl, sizeof pl, &plen), 0);
    /* The initiator knows the responder's key after message 2; the responder not yet. */
    assert_int_equal(proto_noise_hs_remote_static(i, rs), 0);
    assert_memory_equal(rs, b->box_pk, 32);
    assert_int_equal(proto_noise_hs_remote_static(r, rs), -ENOENT);
    assert_int_equal(proto_noise_hs_write(i, NULL, 0, msg, sizeof msg, &len), 0);
    assert_int_equal(len, 48 + 16);
    assert_int_equal(proto_noise_hs_read(r, msg, len, pl, sizeof pl, &plen), 0);
    assert_int_equal(proto_noise_hs_remote_static(r, rs), 0);
    assert_memory_equal(rs, a->box_pk, 32);
    proto_noise_hs_free(i);
    proto_noise_hs_free(r);
    proto_keys_free(a);
    proto_keys_free(b);
}

/* ---- Failures ---- */

/*
 * A flipped bit anywhere in any handshake message breaks the handshake: at that message when it
 * is authenticated, otherwise (the first message of NN and XX, sent before any key) at the next
 * one. In a PSK pattern the e token keys the cipher (MixKey(e)), so XXpsk3's first message is
 * already encrypted and its tag checked, although under a key that anyone can compute.
 */
static void test_flipped_bits(void **state)
{
    static const enum proto_noise_pattern pats[] = {PROTO_NOISE_NN, PROTO_NOISE_NNPSK0,
                                                    PROTO_NOISE_XX, PROTO_NOISE_XXPSK3};

    for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
        const struct vec *v = vec_find(state, pats[k]);

        for (unsigned m = 0; m < v->nhs; m++) {
            /* NN and XX send message 1 before any key; with a PSK, e alone keys it. */
            bool clear = m == 0 && (v->pat == PROTO_NOISE_NN || v->pat == PROTO_NOISE_XX);
            size_t bits = 8 * v->msgs[m].clen;

            /* Every bit of the short messages; a spread of bits over the long ones. */
            for (size_t b = 0; b<bits; b += bits> 600 ? 7 : 1) {
                struct pair p;
                int at;

                pair_from_vec(&p, v);
                at = pair_run(&p, v, (int)m, b, SIZE_MAX, 0);
                if (at != (int)(clear ? m + 1 : m))
                    fail_msg("%s: bit %zu of message %u: failed at %d", v->name, b, m, at);
                assert_dead(at % 2 == 0 ? p.resp : p.init);
                pair_free(&p);
            }
        }
    }
}

/* Every proper prefix of every handshake message is refused. */
static void test_truncated(void **state)
{
    static const enum proto_noise_pattern pats[] = {PROTO_NOISE_NNPSK0, PROTO_NOISE_XXPSK3};

    for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
        const struct vec *v = vec_find(state, pats[k]);

        for (unsigned m = 0; m < v->nhs; m++) {
            for (size_t cut = 0; cut < v->msgs[m].clen; cut++) {
                struct pair p;
                int at;

                pair_from_vec(&p, v);
                at = pair_run(&p, v, -1, 0, m, cut);
                assert_int_equal(at, (int)m);
                pair_free(&p);
            }
        }
    }
}

static void test_wrong_psk(void **state)
{
    struct vec v;
    struct pair p;

    memcpy(&v, vec_find(state, PROTO_NOISE_XXPSK3), sizeof v);
    v.resp_psk[5] ^= 0x20;
    pair_from_vec(&p, &v);
    /* XXpsk3 mixes the PSK in at message 3: the first two go through, the third fails. */
    assert_int_equal(pair_run(&p, &v, -1, 0, SIZE_MAX, 0), 2);
    assert_dead(p.resp);
    pair_free(&p);

    /* NNpsk0 mixes it in first: message 1 already fails. */
    memcpy(&v, vec_find(state, PROTO_NOISE_NNPSK0), sizeof v);
    v.init_psk[31] ^= 1;
    pair_from_vec(&p, &v);
    assert_int_equal(pair_run(&p, &v, -1, 0, SIZE_MAX, 0), 0);
    pair_free(&p);
}

static void test_wrong_prologue(void **state)
{
    static const enum proto_noise_pattern pats[] = {PROTO_NOISE_NN, PROTO_NOISE_NNPSK0,
                                                    PROTO_NOISE_XX, PROTO_NOISE_XXPSK3};

    for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
        struct vec v;
        struct pair p;
        int want;

        memcpy(&v, vec_find(state, pats[k]), sizeof v);
        v.resp_prologue[0] ^= 1;
        pair_from_vec(&p, &v);
        /* The first message authenticates the prologue only when a PSK pattern keys it. */
        want = v.pat == PROTO_NOISE_NNPSK0 || v.pat == PROTO_NOISE_XXPSK3 ? 0 : 1;
        assert_int_equal(pair_run(&p, &v, -1, 0, SIZE_MAX, 0), want);
        pair_free(&p);

        /* A missing prologue differs from a present one too. */
        v.resp_plen = 0;
        pair_from_vec(&p, &v);
        assert_int_equal(pair_run(&p, &v, -1, 0, SIZE_MAX, 0), want);
        pair_free(&p);
    }
}

static void test_out_of_turn(void **state)
{
    const struct vec *v = vec_find(state, PROTO_NOISE_XXPSK3);
    uint8_t msg[512], pl[64];
    struct pair p;
    size_t len, plen;

    /* The responder may not write first, and the initiator may not read first. */
    pair_from_vec(&p, v);
    assert_false(proto_noise_hs_can_write(p.resp));
    assert_int_equal(proto_noise_hs_write(p.resp, NULL, 0, msg, sizeof msg, &len), ERR_NOISE);
    assert_dead(p.resp);
    assert_int_equal(proto_noise_hs_read(p.init, msg, 48, pl, sizeof pl, &plen), ERR_NOISE);
    assert_dead(p.init);
    pair_free(&p);

    /* Writing twice in a row, reading twice in a row. */
    pair_from_vec(&p, v);
    assert_int_equal(proto_noise_hs_write(p.init, NULL, 0, msg, sizeof msg, &len), 0);
    assert_int_equal(proto_noise_hs_write(p.init, NULL, 0, msg, sizeof msg, &len), ERR_NOISE);
    assert_dead(p.init);
    assert_int_equal(proto_noise_hs_read(p.resp, msg, 48, pl, sizeof pl, &plen), 0);
    assert_int_equal(proto_noise_hs_read(p.resp, msg, 48, pl, sizeof pl, &plen), ERR_NOISE);
    assert_dead(p.resp);
    pair_free(&p);

    /* Nothing after the end of the handshake; no split before it. */
    pair_from_vec(&p, v);
    {
        struct proto_noise_cs a, b;

        assert_int_equal(proto_noise_hs_split(p.init, &a, &b), -EINVAL);
        assert_int_equal(pair_run(&p, v, -1, 0, SIZE_MAX, 0), -1);
        assert_int_equal(proto_noise_hs_split(p.init, &a, &a), -EINVAL);
        assert_int_equal(proto_noise_hs_read(p.resp, msg, 48, pl, sizeof pl, &plen), ERR_NOISE);
        assert_dead(p.resp);
        assert_int_equal(proto_noise_hs_write(p.init, NULL, 0, msg, sizeof msg, &len), ERR_NOISE);
        assert_dead(p.init);
    }
    pair_free(&p);

    /* The ephemeral key is fixed only before it is used. */
    pair_from_vec(&p, v);
    assert_int_equal(proto_noise_hs_set_ephemeral(p.init, v->init_e), -EINVAL);
    pair_free(&p);
}

/* Noise's 65535-byte limit, and output buffers that are too small. */
static void test_sizes(void **state)
{
    static uint8_t big[PROTO_NOISE_MSG_MAX + 64], msg[PROTO_NOISE_MSG_MAX + 64],
        pl[PROTO_NOISE_MSG_MAX];
    const struct vec *v = vec_find(state, PROTO_NOISE_XXPSK3);
    struct pair p;
    size_t len, plen;

    memset(big, 0x41, sizeof big);
    /* Message 1 is e (32), the payload and a tag: 65487 bytes of payload fill it exactly. */
    pair_from_vec(&p, v);
    assert_int_equal(
        proto_noise_hs_write(p.init, big, PROTO_NOISE_MSG_MAX - 48 + 1, msg, sizeof msg, &len),
        ERR_TOOBIG);
    assert_int_equal(len, 0);
    assert_dead(p.init);
    pair_free(&p);

    pair_from_vec(&p, v);
    assert_int_equal(
        proto_noise_hs_write(p.init, big, PROTO_NOISE_MSG_MAX - 48, msg, sizeof msg, &len), 0);
    assert_int_equal(len, PROTO_NOISE_MSG_MAX);
    /* A payload buffer one byte short. */
    assert_int_equal(proto_noise_hs_read(p.resp, msg, len, pl, PROTO_NOISE_MSG_MAX - 49, &plen),
                     -ENOBUFS);
    assert_dead(p.resp);
    pair_free(&p);

    pair_from_vec(&p, v);
    assert_int_equal(
        proto_noise_hs_write(p.init, big, PROTO_NOISE_MSG_MAX - 48, msg, sizeof msg, &len), 0);
    assert_int_equal(proto_noise_hs_read(p.resp, msg, len, pl, sizeof pl, &plen), 0);
    assert_int_equal(plen, PROTO_NOISE_MSG_MAX - 48);
    assert_memory_equal(pl, big, plen);
    /* Message 2 is 32 + 48 + payload + 16 bytes: one payload byte too many. */
    assert_int_equal(
        proto_noise_hs_write(p.resp, big, PROTO_NOISE_MSG_MAX - 96 + 1, msg, sizeof msg, &len),
        ERR_TOOBIG);
    pair_free(&p);

    /* An incoming message over the limit, and an output buffer too small for message 2. */
    pair_from_vec(&p, v);
    assert_int_equal(
        proto_noise_hs_read(p.resp, big, PROTO_NOISE_MSG_MAX + 1, pl, sizeof pl, &plen),
        ERR_TOOBIG);
    assert_dead(p.resp);
    pair_free(&p);
    pair_from_vec(&p, v);
    assert_int_equal(proto_noise_hs_write(p.init, NULL, 0, msg, sizeof msg, &len), 0);
    assert_int_equal(proto_noise_hs_read(p.resp, msg, len, pl, sizeof pl, &plen), 0);
    assert_int_equal(proto_noise_hs_write(p.resp, NULL, 0, msg, 95, &len), -ENOBUFS);
    assert_dead(p.resp);
    pair_free(&p);
}

/* Set up a split XXpsk3 session from the vector keys. */
static void session_new(void **state, struct proto_noise_cs *i_send, struct proto_noise_cs *i_recv,
                        struct proto_noise_cs *r_send, struct proto_noise_cs *r_recv)
{
    const struct vec *v = vec_find(state, PROTO_NOISE_XXPSK3);
    struct pair p;

    pair_from_vec(&p, v);
    assert_int_equal(pair_run(&p, v, -1, 0, SIZE_MAX, 0), -1);
    assert_int_equal(proto_noise_hs_split(p.init, i_send, i_recv), 0);
    assert_int_equal(proto_noise_hs_split(p.resp, r_send, r_recv), 0);
    pair_free(&p);
}

static void test_nonce_exhaustion(void **state)
{
    struct proto_noise_cs is, ir, rs, rr;
    uint8_t ct[64], pt[64];
    size_t len, plen;

    session_new(state, &is, &ir, &rs, &rr);
    /* 2^64 - 2 is the last usable nonce. */
    assert_int_equal(proto_noise_cs_set_nonce(&is, UINT64_MAX - 1), 0);
    assert_int_equal(proto_noise_cs_set_nonce(&rr, UINT64_MAX - 1), 0);
    assert_int_equal(
        proto_noise_cs_encrypt(&is, NULL, 0, (const uint8_t *)"last", 4, ct, sizeof ct, &len), 0);
    assert_int_equal(proto_noise_cs_decrypt(&rr, NULL, 0, ct, len, pt, sizeof pt, &plen), 0);
    assert_memory_equal(pt, "last", 4);
    /* Both are now at 2^64 - 1, which is reserved. */
    assert_int_equal(
        proto_noise_cs_encrypt(&is, NULL, 0, (const uint8_t *)"more", 4, ct, sizeof ct, &len),
        ERR_NOISE);
    assert_int_equal(len, 0);
    assert_int_equal(proto_noise_cs_decrypt(&rr, NULL, 0, ct, 20, pt, sizeof pt, &plen), ERR_NOISE);
    assert_int_equal(plen, 0);
    /* Set there directly, too. */
    assert_int_equal(proto_noise_cs_set_nonce(&rs, UINT64_MAX), 0);
    assert_int_equal(proto_noise_cs_encrypt(&rs, NULL, 0, NULL, 0, ct, sizeof ct, &len), ERR_NOISE);
    /* The other direction is unaffected. */
    assert_int_equal(proto_noise_cs_set_nonce(&rs, 7), 0);
    assert_int_equal(proto_noise_cs_set_nonce(&ir, 7), 0);
    assert_int_equal(proto_noise_cs_encrypt(&rs, NULL, 0, NULL, 0, ct, sizeof ct, &len), 0);
    assert_int_equal(proto_noise_cs_decrypt(&ir, NULL, 0, ct, len, pt, sizeof pt, &plen), 0);
    proto_noise_cs_wipe(&is);
    proto_noise_cs_wipe(&ir);
    proto_noise_cs_wipe(&rs);
    proto_noise_cs_wipe(&rr);
}

/*
 * ChaChaPoly with Noise's nonce encoding, and Rekey, against answers computed with another
 * implementation (Python's cryptography: ChaCha20Poly1305 with nonce 0^4 || le64(n)).
 */
static void test_known_answers(void **state)
{
    uint8_t key[32], want[64], got[64], pt[16];
    struct proto_noise_cs cs;
    size_t len;

    (void)state;
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    proto_noise_cs_init_key(&cs, key);
    assert_int_equal(proto_noise_cs_set_nonce(&cs, 5), 0);
    assert_int_equal(proto_noise_cs_encrypt(&cs, (const uint8_t *)"ad", 2, (const uint8_t *)"hello",
                                            5, got, sizeof got, &len),
                     0);
    assert_int_equal(len, 21);
    test_unhex("4b6dfa662aab79ce885b296a395ad49284a09f72da", want, 21);
    assert_memory_equal(got, want, 21);

    /* Rekey: the first 32 bytes of ENCRYPT(k, 2^64 - 1, "", 32 zeros); the nonce stays. */
    assert_int_equal(proto_noise_cs_rekey(&cs), 0);
    assert_int_equal(proto_noise_cs_rekey(&cs), 0);
    test_unhex("30fe3726fa0f864af01d15663c77f95e490e30143788af57e90d56fb9aa71609", want, 32);
    {
        struct proto_noise_cs kat;

        proto_noise_cs_init_key(&kat, want);
        assert_int_equal(proto_noise_cs_set_nonce(&kat, 6), 0);
        assert_int_equal(
            proto_noise_cs_encrypt(&kat, NULL, 0, (const uint8_t *)"x", 1, want, sizeof want, &len),
            0);
        assert_int_equal(
            proto_noise_cs_encrypt(&cs, NULL, 0, (const uint8_t *)"x", 1, got, sizeof got, &len),
            0);
        assert_memory_equal(got, want, len);
        proto_noise_cs_wipe(&kat);
    }
    test_unhex("50835543a205b22c9323f2022bc4f67d838f90e61d5ccf33c4513e01f85b5042", want, 32);
    proto_noise_cs_init_key(&cs, key);
    assert_int_equal(proto_noise_cs_rekey(&cs), 0);
    memset(pt, 0, sizeof pt);
    {
        struct proto_noise_cs kat;
        uint8_t a[32], b[32];

        proto_noise_cs_init_key(&kat, want);
        assert_int_equal(proto_noise_cs_encrypt(&kat, NULL, 0, pt, 16, a, sizeof a, &len), 0);
        assert_int_equal(proto_noise_cs_encrypt(&cs, NULL, 0, pt, 16, b, sizeof b, &len), 0);
        assert_memory_equal(a, b, 32);
        proto_noise_cs_wipe(&kat);
    }
    proto_noise_cs_wipe(&cs);
}

static void test_rekey(void **state)
{
    struct proto_noise_cs is, ir, rs, rr, copy;
    uint8_t c1[64], c2[64], pt[64];
    size_t l1, l2, plen;

    session_new(state, &is, &ir, &rs, &rr);
    /* The same nonce under the old and the new key gives different ciphertexts. */
    memcpy(&copy, &is, sizeof copy);
    assert_int_equal(
        proto_noise_cs_encrypt(&copy, NULL, 0, (const uint8_t *)"abc", 3, c1, sizeof c1, &l1), 0);
    assert_int_equal(proto_noise_cs_rekey(&is), 0);
    assert_int_equal(
        proto_noise_cs_encrypt(&is, NULL, 0, (const uint8_t *)"abc", 3, c2, sizeof c2, &l2), 0);
    assert_int_equal(l1, l2);
    assert_memory_not_equal(c1, c2, l1);
    /* The receiver that has not rekeyed refuses it, and its state stays put... */
    assert_int_equal(proto_noise_cs_decrypt(&rr, NULL, 0, c2, l2, pt, sizeof pt, &plen), ERR_NOISE);
    assert_int_equal(plen, 0);
    /* ...so after its own rekey the same message decrypts. */
    assert_int_equal(proto_noise_cs_rekey(&rr), 0);
    assert_int_equal(proto_noise_cs_decrypt(&rr, NULL, 0, c2, l2, pt, sizeof pt, &plen), 0);
    assert_int_equal(plen, 3);
    assert_memory_equal(pt, "abc", 3);
    /* Both directions keep going, with more rekeys on both sides in step. */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(proto_noise_cs_rekey(&rs), 0);
        assert_int_equal(proto_noise_cs_rekey(&ir), 0);
        transport_check(&is, &ir, &rs, &rr);
    }
    /* A tampered tag or associated data fails without moving the nonce. */
    assert_int_equal(
        proto_noise_cs_encrypt(&is, (const uint8_t *)"hdr", 3, c1, 5, c2, sizeof c2, &l2), 0);
    c2[l2 - 1] ^= 0x80;
    assert_int_equal(
        proto_noise_cs_decrypt(&rr, (const uint8_t *)"hdr", 3, c2, l2, pt, sizeof pt, &plen),
        ERR_NOISE);
    c2[l2 - 1] ^= 0x80;
    assert_int_equal(
        proto_noise_cs_decrypt(&rr, (const uint8_t *)"hdx", 3, c2, l2, pt, sizeof pt, &plen),
        ERR_NOISE);
    /* In place. */
    assert_int_equal(
        proto_noise_cs_decrypt(&rr, (const uint8_t *)"hdr", 3, c2, l2, c2, sizeof c2, &plen), 0);
    assert_memory_equal(c2, c1, 5);
    proto_noise_cs_wipe(&is);
    proto_noise_cs_wipe(&ir);
    proto_noise_cs_wipe(&rs);
    proto_noise_cs_wipe(&rr);
    proto_noise_cs_wipe(&copy);
}

/* saksi's handshake with random static, ephemeral and pre-shared keys, payloads in each message. */
static void test_random_round_trip(void **state)
{
    static const char *const payloads[] = {"versi 1", "versi 1 ok", "siap"};
    uint8_t s1[32], s2[32], psk[32], prologue[] = "saksi/1", msg[PROTO_NOISE_MSG_MAX], pl[64];
    uint8_t h1[32], h2[32], hs_first[32];
    struct proto_noise_cs is, ir, rs, rr;
    struct pair p;
    size_t len, plen;

    (void)state;
    for (int round = 0; round < 2; round++) {
        proto_random(s1, 32);
        proto_random(s2, 32);
        proto_random(psk, 32);
        assert_int_equal(proto_noise_hs_new(&p.init, PROTO_NOISE_XXPSK3, true, prologue,
                                            sizeof prologue, s1, psk),
                         0);
        assert_int_equal(proto_noise_hs_new(&p.resp, PROTO_NOISE_XXPSK3, false, prologue,
                                            sizeof prologue, s2, psk),
                         0);
        for (unsigned i = 0; i < 3; i++) {
            struct proto_noise_hs *w = i % 2 == 0 ? p.init : p.resp;
            struct proto_noise_hs *r = i % 2 == 0 ? p.resp : p.init;
            size_t n = strlen(payloads[i]);

            assert_int_equal(
                proto_noise_hs_write(w, (const uint8_t *)payloads[i], n, msg, sizeof msg, &len), 0);
            assert_int_equal(proto_noise_hs_read(r, msg, len, pl, sizeof pl, &plen), 0);
            assert_int_equal(plen, n);
            assert_memory_equal(pl, payloads[i], n);
        }
        proto_noise_hs_hash(p.init, h1);
        proto_noise_hs_hash(p.resp, h2);
        assert_memory_equal(h1, h2, 32);
        /* Fresh ephemerals: no two sessions share a handshake hash. */
        if (round == 0)
            memcpy(hs_first, h1, 32);
        else
            assert_memory_not_equal(hs_first, h1, 32);
        assert_int_equal(proto_noise_hs_split(p.init, &is, &ir), 0);
        assert_int_equal(proto_noise_hs_split(p.resp, &rs, &rr), 0);
        transport_check(&is, &ir, &rs, &rr);
        /* The two directions use different keys. */
        {
            struct proto_noise_cs a = is, b = rs;
            uint8_t ca[32], cb[32];

            assert_int_equal(proto_noise_cs_set_nonce(&a, 0), 0);
            assert_int_equal(proto_noise_cs_set_nonce(&b, 0), 0);
            assert_int_equal(proto_noise_cs_encrypt(&a, NULL, 0, pl, 8, ca, sizeof ca, &len), 0);
            assert_int_equal(proto_noise_cs_encrypt(&b, NULL, 0, pl, 8, cb, sizeof cb, &len), 0);
            assert_memory_not_equal(ca, cb, len);
            proto_noise_cs_wipe(&a);
            proto_noise_cs_wipe(&b);
        }
        proto_noise_cs_wipe(&is);
        proto_noise_cs_wipe(&ir);
        proto_noise_cs_wipe(&rs);
        proto_noise_cs_wipe(&rr);
        pair_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_remote_static),
        cmocka_unit_test(test_flipped_bits),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_wrong_psk),
        cmocka_unit_test(test_wrong_prologue),
        cmocka_unit_test(test_out_of_turn),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_nonce_exhaustion),
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_rekey),
        cmocka_unit_test(test_random_round_trip),
    };

    return cmocka_run_group_tests_name("proto_noise", tests, setup, teardown);
}
