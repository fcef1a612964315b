/*
 * Year-end computations shared by the author of a close (cli/cmd_close.c) and every reader
 * (yearend_check): see proto/yearend.h.
 */
#include "proto/yearend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"
#include "proto/loan.h"
#include "proto/report.h"

const char *const yearend_digest_types[YEAREND_NDIGESTS] = {
    "cashflow", "equity", "findings", "lhu", "loans", "neraca", "shu-members",
};

#define CODES 10000 /* account codes are 1000..9999 */

static uint32_t day_before(uint32_t ymd)
{
    int32_t d;
    uint32_t out;

    if (proto_day_from_ymd(ymd, &d) < 0 || proto_day_to_ymd(d - 1, &out) < 0)
        return ymd;
    return out;
}

/* The first posting dated on or after ymd (postings are sorted by date). */
static size_t first_on(const struct books *bk, uint32_t ymd)
{
    const struct books_posting *p = books_postings(bk);
    size_t lo = 0, hi = books_npostings(bk);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (p[mid].date < ymd)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int yearend_close_figures(const struct books *bk, struct proto_close *c)
{
    const struct books_posting *p = books_postings(bk);
    size_t np = books_npostings(bk);
    int64_t *mv = calloc(CODES, sizeof *mv);
    struct report_lhu lhu;
    struct report_shu_members sm;
    uint32_t nl = 0;
    int rc;

    if (!mv)
        return -ENOMEM;
    for (size_t k = first_on(bk, c->start); k < np && p[k].date <= c->end; k++)
        if (!books_posting_closing(bk, k) && p[k].account < CODES)
            mv[p[k].account] += (int64_t)p[k].debit - (int64_t)p[k].credit;
    for (uint32_t a = 1000; a < CODES; a++) {
        const struct proto_account *acc;

        if (mv[a] == 0)
            continue;
        acc = books_account(bk, a, c->end);
        if (!acc || (acc->type != PROTO_ACCT_REVENUE && acc->type != PROTO_ACCT_EXPENSE))
            continue;
        if (nl == PROTO_CLOSE_LINES_MAX) {
            free(mv);
            return ERR_TOOBIG;
        }
        c->lines[nl].account = a;
        c->lines[nl++].amount = mv[a];
    }
    c->nlines = nl;
    /* What stays on `current` at the end of the period before this close: earlier years' SHU
     * not allocated. Its natural (credit) balance moves to `retained`. */
    c->roll = -(books_balance(bk, c->current, 0, day_before(c->start)) +
                (c->current < CODES ? mv[c->current] : 0));
    free(mv);

    memset(&c->shu, 0, sizeof c->shu);
    if ((rc = report_lhu(bk, c->start, c->end, c->end, &lhu)) < 0)
        return rc;
    c->shu.before_tax = lhu.shu_before_tax;
    c->shu.tax = lhu.tax;
    c->shu.after_tax = lhu.shu_after_tax;
    c->shu.nonmember = lhu.nonmember;
    c->shu.member = lhu.member;
    if (lhu.has_proposal) {
        c->shu.nparts = (uint32_t)lhu.nproposal;
        for (size_t i = 0; i < lhu.nproposal; i++) {
            c->shu.part_ppm[i] = lhu.proposal[i].ppm;
            c->shu.part_amount[i] = lhu.proposal[i].amount;
        }
    }
    report_lhu_free(&lhu);
    if (c->shu.member <= 0)
        return 0;
    rc = report_shu_members(bk, c->start, c->end, c->end, NULL, &sm);
    if (rc == -ENOMEM)
        return rc;
    if (rc < 0)
        return 0; /* no table, or bases beyond exact integers: nothing is proposed per member */
    c->shu.jm.pool = sm.jm.pool;
    c->shu.jm.total = (uint64_t)sm.jm.total;
    c->shu.jm.paid = sm.jm.paid;
    c->shu.jm.residual = sm.jm.residual;
    c->shu.ju.pool = sm.ju.pool;
    c->shu.ju.total = (uint64_t)sm.ju.total;
    c->shu.ju.paid = sm.ju.paid;
    c->shu.ju.residual = sm.ju.residual;
    c->shu.has_root = true;
    memcpy(c->shu.members_root, sm.members_root, 32);
    report_shu_members_free(&sm);
    return 0;
}

/* The digest of report type t over bk for close c: 0, 1 when the report cannot be made (no SHU
 * table), or a negative code. */
static int digest_of(const struct books *bk, const struct proto_close *c, const char *t,
                     uint8_t out[32])
{
    int rc = 1;

    if (strcmp(t, "cashflow") == 0) {
        struct report_cashflow r;

        if ((rc = report_cashflow(bk, c->start, c->end, c->end, &r)) == 0) {
            memcpy(out, r.meta.digest, 32);
            report_cashflow_free(&r);
        }
    } else if (strcmp(t, "equity") == 0) {
        struct report_equity r;

        if ((rc = report_equity(bk, c->start, c->end, c->end, &r)) == 0) {
            memcpy(out, r.meta.digest, 32);
            report_equity_free(&r);
        }
    } else if (strcmp(t, "findings") == 0) {
        struct report_findings r;

        if ((rc = report_findings(bk, c->start, c->end, &r)) == 0) {
            memcpy(out, r.meta.digest, 32);
            report_findings_free(&r);
        }
    } else if (strcmp(t, "lhu") == 0) {
        struct report_lhu r;

        if ((rc = report_lhu(bk, c->start, c->end, c->end, &r)) == 0) {
            memcpy(out, r.meta.digest, 32);
            report_lhu_free(&r);
        }
    } else if (strcmp(t, "loans") == 0) {
        struct report_loans r;

        if ((rc = report_loans(bk, c->end, &r)) == 0) {
            memcpy(out, r.meta.digest, 32);
            report_loans_free(&r);
        }
    } else if (strcmp(t, "neraca") == 0) {
        struct report_neraca r;

        if ((rc = report_neraca(bk, c->end, &r)) == 0) {
            memcpy(out, r.meta.digest, 32);
            report_neraca_free(&r);
        }
    } else if (strcmp(t, "shu-members") == 0) {
        struct report_shu_members r;

        if ((rc = report_shu_members(bk, c->start, c->end, c->end, NULL, &r)) == 0) {
            memcpy(out, r.meta.digest, 32);
            report_shu_members_free(&r);
        }
    }
    if (rc < 0 && rc != -ENOMEM)
        rc = 1;
    return rc;
}

int yearend_close_digests(const struct books *bk, struct proto_close *c)
{
    c->ndigests = 0;
    for (size_t i = 0; i < YEAREND_NDIGESTS; i++) {
        struct proto_close_digest *d = &c->digests[c->ndigests];
        int rc = digest_of(bk, c, yearend_digest_types[i], d->digest);

        if (rc < 0)
            return rc;
        if (rc > 0)
            continue;
        memcpy(d->type, yearend_digest_types[i], strlen(yearend_digest_types[i]) + 1);
        c->ndigests++;
    }
    return 0;
}

bool yearend_resolution_table(const struct books *bk, size_t r, const uint8_t close[32],
                              struct proto_shu_table *table, bool *has_table)
{
    struct proto_resolution *res = malloc(sizeof *res);
    const uint8_t *raw;
    size_t len;
    bool found = false;

    *has_table = false;
    memset(table, 0, sizeof *table);
    raw = books_body_raw(bk, r, &len);
    if (!res || !raw || proto_resolution_decode(raw, len, res) < 0) {
        free(res);
        return false;
    }
    for (uint32_t k = 0; k < res->ndecisions && !found; k++) {
        const struct proto_decision *d = &res->decisions[k];

        if (d->type != PROTO_DECIDE_SHU || d->outcome != PROTO_OUTCOME_ADOPTED || !d->has_target ||
            memcmp(d->target, close, 32) != 0)
            continue;
        if (d->has_table) {
            table->nparts = d->nparts;
            for (uint32_t j = 0; j < d->nparts; j++) {
                memcpy(table->parts[j].name, d->parts[j].name, sizeof table->parts[j].name);
                table->parts[j].role = d->parts[j].role;
                table->parts[j].ppm = d->parts[j].ppm;
            }
            if (proto_shu_table_check(table, NULL) != 0) {
                memset(table, 0, sizeof *table); /* adopts nothing, as the books judge it */
                continue;
            }
            *has_table = true;
        }
        found = true;
    }
    free(res);
    return found;
}

int yearend_shu_rows(const struct books *closed, const struct books_close *cl,
                     const struct proto_shu_table *table, const uint32_t *accounts,
                     struct proto_shu_row **rows, size_t *n, struct proto_shu_fund *funds,
                     uint32_t *nfunds)
{
    struct report_shu_members sm;
    struct proto_shu_row *v;
    size_t k = 0;
    int rc;

    *rows = NULL;
    *n = 0;
    *nfunds = 0;
    if ((rc = report_shu_members(closed, cl->start, cl->end, cl->end, table, &sm)) < 0)
        return rc;
    v = malloc((sm.n + 1) * sizeof *v);
    if (!v) {
        report_shu_members_free(&sm);
        return -ENOMEM;
    }
    for (size_t i = 0; i < sm.n; i++) {
        if (sm.rows[i].jm + sm.rows[i].ju <= 0)
            continue;
        v[k].member = sm.rows[i].member;
        v[k].jm = (uint64_t)sm.rows[i].jm;
        v[k++].ju = (uint64_t)sm.rows[i].ju;
    }
    for (size_t i = 0; i < sm.nparts; i++) {
        const struct report_shu_part *p = &sm.parts[i];
        int64_t amount = p->amount;

        if (p->role != PROTO_SHU_ROLE_OTHER)
            continue;
        if (p->index == sm.residual_part)
            amount += sm.nonmember + sm.jm.residual + sm.ju.residual;
        if (amount <= 0)
            continue;
        funds[*nfunds].index = p->index;
        funds[*nfunds].account = accounts ? accounts[p->index] : p->account;
        funds[(*nfunds)++].amount = (uint64_t)amount;
    }
    report_shu_members_free(&sm);
    *rows = v;
    *n = k;
    return 0;
}

static bool close_equal(const struct proto_close *a, const struct proto_close *b)
{
    if (a->nlines != b->nlines || a->roll != b->roll)
        return false;
    for (uint32_t i = 0; i < a->nlines; i++)
        if (a->lines[i].account != b->lines[i].account || a->lines[i].amount != b->lines[i].amount)
            return false;
    const struct proto_close_shu *x = &a->shu, *y = &b->shu;

    if (x->before_tax != y->before_tax || x->tax != y->tax || x->after_tax != y->after_tax ||
        x->nonmember != y->nonmember || x->member != y->member || x->nparts != y->nparts ||
        x->has_root != y->has_root || (x->has_root && memcmp(x->members_root, y->members_root, 32)))
        return false;
    for (uint32_t i = 0; i < x->nparts; i++)
        if (x->part_ppm[i] != y->part_ppm[i] || x->part_amount[i] != y->part_amount[i])
            return false;
    return x->jm.pool == y->jm.pool && x->jm.total == y->jm.total && x->jm.paid == y->jm.paid &&
           x->jm.residual == y->jm.residual && x->ju.pool == y->ju.pool &&
           x->ju.total == y->ju.total && x->ju.paid == y->ju.paid &&
           x->ju.residual == y->ju.residual;
}

void yearend_part_accounts(const struct books *bk, size_t r, const struct books_close *cl,
                           uint32_t accounts[PROTO_SHU_PARTS_MAX])
{
    struct proto_resolution *res = malloc(sizeof *res);
    /* The parameters as the closed set has them: the table shu-members used is theirs. */
    const struct proto_params *P = books_params_at(cl->closed ? cl->closed : bk, cl->end);
    const uint8_t *close = books_item(bk, cl->item)->id;
    const uint8_t *raw;
    size_t len;

    memset(accounts, 0, PROTO_SHU_PARTS_MAX * sizeof *accounts);
    if (P)
        for (uint32_t j = 0; j < P->nshu; j++)
            accounts[j] = P->shu[j].account;
    raw = books_body_raw(bk, r, &len);
    if (res && raw && proto_resolution_decode(raw, len, res) == 0) {
        /* The decision yearend_resolution_table takes: the first adopted SHU decision on the
         * close whose table (if any) is valid. */
        for (uint32_t k = 0; k < res->ndecisions; k++) {
            const struct proto_decision *d = &res->decisions[k];
            struct proto_shu_table t;

            if (d->type != PROTO_DECIDE_SHU || d->outcome != PROTO_OUTCOME_ADOPTED ||
                !d->has_target || memcmp(d->target, close, 32) != 0)
                continue;
            if (d->has_table) {
                memset(&t, 0, sizeof t);
                t.nparts = d->nparts;
                for (uint32_t j = 0; j < d->nparts; j++) {
                    memcpy(t.parts[j].name, d->parts[j].name, sizeof t.parts[j].name);
                    t.parts[j].role = d->parts[j].role;
                    t.parts[j].ppm = d->parts[j].ppm;
                }
                if (proto_shu_table_check(&t, NULL) != 0)
                    continue;
                memset(accounts, 0, PROTO_SHU_PARTS_MAX * sizeof *accounts);
                for (uint32_t j = 0; j < d->nparts; j++)
                    accounts[j] = d->parts[j].account;
            }
            break;
        }
    }
    free(res);
}

/* Checks the effective SHU allocations of close cl: every row and fund as recomputed, and,
 * once every part is there, no member left out. */
static int check_allocations(struct books *bk, const struct books_close *cl,
                             const uint8_t close_id[32], struct proto_shu_allocate *a)
{
    size_t matched = 0, expected = 0, last = SIZE_MAX;
    uint64_t seen = 0;
    uint32_t parts = 0, last_date = 0;
    bool any_bad = false;

    for (size_t i = 0; i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);
        struct proto_shu_table table;
        struct proto_shu_row *rows = NULL;
        struct proto_shu_fund funds[PROTO_SHU_PARTS_MAX];
        uint32_t nfunds, accounts[PROTO_SHU_PARTS_MAX];
        const uint8_t *raw;
        size_t len, n, r;
        bool has_table, bad = false;
        int rc;

        if (it->kind != PROTO_KIND_SHU_ALLOCATE || it->status != BOOKS_EFFECTIVE)
            continue;
        raw = books_body_raw(bk, i, &len);
        if (proto_shu_allocate_decode(raw, len, a) < 0 || memcmp(a->close, close_id, 32) != 0)
            continue;
        r = books_index(bk, a->resolution);
        if (r == SIZE_MAX || !yearend_resolution_table(bk, r, close_id, &table, &has_table))
            continue; /* (cannot happen: the allocation is effective) */
        yearend_part_accounts(bk, r, cl, accounts);
        rc = yearend_shu_rows(cl->closed, cl, has_table ? &table : NULL, accounts, &rows, &n, funds,
                              &nfunds);
        if (rc == -ENOMEM)
            return rc;
        if (rc < 0) {
            bad = true;
        } else {
            for (uint32_t k = 0; k < a->nrows && !bad; k++) {
                const struct proto_shu_row *x = &a->rows[k], *e = NULL;
                size_t lo = 0, hi = n;

                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;

                    if (rows[mid].member == x->member) {
                        e = &rows[mid];
                        break;
                    }
                    if (rows[mid].member < x->member)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                bad = !e || e->jm != x->jm || e->ju != x->ju;
            }
            if (a->part == 0 &&
                (a->nfunds != nfunds || memcmp(a->funds, funds, nfunds * sizeof *funds) != 0))
                bad = true;
        }
        free(rows);
        if (bad && (rc = books_add_finding(bk, BOOKS_F_SHU_MISMATCH, it->date, i, 0, 0,
                                           (int64_t)it->amount, a->part, 0)) < 0)
            return rc;
        any_bad |= bad;
        if (!(seen & (1ull << a->part)))
            matched += a->nrows;
        seen |= 1ull << a->part;
        parts = a->parts;
        expected = n;
        if (it->date >= last_date) {
            last_date = it->date;
            last = i;
        }
    }
    /* Every part present and right, but fewer members than the recomputation: someone's SHU
     * was left on `current`. (Parts missing are shu-incomplete, in the books.) */
    if (last != SIZE_MAX && !any_bad && parts < 64 && seen == (1ull << parts) - 1 &&
        matched != expected)
        return books_add_finding(bk, BOOKS_F_SHU_MISMATCH, last_date, last, 0, 0, 0,
                                 (int64_t)matched, (int64_t)expected);
    return 0;
}

