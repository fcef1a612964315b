#!/bin/sh
# The demo generator (tests/demo/gen.c, build/saksi-gen; docs/ACCOUNTING.md 9.4): one year of
# Koperasi Simpan Pinjam Maju Bersama as an export stream. The same seed gives the same bytes
# (stream and keys directory), another seed another ledger; the stream imports into an empty
# data directory with nothing pending or rejected, and that directory runs as the bendahara's
# device once its key and the network key are copied in; the audit is clean; the books hold no
# finding at all (the generator means none: every entry is effective and by the rules); the
# neraca balances; the 30 loans are in the portfolio, one of them macet (class >= 3) and the
# others current; 50 members are registered, 49 active and 1 exited; nothing waits. Savings
# interest (kind 50): each month of 2025 has its sukarela interest, and each month from the
# berjangka placement's first anniversary its interest, recorded by the kasir on the next month's
# first day (December's on 1 January 2026) and effective, with the rows `saksi interest show`
# computes; the CLI refuses to post a month twice; 2026 so far has no finding either (December's
# interest judged clean).
#
# Run: SAKSI=build/saksi sh tests/cli/test_gen.sh   (TAP-style "ok N - ..." lines; saksi-gen is
# taken from the same directory as saksi, or from $SAKSI_GEN)
TEST_NAME=gen
. "$(dirname "$0")/lib.sh"

GEN=${SAKSI_GEN:-$(dirname "$SAKSI")/saksi-gen}
[ -x "$GEN" ] || die "$GEN is missing (make $(dirname "$SAKSI")/saksi-gen)"

rc_is() { [ "$rc" -eq "$1" ]; }
# py EXPR: EXPR evaluated over the JSON document on stdout (as d), printed.
py() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$T/out" "$1"
}
# kv KEY: a value of the generator's summary.
kv() { sed -n "s/^$1=//p" "$T/gen1.txt"; }

"$GEN" --seed 7 --keys "$T/keys1" "$T/y1.ex" >"$T/gen1.txt" 2>"$T/err" || die "saksi-gen failed"
"$GEN" --seed 7 --keys "$T/keys2" "$T/y2.ex" >"$T/gen2.txt" 2>"$T/err" || die "saksi-gen failed"
"$GEN" --seed 8 "$T/y3.ex" >/dev/null 2>"$T/err" || die "saksi-gen --seed 8 failed"
check "same seed: the same stream, byte for byte" cmp -s "$T/y1.ex" "$T/y2.ex"
check "same seed: the same keys directory" diff -r "$T/keys1" "$T/keys2"
check "another seed: another stream" eval '! cmp -s "$T/y1.ex" "$T/y3.ex"'
check "the keys directory: network.key and one key file per device (31)" \
    eval '[ -s "$T/keys1/network.key" ] && [ "$(ls "$T/keys1" | grep -c "\.key$")" -eq 32 ]'
N=$(kv entries)
check "a year of 3,000 to 6,000 entries ($N)" eval '[ "$N" -ge 3000 ] && [ "$N" -le 6000 ]'
check "the summary: 50 members, 30 loans, 3 late, 1 macet" \
    eval '[ "$(kv members)" = 50 ] && [ "$(kv loans)" = 30 ] && [ "$(kv loans_late)" = 3 ] &&
          [ "$(kv loans_macet)" = 1 ]'

run --data "$T/B" import "$T/y1.ex"
check "import into an empty data directory: every entry added, none pending or rejected" \
    eval 'rc_is 0 && grep -q "^Import: $N added, 0 already present, 0 pending, 0 forks, 0 rejected" "$T/out"'
cp "$T/keys1/$(kv bendahara_key)" "$T/B/key" && cp "$T/keys1/network.key" "$T/B/" ||
    die "cannot give the data directory the bendahara's keys"
run --data "$T/B" key show --json
KEY=$(py 'd["signing_key"]')
run --data "$T/B" member list --json
check "the data directory runs as the bendahara's device (member 3 on the roster)" \
    eval 'rc_is 0 && [ "$(py "[(r[\"member\"], r[\"office\"]) for r in d if r[\"device\"] == \"$KEY\"]")" = "[(3, '"'"'bendahara'"'"')]" ]'
run --data "$T/B" head --json
check "its ledger is the generated one" eval 'rc_is 0 && [ "$(py "d[\"ledger_id\"]")" = "$(kv ledger_id)" ]'

run --data "$T/B" audit
check "saksi audit: clean, every entry verified" \
    eval 'rc_is 0 && grep -q "Hasil: BERSIH" "$T/out" && grep -q "^Entri diverifikasi: *$N " "$T/out"'

run --data "$T/B" report findings --year 2025 --json
check "findings 2025: none at all (no deliberate findings)" eval 'rc_is 0 && [ "$(py "len(d[\"data\"])")" = 0 ]'
check "findings 2025: no serious finding" \
    eval '[ "$(py "len([f for f in d[\"data\"] if f[\"severity\"] >= 3])")" = 0 ]'

