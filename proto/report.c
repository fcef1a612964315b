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
#include "proto/merkle.h"
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
    m->has_basis = false;
    for (size_t k = 0; k < books_ncloses(bk) && as_of >= end; k++) {
        const struct books_close *c = books_close_at(bk, k);

        if (c->start == start && c->end == end) {
            m->has_basis = true;
            memcpy(m->basis, c->frontier, 32);
        }
    }
    proto_buf_init(b);
    if ((rc = proto_mp_put_array(b, 9)) < 0 || (rc = proto_mp_put_str(b, "saksi-report", 12)) < 0 ||
        (rc = proto_mp_put_uint(b, REPORT_VERSION)) < 0 ||
        (rc = proto_mp_put_str(b, type, strlen(type))) < 0 ||
        (rc = proto_mp_put_bin(b, books_ledger_id(bk), 32)) < 0 ||
        (rc = proto_mp_put_uint(b, start)) < 0 || (rc = proto_mp_put_uint(b, end)) < 0 ||
        (rc = proto_mp_put_uint(b, as_of)) < 0 ||
        (rc = m->has_basis ? proto_mp_put_bin(b, m->basis, 32) : proto_mp_put_nil(b)) < 0)
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

            out->written_off += r->st.written_off; /* listed apart (6.7) */
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
        rc = proto_mp_put_uint(b, out->written_off);
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

                m->date = p[k].date;
                m->item = p[k].item;
                m->kind = p[k].kind;
                m->debit = p[k].debit;
                m->credit = p[k].credit;
                m->confirmed = books_item(bk, p[k].item)->confirmed;
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

/* ---- period reports (lhu, equity, cashflow, shu-members) ---- */

/* The period as the postings see it: [k0, k1) are the postings dated start .. last. */
struct period {
    uint32_t start, end, as_of, last;
    size_t k0, k1;
    const struct proto_params *P; /* in force on end (NULL: the defaults) */
};

