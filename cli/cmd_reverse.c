/*
 * `saksi reverse ID --reason TEXT`: correcting a mistaken entry with a new entry, a reversal
 * (kind 64, docs/ACCOUNTING.md 2.6 and 3.9). Nothing is ever edited or deleted: an entry that
 * posted (a deposit, a repayment, a journal, ...) is reversed by posting its lines mirrored on the
 * reversal's date; an entry that did not post (a loan application, a late fee, a parameter
 * version, a resolution) is cancelled. The command shows the mirror postings or the
 * cancellation and what approvals the reversal still needs, and refuses what the books would not
 * let take effect: a close, a signature, an entry reversed already, an entry that is not in
 * effect, a loan application that was disbursed, a date before the entry's.
 */
#include "cli/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/close.h"
#include "proto/err.h"

#define ID_PREFIX_MIN 4

enum { OPT_REASON = 256, OPT_DATE, OPT_DRY_RUN, OPT_JSON, OPT_LANG };

static void reverse_usage(FILE *f)
{
    fputs("usage: saksi reverse ID --reason TEXT [--date D] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Membetulkan entri yang salah dengan entri baru (entri jenis 64).\n"
          "Corrects a mistaken entry with a new entry (kind 64); nothing is edited or deleted.\n"
          "An entry that posted (deposit, withdrawal, journal, admission, exit, loan\n"
          "disbursement or repayment, interest, SHU) is reversed: its postings are posted again\n"
          "with debit and credit swapped, on the reversal's date. An entry that did not post (a\n"
          "loan application, a late fee, a parameter version, a resolution) is cancelled. A\n"
          "reversal needs the approvals of the parameters' row for 'reverse' (by default 1\n"
          "pengurus, 2 from Rp5.000.000), except a cancellation by the entry's own author (a\n"
          "borrower withdrawing their application), which needs none. ID is the entry id or a\n"
          "unique prefix of at least 4 hex digits (see 'saksi log' or 'saksi pending').\n"
          "\n"
          "Refused (exit 1, nothing written): a close, a signature or another kind that cannot\n"
          "be reversed (reverse-invalid); an entry reversed already, or with a reversal waiting\n"
          "(duplicate-reversal); an entry that is not in effect (not-effective); a loan\n"
          "application that was disbursed (cancel-refused: reverse the disbursement); a date\n"
          "before the entry's (date-order); a device that may not author reversals (authority).\n"
          "\n"
          "options:\n"
          "  --reason TEXT  why (1 to 200 bytes); recorded in the entry\n"
          "  --date D       business date YYYY-MM-DD of the reversal (default today)\n"
          "  --dry-run      check and show the reversal and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi reverse 3be1 --reason \"setoran tercatat dua kali\" --date 2026-01-07\n"
          "\n"
          "exit codes: 0 ok; 1 refused or no such entry; 2 usage error (or an ambiguous ID);\n"
          "            3 runtime error (I/O, store, lock)\n",
          f);
}

/* The item ID names, signs included (they are refused with a reason, not "not found"). -1 with
 * *idx set, or an exit code. */
static int target_resolve(const struct books *bk, const char *arg, size_t *idx)
{
    char prefix[65], hex[65];
    size_t n = strlen(arg), matches = 0;

    if (n < ID_PREFIX_MIN || n > 64)
        return cli_usage("reverse",
                         "ID must be an entry id of 64 hex digits or a prefix of at least %d",
                         ID_PREFIX_MIN);
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)arg[i]))
            return cli_usage("reverse", "ID must be hex digits, not '%s'", arg);
        prefix[i] = (char)tolower((unsigned char)arg[i]);
    }
    prefix[n] = '\0';
    for (size_t i = 0; i < books_nitems(bk); i++)
        if (strncmp(cli_hex(books_item(bk, i)->id, 32, hex), prefix, n) == 0 && matches++ == 0)
            *idx = i;
    if (matches == 0) {
        cli_err("no accounting entry %s... in this replica (see 'saksi log')", prefix);
        return CLI_NEG;
    }
    if (matches > 1)
        return cli_usage("reverse", "ID %s is ambiguous (%zu entries); give more digits", prefix,
                         matches);
    return -1;
}

