/*
 * Unit tests for proto/roster, the roster rule as a pure function: input checks, the genesis
 * roster alone, a chain of admissions (it settles in as many rounds as it is long, and stops at
 * the round limit), a revocation authored by a revoked admitter (it counts only within the
 * admitter's cut-off), an admission voided by a revocation and a later readmission, the rules
 * inside one round (admissions before revocations, the lowest cut-off, the lowest id of two
 * admissions, policy, unique prefix, unknown authors), and mutual revocations, which cycle and
 * must stop at the round limit with the same result whatever the ids. Devices and entry ids are
 * synthetic: the rule never looks at signatures.
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

#include "proto/entry.h"
#include "proto/ledger.h"
#include "proto/roster.h"

#define GOV_MAX  64
#define FEED_MAX 64

/* Devices are named by a small number n: signing key n repeated, transport key n + 128. */
enum { G = 1, G2 = 2, P = 3, A = 10, B = 11, D = 12, E = 13, F = 14, H = 15, X = 99 };

struct world {
    struct proto_genesis g;
    struct proto_device founders[3];
    uint8_t gid[32];
    struct proto_gov gov[GOV_MAX];
    size_t ngov;
    uint8_t feed_author[FEED_MAX][32];
    uint64_t feed_unique[FEED_MAX];
    size_t nfeeds;
    unsigned unique_calls;
};

static void pk(uint8_t n, uint8_t out[32])
{
    memset(out, n, 32);
}

static void id_of(uint8_t n, uint8_t out[32])
{
    memset(out, 0, 32);
    out[0] = n;
    out[31] = 0xee; /* never equal to a device key */
}

static void device(struct proto_device *d, uint8_t n, uint8_t role)
{
    memset(d, 0, sizeof *d);
    d->member = n;
    d->role = role;
    pk(n, d->sign_pk);
    memset(d->box_pk, n + 128, 32);
}

/* Founders: G and G2 (pengurus), P (pengawas); the default policy. */
static void world_init(struct world *w)
{
    memset(w, 0, sizeof *w);
    device(&w->founders[0], G, PROTO_ROLE_PENGURUS);
    device(&w->founders[1], G2, PROTO_ROLE_PENGURUS);
    device(&w->founders[2], P, PROTO_ROLE_PENGAWAS);
    w->g.roster = w->founders;
    w->g.nroster = 3;
    proto_policy_default(&w->g.policy);
    memset(w->gid, 0x77, 32);
}

static void feed(struct world *w, uint8_t author, uint64_t unique)
{
    for (size_t i = 0; i < w->nfeeds; i++)
        if (w->feed_author[i][0] == author) {
            w->feed_unique[i] = unique;
            return;
        }
    assert_true(w->nfeeds < FEED_MAX);
    pk(author, w->feed_author[w->nfeeds]);
    w->feed_unique[w->nfeeds++] = unique;
}

static uint64_t unique_of(void *arg, const uint8_t author[32])
{
    struct world *w = arg;

    w->unique_calls++;
    for (size_t i = 0; i < w->nfeeds; i++)
        if (memcmp(w->feed_author[i], author, 32) == 0)
            return w->feed_unique[i];
    return 0;
}

static struct proto_gov *gov_add(struct world *w, uint8_t id, uint8_t author, uint64_t seq,
                                 uint64_t kind)
{
    struct proto_gov *e;

    assert_true(w->ngov < GOV_MAX);
    e = &w->gov[w->ngov++];
    memset(e, 0, sizeof *e);
    id_of(id, e->id);
    pk(author, e->author);
    e->seq = seq;
    e->kind = kind;
    return e;
}

static void admit(struct world *w, uint8_t id, uint8_t author, uint64_t seq, uint8_t dev,
                  uint8_t role)
{
    device(&gov_add(w, id, author, seq, PROTO_KIND_ADMIT)->admit, dev, role);
}

static void revoke(struct world *w, uint8_t id, uint8_t author, uint64_t seq, uint8_t dev,
                   uint64_t cut)
{
    struct proto_gov *e = gov_add(w, id, author, seq, PROTO_KIND_REVOKE);

    pk(dev, e->revoke.device);
    e->revoke.last_seq = cut;
    e->cut = cut;
}

static int cmp_gov(const void *x, const void *y)
{
    return memcmp(((const struct proto_gov *)x)->id, ((const struct proto_gov *)y)->id, 32);
}

