#!/bin/sh
# Exit settlement against loans, provision and write-off (docs/ACCOUNTING.md 3.5, 3.8, 8.1), end
# to end on five devices that carry entries between them by file: the ketua K (pengurus,
# member 1), the kasir C (member 2), the bendahara B (pengurus, member 3), the pengawas W
# (member 5) and the phones of members 7 (H) and 8 (G). The koperasi is founded with the
# standard parameters, except writeoff-need-rat = tidak (a write-off needs no resolution here:
# the CLI has no command for a resolution of type 4 yet), in force from today.
#
# Covered: member 7 (SP 100.000, SW 25.000, SS 2.000.000) with a PU loan of 1.000.000 over 3
# months exits and settles 35 days later, when one installment is due: refund 125.000 + savings
# 2.000.000 - (interest due 15.000 + principal 1.000.000) = 1.110.000 paid out; the loan is then
# paid off. --no-offset pays everything out. Member 8 (SP 100.000, SW 25.000) with the same loan
# settles the next day: 125.000 goes to the loan, the payout is 0 and needs no countersignature,
# 875.000 stays outstanding. A provision books PPAPWD (0,5 % of 875.000 = 4.375), then refuses a
# second; the loan is written off (2 pengurus + 1 pengawas), listed apart in the portfolio; a
# repayment after it is refused (repay-written-off). --help on each command.
#
# Run: SAKSI=build/saksi sh tests/cli/test_settle.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=settle
. "$(dirname "$0")/lib.sh"

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
err_empty() { [ ! -s "$T/err" ]; }
out_empty() { [ ! -s "$T/out" ]; }
py() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$T/out" "$1"
}
# pyj EXPR: EXPR over the JSON document on stdout, printed as compact JSON.
pyj() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2]), separators=(",", ":")))' "$T/out" "$1"
}
headj() { s "$1" head --json 2>/dev/null; }
refused() {
    _dir=$1
    _code=$2
    shift 2
    _before=$(headj "$_dir")
    run --data "$T/$_dir" "$@"
    rc_is 1 && grep -q "^saksi: ditolak \[$_code\]: " "$T/err" && out_empty &&
        [ "$(headj "$_dir")" = "$_before" ]
}
sync() {
    s "$1" export "$T/$1.saksi" >/dev/null 2>&1 || die "export $1"
    for _to in K C B W H G; do
        [ "$_to" = "$1" ] && continue
        s "$_to" import "$T/$1.saksi" >/dev/null 2>&1 || die "import $1 into $_to"
    done
}
recorded_id() { sed -n 's/^Dicatat. ID entri: \([0-9a-f]*\)$/\1/p' "$T/out"; }
add_days() {
    python3 -c 'import datetime, sys
print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=int(sys.argv[2])))' "$1" "$2"
}

# ================= --help =================
for c in "member settle" provision "loan writeoff"; do
    # shellcheck disable=SC2086
    run $c --help
    check "saksi $c --help: exit 0, usage and an example on stdout" \
        eval 'rc_is 0 && out_has "^usage: saksi $c" && out_has "^example: saksi $c" && err_empty'
done
run member settle --help
check "member settle --help explains the offsets and --no-offset" \
    eval 'out_has "^  --no-offset " && out_has "offsets"'

