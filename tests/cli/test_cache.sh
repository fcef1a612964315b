#!/bin/sh
# The statement cache (<data>/books.cache, docs/FORMATS.md 7.9): `saksi statement` answers from
# the member's slice of the books when the file is current, and its output is byte for byte the
# output of the books derived from every entry (SAKSI_BOOKS_CACHE=0), for every member of the
# generated ledger (and one it does not know), as text and --json, over several periods and
# as-of dates. A miss writes the file, `saksi report` does not, a hit leaves it alone; a write
# (a deposit, a withdrawal waiting for the member's countersignature) moves the head, so the
# next statement misses and shows the new entries; a corrupted, truncated or foreign file is a
# miss, never a wrong statement; `saksi audit` checks a current file against its own derivation
# and deletes one that differs (finding `cache`).
#
# Run: SAKSI=build/saksi sh tests/cli/test_cache.sh   (TAP-style "ok N - ..." lines; saksi-gen
# is taken from the same directory as saksi, or from $SAKSI_GEN)
TEST_NAME=cache
. "$(dirname "$0")/lib.sh"

GEN=${SAKSI_GEN:-$(dirname "$SAKSI")/saksi-gen}
[ -x "$GEN" ] || die "$GEN is missing (make $(dirname "$SAKSI")/saksi-gen)"

D=$T/B
C=$D/books.cache
kv() { sed -n "s/^$1=//p" "$T/gen.txt"; }
inode() { ls -i "$C" 2>/dev/null | cut -d' ' -f1; }

"$GEN" --seed 2025 --keys "$T/keys" "$T/y.ex" >"$T/gen.txt" 2>"$T/err" || die "saksi-gen failed"
"$SAKSI" --data "$D" import "$T/y.ex" >/dev/null 2>"$T/err" || die "import failed"
cp "$T/keys/$(kv bendahara_key)" "$D/key" && cp "$T/keys/network.key" "$D/" ||
    die "cannot give the data directory the bendahara's keys"

# The statement queries compared: the year, a period with a later as-of, an as-of inside the
# period, English, and the next year (as of its end: today's date plays no part).
Q1="--year 2025"
Q2="--from 2025-03-01 --to 2025-06-30 --as-of 2025-12-31"
Q3="--year 2025 --as-of 2025-05-15"
Q4="--year 2025 --lang en"
Q5="--year 2026 --as-of 2026-12-31"

# same M ARGS...: the statement of member M from the cache (which must be current) and from
# the derived books agree, as text and as JSON. Leaves the cache in place.
same() {
    _m=$1
    shift
    "$SAKSI" --data "$D" statement --member "$_m" "$@" >"$T/got" 2>"$T/err" || return 1
    "$SAKSI" --data "$D" statement --member "$_m" "$@" --json >"$T/gotj" 2>>"$T/err" || return 1
    SAKSI_BOOKS_CACHE=0 "$SAKSI" --data "$D" statement --member "$_m" "$@" >"$T/want" \
        2>>"$T/err" || return 1
    SAKSI_BOOKS_CACHE=0 "$SAKSI" --data "$D" statement --member "$_m" "$@" --json \
        >"$T/wantj" 2>>"$T/err" || return 1
    cmp -s "$T/got" "$T/want" && cmp -s "$T/gotj" "$T/wantj"
}

# all_same LABEL: every member 1..50 and 999 (unknown), every query; the cache must not be
# rewritten meanwhile (every statement was a hit).
all_same() {
    _ino=$(inode)
    _bad=""
    for m in $(seq 1 50) 999; do
        for q in "$Q1" "$Q2" "$Q3" "$Q4" "$Q5"; do
            # shellcheck disable=SC2086
            same "$m" $q || _bad="$_bad $m($q)"
        done
    done
    if [ -z "$_bad" ] && [ "$(inode)" = "$_ino" ]; then
        ok "$1"
    else
        notok "$1"
        echo "#   differ:$_bad (inode $_ino -> $(inode))"
    fi
}

check "no cache after the import" eval '[ ! -e "$C" ]'
run --data "$D" statement --member 7 --year 2025
check "a statement without a cache derives the books and writes books.cache (0600)" \
    eval '[ "$rc" -eq 0 ] && [ -s "$C" ] && [ "$(stat -c %a "$C")" = 600 ]'
I1=$(inode)
run --data "$D" statement --member 8 --year 2025
check "the next statement reads it (the file is not rewritten)" eval '[ "$(inode)" = "$I1" ]'
all_same "every member, 5 queries, text and JSON: the cache gives the derived output"

rm -f "$C"
run --data "$D" report all --year 2025
check "saksi report leaves the cache to the statements (it does not write it)" eval '[ ! -e "$C" ]'
rm -f "$C"
SAKSI_BOOKS_CACHE=0 "$SAKSI" --data "$D" statement --member 7 --year 2025 >/dev/null 2>&1
check "SAKSI_BOOKS_CACHE=0: nothing written" eval '[ ! -e "$C" ]'

# Writes move the head: the next statement misses, shows them and rewrites the file.
"$SAKSI" --data "$D" statement --member 7 --year 2025 >"$T/before" 2>/dev/null
I1=$(inode)
run --data "$D" deposit --member 7 --product SS 123.456 --date 2026-01-05
check "a deposit" eval '[ "$rc" -eq 0 ]'
run --data "$D" statement --member 7 --year 2026 --as-of 2026-01-31
check "the next statement shows it (a miss: the cache is rewritten)" \
    eval 'grep -q "Rp123.456" "$T/out" && [ "$(inode)" != "$I1" ]'
