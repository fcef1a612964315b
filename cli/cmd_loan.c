/*
 * Loans: `saksi loan apply|approve|disburse|repay|latefee|schedule|list` (docs/ACCOUNTING.md 3.7
 * and 8.1). The writes follow the flow of every accounting write (cmd_acct.c): the rules the CLI
 * can name with figures are checked first (the product's plafon and tenor, the savings multiple,
 * what is due, what is overdue), then the books are derived with the candidate entry added and
 * any new finding refuses it, and only then is the entry authored and its status printed. The
 * figures shown before a write are the ones the books will check: the schedule comes from
 * proto_loan_schedule_build on the application's terms, a repayment's default split is
 * proto_loan_allocate over what is due on its date (3.7.3's allocation check), and a late fee is
 * proto_loan_late_fee on the unpaid part of the oldest overdue installment. A flat rate is always
 * shown with its effective rate and EAR (6.11).
 */
#include "cli/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/close.h"
#include "proto/err.h"
#include "proto/loan.h"

#define LINE_WIDTH 100

enum {
    OPT_PRODUCT = 256,
    OPT_PRINCIPAL,
    OPT_PERIODS,
    OPT_PURPOSE,
    OPT_MEMBER,
    OPT_DATE,
    OPT_MEMO,
    OPT_CASH,
    OPT_SPLIT,
    OPT_INSTALLMENT,
    OPT_REJECT,
    OPT_NOTE,
    OPT_AS_OF,
    OPT_DRY_RUN,
    OPT_JSON,
    OPT_LANG,
    OPT_RESOLUTION,
};

/* Every option of the loan subcommands; each subcommand's table accepts its own. */
struct loan_args {
    const char *product, *principal, *periods, *purpose, *member, *date, *memo, *cash, *split,
        *installment, *note, *as_of, *resolution;
    bool reject, dry_run, json;
    int lang;
    const char *pos[2];
    int npos;
};

/* Parses the options of cmd into g, and up to maxpos positional arguments. -1 to go on, else an
 * exit code (--help printed, or a usage error). */
static int args_parse(const char *cmd, void (*usage)(FILE *), const struct option *opts, int argc,
                      char **argv, int maxpos, struct loan_args *g)
{
    int c;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_stdout_done();
        case OPT_PRODUCT:
            g->product = optarg;
            break;
        case OPT_PRINCIPAL:
            g->principal = optarg;
            break;
        case OPT_PERIODS:
            g->periods = optarg;
            break;
        case OPT_PURPOSE:
            g->purpose = optarg;
            break;
        case OPT_MEMBER:
            g->member = optarg;
            break;
        case OPT_DATE:
            g->date = optarg;
            break;
        case OPT_MEMO:
            g->memo = optarg;
            break;
        case OPT_CASH:
            g->cash = optarg;
            break;
        case OPT_SPLIT:
            g->split = optarg;
            break;
        case OPT_INSTALLMENT:
            g->installment = optarg;
            break;
        case OPT_REJECT:
            g->reject = true;
            break;
        case OPT_NOTE:
            g->note = optarg;
            break;
        case OPT_AS_OF:
            g->as_of = optarg;
            break;
        case OPT_RESOLUTION:
            g->resolution = optarg;
            break;
        case OPT_DRY_RUN:
            g->dry_run = true;
            break;
        case OPT_JSON:
            g->json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt(cmd, optarg, &g->lang) != 0)
                return CLI_USAGE;
            break;
        default:
            return cli_opt_error(cmd, c, argv);
        }
    }
    for (; optind < argc; optind++) {
        if (g->npos >= maxpos)
            return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
        g->pos[g->npos++] = argv[optind];
    }
    return -1;
}

/* The business date (--date, default today) and the memo. -1 to go on, else an exit code. */
static int date_memo(const char *cmd, const struct loan_args *g, uint32_t *date, char *memo)
{
    *date = cli_today();
    if (g->date && cli_date_parse(g->date, date) < 0)
        return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", g->date);
    memo[0] = '\0';
    if (g->memo) {
        size_t n = strlen(g->memo);

        if (n > PROTO_ACCT_MEMO_MAX)
            return cli_usage(cmd, "the memo is too long (%zu bytes, at most %d)", n,
                             PROTO_ACCT_MEMO_MAX);
        if (!cli_text_ok(g->memo, n, false))
            return cli_usage(cmd, "the memo must be UTF-8 text without control characters");
        memcpy(memo, g->memo, n + 1);
    }
    return -1;
}

/* ---- text that grows: the figures shown before a write ---- */

struct text {
    char *p;
    size_t len, cap;
    bool oom;
};

static void tx_printf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tx_printf(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->oom)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->oom = true;
        return;
    }
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = (t->len + (size_t)n + 1) * 2;
        char *p = realloc(t->p, cap);

        if (!p) {
            t->oom = true;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* ---- figures ---- */

/* A rate in ppm (of any size) as a percentage with up to 4 decimals, like cli_ppm_str. */
static const char *pct_str(uint64_t ppm, int lang, char buf[32])
{
    unsigned long long whole = ppm / 10000;
    unsigned frac = (unsigned)(ppm % 10000);
    char f[8];
    int n;

    if (frac == 0) {
        snprintf(buf, 32, "%llu%%", whole);
        return buf;
    }
    n = snprintf(f, sizeof f, "%04u", frac);
    while (n > 0 && f[n - 1] == '0')
        f[--n] = '\0';
    snprintf(buf, 32, "%llu%c%s%%", whole, lang == CLI_LANG_EN ? '.' : ',', f);
    return buf;
}

/* The annual rate of a product (ACCOUNTING.md 1.2: a monthly rate times 12, exactly). */
static uint32_t product_annual(const struct proto_loan_product *lp)
{
    uint64_t r = lp->rate_period == 1 ? (uint64_t)lp->rate_ppm * 12 : lp->rate_ppm;

    return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

struct rates {
    uint32_t annual;    /* nominal annual rate, ppm */
    uint32_t effective; /* flat: the effective (annuity-equivalent) annual rate; else annual */
    uint64_t ear;       /* (1 + effective / 12)^12 - 1 */
    bool has_effective, has_ear;
};

static void rates_of(uint8_t method, uint32_t annual, uint32_t periods, struct rates *r)
{
    memset(r, 0, sizeof *r);
    r->annual = annual;
    r->effective = annual;
    if (method == PROTO_LOAN_FLAT)
        r->has_effective = proto_loan_flat_effective(annual, periods, &r->effective) == 0;
    r->has_ear = proto_loan_rate_ear(r->effective, &r->ear) == 0;
}

/* "1,5%/bulan (18%/tahun)": a monthly figure (rounded to the ppm) and the annual one. */
static const char *rate_pair(uint32_t annual, int lang, char *buf, size_t size)
{
    char m[32], y[32];

    snprintf(buf, size, "%s/%s (%s/%s)", pct_str(((uint64_t)annual + 6) / 12, lang, m),
             CLI_TR(lang, "bulan", "month"), pct_str(annual, lang, y),
             CLI_TR(lang, "tahun", "year"));
    return buf;
}

/*
 * The rate as text: part 1 "flat 1,5%/bulan (18%/tahun)"; part 2 "efektif 2,643%/bulan
 * (31,7164%/tahun); EAR 36,7583%" (for a flat rate; else "EAR ..."); part 0 both, joined by
 * "; ". Text output prints the two parts on two lines to stay within 100 columns.
 */
static const char *rate_text(uint8_t method, const struct rates *r, int lang, int part, char *buf,
                             size_t size)
{
    char a[64], e[64], ear[32];
    size_t o = 0;

    buf[0] = '\0';
    if (part != 2)
        o = (size_t)snprintf(buf, size, "%s %s", cli_method_label(method, lang),
                             rate_pair(r->annual, lang, a, sizeof a));
    if (part == 1 || o >= size)
        return buf;
    if (method == PROTO_LOAN_FLAT && r->has_effective)
        o += (size_t)snprintf(buf + o, size - o, "%s%s %s", o ? "; " : "",
                              cli_label(lang, "effective_rate"),
                              rate_pair(r->effective, lang, e, sizeof e));
    if (r->has_ear && o < size)
        snprintf(buf + o, size - o, "%sEAR %s", o ? "; " : "", pct_str(r->ear, lang, ear));
    return buf;
}

/* The loan product P.code, or a refusal listing the known codes. */
static const struct proto_loan_product *product_arg(struct cli_acct *a,
                                                    const struct proto_params *P, const char *code)
{
    const struct proto_loan_product *lp = proto_params_loan(P, code);
    char list[200];
    size_t o = 0;

    if (lp)
        return lp;
    list[0] = '\0';
    for (uint32_t i = 0; i < P->nloans && o < sizeof list; i++) {
        int w = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", P->loans[i].code);

        if (w < 0 || (size_t)w >= sizeof list - o)
            break;
        o += (size_t)w;
    }
    cli_acct_refuse(a, "product",
                    CLI_TR(a->lang, "produk pinjaman '%s' tidak dikenal. Produk yang ada: %s.",
                           "unknown loan product '%s'. The products are: %s."),
                    code, list[0] ? list : "-");
    return NULL;
}

/* multiple (ppm) of savings, rounded down, as the books compute the limit. */
static uint64_t limit_of(int64_t savings, uint32_t multiple_ppm)
{
    uint64_t sv = savings > 0 ? (uint64_t)savings : 0;

    return sv / 1000000 * multiple_ppm + sv % 1000000 * multiple_ppm / 1000000;
}

/* The fees of a product on a principal: fixed, or ppm of the principal rounded per rnd. Rows of
 * amount 0 are left out. Returns the count. */
static uint32_t product_fees(const struct proto_loan_product *lp, uint64_t principal,
                             const struct proto_loan_rounding *rnd, struct proto_acct_row *out)
{
    uint32_t n = 0;

    for (uint32_t k = 0; k < lp->nfees && k < PROTO_ACCT_FEES_MAX; k++) {
        uint64_t amt = 0;

        if (lp->fees[k].type == 1)
            amt = lp->fees[k].value;
        else if (proto_loan_muldiv(principal, lp->fees[k].value, PROTO_LOAN_PPM, rnd, &amt) < 0)
            amt = 0;
        if (amt == 0)
            continue;
        out[n].account = lp->fees[k].account;
        out[n++].amount = amt;
    }
    return n;
}

static uint64_t rows_sum(const struct proto_acct_row *r, uint32_t n)
{
    uint64_t s = 0;

    for (uint32_t k = 0; k < n; k++)
        s += r[k].amount;
    return s;
}

/* The schedule of an application's terms with disbursement day ymd. */
static int app_schedule(const struct proto_loan_apply *app, uint32_t ymd,
                        struct proto_loan_schedule *s)
{
    struct proto_loan_terms t;
    int rc;

    memset(&t, 0, sizeof t);
    t.principal = app->principal;
    t.rate_ppm = app->rate_ppm;
    t.periods = app->periods;
    t.method = app->method;
    t.round = app->rounding;
    rc = proto_day_from_ymd(ymd, &t.disbursed);
    if (rc < 0)
        return rc;
    return proto_loan_schedule_build(&t, s);
}

static uint32_t ymd_of(int32_t day)
{
    uint32_t ymd = 0;

    (void)proto_day_to_ymd(day, &ymd);
    return ymd;
}

static int32_t day_of(uint32_t ymd)
{
    int32_t d = 0;

    (void)proto_day_from_ymd(ymd, &d);
    return d;
}

/* The first item of kind on loan id with the given status (NULL when none), e.g. a disbursement
 * that waits for the borrower's countersignature. */
static const struct books_item *loan_item(const struct books *bk, const uint8_t id[32],
                                          uint32_t kind, int status)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    const struct books_item *found = NULL;

    for (size_t i = 0; b && !found && i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);
        const uint8_t *ref;

        if (it->kind != kind || it->status != status || books_body(bk, i, b) < 0)
            continue;
        ref = kind == PROTO_KIND_LOAN_DISBURSE ? b->u.disburse.loan
              : kind == PROTO_KIND_LOAN_REPAY  ? b->u.repay.loan
                                               : b->u.latefee.loan;
        if (memcmp(ref, id, 32) == 0)
            found = it;
    }
    free(b);
    return found;
}

