#!/bin/sh
# `saksi reverse` (kind 64, docs/ACCOUNTING.md 3.9) end to end on three devices that carry entries
# between them by file: the ketua K (pengurus, member 1), the kasir C (member 2) and member 7's
# phone H. A deposit recorded twice is reversed and the statement shows the mirror; member 7
# withdraws their own loan application (a cancellation, no approvals); the refusals (a sign, a
# close, a target reversed already, one not in effect, a disbursed application, a date before the
# target's, a kasir without authority) exit 1 with the code and leave `saksi head` unchanged;
# --dry-run, --json, --lang en and --help.
#
# Run: SAKSI=build/saksi sh tests/cli/test_reverse.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=reverse
. "$(dirname "$0")/lib.sh"

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
err_empty() { [ ! -s "$T/err" ]; }
out_empty() { [ ! -s "$T/out" ]; }
pyj() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2]), separators=(",", ":")))' "$T/out" "$1"
}
headj() { s "$1" head --json 2>/dev/null; }
# refused DIR CODE CMD...: exit 1, "saksi: ditolak [CODE]:" on stderr, no stdout, store unchanged.
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
    for _to in K C H; do
        [ "$_to" = "$1" ] && continue
        s "$_to" import "$T/$1.saksi" >/dev/null 2>&1 || die "import $1 into $_to"
    done
}
recorded_id() { sed -n 's/^Dicatat. ID entri: \([0-9a-f]*\)$/\1/p' "$T/out"; }

# ================= --help =================
run reverse --help
check "saksi reverse --help: exit 0, usage, the refusal codes and an example on stdout" \
    eval 'rc_is 0 && out_has "^usage: saksi reverse ID --reason TEXT" && out_has "reverse-invalid" &&
          out_has "cancel-refused" && out_has "^example: saksi reverse" && err_empty'
run --help
check "saksi --help lists the reverse command" eval 'rc_is 0 && out_has "^  reverse "'
run reverse 1234
check "reverse without --reason: usage error, exit 2" eval 'rc_is 2 && err_has "reason"'

# ================= setup =================
for d in K C H; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF
name = KSP Uji Pembalikan
registration = 518/BH/REV/2026
founder = 1 pengurus ketua $(card K)
founder = 2 kasir $(card C)
EOF
s K params template 2>/dev/null |
    sed 's/^adopted = .*/adopted = 2026-01-01/; s/^effective = .*/effective = 2026-01-01/' \
        >"$T/params.txt"
check "the parameters' template has the matrix rows of reverse (1 pengurus; 2 from 5 jt)" \
    eval 'grep -q "^approve reverse >= 0 : 1 pengurus$" "$T/params.txt" &&
          grep -q "^approve reverse >= 5.000.000 : 2 pengurus$" "$T/params.txt"'
