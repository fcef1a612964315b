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

#include "proto/close.h"
#include "proto/entry.h"

struct label {
    const char *key, *id, *en;
};

/* Sorted by key (checked by nothing but care: lookups are linear, the table is small). */
static const struct label labels[] = {
    {"account", "Akun", "Account"},
    {"act_1", "Aktivitas operasi", "Operating activities"},
    {"act_2", "Aktivitas investasi", "Investing activities"},
    {"act_3", "Aktivitas pendanaan", "Financing activities"},
    {"act_99", "Lain-lain", "Other"},
    {"active_since", "anggota sejak", "member since"},
    {"additions", "Penambahan", "Additions"},
    {"amount", "Jumlah", "Amount"},
    {"arrears", "Tunggakan", "Arrears"},
    {"as_of", "per", "as of"},
    {"assets", "ASET", "ASSETS"},
    {"balance", "Saldo", "Balance"},
    {"balanced", "Seimbang", "Balanced"},
    {"bermasalah", "Pinjaman bermasalah (kurang lancar, diragukan, macet)",
     "Non-performing loans (substandard, doubtful, loss)"},
    {"borrower", "Peminjam", "Borrower"},
    {"bucket", "Kolektibilitas", "Collectibility"},
    {"capital", "Modal (S)", "Capital (S)"},
    {"cashflow", "Laporan arus kas (metode langsung)", "Statement of cash flows (direct method)"},
    {"cf_1", "Jasa pinjaman diterima", "Loan interest received"},
    {"cf_10", "Simpanan sukarela, berjangka dan khusus keluar",
     "Voluntary, time and special savings withdrawn"},
    {"cf_11", "Aset tetap", "Fixed assets"},
    {"cf_12", "Penempatan", "Placements"},
    {"cf_13", "Simpanan pokok dan wajib", "Pokok and wajib savings"},
    {"cf_14", "Pengembalian simpanan anggota keluar", "Refunds to exited members"},
    {"cf_15", "Pinjaman diterima dan dibayar", "Borrowings received and repaid"},
    {"cf_16", "SHU dan dana dibayar", "SHU and funds paid"},
    {"cf_17", "Modal penyertaan dan hibah", "Participation capital and grants"},
    {"cf_2", "Provisi, administrasi dan denda diterima", "Loan fees and penalties received"},
    {"cf_3", "Pendapatan lain diterima", "Other income received"},
    {"cf_4", "Jasa simpanan dibayar", "Savings interest paid"},
    {"cf_5", "Beban usaha dan perkoperasian dibayar", "Operating and cooperative expenses paid"},
    {"cf_6", "Pajak dibayar", "Taxes paid"},
    {"cf_7", "Pinjaman disalurkan", "Loans disbursed"},
    {"cf_8", "Angsuran pokok diterima", "Loan principal repaid"},
    {"cf_9", "Simpanan sukarela, berjangka dan khusus masuk",
     "Voluntary, time and special savings received"},
    {"class", "Kelas", "Class"},
    {"closing", "Saldo akhir", "Closing balance"},
    {"closing_cash", "Saldo kas akhir", "Cash at the end of the period"},
    {"code", "Kode", "Code"},
    {"collectibility", "Kolektibilitas", "Collectibility"},
    {"confirmed", "dikonfirmasi anggota", "confirmed by the member"},
    {"count", "Banyak", "Count"},
    {"credit", "Kredit", "Credit"},
    {"date", "Tanggal", "Date"},
    {"days", "Hari", "Days"},
    {"debit", "Debit", "Debit"},
    {"detail", "Keterangan", "Details"},
    {"digest", "Sidik laporan", "Report digest"},
    {"disbursed", "Cair", "Disbursed"},
    {"due", "Jatuh tempo", "Due"},
    {"ear", "EAR (bunga majemuk setahun)", "EAR (effective annual rate)"},
    {"effective_rate", "efektif", "effective"},
    {"entry", "Entri", "Entry"},
    {"equity", "EKUITAS", "EQUITY"},
    {"equity_report", "Laporan perubahan ekuitas", "Statement of changes in equity"},
    {"exited_on", "keluar", "left"},
    {"findings", "Temuan", "Findings"},
    {"fingerprint", "Sidik jari", "Fingerprint"},
    {"health", "Kesehatan", "Health"},
    {"inflow", "Masuk", "Inflow"},
    {"installment", "Angsuran", "Installment"},
    {"interest", "Bunga", "Interest"},
    {"interest_paid", "bunga dibayar", "interest paid"},
    {"jm", "Jasa modal", "Capital share (jasa modal)"},
    {"ju", "Jasa usaha", "Patronage share (jasa usaha)"},
    {"kind", "Jenis", "Kind"},
    {"lhu", "Laporan hasil usaha (perhitungan SHU)", "Statement of operations (SHU)"},
    {"lhu_s1", "Partisipasi bruto", "Gross member participation"},
    {"lhu_s2", "Beban pokok", "Cost of member services"},
    {"lhu_s3", "Pendapatan dari non-anggota", "Income from non-members"},
    {"lhu_s4", "Pendapatan lain", "Other income"},
    {"lhu_s5", "Beban usaha", "Operating expenses"},
    {"lhu_s6", "Beban perkoperasian", "Cooperative expenses"},
    {"lhu_s7", "Pajak penghasilan", "Income tax"},
    {"liabilities", "KEWAJIBAN", "LIABILITIES"},
    {"loan", "Pinjaman", "Loan"},
    {"loans", "Portofolio pinjaman dan kolektibilitas", "Loan portfolio and collectibility"},
    {"loans_list", "Daftar pinjaman", "Loans"},
    {"loans_section", "Pinjaman", "Loans"},
    {"member", "Anggota", "Member"},
    {"members_root", "Akar Merkle baris anggota", "Merkle root of the member rows"},
    {"missing", "Menunggu", "Waiting for"},
    {"movements", "Mutasi", "Movements"},
    {"neraca", "Neraca (laporan posisi keuangan)", "Balance sheet (financial position)"},
    {"net", "Bersih", "Net"},
    {"net_cash", "Kenaikan (penurunan) kas bersih", "Net increase (decrease) in cash"},
    {"next_due", "angsuran berikutnya", "next installment"},
    {"no", "tidak", "no"},
    {"no_findings", "Tidak ada temuan.", "No findings."},
    {"no_loans", "Tidak ada pinjaman.", "No loans."},
    {"no_members", "Tidak ada anggota yang berhak.", "No eligible members."},
    {"no_movements", "Tidak ada simpanan.", "No savings."},
    {"no_pending", "Tidak ada yang menunggu.", "Nothing is waiting."},
    {"no_proposal", "Tidak ada SHU bagian anggota untuk dibagi.", "No member SHU to allocate."},
    {"officer", "pengurus, pengawas atau kasir", "officer (pengurus, pengawas or kasir)"},
    {"officer_outstanding", "Pinjaman kepada pengurus, pengawas dan kasir", "Loans to officers"},
    {"opening", "Saldo awal", "Opening balance"},
    {"opening_cash", "Saldo kas awal", "Cash at the beginning of the period"},
    {"outflow", "Keluar", "Outflow"},
    {"outstanding", "Sisa pokok", "Outstanding"},
    {"paid", "Dibagikan", "Paid"},
    {"part", "Bagian", "Part"},
    {"partisipasi_neto", "Partisipasi neto", "Net member participation"},
    {"penalty", "Denda", "Penalty"},
    {"penalty_due", "denda terutang", "penalty due"},
    {"pending", "Menunggu persetujuan", "Waiting for approval"},
    {"period", "Periode", "Period"},
    {"pool", "Dana", "Pool"},
    {"ppap", "PPAP", "Rate"},
    {"ppap_booked", "PPAP yang dibukukan", "Allowance booked (PPAP)"},
    {"ppapwd", "PPAP wajib dibentuk (PPAPWD)", "Required allowance (PPAPWD)"},
    {"principal", "Pokok", "Principal"},
    {"prior", "Tahun lalu", "Prior year"},
    {"product", "Produk", "Product"},
    {"proposal", "Usulan pembagian SHU", "Proposed SHU allocation"},
    {"rate", "Bunga", "Rate"},
    {"ratio", "Rasio pinjaman bermasalah", "Non-performing ratio"},
    {"reconciles", "Cocok dengan saldo kas", "Agrees with the cash balances"},
    {"reductions", "Pengurangan", "Reductions"},
    {"refund_due", "Utang pengembalian simpanan", "Savings refund due"},
    {"refund_overdue", "lewat jatuh tempo", "overdue"},
    {"rejected", "ditolak", "rejected"},
    {"residual", "Sisa pembulatan", "Rounding residual"},
    {"schedule", "Jadwal angsuran", "Repayment schedule"},
    {"severity", "Tingkat", "Severity"},
    {"share", "Porsi", "Share"},
    {"shu_after_tax", "SHU setelah pajak", "SHU after tax"},
    {"shu_before_tax", "SHU sebelum pajak", "SHU before tax"},
    {"shu_current", "SHU tahun berjalan", "Current-year surplus (SHU)"},
    {"shu_member", "SHU bagian anggota", "SHU from members"},
    {"shu_members", "Pembagian SHU per anggota", "SHU per member"},
    {"shu_nonmember", "SHU bagian non-anggota", "SHU from non-members"},
    {"src_1", "Penerimaan anggota", "Admissions"},
    {"src_2", "Setoran simpanan", "Deposits"},
    {"src_3", "Anggota keluar", "Member exits"},
    {"src_4", "Pembagian SHU", "SHU allocation"},
    {"src_5", "Tutup buku", "Year-end close"},
    {"src_6", "Jurnal umum", "Journals"},
    {"src_7", "Lainnya", "Other"},
    {"statement", "Laporan simpanan anggota", "Member statement"},
    {"status", "Status", "Status"},
    {"subtotal", "Jumlah", "Subtotal"},
    {"tax", "Pajak", "Tax"},
    {"to", "s.d.", "to"},
    {"top10", "10 peminjam terbesar", "10 largest borrowers"},
    {"total", "Jumlah", "Total"},
    {"total_assets", "Jumlah aset", "Total assets"},
    {"total_equity", "Jumlah ekuitas", "Total equity"},
    {"total_interest", "Jumlah bunga", "Total interest"},
    {"total_le", "Jumlah kewajiban dan ekuitas", "Total liabilities and equity"},
    {"total_liabilities", "Jumlah kewajiban", "Total liabilities"},
    {"total_paid", "Jumlah angsuran", "Total installments"},
    {"unbalanced_diff", "Selisih jurnal tidak seimbang", "Unbalanced-journal difference"},
    {"usage", "Jasa (T)", "Usage (T)"},
    {"waiting", "Menunggu", "Waiting"},
    {"written_off", "Pinjaman dihapusbukukan (pokok)", "Loans written off (principal)"},
    {"yes", "ya", "yes"},
};

