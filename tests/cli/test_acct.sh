#!/bin/sh
# The accounting commands of milestone M1 (docs/ACCOUNTING.md 8), end to end on three devices
# that carry entries between them by file: the ketua (pengurus, member 1), the kasir (member 2)
# and member 7's phone (anggota). Founding with parameters (init --params, --params-default,
# params show|template), member admit/exit/settle, deposits and withdrawals, approvals and the
# member's countersignature, the CLI's refusals (exit 1, the code in the message, nothing
# written), statements, the neraca, pending and findings reports with exact figures in text and
# JSON, report digests equal on two replicas that imported the same entries in another order,
# --lang en, --dry-run, kind 17 journals, and --help on every new command.
#
# Run: SAKSI=build/saksi sh tests/cli/test_acct.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=acct
. "$(dirname "$0")/lib.sh"

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
err_empty() { [ ! -s "$T/err" ]; }
out_empty() { [ ! -s "$T/out" ]; }
# py EXPR: EXPR evaluated over the JSON document on stdout (as d), printed.
py() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$T/out" "$1"
}
# pyj EXPR: the same, printed as compact JSON (compare with a single-quoted expectation).
pyj() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2]), separators=(",", ":")))' "$T/out" "$1"
}
# The full `saksi head --json` of a data directory: equal before and after = nothing written.
headj() { s "$1" head --json 2>/dev/null; }
# refused DIR CODE CMD...: run on DIR; exit 1, "saksi: ditolak [CODE]:" on stderr, no stdout,
# and the store unchanged.
refused() {
    _dir=$1
    _code=$2
    shift 2
    _before=$(headj "$_dir")
    run --data "$T/$_dir" "$@"
    rc_is 1 && grep -q "^saksi: ditolak \[$_code\]: " "$T/err" && out_empty &&
        [ "$(headj "$_dir")" = "$_before" ]
}
# sync FROM TO...: export FROM and import it everywhere in TO.
sync() {
    _from=$1
    shift
    s "$_from" export "$T/$_from.saksi" >/dev/null 2>&1 || die "export $_from"
    for _to in "$@"; do
        s "$_to" import "$T/$_from.saksi" >/dev/null 2>&1 || die "import $_from into $_to"
    done
}
# section ACCT: the lines of a text statement from the account's heading to its closing line.
section() { sed -n "/^$1 /,/Saldo akhir\\|Closing balance/p" "$T/out"; }

# ---- setup: keys; the ketua K and the kasir C found the koperasi; H is member 7's phone ----
for d in K C H X D; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF
name = KSP Uji Akuntansi
registration = 518/BH/ACC/2026
founder = 1 pengurus ketua $(card K)
founder = 2 kasir $(card C)
EOF

# ================= --help =================
for c in deposit withdraw approve pending statement report params "params show" \
    "params template" "member admit" "member exit" "member settle"; do
    # shellcheck disable=SC2086
    run $c --help
    check "saksi $c --help: exit 0, usage and an example on stdout" \
        eval 'rc_is 0 && out_has "^usage: saksi ${c%% *}" && out_has "^example: saksi ${c%% *}" && err_empty'
done
run member --help
check "saksi member --help lists add, revoke, list, requests, admit, exit and settle" \
    eval 'rc_is 0 && out_has "member add " && out_has "member revoke" && out_has "member list" &&
          out_has "member requests" && out_has "member admit" && out_has "member exit" &&
          out_has "member settle"'
run init --help
check "saksi init --help explains --params and --params-default" \
    eval 'rc_is 0 && out_has "\-\-params PFILE" && out_has "\-\-params-default"'
run --help
check "saksi --help lists the accounting commands" \
    eval 'rc_is 0 && out_has "^  deposit " && out_has "^  withdraw " && out_has "^  approve " &&
          out_has "^  pending " && out_has "^  statement " && out_has "^  report " && out_has "^  params "'
run statement --help
check "statement --help documents --html FILE" eval 'rc_is 0 && out_has "\-\-html FILE"'
run --data "$T/K" statement --member 7 --html
check "statement --html without a file: exit 2, the option named" eval 'rc_is 2 && err_has "html"'

# ================= params template, init --params =================
run params template
check "params template: exit 0, the standard parameters as text" \
    eval 'rc_is 0 && out_has "^pokok = 100.000$" && out_has "^savings = SS sukarela 2100" &&
          out_has "^countersign withdraw = anggota$"'