/*
 * Warns when loan id has a repayment or late fee dated ymd already: the books take one loan's
 * entries of a day in id order, which nobody chooses, so the new entry may be judged before the
 * other one (a late fee not yet due when the repayment pays it, say) and get a finding.
 */
static void same_day_warn(const struct books *bk, const uint8_t id[32], uint32_t ymd, int lang)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    char hex[9], d[11];

    for (size_t i = 0; b && i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);
        const uint8_t *ref;

        if ((it->kind != PROTO_KIND_LOAN_REPAY && it->kind != PROTO_KIND_LATE_FEE) ||
            it->status != BOOKS_EFFECTIVE || it->date != ymd || books_body(bk, i, b) < 0)
            continue;
        ref = it->kind == PROTO_KIND_LOAN_REPAY ? b->u.repay.loan : b->u.latefee.loan;
        if (memcmp(ref, id, 32) != 0)
            continue;
        cli_warn(CLI_TR(lang,
                        "%s %s pinjaman ini juga bertanggal %s; buku mengurutkan entri satu hari "
                        "menurut ID, jadi entri baru bisa dinilai lebih dulu dan mendapat temuan. "
                        "Bila bisa, beri tanggal hari berikutnya.",
                        "%s %s of this loan is dated %s too; the books order one day's entries "
                        "by id, so the new entry may be judged first and get a finding. Date it "
                        "the next day if you can."),
                 cli_kind_label(it->kind, lang), cli_hex(it->id, 4, hex), cli_date_dmy(ymd, d));
        break;
    }
    free(b);
}

/* Late fees charged on installment k of loan id, effective and dated up to ymd. */
static uint64_t fees_charged(const struct books *bk, const uint8_t id[32], uint32_t k, uint32_t ymd)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    uint64_t sum = 0;

    for (size_t i = 0; b && i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != PROTO_KIND_LATE_FEE || it->status != BOOKS_EFFECTIVE || it->date > ymd ||
            books_body(bk, i, b) < 0)
            continue;
        if (memcmp(b->u.latefee.loan, id, 32) == 0 && b->u.latefee.installment == k)
            sum += b->u.latefee.amount;
    }
    free(b);
    return sum;
}

/*
 * What a disbursed loan owes at the end of ymd, as 3.7.3's allocation check sees it for an entry
 * dated ymd: penalty due (late fees - penalty paid), interest and principal of the installments
 * due on or before ymd less what was paid of each, the outstanding principal and the interest
 * the schedule has left. *s gets the schedule.
 */
struct loan_pos {
    struct books_loan_state st;
    struct proto_loan_due due;
    uint64_t interest_left;
    uint64_t outstanding; /* principal less principal paid: the receivable's balance */
};

static int loan_position(const struct books *bk, const struct books_loan *l, uint32_t ymd,
                         struct proto_loan_schedule *s, struct loan_pos *o)
{
    uint64_t si = 0, sp = 0;
    int32_t day = day_of(ymd);
    int rc;

    memset(o, 0, sizeof *o);
    rc = books_loan_schedule(bk, l, s);
    if (rc == 0)
        rc = books_loan_state(bk, l, ymd, &o->st);
    if (rc < 0)
        return rc;
    for (uint32_t k = 0; k < s->n && s->inst[k].due <= day; k++) {
        si += s->inst[k].interest;
        sp += s->inst[k].principal;
    }
    o->due.penalty = o->st.penalty_due;
    o->due.interest = si > o->st.interest_paid ? si - o->st.interest_paid : 0;
    o->due.principal = sp > o->st.principal_paid ? sp - o->st.principal_paid : 0;
    o->interest_left =
        s->sum_interest > o->st.interest_paid ? s->sum_interest - o->st.interest_paid : 0;
    /* Not st.outstanding: that one comes from the schedule's own allocation of the payments
     * (interest first), which differs from the principal actually credited once a payment has
     * prepaid principal; the overpayment rule counts principal paid. */
    o->outstanding =
        s->sum_principal > o->st.principal_paid ? s->sum_principal - o->st.principal_paid : 0;
    return 0;
}

/* The unpaid part of installment k (1-based) when paid (interest + principal) has gone to the
 * installments oldest first. */
static uint64_t unpaid_of(const struct proto_loan_schedule *s, uint32_t k, uint64_t paid)
{
    uint64_t before = 0, got;

    for (uint32_t j = 0; j + 1 < k; j++)
        before += s->inst[j].total;
    got = paid > before ? paid - before : 0;
    return got >= s->inst[k - 1].total ? 0 : s->inst[k - 1].total - got;
}

/* Resolves ID to a loan application; *l is its loan (NULL when the application is void,
 * malformed or cancelled). -1 to go on, else an exit code. */
static int loan_arg(const struct books *bk, const char *cmd, const char *arg, size_t *idx,
                    const struct books_loan **l)
{
    int ret = cli_item_resolve(bk, cmd, arg, PROTO_KIND_LOAN_APPLY, idx);

    if (ret >= 0)
        return ret;
    *l = books_loan_find(bk, books_item(bk, *idx)->id);
    return -1;
}

/* Refuses a write on a loan that is not disbursed by date. Returns true if refused. */
static bool not_disbursed(struct cli_acct *a, const struct books_loan *l, const uint8_t id[32],
                          uint32_t date)
{
    const struct books_item *w;
    char hex[9], hx2[9], d[11], d2[11], why[160];

    cli_hex(id, 4, hex);
    if (l && l->disbursed && l->disbursed <= date)
        return false;
    if (l && l->disbursed) {
        cli_acct_refuse(a, "date-order",
                        CLI_TR(a->lang,
                               "pinjaman %s baru dicairkan pada %s; tanggal %s sebelum itu.",
                               "loan %s was disbursed on %s only; %s is before that."),
                        hex, cli_date_dmy(l->disbursed, d), cli_date_dmy(date, d2));
        return true;
    }
    w = l ? loan_item(a->bk, id, PROTO_KIND_LOAN_DISBURSE, BOOKS_WAITING) : NULL;
    if (w)
        cli_acct_refuse(a, "prerequisite",
                        CLI_TR(a->lang,
                               "pinjaman %s belum dicairkan: pencairan %s masih %s. Catat "
                               "pembayaran setelah pencairan berlaku.",
                               "loan %s is not disbursed yet: disbursement %s is still %s. Record "
                               "payments once the disbursement is in effect."),
                        hex, cli_hex(w->id, 4, hx2), cli_wait_str(w, a->lang, why, sizeof why));
    else
        cli_acct_refuse(a, "prerequisite",
                        CLI_TR(a->lang, "pinjaman %s belum dicairkan ('saksi loan disburse %s').",
                               "loan %s is not disbursed yet ('saksi loan disburse %s')."),
                        hex, hex);
    return true;
}

static const char *const purposes[] = {"",           "produktif", "konsumtif",
                                       "pendidikan", "kesehatan", "lainnya"};

/* ---- apply ---- */