/* Sorts the governance entries by id, as callers must, and computes the roster. */
static void compute(struct world *w, struct proto_roster *r)
{
    qsort(w->gov, w->ngov, sizeof w->gov[0], cmp_gov);
    assert_int_equal(proto_roster_compute(&w->g, w->gid, w->gov, w->ngov, unique_of, w, r), 0);
}

static const struct proto_roster_dev *dev_of(const struct proto_roster *r, uint8_t n)
{
    uint8_t k[32];

    pk(n, k);
    return proto_roster_find(r, k);
}

static void assert_standing(const struct proto_roster *r, uint8_t n, bool revoked, uint64_t cut)
{
    const struct proto_roster_dev *d = dev_of(r, n);

    assert_non_null(d);
    assert_int_equal(d->revoked, revoked);
    assert_int_equal(d->cut_seq, revoked ? cut : 0);
}

static void assert_admitted_by(const struct proto_roster *r, uint8_t n, uint8_t id)
{
    const struct proto_roster_dev *d = dev_of(r, n);
    uint8_t want[32];

    assert_non_null(d);
    id_of(id, want);
    assert_memory_equal(d->admitted_by, want, 32);
}

static uint64_t applied(const struct proto_roster *r, uint8_t n, uint64_t unique)
{
    uint8_t k[32];

    pk(n, k);
    return proto_roster_applied(r, k, unique);
}

static void assert_roster_equal(const struct proto_roster *x, const struct proto_roster *y)
{
    assert_int_equal(x->n, y->n);
    assert_int_equal(x->rounds, y->rounds);
    assert_int_equal(x->settled, y->settled);
    for (size_t i = 0; i < x->n; i++) {
        assert_memory_equal(x->d[i].dev.sign_pk, y->d[i].dev.sign_pk, 32);
        assert_int_equal(x->d[i].dev.role, y->d[i].dev.role);
        assert_memory_equal(x->d[i].admitted_by, y->d[i].admitted_by, 32);
        assert_int_equal(x->d[i].revoked, y->d[i].revoked);
        assert_int_equal(x->d[i].cut_seq, y->d[i].cut_seq);
    }
}

/* ---- tests ---- */

static void test_invalid(void **state)
{
    struct world w;
    struct proto_roster r;

    (void)state;
    world_init(&w);
    feed(&w, G, 3);
    admit(&w, 0x20, G, 2, D, PROTO_ROLE_KASIR);
    admit(&w, 0x10, G, 3, E, PROTO_ROLE_KASIR);
    memset(&r, 0xa5, sizeof r);
    /* Out of id order. */
    assert_int_equal(proto_roster_compute(&w.g, w.gid, w.gov, w.ngov, unique_of, &w, &r), -EINVAL);
    assert_null(r.d);
    assert_int_equal(r.n, 0);
    proto_roster_release(&r); /* an empty roster releases */
    proto_roster_release(&r);
}

static void test_genesis_only(void **state)
{
    struct world w;
    struct proto_roster r;

    (void)state;
    world_init(&w);
    assert_int_equal(proto_roster_compute(&w.g, w.gid, NULL, 0, unique_of, &w, &r), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.rounds, 0);
    assert_true(r.settled);
    for (size_t i = 0; i < 3; i++) {
        assert_memory_equal(&r.d[i].dev, &w.founders[i], sizeof w.founders[i]);
        assert_memory_equal(r.d[i].admitted_by, w.gid, 32);
        assert_false(r.d[i].revoked);
    }
    assert_null(dev_of(&r, X));
    assert_int_equal(applied(&r, G, 5), 5);
    assert_int_equal(applied(&r, X, 5), 0);
    assert_int_equal(w.unique_calls, 0);
    proto_roster_release(&r);
    assert_null(r.d);
}

/*
 * G admits D1 at its seq 2, D1 admits D2 at its seq 1, and so on: the chain settles in as many
 * rounds as it is long. Later links get lower ids, so id order is of no help. A chain longer
 * than the round limit stops there, with the rest not admitted.
 */
