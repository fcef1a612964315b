#!/bin/sh
# Three saksid processes of one koperasi converge after posts on two of them; a node stopped
# while the others post catches up when it returns; shutdown by SIGTERM exits 0.
. "$(dirname "$0")/lib.sh"

check "ledger founded and copied to three devices" make_ledger a b c
check "node a starts" start a
check "node b starts, dialing a" start b a
check "node c starts, dialing a and b" start c a b

check "a posts a journal while its node runs" \
    s a journal post --date 2026-01-05 --memo "Kas awal" --debit 1100=1.000.000 --credit 3300=1.000.000
check "b posts a journal while its node runs" \
    s b journal post --date 2026-01-06 --memo "ATK" --debit 5240=50.000 --credit 1100=50.000
check "all three converge on the same head" wait_for 15 heads_equal a b c
check "c holds both posts (genesis + 2)" test "$(applied_of c)" = 3

check "c stops with exit 0 on SIGTERM" stop c
for i in 1 2 3 4 5; do
    s a journal post --date 2026-01-1$i --memo "Setoran $i" --debit 1100=10.000 \
        --credit 3300=10.000 >/dev/null
done
check "a and b converge while c is down" wait_for 15 heads_equal a b
check "c restarts" start c a b
check "the partition heals: c catches up" wait_for 15 heads_equal a b c
check "c's replica audits clean" s c audit
check "a stops with exit 0" stop a
check "b stops with exit 0" stop b
check "c stops with exit 0" stop c
finish
