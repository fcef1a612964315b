/*
 * Unit tests for store/: opening (missing, read-only, newer schema), founding the ledger from a
 * genesis and refusing a second one or a foreign ledger id, per-entry rejections inside a batch,
 * idempotent re-ingest, feeds and the ledger head recomputed independently from the entry ids,
 * the pending area (gaps, authors not yet admitted, its bound), forks, revocation cut-offs, the
 * roster fixpoint, reindex, and above all order independence: one set of entries with a fork, a
 * gap, an admission and a revocation, ingested in many orders and batch splits into separate
 * stores, must give identical heads, feeds, balances, roster and fork records. Every test gets
 * a fresh directory; entries are built, parsed and verified here, and their bytes outlive the
 * parsed views that the store borrows.
 */
#include <errno.h>
#include <lmdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/merkle.h"
#include "proto/mp.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

#define T0       1735700000000ULL /* entry times: T0 plus something that tells entries apart */
#define DATE     20250115
#define PATH_LEN 512
#define SNAP_MAX 16
#define ROWS_MAX 64

enum {
    A_KAS = 1101,
    A_POKOK = 3101, /* simpanan pokok, per-member */
    A_WAJIB = 3102, /* simpanan wajib, per-member */
    A_JASA = 4101,
    A_BEBAN = 5101,
};

enum { M_F0 = 1, M_F1 = 2, M_F2 = 3, M_D = 10, M_E = 11 };

/*
 * Founders: f0 (pengurus, ketua, authors genesis), f1 (pengurus, bendahara), f2 (pengawas).
 * d and e join later; x is never admitted.
 */
static struct proto_keys *g_f0, *g_f1, *g_f2, *g_d, *g_e, *g_x;

/* An entry whose bytes it owns, with the parsed view that borrows them. */
struct ent {
    uint8_t *raw;
    size_t len;
    struct proto_entry e;
};

static struct ent g_gen; /* the ledger's genesis, by f0 */

/* Non-NULL values for out-parameters, to see that failing calls reset them. */
static char g_nonnull;
static struct proto_genesis g_gen_sentinel;
#define NONNULL_STORE ((struct store *)(void *)&g_nonnull)

/* ---- building entries ---- */

/* Builds, parses and (when verify is set) checks the signature, as a node would. */
static void ent_build(struct ent *x, const struct proto_keys *k, const uint8_t *ledger,
                      uint64_t seq, const uint8_t *prev, uint64_t t, uint64_t kind,
                      const struct proto_buf *body, bool verify)
{
    struct proto_buf b;

    proto_buf_init(&b);
    assert_int_equal(proto_entry_build(&b, k, ledger, seq, prev, t, kind, body->data, body->len),
                     0);
    x->raw = b.data; /* the buffer's memory now belongs to x */
    x->len = b.len;
    assert_int_equal(proto_entry_parse(x->raw, x->len, &x->e), 0);
    if (verify)
        assert_int_equal(proto_entry_verify(&x->e), 0);
}

static void ent_raw(struct ent *x, const struct proto_keys *k, const uint8_t *ledger, uint64_t seq,
                    const uint8_t *prev, uint64_t t, uint64_t kind, const struct proto_buf *body)
{
    ent_build(x, k, ledger, seq, prev, t, kind, body, true);
}

static void ent_free(struct ent *x)
{
    free(x->raw);
    memset(x, 0, sizeof *x);
}

static const uint8_t *prev_id(const struct ent *prev)
{
    return prev ? prev->e.id : NULL;
}

static void genesis_body(struct proto_buf *b, const char *name)
{
    static const struct proto_account chart[] = {
        {A_KAS, PROTO_ACCT_ASSET, false, "Kas"},
        {A_POKOK, PROTO_ACCT_EQUITY, true, "Simpanan pokok"},
        {A_WAJIB, PROTO_ACCT_EQUITY, true, "Simpanan wajib"},
        {A_JASA, PROTO_ACCT_REVENUE, false, "Pendapatan jasa"},
        {A_BEBAN, PROTO_ACCT_EXPENSE, false, "Beban operasional"},
    };
    struct proto_account acc[5];
    struct proto_device dev[3];
    const struct proto_keys *keys[3] = {g_f0, g_f1, g_f2};
    static const uint8_t roles[3] = {PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGAWAS};
    static const uint8_t offices[3] = {PROTO_OFFICE_KETUA, PROTO_OFFICE_BENDAHARA,
                                       PROTO_OFFICE_NONE};
    static const uint32_t members[3] = {M_F0, M_F1, M_F2};
    struct proto_genesis g;
    uint8_t netkey[32];

    memset(&g, 0, sizeof g);
    memset(dev, 0, sizeof dev);
    snprintf(g.name, sizeof g.name, "%s", name);
    strcpy(g.registration, "AHU-0000042.AH.01.26.2024");
    strcpy(g.currency, "IDR");
    memcpy(acc, chart, sizeof acc);
    g.accounts = acc;
    g.naccounts = 5;
    for (int i = 0; i < 3; i++) {
        dev[i].member = members[i];
        dev[i].role = roles[i];
        dev[i].office = offices[i];
        memcpy(dev[i].sign_pk, keys[i]->sign_pk, 32);
        memcpy(dev[i].box_pk, keys[i]->box_pk, 32);
        proto_card_sign(keys[i], dev[i].card_sig);
    }
    g.roster = dev;
    g.nroster = 3;
    proto_policy_default(&g.policy);
    memset(netkey, 0x33, sizeof netkey);
    proto_netkey_commit(netkey, g.netkey_commit);
    assert_int_equal(proto_genesis_encode(&g, b), 0);
}

/* A genesis by k with the standard roster under another koperasi name. */
static void ent_genesis(struct ent *x, const struct proto_keys *k, const char *name)
{
    struct proto_buf b;

    proto_buf_init(&b);
    genesis_body(&b, name);
    ent_raw(x, k, NULL, 1, NULL, T0, PROTO_KIND_GENESIS, &b);
    proto_buf_release(&b);
}

/*
 * A journal: debit dacct, credit cacct (naming member, 0 for none) by amount. The amount also
 * goes into the time, so entries that differ only in amount are different entries.
 */
static void ent_journal(struct ent *x, const struct proto_keys *k, uint64_t seq,
                        const struct ent *prev, uint32_t dacct, uint32_t cacct, uint32_t member,
                        uint64_t amount)
{
    struct proto_journal j;
    struct proto_buf b;

    memset(&j, 0, sizeof j);
    j.date = DATE;
    strcpy(j.memo, "uji");
    j.nlines = 2;
    j.lines[0] = (struct proto_line){dacct, 0, amount, 0};
    j.lines[1] = (struct proto_line){cacct, member, 0, amount};
    proto_buf_init(&b);
    assert_int_equal(proto_journal_encode(&j, &b), 0);
    ent_raw(x, k, g_gen.e.id, seq, prev_id(prev), T0 + amount, PROTO_KIND_JOURNAL, &b);
    proto_buf_release(&b);
}

static void ent_admit(struct ent *x, const struct proto_keys *k, uint64_t seq,
                      const struct ent *prev, const struct proto_keys *dev, uint32_t member,
                      uint8_t role)
{
    struct proto_device d;
    struct proto_buf b;

    memset(&d, 0, sizeof d);
    d.member = member;
    d.role = role;
    memcpy(d.sign_pk, dev->sign_pk, 32);
    memcpy(d.box_pk, dev->box_pk, 32);
    proto_card_sign(dev, d.card_sig);
    proto_buf_init(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    ent_raw(x, k, g_gen.e.id, seq, prev_id(prev), T0 + 1000 + member, PROTO_KIND_ADMIT, &b);
    proto_buf_release(&b);
}

static void ent_revoke(struct ent *x, const struct proto_keys *k, uint64_t seq,
                       const struct ent *prev, const struct proto_keys *dev, uint64_t last_seq,
                       const uint8_t *last_id)
{
    struct proto_revoke r;
    struct proto_buf b;

    memset(&r, 0, sizeof r);
    memcpy(r.device, dev->sign_pk, 32);
    r.last_seq = last_seq;
    r.has_last_id = last_id != NULL;
    if (last_id)
        memcpy(r.last_id, last_id, 32);
    strcpy(r.reason, "perangkat hilang");
    proto_buf_init(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    ent_raw(x, k, g_gen.e.id, seq, prev_id(prev), T0 + 2000 + last_seq, PROTO_KIND_REVOKE, &b);
    proto_buf_release(&b);
}

/* An entry of any kind whose body is [tag]; verify as for ent_build. */
static void ent_tagged(struct ent *x, const struct proto_keys *k, const uint8_t *ledger,
                       uint64_t seq, const uint8_t *prev, uint64_t kind, uint64_t tag, bool verify)
{
    struct proto_buf b;

    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_array(&b, 1), 0);
    assert_int_equal(proto_mp_put_uint(&b, tag), 0);
    ent_build(x, k, ledger, seq, prev, T0 + tag, kind, &b, verify);
    proto_buf_release(&b);
}

static void ent_other(struct ent *x, const struct proto_keys *k, const uint8_t *ledger,
                      uint64_t seq, const uint8_t *prev, uint64_t kind, uint64_t tag)
{
    ent_tagged(x, k, ledger, seq, prev, kind, tag, true);
}

/* ---- ingesting ---- */

static void ing_batch(struct store *st, struct ent *const *xs, size_t n, int *res,
                      struct store_ingest_stats *stats)
{
    struct store_item *items = calloc(n ? n : 1, sizeof *items);

    assert_non_null(items);
    for (size_t i = 0; i < n; i++)
        items[i].e = &xs[i]->e;
    assert_int_equal(store_ingest(st, items, n, NULL, stats), 0);
    for (size_t i = 0; i < n; i++)
        res[i] = items[i].result;
    free(items);
}

/* One entry in a batch of its own: returns its result. */
static int ing_stats(struct store *st, const struct ent *x, struct store_ingest_stats *stats)
{
    struct store_item it = {&x->e, 0};

    assert_int_equal(store_ingest(st, &it, 1, NULL, stats), 0);
    return it.result;
}

static int ing(struct store *st, const struct ent *x)
{
    return ing_stats(st, x, NULL);
}

/* ---- stores ---- */

struct fx {
    char dir[PATH_LEN];
    struct store *st;
};

static void store_fresh(char *dir, struct store **st)
{
    test_tmpdir(dir, PATH_LEN);
    assert_int_equal(store_open(dir, STORE_CREATE, st), 0);
    assert_non_null(*st);
}

static void store_gone(char *dir, struct store **st)
{
    store_close(*st);
    *st = NULL;
    test_rmrf(dir);
}

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    store_fresh(f->dir, &f->st);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    store_gone(f->dir, &f->st);
    free(f);
    return 0;
}

/* ---- what a store shows: snapshots for comparison ---- */

