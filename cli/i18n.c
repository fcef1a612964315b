/*
 * The label table of the accounting commands (key -> Bahasa Indonesia, English) and the
 * formatters of dates, signed rupiah and percentages that their text output uses
 * (docs/ACCOUNTING.md 6.11). Labels never enter a report's data or digest: only renderers use
 * them.
 */
#include "cli/i18n.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct label {
    const char *key, *id, *en;
};

/* Sorted by key (checked by nothing but care: lookups are linear, the table is small). */
static const struct label labels[] = {
    {"account", "Akun", "Account"},
    {"active_since", "anggota sejak", "member since"},
    {"amount", "Jumlah", "Amount"},
    {"as_of", "per", "as of"},
    {"assets", "ASET", "ASSETS"},
    {"balance", "Saldo", "Balance"},
    {"balanced", "Seimbang", "Balanced"},
    {"closing", "Saldo akhir", "Closing balance"},
    {"code", "Kode", "Code"},
    {"confirmed", "dikonfirmasi anggota", "confirmed by the member"},
    {"credit", "Kredit", "Credit"},
    {"date", "Tanggal", "Date"},
    {"days", "Hari", "Days"},
    {"debit", "Debit", "Debit"},
    {"detail", "Keterangan", "Details"},
    {"digest", "Sidik laporan", "Report digest"},
    {"entry", "Entri", "Entry"},
    {"equity", "EKUITAS", "EQUITY"},
    {"exited_on", "keluar", "left"},
    {"findings", "Temuan", "Findings"},
    {"fingerprint", "Sidik jari", "Fingerprint"},
    {"kind", "Jenis", "Kind"},
    {"liabilities", "KEWAJIBAN", "LIABILITIES"},
    {"member", "Anggota", "Member"},
    {"missing", "Menunggu", "Waiting for"},
    {"movements", "Mutasi", "Movements"},
    {"neraca", "Neraca (laporan posisi keuangan)", "Balance sheet (financial position)"},
    {"no", "tidak", "no"},
    {"no_findings", "Tidak ada temuan.", "No findings."},
    {"no_movements", "Tidak ada simpanan.", "No savings."},
    {"no_pending", "Tidak ada yang menunggu.", "Nothing is waiting."},
    {"opening", "Saldo awal", "Opening balance"},
    {"pending", "Menunggu persetujuan", "Waiting for approval"},
    {"period", "Periode", "Period"},
    {"prior", "Tahun lalu", "Prior year"},
    {"product", "Produk", "Product"},
    {"refund_due", "Utang pengembalian simpanan", "Savings refund due"},
    {"refund_overdue", "lewat jatuh tempo", "overdue"},
    {"rejected", "ditolak", "rejected"},
    {"severity", "Tingkat", "Severity"},
    {"shu_current", "SHU tahun berjalan", "Current-year surplus (SHU)"},
    {"statement", "Laporan simpanan anggota", "Member statement"},
    {"status", "Status", "Status"},
    {"to", "s.d.", "to"},
    {"total", "Jumlah", "Total"},
    {"total_assets", "Jumlah aset", "Total assets"},
    {"total_equity", "Jumlah ekuitas", "Total equity"},
    {"total_le", "Jumlah kewajiban dan ekuitas", "Total liabilities and equity"},
    {"total_liabilities", "Jumlah kewajiban", "Total liabilities"},
    {"unbalanced_diff", "Selisih jurnal tidak seimbang", "Unbalanced-journal difference"},
    {"waiting", "Menunggu", "Waiting"},
    {"yes", "ya", "yes"},
};

int cli_lang_parse(const char *s, int *lang)
{
    if (strcmp(s, "id") == 0 || strcmp(s, "indonesia") == 0) {
        *lang = CLI_LANG_ID;
        return 0;
    }
    if (strcmp(s, "en") == 0 || strcmp(s, "english") == 0) {
        *lang = CLI_LANG_EN;
        return 0;
    }
    return -EINVAL;
}

const char *cli_label(int lang, const char *key)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return lang == CLI_LANG_EN ? labels[i].en : labels[i].id;
    return key;
}

