/*
 * The text form of a parameter version (ACCOUNTING.md 1.6; the grammar is in params_text.h): a
 * line parser that starts from the template and applies each line, with "FILE:LINE: what is
 * wrong" messages in the style of the koperasi description file, and a writer whose output
 * parses back to the same struct. The parser checks what a line can say by itself (syntax,
 * ranges, string rules, counts), so that whatever it accepts also encodes and decodes as a kind
 * 32 body; whether the version is sound is proto_params_check()'s question. Amounts and
 * percentages have their own small parsers here, since proto/ may not depend on cli/.
 */
#include "proto/params_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto/err.h"
#include "proto/mp.h"

#define PPM          1000000u
#define PCT_INT_MAX  100000u /* percent before the decimals: 100 000 % is above every range */
#define DAYS_MAX     3650u
#define KIND_MAX     65535u
#define COUNT_MAX    32u        /* approvers and officer_extra */
#define MULTIPLE_MAX 100000000u /* kelipatan: 10 000 % */
#define TERM_MAX     120u
#define FEE_ACCOUNT  4200u /* default account of a loan fee */
#define TOKENS_MAX   128u  /* words on a shu line: a name of 64 bytes has at most 32 */

/* ---- word tables ---- */

struct word {
    const char *name;
    uint32_t value;
};

#define NWORDS(t) (sizeof(t) / sizeof((t)[0]))

static const struct word kinds[] = {
    {"journal-a", 17},   {"params", 32},        {"sign", 33},         {"resolution", 34},
    {"close", 35},       {"frontier-part", 36}, {"member-admit", 40}, {"member-exit", 41},
    {"exit-settle", 42}, {"deposit", 48},       {"withdraw", 49},     {"interest", 50},
    {"loan-apply", 56},  {"loan-disburse", 57}, {"loan-repay", 58},   {"late-fee", 59},
    {"provision", 60},   {"write-off", 61},     {"reverse", 64},      {"shu-allocate", 72},
    {"shu-pay", 73},
};
static const struct word dev_roles[] = {
    {"pengurus", PROTO_ROLE_PENGURUS},
    {"pengawas", PROTO_ROLE_PENGAWAS},
    {"kasir", PROTO_ROLE_KASIR},
    {"anggota", PROTO_ROLE_ANGGOTA},
};
static const struct word offices[] = {
    {"ketua", PROTO_OFFICE_KETUA},
    {"sekretaris", PROTO_OFFICE_SEKRETARIS},
    {"bendahara", PROTO_OFFICE_BENDAHARA},
};
static const struct word sav_classes[] = {
    {"pokok", PROTO_SAV_POKOK},       {"wajib", PROTO_SAV_WAJIB},
    {"sukarela", PROTO_SAV_SUKARELA}, {"berjangka", PROTO_SAV_BERJANGKA},
    {"khusus", PROTO_SAV_KHUSUS},
};
static const struct word sav_methods[] = {
    {"tanpa", PROTO_SAVM_NONE},
    {"terendah", PROTO_SAVM_LOWEST},
    {"harian", PROTO_SAVM_DAILY},
    {"jangka", PROTO_SAVM_TERM},
};
static const struct word loan_methods[] = {
    {"flat", PROTO_LOAN_FLAT},
    {"menurun", PROTO_LOAN_DECLINING},
    {"anuitas", PROTO_LOAN_ANNUITY},
};
static const struct word round_modes[] = {
    {"half-up", PROTO_LOAN_ROUND_HALF_UP},
    {"down", PROTO_LOAN_ROUND_DOWN},
    {"up", PROTO_LOAN_ROUND_UP},
};
static const struct word rate_periods[] = {{"bulan", 1}, {"tahun", 12}};
static const struct word late_bases[] = {
    {"hari", PROTO_LOAN_LATE_PER_DAY},
    {"bulan", PROTO_LOAN_LATE_PER_PERIOD},
};
static const struct word bucket_classes[] = {
    {"lancar", 1},
    {"kurang-lancar", 2},
    {"diragukan", 3},
    {"macet", 4},
};
static const struct word csign_modes[] = {
    {"anggota", PROTO_CSIGN_MEMBER},
    {"anggota-atau-pengawas", PROTO_CSIGN_WITNESS},
};
static const struct word capital_bases[] = {{"saldo", 1}, {"waktu", 2}};
static const struct word usage_bases[] = {{"jasa", 1}, {"pinjaman", 2}};
static const struct word eligibilities[] = {{"aktif", 1}, {"berpartisipasi", 2}};
static const struct word shu_modes[] = {
    {"sisa", PROTO_SHU_RESIDUAL},
    {"terbesar", PROTO_SHU_LARGEST_REMAINDER},
};
static const struct word cf_activities[] = {
    {"operasi", 1},
    {"investasi", 2},
    {"pendanaan", 3},
    {"lain", 99},
};
static const struct word acct_types[] = {
    {"A", PROTO_ACCT_ASSET},  {"CA", PROTO_ACCT_CONTRA_ASSET}, {"L", PROTO_ACCT_LIABILITY},
    {"E", PROTO_ACCT_EQUITY}, {"R", PROTO_ACCT_REVENUE},       {"X", PROTO_ACCT_EXPENSE},
};
static const struct word bools[] = {{"ya", 1}, {"tidak", 0}, {"yes", 1}, {"no", 0}};
/* ACCOUNTING.md 1.3, in role order. */
static const struct word acct_roles[] = {
    {"kas", PROTO_AR_CASH},
    {"pinjaman-anggota", PROTO_AR_LOANS},
    {"ppap", PROTO_AR_ALLOWANCE},
    {"bunga-akrual", PROTO_AR_ACCRUED},
    {"penempatan", PROTO_AR_PLACEMENTS},
    {"utang-pajak", PROTO_AR_TAX_PAYABLE},
    {"utang-shu", PROTO_AR_SHU_PAYABLE},
    {"utang-anggota-keluar", PROTO_AR_REFUNDS},
    {"simpanan-pokok", PROTO_AR_POKOK},
    {"simpanan-wajib", PROTO_AR_WAJIB},
    {"cadangan", PROTO_AR_RESERVE},
    {"shu-berjalan", PROTO_AR_SHU_CURRENT},
    {"shu-lalu", PROTO_AR_SHU_PRIOR},
    {"jasa-anggota", PROTO_AR_INTEREST_MEMBERS},
    {"jasa-non-anggota", PROTO_AR_INTEREST_OTHERS},
    {"pendapatan-biaya", PROTO_AR_FEES},
    {"pendapatan-denda", PROTO_AR_PENALTIES},
    {"pendapatan-lain", PROTO_AR_OTHER_INCOME},
    {"beban-ppap", PROTO_AR_PPAP_EXPENSE},
    {"beban-pajak", PROTO_AR_TAX_EXPENSE},
    {"pinjaman-diterima", PROTO_AR_BORROWINGS},
    {"aset-tetap", PROTO_AR_FIXED_ASSETS},
};

static bool word_value(const struct word *t, size_t n, const char *s, uint32_t *v)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(t[i].name, s) == 0) {
            *v = t[i].value;
            return true;
        }
    return false;
}

static const char *word_name(const struct word *t, size_t n, uint32_t v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == v)
            return t[i].name;
    return NULL;
}

/* ---- parser state ---- */

/* Keys given at most once. */
enum key {
    K_ADOPTED,
    K_EFFECTIVE,
    K_POKOK,
    K_WAJIB,
    K_REFUND,
    K_CALON,
    K_PARAMS_RAT,
    K_WRITEOFF_RAT,
    K_WAIT,
    K_ROUNDING,
    K_OFFICER,
    K_CAPITAL,
    K_USAGE,
    K_ELIGIBILITY,
    K_SHU_MODE,
    K_NONMEMBER,
    K_FY,
    K_RAT,
    K_QUORUM,
    K_COUNT
};

static const char *const key_names[K_COUNT] = {
    "adopted",        "effective",       "pokok",           "wajib",
    "refund-days",    "calon-allowed",   "params-need-rat", "writeoff-need-rat",
    "wait-days",      "rounding",        "officer-extra",   "shu-capital",
    "shu-usage",      "shu-eligibility", "shu-mode",        "shu-nonmember",
    "fy-start-month", "rat-months",      "quorum",
};

/* Repeating lines: each kind's first line replaces the template's list. */
enum list {
    L_SAVINGS,
    L_LOANS,
    L_BUCKETS,
    L_SHU,
    L_AUTHORS,
    L_MATRIX,
    L_CSIGN,
    L_ADD,
    L_ROLES,
    L_LHU,
    L_CF,
    L_COUNT
};

static const char *const list_names[L_COUNT] = {
    "savings",     "loan",        "bucket", "shu", "author",   "approve",
    "countersign", "add-account", "role",   "lhu", "cashflow",
};

static const uint32_t list_max[L_COUNT] = {
    PROTO_PARAMS_SAVINGS_MAX, PROTO_PARAMS_LOANS_MAX,  PROTO_PARAMS_RISK_MAX,  PROTO_SHU_PARTS_MAX,
    PROTO_PARAMS_AUTHORS_MAX, PROTO_PARAMS_MATRIX_MAX, PROTO_PARAMS_CSIGN_MAX, PROTO_PARAMS_ADD_MAX,
    PROTO_PARAMS_ROLES_MAX,   PROTO_PARAMS_LHU_MAX,    PROTO_PARAMS_CF_MAX,
};