struct snap {
    struct store_head head;
    uint32_t nfeeds, nbal, ndev, nforks;
    struct store_feed feeds[SNAP_MAX];
    struct store_balance bal[SNAP_MAX];
    struct store_device dev[SNAP_MAX];
    struct store_fork forks[SNAP_MAX];
};

/*
 * The callbacks copy field by field into zeroed slots, so padding never takes part in a
 * comparison.
 */
static int snap_feed(const struct store_feed *f, void *arg)
{
    struct snap *s = arg;
    struct store_feed *o;

    assert_true(s->nfeeds < SNAP_MAX);
    o = &s->feeds[s->nfeeds++];
    memcpy(o->author, f->author, 32);
    o->length = f->length;
    o->stored = f->stored;
    o->fork_seq = f->fork_seq;
    memcpy(o->root, f->root, 32);
    memcpy(o->last_id, f->last_id, 32);
    return 0;
}

static int snap_bal(const struct store_balance *b, void *arg)
{
    struct snap *s = arg;
    struct store_balance *o;

    assert_true(s->nbal < SNAP_MAX);
    o = &s->bal[s->nbal++];
    o->account = b->account;
    o->debit = b->debit;
    o->credit = b->credit;
    return 0;
}

static void dev_copy(struct store_device *o, const struct store_device *d)
{
    memset(o, 0, sizeof *o);
    o->dev.member = d->dev.member;
    o->dev.role = d->dev.role;
    o->dev.office = d->dev.office;
    memcpy(o->dev.sign_pk, d->dev.sign_pk, 32);
    memcpy(o->dev.box_pk, d->dev.box_pk, 32);
    memcpy(o->dev.card_sig, d->dev.card_sig, 64);
    memcpy(o->admitted_by, d->admitted_by, 32);
    o->revoked = d->revoked;
    o->cut_seq = d->cut_seq;
}

static int snap_dev(const struct store_device *d, void *arg)
{
    struct snap *s = arg;

    assert_true(s->ndev < SNAP_MAX);
    dev_copy(&s->dev[s->ndev++], d);
    return 0;
}

static int snap_fork(const struct store_fork *f, void *arg)
{
    struct snap *s = arg;
    struct store_fork *o;

    assert_true(s->nforks < SNAP_MAX);
    o = &s->forks[s->nforks++];
    memcpy(o->author, f->author, 32);
    o->seq = f->seq;
    o->nids = f->nids;
    memcpy(o->ids, f->ids, (size_t)(f->nids > 8 ? 8 : f->nids) * 32);
    return 0;
}

static void snap_take(struct store *st, struct snap *s)
{
    memset(s, 0, sizeof *s);
    assert_int_equal(store_head_get(st, &s->head), 0);
    assert_int_equal(store_each_feed(st, snap_feed, s), 0);
    assert_int_equal(store_each_balance(st, snap_bal, s), 0);
    assert_int_equal(store_each_device(st, snap_dev, s), 0);
    assert_int_equal(store_each_fork(st, snap_fork, s), 0);
}

static void snap_assert_equal(const struct snap *a, const struct snap *b)
{
    assert_memory_equal(a->head.head, b->head.head, 32);
    assert_int_equal(a->head.feeds, b->head.feeds);
    assert_int_equal(a->head.applied, b->head.applied);
    assert_int_equal(a->head.entries, b->head.entries);
    assert_int_equal(a->head.pending, b->head.pending);
    assert_int_equal(a->head.forks, b->head.forks);
    assert_int_equal(a->nfeeds, b->nfeeds);
    assert_memory_equal(a->feeds, b->feeds, sizeof a->feeds);
    assert_int_equal(a->nbal, b->nbal);
    assert_memory_equal(a->bal, b->bal, sizeof a->bal);
    assert_int_equal(a->ndev, b->ndev);
    assert_memory_equal(a->dev, b->dev, sizeof a->dev);
    assert_int_equal(a->nforks, b->nforks);
    assert_memory_equal(a->forks, b->forks, sizeof a->forks);
}

static const struct store_feed *snap_feed_of(const struct snap *s, const struct proto_keys *k)
{
    for (uint32_t i = 0; i < s->nfeeds; i++)
        if (memcmp(s->feeds[i].author, k->sign_pk, 32) == 0)
            return &s->feeds[i];
    return NULL;
}

/* The balance of one account (zeros if it has none). */
static void snap_bal_of(const struct snap *s, uint32_t account, int64_t *debit, int64_t *credit)
{
    *debit = 0;
    *credit = 0;
    for (uint32_t i = 0; i < s->nbal; i++)
        if (s->bal[i].account == account) {
            *debit = s->bal[i].debit;
            *credit = s->bal[i].credit;
        }
}

static void assert_bal(const struct snap *s, uint32_t account, int64_t debit, int64_t credit)
{
    int64_t d, c;

    snap_bal_of(s, account, &d, &c);
    assert_int_equal(d, debit);
    assert_int_equal(c, credit);
}

/* ---- the head, computed independently from entry ids ---- */

struct xfeed {
    const struct proto_keys *author;
    size_t n;
    const struct ent *e[16]; /* the applied entries, seq 1..n */
};

static void xroot(const struct xfeed *f, uint8_t root[32])
{
    uint8_t ids[16][32];

    for (size_t j = 0; j < f->n; j++)
        memcpy(ids[j], f->e[j]->e.id, 32);
    assert_int_equal(proto_merkle_root(proto_merkle_array_leaf, ids, f->n, root), 0);
}

static void xhead(const struct xfeed *f, size_t nf, uint8_t out[32])
{
    struct proto_head_feed hf[8], tmp;
    size_t m = 0;

    assert_true(nf <= 8);
    for (size_t i = 0; i < nf; i++) {
        if (f[i].n == 0)
            continue;
        memcpy(hf[m].author, f[i].author->sign_pk, 32);
        hf[m].length = f[i].n;
        xroot(&f[i], hf[m].root);
        m++;
    }
    /* Sorted by author key. */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && memcmp(hf[j - 1].author, hf[j].author, 32) > 0; j--) {
            tmp = hf[j];
            hf[j] = hf[j - 1];
            hf[j - 1] = tmp;
        }
    assert_int_equal(proto_head_compute(hf, m, out), 0);
}

static void assert_feed(const struct snap *s, const struct xfeed *x, uint64_t stored,
                        uint64_t fork_seq)
{
    const struct store_feed *f = snap_feed_of(s, x->author);
    uint8_t root[32], zero[32];

    assert_non_null(f);
    assert_int_equal(f->length, x->n);
    assert_int_equal(f->stored, stored);
    assert_int_equal(f->fork_seq, fork_seq);
    xroot(x, root);
    assert_memory_equal(f->root, root, 32);
    memset(zero, 0, sizeof zero);
    assert_memory_equal(f->last_id, x->n ? x->e[x->n - 1]->e.id : zero, 32);
}

/* ---- group setup ---- */

static int setup(void **state)
{
    struct proto_keys **keys[] = {&g_f0, &g_f1, &g_f2, &g_d, &g_e, &g_x};

    (void)state;
    if (proto_crypto_init() < 0)
        return -1;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (proto_keys_generate(keys[i]) < 0)
            return -1;
    ent_genesis(&g_gen, g_f0, "KSP Sejahtera Bersama");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ent_free(&g_gen);
    proto_keys_free(g_f0);
    proto_keys_free(g_f1);
    proto_keys_free(g_f2);
    proto_keys_free(g_d);
    proto_keys_free(g_e);
    proto_keys_free(g_x);
    return 0;
}

/* ---- opening ---- */

static int count_cb(const void *row, void *arg)
{
    (void)row;
    (*(int *)arg)++;
    return 0;
}

static int count_feed(const struct store_feed *f, void *arg)
{
    return count_cb(f, arg);
}