static void apply_usage(FILE *f)
{
    fputs("usage: saksi loan apply --product P --principal AMT --periods N\n"
          "                        [--purpose produktif|konsumtif|pendidikan|kesehatan|lainnya]\n"
          "                        [--date D] [--memo TEXT] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Mengajukan pinjaman dari perangkat anggota sendiri (entri jenis 56).\n"
          "Applies for a loan (an entry of kind 56). Run it on the borrower's own device: the\n"
          "borrower is this device's member number, and an application written on anyone\n"
          "else's device has no effect (not-borrower). The rate, method, rounding, accounts and\n"
          "fees come from the loan product P in force on the date ('saksi params show' lists\n"
          "the products). The schedule is shown first: the installment, the total interest,\n"
          "and a flat rate with its effective rate and EAR. The application then waits for the\n"
          "approvals the parameters ask for ('saksi loan approve ID' on each approver's\n"
          "device); nothing is paid out until 'saksi loan disburse'.\n"
          "\n"
          "Refused (exit 1, nothing written) when the product is unknown (product), the\n"
          "principal or the number of installments is outside the product's range (terms), the\n"
          "principal exceeds the product's multiple of the member's savings (limit), the\n"
          "borrower is not an active member (non-member) or is past due on another loan\n"
          "(delinquent-borrower), or --member names someone else (not-borrower).\n"
          "\n"
          "options:\n"
          "  --product P      loan product code (e.g. PU, PA)\n"
          "  --principal AMT  the amount borrowed, whole rupiah (12.000.000)\n"
          "  --periods N      number of monthly installments\n"
          "  --purpose P      produktif, konsumtif, pendidikan, kesehatan or lainnya (default\n"
          "                   lainnya)\n"
          "  --member N       the borrower; must be this device's member (the default)\n"
          "  --date D         business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT      a note (at most 200 bytes)\n"
          "  --dry-run        check and show the schedule and the entry; write nothing\n"
          "  --json           print the result as one JSON object (with the schedule summary)\n"
          "  --lang id|en     language of the output (default id)\n"
          "  -h, --help       show this help\n"
          "\n"
          "example: saksi loan apply --product PU --principal 12.000.000 --periods 12\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

/* The schedule summary of an application as text lines and as JSON. */
static void schedule_summary(const struct proto_loan_apply *app,
                             const struct proto_loan_schedule *s, const struct rates *r, int lang,
                             struct text *t)
{
    char rt[256], r1[32], r2[32], r3[32];
    uint64_t fees = rows_sum(app->fees, app->nfees);

    tx_printf(t, CLI_TR(lang, "Produk %s: %s\n", "Product %s: %s\n"), app->product,
              rate_text(app->method, r, lang, 1, rt, sizeof rt));
    tx_printf(t, "  %s\n", rate_text(app->method, r, lang, 2, rt, sizeof rt));
    if (app->method == PROTO_LOAN_DECLINING)
        tx_printf(t,
                  CLI_TR(lang, "Angsuran pertama %s (pokok %s + bunga %s), menurun; %u bulan\n",
                         "First installment %s (principal %s + interest %s), declining; %u "
                         "months\n"),
                  cli_rupiah(s->inst[0].total, r1), cli_rupiah(s->inst[0].principal, r2),
                  cli_rupiah(s->inst[0].interest, r3), s->n);
    else
        tx_printf(t,
                  CLI_TR(lang, "Angsuran %s × %u bulan (pertama: pokok %s + bunga %s)\n",
                         "Installment %s × %u months (first: principal %s + interest %s)\n"),
                  cli_rupiah(s->installment, r1), s->n, cli_rupiah(s->inst[0].principal, r2),
                  cli_rupiah(s->inst[0].interest, r3));
    tx_printf(t,
              CLI_TR(lang, "Jumlah bunga %s; jumlah angsuran %s\n",
                     "Total interest %s; total installments %s\n"),
              cli_rupiah(s->sum_interest, r1), cli_rupiah(s->sum_total, r2));
    tx_printf(t,
              CLI_TR(lang, "Biaya saat pencairan %s; diterima bersih %s\n",
                     "Fees at disbursement %s; net paid out %s\n"),
              cli_rupiah(fees, r1),
              cli_rupiah(app->principal > fees ? app->principal - fees : 0, r2));
}

static json_t *rows_json(const struct proto_acct_row *r, uint32_t n)
{
    json_t *a = json_array();

    for (uint32_t k = 0; a && k < n; k++)
        if (json_array_append_new(a, json_pack("{s:i, s:o}", "account", (json_int_t)r[k].account,
                                               "amount", cli_json_u64(r[k].amount))) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *summary_json(const struct proto_loan_apply *app, const struct proto_loan_schedule *s,
                            const struct rates *r)
{
    uint64_t fees = rows_sum(app->fees, app->nfees);

    return json_pack("{s:s, s:o, s:i, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "product", app->product, "principal", cli_json_u64(app->principal), "periods",
                     (json_int_t)app->periods, "method", cli_method_label(app->method, CLI_LANG_EN),
                     "rate_ppm", (json_int_t)r->annual, "effective_rate_ppm",
                     app->method == PROTO_LOAN_FLAT && r->has_effective ? json_integer(r->effective)
                                                                        : json_null(),
                     "ear_ppm", r->has_ear ? cli_json_u64(r->ear) : json_null(), "installment",
                     cli_json_u64(s->installment), "first_principal",
                     cli_json_u64(s->inst[0].principal), "first_interest",
                     cli_json_u64(s->inst[0].interest), "total_interest",
                     cli_json_u64(s->sum_interest), "total", cli_json_u64(s->sum_total), "fees",
                     rows_json(app->fees, app->nfees), "fees_total", cli_json_u64(fees), "net",
                     cli_json_u64(app->principal > fees ? app->principal - fees : 0));
}

static int loan_apply(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"product", required_argument, NULL, OPT_PRODUCT},
        {"principal", required_argument, NULL, OPT_PRINCIPAL},
        {"periods", required_argument, NULL, OPT_PERIODS},
        {"purpose", required_argument, NULL, OPT_PURPOSE},
        {"member", required_argument, NULL, OPT_MEMBER},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan apply";
    struct loan_args g;
    struct cli_acct a;
    struct proto_acct_body *b = NULL;
    struct proto_loan_schedule *s = NULL;
    const struct proto_params *P;
    const struct proto_loan_product *lp;
    struct proto_loan_apply *app;
    struct text t = {NULL, 0, 0, false};
    struct rates rt;
    uint32_t date, periods, borrower, purpose = PROTO_PURPOSE_LAINNYA, member = 0;
    uint64_t principal, v;
    char memo[PROTO_ACCT_MEMO_MAX + 1], r1[32], r2[32], r3[40], d[11];
    int ret, rc;

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, apply_usage, opts, argc, argv, 0, &g);
    if (ret >= 0)
        return ret;
    if (!g.product)
        return cli_usage(cmd, "missing --product P (a loan product code, e.g. PU)");
    if (!g.principal)
        return cli_usage(cmd, "missing --principal AMT (the amount borrowed)");
    if (!g.periods)
        return cli_usage(cmd, "missing --periods N (the number of monthly installments)");
    if (cli_amount_parse(g.principal, &principal) < 0)
        return cli_usage(cmd, "invalid amount '%s' (whole rupiah: 12000000 or 12.000.000)",
                         g.principal);
    if (cli_uint_parse(g.periods, 1, PROTO_LOAN_PERIODS_MAX, &v) < 0)
        return cli_usage(cmd, "invalid --periods '%s' (1 to %u)", g.periods,
                         PROTO_LOAN_PERIODS_MAX);
    periods = (uint32_t)v;
    if (g.purpose) {
        purpose = 0;
        for (uint32_t k = 1; k <= PROTO_ACCT_PURPOSE_MAX; k++)
            if (strcmp(g.purpose, purposes[k]) == 0)
                purpose = k;
        if (!purpose)
            return cli_usage(cmd,
                             "unknown --purpose '%s' (produktif, konsumtif, pendidikan, "
                             "kesehatan or lainnya)",
                             g.purpose);
    }
    if (g.member) {
        if (cli_uint_parse(g.member, 1, PROTO_MEMBER_MAX, &v) < 0)
            return cli_usage(cmd, "invalid member number '%s'", g.member);
        member = (uint32_t)v;
    }
    ret = date_memo(cmd, &g, &date, memo);
    if (ret >= 0)
        return ret;

    memset(&a, 0, sizeof a);
    a.json = g.json;
    a.dry_run = g.dry_run;
    a.lang = g.lang;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, PROTO_KIND_LOAN_APPLY);
    if (!P)
        goto out;
    borrower = a.me.dev.member;
    if (member && member != borrower) {
        cli_acct_refuse(&a, "not-borrower",
                        CLI_TR(a.lang,
                               "pinjaman anggota %u harus diajukan dari perangkat anggota %u "
                               "sendiri; perangkat ini milik anggota %u. Pengajuan dari "
                               "perangkat lain tidak berlaku.",
                               "member %u's loan must be applied for on member %u's own device; "
                               "this device is member %u's. An application from another device "
                               "has no effect."),
                        member, member, borrower);
        goto out;
    }
    lp = product_arg(&a, P, g.product);
    if (!lp)
        goto out;
    if (principal < lp->principal_min || principal > lp->principal_max)
        cli_acct_refuse(&a, "terms",
                        CLI_TR(a.lang,
                               "plafon produk %s adalah %s sampai %s; pengajuan %s di luar "
                               "itu.",
                               "product %s lends %s to %s; %s is outside that range."),
                        lp->code, cli_rupiah(lp->principal_min, r1),
                        cli_rupiah(lp->principal_max, r2), cli_rupiah(principal, r3));
    if (periods < lp->periods_min || periods > lp->periods_max)
        cli_acct_refuse(&a, "terms",
                        CLI_TR(a.lang,
                               "tenor produk %s adalah %u sampai %u bulan; %u bulan di luar "
                               "itu.",
                               "product %s runs %u to %u months; %u months is outside that "
                               "range."),
                        lp->code, lp->periods_min, lp->periods_max, periods);
    {
        uint32_t adm = 0, ex = 0;
        int st = books_member_status(a.bk, borrower, date, &adm, &ex);

        if (st != BOOKS_MEMBER_ACTIVE && st != BOOKS_MEMBER_CALON && st != BOOKS_MEMBER_LUAR)
            cli_acct_refuse(&a, "non-member",
                            CLI_TR(a.lang,
                                   "anggota %u bukan anggota aktif pada %s (%s); hanya anggota "
                                   "yang boleh meminjam.",
                                   "member %u is not an active member on %s (%s); only members "
                                   "may borrow."),
                            borrower, cli_date_dmy(date, d), cli_member_status_label(st, a.lang));
    }
    /* 3.7.3 delinquent-borrower: another loan of the borrower past due on the date. */
    for (size_t i = 0; i < books_nloans(a.bk); i++) {
        const struct books_loan *o = books_loan_at(a.bk, i);
        struct books_loan_state ost;
        char hx[9];

        if (o->borrower != borrower || !o->disbursed || o->disbursed > date ||
            books_loan_state(a.bk, o, date, &ost) < 0 || ost.dpd == 0)
            continue;
        cli_acct_refuse(&a, "delinquent-borrower",
                        CLI_TR(a.lang,
                               "anggota %u menunggak pinjaman %s (%u hari, tunggakan %s) pada %s. "
                               "Lunasi tunggakannya dulu.",
                               "member %u is in arrears on loan %s (%u days, arrears %s) on %s. "
                               "Pay the arrears first."),
                        borrower, cli_hex(books_item(a.bk, o->item)->id, 4, hx), ost.dpd,
                        cli_rupiah(ost.arrears, r1), cli_date_dmy(date, d));
    }
    if (lp->savings_multiple_ppm) {
        int64_t sv = books_savings(a.bk, P, borrower, date);
        uint64_t cap = limit_of(sv, lp->savings_multiple_ppm);
        char pc[24];

        if (principal > cap)
            cli_acct_refuse(&a, "limit",
                            CLI_TR(a.lang,
                                   "pinjaman %s melebihi %s simpanan anggota %u (%s → batas %s). "
                                   "Kurangi --principal atau tambah simpanan dulu.",
                                   "loan %s exceeds %s of member %u's savings (%s → limit %s). "
                                   "Lower --principal or raise savings first."),
                            cli_rupiah(principal, r1),
                            cli_ppm_str(lp->savings_multiple_ppm, a.lang, pc), borrower,
                            cli_rupiah_signed(sv, false, r3), cli_rupiah(cap, r2));
    }
    if (a.refusals)
        goto out;

    b = calloc(1, sizeof *b);
    s = malloc(sizeof *s);
    if (!b || !s) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_LOAN_APPLY;
    app = &b->u.apply;
    app->borrower = borrower;
    app->date = date;
    memcpy(app->product, lp->code, sizeof app->product);
    app->principal = principal;
    app->periods = periods;
    app->rate_ppm = product_annual(lp);
    app->method = lp->method;
    app->rounding = P->rounding;
    app->receivable = lp->receivable;
    app->interest = lp->interest;
    app->penalty = lp->penalty;
    app->nfees = product_fees(lp, principal, &P->rounding, app->fees);
    app->purpose = (uint8_t)purpose;
    memcpy(app->memo, memo, sizeof app->memo);
    rc = app_schedule(app, date, s);
    if (rc < 0) {
        cli_acct_refuse(&a, "terms",
                        CLI_TR(a.lang, "syarat ini tidak menghasilkan jadwal angsuran (%s).",
                               "these terms do not make a repayment schedule (%s)."),
                        err_str(rc));
        goto out;
    }
    rates_of(app->method, app->rate_ppm, periods, &rt);
    schedule_summary(app, s, &rt, a.lang, &t);
    if (t.oom) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    a.pre_text = t.p;
    a.extra = json_pack("{s:o}", "schedule", summary_json(app, s, &rt));
    if (date > cli_today())
        cli_warn("the date %s lies in the future", cli_date_str(date, d));
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    free(t.p);
    free(s);
    free(b);
    cli_acct_close(&a);
    return ret;
}

/* ---- approve ---- */

static void approve_usage(FILE *f)
{
    fputs("usage: saksi loan approve ID [--reject] [--note TEXT] [--dry-run] [--json]\n"
          "                          [--lang id|en]\n"
          "\n"
          "Menyetujui (atau menolak) pengajuan pinjaman.\n"
          "Approves a loan application (an entry of kind 33 on it), as 'saksi approve' does,\n"
          "after showing the loan, the borrower's exposure (savings, other loans still\n"
          "outstanding or waiting) and which approvals are still missing. ID is the loan id (the\n"
          "application's entry id) or a unique prefix of at least 4 hex digits, as 'saksi loan\n"
          "list' shows it. The borrower's own signature never counts as an approval.\n"
          "\n"
          "Refused (exit 1) when this device wrote the application or signed it already, when\n"
          "its signature would count for nothing (self-approval, no-effect), or the application\n"
          "has no effect (void).\n"
          "\n"
          "options:\n"
          "  --reject       record a rejection instead of an approval\n"
          "  --note TEXT    a note with the signature (at most 200 bytes)\n"
          "  --dry-run      check and show what the approval would do; write nothing\n"
          "  --json         print the result as one JSON object (with the exposure)\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi loan approve 9a3c\n"
          "\n"
          "exit codes: 0 ok; 1 refused or no such loan; 2 usage error (or an ambiguous ID);\n"
          "            3 runtime error (I/O, store, lock)\n",
          f);
}

/* The borrower's exposure on ymd: savings per product account, other loans. */
static void exposure(const struct books *bk, const struct proto_params *P, uint32_t member,
                     size_t self_item, uint32_t ymd, int lang, struct text *t, json_t *jo)
{
    json_t *sav = json_array(), *loans = json_array();
    char r1[40], r2[32], r3[32], hex[9], d[11];
    int64_t total = 0;
    size_t nother = 0;

    tx_printf(t, CLI_TR(lang, "Simpanan anggota %u per %s:", "Member %u's savings on %s:"), member,
              cli_date_dmy(ymd, d));
    for (uint32_t k = 0; P && k < P->nsavings; k++) {
        bool seen = false;
        int64_t bal;

        for (uint32_t j = 0; j < k; j++)
            seen |= P->savings[j].account == P->savings[k].account;
        if (seen)
            continue;
        bal = books_balance_natural(bk, P->savings[k].account, member, ymd);
        total += bal;
        if (bal == 0)
            continue;
        tx_printf(t, " %s %s", P->savings[k].code, cli_rupiah_signed(bal, false, r1));
        json_array_append_new(sav, json_pack("{s:i, s:s, s:I}", "account",
                                             (json_int_t)P->savings[k].account, "product",
                                             P->savings[k].code, "balance", (json_int_t)bal));
    }
    tx_printf(t, CLI_TR(lang, "; jumlah %s\n", "; total %s\n"),
              cli_rupiah_signed(total, false, r1));
    for (size_t i = 0; i < books_nloans(bk); i++) {
        const struct books_loan *l = books_loan_at(bk, i);
        struct books_loan_state st;

        if (l->borrower != member || l->item == self_item ||
            books_loan_state(bk, l, ymd, &st) < 0 || st.status == BOOKS_LOAN_PAID)
            continue;
        if (nother++ == 0)
            tx_printf(t, "%s:\n", CLI_TR(lang, "Pinjaman lain", "Other loans"));
        cli_hex(books_item(bk, l->item)->id, 4, hex);
        if (st.status == BOOKS_LOAN_DISBURSED)
            tx_printf(t,
                      CLI_TR(lang, "  %s %s %s: sisa pokok %s, tunggakan %s, %u hari\n",
                             "  %s %s %s: outstanding %s, arrears %s, %u days past due\n"),
                      hex, l->product, cli_loan_status_label(st.status, lang),
                      cli_rupiah(st.outstanding, r2), cli_rupiah(st.arrears, r3), st.dpd);
        else
            tx_printf(t, CLI_TR(lang, "  %s %s %s: pokok %s\n", "  %s %s %s: principal %s\n"), hex,
                      l->product, cli_loan_status_label(st.status, lang),
                      cli_rupiah(l->principal, r2));
        json_array_append_new(
            loans,
            json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:i}", "loan",
                      cli_json_hex(books_item(bk, l->item)->id, 32), "product", l->product,
                      "status", cli_loan_status_label(st.status, CLI_LANG_EN), "principal",
                      cli_json_u64(l->principal), "outstanding", cli_json_u64(st.outstanding),
                      "arrears", cli_json_u64(st.arrears), "days_past_due", (json_int_t)st.dpd));
    }
    if (nother == 0)
        tx_printf(t, "%s\n", CLI_TR(lang, "Pinjaman lain: tidak ada", "Other loans: none"));
    json_object_set_new(jo, "exposure",
                        json_pack("{s:s, s:I, s:o, s:o}", "as_of", cli_date_str(ymd, d), "savings",
                                  (json_int_t)total, "savings_accounts", sav, "loans", loans));
}

