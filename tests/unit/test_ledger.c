/*
 * Unit tests for proto/ledger: the genesis body with a realistic chart of accounts and three
 * founders (round trip, then every genesis rule broken in turn, each with its exact code from
 * both the decoder and proto_genesis_check), the admission, revocation and journal bodies (round
 * trips and format errors, all ERR_BODY or ERR_BADSIG), the findings a well-formed journal can
 * have against the chart, Gregorian dates, and the default policy. Bodies that the encoders
 * cannot produce (a member number 0, too many lines) are written by hand with proto/mp.h.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/mp.h"
#include "tests/unit/helpers.h"

#define NFOUNDERS 3
#define NACCOUNTS 6

enum {
    A_KAS = 1101,
    A_PIUTANG = 1301,
    A_POKOK = 3101, /* simpanan pokok: per-member sub-ledger */
    A_WAJIB = 3102, /* simpanan wajib: per-member sub-ledger */
    A_JASA = 4101,
    A_BEBAN = 5101,
};

static const struct proto_account g_chart[NACCOUNTS] = {
    {A_KAS, PROTO_ACCT_ASSET, false, "Kas"},
    {A_PIUTANG, PROTO_ACCT_ASSET, true, "Piutang pinjaman anggota"},
    {A_POKOK, PROTO_ACCT_EQUITY, true, "Simpanan pokok"},
    {A_WAJIB, PROTO_ACCT_EQUITY, true, "Simpanan wajib"},
    {A_JASA, PROTO_ACCT_REVENUE, false, "Pendapatan jasa pinjaman"},
    {A_BEBAN, PROTO_ACCT_EXPENSE, false, "Beban operasional"},
};

static struct proto_keys *g_keys[NFOUNDERS + 1]; /* the last one is a newcomer */

/* A non-NULL out-parameter value, to see that failing decoders reset it. */
static struct proto_genesis g_sentinel;

/* For expect_genesis: proto_genesis_check is not asked (see that function). */
#define CHECK_SKIP 1

static int setup(void **state)
{
    (void)state;
    if (proto_crypto_init() < 0)
        return -1;
    for (int i = 0; i <= NFOUNDERS; i++)
        if (proto_keys_generate(&g_keys[i]) < 0)
            return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i <= NFOUNDERS; i++)
        proto_keys_free(g_keys[i]);
    return 0;
}

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

/*
 * A hand-built genesis: KSP Maju Bersama with the chart above and three founders (ketua,
 * bendahara, one pengawas). Arrays point into the fixture's own storage.
 */
struct gfix {
    struct proto_genesis g;
    struct proto_account acc[NACCOUNTS + 1];
    struct proto_device dev[NFOUNDERS + 1];
};

static void gfix_init(struct gfix *f)
{
    uint8_t netkey[32];

    memset(f, 0, sizeof *f);
    strcpy(f->g.name, "KSP Maju Bersama");
    strcpy(f->g.registration, "AHU-0001234.AH.01.29.TAHUN 2021");
    strcpy(f->g.currency, "IDR");
    memcpy(f->acc, g_chart, sizeof g_chart);
    f->g.accounts = f->acc;
    f->g.naccounts = NACCOUNTS;
    device_fill(&f->dev[0], g_keys[0], 1, PROTO_ROLE_PENGURUS, PROTO_OFFICE_KETUA);
    device_fill(&f->dev[1], g_keys[1], 2, PROTO_ROLE_PENGURUS, PROTO_OFFICE_BENDAHARA);
    device_fill(&f->dev[2], g_keys[2], 3, PROTO_ROLE_PENGAWAS, PROTO_OFFICE_NONE);
    f->g.roster = f->dev;
    f->g.nroster = NFOUNDERS;
    proto_policy_default(&f->g.policy);
    memset(netkey, 0x6e, sizeof netkey);
    proto_netkey_commit(netkey, f->g.netkey_commit);
}

/* Encodes f's genesis and decodes it again: returns the decoder's result. */
static int gfix_decode(const struct gfix *f, struct proto_genesis **out)
{
    struct proto_buf b;
    int rc;

    proto_buf_init(&b);
    assert_int_equal(proto_genesis_encode(&f->g, &b), 0);
    rc = proto_genesis_decode(b.data, b.len, out);
    proto_buf_release(&b);
    if (rc < 0)
        assert_null(*out);
    return rc;
}

/*
 * Both the decoder (after encoding) and the checker on the hand-built struct. The checker covers
 * the genesis-level rules only; device records (member, role, office, card) and the policy are
 * checked by the decoder alone, so for those cases the checker is not asked (CHECK_SKIP).
 */
static void expect_genesis(const struct gfix *f, int dec, int chk)
{
    struct proto_genesis *g = NULL;

    assert_int_equal(gfix_decode(f, &g), dec);
    proto_genesis_free(g);
    if (chk != CHECK_SKIP)
        assert_int_equal(proto_genesis_check(&f->g), chk);
}

/* ---- genesis ---- */

