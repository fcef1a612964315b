/*
 * The books: statuses, postings, register and findings derived from a set of entries
 * (proto/books.h, docs/ACCOUNTING.md section 4). Everything here is a function of the set: the
 * items are sorted by id before anything is decided, and every loop that could see two
 * candidates walks them in id order.
 */
#include "proto/books.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/checkpoint.h"
#include "proto/close.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/loan.h"
#include "proto/savings.h"

#define NO_ITEM UINT32_MAX

struct sref {
    uint32_t target; /* item index of the target */
    uint32_t sign;   /* item index of the sign */
    uint8_t decision;
    const struct proto_device *dev; /* the sign's author */
};

struct dev {
    struct proto_device d;
};

struct regev {
    uint32_t member;
    uint32_t date;
    uint32_t item;  /* tie-break: item index (= id order) */
    uint8_t status; /* enum books_member_status it sets */
};

/* A reversal (64) and the item it names (ACCOUNTING.md 3.9). */
struct rref {
    uint32_t target; /* item index of the target; NO_ITEM when the set does not hold it */
    uint32_t rev;    /* item index of the reversal */
    uint32_t date;   /* the reversal's date */
    uint8_t tid[32]; /* the target's id */
};

struct version {
    uint32_t item;
    uint32_t in_force;
    struct proto_params *p;
};

/* A loan and its events (effective repayments and late fees, by (date, item)). */
struct loan {
    struct books_loan pub;
    uint32_t *ev;
    size_t nev;
};

/* An effective close: its period, its frontier (inline rows and parts merged, by author) and the
 * books of the set it closed (ACCOUNTING.md 4.5). */
struct cls {
    struct books_close pub;
    uint8_t id[32];
    struct proto_frontier_row *rows;
    size_t nrows;
    struct books *closed;
};

struct bitem {
    struct books_item pub;
    const uint8_t *body; /* in bk->arena */
    uint32_t len;
    uint8_t state;    /* 0 undecided, 1 deciding, 2 decided */
    uint32_t pidx;    /* kind 32: index into bk->params, else NO_ITEM */
    bool term;        /* kind 48: a berjangka placement (the body has a term) */
    uint32_t iperiod; /* kind 50: its period (YYYYMM) */
    char iproduct[PROTO_PARAMS_CODE_MAX + 1]; /* kind 50: its product */
    uint32_t post_date; /* a close: the last day of its period (else 0: its business date) */
};

/* Body bytes, copied into large chunks rather than one allocation each. */
#define ARENA_CHUNK (1u << 20)

struct arena {
    uint8_t **chunks;
    size_t nchunks, capchunks;
    size_t used; /* bytes used in the last chunk */
    size_t size; /* size of the last chunk */
};

struct books {
    struct proto_genesis *g;
    struct arena arena;
    uint8_t ledger[32];
    uint8_t gauthor[32];
    bool derived;
    struct bitem *items;
    size_t nitems, capitems;
    struct dev *devs;
    size_t ndevs, capdevs;
    struct sref *srefs; /* sorted by (target, sign) */
    size_t nsrefs;
    struct proto_params **params; /* decoded kind 32 bodies (item pidx) */
    size_t nparams;
    struct version *versions; /* effective versions, in decision order */
    size_t nversions;
    struct books_posting *postings;
    size_t npostings, cappostings;
    struct books_finding *findings;
    size_t nfindings, capfindings;
    struct regev *reg; /* effective 40/41 by (member, date, item) */
    size_t nreg;
    uint32_t *members;
    size_t nmembers;
    uint32_t *officers;
    size_t nofficers;
    bool oom;           /* an allocation failed while deciding: books_derive returns -ENOMEM */
    struct loan *loans; /* by loan id (application item order) */
    size_t nloans;
    struct bal *bal_m, *bal_a; /* balance indexes (see books_balance) */
    size_t nbal_m, nbal_a;
    uint32_t *by_am; /* posting indices by (account, member, date, item, line); until overdrawn */
    uint32_t *lb;              /* loan indices by (borrower, loan id) */
    struct legacy *legacy;     /* unregistered members with capital, by member */
    size_t nlegacy;
    struct books_placement *placements; /* effective berjangka deposits, by item */
    size_t nplacements;
    struct books_tref *trefs; /* entries of kinds 80, 81 (books_trefs) */
    size_t ntrefs, captrefs;
    books_id_at_fn id_at; /* the set's (author, seq) -> id, for close frontiers */
    void *id_ctx;
    struct cls *closes; /* effective closes by (end, id) */
    size_t ncloses, capcloses;
    /* The books of a closed year (built by its parent for one close): the close taken as
     * effective, and the parent's earlier closes deciding posting dates. */
    bool is_closed; /* forced is set */
    uint8_t forced[32];
    const struct books *parent;
    size_t parent_ncloses;
    /* Reversals (kind 64): see the section "reversals". */
    struct rref *rrefs; /* decodable reversals by (target, reversal) */
    size_t nrrefs;
    uint32_t *rev_rref; /* per item: its index in rrefs, else NO_ITEM */
    uint32_t *rev_eff;  /* per item: its effective reversal, else NO_ITEM */
};

/* Reversals (ACCOUNTING.md 3.9): the section "reversals" below. */
static int reversals_index(struct books *bk, struct proto_acct_body *b);
static int decide_reverse(struct books *bk, uint32_t r);
static int cancelled_by(struct books *bk, uint32_t t);
static int cancel_hook(struct books *bk, uint32_t t);
static int reverse_postings(struct books *bk);
static int reverse_register(struct books *bk);
static int reverse_loans(struct books *bk);
static size_t item_subjects(const struct books *bk, uint32_t t, uint32_t *out, size_t max,
                            int depth);

/* qsort() that accepts an empty (possibly NULL) array. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/* ---- small helpers ---- */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    q = realloc(*p, n * size);
    if (!q)
        return -ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

static size_t uniq_u32(uint32_t *v, size_t n)
{
    size_t m = 0;

    sort_n(v, n, sizeof *v, cmp_u32);
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[m - 1] != v[i])
            v[m++] = v[i];
    return m;
}

static bool has_u32(const uint32_t *v, size_t n, uint32_t x)
{
    return n > 0 && bsearch(&x, v, n, sizeof *v, cmp_u32) != NULL;
}

/*
 * Stable LSD radix sort of the permutation idx[0..n) by key[idx[k]] (16 bits a pass; a pass in
 * which every key has the same digit changes nothing and is skipped). tmp holds n indices.
 * Returns the sorted permutation: idx or tmp.
 */
static uint32_t *radix_by(uint32_t *idx, uint32_t *tmp, const uint32_t *key, size_t n,
                          size_t *count)
{
    for (unsigned shift = 0; shift < 32; shift += 16) {
        size_t sum = 0;
        bool one = false;
        uint32_t *t;

        memset(count, 0, 65536 * sizeof *count);
        for (size_t k = 0; k < n; k++)
            count[(key[idx[k]] >> shift) & 0xffff]++;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];

            one |= c == n;
            count[d] = sum;
            sum += c;
        }
        if (one)
            continue;
        for (size_t k = 0; k < n; k++)
            tmp[count[(key[idx[k]] >> shift) & 0xffff]++] = idx[k];
        t = idx;
        idx = tmp;
        tmp = t;
    }
    return idx;
}

static uint32_t day_add(uint32_t ymd, int32_t days)
{
    int32_t d;
    uint32_t out;

    if (proto_day_from_ymd(ymd, &d) < 0 || proto_day_to_ymd(d + days, &out) < 0)
        return ymd;
    return out;
}

/* ---- building ---- */

int books_new(const struct proto_genesis *g, const uint8_t ledger_id[32],
              const uint8_t genesis_author[32], struct books **out)
{
    struct books *bk = calloc(1, sizeof *bk);

    *out = NULL;
    if (!bk)
        return -ENOMEM;
    bk->g = calloc(1, sizeof *bk->g);
    if (!bk->g)
        goto nomem;
    *bk->g = *g;
    bk->g->accounts = NULL;
    bk->g->roster = NULL;
    if (g->naccounts) {
        bk->g->accounts = malloc(g->naccounts * sizeof *g->accounts);
        if (!bk->g->accounts)
            goto nomem;
        memcpy(bk->g->accounts, g->accounts, g->naccounts * sizeof *g->accounts);
    }
    if (g->nroster) {
        bk->g->roster = malloc(g->nroster * sizeof *g->roster);
        if (!bk->g->roster)
            goto nomem;
        memcpy(bk->g->roster, g->roster, g->nroster * sizeof *g->roster);
    }
    memcpy(bk->ledger, ledger_id, 32);
    memcpy(bk->gauthor, genesis_author, 32);
    for (uint32_t i = 0; i < g->nroster; i++)
        if (books_device(bk, &g->roster[i]) < 0)
            goto nomem;
    *out = bk;
    return 0;
nomem:
    books_free(bk);
    return -ENOMEM;
}

void books_free(struct books *bk)
{
    if (!bk)
        return;
    for (size_t i = 0; i < bk->arena.nchunks; i++)
        free(bk->arena.chunks[i]);
    free(bk->arena.chunks);
    free(bk->items);
    free(bk->devs);
    free(bk->srefs);
    for (size_t i = 0; i < bk->nparams; i++)
        free(bk->params[i]);
    free(bk->params);
    free(bk->versions);
    free(bk->postings);
    free(bk->findings);
    free(bk->reg);
    free(bk->members);
    free(bk->officers);
    for (size_t i = 0; i < bk->nloans; i++)
        free(bk->loans[i].ev);
    free(bk->loans);
    free(bk->bal_m);
    free(bk->bal_a);
    free(bk->by_am);
    free(bk->lb);
    free(bk->legacy);
    free(bk->placements);
    for (size_t i = 0; i < bk->ncloses; i++) {
        free(bk->closes[i].rows);
        books_free(bk->closes[i].closed);
    }
    free(bk->closes);
    free(bk->trefs);
    free(bk->rrefs);
    free(bk->rev_rref);
    free(bk->rev_eff);
    if (bk->g) {
        free(bk->g->accounts);
        free(bk->g->roster);
        free(bk->g);
    }
    free(bk);
}

static int cmp_dev(const void *a, const void *b)
{
    return memcmp(((const struct dev *)a)->d.sign_pk, ((const struct dev *)b)->d.sign_pk, 32);
}

int books_device(struct books *bk, const struct proto_device *d)
{
    for (size_t i = 0; i < bk->ndevs; i++)
        if (memcmp(bk->devs[i].d.sign_pk, d->sign_pk, 32) == 0)
            return 0; /* the first record of a key stands (a key is admitted once) */
    if (grow((void **)&bk->devs, &bk->capdevs, bk->ndevs + 1, sizeof *bk->devs) < 0)
        return -ENOMEM;
    bk->devs[bk->ndevs++].d = *d;
    return 0;
}

static bool kind_relevant(uint64_t kind)
{
    return kind == PROTO_KIND_JOURNAL || kind == PROTO_KIND_JOURNAL_A ||
           (kind >= PROTO_KIND_PARAMS && kind <= 73);
}

/* A copy of len bytes in the arena; NULL when out of memory. */
static const uint8_t *arena_copy(struct arena *a, const uint8_t *p, size_t len)
{
    uint8_t *dst;

    if (a->nchunks == 0 || a->size - a->used < len) {
        size_t size = len > ARENA_CHUNK ? len : ARENA_CHUNK;

        if (grow((void **)&a->chunks, &a->capchunks, a->nchunks + 1, sizeof *a->chunks) < 0)
            return NULL;
        a->chunks[a->nchunks] = malloc(size);
        if (!a->chunks[a->nchunks])
            return NULL;
        a->nchunks++;
        a->used = 0;
        a->size = size;
    }
    dst = a->chunks[a->nchunks - 1] + a->used;
    if (len)
        memcpy(dst, p, len);
    a->used += len;
    return dst;
}

int books_entry(struct books *bk, const uint8_t id[32], const uint8_t author[32], uint64_t seq,
                uint64_t kind, const uint8_t *body, size_t len)
{
    struct bitem *it;

    if (bk->derived)
        return -EINVAL;
    if (kind == PROTO_KIND_CHECKPOINT || kind == PROTO_KIND_COSIGN) {
        struct books_tref *t;

        if (grow((void **)&bk->trefs, &bk->captrefs, bk->ntrefs + 1, sizeof *bk->trefs) < 0)
            return -ENOMEM;
        t = &bk->trefs[bk->ntrefs++];
        memcpy(t->id, id, 32);
        memcpy(t->author, author, 32);
        t->seq = seq;
        t->kind = (uint32_t)kind;
        return 0;
    }
    if (!kind_relevant(kind))
        return 0;
    if (bk->nitems >= BOOKS_ENTRIES_MAX || len > UINT32_MAX)
        return ERR_TOOBIG;
    if (grow((void **)&bk->items, &bk->capitems, bk->nitems + 1, sizeof *bk->items) < 0)
        return -ENOMEM;
    it = &bk->items[bk->nitems];
    memset(it, 0, sizeof *it);
    it->body = arena_copy(&bk->arena, body, len);
    if (!it->body)
        return -ENOMEM;
    it->len = (uint32_t)len;
    memcpy(it->pub.id, id, 32);
    memcpy(it->pub.author, author, 32);
    it->pub.seq = seq;
    it->pub.kind = (uint32_t)kind;
    it->pidx = NO_ITEM;
    bk->nitems++;
    return 0;
}

/* ---- lookups ---- */

static int cmp_item(const void *a, const void *b)
{
    return memcmp(((const struct bitem *)a)->pub.id, ((const struct bitem *)b)->pub.id, 32);
}

static uint32_t item_index(const struct books *bk, const uint8_t id[32])
{
    size_t lo = 0, hi = bk->nitems;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(bk->items[mid].pub.id, id, 32);

        if (c == 0)
            return (uint32_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NO_ITEM;
}

static const struct proto_device *dev_find(const struct books *bk, const uint8_t pk[32])
{
    struct dev key;
    const struct dev *d;

    memcpy(key.d.sign_pk, pk, 32);
    d = bk->ndevs ? bsearch(&key, bk->devs, bk->ndevs, sizeof *bk->devs, cmp_dev) : NULL;
    return d ? &d->d : NULL;
}

size_t books_nitems(const struct books *bk)
{
    return bk->nitems;
}

const struct books_item *books_item(const struct books *bk, size_t i)
{
    return i < bk->nitems ? &bk->items[i].pub : NULL;
}

size_t books_index(const struct books *bk, const uint8_t id[32])
{
    uint32_t i = item_index(bk, id);

    return i == NO_ITEM ? SIZE_MAX : i;
}

const struct books_item *books_find(const struct books *bk, const uint8_t id[32])
{
    uint32_t i = item_index(bk, id);

    return i == NO_ITEM ? NULL : &bk->items[i].pub;
}

const uint8_t *books_body_raw(const struct books *bk, size_t i, size_t *len)
{
    if (i >= bk->nitems) {
        *len = 0;
        return NULL;
    }
    *len = bk->items[i].len;
    return bk->items[i].body;
}

int books_body(const struct books *bk, size_t i, struct proto_acct_body *out)
{
    const struct bitem *it;

    if (i >= bk->nitems)
        return -EINVAL;
    it = &bk->items[i];
    if (it->pub.status == BOOKS_MALFORMED)
        return ERR_BODY;
    if (it->pub.kind == PROTO_KIND_JOURNAL) {
        out->kind = PROTO_KIND_JOURNAL_A;
        out->u.ja.nevidence = 0; /* (the journal decoder overwrites the journal whole) */
        return proto_journal_decode(it->body, it->len, &out->u.ja.j);
    }
    if (!proto_acct_kind_known(it->pub.kind))
        return ERR_BODY;
    return proto_acct_decode(it->pub.kind, it->body, it->len, out);
}

size_t books_npostings(const struct books *bk)
{
    return bk->npostings;
}

const struct books_posting *books_postings(const struct books *bk)
{
    return bk->postings;
}

size_t books_nfindings(const struct books *bk)
{
    return bk->nfindings;
}

const struct books_finding *books_findings(const struct books *bk)
{
    return bk->findings;
}

const struct proto_genesis *books_genesis(const struct books *bk)
{
    return bk->g;
}

const uint8_t *books_ledger_id(const struct books *bk)
{
    return bk->ledger;
}

/* J(d): the effective version in force on d (ties: more approvers, then lower id). */
static const struct version *version_at(const struct books *bk, uint32_t ymd)
{
    const struct version *best = NULL;

    for (size_t i = 0; i < bk->nversions; i++) {
        const struct version *v = &bk->versions[i];
        const struct books_item *a, *b;

        if (v->in_force > ymd)
            continue;
        if (!best || v->in_force > best->in_force) {
            best = v;
            continue;
        }
        if (v->in_force < best->in_force)
            continue;
        a = &bk->items[v->item].pub;
        b = &bk->items[best->item].pub;
        if (a->approvers > b->approvers ||
            (a->approvers == b->approvers && memcmp(a->id, b->id, 32) < 0))
            best = v;
    }
    return best;
}

const struct proto_params *books_params_at(const struct books *bk, uint32_t ymd)
{
    const struct version *v = version_at(bk, ymd);

    return v ? v->p : NULL;
}

const struct proto_account *books_account(const struct books *bk, uint32_t code, uint32_t ymd)
{
    const struct proto_account *a = proto_genesis_account(bk->g, code), *added = NULL;
    uint32_t best = 0;

    if (a)
        return a;
    /* Accounts never disappear; the latest version in force that adds the code names it. */
    for (size_t i = 0; i < bk->nversions; i++) {
        const struct version *v = &bk->versions[i];

        if (v->in_force > ymd || (added && v->in_force < best))
            continue;
        for (uint32_t k = 0; k < v->p->nadd; k++)
            if (v->p->add[k].code == code) {
                added = &v->p->add[k];
                best = v->in_force;
            }
    }
    return added;
}

/* ---- findings ---- */

int books_code_severity(int code)
{
    switch (code) {
    case BOOKS_F_PARAMS_CONFLICT:
    case BOOKS_F_APPROVED_DESPITE_REJECTION:
    case BOOKS_F_WITNESSED:
    case BOOKS_F_WAITING_AGED:
    case BOOKS_F_ACCOUNT:
    case BOOKS_F_PATTERN:
    case BOOKS_F_PRODUCT:
    case BOOKS_F_NOT_MEMBER:
    case BOOKS_F_DUPLICATE_ADMISSION:
    case BOOKS_F_POKOK_AMOUNT:
    case BOOKS_F_EXIT_AMOUNTS:
    case BOOKS_F_TERMS:
    case BOOKS_F_LIMIT:
    case BOOKS_F_DELINQUENT_BORROWER:
    case BOOKS_F_ALLOCATION:
    case BOOKS_F_OVERPAYMENT:
    case BOOKS_F_DATE_ORDER:
    case BOOKS_F_INTEREST_MISMATCH:
    case BOOKS_F_INTEREST_MISSING:
    case BOOKS_F_LATE_POSTING:
    case BOOKS_F_CLOSE_EARLY:
    case BOOKS_F_SHU_INCOMPLETE:
    case BOOKS_F_ELIGIBLE_COUNT:
    case BOOKS_F_CANCEL_REFUSED:
    case BOOKS_F_REVERSE_INVALID:
    case BOOKS_F_DUPLICATE_REVERSAL:
    case BOOKS_F_REPAY_WRITTEN_OFF:
    case BOOKS_F_PPAP:
        return BOOKS_ATTENTION;
    case BOOKS_F_MEMBER_UNREGISTERED:
    case BOOKS_F_OFFICER_LOAN:
    case BOOKS_F_LATE_FEE_MISMATCH:
        return BOOKS_INFO;
    default:
        return BOOKS_SERIOUS;
    }
}

static int finding(struct books *bk, int code, uint32_t date, uint32_t item, uint32_t member,
                   uint32_t account, int64_t amount, int64_t d0, int64_t d1)
{
    struct books_finding *f;

    if (grow((void **)&bk->findings, &bk->capfindings, bk->nfindings + 1, sizeof *bk->findings) < 0)
        return -ENOMEM;
    f = &bk->findings[bk->nfindings++];
    memset(f, 0, sizeof *f);
    f->code = (uint16_t)code;
    f->severity = (uint8_t)books_code_severity(code);
    f->date = date;
    f->item = item == NO_ITEM ? -1 : (int64_t)item;
    f->member = member;
    f->account = account;
    f->amount = amount;
    f->detail[0] = d0;
    f->detail[1] = d1;
    return 0;
}

static int cmp_finding(const void *a, const void *b)
{
    const struct books_finding *x = a, *y = b;

    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1; /* item order is id order; -1 (none) first */
    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    if (x->account != y->account)
        return x->account < y->account ? -1 : 1;
    if (x->amount != y->amount)
        return x->amount < y->amount ? -1 : 1;
    if (x->detail[0] != y->detail[0])
        return x->detail[0] < y->detail[0] ? -1 : 1;
    return (x->detail[1] > y->detail[1]) - (x->detail[1] < y->detail[1]);
}

/* ---- approvals (ACCOUNTING.md 2.3) and countersignature (2.5) ---- */

struct signer {
    uint32_t member;
    uint8_t role;     /* lowest role number among the member's signing devices */
    uint32_t offices; /* office bits of the member's signing pengurus devices */
};

static int cmp_sref(const void *a, const void *b)
{
    const struct sref *x = a, *y = b;

    if (x->target != y->target)
        return x->target < y->target ? -1 : 1;
    return x->sign < y->sign ? -1 : x->sign > y->sign;
}

/* Range [*lo, *hi) of the srefs of target t. */
static void srefs_of(const struct books *bk, uint32_t t, size_t *lo, size_t *hi)
{
    size_t a = 0, b = bk->nsrefs;

    while (a < b) {
        size_t mid = a + (b - a) / 2;

        if (bk->srefs[mid].target < t)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < bk->nsrefs && bk->srefs[a].target == t)
        a++;
    *hi = a;
}

static void signer_add(struct signer *v, size_t *n, const struct proto_device *d)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (v[i].member == d->member)
            break;
    if (i == *n) {
        v[i].member = d->member;
        v[i].role = d->role;
        v[i].offices = 0;
        (*n)++;
    } else if (d->role < v[i].role) {
        v[i].role = d->role;
    }
    if (d->role == PROTO_ROLE_PENGURUS && d->office)
        v[i].offices |= PROTO_OFFICE_BIT(d->office);
}

static uint32_t popcount32(uint32_t x)
{
    uint32_t n = 0;

    for (; x; x &= x - 1)
        n++;
    return n;
}

/*
 * Counts the approvals on item t against requirement (need_p, need_w, offices): the author plus
 * every approve-sign, by distinct member, subjects excluded. Fills the item's approvers,
 * rejects and missing_*; returns whether the requirement is met.
 */
static bool approvals(struct books *bk, uint32_t t, const uint32_t *subj, size_t nsubj,
                      uint32_t need_p, uint32_t need_w, uint32_t need_off)
{
    struct bitem *it = &bk->items[t];
    struct signer *sg;
    uint32_t *rej;
    size_t lo, hi, n = 0, nrej = 0;
    uint32_t have_p = 0, have_w = 0, offices = 0;
    const struct proto_device *ad = dev_find(bk, it->pub.author);
    bool met;

    srefs_of(bk, t, &lo, &hi);
    sg = calloc(hi - lo + 2, sizeof *sg);
    rej = calloc(hi - lo + 1, sizeof *rej);
    if (!sg || !rej) {
        free(sg);
        free(rej);
        bk->oom = true;
        return false;
    }
    if (ad && !has_u32(subj, nsubj, ad->member))
        signer_add(sg, &n, ad);
    for (size_t k = lo; k < hi; k++) {
        const struct proto_device *d = bk->srefs[k].dev;

        if (bk->srefs[k].decision == PROTO_SIGN_REJECT) {
            rej[nrej++] = d->member;
            continue;
        }
        if (!has_u32(subj, nsubj, d->member))
            signer_add(sg, &n, d);
    }
    for (size_t i = 0; i < n; i++) {
        if (sg[i].role == PROTO_ROLE_PENGURUS) {
            have_p++;
            offices |= sg[i].offices;
        } else if (sg[i].role == PROTO_ROLE_PENGAWAS) {
            have_w++;
        }
    }
    it->pub.approvers = (uint32_t)n;
    it->pub.rejects = (uint32_t)uniq_u32(rej, nrej);
    it->pub.missing_pengurus = need_p > have_p ? need_p - have_p : 0;
    it->pub.missing_pengawas = need_w > have_w ? need_w - have_w : 0;
    it->pub.missing_offices = need_off & ~offices;
    /* Missing offices need pengurus of their own when the count does not already cover them. */
    met = it->pub.missing_pengurus == 0 && it->pub.missing_pengawas == 0 &&
          it->pub.missing_offices == 0;
    if (!met && it->pub.missing_offices &&
        popcount32(it->pub.missing_offices) > it->pub.missing_pengurus)
        it->pub.missing_pengurus = popcount32(it->pub.missing_offices);
    free(sg);
    free(rej);
    return met;
}

/* Whether the countersignature of t by member m is there: m authored t, or m signed it. With
 * witness, a pengawas of another member counts too (*witnessed set). */
static bool countersigned(struct books *bk, uint32_t t, uint32_t m, bool witness, bool *witnessed)
{
    const struct proto_device *ad = dev_find(bk, bk->items[t].pub.author);
    size_t lo, hi;
    bool ok = false, wit = false;

    *witnessed = false;
    if (ad && ad->member == m)
        ok = true;
    srefs_of(bk, t, &lo, &hi);
    for (size_t k = lo; k < hi && !ok; k++) {
        const struct proto_device *d = bk->srefs[k].dev;

        if (bk->srefs[k].decision != PROTO_SIGN_APPROVE)
            continue;
        if (d->member == m)
            ok = true;
        else if (witness && d->role == PROTO_ROLE_PENGAWAS)
            wit = true;
    }
    if (!ok && wit) {
        *witnessed = true;
        return true;
    }
    return ok;
}

/* Whether member m signed (approved) item t from one of its devices. */
static bool signed_by(const struct books *bk, uint32_t t, uint32_t m)
{
    size_t lo, hi;
    bool yes = false;

    srefs_of(bk, t, &lo, &hi);
    for (size_t k = lo; k < hi && !yes; k++)
        yes = bk->srefs[k].dev->member == m && bk->srefs[k].decision == PROTO_SIGN_APPROVE;
    return yes;
}

/* ---- deciding ---- */

static void set_status(struct bitem *it, int status, int reason)
{
    it->pub.status = (uint8_t)status;
    it->pub.reason = (uint8_t)reason;
    it->state = 2;
}

/* Decodes a body into the item's public fields. Returns the decoded body (tmp) or NULL when
 * malformed (status set). */
static const struct proto_acct_body *decode_item(struct books *bk, uint32_t i,
                                                 struct proto_acct_body *tmp)
{
    struct bitem *it = &bk->items[i];

    int rc = books_body(bk, i, tmp);

    if (rc == -ENOMEM) {
        bk->oom = true; /* never "malformed" for want of memory: derive fails instead */
        set_status(it, BOOKS_WAITING, BOOKS_WAIT_UNSUPPORTED);
        return NULL;
    }
    if (rc < 0) {
        set_status(it, BOOKS_MALFORMED, BOOKS_R_NONE);
        return NULL;
    }
    return tmp;
}

static int decide_params(struct books *bk);

/* Loads params bodies and decides every version (ACCOUNTING.md 1.5). */
static int load_params(struct books *bk)
{
    size_t n = 0;

    for (size_t i = 0; i < bk->nitems; i++)
        n += bk->items[i].pub.kind == PROTO_KIND_PARAMS;
    if (n == 0)
        return 0;
    bk->params = calloc(n, sizeof *bk->params);
    bk->versions = calloc(n, sizeof *bk->versions);
    if (!bk->params || !bk->versions)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++) {
        struct bitem *it = &bk->items[i];
        struct proto_params *p;
        int rc;

        if (it->pub.kind != PROTO_KIND_PARAMS)
            continue;
        p = malloc(sizeof *p);
        if (!p)
            return -ENOMEM;
        rc = proto_params_decode(it->body, it->len, p);
        if (rc == -ENOMEM) {
            free(p);
            return rc;
        }
        if (rc < 0) {
            free(p);
            set_status(it, BOOKS_MALFORMED, BOOKS_R_NONE);
            continue;
        }
        it->pidx = (uint32_t)bk->nparams;
        bk->params[bk->nparams++] = p;
        it->pub.date = p->adopted;
    }
    return decide_params(bk);
}

