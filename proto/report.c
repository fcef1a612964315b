/*
 * Reports over the books (proto/report.h): each builder computes its figures with integers
 * only, writes the canonical report and hashes it. docs/ACCOUNTING.md section 6 gives the data
 * layouts; where M1 departs from them (no loans or SHU yet in a statement) the arrays are empty.
 */
#include "proto/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/loan.h"
#include "proto/mp.h"

#define DIGEST_PREFIX     "saksi-report-v1"
#define DIGEST_PREFIX_LEN 16 /* with its NUL */

/* qsort() that accepts an empty (possibly NULL) array. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/* ---- common ---- */

static int meta_begin(struct report_meta *m, const struct books *bk, const char *type,
                      uint32_t start, uint32_t end, uint32_t as_of)
{
    struct proto_buf *b = &m->bytes;
    int rc;

    m->type = type;
    m->start = start;
    m->end = end;
    m->as_of = as_of;
    proto_buf_init(b);
    if ((rc = proto_mp_put_array(b, 9)) < 0 || (rc = proto_mp_put_str(b, "saksi-report", 12)) < 0 ||
        (rc = proto_mp_put_uint(b, REPORT_VERSION)) < 0 ||
        (rc = proto_mp_put_str(b, type, strlen(type))) < 0 ||
        (rc = proto_mp_put_bin(b, books_ledger_id(bk), 32)) < 0 ||
        (rc = proto_mp_put_uint(b, start)) < 0 || (rc = proto_mp_put_uint(b, end)) < 0 ||
        (rc = proto_mp_put_uint(b, as_of)) < 0 ||
        (rc = proto_mp_put_nil(b)) < 0) /* basis: the close's frontier digest (later) */
        return rc;
    return 0;
}

static void meta_end(struct report_meta *m)
{
    struct proto_sha256 h;

    proto_sha256_init(&h);
    proto_sha256_update(&h, DIGEST_PREFIX, DIGEST_PREFIX_LEN);
    proto_sha256_update(&h, m->bytes.data, m->bytes.len);
    proto_sha256_final(&h, m->digest);
}

void report_fingerprint(const uint8_t digest[32], char out[REPORT_FPR_CHARS + 1])
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;

    for (int i = 0; i < 8; i++) {
        if (i && i % 2 == 0)
            out[k++] = ' ';
        out[k++] = hex[digest[i] >> 4];
        out[k++] = hex[digest[i] & 15];
    }
    out[k] = '\0';
}

void report_year(const struct books *bk, uint32_t ymd, uint32_t *start, uint32_t *end)
{
    const struct proto_params *p = books_params_at(bk, ymd);
    uint32_t m = p && p->fy_start_month >= 1 && p->fy_start_month <= 12 ? p->fy_start_month : 1;
    uint32_t y = ymd / 10000, mo = ymd / 100 % 100;
    int32_t d;
    uint32_t s;

    if (mo < m)
        y--;
    s = y * 10000 + m * 100 + 1;
    *start = s;
    /* The day before the next start. */
    if (proto_day_from_ymd(m == 1 ? (y + 1) * 10000 + 101 : (y + 1) * 10000 + m * 100 + 1, &d) ==
            0 &&
        proto_day_to_ymd(d - 1, end) == 0)
        return;
    *end = y * 10000 + 1231;
}

static int put_int(struct proto_buf *b, int64_t v)
{
    return v >= 0 ? proto_mp_put_uint(b, (uint64_t)v) : proto_mp_put_int(b, v);
}

/* The same calendar day one year earlier (29 February becomes 28 February). */
static uint32_t year_before(uint32_t ymd)
{
    uint32_t y = ymd / 10000 - 1, md = ymd % 10000;

    if (md == 229)
        md = 228;
    return y * 10000 + md;
}

/* An account's type: the chart's, else by its first digit (1 A, 2 L, 3 E, 4 R, else X). */
static uint8_t acct_type(const struct books *bk, uint32_t code, uint32_t ymd)
{
    const struct proto_account *a = books_account(bk, code, ymd);

    if (a)
        return a->type;
    switch (code / 1000) {
    case 1:
        return PROTO_ACCT_ASSET;
    case 2:
        return PROTO_ACCT_LIABILITY;
    case 3:
        return PROTO_ACCT_EQUITY;
    case 4:
        return PROTO_ACCT_REVENUE;
    default:
        return PROTO_ACCT_EXPENSE;
    }
}