/* A reversal of item t that is in effect or waits (the books let one count: 3.9), or NULL. */
static const struct books_item *reversal_pending(const struct books *bk, size_t t)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    const struct books_item *found = NULL;
    const uint8_t *tid = books_item(bk, t)->id;

    for (size_t i = 0; b && !found && i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != PROTO_KIND_REVERSE ||
            (it->status != BOOKS_EFFECTIVE && it->status != BOOKS_WAITING))
            continue;
        if (books_body(bk, i, b) == 0 && memcmp(b->u.reverse.target, tid, 32) == 0)
            found = it;
    }
    free(b);
    return found;
}

/* A disbursement of loan t that its author was allowed to write (the cancel guard of 3.7.1
 * counts those, whatever their status), or NULL. */
static const struct books_item *disbursement_of(const struct books *bk, size_t t)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    const struct books_item *found = NULL;
    const uint8_t *tid = books_item(bk, t)->id;

    for (size_t i = 0; b && !found && i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != PROTO_KIND_LOAN_DISBURSE || it->status == BOOKS_MALFORMED ||
            (it->status == BOOKS_VOID && it->reason == BOOKS_VOID_AUTHORITY))
            continue;
        if (books_body(bk, i, b) == 0 && memcmp(b->u.disburse.loan, tid, 32) == 0)
            found = it;
    }
    free(b);
    return found;
}

/* The checks of 3.9 the books would otherwise answer with a void reversal or a finding. */
static void target_checks(struct cli_acct *a, size_t t, uint32_t date, bool *cancel)
{
    const struct books_item *it = books_item(a->bk, t), *r;
    char hex[9], rhex[9], st[160], d1[11], d2[11];

    cli_hex(it->id, 4, hex);
    /* (The founding parameters cannot be cancelled either: the books void such a reversal,
     * reverse-invalid, and the write refuses it with that code.) */
    *cancel = books_cancel_kind(it->kind);
    if (it->kind == PROTO_KIND_SIGN) {
        cli_acct_refuse(a, "reverse-invalid",
                        CLI_TR(a->lang,
                               "%s adalah tanda tangan; tanda tangan tidak dapat dibalik. "
                               "Yang menandatangani dapat mencatat penolakan ('saksi approve "
                               "--reject'), atau balikkan entri yang ditandatangani.",
                               "%s is a signature; signatures cannot be reversed. The signer "
                               "may record a rejection ('saksi approve --reject'), or reverse "
                               "the signed entry."),
                        hex);
        return;
    }
    if (it->kind == PROTO_KIND_CLOSE || it->kind == PROTO_KIND_FRONTIER_PART) {
        cli_acct_refuse(a, "reverse-invalid",
                        CLI_TR(a->lang,
                               "%s adalah tutup buku; tutup buku tidak dapat dibalik. Kesalahan "
                               "tahun yang sudah ditutup dibetulkan dengan entri di tahun "
                               "berikutnya.",
                               "%s is a year-end close; a close cannot be reversed. Errors of a "
                               "closed year are corrected by entries in the next year."),
                        hex);
        return;
    }
    if (!*cancel && !books_mirror_kind(it->kind)) {
        cli_acct_refuse(
            a, "reverse-invalid",
            CLI_TR(a->lang, "%s (%s) tidak dapat dibalik.", "%s (%s) cannot be reversed."), hex,
            cli_kind_label(it->kind, a->lang));
        return;
    }
    r = reversal_pending(a->bk, t);
    if (r) {
        cli_hex(r->id, 4, rhex);
        cli_acct_refuse(
            a, "duplicate-reversal",
            CLI_TR(a->lang, "%s sudah dibalik oleh %s (%s).", "%s is reversed already by %s (%s)."),
            hex, rhex, cli_wait_str(r, a->lang, st, sizeof st));
        return;
    }
    if (*cancel && it->kind == PROTO_KIND_LOAN_APPLY && (r = disbursement_of(a->bk, t)) != NULL) {
        cli_hex(r->id, 4, rhex);
        cli_acct_refuse(a, "cancel-refused",
                        CLI_TR(a->lang,
                               "pinjaman %s sudah dicairkan (%s, %s); pengajuannya tidak dapat "
                               "dibatalkan. Balikkan pencairannya: 'saksi reverse %s'.",
                               "loan %s has a disbursement (%s, %s); its application cannot be "
                               "cancelled. Reverse the disbursement: 'saksi reverse %s'."),
                        hex, rhex, cli_wait_str(r, a->lang, st, sizeof st), rhex);
        return;
    }
    if ((*cancel && it->status != BOOKS_EFFECTIVE && it->status != BOOKS_WAITING) ||
        (!*cancel && it->status != BOOKS_EFFECTIVE)) {
        cli_acct_refuse(a, "not-effective",
                        it->status == BOOKS_WAITING
                            ? CLI_TR(a->lang,
                                     "%s belum berlaku (%s), jadi tidak ada yang perlu dibalik. "
                                     "Yang berwenang dapat menolaknya ('saksi approve --reject').",
                                     "%s is not in effect (%s), so there is nothing to reverse. "
                                     "Those who approve may reject it ('saksi approve --reject').")
                            : CLI_TR(a->lang, "%s tidak berlaku (%s); tidak ada yang dibalik.",
                                     "%s has no effect (%s); there is nothing to reverse."),
                        hex, cli_wait_str(it, a->lang, st, sizeof st));
        return;
    }
    if (it->date && date < it->date)
        cli_acct_refuse(a, "date-order",
                        CLI_TR(a->lang,
                               "tanggal pembalikan %s sebelum tanggal entri %s (%s). Pakai "
                               "--date pada atau sesudah %s.",
                               "the reversal's date %s lies before the entry %s's (%s). Give "
                               "--date on or after %s."),
                        cli_date_dmy(date, d1), hex, cli_date_dmy(it->date, d2), d2);
}