struct porder {
    uint32_t adopted;
    uint32_t item;
};

static int cmp_porder(const void *a, const void *b)
{
    const struct porder *x = a, *y = b;

    if (x->adopted != y->adopted)
        return x->adopted < y->adopted ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

/* Accounts added by the versions decided so far that are in force on ymd. */
static int chart_extra(const struct books *bk, uint32_t ymd, struct proto_account **out, size_t *n)
{
    size_t total = 0, k = 0;

    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < bk->nversions; i++)
        if (bk->versions[i].in_force <= ymd)
            total += bk->versions[i].p->nadd;
    if (total == 0)
        return 0;
    *out = malloc(total * sizeof **out);
    if (!*out)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nversions; i++)
        if (bk->versions[i].in_force <= ymd)
            for (uint32_t a = 0; a < bk->versions[i].p->nadd; a++)
                (*out)[k++] = bk->versions[i].p->add[a];
    *n = k;
    return 0;
}

static int decide_params(struct books *bk)
{
    struct porder *ord = calloc(bk->nparams, sizeof *ord);
    size_t n = 0;
    int rc = 0;

    if (!ord)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++)
        if (bk->items[i].pidx != NO_ITEM) {
            ord[n].adopted = bk->items[i].pub.date;
            ord[n++].item = (uint32_t)i;
        }
    /* The founding version first: (genesis author, seq 2). */
    for (size_t k = 0; k < n; k++) {
        struct bitem *it = &bk->items[ord[k].item];

        if (it->pub.seq == 2 && memcmp(it->pub.author, bk->gauthor, 32) == 0) {
            struct porder t = ord[0];

            ord[0] = ord[k];
            ord[k] = t;
            break;
        }
    }
    if (n > 1)
        sort_n(ord + 1, n - 1, sizeof *ord, cmp_porder);
    for (size_t k = 0; k < n && rc == 0; k++) {
        uint32_t i = ord[k].item;
        struct bitem *it = &bk->items[i];
        struct proto_params *p = bk->params[it->pidx];
        const struct proto_device *ad = dev_find(bk, it->pub.author);
        struct proto_params_problem why;
        struct proto_account *extra;
        size_t nextra;
        bool founding = it->pub.seq == 2 && memcmp(it->pub.author, bk->gauthor, 32) == 0;
        uint32_t in_force;

        it->pub.author_member = ad ? ad->member : 0;
        it->pub.author_role = ad ? ad->role : 0;
        rc = chart_extra(bk, p->adopted, &extra, &nextra);
        if (rc < 0)
            break;
        rc = proto_params_check(p, bk->g, extra, nextra, &why);
        free(extra);
        if (rc < 0) {
            rc = 0;
            set_status(it, BOOKS_VOID, BOOKS_VOID_PARAMS);
            if ((rc = finding(bk, BOOKS_F_PARAMS_INVALID, p->adopted, i, 0, why.detail, 0, why.kind,
                              why.index)) < 0)
                break;
            continue;
        }
        in_force = p->effective;
        if (!founding) {
            const struct version *pv = version_at(bk, p->adopted);
            uint32_t need_p, need_w, offs = 0, roles;

            if (pv) {
                const struct proto_params_approval *row = proto_params_row(pv->p, 32, 0);

                roles = proto_params_authors(pv->p, PROTO_KIND_PARAMS);
                need_p = row ? row->pengurus : 0;
                need_w = row ? row->pengawas : 0;
                offs = row ? row->offices : 0;
            } else {
                roles = PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS);
                need_p = bk->g->policy.revoke_quorum.pengurus;
                need_w = bk->g->policy.revoke_quorum.pengawas;
            }
            if (!ad || !(roles & PROTO_ROLE_BIT(ad->role))) {
                set_status(it, BOOKS_VOID, BOOKS_VOID_AUTHORITY);
                rc = finding(bk, BOOKS_F_AUTHORITY, p->adopted, i, it->pub.author_member, 0, 0, 0,
                             0);
                continue;
            }
            if ((rc = cancelled_by(bk, i)) != 0) { /* a cancellation (3.9) */
                if (rc > 0)
                    set_status(it, BOOKS_CANCELLED, BOOKS_R_NONE);
                rc = rc < 0 ? rc : 0;
                continue;
            }
            if (!approvals(bk, i, NULL, 0, need_p, need_w, offs)) {
                set_status(it, BOOKS_WAITING, BOOKS_WAIT_APPROVALS);
                continue;
            }
            if (pv && pv->p->params_need_rat) {
                /* Resolutions (kind 34) are a later milestone: such a version waits. */
                set_status(it, BOOKS_WAITING, BOOKS_WAIT_RESOLUTION);
                continue;
            }
            in_force = day_add(p->adopted, 1);
            if (p->effective > in_force)
                in_force = p->effective;
        }
        set_status(it, BOOKS_EFFECTIVE, BOOKS_R_NONE);
        bk->versions[bk->nversions].item = i;
        bk->versions[bk->nversions].in_force = in_force;
        bk->versions[bk->nversions++].p = p;
    }
    free(ord);
    if (rc < 0)
        return rc;
    /* Two effective versions in force from one day: the tie-break decides; a finding. */
    for (size_t a = 0; a < bk->nversions; a++)
        for (size_t b = a + 1; b < bk->nversions; b++)
            if (bk->versions[a].in_force == bk->versions[b].in_force &&
                (rc = finding(bk, BOOKS_F_PARAMS_CONFLICT, bk->versions[a].in_force,
                              bk->versions[a].item < bk->versions[b].item ? bk->versions[b].item
                                                                          : bk->versions[a].item,
                              0, 0, 0, 0, 0)) < 0)
                return rc;
    return 0;
}

/* true if code holds the given account role in p (defaults when p has no row for it). */
static bool role_is(const struct proto_params *p, uint8_t role, uint32_t code)
{
    return p && proto_params_has_role(p, role, code);
}

static int post_lines(struct books *bk, uint32_t i, const struct proto_line *lines, size_t n);
static int lines_findings(struct books *bk, uint32_t i, const struct proto_journal *j);

/* An effective journal (16, 17): its lines are its postings; its findings are the lines'. Done
 * while it is decided, so a journal's body is decoded once. */
static int journal_effect(struct books *bk, uint32_t i, const struct proto_journal *j)
{
    int rc = post_lines(bk, i, j->lines, j->nlines);

    return rc < 0 ? rc : lines_findings(bk, i, j);
}

/* The loan a disbursement, repayment, late fee or write-off names; NULL for other kinds. */
static const uint8_t *loan_ref(const struct proto_acct_body *b)
{
    switch (b->kind) {
    case PROTO_KIND_LOAN_DISBURSE:
        return b->u.disburse.loan;
    case PROTO_KIND_LOAN_REPAY:
        return b->u.repay.loan;
    case PROTO_KIND_LATE_FEE:
        return b->u.latefee.loan;
    case PROTO_KIND_WRITE_OFF:
        return b->u.writeoff.loan;
    default:
        return NULL;
    }
}

/* The decoded application of loan id, into *out; false when there is none to decode. */
static bool app_get(const struct books *bk, const uint8_t id[32], struct proto_acct_body *out)
{
    uint32_t r = item_index(bk, id);

    return r != NO_ITEM && bk->items[r].pub.kind == PROTO_KIND_LOAN_APPLY &&
           proto_acct_decode(PROTO_KIND_LOAN_APPLY, bk->items[r].body, bk->items[r].len, out) == 0;
}

static uint32_t app_borrower(const struct books *bk, const uint8_t id[32])
{
    struct proto_acct_body *a = malloc(sizeof *a);
    uint32_t m = 0;

    if (a && app_get(bk, id, a))
        m = a->u.apply.borrower;
    free(a);
    return m;
}

/* Decides one item of kinds 16, 17, 33, 40..73 (not 32). */
/* ---- year-end kinds: resolution (34), close (35), frontier-part (36), shu-allocate (72),
 * shu-pay (73); ACCOUNTING.md 3.3, 3.4, 3.10 ---- */

static bool year_kind(uint32_t kind)
{
    return kind == PROTO_KIND_RESOLUTION || kind == PROTO_KIND_CLOSE ||
           kind == PROTO_KIND_FRONTIER_PART || kind == PROTO_KIND_SHU_ALLOCATE ||
           kind == PROTO_KIND_SHU_PAY;
}

/* A decoded body of one of those kinds (on the heap: a close is about 60 KiB). */
union ybody {
    struct proto_resolution res;
    struct proto_close close;
    struct proto_frontier_part part;
    struct proto_shu_allocate alloc;
    struct proto_shu_pay pay;
};

static int ydecode(const struct books *bk, uint32_t i, union ybody *y)
{
    const struct bitem *it = &bk->items[i];

    switch (it->pub.kind) {
    case PROTO_KIND_RESOLUTION:
        return proto_resolution_decode(it->body, it->len, &y->res);
    case PROTO_KIND_CLOSE:
        return proto_close_decode(it->body, it->len, &y->close);
    case PROTO_KIND_FRONTIER_PART:
        return proto_frontier_part_decode(it->body, it->len, &y->part);
    case PROTO_KIND_SHU_ALLOCATE:
        return proto_shu_allocate_decode(it->body, it->len, &y->alloc);
    case PROTO_KIND_SHU_PAY:
        return proto_shu_pay_decode(it->body, it->len, &y->pay);
    default:
        return ERR_BODY;
    }
}

static int cmp_tref(const void *a, const void *b)
{
    return memcmp(((const struct books_tref *)a)->id, ((const struct books_tref *)b)->id, 32);
}

size_t books_trefs(const struct books *bk, const struct books_tref **out)
{
    *out = bk->trefs;
    return bk->ntrefs;
}

int books_force_close(struct books *bk, const uint8_t id[32])
{
    if (bk->derived)
        return -EINVAL;
    bk->is_closed = true;
    memcpy(bk->forced, id, 32);
    return 0;
}

void books_set_id_at(struct books *bk, books_id_at_fn fn, void *ctx)
{
    bk->id_at = fn;
    bk->id_ctx = ctx;
}

static int cmp_frow(const void *a, const void *b)
{
    return memcmp(((const struct proto_frontier_row *)a)->author,
                  ((const struct proto_frontier_row *)b)->author, 32);
}

/*
 * The whole frontier of close item i: its own rows and those of its parts, by author. 0; 1 when
 * a part is not in the set, is not a frontier-part or is not by the close's author (parts are
 * judged by the close that names them); ERR_BODY when two rows name one feed; -ENOMEM.
 */
static int close_rows(const struct books *bk, uint32_t i, const struct proto_close *c,
                      struct proto_frontier_row **out, size_t *n)
{
    struct proto_frontier_part *fp = malloc(sizeof *fp);
    struct proto_frontier_row *v = NULL;
    size_t total = c->nrows, k = 0;
    int rc = 0;

    *out = NULL;
    *n = 0;
    if (!fp)
        return -ENOMEM;
    for (int round = 0; round < 2 && rc == 0; round++) {
        if (round == 1) {
            v = malloc((total + 1) * sizeof *v);
            if (!v) {
                rc = -ENOMEM;
                break;
            }
            memcpy(v, c->rows, c->nrows * sizeof *v);
            k = c->nrows;
        }
        for (uint32_t p = 0; p < c->nparts && rc == 0; p++) {
            uint32_t r = item_index(bk, c->parts[p]);

            if (r == NO_ITEM || bk->items[r].pub.kind != PROTO_KIND_FRONTIER_PART ||
                memcmp(bk->items[r].pub.author, bk->items[i].pub.author, 32) != 0 ||
                proto_frontier_part_decode(bk->items[r].body, bk->items[r].len, fp) < 0) {
                rc = 1;
                break;
            }
            if (round == 0) {
                total += fp->nrows;
            } else {
                memcpy(v + k, fp->rows, fp->nrows * sizeof *v);
                k += fp->nrows;
            }
        }
    }
    free(fp);
    if (rc != 0) {
        free(v);
        return rc;
    }
    sort_n(v, k, sizeof *v, cmp_frow);
    for (size_t j = 1; j < k; j++) {
        if (memcmp(v[j - 1].author, v[j].author, 32) == 0) {
            free(v);
            return ERR_BODY;
        }
    }
    *out = v;
    *n = k;
    return 0;
}

/* 0 when the set holds every entry the frontier names and the frontier digest is the close's;
 * 1 when an entry is not held (or the books cannot ask); 2 when the digest differs. */
static int frontier_check(const struct books *bk, const struct proto_frontier_row *rows, size_t n,
                          const uint8_t digest[32])
{
    uint8_t(*ids)[32], d[32];
    int rc = 0;

    if (!bk->id_at)
        return 1;
    ids = malloc((n + 1) * sizeof *ids);
    if (!ids)
        return -ENOMEM;
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = bk->id_at(bk->id_ctx, rows[k].author, rows[k].length, ids[k]);
    if (rc == 0)
        rc = proto_frontier_digest(rows, (const uint8_t(*)[32])ids, n, d) < 0 ? 2
             : memcmp(d, digest, 32) != 0                                    ? 2
                                                                             : 0;
    else if (rc > 0)
        rc = 1;
    free(ids);
    return rc;
}

/* Whether resolution item r adopts an SHU allocation (decision type 2) of close `close` with a
 * valid table (or the table of the parameters). */
static bool adopts_shu(struct books *bk, uint32_t r, const uint8_t close[32], bool *bad)
{
    struct proto_resolution *res = malloc(sizeof *res);
    bool yes = false;

    *bad = false;
    if (!res) {
        bk->oom = true; /* books_derive fails rather than deciding without the resolution */
        return false;
    }
    if (proto_resolution_decode(bk->items[r].body, bk->items[r].len, res) == 0) {
        for (uint32_t k = 0; k < res->ndecisions; k++) {
            const struct proto_decision *d = &res->decisions[k];

            if (d->type != PROTO_DECIDE_SHU || d->outcome != PROTO_OUTCOME_ADOPTED ||
                !d->has_target || memcmp(d->target, close, 32) != 0)
                continue;
            if (d->has_table) {
                struct proto_shu_table t;

                memset(&t, 0, sizeof t);
                t.nparts = d->nparts;
                for (uint32_t j = 0; j < d->nparts; j++) {
                    memcpy(t.parts[j].name, d->parts[j].name, sizeof t.parts[j].name);
                    t.parts[j].role = d->parts[j].role;
                    t.parts[j].ppm = d->parts[j].ppm;
                }
                if (proto_shu_table_check(&t, NULL) != 0) {
                    *bad = true;
                    continue;
                }
            }
            yes = true;
        }
    }
    free(res);
    return yes;
}

/* Item r's state for an entry that builds on it: 0 effective (of kind `want`), 1 absent or
 * waiting, 2 void, malformed, cancelled or another kind. */
static int prereq_state(const struct books *bk, const uint8_t id[32], uint32_t want)
{
    uint32_t r = item_index(bk, id);

    if (r == NO_ITEM || bk->items[r].state != 2 || bk->items[r].pub.status == BOOKS_WAITING)
        return 1;
    return bk->items[r].pub.status == BOOKS_EFFECTIVE && bk->items[r].pub.kind == want ? 0 : 2;
}

static int decide_year(struct books *bk, uint32_t i, const struct proto_device *ad)
{
    struct bitem *it = &bk->items[i];
    uint32_t kind = it->pub.kind, subj = 0;
    const struct proto_params *P;
    union ybody *y = malloc(sizeof *y);
    int rc;

    if (!y)
        return -ENOMEM;
    rc = ydecode(bk, i, y);
    if (rc == -ENOMEM)
        goto out;
    if (rc < 0) {
        set_status(it, BOOKS_MALFORMED, BOOKS_R_NONE);
        rc = finding(bk, BOOKS_F_MALFORMED, 0, i, it->pub.author_member, 0, 0, 0, 0);
        goto out;
    }
    switch (kind) {
    case PROTO_KIND_RESOLUTION:
        it->pub.date = y->res.date;
        break;
    case PROTO_KIND_CLOSE:
        it->pub.date = y->close.date;
        it->post_date = y->close.end; /* its postings close the period: dated its last day */
        break;
    case PROTO_KIND_SHU_ALLOCATE:
        it->pub.date = y->alloc.date;
        it->pub.amount = proto_shu_allocate_total(&y->alloc);
        break;
    case PROTO_KIND_SHU_PAY:
        it->pub.date = y->pay.date;
        it->pub.amount = y->pay.amount;
        it->pub.member = y->pay.member;
        break;
    default: /* a frontier-part has no date; the close that names it judges it */
        set_status(it, BOOKS_EFFECTIVE, BOOKS_R_NONE);
        goto out;
    }
    if (bk->is_closed && memcmp(it->pub.id, bk->forced, 32) == 0) {
        set_status(it, BOOKS_EFFECTIVE, BOOKS_R_NONE); /* the close these books recompute */
        goto out;
    }
    P = books_params_at(bk, it->pub.date);
    if (!P) {
        set_status(it, BOOKS_WAITING, BOOKS_WAIT_NO_PARAMS);
        goto out;
    }
    if (!(proto_params_authors(P, kind) & PROTO_ROLE_BIT(ad->role))) {
        set_status(it, BOOKS_VOID, BOOKS_VOID_AUTHORITY);
        rc = finding(bk, BOOKS_F_AUTHORITY, it->pub.date, i, it->pub.member, 0,
                     (int64_t)it->pub.amount, ad->role, 0);
        goto out;
    }
    if (kind == PROTO_KIND_CLOSE) {
        struct proto_frontier_row *rows;
        size_t n;

        rc = close_rows(bk, i, &y->close, &rows, &n);
        if (rc == 0) {
            rc = frontier_check(bk, rows, n, y->close.frontier_digest);
            free(rows);
        } else if (rc == ERR_BODY) {
            rc = 2;
        }
        if (rc < 0)
            goto out;
        if (rc != 0) {
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_FRONTIER);
            rc = rc == 2 ? finding(bk, BOOKS_F_FRONTIER_MISMATCH, it->pub.date, i, 0, 0, 0, 0, 0)
                         : 0;
            goto out;
        }
    } else if (kind == PROTO_KIND_SHU_ALLOCATE) {
        uint32_t r;
        bool bad;

        it->pub.has_prereq = true;
        memcpy(it->pub.prereq, y->alloc.close, 32);
        switch (prereq_state(bk, y->alloc.close, PROTO_KIND_CLOSE)) {
        case 1:
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_PREREQUISITE);
            goto out;
        case 2:
            set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
            goto out;
        }
        memcpy(it->pub.prereq, y->alloc.resolution, 32);
        switch (prereq_state(bk, y->alloc.resolution, PROTO_KIND_RESOLUTION)) {
        case 1:
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_RESOLUTION);
            goto out;
        case 2:
            set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
            goto out;
        }
        r = item_index(bk, y->alloc.resolution);
        if (!adopts_shu(bk, r, y->alloc.close, &bad)) {
            set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
            goto out;
        }
    } else if (kind == PROTO_KIND_SHU_PAY) {
        const struct proto_account *to = books_account(bk, y->pay.to_account, it->pub.date);
        uint8_t mode = proto_params_csign(P, kind);

        subj = y->pay.member;
        it->pub.confirmed = ad->member == subj || signed_by(bk, i, subj);
        /* Paid out in cash, the member confirms it (2.5); credited to savings, nothing to sign. */
        if (mode != PROTO_CSIGN_NONE && !(to && to->sub)) {
            bool wit;

            it->pub.csign_member = subj;
            if (!countersigned(bk, i, subj, mode == PROTO_CSIGN_WITNESS, &wit)) {
                set_status(it, BOOKS_WAITING, BOOKS_WAIT_COUNTERSIGN);
                goto out;
            }
            if (wit && (rc = finding(bk, BOOKS_F_WITNESSED, it->pub.date, i, subj, 0,
                                     (int64_t)it->pub.amount, 0, 0)) < 0)
                goto out;
        }
    }
    {
        const struct proto_params_approval *row = proto_params_row(P, kind, it->pub.amount);
        bool officer = subj && books_is_officer(bk, subj);
        uint32_t np = 0, nw = 0, off = 0;

        if (row) {
            np = row->pengurus + (officer ? P->officer_extra_pengurus : 0);
            nw = row->pengawas + (officer ? P->officer_extra_pengawas : 0);
            off = row->offices;
        }
        if (!approvals(bk, i, &subj, subj ? 1 : 0, np, nw, off)) {
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_APPROVALS);
            goto out;
        }
    }
    set_status(it, BOOKS_EFFECTIVE, BOOKS_R_NONE);
    if (it->pub.rejects > 0)
        rc = finding(bk, BOOKS_F_APPROVED_DESPITE_REJECTION, it->pub.date, i, it->pub.member, 0,
                     (int64_t)it->pub.amount, it->pub.rejects, 0);
out:
    free(y);
    return rc < 0 ? rc : 0;
}

/* ---- exit settlement offsets (42), provision (60), write-off (61): ACCOUNTING.md 3.5, 3.8.
 * Kept together and called from small hooks in decide, post_item, the loan events and the
 * findings. ---- */

/*
 * The offsets of an exit settlement build on their loans: each names an effective application
 * (absent or waiting: waiting; void, malformed or another kind: void) whose loan is disbursed
 * (else waiting). Returns 1 with the item's status set when it cannot take effect yet, else 0.
 */
static int settle_offsets_decide(struct books *bk, uint32_t i, const struct proto_exit_settle *s)
{
    struct bitem *it = &bk->items[i];

    for (uint32_t k = 0; k < s->noffsets; k++) {
        const uint8_t *loan = s->offsets[k].loan;
        const struct books_loan *l;

        it->pub.has_prereq = true;
        memcpy(it->pub.prereq, loan, 32);
        switch (prereq_state(bk, loan, PROTO_KIND_LOAN_APPLY)) {
        case 1:
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_PREREQUISITE);
            return 1;
        case 2:
            set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
            return 1;
        }
        l = books_loan_find(bk, loan);
        if (!l || !l->disbursed) {
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_PREREQUISITE);
            return 1;
        }
    }
    /* Named for the pending list: the exit it settles. */
    memcpy(it->pub.prereq, s->exit, 32);
    return 0;
}

/* Whether resolution r adopts writing off loan (a decision of type 4, adopted, naming it). */
static bool adopts_writeoff(const struct books *bk, uint32_t r, const uint8_t loan[32])
{
    struct proto_resolution *res = malloc(sizeof *res);
    bool yes = false;

    if (res && proto_resolution_decode(bk->items[r].body, bk->items[r].len, res) == 0)
        for (uint32_t k = 0; k < res->ndecisions && !yes; k++) {
            const struct proto_decision *d = &res->decisions[k];

            yes = d->type == PROTO_DECIDE_WRITEOFF && d->outcome == PROTO_OUTCOME_ADOPTED &&
                  d->has_target && memcmp(d->target, loan, 32) == 0;
        }
    free(res);
    return yes;
}

/*
 * A write-off's resolution (3.8): with P's writeoff_need_rat it waits (`resolution`) until it
 * names an effective resolution; a resolution it names, needed or not, must be effective
 * (waiting: `resolution`) and adopt writing off this loan (else void, prerequisite). Returns 1
 * with the status set when it cannot take effect yet, else 0.
 */
static int writeoff_decide(struct books *bk, uint32_t i, const struct proto_write_off *w,
                           const struct proto_params *P)
{
    struct bitem *it = &bk->items[i];

    if (!w->has_resolution) {
        if (!P->writeoff_need_rat)
            return 0;
        set_status(it, BOOKS_WAITING, BOOKS_WAIT_RESOLUTION);
        return 1;
    }
    it->pub.has_prereq = true;
    memcpy(it->pub.prereq, w->resolution, 32);
    switch (prereq_state(bk, w->resolution, PROTO_KIND_RESOLUTION)) {
    case 1:
        set_status(it, BOOKS_WAITING, BOOKS_WAIT_RESOLUTION);
        return 1;
    case 2:
        set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
        return 1;
    }
    if (!adopts_writeoff(bk, item_index(bk, w->resolution), w->loan)) {
        set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
        return 1;
    }
    return 0;
}

/* The postings of an effective settlement with offsets: each loan's receivable and interest
 * accounts come from its application (3.5). */
static int settle_post(struct books *bk, uint32_t i, const struct proto_acct_body *b,
                       struct proto_line *lines)
{
    uint32_t accts[2 * PROTO_ACCT_OFFSETS_MAX];
    struct proto_acct_body *app = malloc(sizeof *app);
    int n;

    if (!app)
        return -ENOMEM;
    for (uint32_t k = 0; k < b->u.settle.noffsets && k < PROTO_ACCT_OFFSETS_MAX; k++) {
        if (!app_get(bk, b->u.settle.offsets[k].loan, app)) {
            free(app);
            return 0; /* cannot happen: effective means every application is */
        }
        accts[2 * k] = app->u.apply.receivable;
        accts[2 * k + 1] = app->u.apply.interest;
    }
    free(app);
    n = proto_acct_postings(b, accts, lines, PROTO_ACCT_LINES_MAX);
    if (n < 0)
        return n;
    if (n > (int)PROTO_ACCT_LINES_MAX)
        return ERR_BODY;
    return post_lines(bk, i, lines, (size_t)n);
}

/* What an exit settlement's offsets pay on one loan: the sums of the rows naming it. */
static void settle_offset_of(const struct proto_exit_settle *s, const uint8_t loan[32],
                             uint64_t *principal, uint64_t *interest)
{
    *principal = *interest = 0;
    for (uint32_t k = 0; k < s->noffsets && k < PROTO_ACCT_OFFSETS_MAX; k++)
        if (memcmp(s->offsets[k].loan, loan, 32) == 0) {
            *principal += s->offsets[k].principal;
            *interest += s->offsets[k].interest;
        }
}

static int loan_event_add(struct loan *l, uint32_t i)
{
    uint32_t *v;

    if (l->nev > 0 && l->ev[l->nev - 1] == i)
        return 0; /* one settlement naming the loan twice is one event */
    v = realloc(l->ev, (l->nev + 1) * sizeof *v);
    if (!v)
        return -ENOMEM;
    l->ev = v;
    l->ev[l->nev++] = i;
    return 0;
}

/* Whether effective write-off i of loan l comes before the one it holds: one that no reversal
 * undoes for good first, then by (date, id). */
static bool writeoff_first(const struct books *bk, const struct loan *l, uint32_t i)
{
    bool rv, cur;

    if (!l->pub.written_off)
        return true;
    rv = books_reversed_at(bk, i, UINT32_MAX);
    cur = books_reversed_at(bk, l->pub.writeoff_item, UINT32_MAX);
    if (rv != cur)
        return cur;
    return bk->items[i].pub.date < l->pub.written_off; /* (items come in id order) */
}

/*
 * The loan events beyond repayments and late fees: each effective settlement with an offset
 * naming the loan, and each effective write-off (the first by (date, id) that no reversal undoes
 * for good writes the loan off; when all are reversed, the first, until its reversal's date).
 */
static int loans_more_events(struct books *bk, struct proto_acct_body *b)
{
    int rc;

    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;
        struct loan *l;

        if ((it->kind != PROTO_KIND_EXIT_SETTLE && it->kind != PROTO_KIND_WRITE_OFF) ||
            it->status != BOOKS_EFFECTIVE || books_body(bk, i, b) < 0)
            continue;
        if (it->kind == PROTO_KIND_WRITE_OFF) {
            l = (struct loan *)books_loan_find(bk, b->u.writeoff.loan);
            if (!l)
                continue;
            if ((rc = loan_event_add(l, (uint32_t)i)) < 0)
                return rc;
            if (writeoff_first(bk, l, (uint32_t)i)) {
                l->pub.written_off = it->date;
                l->pub.writeoff_item = (uint32_t)i;
                l->pub.writeoff_principal = b->u.writeoff.principal;
            }
            continue;
        }
        for (uint32_t k = 0; k < b->u.settle.noffsets; k++) {
            l = (struct loan *)books_loan_find(bk, b->u.settle.offsets[k].loan);
            if (l && (rc = loan_event_add(l, (uint32_t)i)) < 0)
                return rc;
        }
    }
    return 0;
}