struct tp {
    const char *name;
    char *err;
    size_t errlen;
    struct proto_params *p;
    unsigned line;
    unsigned seen[K_COUNT];  /* line of each once-key, 0 = not given */
    unsigned first[L_COUNT]; /* line of each list's first line */
    unsigned none[L_COUNT];  /* line that set a list empty */
    unsigned residual_line;  /* line of the shu part marked sisa */
};

/* Reports a mistake: "NAME:LINE: message" (or "NAME: message" for line 0). */
__attribute__((format(printf, 2, 3))) static int tp_err(struct tp *t, const char *fmt, ...)
{
    char msg[320];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (t->errlen == 0)
        return ERR_CONFIG;
    if (t->line)
        (void)snprintf(t->err, t->errlen, "%s:%u: %s", t->name, t->line, msg);
    else
        (void)snprintf(t->err, t->errlen, "%s: %s", t->name, msg);
    return ERR_CONFIG;
}

/* ---- lexical helpers ---- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
    size_t n;

    while (is_blank(*s))
        s++;
    n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* The next word of *s, separated by blanks (and commas when commas is set); NULL at the end.
 * Cuts the word in place. */
static char *word_next(char **s, bool commas)
{
    char *p = *s, *w;

    while (is_blank(*p) || (commas && *p == ','))
        p++;
    if (*p == '\0') {
        *s = p;
        return NULL;
    }
    w = p;
    while (*p && !is_blank(*p) && !(commas && *p == ','))
        p++;
    if (*p)
        *p++ = '\0';
    *s = p;
    return w;
}

/* "tidak ada" or "none": an empty list or row. */
static bool is_none(const char *s)
{
    if (strcasecmp(s, "none") == 0)
        return true;
    if (strncasecmp(s, "tidak", 5) != 0 || !is_blank(s[5]))
        return false;
    s += 5;
    while (is_blank(*s))
        s++;
    return strcasecmp(s, "ada") == 0;
}

static bool uint_parse(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
    uint64_t x = 0;

    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        if (x > (UINT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    if (x < lo || x > hi)
        return false;
    *v = x;
    return true;
}

static bool u32_parse(const char *s, uint32_t lo, uint32_t hi, uint32_t *v)
{
    uint64_t x;

    if (!uint_parse(s, lo, hi, &x))
        return false;
    *v = (uint32_t)x;
    return true;
}

/* An amount: "100000", "100.000", "Rp100.000" or "Rp 100.000"; 0..PROTO_AMOUNT_MAX. */
static bool amount_parse(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    int group = -1, digits = 0; /* digits since the last '.'; -1 before any */

    if (strncasecmp(s, "rp", 2) == 0)
        s += 2;
    while (is_blank(*s))
        s++;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s == '.') {
            if (digits == 0 || (group < 0 && digits > 3) || (group >= 0 && group != 3))
                return false;
            group = 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            return false;
        if (x > (PROTO_AMOUNT_MAX - (uint64_t)(*s - '0')) / 10)
            return false;
        x = x * 10 + (uint64_t)(*s - '0');
        digits++;
        if (group >= 0)
            group++;
    }
    if (group >= 0 && group != 3)
        return false;
    *v = x;
    return true;
}

/* A percentage "1,5%", "1.5%", "100%" (at most 4 decimals) as exact ppm, at most max. */
static bool pct_parse(const char *s, uint64_t max, uint64_t *ppm)
{
    uint64_t whole = 0, frac = 0;
    int nint = 0, nfrac = 0;

    for (; *s >= '0' && *s <= '9'; s++, nint++) {
        whole = whole * 10 + (uint64_t)(*s - '0');
        if (whole > PCT_INT_MAX)
            return false;
    }
    if (nint == 0)
        return false;
    if (*s == ',' || *s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, nfrac++) {
            if (nfrac == 4)
                return false;
            frac = frac * 10 + (uint64_t)(*s - '0');
        }
        if (nfrac == 0)
            return false;
    }
    if (s[0] != '%' || s[1] != '\0')
        return false;
    for (int i = nfrac; i < 4; i++)
        frac *= 10;
    whole = whole * 10000 + frac;
    if (whole > max)
        return false;
    *ppm = whole;
    return true;
}

static bool pct_parse32(const char *s, uint32_t max, uint32_t *ppm)
{
    uint64_t x;

    if (!pct_parse(s, max, &x))
        return false;
    *ppm = (uint32_t)x;
    return true;
}

/* "YYYY-MM-DD" as YYYYMMDD. */
static bool date_parse(const char *s, uint32_t *ymd)
{
    uint32_t v = 0;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    if (!proto_date_valid(v))
        return false;
    *ymd = v;
    return true;
}

static bool acct_parse(const char *s, uint32_t *code)
{
    return u32_parse(s, 1000, 9999, code);
}