static bool debit_natural(uint8_t type)
{
    return type == PROTO_ACCT_ASSET || type == PROTO_ACCT_CONTRA_ASSET ||
           type == PROTO_ACCT_EXPENSE;
}

/* ---- neraca ---- */

struct acc {
    uint32_t code;
    int64_t now, prior; /* debit - credit */
};

static int cmp_acc(const void *a, const void *b)
{
    uint32_t x = ((const struct acc *)a)->code, y = ((const struct acc *)b)->code;

    return x < y ? -1 : x > y;
}

int report_neraca(const struct books *bk, uint32_t as_of, struct report_neraca *out)
{
    const struct books_posting *p = books_postings(bk);
    size_t np = books_npostings(bk), nacc = 0, cap = 64;
    struct acc *acc = malloc(cap * sizeof *acc);
    int64_t shu = 0, shu_prior = 0, diff = 0, diff_prior = 0;
    uint32_t start, end;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    if (!acc)
        return -ENOMEM;
    out->prior_date = year_before(as_of);
    for (size_t k = 0; k < np && p[k].date <= as_of; k++) {
        int64_t v = (int64_t)p[k].debit - (int64_t)p[k].credit;
        size_t i;

        for (i = 0; i < nacc; i++)
            if (acc[i].code == p[k].account)
                break;
        if (i == nacc) {
            if (nacc == cap) {
                struct acc *q = realloc(acc, 2 * cap * sizeof *acc);

                if (!q) {
                    free(acc);
                    return -ENOMEM;
                }
                acc = q;
                cap *= 2;
            }
            acc[nacc].code = p[k].account;
            acc[nacc].now = acc[nacc].prior = 0;
            nacc++;
        }
        acc[i].now += v;
        diff += v;
        if (p[k].date <= out->prior_date) {
            acc[i].prior += v;
            diff_prior += v;
        }
    }
    sort_n(acc, nacc, sizeof *acc, cmp_acc);
    out->rows = calloc(nacc + 2, sizeof *out->rows);
    if (!out->rows) {
        free(acc);
        return -ENOMEM;
    }
    for (size_t i = 0; i < nacc; i++) {
        uint8_t t = acct_type(bk, acc[i].code, as_of);
        struct report_neraca_row *r;

        if (t == PROTO_ACCT_REVENUE || t == PROTO_ACCT_EXPENSE) {
            shu -= acc[i].now; /* revenue - expense = credit - debit */
            shu_prior -= acc[i].prior;
            continue;
        }
        if (acc[i].now == 0 && acc[i].prior == 0)
            continue;
        r = &out->rows[out->nrows++];
        r->code = acc[i].code;
        r->type = t;
        r->amount = debit_natural(t) ? acc[i].now : -acc[i].now;
        r->prior = debit_natural(t) ? acc[i].prior : -acc[i].prior;
        if (t == PROTO_ACCT_ASSET || t == PROTO_ACCT_CONTRA_ASSET) {
            out->assets += r->amount;
            out->prior_assets += r->prior;
        } else if (t == PROTO_ACCT_LIABILITY) {
            out->liabilities += r->amount;
            out->prior_liabilities += r->prior;
        } else {
            out->equity += r->amount;
            out->prior_equity += r->prior;
        }
    }
    free(acc);
    /* Synthetic rows come first in code order (1, 2 < 1000). */
    if (shu != 0 || shu_prior != 0 || diff != 0 || diff_prior != 0) {
        size_t add = (shu != 0 || shu_prior != 0) + (diff != 0 || diff_prior != 0);

        memmove(out->rows + add, out->rows, out->nrows * sizeof *out->rows);
        out->nrows += add;
        add = 0;
        if (shu != 0 || shu_prior != 0) {
            out->rows[add++] = (struct report_neraca_row){REPORT_CODE_SHU_CURRENT,
                                                          PROTO_ACCT_EQUITY, shu, shu_prior};
            out->equity += shu;
            out->prior_equity += shu_prior;
        }
        if (diff != 0 || diff_prior != 0)
            out->rows[add] = (struct report_neraca_row){REPORT_CODE_UNBALANCED, PROTO_ACCT_EQUITY,
                                                        diff, diff_prior};
    }
    out->balanced = out->assets == out->liabilities + out->equity;
    report_year(bk, as_of, &start, &end);
    rc = meta_begin(&out->meta, bk, "neraca", start, end, as_of);
    b = &out->meta.bytes;
    if (rc == 0 && (rc = proto_mp_put_array(b, 2)) == 0 &&
        (rc = proto_mp_put_array(b, (uint32_t)out->nrows)) == 0)
        for (size_t i = 0; i < out->nrows && rc == 0; i++) {
            const struct report_neraca_row *r = &out->rows[i];

            if ((rc = proto_mp_put_array(b, 3)) == 0 && (rc = proto_mp_put_uint(b, r->code)) == 0 &&
                (rc = put_int(b, r->amount)) == 0)
                rc = put_int(b, r->prior);
        }
    if (rc == 0 && (rc = proto_mp_put_array(b, 7)) == 0 && (rc = put_int(b, out->assets)) == 0 &&
        (rc = put_int(b, out->liabilities)) == 0 && (rc = put_int(b, out->equity)) == 0 &&
        (rc = proto_mp_put_bool(b, out->balanced)) == 0 &&
        (rc = put_int(b, out->prior_assets)) == 0 && (rc = put_int(b, out->prior_liabilities)) == 0)
        rc = put_int(b, out->prior_equity);
    if (rc < 0) {
        report_neraca_free(out);
        return rc;
    }
    meta_end(&out->meta);
    return 0;
}