/* Order of a loan's events within a day: late fees (due that day), then payments, then a
 * write-off (what was paid that day is not written off). */
static int loan_event_rank(uint32_t kind)
{
    return kind == PROTO_KIND_LATE_FEE ? 0 : kind == PROTO_KIND_WRITE_OFF ? 2 : 1;
}

/*
 * A settlement's or a write-off's part in a loan's position (loan_paid): true when item it was
 * one of those (b its body), with *interest and *principal what it pays on the loan.
 */
static bool loan_paid_more(const struct books *bk, const struct loan *l,
                           const struct books_item *it, const struct proto_acct_body *b,
                           struct books_loan_state *st, uint64_t *interest, uint64_t *principal)
{
    *interest = *principal = 0;
    if (it->kind == PROTO_KIND_WRITE_OFF) {
        if (l->pub.writeoff_item == books_index(bk, it->id))
            st->written_off = b->u.writeoff.principal;
        return true;
    }
    if (it->kind != PROTO_KIND_EXIT_SETTLE)
        return false;
    settle_offset_of(&b->u.settle, bk->items[l->pub.item].pub.id, principal, interest);
    return true;
}

/* From its write-off's date a loan owes nothing (3.8): it leaves the portfolio's outstanding and
 * allowance and is listed apart. A reversal of the write-off restores it from the reversal's
 * date (3.9). */
static void loan_state_written_off(const struct books *bk, const struct books_loan *pub,
                                   uint32_t ymd, struct books_loan_state *out)
{
    if (!pub->written_off || pub->written_off > ymd ||
        books_reversed_at(bk, pub->writeoff_item, ymd))
        return;
    out->status = BOOKS_LOAN_WRITTEN_OFF;
    out->outstanding = 0;
    out->arrears = 0;
    out->dpd = 0;
    out->ppapwd = 0;
    out->next_due = 0;
    out->next_amount = 0;
    if (!out->written_off)
        out->written_off = pub->writeoff_principal;
}

/* Each effective settlement's offsets: a loan of another member (pattern: the receivable's
 * account, detail 9 and the borrower); a principal above what the loan has outstanding, or an
 * interest above what its schedule has left (overpayment: detail the outstanding principal and
 * the interest left, before it). Run in the loan's event order, with what was paid before. */
static int settle_offset_findings(struct books *bk, const struct loan *l, uint32_t i,
                                  const struct proto_acct_body *b,
                                  const struct proto_loan_schedule *s, uint64_t *intr,
                                  uint64_t *prin)
{
    const struct books_item *it = &bk->items[i].pub;
    uint64_t p, in, out_p, left_i;
    int rc;

    settle_offset_of(&b->u.settle, bk->items[l->pub.item].pub.id, &p, &in);
    out_p = s->sum_principal > *prin ? s->sum_principal - *prin : 0;
    left_i = s->sum_interest > *intr ? s->sum_interest - *intr : 0;
    if (b->u.settle.member != l->pub.borrower) {
        struct proto_loan_apply a;

        if (books_loan_apply(bk, &l->pub, &a) == 0 &&
            (rc = finding(bk, BOOKS_F_PATTERN, it->date, i, b->u.settle.member, a.receivable,
                          (int64_t)(p + in), 9, l->pub.borrower)) < 0)
            return rc;
    }
    if ((p > out_p || in > left_i) &&
        (rc = finding(bk, BOOKS_F_OVERPAYMENT, it->date, i, l->pub.borrower, 0, (int64_t)(p + in),
                      (int64_t)out_p, (int64_t)left_i)) < 0)
        return rc;
    *prin += p;
    *intr += in;
    return 0;
}

/* A write-off's own check in its loan's event order: the principal it writes off should be what
 * the loan has outstanding (else pattern on the receivable, detail 8 and the outstanding). */
static int writeoff_findings(struct books *bk, const struct loan *l, uint32_t i,
                             const struct proto_acct_body *b, const struct proto_loan_schedule *s,
                             uint64_t prin)
{
    uint64_t out_p = s->sum_principal > prin ? s->sum_principal - prin : 0;
    struct proto_loan_apply a;

    if (l->pub.writeoff_item != i || b->u.writeoff.principal == out_p ||
        books_loan_apply(bk, &l->pub, &a) < 0)
        return 0;
    return finding(bk, BOOKS_F_PATTERN, b->u.writeoff.date, i, l->pub.borrower, a.receivable,
                   (int64_t)b->u.writeoff.principal, 8, (int64_t)out_p);
}

/* The portfolio's PPAPWD at the end of ymd: the sum over the disbursed loans. */
static int portfolio_ppapwd(const struct books *bk, uint32_t ymd, uint64_t *sum)
{
    *sum = 0;
    for (size_t k = 0; k < bk->nloans; k++) {
        struct books_loan_state st;
        int rc;

        if (!bk->loans[k].pub.disbursed || bk->loans[k].pub.disbursed > ymd)
            continue;
        rc = books_loan_state(bk, &bk->loans[k].pub, ymd, &st);
        if (rc < 0)
            return rc;
        *sum += st.ppapwd;
    }
    return 0;
}

/* Findings of an effective provision or write-off: accounts of the wrong role (pattern: detail
 * 10 allowance, 11 PPAP expense), and for a provision the allowance after it against the
 * portfolio's PPAPWD (ppap, informative). */
static int provision_findings(struct books *bk, uint32_t i, const struct proto_acct_body *b,
                              const struct proto_params *P)
{
    const struct books_item *it = &bk->items[i].pub;
    uint64_t want;
    int64_t have;
    int rc;

    if (it->kind == PROTO_KIND_WRITE_OFF) {
        if (!role_is(P, PROTO_AR_ALLOWANCE, b->u.writeoff.allowance_account))
            return finding(bk, BOOKS_F_PATTERN, it->date, i, it->member,
                           b->u.writeoff.allowance_account, (int64_t)it->amount, 10, 0);
        return 0;
    }
    if (!role_is(P, PROTO_AR_ALLOWANCE, b->u.provision.allowance_account) &&
        (rc = finding(bk, BOOKS_F_PATTERN, it->date, i, 0, b->u.provision.allowance_account,
                      b->u.provision.amount, 10, 0)) < 0)
        return rc;
    if (!role_is(P, PROTO_AR_PPAP_EXPENSE, b->u.provision.expense_account) &&
        (rc = finding(bk, BOOKS_F_PATTERN, it->date, i, 0, b->u.provision.expense_account,
                      b->u.provision.amount, 11, 0)) < 0)
        return rc;
    if ((rc = portfolio_ppapwd(bk, it->date, &want)) < 0)
        return rc;
    have = books_role_balance(bk, P, PROTO_AR_ALLOWANCE, 0, it->date);
    if (have != (int64_t)want)
        return finding(bk, BOOKS_F_PPAP, it->date, i, 0, b->u.provision.allowance_account, have,
                       (int64_t)want, b->u.provision.amount);
    return 0;
}

static int decide(struct books *bk, uint32_t i, struct proto_acct_body *b)
{
    struct bitem *it = &bk->items[i];
    const struct proto_device *ad = dev_find(bk, it->pub.author);
    const struct proto_acct_body *body;
    const struct proto_params *P;
    uint32_t subj[PROTO_LINES_MAX], kind = it->pub.kind;
    size_t nsubj;
    uint8_t mode;
    uint32_t csm;
    int rc;

    it->pub.author_member = ad ? ad->member : 0;
    it->pub.author_role = ad ? ad->role : 0;
    if (!ad) { /* cannot happen for applied entries: their author is on the roster */
        set_status(it, BOOKS_VOID, BOOKS_VOID_AUTHORITY);
        return 0;
    }
    if (year_kind(kind))
        return decide_year(bk, i, ad);
    if (kind == PROTO_KIND_REVERSE)
        return decide_reverse(bk, i);
    if (kind != PROTO_KIND_JOURNAL && !proto_acct_kind_known(kind)) {
        set_status(it, BOOKS_WAITING, BOOKS_WAIT_UNSUPPORTED);
        return 0;
    }
    body = decode_item(bk, i, b);
    if (!body)
        return finding(bk, BOOKS_F_MALFORMED, 0, i, it->pub.author_member, 0, 0, 0, 0);
    it->pub.date = proto_acct_date(body);
    it->pub.amount = proto_acct_amount(body);
    it->pub.member = proto_acct_member(body);
    if (kind == PROTO_KIND_DEPOSIT)
        it->term = body->u.deposit.has_term;
    if (kind == PROTO_KIND_INTEREST) {
        it->iperiod = body->u.interest.period;
        memcpy(it->iproduct, body->u.interest.product, sizeof it->iproduct);
    }
    nsubj = proto_acct_subjects(body, subj, PROTO_LINES_MAX);
    if (!it->pub.member && nsubj == 1)
        it->pub.member = subj[0]; /* a journal about one member is shown on their statement */
    if (loan_ref(body)) {
        /* Disbursements, repayments and late fees are about the application's borrower. */
        uint32_t borrower = app_borrower(bk, loan_ref(body));

        if (borrower) {
            it->pub.member = borrower;
            subj[0] = borrower;
            nsubj = 1;
        }
    }
    if (kind == PROTO_KIND_SIGN) {
        set_status(it, BOOKS_EFFECTIVE, BOOKS_R_NONE);
        return 0;
    }
    it->pub.confirmed =
        it->pub.member && (ad->member == it->pub.member || signed_by(bk, i, it->pub.member));
    P = books_params_at(bk, it->pub.date);

    if (kind == PROTO_KIND_JOURNAL) {
        /* FORMATS 4.8: the genesis policy decides a kind 16 journal's effect, as always. */
        if (!proto_policy_allows(&bk->g->policy, kind, ad->role)) {
            set_status(it, BOOKS_VOID, BOOKS_VOID_POLICY);
            return 0;
        }
        set_status(it, BOOKS_EFFECTIVE, BOOKS_R_NONE);
        if ((rc = journal_effect(bk, i, &body->u.ja.j)) < 0)
            return rc;
        if (P) {
            const struct proto_params_approval *row =
                proto_params_row(P, PROTO_KIND_JOURNAL_A, it->pub.amount);
            bool officer = false;

            for (size_t k = 0; k < nsubj; k++)
                officer |= books_is_officer(bk, subj[k]);
            if (row &&
                !approvals(bk, i, subj, nsubj,
                           row->pengurus + (officer ? P->officer_extra_pengurus : 0),
                           row->pengawas + (officer ? P->officer_extra_pengawas : 0), row->offices))
                return finding(bk, BOOKS_F_UNAPPROVED, it->pub.date, i, 0, 0,
                               (int64_t)it->pub.amount, 0, 0);
        }
        return 0;
    }
    /* 2.2: authority. */
    if (!P) {
        set_status(it, BOOKS_WAITING, BOOKS_WAIT_NO_PARAMS);
        return 0;
    }
    if (!(proto_params_authors(P, kind) & PROTO_ROLE_BIT(ad->role))) {
        set_status(it, BOOKS_VOID, BOOKS_VOID_AUTHORITY);
        return finding(bk, BOOKS_F_AUTHORITY, it->pub.date, i, it->pub.member, 0,
                       (int64_t)it->pub.amount, ad->role, 0);
    }
    /* 3.7.1: an application is written on the borrower's own device. */
    if (kind == PROTO_KIND_LOAN_APPLY && ad->member != body->u.apply.borrower) {
        set_status(it, BOOKS_VOID, BOOKS_VOID_NOT_BORROWER);
        return finding(bk, BOOKS_F_NOT_BORROWER, it->pub.date, i, body->u.apply.borrower, 0,
                       (int64_t)it->pub.amount, ad->member, 0);
    }
    /* Loans: a disbursement builds on an effective application; repayments and late fees on a
     * disbursed loan. */
    if (loan_ref(body)) {
        uint32_t r = item_index(bk, loan_ref(body));

        it->pub.has_prereq = true;
        memcpy(it->pub.prereq, loan_ref(body), 32);
        if (r == NO_ITEM || bk->items[r].state != 2 || bk->items[r].pub.status == BOOKS_WAITING) {
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_PREREQUISITE);
            return 0;
        }
        if (bk->items[r].pub.status != BOOKS_EFFECTIVE ||
            bk->items[r].pub.kind != PROTO_KIND_LOAN_APPLY) {
            set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
            return 0;
        }
        if (kind != PROTO_KIND_LOAN_DISBURSE) {
            const struct books_loan *l = books_loan_find(bk, loan_ref(body));

            if (!l || !l->disbursed) {
                set_status(it, BOOKS_WAITING, BOOKS_WAIT_PREREQUISITE);
                return 0;
            }
        }
    }
    /* Prerequisites. */
    {
        const uint8_t *pre = NULL;
        uint32_t want = 0;

        if (kind == PROTO_KIND_EXIT_SETTLE) {
            pre = body->u.settle.exit;
            want = PROTO_KIND_MEMBER_EXIT;
        } else if (kind == PROTO_KIND_WITHDRAW && body->u.withdraw.has_ref) {
            pre = body->u.withdraw.ref;
            want = PROTO_KIND_DEPOSIT;
        }
        if (pre) {
            uint32_t r = item_index(bk, pre);

            it->pub.has_prereq = true;
            memcpy(it->pub.prereq, pre, 32);
            if (r == NO_ITEM || bk->items[r].state != 2 ||
                bk->items[r].pub.status == BOOKS_WAITING) {
                set_status(it, BOOKS_WAITING, BOOKS_WAIT_PREREQUISITE);
                return 0;
            }
            if (bk->items[r].pub.status != BOOKS_EFFECTIVE) {
                set_status(it, BOOKS_VOID, BOOKS_VOID_PREREQUISITE);
                return 0;
            }
            if ((bk->items[r].pub.kind != want || bk->items[r].pub.member != it->pub.member) &&
                (rc = finding(bk, BOOKS_F_PATTERN, it->pub.date, i, it->pub.member, 0,
                              (int64_t)it->pub.amount, 0, 0)) < 0)
                return rc;
        }
        if (kind == PROTO_KIND_EXIT_SETTLE && settle_offsets_decide(bk, i, &body->u.settle))
            return 0;
        if (kind == PROTO_KIND_WRITE_OFF && writeoff_decide(bk, i, &body->u.writeoff, P))
            return 0;
    }
    /* 2.5: countersignature. */
    mode = proto_params_csign(P, kind);
    csm = kind == PROTO_KIND_LOAN_DISBURSE ? it->pub.member : proto_acct_csign_subject(body);
    it->pub.csign_member = mode ? csm : 0;
    if (mode != PROTO_CSIGN_NONE && csm) {
        bool wit;

        if (!countersigned(bk, i, csm, mode == PROTO_CSIGN_WITNESS, &wit)) {
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_COUNTERSIGN);
            return 0;
        }
        if (wit) {
            rc = finding(bk, BOOKS_F_WITNESSED, it->pub.date, i, csm, 0, (int64_t)it->pub.amount, 0,
                         0);
            if (rc < 0)
                return rc;
        }
    }
    /* 2.3: approvals. */
    {
        const struct proto_params_approval *row = proto_params_row(P, kind, it->pub.amount);
        bool officer = false;
        uint32_t np = 0, nw = 0, off = 0;

        for (size_t k = 0; k < nsubj; k++)
            officer |= books_is_officer(bk, subj[k]);
        if (row) {
            np = row->pengurus + (officer ? P->officer_extra_pengurus : 0);
            nw = row->pengawas + (officer ? P->officer_extra_pengawas : 0);
            off = row->offices;
        }
        if (!approvals(bk, i, subj, nsubj, np, nw, off)) {
            set_status(it, BOOKS_WAITING, BOOKS_WAIT_APPROVALS);
            return 0;
        }
    }
    set_status(it, BOOKS_EFFECTIVE, BOOKS_R_NONE);
    if (kind == PROTO_KIND_JOURNAL_A && (rc = journal_effect(bk, i, &body->u.ja.j)) < 0)
        return rc;
    if (it->pub.rejects > 0)
        return finding(bk, BOOKS_F_APPROVED_DESPITE_REJECTION, it->pub.date, i, it->pub.member, 0,
                       (int64_t)it->pub.amount, it->pub.rejects, 0);
    return 0;
}

/* ---- postings ---- */

/* Adds the postings of item i (its business date, lines in order). */
static int post_lines(struct books *bk, uint32_t i, const struct proto_line *lines, size_t n)
{
    uint32_t date = bk->items[i].pub.date;
    uint16_t kind = (uint16_t)bk->items[i].pub.kind; /* (kinds that post are below 74) */

    if (grow((void **)&bk->postings, &bk->cappostings, bk->npostings + n, sizeof *bk->postings) < 0)
        return -ENOMEM;
    for (size_t k = 0; k < n; k++) {
        struct books_posting *p = &bk->postings[bk->npostings++];

        p->date = date;
        p->account = lines[k].account;
        p->member = lines[k].member;
        p->item = i;
        p->line = (uint16_t)k;
        p->kind = kind;
        p->debit = lines[k].debit;
        p->credit = lines[k].credit;
    }
    return 0;
}

static int post_item(struct books *bk, uint32_t i, struct proto_acct_body *b,
                     struct proto_line *lines)
{
    struct bitem *it = &bk->items[i];
    int n;

    /* (Journals post as they are decided: journal_effect.) */
    if (it->pub.status != BOOKS_EFFECTIVE || it->pub.kind == PROTO_KIND_SIGN ||
        it->pub.kind == PROTO_KIND_PARAMS || it->pub.kind == PROTO_KIND_JOURNAL ||
        it->pub.kind == PROTO_KIND_JOURNAL_A || it->pub.kind == PROTO_KIND_REVERSE)
        return 0; /* (reversals mirror their target's postings: reverse_postings) */
    if (books_body(bk, i, b) < 0)
        return 0;
    if (it->pub.kind == PROTO_KIND_EXIT_SETTLE && b->u.settle.noffsets > 0)
        return settle_post(bk, i, b, lines);
    if (it->pub.kind == PROTO_KIND_LOAN_DISBURSE || it->pub.kind == PROTO_KIND_LOAN_REPAY ||
        it->pub.kind == PROTO_KIND_WRITE_OFF) {
        struct proto_acct_body *app = malloc(sizeof *app);
        unsigned mask = 0;

        if (!app)
            return -ENOMEM;
        if (!app_get(bk, loan_ref(b), app)) {
            free(app);
            return 0; /* cannot happen: effective means the application is */
        }
        if (it->pub.kind == PROTO_KIND_LOAN_DISBURSE) {
            for (uint32_t k = 0; k < b->u.disburse.ndeductions && k < 4; k++) {
                const struct proto_account *a =
                    books_account(bk, b->u.disburse.deductions[k].account, it->pub.date);

                if (a && a->sub)
                    mask |= 1u << k;
            }
        } else if (it->pub.kind == PROTO_KIND_LOAN_REPAY && b->u.repay.excess) {
            const struct proto_account *a =
                books_account(bk, b->u.repay.excess_account, it->pub.date);

            if (a && a->sub)
                mask |= 1u << 4;
        }
        n = proto_acct_loan_postings(b, &app->u.apply, mask, lines, PROTO_LINES_MAX);
        free(app);
    } else {
        n = proto_acct_postings(b, NULL, lines, PROTO_ACCT_LINES_MAX);
    }
    if (n < 0)
        return n;
    if (n > PROTO_ACCT_LINES_MAX)
        return ERR_BODY;
    return post_lines(bk, i, lines, (size_t)n);
}

/* ---- register ---- */

static int cmp_regev(const void *a, const void *b)
{
    const struct regev *x = a, *y = b;

    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

static int build_register(struct books *bk, struct proto_acct_body *b)
{
    size_t n = 0;

    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;

        n += it->status == BOOKS_EFFECTIVE &&
             (it->kind == PROTO_KIND_MEMBER_ADMIT || it->kind == PROTO_KIND_MEMBER_EXIT);
    }
    bk->reg = calloc(n ? n : 1, sizeof *bk->reg);
    if (!bk->reg)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;
        struct regev *e;

        if (it->status != BOOKS_EFFECTIVE ||
            (it->kind != PROTO_KIND_MEMBER_ADMIT && it->kind != PROTO_KIND_MEMBER_EXIT))
            continue;
        if (books_body(bk, i, b) < 0)
            continue;
        e = &bk->reg[bk->nreg++];
        e->member = it->member;
        e->date = it->date;
        e->item = (uint32_t)i;
        if (it->kind == PROTO_KIND_MEMBER_EXIT)
            e->status = BOOKS_MEMBER_EXITED;
        else
            e->status = b->u.admit.class == PROTO_CLASS_CALON  ? BOOKS_MEMBER_CALON
                        : b->u.admit.class == PROTO_CLASS_LUAR ? BOOKS_MEMBER_LUAR
                                                               : BOOKS_MEMBER_ACTIVE;
    }
    sort_n(bk->reg, bk->nreg, sizeof *bk->reg, cmp_regev);
    return reverse_register(bk);
}

/*
 * The member's status after the register events that precede a point of day date:
 *   BEFORE_ITEM: register events before (date, item) in canonical order (for judging another
 *                register event: two admissions on one day, the lower id first);
 *   DURING_DAY:  admissions dated <= date and exits dated < date (for judging a deposit or a
 *                withdrawal: a member admitted on a day is a member all that day, and one who
 *                leaves on a day is a member until its end, whatever the ids);
 *   END_OF_DAY:  every event dated <= date.
 */
enum reg_point { BEFORE_ITEM, DURING_DAY, END_OF_DAY };

/* A member without a register entry whose capital (pokok, wajib) was first posted on `first`. */
struct legacy {
    uint32_t member;
    uint32_t first;
};

static const struct legacy *legacy_find(const struct books *bk, uint32_t m)
{
    size_t lo = 0, hi = bk->nlegacy;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (bk->legacy[mid].member == m)
            return &bk->legacy[mid];
        if (bk->legacy[mid].member < m)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int status_at(const struct books *bk, uint32_t m, uint32_t date, enum reg_point pt,
                     uint32_t item, uint32_t *admitted, uint32_t *exited)
{
    int st = BOOKS_MEMBER_UNREGISTERED;

    size_t lo = 0, hi = bk->nreg;

    if (admitted)
        *admitted = 0;
    if (exited)
        *exited = 0;
    while (lo < hi) { /* the member's first event: reg is sorted by (member, date, item) */
        size_t mid = lo + (hi - lo) / 2;

        if (bk->reg[mid].member < m)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < bk->nreg && bk->reg[k].member == m; k++) {
        const struct regev *e = &bk->reg[k];

        if (e->date > date || (e->date == date && pt == BEFORE_ITEM && e->item >= item))
            break;
        if (e->date == date && pt == DURING_DAY && e->status == BOOKS_MEMBER_EXITED)
            continue;
        st = e->status;
        if (st == BOOKS_MEMBER_EXITED) {
            if (exited)
                *exited = e->date;
        } else {
            if (admitted)
                *admitted = e->date;
            if (exited)
                *exited = 0;
        }
    }
    /* A member with no register entry but with simpanan pokok or wajib posted by then is a
     * member of a ledger kept before the register (4.6): active, with an info finding. */
    if (st == BOOKS_MEMBER_UNREGISTERED && pt != BEFORE_ITEM) {
        const struct legacy *l = legacy_find(bk, m);

        if (l && l->first <= date)
            st = BOOKS_MEMBER_ACTIVE;
    }
    return st;
}

int books_member_status(const struct books *bk, uint32_t member, uint32_t ymd, uint32_t *admitted,
                        uint32_t *exited)
{
    return status_at(bk, member, ymd, END_OF_DAY, NO_ITEM, admitted, exited);
}

static bool active(int st)
{
    return st == BOOKS_MEMBER_ACTIVE || st == BOOKS_MEMBER_CALON || st == BOOKS_MEMBER_LUAR;
}

size_t books_voters(const struct books *bk, uint32_t ymd)
{
    size_t n = 0;

    for (size_t m = 0; m < bk->nmembers; m++)
        n += bk->members[m] &&
             status_at(bk, bk->members[m], ymd, END_OF_DAY, NO_ITEM, NULL, NULL) ==
                 BOOKS_MEMBER_ACTIVE;
    return n;
}

size_t books_members(const struct books *bk, const uint32_t **out)
{
    *out = bk->members;
    return bk->nmembers;
}

bool books_is_officer(const struct books *bk, uint32_t member)
{
    if (bk->derived)
        return has_u32(bk->officers, bk->nofficers, member);
    for (size_t i = 0; i < bk->ndevs; i++)
        if (bk->devs[i].d.member == member && bk->devs[i].d.role != PROTO_ROLE_ANGGOTA)
            return true;
    return false;
}

/* ---- balances ---- */

/*
 * Balance indexes: postings by (account, member, date) and by (account, date), each with the
 * running debit - credit of its group, so a balance on a day is one binary search.
 */
struct bal {
    uint32_t account, member, date;
    int64_t cum; /* debit - credit of the group up to and including this posting */
};

/* Postings sorted by (date, item id, line), then the two balance indexes; every sort is a
 * stable radix sort of posting indices, so no comparison sort runs over the postings. The
 * indexes keep one element per (account, member, date), the balance at the end of that day: a
 * balance is only ever read at the end of a day. */
static int postings_index(struct books *bk)
{
    size_t n = bk->npostings, *count = NULL, nm = 0, na = 0;
    uint32_t *idx = NULL, *tmp = NULL, *key = NULL, *v;
    bool by_item = true;
    int rc = -ENOMEM;

    idx = malloc((n + 1) * sizeof *idx);
    tmp = malloc((n + 1) * sizeof *tmp);
    key = calloc(n + 1, sizeof *key);
    count = malloc(65536 * sizeof *count);
    bk->bal_m = malloc((n + 1) * sizeof *bk->bal_m);
    if (!idx || !tmp || !key || !count || !bk->bal_m)
        goto out;
    for (size_t k = 0; k < n; k++)
        idx[k] = (uint32_t)k;
    /* (date, item, line): the postings come in (item, line) order per pass that made them. */
    for (size_t k = 1; k < n && by_item; k++)
        by_item = bk->postings[k - 1].item < bk->postings[k].item ||
                  (bk->postings[k - 1].item == bk->postings[k].item &&
                   bk->postings[k - 1].line < bk->postings[k].line);
    v = idx;
    if (!by_item) {
        for (size_t k = 0; k < n; k++)
            key[k] = bk->postings[k].line;
        v = radix_by(v, v == idx ? tmp : idx, key, n, count);
        for (size_t k = 0; k < n; k++)
            key[k] = bk->postings[k].item;
        v = radix_by(v, v == idx ? tmp : idx, key, n, count);
    }
    for (size_t k = 0; k < n; k++)
        key[k] = bk->postings[k].date;
    v = radix_by(v, v == idx ? tmp : idx, key, n, count);
    /* Apply the permutation in place, one cycle at a time (a done slot points at itself). */
    for (size_t k = 0; k < n; k++) {
        struct books_posting first;
        size_t j = k;

        if (v[k] == k)
            continue;
        first = bk->postings[k];
        while (v[j] != k) {
            size_t next = v[j];

            bk->postings[j] = bk->postings[next];
            v[j] = (uint32_t)j;
            j = next;
        }
        bk->postings[j] = first;
        v[j] = (uint32_t)j;
    }
    /* By (account, member), stable: within a group, (date, item, line). */
    for (size_t k = 0; k < n; k++)
        idx[k] = (uint32_t)k;
    for (size_t k = 0; k < n; k++)
        key[k] = bk->postings[k].member;
    v = radix_by(idx, tmp, key, n, count);
    for (size_t k = 0; k < n; k++)
        key[k] = bk->postings[k].account;
    v = radix_by(v, v == idx ? tmp : idx, key, n, count);
    for (size_t k = 0; k < n; k++) {
        const struct books_posting *p = &bk->postings[v[k]];
        int64_t d = (int64_t)p->debit - (int64_t)p->credit;
        struct bal *last = nm ? &bk->bal_m[nm - 1] : NULL;

        if (last && last->account == p->account && last->member == p->member) {
            if (last->date == p->date) {
                last->cum += d;
                continue;
            }
            d += last->cum;
        }
        bk->bal_m[nm].account = p->account;
        bk->bal_m[nm].member = p->member;
        bk->bal_m[nm].date = p->date;
        bk->bal_m[nm++].cum = d;
    }
    bk->nbal_m = nm;
    /* The (account, member) order is kept for overdrawn(); the other buffer takes the index by
     * account alone (date order within an account, members folded into 0). */
    bk->by_am = v;
    if (v == idx)
        idx = NULL;
    else
        tmp = NULL;
    v = idx ? idx : tmp;
    for (size_t k = 0; k < n; k++)
        v[k] = (uint32_t)k;
    {
        uint32_t *other = malloc((n + 1) * sizeof *other), *w;

        if (!other)
            goto out;
        w = radix_by(v, other, key, n, count);
        bk->bal_a = malloc((n + 1) * sizeof *bk->bal_a);
        if (!bk->bal_a) {
            free(other);
            goto out;
        }
        for (size_t k = 0; k < n; k++) {
            const struct books_posting *p = &bk->postings[w[k]];
            int64_t d = (int64_t)p->debit - (int64_t)p->credit;
            struct bal *last = na ? &bk->bal_a[na - 1] : NULL;

            if (last && last->account == p->account) {
                if (last->date == p->date) {
                    last->cum += d;
                    continue;
                }
                d += last->cum;
            }
            bk->bal_a[na].account = p->account;
            bk->bal_a[na].member = 0;
            bk->bal_a[na].date = p->date;
            bk->bal_a[na++].cum = d;
        }
        free(other);
    }
    bk->nbal_a = na;
    /* Give back what the merged days left unused. */
    {
        struct bal *q = realloc(bk->bal_m, (nm + 1) * sizeof *q);

        if (q)
            bk->bal_m = q;
        q = realloc(bk->bal_a, (na + 1) * sizeof *q);
        if (q)
            bk->bal_a = q;
    }
    rc = 0;
out:
    free(idx);
    free(tmp);
    free(key);
    free(count);
    return rc;
}

/* The index of the first element after (account, member, ymd). */
static size_t bal_upper(const struct bal *v, size_t n, uint32_t account, uint32_t member,
                        uint32_t ymd)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct bal *x = &v[mid];
        bool le = x->account < account ||
                  (x->account == account &&
                   (x->member < member || (x->member == member && x->date <= ymd)));

        if (le)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int64_t bal_find(const struct bal *v, size_t n, uint32_t account, uint32_t member,
                        uint32_t ymd)
{
    size_t lo = bal_upper(v, n, account, member, ymd);

    if (lo == 0 || v[lo - 1].account != account || v[lo - 1].member != member)
        return 0;
    return v[lo - 1].cum;
}

int64_t books_balance(const struct books *bk, uint32_t account, uint32_t member, uint32_t ymd)
{
    if (member)
        return bal_find(bk->bal_m, bk->nbal_m, account, member, ymd);
    return bal_find(bk->bal_a, bk->nbal_a, account, 0, ymd);
}

int books_balance_series(const struct books *bk, uint32_t account, uint32_t member, uint32_t from,
                         uint32_t to, int64_t *out, size_t max)
{
    const struct bal *v = member ? bk->bal_m : bk->bal_a;
    size_t n = member ? bk->nbal_m : bk->nbal_a, k;
    int32_t d0, d1;
    int64_t cur = 0;

    if (proto_day_from_ymd(from, &d0) < 0 || proto_day_from_ymd(to, &d1) < 0 || d1 < d0 ||
        (size_t)(d1 - d0) + 1 > max || !out)
        return -EINVAL;
    /* One binary search for the balance at the end of `from`, then the group's later postings
     * in date order: O(log n + postings in the range + days). */
    k = bal_upper(v, n, account, member, from);
    if (k > 0 && v[k - 1].account == account && v[k - 1].member == member)
        cur = v[k - 1].cum;
    for (int32_t d = d0; d <= d1; d++) {
        uint32_t ymd;

        if (proto_day_to_ymd(d, &ymd) < 0)
            return -EINVAL;
        while (k < n && v[k].account == account && v[k].member == member && v[k].date <= ymd)
            cur = v[k++].cum;
        out[d - d0] = cur;
    }
    return (int)(d1 - d0 + 1);
}

int books_account_members(const struct books *bk, uint32_t account, uint32_t ymd, uint32_t **out,
                          size_t *count)
{
    const struct bal *v = bk->bal_m;
    size_t n = bk->nbal_m, k, cap = 0, m = 0;
    uint32_t *list = NULL;

    *out = NULL;
    *count = 0;
    /* The account's groups, one member at a time: a binary search skips each member's
     * postings, so the cost is O(members x log n). Member 0 (no sub-ledger) is left out. */
    k = bal_upper(v, n, account, 0, UINT32_MAX);
    while (k < n && v[k].account == account) {
        uint32_t who = v[k].member;

        if (v[k].date <= ymd) { /* a group's first posting is its earliest */
            if (grow((void **)&list, &cap, m + 1, sizeof *list) < 0) {
                free(list);
                return -ENOMEM;
            }
            list[m++] = who;
        }
        if (who == UINT32_MAX)
            break;
        k = bal_upper(v, n, account, who, UINT32_MAX);
    }
    *out = list;
    *count = m;
    return 0;
}

size_t books_interest_items(const struct books *bk, uint32_t period, const char *product,
                            uint32_t *out, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < bk->nitems; i++) {
        const struct bitem *it = &bk->items[i];

        if (it->pub.kind != PROTO_KIND_INTEREST || it->pub.status != BOOKS_EFFECTIVE ||
            it->iperiod != period || strcmp(it->iproduct, product) != 0)
            continue;
        if (n < max)
            out[n] = (uint32_t)i;
        n++;
    }
    return n;
}