static bool code_valid(const char *s)
{
    size_t n = strlen(s);

    if (n < 1 || n > PROTO_PARAMS_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* A name for the ledger: 1..max bytes, no control byte (tabs included). The line is UTF-8
 * already, and cutting it at ASCII blanks keeps it so. */
static bool name_valid(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n < 1 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
            return false;
    return true;
}

static bool kind_parse(const char *s, uint32_t *kind)
{
    return word_value(kinds, NWORDS(kinds), s, kind) || u32_parse(s, 1, KIND_MAX, kind);
}

/* ---- value parsers with messages ---- */

static int want_amount(struct tp *t, const char *what, const char *s, uint64_t *v)
{
    if (!amount_parse(s, v))
        return tp_err(t, "invalid amount '%s' for %s (e.g. 100.000; at most 10^15)", s, what);
    return 0;
}

static int want_pct(struct tp *t, const char *what, const char *s, uint32_t max, uint32_t *ppm)
{
    if (!pct_parse32(s, max, ppm))
        return tp_err(t,
                      "invalid percentage '%s' for %s (e.g. 1,5%%; at most 4 decimals and "
                      "%u,%04u%%)",
                      s, what, max / 10000, max % 10000);
    return 0;
}

static int want_uint(struct tp *t, const char *what, const char *s, uint32_t lo, uint32_t hi,
                     uint32_t *v)
{
    if (!u32_parse(s, lo, hi, v))
        return tp_err(t, "invalid %s '%s' (a whole number from %u to %u)", what, s, lo, hi);
    return 0;
}

static int want_acct(struct tp *t, const char *s, uint32_t *code)
{
    if (!acct_parse(s, code))
        return tp_err(t, "invalid account code '%s' (four digits, 1000 to 9999)", s);
    return 0;
}

static int want_word(struct tp *t, const struct word *tab, size_t n, const char *what,
                     const char *s, uint32_t *v)
{
    char hint[200];
    size_t o = 0;

    if (s && word_value(tab, n, s, v))
        return 0;
    hint[0] = '\0';
    for (size_t i = 0; i < n && o < sizeof hint; i++) {
        int k = snprintf(hint + o, sizeof hint - o, "%s%s", i ? ", " : "", tab[i].name);

        if (k < 0)
            break;
        o += (size_t)k;
    }
    if (!s)
        return tp_err(t, "missing %s (use %s)", what, hint);
    return tp_err(t, "unknown %s '%s' (use %s)", what, s, hint);
}

static int want_kind(struct tp *t, const char *s, uint32_t *kind)
{
    if (!s || !kind_parse(s, kind))
        return tp_err(t,
                      "unknown entry kind '%s' (a name such as loan-apply or withdraw, or a "
                      "number from 1 to %u)",
                      s ? s : "", KIND_MAX);
    return 0;
}

/* ACCOUNT,ACCOUNT... into codes (lo..max of them). */
static int want_accts(struct tp *t, char *s, uint32_t lo, uint32_t max, uint32_t *codes,
                      uint32_t *n)
{
    char *w;
    uint32_t k = 0;
    int rc;

    while ((w = word_next(&s, true)) != NULL) {
        if (k == max)
            return tp_err(t, "too many accounts (at most %u)", max);
        if ((rc = want_acct(t, w, &codes[k])) < 0)
            return rc;
        k++;
    }
    if (k < lo)
        return tp_err(t, "give at least %u account%s", lo, lo == 1 ? "" : "s");
    *n = k;
    return 0;
}

/* MIN..MAX (or N for N..N) of whole numbers. */
static int want_range(struct tp *t, const char *what, const char *s, uint64_t lo, uint64_t hi,
                      bool amounts, uint64_t *a, uint64_t *b)
{
    char buf[64];
    const char *dots = strstr(s, "..");
    bool ok;

    if (!dots) {
        ok = amounts ? amount_parse(s, a) : uint_parse(s, 0, UINT64_MAX, a);
        *b = *a;
    } else {
        size_t n = (size_t)(dots - s);

        if (n >= sizeof buf)
            return tp_err(t, "invalid %s '%s'", what, s);
        memcpy(buf, s, n);
        buf[n] = '\0';
        ok = amounts ? amount_parse(buf, a) && amount_parse(dots + 2, b)
                     : uint_parse(buf, 0, UINT64_MAX, a) && uint_parse(dots + 2, 0, UINT64_MAX, b);
    }
    if (!ok || *a < lo || *a > hi || *b < lo || *b > hi)
        return tp_err(t, "invalid %s '%s' (MIN..MAX, each from %llu to %llu)", what, s,
                      (unsigned long long)lo, (unsigned long long)hi);
    return 0;
}

/* "N pengurus + M pengawas + ketua ..." (offices only when offices is not NULL) or "tidak
 * ada". */
static int want_terms(struct tp *t, char *s, uint32_t *pengurus, uint32_t *pengawas, uint32_t *offs)
{
    bool have_p = false, have_w = false;
    char *term;

    *pengurus = 0;
    *pengawas = 0;
    if (offs)
        *offs = 0;
    s = trim(s);
    if (is_none(s))
        return 0;
    for (;;) {
        char *plus = strchr(s, '+'), *a, *b, *rest;
        uint32_t n, v;

        if (plus)
            *plus = '\0';
        term = trim(s);
        rest = term;
        a = word_next(&rest, false);
        b = word_next(&rest, false);
        if (!a || word_next(&rest, false))
            return tp_err(t, "expected 'N pengurus + M pengawas'%s",
                          offs ? " (and offices ketua, sekretaris, bendahara)" : "");
        if (b) {
            if (!u32_parse(a, 0, COUNT_MAX, &n))
                return tp_err(t, "invalid count '%s' (0 to %u)", a, COUNT_MAX);
            if (strcasecmp(b, "pengurus") == 0 && !have_p) {
                have_p = true;
                *pengurus = n;
            } else if (strcasecmp(b, "pengawas") == 0 && !have_w) {
                have_w = true;
                *pengawas = n;
            } else {
                return tp_err(t, "'%s' counted twice or not pengurus or pengawas", b);
            }
        } else if (offs && word_value(offices, NWORDS(offices), a, &v)) {
            if (*offs & PROTO_OFFICE_BIT(v))
                return tp_err(t, "office '%s' named twice", a);
            *offs |= PROTO_OFFICE_BIT(v);
        } else {
            return tp_err(t, "unexpected '%s' (expected 'N pengurus' or 'N pengawas'%s)", a,
                          offs ? " or an office" : "");
        }
        if (!plus)
            return 0;
        s = plus + 1;
    }
}

/* ---- lists and once-keys ---- */

static uint32_t *list_count(struct proto_params *p, int l)
{
    switch (l) {
    case L_SAVINGS:
        return &p->nsavings;
    case L_LOANS:
        return &p->nloans;
    case L_BUCKETS:
        return &p->nrisk;
    case L_SHU:
        return &p->nshu;
    case L_AUTHORS:
        return &p->nauthors;
    case L_MATRIX:
        return &p->nmatrix;
    case L_CSIGN:
        return &p->ncsign;
    case L_ADD:
        return &p->nadd;
    case L_ROLES:
        return &p->nroles;
    case L_LHU:
        return &p->nlhu;
    default:
        return &p->ncf;
    }
}

static void list_clear(struct proto_params *p, int l)
{
    switch (l) {
    case L_SAVINGS:
        memset(p->savings, 0, sizeof p->savings);
        break;
    case L_LOANS:
        memset(p->loans, 0, sizeof p->loans);
        break;
    case L_BUCKETS:
        memset(p->risk, 0, sizeof p->risk);
        break;
    case L_SHU:
        memset(p->shu, 0, sizeof p->shu);
        p->shu_residual_part = 0;
        break;
    case L_AUTHORS:
        memset(p->authors, 0, sizeof p->authors);
        break;
    case L_MATRIX:
        memset(p->matrix, 0, sizeof p->matrix);
        break;
    case L_CSIGN:
        memset(p->csign, 0, sizeof p->csign);
        break;
    case L_ADD:
        memset(p->add, 0, sizeof p->add);
        break;
    case L_ROLES:
        memset(p->roles, 0, sizeof p->roles);
        break;
    case L_LHU:
        memset(p->lhu, 0, sizeof p->lhu);
        break;
    default:
        memset(p->cf, 0, sizeof p->cf);
        break;
    }
    *list_count(p, l) = 0;
}

/*
 * Starts a new row of list l and puts its index in *i; with none, empties the list instead.
 * The first line of a list replaces the template's rows.
 */
static int list_row(struct tp *t, int l, bool none, uint32_t *i)
{
    uint32_t *n = list_count(t->p, l);

    if (t->none[l])
        return tp_err(t, "'%s' was set to 'tidak ada' on line %u", list_names[l], t->none[l]);
    if (none) {
        if (l == L_SAVINGS || l == L_BUCKETS || l == L_SHU)
            return tp_err(t, "'%s' cannot be empty", list_names[l]);
        if (t->first[l])
            return tp_err(t, "'%s' lines are already given (from line %u)", list_names[l],
                          t->first[l]);
        list_clear(t->p, l);
        t->none[l] = t->line;
        return 0;
    }
    if (!t->first[l]) {
        list_clear(t->p, l);
        t->first[l] = t->line;
    }
    if (*n >= list_max[l])
        return tp_err(t, "too many '%s' lines (at most %u)", list_names[l], list_max[l]);
    *i = (*n)++;
    return 0;
}

static int once(struct tp *t, int k)
{
    if (t->seen[k])
        return tp_err(t, "'%s' is already given on line %u", key_names[k], t->seen[k]);
    t->seen[k] = t->line;
    return 0;
}

/* Splits "a/b" at the last '/': *unit gets "b" (trimmed) or NULL. */
static char *split_unit(char *s, char **unit)
{
    char *slash = strrchr(s, '/');

    *unit = NULL;
    if (slash) {
        *slash = '\0';
        *unit = trim(slash + 1);
    }
    return trim(s);
}

/* Finds OPTION in names[0..n) for "OPTION=VALUE": its index, or an error. */
static int option_split(struct tp *t, char *opt, const char *const *names, int n, char **val,
                        int *idx)
{
    char *eq = strchr(opt, '=');

    if (!eq)
        return tp_err(t, "expected OPTION=VALUE, not '%s'", opt);
    *eq = '\0';
    *val = eq + 1;
    for (int i = 0; i < n; i++)
        if (strcasecmp(opt, names[i]) == 0) {
            *idx = i;
            return 0;
        }
    return tp_err(t, "unknown option '%s'", opt);
}

/* ---- lines ---- */

/* savings = CODE CLASS ACCOUNT [bunga= metode= min= pajak= jangka= denda-putus= beban=] */
static int parse_savings(struct tp *t, char *v)
{
    static const char *const opts[] = {"bunga",  "metode",      "min",  "pajak",
                                       "jangka", "denda-putus", "beban"};
    struct proto_savings_product *s;
    char *code, *cls, *acct, *opt, *val, *unit;
    unsigned given = 0;
    uint32_t i, x;
    int rc, k;

    if (is_none(v))
        return list_row(t, L_SAVINGS, true, &i);
    code = word_next(&v, false);
    cls = word_next(&v, false);
    acct = word_next(&v, false);
    if (!acct)
        return tp_err(t, "a savings line reads 'savings = CODE CLASS ACCOUNT [OPTIONS]' (e.g. "
                         "'savings = SS sukarela 2100 bunga=3%%/tahun metode=harian beban=5100')");
    if ((rc = list_row(t, L_SAVINGS, false, &i)) < 0)
        return rc;
    s = &t->p->savings[i];
    if (!code_valid(code))
        return tp_err(t, "invalid product code '%s' (1 to 8 capital letters or digits)", code);
    memcpy(s->code, code, strlen(code) + 1);
    if ((rc = want_word(t, sav_classes, NWORDS(sav_classes), "savings class", cls, &x)) < 0)
        return rc;
    s->class = (uint8_t)x;
    if ((rc = want_acct(t, acct, &s->account)) < 0)
        return rc;
    while ((opt = word_next(&v, false)) != NULL) {
        if ((rc = option_split(t, opt, opts, (int)NWORDS(opts), &val, &k)) < 0)
            return rc;
        if (given & (1u << k))
            return tp_err(t, "option '%s' is given twice", opts[k]);
        given |= 1u << k;
        switch (k) {
        case 0: /* bunga=PCT/tahun */
            val = split_unit(val, &unit);
            if ((rc = want_pct(t, "bunga", val, PROTO_PARAMS_RATE_MAX, &s->rate_ppm)) < 0 ||
                (rc = want_word(t, rate_periods, NWORDS(rate_periods), "rate period (after '/')",
                                unit, &x)) < 0)
                return rc;
            if ((uint64_t)s->rate_ppm * (x == 1 ? 12 : 1) > PROTO_PARAMS_RATE_MAX)
                return tp_err(t, "bunga above 1000%% a year");
            s->rate_ppm *= x == 1 ? 12 : 1;
            break;
        case 1:
            if ((rc = want_word(t, sav_methods, NWORDS(sav_methods), "interest method", val, &x)) <
                0)
                return rc;
            s->method = (uint8_t)x;
            break;
        case 2:
            if ((rc = want_amount(t, "min", val, &s->min_balance)) < 0)
                return rc;
            break;
        case 3: { /* pajak=PCT[>AMOUNT] */
            char *gt = strchr(val, '>');

            if (gt)
                *gt = '\0';
            if ((rc = want_pct(t, "pajak", val, PPM, &s->tax_ppm)) < 0 ||
                (gt && (rc = want_amount(t, "the tax threshold", gt + 1, &s->tax_threshold)) < 0))
                return rc;
            break;
        }
        case 4:
            if ((rc = want_uint(t, "term in months", val, 1, TERM_MAX, &s->term_months)) < 0)
                return rc;
            break;
        case 5:
            if ((rc = want_pct(t, "denda-putus", val, PPM, &s->break_fee_ppm)) < 0)
                return rc;
            break;
        default:
            if ((rc = want_acct(t, val, &s->expense_account)) < 0)
                return rc;
            break;
        }
    }
    if (!(given & 2u))
        s->method =
            s->class == PROTO_SAV_BERJANGKA && s->rate_ppm > 0 ? PROTO_SAVM_TERM : PROTO_SAVM_NONE;
    return 0;
}

/* A fee: PCT or AMOUNT, then @ACCOUNT. */
static int parse_fee(struct tp *t, struct proto_loan_product *l, char *val)
{
    struct proto_loan_fee_rule *f;
    char *at = strchr(val, '@');
    uint32_t ppm;
    int rc;

    if (l->nfees >= PROTO_PARAMS_FEES_MAX)
        return tp_err(t, "too many fees (at most %u)", PROTO_PARAMS_FEES_MAX);
    f = &l->fees[l->nfees++];
    if (at)
        *at = '\0';
    f->account = FEE_ACCOUNT;
    if (at && (rc = want_acct(t, at + 1, &f->account)) < 0)
        return rc;
    if (strchr(val, '%')) {
        if ((rc = want_pct(t, "a fee", val, PPM, &ppm)) < 0)
            return rc;
        f->type = 2;
        f->value = ppm;
        return 0;
    }
    f->type = 1;
    return want_amount(t, "a fee", val, &f->value);
}

/* loan = CODE METHOD PCT/bulan tenor=MIN..MAX plafon=MIN..MAX [OPTIONS] */
static int parse_loan(struct tp *t, char *v)
{
    static const char *const opts[] = {"tenor", "plafon", "denda",   "tenggang", "kelipatan",
                                       "akun",  "admin",  "provisi", "biaya"};
    struct proto_loan_product *l;
    char *code, *method, *rate, *unit, *opt, *val;
    unsigned given = 0;
    uint64_t a, b;
    uint32_t i, x;
    int rc, k;

    if (is_none(v))
        return list_row(t, L_LOANS, true, &i);
    code = word_next(&v, false);
    method = word_next(&v, false);
    rate = word_next(&v, false);
    if (!rate)
        return tp_err(t, "a loan line reads 'loan = CODE METHOD RATE/PERIOD tenor=MIN..MAX "
                         "plafon=MIN..MAX [OPTIONS]' (e.g. 'loan = PU flat 1,5%%/bulan "
                         "tenor=3..36 plafon=1.000.000..50.000.000')");
    if ((rc = list_row(t, L_LOANS, false, &i)) < 0)
        return rc;
    l = &t->p->loans[i];
    if (!code_valid(code))
        return tp_err(t, "invalid product code '%s' (1 to 8 capital letters or digits)", code);
    memcpy(l->code, code, strlen(code) + 1);
    if ((rc = want_word(t, loan_methods, NWORDS(loan_methods), "loan method", method, &x)) < 0)
        return rc;
    l->method = (uint8_t)x;
    rate = split_unit(rate, &unit);
    if ((rc = want_pct(t, "the rate", rate, PROTO_PARAMS_RATE_MAX, &l->rate_ppm)) < 0 ||
        (rc = want_word(t, rate_periods, NWORDS(rate_periods), "rate period (after '/')", unit,
                        &x)) < 0)
        return rc;
    l->rate_period = (uint8_t)x;
    l->receivable = 1200;
    l->interest = 4100;
    l->penalty = 4210;
    while ((opt = word_next(&v, false)) != NULL) {
        if ((rc = option_split(t, opt, opts, (int)NWORDS(opts), &val, &k)) < 0)
            return rc;
        if (k < 6 && (given & (1u << k)))
            return tp_err(t, "option '%s' is given twice", opts[k]);
        given |= 1u << k;
        switch (k) {
        case 0:
            if ((rc = want_range(t, "tenor", val, 1, PROTO_LOAN_PERIODS_MAX, false, &a, &b)) < 0)
                return rc;
            l->periods_min = (uint32_t)a;
            l->periods_max = (uint32_t)b;
            break;
        case 1:
            if ((rc = want_range(t, "plafon", val, 1, PROTO_AMOUNT_MAX, true, &a, &b)) < 0)
                return rc;
            l->principal_min = a;
            l->principal_max = b;
            break;
        case 2: /* denda=PCT/hari */
            val = split_unit(val, &unit);
            if ((rc = want_pct(t, "denda", val, PROTO_LOAN_LATE_MAX, &l->late_rate_ppm)) < 0 ||
                (rc = want_word(t, late_bases, NWORDS(late_bases), "late-fee basis (after '/')",
                                unit, &x)) < 0)
                return rc;
            l->has_late = true;
            l->late_basis = (uint8_t)x;
            break;
        case 3:
            if ((rc = want_uint(t, "tenggang (days)", val, 0, DAYS_MAX, &l->late_grace_days)) < 0)
                return rc;
            break;
        case 4:
            if ((rc = want_pct(t, "kelipatan", val, MULTIPLE_MAX, &l->savings_multiple_ppm)) < 0)
                return rc;
            break;
        case 5: {
            uint32_t codes[3], n;

            if ((rc = want_accts(t, val, 3, 3, codes, &n)) < 0)
                return rc;
            l->receivable = codes[0];
            l->interest = codes[1];
            l->penalty = codes[2];
            break;
        }
        default:
            if ((rc = parse_fee(t, l, val)) < 0)
                return rc;
            break;
        }
    }
    if (!(given & 1u) || !(given & 2u))
        return tp_err(t, "a loan product needs tenor=MIN..MAX and plafon=MIN..MAX");
    if ((given & 8u) && !l->has_late)
        return tp_err(t, "tenggang needs denda=PCT/hari or denda=PCT/bulan");
    return 0;
}

/* bucket = CLASS MIN..[MAX] PCT */
static int parse_bucket(struct tp *t, char *v)
{
    struct proto_params_risk *r;
    char *cls = word_next(&v, false), *range = word_next(&v, false), *pct = word_next(&v, false);
    char *dots;
    uint32_t i, x;
    int rc;

    if (!pct || word_next(&v, false))
        return tp_err(t, "a bucket line reads 'bucket = CLASS MIN..MAX PCT' (e.g. 'bucket = "
                         "lancar 0..90 0,5%%'; the last one 'macet 271.. 100%%')");
    if ((rc = list_row(t, L_BUCKETS, false, &i)) < 0)
        return rc;
    r = &t->p->risk[i];
    if ((rc = want_word(t, bucket_classes, NWORDS(bucket_classes), "collectibility class", cls,
                        &x)) < 0)
        return rc;
    r->class = (uint8_t)x;
    dots = strstr(range, "..");
    if (!dots)
        return tp_err(t, "invalid day range '%s' (MIN..MAX, or MIN.. for the last bucket)", range);
    *dots = '\0';
    r->max_days = PROTO_LOAN_DAYS_OPEN; /* "MIN..": the open-ended last bucket */
    if (!u32_parse(range, 0, UINT32_MAX, &r->min_days) ||
        (dots[2] && !u32_parse(dots + 2, 0, UINT32_MAX, &r->max_days)))
        return tp_err(t, "invalid day range '%s..%s' (whole numbers of days)", range, dots + 2);
    return want_pct(t, "the PPAP rate", pct, PPM, &r->ppap_ppm);
}

/* shu = NAME PCT ACCOUNT [modal|usaha] [sisa], read from the right so names may hold anything */
static int parse_shu(struct tp *t, char *v)
{
    struct proto_params_shu_part *s;
    size_t start[TOKENS_MAX], end[TOKENS_MAX];
    uint32_t n = 0, i;
    bool residual = false;
    char *name;
    int rc;

    for (size_t k = 0; v[k];) {
        while (is_blank(v[k]))
            k++;
        if (!v[k])
            break;
        if (n == TOKENS_MAX)
            return tp_err(t, "shu line too long");
        start[n] = k;
        while (v[k] && !is_blank(v[k]))
            k++;
        end[n++] = k;
    }
    if ((rc = list_row(t, L_SHU, false, &i)) < 0)
        return rc;
    s = &t->p->shu[i];
    for (int f = 0; f < 2 && n > 0; f++) {
        char *w = v + start[n - 1];
        size_t len = end[n - 1] - start[n - 1];

        if (len == 4 && strncasecmp(w, "sisa", 4) == 0 && !residual)
            residual = true;
        else if (len == 5 && strncasecmp(w, "modal", 5) == 0 && s->role == 0)
            s->role = PROTO_SHU_ROLE_MODAL;
        else if (len == 5 && strncasecmp(w, "usaha", 5) == 0 && s->role == 0)
            s->role = PROTO_SHU_ROLE_USAHA;
        else
            break;
        n--;
    }
    if (n < 3)
        return tp_err(t, "a shu line reads 'shu = NAME PCT ACCOUNT [modal|usaha] [sisa]' (e.g. "
                         "'shu = Cadangan umum 40%% 3400 sisa')");
    v[end[n - 1]] = '\0';
    if ((rc = want_acct(t, v + start[n - 1], &s->account)) < 0)
        return rc;
    v[end[n - 2]] = '\0';
    if ((rc = want_pct(t, "the part", v + start[n - 2], PPM, &s->ppm)) < 0)
        return rc;
    v[start[n - 2]] = '\0';
    name = trim(v);
    if (!name_valid(name, PROTO_SHU_NAME_MAX))
        return tp_err(t, "invalid part name '%s' (1 to %u bytes, no tabs)", name,
                      PROTO_SHU_NAME_MAX);
    memcpy(s->name, name, strlen(name) + 1);
    if (residual) {
        if (t->residual_line)
            return tp_err(t, "another part is already marked 'sisa' on line %u", t->residual_line);
        t->residual_line = t->line;
        t->p->shu_residual_part = i;
    }
    return 0;
}

/* author KIND = ROLE,ROLE... | tidak ada;  author = tidak ada */
static int parse_author(struct tp *t, const char *kind, char *v)
{
    struct proto_params_author *a;
    char *w;
    uint32_t i, role;
    int rc;

    if (!kind) {
        if (!is_none(v))
            return tp_err(t, "an author line reads 'author KIND = ROLE,ROLE'");
        return list_row(t, L_AUTHORS, true, &i);
    }
    if ((rc = list_row(t, L_AUTHORS, false, &i)) < 0)
        return rc;
    a = &t->p->authors[i];
    if ((rc = want_kind(t, kind, &a->kind)) < 0)
        return rc;
    if (is_none(v))
        return 0;
    while ((w = word_next(&v, true)) != NULL) {
        if ((rc = want_word(t, dev_roles, NWORDS(dev_roles), "role", w, &role)) < 0)
            return rc;
        a->roles |= PROTO_ROLE_BIT(role);
    }
    if (a->roles == 0)
        return tp_err(t, "name the roles (e.g. 'author %s = pengurus,kasir'), or 'tidak ada'",
                      kind);
    return 0;
}

/* countersign KIND = anggota | anggota-atau-pengawas | tidak ada;  countersign = tidak ada */
static int parse_csign(struct tp *t, const char *kind, char *v)
{
    struct proto_params_csign *c;
    uint32_t i, x;
    int rc;

    if (!kind) {
        if (!is_none(v))
            return tp_err(t, "a countersign line reads 'countersign KIND = anggota'");
        return list_row(t, L_CSIGN, true, &i);
    }
    if ((rc = list_row(t, L_CSIGN, false, &i)) < 0)
        return rc;
    c = &t->p->csign[i];
    if ((rc = want_kind(t, kind, &c->kind)) < 0)
        return rc;
    if (is_none(v)) {
        c->mode = PROTO_CSIGN_NONE;
        return 0;
    }
    if ((rc = want_word(t, csign_modes, NWORDS(csign_modes), "countersignature", v, &x)) < 0)
        return rc;
    c->mode = (uint8_t)x;
    return 0;
}

/* approve KIND >= AMOUNT : TERMS;  approve tidak ada */
static int parse_approve(struct tp *t, char *v)
{
    struct proto_params_approval *m;
    char *ge, *colon, *kind, *amount;
    uint32_t i;
    int rc;

    v = trim(v);
    if (is_none(v))
        return list_row(t, L_MATRIX, true, &i);
    ge = strstr(v, ">=");
    colon = ge ? strchr(ge, ':') : NULL;
    if (!colon)
        return tp_err(t, "an approve line reads 'approve KIND >= AMOUNT : N pengurus + M "
                         "pengawas' (e.g. 'approve loan-apply >= 5.000.000 : 2 pengurus')");
    *ge = '\0';
    *colon = '\0';
    kind = trim(v);
    amount = trim(ge + 2);
    if ((rc = list_row(t, L_MATRIX, false, &i)) < 0)
        return rc;
    m = &t->p->matrix[i];
    if ((rc = want_kind(t, kind, &m->kind)) < 0 ||
        (rc = want_amount(t, "the minimum amount", amount, &m->min_amount)) < 0)
        return rc;
    return want_terms(t, colon + 1, &m->pengurus, &m->pengawas, &m->offices);
}

/* role ROLE = ACCOUNT,... */
static int parse_role(struct tp *t, const char *role, char *v)
{
    uint32_t codes[PROTO_PARAMS_ROLES_MAX], n, r, i;
    int rc;

    if (!role || (!word_value(acct_roles, NWORDS(acct_roles), role, &r) &&
                  !u32_parse(role, PROTO_AR_CASH, PROTO_AR_MAX, &r)))
        return tp_err(t,
                      "unknown account role '%s' (e.g. kas, pinjaman-anggota, "
                      "utang-anggota-keluar, or 1 to %u)",
                      role ? role : "", PROTO_AR_MAX);
    if ((rc = want_accts(t, v, 1, PROTO_PARAMS_ROLES_MAX, codes, &n)) < 0)
        return rc;
    for (uint32_t k = 0; k < n; k++) {
        if ((rc = list_row(t, L_ROLES, false, &i)) < 0)
            return rc;
        t->p->roles[i].role = (uint8_t)r;
        t->p->roles[i].code = codes[k];
    }
    return 0;
}

/* add-account = CODE TYPE SUB NAME */
static int parse_add(struct tp *t, char *v)
{
    struct proto_account *a;
    char *code = word_next(&v, false), *type = word_next(&v, false), *sub = word_next(&v, false);
    char *name = trim(v);
    uint32_t i, x;
    int rc;

    if (!sub || !*name)
        return tp_err(t, "an add-account line reads 'add-account = CODE TYPE SUB NAME' (e.g. "
                         "'add-account = 2150 L yes Simpanan qurban')");
    if ((rc = list_row(t, L_ADD, false, &i)) < 0)
        return rc;
    a = &t->p->add[i];
    if ((rc = want_acct(t, code, &a->code)) < 0 ||
        (rc = want_word(t, acct_types, NWORDS(acct_types), "account type", type, &x)) < 0)
        return rc;
    a->type = (uint8_t)x;
    if ((rc = want_word(t, bools, NWORDS(bools), "member sub-ledger (yes or no)", sub, &x)) < 0)
        return rc;
    a->sub = x != 0;
    if (!name_valid(name, PROTO_ACCOUNT_NAME_MAX))
        return tp_err(t, "invalid account name (1 to %u bytes, no tabs)", PROTO_ACCOUNT_NAME_MAX);
    memcpy(a->name, name, strlen(name) + 1);
    return 0;
}

/* lhu = ACCOUNT SECTION */
static int parse_lhu(struct tp *t, char *v)
{
    char *code = word_next(&v, false), *sec = word_next(&v, false);
    uint32_t i, x;
    int rc;

    if (!sec || word_next(&v, false))
        return tp_err(t, "an lhu line reads 'lhu = ACCOUNT SECTION' (section 1 to 7)");
    if ((rc = list_row(t, L_LHU, false, &i)) < 0 ||
        (rc = want_acct(t, code, &t->p->lhu[i].code)) < 0 ||
        (rc = want_uint(t, "LHU section", sec, 1, 7, &x)) < 0)
        return rc;
    t->p->lhu[i].section = (uint8_t)x;
    return 0;
}

/* cashflow = FROM..TO ACTIVITY LINE */
static int parse_cf(struct tp *t, char *v)
{
    struct proto_params_cf *c;
    char *range = word_next(&v, false), *act = word_next(&v, false), *line = word_next(&v, false);
    uint64_t a, b;
    uint32_t i, x;
    int rc;

    if (!line || word_next(&v, false))
        return tp_err(t, "a cashflow line reads 'cashflow = FROM..TO ACTIVITY LINE' (e.g. "
                         "'cashflow = 2150..2150 operasi 9')");
    if ((rc = list_row(t, L_CF, false, &i)) < 0)
        return rc;
    c = &t->p->cf[i];
    if ((rc = want_range(t, "account range", range, 1000, 9999, false, &a, &b)) < 0)
        return rc;
    if (a > b)
        return tp_err(t, "account range '%s' runs backwards", range);
    c->from = (uint32_t)a;
    c->to = (uint32_t)b;
    if ((rc = want_word(t, cf_activities, NWORDS(cf_activities), "activity", act, &x)) < 0)
        return rc;
    c->activity = (uint8_t)x;
    if ((rc = want_uint(t, "cash-flow line", line, 1, 99, &x)) < 0)
        return rc;
    c->line = (uint8_t)x;
    return 0;
}

/* A basis word then accounts: shu-capital, shu-usage. */
static int parse_basis(struct tp *t, const struct word *tab, size_t n, char *v,
                       struct proto_params_accounts *b)
{
    char *w = word_next(&v, false);
    uint32_t x;
    int rc;

    if ((rc = want_word(t, tab, n, "basis", w, &x)) < 0)
        return rc;
    memset(b, 0, sizeof *b);
    b->basis = (uint8_t)x;
    return want_accts(t, v, 1, PROTO_PARAMS_ACCTS_MAX, b->codes, &b->n);
}

static int parse_u8(struct tp *t, const char *what, const char *v, uint32_t lo, uint32_t hi,
                    uint8_t *out)
{
    uint32_t x;
    int rc = want_uint(t, what, v, lo, hi, &x);

    if (rc == 0)
        *out = (uint8_t)x;
    return rc;
}

static int parse_bool(struct tp *t, const char *v, bool *out)
{
    uint32_t x;
    int rc = want_word(t, bools, NWORDS(bools), "answer", v, &x);

    if (rc == 0)
        *out = x != 0;
    return rc;
}

static int parse_once(struct tp *t, int k, char *v)
{
    struct proto_params *p = t->p;
    uint64_t a;
    uint32_t x;
    char *w, *unit;
    int rc;

    if ((rc = once(t, k)) < 0)
        return rc;
    switch (k) {
    case K_ADOPTED:
    case K_EFFECTIVE:
        if (!date_parse(v, k == K_ADOPTED ? &p->adopted : &p->effective))
            return tp_err(t, "invalid date '%s' (YYYY-MM-DD)", v);
        return 0;
    case K_POKOK:
        return want_amount(t, "pokok", v, &p->pokok);
    case K_WAJIB: /* AMOUNT [/ [N] bulan] */
        v = split_unit(v, &unit);
        if ((rc = want_amount(t, "wajib", v, &p->wajib)) < 0)
            return rc;
        p->wajib_months = 1;
        if (unit) {
            char *n = word_next(&unit, false), *b = word_next(&unit, false);

            if (n && !b && strcasecmp(n, "bulan") == 0)
                return 0;
            if (!b || strcasecmp(b, "bulan") != 0 || word_next(&unit, false))
                return tp_err(t, "the wajib period reads '/ N bulan' (N 1 to 12)");
            return want_uint(t, "number of months", n, 1, 12, &p->wajib_months);
        }
        return 0;
    case K_REFUND:
        return want_uint(t, "number of days", v, 0, DAYS_MAX, &p->refund_days);
    case K_WAIT:
        return want_uint(t, "number of days", v, 0, DAYS_MAX, &p->wait_days);
    case K_CALON:
        return parse_bool(t, v, &p->calon_allowed);
    case K_PARAMS_RAT:
        return parse_bool(t, v, &p->params_need_rat);
    case K_WRITEOFF_RAT:
        return parse_bool(t, v, &p->writeoff_need_rat);
    case K_ROUNDING:
        w = word_next(&v, false);
        if ((rc = want_word(t, round_modes, NWORDS(round_modes), "rounding mode", w, &x)) < 0)
            return rc;
        p->rounding.mode = (uint8_t)x;
        w = word_next(&v, false);
        if (!w || word_next(&v, false) || !amount_parse(w, &a) || a < 1 || a > PROTO_LOAN_UNIT_MAX)
            return tp_err(t, "rounding reads 'rounding = half-up|down|up UNIT' (UNIT 1 to "
                             "1.000.000 rupiah)");
        p->rounding.unit = (uint32_t)a;
        return 0;
    case K_OFFICER:
        return want_terms(t, v, &p->officer_extra_pengurus, &p->officer_extra_pengawas, NULL);
    case K_CAPITAL:
        return parse_basis(t, capital_bases, NWORDS(capital_bases), v, &p->shu_capital);
    case K_USAGE:
        return parse_basis(t, usage_bases, NWORDS(usage_bases), v, &p->shu_usage);
    case K_ELIGIBILITY:
        if ((rc = want_word(t, eligibilities, NWORDS(eligibilities), "eligibility", v, &x)) < 0)
            return rc;
        p->shu_eligibility = (uint8_t)x;
        return 0;
    case K_SHU_MODE:
        if ((rc = want_word(t, shu_modes, NWORDS(shu_modes), "rounding of the pools", v, &x)) < 0)
            return rc;
        p->shu_mode = (uint8_t)x;
        return 0;
    case K_NONMEMBER:
        memset(p->nonmember, 0, sizeof p->nonmember);
        p->nnonmember = 0;
        if (is_none(v))
            return 0;
        return want_accts(t, v, 1, PROTO_PARAMS_ACCTS_MAX, p->nonmember, &p->nnonmember);
    case K_FY:
        return parse_u8(t, "month", v, 1, 12, &p->fy_start_month);
    case K_RAT:
        return parse_u8(t, "number of months", v, 1, 12, &p->rat_months);
    default:
        return want_pct(t, "quorum", v, PPM, &p->quorum_ppm);
    }
}

/* One line, trimmed, without its comment, not blank. */
static int parse_line(struct tp *t, char *s)
{
    char *eq, *key, *v, *k1, *k2;

    if (strncasecmp(s, "approve", 7) == 0 && (is_blank(s[7]) || s[7] == '\0'))
        return parse_approve(t, s + 7);
    eq = strchr(s, '=');
    if (!eq)
        return tp_err(t, "expected 'key = value'");
    *eq = '\0';
    key = s;
    v = trim(eq + 1);
    k1 = word_next(&key, false);
    k2 = word_next(&key, false);
    if (!k1)
        return tp_err(t, "missing key before '='");
    if (word_next(&key, false))
        return tp_err(t, "unknown key '%s %s ...'", k1, k2);
    if (*v == '\0')
        return tp_err(t, "'%s' needs a value", k1);
    if (strcasecmp(k1, "author") == 0)
        return parse_author(t, k2, v);
    if (strcasecmp(k1, "countersign") == 0)
        return parse_csign(t, k2, v);
    if (strcasecmp(k1, "role") == 0)
        return parse_role(t, k2, v);
    if (k2)
        return tp_err(t, "unknown key '%s %s'", k1, k2);
    if (strcasecmp(k1, "savings") == 0)
        return parse_savings(t, v);
    if (strcasecmp(k1, "loan") == 0)
        return parse_loan(t, v);
    if (strcasecmp(k1, "bucket") == 0)
        return parse_bucket(t, v);
    if (strcasecmp(k1, "shu") == 0)
        return parse_shu(t, v);
    if (strcasecmp(k1, "add-account") == 0)
        return parse_add(t, v);
    if (strcasecmp(k1, "lhu") == 0)
        return parse_lhu(t, v);
    if (strcasecmp(k1, "cashflow") == 0)
        return parse_cf(t, v);
    for (int k = 0; k < K_COUNT; k++)
        if (strcasecmp(k1, key_names[k]) == 0)
            return parse_once(t, k, v);
    return tp_err(t, "unknown key '%s'", k1);
}

/* UTF-8 without control characters (a tab passes). */
static bool text_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return proto_mp_utf8_valid((const uint8_t *)s, n);
}

/* Cuts a comment: '#' at the start of the line or after a blank. */
static void strip_comment(char *s)
{
    for (size_t i = 0; s[i]; i++)
        if (s[i] == '#' && (i == 0 || is_blank(s[i - 1]))) {
            s[i] = '\0';
            return;
        }
}

int proto_params_text_parse(const char *name, const char *text, size_t len, struct proto_params *p,
                            char *err, size_t errlen)
{
    struct tp t;
    char *buf = NULL, *s, *end;
    int rc = 0;

    if (err && errlen)
        err[0] = '\0';
    if (!p)
        return -EINVAL;
    if (!name || (!text && len)) {
        memset(p, 0, sizeof *p);
        return -EINVAL;
    }
    memset(&t, 0, sizeof t);
    t.name = name;
    t.err = err;
    t.errlen = err ? errlen : 0;
    t.p = p;
    proto_params_default(p, 0);
    if (len > PROTO_PARAMS_TEXT_MAX) {
        rc = tp_err(&t, "too large for a parameter file (%zu bytes, at most %u)", len,
                    PROTO_PARAMS_TEXT_MAX);
        goto out;
    }
    buf = malloc(len + 1);
    if (!buf) {
        rc = -ENOMEM;
        goto out;
    }
    if (len)
        memcpy(buf, text, len);
    buf[len] = '\0';
    s = buf;
    end = buf + len;
    if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        s += 3;
    while (s < end) {
        char *nl = memchr(s, '\n', (size_t)(end - s)), *line;
        size_t n;

        if (!nl)
            nl = end;
        *nl = '\0';
        n = (size_t)(nl - s);
        t.line++;
        if (n > 0 && s[n - 1] == '\r')
            s[--n] = '\0';
        if (memchr(s, '\0', n)) {
            rc = tp_err(&t, "contains a NUL byte (is this a text file?)");
            goto out;
        }
        if (!text_ok(s, n)) {
            rc = tp_err(&t, "not valid UTF-8 text, or holds a control character");
            goto out;
        }
        strip_comment(s);
        line = trim(s);
        if (*line && (rc = parse_line(&t, line)) < 0)
            goto out;
        s = nl + 1;
    }
    if (t.first[L_SHU] && !t.residual_line) {
        t.line = t.first[L_SHU];
        rc = tp_err(&t, "no 'shu' line is marked 'sisa' (the part that receives residuals)");
        goto out;
    }
    t.line = 0;
    if (!t.seen[K_EFFECTIVE]) {
        rc = tp_err(&t, "missing 'effective = YYYY-MM-DD' (the first day the parameters are "
                        "meant for)");
        goto out;
    }
    if (!t.seen[K_ADOPTED])
        p->adopted = p->effective;
    rc = 0;
out:
    free(buf);
    if (rc < 0)
        memset(p, 0, sizeof *p);
    return rc;
}

/* ---- writer ---- */

__attribute__((format(printf, 2, 3))) static int put(struct proto_buf *b, const char *fmt, ...)
{
    va_list ap, aq;
    int n, rc;

    va_start(ap, fmt);
    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(aq);
        return -EINVAL;
    }
    rc = proto_buf_reserve(b, (size_t)n + 1);
    if (rc == 0) {
        (void)vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, aq);
        b->len += (size_t)n;
    }
    va_end(aq);
    return rc;
}

