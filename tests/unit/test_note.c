/*
 * Unit tests for proto/note: C2SP signed notes and cosignature/v1 lines.
 *
 * Where the vectors come from:
 *  - The PeterNeumann and EnochRoot key, text and signature lines are the published test vectors
 *    of the Go reference implementation of signed notes (golang.org/x/mod/sumdb/note,
 *    note_test.go: TestSign, TestOpen): signing key "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEK...",
 *    verifier key "PeterNeumann+c74f20a3+ARpc...", whose base64 is 0x01 || seed and 0x01 || public
 *    key. The malformed notes of TestOpen are reproduced as failures here.
 *  - The quasimodo note is the example of c2sp.org/signed-note; the behind-the-sofa checkpoint and
 *    its witness.example.com/w1 cosignature line are the example of c2sp.org/tlog-cosignature
 *    (whose cosigned message names the time 1679315147). Their public keys are not published, so
 *    only their structure is checked.
 *  - The two witness.example.com/w1 lines signed with the RFC 8032 section 7.1 TEST 1 key were
 *    computed for this test with pyca/cryptography (an independent Ed25519), following the specs'
 *    definitions of the key id and of the cosigned message literally.
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

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/note.h"
#include "tests/unit/helpers.h"

#define S(x) (x), (sizeof(x) - 1)

static const char peter_text[] = "If you think cryptography is the answer to your problem,\n"
                                 "then you don't know what your problem is.\n";
static const char peter_sig[] =
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
static const char enoch_sig[] = "\xe2\x80\x94 EnochRoot "
                                "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
                                "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
static const char peter_seed_b64[] = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char peter_vkey_b64[] = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

static const char sofa_body[] = "example.com/behind-the-sofa\n"
                                "20852163\n"
                                "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
static const char sofa_sigs[] =
    "\xe2\x80\x94 example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "\xe2\x80\x94 witness.example.com/w1 "
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/"
    "zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

/* RFC 8032 7.1 TEST 1. */
static const char rfc_seed_hex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char rfc_cosig_line[] = "\xe2\x80\x94 witness.example.com/w1 "
                                     "fm9KqgAAAABkGFDL+TPmh4BYuAjsYRoqMJCWb/gWJaeRF/"
                                     "kmm5tlCr9sJ57DLErur7K0yDXc2ArN+TIuotuB/HbuL3AJsp3bv/aNCQ==\n";
static const char rfc_sig_line[] = "\xe2\x80\x94 witness.example.com/w1 "
                                   "komNwlNUsAicB1wXCuc36HrmzCfBx1ATQpTulWd9U006OEpyCvIVj2pM8CIzKlz"
                                   "XWcwxIO/VAQzkCO8DZUY5tlFX6QQ=\n";
#define W1 "witness.example.com/w1"

static struct proto_keys *g_peter, *g_rfc;
static uint8_t g_peter_pk[32];

/* Keys from a 32-byte Ed25519 seed, through the plain key-file format (FORMATS 7.1). */
static struct proto_keys *keys_from_seed(const uint8_t seed[32])
{
    uint8_t file[74] = "SAKSIKEY\x01\x00";
    struct proto_keys *k = NULL;

    memcpy(file + 10, seed, 32);
    memset(file + 42, 0x42, 32);
    if (proto_keyfile_decode(file, sizeof file, NULL, 0, &k) != 0)
        return NULL;
    return k;
}

static int setup(void **state)
{
    uint8_t raw[33], seed[32];
    size_t n;

    (void)state;
    if (proto_crypto_init() < 0)
        return -1;
    if (proto_b64std_decode(S(peter_seed_b64), raw, sizeof raw, &n) != 0 || n != 33 ||
        raw[0] != 0x01)
        return -1;
    g_peter = keys_from_seed(raw + 1);
    if (proto_b64std_decode(S(peter_vkey_b64), raw, sizeof raw, &n) != 0 || n != 33 ||
        raw[0] != 0x01)
        return -1;
    memcpy(g_peter_pk, raw + 1, 32);
    if (proto_unhex(rfc_seed_hex, seed, 32) != 0)
        return -1;
    g_rfc = keys_from_seed(seed);
    return g_peter && g_rfc ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    proto_keys_free(g_peter);
    proto_keys_free(g_rfc);
    return 0;
}