void report_neraca_free(struct report_neraca *r)
{
    free(r->rows);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}

/* ---- loans ---- */

static int cmp_loan_row(const void *a, const void *b)
{
    const struct report_loan_row *x = a, *y = b;

    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    if (x->disbursed != y->disbursed)
        return x->disbursed < y->disbursed ? -1 : 1;
    return x->loan < y->loan ? -1 : x->loan > y->loan; /* loan index order is id order */
}

/*
 * The loans at as_of: of one member (member != 0) or of all; disbursed_only keeps those
 * disbursed by as_of (the portfolio), else applications dated by as_of are listed too.
 */
static int loan_rows(const struct books *bk, uint32_t as_of, uint32_t member, bool disbursed_only,
                     struct report_loan_row **out, size_t *n)
{
    size_t nl = books_nloans(bk), k = 0;
    struct report_loan_row *v = calloc(nl + 1, sizeof *v);
    int rc = 0;

    *out = NULL;
    *n = 0;
    if (!v)
        return -ENOMEM;
    for (size_t i = 0; i < nl && rc == 0; i++) {
        const struct books_loan *l = books_loan_at(bk, i);
        const struct books_item *it = books_item(bk, l->item);

        if ((member && l->borrower != member) || it->date > as_of)
            continue;
        if (disbursed_only && (!l->disbursed || l->disbursed > as_of))
            continue;
        v[k].loan = (uint32_t)i;
        v[k].member = l->borrower;
        memcpy(v[k].product, l->product, sizeof v[k].product);
        v[k].disbursed = l->disbursed <= as_of ? l->disbursed : 0;
        v[k].principal = l->principal;
        v[k].officer = l->officer;
        rc = books_loan_state(bk, l, as_of, &v[k].st);
        k++;
    }
    if (rc < 0) {
        free(v);
        return rc;
    }
    sort_n(v, k, sizeof *v, cmp_loan_row);
    *out = v;
    *n = k;
    return 0;
}

/* x * 10^6 / total, rounded half up (0 for a zero total). */
static uint32_t ppm_of(uint64_t x, uint64_t total)
{
    static const struct proto_loan_rounding half_up = {PROTO_LOAN_ROUND_HALF_UP, 1};
    uint64_t q;

    if (total == 0 || proto_loan_muldiv(x, 1000000, total, &half_up, &q) < 0)
        return 0;
    return (uint32_t)q;
}

