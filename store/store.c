/*
 * The LMDB store. One environment per data directory, named databases as DESIGN.md "Storage"
 * lists them, one write transaction per ingested batch. The fast path appends an entry to the
 * tip of its feed and applies its effect (roster, postings) incrementally; anything that can
 * change the meaning of entries already applied (a fork, a revocation) rebuilds the derived
 * state from the raw entries inside the same transaction, so derived state is always the same
 * pure function of the set of stored entries, whatever the order they came in.
 */
#include "store/store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/merkle.h"
#include "proto/roster.h"

#define MAP_SIZE ((size_t)64 << 30) /* 64 GiB of address space; the file grows as needed */

enum db {
    DB_META,
    DB_ENTRIES,  /* id -> raw entry */
    DB_FEEDS,    /* author | u64be seq -> id (dupsort: several ids = a fork) */
    DB_HEADS,    /* author -> feed head (applied length, Merkle compact range, ...) */
    DB_PENDING,  /* author | u64be seq | id -> raw entry */
    DB_FORKS,    /* author | u64be seq -> "" */
    DB_GOV,      /* id -> author | u64be seq | u8 kind: governance entries */
    DB_ROSTER,   /* device pk -> device record */
    DB_POSTINGS, /* u32be account | u32be date | id | u16be line -> u32be member, debit, credit */
    DB_BALANCES, /* u32be account -> u64be debit | u64be credit */
    DB_COUNT
};

static const char *const db_names[DB_COUNT] = {
    "meta",  "entries", "feeds",  "heads",    "pending",
    "forks", "gov",     "roster", "postings", "balances",
};

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    bool rdonly;
    struct proto_genesis *genesis; /* cached once the ledger is known */
    uint8_t genesis_id[32];
    bool has_ledger;
};

/* ---- small helpers ---- */

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t get_be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* LMDB codes become ours at this boundary. */
static int map_err(int rc)
{
    switch (rc) {
    case MDB_SUCCESS:
        return 0;
    case MDB_NOTFOUND:
        return -ENOENT;
    case MDB_KEYEXIST:
        return -EEXIST;
    case MDB_MAP_FULL:
        return -ENOSPC;
    case ENOMEM:
        return -ENOMEM;
    case ENOENT:
    case EACCES:
    case ENOSPC:
    case EIO:
    case EROFS:
        return -rc;
    default:
        return ERR_STORE;
    }
}

static MDB_val val(const void *p, size_t n)
{
    MDB_val v = {n, (void *)(uintptr_t)p};

    return v;
}

static int get(MDB_txn *t, struct store *st, enum db d, const void *k, size_t kn, MDB_val *v)
{
    MDB_val key = val(k, kn);

    return map_err(mdb_get(t, st->dbi[d], &key, v));
}

static int put(MDB_txn *t, struct store *st, enum db d, const void *k, size_t kn, const void *v,
               size_t vn, unsigned flags)
{
    MDB_val key = val(k, kn), data = val(v, vn);

    return map_err(mdb_put(t, st->dbi[d], &key, &data, flags));
}

static void feed_key(uint8_t k[40], const uint8_t author[32], uint64_t seq)
{
    memcpy(k, author, 32);
    put_be64(k + 32, seq);
}

/* ---- feed heads ---- */

struct head {
    uint64_t length;   /* applied length */
    uint64_t stored;   /* entries stored (fork branches included) */
    uint64_t fork_seq; /* lowest forked seq, 0 if none */
    uint8_t last_id[32];
    struct proto_merkle_range range;
};

#define HEAD_FIXED (8 + 8 + 8 + 32)

static int head_get(MDB_txn *t, struct store *st, const uint8_t author[32], struct head *h)
{
    MDB_val v;
    int rc;

    memset(h, 0, sizeof *h);
    proto_merkle_range_init(&h->range);
    rc = get(t, st, DB_HEADS, author, 32, &v);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    if (v.mv_size < HEAD_FIXED)
        return ERR_STORE;
    h->length = get_be64(v.mv_data);
    h->stored = get_be64((uint8_t *)v.mv_data + 8);
    h->fork_seq = get_be64((uint8_t *)v.mv_data + 16);
    memcpy(h->last_id, (uint8_t *)v.mv_data + 24, 32);
    if (proto_merkle_range_decode(&h->range, (uint8_t *)v.mv_data + HEAD_FIXED,
                                  v.mv_size - HEAD_FIXED) < 0 ||
        h->range.n != h->length)
        return ERR_STORE;
    return 0;
}

static int head_put(MDB_txn *t, struct store *st, const uint8_t author[32], const struct head *h)
{
    uint8_t buf[HEAD_FIXED + 8 + 64 * 32];
    size_t n = HEAD_FIXED + proto_merkle_range_size(&h->range);

    put_be64(buf, h->length);
    put_be64(buf + 8, h->stored);
    put_be64(buf + 16, h->fork_seq);
    memcpy(buf + 24, h->last_id, 32);
    proto_merkle_range_encode(&h->range, buf + HEAD_FIXED);
    return put(t, st, DB_HEADS, author, 32, buf, n, 0);
}

/* ---- roster records ---- */

#define DEV_REC (4 + 1 + 1 + 32 + 32 + 64 + 32 + 1 + 8)

static void dev_pack(uint8_t *p, const struct store_device *d)
{
    put_be32(p, d->dev.member);
    p[4] = d->dev.role;
    p[5] = d->dev.office;
    memcpy(p + 6, d->dev.sign_pk, 32);
    memcpy(p + 38, d->dev.box_pk, 32);
    memcpy(p + 70, d->dev.card_sig, 64);
    memcpy(p + 134, d->admitted_by, 32);
    p[166] = d->revoked;
    put_be64(p + 167, d->cut_seq);
}

static int dev_unpack(const MDB_val *v, struct store_device *d)
{
    const uint8_t *p = v->mv_data;

    if (v->mv_size != DEV_REC)
        return ERR_STORE;
    memset(d, 0, sizeof *d);
    d->dev.member = get_be32(p);
    d->dev.role = p[4];
    d->dev.office = p[5];
    memcpy(d->dev.sign_pk, p + 6, 32);
    memcpy(d->dev.box_pk, p + 38, 32);
    memcpy(d->dev.card_sig, p + 70, 64);
    memcpy(d->admitted_by, p + 134, 32);
    d->revoked = p[166] != 0;
    d->cut_seq = get_be64(p + 167);
    return 0;
}

static int dev_get(MDB_txn *t, struct store *st, const uint8_t pk[32], struct store_device *d)
{
    MDB_val v;
    int rc = get(t, st, DB_ROSTER, pk, 32, &v);

    return rc < 0 ? rc : dev_unpack(&v, d);
}

static int dev_put(MDB_txn *t, struct store *st, const struct store_device *d)
{
    uint8_t rec[DEV_REC];

    dev_pack(rec, d);
    return put(t, st, DB_ROSTER, d->dev.sign_pk, 32, rec, sizeof rec, 0);
}

/* ---- open / close ---- */

static int meta_get_u64(MDB_txn *t, struct store *st, const char *k, uint64_t *v)
{
    MDB_val d;
    int rc = get(t, st, DB_META, k, strlen(k), &d);

    *v = 0;
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    if (d.mv_size != 8)
        return ERR_STORE;
    *v = get_be64(d.mv_data);
    return 0;
}

static int meta_put_u64(MDB_txn *t, struct store *st, const char *k, uint64_t v)
{
    uint8_t b[8];

    put_be64(b, v);
    return put(t, st, DB_META, k, strlen(k), b, 8, 0);
}

/* Loads the ledger id and genesis, if any, into the handle. */
static int load_ledger(MDB_txn *t, struct store *st)
{
    MDB_val v, e;
    struct proto_entry pe;
    int rc;

    rc = get(t, st, DB_META, "ledger", 6, &v);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    if (v.mv_size != 32)
        return ERR_STORE;
    memcpy(st->genesis_id, v.mv_data, 32);
    rc = get(t, st, DB_ENTRIES, st->genesis_id, 32, &e);
    if (rc < 0)
        return rc == -ENOENT ? ERR_STORE : rc;
    rc = proto_entry_parse(e.mv_data, e.mv_size, &pe);
    if (rc < 0)
        return ERR_STORE;
    proto_genesis_free(st->genesis);
    st->genesis = NULL;
    rc = proto_genesis_decode(pe.body, pe.body_len, &st->genesis);
    if (rc < 0)
        return rc == -ENOMEM ? rc : ERR_STORE;
    st->has_ledger = true;
    return 0;
}