/* text || "\n" || sigs, in a malloc'd buffer. */
static char *join3(const char *a, const char *b, const char *c, size_t *len)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *p = malloc(la + lb + lc + 1);

    assert_non_null(p);
    memcpy(p, a, la);
    memcpy(p + la, b, lb);
    memcpy(p + la + lb, c, lc + 1);
    *len = la + lb + lc;
    return p;
}

static int parse_str(const char *s, struct proto_note *n)
{
    return proto_note_parse(s, strlen(s), n);
}

static void expect_bad(const char *s, int want)
{
    struct proto_note n;

    assert_int_equal(parse_str(s, &n), want);
    assert_int_equal(n.nsigs, 0);
    assert_null(n.blob);
    assert_null(n.text);
}

static void test_invalid(void **state)
{
    struct proto_note n;
    struct proto_buf b;
    char *big;

    (void)state;
    expect_bad("", ERR_NOTE);
    expect_bad("\n", ERR_NOTE);
    expect_bad("\n\n", ERR_NOTE);
    big = malloc(PROTO_NOTE_MAX + 2);
    assert_non_null(big);
    memset(big, 'a', PROTO_NOTE_MAX + 1);
    big[PROTO_NOTE_MAX] = '\n';
    assert_int_equal(proto_note_parse(big, PROTO_NOTE_MAX + 1, &n), ERR_TOOBIG);
    assert_int_equal(proto_note_text_check(big, PROTO_NOTE_MAX + 1), ERR_TOOBIG);
    free(big);
    assert_int_equal(proto_note_text_check("", 0), ERR_NOTE);
    assert_int_equal(proto_note_text_check(S("no newline")), ERR_NOTE);
    assert_int_equal(proto_note_text_check(S("tab\there\n")), ERR_NOTE);
    assert_int_equal(proto_note_text_check(S("ok\n")), 0);
    proto_buf_init(&b);
    assert_int_equal(proto_note_sign(&b, g_peter, S("PeterNeumann"), S("abc")), ERR_NOTE);
    assert_int_equal(proto_note_sign(&b, g_peter, S("a+b"), S(peter_text)), ERR_NOTE);
    assert_int_equal(proto_note_sign(&b, g_peter, "", 0, S(peter_text)), ERR_NOTE);
    assert_int_equal(proto_note_cosign(&b, g_peter, S("w"), (uint64_t)INT64_MAX + 1, S(peter_text)),
                     -EINVAL);
    assert_int_equal(b.len, 0);
    proto_buf_release(&b);
}

/* golang.org/x/mod/sumdb/note TestSign: the exact note. */
static void test_go_sign(void **state)
{
    struct proto_buf line, note;
    size_t len;
    char *want = join3(peter_text, "\n", peter_sig, &len);

    (void)state;
    assert_memory_equal(g_peter->sign_pk, g_peter_pk, 32);
    assert_int_equal(proto_note_key_id(S("PeterNeumann"), PROTO_NOTE_ED25519, g_peter_pk),
                     0xc74f20a3u);
    proto_buf_init(&line);
    proto_buf_init(&note);
    assert_int_equal(proto_note_sign(&line, g_peter, S("PeterNeumann"), S(peter_text)), 0);
    assert_int_equal(line.len, strlen(peter_sig));
    assert_memory_equal(line.data, peter_sig, line.len);
    assert_int_equal(proto_note_format(&note, S(peter_text), (const char *)line.data, line.len), 0);
    assert_int_equal(note.len, len);
    assert_memory_equal(note.data, want, len);
    proto_buf_release(&line);
    proto_buf_release(&note);
    free(want);
}