static void test_admission_chain(void **state)
{
    static const unsigned lengths[] = {1, 2, 5, 31, 32, 40};

    (void)state;
    for (size_t t = 0; t < sizeof lengths / sizeof lengths[0]; t++) {
        unsigned len = lengths[t], want = len < 32 ? len : 32;
        struct world w;
        struct proto_roster r;

        world_init(&w);
        feed(&w, G, 2);
        for (unsigned k = 1; k <= len; k++) {
            uint8_t dev = (uint8_t)(100 + k), by = k == 1 ? G : (uint8_t)(100 + k - 1);

            admit(&w, (uint8_t)(200 - k), by, k == 1 ? 2 : 1, dev, PROTO_ROLE_PENGURUS);
            feed(&w, dev, 1);
        }
        compute(&w, &r);
        assert_int_equal(r.rounds, want);
        assert_int_equal(r.settled, len < 32);
        assert_int_equal(r.n, 3 + want);
        for (unsigned k = 1; k <= len; k++) {
            if (k <= want)
                assert_admitted_by(&r, (uint8_t)(100 + k), (uint8_t)(200 - k));
            else
                assert_null(dev_of(&r, (uint8_t)(100 + k)));
        }
        proto_roster_release(&r);
    }
}

/*
 * G admits A (pengurus) and B; A's seq 2 revokes B; G revokes A with cut-off c. A's revocation
 * counts only if c keeps A's seq 2, and only while seq 2 is inside A's unique prefix.
 */
static void test_revocation_by_revoked_admitter(void **state)
{
    (void)state;
    for (uint64_t c = 0; c <= 3; c++) {
        struct world w;
        struct proto_roster r;

        world_init(&w);
        feed(&w, G, 4);
        feed(&w, A, 2);
        admit(&w, 0x10, G, 2, A, PROTO_ROLE_PENGURUS);
        admit(&w, 0x11, G, 3, B, PROTO_ROLE_KASIR);
        revoke(&w, 0x20, A, 2, B, 0);
        revoke(&w, 0x30, G, 4, A, c);
        compute(&w, &r);
        assert_true(r.settled);
        assert_standing(&r, A, true, c);
        assert_standing(&r, B, c >= 2, 0);
        assert_int_equal(r.rounds, c >= 2 ? 2 : 1);
        assert_int_equal(applied(&r, A, 2), c < 2 ? c : 2);
        assert_int_equal(applied(&r, B, 7), c >= 2 ? 0 : 7);
        proto_roster_release(&r);
    }

    /* With A's seq 2 outside its unique prefix (say, forked), the revocation of B waits. */
    {
        struct world w;
        struct proto_roster r;

        world_init(&w);
        feed(&w, G, 4);
        feed(&w, A, 1);
        admit(&w, 0x10, G, 2, A, PROTO_ROLE_PENGURUS);
        admit(&w, 0x11, G, 3, B, PROTO_ROLE_KASIR);
        revoke(&w, 0x20, A, 2, B, 0);
        compute(&w, &r);
        assert_standing(&r, A, false, 0);
        assert_standing(&r, B, false, 0);
        proto_roster_release(&r);
    }
}

/*
 * A admits D; G revokes A with cut-off 0, which voids the admission; a later admission of D by
 * G (a higher id) lets it in again, now admitted by that entry.
 */
static void test_voided_and_readmitted(void **state)
{
    struct world w;
    struct proto_roster r;

    (void)state;
    world_init(&w);
    feed(&w, G, 4);
    feed(&w, A, 1);
    admit(&w, 0x10, G, 2, A, PROTO_ROLE_PENGURUS);
    admit(&w, 0x11, A, 1, D, PROTO_ROLE_KASIR);
    revoke(&w, 0x12, G, 3, A, 0);
    compute(&w, &r);
    assert_standing(&r, A, true, 0);
    assert_null(dev_of(&r, D));
    assert_true(r.settled);
    proto_roster_release(&r);

    admit(&w, 0x40, G, 4, D, PROTO_ROLE_KASIR);
    compute(&w, &r);
    assert_standing(&r, D, false, 0);
    assert_admitted_by(&r, D, 0x40);
    proto_roster_release(&r);
}