/* 1234567 -> "1.234.567" (buf: 32 bytes). */
static const char *fmt_amount(uint64_t v, char *buf)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), o = 0;

    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = '.';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* 15000 ppm -> "1,5%" (buf: 32 bytes). */
static const char *fmt_pct(uint64_t ppm, char *buf)
{
    uint64_t frac = ppm % 10000;
    int n = snprintf(buf, 32, "%llu", (unsigned long long)(ppm / 10000));

    if (frac) {
        char f[8];
        int k = snprintf(f, sizeof f, "%04u", (unsigned)frac);

        while (k > 0 && f[k - 1] == '0')
            f[--k] = '\0';
        n += snprintf(buf + n, (size_t)(32 - n), ",%s", f);
    }
    (void)snprintf(buf + n, (size_t)(32 - n), "%%");
    return buf;
}

static const char *fmt_kind(uint32_t kind, char *buf)
{
    const char *s = word_name(kinds, NWORDS(kinds), kind);

    if (s)
        return s;
    (void)snprintf(buf, 16, "%u", kind);
    return buf;
}

/* true if a name reads back the same from a line: no outer blank, nothing that starts a
 * comment. */
static bool name_writable(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);

    if (n == cap || !name_valid(s, cap - 1) || is_blank(s[0]) || is_blank(s[n - 1]) || s[0] == '#')
        return false;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '#' && is_blank(s[i - 1]))
            return false;
    return true;
}