# ---- setup ----
for d in K C B W H G; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF
name = KSP Uji Pelunasan
registration = 518/BH/SETTLE/2026
founder = 1 pengurus ketua $(card K)
founder = 2 kasir $(card C)
founder = 3 pengurus bendahara $(card B)
founder = 5 pengawas $(card W)
EOF
s K params template >"$T/params.txt" 2>/dev/null || die "params template"
sed -i 's/^writeoff-need-rat = ya$/writeoff-need-rat = tidak/' "$T/params.txt"
grep -q '^writeoff-need-rat = tidak$' "$T/params.txt" || die "params edit"
run --data "$T/K" init koperasi.txt --params "$T/params.txt"
check "init with the standard parameters, writeoff-need-rat = tidak" eval 'rc_is 0'
D0=$(date +%Y-%m-%d)
D1=$(add_days "$D0" 1)
D35=$(add_days "$D0" 35)
D36=$(add_days "$D0" 36)
s K member add --number 7 --role anggota "$(card H)" >/dev/null 2>&1 || die "member add H"
s K member add --number 8 --role anggota "$(card G)" >/dev/null 2>&1 || die "member add G"
s K member admit 7 >/dev/null 2>&1 || die "admit 7"
s K member admit 8 >/dev/null 2>&1 || die "admit 8"
sync K
s C deposit --member 7 --product SW 25.000 >/dev/null 2>&1 || die "deposit SW 7"
s C deposit --member 7 --product SS 2.000.000 >/dev/null 2>&1 || die "deposit SS 7"
s C deposit --member 8 --product SW 25.000 >/dev/null 2>&1 || die "deposit SW 8"
sync C
# A PU loan of 1.000.000 over 3 months for each: flat 1,5 % a month, 15.000 interest a month.
loan_for() { # DEV: applies, approves (K), disburses (C), countersigns; prints the loan id
    s "$1" loan apply --product PU --principal 1.000.000 --periods 3 >"$T/out" 2>"$T/err" ||
        die "apply $1: $(cat "$T/err")"
    _id=$(recorded_id)
    sync "$1"
    s K loan approve "$_id" >/dev/null 2>&1 || die "approve $_id"
    sync K
    s C loan disburse "$_id" >"$T/out" 2>"$T/err" || die "disburse $_id: $(cat "$T/err")"
    _dis=$(recorded_id)
    sync C
    s "$1" approve "$_dis" >/dev/null 2>&1 || die "countersign $_dis"
    sync "$1"
    echo "$_id"
}
L7=$(loan_for H)
L8=$(loan_for G)
for m in 7 8; do
    # (The day after: an exit on its admission's day is judged against the admission in id
    # order, which may put the exit first.)
    s K member exit $m --reason sendiri --date "$D1" >"$T/out" 2>"$T/err" || die "exit $m: $(cat "$T/err")"
    X=$(recorded_id)
    sync K
    P=H
    [ $m = 8 ] && P=G
    s $P approve "$X" >"$T/out" 2>"$T/err" || die "countersign exit $m: $(cat "$T/err")"
    sync $P
done
run --data "$T/K" pending --json
check "setup: both loans disbursed, both exits in effect, nothing waiting" \
    eval 'rc_is 0 && [ "$(py "len(d[\"data\"])")" = 0 ]'

# ================= member 7: the netting =================
run --data "$T/K" member settle 7 --date "$D35" --dry-run
check "settle 7 --dry-run: the refund, the savings, minus the loan, = the payout" \
    eval 'rc_is 0 && out_has "Pengembalian simpanan pokok + wajib  *Rp125.000" &&
          out_has "Simpanan 2100 .*Rp2.000.000" &&
          out_has "Dikurangi pinjaman ${L7%"${L7#????????}"}: bunga Rp15.000, pokok Rp1.000.000 *-Rp1.015.000" &&
          out_has "= Dibayar tunai kepada anggota  *Rp1.110.000" && out_has "Tidak dicatat"'
check "  ... its postings credit the loan receivable and interest on member 7's sub-ledger" \
    eval 'out_has "Cr 1200(7) *Rp1.000.000" && out_has "Cr 4100(7) *Rp15.000" &&
          out_has "Cr 1100 *Rp1.110.000" && out_has "Dr 2400(7) *Rp125.000"'
run --data "$T/K" member settle 7 --date "$D35" --dry-run --json
check "settle 7 --dry-run --json: offsets [interest 15000, principal 1000000], payout 1110000" \
    eval 'rc_is 0 && [ "$(py "[d[\"payout\"], d[\"offsets\"][0][\"interest\"], d[\"offsets\"][0][\"principal\"], d[\"offsets\"][0][\"loan\"] == \"$L7\"]")" = "[1110000, 15000, 1000000, True]" ]'
run --data "$T/K" member settle 7 --date "$D35" --dry-run --no-offset --json
check "settle 7 --no-offset: no offsets, refund + savings paid out (2 postings + cash)" \
    eval 'rc_is 0 && [ "$(py "[\"offsets\" in d, d[\"postings\"][-1][\"credit\"]]")" = "[False, 2125000]" ]'
run --data "$T/K" member settle 7 --date "$D35" --lang en
S7=$(sed -n 's/^Recorded. Entry id: \([0-9a-f]*\)$/\1/p' "$T/out")
check "settle 7: recorded, waits for member 7's countersignature (cash is paid out)" \
    eval 'rc_is 0 && [ -n "$S7" ] && out_has "= Paid out in cash to the member  *Rp1.110.000" &&
          out_has "saksi approve"'
sync K
s H approve "$S7" >/dev/null 2>&1 || die "countersign settle 7"
sync H
run --data "$T/K" loan list --member 7 --as-of "$D35" --json
EXP='["paid off",0,15000]'
check "member 7's loan is paid off (lunas) on the settlement's date" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"loans\"][0][\"status\"], d[\"loans\"][0][\"outstanding\"], d[\"loans\"][0][\"interest_paid\"]]")" = "$EXP" ]'

