#!/bin/sh
# `make demo`: a small koperasi from scratch in a temporary directory. Three founders' devices
# (ketua, bendahara, pengawas) and five members' devices get keys; the ketua founds the ledger
# and admits four members; ketua and bendahara post journal entries on their own devices and
# exchange them by export/import; the fifth member's device (m3) imports everything and audits
# it before it is a member. Then the ketua's and the bendahara's devices run saksid on loopback;
# the ketua invites m3's device ('saksi invite'), m3 joins with the code ('saksi join'), the
# ketua sees its join request and admits it; both board members post while the nodes run, all
# three converge (the ledger heads are printed and must be equal) and the member audits their
# replica.
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

say "Ketua founds the ledger (genesis)"
s ketua init koperasi.txt

say "Ketua admits four members' devices (m3 joins later, over the network, with an invite)"
for n in 11 12 14 15; do
    s ketua member add --number $n --role anggota "$(card m$((n - 10)))" >/dev/null
done
s ketua member list

say "Ketua posts simpanan pokok and wajib (Dr 1100 Kas / Cr 3100, 3110)"
for n in 11 12 14 15; do
    s ketua journal post --date 2026-01-05 --memo "Simpanan pokok anggota $n" \
        --debit 1100=100.000 --credit 3100:$n=100.000 >/dev/null
    s ketua journal post --date 2026-01-31 --memo "Simpanan wajib Januari anggota $n" \
        --debit 1100=25.000 --credit 3110:$n=25.000 >/dev/null
done

say "The bendahara's device replicates the ketua's entries and posts its own"
s ketua export ketua.saksi
s bendahara import ketua.saksi
s bendahara journal post --date 2026-02-03 --memo "Pinjaman anggota 12, admin 1%" \
    --debit 1200:12=5.000.000 --credit 1100=4.950.000 --credit 4200=50.000
s bendahara journal post --date 2026-02-10 --memo "ATK dan fotokopi" \
    --debit 5240=175.000 --credit 1100=175.000
s bendahara journal post --date 2026-03-03 --memo "Angsuran 1 anggota 12" \
    --debit 1100=491.667 --credit 1200:12=416.667 --credit 4100:12=75.000

say "Entries flow back: ketua imports the bendahara's export"
s bendahara export bendahara.saksi
s ketua import bendahara.saksi

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
s ketua journal post --date 2026-04-01 --memo "Simpanan pokok anggota 13" \
    --debit 1100=100.000 --credit 3100:13=100.000

say "Both board members post while their nodes run (the entries gossip at once)"
s ketua journal post --date 2026-04-01 --memo "Simpanan wajib April anggota 11" \
    --debit 1100=25.000 --credit 3110:11=25.000
s bendahara journal post --date 2026-04-03 --memo "Angsuran 2 anggota 12" \
    --debit 1100=491.667 --credit 1200:12=416.667 --credit 4100:12=75.000

say "Ledger heads (must be equal on every replica)"
headof() { s "$1" head --json | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p'; }
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
printf 'ketua      %s\nbendahara  %s\nanggota m3 %s\n' "$h1" "$h2" "$h3"
echo "SAMA / EQUAL: every replica holds the same books."
s m3 node status

say "The member audits their own replica"
s m3 audit
for d in ketua bendahara m3; do s $d node stop >/dev/null; done
echo "nodes stopped"