int store_lock_take(const char *data_dir, int *fd)
{
    char path[4200];
    int f;

    *fd = -1;
    if (snprintf(path, sizeof path, "%s/lock", data_dir) >= (int)sizeof path)
        return -ENAMETOOLONG;
    f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (f < 0)
        return -errno;
    if (flock(f, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;

        close(f);
        return e == EWOULDBLOCK ? ERR_LOCKED : -e;
    }
    *fd = f;
    return 0;
}

/*
 * The map size: MAP_SIZE, or SAKSI_MAP_MB megabytes from the environment for machines (or
 * tools such as valgrind) that cannot reserve that much address space.
 */
static size_t map_size(void)
{
    const char *e = getenv("SAKSI_MAP_MB");
    char *end;
    unsigned long long mb;

    if (!e || !*e)
        return MAP_SIZE;
    mb = strtoull(e, &end, 10);
    if (*end || mb < 16 || mb > (MAP_SIZE >> 20))
        return MAP_SIZE;
    return (size_t)mb << 20;
}

int store_open(const char *dir, unsigned flags, struct store **out)
{
    struct store *st;
    MDB_txn *t = NULL;
    unsigned envflags = MDB_NOTLS;
    uint8_t schema[4];
    MDB_val v;
    int rc;

    *out = NULL;
    if (flags & STORE_CREATE && !(flags & STORE_RDONLY))
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return -errno;
    st = calloc(1, sizeof *st);
    if (!st)
        return -ENOMEM;
    st->rdonly = (flags & STORE_RDONLY) != 0;
    if (st->rdonly)
        envflags |= MDB_RDONLY;
    rc = map_err(mdb_env_create(&st->env));
    if (rc < 0)
        goto fail;
    if ((rc = map_err(mdb_env_set_maxdbs(st->env, DB_COUNT))) < 0 ||
        (rc = map_err(mdb_env_set_mapsize(st->env, map_size()))) < 0 ||
        (rc = map_err(mdb_env_set_maxreaders(st->env, 126))) < 0)
        goto fail;
    rc = map_err(mdb_env_open(st->env, dir, envflags, 0600));
    if (rc < 0)
        goto fail;
    rc = map_err(mdb_txn_begin(st->env, NULL, st->rdonly ? MDB_RDONLY : 0, &t));
    if (rc < 0)
        goto fail;
    for (int i = 0; i < DB_COUNT; i++) {
        unsigned dbflags = st->rdonly ? 0 : MDB_CREATE;

        if (i == DB_FEEDS)
            dbflags |= MDB_DUPSORT | MDB_DUPFIXED;
        rc = map_err(mdb_dbi_open(t, db_names[i], dbflags, &st->dbi[i]));
        if (rc == -ENOENT && st->rdonly) {
            rc = ERR_NOLEDGER; /* an empty environment nobody has written to */
            goto fail;
        }
        if (rc < 0)
            goto fail;
    }
    rc = get(t, st, DB_META, "schema", 6, &v);
    if (rc == -ENOENT && !st->rdonly) {
        put_be32(schema, STORE_SCHEMA_VERSION);
        rc = put(t, st, DB_META, "schema", 6, schema, 4, 0);
    } else if (rc == 0) {
        if (v.mv_size != 4)
            rc = ERR_STORE;
        else if (get_be32(v.mv_data) > STORE_SCHEMA_VERSION)
            rc = ERR_SCHEMA;
        /* Older schemas migrate here once there is more than one. */
    } else if (rc == -ENOENT) {
        rc = ERR_NOLEDGER;
    }
    if (rc < 0)
        goto fail;
    rc = load_ledger(t, st);
    if (rc < 0)
        goto fail;
    /* Commit even a read-only txn: aborting it would close the dbi handles opened in it. */
    rc = map_err(mdb_txn_commit(t));
    t = NULL;
    if (rc < 0)
        goto fail;
    *out = st;
    return 0;
fail:
    if (t)
        mdb_txn_abort(t);
    store_close(st);
    return rc;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->env)
        mdb_env_close(st->env);
    proto_genesis_free(st->genesis);
    free(st);
}

int store_ledger_id(struct store *st, uint8_t id[32])
{
    if (!st->has_ledger)
        return ERR_NOLEDGER;
    memcpy(id, st->genesis_id, 32);
    return 0;
}

int store_genesis(struct store *st, struct proto_genesis **out)
{
    struct proto_genesis *g;

    *out = NULL;
    if (!st->has_ledger)
        return ERR_NOLEDGER;
    g = calloc(1, sizeof *g);
    if (!g)
        return -ENOMEM;
    *g = *st->genesis;
    g->accounts = malloc(sizeof *g->accounts * (g->naccounts ? g->naccounts : 1));
    g->roster = malloc(sizeof *g->roster * (g->nroster ? g->nroster : 1));
    if (!g->accounts || !g->roster) {
        proto_genesis_free(g);
        return -ENOMEM;
    }
    memcpy(g->accounts, st->genesis->accounts, sizeof *g->accounts * g->naccounts);
    memcpy(g->roster, st->genesis->roster, sizeof *g->roster * g->nroster);
    *out = g;
    return 0;
}

/* ---- ingest ---- */

/*
 * A batch's work list. Items from the caller come first; entries released from the pending area
 * are appended as owned copies and processed in the same transaction.
 */
struct work {
    struct proto_entry e;
    uint8_t *owned; /* raw bytes owned by the work list (released from pending) */
    int *result;    /* where to report, or NULL for released pending entries */
};

#define HC_N  8
#define BAL_N 10000

struct hslot {
    bool used, dirty;
    uint8_t author[32];
    struct head h;
};

struct balslot {
    bool loaded, dirty;
    uint64_t debit, credit;
};

struct batch {
    struct store *st;
    MDB_txn *t;
    struct work *w;
    size_t n, cap;
    const uint8_t *expect_ledger;
    struct store_ingest_stats *stats;
    bool rebuild; /* derived state must be rebuilt before commit */
    bool head_dirty;
    uint64_t pending;
    /* Feed heads and account balances touched by this batch, written back once at its end. */
    struct hslot hc[HC_N];
    unsigned hc_next;
    struct balslot *bal;    /* indexed by account code, BAL_N of them */
    struct proto_journal j; /* the journal being ingested, decoded once */
};

static int work_push(struct batch *b, const struct proto_entry *e, uint8_t *owned, int *result)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct work *w = realloc(b->w, cap * sizeof *w);

        if (!w)
            return -ENOMEM;
        b->w = w;
        b->cap = cap;
    }
    b->w[b->n].e = *e;
    b->w[b->n].owned = owned;
    b->w[b->n].result = result;
    b->n++;
    return 0;
}

/* Writes back every dirty cached head. */
static int hc_flush(struct batch *b)
{
    for (unsigned i = 0; i < HC_N; i++) {
        struct hslot *sl = &b->hc[i];
        int rc;

        if (!sl->used || !sl->dirty)
            continue;
        rc = head_put(b->t, b->st, sl->author, &sl->h);
        if (rc < 0)
            return rc;
        sl->dirty = false;
    }
    return 0;
}

/* Forgets the cache (after the heads were rewritten from scratch). */
static void hc_clear(struct batch *b)
{
    memset(b->hc, 0, sizeof b->hc);
    b->hc_next = 0;
}

/* The cached head of a feed, loaded on first use; the caller marks it dirty when changed. */
static int hc_get(struct batch *b, const uint8_t author[32], struct hslot **out)
{
    struct hslot *sl = NULL;
    int rc;

    for (unsigned i = 0; i < HC_N; i++)
        if (b->hc[i].used && memcmp(b->hc[i].author, author, 32) == 0) {
            *out = &b->hc[i];
            return 0;
        }
    sl = &b->hc[b->hc_next];
    b->hc_next = (b->hc_next + 1) % HC_N;
    if (sl->used && sl->dirty) {
        rc = head_put(b->t, b->st, sl->author, &sl->h);
        if (rc < 0)
            return rc;
    }
    memset(sl, 0, sizeof *sl);
    rc = head_get(b->t, b->st, author, &sl->h);
    if (rc < 0)
        return rc;
    sl->used = true;
    memcpy(sl->author, author, 32);
    *out = sl;
    return 0;
}

