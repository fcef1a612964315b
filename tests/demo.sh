#!/bin/sh
# `make demo`: a small koperasi from scratch in a temporary directory. Three founders' devices
# (ketua, bendahara, pengawas) and five members' devices get keys; the ketua founds the ledger
# with its accounting parameters (savings products, approvals, countersignatures) and admits
# four members' devices; the members join the koperasi (kind 40, simpanan pokok) and save; a
# withdrawal waits for the member's own signature on their phone; ketua and bendahara work on
# their own devices and exchange entries by export/import; the fifth member's device (m3)
# imports everything and audits it before it is a member. Then the ketua's and the bendahara's
# devices run saksid on loopback; the ketua invites m3's device ('saksi invite'), m3 joins with
# the code ('saksi join'), the ketua sees its join request and admits it; both board members
# post while the nodes run; member 13 applies for a loan on their phone, the ketua approves it,
# the bendahara disburses it and member 13 confirms receipt; all three converge (the ledger
# heads are printed and must be equal), the member audits their replica, reads their own
# statement and the loan portfolio and checks that the balance sheet's digest on their phone
# equals the ketua's. Last, "Koperasi Maju Bersama": a generated year of a 50-member koperasi
# (build/saksi-gen, tests/demo/gen.c; with monthly savings interest) imported into its
# bendahara's device, audited, and its reports, one member's statement and the waiting list
# printed; then its year end through the CLI on four board devices (bendahara, ketua,
# sekretaris, pengawas-1), each its own data directory, entries passed between them by
# export/import files: the bendahara closes 2025 in January 2026 and the ketua approves; the
# ketua records the RAT's resolution, approved by the sekretaris and the pengawas; the bendahara
# writes the SHU allocation, the ketua approves it, and every member's SHU is paid into their
# sukarela; the SHU per member, one member's 2026 statement, equal digests on the pengawas'
# device, and the annual report as HTML (laporan-2025.html, copied next to the saksi binary).
set -eu
SAKSI=${1:-build/saksi}
case $SAKSI in /*) ;; *) SAKSI=$(pwd)/$SAKSI ;; esac
DEMO=$(mktemp -d "${TMPDIR:-/tmp}/saksi-demo-XXXXXX")
trap 'rm -rf "$DEMO"' EXIT
cd "$DEMO"
s() { dir=$1; shift; "$SAKSI" --data "$DEMO/$dir" "$@"; }
card() { s "$1" key show --json | sed -n 's/.*"card":"\([^"]*\)".*/\1/p'; }
say() { printf '\n== %s\n' "$*"; }

say "Kunci perangkat / device keys: 3 pendiri (founders), 5 anggota (members)"
for d in ketua bendahara pengawas m1 m2 m3 m4 m5; do
    s $d key new >/dev/null
done
echo "8 devices, each with its own signing and transport key (0600 files)"

say "Deskripsi koperasi / koperasi description (edited by the secretary)"
cat > koperasi.txt <<DESC
# Koperasi Simpan Pinjam Sejahtera Bersama, demo
name = KSP Sejahtera Bersama
registration = 518/BH/XVI.12/2026
currency = IDR
founder = 1 pengurus ketua $(card ketua)
founder = 2 pengurus bendahara $(card bendahara)
founder = 3 pengawas $(card pengawas)
DESC
sed 's/saksi-device:\(.\{16\}\).*/saksi-device:\1.../' koperasi.txt

say "Parameter koperasi / the koperasi's accounting parameters (standard template, from 1 Jan)"
s ketua params template | sed 's/^effective = .*/effective = 2026-01-01/; s/^adopted = .*/adopted = 2026-01-01/' > parameter.txt
grep -E '^(pokok|wajib|savings|approve deposit|countersign)' parameter.txt || true

say "Ketua founds the ledger (genesis + parameters)"
s ketua init koperasi.txt --params parameter.txt

say "Ketua admits four members' devices (m3 joins later, over the network, with an invite)"
for n in 11 12 14 15; do
    s ketua member add --number $n --role anggota "$(card m$((n - 10)))" >/dev/null
done
s ketua member list

say "Members join the koperasi and save: simpanan pokok (kind 40), wajib and sukarela (kind 48)"
for n in 11 12 14 15; do
    s ketua member admit $n --date 2026-01-05 >/dev/null
    s ketua deposit --member $n --product SW 25.000 --date 2026-01-31 >/dev/null