sed 's/^adopted = .*/adopted = 2026-01-01/; s/^effective = .*/effective = 2026-01-01/' \
    "$T/out" >"$T/params.txt"
sed 's/^pokok = .*/pokok = seratus ribu/' "$T/params.txt" >"$T/bad1.txt"
LINE=$(grep -n '^pokok = ' "$T/bad1.txt" | cut -d: -f1)
run --data "$T/K" init koperasi.txt --params bad1.txt
check "init --params with a bad line: exit 1, the file and line named, nothing written" \
    eval 'rc_is 1 && err_has "bad1.txt:$LINE:" && [ ! -e "$T/K/network.key" ] && ! s K head >/dev/null 2>&1'
sed 's/^savings = SS sukarela 2100/savings = SS sukarela 2999/' "$T/params.txt" >"$T/bad2.txt"
run --data "$T/K" init koperasi.txt --params bad2.txt
check "init --params whose product account is not in the chart: exit 1, nothing written" \
    eval 'rc_is 1 && err_has "do not fit" && [ ! -e "$T/K/network.key" ]'
run --data "$T/K" init --json koperasi.txt --params params.txt
check "init --params: exit 0, the founding parameters' entry id in --json" \
    eval 'rc_is 0 && [ "$(jget params_effective <"$T/out")" = 2026-01-01 ] &&
          [ "$(jget params_entry_id <"$T/out" | wc -c)" -eq 65 ]'
check "init --params: genesis and parameters are the first two entries of one feed" \
    eval '[ "$(head_field K applied)" = 2 ] && [ "$(head_field K feeds)" = 1 ]'
run --data "$T/K" params show --as-of 2026-03-01
check "params show: the version in force, as text" \
    eval 'rc_is 0 && out_has "^effective = 2026-01-01$" && out_has "^pokok = 100.000$"'
run --data "$T/K" params show --as-of 2026-03-01 --json
EXP='[100000,25000,["SP","SW","SS"]]'
check "params show --json: pokok, wajib and the savings products" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"pokok\"], d[\"wajib\"], [s[\"code\"] for s in d[\"savings\"]][:3]]")" = "$EXP" ]'
run --data "$T/K" params show --as-of 2025-12-31
check "params show before the effective date: exit 1" eval 'rc_is 1 && err_has "no parameters\|tidak ada parameter"'
sed "s/^name = .*/name = KSP Kedua/; /founder = 2 /d; s/^founder = 1 pengurus ketua .*/founder = 1 pengurus ketua $(card X)/" \
    "$T/koperasi.txt" >"$T/kedua.txt"
run --data "$T/X" init kedua.txt --params-default
check "init --params-default: exit 0, the standard parameters in force from today" \
    eval 'rc_is 0 && out_has "Founding parameters recorded" && s X params show >/dev/null 2>&1'

# ---- the roster: member 7's phone; every device holds the ledger ----
s K member add --number 7 --role anggota "$(card H)" >/dev/null 2>&1 || die "member add H"
sync K C H

run --data "$T/K" journal post --date 2025-12-15 --memo "lama" --debit 5240=1.000 --credit 1100=1.000
check "journal dated before the parameters: refused (no kind 16 on a ledger with parameters)" \
    eval 'rc_is 1 && err_has "no parameters are in force on 2025-12-15"'

