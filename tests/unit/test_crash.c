/*
 * Crash tests for store/: "a process killed at any point restarts with everything it
 * acknowledged", and a batch is atomic. The parent builds a ledger in memory (deterministic keys
 * and entries), then forks a child before any LMDB environment is open in the parent (STYLE 7).
 * The child opens a fresh store and ingests the ledger in batches of BATCH entries; around every
 * store_ingest() it writes a message on a pipe ("beginning batch j", "acknowledged n entries").
 * The parent reads those messages (poll() with a deadline, no sleeps) and kills the child with
 * SIGKILL at a chosen point: while it creates the store, as a batch begins, right after an
 * acknowledgement (the next batch is then just starting), or at a random moment inside the next
 * batch (a deadline that is a random fraction of the last batch's duration). After the kill it
 * reads what is left in the pipe, so it knows the last acknowledgement the child made, and opens
 * the store itself to check:
 *
 * - the stored entries are exactly the first k whole batches, k * BATCH >= the acknowledged
 *   count and at most one batch more (committed, killed before the acknowledgement);
 * - every stored row has the bytes that were ingested, and its "applied" flag is what the rules
 *   say for that prefix (a fork or a revocation cuts its feed);
 * - the ledger head equals one recomputed here from the raw entry ids (proto_merkle_root over
 *   each feed's applied ids, proto_head_compute), the feeds and the balances equal sums over the
 *   applied journals, and all of it equals the state of an uncrashed reference store after the
 *   same k batches;
 * - store_reindex() changes nothing;
 * - re-ingesting everything gives STORE_HAD for the stored prefix and, batch by batch, the same
 *   results as the reference for the rest, and ends in the reference's final state.
 *
 * Two ledgers: "journals" (3 authors, only journals after the genesis and one admission) and
 * "rebuild" (the same shape plus a fork entry in one batch and a revocation in a later one, both
 * of which make ingest rebuild derived state); the second is killed during those two batches.
 * SAKSI_CRASH_SEED=N in the environment changes the kill points (the seed is printed).
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/merkle.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

#define T0          1735700000000ULL /* entry times: T0 plus something that tells entries apart */
#define DATE        20250115
#define PATH_LEN    512
#define BATCH       200 /* entries per store_ingest() */
#define J_BATCHES   15  /* the journals ledger: 3000 entries */
#define R_BATCHES   10  /* the rebuild ledger: 2000 entries */
#define MAX_BATCHES 15
#define MSG_WAIT_US 60000000 /* a child that says nothing for a minute is hung */
#define SNAP_MAX    8
#define NO_POS      ((size_t)-1)

enum {
    A_KAS = 1101,
    A_POKOK = 3101, /* per-member */
    A_WAJIB = 3102, /* per-member */
    A_JASA = 4101,
    A_BEBAN = 5101,
};

static const uint32_t g_accounts[] = {A_KAS, A_POKOK, A_WAJIB, A_JASA, A_BEBAN};
#define NACCOUNTS (sizeof g_accounts / sizeof g_accounts[0])

enum { M_F0 = 1, M_F1 = 2, M_F2 = 3, M_D = 10 };

/* The authors of the ledgers: f0 (pengurus, ketua), f1 (pengurus, bendahara), d (kasir). */
enum { AU_F0, AU_F1, AU_D, AU_N };

/* Keys from fixed seeds, so that every run builds the same entries (ed25519 is deterministic). */
static struct proto_keys *g_key[AU_N];
static struct proto_keys *g_f2; /* the pengawas: in the roster, authors nothing */

/* An entry whose bytes it owns, its parsed view, and what the model needs to know about it. */
struct ent {
    uint8_t *raw;
    size_t len;
    struct proto_entry e;
    int author;
    uint64_t seq;
    bool chain;   /* on its author's chain (false: the second branch of a fork) */
    bool journal; /* a journal: debit dacct, credit cacct by amount */
    uint32_t dacct, cacct;
    uint64_t amount;
};

struct byid {
    uint8_t id[32];
    uint32_t idx;
};

/* What a store shows, for comparisons. Balance rows that are all zero are left out. */
struct state {
    struct store_head head;
    uint32_t nfeeds, nbal;
    struct store_feed feeds[SNAP_MAX];
    struct store_balance bal[SNAP_MAX];
};

struct world {
    const char *name;
    size_t nb, n; /* batches, entries (nb * BATCH) */
    struct ent *ents;
    struct byid *byid; /* sorted by id */
    size_t pos_fork;   /* index of the fork entry (f1's second entry at fork_seq), or NO_POS */
    size_t pos_rev;    /* index of f0's revocation of d after cut_seq, or NO_POS */
    uint64_t fork_seq, cut_seq;
    int *ref_result;                   /* per entry, from the uncrashed reference run */
    struct state ref[MAX_BATCHES + 1]; /* the reference after k batches */
};

static struct world g_journals, g_rebuild;
static uint64_t g_seed;

/* ---- building entries ---- */

static struct proto_keys *fixed_keys(uint8_t seed)
{
    struct proto_buf b;
    struct proto_keys *k = NULL;
    uint8_t secret[64];

