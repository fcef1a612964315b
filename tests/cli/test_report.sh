#!/bin/sh
# The period reports (docs/ACCOUNTING.md 6.3, 6.4, 6.5, 6.8): `saksi report shu [--members]`,
# `report equity`, `report cashflow` and `report all` over one small year on two devices, the
# ketua K (pengurus, member 1) and member 7's phone H: an admission with pokok, a wajib and a
# sukarela deposit, a loan of Rp2.400.000 with its fees and one installment, a non-member
# income, listrik and tax by journal, a sukarela withdrawal. Exact figures in text and JSON,
# the digest of the text footer equal to the JSON's, --lang en, lines at most 100 columns,
# --help and usage errors.
#
# Run: SAKSI=build/saksi sh tests/cli/test_report.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=report
. "$(dirname "$0")/lib.sh"

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
err_empty() { [ ! -s "$T/err" ]; }
# pyj EXPR: EXPR over the JSON document on stdout (as d), printed as compact JSON; the
# document must parse, or pyj prints nothing.
pyj() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2]), separators=(",", ":")))' "$T/out" "$1" 2>/dev/null
}
# sync FROM TO: export FROM and import it into TO.
sync() {
    s "$1" export "$T/$1.saksi" >/dev/null 2>&1 || die "export $1"
    s "$2" import "$T/$1.saksi" >/dev/null 2>&1 || die "import $1 into $2"
}
recorded_id() { sed -n 's/^Dicatat. ID entri: \([0-9a-f]*\)$/\1/p' "$T/out" | cut -c1-8; }
# The digest in a text footer.
text_digest() { sed -n 's/^\(Sidik laporan\|Report digest\): \([0-9a-f]\{64\}\)$/\2/p' "$T/out"; }
narrow() {
    python3 -c 'import sys
print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$T/out"
}

# ================= --help and usage =================
run report --help
check "report --help: exit 0, lists shu, equity, cashflow and --members" \
    eval 'rc_is 0 && out_has "^usage: saksi report" && out_has "^  shu  " && out_has "^  equity  " &&
          out_has "^  cashflow  " && out_has "\-\-members" && out_has "^example: saksi report" && err_empty'
run report equity --help
check "report equity --help: exit 0, the usage on stdout" eval 'rc_is 0 && out_has "^usage: saksi report"'
run report labarugi
check "an unknown report: exit 2, the reports named" eval 'rc_is 2 && err_has "shu, equity, cashflow"'
run report equity --members
check "--members with equity: exit 2" eval 'rc_is 2 && err_has "\-\-members"'

# ================= the year 2026 =================
for d in K H; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF2
name = KSP Uji Laporan
registration = 518/BH/REP/2026
founder = 1 pengurus ketua $(card K)
EOF2
s K params template 2>/dev/null |
    sed 's/^adopted = .*/adopted = 2026-01-01/; s/^effective = .*/effective = 2026-01-01/' \
        >"$T/params.txt"
s K init koperasi.txt --params params.txt >/dev/null 2>&1 || die "init"
s K member add --number 7 --role anggota "$(card H)" >/dev/null 2>&1 || die "member add H"
s K member admit 7 --date 2026-01-05 >/dev/null 2>&1 || die "admit 7"
s K deposit --member 7 --product SW 25.000 --date 2026-01-05 >/dev/null 2>&1 || die "SW"
s K deposit --member 7 --product SS 5.000.000 --date 2026-02-01 >/dev/null 2>&1 || die "SS"
sync K H
run --data "$T/H" loan apply --product PU --principal 2.400.000 --periods 12 --purpose produktif \
    --date 2026-02-10
LOAN=$(recorded_id)
[ -n "$LOAN" ] || die "loan apply"
sync H K
s K loan approve "$LOAN" >/dev/null 2>&1 || die "loan approve"
run --data "$T/K" loan disburse "$LOAN" --date 2026-02-12
DISB=$(recorded_id)
[ -n "$DISB" ] || die "loan disburse"
run --data "$T/K" withdraw --member 7 --product SS 1.000.000 --date 2026-06-01
WD=$(recorded_id)
[ -n "$WD" ] || die "withdraw"
sync K H
s H approve "$DISB" >/dev/null 2>&1 || die "countersign the disbursement"
s H approve "$WD" >/dev/null 2>&1 || die "countersign the withdrawal"
sync H K
s K loan repay "$LOAN" 236.000 --date 2026-03-12 >/dev/null 2>&1 || die "repay"
s K journal post --date 2026-03-20 --memo listrik --debit 5240=50.000 --credit 1100=50.000 \
    >/dev/null 2>&1 || die "journal listrik"
