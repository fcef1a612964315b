/*
 * Accounting parameters (kind 32, docs/ACCOUNTING.md section 1): the canonical body decoder and
 * encoder, the self-consistency and chart check of 1.4, the standard template of 1.6 and the
 * lookups the derivation uses. The decoder enforces the format (arity, types, ranges, string
 * rules) and nothing else; proto_params_check() judges everything that needs several fields or
 * the chart. Both read only their arguments: no I/O, no globals.
 *
 * Where ACCOUNTING.md 1.2 leaves a range open, this file chooses (and the decoder enforces):
 *   - entry kinds in governance rows (authors, matrix, countersign): 1..65535 (the store keeps
 *     kinds in 16 bits);
 *   - matrix pengurus and pengawas counts, officer_extra: 0..32 each;
 *   - matrix offices: a mask of the office bits 0x02, 0x04, 0x08 only; author roles: a mask of
 *     the role bits 0x02..0x10 only (bit 0 names nobody), as the genesis policy's rules;
 *   - loans.products[].late: rate_ppm 0..10^6 (PROTO_LOAN_LATE_MAX), grace_days 0..3650;
 *   - savings_multiple_ppm: 0..10^8 (at most 100 times the borrower's savings);
 *   - loan rate_ppm 0..10^7 as stated (per month or per year); the check then limits the annual
 *     figure to 10^7; rate_period is exactly 1 or 12;
 *   - loan fee value: type 1 an amount (0..10^15), type 2 a share 0..10^6 ppm;
 *   - savings tax_ppm and break_fee_ppm 0..10^6; min_balance and tax_threshold amounts;
 *     expense_account nil or an account (an explicit 0 is not canonical: nil is);
 *   - risk min_days, max_days any uint32 (proto_loan_buckets_check judges them);
 *   - shu.capital and shu.usage: 1..16 accounts (a basis over no account measures nothing);
 *     shu.residual_part any uint32 (the check judges it: out of range is void, not malformed);
 *   - shu part names 1..64 bytes (PROTO_SHU_NAME_MAX, what proto_shu_table holds), not 100;
 *   - cf_map: activity 1, 2, 3 or 99, line 1..99, from <= to;
 *   - lhu_map sections 1..7 (ACCOUNTING.md 6.3).
 * The check adds (1.4 lists them only by example): savings terms (berjangka iff term_months;
 * interest needs a method and an expense account; method 3 and a break fee only for berjangka),
 * duplicate keys in the keyed tables (PROTO_PARAMS_DUPLICATE) and the account types of 1.2.
 */
#include "proto/params.h"

#include <errno.h>
#include <string.h>

#include "proto/err.h"
#include "proto/internal.h"
#include "proto/mp.h"

#define PARAMS_NFIELDS     11
#define CHART_NFIELDS      2
#define GOV_NFIELDS        7
#define MEMBERSHIP_NFIELDS 5
#define LOANS_NFIELDS      2
#define SHU_NFIELDS        7
#define REPORTING_NFIELDS  5
#define ACCOUNT_NFIELDS    4
#define SAVINGS_NFIELDS    11
#define LOAN_NFIELDS       10
#define FEE_NFIELDS        3
#define LATE_NFIELDS       3
#define RISK_NFIELDS       4
#define PART_NFIELDS       4
#define MATRIX_NFIELDS     5
#define CF_NFIELDS         4

#define PPM           1000000u
#define ACCT_MIN      1000u
#define ACCT_MAX      9999u
#define DAYS_MAX      3650u
#define KIND_MAX      65535u
#define APPROVERS_MAX 32u
#define MULTIPLE_MAX  100000000u
#define TERM_MAX      120u
#define GRACE_MAX     DAYS_MAX
#define LHU_SECTIONS  7u
#define CF_LINE_MAX   99u
#define CF_OTHER      99u
#define ROLES_MASK    0x1eu /* pengurus 0x02 .. anggota 0x10 */
#define OFFICES_MASK  0x0eu /* ketua 0x02, sekretaris 0x04, bendahara 0x08 */
#define DATE_MIN      19000101u
#define DATE_MAX      99991231u

/* ---- string rules ---- */