/* TestOpen: one verified signature, one by a key this reader does not know. */
static void test_go_open(void **state)
{
    struct proto_note n;
    struct proto_buf again;
    uint64_t t = 99;
    size_t len;
    char *msg = join3(peter_text, "\n", enoch_sig, &len);
    char *both;

    (void)state;
    free(msg);
    both = malloc(strlen(peter_text) + 1 + strlen(peter_sig) + strlen(enoch_sig) + 1);
    assert_non_null(both);
    sprintf(both, "%s\n%s%s", peter_text, peter_sig, enoch_sig);
    assert_int_equal(parse_str(both, &n), 0);
    assert_int_equal(n.text_len, strlen(peter_text));
    assert_memory_equal(n.text, peter_text, n.text_len);
    assert_int_equal(n.nsigs, 2);
    assert_int_equal(n.sigs[0].key_id, 0xc74f20a3u);
    assert_int_equal(n.sigs[1].key_id, 0xaf0cfe78u);
    assert_int_equal(n.sigs[1].name_len, 9);
    assert_memory_equal(n.sigs[1].name, "EnochRoot", 9);
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S("PeterNeumann"), PROTO_NOTE_ED25519, g_peter_pk, &t),
        0);
    assert_int_equal(t, 0);
    /* Enoch's line is not Peter's key: kept, and ignored by a reader that knows only Peter. */
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[1], S("PeterNeumann"), PROTO_NOTE_ED25519, g_peter_pk, NULL),
        -ENOENT);
    /* Same name, other key id (a cosignature key id for the same key): not this key either. */
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S("PeterNeumann"), PROTO_NOTE_COSIG, g_peter_pk, NULL),
        -ENOENT);
    assert_int_equal(proto_note_verify(&n, &n.sigs[0], S("PeterNeumann"), 0x02, g_peter_pk, NULL),
                     -EINVAL);
    /* A parsed note writes back to its bytes. */
    proto_buf_init(&again);
    assert_int_equal(proto_note_write(&again, &n), 0);
    assert_int_equal(again.len, strlen(both));
    assert_memory_equal(again.data, both, again.len);
    proto_buf_release(&again);
    proto_note_release(&n);
    free(both);
}

/* TestOpen's malformed notes, and the invalid signature. */
static void test_go_malformed(void **state)
{
    char buf[1024], sig[256];
    struct proto_note n;

    (void)state;
    expect_bad(peter_text, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n", peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n%.*s", peter_text, (int)strlen(peter_sig) - 1, peter_sig);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "\x01%s\n%s", peter_text, peter_sig);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "\xff%s\n%s", peter_text, peter_sig);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf,
             "%s\n\xe2\x80\x94 Bad Name "
             "x08go/ZJkuBS9UG/"
             "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
             peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n%sUnexpected line.\n", peter_text, peter_sig);
    expect_bad(buf, ERR_NOTE);
    /* "ABCD" inserted into the base64: still a note, but Peter's signature no longer verifies. */
    snprintf(sig, sizeof sig, "%.60sABCD%s", peter_sig, peter_sig + 60);
    snprintf(buf, sizeof buf, "%s\n%s", peter_text, sig);
    assert_int_equal(parse_str(buf, &n), 0);
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S("PeterNeumann"), PROTO_NOTE_ED25519, g_peter_pk, NULL),
        ERR_BADSIG);
    proto_note_release(&n);
}

static void test_sig_limit(void **state)
{
    size_t tl = strlen(peter_text), sl = strlen(peter_sig);
    char *buf = malloc(tl + 1 + (PROTO_NOTE_SIGS_MAX + 1) * sl + 1);
    struct proto_note n;
    size_t i, len;

    (void)state;
    assert_non_null(buf);
    memcpy(buf, peter_text, tl);
    buf[tl] = '\n';
    len = tl + 1;
    for (i = 0; i < PROTO_NOTE_SIGS_MAX; i++, len += sl)
        memcpy(buf + len, peter_sig, sl);
    assert_int_equal(proto_note_parse(buf, len, &n), 0);
    assert_int_equal(n.nsigs, PROTO_NOTE_SIGS_MAX);
    for (i = 0; i < n.nsigs; i++)
        assert_int_equal(proto_note_verify(&n, &n.sigs[i], S("PeterNeumann"), PROTO_NOTE_ED25519,
                                           g_peter_pk, NULL),
                         0);
    proto_note_release(&n);
    memcpy(buf + len, peter_sig, sl);
    len += sl;
    assert_int_equal(proto_note_parse(buf, len, &n), ERR_TOOBIG);
    assert_null(n.blob);
    free(buf);
}