/* Adds a borrower's outstanding to the top ten, by (outstanding desc, member asc). */
static void top_add(struct report_loans *r, uint32_t member, uint64_t sum)
{
    size_t j = r->ntop < 10 ? r->ntop : 10;

    while (j > 0 && (r->top[j - 1].outstanding < sum ||
                     (r->top[j - 1].outstanding == sum && r->top[j - 1].member > member))) {
        if (j < 10)
            r->top[j] = r->top[j - 1];
        j--;
    }
    if (j >= 10)
        return;
    r->top[j].member = member;
    r->top[j].outstanding = sum;
    if (r->ntop < 10)
        r->ntop++;
}

int report_loans(const struct books *bk, uint32_t as_of, struct report_loans *out)
{
    const struct proto_params *P = books_params_at(bk, as_of);
    uint32_t start, end;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    rc = loan_rows(bk, as_of, 0, true, &out->rows, &out->n);
    if (rc < 0)
        return rc;
    out->nbuckets = P ? P->nrisk : 0;
    for (size_t k = 0; k < out->nbuckets; k++) {
        out->buckets[k].index = (uint32_t)k;
        out->buckets[k].klass = P->risk[k].class;
        out->buckets[k].ppap_ppm = P->risk[k].ppap_ppm;
    }
    for (size_t i = 0; i < out->n;) {
        uint32_t m = out->rows[i].member;
        uint64_t sum = 0;

        /* Rows are by member: one borrower's loans are adjacent. */
        for (; i < out->n && out->rows[i].member == m; i++) {
            const struct report_loan_row *r = &out->rows[i];

            if (r->st.outstanding == 0)
                continue;
            sum += r->st.outstanding;
            out->count++;
            out->outstanding += r->st.outstanding;
            out->ppapwd += r->st.ppapwd;
            if (r->st.klass >= 2)
                out->bermasalah += r->st.outstanding;
            if (r->officer)
                out->officer_outstanding += r->st.outstanding;
            if (r->st.has_bucket && r->st.bucket < out->nbuckets) {
                struct report_bucket *bt = &out->buckets[r->st.bucket];

                bt->count++;
                bt->outstanding += r->st.outstanding;
                bt->ppapwd += r->st.ppapwd;
            }
        }
        if (sum)
            top_add(out, m, sum);
    }
    for (size_t k = 0; k < out->ntop; k++)
        out->top[k].ppm = ppm_of(out->top[k].outstanding, out->outstanding);
    out->ratio_ppm = ppm_of(out->bermasalah, out->outstanding);
    /* (The allowance is a contra-asset, credit-natural in the books: booked is positive.) */
    out->ppap_booked = P ? books_role_balance(bk, P, PROTO_AR_ALLOWANCE, 0, as_of) : 0;

    report_year(bk, as_of, &start, &end);
    rc = meta_begin(&out->meta, bk, "loans", start, end, as_of);
    b = &out->meta.bytes;
    if (rc == 0 && (rc = proto_mp_put_array(b, 3)) == 0)
        rc = proto_mp_put_array(b, (uint32_t)out->n);
    for (size_t i = 0; i < out->n && rc == 0; i++) {
        const struct report_loan_row *r = &out->rows[i];
        const struct books_loan *l = books_loan_at(bk, r->loan);

        if ((rc = proto_mp_put_array(b, 13)) == 0 &&
            (rc = proto_mp_put_bin(b, books_item(bk, l->item)->id, 32)) == 0 &&
            (rc = proto_mp_put_uint(b, r->member)) == 0 &&
            (rc = proto_mp_put_str(b, r->product, strlen(r->product))) == 0 &&
            (rc = proto_mp_put_uint(b, r->disbursed)) == 0 &&
            (rc = proto_mp_put_uint(b, r->principal)) == 0 &&
            (rc = proto_mp_put_uint(b, r->st.outstanding)) == 0 &&
            (rc = proto_mp_put_uint(b, r->st.arrears)) == 0 &&
            (rc = proto_mp_put_uint(b, r->st.dpd)) == 0 &&
            (rc = proto_mp_put_uint(b, r->st.bucket)) == 0 &&
            (rc = proto_mp_put_uint(b, r->st.klass)) == 0 &&
            (rc = proto_mp_put_uint(b, r->st.ppapwd)) == 0 &&
            (rc = proto_mp_put_bool(b, r->officer)) == 0)
            rc = proto_mp_put_uint(b, r->st.status);
    }
    if (rc == 0)
        rc = proto_mp_put_array(b, (uint32_t)out->nbuckets);
    for (size_t k = 0; k < out->nbuckets && rc == 0; k++) {
        const struct report_bucket *bt = &out->buckets[k];

        if ((rc = proto_mp_put_array(b, 6)) == 0 && (rc = proto_mp_put_uint(b, bt->index)) == 0 &&
            (rc = proto_mp_put_uint(b, bt->klass)) == 0 &&
            (rc = proto_mp_put_uint(b, bt->count)) == 0 &&
            (rc = proto_mp_put_uint(b, bt->outstanding)) == 0 &&
            (rc = proto_mp_put_uint(b, bt->ppap_ppm)) == 0)
            rc = proto_mp_put_uint(b, bt->ppapwd);
    }
    if (rc == 0 && (rc = proto_mp_put_array(b, 9)) == 0 &&
        (rc = proto_mp_put_uint(b, out->count)) == 0 &&
        (rc = proto_mp_put_uint(b, out->outstanding)) == 0 &&
        (rc = proto_mp_put_uint(b, out->bermasalah)) == 0 &&
        (rc = proto_mp_put_uint(b, out->ratio_ppm)) == 0 &&
        (rc = proto_mp_put_uint(b, out->ppapwd)) == 0 && (rc = put_int(b, out->ppap_booked)) == 0 &&
        (rc = proto_mp_put_uint(b, out->officer_outstanding)) == 0 &&
        (rc = proto_mp_put_array(b, (uint32_t)out->ntop)) == 0)
        for (size_t k = 0; k < out->ntop && rc == 0; k++)
            if ((rc = proto_mp_put_array(b, 3)) == 0 &&
                (rc = proto_mp_put_uint(b, out->top[k].member)) == 0 &&
                (rc = proto_mp_put_uint(b, out->top[k].outstanding)) == 0)
                rc = proto_mp_put_uint(b, out->top[k].ppm);
    if (rc == 0)
        rc = proto_mp_put_uint(b, 0); /* written off: a later milestone */
    if (rc < 0) {
        report_loans_free(out);
        return rc;
    }
    meta_end(&out->meta);
    return 0;
}