int cli_lang_opt(const char *cmd, const char *s, int *lang)
{
    if (strcmp(s, "id") == 0 || strcmp(s, "indonesia") == 0) {
        *lang = CLI_LANG_ID;
        return 0;
    }
    if (strcmp(s, "en") == 0 || strcmp(s, "english") == 0) {
        *lang = CLI_LANG_EN;
        return 0;
    }
    return cli_usage(cmd, "unknown language '%s' (use id or en)", s);
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

const char *cli_kind_name(uint64_t kind)
{
    const char *n = proto_kind_name(kind);

    return strcmp(n, "unknown") == 0 ? "other" : n;
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
    case PROTO_KIND_INTEREST:
        return CLI_TR(lang, "bunga simpanan", "savings interest");
    case PROTO_KIND_LOAN_APPLY:
        return CLI_TR(lang, "pengajuan pinjaman", "loan application");
    case PROTO_KIND_LOAN_DISBURSE:
        return CLI_TR(lang, "pencairan pinjaman", "loan disbursement");
    case PROTO_KIND_LOAN_REPAY:
        return CLI_TR(lang, "angsuran pinjaman", "loan repayment");
    case PROTO_KIND_LATE_FEE:
        return CLI_TR(lang, "denda pinjaman", "late fee");
    case PROTO_KIND_PROVISION:
        return CLI_TR(lang, "penyisihan PPAP", "loan loss provision");
    case PROTO_KIND_WRITE_OFF:
        return CLI_TR(lang, "hapus buku pinjaman", "loan write-off");
    case PROTO_KIND_REVERSE:
        return CLI_TR(lang, "pembalikan", "reversal");
    case PROTO_KIND_RESOLUTION:
        return CLI_TR(lang, "keputusan rapat anggota", "members' meeting resolution");
    case PROTO_KIND_CLOSE:
        return CLI_TR(lang, "tutup buku", "year-end close");
    case PROTO_KIND_FRONTIER_PART:
        return CLI_TR(lang, "lampiran tutup buku", "close frontier part");
    case PROTO_KIND_SHU_ALLOCATE:
        return CLI_TR(lang, "pembagian SHU", "SHU allocation");
    case PROTO_KIND_SHU_PAY:
        return CLI_TR(lang, "pembayaran SHU", "SHU payment");
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

const char *cli_loan_status_label(int status, int lang)
{
    switch (status) {
    case BOOKS_LOAN_APPLIED:
        return CLI_TR(lang, "diajukan", "applied");
    case BOOKS_LOAN_APPROVED:
        return CLI_TR(lang, "disetujui", "approved");
    case BOOKS_LOAN_DISBURSED:
        return CLI_TR(lang, "dicairkan", "disbursed");
    case BOOKS_LOAN_PAID:
        return CLI_TR(lang, "lunas", "paid off");
    case BOOKS_LOAN_WRITTEN_OFF:
        return CLI_TR(lang, "hapus buku", "written off");
    case BOOKS_LOAN_REVERSED:
        return CLI_TR(lang, "dibalik", "reversed");
    default:
        return "?";
    }
}

const char *cli_klass_label(int klass, int lang)
{
    switch (klass) {
    case 1:
        return CLI_TR(lang, "lancar", "current");
    case 2:
        return CLI_TR(lang, "kurang lancar", "substandard");
    case 3:
        return CLI_TR(lang, "diragukan", "doubtful");
    case 4:
        return CLI_TR(lang, "macet", "loss");
    default:
        return "-";
    }
}

const char *cli_health_label(uint32_t ratio_ppm, int lang)
{
    /* KOPERASI.md 3.3: bermasalah / total pinjaman; the bounds belong to the better class. */
    if (ratio_ppm <= 50000)
        return CLI_TR(lang, "sehat", "healthy");
    if (ratio_ppm <= 100000)
        return CLI_TR(lang, "cukup sehat", "fairly healthy");
    if (ratio_ppm <= 150000)
        return CLI_TR(lang, "kurang sehat", "less healthy");
    return CLI_TR(lang, "tidak sehat", "unhealthy");
}

const char *cli_purpose_label(int purpose, int lang)
{
    switch (purpose) {
    case PROTO_PURPOSE_PRODUKTIF:
        return CLI_TR(lang, "produktif", "productive");
    case PROTO_PURPOSE_KONSUMTIF:
        return CLI_TR(lang, "konsumtif", "consumption");
    case PROTO_PURPOSE_PENDIDIKAN:
        return CLI_TR(lang, "pendidikan", "education");
    case PROTO_PURPOSE_KESEHATAN:
        return CLI_TR(lang, "kesehatan", "health");
    case PROTO_PURPOSE_LAINNYA:
        return CLI_TR(lang, "lainnya", "other");
    default:
        return "?";
    }
}

const char *cli_method_label(int method, int lang)
{
    switch (method) {
    case PROTO_LOAN_FLAT:
        return CLI_TR(lang, "flat", "flat");
    case PROTO_LOAN_DECLINING:
        return CLI_TR(lang, "menurun", "declining");
    case PROTO_LOAN_ANNUITY:
        return CLI_TR(lang, "anuitas", "annuity");
    default:
        return "?";
    }
}