/* Writes back every dirty cached balance. */
static int bal_flush(struct batch *b)
{
    for (uint32_t a = 0; b->bal && a < BAL_N; a++) {
        struct balslot *sl = &b->bal[a];
        uint8_t k[4], v[16];
        int rc;

        if (!sl->dirty)
            continue;
        put_be32(k, a);
        put_be64(v, sl->debit);
        put_be64(v + 8, sl->credit);
        rc = put(b->t, b->st, DB_BALANCES, k, 4, v, 16, 0);
        if (rc < 0)
            return rc;
        sl->dirty = false;
    }
    return 0;
}

/*
 * Moves pending entries with key prefix (author, and seq when seq > 0) into the work list. The
 * cursor is positioned afresh after every deletion, which keeps the loop simple and correct.
 */
static int release_pending(struct batch *b, const uint8_t author[32], uint64_t seq)
{
    struct store *st = b->st;
    MDB_cursor *c = NULL;
    uint8_t k[40];
    size_t plen = seq ? 40 : 32;
    MDB_val key, v;
    int rc;

    if (b->pending == 0)
        return 0; /* the common case: nothing waits */
    feed_key(k, author, seq);
    rc = map_err(mdb_cursor_open(b->t, st->dbi[DB_PENDING], &c));
    if (rc < 0)
        return rc;
    for (;;) {
        struct proto_entry e;
        uint8_t *raw;

        key = val(k, plen);
        rc = mdb_cursor_get(c, &key, &v, MDB_SET_RANGE);
        if (rc != MDB_SUCCESS || key.mv_size != 72 || memcmp(key.mv_data, k, plen) != 0)
            break;
        raw = malloc(v.mv_size);
        if (!raw) {
            rc = ENOMEM;
            break;
        }
        memcpy(raw, v.mv_data, v.mv_size);
        /* These bytes passed every check before they were parked; parse to rebuild the view. */
        if (proto_entry_parse(raw, v.mv_size, &e) < 0 || work_push(b, &e, raw, NULL) < 0) {
            free(raw);
            rc = ERR_STORE;
            break;
        }
        rc = mdb_cursor_del(c, 0);
        if (rc != MDB_SUCCESS)
            break;
        b->pending--;
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND || rc == MDB_SUCCESS)
        return 0;
    return rc == ERR_STORE ? rc : map_err(rc);
}

static int park(struct batch *b, const struct proto_entry *e)
{
    uint8_t k[72];
    MDB_val v;
    int rc;

    feed_key(k, e->author, e->seq);
    memcpy(k + 40, e->id, 32);
    rc = get(b->t, b->st, DB_PENDING, k, sizeof k, &v);
    if (rc == 0)
        return 0; /* already waiting */
    if (rc != -ENOENT)
        return rc;
    if (b->pending >= STORE_PENDING_MAX)
        return ERR_PENDING_FULL;
    rc = put(b->t, b->st, DB_PENDING, k, sizeof k, e->raw, e->raw_len, 0);
    if (rc == 0)
        b->pending++;
    return rc;
}