s K journal post --date 2026-05-01 --memo "jasa dari koperasi lain" --debit 1100=60.000 \
    --credit 4110=60.000 >/dev/null 2>&1 || die "journal 4110"
s K journal post --date 2026-10-31 --memo "pajak" --debit 5900=10.000 --credit 1100=10.000 \
    >/dev/null 2>&1 || die "journal pajak"
run --data "$T/K" report findings --year 2026 --as-of 2026-12-31
check "setup: every entry in effect and no findings" eval 'rc_is 0 && out_has "^Tidak ada temuan.$"'

# ================= shu (LHU) =================
# 1: 4100 jasa 36.000 + 4200 fees 24.000 + 24.000 = 84.000; 3: 4110 60.000; 5: 5240 50.000;
# 7: 5900 10.000. Before tax 84.000 + 60.000 - 50.000 = 94.000; after tax 84.000; non-member
# floor(84.000 x 60.000 / 144.000) = 35.000; member 49.000, split 40/20/25/5/5/2,5/2,5 =
# 19.600, 9.800, 12.250, 2.450, 2.450, 1.225, 1.225 (exact); Cadangan also gets the non-member
# 35.000: 54.600. Sum 84.000.
run --data "$T/K" report shu --year 2026 --as-of 2026-12-31
TD=$(text_digest)
check "report shu (text): sections with exact amounts" \
    eval 'rc_is 0 && out_has "^Laporan hasil usaha (perhitungan SHU)$" && out_has "^1. Partisipasi bruto$" &&
          out_has "^   4100  Pendapatan jasa pinjaman anggota  *Rp36.000$" && out_has "^   4200  .*Rp48.000$" &&
          out_has "^   4110  .*Rp60.000$" && out_has "^   5240  .*Rp50.000$" && out_has "^   5900  .*Rp10.000$"'
check "report shu (text): totals and the member / non-member split" \
    eval 'out_has "^Partisipasi neto  *Rp84.000$" && out_has "^SHU sebelum pajak  *Rp94.000$" &&
          out_has "^SHU setelah pajak  *Rp84.000$" && out_has "^   SHU bagian non-anggota  *Rp35.000$" &&
          out_has "^   SHU bagian anggota  *Rp49.000$"'
check "report shu (text): the proposal, Cadangan with the non-member SHU, sum Rp84.000" \
    eval 'out_has "^   Cadangan umum  *40%  *3400  *Rp54.600$" && out_has "^   Jasa modal  *20%  *2300  *Rp9.800$" &&
          out_has "^   Jasa usaha  *25%  *2300  *Rp12.250$" && out_has "^   Dana sosial  *2,5%  *2340  *Rp1.225$" &&
          out_has "^   Jumlah  *Rp84.000$"'
check "report shu (text): digest and fingerprint footer, lines at most 100 columns" \
    eval '[ ${#TD} -eq 64 ] && out_has "^Sidik jari: [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\}$" &&
          [ "$(narrow)" -le 100 ]'
run --data "$T/K" report shu --year 2026 --as-of 2026-12-31 --json
EXP='["lhu","2026-01-01","2026-12-31","2026-12-31",[[1,[[4100,36000],[4200,48000]],84000],[2,[],0],[3,[[4110,60000]],60000],[4,[],0],[5,[[5240,50000]],50000],[6,[],0],[7,[[5900,10000]],10000]]]'
check "report shu --json: the envelope and the sections as integers" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"type\"], d[\"start\"], d[\"end\"], d[\"as_of\"], [[s[\"section\"], [[r[\"account\"], r[\"amount\"]] for r in s[\"rows\"]], s[\"subtotal\"]] for s in d[\"data\"][\"sections\"]]]")" = "$EXP" ]'
EXP='[84000,94000,10000,84000,35000,49000,[[0,0,400000,3400,54600],[1,1,200000,2300,9800],[2,2,250000,2300,12250],[3,0,50000,2310,2450],[4,0,50000,2320,2450],[5,0,25000,2330,1225],[6,0,25000,2340,1225]]]'
check "report shu --json: totals and the proposal" \
    eval '[ "$(pyj "[d[\"data\"][\"totals\"][k] for k in (\"partisipasi_neto\", \"shu_before_tax\", \"tax\", \"shu_after_tax\", \"nonmember\", \"member\")] + [[[p[k] for k in (\"index\", \"role\", \"ppm\", \"account\", \"amount\")] for p in d[\"data\"][\"proposal\"]]]")" = "$EXP" ]'
EXP='["Partisipasi bruto","Pendapatan jasa pinjaman anggota","Cadangan umum"]'
check "report shu --json: labels for sections, accounts and parts; the digest of the text" \
    eval '[ "$(pyj "[d[\"labels\"][\"sections\"][\"1\"], d[\"labels\"][\"accounts\"][\"4100\"], d[\"labels\"][\"parts\"][\"0\"]]")" = "$EXP" ] &&
          [ "$(pyj "d[\"digest\"]")" = "\"$TD\"" ]'
