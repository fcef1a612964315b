/*
 * Reading the books: `saksi statement` (a member's savings and loans, docs/ACCOUNTING.md 6.6),
 * `saksi report neraca|loans|pending|findings|all` (6.2, 6.7, 6.10, 6.9; the loan portfolio's
 * health label is rendered here, not stored) and `saksi params show|template` (the
 * parameter version in force, and the text form to found a ledger with). The figures and each
 * report's digest come from proto/report.h, which computes them from the books alone; this file
 * only lays them out: aligned columns at most 100 wide, rupiah as Rp1.234.567, dates DD-MM-YYYY,
 * labels in Bahasa Indonesia or English (cli/i18n.c), and a footer with the digest and its
 * fingerprint so that two members can compare their copies. --json mirrors the canonical data
 * with keys and integer amounts. Nothing here writes.
 */
#include "cli/i18n.h"

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

static void footer(const struct report_meta *m, int lang)
{
    char hex[65], fpr[REPORT_FPR_CHARS + 1];

    report_fingerprint(m->digest, fpr);
    printf("\n%s: %s\n%s: %s\n", cli_label(lang, "digest"), cli_hex(m->digest, 32, hex),
           cli_label(lang, "fingerprint"), fpr);
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
        json_object_set_new(o, "basis", json_null()) < 0 ||
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
    static const char *const k[] = {"", "applied", "approved", "disbursed", "paid"};

    return status >= 1 && status <= 4 ? k[status] : "?";
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
                            json_pack("{s:o, s:o, s:o, s:i, s:o, s:I, s:o, s:o, s:i}", "count",
                                      cli_json_u64(r->count), "outstanding",
                                      cli_json_u64(r->outstanding), "bermasalah",
                                      cli_json_u64(r->bermasalah), "ratio_ppm",
                                      (json_int_t)r->ratio_ppm, "ppapwd", cli_json_u64(r->ppapwd),
                                      "ppap_booked", (json_int_t)r->ppap_booked,
                                      "officer_outstanding", cli_json_u64(r->officer_outstanding),
                                      "top10", top, "written_off", (json_int_t)0)) < 0) {
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
                      w->st.status == BOOKS_LOAN_PAID ? cli_loan_status_label(w->st.status, lang)
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
    uint32_t member = 0, start, end, as_of;
    bool json = ctx->json;
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
    if (cli_books_load(st, &bk) < 0)
        goto out;
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
out:
    books_free(bk);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- report ---- */

static void report_usage(FILE *f)
{
    fputs("usage: saksi report neraca|loans|pending|findings|all [--year Y] [--as-of D]\n"
          "                    [--json] [--html FILE] [--lang id|en]\n"
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
          "  all        the four above, one after the other\n"
          "Writes nothing but the --html page. (The SHU and cash-flow reports come with later\n"
          "versions.)\n"
          "\n"
          "options:\n"
          "  --year Y       the financial year Y (default: this year)\n"
          "  --as-of D      figures as known on D (default: the end of the year, or today when\n"
          "                 that is earlier); give it to compare digests between devices\n"
          "  --json         the report as one JSON object ('all': {\"reports\": [...]})\n"
          "  --html FILE    write the report ('all': every report) to FILE as one standalone\n"
          "                 HTML page with charts (no scripts or links; prints on A4)\n"
          "  --lang id|en   language of the labels (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi report loans --year 2026 --as-of 2026-06-30\n"
          "         saksi report all --year 2026 --html laporan-2026.html\n"
          "\n"
          "exit codes: 0 ok; 1 the findings report lists findings; 2 usage error;\n"
          "            3 runtime error (I/O, store)\n",
          f);
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
    bool json = ctx->json, want_n, want_l, want_p, want_f;
    uint32_t start, end, as_of;
    int lang = CLI_LANG_ID, c, rc, ret;
    json_t *all = NULL;
    size_t nfind = 0;

    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        report_usage(stdout);
        return cli_stdout_done();
    }
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage("report", "missing the report (neraca, loans, pending, findings or all)");
    what = argv[1];
    want_n = strcmp(what, "neraca") == 0;
    want_l = strcmp(what, "loans") == 0;
    want_p = strcmp(what, "pending") == 0;
    want_f = strcmp(what, "findings") == 0;
    if (strcmp(what, "all") == 0)
        want_n = want_l = want_p = want_f = true;
    if (!want_n && !want_l && !want_p && !want_f)
        return cli_usage("report",
                         "unknown report '%s' (use neraca, loans, pending, findings or all)", what);
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
        default:
            return cli_opt_error("report", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    memset(&rn, 0, sizeof rn);
    memset(&rl, 0, sizeof rl);
    memset(&rf, 0, sizeof rf);
    ret = CLI_RUNTIME;
    if (cli_books_load(st, &bk) < 0)
        goto out;
    ret = period_resolve("report", bk, &p, &start, &end, &as_of);
    if (ret >= 0)
        goto out;
    ret = CLI_RUNTIME;
    /* From here json means "build the documents": --json prints them, --html renders them. */
    print_json = json;
    json = json || html;
    many = want_n + want_l + want_p + want_f > 1;
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
