/*
 * saksi export [FILE]: every stored entry (fork evidence included, pending entries not) as an
 * export stream, the genesis author's feed first so that the stream imports in one pass.
 * Written atomically when FILE is given, else to standard output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/import.h"
#include "proto/err.h"

struct export_ctx {
    FILE *f;
    uint64_t n;
};

static int put_row(const struct store_row *row, void *arg)
{
    struct export_ctx *x = arg;
    uint8_t hdr[4] = {(uint8_t)(row->len >> 24), (uint8_t)(row->len >> 16),
                      (uint8_t)(row->len >> 8), (uint8_t)row->len};

    if (fwrite(hdr, 1, 4, x->f) != 4 || fwrite(row->raw, 1, row->len, x->f) != row->len)
        return -EIO;
    x->n++;
    return 0;
}

int cmd_export(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct export_ctx x = {NULL, 0};
    struct store *st = NULL;
    const char *file = NULL;
    char tmp[4300];
    bool json = ctx->json;
    int c, rc, ex = CLI_RUNTIME;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hj", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            puts("usage: saksi export [FILE] [--json]\n"
                 "\n"
                 "Writes every stored entry, fork evidence included, to FILE (atomically) or to\n"
                 "standard output, as an export stream that 'saksi import' reads on another\n"
                 "device. --json prints a summary (file, entries) instead of a text line.\n"
                 "\n"
                 "Exit codes: 0 ok, 2 usage, 3 runtime (no ledger, I/O).");
            return cli_stdout_done();
        case 'j':
            json = true;
            break;
        default:
            return cli_opt_error("export", c, argv);
        }
    }
    if (argc - optind > 1)
        return cli_usage("export", "too many arguments");
    if (optind < argc && strcmp(argv[optind], "-") != 0)
        file = argv[optind];
    if (!file && isatty(STDOUT_FILENO)) {
        cli_err("refusing to write binary data to a terminal: give a FILE");
        return CLI_USAGE;
    }
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0) {
        cli_err("cannot open the ledger in '%s': %s", ctx->data_dir, err_str(rc));
        return CLI_RUNTIME;
    }
    if (file) {
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", file, (long)getpid());
        x.f = fopen(tmp, "wbx");
        if (!x.f) {
            cli_err("cannot create '%s': %s", tmp, strerror(errno));
            goto out;
        }
    } else {
        x.f = stdout;
    }
    if (fwrite(IMPORT_MAGIC, 1, IMPORT_MAGIC_LEN, x.f) != IMPORT_MAGIC_LEN) {
        rc = -EIO;
    } else {
        rc = store_each_entry(st, NULL, put_row, &x);
    }
    if (rc == 0 && (fflush(x.f) != 0 || ferror(x.f) || (file && fsync(fileno(x.f)) < 0)))
        rc = -EIO;
    if (file) {
        if (fclose(x.f) != 0 && rc == 0)
            rc = -EIO;
        if (rc == 0 && rename(tmp, file) < 0)
            rc = -errno;
        if (rc < 0)
            (void)unlink(tmp);
    }
    if (rc < 0) {
        cli_err("export failed: %s", err_str(rc));
        goto out;
    }
    if (!file) {
        ex = CLI_OK;
        goto out;
    }
    if (json) {
        json_t *o = json_object();

        json_object_set_new(o, "file", json_string(file));
        json_object_set_new(o, "entries", json_integer((json_int_t)x.n));
        ex = cli_json_out(o);
    } else {
        printf("%llu entri diekspor ke %s (%llu entries exported)\n", (unsigned long long)x.n, file,
               (unsigned long long)x.n);
        ex = cli_stdout_done();
    }
out:
    store_close(st);
    return ex;
}
