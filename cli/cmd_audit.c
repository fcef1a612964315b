/*
 * saksi audit: re-verifies the whole ledger from the raw entry bytes, independently of the
 * store's derived state, then compares the two. It recomputes every id and signature (on all
 * cores), the feed chains and their Merkle roots, the roster from genesis and the governance
 * entries, the authority of every entry, the balance of every journal and the balance of every
 * account, lists forks, and prints the ledger head it computed. Exit 0 when clean, 1 with
 * findings.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/i18n.h"
#include "cli/verify.h"
#include "proto/acct.h"
#include "proto/books.h"
#include "proto/checkpoint.h"
#include "proto/err.h"
#include "proto/merkle.h"
#include "proto/report.h"
#include "proto/roster.h"
#include "proto/yearend.h"

#define BATCH_N        4096
#define BATCH_BYTES    (4u << 20)
#define FINDINGS_SHOWN 1000

/* Per feed, from the first (cheap) pass. */
struct afeed {
    uint8_t author[32];
    uint64_t unique;   /* contiguous prefix with one entry per seq */
    uint64_t fork_seq; /* lowest forked seq, 0 if none */
    uint64_t applied;  /* what the audit decides applies */
    struct proto_merkle_range range;
    uint8_t last_id[32];
    uint64_t expect_seq; /* second pass: the next seq on the chain */
    bool open;           /* first pass: unique prefix still growing */
    uint64_t cur_seq;    /* first pass: the seq of the previous row */
};

/* A batch of the second pass: raw copies, their rows and verification jobs. */
struct abatch {
    struct verify_job *jobs;
    struct store_row *rows;
    uint8_t *arena;
    size_t n, used;
};

struct audit {
    struct store *st;
    const char *data_dir; /* for the statement cache */
    struct proto_genesis *g;
    uint8_t ledger[32];
    bool json;
    /* feeds, sorted by author */
    struct afeed *f;
    size_t nf, capf;
    /* governance entries, sorted by id */
    struct proto_gov *gov;
    size_t ngov, capgov;
    struct proto_roster roster;
    /* account totals recomputed from journals */
    uint64_t *debit, *credit; /* indexed by account code 0..9999 */
    /* findings */
    uint64_t nfindings;
    json_t *jfindings;
    uint64_t verified;
    /* second pass batch */
    struct verify_pool *pool;
    struct abatch bt[2]; /* one fills while the other verifies */
    struct abatch *cur, *busy;
    int err; /* a runtime failure inside a callback */
    /* the accounting, derived from the entries this audit verified (only for a ledger that
     * holds entries of the accounting kinds: a ledger of kind 16 journals alone is checked in
     * full by the account totals above, at no memory cost) */
    bool has_acct;
    struct books *bk;
};