    memset(secret, seed, sizeof secret);
    proto_buf_init(&b);
    assert_int_equal(proto_buf_append(&b, "SAKSIKEY\x01\x00", 10), 0);
    assert_int_equal(proto_buf_append(&b, secret, sizeof secret), 0);
    assert_int_equal(proto_keyfile_decode(b.data, b.len, NULL, 0, &k), 0);
    proto_buf_release(&b);
    return k;
}

/* Builds, parses and checks the signature, as a node would before ingest. */
static void ent_build(struct ent *x, int author, const uint8_t *ledger, uint64_t seq,
                      const uint8_t *prev, uint64_t t, uint64_t kind, const struct proto_buf *body)
{
    struct proto_buf b;

    proto_buf_init(&b);
    assert_int_equal(
        proto_entry_build(&b, g_key[author], ledger, seq, prev, t, kind, body->data, body->len), 0);
    x->raw = b.data; /* the buffer's memory now belongs to x */
    x->len = b.len;
    assert_int_equal(proto_entry_parse(x->raw, x->len, &x->e), 0);
    assert_int_equal(proto_entry_verify(&x->e), 0);
    x->author = author;
    x->seq = seq;
    x->chain = true;
}

static void genesis_body(struct proto_buf *b)
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
    const struct proto_keys *keys[3] = {g_key[AU_F0], g_key[AU_F1], g_f2};
    static const uint8_t roles[3] = {PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGAWAS};
    static const uint8_t offices[3] = {PROTO_OFFICE_KETUA, PROTO_OFFICE_BENDAHARA,
                                       PROTO_OFFICE_NONE};
    static const uint32_t members[3] = {M_F0, M_F1, M_F2};
    struct proto_genesis g;
    uint8_t netkey[32];

    memset(&g, 0, sizeof g);
    memset(dev, 0, sizeof dev);
    strcpy(g.name, "KSP Tahan Banting");
    strcpy(g.registration, "AHU-0000777.AH.01.26.2024");
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
    memset(netkey, 0x44, sizeof netkey);
    proto_netkey_commit(netkey, g.netkey_commit);
    assert_int_equal(proto_genesis_encode(&g, b), 0);
}

static void ent_genesis(struct ent *x)
{
    struct proto_buf b;

    proto_buf_init(&b);
    genesis_body(&b);
    ent_build(x, AU_F0, NULL, 1, NULL, T0, PROTO_KIND_GENESIS, &b);
    proto_buf_release(&b);
}

static void ent_journal(struct ent *x, const uint8_t *ledger, int author, uint64_t seq,
                        const uint8_t *prev, uint32_t dacct, uint32_t cacct, uint32_t member,
                        uint64_t amount)
{
    struct proto_journal j;
    struct proto_buf b;

    memset(&j, 0, sizeof j);
    j.date = DATE;
    strcpy(j.memo, "uji mati mendadak");
    j.nlines = 2;
    j.lines[0] = (struct proto_line){dacct, 0, amount, 0};
    j.lines[1] = (struct proto_line){cacct, member, 0, amount};
    proto_buf_init(&b);
    assert_int_equal(proto_journal_encode(&j, &b), 0);
    ent_build(x, author, ledger, seq, prev, T0 + amount, PROTO_KIND_JOURNAL, &b);
    proto_buf_release(&b);
    x->journal = true;
    x->dacct = dacct;
    x->cacct = cacct;
    x->amount = amount;
}

static void ent_admit_d(struct ent *x, const uint8_t *ledger, uint64_t seq, const uint8_t *prev)
{
    struct proto_device d;
    struct proto_buf b;

    memset(&d, 0, sizeof d);
    d.member = M_D;
    d.role = PROTO_ROLE_KASIR;
    memcpy(d.sign_pk, g_key[AU_D]->sign_pk, 32);
    memcpy(d.box_pk, g_key[AU_D]->box_pk, 32);
    proto_card_sign(g_key[AU_D], d.card_sig);
    proto_buf_init(&b);
    assert_int_equal(proto_admit_encode(&d, &b), 0);
    ent_build(x, AU_F0, ledger, seq, prev, T0 + 1, PROTO_KIND_ADMIT, &b);
    proto_buf_release(&b);
}

static void ent_revoke_d(struct ent *x, const uint8_t *ledger, uint64_t seq, const uint8_t *prev,
                         uint64_t last_seq, const uint8_t *last_id)
{
    struct proto_revoke r;
    struct proto_buf b;

    memset(&r, 0, sizeof r);
    memcpy(r.device, g_key[AU_D]->sign_pk, 32);
    r.last_seq = last_seq;
    r.has_last_id = true;
    memcpy(r.last_id, last_id, 32);
    strcpy(r.reason, "perangkat hilang");
    proto_buf_init(&b);
    assert_int_equal(proto_revoke_encode(&r, &b), 0);
    ent_build(x, AU_F0, ledger, seq, prev, T0 + 2, PROTO_KIND_REVOKE, &b);
    proto_buf_release(&b);
}

static int byid_cmp(const void *a, const void *b)
{
    return memcmp(((const struct byid *)a)->id, ((const struct byid *)b)->id, 32);
}

static const struct byid *world_find(const struct world *w, const uint8_t id[32])
{
    struct byid key;

    memcpy(key.id, id, 32);
    key.idx = 0;
    return bsearch(&key, w->byid, w->n, sizeof *w->byid, byid_cmp);
}

