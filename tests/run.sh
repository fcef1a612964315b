#!/bin/sh
# Runs one build variant's tests: every cmocka unit binary in BUILD/tests, then every CLI test
# script in tests/cli (each prints TAP-style "ok N - ..." / "not ok N - ..." lines), and prints
# the totals as the last line: "N passed, N failed".
set -u
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
pass=0
fail=0
failed=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    "$t" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or failed outside a test
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        failed="$failed $(basename "$t")"
        cat "$log"
    fi
    printf '%-28s %4d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
done

for t in tests/cli/test_*.sh tests/integ/test_*.sh; do
    [ -f "$t" ] || continue
    SAKSI="$BUILD/saksi" SAKSID="$BUILD/saksid" sh "$t" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        failed="$failed $(basename "$t")"
        cat "$log"
    fi
    printf '%-28s %4d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
done

[ -n "$failed" ] && echo "failed:$failed"
echo "$(basename "$BUILD"): $pass passed, $fail failed"
[ -n "${TOTALS:-}" ] && echo "$pass $fail" >>"$TOTALS"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
