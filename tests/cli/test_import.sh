#!/bin/sh
# `saksi import` on bad input (the "Bad input" requirement): truncated, non-canonical,
# oversized, wrong-ledger, bad-signature, gap, duplicate, fork and random-garbage inputs each get
# a message naming the entry (record number, and its id where the record parses) and the reason,
# and a non-zero exit; valid entries in the same file are kept; nothing already stored changes.
#
# A small ledger is built in data directory A (ketua A, pengawas P, kasir B), exported to
# good.saksi and imported into a replica R. Every case imports a file crafted (with python3) from
# real records into a fresh copy of R, then checks the exit code, the messages and the store.
#
# Run: SAKSI=build/saksi sh tests/cli/test_import.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=import
. "$(dirname "$0")/lib.sh"
# ids DIR: every stored entry id (log --json: JSON Lines, "id" first), one per line.
ids() { s "$1" log --json 2>/dev/null | sed -n 's/^{"id":"\([0-9a-f]\{64\}\)".*/\1/p'; }

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
# err_line_has A B...: one line of stderr holds every pattern.
err_line_has() {
    python3 - "$T/err" "$@" <<'EOF'
import sys
pats = sys.argv[2:]
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if all(p in line for p in pats):
        sys.exit(0)
sys.exit(1)
EOF
}
# has_id DIR ID: the entry is stored (listed by log).
has_id() { ids "$1" | grep -qx "$2"; }
# count_id DIR ID: how many times log lists it.
count_id() { ids "$1" | grep -cx "$2"; }
# unchanged DIR: every entry of the replica's baseline is still stored with the same id, the
# ledger id is the same, and audit is clean.
kept_all() {
    ids "$1" >"$T/now.ids" || return 1
    for id in $(cat "$T/base.ids"); do
        grep -qx "$id" "$T/now.ids" || { echo "#   lost entry $id"; return 1; }
    done
    [ "$(head_field "$1" ledger_id)" = "$LEDGER" ]
}
unchanged() {
    kept_all "$1" && s "$1" audit >/dev/null 2>&1
}
# fresh NAME: a new copy of the replica R.
fresh() {
    rm -rf "${T:?}/${1:?}"
    cp -a "$T/R" "$T/$1"
}

# ---- python helpers for crafting export streams ----
cat >"$T/sx.py" <<'EOF'
import hashlib, os, struct, sys

MAGIC = b"SAKSIEX1"

def recs(path):
    """The raw entries of an export stream, in order."""
    d = open(path, "rb").read()
    assert d[:8] == MAGIC, "bad magic in " + path
    out, i = [], 8
    while i < len(d):
        n = struct.unpack(">I", d[i:i + 4])[0]
        out.append(d[i + 4:i + 4 + n])
        i += 4 + n
    assert i == len(d), "trailing bytes in " + path
    return out