/* The chain entry of author at seq, which must come before index before. */
static const struct ent *chain_entry(const struct world *w, int author, uint64_t seq, size_t before)
{
    for (size_t i = 0; i < before; i++)
        if (w->ents[i].author == author && w->ents[i].chain && w->ents[i].seq == seq)
            return &w->ents[i];
    fail_msg("no entry %d/%llu before %zu", author, (unsigned long long)seq, before);
    return NULL;
}

/*
 * Genesis (f0 seq 1), f0's admission of d (f0 seq 2), then journals by f0, f1 and d in turn,
 * each on its author's chain. At pos_fork, f1 signs a second entry at fork_seq; at pos_rev, f0
 * revokes d after d's cut_seq. Batch j is entries [j * BATCH, (j + 1) * BATCH).
 */
static void world_build(struct world *w, const char *name, size_t nb, size_t pos_fork,
                        uint64_t fork_seq, size_t pos_rev, uint64_t cut_seq)
{
    const uint8_t *lid;
    const struct ent *tip[AU_N] = {NULL, NULL, NULL};
    uint64_t seq[AU_N] = {0, 0, 0};
    size_t turn = 0;

    memset(w, 0, sizeof *w);
    w->name = name;
    w->nb = nb;
    w->n = nb * BATCH;
    w->pos_fork = pos_fork;
    w->fork_seq = fork_seq;
    w->pos_rev = pos_rev;
    w->cut_seq = cut_seq;
    w->ents = calloc(w->n, sizeof *w->ents);
    w->byid = calloc(w->n, sizeof *w->byid);
    w->ref_result = calloc(w->n, sizeof *w->ref_result);
    assert_non_null(w->ents);
    assert_non_null(w->byid);
    assert_non_null(w->ref_result);

    ent_genesis(&w->ents[0]);
    lid = w->ents[0].e.id;
    ent_admit_d(&w->ents[1], lid, 2, lid);
    tip[AU_F0] = &w->ents[1];
    seq[AU_F0] = 2;
    for (size_t i = 2; i < w->n; i++) {
        struct ent *x = &w->ents[i];

        if (i == pos_fork) {
            const struct ent *p = chain_entry(w, AU_F1, fork_seq - 1, i);

            assert_true(fork_seq <= seq[AU_F1]); /* the other branch is already there */
            ent_journal(x, lid, AU_F1, fork_seq, p->e.id, A_KAS, A_JASA, 0, 5000000 + i);
            x->chain = false;
        } else if (i == pos_rev) {
            const struct ent *last = chain_entry(w, AU_D, cut_seq, i);

            ent_revoke_d(x, lid, ++seq[AU_F0], tip[AU_F0]->e.id, cut_seq, last->e.id);
            tip[AU_F0] = x;
        } else {
            int a = (int)(turn++ % AU_N);
            const uint8_t *prev = tip[a] ? tip[a]->e.id : NULL;

            /* The amount (unique) is also in the time, so every journal is a different entry. */
            switch (i % 3) {
            case 0:
                ent_journal(x, lid, a, ++seq[a], prev, A_KAS, A_JASA, 0, i);
                break;
            case 1:
                ent_journal(x, lid, a, ++seq[a], prev, A_BEBAN, A_KAS, 0, i);
                break;
            default:
                ent_journal(x, lid, a, ++seq[a], prev, A_KAS, A_POKOK, M_F0, i);
                break;
            }
            tip[a] = x;
        }
    }
    for (size_t i = 0; i < w->n; i++) {
        memcpy(w->byid[i].id, w->ents[i].e.id, 32);
        w->byid[i].idx = (uint32_t)i;
    }
    qsort(w->byid, w->n, sizeof *w->byid, byid_cmp);
    for (size_t i = 1; i < w->n; i++)
        assert_true(memcmp(w->byid[i - 1].id, w->byid[i].id, 32) < 0);
}

static void world_free(struct world *w)
{
    if (w->ents)
        for (size_t i = 0; i < w->n; i++)
            free(w->ents[i].raw);
    free(w->ents);
    free(w->byid);
    free(w->ref_result);
    memset(w, 0, sizeof *w);
}

/* ---- the model: what a store holding the first k batches must show ---- */

struct model {
    size_t lim;            /* entries stored: k * BATCH */
    uint64_t len[AU_N];    /* applied length per author */
    uint64_t stored[AU_N]; /* entries stored per author, fork branch included */
    bool forked, revoked;
    int64_t debit[NACCOUNTS], credit[NACCOUNTS];
};

static size_t acct_index(uint32_t account)
{
    for (size_t i = 0; i < NACCOUNTS; i++)
        if (g_accounts[i] == account)
            return i;
    fail_msg("unknown account %u", (unsigned)account);
    return 0;
}

static bool model_applied(const struct model *m, const struct ent *x)
{
    return x->chain && x->seq <= m->len[x->author];
}

/*
 * A fork makes f1's feed stop before fork_seq; the revocation makes d's stop after cut_seq.
 * Only applied journals post (f0, f1 pengurus and d kasir may all post journals).
 */