static void test_open_errors(void **state)
{
    char dir[PATH_LEN], path[PATH_LEN + 16];
    struct store *st = NONNULL_STORE;
    struct store_head h;
    struct proto_genesis *g = &g_gen_sentinel;
    uint8_t id[32], empty[32];
    uint64_t seq = 99;
    struct proto_buf b;
    struct ent j;
    int n = 0;

    (void)state;
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/missing", dir);
    assert_int_equal(store_open(path, STORE_RDONLY, &st), -ENOENT);
    assert_null(st);
    assert_int_equal(store_open(path, 0, &st), -ENOENT);
    assert_null(st);
    /* An existing directory without a store, read-only. */
    assert_int_equal(store_open(dir, STORE_RDONLY, &st), -ENOENT);
    assert_null(st);
    /* STORE_CREATE makes one directory, not a path. */
    snprintf(path, sizeof path, "%s/a/b", dir);
    assert_int_equal(store_open(path, STORE_CREATE, &st), -ENOENT);
    store_close(NULL);

    /* A new, empty store. */
    snprintf(path, sizeof path, "%s/s", dir);
    assert_int_equal(store_open(path, STORE_CREATE, &st), 0);
    assert_int_equal(store_ledger_id(st, id), ERR_NOLEDGER);
    assert_int_equal(store_genesis(st, &g), ERR_NOLEDGER);
    assert_null(g);
    assert_int_equal(store_head_get(st, &h), 0);
    proto_sha256("", 0, empty);
    assert_memory_equal(h.head, empty, 32);
    assert_int_equal(h.feeds + h.applied + h.entries + h.pending + h.forks, 0);
    assert_int_equal(store_each_feed(st, count_feed, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_entry_find(st, id, 0, id), -EINVAL);
    assert_int_equal(store_entry_find(st, id, 33, id), -EINVAL);
    assert_int_equal(store_entry_find(st, g_gen.e.id, 4, id), -ENOENT);
    proto_buf_init(&b);
    assert_int_equal(store_entry_get(st, g_gen.e.id, &b), -ENOENT);
    assert_int_equal(b.len, 0);
    assert_int_equal(store_feed_tip(st, g_f0->sign_pk, &seq, id), 0);
    assert_int_equal(seq, 0);
    assert_int_equal(store_ingest(st, NULL, 0, NULL, NULL), 0);

    /* Nothing but a genesis can come first. */
    ent_journal(&j, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 5);
    assert_int_equal(ing(st, &j), ERR_NOLEDGER);
    assert_int_equal(store_head_get(st, &h), 0);
    assert_int_equal(h.entries + h.pending, 0);
    store_close(st);

    /* Read-only on a store without a ledger. */
    assert_int_equal(store_open(path, STORE_RDONLY, &st), 0);
    assert_int_equal(store_ledger_id(st, id), ERR_NOLEDGER);
    store_close(st);
    ent_free(&j);
    proto_buf_release(&b);
    test_rmrf(dir);
}

/* ---- genesis and the ledger id ---- */

static void test_genesis(void **state)
{
    struct fx *f = *state;
    struct store_item it;
    struct store_head h, h2;
    struct proto_genesis *g = NULL;
    struct ent bad, g2, g3, j;
    struct snap s;
    uint8_t id[32], other[32];
    struct xfeed xf = {g_f0, 1, {&g_gen}};

    /* A genesis refused by the caller's expected ledger id founds nothing. */
    memset(other, 0x77, sizeof other);
    it = (struct store_item){&g_gen.e, 0};
    assert_int_equal(store_ingest(f->st, &it, 1, other, NULL), 0);
    assert_int_equal(it.result, ERR_LEDGER);
    assert_int_equal(store_ledger_id(f->st, id), ERR_NOLEDGER);

    /* Genesis by the pengawas, by an outsider, and one whose body breaks the genesis rules. */
    ent_genesis(&bad, g_f2, "KSP Sejahtera Bersama");
    assert_int_equal(ing(f->st, &bad), ERR_GENESIS);
    ent_free(&bad);
    ent_genesis(&bad, g_x, "KSP Sejahtera Bersama");
    assert_int_equal(ing(f->st, &bad), ERR_GENESIS);
    ent_free(&bad);
    ent_other(&bad, g_f0, NULL, 1, NULL, PROTO_KIND_GENESIS, 7);
    assert_int_equal(ing(f->st, &bad), ERR_GENESIS);
    ent_free(&bad);
    assert_int_equal(store_ledger_id(f->st, id), ERR_NOLEDGER);
    assert_int_equal(store_head_get(f->st, &h), 0);
    assert_int_equal(h.entries + h.pending, 0);

    /* The genesis with the right expectation founds the ledger. */
    it = (struct store_item){&g_gen.e, 0};
    assert_int_equal(store_ingest(f->st, &it, 1, g_gen.e.id, NULL), 0);
    assert_int_equal(it.result, STORE_NEW);
    assert_int_equal(store_ledger_id(f->st, id), 0);
    assert_memory_equal(id, g_gen.e.id, 32);
    assert_int_equal(store_genesis(f->st, &g), 0);
    assert_string_equal(g->name, "KSP Sejahtera Bersama");
    assert_int_equal(g->naccounts, 5);
    assert_int_equal(g->nroster, 3);
    assert_memory_equal(g->roster[2].sign_pk, g_f2->sign_pk, 32);

    snap_take(f->st, &s);
    assert_int_equal(s.head.feeds, 1);
    assert_int_equal(s.head.applied, 1);
    assert_int_equal(s.head.entries, 1);
    assert_int_equal(s.head.pending, 0);
    assert_int_equal(s.head.forks, 0);
    xhead(&xf, 1, id);
    assert_memory_equal(s.head.head, id, 32);
    assert_feed(&s, &xf, 1, 0);
    /* The founders, admitted by genesis, in key order. */
    assert_int_equal(s.ndev, 3);
    for (uint32_t i = 0; i < s.ndev; i++) {
        const struct proto_device *d = proto_genesis_device(g, s.dev[i].dev.sign_pk);

        assert_non_null(d);
        assert_memory_equal(s.dev[i].dev.box_pk, d->box_pk, 32);
        assert_int_equal(s.dev[i].dev.role, d->role);
        assert_int_equal(s.dev[i].dev.member, d->member);
        assert_memory_equal(s.dev[i].admitted_by, g_gen.e.id, 32);
        assert_false(s.dev[i].revoked);
        if (i > 0)
            assert_true(memcmp(s.dev[i - 1].dev.sign_pk, s.dev[i].dev.sign_pk, 32) < 0);
    }
    proto_genesis_free(g);

    /* Again: nothing changes. Another genesis, by the same founder or another: wrong ledger. */
    assert_int_equal(ing(f->st, &g_gen), STORE_HAD);
    ent_genesis(&g2, g_f0, "KSP Lain");
    ent_genesis(&g3, g_f1, "KSP Sejahtera Bersama");
    assert_int_equal(ing(f->st, &g2), ERR_LEDGER);
    assert_int_equal(ing(f->st, &g3), ERR_LEDGER);
    /* Entries naming another ledger. */
    ent_other(&j, g_f0, other, 2, g_gen.e.id, PROTO_KIND_JOURNAL, 1);
    assert_int_equal(ing(f->st, &j), ERR_LEDGER);
    ent_free(&j);
    ent_other(&j, g_f1, g2.e.id, 1, NULL, 99, 1);
    assert_int_equal(ing(f->st, &j), ERR_LEDGER);
    ent_free(&j);
    ent_free(&g2);
    ent_free(&g3);

    /* It all survives a reopen. */
    assert_int_equal(store_head_get(f->st, &h), 0);
    store_close(f->st);
    assert_int_equal(store_open(f->dir, 0, &f->st), 0);
    assert_int_equal(store_ledger_id(f->st, id), 0);
    assert_memory_equal(id, g_gen.e.id, 32);
    assert_int_equal(store_head_get(f->st, &h2), 0);
    assert_memory_equal(&h, &h2, sizeof h);
}

/* Per-entry rejections do not fail the batch, and the rest of it is stored. */
static void test_batch_rejections(void **state)
{
    struct fx *f = *state;
    struct ent j2, j3, wrong, badj, bada, badr, unk, x4;
    struct ent *batch[] = {&g_gen, &j2, &wrong, &badj, &bada, &badr, &j3, &unk, &x4};
    int res[9];
    uint8_t other[32];
    struct store_head h;
    struct proto_buf b;

    memset(other, 0x11, sizeof other);
    ent_journal(&j2, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 5);
    ent_journal(&j3, g_f0, 3, &j2, A_KAS, A_JASA, 0, 6);
    ent_other(&wrong, g_f1, other, 1, NULL, PROTO_KIND_JOURNAL, 1);
    ent_other(&badj, g_f1, g_gen.e.id, 1, NULL, PROTO_KIND_JOURNAL, 2); /* body [2] */
    ent_other(&bada, g_f1, g_gen.e.id, 1, NULL, PROTO_KIND_ADMIT, 3);
    ent_other(&badr, g_f1, g_gen.e.id, 1, NULL, PROTO_KIND_REVOKE, 4);
    ent_other(&unk, g_f1, g_gen.e.id, 1, NULL, 77, 5); /* unknown kind: no format to check */
    {
        /* An admission whose card does not bind the keys is a bad body too. */
        struct proto_device d;

        memset(&d, 0, sizeof d);
        d.member = M_D;
        d.role = PROTO_ROLE_KASIR;
        memcpy(d.sign_pk, g_d->sign_pk, 32);
        memcpy(d.box_pk, g_e->box_pk, 32);
        proto_card_sign(g_d, d.card_sig);
        proto_buf_init(&b);
        assert_int_equal(proto_admit_encode(&d, &b), 0);
        ent_raw(&x4, g_f0, g_gen.e.id, 4, j3.e.id, T0, PROTO_KIND_ADMIT, &b);
        proto_buf_release(&b);
    }
    ing_batch(f->st, batch, 9, res, NULL);
    assert_int_equal(res[0], STORE_NEW);
    assert_int_equal(res[1], STORE_NEW);
    assert_int_equal(res[2], ERR_LEDGER);
    assert_int_equal(res[3], ERR_BODY);
    assert_int_equal(res[4], ERR_BODY);
    assert_int_equal(res[5], ERR_BODY);
    assert_int_equal(res[6], STORE_NEW);
    assert_int_equal(res[7], STORE_NEW);
    assert_int_equal(res[8], ERR_BODY);
    assert_int_equal(store_head_get(f->st, &h), 0);
    assert_int_equal(h.entries, 4);
    assert_int_equal(h.applied, 4);
    assert_int_equal(h.pending, 0);
    proto_buf_init(&b);
    assert_int_equal(store_entry_get(f->st, badj.e.id, &b), -ENOENT);
    assert_int_equal(store_entry_get(f->st, unk.e.id, &b), 0);
    assert_int_equal(b.len, unk.len);
    assert_memory_equal(b.data, unk.raw, unk.len);
    proto_buf_release(&b);
    for (size_t i = 1; i < 9; i++)
        ent_free(batch[i]);
}

/* ---- feeds ---- */

struct rows {
    int n;
    int stop_after; /* > 0: return 1 after this many rows; < 0: return this code at once */
    struct {
        uint8_t author[32], id[32];
        uint64_t seq;
        bool applied;
        size_t len;
    } r[ROWS_MAX];
};

static int rows_cb(const struct store_row *row, void *arg)
{
    struct rows *rs = arg;

    if (rs->stop_after < 0)
        return rs->stop_after;
    assert_true(rs->n < ROWS_MAX);
    memcpy(rs->r[rs->n].author, row->author, 32);
    memcpy(rs->r[rs->n].id, row->id, 32);
    rs->r[rs->n].seq = row->seq;
    rs->r[rs->n].applied = row->applied;
    rs->r[rs->n].len = row->len;
    rs->n++;
    if (rs->stop_after > 0 && rs->n >= rs->stop_after)
        return 1;
    return 0;
}

static void test_chain(void **state)
{
    struct fx *f = *state;
    struct ent a[5], b[3];
    struct xfeed xa = {g_f0, 5, {&g_gen, &a[1], &a[2], &a[3], &a[4]}};
    struct xfeed xb = {g_f1, 3, {&b[0], &b[1], &b[2]}};
    struct xfeed xs[2];
    struct store_ingest_stats stats;
    struct snap s;
    struct rows rs;
    struct proto_buf buf;
    uint8_t want[32], id[32];
    uint64_t seq;

    a[0] = g_gen;
    for (uint64_t i = 1; i < 5; i++)
        ent_journal(&a[i], g_f0, i + 1, &a[i - 1], A_KAS, A_POKOK, M_F0, 1000 * i);
    for (uint64_t i = 0; i < 3; i++)
        ent_journal(&b[i], g_f1, i + 1, i ? &b[i - 1] : NULL, A_BEBAN, A_KAS, 0, 10 + i);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(ing_stats(f->st, &a[i], &stats), STORE_NEW);
        assert_int_equal(stats.from_pending, 0);
        assert_int_equal(stats.forks, 0);
        assert_false(stats.rebuilt);
    }
    for (int i = 0; i < 3; i++)
        assert_int_equal(ing(f->st, &b[i]), STORE_NEW);

    snap_take(f->st, &s);
    assert_int_equal(s.head.feeds, 2);
    assert_int_equal(s.head.applied, 8);
    assert_int_equal(s.head.entries, 8);
    assert_int_equal(s.head.pending, 0);
    assert_int_equal(s.head.forks, 0);
    xs[0] = xa;
    xs[1] = xb;
    xhead(xs, 2, want);
    assert_memory_equal(s.head.head, want, 32);
    assert_int_equal(s.nfeeds, 2);
    assert_true(memcmp(s.feeds[0].author, s.feeds[1].author, 32) < 0);
    assert_feed(&s, &xa, 5, 0);
    assert_feed(&s, &xb, 3, 0);
    /* Balances: Kas +10000 from f0's four journals, -33 from f1's three. */
    assert_int_equal(s.nbal, 3);
    assert_bal(&s, A_KAS, 10000, 33);
    assert_bal(&s, A_POKOK, 0, 10000);
    assert_bal(&s, A_BEBAN, 33, 0);
    assert_int_equal(s.bal[0].account, A_KAS); /* in account order */
    assert_int_equal(s.bal[2].account, A_BEBAN);

    /* Tips, lookups. */
    assert_int_equal(store_feed_tip(f->st, g_f0->sign_pk, &seq, id), 0);
    assert_int_equal(seq, 5);
    assert_memory_equal(id, a[4].e.id, 32);
    assert_int_equal(store_feed_tip(f->st, g_f1->sign_pk, &seq, id), 0);
    assert_int_equal(seq, 3);
    assert_memory_equal(id, b[2].e.id, 32);
    assert_int_equal(store_feed_tip(f->st, g_f2->sign_pk, &seq, id), 0);
    assert_int_equal(seq, 0);
    proto_buf_init(&buf);
    assert_int_equal(store_entry_get(f->st, a[2].e.id, &buf), 0);
    assert_int_equal(buf.len, a[2].len);
    assert_memory_equal(buf.data, a[2].raw, a[2].len);
    proto_buf_release(&buf);
    assert_int_equal(store_entry_find(f->st, b[1].e.id, 32, id), 0);
    assert_memory_equal(id, b[1].e.id, 32);
    assert_int_equal(store_entry_find(f->st, b[1].e.id, 6, id), 0);
    assert_memory_equal(id, b[1].e.id, 32);

    /* Every entry, the genesis author's feed first, each feed in seq order. */
    memset(&rs, 0, sizeof rs);
    assert_int_equal(store_each_entry(f->st, NULL, rows_cb, &rs), 0);
    assert_int_equal(rs.n, 8);
    for (int i = 0; i < 8; i++) {
        const struct ent *e = i < 5 ? &a[i] : &b[i - 5];

        assert_memory_equal(rs.r[i].id, e->e.id, 32);
        assert_memory_equal(rs.r[i].author, e->e.author, 32);
        assert_int_equal(rs.r[i].seq, e->e.seq);
        assert_int_equal(rs.r[i].len, e->len);
        assert_true(rs.r[i].applied);
    }
    /* One feed; an early stop; an abort. */
    memset(&rs, 0, sizeof rs);
    assert_int_equal(store_each_entry(f->st, g_f1->sign_pk, rows_cb, &rs), 0);
    assert_int_equal(rs.n, 3);
    assert_memory_equal(rs.r[2].id, b[2].e.id, 32);
    memset(&rs, 0, sizeof rs);
    rs.stop_after = 2;
    assert_int_equal(store_each_entry(f->st, NULL, rows_cb, &rs), 0);
    assert_int_equal(rs.n, 2);
    memset(&rs, 0, sizeof rs);
    rs.stop_after = -42;
    assert_int_equal(store_each_entry(f->st, NULL, rows_cb, &rs), -42);
    memset(&rs, 0, sizeof rs);
    assert_int_equal(store_each_entry(f->st, g_x->sign_pk, rows_cb, &rs), 0);
    assert_int_equal(rs.n, 0);

    /* Idempotence: the whole set again, in one batch and reversed. */
    {
        struct ent *all[8];
        int res[8];
        struct snap s2;

        for (int i = 0; i < 8; i++)
            all[7 - i] = i < 5 ? &a[i] : &b[i - 5];
        ing_batch(f->st, all, 8, res, &stats);
        for (int i = 0; i < 8; i++)
            assert_int_equal(res[i], STORE_HAD);
        assert_false(stats.rebuilt);
        snap_take(f->st, &s2);
        snap_assert_equal(&s, &s2);
        /* A reindex rebuilds the same state. */
        assert_int_equal(store_reindex(f->st), 0);
        snap_take(f->st, &s2);
        snap_assert_equal(&s, &s2);
    }
    for (int i = 1; i < 5; i++)
        ent_free(&a[i]);
    for (int i = 0; i < 3; i++)
        ent_free(&b[i]);
}

