/*
 * Savings and approvals: `saksi deposit` (kind 48), `saksi withdraw` (49), `saksi approve` (33)
 * and `saksi pending`, and the flow every accounting write shares (docs/ACCOUNTING.md 8). The
 * ledger lets an authorised entry take effect and reports a broken business rule as a finding
 * (decision D5); the CLI is where such an entry is stopped. Each write therefore checks the
 * rules it can name with figures (the balance a withdrawal would overdraw, a member who is not
 * active), then derives the books with the candidate entry added and refuses it if that gives it
 * a finding the books did not have. Only then does it author the entry, through the running
 * saksid when there is one, and print the entry's status as the books derive it: effective, or
 * what it still waits for (approvals, the member's countersignature). The loan commands
 * (cmd_loan.c) share this flow, the signing of 'saksi approve' (cli_acct_sign) and the postings
 * of disbursements and repayments, which take their accounts from the loan's application.
 */
#include "cli/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"
#include "proto/yearend.h"

#define ID_PREFIX_MIN 4 /* hex digits an approval's ID must have */

/* ---- loading the books ---- */

/* An entry to add to the books as if it were stored: the candidate of a write. */
struct candidate {
    uint8_t id[32];
    uint8_t author[32];
    uint64_t seq;
    uint64_t kind;
    const uint8_t *body;
    size_t len;
};

/*
 * The books of the store with one candidate entry added, derived: the candidate has to be fed
 * before books_derive(), so writes load the books underived.
 */
static int books_load(struct store *st, const struct candidate *c, struct books **out)
{
    struct books *bk = NULL;
    int rc;

    *out = NULL;
    rc = store_books_load(st, &bk);
    if (rc == 0 && c)
        rc = books_entry(bk, c->id, c->author, c->seq, c->kind, c->body, c->len);
    if (rc == 0)
        rc = books_derive(bk);
    if (rc == 0)
        rc = yearend_check(bk);
    if (rc < 0) {
        books_free(bk);
        return rc;
    }
    *out = bk;
    return 0;
}

int cli_books_load(struct store *st, struct books **out)
{
    int rc = store_books(st, out);

    if (rc < 0)
        cli_err("cannot derive the books: %s", err_str(rc));
    return rc;
}

/* ---- the statement cache (store/store.h) ---- */

bool cli_books_cache_on(void)
{
    const char *v = getenv("SAKSI_BOOKS_CACHE");

    return !(v && strcmp(v, "0") == 0);
}

int cli_books_load_head(struct store *st, struct books **out, struct store_head *at, bool *at_ok)
{
    *at_ok = store_head_get(st, at) == 0;
    return cli_books_load(st, out);
}

void cli_books_cache_save(struct store *st, const struct cli_ctx *ctx, const struct books *bk,
                          const struct store_head *at, bool at_ok)
{
    /* The cache only saves time: a data directory this user cannot write, a full disk or a
     * ledger that moved on leaves the command's result as it is. */
    if (at_ok && bk && cli_books_cache_on())
        (void)store_books_cache_write(st, ctx->data_dir, bk, at);
}

static int has_params_cb(const struct store_row *row, void *arg)
{
    struct proto_entry e;

    if (row->applied && proto_entry_peek(row->raw, row->len, &e) == 0 &&
        e.kind == PROTO_KIND_PARAMS) {
        *(bool *)arg = true;
        return 1;
    }
    return 0;
}

bool cli_store_has_params(struct store *st)
{
    bool found = false;

    (void)store_each_entry(st, NULL, has_params_cb, &found);
    return found;
}

/* ---- opening, refusing, authority ---- */

int cli_acct_open(struct cli_ctx *ctx, struct cli_acct *a)
{
    char hex[17];
    int rc, ret = CLI_RUNTIME;

    a->ctx = ctx;
    a->st = NULL;
    a->g = NULL;
    a->keys = NULL;
    a->bk = NULL;
    a->owned = true;
    if (!cli_store_present(ctx))
        return cli_open_error(ctx, ERR_NOLEDGER);
    rc = a->dry_run ? cli_store_open_ro(ctx, &a->st) : cli_store_open_rw(ctx, &a->st);
    if (rc < 0) {
        a->st = NULL;
        return cli_open_error(ctx, rc);
    }
    rc = store_genesis(a->st, &a->g);
    if (rc < 0) {
        ret = cli_open_error(ctx, rc);
        goto fail;
    }
    rc = cli_keys_load(ctx, &a->keys);
    if (rc < 0) {
        cli_err("cannot load this device's key: %s", err_str(rc));
        goto fail;
    }
    rc = store_device_get(a->st, a->keys->sign_pk, &a->me);
    cli_hex(a->keys->sign_pk, 8, hex);
    if (rc == -ENOENT) {
        cli_err("this device (%s) is not on the roster of this ledger; a pengurus must admit "
                "it first",
                hex);
        ret = CLI_NEG;
        goto fail;
    }
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        goto fail;
    }
    if (a->me.revoked) {
        cli_err("this device (%s) has been revoked; it may not author entries", hex);
        ret = CLI_NEG;
        goto fail;
    }
    if (cli_books_load(a->st, &a->bk) < 0)
        goto fail;
    return CLI_OK;
fail:
    cli_acct_close(a);
    return ret;
}

void cli_acct_close(struct cli_acct *a)
{
    books_free(a->bk);
    a->bk = NULL;
    if (!a->owned)
        return;
    proto_keys_free(a->keys);
    a->keys = NULL;
    proto_genesis_free(a->g);
    a->g = NULL;
    cli_store_close(a->ctx, a->st);
    a->st = NULL;
}

void cli_acct_refuse(struct cli_acct *a, const char *code, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "saksi: %s [%s]: ", CLI_TR(a->lang, "ditolak", "refused"), code);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    a->refusals++;
}

const struct proto_params *cli_acct_params(struct cli_acct *a, uint32_t date, uint64_t kind)
{
    const struct proto_params *P = books_params_at(a->bk, date);
    char d[11], roles[64];
    uint32_t mask;

    if (!P && !books_params_at(a->bk, 99991231)) {
        cli_acct_refuse(a, "no-params",
                        CLI_TR(a->lang,
                               "buku ini belum punya parameter koperasi (produk simpanan, "
                               "persetujuan), jadi %s tidak akan berlaku. Buku baru: 'saksi "
                               "init FILE --params PFILE'.",
                               "this ledger has no koperasi parameters yet (savings products, "
                               "approvals), so the %s would not take effect. A new ledger: "
                               "'saksi init FILE --params PFILE'."),
                        cli_kind_label(kind, a->lang));
        return NULL;
    }
    if (!P) {
        cli_acct_refuse(a, "no-params",
                        CLI_TR(a->lang,
                               "belum ada parameter koperasi yang berlaku pada %s, jadi %s "
                               "tidak akan berlaku. Periksa tanggalnya ('saksi params show').",
                               "no koperasi parameters are in force on %s, so the %s would "
                               "not take effect. Check the date ('saksi params show')."),
                        cli_date_dmy(date, d), cli_kind_label(kind, a->lang));
        return NULL;
    }
    if (kind == PROTO_KIND_SIGN)
        return P;
    mask = proto_params_authors(P, (uint32_t)kind);
    if (!(mask & PROTO_ROLE_BIT(a->me.dev.role))) {
        cli_acct_refuse(a, "authority",
                        CLI_TR(a->lang,
                               "%s hanya boleh dicatat oleh %s; perangkat ini %s (anggota %u). "
                               "Minta perangkat yang berwenang mencatatnya.",
                               "a %s may be recorded by %s only; this device is %s (member %u). "
                               "Ask an authorised device to record it."),
                        cli_kind_label(kind, a->lang),
                        cli_roles_str(mask, "-", roles, sizeof roles),
                        proto_role_name(a->me.dev.role), a->me.dev.member);
        return NULL;
    }
    return P;
}

/* ---- figures from the books ---- */

static bool debit_natural(uint8_t type)
{
    return type == PROTO_ACCT_ASSET || type == PROTO_ACCT_CONTRA_ASSET ||
           type == PROTO_ACCT_EXPENSE;
}

static uint8_t account_type(const struct books *bk, uint32_t code, uint32_t ymd)
{
    const struct proto_account *ac = books_account(bk, code, ymd);

    if (!ac)
        ac = proto_genesis_account(books_genesis(bk), code);
    return ac ? ac->type : PROTO_ACCT_LIABILITY;
}

int64_t cli_books_balance(const struct books *bk, uint32_t member, uint32_t account, uint32_t ymd)
{
    return books_balance_natural(bk, account, member, ymd);
}

/* The lowest end-of-day balance of (member, account) from ymd on. */
static int64_t balance_min_from(const struct books *bk, uint32_t member, uint32_t account,
                                uint32_t ymd)
{
    const struct books_posting *p = books_postings(bk);
    size_t n = books_npostings(bk);
    bool debit = debit_natural(account_type(bk, account, ymd));
    int64_t bal = cli_books_balance(bk, member, account, ymd), min = bal;
    uint32_t day = 0;

    /* Postings come by date: the balance after the last posting of each later day. */
    for (size_t i = 0; i < n; i++) {
        int64_t d;

        if (p[i].account != account || p[i].member != member || p[i].date <= ymd)
            continue;
        if (day && p[i].date != day && bal < min)
            min = bal;
        day = p[i].date;
        d = (int64_t)p[i].debit - (int64_t)p[i].credit;
        bal += debit ? d : -d;
    }
    if (bal < min)
        min = bal;
    return min;
}

uint32_t cli_role_account(const struct books *bk, const struct proto_params *P, uint8_t role,
                          uint32_t ymd)
{
    const struct proto_genesis *g = books_genesis(bk);

    for (uint32_t i = 0; i < P->nroles; i++)
        if (P->roles[i].role == role)
            return P->roles[i].code;
    for (uint32_t i = 0; i < g->naccounts; i++)
        if (proto_params_has_role(P, role, g->accounts[i].code) &&
            books_account(bk, g->accounts[i].code, ymd))
            return g->accounts[i].code;
    return 0;
}

const struct proto_savings_product *cli_product_of_class(const struct proto_params *P,
                                                         uint8_t savings_class)
{
    for (uint32_t i = 0; i < P->nsavings; i++)
        if (P->savings[i].class == savings_class)
            return &P->savings[i];
    return NULL;
}