# ================= admission: the kasir records it, the ketua approves =================
run --data "$T/C" member admit 7 --date 2026-01-06
ADMIT=$(sed -n 's/^Dicatat. ID entri: \([0-9a-f]*\)$/\1/p' "$T/out" | cut -c1-8)
check "member admit by the kasir: recorded, waits for 1 pengurus" \
    eval 'rc_is 0 && out_has "Penerimaan anggota 7 (anggota biasa), simpanan pokok Rp100.000" &&
          out_has "^Status: menunggu persetujuan 1 pengurus$" && [ ${#ADMIT} -eq 8 ]'
check "deposit while the admission waits: refused [non-member], nothing written" \
    refused C non-member deposit --member 7 --product SW 25.000 --date 2026-01-07
sync C K
run --data "$T/K" pending --as-of 2026-01-31
check "pending on the ketua's device lists the admission and what it waits for" \
    eval 'rc_is 0 && out_has "^06-01-2026  $ADMIT  penerimaan anggota .*Rp100.000 .*persetujuan 1 pengurus$"'
run --data "$T/K" approve "$(echo "$ADMIT" | cut -c1-4)"
check "approve with a 4-digit prefix on the ketua's device: the admission is effective" \
    eval 'rc_is 0 && out_has "^Status $ADMIT: efektif$"'
sync K C H

# ================= deposits =================
run --data "$T/C" deposit --member 7 --product SW 25.000 --date 2026-01-07
check "deposit SW: effective at once" eval 'rc_is 0 && out_has "^Status: efektif$"'
run --data "$T/C" deposit --member 7 --product SS 500.000 --date 2026-01-07 --json
EXP='["effective",48,500000,[[1100,null,500000,0],[2100,7,0,500000]]]'
check "deposit SS --json: status effective, postings Dr 1100 / Cr 2100 member 7" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"status\"], d[\"kind\"], d[\"amount\"], [[p[\"account\"], p[\"member\"], p[\"debit\"], p[\"credit\"]] for p in d[\"postings\"]]]")" = "$EXP" ]'
B=$(headj C)
run --data "$T/C" deposit --member 7 --product SW 25.000 --date 2026-02-07 --dry-run
check "deposit --dry-run: shows the postings and the status, writes nothing" \
    eval 'rc_is 0 && out_has "^  Dr 1100 " && out_has "^  Cr 3110(7) " && out_has "Status bila dicatat: efektif" &&
          [ "$(headj C)" = "$B" ]'
run --data "$T/C" deposit --member 7 --product SW 25.000 --date 2026-02-07
check "second SW deposit: effective" eval 'rc_is 0 && out_has "^Status: efektif$"'
run --data "$T/K" member admit 8 --date 2026-01-20
check "member admit by the ketua: effective at once (the author's approval counts)" \
    eval 'rc_is 0 && out_has "^Status: efektif$"'
sync K C
run --data "$T/C" deposit --member 8 --product SS 1.000.000 --date 2026-01-21
check "deposit SS for member 8: effective" eval 'rc_is 0 && out_has "^Status: efektif$"'
run --data "$T/C" log --kind deposit
check "log --kind deposit: the four deposits, each with its kind and amount, none marked" \
    eval 'rc_is 0 && [ "$(grep -c " deposit " "$T/out")" -eq 4 ] && out_has "Rp1.000.000" &&
          ! out_has "TANPA EFEK" && ! out_has "unknown"'

# ================= refusals: exit 1, the code, nothing written =================
check "withdraw more than the balance: refused [overdrawn] with the balance" \
    refused C overdrawn withdraw --member 7 --product SS 600.000 --date 2026-02-03
check "  ... and the message gives the balance and the most that can be withdrawn" \
    eval 'err_has "(saldo Rp500.000). Tarik paling banyak Rp500.000."'
check "withdraw simpanan wajib while active: refused [equity-withdrawal]" \
    refused C equity-withdrawal withdraw --member 7 --product SW 10.000 --date 2026-02-03
check "  ... and the message says to record the exit first" eval 'err_has "saksi member exit 7"'
check "deposit for someone never admitted: refused [non-member]" \
    refused C non-member deposit --member 9 --product SS 10.000 --date 2026-02-03
check "admit a member twice: refused [duplicate-admission]" \
    refused C duplicate-admission member admit 7 --date 2026-02-03
check "admit with a simpanan pokok other than the parameters': refused [pokok-amount]" \
    refused C pokok-amount member admit 9 --pokok 50.000 --date 2026-02-03
check "deposit into an unknown product: refused [product], the known codes listed" \
    refused C product deposit --member 7 --product XX 10.000 --date 2026-02-03
check "  ... the list of products" eval 'err_has "Produk yang ada: SP, SW, SS"'
check "exit with a wajib figure that differs from the books: refused [exit-amounts]" \
    refused K exit-amounts member exit 7 --reason sendiri --wajib 1.000 --date 2026-03-01
check "exit of someone who is not a member: refused [not-member]" \
    refused K not-member member exit 9 --reason sendiri --date 2026-03-01
check "exit recorded by the kasir: refused [authority] (pengurus only by default)" \
    refused C authority member exit 7 --reason sendiri --date 2026-03-01
check "deposit dated before any parameters: refused [no-params]" \
    refused C no-params deposit --member 7 --product SS 10.000 --date 2025-12-20
refused C overdrawn withdraw --member 7 --product SS 600.000 --date 2026-02-03 --lang en
check "refusal with --lang en: 'saksi: refused [overdrawn]: ...' in English" \
    eval 'rc_is 1 && grep -q "^saksi: refused \[overdrawn\]: the SS balance of member 7" "$T/err"'

# ================= a withdrawal waits for the member's countersignature =================
run --data "$T/C" withdraw --member 7 --product SS 200.000 --date 2026-02-03 --json
WD=$(py 'd["entry_id"][:8]')
EXP='["waiting","countersign",7]'
check "withdraw: recorded, waits for member 7's countersignature" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"status\"], d[\"reason\"], d[\"countersign_member\"]]")" = "$EXP" ]'
run --data "$T/C" statement --member 7 --year 2026 --as-of 2026-02-28
check "statement before the countersignature: SS unchanged, the withdrawal listed as waiting" \
    eval 'rc_is 0 && section 2100 | grep -q "Saldo akhir  *Rp500.000$" && out_has "^03-02-2026  $WD  penarikan .*tanda tangan anggota 7$"'
