/*
 * `saksi interest post` (kind 50) and `saksi interest show`: a savings product's monthly
 * interest (docs/ACCOUNTING.md 3.6, 8.1). The rows are computed by proto/savings.h from the
 * books, exactly as the books will judge them (interest-mismatch, interest-missing), so an
 * entry this command writes never gives its own rows a finding. It writes one entry per part of
 * at most 2000 members (and small enough for one entry), each through the shared write flow of
 * cmd_acct.c: derived with the candidate, refused on a new finding, printed with its status.
 * It refuses a month that is not over on the business date and a (month, product) that already
 * has an interest entry, effective or waiting.
 */
#include "cli/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/entry.h"
#include "proto/err.h"
#include "proto/savings.h"

/* Room left in an entry for the body: the wrapper (ids, keys, signature, headers) takes about
 * 250 bytes of PROTO_ENTRY_MAX. */
#define BODY_BUDGET (PROTO_ENTRY_MAX - 1024)

enum {
    OPT_MONTH = 256,
    OPT_PRODUCT,
    OPT_DATE,
    OPT_MEMO,
    OPT_DRY_RUN,
    OPT_JSON,
    OPT_LANG,
};

static void interest_usage(FILE *f)
{
    fputs("usage: saksi interest post --month YYYY-MM --product P [--date D] [--memo TEXT]\n"
          "                           [--dry-run] [--json] [--lang id|en]\n"
          "       saksi interest show --month YYYY-MM --product P [--json] [--lang id|en]\n"
          "\n"
          "Bunga (jasa) simpanan bulanan satu produk (entri jenis 50).\n"
          "A savings product's monthly interest (an entry of kind 50). 'show' lists what the\n"
          "formulas give each member for the month: the basis (lowest balance, rupiah-days or\n"
          "principal placed, by the product's method), the gross interest and the tax withheld\n"
          "above the product's threshold. 'post' records it: Dr the product's expense account /\n"
          "Cr each member's savings gross - tax, Cr tax payable. One entry per 2000 members.\n"
          "A kasir's entry waits for a pengurus's approval (saksi approve ID).\n"
          "\n"
          "Refused (exit 1, nothing written) when the month is not over on the date\n"
          "(period-open), when the month already has an interest entry for the product\n"
          "(interest-duplicate), when the product pays no interest or the month gives nobody\n"
          "any (terms, empty), or when this device may not record interest (authority).\n"
          "\n"
          "options:\n"
          "  --month YYYY-MM  the month the interest is for\n"
          "  --product P      savings product code (e.g. SS)\n"
          "  --date D         business date YYYY-MM-DD of the entry (default today); after the\n"
          "                   month\n"
          "  --memo TEXT      a note (at most 200 bytes)\n"
          "  --dry-run        check and show the entry and its postings; write nothing\n"
          "  --json           print the result as JSON (post: one object per entry)\n"
          "  --lang id|en     language of the output (default id)\n"
          "  -h, --help       show this help\n"
          "\n"
          "example: saksi interest post --month 2026-01 --product SS --date 2026-02-01\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

struct iargs {
    const char *month, *product, *date, *memo;
};

/* Parses the options of post (post true) or show. -1 to go on, else an exit code. */
static int iparse(const char *cmd, int argc, char **argv, bool post, struct cli_acct *a,
                  struct iargs *s)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"month", required_argument, NULL, OPT_MONTH},
        {"product", required_argument, NULL, OPT_PRODUCT},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            interest_usage(stdout);
            return cli_stdout_done();
        case OPT_MONTH:
            s->month = optarg;
            break;
        case OPT_PRODUCT:
            s->product = optarg;
            break;
        case OPT_DATE:
        case OPT_MEMO:
        case OPT_DRY_RUN:
            if (!post)
                return cli_usage(cmd, "option '%s' is for 'interest post'", argv[optind - 1]);
            if (c == OPT_DATE)
                s->date = optarg;
            else if (c == OPT_MEMO)
                s->memo = optarg;
            else
                a->dry_run = true;
            break;
        case OPT_JSON:
            a->json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt(cmd, optarg, &a->lang) != 0)
                return CLI_USAGE;
            break;
        default:
            return cli_opt_error(cmd, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (!s->month)
        return cli_usage(cmd, "missing --month YYYY-MM (the month the interest is for)");
    if (!s->product)
        return cli_usage(cmd, "missing --product P (a savings product code, e.g. SS)");
    return -1;
}