# ================= member 8: payout 0 =================
run --data "$T/K" member settle 8 --date "$D1" --json
EXP='[0,125000,0,"effective",2]'
check "settle 8: 125.000 offsets principal (no interest due yet), payout 0, effective at once" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"payout\"], d[\"offsets\"][0][\"principal\"], d[\"offsets\"][0][\"interest\"], d[\"status\"], len(d[\"postings\"])]")" = "$EXP" ]'
sync K
run --data "$T/K" report loans --as-of "$D35" --json
EXP='[1,875000,["disbursed","paid"]]'
check "report loans on day 35: member 8's 875.000 outstanding, member 7's loan listed as paid" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"data\"][\"totals\"][\"count\"], d[\"data\"][\"totals\"][\"outstanding\"], sorted(r[\"status\"] for r in d[\"data\"][\"rows\"])]")" = "$EXP" ]'

# ================= provision =================
run --data "$T/K" provision --date "$D35"
P1=$(recorded_id)
check "provision: PPAPWD 0,5 % of 875.000 = 4.375 booked, waits for a pengawas" \
    eval 'rc_is 0 && out_has "PPAPWD per .*: Rp4.375; PPAP yang dibukukan: Rp0; selisih: Rp4.375" &&
          out_has "Penyisihan PPAP Rp4.375 (beban 5220, cadangan 1290)" && out_has "1 pengawas"'
sync K
s W approve "$P1" >/dev/null 2>&1 || die "approve provision"
sync W
check "a second provision the same day is refused (nothing-to-provide)" \
    refused K nothing-to-provide provision --date "$D35"
run --data "$T/K" report findings --as-of "$D35" --json
check "no ppap finding" eval 'rc_is 0 && ! grep -q "\"ppap\"" "$T/out"'

# ================= write-off =================
# (The next day: the books compare the allowance at the end of a provision's day with PPAPWD,
# and a write-off that day would take 875.000 out of the allowance: a ppap finding.)
run --data "$T/K" loan writeoff "$L8" --date "$D36" --dry-run
check "loan writeoff --dry-run: principal = outstanding 875.000, Dr 1290 / Cr 1200(8)" \
    eval 'rc_is 0 && out_has "Hapus buku pinjaman .* anggota 8, pokok Rp875.000" &&
          out_has "Dr 1290 *Rp875.000" && out_has "Cr 1200(8) *Rp875.000"'
run --data "$T/K" loan writeoff "$L8" --date "$D36"
W1=$(recorded_id)
check "loan writeoff: recorded, waits for 1 more pengurus and 1 pengawas" \
    eval 'rc_is 0 && [ -n "$W1" ] && out_has "menunggu"'
sync K
s B approve "$W1" >/dev/null 2>&1 || die "approve writeoff B"
sync B
s W approve "$W1" >"$T/out" 2>"$T/err" || die "approve writeoff W: $(cat "$T/err")"
sync W
run --data "$T/K" report loans --as-of "$D36" --json
EXP='[0,875000,["paid","written_off"]]'
check "report loans: nothing outstanding, written_off 875.000, the loan listed as written off" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"data\"][\"totals\"][\"outstanding\"], d[\"data\"][\"totals\"][\"written_off\"], sorted(r[\"status\"] for r in d[\"data\"][\"rows\"])]")" = "$EXP" ]'
run --data "$T/K" report loans --as-of "$D36"
check "report loans (text): hapus buku in the list and the written-off total" \
    eval 'rc_is 0 && out_has "hapus buku" && out_has "Pinjaman dihapusbukukan (pokok): Rp875.000"'
check "loan writeoff again: refused (already-recorded)" \
    refused K already-recorded loan writeoff "$L8" --date "$D36"
check "a repayment after the write-off: refused (repay-written-off)" \
    refused C repay-written-off loan repay "$L8" 100.000 --date "$(add_days "$D36" 1)"
run --data "$T/K" reverse "$W1" --reason "hapus buku keliru" --date "$(add_days "$D36" 2)" --dry-run
check "reverse the write-off --dry-run: the mirror (Dr 1200(8) / Cr 1290), nothing written" \
    eval 'rc_is 0 && out_has "Dr 1200(8) *Rp875.000" && out_has "Cr 1290 *Rp875.000" &&
          out_has "dry-run"'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