sync C H K
run --data "$T/H" approve "$WD"
check "member 7 countersigns on their own phone: the withdrawal is effective" \
    eval 'rc_is 0 && out_has "^Status $WD: efektif$"'
sync H C K

# ================= a kasir's journal is kind 17 and waits for a pengurus =================
run --data "$T/C" journal post --date 2026-03-10 --memo "ATK" --debit 5240=50.000 --credit 1100=50.000 --json
JR=$(py 'd["entry_id"][:8]')
EXP='[17,"waiting",1,50000]'
check "journal post under parameters: kind 17, waits for 1 pengurus" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"kind\"], d[\"status\"], d[\"missing_pengurus\"], d[\"total\"]]")" = "$EXP" ]'
check "an anggota's approval of a journal counts for nothing: refused [no-effect]" \
    eval 'sync C H; refused H no-effect approve "$JR"'
sync C K
run --data "$T/K" pending --as-of 2026-03-31 --json
EXP="[[\"$JR\",17,\"approvals\",1]]"
check "pending --json lists the journal and only it" \
    eval 'rc_is 0 && [ "$(pyj "[[x[\"short_id\"], x[\"kind\"], x[\"reason\"], x[\"missing_pengurus\"]] for x in d[\"data\"]]")" = "$EXP" ]'
run --data "$T/K" approve "$JR"
check "the ketua approves the journal: effective" eval 'rc_is 0 && out_has "^Status $JR: efektif$"'
run --data "$T/K" approve "$JR"
check "approving twice from one device: refused [already-signed]" \
    eval 'rc_is 1 && grep -q "^saksi: ditolak \[already-signed\]" "$T/err"'
run --data "$T/K" pending --as-of 2026-03-31
check "pending: nothing waits any more" eval 'rc_is 0 && out_has "^Tidak ada yang menunggu.$"'
sync K C H

# ================= statement: exact figures =================
run --data "$T/K" statement --member 7 --year 2026 --as-of 2026-03-31
check "statement SS: opening Rp0, deposit Rp500.000, withdrawal Rp200.000 (confirmed), closing Rp300.000" \
    eval 'rc_is 0 && section 2100 | grep -q "Saldo awal  *Rp0$" &&
          section 2100 | grep -q "^07-01-2026  [0-9a-f]\{8\}  setoran  *Rp500.000  *Rp500.000$" &&
          section 2100 | grep -q "^03-02-2026  $WD  penarikan \*  *Rp200.000  *Rp300.000$" &&
          section 2100 | grep -q "Saldo akhir  *Rp300.000$"'
check "statement SP Rp100.000 and SW Rp50.000 (two deposits, running balance)" \
    eval 'section 3100 | grep -q "Saldo akhir  *Rp100.000$" &&
          section 3110 | grep -q "^07-02-2026  [0-9a-f]\{8\}  setoran  *Rp25.000  *Rp50.000$" &&
          section 3110 | grep -q "Saldo akhir  *Rp50.000$"'