static void test_genesis_decode_garbage(void **state)
{
    struct proto_genesis *g = &g_sentinel;
    struct proto_buf b;

    (void)state;
    assert_int_equal(proto_genesis_decode((const uint8_t *)"", 0, &g), ERR_BODY);
    assert_null(g);
    assert_int_equal(proto_genesis_decode((const uint8_t *)"\x90", 1, &g), ERR_BODY);
    assert_int_equal(
        proto_genesis_decode((const uint8_t *)"\x97\xc0\xc0\xc0\xc0\xc0\xc0\xc0", 8, &g), ERR_BODY);
    assert_int_equal(proto_genesis_decode((const uint8_t *)"\xcc\x01", 2, &g), ERR_BODY);
    assert_null(g);

    /* A valid genesis with one more field, and with one field fewer. */
    {
        struct gfix f;

        gfix_init(&f);
        proto_buf_init(&b);
        assert_int_equal(proto_genesis_encode(&f.g, &b), 0);
        assert_int_equal(b.data[0], 0x97);
        b.data[0] = 0x98;
        assert_int_equal(proto_buf_append_byte(&b, 0xc0), 0);
        assert_int_equal(proto_genesis_decode(b.data, b.len, &g), ERR_BODY);
        b.data[0] = 0x96;
        b.len -= 1 + 34; /* drop the nil and the network-key commitment */
        assert_int_equal(proto_genesis_decode(b.data, b.len, &g), ERR_BODY);
        assert_null(g);
        proto_buf_release(&b);
    }
}

static void test_genesis_roundtrip(void **state)
{
    struct gfix f;
    struct proto_genesis *g = NULL;
    struct proto_buf b1, b2;
    const struct proto_account *a;

    (void)state;
    gfix_init(&f);
    assert_int_equal(proto_genesis_check(&f.g), 0);
    assert_int_equal(gfix_decode(&f, &g), 0);
    assert_non_null(g);
    assert_string_equal(g->name, f.g.name);
    assert_string_equal(g->registration, f.g.registration);
    assert_string_equal(g->currency, "IDR");
    assert_int_equal(g->naccounts, NACCOUNTS);
    for (uint32_t i = 0; i < NACCOUNTS; i++) {
        assert_int_equal(g->accounts[i].code, g_chart[i].code);
        assert_int_equal(g->accounts[i].type, g_chart[i].type);
        assert_int_equal(g->accounts[i].sub, g_chart[i].sub);
        assert_string_equal(g->accounts[i].name, g_chart[i].name);
    }
    assert_int_equal(g->nroster, NFOUNDERS);
    for (uint32_t i = 0; i < NFOUNDERS; i++)
        assert_memory_equal(&g->roster[i], &f.dev[i], sizeof f.dev[i]);
    assert_memory_equal(&g->policy, &f.g.policy, sizeof g->policy);
    assert_memory_equal(g->netkey_commit, f.g.netkey_commit, 32);

    /* Re-encoding the decoded genesis gives the same bytes. */
    proto_buf_init(&b1);
    proto_buf_init(&b2);
    assert_int_equal(proto_genesis_encode(&f.g, &b1), 0);
    assert_int_equal(proto_genesis_encode(g, &b2), 0);
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(b1.data, b2.data, b1.len);
    assert_int_equal(proto_mp_check(b1.data, b1.len), 0);

    /* Lookups: first, middle, last, absent (between, below, above). */
    a = proto_genesis_account(g, A_KAS);
    assert_non_null(a);
    assert_string_equal(a->name, "Kas");
    a = proto_genesis_account(g, A_WAJIB);
    assert_non_null(a);
    assert_true(a->sub);
    a = proto_genesis_account(g, A_BEBAN);
    assert_non_null(a);
    assert_int_equal(a->type, PROTO_ACCT_EXPENSE);
    assert_null(proto_genesis_account(g, 3103));
    assert_null(proto_genesis_account(g, 1000));
    assert_null(proto_genesis_account(g, 9999));
    assert_null(proto_genesis_account(g, 0));
    assert_ptr_equal(proto_genesis_device(g, g_keys[1]->sign_pk), &g->roster[1]);
    assert_null(proto_genesis_device(g, g_keys[NFOUNDERS]->sign_pk));
    assert_null(proto_genesis_device(g, g_keys[1]->box_pk));

    proto_genesis_free(g);
    proto_genesis_free(NULL);
    proto_buf_release(&b1);
    proto_buf_release(&b2);
}

static void test_genesis_policy_roundtrip(void **state)
{
    struct gfix f;
    struct proto_genesis *g = NULL;

    (void)state;
    gfix_init(&f);
    memset(&f.g.policy, 0, sizeof f.g.policy);
    f.g.policy.nrules = PROTO_RULES_MAX;
    for (uint32_t i = 0; i < PROTO_RULES_MAX; i++) {
        f.g.policy.rules[i].kind = 100 + i * 1000;
        f.g.policy.rules[i].roles = (i % 16) << 1; /* every mask of the four roles */
    }
    f.g.policy.rules[0].kind = UINT32_MAX;
    f.g.policy.revoke_quorum = (struct proto_quorum){3, 2};
    f.g.policy.checkpoint_quorum = (struct proto_quorum){PROTO_ROSTER_MAX, 0};
    assert_int_equal(gfix_decode(&f, &g), 0);
    assert_memory_equal(&g->policy, &f.g.policy, sizeof g->policy);
    proto_genesis_free(g);

    /* An empty rule list is allowed. */
    f.g.policy.nrules = 0;
    assert_int_equal(gfix_decode(&f, &g), 0);
    assert_int_equal(g->policy.nrules, 0);
    proto_genesis_free(g);

    /*
     * Format errors in the policy: a duplicate kind, a kind 0, roles beyond the four bits, a
     * quorum above the roster limit.
     */
    gfix_init(&f);
    f.g.policy.rules[1].kind = f.g.policy.rules[0].kind;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.g.policy.rules[2].kind = 0;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.g.policy.rules[0].roles = 0x1f; /* bit 0 is no role */
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.g.policy.rules[0].roles = PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS) | 1;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.g.policy.rules[0].roles = 0x20;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.g.policy.revoke_quorum.pengawas = PROTO_ROSTER_MAX + 1;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
}

