#!/bin/sh
# LAN discovery on loopback. Three nodes of one koperasi started with no --peer at all find each
# other through beacons broadcast to 127.255.255.255 on a UDP port chosen for this run, and
# converge after posts; one of them restarts on a new port and is found again. An outsider o with
# the genesis but another network key, beaconing on the same port, hears their beacons without
# reading them and is heard without being read: nobody learns anybody across the two keys. A
# device e of the koperasi started with --no-discovery is found by nobody.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_extra.sh"

DISC_PORT=$(disc_port)
DISC_ADDR="127.255.255.255:$DISC_PORT"
echo "# beacons to $DISC_ADDR"

setup() {
    make_ledger a b c e || return 1
    s o key new >/dev/null && s o import "$T/genesis.saksi" >/dev/null || return 1
    head -c 32 /dev/urandom >"$T/o/network.key" && chmod 600 "$T/o/network.key"
}

logged() { grep -q "$2" "$T/$1.log"; }
count_logged() { grep -c "$2" "$T/$1.log"; }
# learned X Y: X's node added Y's current address (its ready file) to its peers.
learned() { logged "$1" "learned peer=$(addr_of "$2") "; }
all_learned() {
    for x in a b c; do
        for y in a b c; do
            [ "$x" = "$y" ] || learned "$x" "$y" || return 1
        done
    done
}
# no_peers NAME: the node has no connection at all.
no_peers() { s "$1" node status --json | grep -q '"peers":\[\]'; }
# heard_outsider X N: X's node dropped at least N datagrams it could not open (only o sends
# those: its beacons, under another network key).
ignored_line="ignored: secure channel failure"
heard_outsider() { [ "$(count_logged "$1" "$ignored_line")" -ge "$2" ]; }
# nobody_learned Y: no node logged Y's address as learned.
nobody_learned() {
    for x in a b c e o; do
        ! learned "$x" "$1" || return 1
    done
}
# alone NAME: the node learned no address and has no connection.
alone() { ! logged "$1" "learned peer" && no_peers "$1"; }

must "ledger founded with devices a, b, c, e; o holds the genesis and another network key" setup
must "outsider o starts with discovery on the same port" start_disc o
must "e starts with --no-discovery" start e
check "e's log says discovery is off" logged e "LAN discovery off"
must "a starts with discovery and no --peer" start_disc a
must "b starts with discovery and no --peer" start_disc b
must "c starts with discovery and no --peer" start_disc c
check "a, b and c each log their beacons" \
    wait_for 10 sh -c "grep -q 'beacon sent to $DISC_ADDR' '$T/a.log' &&
        grep -q 'beacon sent to $DISC_ADDR' '$T/b.log' && grep -q 'beacon sent to $DISC_ADDR' '$T/c.log'"
check "a, b and c learn each other's addresses" wait_for 20 all_learned
# Nobody was given an address, so every one they know came from a beacon in the end (some are
# then passed on by peers, who tell each other where they listen).
check "a, b and c started with no peer at all" sh -c "grep -q 'ready port=[0-9]* peers=0' '$T/a.log' &&
    grep -q 'ready port=[0-9]* peers=0' '$T/b.log' && grep -q 'ready port=[0-9]* peers=0' '$T/c.log'"
check "addresses were learned from LAN beacons" \
    sh -c "cat '$T/a.log' '$T/b.log' '$T/c.log' | grep -q 'learned peer=.* (LAN beacon)'"

check "a posts a journal" post a 1
check "b posts a journal" post b 2
check "a, b and c converge on the same head" wait_for 20 heads_equal a b c
check "c holds both posts (genesis + 2)" test "$(applied_of c)" = 3

check "c stops with exit 0" stop c
check "a posts while c is down" post a 3
check "c restarts on a new port, still with no --peer" start_disc c
check "a and b learn c's new address" wait_for 20 sh -c "
    grep -q 'learned peer=$(addr_of c) ' '$T/a.log' && grep -q 'learned peer=$(addr_of c) ' '$T/b.log'"
check "c catches up" wait_for 20 heads_equal a b c

# flood: 300 datagrams that are not beacons (too long, too short, another magic) to the port,
# through bash's /dev/udp (unicast: one of the nodes gets them). None of them fails at the
# authenticator, so that the lines counted below still come from o's beacons only.
flood() {
    bash -c 'for i in $(seq 1 100); do
        printf "SKB1%0300d" 0 >/dev/udp/127.0.0.1/'"$DISC_PORT"'
        printf "xyz" >/dev/udp/127.0.0.1/'"$DISC_PORT"'
        printf "SKB9%080d" "$i" >/dev/udp/127.0.0.1/'"$DISC_PORT"'
    done'
}
if command -v bash >/dev/null 2>&1; then
    check "300 junk datagrams are sent to the discovery port" flood
    check "they are dropped, and the log says so in a few lines" wait_for 15 sh -c "
        cat '$T/a.log' '$T/b.log' '$T/c.log' '$T/o.log' | grep -q 'more datagrams ignored' &&
        cat '$T/a.log' '$T/b.log' '$T/c.log' '$T/o.log' | grep -q 'ignored: too large' &&
        cat '$T/a.log' '$T/b.log' '$T/c.log' '$T/o.log' | grep -q 'ignored: unsupported version' &&
        [ \$(cat '$T/a.log' '$T/b.log' '$T/c.log' '$T/o.log' | grep -c 'ignored: [tu]') -lt 100 ]"
    check "a posts after the flood" post a 4
    check "a, b and c still converge" wait_for 20 heads_equal a b c
else
    ok "junk datagrams # SKIP no bash for /dev/udp"
fi

# o beacons every 4 to 6 seconds: three of its beacons dropped by each of a, b and c span at
# least two of its intervals since they started, longer than any node's interval, so by then e
# would have been heard too, had it sent anything.
check "a, b and c drop o's beacons, which they cannot open" \
    wait_for 30 sh -c "[ \$(grep -c '$ignored_line' '$T/a.log') -ge 3 ] &&
        [ \$(grep -c '$ignored_line' '$T/b.log') -ge 3 ] &&
        [ \$(grep -c '$ignored_line' '$T/c.log') -ge 3 ]"
check "o drops the beacons of a, b and c" heard_outsider o 3
check "o learned no peer and has no connection" alone o
check "nobody learned o's address" nobody_learned o
check "o still holds the genesis only" test "$(entries_of o)" = 1
check "nobody learned e's address (--no-discovery)" nobody_learned e
check "e learned no peer and has no connection" alone e
check "e still holds the genesis only" test "$(entries_of e)" = 1

for d in a b c e o; do check "$d stops with exit 0" stop "$d"; done
finish