static void model_of(const struct world *w, size_t k, struct model *m)
{
    memset(m, 0, sizeof *m);
    m->lim = k * BATCH;
    m->forked = w->pos_fork < m->lim;
    m->revoked = w->pos_rev < m->lim;
    for (size_t i = 0; i < m->lim; i++) {
        m->stored[w->ents[i].author]++;
        if (w->ents[i].chain)
            m->len[w->ents[i].author]++;
    }
    if (m->forked && m->len[AU_F1] > w->fork_seq - 1)
        m->len[AU_F1] = w->fork_seq - 1;
    if (m->revoked && m->len[AU_D] > w->cut_seq)
        m->len[AU_D] = w->cut_seq;
    for (size_t i = 0; i < m->lim; i++) {
        const struct ent *x = &w->ents[i];

        if (x->journal && model_applied(m, x)) {
            m->debit[acct_index(x->dacct)] += (int64_t)x->amount;
            m->credit[acct_index(x->cacct)] += (int64_t)x->amount;
        }
    }
}

/*
 * The result the rules give entry i when everything before it is stored: a batch reports what
 * holds when it commits, so an entry that a fork or revocation later in its own batch leaves
 * beyond the applied frontier is reported so.
 */
static int model_result(const struct world *w, size_t i)
{
    const struct ent *x = &w->ents[i];
    size_t batch_end = (i / BATCH + 1) * BATCH;

    if (i == w->pos_fork)
        return STORE_FORK;
    if (x->author == AU_F1 && w->pos_fork < i)
        return STORE_BEYOND_FORK;
    if (x->author == AU_F1 && w->pos_fork < batch_end && x->seq >= w->fork_seq)
        return STORE_BEYOND_FORK;
    if (x->author == AU_D && w->pos_rev < batch_end && x->seq > w->cut_seq)
        return STORE_BEYOND_FORK;
    return STORE_NEW;
}

static bool model_result_ok(const struct world *w, size_t i, int result)
{
    return result == model_result(w, i);
}

/* ---- reading a store ---- */

static int state_feed(const struct store_feed *f, void *arg)
{
    struct state *s = arg;
    struct store_feed *o;

    if (s->nfeeds >= SNAP_MAX)
        return -ENOSPC;
    o = &s->feeds[s->nfeeds++];
    memcpy(o->author, f->author, 32);
    o->length = f->length;
    o->stored = f->stored;
    o->fork_seq = f->fork_seq;
    memcpy(o->root, f->root, 32);
    memcpy(o->last_id, f->last_id, 32);
    return 0;
}

static int state_bal(const struct store_balance *b, void *arg)
{
    struct state *s = arg;
    struct store_balance *o;

    if (b->debit == 0 && b->credit == 0)
        return 0;
    if (s->nbal >= SNAP_MAX)
        return -ENOSPC;
    o = &s->bal[s->nbal++];
    o->account = b->account;
    o->debit = b->debit;
    o->credit = b->credit;
    return 0;
}

/* Zeroed first and filled field by field, so padding never takes part in a comparison. */
static void state_take(struct store *st, struct state *s)
{
    memset(s, 0, sizeof *s);
    assert_int_equal(store_head_get(st, &s->head), 0);
    assert_int_equal(store_each_feed(st, state_feed, s), 0);
    assert_int_equal(store_each_balance(st, state_bal, s), 0);
}

static void state_assert_equal(const struct state *a, const struct state *b)
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
}

/* One row of store_each_entry, matched against the world in the callback. */
struct row {
    uint8_t id[32];
    uint64_t seq;
    uint32_t idx;
    bool applied, known, same_author, same_bytes;
};

struct rowlog {
    const struct world *w;
    size_t n, cap;
    struct row *r;
};

static int row_note(const struct store_row *row, void *arg)
{
    struct rowlog *l = arg;
    const struct byid *b;
    struct row *o;

    if (l->n >= l->cap)
        return -ENOSPC;
    o = &l->r[l->n++];
    memset(o, 0, sizeof *o);
    memcpy(o->id, row->id, 32);
    o->seq = row->seq;
    o->applied = row->applied;
    b = world_find(l->w, row->id);
    if (b) {
        const struct ent *x = &l->w->ents[b->idx];

        o->known = true;
        o->idx = b->idx;
        o->same_author = memcmp(row->author, x->e.author, 32) == 0;
        o->same_bytes = row->len == x->len && memcmp(row->raw, x->raw, x->len) == 0;
    }
    return 0;
}

/*
 * Everything that can be checked against the first k batches of w without trusting the store:
 * the rows and their bytes, the applied frontier, the head recomputed from the entry ids, the
 * feeds, the balances and d's standing.
 */