/* Collects the ids stored at (author, seq): up to max of them; *n is the total count. */
static int ids_at(MDB_txn *t, struct store *st, const uint8_t author[32], uint64_t seq,
                  uint8_t (*ids)[32], size_t max, size_t *n)
{
    MDB_cursor *c;
    uint8_t k[40];
    MDB_val key, v;
    int rc;

    *n = 0;
    feed_key(k, author, seq);
    rc = map_err(mdb_cursor_open(t, st->dbi[DB_FEEDS], &c));
    if (rc < 0)
        return rc;
    key = val(k, 40);
    rc = mdb_cursor_get(c, &key, &v, MDB_SET_KEY);
    while (rc == MDB_SUCCESS) {
        if (v.mv_size != 32) {
            rc = ERR_STORE;
            break;
        }
        if (*n < max)
            memcpy(ids[*n], v.mv_data, 32);
        (*n)++;
        rc = mdb_cursor_get(c, &key, &v, MDB_NEXT_DUP);
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        return 0;
    return rc == ERR_STORE ? rc : map_err(rc);
}

static int gov_put(struct batch *b, const struct proto_entry *e)
{
    uint8_t v[41];

    memcpy(v, e->author, 32);
    put_be64(v + 32, e->seq);
    v[40] = (uint8_t)(e->kind > 255 ? 255 : e->kind);
    return put(b->t, b->st, DB_GOV, e->id, 32, v, sizeof v, 0);
}

/* Adds a journal's lines to the postings and to the batch's cached account balances. */
static int postings_apply(struct batch *b, const struct proto_entry *e,
                          const struct proto_journal *j)
{
    for (uint32_t i = 0; i < j->nlines; i++) {
        const struct proto_line *l = &j->lines[i];
        struct balslot *sl = &b->bal[l->account];
        uint8_t k[42], v[20];
        int rc;

        put_be32(k, l->account);
        put_be32(k + 4, j->date);
        memcpy(k + 8, e->id, 32);
        k[40] = (uint8_t)(i >> 8);
        k[41] = (uint8_t)i;
        put_be32(v, l->member);
        put_be64(v + 4, l->debit);
        put_be64(v + 12, l->credit);
        rc = put(b->t, b->st, DB_POSTINGS, k, sizeof k, v, sizeof v, 0);
        if (rc < 0)
            return rc;
        if (!sl->loaded) {
            MDB_val cur;

            put_be32(k, l->account);
            rc = get(b->t, b->st, DB_BALANCES, k, 4, &cur);
            if (rc == 0 && cur.mv_size == 16) {
                sl->debit = get_be64(cur.mv_data);
                sl->credit = get_be64((uint8_t *)cur.mv_data + 8);
            } else if (rc == 0) {
                return ERR_STORE;
            } else if (rc != -ENOENT) {
                return rc;
            }
            sl->loaded = true;
        }
        sl->debit += l->debit;
        sl->credit += l->credit;
        sl->dirty = true;
    }
    return 0;
}

/*
 * Applies the effect of an entry that has just joined its feed's applied frontier. Authority:
 * the author's role must be allowed to author the kind, else the entry is void (no effect; the
 * audit reports it).
 */
static int apply_effect(struct batch *b, const struct proto_entry *e, const struct store_device *a)
{
    struct store *st = b->st;
    int rc;

    if (e->kind == PROTO_KIND_GENESIS)
        return 0;
    if (!proto_policy_allows(&st->genesis->policy, e->kind, a->dev.role))
        return 0;
    if (e->kind == PROTO_KIND_JOURNAL)
        return postings_apply(b, e, &b->j); /* decoded by body_check */
    if (e->kind == PROTO_KIND_ADMIT) {
        struct store_device d, old;

        memset(&d, 0, sizeof d);
        rc = proto_admit_decode(e->body, e->body_len, &d.dev);
        if (rc < 0)
            return rc;
        rc = dev_get(b->t, st, d.dev.sign_pk, &old);
        if (rc == 0) {
            /* Admitted twice: the admission with the lowest id stands, whatever the arrival
             * order, so let the rebuild choose. */
            b->rebuild = true;
            return 0;
        }
        if (rc != -ENOENT)
            return rc;
        memcpy(d.admitted_by, e->id, 32);
        rc = dev_put(b->t, st, &d);
        if (rc < 0)
            return rc;
        /* Entries of this device may be stored already, unapplied, from an admission that a
         * revocation has since voided: only the rebuild applies them. */
        {
            struct hslot *sl;

            rc = hc_get(b, d.dev.sign_pk, &sl);
            if (rc < 0)
                return rc;
            if (sl->h.stored > 0)
                b->rebuild = true;
        }
        return release_pending(b, d.dev.sign_pk, 0);
    }
    if (e->kind == PROTO_KIND_REVOKE) {
        b->rebuild = true; /* a cut-off can void entries already applied */
        return 0;
    }
    return 0; /* unknown kinds: stored and relayed, no effect */
}

/* Founds the ledger from a genesis entry (already decoded into g, ownership taken). */
static int found_ledger(struct batch *b, const struct proto_entry *e, struct proto_genesis *g)
{
    struct store *st = b->st;
    int rc;

    rc = put(b->t, st, DB_META, "ledger", 6, e->id, 32, 0);
    if (rc < 0) {
        proto_genesis_free(g);
        return rc;
    }
    for (uint32_t i = 0; i < g->nroster; i++) {
        struct store_device d;

        memset(&d, 0, sizeof d);
        d.dev = g->roster[i];
        memcpy(d.admitted_by, e->id, 32);
        rc = dev_put(b->t, st, &d);
        if (rc < 0) {
            proto_genesis_free(g);
            return rc;
        }
    }
    proto_genesis_free(st->genesis);
    st->genesis = g;
    memcpy(st->genesis_id, e->id, 32);
    st->has_ledger = true;
    for (uint32_t i = 0; i < g->nroster; i++) {
        rc = release_pending(b, g->roster[i].sign_pk, 0);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Format checks for the kinds this version knows: a malformed body is hard-invalid. */
static int body_check(struct batch *b, const struct proto_entry *e)
{
    struct proto_device d;
    struct proto_revoke r;

    switch (e->kind) {
    case PROTO_KIND_ADMIT:
        return proto_admit_decode(e->body, e->body_len, &d);
    case PROTO_KIND_REVOKE:
        return proto_revoke_decode(e->body, e->body_len, &r);
    case PROTO_KIND_JOURNAL:
        return proto_journal_decode(e->body, e->body_len, &b->j); /* kept for apply_effect */
    default:
        return 0;
    }
}

static bool is_gov(uint64_t kind)
{
    return kind != PROTO_KIND_JOURNAL;
}

/* One entry of the batch. Returns enum store_result, a per-entry rejection (< 0, see
 * reject_ok()), or a transaction failure. */
static int ingest_one(struct batch *b, const struct proto_entry *e)
{
    struct store *st = b->st;
    struct store_device author;
    struct hslot *sl;
    struct head *h;
    uint8_t ids[2][32], k[40];
    size_t nids;
    bool fast;
    MDB_val v;
    int rc;

    rc = get(b->t, st, DB_ENTRIES, e->id, 32, &v);
    if (rc == 0)
        return STORE_HAD;
    if (rc != -ENOENT)
        return rc;

    if (e->kind == PROTO_KIND_GENESIS) {
        struct proto_genesis *g;
        const struct proto_device *fd;

        if (st->has_ledger)
            return memcmp(e->id, st->genesis_id, 32) == 0 ? STORE_HAD : ERR_LEDGER;
        if (b->expect_ledger && memcmp(b->expect_ledger, e->id, 32) != 0)
            return ERR_LEDGER;
        rc = proto_genesis_decode(e->body, e->body_len, &g);
        if (rc < 0)
            return rc == -ENOMEM ? rc : ERR_GENESIS;
        fd = proto_genesis_device(g, e->author);
        if (!fd || fd->role != PROTO_ROLE_PENGURUS) {
            proto_genesis_free(g);
            return ERR_GENESIS;
        }
        rc = found_ledger(b, e, g);
        if (rc < 0)
            return rc;
    } else {
        if (!st->has_ledger)
            return ERR_NOLEDGER;
        if (memcmp(e->ledger, st->genesis_id, 32) != 0)
            return ERR_LEDGER;
        rc = body_check(b, e);
        if (rc < 0)
            return rc == -ENOMEM ? rc : ERR_BODY;
    }

    rc = dev_get(b->t, st, e->author, &author);
    if (rc == -ENOENT) {
        rc = park(b, e);
        return rc < 0 ? rc : STORE_PENDING_AUTHOR;
    }
    if (rc < 0)
        return rc;

    rc = hc_get(b, e->author, &sl);
    if (rc < 0)
        return rc;
    h = &sl->h;
    /*
     * The common case needs no feed lookups: the entry extends a feed whose stored entries are
     * exactly its applied ones, and names the applied tip as prev.
     */
    fast = h->stored == h->length && h->length == e->seq - 1 &&
           (e->seq == 1 || memcmp(h->last_id, e->prev, 32) == 0);
    if (e->seq > 1 && !fast) {
        bool linked = false;

        rc = ids_at(b->t, st, e->author, e->seq - 1, ids, 2, &nids);
        if (rc < 0)
            return rc;
        for (size_t i = 0; i < nids && i < 2; i++)
            linked |= memcmp(ids[i], e->prev, 32) == 0;
        if (!linked && nids > 2) {
            uint8_t many[64][32];
            size_t m;

            rc = ids_at(b->t, st, e->author, e->seq - 1, many, 64, &m);
            if (rc < 0)
                return rc;
            for (size_t i = 0; i < m && i < 64; i++)
                linked |= memcmp(many[i], e->prev, 32) == 0;
        }
        if (!linked) {
            rc = park(b, e);
            return rc < 0 ? rc : STORE_PENDING_GAP;
        }
    }

    nids = 0;
    if (!fast && (rc = ids_at(b->t, st, e->author, e->seq, ids, 2, &nids)) < 0)
        return rc;
    rc = put(b->t, st, DB_ENTRIES, e->id, 32, e->raw, e->raw_len, MDB_NOOVERWRITE);
    if (rc < 0)
        return rc;
    feed_key(k, e->author, e->seq);
    rc = put(b->t, st, DB_FEEDS, k, 40, e->id, 32, 0);
    if (rc < 0)
        return rc;
    if (is_gov(e->kind) && (rc = gov_put(b, e)) < 0)
        return rc;
    h->stored++;
    sl->dirty = true;

    if (nids > 0) {
        /* Two signed entries for one (author, seq): keep both as evidence; freeze the feed. */
        rc = put(b->t, st, DB_FORKS, k, 40, "", 0, 0);
        if (rc < 0)
            return rc;
        if (nids == 1)
            b->stats->forks++; /* a third branch joins the existing record */
        b->rebuild = true;
        rc = release_pending(b, e->author, e->seq + 1);
        return rc < 0 ? rc : STORE_FORK;
    }

    if (h->length == e->seq - 1 && h->fork_seq == 0 && !author.revoked) {
        proto_merkle_range_push(&h->range, e->id);
        h->length = e->seq;
        memcpy(h->last_id, e->id, 32);
        b->head_dirty = true;
        rc = apply_effect(b, e, &author);
        if (rc < 0)
            return rc;
        rc = STORE_NEW;
    } else {
        if (author.revoked)
            b->rebuild = true; /* may lie within the cut-off: let the rebuild decide */
        rc = STORE_BEYOND_FORK;
    }
    {
        int rrc = release_pending(b, e->author, e->seq + 1);

        if (rrc < 0)
            return rrc;
    }
    return rc;
}

/* ---- rebuild of derived state ---- */

struct feedinfo {
    uint8_t author[32];
    uint64_t unique;   /* contiguous prefix with exactly one entry per seq */
    uint64_t fork_seq; /* lowest seq with several entries, 0 if none */
    uint64_t stored;
};

static struct feedinfo *feed_find(struct feedinfo *f, size_t n, const uint8_t author[32])
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(f[mid].author, author, 32);

        if (c == 0)
            return &f[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The unique prefix of a feed, for the roster rule (arg: struct feeds). */
struct feeds {
    struct feedinfo *f;
    size_t n;
};

static uint64_t feed_unique(void *arg, const uint8_t author[32])
{
    struct feeds *fs = arg;
    struct feedinfo *fi = feed_find(fs->f, fs->n, author);

    return fi ? fi->unique : 0;
}

static int scan_feeds(MDB_txn *t, struct store *st, struct feedinfo **out, size_t *nout)
{
    struct feedinfo *f = NULL, *cur = NULL;
    size_t n = 0, cap = 0;
    MDB_cursor *c;
    MDB_val k, v;
    bool open = false; /* cur's unique prefix is still growing */
    int rc;

    *out = NULL;
    *nout = 0;
    rc = map_err(mdb_cursor_open(t, st->dbi[DB_FEEDS], &c));
    if (rc < 0)
        return rc;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        const uint8_t *kp = k.mv_data;
        uint64_t seq;
        size_t dups;

        if (k.mv_size != 40) {
            rc = ERR_STORE;
            break;
        }
        seq = get_be64(kp + 32);
        if (!cur || memcmp(cur->author, kp, 32) != 0) {
            if (n == cap) {
                struct feedinfo *p;

                cap = cap ? cap * 2 : 64;
                p = realloc(f, cap * sizeof *p);
                if (!p) {
                    rc = ENOMEM;
                    break;
                }
                f = p;
            }
            cur = &f[n++];
            memset(cur, 0, sizeof *cur);
            memcpy(cur->author, kp, 32);
            open = true;
        }
        rc = mdb_cursor_count(c, &dups);
        if (rc != MDB_SUCCESS)
            break;
        cur->stored += dups;
        if (dups > 1 && cur->fork_seq == 0)
            cur->fork_seq = seq;
        if (open && dups == 1 && seq == cur->unique + 1)
            cur->unique = seq;
        else
            open = false;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_NODUP);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND && rc != MDB_SUCCESS) {
        free(f);
        return rc == ERR_STORE ? rc : map_err(rc);
    }
    *out = f;
    *nout = n;
    return 0;
}

/*
 * A revocation's effective cut-off: the last valid seq it names, provided this store holds
 * exactly the entry it names there; otherwise one earlier, because the named entry is the last
 * valid one and we hold something else (or nothing) at that seq.
 */
static int gov_cut(MDB_txn *t, struct store *st, struct proto_gov *gi)
{
    uint8_t ids[2][32];
    size_t n;
    int rc;

    gi->cut = gi->revoke.last_seq;
    if (gi->cut == 0)
        return 0;
    rc = ids_at(t, st, gi->revoke.device, gi->cut, ids, 2, &n);
    if (rc < 0)
        return rc;
    if (n != 1 || memcmp(ids[0], gi->revoke.last_id, 32) != 0)
        gi->cut--;
    return 0;
}

static int scan_gov(MDB_txn *t, struct store *st, struct proto_gov **out, size_t *nout)
{
    struct proto_gov *g = NULL;
    size_t n = 0, cap = 0;
    MDB_cursor *c;
    MDB_val k, v, raw;
    int rc;

    *out = NULL;
    *nout = 0;
    rc = map_err(mdb_cursor_open(t, st->dbi[DB_GOV], &c));
    if (rc < 0)
        return rc;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        struct proto_entry e;
        struct proto_gov *gi;

        if (k.mv_size != 32 || v.mv_size != 41) {
            rc = ERR_STORE;
            break;
        }
        if (((uint8_t *)v.mv_data)[40] != PROTO_KIND_ADMIT &&
            ((uint8_t *)v.mv_data)[40] != PROTO_KIND_REVOKE) {
            rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
            continue;
        }
        rc = mdb_get(t, st->dbi[DB_ENTRIES], &k, &raw);
        if (rc != MDB_SUCCESS)
            break;
        if (n == cap) {
            struct proto_gov *p;

            cap = cap ? cap * 2 : 32;
            p = realloc(g, cap * sizeof *p);
            if (!p) {
                rc = ENOMEM;
                break;
            }
            g = p;
        }
        gi = &g[n];
        memset(gi, 0, sizeof *gi);
        if (proto_entry_parse(raw.mv_data, raw.mv_size, &e) < 0) {
            rc = ERR_STORE;
            break;
        }
        memcpy(gi->id, e.id, 32);
        memcpy(gi->author, e.author, 32);
        gi->seq = e.seq;
        gi->kind = e.kind;
        if ((e.kind == PROTO_KIND_ADMIT &&
             proto_admit_decode(e.body, e.body_len, &gi->admit) < 0) ||
            (e.kind == PROTO_KIND_REVOKE &&
             proto_revoke_decode(e.body, e.body_len, &gi->revoke) < 0)) {
            rc = ERR_STORE;
            break;
        }
        if (e.kind == PROTO_KIND_REVOKE && (rc = gov_cut(t, st, gi)) < 0)
            break;
        n++;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND && rc != MDB_SUCCESS) {
        free(g);
        return rc == ERR_STORE || rc == -ENOMEM ? rc : map_err(rc);
    }
    *out = g;
    *nout = n;
    return 0;
}

/*
 * Moves every stored entry of one author back to the pending area (its fork records and
 * governance index rows go too). Used when the author is no longer on the roster.
 */
static int unstore_feed(struct batch *b, const uint8_t author[32])
{
    struct store *st = b->st;
    MDB_cursor *c;
    uint8_t k[40];
    MDB_val key, v;
    int rc;

    rc = map_err(mdb_cursor_open(b->t, st->dbi[DB_FEEDS], &c));
    if (rc < 0)
        return rc;
    feed_key(k, author, 0);
    for (;;) {
        uint8_t pk[72], id[32];
        MDB_val raw, pkey, pval;

        key = val(k, 40);
        rc = mdb_cursor_get(c, &key, &v, MDB_SET_RANGE);
        if (rc != MDB_SUCCESS || key.mv_size != 40 || memcmp(key.mv_data, author, 32) != 0)
            break;
        memcpy(pk, key.mv_data, 40);
        memcpy(id, v.mv_data, 32);
        memcpy(pk + 40, id, 32);
        rc = mdb_get(b->t, st->dbi[DB_ENTRIES], &(MDB_val){32, id}, &raw);
        if (rc != MDB_SUCCESS)
            break;
        pkey = val(pk, sizeof pk);
        pval = raw;
        rc = mdb_put(b->t, st->dbi[DB_PENDING], &pkey, &pval, 0);
        if (rc != MDB_SUCCESS)
            break;
        b->pending++;
        if ((rc = mdb_cursor_del(c, 0)) != MDB_SUCCESS ||
            (rc = mdb_del(b->t, st->dbi[DB_ENTRIES], &(MDB_val){32, id}, NULL)) != MDB_SUCCESS)
            break;
        rc = mdb_del(b->t, st->dbi[DB_GOV], &(MDB_val){32, id}, NULL);
        if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
            break;
        rc = mdb_del(b->t, st->dbi[DB_FORKS], &(MDB_val){40, pk}, NULL);
        if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
            break;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND && rc != MDB_SUCCESS)
        return map_err(rc);
    rc = mdb_del(b->t, st->dbi[DB_HEADS], &(MDB_val){32, (void *)(uintptr_t)author}, NULL);
    return rc == MDB_SUCCESS || rc == MDB_NOTFOUND ? 0 : map_err(rc);
}

static int rebuild(struct batch *b)
{
    struct store *st = b->st;
    struct feedinfo *f = NULL;
    struct proto_gov *g = NULL;
    struct proto_roster r = {0};
    struct feeds fs;
    size_t nf = 0, ng = 0;
    int rc;

    b->stats->rebuilt = true;
    /* Everything cached is about to be recomputed from scratch. */
    hc_clear(b);
    memset(b->bal, 0, BAL_N * sizeof *b->bal);
    if ((rc = map_err(mdb_drop(b->t, st->dbi[DB_HEADS], 0))) < 0 ||
        (rc = map_err(mdb_drop(b->t, st->dbi[DB_ROSTER], 0))) < 0 ||
        (rc = map_err(mdb_drop(b->t, st->dbi[DB_POSTINGS], 0))) < 0 ||
        (rc = map_err(mdb_drop(b->t, st->dbi[DB_BALANCES], 0))) < 0)
        return rc;
    if (!st->has_ledger)
        return 0;
    if ((rc = scan_feeds(b->t, st, &f, &nf)) < 0 || (rc = scan_gov(b->t, st, &g, &ng)) < 0)
        goto out;
    fs.f = f;
    fs.n = nf;
    rc = proto_roster_compute(st->genesis, st->genesis_id, g, ng, feed_unique, &fs, &r);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < r.n; i++) {
        struct store_device d;

        memset(&d, 0, sizeof d);
        d.dev = r.d[i].dev;
        memcpy(d.admitted_by, r.d[i].admitted_by, 32);
        d.revoked = r.d[i].revoked;
        d.cut_seq = r.d[i].cut_seq;
        if ((rc = dev_put(b->t, st, &d)) < 0)
            goto out;
    }
    for (size_t i = 0; i < nf; i++) {
        struct head h;
        const struct proto_roster_dev *a = proto_roster_find(&r, f[i].author);
        uint64_t len = proto_roster_applied(&r, f[i].author, f[i].unique);

        if (!a) {
            /* Its admission no longer stands: its entries wait in the pending area again,
             * exactly as if they had arrived now, so the stored set does not depend on order. */
            if ((rc = unstore_feed(b, f[i].author)) < 0)
                goto out;
            continue;
        }
        memset(&h, 0, sizeof h);
        proto_merkle_range_init(&h.range);
        h.stored = f[i].stored;
        h.fork_seq = f[i].fork_seq;
        for (uint64_t s = 1; s <= len; s++) {
            uint8_t ids[1][32];
            size_t n;
            MDB_val raw;
            struct proto_entry e;

            if ((rc = ids_at(b->t, st, f[i].author, s, ids, 1, &n)) < 0)
                goto out;
            if ((rc = get(b->t, st, DB_ENTRIES, ids[0], 32, &raw)) < 0)
                goto out;
            if (proto_entry_parse(raw.mv_data, raw.mv_size, &e) < 0) {
                rc = ERR_STORE;
                goto out;
            }
            proto_merkle_range_push(&h.range, e.id);
            memcpy(h.last_id, e.id, 32);
            if (e.kind == PROTO_KIND_JOURNAL &&
                proto_policy_allows(&st->genesis->policy, e.kind, a->dev.role)) {
                struct proto_journal j;

                if (proto_journal_decode(e.body, e.body_len, &j) < 0) {
                    rc = ERR_STORE;
                    goto out;
                }
                if ((rc = postings_apply(b, &e, &j)) < 0)
                    goto out;
            }
        }
        h.length = len;
        if ((rc = head_put(b->t, st, f[i].author, &h)) < 0)
            goto out;
    }
    b->head_dirty = true;
    /* Devices that the rebuilt roster admits may have entries waiting. */
    for (size_t i = 0; i < r.n; i++)
        if ((rc = release_pending(b, r.d[i].dev.sign_pk, 0)) < 0)
            goto out;
out:
    free(f);
    free(g);
    proto_roster_release(&r);
    return rc;
}

