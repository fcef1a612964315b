#!/bin/sh
# Checkpoints and offline proofs through the CLI (docs/FORMATS.md 10): on a generated year of
# Koperasi Maju Bersama (build/saksi-gen; quorum 2 pengurus + 1 pengawas), the ketua creates a
# checkpoint, which stays pending until the sekretaris and a pengawas cosign it, and then shows
# as final; reports say pending, then final; an entry is proven and the bundle verifies offline
# with no data directory, while a bundle with a flipped bit, or checked against another ledger,
# does not. Refusals: a kasir may not create, a device may not sign twice, a cosignature over a
# checkpoint whose head is not the store's is refused (the checkpoint forged by
# build/tests/saksi-ckpt-forge), and a device that cosigned a newer checkpoint refuses an older
# one (a checkpoint below its predecessor). The audit knows kinds 80 and 81.
#
# One data directory plays every device: the device key file is swapped before each command
# (as() below), as in test_close.sh.
#
# Run: SAKSI=build/saksi sh tests/cli/test_checkpoint.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=checkpoint
. "$(dirname "$0")/lib.sh"

GEN=${SAKSI_GEN:-$(dirname "$SAKSI")/saksi-gen}
FORGE=${SAKSI_CKPT_FORGE:-$(dirname "$SAKSI")/tests/saksi-ckpt-forge}
[ -x "$GEN" ] || die "$GEN is missing (make $(dirname "$SAKSI")/saksi-gen)"
[ -x "$FORGE" ] || die "$FORGE is missing (make build-tests)"

rc_is() { [ "$rc" -eq "$1" ]; }
out_has() { grep -q -- "$1" "$T/out"; }
err_has() { grep -q -- "$1" "$T/err"; }
as() {
    _who=$1
    shift
    cp "$T/keys/$_who.key" "$T/B/key"
    run --data "$T/B" "$@"
}
headid() { "$SAKSI" --data "$T/B" head --json | jget head; }

"$GEN" --seed 2025 --keys "$T/keys" "$T/y.ex" >"$T/gen.txt" 2>"$T/err" || die "saksi-gen failed"
L=$(sed -n 's/^ledger_id=//p' "$T/gen.txt")
"$SAKSI" --data "$T/B" import "$T/y.ex" >/dev/null 2>"$T/err" || die "import failed"
cp "$T/keys/network.key" "$T/B/network.key"

# ---- help ----
for c in "checkpoint" "checkpoint create" "checkpoint sign" "checkpoint show" "checkpoint list" \
    prove verify-proof; do
    # shellcheck disable=SC2086
    run $c --help
    check "saksi $c --help" eval 'rc_is 0 && out_has "^usage: saksi"'
done

# ---- create ----
as ketua checkpoint list
check "no checkpoint yet: list says so" eval 'rc_is 0 && out_has "No checkpoints yet"'
H0=$(headid)
as kasir checkpoint create
check "a kasir may not create a checkpoint (exit 1, nothing written)" \
    eval 'rc_is 1 && err_has "only pengurus and pengawas" && [ "$(headid)" = "$H0" ]'
A0=$(head_field B applied)
as ketua checkpoint create --json
K1=$(jget checkpoint_id <"$T/out")
S1=$(jget size <"$T/out")
check "the ketua creates a checkpoint of the whole ledger (its count is the store's)" \
    eval 'rc_is 0 && [ -n "$K1" ] && [ -n "$A0" ] && [ "$S1" = "$A0" ]'
check "the device keeps the last checkpoint it signed" \
    eval 'ls "$T/B" | grep -q "^checkpoint-signed-"'
as ketua checkpoint show "$K1"
check "show: the note with the author's line, pending, missing roles named" \
    eval 'rc_is 0 && out_has "^saksi.ledger/$L" && out_has "^— saksi-device/" && out_has "PENDING: still needs 1 pengurus and 1 pengawas"'
as ketua report neraca --json
check "a report before any final checkpoint is pending (final: false)" \
    eval 'out_has "\"final\":false"'
as ketua checkpoint sign "$K1"
check "the author may not cosign its own checkpoint again" \
    eval 'rc_is 1 && err_has "already created"'
as sekretaris checkpoint sign "$K1"
check "the sekretaris cosigns" eval 'rc_is 0 && out_has "Cosigned checkpoint"'
as sekretaris checkpoint sign "$K1"
check "a second cosignature by the same device is refused" \
    eval 'rc_is 1 && err_has "already cosigned"'
as ketua checkpoint list
check "list: 2 signatures, pending for a pengawas" \
    eval 'out_has "pending (needs 0 pengurus, 1 pengawas more)"'
