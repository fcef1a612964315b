/*
 * The year end (docs/ACCOUNTING.md 3.3, 3.4, 3.10, 8.1):
 *
 *   saksi close --year Y          the close (kind 35): the frontier of everything this device
 *                                 holds, each revenue and expense account closed into SHU
 *                                 tahun berjalan, earlier years' SHU rolled to retained, the
 *                                 SHU figures and proposal, and the digests of the year's
 *                                 reports computed over exactly the closed set (proto/yearend)
 *   saksi rat resolve             the members' meeting's resolution (kind 34): ratify a close,
 *                                 adopt its SHU allocation, with the declared tally
 *   saksi shu allocate --year Y   the SHU allocation (kind 72) the resolution adopted: funds and
 *                                 each member's jasa modal and jasa usaha, recomputed from the
 *                                 closed set, in parts of at most 2000 members
 *   saksi shu pay --year Y        pay each member's SHU (kind 73) to cash or to their sukarela
 *
 * Every figure comes from the same functions the books use to check these entries
 * (yearend_check), so an entry written here never gives itself close-mismatch, digest-mismatch
 * or shu-mismatch. Each write goes through the shared flow of cmd_acct.c (derived with the
 * candidate, refused on a new finding, printed with its status and what it waits for).
 */
#include "cli/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/close.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/report.h"
#include "proto/yearend.h"
#include "store/store.h"

/* Room for a body in one entry (the wrapper takes about 250 bytes of PROTO_ENTRY_MAX). */
#define BODY_BUDGET (PROTO_ENTRY_MAX - 1024)

enum {
    OPT_YEAR = 256,
    OPT_DATE,
    OPT_MEMO,
    OPT_DRY_RUN,
    OPT_JSON,
    OPT_LANG,
    OPT_CLOSE,
    OPT_RATIFY,
    OPT_SHU,
    OPT_TALLY,
    OPT_MEETING,
    OPT_MINUTES,
    OPT_MEMBER,
    OPT_ALL,
    OPT_TO,
    OPT_WRITEOFF,
};

/* The options every command here shares; each command says which others it takes. */
struct yargs {
    const char *year, *date, *memo, *close, *tally, *meeting, *minutes, *member, *to, *writeoff;
    bool ratify, shu, all;
};

typedef void usage_fn(FILE *f);

/* Parses argv for cmd: -1 to go on, else an exit code. `allowed` lists the option codes the
 * command takes besides --date, --memo, --dry-run, --json, --lang and --help. */
static int yparse(const char *cmd, usage_fn *usage, const int *allowed, int argc, char **argv,
                  struct cli_acct *a, struct yargs *y)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"year", required_argument, NULL, OPT_YEAR},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {"close", required_argument, NULL, OPT_CLOSE},
        {"ratify", no_argument, NULL, OPT_RATIFY},
        {"shu", no_argument, NULL, OPT_SHU},
        {"tally", required_argument, NULL, OPT_TALLY},
        {"meeting", required_argument, NULL, OPT_MEETING},
        {"minutes", required_argument, NULL, OPT_MINUTES},
        {"member", required_argument, NULL, OPT_MEMBER},
        {"all", no_argument, NULL, OPT_ALL},
        {"to", required_argument, NULL, OPT_TO},
        {"writeoff", required_argument, NULL, OPT_WRITEOFF},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        bool ok = c == 'h' || c == OPT_DATE || c == OPT_MEMO || c == OPT_DRY_RUN || c == OPT_JSON ||
                  c == OPT_LANG || c == '?' || c == ':';

        for (const int *k = allowed; *k && !ok; k++)
            ok = *k == c;
        if (!ok)
            return cli_usage(cmd, "option '%s' is not for '%s'", argv[optind - 1], cmd);
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_stdout_done();
        case OPT_YEAR:
            y->year = optarg;
            break;
        case OPT_DATE:
            y->date = optarg;
            break;
        case OPT_MEMO:
            y->memo = optarg;
            break;
        case OPT_DRY_RUN:
            a->dry_run = true;
            break;
        case OPT_JSON:
            a->json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt(cmd, optarg, &a->lang) != 0)
                return CLI_USAGE;
            break;
        case OPT_CLOSE:
            y->close = optarg;
            break;
        case OPT_RATIFY:
            y->ratify = true;
            break;
        case OPT_SHU:
            y->shu = true;
            break;
        case OPT_TALLY:
            y->tally = optarg;
            break;
        case OPT_MEETING:
            y->meeting = optarg;
            break;
        case OPT_MINUTES:
            y->minutes = optarg;
            break;
        case OPT_MEMBER:
            y->member = optarg;
            break;
        case OPT_ALL:
            y->all = true;
            break;
        case OPT_TO:
            y->to = optarg;
            break;
        case OPT_WRITEOFF:
            y->writeoff = optarg;
            break;
        default:
            return cli_opt_error(cmd, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

/* The business date (--date, default today) and memo. -1 to go on, else an exit code. */
static int date_memo(const char *cmd, const struct yargs *y, uint32_t *date, char *memo)
{
    *date = cli_today();
    if (y->date && cli_date_parse(y->date, date) < 0)
        return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", y->date);
    memo[0] = 0;
    if (y->memo) {
        size_t n = strlen(y->memo);

        if (n > PROTO_ACCT_MEMO_MAX || !cli_text_ok(y->memo, n, false))
            return cli_usage(cmd, "the memo must be UTF-8 text of at most %d bytes",
                             PROTO_ACCT_MEMO_MAX);
        memcpy(memo, y->memo, n + 1);
    }
    return -1;
}

static int year_parse(const char *cmd, const char *s, uint32_t *year)
{
    uint64_t v;

    if (!s)
        return cli_usage(cmd, "--year Y is required (e.g. --year 2025)");
    if (cli_uint_parse(s, 1900, 9998, &v) < 0)
        return cli_usage(cmd, "invalid --year '%s' (e.g. 2025)", s);
    *year = (uint32_t)v;
    return -1;
}

/* The item of kind `kind` (effective or waiting) that `match` accepts, or SIZE_MAX. */
static size_t find_item(const struct books *bk, uint32_t kind, bool effective_only,
                        bool (*match)(const struct books *, size_t, const void *), const void *arg)
{
    for (size_t i = 0; i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != kind ||
            (it->status != BOOKS_EFFECTIVE && (effective_only || it->status != BOOKS_WAITING)))
            continue;
        if (match(bk, i, arg))
            return i;
    }
    return SIZE_MAX;
}

/* ---- close ---- */