/* Recomputes the ledger head over all feed heads and stores it in meta. */
static int head_refresh(MDB_txn *t, struct store *st)
{
    struct proto_head_feed *hf = NULL;
    size_t n = 0, cap = 0;
    uint64_t applied = 0;
    uint8_t rec[48];
    MDB_cursor *c;
    MDB_val k, v;
    int rc;

    rc = map_err(mdb_cursor_open(t, st->dbi[DB_HEADS], &c));
    if (rc < 0)
        return rc;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        struct head h;

        if (k.mv_size != 32 || head_get(t, st, k.mv_data, &h) < 0) {
            rc = ERR_STORE;
            break;
        }
        if (h.length > 0) {
            if (n == cap) {
                struct proto_head_feed *p;

                cap = cap ? cap * 2 : 64;
                p = realloc(hf, cap * sizeof *p);
                if (!p) {
                    rc = ENOMEM;
                    break;
                }
                hf = p;
            }
            memcpy(hf[n].author, k.mv_data, 32);
            hf[n].length = h.length;
            proto_merkle_range_root(&h.range, hf[n].root);
            applied += h.length;
            n++;
        }
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) {
        free(hf);
        return rc == ERR_STORE ? rc : map_err(rc);
    }
    rc = proto_head_compute(hf, n, rec);
    free(hf);
    if (rc < 0)
        return ERR_STORE;
    put_be64(rec + 32, n);
    put_be64(rec + 40, applied);
    return put(t, st, DB_META, "head", 4, rec, sizeof rec, 0);
}