size_t books_nplacements(const struct books *bk)
{
    return bk->nplacements;
}

const struct books_placement *books_placement_at(const struct books *bk, size_t i)
{
    return i < bk->nplacements ? &bk->placements[i] : NULL;
}

/* The placements: effective deposits with a term, and the first effective withdrawal naming
 * each one (ACCOUNTING.md 3.6: a placement is its deposit). */
static int placements_build(struct books *bk, struct proto_acct_body *b)
{
    size_t n = 0;

    for (size_t i = 0; i < bk->nitems; i++)
        n += bk->items[i].term && bk->items[i].pub.status == BOOKS_EFFECTIVE;
    bk->placements = calloc(n + 1, sizeof *bk->placements);
    if (!bk->placements)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++) {
        struct books_placement *pl;

        if (!bk->items[i].term || bk->items[i].pub.status != BOOKS_EFFECTIVE ||
            books_body(bk, i, b) < 0)
            continue;
        pl = &bk->placements[bk->nplacements++];
        pl->item = (uint32_t)i;
        pl->member = b->u.deposit.member;
        pl->date = b->u.deposit.date;
        pl->account = b->u.deposit.account;
        memcpy(pl->product, b->u.deposit.product, sizeof pl->product);
        pl->principal = b->u.deposit.amount;
        pl->months = b->u.deposit.term_months;
        pl->rate_ppm = b->u.deposit.term_rate_ppm;
    }
    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;
        uint32_t r;
        size_t lo = 0, hi = bk->nplacements;

        if (it->kind != PROTO_KIND_WITHDRAW || it->status != BOOKS_EFFECTIVE || !it->has_prereq)
            continue;
        r = item_index(bk, it->prereq);
        while (lo < hi) { /* placements are in item order */
            size_t mid = lo + (hi - lo) / 2;

            if (bk->placements[mid].item < r)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < bk->nplacements && bk->placements[lo].item == r &&
            bk->placements[lo].member == it->member &&
            (!bk->placements[lo].withdrawn || it->date < bk->placements[lo].withdrawn))
            bk->placements[lo].withdrawn = it->date;
    }
    return 0;
}

static bool debit_natural(uint8_t type)
{
    return type == 0 || type == PROTO_ACCT_ASSET || type == PROTO_ACCT_EXPENSE;
}

int64_t books_role_balance(const struct books *bk, const struct proto_params *P, uint8_t role,
                           uint32_t member, uint32_t ymd)
{
    int64_t v = 0;

    /* Every account of the chart holding the role in P (its own rows, or the defaults). */
    for (uint32_t k = 0; P && k < bk->g->naccounts; k++)
        if (proto_params_has_role(P, role, bk->g->accounts[k].code))
            v += books_balance_natural(bk, bk->g->accounts[k].code, member, ymd);
    for (size_t i = 0; i < bk->nversions; i++) {
        const struct version *ver = &bk->versions[i];

        if (ver->in_force > ymd)
            continue;
        for (uint32_t k = 0; k < ver->p->nadd; k++) {
            uint32_t code = ver->p->add[k].code;
            bool seen = proto_genesis_account(bk->g, code) != NULL;

            for (size_t j = 0; j < i && !seen; j++)
                for (uint32_t q = 0; q < bk->versions[j].p->nadd && !seen; q++)
                    seen =
                        bk->versions[j].in_force <= ymd && bk->versions[j].p->add[q].code == code;
            if (!seen && P && proto_params_has_role(P, role, code))
                v += books_balance_natural(bk, code, member, ymd);
        }
    }
    return v;
}

int64_t books_balance_natural(const struct books *bk, uint32_t account, uint32_t member,
                              uint32_t ymd)
{
    const struct proto_account *a = books_account(bk, account, ymd);
    int64_t v = books_balance(bk, account, member, ymd);

    /* (A contra-asset is presented credit-natural, as a deduction, like liabilities.) */
    return debit_natural(a ? a->type : 0) ? v : -v;
}

/* ---- set-level findings (ACCOUNTING.md 3.1, 3.5, 3.6.1) ---- */

static int lines_findings(struct books *bk, uint32_t i, const struct proto_journal *j)
{
    const struct proto_params *P = books_params_at(bk, j->date);
    uint64_t dr = 0, cr = 0;
    int rc;

    for (uint32_t k = 0; k < j->nlines; k++) {
        const struct proto_line *l = &j->lines[k];
        const struct proto_account *a = books_account(bk, l->account, j->date);

        dr += l->debit;
        cr += l->credit;
        if (!a) {
            if ((rc = finding(bk, BOOKS_F_ACCOUNT, j->date, i, l->member, l->account,
                              (int64_t)(l->debit + l->credit), 0, 0)) < 0)
                return rc;
            continue;
        }
        if ((a->sub && !l->member) || (!a->sub && l->member)) {
            if ((rc = finding(bk, BOOKS_F_PATTERN, j->date, i, l->member, l->account,
                              (int64_t)(l->debit + l->credit), 1, 0)) < 0)
                return rc;
            continue;
        }
        /* A general journal on an account a dedicated kind owns: allowed, but flagged. */
        if (bk->items[i].pub.kind == PROTO_KIND_JOURNAL_A && P &&
            (proto_params_savings_by_account(P, l->account) ||
             role_is(P, PROTO_AR_LOANS, l->account) || role_is(P, PROTO_AR_REFUNDS, l->account) ||
             role_is(P, PROTO_AR_SHU_PAYABLE, l->account) ||
             role_is(P, PROTO_AR_SHU_CURRENT, l->account)) &&
            (rc = finding(bk, BOOKS_F_PATTERN, j->date, i, l->member, l->account,
                          (int64_t)(l->debit + l->credit), 2, 0)) < 0)
            return rc;
    }
    if (dr != cr)
        return finding(bk, BOOKS_F_UNBALANCED, j->date, i, 0, 0, (int64_t)dr - (int64_t)cr,
                       (int64_t)dr, (int64_t)cr);
    return 0;
}

/* A product and the accounts of a deposit or withdrawal: product, pattern, terms. */
static int savings_findings(struct books *bk, uint32_t i, const struct proto_params *P,
                            const char *code, uint32_t account, uint32_t cash, bool deposit,
                            const struct proto_acct_body *b,
                            const struct proto_savings_product **sp)
{
    const struct books_item *it = &bk->items[i].pub;
    int rc;

    *sp = proto_params_savings(P, code);
    if (!*sp || (*sp)->account != account)
        return finding(bk, BOOKS_F_PRODUCT, it->date, i, it->member, account, (int64_t)it->amount,
                       0, 0);
    if (!role_is(P, PROTO_AR_CASH, cash) &&
        (rc = finding(bk, BOOKS_F_PATTERN, it->date, i, it->member, cash, (int64_t)it->amount, 3,
                      0)) < 0)
        return rc;
    if (deposit && (((*sp)->class == PROTO_SAV_BERJANGKA) != b->u.deposit.has_term ||
                    (b->u.deposit.has_term && b->u.deposit.term_months != (*sp)->term_months)))
        return finding(bk, BOOKS_F_TERMS, it->date, i, it->member, account, (int64_t)it->amount,
                       (*sp)->term_months, b->u.deposit.has_term ? b->u.deposit.term_months : 0);
    return 0;
}

static int apply_findings(struct books *bk, uint32_t i, const struct proto_loan_apply *a);
static int disburse_findings(struct books *bk, uint32_t i, const struct proto_loan_disburse *d);

static int item_findings(struct books *bk, uint32_t i, struct proto_acct_body *b)
{
    const struct books_item *it = &bk->items[i].pub;
    const struct proto_params *P;
    const struct proto_savings_product *sp = NULL;
    int st, rc = 0;

    /* Judged by status and kind first: only the items that go on are decoded. */
    if (it->kind == PROTO_KIND_JOURNAL || it->kind == PROTO_KIND_JOURNAL_A)
        return 0; /* posted and judged as they were decided (journal_effect) */
    if ((it->kind != PROTO_KIND_SIGN && it->status != BOOKS_EFFECTIVE) || books_body(bk, i, b) < 0)
        return 0;
    if (it->kind == PROTO_KIND_SIGN) {
        /* A subject approving a general journal or a loan application about itself (2.3). */
        uint32_t t = item_index(bk, b->u.sign.target), subj[PROTO_LINES_MAX];
        const struct proto_device *d = dev_find(bk, it->author);
        struct proto_acct_body *tb;
        size_t ns;

        if (t == NO_ITEM || !d || b->u.sign.decision != PROTO_SIGN_APPROVE ||
            (bk->items[t].pub.kind != PROTO_KIND_JOURNAL &&
             bk->items[t].pub.kind != PROTO_KIND_JOURNAL_A &&
             bk->items[t].pub.kind != PROTO_KIND_LOAN_APPLY &&
             bk->items[t].pub.kind != PROTO_KIND_WRITE_OFF &&
             bk->items[t].pub.kind != PROTO_KIND_REVERSE))
            return 0;
        if (bk->items[t].pub.kind == PROTO_KIND_WRITE_OFF) /* its subject: the borrower */
            return bk->items[t].pub.member && bk->items[t].pub.member == d->member
                       ? finding(bk, BOOKS_F_SELF_APPROVAL, bk->items[t].pub.date, t, d->member,
                                 0, (int64_t)bk->items[t].pub.amount, 0, 0)
                       : 0;
        tb = malloc(sizeof *tb);
        if (!tb)
            return -ENOMEM;
        if (books_body(bk, t, tb) == 0) {
            ns = bk->items[t].pub.kind == PROTO_KIND_REVERSE
                     ? item_subjects(bk, t, subj, PROTO_LINES_MAX, 0)
                     : proto_acct_subjects(tb, subj, PROTO_LINES_MAX);
            if (has_u32(subj, ns, d->member))
                rc = finding(bk, BOOKS_F_SELF_APPROVAL, bk->items[t].pub.date, t, d->member, 0,
                             (int64_t)bk->items[t].pub.amount, 0, 0);
        }
        free(tb);
        return rc;
    }
    if (it->status != BOOKS_EFFECTIVE)
        return 0;
    P = books_params_at(bk, it->date);
    if (!P)
        return 0;
    st = status_at(bk, it->member, it->date,
                   it->kind == PROTO_KIND_MEMBER_ADMIT || it->kind == PROTO_KIND_MEMBER_EXIT
                       ? BEFORE_ITEM
                       : DURING_DAY,
                   (uint32_t)i, NULL, NULL);
    switch (it->kind) {
    case PROTO_KIND_MEMBER_ADMIT: {
        const struct proto_member_admit *a = &b->u.admit;
        const struct proto_savings_product *pk =
            proto_params_savings_by_account(P, a->pokok_account);

        if (active(st) && (rc = finding(bk, BOOKS_F_DUPLICATE_ADMISSION, a->date, i, a->member, 0,
                                        (int64_t)a->pokok, 0, 0)) < 0)
            return rc;
        if (a->class == PROTO_CLASS_BIASA && a->pokok != P->pokok &&
            (rc = finding(bk, BOOKS_F_POKOK_AMOUNT, a->date, i, a->member, a->pokok_account,
                          (int64_t)a->pokok, (int64_t)P->pokok, 0)) < 0)
            return rc;
        if ((!pk || pk->class != PROTO_SAV_POKOK) &&
            (rc = finding(bk, BOOKS_F_PATTERN, a->date, i, a->member, a->pokok_account,
                          (int64_t)a->pokok, 4, 0)) < 0)
            return rc;
        if (a->pokok > 0 && !role_is(P, PROTO_AR_CASH, a->cash_account))
            return finding(bk, BOOKS_F_PATTERN, a->date, i, a->member, a->cash_account,
                           (int64_t)a->pokok, 3, 0);
        return 0;
    }
    case PROTO_KIND_MEMBER_EXIT: {
        const struct proto_member_exit *x = &b->u.exit;
        /* Balances at the exit's date, without the exit's own postings (same date). */
        int64_t pk = -books_balance(bk, x->pokok_account, x->member, x->date),
                wj = -books_balance(bk, x->wajib_account, x->member, x->date);

        pk += (int64_t)x->pokok; /* the exit's own debits were counted above */
        wj += (int64_t)x->wajib;
        if (x->pokok_account == x->wajib_account) {
            pk += (int64_t)x->wajib;
            wj += (int64_t)x->pokok;
        }
        if (!active(st) &&
            (rc = finding(bk, BOOKS_F_NOT_MEMBER, x->date, i, x->member, 0, 0, st, 0)) < 0)
            return rc;
        if ((pk != (int64_t)x->pokok || wj != (int64_t)x->wajib) &&
            (rc = finding(bk, BOOKS_F_EXIT_AMOUNTS, x->date, i, x->member, 0,
                          (int64_t)(x->pokok + x->wajib), pk, wj)) < 0)
            return rc;
        if (!role_is(P, PROTO_AR_REFUNDS, x->refund_account))
            return finding(bk, BOOKS_F_PATTERN, x->date, i, x->member, x->refund_account,
                           (int64_t)(x->pokok + x->wajib), 5, 0);
        return 0;
    }
    case PROTO_KIND_EXIT_SETTLE:
        if (b->u.settle.refund > 0 && !role_is(P, PROTO_AR_REFUNDS, b->u.settle.refund_account))
            return finding(bk, BOOKS_F_PATTERN, b->u.settle.date, i, b->u.settle.member,
                           b->u.settle.refund_account, (int64_t)b->u.settle.refund, 5, 0);
        return 0;
    case PROTO_KIND_DEPOSIT: {
        const struct proto_deposit *d = &b->u.deposit;

        if ((rc = savings_findings(bk, i, P, d->product, d->account, d->cash_account, true, b,
                                   &sp)) < 0)
            return rc;
        if (!active(st) || (st == BOOKS_MEMBER_CALON && !P->calon_allowed)) {
            if ((rc = finding(bk, BOOKS_F_NON_MEMBER, d->date, i, d->member, d->account,
                              (int64_t)d->amount, st, 0)) < 0)
                return rc;
        }
        if (sp && sp->class == PROTO_SAV_POKOK) {
            int64_t total = -books_balance(bk, d->account, d->member, d->date);

            if (total > (int64_t)P->pokok)
                return finding(bk, BOOKS_F_POKOK_AMOUNT, d->date, i, d->member, d->account,
                               (int64_t)d->amount, (int64_t)P->pokok, total);
        }
        return 0;
    }
    case PROTO_KIND_WITHDRAW: {
        const struct proto_withdraw *w = &b->u.withdraw;

        if ((rc = savings_findings(bk, i, P, w->product, w->account, w->cash_account, false, b,
                                   &sp)) < 0)
            return rc;
        if (!active(st) && (rc = finding(bk, BOOKS_F_NON_MEMBER, w->date, i, w->member, w->account,
                                         (int64_t)w->amount, st, 0)) < 0)
            return rc;
        if (sp && (sp->class == PROTO_SAV_POKOK || sp->class == PROTO_SAV_WAJIB) && active(st))
            return finding(bk, BOOKS_F_EQUITY_WITHDRAWAL, w->date, i, w->member, w->account,
                           (int64_t)w->amount, sp->class, 0);
        return 0;
    }
    case PROTO_KIND_INTEREST: {
        const struct proto_interest *in = &b->u.interest;
        uint64_t tax = 0;

        /* The entry against the product in force on its date (3.6.1); its rows are judged
         * against the formulas by interest_findings. */
        sp = proto_params_savings(P, in->product);
        if (!sp || sp->account != in->account)
            return finding(bk, BOOKS_F_PRODUCT, in->date, i, 0, in->account, (int64_t)it->amount, 0,
                           0);
        if ((in->method != sp->method || in->rate_ppm != sp->rate_ppm) &&
            (rc = finding(bk, BOOKS_F_TERMS, in->date, i, 0, in->account, (int64_t)it->amount,
                          sp->rate_ppm, in->rate_ppm)) < 0)
            return rc;
        if (in->expense_account != sp->expense_account &&
            (rc = finding(bk, BOOKS_F_PATTERN, in->date, i, 0, in->expense_account,
                          (int64_t)it->amount, 6, 0)) < 0)
            return rc;
        for (uint32_t k = 0; k < in->nrows; k++)
            tax += in->rows[k].tax;
        if (tax > 0 && !role_is(P, PROTO_AR_TAX_PAYABLE, in->tax_account))
            return finding(bk, BOOKS_F_PATTERN, in->date, i, 0, in->tax_account, (int64_t)tax, 7,
                           0);
        return 0;
    }
    case PROTO_KIND_LOAN_APPLY:
        return apply_findings(bk, (uint32_t)i, &b->u.apply);
    case PROTO_KIND_LOAN_DISBURSE:
        return disburse_findings(bk, (uint32_t)i, &b->u.disburse);
    case PROTO_KIND_PROVISION:
    case PROTO_KIND_WRITE_OFF:
        return provision_findings(bk, (uint32_t)i, b, P);
    default:
        return 0;
    }
}

/* ---- savings interest (ACCOUNTING.md 3.6.1, 3.6.3) ---- */

struct igroup {
    uint32_t period;
    char product[PROTO_PARAMS_CODE_MAX + 1];
    uint32_t item; /* an effective kind 50 */
};

static int cmp_igroup(const void *a, const void *b)
{
    const struct igroup *x = a, *y = b;
    int c;

    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    c = strcmp(x->product, y->product);
    if (c)
        return c;
    return x->item < y->item ? -1 : x->item > y->item;
}

struct irow {
    uint32_t member;
    uint32_t item;
};