const char *cli_products_str(const struct proto_params *P, char *buf, size_t size)
{
    size_t o = 0;

    buf[0] = '\0';
    for (uint32_t i = 0; i < P->nsavings && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", P->savings[i].code);

        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
    return buf;
}

int cli_acct_cash_arg(struct cli_acct *a, const struct proto_params *P, const char *arg,
                      uint32_t ymd, uint32_t *code)
{
    uint64_t v;

    if (cli_uint_parse(arg, 1000, 9999, &v) < 0 || !books_account(a->bk, (uint32_t)v, ymd)) {
        cli_acct_refuse(a, "account",
                        CLI_TR(a->lang,
                               "akun kas '%s' tidak ada di bagan akun. Pakai kode akun kas, "
                               "misalnya %u.",
                               "cash account '%s' is not in the chart of accounts. Give a cash "
                               "account code, e.g. %u."),
                        arg, cli_role_account(a->bk, P, PROTO_AR_CASH, ymd));
        return -1;
    }
    if (!proto_params_has_role(P, PROTO_AR_CASH, (uint32_t)v)) {
        cli_acct_refuse(a, "pattern",
                        CLI_TR(a->lang,
                               "akun %u bukan akun kas atau bank menurut parameter. Pakai "
                               "akun kas, misalnya %u.",
                               "account %u is not a cash or bank account under the parameters. "
                               "Give a cash account, e.g. %u."),
                        (unsigned)v, cli_role_account(a->bk, P, PROTO_AR_CASH, ymd));
        return -1;
    }
    *code = (uint32_t)v;
    return 0;
}

/* ---- words ---- */

static const char *offices_str(uint32_t mask, char *buf, size_t size)
{
    size_t o = 0;

    buf[0] = '\0';
    for (uint8_t off = PROTO_OFFICE_KETUA; off <= PROTO_OFFICE_BENDAHARA; off++) {
        int w;

        if (!(mask & PROTO_OFFICE_BIT(off)))
            continue;
        w = snprintf(buf + o, size - o, "%s%s", o ? ", " : "", proto_office_name(off));
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
    return buf;
}

const char *cli_wait_what(const struct books_item *it, int lang, char *buf, size_t size)
{
    char hex[9], off[64], who[96];
    size_t o = 0;

    switch (it->reason) {
    case BOOKS_WAIT_APPROVALS:
        who[0] = '\0';
        if (it->missing_pengurus)
            o += (size_t)snprintf(who + o, sizeof who - o, "%u pengurus", it->missing_pengurus);
        if (it->missing_pengawas)
            o += (size_t)snprintf(who + o, sizeof who - o, "%s%u pengawas", o ? " + " : "",
                                  it->missing_pengawas);
        if (it->missing_offices)
            snprintf(who + o, sizeof who - o, "%s(%s)", o ? " " : "",
                     offices_str(it->missing_offices, off, sizeof off));
        snprintf(buf, size, CLI_TR(lang, "persetujuan %s", "approval by %s"), who);
        break;
    case BOOKS_WAIT_COUNTERSIGN:
        snprintf(buf, size, CLI_TR(lang, "tanda tangan anggota %u", "member %u's countersignature"),
                 it->csign_member ? it->csign_member : it->member);
        break;
    case BOOKS_WAIT_PREREQUISITE:
        snprintf(buf, size, CLI_TR(lang, "entri %s", "entry %s"),
                 it->has_prereq ? cli_hex(it->prereq, 4, hex) : "?");
        break;
    case BOOKS_WAIT_NO_PARAMS:
        snprintf(buf, size, "%s", CLI_TR(lang, "parameter yang berlaku", "parameters in force"));
        break;
    case BOOKS_WAIT_RESOLUTION:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "keputusan rapat anggota", "a members' meeting resolution"));
        break;
    case BOOKS_WAIT_UNSUPPORTED:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "versi saksi yang mendukungnya", "a saksi version that supports it"));
        break;
    default:
        snprintf(buf, size, "%s", books_reason_name(it->reason));
        break;
    }
    return buf;
}

const char *cli_wait_str(const struct books_item *it, int lang, char *buf, size_t size)
{
    char what[128];

    if (it->status != BOOKS_WAITING) {
        if (it->status == BOOKS_VOID && it->reason)
            snprintf(buf, size, "%s (%s)", cli_status_label(it->status, lang),
                     books_reason_name(it->reason));
        else
            snprintf(buf, size, "%s", cli_status_label(it->status, lang));
        return buf;
    }
    snprintf(buf, size, CLI_TR(lang, "menunggu %s", "waiting for %s"),
             cli_wait_what(it, lang, what, sizeof what));
    return buf;
}