run --data "$T/K" report shu --year 2026 --as-of 2026-12-31 --lang en
check "report shu --lang en: English labels, the same digest" \
    eval 'rc_is 0 && out_has "^Statement of operations (SHU)$" && out_has "^SHU after tax  *Rp84.000$" &&
          out_has "^1. Gross member participation$" && [ "$(text_digest)" = "$TD" ] && [ "$(narrow)" -le 100 ]'

# ================= shu --members =================
# Member 7 alone is active: S = 125.000 x 361 days (5 January .. 31 December) = 45.125.000
# rupiah-days, T = 36.000; so JM = the whole pool 9.800 and JU = 12.250, residuals 0.
run --data "$T/K" report shu --members --year 2026 --as-of 2026-12-31 --json
EXP='[["lhu","shu-members"],49000,[9800,45125000,9800,0],[12250,36000,12250,0],[[7,45125000,36000,9800,12250]],64]'
check "report shu --members --json: the LHU and the SHU per member" \
    eval 'rc_is 0 && [ "$(pyj "[[r[\"type\"] for r in d[\"reports\"]], d[\"reports\"][1][\"data\"][\"shu_member\"]] + [[d[\"reports\"][1][\"data\"][p][k] for k in (\"pool\", \"total\", \"paid\", \"residual\")] for p in (\"jm\", \"ju\")] + [[[r[k] for k in (\"member\", \"capital\", \"usage\", \"jm\", \"ju\")] for r in d[\"reports\"][1][\"data\"][\"rows\"]], len(d[\"reports\"][1][\"data\"][\"members_root\"])]")" = "$EXP" ]'
EXP='[[0,0,400000,19600],[1,1,200000,9800],[2,2,250000,12250]]'
check "report shu --members --json: the table split of the member SHU (parts)" \
    eval '[ "$(pyj "[[p[k] for k in (\"index\", \"role\", \"ppm\", \"amount\")] for p in d[\"reports\"][1][\"data\"][\"parts\"][:3]]")" = "$EXP" ]'
SMD=$(pyj 'd["reports"][1]["digest"]')
run --data "$T/K" report shu --members --year 2026 --as-of 2026-12-31
check "report shu --members (text): member 7's row, the Merkle root and the same digest" \
    eval 'rc_is 0 && out_has "^      7  *45.125.000  *Rp36.000  *Rp9.800  *Rp12.250  *Rp22.050$" &&
          out_has "^Akar Merkle baris anggota: [0-9a-f]\{64\}$" && [ "\"$(text_digest | tail -n 1)\"" = "$SMD" ] &&
          [ "$(narrow)" -le 100 ]'

# ================= equity =================
# 1 (SHU current): other credit 84.000 (fees and jasa), journals credit 60.000, debit 60.000;
# 3100: admission 100.000; 3110: deposit 25.000. Closing 209.000 = the neraca's equity.
run --data "$T/K" report equity --year 2026 --as-of 2026-12-31 --json
ED=$(pyj 'd["digest"]')
EXP='["equity",[[1,0,[[6,60000,60000],[7,84000,0]],84000],[3100,0,[[1,100000,0]],100000],[3110,0,[[2,25000,0]],25000]],0,209000]'
check "report equity --json: rows by source and totals" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"type\"], [[r[\"account\"], r[\"opening\"], [[x[\"source\"], x[\"credit\"], x[\"debit\"]] for x in r[\"sources\"]], r[\"closing\"]] for r in d[\"data\"][\"rows\"]], d[\"data\"][\"totals\"][\"opening\"], d[\"data\"][\"totals\"][\"closing\"]]")" = "$EXP" ]'
EXP='["Penerimaan anggota","SHU tahun berjalan","Simpanan pokok"]'
check "report equity --json: labels of sources and accounts" \
    eval '[ "$(pyj "[d[\"labels\"][\"sources\"][\"1\"], d[\"labels\"][\"accounts\"][\"1\"], d[\"labels\"][\"accounts\"][\"3100\"]]")" = "$EXP" ]'
run --data "$T/K" report neraca --year 2026 --as-of 2026-12-31 --json
check "equity closing = the neraca's equity" eval '[ "$(pyj "d[\"data\"][\"totals\"][\"equity\"]")" = 209000 ]'
run --data "$T/K" report equity --year 2026 --as-of 2026-12-31
check "report equity (text): rows, sources, total; the digest of the JSON" \
    eval 'rc_is 0 && out_has "^   1  SHU tahun berjalan  *Rp0  *Rp84.000$" && out_has "^        Jurnal umum  *Rp60.000  *Rp60.000$" &&
          out_has "^3100  Simpanan pokok  *Rp0  *Rp100.000$" && out_has "^Jumlah  *Rp0  *Rp209.000$" &&
          [ "\"$(text_digest)\"" = "$ED" ] && [ "$(narrow)" -le 100 ]'