json_t *cli_labels_json(int lang, const char *const *keys)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    for (size_t i = 0; keys[i]; i++)
        if (json_object_set_new(o, keys[i], json_string(cli_label(lang, keys[i]))) < 0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

const char *cli_date_dmy(uint32_t ymd, char *buf)
{
    snprintf(buf, 11, "%02u-%02u-%04u", ymd % 100, ymd / 100 % 100, ymd / 10000 % 10000);
    return buf;
}

const char *cli_date_long(uint32_t ymd, int lang, char *buf)
{
    static const char *const id[] = {"Januari",   "Februari", "Maret",    "April",
                                     "Mei",       "Juni",     "Juli",     "Agustus",
                                     "September", "Oktober",  "November", "Desember"};
    static const char *const en[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};
    unsigned m = ymd / 100 % 100;

    if (m < 1 || m > 12) {
        snprintf(buf, 24, "%u", ymd);
        return buf;
    }
    snprintf(buf, 24, "%u %s %u", ymd % 100, lang == CLI_LANG_EN ? en[m - 1] : id[m - 1],
             ymd / 10000 % 10000);
    return buf;
}

const char *cli_rupiah_signed(int64_t v, bool parens, char *buf)
{
    char r[32];
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    cli_rupiah(a, r);
    if (v >= 0)
        snprintf(buf, 40, "%s", r);
    else if (parens)
        snprintf(buf, 40, "(%s)", r);
    else
        snprintf(buf, 40, "-%s", r);
    return buf;
}

const char *cli_ppm_str(uint32_t ppm, int lang, char *buf)
{
    /* ppm / 10^4 percent: the integer part, then up to 4 decimals without trailing zeros. */
    unsigned whole = ppm / 10000, frac = ppm % 10000;
    char f[8];
    int n;

    if (frac == 0) {
        snprintf(buf, 24, "%u%%", whole);
        return buf;
    }
    n = snprintf(f, sizeof f, "%04u", frac);
    while (n > 0 && f[n - 1] == '0')
        f[--n] = '\0';
    snprintf(buf, 24, "%u%c%s%%", whole, lang == CLI_LANG_EN ? '.' : ',', f);
    return buf;
}

const char *cli_kind_label(uint64_t kind, int lang)
{
    switch (kind) {
    case 16:
        return CLI_TR(lang, "jurnal (v1)", "journal (v1)");
    case PROTO_KIND_JOURNAL_A:
        return CLI_TR(lang, "jurnal", "journal");
    case PROTO_KIND_PARAMS:
        return CLI_TR(lang, "parameter", "parameters");
    case PROTO_KIND_SIGN:
        return CLI_TR(lang, "tanda tangan", "signature");
    case PROTO_KIND_MEMBER_ADMIT:
        return CLI_TR(lang, "penerimaan anggota", "member admission");
    case PROTO_KIND_MEMBER_EXIT:
        return CLI_TR(lang, "keluar anggota", "member exit");
    case PROTO_KIND_EXIT_SETTLE:
        return CLI_TR(lang, "penyelesaian keluar", "exit settlement");
    case PROTO_KIND_DEPOSIT:
        return CLI_TR(lang, "setoran", "deposit");
    case PROTO_KIND_WITHDRAW:
        return CLI_TR(lang, "penarikan", "withdrawal");
    default:
        return CLI_TR(lang, "lainnya", "other");
    }
}

const char *cli_status_label(int status, int lang)
{
    switch (status) {
    case BOOKS_EFFECTIVE:
        return CLI_TR(lang, "efektif", "effective");
    case BOOKS_WAITING:
        return CLI_TR(lang, "menunggu", "waiting");
    case BOOKS_CANCELLED:
        return CLI_TR(lang, "dibatalkan", "cancelled");
    case BOOKS_VOID:
        return CLI_TR(lang, "tidak berlaku", "void");
    case BOOKS_MALFORMED:
        return CLI_TR(lang, "rusak", "malformed");
    default:
        return "?";
    }
}

const char *cli_member_status_label(int status, int lang)
{
    switch (status) {
    case BOOKS_MEMBER_ACTIVE:
        return CLI_TR(lang, "anggota aktif", "active member");
    case BOOKS_MEMBER_CALON:
        return CLI_TR(lang, "calon anggota", "prospective member");
    case BOOKS_MEMBER_LUAR:
        return CLI_TR(lang, "anggota luar biasa", "associate member");
    case BOOKS_MEMBER_EXITED:
        return CLI_TR(lang, "sudah keluar", "exited");
    default:
        return CLI_TR(lang, "tidak tercatat", "not registered");
    }
}

const char *cli_class_label(int member_class, int lang)
{
    switch (member_class) {
    case PROTO_CLASS_BIASA:
        return CLI_TR(lang, "anggota biasa", "ordinary member");
    case PROTO_CLASS_CALON:
        return CLI_TR(lang, "calon anggota", "prospective member");
    case PROTO_CLASS_LUAR:
        return CLI_TR(lang, "anggota luar biasa", "associate member");
    default:
        return "?";
    }
}

const char *cli_reason_label(int exit_reason, int lang)
{
    switch (exit_reason) {
    case PROTO_EXIT_OWN:
        return CLI_TR(lang, "permintaan sendiri", "own request");
    case PROTO_EXIT_DIED:
        return CLI_TR(lang, "meninggal", "deceased");
    case PROTO_EXIT_DISMISSED:
        return CLI_TR(lang, "diberhentikan", "dismissed");
    case PROTO_EXIT_OTHER:
        return CLI_TR(lang, "lainnya", "other");
    default:
        return "?";
    }
}

const char *cli_severity_label(int severity, int lang)
{
    switch (severity) {
    case BOOKS_INFO:
        return CLI_TR(lang, "info", "info");
    case BOOKS_ATTENTION:
        return CLI_TR(lang, "perhatian", "attention");
    case BOOKS_SERIOUS:
        return CLI_TR(lang, "serius", "serious");
    default:
        return "?";
    }
}
