#!/bin/sh
# Monthly savings interest (kind 50, docs/ACCOUNTING.md 3.6, 8.1), end to end on the ketua's (K)
# and the kasir's (C) devices, which carry entries between them by file: `saksi interest show`
# with the figures of the formulas, `saksi interest post` by the kasir (waits for a pengurus),
# approval to effective, the credit on the member's statement, the refusals (month not over,
# second post), --dry-run writing nothing, --json, --lang en and --help.
#
# The standard parameters: SS sukarela, saldo harian (daily balance, ACT/365), 3 % a year, no
# interest below Rp50.000 on a day, tax 10 % above Rp240.000 a month; rounding half up.
#
# Run: SAKSI=build/saksi sh tests/cli/test_interest.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=interest
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
    _from=$1
    shift
    s "$_from" export "$T/$_from.saksi" >/dev/null 2>&1 || die "export $_from"
    for _to in "$@"; do
        s "$_to" import "$T/$_from.saksi" >/dev/null 2>&1 || die "import $_from into $_to"
    done
}

# ================= --help =================
for c in "interest" "interest post" "interest show"; do
    # shellcheck disable=SC2086
    run $c --help
    check "saksi $c --help: exit 0, usage and an example on stdout" \
        eval 'rc_is 0 && out_has "^usage: saksi interest post" && out_has "^example: saksi interest" && err_empty'
done
run --help
check "saksi --help lists interest" eval 'rc_is 0 && out_has "^  interest "'
run interest
check "saksi interest without a subcommand: exit 2" eval 'rc_is 2 && err_has "post or show"'
run interest post --product SS
check "interest post without --month: exit 2" eval 'rc_is 2 && err_has "missing --month"'
run interest show --month 2026-13 --product SS
check "interest show with a bad month: exit 2" eval 'rc_is 2 && err_has "invalid month"'

# ================= setup: a koperasi, member 7 with savings =================
for d in K C; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF
name = KSP Uji Bunga
registration = 518/BH/INT/2026
founder = 1 pengurus ketua $(card K)
founder = 2 kasir $(card C)
EOF
s K params template 2>/dev/null |
    sed 's/^adopted = .*/adopted = 2026-01-01/; s/^effective = .*/effective = 2026-01-01/' \
        >"$T/params.txt" || die "params template"
s K init koperasi.txt --params params.txt >/dev/null 2>&1 || die "init"
sync K C
s K member admit 7 --date 2026-01-02 >/dev/null 2>&1 || die "admit 7"
s K member admit 8 --date 2026-01-02 >/dev/null 2>&1 || die "admit 8"
sync K C
# Member 7: 1.000.000 on 6 Jan, 600.000 more on 20 Jan; member 8: 40.000 (below the minimum).
s C deposit --member 7 --product SS 1.000.000 --date 2026-01-06 >/dev/null 2>&1 || die "dep 7"
s C deposit --member 7 --product SS 600.000 --date 2026-01-20 >/dev/null 2>&1 || die "dep 7b"
s C deposit --member 8 --product SS 40.000 --date 2026-01-10 >/dev/null 2>&1 || die "dep 8"
sync C K

# ================= show =================
# Member 7, January: 6-19 Jan 1.000.000 x 14 = 14.000.000; 20-31 Jan 1.600.000 x 12 =
# 19.200.000; B = 33.200.000 rupiah-days; gross = 33.200.000 x 3 % / 365 = 2.728,77 -> 2.729;
# no tax (not above 240.000). Member 8: 40.000 < 50.000 every day: nothing.
run --data "$T/C" interest show --month 2026-01 --product SS
check "interest show: member 7's basis, gross and tax; not recorded yet" \
    eval 'rc_is 0 && out_has "^7  *Rp33.200.000  *Rp2.729  *Rp0  *Rp2.729$" && ! out_has "^8 " &&
          out_has "Belum dicatat"'