check "statement footer: the digest and its fingerprint" \
    eval 'out_has "^Sidik laporan: [0-9a-f]\{64\}$" && out_has "^Sidik jari: [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\}$"'
check "statement lines are at most 100 columns" \
    eval '[ "$(python3 -c "import sys; print(max(len(l.rstrip(chr(10))) for l in open(sys.argv[1], encoding=\"utf-8\")))" "$T/out")" -le 100 ]'
run --data "$T/K" statement --member 7 --from 2026-02-01 --to 2026-03-31 --as-of 2026-03-31
check "statement --from/--to: SS opens at Rp500.000, SW at Rp25.000" \
    eval 'rc_is 0 && section 2100 | grep -q "Saldo awal  *Rp500.000$" && section 3110 | grep -q "Saldo awal  *Rp25.000$"'
run --data "$T/K" statement --member 7 --year 2026 --as-of 2026-03-31 --json
SDIG=$(py 'd["digest"]')
EXP='[[2100,"SS",0,[[0,500000,false],[200000,0,true]],300000],[3100,"SP",0,[[0,100000,false]],100000],[3110,"SW",0,[[0,25000,false],[0,25000,false]],50000]]'
check "statement --json: integer amounts per account (opening, moves, closing)" \
    eval 'rc_is 0 && [ "$(pyj "[[a[\"account\"], a[\"product\"], a[\"opening\"], [[m[\"debit\"], m[\"credit\"], m[\"confirmed\"]] for m in a[\"moves\"]], a[\"closing\"]] for a in d[\"data\"][\"savings\"]]")" = "$EXP" ]'
EXP='["statement","2026-01-01","2026-12-31","2026-03-31",64,"Saldo awal"]'
check "statement --json: the envelope (type, dates, digest) and labels" \
    eval '[ "$(pyj "[d[\"type\"], d[\"start\"], d[\"end\"], d[\"as_of\"], len(d[\"digest\"]), d[\"labels\"][\"opening\"]]")" = "$EXP" ]'
run --data "$T/K" statement --member 7 --year 2026 --as-of 2026-03-31 --lang en
check "statement --lang en: English labels" \
    eval 'rc_is 0 && out_has "^Member statement 7$" && out_has "Opening balance" && out_has "^Report digest: $SDIG$"'

# ================= neraca =================
run --data "$T/K" report neraca --year 2026 --as-of 2026-03-31
check "neraca: Kas Rp1.500.000, savings Rp1.300.000, pokok Rp200.000, wajib Rp50.000, SHU -Rp50.000" \
    eval 'rc_is 0 && out_has "^ 1100  Kas  *Rp1.500.000  *Rp0$" && out_has "^ 2100  Simpanan sukarela.*Rp1.300.000  *Rp0$" &&
          out_has "^ 3100  Simpanan pokok  *Rp200.000 " && out_has "^ 3110  Simpanan wajib  *Rp50.000 " &&
          out_has "^    1  SHU tahun berjalan  *-Rp50.000 "'
check "neraca: totals exact and balanced" \
    eval 'out_has "Jumlah aset  *Rp1.500.000 " && out_has "Jumlah kewajiban  *Rp1.300.000 " &&
          out_has "Jumlah ekuitas  *Rp200.000 " && out_has "Jumlah kewajiban dan ekuitas  *Rp1.500.000 " &&
          out_has "^Seimbang: ya$"'
run --data "$T/K" report neraca --year 2026 --as-of 2026-03-31 --json
NDIG=$(py 'd["digest"]')
EXP='["neraca",1500000,1300000,200000,true,[[1,-50000],[1100,1500000],[2100,1300000],[3100,200000],[3110,50000]]]'
check "neraca --json: rows and totals as integers, balanced" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"type\"]] + [d[\"data\"][\"totals\"][k] for k in (\"assets\", \"liabilities\", \"equity\", \"balanced\")] + [[[r[\"code\"], r[\"amount\"]] for r in d[\"data\"][\"rows\"]]]")" = "$EXP" ]'
run --data "$T/K" report neraca --year 2026 --as-of 2026-03-31 --lang en
check "neraca --lang en: English labels, the same digest" \
    eval 'rc_is 0 && out_has "^Balance sheet" && out_has "Total assets" && out_has "^Balanced: yes$" && out_has "^Report digest: $NDIG$"'