static int cmp_irow(const void *a, const void *b)
{
    const struct irow *x = a, *y = b;

    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

/*
 * One (period, product): the effective kind 50 entries items[0..n) (id order). Each row against
 * the formulas (interest-mismatch), a member's second row (interest-duplicate), and every member
 * the formulas give interest whom no row names (interest-missing).
 */
static int interest_group(struct books *bk, const struct igroup *g, size_t n,
                          struct proto_acct_body *b)
{
    struct proto_savings_rows exp;
    struct irow *seen = NULL;
    size_t nseen = 0, cap = 0;
    bool have_exp;
    int rc = 0;

    rc = proto_savings_expected(bk, g[0].period, g[0].product, &exp);
    if (rc == -ENOMEM)
        return rc;
    /* No product or no parameters at the period's end: the entry's own product finding says
     * so; the rows cannot be judged. */
    have_exp = rc == 0;
    rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const struct proto_interest *in = &b->u.interest;

        if (books_body(bk, g[k].item, b) < 0)
            continue;
        for (uint32_t r = 0; r < in->nrows && rc == 0; r++) {
            const struct proto_interest_row *row = &in->rows[r];
            const struct proto_savings_row *e =
                have_exp ? proto_savings_row_find(&exp, row->member) : NULL;
            uint64_t basis = e ? e->basis : 0, gross = e ? e->gross : 0, tax = e ? e->tax : 0;

            if (grow((void **)&seen, &cap, nseen + 1, sizeof *seen) < 0) {
                rc = -ENOMEM;
                break;
            }
            seen[nseen].member = row->member;
            seen[nseen++].item = g[k].item;
            if (have_exp && (row->basis != basis || row->gross != gross || row->tax != tax))
                rc = finding(bk, BOOKS_F_INTEREST_MISMATCH, in->date, g[k].item, row->member,
                             in->account, (int64_t)row->gross, (int64_t)gross, (int64_t)tax);
        }
    }
    sort_n(seen, nseen, sizeof *seen, cmp_irow);
    for (size_t k = 1; k < nseen && rc == 0; k++)
        if (seen[k].member == seen[k - 1].member)
            rc = finding(bk, BOOKS_F_INTEREST_DUPLICATE, bk->items[seen[k].item].pub.date,
                         seen[k].item, seen[k].member, 0, 0, (int64_t)g[0].period, 0);
    for (size_t k = 0; have_exp && k < exp.n && rc == 0; k++) {
        struct irow key = {exp.rows[k].member, 0};
        size_t lo = 0, hi = nseen;

        if (exp.rows[k].gross == 0)
            continue;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (cmp_irow(&seen[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < nseen && seen[lo].member == key.member)
            continue;
        rc = finding(bk, BOOKS_F_INTEREST_MISSING, exp.last, NO_ITEM, key.member,
                     exp.product.account, (int64_t)exp.rows[k].gross, (int64_t)exp.rows[k].gross,
                     (int64_t)exp.rows[k].tax);
    }
    free(seen);
    if (have_exp)
        proto_savings_rows_release(&exp);
    return rc;
}

static int interest_findings(struct books *bk, struct proto_acct_body *b)
{
    struct igroup *g;
    size_t n = 0;
    int rc = 0;

    for (size_t i = 0; i < bk->nitems; i++)
        n += bk->items[i].pub.kind == PROTO_KIND_INTEREST &&
             bk->items[i].pub.status == BOOKS_EFFECTIVE;
    if (n == 0)
        return 0;
    g = malloc(n * sizeof *g);
    if (!g)
        return -ENOMEM;
    n = 0;
    for (size_t i = 0; i < bk->nitems; i++)
        if (bk->items[i].pub.kind == PROTO_KIND_INTEREST &&
            bk->items[i].pub.status == BOOKS_EFFECTIVE) {
            g[n].period = bk->items[i].iperiod;
            memcpy(g[n].product, bk->items[i].iproduct, sizeof g[n].product);
            g[n++].item = (uint32_t)i;
        }
    sort_n(g, n, sizeof *g, cmp_igroup); /* (period, product, id): groups, in id order */
    for (size_t k = 0; k < n && rc == 0;) {
        size_t e = k + 1;

        while (e < n && g[e].period == g[k].period && strcmp(g[e].product, g[k].product) == 0)
            e++;
        rc = interest_group(bk, &g[k], e - k, b);
        k = e;
    }
    free(g);
    return rc;
}

/*
 * Overdrawn savings (3.6.1): the end-of-day balance of (member, account) below zero on a day;
 * one finding per run of negative days, dated its first day, amount the lowest balance. Checked
 * on member sub-ledgers of liability and equity accounts (savings, refunds due). Walks the
 * postings by (account, member, date, item, line) (bk->by_am); the findings are sorted at the
 * end, so the order of the groups does not matter.
 */
static int overdrawn(struct books *bk)
{
    const uint32_t *v = bk->by_am;
    size_t n = bk->npostings;
    int rc = 0;

    for (size_t k = 0; k < n && rc == 0;) {
        const struct books_posting *p0 = &bk->postings[v[k]];
        size_t g = k;
        int64_t bal = 0, low = 0;
        uint32_t since = 0, first_item = NO_ITEM;

        while (g < n && bk->postings[v[g]].account == p0->account &&
               bk->postings[v[g]].member == p0->member) {
            uint32_t d = bk->postings[v[g]].date, below = NO_ITEM;
            bool any = false;

            /* Within the day, in canonical (id) order: the entry that first takes the running
             * balance below zero is the one the finding names. */
            for (; g < n; g++) {
                const struct books_posting *p = &bk->postings[v[g]];
                const struct proto_account *a;

                if (p->account != p0->account || p->member != p0->member || p->date != d)
                    break;
                if (!p->member)
                    continue;
                a = books_account(bk, p->account, p->date);
                if (!a || (a->type != PROTO_ACCT_LIABILITY && a->type != PROTO_ACCT_EQUITY))
                    continue;
                any = true;
                bal += (int64_t)p->credit - (int64_t)p->debit;
                if (bal < 0 && below == NO_ITEM)
                    below = p->item;
            }
            if (!any)
                continue; /* (no posting of this day counts: as if it were not there) */
            if (bal < 0) {
                if (!since) {
                    since = d;
                    low = bal;
                    first_item = below;
                } else if (bal < low) {
                    low = bal;
                }
            } else if (since) {
                rc = finding(bk, BOOKS_F_OVERDRAWN, since, first_item, p0->member, p0->account,
                             low, 0, 0);
                since = 0;
                if (rc < 0)
                    break;
            }
        }
        if (since && rc == 0)
            rc = finding(bk, BOOKS_F_OVERDRAWN, since, first_item, p0->member, p0->account, low,
                         0, 0);
        k = g;
    }
    free(bk->by_am);
    bk->by_am = NULL;
    return rc;
}

static int cmp_regmember(const void *a, const void *b)
{
    uint32_t x = ((const struct regev *)a)->member, y = ((const struct regev *)b)->member;

    return x < y ? -1 : x > y;
}

/* Members with capital (pokok/wajib) postings but no register entry: legacy data (4.6). */
static int members_and_unregistered(struct books *bk)
{
    size_t cap = bk->ndevs + bk->nreg + bk->npostings + 1, n = 0;
    uint32_t *m = malloc(cap * sizeof *m);

    if (!m)
        return -ENOMEM;
    for (size_t i = 0; i < bk->ndevs; i++)
        if (bk->devs[i].d.member)
            m[n++] = bk->devs[i].d.member;
    for (size_t i = 0; i < bk->nreg; i++)
        m[n++] = bk->reg[i].member;
    /* The members on postings: one per (account, member) group of the balance index. */
    for (size_t i = 0; i < bk->nbal_m; i++)
        if (bk->bal_m[i].member && (n == 0 || m[n - 1] != bk->bal_m[i].member))
            m[n++] = bk->bal_m[i].member;
    n = uniq_u32(m, n);
    bk->members = m;
    bk->nmembers = n;
    if (bk->nversions == 0)
        return 0; /* a ledger without parameters has no register to compare with */
    /* The first capital posting of each member without a register entry: postings are in
     * date order, so one pass keeps the first date per member (register members are sorted in
     * bk->reg by member). */
    {
        uint32_t *first = calloc(n + 1, sizeof *first);

        if (!first)
            return -ENOMEM;
        bk->legacy = calloc(n + 1, sizeof *bk->legacy);
        if (!bk->legacy) {
            free(first);
            return -ENOMEM;
        }
        for (size_t k = 0; k < bk->npostings; k++) {
            const struct books_posting *p = &bk->postings[k];
            const struct proto_params *P;
            const uint32_t *at;

            if (!p->member)
                continue;
            at = n ? bsearch(&p->member, m, n, sizeof *m, cmp_u32) : NULL;
            if (!at || first[at - m])
                continue;
            P = books_params_at(bk, p->date);
            if (P &&
                (role_is(P, PROTO_AR_POKOK, p->account) || role_is(P, PROTO_AR_WAJIB, p->account)))
                first[at - m] = p->date;
        }
        for (size_t i = 0; i < n; i++) {
            struct regev key = {.member = m[i]};

            if (!first[i] ||
                (bk->nreg && bsearch(&key, bk->reg, bk->nreg, sizeof *bk->reg, cmp_regmember)))
                continue;
            bk->legacy[bk->nlegacy].member = m[i];
            bk->legacy[bk->nlegacy++].first = first[i];
        }
        free(first);
    }
    return 0;
}

/* The member-unregistered findings (info). */
static int legacy_findings(struct books *bk)
{
    int rc = 0;

    for (size_t i = 0; i < bk->nlegacy && rc == 0; i++)
        rc = finding(bk, BOOKS_F_MEMBER_UNREGISTERED, bk->legacy[i].first, NO_ITEM,
                     bk->legacy[i].member, 0, 0, 0, 0);
    return rc;
}

static int decide_pass(uint32_t kind)
{
    switch (kind) {
    case PROTO_KIND_WITHDRAW:
    case PROTO_KIND_LOAN_DISBURSE:
    case PROTO_KIND_SHU_ALLOCATE:
        return 1;
    case PROTO_KIND_EXIT_SETTLE: /* its offsets build on disbursed loans */
    case PROTO_KIND_LOAN_REPAY:
    case PROTO_KIND_LATE_FEE:
    case PROTO_KIND_WRITE_OFF:
        return 2;
    case PROTO_KIND_REVERSE:
        return 3; /* after every target it can name (a reversal of a reversal: recursively) */
    default:
        return 0;
    }
}

struct lbkey {
    uint32_t borrower, index;
};

static int cmp_lbkey(const void *a, const void *b)
{
    const struct lbkey *x = a, *y = b;

    if (x->borrower != y->borrower)
        return x->borrower < y->borrower ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The loans: every effective or waiting application, with its first effective disbursement
 * (by date, then id). Runs after the disbursements are decided. */
static int loans_build(struct books *bk, struct proto_acct_body *b)
{
    size_t n = 0;

    for (size_t i = 0; i < bk->nitems; i++)
        n += bk->items[i].pub.kind == PROTO_KIND_LOAN_APPLY &&
             (bk->items[i].pub.status == BOOKS_EFFECTIVE ||
              bk->items[i].pub.status == BOOKS_WAITING);
    bk->loans = calloc(n + 1, sizeof *bk->loans);
    if (!bk->loans)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;
        struct books_loan *l;

        if (it->kind != PROTO_KIND_LOAN_APPLY ||
            (it->status != BOOKS_EFFECTIVE && it->status != BOOKS_WAITING))
            continue;
        if (books_body(bk, i, b) < 0)
            continue;
        l = &bk->loans[bk->nloans++].pub;
        l->item = (uint32_t)i;
        l->borrower = b->u.apply.borrower;
        memcpy(l->product, b->u.apply.product, sizeof l->product);
        l->principal = b->u.apply.principal;
        l->status = it->status == BOOKS_EFFECTIVE ? BOOKS_LOAN_APPROVED : BOOKS_LOAN_APPLIED;
        l->officer = books_is_officer(bk, l->borrower);
    }
    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;
        struct books_loan *l;

        if (it->kind != PROTO_KIND_LOAN_DISBURSE || it->status != BOOKS_EFFECTIVE ||
            books_body(bk, i, b) < 0)
            continue;
        l = (struct books_loan *)books_loan_find(bk, b->u.disburse.loan);
        if (!l)
            continue;
        if (!l->disbursed || it->date < l->disbursed) {
            l->disbursed = it->date;
            l->disburse_item = (uint32_t)i;
        }
        l->status = BOOKS_LOAN_DISBURSED;
    }
    /* Loans by borrower, then id (the order they are in). */
    bk->lb = malloc((bk->nloans + 1) * sizeof *bk->lb);
    if (!bk->lb)
        return -ENOMEM;
    {
        struct lbkey *v = malloc((bk->nloans + 1) * sizeof *v);

        if (!v)
            return -ENOMEM;
        for (size_t k = 0; k < bk->nloans; k++) {
            v[k].borrower = bk->loans[k].pub.borrower;
            v[k].index = (uint32_t)k;
        }
        sort_n(v, bk->nloans, sizeof *v, cmp_lbkey);
        for (size_t k = 0; k < bk->nloans; k++)
            bk->lb[k] = v[k].index;
        free(v);
    }
    return 0;
}

static int cmp_ev(const void *a, const void *b, const struct books *bk)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    uint32_t dx = bk->items[x].pub.date, dy = bk->items[y].pub.date;

    if (dx != dy)
        return dx < dy ? -1 : 1;
    /* Within a day, late fees before payments (a fee charged that day is due that day), a
     * write-off last, then by id: never by arrival. */
    if (loan_event_rank(bk->items[x].pub.kind) != loan_event_rank(bk->items[y].pub.kind))
        return loan_event_rank(bk->items[x].pub.kind) < loan_event_rank(bk->items[y].pub.kind)
                   ? -1
                   : 1;
    return x < y ? -1 : x > y;
}

/* Each loan's effective repayments and late fees, by (date, id), with the settlements and
 * write-offs of loans_more_events. */
static int loans_events(struct books *bk)
{
    struct proto_acct_body *b = malloc(sizeof *b);

    if (!b)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;
        struct loan *l;
        uint32_t *v;

        if ((it->kind != PROTO_KIND_LOAN_REPAY && it->kind != PROTO_KIND_LATE_FEE) ||
            it->status != BOOKS_EFFECTIVE || books_body(bk, i, b) < 0)
            continue;
        l = (struct loan *)books_loan_find(bk, loan_ref(b));
        if (!l)
            continue;
        v = realloc(l->ev, (l->nev + 1) * sizeof *v);
        if (!v) {
            free(b);
            return -ENOMEM;
        }
        l->ev = v;
        l->ev[l->nev++] = (uint32_t)i;
    }
    {
        int rc = loans_more_events(bk, b);

        if (rc < 0) {
            free(b);
            return rc;
        }
    }
    free(b);
    for (size_t k = 0; k < bk->nloans; k++) {
        struct loan *l = &bk->loans[k];

        /* Insertion sort: a loan has tens of events. */
        for (size_t a = 1; a < l->nev; a++) {
            uint32_t x = l->ev[a];
            size_t j = a;

            while (j > 0 && cmp_ev(&l->ev[j - 1], &x, bk) > 0) {
                l->ev[j] = l->ev[j - 1];
                j--;
            }
            l->ev[j] = x;
        }
    }
    return 0;
}

size_t books_nloans(const struct books *bk)
{
    return bk->nloans;
}

const struct books_loan *books_loan_at(const struct books *bk, size_t i)
{
    return i < bk->nloans ? &bk->loans[i].pub : NULL;
}

const struct books_loan *books_loan_find(const struct books *bk, const uint8_t id[32])
{
    uint32_t t = item_index(bk, id);
    size_t lo = 0, hi = bk->nloans;

    if (t == NO_ITEM)
        return NULL;
    while (lo < hi) { /* loans are in item (id) order */
        size_t mid = lo + (hi - lo) / 2;

        if (bk->loans[mid].pub.item == t)
            return &bk->loans[mid].pub;
        if (bk->loans[mid].pub.item < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int books_loan_apply(const struct books *bk, const struct books_loan *l,
                     struct proto_loan_apply *out)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    int rc;

    if (!b)
        return -ENOMEM;
    rc = books_body(bk, l->item, b);
    if (rc == 0)
        *out = b->u.apply;
    free(b);
    return rc;
}

int books_loan_schedule(const struct books *bk, const struct books_loan *l,
                        struct proto_loan_schedule *out)
{
    struct proto_loan_apply a;
    struct proto_loan_terms t;
    int rc;

    if (!l->disbursed)
        return -EINVAL;
    rc = books_loan_apply(bk, l, &a);
    if (rc < 0)
        return rc;
    memset(&t, 0, sizeof t);
    t.principal = a.principal;
    t.rate_ppm = a.rate_ppm;
    t.periods = a.periods;
    t.method = a.method;
    t.round = a.rounding;
    rc = proto_day_from_ymd(l->disbursed, &t.disbursed);
    if (rc < 0)
        return rc;
    return proto_loan_schedule_build(&t, out);
}

/* The loan's events dated <= ymd: repaid interest + principal as schedule payments, penalty
 * paid and late fees charged. */
static int loan_paid(const struct books *bk, const struct loan *l, uint32_t ymd,
                     struct proto_loan_payment *pay, size_t *npay, struct books_loan_state *st)
{
    struct proto_acct_body *b = malloc(sizeof *b);

    *npay = 0;
    if (!b)
        return -ENOMEM;
    for (size_t k = 0; k < l->nev; k++) {
        const struct books_item *it = &bk->items[l->ev[k]].pub;

        if (it->date > ymd)
            break;
        if (books_reversed_at(bk, l->ev[k], ymd)) /* removed from its reversal's date */
            continue;
        if (books_body(bk, l->ev[k], b) < 0)
            continue;
        if (it->kind == PROTO_KIND_LATE_FEE) {
            st->late_fees += b->u.latefee.amount;
            continue;
        }
        {
            uint64_t oi, op;

            if (loan_paid_more(bk, l, it, b, st, &oi, &op)) {
                st->interest_paid += oi;
                st->principal_paid += op;
                if (oi + op > 0 && pay) {
                    (void)proto_day_from_ymd(it->date, &pay[*npay].day);
                    pay[(*npay)++].amount = oi + op;
                }
                continue;
            }
        }
        st->penalty_paid += b->u.repay.penalty;
        st->interest_paid += b->u.repay.interest;
        st->principal_paid += b->u.repay.principal;
        if (b->u.repay.interest + b->u.repay.principal > 0 && pay) {
            (void)proto_day_from_ymd(it->date, &pay[*npay].day);
            pay[(*npay)++].amount = b->u.repay.interest + b->u.repay.principal;
        }
    }
    free(b);
    st->penalty_due = st->late_fees > st->penalty_paid ? st->late_fees - st->penalty_paid : 0;
    return 0;
}

/* The risk buckets of a parameter version as proto/loan.h takes them. */
static void buckets_of(const struct proto_params *P, struct proto_loan_buckets *bt)
{
    memset(bt, 0, sizeof *bt);
    for (uint32_t k = 0; P && k < P->nrisk && k < PROTO_LOAN_BUCKETS_MAX; k++) {
        bt->b[k].min_days = P->risk[k].min_days;
        bt->b[k].max_days = P->risk[k].max_days;
        bt->b[k].ppap_ppm = P->risk[k].ppap_ppm;
        bt->n++;
    }
}

int books_loan_state(const struct books *bk, const struct books_loan *pub, uint32_t ymd,
                     struct books_loan_state *out)
{
    const struct loan *l = (const struct loan *)pub;
    const struct proto_params *P = books_params_at(bk, ymd);
    struct proto_loan_schedule *s;
    struct proto_loan_payment *pay;
    struct proto_loan_buckets bt;
    struct proto_loan_status ls;
    size_t npay = 0;
    int32_t day;
    int rc;

    memset(out, 0, sizeof *out);
    out->status = pub->status;
    if (pub->status == BOOKS_LOAN_REVERSED && ymd < pub->reversed)
        out->status = BOOKS_LOAN_DISBURSED; /* disbursed until its reversal's date */
    if (out->status == BOOKS_LOAN_DISBURSED && pub->disbursed > ymd)
        out->status = BOOKS_LOAN_APPROVED;
    if (out->status != BOOKS_LOAN_DISBURSED)
        return 0;
    s = malloc(sizeof *s);
    pay = malloc((l->nev + 1) * sizeof *pay);
    if (!s || !pay) {
        free(s);
        free(pay);
        return -ENOMEM;
    }
    rc = books_loan_schedule(bk, pub, s);
    if (rc == 0)
        rc = loan_paid(bk, l, ymd, pay, &npay, out);
    buckets_of(P, &bt);
    if (rc == 0 && (rc = proto_day_from_ymd(ymd, &day)) == 0) {
        if (bt.n == 0) { /* no parameters: one bucket, no allowance */
            bt.n = 1;
            bt.b[0].max_days = UINT32_MAX;
        }
        rc = proto_loan_status_compute(s, pay, npay, day, &bt, P ? &P->rounding : &s->terms.round,
                                       &ls);
    }
    if (rc == 0) {
        /* Outstanding is what the repayments' principal parts left (so the portfolio equals
         * the receivable accounts, ACCOUNTING.md 9.2); arrears and days past due come from the
         * schedule, which the repayments' interest + principal settle oldest first. */
        out->outstanding =
            pub->principal > out->principal_paid ? pub->principal - out->principal_paid : 0;
        out->arrears = ls.arrears;
        out->dpd = ls.days_past_due;
        out->has_bucket = P && P->nrisk > 0;
        out->bucket = ls.bucket;
        out->klass = out->has_bucket ? P->risk[ls.bucket].class : 0;
        out->ppap_ppm = out->has_bucket ? P->risk[ls.bucket].ppap_ppm : 0;
        if (out->has_bucket &&
            proto_loan_ppap(out->outstanding, out->ppap_ppm, &P->rounding, &out->ppapwd) < 0)
            out->ppapwd = 0;
        if (ls.next_period >= 1 && ls.next_period <= s->n) {
            const struct proto_loan_installment *in = &s->inst[ls.next_period - 1];
            uint64_t before = 0, paid = ls.paid;

            (void)proto_day_to_ymd(in->due, &out->next_due);
            for (uint32_t k = 0; k + 1 < ls.next_period; k++)
                before += s->inst[k].total;
            paid = paid > before ? paid - before : 0;
            out->next_amount = in->total > paid ? in->total - paid : 0;
        }
        if (out->outstanding == 0)
            out->status = BOOKS_LOAN_PAID;
        loan_state_written_off(bk, pub, ymd, out);
    }
    free(s);
    free(pay);
    return rc;
}

/* ---- loan findings (ACCOUNTING.md 3.7.3) ---- */

static bool fees_equal(const struct proto_acct_row *a, uint32_t na, const struct proto_acct_row *b,
                       uint32_t nb)
{
    if (na != nb)
        return false;
    for (uint32_t k = 0; k < na; k++)
        if (a[k].account != b[k].account || a[k].amount != b[k].amount)
            return false;
    return true;
}

int64_t books_savings(const struct books *bk, const struct proto_params *P, uint32_t m,
                      uint32_t ymd)
{
    int64_t v = 0;

    for (uint32_t k = 0; k < P->nsavings; k++) {
        bool seen = false;

        for (uint32_t j = 0; j < k; j++)
            seen |= P->savings[j].account == P->savings[k].account;
        if (!seen)
            v += books_balance_natural(bk, P->savings[k].account, m, ymd);
    }
    return v;
}

/* Whether an application's fees are the product's, computed on its principal (type 1 a fixed
 * amount, type 2 a share of the principal rounded per the parameters), in the product's order. */
static bool fees_per_product(const struct proto_loan_apply *a, const struct proto_loan_product *lp,
                             const struct proto_loan_rounding *rnd)
{
    if (a->nfees != lp->nfees)
        return false;
    for (uint32_t k = 0; k < a->nfees; k++) {
        uint64_t want = lp->fees[k].value;

        if (lp->fees[k].type == 2 &&
            proto_loan_muldiv(a->principal, lp->fees[k].value, 1000000, rnd, &want) < 0)
            return false;
        if (a->fees[k].account != lp->fees[k].account || a->fees[k].amount != want)
            return false;
    }
    return true;
}

static int apply_findings(struct books *bk, uint32_t i, const struct proto_loan_apply *a)
{
    const struct proto_params *P = books_params_at(bk, a->date);
    const struct proto_loan_product *lp;
    int rc;

    if (!P)
        return 0;
    lp = proto_params_loan(P, a->product);
    if (!lp)
        return finding(bk, BOOKS_F_PRODUCT, a->date, i, a->borrower, 0, (int64_t)a->principal, 0,
                       0);
    {
        uint64_t annual = lp->rate_period == 1 ? (uint64_t)lp->rate_ppm * 12 : lp->rate_ppm;

        if (a->method != lp->method || a->rate_ppm != annual || a->periods < lp->periods_min ||
            a->periods > lp->periods_max || a->principal < lp->principal_min ||
            a->principal > lp->principal_max || a->rounding.mode != P->rounding.mode ||
            a->rounding.unit != P->rounding.unit || a->receivable != lp->receivable ||
            a->interest != lp->interest || a->penalty != lp->penalty ||
            !fees_per_product(a, lp, &P->rounding))
            if ((rc = finding(bk, BOOKS_F_TERMS, a->date, i, a->borrower, 0, (int64_t)a->principal,
                              (int64_t)annual, a->rate_ppm)) < 0)
                return rc;
    }
    if (lp->savings_multiple_ppm) {
        int64_t sv = books_savings(bk, P, a->borrower, a->date);
        uint64_t cap = sv > 0 ? (uint64_t)sv / 1000000 * lp->savings_multiple_ppm +
                                    (uint64_t)sv % 1000000 * lp->savings_multiple_ppm / 1000000
                              : 0;

        if (a->principal > cap && (rc = finding(bk, BOOKS_F_LIMIT, a->date, i, a->borrower, 0,
                                                (int64_t)a->principal, (int64_t)cap, sv)) < 0)
            return rc;
    }
    {
        int st = status_at(bk, a->borrower, a->date, DURING_DAY, i, NULL, NULL);

        if (!active(st) && (rc = finding(bk, BOOKS_F_NON_MEMBER, a->date, i, a->borrower, 0,
                                         (int64_t)a->principal, st, 0)) < 0)
            return rc;
    }
    /* Another loan of the borrower past due on the application's date. */
    {
        size_t lo = 0, hi = bk->nloans;

        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (bk->loans[bk->lb[mid]].pub.borrower < a->borrower)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < bk->nloans && bk->loans[bk->lb[lo]].pub.borrower == a->borrower; lo++) {
            const struct books_loan *o = &bk->loans[bk->lb[lo]].pub;
            struct books_loan_state st;

            if (o->item == i || !o->disbursed || o->disbursed > a->date ||
                books_loan_state(bk, o, a->date, &st) < 0 || st.dpd == 0)
                continue;
            rc = finding(bk, BOOKS_F_DELINQUENT_BORROWER, a->date, i, a->borrower, 0,
                         (int64_t)a->principal, st.dpd, (int64_t)st.arrears);
            if (rc < 0)
                return rc;
            break;
        }
    }
    if (books_is_officer(bk, a->borrower))
        return finding(bk, BOOKS_F_OFFICER_LOAN, a->date, i, a->borrower, 0, (int64_t)a->principal,
                       0, 0);
    return 0;
}

static int disburse_findings(struct books *bk, uint32_t i, const struct proto_loan_disburse *d)
{
    const struct books_item *it = &bk->items[i].pub;
    const struct books_loan *l = books_loan_find(bk, d->loan);
    struct proto_loan_apply a;
    int rc;

    if (!l || books_loan_apply(bk, l, &a) < 0)
        return 0;
    if (d->gross != a.principal &&
        (rc = finding(bk, BOOKS_F_DISBURSE_AMOUNT, d->date, i, a.borrower, 0, (int64_t)d->gross,
                      (int64_t)a.principal, 0)) < 0)
        return rc;
    if (!fees_equal(d->fees, d->nfees, a.fees, a.nfees) &&
        (rc = finding(bk, BOOKS_F_TERMS, d->date, i, a.borrower, 0, (int64_t)d->gross, 0, 0)) < 0)
        return rc;
    if (l->disburse_item != i && (rc = finding(bk, BOOKS_F_DOUBLE_DISBURSEMENT, d->date, i,
                                               a.borrower, 0, (int64_t)d->gross, 0, 0)) < 0)
        return rc;
    if (d->date < a.date && (rc = finding(bk, BOOKS_F_DATE_ORDER, d->date, i, a.borrower, 0,
                                          (int64_t)d->gross, a.date, 0)) < 0)
        return rc;
    if (it->author_member == a.borrower)
        return finding(bk, BOOKS_F_SELF_DISBURSEMENT, d->date, i, a.borrower, 0, (int64_t)d->gross,
                       0, 0);
    return 0;
}

/*
 * Repayments and late fees of one loan, in (date, id) order: the allocation check (penalty,
 * then interest, then principal due), overpayment, interest and penalty overcharges, and late
 * fees on installments that are not overdue.
 */
static int loan_findings(struct books *bk, const struct loan *l)
{
    struct proto_loan_schedule *s = malloc(sizeof *s);
    struct proto_acct_body *b = malloc(sizeof *b);
    uint64_t late = 0, pen = 0, intr = 0, prin = 0;
    bool writeoff_seen = false;
    int rc = 0;

    if (!s || !b) {
        free(s);
        free(b);
        return -ENOMEM;
    }
    if (books_loan_schedule(bk, &l->pub, s) < 0)
        goto out;
    for (size_t k = 0; k < l->nev && rc == 0; k++) {
        uint32_t i = l->ev[k];
        const struct books_item *it = &bk->items[i].pub;
        int32_t day;
        uint64_t sched_i = 0, sched_p = 0;

        if (books_body(bk, i, b) < 0 || proto_day_from_ymd(it->date, &day) < 0 ||
            books_reversed_at(bk, i, UINT32_MAX))
            continue;
        for (uint32_t n = 0; n < s->n && s->inst[n].due <= day; n++) {
            sched_i += s->inst[n].interest;
            sched_p += s->inst[n].principal;
        }
        if (it->kind == PROTO_KIND_LATE_FEE) {
            uint32_t inst = b->u.latefee.installment;

            if ((inst < 1 || inst > s->n || s->inst[inst - 1].due >= day) &&
                (rc = finding(bk, BOOKS_F_LATE_FEE_MISMATCH, it->date, i, l->pub.borrower, 0,
                              (int64_t)b->u.latefee.amount, inst, 0)) < 0)
                break;
            late += b->u.latefee.amount;
            continue;
        }
        /* Money received on a loan once written off is a recovery (3.8: journal-a to 4900). */
        if (writeoff_seen && it->kind != PROTO_KIND_WRITE_OFF) {
            uint64_t op = 0, oi = 0;

            if (it->kind == PROTO_KIND_EXIT_SETTLE)
                settle_offset_of(&b->u.settle, bk->items[l->pub.item].pub.id, &op, &oi);
            else
                op = b->u.repay.principal, oi = b->u.repay.interest;
            if ((rc = finding(bk, BOOKS_F_REPAY_WRITTEN_OFF, it->date, i, l->pub.borrower, 0,
                              (int64_t)(op + oi), l->pub.written_off, 0)) < 0)
                break;
        }
        if (it->kind == PROTO_KIND_WRITE_OFF) {
            rc = writeoff_findings(bk, l, i, b, s, prin);
            writeoff_seen |= l->pub.writeoff_item == i;
            continue;
        }
        if (it->kind == PROTO_KIND_EXIT_SETTLE) {
            rc = settle_offset_findings(bk, l, i, b, s, &intr, &prin);
            continue;
        }
        {
            const struct proto_loan_repay *r = &b->u.repay;
            struct proto_loan_due due;
            struct proto_loan_alloc a;

            due.penalty = late > pen ? late - pen : 0;
            due.interest = sched_i > intr ? sched_i - intr : 0;
            due.principal = sched_p > prin ? sched_p - prin : 0;
            if (proto_loan_allocate(&due, it->amount, &a) == 0 &&
                (r->penalty != a.penalty || r->interest < a.interest ||
                 r->principal < a.principal) &&
                (rc = finding(bk, BOOKS_F_ALLOCATION, it->date, i, l->pub.borrower, 0,
                              (int64_t)it->amount, (int64_t)a.interest, (int64_t)a.principal)) < 0)
                break;
            if (r->penalty > due.penalty &&
                (rc = finding(bk, BOOKS_F_PENALTY_OVERCHARGE, it->date, i, l->pub.borrower, 0,
                              (int64_t)r->penalty, (int64_t)due.penalty, 0)) < 0)
                break;
            pen += r->penalty;
            intr += r->interest;
            prin += r->principal;
            /* Every repayment that takes principal (interest) beyond the loan's total. */
            if (r->principal > 0 && prin > s->sum_principal &&
                (rc = finding(bk, BOOKS_F_OVERPAYMENT, it->date, i, l->pub.borrower, 0,
                              (int64_t)r->principal, (int64_t)s->sum_principal, 0)) < 0)
                break;
            if (r->interest > 0 && intr > s->sum_interest &&
                (rc = finding(bk, BOOKS_F_INTEREST_OVERCHARGE, it->date, i, l->pub.borrower, 0,
                              (int64_t)r->interest, (int64_t)s->sum_interest, 0)) < 0)
                break;
        }
    }
out:
    free(s);
    free(b);
    return rc;
}


/* ---- closed years (ACCOUNTING.md 3.4, 4.5) ---- */

static int cmp_cls(const void *a, const void *b)
{
    const struct cls *x = a, *y = b;

    if (x->pub.end != y->pub.end)
        return x->pub.end < y->pub.end ? -1 : 1;
    return memcmp(x->id, y->id, 32);
}

/* Whether the frontier rows (by author) cover the entry (author, seq). */
static bool rows_cover(const struct proto_frontier_row *rows, size_t n, const uint8_t author[32],
                       uint64_t seq)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(rows[mid].author, author, 32);

        if (c == 0)
            return seq <= rows[mid].length;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/*
 * The effective closes: one per period (two whose periods overlap: the one with more approving
 * members, then the lower id, counts; the other is void, close-conflict), by (end, id), each
 * with its whole frontier; findings close-early and frontier-regress.
 */
static int closes_decide(struct books *bk)
{
    struct proto_close *c = malloc(sizeof *c);
    int rc = 0;

    if (!c)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++) {
        struct bitem *it = &bk->items[i];
        struct cls *x;

        if (it->pub.kind != PROTO_KIND_CLOSE || it->pub.status != BOOKS_EFFECTIVE ||
            proto_close_decode(it->body, it->len, c) < 0)
            continue;
        if ((rc = grow((void **)&bk->closes, &bk->capcloses, bk->ncloses + 1,
                       sizeof *bk->closes)) < 0)
            break;
        x = &bk->closes[bk->ncloses];
        memset(x, 0, sizeof *x);
        x->pub.item = (uint32_t)i;
        x->pub.year = c->year;
        x->pub.start = c->start;
        x->pub.end = c->end;
        memcpy(x->pub.frontier, c->frontier_digest, 32);
        memcpy(x->id, it->pub.id, 32);
        rc = close_rows(bk, (uint32_t)i, c, &x->rows, &x->nrows);
        if (rc < 0)
            break;
        if (rc != 0) {
            rc = 0; /* (cannot happen: the close is effective) */
            continue;
        }
        bk->ncloses++;
    }
    free(c);
    if (rc < 0)
        return rc;
    sort_n(bk->closes, bk->ncloses, sizeof *bk->closes, cmp_cls);
    /* Overlapping periods: the loser is void. */
    for (size_t a = 0; a < bk->ncloses; a++) {
        for (size_t b = a + 1; b < bk->ncloses; b++) {
            struct cls *x = &bk->closes[a], *y = &bk->closes[b], *lose;
            const struct books_item *xi, *yi;

            if (x->pub.item == NO_ITEM || y->pub.item == NO_ITEM || y->pub.start > x->pub.end)
                continue;
            xi = &bk->items[x->pub.item].pub;
            yi = &bk->items[y->pub.item].pub;
            lose = xi->approvers > yi->approvers   ? y
                   : yi->approvers > xi->approvers ? x
                   : memcmp(xi->id, yi->id, 32) < 0 ? y
                                                    : x;
            set_status(&bk->items[lose->pub.item], BOOKS_VOID, BOOKS_VOID_CONFLICT);
            rc = finding(bk, BOOKS_F_CLOSE_CONFLICT, bk->items[lose->pub.item].pub.date,
                         lose->pub.item, 0, 0, 0, (int64_t)(lose == x ? y : x)->pub.item, 0);
            if (rc < 0)
                return rc;
            lose->pub.item = NO_ITEM;
        }
    }
    {
        size_t m = 0;

        for (size_t a = 0; a < bk->ncloses; a++) {
            if (bk->closes[a].pub.item == NO_ITEM) {
                free(bk->closes[a].rows);
                continue;
            }
            bk->closes[m++] = bk->closes[a];
        }
        bk->ncloses = m;
    }
    for (size_t a = 0; a < bk->ncloses; a++) {
        const struct cls *x = &bk->closes[a];
        const struct books_item *xi = &bk->items[x->pub.item].pub;

        if (xi->date <= x->pub.end &&
            (rc = finding(bk, BOOKS_F_CLOSE_EARLY, xi->date, x->pub.item, 0, 0, 0, x->pub.end,
                          0)) < 0)
            return rc;
        if (a == 0)
            continue;
        /* Every feed of the previous close's frontier only grew. */
        for (size_t r = 0; r < bk->closes[a - 1].nrows; r++) {
            const struct proto_frontier_row *pr = &bk->closes[a - 1].rows[r];

            if (!rows_cover(x->rows, x->nrows, pr->author, pr->length)) {
                rc = finding(bk, BOOKS_F_FRONTIER_REGRESS, xi->date, x->pub.item, 0, 0, 0,
                             (int64_t)bk->closes[a - 1].pub.item, 0);
                if (rc < 0)
                    return rc;
                break;
            }
        }
    }
    return 0;
}