static bool writable(const struct proto_params *p)
{
    if (p->fmt != PROTO_PARAMS_FMT || p->nadd > PROTO_PARAMS_ADD_MAX ||
        p->nroles > PROTO_PARAMS_ROLES_MAX || p->nauthors > PROTO_PARAMS_AUTHORS_MAX ||
        p->nmatrix > PROTO_PARAMS_MATRIX_MAX || p->ncsign > PROTO_PARAMS_CSIGN_MAX ||
        p->nsavings < 1 || p->nsavings > PROTO_PARAMS_SAVINGS_MAX ||
        p->nloans > PROTO_PARAMS_LOANS_MAX || p->nrisk < 1 || p->nrisk > PROTO_PARAMS_RISK_MAX ||
        p->nshu < 1 || p->nshu > PROTO_SHU_PARTS_MAX || p->shu_residual_part >= p->nshu ||
        p->nlhu > PROTO_PARAMS_LHU_MAX || p->ncf > PROTO_PARAMS_CF_MAX)
        return false;
    for (uint32_t i = 0; i < p->nadd; i++)
        if (!name_writable(p->add[i].name, sizeof p->add[i].name))
            return false;
    for (uint32_t i = 0; i < p->nshu; i++)
        if (!name_writable(p->shu[i].name, sizeof p->shu[i].name))
            return false;
    for (uint32_t i = 0; i < p->nloans; i++)
        if (p->loans[i].nfees > PROTO_PARAMS_FEES_MAX)
            return false;
    return true;
}

