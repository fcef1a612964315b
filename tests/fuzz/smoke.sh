#!/bin/sh
# A short run of each fuzz target, part of `make test`: the checked-in corpus first (every
# regression input), then FUZZ_SMOKE_RUNS fresh inputs. Prints "N passed, N failed".
set -u
RUNS=${FUZZ_SMOKE_RUNS:-20000}
pass=0
fail=0
for t in "$@"; do
    work=$(mktemp -d)
    mkdir -p "tests/fuzz/corpus/$t"
    if build/fuzz/fuzz_$t -runs="$RUNS" -max_total_time=15 -max_len=65536 "$work" "tests/fuzz/corpus/$t" \
        >"$work.log" 2>&1; then
        pass=$((pass + 1))
        echo "ok - fuzz_$t ($RUNS runs)"
    else
        fail=$((fail + 1))
        echo "not ok - fuzz_$t"
        tail -n 40 "$work.log"
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $pass passed, $fail failed"
[ -n "${TOTALS:-}" ] && echo "$pass $fail" >>"$TOTALS"
[ "$fail" -eq 0 ]