const char *cli_finding_str(const struct books *bk, const struct books_finding *f, int lang,
                            char *buf, size_t size)
{
    char a1[40], a2[40], acct[128] = "";
    const struct proto_account *ac = f->account ? books_account(bk, f->account, f->date) : NULL;

    if (f->account)
        snprintf(acct, sizeof acct, "%u%s%s", f->account, ac ? " " : "", ac ? ac->name : "");
    cli_rupiah_signed(f->amount, false, a1);
    cli_rupiah_signed(f->detail[0], false, a2);
    switch (f->code) {
    case BOOKS_F_MALFORMED:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "isi entri tidak sesuai formatnya",
                        "the entry's body does not match its format"));
        break;
    case BOOKS_F_PARAMS_INVALID:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "versi parameter tidak konsisten",
                        "a parameter version is not consistent"));
        break;
    case BOOKS_F_PARAMS_CONFLICT:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "dua versi parameter berlaku pada hari yang sama",
                        "two parameter versions come into force on one day"));
        break;
    case BOOKS_F_AUTHORITY:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "penulisnya tidak berwenang untuk jenis entri ini",
                        "its author may not record this kind of entry"));
        break;
    case BOOKS_F_SELF_APPROVAL:
        snprintf(buf, size,
                 CLI_TR(lang, "anggota %u menyetujui entri tentang dirinya sendiri",
                        "member %u approved an entry about themselves"),
                 f->member);
        break;
    case BOOKS_F_APPROVED_DESPITE_REJECTION:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "berlaku walaupun ada yang menolak",
                        "took effect although someone rejected it"));
        break;
    case BOOKS_F_UNAPPROVED:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "jurnal lama (v1) tanpa persetujuan yang cukup",
                        "an old-style (v1) journal without enough approvals"));
        break;
    case BOOKS_F_WITNESSED:
        snprintf(buf, size,
                 CLI_TR(lang, "tanda tangan anggota %u diganti saksi pengawas",
                        "member %u's countersignature was replaced by a pengawas witness"),
                 f->member);
        break;
    case BOOKS_F_WAITING_AGED:
        snprintf(buf, size,
                 CLI_TR(lang, "menunggu sudah %lld hari", "waiting for %lld days already"),
                 (long long)f->detail[0]);
        break;
    case BOOKS_F_UNBALANCED:
        snprintf(buf, size,
                 CLI_TR(lang, "jurnal tidak seimbang (selisih %s)",
                        "the journal does not balance (difference %s)"),
                 a1);
        break;
    case BOOKS_F_ACCOUNT:
        snprintf(buf, size,
                 CLI_TR(lang, "akun %u tidak ada di bagan akun atau salah dipakai",
                        "account %u is not in the chart of accounts or is misused"),
                 f->account);
        break;
    case BOOKS_F_PATTERN:
        snprintf(buf, size,
                 CLI_TR(lang, "pola akun tidak biasa (akun %s)", "unusual accounts (account %s)"),
                 acct[0] ? acct : "-");
        break;
    case BOOKS_F_PRODUCT:
        snprintf(buf, size,
                 CLI_TR(lang, "produk simpanan tidak dikenal atau akunnya salah (akun %s)",
                        "unknown savings product or wrong account (account %s)"),
                 acct[0] ? acct : "-");
        break;
    case BOOKS_F_NON_MEMBER:
        snprintf(buf, size,
                 CLI_TR(lang, "transaksi untuk %u yang bukan anggota aktif (%s)",
                        "a transaction for %u, who is not an active member (%s)"),
                 f->member, a1);
        break;
    case BOOKS_F_NOT_MEMBER:
        snprintf(buf, size, CLI_TR(lang, "%u bukan anggota aktif", "%u is not an active member"),
                 f->member);
        break;
    case BOOKS_F_MEMBER_UNREGISTERED:
        snprintf(buf, size,
                 CLI_TR(lang, "anggota %u punya transaksi tetapi tidak tercatat diterima",
                        "member %u has transactions but no recorded admission"),
                 f->member);
        break;
    case BOOKS_F_DUPLICATE_ADMISSION:
        snprintf(buf, size,
                 CLI_TR(lang, "anggota %u diterima dua kali", "member %u admitted twice"),
                 f->member);
        break;
    case BOOKS_F_POKOK_AMOUNT:
        if (f->detail[1])
            snprintf(buf, size,
                     CLI_TR(lang, "simpanan pokok anggota %u menjadi %s, menurut parameter %s",
                            "member %u's simpanan pokok comes to %s, the parameters say %s"),
                     f->member, cli_rupiah_signed(f->detail[1], false, a1), a2);
        else
            snprintf(buf, size,
                     CLI_TR(lang, "simpanan pokok anggota %u %s, menurut parameter %s",
                            "member %u's simpanan pokok is %s, the parameters say %s"),
                     f->member, a1, a2);
        break;
    case BOOKS_F_EQUITY_WITHDRAWAL:
        snprintf(buf, size,
                 CLI_TR(lang, "simpanan pokok/wajib anggota %u ditarik selama masih aktif (%s)",
                        "member %u's simpanan pokok/wajib withdrawn while active (%s)"),
                 f->member, a1);
        break;
    case BOOKS_F_OVERDRAWN:
        snprintf(buf, size,
                 CLI_TR(lang, "saldo anggota %u di akun %s menjadi negatif (terendah %s)",
                        "member %u's balance on account %s went negative (lowest %s)"),
                 f->member, acct[0] ? acct : "-", a1);
        break;
    case BOOKS_F_EXIT_AMOUNTS: {
        char a3[40];

        snprintf(buf, size,
                 CLI_TR(lang, "keluar anggota %u mencatat %s, padahal saldo pokok %s dan wajib %s",
                        "member %u's exit records %s, but the balances are pokok %s and wajib "
                        "%s"),
                 f->member, a1, a2, cli_rupiah_signed(f->detail[1], false, a3));
        break;
    }
    case BOOKS_F_REFUND_OVERDUE:
        snprintf(buf, size,
                 CLI_TR(lang, "pengembalian simpanan anggota %u %s lewat jatuh tempo %lld hari",
                        "member %u's savings refund of %s is %lld days overdue"),
                 f->member, a1, (long long)f->detail[0]);
        break;
    case BOOKS_F_TERMS:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "syarat tidak sesuai produk", "terms differ from the product"));
        break;
    case BOOKS_F_NOT_BORROWER:
        snprintf(buf, size,
                 CLI_TR(lang,
                        "pengajuan pinjaman anggota %u tidak ditulis di perangkat peminjam "
                        "sendiri",
                        "member %u's loan application was not written on the borrower's own "
                        "device"),
                 f->member);
        break;
    case BOOKS_F_LIMIT:
        snprintf(buf, size,
                 CLI_TR(lang, "anggota %u meminjam %s, melebihi batas %s (kelipatan simpanan)",
                        "member %u borrows %s, above the limit of %s (a multiple of savings)"),
                 f->member, a1, a2);
        break;
    case BOOKS_F_OFFICER_LOAN:
        snprintf(buf, size,
                 CLI_TR(lang, "pinjaman %s untuk anggota %u yang juga pengurus/pengawas/kasir",
                        "a loan of %s to member %u, who is an officer (pengurus/pengawas/kasir)"),
                 a1, f->member);
        break;
    case BOOKS_F_DELINQUENT_BORROWER:
        snprintf(buf, size,
                 CLI_TR(lang, "anggota %u masih menunggak pinjaman lain",
                        "member %u is in arrears on another loan"),
                 f->member);
        break;
    case BOOKS_F_DISBURSE_AMOUNT:
        snprintf(buf, size,
                 CLI_TR(lang, "pencairan %s, padahal pokok pinjaman %s",
                        "a disbursement of %s, but the loan's principal is %s"),
                 a1, a2);
        break;
    case BOOKS_F_DOUBLE_DISBURSEMENT:
        snprintf(buf, size,
                 CLI_TR(lang, "pinjaman anggota %u dicairkan dua kali (%s)",
                        "member %u's loan disbursed twice (%s)"),
                 f->member, a1);
        break;
    case BOOKS_F_SELF_DISBURSEMENT:
        snprintf(buf, size,
                 CLI_TR(lang, "pinjaman anggota %u dicairkan oleh perangkat peminjam sendiri",
                        "member %u's loan disbursed by a device of the borrower"),
                 f->member);
        break;
    case BOOKS_F_ALLOCATION: {
        char a3[40];

        snprintf(buf, size,
                 CLI_TR(lang,
                        "pembayaran anggota %u sebesar %s tidak lebih dulu melunasi yang jatuh "
                        "tempo (bunga %s, pokok %s)",
                        "member %u's payment of %s does not first cover what is due (interest "
                        "%s, principal %s)"),
                 f->member, a1, a2, cli_rupiah_signed(f->detail[1], false, a3));
        break;
    }
    case BOOKS_F_OVERPAYMENT:
        snprintf(buf, size,
                 CLI_TR(lang, "pokok dibayar %s melebihi pokok pinjaman anggota %u (%s)",
                        "principal paid of %s exceeds the principal of member %u's loan (%s)"),
                 a1, f->member, a2);
        break;
    case BOOKS_F_INTEREST_OVERCHARGE:
        snprintf(buf, size,
                 CLI_TR(lang, "bunga dibayar %s melebihi bunga jadwal pinjaman anggota %u (%s)",
                        "interest paid of %s exceeds the scheduled interest of member %u's loan "
                        "(%s)"),
                 a1, f->member, a2);
        break;
    case BOOKS_F_PENALTY_OVERCHARGE:
        snprintf(buf, size,
                 CLI_TR(lang, "denda dibayar %s melebihi denda terutang anggota %u (%s)",
                        "penalty paid of %s exceeds member %u's penalty due (%s)"),
                 a1, f->member, a2);
        break;
    case BOOKS_F_DATE_ORDER:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "tanggalnya sebelum tanggal entri yang menjadi dasarnya",
                        "its date lies before the date of the entry it builds on"));
        break;
    case BOOKS_F_INTEREST_MISMATCH: {
        char a3[40];

        snprintf(buf, size,
                 CLI_TR(lang, "bunga anggota %u dicatat bruto %s, menurut rumus %s (pajak %s)",
                        "member %u's interest is recorded as %s gross, the formulas give %s "
                        "(tax %s)"),
                 f->member, a1, a2, cli_rupiah_signed(f->detail[1], false, a3));
        break;
    }
    case BOOKS_F_INTEREST_DUPLICATE:
        snprintf(buf, size,
                 CLI_TR(lang, "bunga anggota %u untuk bulan %lld dicatat dua kali",
                        "member %u's interest for month %lld is recorded twice"),
                 f->member, (long long)f->detail[0]);
        break;
    case BOOKS_F_INTEREST_MISSING:
        snprintf(buf, size,
                 CLI_TR(lang, "bunga anggota %u (%s) tidak ada di entri bunga bulan itu",
                        "member %u's interest (%s) is missing from the month's interest entry"),
                 f->member, a1);
        break;
    case BOOKS_F_LATE_FEE_MISMATCH:
        snprintf(buf, size,
                 CLI_TR(lang, "denda %s anggota %u tidak sesuai aturan denda (angsuran ke-%lld)",
                        "a late fee of %s on member %u's loan does not follow the late rule "
                        "(installment %lld)"),
                 a1, f->member, (long long)f->detail[0]);
        break;
    case BOOKS_F_LATE_POSTING: {
        char d1[11], d2[11];

        snprintf(buf, size,
                 CLI_TR(lang,
                        "bertanggal %s dalam tahun buku yang sudah ditutup: dibukukan pada %s",
                        "dated %s in a closed financial year: posted on %s"),
                 cli_date_dmy((uint32_t)f->detail[0], d1), cli_date_dmy(f->date, d2));
        break;
    }
    case BOOKS_F_CLOSE_EARLY: {
        char d1[11];

        snprintf(buf, size,
                 CLI_TR(lang, "tutup buku dibuat sebelum tahun buku berakhir (%s)",
                        "the close was made before the financial year ended (%s)"),
                 cli_date_dmy((uint32_t)f->detail[0], d1));
        break;
    }
    case BOOKS_F_CLOSE_CONFLICT:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "tahun buku yang sama ditutup dua kali; yang ini tidak berlaku",
                        "the same financial year is closed twice; this close is void"));
        break;
    case BOOKS_F_CLOSE_MISMATCH:
        snprintf(buf, size, "%s",
                 CLI_TR(lang,
                        "angka penutup, saldo SHU lama atau angka SHU tutup buku ini berbeda "
                        "dari hitungan ulang atas entri yang ditutupnya",
                        "the close's closing lines, roll or SHU figures differ from the "
                        "recomputation over the entries it closed"));
        break;
    case BOOKS_F_DIGEST_MISMATCH:
        snprintf(buf, size,
                 CLI_TR(lang,
                        "sidik laporan %s dalam tutup buku berbeda dari laporan yang dihitung "
                        "ulang atas entri yang ditutupnya",
                        "the close's %s digest differs from the report recomputed over the "
                        "entries it closed"),
                 f->detail[0] >= 0 && f->detail[0] < YEAREND_NDIGESTS
                     ? yearend_digest_types[f->detail[0]]
                     : "?");
        break;
    case BOOKS_F_FRONTIER_MISMATCH:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "sidik frontier tutup buku tidak cocok dengan entri yang disebutnya",
                        "the close's frontier digest does not match the entries it names"));
        break;
    case BOOKS_F_FRONTIER_REGRESS:
        snprintf(buf, size, "%s",
                 CLI_TR(lang,
                        "frontier tutup buku tidak memuat semua yang dimuat tutup buku "
                        "sebelumnya",
                        "the close's frontier does not hold everything the previous close "
                        "held"));
        break;
    case BOOKS_F_SHU_MISMATCH:
        snprintf(buf, size,
                 CLI_TR(lang,
                        "bagian %lld pembagian SHU berbeda dari hitungan ulang atas tahun yang "
                        "ditutup",
                        "part %lld of the SHU allocation differs from the recomputation over "
                        "the closed year"),
                 (long long)f->detail[0] + 1);
        break;
    case BOOKS_F_SHU_INCOMPLETE:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "bagian-bagian pembagian SHU belum lengkap atau tumpang tindih",
                        "the SHU allocation's parts are incomplete or overlap"));
        break;
    case BOOKS_F_SHU_TWICE:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "SHU tahun yang sama dibagi dua kali",
                        "the SHU of the same year is allocated twice"));
        break;
    case BOOKS_F_QUORUM:
        snprintf(buf, size,
                 CLI_TR(lang, "rapat tidak kuorum: hadir %lld, perlu %lld",
                        "the meeting had no quorum: %lld present, %lld needed"),
                 (long long)f->amount, (long long)f->detail[0]);
        break;
    case BOOKS_F_MAJORITY:
        snprintf(buf, size,
                 CLI_TR(lang, "diputuskan dengan %lld setuju dan %lld menolak",
                        "adopted with %lld for and %lld against"),
                 (long long)f->amount, (long long)f->detail[0]);
        break;
    case BOOKS_F_ELIGIBLE_COUNT:
        snprintf(buf, size,
                 CLI_TR(lang, "disebut %lld anggota berhak suara, yang aktif %lld",
                        "%lld members said to have a vote, %lld are active"),
                 (long long)f->amount, (long long)f->detail[0]);
        break;
    case BOOKS_F_RAT_OVERDUE:
        snprintf(buf, size, "%s",
                 CLI_TR(lang, "RAT yang mengesahkan tutup buku ini belum diadakan tepat waktu",
                        "no RAT ratified this close in time"));
        break;
    case BOOKS_F_CANCEL_REFUSED:
        snprintf(buf, size, "%s",
                 CLI_TR(lang,
                        "pengajuan pinjaman yang sudah dicairkan tidak dapat dibatalkan; "
                        "balikkan pencairannya",
                        "a loan application that was disbursed cannot be cancelled; reverse "
                        "the disbursement"));
        break;
    case BOOKS_F_REVERSE_INVALID:
        snprintf(buf, size,
                 CLI_TR(lang, "entri jenis %lld tidak dapat dibalik",
                        "an entry of kind %lld cannot be reversed"),
                 (long long)f->detail[1]);
        break;
    case BOOKS_F_DUPLICATE_REVERSAL:
        snprintf(buf, size, "%s",
                 CLI_TR(lang,
                        "entri ini sudah dibalik oleh entri lain; pembalikan ini tidak berlaku",
                        "the entry is reversed by another entry already; this reversal is void"));
        break;
    case BOOKS_F_REPAY_WRITTEN_OFF: {
        char d[11];

        snprintf(buf, size,
                 CLI_TR(lang,
                        "pembayaran %s atas pinjaman anggota %u yang sudah dihapusbukukan pada "
                        "%s (catat sebagai pendapatan lain: jurnal ke 4900)",
                        "a payment of %s on member %u's loan, written off on %s (record it as "
                        "other income: a journal to 4900)"),
                 a1, f->member, cli_date_dmy((uint32_t)f->detail[0], d));
        break;
    }
    case BOOKS_F_PPAP: {
        char a3[40];

        snprintf(buf, size,
                 CLI_TR(lang,
                        "PPAP yang dibukukan %s sesudah penyisihan ini, PPAPWD portofolio %s",
                        "the allowance booked is %s after this provision, the portfolio's "
                        "PPAPWD is %s"),
                 a1, cli_rupiah_signed(f->detail[0], false, a3));
        break;
    }
    default:
        snprintf(buf, size, "%s", books_code_name(f->code));
        break;
    }
    return buf;
}

/* The borrower of a loan (0 when the books do not hold its application). */
static uint32_t loan_borrower(const struct books *bk, const uint8_t loan[32])
{
    const struct books_loan *l = books_loan_find(bk, loan);

    return l ? l->borrower : 0;
}