static void test_genesis_rules(void **state)
{
    struct gfix f;

    (void)state;
    /* Currency other than IDR, empty and lowercase. */
    gfix_init(&f);
    strcpy(f.g.currency, "USD");
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    strcpy(f.g.currency, "idr");
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    strcpy(f.g.currency, "");
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    /* No name. */
    gfix_init(&f);
    f.g.name[0] = '\0';
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);

    /* Accounts: none, unsorted, duplicate. */
    gfix_init(&f);
    f.g.naccounts = 0;
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    gfix_init(&f);
    f.acc[1] = g_chart[2];
    f.acc[2] = g_chart[1];
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    gfix_init(&f);
    f.acc[5] = g_chart[4];
    f.acc[4] = g_chart[5]; /* the last two swapped */
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    gfix_init(&f);
    f.acc[3].code = f.acc[2].code;
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    /*
     * Codes out of 1000..9999 and types out of range are format errors for the decoder; the
     * checker calls them rule errors. The edges themselves are fine.
     */
    gfix_init(&f);
    f.acc[0].code = 999;
    expect_genesis(&f, ERR_BODY, ERR_GENESIS);
    gfix_init(&f);
    f.acc[5].code = 10000;
    expect_genesis(&f, ERR_BODY, ERR_GENESIS);
    gfix_init(&f);
    f.acc[0].code = 1000;
    f.acc[5].code = 9999;
    expect_genesis(&f, 0, 0);
    gfix_init(&f);
    f.acc[2].type = 0;
    expect_genesis(&f, ERR_BODY, ERR_GENESIS);
    gfix_init(&f);
    f.acc[2].type = PROTO_ACCT_EXPENSE + 1;
    expect_genesis(&f, ERR_BODY, ERR_GENESIS);
    gfix_init(&f);
    f.acc[2].name[0] = '\0';
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);

    /* Roster: empty, no pengurus, a duplicate signing key, a duplicate transport key. */
    gfix_init(&f);
    f.g.nroster = 0;
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    gfix_init(&f);
    device_fill(&f.dev[0], g_keys[0], 1, PROTO_ROLE_PENGAWAS, PROTO_OFFICE_NONE);
    device_fill(&f.dev[1], g_keys[1], 2, PROTO_ROLE_KASIR, PROTO_OFFICE_NONE);
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    f.g.nroster = 1; /* a lone pengawas */
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    gfix_init(&f);
    f.g.nroster = 1; /* a lone ketua is enough */
    expect_genesis(&f, 0, 0);
    gfix_init(&f);
    device_fill(&f.dev[3], g_keys[1], 9, PROTO_ROLE_ANGGOTA, PROTO_OFFICE_NONE);
    f.g.nroster = 4;
    expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
    {
        /* Device 3 holds its own signing key but device 2's transport key, with a valid card. */
        struct proto_keys *mix = proto_secure_alloc(sizeof *mix);

        assert_non_null(mix);
        memcpy(mix, g_keys[NFOUNDERS], sizeof *mix);
        memcpy(mix->box_pk, g_keys[2]->box_pk, 32);
        gfix_init(&f);
        device_fill(&f.dev[3], mix, 9, PROTO_ROLE_ANGGOTA, PROTO_OFFICE_NONE);
        assert_int_equal(proto_card_verify(f.dev[3].sign_pk, f.dev[3].box_pk, f.dev[3].card_sig),
                         0);
        f.g.nroster = 4;
        expect_genesis(&f, ERR_GENESIS, ERR_GENESIS);
        proto_secure_free(mix);
    }

    /* An office on a pengawas is a format error of the device record. */
    gfix_init(&f);
    f.dev[2].office = PROTO_OFFICE_SEKRETARIS;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.dev[1].office = PROTO_OFFICE_BENDAHARA + 1;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.dev[1].role = PROTO_ROLE_ANGGOTA + 1;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);
    gfix_init(&f);
    f.dev[1].member = 0;
    expect_genesis(&f, ERR_BODY, CHECK_SKIP);

    /* Cards: a flipped bit, another device's card, the transport key swapped. */
    gfix_init(&f);
    f.dev[1].card_sig[5] ^= 0x10;
    expect_genesis(&f, ERR_BADSIG, CHECK_SKIP);
    gfix_init(&f);
    memcpy(f.dev[1].card_sig, f.dev[0].card_sig, 64);
    expect_genesis(&f, ERR_BADSIG, CHECK_SKIP);
    gfix_init(&f);
    memcpy(f.dev[2].box_pk, g_keys[NFOUNDERS]->box_pk, 32);
    expect_genesis(&f, ERR_BADSIG, CHECK_SKIP);
}

