/*
 * Fuzz target for proto/close: the first input byte picks one of the five kinds (34, 35, 36, 72,
 * 73, by its value modulo 5; the next bit, for 73, whether the payment goes to a sub-ledger), the
 * rest is decoded as that kind's body. Decoding fails only with ERR_BODY (or -ENOMEM) and leaves
 * its output zeroed; whatever decodes passes its check, encodes back to exactly the input, and
 * (35, 72, 73) posts well-formed lines (accounts 1000..9999, exactly one side non-zero) that
 * balance, the same count with no room, and only the body's members on them. The frontier rows
 * of a close or a frontier-part always have a frontier digest.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/close.h"
#include "proto/err.h"
#include "proto/ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NKINDS     5
#define LINES_ROOM (1 + PROTO_SHU_PARTS_MAX + PROTO_SHU_ROWS_MAX)

static union {
    struct proto_resolution res;
    struct proto_close close;
    struct proto_frontier_part fp;
    struct proto_shu_allocate alloc;
    struct proto_shu_pay pay;
} g_body;
static struct proto_line g_lines[LINES_ROOM];
static uint8_t g_ids[PROTO_CLOSE_PART_ROWS_MAX][32];

static bool zeroed(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* n >= 0 lines, well-formed and balanced; members only those allowed. */
static void check_lines(int n, int again, const struct proto_shu_allocate *a, uint32_t member)
{
    uint64_t dr = 0, cr = 0;

    if (n < 0 || n > LINES_ROOM || again != n)
        abort();
    for (int i = 0; i < n; i++) {
        const struct proto_line *l = &g_lines[i];

        if (l->account < 1000 || l->account > 9999 || (l->debit == 0) == (l->credit == 0))
            abort();
        if (a && l->member != 0) {
            bool found = false;

            for (uint32_t k = 0; k < a->nrows; k++)
                found = found || a->rows[k].member == l->member;
            if (!found || l->account != a->payable_account)
                abort();
        } else if (!a && l->member != 0 && l->member != member) {
            abort();
        }
        dr += l->debit;
        cr += l->credit;
    }
    if (dr != cr)
        abort();
}

static void check_digest(const struct proto_frontier_row *rows, uint32_t n)
{
    uint8_t out[32];

    if (proto_frontier_digest(rows, (const uint8_t(*)[32])g_ids, n, out) != 0)
        abort();
}

static int encode(unsigned k, struct proto_buf *e)
{
    switch (k) {
    case 0:
        return proto_resolution_encode(&g_body.res, e);
    case 1:
        return proto_close_encode(&g_body.close, e);
    case 2:
        return proto_frontier_part_encode(&g_body.fp, e);
    case 3:
        return proto_shu_allocate_encode(&g_body.alloc, e);
    default:
        return proto_shu_pay_encode(&g_body.pay, e);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_buf e;
    unsigned k;
    bool to_sub;
    size_t bsize;
    int rc, n;

    if (size < 1)
        return 0;
    k = data[0] % NKINDS;
    to_sub = (data[0] / NKINDS) & 1;
    data++;
    size--;
    memset(&g_body, 0xee, sizeof g_body);
    switch (k) {
    case 0:
        rc = proto_resolution_decode(data, size, &g_body.res);
        bsize = sizeof g_body.res;
        break;
    case 1:
        rc = proto_close_decode(data, size, &g_body.close);
        bsize = sizeof g_body.close;
        break;
    case 2:
        rc = proto_frontier_part_decode(data, size, &g_body.fp);
        bsize = sizeof g_body.fp;
        break;
    case 3:
        rc = proto_shu_allocate_decode(data, size, &g_body.alloc);
        bsize = sizeof g_body.alloc;
        break;
    default:
        rc = proto_shu_pay_decode(data, size, &g_body.pay);
        bsize = sizeof g_body.pay;
        break;
    }
    if (rc < 0) {
        if ((rc != ERR_BODY && rc != -ENOMEM) || !zeroed(&g_body, bsize))
            abort();
        return 0;
    }
    if (rc != 0)
        abort();
    switch (k) {
    case 0:
        rc = proto_resolution_check(&g_body.res);
        break;
    case 1:
        rc = proto_close_check(&g_body.close);
        break;
    case 2:
        rc = proto_frontier_part_check(&g_body.fp);
        break;
    case 3:
        rc = proto_shu_allocate_check(&g_body.alloc);
        break;
    default:
        rc = proto_shu_pay_check(&g_body.pay);
        break;
    }
    if (rc != 0)
        abort();
    proto_buf_init(&e);
    rc = encode(k, &e);
    if (rc == -ENOMEM) {
        proto_buf_release(&e);
        return 0;
    }
    if (rc != 0 || e.len != size || memcmp(e.data, data, size) != 0)
        abort();
    proto_buf_release(&e);
    switch (k) {
    case 1:
        n = proto_close_postings(&g_body.close, g_lines, LINES_ROOM);
        check_lines(n, proto_close_postings(&g_body.close, NULL, 0), NULL, 0);
        check_digest(g_body.close.rows, g_body.close.nrows);
        break;
    case 2:
        check_digest(g_body.fp.rows, g_body.fp.nrows);
        break;
    case 3:
        n = proto_shu_allocate_postings(&g_body.alloc, g_lines, LINES_ROOM);
        check_lines(n, proto_shu_allocate_postings(&g_body.alloc, NULL, 0), &g_body.alloc, 0);
        if (n < 1 || g_lines[0].debit != proto_shu_allocate_total(&g_body.alloc))
            abort();
        break;
    case 4:
        n = proto_shu_pay_postings(&g_body.pay, to_sub, g_lines, LINES_ROOM);
        check_lines(n, proto_shu_pay_postings(&g_body.pay, to_sub, NULL, 0), NULL,
                    g_body.pay.member);
        if (n != 2 || (g_lines[1].member != 0) != to_sub)
            abort();
        break;
    default:
        break;
    }
    return 0;
}