/* One line of what an entry does, for the write's output. */
static void body_summary(const struct books *bk, const struct proto_acct_body *b, int lang,
                         char *buf, size_t size)
{
    char d[11] = "", r1[32], r2[32];
    uint32_t date = proto_acct_date(b);

    if (date)
        cli_date_dmy(date, d);
    switch (b->kind) {
    case PROTO_KIND_JOURNAL_A: {
        uint64_t dr, cr;

        proto_journal_totals(&b->u.ja.j, &dr, &cr);
        snprintf(buf, size,
                 CLI_TR(lang, "Jurnal %s, %s, %u baris: %s", "Journal %s, %s, %u lines: %s"), d,
                 cli_rupiah(dr, r1), b->u.ja.j.nlines, b->u.ja.j.memo);
        break;
    }
    case PROTO_KIND_MEMBER_ADMIT:
        snprintf(buf, size,
                 CLI_TR(lang, "Penerimaan anggota %u (%s), simpanan pokok %s, %s",
                        "Admission of member %u (%s), simpanan pokok %s, %s"),
                 b->u.admit.member, cli_class_label(b->u.admit.class, lang),
                 cli_rupiah(b->u.admit.pokok, r1), d);
        break;
    case PROTO_KIND_MEMBER_EXIT:
        snprintf(buf, size,
                 CLI_TR(lang,
                        "Keluar anggota %u (%s): simpanan pokok %s dan wajib %s menjadi utang "
                        "pengembalian, %s",
                        "Exit of member %u (%s): simpanan pokok %s and wajib %s become a refund "
                        "due, %s"),
                 b->u.exit.member, cli_reason_label(b->u.exit.reason, lang),
                 cli_rupiah(b->u.exit.pokok, r1), cli_rupiah(b->u.exit.wajib, r2), d);
        break;
    case PROTO_KIND_EXIT_SETTLE: {
        uint64_t sav = 0, payout = 0;

        for (uint32_t i = 0; i < b->u.settle.nsavings; i++)
            sav += b->u.settle.savings[i].amount;
        if (b->u.settle.noffsets > 0) {
            char r3[32];

            (void)proto_acct_payout(&b->u.settle, &payout);
            snprintf(buf, size,
                     CLI_TR(lang,
                            "Penyelesaian keluar anggota %u: pengembalian %s + simpanan %s, "
                            "dikurangi %u pinjaman, dibayar tunai %s, %s",
                            "Exit settlement of member %u: refund %s + savings %s, less %u "
                            "loan(s), paid in cash %s, %s"),
                     b->u.settle.member, cli_rupiah(b->u.settle.refund, r1),
                     cli_rupiah(sav, r2), b->u.settle.noffsets, cli_rupiah(payout, r3), d);
            break;
        }
        snprintf(buf, size,
                 CLI_TR(lang,
                        "Penyelesaian keluar anggota %u: pengembalian %s + simpanan %s dibayar "
                        "tunai, %s",
                        "Exit settlement of member %u: refund %s + savings %s paid in cash, %s"),
                 b->u.settle.member, cli_rupiah(b->u.settle.refund, r1), cli_rupiah(sav, r2), d);
        break;
    }
    case PROTO_KIND_DEPOSIT:
        snprintf(buf, size,
                 CLI_TR(lang, "Setoran anggota %u, %s, %s, %s", "Deposit of member %u, %s, %s, %s"),
                 b->u.deposit.member, b->u.deposit.product, cli_rupiah(b->u.deposit.amount, r1), d);
        break;
    case PROTO_KIND_WITHDRAW:
        snprintf(
            buf, size,
            CLI_TR(lang, "Penarikan anggota %u, %s, %s, %s", "Withdrawal of member %u, %s, %s, %s"),
            b->u.withdraw.member, b->u.withdraw.product, cli_rupiah(b->u.withdraw.amount, r1), d);
        break;
    case PROTO_KIND_LOAN_APPLY:
        snprintf(buf, size,
                 CLI_TR(lang, "Pengajuan pinjaman anggota %u, %s, %s, %u bulan, %s",
                        "Loan application of member %u, %s, %s, %u months, %s"),
                 b->u.apply.borrower, b->u.apply.product, cli_rupiah(b->u.apply.principal, r1),
                 b->u.apply.periods, d);
        break;
    case PROTO_KIND_LOAN_DISBURSE: {
        const struct proto_loan_disburse *x = &b->u.disburse;
        uint64_t net = x->gross;
        char hex[9];

        for (uint32_t i = 0; i < x->nfees && i < PROTO_ACCT_FEES_MAX; i++)
            net -= x->fees[i].amount < net ? x->fees[i].amount : net;
        for (uint32_t i = 0; i < x->ndeductions && i < PROTO_ACCT_FEES_MAX; i++)
            net -= x->deductions[i].amount < net ? x->deductions[i].amount : net;
        snprintf(buf, size,
                 CLI_TR(lang, "Pencairan pinjaman %s anggota %u, %s (diterima bersih %s), %s",
                        "Disbursement of loan %s to member %u, %s (net paid out %s), %s"),
                 cli_hex(x->loan, 4, hex), loan_borrower(bk, x->loan), cli_rupiah(x->gross, r1),
                 cli_rupiah(net, r2), d);
        break;
    }
    case PROTO_KIND_LOAN_REPAY: {
        const struct proto_loan_repay *x = &b->u.repay;
        char hex[9], r3[32], r4[32];

        snprintf(buf, size,
                 CLI_TR(lang,
                        "Angsuran pinjaman %s anggota %u, %s (denda %s, bunga %s, pokok %s), %s",
                        "Repayment of loan %s of member %u, %s (penalty %s, interest %s, "
                        "principal %s), %s"),
                 cli_hex(x->loan, 4, hex), loan_borrower(bk, x->loan),
                 cli_rupiah(proto_acct_amount(b), r1), cli_rupiah(x->penalty, r2),
                 cli_rupiah(x->interest, r3), cli_rupiah(x->principal, r4), d);
        if (x->excess) {
            size_t o = strlen(buf);

            snprintf(buf + o, size - o, CLI_TR(lang, "; lebih bayar %s", "; excess %s"),
                     cli_rupiah(x->excess, r1));
        }
        break;
    }
    case PROTO_KIND_INTEREST: {
        const struct proto_interest *in = &b->u.interest;
        uint64_t tax = 0;
        char mon[24];

        for (uint32_t i = 0; i < in->nrows && i < PROTO_ACCT_INTEREST_ROWS_MAX; i++)
            tax += in->rows[i].tax;
        cli_date_long(in->period * 100 + 1, lang, mon);
        snprintf(buf, size,
                 CLI_TR(lang, "Bunga simpanan %s bulan %s: %u anggota, bruto %s, pajak %s, %s",
                        "Savings interest %s for %s: %u members, gross %s, tax %s, %s"),
                 in->product, mon + 2, in->nrows, cli_rupiah(proto_acct_amount(b), r1),
                 cli_rupiah(tax, r2), d);
        break;
    }
    case PROTO_KIND_REVERSE: {
        const struct books_item *t = books_find(bk, b->u.reverse.target);
        char hex[9];

        cli_hex(b->u.reverse.target, 4, hex);
        if (t && books_cancel_kind(t->kind))
            snprintf(buf, size,
                     CLI_TR(lang, "Pembatalan %s %s, %s: %s", "Cancellation of %s %s, %s: %s"),
                     cli_kind_label(t->kind, lang), hex, d, b->u.reverse.reason);
        else
            snprintf(
                buf, size,
                CLI_TR(lang, "Pembalikan %s %s (%s), %s: %s", "Reversal of %s %s (%s), %s: %s"),
                t ? cli_kind_label(t->kind, lang) : "?", hex, cli_rupiah(t ? t->amount : 0, r1), d,
                b->u.reverse.reason);
        break;
    }
    case PROTO_KIND_LATE_FEE: {
        char hex[9];

        snprintf(buf, size,
                 CLI_TR(lang, "Denda keterlambatan pinjaman %s anggota %u, angsuran ke-%u, %s, %s",
                        "Late fee on loan %s of member %u, installment %u, %s, %s"),
                 cli_hex(b->u.latefee.loan, 4, hex), loan_borrower(bk, b->u.latefee.loan),
                 b->u.latefee.installment, cli_rupiah(b->u.latefee.amount, r1), d);
        break;
    }
    case PROTO_KIND_PROVISION:
        snprintf(buf, size,
                 CLI_TR(lang, "Penyisihan PPAP %s (beban %u, cadangan %u), %s",
                        "Loan loss provision %s (expense %u, allowance %u), %s"),
                 cli_rupiah_signed(b->u.provision.amount, false, r1),
                 b->u.provision.expense_account, b->u.provision.allowance_account, d);
        break;
    case PROTO_KIND_WRITE_OFF: {
        char hex[9];

        snprintf(buf, size,
                 CLI_TR(lang, "Hapus buku pinjaman %s anggota %u, pokok %s, %s",
                        "Write-off of loan %s of member %u, principal %s, %s"),
                 cli_hex(b->u.writeoff.loan, 4, hex), loan_borrower(bk, b->u.writeoff.loan),
                 cli_rupiah(b->u.writeoff.principal, r1), d);
        break;
    }
    default:
        snprintf(buf, size, "%s", cli_kind_label(b->kind, lang));
        break;
    }
}

/* ---- the write ---- */

/* The index of the item with this id (books_nitems() when there is none). */
static size_t item_index(const struct books *bk, const uint8_t id[32])
{
    size_t n = books_nitems(bk);

    for (size_t i = 0; i < n; i++)
        if (memcmp(books_item(bk, i)->id, id, 32) == 0)
            return i;
    return n;
}

/* Findings that the CLI shows but does not refuse: they record a legitimate decision. */
static bool finding_allowed(uint64_t kind, int code)
{
    if (code == BOOKS_F_APPROVED_DESPITE_REJECTION || code == BOOKS_F_WITNESSED ||
        code == BOOKS_F_OFFICER_LOAN)
        return true;
    /* An entry dated into a closed year is recorded, and posts in the next (4.5). */
    if (code == BOOKS_F_LATE_POSTING)
        return true;
    /* A general journal may touch a product's account to correct it (ACCOUNTING.md 3.1). */
    return kind == PROTO_KIND_JOURNAL_A && code == BOOKS_F_PATTERN;
}

static const uint8_t *finding_item_id(const struct books *bk, const struct books_finding *f)
{
    if (f->item < 0 || (size_t)f->item >= books_nitems(bk))
        return NULL;
    return books_item(bk, (size_t)f->item)->id;
}

/* true if the books before hold the same finding: same code about the same entry, member and
 * account (its figures may move: a deposit that shortens an overdraft must not be refused for
 * changing the overdraft's figures). */
static bool finding_known(const struct books *before, const struct books *after,
                          const struct books_finding *f)
{
    const struct books_finding *v = books_findings(before);
    size_t n = books_nfindings(before);
    const uint8_t *id = finding_item_id(after, f);

    for (size_t i = 0; i < n; i++) {
        const uint8_t *vid = finding_item_id(before, &v[i]);

        if (v[i].code != f->code || v[i].member != f->member || v[i].account != f->account)
            continue;
        if ((id == NULL) != (vid == NULL) || (id && memcmp(id, vid, 32) != 0))
            continue;
        return true;
    }
    return false;
}