static void check_state(struct store *st, const struct world *w, size_t k)
{
    struct model m;
    struct store_head h;
    struct state s;
    struct rowlog l;
    struct proto_head_feed hf[AU_N], tmp;
    uint8_t(*ids[AU_N])[32];
    uint8_t roots[AU_N][32], want[32];
    uint64_t napp[AU_N] = {0, 0, 0}, applied = 0;
    bool *seen;
    size_t nf = 0;

    model_of(w, k, &m);
    assert_int_equal(store_head_get(st, &h), 0);
    assert_int_equal(h.entries, m.lim);
    assert_int_equal(h.pending, 0);
    assert_int_equal(h.forks, m.forked ? 1 : 0);

    /* The rows: exactly the entries of the prefix, with their bytes. */
    l.w = w;
    l.n = 0;
    l.cap = w->n + 1;
    l.r = calloc(l.cap, sizeof *l.r);
    seen = calloc(w->n, sizeof *seen);
    assert_non_null(l.r);
    assert_non_null(seen);
    for (int a = 0; a < AU_N; a++) {
        ids[a] = calloc(w->n, sizeof *ids[a]);
        assert_non_null(ids[a]);
    }
    assert_int_equal(store_each_entry(st, NULL, row_note, &l), 0);
    assert_int_equal(l.n, m.lim);
    for (size_t i = 0; i < l.n; i++) {
        const struct row *r = &l.r[i];
        const struct ent *x = &w->ents[r->idx];

        assert_true(r->known);
        assert_true(r->idx < m.lim);
        assert_false(seen[r->idx]);
        seen[r->idx] = true;
        assert_true(r->same_author);
        assert_true(r->same_bytes);
        assert_int_equal(r->seq, x->seq);
        assert_int_equal(r->applied, model_applied(&m, x));
        if (r->applied) {
            /* Rows come by author, then seq: the applied ones are the feed, 1..len. */
            assert_int_equal(r->seq, napp[x->author] + 1);
            memcpy(ids[x->author][napp[x->author]++], r->id, 32);
        }
    }

    /* The head, recomputed from the ids. */
    for (int a = 0; a < AU_N; a++) {
        assert_int_equal(napp[a], m.len[a]);
        applied += m.len[a];
        if (m.len[a] == 0)
            continue;
        assert_int_equal(proto_merkle_root(proto_merkle_array_leaf, ids[a], m.len[a], roots[a]), 0);
        memcpy(hf[nf].author, g_key[a]->sign_pk, 32);
        hf[nf].length = m.len[a];
        memcpy(hf[nf].root, roots[a], 32);
        nf++;
    }
    for (size_t i = 1; i < nf; i++)
        for (size_t j = i; j > 0 && memcmp(hf[j - 1].author, hf[j].author, 32) > 0; j--) {
            tmp = hf[j];
            hf[j] = hf[j - 1];
            hf[j - 1] = tmp;
        }
    assert_int_equal(proto_head_compute(hf, nf, want), 0);
    assert_memory_equal(h.head, want, 32);
    assert_int_equal(h.feeds, nf);
    assert_int_equal(h.applied, applied);

    /* Feeds and balances. */
    state_take(st, &s);
    assert_int_equal(s.nfeeds, nf);
    for (uint32_t i = 0; i < s.nfeeds; i++) {
        const struct store_feed *f = &s.feeds[i];
        int a = -1;

        for (int j = 0; j < AU_N; j++)
            if (memcmp(f->author, g_key[j]->sign_pk, 32) == 0)
                a = j;
        assert_true(a >= 0);
        assert_int_equal(f->length, m.len[a]);
        assert_int_equal(f->stored, m.stored[a]);
        assert_int_equal(f->fork_seq, a == AU_F1 && m.forked ? w->fork_seq : 0);
        assert_memory_equal(f->root, roots[a], 32);
        assert_memory_equal(f->last_id, ids[a][m.len[a] - 1], 32);
    }
    {
        int64_t got_d[NACCOUNTS] = {0}, got_c[NACCOUNTS] = {0};

        for (uint32_t i = 0; i < s.nbal; i++) {
            size_t a = acct_index(s.bal[i].account);

            got_d[a] = s.bal[i].debit;
            got_c[a] = s.bal[i].credit;
        }
        for (size_t a = 0; a < NACCOUNTS; a++) {
            assert_int_equal(got_d[a], m.debit[a]);
            assert_int_equal(got_c[a], m.credit[a]);
        }
    }

    /* d's standing. */
    if (k > 0) {
        struct store_device dev;

        assert_int_equal(store_device_get(st, g_key[AU_D]->sign_pk, &dev), 0);
        assert_memory_equal(dev.admitted_by, w->ents[1].e.id, 32);
        assert_int_equal(dev.revoked, m.revoked);
        assert_int_equal(dev.cut_seq, m.revoked ? w->cut_seq : 0);
    }
    for (int a = 0; a < AU_N; a++)
        free(ids[a]);
    free(seen);
    free(l.r);
}

/* Ingests entries [from, to) of w in one batch; the results go in res (may be NULL). */
static void ing_range(struct store *st, const struct world *w, size_t from, size_t to, int *res)
{
    size_t n = to - from;
    struct store_item *items = calloc(n ? n : 1, sizeof *items);

    assert_non_null(items);
    for (size_t i = 0; i < n; i++)
        items[i].e = &w->ents[from + i].e;
    assert_int_equal(store_ingest(st, items, n, NULL, NULL), 0);
    if (res)
        for (size_t i = 0; i < n; i++)
            res[i] = items[i].result;
    free(items);
}

/*
 * The uncrashed reference: batch by batch into a fresh store, recording each entry's result and
 * the state after every batch, and checking both against the model as it goes.
 */