/* The books of the set close k closed: the entries its frontier covers, and the close itself
 * taken as effective. */
static int closed_books(struct books *bk, size_t k)
{
    struct cls *c = &bk->closes[k];
    struct books *ch;
    int rc = books_new(bk->g, bk->ledger, bk->gauthor, &ch);

    if (rc < 0)
        return rc;
    for (size_t d = 0; d < bk->ndevs && rc == 0; d++)
        rc = books_device(ch, &bk->devs[d].d);
    ch->id_at = bk->id_at;
    ch->id_ctx = bk->id_ctx;
    ch->is_closed = true;
    memcpy(ch->forced, c->id, 32);
    ch->parent = bk;
    ch->parent_ncloses = k;
    {
        /* The close and its frontier parts (written after the frontier was taken, so outside
         * it) belong to the closed set as its author computed it. */
        struct proto_close *body = malloc(sizeof *body);

        if (!body || proto_close_decode(bk->items[c->pub.item].body,
                                        bk->items[c->pub.item].len, body) < 0)
            rc = -ENOMEM; /* (the close decoded when it was decided: only memory can fail) */
        for (size_t i = 0; i < bk->nitems && rc == 0; i++) {
            const struct bitem *it = &bk->items[i];
            bool part = false;

            for (uint32_t p = 0; p < body->nparts && !part; p++)
                part = memcmp(body->parts[p], it->pub.id, 32) == 0;
            if (i == c->pub.item || part ||
                rows_cover(c->rows, c->nrows, it->pub.author, it->pub.seq))
                rc = books_entry(ch, it->pub.id, it->pub.author, it->pub.seq, it->pub.kind,
                                 it->body, it->len);
        }
        /* The transparency entries the frontier covers (kept aside by books_entry). */
        for (size_t i = 0; i < bk->ntrefs && rc == 0; i++)
            if (rows_cover(c->rows, c->nrows, bk->trefs[i].author, bk->trefs[i].seq))
                rc = books_entry(ch, bk->trefs[i].id, bk->trefs[i].author, bk->trefs[i].seq,
                                 bk->trefs[i].kind, NULL, 0);
        free(body);
    }
    if (rc == 0)
        rc = books_derive(ch);
    if (rc < 0) {
        books_free(ch);
        return rc;
    }
    c->closed = ch;
    c->pub.closed = ch;
    return 0;
}

/* The posting date of effective item i (4.5): its business date (a close's: the period's last
 * day), moved past every closed period that holds it but whose closed set does not hold it
 * effective. */
static uint32_t posting_date(const struct books *bk, uint32_t i, bool *late)
{
    const struct bitem *it = &bk->items[i];
    const struct cls *cs = bk->parent ? bk->parent->closes : bk->closes;
    size_t nc = bk->parent ? bk->parent_ncloses : bk->ncloses;
    uint32_t pd = it->post_date ? it->post_date : it->pub.date;

    *late = false;
    for (size_t k = 0; k < nc; k++) {
        const struct books_item *e;

        if (pd < cs[k].pub.start || pd > cs[k].pub.end || !cs[k].closed)
            continue;
        if (bk->parent) {
            /* A closed set moves entries only past the closes it holds itself: the reader's
             * later-effective closes must not change a closed year (4.5). */
            const struct books_item *ce = books_find(bk, cs[k].id);

            if (!ce || ce->status != BOOKS_EFFECTIVE)
                continue;
        }
        e = books_find(cs[k].closed, it->pub.id);
        if (e && e->status == BOOKS_EFFECTIVE)
            continue;
        pd = day_add(cs[k].pub.end, 1);
        *late = true;
    }
    return pd;
}

/* Dates every posting at its item's posting date; late-posting for each moved item. */
static int redate(struct books *bk)
{
    uint32_t last = NO_ITEM, pd = 0;

    for (size_t k = 0; k < bk->npostings; k++) {
        struct books_posting *p = &bk->postings[k];

        if (p->item != last) {
            bool late;

            last = p->item;
            pd = posting_date(bk, last, &late);
            if (late) {
                int rc = finding(bk, BOOKS_F_LATE_POSTING, pd, last, bk->items[last].pub.member,
                                 0, (int64_t)bk->items[last].pub.amount,
                                 bk->items[last].pub.date, 0);

                if (rc < 0)
                    return rc;
            }
        }
        p->date = pd;
    }
    return 0;
}

/* Postings of the year-end kinds. */
static int post_year(struct books *bk, uint32_t i)
{
    struct bitem *it = &bk->items[i];
    union ybody *y = malloc(sizeof *y);
    struct proto_line *lines = NULL;
    int n = 0, rc;

    if (!y)
        return -ENOMEM;
    rc = ydecode(bk, i, y);
    for (int round = 0; rc == 0 && round < 2; round++) {
        size_t max = round ? (size_t)n : 0;

        if (round) {
            lines = malloc(((size_t)n + 1) * sizeof *lines);
            if (!lines) {
                rc = -ENOMEM;
                break;
            }
        }
        switch (it->pub.kind) {
        case PROTO_KIND_CLOSE:
            n = proto_close_postings(&y->close, lines, max);
            break;
        case PROTO_KIND_SHU_ALLOCATE:
            n = proto_shu_allocate_postings(&y->alloc, lines, max);
            break;
        case PROTO_KIND_SHU_PAY: {
            const struct proto_account *to = books_account(bk, y->pay.to_account, it->pub.date);

            n = proto_shu_pay_postings(&y->pay, to && to->sub, lines, max);
            break;
        }
        default:
            n = 0;
        }
        if (n < 0)
            rc = n;
        else if (n == 0)
            break;
    }
    if (rc == 0 && n > 0 && lines)
        rc = post_lines(bk, i, lines, (size_t)n);
    free(lines);
    free(y);
    return rc == ERR_BODY ? 0 : rc;
}

/* Findings of resolutions (quorum, majority, eligible-count, an invalid SHU table) and of SHU
 * allocations taken together (shu-twice, shu-incomplete). */
static int year_findings(struct books *bk)
{
    union ybody *y = malloc(sizeof *y);
    int rc = 0;

    if (!y)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems && rc == 0; i++) {
        const struct books_item *it = &bk->items[i].pub;
        const struct proto_params *P;
        uint32_t eligible = 0;
        bool counted = false;

        if (it->kind != PROTO_KIND_RESOLUTION || it->status != BOOKS_EFFECTIVE ||
            ydecode(bk, (uint32_t)i, y) < 0)
            continue;
        P = books_params_at(bk, it->date);
        for (uint32_t k = 0; k < y->res.ndecisions && rc == 0; k++) {
            const struct proto_decision *d = &y->res.decisions[k];
            uint64_t need = P ? ((uint64_t)P->quorum_ppm * d->eligible + 999999) / 1000000 : 0;
            bool bad;

            if (d->present < need)
                rc = finding(bk, BOOKS_F_QUORUM, it->date, (uint32_t)i, 0, 0, d->present,
                             (int64_t)need, k);
            if (rc == 0 && d->outcome == PROTO_OUTCOME_ADOPTED && d->votes_for <= d->against)
                rc = finding(bk, BOOKS_F_MAJORITY, it->date, (uint32_t)i, 0, 0, d->votes_for,
                             d->against, k);
            if (rc == 0 && !counted) {
                eligible = (uint32_t)books_voters(bk, it->date);
                counted = true;
            }
            if (rc == 0 && d->eligible != eligible)
                rc = finding(bk, BOOKS_F_ELIGIBLE_COUNT, it->date, (uint32_t)i, 0, 0,
                             d->eligible, eligible, k);
            if (rc == 0 && d->type == PROTO_DECIDE_SHU && d->has_target &&
                !adopts_shu(bk, (uint32_t)i, d->target, &bad) && bad)
                rc = finding(bk, BOOKS_F_PARAMS_INVALID, it->date, (uint32_t)i, 0, 0, 0, k, 0);
        }
    }
    /* SHU allocations of each close: one allocation (resolution and part count), each part once,
     * each member once. */
    for (size_t c = 0; c < bk->ncloses && rc == 0; c++) {
        const uint8_t *cid = bk->closes[c].id;
        uint8_t res[32];
        uint32_t parts = 0, seen_n = 0, last_date = 0;
        uint64_t seen = 0; /* bit per part (parts <= 64) */
        uint32_t *members = NULL;
        size_t nm = 0, capm = 0;
        bool first = true;

        for (size_t i = 0; i < bk->nitems && rc == 0; i++) {
            const struct books_item *it = &bk->items[i].pub;

            if (it->kind != PROTO_KIND_SHU_ALLOCATE || it->status != BOOKS_EFFECTIVE ||
                ydecode(bk, (uint32_t)i, y) < 0 || memcmp(y->alloc.close, cid, 32) != 0)
                continue;
            if (first) {
                memcpy(res, y->alloc.resolution, 32);
                parts = y->alloc.parts;
                first = false;
            } else if (memcmp(res, y->alloc.resolution, 32) != 0 || parts != y->alloc.parts) {
                rc = finding(bk, BOOKS_F_SHU_TWICE, it->date, (uint32_t)i, 0, 0,
                             (int64_t)it->amount, 0, 0);
                continue;
            }
            if (it->date > last_date)
                last_date = it->date;
            if (seen & (1ull << y->alloc.part)) {
                rc = finding(bk, BOOKS_F_SHU_INCOMPLETE, it->date, (uint32_t)i, 0, 0,
                             (int64_t)it->amount, y->alloc.part, 0);
                continue;
            }
            seen |= 1ull << y->alloc.part;
            seen_n++;
            if (grow((void **)&members, &capm, nm + y->alloc.nrows, sizeof *members) < 0) {
                rc = -ENOMEM;
                break;
            }
            for (uint32_t r = 0; r < y->alloc.nrows; r++)
                members[nm++] = y->alloc.rows[r].member;
        }
        if (rc == 0 && !first) {
            size_t u = uniq_u32(members, nm);

            if (u != nm || seen_n != parts)
                rc = finding(bk, BOOKS_F_SHU_INCOMPLETE, last_date,
                             bk->closes[c].pub.item, 0, 0, 0, seen_n, parts);
        }
        free(members);
    }
    free(y);
    return rc;
}

size_t books_ncloses(const struct books *bk)
{
    return bk->ncloses;
}

const struct books_close *books_close_at(const struct books *bk, size_t i)
{
    return i < bk->ncloses ? &bk->closes[i].pub : NULL;
}

const struct books_close *books_close_of(const struct books *bk, uint32_t ymd)
{
    for (size_t i = 0; i < bk->ncloses; i++)
        if (bk->closes[i].pub.start <= ymd && ymd <= bk->closes[i].pub.end)
            return &bk->closes[i].pub;
    return NULL;
}

size_t books_closing_item(const struct books *bk)
{
    return bk->is_closed ? books_index(bk, bk->forced) : SIZE_MAX;
}

bool books_posting_closing(const struct books *bk, size_t k)
{
    return k < bk->npostings && bk->postings[k].kind == PROTO_KIND_CLOSE;
}

int books_add_finding(struct books *bk, int code, uint32_t date, size_t item, uint32_t member,
                      uint32_t account, int64_t amount, int64_t d0, int64_t d1)
{
    int rc = finding(bk, code, date, item >= bk->nitems ? NO_ITEM : (uint32_t)item, member,
                     account, amount, d0, d1);

    if (rc == 0)
        sort_n(bk->findings, bk->nfindings, sizeof *bk->findings, cmp_finding);
    return rc;
}

/* ---- reversals (ACCOUNTING.md 2.6, 3.9) ----
 *
 * A reversal (64) names one target. A posting target (bookable: books_mirror_kind) waits until
 * the target is effective and then posts the target's lines mirrored, at the reversal's date; a
 * non-posting target (books_cancel_kind) is cancelled by it, judged like a sign: by the
 * reversal's own authority and approvals, never by the target's status, so the target's
 * decision can ask "is there a cancellation of me?" without a cycle. Of the reversals of one
 * target that would take effect, the lowest id counts; the others are void. Everything here reads
 * the set only: the reversals are indexed by (target, id) and every choice is by id.
 */

static int cmp_rref(const void *a, const void *b)
{
    const struct rref *x = a, *y = b;

    if (x->target != y->target)
        return x->target < y->target ? -1 : 1;
    return x->rev < y->rev ? -1 : x->rev > y->rev;
}

/* The reversals of every decodable kind-64 body, by (target, id); run once items are sorted. */
static int reversals_index(struct books *bk, struct proto_acct_body *b)
{
    size_t n = 0;

    for (size_t i = 0; i < bk->nitems; i++)
        n += bk->items[i].pub.kind == PROTO_KIND_REVERSE;
    bk->rrefs = calloc(n + 1, sizeof *bk->rrefs);
    bk->rev_rref = malloc((bk->nitems + 1) * sizeof *bk->rev_rref);
    bk->rev_eff = malloc((bk->nitems + 1) * sizeof *bk->rev_eff);
    if (!bk->rrefs || !bk->rev_rref || !bk->rev_eff)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems; i++)
        bk->rev_rref[i] = bk->rev_eff[i] = NO_ITEM;
    for (size_t i = 0; i < bk->nitems && n > 0; i++) {
        const struct bitem *it = &bk->items[i];
        struct rref *x;
        int rc;

        if (it->pub.kind != PROTO_KIND_REVERSE)
            continue;
        rc = proto_acct_decode(PROTO_KIND_REVERSE, it->body, it->len, b);
        if (rc == -ENOMEM)
            return rc;
        if (rc < 0)
            continue; /* malformed: decided so by decide_reverse */
        x = &bk->rrefs[bk->nrrefs++];
        x->target = item_index(bk, b->u.reverse.target);
        x->rev = (uint32_t)i;
        x->date = b->u.reverse.date;
        memcpy(x->tid, b->u.reverse.target, 32);
    }
    sort_n(bk->rrefs, bk->nrrefs, sizeof *bk->rrefs, cmp_rref);
    for (size_t k = 0; k < bk->nrrefs; k++)
        bk->rev_rref[bk->rrefs[k].rev] = (uint32_t)k;
    return 0;
}

/* Range [*lo, *hi) of the reversals of target t. */
static void rrefs_of(const struct books *bk, uint32_t t, size_t *lo, size_t *hi)
{
    size_t a = 0, b = bk->nrrefs;

    while (a < b) {
        size_t mid = a + (b - a) / 2;

        if (bk->rrefs[mid].target < t)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < bk->nrrefs && bk->rrefs[a].target == t)
        a++;
    *hi = a;
}

bool books_cancel_kind(uint32_t kind)
{
    return kind == PROTO_KIND_LOAN_APPLY || kind == PROTO_KIND_LATE_FEE ||
           kind == PROTO_KIND_PARAMS || kind == PROTO_KIND_RESOLUTION;
}

bool books_mirror_kind(uint32_t kind)
{
    switch (kind) {
    case PROTO_KIND_JOURNAL:
    case PROTO_KIND_JOURNAL_A:
    case PROTO_KIND_MEMBER_ADMIT:
    case PROTO_KIND_MEMBER_EXIT:
    case PROTO_KIND_EXIT_SETTLE:
    case PROTO_KIND_DEPOSIT:
    case PROTO_KIND_WITHDRAW:
    case PROTO_KIND_INTEREST:
    case PROTO_KIND_LOAN_DISBURSE:
    case PROTO_KIND_LOAN_REPAY:
    case PROTO_KIND_PROVISION:
    case PROTO_KIND_WRITE_OFF: /* (the loan is written off until the reversal's date) */
    case PROTO_KIND_REVERSE:
    case PROTO_KIND_SHU_ALLOCATE:
    case PROTO_KIND_SHU_PAY:
        return true;
    default:
        return false;
    }
}

/* The founding parameters (genesis author, seq 2) cannot be cancelled: nothing would judge the
 * ledger after them. */
static bool founding_params(const struct books *bk, uint32_t t)
{
    const struct bitem *it = &bk->items[t];

    return it->pub.kind == PROTO_KIND_PARAMS && it->pub.seq == 2 &&
           memcmp(it->pub.author, bk->gauthor, 32) == 0;
}

/* The subjects of item t (2.3), ascending: its body's, the application's borrower for 57..59,
 * the member paid for 73, its target's for 64. */
static size_t item_subjects(const struct books *bk, uint32_t t, uint32_t *out, size_t max,
                            int depth)
{
    const struct bitem *it = &bk->items[t];
    struct proto_acct_body *b;
    size_t n = 0;

    if (it->pub.kind == PROTO_KIND_REVERSE) {
        uint32_t k = bk->rev_rref ? bk->rev_rref[t] : NO_ITEM;

        if (k == NO_ITEM || bk->rrefs[k].target == NO_ITEM || depth >= 16)
            return 0;
        return item_subjects(bk, bk->rrefs[k].target, out, max, depth + 1);
    }
    if (it->pub.kind == PROTO_KIND_SHU_PAY) {
        if (it->pub.member && max > 0)
            out[0] = it->pub.member;
        return it->pub.member ? 1 : 0;
    }
    if (it->pub.kind != PROTO_KIND_JOURNAL && !proto_acct_kind_known(it->pub.kind))
        return 0;
    b = malloc(sizeof *b);
    if (!b)
        return 0;
    if (books_body(bk, t, b) == 0) {
        n = proto_acct_subjects(b, out, max);
        if (loan_ref(b)) {
            uint32_t m = app_borrower(bk, loan_ref(b));

            n = m ? 1 : 0;
            if (m && max > 0)
                out[0] = m;
        }
    }
    free(b);
    return n;
}

/* Whether an authorised author wrote a disbursement of loan t (3.7.1: the cancel guard is judged
 * by authority, not by the disbursement's status). 1 yes, 0 no, -ENOMEM. */
static int disbursed_guard(const struct books *bk, uint32_t t)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    int yes = 0;

    if (!b)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nitems && !yes; i++) {
        const struct bitem *it = &bk->items[i];
        const struct proto_device *d;
        const struct proto_params *P;

        if (it->pub.kind != PROTO_KIND_LOAN_DISBURSE ||
            proto_acct_decode(PROTO_KIND_LOAN_DISBURSE, it->body, it->len, b) < 0 ||
            memcmp(b->u.disburse.loan, bk->items[t].pub.id, 32) != 0)
            continue;
        d = dev_find(bk, it->pub.author);
        P = books_params_at(bk, b->u.disburse.date);
        yes =
            d && P && (proto_params_authors(P, PROTO_KIND_LOAN_DISBURSE) & PROTO_ROLE_BIT(d->role));
    }
    free(b);
    return yes;
}

/*
 * What reversal r would be, leaving its siblings aside: *status and *reason (effective when it
 * would take effect). Fills r's approval fields. A posting target must be decided already; a
 * cancellation does not look at its target's status. The version judging a cancellation of a
 * parameter version V is J(V.adopted), the one that judged V (1.5), so that V's own decision can
 * ask; every other reversal is judged by J(its date). -ENOMEM.
 */
static int reverse_would(struct books *bk, uint32_t r, uint8_t *status, uint8_t *reason)
{
    const struct rref *x = &bk->rrefs[bk->rev_rref[r]];
    const struct proto_device *ad = dev_find(bk, bk->items[r].pub.author), *td;
    const struct proto_params *P;
    const struct bitem *T;
    uint32_t subj[PROTO_LINES_MAX];
    size_t ns = 0;
    bool cancel, own;
    int rc;

    *status = BOOKS_VOID;
    *reason = BOOKS_VOID_AUTHORITY;
    if (!ad)
        return 0;
    *status = BOOKS_WAITING;
    *reason = BOOKS_WAIT_PREREQUISITE;
    if (x->target == NO_ITEM)
        return 0; /* the target is not in the set (yet) */
    T = &bk->items[x->target];
    cancel = books_cancel_kind(T->pub.kind) && !founding_params(bk, x->target);
    if (!cancel && !books_mirror_kind(T->pub.kind)) {
        *status = BOOKS_VOID;
        *reason = BOOKS_VOID_REVERSE_INVALID;
        return 0;
    }
    td = dev_find(bk, T->pub.author);
    own = cancel && td && td->member == ad->member;
    if (T->pub.kind == PROTO_KIND_PARAMS) {
        const struct version *v = version_at(bk, T->pub.date);

        P = v ? v->p : NULL;
    } else {
        P = books_params_at(bk, x->date);
    }
    if (!P) {
        *reason = BOOKS_WAIT_NO_PARAMS;
        return 0;
    }
    if (!own && !(proto_params_authors(P, PROTO_KIND_REVERSE) & PROTO_ROLE_BIT(ad->role))) {
        *status = BOOKS_VOID;
        *reason = BOOKS_VOID_AUTHORITY;
        return 0;
    }
    if (!cancel) {
        if (T->state != 2 || T->pub.status == BOOKS_WAITING)
            return 0; /* waiting: prerequisite */
        if (T->pub.status != BOOKS_EFFECTIVE) {
            *status = BOOKS_VOID;
            *reason = BOOKS_VOID_PREREQUISITE;
            return 0;
        }
    }
    if (T->pub.kind == PROTO_KIND_LOAN_APPLY && (rc = disbursed_guard(bk, x->target)) != 0) {
        if (rc < 0)
            return rc;
        *status = BOOKS_VOID;
        *reason = BOOKS_VOID_CANCEL_REFUSED;
        return 0;
    }
    ns = item_subjects(bk, x->target, subj, PROTO_LINES_MAX, 0);
    if (ns > PROTO_LINES_MAX)
        ns = PROTO_LINES_MAX;
    {
        const struct proto_params_approval *row =
            own ? NULL : proto_params_row(P, PROTO_KIND_REVERSE, T->pub.amount);
        bool officer = false;
        uint32_t np = 0, nw = 0, off = 0;

        for (size_t k = 0; k < ns; k++)
            officer |= books_is_officer(bk, subj[k]);
        if (row) {
            np = row->pengurus + (officer ? P->officer_extra_pengurus : 0);
            nw = row->pengawas + (officer ? P->officer_extra_pengawas : 0);
            off = row->offices;
        }
        if (!approvals(bk, r, subj, ns, np, nw, off)) {
            *reason = BOOKS_WAIT_APPROVALS;
            return 0;
        }
    }
    if (bk->oom)
        return -ENOMEM;
    *status = BOOKS_EFFECTIVE;
    *reason = BOOKS_R_NONE;
    return 0;
}

/* 1 if some reversal of t would take effect (t is then cancelled), 0 if none, -ENOMEM. */
static int cancelled_by(struct books *bk, uint32_t t)
{
    size_t lo, hi;

    if (!bk->rrefs || founding_params(bk, t))
        return 0;
    rrefs_of(bk, t, &lo, &hi);
    for (size_t k = lo; k < hi; k++) {
        uint8_t st, why;
        int rc = reverse_would(bk, bk->rrefs[k].rev, &st, &why);

        if (rc < 0)
            return rc;
        if (st == BOOKS_EFFECTIVE)
            return 1;
    }
    return 0;
}