static json_t *postings_json(const struct proto_line *l, int n)
{
    json_t *arr = json_array();

    for (int i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:i, s:o, s:o, s:o}", "account", (json_int_t)l[i].account, "member",
                              l[i].member ? json_integer(l[i].member) : json_null(), "debit",
                              cli_json_u64(l[i].debit), "credit", cli_json_u64(l[i].credit));

        if (!o || json_array_append_new(arr, o) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* The waiting details of an item as JSON fields of o. */
static int wait_json(json_t *o, const struct books_item *it, int lang)
{
    char w[160], off[64];

    cli_wait_str(it, lang, w, sizeof w);
    if (json_object_set_new(o, "status", json_string(books_status_name(it->status))) < 0 ||
        json_object_set_new(o, "reason", json_string(books_reason_name(it->reason))) < 0 ||
        json_object_set_new(o, "status_text", json_string(w)) < 0)
        return -1;
    if (it->status == BOOKS_WAITING && it->reason == BOOKS_WAIT_APPROVALS &&
        (json_object_set_new(o, "missing_pengurus", json_integer(it->missing_pengurus)) < 0 ||
         json_object_set_new(o, "missing_pengawas", json_integer(it->missing_pengawas)) < 0 ||
         json_object_set_new(o, "missing_offices",
                             json_string(offices_str(it->missing_offices, off, sizeof off))) < 0))
        return -1;
    if (it->status == BOOKS_WAITING && it->reason == BOOKS_WAIT_COUNTERSIGN &&
        json_object_set_new(o, "countersign_member",
                            json_integer(it->csign_member ? it->csign_member : it->member)) < 0)
        return -1;
    return 0;
}

/* What to do about a waiting item, as a hint under its status. */
static void wait_hint(const struct books_item *it, int lang)
{
    char hex[9];

    if (it->status != BOOKS_WAITING)
        return;
    cli_hex(it->id, 4, hex);
    if (it->reason == BOOKS_WAIT_APPROVALS)
        printf(CLI_TR(lang, "  Yang menyetujui menjalankan di perangkatnya: saksi %sapprove %s\n",
                      "  Each approver runs on their own device: saksi %sapprove %s\n"),
               it->kind == PROTO_KIND_LOAN_APPLY ? "loan " : "", hex);
    else if (it->reason == BOOKS_WAIT_COUNTERSIGN)
        printf(CLI_TR(lang,
                      "  Anggota %u menandatangani di perangkatnya sendiri: saksi approve %s\n",
                      "  Member %u signs on their own device: saksi approve %s\n"),
               it->csign_member ? it->csign_member : it->member, hex);
}

static void postings_text(const struct books *bk, const struct proto_line *l, int n, uint32_t date,
                          int lang)
{
    char r[32], acct[16];

    printf("%s\n", CLI_TR(lang, "Jurnal yang dibuat:", "Postings:"));
    for (int i = 0; i < n; i++) {
        const struct proto_account *ac = books_account(bk, l[i].account, date);

        if (l[i].member)
            snprintf(acct, sizeof acct, "%u(%u)", l[i].account, l[i].member);
        else
            snprintf(acct, sizeof acct, "%u", l[i].account);
        /* The amount before the name: names are UTF-8 of any length. */
        printf("  %s %-12s %18s  %s\n", l[i].debit ? "Dr" : "Cr", acct,
               cli_rupiah(l[i].debit ? l[i].debit : l[i].credit, r), ac ? ac->name : "?");
    }
}

/*
 * Findings the recorded entry has after all (its real id can order it differently among the
 * entries of its day than the candidate's did): shown, so that nothing is silently wrong.
 */
static void after_notes(const struct cli_acct *a, const struct books *after, uint64_t kind,
                        const uint8_t id[32])
{
    const struct books_finding *f = books_findings(after);
    size_t nf = books_nfindings(after);
    char msg[400];

    for (size_t i = 0; i < nf; i++) {
        const uint8_t *fid = finding_item_id(after, &f[i]);

        if (!fid || memcmp(fid, id, 32) != 0 || finding_allowed(kind, f[i].code))
            continue; /* allowed ones were shown before writing */
        cli_finding_str(after, &f[i], a->lang, msg, sizeof msg);
        fprintf(stderr, "saksi: %s [%s]: %s\n", CLI_TR(a->lang, "catatan", "note"),
                books_code_name(f[i].code), msg);
    }
}

/* The postings of a settlement with loan offsets: each loan's receivable and interest accounts
 * from its application, as the books take them. */
static int settle_postings(const struct books *bk, const struct proto_acct_body *b,
                           struct proto_line *out, size_t max)
{
    uint32_t accts[2 * PROTO_ACCT_OFFSETS_MAX];

    for (uint32_t k = 0; k < b->u.settle.noffsets && k < PROTO_ACCT_OFFSETS_MAX; k++) {
        const struct books_loan *l = books_loan_find(bk, b->u.settle.offsets[k].loan);
        struct proto_loan_apply app;

        if (!l || books_loan_apply(bk, l, &app) < 0)
            return -EINVAL;
        accts[2 * k] = app.receivable;
        accts[2 * k + 1] = app.interest;
    }
    return proto_acct_postings(b, accts, out, max);
}

/*
 * The postings b will make once effective. A disbursement or a repayment takes its borrower and
 * accounts from the loan's application, and names the member on a deduction or excess line when
 * that account has a sub-ledger, as the books do.
 */
static int body_postings(const struct books *bk, const struct proto_acct_body *b,
                         struct proto_line *out, size_t max)
{
    const struct books_loan *l;
    struct proto_loan_apply app;
    uint32_t date = proto_acct_date(b);
    unsigned mask = 0;

    if (b->kind == PROTO_KIND_EXIT_SETTLE && b->u.settle.noffsets > 0)
        return settle_postings(bk, b, out, max);
    if (b->kind == PROTO_KIND_REVERSE) {
        /* The target's postings in the books, mirrored; a cancellation has none. */
        size_t t = books_index(bk, b->u.reverse.target);
        const struct books_item *it = books_item(bk, t);
        size_t n =
            it && books_mirror_kind(it->kind) && it->status == BOOKS_EFFECTIVE ? it->nposting : 0;

        for (size_t k = 0; k < n && k < max; k++) {
            const struct books_posting *p = &books_postings(bk)[it->first_posting + k];

            out[k] = (struct proto_line){p->account, p->member, p->debit, p->credit};
        }
        return proto_acct_mirror(out, n < max ? n : max, out, max) < 0 ? -EINVAL : (int)n;
    }
    if (b->kind != PROTO_KIND_LOAN_DISBURSE && b->kind != PROTO_KIND_LOAN_REPAY &&
        b->kind != PROTO_KIND_WRITE_OFF)
        return proto_acct_postings(b, NULL, out, max);
    l = books_loan_find(bk, b->kind == PROTO_KIND_LOAN_DISBURSE ? b->u.disburse.loan
                            : b->kind == PROTO_KIND_LOAN_REPAY  ? b->u.repay.loan
                                                                : b->u.writeoff.loan);
    if (!l || books_loan_apply(bk, l, &app) < 0)
        return -EINVAL;
    if (b->kind == PROTO_KIND_LOAN_DISBURSE) {
        for (uint32_t k = 0; k < b->u.disburse.ndeductions && k < PROTO_ACCT_FEES_MAX; k++) {
            const struct proto_account *ac =
                books_account(bk, b->u.disburse.deductions[k].account, date);

            if (ac && ac->sub)
                mask |= 1u << k;
        }
    } else if (b->kind == PROTO_KIND_LOAN_REPAY && b->u.repay.excess) {
        const struct proto_account *ac = books_account(bk, b->u.repay.excess_account, date);

        if (ac && ac->sub)
            mask |= PROTO_ACCT_SUB_EXCESS;
    }
    return proto_acct_loan_postings(b, &app, mask, out, max);
}

/*
 * The common part of every accounting write: b is the body of the kinds proto/acct.h knows (its
 * summary, postings and fields come from it), or NULL with raw describing an entry of another
 * kind (the year-end kinds of proto/close.h).
 */
static int write_entry(struct cli_acct *a, const struct proto_acct_body *b,
                       const struct cli_write *raw)
{
    struct books *cand = NULL, *after = NULL;
    struct proto_line *lines = NULL;
    struct proto_buf body;
    struct candidate c;
    const struct books_item *it, *shown;
    uint8_t prev[32], id[32], target[32];
    char summary[600], w[160], hex[65];
    int n, rc, ret = CLI_RUNTIME;
    uint64_t kind = b ? b->kind : raw->kind;
    bool is_sign = kind == PROTO_KIND_SIGN;

    proto_buf_init(&body);
    rc = b ? proto_acct_encode(b, &body) : proto_buf_append(&body, raw->body, raw->len);
    if (rc < 0) {
        cli_err("cannot encode the entry: %s", err_str(rc));
        goto out;
    }
    /* The candidate: this device's next entry, with an id no real entry has. */
    memset(&c, 0, sizeof c);
    memset(c.id, 0xff, sizeof c.id);
    memcpy(c.author, a->keys->sign_pk, 32);
    rc = store_feed_tip(a->st, a->keys->sign_pk, &c.seq, prev);
    if (rc < 0) {
        ret = cli_author_error(cli_kind_label(kind, CLI_LANG_EN), rc);
        goto out;
    }
    c.seq++;
    c.kind = kind;
    c.body = body.data;
    c.len = body.len;
    rc = books_load(a->st, &c, &cand);
    if (rc < 0) {
        cli_err("cannot derive the books with the new entry: %s", err_str(rc));
        goto out;
    }
    it = books_find(cand, c.id);
    if (!it) {
        cli_err("the books do not hold the new entry (kind %u)", (unsigned)kind);
        goto out;
    }
    if (it->status == BOOKS_MALFORMED) {
        cli_err("the new entry is malformed (a bug in saksi): nothing written");
        goto out;
    }
    if (it->status == BOOKS_VOID) {
        cli_acct_refuse(a, books_reason_name(it->reason),
                        CLI_TR(a->lang,
                               "entri ini tidak akan berlaku (%s). Tidak ada yang dicatat.",
                               "this entry would not take effect (%s). Nothing was written."),
                        books_reason_name(it->reason));
    }
    {
        const struct books_finding *f = books_findings(cand);
        size_t nf = books_nfindings(cand);
        char msg[400];

        for (size_t i = 0; i < nf; i++) {
            if (finding_known(a->bk, cand, &f[i]) ||
                (a->finding_ok && a->finding_ok(&f[i], a->finding_arg)))
                continue;
            cli_finding_str(cand, &f[i], a->lang, msg, sizeof msg);
            if (finding_allowed(kind, f[i].code)) {
                fprintf(stderr, "saksi: %s [%s]: %s\n", CLI_TR(a->lang, "catatan", "note"),
                        books_code_name(f[i].code), msg);
                continue;
            }
            cli_acct_refuse(
                a, books_code_name(f[i].code),
                CLI_TR(a->lang, "%s. Tidak ada yang dicatat.", "%s. Nothing was written."), msg);
        }
    }
    if (a->refusals) {
        ret = CLI_NEG;
        goto out;
    }
    if (b) {
        lines = calloc(PROTO_ACCT_LINES_MAX, sizeof *lines);
        if (!lines) {
            cli_err("out of memory");
            goto out;
        }
        n = body_postings(a->bk, b, lines, PROTO_ACCT_LINES_MAX);
        if (n < 0 || n > (int)PROTO_ACCT_LINES_MAX) {
            cli_err("cannot compute the postings: %s", err_str(n < 0 ? n : ERR_TOOBIG));
            goto out;
        }
    } else {
        n = (int)raw->nlines;
    }
    if (is_sign)
        memcpy(target, b->u.sign.target, 32);

    if (!a->dry_run) {
        rc = cli_author(a->ctx, a->st, a->keys, kind, &body, id);
        if (rc < 0) {
            ret = cli_author_error(cli_kind_label(kind, CLI_LANG_EN), rc);
            goto out;
        }
        rc = books_load(a->st, NULL, &after);
        if (rc < 0) {
            cli_err("the entry is recorded (%s), but the books cannot be derived: %s",
                    cli_hex(id, 32, hex), err_str(rc));
            goto out;
        }
        it = books_find(after, id);
        shown = is_sign ? books_find(after, target) : it;
        after_notes(a, after, kind, id);
    } else {
        memset(id, 0, sizeof id);
        shown = is_sign ? books_find(cand, target) : it;
    }
    if (!shown) {
        cli_err("the books do not hold the entry after writing it");
        goto out;
    }
    cli_wait_str(shown, a->lang, w, sizeof w);

    if (is_sign) {
        const struct books *bk = after ? after : cand;
        struct proto_acct_body *tb = malloc(sizeof *tb);
        size_t ix = item_index(bk, shown->id);
        char ts[400] = "";

        if (tb && ix < books_nitems(bk) && books_body(bk, ix, tb) == 0)
            body_summary(bk, tb, a->lang, ts, sizeof ts);
        free(tb);
        snprintf(summary, sizeof summary, "%s %s: %s",
                 b->u.sign.decision == PROTO_SIGN_REJECT
                     ? CLI_TR(a->lang, "Penolakan untuk", "Rejection of")
                     : CLI_TR(a->lang, "Persetujuan untuk", "Approval of"),
                 cli_hex(target, 4, hex), ts[0] ? ts : cli_kind_label(shown->kind, a->lang));
    } else if (b) {
        body_summary(a->bk, b, a->lang, summary, sizeof summary);
    } else {
        snprintf(summary, sizeof summary, "%s", raw->summary);
    }

    if (a->json) {
        json_t *o = json_object(), *tgt = NULL;

        if (!o)
            goto oom;
        if (json_object_set_new(o, "entry_id", a->dry_run ? json_null() : cli_json_hex(id, 32)) <
                0 ||
            json_object_set_new(o, "dry_run", json_boolean(a->dry_run)) < 0 ||
            json_object_set_new(o, "kind", json_integer((json_int_t)kind)) < 0 ||
            json_object_set_new(o, "kind_name", json_string(cli_kind_name(kind))) < 0 ||
            json_object_set_new(o, "summary", json_string(summary)) < 0)
            goto oom_o;
        if (is_sign) {
            char dd[11];

            tgt = json_object();
            if (!tgt || json_object_set_new(o, "target", tgt) < 0 ||
                json_object_set_new(tgt, "id", cli_json_hex(shown->id, 32)) < 0 ||
                json_object_set_new(tgt, "kind", json_integer(shown->kind)) < 0 ||
                json_object_set_new(tgt, "date",
                                    shown->date ? json_string(cli_date_str(shown->date, dd))
                                                : json_null()) < 0 ||
                json_object_set_new(
                    tgt, "member", shown->member ? json_integer(shown->member) : json_null()) < 0 ||
                json_object_set_new(tgt, "amount", cli_json_u64(shown->amount)) < 0 ||
                json_object_set_new(
                    o, "decision",
                    json_string(b->u.sign.decision == PROTO_SIGN_REJECT ? "reject" : "approve")) <
                    0 ||
                wait_json(tgt, shown, a->lang) < 0)
                goto oom_o;
        } else {
            char dd[11];
            uint32_t date = b ? proto_acct_date(b) : raw->date;
            uint32_t m = b && proto_acct_member(b) ? proto_acct_member(b) : shown->member;

            if (json_object_set_new(o, "date", json_string(cli_date_str(date, dd))) < 0 ||
                json_object_set_new(o, "member", m ? json_integer(m) : json_null()) < 0 ||
                json_object_set_new(o, "amount",
                                    cli_json_u64(b ? proto_acct_amount(b) : raw->amount)) < 0 ||
                json_object_set_new(o, "postings", postings_json(b ? lines : raw->lines, n)) <
                    0 ||
                wait_json(o, shown, a->lang) < 0)
                goto oom_o;
            if (kind == PROTO_KIND_JOURNAL_A &&
                (json_object_set_new(o, "total", cli_json_u64(proto_acct_amount(b))) < 0 ||
                 json_object_set_new(o, "lines", json_integer(b->u.ja.j.nlines)) < 0))
                goto oom_o;
        }
        if (a->extra && json_object_update(o, a->extra) < 0)
            goto oom_o;
        ret = cli_json_out(o);
        goto out;
    oom_o:
        json_decref(o);
    oom:
        cli_err("out of memory");
        goto out;
    }

    if (a->pre_text)
        fputs(a->pre_text, stdout);
    printf("%s\n", summary);
    if (a->dry_run) {
        printf("%s\n", CLI_TR(a->lang, "Tidak dicatat (--dry-run).", "Not recorded (--dry-run)."));
        if (n > 0)
            postings_text(cand, b ? lines : raw->lines, n, b ? proto_acct_date(b) : raw->date,
                          a->lang);
        printf(CLI_TR(a->lang, "Status bila dicatat: %s\n", "Status once recorded: %s\n"), w);
    } else {
        printf(CLI_TR(a->lang, "Dicatat. ID entri: %s\n", "Recorded. Entry id: %s\n"),
               cli_hex(id, 32, hex));
        if (is_sign)
            printf(CLI_TR(a->lang, "Status %s: %s\n", "Status of %s: %s\n"),
                   cli_hex(target, 4, hex), w);
        else
            printf("Status: %s\n", w);
        wait_hint(shown, a->lang);
    }
    ret = cli_stdout_done();
out:
    free(lines);
    books_free(cand);
    books_free(after);
    proto_buf_release(&body);
    return ret;
}

int cli_acct_write(struct cli_acct *a, const struct proto_acct_body *b)
{
    return write_entry(a, b, NULL);
}

int cli_acct_write_raw(struct cli_acct *a, const struct cli_write *w)
{
    return write_entry(a, NULL, w);
}

/* ---- deposit and withdraw ---- */

enum {
    OPT_MEMBER = 256,
    OPT_PRODUCT,
    OPT_CASH,
    OPT_DATE,
    OPT_MEMO,
    OPT_DRY_RUN,
    OPT_JSON,
    OPT_LANG,
    OPT_REJECT,
    OPT_NOTE,
    OPT_AS_OF,
};

struct save_args {
    const char *member, *product, *cash, *date, *memo, *amount;
};

static void deposit_usage(FILE *f)
{
    fputs("usage: saksi deposit --member N --product P AMOUNT [--cash ACCT] [--date D]\n"
          "                     [--memo TEXT] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Mencatat setoran simpanan anggota (entri jenis 48).\n"
          "Records a member's savings deposit (an entry of kind 48): Dr cash / Cr the product's\n"
          "account on the member's sub-ledger. P is a savings product code of the parameters in\n"
          "force (e.g. SP pokok, SW wajib, SS sukarela; 'saksi params show' lists them). AMOUNT\n"
          "is whole rupiah: 500000, 500.000 or Rp500.000.\n"
          "\n"
          "Refused (exit 1, nothing written) when the member is not an active member on the\n"
          "date (non-member), the product is unknown (product), or simpanan pokok would exceed\n"
          "the parameter (pokok-amount).\n"
          "\n"
          "options:\n"
          "  --member N     member number\n"
          "  --product P    savings product code\n"
          "  --cash ACCT    cash or bank account that receives the money (default: the first\n"
          "                 cash account of the parameters, normally 1100 Kas)\n"
          "  --date D       business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT    a note (at most 200 bytes)\n"
          "  --dry-run      check and show the entry and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi deposit --member 7 --product SS 500.000 --date 2026-01-06\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static void withdraw_usage(FILE *f)
{
    fputs("usage: saksi withdraw --member N --product P AMOUNT [--cash ACCT] [--date D]\n"
          "                      [--memo TEXT] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Mencatat penarikan simpanan anggota (entri jenis 49).\n"
          "Records a withdrawal from a member's savings (an entry of kind 49): Dr the product's\n"
          "account on the member's sub-ledger / Cr cash. By default a withdrawal waits for the\n"
          "member's countersignature: the member runs 'saksi approve ID' on their own device,\n"
          "and only then does it take effect.\n"
          "\n"
          "Refused (exit 1, nothing written) when the balance does not cover it (overdrawn;\n"
          "withdrawals still waiting count), when the product is simpanan pokok or wajib and\n"
          "the member is still active (equity-withdrawal: those leave only by 'saksi member\n"
          "exit'), when the member is not an active member (non-member), or the product is\n"
          "unknown (product). Time deposits (berjangka) cannot be withdrawn with this version.\n"
          "\n"
          "options:\n"
          "  --member N     member number\n"
          "  --product P    savings product code (e.g. SS)\n"
          "  --cash ACCT    cash or bank account that pays (default: the first cash account)\n"
          "  --date D       business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT    a note (at most 200 bytes)\n"
          "  --dry-run      check and show the entry and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi withdraw --member 7 --product SS 200.000 --date 2026-02-03\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

/* Parses deposit/withdraw options. -1 to go on, else an exit code. */
static int save_parse(const char *cmd, void (*usage)(FILE *), int argc, char **argv,
                      struct cli_acct *a, struct save_args *s)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"member", required_argument, NULL, OPT_MEMBER},
        {"product", required_argument, NULL, OPT_PRODUCT},
        {"cash", required_argument, NULL, OPT_CASH},
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
            usage(stdout);
            return cli_stdout_done();
        case OPT_MEMBER:
            s->member = optarg;
            break;
        case OPT_PRODUCT:
            s->product = optarg;
            break;
        case OPT_CASH:
            s->cash = optarg;
            break;
        case OPT_DATE:
            s->date = optarg;
            break;
        case OPT_MEMO:
            s->memo = optarg;
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
        default:
            return cli_opt_error(cmd, c, argv);
        }
    }
    if (optind == argc)
        return cli_usage(cmd, "missing the AMOUNT");
    if (argc - optind > 1)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
    s->amount = argv[optind];
    if (!s->member)
        return cli_usage(cmd, "missing --member N (the member number)");
    if (!s->product)
        return cli_usage(cmd, "missing --product P (a savings product code, e.g. SS)");
    return -1;
}

/* Checks and converts the common fields. -1 to go on, else an exit code. */
static int save_fields(const char *cmd, const struct save_args *s, uint32_t *member, uint32_t *date,
                       uint64_t *amount, char *memo)
{
    uint64_t v;
    int rc;

    if (cli_uint_parse(s->member, 1, PROTO_MEMBER_MAX, &v) < 0)
        return cli_usage(cmd, "invalid member number '%s' (1 to 4294967295)", s->member);
    *member = (uint32_t)v;
    *date = cli_today();
    if (s->date && cli_date_parse(s->date, date) < 0)
        return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", s->date);
    rc = cli_amount_parse(s->amount, amount);
    if (rc < 0)
        return cli_usage(cmd, "invalid amount '%s' (whole rupiah: 500000, 500.000 or Rp500.000)",
                         s->amount);
    memo[0] = '\0';
    if (s->memo) {
        size_t n = strlen(s->memo);

        if (n > PROTO_ACCT_MEMO_MAX)
            return cli_usage(cmd, "the memo is too long (%zu bytes, at most %d)", n,
                             PROTO_ACCT_MEMO_MAX);
        if (!cli_text_ok(s->memo, n, false))
            return cli_usage(cmd, "the memo must be UTF-8 text without control characters");
        memcpy(memo, s->memo, n + 1);
    }
    return -1;
}

/* The member's waiting admission, if any. */
static const struct books_item *waiting_of(const struct books *bk, uint32_t kind, uint32_t member)
{
    for (size_t i = 0; i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind == kind && it->member == member && it->status == BOOKS_WAITING)
            return it;
    }
    return NULL;
}

