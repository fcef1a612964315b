# Shared helpers for the integration tests: real saksid processes on 127.0.0.1 with ports
# from :0 and ready files. Nothing sleeps and hopes: every wait polls a condition until a
# deadline, and on failure every node's log is printed. Sourced by tests/integ/test_*.sh with
# SAKSI and SAKSID set to the binaries.

set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/saksi-integ-XXXXXX")
PIDS=""
NTEST=0
NFAIL=0

cleanup() {
    for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
    for p in $PIDS; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

ok() { NTEST=$((NTEST + 1)); echo "ok $NTEST - $*"; }
not_ok() {
    NTEST=$((NTEST + 1)); NFAIL=$((NFAIL + 1)); echo "not ok $NTEST - $*"
    for l in "$T"/*.log; do [ -f "$l" ] && { echo "--- $l"; tail -n 30 "$l"; }; done
}
check() { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

s() { d=$1; shift; "$SAKSI" --data "$T/$d" "$@"; }
card() { s "$1" key show --json | sed -n 's/.*"card":"\([^"]*\)".*/\1/p'; }
head_of() { s "$1" head --json 2>/dev/null | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p'; }
applied_of() { s "$1" head --json 2>/dev/null | sed -n 's/.*"applied":\([0-9]*\).*/\1/p'; }

# wait_for SECONDS COMMAND...: polls COMMAND every 50 ms until it succeeds or the deadline.
wait_for() {
    limit=$1; shift
    end=$(( $(date +%s) + limit ))
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -ge "$end" ] && return 1
        sleep 0.05
    done
    return 0
}

# A ledger with the given founder devices (names): first is ketua, second bendahara, the rest
# pengawas. Every device gets the founder's export and the network key.
make_ledger() {
    first=$1
    kdesc="$T/koperasi.txt"
    { echo "name = KSP Integrasi"; echo "registration = 1/BH/2026"; } >"$kdesc"
    i=0
    for d in "$@"; do
        s "$d" key new >/dev/null || return 1
        i=$((i + 1))
        case $i in
        1) echo "founder = $i pengurus ketua $(card "$d")" >>"$kdesc" ;;
        2) echo "founder = $i pengurus bendahara $(card "$d")" >>"$kdesc" ;;
        *) echo "founder = $i pengawas $(card "$d")" >>"$kdesc" ;;
        esac
    done
    s "$first" init "$kdesc" >/dev/null || return 1
    s "$first" export "$T/genesis.saksi" >/dev/null || return 1
    for d in "$@"; do
        [ "$d" = "$first" ] && continue
        s "$d" import "$T/genesis.saksi" >/dev/null || return 1
        cp "$T/$first/network.key" "$T/$d/network.key" && chmod 600 "$T/$d/network.key"
    done
}

# start NAME [PEER-NAME ...]: starts saksid for device NAME listening on 127.0.0.1:0, dialing
# the named (already started) nodes; waits for its ready file. LAN discovery is off
# (--no-discovery: a test never broadcasts beyond loopback) unless START_DISCOVERY holds a
# beacon destination ADDR:PORT (see start_disc).
START_DISCOVERY=""
start() {
    name=$1; shift
    peers=""
    for p in "$@"; do peers="$peers --peer $(cat "$T/$p.ready")"; done
    if [ -n "$START_DISCOVERY" ]; then
        disc="--discovery $START_DISCOVERY"
    else
        disc="--no-discovery"
    fi
    rm -f "$T/$name.ready"
    # shellcheck disable=SC2086
    "$SAKSID" --data "$T/$name" --listen 127.0.0.1:0 --ready-file "$T/$name.ready" \
        --log-level debug $disc $peers 2>>"$T/$name.log" &
    eval "PID_$name=$!"
    PIDS="$PIDS $!"
    wait_for 10 test -s "$T/$name.ready"
}

# disc_port: a UDP port for this run's LAN beacons, below the kernel's ephemeral range and bound
# by no socket now (per /proc/net/udp), so that parallel runs do not hear each other.
disc_port() {
    while :; do
        dp=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 12000))
        grep -qi "^ *[0-9]*: [0-9A-F]*:$(printf '%04X' "$dp") " /proc/net/udp 2>/dev/null ||
            break
    done
    echo "$dp"
}

# start_disc NAME [PEER-NAME ...]: start, with LAN discovery on: beacons to and from
# $DISC_ADDR, which the test sets to a loopback broadcast address (127.255.255.255:PORT).
start_disc() {
    START_DISCOVERY=$DISC_ADDR
    start "$@"
    src=$?
    START_DISCOVERY=""
    return $src
}

# stop NAME: SIGTERM, and the exit code must be 0.
stop() {
    eval "pid=\$PID_$1"
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
}

heads_equal() {
    h=$(head_of "$1")
    [ -n "$h" ] || return 1
    for d in "$@"; do [ "$(head_of "$d")" = "$h" ] || return 1; done
}

finish() {
    echo "$((NTEST - NFAIL)) passed, $NFAIL failed"
    [ "$NFAIL" -eq 0 ]
}