static void test_genesis_strings(void **state)
{
    struct gfix f;
    struct proto_genesis *g = NULL;

    (void)state;
    /* Names at their limits pass; one byte more is a format error. */
    gfix_init(&f);
    memset(f.g.name, 'n', PROTO_NAME_MAX);
    f.g.name[PROTO_NAME_MAX] = '\0';
    memset(f.g.registration, 'r', PROTO_REG_MAX);
    f.g.registration[PROTO_REG_MAX] = '\0';
    memset(f.acc[0].name, 'a', PROTO_ACCOUNT_NAME_MAX);
    f.acc[0].name[PROTO_ACCOUNT_NAME_MAX] = '\0';
    assert_int_equal(gfix_decode(&f, &g), 0);
    assert_int_equal(strlen(g->name), PROTO_NAME_MAX);
    assert_int_equal(strlen(g->registration), PROTO_REG_MAX);
    assert_int_equal(strlen(g->accounts[0].name), PROTO_ACCOUNT_NAME_MAX);
    proto_genesis_free(g);

    /* Hand-written: a name of PROTO_NAME_MAX + 1 bytes, and one with an embedded NUL. */
    {
        struct proto_buf b, tail;
        char name[PROTO_NAME_MAX + 2];

        gfix_init(&f);
        proto_buf_init(&b);
        proto_buf_init(&tail);
        assert_int_equal(proto_genesis_encode(&f.g, &tail), 0);
        /* tail = 0x97, str name, rest: keep the rest. */
        {
            size_t skip = 1 + 1 + strlen(f.g.name);

            memset(name, 'n', sizeof name);
            assert_int_equal(proto_mp_put_array(&b, 7), 0);
            assert_int_equal(proto_mp_put_str(&b, name, PROTO_NAME_MAX + 1), 0);
            assert_int_equal(proto_buf_append(&b, tail.data + skip, tail.len - skip), 0);
            assert_int_equal(proto_genesis_decode(b.data, b.len, &g), ERR_BODY);
            proto_buf_reset(&b);
            assert_int_equal(proto_mp_put_array(&b, 7), 0);
            assert_int_equal(proto_mp_put_str(&b, "KSP\0X", 5), 0);
            assert_int_equal(proto_buf_append(&b, tail.data + skip, tail.len - skip), 0);
            assert_int_equal(proto_genesis_decode(b.data, b.len, &g), ERR_BODY);
            /* The control: a plain name in the same place decodes. */
            proto_buf_reset(&b);
            assert_int_equal(proto_mp_put_array(&b, 7), 0);
            assert_int_equal(proto_mp_put_str(&b, "KSP X", 5), 0);
            assert_int_equal(proto_buf_append(&b, tail.data + skip, tail.len - skip), 0);
            assert_int_equal(proto_genesis_decode(b.data, b.len, &g), 0);
            assert_string_equal(g->name, "KSP X");
            proto_genesis_free(g);
        }
        proto_buf_release(&b);
        proto_buf_release(&tail);
    }
}

/* ---- admissions and revocations ---- */

static void test_admit(void **state)
{
    struct proto_device d, out;
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    assert_int_equal(proto_admit_decode((const uint8_t *)"", 0, &out), ERR_BODY);
    assert_int_equal(proto_admit_decode((const uint8_t *)"\x96\x01\x01\x00\xc0\xc0\xc0", 7, &out),
                     ERR_BODY);

    device_fill(&d, g_keys[NFOUNDERS], 4242, PROTO_ROLE_KASIR, PROTO_OFFICE_NONE);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), 0);
    assert_memory_equal(&out, &d, sizeof d);

    /* The largest member number fits. */
    d.member = (uint32_t)PROTO_MEMBER_MAX;
    proto_buf_reset(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), 0);
    assert_int_equal(out.member, PROTO_MEMBER_MAX);

    /* Format errors, then a card that does not bind the keys. */
    d.member = 0;
    proto_buf_reset(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), ERR_BODY);
    device_fill(&d, g_keys[NFOUNDERS], 7, PROTO_ROLE_ANGGOTA, PROTO_OFFICE_KETUA);
    proto_buf_reset(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), ERR_BODY);
    device_fill(&d, g_keys[NFOUNDERS], 7, 0, PROTO_OFFICE_NONE);
    proto_buf_reset(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), ERR_BODY);
    device_fill(&d, g_keys[NFOUNDERS], 7, PROTO_ROLE_PENGURUS, PROTO_OFFICE_SEKRETARIS);
    memcpy(d.box_pk, g_keys[0]->box_pk, 32);
    proto_buf_reset(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), ERR_BADSIG);
    /* A trailing byte after a valid admission. */
    device_fill(&d, g_keys[NFOUNDERS], 7, PROTO_ROLE_PENGURUS, PROTO_OFFICE_SEKRETARIS);
    proto_buf_reset(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), 0);
    assert_int_equal(proto_buf_append_byte(&b, 0x00), 0);
    assert_int_equal(proto_admit_decode(b.data, b.len, &out), ERR_BODY);
    proto_buf_release(&b);
}