/* An id prefix that several entries share. */
static void test_entry_find_ambiguous(void **state)
{
    struct fx *f = *state;
    struct ent e[128];
    uint8_t id[32];
    int n = 0, hit = -1, with = -1;

    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    /*
     * Unknown-kind entries by f1 until two ids share their first byte: about 20 are needed,
     * and 128 all differ with a probability near 10^-14.
     */
    while (hit < 0 && n < 128) {
        ent_other(&e[n], g_f1, g_gen.e.id, (uint64_t)n + 1, n ? e[n - 1].e.id : NULL, 99,
                  (uint64_t)n);
        assert_int_equal(ing(f->st, &e[n]), STORE_NEW);
        for (int i = 0; i < n && hit < 0; i++)
            if (e[i].e.id[0] == e[n].e.id[0]) {
                hit = n;
                with = i;
            }
        n++;
    }
    assert_true(hit >= 0);
    assert_int_equal(store_entry_find(f->st, e[hit].e.id, 1, id), -EEXIST);
    /* The shortest prefix where the two differ tells them apart. */
    {
        size_t p = 1;

        while (e[hit].e.id[p - 1] == e[with].e.id[p - 1])
            p++;
        assert_int_equal(store_entry_find(f->st, e[hit].e.id, p, id), 0);
        assert_memory_equal(id, e[hit].e.id, 32);
        assert_int_equal(store_entry_find(f->st, e[with].e.id, p, id), 0);
        assert_memory_equal(id, e[with].e.id, 32);
    }
    for (int i = 0; i < n; i++)
        ent_free(&e[i]);
}

/* ---- the pending area ---- */

static void test_gap(void **state)
{
    struct fx *f = *state;
    struct ent j2, j3, j4bad;
    struct store_ingest_stats stats;
    struct snap s, s2;
    struct store_head h;
    uint8_t id[32], junk[32];
    uint64_t seq;

    ent_journal(&j2, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 200);
    ent_journal(&j3, g_f0, 3, &j2, A_KAS, A_JASA, 0, 300);
    memset(junk, 0xee, sizeof junk);
    ent_other(&j4bad, g_f0, g_gen.e.id, 4, junk, 99, 4); /* links to nothing we will hold */

    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    assert_int_equal(ing(f->st, &j3), STORE_PENDING_GAP);
    assert_int_equal(store_head_get(f->st, &h), 0);
    assert_int_equal(h.pending, 1);
    assert_int_equal(h.entries, 1);
    assert_int_equal(h.applied, 1);
    assert_int_equal(store_feed_tip(f->st, g_f0->sign_pk, &seq, id), 0);
    assert_int_equal(seq, 1);
    /* Waiting already: still a gap, still one entry waiting. */
    assert_int_equal(ing(f->st, &j3), STORE_PENDING_GAP);
    assert_int_equal(store_head_get(f->st, &h), 0);
    assert_int_equal(h.pending, 1);

    assert_int_equal(ing_stats(f->st, &j2, &stats), STORE_NEW);
    assert_int_equal(stats.from_pending, 1);
    snap_take(f->st, &s);
    assert_int_equal(s.head.pending, 0);
    assert_int_equal(s.head.applied, 3);
    assert_int_equal(s.head.entries, 3);
    assert_bal(&s, A_KAS, 500, 0);
    assert_int_equal(store_feed_tip(f->st, g_f0->sign_pk, &seq, id), 0);
    assert_int_equal(seq, 3);
    assert_memory_equal(id, j3.e.id, 32);
    assert_int_equal(ing(f->st, &j3), STORE_HAD);

    /* A link to an entry nobody holds waits for ever, even with its seq - 1 present. */
    assert_int_equal(ing(f->st, &j4bad), STORE_PENDING_GAP);
    assert_int_equal(store_head_get(f->st, &h), 0);
    assert_int_equal(h.pending, 1);
    assert_int_equal(h.applied, 3);

    /* Gap and fill in one batch, in a second store: the same state as one by one. */
    {
        char dir[PATH_LEN];
        struct store *st2;
        struct ent *batch[] = {&g_gen, &j4bad, &j3, &j2};
        int res[4];

        store_fresh(dir, &st2);
        ing_batch(st2, batch, 4, res, &stats);
        assert_int_equal(res[0], STORE_NEW);
        assert_int_equal(res[1], STORE_PENDING_GAP);
        assert_int_equal(res[2], STORE_PENDING_GAP);
        assert_int_equal(res[3], STORE_NEW);
        assert_int_equal(stats.from_pending, 1);
        snap_take(st2, &s2);
        snap_take(f->st, &s);
        snap_assert_equal(&s, &s2);
        store_gone(dir, &st2);
    }
    ent_free(&j2);
    ent_free(&j3);
    ent_free(&j4bad);
}

static void test_pending_author(void **state)
{
    struct fx *f = *state;
    struct ent d1, d2, adm, adm_e, e1, x1;
    struct store_ingest_stats stats;
    struct store_device dev;
    struct snap s;
    struct xfeed xd = {g_d, 2, {&d1, &d2}};

    ent_journal(&d1, g_d, 1, NULL, A_KAS, A_WAJIB, M_E, 70);
    ent_journal(&d2, g_d, 2, &d1, A_KAS, A_WAJIB, M_E, 30);
    ent_admit(&adm, g_f0, 2, &g_gen, g_d, M_D, PROTO_ROLE_KASIR);
    ent_admit(&adm_e, g_f2, 1, NULL, g_e, M_E, PROTO_ROLE_KASIR); /* by the pengawas */
    ent_journal(&e1, g_e, 1, NULL, A_KAS, A_JASA, 0, 9);
    ent_journal(&x1, g_x, 1, NULL, A_KAS, A_JASA, 0, 8);

    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    /* Out of order as well: seq 2 first, and it waits for its author, not for seq 1. */
    assert_int_equal(ing(f->st, &d2), STORE_PENDING_AUTHOR);
    assert_int_equal(ing(f->st, &d1), STORE_PENDING_AUTHOR);
    assert_int_equal(ing(f->st, &x1), STORE_PENDING_AUTHOR);
    assert_int_equal(store_device_get(f->st, g_d->sign_pk, &dev), -ENOENT);
    snap_take(f->st, &s);
    assert_int_equal(s.head.pending, 3);
    assert_int_equal(s.head.entries, 1);
    assert_int_equal(s.nfeeds, 1);
    assert_int_equal(s.nbal, 0);

    /* The admission applies both. */
    assert_int_equal(ing_stats(f->st, &adm, &stats), STORE_NEW);
    assert_int_equal(stats.from_pending, 2);
    snap_take(f->st, &s);
    assert_int_equal(s.head.pending, 1);
    assert_int_equal(s.head.entries, 4);
    assert_int_equal(s.head.feeds, 2);
    assert_feed(&s, &xd, 2, 0);
    assert_bal(&s, A_KAS, 100, 0);
    assert_bal(&s, A_WAJIB, 0, 100);
    assert_int_equal(store_device_get(f->st, g_d->sign_pk, &dev), 0);
    assert_int_equal(dev.dev.member, M_D);
    assert_int_equal(dev.dev.role, PROTO_ROLE_KASIR);
    assert_memory_equal(dev.dev.box_pk, g_d->box_pk, 32);
    assert_memory_equal(dev.admitted_by, adm.e.id, 32);
    assert_false(dev.revoked);
    assert_int_equal(s.ndev, 4);
    assert_int_equal(store_device_get(f->st, g_x->sign_pk, &dev), -ENOENT);

    /* An admission by the pengawas is stored but has no authority: e stays out. */
    assert_int_equal(ing(f->st, &adm_e), STORE_NEW);
    assert_int_equal(ing(f->st, &e1), STORE_PENDING_AUTHOR);
    assert_int_equal(store_device_get(f->st, g_e->sign_pk, &dev), -ENOENT);
    snap_take(f->st, &s);
    assert_int_equal(s.head.pending, 2);
    assert_int_equal(s.ndev, 4);
    assert_bal(&s, A_KAS, 100, 0);
    ent_free(&d1);
    ent_free(&d2);
    ent_free(&adm);
    ent_free(&adm_e);
    ent_free(&e1);
    ent_free(&x1);
}

