/*
 * A small koperasi for the books' unit tests: see hist.h.
 */
#include "tests/unit/hist.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/chart.h"
#include "proto/crypto.h"

const struct test_dev devs[NDEV] = {
    [KETUA] = {1, PROTO_ROLE_PENGURUS, PROTO_OFFICE_KETUA},
    [BENDAHARA] = {2, PROTO_ROLE_PENGURUS, PROTO_OFFICE_BENDAHARA},
    [PENGAWAS] = {3, PROTO_ROLE_PENGAWAS, PROTO_OFFICE_NONE},
    [KASIR] = {4, PROTO_ROLE_KASIR, PROTO_OFFICE_NONE},
    [HP7] = {7, PROTO_ROLE_ANGGOTA, PROTO_OFFICE_NONE},
    [HP8] = {8, PROTO_ROLE_ANGGOTA, PROTO_OFFICE_NONE},
    [SEKRETARIS] = {5, PROTO_ROLE_PENGURUS, PROTO_OFFICE_SEKRETARIS},
};

void dev_pk(int d, uint8_t pk[32])
{
    memset(pk, 0, 32);
    pk[0] = 0xd0;
    pk[31] = (uint8_t)(d + 1);
}

struct hist *hist_new(void)
{
    struct hist *h = calloc(1, sizeof *h);

    assert_non_null(h);
    strcpy(h->g.name, "Koperasi Uji");
    strcpy(h->g.currency, "IDR");
    h->g.naccounts = (uint32_t)proto_chart_standard_n();
    assert_true(h->g.naccounts <= 128);
    for (size_t i = 0; i < h->g.naccounts; i++)
        proto_chart_standard(i, &h->chart[i]);
    h->g.accounts = h->chart;
    for (int d = 0; d < NDEV; d++) {
        h->roster[d].member = devs[d].member;
        h->roster[d].role = devs[d].role;
        h->roster[d].office = devs[d].office;
        dev_pk(d, h->roster[d].sign_pk);
    }
    h->g.roster = h->roster;
    h->g.nroster = NDEV;
    proto_policy_default(&h->g.policy);
    memset(h->ledger, 0x1e, 32);
    h->seq[KETUA] = 1; /* seq 1 is the genesis */
    return h;
}

void hist_free(struct hist *h)
{
    for (size_t i = 0; i < h->n; i++)
        proto_buf_release(&h->e[i].body);
    free(h);
}

/* Appends an entry by device d with the given body; returns its index. */
size_t add_raw(struct hist *h, int d, uint32_t kind, struct proto_buf *body)
{
    struct entry *e = &h->e[h->n];
    struct proto_sha256 s;
    uint8_t pk[32];

    assert_true(h->n < MAX_ENTRIES);
    e->dev = d;
    e->seq = ++h->seq[d];
    e->kind = kind;
    e->body = *body;
    dev_pk(d, pk);
    proto_sha256_init(&s);
    proto_sha256_update(&s, pk, 32);
    proto_sha256_update(&s, &e->seq, sizeof e->seq);
    proto_sha256_update(&s, body->data, body->len);
    proto_sha256_final(&s, e->id);
    return h->n++;
}

size_t add(struct hist *h, int d, const struct proto_acct_body *b)
{
    struct proto_buf body;

    proto_buf_init(&body);
    assert_int_equal(proto_acct_encode(b, &body), 0);
    return add_raw(h, d, b->kind, &body);
}

size_t add_params(struct hist *h, int d, const struct proto_params *p)
{
    struct proto_buf body;

    proto_buf_init(&body);
    assert_int_equal(proto_params_encode(p, &body), 0);
    return add_raw(h, d, PROTO_KIND_PARAMS, &body);
}

struct proto_acct_body *body_new(uint32_t kind)
{
    struct proto_acct_body *b = calloc(1, sizeof *b);

    assert_non_null(b);
    b->kind = kind;
    return b;
}