/* Refuses a deposit or withdrawal for someone who is not an active member on date. */
static void member_check(struct cli_acct *a, const struct proto_params *P,
                         const struct proto_savings_product *sp, uint32_t member, uint32_t date)
{
    uint32_t admitted = 0, exited = 0;
    int st = books_member_status(a->bk, member, date, &admitted, &exited);
    const struct books_item *w;
    char d[11], hex[9];

    if (st == BOOKS_MEMBER_ACTIVE || st == BOOKS_MEMBER_LUAR)
        return;
    if (st == BOOKS_MEMBER_CALON && P->calon_allowed)
        return; /* savings, and simpanan pokok in installments */
    if (st == BOOKS_MEMBER_EXITED) {
        cli_acct_refuse(a, "non-member",
                        CLI_TR(a->lang,
                               "%u sudah keluar sebagai anggota pada %s. Simpanannya "
                               "diselesaikan dengan 'saksi member settle %u'.",
                               "%u left the koperasi on %s. Their savings are settled with "
                               "'saksi member settle %u'."),
                        member, cli_date_dmy(exited, d), member);
        return;
    }
    if (st == BOOKS_MEMBER_CALON) {
        cli_acct_refuse(a, "non-member",
                        CLI_TR(a->lang,
                               "%u calon anggota, dan parameter tidak membuka produk %s untuk "
                               "calon anggota. Terima dulu sebagai anggota biasa.",
                               "%u is a prospective member, and the parameters do not open "
                               "product %s to prospective members. Admit them as an ordinary "
                               "member first."),
                        member, sp->code);
        return;
    }
    w = waiting_of(a->bk, PROTO_KIND_MEMBER_ADMIT, member);
    if (w) {
        cli_acct_refuse(a, "non-member",
                        CLI_TR(a->lang,
                               "penerimaan anggota %u (%s) masih menunggu persetujuan. Minta "
                               "pengurus menyetujuinya dulu ('saksi approve %s').",
                               "the admission of member %u (%s) is still waiting for approval. "
                               "Ask a pengurus to approve it first ('saksi approve %s')."),
                        member, cli_hex(w->id, 4, hex), hex);
        return;
    }
    cli_acct_refuse(a, "non-member",
                    CLI_TR(a->lang,
                           "%u bukan anggota pada %s. Catat penerimaannya dulu dengan 'saksi "
                           "member admit %u'.",
                           "%u is not a member on %s. Record the admission first with 'saksi "
                           "member admit %u'."),
                    member, cli_date_dmy(date, d), member);
}