run --data "$T/B" report neraca --year 2025 --json
check "neraca 31-12-2025 balanced, assets = liabilities + equity" \
    eval 'rc_is 0 && [ "$(py "d[\"data\"][\"totals\"][\"balanced\"]")" = True ] &&
          [ "$(py "d[\"data\"][\"totals\"][\"assets\"] == d[\"data\"][\"totals\"][\"liabilities\"] + d[\"data\"][\"totals\"][\"equity\"]")" = True ]'
check "neraca: kas above zero, loans outstanding, simpanan pokok of 49 members" \
    eval '[ "$(py "[r[\"amount\"] > 0 for r in d[\"data\"][\"rows\"] if r[\"code\"] in (1100, 1200)]")" = "[True, True]" ] &&
          [ "$(py "[r[\"amount\"] for r in d[\"data\"][\"rows\"] if r[\"code\"] == 3100]")" = "[4900000]" ]'

run --data "$T/B" report loans --year 2025 --json
check "loan portfolio: the 30 loans" eval 'rc_is 0 && [ "$(py "len(d[\"data\"][\"rows\"])")" = 30 ]'
check "one loan in class >= 3, the macet member's, 271+ days past due" \
    eval '[ "$(py "[(r[\"member\"], r[\"class\"]) for r in d[\"data\"][\"rows\"] if (r[\"class\"] or 0) >= 3]")" = "[($(kv macet_member), 4)]" ] &&
          [ "$(py "[r[\"days_past_due\"] > 270 for r in d[\"data\"][\"rows\"] if (r[\"class\"] or 0) >= 3]")" = "[True]" ]'
check "every other loan current (no days past due) or paid off" \
    eval '[ "$(py "len([r for r in d[\"data\"][\"rows\"] if r[\"days_past_due\"] == 0 and r[\"status\"] in (\"disbursed\", \"paid\")])")" = 29 ]'
check "both products: flat (PU) and annuity (PA)" \
    eval '[ "$(py "sorted(set(r[\"product\"] for r in d[\"data\"][\"rows\"]))")" = "[$(printf "%s" "'"'"'PA'"'"', '"'"'PU'"'"'")]" ]'

# The register: every member's statement (status), 1..50.
act=0
ext=0
other=0
for m in $(seq 1 50); do
    st=$("$SAKSI" --data "$T/B" statement --member "$m" --year 2025 --json 2>/dev/null |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["status"])' 2>/dev/null)
    case $st in
    active) act=$((act + 1)) ;;
    exited) ext=$((ext + 1)) ;;
    *) other=$((other + 1)) ;;
    esac
done
check "50 members: 49 active and 1 exited ($act, $ext, $other other)" \
    eval '[ "$act" = 49 ] && [ "$ext" = 1 ] && [ "$other" = 0 ]'
run --data "$T/B" statement --member "$(kv exit_member)" --year 2025 --json
check "the exited member was settled: nothing left on their savings or refund" \
    eval 'rc_is 0 && [ "$(py "d[\"data\"][\"status\"]")" = exited ] &&
          [ "$(py "sum(s[\"closing\"] for s in d[\"data\"][\"savings\"])")" = 0 ]'
run --data "$T/B" statement --member "$(kv statement_member)" --year 2025 --json
check "a late payer's statement lists their loan, interest paid" \
    eval 'rc_is 0 && [ "$(py "len(d[\"data\"][\"loans\"]) >= 1 and all(l[\"interest_paid\"] > 0 for l in d[\"data\"][\"loans\"])")" = True ]'

# Savings interest (kind 50): SS every month, SB12 from the placement's first anniversary (April).
check "the summary: interest entries for 12 months of SS and at most 10 of SB12 ($(kv interest))" \
    eval '[ "$(kv interest)" -ge 13 ] && [ "$(kv interest)" -le 22 ] && [ "$(kv interest_gross)" -gt 0 ]'
ss_ok=0
sb_ok=0
sb_none=0
for mm in 01 02 03 04 05 06 07 08 09 10 11 12; do
    "$SAKSI" --data "$T/B" interest show --month "2025-$mm" --product SS --json >"$T/out" 2>"$T/err"
    [ "$(py 'd["entry_status"] == "effective" and len(d["rows"]) > 0')" = True ] && ss_ok=$((ss_ok + 1))
    "$SAKSI" --data "$T/B" interest show --month "2025-$mm" --product SB12 --json >"$T/out" 2>"$T/err"
    case $(py '(d["entry_status"], len(d["rows"]))') in
    "('effective', 1)") sb_ok=$((sb_ok + 1)) ;;
    "(None, 0)") sb_none=$((sb_none + 1)) ;;
    esac
done
check "sukarela interest of every month of 2025 recorded and effective ($ss_ok of 12)" \
    eval '[ "$ss_ok" = 12 ]'
check "berjangka interest: recorded for each month with an anniversary, no month without ($sb_ok + $sb_none)" \
    eval '[ "$sb_ok" -ge 1 ] && [ $((sb_ok + sb_none)) = 12 ]'
run --data "$T/B" interest post --month 2025-06 --product SS --date 2025-07-05
check "interest post for a month the generator recorded: refused [interest-duplicate]" \
    eval 'rc_is 1 && grep -q "\[interest-duplicate\]" "$T/err"'
run --data "$T/B" report findings --year 2026 --as-of 2026-01-31 --json
check "findings January 2026 (December's interest, recorded on 1 January): none" \
    eval 'rc_is 0 && [ "$(py "len(d[\"data\"])")" = 0 ]'

run --data "$T/B" pending --as-of 2025-12-31 --json
check "nothing waits at the end of the year" eval 'rc_is 0 && [ "$(py "len(d[\"data\"])")" = 0 ]'

echo "1..$n"
[ "$nfail" -eq 0 ]