/* Step 5f of 4.2, run right after an entry of a cancellable kind is decided: an effective or
 * waiting loan application, late fee or resolution that a reversal cancels is cancelled. (A
 * parameter version is judged in decide_params.) */
static int cancel_hook(struct books *bk, uint32_t t)
{
    struct bitem *it = &bk->items[t];
    int rc;

    if (!books_cancel_kind(it->pub.kind) || it->pub.kind == PROTO_KIND_PARAMS ||
        (it->pub.status != BOOKS_EFFECTIVE && it->pub.status != BOOKS_WAITING))
        return 0;
    rc = cancelled_by(bk, t);
    if (rc > 0)
        set_status(it, BOOKS_CANCELLED, BOOKS_R_NONE);
    return rc < 0 ? rc : 0;
}

/* Decides reversal r: its target first when that is a reversal too, then its lower siblings. */
static int decide_reverse(struct books *bk, uint32_t r)
{
    struct bitem *it = &bk->items[r];
    uint32_t k = bk->rev_rref[r], t, winner = NO_ITEM;
    const struct rref *x;
    uint8_t st, why;
    int rc;

    if (it->state == 2)
        return 0;
    if (it->state == 1) { /* a cycle of ids: cannot happen with SHA-256 ids */
        set_status(it, BOOKS_WAITING, BOOKS_WAIT_PREREQUISITE);
        return 0;
    }
    if (k == NO_ITEM) {
        set_status(it, BOOKS_MALFORMED, BOOKS_R_NONE);
        return finding(bk, BOOKS_F_MALFORMED, 0, r, it->pub.author_member, 0, 0, 0, 0);
    }
    {
        const struct proto_device *ad = dev_find(bk, it->pub.author);

        it->pub.author_member = ad ? ad->member : 0; /* (when reached before decide()) */
        it->pub.author_role = ad ? ad->role : 0;
    }
    x = &bk->rrefs[k];
    t = x->target;
    it->pub.date = x->date;
    it->pub.has_prereq = true;
    memcpy(it->pub.prereq, x->tid, 32);
    it->state = 1;
    if (t != NO_ITEM) {
        const struct bitem *T = &bk->items[t];

        if (T->pub.kind == PROTO_KIND_REVERSE && T->state != 2 && (rc = decide_reverse(bk, t)) < 0)
            return rc;
        it->pub.amount = T->pub.amount;
        it->pub.member = T->pub.member;
    }
    rc = reverse_would(bk, r, &st, &why);
    if (rc < 0)
        return rc;
    if (st == BOOKS_EFFECTIVE) {
        size_t lo, hi;

        rrefs_of(bk, t, &lo, &hi);
        for (size_t j = lo; j < hi && bk->rrefs[j].rev < r && winner == NO_ITEM; j++) {
            uint32_t s = bk->rrefs[j].rev;

            if (bk->items[s].state != 2 && (rc = decide_reverse(bk, s)) < 0)
                return rc;
            if (bk->items[s].pub.status == BOOKS_EFFECTIVE)
                winner = s;
        }
    }
    it->state = 0;
    if (winner != NO_ITEM) {
        set_status(it, BOOKS_VOID, BOOKS_VOID_DUPLICATE);
        return finding(bk, BOOKS_F_DUPLICATE_REVERSAL, it->pub.date, r, it->pub.member, 0,
                       (int64_t)it->pub.amount, t, winner);
    }
    set_status(it, st, why);
    if (st == BOOKS_VOID && why == BOOKS_VOID_REVERSE_INVALID)
        return finding(bk, BOOKS_F_REVERSE_INVALID, it->pub.date, r, it->pub.member, 0,
                       (int64_t)it->pub.amount, t, bk->items[t].pub.kind);
    if (st == BOOKS_VOID && why == BOOKS_VOID_CANCEL_REFUSED)
        return finding(bk, BOOKS_F_CANCEL_REFUSED, it->pub.date, r, it->pub.member, 0,
                       (int64_t)it->pub.amount, t, 0);
    if (st == BOOKS_VOID && why == BOOKS_VOID_AUTHORITY)
        return finding(bk, BOOKS_F_AUTHORITY, it->pub.date, r, it->pub.member, 0,
                       (int64_t)it->pub.amount, it->pub.author_role, 0);
    if (st != BOOKS_EFFECTIVE)
        return 0;
    bk->rev_eff[t] = r;
    if (bk->items[t].pub.date && x->date < bk->items[t].pub.date &&
        (rc = finding(bk, BOOKS_F_DATE_ORDER, x->date, r, it->pub.member, 0,
                      (int64_t)it->pub.amount, bk->items[t].pub.date, 0)) < 0)
        return rc;
    if (it->pub.rejects > 0)
        return finding(bk, BOOKS_F_APPROVED_DESPITE_REJECTION, it->pub.date, r, it->pub.member, 0,
                       (int64_t)it->pub.amount, it->pub.rejects, 0);
    return 0;
}

/* The mirror postings: every posting of a target that an effective reversal names, debit and
 * credit swapped, on the reversal at its date. The list grows while it is walked, so a reversal
 * of a reversal mirrors the mirror. */
static int reverse_postings(struct books *bk)
{
    for (size_t k = 0; k < bk->npostings; k++) {
        struct books_posting p = bk->postings[k], *q;
        uint32_t r = bk->rev_eff ? bk->rev_eff[p.item] : NO_ITEM;

        if (r == NO_ITEM || !books_mirror_kind(bk->items[p.item].pub.kind))
            continue;
        if (grow((void **)&bk->postings, &bk->cappostings, bk->npostings + 1,
                 sizeof *bk->postings) < 0)
            return -ENOMEM;
        q = &bk->postings[bk->npostings++];
        *q = p;
        q->date = bk->items[r].pub.date;
        q->item = r;
        q->kind = (uint16_t)bk->items[r].pub.kind;
        q->debit = p.credit;
        q->credit = p.debit;
    }
    return 0;
}

size_t books_reversal_of(const struct books *bk, size_t i)
{
    if (!bk->rev_eff || i >= bk->nitems || bk->rev_eff[i] == NO_ITEM)
        return SIZE_MAX;
    return bk->rev_eff[i];
}

bool books_reversed_at(const struct books *bk, size_t i, uint32_t ymd)
{
    uint32_t r, links = 0;

    if (!bk->rev_eff || i >= bk->nitems)
        return false;
    for (r = bk->rev_eff[i]; r != NO_ITEM && links < 64 && bk->items[r].pub.date <= ymd;
         r = bk->rev_eff[r])
        links++;
    return links % 2 == 1;
}

/*
 * The register with reversals: each link of an admission's or exit's chain of effective
 * reversals is an event at the link's date that undoes it (the member's status before it) or,
 * for a reversal of a reversal, re-instates it. A reversed admission leaves the member as before
 * (not registered, or exited); a reversed exit makes them active again.
 */
static int reverse_register(struct books *bk)
{
    size_t n0 = bk->nreg, extra = 0, m;
    uint8_t *undo;
    struct regev *v;

    for (size_t e = 0; e < n0; e++)
        for (uint32_t r = bk->rev_eff[bk->reg[e].item], k = 0; r != NO_ITEM && k < 64;
             r = bk->rev_eff[r], k++)
            extra++;
    if (extra == 0)
        return 0;
    undo = malloc(n0);
    v = realloc(bk->reg, (n0 + extra) * sizeof *v);
    if (!undo || !v) {
        free(undo);
        if (v)
            bk->reg = v;
        return -ENOMEM;
    }
    bk->reg = v;
    for (size_t e = 0; e < n0; e++) /* (before any synthetic event joins the sorted list) */
        undo[e] = (uint8_t)status_at(bk, bk->reg[e].member, bk->reg[e].date, BEFORE_ITEM,
                                     bk->reg[e].item, NULL, NULL);
    m = n0;
    for (size_t e = 0; e < n0; e++) {
        uint32_t k = 0;

        for (uint32_t r = bk->rev_eff[bk->reg[e].item]; r != NO_ITEM && k < 64;
             r = bk->rev_eff[r], k++) {
            v[m].member = v[e].member;
            v[m].date = bk->items[r].pub.date;
            v[m].item = r;
            v[m++].status = k % 2 == 0 ? undo[e] : v[e].status;
        }
    }
    free(undo);
    bk->nreg = m;
    sort_n(bk->reg, bk->nreg, sizeof *bk->reg, cmp_regev);
    return 0;
}

/*
 * Loans whose disbursement is reversed (for good: books_reversed_at with no end): another
 * effective disbursement of the loan that stands takes its place; without one the loan is
 * `dibalik` from the reversal's date (nothing outstanding from then on), and each repayment or
 * settlement offset dated from then on is a finding `pattern` (detail 8).
 */
static int reverse_loans(struct books *bk)
{
    struct proto_acct_body *b;
    int rc = 0;

    if (bk->nrrefs == 0)
        return 0;
    b = malloc(sizeof *b);
    if (!b)
        return -ENOMEM;
    for (size_t k = 0; k < bk->nloans && rc == 0; k++) {
        struct loan *l = &bk->loans[k];
        uint32_t best = NO_ITEM;

        if (!l->pub.disbursed || !books_reversed_at(bk, l->pub.disburse_item, UINT32_MAX))
            continue;
        for (size_t i = 0; i < bk->nitems; i++) {
            const struct books_item *it = &bk->items[i].pub;

            if (it->kind != PROTO_KIND_LOAN_DISBURSE || it->status != BOOKS_EFFECTIVE ||
                books_reversed_at(bk, i, UINT32_MAX) || books_body(bk, i, b) < 0 ||
                memcmp(b->u.disburse.loan, bk->items[l->pub.item].pub.id, 32) != 0)
                continue;
            if (best == NO_ITEM || it->date < bk->items[best].pub.date)
                best = (uint32_t)i;
        }
        if (best != NO_ITEM) {
            l->pub.disburse_item = best;
            l->pub.disbursed = bk->items[best].pub.date;
            continue;
        }
        l->pub.status = BOOKS_LOAN_REVERSED;
        l->pub.reversed = bk->items[bk->rev_eff[l->pub.disburse_item]].pub.date;
        for (size_t e = 0; e < l->nev && rc == 0; e++) {
            const struct books_item *it = &bk->items[l->ev[e]].pub;

            uint64_t amount = it->amount, op, oi;

            if ((it->kind != PROTO_KIND_LOAN_REPAY && it->kind != PROTO_KIND_EXIT_SETTLE) ||
                it->date < l->pub.reversed || books_reversed_at(bk, l->ev[e], UINT32_MAX))
                continue;
            if (it->kind == PROTO_KIND_EXIT_SETTLE) { /* its offset on this loan */
                if (books_body(bk, l->ev[e], b) < 0)
                    continue;
                settle_offset_of(&b->u.settle, bk->items[l->pub.item].pub.id, &op, &oi);
                amount = op + oi;
            }
            rc = finding(bk, BOOKS_F_PATTERN, it->date, l->ev[e], l->pub.borrower, 0,
                         (int64_t)amount, 8, 0);
        }
    }
    free(b);
    return rc;
}

int books_derive(struct books *bk)
{
    struct proto_acct_body *b = NULL;
    struct proto_line *lines = NULL;
    size_t nofficers = 0;
    int rc;

    if (bk->derived)
        return -EINVAL;
    bk->derived = true;
    sort_n(bk->trefs, bk->ntrefs, sizeof *bk->trefs, cmp_tref);
    /* Id order. A store gives its entries in that order already (store_each_entry_by_id):
     * one pass checks it, and only other orders are sorted. */
    {
        size_t m = 0;
        bool sorted = true;

        for (size_t i = 1; i < bk->nitems && sorted; i++)
            sorted = memcmp(bk->items[i - 1].pub.id, bk->items[i].pub.id, 32) < 0;
        if (!sorted)
            sort_n(bk->items, bk->nitems, sizeof *bk->items, cmp_item);
        /* The same entry given twice is one entry of the set (its body stays in the arena). */
        for (size_t i = 0; i < bk->nitems && !sorted; i++) {
            if (m && memcmp(bk->items[m - 1].pub.id, bk->items[i].pub.id, 32) == 0)
                continue;
            bk->items[m++] = bk->items[i];
        }
        if (!sorted)
            bk->nitems = m;
    }
    sort_n(bk->devs, bk->ndevs, sizeof *bk->devs, cmp_dev);
    bk->officers = malloc((bk->ndevs + 1) * sizeof *bk->officers);
    b = malloc(sizeof *b);
    lines = malloc(PROTO_ACCT_LINES_MAX * sizeof *lines);
    if (!bk->officers || !b || !lines) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < bk->ndevs; i++)
        if (bk->devs[i].d.role != PROTO_ROLE_ANGGOTA)
            bk->officers[nofficers++] = bk->devs[i].d.member;
    bk->nofficers = uniq_u32(bk->officers, nofficers);

    /* Signs by target (2.4): valid whatever their target's status. */
    for (size_t i = 0; i < bk->nitems; i++)
        bk->nsrefs += bk->items[i].pub.kind == PROTO_KIND_SIGN;
    bk->srefs = calloc(bk->nsrefs + 1, sizeof *bk->srefs);
    if (!bk->srefs) {
        rc = -ENOMEM;
        goto out;
    }
    bk->nsrefs = 0;
    for (size_t i = 0; i < bk->nitems; i++) {
        uint32_t t;

        if (bk->items[i].pub.kind != PROTO_KIND_SIGN)
            continue;
        if (proto_acct_decode(PROTO_KIND_SIGN, bk->items[i].body, bk->items[i].len, b) < 0)
            continue;
        t = item_index(bk, b->u.sign.target);
        if (t == NO_ITEM)
            continue; /* its target is not in the set (yet): the sign waits silently */
        bk->srefs[bk->nsrefs].dev = dev_find(bk, bk->items[i].pub.author);
        if (!bk->srefs[bk->nsrefs].dev)
            continue;
        bk->srefs[bk->nsrefs].target = t;
        bk->srefs[bk->nsrefs].decision = b->u.sign.decision;
        bk->srefs[bk->nsrefs++].sign = (uint32_t)i;
    }
    /* (target, sign) order: both are item indices, i.e. id order. */
    sort_n(bk->srefs, bk->nsrefs, sizeof *bk->srefs, cmp_sref);

    if ((rc = reversals_index(bk, b)) < 0)
        goto out;
    rc = load_params(bk);
    if (rc < 0)
        goto out;
    /* Everything but the kinds with prerequisites; then those whose prerequisites are then
     * decided (settlements, withdrawals from a placement, disbursements); then, once the loans
     * know their disbursements, repayments and late fees. */
    for (int pass = 0; pass < 4; pass++) {
        if (pass == 1 && (rc = closes_decide(bk)) < 0)
            goto out;
        if (pass == 2 && (rc = loans_build(bk, b)) < 0)
            goto out;
        for (size_t i = 0; i < bk->nitems; i++) {
            struct bitem *it = &bk->items[i];

            if (it->state == 2 || it->pub.kind == PROTO_KIND_PARAMS ||
                decide_pass(it->pub.kind) != pass)
                continue;
            rc = decide(bk, (uint32_t)i, b);
            if (rc == 0)
                rc = cancel_hook(bk, (uint32_t)i);
            if (rc < 0)
                goto out;
        }
    }
    if ((rc = loans_events(bk)) < 0 || (rc = reverse_loans(bk)) < 0 ||
        (rc = placements_build(bk, b)) < 0)
        goto out;
    /* Closed years: the set each close closed decides which entries post in its period. */
    for (size_t k = 0; k < bk->ncloses && !bk->parent; k++)
        if ((!bk->is_closed || memcmp(bk->closes[k].id, bk->forced, 32) != 0) &&
            (rc = closed_books(bk, k)) < 0)
            goto out;
    for (size_t i = 0; i < bk->nitems; i++)
        if ((rc = year_kind(bk->items[i].pub.kind) && bk->items[i].pub.status == BOOKS_EFFECTIVE
                      ? post_year(bk, (uint32_t)i)
                      : post_item(bk, (uint32_t)i, b, lines)) < 0)
            goto out;
    if ((rc = reverse_postings(bk)) < 0 || (rc = redate(bk)) < 0)
        goto out;
    if ((rc = postings_index(bk)) < 0)
        goto out;
    for (size_t k = 0; k < bk->npostings; k++) {
        struct bitem *it = &bk->items[bk->postings[k].item];

        if (it->pub.nposting == 0)
            it->pub.first_posting = (uint32_t)k;
        it->pub.nposting++;
    }
    rc = build_register(bk, b);
    if (rc < 0)
        goto out;
    if ((rc = members_and_unregistered(bk)) < 0 || (rc = legacy_findings(bk)) < 0 ||
        (rc = year_findings(bk)) < 0)
        goto out;
    for (size_t i = 0; i < bk->nitems; i++)
        if ((rc = item_findings(bk, (uint32_t)i, b)) < 0)
            goto out;
    for (size_t k = 0; k < bk->nloans; k++)
        if (bk->loans[k].pub.disbursed && (rc = loan_findings(bk, &bk->loans[k])) < 0)
            goto out;
    if ((rc = overdrawn(bk)) < 0 || (rc = interest_findings(bk, b)) < 0)
        goto out;
    sort_n(bk->findings, bk->nfindings, sizeof *bk->findings, cmp_finding);
    if (bk->oom)
        rc = -ENOMEM;
out:
    free(b);
    free(lines);
    return rc;
}

/* Whether resolution item r ratifies close `close` (an adopted decision of type 1): 1, 0, or
 * -ENOMEM. */
static int ratifies(const struct books *bk, uint32_t r, const uint8_t close[32])
{
    struct proto_resolution *res = malloc(sizeof *res);
    bool yes = false;

    if (!res)
        return -ENOMEM;
    if (proto_resolution_decode(bk->items[r].body, bk->items[r].len, res) == 0)
        for (uint32_t k = 0; k < res->ndecisions && !yes; k++)
            yes = res->decisions[k].type == PROTO_DECIDE_RATIFY &&
                  res->decisions[k].outcome == PROTO_OUTCOME_ADOPTED &&
                  res->decisions[k].has_target && memcmp(res->decisions[k].target, close, 32) == 0;
    free(res);
    return yes;
}

int books_findings_at(const struct books *bk, uint32_t as_of, struct books_finding **out, size_t *n)
{
    struct books_finding *v;
    size_t k = 0, cap = bk->nfindings + bk->nitems + bk->nmembers + 1;

    *out = NULL;
    *n = 0;
    v = malloc(cap * sizeof *v);
    if (!v)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nfindings; i++)
        v[k++] = bk->findings[i];
    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;
        const struct proto_params *P;
        int32_t d0, d1;

        if (it->status != BOOKS_WAITING || !it->date || it->date > as_of)
            continue;
        P = books_params_at(bk, as_of);
        if (!P || P->wait_days == 0 || proto_day_from_ymd(it->date, &d0) < 0 ||
            proto_day_from_ymd(as_of, &d1) < 0 || d1 - d0 <= (int32_t)P->wait_days)
            continue;
        memset(&v[k], 0, sizeof v[k]);
        v[k].code = BOOKS_F_WAITING_AGED;
        v[k].severity = (uint8_t)books_code_severity(BOOKS_F_WAITING_AGED);
        v[k].date = as_of;
        v[k].item = (int64_t)i;
        v[k].member = it->member;
        v[k].amount = (int64_t)it->amount;
        v[k++].detail[0] = d1 - d0;
    }
    /* Refunds due to exited members and not paid in time (KOPERASI 8 #4). */
    for (size_t r = 0; r < bk->nreg; r++) {
        const struct regev *e = &bk->reg[r];
        const struct proto_params *P = books_params_at(bk, e->date);
        uint32_t admitted, exited, due;
        int32_t d0, d1;
        int64_t owed = 0;

        if (e->status != BOOKS_MEMBER_EXITED || !P ||
            status_at(bk, e->member, as_of, END_OF_DAY, NO_ITEM, &admitted, &exited) !=
                BOOKS_MEMBER_EXITED ||
            exited != e->date)
            continue;
        owed = books_role_balance(bk, P, PROTO_AR_REFUNDS, e->member, as_of);
        due = day_add(e->date, (int32_t)P->refund_days);
        if (owed <= 0 || proto_day_from_ymd(due, &d0) < 0 || proto_day_from_ymd(as_of, &d1) < 0 ||
            d1 <= d0)
            continue;
        memset(&v[k], 0, sizeof v[k]);
        v[k].code = BOOKS_F_REFUND_OVERDUE;
        v[k].severity = (uint8_t)books_code_severity(BOOKS_F_REFUND_OVERDUE);
        v[k].date = as_of;
        v[k].item = (int64_t)e->item;
        v[k].member = e->member;
        v[k].amount = owed;
        v[k].detail[0] = d1 - d0;
        v[k++].detail[1] = due;
    }
    /* Closes no RAT ratified in time: rat_months after the period's end (3.3). */
    for (size_t c = 0; c < bk->ncloses; c++) {
        const struct cls *x = &bk->closes[c];
        const struct proto_params *P = books_params_at(bk, x->pub.end);
        int32_t d0, d1, due;
        bool ratified = false;

        if (!P || proto_day_from_ymd(x->pub.end, &d0) < 0 ||
            proto_day_add_months(d0, P->rat_months, &due) < 0 ||
            proto_day_from_ymd(as_of, &d1) < 0 || d1 <= due)
            continue;
        for (size_t i = 0; i < bk->nitems && !ratified; i++) {
            int r;

            if (bk->items[i].pub.kind != PROTO_KIND_RESOLUTION ||
                bk->items[i].pub.status != BOOKS_EFFECTIVE || bk->items[i].pub.date > as_of)
                continue;
            if ((r = ratifies(bk, (uint32_t)i, x->id)) < 0) {
                free(v);
                return r;
            }
            ratified = r == 1;
        }
        if (ratified)
            continue;
        if (k == cap) {
            struct books_finding *w = realloc(v, (cap + bk->ncloses + 1) * sizeof *v);

            if (!w) {
                free(v);
                return -ENOMEM;
            }
            v = w;
            cap += bk->ncloses + 1;
        }
        memset(&v[k], 0, sizeof v[k]);
        v[k].code = BOOKS_F_RAT_OVERDUE;
        v[k].severity = (uint8_t)books_code_severity(BOOKS_F_RAT_OVERDUE);
        v[k].date = as_of;
        v[k].item = (int64_t)x->pub.item;
        v[k].detail[0] = d1 - due;
        k++;
    }
    sort_n(v, k, sizeof *v, cmp_finding);
    *out = v;
    *n = k;
    return 0;
}

/* ---- names ---- */

const char *books_status_name(int status)
{
    static const char *const n[] = {"", "effective", "waiting", "cancelled", "void", "malformed"};

    return status >= 1 && status <= 5 ? n[status] : "?";
}

const char *books_reason_name(int reason)
{
    switch (reason) {
    case BOOKS_WAIT_APPROVALS:
        return "approvals";
    case BOOKS_WAIT_COUNTERSIGN:
        return "countersign";
    case BOOKS_WAIT_PREREQUISITE:
        return "prerequisite";
    case BOOKS_WAIT_NO_PARAMS:
        return "no-params";
    case BOOKS_WAIT_RESOLUTION:
        return "resolution";
    case BOOKS_WAIT_UNSUPPORTED:
        return "unsupported";
    case BOOKS_WAIT_FRONTIER:
        return "frontier";
    case BOOKS_VOID_CONFLICT:
        return "conflict";
    case BOOKS_VOID_AUTHORITY:
        return "authority";
    case BOOKS_VOID_PREREQUISITE:
        return "prerequisite";
    case BOOKS_VOID_PARAMS:
        return "params-invalid";
    case BOOKS_VOID_POLICY:
        return "policy";
    case BOOKS_VOID_NOT_BORROWER:
        return "not-borrower";
    case BOOKS_VOID_REVERSE_INVALID:
        return "reverse-invalid";
    case BOOKS_VOID_CANCEL_REFUSED:
        return "cancel-refused";
    case BOOKS_VOID_DUPLICATE:
        return "duplicate-reversal";
    default:
        return "";
    }
}

const char *books_code_name(int code)
{
    static const char *const n[BOOKS_F_CODE_MAX + 1] = {
        "",
        "malformed",
        "params-invalid",
        "params-conflict",
        "authority",
        "self-approval",
        "approved-despite-rejection",
        "unapproved",
        "witnessed",
        "waiting-aged",
        "unbalanced",
        "account",
        "pattern",
        "product",
        "non-member",
        "not-member",
        "member-unregistered",
        "duplicate-admission",
        "pokok-amount",
        "equity-withdrawal",
        "overdrawn",
        "exit-amounts",
        "refund-overdue",
        "terms",
        "not-borrower",
        "limit",
        "officer-loan",
        "delinquent-borrower",
        "disburse-amount",
        "double-disbursement",
        "self-disbursement",
        "allocation",
        "overpayment",
        "interest-overcharge",
        "penalty-overcharge",
        "date-order",
        "late-fee-mismatch",
        "interest-mismatch",
        "interest-duplicate",
        "interest-missing",
        "late-posting",
        "close-early",
        "close-conflict",
        "close-mismatch",
        "digest-mismatch",
        "frontier-mismatch",
        "frontier-regress",
        "shu-mismatch",
        "shu-incomplete",
        "shu-twice",
        "quorum",
        "majority",
        "eligible-count",
        "rat-overdue",
        "cancel-refused",
        "reverse-invalid",
        "duplicate-reversal",
        "repay-written-off",
        "ppap",
    };

    return code >= 1 && code <= BOOKS_F_CODE_MAX ? n[code] : "?";
}

/* ---- slices (the statement cache, docs/ACCOUNTING.md 5) ---- */

/*
 * A slice is the part of the derived books that one member's statement reads, as bytes: the
 * member's postings, register events, legacy record, loans and waiting items, with the items
 * they name (and the chains of effective reversals of those items), plus a common part (the
 * parameter versions in force and the effective closes, with their items). Integers are little
 * endian and fixed width; references to items are indices into the part's own item list, sorted
 * by id like the books' items, so that index order stays id order once the two parts are merged.
 */

#define SLICE_NONE UINT32_MAX

static int sput(struct proto_buf *b, const void *p, size_t n)
{
    return proto_buf_append(b, p, n);
}

static int sput_u8(struct proto_buf *b, uint8_t v)
{
    return proto_buf_append_byte(b, v);
}

static int sput_u16(struct proto_buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    return sput(b, x, 2);
}

static int sput_u32(struct proto_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    return sput(b, x, 4);
}

static int sput_u64(struct proto_buf *b, uint64_t v)
{
    int rc = sput_u32(b, (uint32_t)v);

    return rc < 0 ? rc : sput_u32(b, (uint32_t)(v >> 32));
}

/* A bounds-checked reader: any short read sets bad and yields zeros. */
struct sget {
    const uint8_t *p, *end;
    bool bad;
};

static const uint8_t *sget(struct sget *r, size_t n)
{
    const uint8_t *p = r->p;

    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    r->p += n;
    return p;
}

