/*
 * The roster fixpoint over the governance entries (see roster.h for the rule). Rosters are small
 * (hundreds of devices), so lookups are linear scans.
 */
#include "proto/roster.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/entry.h"

static struct proto_roster_dev *find(const struct proto_roster *r, const uint8_t pk[32])
{
    for (size_t i = 0; i < r->n; i++)
        if (memcmp(r->d[i].dev.sign_pk, pk, 32) == 0)
            return &r->d[i];
    return NULL;
}

const struct proto_roster_dev *proto_roster_find(const struct proto_roster *r, const uint8_t pk[32])
{
    return find(r, pk);
}

uint64_t proto_roster_applied(const struct proto_roster *r, const uint8_t author[32],
                              uint64_t unique)
{
    const struct proto_roster_dev *d = find(r, author);

    if (!d)
        return 0;
    if (d->revoked && d->cut_seq < unique)
        return d->cut_seq;
    return unique;
}

void proto_roster_release(struct proto_roster *r)
{
    free(r->d);
    memset(r, 0, sizeof *r);
}

static int add(struct proto_roster *r, const struct proto_device *dev, const uint8_t by[32])
{
    struct proto_roster_dev *d;

    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct proto_roster_dev *p = realloc(r->d, cap * sizeof *p);

        if (!p)
            return -ENOMEM;
        r->d = p;
        r->cap = cap;
    }
    d = &r->d[r->n++];
    memset(d, 0, sizeof *d);
    d->dev = *dev;
    memcpy(d->admitted_by, by, 32);
    return 0;
}

/* Field by field: the structs have padding, which memcmp would compare too. */
static bool dev_equal(const struct proto_roster_dev *x, const struct proto_roster_dev *y)
{
    return x->dev.member == y->dev.member && x->dev.role == y->dev.role &&
           x->dev.office == y->dev.office && memcmp(x->dev.sign_pk, y->dev.sign_pk, 32) == 0 &&
           memcmp(x->dev.box_pk, y->dev.box_pk, 32) == 0 &&
           memcmp(x->dev.card_sig, y->dev.card_sig, 64) == 0 &&
           memcmp(x->admitted_by, y->admitted_by, 32) == 0 && x->revoked == y->revoked &&
           x->cut_seq == y->cut_seq;
}

static bool roster_equal(const struct proto_roster *x, const struct proto_roster *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (!dev_equal(&x->d[i], &y->d[i]))
            return false;
    return true;
}

struct input {
    const struct proto_genesis *g;
    const uint8_t *genesis_id;
    const struct proto_gov *gov;
    size_t ngov;
    proto_roster_unique_fn *unique;
    void *arg;
};

/* One round: the roster the governance entries give when their authors are judged by judge
 * (NULL for round zero: the genesis roster alone). */
static int round_run(const struct input *in, const struct proto_roster *judge,
                     struct proto_roster *next)
{
    int rc;

    next->n = 0;
    for (uint32_t i = 0; i < in->g->nroster; i++)
        if ((rc = add(next, &in->g->roster[i], in->genesis_id)) < 0)
            return rc;
    if (!judge)
        return 0;
    for (int pass = 0; pass < 2; pass++) {
        uint64_t kind = pass == 0 ? PROTO_KIND_ADMIT : PROTO_KIND_REVOKE;

        for (size_t i = 0; i < in->ngov; i++) {
            const struct proto_gov *e = &in->gov[i];
            const struct proto_roster_dev *a;
            struct proto_roster_dev *t;

            if (e->kind != kind)
                continue;
            a = find(judge, e->author);
            if (!a || !proto_policy_allows(&in->g->policy, kind, a->dev.role) ||
                e->seq > proto_roster_applied(judge, e->author, in->unique(in->arg, e->author)))
                continue;
            if (kind == PROTO_KIND_ADMIT) {
                if (!find(next, e->admit.sign_pk) && (rc = add(next, &e->admit, e->id)) < 0)
                    return rc;
                continue;
            }
            t = find(next, e->revoke.device);
            if (t && (!t->revoked || e->cut < t->cut_seq)) {
                t->revoked = true;
                t->cut_seq = e->cut;
            }
        }
    }
    return 0;
}

int proto_roster_compute(const struct proto_genesis *g, const uint8_t genesis_id[32],
                         const struct proto_gov *gov, size_t ngov, proto_roster_unique_fn *unique,
                         void *arg, struct proto_roster *out)
{
    const struct input in = {g, genesis_id, gov, ngov, unique, arg};
    struct proto_roster prev = {0}, next = {0}, tmp;
    unsigned rounds = 0;
    bool settled = false;
    int rc;

    memset(out, 0, sizeof *out);
    for (size_t i = 1; i < ngov; i++)
        if (memcmp(gov[i - 1].id, gov[i].id, 32) > 0)
            return -EINVAL;
    rc = round_run(&in, NULL, &prev);
    while (rc == 0 && rounds < PROTO_ROSTER_ROUNDS_MAX) {
        rc = round_run(&in, &prev, &next);
        if (rc < 0)
            break;
        if (roster_equal(&prev, &next)) {
            settled = true;
            break;
        }
        tmp = prev;
        prev = next;
        next = tmp;
        rounds++;
    }
    proto_roster_release(&next);
    if (rc < 0) {
        proto_roster_release(&prev);
        return rc;
    }
    *out = prev;
    out->rounds = rounds;
    out->settled = settled;
    return 0;
}