/* c2sp.org/signed-note's own example: a text with an empty line inside. */
static void test_spec_example(void **state)
{
    static const char note[] = "Ognuno sta solo sul cuor della terra\n"
                               "trafitto da un raggio di sole:\n"
                               "\n"
                               "ed \xc3\xa8 subito sera.\n"
                               "\n"
                               "\xe2\x80\x94 quasimodo.example/salvatore "
                               "NnugSzTjtVAewIS+Z/iJhUPeFDkO/"
                               "5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
    struct proto_note n;
    struct proto_buf again;

    (void)state;
    assert_int_equal(parse_str(note, &n), 0);
    assert_int_equal(n.text_len, strlen(note) - strlen(strstr(note, "\n\n\xe2")) + 1);
    assert_int_equal(n.text[n.text_len - 1], '\n');
    assert_int_equal(n.nsigs, 1);
    assert_int_equal(n.sigs[0].name_len, strlen("quasimodo.example/salvatore"));
    assert_int_equal(n.sigs[0].key_id, 0x367ba04bu);
    assert_int_equal(n.sigs[0].data_len, 64);
    proto_buf_init(&again);
    assert_int_equal(proto_note_write(&again, &n), 0);
    assert_memory_equal(again.data, note, strlen(note));
    proto_buf_release(&again);
    proto_note_release(&n);
}

/* c2sp.org/tlog-cosignature's example, and cosignature/v1 lines with a known key. */
static void test_cosignature(void **state)
{
    struct proto_note n;
    struct proto_buf line;
    uint64_t t = 0;
    size_t len;
    char *note = join3(sofa_body, "\n", sofa_sigs, &len);

    (void)state;
    assert_int_equal(proto_note_parse(note, len, &n), 0);
    assert_int_equal(n.nsigs, 2);
    assert_int_equal(n.sigs[0].key_id, 0x033de0aeu);
    assert_int_equal(n.sigs[0].data_len, 64);
    assert_int_equal(n.sigs[1].key_id, 0x8d66cf3fu);
    assert_int_equal(n.sigs[1].data_len, 8 + 64);
    for (int i = 0; i < 8; i++)
        t = t << 8 | n.sigs[1].data[i];
    assert_int_equal(t, 1679315147);
    proto_note_release(&n);
    free(note);

    /* Signing with the RFC 8032 TEST 1 key gives the independently computed lines. */
    proto_buf_init(&line);
    assert_int_equal(proto_note_cosign(&line, g_rfc, S(W1), 1679315147, S(sofa_body)), 0);
    assert_int_equal(line.len, strlen(rfc_cosig_line));
    assert_memory_equal(line.data, rfc_cosig_line, line.len);
    line.len = 0;
    assert_int_equal(proto_note_sign(&line, g_rfc, S(W1), S(sofa_body)), 0);
    assert_memory_equal(line.data, rfc_sig_line, strlen(rfc_sig_line));
    proto_buf_release(&line);

    /* Verifying them: each line by its type, with its time. */
    note = malloc(strlen(sofa_body) + 1 + strlen(rfc_sig_line) + strlen(rfc_cosig_line) + 1);
    assert_non_null(note);
    sprintf(note, "%s\n%s%s", sofa_body, rfc_sig_line, rfc_cosig_line);
    assert_int_equal(parse_str(note, &n), 0);
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S(W1), PROTO_NOTE_ED25519, g_rfc->sign_pk, &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(proto_note_verify(&n, &n.sigs[1], S(W1), PROTO_NOTE_COSIG, g_rfc->sign_pk, &t),
                     0);
    assert_int_equal(t, 1679315147);
    /* The wrong type for a line is another key id. */
    assert_int_equal(proto_note_verify(&n, &n.sigs[0], S(W1), PROTO_NOTE_COSIG, g_rfc->sign_pk, &t),
                     -ENOENT);
    /* The right key under another name: not that key. */
    assert_int_equal(proto_note_verify(&n, &n.sigs[1], S("witness.example.com/w2"),
                                       PROTO_NOTE_COSIG, g_rfc->sign_pk, &t),
                     -ENOENT);
    proto_note_release(&n);
    free(note);
}

