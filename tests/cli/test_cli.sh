#!/bin/sh
# The saksi command-line contract: --help on every command, usage errors (exit 2,
# "saksi: error:"), --json output that parses, key files (never overwritten, mode 0600, sealed
# with a passphrase), init's checks, journal post's refusals, rupiah amounts, show, the write
# lock, reindex and audit.
#
# Run: SAKSI=build/saksi sh tests/cli/test_cli.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=cli
. "$(dirname "$0")/lib.sh"
entries() { head_field "$1" entries; }

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
out_empty() { [ ! -s "$T/out" ]; }
err_empty() { [ ! -s "$T/err" ]; }
# usage_err PATTERN: exit 2, a "saksi: error:" line on stderr that holds PATTERN, no stdout.
usage_err() {
    rc_is 2 && grep "^saksi: error: " "$T/err" | grep -q -- "$1" && out_empty
}
# json_ok [lines]: stdout is one JSON document (or, with "lines", JSON Lines: every line one
# document, at least one line).
json_ok() {
    python3 - "$T/out" "${1:-doc}" <<'EOF'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[2] == "lines":
    lines = text.splitlines()
    assert lines, "no lines"
    for l in lines:
        json.loads(l)
else:
    json.loads(text)
EOF
}

# ---- setup: ketua A and pengawas P found a ledger; kasir K has a sealed key ----
for d in A P M; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
printf 'kata sandi rahasia\n' >"$T/pass.txt"
printf 'salah\n' >"$T/wrong.txt"
s K key new --passphrase-file "$T/pass.txt" >/dev/null 2>&1 || die "key new K (sealed)"
cat >"$T/koperasi.txt" <<EOF
# uji
name = KSP Uji CLI
registration = 518/BH/CLI/2026
currency = IDR
founder = 1 pengurus ketua $(card A)
founder = 2 pengawas $(card P)
EOF
run --data "$T/A" init --json koperasi.txt
check "init --json: exit 0 and the output parses as JSON" eval 'rc_is 0 && json_ok'
LEDGER=$(jget ledger_id <"$T/out")
[ ${#LEDGER} -eq 64 ] || die "no ledger id from init"
check "init: the ledger id from init is the one head reports" \
    eval '[ "$(head_field A ledger_id)" = "$LEDGER" ]'

# ================= --help =================
run --help
check "saksi --help: exit 0, usage on stdout, nothing on stderr" \
    eval 'rc_is 0 && out_has "^usage: saksi" && err_empty'
for c in key init member journal log show head export import audit reindex; do
    run --data "$T/A" $c --help
    check "saksi $c --help: exit 0, usage on stdout, nothing on stderr" \
        eval 'rc_is 0 && out_has "^usage: saksi $c" && err_empty'
done
run --version
check "saksi --version: exit 0, version on stdout" eval 'rc_is 0 && out_has "^saksi [0-9]"'

# ================= usage errors =================
run --data "$T/A" frobnicate
check "unknown command: exit 2, 'saksi: error: unknown command' naming it" \
    eval 'rc_is 2 && grep -q "^saksi: error: unknown command .frobnicate." "$T/err" && out_empty'
run --data "$T/A" --bogus head
check "unknown global option: exit 2, 'saksi: error:' naming it" usage_err "--bogus"
run --data "$T/A"
check "no command: exit 2, 'saksi: error:'" usage_err "no command"
run --data
check "--data without its value: exit 2, 'saksi: error:'" usage_err "--data"
# Every command: an unknown option is a usage error (exit 2, "saksi: error:", nothing on stdout).
# Beyond that, the error should name the option on its own "saksi: error:" line and stderr should
# hold nothing but saksi's lines (no stray getopt message like "import: unrecognized option").
strict_bad=""
for c in "key show" "init" "member list" "journal post" "log" "show" "head" "export" \
    "import" "audit" "reindex" "import --ledger" "key new --passphrase-file"; do
    case $c in
    *--ledger | *--passphrase-file) # an option missing its value
        # shellcheck disable=SC2086
        run --data "$T/A" $c
        opt=${c##* }
        what="missing the value of $opt"
        ;;
    *)
        # shellcheck disable=SC2086
        run --data "$T/A" $c --bogus
        opt=--bogus
        what="unknown option --bogus"
        ;;
    esac
    check "saksi $c ($what): exit 2, 'saksi: error:' on stderr, nothing on stdout" \
        eval 'rc_is 2 && grep -q "^saksi: error: " "$T/err" && out_empty'
    if ! grep "^saksi: error: " "$T/err" | grep -q -- "$opt" ||
        grep -v -e "^saksi: error: " -e "^try 'saksi " "$T/err" | grep -q .; then
        strict_bad="$strict_bad '$c'"
        sed "s/^/#   saksi $c: /" "$T/err"
    fi
done
: >"$T/out"
: >"$T/err"
check "usage errors name the option on the 'saksi: error:' line, with no stray getopt line (offenders:${strict_bad:- none})" \
    [ -z "$strict_bad" ]
run --data "$T/A" show
check "show without ID: exit 2, 'saksi: error:'" usage_err "ID"
run --data "$T/A" import
check "import without FILE: exit 2, 'saksi: error:'" usage_err "FILE"
run --data "$T/A" init
check "init without FILE: exit 2, 'saksi: error:'" usage_err "FILE"
run --data "$T/A" journal post --memo
check "journal post --memo without its value: exit 2, 'saksi: error:' naming it" \
    usage_err "--memo"
run --data "$T/A" journal post --memo "tanpa baris"
check "journal post without lines: exit 2, 'saksi: error:'" usage_err "--debit"
run --data "$T/A" member add --role anggota "$(card M)"
check "member add without --number: exit 2, 'saksi: error:'" usage_err "--number"
run --data "$T/A" key
check "key without subcommand: exit 2, 'saksi: error:'" usage_err "subcommand"
run --data "$T/A" import --ledger abc x.saksi
check "import --ledger with a malformed id: exit 2, 'saksi: error:'" usage_err "--ledger"
run --data "$T/A" show zz
check "show with a malformed id: exit 2, 'saksi: error:'" usage_err "ID"

# ================= keys =================
cp "$T/A/key" "$T/A.key.orig"
SIGN_A=$(s A key show --json | jget signing_key)
run --data "$T/A" key new
check "key new on a device with a key: exit 3, refuses to overwrite" \
    eval 'rc_is 3 && grep -q "^saksi: error: .*already exists" "$T/err"'
check "key new refused: the key file is unchanged, byte for byte" \
    eval 'cmp -s "$T/A/key" "$T/A.key.orig" && [ "$(s A key show --json | jget signing_key)" = "$SIGN_A" ]'
check "key file mode is 0600" eval '[ "$(stat -c %a "$T/A/key")" = 600 ]'
check "sealed key file mode is 0600" eval '[ "$(stat -c %a "$T/K/key")" = 600 ]'
check "network key file mode is 0600, data directory 0700" \
    eval '[ "$(stat -c %a "$T/A/network.key")" = 600 ] && [ "$(stat -c %a "$T/A")" = 700 ]'
run --data "$T/A" key show --json
check "key show --json: exit 0, parses, holds signing_key, card and sealed false" \
    eval 'rc_is 0 && json_ok && out_has "\"sealed\":false" && out_has "\"card\":\"saksi-device:"'
run --data "$T/K" --passphrase-file "$T/pass.txt" key show --json
check "sealed key: key show --json with the passphrase: exit 0, parses, sealed true" \
    eval 'rc_is 0 && json_ok && out_has "\"sealed\":true"'
SIGN_K=$(jget signing_key <"$T/out")
CARD_K=$(jget card <"$T/out")
run --data "$T/K" --passphrase-file "$T/wrong.txt" key show
check "sealed key: a wrong passphrase fails with exit 3 and says so" \
    eval 'rc_is 3 && grep -q "^saksi: error: .*wrong passphrase" "$T/err" && out_empty'
if command -v setsid >/dev/null 2>&1; then
    # No passphrase file and no terminal to ask on: the message must say what is missing.
    setsid -w "$SAKSI" --data "$T/K" key show </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    check "sealed key without passphrase and without a terminal: exit 3, message asks for a passphrase" \
        eval 'rc_is 3 && grep -qi "^saksi: error: .*passphrase" "$T/err"'
fi

# ================= member, replication, sealed key signing =================
run --data "$T/A" member add --number 3 --role kasir "$CARD_K"
check "member add (kasir with a sealed key): exit 0" rc_is 0
run --data "$T/A" member add --number 11 --role anggota --json "$(card M)"
check "member add --json: exit 0 and parses" eval 'rc_is 0 && json_ok'
run --data "$T/A" member add --number 11 --role anggota "$(card M)"
check "member add of a device already on the roster: exit 1, says so, nothing stored" \
    eval 'rc_is 1 && err_has "already on the roster" && [ "$(entries A)" -eq 3 ]'
run --data "$T/A" member list --json
check "member list --json: exit 0, parses, lists the 4 devices" \
    eval 'rc_is 0 && json_ok && [ "$(grep -o "\"device\":" "$T/out" | wc -l)" -eq 4 ]'
run --data "$T/A" export --json all.saksi
check "export --json: exit 0, parses, counts every entry" \
    eval 'rc_is 0 && json_ok && [ "$(jget entries <"$T/out")" -eq "$(entries A)" ]'
run --data "$T/K" import --json all.saksi
check "import --json: exit 0, parses, 3 added" \
    eval 'rc_is 0 && json_ok && [ "$(jget added <"$T/out")" -eq 3 ]'
s P import all.saksi >/dev/null 2>&1 || die "P import"
run --data "$T/K" --passphrase-file "$T/pass.txt" journal post --date 2026-01-05 \
    --memo "Setoran kas oleh kasir" --debit 1110=50.000 --credit 1100=50.000 --json
check "sealed key with --passphrase-file: journal post exits 0 and prints JSON" \
    eval 'rc_is 0 && json_ok'
KJ=$(jget entry_id <"$T/out")
check "sealed key: the posted entry is stored and signed by the kasir's key" \
    eval '[ "$(entries K)" -eq 4 ] && s K show --json "$KJ" | grep -q "\"author\":\"$SIGN_K\""'
run --data "$T/K" --passphrase-file "$T/wrong.txt" journal post --date 2026-01-05 \
    --memo "salah sandi" --debit 1110=1.000 --credit 1100=1.000
check "sealed key with a wrong passphrase: journal post exits 3, says wrong passphrase" \
    eval 'rc_is 3 && grep -q "^saksi: error: .*wrong passphrase" "$T/err"'
check "sealed key with a wrong passphrase: nothing stored" eval '[ "$(entries K)" -eq 4 ]'
SAKSI_PASSPHRASE_FILE="$T/pass.txt" "$SAKSI" --data "$T/K" journal post --date 2026-01-06 \
    --memo "lewat variabel" --debit 1110=2.000 --credit 1100=2.000 >"$T/out" 2>"$T/err"
rc=$?
check "sealed key with \$SAKSI_PASSPHRASE_FILE: journal post exits 0, entry stored" \
    eval 'rc_is 0 && [ "$(entries K)" -eq 5 ]'
run --data "$T/P" journal post --date 2026-01-05 --memo "pengawas" \
    --debit 1100=1.000 --credit 3300=1.000
check "journal post by a pengawas (policy: pengurus, kasir): exit 1, names the policy" \
    eval 'rc_is 1 && err_has "policy" && [ "$(entries P)" -eq 3 ]'

# ================= init =================
cp "$T/A/network.key" "$T/A.netkey.orig"
HEAD_A=$(s A head --json)
run --data "$T/A" init koperasi.txt
check "init in a directory that holds a ledger: exit 3, 'already holds a ledger'" \
    eval 'rc_is 3 && grep -q "^saksi: error: .*already holds a ledger" "$T/err"'
check "second init refused: head and network key unchanged" \
    eval '[ "$(s A head --json)" = "$HEAD_A" ] && cmp -s "$T/A/network.key" "$T/A.netkey.orig"'
s N key new >/dev/null 2>&1 || die "key new N"
cat >"$T/bad.txt" <<EOF
name = KSP Salah
registration = 1/BH/2026
currency = IDR
founder = 1 pengurus ketua $(card N)
founder = 2 bendahari $(card P)
EOF
run --data "$T/N" init bad.txt
check "init with a bad description: exit 2, names bad.txt:5 and the problem" \
    eval 'rc_is 2 && grep -q "^saksi: error: bad.txt:5: unknown role .bendahari." "$T/err"'
check "init with a bad description: no ledger, no network key written" \
    eval '! s N head >/dev/null 2>&1 && [ ! -e "$T/N/network.key" ]'
sed 's/^currency = IDR$/currency = USD/' "$T/koperasi.txt" >"$T/usd.txt"
run --data "$T/N" init usd.txt
check "init with currency USD: exit 2, names usd.txt:4" \
    eval 'rc_is 2 && grep -q "^saksi: error: usd.txt:4: currency must be IDR" "$T/err"'
run --data "$T/N" init koperasi.txt
check "init by a device not listed as founder: exit 2, says so" \
    eval 'rc_is 2 && err_has "not listed as a founder" && ! s N head >/dev/null 2>&1'
# Description files from other editors: a UTF-8 BOM and CRLF line ends are read as plain lines.
{
    printf '\357\273\277'
    sed 's/$/\r/' "$T/koperasi.txt"
} >"$T/crlf.txt"
run --data "$T/N" init crlf.txt
check "init with a BOM and CRLF line ends: read (fails later: not a founder)" \
    eval 'rc_is 2 && err_has "not listed as a founder"'
{
    printf '\357\273\277'
    sed 's/$/\r/' "$T/bad.txt"
} >"$T/badcrlf.txt"
run --data "$T/N" init badcrlf.txt
check "init with a BOM and CRLF line ends: errors name the right line (badcrlf.txt:5)" \
    eval 'rc_is 2 && grep -q "^saksi: error: badcrlf.txt:5: unknown role .bendahari." "$T/err"'
printf 'name = KSP\n\000\n' >"$T/nul.txt"
run --data "$T/N" init nul.txt
check "init with a NUL byte: exit 2, names nul.txt:2" \
    eval 'rc_is 2 && err_has "nul.txt:2: contains a NUL byte"'
# Description text: tabs are blanks, other control characters and broken UTF-8 are refused.
sed 's/^name = /name\t=\t/' "$T/koperasi.txt" >"$T/tabs.txt"
run --data "$T/N" init tabs.txt
check "init with tabs around '=': read past them (fails later: not a founder)" \
    eval 'rc_is 2 && err_has "not listed as a founder"'
sed 's/^name = KSP Uji CLI$/name = KSP \x01Uji/' "$T/koperasi.txt" >"$T/ctl.txt"
run --data "$T/N" init ctl.txt
check "init with a control character: exit 2, names ctl.txt:2" \
    eval 'rc_is 2 && err_has "ctl.txt:2: not valid UTF-8 text, or holds a control character"'
sed 's/^name = KSP Uji CLI$/name = KSP \xc0\xafUji/' "$T/koperasi.txt" >"$T/utf.txt"
run --data "$T/N" init utf.txt
check "init with an overlong UTF-8 form: exit 2, names utf.txt:2" \
    eval 'rc_is 2 && err_has "utf.txt:2: not valid UTF-8 text"'

# ================= journal post =================
E0=$(entries A)
run --data "$T/A" journal post --date 2026-01-07 --memo "tidak seimbang" \
    --debit 1100=100.000 --credit 3300=90.000
check "unbalanced journal: exit 1, 'not balanced' with both totals" \
    eval 'rc_is 1 && err_has "not balanced: debits Rp100.000, credits Rp90.000"'
check "unbalanced journal: nothing stored" eval '[ "$(entries A)" -eq "$E0" ]'
run --data "$T/A" journal post --date 2026-01-07 --memo "akun salah" \
    --debit 1999=5.000 --credit 3300=5.000
check "unknown account: exit 1, names the line and the account, nothing stored" \
    eval 'rc_is 1 && err_has "--debit 1999=5.000.*unknown account 1999" && [ "$(entries A)" -eq "$E0" ]'
run --data "$T/A" journal post --date 2026-01-07 --memo "anggota asing" \
    --debit 1100=5.000 --credit 3100:77=5.000
check "member not on the roster: exit 1, names member 77, nothing stored" \
    eval 'rc_is 1 && err_has "member 77 is not on the roster" && [ "$(entries A)" -eq "$E0" ]'
run --data "$T/A" journal post --date 2026-01-07 --memo "jumlah salah" \
    --debit 1100=1.23.4 --credit 3300=5.000
check "malformed amount 1.23.4: exit 2, 'invalid amount', nothing stored" \
    eval 'rc_is 2 && err_has "invalid amount" && [ "$(entries A)" -eq "$E0" ]'
# Memo text: UTF-8 without control characters (a tab included), checked before anything is stored.
# bad_memo WHAT FORMAT: a memo printf makes from FORMAT is refused.
bad_memo() {
    # shellcheck disable=SC2059
    run --data "$T/A" journal post --date 2026-01-07 --memo "$(printf "$2")" \
        --debit 1100=5.000 --credit 3300=5.000
    check "memo with $1: exit 2, 'UTF-8 text', nothing stored" \
        eval 'rc_is 2 && err_has "UTF-8 text without control characters" && [ "$(entries A)" -eq "$E0" ]'
}
bad_memo "a tab" 'tab\there'
bad_memo "a BEL" 'bel\007'
bad_memo "a DEL" 'del\177'
bad_memo "an overlong form" 'overlong \300\257'
bad_memo "a surrogate" 'surrogate \355\240\200'
bad_memo "a cut sequence" 'cut \342\202'
run --data "$T/A" journal post --dry-run --date 2026-01-07 \
    --memo "$(printf 'Koperasi \303\251 \342\202\254 \360\237\230\200')" \
    --debit 1100=5.000 --credit 3300=5.000
check "memo with 2-, 3- and 4-byte UTF-8: accepted (--dry-run: exit 0)" rc_is 0
# Journal files: comments, blank lines, a BOM and CRLF line ends; a NUL byte is refused by line.
{
    printf '\357\273\277# setoran\r\n\r\n'
    printf 'date = 2026-01-07\r\nmemo = Setoran dari berkas\r\n'
    printf 'debit 1100 5.000\r\ncredit 3300 5.000\r\n'
} >"$T/j.txt"
run --data "$T/A" journal post --dry-run --file j.txt --json
check "journal post --file with a BOM and CRLF line ends: exit 0 (--dry-run), total 5000" \
    eval 'rc_is 0 && json_ok && [ "$(jget total <"$T/out")" -eq 5000 ]'
printf 'date = 2026-01-07\nmemo = x\000y\n' >"$T/jnul.txt"
run --data "$T/A" journal post --file jnul.txt
check "journal post --file with a NUL byte: exit 2, names jnul.txt:2, nothing stored" \
    eval 'rc_is 2 && err_has "jnul.txt:2: contains a NUL byte" && [ "$(entries A)" -eq "$E0" ]'
run --data "$T/A" member revoke "$(printf %.16s "$SIGN_K")" --last-seq 0 \
    --reason "$(printf 'kunci\001hilang')"
check "member revoke --reason with a control character: exit 2, 'UTF-8 text', nothing stored" \
    eval 'usage_err "UTF-8 text without control characters" && [ "$(entries A)" -eq "$E0" ]'
run --data "$T/A" journal post --date 2026-01-07 --memo "Simpanan pokok anggota 11" \
    --debit 1100=Rp1.234.567 --credit 3100:11=Rp1.234.567 --json
check "amount Rp1.234.567 accepted: exit 0, total 1234567" \
    eval 'rc_is 0 && json_ok && [ "$(jget total <"$T/out")" -eq 1234567 ]'
J=$(jget entry_id <"$T/out")
run --data "$T/A" show "$J"
check "show: the amount is shown back as Rp1.234.567 (debit, credit, total)" \
    eval 'rc_is 0 && [ "$(grep -c "Rp1\.234\.567" "$T/out")" -ge 3 ] && out_has "Simpanan pokok anggota 11"'
run --data "$T/A" show --json "$(printf %.12s "$J")"
check "show --json by id prefix: exit 0, parses, the full id and the amounts" \
    eval 'rc_is 0 && json_ok && out_has "\"id\":\"$J\"" && out_has "\"total_debit\":1234567"'
run --data "$T/A" log
check "log shows the entry with its amount formatted" \
    eval 'rc_is 0 && grep "$(printf %.12s "$J")" "$T/out" | grep -q "Rp1\.234\.567"'
run --data "$T/A" log --json
check "log --json: exit 0, JSON Lines, one line per stored entry" \
    eval 'rc_is 0 && json_ok lines && [ "$(wc -l <"$T/out")" -eq "$(entries A)" ]'
run --data "$T/A" --json head
check "--json before the command (head): exit 0, parses" eval 'rc_is 0 && json_ok'
run --data "$T/A" show 00000000
check "show with an unknown id: exit 1, 'no entry'" \
    eval 'rc_is 1 && grep -q "^saksi: error: no entry" "$T/err" && out_empty'
run --data "$T/A" show 0000000000000000000000000000000000000000000000000000000000000000
check "show with an unknown full id: exit 1" rc_is 1

# ================= the write lock =================
E1=$(entries A)
HEAD_A=$(s A head --json)
flock "$T/A/lock" "$SAKSI" --data "$T/A" journal post --date 2026-01-08 --memo "terkunci" \
    --debit 1100=1.000 --credit 3300=1.000 >"$T/out" 2>"$T/err"
rc=$?
check "journal post while another process holds the lock: exit 3, 'locked by another writer'" \
    eval 'rc_is 3 && grep -q "^saksi: error: .*locked by another writer" "$T/err"'
check "journal post under the lock: nothing stored" eval '[ "$(entries A)" -eq "$E1" ]'
flock "$T/A/lock" "$SAKSI" --data "$T/A" import "$T/all.saksi" >"$T/out" 2>"$T/err"
rc=$?
check "import while another process holds the lock: exit 3, 'in use by another writer'" \
    eval 'rc_is 3 && grep -q "^saksi: error: .*in use by another writer" "$T/err"'
flock "$T/A/lock" "$SAKSI" --data "$T/A" reindex >"$T/out" 2>"$T/err"
rc=$?
check "reindex while another process holds the lock: exit 3, 'in use by another writer'" \
    eval 'rc_is 3 && err_has "in use by another writer"'
flock "$T/A/lock" "$SAKSI" --data "$T/A" head --json >"$T/out" 2>"$T/err"
rc=$?
check "head (a reader) works while the lock is held, head unchanged" \
    eval 'rc_is 0 && [ "$(cat "$T/out")" = "$HEAD_A" ]'

# ================= reindex, audit, export/import =================
run --data "$T/A" reindex
check "reindex: exit 0" rc_is 0
check "reindex: head --json unchanged (head, counts)" eval '[ "$(s A head --json)" = "$HEAD_A" ]'
run --data "$T/A" audit
check "audit on a clean ledger: exit 0, result clean" \
    eval 'rc_is 0 && out_has "BERSIH (result: clean)"'
run --data "$T/A" audit --json
check "audit --json: exit 0, parses, clean, no findings, same head as 'head'" \
    eval 'rc_is 0 && json_ok && out_has "\"clean\":true" && out_has "\"findings_count\":0" &&
        [ "$(jget head <"$T/out")" = "$(head_field A head)" ]'
run --data "$T/A" head --json
check "head --json: exit 0, parses, ledger id, entries and no pending or forks" \
    eval 'rc_is 0 && json_ok && [ "$(jget ledger_id <"$T/out")" = "$LEDGER" ] &&
        [ "$(jget pending <"$T/out")" -eq 0 ] && [ "$(jget forks <"$T/out")" -eq 0 ]'
s K export k.saksi >/dev/null 2>&1 || die "export K"
run --data "$T/A" import k.saksi
check "import of the kasir's entries into A: exit 0, 2 added" \
    eval 'rc_is 0 && out_has "2 added"'
s A export a2.saksi >/dev/null 2>&1 || die "export A"
"$SAKSI" --data "$T/R" import - <"$T/a2.saksi" >"$T/out" 2>"$T/err"
rc=$?
check "import from standard input ('-') into a new replica: exit 0, same head as A" \
    eval 'rc_is 0 && [ "$(head_field R head)" = "$(head_field A head)" ]'
run --data "$T/R" import nonexistent.saksi
check "import of a missing file: exit 3, names it" \
    eval 'rc_is 3 && err_has "nonexistent.saksi"'
run --data "$T/EMPTY" audit
check "audit with no ledger: exit 3, 'saksi: error:'" \
    eval 'rc_is 3 && grep -q "^saksi: error:" "$T/err"'
run --data "$T/EMPTY" head
check "head with no ledger: exit 3, 'no ledger'" eval 'rc_is 3 && err_has "no ledger"'

# ================= who may author =================
s Z key new >/dev/null 2>&1 || die "key new Z"
s Z import all.saksi >/dev/null 2>&1 || die "Z import"
EZ=$(entries Z)
run --data "$T/Z" journal post --date 2026-01-09 --memo "asing" \
    --debit 1100=1.000 --credit 3300=1.000
check "journal post by a device not on the roster: exit 1, says so, nothing stored" \
    eval 'rc_is 1 && err_has "is not on the roster of this ledger; a pengurus must admit it" &&
        [ "$(entries Z)" -eq "$EZ" ]'
run --data "$T/Z" member add --number 12 --role anggota "$(card N)"
check "member add by a device not on the roster: exit 1, says so, nothing stored" \
    eval 'rc_is 1 && err_has "is not on the roster of this ledger" && [ "$(entries Z)" -eq "$EZ" ]'
EP=$(entries P)
run --data "$T/P" member add --number 12 --role anggota "$(card N)"
check "member add by a pengawas: exit 1, names the policy, nothing stored" \
    eval 'rc_is 1 && err_has "policy: admit entries may be authored by pengurus only; this device is pengawas (member 2)" &&
        [ "$(entries P)" -eq "$EP" ]'
run --data "$T/P" journal post --date 2026-01-09 --memo "pengawas" \
    --debit 1100=1.000 --credit 3300=1.000
check "journal post by a pengawas: the policy message names the roles allowed" \
    eval 'rc_is 1 && err_has "policy: journal entries may be authored by pengurus, kasir only; this device is pengawas (member 2)"'
s A member revoke "$(s M key show --json | jget signing_key)" --last-seq 0 >/dev/null 2>&1 ||
    die "revoke M"
s A export r.saksi >/dev/null 2>&1 || die "export A"
s M import r.saksi >/dev/null 2>&1 || die "M import"
EM=$(entries M)
run --data "$T/M" journal post --date 2026-01-09 --memo "dicabut" \
    --debit 1100=1.000 --credit 3300=1.000
check "journal post by a revoked device: exit 1, 'has been revoked', nothing stored" \
    eval 'rc_is 1 && err_has "has been revoked; it may not author entries" && [ "$(entries M)" -eq "$EM" ]'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