static void test_round_rules(void **state)
{
    struct world w;
    struct proto_roster r;

    (void)state;
    world_init(&w);
    feed(&w, G, 9);
    feed(&w, G2, 2);
    feed(&w, P, 2);
    /* A revocation with a lower id than the admission it revokes still applies to it. */
    revoke(&w, 0x01, G, 2, D, 3);
    admit(&w, 0x02, G, 3, D, PROTO_ROLE_KASIR);
    /* Of two cut-offs the lower stands, whether it comes first or last in id order. */
    admit(&w, 0x03, G, 4, E, PROTO_ROLE_KASIR);
    revoke(&w, 0x04, P, 1, E, 2); /* the pengawas may revoke */
    revoke(&w, 0x05, G, 5, E, 5);
    admit(&w, 0x0c, G, 7, B, PROTO_ROLE_KASIR);
    revoke(&w, 0x0d, G, 8, B, 4);
    revoke(&w, 0x0e, P, 2, B, 1);
    /* Two admissions of one device: the lower id stands. */
    admit(&w, 0x06, G2, 1, F, PROTO_ROLE_KASIR);
    admit(&w, 0x07, G, 6, F, PROTO_ROLE_ANGGOTA);
    /* No effect: a pengawas may not admit; beyond the author's unique prefix; unknown author;
     * not a governance kind. */
    admit(&w, 0x08, P, 2, H, PROTO_ROLE_KASIR);
    admit(&w, 0x09, G, 10, H, PROTO_ROLE_KASIR);
    admit(&w, 0x0a, X, 1, H, PROTO_ROLE_KASIR);
    device(&gov_add(&w, 0x0b, G, 7, PROTO_KIND_JOURNAL)->admit, H, PROTO_ROLE_KASIR);
    feed(&w, X, 5);
    compute(&w, &r);
    assert_true(r.settled);
    assert_int_equal(r.rounds, 1);
    assert_int_equal(r.n, 7);
    assert_standing(&r, D, true, 3);
    assert_admitted_by(&r, D, 0x02);
    assert_standing(&r, E, true, 2);
    assert_standing(&r, B, true, 1);
    assert_standing(&r, F, false, 0);
    assert_admitted_by(&r, F, 0x06);
    assert_int_equal(dev_of(&r, F)->dev.role, PROTO_ROLE_KASIR);
    assert_null(dev_of(&r, H));
    /* The genesis roster first, then admissions in id order. */
    assert_memory_equal(r.d[3].dev.sign_pk, dev_of(&r, D)->dev.sign_pk, 32);
    assert_memory_equal(r.d[4].dev.sign_pk, dev_of(&r, E)->dev.sign_pk, 32);
    assert_memory_equal(r.d[5].dev.sign_pk, dev_of(&r, F)->dev.sign_pk, 32);
    assert_memory_equal(r.d[6].dev.sign_pk, dev_of(&r, B)->dev.sign_pk, 32);
    proto_roster_release(&r);
}

/*
 * A and B revoke each other from their first entries: in one round both stand and both
 * revocations count, in the next both are cut at 0 and neither counts, and so on. The cycle
 * stops at the round limit (an even round: both revoked), the same whichever has the lower id.
 */
static void test_mutual_revocation(void **state)
{
    struct proto_roster r[3];

    (void)state;
    for (int t = 0; t < 3; t++) {
        struct world w;

        world_init(&w);
        feed(&w, G, 3);
        feed(&w, A, 1);
        feed(&w, B, 1);
        admit(&w, 0x10, G, 2, A, PROTO_ROLE_PENGURUS);
        admit(&w, 0x11, G, 3, B, PROTO_ROLE_PENGURUS);
        revoke(&w, t == 2 ? 0x21 : 0x20, A, 1, B, 0);
        revoke(&w, t == 2 ? 0x20 : 0x21, B, 1, A, 0);
        compute(&w, &r[t]);
        assert_false(r[t].settled);
        assert_int_equal(r[t].rounds, PROTO_ROSTER_ROUNDS_MAX);
        assert_standing(&r[t], G, false, 0);
        assert_standing(&r[t], A, true, 0);
        assert_standing(&r[t], B, true, 0);
    }
    assert_roster_equal(&r[0], &r[1]);
    assert_roster_equal(&r[0], &r[2]);
    for (int t = 0; t < 3; t++)
        proto_roster_release(&r[t]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_genesis_only),
        cmocka_unit_test(test_admission_chain),
        cmocka_unit_test(test_revocation_by_revoked_admitter),
        cmocka_unit_test(test_voided_and_readmitted),
        cmocka_unit_test(test_round_rules),
        cmocka_unit_test(test_mutual_revocation),
    };

    return cmocka_run_group_tests_name("proto_roster", tests, NULL, NULL);
}