run --data "$T/K" report equity --year 2026 --as-of 2026-12-31 --lang en
check "report equity --lang en" eval 'rc_is 0 && out_has "^Statement of changes in equity$" && out_has "Admissions" && [ "\"$(text_digest)\"" = "$ED" ]'

# ================= cashflow =================
# Kas: +100.000 +25.000 +5.000.000 -2.352.000 +236.000 -50.000 +60.000 -1.000.000 -10.000 =
# 2.009.000. Operating: 1 jasa 36.000 + 60.000; 2 fees 48.000; 5 -50.000; 6 -10.000; 7 loans
# out 2.400.000; 8 principal in 200.000; 9 sukarela in 5.000.000; 10 out 1.000.000: net
# 1.884.000. Financing: 13 pokok and wajib 125.000.
run --data "$T/K" report cashflow --year 2026 --as-of 2026-12-31 --json
CD=$(pyj 'd["digest"]')
EXP='["cashflow",0,[[1,[[1,96000,0],[2,48000,0],[5,0,50000],[6,0,10000],[7,0,2400000],[8,200000,0],[9,5000000,0],[10,0,1000000]],1884000],[2,[],0],[3,[[13,125000,0]],125000]],2009000,2009000,true]'
check "report cashflow --json: activities, lines, net, closing cash, reconciles" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"type\"], d[\"data\"][\"opening_cash\"], [[a[\"activity\"], [[l[\"line\"], l[\"inflow\"], l[\"outflow\"]] for l in a[\"lines\"]], a[\"net\"]] for a in d[\"data\"][\"activities\"]], d[\"data\"][\"net\"], d[\"data\"][\"closing_cash\"], d[\"data\"][\"reconciles\"]]")" = "$EXP" ]'
EXP='["Aktivitas operasi","Pinjaman disalurkan"]'
check "report cashflow --json: labels of activities and lines" \
    eval '[ "$(pyj "[d[\"labels\"][\"activities\"][\"1\"], d[\"labels\"][\"lines\"][\"7\"]]")" = "$EXP" ]'
run --data "$T/K" report cashflow --year 2026 --as-of 2026-12-31
check "report cashflow (text): lines, net, closing cash, reconciled; the JSON's digest" \
    eval 'rc_is 0 && out_has "^   Pinjaman disalurkan  *Rp2.400.000$" && out_has "^   Angsuran pokok diterima  *Rp200.000$" &&
          out_has "^   Bersih  *Rp1.884.000$" && out_has "^Saldo kas akhir  *Rp2.009.000$" &&
          out_has "^Cocok dengan saldo kas: ya$" && [ "\"$(text_digest)\"" = "$CD" ] && [ "$(narrow)" -le 100 ]'
run --data "$T/K" report cashflow --year 2026 --as-of 2026-12-31 --lang en
check "report cashflow --lang en" \
    eval 'rc_is 0 && out_has "^Operating activities$" && out_has "^Agrees with the cash balances: yes$" && [ "\"$(text_digest)\"" = "$CD" ]'

# ================= all =================
run --data "$T/K" report all --members --year 2026 --as-of 2026-12-31 --json
EXP="[[\"neraca\",\"loans\",\"pending\",\"findings\",\"lhu\",\"shu-members\",\"equity\",\"cashflow\"],$ED,$CD]"
check "report all --members --json: the four reports, then lhu, shu-members, equity, cashflow" \
    eval 'rc_is 0 && [ "$(pyj "[[r[\"type\"] for r in d[\"reports\"]], d[\"reports\"][6][\"digest\"], d[\"reports\"][7][\"digest\"]]")" = "$EXP" ]'
run --data "$T/K" report all --year 2026 --as-of 2026-12-31
check "report all (text): every report with its footer, lines at most 100 columns" \
    eval 'rc_is 0 && [ "$(grep -c "^Sidik laporan: " "$T/out")" -eq 7 ] && out_has "^Laporan perubahan ekuitas$" &&
          out_has "^Laporan arus kas (metode langsung)$" && [ "$(narrow)" -le 100 ]'

# ================= the same entries on the phone: the same digests =================
sync K H
run --data "$T/H" report all --members --year 2026 --as-of 2026-12-31 --json
check "the phone's replica gives the same digests for every report" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"reports\"][6][\"digest\"], d[\"reports\"][7][\"digest\"]]")" = "[$ED,$CD]" ]'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