static int loan_approve(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"reject", no_argument, NULL, OPT_REJECT},
        {"note", required_argument, NULL, OPT_NOTE},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan approve";
    struct loan_args g;
    struct cli_acct a;
    struct proto_acct_body *b = NULL;
    struct proto_loan_schedule *s = NULL;
    const struct books_loan *l = NULL;
    const struct books_item *it;
    struct text t = {NULL, 0, 0, false};
    struct rates rt;
    size_t idx = 0;
    uint32_t as_of;
    char hex[9], d[11], r1[32], r2[32], rtx[256], w[160];
    int ret;

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, approve_usage, opts, argc, argv, 1, &g);
    if (ret >= 0)
        return ret;
    if (g.npos == 0)
        return cli_usage(cmd, "missing the loan ID (see 'saksi loan list')");
    if (g.note &&
        (strlen(g.note) > PROTO_ACCT_MEMO_MAX || !cli_text_ok(g.note, strlen(g.note), false)))
        return cli_usage(cmd, "the note must be UTF-8 text of at most %d bytes",
                         PROTO_ACCT_MEMO_MAX);
    memset(&a, 0, sizeof a);
    a.json = g.json;
    a.dry_run = g.dry_run;
    a.lang = g.lang;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = loan_arg(a.bk, cmd, g.pos[0], &idx, &l);
    if (ret >= 0)
        goto out;
    ret = CLI_RUNTIME;
    it = books_item(a.bk, idx);
    b = malloc(sizeof *b);
    s = malloc(sizeof *s);
    a.extra = json_object();
    if (!b || !s || !a.extra) {
        cli_err("out of memory");
        goto out;
    }
    if (books_body(a.bk, idx, b) == 0) {
        const struct proto_loan_apply *app = &b->u.apply;

        cli_hex(it->id, 4, hex);
        rates_of(app->method, app->rate_ppm, app->periods, &rt);
        tx_printf(&t,
                  CLI_TR(a.lang,
                         "Pinjaman %s: anggota %u, %s, %s × %u bulan, tujuan %s, diajukan %s\n",
                         "Loan %s: member %u, %s, %s × %u months, purpose %s, applied %s\n"),
                  hex, app->borrower, app->product, cli_rupiah(app->principal, r1), app->periods,
                  cli_purpose_label(app->purpose, a.lang), cli_date_dmy(app->date, d));
        tx_printf(&t, "  %s\n", rate_text(app->method, &rt, a.lang, 0, rtx, sizeof rtx));
        if (app_schedule(app, app->date, s) == 0)
            tx_printf(&t,
                      CLI_TR(a.lang, "  angsuran %s; jumlah bunga %s\n",
                             "  installment %s; total interest %s\n"),
                      cli_rupiah(s->installment, r1), cli_rupiah(s->sum_interest, r2));
        as_of = cli_today() > app->date ? cli_today() : app->date;
        exposure(a.bk, books_params_at(a.bk, as_of), app->borrower, idx, as_of, a.lang, &t,
                 a.extra);
        json_object_set_new(a.extra, "loan",
                            json_pack("{s:o, s:i, s:o}", "id", cli_json_hex(it->id, 32), "borrower",
                                      (json_int_t)app->borrower, "schedule",
                                      app_schedule(app, app->date, s) == 0
                                          ? summary_json(app, s, &rt)
                                          : json_null()));
    }
    if (it->status == BOOKS_WAITING) {
        tx_printf(&t,
                  CLI_TR(a.lang, "Sebelum tanda tangan ini: %s\n", "Before this signature: %s\n"),
                  cli_wait_str(it, a.lang, w, sizeof w));
        json_object_set_new(a.extra, "missing_before", json_string(w));
    }
    if (t.oom) {
        cli_err("out of memory");
        goto out;
    }
    a.pre_text = t.p;
    ret = cli_acct_sign(&a, idx, g.reject, g.note);
out:
    json_decref(a.extra);
    free(t.p);
    free(s);
    free(b);
    cli_acct_close(&a);
    return ret;
}

/* ---- disburse ---- */

static void disburse_usage(FILE *f)
{
    fputs("usage: saksi loan disburse ID [--cash ACCT] [--date D] [--memo TEXT] [--dry-run]\n"
          "                           [--json] [--lang id|en]\n"
          "\n"
          "Mencatat pencairan pinjaman (entri jenis 57).\n"
          "Records the disbursement of an approved loan (an entry of kind 57): Dr the loan\n"
          "receivable on the borrower's sub-ledger for the principal / Cr cash for the net paid\n"
          "out, Cr the fee accounts for the fees the application agreed to. By default it waits\n"
          "for the borrower's countersignature: the borrower confirms receipt with 'saksi\n"
          "approve ID' on their own device, and only then is the loan disbursed.\n"
          "\n"
          "Refused (exit 1, nothing written) while the application waits for approvals\n"
          "(approvals) or has no effect (prerequisite), when the loan is disbursed already or a\n"
          "disbursement waits for it (double-disbursement), when the date is before the\n"
          "application's (date-order), or when this device is the borrower's\n"
          "(self-disbursement).\n"
          "\n"
          "options:\n"
          "  --cash ACCT    cash or bank account that pays (default: the first cash account)\n"
          "  --date D       business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT    a note (at most 200 bytes)\n"
          "  --dry-run      check and show the entry and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi loan disburse 9a3c --date 2026-02-12\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static int loan_disburse(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"cash", required_argument, NULL, OPT_CASH},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan disburse";
    struct loan_args g;
    struct cli_acct a;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    const struct books_loan *l = NULL;
    const struct books_item *it, *w;
    struct proto_loan_apply app;
    struct text t = {NULL, 0, 0, false};
    size_t idx = 0;
    uint32_t date, cash;
    uint64_t fees;
    char memo[PROTO_ACCT_MEMO_MAX + 1], hex[9], hx2[9], d[11], r1[32], r2[32], r3[32], why[160];
    int ret;

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, disburse_usage, opts, argc, argv, 1, &g);
    if (ret >= 0)
        return ret;
    if (g.npos == 0)
        return cli_usage(cmd, "missing the loan ID (see 'saksi loan list')");
    ret = date_memo(cmd, &g, &date, memo);
    if (ret >= 0)
        return ret;
    memset(&a, 0, sizeof a);
    a.json = g.json;
    a.dry_run = g.dry_run;
    a.lang = g.lang;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = loan_arg(a.bk, cmd, g.pos[0], &idx, &l);
    if (ret >= 0)
        goto out;
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, PROTO_KIND_LOAN_DISBURSE);
    if (!P)
        goto out;
    it = books_item(a.bk, idx);
    cli_hex(it->id, 4, hex);
    if (!l) {
        cli_acct_refuse(&a, "prerequisite",
                        CLI_TR(a.lang,
                               "pengajuan %s tidak berlaku (%s); tidak ada yang bisa dicairkan.",
                               "application %s has no effect (%s); there is nothing to "
                               "disburse."),
                        hex, cli_wait_str(it, a.lang, why, sizeof why));
        goto out;
    }
    if (l->status == BOOKS_LOAN_APPLIED) {
        cli_acct_refuse(&a, "approvals",
                        CLI_TR(a.lang,
                               "pinjaman %s masih %s. Cairkan setelah disetujui ('saksi loan "
                               "approve %s').",
                               "loan %s is still %s. Disburse it once approved ('saksi loan "
                               "approve %s')."),
                        hex, cli_wait_str(it, a.lang, why, sizeof why), hex);
        goto out;
    }
    if (l->disbursed) {
        cli_acct_refuse(&a, "double-disbursement",
                        CLI_TR(a.lang, "pinjaman %s sudah dicairkan pada %s (entri %s).",
                               "loan %s was disbursed on %s already (entry %s)."),
                        hex, cli_date_dmy(l->disbursed, d),
                        cli_hex(books_item(a.bk, l->disburse_item)->id, 4, hx2));
        goto out;
    }
    w = loan_item(a.bk, it->id, PROTO_KIND_LOAN_DISBURSE, BOOKS_WAITING);
    if (w) {
        cli_acct_refuse(&a, "double-disbursement",
                        CLI_TR(a.lang,
                               "pencairan %s untuk pinjaman %s sudah dicatat dan %s ('saksi "
                               "approve %s' di perangkat anggota %u).",
                               "disbursement %s of loan %s is recorded already and is %s "
                               "('saksi approve %s' on member %u's device)."),
                        cli_hex(w->id, 4, hx2), hex, cli_wait_str(w, a.lang, why, sizeof why), hx2,
                        l->borrower);
        goto out;
    }
    if (books_loan_apply(a.bk, l, &app) < 0) {
        cli_err("cannot read the application of loan %s", hex);
        ret = CLI_RUNTIME;
        goto out;
    }
    if (date < app.date)
        cli_acct_refuse(&a, "date-order",
                        CLI_TR(a.lang,
                               "pinjaman %s diajukan pada %s; pencairan tidak bisa lebih awal.",
                               "loan %s was applied for on %s; it cannot be disbursed earlier."),
                        hex, cli_date_dmy(app.date, d));
    if (a.me.dev.member == app.borrower)
        cli_acct_refuse(&a, "self-disbursement",
                        CLI_TR(a.lang,
                               "perangkat ini milik peminjam (anggota %u); pencairan dicatat "
                               "oleh kasir atau pengurus lain.",
                               "this device is the borrower's (member %u); a kasir or another "
                               "pengurus records the disbursement."),
                        app.borrower);
    cash = cli_role_account(a.bk, P, PROTO_AR_CASH, date);
    if (g.cash && cli_acct_cash_arg(&a, P, g.cash, date, &cash) < 0)
        goto out;
    if (a.refusals)
        goto out;
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_LOAN_DISBURSE;
    memcpy(b->u.disburse.loan, it->id, 32);
    b->u.disburse.date = date;
    b->u.disburse.gross = app.principal;
    b->u.disburse.cash_account = cash;
    b->u.disburse.nfees = app.nfees;
    memcpy(b->u.disburse.fees, app.fees, sizeof app.fees);
    memcpy(b->u.disburse.memo, memo, sizeof memo);
    fees = rows_sum(app.fees, app.nfees);
    tx_printf(&t,
              CLI_TR(a.lang, "Pokok %s - biaya %s = diterima anggota %u %s\n",
                     "Principal %s - fees %s = paid to member %u %s\n"),
              cli_rupiah(app.principal, r1), cli_rupiah(fees, r2), app.borrower,
              cli_rupiah(app.principal - fees, r3));
    a.pre_text = t.p;
    a.extra = json_pack("{s:o, s:o, s:o, s:o}", "loan", cli_json_hex(it->id, 32), "gross",
                        cli_json_u64(app.principal), "fees_total", cli_json_u64(fees), "net",
                        cli_json_u64(app.principal - fees));
    if (t.oom || !a.extra) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    free(t.p);
    free(b);
    cli_acct_close(&a);
    return ret;
}

/* ---- repay ---- */