/* A cosignature line whose time byte is changed, or whose time is above 2^63 - 1. */
static void test_cosig_time(void **state)
{
    struct proto_buf line, note;
    struct proto_note n;
    uint8_t raw[76], kid[4];
    char b64[PROTO_B64STD_LEN(76)];
    uint32_t id = proto_note_key_id(S(W1), PROTO_NOTE_COSIG, g_rfc->sign_pk);
    size_t got;

    (void)state;
    proto_buf_init(&line);
    proto_buf_init(&note);
    assert_int_equal(proto_note_cosign(&line, g_rfc, S(W1), 1700000000, S(sofa_body)), 0);
    /* Decode the line's base64 and change its time. */
    assert_int_equal(proto_b64std_decode((const char *)line.data + 4 + strlen(W1) + 1,
                                         line.len - 4 - strlen(W1) - 2, raw, sizeof raw, &got),
                     0);
    assert_int_equal(got, 76);
    raw[11] ^= 1;
    proto_b64std_encode(raw, 76, b64);
    line.len = 0;
    assert_int_equal(proto_note_line(&line, S(W1), id, raw + 4, 72), 0);
    assert_int_equal(proto_note_format(&note, S(sofa_body), (const char *)line.data, line.len), 0);
    assert_int_equal(proto_note_parse((const char *)note.data, note.len, &n), 0);
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S(W1), PROTO_NOTE_COSIG, g_rfc->sign_pk, NULL),
        ERR_BADSIG);
    proto_note_release(&n);
    /* Time 2^63: refused before any signature check. */
    raw[4] = 0x80;
    line.len = note.len = 0;
    assert_int_equal(proto_note_line(&line, S(W1), id, raw + 4, 72), 0);
    assert_int_equal(proto_note_format(&note, S(sofa_body), (const char *)line.data, line.len), 0);
    assert_int_equal(proto_note_parse((const char *)note.data, note.len, &n), 0);
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S(W1), PROTO_NOTE_COSIG, g_rfc->sign_pk, NULL),
        ERR_BADSIG);
    proto_note_release(&n);
    /* A cosignature of the wrong length (a type-1 signature under a type-4 key id). */
    line.len = note.len = 0;
    assert_int_equal(proto_note_line(&line, S(W1), id, raw + 12, 64), 0);
    assert_int_equal(proto_note_format(&note, S(sofa_body), (const char *)line.data, line.len), 0);
    assert_int_equal(proto_note_parse((const char *)note.data, note.len, &n), 0);
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S(W1), PROTO_NOTE_COSIG, g_rfc->sign_pk, NULL),
        ERR_BADSIG);
    proto_note_release(&n);
    (void)kid;
    proto_buf_release(&line);
    proto_buf_release(&note);
}

