#!/bin/sh
# The contract of 'saksi invite', 'saksi join' and 'saksi member requests' without a running
# node: --help, usage errors (exit 2), who may invite and for which card (exit 1), --json, the
# checks 'join' makes of a code (damaged, cut short, altered, expired, for another device) and of
# the data directory (no key, another network key, another ledger, already on the roster), what
# 'join --no-start' writes (and that a refused join writes nothing), and the join requests a
# board device lists and serves. Expired codes come from the integration tests' hostile tool
# (build/tests/saksi-hostile), because 'saksi invite' never makes one.
#
# Run: SAKSI=build/saksi sh tests/cli/test_invite.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=invite
. "$(dirname "$0")/lib.sh"
HOSTILE=${HOSTILE:-$(dirname "$SAKSI")/tests/saksi-hostile}

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
out_empty() { [ ! -s "$T/out" ]; }
err_empty() { [ ! -s "$T/err" ]; }
usage_err() { rc_is 2 && grep "^saksi: error: " "$T/err" | grep -q -- "$1" && out_empty; }
# refused PATTERN: exit 1, the reason on stderr, nothing on stdout.
refused() { rc_is 1 && grep "^saksi: error: " "$T/err" | grep -q -- "$1" && out_empty; }
json_ok() { python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/out"; }
# untouched DIR: nothing but what it held before 'saksi join' (key, maybe a store or lock).
untouched() {
    for f in network.key invite join-request saksid.conf; do
        [ -e "$T/$1/$f" ] && return 1
    done
    return 0
}
# alter CODE: the code with one bit of the token's signature flipped and the check bytes
# recomputed, so that only the signature is wrong.
alter() {
    python3 - "$1" <<'EOF'
import base64, hashlib, sys
p = "saksi-invite:"
b = sys.argv[1][len(p):]
raw = base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))
body = bytearray(raw[:-4])
body[-10] ^= 1  # the token is the last field, its signature the last 64 bytes
chk = hashlib.sha256(bytes(body)).digest()[:4]
print(p + base64.urlsafe_b64encode(bytes(body) + chk).decode().rstrip("="))
EOF
}

# ---- setup: ketua A (pengurus) and pengawas P found a ledger; N, O, Q are new devices ----
for d in A P N O Q X; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF
name = KSP Uji Undangan
registration = 518/BH/INV/2026
founder = 1 pengurus ketua $(card A)
founder = 2 pengawas $(card P)
EOF
s A init koperasi.txt >/dev/null 2>&1 || die "init"
s A export "$T/genesis.saksi" >/dev/null 2>&1 || die "export"
s P import "$T/genesis.saksi" >/dev/null 2>&1 || die "import P"
# X founds another ledger; Q holds it (imported), so Q's directory belongs to another koperasi.
cat >"$T/other.txt" <<EOF
name = KSP Lain
registration = 1/BH/LAIN/2026
founder = 1 pengurus ketua $(card X)
EOF
s X init other.txt >/dev/null 2>&1 || die "init X"
s X export "$T/other.saksi" >/dev/null 2>&1 && s Q import "$T/other.saksi" >/dev/null 2>&1 ||
    die "import other ledger"
# M holds A's ledger but is not on its roster.
s M key new >/dev/null 2>&1 && s M import "$T/genesis.saksi" >/dev/null 2>&1 || die "M"
[ -x "$HOSTILE" ] || die "no hostile tool at $HOSTILE (make build/tests/saksi-hostile)"
ADDR=192.0.2.10:47320
SIGN_N=$(s N key show --json | jget signing_key)

# ================= --help =================
for c in invite join; do
    run --data "$T/A" $c --help
    check "saksi $c --help: exit 0, usage on stdout, nothing on stderr" \
        eval 'rc_is 0 && out_has "^usage: saksi $c" && err_empty'
done
run --data "$T/A" member --help
check "saksi member --help lists 'member requests'" eval 'rc_is 0 && out_has "member requests"'
run --help
check "saksi --help lists invite and join" eval 'rc_is 0 && out_has "^  invite " && out_has "^  join "'

# ================= invite: usage errors =================
run --data "$T/A" invite
check "invite without CARD: exit 2" usage_err "missing the device CARD"
run --data "$T/A" invite --address "$ADDR" "$(card N)" extra
check "invite with a second argument: exit 2" usage_err "unexpected argument 'extra'"
run --data "$T/A" invite --bogus "$(card N)"
check "invite --bogus: exit 2, names the option" usage_err "--bogus"
for e in 0 91 x -1; do
    run --data "$T/A" invite --expires "$e" --address "$ADDR" "$(card N)"
    check "invite --expires $e: exit 2 (days, 1 to 90)" usage_err "invalid --expires"
