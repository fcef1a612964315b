#!/bin/sh
# The year end through the CLI (docs/ACCOUNTING.md 3.3, 3.4, 3.10): a generated year of Koperasi
# Maju Bersama (build/saksi-gen) is closed by the ketua and approved by the bendahara; the
# closing entries empty revenue and expense into SHU tahun berjalan; a late entry dated into the
# closed year posts in the next year (late-posting) and the closed year's digests still hold;
# the RAT's resolution (declared tally, quorum and eligible count checked) adopts the SHU
# allocation, which is written from the closed set and approved; the members are paid, one in
# cash confirmed on their own device, the rest into simpanan sukarela; the audit is clean, and
# a second device that imports the same entries computes the same digests. Every refusal
# (close-early, close-conflict, resolution, quorum, eligible-count, shu-twice) leaves the ledger
# head unchanged.
#
# One data directory plays every device: the device key file is swapped before each command
# (as() below), which is what several devices holding the same entries would do.
#
# Run: SAKSI=build/saksi sh tests/cli/test_close.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=close
. "$(dirname "$0")/lib.sh"

GEN=${SAKSI_GEN:-$(dirname "$SAKSI")/saksi-gen}
[ -x "$GEN" ] || die "$GEN is missing (make $(dirname "$SAKSI")/saksi-gen)"

rc_is() { [ "$rc" -eq "$1" ]; }
py() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$T/out" "$1"
}
out_has() { grep -q -- "$1" "$T/out"; }
err_has() { grep -q -- "$1" "$T/err"; }
# as DEVICE ARGS...: saksi on the ledger as DEVICE (its key file from the generator).
as() {
    _who=$1
    shift
    cp "$T/keys/$_who.key" "$T/B/key"
    run --data "$T/B" "$@"
}
headid() { "$SAKSI" --data "$T/B" head --json | jget head; }
# refused CODE: exit 1, the rule code on stderr, nothing written.
refused() { rc_is 1 && err_has "\[$1\]" && [ "$(headid)" = "$H0" ]; }
# codes: the distinct finding codes of a findings report on stdout, comma-separated.
codes() { py '",".join(sorted(set(f["code"] for f in d["data"])))'; }
# id8: the first entry id of `saksi ... --json` output.
id8() { py 'd["entry_id"][:8]'; }

"$GEN" --seed 2025 --keys "$T/keys" "$T/y.ex" >"$T/gen.txt" 2>"$T/err" || die "saksi-gen failed"
"$SAKSI" --data "$T/B" import "$T/y.ex" >/dev/null 2>"$T/err" || die "import failed"
cp "$T/keys/network.key" "$T/B/network.key"

# ---- help ----
for c in close "rat resolve" "shu allocate" "shu pay"; do
    # shellcheck disable=SC2086
    run $c --help
    check "saksi $c --help" eval 'rc_is 0 && out_has "^usage: saksi"'
done

# ---- close ----
H0=$(headid)
as ketua close --year 2025 --date 2025-12-31
check "close on the year's last day: refused [close-early], nothing written" refused close-early
as kasir close --year 2025 --date 2026-01-10
check "close by the kasir: refused [authority]" refused authority
as ketua close --year 2025 --date 2026-01-10 --dry-run --json
check "close --dry-run: the close computed (7 digests named), nothing written" \
    eval 'rc_is 0 && [ "$(headid)" = "$H0" ] && [ "$(py "d[\"dry_run\"]")" = True ]'
as ketua close --year 2025 --date 2026-01-10 --json
CLOSE=$(id8)
check "close by the ketua: recorded, waits for the bendahara" \
    eval 'rc_is 0 && [ "$(py "d[\"status\"]")" = waiting ] && [ "$(py "d[\"reason\"]")" = approvals ]'
as bendahara approve "$CLOSE"
check "the bendahara approves: the close is effective" eval 'rc_is 0 && out_has "efektif"'
H0=$(headid)
as ketua close --year 2025 --date 2026-01-11
check "a second close of 2025: refused [close-conflict]" refused close-conflict