# ================= findings =================
run --data "$T/K" report findings --year 2026 --as-of 2026-03-31
check "findings: none for a clean session (exit 0)" eval 'rc_is 0 && out_has "^Tidak ada temuan.$"'
run --data "$T/K" report all --year 2026 --as-of 2026-03-31 --json
EXP='[["neraca",64,1500000],["loans",64,3],["pending",64,0],["findings",64,0],["lhu",64,3],["equity",64,2],["cashflow",64,5]]'
check "report all --json: neraca, loans, pending, findings, lhu, equity and cashflow, each with its digest" \
    eval 'rc_is 0 && [ "$(pyj "[[r[\"type\"], len(r[\"digest\"]), len(r[\"data\"]) if r[\"type\"] != \"neraca\" else r[\"data\"][\"totals\"][\"assets\"]] for r in d[\"reports\"]]")" = "$EXP" ]'
ALLK=$(py '" ".join(r["digest"] for r in d["reports"])')

# ================= the same entries, another order, another device: the same digests =====
for f in H C K; do
    s D import "$T/$f.saksi" >/dev/null 2>&1 || die "D import $f"
done
run --data "$T/D" report all --year 2026 --as-of 2026-03-31 --json
check "a replica that imported the files in another order: identical report digests" \
    eval 'rc_is 0 && [ "$(py "\" \".join(r[\"digest\"] for r in d[\"reports\"])")" = "$ALLK" ]'
run --data "$T/D" statement --member 7 --year 2026 --as-of 2026-03-31 --json
check "  ... and an identical statement digest" eval 'rc_is 0 && [ "$(py "d[\"digest\"]")" = "$SDIG" ]'

# ================= exit and settlement =================
run --data "$T/K" member exit 7 --reason sendiri --date 2026-06-30
EX=$(sed -n 's/^Dicatat. ID entri: \([0-9a-f]*\)$/\1/p' "$T/out" | cut -c1-8)
check "member exit: pokok Rp100.000 and wajib Rp50.000 become a refund; waits for member 7" \
    eval 'rc_is 0 && out_has "simpanan pokok Rp100.000 dan wajib Rp50.000" && out_has "^Status: menunggu tanda tangan anggota 7$"'
check "settle before the exit is in effect: refused [not-member]" \
    refused K not-member member settle 7 --date 2026-07-01
sync K H
s H approve "$EX" >/dev/null 2>&1 || die "H approve exit"
sync H K C
check "deposit after the exit: refused [non-member]" \
    refused C non-member deposit --member 7 --product SS 10.000 --date 2026-07-01
run --data "$T/K" member settle 7 --date 2026-07-01 --json
ST=$(py 'd["entry_id"][:8]')
EXP='[450000,"waiting","countersign",[[1100,0,450000],[2100,300000,0],[2400,150000,0]]]'
check "member settle: refund Rp150.000 and SS Rp300.000 paid out, waits for member 7" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"amount\"], d[\"status\"], d[\"reason\"], sorted([p[\"account\"], p[\"debit\"], p[\"credit\"]] for p in d[\"postings\"])]")" = "$EXP" ]'
sync K H
s H approve "$ST" >/dev/null 2>&1 || die "H approve settle"
sync H K
run --data "$T/K" statement --member 7 --year 2026 --as-of 2026-07-31
check "statement after the settlement: every balance Rp0, status left" \
    eval 'rc_is 0 && out_has "^Status: sudah keluar (anggota sejak 06-01-2026, keluar 30-06-2026)$" &&
          section 2100 | grep -q "Saldo akhir  *Rp0$" && section 2400 | grep -q "Saldo akhir  *Rp0$" &&
          section 3110 | grep -q "Saldo akhir  *Rp0$"'
run --data "$T/K" report neraca --year 2026 --as-of 2026-07-31 --json
EXP='[1050000,1000000,50000,true]'
check "neraca after the settlement: Kas Rp1.050.000 = savings Rp1.000.000 + equity Rp50.000" \
    eval 'rc_is 0 && [ "$(pyj "[d[\"data\"][\"totals\"][k] for k in (\"assets\", \"liabilities\", \"equity\", \"balanced\")]")" = "$EXP" ]'
run --data "$T/K" report findings --year 2026 --as-of 2026-07-31
check "findings after exit and settlement: still none" eval 'rc_is 0 && out_has "^Tidak ada temuan.$"'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