static void world_reference(struct world *w)
{
    char dir[PATH_LEN];
    struct store *st = NULL;

    test_tmpdir(dir, sizeof dir);
    assert_int_equal(store_open(dir, STORE_CREATE, &st), 0);
    check_state(st, w, 0);
    state_take(st, &w->ref[0]);
    for (size_t j = 0; j < w->nb; j++) {
        ing_range(st, w, j * BATCH, (j + 1) * BATCH, w->ref_result + j * BATCH);
        for (size_t i = j * BATCH; i < (j + 1) * BATCH; i++)
            if (!model_result_ok(w, i, w->ref_result[i]))
                fail_msg("%s: entry %zu (author %d seq %llu): result %d, rules say %d", w->name, i,
                         w->ents[i].author, (unsigned long long)w->ents[i].seq, w->ref_result[i],
                         model_result(w, i));
        check_state(st, w, j + 1);
        state_take(st, &w->ref[j + 1]);
    }
    store_close(st);
    test_rmrf(dir);
}

/* ---- the child ---- */

enum { MSG_START = 1, MSG_BEGIN, MSG_ACK, MSG_DONE };

/* 16 bytes: a write this small to a pipe is atomic, so the parent never sees half a message. */
struct msg {
    uint32_t kind;
    uint32_t batch;
    uint64_t acked; /* entries acknowledged so far */
};

/* Exit codes of a child that fails on its own (it never runs cmocka code). */
enum { CHILD_EWRITE = 10, CHILD_ENOMEM, CHILD_EOPEN, CHILD_EINGEST, CHILD_ERESULT };

static void child_send(int fd, uint32_t kind, size_t batch, size_t acked)
{
    struct msg m;
    ssize_t r;

    memset(&m, 0, sizeof m);
    m.kind = kind;
    m.batch = (uint32_t)batch;
    m.acked = acked;
    do
        r = write(fd, &m, sizeof m);
    while (r < 0 && errno == EINTR);
    if (r != (ssize_t)sizeof m)
        _exit(CHILD_EWRITE);
}

/*
 * Opens the store and ingests w batch by batch, saying so on out. Then waits to be killed (or for
 * the parent to go away: end of file on in). Leaves only through _exit(): no cmocka, no atexit
 * handlers, no leak report from a process that is meant to die.
 */
_Noreturn static void child_run(const struct world *w, const char *dir, int out, int in)
{
    struct store *st = NULL;
    struct store_item *items = calloc(BATCH, sizeof *items);
    char c;

    if (!items)
        _exit(CHILD_ENOMEM);
    child_send(out, MSG_START, 0, 0);
    if (store_open(dir, STORE_CREATE, &st) < 0)
        _exit(CHILD_EOPEN);
    for (size_t j = 0; j < w->nb; j++) {
        child_send(out, MSG_BEGIN, j, j * BATCH);
        for (size_t i = 0; i < BATCH; i++) {
            items[i].e = &w->ents[j * BATCH + i].e;
            items[i].result = 0;
        }
        if (store_ingest(st, items, BATCH, NULL, NULL) != 0)
            _exit(CHILD_EINGEST);
        for (size_t i = 0; i < BATCH; i++)
            if (items[i].result != w->ref_result[j * BATCH + i])
                _exit(CHILD_ERESULT);
        child_send(out, MSG_ACK, j, (j + 1) * BATCH);
    }
    child_send(out, MSG_DONE, w->nb, w->n);
    while (read(in, &c, 1) < 0 && errno == EINTR)
        ;
    _exit(0);
}

/* ---- the parent ---- */

enum kill_mode {
    KILL_START, /* after "start": the child is creating the store */
    KILL_BEGIN, /* after "beginning batch k" */
    KILL_ACK,   /* right after the acknowledgement of batch k - 1 (k batches acknowledged) */
    KILL_TIMED, /* after that acknowledgement, at a random fraction of a batch's duration */
};

static const char *const g_mode_name[] = {"start", "begin", "ack", "timed"};

/* The one child and store of the iteration in progress, for the teardown after a failure. */
static struct run {
    pid_t pid;
    int up, down; /* the parent's ends: messages from the child, its end-of-file signal */
    struct store *st;
    char dir[PATH_LEN];
} g_run = {0, -1, -1, NULL, ""};

static void run_cleanup(void)
{
    int status;

    if (g_run.pid > 0) {
        (void)kill(g_run.pid, SIGKILL);
        while (waitpid(g_run.pid, &status, 0) < 0 && errno == EINTR)
            ;
        g_run.pid = 0;
    }
    if (g_run.up >= 0)
        (void)close(g_run.up);
    if (g_run.down >= 0)
        (void)close(g_run.down);
    g_run.up = g_run.down = -1;
    store_close(g_run.st);
    g_run.st = NULL;
    if (g_run.dir[0])
        test_rmrf(g_run.dir);
    g_run.dir[0] = '\0';
}