static void finding(struct audit *a, const char *kind, const uint8_t *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void finding(struct audit *a, const char *kind, const uint8_t *id, const char *fmt, ...)
{
    char msg[512], hex[65];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    a->nfindings++;
    if (a->nfindings > FINDINGS_SHOWN)
        return;
    if (id)
        proto_hex(id, 32, hex);
    if (a->json) {
        json_t *o = json_object();

        json_object_set_new(o, "kind", json_string(kind));
        if (id)
            json_object_set_new(o, "id", json_string(hex));
        json_object_set_new(o, "message", json_string(msg));
        json_array_append_new(a->jfindings, o);
    } else if (id) {
        printf("TEMUAN/FINDING [%s] %.16s: %s\n", kind, hex, msg);
    } else {
        printf("TEMUAN/FINDING [%s] %s\n", kind, msg);
    }
}

static struct afeed *feed_get(struct audit *a, const uint8_t author[32])
{
    size_t lo = 0, hi = a->nf;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(a->f[mid].author, author, 32);

        if (c == 0)
            return &a->f[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int cmp_feed(const void *x, const void *y)
{
    return memcmp(((const struct afeed *)x)->author, ((const struct afeed *)y)->author, 32);
}

static int cmp_gov(const void *x, const void *y)
{
    return memcmp(((const struct proto_gov *)x)->id, ((const struct proto_gov *)y)->id, 32);
}

/* The kinds the books judge (docs/ACCOUNTING.md): 17 and 32..73. */
static bool acct_kind(uint64_t kind)
{
    return kind == PROTO_KIND_JOURNAL_A || (kind >= PROTO_KIND_PARAMS && kind <= 73);
}

/* First pass: feed shapes (unique prefix, forks) and the governance entries. */
static int pass1(const struct store_row *row, void *arg)
{
    struct audit *a = arg;
    struct afeed *f = a->nf ? &a->f[a->nf - 1] : NULL;
    struct proto_entry e;

    if (!f || memcmp(f->author, row->author, 32) != 0) {
        if (a->nf == a->capf) {
            size_t cap = a->capf ? a->capf * 2 : 64;
            struct afeed *p = realloc(a->f, cap * sizeof *p);

            if (!p)
                return -ENOMEM;
            a->f = p;
            a->capf = cap;
        }
        f = &a->f[a->nf++];
        memset(f, 0, sizeof *f);
        memcpy(f->author, row->author, 32);
        f->open = true;
    }
    if (row->seq == f->cur_seq) {
        /* Another entry at the same seq: a fork, which ends the unique prefix before it. */
        if (!f->fork_seq)
            f->fork_seq = row->seq;
        if (f->unique >= row->seq)
            f->unique = row->seq - 1;
        f->open = false;
    } else {
        f->cur_seq = row->seq;
        if (f->open && row->seq == f->unique + 1)
            f->unique = row->seq;
        else
            f->open = false;
    }
    /* Governance entries are few: parse them now (unverified; pass 2 verifies every entry). */
    if (proto_entry_peek(row->raw, row->len, &e) < 0)
        return 0;
    a->has_acct |= acct_kind(e.kind);
    if (e.kind == PROTO_KIND_ADMIT || e.kind == PROTO_KIND_REVOKE) {
        proto_entry_id(row->raw, row->len, e.id);
        struct proto_gov *g;

        if (a->ngov == a->capgov) {
            size_t cap = a->capgov ? a->capgov * 2 : 32;
            struct proto_gov *p = realloc(a->gov, cap * sizeof *p);

            if (!p)
                return -ENOMEM;
            a->gov = p;
            a->capgov = cap;
        }
        g = &a->gov[a->ngov];
        memset(g, 0, sizeof *g);
        memcpy(g->id, e.id, 32);
        memcpy(g->author, e.author, 32);
        g->seq = e.seq;
        g->kind = e.kind;
        if ((e.kind == PROTO_KIND_ADMIT && proto_admit_decode(e.body, e.body_len, &g->admit) < 0) ||
            (e.kind == PROTO_KIND_REVOKE &&
             proto_revoke_decode(e.body, e.body_len, &g->revoke) < 0))
            return 0; /* pass 2 reports it */
        a->ngov++;
    }
    return 0;
}

static uint64_t feed_unique(void *arg, const uint8_t author[32])
{
    struct afeed *f = feed_get(arg, author);

    return f ? f->unique : 0;
}

/* The id at a revocation's cut-off must be the one it names, else the cut moves one earlier. */
struct cutscan {
    uint64_t seq;
    uint8_t id[32];
    int n;
};

static int cut_row(const struct store_row *row, void *arg)
{
    struct cutscan *c = arg;

    if (row->seq == c->seq) {
        memcpy(c->id, row->id, 32);
        c->n++;
    }
    return row->seq > c->seq ? 1 : 0;
}

/*
 * Each revocation's effective cut-off: the seq it names if this replica holds exactly the entry
 * it names there, else one earlier.
 */
static int gov_cuts(struct audit *a)
{
    for (size_t j = 0; j < a->ngov; j++) {
        struct proto_gov *g = &a->gov[j];
        struct cutscan c = {g->revoke.last_seq, {0}, 0};
        int rc;

        if (g->kind != PROTO_KIND_REVOKE)
            continue;
        g->cut = g->revoke.last_seq;
        if (g->cut == 0)
            continue;
        rc = store_each_entry(a->st, g->revoke.device, cut_row, &c);
        if (rc < 0)
            return rc;
        if (c.n != 1 || memcmp(c.id, g->revoke.last_id, 32) != 0)
            g->cut--;
    }
    return 0;
}


/*
 * Checkpoints (80) and cosignatures (81) have no effect on the books; they are known kinds here
 * (docs/FORMATS.md 10.5): authored by pengurus and pengawas devices (or by the roles of the
 * policy's rule for the kind, if the genesis has one), and their bodies must decode.
 */
static void ckpt_check(struct audit *a, const struct store_row *row, const struct proto_entry *e,
                       uint8_t role)
{
    bool ruled = false, ok;

    for (uint32_t i = 0; i < a->g->policy.nrules; i++)
        ruled = ruled || a->g->policy.rules[i].kind == e->kind;
    ok = ruled ? proto_policy_allows(&a->g->policy, e->kind, role)
               : role == PROTO_ROLE_PENGURUS || role == PROTO_ROLE_PENGAWAS;
    if (!ok) {
        finding(a, "authority", row->id, "a %s may not author a %s entry: void",
                proto_role_name(role), proto_kind_name(e->kind));
        return;
    }
    if (e->kind == PROTO_KIND_CHECKPOINT) {
        struct proto_ckpt_entry *c = malloc(sizeof *c);

        if (c && proto_ckpt_entry_decode(e->body, e->body_len, c) < 0)
            finding(a, "format", row->id, "checkpoint body does not decode");
        free(c);
    } else {
        struct proto_cosign c;

        if (proto_cosign_decode(e->body, e->body_len, &c) < 0)
            finding(a, "format", row->id, "cosignature body does not decode");
    }
}
/* Checks one verified entry of the second pass. */
static void check_entry(struct audit *a, const struct store_row *row, struct verify_job *j)
{
    struct afeed *f = feed_get(a, row->author);
    struct proto_entry *e = &j->e;
    const struct proto_roster_dev *au;
    bool applied;

    a->verified++;
    if (j->rc < 0) {
        finding(a, "invalid", row->id, "stored entry fails verification: %s", err_str(j->rc));
        return;
    }
    if (memcmp(e->id, row->id, 32) != 0) {
        finding(a, "corrupt", row->id, "stored bytes do not hash to the id they are stored under");
        return;
    }
    if (memcmp(e->author, row->author, 32) != 0 || e->seq != row->seq) {
        finding(a, "corrupt", row->id, "stored under another author or seq than it states");
        return;
    }
    if (e->kind == PROTO_KIND_GENESIS ? memcmp(e->id, a->ledger, 32) != 0
                                      : memcmp(e->ledger, a->ledger, 32) != 0) {
        finding(a, "ledger", row->id, "entry of another ledger");
        return;
    }
    applied = f && row->seq <= f->applied;
    if (!applied)
        return; /* fork branches and entries beyond a cut are listed below */
    /* The chain: each applied entry names the one before it. */
    if (row->seq != f->expect_seq) {
        finding(a, "chain", row->id, "seq %llu where %llu was expected",
                (unsigned long long)row->seq, (unsigned long long)f->expect_seq);
        return;
    }
    if (row->seq > 1 && (!e->has_prev || memcmp(e->prev, f->last_id, 32) != 0))
        finding(a, "chain", row->id, "prev does not name the feed's entry at seq %llu",
                (unsigned long long)(row->seq - 1));
    proto_merkle_range_push(&f->range, e->id);
    memcpy(f->last_id, e->id, 32);
    f->expect_seq++;

    au = proto_roster_find(&a->roster, e->author);
    if (e->kind == PROTO_KIND_GENESIS)
        return;
    if (!au) {
        finding(a, "authority", row->id, "author is not on the roster");
        return;
    }
    if (a->has_acct && (e->kind == PROTO_KIND_JOURNAL || acct_kind(e->kind))) {
        int rc = books_entry(a->bk, e->id, e->author, e->seq, e->kind, e->body, e->body_len);

        if (rc < 0 && !a->err)
            a->err = rc;
        /* Accounting kinds: authority comes from the parameters in force (the books judge it). */
        if (e->kind != PROTO_KIND_JOURNAL)
            return;
    }
    if (e->kind == PROTO_KIND_CHECKPOINT || e->kind == PROTO_KIND_COSIGN) {
        ckpt_check(a, row, e, au->dev.role);
        return;
    }
    if (!proto_policy_allows(&a->g->policy, e->kind, au->dev.role)) {
        finding(a, "authority", row->id, "a %s may not author a %s entry: void",
                proto_role_name(au->dev.role), proto_kind_name(e->kind));
        return;
    }
    if (e->kind == PROTO_KIND_JOURNAL) {
        struct proto_journal jn;
        unsigned fl;
        uint64_t d, c;
        char rd[32], rc[32];

        if (proto_journal_decode(e->body, e->body_len, &jn) < 0) {
            finding(a, "format", row->id, "journal body does not decode");
            return;
        }
        fl = proto_journal_findings(&jn, a->g);
        proto_journal_totals(&jn, &d, &c);
        if (fl & PROTO_JF_UNBALANCED)
            finding(a, "unbalanced", row->id, "debits %s != credits %s", cli_rupiah(d, rd),
                    cli_rupiah(c, rc));
        if (fl & PROTO_JF_NO_ACCOUNT)
            finding(a, "account", row->id, "a line names an account not in the chart");
        if (fl & PROTO_JF_MEMBER_NO_SUB)
            finding(a, "account", row->id, "a member is named on an account without sub-ledger");
        if (fl & PROTO_JF_SUB_NO_MEMBER)
            finding(a, "account", row->id, "a line on a member sub-ledger account names no member");
        for (uint32_t i = 0; i < jn.nlines; i++) {
            a->debit[jn.lines[i].account] += jn.lines[i].debit;
            a->credit[jn.lines[i].account] += jn.lines[i].credit;
        }
    } else if (e->kind != PROTO_KIND_ADMIT && e->kind != PROTO_KIND_REVOKE) {
        if (e->kind == PROTO_KIND_NEWER)
            finding(a, "newer-version", row->id,
                    "entry of version %llu, newer than this saksi: stored, no effect here",
                    (unsigned long long)e->version);
        else
            finding(a, "unknown-kind", row->id, "kind %llu is unknown to this version: no effect",
                    (unsigned long long)e->kind);
    }
}

/* Checks a verified batch, in order, and empties it. */
static void check_batch(struct audit *a, struct abatch *bt)
{
    for (size_t i = 0; i < bt->n; i++)
        check_entry(a, &bt->rows[i], &bt->jobs[i]);
    bt->n = 0;
    bt->used = 0;
}

/*
 * Hands the filling batch to the pool and checks the previous one meanwhile, so that the
 * checks (in stream order) overlap the verification of what follows them.
 */
static void flush(struct audit *a)
{
    struct abatch *prev = a->busy;

    if (prev)
        verify_pool_wait(a->pool);
    if (a->cur->n > 0) {
        verify_pool_start(a->pool, a->cur->jobs, a->cur->n);
        a->busy = a->cur;
        a->cur = a->cur == &a->bt[0] ? &a->bt[1] : &a->bt[0];
    } else {
        a->busy = NULL;
    }
    if (prev)
        check_batch(a, prev);
}

static int pass2(const struct store_row *row, void *arg)
{
    struct audit *a = arg;
    struct abatch *bt = a->cur;

    if (bt->n == BATCH_N || bt->used + row->len > BATCH_BYTES + PROTO_ENTRY_MAX) {
        flush(a);
        bt = a->cur;
    }
    if (row->len > PROTO_ENTRY_MAX) {
        finding(a, "corrupt", row->id, "stored entry is larger than any valid entry");
        return 0;
    }
    memcpy(bt->arena + bt->used, row->raw, row->len);
    bt->rows[bt->n] = *row;
    bt->rows[bt->n].raw = bt->arena + bt->used;
    bt->jobs[bt->n].raw = bt->arena + bt->used;
    bt->jobs[bt->n].len = row->len;
    bt->used += row->len;
    bt->n++;
    return 0;
}

struct cmp_ctx {
    struct audit *a;
    size_t seen;
};

static int cmp_feedrow(const struct store_feed *sf, void *arg)
{
    struct cmp_ctx *c = arg;
    struct afeed *f = feed_get(c->a, sf->author);
    uint8_t root[32];

    c->seen++;
    if (!f) {
        finding(c->a, "derived", sf->author, "the store has a head for a feed with no entries");
        return 0;
    }
    proto_merkle_range_root(&f->range, root);
    if (sf->length != f->applied || memcmp(root, sf->root, 32) != 0)
        finding(c->a, "derived", sf->author,
                "feed head differs: store has length %llu, audit computes %llu",
                (unsigned long long)sf->length, (unsigned long long)f->applied);
    if (sf->fork_seq)
        finding(c->a, "fork", sf->author, "feed forked at seq %llu: frozen at seq %llu",
                (unsigned long long)sf->fork_seq, (unsigned long long)(sf->fork_seq - 1));
    return 0;
}

static int cmp_balance(const struct store_balance *b, void *arg)
{
    struct audit *a = arg;

    if (b->account > 9999 || (uint64_t)b->debit != a->debit[b->account] ||
        (uint64_t)b->credit != a->credit[b->account]) {
        finding(a, "derived", NULL, "stored balance of account %u differs from the journals",
                b->account);
        return 0;
    }
    /* Matched: clear, so that what remains afterwards is missing from the store. */
    a->debit[b->account] = 0;
    a->credit[b->account] = 0;
    return 0;
}

static int cmp_device(const struct store_device *d, void *arg)
{
    struct audit *a = arg;
    const struct proto_roster_dev *x = proto_roster_find(&a->roster, d->dev.sign_pk);

    if (!x || x->revoked != d->revoked || (x->revoked && x->cut_seq != d->cut_seq) ||
        x->dev.member != d->dev.member || x->dev.role != d->dev.role)
        finding(a, "derived", d->dev.sign_pk, "stored roster entry differs from the audit's");
    return 0;
}

static int cmp_fork(const struct store_fork *fk, void *arg)
{
    struct audit *a = arg;
    char ids[8 * 17 + 1] = "";
    size_t o = 0;

    for (uint32_t i = 0; i < fk->nids && i < 8; i++) {
        char h[65];

        proto_hex(fk->ids[i], 32, h);
        memcpy(ids + o, h, 16);
        o += 16;
        ids[o++] = i + 1 < fk->nids ? ' ' : '\0';
    }
    ids[o] = '\0';
    finding(a, "fork", fk->author, "two signed entries for seq %llu: %s",
            (unsigned long long)fk->seq, ids);
    return 0;
}

static void audit_release(struct audit *a)
{
    books_free(a->bk);
    proto_genesis_free(a->g);
    free(a->f);
    free(a->gov);
    proto_roster_release(&a->roster);
    free(a->debit);
    free(a->credit);
    for (int i = 0; i < 2; i++) {
        free(a->bt[i].jobs);
        free(a->bt[i].rows);
        free(a->bt[i].arena);
    }
    verify_pool_free(a->pool);
    json_decref(a->jfindings);
    store_close(a->st);
}

/* The audit's own books: the genesis, every device of the audit's roster. */
static int books_open(struct audit *a)
{
    struct proto_buf raw;
    struct proto_entry ge;
    int rc;

    proto_buf_init(&raw);
    rc = store_entry_get(a->st, a->ledger, &raw);
    if (rc == 0)
        rc = proto_entry_parse(raw.data, raw.len, &ge) < 0 ? ERR_STORE : 0;
    if (rc == 0)
        rc = books_new(a->g, a->ledger, ge.author, &a->bk);
    if (rc == 0)
        books_set_id_at(a->bk, store_books_id_at, a->st);
    proto_buf_release(&raw);
    for (size_t i = 0; rc == 0 && i < a->roster.n; i++)
        rc = books_device(a->bk, &a->roster.d[i].dev);
    return rc;
}

/*
 * Derives the books from the verified entries, reports their findings, and compares them with
 * the books the reports use (loaded from the store's applied entries): the neraca and pending
 * digests must agree.
 */
static int books_check(struct audit *a)
{
    const struct books_finding *f;
    struct books *sb = NULL;
    struct report_neraca n1, n2;
    struct report_pending p1, p2;
    size_t nf;
    int rc;

    if ((rc = books_derive(a->bk)) < 0 || (rc = yearend_check(a->bk)) < 0)
        return rc;
    f = books_findings(a->bk);
    nf = books_nfindings(a->bk);
    for (size_t i = 0; i < nf; i++) {
        char amt[32];
        const struct books_item *it = f[i].item >= 0 ? books_item(a->bk, (size_t)f[i].item) : NULL;

        /* (Kind 16 journals' line findings are reported above, in the audit's own words.) */
        if (it && it->kind == PROTO_KIND_JOURNAL &&
            (f[i].code == BOOKS_F_UNBALANCED || f[i].code == BOOKS_F_ACCOUNT ||
             f[i].code == BOOKS_F_PATTERN))
            continue;
        cli_rupiah(f[i].amount < 0 ? (uint64_t)-f[i].amount : (uint64_t)f[i].amount, amt);
        finding(a, books_code_name(f[i].code), it ? it->id : NULL,
                "accounting finding (severity %d) dated %u: member %u, account %u, amount %s%s"
                " (saksi report findings explains it)",
                f[i].severity, (unsigned)f[i].date, (unsigned)f[i].member, (unsigned)f[i].account,
                f[i].amount < 0 ? "-" : "", amt);
    }
    if ((rc = store_books(a->st, &sb)) < 0)
        return rc;
    rc = report_neraca(a->bk, 99991231, &n1);
    if (rc == 0) {
        if ((rc = report_neraca(sb, 99991231, &n2)) == 0) {
            if (memcmp(n1.meta.digest, n2.meta.digest, 32) != 0)
                finding(a, "derived", NULL,
                        "the balances the reports use differ from the ones recomputed here");
            report_neraca_free(&n2);
        }
        report_neraca_free(&n1);
    }
    if (rc == 0 && (rc = report_pending(a->bk, 99991231, 0, &p1)) == 0) {
        if ((rc = report_pending(sb, 99991231, 0, &p2)) == 0) {
            if (memcmp(p1.meta.digest, p2.meta.digest, 32) != 0)
                finding(a, "derived", NULL,
                        "the items waiting for approval differ from the ones recomputed here");
            report_pending_free(&p2);
        }
        report_pending_free(&p1);
    }
    /* The statement cache, when current, must be the slices of these books. */
    if (rc == 0 && cli_books_cache_on()) {
        int c = store_books_cache_check(a->st, a->data_dir, a->bk);
        char path[4096];

        if (c == 2) {
            finding(a, "cache", NULL,
                    "the statement cache (books.cache) differs from the books recomputed here: "
                    "deleted");
            if (store_books_cache_path(a->data_dir, path, sizeof path) == 0)
                (void)unlink(path);
        } else if (c < 0) {
            rc = c;
        }
    }
    books_free(sb);
    return rc;
}

static int run(struct audit *a, uint8_t head[32], struct store_head *sh)
{
    struct proto_head_feed *hf = NULL;
    struct cmp_ctx cc = {a, 0};
    size_t nh = 0;
    int rc;

    if ((rc = store_ledger_id(a->st, a->ledger)) < 0 || (rc = store_genesis(a->st, &a->g)) < 0)
        return rc;
    if ((rc = store_each_entry(a->st, NULL, pass1, a)) < 0)
        return rc;
    if (a->nf)
        qsort(a->f, a->nf, sizeof *a->f, cmp_feed);
    if (a->ngov)
        qsort(a->gov, a->ngov, sizeof *a->gov, cmp_gov);
    if ((rc = gov_cuts(a)) < 0 || (rc = proto_roster_compute(a->g, a->ledger, a->gov, a->ngov,
                                                             feed_unique, a, &a->roster)) < 0)
        return rc;
    /* Roster rules that authority does not enforce: one device, one transport key. */
    for (size_t i = 0; i < a->roster.n; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(a->roster.d[i].dev.box_pk, a->roster.d[j].dev.box_pk, 32) == 0)
                finding(a, "roster", a->roster.d[i].dev.sign_pk,
                        "shares its transport key with another device");
    for (size_t i = 0; i < a->ngov; i++)
        for (size_t j = 0; j < i; j++)
            if (a->gov[i].kind == PROTO_KIND_ADMIT && a->gov[j].kind == PROTO_KIND_ADMIT &&
                memcmp(a->gov[i].admit.sign_pk, a->gov[j].admit.sign_pk, 32) == 0)
                finding(a, "roster", a->gov[i].id,
                        "admits a device that another admission already names; the lower id "
                        "stands");
    for (size_t i = 0; i < a->nf; i++) {
        a->f[i].applied = proto_roster_applied(&a->roster, a->f[i].author, a->f[i].unique);
        a->f[i].expect_seq = 1;
        proto_merkle_range_init(&a->f[i].range);
    }
    a->debit = calloc(10000, sizeof *a->debit);
    a->credit = calloc(10000, sizeof *a->credit);
    if (!a->debit || !a->credit)
        return -ENOMEM;
    for (int i = 0; i < 2; i++) {
        a->bt[i].jobs = calloc(BATCH_N, sizeof *a->bt[i].jobs);
        a->bt[i].rows = calloc(BATCH_N, sizeof *a->bt[i].rows);
        a->bt[i].arena = malloc(BATCH_BYTES + 2 * PROTO_ENTRY_MAX);
        if (!a->bt[i].jobs || !a->bt[i].rows || !a->bt[i].arena)
            return -ENOMEM;
    }
    a->cur = &a->bt[0];
    if ((rc = books_open(a)) < 0)
        return rc;
    if ((rc = verify_pool_new(0, &a->pool)) < 0)
        return rc;
    rc = store_each_entry(a->st, NULL, pass2, a);
    /* Drain: the filling batch goes to the pool, then the last one is checked. */
    flush(a);
    flush(a);
    if (rc < 0)
        return rc;
    if (a->err)
        return a->err;
    if (a->has_acct && (rc = books_check(a)) < 0)
        return rc;

    /* The head, from the audit's own feed roots. */
    hf = calloc(a->nf ? a->nf : 1, sizeof *hf);
    if (!hf)
        return -ENOMEM;
    for (size_t i = 0; i < a->nf; i++) {
        if (a->f[i].applied == 0)
            continue;
        if (a->f[i].range.n != a->f[i].applied)
            finding(a, "chain", a->f[i].author, "feed has %llu verified entries, %llu expected",
                    (unsigned long long)a->f[i].range.n, (unsigned long long)a->f[i].applied);
        memcpy(hf[nh].author, a->f[i].author, 32);
        hf[nh].length = a->f[i].range.n;
        proto_merkle_range_root(&a->f[i].range, hf[nh].root);
        nh++;
    }
    rc = proto_head_compute(hf, nh, head);
    free(hf);
    if (rc < 0)
        return ERR_STORE;

    /* Compare with the store's derived state. */
    if ((rc = store_head_get(a->st, sh)) < 0)
        return rc;
    if (memcmp(sh->head, head, 32) != 0)
        finding(a, "derived", NULL, "the store's ledger head differs from the recomputed one");
    if ((rc = store_each_feed(a->st, cmp_feedrow, &cc)) < 0 ||
        (rc = store_each_balance(a->st, cmp_balance, a)) < 0 ||
        (rc = store_each_device(a->st, cmp_device, a)) < 0 ||
        (rc = store_each_fork(a->st, cmp_fork, a)) < 0)
        return rc;
    for (uint32_t acct = 0; acct < 10000; acct++)
        if (a->debit[acct] || a->credit[acct])
            finding(a, "derived", NULL, "account %u has postings the store does not count", acct);
    for (size_t i = 0; i < a->roster.n; i++) {
        struct store_device d;

        if (store_device_get(a->st, a->roster.d[i].dev.sign_pk, &d) == -ENOENT)
            finding(a, "derived", a->roster.d[i].dev.sign_pk,
                    "device on the audit's roster is missing from the store's");
    }
    return 0;
}

int cmd_audit(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct audit a;
    struct store_head sh;
    uint8_t head[32];
    char hex[65], lhex[65];
    int c, rc, ex;

    memset(&a, 0, sizeof a);
    a.json = ctx->json;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hj", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            puts("usage: saksi audit [--json]\n"
                 "\n"
                 "Re-verifies the whole ledger from the raw entries, independently of the\n"
                 "store's derived state: every id and signature, every feed chain and Merkle\n"
                 "root, the roster and the authority of every entry, every journal's balance,\n"
                 "every account total, and forks. Prints each finding and the ledger head it\n"
                 "computed, which must equal the head on every other device holding the same\n"
                 "entries.\n"
                 "\n"
                 "Exit codes: 0 clean, 1 findings, 2 usage, 3 runtime (no ledger, I/O).");
            return cli_stdout_done();
        case 'j':
            a.json = true;
            break;
        default:
            return cli_opt_error("audit", c, argv);
        }
    }
    if (optind != argc)
        return cli_usage("audit", "unexpected argument '%s'", argv[optind]);
    a.data_dir = ctx->data_dir;
    rc = cli_store_open_ro(ctx, &a.st);
    if (rc < 0) {
        cli_err("cannot open the ledger in '%s': %s", ctx->data_dir, err_str(rc));
        return CLI_RUNTIME;
    }
    if (a.json)
        a.jfindings = json_array();
    rc = run(&a, head, &sh);
    if (rc < 0) {
        cli_err("audit failed: %s", err_str(rc));
        audit_release(&a);
        return CLI_RUNTIME;
    }
    proto_hex(head, 32, hex);
    proto_hex(a.ledger, 32, lhex);
    ex = a.nfindings ? CLI_NEG : CLI_OK;
    if (a.json) {
        json_t *o = json_object();

        json_object_set_new(o, "ledger_id", json_string(lhex));
        json_object_set_new(o, "head", json_string(hex));
        json_object_set_new(o, "entries_verified", json_integer((json_int_t)a.verified));
        json_object_set_new(o, "feeds", json_integer((json_int_t)a.nf));
        json_object_set_new(o, "pending", json_integer((json_int_t)sh.pending));
        json_object_set_new(o, "findings_count", json_integer((json_int_t)a.nfindings));
        json_object_set_new(o, "findings", a.jfindings);
        a.jfindings = NULL;
        json_object_set_new(o, "clean", json_boolean(a.nfindings == 0));
        if (cli_json_out(o) != CLI_OK)
            ex = CLI_RUNTIME;
    } else {
        if (a.nfindings > FINDINGS_SHOWN)
            printf("... and %llu more findings\n",
                   (unsigned long long)(a.nfindings - FINDINGS_SHOWN));
        printf("ID ledger (ledger id):   %s\n"
               "Kepala ledger (head):    %s\n"
               "Entri diverifikasi:      %llu (entries verified, %zu feeds, %llu pending)\n"
               "%s\n",
               lhex, hex, (unsigned long long)a.verified, a.nf, (unsigned long long)sh.pending,
               a.nfindings ? "Hasil: ADA TEMUAN (result: findings)"
                           : "Hasil: BERSIH (result: clean)");
        if (cli_stdout_done() != CLI_OK)
            ex = CLI_RUNTIME;
    }
    audit_release(&a);
    return ex;
}