void report_loans_free(struct report_loans *r)
{
    free(r->rows);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}

/* ---- statement ---- */

static bool about(const struct books_item *it, uint32_t member)
{
    return it->member == member || it->csign_member == member;
}

static int put_waiting(struct proto_buf *b, const struct books *bk, const uint32_t *v, size_t n)
{
    int rc = proto_mp_put_array(b, (uint32_t)n);

    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct books_item *it = books_item(bk, v[i]);

        if ((rc = proto_mp_put_array(b, 5)) == 0 && (rc = proto_mp_put_bin(b, it->id, 32)) == 0 &&
            (rc = proto_mp_put_uint(b, it->kind)) == 0 &&
            (rc = proto_mp_put_uint(b, it->date)) == 0 &&
            (rc = proto_mp_put_uint(b, it->amount)) == 0)
            rc = proto_mp_put_uint(b, it->reason);
    }
    return rc;
}

/* Items waiting and dated <= as_of (or undated), about member (0: all), by (date, id). */
static int waiting_items(const struct books *bk, uint32_t as_of, uint32_t member, uint32_t **out,
                         size_t *n)
{
    size_t ni = books_nitems(bk), k = 0;
    uint32_t *v = malloc((ni + 1) * sizeof *v);

    *out = NULL;
    *n = 0;
    if (!v)
        return -ENOMEM;
    for (size_t i = 0; i < ni; i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->status != BOOKS_WAITING || it->date > as_of || (member && !about(it, member)))
            continue;
        v[k++] = (uint32_t)i;
    }
    /* Items are in id order; a stable insertion by date keeps (date, id). */
    for (size_t a = 1; a < k; a++) {
        uint32_t x = v[a];
        size_t j = a;

        while (j > 0 && books_item(bk, v[j - 1])->date > books_item(bk, x)->date) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    *out = v;
    *n = k;
    return 0;
}

