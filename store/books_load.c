/*
 * Loads the books (proto/books.h) from the store: a read-only walk over the roster and the
 * applied entries. Derivation itself lives in proto/books.c, so that the audit, tests and this
 * loader all run the same function of the set.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "proto/books.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/yearend.h"
#include "store/store.h"

static int device_cb(const struct store_device *d, void *arg)
{
    return books_device(arg, &d->dev);
}

static int entry_cb(const struct store_row *row, void *arg)
{
    struct proto_entry e;
    int rc;

    if (!row->applied)
        return 0; /* outside its feed's applied frontier: no effect (FORMATS 4.8) */
    rc = proto_entry_peek(row->raw, row->len, &e); /* verified on the way in: no id needed */
    if (rc < 0)
        return ERR_STORE;
    if (e.kind == PROTO_KIND_GENESIS)
        return 0;
    return books_entry(arg, row->id, row->author, row->seq, e.kind, e.body, e.body_len);
}

struct id_at {
    uint8_t *id;
    bool found;
};

static int id_at_cb(const struct store_row *row, void *arg)
{
    struct id_at *q = arg;

    if (!row->applied)
        return 0; /* a fork branch outside the applied frontier */
    memcpy(q->id, row->id, 32);
    q->found = true;
    return 1;
}

int store_books_id_at(void *ctx, const uint8_t author[32], uint64_t seq, uint8_t id[32])
{
    struct id_at q = {id, false};
    int rc = store_feed_range(ctx, author, seq, seq, id_at_cb, &q);

    if (rc < 0)
        return rc;
    return q.found ? 0 : 1;
}

int store_books_origin(struct store *st, struct proto_genesis **g, uint8_t ledger[32],
                       uint8_t gauthor[32])
{
    struct proto_buf raw;
    struct proto_entry ge;
    int rc;

    *g = NULL;
    rc = store_ledger_id(st, ledger);
    if (rc < 0)
        return rc;
    rc = store_genesis(st, g);
    if (rc < 0)
        return rc;
    proto_buf_init(&raw);
    rc = store_entry_get(st, ledger, &raw);
    if (rc == 0)
        rc = proto_entry_peek(raw.data, raw.len, &ge) < 0 ? ERR_STORE : 0;
    if (rc == 0)
        memcpy(gauthor, ge.author, 32);
    proto_buf_release(&raw);
    if (rc < 0) {
        proto_genesis_free(*g);
        *g = NULL;
    }
    return rc;
}

int store_books_load(struct store *st, struct books **out)
{
    struct proto_genesis *g = NULL;
    struct books *bk = NULL;
    uint8_t ledger[32], gauthor[32];
    int rc;

    *out = NULL;
    rc = store_books_origin(st, &g, ledger, gauthor);
    if (rc < 0)
        return rc;
    rc = books_new(g, ledger, gauthor, &bk);
    if (rc < 0)
        goto out;
    books_set_id_at(bk, store_books_id_at, st);
    rc = store_each_device(st, device_cb, bk);
    if (rc == 0)
        rc = store_each_entry_by_id(st, entry_cb, bk); /* id order: the books need no sort */
    if (rc == 0) {
        *out = bk;
        bk = NULL;
    }
out:
    books_free(bk);
    proto_genesis_free(g);
    return rc;
}

int store_books(struct store *st, struct books **out)
{
    int rc = store_books_load(st, out);

    if (rc == 0 && ((rc = books_derive(*out)) < 0 || (rc = yearend_check(*out)) < 0)) {
        books_free(*out);
        *out = NULL;
    }
    return rc;
}