static int64_t now_us(void)
{
    struct timespec ts;

    assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The next message, waiting until deadline (µs, monotonic): 1, 0 at end of file, or -ETIMEDOUT. */
static int msg_read(int fd, struct msg *m, int64_t deadline)
{
    size_t got = 0;

    while (got < sizeof *m) {
        struct pollfd p = {fd, POLLIN, 0};
        int64_t left = deadline - now_us();
        ssize_t n;
        int r;

        if (left < 0)
            left = 0;
        r = poll(&p, 1, (int)((left + 999) / 1000));
        if (r < 0 && errno == EINTR)
            continue;
        assert_true(r >= 0);
        if (r == 0)
            return -ETIMEDOUT;
        n = read(fd, (char *)m + got, sizeof *m - got);
        if (n < 0 && errno == EINTR)
            continue;
        assert_true(n >= 0);
        if (n == 0) {
            assert_int_equal(got, 0); /* writes of 16 bytes are atomic */
            return 0;
        }
        got += (size_t)n;
    }
    return 1;
}

/* What the parent has heard from the child. */
struct heard {
    bool started, done;
    uint32_t last_kind;
    uint64_t acked;
    int64_t t_begin, dur; /* when the last batch began; how long the last acknowledged one took */
};

static void heard_note(struct heard *hd, const struct msg *m)
{
    int64_t t = now_us();

    hd->last_kind = m->kind;
    switch (m->kind) {
    case MSG_START:
        hd->started = true;
        break;
    case MSG_BEGIN:
        hd->t_begin = t;
        break;
    case MSG_ACK:
        assert_int_equal(m->acked, hd->acked + BATCH);
        hd->acked = m->acked;
        hd->dur = t - hd->t_begin;
        break;
    case MSG_DONE:
        hd->done = true;
        break;
    default:
        fail_msg("message kind %u", (unsigned)m->kind);
    }
}

/* A child that ended before it was killed failed on its own: report how. */
static void child_died(void)
{
    int status = 0;

    while (waitpid(g_run.pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_run.pid = 0;
    if (WIFEXITED(status))
        fail_msg("child exited with %d before the kill point", WEXITSTATUS(status));
    fail_msg("child died of signal %d before the kill point", WTERMSIG(status));
}

/* Reads messages until the kill point of (mode, k) has passed. */
static void wait_kill_point(const struct world *w, enum kill_mode mode, size_t k, double frac,
                            struct heard *hd)
{
    struct msg m;
    int r;

    for (;;) {
        bool there = false;

        r = msg_read(g_run.up, &m, now_us() + MSG_WAIT_US);
        if (r == 0)
            child_died();
        assert_int_equal(r, 1);
        heard_note(hd, &m);
        switch (mode) {
        case KILL_START:
            there = m.kind == MSG_START;
            break;
        case KILL_BEGIN:
            there = m.kind == MSG_BEGIN && m.batch == k;
            break;
        case KILL_ACK:
        case KILL_TIMED: /* for k == 0 there is no acknowledgement to wait for: the start */
            there =
                (m.kind == MSG_ACK && hd->acked == k * BATCH) || (k == 0 && m.kind == MSG_START);
            break;
        }
        if (there)
            break;
    }
    if (mode == KILL_TIMED && k < w->nb) {
        /* The child is in the next batch now; let it get a random way into it. */
        int64_t deadline = now_us() + (int64_t)(frac * (double)(hd->dur > 0 ? hd->dur : 1000));

        while ((r = msg_read(g_run.up, &m, deadline)) == 1)
            heard_note(hd, &m);
        if (r == 0)
            child_died();
        assert_int_equal(r, -ETIMEDOUT);
    }
}

struct tally {
    unsigned runs, in_batch, between, unacked_commit;
};

/*
 * One iteration: fork a child that ingests w, kill it at (mode, k), then check what it left and
 * complete it.
 */
static void crash_once(const struct world *w, enum kill_mode mode, size_t k, double frac,
                       struct tally *t)
{
    int up[2], down[2], status = 0;
    struct heard hd;
    struct msg m;
    struct state s, s2;
    struct store_head h;
    size_t stored_k;
    int *res;
    int r;

    memset(&hd, 0, sizeof hd);
    assert_null(g_run.st); /* never fork with an environment open */
    test_tmpdir(g_run.dir, sizeof g_run.dir);
    assert_int_equal(pipe(up), 0);
    assert_int_equal(pipe(down), 0);
    (void)fflush(NULL);
    g_run.pid = fork();
    assert_true(g_run.pid >= 0);
    if (g_run.pid == 0) {
        (void)close(up[0]);
        (void)close(down[1]);
        child_run(w, g_run.dir, up[1], down[0]);
    }
    (void)close(up[1]);
    (void)close(down[0]);
    g_run.up = up[0];
    g_run.down = down[1];

    wait_kill_point(w, mode, k, frac, &hd);
    assert_int_equal(kill(g_run.pid, SIGKILL), 0);
    while (waitpid(g_run.pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_run.pid = 0;
    if (WIFEXITED(status))
        fail_msg("child exited with %d", WEXITSTATUS(status));
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    /* Whatever the child said before it died: the last acknowledgement it made. */
    while ((r = msg_read(g_run.up, &m, now_us() + MSG_WAIT_US)) == 1)
        heard_note(&hd, &m);
    assert_int_equal(r, 0);

    /* Everything acknowledged, whole batches only, and at most the one in flight besides. */
    assert_int_equal(store_open(g_run.dir, 0, &g_run.st), 0);
    assert_int_equal(store_head_get(g_run.st, &h), 0);
    if (h.entries % BATCH != 0 || h.entries < hd.acked || h.entries > hd.acked + BATCH)
        fail_msg("%s, kill at %s %zu: %llu entries stored, %llu acknowledged", w->name,
                 g_mode_name[mode], k, (unsigned long long)h.entries, (unsigned long long)hd.acked);
    stored_k = (size_t)(h.entries / BATCH);
    assert_true(stored_k <= w->nb);
    t->runs++;
    if (h.entries > hd.acked)
        t->unacked_commit++;
    else if (hd.last_kind == MSG_BEGIN)
        t->in_batch++;
    else
        t->between++;

    check_state(g_run.st, w, stored_k);
    state_take(g_run.st, &s);
    state_assert_equal(&s, &w->ref[stored_k]);
    assert_int_equal(store_reindex(g_run.st), 0);
    state_take(g_run.st, &s2);
    state_assert_equal(&s2, &s);

    /* Re-ingest everything: the stored prefix changes nothing, the rest completes the ledger. */
    res = calloc(w->n, sizeof *res);
    assert_non_null(res);
    if (stored_k > 0) {
        ing_range(g_run.st, w, 0, stored_k * BATCH, res);
        for (size_t i = 0; i < stored_k * BATCH; i++)
            assert_int_equal(res[i], STORE_HAD);
        state_take(g_run.st, &s2);
        state_assert_equal(&s2, &s);
    }
    for (size_t j = stored_k; j < w->nb; j++) {
        ing_range(g_run.st, w, j * BATCH, (j + 1) * BATCH, res + j * BATCH);
        for (size_t i = j * BATCH; i < (j + 1) * BATCH; i++)
            assert_int_equal(res[i], w->ref_result[i]);
    }
    free(res);
    state_take(g_run.st, &s);
    state_assert_equal(&s, &w->ref[w->nb]);
    check_state(g_run.st, w, w->nb);
    run_cleanup();
}

/* A small deterministic generator (xorshift64*), so that kill points reproduce from the seed. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static double rnd_frac(uint64_t *s)
{
    return (double)(rnd(s) >> 11) / (double)(1ULL << 53);
}

struct plan {
    enum kill_mode mode;
    long k; /* batches acknowledged at the kill point; < 0: random in 1 .. nb - 1 */
};

static void crash_plan(const struct world *w, const struct plan *p, size_t np)
{
    struct tally t;
    uint64_t s = g_seed ^ (uint64_t)w->nb;
    int64_t t0 = now_us();

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < np; i++) {
        size_t k = p[i].k >= 0 ? (size_t)p[i].k : 1 + (size_t)(rnd(&s) % (w->nb - 1));
        double frac = rnd_frac(&s);

        crash_once(w, p[i].mode, k, frac, &t);
    }
    print_message("%s: %u kills (%u inside a batch, %u between batches, %u after a commit that "
                  "was not acknowledged) in %.2f s\n",
                  w->name, t.runs, t.in_batch, t.between, t.unacked_commit,
                  (double)(now_us() - t0) / 1e6);
}

static void test_crash_journals(void **state)
{
    static const struct plan plan[] = {
        {KILL_START, 0},  {KILL_BEGIN, 0},  {KILL_ACK, 1},  {KILL_TIMED, 3},  {KILL_ACK, 7},
        {KILL_BEGIN, -1}, {KILL_TIMED, -1}, {KILL_ACK, -1}, {KILL_TIMED, -1}, {KILL_ACK, J_BATCHES},
    };

    (void)state;
    crash_plan(&g_journals, plan, sizeof plan / sizeof plan[0]);
}

/* Kills during the batch with the fork (4) and the one with the revocation (7). */
static void test_crash_rebuild(void **state)
{
    static const struct plan plan[] = {
        {KILL_ACK, 4},
        {KILL_TIMED, 4},
        {KILL_BEGIN, 7},
        {KILL_TIMED, 7},
    };

    (void)state;
    crash_plan(&g_rebuild, plan, sizeof plan / sizeof plan[0]);
}

/* ---- setup ---- */

static int setup(void **state)
{
    const char *seed = getenv("SAKSI_CRASH_SEED");
    int64_t t0;

    (void)state;
    if (proto_crypto_init() < 0)
        return -1;
    g_seed = seed && *seed ? strtoull(seed, NULL, 0) : 0x6b696c6cULL;
    if (g_seed == 0)
        g_seed = 1;
    print_message("SAKSI_CRASH_SEED=%llu\n", (unsigned long long)g_seed);
    for (int a = 0; a < AU_N; a++)
        g_key[a] = fixed_keys((uint8_t)(0x51 + a));
    g_f2 = fixed_keys(0x5f);
    t0 = now_us();
    world_build(&g_journals, "journals", J_BATCHES, NO_POS, 0, NO_POS, 0);
    /* f1 forks its seq 50 (batch 0) in batch 4; d is revoked after its seq 100 in batch 7. */
    world_build(&g_rebuild, "rebuild", R_BATCHES, 4 * BATCH + 17, 50, 7 * BATCH + 41, 100);
    world_reference(&g_journals);
    world_reference(&g_rebuild);
    print_message("ledgers built and reference stores checked in %.2f s\n",
                  (double)(now_us() - t0) / 1e6);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    world_free(&g_journals);
    world_free(&g_rebuild);
    for (int a = 0; a < AU_N; a++)
        proto_keys_free(g_key[a]);
    proto_keys_free(g_f2);
    return 0;
}

/* After a failed iteration: no child left running, no store left open. */
static int test_teardown(void **state)
{
    (void)state;
    run_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_crash_journals, test_teardown),
        cmocka_unit_test_teardown(test_crash_rebuild, test_teardown),
    };

    return cmocka_run_group_tests_name("store_crash", tests, setup, teardown);
}