/* CRLF, extra blank lines, non-canonical base64, bad names. */
static void test_strict(void **state)
{
    struct proto_note n;
    char buf[1024];
    struct proto_buf b;

    (void)state;
    /* CRLF anywhere: a control character. */
    snprintf(buf, sizeof buf, "If you think\r\n\n%s", peter_sig);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n%.*s\r\n", peter_text, (int)strlen(peter_sig) - 1, peter_sig);
    expect_bad(buf, ERR_NOTE);
    /* A blank line after the signatures leaves none. */
    snprintf(buf, sizeof buf, "%s\n%s\n", peter_text, peter_sig);
    expect_bad(buf, ERR_NOTE);
    /* An extra blank line before the signatures joins the text: the signature then fails. */
    snprintf(buf, sizeof buf, "%s\n\n%s", peter_text, peter_sig);
    assert_int_equal(parse_str(buf, &n), 0);
    assert_int_equal(n.text_len, strlen(peter_text) + 1);
    assert_int_equal(
        proto_note_verify(&n, &n.sigs[0], S("PeterNeumann"), PROTO_NOTE_ED25519, g_peter_pk, NULL),
        ERR_BADSIG);
    proto_note_release(&n);
    /* A blank line between two signatures: the first one becomes text. */
    snprintf(buf, sizeof buf, "%s\n%s\n%s", peter_text, peter_sig, enoch_sig);
    assert_int_equal(parse_str(buf, &n), 0);
    assert_int_equal(n.nsigs, 1);
    assert_int_equal(n.sigs[0].key_id, 0xaf0cfe78u);
    proto_note_release(&n);
    /* Base64: missing padding, non-zero unused bits, characters outside the alphabet. */
    snprintf(buf, sizeof buf, "%s\n%.*s\n", peter_text, (int)strlen(peter_sig) - 2, peter_sig);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n%.*sN=\n", peter_text, (int)strlen(peter_sig) - 3, peter_sig);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n\xe2\x80\x94 a x08go-ZJ\n", peter_text);
    expect_bad(buf, ERR_NOTE);
    /* A signature shorter than a key id and one byte. */
    snprintf(buf, sizeof buf, "%s\n\xe2\x80\x94 a AAAAAA==\n", peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n\xe2\x80\x94 a AAAAAAA=\n", peter_text);
    assert_int_equal(parse_str(buf, &n), 0);
    assert_int_equal(n.sigs[0].data_len, 1);
    proto_note_release(&n);
    /* Names: empty, '+', a no-break space, an ideographic space, a hyphen dash instead of the em
     * dash, no space after the dash. */
    snprintf(buf, sizeof buf, "%s\n\xe2\x80\x94  AAAAAAA=\n", peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n\xe2\x80\x94 a+b AAAAAAA=\n", peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf,
             "%s\n\xe2\x80\x94 a\xc2\xa0"
             "b AAAAAAA=\n",
             peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf,
             "%s\n\xe2\x80\x94 a\xe3\x80\x80"
             "b AAAAAAA=\n",
             peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf, "%s\n- a AAAAAAA=\n", peter_text);
    expect_bad(buf, ERR_NOTE);
    snprintf(buf, sizeof buf,
             "%s\n\xe2\x80\x94"
             "a AAAAAAA=\n",
             peter_text);
    expect_bad(buf, ERR_NOTE);
    assert_true(proto_note_name_ok(S("saksi-device/\xc3\xa8")));
    assert_false(proto_note_name_ok(S("a\xe2\x80\x8a"
                                      "b"))); /* U+200A hair space */
    assert_false(proto_note_name_ok(S("a\xc2\x85"
                                      "b"))); /* U+0085 next line */
    /* A text may end in a blank line (the last blank line separates): it reads back whole. */
    proto_buf_init(&b);
    snprintf(buf, sizeof buf, "%s\n", peter_text);
    assert_int_equal(proto_note_format(&b, buf, strlen(buf), S(peter_sig)), 0);
    assert_int_equal(proto_note_parse((const char *)b.data, b.len, &n), 0);
    assert_int_equal(n.text_len, strlen(buf));
    proto_note_release(&n);
    b.len = 0;
    /* format refuses lines that do not parse. */
    assert_int_equal(proto_note_format(&b, S(peter_text), S("garbage\n")), ERR_NOTE);
    assert_int_equal(proto_note_format(&b, S(peter_text), "", 0), ERR_NOTE);
    assert_int_equal(b.len, 0);
    proto_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid),     cmocka_unit_test(test_go_sign),
        cmocka_unit_test(test_go_open),     cmocka_unit_test(test_go_malformed),
        cmocka_unit_test(test_sig_limit),   cmocka_unit_test(test_spec_example),
        cmocka_unit_test(test_cosignature), cmocka_unit_test(test_cosig_time),
        cmocka_unit_test(test_strict),
    };

    return cmocka_run_group_tests_name("proto_note", tests, setup, teardown);
}