run --data "$T/C" interest show --month 2026-01 --product SS --json
EXP='[[7,33200000,2729,0,2729]],2729,0,null'
check "interest show --json: rows, totals, no entry yet" \
    eval 'rc_is 0 && [ "$(pyj "[[r[\"member\"], r[\"basis\"], r[\"gross\"], r[\"tax\"], r[\"net\"]] for r in d[\"rows\"]]")" = "[[7,33200000,2729,0,2729]]" ] &&
          [ "$(pyj "[d[\"total_gross\"], d[\"total_tax\"], d[\"entry_id\"], d[\"method\"], d[\"rate_ppm\"]]")" = "[2729,0,null,2,30000]" ]'
run --data "$T/C" interest show --month 2026-01 --product XX
check "interest show of an unknown product: exit 1" eval 'rc_is 1 && err_has "no savings product"'

# ================= refusals =================
check "interest post before the month is over: refused [period-open], nothing written" \
    refused C period-open interest post --month 2026-01 --product SS --date 2026-01-31
check "  ... and the message suggests the first day after the month" eval 'err_has "2026-02-01"'
check "interest post of an unknown product: refused [product]" \
    refused C product interest post --month 2026-01 --product XX --date 2026-02-01
check "interest post of a product without interest: refused [terms]" \
    refused C terms interest post --month 2026-01 --product SW --date 2026-02-01

# ================= --dry-run writes nothing =================
B=$(headj C)
run --data "$T/C" interest post --month 2026-01 --product SS --date 2026-02-01 --dry-run
check "interest post --dry-run: the entry, its postings and status; saksi head unchanged" \
    eval 'rc_is 0 && out_has "^Bunga simpanan SS bulan Januari 2026: 1 anggota, bruto Rp2.729, pajak Rp0" &&
          out_has "^  Dr 5100 " && out_has "^  Cr 2100(7) .*Rp2.729" && out_has "Tidak dicatat (--dry-run)" &&
          [ "$(headj C)" = "$B" ]'

# ================= post by the kasir, approve by the ketua =================
run --data "$T/C" interest post --month 2026-01 --product SS --date 2026-02-01 --json
ID=$(pyj 'd["entry_id"]' | tr -d '"')
check "interest post --json by the kasir: recorded, kind 50, waits for 1 pengurus" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"kind\"], d[\"amount\"], d[\"status\"], d[\"reason\"], d[\"missing_pengurus\"]]")" = "[50,2729,\"waiting\",\"approvals\",1]" ] &&
          [ ${#ID} -eq 64 ]'
EXP='[[5100,null,2729,0],[2100,7,0,2729]]'
check "  ... postings: Dr 5100 Beban bunga 2.729 / Cr 2100 member 7 2.729 (no tax line)" \
    eval '[ "$(pyj "[[p[\"account\"], p[\"member\"], p[\"debit\"], p[\"credit\"]] for p in d[\"postings\"]]")" = "$EXP" ]'
check "a second post while the first waits: refused [interest-duplicate]" \
    refused C interest-duplicate interest post --month 2026-01 --product SS --date 2026-02-02
sync C K
run --data "$T/K" approve "$(echo "$ID" | cut -c1-8)"
check "approve by the ketua: the interest entry is effective" \
    eval 'rc_is 0 && out_has "^Status $(echo "$ID" | cut -c1-8): efektif$"'
sync K C
run --data "$T/C" statement --member 7 --as-of 2026-02-28
check "statement of member 7: the interest credit on 2100 and the new balance" \
    eval 'rc_is 0 && out_has "bunga simpanan" && out_has "Rp2.729" && out_has "Rp1.602.729"'
check "a second post for the month once effective: refused [interest-duplicate]" \
    refused K interest-duplicate interest post --month 2026-01 --product SS --date 2026-02-05
run --data "$T/K" interest show --month 2026-01 --product SS --lang en
check "interest show --lang en after posting: the same row, recorded and effective" \
    eval 'rc_is 0 && out_has "^Savings interest SS, January 2026" &&
          out_has "^7  *Rp33.200.000  *Rp2.729  *Rp0  *Rp2.729$" && out_has "^Recorded: .* (effective)$"'
run --data "$T/K" report findings --year 2026 --as-of 2026-03-01 --json
check "no interest finding in the books" \
    eval 'rc_is 0 && ! grep -q "interest-" "$T/out"'

# ================= February: the January interest counts in February's balances =================
# Member 7: 1.602.729 x 28 days = 44.876.412; gross = 44.876.412 x 3 % / 365 = 3.688,47 -> 3.688.
run --data "$T/K" interest post --month 2026-02 --product SS --date 2026-03-01 --lang en
check "interest post by the ketua (--lang en): effective at once, gross 3.688" \
    eval 'rc_is 0 && out_has "^Savings interest SS for February 2026: 1 members, gross Rp3.688" &&
          out_has "^Status: efektif$\|^Status: effective$"'

echo "1..$n"
[ "$nfail" -eq 0 ]
