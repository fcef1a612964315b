/*
 * Reading the books: `saksi statement` (a member's savings and loans, docs/ACCOUNTING.md 6.6),
 * `saksi report neraca|loans|pending|findings|shu|equity|cashflow|all` (6.2, 6.7, 6.10, 6.9,
 * 6.3 with the SHU proposal and, with --members, 6.8; 6.4; 6.5; the loan portfolio's health
 * label is rendered here, not stored) and `saksi params show|template` (the
 * parameter version in force, and the text form to found a ledger with). The figures and each
 * report's digest come from proto/report.h, which computes them from the books alone; this file
 * only lays them out: aligned columns at most 100 wide, rupiah as Rp1.234.567, dates DD-MM-YYYY,
 * labels in Bahasa Indonesia or English (cli/i18n.c), and a footer with the digest and its
 * fingerprint so that two members can compare their copies. --json mirrors the canonical data
 * with keys and integer amounts. Nothing here writes.
 */
#include "cli/i18n.h"
#include "cli/ckpt.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/render_html.h"
#include "proto/err.h"
#include "proto/params_text.h"
#include "proto/report.h"

#define LINE_WIDTH 100

enum {
    OPT_MEMBER = 256,
    OPT_YEAR,
    OPT_FROM,
    OPT_TO,
    OPT_AS_OF,
    OPT_JSON,
    OPT_LANG,
    OPT_HTML,
    OPT_MEMBERS,
};

/* ---- layout helpers ---- */