static void close_usage(FILE *f)
{
    fputs("usage: saksi close --year Y [--date D] [--memo TEXT] [--dry-run] [--json]\n"
          "                   [--lang id|en]\n"
          "\n"
          "Tutup buku tahun buku Y (entri jenis 35).\n"
          "Closes the financial year Y (an entry of kind 35): every revenue and expense account's\n"
          "movement over the year is closed into SHU tahun berjalan, the SHU of earlier years\n"
          "still there moves to SHU belum dibagi, and the entry states the SHU (before and after\n"
          "tax, member and non-member parts), its proposed split over the SHU table, each\n"
          "pool's total, and the digest of every report of the year (neraca, lhu, equity,\n"
          "cashflow, loans, findings, shu-members), all computed over exactly the entries this\n"
          "device holds now (its frontier, also stated). Any member's device recomputes them\n"
          "from the same entries: a figure or digest that differs is a finding there.\n"
          "Entries that arrive later but are dated in the closed year post on the first day of\n"
          "the next year (late-posting): a closed year never changes.\n"
          "The close needs the approvals of the parameters (by default the ketua and the\n"
          "bendahara: saksi approve ID).\n"
          "\n"
          "Refused (exit 1, nothing written) before the year is over on the date\n"
          "(close-early), when the year has a close already (close-conflict), or when this\n"
          "device may not close (authority).\n"
          "\n"
          "options:\n"
          "  --year Y       the financial year (the one holding 31 December Y)\n"
          "  --date D       business date YYYY-MM-DD of the close (default today); after the year\n"
          "  --memo TEXT    not used by a close (refused)\n"
          "  --dry-run      compute and show the close; write nothing\n"
          "  --json         print the result as JSON\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi close --year 2025 --date 2026-01-10\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

struct rows_ctx {
    struct store *st;
    struct proto_frontier_row *rows;
    uint8_t (*ids)[32];
    size_t n, cap;
    int rc;
};

static int feed_cb(const struct store_feed *f, void *arg)
{
    struct rows_ctx *r = arg;

    if (f->length == 0)
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        void *a = realloc(r->rows, cap * sizeof *r->rows), *b;

        if (!a)
            return -ENOMEM;
        r->rows = a;
        b = realloc(r->ids, cap * sizeof *r->ids);
        if (!b)
            return -ENOMEM;
        r->ids = b;
        r->cap = cap;
    }
    memcpy(r->rows[r->n].author, f->author, 32);
    r->rows[r->n].length = f->length;
    r->n++;
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    return memcmp(((const struct proto_frontier_row *)a)->author,
                  ((const struct proto_frontier_row *)b)->author, 32);
}

/* The applied frontier of the store: feeds with at least one entry, by author, with the id at
 * each length. */
static int frontier_of(struct store *st, struct rows_ctx *r)
{
    int rc;

    memset(r, 0, sizeof *r);
    r->st = st;
    if ((rc = store_each_feed(st, feed_cb, r)) < 0)
        return rc;
    if (r->n > 1)
        qsort(r->rows, r->n, sizeof *r->rows, cmp_row);
    for (size_t k = 0; k < r->n; k++) {
        rc = store_books_id_at(st, r->rows[k].author, r->rows[k].length, r->ids[k]);
        if (rc != 0)
            return rc < 0 ? rc : ERR_STORE;
    }
    return 0;
}

static bool close_of_period(const struct books *bk, size_t i, const void *arg)
{
    const struct proto_close *want = arg;
    struct proto_close *c = malloc(sizeof *c);
    const uint8_t *raw;
    size_t len;
    bool yes = false;

    raw = books_body_raw(bk, i, &len);
    if (c && proto_close_decode(raw, len, c) == 0)
        yes = c->start <= want->end && want->start <= c->end;
    free(c);
    return yes;
}

/* A close of an earlier period that still waits, or one of a later period (effective or
 * waiting): closing out of order would let a reader's later decision move entries of a year
 * already closed (ACCOUNTING.md 4.5). */
static bool close_out_of_order(const struct books *bk, size_t i, const void *arg)
{
    const struct proto_close *want = arg;
    struct proto_close *c = malloc(sizeof *c);
    const uint8_t *raw;
    size_t len;
    bool yes = false;

    raw = books_body_raw(bk, i, &len);
    if (c && proto_close_decode(raw, len, c) == 0)
        yes = (c->end < want->start && books_item(bk, i)->status == BOOKS_WAITING) ||
              c->start > want->end;
    free(c);
    return yes;
}

/* The books of the store with candidate close body added and taken as effective. */
static int forced_books(struct store *st, const struct proto_keys *k, const struct proto_buf *b,
                        struct books **out)
{
    struct books *bk = NULL;
    uint8_t id[32], prev[32];
    uint64_t seq;
    int rc;

    *out = NULL;
    memset(id, 0xfe, sizeof id); /* no real entry has it; the digests never name the close */
    if ((rc = store_feed_tip(st, k->sign_pk, &seq, prev)) < 0 ||
        (rc = store_books_load(st, &bk)) < 0)
        return rc;
    if ((rc = books_entry(bk, id, k->sign_pk, seq + 1, PROTO_KIND_CLOSE, b->data, b->len)) == 0 &&
        (rc = books_force_close(bk, id)) == 0 && (rc = books_derive(bk)) == 0) {
        *out = bk;
        return 0;
    }
    books_free(bk);
    return rc;
}

/* Writes the frontier rows past the first PROTO_CLOSE_ROWS_MAX as frontier parts (kind 36),
 * filling c->parts. */
static int write_parts(struct cli_acct *a, struct proto_close *c, const struct rows_ctx *r)
{
    struct proto_frontier_part *p = malloc(sizeof *p);
    size_t next = PROTO_CLOSE_ROWS_MAX;
    int rc = 0;

    if (!p)
        return -ENOMEM;
    while (next < r->n && rc == 0) {
        struct proto_buf body;
        uint8_t id[32];

        if (c->nparts == PROTO_CLOSE_PARTS_MAX) {
            rc = ERR_TOOBIG;
            break;
        }
        memset(p, 0, sizeof *p);
        for (; next < r->n && p->nrows < PROTO_CLOSE_PART_ROWS_MAX; next++)
            p->rows[p->nrows++] = r->rows[next];
        proto_buf_init(&body);
        rc = proto_frontier_part_encode(p, &body);
        if (rc == 0 && !a->dry_run)
            rc = cli_author(a->ctx, a->st, a->keys, PROTO_KIND_FRONTIER_PART, &body, id);
        if (rc == 0) {
            if (a->dry_run)
                memset(id, 0, 32);
            memcpy(c->parts[c->nparts++], id, 32);
        }
        proto_buf_release(&body);
    }
    free(p);
    /* Parts are listed in ascending id order. */
    for (uint32_t i = 1; i < c->nparts; i++)
        for (uint32_t j = i; j > 0 && memcmp(c->parts[j - 1], c->parts[j], 32) > 0; j--) {
            uint8_t t[32];

            memcpy(t, c->parts[j], 32);
            memcpy(c->parts[j], c->parts[j - 1], 32);
            memcpy(c->parts[j - 1], t, 32);
        }
    return rc;
}

/* The close's postings and a one-line summary. *lines: free(). */
static int close_lines(const struct proto_close *c, struct proto_line **lines, size_t *n)
{
    int k = proto_close_postings(c, NULL, 0);

    *lines = NULL;
    *n = 0;
    if (k < 0)
        return k;
    *lines = calloc((size_t)k + 1, sizeof **lines);
    if (!*lines)
        return -ENOMEM;
    k = proto_close_postings(c, *lines, (size_t)k);
    if (k < 0) {
        free(*lines);
        *lines = NULL;
        return k;
    }
    *n = (size_t)k;
    return 0;
}

int cmd_close(int argc, char **argv, struct cli_ctx *ctx)
{
    static const int allowed[] = {OPT_YEAR, 0};
    const char *cmd = "close";
    struct cli_acct a;
    struct yargs y;
    struct proto_close *c = NULL;
    struct rows_ctx r;
    struct books *forced = NULL;
    struct proto_buf body;
    struct proto_line *lines = NULL;
    const struct proto_params *P;
    uint32_t year = 0, date;
    size_t nlines = 0, prior;
    char memo[PROTO_ACCT_MEMO_MAX + 1], d1[11], d2[11], d3[11], amt[40], fpr[REPORT_FPR_CHARS + 1];
    char summary[400];
    int ret, rc;

    memset(&a, 0, sizeof a);
    memset(&y, 0, sizeof y);
    memset(&r, 0, sizeof r);
    proto_buf_init(&body);
    a.json = ctx->json;
    if ((ret = yparse(cmd, close_usage, allowed, argc, argv, &a, &y)) >= 0 ||
        (ret = year_parse(cmd, y.year, &year)) >= 0 || (ret = date_memo(cmd, &y, &date, memo)) >= 0)
        return ret;
    if (memo[0])
        return cli_usage(cmd, "a close has no memo");
    if ((ret = cli_acct_open(ctx, &a)) != CLI_OK)
        return ret;
    ret = CLI_NEG;
    if (!(P = cli_acct_params(&a, date, PROTO_KIND_CLOSE)))
        goto out;
    c = calloc(1, sizeof *c);
    if (!c)
        goto oom;
    c->year = year;
    report_year(a.bk, year * 10000 + 1231, &c->start, &c->end);
    c->date = date;
    if (date <= c->end) {
        cli_acct_refuse(&a, "close-early",
                        CLI_TR(a.lang,
                               "tahun buku %s s.d. %s belum selesai pada %s. Tutup buku setelah "
                               "akhir tahun, misalnya --date %s.",
                               "the financial year %s to %s is not over on %s. Close it after "
                               "its end, e.g. --date %s."),
                        cli_date_dmy(c->start, d1), cli_date_dmy(c->end, d2),
                        cli_date_dmy(date, d3),
                        cli_date_str(date > c->end ? date : c->end + 1, amt));
        goto out;
    }
    prior = find_item(a.bk, PROTO_KIND_CLOSE, false, close_of_period, c);
    if (prior != SIZE_MAX) {
        char hex[9];

        cli_acct_refuse(&a, "close-conflict",
                        CLI_TR(a.lang, "tahun buku %u sudah punya tutup buku (%s, %s).",
                               "the financial year %u has a close already (%s, %s)."),
                        (unsigned)year, cli_hex(books_item(a.bk, prior)->id, 4, hex),
                        cli_status_label(books_item(a.bk, prior)->status, a.lang));
        goto out;
    }
    prior = find_item(a.bk, PROTO_KIND_CLOSE, false, close_out_of_order, c);
    if (prior != SIZE_MAX) {
        char hex[9];

        cli_acct_refuse(&a, "close-order",
                        CLI_TR(a.lang,
                               "tahun buku ditutup berurutan: tutup buku %s (%s) harus berlaku "
                               "dulu, atau sudah ada tutup buku tahun sesudahnya.",
                               "financial years close in order: close %s (%s) must take effect "
                               "first, or a later year is closed already."),
                        cli_hex(books_item(a.bk, prior)->id, 4, hex),
                        cli_status_label(books_item(a.bk, prior)->status, a.lang));
        goto out;
    }
    c->current = cli_role_account(a.bk, P, PROTO_AR_SHU_CURRENT, date);
    c->retained = cli_role_account(a.bk, P, PROTO_AR_SHU_PRIOR, date);
    if (!c->current || !c->retained || c->current == c->retained) {
        cli_acct_refuse(&a, "pattern",
                        CLI_TR(a.lang,
                               "parameter tidak menyebut akun SHU tahun berjalan dan SHU belum "
                               "dibagi (peran 12 dan 13).",
                               "the parameters name no current-year SHU and retained SHU "
                               "accounts (roles 12 and 13)."));
        goto out;
    }
    ret = CLI_RUNTIME;
    if ((rc = frontier_of(a.st, &r)) < 0) {
        cli_err("cannot read the frontier: %s", err_str(rc));
        goto out;
    }
    if (r.n >
        (size_t)PROTO_CLOSE_ROWS_MAX + (size_t)PROTO_CLOSE_PARTS_MAX * PROTO_CLOSE_PART_ROWS_MAX) {
        cli_err("the ledger has %zu feeds, more than a close can name", r.n);
        goto out;
    }
    if ((rc = proto_frontier_digest(r.rows, (const uint8_t(*)[32])r.ids, r.n, c->frontier_digest)) <
        0) {
        cli_err("cannot compute the frontier digest: %s", err_str(rc));
        goto out;
    }
    c->nrows = (uint32_t)(r.n < PROTO_CLOSE_ROWS_MAX ? r.n : PROTO_CLOSE_ROWS_MAX);
    memcpy(c->rows, r.rows, c->nrows * sizeof *c->rows);
    if ((rc = yearend_close_figures(a.bk, c)) < 0) {
        cli_err("cannot compute the close's figures: %s", err_str(rc));
        goto out;
    }
    /* Parts first (their ids are in the close), then the digests over the closed set. */
    if (r.n > PROTO_CLOSE_ROWS_MAX && (rc = write_parts(&a, c, &r)) < 0) {
        cli_err("cannot write the frontier parts: %s", err_str(rc));
        goto out;
    }
    c->ndigests = 1; /* provisional, for the books: they never read a close's digests */
    memcpy(c->digests[0].type, "neraca", 7);
    if ((rc = proto_close_encode(c, &body)) < 0 ||
        (rc = forced_books(a.st, a.keys, &body, &forced)) < 0 ||
        (rc = yearend_close_digests(forced, c)) < 0) {
        cli_err("cannot compute the year's report digests: %s", err_str(rc));
        goto out;
    }
    proto_buf_reset(&body);
    if ((rc = proto_close_encode(c, &body)) < 0 || (rc = close_lines(c, &lines, &nlines)) < 0) {
        cli_err("cannot encode the close: %s", err_str(rc));
        goto out;
    }
    {
        const uint8_t *nd = NULL;

        for (uint32_t k = 0; k < c->ndigests; k++)
            if (strcmp(c->digests[k].type, "neraca") == 0)
                nd = c->digests[k].digest;
        if (nd)
            report_fingerprint(nd, fpr);
        else
            strcpy(fpr, "-");
        snprintf(summary, sizeof summary,
                 CLI_TR(a.lang,
                        "Tutup buku %u (%s s.d. %s): %u akun ditutup, SHU setelah pajak %s; %u "
                        "laporan, neraca %s; %zu buku besar perangkat",
                        "Close of %u (%s to %s): %u accounts closed, SHU after tax %s; %u "
                        "reports, neraca %s; %zu device feeds"),
                 (unsigned)year, cli_date_dmy(c->start, d1), cli_date_dmy(c->end, d2),
                 (unsigned)c->nlines, cli_rupiah_signed(c->shu.after_tax, false, amt),
                 (unsigned)c->ndigests, fpr, r.n);
    }
    {
        /* What still waits in the year will post in the next one once it takes effect. */
        size_t nw = 0;

        for (size_t i = 0; i < books_nitems(a.bk); i++) {
            const struct books_item *it = books_item(a.bk, i);

            nw += it->status == BOOKS_WAITING && it->date >= c->start && it->date <= c->end;
        }
        if (nw)
            fprintf(stderr,
                    CLI_TR(a.lang,
                           "saksi: catatan: %zu entri bertanggal tahun %u masih menunggu; bila "
                           "berlaku nanti, entri itu dibukukan pada tahun berikutnya "
                           "('saksi pending --as-of %s').\n",
                           "saksi: note: %zu entries dated in %u still wait; if they take "
                           "effect later they post in the next year ('saksi pending --as-of "
                           "%s').\n"),
                    nw, (unsigned)year, cli_date_str(c->end, d3));
    }
    {
        struct cli_write w = {PROTO_KIND_CLOSE, body.data, body.len, lines, nlines,
                              summary,          date,      0,        0};

        ret = cli_acct_write_raw(&a, &w);
    }
    goto out;
oom:
    cli_err("out of memory");
    ret = CLI_RUNTIME;
out:
    books_free(forced);
    free(lines);
    free(r.rows);
    free(r.ids);
    free(c);
    proto_buf_release(&body);
    cli_acct_close(&a);
    return ret;
}

/* ---- rat resolve ---- */

static void rat_usage(FILE *f)
{
    fputs("usage: saksi rat resolve [--close ID [--ratify] [--shu]] [--writeoff LOAN]\n"
          "                         --tally E,P,F,A,B [--meeting rat|ralb|lainnya]\n"
          "                         [--minutes FILE] [--date D] [--memo TEXT] [--dry-run]\n"
          "                         [--json] [--lang id|en]\n"
          "\n"
          "Keputusan rapat anggota (entri jenis 34).\n"
          "Records a members' meeting's resolution (an entry of kind 34):\n"
          "  --ratify   accept the board's accountability report and ratify the close's\n"
          "             statements\n"
          "  --shu      adopt the SHU allocation of the close, by the SHU table of the\n"
          "             parameters (saksi shu allocate then writes it)\n"
          "  --writeoff approve writing off a loan (saksi loan writeoff then records it,\n"
          "             when the parameters ask for the RAT's approval)\n"
          "The tally is as declared by the meeting: E members eligible, P present, F for,\n"
          "A against, B abstaining; a decision is adopted when F > A. It needs the\n"
          "approvals of the parameters (by default the ketua and the sekretaris and one\n"
          "pengawas). Attendance and votes as members' own signed entries come later.\n"
          "\n"
          "Refused (exit 1, nothing written) when the meeting had no quorum (quorum), when\n"
          "E is not the number of active members on the date (eligible-count), or when the\n"
          "close is not known.\n"
          "\n"
          "options:\n"
          "  --close ID       the close (at least 4 hex digits of its id)\n"
          "  --tally E,P,F,A,B  eligible, present, for, against, abstain\n"
          "  --ratify         decision 1: ratify the close\n"
          "  --shu            decision 2: adopt its SHU allocation\n"
          "  --writeoff LOAN  decision 4: write off the loan (its id, at least 4 hex digits)\n"
          "  --meeting M      rat (default), ralb, or lainnya (another members' meeting)\n"
          "  --minutes FILE   the signed minutes (notulen): their SHA-256 is recorded\n"
          "  --date D         the meeting's date YYYY-MM-DD (default today)\n"
          "  --memo TEXT      a note (at most 200 bytes)\n"
          "  --dry-run        check and show the entry; write nothing\n"
          "  --json           print the result as JSON\n"
          "  --lang id|en     language of the output (default id)\n"
          "  -h, --help       show this help\n"
          "\n"
          "example: saksi rat resolve --close c10e --ratify --shu --tally 50,38,36,1,1 \\\n"
          "             --date 2026-02-20\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static int tally_parse(const char *s, uint32_t t[5])
{
    for (int i = 0; i < 5; i++) {
        char *end;
        unsigned long v;

        if (*s < '0' || *s > '9')
            return -1;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || v > 10000000)
            return -1;
        t[i] = (uint32_t)v;
        s = end;
        if (i < 4 && *s++ != ',')
            return -1;
    }
    return *s ? -1 : 0;
}

static int rat_resolve(int argc, char **argv, struct cli_ctx *ctx)
{
    static const int allowed[] = {OPT_CLOSE,   OPT_RATIFY,  OPT_SHU,      OPT_TALLY,
                                  OPT_MEETING, OPT_MINUTES, OPT_WRITEOFF, 0};
    const char *cmd = "rat resolve";
    struct cli_acct a;
    struct yargs y;
    struct proto_resolution *res = NULL;
    const struct proto_params *P;
    struct proto_buf body;
    uint32_t t[5], date;
    uint8_t meeting = PROTO_MEETING_RAT;
    size_t ci = 0, li = 0;
    char memo[PROTO_ACCT_MEMO_MAX + 1], summary[300], hex[9], d1[11];
    int ret, rc;

    memset(&a, 0, sizeof a);
    memset(&y, 0, sizeof y);
    proto_buf_init(&body);
    a.json = ctx->json;
    if ((ret = yparse(cmd, rat_usage, allowed, argc, argv, &a, &y)) >= 0 ||
        (ret = date_memo(cmd, &y, &date, memo)) >= 0)
        return ret;
    if (!y.close && !y.writeoff)
        return cli_usage(cmd, "say what the meeting decided on: --close ID (with --ratify, --shu)"
                              " or --writeoff LOAN");
    if (!y.close && (y.ratify || y.shu))
        return cli_usage(cmd, "--ratify and --shu need --close ID");
    if (!y.tally || tally_parse(y.tally, t) < 0)
        return cli_usage(cmd, "--tally E,P,F,A,B is required: five whole numbers, e.g. "
                              "--tally 50,38,36,1,1");
    if (t[1] > t[0] || (uint64_t)t[2] + t[3] + t[4] > t[1])
        return cli_usage(cmd, "the tally does not add up: present <= eligible and for + against "
                              "+ abstain <= present");
    if (y.close && !y.ratify && !y.shu)
        return cli_usage(cmd, "say what the meeting decided on the close: --ratify, --shu, or "
                              "both");
    if (y.meeting) {
        if (strcmp(y.meeting, "rat") == 0)
            meeting = PROTO_MEETING_RAT;
        else if (strcmp(y.meeting, "ralb") == 0)
            meeting = PROTO_MEETING_RALB;
        else if (strcmp(y.meeting, "lainnya") == 0 || strcmp(y.meeting, "other") == 0)
            meeting = PROTO_MEETING_OTHER;
        else
            return cli_usage(cmd, "invalid --meeting '%s' (rat, ralb or lainnya)", y.meeting);
    }
    res = calloc(1, sizeof *res);
    if (!res) {
        cli_err("out of memory");
        return CLI_RUNTIME;
    }
    if (y.minutes) {
        struct proto_buf f;

        proto_buf_init(&f);
        rc = cli_file_read(y.minutes, 16u << 20, &f);
        if (rc < 0) {
            cli_err("cannot read the minutes '%s': %s", y.minutes, err_str(rc));
            proto_buf_release(&f);
            free(res);
            return CLI_RUNTIME;
        }
        proto_sha256(f.data, f.len, res->minutes);
        res->has_minutes = true;
        proto_buf_release(&f);
    }
    if ((ret = cli_acct_open(ctx, &a)) != CLI_OK) {
        free(res);
        return ret;
    }
    if (y.close && (ret = cli_item_resolve(a.bk, cmd, y.close, PROTO_KIND_CLOSE, &ci)) >= 0)
        goto out;
    if (y.writeoff &&
        (ret = cli_item_resolve(a.bk, cmd, y.writeoff, PROTO_KIND_LOAN_APPLY, &li)) >= 0)
        goto out;
    ret = CLI_NEG;
    if (!(P = cli_acct_params(&a, date, PROTO_KIND_RESOLUTION)))
        goto out;
    {
        /* The rules the books check once the resolution is effective (3.3), refused now. */
        uint64_t need = ((uint64_t)P->quorum_ppm * t[0] + 999999) / 1000000;
        size_t voters = books_voters(a.bk, date);

        if (t[0] != voters)
            cli_acct_refuse(&a, "eligible-count",
                            CLI_TR(a.lang,
                                   "%u anggota berhak suara menurut --tally, tetapi %zu anggota "
                                   "aktif pada %s.",
                                   "--tally says %u members may vote, but %zu members are active "
                                   "on %s."),
                            t[0], voters, cli_date_dmy(date, d1));
        if (t[1] < need)
            cli_acct_refuse(&a, "quorum",
                            CLI_TR(a.lang,
                                   "rapat tidak kuorum: hadir %u, perlu sedikitnya %llu dari %u "
                                   "anggota.",
                                   "the meeting had no quorum: %u present, at least %llu of %u "
                                   "needed."),
                            t[1], (unsigned long long)need, t[0]);
        if (a.refusals)
            goto out;
    }
    res->date = date;
    res->meeting = meeting;
    memcpy(res->memo, memo, sizeof res->memo);
    for (int k = 0; k < 3; k++) {
        struct proto_decision *d = &res->decisions[res->ndecisions];

        if ((k == 0 && !y.ratify) || (k == 1 && !y.shu) || (k == 2 && !y.writeoff))
            continue;
        d->type = k == 0 ? PROTO_DECIDE_RATIFY : k == 1 ? PROTO_DECIDE_SHU : PROTO_DECIDE_WRITEOFF;
        d->has_target = true;
        memcpy(d->target, books_item(a.bk, k == 2 ? li : ci)->id, 32);
        d->outcome = t[2] > t[3] ? PROTO_OUTCOME_ADOPTED : PROTO_OUTCOME_REJECTED;
        d->eligible = t[0];
        d->present = t[1];
        d->votes_for = t[2];
        d->against = t[3];
        d->abstain = t[4];
        res->ndecisions++;
    }
    ret = CLI_RUNTIME;
    if ((rc = proto_resolution_encode(res, &body)) < 0) {
        cli_err("cannot encode the resolution: %s", err_str(rc));
        goto out;
    }
    {
        char what[160] = "", hex2[9];

        if (y.close)
            snprintf(what, sizeof what, CLI_TR(a.lang, "tutup buku %s: %s%s%s", "close %s: %s%s%s"),
                     cli_hex(books_item(a.bk, ci)->id, 4, hex),
                     y.ratify ? CLI_TR(a.lang, "pengesahan laporan", "ratification") : "",
                     y.ratify && y.shu ? ", " : "",
                     y.shu ? CLI_TR(a.lang, "pembagian SHU", "SHU allocation") : "");
        if (y.writeoff)
            snprintf(what + strlen(what), sizeof what - strlen(what),
                     CLI_TR(a.lang, "%shapus buku pinjaman %s", "%swrite-off of loan %s"),
                     y.close ? "; " : "", cli_hex(books_item(a.bk, li)->id, 4, hex2));
        snprintf(summary, sizeof summary,
                 CLI_TR(a.lang,
                        "Keputusan %s %s tentang %s (hadir %u dari %u; setuju %u, menolak %u, "
                        "abstain %u)",
                        "Resolution of the %s of %s on %s (present %u of %u; for %u, against %u, "
                        "abstaining %u)"),
                 meeting == PROTO_MEETING_RAT ? "RAT"
                 : meeting == PROTO_MEETING_RALB
                     ? "RALB"
                     : CLI_TR(a.lang, "rapat anggota", "members' meeting"),
                 cli_date_dmy(date, d1), what, t[1], t[0], t[2], t[3], t[4]);
    }
    if (t[2] <= t[3])
        fprintf(stderr, "saksi: %s: %s\n", CLI_TR(a.lang, "catatan", "note"),
                CLI_TR(a.lang,
                       "suara setuju tidak lebih banyak dari yang menolak: keputusan "
                       "dicatat sebagai ditolak.",
                       "no more votes for than against: the decisions are recorded as "
                       "rejected."));
    {
        struct cli_write w = {
            PROTO_KIND_RESOLUTION, body.data, body.len, NULL, 0, summary, date, 0, 0};

        ret = cli_acct_write_raw(&a, &w);
    }
out:
    free(res);
    proto_buf_release(&body);
    cli_acct_close(&a);
    return ret;
}

int cmd_rat(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc >= 2 && strcmp(argv[1], "resolve") == 0)
        return rat_resolve(argc - 1, argv + 1, ctx);
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        rat_usage(stdout);
        return cli_stdout_done();
    }
    if (argc < 2)
        return cli_usage("rat", "missing subcommand: resolve");
    return cli_usage("rat", "unknown subcommand '%s' (resolve)", argv[1]);
}