done
s ketua deposit --member 12 --product SS 1.500.000 --date 2026-02-02

say "The bendahara's device replicates the ketua's entries and records its own"
s ketua export ketua.saksi
s bendahara import ketua.saksi
s bendahara journal post --date 2026-02-10 --memo "ATK dan fotokopi" \
    --debit 5240=175.000 --credit 1100=175.000
say "A withdrawal waits until member 12 signs it on their own phone (against fake withdrawals)"
s bendahara withdraw --member 12 --product SS 400.000 --date 2026-03-03 | tee wd.txt
wd=$(sed -n 's/^.*\([0-9a-f]\{64\}\).*$/\1/p' wd.txt | head -n 1)
s bendahara export bendahara.saksi
s m2 import bendahara.saksi >/dev/null
s m2 approve "$wd"
s m2 export m2.saksi
s bendahara import m2.saksi >/dev/null
s bendahara pending

say "Entries flow back: ketua imports the bendahara's export"
s bendahara export bendahara.saksi
s ketua import bendahara.saksi
s ketua statement --member 12 --year 2026

say "m3's device (not a member yet) replicates the whole ledger from a file and audits it"
s ketua export all.saksi
s m3 import all.saksi
s m3 audit

say "Now over the network: saksid nodes on loopback (ketua, bendahara)"
# The founders' devices were set up together at the founding: the bendahara's device got the
# network key from the ketua's there (a device already on the roster needs no invite).
cp "$DEMO/ketua/network.key" "$DEMO/bendahara/network.key"
chmod 600 "$DEMO/bendahara/network.key"
trap 'set +e; for d in ketua bendahara m3; do s $d node stop >/dev/null 2>&1; done
      rm -rf "$DEMO"' EXIT
addr() { sed -n 's/.*listening on \([0-9.:]*\).*/\1/p'; }
a_ketua=$(s ketua node start --no-discovery | addr)
a_bendahara=$(s bendahara node start --no-discovery --peer "$a_ketua" | addr)
echo "ketua on $a_ketua, bendahara on $a_bendahara"

say "The ketua invites m3's device (its card, from 'saksi key show' on m3)"
s ketua invite "$(card m3)" --number 13 --role anggota --address "$a_ketua" | tee invite.txt
code=$(grep '^saksi-invite:' invite.txt)

say "m3 joins with the code: its node gets the genesis and the roster, and sends a join request"
s m3 join "$code" --note "HP Bu Siti" --no-discovery

say "The ketua sees the join request and admits m3's device"
s ketua member requests
s ketua member add --number 13 --role anggota "$(card m3)"
s ketua member admit 13 --date 2026-04-01

say "Both board members post while their nodes run (the entries gossip at once)"
s ketua deposit --member 11 --product SW 25.000 --date 2026-04-01
s bendahara deposit --member 13 --product SS 250.000 --date 2026-04-03

say "Ledger heads (must be equal on every replica)"
headof() { s "$1" head --json | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p'; }
converge() {
    i=0
    while :; do
        h1=$(headof ketua); h2=$(headof bendahara); h3=$(headof m3)
        [ -n "$h1" ] && [ "$h1" = "$h2" ] && [ "$h1" = "$h3" ] && break
        i=$((i + 1))
        if [ $i -gt 600 ]; then # 30 s deadline (m3 reconnects as a member after its admission)
            echo "BERBEDA / DIFFERENT: replicas did not converge" >&2
            exit 1
        fi
        sleep 0.05
    done
}
converge
printf 'ketua      %s\nbendahara  %s\nanggota m3 %s\n' "$h1" "$h2" "$h3"

# idof FILE: the entry id a write printed; waitfor DIR ID: until DIR holds the entry (gossip).
idof() { sed -n 's/^.*ID entri: \([0-9a-f]\{64\}\).*$/\1/p' "$1" | head -n 1; }
waitfor() {
    i=0
    until s "$1" show "$2" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -le 600 ] || { echo "$1 did not receive $2 within 30 s" >&2; exit 1; }
        sleep 0.05
    done
}
say "Member 13 applies for a loan on their own phone; the ketua approves; the bendahara pays out"
s m3 loan apply --product PU --principal 2.000.000 --periods 6 --purpose produktif \
    --date 2026-04-05 | tee apply.txt