done
run --data "$T/A" invite --role raja --address "$ADDR" "$(card N)"
check "invite --role raja: exit 2" usage_err "unknown role 'raja'"
run --data "$T/A" invite --number 0 --address "$ADDR" "$(card N)"
check "invite --number 0: exit 2" usage_err "invalid member number"
for a in koperasi.example:47320 192.0.2.10 192.0.2.10:0 192.0.2.10:70000 "[::1]:47320"; do
    run --data "$T/A" invite --address "$a" "$(card N)"
    check "invite --address $a: exit 2 (an IPv4 ADDR:PORT)" usage_err "invalid --address"
done
run --data "$T/A" invite --address "$ADDR" saksi-device:0123
check "invite with a malformed card: exit 2" usage_err "malformed device card"
BADCARD=$(card N | sed 's/.$/0/; s/0$/1/')
[ "$BADCARD" = "$(card N)" ] && BADCARD=$(card N | sed 's/.$/2/')
run --data "$T/A" invite --address "$ADDR" "$BADCARD"
check "invite with a card whose signature fails: exit 2" usage_err "signature does not verify"
run --data "$T/A" invite "$(card N)"
check "invite without --address and no node running: exit 2, asks for --address" \
    usage_err "give --address"

# ================= invite: who may invite, which card =================
run --data "$T/P" invite --address "$ADDR" "$(card N)"
check "invite by a pengawas: exit 1, only a pengurus device can invite" \
    refused "only a pengurus device can invite; this device is pengawas (member 2)"
run --data "$T/M" invite --address "$ADDR" "$(card N)"
check "invite by a device not on the roster: exit 1, says so" refused "is not on the roster"
run --data "$T/A" invite --address "$ADDR" "$(card P)"
check "invite of a card already on the roster (a founder's): exit 0, a code for its key and address" \
    eval 'rc_is 0 && err_has "is on the roster already (member 2, pengawas)" && out_has "saksi-invite:"'
run --data "$T/O" invite --address "$ADDR" "$(card N)"
check "invite on a device without a ledger: exit 3" eval 'rc_is 3 && err_has "no ledger"'

# ================= invite: output =================
run --data "$T/A" invite --address "$ADDR" --number 12 --role anggota --json "$(card N)"
check "invite --json: exit 0, one JSON document, nothing on stderr" \
    eval 'rc_is 0 && json_ok && err_empty'
CODE=$(jget code <"$T/out")
check "invite --json: the code, the address, the device key, member, role, ISO expiry" \
    eval 'case $CODE in saksi-invite:?*) true ;; *) false ;; esac &&
          [ "$(jget address <"$T/out")" = "$ADDR" ] && [ "$(jget device <"$T/out")" = "$SIGN_N" ] &&
          [ "$(jget member <"$T/out")" = 12 ] && [ "$(jget role <"$T/out")" = anggota ] &&
          jget expires <"$T/out" | grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"'
EXP7=$(jget expires_unix <"$T/out")
run --data "$T/A" invite --address "$ADDR" --expires 1 --json "$(card N)"
check "invite --expires 1: expires 6 days before the default 7" \
    eval 'rc_is 0 && [ $((EXP7 - $(jget expires_unix <"$T/out"))) -ge $((6 * 86400 - 5)) ] &&
          [ $((EXP7 - $(jget expires_unix <"$T/out"))) -le $((6 * 86400 + 5)) ]'
run --data "$T/A" invite --address "$ADDR" "$(card N)"
check "invite: exit 0, Bahasa Indonesia first, the code alone on one line, says it is private" \
    eval 'rc_is 0 && head -n 1 "$T/out" | grep -q "^Kode undangan" &&
          [ "$(grep -c "^saksi-invite:[A-Za-z0-9_-]*$" "$T/out")" = 1 ] && out_has "privately"'
TEXTCODE=$(grep "^saksi-invite:" "$T/out")