int report_statement(const struct books *bk, uint32_t member, uint32_t from, uint32_t to,
                     uint32_t as_of, struct report_statement *out)
{
    const struct books_posting *p = books_postings(bk);
    const struct proto_params *P = books_params_at(bk, as_of);
    size_t np = books_npostings(bk);
    uint32_t last = to < as_of ? to : as_of;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    out->member = member;
    out->status = (uint8_t)books_member_status(bk, member, as_of, &out->joined, &out->exited);
    /* Accounts: every savings-type account (liability or equity: savings, refunds due, SHU
     * payable) the member has a posting on by the statement's last day (later arrivals dated
     * after it must not change this statement); loans have their own part. */
    for (size_t k = 0; k < np && p[k].date <= last; k++) {
        struct report_stmt_account *a = NULL;
        uint8_t t;

        if (p[k].member != member)
            continue;
        t = acct_type(bk, p[k].account, as_of);
        if (t != PROTO_ACCT_LIABILITY && t != PROTO_ACCT_EQUITY)
            continue;
        for (size_t i = 0; i < out->naccounts; i++)
            if (out->accounts[i].account == p[k].account)
                a = &out->accounts[i];
        if (!a) {
            struct report_stmt_account *q =
                realloc(out->accounts, (out->naccounts + 1) * sizeof *q);

            if (!q) {
                rc = -ENOMEM;
                goto fail;
            }
            out->accounts = q;
            a = &out->accounts[out->naccounts++];
            memset(a, 0, sizeof *a);
            a->account = p[k].account;
        }
    }
    /* Ascending account. */
    for (size_t i = 1; i < out->naccounts; i++) {
        struct report_stmt_account x = out->accounts[i];
        size_t j = i;

        while (j > 0 && out->accounts[j - 1].account > x.account) {
            out->accounts[j] = out->accounts[j - 1];
            j--;
        }
        out->accounts[j] = x;
    }
    for (size_t i = 0; i < out->naccounts; i++) {
        struct report_stmt_account *a = &out->accounts[i];
        bool dn = debit_natural(acct_type(bk, a->account, as_of));
        const struct proto_savings_product *sp =
            P ? proto_params_savings_by_account(P, a->account) : NULL;
        size_t nm = 0;

        if (sp)
            memcpy(a->product, sp->code, sizeof a->product);
        for (size_t k = 0; k < np && p[k].date <= last; k++)
            if (p[k].member == member && p[k].account == a->account && p[k].date >= from)
                nm++;
        a->moves = calloc(nm + 1, sizeof *a->moves);
        if (!a->moves) {
            rc = -ENOMEM;
            goto fail;
        }
        for (size_t k = 0; k < np && p[k].date <= last; k++) {
            int64_t v;

            if (p[k].member != member || p[k].account != a->account)
                continue;
            v = (int64_t)p[k].debit - (int64_t)p[k].credit;
            if (!dn)
                v = -v;
            if (p[k].date < from) {
                a->opening += v;
            } else {
                struct report_move *m = &a->moves[a->nmoves++];
                const struct books_item *it = books_item(bk, p[k].item);

                m->date = p[k].date;
                m->item = p[k].item;
                m->kind = it->kind;
                m->debit = p[k].debit;
                m->credit = p[k].credit;
                m->confirmed = it->confirmed;
            }
            a->closing += v;
        }
    }
    /* Refund due to an exited member. */
    if (out->status == BOOKS_MEMBER_EXITED && P) {
        int32_t d0, d1;

        out->refund_balance = books_role_balance(bk, P, PROTO_AR_REFUNDS, member, as_of);
        if (out->refund_balance > 0 && proto_day_from_ymd(out->exited, &d0) == 0 &&
            proto_day_to_ymd(d0 + (int32_t)P->refund_days, &out->refund_due) == 0 &&
            proto_day_from_ymd(as_of, &d1) == 0 && d1 > d0 + (int32_t)P->refund_days)
            out->overdue_days = d1 - d0 - (int32_t)P->refund_days;
    }
    rc = waiting_items(bk, as_of, member, &out->waiting, &out->nwaiting);
    if (rc < 0)
        goto fail;
    rc = loan_rows(bk, as_of, member, false, &out->loans, &out->nloans);
    if (rc < 0)
        goto fail;

    rc = meta_begin(&out->meta, bk, "statement", from, to, as_of);
    b = &out->meta.bytes;
    if (rc == 0 && (rc = proto_mp_put_array(b, 9)) == 0 &&
        (rc = proto_mp_put_uint(b, member)) == 0 && (rc = proto_mp_put_uint(b, out->status)) == 0 &&
        (rc = proto_mp_put_uint(b, out->joined)) == 0 &&
        (rc = proto_mp_put_uint(b, out->exited)) == 0 &&
        (rc = proto_mp_put_array(b, (uint32_t)out->naccounts)) == 0)
        for (size_t i = 0; i < out->naccounts && rc == 0; i++) {
            const struct report_stmt_account *a = &out->accounts[i];

            if ((rc = proto_mp_put_array(b, 5)) < 0 ||
                (rc = proto_mp_put_uint(b, a->account)) < 0 ||
                (rc = a->product[0] ? proto_mp_put_str(b, a->product, strlen(a->product))
                                    : proto_mp_put_nil(b)) < 0 ||
                (rc = put_int(b, a->opening)) < 0 ||
                (rc = proto_mp_put_array(b, (uint32_t)a->nmoves)) < 0)
                break;
            for (size_t k = 0; k < a->nmoves && rc == 0; k++) {
                const struct report_move *m = &a->moves[k];

                if ((rc = proto_mp_put_array(b, 6)) == 0 &&
                    (rc = proto_mp_put_uint(b, m->date)) == 0 &&
                    (rc = proto_mp_put_bin(b, books_item(bk, m->item)->id, 32)) == 0 &&
                    (rc = proto_mp_put_uint(b, m->kind)) == 0 &&
                    (rc = proto_mp_put_uint(b, m->debit)) == 0 &&
                    (rc = proto_mp_put_uint(b, m->credit)) == 0)
                    rc = proto_mp_put_bool(b, m->confirmed);
            }
            if (rc == 0)
                rc = put_int(b, a->closing);
        }
    if (rc == 0 && (rc = proto_mp_put_array(b, (uint32_t)out->nloans)) == 0)
        for (size_t i = 0; i < out->nloans && rc == 0; i++) {
            const struct report_loan_row *l = &out->loans[i];
            const struct books_loan *bl = books_loan_at(bk, l->loan);

            if ((rc = proto_mp_put_array(b, 10)) == 0 &&
                (rc = proto_mp_put_bin(b, books_item(bk, bl->item)->id, 32)) == 0 &&
                (rc = proto_mp_put_uint(b, l->st.status)) == 0 &&
                (rc = proto_mp_put_uint(b, l->principal)) == 0 &&
                (rc = proto_mp_put_uint(b, l->st.outstanding)) == 0 &&
                (rc = proto_mp_put_uint(b, l->st.arrears)) == 0 &&
                (rc = proto_mp_put_uint(b, l->st.dpd)) == 0 &&
                (rc = proto_mp_put_uint(b, l->st.next_due)) == 0 &&
                (rc = proto_mp_put_uint(b, l->st.next_amount)) == 0 &&
                (rc = proto_mp_put_uint(b, l->st.interest_paid)) == 0)
                rc = proto_mp_put_uint(b, l->st.penalty_due);
        }
    /* SHU: a later milestone (an empty array keeps the layout). */
    if (rc == 0 && (rc = proto_mp_put_array(b, 0)) == 0 && (rc = proto_mp_put_array(b, 3)) == 0 &&
        (rc = put_int(b, out->refund_balance)) == 0 &&
        (rc = proto_mp_put_uint(b, out->refund_due)) == 0 &&
        (rc = put_int(b, out->overdue_days)) == 0)
        rc = put_waiting(b, bk, out->waiting, out->nwaiting);
    if (rc < 0)
        goto fail;
    meta_end(&out->meta);
    return 0;
fail:
    report_statement_free(out);
    return rc;
}