loan=$(idof apply.txt)
waitfor ketua "$loan"
s ketua loan approve "$loan" | tee approve.txt
waitfor bendahara "$(idof approve.txt)"
s bendahara loan disburse "$loan" --date 2026-04-06 | tee disburse.txt
say "The money reaches member 13 only when they confirm receipt on their phone"
waitfor m3 "$(idof disburse.txt)"
s m3 approve "$(idof disburse.txt)"

converge
printf 'ketua      %s\nbendahara  %s\nanggota m3 %s\n' "$h1" "$h2" "$h3"
echo "SAMA / EQUAL: every replica holds the same books."
s m3 node status

say "The member audits their own replica and reads their own statement"
s m3 audit
s m3 statement --member 13 --year 2026

s m3 report loans --year 2026 --as-of 2026-04-30

say "Neraca on the member's phone and on the ketua's: the same digest, so the same books"
s m3 report neraca --year 2026 --as-of 2026-04-30
dig() { s "$1" report neraca --year 2026 --as-of 2026-04-30 --json | sed -n 's/.*"digest":"\([0-9a-f]*\)".*/\1/p'; }
d1=$(dig ketua); d3=$(dig m3)
[ -n "$d1" ] && [ "$d1" = "$d3" ] || { echo "BERBEDA / DIFFERENT: $d1 vs $d3" >&2; exit 1; }
echo "ketua $d1"
echo "m3    $d3"
echo "SAMA / EQUAL: the member can check the board's report on their own device."
for d in ketua bendahara m3; do s $d node stop >/dev/null; done
echo "nodes stopped"

say "Koperasi Maju Bersama: satu tahun, 50 anggota (one year, 50 members, 30 loans)"
# A bigger koperasi, generated (tests/demo/gen.c, docs/ACCOUNTING.md 9.4): every entry of 2025
# (and December's interest, recorded on 1 January 2026) signed on the device that would sign it
# (the kasir's deposits, the members' own applications and countersignatures, the pengurus'
# approvals, the kasir's monthly savings interest), as one export file and a keys directory.
# The bendahara's device is set up from them: import the year, then its key and the network key.
GEN=$(dirname "$SAKSI")/saksi-gen
"$GEN" --seed 2025 --keys "$DEMO/mb-keys" "$DEMO/maju-bersama.saksi" >mb.txt
mb() { sed -n "s/^$1=//p" mb.txt; }
echo "$(mb entries) entries: $(mb admit) admissions, $(mb deposit) deposits, $(mb withdraw)" \
    "withdrawals, $(mb loans) loans ($(mb repay) repayments, $(mb late_fee) late fees)," \
    "$(mb journal_a) journals, $(mb interest) monthly savings interest entries (bunga simpanan," \
    "posted on the next month's first day), $(mb sign) approvals and countersignatures"
s bendahara-mb import maju-bersama.saksi
cp "$DEMO/mb-keys/$(mb bendahara_key)" "$DEMO/bendahara-mb/key"
cp "$DEMO/mb-keys/network.key" "$DEMO/bendahara-mb/network.key"
s bendahara-mb audit
s bendahara-mb report all --year 2025
say "Statement of member $(mb statement_member) (a borrower who paid one installment late, with denda)"
s bendahara-mb statement --member "$(mb statement_member)" --year 2025
say "Menunggu / waiting at the end of 2025"
s bendahara-mb pending --as-of 2025-12-31

say "Tutup buku 2025 di bulan Januari 2026 (the year end of 2025, in January 2026)"
# Four board devices, each its own data directory set up like the bendahara's above: the same
# generated year imported, then that device's key and the network key. They have no network
# between them here: entries move by file ('saksi export' on one device, 'saksi import' on the
# next), as devices without a connection replicate.
for d in ketua sekretaris pengawas-1; do
    s $d-mb import maju-bersama.saksi >/dev/null
    cp "$DEMO/mb-keys/$d.key" "$DEMO/$d-mb/key"
    cp "$DEMO/mb-keys/network.key" "$DEMO/$d-mb/network.key"
