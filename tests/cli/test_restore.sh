#!/bin/sh
# Restore safety in the CLI (docs/FORMATS.md 7.8): the install marker that `saksi key new`
# writes; a data directory copied with `cp -a` (or deleted and restored from that copy in the
# same place) refuses to author, exit 1, saying why and what to do, while the original still
# authors; --i-am-sure-this-is-the-only-copy authors anyway, says so, and re-arms the copy's
# marker; a data directory from before markers (none) is armed when it holds nothing of its
# device, and held unverified when it does; a damaged marker refuses.
#
# Run: SAKSI=build/saksi sh tests/cli/test_restore.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=restore
. "$(dirname "$0")/lib.sh"

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
entries() { head_field "$1" entries; }
# post DIR N [ARGS...]: one balanced journal, the output in $T/out and $T/err.
post() {
    _d=$1 _n=$2
    shift 2
    run --data "$T/$_d" "$@" journal post --date 2026-02-01 --memo "Setoran $_n" \
        --debit 1100=10.000 --credit 3300=10.000
}
# refused DIR: exit 1, the reason and both ways out on stderr, nothing stored.
refused() {
    rc_is 1 && err_has "^saksi: error: this data directory $2" &&
        err_has "(saksi node start)" && err_has "--i-am-sure-this-is-the-only-copy" &&
        [ "$(entries "$1")" -eq "$3" ]
}
marker() { sed -n "s/^$2 //p" "$T/$1/install"; }

# ---- setup: ketua A founds a ledger alone ----
s A key new >/dev/null 2>&1 || die "key new A"
cat >"$T/koperasi.txt" <<EOF
name = KSP Uji Pulih
registration = 518/BH/PULIH/2026
founder = 1 pengurus ketua $(card A)
EOF
s A init koperasi.txt >/dev/null 2>&1 || die "init A"

check "key new writes an install marker, mode 0600, armed, naming this machine and directory" \
    eval '[ "$(stat -c %a "$T/A/install")" = 600 ] && [ "$(marker A state)" = armed ] &&
        [ "$(marker A ino)" = "$(stat -c %i "$T/A")" ] &&
        [ "$(marker A dev)" = "$(stat -c %d "$T/A")" ] && [ -n "$(marker A machine)" ] &&
        [ "$(marker A nonce | wc -c)" -eq 33 ]'
post A 1
check "the original authors (seq 2)" eval 'rc_is 0 && [ "$(entries A)" -eq 2 ]'

# ---- a copy ----
cp -a "$T/A" "$T/C" || die "cp -a A C"
E=$(entries C)
post C 2
check "the cp -a copy refuses to author: exit 1, says it was copied or restored and what to do" \
    refused C "was copied or restored" "$E"
check "the refusal names the node and the override, in one error line" \
    eval '[ "$(grep -c "^saksi: error: " "$T/err")" -eq 1 ]'
post A 2
check "the original still authors" eval 'rc_is 0 && [ "$(entries A)" -eq 3 ]'
run --data "$T/C" member list
check "the copy still reads (only authoring waits)" rc_is 0

post C 2 --i-am-sure-this-is-the-only-copy
check "override (after the command): authors, exit 0, and says so on stderr" \
    eval 'rc_is 0 && [ "$(entries C)" -eq $((E + 1)) ] &&
        err_has "^saksi: warning: --i-am-sure-this-is-the-only-copy: authoring although this data directory was copied or restored"'
check "override: the copy's marker is re-armed for the copy (its own inode, a new nonce)" \
    eval '[ "$(marker C ino)" = "$(stat -c %i "$T/C")" ] && [ "$(marker C state)" = armed ] &&
        [ "$(marker C nonce)" != "$(marker A nonce)" ]'
post C 3
check "after the override the copy authors without it, and says nothing more" \
    eval 'rc_is 0 && [ ! -s "$T/err" ]'
post A 3
check "the original, untouched by the copy, still authors" rc_is 0

# ---- restored in place: deleted, then copied back from a backup ----
cp -a "$T/A" "$T/A.bak" || die "backup A"
post A 4
E=$(entries A.bak)
rm -rf "$T/A" && cp -a "$T/A.bak" "$T/A" || die "restore A"
post A 5
check "restored in place from a backup: refuses (even if the directory got its old inode back)" \
    refused A "was copied or restored" "$E"
run --data "$T/A" --i-am-sure-this-is-the-only-copy journal post --date 2026-02-01 \
    --memo "Setoran 5" --debit 1100=10.000 --credit 3300=10.000
check "override as a global option works too" eval 'rc_is 0 && err_has "re-armed"'

# ---- another machine ----
sed -i 's/^machine .*/machine 00000000000000000000000000000000/' "$T/C/install"
E=$(entries C)
post C 4
check "a marker naming another machine: refused, says so" \
    refused C "was copied or restored from another machine" "$E"

# ---- damaged ----
printf 'saksi-install 1\nmachine x\n' >"$T/C/install"
post C 4
check "a damaged marker: refused" refused C "has a damaged install marker" "$E"
s C --i-am-sure-this-is-the-only-copy journal post --date 2026-02-01 --memo "x" \
    --debit 1100=10.000 --credit 3300=10.000 >/dev/null 2>&1
check "a damaged marker: the override repairs it" \
    eval '[ "$(marker C state)" = armed ] && [ "$(entries C)" -eq $((E + 1)) ]'

# ---- data directories from before markers (upgrade) ----
rm "$T/C/install"
E=$(entries C)
post C 5
check "no marker, the store holds this device's entries: refused (unverified)" \
    refused C "was copied, restored or upgraded" "$E"
check "... and the marker written for it says unverified" eval '[ "$(marker C state)" = unverified ]'
post C 5
check "unverified stays refused on the next try" refused C "was copied, restored or upgraded" "$E"

s P key new >/dev/null 2>&1 || die "key new P"
rm "$T/P/install"
s A member add --number 2 --role pengurus "$(card P)" >/dev/null 2>&1 || die "admit P"
s A export "$T/a.saksi" >/dev/null 2>&1 || die "export A"
s P import "$T/a.saksi" >/dev/null 2>&1 || die "import P"
post P 1
check "no marker, nothing of this device stored: authors, and an armed marker is written" \
    eval 'rc_is 0 && [ "$(marker P state)" = armed ]'

# A key file placed in a new data directory whose store is then imported (how the demo sets up
# a generated device): the store is born here, so the directory is armed at once.
s Q key new >/dev/null 2>&1 || die "key new Q"
mkdir "$T/G" && cp "$T/Q/key" "$T/G/key" || die "G"
s A member add --number 3 --role pengurus "$(card Q)" >/dev/null 2>&1 || die "admit Q"
s A export "$T/a2.saksi" >/dev/null 2>&1 || die "export A"
s G import "$T/a2.saksi" >/dev/null 2>&1 || die "import G"
check "a store born by import arms the marker of a directory that had none" \
    eval '[ "$(marker G state)" = armed ]'
post G 1
check "... and that device authors" rc_is 0

run --help
check "saksi --help lists --i-am-sure-this-is-the-only-copy" \
    eval 'rc_is 0 && grep -q -- "--i-am-sure-this-is-the-only-copy" "$T/out"'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