/* The savings product P.code, or a refusal listing the known codes. */
static const struct proto_savings_product *
product_arg(struct cli_acct *a, const struct proto_params *P, const char *code)
{
    const struct proto_savings_product *sp = proto_params_savings(P, code);
    char list[200];

    if (!sp)
        cli_acct_refuse(a, "product",
                        CLI_TR(a->lang, "produk simpanan '%s' tidak dikenal. Produk yang ada: %s.",
                               "unknown savings product '%s'. The products are: %s."),
                        code, cli_products_str(P, list, sizeof list));
    return sp;
}

/* Sum of the member's waiting withdrawals from account. */
static uint64_t waiting_withdrawals(const struct books *bk, uint32_t member, uint32_t account)
{
    struct proto_acct_body *b = malloc(sizeof *b);
    uint64_t sum = 0;

    for (size_t i = 0; b && i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != PROTO_KIND_WITHDRAW || it->status != BOOKS_WAITING)
            continue;
        if (books_body(bk, i, b) == 0 && b->u.withdraw.member == member &&
            b->u.withdraw.account == account)
            sum += b->u.withdraw.amount;
    }
    free(b);
    return sum;
}

static int save_run(int argc, char **argv, struct cli_ctx *ctx, bool deposit)
{
    const char *cmd = deposit ? "deposit" : "withdraw";
    struct cli_acct a;
    struct save_args s;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    const struct proto_savings_product *sp;
    uint32_t member = 0, date = 0, cash;
    uint64_t amount = 0;
    char memo[PROTO_ACCT_MEMO_MAX + 1], r1[32], r2[32], r3[40], r4[40];
    int ret;

    memset(&a, 0, sizeof a);
    memset(&s, 0, sizeof s);
    a.json = ctx->json;
    ret = save_parse(cmd, deposit ? deposit_usage : withdraw_usage, argc, argv, &a, &s);
    if (ret >= 0)
        return ret;
    ret = save_fields(cmd, &s, &member, &date, &amount, memo);
    if (ret >= 0)
        return ret;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = CLI_NEG;
    P = cli_acct_params(&a, date, deposit ? PROTO_KIND_DEPOSIT : PROTO_KIND_WITHDRAW);
    if (!P)
        goto out;
    sp = product_arg(&a, P, s.product);
    if (!sp)
        goto out;
    cash = cli_role_account(a.bk, P, PROTO_AR_CASH, date);
    if (s.cash && cli_acct_cash_arg(&a, P, s.cash, date, &cash) < 0)
        goto out;
    member_check(&a, P, sp, member, date);
    if (deposit && sp->class == PROTO_SAV_POKOK) {
        int64_t bal = cli_books_balance(a.bk, member, sp->account, date);

        if (bal >= (int64_t)P->pokok)
            cli_acct_refuse(&a, "pokok-amount",
                            CLI_TR(a.lang,
                                   "simpanan pokok anggota %u sudah lunas (%s, menurut parameter "
                                   "%s). Setoran lain dicatat sebagai simpanan wajib atau "
                                   "sukarela.",
                                   "member %u's simpanan pokok is paid in full (%s; the "
                                   "parameters say %s). Record other money as simpanan wajib or "
                                   "sukarela."),
                            member, cli_rupiah_signed(bal, false, r3), cli_rupiah(P->pokok, r2));
        else if (bal + (int64_t)amount > (int64_t)P->pokok)
            cli_acct_refuse(
                &a, "pokok-amount",
                CLI_TR(a.lang,
                       "simpanan pokok anggota %u menjadi %s, padahal menurut "
                       "parameter %s (saldo sekarang %s). Setor paling banyak %s.",
                       "member %u's simpanan pokok would be %s, but the parameters "
                       "say %s (balance now %s). Deposit at most %s."),
                member, cli_rupiah((uint64_t)bal + amount, r1), cli_rupiah(P->pokok, r2),
                cli_rupiah_signed(bal, false, r3),
                cli_rupiah_signed((int64_t)P->pokok - bal > 0 ? (int64_t)P->pokok - bal : 0, false,
                                  r4));
    }
    if (!deposit) {
        uint32_t adm = 0, ex = 0;
        int64_t bal = cli_books_balance(a.bk, member, sp->account, date);
        int64_t low = balance_min_from(a.bk, member, sp->account, date);
        uint64_t waiting = waiting_withdrawals(a.bk, member, sp->account);
        int64_t avail = (low < bal ? low : bal) - (int64_t)waiting;

        if (sp->class == PROTO_SAV_BERJANGKA) {
            cli_acct_refuse(&a, "terms",
                            CLI_TR(a.lang,
                                   "simpanan berjangka %s belum dapat ditarik dengan versi ini.",
                                   "time deposit %s cannot be withdrawn with this version."),
                            sp->code);
        } else if ((sp->class == PROTO_SAV_POKOK || sp->class == PROTO_SAV_WAJIB) &&
                   books_member_status(a.bk, member, date, &adm, &ex) != BOOKS_MEMBER_EXITED) {
            cli_acct_refuse(&a, "equity-withdrawal",
                            CLI_TR(a.lang,
                                   "simpanan %s anggota %u tidak dapat ditarik selama masih "
                                   "aktif (saldo %s). Catat keluar dengan 'saksi member exit "
                                   "%u', lalu 'saksi member settle %u'.",
                                   "simpanan %s of member %u cannot be withdrawn while they "
                                   "are a member (balance %s). Record the exit with 'saksi "
                                   "member exit %u', then 'saksi member settle %u'."),
                            sp->class == PROTO_SAV_POKOK ? "pokok" : "wajib", member,
                            cli_rupiah_signed(bal, false, r1), member, member);
        } else if ((int64_t)amount > avail) {
            if (waiting)
                cli_acct_refuse(&a, "overdrawn",
                                CLI_TR(a.lang,
                                       "saldo %s anggota %u tidak cukup untuk penarikan %s "
                                       "(saldo %s, penarikan yang masih menunggu %s). Tarik "
                                       "paling banyak %s.",
                                       "the %s balance of member %u does not cover a "
                                       "withdrawal of %s (balance %s, withdrawals still "
                                       "waiting %s). Withdraw at most %s."),
                                sp->code, member, cli_rupiah(amount, r1),
                                cli_rupiah_signed(bal, false, r2), cli_rupiah(waiting, r3),
                                avail > 0 ? cli_rupiah((uint64_t)avail, r4) : "Rp0");
            else
                cli_acct_refuse(&a, "overdrawn",
                                CLI_TR(a.lang,
                                       "saldo %s anggota %u tidak cukup untuk penarikan %s "
                                       "(saldo %s). Tarik paling banyak %s.",
                                       "the %s balance of member %u does not cover a "
                                       "withdrawal of %s (balance %s). Withdraw at most %s."),
                                sp->code, member, cli_rupiah(amount, r1),
                                cli_rupiah_signed(bal, false, r2),
                                avail > 0 ? cli_rupiah((uint64_t)avail, r3) : "Rp0");
        }
    }
    if (a.refusals)
        goto out;
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    if (deposit) {
        struct proto_deposit *d = &b->u.deposit;

        b->kind = PROTO_KIND_DEPOSIT;
        d->member = member;
        d->date = date;
        memcpy(d->product, sp->code, sizeof d->product);
        d->account = sp->account;
        d->amount = amount;
        d->cash_account = cash;
        if (sp->class == PROTO_SAV_BERJANGKA) {
            d->has_term = true;
            d->term_months = sp->term_months;
            d->term_rate_ppm = sp->rate_ppm;
        }
        memcpy(d->memo, memo, sizeof d->memo);
    } else {
        struct proto_withdraw *w = &b->u.withdraw;

        b->kind = PROTO_KIND_WITHDRAW;
        w->member = member;
        w->date = date;
        memcpy(w->product, sp->code, sizeof w->product);
        w->account = sp->account;
        w->amount = amount;
        w->cash_account = cash;
        memcpy(w->memo, memo, sizeof w->memo);
    }
    if (date > cli_today()) {
        char d[11];

        cli_warn("the date %s lies in the future", cli_date_str(date, d));
    }
    ret = cli_acct_write(&a, b);
out:
    free(b);
    cli_acct_close(&a);
    return ret;
}