/*
 * An admission that releases more waiting entries than the batch's work list first holds: the
 * list grows while the admission itself is still being processed (under ASan this catches the
 * admission's view being read from the old, freed list).
 */
static void test_release_many(void **state)
{
    enum { N = 150 };
    struct fx *f = *state;
    struct ent *d = calloc(N, sizeof *d), **ptr = calloc(N, sizeof *ptr), adm, j3;
    int *res = calloc(N, sizeof *res);
    struct store_ingest_stats stats;
    struct snap s;
    uint64_t sum = 0;

    assert_non_null(d);
    assert_non_null(ptr);
    assert_non_null(res);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    for (int i = 0; i < N; i++) {
        ent_journal(&d[i], g_d, (uint64_t)i + 1, i ? &d[i - 1] : NULL, A_KAS, A_WAJIB, M_D,
                    (uint64_t)i + 1);
        sum += (uint64_t)i + 1;
        ptr[N - 1 - i] = &d[i]; /* newest first */
    }
    ing_batch(f->st, ptr, N, res, NULL);
    for (int i = 0; i < N; i++)
        assert_int_equal(res[i], STORE_PENDING_AUTHOR);
    ent_admit(&adm, g_f0, 2, &g_gen, g_d, M_D, PROTO_ROLE_KASIR);
    ent_journal(&j3, g_f0, 3, &adm, A_BEBAN, A_KAS, 0, 5);
    {
        struct ent *batch[] = {&adm, &j3};
        int r[2];

        ing_batch(f->st, batch, 2, r, &stats);
        assert_int_equal(r[0], STORE_NEW);
        assert_int_equal(r[1], STORE_NEW);
    }
    assert_int_equal(stats.from_pending, N);
    snap_take(f->st, &s);
    assert_int_equal(s.head.pending, 0);
    assert_int_equal(s.head.applied, 3 + N);
    assert_bal(&s, A_KAS, (int64_t)sum, 5);
    assert_bal(&s, A_WAJIB, 0, (int64_t)sum);
    for (int i = 0; i < N; i++)
        ent_free(&d[i]);
    ent_free(&adm);
    ent_free(&j3);
    free(d);
    free(ptr);
    free(res);
}

/* ---- authority by role ---- */

static void test_role_authority(void **state)
{
    struct fx *f = *state;
    struct ent p1, u2, adm, d1;
    struct snap s;
    struct xfeed xp = {g_f2, 2, {&p1, &u2}};

    /* The pengawas may not post journals: stored and part of its feed, but no postings. */
    ent_journal(&p1, g_f2, 1, NULL, A_KAS, A_JASA, 0, 444);
    ent_other(&u2, g_f2, g_gen.e.id, 2, p1.e.id, 4242, 1); /* an unknown kind: no effect */
    /* A kasir posts; an anggota device may not. */
    ent_admit(&adm, g_f1, 1, NULL, g_d, M_D, PROTO_ROLE_ANGGOTA);
    ent_journal(&d1, g_d, 1, NULL, A_KAS, A_JASA, 0, 555);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    assert_int_equal(ing(f->st, &p1), STORE_NEW);
    assert_int_equal(ing(f->st, &u2), STORE_NEW);
    assert_int_equal(ing(f->st, &adm), STORE_NEW);
    assert_int_equal(ing(f->st, &d1), STORE_NEW);
    snap_take(f->st, &s);
    assert_feed(&s, &xp, 2, 0);
    assert_int_equal(s.head.applied, 5);
    assert_int_equal(s.nbal, 0);
    assert_int_equal(store_reindex(f->st), 0);
    {
        struct snap s2;

        snap_take(f->st, &s2);
        snap_assert_equal(&s, &s2);
    }
    ent_free(&p1);
    ent_free(&u2);
    ent_free(&adm);
    ent_free(&d1);
}

/* An entry of a newer version takes its place in its feed, is stored, and has no effect. */
static void test_newer_version(void **state)
{
    struct fx *f = *state;
    struct proto_buf sb, b;
    struct ent v2, j3;
    uint8_t sig[64];
    struct snap s, s2;
    struct xfeed xf = {g_f0, 3, {&g_gen, &v2, &j3}};

    proto_buf_init(&sb);
    proto_buf_init(&b);
    assert_int_equal(proto_mp_put_array(&sb, 7), 0);
    assert_int_equal(proto_mp_put_uint(&sb, PROTO_ENTRY_VERSION + 1), 0);
    assert_int_equal(proto_mp_put_bin(&sb, g_gen.e.id, 32), 0);
    assert_int_equal(proto_mp_put_bin(&sb, g_f0->sign_pk, 32), 0);
    assert_int_equal(proto_mp_put_uint(&sb, 2), 0);
    assert_int_equal(proto_mp_put_bin(&sb, g_gen.e.id, 32), 0);
    assert_int_equal(proto_mp_put_str(&sb, "future", 6), 0);
    assert_int_equal(proto_mp_put_array(&sb, 0), 0);
    assert_int_equal(proto_sign(g_f0, PROTO_ENTRY_SIG_PREFIX, sizeof PROTO_ENTRY_SIG_PREFIX,
                                sb.data, sb.len, sig),
                     0);
    assert_int_equal(proto_mp_put_array(&b, 2), 0);
    assert_int_equal(proto_mp_put_bin(&b, sb.data, sb.len), 0);
    assert_int_equal(proto_mp_put_bin(&b, sig, 64), 0);
    v2.raw = b.data;
    v2.len = b.len;
    assert_int_equal(proto_entry_parse(v2.raw, v2.len, &v2.e), 0);
    assert_int_equal(proto_entry_verify(&v2.e), 0);
    assert_int_equal(v2.e.kind, PROTO_KIND_NEWER);
    ent_journal(&j3, g_f0, 3, &v2, A_KAS, A_JASA, 0, 31);

    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    assert_int_equal(ing(f->st, &j3), STORE_PENDING_GAP);
    assert_int_equal(ing(f->st, &v2), STORE_NEW);
    snap_take(f->st, &s);
    assert_feed(&s, &xf, 3, 0);
    assert_int_equal(s.head.pending, 0);
    assert_int_equal(s.nbal, 2);
    assert_bal(&s, A_KAS, 31, 0);
    assert_int_equal(s.ndev, 3);
    assert_int_equal(store_reindex(f->st), 0);
    snap_take(f->st, &s2);
    snap_assert_equal(&s, &s2);
    proto_buf_release(&sb);
    ent_free(&v2);
    ent_free(&j3);
}

/* ---- forks ---- */

static void test_fork(void **state)
{
    struct fx *f = *state;
    struct ent b1, a2, a2b, a2c, a3;
    struct store_ingest_stats stats;
    struct snap s;
    struct rows rs;
    struct xfeed xs[2] = {{g_f0, 1, {&g_gen}}, {g_f1, 1, {&b1}}};
    uint8_t want[32], id[32];
    uint64_t seq;

    ent_journal(&b1, g_f1, 1, NULL, A_BEBAN, A_KAS, 0, 11);
    ent_journal(&a2, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 1000);
    ent_journal(&a2b, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 2000);
    ent_journal(&a2c, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 3000);
    ent_journal(&a3, g_f0, 3, &a2, A_KAS, A_JASA, 0, 4000);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    assert_int_equal(ing(f->st, &b1), STORE_NEW);
    assert_int_equal(ing(f->st, &a2), STORE_NEW);
    snap_take(f->st, &s);
    assert_bal(&s, A_KAS, 1000, 11);

    assert_int_equal(ing_stats(f->st, &a2b, &stats), STORE_FORK);
    assert_int_equal(stats.forks, 1);
    assert_true(stats.rebuilt);
    snap_take(f->st, &s);
    assert_int_equal(s.head.forks, 1);
    assert_int_equal(s.head.entries, 4);
    assert_int_equal(s.head.applied, 2);
    xhead(xs, 2, want);
    assert_memory_equal(s.head.head, want, 32);
    assert_feed(&s, &xs[0], 3, 2);
    assert_feed(&s, &xs[1], 1, 0);
    /* Neither branch counts. */
    assert_int_equal(s.nbal, 2);
    assert_bal(&s, A_KAS, 0, 11);
    assert_bal(&s, A_BEBAN, 11, 0);
    assert_bal(&s, A_JASA, 0, 0);
    /* The fork record: both ids, sorted. */
    assert_int_equal(s.nforks, 1);
    assert_memory_equal(s.forks[0].author, g_f0->sign_pk, 32);
    assert_int_equal(s.forks[0].seq, 2);
    assert_int_equal(s.forks[0].nids, 2);
    {
        int lo = memcmp(a2.e.id, a2b.e.id, 32) < 0;

        assert_memory_equal(s.forks[0].ids[0], lo ? a2.e.id : a2b.e.id, 32);
        assert_memory_equal(s.forks[0].ids[1], lo ? a2b.e.id : a2.e.id, 32);
    }
    /* A forked feed must not grow. */
    assert_int_equal(store_feed_tip(f->st, g_f0->sign_pk, &seq, id), -EEXIST);
    assert_int_equal(seq, 2);

    /* Entries on top of a branch are stored, not applied. */
    assert_int_equal(ing(f->st, &a3), STORE_BEYOND_FORK);
    assert_int_equal(ing(f->st, &a2b), STORE_HAD);
    snap_take(f->st, &s);
    assert_int_equal(s.head.applied, 2);
    assert_int_equal(s.head.entries, 5);
    assert_feed(&s, &xs[0], 4, 2);
    assert_bal(&s, A_KAS, 0, 11);

    /* A third branch joins the same record: no new fork record. */
    assert_int_equal(ing_stats(f->st, &a2c, &stats), STORE_FORK);
    assert_int_equal(stats.forks, 0);
    snap_take(f->st, &s);
    assert_int_equal(s.head.forks, 1);
    assert_int_equal(s.nforks, 1);
    assert_int_equal(s.forks[0].nids, 3);
    for (uint32_t i = 1; i < 3; i++)
        assert_true(memcmp(s.forks[0].ids[i - 1], s.forks[0].ids[i], 32) < 0);

    /* Rows of the forked feed: seq 1 applied, the three branches and seq 3 not. */
    memset(&rs, 0, sizeof rs);
    assert_int_equal(store_each_entry(f->st, g_f0->sign_pk, rows_cb, &rs), 0);
    assert_int_equal(rs.n, 5);
    assert_int_equal(rs.r[0].seq, 1);
    assert_true(rs.r[0].applied);
    for (int i = 1; i < 4; i++) {
        assert_int_equal(rs.r[i].seq, 2);
        assert_false(rs.r[i].applied);
        assert_memory_equal(rs.r[i].id, s.forks[0].ids[i - 1], 32);
    }
    assert_int_equal(rs.r[4].seq, 3);
    assert_false(rs.r[4].applied);

    /* Reindex: the same. */
    {
        struct snap s2;

        assert_int_equal(store_reindex(f->st), 0);
        snap_take(f->st, &s2);
        snap_assert_equal(&s, &s2);
    }
    ent_free(&b1);
    ent_free(&a2);
    ent_free(&a2b);
    ent_free(&a2c);
    ent_free(&a3);
}