done
nent=$(s ketua-mb head --json | sed -n 's/.*"entries":\([0-9]*\).*/\1/p')
echo "Perangkat ketua, sekretaris dan pengawas-1 disiapkan (devices set up): $nent entri" \
    "masing-masing (entries each)"
# pass FROM TO: FROM's entries reach TO by file.
pass() {
    s "$1" export "$1.saksi" >/dev/null
    s "$2" import "$1.saksi" | sed -n '1p'
}

say "Bendahara menutup buku 2025 pada 12 Januari 2026 (the bendahara closes 2025; it waits for the ketua)"
s bendahara-mb close --year 2025 --date 2026-01-12 | tee close.txt
close=$(idof close.txt)
pass bendahara-mb ketua-mb
say "Ketua menyetujui di perangkatnya (the ketua approves on their device): the close is effective"
s ketua-mb approve "$close"

say "RAT 21 Februari 2026: 41 dari 49 anggota aktif hadir (41 of 49 active members present; quorum 50 %)"
s ketua-mb rat resolve --close "$close" --ratify --shu --tally 49,41,38,2,1 --date 2026-02-21 \
    --memo "RAT tahun buku 2025: laporan pertanggungjawaban diterima, SHU dibagi" | tee rat.txt
rat=$(idof rat.txt)
say "Sekretaris dan pengawas menyetujui keputusan RAT (the sekretaris and a pengawas approve the resolution)"
pass ketua-mb sekretaris-mb
s sekretaris-mb approve "$rat"
pass sekretaris-mb pengawas-1-mb
s pengawas-1-mb approve "$rat"

say "Bendahara menulis pembagian SHU (the bendahara writes the SHU allocation; the ketua approves)"
pass pengawas-1-mb bendahara-mb
s bendahara-mb shu allocate --year 2025 --date 2026-02-23 | tee alloc.txt
pass bendahara-mb ketua-mb
for id in $(sed -n 's/^.*ID entri: \([0-9a-f]\{64\}\).*$/\1/p' alloc.txt); do
    s ketua-mb approve "$id"
done
pass ketua-mb bendahara-mb
say "SHU dibayar ke simpanan sukarela semua anggota (SHU paid into every member's sukarela)"
s bendahara-mb shu pay --year 2025 --all --to sukarela --date 2026-03-02 >pay.txt
head -n 3 pay.txt
echo "..."
tail -n 3 pay.txt
echo "$(grep -c '^Status: efektif' pay.txt) pembayaran, semua efektif (payments, all effective)"

say "SHU 2025: pembagian dan per anggota (the split, and each member's SHU; first rows)"
s bendahara-mb report shu --year 2025 --members >shu.txt
sed -n '/^Usulan pembagian SHU/,/^   Jumlah/p' shu.txt
echo
awk '/^Anggota +Modal/ { t = 1 } t && n < 22 { print; n++ }' shu.txt
echo "   ..."
grep -B 2 '^Akar Merkle' shu.txt
say "Rekening anggota $(mb statement_member) tahun 2026: SHU 2025 masuk simpanan sukarela (their 2026 statement)"
s bendahara-mb statement --member "$(mb statement_member)" --year 2026 --as-of 2026-03-31

say "Semua perangkat sepakat (every device agrees): the 2025 digests on the pengawas' device"
pass bendahara-mb pengawas-1-mb
dig25() { s "$1" report all --year 2025 --json | grep -o '"digest":"[0-9a-f]*"' | tr '\n' ' '; }
g1=$(dig25 bendahara-mb); g2=$(dig25 pengawas-1-mb)
[ -n "$g1" ] && [ "$g1" = "$g2" ] || { echo "BERBEDA / DIFFERENT: $g1 vs $g2" >&2; exit 1; }
echo "SAMA / EQUAL: the pengawas computes every 2025 report with the bendahara's digests."

say "Laporan tahunan 2025 sebagai HTML (the 2025 annual report as one HTML page)"
s bendahara-mb report all --year 2025 --members --html "$DEMO/laporan-2025.html" >/dev/null
OUT=$(cd "$(dirname "$SAKSI")" && pwd)/laporan-2025.html
cp "$DEMO/laporan-2025.html" "$OUT"
echo "Ditulis (written): $DEMO/laporan-2025.html ($(wc -c <"$DEMO/laporan-2025.html") bytes)."
echo "The demo directory is removed when the demo ends; a copy stays at $OUT"