int cmd_deposit(int argc, char **argv, struct cli_ctx *ctx)
{
    return save_run(argc, argv, ctx, true);
}

int cmd_withdraw(int argc, char **argv, struct cli_ctx *ctx)
{
    return save_run(argc, argv, ctx, false);
}

/* ---- approve ---- */

static void approve_usage(FILE *f)
{
    fputs("usage: saksi approve ID [--reject] [--note TEXT] [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Menyetujui (atau menolak) entri yang menunggu, atau menandatanganinya sebagai anggota.\n"
          "Signs an entry (an entry of kind 33): a pengurus or pengawas approves what waits for\n"
          "approval; a member countersigns, from their own device, a withdrawal from their\n"
          "savings or confirms a receipt. ID is the entry id or a unique prefix of at least 4\n"
          "hex digits (as 'saksi pending' shows it). The output tells what the entry still\n"
          "waits for, if anything.\n"
          "\n"
          "A rejection (--reject) is recorded and shown to everyone; it never undoes an entry.\n"
          "Refused (exit 1) when this device wrote the entry or signed it already, or when the\n"
          "signature would break a rule (self-approval: nobody approves an entry about\n"
          "themselves).\n"
          "\n"
          "options:\n"
          "  --reject       record a rejection instead of an approval\n"
          "  --note TEXT    a note with the signature (at most 200 bytes)\n"
          "  --dry-run      check and show what the signature would do; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi approve 5d1e\n"
          "\n"
          "exit codes: 0 ok; 1 refused or no such entry; 2 usage error (or an ambiguous ID);\n"
          "            3 runtime error (I/O, store, lock)\n",
          f);
}

int cli_item_resolve(const struct books *bk, const char *cmd, const char *arg, uint32_t kind,
                     size_t *idx)
{
    char prefix[65], hex[65];
    size_t n = strlen(arg), matches = 0;

    if (n < ID_PREFIX_MIN || n > 64)
        return cli_usage(cmd, "ID must be an entry id of 64 hex digits or a prefix of at least %d",
                         ID_PREFIX_MIN);
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)arg[i]))
            return cli_usage(cmd, "ID must be hex digits, not '%s'", arg);
        prefix[i] = (char)tolower((unsigned char)arg[i]);
    }
    prefix[n] = '\0';
    for (size_t i = 0; i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind == PROTO_KIND_SIGN || (kind && it->kind != kind))
            continue;
        if (strncmp(cli_hex(it->id, 32, hex), prefix, n) == 0) {
            if (matches++ == 0)
                *idx = i;
        }
    }
    if (matches == 0) {
        if (kind == PROTO_KIND_LOAN_APPLY)
            cli_err("no loan %s... in this replica (see 'saksi loan list')", prefix);
        else
            cli_err("no accounting entry %s... in this replica (see 'saksi pending')", prefix);
        return CLI_NEG;
    }
    if (matches > 1)
        return cli_usage(cmd, "ID %s is ambiguous (%zu entries); give more digits", prefix,
                         matches);
    return -1;
}

/* true if this device already signed the target (author of a sign on it, or of it). */
static bool already_signed(const struct books *bk, const uint8_t target[32], const uint8_t me[32])
{
    struct proto_acct_body *b = malloc(sizeof *b);
    bool found = false;

    for (size_t i = 0; b && !found && i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != PROTO_KIND_SIGN || memcmp(it->author, me, 32) != 0)
            continue;
        found = books_body(bk, i, b) == 0 && memcmp(b->u.sign.target, target, 32) == 0;
    }
    free(b);
    return found;
}

int cmd_approve(int argc, char **argv, struct cli_ctx *ctx)
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
    struct cli_acct a;
    const char *note = NULL;
    bool reject = false;
    size_t idx = 0;
    int c, ret;

    memset(&a, 0, sizeof a);
    a.json = ctx->json;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            approve_usage(stdout);
            return cli_stdout_done();
        case OPT_REJECT:
            reject = true;
            break;
        case OPT_NOTE:
            note = optarg;
            break;
        case OPT_DRY_RUN:
            a.dry_run = true;
            break;
        case OPT_JSON:
            a.json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt("approve", optarg, &a.lang) != 0)
                return CLI_USAGE;
            break;
        default:
            return cli_opt_error("approve", c, argv);
        }
    }
    if (optind == argc)
        return cli_usage("approve", "missing the entry ID (see 'saksi pending')");
    if (argc - optind > 1)
        return cli_usage("approve", "unexpected argument '%s'", argv[optind + 1]);
    if (note && (strlen(note) > PROTO_ACCT_MEMO_MAX || !cli_text_ok(note, strlen(note), false)))
        return cli_usage("approve", "the note must be UTF-8 text of at most %d bytes",
                         PROTO_ACCT_MEMO_MAX);
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = cli_item_resolve(a.bk, "approve", argv[optind], 0, &idx);
    if (ret < 0)
        ret = cli_acct_sign(&a, idx, reject, note);
    cli_acct_close(&a);
    return ret;
}

int cli_acct_sign(struct cli_acct *a, size_t idx, bool reject, const char *note)
{
    struct proto_acct_body *b = NULL;
    const struct books_item *it;
    char hex[9];
    int ret = CLI_NEG;

    it = books_item(a->bk, idx);
    cli_hex(it->id, 4, hex);
    if (memcmp(it->author, a->keys->sign_pk, 32) == 0) {
        cli_acct_refuse(a, "already-signed",
                        CLI_TR(a->lang,
                               "entri %s ditulis oleh perangkat ini; tanda tangannya sudah "
                               "dihitung. Minta orang lain menyetujuinya.",
                               "entry %s was written by this device; its signature counts "
                               "already. Ask someone else to approve it."),
                        hex);
        goto out;
    }
    if (already_signed(a->bk, it->id, a->keys->sign_pk)) {
        cli_acct_refuse(a, "already-signed",
                        CLI_TR(a->lang, "perangkat ini sudah menandatangani entri %s.",
                               "this device has signed entry %s already."),
                        hex);
        goto out;
    }
    if (a->me.dev.role != PROTO_ROLE_PENGURUS && a->me.dev.role != PROTO_ROLE_PENGAWAS &&
        a->me.dev.member != it->member && a->me.dev.member != it->csign_member && !reject) {
        /* Approvals count pengurus and pengawas; anyone else signs only what is about them. */
        cli_acct_refuse(a, "no-effect",
                        CLI_TR(a->lang,
                               "tanda tangan perangkat ini (%s, anggota %u) tidak dihitung untuk "
                               "entri %s: yang menyetujui adalah pengurus atau pengawas, dan "
                               "anggota hanya menandatangani entri tentang dirinya.",
                               "this device's signature (%s, member %u) does not count for "
                               "entry %s: approvals come from pengurus or pengawas, and a member "
                               "signs only entries about themselves."),
                        proto_role_name(a->me.dev.role), a->me.dev.member, hex);
        goto out;
    }
    if (it->status == BOOKS_VOID || it->status == BOOKS_MALFORMED) {
        char why[64];

        cli_acct_refuse(a, "void",
                        CLI_TR(a->lang,
                               "entri %s tidak berlaku (%s); tanda tangan tidak mengubahnya. "
                               "Catat transaksinya lagi dengan benar.",
                               "entry %s has no effect (%s); no signature changes that. Record "
                               "the transaction again, correctly."),
                        hex, cli_wait_str(it, a->lang, why, sizeof why));
        goto out;
    }
    if (it->kind == PROTO_KIND_PARAMS && it->status == BOOKS_EFFECTIVE) {
        cli_acct_refuse(a, "effective",
                        CLI_TR(a->lang, "parameter %s sudah berlaku.",
                               "parameter version %s is in force already."),
                        hex);
        goto out;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_SIGN;
    memcpy(b->u.sign.target, it->id, 32);
    b->u.sign.decision = reject ? PROTO_SIGN_REJECT : PROTO_SIGN_APPROVE;
    if (note)
        snprintf(b->u.sign.note, sizeof b->u.sign.note, "%s", note);
    ret = cli_acct_write(a, b);
out:
    free(b);
    return ret;
}

/* ---- pending ---- */

static void pending_usage(FILE *f)
{
    fputs("usage: saksi pending [--member N] [--as-of D] [--json] [--lang id|en]\n"
          "\n"
          "Daftar entri yang menunggu persetujuan atau tanda tangan anggota.\n"
          "Lists the entries that wait (docs/ACCOUNTING.md 4.3): what each still needs (which\n"
          "approvals, which member's countersignature), its amount, member, age and rejections.\n"
          "Waiting entries have no effect on balances yet. Writes nothing.\n"
          "\n"
          "options:\n"
          "  --member N     only the entries about member N\n"
          "  --as-of D      entries dated up to D (default today)\n"
          "  --json         the pending report as one JSON object (with its digest)\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi pending --member 7\n"
          "\n"
          "exit codes: 0 ok; 2 usage error; 3 runtime error (I/O, store)\n",
          f);
}

int cmd_pending(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"member", required_argument, NULL, OPT_MEMBER},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"json", no_argument, NULL, OPT_JSON},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    struct books *bk = NULL;
    uint32_t as_of = cli_today(), member = 0;
    bool json = ctx->json;
    int lang = CLI_LANG_ID, c, rc, ret;
    uint64_t v;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            pending_usage(stdout);
            return cli_stdout_done();
        case OPT_MEMBER:
            if (cli_uint_parse(optarg, 1, PROTO_MEMBER_MAX, &v) < 0)
                return cli_usage("pending", "invalid member number '%s'", optarg);
            member = (uint32_t)v;
            break;
        case OPT_AS_OF:
            if (cli_date_parse(optarg, &as_of) < 0)
                return cli_usage("pending", "invalid date '%s' (use YYYY-MM-DD)", optarg);
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt("pending", optarg, &lang) != 0)
                return CLI_USAGE;
            break;
        default:
            return cli_opt_error("pending", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage("pending", "unexpected argument '%s'", argv[optind]);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    ret = CLI_RUNTIME;
    if (cli_books_load(st, &bk) < 0)
        goto out;
    ret = cli_pending_out(bk, as_of, member, lang, json);
out:
    books_free(bk);
    cli_store_close(ctx, st);
    return ret;
}