void report_statement_free(struct report_statement *r)
{
    for (size_t i = 0; i < r->naccounts; i++)
        free(r->accounts[i].moves);
    free(r->accounts);
    free(r->loans);
    free(r->waiting);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}

/* ---- pending ---- */

int report_pending(const struct books *bk, uint32_t as_of, uint32_t member,
                   struct report_pending *out)
{
    uint32_t start, end;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    rc = waiting_items(bk, as_of, member, &out->items, &out->n);
    if (rc < 0)
        return rc;
    report_year(bk, as_of, &start, &end);
    rc = meta_begin(&out->meta, bk, "pending", start, end, as_of);
    b = &out->meta.bytes;
    if (rc == 0)
        rc = proto_mp_put_array(b, (uint32_t)out->n);
    for (size_t i = 0; i < out->n && rc == 0; i++) {
        const struct books_item *it = books_item(bk, out->items[i]);

        if ((rc = proto_mp_put_array(b, 12)) == 0 && (rc = proto_mp_put_bin(b, it->id, 32)) == 0 &&
            (rc = proto_mp_put_uint(b, it->kind)) == 0 &&
            (rc = proto_mp_put_uint(b, it->date)) == 0 &&
            (rc = proto_mp_put_uint(b, it->amount)) == 0 &&
            (rc = proto_mp_put_uint(b, it->member)) == 0 &&
            (rc = proto_mp_put_uint(b, it->reason)) == 0 &&
            (rc = proto_mp_put_uint(b, it->missing_pengurus)) == 0 &&
            (rc = proto_mp_put_uint(b, it->missing_pengawas)) == 0 &&
            (rc = proto_mp_put_uint(b, it->missing_offices)) == 0 &&
            (rc = proto_mp_put_uint(b, it->reason == BOOKS_WAIT_COUNTERSIGN ? it->csign_member
                                                                            : 0)) == 0 &&
            (rc = it->has_prereq ? proto_mp_put_bin(b, it->prereq, 32) : proto_mp_put_nil(b)) == 0)
            rc = proto_mp_put_uint(b, it->rejects);
    }
    if (rc < 0) {
        report_pending_free(out);
        return rc;
    }
    meta_end(&out->meta);
    return 0;
}

