/* The standard chart of accounts (proto/chart.h). */
#include "proto/chart.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct std_account {
    uint16_t code;
    uint8_t type;
    bool sub;
    const char *name;
};

#define A_  PROTO_ACCT_ASSET
#define CA_ PROTO_ACCT_CONTRA_ASSET
#define L_  PROTO_ACCT_LIABILITY
#define E_  PROTO_ACCT_EQUITY
#define R_  PROTO_ACCT_REVENUE
#define X_  PROTO_ACCT_EXPENSE

/* Sorted by code; "sub" marks the accounts that keep a per-member sub-ledger. */
static const struct std_account std_chart[] = {
    {1100, A_, false, "Kas"},
    {1110, A_, false, "Bank"},
    {1120, A_, false, "Simpanan/tabungan di koperasi lain (KSP sekunder, Puskop)"},
    {1200, A_, true, "Pinjaman yang diberikan – anggota"},
    {1210, A_, false, "Pinjaman yang diberikan – koperasi lain"},
    {1290, CA_, false, "Cadangan penghapusan pinjaman (PPAP)"},
    {1300, A_, true, "Pendapatan jasa pinjaman yang masih harus diterima"},
    {1310, A_, false, "Piutang lain-lain / piutang karyawan"},
    {1400, A_, false, "Beban dibayar di muka"},
    {1500, A_, false, "Penyertaan pada koperasi sekunder (SP/SW di Puskop/Inkop)"},
    {1600, A_, false, "Tanah"},
    {1610, A_, false, "Bangunan"},
    {1620, A_, false, "Kendaraan"},
    {1630, A_, false, "Inventaris kantor"},
    {1690, CA_, false, "Akumulasi penyusutan"},
    {1700, A_, false, "Aset lain-lain (agunan diambil alih, dll.)"},
    {2100, L_, true, "Simpanan sukarela / tabungan anggota"},
    {2110, L_, true, "Simpanan berjangka anggota (≤1 th)"},
    {2120, L_, true, "Simpanan khusus (pendidikan, hari raya, pagar)"},
    {2130, L_, false, "Simpanan calon anggota / koperasi lain"},
    {2200, L_, false, "Beban jasa simpanan yang masih harus dibayar"},
    {2210, L_, false, "Utang pajak (PPh final bunga simpanan, PPh 21, dll.)"},
    {2300, L_, true, "Utang SHU bagian anggota (belum dibayar)"},
    {2310, L_, false, "Dana pengurus & pengawas"},
    {2320, L_, false, "Dana karyawan"},
    {2330, L_, false, "Dana pendidikan perkoperasian"},
    {2340, L_, false, "Dana sosial"},
    {2350, L_, false, "Dana pembangunan daerah kerja"},
    {2400, L_, true, "Utang simpanan anggota keluar"},
    {2500, L_, false, "Pinjaman dari bank/LPDB/koperasi lain – jangka pendek"},
    {2600, L_, true, "Simpanan berjangka anggota (>1 th)"},
    {2610, L_, false, "Pinjaman jangka panjang"},
    {2700, L_, false, "Liabilitas imbalan kerja"},
    {3100, E_, true, "Simpanan pokok"},
    {3110, E_, true, "Simpanan wajib"},
    {3200, E_, true, "Modal penyertaan"},
    {3300, E_, false, "Hibah / donasi"},
    {3400, E_, false, "Cadangan umum"},
    {3410, E_, false, "Cadangan tujuan risiko"},
    {3500, E_, false, "SHU tahun berjalan (belum dibagi)"},
    {3510, E_, false, "SHU/defisit tahun lalu belum dibagi"},
    {4100, R_, true, "Pendapatan jasa pinjaman anggota"},
    {4110, R_, false, "Pendapatan jasa pinjaman koperasi lain / non-anggota"},
    {4200, R_, false, "Pendapatan administrasi & provisi pinjaman"},
    {4210, R_, false, "Pendapatan denda"},
    {4300, R_, false, "Pendapatan bunga bank & penempatan"},
    {4900, R_, false, "Pendapatan lain-lain (pemulihan pinjaman dihapus, dll.)"},
    {5100, X_, false, "Beban jasa simpanan sukarela"},
    {5110, X_, false, "Beban jasa simpanan berjangka"},
    {5120, X_, false, "Beban bunga pinjaman bank/LPDB"},
    {5200, X_, false, "Beban gaji & tunjangan karyawan"},
    {5210, X_, false, "Beban honor pengurus & pengawas"},
    {5220, X_, false, "Beban penyisihan penghapusan pinjaman"},
    {5230, X_, false, "Beban penyusutan"},
    {5240, X_, false, "Beban ATK, listrik, telepon, sewa, transport"},
    {5250, X_, false, "Beban administrasi bank"},
    {5300, X_, false, "Beban perkoperasian (RAT, pendidikan anggota, pembinaan)"},
    {5900, X_, false, "Beban pajak penghasilan"},
};

#undef A_
#undef CA_
#undef L_
#undef E_
#undef R_
#undef X_

size_t proto_chart_standard_n(void)
{
    return sizeof std_chart / sizeof std_chart[0];
}

void proto_chart_standard(size_t i, struct proto_account *a)
{
    a->code = std_chart[i].code;
    a->type = std_chart[i].type;
    a->sub = std_chart[i].sub;
    (void)snprintf(a->name, sizeof a->name, "%s", std_chart[i].name);
}
