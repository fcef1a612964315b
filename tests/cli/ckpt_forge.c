/*
 * A test helper for tests/cli/test_checkpoint.sh: writes, as the device of DATA_DIR/key, a
 * kind-80 checkpoint whose frontier rows are the store's but whose head line is altered (one bit
 * flipped), properly signed, so that the test can check that `saksi checkpoint sign` refuses a
 * checkpoint whose head differs from the one its store computes over the same frontier.
 * Test ledgers only: `saksi checkpoint create` never writes such an entry.
 *
 *   saksi-ckpt-forge DATA_DIR      prints the new entry's id
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "proto/checkpoint.h"
#include "proto/err.h"

struct fr {
    struct proto_ckpt_entry *e;
    struct proto_ckpt_feed f[PROTO_CLOSE_ROWS_MAX];
    size_t n;
    struct store *st;
};

static int feed_cb(const struct store_feed *f, void *arg)
{
    struct fr *r = arg;

    if (f->length == 0)
        return 0;
    if (r->n == PROTO_CLOSE_ROWS_MAX)
        return ERR_TOOBIG;
    memcpy(r->f[r->n].author, f->author, 32);
    r->f[r->n].length = f->length;
    memcpy(r->f[r->n].root, f->root, 32);
    if (store_books_id_at(r->st, f->author, f->length, r->f[r->n].last) != 0)
        return ERR_STORE;
    r->n++;
    return 0;
}

static int cmp_feed(const void *a, const void *b)
{
    return memcmp(a, b, 32); /* author first */
}

int main(int argc, char **argv)
{
    static struct fr r;
    struct cli_ctx ctx;
    struct store *st = NULL;
    struct proto_keys *k = NULL;
    struct proto_buf text, body;
    char name[PROTO_CKPT_KEY_NAME_LEN + 1], hex[65];
    uint8_t ledger[32], id[32];
    int rc;

    if (argc != 2 || proto_crypto_init() < 0)
        return 2;
    memset(&ctx, 0, sizeof ctx);
    ctx.lock_fd = -1;
    ctx.restore_override = true;
    snprintf(ctx.data_dir, sizeof ctx.data_dir, "%s", argv[1]);
    proto_buf_init(&text);
    proto_buf_init(&body);
    r.e = calloc(1, sizeof *r.e);
    if (!r.e || cli_store_open_rw(&ctx, &st) < 0 || cli_keys_load(&ctx, &k) < 0)
        return 3;
    r.st = st;
    if ((rc = store_each_feed(st, feed_cb, &r)) < 0 || (rc = store_ledger_id(st, ledger)) < 0)
        goto fail;
    qsort(r.f, r.n, sizeof r.f[0], cmp_feed);
    if ((rc = proto_checkpoint_compute(ledger, r.f, r.n, &r.e->c)) < 0)
        goto fail;
    r.e->c.head[0] ^= 1; /* the forgery */
    if ((rc = proto_checkpoint_format(&r.e->c, &text)) < 0 ||
        (rc = proto_sign(k, "", 0, text.data, text.len, r.e->sig)) < 0)
        goto fail;
    memcpy(r.e->text, text.data, text.len);
    r.e->text_len = text.len;
    for (size_t i = 0; i < r.n; i++) {
        memcpy(r.e->rows[i].author, r.f[i].author, 32);
        r.e->rows[i].length = r.f[i].length;
    }
    r.e->nrows = (uint32_t)r.n;
    proto_checkpoint_key_name(k->sign_pk, name);
    if ((rc = proto_ckpt_entry_encode(r.e, &body)) < 0 ||
        (rc = cli_author(&ctx, st, k, PROTO_KIND_CHECKPOINT, &body, id)) < 0)
        goto fail;
    puts(cli_hex(id, 32, hex));
    rc = 0;
fail:
    if (rc < 0)
        fprintf(stderr, "saksi-ckpt-forge: %s\n", err_str(rc));
    cli_store_close(&ctx, st);
    proto_keys_free(k);
    proto_buf_release(&text);
    proto_buf_release(&body);
    free(r.e);
    return rc < 0 ? 3 : 0;
}