static uint32_t day_after(uint32_t ymd)
{
    int32_t d;
    uint32_t out = ymd;

    if (proto_day_from_ymd(ymd, &d) == 0)
        (void)proto_day_to_ymd(d + 1, &out);
    return out;
}

/* The bytes msgpack takes for an unsigned integer. */
static size_t uint_size(uint64_t v)
{
    return v < 128 ? 1 : v < 256 ? 2 : v < 65536 ? 3 : v <= UINT32_MAX ? 5 : 9;
}

static const char *method_label(uint8_t method, int lang)
{
    switch (method) {
    case PROTO_SAVM_LOWEST:
        return CLI_TR(lang, "saldo terendah", "lowest balance");
    case PROTO_SAVM_DAILY:
        return CLI_TR(lang, "saldo harian", "daily balance");
    case PROTO_SAVM_TERM:
        return CLI_TR(lang, "berjangka", "time deposit");
    default:
        return CLI_TR(lang, "tanpa bunga", "no interest");
    }
}

/* "2026-01" -> 202601. */
static int month_parse(const char *s, uint32_t *period)
{
    uint32_t ymd;
    char buf[16];

    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    snprintf(buf, sizeof buf, "%s-01", s);
    if (cli_date_parse(buf, &ymd) < 0)
        return -1;
    *period = ymd / 100;
    return 0;
}

/* "Januari 2026" / "January 2026" (32 bytes). */
static const char *month_str(uint32_t period, int lang, char *buf)
{
    char d[24];

    snprintf(buf, 32, "%s", cli_date_long(period * 100 + 1, lang, d) + 2);
    return buf;
}

/* The interest entries (kind 50, any status but void or malformed) of (period, product). */
static const struct books_item *interest_entry(const struct books *bk, uint32_t period,
                                               const char *code)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    const struct books_item *found = NULL;

    for (size_t i = 0; b && i < books_nitems(bk) && !found; i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != PROTO_KIND_INTEREST ||
            (it->status != BOOKS_EFFECTIVE && it->status != BOOKS_WAITING))
            continue;
        if (books_body(bk, i, b) == 0 && b->u.interest.period == period &&
            strcmp(b->u.interest.product, code) == 0)
            found = it;
    }
    free(b);
    return found;
}

/* The expected rows with gross > 0: the ones an entry carries. */
static size_t paid_rows(const struct proto_savings_rows *r)
{
    size_t n = 0;

    for (size_t i = 0; i < r->n; i++)
        n += r->rows[i].gross > 0;
    return n;
}

/* The members of every part being written: their interest-missing findings, while another
 * part is not yet recorded, are the plan, not a problem. */
struct plan {
    const struct proto_savings_rows *rows;
    uint32_t period;
    char product[PROTO_PARAMS_CODE_MAX + 1];
};

static bool plan_allows(const struct books_finding *f, void *arg)
{
    const struct plan *p = arg;
    const struct proto_savings_row *r;

    if (f->code != BOOKS_F_INTEREST_MISSING || f->date != p->rows->last)
        return false;
    r = proto_savings_row_find(p->rows, f->member);
    return r && r->gross > 0 && f->account == p->rows->product.account;
}