/* The first posting dated after ymd (postings are sorted by date). */
static size_t postings_after(const struct books *bk, uint32_t ymd)
{
    const struct books_posting *p = books_postings(bk);
    size_t lo = 0, hi = books_npostings(bk);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (p[mid].date <= ymd)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void period_init(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                        struct period *pd)
{
    pd->start = start;
    pd->end = end;
    pd->as_of = as_of;
    pd->last = end < as_of ? end : as_of;
    pd->k0 = postings_after(bk, start - 1); /* dates are YYYYMMDD: "<= start - 1" is "< start" */
    pd->k1 = pd->last >= start ? postings_after(bk, pd->last) : pd->k0;
    pd->P = books_params_at(bk, end);
}

static bool closing_posting(const struct books *bk, const struct books_posting *p)
{
    (void)bk;
    return p->kind == REPORT_KIND_CLOSE;
}

/* The natural sign of an account's balance: +1 debit - credit, -1 credit - debit. */
static int natural_sign(const struct books *bk, uint32_t code, uint32_t ymd)
{
    return debit_natural(acct_type(bk, code, ymd)) ? 1 : -1;
}

/* ---- lhu ---- */

static bool in_list(const uint32_t *v, uint32_t n, uint32_t x)
{
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

static bool nonmember_account(const struct proto_params *P, uint32_t code)
{
    static const uint32_t dflt[] = {4110};

    return P ? in_list(P->nonmember,
                       P->nnonmember < PROTO_PARAMS_ACCTS_MAX ? P->nnonmember
                                                              : PROTO_PARAMS_ACCTS_MAX,
                       code)
             : in_list(dflt, 1, code);
}

/* The LHU section of a revenue or expense account (6.3), 0 for any other account. */
static uint8_t lhu_section(const struct books *bk, const struct proto_params *P, uint32_t code,
                           uint32_t ymd)
{
    uint8_t t = acct_type(bk, code, ymd);

    if (t != PROTO_ACCT_REVENUE && t != PROTO_ACCT_EXPENSE)
        return 0;
    for (uint32_t i = 0; P && i < P->nlhu && i < PROTO_PARAMS_LHU_MAX; i++)
        if (P->lhu[i].code == code && P->lhu[i].section >= 1 &&
            P->lhu[i].section <= REPORT_LHU_SECTIONS)
            return P->lhu[i].section;
    if (t == PROTO_ACCT_REVENUE) {
        if (proto_params_has_role(P, PROTO_AR_INTEREST_OTHERS, code) || nonmember_account(P, code))
            return 3;
        if (proto_params_has_role(P, PROTO_AR_INTEREST_MEMBERS, code) ||
            proto_params_has_role(P, PROTO_AR_FEES, code) ||
            proto_params_has_role(P, PROTO_AR_PENALTIES, code))
            return 1;
        return 4;
    }
    if (proto_params_has_role(P, PROTO_AR_TAX_EXPENSE, code))
        return 7;
    if (code == 5100 || code == 5110)
        return 2;
    if (code == 5300)
        return 6;
    return 5;
}

static bool revenue_section(uint8_t s)
{
    return s == 1 || s == 3 || s == 4;
}

/* The sections and totals of the LHU (not the proposal, not the bytes). */
static int lhu_fill(const struct books *bk, const struct period *pd, struct report_lhu *out)
{
    const struct books_posting *p = books_postings(bk);
    size_t nacc = 0, cap = 0;
    struct acc *acc = NULL;
    int64_t s[REPORT_LHU_SECTIONS + 1] = {0}, rtotal, rnon;
    int rc = 0;

    for (size_t k = pd->k0; k < pd->k1; k++) {
        size_t i;

        if (closing_posting(bk, &p[k]))
            continue;
        for (i = 0; i < nacc && acc[i].code != p[k].account; i++)
            ;
        if (i == nacc) {
            if (nacc == cap) {
                size_t ncap = cap ? 2 * cap : 32;
                struct acc *q = realloc(acc, ncap * sizeof *q);

                if (!q) {
                    free(acc);
                    return -ENOMEM;
                }
                acc = q;
                cap = ncap;
            }
            acc[nacc].code = p[k].account;
            acc[nacc].now = 0;
            nacc++;
        }
        acc[i].now += (int64_t)p[k].debit - (int64_t)p[k].credit;
    }
    sort_n(acc, nacc, sizeof *acc, cmp_acc);
    for (int j = 0; j < REPORT_LHU_SECTIONS; j++) {
        out->sections[j].section = (uint8_t)(j + 1);
        out->sections[j].rows = calloc(nacc + 1, sizeof *out->sections[j].rows);
        if (!out->sections[j].rows)
            rc = -ENOMEM;
    }
    for (size_t i = 0; i < nacc && rc == 0; i++) {
        uint8_t sec = lhu_section(bk, pd->P, acc[i].code, pd->last);
        struct report_lhu_section *S;
        int64_t v;

        if (sec == 0 || acc[i].now == 0)
            continue;
        S = &out->sections[sec - 1];
        v = revenue_section(sec) ? -acc[i].now : acc[i].now;
        S->rows[S->nrows++] = (struct report_lhu_row){acc[i].code, v};
        S->subtotal += v;
        s[sec] += v;
    }
    free(acc);
    if (rc < 0)
        return rc;
    out->partisipasi_neto = s[1] - s[2];
    out->shu_before_tax = s[1] - s[2] + s[3] + s[4] - s[5] - s[6];
    out->tax = s[7];
    out->shu_after_tax = out->shu_before_tax - out->tax;
    /* Non-member SHU (open question 12.11): the after-tax SHU pro rata to non-member revenue. */
    rtotal = s[1] + s[3] + s[4];
    rnon = s[3] < rtotal ? s[3] : rtotal;
    if (out->shu_after_tax > 0 && rtotal > 0 && rnon > 0) {
        static const struct proto_loan_rounding down = {PROTO_LOAN_ROUND_DOWN, 1};
        uint64_t q;

        rc = proto_loan_muldiv((uint64_t)out->shu_after_tax, (uint64_t)rnon, (uint64_t)rtotal,
                               &down, &q);
        if (rc < 0)
            return rc;
        out->nonmember = (int64_t)q;
    }
    out->member = out->shu_after_tax - out->nonmember;
    return 0;
}

static void lhu_release(struct report_lhu *r)
{
    for (int j = 0; j < REPORT_LHU_SECTIONS; j++)
        free(r->sections[j].rows);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}

void report_lhu_free(struct report_lhu *r)
{
    lhu_release(r);
}

/* ---- shu-members ---- */

#define SHU_LEAF_PREFIX     "saksi-shu-v1"
#define SHU_LEAF_PREFIX_LEN 13 /* with its NUL */

/* What decides the per-member split: the table and the rules of the parameters. */
struct shu_rules {
    struct proto_shu_table table;
    uint32_t account[PROTO_SHU_PARTS_MAX];
    struct proto_params_accounts capital, usage;
    uint8_t eligibility, mode;
    uint32_t residual_part;
};

static int shu_rules_get(const struct proto_params *P, const struct proto_shu_table *table,
                         struct shu_rules *r)
{
    memset(r, 0, sizeof *r);
    if (table) {
        r->table = *table;
    } else if (P) {
        r->table.nparts = P->nshu <= PROTO_SHU_PARTS_MAX ? P->nshu : PROTO_SHU_PARTS_MAX;
        for (uint32_t i = 0; i < r->table.nparts; i++) {
            memcpy(r->table.parts[i].name, P->shu[i].name, sizeof r->table.parts[i].name);
            r->table.parts[i].role = P->shu[i].role;
            r->table.parts[i].ppm = P->shu[i].ppm;
            r->account[i] = P->shu[i].account;
        }
    } else {
        return -ENOENT;
    }
    if (P) {
        r->capital = P->shu_capital;
        r->usage = P->shu_usage;
        r->eligibility = P->shu_eligibility;
        r->mode = P->shu_mode;
        r->residual_part = P->shu_residual_part;
    } else {
        /* proto_params_default's: time-weighted SP + SW, jasa paid on 4100, active members. */
        r->capital = (struct proto_params_accounts){2, 2, {3100, 3110}};
        r->usage = (struct proto_params_accounts){1, 1, {4100}};
        r->eligibility = 1;
        r->mode = PROTO_SHU_RESIDUAL;
        r->residual_part = 0;
    }
    if (r->capital.n > PROTO_PARAMS_ACCTS_MAX)
        r->capital.n = PROTO_PARAMS_ACCTS_MAX;
    if (r->usage.n > PROTO_PARAMS_ACCTS_MAX)
        r->usage.n = PROTO_PARAMS_ACCTS_MAX;
    /* The residual part must be a role-0 part of this table: else its first one. */
    if (r->residual_part >= r->table.nparts ||
        r->table.parts[r->residual_part].role != PROTO_SHU_ROLE_OTHER) {
        r->residual_part = 0;
        for (uint32_t i = 0; i < r->table.nparts && i < PROTO_SHU_PARTS_MAX; i++)
            if (r->table.parts[i].role == PROTO_SHU_ROLE_OTHER) {
                r->residual_part = i;
                break;
            }
    }
    return 0;
}

int report_shu_leaf(const struct report_shu_row *row, uint8_t out[32])
{
    struct proto_buf b;
    int rc;

    proto_buf_init(&b);
    if ((rc = proto_buf_append(&b, SHU_LEAF_PREFIX, SHU_LEAF_PREFIX_LEN)) == 0 &&
        (rc = proto_mp_put_array(&b, 5)) == 0 && (rc = proto_mp_put_uint(&b, row->member)) == 0 &&
        (rc = put_int(&b, row->capital)) == 0 && (rc = put_int(&b, row->usage)) == 0 &&
        (rc = put_int(&b, row->jm)) == 0 && (rc = put_int(&b, row->ju)) == 0)
        proto_merkle_leaf(b.data, b.len, out);
    proto_buf_release(&b);
    return rc;
}

static int cmp_member(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* day number of ymd (0 for an invalid date: periods are built from valid ones). */
static int32_t day_of(uint32_t ymd)
{
    int32_t d = 0;

    (void)proto_day_from_ymd(ymd, &d);
    return d;
}

/* sum += max(cur, 0) x days, or -EOVERFLOW. */
static int add_days(int64_t *sum, int64_t cur, int64_t days)
{
    if (cur <= 0 || days <= 0)
        return 0;
    if (cur > (INT64_MAX - *sum) / days)
        return -EOVERFLOW;
    *sum += cur * days;
    return 0;
}

/*
 * S_i and T_i of every known member, then the eligible ones' shares of member_shu. Fills
 * out->parts, jm, ju, rows, members_root and residual_part.
 */
static int shu_calc(const struct books *bk, const struct period *pd, const struct shu_rules *R,
                    int64_t member_shu, struct report_shu_members *out)
{
    const struct books_posting *p = books_postings(bk);
    const uint32_t *members;
    size_t nm = books_members(bk, &members), ne = 0;
    int64_t *S = calloc(nm + 1, sizeof *S), *T = calloc(nm + 1, sizeof *T);
    int64_t *cur = calloc(nm + 1, sizeof *cur), *jm = NULL, *ju = NULL;
    int32_t *from = calloc(nm + 1, sizeof *from);
    int32_t d_start = day_of(pd->start), d_end = day_of(pd->last) + 1;
    bool weighted = R->capital.basis == 2;
    struct proto_shu_result res;
    struct proto_merkle_range mr;
    int rc = 0;

    if (!S || !T || !cur || !from) {
        rc = -ENOMEM;
        goto out;
    }
    /* Capital at the start (time-weighted) or at the last day (end balance). */
    for (size_t i = 0; i < nm; i++) {
        int64_t v = 0;

        for (uint32_t a = 0; a < R->capital.n; a++) {
            uint32_t code = R->capital.codes[a];

            v += natural_sign(bk, code, pd->last) *
                 books_balance(bk, code, members[i], weighted ? pd->start - 1 : pd->last);
        }
        cur[i] = v;
        from[i] = d_start;
        if (!weighted)
            S[i] = v > 0 ? v : 0;
    }
    for (size_t k = pd->k0; k < pd->k1 && rc == 0; k++) {
        const uint32_t *at;
        size_t i;
        int64_t dc = (int64_t)p[k].debit - (int64_t)p[k].credit;

        if (!p[k].member || closing_posting(bk, &p[k]))
            continue;
        at = bsearch(&p[k].member, members, nm, sizeof *members, cmp_member);
        if (!at)
            continue;
        i = (size_t)(at - members);
        if (weighted && in_list(R->capital.codes, R->capital.n, p[k].account)) {
            int32_t d = day_of(p[k].date);

            /* Days from[i] .. d - 1 closed with the balance cur[i]. */
            rc = add_days(&S[i], cur[i], (int64_t)d - from[i]);
            from[i] = d;
            cur[i] += natural_sign(bk, p[k].account, pd->last) * dc;
        }
        if (in_list(R->usage.codes, R->usage.n, p[k].account)) {
            if (R->usage.basis == 2)
                T[i] += (int64_t)p[k].debit; /* principal disbursed */
            else
                T[i] -= dc; /* credits minus debits: jasa paid */
        }
    }
    for (size_t i = 0; i < nm && rc == 0; i++) {
        if (weighted && pd->last >= pd->start)
            rc = add_days(&S[i], cur[i], (int64_t)d_end - from[i]);
        if (T[i] < 0)
            T[i] = 0;
    }
    if (rc < 0)
        goto out;
    /* Eligible members, compacted in place (ascending member order is kept). */
    for (size_t i = 0; i < nm; i++) {
        bool ok;

        if (R->eligibility == 2) {
            ok = S[i] > 0 || T[i] > 0;
        } else {
            uint32_t a, e;

            ok = books_member_status(bk, members[i], pd->last, &a, &e) == BOOKS_MEMBER_ACTIVE;
        }
        if (!ok)
            continue;
        S[ne] = S[i];
        T[ne] = T[i];
        cur[ne] = (int64_t)members[i]; /* (cur is free now: it keeps the member numbers) */
        ne++;
    }
    jm = calloc(ne + 1, sizeof *jm);
    ju = calloc(ne + 1, sizeof *ju);
    out->rows = calloc(ne + 1, sizeof *out->rows);
    if (!jm || !ju || !out->rows) {
        rc = -ENOMEM;
        goto out;
    }
    rc = proto_shu_compute(&R->table, member_shu > 0 ? member_shu : 0, S, T, ne,
                           R->mode == PROTO_SHU_LARGEST_REMAINDER ? PROTO_SHU_LARGEST_REMAINDER
                                                                  : PROTO_SHU_RESIDUAL,
                           jm, ju, &res);
    if (rc < 0)
        goto out;
    out->shu_member = member_shu > 0 ? member_shu : 0;
    out->nparts = R->table.nparts;
    for (uint32_t i = 0; i < R->table.nparts; i++)
        out->parts[i] = (struct report_shu_part){i, R->table.parts[i].role, R->table.parts[i].ppm,
                                                 R->account[i], res.amount[i]};
    out->residual_part = R->residual_part;
    out->jm = res.modal;
    out->ju = res.usaha;
    proto_merkle_range_init(&mr);
    for (size_t i = 0; i < ne && rc == 0; i++) {
        struct report_shu_row *w = &out->rows[i];
        uint8_t leaf[32];

        *w = (struct report_shu_row){(uint32_t)cur[i], S[i], T[i], jm[i], ju[i]};
        rc = report_shu_leaf(w, leaf);
        if (rc == 0)
            proto_merkle_range_push(&mr, leaf);
    }
    out->n = ne;
    proto_merkle_range_root(&mr, out->members_root);
out:
    free(S);
    free(T);
    free(cur);
    free(from);
    free(jm);
    free(ju);
    return rc;
}

static int put_pool(struct proto_buf *b, const struct proto_shu_pool *x)
{
    int rc;

    if ((rc = proto_mp_put_array(b, 4)) == 0 && (rc = put_int(b, x->pool)) == 0 &&
        (rc = put_int(b, x->total)) == 0 && (rc = put_int(b, x->paid)) == 0)
        rc = put_int(b, x->residual);
    return rc;
}

int report_shu_members(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                       const struct proto_shu_table *table, struct report_shu_members *out)
{
    struct report_lhu lhu;
    struct shu_rules *R = malloc(sizeof *R);
    struct period pd;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&lhu, 0, sizeof lhu);
    if (!R)
        return -ENOMEM;
    period_init(bk, start, end, as_of, &pd);
    rc = shu_rules_get(pd.P, table, R);
    if (rc == 0)
        rc = lhu_fill(bk, &pd, &lhu);
    if (rc == 0) {
        out->nonmember = lhu.nonmember;
        rc = shu_calc(bk, &pd, R, lhu.member, out);
    }
    lhu_release(&lhu);
    free(R);
    if (rc < 0)
        goto fail;
    rc = meta_begin(&out->meta, bk, "shu-members", start, end, as_of);
    b = &out->meta.bytes;
    if (rc == 0 && (rc = proto_mp_put_array(b, 6)) == 0 &&
        (rc = put_int(b, out->shu_member)) == 0 &&
        (rc = proto_mp_put_array(b, (uint32_t)out->nparts)) == 0)
        for (size_t i = 0; i < out->nparts && rc == 0; i++)
            if ((rc = proto_mp_put_array(b, 4)) == 0 &&
                (rc = proto_mp_put_uint(b, out->parts[i].index)) == 0 &&
                (rc = proto_mp_put_uint(b, out->parts[i].role)) == 0 &&
                (rc = proto_mp_put_uint(b, out->parts[i].ppm)) == 0)
                rc = put_int(b, out->parts[i].amount);
    if (rc == 0 && (rc = put_pool(b, &out->jm)) == 0 && (rc = put_pool(b, &out->ju)) == 0)
        rc = proto_mp_put_array(b, (uint32_t)out->n);
    for (size_t i = 0; i < out->n && rc == 0; i++) {
        const struct report_shu_row *w = &out->rows[i];

        if ((rc = proto_mp_put_array(b, 5)) == 0 && (rc = proto_mp_put_uint(b, w->member)) == 0 &&
            (rc = put_int(b, w->capital)) == 0 && (rc = put_int(b, w->usage)) == 0 &&
            (rc = put_int(b, w->jm)) == 0)
            rc = put_int(b, w->ju);
    }
    if (rc == 0)
        rc = proto_mp_put_bin(b, out->members_root, 32);
    if (rc < 0)
        goto fail;
    meta_end(&out->meta);
    return 0;
fail:
    report_shu_members_free(out);
    return rc;
}

void report_shu_members_free(struct report_shu_members *r)
{
    free(r->rows);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}

int report_lhu(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
               struct report_lhu *out)
{
    struct report_shu_members sm;
    struct shu_rules *R = NULL;
    struct period pd;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&sm, 0, sizeof sm);
    period_init(bk, start, end, as_of, &pd);
    rc = lhu_fill(bk, &pd, out);
    if (rc < 0)
        goto fail;
    /* The proposal: the member SHU over the table of the parameters in force on end. */
    if (out->member > 0 && pd.P) {
        R = malloc(sizeof *R);
        if (!R) {
            rc = -ENOMEM;
            goto fail;
        }
        rc = shu_rules_get(pd.P, NULL, R);
        if (rc == 0)
            rc = shu_calc(bk, &pd, R, out->member, &sm);
        free(R);
        if (rc < 0)
            goto fail;
        out->has_proposal = true;
        out->nproposal = sm.nparts;
        for (size_t i = 0; i < sm.nparts; i++) {
            struct report_shu_part *q = &out->proposal[i];

            *q = sm.parts[i];
            if (q->role == PROTO_SHU_ROLE_MODAL)
                q->amount = sm.jm.paid;
            else if (q->role == PROTO_SHU_ROLE_USAHA)
                q->amount = sm.ju.paid;
        }
        if (sm.residual_part < sm.nparts)
            out->proposal[sm.residual_part].amount +=
                out->nonmember + sm.jm.residual + sm.ju.residual;
        report_shu_members_free(&sm);
    }
    rc = meta_begin(&out->meta, bk, "lhu", start, end, as_of);
    b = &out->meta.bytes;
    if (rc == 0)
        rc = proto_mp_put_array(b, 3);
    if (rc == 0)
        rc = proto_mp_put_array(b, REPORT_LHU_SECTIONS);
    for (int j = 0; j < REPORT_LHU_SECTIONS && rc == 0; j++) {
        const struct report_lhu_section *S = &out->sections[j];

        if ((rc = proto_mp_put_array(b, 3)) < 0 || (rc = proto_mp_put_uint(b, S->section)) < 0 ||
            (rc = proto_mp_put_array(b, (uint32_t)S->nrows)) < 0)
            break;
        for (size_t i = 0; i < S->nrows && rc == 0; i++)
            if ((rc = proto_mp_put_array(b, 2)) == 0 &&
                (rc = proto_mp_put_uint(b, S->rows[i].account)) == 0)
                rc = put_int(b, S->rows[i].amount);
        if (rc == 0)
            rc = put_int(b, S->subtotal);
    }
    if (rc == 0 && (rc = proto_mp_put_array(b, 6)) == 0 &&
        (rc = put_int(b, out->partisipasi_neto)) == 0 &&
        (rc = put_int(b, out->shu_before_tax)) == 0 && (rc = put_int(b, out->tax)) == 0 &&
        (rc = put_int(b, out->shu_after_tax)) == 0 && (rc = put_int(b, out->nonmember)) == 0 &&
        (rc = put_int(b, out->member)) == 0)
        rc = out->has_proposal ? proto_mp_put_array(b, (uint32_t)out->nproposal)
                               : proto_mp_put_nil(b);
    for (size_t i = 0; out->has_proposal && i < out->nproposal && rc == 0; i++) {
        const struct report_shu_part *q = &out->proposal[i];

        if ((rc = proto_mp_put_array(b, 4)) == 0 && (rc = proto_mp_put_uint(b, q->index)) == 0 &&
            (rc = proto_mp_put_uint(b, q->ppm)) == 0 &&
            (rc = proto_mp_put_uint(b, q->account)) == 0)
            rc = put_int(b, q->amount);
    }
    if (rc < 0)
        goto fail;
    meta_end(&out->meta);
    return 0;
fail:
    report_shu_members_free(&sm);
    lhu_release(out);
    return rc;
}

/* ---- equity ---- */

/* The equity source of an item's postings; a reversal counts under its target's. */
/* The source of a posting of an item of this kind other than a reversal. */
static uint8_t eq_source_kind(uint32_t kind)
{
    switch (kind) {
    case 40:
        return REPORT_SRC_ADMISSION;
    case 48:
        return REPORT_SRC_DEPOSIT;
    case 41:
        return REPORT_SRC_EXIT;
    case 72:
        return REPORT_SRC_SHU;
    case REPORT_KIND_CLOSE:
        return REPORT_SRC_CLOSE;
    case 16:
    case 17:
        return REPORT_SRC_JOURNAL;
    default:
        return REPORT_SRC_OTHER;
    }
}

static uint8_t eq_source(const struct books *bk, size_t item, int depth)
{
    const struct books_item *it = books_item(bk, item);

    switch (it->kind) {
    case 40:
        return REPORT_SRC_ADMISSION;
    case 48:
        return REPORT_SRC_DEPOSIT;
    case 41:
        return REPORT_SRC_EXIT;
    case 72:
        return REPORT_SRC_SHU;
    case REPORT_KIND_CLOSE:
        return REPORT_SRC_CLOSE;
    case 16:
    case 17:
        return REPORT_SRC_JOURNAL;
    case REPORT_KIND_REVERSE: {
        size_t len, t;
        const uint8_t *body = books_body_raw(bk, item, &len);

        /* reverse = [target, date, reason]: canonically 0x93, then bin8 of 32 bytes. */
        if (depth < 8 && body && len >= 35 && body[0] == 0x93 && body[1] == 0xc4 && body[2] == 32 &&
            (t = books_index(bk, body + 3)) != SIZE_MAX)
            return eq_source(bk, t, depth + 1);
        return REPORT_SRC_OTHER;
    }
    default:
        return REPORT_SRC_OTHER;
    }
}

static int cmp_eq_row(const void *a, const void *b)
{
    uint32_t x = ((const struct report_equity_row *)a)->account,
             y = ((const struct report_equity_row *)b)->account;

    return x < y ? -1 : x > y;
}

int report_equity(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                  struct report_equity *out)
{
    const struct books_posting *p = books_postings(bk);
    size_t cap = 0;
    struct period pd;
    struct proto_buf *b;
    int rc;

    memset(out, 0, sizeof *out);
    period_init(bk, start, end, as_of, &pd);
    /* Every posting up to the last day, per account (before start it makes the opening
     * balance); the accounts are classified once each afterwards. */
    for (size_t k = 0; k < pd.k1; k++) {
        struct report_equity_row *w = NULL;

        for (size_t i = 0; i < out->n && !w; i++)
            if (out->rows[i].account == p[k].account)
                w = &out->rows[i];
        if (!w) {
            if (out->n == cap) {
                size_t ncap = cap ? 2 * cap : 16;
                struct report_equity_row *q = realloc(out->rows, (ncap + 1) * sizeof *q);

                if (!q) {
                    report_equity_free(out);
                    return -ENOMEM;
                }
                out->rows = q;
                cap = ncap;
            }
            w = &out->rows[out->n++];
            memset(w, 0, sizeof *w);
            w->account = p[k].account;
        }
        if (k < pd.k0) {
            w->opening += (int64_t)p[k].credit - (int64_t)p[k].debit;
        } else {
            uint8_t src = p[k].kind == REPORT_KIND_REVERSE ? eq_source(bk, p[k].item, 0)
                                                            : eq_source_kind(p[k].kind);

            w->credit[src] += (int64_t)p[k].credit;
            w->debit[src] += (int64_t)p[k].debit;
        }
    }
    {
        /* Equity accounts stay; revenue and expense fold into the synthetic row 1 (room for it
         * was kept: cap + 1). */
        struct report_equity_row shu;
        size_t m = 0;

        memset(&shu, 0, sizeof shu);
        shu.account = REPORT_CODE_SHU_CURRENT;
        for (size_t i = 0; i < out->n; i++) {
            uint8_t t = acct_type(bk, out->rows[i].account, pd.last);

            if (t == PROTO_ACCT_EQUITY) {
                out->rows[m++] = out->rows[i];
            } else if (t == PROTO_ACCT_REVENUE || t == PROTO_ACCT_EXPENSE) {
                shu.opening += out->rows[i].opening;
                for (int x = 1; x <= REPORT_SRC_MAX; x++) {
                    shu.credit[x] += out->rows[i].credit[x];
                    shu.debit[x] += out->rows[i].debit[x];
                }
            }
        }
        if (out->rows)
            out->rows[m++] = shu;
        out->n = m;
    }
    sort_n(out->rows, out->n, sizeof *out->rows, cmp_eq_row);
    {
        size_t m = 0;

        for (size_t i = 0; i < out->n; i++) {
            struct report_equity_row *w = &out->rows[i];
            bool moved = false;

            w->closing = w->opening;
            for (int x = 1; x <= REPORT_SRC_MAX; x++) {
                w->closing += w->credit[x] - w->debit[x];
                moved |= w->credit[x] != 0 || w->debit[x] != 0;
            }
            if (w->opening == 0 && !moved)
                continue;
            out->opening += w->opening;
            out->closing += w->closing;
            out->rows[m++] = *w;
        }
        out->n = m;
    }
    rc = meta_begin(&out->meta, bk, "equity", start, end, as_of);
    b = &out->meta.bytes;
    if (rc == 0 && (rc = proto_mp_put_array(b, 2)) == 0)
        rc = proto_mp_put_array(b, (uint32_t)out->n);
    for (size_t i = 0; i < out->n && rc == 0; i++) {
        const struct report_equity_row *w = &out->rows[i];
        uint32_t ns = 0;

        for (int s = 1; s <= REPORT_SRC_MAX; s++)
            ns += w->credit[s] != 0 || w->debit[s] != 0;
        if ((rc = proto_mp_put_array(b, 4)) < 0 || (rc = proto_mp_put_uint(b, w->account)) < 0 ||
            (rc = put_int(b, w->opening)) < 0 || (rc = proto_mp_put_array(b, ns)) < 0)
            break;
        for (int s = 1; s <= REPORT_SRC_MAX && rc == 0; s++)
            if ((w->credit[s] != 0 || w->debit[s] != 0) && (rc = proto_mp_put_array(b, 3)) == 0 &&
                (rc = proto_mp_put_uint(b, (uint64_t)s)) == 0 &&
                (rc = put_int(b, w->credit[s])) == 0)
                rc = put_int(b, w->debit[s]);
        if (rc == 0)
            rc = put_int(b, w->closing);
    }
    if (rc == 0 && (rc = proto_mp_put_array(b, 2)) == 0 && (rc = put_int(b, out->opening)) == 0)
        rc = put_int(b, out->closing);
    if (rc < 0) {
        report_equity_free(out);
        return rc;
    }
    meta_end(&out->meta);
    return 0;
}

void report_equity_free(struct report_equity *r)
{
    free(r->rows);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}

/* ---- cashflow ---- */

static bool is_cash(const struct proto_params *P, uint32_t code)
{
    return proto_params_has_role(P, PROTO_AR_CASH, code);
}

/* The (activity, line) of a flow on counter-account code (6.5): cf_map first, then defaults. */
static void cf_class(const struct proto_params *P, uint32_t code, bool debit, uint8_t *act,
                     uint32_t *line)
{
    static const struct {
        uint16_t from, to;
        uint8_t act, dr, cr; /* the line of a debit (outflow) and of a credit (inflow) */
    } dflt[] = {
        {4100, 4199, 1, 1, 1},   {4200, 4299, 1, 2, 2},   {4300, 4399, 1, 3, 3},
        {4900, 4999, 1, 3, 3},   {5100, 5100, 1, 4, 4},   {5110, 5110, 1, 4, 4},
        {2200, 2200, 1, 4, 4},   {5120, 5120, 1, 5, 5},   {5200, 5399, 1, 5, 5},
        {2210, 2210, 1, 6, 6},   {5900, 5900, 1, 6, 6},   {1200, 1200, 1, 7, 8},
        {1210, 1210, 1, 7, 8},   {2610, 2610, 3, 15, 15}, {2100, 2199, 1, 10, 9},
        {2600, 2699, 1, 10, 9},  {1600, 1699, 2, 11, 11}, {1120, 1120, 2, 12, 12},
        {1500, 1500, 2, 12, 12}, {3100, 3100, 3, 13, 13}, {3110, 3110, 3, 13, 13},
        {2400, 2400, 3, 14, 14}, {2500, 2599, 3, 15, 15}, {2300, 2399, 3, 16, 16},
        {3200, 3200, 3, 17, 17}, {3300, 3300, 3, 17, 17},
    };

    for (uint32_t i = 0; P && i < P->ncf && i < PROTO_PARAMS_CF_MAX; i++)
        if (code >= P->cf[i].from && code <= P->cf[i].to) {
            *act = P->cf[i].activity;
            *line = P->cf[i].line;
            return;
        }
    for (size_t i = 0; i < sizeof dflt / sizeof dflt[0]; i++)
        if (code >= dflt[i].from && code <= dflt[i].to) {
            *act = dflt[i].act;
            *line = debit ? dflt[i].dr : dflt[i].cr;
            return;
        }
    *act = REPORT_CF_OTHER;
    *line = code;
}

/* is_cash and cf_class of one P by account code, remembered: the walk over the postings asks
 * about the same few accounts again and again. A direct-mapped table; a miss computes. */
#define CF_MEMO 256

struct cf_memo_slot {
    uint32_t code;
    bool set, cash;
    uint8_t act[2]; /* [debit] */
    uint32_t line[2];
};

static const struct cf_memo_slot *cf_memo(struct cf_memo_slot *m, const struct proto_params *P,
                                          uint32_t code)
{
    struct cf_memo_slot *e = &m[code % CF_MEMO];

    if (!e->set || e->code != code) {
        e->set = true;
        e->code = code;
        e->cash = is_cash(P, code);
        cf_class(P, code, false, &e->act[0], &e->line[0]);
        cf_class(P, code, true, &e->act[1], &e->line[1]);
    }
    return e;
}

static int cf_add(struct report_cashflow *r, size_t *cap, uint8_t act, uint32_t line, int64_t in,
                  int64_t outflow)
{
    size_t i;

    for (i = 0; i < r->nlines; i++)
        if (r->lines[i].activity == act && r->lines[i].line == line)
            break;
    if (i == r->nlines) {
        if (r->nlines == *cap) {
            size_t ncap = *cap ? 2 * *cap : 16;
            struct report_cf_line *q = realloc(r->lines, ncap * sizeof *q);

            if (!q)
                return -ENOMEM;
            r->lines = q;
            *cap = ncap;
        }
        r->lines[r->nlines++] = (struct report_cf_line){act, line, 0, 0};
    }
    r->lines[i].inflow += in;
    r->lines[i].outflow += outflow;
    return 0;
}

static int cmp_cf_line(const void *a, const void *b)
{
    const struct report_cf_line *x = a, *y = b;

    if (x->activity != y->activity)
        return x->activity < y->activity ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

int report_cashflow(const struct books *bk, uint32_t start, uint32_t end, uint32_t as_of,
                    struct report_cashflow *out)
{
    const struct books_posting *p = books_postings(bk);
    size_t cap = 0;
    struct period pd;
    struct proto_buf *b;
    struct cf_memo_slot *memo = calloc(CF_MEMO, sizeof *memo);
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (!memo)
        return -ENOMEM;
    period_init(bk, start, end, as_of, &pd);
    for (size_t k = 0; k < pd.k1; k++)
        if (cf_memo(memo, pd.P, p[k].account)->cash) {
            int64_t v = (int64_t)p[k].debit - (int64_t)p[k].credit;

            if (k < pd.k0)
                out->opening_cash += v;
            out->closing_cash += v;
        }
    /* One entry at a time (its postings are adjacent): the non-cash lines of an entry that
     * moves cash are its flows. */
    for (size_t k = pd.k0; k < pd.k1 && rc == 0;) {
        size_t j = k;
        bool cash = false;

        while (j < pd.k1 && p[j].item == p[k].item)
            cash |= cf_memo(memo, pd.P, p[j++].account)->cash;
        if (cash && !closing_posting(bk, &p[k]))
            for (size_t q = k; q < j && rc == 0; q++) {
                const struct cf_memo_slot *e = cf_memo(memo, pd.P, p[q].account);

                if (e->cash)
                    continue;
                if (p[q].debit)
                    rc = cf_add(out, &cap, e->act[1], e->line[1], 0, (int64_t)p[q].debit);
                if (rc == 0 && p[q].credit)
                    rc = cf_add(out, &cap, e->act[0], e->line[0], (int64_t)p[q].credit, 0);
            }
        k = j;
    }
    free(memo);
    if (rc < 0) {
        report_cashflow_free(out);
        return rc;
    }
    sort_n(out->lines, out->nlines, sizeof *out->lines, cmp_cf_line);
    /* Activities 1, 2, 3 always; any other that has lines after them. */
    for (uint8_t a = 1; a <= 3; a++)
        out->act[out->nact++] = (struct report_cf_activity){a, 0, 0, 0};
    for (size_t i = 0; i < out->nlines; i++) {
        struct report_cf_activity *A = NULL;
        const struct report_cf_line *l = &out->lines[i];

        for (size_t a = 0; a < out->nact && !A; a++)
            if (out->act[a].activity == l->activity)
                A = &out->act[a];
        if (!A) {
            if (out->nact == sizeof out->act / sizeof out->act[0])
                continue; /* cf_map activities are 1, 2, 3, 99: cannot happen */
            A = &out->act[out->nact++];
            *A = (struct report_cf_activity){l->activity, i, 0, 0};
        }
        if (A->n == 0)
            A->first = i;
        A->n++;
        A->net += l->inflow - l->outflow;
        out->net += l->inflow - l->outflow;
    }
    out->reconciles = out->opening_cash + out->net == out->closing_cash;
    rc = meta_begin(&out->meta, bk, "cashflow", start, end, as_of);
    b = &out->meta.bytes;
    if (rc == 0 && (rc = proto_mp_put_array(b, 5)) == 0 &&
        (rc = put_int(b, out->opening_cash)) == 0)
        rc = proto_mp_put_array(b, (uint32_t)out->nact);
    for (size_t a = 0; a < out->nact && rc == 0; a++) {
        const struct report_cf_activity *A = &out->act[a];

        if ((rc = proto_mp_put_array(b, 3)) < 0 || (rc = proto_mp_put_uint(b, A->activity)) < 0 ||
            (rc = proto_mp_put_array(b, (uint32_t)A->n)) < 0)
            break;
        for (size_t i = A->first; i < A->first + A->n && rc == 0; i++)
            if ((rc = proto_mp_put_array(b, 3)) == 0 &&
                (rc = proto_mp_put_uint(b, out->lines[i].line)) == 0 &&
                (rc = put_int(b, out->lines[i].inflow)) == 0)
                rc = put_int(b, out->lines[i].outflow);
        if (rc == 0)
            rc = put_int(b, A->net);
    }
    if (rc == 0 && (rc = put_int(b, out->net)) == 0 && (rc = put_int(b, out->closing_cash)) == 0)
        rc = proto_mp_put_bool(b, out->reconciles);
    if (rc < 0) {
        report_cashflow_free(out);
        return rc;
    }
    meta_end(&out->meta);
    return 0;
}

void report_cashflow_free(struct report_cashflow *r)
{
    free(r->lines);
    proto_buf_release(&r->meta.bytes);
    memset(r, 0, sizeof *r);
}