int yearend_check(struct books *bk)
{
    struct proto_close *c = malloc(sizeof *c), *x = malloc(sizeof *x);
    struct proto_shu_allocate *a = malloc(sizeof *a);
    int rc = 0;

    if (!c || !x || !a) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < books_ncloses(bk) && rc == 0; k++) {
        const struct books_close *cl = books_close_at(bk, k);
        const struct books_item *it = books_item(bk, cl->item);
        const uint8_t *raw;
        size_t len;

        if (!cl->closed)
            continue;
        raw = books_body_raw(bk, cl->item, &len);
        if (proto_close_decode(raw, len, c) < 0)
            continue;
        *x = *c;
        if ((rc = yearend_close_figures(cl->closed, x)) == -ENOMEM)
            break;
        if ((rc != 0 || !close_equal(c, x)) &&
            (rc = books_add_finding(bk, BOOKS_F_CLOSE_MISMATCH, it->date, cl->item, 0, 0, 0, 0,
                                    0)) < 0)
            break;
        if ((rc = yearend_close_digests(cl->closed, x)) < 0)
            break;
        for (uint32_t d = 0; d < c->ndigests && rc == 0; d++) {
            bool same = false;
            int64_t t = -1;

            for (uint32_t e = 0; e < x->ndigests; e++)
                if (strcmp(c->digests[d].type, x->digests[e].type) == 0)
                    same = memcmp(c->digests[d].digest, x->digests[e].digest, 32) == 0;
            for (size_t e = 0; e < YEAREND_NDIGESTS; e++)
                if (strcmp(c->digests[d].type, yearend_digest_types[e]) == 0)
                    t = (int64_t)e;
            if (!same)
                rc = books_add_finding(bk, BOOKS_F_DIGEST_MISMATCH, it->date, cl->item, 0, 0, 0, t,
                                       0);
        }
        if (rc == 0)
            rc = check_allocations(bk, cl, it->id, a);
    }
out:
    free(c);
    free(x);
    free(a);
    return rc;
}
