# More helpers for the integration tests, sourced after lib.sh: the roster beyond the founders,
# the head's other counts, audit findings, and the hostile peer tool (build/tests/saksi-hostile,
# next to the saksi binary's build directory unless HOSTILE is set). Its output goes to
# $T/NAME.log, so that a failing check prints it with the nodes' logs.

HOSTILE=${HOSTILE:-$(dirname "$SAKSI")/tests/saksi-hostile}

# head_field DEVICE NAME: one number from `saksi head --json` (feeds, applied, entries, ...).
head_field() { s "$1" head --json 2>/dev/null | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }
entries_of() { head_field "$1" entries; }
forks_of() { head_field "$1" forks; }
pending_of() { head_field "$1" pending; }
ledger_of() { s "$1" head --json 2>/dev/null | sed -n 's/.*"ledger_id":"\([0-9a-f]*\)".*/\1/p'; }
addr_of() { cat "$T/$1.ready"; }

# field_is DEVICE NAME VALUE: for wait_for.
field_is() { [ "$(head_field "$1" "$2")" = "$3" ]; }

# admit KETUA DEVICE NUMBER ROLE: a new device key, admitted by KETUA's device (its node down:
# the admission is written to its store directly, or through its node when it runs).
admit() {
    s "$2" key new >/dev/null || return 1
    s "$1" member add --number "$3" --role "$4" "$(card "$2")" >/dev/null
}

# give_ledger FROM DEVICE...: FROM's whole ledger (export) and its network key to each device.
give_ledger() {
    from=$1; shift
    s "$from" export "$T/$from.export.saksi" >/dev/null || return 1
    for d in "$@"; do
        s "$d" import "$T/$from.export.saksi" >/dev/null || return 1
        cp "$T/$from/network.key" "$T/$d/network.key" && chmod 600 "$T/$d/network.key" || return 1
    done
}

# post DEVICE N: one balanced journal entry (memo numbered N) through DEVICE's node.
post() {
    s "$1" journal post --date 2026-02-01 --memo "Setoran $2" --debit 1100=10.000 \
        --credit 3300=10.000 >/dev/null
}

# audit_findings DEVICE: the kinds of `saksi audit --json` findings, sorted, one per line.
audit_findings() {
    s "$1" audit --json 2>/dev/null | grep -o '"kind":"[a-z-]*"' | sed 's/"kind":"\(.*\)"/\1/' |
        sort
}
# audit_only DEVICE KIND: audit reports findings, every one of them of KIND.
audit_only() {
    f=$(audit_findings "$1")
    [ -n "$f" ] && ! printf '%s\n' "$f" | grep -qv "^$2\$"
}

# tool NAME ARGS...: runs the hostile tool, its output appended to $T/NAME.log.
tool() {
    name=$1; shift
    echo "+ saksi-hostile $*" >>"$T/$name.log"
    "$HOSTILE" "$@" >>"$T/$name.log" 2>&1
}

# must DESCRIPTION COMMAND...: check, and on failure end the script ("Bail out!"): what follows
# depends on it and would only wait out its deadlines.
must() {
    mdesc=$1; shift
    if "$@"; then ok "$mdesc" && return 0; fi
    not_ok "$mdesc"
    echo "Bail out! $mdesc"
    finish
    exit 1
}

# run_node NAME ARG...: like lib.sh's start, with saksid's arguments given (--listen, --peer
# ...): --data, --ready-file, --log-level debug and --no-discovery (a test never broadcasts)
# are added; waits for the ready file.
run_node() {
    rn=$1; shift
    rm -f "$T/$rn.ready"
    "$SAKSID" --data "$T/$rn" --ready-file "$T/$rn.ready" --log-level debug --no-discovery "$@" \
        2>>"$T/$rn.log" &
    eval "PID_$rn=$!"
    PIDS="$PIDS $!"
    wait_for 10 test -s "$T/$rn.ready"
}
# start_to NAME PEER-NAME...: run_node listening on 127.0.0.1:0, dialing the named nodes.
start_to() {
    sn=$1; shift
    sp=""
    for p in "$@"; do sp="$sp --peer $(addr_of "$p")"; done
    # shellcheck disable=SC2086 # one word per option
    run_node "$sn" --listen 127.0.0.1:0 $sp
}

# sign_key DEVICE: its signing key, 64 hex digits (cached in $T/DEVICE.sign). key_prefix
# DEVICE: the 8 hex digits by which logs and `saksi node status` name it.
sign_key() {
    [ -s "$T/$1.sign" ] ||
        s "$1" key show --json | sed -n 's/.*"signing_key":"\([0-9a-f]*\)".*/\1/p' >"$T/$1.sign"
    cat "$T/$1.sign"
}
key_prefix() { sign_key "$1" | cut -c1-8; }

# conns NAME: the node's connections (`saksi node status --json`), one per line:
# PEER STATE DIRECTION, PEER being the key prefix once the handshake is done (its address
# before), STATE open or handshake, DIRECTION out (dialed) or in (accepted).
conns() {
    s "$1" node status --json 2>/dev/null | grep -o '{"name":"[^}]*}' |
        sed -n 's/.*"name":"\([^"]*\)","state":"\([a-z]*\)","direction":"\([a-z]*\)".*/\1 \2 \3/p'
}
# conns_to NAME PEER: how many connections (any state, either direction) NAME has to device
# PEER; open_to NAME PEER [DIRECTION]: NAME has an open connection to PEER (that way).
conns_to() { conns "$1" | grep -c "^$(key_prefix "$2") "; }
open_to() { conns "$1" | grep -q "^$(key_prefix "$2") open ${3:-}"; }

# addrs NAME: the addresses the node knows (`saksi node peers --json`), one per line:
# ADDRESS SOURCE DEVICE CONNECTED SELF, SOURCE config, learned or lan, DEVICE the signing key
# or "-", CONNECTED true when the node's own dial to it is open.
addrs() {
    s "$1" node peers --json 2>/dev/null | grep -o '{"address":"[^}]*}' |
        sed -e 's/"device":null/"device":"-"/' \
            -e 's/.*"address":"\([^"]*\)","source":"\([a-z]*\)","device":"\([^"]*\)"/\1 \2 \3 /' \
            -e 's/ ,"connected":\([a-z]*\),"self":\([a-z]*\).*/ \1 \2/'
}

# status_received NAME FIELD: status.received.FIELD (entries or new) of the running node.
status_received() {
    s "$1" node status --json 2>/dev/null |
        sed -n "s/.*\"received\":{[^}]*\"$2\":\([0-9]*\).*/\1/p"
}
