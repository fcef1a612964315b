/*
 * `saksi head` prints where this replica stands: the ledger id, the ledger head (the Merkle
 * root over the applied frontier, the value two replicas compare to know they hold the same
 * books), the frontier size in feeds, the applied and stored entry counts, the pending area and
 * the fork records. It only reads the store, so it works while saksid runs.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "proto/err.h"

static void usage(FILE *f)
{
    fputs("usage: saksi head [--json]\n"
          "\n"
          "Menampilkan kepala buku besar. / Shows the ledger id, the ledger head (compare it with\n"
          "other replicas: the same head means the same applied entries), the frontier size\n"
          "(feeds), applied and stored entries, pending entries and forks.\n"
          "\n"
          "options:\n"
          "  --json       print {\"ledger_id\", \"head\", \"feeds\", \"applied\", \"entries\",\n"
          "               \"pending\", \"forks\"}\n"
          "  -h, --help   show this help\n"
          "\n"
          "exit codes: 0 ok; 2 usage error; 3 runtime error (no ledger, I/O, store)\n",
          f);
}

static int print_json(const uint8_t ledger[32], const struct store_head *h)
{
    json_t *o = json_object();

    if (!o || json_object_set_new(o, "ledger_id", cli_json_hex(ledger, 32)) < 0 ||
        json_object_set_new(o, "head", cli_json_hex(h->head, 32)) < 0 ||
        json_object_set_new(o, "feeds", cli_json_u64(h->feeds)) < 0 ||
        json_object_set_new(o, "applied", cli_json_u64(h->applied)) < 0 ||
        json_object_set_new(o, "entries", cli_json_u64(h->entries)) < 0 ||
        json_object_set_new(o, "pending", cli_json_u64(h->pending)) < 0 ||
        json_object_set_new(o, "forks", cli_json_u64(h->forks)) < 0) {
        json_decref(o);
        cli_err("out of memory");
        return CLI_RUNTIME;
    }
    return cli_json_out(o);
}

static int print_text(const uint8_t ledger[32], const struct store_head *h)
{
    char lhex[65], hhex[65];

    proto_hex(ledger, 32, lhex);
    proto_hex(h->head, 32, hhex);
    printf("ID ledger / ledger id:          %s\n"
           "Kepala / head:                  %s\n"
           "Feed (frontier):                %llu\n"
           "Entri berlaku / applied:        %llu\n"
           "Entri tersimpan / stored:       %llu\n"
           "Tertunda / pending:             %llu\n"
           "Fork:                           %llu\n",
           lhex, hhex, (unsigned long long)h->feeds, (unsigned long long)h->applied,
           (unsigned long long)h->entries, (unsigned long long)h->pending,
           (unsigned long long)h->forks);
    if (h->forks)
        printf("Peringatan / warning: %llu fork(s) recorded; see 'saksi audit'.\n",
               (unsigned long long)h->forks);
    return cli_stdout_done();
}

int cmd_head(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    struct store_head h;
    uint8_t ledger[32];
    bool json = ctx->json;
    int c, rc, ret = CLI_RUNTIME;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_stdout_done();
        case 'j':
            json = true;
            break;
        default:
            return cli_usage("head", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("head", "unexpected argument '%s'", argv[optind]);

    rc = cli_store_open_ro(ctx, &st);
    if (rc == 0)
        rc = store_ledger_id(st, ledger);
    if (rc < 0) {
        ret = cli_open_error(ctx, rc); /* a reader: never ERR_LOCKED */
        goto out;
    }
    rc = store_head_get(st, &h);
    if (rc < 0) {
        cli_err("cannot read the ledger head: %s", err_str(rc));
        goto out;
    }
    ret = json ? print_json(ledger, &h) : print_text(ledger, &h);
out:
    cli_store_close(ctx, st);
    return ret;
}