/* Per-entry rejections that leave the rest of the batch to go on. */
static bool reject_ok(int rc)
{
    return rc == ERR_LEDGER || rc == ERR_GENESIS || rc == ERR_BODY || rc == ERR_NOLEDGER ||
           rc == ERR_PENDING_FULL || rc == ERR_BADSIG;
}

/*
 * One write transaction: the batch's entries, whatever they release from the pending area, and
 * a rebuild of derived state when an entry asks for one (or when force is set: reindex).
 */
static int batch_run(struct store *st, struct store_item *items, size_t n,
                     const uint8_t *expect_ledger, struct store_ingest_stats *stats, bool force)
{
    struct store_ingest_stats dummy;
    struct batch b;
    int rc;

    memset(&b, 0, sizeof b);
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    if (st->rdonly)
        return -EROFS;
    b.st = st;
    b.stats = stats;
    b.expect_ledger = expect_ledger;
    b.rebuild = force;
    b.bal = calloc(BAL_N, sizeof *b.bal);
    if (!b.bal)
        return -ENOMEM;
    rc = map_err(mdb_txn_begin(st->env, NULL, 0, &b.t));
    if (rc < 0) {
        free(b.bal);
        return rc;
    }
    rc = meta_get_u64(b.t, st, "pending", &b.pending);
    if (rc < 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        items[i].result = 0;
        if ((rc = work_push(&b, items[i].e, NULL, &items[i].result)) < 0)
            goto fail;
    }
    do {
        /* Processing may append released entries to the list: index, do not cache b.n. */
        for (size_t i = 0; i < b.n; i++) {
            /* A copy: ingest_one may grow (realloc) the list, and b.w[i] with it. The raw bytes
             * it points to stay put (the caller's, or owned and freed only below). */
            struct proto_entry e = b.w[i].e;

            rc = ingest_one(&b, &e);
            if (rc < 0 && !reject_ok(rc))
                goto fail;
            if (b.w[i].result)
                *b.w[i].result = rc;
            /* Released from the pending area and not parked again. */
            if (b.w[i].owned && rc > 0 && rc != STORE_PENDING_GAP && rc != STORE_PENDING_AUTHOR)
                stats->from_pending++;
        }
        for (size_t i = 0; i < b.n; i++)
            free(b.w[i].owned);
        b.n = 0;
        if (b.rebuild) {
            /* A rebuild may release parked entries into the work list: loop to take them. */
            b.rebuild = false;
            rc = rebuild(&b);
            if (rc < 0)
                goto fail;
        }
    } while (b.n > 0 || b.rebuild);
    if (stats->rebuilt) {
        /*
         * A fork or revocation rebuilt the feeds: an entry reported new before it may now lie
         * beyond its feed's applied frontier, as it would had it come in a later batch.
         */
        for (size_t i = 0; i < n; i++) {
            struct head h;

            if (items[i].result != STORE_NEW)
                continue;
            if ((rc = head_get(b.t, st, items[i].e->author, &h)) < 0)
                goto fail;
            if (h.length < items[i].e->seq)
                items[i].result = STORE_BEYOND_FORK;
        }
    }
    if ((rc = meta_put_u64(b.t, st, "pending", b.pending)) < 0 || (rc = hc_flush(&b)) < 0 ||
        (rc = bal_flush(&b)) < 0)
        goto fail;
    if (b.head_dirty && (rc = head_refresh(b.t, st)) < 0)
        goto fail;
    rc = map_err(mdb_txn_commit(b.t));
    b.t = NULL;
    if (rc < 0)
        goto fail;
    free(b.w);
    free(b.bal);
    return 0;
fail:
    if (b.t)
        mdb_txn_abort(b.t);
    for (size_t i = 0; i < b.n; i++)
        free(b.w[i].owned);
    free(b.w);
    free(b.bal);
    /* The transaction is gone: the cached genesis may describe a ledger that was not stored. */
    {
        MDB_txn *t;

        st->has_ledger = false;
        if (mdb_txn_begin(st->env, NULL, MDB_RDONLY, &t) == MDB_SUCCESS) {
            (void)load_ledger(t, st);
            mdb_txn_abort(t);
        }
    }
    return rc;
}

int store_ingest(struct store *st, struct store_item *items, size_t n, const uint8_t *expect_ledger,
                 struct store_ingest_stats *stats)
{
    return batch_run(st, items, n, expect_ledger, stats, false);
}

int store_reindex(struct store *st)
{
    return batch_run(st, NULL, 0, NULL, NULL, true);
}

/* ---- reads ---- */

/* The end of an iteration: exhausted or stopped by the callback is success; LMDB's codes are
 * translated, ours and the callback's pass through. */