static void repay_usage(FILE *f)
{
    fputs("usage: saksi loan repay ID AMOUNT [--split PENALTY,INTEREST,PRINCIPAL] [--cash ACCT]\n"
          "                        [--date D] [--memo TEXT] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Mencatat angsuran (pembayaran) pinjaman (entri jenis 58).\n"
          "Records a repayment of a disbursed loan (an entry of kind 58): Dr cash / Cr penalty\n"
          "income, Cr interest income and Cr the loan receivable on the borrower's sub-ledger.\n"
          "AMOUNT is split as the rules ask: first the penalty due (late fees not paid yet), then\n"
          "the interest due, then the principal due (the installments due on or before the\n"
          "date, less what was paid of them); anything beyond goes to principal (a\n"
          "prepayment). --split gives the parts yourself; they must add up to AMOUNT and still\n"
          "cover what is due in that order.\n"
          "\n"
          "Refused (exit 1, nothing written) when the loan is not disbursed by the date\n"
          "(prerequisite), when the split does not first cover what is due (allocation), pays\n"
          "more principal than is outstanding (overpayment), more interest than the schedule\n"
          "has left (interest-overcharge) or more penalty than is due (penalty-overcharge).\n"
          "\n"
          "options:\n"
          "  --split P,I,PR  penalty, interest and principal parts (0 allowed), e.g.\n"
          "                  --split 0,180.000,1.000.000\n"
          "  --cash ACCT     cash or bank account that receives the money (default: the first\n"
          "                  cash account)\n"
          "  --date D        business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT     a note (at most 200 bytes)\n"
          "  --dry-run       check and show the split and the postings; write nothing\n"
          "  --json          print the result as one JSON object (with what was due)\n"
          "  --lang id|en    language of the output (default id)\n"
          "  -h, --help      show this help\n"
          "\n"
          "example: saksi loan repay 9a3c 1.180.000 --date 2026-03-12\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

/* One part of --split: an amount, or 0. */
static int part_parse(const char *s, uint64_t *v)
{
    if (strcmp(s, "0") == 0) {
        *v = 0;
        return 0;
    }
    return cli_amount_parse(s, v);
}

/* Parses "P,I,PR" into three amounts. -EINVAL. */
static int split_parse(const char *arg, uint64_t v[3])
{
    char buf[128], *p, *save = NULL;
    int n = 0;

    if (strlen(arg) >= sizeof buf)
        return -EINVAL;
    strcpy(buf, arg);
    for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (n == 3 || part_parse(cli_trim(p), &v[n]) < 0)
            return -EINVAL;
        n++;
    }
    return n == 3 ? 0 : -EINVAL;
}

static int loan_repay(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"split", required_argument, NULL, OPT_SPLIT},
        {"cash", required_argument, NULL, OPT_CASH},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan repay";
    struct loan_args g;
    struct cli_acct a;
    struct proto_acct_body *b = NULL;
    struct proto_loan_schedule *s = NULL;
    const struct proto_params *P;
    const struct books_loan *l = NULL;
    const struct books_item *it;
    struct loan_pos pos;
    struct proto_loan_alloc al;
    struct text t = {NULL, 0, 0, false};
    uint64_t amount, part[3] = {0, 0, 0}, pen, intr, prin;
    size_t idx = 0;
    uint32_t date, cash;
    char memo[PROTO_ACCT_MEMO_MAX + 1], hex[9], d[11], r1[32], r2[32], r3[32], r4[32], r5[32],
        r6[32];
    int ret, rc;

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, repay_usage, opts, argc, argv, 2, &g);
    if (ret >= 0)
        return ret;
    if (g.npos < 2)
        return cli_usage(cmd, g.npos ? "missing the AMOUNT" : "missing the loan ID and AMOUNT");
    if (cli_amount_parse(g.pos[1], &amount) < 0)
        return cli_usage(cmd, "invalid amount '%s' (whole rupiah: 1180000 or 1.180.000)", g.pos[1]);
    if (g.split) {
        if (split_parse(g.split, part) < 0)
            return cli_usage(cmd,
                             "invalid --split '%s' (three amounts PENALTY,INTEREST,PRINCIPAL, "
                             "e.g. 0,180.000,1.000.000)",
                             g.split);
        if (part[0] + part[1] + part[2] != amount)
            return cli_usage(cmd, "the --split parts add up to %s, not to the AMOUNT %s",
                             cli_rupiah(part[0] + part[1] + part[2], r1), cli_rupiah(amount, r2));
    }
    ret = date_memo(cmd, &g, &date, memo);
    if (ret >= 0)
        return ret;
    memset(&a, 0, sizeof a);
    a.json = g.json;
    a.dry_run = g.dry_run;
    a.lang = g.lang;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = loan_arg(a.bk, cmd, g.pos[0], &idx, &l);
    if (ret >= 0)
        goto out;
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, PROTO_KIND_LOAN_REPAY);
    if (!P)
        goto out;
    it = books_item(a.bk, idx);
    cli_hex(it->id, 4, hex);
    if (not_disbursed(&a, l, it->id, date))
        goto out;
    s = malloc(sizeof *s);
    if (!s) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    rc = loan_position(a.bk, l, date, s, &pos);
    if (rc == 0)
        rc = proto_loan_allocate(&pos.due, amount, &al);
    if (rc < 0) {
        cli_err("cannot compute what loan %s owes: %s", hex, err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    if (g.split) {
        pen = part[0];
        intr = part[1];
        prin = part[2];
    } else {
        pen = al.penalty;
        intr = al.interest;
        prin = al.principal + al.excess; /* the rest is a prepayment of principal */
    }
    if (pen > pos.due.penalty)
        cli_acct_refuse(&a, "penalty-overcharge",
                        CLI_TR(a.lang, "denda %s melebihi denda terutang pinjaman %s (%s).",
                               "a penalty of %s exceeds what loan %s owes in penalties (%s)."),
                        cli_rupiah(pen, r1), hex, cli_rupiah(pos.due.penalty, r2));
    else if (g.split && (pen != al.penalty || intr < al.interest || prin < al.principal))
        cli_acct_refuse(&a, "allocation",
                        CLI_TR(a.lang,
                               "pembayaran harus lebih dulu menutup yang jatuh tempo pada %s: "
                               "denda %s, bunga %s, pokok %s. Misalnya --split %s,%s,%s.",
                               "a payment must first cover what is due on %s: penalty %s, "
                               "interest %s, principal %s. For example --split %s,%s,%s."),
                        cli_date_dmy(date, d), cli_rupiah(pos.due.penalty, r1),
                        cli_rupiah(pos.due.interest, r2), cli_rupiah(pos.due.principal, r3),
                        cli_rupiah(al.penalty, r4) + 2, cli_rupiah(al.interest, r5) + 2,
                        cli_rupiah(al.principal + al.excess, r6) + 2);
    if (prin > pos.outstanding) {
        uint64_t most = pos.due.penalty + pos.due.interest + pos.outstanding;

        cli_acct_refuse(&a, "overpayment",
                        CLI_TR(a.lang,
                               "pokok %s melebihi sisa pokok pinjaman %s (%s). Pelunasan pada "
                               "%s paling banyak %s (denda %s + bunga jatuh tempo %s + sisa "
                               "pokok).",
                               "principal %s exceeds the outstanding principal of loan %s (%s). "
                               "Paying off on %s takes at most %s (penalty %s + interest due "
                               "%s + outstanding principal)."),
                        cli_rupiah(prin, r1), hex, cli_rupiah(pos.outstanding, r2),
                        cli_date_dmy(date, d), cli_rupiah(most, r3),
                        cli_rupiah(pos.due.penalty, r4), cli_rupiah(pos.due.interest, r5));
    }
    if (intr > pos.interest_left)
        cli_acct_refuse(&a, "interest-overcharge",
                        CLI_TR(a.lang, "bunga %s melebihi sisa bunga jadwal pinjaman %s (%s).",
                               "interest of %s exceeds the interest loan %s's schedule has "
                               "left (%s)."),
                        cli_rupiah(intr, r1), hex, cli_rupiah(pos.interest_left, r2));
    if (a.refusals)
        goto out;
    cash = cli_role_account(a.bk, P, PROTO_AR_CASH, date);
    if (g.cash && cli_acct_cash_arg(&a, P, g.cash, date, &cash) < 0)
        goto out;
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_LOAN_REPAY;
    memcpy(b->u.repay.loan, it->id, 32);
    b->u.repay.date = date;
    b->u.repay.penalty = pen;
    b->u.repay.interest = intr;
    b->u.repay.principal = prin;
    b->u.repay.cash_account = cash;
    memcpy(b->u.repay.memo, memo, sizeof memo);
    tx_printf(&t,
              CLI_TR(a.lang, "Jatuh tempo per %s: denda %s, bunga %s, pokok %s; sisa pokok %s\n",
                     "Due on %s: penalty %s, interest %s, principal %s; outstanding %s\n"),
              cli_date_dmy(date, d), cli_rupiah(pos.due.penalty, r1),
              cli_rupiah(pos.due.interest, r2), cli_rupiah(pos.due.principal, r3),
              cli_rupiah(pos.outstanding, r4));
    tx_printf(&t,
              CLI_TR(a.lang, "Sisa pokok sesudah pembayaran ini: %s\n",
                     "Outstanding after this payment: %s\n"),
              cli_rupiah(pos.outstanding - prin, r1));
    same_day_warn(a.bk, it->id, date, a.lang);
    a.pre_text = t.p;
    a.extra = json_pack("{s:o, s:{s:o, s:o, s:o}, s:{s:o, s:o, s:o, s:o}, s:o, s:o}", "loan",
                        cli_json_hex(it->id, 32), "due", "penalty", cli_json_u64(pos.due.penalty),
                        "interest", cli_json_u64(pos.due.interest), "principal",
                        cli_json_u64(pos.due.principal), "split", "penalty", cli_json_u64(pen),
                        "interest", cli_json_u64(intr), "principal", cli_json_u64(prin), "excess",
                        cli_json_u64(0), "outstanding_before", cli_json_u64(pos.outstanding),
                        "outstanding_after", cli_json_u64(pos.outstanding - prin));
    if (t.oom || !a.extra) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    free(t.p);
    free(s);
    free(b);
    cli_acct_close(&a);
    return ret;
}

/* ---- late fee ---- */

static void latefee_usage(FILE *f)
{
    fputs("usage: saksi loan latefee ID [--installment K] [--date D] [--memo TEXT] [--dry-run]\n"
          "                          [--json] [--lang id|en]\n"
          "\n"
          "Mencatat denda keterlambatan angsuran (entri jenis 59).\n"
          "Records a late fee (denda) on an overdue installment (an entry of kind 59). The\n"
          "amount is computed by the late rule of the loan's product: the rate per day (or per\n"
          "month) times the days (months) since the due date times the unpaid part of the\n"
          "installment, less what was charged on it before. By default the oldest overdue\n"
          "installment. A late fee posts nothing (denda is income when paid): it raises the\n"
          "penalty due, which the next repayment pays first.\n"
          "\n"
          "Refused (exit 1, nothing written) when nothing is overdue past the product's grace\n"
          "days on the date, the installment is paid, or its fee is charged already\n"
          "(late-fee-mismatch), or the loan is not disbursed (prerequisite).\n"
          "\n"
          "options:\n"
          "  --installment K  the installment (1 = the first; default: the oldest overdue)\n"
          "  --date D         business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT      a note (at most 200 bytes)\n"
          "  --dry-run        check and show the fee; write nothing\n"
          "  --json           print the result as one JSON object\n"
          "  --lang id|en     language of the output (default id)\n"
          "  -h, --help       show this help\n"
          "\n"
          "example: saksi loan latefee 9a3c --date 2026-04-22\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static int loan_latefee(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"installment", required_argument, NULL, OPT_INSTALLMENT},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan latefee";
    struct loan_args g;
    struct cli_acct a;
    struct proto_acct_body *b = NULL;
    struct proto_loan_schedule *s = NULL;
    const struct proto_params *P;
    const struct proto_loan_product *lp;
    const struct books_loan *l = NULL;
    const struct books_item *it;
    struct proto_loan_late_rule rule;
    struct loan_pos pos;
    struct text t = {NULL, 0, 0, false};
    uint64_t v, paid, unpaid = 0, fee = 0, charged;
    uint32_t date, k = 0, units = 0;
    int32_t day;
    size_t idx = 0;
    char memo[PROTO_ACCT_MEMO_MAX + 1], hex[9], d[11], d2[11], d3[11], r1[32], r2[32], r3[32],
        pc[24];
    int ret, rc;

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, latefee_usage, opts, argc, argv, 1, &g);
    if (ret >= 0)
        return ret;
    if (g.npos == 0)
        return cli_usage(cmd, "missing the loan ID (see 'saksi loan list')");
    if (g.installment) {
        if (cli_uint_parse(g.installment, 1, PROTO_LOAN_PERIODS_MAX, &v) < 0)
            return cli_usage(cmd, "invalid --installment '%s' (1 to %u)", g.installment,
                             PROTO_LOAN_PERIODS_MAX);
        k = (uint32_t)v;
    }
    ret = date_memo(cmd, &g, &date, memo);
    if (ret >= 0)
        return ret;
    day = day_of(date);
    memset(&a, 0, sizeof a);
    a.json = g.json;
    a.dry_run = g.dry_run;
    a.lang = g.lang;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = loan_arg(a.bk, cmd, g.pos[0], &idx, &l);
    if (ret >= 0)
        goto out;
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, PROTO_KIND_LATE_FEE);
    if (!P)
        goto out;
    it = books_item(a.bk, idx);
    cli_hex(it->id, 4, hex);
    if (not_disbursed(&a, l, it->id, date))
        goto out;
    lp = proto_params_loan(P, l->product);
    if (!lp || !lp->has_late) {
        cli_acct_refuse(&a, "terms",
                        CLI_TR(a.lang,
                               "produk %s tidak punya aturan denda pada %s; tidak ada denda "
                               "yang bisa dihitung.",
                               "product %s has no late-fee rule on %s; no fee can be computed."),
                        l->product, cli_date_dmy(date, d));
        goto out;
    }
    s = malloc(sizeof *s);
    if (!s) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    rc = loan_position(a.bk, l, date, s, &pos);
    if (rc < 0) {
        cli_err("cannot compute what loan %s owes: %s", hex, err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    paid = pos.st.interest_paid + pos.st.principal_paid;
    if (k > s->n) {
        cli_acct_refuse(&a, "late-fee-mismatch",
                        CLI_TR(a.lang, "pinjaman %s hanya punya %u angsuran.",
                               "loan %s has only %u installments."),
                        hex, s->n);
        goto out;
    }
    if (!k) {
        for (uint32_t j = 1; j <= s->n && !k; j++)
            if (s->inst[j - 1].due < day && unpaid_of(s, j, paid) > 0)
                k = j;
        if (!k) {
            uint32_t j = 1;

            while (j <= s->n && unpaid_of(s, j, paid) == 0)
                j++;
            if (j <= s->n)
                cli_acct_refuse(
                    &a, "late-fee-mismatch",
                    CLI_TR(a.lang,
                           "tidak ada angsuran pinjaman %s yang terlambat pada %s: angsuran ke-%u "
                           "jatuh tempo %s, denda paling cepat %s.",
                           "no installment of loan %s is overdue on %s: installment %u falls due "
                           "on %s, a late fee can start on %s."),
                    hex, cli_date_dmy(date, d), j, cli_date_dmy(ymd_of(s->inst[j - 1].due), d2),
                    cli_date_dmy(ymd_of(s->inst[j - 1].due + (int32_t)lp->late_grace_days + 1),
                                 d3));
            else
                cli_acct_refuse(&a, "late-fee-mismatch",
                                CLI_TR(a.lang, "pinjaman %s sudah lunas pada %s.",
                                       "loan %s is paid off on %s."),
                                hex, cli_date_dmy(date, d));
            goto out;
        }
    }
    unpaid = unpaid_of(s, k, paid);
    if (s->inst[k - 1].due >= day) {
        cli_acct_refuse(&a, "late-fee-mismatch",
                        CLI_TR(a.lang,
                               "angsuran ke-%u pinjaman %s jatuh tempo %s; pada %s belum "
                               "terlambat.",
                               "installment %u of loan %s falls due on %s; on %s it is not "
                               "overdue."),
                        k, hex, cli_date_dmy(ymd_of(s->inst[k - 1].due), d2),
                        cli_date_dmy(date, d));
        goto out;
    }
    if (unpaid == 0) {
        cli_acct_refuse(&a, "late-fee-mismatch",
                        CLI_TR(a.lang, "angsuran ke-%u pinjaman %s sudah dibayar.",
                               "installment %u of loan %s is paid."),
                        k, hex);
        goto out;
    }
    if ((uint32_t)(day - s->inst[k - 1].due) <= lp->late_grace_days) {
        cli_acct_refuse(
            &a, "late-fee-mismatch",
            CLI_TR(a.lang,
                   "angsuran ke-%u pinjaman %s baru %d hari terlambat; masa "
                   "tenggang produk %s %u hari, jadi denda mulai %s.",
                   "installment %u of loan %s is only %d days late; product %s "
                   "allows %u days of grace, so a fee starts on %s."),
            k, hex, (int)(day - s->inst[k - 1].due), lp->code, lp->late_grace_days,
            cli_date_dmy(ymd_of(s->inst[k - 1].due + (int32_t)lp->late_grace_days + 1), d));
        goto out;
    }
    memset(&rule, 0, sizeof rule);
    rule.basis = lp->late_basis;
    rule.rate_ppm = lp->late_rate_ppm;
    rule.round = P->rounding;
    rc = proto_loan_late_fee(&rule, unpaid, s->inst[k - 1].due, day, &fee);
    if (rc == 0)
        rc = proto_loan_late_units(rule.basis, s->inst[k - 1].due, day, &units);
    if (rc < 0) {
        cli_err("cannot compute the late fee: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    charged = fees_charged(a.bk, it->id, k, date);
    if (fee <= charged) {
        cli_acct_refuse(&a, "late-fee-mismatch",
                        CLI_TR(a.lang,
                               "denda angsuran ke-%u pinjaman %s sampai %s adalah %s dan sudah "
                               "dikenakan (%s).",
                               "the late fee of installment %u of loan %s up to %s is %s and "
                               "is charged already (%s)."),
                        k, hex, cli_date_dmy(date, d), cli_rupiah(fee, r1),
                        cli_rupiah(charged, r2));
        goto out;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_LATE_FEE;
    memcpy(b->u.latefee.loan, it->id, 32);
    b->u.latefee.date = date;
    b->u.latefee.installment = k;
    b->u.latefee.amount = fee - charged;
    memcpy(b->u.latefee.memo, memo, sizeof memo);
    tx_printf(&t,
              CLI_TR(a.lang,
                     "Angsuran ke-%u jatuh tempo %s, belum dibayar %s, terlambat %u %s: denda "
                     "%s/%s × %u × %s = %s\n",
                     "Installment %u fell due on %s, unpaid %s, late by %u %s: fee %s/%s × %u × "
                     "%s = %s\n"),
              k, cli_date_dmy(ymd_of(s->inst[k - 1].due), d2), cli_rupiah(unpaid, r1), units,
              rule.basis == PROTO_LOAN_LATE_PER_DAY ? CLI_TR(a.lang, "hari", "days")
                                                    : CLI_TR(a.lang, "bulan", "months"),
              cli_ppm_str(rule.rate_ppm, a.lang, pc),
              rule.basis == PROTO_LOAN_LATE_PER_DAY ? CLI_TR(a.lang, "hari", "day")
                                                    : CLI_TR(a.lang, "bulan", "month"),
              units, r1, cli_rupiah(fee, r2));
    if (charged)
        tx_printf(&t,
                  CLI_TR(a.lang, "Sudah dikenakan %s; dicatat sekarang %s\n",
                         "Charged before %s; recorded now %s\n"),
                  cli_rupiah(charged, r1), cli_rupiah(fee - charged, r3));
    same_day_warn(a.bk, it->id, date, a.lang);
    a.pre_text = t.p;
    a.extra = json_pack(
        "{s:o, s:i, s:s, s:o, s:i, s:i, s:o, s:o, s:o}", "loan", cli_json_hex(it->id, 32),
        "installment", (json_int_t)k, "due", cli_date_str(ymd_of(s->inst[k - 1].due), d2), "unpaid",
        cli_json_u64(unpaid), "units", (json_int_t)units, "rate_ppm", (json_int_t)rule.rate_ppm,
        "fee_total", cli_json_u64(fee), "charged_before", cli_json_u64(charged),
        "penalty_due_after", cli_json_u64(pos.st.penalty_due + fee - charged));
    if (t.oom || !a.extra) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    free(t.p);
    free(s);
    free(b);
    cli_acct_close(&a);
    return ret;
}

/* ---- read-only: column layout ---- */

/* ---- schedule ---- */

static void schedule_usage(FILE *f)
{
    fputs("usage: saksi loan schedule ID [--json] [--lang id|en]\n"
          "       saksi loan schedule --product P --principal AMT --periods N [--date D]\n"
          "                           [--json] [--lang id|en]\n"
          "\n"
          "Jadwal angsuran pinjaman, atau simulasi sebelum mengajukan.\n"
          "Prints a repayment schedule: each installment's due date, principal, interest,\n"
          "total and the principal remaining after it, the totals, and the rate: a flat rate\n"
          "always with its effective rate (the annuity rate with the same installment) and\n"
          "EAR. With ID, the loan's schedule (due dates from the disbursement; before it, from\n"
          "the application date, marked as an estimate). With --product, a simulation of the\n"
          "product in force on --date (default today), disbursed on that date. Writes nothing.\n"
          "\n"
          "options:\n"
          "  --product P      loan product code (e.g. PU)\n"
          "  --principal AMT  the amount borrowed\n"
          "  --periods N      number of monthly installments\n"
          "  --date D         simulation: the disbursement date and the parameters' date\n"
          "  --json           the schedule as one JSON object\n"
          "  --lang id|en     language of the output (default id)\n"
          "  -h, --help       show this help\n"
          "\n"
          "example: saksi loan schedule --product PU --principal 12.000.000 --periods 12\n"
          "\n"
          "exit codes: 0 ok; 1 no such loan or product; 2 usage error; 3 runtime error\n",
          f);
}

static void sched_row(const char *no, const char *due, const char *p, const char *i,
                      const char *tot, const char *rem)
{
    cli_col(no, 4, true);
    printf("  ");
    cli_col(due, 11, false);
    printf("  ");
    cli_col(p, 16, true);
    printf("  ");
    cli_col(i, 16, true);
    printf("  ");
    cli_col(tot, 16, true);
    if (*rem) {
        printf("  ");
        cli_col(rem, 16, true);
    }
    putchar('\n');
}

static int schedule_out(const struct books *bk, const uint8_t *loan, uint32_t member,
                        const char *product, const struct proto_loan_schedule *s, bool estimated,
                        int lang, bool json)
{
    struct rates rt;
    char d[11], rtx[256], r1[32], r2[32], r3[32], r4[32], no[12], hex[9];

    rates_of(s->terms.method, s->terms.rate_ppm, s->n, &rt);
    if (json) {
        json_t *inst = json_array(), *o;

        for (uint32_t k = 0; inst && k < s->n; k++)
            if (json_array_append_new(
                    inst, json_pack("{s:i, s:s, s:o, s:o, s:o, s:o}", "period",
                                    (json_int_t)s->inst[k].period, "due",
                                    cli_date_str(ymd_of(s->inst[k].due), d), "principal",
                                    cli_json_u64(s->inst[k].principal), "interest",
                                    cli_json_u64(s->inst[k].interest), "total",
                                    cli_json_u64(s->inst[k].total), "remaining",
                                    cli_json_u64(s->inst[k].remaining))) < 0) {
                json_decref(inst);
                inst = NULL;
            }
        o = json_pack(
            "{s:o, s:o, s:s, s:o, s:i, s:s, s:i, s:o, s:o, s:s, s:b, s:o, s:o, s:o, "
            "s:o, s:o}",
            "loan", loan ? cli_json_hex(loan, 32) : json_null(), "member",
            member ? json_integer(member) : json_null(), "product", product, "principal",
            cli_json_u64(s->terms.principal), "periods", (json_int_t)s->n, "method",
            cli_method_label(s->terms.method, CLI_LANG_EN), "rate_ppm", (json_int_t)rt.annual,
            "effective_rate_ppm",
            s->terms.method == PROTO_LOAN_FLAT && rt.has_effective ? json_integer(rt.effective)
                                                                   : json_null(),
            "ear_ppm", rt.has_ear ? cli_json_u64(rt.ear) : json_null(), "disbursed",
            cli_date_str(ymd_of(s->terms.disbursed), d), "estimated", estimated, "installment",
            cli_json_u64(s->installment), "total_principal", cli_json_u64(s->sum_principal),
            "total_interest", cli_json_u64(s->sum_interest), "total", cli_json_u64(s->sum_total),
            "installments", inst ? inst : json_array());
        if (o && json_object_set_new(
                     o, "rate_text",
                     json_string(rate_text(s->terms.method, &rt, lang, 0, rtx, sizeof rtx))) < 0) {
            json_decref(o);
            o = NULL;
        }
        if (!o) {
            cli_err("out of memory");
            return CLI_RUNTIME;
        }
        return cli_json_out(o);
    }
    printf("%s\n", books_genesis(bk)->name);
    if (loan)
        printf(CLI_TR(lang, "%s pinjaman %s (anggota %u, %s)\n", "%s of loan %s (member %u, %s)\n"),
               cli_label(lang, "schedule"), cli_hex(loan, 4, hex), member, product);
    else
        printf(CLI_TR(lang, "%s: simulasi produk %s\n", "%s: a simulation of product %s\n"),
               cli_label(lang, "schedule"), product);
    printf(CLI_TR(lang, "Pokok %s, %u bulan, %s\n", "Principal %s, %u months, %s\n"),
           cli_rupiah(s->terms.principal, r1), s->n,
           rate_text(s->terms.method, &rt, lang, 1, rtx, sizeof rtx));
    printf("  %s\n", rate_text(s->terms.method, &rt, lang, 2, rtx, sizeof rtx));
    printf(CLI_TR(lang, "Dicairkan %s%s\n", "Disbursed %s%s\n"),
           cli_date_dmy(ymd_of(s->terms.disbursed), d),
           estimated
               ? CLI_TR(lang, " (perkiraan: belum dicairkan)", " (estimate: not disbursed yet)")
               : "");
    putchar('\n');
    sched_row(CLI_TR(lang, "Ke", "No."), cli_label(lang, "due"), cli_label(lang, "principal"),
              cli_label(lang, "interest"), cli_label(lang, "installment"),
              cli_label(lang, "outstanding"));
    cli_rule();
    for (uint32_t k = 0; k < s->n; k++) {
        snprintf(no, sizeof no, "%u", s->inst[k].period);
        sched_row(no, cli_date_dmy(ymd_of(s->inst[k].due), d), cli_rupiah(s->inst[k].principal, r1),
                  cli_rupiah(s->inst[k].interest, r2), cli_rupiah(s->inst[k].total, r3),
                  cli_rupiah(s->inst[k].remaining, r4));
    }
    cli_rule();
    sched_row("", cli_label(lang, "total"), cli_rupiah(s->sum_principal, r1),
              cli_rupiah(s->sum_interest, r2), cli_rupiah(s->sum_total, r3), "");
    return cli_stdout_done();
}

static int loan_schedule(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"product", required_argument, NULL, OPT_PRODUCT},
        {"principal", required_argument, NULL, OPT_PRINCIPAL},
        {"periods", required_argument, NULL, OPT_PERIODS},
        {"date", required_argument, NULL, OPT_DATE},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan schedule";
    struct loan_args g;
    struct store *st = NULL;
    struct books *bk = NULL;
    struct proto_loan_schedule *s = NULL;
    struct proto_acct_body *b = NULL;
    uint64_t principal = 0, v;
    uint32_t periods = 0, date = cli_today();
    size_t idx = 0;
    int ret, rc;
    char r1[32], r2[32];

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, schedule_usage, opts, argc, argv, 1, &g);
    if (ret >= 0)
        return ret;
    if (g.npos && (g.product || g.principal || g.periods || g.date))
        return cli_usage(cmd, "give a loan ID or --product/--principal/--periods, not both");
    if (!g.npos) {
        if (!g.product || !g.principal || !g.periods)
            return cli_usage(cmd, "give a loan ID, or --product P --principal AMT --periods N");
        if (cli_amount_parse(g.principal, &principal) < 0)
            return cli_usage(cmd, "invalid amount '%s'", g.principal);
        if (cli_uint_parse(g.periods, 1, PROTO_LOAN_PERIODS_MAX, &v) < 0)
            return cli_usage(cmd, "invalid --periods '%s' (1 to %u)", g.periods,
                             PROTO_LOAN_PERIODS_MAX);
        periods = (uint32_t)v;
        if (g.date && cli_date_parse(g.date, &date) < 0)
            return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", g.date);
    }
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    ret = CLI_RUNTIME;
    s = malloc(sizeof *s);
    b = malloc(sizeof *b);
    if (!s || !b) {
        cli_err("out of memory");
        goto out;
    }
    if (cli_books_load(st, &bk) < 0)
        goto out;
    if (g.npos) {
        const struct books_loan *l;
        const struct books_item *it;
        bool estimated;

        ret = cli_item_resolve(bk, cmd, g.pos[0], PROTO_KIND_LOAN_APPLY, &idx);
        if (ret >= 0)
            goto out;
        ret = CLI_RUNTIME;
        it = books_item(bk, idx);
        l = books_loan_find(bk, it->id);
        if (books_body(bk, idx, b) < 0) {
            cli_err("cannot read the loan application");
            goto out;
        }
        estimated = !(l && l->disbursed);
        rc = estimated ? app_schedule(&b->u.apply, b->u.apply.date, s)
                       : books_loan_schedule(bk, l, s);
        if (rc < 0) {
            cli_err("cannot build the loan's schedule: %s", err_str(rc));
            goto out;
        }
        ret = schedule_out(bk, it->id, b->u.apply.borrower, b->u.apply.product, s, estimated,
                           g.lang, g.json);
    } else {
        const struct proto_params *P = books_params_at(bk, date);
        const struct proto_loan_product *lp = P ? proto_params_loan(P, g.product) : NULL;
        struct proto_loan_apply *app = &b->u.apply;

        if (!lp) {
            cli_err("%s", P ? CLI_TR(g.lang, "produk pinjaman itu tidak ada pada tanggal itu",
                                     "no such loan product on that date")
                            : CLI_TR(g.lang, "tidak ada parameter yang berlaku pada tanggal itu",
                                     "no parameters are in force on that date"));
            ret = CLI_NEG;
            goto out;
        }
        if (principal < lp->principal_min || principal > lp->principal_max ||
            periods < lp->periods_min || periods > lp->periods_max)
            cli_warn("outside product %s's terms (%s to %s, %u to %u months)", lp->code,
                     cli_rupiah(lp->principal_min, r1), cli_rupiah(lp->principal_max, r2),
                     lp->periods_min, lp->periods_max);
        memset(app, 0, sizeof *app);
        app->principal = principal;
        app->periods = periods;
        app->rate_ppm = product_annual(lp);
        app->method = lp->method;
        app->rounding = P->rounding;
        rc = app_schedule(app, date, s);
        if (rc < 0) {
            cli_err("these terms do not make a schedule: %s", err_str(rc));
            ret = CLI_NEG;
            goto out;
        }
        ret = schedule_out(bk, NULL, 0, lp->code, s, false, g.lang, g.json);
    }
out:
    free(s);
    free(b);
    books_free(bk);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- write-off ---- */

static void writeoff_usage(FILE *f)
{
    fputs("usage: saksi loan writeoff ID [--resolution ID] [--date D] [--memo TEXT] [--dry-run]\n"
          "                           [--json] [--lang id|en]\n"
          "\n"
          "Menghapusbukukan pinjaman macet (entri jenis 61).\n"
          "Writes off a disbursed loan (an entry of kind 61): its outstanding principal on the\n"
          "date leaves the loan receivable against the loan loss allowance: Dr allowance (1290)\n"
          "/ Cr receivable on the borrower's sub-ledger. From the date the loan owes nothing in\n"
          "the books and is listed apart in the loan portfolio; money received on it later is a\n"
          "recovery (a journal to 4900, other income), not a repayment. Book the allowance first\n"
          "('saksi provision'). By default a write-off needs two pengurus and one pengawas (the\n"
          "borrower never counts) and, when the parameters say writeoff-need-rat, a members'\n"
          "meeting resolution that adopts it (decision type 4 with this loan as its target).\n"
          "\n"
          "Refused (exit 1, nothing written) when the loan is not disbursed by the date, has\n"
          "nothing outstanding, is written off already, or needs a resolution and none is given.\n"
          "\n"
          "options:\n"
          "  --resolution ID  the resolution (kind 34) that decided the write-off\n"
          "  --date D         business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT      a note (at most 200 bytes)\n"
          "  --dry-run        check and show the entry and its postings; write nothing\n"
          "  --json           print the result as one JSON object\n"
          "  --lang id|en     language of the output (default id)\n"
          "  -h, --help       show this help\n"
          "\n"
          "example: saksi loan writeoff 9a3c --resolution 5d1e --date 2027-03-31\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static int loan_writeoff(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"resolution", required_argument, NULL, OPT_RESOLUTION},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan writeoff";
    struct loan_args g;
    struct cli_acct a;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    const struct books_loan *l = NULL;
    const struct books_item *it;
    struct books_loan_state st;
    struct text t = {NULL, 0, 0, false};
    size_t idx = 0, ridx = 0;
    uint32_t date, allowance;
    int64_t booked;
    char memo[PROTO_ACCT_MEMO_MAX + 1], hex[9], d[11], r1[32], r2[40];
    int ret, rc;

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, writeoff_usage, opts, argc, argv, 1, &g);
    if (ret >= 0)
        return ret;
    if (g.npos < 1)
        return cli_usage(cmd, "missing the loan ID");
    ret = date_memo(cmd, &g, &date, memo);
    if (ret >= 0)
        return ret;
    memset(&a, 0, sizeof a);
    a.json = g.json;
    a.dry_run = g.dry_run;
    a.lang = g.lang;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = loan_arg(a.bk, cmd, g.pos[0], &idx, &l);
    if (ret >= 0)
        goto out;
    if (g.resolution) {
        ret = cli_item_resolve(a.bk, cmd, g.resolution, PROTO_KIND_RESOLUTION, &ridx);
        if (ret >= 0)
            goto out;
    }
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, PROTO_KIND_WRITE_OFF);
    if (!P)
        goto out;
    it = books_item(a.bk, idx);
    cli_hex(it->id, 4, hex);
    if (not_disbursed(&a, l, it->id, date))
        goto out;
    if (l->written_off && !books_reversed_at(a.bk, l->writeoff_item, UINT32_MAX)) {
        cli_acct_refuse(&a, "already-recorded",
                        CLI_TR(a.lang, "pinjaman %s sudah dihapusbukukan pada %s.",
                               "loan %s is written off already, on %s."),
                        hex, cli_date_dmy(l->written_off, d));
        goto out;
    }
    rc = books_loan_state(a.bk, l, date, &st);
    if (rc < 0) {
        cli_err("cannot compute what loan %s owes: %s", hex, err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    if (st.outstanding == 0) {
        cli_acct_refuse(&a, "nothing-to-write-off",
                        CLI_TR(a.lang, "pinjaman %s tidak punya sisa pokok pada %s.",
                               "loan %s has nothing outstanding on %s."),
                        hex, cli_date_dmy(date, d));
        goto out;
    }
    if (P->writeoff_need_rat && !g.resolution) {
        cli_acct_refuse(&a, "resolution",
                        CLI_TR(a.lang,
                               "parameter mewajibkan keputusan rapat anggota untuk hapus buku. "
                               "Catat keputusannya (jenis 34, keputusan tipe 4 untuk pinjaman "
                               "%s), lalu beri --resolution ID.",
                               "the parameters require a members' meeting resolution for a "
                               "write-off. Record it (kind 34, a decision of type 4 on loan %s), "
                               "then give --resolution ID."),
                        hex);
        goto out;
    }
    allowance = cli_role_account(a.bk, P, PROTO_AR_ALLOWANCE, date);
    if (!allowance) {
        cli_acct_refuse(&a, "pattern",
                        CLI_TR(a.lang, "parameter tidak menyebut akun cadangan PPAP.",
                               "the parameters name no allowance (PPAP) account."));
        goto out;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_WRITE_OFF;
    memcpy(b->u.writeoff.loan, it->id, 32);
    b->u.writeoff.date = date;
    b->u.writeoff.principal = st.outstanding;
    b->u.writeoff.allowance_account = allowance;
    if (g.resolution) {
        b->u.writeoff.has_resolution = true;
        memcpy(b->u.writeoff.resolution, books_item(a.bk, ridx)->id, 32);
    }
    memcpy(b->u.writeoff.memo, memo, sizeof memo);
    booked = books_role_balance(a.bk, P, PROTO_AR_ALLOWANCE, 0, date);
    tx_printf(&t,
              CLI_TR(a.lang,
                     "Sisa pokok pinjaman %s pada %s: %s (tunggakan %u hari); PPAP yang "
                     "dibukukan: %s\n",
                     "Outstanding principal of loan %s on %s: %s (%u days past due); allowance "
                     "booked: %s\n"),
              hex, cli_date_dmy(date, d), cli_rupiah(st.outstanding, r1), st.dpd,
              cli_rupiah_signed(booked, false, r2));
    if (booked < (int64_t)st.outstanding)
        cli_warn(CLI_TR(a.lang,
                        "PPAP yang dibukukan (%s) lebih kecil dari sisa pokok; bukukan dulu "
                        "dengan 'saksi provision'.",
                        "the allowance booked (%s) is below the outstanding principal; book it "
                        "first with 'saksi provision'."),
                 r2);
    a.pre_text = t.p;
    a.extra = json_pack("{s:o, s:o, s:i}", "loan", cli_json_hex(it->id, 32), "outstanding",
                        cli_json_u64(st.outstanding), "days_past_due", (json_int_t)st.dpd);
    if (t.oom || !a.extra) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    free(t.p);
    free(b);
    cli_acct_close(&a);
    return ret;
}

/* ---- list ---- */

static void list_usage(FILE *f)
{
    fputs("usage: saksi loan list [--member N] [--as-of D] [--json] [--lang id|en]\n"
          "\n"
          "Daftar pinjaman: status, sisa pokok, tunggakan.\n"
          "Lists the loans applied for up to the as-of date: status (diajukan: waiting for\n"
          "approval; disetujui: approved, not disbursed; dicairkan: disbursed; lunas: paid off),\n"
          "principal, outstanding principal, arrears, days past due and the next installment,\n"
          "and what a loan still waits for. Writes nothing.\n"
          "\n"
          "options:\n"
          "  --member N     only member N's loans\n"
          "  --as-of D      figures at the end of D (default today)\n"
          "  --json         the list as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi loan list --member 7\n"
          "\n"
          "exit codes: 0 ok; 2 usage error; 3 runtime error (I/O, store)\n",
          f);
}

static void list_row(const char *id, const char *m, const char *p, const char *st, const char *prin,
                     const char *out, const char *arr, const char *dpd, const char *due)
{
    cli_col(id, 8, false);
    printf("  ");
    cli_col(m, 7, true);
    printf("  ");
    cli_col(p, 7, false);
    printf("  ");
    cli_col(st, 10, false);
    printf("  ");
    cli_col(prin, 13, true);
    printf("  ");
    cli_col(out, 13, true);
    printf("  ");
    cli_col(arr, 11, true);
    printf("  ");
    cli_col(dpd, 4, true);
    printf("  %s\n", due);
}

/* What a loan still waits for, if anything: its approvals, or its disbursement's signature. */
static const char *loan_waits(const struct books *bk, const struct books_loan *l, int lang,
                              char *buf, size_t size)
{
    const struct books_item *it = books_item(bk, l->item), *w;
    char what[160];

    buf[0] = '\0';
    if (l->status == BOOKS_LOAN_APPLIED && it->status == BOOKS_WAITING)
        return cli_wait_str(it, lang, buf, size);
    if (l->status != BOOKS_LOAN_APPROVED)
        return buf;
    w = loan_item(bk, it->id, PROTO_KIND_LOAN_DISBURSE, BOOKS_WAITING);
    if (w)
        snprintf(buf, size, CLI_TR(lang, "pencairan %s", "disbursement %s"),
                 cli_wait_str(w, lang, what, sizeof what));
    return buf;
}

static int loan_list(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"member", required_argument, NULL, OPT_MEMBER},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "loan list";
    struct loan_args g;
    struct store *st = NULL;
    struct books *bk = NULL;
    json_t *arr = NULL;
    uint32_t as_of = cli_today(), member = 0;
    uint64_t v;
    size_t shown = 0;
    int ret, rc;
    char d[11], d2[24], hex[9], m[16], r1[32], r2[32], r3[32], dpd[12], w[200];

    memset(&g, 0, sizeof g);
    g.json = ctx->json;
    ret = args_parse(cmd, list_usage, opts, argc, argv, 0, &g);
    if (ret >= 0)
        return ret;
    if (g.member) {
        if (cli_uint_parse(g.member, 1, PROTO_MEMBER_MAX, &v) < 0)
            return cli_usage(cmd, "invalid member number '%s'", g.member);
        member = (uint32_t)v;
    }
    if (g.as_of && cli_date_parse(g.as_of, &as_of) < 0)
        return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", g.as_of);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    ret = CLI_RUNTIME;
    if (cli_books_load(st, &bk) < 0)
        goto out;
    if (g.json) {
        arr = json_array();
        if (!arr)
            goto oom;
    } else {
        printf("%s\n", books_genesis(bk)->name);
        printf("%s, %s %s", cli_label(g.lang, "loans_list"), cli_label(g.lang, "as_of"),
               cli_date_long(as_of, g.lang, d2));
        if (member)
            printf(", %s %u", CLI_TR(g.lang, "anggota", "member"), member);
        printf("\n\n");
        list_row(cli_label(g.lang, "loan"), cli_label(g.lang, "member"),
                 cli_label(g.lang, "product"), cli_label(g.lang, "status"),
                 cli_label(g.lang, "principal"), cli_label(g.lang, "outstanding"),
                 cli_label(g.lang, "arrears"), cli_label(g.lang, "days"), cli_label(g.lang, "due"));
        cli_rule();
    }
    for (size_t i = 0; i < books_nloans(bk); i++) {
        const struct books_loan *l = books_loan_at(bk, i);
        const struct books_item *it = books_item(bk, l->item);
        struct books_loan_state ls;

        if ((member && l->borrower != member) || it->date > as_of)
            continue;
        rc = books_loan_state(bk, l, as_of, &ls);
        if (rc < 0) {
            cli_err("cannot compute the state of a loan: %s", err_str(rc));
            goto out;
        }
        loan_waits(bk, l, g.lang, w, sizeof w);
        shown++;
        if (g.json) {
            json_t *o = json_pack(
                "{s:o, s:i, s:s, s:s, s:o, s:i, s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:o, "
                "s:o, s:o, s:b}",
                "loan", cli_json_hex(it->id, 32), "member", (json_int_t)l->borrower, "product",
                l->product, "date", cli_date_str(it->date, d), "principal",
                cli_json_u64(l->principal), "status_code", (json_int_t)ls.status, "status",
                cli_loan_status_label(ls.status, CLI_LANG_EN), "status_text",
                cli_loan_status_label(ls.status, g.lang), "disbursed",
                l->disbursed && l->disbursed <= as_of ? json_string(cli_date_str(l->disbursed, d))
                                                      : json_null(),
                "outstanding", cli_json_u64(ls.outstanding), "arrears", cli_json_u64(ls.arrears),
                "days_past_due", (json_int_t)ls.dpd, "next_due",
                ls.next_due ? json_string(cli_date_str(ls.next_due, d2)) : json_null(),
                "next_amount", cli_json_u64(ls.next_amount), "interest_paid",
                cli_json_u64(ls.interest_paid), "penalty_due", cli_json_u64(ls.penalty_due),
                "waiting", w[0] ? json_string(w) : json_null(), "officer", (int)l->officer);

            if (!o || json_array_append_new(arr, o) < 0)
                goto oom;
            continue;
        }
        snprintf(m, sizeof m, "%u", l->borrower);
        snprintf(dpd, sizeof dpd, "%u", ls.dpd);
        list_row(cli_hex(it->id, 4, hex), m, l->product, cli_loan_status_label(ls.status, g.lang),
                 cli_rupiah(l->principal, r1),
                 ls.status >= BOOKS_LOAN_DISBURSED ? cli_rupiah(ls.outstanding, r2) : "-",
                 ls.status >= BOOKS_LOAN_DISBURSED ? cli_rupiah(ls.arrears, r3) : "-",
                 ls.status >= BOOKS_LOAN_DISBURSED ? dpd : "-",
                 ls.next_due ? cli_date_dmy(ls.next_due, d) : "-");
        if (ls.next_due || w[0]) {
            printf("%10s", "");
            if (ls.next_due)
                printf(CLI_TR(g.lang, "angsuran berikutnya %s", "next installment %s"),
                       cli_rupiah(ls.next_amount, r1));
            if (ls.penalty_due)
                printf(CLI_TR(g.lang, "; denda terutang %s", "; penalty due %s"),
                       cli_rupiah(ls.penalty_due, r1));
            if (w[0])
                printf("%s%s", ls.next_due ? "; " : "", w);
            putchar('\n');
        }
    }
    if (g.json) {
        json_t *doc = json_pack("{s:s, s:o, s:o}", "as_of", cli_date_str(as_of, d), "member",
                                member ? json_integer(member) : json_null(), "loans", arr);

        arr = NULL;
        if (!doc)
            goto oom;
        ret = cli_json_out(doc);
        goto out;
    }
    if (!shown)
        printf("%s\n", cli_label(g.lang, "no_loans"));
    ret = cli_stdout_done();
    goto out;
oom:
    cli_err("out of memory");
    ret = CLI_RUNTIME;
out:
    json_decref(arr);
    books_free(bk);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- dispatch ---- */

static void loan_usage(FILE *f)
{
    fputs("usage: saksi loan apply|approve|disburse|repay|latefee|writeoff|schedule|list [ARGS]\n"
          "\n"
          "Pinjaman anggota: pengajuan, persetujuan, pencairan, angsuran, denda, jadwal.\n"
          "Loans to members (docs/ACCOUNTING.md 3.7):\n"
          "  apply      apply for a loan, on the borrower's own device (kind 56)\n"
          "  approve    approve or reject a loan application (kind 33)\n"
          "  disburse   record the disbursement of an approved loan (kind 57); it waits for\n"
          "             the borrower's countersignature ('saksi approve ID' on their device)\n"
          "  repay      record a repayment, split penalty -> interest -> principal (kind 58)\n"
          "  latefee    record a late fee on an overdue installment (kind 59)\n"
          "  writeoff   write off a loan's outstanding principal against the allowance (61)\n"
          "  schedule   print a loan's repayment schedule, or simulate a product's\n"
          "  list       list the loans with their status, outstanding and arrears\n"
          "'saksi loan SUBCOMMAND --help' explains each. The loan portfolio report is 'saksi\n"
          "report loans'; a member's loans are on 'saksi statement --member N'.\n"
          "\n"
          "example: saksi loan apply --product PU --principal 12.000.000 --periods 12\n"
          "\n"
          "exit codes: 0 ok; 1 refused or not found; 2 usage error; 3 runtime error\n",
          f);
}

int cmd_loan(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **, struct cli_ctx *);
    } subs[] = {
        {"apply", loan_apply}, {"approve", loan_approve}, {"disburse", loan_disburse},
        {"repay", loan_repay}, {"latefee", loan_latefee}, {"writeoff", loan_writeoff},
        {"schedule", loan_schedule}, {"list", loan_list},
    };

    if (argc < 2)
        return cli_usage("loan", "missing a subcommand (apply, approve, disburse, repay, "
                                 "latefee, writeoff, schedule or list)");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        loan_usage(stdout);
        return cli_stdout_done();
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].fn(argc - 1, argv + 1, ctx);
    return cli_usage("loan",
                     "unknown subcommand '%s' (use apply, approve, disburse, repay, latefee, "
                     "writeoff, schedule or list)",
                     argv[1]);
}