/* Display width of UTF-8 text: one column per code point (continuation bytes do not count). */
size_t cli_text_width(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

/* Prints s in a column of width: cut at a character boundary (ending in "…" when cut), then
 * padded with blanks on the right, or on the left when right is set. */
void cli_col(const char *s, size_t width, bool right)
{
    size_t w = cli_text_width(s), bytes = strlen(s);
    bool cut = w > width;

    if (cut) {
        size_t keep = width > 0 ? width - 1 : 0, k = 0;

        for (bytes = 0; s[bytes]; bytes++) {
            if (((unsigned char)s[bytes] & 0xc0) != 0x80) {
                if (k == keep)
                    break;
                k++;
            }
        }
        w = keep + (width > 0);
    }
    if (right)
        for (size_t i = w; i < width; i++)
            putchar(' ');
    fwrite(s, 1, bytes, stdout);
    if (cut && width > 0)
        fputs("…", stdout);
    if (!right)
        for (size_t i = w; i < width; i++)
            putchar(' ');
}

void cli_rule(void)
{
    for (int i = 0; i < LINE_WIDTH; i++)
        putchar('-');
    putchar('\n');
}

/* Days since 1970-01-01 of a YYYYMMDD (proleptic Gregorian). */
static int64_t days_of(uint32_t ymd)
{
    int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static const char *account_name(const struct books *bk, uint32_t code, uint32_t ymd)
{
    const struct proto_account *ac = books_account(bk, code, ymd);

    if (!ac)
        ac = proto_genesis_account(books_genesis(bk), code);
    return ac ? ac->name : "?";
}

static bool debit_natural(const struct books *bk, uint32_t code, uint32_t ymd)
{
    const struct proto_account *ac = books_account(bk, code, ymd);
    uint8_t t;

    if (!ac)
        ac = proto_genesis_account(books_genesis(bk), code);
    t = ac ? ac->type : PROTO_ACCT_ASSET;
    return t == PROTO_ACCT_ASSET || t == PROTO_ACCT_CONTRA_ASSET || t == PROTO_ACCT_EXPENSE;
}

/*
 * Whether the report being printed is final (cli/ckpt.h cli_report_final): -1 when not known
 * (statements, pending lists), else 0 or 1. Set by cmd_report once for its as_of; printed in the
 * footer and the JSON envelope, outside the digested data.
 */
static int report_final = -1;

static void footer(const struct report_meta *m, int lang)
{
    char hex[65], fpr[REPORT_FPR_CHARS + 1];

    report_fingerprint(m->digest, fpr);
    printf("\n%s: %s\n%s: %s\n", cli_label(lang, "digest"), cli_hex(m->digest, 32, hex),
           cli_label(lang, "fingerprint"), fpr);
    if (report_final >= 0)
        printf("%s\n", report_final
                           ? CLI_TR(lang, "Status: final (tercakup checkpoint final)",
                                    "Status: final (covered by a final checkpoint)")
                           : CLI_TR(lang, "Status: sementara (belum tercakup checkpoint final)",
                                    "Status: pending (not yet covered by a final checkpoint)"));
}

static void header(const struct books *bk, const char *title, const struct report_meta *m, int lang,
                   bool period)
{
    char d1[24], d2[24], d3[24];

    printf("%s\n", books_genesis(bk)->name);
    if (period)
        printf("%s\n%s %s %s %s, %s %s\n", title, cli_label(lang, "period"),
               cli_date_long(m->start, lang, d1), cli_label(lang, "to"),
               cli_date_long(m->end, lang, d2), cli_label(lang, "as_of"),
               cli_date_long(m->as_of, lang, d3));
    else
        printf("%s, %s %s\n", title, cli_label(lang, "as_of"), cli_date_long(m->as_of, lang, d3));
}

/* ---- JSON envelope ---- */

static json_t *jdate(uint32_t ymd)
{
    char d[11];

    return ymd ? json_string(cli_date_str(ymd, d)) : json_null();
}

static json_t *jint(int64_t v)
{
    return json_integer((json_int_t)v);
}

/* {"type", "ledger_id", "digest", "fingerprint", "as_of", "start", "end", "basis"} + data,
 * labels. Takes data and labels. */
static json_t *envelope(const struct books *bk, const struct report_meta *m, json_t *data,
                        json_t *labels)
{
    char fpr[REPORT_FPR_CHARS + 1];
    json_t *o = json_object();

    report_fingerprint(m->digest, fpr);
    if (!o || !data || !labels || json_object_set_new(o, "type", json_string(m->type)) < 0 ||
        json_object_set_new(o, "ledger_id", cli_json_hex(books_ledger_id(bk), 32)) < 0 ||
        json_object_set_new(o, "digest", cli_json_hex(m->digest, 32)) < 0 ||
        json_object_set_new(o, "fingerprint", json_string(fpr)) < 0 ||
        json_object_set_new(o, "as_of", jdate(m->as_of)) < 0 ||
        json_object_set_new(o, "start", jdate(m->start)) < 0 ||
        json_object_set_new(o, "end", jdate(m->end)) < 0 ||
        json_object_set_new(o, "basis",
                            m->has_basis ? cli_json_hex(m->basis, 32) : json_null()) < 0 ||
        (report_final >= 0 && json_object_set_new(o, "final", json_boolean(report_final)) < 0) ||
        json_object_set_new(o, "data", data) < 0 || json_object_set_new(o, "labels", labels) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * --html FILE: the page of the --json documents in list (one, or an array of them, so that the
 * two forms cannot disagree), then one line saying where it went: on stdout, or on stderr when
 * stdout carries the JSON. Returns the exit code; a failure names the path.
 */
static int html_out(const char *path, const struct books *bk, json_t *list, int lang, bool json_too)
{
    size_t n = json_is_array(list) ? json_array_size(list) : 1;
    json_t **docs = calloc(n ? n : 1, sizeof *docs);
    int rc = -ENOMEM;

    for (size_t i = 0; docs && i < n; i++)
        docs[i] = json_is_array(list) ? json_array_get(list, i) : list;
    if (docs)
        rc = cli_html_file(path, books_genesis(bk)->name, docs, n, lang);
    free(docs);
    if (rc < 0) {
        cli_err("cannot write '%s': %s", path, err_str(rc));
        return CLI_RUNTIME;
    }
    fprintf(json_too ? stderr : stdout,
            CLI_TR(lang, "Laporan HTML ditulis ke %s\n", "HTML report written to %s\n"), path);
    return json_too ? CLI_OK : cli_stdout_done();
}

/* Adds {"accounts": {"1100": "Kas", ...}} to labels for the codes given. */
static int labels_accounts(json_t *labels, const struct books *bk, const uint32_t *codes, size_t n,
                           uint32_t ymd)
{
    json_t *a = json_object();
    char key[16];

    if (!a || json_object_set_new(labels, "accounts", a) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "%u", codes[i]);
        if (codes[i] == REPORT_CODE_SHU_CURRENT || codes[i] == REPORT_CODE_UNBALANCED)
            continue;
        if (json_object_set_new(a, key, json_string(account_name(bk, codes[i], ymd))) < 0)
            return -1;
    }
    return 0;
}

/* ---- the waiting items (pending report, statement) ---- */

static json_t *item_json(const struct books *bk, uint32_t idx, uint32_t as_of, int lang)
{
    const struct books_item *it = books_item(bk, idx);
    char w[160], hex[9];
    json_t *o;

    cli_wait_str(it, lang, w, sizeof w);
    o = json_object();
    if (!o || json_object_set_new(o, "id", cli_json_hex(it->id, 32)) < 0 ||
        json_object_set_new(o, "kind", json_integer(it->kind)) < 0 ||
        json_object_set_new(o, "kind_name",
                            json_string(proto_acct_kind_name(it->kind)
                                            ? proto_acct_kind_name(it->kind)
                                            : "journal")) < 0 ||
        json_object_set_new(o, "date", jdate(it->date)) < 0 ||
        json_object_set_new(o, "amount", cli_json_u64(it->amount)) < 0 ||
        json_object_set_new(o, "member", it->member ? json_integer(it->member) : json_null()) < 0 ||
        json_object_set_new(o, "reason", json_string(books_reason_name(it->reason))) < 0 ||
        json_object_set_new(o, "missing_pengurus", json_integer(it->missing_pengurus)) < 0 ||
        json_object_set_new(o, "missing_pengawas", json_integer(it->missing_pengawas)) < 0 ||
        json_object_set_new(o, "offices", json_integer(it->missing_offices)) < 0 ||
        json_object_set_new(o, "countersign",
                            it->reason == BOOKS_WAIT_COUNTERSIGN && it->csign_member
                                ? json_integer(it->csign_member)
                                : json_null()) < 0 ||
        json_object_set_new(o, "prerequisite",
                            it->has_prereq ? cli_json_hex(it->prereq, 32) : json_null()) < 0 ||
        json_object_set_new(o, "rejects", json_integer(it->rejects)) < 0 ||
        json_object_set_new(
            o, "age_days", it->date ? jint(days_of(as_of) - days_of(it->date)) : json_null()) < 0 ||
        json_object_set_new(o, "text", json_string(w)) < 0 ||
        json_object_set_new(o, "short_id", json_string(cli_hex(it->id, 4, hex))) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The waiting items as a table: date, entry, kind, member, amount, age in days, then what is
 * still missing (on the next line when it does not fit). */
static void waiting_text(const struct books *bk, const uint32_t *v, size_t n, uint32_t as_of,
                         int lang)
{
    char d[11], hex[9], r[32], w[160], m[16], age[16];
    const size_t used = 10 + 2 + 8 + 2 + 18 + 2 + 7 + 2 + 14 + 2 + 4 + 2;

    cli_col(cli_label(lang, "date"), 10, false);
    printf("  ");
    cli_col(cli_label(lang, "entry"), 8, false);
    printf("  ");
    cli_col(cli_label(lang, "kind"), 18, false);
    printf("  ");
    cli_col(cli_label(lang, "member"), 7, true);
    printf("  ");
    cli_col(cli_label(lang, "amount"), 14, true);
    printf("  ");
    cli_col(cli_label(lang, "days"), 4, true);
    printf("  %s\n", cli_label(lang, "missing"));
    for (size_t i = 0; i < n; i++) {
        const struct books_item *it = books_item(bk, v[i]);

        snprintf(m, sizeof m, it->member ? "%u" : "-", it->member);
        if (it->date && as_of >= it->date)
            snprintf(age, sizeof age, "%lld", (long long)(days_of(as_of) - days_of(it->date)));
        else
            snprintf(age, sizeof age, "-");
        cli_col(it->date ? cli_date_dmy(it->date, d) : "-", 10, false);
        printf("  %s  ", cli_hex(it->id, 4, hex));
        cli_col(cli_kind_label(it->kind, lang), 18, false);
        printf("  ");
        cli_col(m, 7, true);
        printf("  ");
        cli_col(cli_rupiah(it->amount, r), 14, true);
        printf("  ");
        cli_col(age, 4, true);
        cli_wait_what(it, lang, w, sizeof w);
        if (it->rejects)
            snprintf(w + strlen(w), sizeof w - strlen(w),
                     CLI_TR(lang, " (ditolak %u)", " (rejected by %u)"), it->rejects);
        if (used + cli_text_width(w) <= LINE_WIDTH)
            printf("  %s\n", w);
        else
            printf("\n%12s%s\n", "", w);
    }
}

int cli_pending_out(const struct books *bk, uint32_t as_of, uint32_t member, int lang, bool json)
{
    static const char *const keys[] = {"pending",    "date",   "entry",       "kind",
                                       "member",     "amount", "days",        "missing",
                                       "no_pending", "digest", "fingerprint", NULL};
    struct report_pending r;
    int rc;

    memset(&r, 0, sizeof r);
    rc = report_pending(bk, as_of, member, &r);
    if (rc < 0) {
        cli_err("cannot build the pending report: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (json) {
        json_t *data = json_array(), *doc;

        for (size_t i = 0; data && i < r.n; i++)
            if (json_array_append_new(data, item_json(bk, r.items[i], as_of, lang)) < 0) {
                json_decref(data);
                data = NULL;
            }
        doc = envelope(bk, &r.meta, data, cli_labels_json(lang, keys));
        report_pending_free(&r);
        if (!doc) {
            cli_err("out of memory");
            return CLI_RUNTIME;
        }
        return cli_json_out(doc);
    }
    header(bk, cli_label(lang, "pending"), &r.meta, lang, false);
    if (member)
        printf("%s %u\n", cli_label(lang, "member"), member);
    putchar('\n');
    if (r.n == 0)
        printf("%s\n", cli_label(lang, "no_pending"));
    else
        waiting_text(bk, r.items, r.n, as_of, lang);
    footer(&r.meta, lang);
    report_pending_free(&r);
    return cli_stdout_done();
}

/* ---- neraca ---- */

static json_t *neraca_json(const struct books *bk, const struct report_neraca *r, int lang)
{
    static const char *const keys[] = {"neraca",
                                       "code",
                                       "account",
                                       "assets",
                                       "liabilities",
                                       "equity",
                                       "total_assets",
                                       "total_liabilities",
                                       "total_equity",
                                       "total_le",
                                       "balanced",
                                       "prior",
                                       "shu_current",
                                       "unbalanced_diff",
                                       "digest",
                                       "fingerprint",
                                       NULL};
    json_t *data = json_object(), *rows = json_array(), *tot = json_object(), *labels;
    uint32_t *codes = calloc(r->nrows + 1, sizeof *codes);

    labels = cli_labels_json(lang, keys);
    if (!data || !rows || !tot || !labels || !codes ||
        json_object_set_new(data, "rows", rows) < 0 || json_object_set_new(data, "totals", tot) < 0)
        goto oom;
    rows = tot = NULL;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct report_neraca_row *w = &r->rows[i];
        json_t *o = json_pack("{s:i, s:s, s:o, s:o}", "code", (json_int_t)w->code, "type",
                              proto_acct_type_name(w->type), "amount", jint(w->amount), "prior",
                              jint(w->prior));

        codes[i] = w->code;
        if (!o || json_array_append_new(json_object_get(data, "rows"), o) < 0)
            goto oom;
    }
    if (json_object_set_new(data, "prior_date", jdate(r->prior_date)) < 0 ||
        json_object_set_new(json_object_get(data, "totals"), "assets", jint(r->assets)) < 0 ||
        json_object_set_new(json_object_get(data, "totals"), "liabilities", jint(r->liabilities)) <
            0 ||
        json_object_set_new(json_object_get(data, "totals"), "equity", jint(r->equity)) < 0 ||
        json_object_set_new(json_object_get(data, "totals"), "balanced",
                            json_boolean(r->balanced)) < 0 ||
        json_object_set_new(json_object_get(data, "totals"), "prior_assets",
                            jint(r->prior_assets)) < 0 ||
        json_object_set_new(json_object_get(data, "totals"), "prior_liabilities",
                            jint(r->prior_liabilities)) < 0 ||
        json_object_set_new(json_object_get(data, "totals"), "prior_equity",
                            jint(r->prior_equity)) < 0 ||
        labels_accounts(labels, bk, codes, r->nrows, r->meta.as_of) < 0)
        goto oom;
    free(codes);
    return envelope(bk, &r->meta, data, labels);
oom:
    free(codes);
    json_decref(rows);
    json_decref(tot);
    json_decref(data);
    json_decref(labels);
    return NULL;
}

static void neraca_line(const char *code, const char *name, int64_t a, int64_t b)
{
    char r1[40], r2[40];

    cli_col(code, 5, true);
    printf("  ");
    cli_col(name, 47, false);
    printf("  ");
    cli_col(cli_rupiah_signed(a, false, r1), 20, true);
    printf("  ");
    cli_col(cli_rupiah_signed(b, false, r2), 20, true);
    putchar('\n');
}

static void neraca_section(const struct books *bk, const struct report_neraca *r, int lang,
                           const char *title, uint8_t t1, uint8_t t2)
{
    char code[8];

    printf("%s\n", cli_label(lang, title));
    /* Accounts first, then the synthetic rows (codes below 1000) at the foot of the section. */
    for (size_t k = 0; k < 2 * r->nrows; k++) {
        const struct report_neraca_row *w = &r->rows[k % r->nrows];
        const char *name;

        if ((w->type != t1 && w->type != t2) || (k < r->nrows) != (w->code >= 1000))
            continue;
        if (w->code == REPORT_CODE_SHU_CURRENT)
            name = cli_label(lang, "shu_current");
        else if (w->code == REPORT_CODE_UNBALANCED)
            name = cli_label(lang, "unbalanced_diff");
        else
            name = account_name(bk, w->code, r->meta.as_of);
        snprintf(code, sizeof code, "%u", w->code);
        neraca_line(code, name, w->amount, w->prior);
    }
}

static int neraca_text(const struct books *bk, const struct report_neraca *r, int lang)
{
    char d1[11], d2[11];

    header(bk, cli_label(lang, "neraca"), &r->meta, lang, false);
    putchar('\n');
    cli_col(cli_label(lang, "code"), 5, true);
    printf("  ");
    cli_col(cli_label(lang, "account"), 47, false);
    printf("  ");
    cli_col(cli_date_dmy(r->meta.as_of, d1), 20, true);
    printf("  ");
    cli_col(cli_date_dmy(r->prior_date, d2), 20, true);
    putchar('\n');
    cli_rule();
    neraca_section(bk, r, lang, "assets", PROTO_ACCT_ASSET, PROTO_ACCT_CONTRA_ASSET);
    neraca_line("", cli_label(lang, "total_assets"), r->assets, r->prior_assets);
    putchar('\n');
    neraca_section(bk, r, lang, "liabilities", PROTO_ACCT_LIABILITY, PROTO_ACCT_LIABILITY);
    neraca_line("", cli_label(lang, "total_liabilities"), r->liabilities, r->prior_liabilities);
    putchar('\n');
    neraca_section(bk, r, lang, "equity", PROTO_ACCT_EQUITY, PROTO_ACCT_EQUITY);
    neraca_line("", cli_label(lang, "total_equity"), r->equity, r->prior_equity);
    cli_rule();
    neraca_line("", cli_label(lang, "total_le"), r->liabilities + r->equity,
                r->prior_liabilities + r->prior_equity);
    printf("\n%s: %s\n", cli_label(lang, "balanced"), cli_label(lang, r->balanced ? "yes" : "no"));
    footer(&r->meta, lang);
    return 0;
}

/* ---- loans ---- */

static const char *loan_status_key(int status)
{
    static const char *const k[] = {"",     "applied",  "approved",   "disbursed",
                                    "paid", "reversed", "written_off"};

    return status >= 1 && status <= 6 ? k[status] : "?";
}

/* "0-90", "271+" of the bucket index in the parameters in force on ymd. */
static const char *bucket_days(const struct books *bk, uint32_t ymd, uint32_t index, char *buf,
                               size_t size)
{
    const struct proto_params *P = books_params_at(bk, ymd);

    if (!P || index >= P->nrisk)
        snprintf(buf, size, "-");
    else if (P->risk[index].max_days == PROTO_LOAN_DAYS_OPEN)
        snprintf(buf, size, "%u+", P->risk[index].min_days);
    else
        snprintf(buf, size, "%u-%u", P->risk[index].min_days, P->risk[index].max_days);
    return buf;
}

static json_t *loan_row_json(const struct books *bk, const struct report_loan_row *r, int lang)
{
    const struct books_loan *l = books_loan_at(bk, r->loan);

    return json_pack("{s:o, s:i, s:s, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:s, s:o, s:b, s:s, "
                     "s:s}",
                     "loan", cli_json_hex(books_item(bk, l->item)->id, 32), "member",
                     (json_int_t)r->member, "product", r->product, "disbursed", jdate(r->disbursed),
                     "principal", cli_json_u64(r->principal), "outstanding",
                     cli_json_u64(r->st.outstanding), "arrears", cli_json_u64(r->st.arrears),
                     "days_past_due", (json_int_t)r->st.dpd, "bucket",
                     r->st.has_bucket ? json_integer(r->st.bucket) : json_null(), "class",
                     r->st.klass ? json_integer(r->st.klass) : json_null(), "class_text",
                     cli_klass_label(r->st.klass, lang), "ppapwd", cli_json_u64(r->st.ppapwd),
                     "officer", (int)r->officer, "status", loan_status_key(r->st.status),
                     "status_text", cli_loan_status_label(r->st.status, lang));
}

static json_t *loans_json(const struct books *bk, const struct report_loans *r, int lang)
{
    static const char *const keys[] = {"loans",
                                       "loan",
                                       "member",
                                       "product",
                                       "disbursed",
                                       "principal",
                                       "outstanding",
                                       "arrears",
                                       "days",
                                       "collectibility",
                                       "class",
                                       "count",
                                       "ppap",
                                       "ppapwd",
                                       "ppap_booked",
                                       "bermasalah",
                                       "ratio",
                                       "health",
                                       "officer_outstanding",
                                       "top10",
                                       "written_off",
                                       "share",
                                       "no_loans",
                                       "digest",
                                       "fingerprint",
                                       NULL};
    json_t *data = json_object(), *rows = json_array(), *bk_ = json_array(), *top = json_array();
    json_t *labels = cli_labels_json(lang, keys), *classes = json_object();
    char pct[24], days[24], key[12];

    if (!data || !rows || !bk_ || !top || !labels || !classes)
        goto oom;
    for (size_t i = 0; i < r->n; i++)
        if (json_array_append_new(rows, loan_row_json(bk, &r->rows[i], lang)) < 0)
            goto oom;
    for (size_t k = 0; k < r->nbuckets; k++) {
        const struct report_bucket *b = &r->buckets[k];

        if (json_array_append_new(
                bk_, json_pack("{s:i, s:i, s:s, s:s, s:i, s:o, s:i, s:o}", "index",
                               (json_int_t)b->index, "class", (json_int_t)b->klass, "class_text",
                               cli_klass_label(b->klass, lang), "days",
                               bucket_days(bk, r->meta.as_of, b->index, days, sizeof days), "count",
                               (json_int_t)b->count, "outstanding", cli_json_u64(b->outstanding),
                               "ppap_ppm", (json_int_t)b->ppap_ppm, "ppapwd",
                               cli_json_u64(b->ppapwd))) < 0)
            goto oom;
    }
    for (size_t k = 0; k < r->ntop; k++)
        if (json_array_append_new(top, json_pack("{s:i, s:o, s:i}", "member",
                                                 (json_int_t)r->top[k].member, "outstanding",
                                                 cli_json_u64(r->top[k].outstanding), "ppm",
                                                 (json_int_t)r->top[k].ppm)) < 0)
            goto oom;
    for (int c = 1; c <= 4; c++) {
        snprintf(key, sizeof key, "%d", c);
        if (json_object_set_new(classes, key, json_string(cli_klass_label(c, lang))) < 0)
            goto oom;
    }
    if (json_object_set_new(labels, "classes", classes) < 0)
        goto oom_c;
    classes = NULL;
    if (json_object_set_new(labels, "health_text",
                            json_string(cli_health_label(r->ratio_ppm, lang))) < 0 ||
        json_object_set_new(labels, "ratio_text",
                            json_string(cli_ppm_str(r->ratio_ppm, lang, pct))) < 0)
        goto oom_c;
    if (json_object_set_new(data, "rows", rows) < 0)
        goto oom_r;
    rows = NULL;
    if (json_object_set_new(data, "buckets", bk_) < 0)
        goto oom_r;
    bk_ = NULL;
    if (json_object_set_new(data, "totals",
                            json_pack("{s:o, s:o, s:o, s:i, s:o, s:I, s:o, s:o, s:o}", "count",
                                      cli_json_u64(r->count), "outstanding",
                                      cli_json_u64(r->outstanding), "bermasalah",
                                      cli_json_u64(r->bermasalah), "ratio_ppm",
                                      (json_int_t)r->ratio_ppm, "ppapwd", cli_json_u64(r->ppapwd),
                                      "ppap_booked", (json_int_t)r->ppap_booked,
                                      "officer_outstanding", cli_json_u64(r->officer_outstanding),
                                      "top10", top, "written_off", cli_json_u64(r->written_off))) < 0) {
        top = NULL;
        goto oom_r;
    }
    return envelope(bk, &r->meta, data, labels);
oom:
    json_decref(classes);
oom_c:
    json_decref(rows);
oom_r:
    json_decref(bk_);
    json_decref(top);
    json_decref(data);
    json_decref(labels);
    return NULL;
}

static void loans_row(const char *id, const char *m, const char *p, const char *disb,
                      const char *out, const char *arr, const char *dpd, const char *kl)
{
    cli_col(id, 8, false);
    printf("  ");
    cli_col(m, 8, true);
    printf("  ");
    cli_col(p, 7, false);
    printf("  ");
    cli_col(disb, 10, false);
    printf("  ");
    cli_col(out, 15, true);
    printf("  ");
    cli_col(arr, 14, true);
    printf("  ");
    cli_col(dpd, 5, true);
    printf("  %s\n", kl);
}

static void buckets_row(const char *kl, const char *days, const char *n, const char *out,
                        const char *ppm, const char *ppap)
{
    cli_col(kl, 15, false);
    printf("  ");
    cli_col(days, 9, false);
    printf("  ");
    cli_col(n, 6, true);
    printf("  ");
    cli_col(out, 16, true);
    printf("  ");
    cli_col(ppm, 8, true);
    printf("  ");
    cli_col(ppap, 16, true);
    putchar('\n');
}

static int loans_text(const struct books *bk, const struct report_loans *r, int lang)
{
    char d[11], hex[9], m[16], r1[40], r2[40], dpd[12], days[24], n[16], pct[24];
    bool any_officer = false;

    header(bk, cli_label(lang, "loans"), &r->meta, lang, false);
    putchar('\n');
    if (r->n == 0) {
        printf("%s\n", cli_label(lang, "no_loans"));
    } else {
        loans_row(cli_label(lang, "loan"), cli_label(lang, "member"), cli_label(lang, "product"),
                  cli_label(lang, "disbursed"), cli_label(lang, "outstanding"),
                  cli_label(lang, "arrears"), cli_label(lang, "days"),
                  cli_label(lang, "collectibility"));
        cli_rule();
        for (size_t i = 0; i < r->n; i++) {
            const struct report_loan_row *w = &r->rows[i];
            const struct books_loan *l = books_loan_at(bk, w->loan);

            snprintf(m, sizeof m, "%u%s", w->member, w->officer ? "*" : "");
            any_officer |= w->officer;
            snprintf(dpd, sizeof dpd, "%u", w->st.dpd);
            loans_row(cli_hex(books_item(bk, l->item)->id, 4, hex), m, w->product,
                      w->disbursed ? cli_date_dmy(w->disbursed, d) : "-",
                      cli_rupiah(w->st.outstanding, r1), cli_rupiah(w->st.arrears, r2), dpd,
                      w->st.status == BOOKS_LOAN_PAID || w->st.status == BOOKS_LOAN_WRITTEN_OFF
                          ? cli_loan_status_label(w->st.status, lang)
                          : cli_klass_label(w->st.klass, lang));
        }
        if (any_officer)
            printf("* %s\n", cli_label(lang, "officer"));
    }
    printf("\n%s\n", cli_label(lang, "collectibility"));
    buckets_row(cli_label(lang, "class"), cli_label(lang, "days"), cli_label(lang, "count"),
                cli_label(lang, "outstanding"), cli_label(lang, "ppap"), "PPAPWD");
    cli_rule();
    for (size_t k = 0; k < r->nbuckets; k++) {
        const struct report_bucket *b = &r->buckets[k];

        snprintf(n, sizeof n, "%u", b->count);
        buckets_row(cli_klass_label(b->klass, lang),
                    bucket_days(bk, r->meta.as_of, b->index, days, sizeof days), n,
                    cli_rupiah(b->outstanding, r1), cli_ppm_str(b->ppap_ppm, lang, pct),
                    cli_rupiah(b->ppapwd, r2));
    }
    cli_rule();
    snprintf(n, sizeof n, "%llu", (unsigned long long)r->count);
    buckets_row(cli_label(lang, "total"), "", n, cli_rupiah(r->outstanding, r1), "",
                cli_rupiah(r->ppapwd, r2));
    printf("\n%s: %s\n", cli_label(lang, "bermasalah"), cli_rupiah(r->bermasalah, r1));
    printf("%s: %s (%s)\n", cli_label(lang, "ratio"), cli_ppm_str(r->ratio_ppm, lang, pct),
           cli_health_label(r->ratio_ppm, lang));
    printf("%s: %s\n", cli_label(lang, "ppapwd"), cli_rupiah(r->ppapwd, r1));
    printf("%s: %s\n", cli_label(lang, "ppap_booked"),
           cli_rupiah_signed(r->ppap_booked, false, r1));
    printf("%s: %s\n", cli_label(lang, "officer_outstanding"),
           cli_rupiah(r->officer_outstanding, r1));
    if (r->written_off)
        printf("%s: %s\n", cli_label(lang, "written_off"), cli_rupiah(r->written_off, r1));
    if (r->ntop) {
        printf("\n%s\n", cli_label(lang, "top10"));
        for (size_t k = 0; k < r->ntop; k++) {
            snprintf(m, sizeof m, "%u", r->top[k].member);
            printf("  %s ", cli_label(lang, "member"));
            cli_col(m, 8, true);
            printf("  ");
            cli_col(cli_rupiah(r->top[k].outstanding, r1), 16, true);
            printf("  ");
            cli_col(cli_ppm_str(r->top[k].ppm, lang, pct), 9, true);
            putchar('\n');
        }
    }
    footer(&r->meta, lang);
    return 0;
}

/* ---- findings ---- */

static json_t *findings_json(const struct books *bk, const struct report_findings *r, int lang)
{
    static const char *const keys[] = {
        "findings", "code",   "severity",    "date",   "entry",       "member", "account",
        "amount",   "detail", "no_findings", "digest", "fingerprint", NULL};
    json_t *data = json_array();

    for (size_t i = 0; data && i < r->n; i++) {
        const struct books_finding *f = &r->rows[i];
        const uint8_t *id = f->item >= 0 && (size_t)f->item < books_nitems(bk)
                                ? books_item(bk, (size_t)f->item)->id
                                : NULL;
        char msg[400];
        json_t *o = json_object();

        cli_finding_str(bk, f, lang, msg, sizeof msg);
        if (!o || json_array_append_new(data, o) < 0 ||
            json_object_set_new(o, "code", json_string(books_code_name(f->code))) < 0 ||
            json_object_set_new(o, "severity", json_integer(f->severity)) < 0 ||
            json_object_set_new(o, "date", jdate(f->date)) < 0 ||
            json_object_set_new(o, "entry", id ? cli_json_hex(id, 32) : json_null()) < 0 ||
            json_object_set_new(o, "member", f->member ? json_integer(f->member) : json_null()) <
                0 ||
            json_object_set_new(o, "account", f->account ? json_integer(f->account) : json_null()) <
                0 ||
            json_object_set_new(o, "amount", jint(f->amount)) < 0 ||
            json_object_set_new(
                o, "detail",
                json_pack("[I, I]", (json_int_t)f->detail[0], (json_int_t)f->detail[1])) < 0 ||
            json_object_set_new(o, "text", json_string(msg)) < 0) {
            json_decref(data);
            return NULL;
        }
    }
    return envelope(bk, &r->meta, data, cli_labels_json(lang, keys));
}

static int findings_text(const struct books *bk, const struct report_findings *r, int lang)
{
    char d[11], hex[9], msg[400];

    header(bk, cli_label(lang, "findings"), &r->meta, lang, true);
    putchar('\n');
    if (r->n == 0) {
        printf("%s\n", cli_label(lang, "no_findings"));
        footer(&r->meta, lang);
        return 0;
    }
    cli_col(cli_label(lang, "code"), 20, false);
    printf("  ");
    cli_col(cli_label(lang, "severity"), 9, false);
    printf("  ");
    cli_col(cli_label(lang, "date"), 10, false);
    printf("  ");
    cli_col(cli_label(lang, "entry"), 8, false);
    printf("  %s\n", cli_label(lang, "detail"));
    for (size_t i = 0; i < r->n; i++) {
        const struct books_finding *f = &r->rows[i];

        cli_col(books_code_name(f->code), 20, false);
        printf("  ");
        cli_col(cli_severity_label(f->severity, lang), 9, false);
        printf("  ");
        cli_col(f->date ? cli_date_dmy(f->date, d) : "-", 10, false);
        printf("  ");
        if (f->item >= 0 && (size_t)f->item < books_nitems(bk))
            cli_col(cli_hex(books_item(bk, (size_t)f->item)->id, 4, hex), 8, false);
        else
            cli_col("-", 8, false);
        cli_finding_str(bk, f, lang, msg, sizeof msg);
        if (20 + 2 + 9 + 2 + 10 + 2 + 8 + 2 + cli_text_width(msg) <= LINE_WIDTH)
            printf("  %s\n", msg);
        else
            printf("\n%12s%s\n", "", msg);
    }
    footer(&r->meta, lang);
    return 0;
}

/* ---- statement ---- */

/* The statement's loans (ACCOUNTING.md 6.6): [loan, status, principal, outstanding, arrears,
 * days_past_due, next_due, next_amount, interest_paid, penalty_due], with keys. */
static json_t *stmt_loans_json(const struct books *bk, const struct report_statement *r, int lang)
{
    json_t *a = json_array();

    for (size_t i = 0; a && i < r->nloans; i++) {
        const struct report_loan_row *w = &r->loans[i];
        const struct books_loan *l = books_loan_at(bk, w->loan);
        json_t *o = json_pack(
            "{s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "loan",
            cli_json_hex(books_item(bk, l->item)->id, 32), "product", w->product, "status",
            loan_status_key(w->st.status), "status_text", cli_loan_status_label(w->st.status, lang),
            "disbursed", jdate(w->disbursed), "principal", cli_json_u64(w->principal),
            "outstanding", cli_json_u64(w->st.outstanding), "arrears", cli_json_u64(w->st.arrears),
            "days_past_due", (json_int_t)w->st.dpd, "next_due", jdate(w->st.next_due),
            "next_amount", cli_json_u64(w->st.next_amount), "interest_paid",
            cli_json_u64(w->st.interest_paid), "penalty_due", cli_json_u64(w->st.penalty_due));

        if (!o || json_array_append_new(a, o) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static void stmt_loan_row(const char *id, const char *p, const char *st, const char *prin,
                          const char *out, const char *arr, const char *dpd, const char *due)
{
    cli_col(id, 8, false);
    printf("  ");
    cli_col(p, 7, false);
    printf("  ");
    cli_col(st, 10, false);
    printf("  ");
    cli_col(prin, 14, true);
    printf("  ");
    cli_col(out, 14, true);
    printf("  ");
    cli_col(arr, 12, true);
    printf("  ");
    cli_col(dpd, 4, true);
    printf("  %s\n", due);
}

/* The statement's loans as a table, each with a second line: the next installment, interest
 * paid and penalty due. */
static void stmt_loans_text(const struct books *bk, const struct report_statement *r, int lang)
{
    char hex[9], d[11], r1[32], r2[32], r3[32], dpd[12];

    printf("\n%s\n", cli_label(lang, "loans_section"));
    stmt_loan_row(cli_label(lang, "loan"), cli_label(lang, "product"), cli_label(lang, "status"),
                  cli_label(lang, "principal"), cli_label(lang, "outstanding"),
                  cli_label(lang, "arrears"), cli_label(lang, "days"), cli_label(lang, "due"));
    for (size_t i = 0; i < r->nloans; i++) {
        const struct report_loan_row *w = &r->loans[i];
        const struct books_loan *l = books_loan_at(bk, w->loan);
        bool running = w->st.status >= BOOKS_LOAN_DISBURSED;

        snprintf(dpd, sizeof dpd, "%u", w->st.dpd);
        stmt_loan_row(cli_hex(books_item(bk, l->item)->id, 4, hex), w->product,
                      cli_loan_status_label(w->st.status, lang), cli_rupiah(w->principal, r1),
                      running ? cli_rupiah(w->st.outstanding, r2) : "-",
                      running ? cli_rupiah(w->st.arrears, r3) : "-", running ? dpd : "-",
                      w->st.next_due ? cli_date_dmy(w->st.next_due, d) : "-");
        if (!running)
            continue;
        printf("%10s", "");
        if (w->st.next_due)
            printf("%s %s; ", cli_label(lang, "next_due"), cli_rupiah(w->st.next_amount, r1));
        printf("%s %s; %s %s\n", cli_label(lang, "interest_paid"),
               cli_rupiah(w->st.interest_paid, r2), cli_label(lang, "penalty_due"),
               cli_rupiah(w->st.penalty_due, r3));
    }
}

static json_t *statement_json(const struct books *bk, const struct report_statement *r, int lang)
{
    static const char *const keys[] = {
        "statement",     "member",    "status",        "product",     "account", "opening",
        "closing",       "date",      "entry",         "kind",        "debit",   "credit",
        "balance",       "confirmed", "refund_due",    "waiting",     "digest",  "fingerprint",
        "loans_section", "loan",      "principal",     "outstanding", "arrears", "days",
        "due",           "next_due",  "interest_paid", "penalty_due", NULL};
    json_t *data = json_object(), *sav = json_array(), *wait = json_array(), *labels;
    uint32_t *codes = calloc(r->naccounts + 1, sizeof *codes);
    static const char *const st[] = {"unregistered", "active", "calon", "luar", "exited"};

    labels = cli_labels_json(lang, keys);
    if (!data || !sav || !wait || !labels || !codes ||
        json_object_set_new(data, "member", json_integer(r->member)) < 0 ||
        json_object_set_new(data, "status", json_string(r->status <= 4 ? st[r->status] : "?")) <
            0 ||
        json_object_set_new(data, "status_text",
                            json_string(cli_member_status_label(r->status, lang))) < 0 ||
        json_object_set_new(data, "joined", jdate(r->joined)) < 0 ||
        json_object_set_new(data, "exited", jdate(r->exited)) < 0 ||
        json_object_set_new(data, "savings", sav) < 0)
        goto oom;
    for (size_t i = 0; i < r->naccounts; i++) {
        const struct report_stmt_account *ac = &r->accounts[i];
        json_t *moves = json_array(), *o;

        codes[i] = ac->account;
        o = json_pack("{s:i, s:o, s:o, s:o, s:o}", "account", (json_int_t)ac->account, "product",
                      ac->product[0] ? json_string(ac->product) : json_null(), "opening",
                      jint(ac->opening), "moves", moves ? moves : json_array(), "closing",
                      jint(ac->closing));
        if (!o || json_array_append_new(sav, o) < 0)
            goto oom;
        moves = json_object_get(o, "moves");
        for (size_t k = 0; k < ac->nmoves; k++) {
            const struct report_move *mv = &ac->moves[k];
            json_t *x = json_pack("{s:o, s:o, s:i, s:o, s:o, s:b}", "date", jdate(mv->date), "id",
                                  cli_json_hex(books_item(bk, mv->item)->id, 32), "kind",
                                  (json_int_t)mv->kind, "debit", cli_json_u64(mv->debit), "credit",
                                  cli_json_u64(mv->credit), "confirmed", (int)mv->confirmed);

            if (!x || json_array_append_new(moves, x) < 0)
                goto oom;
        }
    }
    if (json_object_set_new(data, "loans", stmt_loans_json(bk, r, lang)) < 0 ||
        json_object_set_new(data, "shu", json_array()) < 0 ||
        json_object_set_new(data, "refund_due",
                            json_pack("{s:o, s:o, s:o}", "balance", jint(r->refund_balance),
                                      "due_date", jdate(r->refund_due), "overdue_days",
                                      jint(r->overdue_days))) < 0)
        goto oom;
    for (size_t i = 0; i < r->nwaiting; i++)
        if (json_array_append_new(wait, item_json(bk, r->waiting[i], r->meta.as_of, lang)) < 0)
            goto oom;
    if (json_object_set_new(data, "waiting", wait) < 0)
        goto oom_w;
    wait = NULL;
    if (labels_accounts(labels, bk, codes, r->naccounts, r->meta.as_of) < 0)
        goto oom_w;
    free(codes);
    return envelope(bk, &r->meta, data, labels);
oom:
    json_decref(wait);
oom_w:
    free(codes);
    json_decref(data);
    json_decref(labels);
    return NULL;
}

static void stmt_row(const char *date, const char *id, const char *what, const char *dr,
                     const char *cr, const char *bal)
{
    cli_col(date, 10, false);
    printf("  ");
    cli_col(id, 8, false);
    printf("  ");
    cli_col(what, 22, false);
    printf("  ");
    cli_col(dr, 16, true);
    printf("  ");
    cli_col(cr, 16, true);
    printf("  ");
    cli_col(bal, 16, true);
    putchar('\n');
}

static int statement_text(const struct books *bk, const struct report_statement *r, int lang)
{
    char title[128], d[11], d2[24], d3[11], hex[9], r1[40], r2[40], r3[40], what[64];
    bool any_confirmed = false;

    snprintf(title, sizeof title, "%s %u", cli_label(lang, "statement"), r->member);
    header(bk, title, &r->meta, lang, true);
    printf("%s: %s", cli_label(lang, "status"), cli_member_status_label(r->status, lang));
    if (r->joined && r->exited)
        printf(" (%s %s, %s %s)", cli_label(lang, "active_since"), cli_date_dmy(r->joined, d),
               cli_label(lang, "exited_on"), cli_date_dmy(r->exited, d3));
    else if (r->joined)
        printf(" (%s %s)", cli_label(lang, "active_since"), cli_date_dmy(r->joined, d));
    else if (r->exited)
        printf(" (%s %s)", cli_label(lang, "exited_on"), cli_date_dmy(r->exited, d3));
    putchar('\n');
    if (r->naccounts == 0)
        printf("\n%s\n", cli_label(lang, "no_movements"));
    for (size_t i = 0; i < r->naccounts; i++) {
        const struct report_stmt_account *ac = &r->accounts[i];
        bool debit = debit_natural(bk, ac->account, r->meta.end);
        int64_t bal = ac->opening;

        if (ac->nmoves == 0 && ac->opening == 0 && ac->closing == 0)
            continue; /* used only after the period: nothing to show */

        printf("\n%u %s", ac->account, account_name(bk, ac->account, r->meta.end));
        if (ac->product[0])
            printf(" (%s)", ac->product);
        putchar('\n');
        stmt_row(cli_label(lang, "date"), cli_label(lang, "entry"), cli_label(lang, "kind"),
                 cli_label(lang, "debit"), cli_label(lang, "credit"), cli_label(lang, "balance"));
        stmt_row("", "", cli_label(lang, "opening"), "", "",
                 cli_rupiah_signed(ac->opening, true, r3));
        for (size_t k = 0; k < ac->nmoves; k++) {
            const struct report_move *mv = &ac->moves[k];
            int64_t dl = (int64_t)mv->debit - (int64_t)mv->credit;

            bal += debit ? dl : -dl;
            snprintf(what, sizeof what, "%s%s", cli_kind_label(mv->kind, lang),
                     mv->confirmed ? " *" : "");
            any_confirmed |= mv->confirmed;
            stmt_row(cli_date_dmy(mv->date, d), cli_hex(books_item(bk, mv->item)->id, 4, hex), what,
                     mv->debit ? cli_rupiah(mv->debit, r1) : "",
                     mv->credit ? cli_rupiah(mv->credit, r2) : "",
                     cli_rupiah_signed(bal, true, r3));
        }
        stmt_row("", "", cli_label(lang, "closing"), "", "",
                 cli_rupiah_signed(ac->closing, true, r3));
        if (bal != ac->closing)
            cli_warn("account %u: the movements add up to %lld, the closing balance is %lld",
                     ac->account, (long long)bal, (long long)ac->closing);
    }
    if (any_confirmed)
        printf("\n* %s\n", cli_label(lang, "confirmed"));
    if (r->nloans)
        stmt_loans_text(bk, r, lang);
    if (r->refund_balance) {
        printf("\n%s: %s", cli_label(lang, "refund_due"),
               cli_rupiah_signed(r->refund_balance, true, r1));
        if (r->refund_due)
            printf(CLI_TR(lang, ", jatuh tempo %s", ", due %s"),
                   cli_date_long(r->refund_due, lang, d2));
        if (r->overdue_days > 0)
            printf(" (%s %lld %s)", cli_label(lang, "refund_overdue"), (long long)r->overdue_days,
                   CLI_TR(lang, "hari", "days"));
        putchar('\n');
    }
    if (r->nwaiting) {
        printf("\n%s:\n", cli_label(lang, "waiting"));
        waiting_text(bk, r->waiting, r->nwaiting, r->meta.as_of, lang);
    }
    footer(&r->meta, lang);
    return 0;
}

/* ---- period reports: lhu, equity, cashflow, shu-members ---- */

/* {"1": label(prefix1), ...} for the numbers given. */
static int labels_numbered(json_t *labels, const char *name, const char *prefix, const int *nums,
                           size_t n, int lang)
{
    json_t *o = json_object();
    char key[16], lk[32];

    if (!o || json_object_set_new(labels, name, o) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "%d", nums[i]);
        snprintf(lk, sizeof lk, "%s%d", prefix, nums[i]);
        if (json_object_set_new(o, key, json_string(cli_label(lang, lk))) < 0)
            return -1;
    }
    return 0;
}

/* {"0": "Cadangan umum", ...}: the names of the SHU table in force on ymd. */
static int labels_parts(json_t *labels, const struct books *bk, uint32_t ymd)
{
    const struct proto_params *P = books_params_at(bk, ymd);
    json_t *o = json_object();
    char key[16];

    if (!o || json_object_set_new(labels, "parts", o) < 0)
        return -1;
    for (uint32_t i = 0; P && i < P->nshu && i < PROTO_SHU_PARTS_MAX; i++) {
        snprintf(key, sizeof key, "%u", i);
        if (json_object_set_new(o, key, json_string(P->shu[i].name)) < 0)
            return -1;
    }
    return 0;
}

static const char *part_name(const struct books *bk, uint32_t ymd, uint32_t i)
{
    const struct proto_params *P = books_params_at(bk, ymd);

    return P && i < P->nshu && i < PROTO_SHU_PARTS_MAX ? P->shu[i].name : "?";
}

/* A label, then an amount right-aligned in the last 20 of LINE_WIDTH columns. */
static void amount_row(size_t indent, const char *label, int64_t v)
{
    char r[40];

    printf("%*s", (int)indent, "");
    cli_col(label, LINE_WIDTH - 22 - indent, false);
    printf("  ");
    cli_col(cli_rupiah_signed(v, false, r), 20, true);
    putchar('\n');
}

/* "4100  Pendapatan jasa ..." as a row label. */
static const char *code_label(const struct books *bk, uint32_t code, uint32_t ymd, int lang,
                              char *buf, size_t size)
{
    if (code == REPORT_CODE_SHU_CURRENT)
        snprintf(buf, size, "%4u  %s", code, cli_label(lang, "shu_current"));
    else
        snprintf(buf, size, "%4u  %s", code, account_name(bk, code, ymd));
    return buf;
}

/* ---- lhu ---- */

static json_t *lhu_json(const struct books *bk, const struct report_lhu *r, int lang)
{
    static const char *const keys[] = {"lhu",
                                       "subtotal",
                                       "partisipasi_neto",
                                       "shu_before_tax",
                                       "tax",
                                       "shu_after_tax",
                                       "shu_nonmember",
                                       "shu_member",
                                       "proposal",
                                       "no_proposal",
                                       "part",
                                       "account",
                                       "share",
                                       "amount",
                                       "digest",
                                       "fingerprint",
                                       NULL};
    static const int secs[] = {1, 2, 3, 4, 5, 6, 7};
    json_t *data = json_object(), *sections = json_array(), *labels = cli_labels_json(lang, keys);
    uint32_t *codes = NULL;
    size_t nc = 0, total = 0;

    if (!data || !sections || !labels || json_object_set_new(data, "sections", sections) < 0)
        goto oom;
    for (int s = 0; s < REPORT_LHU_SECTIONS; s++)
        total += r->sections[s].nrows;
    codes = calloc(total + 1, sizeof *codes);
    if (!codes)
        goto oom;
    for (int s = 0; s < REPORT_LHU_SECTIONS; s++) {
        const struct report_lhu_section *S = &r->sections[s];
        json_t *rows = json_array(), *o;

        o = json_pack("{s:i, s:o, s:I}", "section", (json_int_t)S->section, "rows",
                      rows ? rows : json_array(), "subtotal", (json_int_t)S->subtotal);
        if (!o || json_array_append_new(sections, o) < 0)
            goto oom;
        rows = json_object_get(o, "rows");
        for (size_t i = 0; i < S->nrows; i++) {
            codes[nc++] = S->rows[i].account;
            if (json_array_append_new(rows, json_pack("{s:i, s:I}", "account",
                                                      (json_int_t)S->rows[i].account, "amount",
                                                      (json_int_t)S->rows[i].amount)) < 0)
                goto oom;
        }
    }
    if (json_object_set_new(data, "totals",
                            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "partisipasi_neto",
                                      (json_int_t)r->partisipasi_neto, "shu_before_tax",
                                      (json_int_t)r->shu_before_tax, "tax", (json_int_t)r->tax,
                                      "shu_after_tax", (json_int_t)r->shu_after_tax, "nonmember",
                                      (json_int_t)r->nonmember, "member", (json_int_t)r->member)) <
        0)
        goto oom;
    if (r->has_proposal) {
        json_t *a = json_array();

        if (!a || json_object_set_new(data, "proposal", a) < 0)
            goto oom;
        for (size_t i = 0; i < r->nproposal; i++) {
            const struct report_shu_part *q = &r->proposal[i];

            if (json_array_append_new(
                    a, json_pack("{s:i, s:i, s:i, s:i, s:I}", "index", (json_int_t)q->index, "role",
                                 (json_int_t)q->role, "ppm", (json_int_t)q->ppm, "account",
                                 (json_int_t)q->account, "amount", (json_int_t)q->amount)) < 0)
                goto oom;
        }
    } else if (json_object_set_new(data, "proposal", json_null()) < 0) {
        goto oom;
    }
    if (labels_numbered(labels, "sections", "lhu_s", secs, 7, lang) < 0 ||
        labels_accounts(labels, bk, codes, nc, r->meta.end) < 0 ||
        labels_parts(labels, bk, r->meta.end) < 0)
        goto oom;
    free(codes);
    return envelope(bk, &r->meta, data, labels);
oom:
    free(codes);
    json_decref(data);
    json_decref(labels);
    return NULL;
}

static int lhu_text(const struct books *bk, const struct report_lhu *r, int lang)
{
    char lk[16], buf[160], pct[24], code[16], r1[40];

    header(bk, cli_label(lang, "lhu"), &r->meta, lang, true);
    for (int s = 0; s < REPORT_LHU_SECTIONS; s++) {
        const struct report_lhu_section *S = &r->sections[s];

        snprintf(lk, sizeof lk, "lhu_s%d", S->section);
        printf("\n%d. %s\n", S->section, cli_label(lang, lk));
        for (size_t i = 0; i < S->nrows; i++)
            amount_row(3, code_label(bk, S->rows[i].account, r->meta.end, lang, buf, sizeof buf),
                       S->rows[i].amount);
        amount_row(3, cli_label(lang, "subtotal"), S->subtotal);
    }
    putchar('\n');
    cli_rule();
    amount_row(0, cli_label(lang, "partisipasi_neto"), r->partisipasi_neto);
    amount_row(0, cli_label(lang, "shu_before_tax"), r->shu_before_tax);
    amount_row(0, cli_label(lang, "tax"), r->tax);
    amount_row(0, cli_label(lang, "shu_after_tax"), r->shu_after_tax);
    amount_row(3, cli_label(lang, "shu_nonmember"), r->nonmember);
    amount_row(3, cli_label(lang, "shu_member"), r->member);
    printf("\n%s\n", cli_label(lang, "proposal"));
    if (!r->has_proposal) {
        printf("%s\n", cli_label(lang, "no_proposal"));
    } else {
        int64_t sum = 0;

        printf("   ");
        cli_col(cli_label(lang, "part"), 50, false);
        printf("  ");
        cli_col(cli_label(lang, "share"), 9, true);
        printf("  ");
        cli_col(cli_label(lang, "account"), 7, true);
        printf("  ");
        cli_col(cli_label(lang, "amount"), 20, true);
        putchar('\n');
        for (size_t i = 0; i < r->nproposal; i++) {
            const struct report_shu_part *q = &r->proposal[i];

            snprintf(code, sizeof code, "%u", q->account);
            printf("   ");
            cli_col(part_name(bk, r->meta.end, q->index), 50, false);
            printf("  ");
            cli_col(cli_ppm_str(q->ppm, lang, pct), 9, true);
            printf("  ");
            cli_col(code, 7, true);
            printf("  ");
            cli_col(cli_rupiah_signed(q->amount, false, r1), 20, true);
            putchar('\n');
            sum += q->amount;
        }
        amount_row(3, cli_label(lang, "total"), sum);
        printf(CLI_TR(lang,
                      "(Bagian %s juga menerima SHU non-anggota dan sisa pembulatan jasa modal "
                      "dan jasa usaha.)\n",
                      "(%s also receives the non-member SHU and the rounding residuals of the "
                      "member shares.)\n"),
               part_name(bk, r->meta.end, 0));
    }
    footer(&r->meta, lang);
    return 0;
}

/* ---- equity ---- */

static json_t *equity_json(const struct books *bk, const struct report_equity *r, int lang)
{
    static const char *const keys[] = {"equity_report", "account", "opening", "additions",
                                       "reductions",    "closing", "total",   "digest",
                                       "fingerprint",   NULL};
    static const int srcs[] = {1, 2, 3, 4, 5, 6, 7};
    json_t *data = json_object(), *rows = json_array(), *labels = cli_labels_json(lang, keys);
    uint32_t *codes = calloc(r->n + 1, sizeof *codes);
    char key[16];

    if (!data || !rows || !labels || !codes || json_object_set_new(data, "rows", rows) < 0)
        goto oom;
    for (size_t i = 0; i < r->n; i++) {
        const struct report_equity_row *w = &r->rows[i];
        json_t *src = json_array(), *o;

        codes[i] = w->account;
        o = json_pack("{s:i, s:I, s:o, s:I}", "account", (json_int_t)w->account, "opening",
                      (json_int_t)w->opening, "sources", src ? src : json_array(), "closing",
                      (json_int_t)w->closing);
        if (!o || json_array_append_new(rows, o) < 0)
            goto oom;
        src = json_object_get(o, "sources");
        for (int s = 1; s <= REPORT_SRC_MAX; s++)
            if ((w->credit[s] || w->debit[s]) &&
                json_array_append_new(src, json_pack("{s:i, s:I, s:I}", "source", s, "credit",
                                                     (json_int_t)w->credit[s], "debit",
                                                     (json_int_t)w->debit[s])) < 0)
                goto oom;
    }
    if (json_object_set_new(data, "totals",
                            json_pack("{s:I, s:I}", "opening", (json_int_t)r->opening, "closing",
                                      (json_int_t)r->closing)) < 0 ||
        labels_accounts(labels, bk, codes, r->n, r->meta.end) < 0 ||
        labels_numbered(labels, "sources", "src_", srcs, 7, lang) < 0)
        goto oom;
    snprintf(key, sizeof key, "%u", REPORT_CODE_SHU_CURRENT);
    if (json_object_set_new(json_object_get(labels, "accounts"), key,
                            json_string(cli_label(lang, "shu_current"))) < 0)
        goto oom;
    free(codes);
    return envelope(bk, &r->meta, data, labels);
oom:
    free(codes);
    json_decref(data);
    json_decref(labels);
    return NULL;
}

static void equity_line(const char *label, const char *a, const char *b, const char *c,
                        const char *d)
{
    cli_col(label, 32, false);
    printf("  ");
    cli_col(a, 15, true);
    printf("  ");
    cli_col(b, 15, true);
    printf("  ");
    cli_col(c, 15, true);
    if (*d) { /* (no blanks at the end of a line) */
        printf("  ");
        cli_col(d, 15, true);
    }
    putchar('\n');
}

static int equity_text(const struct books *bk, const struct report_equity *r, int lang)
{
    char buf[160], lk[16], r1[40], r2[40], r3[40], r4[40];

    header(bk, cli_label(lang, "equity_report"), &r->meta, lang, true);
    putchar('\n');
    equity_line(cli_label(lang, "account"), cli_label(lang, "opening"),
                cli_label(lang, "additions"), cli_label(lang, "reductions"),
                cli_label(lang, "closing"));
    cli_rule();
    for (size_t i = 0; i < r->n; i++) {
        const struct report_equity_row *w = &r->rows[i];

        equity_line(code_label(bk, w->account, r->meta.end, lang, buf, sizeof buf),
                    cli_rupiah_signed(w->opening, false, r1), "", "",
                    cli_rupiah_signed(w->closing, false, r4));
        for (int s = 1; s <= REPORT_SRC_MAX; s++) {
            if (!w->credit[s] && !w->debit[s])
                continue;
            snprintf(lk, sizeof lk, "src_%d", s);
            snprintf(buf, sizeof buf, "%8s%s", "", cli_label(lang, lk));
            equity_line(buf, "", cli_rupiah_signed(w->credit[s], false, r2),
                        cli_rupiah_signed(w->debit[s], false, r3), "");
        }
    }
    cli_rule();
    equity_line(cli_label(lang, "total"), cli_rupiah_signed(r->opening, false, r1), "", "",
                cli_rupiah_signed(r->closing, false, r4));
    footer(&r->meta, lang);
    return 0;
}

/* ---- cashflow ---- */

static const char *cf_line_label(const struct books *bk, const struct report_cf_line *l,
                                 uint32_t ymd, int lang, char *buf, size_t size)
{
    char lk[16];

    if (l->line >= 1000) /* activity 99: the account itself */
        return code_label(bk, l->line, ymd, lang, buf, size);
    snprintf(lk, sizeof lk, "cf_%u", l->line);
    if (l->line >= 1 && l->line <= 17)
        snprintf(buf, size, "%s", cli_label(lang, lk));
    else
        snprintf(buf, size, CLI_TR(lang, "Baris %u", "Line %u"), l->line);
    return buf;
}

static json_t *cashflow_json(const struct books *bk, const struct report_cashflow *r, int lang)
{
    static const char *const keys[] = {
        "cashflow", "opening_cash", "closing_cash", "inflow",      "outflow", "net",
        "net_cash", "reconciles",   "digest",       "fingerprint", NULL};
    static const int acts[] = {1, 2, 3, 99};
    json_t *data = json_object(), *acta = json_array(), *labels = cli_labels_json(lang, keys);
    json_t *lines = json_object();
    char key[16], buf[160];

    if (!data || !acta || !labels || !lines || json_object_set_new(labels, "lines", lines) < 0) {
        json_decref(lines);
        goto oom;
    }
    for (int k = 1; k <= 17; k++) {
        snprintf(key, sizeof key, "cf_%d", k);
        if (json_object_set_new(lines, key + 3, json_string(cli_label(lang, key))) < 0)
            goto oom;
    }
    if (json_object_set_new(data, "opening_cash", jint(r->opening_cash)) < 0 ||
        json_object_set_new(data, "activities", acta) < 0)
        goto oom;
    for (size_t a = 0; a < r->nact; a++) {
        const struct report_cf_activity *A = &r->act[a];
        json_t *la = json_array(), *o;

        o = json_pack("{s:i, s:o, s:I}", "activity", (json_int_t)A->activity, "lines",
                      la ? la : json_array(), "net", (json_int_t)A->net);
        if (!o || json_array_append_new(acta, o) < 0)
            goto oom;
        la = json_object_get(o, "lines");
        for (size_t i = A->first; i < A->first + A->n; i++) {
            const struct report_cf_line *l = &r->lines[i];

            if (json_array_append_new(la, json_pack("{s:i, s:I, s:I}", "line", (json_int_t)l->line,
                                                    "inflow", (json_int_t)l->inflow, "outflow",
                                                    (json_int_t)l->outflow)) < 0)
                goto oom;
            if (l->line > 17) {
                snprintf(key, sizeof key, "%u", l->line);
                if (json_object_set_new(lines, key,
                                        json_string(l->line >= 1000
                                                        ? account_name(bk, l->line, r->meta.end)
                                                        : cf_line_label(bk, l, r->meta.end, lang,
                                                                        buf, sizeof buf))) < 0)
                    goto oom;
            }
        }
    }
    if (json_object_set_new(data, "net", jint(r->net)) < 0 ||
        json_object_set_new(data, "closing_cash", jint(r->closing_cash)) < 0 ||
        json_object_set_new(data, "reconciles", json_boolean(r->reconciles)) < 0 ||
        labels_numbered(labels, "activities", "act_", acts, 4, lang) < 0)
        goto oom;
    return envelope(bk, &r->meta, data, labels);
oom:
    json_decref(data);
    json_decref(labels);
    return NULL;
}

static void cf_row(size_t indent, const char *label, const char *in, const char *outflow)
{
    printf("%*s", (int)indent, "");
    cli_col(label, LINE_WIDTH - 44 - indent, false);
    printf("  ");
    cli_col(in, 20, true);
    if (*outflow) { /* (no blanks at the end of a line) */
        printf("  ");
        cli_col(outflow, 20, true);
    }
    putchar('\n');
}

static int cashflow_text(const struct books *bk, const struct report_cashflow *r, int lang)
{
    char buf[160], lk[16], r1[40], r2[40];

    header(bk, cli_label(lang, "cashflow"), &r->meta, lang, true);
    putchar('\n');
    amount_row(0, cli_label(lang, "opening_cash"), r->opening_cash);
    for (size_t a = 0; a < r->nact; a++) {
        const struct report_cf_activity *A = &r->act[a];

        snprintf(lk, sizeof lk, "act_%u", A->activity);
        printf("\n%s\n", cli_label(lang, lk));
        if (A->n)
            cf_row(3, "", cli_label(lang, "inflow"), cli_label(lang, "outflow"));
        for (size_t i = A->first; i < A->first + A->n; i++) {
            const struct report_cf_line *l = &r->lines[i];

            cf_row(3, cf_line_label(bk, l, r->meta.end, lang, buf, sizeof buf),
                   l->inflow ? cli_rupiah_signed(l->inflow, false, r1) : "",
                   l->outflow ? cli_rupiah_signed(l->outflow, false, r2) : "");
        }
        amount_row(3, cli_label(lang, "net"), A->net);
    }
    putchar('\n');
    cli_rule();
    amount_row(0, cli_label(lang, "net_cash"), r->net);
    amount_row(0, cli_label(lang, "closing_cash"), r->closing_cash);
    printf("\n%s: %s\n", cli_label(lang, "reconciles"),
           cli_label(lang, r->reconciles ? "yes" : "no"));
    footer(&r->meta, lang);
    return 0;
}

/* ---- shu-members ---- */

static json_t *pool_json(const struct proto_shu_pool *x)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "pool", (json_int_t)x->pool, "total",
                     (json_int_t)x->total, "paid", (json_int_t)x->paid, "residual",
                     (json_int_t)x->residual);
}

static json_t *shu_members_json(const struct books *bk, const struct report_shu_members *r,
                                int lang)
{
    static const char *const keys[] = {
        "shu_members", "shu_member", "jm",    "ju",           "pool",   "paid",        "residual",
        "member",      "capital",    "usage", "members_root", "digest", "fingerprint", NULL};
    json_t *data = json_object(), *parts = json_array(), *rows = json_array();
    json_t *labels = cli_labels_json(lang, keys);

    if (!data || !parts || !rows || !labels ||
        json_object_set_new(data, "shu_member", jint(r->shu_member)) < 0 ||
        json_object_set_new(data, "parts", parts) < 0) {
        json_decref(rows);
        goto oom;
    }
    if (json_object_set_new(data, "jm", pool_json(&r->jm)) < 0 ||
        json_object_set_new(data, "ju", pool_json(&r->ju)) < 0 ||
        json_object_set_new(data, "rows", rows) < 0)
        goto oom;
    for (size_t i = 0; i < r->nparts; i++)
        if (json_array_append_new(parts, json_pack("{s:i, s:i, s:i, s:I}", "index",
                                                   (json_int_t)r->parts[i].index, "role",
                                                   (json_int_t)r->parts[i].role, "ppm",
                                                   (json_int_t)r->parts[i].ppm, "amount",
                                                   (json_int_t)r->parts[i].amount)) < 0)
            goto oom;
    for (size_t i = 0; i < r->n; i++) {
        const struct report_shu_row *w = &r->rows[i];

        if (json_array_append_new(
                rows, json_pack("{s:i, s:I, s:I, s:I, s:I}", "member", (json_int_t)w->member,
                                "capital", (json_int_t)w->capital, "usage", (json_int_t)w->usage,
                                "jm", (json_int_t)w->jm, "ju", (json_int_t)w->ju)) < 0)
            goto oom;
    }
    if (json_object_set_new(data, "members_root", cli_json_hex(r->members_root, 32)) < 0 ||
        labels_parts(labels, bk, r->meta.end) < 0)
        goto oom;
    return envelope(bk, &r->meta, data, labels);
oom:
    json_decref(data);
    json_decref(labels);
    return NULL;
}

/* A number with Indonesian grouping, without "Rp" (rupiah-days are not rupiah). */
static const char *grouped(int64_t v, char *buf)
{
    char r[40];

    cli_rupiah(v < 0 ? (uint64_t)-v : (uint64_t)v, r);
    snprintf(buf, 40, "%s%s", v < 0 ? "-" : "", r + 2);
    return buf;
}

static void shu_row(const char *m, const char *s, const char *t, const char *jm, const char *ju,
                    const char *tot)
{
    cli_col(m, 7, true);
    printf("  ");
    cli_col(s, 21, true);
    printf("  ");
    cli_col(t, 16, true);
    printf("  ");
    cli_col(jm, 14, true);
    printf("  ");
    cli_col(ju, 14, true);
    printf("  ");
    cli_col(tot, 14, true);
    putchar('\n');
}

static int shu_members_text(const struct books *bk, const struct report_shu_members *r, int lang)
{
    const struct proto_params *P = books_params_at(bk, r->meta.end);
    char hex[65], pct[24], m[16], b1[40], b2[40], r1[40], r2[40], r3[40];
    const struct proto_shu_pool *pools[2] = {&r->jm, &r->ju};
    static const char *const pk[2] = {"jm", "ju"};

    header(bk, cli_label(lang, "shu_members"), &r->meta, lang, true);
    putchar('\n');
    amount_row(0, cli_label(lang, "shu_member"), r->shu_member);
    for (size_t i = 0; i < r->nparts; i++) {
        char lbl[160];

        snprintf(lbl, sizeof lbl, "%s (%s)", part_name(bk, r->meta.end, r->parts[i].index),
                 cli_ppm_str(r->parts[i].ppm, lang, pct));
        amount_row(3, lbl, r->parts[i].amount);
    }
    for (int k = 0; k < 2; k++) {
        printf("\n%s: %s %s, %s %s, %s %s\n", cli_label(lang, pk[k]), cli_label(lang, "pool"),
               cli_rupiah_signed(pools[k]->pool, false, r1), cli_label(lang, "paid"),
               cli_rupiah_signed(pools[k]->paid, false, r2), cli_label(lang, "residual"),
               cli_rupiah_signed(pools[k]->residual, false, r3));
    }
    printf("%s\n", CLI_TR(lang, "(Sisa pembulatan masuk ke bagian cadangan.)",
                          "(Rounding residuals go to the reserve part.)"));
    if (P && P->shu_capital.basis == 2)
        printf("%s\n", CLI_TR(lang,
                              "Modal (S) dalam rupiah-hari: jumlah saldo akhir hari simpanan "
                              "pokok dan wajib selama periode.",
                              "Capital (S) in rupiah-days: the sum of the end-of-day balances of "
                              "pokok and wajib over the period."));
    putchar('\n');
    if (r->n == 0) {
        printf("%s\n", cli_label(lang, "no_members"));
    } else {
        shu_row(cli_label(lang, "member"), cli_label(lang, "capital"), cli_label(lang, "usage"),
                cli_label(lang, "jm"), cli_label(lang, "ju"), cli_label(lang, "total"));
        cli_rule();
        for (size_t i = 0; i < r->n; i++) {
            const struct report_shu_row *w = &r->rows[i];

            snprintf(m, sizeof m, "%u", w->member);
            shu_row(m, grouped(w->capital, b1), cli_rupiah_signed(w->usage, false, b2),
                    cli_rupiah_signed(w->jm, false, r1), cli_rupiah_signed(w->ju, false, r2),
                    cli_rupiah_signed(w->jm + w->ju, false, r3));
        }
        cli_rule();
        shu_row("", grouped(r->jm.total, b1), cli_rupiah_signed(r->ju.total, false, b2),
                cli_rupiah_signed(r->jm.paid, false, r1), cli_rupiah_signed(r->ju.paid, false, r2),
                cli_rupiah_signed(r->jm.paid + r->ju.paid, false, r3));
    }
    printf("\n%s: %s\n", cli_label(lang, "members_root"), cli_hex(r->members_root, 32, hex));
    footer(&r->meta, lang);
    return 0;
}

/* ---- option helpers ---- */

struct period_args {
    const char *year, *from, *to, *as_of;
};

/* The period and as-of of a report: --year Y (the financial year of 31 December Y), or --from
 * and --to; as_of defaults to the end, or today when that is earlier. -1 to go on, else an exit
 * code. */
static int period_resolve(const char *cmd, const struct books *bk, const struct period_args *p,
                          uint32_t *start, uint32_t *end, uint32_t *as_of)
{
    uint32_t today = cli_today();
    uint64_t y;

    if (p->year && (p->from || p->to))
        return cli_usage(cmd, "give --year or --from/--to, not both");
    if ((p->from == NULL) != (p->to == NULL))
        return cli_usage(cmd, "--from and --to go together");
    if (p->from) {
        if (cli_date_parse(p->from, start) < 0)
            return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", p->from);
        if (cli_date_parse(p->to, end) < 0)
            return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", p->to);
        if (*end < *start)
            return cli_usage(cmd, "--to is before --from");
    } else {
        y = today / 10000;
        if (p->year && cli_uint_parse(p->year, 1900, 9998, &y) < 0)
            return cli_usage(cmd, "invalid --year '%s' (e.g. 2026)", p->year);
        report_year(bk, (uint32_t)y * 10000 + 1231, start, end);
    }
    if (p->as_of) {
        if (cli_date_parse(p->as_of, as_of) < 0)
            return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", p->as_of);
    } else {
        *as_of = *end < today ? *end : today;
    }
    return -1;
}

/* ---- statement ---- */

static void statement_usage(FILE *f)
{
    fputs("usage: saksi statement --member N [--year Y | --from D --to D] [--as-of D]\n"
          "                       [--json] [--html FILE] [--lang id|en]\n"
          "\n"
          "Laporan simpanan dan pinjaman seorang anggota.\n"
          "A member's statement (docs/ACCOUNTING.md 6.6): for each savings account the opening\n"
          "balance, every movement with its entry and a running balance, and the closing\n"
          "balance; the member's loans (principal, outstanding, arrears, days past due, the next\n"
          "installment, interest paid, penalty due); a refund due after exit; the member's\n"
          "entries still waiting. Movements marked '*' were confirmed by the member ('saksi\n"
          "approve' on their device). The footer gives the report digest: two copies of the\n"
          "books that agree give the same digest.\n"
          "Writes nothing but the --html page.\n"
          "\n"
          "options:\n"
          "  --member N     member number (required)\n"
          "  --year Y       the financial year Y (default: this year)\n"
          "  --from D       first day of the period (with --to)\n"
          "  --to D         last day of the period\n"
          "  --as-of D      figures as known on D (default: the end of the period, or today\n"
          "                 when that is earlier)\n"
          "  --json         the report as one JSON object: digest, dates, data with integer\n"
          "                 amounts, labels\n"
          "  --html FILE    write the statement to FILE as one standalone HTML page (no\n"
          "                 scripts or links; prints on A4) instead of printing it\n"
          "  --lang id|en   language of the labels (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi statement --member 7 --year 2026\n"
          "         saksi statement --member 7 --year 2026 --html anggota-7.html\n"
          "\n"
          "exit codes: 0 ok; 2 usage error; 3 runtime error (I/O, store)\n",
          f);
}

int cmd_statement(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"member", required_argument, NULL, OPT_MEMBER},
        {"year", required_argument, NULL, OPT_YEAR},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {"html", required_argument, NULL, OPT_HTML},
        {NULL, 0, NULL, 0},
    };
    struct period_args p = {NULL, NULL, NULL, NULL};
    struct report_statement r;
    const char *html = NULL;
    struct store *st = NULL;
    struct books *bk = NULL;
    struct store_head at;
    uint32_t member = 0, start, end, as_of;
    bool json = ctx->json, at_ok = false, derived = false;
    int lang = CLI_LANG_ID, c, rc, ret;
    uint64_t v;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            statement_usage(stdout);
            return cli_stdout_done();
        case OPT_MEMBER:
            if (cli_uint_parse(optarg, 1, PROTO_MEMBER_MAX, &v) < 0)
                return cli_usage("statement", "invalid member number '%s'", optarg);
            member = (uint32_t)v;
            break;
        case OPT_YEAR:
            p.year = optarg;
            break;
        case OPT_FROM:
            p.from = optarg;
            break;
        case OPT_TO:
            p.to = optarg;
            break;
        case OPT_AS_OF:
            p.as_of = optarg;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt("statement", optarg, &lang) != 0)
                return CLI_USAGE;
            break;
        case OPT_HTML:
            html = optarg;
            break;
        default:
            return cli_opt_error("statement", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage("statement", "unexpected argument '%s'", argv[optind]);
    if (!member)
        return cli_usage("statement", "missing --member N (the member number)");
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    ret = CLI_RUNTIME;
    /* The member's slice of the books from the cache when it is current; else the books of
     * every entry, derived, and the cache written for the next statement. */
    rc = cli_books_cache_on() ? store_books_cache_member(st, ctx->data_dir, member, &bk) : 1;
    if (rc < 0) {
        cli_err("cannot read the books: %s", err_str(rc));
        goto out;
    }
    if (rc == 1) {
        if (cli_books_load_head(st, &bk, &at, &at_ok) < 0)
            goto out;
        derived = true;
    }
    ret = period_resolve("statement", bk, &p, &start, &end, &as_of);
    if (ret >= 0)
        goto out;
    memset(&r, 0, sizeof r);
    rc = report_statement(bk, member, start, end, as_of, &r);
    if (rc < 0) {
        cli_err("cannot build the statement: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    if (json || html) {
        json_t *doc = statement_json(bk, &r, lang);

        if (!doc) {
            cli_err("out of memory");
            ret = CLI_RUNTIME;
        } else {
            ret = html ? html_out(html, bk, doc, lang, json) : CLI_OK;
            if (json && ret == CLI_OK)
                ret = cli_json_out(doc);
            else
                json_decref(doc);
        }
    } else {
        statement_text(bk, &r, lang);
        ret = cli_stdout_done();
    }
    report_statement_free(&r);
    if (derived)
        cli_books_cache_save(st, ctx, bk, &at, at_ok);
out:
    books_free(bk);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- report ---- */

static void report_usage(FILE *f)
{
    fputs("usage: saksi report neraca|loans|pending|findings|shu|equity|cashflow|all\n"
          "                    [--members] [--year Y] [--as-of D] [--json] [--html FILE]\n"
          "                    [--lang id|en]\n"
          "\n"
          "Laporan koperasi dari buku besar.\n"
          "Reports computed from the books, each with a digest that every copy of the same\n"
          "books reproduces (docs/ACCOUNTING.md 6):\n"
          "  neraca     the balance sheet at the as-of date, with the same date a year earlier\n"
          "  loans      the loan portfolio at the as-of date: each disbursed loan with its\n"
          "             outstanding principal, arrears, days past due and collectibility class\n"
          "             (lancar, kurang lancar, diragukan, macet); per class the count,\n"
          "             outstanding and required allowance (PPAPWD); the non-performing ratio\n"
          "             with its health (sehat up to 5%, cukup sehat up to 10%, kurang sehat up\n"
          "             to 15%, tidak sehat above); the 10 largest borrowers\n"
          "  pending    the entries still waiting for approval or a countersignature\n"
          "  findings   the rule breaks the books show, dated in the year up to the as-of date\n"
          "  shu        the laporan hasil usaha of the year (partisipasi bruto and neto, SHU\n"
          "             before and after tax, its member and non-member parts) and the\n"
          "             proposed split of the SHU over the SHU table of the parameters; with\n"
          "             --members also each member's jasa modal and jasa usaha ('lhu' is the\n"
          "             same report)\n"
          "  equity     the changes in equity over the year, per account and source\n"
          "  cashflow   the cash flow of the year (direct method): operating, investing and\n"
          "             financing activities, reconciled with the cash accounts\n"
          "  all        neraca, loans, pending, findings, shu, equity and cashflow, one after\n"
          "             the other (and the SHU per member with --members)\n"
          "Writes nothing but the --html page.\n"
          "\n"
          "options:\n"
          "  --year Y       the financial year Y (default: this year)\n"
          "  --as-of D      figures as known on D (default: the end of the year, or today when\n"
          "                 that is earlier); give it to compare digests between devices\n"
          "  --members      with shu or all: the SHU per member too\n"
          "  --json         the report as one JSON object ('all', 'shu --members':\n"
          "                 {\"reports\": [...]})\n"
          "  --html FILE    write the report ('all': every report) to FILE as one standalone\n"
          "                 HTML page with charts (no scripts or links; prints on A4)\n"
          "  --lang id|en   language of the labels (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi report loans --year 2026 --as-of 2026-06-30\n"
          "         saksi report all --year 2026 --html laporan-2026.html\n"
          "\n"
          "exit codes: 0 ok; 1 the findings report lists findings, or no SHU table is in\n"
          "            force for --members; 2 usage error; 3 runtime error (I/O, store)\n",
          f);
}

/* Separates reports printed one after the other. */
static void text_sep(bool *printed)
{
    if (*printed) {
        putchar('\n');
        cli_rule();
        putchar('\n');
    }
    *printed = true;
}

/* One report's JSON document: appended to all, or printed. false on failure (printed). */
static bool json_emit(json_t *doc, json_t *all)
{
    if (!doc) {
        cli_err("out of memory");
        return false;
    }
    if (all) {
        if (json_array_append_new(all, doc) < 0) {
            cli_err("out of memory");
            return false;
        }
        return true;
    }
    return cli_json_out(doc) == CLI_OK;
}

/* The period reports of cmd_report: lhu, shu-members, equity, cashflow, as asked. Returns -1
 * to go on, else the exit code. */
static int period_reports(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                          bool want_lhu, bool want_sm, bool want_eq, bool want_cf, int lang,
                          bool json, json_t *all, bool *printed)
{
    int rc;

    if (want_lhu) {
        struct report_lhu r;

        rc = report_lhu(bk, start, end, as_of, &r);
        if (rc < 0) {
            cli_err("cannot build the LHU: %s", err_str(rc));
            return CLI_RUNTIME;
        }
        if (json) {
            json_t *doc = lhu_json(bk, &r, lang);

            report_lhu_free(&r);
            if (!json_emit(doc, all))
                return CLI_RUNTIME;
        } else {
            text_sep(printed);
            lhu_text(bk, &r, lang);
            report_lhu_free(&r);
        }
    }
    if (want_sm) {
        struct report_shu_members r;

        rc = report_shu_members(bk, start, end, as_of, NULL, &r);
        if (rc == -ENOENT) {
            char d[24];

            cli_err("%s %s",
                    CLI_TR(lang, "tidak ada tabel SHU: tidak ada parameter yang berlaku pada",
                           "no SHU table: no parameters are in force on"),
                    cli_date_long(end, lang, d));
            return CLI_NEG;
        }
        if (rc < 0) {
            cli_err("cannot build the SHU per member: %s", err_str(rc));
            return CLI_RUNTIME;
        }
        if (json) {
            json_t *doc = shu_members_json(bk, &r, lang);

            report_shu_members_free(&r);
            if (!json_emit(doc, all))
                return CLI_RUNTIME;
        } else {
            text_sep(printed);
            shu_members_text(bk, &r, lang);
            report_shu_members_free(&r);
        }
    }
    if (want_eq) {
        struct report_equity r;

        rc = report_equity(bk, start, end, as_of, &r);
        if (rc < 0) {
            cli_err("cannot build the equity report: %s", err_str(rc));
            return CLI_RUNTIME;
        }
        if (json) {
            json_t *doc = equity_json(bk, &r, lang);

            report_equity_free(&r);
            if (!json_emit(doc, all))
                return CLI_RUNTIME;
        } else {
            text_sep(printed);
            equity_text(bk, &r, lang);
            report_equity_free(&r);
        }
    }
    if (want_cf) {
        struct report_cashflow r;

        rc = report_cashflow(bk, start, end, as_of, &r);
        if (rc < 0) {
            cli_err("cannot build the cash flow: %s", err_str(rc));
            return CLI_RUNTIME;
        }
        if (json) {
            json_t *doc = cashflow_json(bk, &r, lang);

            report_cashflow_free(&r);
            if (!json_emit(doc, all))
                return CLI_RUNTIME;
        } else {
            text_sep(printed);
            cashflow_text(bk, &r, lang);
            report_cashflow_free(&r);
        }
    }
    return -1;
}

int cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"year", required_argument, NULL, OPT_YEAR},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {"html", required_argument, NULL, OPT_HTML},
        {"members", no_argument, NULL, OPT_MEMBERS},
        {NULL, 0, NULL, 0},
    };
    struct period_args p = {NULL, NULL, NULL, NULL};
    struct store *st = NULL;
    struct books *bk = NULL;
    const char *html = NULL;
    bool print_json, many;
    struct report_neraca rn;
    struct report_loans rl;
    struct report_findings rf;
    const char *what;
    bool json = ctx->json, want_n, want_l, want_p, want_f, want_lhu, want_eq, want_cf;
    bool members = false, printed = false, at_ok = false;
    struct store_head at;
    uint32_t start, end, as_of;
    int lang = CLI_LANG_ID, c, rc, ret;
    json_t *all = NULL;
    size_t nfind = 0;

    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        report_usage(stdout);
        return cli_stdout_done();
    }
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage("report", "missing the report (neraca, loans, pending, findings, shu, "
                                   "equity, cashflow or all)");
    what = argv[1];
    want_n = strcmp(what, "neraca") == 0;
    want_l = strcmp(what, "loans") == 0;
    want_p = strcmp(what, "pending") == 0;
    want_f = strcmp(what, "findings") == 0;
    want_lhu = strcmp(what, "shu") == 0 || strcmp(what, "lhu") == 0;
    want_eq = strcmp(what, "equity") == 0;
    want_cf = strcmp(what, "cashflow") == 0;
    if (strcmp(what, "all") == 0)
        want_n = want_l = want_p = want_f = want_lhu = want_eq = want_cf = true;
    if (!want_n && !want_l && !want_p && !want_f && !want_lhu && !want_eq && !want_cf)
        return cli_usage("report",
                         "unknown report '%s' (use neraca, loans, pending, findings, shu, equity, "
                         "cashflow or all)",
                         what);
    argc--;
    argv++;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            report_usage(stdout);
            return cli_stdout_done();
        case OPT_YEAR:
            p.year = optarg;
            break;
        case OPT_AS_OF:
            p.as_of = optarg;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt("report", optarg, &lang) != 0)
                return CLI_USAGE;
            break;
        case OPT_HTML:
            html = optarg;
            break;
        case OPT_MEMBERS:
            members = true;
            break;
        default:
            return cli_opt_error("report", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (members && !want_lhu)
        return cli_usage("report", "--members goes with the shu or all report");
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    memset(&rn, 0, sizeof rn);
    memset(&rl, 0, sizeof rl);
    memset(&rf, 0, sizeof rf);
    ret = CLI_RUNTIME;
    if (cli_books_load_head(st, &bk, &at, &at_ok) < 0)
        goto out;
    ret = period_resolve("report", bk, &p, &start, &end, &as_of);
    if (ret >= 0)
        goto out;
    ret = CLI_RUNTIME;
    {
        bool fin;

        if ((rc = cli_report_final(st, bk, as_of, &fin)) < 0) {
            cli_err("cannot read the checkpoints: %s", err_str(rc));
            goto out;
        }
        report_final = fin;
    }
    /* From here json means "build the documents": --json prints them, --html renders them. */
    print_json = json;
    json = json || html;
    many = want_n + want_l + want_p + want_f + want_lhu + members + want_eq + want_cf > 1;
    if (json && (many || html)) {
        all = json_array();
        if (!all)
            goto oom;
    }
    if (want_n) {
        rc = report_neraca(bk, as_of, &rn);
        if (rc < 0) {
            cli_err("cannot build the neraca: %s", err_str(rc));
            goto out;
        }
        if (json) {
            json_t *doc = neraca_json(bk, &rn, lang);

            if (!doc)
                goto oom;
            if (all) {
                if (json_array_append_new(all, doc) < 0)
                    goto oom;
            } else if (cli_json_out(doc) != CLI_OK) {
                goto out;
            }
        } else {
            neraca_text(bk, &rn, lang);
        }
    }
    if (want_l) {
        rc = report_loans(bk, as_of, &rl);
        if (rc < 0) {
            cli_err("cannot build the loan portfolio: %s", err_str(rc));
            goto out;
        }
        if (json) {
            json_t *doc = loans_json(bk, &rl, lang);

            if (!doc)
                goto oom;
            if (all) {
                if (json_array_append_new(all, doc) < 0)
                    goto oom;
            } else if (cli_json_out(doc) != CLI_OK) {
                goto out;
            }
        } else {
            if (want_n) {
                putchar('\n');
                cli_rule();
                putchar('\n');
            }
            loans_text(bk, &rl, lang);
        }
    }
    if (want_p) {
        if (json) {
            struct report_pending rp;
            json_t *data = json_array(), *doc;
            static const char *const keys[] = {"pending", "date",        "entry", "kind",
                                               "member",  "amount",      "days",  "missing",
                                               "digest",  "fingerprint", NULL};

            memset(&rp, 0, sizeof rp);
            rc = report_pending(bk, as_of, 0, &rp);
            if (rc < 0) {
                json_decref(data);
                cli_err("cannot build the pending report: %s", err_str(rc));
                goto out;
            }
            for (size_t i = 0; data && i < rp.n; i++)
                if (json_array_append_new(data, item_json(bk, rp.items[i], as_of, lang)) < 0) {
                    json_decref(data);
                    data = NULL;
                }
            doc = envelope(bk, &rp.meta, data, cli_labels_json(lang, keys));
            report_pending_free(&rp);
            if (!doc)
                goto oom;
            if (all) {
                if (json_array_append_new(all, doc) < 0)
                    goto oom;
            } else if (cli_json_out(doc) != CLI_OK) {
                goto out;
            }
        } else {
            if (want_n || want_l) {
                putchar('\n');
                cli_rule();
                putchar('\n');
            }
            if (cli_pending_out(bk, as_of, 0, lang, false) != CLI_OK)
                goto out;
        }
    }
    if (want_f) {
        rc = report_findings(bk, start, as_of, &rf);
        if (rc < 0) {
            cli_err("cannot build the findings report: %s", err_str(rc));
            goto out;
        }
        nfind = rf.n;
        if (json) {
            json_t *doc = findings_json(bk, &rf, lang);

            if (!doc)
                goto oom;
            if (all) {
                if (json_array_append_new(all, doc) < 0)
                    goto oom;
            } else if (cli_json_out(doc) != CLI_OK) {
                goto out;
            }
        } else {
            if (want_n || want_l || want_p) {
                putchar('\n');
                cli_rule();
                putchar('\n');
            }
            findings_text(bk, &rf, lang);
        }
    }
    printed = want_n || want_l || want_p || want_f;
    ret = period_reports(bk, start, end, as_of, want_lhu, want_lhu && members, want_eq, want_cf,
                         lang, json, all, &printed);
    if (ret >= 0)
        goto out;
    ret = CLI_RUNTIME;
    if (all && html && html_out(html, bk, all, lang, print_json) != CLI_OK)
        goto out;
    if (all && print_json) {
        json_t *doc =
            many ? json_pack("{s:O}", "reports", all) : json_incref(json_array_get(all, 0));

        if (!doc || cli_json_out(doc) != CLI_OK)
            goto out;
    } else if (!json && cli_stdout_done() != CLI_OK) {
        goto out;
    }
    ret = nfind ? CLI_NEG : CLI_OK;
    /* (The statement cache is written by a statement that had to derive the books, not here:
     * writing it costs about as much as deriving, and a report does not need it.) */
    goto out;
oom:
    cli_err("out of memory");
    ret = CLI_RUNTIME;
out:
    json_decref(all);
    report_neraca_free(&rn);
    report_loans_free(&rl);
    report_findings_free(&rf);
    books_free(bk);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- params ---- */

static void params_usage(FILE *f)
{
    fputs("usage: saksi params show [--as-of D] [--json]\n"
          "       saksi params template\n"
          "\n"
          "Parameter koperasi (simpanan, persetujuan, tanda tangan anggota, SHU).\n"
          "The koperasi's accounting parameters are ledger data (docs/ACCOUNTING.md 1): amounts\n"
          "of simpanan pokok and wajib, savings products, who approves what, which entries the\n"
          "member countersigns, risk buckets, the SHU table.\n"
          "show       prints the version in force on a date, in the text form below\n"
          "template   prints the standard parameters in their text form, dated today: edit it\n"
          "           and found a ledger with 'saksi init koperasi.txt --params FILE'\n"
          "Writes nothing. (Proposing a new version, 'params propose', comes with a later\n"
          "version.)\n"
          "\n"
          "options:\n"
          "  --as-of D      the version in force on D (default today)\n"
          "  --json         print {\"adopted\", \"effective\", \"text\", ...} as one JSON object\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi params template > parameter.txt\n"
          "\n"
          "exit codes: 0 ok; 1 no parameters in force on that date; 2 usage error;\n"
          "            3 runtime error (I/O, store)\n",
          f);
}

static json_t *params_json(const struct proto_params *P, const char *text)
{
    json_t *o = json_object(), *sav = json_array(), *mat = json_array(), *cs = json_array();

    if (!o || !sav || !mat || !cs)
        goto oom;
    for (uint32_t i = 0; i < P->nsavings; i++) {
        const struct proto_savings_product *s = &P->savings[i];

        if (json_array_append_new(
                sav, json_pack("{s:s, s:i, s:i, s:i, s:i}", "code", s->code, "class",
                               (json_int_t)s->class, "account", (json_int_t)s->account, "rate_ppm",
                               (json_int_t)s->rate_ppm, "method", (json_int_t)s->method)) < 0)
            goto oom;
    }
    for (uint32_t i = 0; i < P->nmatrix; i++) {
        const struct proto_params_approval *m = &P->matrix[i];

        if (json_array_append_new(
                mat, json_pack("{s:i, s:o, s:i, s:i, s:i}", "kind", (json_int_t)m->kind,
                               "min_amount", cli_json_u64(m->min_amount), "pengurus",
                               (json_int_t)m->pengurus, "pengawas", (json_int_t)m->pengawas,
                               "offices", (json_int_t)m->offices)) < 0)
            goto oom;
    }
    for (uint32_t i = 0; i < P->ncsign; i++)
        if (json_array_append_new(cs, json_pack("{s:i, s:i}", "kind", (json_int_t)P->csign[i].kind,
                                                "mode", (json_int_t)P->csign[i].mode)) < 0)
            goto oom;
    if (json_object_set_new(o, "adopted", jdate(P->adopted)) < 0 ||
        json_object_set_new(o, "effective", jdate(P->effective)) < 0 ||
        json_object_set_new(o, "pokok", cli_json_u64(P->pokok)) < 0 ||
        json_object_set_new(o, "wajib", cli_json_u64(P->wajib)) < 0 ||
        json_object_set_new(o, "wajib_months", json_integer(P->wajib_months)) < 0 ||
        json_object_set_new(o, "refund_days", json_integer(P->refund_days)) < 0 ||
        json_object_set_new(o, "calon_allowed", json_boolean(P->calon_allowed)) < 0 ||
        json_object_set_new(o, "savings", sav) < 0)
        goto oom_o;
    sav = NULL;
    if (json_object_set_new(o, "matrix", mat) < 0)
        goto oom_o;
    mat = NULL;
    if (json_object_set_new(o, "countersign", cs) < 0)
        goto oom_o;
    cs = NULL;
    if (json_object_set_new(o, "text", json_string(text)) < 0)
        goto oom_o;
    return o;
oom:
    json_decref(sav);
    json_decref(mat);
    json_decref(cs);
oom_o:
    json_decref(o);
    return NULL;
}

static int params_show(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    struct books *bk = NULL;
    const struct proto_params *P;
    struct proto_buf text;
    uint32_t as_of = cli_today();
    bool json = ctx->json;
    int lang = CLI_LANG_ID, c, rc, ret;
    char d1[24], d2[24];

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            params_usage(stdout);
            return cli_stdout_done();
        case OPT_AS_OF:
            if (cli_date_parse(optarg, &as_of) < 0)
                return cli_usage("params show", "invalid date '%s' (use YYYY-MM-DD)", optarg);
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt("params show", optarg, &lang) != 0)
                return CLI_USAGE;
            break;
        default:
            return cli_opt_error("params show", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage("params show", "unexpected argument '%s'", argv[optind]);
    proto_buf_init(&text);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    ret = CLI_RUNTIME;
    if (cli_books_load(st, &bk) < 0)
        goto out;
    P = books_params_at(bk, as_of);
    if (!P) {
        cli_err("%s", CLI_TR(lang, "tidak ada parameter yang berlaku pada tanggal itu",
                             "no parameters are in force on that date"));
        ret = CLI_NEG;
        goto out;
    }
    rc = proto_params_text_write(P, &text);
    if (rc == 0)
        rc = proto_buf_append_byte(&text, '\0');
    if (rc < 0) {
        cli_err("cannot write the parameters as text: %s", err_str(rc));
        goto out;
    }
    if (json) {
        json_t *o = params_json(P, (const char *)text.data);

        if (o && json_object_set_new(o, "as_of", jdate(as_of)) < 0) {
            json_decref(o);
            o = NULL;
        }
        if (!o) {
            cli_err("out of memory");
            goto out;
        }
        ret = cli_json_out(o);
        goto out;
    }
    printf(CLI_TR(lang, "# Parameter yang berlaku pada %s (disahkan %s)\n",
                  "# Parameters in force on %s (adopted %s)\n"),
           cli_date_long(as_of, lang, d1), cli_date_long(P->adopted, lang, d2));
    fputs((const char *)text.data, stdout);
    ret = cli_stdout_done();
out:
    proto_buf_release(&text);
    books_free(bk);
    cli_store_close(ctx, st);
    return ret;
}

static int params_template(int argc, char **argv)
{
    struct proto_params *P;
    struct proto_buf text;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            params_usage(stdout);
            return cli_stdout_done();
        }
        return cli_usage("params template", "unexpected argument '%s'", argv[i]);
    }
    P = calloc(1, sizeof *P);
    if (!P) {
        cli_err("out of memory");
        return CLI_RUNTIME;
    }
    proto_buf_init(&text);
    proto_params_default(P, cli_today());
    rc = proto_params_text_write(P, &text);
    free(P);
    if (rc < 0) {
        proto_buf_release(&text);
        cli_err("cannot write the parameters as text: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    fwrite(text.data, 1, text.len, stdout);
    proto_buf_release(&text);
    return cli_stdout_done();
}

int cmd_params(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc < 2)
        return cli_usage("params", "missing a subcommand (show or template)");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        params_usage(stdout);
        return cli_stdout_done();
    }
    if (strcmp(argv[1], "show") == 0)
        return params_show(argc - 1, argv + 1, ctx);
    if (strcmp(argv[1], "template") == 0)
        return params_template(argc - 1, argv + 1);
    return cli_usage("params", "unknown subcommand '%s' (use show or template)", argv[1]);
}
