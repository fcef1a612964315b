#!/bin/sh
# A new device joins with an invite, on real saksid processes: founders a (pengurus) and b
# (pengawas) run nodes; n makes its keys, a invites its card ('saksi invite') and n runs
# 'saksi join' with the code. n's node gets the genesis and the roster from a and delivers its
# join request, and nothing more: it holds only the genesis, and a journal a posts meanwhile
# reaches b but not n. a's 'member requests' lists the request with the admit command; a admits
# n with it, the request is served, n converges on a's head and its own journal reaches a and b.
# Refusals: n's code on another device n2 ('saksi join' refuses it; saksid will not show another
# device's invite; a's node refuses a hostile peer that shows n's token with n2's keys), and an
# expired invite (made by the hostile tool, since 'saksi invite' cannot make one): 'saksi join'
# refuses it, and a's node refuses a peer that shows it, saying so in its log; the same hostile
# peer with a valid token is served as a guest (the control for both refusals).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_extra.sh"

jfield() { sed -n 's/.*"'"$2"'":"\{0,1\}\([^",}]*\).*/\1/p' "$1"; }
status_of() { s "$1" node status --json 2>/dev/null; }
# joined NAME: n's node shows the genesis received and the join request delivered.
joined() {
    st=$(status_of "$1")
    echo "$st" | grep -q '"genesis":true' && echo "$st" | grep -q '"request_delivered":true'
}
admitted() { status_of "$1" | grep -q '"admitted":true'; }
received_of() { status_of "$1" | sed -n 's/.*"received":{"entries":\([0-9]*\).*/\1/p'; }
# guest_open NAME: n's node has an open link (its guest session at a).
guest_open() { status_of "$1" | grep -q '"state":"open"'; }
# untouched DIR: 'saksi join' left nothing behind there (only the key it had).
untouched() {
    for f in network.key invite join-request saksid.conf store; do
        [ -e "$T/$1/$f" ] && return 1
    done
    return 0
}
log_has() { grep -q -- "$2" "$T/$1.log"; }
nstop() { s "$1" node stop >/dev/null; }

check "ledger founded by a (pengurus) and b (pengawas)" make_ledger a b
check "node a starts" start a
check "node b starts, dialing a" start b a
A=$(addr_of a)
check "the new device n makes its keys" eval 's n key new >/dev/null'
CARD_N=$(card n)
SIGN_N=$(s n key show --json | sed -n 's/.*"signing_key":"\([0-9a-f]*\)".*/\1/p')

s a invite "$CARD_N" --address "$A" --number 12 --json >"$T/invite.json" 2>"$T/invite.err"
CODE=$(jfield "$T/invite.json" code)
check "a invites n's card: a code for n's key and a's address" \
    eval '[ -n "$CODE" ] && [ "$(jfield "$T/invite.json" device)" = "$SIGN_N" ] &&
          [ "$(jfield "$T/invite.json" address)" = "$A" ]'

s n join "$CODE" --note "HP Bu Siti" --no-discovery --json >"$T/join.json" 2>"$T/join.err"
jrc=$?
# n's node runs in the background (started by saksi): its log joins the others on failure.
ln -s "$T/n/saksid.log" "$T/n.log"
PIDS="$PIDS $(cat "$T/n/saksid.pid" 2>/dev/null)"
check "n joins: exit 0, the genesis received and the join request delivered" \
    eval '[ "$jrc" = 0 ] && grep -q "\"genesis\":true" "$T/join.json" &&
          grep -q "\"request_delivered\":true" "$T/join.json"'
check "n's data directory: network key and invite 0600, saksid.conf dials a" \
    eval '[ "$(stat -c %a "$T/n/network.key")" = 600 ] && [ "$(stat -c %a "$T/n/invite")" = 600 ] &&
          cmp -s "$T/n/network.key" "$T/a/network.key" && grep -qx "peer $A" "$T/n/saksid.conf"'
check "n's status: joining, genesis and request delivered, roster shown (2 devices)" \
    eval 'joined n && status_of n | grep -q "\"roster_devices\":2" && ! admitted n'
check "n holds only the genesis" eval '[ "$(entries_of n)" = 1 ] && [ "$(applied_of n)" = 1 ]'
check "a keeps n's join request in a/joins" test -f "$T/a/joins/$SIGN_N.join"

s a member requests --json >"$T/req.json"
check "a's member requests lists n: note, member 12, not admitted, the admit command" \
    eval 'grep -q "\"device\":\"$SIGN_N\"" "$T/req.json" &&
          grep -q "\"note\":\"HP Bu Siti\"" "$T/req.json" && grep -q "\"member\":12" "$T/req.json" &&
          grep -q "\"admitted\":false" "$T/req.json" &&
          grep -q "saksi member add --number 12 --role anggota $CARD_N" "$T/req.json"'
REQ_CARD=$(jfield "$T/req.json" card)

check "a posts a journal while n is a guest" post a 1
check "the journal reaches b" wait_for 15 heads_equal a b
check "n's guest link to a is still open" wait_for 10 guest_open n
check "n received nothing but the genesis (1 entry, none gossiped)" \
    eval '[ "$(received_of n)" = 1 ] && [ "$(entries_of n)" = 1 ]'