static void test_revoke(void **state)
{
    struct proto_revoke r, out;
    struct proto_buf b;

    (void)state;
    proto_buf_init(&b);
    assert_int_equal(proto_revoke_decode((const uint8_t *)"\x94\xc0\x00\xc0\xa0", 5, &out),
                     ERR_BODY);

    memset(&r, 0, sizeof r);
    memcpy(r.device, g_keys[1]->sign_pk, 32);
    r.last_seq = 3;
    r.has_last_id = true;
    memset(r.last_id, 0x1d, 32);
    strcpy(r.reason, "HP hilang di pasar");
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    assert_int_equal(proto_revoke_decode(b.data, b.len, &out), 0);
    assert_memory_equal(&out, &r, sizeof r);

    /* Nothing of the feed valid: seq 0 and no id. */
    memset(&r.last_id, 0, 32);
    r.last_seq = 0;
    r.has_last_id = false;
    memset(r.reason, 0, sizeof r.reason);
    proto_buf_reset(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    assert_int_equal(proto_revoke_decode(b.data, b.len, &out), 0);
    assert_memory_equal(&out, &r, sizeof r);

    /* An id without a seq, a seq without an id, a seq beyond PROTO_SEQ_MAX. */
    r.has_last_id = true;
    proto_buf_reset(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    assert_int_equal(proto_revoke_decode(b.data, b.len, &out), ERR_BODY);
    r.has_last_id = false;
    r.last_seq = 2;
    proto_buf_reset(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    assert_int_equal(proto_revoke_decode(b.data, b.len, &out), ERR_BODY);
    r.has_last_id = true;
    r.last_seq = PROTO_SEQ_MAX;
    proto_buf_reset(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    assert_int_equal(proto_revoke_decode(b.data, b.len, &out), 0);
    r.last_seq = PROTO_SEQ_MAX + 1;
    proto_buf_reset(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    assert_int_equal(proto_revoke_decode(b.data, b.len, &out), ERR_BODY);
    /* A reason at the limit and one byte over (written by hand). */
    r.last_seq = 1;
    memset(r.reason, 'x', PROTO_MEMO_MAX);
    r.reason[PROTO_MEMO_MAX] = '\0';
    proto_buf_reset(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    assert_int_equal(proto_revoke_decode(b.data, b.len, &out), 0);
    {
        char reason[PROTO_MEMO_MAX + 1];

        memset(reason, 'x', sizeof reason);
        proto_buf_reset(&b);
        assert_int_equal(proto_mp_put_array(&b, 4), 0);
        assert_int_equal(proto_mp_put_bin(&b, r.device, 32), 0);
        assert_int_equal(proto_mp_put_uint(&b, 1), 0);
        assert_int_equal(proto_mp_put_bin(&b, r.last_id, 32), 0);
        assert_int_equal(proto_mp_put_str(&b, reason, sizeof reason), 0);
        assert_int_equal(proto_revoke_decode(b.data, b.len, &out), ERR_BODY);
    }
    proto_buf_release(&b);
}

/* ---- journals ---- */

static void journal_fill(struct proto_journal *j)
{
    memset(j, 0, sizeof *j);
    j->date = 20250115;
    strcpy(j->memo, "Setoran simpanan pokok anggota 17");
    j->nlines = 2;
    j->lines[0] = (struct proto_line){A_KAS, 0, 100000, 0};
    j->lines[1] = (struct proto_line){A_POKOK, 17, 0, 100000};
}

static int journal_rt(const struct proto_journal *j, struct proto_journal *out)
{
    struct proto_buf b;
    int rc;

    proto_buf_init(&b);
    assert_int_equal(proto_journal_encode(j, &b), 0);
    rc = proto_journal_decode(b.data, b.len, out);
    proto_buf_release(&b);
    return rc;
}

/* For journal_line_raw: write nil for the member. */
#define NIL INT64_MIN

/* A journal body with one hand-written line (account, member or NIL, debit, credit). */
static int journal_line_raw(int64_t account, int64_t member, uint64_t debit, uint64_t credit)
{
    struct proto_journal out;
    struct proto_buf b;
    int rc;

    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_array(&b, 3), 0);
    assert_int_equal(proto_mp_put_uint(&b, 20250115), 0);
    assert_int_equal(proto_mp_put_str(&b, "m", 1), 0);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    /* Line 1 is fine and balances nothing in particular; line 2 is the one under test. */
    assert_int_equal(proto_mp_put_array(&b, 4), 0);
    assert_int_equal(proto_mp_put_uint(&b, A_KAS), 0);
    assert_int_equal(proto_mp_put_nil(&b), 0);
    assert_int_equal(proto_mp_put_uint(&b, 5), 0);
    assert_int_equal(proto_mp_put_uint(&b, 0), 0);
    assert_int_equal(proto_mp_put_array(&b, 4), 0);
    assert_int_equal(proto_mp_put_int(&b, account), 0);
    assert_int_equal(member == NIL ? proto_mp_put_nil(&b) : proto_mp_put_int(&b, member), 0);
    assert_int_equal(proto_mp_put_uint(&b, debit), 0);
    assert_int_equal(proto_mp_put_uint(&b, credit), 0);
    rc = proto_journal_decode(b.data, b.len, &out);
    proto_buf_release(&b);
    return rc;
}

static void test_journal_format(void **state)
{
    struct proto_journal j, out;

    (void)state;
    assert_int_equal(proto_journal_decode((const uint8_t *)"", 0, &out), ERR_BODY);
    assert_int_equal(proto_journal_decode((const uint8_t *)"\x93\x00\xa0\x90", 4, &out), ERR_BODY);

    /* The hand-written line itself is sound. */
    assert_int_equal(journal_line_raw(A_KAS, NIL, 0, 5), 0);
    assert_int_equal(journal_line_raw(A_POKOK, 17, 0, 5), 0);
    /* Both sides, neither side, over the limit, member 0, a negative member, bad accounts. */
    assert_int_equal(journal_line_raw(A_KAS, NIL, 5, 5), ERR_BODY);
    assert_int_equal(journal_line_raw(A_KAS, NIL, 0, 0), ERR_BODY);
    assert_int_equal(journal_line_raw(A_KAS, NIL, PROTO_AMOUNT_MAX, 0), 0);
    assert_int_equal(journal_line_raw(A_KAS, NIL, PROTO_AMOUNT_MAX + 1, 0), ERR_BODY);
    assert_int_equal(journal_line_raw(A_KAS, NIL, 0, PROTO_AMOUNT_MAX + 1), ERR_BODY);
    assert_int_equal(journal_line_raw(A_KAS, NIL, 0, UINT64_MAX), ERR_BODY);
    assert_int_equal(journal_line_raw(A_POKOK, 0, 0, 5), ERR_BODY);
    assert_int_equal(journal_line_raw(A_POKOK, -5, 0, 5), ERR_BODY);
    assert_int_equal(journal_line_raw(A_POKOK, (int64_t)PROTO_MEMBER_MAX, 0, 5), 0);
    assert_int_equal(journal_line_raw(A_POKOK, (int64_t)PROTO_MEMBER_MAX + 1, 0, 5), ERR_BODY);
    assert_int_equal(journal_line_raw(999, NIL, 0, 5), ERR_BODY);
    assert_int_equal(journal_line_raw(10000, NIL, 0, 5), ERR_BODY);
    assert_int_equal(journal_line_raw(-1101, NIL, 0, 5), ERR_BODY);

    /* The same through the encoder. */
    journal_fill(&j);
    j.lines[0].credit = 1;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);
    journal_fill(&j);
    j.lines[1].credit = 0;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);
    journal_fill(&j);
    j.lines[0].debit = PROTO_AMOUNT_MAX + 1;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);
    journal_fill(&j);
    j.nlines = 0;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);

    /* Dates. */
    journal_fill(&j);
    j.date = 20250230;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);
    j.date = 20250229;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);
    j.date = 20240229;
    assert_int_equal(journal_rt(&j, &out), 0);
    j.date = 18991231;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);
    j.date = 0;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);
    j.date = 20251301;
    assert_int_equal(journal_rt(&j, &out), ERR_BODY);

    /* A memo at the limit; one over, written by hand. */
    journal_fill(&j);
    memset(j.memo, 'm', PROTO_MEMO_MAX);
    j.memo[PROTO_MEMO_MAX] = '\0';
    assert_int_equal(journal_rt(&j, &out), 0);
    {
        struct proto_buf b;
        char memo[PROTO_MEMO_MAX + 1];

        memset(memo, 'm', sizeof memo);
        proto_buf_init(&b);
        assert_int_equal(proto_mp_put_array(&b, 3), 0);
        assert_int_equal(proto_mp_put_uint(&b, 20250115), 0);
        assert_int_equal(proto_mp_put_str(&b, memo, sizeof memo), 0);
        assert_int_equal(proto_mp_put_array(&b, 1), 0);
        assert_int_equal(proto_mp_put_array(&b, 4), 0);
        assert_int_equal(proto_mp_put_uint(&b, A_KAS), 0);
        assert_int_equal(proto_mp_put_nil(&b), 0);
        assert_int_equal(proto_mp_put_uint(&b, 1), 0);
        assert_int_equal(proto_mp_put_uint(&b, 0), 0);
        assert_int_equal(proto_journal_decode(b.data, b.len, &out), ERR_BODY);
        proto_buf_release(&b);
    }
}

