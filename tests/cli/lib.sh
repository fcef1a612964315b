# Shared helpers for the CLI test scripts, sourced after they set TEST_NAME: a temporary
# working directory (removed on exit), TAP-style "ok N - ..." reporting, and small wrappers
# around the saksi binary ($SAKSI, default build/saksi).
set -u

SAKSI=${SAKSI:-build/saksi}
case $SAKSI in /*) ;; *) SAKSI=$(pwd)/$SAKSI ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/saksi-$TEST_NAME-XXXXXX") || exit 3
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 3

n=0
nfail=0
ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
notok() {
    n=$((n + 1))
    nfail=$((nfail + 1))
    echo "not ok $n - $1"
    # the last command's output, for the reader
    if [ -s "$T/out" ]; then sed 's/^/#   stdout: /' "$T/out" | head -n 20; fi
    if [ -s "$T/err" ]; then sed 's/^/#   stderr: /' "$T/err" | head -n 20; fi
}
# check DESCRIPTION COMMAND...: ok if COMMAND succeeds.
check() {
    _desc=$1
    shift
    if "$@"; then ok "$_desc"; else notok "$_desc"; fi
}
# run ARGS...: saksi ARGS, stdout in $T/out, stderr in $T/err, exit code in $rc.
run() {
    "$SAKSI" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}
# s DIR ARGS...: saksi on data directory DIR; output passes through (setup steps).
s() {
    _dir=$1
    shift
    "$SAKSI" --data "$T/$_dir" "$@"
}
die() {
    echo "not ok $((n + 1)) - setup: $*"
    exit 1
}

# jget KEY: a field (number, boolean or string without quotes or commas) of the flat,
# one-line JSON object on stdin. sed, not python: this runs often and python3 starts slowly.
jget() { sed -n 's/.*"'"$1"'":"\{0,1\}\([^",}]*\).*/\1/p'; }
# head_field DIR KEY: a field of `saksi head --json`.
head_field() { s "$1" head --json 2>/dev/null | jget "$2"; }
card() { s "$1" key show --json | jget card; }