s K init koperasi.txt --params params.txt >/dev/null 2>&1 || die "init"
s K member add --number 7 --role anggota "$(card H)" >/dev/null 2>&1 || die "member add H"
s K member admit 7 --date 2026-01-05 >/dev/null 2>&1 || die "admit 7"
sync K
s C deposit --member 7 --product SS 20.000.000 --date 2026-01-06 >/dev/null 2>&1 || die "deposit"
run --data "$T/C" deposit --member 7 --product SS 500.000 --date 2026-01-06
DUP=$(recorded_id)
[ ${#DUP} -eq 64 ] || die "the second deposit"
sync C

# ================= a deposit typed twice, reversed =================
B=$(headj K)
run --data "$T/K" reverse "$(echo "$DUP" | cut -c1-6)" --reason "setoran tercatat dua kali" \
    --date 2026-01-07 --dry-run
check "reverse --dry-run: the mirror postings (Dr 2100(7) / Cr 1100) and the status, nothing written" \
    eval 'rc_is 0 && out_has "^Pembalikan setoran $(echo "$DUP" | cut -c1-8) (Rp500.000), 07-01-2026: setoran tercatat dua kali$" &&
          out_has "^  Dr 2100(7) *Rp500.000" && out_has "^  Cr 1100 *Rp500.000" &&
          out_has "^Status bila dicatat: efektif$" && [ "$(headj K)" = "$B" ]'
run --data "$T/C" reverse "$DUP" --reason "setoran tercatat dua kali" --date 2026-01-07
check "reverse by the kasir: refused [authority] (pengurus only), nothing written" \
    eval 'rc_is 1 && err_has "^saksi: ditolak \[authority\]: " && out_empty'
check "reverse dated before the deposit: refused [date-order]" \
    refused K date-order reverse "$DUP" --reason "salah" --date 2026-01-05
run --data "$T/K" reverse "$DUP" --reason "setoran tercatat dua kali" --date 2026-01-07
REV=$(recorded_id)
check "reverse by the ketua: recorded and effective (1 pengurus: the author)" \
    eval 'rc_is 0 && [ ${#REV} -eq 64 ] && out_has "^Status: efektif$" && out_has "^  Dr 2100(7) "'
run --data "$T/K" statement --member 7 --year 2026
check "the statement shows the deposit, its reversal as a debit and the balance restored" \
    eval 'rc_is 0 && out_has "^07-01-2026  $(echo "$REV" | cut -c1-8)  pembalikan  *Rp500.000  *Rp20.000.000$" &&
          out_has "Saldo akhir  *Rp20.000.000$"'
check "reverse the same deposit again: refused [duplicate-reversal], the reversal named" \
    refused K duplicate-reversal reverse "$DUP" --reason "lagi" --date 2026-01-08
check "  ... naming the reversal that counts" eval 'err_has "$(echo "$REV" | cut -c1-8)"'
run --data "$T/K" reverse "$REV" --reason "pembalikan keliru" --date 2026-01-09 --dry-run --json
EXP='[64,"effective","mirror",64,500000,[[1100,null,500000,0],[2100,7,0,500000]],"pembalikan keliru"]'
check "reverse a reversal --dry-run --json: re-instates (the mirror of the mirror)" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"kind\"], d[\"status\"], d[\"effect\"], d[\"target\"][\"kind\"], d[\"amount\"], [[p[\"account\"], p[\"member\"], p[\"debit\"], p[\"credit\"]] for p in d[\"postings\"]], d[\"reversal_reason\"]]")" = "$EXP" ]'
sync K

# ================= refusals =================
run --data "$T/C" member admit 8 --date 2026-01-10
ADM8=$(recorded_id)
sync C
run --data "$T/K" approve "$ADM8"
SIGN=$(recorded_id)
sync K
check "reverse a signature: refused [reverse-invalid]" \
    refused K reverse-invalid reverse "$SIGN" --reason "salah" --date 2026-01-11
run --data "$T/C" deposit --member 7 --product SS 6.000.000 --date 2026-01-12
BIG=$(recorded_id)
sync C
run --data "$T/K" reverse "$BIG" --reason "salah nominal" --date 2026-01-12 --lang en
check "reverse of 6 jt: recorded, waits for a second pengurus (--lang en)" \
    eval 'rc_is 0 && out_has "^Status: waiting for approval by 1 pengurus$"'
RBIG=$(sed -n 's/^Recorded. Entry id: \([0-9a-f]*\)$/\1/p' "$T/out")
check "reverse it again while the first reversal waits: refused [duplicate-reversal]" \
    refused K duplicate-reversal reverse "$BIG" --reason "lagi" --date 2026-01-12
check "reverse a reversal that waits: refused [not-effective]" \
    refused K not-effective reverse "$RBIG" --reason "batal" --date 2026-01-13
run --data "$T/K" close --year 2025 --date 2026-01-10
CLOSE=$(recorded_id)
check "reverse a close: refused [reverse-invalid], the next year named" \
    eval '[ ${#CLOSE} -eq 64 ] && refused K reverse-invalid reverse "$CLOSE" --reason "salah" --date 2026-01-11 &&
          err_has "tahun berikutnya"'
check "reverse an unknown id: exit 1" eval 'run --data "$T/K" reverse ffff0000 --reason x; rc_is 1'
sync K

# ================= a loan application withdrawn by the borrower =================
run --data "$T/H" loan apply --product PU --principal 2.000.000 --periods 6 --date 2026-02-01
APP=$(recorded_id)
check "member 7 applies on their phone: waits for 1 pengurus" \
    eval 'rc_is 0 && out_has "^Status: menunggu persetujuan 1 pengurus$"'
run --data "$T/H" reverse "$APP" --reason "tidak jadi meminjam" --date 2026-02-02 --json
check "the borrower cancels their own application: effective with no approvals, --json" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"effect\"], d[\"status\"], d[\"postings\"], d[\"target\"][\"id\"] == \"$APP\"]")" = "[\"cancellation\",\"effective\",[],true]" ]'
sync H
run --data "$T/K" pending --as-of 2026-02-28
check "the cancelled application no longer waits" eval 'rc_is 0 && ! out_has "pengajuan pinjaman"'
run --data "$T/K" loan list --as-of 2026-02-28
check "loan list no longer shows it" eval 'rc_is 0 && ! out_has "$(echo "$APP" | cut -c1-8)"'
run --data "$T/H" loan apply --product PU --principal 2.000.000 --periods 6 --date 2026-02-03
APP2=$(recorded_id)
sync H
s K loan approve "$APP2" >/dev/null 2>&1 || die "approve loan"
sync K
run --data "$T/C" loan disburse "$APP2" --date 2026-02-04
check "the kasir disburses it (waits for the borrower's receipt)" eval 'rc_is 0'
sync C
check "the borrower cancels a disbursed application: refused [cancel-refused]" \
    refused H cancel-refused reverse "$APP2" --reason "tidak jadi" --date 2026-02-05
check "  ... and told to reverse the disbursement" eval 'err_has "saksi reverse "'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