static void test_journal_lines_limit(void **state)
{
    struct proto_journal *j = calloc(1, sizeof *j), *out = calloc(1, sizeof *out);
    struct proto_buf b;
    uint64_t d, c;

    (void)state;
    assert_non_null(j);
    assert_non_null(out);
    proto_buf_init(&b);
    /* PROTO_LINES_MAX lines of the largest amount: decoded, and the totals do not overflow. */
    j->date = 20251231;
    j->nlines = PROTO_LINES_MAX;
    for (uint32_t i = 0; i < PROTO_LINES_MAX; i++)
        j->lines[i] = (struct proto_line){A_KAS, 0, i % 2 ? 0 : PROTO_AMOUNT_MAX,
                                          i % 2 ? PROTO_AMOUNT_MAX : 0};
    assert_int_equal(proto_journal_encode(j, &b), 0);
    assert_int_equal(proto_journal_decode(b.data, b.len, out), 0);
    assert_int_equal(out->nlines, PROTO_LINES_MAX);
    assert_memory_equal(out->lines, j->lines, sizeof j->lines);
    proto_journal_totals(out, &d, &c);
    assert_int_equal(d, PROTO_AMOUNT_MAX * (PROTO_LINES_MAX / 2));
    assert_int_equal(c, d);

    /* One line more (the encoder cannot hold it: append a line and patch the array header). */
    {
        size_t hdr = 1 + 5 + 1; /* fixarray, uint32 date, empty fixstr */

        assert_int_equal(b.data[hdr], 0xdc); /* array16 of 256 */
        b.data[hdr + 1] = 0x01;
        b.data[hdr + 2] = 0x01;
        assert_int_equal(proto_mp_put_array(&b, 4), 0);
        assert_int_equal(proto_mp_put_uint(&b, A_KAS), 0);
        assert_int_equal(proto_mp_put_nil(&b), 0);
        assert_int_equal(proto_mp_put_uint(&b, 1), 0);
        assert_int_equal(proto_mp_put_uint(&b, 0), 0);
        assert_int_equal(proto_mp_check(b.data, b.len), 0);
        assert_int_equal(proto_journal_decode(b.data, b.len, out), ERR_BODY);
    }
    proto_buf_release(&b);
    free(j);
    free(out);
}

