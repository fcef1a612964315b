#!/bin/sh
# A replica killed with SIGKILL in the middle of catching up loses nothing it had committed (and
# so nothing it had acknowledged: an ACK follows the commit): its store opens, audits clean and
# holds at least what it held before the kill; restarted, it converges on the full ledger. Two
# rounds: killed during the first catch-up, and again during the catch-up after the restart.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_extra.sh"

NGEN=${NGEN:-24000} # large enough that a kill lands between two commits (each is up to ~4096 entries, or more)

gen_import() {
    "$HOSTILE" gen "$2" "$T/$1" "$T/gen.saksi" >>"$T/gen.log" 2>&1 &&
        s "$1" import "$T/gen.saksi" >/dev/null 2>>"$T/gen.log"
}

# Lowest applied count seen on b's replica so far; any later reading below it is a loss.
LOW=0
LOST=0
watch_b() {
    v=$(applied_of b)
    [ -n "$v" ] || return 1
    [ "$v" -lt "$LOW" ] && LOST=1
    LOW=$v
    heads_equal a b
}

# kill_b_at N: SIGKILL b's node once its store has applied N entries; SEEN is what it saw.
kill_b_at() {
    eval "pid=\$PID_b" # set by start
    SEEN=$("$HOSTILE" killat "$T/b" "$1" "$pid" 2>>"$T/gen.log") || return 1
    wait "$pid" 2>/dev/null
    [ $? -eq 137 ]
}
partial() { v=$(applied_of b) && [ "$v" -ge "$SEEN" ] && [ "$v" -lt "$TOTAL" ]; }

must "ledger founded on a, copied to b" make_ledger a b
must "a's feed grows by $NGEN journals" gen_import a "$NGEN"
TOTAL=$(applied_of a)
check "a holds $TOTAL applied entries" test "$TOTAL" -gt "$NGEN"
must "node a starts" start a

for round in 1 2; do
    at=$((TOTAL * (2 * round - 1) / 5))
    if [ "$round" = 1 ]; then
        must "node b starts, dialing a" start b a
    else
        check "node b restarts from where it was ($(applied_of b) applied)" start b a
    fi
    check "round $round: b killed with SIGKILL once $at entries are committed" kill_b_at "$at"
    check "round $round: killed mid-replication, nothing committed lost ($SEEN seen, $(applied_of b) held of $TOTAL)" partial
    LOW=$SEEN
    check "round $round: b's partial replica audits clean" s b audit
done

check "node b restarts once more" start b a
check "b converges on a's head, its applied count never going back" wait_for 30 watch_b
check "no reading of b's applied count went below an earlier one" test "$LOST" = 0
check "b holds every entry ($TOTAL)" test "$(applied_of b)" = "$TOTAL"
check "b's replica audits clean" s b audit
check "a posts after the crashes" post a 1
check "b gets the post" wait_for 15 heads_equal a b
check "a stops with exit 0" stop a
check "b stops with exit 0" stop b
finish