# ================= join: usage errors =================
run --data "$T/N" join
check "join without CODE: exit 2" usage_err "missing the invite CODE"
run --data "$T/N" join "$CODE" more
check "join with a second argument: exit 2" usage_err "unexpected argument 'more'"
run --data "$T/N" join --wait 0 "$CODE"
check "join --wait 0: exit 2" usage_err "invalid --wait"
run --data "$T/N" join --note "$(printf 'x%.0s' $(seq 1 201))" "$CODE"
check "join --note of 201 bytes: exit 2" usage_err "--note is too long"
run --data "$T/N" join --note "$(printf 'HP\tBu Siti')" "$CODE"
check "join --note with a control character: exit 2" usage_err "UTF-8 text without control"
run --data "$T/N" join --no-start --wait 5 "$CODE"
check "join --no-start --wait: exit 2" usage_err "only matter when join starts the node"
run --data "$T/N" join --no-discovery --discovery 127.255.255.255:4000 "$CODE"
check "join --discovery with --no-discovery: exit 2" usage_err "exclude each other"
run --data "$T/N" join --listen nowhere "$CODE"
check "join --listen nowhere: exit 2" usage_err "invalid --listen"
check "no usage error wrote anything into N's directory" untouched N

# ================= join: the code =================
run --data "$T/N" join --no-start "hello"
check "join with text that is no code: exit 1, damaged" refused "not a whole invite code"
run --data "$T/N" join --no-start "$(printf %s "$CODE" | cut -c 1-150)"
check "join with a truncated code: exit 1, damaged or cut short" refused "damaged or cut short"
FLIP=$(printf %s "$CODE" | python3 -c 'import sys
s = sys.stdin.read(); i = len(s) // 2
print(s[:i] + ("A" if s[i] != "A" else "B") + s[i + 1:])')
run --data "$T/N" join --no-start "$FLIP"
check "join with one character changed: exit 1, damaged" refused "not a whole invite code"
run --data "$T/N" join --no-start "$(alter "$CODE")"
check "join with an altered token (check bytes fixed up): exit 1, signature" \
    refused "signature does not verify: the code was altered"
mkdir -p "$T/exp"
"$HOSTILE" invite "$T/A" "$(card N)" -60 "$ADDR" "$T/exp" >/dev/null 2>&1 || die "hostile invite"
run --data "$T/N" join --no-start "$(cat "$T/exp/code")"
check "join with an expired code: exit 1, says when it expired" refused "this invite expired on"
run --data "$T/O" join --no-start "$CODE"
check "join with another device's code: exit 1, made for another device" \
    refused "this invite was made for another device"
run --data "$T/E" join --no-start "$CODE"
check "join without a key: exit 3, tells to run 'saksi key new'" \
    eval 'rc_is 3 && err_has "saksi key new"'
check "none of the refused joins wrote anything" eval 'untouched N && untouched O'

# ================= join: the data directory =================
s Q key show >/dev/null 2>&1
run --data "$T/A" invite --address "$ADDR" --json "$(card Q)"
QCODE=$(jget code <"$T/out")
run --data "$T/Q" join --no-start "$QCODE"
check "join into a directory holding another ledger: exit 1, says so, writes nothing" \
    eval 'refused "already holds another ledger" && untouched Q'
mkdir -p "$T/exp2"
"$HOSTILE" invite "$T/A" "$(card P)" 600 "$ADDR" "$T/exp2" >/dev/null 2>&1 || die "hostile P"
cp "$T/A/network.key" "$T/P/network.key"
run --data "$T/P" join --no-start "$(cat "$T/exp2/code")"
check "join on a device already on the roster, with the network key: exit 1, nothing to join" \
    refused "already on the roster of this ledger (member 2)"
rm -f "$T/P/network.key"
run --data "$T/P" join --no-start "$(cat "$T/exp2/code")"
check "join on a device on the roster holding the ledger but not the network key: exit 0, key written" \
    eval 'rc_is 0 && cmp -s "$T/A/network.key" "$T/P/network.key"'
run --data "$T/A" invite --address "$ADDR" --json "$(card O)"
OCODE=$(jget code <"$T/out")
head -c 32 /dev/urandom >"$T/O/network.key"
cp "$T/O/network.key" "$T/O.netkey"
run --data "$T/O" join --no-start "$OCODE"
check "join into a directory holding another network key: exit 1, keeps that key" \
    eval 'refused "holds another network key" && cmp -s "$T/O/network.key" "$T/O.netkey" &&
          [ ! -e "$T/O/invite" ] && [ ! -e "$T/O/store" ]'
rm -f "$T/O/network.key"
mkdir "$T/O/saksid.conf"
run --data "$T/O" join --no-start "$OCODE"
check "join that cannot read saksid.conf (a directory): exit 3, writes nothing" \
    eval 'rc_is 3 && [ ! -e "$T/O/network.key" ] && [ ! -e "$T/O/invite" ] &&
          [ ! -e "$T/O/join-request" ] && [ ! -e "$T/O/store" ]'

# ================= join --no-start: what it writes =================
printf 'log-level info\nlisten 127.0.0.1:5000\n' >"$T/N/saksid.conf"
run --data "$T/N" join --no-start --json --note "HP Bu Siti" --listen 0.0.0.0:47320 \
    "  $TEXTCODE
"
check "join --no-start --json (code with white space around it): exit 0, one JSON document" \
    eval 'rc_is 0 && json_ok && [ "$(jget node_started <"$T/out")" = false ] &&
          [ "$(jget device <"$T/out")" = "$SIGN_N" ]'
check "join wrote network.key (A's, 0600), invite and join-request (0600), an empty store" \
    eval 'cmp -s "$T/N/network.key" "$T/A/network.key" &&
          [ "$(stat -c %a "$T/N/network.key")" = 600 ] && [ "$(stat -c %a "$T/N/invite")" = 600 ] &&
          [ "$(stat -c %a "$T/N/join-request")" = 600 ] && [ -d "$T/N/store" ] &&
          [ ! -e "$T/N/saksid.pid" ]'
check "saksid.conf: the old lines kept, the listen line replaced, the peer added" \
    eval 'grep -qx "log-level info" "$T/N/saksid.conf" && grep -qx "peer $ADDR" "$T/N/saksid.conf" &&
          grep -qx "listen 0.0.0.0:47320" "$T/N/saksid.conf" &&
          ! grep -q "listen 127.0.0.1:5000" "$T/N/saksid.conf"'
run --data "$T/N" join --no-start --note "HP Bu Siti" "$CODE"
check "join again with the same invite: exit 0, one peer line, text says how to start" \
    eval 'rc_is 0 && [ "$(grep -c "^peer " "$T/N/saksid.conf")" = 1 ] && out_has "node start"'
run --data "$T/N" head --json
check "N's store holds no ledger yet (the genesis comes from the inviting node)" \
    eval 'rc_is 3 && err_has "no ledger"'

# ================= member requests =================
run --data "$T/A" member requests
check "member requests with none: exit 0, says so" eval 'rc_is 0 && out_has "No join requests"'
run --data "$T/A" member requests --json
check "member requests --json with none: []" eval 'rc_is 0 && [ "$(cat "$T/out")" = "[]" ]'
run --data "$T/A" member requests --number 3
check "member requests --number: exit 2" usage_err "takes no option but --json"
run --data "$T/A" member requests extra
check "member requests extra: exit 2" usage_err "unexpected argument 'extra'"
mkdir -p "$T/A/joins"
cp "$T/N/join-request" "$T/A/joins/$SIGN_N.join"
printf 'junk' >"$T/A/joins/$(printf '%064d' 0).join"
run --data "$T/A" member requests --json
check "member requests --json: N's request (note, member 12, the admit command), one document" \
    eval 'rc_is 0 && json_ok && [ "$(jget device <"$T/out")" = "$SIGN_N" ] &&
          [ "$(jget note <"$T/out")" = "HP Bu Siti" ] && [ "$(jget member <"$T/out")" = 12 ] &&
          [ "$(jget admitted <"$T/out")" = false ] &&
          [ "$(jget card <"$T/out")" = "$(card N)" ] &&
          out_has "saksi member add --number 12 --role anggota $(card N)"'
check "member requests: a damaged request file is skipped with a warning naming it" \
    eval 'grep "^saksi: warning: " "$T/err" | grep -q "$(printf "%064d" 0).join"'
run --data "$T/A" member requests
check "member requests (text): the request, its note and the admit command" \
    eval 'rc_is 0 && out_has "HP Bu Siti" && out_has "^    saksi member add --number 12 --role anggota"'
run --data "$T/A" member add --number 12 --role anggota "$(card N)"
check "member add of the requesting card: exit 0, the served request file is removed" \
    eval 'rc_is 0 && [ ! -e "$T/A/joins/$SIGN_N.join" ]'
cp "$T/N/join-request" "$T/A/joins/$SIGN_N.join"
run --data "$T/A" member requests --json
check "a request of a device already admitted shows as admitted, without a command" \
    eval 'rc_is 0 && [ "$(jget admitted <"$T/out")" = true ] && out_has "\"admit_command\":null"'
run --data "$T/A" invite --address "$ADDR" "$(card N)"
check "invite of the now admitted card: exit 0, says it is on the roster" \
    eval 'rc_is 0 && err_has "is on the roster already (member 12"'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