static void test_journal_roundtrip(void **state)
{
    struct proto_journal j, out;
    struct proto_buf b1, b2;

    (void)state;
    journal_fill(&j);
    j.nlines = 3;
    j.lines[0] = (struct proto_line){A_KAS, 0, 150000, 0};
    j.lines[1] = (struct proto_line){A_POKOK, 17, 0, 100000};
    j.lines[2] = (struct proto_line){A_WAJIB, 17, 0, 50000};
    assert_int_equal(journal_rt(&j, &out), 0);
    assert_memory_equal(&out, &j, sizeof j);
    proto_buf_init(&b1);
    proto_buf_init(&b2);
    assert_int_equal(proto_journal_encode(&j, &b1), 0);
    assert_int_equal(proto_journal_encode(&out, &b2), 0);
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(b1.data, b2.data, b1.len);
    proto_buf_release(&b1);
    proto_buf_release(&b2);
}

static void test_journal_findings(void **state)
{
    struct gfix f;
    struct proto_journal j;
    uint64_t d, c;

    (void)state;
    gfix_init(&f);
    journal_fill(&j);
    assert_int_equal(proto_journal_findings(&j, &f.g), 0);
    proto_journal_totals(&j, &d, &c);
    assert_int_equal(d, 100000);
    assert_int_equal(c, 100000);

    j.lines[1].credit = 99999;
    assert_int_equal(proto_journal_findings(&j, &f.g), PROTO_JF_UNBALANCED);
    journal_fill(&j);
    j.lines[0].account = 1102; /* balanced, not in the chart */
    assert_int_equal(proto_journal_findings(&j, &f.g), PROTO_JF_NO_ACCOUNT);
    journal_fill(&j);
    j.lines[0].member = 17; /* Kas keeps no sub-ledger */
    assert_int_equal(proto_journal_findings(&j, &f.g), PROTO_JF_MEMBER_NO_SUB);
    journal_fill(&j);
    j.lines[1].member = 0; /* a sub-ledger account must name its member */
    assert_int_equal(proto_journal_findings(&j, &f.g), PROTO_JF_SUB_NO_MEMBER);
    journal_fill(&j);
    j.lines[0].member = 3;
    j.lines[0].debit = 1;
    j.nlines = 3;
    j.lines[2] = (struct proto_line){9999, 0, 5, 0};
    assert_int_equal(proto_journal_findings(&j, &f.g),
                     PROTO_JF_UNBALANCED | PROTO_JF_NO_ACCOUNT | PROTO_JF_MEMBER_NO_SUB);
    /* Several lines that balance only together. */
    j.lines[0] = (struct proto_line){A_KAS, 0, 70, 0};
    j.lines[1] = (struct proto_line){A_BEBAN, 0, 30, 0};
    j.lines[2] = (struct proto_line){A_JASA, 0, 0, 100};
    assert_int_equal(proto_journal_findings(&j, &f.g), 0);
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(proto_date_valid(20240229));
    assert_false(proto_date_valid(20230229));
    assert_false(proto_date_valid(19000229));
    assert_true(proto_date_valid(20000229));
    assert_false(proto_date_valid(21000229));
    assert_true(proto_date_valid(19000101));
    assert_false(proto_date_valid(18991231));
    assert_true(proto_date_valid(99991231));
    assert_false(proto_date_valid(100000101));
    assert_false(proto_date_valid(20250001));
    assert_false(proto_date_valid(20251301));
    assert_false(proto_date_valid(20250100));
    assert_false(proto_date_valid(20250132));
    assert_true(proto_date_valid(20250131));
    assert_false(proto_date_valid(20250431));
    assert_true(proto_date_valid(20250430));
    assert_false(proto_date_valid(20251131));
    assert_true(proto_date_valid(20251231));
    assert_false(proto_date_valid(0));
    assert_false(proto_date_valid(UINT32_MAX));
}