# ---- refusals: n's code elsewhere, an expired invite ----
check "another device n2 makes its keys" eval 's n2 key new >/dev/null'
s n2 join "$CODE" --no-discovery >"$T/n2.out" 2>"$T/n2.err"
n2rc=$?
check "n2: 'saksi join' with n's code exits 1, made for another device, writes nothing" \
    eval '[ "$n2rc" = 1 ] && grep -q "this invite was made for another device" "$T/n2.err" &&
          untouched n2'
check "hostile: a's node refuses n's token shown with n2's keys" \
    eval '"$HOSTILE" guest "$A" "$T/n2" "$T/n" >>"$T/hostile.log" 2>&1'
check "a's log says the invite is not valid for that device" \
    log_has a "refused: its invite is not valid here (author not allowed"
# saksid itself will not show an invite made for another device.
s n2 import "$T/genesis.saksi" >/dev/null 2>&1
cp "$T/n/invite" "$T/n/network.key" "$T/n2/"
timeout 10 "$SAKSID" --data "$T/n2" --listen 127.0.0.1:0 --peer "$A" --no-discovery \
    --ready-file "$T/n2.ready" 2>"$T/n2.log"
n2rc=$?
check "saksid with n's invite in n2's directory refuses to start, naming the invite" \
    eval '[ "$n2rc" != 0 ] && [ "$n2rc" != 124 ] && log_has n2 "the invite .* is not usable"'

check "device n3 makes its keys" eval 's n3 key new >/dev/null'
mkdir -p "$T/expired"
check "hostile tool: an invite for n3 that expired a minute ago" \
    eval '"$HOSTILE" invite "$T/a" "$(card n3)" -60 "$A" "$T/expired" >>"$T/hostile.log" 2>&1'
s n3 join "$(cat "$T/expired/code")" --no-discovery >"$T/n3.out" 2>"$T/n3.err"
n3rc=$?
check "n3: 'saksi join' with the expired code exits 1, says it expired, writes nothing" \
    eval '[ "$n3rc" = 1 ] && grep -q "this invite expired on" "$T/n3.err" && untouched n3'
check "hostile: a's node refuses the expired token shown by n3" \
    eval '"$HOSTILE" guest "$A" "$T/n3" "$T/expired" >>"$T/hostile.log" 2>&1'
check "a's log says the invite has expired" \
    log_has a "refused: its invite is not valid here (the invite has expired)"
# The control: the same peer with a valid token is served as a guest (genesis, roster).
mkdir -p "$T/valid"
"$HOSTILE" invite "$T/a" "$(card n3)" 600 "$A" "$T/valid" >>"$T/hostile.log" 2>&1
HOSTILE_SECONDS=3 "$HOSTILE" guest "$A" "$T/n3" "$T/valid" >"$T/guest.log" 2>&1
grc=$?
cat "$T/guest.log" >>"$T/hostile.log"
check "control: with a valid token the hostile peer is served the genesis as a guest" \
    eval '[ "$grc" = 1 ] && grep -q "recv ENTRIES n=1" "$T/guest.log" &&
          grep -q "result: guest-still-open" "$T/guest.log"'

# ---- admission ----
s a member add --number 12 --role kasir "$REQ_CARD" >"$T/add.out" 2>&1
arc=$?
check "a admits n as kasir with the card from its request" test "$arc" = 0
check "the served request is gone from a/joins and from member requests" \
    eval '[ ! -e "$T/a/joins/$SIGN_N.join" ] && [ "$(s a member requests --json)" = "[]" ]'
check "n reconnects as a member and converges on a's head" wait_for 30 heads_equal a b n
check "n's status: admitted" admitted n
check "n posts a journal" \
    eval 's n journal post --date 2026-02-02 --memo "Setoran dari HP Bu Siti" --debit 1100=5.000 \
          --credit 3300=5.000 >/dev/null'
check "n's journal reaches a and b" wait_for 15 heads_equal a b n
check "n's replica audits clean" eval 's n audit >/dev/null'

# ---- a device already on the roster (say a founder's, set up later) joins by invite ----
check "device f makes its keys and a admits it as anggota (f has no ledger yet)" \
    eval 's f key new >/dev/null && s a member add --number 14 --role anggota "$(card f)" >/dev/null'
s a invite "$(card f)" --address "$A" --json >"$T/finvite.json" 2>"$T/finvite.err"
FCODE=$(jfield "$T/finvite.json" code)
check "a invites f's card (on the roster already: a code, and a word that it is)" \
    eval '[ -n "$FCODE" ] && grep -q "is on the roster already" "$T/finvite.err"'
s f join "$FCODE" --no-discovery --json >"$T/fjoin.json" 2>"$T/fjoin.err"
fjrc=$?
ln -s "$T/f/saksid.log" "$T/f.log"
PIDS="$PIDS $(cat "$T/f/saksid.pid" 2>/dev/null)"
check "f joins: exit 0, admitted at once (no join request to deliver)" \
    eval '[ "$fjrc" = 0 ] && grep -q "\"admitted\":true" "$T/fjoin.json"'
check "f, starting from an empty store, converges on a's head" wait_for 30 heads_equal a b f
check "f's replica audits clean" eval 's f audit >/dev/null'
check "f's node stops" nstop f

check "n's node stops" nstop n
check "a stops with exit 0" stop a
check "b stops with exit 0" stop b
finish