def eid(raw):
    """The entry id: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + raw).hexdigest()

def byid(path, prefix):
    """The record of an export whose id starts with prefix."""
    m = [r for r in recs(path) if eid(r).startswith(prefix)]
    assert len(m) == 1, "no unique record %s in %s" % (prefix, path)
    return m[0]

def rec(raw):
    return struct.pack(">I", len(raw)) + raw

def write(path, parts, magic=True):
    with open(path, "wb") as f:
        if magic:
            f.write(MAGIC)
        for p in parts:
            f.write(p)

def offset_of(parts, k):
    """Byte offset of part k (0-based) in a stream written by write()."""
    return 8 + sum(len(p) for p in parts[:k])
EOF
PY() { PYTHONPATH="$T" python3 "$@"; }

# ---- setup: ledger in A, replica R ----
for d in A P B X; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF
name = KSP Uji Impor
registration = 518/BH/TEST/2026
currency = IDR
founder = 1 pengurus ketua $(card A)
founder = 2 pengawas $(card P)
founder = 3 kasir $(card B)
EOF
s A init koperasi.txt >/dev/null || die "init A"
post() { # post DIR DATE MEMO AMOUNT [GLOBAL-OPTION]: prints the new entry's id, fails if none
    _id=$(s "$1" ${5:+"$5"} journal post --date "$2" --memo "$3" --debit 1100="$4" --credit 3300="$4" \
        --json 2>/dev/null | jget entry_id)
    [ ${#_id} -eq 64 ] && echo "$_id"
}
A2=$(post A 2026-01-05 "setoran-a2" 100.000) || die "post A2"
A3=$(post A 2026-01-06 "setoran-a3" 250.000) || die "post A3"
A4=$(post A 2026-01-07 "setoran-a4" Rp1.234.567) || die "post A4"
s A export good.saksi >/dev/null || die "export A"

# The kasir's device replicates A and posts two entries of its own: B1, B2 (new to R).
s B import good.saksi >/dev/null || die "B import"
B1=$(post B 2026-01-08 "kasir-b1" 40.000) || die "post B1"
B2=$(post B 2026-01-09 "kasir-b2" 60.000) || die "post B2"
s B export b.saksi >/dev/null || die "export B"

# A second, independent ledger in X.
cat >"$T/lain.txt" <<EOF
name = KSP Lain
registration = 1/BH/OTHER/2026
founder = 1 pengurus ketua $(card X)
EOF
s X init lain.txt >/dev/null || die "init X"
X2=$(post X 2026-01-05 "lain-x2" 5.000) || die "post X2"
s X export x.saksi >/dev/null || die "export X"
LX=$(head_field X ledger_id)

# The replica.
run --data "$T/R" import good.saksi
check "setup: importing good.saksi into an empty replica exits 0" rc_is 0
LEDGER=$(head_field R ledger_id)
A1=$LEDGER
s R head --json >"$T/base.head" || die "head R"
s R audit --json >"$T/base.audit" || die "audit R"
ids R >"$T/base.ids"
[ "$(wc -l <"$T/base.ids")" -eq 4 ] || die "R should hold 4 entries"
for id in "$A1" "$A2" "$A3" "$A4"; do
    grep -qx "$id" "$T/base.ids" || die "R lacks $id"
done
[ "$(jget head <"$T/base.head")" = "$(head_field A head)" ] || die "R's head differs from A's"
BASE_HEAD=$(jget head <"$T/base.head")
[ "$(jget clean <"$T/base.audit")" = true ] || die "R does not audit clean"

# The records every case uses: G = the 4 records R already holds; B1/B2 raw.
PY - <<'EOF' || die "python setup"
from sx import *
open("g.bin", "wb").write(b"".join(rec(r) for r in recs("good.saksi")))
EOF

# entries DIR: the stored entry count.
entries() { head_field "$1" entries; }

# =========== 1. truncated ===========
# (a) B1 whole, then B2 whose length says more than remains.
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
parts = [rec(b1), rec(b2)[:4 + len(b2) // 2]]
write("trunc1.saksi", parts)
open("trunc1.off", "w").write(str(offset_of(parts, 1)))
EOF
fresh C1
run --data "$T/C1" import trunc1.saksi
check "truncated record: exit 1" rc_is 1
check "truncated record: message names entry #2 at its offset and says truncated" \
    err_line_has "entry #2 (offset $(cat trunc1.off))" "truncated"
check "truncated record: the whole record before the cut is kept (5 entries, B1 stored)" \
    eval '[ "$(entries C1)" -eq 5 ] && has_id C1 "$B1" && ! has_id C1 "$B2"'
check "truncated record: stored entries unchanged, audit clean" unchanged C1

# (b) B1, B2 whole, then 2 bytes of a length.
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
parts = [rec(b1), rec(b2), b"\x00\x00"]
write("trunc2.saksi", parts)
open("trunc2.off", "w").write(str(offset_of(parts, 2)))
EOF
fresh C1b
run --data "$T/C1b" import trunc2.saksi
check "file cut inside a length: exit 1" rc_is 1
check "file cut inside a length: message names entry #3 at its offset and says truncated" \
    err_line_has "entry #3 (offset $(cat trunc2.off))" "truncated"
check "file cut inside a length: B1 and B2 before the cut are kept and applied" \
    eval '[ "$(entries C1b)" -eq 6 ] && [ "$(head_field C1b applied)" -eq 6 ] &&
        has_id C1b "$B1" && has_id C1b "$B2"'
check "file cut inside a length: stored entries unchanged, audit clean" unchanged C1b

# =========== 2. non-canonical ===========
# B1 with its signature's bin8 header (c4 40) written as bin16 (c5 00 40); nothing else changed.
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
assert b1[-66:-64] == b"\xc4\x40"
bad = b1[:-66] + b"\xc5\x00\x40" + b1[-64:]
parts = [open("g.bin", "rb").read(), rec(bad), rec(b1), rec(b2)]
write("noncanon.saksi", parts)
open("noncanon.off", "w").write(str(offset_of(parts, 1)))
EOF
fresh C2
run --data "$T/C2" import noncanon.saksi
check "non-canonical entry: exit 1" rc_is 1
check "non-canonical entry: message names entry #5 and says not canonical" \
    err_line_has "entry #5 (offset $(cat noncanon.off))" "not canonical"
check "non-canonical entry: only that record is reported" \
    eval '[ "$(grep -c "saksi: entry #" "$T/err")" -eq 1 ]'
check "non-canonical entry: the valid B1, B2 after it are kept, the 4 others already present" \
    eval 'out_has "2 added, 4 already present" && [ "$(entries C2)" -eq 6 ] &&
        has_id C2 "$B1" && has_id C2 "$B2"'
check "non-canonical entry: stored entries unchanged, audit clean" unchanged C2

# =========== 3. oversized ===========
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
big = struct.pack(">I", 70000) + bytes([0x92]) + b"\xab" * 69999
parts = [open("g.bin", "rb").read(), big, rec(b1), rec(b2)]
write("big.saksi", parts)
open("big.off", "w").write(str(offset_of(parts, 1)))
EOF
fresh C3
run --data "$T/C3" import big.saksi
check "oversized record (70000 bytes): exit 1" rc_is 1
check "oversized record: message names entry #5 and says oversized" \
    err_line_has "entry #5 (offset $(cat big.off))" "oversized"
check "oversized record: the valid records after it are read and kept (B1, B2)" \
    eval 'out_has "2 added, 4 already present" && [ "$(entries C3)" -eq 6 ] &&
        has_id C3 "$B1" && has_id C3 "$B2"'
check "oversized record: stored entries unchanged, audit clean" unchanged C3
# Records after a skipped one (oversized, or of length 0) keep their own numbers in messages.
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
bad = bytearray(b2)
bad[-7] ^= 0x40
bad = bytes(bad)
big = struct.pack(">I", 70000) + b"\x00" * 70000
parts = [rec(b1), big, struct.pack(">I", 0), rec(bad), rec(b2)]
write("bignum.saksi", parts)
open("bignum.off", "w").write(str(offset_of(parts, 3)))
open("bignum.id", "w").write(eid(bad))
EOF
fresh C3b
run --data "$T/C3b" import bignum.saksi
check "skipped records (oversized #2, empty #3): each named with its own number" \
    eval 'rc_is 1 && err_line_has "entry #2 " "oversized" && err_line_has "entry #3 " "malformed"'
check "a bad record after skipped ones is named #4 (its own number), at its offset, with its id" \
    err_line_has "entry #4 (offset $(cat bignum.off), id $(cut -c1-16 bignum.id)" "bad signature"
check "after skipped records: B1 and B2 kept" \
    eval '[ "$(entries C3b)" -eq 6 ] && has_id C3b "$B1" && has_id C3b "$B2" && unchanged C3b'

# =========== 4. wrong ledger ===========
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
x = recs("x.saksi")
write("wrong.saksi", [rec(x[0]), rec(x[1]), rec(b1), rec(b2)])
EOF
fresh C4
run --data "$T/C4" import wrong.saksi
check "entries of another ledger: exit 1" rc_is 1
check "entries of another ledger: the other genesis (#1) is named by id and rejected" \
    err_line_has "entry #1 " "id $(printf %.16s "$LX")" "another ledger"
check "entries of another ledger: its journal (#2) is named by id and rejected" \
    err_line_has "entry #2 " "id $(printf %.16s "$X2")" "another ledger"
check "entries of another ledger: none stored; the valid B1, B2 are kept" \
    eval '[ "$(entries C4)" -eq 6 ] && ! has_id C4 "$LX" && ! has_id C4 "$X2" &&
        has_id C4 "$B1" && has_id C4 "$B2"'
check "entries of another ledger: ledger id and stored entries unchanged, audit clean" \
    unchanged C4

# =========== 5. bad signature ===========
# (a) one byte of the signature flipped, (b) one byte of the signed bytes (the memo) flipped.
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
g = open("g.bin", "rb").read()
sig = bytearray(b1)
sig[-20] ^= 0x01
sig = bytes(sig)
i = b1.index(b"kasir-b1")
body = b1[:i] + b"kasir-X1" + b1[i + 8:]
for name, bad in (("badsig1", sig), ("badsig2", body)):
    parts = [g, rec(bad), rec(b1), rec(b2)]
    write(name + ".saksi", parts)
    open(name + ".off", "w").write(str(offset_of(parts, 1)))
    open(name + ".id", "w").write(eid(bad))
EOF
for c in 1 2; do
    case $c in
    1) what="signature byte flipped" ;;
    2) what="signed byte (memo) flipped" ;;
    esac
    fresh C5$c
    run --data "$T/C5$c" import badsig$c.saksi
    check "bad signature ($what): exit 1" rc_is 1
    check "bad signature ($what): message names entry #5, its id and says bad signature" \
        err_line_has "entry #5 (offset $(cat badsig$c.off)" \
        "id $(cut -c1-16 badsig$c.id)" "bad signature"
    check "bad signature ($what): the forged entry is not stored; B1, B2 are kept" \
        eval '! has_id C5$c "$(cat badsig$c.id)" && [ "$(entries C5$c)" -eq 6 ] &&
            has_id C5$c "$B1" && has_id C5$c "$B2"'
    check "bad signature ($what): stored entries unchanged, audit clean" unchanged C5$c
done
# The same problem as JSON: record number, id and reason.
fresh C5j
run --data "$T/C5j" import --json badsig1.saksi
json_badsig() {
    rc_is 1 && python3 - "$T/out" "$(cat badsig1.id)" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["problems"]
assert d["rejected"] == 1 and d["added"] == 2 and d["already_present"] == 4, d
assert len(p) == 1 and p[0]["record"] == 5 and p[0]["id"] == sys.argv[2], p
assert "bad signature" in p[0]["reason"], p
EOF
}
check "bad signature, --json: exit 1 and the problem lists record 5, its id and the reason" \
    json_badsig

# =========== 6. gap ===========
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
write("gap.saksi", [rec(byid("b.saksi", sys.argv[2]))])
write("fill.saksi", [rec(byid("b.saksi", sys.argv[1]))])
EOF
fresh C6
run --data "$T/C6" import gap.saksi
check "gap (B2 without B1): exit 1" rc_is 1
check "gap: message names entry #1, B2's id and says held pending for a missing predecessor" \
    err_line_has "entry #1 " "id $(printf %.16s "$B2")" "pending" "predecessor"
check "gap: B2 is held pending (head: pending 1), nothing applied, head unchanged" \
    eval '[ "$(head_field C6 pending)" -eq 1 ] && [ "$(head_field C6 applied)" -eq 4 ] &&
        [ "$(head_field C6 head)" = "$BASE_HEAD" ]'
check "gap: stored entries unchanged, audit clean" unchanged C6
run --data "$T/C6" import fill.saksi
check "gap filled: importing the missing B1 exits 0" rc_is 0
check "gap filled: B1 and the pending B2 are applied (pending 0, 6 applied)" \
    eval '[ "$(head_field C6 pending)" -eq 0 ] && [ "$(head_field C6 applied)" -eq 6 ] &&
        has_id C6 "$B1" && has_id C6 "$B2"'
s B head --json >"$T/b.head" 2>/dev/null
check "gap filled: the replica's head equals the kasir device's head" \
    eval '[ "$(head_field C6 head)" = "$(jget head <"$T/b.head")" ]'
check "gap filled: stored entries unchanged, audit clean" unchanged C6

# =========== 7. duplicate ===========
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
write("dup.saksi", [rec(b1), rec(b1), rec(b2)])
EOF
fresh C7
run --data "$T/C7" import dup.saksi
check "duplicate record in one file: exit 1" rc_is 1
check "duplicate: message names entry #2, B1's id and says duplicate" \
    err_line_has "entry #2 " "id $(printf %.16s "$B1")" "duplicate"
check "duplicate: the first copy is not reported" \
    eval '! grep -q "entry #1 " "$T/err"'
check "duplicate: B1 stored once, B2 kept (6 entries)" \
    eval '[ "$(count_id C7 "$B1")" -eq 1 ] && [ "$(entries C7)" -eq 6 ] && has_id C7 "$B2"'
check "duplicate: stored entries unchanged, audit clean" unchanged C7

# =========== 8. fork ===========
# A and a copy of A made before posting (same key) each sign a different entry at seq 5 (the
# copy only under the restore-safety override: this fork is made on purpose).
cp -a "$T/A" "$T/Acopy" || die "cp A Acopy"
FA=$(post A 2026-01-10 "cabang-a" 11.000) || die "post fork a"
FB=$(post Acopy 2026-01-10 "cabang-b" 22.000 --i-am-sure-this-is-the-only-copy) ||
    die "post fork b"
s A export fa.saksi >/dev/null || die "export fa"
s Acopy export fb.saksi >/dev/null || die "export fb"
fresh C8
run --data "$T/C8" import fa.saksi
check "fork: the first branch imports cleanly (exit 0, 1 added)" \
    eval 'rc_is 0 && out_has "1 added, 4 already present"'
run --data "$T/C8" import fb.saksi
check "fork: the second branch exits 1" rc_is 1
check "fork: message names entry #5, the second branch's id, seq 5 and says fork" \
    err_line_has "entry #5 " "id $(printf %.16s "$FB")" "seq 5" "fork"
check "fork: head --json shows forks 1 and both branches are stored" \
    eval '[ "$(head_field C8 forks)" -eq 1 ] && [ "$(entries C8)" -eq 6 ]'
run --data "$T/C8" audit
check "fork: audit exits 1 and reports the fork" \
    eval 'rc_is 1 && grep -qi "fork" "$T/out" "$T/err"'
check "fork: both branches are retrievable with show" \
    eval 's C8 show "$FA" >/dev/null 2>&1 && s C8 show "$FB" >/dev/null 2>&1 &&
        s C8 show "$FA" | grep -q cabang-a && s C8 show "$FB" | grep -q cabang-b'
check "fork: the entries stored before are all still stored with the same ids" kept_all C8

# =========== 9. random garbage ===========
PY - <<'EOF'
import os
d = bytearray(os.urandom(4096))
d[0] = 0x00  # never the magic
open("garbage.bin", "wb").write(d)
open("magic-garbage.saksi", "wb").write(b"SAKSIEX1" + os.urandom(4096))
EOF
fresh C9
run --data "$T/C9" import garbage.bin
check "random garbage (4 KiB): exit 1, 'not a saksi export file'" \
    eval 'rc_is 1 && err_has "garbage.bin" && err_has "not a saksi export file"'
check "random garbage: store untouched (same head, same entries, audit clean)" \
    eval '[ "$(head_field C9 head)" = "$BASE_HEAD" ] && [ "$(entries C9)" -eq 4 ] &&
        unchanged C9'
run --data "$T/C9" import magic-garbage.saksi
check "magic + random garbage: exit 1 and the first record (#1 at offset 8) is reported" \
    eval 'rc_is 1 && err_line_has "entry #1 (offset 8)" "rejected"'
check "magic + random garbage: store untouched (same head, same entries, audit clean)" \
    eval '[ "$(head_field C9 head)" = "$BASE_HEAD" ] && [ "$(entries C9)" -eq 4 ] &&
        unchanged C9'
# Deterministic garbage records between valid ones: each named, the valid ones kept.
PY - "$B1" "$B2" <<'EOF'
import sys
from sx import *
b1, b2 = byid("b.saksi", sys.argv[1]), byid("b.saksi", sys.argv[2])
write("junk.saksi", [rec(b1), rec(b"\xff" * 64), rec(b"\x92\xc4"), rec(b2)])
EOF
fresh C9b
run --data "$T/C9b" import junk.saksi
check "garbage records between valid ones: exit 1, #2 malformed and #3 named" \
    eval 'rc_is 1 && err_line_has "entry #2 " "malformed" && err_line_has "entry #3 " "rejected"'
check "garbage records between valid ones: B1 and B2 kept, audit clean" \
    eval '[ "$(entries C9b)" -eq 6 ] && has_id C9b "$B1" && has_id C9b "$B2" && unchanged C9b'

# =========== 10. re-import ===========
run --data "$T/R" import good.saksi
check "re-import of good.saksi: exit 0, all 4 already present, no problem reported" \
    eval 'rc_is 0 && out_has "0 added, 4 already present" && ! err_has "entry #"'
check "re-import of good.saksi: head unchanged" \
    eval '[ "$(head_field R head)" = "$BASE_HEAD" ] && [ "$(entries R)" -eq 4 ] && unchanged R'

# =========== 11. --ledger ===========
run --data "$T/E1" import --ledger "$LX" good.saksi
check "--ledger with another ledger's id into an empty directory: exit 1" rc_is 1
check "--ledger with the wrong id: the genesis (#1) is named and rejected as another ledger" \
    err_line_has "entry #1 " "id $(printf %.16s "$A1")" "another ledger"
run --data "$T/E1" head
check "--ledger with the wrong id: nothing usable stored (head: no ledger, exit 3)" \
    eval 'rc_is 3 && err_has "no ledger"'
run --data "$T/E2" import --ledger "$LEDGER" good.saksi
check "--ledger with the right id: exit 0, 4 added" \
    eval 'rc_is 0 && out_has "4 added"'
check "--ledger with the right id: same head as A, audit clean" \
    eval '[ "$(head_field E2 head)" = "$BASE_HEAD" ] && unchanged E2'
run --data "$T/R" import --ledger "$LX" b.saksi
check "--ledger naming another ledger than the replica's: exit 1, nothing imported" \
    eval 'rc_is 1 && err_has "another ledger" && [ "$(entries R)" -eq 4 ] && unchanged R'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