/* Appends "a,b,c". */
static int put_codes(struct proto_buf *b, const uint32_t *codes, uint32_t n)
{
    int rc = 0;

    for (uint32_t i = 0; i < n && rc == 0; i++)
        rc = put(b, "%s%u", i ? "," : "", codes[i]);
    return rc;
}

/* Appends a word from a table, or fails with -EINVAL for a value the text form cannot name. */
static int put_word(struct proto_buf *b, const struct word *t, size_t n, uint32_t v,
                    const char *prefix)
{
    const char *s = word_name(t, n, v);

    return s ? put(b, "%s%s", prefix, s) : -EINVAL;
}

static int write_terms(struct proto_buf *b, uint32_t pengurus, uint32_t pengawas, uint32_t offs)
{
    const char *sep = "";
    int rc = 0;

    if (pengurus == 0 && pengawas == 0 && offs == 0)
        return put(b, "tidak ada\n");
    if (pengurus) {
        rc = put(b, "%u pengurus", pengurus);
        sep = " + ";
    }
    if (rc == 0 && pengawas) {
        rc = put(b, "%s%u pengawas", sep, pengawas);
        sep = " + ";
    }
    for (uint32_t o = PROTO_OFFICE_KETUA; rc == 0 && o <= PROTO_OFFICE_BENDAHARA; o++)
        if (offs & PROTO_OFFICE_BIT(o)) {
            rc = put(b, "%s%s", sep, word_name(offices, NWORDS(offices), o));
            sep = " + ";
        }
    if (rc == 0 && (offs & ~(uint32_t)0x0e))
        return -EINVAL;
    return rc ? rc : put(b, "\n");
}