/*
 * The row iterations (feeds, balances, devices, forks) go through every row, stop early when the
 * callback returns > 0 (returning 0), and pass a callback's error through.
 */
struct stopper {
    int calls;
    int ret;
};

static int stop_hit(void *arg)
{
    struct stopper *s = arg;

    s->calls++;
    return s->ret;
}

static int stop_feed(const struct store_feed *x, void *arg)
{
    (void)x;
    return stop_hit(arg);
}

static int stop_bal(const struct store_balance *x, void *arg)
{
    (void)x;
    return stop_hit(arg);
}

static int stop_dev(const struct store_device *x, void *arg)
{
    (void)x;
    return stop_hit(arg);
}

static int stop_fork(const struct store_fork *x, void *arg)
{
    (void)x;
    return stop_hit(arg);
}

static void test_each_stop(void **state)
{
    static const int rets[] = {0, 1, -EIO};
    struct fx *f = *state;
    struct ent b1, a2, a2b;
    struct snap s;

    ent_journal(&b1, g_f1, 1, NULL, A_BEBAN, A_KAS, 0, 11);
    ent_journal(&a2, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 1000);
    ent_journal(&a2b, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 2000);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    assert_int_equal(ing(f->st, &b1), STORE_NEW);
    assert_int_equal(ing(f->st, &a2), STORE_NEW);
    assert_int_equal(ing(f->st, &a2b), STORE_FORK);
    snap_take(f->st, &s);
    assert_int_equal(s.nfeeds, 2);
    assert_int_equal(s.nbal, 2);
    assert_int_equal(s.ndev, 3);
    assert_int_equal(s.nforks, 1);
    for (size_t i = 0; i < sizeof rets / sizeof rets[0]; i++) {
        struct stopper st[4] = {{0, rets[i]}, {0, rets[i]}, {0, rets[i]}, {0, rets[i]}};
        int want = rets[i] < 0 ? rets[i] : 0;

        assert_int_equal(store_each_feed(f->st, stop_feed, &st[0]), want);
        assert_int_equal(store_each_balance(f->st, stop_bal, &st[1]), want);
        assert_int_equal(store_each_device(f->st, stop_dev, &st[2]), want);
        assert_int_equal(store_each_fork(f->st, stop_fork, &st[3]), want);
        assert_int_equal(st[0].calls, rets[i] ? 1 : (int)s.nfeeds);
        assert_int_equal(st[1].calls, rets[i] ? 1 : (int)s.nbal);
        assert_int_equal(st[2].calls, rets[i] ? 1 : (int)s.ndev);
        assert_int_equal(st[3].calls, rets[i] ? 1 : (int)s.nforks);
    }
    ent_free(&b1);
    ent_free(&a2);
    ent_free(&a2b);
}

/* ---- revocation ---- */

static void test_revocation(void **state)
{
    struct fx *f = *state;
    struct ent b[5], rev;
    struct store_ingest_stats stats;
    struct store_device dev;
    struct snap s, s2;
    struct xfeed xs[2] = {{g_f0, 2, {&g_gen, &rev}}, {g_f1, 2, {&b[0], &b[1]}}};
    uint8_t want[32];

    for (uint64_t i = 0; i < 5; i++)
        ent_journal(&b[i], g_f1, i + 1, i ? &b[i - 1] : NULL, A_KAS, A_JASA, 0,
                    (uint64_t)1 << (4 * i)); /* 1, 16, 256, 4096, 65536 */
    ent_revoke(&rev, g_f0, 2, &g_gen, g_f1, 2, b[1].e.id);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    for (int i = 0; i < 4; i++)
        assert_int_equal(ing(f->st, &b[i]), STORE_NEW);
    snap_take(f->st, &s);
    assert_bal(&s, A_KAS, 1 + 16 + 256 + 4096, 0);

    /* The revocation cuts f1's feed after seq 2: the balance drops. */
    assert_int_equal(ing_stats(f->st, &rev, &stats), STORE_NEW);
    assert_true(stats.rebuilt);
    snap_take(f->st, &s);
    assert_bal(&s, A_KAS, 1 + 16, 0);
    assert_bal(&s, A_JASA, 0, 1 + 16);
    assert_feed(&s, &xs[0], 2, 0);
    assert_feed(&s, &xs[1], 4, 0);
    assert_int_equal(s.head.applied, 4);
    assert_int_equal(s.head.entries, 6);
    xhead(xs, 2, want);
    assert_memory_equal(s.head.head, want, 32);
    assert_int_equal(store_device_get(f->st, g_f1->sign_pk, &dev), 0);
    assert_true(dev.revoked);
    assert_int_equal(dev.cut_seq, 2);
    assert_memory_equal(dev.admitted_by, g_gen.e.id, 32);

    /* Later entries of the revoked device are stored, never applied. */
    assert_int_equal(ing(f->st, &b[4]), STORE_BEYOND_FORK);
    snap_take(f->st, &s2);
    assert_bal(&s2, A_KAS, 1 + 16, 0);
    assert_feed(&s2, &xs[1], 5, 0);
    assert_memory_equal(s2.head.head, want, 32);

    /* Reindex changes nothing. */
    assert_int_equal(store_reindex(f->st), 0);
    snap_take(f->st, &s);
    snap_assert_equal(&s, &s2);
    for (int i = 0; i < 5; i++)
        ent_free(&b[i]);
    ent_free(&rev);
}

/* A revocation whose named (seq, id) we do not hold cuts one earlier; seq 0 cuts everything. */
static void test_revocation_cut_rules(void **state)
{
    struct fx *f = *state;
    struct ent b[3], rev_wrong, rev_zero;
    struct store_device dev;
    struct snap s;
    struct xfeed xb1 = {g_f1, 1, {&b[0]}};
    struct xfeed xb0 = {g_f1, 0, {NULL}};
    uint8_t junk[32];

    memset(junk, 0x99, sizeof junk);
    for (uint64_t i = 0; i < 3; i++)
        ent_journal(&b[i], g_f1, i + 1, i ? &b[i - 1] : NULL, A_KAS, A_JASA, 0, 10 + i);
    ent_revoke(&rev_wrong, g_f0, 2, &g_gen, g_f1, 2, junk);
    ent_revoke(&rev_zero, g_f2, 1, NULL, g_f1, 0, NULL); /* by the pengawas: allowed */
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    for (int i = 0; i < 3; i++)
        assert_int_equal(ing(f->st, &b[i]), STORE_NEW);
    assert_int_equal(ing(f->st, &rev_wrong), STORE_NEW);
    snap_take(f->st, &s);
    assert_feed(&s, &xb1, 3, 0);
    assert_bal(&s, A_KAS, 10, 0);
    assert_int_equal(store_device_get(f->st, g_f1->sign_pk, &dev), 0);
    assert_true(dev.revoked);
    assert_int_equal(dev.cut_seq, 1);

    /* The lower cut-off of two revocations stands. */
    assert_int_equal(ing(f->st, &rev_zero), STORE_NEW);
    snap_take(f->st, &s);
    assert_feed(&s, &xb0, 3, 0);
    assert_int_equal(s.nbal, 0);
    assert_int_equal(store_device_get(f->st, g_f1->sign_pk, &dev), 0);
    assert_int_equal(dev.cut_seq, 0);
    for (int i = 0; i < 3; i++)
        ent_free(&b[i]);
    ent_free(&rev_wrong);
    ent_free(&rev_zero);
}

/*
 * A governance entry beyond the effective cut-off has no authority. f1 admits d at its seq 2;
 * f0 revokes f1 naming seq 2 with an id that is not the one we hold, so the cut-off is seq 1
 * (test_revocation_cut_rules): f1's admission at seq 2 lies beyond it and d is not admitted.
 */
static void test_revocation_cut_voids_governance(void **state)
{
    struct fx *f = *state;
    struct ent b1, b2adm, d1, rev;
    struct store_device dev;
    struct snap s;
    uint8_t junk[32];

    memset(junk, 0x5e, sizeof junk);
    ent_journal(&b1, g_f1, 1, NULL, A_KAS, A_JASA, 0, 3);
    ent_admit(&b2adm, g_f1, 2, &b1, g_d, M_D, PROTO_ROLE_KASIR);
    ent_journal(&d1, g_d, 1, NULL, A_KAS, A_JASA, 0, 600);
    ent_revoke(&rev, g_f0, 2, &g_gen, g_f1, 2, junk);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    assert_int_equal(ing(f->st, &b1), STORE_NEW);
    assert_int_equal(ing(f->st, &b2adm), STORE_NEW);
    assert_int_equal(ing(f->st, &d1), STORE_NEW);
    assert_int_equal(ing(f->st, &rev), STORE_NEW);
    assert_int_equal(store_device_get(f->st, g_f1->sign_pk, &dev), 0);
    assert_int_equal(dev.cut_seq, 1);
    snap_take(f->st, &s);
    assert_bal(&s, A_KAS, 3, 0);
    assert_int_equal(store_device_get(f->st, g_d->sign_pk, &dev), -ENOENT);
    ent_free(&b1);
    ent_free(&b2adm);
    ent_free(&d1);
    ent_free(&rev);
}

/*
 * A device whose only admission is voided by a revocation, and that a later admission lets in
 * again: its entries count whether they arrived before or after the revocation.
 */