/* ---- shu allocate, shu pay ---- */

static void shu_usage(FILE *f)
{
    fputs("usage: saksi shu allocate --year Y [--date D] [--memo TEXT] [--dry-run] [--json]\n"
          "                          [--lang id|en]\n"
          "       saksi shu pay --year Y (--member N | --all) [--to sukarela|kas] [--date D]\n"
          "                     [--memo TEXT] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Pembagian dan pembayaran SHU.\n"
          "allocate: once the close of year Y is effective and a members' meeting adopted its\n"
          "SHU allocation (saksi rat resolve --shu), records the allocation (entries of kind\n"
          "72): the SHU after tax leaves SHU tahun berjalan for the funds of the SHU table\n"
          "(cadangan and the others, which also take the non-member SHU and the rounding\n"
          "residuals) and for each member's jasa modal and jasa usaha, owed to the member\n"
          "(utang SHU). Every figure is recomputed from the closed year's entries, as every\n"
          "member's device will check it. One entry per 2000 members; each needs the\n"
          "approvals of the parameters (by default 2 pengurus).\n"
          "pay: pays a member's SHU owed (kind 73) in cash (kas; the member confirms it on\n"
          "their device) or into their simpanan sukarela (default).\n"
          "\n"
          "Refused (exit 1, nothing written) when the close is not effective or the meeting\n"
          "has not adopted the allocation (prerequisite), when the year is allocated already\n"
          "(shu-twice), when there is nothing to share, or when a member is owed nothing.\n"
          "\n"
          "options:\n"
          "  --year Y          the closed financial year\n"
          "  --member N        pay: this member\n"
          "  --all             pay: every member owed SHU (one entry each)\n"
          "  --to sukarela|kas pay: into simpanan sukarela (default) or cash\n"
          "  --date D          business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT       a note (at most 200 bytes)\n"
          "  --dry-run         check and show the entries; write nothing\n"
          "  --json            print the result as JSON (one object per entry)\n"
          "  --lang id|en      language of the output (default id)\n"
          "  -h, --help        show this help\n"
          "\n"
          "example: saksi shu allocate --year 2025 --date 2026-02-21\n"
          "         saksi shu pay --year 2025 --all --to sukarela --date 2026-03-01\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

/* The effective close of year y (by its year label), or NULL. */
static const struct books_close *close_of_year(const struct books *bk, uint32_t y)
{
    for (size_t k = 0; k < books_ncloses(bk); k++)
        if (books_close_at(bk, k)->year == y)
            return books_close_at(bk, k);
    return NULL;
}

static bool adopts_close(const struct books *bk, size_t i, const void *close_id)
{
    struct proto_shu_table t;
    bool has;

    return yearend_resolution_table(bk, i, close_id, &t, &has);
}

static bool allocates_close(const struct books *bk, size_t i, const void *close_id)
{
    struct proto_shu_allocate *al = malloc(sizeof *al);
    const uint8_t *raw;
    size_t len;
    bool yes = false;

    raw = books_body_raw(bk, i, &len);
    if (al && proto_shu_allocate_decode(raw, len, al) == 0)
        yes = memcmp(al->close, close_id, 32) == 0;
    free(al);
    return yes;
}

/* Bytes a msgpack uint takes. */
static size_t uint_size(uint64_t v)
{
    return v < 128 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3 : v <= 0xffffffffu ? 5 : 9;
}

static int shu_allocate(int argc, char **argv, struct cli_ctx *ctx)
{
    static const int allowed[] = {OPT_YEAR, 0};
    const char *cmd = "shu allocate";
    struct cli_acct a;
    struct yargs y;
    struct proto_shu_allocate *al = NULL;
    struct proto_shu_row *rows = NULL;
    struct proto_shu_fund funds[PROTO_SHU_PARTS_MAX];
    struct proto_shu_table table;
    const struct books_close *cl;
    const struct proto_params *P;
    uint32_t year = 0, date, nfunds = 0, accounts[PROTO_SHU_PARTS_MAX], payable, source = 0;
    size_t n = 0, ri, prior, next, nparts = 0, starts[PROTO_SHU_ALLOC_PARTS_MAX + 1];
    uint8_t close_id[32], res_id[32];
    bool has_table;
    char memo[PROTO_ACCT_MEMO_MAX + 1], hex[9], amt[40], summary[300];
    int ret, rc;

    memset(&a, 0, sizeof a);
    memset(&y, 0, sizeof y);
    a.json = ctx->json;
    if ((ret = yparse(cmd, shu_usage, allowed, argc, argv, &a, &y)) >= 0 ||
        (ret = year_parse(cmd, y.year, &year)) >= 0 || (ret = date_memo(cmd, &y, &date, memo)) >= 0)
        return ret;
    if ((ret = cli_acct_open(ctx, &a)) != CLI_OK)
        return ret;
    ret = CLI_NEG;
    if (!(P = cli_acct_params(&a, date, PROTO_KIND_SHU_ALLOCATE)))
        goto out;
    cl = close_of_year(a.bk, year);
    if (!cl) {
        cli_acct_refuse(&a, "prerequisite",
                        CLI_TR(a.lang,
                               "tahun buku %u belum ditutup (atau tutup bukunya belum berlaku). "
                               "Lihat 'saksi pending'.",
                               "the financial year %u has no effective close. See 'saksi "
                               "pending'."),
                        (unsigned)year);
        goto out;
    }
    memcpy(close_id, books_item(a.bk, cl->item)->id, 32);
    ri = find_item(a.bk, PROTO_KIND_RESOLUTION, true, adopts_close, close_id);
    if (ri == SIZE_MAX) {
        cli_acct_refuse(&a, "resolution",
                        CLI_TR(a.lang,
                               "belum ada keputusan rapat anggota yang berlaku yang menyetujui "
                               "pembagian SHU tutup buku %s. Catat dengan 'saksi rat resolve "
                               "--close %s --shu ...'.",
                               "no effective members' meeting resolution adopts the SHU "
                               "allocation of close %s. Record it with 'saksi rat resolve "
                               "--close %s --shu ...'."),
                        cli_hex(close_id, 4, hex), hex);
        goto out;
    }
    prior = find_item(a.bk, PROTO_KIND_SHU_ALLOCATE, false, allocates_close, close_id);
    if (prior != SIZE_MAX) {
        cli_acct_refuse(&a, "shu-twice",
                        CLI_TR(a.lang, "SHU tahun %u sudah dibagi (%s, %s).",
                               "the SHU of %u is allocated already (%s, %s)."),
                        (unsigned)year, cli_hex(books_item(a.bk, prior)->id, 4, hex),
                        cli_status_label(books_item(a.bk, prior)->status, a.lang));
        goto out;
    }
    yearend_resolution_table(a.bk, ri, close_id, &table, &has_table);
    yearend_part_accounts(a.bk, ri, cl, accounts);
    ret = CLI_RUNTIME;
    rc = yearend_shu_rows(cl->closed, cl, has_table ? &table : NULL, accounts, &rows, &n, funds,
                          &nfunds);
    if (rc < 0) {
        if (rc == -ENOMEM) {
            cli_err("out of memory");
            goto out;
        }
        ret = CLI_NEG;
        cli_acct_refuse(&a, "shu",
                        CLI_TR(a.lang, "SHU tahun %u tidak dapat dihitung: %s.",
                               "the SHU of %u cannot be computed: %s."),
                        (unsigned)year, err_str(rc));
        goto out;
    }
    if (n == 0 && nfunds == 0) {
        ret = CLI_NEG;
        cli_acct_refuse(&a, "empty",
                        CLI_TR(a.lang, "tidak ada SHU untuk dibagi pada tahun %u.",
                               "there is no SHU to share for %u."),
                        (unsigned)year);
        goto out;
    }
    payable = cli_role_account(a.bk, P, PROTO_AR_SHU_PAYABLE, date);
    if (!payable) {
        ret = CLI_NEG;
        cli_acct_refuse(&a, "pattern",
                        CLI_TR(a.lang, "parameter tidak menyebut akun utang SHU (peran 7).",
                               "the parameters name no SHU payable account (role 7)."));
        goto out;
    }
    /* Plan the parts: at most 2000 rows and one entry's bytes each. */
    next = 0;
    starts[0] = 0;
    do {
        size_t size = 200 + PROTO_ACCT_MEMO_MAX + (nparts == 0 ? nfunds * 16u : 0), k = 0;

        while (next < n && k < PROTO_SHU_ROWS_MAX) {
            size_t rs = 1 + uint_size(rows[next].member) + uint_size(rows[next].jm) +
                        uint_size(rows[next].ju);

            if (size + rs > BODY_BUDGET)
                break;
            size += rs;
            next++;
            k++;
        }
        if (nparts == PROTO_SHU_ALLOC_PARTS_MAX) {
            cli_err("too many members for one allocation (%zu)", n);
            goto out;
        }
        starts[++nparts] = next;
    } while (next < n);
    al = calloc(1, sizeof *al);
    if (!al) {
        cli_err("out of memory");
        goto out;
    }
    /* What the parts need from the books, copied: the books are reloaded between parts. */
    memcpy(res_id, books_item(a.bk, ri)->id, 32);
    {
        struct proto_close *c = malloc(sizeof *c);
        const uint8_t *raw;
        size_t len;

        raw = books_body_raw(a.bk, cl->item, &len);
        if (c && proto_close_decode(raw, len, c) == 0)
            source = c->current;
        free(c);
        if (!source) {
            cli_err("cannot read the close");
            goto out;
        }
    }
    ret = CLI_OK;
    for (size_t p = 0; p < nparts && ret == CLI_OK; p++) {
        struct proto_buf body;
        struct proto_line *lines = NULL;
        int nl;

        memset(al, 0, sizeof *al);
        al->year = year;
        memcpy(al->close, close_id, 32);
        memcpy(al->resolution, res_id, 32);
        al->date = date;
        al->part = (uint32_t)p;
        al->parts = (uint32_t)nparts;
        al->source_account = source;
        al->payable_account = payable;
        if (p == 0) {
            al->nfunds = nfunds;
            memcpy(al->funds, funds, nfunds * sizeof *funds);
        }
        for (size_t k = starts[p]; k < starts[p + 1]; k++)
            al->rows[al->nrows++] = rows[k];
        memcpy(al->memo, memo, sizeof al->memo);
        proto_buf_init(&body);
        nl = proto_shu_allocate_postings(al, NULL, 0);
        if (nl < 0 || !(lines = calloc((size_t)nl + 1, sizeof *lines)) ||
            proto_shu_allocate_postings(al, lines, (size_t)nl) != nl ||
            proto_shu_allocate_encode(al, &body) < 0) {
            cli_err("cannot build the allocation: %s", err_str(nl < 0 ? nl : -ENOMEM));
            free(lines);
            proto_buf_release(&body);
            ret = CLI_RUNTIME;
            break;
        }
        snprintf(summary, sizeof summary,
                 CLI_TR(a.lang, "Pembagian SHU %u, bagian %zu dari %zu: %u dana, %u anggota, %s",
                        "SHU allocation of %u, part %zu of %zu: %u funds, %u members, %s"),
                 (unsigned)year, p + 1, nparts, (unsigned)al->nfunds, (unsigned)al->nrows,
                 cli_rupiah(proto_shu_allocate_total(al), amt));
        if (p > 0 && !a.dry_run) {
            books_free(a.bk); /* the books before this part include the parts just written */
            a.bk = NULL;
            if (cli_books_load(a.st, &a.bk) < 0) {
                free(lines);
                proto_buf_release(&body);
                ret = CLI_RUNTIME;
                break;
            }
        }
        {
            struct cli_write w = {PROTO_KIND_SHU_ALLOCATE,
                                  body.data,
                                  body.len,
                                  lines,
                                  (size_t)nl,
                                  summary,
                                  date,
                                  0,
                                  proto_shu_allocate_total(al)};

            ret = cli_acct_write_raw(&a, &w);
        }
        free(lines);
        proto_buf_release(&body);
    }
out:
    free(al);
    free(rows);
    cli_acct_close(&a);
    return ret;
}

/* A shu-pay to member m that waits (approvals or the member's signature), or SIZE_MAX. */
static size_t pay_waiting(const struct books *bk, uint32_t m)
{
    for (size_t i = 0; i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind == PROTO_KIND_SHU_PAY && it->status == BOOKS_WAITING && it->member == m)
            return i;
    }
    return SIZE_MAX;
}

static int pay_one(struct cli_acct *a, const struct proto_params *P, uint32_t year, uint32_t m,
                   uint32_t date, bool cash, const char *memo)
{
    struct proto_shu_pay p;
    struct proto_buf body;
    struct proto_line lines[2];
    uint32_t payable = cli_role_account(a->bk, P, PROTO_AR_SHU_PAYABLE, date), to;
    int64_t owed = payable ? cli_books_balance(a->bk, m, payable, date) : 0;
    const struct proto_account *acc;
    char amt[40], summary[200];
    int n, ret;

    size_t waiting = pay_waiting(a->bk, m);

    if (waiting != SIZE_MAX) {
        char hex[9];

        cli_acct_refuse(a, "waiting",
                        CLI_TR(a->lang,
                               "pembayaran SHU anggota %u sudah menunggu (%s); setujui atau "
                               "batalkan dulu.",
                               "a payment of member %u's SHU is waiting already (%s); approve "
                               "it first."),
                        (unsigned)m, cli_hex(books_item(a->bk, waiting)->id, 4, hex));
        return CLI_NEG;
    }
    if (owed <= 0) {
        cli_acct_refuse(a, "overdrawn",
                        CLI_TR(a->lang, "anggota %u tidak punya SHU yang belum dibayar.",
                               "member %u is owed no SHU."),
                        (unsigned)m);
        return CLI_NEG;
    }
    if (cash) {
        to = cli_role_account(a->bk, P, PROTO_AR_CASH, date);
    } else {
        const struct proto_savings_product *sp = cli_product_of_class(P, PROTO_SAV_SUKARELA);

        to = sp ? sp->account : 0;
    }
    if (!to) {
        cli_acct_refuse(a, "pattern",
                        CLI_TR(a->lang, "parameter tidak menyebut akun %s.",
                               "the parameters name no %s account."),
                        cash ? "kas" : "simpanan sukarela");
        return CLI_NEG;
    }
    memset(&p, 0, sizeof p);
    p.member = m;
    p.date = date;
    p.year = year;
    p.amount = (uint64_t)owed;
    p.payable_account = payable;
    p.to_account = to;
    memcpy(p.memo, memo, sizeof p.memo);
    acc = books_account(a->bk, to, date);
    n = proto_shu_pay_postings(&p, acc && acc->sub, lines, 2);
    proto_buf_init(&body);
    if (n != 2 || proto_shu_pay_encode(&p, &body) < 0) {
        cli_err("cannot build the payment");
        proto_buf_release(&body);
        return CLI_RUNTIME;
    }
    snprintf(summary, sizeof summary,
             CLI_TR(a->lang, "Pembayaran SHU %u anggota %u: %s ke %s",
                    "SHU %u payment to member %u: %s into %s"),
             (unsigned)year, (unsigned)m, cli_rupiah((uint64_t)owed, amt),
             cash ? CLI_TR(a->lang, "kas", "cash")
                  : CLI_TR(a->lang, "simpanan sukarela", "voluntary savings"));
    {
        struct cli_write w = {PROTO_KIND_SHU_PAY, body.data, body.len, lines, 2, summary, date, m,
                              (uint64_t)owed};

        ret = cli_acct_write_raw(a, &w);
    }
    proto_buf_release(&body);
    return ret;
}

static int shu_pay(int argc, char **argv, struct cli_ctx *ctx)
{
    static const int allowed[] = {OPT_YEAR, OPT_MEMBER, OPT_ALL, OPT_TO, 0};
    const char *cmd = "shu pay";
    struct cli_acct a;
    struct yargs y;
    const struct proto_params *P;
    uint32_t year = 0, date, member = 0;
    bool cash = false;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
    int ret;

    memset(&a, 0, sizeof a);
    memset(&y, 0, sizeof y);
    a.json = ctx->json;
    if ((ret = yparse(cmd, shu_usage, allowed, argc, argv, &a, &y)) >= 0 ||
        (ret = year_parse(cmd, y.year, &year)) >= 0 || (ret = date_memo(cmd, &y, &date, memo)) >= 0)
        return ret;
    if (!y.member == !y.all)
        return cli_usage(cmd, "give --member N or --all");
    if (y.member) {
        uint64_t v;

        if (cli_uint_parse(y.member, 1, UINT32_MAX, &v) < 0)
            return cli_usage(cmd, "invalid --member '%s'", y.member);
        member = (uint32_t)v;
    }
    if (y.to) {
        if (strcmp(y.to, "kas") == 0 || strcmp(y.to, "cash") == 0)
            cash = true;
        else if (strcmp(y.to, "sukarela") != 0)
            return cli_usage(cmd, "invalid --to '%s' (sukarela or kas)", y.to);
    }
    if ((ret = cli_acct_open(ctx, &a)) != CLI_OK)
        return ret;
    ret = CLI_NEG;
    if (!(P = cli_acct_params(&a, date, PROTO_KIND_SHU_PAY)))
        goto out;
    if (member) {
        ret = pay_one(&a, P, year, member, date, cash, memo);
    } else {
        const uint32_t *ms;
        size_t nm = books_members(a.bk, &ms);
        uint32_t payable = cli_role_account(a.bk, P, PROTO_AR_SHU_PAYABLE, date);
        uint32_t *owed = malloc((nm + 1) * sizeof *owed);
        size_t no = 0;

        if (!owed) {
            cli_err("out of memory");
            ret = CLI_RUNTIME;
            goto out;
        }
        for (size_t i = 0; i < nm; i++) {
            if (!payable || cli_books_balance(a.bk, ms[i], payable, date) <= 0)
                continue;
            if (pay_waiting(a.bk, ms[i]) != SIZE_MAX) {
                fprintf(stderr,
                        CLI_TR(a.lang,
                               "saksi: catatan: pembayaran SHU anggota %u sudah menunggu; "
                               "dilewati.\n",
                               "saksi: note: a payment of member %u's SHU waits already; "
                               "skipped.\n"),
                        (unsigned)ms[i]);
                continue;
            }
            owed[no++] = ms[i];
        }
        ret = CLI_OK;
        for (size_t i = 0; i < no && ret == CLI_OK; i++) {
            if (i > 0 && !a.dry_run) {
                books_free(a.bk);
                a.bk = NULL;
                if (cli_books_load(a.st, &a.bk) < 0) {
                    ret = CLI_RUNTIME;
                    break;
                }
                /* P lived in the books just freed. */
                if (!(P = cli_acct_params(&a, date, PROTO_KIND_SHU_PAY))) {
                    ret = CLI_NEG;
                    break;
                }
            }
            ret = pay_one(&a, P, year, owed[i], date, cash, memo);
        }
        free(owed);
        if (no == 0) {
            cli_acct_refuse(&a, "empty",
                            CLI_TR(a.lang, "tidak ada anggota dengan SHU yang belum dibayar.",
                                   "no member is owed SHU."));
            ret = CLI_NEG;
        }
    }
out:
    cli_acct_close(&a);
    return ret;
}

int cmd_shu(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc >= 2 && strcmp(argv[1], "allocate") == 0)
        return shu_allocate(argc - 1, argv + 1, ctx);
    if (argc >= 2 && strcmp(argv[1], "pay") == 0)
        return shu_pay(argc - 1, argv + 1, ctx);
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        shu_usage(stdout);
        return cli_stdout_done();
    }
    if (argc < 2)
        return cli_usage("shu", "missing subcommand: allocate or pay");
    return cli_usage("shu", "unknown subcommand '%s' (allocate, pay)", argv[1]);
}