void report_pending_free(struct report_pending *r)
{
    free(r->items);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}

/* ---- findings ---- */

int report_findings(const struct books *bk, uint32_t start, uint32_t as_of,
                    struct report_findings *out)
{
    struct books_finding *all;
    size_t n, k = 0;
    uint32_t ys, ye;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    rc = books_findings_at(bk, as_of, &all, &n);
    if (rc < 0)
        return rc;
    /* Undated findings (a malformed body has no readable date) belong to every period. */
    for (size_t i = 0; i < n; i++)
        if (all[i].date == 0 || (all[i].date >= start && all[i].date <= as_of))
            all[k++] = all[i];
    out->rows = all;
    out->n = k;
    report_year(bk, as_of, &ys, &ye);
    rc = meta_begin(&out->meta, bk, "findings", start, ye, as_of);
    b = &out->meta.bytes;
    if (rc == 0)
        rc = proto_mp_put_array(b, (uint32_t)k);
    for (size_t i = 0; i < k && rc == 0; i++) {
        const struct books_finding *f = &all[i];
        const char *name = books_code_name(f->code);

        if ((rc = proto_mp_put_array(b, 8)) == 0 &&
            (rc = proto_mp_put_str(b, name, strlen(name))) == 0 &&
            (rc = proto_mp_put_uint(b, f->severity)) == 0 &&
            (rc = proto_mp_put_uint(b, f->date)) == 0 &&
            (rc = f->item >= 0 ? proto_mp_put_bin(b, books_item(bk, (size_t)f->item)->id, 32)
                               : proto_mp_put_nil(b)) == 0 &&
            (rc = proto_mp_put_uint(b, f->member)) == 0 &&
            (rc = proto_mp_put_uint(b, f->account)) == 0 && (rc = put_int(b, f->amount)) == 0 &&
            (rc = proto_mp_put_array(b, 2)) == 0 && (rc = put_int(b, f->detail[0])) == 0)
            rc = put_int(b, f->detail[1]);
    }
    if (rc < 0) {
        report_findings_free(out);
        return rc;
    }
    meta_end(&out->meta);
    return 0;
}

void report_findings_free(struct report_findings *r)
{
    free(r->rows);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}