run --data "$T/B" report shu --year 2025 --json
SHU=$(py 'd["data"]["totals"]["shu_after_tax"]')
run --data "$T/B" report neraca --as-of 2025-12-31 --json
check "after the close: SHU tahun berjalan 0, 3500 holds the year's SHU ($SHU)" \
    eval '[ "$(py "[r[\"amount\"] for r in d[\"data\"][\"rows\"] if r[\"code\"] == 3500][0]")" = "$SHU" ] &&
          [ "$(py "sum(r[\"amount\"] for r in d[\"data\"][\"rows\"] if r[\"code\"] == 1)")" = 0 ]'
run --data "$T/B" report all --year 2025 --as-of 2025-12-31 --json
D2025=$(py '" ".join(r["digest"] for r in d["reports"])')
check "the year's reports name their basis: the close's frontier digest" \
    eval '[ "$(py "len(set(r[\"basis\"] for r in d[\"reports\"] if r[\"type\"] != \"pending\"))")" = 1 ] &&
          [ "$(py "len(d[\"reports\"][0][\"basis\"])")" = 64 ]'

# ---- a late entry ----
as ketua journal post --date 2025-12-20 --memo "Listrik Desember (terlambat)" \
    --debit 5240=150000 --credit 1100=150000
check "an expense dated 20-12-2025, recorded after the close" rc_is 0
run --data "$T/B" report all --year 2025 --as-of 2025-12-31 --json
check "  ... the closed year's digests do not change" \
    eval '[ "$(py "\" \".join(r[\"digest\"] for r in d[\"reports\"])")" = "$D2025" ]'
run --data "$T/B" report findings --year 2026 --as-of 2026-01-31 --json
check "  ... it posts on 01-01-2026 (late-posting); no close-mismatch or digest-mismatch" \
    eval '[ "$(codes)" = late-posting ]'

# ---- the RAT's resolution ----
H0=$(headid)
as bendahara shu allocate --year 2025 --date 2026-02-21
check "shu allocate before the RAT: refused [resolution]" refused resolution
as ketua rat resolve --close "$CLOSE" --ratify --shu --tally 49,20,18,1,1 --date 2026-02-20
check "a RAT of 20 present out of 49: refused [quorum]" refused quorum
as ketua rat resolve --close "$CLOSE" --ratify --shu --tally 60,40,38,1,1 --date 2026-02-20
check "60 eligible when 49 members are active: refused [eligible-count]" refused eligible-count
as ketua rat resolve --close "$CLOSE" --ratify --shu --tally 49,38,36,1,1 --date 2026-02-20 --json
RES=$(id8)
check "the resolution: waits for the sekretaris and a pengawas" \
    eval 'rc_is 0 && [ "$(py "d[\"status\"]")" = waiting ]'
as sekretaris approve "$RES"
as pengawas-1 approve "$RES"
check "  ... approved: effective" eval 'rc_is 0 && out_has "efektif"'

# ---- SHU allocation and payment ----
as bendahara shu allocate --year 2025 --date 2026-02-21 --json
ALLOC=$(id8)
check "shu allocate: one part, the whole SHU after tax, waits for a second pengurus" \
    eval 'rc_is 0 && [ "$(py "d[\"amount\"]")" = "$SHU" ] && [ "$(py "d[\"status\"]")" = waiting ]'
as ketua approve "$ALLOC"
check "  ... approved: effective" eval 'rc_is 0 && out_has "efektif"'
H0=$(headid)
as bendahara shu allocate --year 2025 --date 2026-02-22
check "a second allocation: refused [shu-twice]" refused shu-twice
run --data "$T/B" report neraca --as-of 2026-02-28 --json
OWED=$(py '[r["amount"] for r in d["data"]["rows"] if r["code"] == 2300][0]')
check "after the allocation: 3500 is empty, the members are owed Rp$OWED (2300)" \
    eval '[ "$(py "sum(r[\"amount\"] for r in d[\"data\"][\"rows\"] if r[\"code\"] == 3500)")" = 0 ] &&
          [ "$OWED" -gt 0 ]'
as bendahara shu pay --year 2025 --member 16 --to kas --date 2026-03-01 --json
PAY16=$(id8)
check "SHU paid to member 16 in cash: waits for member 16's own signature" \
    eval 'rc_is 0 && [ "$(py "d[\"reason\"]")" = countersign ]'
H0=$(headid)
as bendahara shu pay --year 2025 --member 16 --date 2026-03-01
check "paying member 16 again while the cash payment waits: refused [waiting]" refused waiting
as anggota-16 approve "$PAY16"
check "  ... member 16 confirms on their phone: effective" eval 'rc_is 0 && out_has "efektif"'
as bendahara shu pay --year 2025 --all --to sukarela --date 2026-03-01
check "everyone else paid into simpanan sukarela" rc_is 0
run --data "$T/B" report neraca --as-of 2026-03-31 --json
check "  ... nothing is owed any more (2300 gone from the neraca), the neraca balances" \
    eval '[ "$(py "sum(r[\"amount\"] for r in d[\"data\"][\"rows\"] if r[\"code\"] == 2300)")" = 0 ] &&
          [ "$(py "d[\"data\"][\"totals\"][\"balanced\"]")" = True ]'
H0=$(headid)
as bendahara shu pay --year 2025 --member 16 --date 2026-03-02
check "paying member 16 twice: refused [overdrawn]" refused overdrawn

# ---- a write-off approved by the members (writeoff_need_rat in the standard parameters) ----
run --data "$T/B" loan list --member 30 --json
LOAN=$(py 'd["loans"][0]["loan"][:8]')
H0=$(headid)
as ketua loan writeoff "$LOAN" --date 2026-03-05
check "writing off member 30's macet loan without the members' decision: refused [resolution]" \
    refused resolution
as ketua rat resolve --writeoff "$LOAN" --meeting ralb --tally 49,30,28,1,1 --date 2026-03-04 --json
WRES=$(id8)
as sekretaris approve "$WRES"
as pengawas-1 approve "$WRES"
check "the RALB's decision to write it off: effective" eval 'rc_is 0 && out_has "efektif"'
as ketua loan writeoff "$LOAN" --resolution "$WRES" --date 2026-03-05 --json
WO=$(id8)
as bendahara approve "$WO"
as pengawas-1 approve "$WO"
check "  ... the write-off, approved: effective" eval 'rc_is 0 && out_has "efektif"'
run --data "$T/B" report loans --as-of 2026-03-31 --json
check "  ... the loan is written off: outstanding 0, counted apart" \
    eval '[ "$(py "d[\"data\"][\"totals\"][\"written_off\"] > 0")" = True ]'

# ---- everyone computes the same ----
run --data "$T/B" audit
check "saksi audit: every entry verified; its one finding is the late entry" \
    eval '[ "$(grep -c "^TEMUAN/FINDING" "$T/out")" = 1 ] && out_has "^TEMUAN/FINDING \[late-posting\]"'
"$SAKSI" --data "$T/B" export "$T/all.ex" >/dev/null 2>&1 || die "export failed"
"$SAKSI" --data "$T/M" import "$T/all.ex" >/dev/null 2>&1 || die "import on the second device failed"
run --data "$T/B" report all --year 2025 --json
A1=$(py '" ".join(r["digest"] for r in d["reports"])')
run --data "$T/M" report all --year 2025 --json
check "a second device with the same entries: the same digests of every 2025 report" \
    eval '[ "$(py "\" \".join(r[\"digest\"] for r in d[\"reports\"])")" = "$A1" ]'

echo "1..$n"
[ "$nfail" -eq 0 ]