static int iter_end(int rc)
{
    if (rc == MDB_NOTFOUND || rc >= 0)
        return 0;
    if (rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE)
        return map_err(rc);
    return rc;
}

static int rtxn(struct store *st, MDB_txn **t)
{
    return map_err(mdb_txn_begin(st->env, NULL, MDB_RDONLY, t));
}

/* One of the store_each_* iterations: its read transaction, the caller's callback and arg. */
struct each {
    struct store *st;
    MDB_txn *t;
    union {
        store_feed_cb *feed;
        store_device_cb *device;
        store_fork_cb *fork;
        store_balance_cb *balance;
    } cb;
    void *arg;
};

/* Decodes one row and hands it to the callback: 0 goes on, anything else stops. */
typedef int row_fn(const struct each *e, const MDB_val *k, const MDB_val *v);

/* Every row of database d, in key order, in one read transaction. */
static int each_db(struct store *st, enum db d, row_fn *fn, struct each *e)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc;

    e->st = st;
    rc = rtxn(st, &e->t);
    if (rc < 0)
        return rc;
    rc = map_err(mdb_cursor_open(e->t, st->dbi[d], &c));
    if (rc < 0) {
        mdb_txn_abort(e->t);
        return rc;
    }
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        rc = fn(e, &k, &v);
        if (rc != 0)
            break;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(c);
    mdb_txn_abort(e->t);
    return iter_end(rc);
}

int store_head_get(struct store *st, struct store_head *h)
{
    MDB_txn *t;
    MDB_stat s;
    MDB_val v;
    int rc;

    memset(h, 0, sizeof *h);
    proto_sha256("", 0, h->head); /* the empty tree */
    rc = rtxn(st, &t);
    if (rc < 0)
        return rc;
    rc = get(t, st, DB_META, "head", 4, &v);
    if (rc == 0 && v.mv_size == 48) {
        memcpy(h->head, v.mv_data, 32);
        h->feeds = get_be64((uint8_t *)v.mv_data + 32);
        h->applied = get_be64((uint8_t *)v.mv_data + 40);
    } else if (rc == 0) {
        rc = ERR_STORE;
    } else if (rc == -ENOENT) {
        rc = 0;
    }
    if (rc == 0 && (rc = map_err(mdb_stat(t, st->dbi[DB_ENTRIES], &s))) == 0)
        h->entries = s.ms_entries;
    if (rc == 0 && (rc = map_err(mdb_stat(t, st->dbi[DB_FORKS], &s))) == 0)
        h->forks = s.ms_entries;
    if (rc == 0)
        rc = meta_get_u64(t, st, "pending", &h->pending);
    mdb_txn_abort(t);
    return rc;
}

int store_entry_get(struct store *st, const uint8_t id[32], struct proto_buf *out)
{
    MDB_txn *t;
    MDB_val v;
    int rc = rtxn(st, &t);

    if (rc < 0)
        return rc;
    rc = get(t, st, DB_ENTRIES, id, 32, &v);
    if (rc == 0)
        rc = proto_buf_append(out, v.mv_data, v.mv_size);
    mdb_txn_abort(t);
    return rc;
}

int store_entry_find(struct store *st, const uint8_t *prefix, size_t plen, uint8_t id[32])
{
    MDB_txn *t;
    MDB_cursor *c;
    MDB_val k, v;
    int rc;

    if (plen == 0 || plen > 32)
        return -EINVAL;
    rc = rtxn(st, &t);
    if (rc < 0)
        return rc;
    rc = map_err(mdb_cursor_open(t, st->dbi[DB_ENTRIES], &c));
    if (rc < 0) {
        mdb_txn_abort(t);
        return rc;
    }
    k = val(prefix, plen);
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (rc == MDB_SUCCESS && memcmp(k.mv_data, prefix, plen) == 0) {
        memcpy(id, k.mv_data, 32);
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
        if (rc == MDB_SUCCESS && memcmp(k.mv_data, prefix, plen) == 0)
            rc = -EEXIST;
        else
            rc = 0;
    } else {
        rc = -ENOENT;
    }
    mdb_cursor_close(c);
    mdb_txn_abort(t);
    return rc;
}

int store_feed_tip(struct store *st, const uint8_t author[32], uint64_t *seq, uint8_t id[32])
{
    MDB_txn *t;
    MDB_cursor *c;
    uint8_t k[40];
    MDB_val key, v;
    size_t dups;
    int rc;

    *seq = 0;
    rc = rtxn(st, &t);
    if (rc < 0)
        return rc;
    rc = map_err(mdb_cursor_open(t, st->dbi[DB_FEEDS], &c));
    if (rc < 0) {
        mdb_txn_abort(t);
        return rc;
    }
    /* The last key of this author: position past it, then step back. */
    feed_key(k, author, UINT64_MAX);
    key = val(k, 40);
    rc = mdb_cursor_get(c, &key, &v, MDB_SET_RANGE);
    if (rc == MDB_SUCCESS)
        rc = mdb_cursor_get(c, &key, &v, MDB_PREV_NODUP);
    else if (rc == MDB_NOTFOUND)
        rc = mdb_cursor_get(c, &key, &v, MDB_LAST);
    if (rc == MDB_SUCCESS && key.mv_size == 40 && memcmp(key.mv_data, author, 32) == 0) {
        rc = mdb_cursor_get(c, &key, &v, MDB_FIRST_DUP);
        if (rc == MDB_SUCCESS)
            rc = mdb_cursor_count(c, &dups);
        if (rc == MDB_SUCCESS) {
            *seq = get_be64((uint8_t *)key.mv_data + 32);
            memcpy(id, v.mv_data, 32);
            rc = dups > 1 ? -EEXIST : 0;
        } else {
            rc = map_err(rc);
        }
    } else {
        rc = (rc == MDB_SUCCESS || rc == MDB_NOTFOUND) ? 0 : map_err(rc);
    }
    mdb_cursor_close(c);
    mdb_txn_abort(t);
    return rc;
}

/* Iterates one feed's stored entries (all seqs, all branches). */
static int each_in_range(MDB_txn *t, struct store *st, MDB_cursor *c, const uint8_t author[32],
                         uint64_t from, uint64_t to, uint64_t applied, store_row_cb *cb, void *arg)
{
    uint8_t k[40];
    MDB_val key, v, raw;
    int rc;

    feed_key(k, author, from);
    key = val(k, 40);
    rc = mdb_cursor_get(c, &key, &v, MDB_SET_RANGE);
    while (rc == MDB_SUCCESS && key.mv_size == 40 && memcmp(key.mv_data, author, 32) == 0) {
        struct store_row row;

        memcpy(row.author, author, 32);
        row.seq = get_be64((uint8_t *)key.mv_data + 32);
        if (row.seq > to)
            break;
        memcpy(row.id, v.mv_data, 32);
        rc = get(t, st, DB_ENTRIES, row.id, 32, &raw);
        if (rc < 0)
            return rc == -ENOENT ? ERR_STORE : rc;
        row.raw = raw.mv_data;
        row.len = raw.mv_size;
        row.applied = row.seq <= applied;
        rc = cb(&row, arg);
        if (rc != 0)
            return rc;
        rc = mdb_cursor_get(c, &key, &v, MDB_NEXT);
    }
    return rc == MDB_NOTFOUND || rc == MDB_SUCCESS ? 0 : map_err(rc);
}

static int each_in_feed(MDB_txn *t, struct store *st, MDB_cursor *c, const uint8_t author[32],
                        uint64_t applied, store_row_cb *cb, void *arg)
{
    return each_in_range(t, st, c, author, 0, UINT64_MAX, applied, cb, arg);
}

int store_feed_range(struct store *st, const uint8_t author[32], uint64_t from, uint64_t to,
                     store_row_cb *cb, void *arg)
{
    MDB_txn *t;
    MDB_cursor *c = NULL;
    struct head h;
    int rc;

    rc = rtxn(st, &t);
    if (rc < 0)
        return rc;
    if ((rc = map_err(mdb_cursor_open(t, st->dbi[DB_FEEDS], &c))) == 0 &&
        (rc = head_get(t, st, author, &h)) == 0)
        rc = each_in_range(t, st, c, author, from, to, h.length, cb, arg);
    if (c)
        mdb_cursor_close(c);
    mdb_txn_abort(t);
    return rc > 0 ? 0 : rc;
}

