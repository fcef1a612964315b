#!/bin/sh
# Ten saksid processes of one koperasi: three founders and seven devices the ketua admits. First
# in a line (each node dials the one before it), then in a ring (the tenth also dials the first):
# posts at both ends reach every node, and every replica holds the same head.
# shellcheck disable=SC2086 # $ALL and $BUT5 are lists of node names, split on purpose
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_extra.sh"

ALL="n1 n2 n3 n4 n5 n6 n7 n8 n9 n10"

# n4, n5, n7, n8, n9 are anggota; n6 and n10 are kasir, so that they may post journals.
members() {
    for i in 4 5 6 7 8 9 10; do
        role=anggota
        case $i in 6 | 10) role=kasir ;; esac
        admit n1 "n$i" "$i" "$role" || return 1
    done
    give_ledger n1 n2 n3 n4 n5 n6 n7 n8 n9 n10
}

# line: n1 <- n2 <- ... <- n10; ring: the same, and n10 also dials n1.
start_line() {
    start n1 || return 1
    for i in 2 3 4 5 6 7 8 9 10; do start "n$i" "n$((i - 1))" || return 1; done
}
start_ring() {
    start n1 || return 1
    for i in 2 3 4 5 6 7 8 9; do start "n$i" "n$((i - 1))" || return 1; done
    start n10 n9 n1
}
stop_all() {
    rc=0
    for d in $ALL; do stop "$d" || rc=1; done
    return $rc
}
applied_all() {
    for d in $ALL; do [ "$(applied_of "$d")" = "$1" ] || return 1; done
}
BUT5="n1 n2 n3 n4 n6 n7 n8 n9 n10"

must "ledger founded by three devices" make_ledger n1 n2 n3
must "the ketua admits seven more devices; all ten get the ledger and network key" members
check "all ten replicas start from the same head" heads_equal $ALL
base=$(applied_of n1)

must "ten nodes start in a line, each dialing the one before" start_line
check "n1 (one end) posts" post n1 1
check "n10 (the other end) posts" post n10 2
check "the line converges: all ten on the same head" wait_for 15 heads_equal $ALL
check "every node holds both posts" applied_all $((base + 2))
check "the line stops, every node exiting 0" stop_all

check "ten nodes start in a ring (n10 also dials n1)" start_ring
check "n1 posts" post n1 3
check "n10 posts" post n10 4
check "n6 (across the ring) posts" post n6 5
check "the ring converges: all ten on the same head" wait_for 15 heads_equal $ALL
check "every node holds all five posts" applied_all $((base + 5))
check "n5 leaves the ring (exit 0)" stop n5
check "n6, next to the gap, posts" post n6 6
check "n4 gets it the long way round (n6 .. n10, n1 .. n4)" wait_for 15 heads_equal $BUT5
check "n5 rejoins, dialing n4 and n6" start n5 n4 n6
check "the ring converges again" wait_for 15 heads_equal $ALL
check "every node holds all six posts" applied_all $((base + 6))
check "n6's replica audits clean" s n6 audit
check "the ring stops, every node exiting 0" stop_all
finish