as ketua prove "${K1%"${K1#????????????????}"}"
check "prove refuses while no final checkpoint covers the entry, saying what to do" \
    eval 'rc_is 1 && err_has "no final checkpoint covers" && err_has "saksi checkpoint sign"'
as pengawas-1 checkpoint sign "$K1"
check "a pengawas cosigns" eval 'rc_is 0'
as pengawas-1 checkpoint show
check "show (default: the latest final): FINAL, three lines, who signed" \
    eval 'rc_is 0 && out_has "Status: FINAL" && [ "$(grep -c "^— saksi-device/" "$T/out")" -eq 3 ] && out_has "member 4 .*pengawas.*cosigned"'
as pengawas-1 checkpoint show --json
check "show --json: final, nothing missing" \
    eval 'out_has "\"final\":true" && out_has "\"missing\":{\"pengurus\":0,\"pengawas\":0}"'
as ketua report neraca --as-of 2025-12-31 --json
check "a report whose entries are all inside the final checkpoint is final" \
    eval 'out_has "\"final\":true"'
as ketua report neraca --as-of 2025-12-31
check "the text report's footer says final" eval 'out_has "^Status: final"'

# ---- prove / verify-proof ----
E=$("$SAKSI" --data "$T/B" log --json 2>/dev/null | sed -n 500p | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
as ketua prove "$E" --out "$T/p.proof"
check "prove writes a bundle for an entry" eval 'rc_is 0 && [ -s "$T/p.proof" ]'
env -u SAKSI_DATA HOME=/nonexistent "$SAKSI" verify-proof --ledger "$L" "$T/p.proof" >"$T/out" 2>"$T/err"
rc=$?
check "verify-proof with no store: VERIFIED, the entry, its author's member and role, signers" \
    eval 'rc_is 0 && out_has "^VERIFIED" && out_has "$E" && out_has "author      member [0-9]*, " && out_has "signed by   2 pengurus, 1 pengawas"'
run verify-proof --json --ledger "$L" "$T/p.proof"
check "verify-proof --json: ok, the checkpoint's count" \
    eval 'rc_is 0 && out_has "\"ok\":true" && out_has "\"checkpoint_size\":$S1"'
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-5] ^= 1; open(sys.argv[2], "wb").write(b)' \
    "$T/p.proof" "$T/bad.proof"
run verify-proof --ledger "$L" "$T/bad.proof"
check "a bundle with one flipped bit fails, saying what failed" \
    eval 'rc_is 1 && out_has "^NOT VERIFIED (head-path\|^NOT VERIFIED (inclusion\|^NOT VERIFIED (malformed"'
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 4; open(sys.argv[2], "wb").write(b)' \
    "$T/p.proof" "$T/bad2.proof"
run verify-proof --ledger "$L" "$T/bad2.proof"
check "a bundle with a bit flipped elsewhere fails too" eval 'rc_is 1 && out_has "^NOT VERIFIED ("'
OTHER=$(echo "$L" | tr '0123456789abcdef' '123456789abcdef0')
run verify-proof --ledger "$OTHER" "$T/p.proof"
check "verify-proof against another ledger id fails (wrong-ledger)" \
    eval 'rc_is 1 && out_has "wrong-ledger"'
run verify-proof "$T/p.proof"
check "verify-proof without --ledger is a usage error" eval 'rc_is 2'

# ---- a checkpoint whose head is not the store's ----
cp "$T/keys/sekretaris.key" "$T/B/key"
KF=$("$FORGE" "$T/B" 2>"$T/err") || die "saksi-ckpt-forge failed: $(cat "$T/err")"
H1=$(headid)
as pengawas-2 checkpoint sign "$KF"
check "a cosignature over a checkpoint whose head differs from the store's is refused" \
    eval 'rc_is 1 && err_has "head .* is not this device'"'"'s head" && [ "$(headid)" = "$H1" ]'

# ---- consistency: newer, then older ----
as sekretaris checkpoint create --json
K2=$(jget checkpoint_id <"$T/out")
check "the sekretaris creates a newer checkpoint that extends the one it cosigned" \
    eval 'rc_is 0 && [ -n "$K2" ]'
as pengawas-2 checkpoint sign "$K2"
check "pengawas-2 cosigns the newer checkpoint" eval 'rc_is 0'
H2=$(headid)
as pengawas-2 checkpoint sign "$K1"
check "pengawas-2 then refuses the older one: a checkpoint below its predecessor" \
    eval 'rc_is 1 && err_has "below its predecessor" && [ "$(headid)" = "$H2" ]'
as ketua checkpoint list --json
check "list --json names the three checkpoints" \
    eval '[ "$(grep -o "\"checkpoint_id\"" "$T/out" | wc -l)" -eq 3 ]'

# ---- the audit knows kinds 80 and 81 ----
as ketua audit
check "the audit reports no unknown-kind for checkpoints and cosignatures" \
    eval '! out_has "unknown-kind" && ! grep -q "unknown-kind" "$T/err"'

echo "1..$n"
[ "$nfail" -eq 0 ]
