/*
 * saksi, the command-line tool: global options, the data directory, and dispatch to one
 * command per file (cmd_<name>.c). Exit codes: 0 ok, 1 negative answer, 2 usage, 3 runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/i18n.h"
#include "proto/crypto.h"
#include "proto/err.h"

struct command {
    const char *name;
    cli_cmd_fn *fn;
    const char *help;
};

static const struct command commands[] = {
    {"key", cmd_key, "create or show this device's keys"},
    {"node", cmd_node, "start, stop or ask this device's saksid"},
    {"init", cmd_init, "found a ledger from a koperasi description file"},
    {"member", cmd_member, "member devices (add, revoke, list); members (admit, exit, settle)"},
    {"invite", cmd_invite, "invite a new device (pengurus): prints an invite code"},
    {"join", cmd_join, "join the koperasi's network with an invite code"},
    {"journal", cmd_journal, "post a journal entry"},
    {"deposit", cmd_deposit, "record a member's savings deposit"},
    {"withdraw", cmd_withdraw, "record a withdrawal from a member's savings"},
    {"interest", cmd_interest, "monthly savings interest: show it, post it"},
    {"close", cmd_close, "close a financial year: SHU, closing entries, report digests"},
    {"rat", cmd_rat, "record a members' meeting's resolution on a close"},
    {"shu", cmd_shu, "allocate the SHU of a closed year; pay it to members"},
    {"approve", cmd_approve, "approve, reject or countersign a waiting entry"},
    {"reverse", cmd_reverse, "correct a mistaken entry: reverse it, or cancel an application"},
    {"loan", cmd_loan,
     "loans: apply, approve, disburse, repay, late fee, schedule, write-off, list"},
    {"provision", cmd_provision, "book the loan loss allowance (PPAP) to what loans require"},
    {"pending", cmd_pending, "list the entries waiting for approval or countersignature"},
    {"statement", cmd_statement, "a member's savings and loans statement"},
    {"report", cmd_report, "balance sheet, loan portfolio, pending and findings reports"},
    {"params", cmd_params, "show the koperasi's parameters; print a template"},
    {"log", cmd_log, "list entries"},
    {"show", cmd_show, "show one entry"},
    {"head", cmd_head, "show the ledger head, frontier size and entry count"},
    {"checkpoint", cmd_checkpoint, "create, cosign, show or list checkpoints of the ledger"},
    {"prove", cmd_prove, "write a proof bundle of one entry (against a final checkpoint)"},
    {"verify-proof", cmd_verify_proof, "check a proof bundle offline (no data directory)"},
    {"export", cmd_export, "write every entry to a file (replication by file)"},
    {"import", cmd_import, "verify and store entries from a file"},
    {"audit", cmd_audit, "re-verify everything from the raw entries"},
    {"reindex", cmd_reindex, "rebuild derived state from the raw entries"},
};

static void usage(FILE *f)
{
    fputs("usage: saksi [--data DIR] [--json] [--passphrase-file FILE]\n"
          "             [--i-am-sure-this-is-the-only-copy] COMMAND [ARGS]\n"
          "\n"
          "saksi keeps a koperasi's books as a signed, replicated ledger that every member\n"
          "can audit from their own device.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].help);
    fputs("\n"
          "Global options:\n"
          "  --data DIR              data directory (default $SAKSI_DATA, else ~/.saksi)\n"
          "  --json                  machine-readable output (also accepted after COMMAND)\n"
          "  --passphrase-file FILE  passphrase for a sealed key file\n"
          "  --i-am-sure-this-is-the-only-copy\n"
          "                          author even though this data directory was copied or\n"
          "                          restored (its install marker names another install),\n"
          "                          for this command; the marker is then re-armed. Only when\n"
          "                          no other copy of this device will ever author again: the\n"
          "                          safe way is to start the node and let it learn this\n"
          "                          device's latest entries from its peers. Accepted anywhere\n"
          "                          on the command line (before a '--').\n"
          "  -h, --help              this help; 'saksi COMMAND --help' for a command\n"
          "  --version               print the version\n"
          "\n"
          "Exit codes: 0 ok, 1 negative answer (findings, not found, failed check),\n"
          "            2 usage error, 3 runtime error (I/O, store, lock).\n",
          f);
}

static int data_dir_default(struct cli_ctx *ctx)
{
    const char *env = getenv("SAKSI_DATA"), *home = getenv("HOME");
    int n;

    if (env && *env)
        n = snprintf(ctx->data_dir, sizeof ctx->data_dir, "%s", env);
    else if (home && *home)
        n = snprintf(ctx->data_dir, sizeof ctx->data_dir, "%s/.saksi", home);
    else
        return -1;
    return n > 0 && (size_t)n < sizeof ctx->data_dir ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct cli_ctx ctx;
    const char *data = NULL;
    int i;

    memset(&ctx, 0, sizeof ctx);
    ctx.lock_fd = -1;
    /* The restore-safety override is taken wherever it stands (the refusal's advice names it
     * without knowing where the user will put it), and removed before the command parses. */
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0;) {
        if (strcmp(argv[i], "--i-am-sure-this-is-the-only-copy") == 0) {
            ctx.restore_override = true;
            memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv); /* with NULL */
            argc--;
        } else {
            i++;
        }
    }
    /* Global options stop at the first non-option word, the command. */
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return cli_stdout_done();
        } else if (strcmp(a, "--version") == 0) {
            puts("saksi " CLI_VERSION " (entry format 1, store schema 1)");
            return cli_stdout_done();
        } else if (strcmp(a, "--json") == 0) {
            ctx.json = true;
        } else if (strcmp(a, "--data") == 0 || strcmp(a, "--passphrase-file") == 0) {
            if (i + 1 >= argc) {
                cli_err("option '%s' needs a value", a);
                return CLI_USAGE;
            }
            if (a[2] == 'd')
                data = argv[++i];
            else
                ctx.passphrase_file = argv[++i];
        } else if (strncmp(a, "--data=", 7) == 0) {
            data = a + 7;
        } else if (strncmp(a, "--passphrase-file=", 18) == 0) {
            ctx.passphrase_file = a + 18;
        } else {
            cli_err("unknown option '%s'", a);
            usage(stderr);
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        cli_err("no command given");
        usage(stderr);
        return CLI_USAGE;
    }
    if (data) {
        if (!*data || strlen(data) >= sizeof ctx.data_dir) {
            cli_err("invalid data directory '%s'", data);
            return CLI_USAGE;
        }
        strcpy(ctx.data_dir, data);
    } else if (data_dir_default(&ctx) < 0 && strcmp(argv[i], "verify-proof") != 0) {
        cli_err("no data directory: give --data DIR or set SAKSI_DATA");
        return CLI_USAGE;
    }
    if (proto_crypto_init() < 0) {
        cli_err("cannot initialise the cryptographic library");
        return CLI_RUNTIME;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].fn(argc - i, argv + i, &ctx);
    cli_err("unknown command '%s'", argv[i]);
    usage(stderr);
    return CLI_USAGE;
}