/* A product code: 1..8 bytes of A-Z 0-9. */
static bool code_chars_ok(const char *s, size_t n)
{
    if (n < 1 || n > PROTO_PARAMS_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* A name: 1..max bytes without NUL or control bytes (C0, DEL); UTF-8 is the scanner's job on
 * decode and checked again here for hand-built structs. */
static bool name_chars_ok(const char *s, size_t n, size_t max)
{
    if (n < 1 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return proto_mp_utf8_valid((const uint8_t *)s, n);
}

/* A NUL-terminated code held in a char[PROTO_PARAMS_CODE_MAX + 1]. */
static bool code_ok(const char *s)
{
    size_t n = strnlen(s, PROTO_PARAMS_CODE_MAX + 1);

    return n <= PROTO_PARAMS_CODE_MAX && code_chars_ok(s, n);
}

/* A NUL-terminated name held in a char[max + 1]. */
static bool name_ok(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);

    return n <= max && name_chars_ok(s, n, max);
}

static bool acct_ok(uint32_t code)
{
    return code >= ACCT_MIN && code <= ACCT_MAX;
}

static bool kind_ok(uint32_t kind)
{
    return kind >= 1 && kind <= KIND_MAX;
}

/* ---- decoding ---- */

static int get_u64(const msgpack_object *o, uint64_t lo, uint64_t hi, uint64_t *v)
{
    uint64_t x;

    if (proto_mp_u64_max(o, hi, &x) < 0 || x < lo)
        return ERR_BODY;
    *v = x;
    return 0;
}

static int get_u32(const msgpack_object *o, uint32_t lo, uint32_t hi, uint32_t *v)
{
    uint64_t x;

    if (get_u64(o, lo, hi, &x) < 0)
        return ERR_BODY;
    *v = (uint32_t)x;
    return 0;
}

static int get_u8(const msgpack_object *o, uint8_t lo, uint8_t hi, uint8_t *v)
{
    uint64_t x;

    if (get_u64(o, lo, hi, &x) < 0)
        return ERR_BODY;
    *v = (uint8_t)x;
    return 0;
}

static int get_amount(const msgpack_object *o, uint64_t *v)
{
    return get_u64(o, 0, PROTO_AMOUNT_MAX, v);
}

static int get_acct(const msgpack_object *o, uint32_t *v)
{
    return get_u32(o, ACCT_MIN, ACCT_MAX, v);
}

static int get_date(const msgpack_object *o, uint32_t *v)
{
    if (get_u32(o, DATE_MIN, DATE_MAX, v) < 0 || !proto_date_valid(*v))
        return ERR_BODY;
    return 0;
}

static int get_code(const msgpack_object *o, char dst[PROTO_PARAMS_CODE_MAX + 1])
{
    const char *s;
    size_t n;

    if (proto_mp_str_ref(o, &s, &n, PROTO_PARAMS_CODE_MAX) < 0 || !code_chars_ok(s, n))
        return ERR_BODY;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

static int get_name(const msgpack_object *o, char *dst, size_t max)
{
    const char *s;
    size_t n;

    if (proto_mp_str_ref(o, &s, &n, max) < 0 || !name_chars_ok(s, n, max))
        return ERR_BODY;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

/* An array of lo..max accounts. */
static int get_acct_list(const msgpack_object *o, uint32_t lo, uint32_t *codes, uint32_t *n)
{
    const msgpack_object *a;
    uint32_t k;

    if (proto_mp_array_max(o, PROTO_PARAMS_ACCTS_MAX, &a, &k) < 0 || k < lo)
        return ERR_BODY;
    for (uint32_t i = 0; i < k; i++)
        if (get_acct(&a[i], &codes[i]) < 0)
            return ERR_BODY;
    *n = k;
    return 0;
}

static int get_bool(const msgpack_object *o, bool *v)
{
    return proto_mp_bool(o, v) < 0 ? ERR_BODY : 0;
}

/* chart = [add, roles] */
static int chart_unpack(const msgpack_object *o, struct proto_params *p)
{
    const msgpack_object *f, *a, *r;
    uint32_t n;

    if (proto_mp_array(o, CHART_NFIELDS, &f) < 0 ||
        proto_mp_array_max(&f[0], PROTO_PARAMS_ADD_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_account *acc = &p->add[i];

        if (proto_mp_array(&a[i], ACCOUNT_NFIELDS, &r) < 0 || get_acct(&r[0], &acc->code) < 0 ||
            get_u8(&r[1], PROTO_ACCT_ASSET, PROTO_ACCT_EXPENSE, &acc->type) < 0 ||
            get_bool(&r[2], &acc->sub) < 0 ||
            get_name(&r[3], acc->name, PROTO_ACCOUNT_NAME_MAX) < 0)
            return ERR_BODY;
    }
    p->nadd = n;
    if (proto_mp_array_max(&f[1], PROTO_PARAMS_ROLES_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&a[i], 2, &r) < 0 ||
            get_u8(&r[0], PROTO_AR_CASH, PROTO_AR_MAX, &p->roles[i].role) < 0 ||
            get_acct(&r[1], &p->roles[i].code) < 0)
            return ERR_BODY;
    p->nroles = n;
    return 0;
}

/* governance = [authors, matrix, officer_extra, countersign, params_need_rat,
 *               writeoff_need_rat, wait_days] */
static int governance_unpack(const msgpack_object *o, struct proto_params *p)
{
    const msgpack_object *f, *a, *r;
    uint32_t n;

    if (proto_mp_array(o, GOV_NFIELDS, &f) < 0 ||
        proto_mp_array_max(&f[0], PROTO_PARAMS_AUTHORS_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&a[i], 2, &r) < 0 ||
            get_u32(&r[0], 1, KIND_MAX, &p->authors[i].kind) < 0 ||
            get_u32(&r[1], 0, ROLES_MASK, &p->authors[i].roles) < 0 ||
            (p->authors[i].roles & ~ROLES_MASK))
            return ERR_BODY;
    p->nauthors = n;
    if (proto_mp_array_max(&f[1], PROTO_PARAMS_MATRIX_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_params_approval *m = &p->matrix[i];

        if (proto_mp_array(&a[i], MATRIX_NFIELDS, &r) < 0 ||
            get_u32(&r[0], 1, KIND_MAX, &m->kind) < 0 || get_amount(&r[1], &m->min_amount) < 0 ||
            get_u32(&r[2], 0, APPROVERS_MAX, &m->pengurus) < 0 ||
            get_u32(&r[3], 0, APPROVERS_MAX, &m->pengawas) < 0 ||
            get_u32(&r[4], 0, OFFICES_MASK, &m->offices) < 0 || (m->offices & ~OFFICES_MASK))
            return ERR_BODY;
    }
    p->nmatrix = n;
    if (proto_mp_array(&f[2], 2, &r) < 0 ||
        get_u32(&r[0], 0, APPROVERS_MAX, &p->officer_extra_pengurus) < 0 ||
        get_u32(&r[1], 0, APPROVERS_MAX, &p->officer_extra_pengawas) < 0 ||
        proto_mp_array_max(&f[3], PROTO_PARAMS_CSIGN_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&a[i], 2, &r) < 0 ||
            get_u32(&r[0], 1, KIND_MAX, &p->csign[i].kind) < 0 ||
            get_u8(&r[1], PROTO_CSIGN_NONE, PROTO_CSIGN_WITNESS, &p->csign[i].mode) < 0)
            return ERR_BODY;
    p->ncsign = n;
    if (get_bool(&f[4], &p->params_need_rat) < 0 || get_bool(&f[5], &p->writeoff_need_rat) < 0 ||
        get_u32(&f[6], 0, DAYS_MAX, &p->wait_days) < 0)
        return ERR_BODY;
    return 0;
}

/* membership = [pokok, wajib, wajib_months, refund_days, calon_allowed] */
static int membership_unpack(const msgpack_object *o, struct proto_params *p)
{
    const msgpack_object *f;

    if (proto_mp_array(o, MEMBERSHIP_NFIELDS, &f) < 0 || get_amount(&f[0], &p->pokok) < 0 ||
        get_amount(&f[1], &p->wajib) < 0 || get_u32(&f[2], 1, 12, &p->wajib_months) < 0 ||
        get_u32(&f[3], 0, DAYS_MAX, &p->refund_days) < 0 || get_bool(&f[4], &p->calon_allowed) < 0)
        return ERR_BODY;
    return 0;
}

/* [code, class, account, rate_ppm, method, min_balance, tax_ppm, tax_threshold, term_months,
 *  break_fee_ppm, expense_account] */
static int savings_unpack(const msgpack_object *o, struct proto_savings_product *s)
{
    const msgpack_object *f;

    if (proto_mp_array(o, SAVINGS_NFIELDS, &f) < 0 || get_code(&f[0], s->code) < 0 ||
        get_u8(&f[1], PROTO_SAV_POKOK, PROTO_SAV_KHUSUS, &s->class) < 0 ||
        get_acct(&f[2], &s->account) < 0 ||
        get_u32(&f[3], 0, PROTO_PARAMS_RATE_MAX, &s->rate_ppm) < 0 ||
        get_u8(&f[4], PROTO_SAVM_NONE, PROTO_SAVM_TERM, &s->method) < 0 ||
        get_amount(&f[5], &s->min_balance) < 0 || get_u32(&f[6], 0, PPM, &s->tax_ppm) < 0 ||
        get_amount(&f[7], &s->tax_threshold) < 0 ||
        get_u32(&f[8], 0, TERM_MAX, &s->term_months) < 0 ||
        get_u32(&f[9], 0, PPM, &s->break_fee_ppm) < 0)
        return ERR_BODY;
    if (proto_mp_is_nil(&f[10]))
        s->expense_account = 0;
    else if (get_acct(&f[10], &s->expense_account) < 0)
        return ERR_BODY;
    return 0;
}

/* [code, method, rate_ppm, rate_period, periods, principal, fees, late, savings_multiple_ppm,
 *  accounts] */
static int loan_unpack(const msgpack_object *o, struct proto_loan_product *l)
{
    const msgpack_object *f, *r, *a;
    uint32_t n;

    if (proto_mp_array(o, LOAN_NFIELDS, &f) < 0 || get_code(&f[0], l->code) < 0 ||
        get_u8(&f[1], PROTO_LOAN_FLAT, PROTO_LOAN_ANNUITY, &l->method) < 0 ||
        get_u32(&f[2], 0, PROTO_PARAMS_RATE_MAX, &l->rate_ppm) < 0 ||
        get_u8(&f[3], 1, 12, &l->rate_period) < 0 || (l->rate_period != 1 && l->rate_period != 12))
        return ERR_BODY;
    if (proto_mp_array(&f[4], 2, &r) < 0 ||
        get_u32(&r[0], 1, PROTO_LOAN_PERIODS_MAX, &l->periods_min) < 0 ||
        get_u32(&r[1], 1, PROTO_LOAN_PERIODS_MAX, &l->periods_max) < 0 ||
        proto_mp_array(&f[5], 2, &r) < 0 ||
        get_u64(&r[0], 1, PROTO_AMOUNT_MAX, &l->principal_min) < 0 ||
        get_u64(&r[1], 1, PROTO_AMOUNT_MAX, &l->principal_max) < 0 ||
        proto_mp_array_max(&f[6], PROTO_PARAMS_FEES_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_loan_fee_rule *fee = &l->fees[i];

        if (proto_mp_array(&a[i], FEE_NFIELDS, &r) < 0 || get_u8(&r[0], 1, 2, &fee->type) < 0 ||
            get_u64(&r[1], 0, fee->type == 1 ? PROTO_AMOUNT_MAX : PPM, &fee->value) < 0 ||
            get_acct(&r[2], &fee->account) < 0)
            return ERR_BODY;
    }
    l->nfees = n;
    if (proto_mp_is_nil(&f[7])) {
        l->has_late = false;
    } else {
        if (proto_mp_array(&f[7], LATE_NFIELDS, &r) < 0 ||
            get_u8(&r[0], PROTO_LOAN_LATE_PER_DAY, PROTO_LOAN_LATE_PER_PERIOD, &l->late_basis) <
                0 ||
            get_u32(&r[1], 0, PROTO_LOAN_LATE_MAX, &l->late_rate_ppm) < 0 ||
            get_u32(&r[2], 0, GRACE_MAX, &l->late_grace_days) < 0)
            return ERR_BODY;
        l->has_late = true;
    }
    if (get_u32(&f[8], 0, MULTIPLE_MAX, &l->savings_multiple_ppm) < 0 ||
        proto_mp_array(&f[9], 3, &r) < 0 || get_acct(&r[0], &l->receivable) < 0 ||
        get_acct(&r[1], &l->interest) < 0 || get_acct(&r[2], &l->penalty) < 0)
        return ERR_BODY;
    return 0;
}

/* savings, loans = [rounding, products], risk */
static int products_unpack(const msgpack_object *sav, const msgpack_object *loans,
                           const msgpack_object *risk, struct proto_params *p)
{
    const msgpack_object *a, *f, *r;
    uint32_t n;

    if (proto_mp_array_max(sav, PROTO_PARAMS_SAVINGS_MAX, &a, &n) < 0 || n < 1)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (savings_unpack(&a[i], &p->savings[i]) < 0)
            return ERR_BODY;
    p->nsavings = n;
    if (proto_mp_array(loans, LOANS_NFIELDS, &f) < 0 || proto_mp_array(&f[0], 2, &r) < 0 ||
        get_u8(&r[0], PROTO_LOAN_ROUND_HALF_UP, PROTO_LOAN_ROUND_UP, &p->rounding.mode) < 0 ||
        get_u32(&r[1], 1, PROTO_LOAN_UNIT_MAX, &p->rounding.unit) < 0 ||
        proto_mp_array_max(&f[1], PROTO_PARAMS_LOANS_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (loan_unpack(&a[i], &p->loans[i]) < 0)
            return ERR_BODY;
    p->nloans = n;
    if (proto_mp_array_max(risk, PROTO_PARAMS_RISK_MAX, &a, &n) < 0 || n < 1)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_params_risk *k = &p->risk[i];

        if (proto_mp_array(&a[i], RISK_NFIELDS, &r) < 0 ||
            get_u32(&r[0], 0, UINT32_MAX, &k->min_days) < 0 ||
            get_u32(&r[1], 0, UINT32_MAX, &k->max_days) < 0 ||
            get_u32(&r[2], 0, PPM, &k->ppap_ppm) < 0 || get_u8(&r[3], 1, 4, &k->class) < 0)
            return ERR_BODY;
    }
    p->nrisk = n;
    return 0;
}

/* [basis, accounts] */
static int basis_unpack(const msgpack_object *o, struct proto_params_accounts *b)
{
    const msgpack_object *f;

    if (proto_mp_array(o, 2, &f) < 0 || get_u8(&f[0], 1, 2, &b->basis) < 0 ||
        get_acct_list(&f[1], 1, b->codes, &b->n) < 0)
        return ERR_BODY;
    return 0;
}

/* [name, role, ppm, account]: also a resolution's type-2 table (proto/close.c). */
int proto__shu_part_unpack(const msgpack_object *o, struct proto_params_shu_part *s)
{
    const msgpack_object *r;

    if (proto_mp_array(o, PART_NFIELDS, &r) < 0 ||
        get_name(&r[0], s->name, PROTO_SHU_NAME_MAX) < 0 ||
        get_u8(&r[1], PROTO_SHU_ROLE_OTHER, PROTO_SHU_ROLE_USAHA, &s->role) < 0 ||
        get_u32(&r[2], 0, PPM, &s->ppm) < 0 || get_acct(&r[3], &s->account) < 0)
        return ERR_BODY;
    return 0;
}

bool proto__shu_part_ok(const struct proto_params_shu_part *s)
{
    return name_ok(s->name, PROTO_SHU_NAME_MAX) && s->role <= PROTO_SHU_ROLE_USAHA &&
           s->ppm <= PPM && acct_ok(s->account);
}

/* shu = [parts, capital, usage, eligibility, mode, residual_part, nonmember_accounts] */
static int shu_unpack(const msgpack_object *o, struct proto_params *p)
{
    const msgpack_object *f, *a;
    uint32_t n;

    if (proto_mp_array(o, SHU_NFIELDS, &f) < 0 ||
        proto_mp_array_max(&f[0], PROTO_SHU_PARTS_MAX, &a, &n) < 0 || n < 1)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto__shu_part_unpack(&a[i], &p->shu[i]) < 0)
            return ERR_BODY;
    p->nshu = n;
    if (basis_unpack(&f[1], &p->shu_capital) < 0 || basis_unpack(&f[2], &p->shu_usage) < 0 ||
        get_u8(&f[3], 1, 2, &p->shu_eligibility) < 0 ||
        get_u8(&f[4], PROTO_SHU_RESIDUAL, PROTO_SHU_LARGEST_REMAINDER, &p->shu_mode) < 0 ||
        get_u32(&f[5], 0, UINT32_MAX, &p->shu_residual_part) < 0 ||
        get_acct_list(&f[6], 0, p->nonmember, &p->nnonmember) < 0)
        return ERR_BODY;
    return 0;
}

/* reporting = [fy_start_month, rat_months, quorum_ppm, lhu_map, cf_map] */
static int reporting_unpack(const msgpack_object *o, struct proto_params *p)
{
    const msgpack_object *f, *a, *r;
    uint32_t n;

    if (proto_mp_array(o, REPORTING_NFIELDS, &f) < 0 ||
        get_u8(&f[0], 1, 12, &p->fy_start_month) < 0 || get_u8(&f[1], 1, 12, &p->rat_months) < 0 ||
        get_u32(&f[2], 0, PPM, &p->quorum_ppm) < 0 ||
        proto_mp_array_max(&f[3], PROTO_PARAMS_LHU_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto_mp_array(&a[i], 2, &r) < 0 || get_acct(&r[0], &p->lhu[i].code) < 0 ||
            get_u8(&r[1], 1, LHU_SECTIONS, &p->lhu[i].section) < 0)
            return ERR_BODY;
    p->nlhu = n;
    if (proto_mp_array_max(&f[4], PROTO_PARAMS_CF_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_params_cf *c = &p->cf[i];

        if (proto_mp_array(&a[i], CF_NFIELDS, &r) < 0 || get_acct(&r[0], &c->from) < 0 ||
            get_acct(&r[1], &c->to) < 0 || c->from > c->to ||
            get_u8(&r[2], 1, CF_OTHER, &c->activity) < 0 ||
            (c->activity > 3 && c->activity != CF_OTHER) ||
            get_u8(&r[3], 1, CF_LINE_MAX, &c->line) < 0)
            return ERR_BODY;
    }
    p->ncf = n;
    return 0;
}

int proto_params_decode(const uint8_t *body, size_t len, struct proto_params *p)
{
    struct proto_mp_doc doc;
    const msgpack_object *f;
    int rc;

    memset(p, 0, sizeof *p);
    rc = proto_mp_doc_init(&doc);
    if (rc < 0)
        return rc;
    rc = proto_mp_doc_parse(&doc, body, len);
    if (rc == -ENOMEM)
        goto out;
    rc = ERR_BODY;
    if (proto_mp_array(&doc.root, PARAMS_NFIELDS, &f) < 0 ||
        get_u32(&f[0], PROTO_PARAMS_FMT, PROTO_PARAMS_FMT, &p->fmt) < 0 ||
        get_date(&f[1], &p->adopted) < 0 || get_date(&f[2], &p->effective) < 0 ||
        chart_unpack(&f[3], p) < 0 || governance_unpack(&f[4], p) < 0 ||
        membership_unpack(&f[5], p) < 0 || products_unpack(&f[6], &f[7], &f[8], p) < 0 ||
        shu_unpack(&f[9], p) < 0 || reporting_unpack(&f[10], p) < 0)
        goto out;
    rc = 0;
out:
    proto_mp_doc_release(&doc);
    if (rc < 0)
        memset(p, 0, sizeof *p);
    return rc;
}

/* ---- encoding ---- */

/* true if every count fits its array (encode and check read nothing beyond them). */
static bool counts_ok(const struct proto_params *p)
{
    if (p->nadd > PROTO_PARAMS_ADD_MAX || p->nroles > PROTO_PARAMS_ROLES_MAX ||
        p->nauthors > PROTO_PARAMS_AUTHORS_MAX || p->nmatrix > PROTO_PARAMS_MATRIX_MAX ||
        p->ncsign > PROTO_PARAMS_CSIGN_MAX || p->nsavings > PROTO_PARAMS_SAVINGS_MAX ||
        p->nloans > PROTO_PARAMS_LOANS_MAX || p->nrisk > PROTO_PARAMS_RISK_MAX ||
        p->nshu > PROTO_SHU_PARTS_MAX || p->shu_capital.n > PROTO_PARAMS_ACCTS_MAX ||
        p->shu_usage.n > PROTO_PARAMS_ACCTS_MAX || p->nnonmember > PROTO_PARAMS_ACCTS_MAX ||
        p->nlhu > PROTO_PARAMS_LHU_MAX || p->ncf > PROTO_PARAMS_CF_MAX)
        return false;
    for (uint32_t i = 0; i < p->nloans; i++)
        if (p->loans[i].nfees > PROTO_PARAMS_FEES_MAX)
            return false;
    return true;
}

/* Writes a NUL-terminated string held in an array of cap bytes (at most cap - 1 of them). */
static int put_cstr(struct proto_buf *b, const char *s, size_t cap)
{
    return proto_mp_put_str(b, s, strnlen(s, cap - 1));
}

static int put_uints(struct proto_buf *b, const uint64_t *v, uint32_t n)
{
    int rc = proto_mp_put_array(b, n);

    for (uint32_t i = 0; i < n && rc == 0; i++)
        rc = proto_mp_put_uint(b, v[i]);
    return rc;
}

static int put_codes(struct proto_buf *b, const uint32_t *codes, uint32_t n)
{
    int rc = proto_mp_put_array(b, n);

    for (uint32_t i = 0; i < n && rc == 0; i++)
        rc = proto_mp_put_uint(b, codes[i]);
    return rc;
}

static int chart_pack(struct proto_buf *b, const struct proto_params *p)
{
    int rc;

    if ((rc = proto_mp_put_array(b, CHART_NFIELDS)) < 0 ||
        (rc = proto_mp_put_array(b, p->nadd)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nadd; i++) {
        const struct proto_account *a = &p->add[i];

        if ((rc = proto_mp_put_array(b, ACCOUNT_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, a->code)) < 0 || (rc = proto_mp_put_uint(b, a->type)) < 0 ||
            (rc = proto_mp_put_bool(b, a->sub)) < 0 ||
            (rc = put_cstr(b, a->name, sizeof a->name)) < 0)
            return rc;
    }
    if ((rc = proto_mp_put_array(b, p->nroles)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nroles; i++) {
        uint64_t v[2] = {p->roles[i].role, p->roles[i].code};

        if ((rc = put_uints(b, v, 2)) < 0)
            return rc;
    }
    return 0;
}

static int governance_pack(struct proto_buf *b, const struct proto_params *p)
{
    uint64_t extra[2] = {p->officer_extra_pengurus, p->officer_extra_pengawas};
    int rc;

    if ((rc = proto_mp_put_array(b, GOV_NFIELDS)) < 0 ||
        (rc = proto_mp_put_array(b, p->nauthors)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nauthors; i++) {
        uint64_t v[2] = {p->authors[i].kind, p->authors[i].roles};

        if ((rc = put_uints(b, v, 2)) < 0)
            return rc;
    }
    if ((rc = proto_mp_put_array(b, p->nmatrix)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nmatrix; i++) {
        const struct proto_params_approval *m = &p->matrix[i];
        uint64_t v[MATRIX_NFIELDS] = {m->kind, m->min_amount, m->pengurus, m->pengawas, m->offices};

        if ((rc = put_uints(b, v, MATRIX_NFIELDS)) < 0)
            return rc;
    }
    if ((rc = put_uints(b, extra, 2)) < 0 || (rc = proto_mp_put_array(b, p->ncsign)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->ncsign; i++) {
        uint64_t v[2] = {p->csign[i].kind, p->csign[i].mode};

        if ((rc = put_uints(b, v, 2)) < 0)
            return rc;
    }
    if ((rc = proto_mp_put_bool(b, p->params_need_rat)) < 0 ||
        (rc = proto_mp_put_bool(b, p->writeoff_need_rat)) < 0 ||
        (rc = proto_mp_put_uint(b, p->wait_days)) < 0)
        return rc;
    return 0;
}

static int membership_pack(struct proto_buf *b, const struct proto_params *p)
{
    uint64_t v[4] = {p->pokok, p->wajib, p->wajib_months, p->refund_days};
    int rc;

    if ((rc = proto_mp_put_array(b, MEMBERSHIP_NFIELDS)) < 0)
        return rc;
    for (int i = 0; i < 4; i++)
        if ((rc = proto_mp_put_uint(b, v[i])) < 0)
            return rc;
    return proto_mp_put_bool(b, p->calon_allowed);
}

static int savings_pack(struct proto_buf *b, const struct proto_savings_product *s)
{
    uint64_t v[9] = {s->class,   s->account,       s->rate_ppm,    s->method,       s->min_balance,
                     s->tax_ppm, s->tax_threshold, s->term_months, s->break_fee_ppm};
    int rc;

    if ((rc = proto_mp_put_array(b, SAVINGS_NFIELDS)) < 0 ||
        (rc = put_cstr(b, s->code, sizeof s->code)) < 0)
        return rc;
    for (int i = 0; i < 9; i++)
        if ((rc = proto_mp_put_uint(b, v[i])) < 0)
            return rc;
    return s->expense_account ? proto_mp_put_uint(b, s->expense_account) : proto_mp_put_nil(b);
}

static int loan_pack(struct proto_buf *b, const struct proto_loan_product *l)
{
    uint64_t periods[2] = {l->periods_min, l->periods_max};
    uint64_t principal[2] = {l->principal_min, l->principal_max};
    uint64_t late[LATE_NFIELDS] = {l->late_basis, l->late_rate_ppm, l->late_grace_days};
    uint64_t accounts[3] = {l->receivable, l->interest, l->penalty};
    int rc;

    if ((rc = proto_mp_put_array(b, LOAN_NFIELDS)) < 0 ||
        (rc = put_cstr(b, l->code, sizeof l->code)) < 0 ||
        (rc = proto_mp_put_uint(b, l->method)) < 0 ||
        (rc = proto_mp_put_uint(b, l->rate_ppm)) < 0 ||
        (rc = proto_mp_put_uint(b, l->rate_period)) < 0 || (rc = put_uints(b, periods, 2)) < 0 ||
        (rc = put_uints(b, principal, 2)) < 0 || (rc = proto_mp_put_array(b, l->nfees)) < 0)
        return rc;
    for (uint32_t i = 0; i < l->nfees; i++) {
        uint64_t v[FEE_NFIELDS] = {l->fees[i].type, l->fees[i].value, l->fees[i].account};

        if ((rc = put_uints(b, v, FEE_NFIELDS)) < 0)
            return rc;
    }
    if ((rc = l->has_late ? put_uints(b, late, LATE_NFIELDS) : proto_mp_put_nil(b)) < 0 ||
        (rc = proto_mp_put_uint(b, l->savings_multiple_ppm)) < 0 ||
        (rc = put_uints(b, accounts, 3)) < 0)
        return rc;
    return 0;
}

static int products_pack(struct proto_buf *b, const struct proto_params *p)
{
    uint64_t rounding[2] = {p->rounding.mode, p->rounding.unit};
    int rc;

    if ((rc = proto_mp_put_array(b, p->nsavings)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nsavings; i++)
        if ((rc = savings_pack(b, &p->savings[i])) < 0)
            return rc;
    if ((rc = proto_mp_put_array(b, LOANS_NFIELDS)) < 0 || (rc = put_uints(b, rounding, 2)) < 0 ||
        (rc = proto_mp_put_array(b, p->nloans)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nloans; i++)
        if ((rc = loan_pack(b, &p->loans[i])) < 0)
            return rc;
    if ((rc = proto_mp_put_array(b, p->nrisk)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nrisk; i++) {
        const struct proto_params_risk *k = &p->risk[i];
        uint64_t v[RISK_NFIELDS] = {k->min_days, k->max_days, k->ppap_ppm, k->class};

        if ((rc = put_uints(b, v, RISK_NFIELDS)) < 0)
            return rc;
    }
    return 0;
}

static int basis_pack(struct proto_buf *b, const struct proto_params_accounts *a)
{
    int rc;

    if ((rc = proto_mp_put_array(b, 2)) < 0 || (rc = proto_mp_put_uint(b, a->basis)) < 0 ||
        (rc = put_codes(b, a->codes, a->n)) < 0)
        return rc;
    return 0;
}

int proto__shu_part_pack(struct proto_buf *b, const struct proto_params_shu_part *s)
{
    int rc;

    if ((rc = proto_mp_put_array(b, PART_NFIELDS)) < 0 ||
        (rc = put_cstr(b, s->name, sizeof s->name)) < 0 ||
        (rc = proto_mp_put_uint(b, s->role)) < 0 || (rc = proto_mp_put_uint(b, s->ppm)) < 0 ||
        (rc = proto_mp_put_uint(b, s->account)) < 0)
        return rc;
    return 0;
}

static int shu_pack(struct proto_buf *b, const struct proto_params *p)
{
    int rc;

    if ((rc = proto_mp_put_array(b, SHU_NFIELDS)) < 0 || (rc = proto_mp_put_array(b, p->nshu)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nshu; i++) {
        if ((rc = proto__shu_part_pack(b, &p->shu[i])) < 0)
            return rc;
    }
    if ((rc = basis_pack(b, &p->shu_capital)) < 0 || (rc = basis_pack(b, &p->shu_usage)) < 0 ||
        (rc = proto_mp_put_uint(b, p->shu_eligibility)) < 0 ||
        (rc = proto_mp_put_uint(b, p->shu_mode)) < 0 ||
        (rc = proto_mp_put_uint(b, p->shu_residual_part)) < 0 ||
        (rc = put_codes(b, p->nonmember, p->nnonmember)) < 0)
        return rc;
    return 0;
}

static int reporting_pack(struct proto_buf *b, const struct proto_params *p)
{
    int rc;

    if ((rc = proto_mp_put_array(b, REPORTING_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, p->fy_start_month)) < 0 ||
        (rc = proto_mp_put_uint(b, p->rat_months)) < 0 ||
        (rc = proto_mp_put_uint(b, p->quorum_ppm)) < 0 || (rc = proto_mp_put_array(b, p->nlhu)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nlhu; i++) {
        uint64_t v[2] = {p->lhu[i].code, p->lhu[i].section};

        if ((rc = put_uints(b, v, 2)) < 0)
            return rc;
    }
    if ((rc = proto_mp_put_array(b, p->ncf)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->ncf; i++) {
        const struct proto_params_cf *c = &p->cf[i];
        uint64_t v[CF_NFIELDS] = {c->from, c->to, c->activity, c->line};

        if ((rc = put_uints(b, v, CF_NFIELDS)) < 0)
            return rc;
    }
    return 0;
}

int proto_params_encode(const struct proto_params *p, struct proto_buf *out)
{
    int rc;

    if (!p || !out || !counts_ok(p))
        return -EINVAL;
    if ((rc = proto_mp_put_array(out, PARAMS_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(out, p->fmt)) < 0 ||
        (rc = proto_mp_put_uint(out, p->adopted)) < 0 ||
        (rc = proto_mp_put_uint(out, p->effective)) < 0 || (rc = chart_pack(out, p)) < 0 ||
        (rc = governance_pack(out, p)) < 0 || (rc = membership_pack(out, p)) < 0 ||
        (rc = products_pack(out, p)) < 0 || (rc = shu_pack(out, p)) < 0 ||
        (rc = reporting_pack(out, p)) < 0)
        return rc;
    return 0;
}

/* ---- the check ---- */

static int problem(struct proto_params_problem *why, int kind, uint32_t index, uint32_t detail)
{
    if (why) {
        why->kind = kind;
        why->index = index;
        why->detail = detail;
    }
    return ERR_RULE;
}

/*
 * The format rules of the decoder, for a struct that did not come from it (a test's, or one
 * built by a text parser), except those with a problem kind of their own: fmt, dates, rounding,
 * the SHU table's parts and the risk rows. Returns false at the first broken rule.
 */
static bool format_ok(const struct proto_params *p)
{
    if (!counts_ok(p))
        return false;
    for (uint32_t i = 0; i < p->nadd; i++) {
        const struct proto_account *a = &p->add[i];

        if (!acct_ok(a->code) || a->type < PROTO_ACCT_ASSET || a->type > PROTO_ACCT_EXPENSE ||
            !name_ok(a->name, PROTO_ACCOUNT_NAME_MAX))
            return false;
    }
    for (uint32_t i = 0; i < p->nroles; i++)
        if (p->roles[i].role < PROTO_AR_CASH || p->roles[i].role > PROTO_AR_MAX ||
            !acct_ok(p->roles[i].code))
            return false;
    for (uint32_t i = 0; i < p->nauthors; i++)
        if (!kind_ok(p->authors[i].kind) || (p->authors[i].roles & ~ROLES_MASK))
            return false;
    for (uint32_t i = 0; i < p->nmatrix; i++) {
        const struct proto_params_approval *m = &p->matrix[i];

        if (!kind_ok(m->kind) || m->min_amount > PROTO_AMOUNT_MAX || m->pengurus > APPROVERS_MAX ||
            m->pengawas > APPROVERS_MAX || (m->offices & ~OFFICES_MASK))
            return false;
    }
    if (p->officer_extra_pengurus > APPROVERS_MAX || p->officer_extra_pengawas > APPROVERS_MAX)
        return false;
    for (uint32_t i = 0; i < p->ncsign; i++)
        if (!kind_ok(p->csign[i].kind) || p->csign[i].mode > PROTO_CSIGN_WITNESS)
            return false;
    if (p->wait_days > DAYS_MAX || p->pokok > PROTO_AMOUNT_MAX || p->wajib > PROTO_AMOUNT_MAX ||
        p->wajib_months < 1 || p->wajib_months > 12 || p->refund_days > DAYS_MAX)
        return false;
    if (p->nsavings < 1)
        return false;
    for (uint32_t i = 0; i < p->nsavings; i++) {
        const struct proto_savings_product *s = &p->savings[i];

        if (!code_ok(s->code) || s->class < PROTO_SAV_POKOK || s->class > PROTO_SAV_KHUSUS ||
            !acct_ok(s->account) || s->rate_ppm > PROTO_PARAMS_RATE_MAX ||
            s->method > PROTO_SAVM_TERM || s->min_balance > PROTO_AMOUNT_MAX || s->tax_ppm > PPM ||
            s->tax_threshold > PROTO_AMOUNT_MAX || s->term_months > TERM_MAX ||
            s->break_fee_ppm > PPM || (s->expense_account && !acct_ok(s->expense_account)))
            return false;
    }
    for (uint32_t i = 0; i < p->nloans; i++) {
        const struct proto_loan_product *l = &p->loans[i];

        if (!code_ok(l->code) || l->method < PROTO_LOAN_FLAT || l->method > PROTO_LOAN_ANNUITY ||
            l->rate_ppm > PROTO_PARAMS_RATE_MAX || (l->rate_period != 1 && l->rate_period != 12) ||
            l->periods_min < 1 || l->periods_min > PROTO_LOAN_PERIODS_MAX || l->periods_max < 1 ||
            l->periods_max > PROTO_LOAN_PERIODS_MAX || l->principal_min < 1 ||
            l->principal_min > PROTO_AMOUNT_MAX || l->principal_max < 1 ||
            l->principal_max > PROTO_AMOUNT_MAX || l->savings_multiple_ppm > MULTIPLE_MAX ||
            !acct_ok(l->receivable) || !acct_ok(l->interest) || !acct_ok(l->penalty))
            return false;
        for (uint32_t k = 0; k < l->nfees; k++) {
            const struct proto_loan_fee_rule *f = &l->fees[k];

            if (f->type < 1 || f->type > 2 || f->value > (f->type == 1 ? PROTO_AMOUNT_MAX : PPM) ||
                !acct_ok(f->account))
                return false;
        }
        if (l->has_late &&
            (l->late_basis < PROTO_LOAN_LATE_PER_DAY ||
             l->late_basis > PROTO_LOAN_LATE_PER_PERIOD || l->late_rate_ppm > PROTO_LOAN_LATE_MAX ||
             l->late_grace_days > GRACE_MAX))
            return false;
    }
    for (uint32_t i = 0; i < p->nshu; i++)
        if (!acct_ok(p->shu[i].account))
            return false;
    if (p->shu_capital.basis < 1 || p->shu_capital.basis > 2 || p->shu_capital.n < 1 ||
        p->shu_usage.basis < 1 || p->shu_usage.basis > 2 || p->shu_usage.n < 1 ||
        p->shu_eligibility < 1 || p->shu_eligibility > 2 ||
        p->shu_mode > PROTO_SHU_LARGEST_REMAINDER)
        return false;
    for (uint32_t i = 0; i < p->shu_capital.n; i++)
        if (!acct_ok(p->shu_capital.codes[i]))
            return false;
    for (uint32_t i = 0; i < p->shu_usage.n; i++)
        if (!acct_ok(p->shu_usage.codes[i]))
            return false;
    for (uint32_t i = 0; i < p->nnonmember; i++)
        if (!acct_ok(p->nonmember[i]))
            return false;
    if (p->fy_start_month < 1 || p->fy_start_month > 12 || p->rat_months < 1 ||
        p->rat_months > 12 || p->quorum_ppm > PPM)
        return false;
    for (uint32_t i = 0; i < p->nlhu; i++)
        if (!acct_ok(p->lhu[i].code) || p->lhu[i].section < 1 || p->lhu[i].section > LHU_SECTIONS)
            return false;
    for (uint32_t i = 0; i < p->ncf; i++) {
        const struct proto_params_cf *c = &p->cf[i];

        if (!acct_ok(c->from) || !acct_ok(c->to) || c->from > c->to || c->activity < 1 ||
            (c->activity > 3 && c->activity != CF_OTHER) || c->line < 1 || c->line > CF_LINE_MAX)
            return false;
    }
    return true;
}

/* The first rule of proto_loan_buckets_check (and of the class order) that row i breaks, to
 * name it in a problem; only called once the table is known to fail. */
static uint32_t bucket_culprit(const struct proto_params *p)
{
    for (uint32_t i = 0; i < p->nrisk; i++) {
        const struct proto_params_risk *k = &p->risk[i];

        if (k->min_days > k->max_days || k->ppap_ppm > PPM || k->class < 1 || k->class > 4)
            return i;
        if (i == 0 ? k->min_days != 0
                   : (p->risk[i - 1].max_days == UINT32_MAX ||
                      k->min_days != p->risk[i - 1].max_days + 1 ||
                      k->ppap_ppm < p->risk[i - 1].ppap_ppm || k->class < p->risk[i - 1].class))
            return i;
    }
    return p->nrisk ? p->nrisk - 1 : 0;
}

static int check_buckets(const struct proto_params *p, struct proto_params_problem *why)
{
    struct proto_loan_buckets b;
    bool bad;

    memset(&b, 0, sizeof b);
    bad = p->nrisk < 1 || p->nrisk > PROTO_PARAMS_RISK_MAX;
    if (!bad) {
        b.n = p->nrisk;
        for (uint32_t i = 0; i < p->nrisk; i++) {
            b.b[i].min_days = p->risk[i].min_days;
            b.b[i].max_days = p->risk[i].max_days;
            b.b[i].ppap_ppm = p->risk[i].ppap_ppm;
            if (p->risk[i].class < 1 || p->risk[i].class > 4 ||
                (i > 0 && p->risk[i].class < p->risk[i - 1].class))
                bad = true;
        }
        bad = bad || proto_loan_buckets_check(&b) < 0;
    }
    return bad ? problem(why, PROTO_PARAMS_BUCKETS, bucket_culprit(p), 0) : 0;
}

static int check_shu(const struct proto_params *p, struct proto_params_problem *why)
{
    struct proto_shu_table t;
    struct proto_shu_problem sp;
    uint32_t n = p->nshu <= PROTO_SHU_PARTS_MAX ? p->nshu : 0;

    memset(&t, 0, sizeof t);
    t.nparts = p->nshu;
    for (uint32_t i = 0; i < n; i++) {
        memcpy(t.parts[i].name, p->shu[i].name, sizeof t.parts[i].name);
        t.parts[i].role = p->shu[i].role;
        t.parts[i].ppm = p->shu[i].ppm;
    }
    if (proto_shu_table_check(&t, &sp) < 0)
        return problem(why, PROTO_PARAMS_SHU_TABLE, sp.part, (uint32_t)sp.kind);
    if (p->shu_residual_part >= p->nshu || p->shu[p->shu_residual_part].role != 0)
        return problem(why, PROTO_PARAMS_SHU_RESIDUAL, p->shu_residual_part, 0);
    return 0;
}

static int check_savings(const struct proto_params *p, struct proto_params_problem *why)
{
    for (uint32_t i = 0; i < p->nsavings; i++)
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(p->savings[i].code, p->savings[j].code) == 0)
                return problem(why, PROTO_PARAMS_SAVINGS_DUP, i, 0);
    for (uint32_t i = 0; i < p->nloans; i++) {
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(p->loans[i].code, p->loans[j].code) == 0)
                return problem(why, PROTO_PARAMS_LOANS_DUP, i, 0);
        if (proto_params_savings(p, p->loans[i].code))
            return problem(why, PROTO_PARAMS_LOANS_DUP, i, 0);
    }
    for (uint32_t i = 0; i < p->nsavings; i++) {
        const struct proto_savings_product *s = &p->savings[i];
        bool term = s->class == PROTO_SAV_BERJANGKA;

        if (term != (s->term_months > 0) || (!term && s->method == PROTO_SAVM_TERM) ||
            (term && s->method != PROTO_SAVM_NONE && s->method != PROTO_SAVM_TERM) ||
            (!term && s->break_fee_ppm > 0) ||
            (s->rate_ppm > 0 && (s->method == PROTO_SAVM_NONE || s->expense_account == 0)))
            return problem(why, PROTO_PARAMS_SAVINGS_TERMS, i, 0);
    }
    for (uint32_t i = 0; i < p->nloans; i++) {
        const struct proto_loan_product *l = &p->loans[i];
        uint64_t annual = (uint64_t)l->rate_ppm * (l->rate_period == 1 ? 12 : 1);

        if (l->periods_min > l->periods_max || l->principal_min > l->principal_max ||
            annual > PROTO_LOAN_RATE_MAX)
            return problem(why, PROTO_PARAMS_LOAN_TERMS, i, 0);
    }
    return 0;
}

static int check_matrix(const struct proto_params *p, struct proto_params_problem *why)
{
    for (uint32_t i = 1; i < p->nmatrix; i++) {
        const struct proto_params_approval *a = &p->matrix[i - 1], *b = &p->matrix[i];

        if (a->kind > b->kind || (a->kind == b->kind && a->min_amount >= b->min_amount))
            return problem(why, PROTO_PARAMS_MATRIX_ORDER, i, b->kind);
    }
    return 0;
}

/* The first code that appears twice in codes[0..n), or 0. */
static uint32_t dup_code(const uint32_t *codes, uint32_t n, uint32_t *index)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < i; j++)
            if (codes[i] == codes[j]) {
                *index = i;
                return codes[i];
            }
    return 0;
}

static int check_duplicates(const struct proto_params *p, struct proto_params_problem *why)
{
    const struct proto_params_accounts *lists[2] = {&p->shu_capital, &p->shu_usage};
    uint32_t idx = 0, code;

    for (uint32_t i = 0; i < p->nadd; i++)
        for (uint32_t j = 0; j < i; j++)
            if (p->add[i].code == p->add[j].code)
                return problem(why, PROTO_PARAMS_DUPLICATE, i, p->add[i].code);
    for (uint32_t i = 0; i < p->nroles; i++)
        for (uint32_t j = 0; j < i; j++)
            if (p->roles[i].role == p->roles[j].role && p->roles[i].code == p->roles[j].code)
                return problem(why, PROTO_PARAMS_DUPLICATE, i, p->roles[i].code);
    for (uint32_t i = 0; i < p->nauthors; i++)
        for (uint32_t j = 0; j < i; j++)
            if (p->authors[i].kind == p->authors[j].kind)
                return problem(why, PROTO_PARAMS_DUPLICATE, i, p->authors[i].kind);
    for (uint32_t i = 0; i < p->ncsign; i++)
        for (uint32_t j = 0; j < i; j++)
            if (p->csign[i].kind == p->csign[j].kind)
                return problem(why, PROTO_PARAMS_DUPLICATE, i, p->csign[i].kind);
    for (int k = 0; k < 2; k++)
        if ((code = dup_code(lists[k]->codes, lists[k]->n, &idx)) != 0)
            return problem(why, PROTO_PARAMS_DUPLICATE, idx, code);
    if ((code = dup_code(p->nonmember, p->nnonmember, &idx)) != 0)
        return problem(why, PROTO_PARAMS_DUPLICATE, idx, code);
    for (uint32_t i = 0; i < p->nlhu; i++)
        for (uint32_t j = 0; j < i; j++)
            if (p->lhu[i].code == p->lhu[j].code)
                return problem(why, PROTO_PARAMS_DUPLICATE, i, p->lhu[i].code);
    for (uint32_t i = 0; i < p->ncf; i++)
        for (uint32_t j = 0; j < i; j++)
            if (p->cf[i].from <= p->cf[j].to && p->cf[j].from <= p->cf[i].to)
                return problem(why, PROTO_PARAMS_DUPLICATE, i, p->cf[i].from);
    return 0;
}

/* The chart a version is judged against: genesis, earlier versions' adds, its own adds. */
struct chart {
    const struct proto_params *p;
    const struct proto_genesis *g;
    const struct proto_account *extra;
    size_t nextra;
};

/* The account before this version's adds (genesis or an earlier version), or NULL. */
static const struct proto_account *chart_base(const struct chart *c, uint32_t code)
{
    for (size_t i = c->nextra; i-- > 0;)
        if (c->extra[i].code == code)
            return &c->extra[i];
    for (uint32_t i = 0; i < c->g->naccounts; i++)
        if (c->g->accounts[i].code == code)
            return &c->g->accounts[i];
    return NULL;
}

static const struct proto_account *chart_find(const struct chart *c, uint32_t code)
{
    for (uint32_t i = 0; i < c->p->nadd; i++)
        if (c->p->add[i].code == code)
            return &c->p->add[i];
    return chart_base(c, code);
}

/* true if code is in the chart, of type (0: any) and, when need_sub, with a sub-ledger. */
static bool chart_is(const struct chart *c, uint32_t code, uint8_t type, bool need_sub)
{
    const struct proto_account *a = chart_find(c, code);

    return a && (type == 0 || a->type == type) && (!need_sub || a->sub);
}

static int check_chart(const struct chart *c, struct proto_params_problem *why)
{
    const struct proto_params *p = c->p;

    for (uint32_t i = 0; i < p->nadd; i++) {
        const struct proto_account *base = chart_base(c, p->add[i].code);

        if (base && (base->type != p->add[i].type || base->sub != p->add[i].sub))
            return problem(why, PROTO_PARAMS_CHART, i, p->add[i].code);
    }
    for (uint32_t i = 0; i < p->nroles; i++)
        if (!chart_is(c, p->roles[i].code, 0, false))
            return problem(why, PROTO_PARAMS_CHART, i, p->roles[i].code);
    for (uint32_t i = 0; i < p->nsavings; i++) {
        const struct proto_savings_product *s = &p->savings[i];
        uint8_t type = s->class <= PROTO_SAV_WAJIB ? PROTO_ACCT_EQUITY : PROTO_ACCT_LIABILITY;

        if (!chart_is(c, s->account, type, true))
            return problem(why, PROTO_PARAMS_CHART, i, s->account);
        if (s->expense_account && !chart_is(c, s->expense_account, PROTO_ACCT_EXPENSE, false))
            return problem(why, PROTO_PARAMS_CHART, i, s->expense_account);
    }
    for (uint32_t i = 0; i < p->nloans; i++) {
        const struct proto_loan_product *l = &p->loans[i];

        if (!chart_is(c, l->receivable, PROTO_ACCT_ASSET, true))
            return problem(why, PROTO_PARAMS_CHART, i, l->receivable);
        if (!chart_is(c, l->interest, PROTO_ACCT_REVENUE, false))
            return problem(why, PROTO_PARAMS_CHART, i, l->interest);
        if (!chart_is(c, l->penalty, PROTO_ACCT_REVENUE, false))
            return problem(why, PROTO_PARAMS_CHART, i, l->penalty);
        for (uint32_t k = 0; k < l->nfees; k++)
            if (!chart_is(c, l->fees[k].account, PROTO_ACCT_REVENUE, false))
                return problem(why, PROTO_PARAMS_CHART, i, l->fees[k].account);
    }
    /* A member part's account is the members' SHU payable: a liability kept per member. */
    for (uint32_t i = 0; i < p->nshu; i++) {
        bool member = p->shu[i].role != PROTO_SHU_ROLE_OTHER;

        if (!chart_is(c, p->shu[i].account, member ? PROTO_ACCT_LIABILITY : 0, member))
            return problem(why, PROTO_PARAMS_CHART, i, p->shu[i].account);
    }
    /* S_i and T_i are read from member sub-ledgers. */
    for (uint32_t i = 0; i < p->shu_capital.n; i++)
        if (!chart_is(c, p->shu_capital.codes[i], 0, true))
            return problem(why, PROTO_PARAMS_CHART, i, p->shu_capital.codes[i]);
    for (uint32_t i = 0; i < p->shu_usage.n; i++)
        if (!chart_is(c, p->shu_usage.codes[i], 0, true))
            return problem(why, PROTO_PARAMS_CHART, i, p->shu_usage.codes[i]);
    for (uint32_t i = 0; i < p->nnonmember; i++)
        if (!chart_is(c, p->nonmember[i], PROTO_ACCT_REVENUE, false))
            return problem(why, PROTO_PARAMS_CHART, i, p->nonmember[i]);
    for (uint32_t i = 0; i < p->nlhu; i++)
        if (!chart_is(c, p->lhu[i].code, 0, false))
            return problem(why, PROTO_PARAMS_CHART, i, p->lhu[i].code);
    return 0;
}

int proto_params_check(const struct proto_params *p, const struct proto_genesis *g,
                       const struct proto_account *extra, size_t nextra,
                       struct proto_params_problem *why)
{
    struct chart c = {p, g, extra, nextra};
    int rc;

    if (why)
        memset(why, 0, sizeof *why);
    if (!p || !g || (nextra && !extra) || (g->naccounts && !g->accounts))
        return -EINVAL;
    if (p->fmt != PROTO_PARAMS_FMT)
        return problem(why, PROTO_PARAMS_FMT_BAD, 0, p->fmt);
    if (!proto_date_valid(p->adopted))
        return problem(why, PROTO_PARAMS_DATES, 0, p->adopted);
    if (!proto_date_valid(p->effective))
        return problem(why, PROTO_PARAMS_DATES, 1, p->effective);
    if (proto_loan_rounding_check(&p->rounding) < 0)
        return problem(why, PROTO_PARAMS_ROUNDING, 0, p->rounding.unit);
    if ((rc = check_shu(p, why)) < 0 || (rc = check_buckets(p, why)) < 0)
        return rc;
    if (!format_ok(p))
        return problem(why, PROTO_PARAMS_FORMAT, 0, 0);
    if ((rc = check_savings(p, why)) < 0 || (rc = check_matrix(p, why)) < 0 ||
        (rc = check_duplicates(p, why)) < 0 || (rc = check_chart(&c, why)) < 0)
        return rc;
    return 0;
}

const char *proto_params_problem_str(int kind)
{
    switch (kind) {
    case PROTO_PARAMS_OK:
        return "sound";
    case PROTO_PARAMS_FMT_BAD:
        return "unknown parameter format version";
    case PROTO_PARAMS_DATES:
        return "adopted or effective is not a valid date";
    case PROTO_PARAMS_SHU_TABLE:
        return "SHU table: the parts break a rule of the allocation table";
    case PROTO_PARAMS_SHU_RESIDUAL:
        return "SHU table: the residual part is missing or not a fund or reserve part";
    case PROTO_PARAMS_BUCKETS:
        return "collectibility buckets: gap, overlap, open end, decreasing rate or class";
    case PROTO_PARAMS_ROUNDING:
        return "rounding: unknown mode or unit outside 1..1000000";
    case PROTO_PARAMS_SAVINGS_DUP:
        return "two savings products share a code";
    case PROTO_PARAMS_LOANS_DUP:
        return "two loan products share a code, or a loan and a savings product do";
    case PROTO_PARAMS_SAVINGS_TERMS:
        return "savings product: term, interest method or expense account inconsistent with "
               "its class";
    case PROTO_PARAMS_LOAN_TERMS:
        return "loan product: periods or principal range reversed, or rate above 1000 % a year";
    case PROTO_PARAMS_MATRIX_ORDER:
        return "approval matrix: rows not strictly ascending by kind and minimum amount";
    case PROTO_PARAMS_CHART:
        return "chart: an account missing, of the wrong type or sub-ledger, or an added "
               "account that changes an existing one";
    case PROTO_PARAMS_FORMAT:
        return "a field is outside the body format";
    case PROTO_PARAMS_DUPLICATE:
        return "a table names one key twice (account, role row, kind or cash-flow range)";
    default:
        return "?";
    }
}

/* ---- the template ---- */

static void savings_set(struct proto_savings_product *s, const char *code, uint8_t class,
                        uint32_t account)
{
    memset(s, 0, sizeof *s);
    (void)strncpy(s->code, code, PROTO_PARAMS_CODE_MAX);
    s->class = class;
    s->account = account;
}

static void loan_set(struct proto_loan_product *l, const char *code, uint8_t method,
                     uint32_t monthly_ppm, uint32_t pmin, uint32_t pmax, uint64_t amin,
                     uint64_t amax)
{
    memset(l, 0, sizeof *l);
    (void)strncpy(l->code, code, PROTO_PARAMS_CODE_MAX);
    l->method = method;
    l->rate_ppm = monthly_ppm;
    l->rate_period = 1;
    l->periods_min = pmin;
    l->periods_max = pmax;
    l->principal_min = amin;
    l->principal_max = amax;
    l->has_late = true;
    l->late_basis = PROTO_LOAN_LATE_PER_DAY;
    l->late_rate_ppm = 1000; /* 0,1 % a day */
    l->receivable = 1200;
    l->interest = 4100;
    l->penalty = 4210;
}

static void loan_fee(struct proto_loan_product *l, uint8_t type, uint64_t value, uint32_t account)
{
    struct proto_loan_fee_rule *f = &l->fees[l->nfees++];

    f->type = type;
    f->value = value;
    f->account = account;
}

static void matrix_add(struct proto_params *p, uint32_t kind, uint64_t min, uint32_t pengurus,
                       uint32_t pengawas, uint32_t offices)
{
    struct proto_params_approval *m = &p->matrix[p->nmatrix++];

    m->kind = kind;
    m->min_amount = min;
    m->pengurus = pengurus;
    m->pengawas = pengawas;
    m->offices = offices;
}

static void shu_add(struct proto_params *p, const char *name, uint8_t role, uint32_t ppm,
                    uint32_t account)
{
    struct proto_params_shu_part *s = &p->shu[p->nshu++];

    (void)strncpy(s->name, name, PROTO_SHU_NAME_MAX);
    s->role = role;
    s->ppm = ppm;
    s->account = account;
}

static void risk_add(struct proto_params *p, uint32_t min, uint32_t max, uint32_t ppm,
                     uint8_t class)
{
    struct proto_params_risk *r = &p->risk[p->nrisk++];

    r->min_days = min;
    r->max_days = max;
    r->ppap_ppm = ppm;
    r->class = class;
}

void proto_params_default(struct proto_params *p, uint32_t ymd)
{
    /* ACCOUNTING.md 3, overview table, "Default authors" (kinds not listed: pengurus only). */
    static const struct {
        uint16_t kind;
        uint8_t roles;
    } authors[] = {
        {17, 0x0a}, {40, 0x0a}, {42, 0x0a}, {48, 0x0a}, {49, 0x0a}, {50, 0x0a},
        {56, 0x1e}, {57, 0x0a}, {58, 0x0a}, {59, 0x0a}, {73, 0x0a},
    };
    static const struct {
        uint16_t kind;
        uint8_t mode;
    } csign[] = {{41, 2}, {42, 2}, {49, 1}, {57, 1}, {73, 1}};
    const uint32_t ketua = PROTO_OFFICE_BIT(PROTO_OFFICE_KETUA);
    const uint32_t sekretaris = PROTO_OFFICE_BIT(PROTO_OFFICE_SEKRETARIS);
    const uint32_t bendahara = PROTO_OFFICE_BIT(PROTO_OFFICE_BENDAHARA);
    struct proto_savings_product *s;
    struct proto_loan_product *l;

    memset(p, 0, sizeof *p);
    p->fmt = PROTO_PARAMS_FMT;
    p->adopted = ymd;
    p->effective = ymd;

    for (size_t i = 0; i < sizeof authors / sizeof authors[0]; i++) {
        p->authors[p->nauthors].kind = authors[i].kind;
        p->authors[p->nauthors++].roles = authors[i].roles;
    }
    /* ACCOUNTING.md 3, overview table, "Default approvals"; sorted by (kind, min_amount). */
    matrix_add(p, 17, 0, 1, 0, 0);
    matrix_add(p, 17, 5000000, 2, 0, 0);
    matrix_add(p, 17, 25000000, 2, 1, 0);
    matrix_add(p, 32, 0, 2, 1, 0);
    matrix_add(p, 34, 0, 2, 1, ketua | sekretaris);
    matrix_add(p, 35, 0, 2, 0, ketua | bendahara);
    matrix_add(p, 40, 0, 1, 0, 0);
    matrix_add(p, 41, 0, 1, 0, 0);
    matrix_add(p, 42, 0, 1, 0, 0);
    matrix_add(p, 42, 10000000, 2, 0, 0);
    matrix_add(p, 49, 5000000, 1, 0, 0);
    matrix_add(p, 50, 0, 1, 0, 0);
    matrix_add(p, 56, 0, 1, 0, 0);
    matrix_add(p, 56, 5000000, 2, 0, 0);
    matrix_add(p, 56, 25000000, 2, 1, 0);
    matrix_add(p, 60, 0, 1, 1, 0);
    matrix_add(p, 61, 0, 2, 1, 0);
    matrix_add(p, 64, 0, 1, 0, 0);
    matrix_add(p, 64, 5000000, 2, 0, 0);
    matrix_add(p, 72, 0, 2, 0, 0);
    p->officer_extra_pengurus = 0;
    p->officer_extra_pengawas = 1;
    for (size_t i = 0; i < sizeof csign / sizeof csign[0]; i++) {
        p->csign[p->ncsign].kind = csign[i].kind;
        p->csign[p->ncsign++].mode = csign[i].mode;
    }
    p->params_need_rat = false;
    p->writeoff_need_rat = true;
    p->wait_days = 30;

    p->pokok = 100000;
    p->wajib = 25000;
    p->wajib_months = 1;
    p->refund_days = 30;
    p->calon_allowed = true;

    savings_set(&p->savings[p->nsavings++], "SP", PROTO_SAV_POKOK, 3100);
    savings_set(&p->savings[p->nsavings++], "SW", PROTO_SAV_WAJIB, 3110);
    s = &p->savings[p->nsavings++];
    savings_set(s, "SS", PROTO_SAV_SUKARELA, 2100);
    s->rate_ppm = 30000; /* 3 % a year */
    s->method = PROTO_SAVM_DAILY;
    s->min_balance = 50000;
    s->tax_ppm = 100000; /* 10 % above Rp240.000 a month */
    s->tax_threshold = 240000;
    s->expense_account = 5100;
    s = &p->savings[p->nsavings++];
    savings_set(s, "SB12", PROTO_SAV_BERJANGKA, 2110);
    s->rate_ppm = 42500; /* 4,25 % a year */
    s->method = PROTO_SAVM_TERM;
    s->term_months = 12;
    s->break_fee_ppm = 10000;
    s->expense_account = 5110;

    p->rounding.mode = PROTO_LOAN_ROUND_HALF_UP;
    p->rounding.unit = 1;
    l = &p->loans[p->nloans++];
    loan_set(l, "PU", PROTO_LOAN_FLAT, 15000, 3, 36, 1000000, 50000000);
    loan_fee(l, 2, 10000, 4200); /* admin 1 % */
    loan_fee(l, 2, 10000, 4200); /* provisi 1 % */
    l = &p->loans[p->nloans++];
    loan_set(l, "PA", PROTO_LOAN_ANNUITY, 12500, 6, 60, 5000000, 100000000);
    loan_fee(l, 2, 10000, 4200);       /* admin 1 % */
    l->savings_multiple_ppm = 3000000; /* 300 % */

    /* Placeholders (open question 12.5): verify against Juknis 15/2021. */
    risk_add(p, 0, 90, 5000, 1);
    risk_add(p, 91, 180, 100000, 2);
    risk_add(p, 181, 270, 500000, 3);
    risk_add(p, 271, PROTO_LOAN_DAYS_OPEN, 1000000, 4);

    shu_add(p, "Cadangan umum", PROTO_SHU_ROLE_OTHER, 400000, 3400);
    shu_add(p, "Jasa modal", PROTO_SHU_ROLE_MODAL, 200000, 2300);
    shu_add(p, "Jasa usaha", PROTO_SHU_ROLE_USAHA, 250000, 2300);
    shu_add(p, "Dana pengurus & pengawas", PROTO_SHU_ROLE_OTHER, 50000, 2310);
    shu_add(p, "Dana karyawan", PROTO_SHU_ROLE_OTHER, 50000, 2320);
    shu_add(p, "Dana pendidikan", PROTO_SHU_ROLE_OTHER, 25000, 2330);
    shu_add(p, "Dana sosial", PROTO_SHU_ROLE_OTHER, 25000, 2340);
    p->shu_residual_part = 0; /* Cadangan umum */
    p->shu_capital.basis = 2; /* time-weighted SP + SW */
    p->shu_capital.n = 2;
    p->shu_capital.codes[0] = 3100;
    p->shu_capital.codes[1] = 3110;
    p->shu_usage.basis = 1; /* jasa paid */
    p->shu_usage.n = 1;
    p->shu_usage.codes[0] = 4100;
    p->shu_eligibility = 1;
    p->shu_mode = PROTO_SHU_RESIDUAL;
    p->nnonmember = 1;
    p->nonmember[0] = 4110;

    p->fy_start_month = 1;
    p->rat_months = 6;
    p->quorum_ppm = 500000;
}

/* ---- lookups ---- */

const struct proto_savings_product *proto_params_savings(const struct proto_params *p,
                                                         const char *code)
{
    if (!p || !code)
        return NULL;
    for (uint32_t i = 0; i < p->nsavings && i < PROTO_PARAMS_SAVINGS_MAX; i++)
        if (strcmp(p->savings[i].code, code) == 0)
            return &p->savings[i];
    return NULL;
}

const struct proto_savings_product *proto_params_savings_by_account(const struct proto_params *p,
                                                                    uint32_t account)
{
    if (!p)
        return NULL;
    for (uint32_t i = 0; i < p->nsavings && i < PROTO_PARAMS_SAVINGS_MAX; i++)
        if (p->savings[i].account == account)
            return &p->savings[i];
    return NULL;
}

const struct proto_loan_product *proto_params_loan(const struct proto_params *p, const char *code)
{
    if (!p || !code)
        return NULL;
    for (uint32_t i = 0; i < p->nloans && i < PROTO_PARAMS_LOANS_MAX; i++)
        if (strcmp(p->loans[i].code, code) == 0)
            return &p->loans[i];
    return NULL;
}

uint32_t proto_params_authors(const struct proto_params *p, uint32_t kind)
{
    const uint32_t all = ROLES_MASK;

    if (kind == 33) /* sign: any role, not configurable (ACCOUNTING.md 1.2) */
        return all;
    if (kind == 36) /* frontier-part: whoever may author a close (2.2) */
        kind = 35;
    if (p && kind >= 17)
        for (uint32_t i = 0; i < p->nauthors && i < PROTO_PARAMS_AUTHORS_MAX; i++)
            if (p->authors[i].kind == kind)
                return p->authors[i].roles & all;
    return PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS);
}

const struct proto_params_approval *proto_params_row(const struct proto_params *p, uint32_t kind,
                                                     uint64_t amount)
{
    const struct proto_params_approval *best = NULL;

    if (!p)
        return NULL;
    for (uint32_t i = 0; i < p->nmatrix && i < PROTO_PARAMS_MATRIX_MAX; i++) {
        const struct proto_params_approval *m = &p->matrix[i];

        if (m->kind == kind && m->min_amount <= amount &&
            (!best || m->min_amount > best->min_amount))
            best = m;
    }
    return best;
}

uint8_t proto_params_csign(const struct proto_params *p, uint32_t kind)
{
    if (!p)
        return PROTO_CSIGN_NONE;
    for (uint32_t i = 0; i < p->ncsign && i < PROTO_PARAMS_CSIGN_MAX; i++)
        if (p->csign[i].kind == kind)
            return p->csign[i].mode;
    return PROTO_CSIGN_NONE;
}

/* ACCOUNTING.md 1.3: the default accounts of each role (the standard chart of saksi init). */
static bool role_default(uint8_t r, uint32_t code)
{
    static const struct {
        uint8_t role;
        uint16_t from, to;
    } defaults[] = {
        {PROTO_AR_CASH, 1100, 1100},
        {PROTO_AR_CASH, 1110, 1110},
        {PROTO_AR_LOANS, 1200, 1200},
        {PROTO_AR_ALLOWANCE, 1290, 1290},
        {PROTO_AR_ACCRUED, 1300, 1300},
        {PROTO_AR_PLACEMENTS, 1120, 1120},
        {PROTO_AR_PLACEMENTS, 1500, 1500},
        {PROTO_AR_TAX_PAYABLE, 2210, 2210},
        {PROTO_AR_SHU_PAYABLE, 2300, 2300},
        {PROTO_AR_REFUNDS, 2400, 2400},
        {PROTO_AR_POKOK, 3100, 3100},
        {PROTO_AR_WAJIB, 3110, 3110},
        {PROTO_AR_RESERVE, 3400, 3400},
        {PROTO_AR_SHU_CURRENT, 3500, 3500},
        {PROTO_AR_SHU_PRIOR, 3510, 3510},
        {PROTO_AR_INTEREST_MEMBERS, 4100, 4100},
        {PROTO_AR_INTEREST_OTHERS, 4110, 4110},
        {PROTO_AR_FEES, 4200, 4200},
        {PROTO_AR_PENALTIES, 4210, 4210},
        {PROTO_AR_OTHER_INCOME, 4900, 4900},
        {PROTO_AR_PPAP_EXPENSE, 5220, 5220},
        {PROTO_AR_TAX_EXPENSE, 5900, 5900},
        {PROTO_AR_BORROWINGS, 2500, 2500},
        {PROTO_AR_BORROWINGS, 2610, 2610},
        {PROTO_AR_FIXED_ASSETS, 1600, 1630}, /* 1600-1630: land, buildings, vehicles, office */
    };

    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (defaults[i].role == r && code >= defaults[i].from && code <= defaults[i].to)
            return true;
    return false;
}

bool proto_params_has_role(const struct proto_params *p, uint8_t r, uint32_t code)
{
    bool any = false;

    if (p)
        for (uint32_t i = 0; i < p->nroles && i < PROTO_PARAMS_ROLES_MAX; i++) {
            if (p->roles[i].role != r)
                continue;
            if (p->roles[i].code == code)
                return true;
            any = true;
        }
    return !any && role_default(r, code);
}