static void test_policy(void **state)
{
    struct proto_policy p;

    (void)state;
    proto_policy_default(&p);
    assert_int_equal(p.nrules, 3);
    assert_int_equal(p.revoke_quorum.pengurus, 2);
    assert_int_equal(p.revoke_quorum.pengawas, 1);
    assert_int_equal(p.checkpoint_quorum.pengurus, 2);
    assert_int_equal(p.checkpoint_quorum.pengawas, 1);

    assert_true(proto_policy_allows(&p, PROTO_KIND_ADMIT, PROTO_ROLE_PENGURUS));
    assert_false(proto_policy_allows(&p, PROTO_KIND_ADMIT, PROTO_ROLE_PENGAWAS));
    assert_false(proto_policy_allows(&p, PROTO_KIND_ADMIT, PROTO_ROLE_KASIR));
    assert_false(proto_policy_allows(&p, PROTO_KIND_ADMIT, PROTO_ROLE_ANGGOTA));
    assert_true(proto_policy_allows(&p, PROTO_KIND_REVOKE, PROTO_ROLE_PENGURUS));
    assert_true(proto_policy_allows(&p, PROTO_KIND_REVOKE, PROTO_ROLE_PENGAWAS));
    assert_false(proto_policy_allows(&p, PROTO_KIND_REVOKE, PROTO_ROLE_KASIR));
    assert_false(proto_policy_allows(&p, PROTO_KIND_REVOKE, PROTO_ROLE_ANGGOTA));
    assert_true(proto_policy_allows(&p, PROTO_KIND_JOURNAL, PROTO_ROLE_PENGURUS));
    assert_true(proto_policy_allows(&p, PROTO_KIND_JOURNAL, PROTO_ROLE_KASIR));
    assert_false(proto_policy_allows(&p, PROTO_KIND_JOURNAL, PROTO_ROLE_PENGAWAS));
    assert_false(proto_policy_allows(&p, PROTO_KIND_JOURNAL, PROTO_ROLE_ANGGOTA));
    /* Kinds without a rule: pengurus only. Unknown roles: never. */
    assert_true(proto_policy_allows(&p, 99, PROTO_ROLE_PENGURUS));
    assert_false(proto_policy_allows(&p, 99, PROTO_ROLE_PENGAWAS));
    assert_false(proto_policy_allows(&p, PROTO_KIND_JOURNAL, 0));
    assert_false(proto_policy_allows(&p, PROTO_KIND_JOURNAL, 7));
    /* A rule's kind is compared in full, not truncated to 32 bits. */
    assert_false(
        proto_policy_allows(&p, ((uint64_t)1 << 32) | PROTO_KIND_JOURNAL, PROTO_ROLE_KASIR));

    /* A rule with no roles forbids even the pengurus; an empty policy allows pengurus only. */
    p.rules[0].roles = 0;
    assert_false(proto_policy_allows(&p, PROTO_KIND_ADMIT, PROTO_ROLE_PENGURUS));
    memset(&p, 0, sizeof p);
    assert_true(proto_policy_allows(&p, PROTO_KIND_JOURNAL, PROTO_ROLE_PENGURUS));
    assert_false(proto_policy_allows(&p, PROTO_KIND_JOURNAL, PROTO_ROLE_KASIR));
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(proto_role_name(PROTO_ROLE_PENGURUS), "pengurus");
    assert_string_equal(proto_role_name(PROTO_ROLE_PENGAWAS), "pengawas");
    assert_string_equal(proto_role_name(PROTO_ROLE_KASIR), "kasir");
    assert_string_equal(proto_role_name(PROTO_ROLE_ANGGOTA), "anggota");
    assert_string_equal(proto_role_name(0), "?");
    assert_string_equal(proto_role_name(5), "?");
    assert_string_equal(proto_office_name(PROTO_OFFICE_NONE), "");
    assert_string_equal(proto_office_name(PROTO_OFFICE_KETUA), "ketua");
    assert_string_equal(proto_office_name(PROTO_OFFICE_SEKRETARIS), "sekretaris");
    assert_string_equal(proto_office_name(PROTO_OFFICE_BENDAHARA), "bendahara");
    assert_string_equal(proto_office_name(4), "");
    assert_string_equal(proto_acct_type_name(PROTO_ACCT_ASSET), "A");
    assert_string_equal(proto_acct_type_name(PROTO_ACCT_EXPENSE), "X");
    assert_string_equal(proto_acct_type_name(0), "?");
    assert_string_equal(proto_acct_type_name(7), "?");
    assert_string_equal(proto_acct_type_name(255), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_genesis_decode_garbage),
        cmocka_unit_test(test_genesis_rules),
        cmocka_unit_test(test_genesis_strings),
        cmocka_unit_test(test_genesis_roundtrip),
        cmocka_unit_test(test_genesis_policy_roundtrip),
        cmocka_unit_test(test_admit),
        cmocka_unit_test(test_revoke),
        cmocka_unit_test(test_journal_format),
        cmocka_unit_test(test_journal_lines_limit),
        cmocka_unit_test(test_journal_roundtrip),
        cmocka_unit_test(test_journal_findings),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests_name("proto_ledger", tests, setup, teardown);
}
