/*
 * A small koperasi for the books' unit tests (test_books.c, test_report.c): seven devices with
 * fixed keys (KETUA .. SEKRETARIS), a history of entries built in memory with ids that depend
 * only on (device, seq, body), and the standard chart. Entries are not signed: the books take
 * applied entries as given, as the store hands them over.
 */
#ifndef SAKSI_TESTS_HIST_H
#define SAKSI_TESTS_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "proto/acct.h"
#include "proto/buf.h"
#include "proto/ledger.h"
#include "proto/params.h"

enum dev_ix { KETUA, BENDAHARA, PENGAWAS, KASIR, HP7, HP8, SEKRETARIS, NDEV };

struct test_dev {
    uint32_t member;
    uint8_t role, office;
};
extern const struct test_dev devs[NDEV];

#define MAX_ENTRIES 4096

struct entry {
    uint8_t id[32];
    int dev;
    uint64_t seq;
    uint32_t kind;
    struct proto_buf body;
};

struct hist {
    struct entry e[MAX_ENTRIES];
    size_t n;
    uint64_t seq[NDEV];
    struct proto_genesis g;
    struct proto_account chart[128];
    struct proto_device roster[NDEV];
    uint8_t ledger[32];
};

/* Device d's public key (fixed; the order of devices is the order of their keys). */
void dev_pk(int d, uint8_t pk[32]);
/* A new history: the genesis (standard chart, the seven devices, default policy) only. */
struct hist *hist_new(void);
void hist_free(struct hist *h);
/* Appends device d's next entry (body taken over); returns its index. */
size_t add_raw(struct hist *h, int d, uint32_t kind, struct proto_buf *body);
size_t add(struct hist *h, int d, const struct proto_acct_body *b);
size_t add_params(struct hist *h, int d, const struct proto_params *p);
/* A zeroed body of kind (calloc; the caller frees it). */
struct proto_acct_body *body_new(uint32_t kind);

#endif