/* One feed's applied length, for store_each_entry_by_id. */
struct head_len {
    uint8_t author[32];
    uint64_t length;
};

static int cmp_head_len(const void *a, const void *b)
{
    return memcmp(((const struct head_len *)a)->author, ((const struct head_len *)b)->author, 32);
}

int store_each_entry_by_id(struct store *st, store_row_cb *cb, void *arg)
{
    MDB_txn *t;
    MDB_cursor *c = NULL;
    MDB_val k, v;
    struct head_len *hl = NULL;
    size_t nhl = 0, cap = 0;
    int rc;

    rc = rtxn(st, &t);
    if (rc < 0)
        return rc;
    /* The feeds' applied lengths first (one row per author, in key order: sorted). */
    if ((rc = map_err(mdb_cursor_open(t, st->dbi[DB_HEADS], &c))) < 0)
        goto out;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        if (k.mv_size != 32 || v.mv_size < HEAD_FIXED) {
            rc = ERR_STORE;
            goto out;
        }
        if (nhl == cap) {
            struct head_len *q = realloc(hl, (cap ? cap * 2 : 16) * sizeof *hl);

            if (!q) {
                rc = -ENOMEM;
                goto out;
            }
            hl = q;
            cap = cap ? cap * 2 : 16;
        }
        memcpy(hl[nhl].author, k.mv_data, 32);
        hl[nhl++].length = get_be64(v.mv_data);
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND) {
        rc = map_err(rc);
        goto out;
    }
    mdb_cursor_close(c);
    c = NULL;
    /* Then the entries, in key (id) order: one sequential pass over the table. Every stored
     * entry is in its author's feed (they are put and deleted together), so this visits the
     * rows store_each_entry visits, each with the same applied flag. */
    if ((rc = map_err(mdb_cursor_open(t, st->dbi[DB_ENTRIES], &c))) < 0)
        goto out;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        struct store_row row;
        struct proto_entry e;
        struct head_len key;
        const struct head_len *h;

        if (k.mv_size != 32 || proto_entry_peek(v.mv_data, v.mv_size, &e) < 0) {
            rc = ERR_STORE;
            goto out;
        }
        memcpy(key.author, e.author, 32);
        h = nhl ? bsearch(&key, hl, nhl, sizeof *hl, cmp_head_len) : NULL;
        if (h) { /* (store_each_entry walks the feeds of the heads table only) */
            memcpy(row.id, k.mv_data, 32);
            memcpy(row.author, e.author, 32);
            row.seq = e.seq;
            row.raw = v.mv_data;
            row.len = v.mv_size;
            row.applied = e.seq <= h->length;
            rc = cb(&row, arg);
            if (rc != 0)
                goto out;
        }
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    rc = rc == MDB_NOTFOUND ? 0 : map_err(rc);
out:
    if (c)
        mdb_cursor_close(c);
    mdb_txn_abort(t);
    free(hl);
    return rc > 0 ? 0 : rc;
}

int store_each_entry(struct store *st, const uint8_t *author, store_row_cb *cb, void *arg)
{
    MDB_txn *t;
    MDB_cursor *c = NULL, *hc = NULL;
    MDB_val k, v;
    struct head h;
    uint8_t gauthor[32];
    bool have_g = false;
    int rc;

    rc = rtxn(st, &t);
    if (rc < 0)
        return rc;
    if ((rc = map_err(mdb_cursor_open(t, st->dbi[DB_FEEDS], &c))) < 0 ||
        (rc = map_err(mdb_cursor_open(t, st->dbi[DB_HEADS], &hc))) < 0)
        goto out;
    if (author) {
        if ((rc = head_get(t, st, author, &h)) == 0)
            rc = each_in_feed(t, st, c, author, h.length, cb, arg);
        goto out;
    }
    /* The genesis author's feed first, so that a stream of this order imports in one pass. */
    if (st->has_ledger) {
        MDB_val g;

        if ((rc = get(t, st, DB_ENTRIES, st->genesis_id, 32, &g)) < 0)
            goto out;
        {
            struct proto_entry e;

            if (proto_entry_parse(g.mv_data, g.mv_size, &e) < 0) {
                rc = ERR_STORE;
                goto out;
            }
            memcpy(gauthor, e.author, 32);
            have_g = true;
        }
        if ((rc = head_get(t, st, gauthor, &h)) < 0 ||
            (rc = each_in_feed(t, st, c, gauthor, h.length, cb, arg)) != 0)
            goto out;
    }
    rc = mdb_cursor_get(hc, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        uint8_t a[32];

        memcpy(a, k.mv_data, 32);
        if (!(have_g && memcmp(a, gauthor, 32) == 0)) {
            if ((rc = head_get(t, st, a, &h)) < 0 ||
                (rc = each_in_feed(t, st, c, a, h.length, cb, arg)) != 0)
                goto out;
        }
        rc = mdb_cursor_get(hc, &k, &v, MDB_NEXT);
    }
    rc = rc == MDB_NOTFOUND ? 0 : map_err(rc);
out:
    if (c)
        mdb_cursor_close(c);
    if (hc)
        mdb_cursor_close(hc);
    mdb_txn_abort(t);
    return rc > 0 ? 0 : rc;
}

static int feed_row(const struct each *e, const MDB_val *k, const MDB_val *v)
{
    struct store_feed f;
    struct head h;

    (void)v;
    if (k->mv_size != 32 || head_get(e->t, e->st, k->mv_data, &h) < 0)
        return ERR_STORE;
    memcpy(f.author, k->mv_data, 32);
    f.length = h.length;
    f.stored = h.stored;
    f.fork_seq = h.fork_seq;
    memcpy(f.last_id, h.last_id, 32);
    proto_merkle_range_root(&h.range, f.root);
    return e->cb.feed(&f, e->arg);
}

int store_each_feed(struct store *st, store_feed_cb *cb, void *arg)
{
    struct each e = {.cb.feed = cb, .arg = arg};

    return each_db(st, DB_HEADS, feed_row, &e);
}

int store_device_get(struct store *st, const uint8_t pk[32], struct store_device *d)
{
    MDB_txn *t;
    int rc = rtxn(st, &t);

    if (rc < 0)
        return rc;
    rc = dev_get(t, st, pk, d);
    mdb_txn_abort(t);
    return rc;
}

static int device_row(const struct each *e, const MDB_val *k, const MDB_val *v)
{
    struct store_device d;

    (void)k;
    if (dev_unpack(v, &d) < 0)
        return ERR_STORE;
    return e->cb.device(&d, e->arg);
}

int store_each_device(struct store *st, store_device_cb *cb, void *arg)
{
    struct each e = {.cb.device = cb, .arg = arg};

    return each_db(st, DB_ROSTER, device_row, &e);
}

static int fork_row(const struct each *e, const MDB_val *k, const MDB_val *v)
{
    struct store_fork f;
    size_t n;
    int rc;

    (void)v;
    if (k->mv_size != 40)
        return ERR_STORE;
    memcpy(f.author, k->mv_data, 32);
    f.seq = get_be64((uint8_t *)k->mv_data + 32);
    rc = ids_at(e->t, e->st, f.author, f.seq, f.ids, 8, &n);
    if (rc < 0)
        return rc;
    f.nids = (uint32_t)(n > 8 ? 8 : n);
    return e->cb.fork(&f, e->arg);
}

int store_each_fork(struct store *st, store_fork_cb *cb, void *arg)
{
    struct each e = {.cb.fork = cb, .arg = arg};

    return each_db(st, DB_FORKS, fork_row, &e);
}

static int balance_row(const struct each *e, const MDB_val *k, const MDB_val *v)
{
    struct store_balance b;

    if (k->mv_size != 4 || v->mv_size != 16)
        return ERR_STORE;
    b.account = get_be32(k->mv_data);
    b.debit = (int64_t)get_be64(v->mv_data);
    b.credit = (int64_t)get_be64((uint8_t *)v->mv_data + 8);
    return e->cb.balance(&b, e->arg);
}

int store_each_balance(struct store *st, store_balance_cb *cb, void *arg)
{
    struct each e = {.cb.balance = cb, .arg = arg};

    return each_db(st, DB_BALANCES, balance_row, &e);
}