static void test_readmission_any_order(void **state)
{
    struct fx *f = *state;
    struct ent adm1, d1, rev, adm2;
    struct ent *order_a[] = {&g_gen, &adm1, &d1, &rev, &adm2};
    struct ent *order_b[] = {&g_gen, &adm1, &rev, &adm2, &d1};
    struct snap sa, sb;
    struct store_device dev;
    char dir[PATH_LEN];
    struct store *st2;
    struct xfeed xd = {g_d, 1, {&d1}};

    ent_admit(&adm1, g_f1, 1, NULL, g_d, M_D, PROTO_ROLE_KASIR);
    ent_journal(&d1, g_d, 1, NULL, A_KAS, A_JASA, 0, 777);
    ent_revoke(&rev, g_f0, 2, &g_gen, g_f1, 0, NULL);
    ent_admit(&adm2, g_f0, 3, &rev, g_d, M_D, PROTO_ROLE_KASIR);
    for (int i = 0; i < 5; i++)
        (void)ing(f->st, order_a[i]);
    store_fresh(dir, &st2);
    for (int i = 0; i < 5; i++)
        (void)ing(st2, order_b[i]);
    snap_take(st2, &sb);
    assert_int_equal(store_device_get(st2, g_d->sign_pk, &dev), 0);
    assert_memory_equal(dev.admitted_by, adm2.e.id, 32);
    assert_feed(&sb, &xd, 1, 0);
    assert_bal(&sb, A_KAS, 777, 0);

    snap_take(f->st, &sa);
    assert_int_equal(store_device_get(f->st, g_d->sign_pk, &dev), 0);
    assert_memory_equal(dev.admitted_by, adm2.e.id, 32);
    assert_memory_equal(sa.head.head, sb.head.head, 32);
    assert_feed(&sa, &xd, 1, 0);
    assert_bal(&sa, A_KAS, 777, 0);
    store_gone(dir, &st2);
    ent_free(&adm1);
    ent_free(&d1);
    ent_free(&rev);
    ent_free(&adm2);
}

/*
 * A device whose only admission a revocation voids, with one entry: whether that entry came
 * before the revocation (it was stored and applied, then unapplied) or after it (its author was
 * unknown by then), the same set must show the same store.
 */
static void test_voided_admission_any_order(void **state)
{
    struct fx *f = *state;
    struct ent adm1, d1, rev;
    struct ent *order_a[] = {&g_gen, &adm1, &d1, &rev};
    struct ent *order_b[] = {&g_gen, &adm1, &rev, &d1};
    struct snap sa, sb;
    struct store_device dev;
    char dir[PATH_LEN];
    struct store *st2;
    int rc_a, rc_b;

    ent_admit(&adm1, g_f1, 1, NULL, g_d, M_D, PROTO_ROLE_KASIR);
    ent_journal(&d1, g_d, 1, NULL, A_KAS, A_JASA, 0, 919);
    ent_revoke(&rev, g_f0, 2, &g_gen, g_f1, 0, NULL);
    for (int i = 0; i < 4; i++)
        (void)ing(f->st, order_a[i]);
    store_fresh(dir, &st2);
    for (int i = 0; i < 4; i++)
        (void)ing(st2, order_b[i]);
    snap_take(f->st, &sa);
    snap_take(st2, &sb);
    rc_a = store_device_get(f->st, g_d->sign_pk, &dev);
    rc_b = store_device_get(st2, g_d->sign_pk, &dev);
    /* Released before the asserts, so that a failure leaks nothing. */
    store_gone(dir, &st2);
    ent_free(&adm1);
    ent_free(&d1);
    ent_free(&rev);
    /* What both agree on: d is off the roster and its journal does not count. */
    assert_int_equal(rc_a, -ENOENT);
    assert_int_equal(rc_b, -ENOENT);
    assert_int_equal(sa.nbal, 0);
    assert_memory_equal(sa.head.head, sb.head.head, 32);
    /* And everything else. */
    snap_assert_equal(&sa, &sb);
}

/* Two admissions of one device: the one with the lower id stands, whatever the order. */
static void test_double_admission(void **state)
{
    struct fx *f = *state;
    struct ent adm_k, adm_a, d1;
    struct ent *order_a[] = {&g_gen, &adm_k, &d1, &adm_a};
    struct ent *order_b[] = {&g_gen, &adm_a, &d1, &adm_k};
    const struct ent *win;
    struct snap sa, sb;
    struct store_device dev;
    char dir[PATH_LEN];
    struct store *st2;

    ent_admit(&adm_k, g_f0, 2, &g_gen, g_d, M_D, PROTO_ROLE_KASIR);
    ent_admit(&adm_a, g_f1, 1, NULL, g_d, M_E, PROTO_ROLE_ANGGOTA);
    ent_journal(&d1, g_d, 1, NULL, A_KAS, A_JASA, 0, 888);
    win = memcmp(adm_k.e.id, adm_a.e.id, 32) < 0 ? &adm_k : &adm_a;
    for (int i = 0; i < 4; i++)
        (void)ing(f->st, order_a[i]);
    store_fresh(dir, &st2);
    for (int i = 0; i < 4; i++)
        (void)ing(st2, order_b[i]);
    snap_take(f->st, &sa);
    snap_take(st2, &sb);
    snap_assert_equal(&sa, &sb);
    assert_int_equal(store_device_get(f->st, g_d->sign_pk, &dev), 0);
    assert_memory_equal(dev.admitted_by, win->e.id, 32);
    assert_int_equal(dev.dev.role, win == &adm_k ? PROTO_ROLE_KASIR : PROTO_ROLE_ANGGOTA);
    /* Only a kasir's journal posts. */
    assert_bal(&sa, A_KAS, win == &adm_k ? 888 : 0, 0);
    store_gone(dir, &st2);
    ent_free(&adm_k);
    ent_free(&adm_a);
    ent_free(&d1);
}

/* ---- order independence ---- */

enum {
    W_GEN,
    W_ADM,   /* f0 2: admit d (kasir) */
    W_F0J3,  /* f0 3: journal */
    W_REV,   /* f0 4: revoke f1 after its seq 2 */
    W_F0J5A, /* f0 5: fork, branch a */
    W_F0J5B, /* f0 5: fork, branch b */
    W_F0J6,  /* f0 6: on branch a */
    W_F1J1,
    W_F1J2,
    W_F1J3, /* beyond the cut-off */
    W_F1J4,
    W_DJ1,
    W_DJ2,
    W_DJ3,
    W_F2J1, /* the pengawas may not post: no effect */
    W_F2U2, /* unknown kind */
    W_F2X3, /* links to an entry nobody holds: pending for ever */
    W_XJ1,  /* never admitted: pending for ever */
    W_N
};

static struct ent g_w[W_N];

static void world_build(void)
{
    struct ent *w = g_w;
    uint8_t junk[32];

    memset(junk, 0xab, sizeof junk);
    w[W_GEN] = g_gen;
    w[W_GEN].raw = malloc(g_gen.len); /* an own copy, so that world_free may free it */
    assert_non_null(w[W_GEN].raw);
    memcpy(w[W_GEN].raw, g_gen.raw, g_gen.len);
    assert_int_equal(proto_entry_parse(w[W_GEN].raw, g_gen.len, &w[W_GEN].e), 0);
    ent_admit(&w[W_ADM], g_f0, 2, &w[W_GEN], g_d, M_D, PROTO_ROLE_KASIR);
    ent_journal(&w[W_F0J3], g_f0, 3, &w[W_ADM], A_KAS, A_POKOK, M_D, 1000000);
    ent_journal(&w[W_F1J1], g_f1, 1, NULL, A_KAS, A_JASA, 0, 100);
    ent_journal(&w[W_F1J2], g_f1, 2, &w[W_F1J1], A_KAS, A_JASA, 0, 200);
    ent_journal(&w[W_F1J3], g_f1, 3, &w[W_F1J2], A_KAS, A_JASA, 0, 400);
    ent_journal(&w[W_F1J4], g_f1, 4, &w[W_F1J3], A_KAS, A_JASA, 0, 800);
    ent_revoke(&w[W_REV], g_f0, 4, &w[W_F0J3], g_f1, 2, w[W_F1J2].e.id);
    ent_journal(&w[W_F0J5A], g_f0, 5, &w[W_REV], A_KAS, A_JASA, 0, 7);
    ent_journal(&w[W_F0J5B], g_f0, 5, &w[W_REV], A_KAS, A_JASA, 0, 8);
    ent_journal(&w[W_F0J6], g_f0, 6, &w[W_F0J5A], A_KAS, A_JASA, 0, 9);
    ent_journal(&w[W_DJ1], g_d, 1, NULL, A_KAS, A_WAJIB, M_D, 10);
    ent_journal(&w[W_DJ2], g_d, 2, &w[W_DJ1], A_KAS, A_WAJIB, M_D, 20);
    ent_journal(&w[W_DJ3], g_d, 3, &w[W_DJ2], A_KAS, A_WAJIB, M_D, 40);
    ent_journal(&w[W_F2J1], g_f2, 1, NULL, A_KAS, A_JASA, 0, 5000);
    ent_other(&w[W_F2U2], g_f2, g_gen.e.id, 2, w[W_F2J1].e.id, 300, 1);
    ent_other(&w[W_F2X3], g_f2, g_gen.e.id, 3, junk, 300, 2);
    ent_journal(&w[W_XJ1], g_x, 1, NULL, A_KAS, A_JASA, 0, 6000);
}

static void world_free(void)
{
    for (int i = 0; i < W_N; i++)
        ent_free(&g_w[i]);
}

/* What every order must end in, computed by hand from the rules. */
static void world_expect(const struct snap *s)
{
    struct ent *w = g_w;
    struct xfeed x0 = {g_f0, 4, {&w[W_GEN], &w[W_ADM], &w[W_F0J3], &w[W_REV]}};
    struct xfeed x1 = {g_f1, 2, {&w[W_F1J1], &w[W_F1J2]}};
    struct xfeed xd = {g_d, 3, {&w[W_DJ1], &w[W_DJ2], &w[W_DJ3]}};
    struct xfeed x2 = {g_f2, 2, {&w[W_F2J1], &w[W_F2U2]}};
    struct xfeed xs[4];
    uint8_t want[32];

    xs[0] = x0;
    xs[1] = x1;
    xs[2] = xd;
    xs[3] = x2;
    xhead(xs, 4, want);
    assert_memory_equal(s->head.head, want, 32);
    assert_int_equal(s->head.feeds, 4);
    assert_int_equal(s->head.applied, 11);
    assert_int_equal(s->head.entries, 16);
    assert_int_equal(s->head.pending, 2);
    assert_int_equal(s->head.forks, 1);
    assert_int_equal(s->nfeeds, 4);
    assert_feed(s, &x0, 7, 5);
    assert_feed(s, &x1, 4, 0);
    assert_feed(s, &xd, 3, 0);
    assert_feed(s, &x2, 2, 0);
    assert_int_equal(s->nbal, 4);
    assert_bal(s, A_KAS, 1000000 + 100 + 200 + 10 + 20 + 40, 0);
    assert_bal(s, A_POKOK, 0, 1000000);
    assert_bal(s, A_WAJIB, 0, 70);
    assert_bal(s, A_JASA, 0, 300);
    assert_int_equal(s->ndev, 4);
    for (uint32_t i = 0; i < s->ndev; i++) {
        const struct store_device *d = &s->dev[i];
        bool is_f1 = memcmp(d->dev.sign_pk, g_f1->sign_pk, 32) == 0;
        bool is_d = memcmp(d->dev.sign_pk, g_d->sign_pk, 32) == 0;

        assert_int_equal(d->revoked, is_f1);
        assert_int_equal(d->cut_seq, is_f1 ? 2 : 0);
        assert_memory_equal(d->admitted_by, is_d ? w[W_ADM].e.id : w[W_GEN].e.id, 32);
    }
    assert_int_equal(s->nforks, 1);
    assert_memory_equal(s->forks[0].author, g_f0->sign_pk, 32);
    assert_int_equal(s->forks[0].seq, 5);
    assert_int_equal(s->forks[0].nids, 2);
}