/* The text shown before the summary: what the reversal does to the target. */
static char *effect_text(const struct cli_acct *a, size_t t, bool cancel)
{
    const struct books_item *it = books_item(a->bk, t);
    const struct books_posting *p = books_postings(a->bk);
    char hex[9], d[11], r[32], acct[16], *buf;
    size_t size = 512 + (size_t)it->nposting * 160, o = 0;
    int w;

    buf = malloc(size);
    if (!buf)
        return NULL;
    cli_hex(it->id, 4, hex);
    w = snprintf(buf, size,
                 cancel ? CLI_TR(a->lang, "Entri %s (%s, %s) akan dibatalkan; tidak ada jurnal.\n",
                                 "Entry %s (%s, %s) will be cancelled; no postings.\n")
                        : CLI_TR(a->lang, "Entri %s (%s, %s, %s) dibalik dengan jurnal:\n",
                                 "Entry %s (%s, %s, %s) is reversed by the postings:\n"),
                 hex, cli_kind_label(it->kind, a->lang), it->date ? cli_date_dmy(it->date, d) : "-",
                 cli_rupiah(it->amount, r));
    if (w < 0 || (size_t)w >= size)
        return buf;
    o = (size_t)w;
    if (cancel || a->dry_run) /* (a dry run prints the postings itself) */
        return buf;
    for (uint32_t k = 0; k < it->nposting; k++) {
        const struct books_posting *q = &p[it->first_posting + k];
        const struct proto_account *ac = books_account(a->bk, q->account, q->date);

        if (q->member)
            snprintf(acct, sizeof acct, "%u(%u)", q->account, q->member);
        else
            snprintf(acct, sizeof acct, "%u", q->account);
        /* Mirrored: the target's credit is the reversal's debit. */
        w = snprintf(buf + o, size - o, "  %s %-12s %18s  %s\n", q->credit ? "Dr" : "Cr", acct,
                     cli_rupiah(q->credit ? q->credit : q->debit, r), ac ? ac->name : "?");
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
    return buf;
}

/* The --json fields the reversal adds: its target, the effect and the target's amount. */
static json_t *target_json(const struct cli_acct *a, size_t t, bool cancel, const char *reason)
{
    const struct books_item *it = books_item(a->bk, t);
    char d[11];

    return json_pack("{s:{s:o, s:i, s:s, s:o, s:o, s:o, s:s}, s:o, s:s, s:s}", "target", "id",
                     cli_json_hex(it->id, 32), "kind", (json_int_t)it->kind, "kind_name",
                     cli_kind_name(it->kind), "date",
                     it->date ? json_string(cli_date_str(it->date, d)) : json_null(), "member",
                     it->member ? json_integer(it->member) : json_null(), "amount",
                     cli_json_u64(it->amount), "status", books_status_name(it->status), "amount",
                     cli_json_u64(it->amount), "effect", cancel ? "cancellation" : "mirror",
                     "reversal_reason", reason);
}

int cmd_reverse(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"reason", required_argument, NULL, OPT_REASON},
        {"date", required_argument, NULL, OPT_DATE},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    struct cli_acct a;
    struct proto_acct_body *b = NULL;
    const struct books_item *it;
    const char *reason = NULL;
    char *pre = NULL;
    uint32_t date = cli_today();
    size_t t = 0;
    bool cancel = false, own;
    int c, ret;

    memset(&a, 0, sizeof a);
    a.json = ctx->json;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            reverse_usage(stdout);
            return cli_stdout_done();
        case OPT_REASON:
            reason = optarg;
            break;
        case OPT_DATE:
            if (cli_date_parse(optarg, &date) < 0)
                return cli_usage("reverse", "invalid date '%s' (use YYYY-MM-DD)", optarg);
            break;
        case OPT_DRY_RUN:
            a.dry_run = true;
            break;
        case OPT_JSON:
            a.json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt("reverse", optarg, &a.lang) != 0)
                return CLI_USAGE;
            break;
        default:
            return cli_opt_error("reverse", c, argv);
        }
    }
    if (optind == argc)
        return cli_usage("reverse", "missing the entry ID (see 'saksi log')");
    if (argc - optind > 1)
        return cli_usage("reverse", "unexpected argument '%s'", argv[optind + 1]);
    if (!reason)
        return cli_usage("reverse", "missing --reason TEXT (why the entry is reversed)");
    if (!*reason || strlen(reason) > PROTO_ACCT_REASON_MAX ||
        !cli_text_ok(reason, strlen(reason), false))
        return cli_usage("reverse", "the reason must be UTF-8 text of 1 to %d bytes",
                         PROTO_ACCT_REASON_MAX);
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = target_resolve(a.bk, argv[optind], &t);
    if (ret >= 0)
        goto out;
    ret = CLI_NEG;
    it = books_item(a.bk, t);
    target_checks(&a, t, date, &cancel);
    if (a.refusals)
        goto out;
    /* A cancellation by the entry's own author (a borrower withdrawing their application) needs
     * no role and no approvals; anything else is authored as the parameters say. */
    {
        struct store_device td;

        own = cancel && store_device_get(a.st, it->author, &td) == 0 &&
              td.dev.member == a.me.dev.member;
    }
    if (!own || !books_params_at(a.bk, date)) {
        if (!cli_acct_params(&a, date, PROTO_KIND_REVERSE))
            goto out;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_REVERSE;
    memcpy(b->u.reverse.target, it->id, 32);
    b->u.reverse.date = date;
    snprintf(b->u.reverse.reason, sizeof b->u.reverse.reason, "%s", reason);
    pre = effect_text(&a, t, cancel);
    a.pre_text = pre;
    a.extra = target_json(&a, t, cancel, reason);
    if (!pre || !a.extra) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    if (date > cli_today()) {
        char d[11];

        cli_warn("the date %s lies in the future", cli_date_str(date, d));
    }
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    free(pre);
    free(b);
    cli_acct_close(&a);
    return ret;
}
