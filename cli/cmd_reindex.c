/*
 * saksi reindex: rebuilds every piece of derived state (feed heads, roster, postings,
 * balances, ledger head) from the raw entries, in one write transaction.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "proto/err.h"

int cmd_reindex(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    int c, rc;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            puts("usage: saksi reindex\n"
                 "\n"
                 "Rebuilds the derived state (feed heads, roster, postings, balances, ledger\n"
                 "head) from the stored raw entries. Safe at any time; needs the write lock.\n"
                 "\n"
                 "Exit codes: 0 ok, 2 usage, 3 runtime (no ledger, lock, I/O).");
            return cli_stdout_done();
        }
        return cli_opt_error("reindex", c, argv);
    }
    if (optind != argc)
        return cli_usage("reindex", "unexpected argument '%s'", argv[optind]);
    rc = cli_store_open_rw(ctx, &st);
    if (rc == 0 && ctx->via_node) {
        cli_store_close(ctx, st);
        cli_err("saksid runs for '%s' and is its only writer: stop it ('saksi node stop'), "
                "reindex, then start it again",
                ctx->data_dir);
        return CLI_RUNTIME;
    }
    if (rc == 0)
        rc = store_reindex(st);
    cli_store_close(ctx, st);
    if (rc < 0) {
        cli_err("reindex failed: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    puts("Indeks dibangun ulang (derived state rebuilt)");
    return cli_stdout_done();
}