run --data "$D" withdraw --member 9 --product SS 10.000 --date 2026-01-05
check "a withdrawal that waits for member 9's countersignature" eval '[ "$rc" -eq 0 ]'
run --data "$D" statement --member 9 --year 2026 --as-of 2026-01-31 --json
check "member 9's statement lists it as waiting" \
    eval 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(len(d[\"data\"][\"waiting\"]) != 1)" "$T/out"'
all_same "after the writes: every member, every query, the cache gives the derived output"

# saksi audit checks a current cache against its own derivation.
"$SAKSI" --data "$D" report all --year 2025 >/dev/null 2>&1
run --data "$D" audit
check "saksi audit: a current cache agrees (no cache finding)" \
    eval '[ -s "$C" ] && ! grep -q "cache" "$T/out" "$T/err"'
# A file that checks out but holds other figures (as a derivation changed without a version
# bump would leave): the file of the ledger before a deposit, given the head after it.
cp "$C" "$T/old.cache"
run --data "$D" deposit --member 7 --product SS 7.777 --date 2026-01-06
SAKSI_BOOKS_CACHE=0 "$SAKSI" --data "$D" statement --member 7 --year 2026 --as-of 2026-01-31 \
    >"$T/ref1" 2>/dev/null
"$SAKSI" --data "$D" statement --member 8 --year 2025 >/dev/null 2>&1 # a miss: rewrites it
python3 - "$C" "$T/old.cache" <<'EOF'
import hashlib, sys
new = open(sys.argv[1], "rb").read()
old = bytearray(open(sys.argv[2], "rb").read())
old[56:96] = new[56:96]  # head and applied count
old[192:224] = hashlib.sha256(bytes(old[:192])).digest()
open(sys.argv[1], "wb").write(bytes(old))
EOF
run --data "$D" statement --member 7 --year 2026 --as-of 2026-01-31
check "(the doctored cache is read: member 7's statement lacks the deposit)" \
    eval '[ "$rc" -eq 0 ] && ! grep -q "Rp7.777" "$T/out" && grep -q "Rp7.777" "$T/ref1"'
run --data "$D" audit
check "saksi audit reports the finding cache and deletes the file" \
    eval 'grep -q "cache" "$T/out" "$T/err" && [ ! -e "$C" ]'
run --data "$D" statement --member 7 --year 2026 --as-of 2026-01-31
check "then the statement is the derived one again" eval 'cmp -s "$T/out" "$T/ref1"'

# A damaged file is a miss, and the statement stays right.
SAKSI_BOOKS_CACHE=0 "$SAKSI" --data "$D" statement --member 7 --year 2025 >"$T/ref" 2>/dev/null
flip() { # flip OFFSET: inverts one byte of the cache
    python3 -c 'import sys
p, o = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read()); o = o % len(b); b[o] ^= 0xff
open(p, "wb").write(bytes(b))' "$C" "$1"
}
for off in 10 100 400 5000 -300 -10; do
    "$SAKSI" --data "$D" report all --year 2025 >/dev/null 2>&1
    flip "$off"
    run --data "$D" statement --member 7 --year 2025
    check "a byte flipped at $off: the statement is still the derived one" \
        eval '[ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/ref"'
done
SZ=$(stat -c %s "$C")
for off in $((SZ / 2)) $((SZ * 3 / 4)); do
    head -c "$off" "$C" >"$T/part" && cp "$T/part" "$C"
    run --data "$D" statement --member 7 --year 2025
    check "a file cut at $off bytes: the statement is still the derived one" \
        eval '[ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/ref"'
done
# Every member's part damaged in turn would be slow; member 7's own part, found by its bytes:
"$SAKSI" --data "$D" report all --year 2025 >/dev/null 2>&1
python3 - "$C" <<'EOF'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
ioff, n = struct.unpack_from("<QQ", b, 16 + 8 + 64 + 8 + 16)
for k in range(n):
    m, off, ln = struct.unpack_from("<IQQ", b, ioff + k * 52)
    if m == 7:
        b[off + ln // 2] ^= 0x01
open(p, "wb").write(bytes(b))
EOF
run --data "$D" statement --member 7 --year 2025
check "member 7's part damaged: the statement is still the derived one" \
    eval '[ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/ref"'

# Another ledger's current-looking file is not this one's.
"$GEN" --seed 2026 "$T/z.ex" >/dev/null 2>&1 && "$SAKSI" --data "$T/Z" import "$T/z.ex" \
    >/dev/null 2>&1 && "$SAKSI" --data "$T/Z" statement --member 7 --year 2025 >/dev/null 2>&1
cp "$T/Z/books.cache" "$C"
run --data "$D" statement --member 7 --year 2025
check "another ledger's cache: a miss" eval '[ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/ref"'

# A data directory the statement cannot write: the statement still works.
rm -f "$C"
chmod 500 "$D"
run --data "$D" statement --member 7 --year 2025
chmod 700 "$D"
check "a read-only data directory: the statement works (no cache)" \
    eval '[ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/ref"'

echo "1..$n"
[ "$nfail" -eq 0 ]