static int write_governance(struct proto_buf *b, const struct proto_params *p)
{
    char k[16], am[32];
    int rc;

    if ((rc = put(b,
                  "\n# Tata kelola / governance\nparams-need-rat = %s\nwriteoff-need-rat = "
                  "%s\nwait-days = %u\n",
                  p->params_need_rat ? "ya" : "tidak", p->writeoff_need_rat ? "ya" : "tidak",
                  p->wait_days)) < 0)
        return rc;
    if (p->nauthors == 0 && (rc = put(b, "author = tidak ada\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nauthors; i++) {
        const char *sep = "";

        if ((rc = put(b, "author %s = ", fmt_kind(p->authors[i].kind, k))) < 0)
            return rc;
        if (p->authors[i].roles == 0 && (rc = put(b, "tidak ada")) < 0)
            return rc;
        if (p->authors[i].roles & ~(uint32_t)0x1e)
            return -EINVAL;
        for (uint32_t r = PROTO_ROLE_PENGURUS; r <= PROTO_ROLE_ANGGOTA; r++)
            if (p->authors[i].roles & PROTO_ROLE_BIT(r)) {
                if ((rc = put(b, "%s%s", sep, proto_role_name((uint8_t)r))) < 0)
                    return rc;
                sep = ",";
            }
        if ((rc = put(b, "\n")) < 0)
            return rc;
    }
    if (p->nmatrix == 0 && (rc = put(b, "approve tidak ada\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nmatrix; i++) {
        const struct proto_params_approval *m = &p->matrix[i];

        if ((rc = put(b, "approve %s >= %s : ", fmt_kind(m->kind, k),
                      fmt_amount(m->min_amount, am))) < 0 ||
            (rc = write_terms(b, m->pengurus, m->pengawas, m->offices)) < 0)
            return rc;
    }
    if ((rc = put(b, "officer-extra = ")) < 0 ||
        (rc = write_terms(b, p->officer_extra_pengurus, p->officer_extra_pengawas, 0)) < 0)
        return rc;
    if (p->ncsign == 0 && (rc = put(b, "countersign = tidak ada\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->ncsign; i++) {
        if ((rc = put(b, "countersign %s = ", fmt_kind(p->csign[i].kind, k))) < 0)
            return rc;
        if (p->csign[i].mode == PROTO_CSIGN_NONE)
            rc = put(b, "tidak ada");
        else
            rc = put_word(b, csign_modes, NWORDS(csign_modes), p->csign[i].mode, "");
        if (rc < 0 || (rc = put(b, "\n")) < 0)
            return rc;
    }
    return 0;
}

static int write_savings(struct proto_buf *b, const struct proto_savings_product *s)
{
    uint8_t derived =
        s->class == PROTO_SAV_BERJANGKA && s->rate_ppm > 0 ? PROTO_SAVM_TERM : PROTO_SAVM_NONE;
    char x[32], y[32];
    int rc;

    if ((rc = put(b, "savings = %s", s->code)) < 0 ||
        (rc = put_word(b, sav_classes, NWORDS(sav_classes), s->class, " ")) < 0 ||
        (rc = put(b, " %u", s->account)) < 0)
        return rc;
    if (s->rate_ppm && (rc = put(b, " bunga=%s/tahun", fmt_pct(s->rate_ppm, x))) < 0)
        return rc;
    if (s->method != derived &&
        (rc = put_word(b, sav_methods, NWORDS(sav_methods), s->method, " metode=")) < 0)
        return rc;
    if (s->min_balance && (rc = put(b, " min=%s", fmt_amount(s->min_balance, x))) < 0)
        return rc;
    if (s->tax_ppm || s->tax_threshold) {
        if ((rc = put(b, " pajak=%s", fmt_pct(s->tax_ppm, x))) < 0 ||
            (s->tax_threshold && (rc = put(b, ">%s", fmt_amount(s->tax_threshold, y))) < 0))
            return rc;
    }
    if (s->term_months && (rc = put(b, " jangka=%u", s->term_months)) < 0)
        return rc;
    if (s->break_fee_ppm && (rc = put(b, " denda-putus=%s", fmt_pct(s->break_fee_ppm, x))) < 0)
        return rc;
    if (s->expense_account && (rc = put(b, " beban=%u", s->expense_account)) < 0)
        return rc;
    return put(b, "\n");
}

static int write_loan(struct proto_buf *b, const struct proto_loan_product *l)
{
    static const char *const fee_names[] = {"admin", "provisi", "biaya", "biaya"};
    char x[32], y[32];
    int rc;

    if ((rc = put(b, "loan = %s", l->code)) < 0 ||
        (rc = put_word(b, loan_methods, NWORDS(loan_methods), l->method, " ")) < 0 ||
        (rc = put(b, " %s", fmt_pct(l->rate_ppm, x))) < 0 ||
        (rc = put_word(b, rate_periods, NWORDS(rate_periods), l->rate_period, "/")) < 0 ||
        (rc = put(b, " tenor=%u..%u plafon=%s..%s", l->periods_min, l->periods_max,
                  fmt_amount(l->principal_min, x), fmt_amount(l->principal_max, y))) < 0)
        return rc;
    for (uint32_t i = 0; i < l->nfees; i++) {
        const struct proto_loan_fee_rule *f = &l->fees[i];

        if (f->type != 1 && f->type != 2)
            return -EINVAL;
        if ((rc = put(b, " %s=%s", fee_names[i],
                      f->type == 2 ? fmt_pct(f->value, x) : fmt_amount(f->value, x))) < 0 ||
            (f->account != FEE_ACCOUNT && (rc = put(b, "@%u", f->account)) < 0))
            return rc;
    }
    if (l->has_late) {
        if ((rc = put(b, " denda=%s", fmt_pct(l->late_rate_ppm, x))) < 0 ||
            (rc = put_word(b, late_bases, NWORDS(late_bases), l->late_basis, "/")) < 0 ||
            (l->late_grace_days && (rc = put(b, " tenggang=%u", l->late_grace_days)) < 0))
            return rc;
    }
    if (l->savings_multiple_ppm &&
        (rc = put(b, " kelipatan=%s", fmt_pct(l->savings_multiple_ppm, x))) < 0)
        return rc;
    if ((l->receivable != 1200 || l->interest != 4100 || l->penalty != 4210) &&
        (rc = put(b, " akun=%u,%u,%u", l->receivable, l->interest, l->penalty)) < 0)
        return rc;
    return put(b, "\n");
}

static int write_products(struct proto_buf *b, const struct proto_params *p)
{
    char x[32];
    int rc;

    if ((rc = put(b, "\n# Simpanan / savings\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nsavings; i++)
        if ((rc = write_savings(b, &p->savings[i])) < 0)
            return rc;
    if ((rc = put(b, "\n# Pinjaman / loans\n")) < 0 ||
        (rc = put_word(b, round_modes, NWORDS(round_modes), p->rounding.mode, "rounding = ")) < 0 ||
        (rc = put(b, " %s\n", fmt_amount(p->rounding.unit, x))) < 0)
        return rc;
    if (p->nloans == 0 && (rc = put(b, "loan = tidak ada\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nloans; i++)
        if ((rc = write_loan(b, &p->loans[i])) < 0)
            return rc;
    if ((rc = put(b, "\n# Kolektibilitas dan PPAP / collectibility and allowance\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nrisk; i++) {
        const struct proto_params_risk *r = &p->risk[i];

        if ((rc = put_word(b, bucket_classes, NWORDS(bucket_classes), r->class, "bucket = ")) < 0 ||
            (rc = put(b, " %u..", r->min_days)) < 0 ||
            (r->max_days != PROTO_LOAN_DAYS_OPEN && (rc = put(b, "%u", r->max_days)) < 0) ||
            (rc = put(b, " %s\n", fmt_pct(r->ppap_ppm, x))) < 0)
            return rc;
    }
    return 0;
}

static int write_shu(struct proto_buf *b, const struct proto_params *p)
{
    char x[32];
    int rc;

    if ((rc = put(b, "\n# SHU\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nshu; i++) {
        const struct proto_params_shu_part *s = &p->shu[i];
        const char *role = s->role == PROTO_SHU_ROLE_MODAL   ? " modal"
                           : s->role == PROTO_SHU_ROLE_USAHA ? " usaha"
                                                             : "";

        if (s->role > PROTO_SHU_ROLE_USAHA)
            return -EINVAL;
        if ((rc = put(b, "shu = %s %s %u%s%s\n", s->name, fmt_pct(s->ppm, x), s->account, role,
                      i == p->shu_residual_part ? " sisa" : "")) < 0)
            return rc;
    }
    if ((rc = put_word(b, capital_bases, NWORDS(capital_bases), p->shu_capital.basis,
                       "shu-capital = ")) < 0 ||
        (rc = put(b, " ")) < 0 || (rc = put_codes(b, p->shu_capital.codes, p->shu_capital.n)) < 0 ||
        (rc = put_word(b, usage_bases, NWORDS(usage_bases), p->shu_usage.basis, "\nshu-usage = ")) <
            0 ||
        (rc = put(b, " ")) < 0 || (rc = put_codes(b, p->shu_usage.codes, p->shu_usage.n)) < 0 ||
        (rc = put_word(b, eligibilities, NWORDS(eligibilities), p->shu_eligibility,
                       "\nshu-eligibility = ")) < 0 ||
        (rc = put_word(b, shu_modes, NWORDS(shu_modes), p->shu_mode, "\nshu-mode = ")) < 0 ||
        (rc = put(b, "\nshu-nonmember = ")) < 0 ||
        (rc = p->nnonmember ? put_codes(b, p->nonmember, p->nnonmember) : put(b, "tidak ada")) <
            0 ||
        (rc = put(b, "\n")) < 0)
        return rc;
    return 0;
}

static int write_chart(struct proto_buf *b, const struct proto_params *p)
{
    int rc;

    if ((rc = put(b, "\n# Laporan / reporting\nfy-start-month = %u\nrat-months = %u\n",
                  p->fy_start_month, p->rat_months)) < 0)
        return rc;
    {
        char x[32];

        if ((rc = put(b, "quorum = %s\n", fmt_pct(p->quorum_ppm, x))) < 0)
            return rc;
    }
    for (uint32_t i = 0; i < p->nlhu; i++)
        if ((rc = put(b, "lhu = %u %u\n", p->lhu[i].code, p->lhu[i].section)) < 0)
            return rc;
    for (uint32_t i = 0; i < p->ncf; i++) {
        const struct proto_params_cf *c = &p->cf[i];

        if ((rc = put(b, "cashflow = %u..%u", c->from, c->to)) < 0 ||
            (rc = put_word(b, cf_activities, NWORDS(cf_activities), c->activity, " ")) < 0 ||
            (rc = put(b, " %u\n", c->line)) < 0)
            return rc;
    }
    if ((p->nadd || p->nroles) && (rc = put(b, "\n# Bagan akun / chart of accounts\n")) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nadd; i++) {
        const struct proto_account *a = &p->add[i];

        if ((rc = put(b, "add-account = %u", a->code)) < 0 ||
            (rc = put_word(b, acct_types, NWORDS(acct_types), a->type, " ")) < 0 ||
            (rc = put(b, " %s %s\n", a->sub ? "yes" : "no", a->name)) < 0)
            return rc;
    }
    for (uint32_t i = 0; i < p->nroles; i++)
        if ((rc = put_word(b, acct_roles, NWORDS(acct_roles), p->roles[i].role, "role ")) < 0 ||
            (rc = put(b, " = %u\n", p->roles[i].code)) < 0)
            return rc;
    return 0;
}

static int write_all(struct proto_buf *b, const struct proto_params *p)
{
    char d1[11], d2[11], x[32];
    int rc;

    (void)snprintf(d1, sizeof d1, "%04u-%02u-%02u", p->adopted / 10000 % 10000,
                   p->adopted / 100 % 100, p->adopted % 100);
    (void)snprintf(d2, sizeof d2, "%04u-%02u-%02u", p->effective / 10000 % 10000,
                   p->effective / 100 % 100, p->effective % 100);
    if ((rc = put(b,
                  "# Parameter koperasi / cooperative parameters (ACCOUNTING.md 1.6)\n"
                  "adopted = %s\neffective = %s\n",
                  d1, d2)) < 0 ||
        (rc = put(b, "\n# Keanggotaan / membership\npokok = %s\n", fmt_amount(p->pokok, x))) < 0 ||
        (rc = put(b, "wajib = %s / %u bulan\nrefund-days = %u\ncalon-allowed = %s\n",
                  fmt_amount(p->wajib, x), p->wajib_months, p->refund_days,
                  p->calon_allowed ? "ya" : "tidak")) < 0 ||
        (rc = write_governance(b, p)) < 0 || (rc = write_products(b, p)) < 0 ||
        (rc = write_shu(b, p)) < 0 || (rc = write_chart(b, p)) < 0)
        return rc;
    return 0;
}

/* Encodes p into b (reset first). */
static int encode_into(const struct proto_params *p, struct proto_buf *b)
{
    proto_buf_reset(b);
    return proto_params_encode(p, b);
}

int proto_params_text_write(const struct proto_params *p, struct proto_buf *out)
{
    struct proto_buf text, e1, e2;
    struct proto_params *back = NULL;
    int rc;

    if (!p || !out)
        return -EINVAL;
    if (!writable(p))
        return -EINVAL;
    proto_buf_init(&text);
    proto_buf_init(&e1);
    proto_buf_init(&e2);
    rc = write_all(&text, p);
    if (rc < 0)
        goto out;
    /* What is written must read back as p: anything else (a value outside the text form's
     * ranges, in a hand-built struct) is refused rather than shown wrong. */
    back = malloc(sizeof *back);
    if (!back) {
        rc = -ENOMEM;
        goto out;
    }
    rc = proto_params_text_parse("params", (const char *)text.data, text.len, back, NULL, 0);
    if (rc == -ENOMEM)
        goto out;
    if (rc < 0) {
        rc = -EINVAL;
        goto out;
    }
    if ((rc = encode_into(p, &e1)) < 0 || (rc = encode_into(back, &e2)) < 0)
        goto out;
    if (e1.len != e2.len || memcmp(e1.data, e2.data, e1.len) != 0) {
        rc = -EINVAL;
        goto out;
    }
    rc = proto_buf_append(out, text.data, text.len);
out:
    free(back);
    proto_buf_release(&text);
    proto_buf_release(&e1);
    proto_buf_release(&e2);
    return rc;
}