/* A small deterministic generator (xorshift64*), so that failures reproduce. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/*
 * Ingests g_w in the given order, split into batches of the given sizes (0-terminated; the
 * last size repeats), into a fresh store, and takes its snapshot.
 */
static void world_run(const int *order, const size_t *sizes, struct snap *s, bool reindex)
{
    char dir[PATH_LEN];
    struct store *st;
    struct ent *batch[W_N];
    int res[W_N];
    size_t done = 0, k = 0;

    store_fresh(dir, &st);
    while (done < W_N) {
        size_t n = sizes[k];

        if (sizes[k + 1] != 0)
            k++;
        if (n > W_N - done)
            n = W_N - done;
        for (size_t i = 0; i < n; i++)
            batch[i] = &g_w[order[done + i]];
        ing_batch(st, batch, n, res, NULL);
        for (size_t i = 0; i < n; i++)
            assert_true(res[i] > 0); /* nothing in this set is refused */
        done += n;
    }
    snap_take(st, s);
    if (reindex) {
        struct snap s2;

        assert_int_equal(store_reindex(st), 0);
        snap_take(st, &s2);
        snap_assert_equal(s, &s2);
        /* And after a reopen. */
        store_close(st);
        assert_int_equal(store_open(dir, 0, &st), 0);
        snap_take(st, &s2);
        snap_assert_equal(s, &s2);
    }
    store_gone(dir, &st);
}

static void test_order_independence(void **state)
{
    static const size_t one_batch[] = {W_N, 0};
    static const size_t singles[] = {1, 0};
    static const size_t threes[] = {2, 3, 0};
    int order[W_N];
    struct snap ref, s;
    uint64_t seed = 0x5a6b5349ULL;

    (void)state;
    world_build();

    /* The natural order in one batch is the reference; it must match the hand computation. */
    for (int i = 0; i < W_N; i++)
        order[i] = i;
    world_run(order, one_batch, &ref, true);
    world_expect(&ref);
    world_run(order, singles, &s, false);
    snap_assert_equal(&ref, &s);
    world_run(order, threes, &s, false);
    snap_assert_equal(&ref, &s);

    /* Reversed after the genesis, which must come first (nothing else can name the ledger). */
    for (int i = 1; i < W_N; i++)
        order[i] = W_N - i;
    world_run(order, one_batch, &s, false);
    snap_assert_equal(&ref, &s);
    world_run(order, singles, &s, true);
    snap_assert_equal(&ref, &s);

    /* Random permutations with random batch splits. */
    for (int round = 0; round < 8; round++) {
        size_t sizes[W_N + 1];
        size_t nsizes = 0;

        for (int i = 0; i < W_N; i++)
            order[i] = i;
        for (int i = W_N - 1; i > 1; i--) {
            int j = 1 + (int)(rnd(&seed) % (uint64_t)i);
            int t = order[i];

            order[i] = order[j];
            order[j] = t;
        }
        for (size_t left = W_N; left > 0;) {
            size_t n = 1 + (size_t)(rnd(&seed) % 5);

            if (n > left)
                n = left;
            sizes[nsizes++] = n;
            left -= n;
        }
        sizes[nsizes] = 0;
        world_run(order, sizes, &s, round == 0);
        snap_assert_equal(&ref, &s);
    }
    world_free();
}

/* ---- read-only, schema, the pending bound ---- */

static void test_read_only(void **state)
{
    struct fx *f = *state;
    struct ent j2, j3;
    struct store_item it;
    struct store_ingest_stats stats;
    struct snap s, s2;
    struct proto_buf b;
    uint8_t id[32];

    ent_journal(&j2, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 12);
    ent_journal(&j3, g_f0, 3, &j2, A_KAS, A_JASA, 0, 13);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    assert_int_equal(ing(f->st, &j2), STORE_NEW);
    snap_take(f->st, &s);
    store_close(f->st);

    assert_int_equal(store_open(f->dir, STORE_RDONLY, &f->st), 0);
    it = (struct store_item){&j3.e, 12345};
    stats.from_pending = 99;
    assert_int_equal(store_ingest(f->st, &it, 1, NULL, &stats), -EROFS);
    assert_int_equal(stats.from_pending, 0);
    assert_int_equal(store_reindex(f->st), -EROFS);
    snap_take(f->st, &s2);
    snap_assert_equal(&s, &s2);
    assert_int_equal(store_ledger_id(f->st, id), 0);
    assert_memory_equal(id, g_gen.e.id, 32);
    store_close(f->st);

    assert_int_equal(store_open(f->dir, 0, &f->st), 0);
    proto_buf_init(&b);
    assert_int_equal(store_entry_get(f->st, j3.e.id, &b), -ENOENT);
    proto_buf_release(&b);
    snap_take(f->st, &s2);
    snap_assert_equal(&s, &s2);
    ent_free(&j2);
    ent_free(&j3);
}

/* Writes meta "schema" straight through LMDB, as a newer (or damaged) saksi might have. */
static void schema_put(const char *dir, const void *v, size_t n)
{
    MDB_env *env;
    MDB_txn *t;
    MDB_dbi dbi;
    MDB_val key = {6, (void *)(uintptr_t) "schema"}, val = {n, (void *)(uintptr_t)v};

    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 16), 0);
    assert_int_equal(mdb_env_set_mapsize(env, (size_t)64 << 30), 0);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &t), 0);
    assert_int_equal(mdb_dbi_open(t, "meta", 0, &dbi), 0);
    assert_int_equal(mdb_put(t, dbi, &key, &val, 0), 0);
    assert_int_equal(mdb_txn_commit(t), 0);
    mdb_env_close(env);
}

static void test_schema(void **state)
{
    struct fx *f = *state;
    struct store *st = NONNULL_STORE;
    uint8_t id[32];

    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    store_close(f->st);
    f->st = NULL;

    schema_put(f->dir, "\x00\x00\x00\x63", 4); /* 99 */
    assert_int_equal(store_open(f->dir, 0, &st), ERR_SCHEMA);
    assert_null(st);
    assert_int_equal(store_open(f->dir, STORE_RDONLY, &st), ERR_SCHEMA);
    assert_null(st);
    schema_put(f->dir, "\x00\x00\x01", 3); /* damaged */
    assert_int_equal(store_open(f->dir, 0, &st), ERR_STORE);
    assert_null(st);
    schema_put(f->dir, "\x00\x00\x00\x02", 4);
    assert_int_equal(store_open(f->dir, 0, &st), ERR_SCHEMA);
    /* The current version opens, with the ledger intact. */
    schema_put(f->dir, "\x00\x00\x00\x01", 4);
    assert_int_equal(store_open(f->dir, 0, &f->st), 0);
    assert_int_equal(store_ledger_id(f->st, id), 0);
    assert_memory_equal(id, g_gen.e.id, 32);
}

static void test_pending_bound(void **state)
{
    struct fx *f = *state;
    enum { CHUNK = 4096 };
    struct ent *xs = calloc(CHUNK, sizeof *xs);
    struct ent **ptr = calloc(CHUNK, sizeof *ptr);
    int *res = calloc(CHUNK, sizeof *res);
    struct store_head h;
    struct ent extra, d1;
    uint8_t zero[32];
    uint64_t seq = 1;

    assert_non_null(xs);
    assert_non_null(ptr);
    assert_non_null(res);
    memset(zero, 0, sizeof zero);
    assert_int_equal(ing(f->st, &g_gen), STORE_NEW);
    /* STORE_PENDING_MAX entries by a device nobody admits, in batches. */
    while (seq <= STORE_PENDING_MAX) {
        size_t n = 0;

        for (; n < CHUNK && seq <= STORE_PENDING_MAX; n++, seq++) {
            /*
             * Signed by proto_entry_build; checking 65536 signatures again would double the
             * runtime and add nothing (the store never looks at them), so one in 1024.
             */
            ent_tagged(&xs[n], g_x, g_gen.e.id, seq, seq > 1 ? zero : NULL, 300, seq,
                       seq % 1024 == 0);
            ptr[n] = &xs[n];
        }
        ing_batch(f->st, ptr, n, res, NULL);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(res[i], STORE_PENDING_AUTHOR);
            ent_free(&xs[i]);
        }
    }
    assert_int_equal(store_head_get(f->st, &h), 0);
    assert_int_equal(h.pending, STORE_PENDING_MAX);
    /* Full: one more is refused, alone and inside a batch that otherwise succeeds. */
    ent_other(&extra, g_x, g_gen.e.id, seq, zero, 300, seq);
    assert_int_equal(ing(f->st, &extra), ERR_PENDING_FULL);
    ent_journal(&d1, g_f0, 2, &g_gen, A_KAS, A_JASA, 0, 1);
    {
        struct ent *batch[] = {&extra, &d1};
        int r[2];

        ing_batch(f->st, batch, 2, r, NULL);
        assert_int_equal(r[0], ERR_PENDING_FULL);
        assert_int_equal(r[1], STORE_NEW);
    }
    /* One that waits already is still just waiting. */
    ent_other(&xs[0], g_x, g_gen.e.id, 7, zero, 300, 7);
    assert_int_equal(ing(f->st, &xs[0]), STORE_PENDING_AUTHOR);
    ent_free(&xs[0]);
    assert_int_equal(store_head_get(f->st, &h), 0);
    assert_int_equal(h.pending, STORE_PENDING_MAX);
    assert_int_equal(h.entries, 2);
    ent_free(&extra);
    ent_free(&d1);
    free(xs);
    free(ptr);
    free(res);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_errors),
        T(test_genesis),
        T(test_batch_rejections),
        T(test_read_only),
        T(test_schema),
        T(test_chain),
        T(test_entry_find_ambiguous),
        T(test_gap),
        T(test_pending_author),
        T(test_release_many),
        T(test_role_authority),
        T(test_newer_version),
        T(test_fork),
        T(test_each_stop),
        T(test_revocation),
        T(test_revocation_cut_rules),
        T(test_revocation_cut_voids_governance),
        T(test_readmission_any_order),
        T(test_voided_admission_any_order),
        T(test_double_admission),
        cmocka_unit_test(test_order_independence),
        T(test_pending_bound),
    };
#undef T

    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