static void sget_copy(struct sget *r, void *out, size_t n)
{
    const uint8_t *p = sget(r, n);

    if (p)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

static uint8_t sget_u8(struct sget *r)
{
    const uint8_t *p = sget(r, 1);

    return p ? p[0] : 0;
}

static uint16_t sget_u16(struct sget *r)
{
    const uint8_t *p = sget(r, 2);

    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static uint32_t sget_u32(struct sget *r)
{
    const uint8_t *p = sget(r, 4);

    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
             : 0;
}

static uint64_t sget_u64(struct sget *r)
{
    uint64_t lo = sget_u32(r);

    return lo | (uint64_t)sget_u32(r) << 32;
}

/* The local index of global item g in the sorted selection, or SLICE_NONE. */
static uint32_t slice_local(const uint32_t *sel, size_t n, uint32_t g)
{
    const uint32_t *p;

    if (g == NO_ITEM)
        return SLICE_NONE;
    p = n ? bsearch(&g, sel, n, sizeof *sel, cmp_u32) : NULL;
    return p ? (uint32_t)(p - sel) : SLICE_NONE;
}

/* One item: its public record (first_posting and nposting left out: a slice holds only some of
 * an item's postings), what the readers of a slice use of the private one, and its body when
 * with_body is set (loans and register events: the statement decodes those). */
static int slice_put_item(struct proto_buf *b, const struct bitem *it, bool with_body)
{
    const struct books_item *p = &it->pub;
    int rc = 0;

    if ((rc = sput(b, p->id, 32)) < 0 || (rc = sput(b, p->author, 32)) < 0 ||
        (rc = sput_u64(b, p->seq)) < 0 || (rc = sput_u32(b, p->kind)) < 0 ||
        (rc = sput_u8(b, p->status)) < 0 || (rc = sput_u8(b, p->reason)) < 0 ||
        (rc = sput_u32(b, p->date)) < 0 || (rc = sput_u64(b, p->amount)) < 0 ||
        (rc = sput_u32(b, p->member)) < 0 || (rc = sput_u32(b, p->author_member)) < 0 ||
        (rc = sput_u8(b, p->author_role)) < 0 || (rc = sput_u32(b, p->missing_pengurus)) < 0 ||
        (rc = sput_u32(b, p->missing_pengawas)) < 0 ||
        (rc = sput_u32(b, p->missing_offices)) < 0 || (rc = sput_u32(b, p->approvers)) < 0 ||
        (rc = sput_u32(b, p->rejects)) < 0 || (rc = sput_u32(b, p->csign_member)) < 0 ||
        (rc = sput_u8(b, p->confirmed)) < 0 || (rc = sput_u8(b, p->has_prereq)) < 0 ||
        (rc = sput(b, p->prereq, 32)) < 0 || (rc = sput_u8(b, it->term)) < 0 ||
        (rc = sput_u32(b, it->iperiod)) < 0 || (rc = sput(b, it->iproduct, sizeof it->iproduct)) < 0 ||
        (rc = sput_u32(b, it->post_date)) < 0 || (rc = sput_u8(b, with_body)) < 0)
        return rc;
    if (with_body && ((rc = sput_u32(b, it->len)) < 0 || (rc = sput(b, it->body, it->len)) < 0))
        return rc;
    return 0;
}

static int slice_get_item(struct sget *r, struct books *bk, struct bitem *it)
{
    struct books_item *p = &it->pub;

    memset(it, 0, sizeof *it);
    sget_copy(r, p->id, 32);
    sget_copy(r, p->author, 32);
    p->seq = sget_u64(r);
    p->kind = sget_u32(r);
    p->status = sget_u8(r);
    p->reason = sget_u8(r);
    p->date = sget_u32(r);
    p->amount = sget_u64(r);
    p->member = sget_u32(r);
    p->author_member = sget_u32(r);
    p->author_role = sget_u8(r);
    p->missing_pengurus = sget_u32(r);
    p->missing_pengawas = sget_u32(r);
    p->missing_offices = sget_u32(r);
    p->approvers = sget_u32(r);
    p->rejects = sget_u32(r);
    p->csign_member = sget_u32(r);
    p->confirmed = sget_u8(r) != 0;
    p->has_prereq = sget_u8(r) != 0;
    sget_copy(r, p->prereq, 32);
    it->term = sget_u8(r) != 0;
    it->iperiod = sget_u32(r);
    sget_copy(r, it->iproduct, sizeof it->iproduct);
    it->iproduct[sizeof it->iproduct - 1] = '\0';
    it->post_date = sget_u32(r);
    it->state = 2;
    it->pidx = NO_ITEM;
    if (sget_u8(r)) {
        uint32_t len = sget_u32(r);
        const uint8_t *body = sget(r, len);

        if (!body)
            return ERR_BADFRAME;
        it->body = arena_copy(&bk->arena, body, len);
        if (!it->body)
            return -ENOMEM;
        it->len = len;
    } else {
        it->body = arena_copy(&bk->arena, NULL, 0);
        if (!it->body)
            return -ENOMEM;
    }
    return r->bad ? ERR_BADFRAME : 0;
}

int books_slice_common(const struct books *bk, struct proto_buf *out)
{
    uint32_t *sel = malloc((bk->nversions + bk->ncloses + 1) * sizeof *sel);
    size_t n = 0;
    int rc = -ENOMEM;

    if (!sel)
        return -ENOMEM;
    for (size_t i = 0; i < bk->nversions; i++)
        sel[n++] = bk->versions[i].item;
    for (size_t i = 0; i < bk->ncloses; i++)
        sel[n++] = bk->closes[i].pub.item;
    n = uniq_u32(sel, n);
    if ((rc = sput_u32(out, (uint32_t)n)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if ((rc = slice_put_item(out, &bk->items[sel[i]],
                                 bk->items[sel[i]].pub.kind == PROTO_KIND_PARAMS)) < 0)
            goto out;
    if ((rc = sput_u32(out, (uint32_t)bk->nversions)) < 0)
        goto out;
    for (size_t i = 0; i < bk->nversions; i++)
        if ((rc = sput_u32(out, slice_local(sel, n, bk->versions[i].item))) < 0 ||
            (rc = sput_u32(out, bk->versions[i].in_force)) < 0)
            goto out;
    if ((rc = sput_u32(out, (uint32_t)bk->ncloses)) < 0)
        goto out;
    for (size_t i = 0; i < bk->ncloses; i++) {
        const struct books_close *c = &bk->closes[i].pub;

        if ((rc = sput_u32(out, slice_local(sel, n, c->item))) < 0 ||
            (rc = sput_u32(out, c->year)) < 0 || (rc = sput_u32(out, c->start)) < 0 ||
            (rc = sput_u32(out, c->end)) < 0 || (rc = sput(out, c->frontier, 32)) < 0)
            goto out;
    }
    rc = 0;
out:
    free(sel);
    return rc;
}

/* A (member, global index) pair: postings and waiting items grouped by member. */
struct mref {
    uint32_t member, index;
};

static int cmp_mref(const void *a, const void *b)
{
    const struct mref *x = a, *y = b;

    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int push_mref(struct mref **v, size_t *n, size_t *cap, uint32_t member, uint32_t index)
{
    if (grow((void **)v, cap, *n + 1, sizeof **v) < 0)
        return -ENOMEM;
    (*v)[*n].member = member;
    (*v)[(*n)++].index = index;
    return 0;
}

static int push_u32(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
    if (grow((void **)v, cap, *n + 1, sizeof **v) < 0)
        return -ENOMEM;
    (*v)[(*n)++] = x;
    return 0;
}

/* One member's slice from the ranges of the grouped indexes. */
static int slice_member(const struct books *bk, uint32_t m, const struct mref *pm, size_t npm,
                        const struct mref *wm, size_t nwm, const struct regev *reg, size_t nreg,
                        const uint32_t *lb, size_t nlb, struct proto_buf *out)
{
    uint32_t *sel = NULL, *bodies = NULL;
    size_t n = 0, cap = 0, nb = 0, capb = 0;
    const struct legacy *lg = legacy_find(bk, m);
    int rc = -ENOMEM;

    for (size_t k = 0; k < npm; k++)
        if (push_u32(&sel, &n, &cap, bk->postings[pm[k].index].item) < 0)
            goto out;
    for (size_t k = 0; k < nwm; k++)
        if (push_u32(&sel, &n, &cap, wm[k].index) < 0)
            goto out;
    for (size_t k = 0; k < nreg; k++)
        if (push_u32(&sel, &n, &cap, reg[k].item) < 0 ||
            push_u32(&bodies, &nb, &capb, reg[k].item) < 0)
            goto out;
    for (size_t k = 0; k < nlb; k++) {
        const struct loan *l = &bk->loans[lb[k]];

        if (push_u32(&sel, &n, &cap, l->pub.item) < 0 ||
            push_u32(&bodies, &nb, &capb, l->pub.item) < 0 ||
            (l->pub.disbursed && push_u32(&sel, &n, &cap, l->pub.disburse_item) < 0))
            goto out;
        for (size_t e = 0; e < l->nev; e++)
            if (push_u32(&sel, &n, &cap, l->ev[e]) < 0 ||
                push_u32(&bodies, &nb, &capb, l->ev[e]) < 0)
                goto out;
    }
    /* The chains of effective reversals (books_reversed_at follows them). */
    for (size_t k = 0, n0 = n; bk->rev_eff && k < n0; k++) {
        uint32_t r = bk->rev_eff[sel[k]];

        for (int links = 0; r != NO_ITEM && links < 64; links++, r = bk->rev_eff[r])
            if (push_u32(&sel, &n, &cap, r) < 0)
                goto out;
    }
    n = uniq_u32(sel, n);
    nb = uniq_u32(bodies, nb);

    if ((rc = sput_u32(out, m)) < 0 || (rc = sput_u8(out, books_is_officer(bk, m))) < 0 ||
        (rc = sput_u8(out, lg != NULL)) < 0 || (rc = sput_u32(out, lg ? lg->first : 0)) < 0 ||
        (rc = sput_u32(out, (uint32_t)n)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = bk->rev_eff ? bk->rev_eff[sel[i]] : NO_ITEM;

        if ((rc = slice_put_item(out, &bk->items[sel[i]], has_u32(bodies, nb, sel[i]))) < 0 ||
            (rc = sput_u32(out, slice_local(sel, n, r))) < 0)
            goto out;
    }
    if ((rc = sput_u32(out, (uint32_t)npm)) < 0)
        goto out;
    for (size_t k = 0; k < npm; k++) {
        const struct books_posting *p = &bk->postings[pm[k].index];

        if ((rc = sput_u32(out, p->date)) < 0 || (rc = sput_u32(out, p->account)) < 0 ||
            (rc = sput_u32(out, p->member)) < 0 ||
            (rc = sput_u32(out, slice_local(sel, n, p->item))) < 0 ||
            (rc = sput_u16(out, p->line)) < 0 || (rc = sput_u16(out, p->kind)) < 0 ||
            (rc = sput_u64(out, p->debit)) < 0 || (rc = sput_u64(out, p->credit)) < 0)
            goto out;
    }
    if ((rc = sput_u32(out, (uint32_t)nreg)) < 0)
        goto out;
    for (size_t k = 0; k < nreg; k++)
        if ((rc = sput_u32(out, reg[k].date)) < 0 ||
            (rc = sput_u32(out, slice_local(sel, n, reg[k].item))) < 0 ||
            (rc = sput_u8(out, reg[k].status)) < 0)
            goto out;
    if ((rc = sput_u32(out, (uint32_t)nlb)) < 0)
        goto out;
    for (size_t k = 0; k < nlb; k++) {
        const struct loan *l = &bk->loans[lb[k]];
        const struct books_loan *p = &l->pub;

        if ((rc = sput_u32(out, slice_local(sel, n, p->item))) < 0 ||
            (rc = sput(out, p->product, sizeof p->product)) < 0 ||
            (rc = sput_u8(out, p->status)) < 0 || (rc = sput_u32(out, p->disbursed)) < 0 ||
            (rc = sput_u32(out, p->disbursed ? slice_local(sel, n, p->disburse_item)
                                             : p->disburse_item)) < 0 ||
            (rc = sput_u32(out, p->reversed)) < 0 || (rc = sput_u64(out, p->principal)) < 0 ||
            (rc = sput_u8(out, p->officer)) < 0 || (rc = sput_u32(out, (uint32_t)l->nev)) < 0)
            goto out;
        for (size_t e = 0; e < l->nev; e++)
            if ((rc = sput_u32(out, slice_local(sel, n, l->ev[e]))) < 0)
                goto out;
    }
    rc = 0;
out:
    free(sel);
    free(bodies);
    return rc;
}

int books_slice_each(const struct books *bk, books_slice_fn *fn, void *ctx)
{
    struct mref *pm = NULL, *wm = NULL;
    size_t npm = 0, cappm = 0, nwm = 0, capwm = 0, nmem = 0, capmem = 0;
    uint32_t *mem = NULL, *lbm = NULL;
    struct proto_buf b;
    size_t ip = 0, iw = 0, ir = 0, il = 0;
    int rc = -ENOMEM;

    proto_buf_init(&b);
    if (!bk->derived || bk->is_closed)
        return -EINVAL;
    for (size_t k = 0; k < bk->npostings; k++)
        if (bk->postings[k].member &&
            push_mref(&pm, &npm, &cappm, bk->postings[k].member, (uint32_t)k) < 0)
            goto out;
    for (size_t i = 0; i < bk->nitems; i++) {
        const struct books_item *it = &bk->items[i].pub;

        if (it->status != BOOKS_WAITING)
            continue;
        if ((it->member && push_mref(&wm, &nwm, &capwm, it->member, (uint32_t)i) < 0) ||
            (it->csign_member && it->csign_member != it->member &&
             push_mref(&wm, &nwm, &capwm, it->csign_member, (uint32_t)i) < 0))
            goto out;
    }
    sort_n(pm, npm, sizeof *pm, cmp_mref);
    sort_n(wm, nwm, sizeof *wm, cmp_mref);
    /* Every member anything of a statement names. */
    for (size_t k = 0; k < npm; k++)
        if ((k == 0 || pm[k - 1].member != pm[k].member) &&
            push_u32(&mem, &nmem, &capmem, pm[k].member) < 0)
            goto out;
    for (size_t k = 0; k < nwm; k++)
        if (push_u32(&mem, &nmem, &capmem, wm[k].member) < 0)
            goto out;
    for (size_t k = 0; k < bk->nreg; k++)
        if (push_u32(&mem, &nmem, &capmem, bk->reg[k].member) < 0)
            goto out;
    for (size_t k = 0; k < bk->nlegacy; k++)
        if (push_u32(&mem, &nmem, &capmem, bk->legacy[k].member) < 0)
            goto out;
    lbm = malloc((bk->nloans + 1) * sizeof *lbm);
    if (!lbm)
        goto out;
    for (size_t k = 0; k < bk->nloans; k++) {
        lbm[k] = bk->loans[bk->lb[k]].pub.borrower;
        if (push_u32(&mem, &nmem, &capmem, lbm[k]) < 0)
            goto out;
    }
    nmem = uniq_u32(mem, nmem);
    for (size_t i = 0; i < nmem; i++) {
        uint32_t m = mem[i];
        size_t p0, w0, r0, l0;

        if (m == 0)
            continue;
        while (ip < npm && pm[ip].member < m)
            ip++;
        for (p0 = ip; ip < npm && pm[ip].member == m;)
            ip++;
        while (iw < nwm && wm[iw].member < m)
            iw++;
        for (w0 = iw; iw < nwm && wm[iw].member == m;)
            iw++;
        while (ir < bk->nreg && bk->reg[ir].member < m)
            ir++;
        for (r0 = ir; ir < bk->nreg && bk->reg[ir].member == m;)
            ir++;
        while (il < bk->nloans && lbm[il] < m)
            il++;
        for (l0 = il; il < bk->nloans && lbm[il] == m;)
            il++;
        proto_buf_reset(&b);
        rc = slice_member(bk, m, pm + p0, ip - p0, wm + w0, iw - w0, bk->reg + r0, ir - r0,
                          bk->lb + l0, il - l0, &b);
        if (rc == 0)
            rc = fn(ctx, m, b.data, b.len);
        if (rc != 0)
            goto out;
    }
    rc = 0;
out:
    proto_buf_release(&b);
    free(pm);
    free(wm);
    free(mem);
    free(lbm);
    return rc;
}

/* The items of one part, into tmp (bodies in bk's arena); rev: their reversal links, or NULL. */
static int slice_get_items(struct sget *r, struct books *bk, struct bitem **out, uint32_t **rev,
                           size_t *n)
{
    uint32_t cnt = sget_u32(r);
    struct bitem *v;
    int rc = 0;

    *out = NULL;
    *n = 0;
    if (r->bad || cnt > (size_t)(r->end - r->p) / 64) /* an item takes more than 64 bytes */
        return ERR_BADFRAME;
    v = calloc((size_t)cnt + 1, sizeof *v);
    if (rev)
        *rev = calloc((size_t)cnt + 1, sizeof **rev);
    if (!v || (rev && !*rev)) {
        free(v);
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < cnt && rc == 0; i++) {
        rc = slice_get_item(r, bk, &v[i]);
        if (rc == 0 && i > 0 && memcmp(v[i - 1].pub.id, v[i].pub.id, 32) >= 0)
            rc = ERR_BADFRAME; /* not in id order */
        if (rc == 0 && rev)
            (*rev)[i] = sget_u32(r);
    }
    *out = v;
    *n = cnt;
    return rc;
}

/* Maps a part's local index through map (SLICE_NONE passes), checking its range. */
static uint32_t slice_map(const uint32_t *map, size_t n, uint32_t local, bool *bad)
{
    if (local == SLICE_NONE)
        return NO_ITEM;
    if (local >= n) {
        *bad = true;
        return NO_ITEM;
    }
    return map[local];
}

/* A balance element and its posting's index (the tie-break that keeps a stable order). */
struct sbal {
    struct bal b;
    uint32_t k;
};

static int cmp_sbal(const void *a, const void *b)
{
    const struct sbal *x = a, *y = b;

    if (x->b.account != y->b.account)
        return x->b.account < y->b.account ? -1 : 1;
    if (x->b.member != y->b.member)
        return x->b.member < y->b.member ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* The member balance index (books_balance) of the slice's postings: one element per
 * (account, member, date) with the running debit - credit of its (account, member). Postings
 * come by date, so ordering them by (account, member, index) orders them by date within each. */
static int slice_bal(struct books *bk)
{
    size_t n = bk->npostings, m = 0;
    struct sbal *s = calloc(n + 1, sizeof *s);
    struct bal *v = calloc(n + 1, sizeof *v);

    if (!s || !v) {
        free(s);
        free(v);
        return -ENOMEM;
    }
    for (size_t k = 0; k < n; k++) {
        const struct books_posting *p = &bk->postings[k];

        s[k].b.account = p->account;
        s[k].b.member = p->member;
        s[k].b.date = p->date;
        s[k].b.cum = (int64_t)p->debit - (int64_t)p->credit;
        s[k].k = (uint32_t)k;
    }
    sort_n(s, n, sizeof *s, cmp_sbal);
    for (size_t k = 1; k < n; k++)
        if (s[k].b.account == s[k - 1].b.account && s[k].b.member == s[k - 1].b.member)
            s[k].b.cum += s[k - 1].b.cum;
    for (size_t k = 0; k < n; k++) {
        if (k + 1 < n && s[k + 1].b.account == s[k].b.account &&
            s[k + 1].b.member == s[k].b.member && s[k + 1].b.date == s[k].b.date)
            continue; /* the day's last element carries the day's balance */
        v[m++] = s[k].b;
    }
    free(s);
    bk->bal_m = v;
    bk->nbal_m = m;
    return 0;
}

int books_slice_open(const struct proto_genesis *g, const uint8_t ledger_id[32],
                     const uint8_t genesis_author[32], uint32_t member, const uint8_t *common,
                     size_t clen, const uint8_t *slice, size_t slen, struct books **out)
{
    /* A member no part names: an empty part. */
    static const uint8_t empty[26];
    struct sget rc_ = {common, common + clen, false}, rm = {slice, slice + slen, false};
    struct bitem *ca = NULL, *ma = NULL;
    uint32_t *mrev = NULL, *cmap = NULL, *mmap_ = NULL;
    size_t nca = 0, nma = 0, a = 0, c = 0;
    struct books *bk = NULL;
    bool bad = false;
    uint32_t cnt;
    int rc;

    *out = NULL;
    if (slen == 0) {
        rm.p = empty;
        rm.end = empty + sizeof empty; /* member, officer, legacy, first, 4 counts */
    }
    rc = books_new(g, ledger_id, genesis_author, &bk);
    if (rc < 0)
        return rc;
    if ((rc = slice_get_items(&rc_, bk, &ca, NULL, &nca)) < 0)
        goto out;
    if (slen == 0)
        (void)sget_u32(&rm);
    else if (sget_u32(&rm) != member) {
        rc = ERR_BADFRAME;
        goto out;
    }
    {
        bool officer = sget_u8(&rm) != 0, legacy = sget_u8(&rm) != 0;
        uint32_t first = sget_u32(&rm);

        bk->members = malloc(sizeof *bk->members);
        bk->officers = malloc(sizeof *bk->officers);
        bk->legacy = malloc(sizeof *bk->legacy);
        rc = -ENOMEM;
        if (!bk->members || !bk->officers || !bk->legacy)
            goto out;
        bk->members[0] = member;
        bk->nmembers = member != 0;
        bk->officers[0] = member;
        bk->nofficers = officer;
        bk->legacy[0].member = member;
        bk->legacy[0].first = first;
        bk->nlegacy = legacy;
    }
    if ((rc = slice_get_items(&rm, bk, &ma, &mrev, &nma)) < 0)
        goto out;
    /* Merge the two parts by id (an item in both is the same item). */
    rc = -ENOMEM;
    bk->items = calloc(nca + nma + 1, sizeof *bk->items);
    cmap = calloc(nca + 1, sizeof *cmap);
    mmap_ = calloc(nma + 1, sizeof *mmap_);
    if (!bk->items || !cmap || !mmap_)
        goto out;
    while (a < nca || c < nma) {
        int d = a == nca ? 1 : c == nma ? -1 : memcmp(ca[a].pub.id, ma[c].pub.id, 32);

        if (d <= 0)
            cmap[a] = (uint32_t)bk->nitems;
        if (d >= 0)
            mmap_[c] = (uint32_t)bk->nitems;
        /* The part with the body when both hold it. */
        bk->items[bk->nitems++] = d < 0 ? ca[a] : d > 0 ? ma[c] : ma[c].len ? ma[c] : ca[a];
        a += d <= 0;
        c += d >= 0;
    }
    bk->capitems = nca + nma + 1;
    bk->rev_eff = malloc((bk->nitems + 1) * sizeof *bk->rev_eff);
    if (!bk->rev_eff)
        goto out;
    for (size_t i = 0; i < bk->nitems; i++)
        bk->rev_eff[i] = NO_ITEM;
    for (size_t i = 0; i < nma; i++)
        bk->rev_eff[mmap_[i]] = slice_map(mmap_, nma, mrev[i], &bad);
    /* Parameter versions (decoded again from their bodies) and closes. */
    cnt = sget_u32(&rc_);
    if (rc_.bad || cnt > nca) {
        rc = ERR_BADFRAME;
        goto out;
    }
    bk->params = calloc((size_t)cnt + 1, sizeof *bk->params);
    bk->versions = calloc((size_t)cnt + 1, sizeof *bk->versions);
    if (!bk->params || !bk->versions)
        goto out;
    for (uint32_t k = 0; k < cnt; k++) {
        uint32_t it = slice_map(cmap, nca, sget_u32(&rc_), &bad), in_force = sget_u32(&rc_);
        struct proto_params *p;

        if (bad || it == NO_ITEM || rc_.bad) {
            rc = ERR_BADFRAME;
            goto out;
        }
        p = malloc(sizeof *p);
        if (!p)
            goto out;
        rc = proto_params_decode(bk->items[it].body, bk->items[it].len, p);
        if (rc < 0) {
            free(p);
            goto out;
        }
        bk->items[it].pidx = (uint32_t)bk->nparams;
        bk->params[bk->nparams++] = p;
        bk->versions[bk->nversions].item = it;
        bk->versions[bk->nversions].in_force = in_force;
        bk->versions[bk->nversions++].p = p;
    }
    cnt = sget_u32(&rc_);
    if (rc_.bad || cnt > nca) {
        rc = ERR_BADFRAME;
        goto out;
    }
    rc = -ENOMEM;
    bk->closes = calloc((size_t)cnt + 1, sizeof *bk->closes);
    if (!bk->closes)
        goto out;
    bk->capcloses = (size_t)cnt + 1;
    for (uint32_t k = 0; k < cnt; k++) {
        struct cls *cl = &bk->closes[bk->ncloses++];

        cl->pub.item = slice_map(cmap, nca, sget_u32(&rc_), &bad);
        cl->pub.year = sget_u32(&rc_);
        cl->pub.start = sget_u32(&rc_);
        cl->pub.end = sget_u32(&rc_);
        sget_copy(&rc_, cl->pub.frontier, 32);
        if (cl->pub.item != NO_ITEM)
            memcpy(cl->id, bk->items[cl->pub.item].pub.id, 32);
    }
    /* The member's postings, register, loans. */
    cnt = sget_u32(&rm);
    if (rm.bad || cnt > (size_t)(rm.end - rm.p) / 36) {
        rc = ERR_BADFRAME;
        goto out;
    }
    bk->postings = calloc((size_t)cnt + 1, sizeof *bk->postings);
    if (!bk->postings)
        goto out;
    bk->cappostings = (size_t)cnt + 1;
    for (uint32_t k = 0; k < cnt; k++) {
        struct books_posting *p = &bk->postings[bk->npostings++];

        p->date = sget_u32(&rm);
        p->account = sget_u32(&rm);
        p->member = sget_u32(&rm);
        p->item = slice_map(mmap_, nma, sget_u32(&rm), &bad);
        p->line = sget_u16(&rm);
        p->kind = sget_u16(&rm);
        p->debit = sget_u64(&rm);
        p->credit = sget_u64(&rm);
        bad |= p->item == NO_ITEM || p->member != member;
    }
    cnt = sget_u32(&rm);
    if (rm.bad || cnt > (size_t)(rm.end - rm.p) / 9) {
        rc = ERR_BADFRAME;
        goto out;
    }
    bk->reg = calloc((size_t)cnt + 1, sizeof *bk->reg);
    if (!bk->reg)
        goto out;
    for (uint32_t k = 0; k < cnt; k++) {
        struct regev *e = &bk->reg[bk->nreg++];

        e->member = member;
        e->date = sget_u32(&rm);
        e->item = slice_map(mmap_, nma, sget_u32(&rm), &bad);
        e->status = sget_u8(&rm);
    }
    cnt = sget_u32(&rm);
    if (rm.bad || cnt > (size_t)(rm.end - rm.p) / 30) {
        rc = ERR_BADFRAME;
        goto out;
    }
    bk->loans = calloc((size_t)cnt + 1, sizeof *bk->loans);
    bk->lb = calloc((size_t)cnt + 1, sizeof *bk->lb);
    if (!bk->loans || !bk->lb)
        goto out;
    for (uint32_t k = 0; k < cnt && !rm.bad; k++) {
        struct loan *l = &bk->loans[bk->nloans++];
        struct books_loan *p = &l->pub;
        uint32_t nev;

        bk->lb[k] = k;
        p->item = slice_map(mmap_, nma, sget_u32(&rm), &bad);
        p->borrower = member;
        sget_copy(&rm, p->product, sizeof p->product);
        p->product[sizeof p->product - 1] = '\0';
        p->status = sget_u8(&rm);
        p->disbursed = sget_u32(&rm);
        p->disburse_item = sget_u32(&rm);
        if (p->disbursed)
            p->disburse_item = slice_map(mmap_, nma, p->disburse_item, &bad);
        p->reversed = sget_u32(&rm);
        p->principal = sget_u64(&rm);
        p->officer = sget_u8(&rm) != 0;
        nev = sget_u32(&rm);
        bad |= p->item == NO_ITEM;
        if (rm.bad || nev > (size_t)(rm.end - rm.p) / 4) {
            rc = ERR_BADFRAME;
            goto out;
        }
        l->ev = calloc((size_t)nev + 1, sizeof *l->ev);
        if (!l->ev)
            goto out;
        for (uint32_t e = 0; e < nev; e++)
            l->ev[l->nev++] = slice_map(mmap_, nma, sget_u32(&rm), &bad);
    }
    if (bad || rc_.bad || rm.bad || rc_.p != rc_.end || rm.p != rm.end) {
        rc = ERR_BADFRAME;
        goto out;
    }
    for (size_t k = 0; k < bk->nloans; k++)
        for (size_t e = 0; e < bk->loans[k].nev; e++)
            if (bk->loans[k].ev[e] == NO_ITEM) {
                rc = ERR_BADFRAME;
                goto out;
            }
    if ((rc = slice_bal(bk)) < 0)
        goto out;
    bk->derived = true;
    *out = bk;
    bk = NULL;
    rc = 0;
out:
    free(ca);
    free(ma);
    free(mrev);
    free(cmap);
    free(mmap_);
    books_free(bk);
    return rc;
}