static int interest_post(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *cmd = "interest post";
    struct cli_acct a;
    struct iargs s;
    struct proto_savings_rows rows;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    const struct proto_savings_product *sp;
    struct proto_savings_product spc; /* a copy: the books (and P) are reloaded between parts */
    const struct books_item *prior;
    struct plan plan;
    uint32_t period = 0, date, tax_account, last;
    char memo[PROTO_ACCT_MEMO_MAX + 1] = "", d1[11], d2[11], m[32], hex[9], list[200];
    size_t next = 0, npaid, parts = 0;
    int ret, rc;

    memset(&a, 0, sizeof a);
    memset(&s, 0, sizeof s);
    memset(&rows, 0, sizeof rows);
    a.json = ctx->json;
    ret = iparse(cmd, argc, argv, true, &a, &s);
    if (ret >= 0)
        return ret;
    if (month_parse(s.month, &period) < 0)
        return cli_usage(cmd, "invalid month '%s' (use YYYY-MM)", s.month);
    date = cli_today();
    if (s.date && cli_date_parse(s.date, &date) < 0)
        return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", s.date);
    if (s.memo) {
        size_t n = strlen(s.memo);

        if (n > PROTO_ACCT_MEMO_MAX || !cli_text_ok(s.memo, n, false))
            return cli_usage(cmd, "the memo must be UTF-8 text of at most %d bytes",
                             PROTO_ACCT_MEMO_MAX);
        memcpy(memo, s.memo, n + 1);
    }
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, PROTO_KIND_INTEREST);
    if (!P)
        goto out;
    sp = proto_params_savings(P, s.product);
    if (sp) {
        spc = *sp;
        sp = &spc;
    }
    if (!sp) {
        cli_acct_refuse(&a, "product",
                        CLI_TR(a.lang, "produk simpanan '%s' tidak dikenal. Produk yang ada: %s.",
                               "unknown savings product '%s'. The products are: %s."),
                        s.product, cli_products_str(P, list, sizeof list));
        goto out;
    }
    last = proto_savings_period_end(period);
    if (date <= last) {
        cli_acct_refuse(&a, "period-open",
                        CLI_TR(a.lang,
                               "bulan %s belum selesai pada %s. Bunga dicatat setelah akhir "
                               "bulan, misalnya --date %s.",
                               "the month %s is not over on %s. Interest is recorded after the "
                               "month's end, e.g. --date %s."),
                        month_str(period, a.lang, m), cli_date_dmy(date, d1),
                        cli_date_str(day_after(last), d2));
        goto out;
    }
    prior = interest_entry(a.bk, period, sp->code);
    if (prior) {
        cli_acct_refuse(&a, "interest-duplicate",
                        CLI_TR(a.lang,
                               "bunga %s bulan %s sudah dicatat (%s, %s). Periksa dengan "
                               "'saksi interest show'.",
                               "the %s interest of %s is recorded already (%s, %s). Check it "
                               "with 'saksi interest show'."),
                        sp->code, month_str(period, a.lang, m), cli_hex(prior->id, 4, hex),
                        cli_status_label(prior->status, a.lang));
        goto out;
    }
    if (sp->method == PROTO_SAVM_NONE || sp->rate_ppm == 0) {
        cli_acct_refuse(&a, "terms",
                        CLI_TR(a.lang, "produk %s tidak memberi bunga menurut parameter.",
                               "product %s pays no interest under the parameters."),
                        sp->code);
        goto out;
    }
    tax_account = cli_role_account(a.bk, P, PROTO_AR_TAX_PAYABLE, date);
    if (!tax_account) {
        cli_acct_refuse(&a, "pattern",
                        CLI_TR(a.lang, "parameter tidak menyebut akun utang pajak.",
                               "the parameters name no tax payable account."));
        goto out;
    }
    rc = proto_savings_expected(a.bk, period, sp->code, &rows);
    if (rc < 0) {
        cli_err("cannot compute the interest of %s: %s", sp->code, err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    npaid = paid_rows(&rows);
    if (npaid == 0) {
        cli_acct_refuse(&a, "empty",
                        CLI_TR(a.lang, "tidak ada anggota yang mendapat bunga %s bulan %s.",
                               "nobody earns %s interest in %s."),
                        sp->code, month_str(period, a.lang, m));
        goto out;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    plan.rows = &rows;
    plan.period = period;
    memcpy(plan.product, sp->code, sizeof plan.product);
    a.finding_ok = plan_allows;
    a.finding_arg = &plan;
    ret = CLI_OK;
    while (next < rows.n && ret == CLI_OK) {
        struct proto_interest *in = &b->u.interest;
        /* Everything but the rows: header, product, accounts and a full memo. */
        size_t size = 64 + PROTO_ACCT_MEMO_MAX;

        memset(b, 0, sizeof *b);
        b->kind = PROTO_KIND_INTEREST;
        in->period = period;
        in->date = date;
        memcpy(in->product, sp->code, sizeof in->product);
        in->method = sp->method;
        in->rate_ppm = sp->rate_ppm;
        in->expense_account = sp->expense_account;
        in->account = sp->account;
        in->tax_account = tax_account;
        memcpy(in->memo, memo, sizeof in->memo);
        /* The next rows with interest, up to 2000 and as many as fit one entry. */
        for (; next < rows.n && in->nrows < PROTO_ACCT_INTEREST_ROWS_MAX; next++) {
            const struct proto_savings_row *r = &rows.rows[next];
            size_t rs = 1 + uint_size(r->member) + uint_size(r->basis) + uint_size(r->gross) +
                        uint_size(r->tax);

            if (r->gross == 0)
                continue;
            if (size + rs > BODY_BUDGET)
                break;
            size += rs;
            in->rows[in->nrows++] =
                (struct proto_interest_row){r->member, r->basis, r->gross, r->tax};
        }
        if (in->nrows == 0)
            break; /* only rows without interest were left */
        parts++;
        if (parts > 1 && !a.dry_run) {
            /* The books before this part include the parts just written. */
            books_free(a.bk);
            a.bk = NULL;
            if (cli_books_load(a.st, &a.bk) < 0) {
                ret = CLI_RUNTIME;
                break;
            }
        }
        ret = cli_acct_write(&a, b);
    }
out:
    proto_savings_rows_release(&rows);
    free(b);
    cli_acct_close(&a);
    return ret;
}

static int interest_show(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *cmd = "interest show";
    struct cli_acct a;
    struct iargs s;
    struct proto_savings_rows rows;
    struct store *st = NULL;
    struct books *bk = NULL;
    const struct books_item *prior;
    uint32_t period = 0;
    char m[32], r1[32], r2[32], r3[32], r4[32], hex[9], pct[24];
    int ret = CLI_RUNTIME, rc;

    memset(&a, 0, sizeof a);
    memset(&s, 0, sizeof s);
    memset(&rows, 0, sizeof rows);
    a.json = ctx->json;
    rc = iparse(cmd, argc, argv, false, &a, &s);
    if (rc >= 0)
        return rc;
    if (month_parse(s.month, &period) < 0)
        return cli_usage(cmd, "invalid month '%s' (use YYYY-MM)", s.month);
    if (!cli_store_present(ctx))
        return cli_open_error(ctx, ERR_NOLEDGER);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    if (cli_books_load(st, &bk) < 0)
        goto out;
    rc = proto_savings_expected(bk, period, s.product, &rows);
    if (rc == -ENOENT) {
        cli_err("no savings product '%s' in the parameters in force at the end of %s", s.product,
                s.month);
        ret = CLI_NEG;
        goto out;
    }
    if (rc < 0) {
        cli_err("cannot compute the interest: %s", err_str(rc));
        goto out;
    }
    prior = interest_entry(bk, period, rows.product.code);
    if (a.json) {
        json_t *o = json_object(), *arr = json_array();

        if (!o || !arr) {
            json_decref(o);
            json_decref(arr);
            cli_err("out of memory");
            goto out;
        }
        for (size_t i = 0; i < rows.n; i++) {
            const struct proto_savings_row *r = &rows.rows[i];

            json_array_append_new(
                arr,
                json_pack("{s:i, s:o, s:o, s:o, s:o}", "member", (json_int_t)r->member, "basis",
                          cli_json_u64(r->basis), "gross", cli_json_u64(r->gross), "tax",
                          cli_json_u64(r->tax), "net", cli_json_u64(r->gross - r->tax)));
        }
        json_object_set_new(o, "month", json_string(s.month));
        json_object_set_new(o, "product", json_string(rows.product.code));
        json_object_set_new(o, "method", json_integer(rows.product.method));
        json_object_set_new(o, "rate_ppm", json_integer(rows.product.rate_ppm));
        json_object_set_new(o, "min_balance", cli_json_u64(rows.product.min_balance));
        json_object_set_new(o, "tax_ppm", json_integer(rows.product.tax_ppm));
        json_object_set_new(o, "tax_threshold", cli_json_u64(rows.product.tax_threshold));
        json_object_set_new(o, "rows", arr);
        json_object_set_new(o, "total_gross", cli_json_u64(rows.sum_gross));
        json_object_set_new(o, "total_tax", cli_json_u64(rows.sum_tax));
        json_object_set_new(o, "entry_id", prior ? cli_json_hex(prior->id, 32) : json_null());
        json_object_set_new(o, "entry_status",
                            prior ? json_string(books_status_name(prior->status)) : json_null());
        ret = cli_json_out(o);
        goto out;
    }
    printf(CLI_TR(a.lang, "Bunga simpanan %s, %s (%s, %s/tahun)\n",
                  "Savings interest %s, %s (%s, %s a year)\n"),
           rows.product.code, month_str(period, a.lang, m),
           method_label(rows.product.method, a.lang),
           cli_ppm_str(rows.product.rate_ppm, a.lang, pct));
    printf("%-8s %20s %16s %14s %16s\n", CLI_TR(a.lang, "Anggota", "Member"),
           CLI_TR(a.lang, "Dasar", "Basis"), CLI_TR(a.lang, "Bruto", "Gross"),
           CLI_TR(a.lang, "Pajak", "Tax"), CLI_TR(a.lang, "Diterima", "Net"));
    for (size_t i = 0; i < rows.n; i++) {
        const struct proto_savings_row *r = &rows.rows[i];

        printf("%-8u %20s %16s %14s %16s\n", r->member, cli_rupiah(r->basis, r1),
               cli_rupiah(r->gross, r2), cli_rupiah(r->tax, r3), cli_rupiah(r->gross - r->tax, r4));
    }
    printf("%-8s %20s %16s %14s %16s\n", CLI_TR(a.lang, "Jumlah", "Total"), "",
           cli_rupiah(rows.sum_gross, r2), cli_rupiah(rows.sum_tax, r3),
           cli_rupiah(rows.sum_gross - rows.sum_tax, r4));
    if (prior)
        printf(CLI_TR(a.lang, "Sudah dicatat: %s (%s)\n", "Recorded: %s (%s)\n"),
               cli_hex(prior->id, 4, hex), cli_status_label(prior->status, a.lang));
    else
        printf("%s\n", CLI_TR(a.lang, "Belum dicatat ('saksi interest post').",
                              "Not recorded yet ('saksi interest post')."));
    ret = cli_stdout_done();
out:
    proto_savings_rows_release(&rows);
    books_free(bk);
    if (st)
        cli_store_close(ctx, st);
    return ret;
}

int cmd_interest(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc < 2)
        return cli_usage("interest", "missing a subcommand (post or show)");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        interest_usage(stdout);
        return cli_stdout_done();
    }
    if (strcmp(argv[1], "post") == 0)
        return interest_post(argc - 1, argv + 1, ctx);
    if (strcmp(argv[1], "show") == 0)
        return interest_show(argc - 1, argv + 1, ctx);
    return cli_usage("interest", "unknown subcommand '%s' (use post or show)", argv[1]);
}
