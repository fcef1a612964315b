/*
 * `saksi provision` (kind 60): books the loan loss allowance (PPAP) up or down to what the loan
 * portfolio requires on the date (PPAPWD, docs/ACCOUNTING.md 3.8 and 6.7). The amount is computed,
 * never typed: PPAPWD of the portfolio at the end of the date (proto/report.h, report_loans)
 * minus the allowance booked by then, so the entry the books judge afterwards has no `ppap`
 * finding. It refuses when there is nothing to book. A provision needs one pengurus and one
 * pengawas by default; the write goes through the shared flow of cmd_acct.c.
 */
#include "cli/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"
#include "proto/report.h"

enum {
    OPT_DATE = 256,
    OPT_MEMO,
    OPT_DRY_RUN,
    OPT_JSON,
    OPT_LANG,
};

static void provision_usage(FILE *f)
{
    fputs("usage: saksi provision [--date D] [--memo TEXT] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Membukukan penyisihan penghapusan pinjaman (PPAP) sebesar yang wajib dibentuk\n"
          "(entri jenis 60).\n"
          "Books the loan loss allowance (an entry of kind 60) so that it equals what the loan\n"
          "portfolio requires on the date (PPAPWD: each loan's outstanding principal times the\n"
          "rate of its collectibility class, as 'saksi report loans' shows it). The amount is\n"
          "computed: PPAPWD minus the allowance already booked (account role ppap, normally\n"
          "1290). Positive: Dr PPAP expense (5220) / Cr allowance; negative (the portfolio needs\n"
          "less than is booked): Dr allowance / Cr PPAP expense. By default a provision needs one\n"
          "pengurus and one pengawas ('saksi approve ID').\n"
          "\n"
          "Refused (exit 1, nothing written) when the allowance already equals PPAPWD.\n"
          "\n"
          "options:\n"
          "  --date D       business date YYYY-MM-DD (default today); the portfolio at its end\n"
          "  --memo TEXT    a note (at most 200 bytes)\n"
          "  --dry-run      check and show the entry and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi provision --date 2026-12-31\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

int cmd_provision(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},     {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO}, {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON}, {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "provision", *date_s = NULL, *memo = NULL;
    struct cli_acct a;
    struct report_loans rl;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    uint32_t date, expense, allowance;
    int64_t amount;
    char d[11], r1[40], r2[40], r3[40], pre[400];
    int c, ret, rc;

    memset(&a, 0, sizeof a);
    memset(&rl, 0, sizeof rl);
    a.json = ctx->json;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            provision_usage(stdout);
            return cli_stdout_done();
        case OPT_DATE:
            date_s = optarg;
            break;
        case OPT_MEMO:
            memo = optarg;
            break;
        case OPT_DRY_RUN:
            a.dry_run = true;
            break;
        case OPT_JSON:
            a.json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt(cmd, optarg, &a.lang) != 0)
                return CLI_USAGE;
            break;
        default:
            return cli_opt_error(cmd, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    date = cli_today();
    if (date_s && cli_date_parse(date_s, &date) < 0)
        return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", date_s);
    if (memo && (strlen(memo) > PROTO_ACCT_MEMO_MAX || !cli_text_ok(memo, strlen(memo), false)))
        return cli_usage(cmd, "the memo must be UTF-8 text without control characters, at most "
                              "200 bytes");
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, PROTO_KIND_PROVISION);
    if (!P)
        goto out;
    expense = cli_role_account(a.bk, P, PROTO_AR_PPAP_EXPENSE, date);
    allowance = cli_role_account(a.bk, P, PROTO_AR_ALLOWANCE, date);
    if (!expense || !allowance) {
        cli_acct_refuse(&a, "pattern",
                        CLI_TR(a.lang,
                               "parameter tidak menyebut akun beban PPAP atau akun cadangan "
                               "PPAP. Periksa 'saksi params show'.",
                               "the parameters name no PPAP expense or allowance account. See "
                               "'saksi params show'."));
        goto out;
    }
    rc = report_loans(a.bk, date, &rl);
    if (rc < 0) {
        cli_err("cannot compute the loan portfolio: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    amount = (int64_t)rl.ppapwd - rl.ppap_booked;
    if (amount == 0) {
        cli_acct_refuse(&a, "nothing-to-provide",
                        CLI_TR(a.lang,
                               "PPAP yang dibukukan (%s) sudah sama dengan PPAPWD portofolio "
                               "pada %s. Tidak ada yang perlu dicatat.",
                               "the allowance booked (%s) equals the portfolio's PPAPWD on %s "
                               "already. Nothing to record."),
                        cli_rupiah_signed(rl.ppap_booked, false, r1), cli_date_dmy(date, d));
        goto out;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_PROVISION;
    b->u.provision.date = date;
    b->u.provision.expense_account = expense;
    b->u.provision.allowance_account = allowance;
    b->u.provision.amount = amount;
    if (memo)
        memcpy(b->u.provision.memo, memo, strlen(memo) + 1);
    snprintf(pre, sizeof pre,
             CLI_TR(a.lang, "PPAPWD per %s: %s; PPAP yang dibukukan: %s; selisih: %s\n",
                    "PPAPWD on %s: %s; allowance booked: %s; difference: %s\n"),
             cli_date_dmy(date, d), cli_rupiah(rl.ppapwd, r1),
             cli_rupiah_signed(rl.ppap_booked, false, r2), cli_rupiah_signed(amount, false, r3));
    a.pre_text = pre;
    a.extra = json_pack("{s:o, s:I}", "ppapwd", cli_json_u64(rl.ppapwd), "ppap_booked",
                        (json_int_t)rl.ppap_booked);
    if (!a.extra) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    report_loans_free(&rl);
    free(b);
    cli_acct_close(&a);
    return ret;
}
