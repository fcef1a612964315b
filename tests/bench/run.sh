#!/bin/sh
# `make bench`: times `saksi import` and `saksi audit` on a generated ledger and sets each rate
# beside this machine's own limits, measured in the same run (the machines are shared and
# noisy, so only the ratios compare across runs). Then rewrites docs/PERFORMANCE.md.
#
# Order: limits, generate the stream, parse + verify the stream alone (import's ceiling),
# import, limits, audit, limits. Each command is set against the limits measured just before
# and just after it.
#
#   sh tests/bench/run.sh BUILD        (BUILD holds saksi and bench/saksi-bench)
#
# Environment: BENCH_N journal entries (default 1000000), BENCH_SECONDS per limit measurement
# (default 3), TMPDIR for the scratch directory (the LMDB limit is measured on the same file
# system as the import). Exits non-zero only when something does not work (generation, import,
# audit); a missed target is reported, never a failure.
set -u
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
cd "$(dirname "$0")/../.." || exit 1
SAKSI=$BUILD/saksi
BENCH=$BUILD/bench/saksi-bench
N=${BENCH_N:-1000000}
SECS=${BENCH_SECONDS:-3}
BATCH=4096 # cli/import.c BATCH_N: one durable transaction per batch
RSS_TARGET_MIB=64
RATIO_TARGET=0.8
DOC=docs/PERFORMANCE.md

for f in "$SAKSI" "$BENCH"; do
    if [ ! -x "$f" ]; then
        echo "bench: $f is missing (run 'make bench')" >&2
        exit 1
    fi
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/saksi-bench.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

die() {
    echo "bench: $*" >&2
    exit 1
}
# kv FILE KEY: the value of the last KEY=value line in FILE.
kv() {
    sed -n "s/^$2=//p" "$1" | tail -n 1
}
# calc EXPR: floating-point arithmetic.
calc() {
    awk "BEGIN { printf \"%s\", $1 }"
}

# limits FILE: measures the limits into FILE.
limits() {
    "$BENCH" limits --batch "$BATCH" --seconds "$SECS" --dir "$TMP" >"$1" ||
        die "measuring the limits failed"
}
# best A B KEY: the higher figure of measurements A and B (files limitsA.txt, limitsB.txt).
best() {
    calc "($(kv "$TMP/limits$1.txt" "$3") > $(kv "$TMP/limits$2.txt" "$3")) ? $(kv "$TMP/limits$1.txt" "$3") : $(kv "$TMP/limits$2.txt" "$3")"
}
# low KEY: the lowest of the three measurements.
low() {
    calc "$(kv "$TMP/limits1.txt" "$1"), $(kv "$TMP/limits2.txt" "$1"), $(kv "$TMP/limits3.txt" "$1")" |
        tr ',' '\n' | sort -n | head -n 1
}

load0=$(cut -d ' ' -f 1-3 /proc/loadavg)
echo "bench: measuring this machine's limits (${SECS} s each), before"
limits "$TMP/limits1.txt"

echo "bench: generating $N journal entries (5 authors)"
"$BENCH" run -- "$BENCH" gen "$N" "$TMP/stream.ex" >"$TMP/gen.txt" || die "generation failed"
entries=$(kv "$TMP/gen.txt" gen_entries)
gen_s=$(kv "$TMP/gen.txt" elapsed_s)
stream_mib=$(calc "$(wc -c <"$TMP/stream.ex") / 1048576")

echo "bench: parse + verify only, storing nothing (import's ceiling)"
"$BENCH" verify "$TMP/stream.ex" >"$TMP/verify.txt" || die "verifying the stream failed"
ver_eps=$(kv "$TMP/verify.txt" verify_per_s)

echo "bench: saksi import"
"$BENCH" run --log "$TMP/import.log" -- "$SAKSI" --data "$TMP/imp" import "$TMP/stream.ex" \
    >"$TMP/import.txt"
rc=$?
if [ "$rc" -ne 0 ] || ! grep -q "^Import: $entries added, 0 already present, 0 pending, 0 forks, 0 rejected" "$TMP/import.log"; then
    head -n 20 "$TMP/import.log" >&2
    die "import failed (exit $rc): expected $entries entries added"
fi
imp_s=$(kv "$TMP/import.txt" elapsed_s)
imp_cpu=$(calc "$(kv "$TMP/import.txt" user_s) + $(kv "$TMP/import.txt" sys_s)")
imp_rss=$(calc "$(kv "$TMP/import.txt" maxrss_kib) / 1024")
imp_anon=$(calc "$(kv "$TMP/import.txt" peak_anon_kib) / 1024")
imp_steal=$(kv "$TMP/import.txt" steal_s)
imp_others=$(kv "$TMP/import.txt" others_cpu_s)
store_mib=$(calc "$(wc -c <"$TMP/imp/store/data.mdb") / 1048576")

echo "bench: measuring this machine's limits again, between"
limits "$TMP/limits2.txt"

echo "bench: saksi audit"
"$BENCH" run --log "$TMP/audit.log" -- "$SAKSI" --data "$TMP/imp" audit >"$TMP/audit.txt"
rc=$?
if [ "$rc" -ne 0 ] || ! grep -q "(entries verified" "$TMP/audit.log" ||
    [ "$(sed -n 's/^Entri diverifikasi: *\([0-9]*\) .*/\1/p' "$TMP/audit.log")" != "$entries" ]; then
    head -n 20 "$TMP/audit.log" >&2
    die "audit failed (exit $rc): expected a clean audit of $entries entries"
fi
aud_s=$(kv "$TMP/audit.txt" elapsed_s)
aud_cpu=$(calc "$(kv "$TMP/audit.txt" user_s) + $(kv "$TMP/audit.txt" sys_s)")
aud_rss=$(calc "$(kv "$TMP/audit.txt" maxrss_kib) / 1024")
aud_anon=$(calc "$(kv "$TMP/audit.txt" peak_anon_kib) / 1024")
aud_steal=$(kv "$TMP/audit.txt" steal_s)
aud_others=$(kv "$TMP/audit.txt" others_cpu_s)

echo "bench: measuring this machine's limits again, after"
limits "$TMP/limits3.txt"
load1=$(cut -d ' ' -f 1-3 /proc/loadavg)
cores=$(kv "$TMP/limits1.txt" cores)
# Each command is set against the higher of the measurements just before and just after it.
v1_imp=$(best 1 2 verify_1core_per_s)
v1_aud=$(best 2 3 verify_1core_per_s)
vall_imp=$(best 1 2 verify_allcores_per_s)
vall_aud=$(best 2 3 verify_allcores_per_s)
vall_low=$(low verify_allcores_min_per_s)
leps=$(best 1 2 lmdb_entries_per_s)
lcps=$(best 1 2 lmdb_commits_per_s)
lwritten=$(kv "$TMP/limits1.txt" lmdb_entries_written)
v1=$(calc "($v1_imp > $v1_aud) ? $v1_imp : $v1_aud")
vall=$(calc "($vall_imp > $vall_aud) ? $vall_imp : $vall_aud")

imp_eps=$(calc "$entries / $imp_s")
aud_eps=$(calc "$entries / $aud_s")
imp_rv=$(calc "$imp_eps / $vall_imp")
imp_rl=$(calc "$imp_eps / $leps")
imp_rs=$(calc "$imp_eps / $ver_eps")
aud_rs=$(calc "$aud_eps / $ver_eps")
aud_rv=$(calc "$aud_eps / $vall_aud")
# Noise-proof companions: the share of each command's CPU time that the signature checks alone
# need at the 1-core rate (1.0 would mean the command does nothing else).
imp_share=$(calc "($entries / $v1_imp) / $imp_cpu")
aud_share=$(calc "($entries / $v1_aud) / $aud_cpu")
met() { # met VALUE OP TARGET
    if awk "BEGIN { exit !($1 $2 $3) }"; then echo "met"; else echo "NOT met"; fi
}
imp_met=$(met "$imp_rv" ">=" "$RATIO_TARGET")
aud_met=$(met "$aud_rv" ">=" "$RATIO_TARGET")
rss_met=$(met "$imp_anon" "<" "$RSS_TARGET_MIB")

f0() { calc "sprintf(\"%.0f\", $1)"; }
f1() { calc "sprintf(\"%.1f\", $1)"; }
f2() { calc "sprintf(\"%.2f\", $1)"; }

echo
l() { f0 "$(kv "$TMP/limits$1.txt" "$2")"; }
printf '%-50s %10s %10s %10s\n' "limits (before import, between, after audit)" 1 2 3
printf '%-50s %10s %10s %10s\n' "Ed25519 verify, 1 core (/s)" "$(l 1 verify_1core_per_s)" \
    "$(l 2 verify_1core_per_s)" "$(l 3 verify_1core_per_s)"
printf '%-50s %10s %10s %10s   (lowest window %s)\n' "Ed25519 verify, $cores cores (/s)" \
    "$(l 1 verify_allcores_per_s)" "$(l 2 verify_allcores_per_s)" \
    "$(l 3 verify_allcores_per_s)" "$(f0 "$vall_low")"
printf '%-50s %10s %10s %10s\n' "LMDB durable, batches of $BATCH (entries/s)" \
    "$(l 1 lmdb_entries_per_s)" "$(l 2 lmdb_entries_per_s)" "$(l 3 lmdb_entries_per_s)"
echo
printf '%-50s %12s\n' "gen: $entries entries (s)" "$(f1 "$gen_s")"
printf '%-50s %12s   %s of verify limit\n' "parse + verify only, no store (entries/s)" \
    "$(f0 "$ver_eps")" "$(f2 "$(calc "$ver_eps / $vall_imp")")"
printf '%-50s %12s   %s of verify limit (target >= %s: %s)\n' \
    "import (entries/s)" "$(f0 "$imp_eps")" "$(f2 "$imp_rv")" "$RATIO_TARGET" "$imp_met"
printf '%-50s %12s   %s of parse + verify only, %s of LMDB limit\n' "" "" "$(f2 "$imp_rs")" \
    "$(f2 "$imp_rl")"
printf '%-50s %12s   (%s s wall, %s s CPU; verify is %s of the CPU time;\n' \
    "" "" "$(f1 "$imp_s")" "$(f1 "$imp_cpu")" "$(f2 "$imp_share")"
printf '%-50s %12s    other processes took %s s CPU, steal %s s)\n' "" "" "$(f1 "$imp_others")" \
    "$(f1 "$imp_steal")"
printf '%-50s %12s   target < %s MiB: %s (total incl. LMDB map pages %s MiB)\n' \
    "import peak RSS without the map (MiB)" "$(f1 "$imp_anon")" "$RSS_TARGET_MIB" "$rss_met" \
    "$(f1 "$imp_rss")"
printf '%-50s %12s   %s of verify limit (target >= %s: %s), %s of parse + verify only\n' \
    "audit (entries/s)" "$(f0 "$aud_eps")" "$(f2 "$aud_rv")" "$RATIO_TARGET" "$aud_met" \
    "$(f2 "$aud_rs")"
printf '%-50s %12s   (%s s wall, %s s CPU; verify is %s of the CPU time;\n' \
    "" "" "$(f1 "$aud_s")" "$(f1 "$aud_cpu")" "$(f2 "$aud_share")"
printf '%-50s %12s    other processes took %s s CPU, steal %s s)\n' "" "" "$(f1 "$aud_others")" \
    "$(f1 "$aud_steal")"
printf '%-50s %12s   (total incl. LMDB map pages %s MiB)\n' \
    "audit peak RSS without the map (MiB)" "$(f1 "$aud_anon")" "$(f1 "$aud_rss")"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
fs=$(df -T "$TMP" 2>/dev/null | awk 'NR == 2 { print $2 }')
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cat >"$DOC.tmp" <<EOF
# Performance

Written by \`make bench\` (tests/bench/run.sh); do not edit by hand. The machines are shared
and noisy, so every figure stands beside this machine's own limit measured in the same run:
compare the **ratios** across runs, not the raw rates.

- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')
- Machine: ${cores} online cores, ${cpu:-unknown CPU}, ${mem}, Linux $(uname -r), scratch on ${fs:-?};
  load average ${load0} before, ${load1} after
- Ledger: ${entries} entries (1 genesis + ${N} journal entries over 5 authors' feeds);
  export stream $(f1 "$stream_mib") MiB, LMDB store after import $(f1 "$store_mib") MiB

## This machine's limits

Measured before import, between import and audit, and after audit; each command is set
against the higher figure of the measurements just before and just after it.

| Limit | Before import | Between | After audit |
|---|---:|---:|---:|
| Ed25519 verify, 1 core (/s) | $(l 1 verify_1core_per_s) | $(l 2 verify_1core_per_s) | $(l 3 verify_1core_per_s) |
| Ed25519 verify, all ${cores} cores (/s) | $(l 1 verify_allcores_per_s) | $(l 2 verify_allcores_per_s) | $(l 3 verify_allcores_per_s) |
| LMDB durable commits, batches of ${BATCH} (entries/s) | $(l 1 lmdb_entries_per_s) | $(l 2 lmdb_entries_per_s) | $(l 3 lmdb_entries_per_s) |
| LMDB durable commits (commits/s) | $(l 1 lmdb_commits_per_s) | $(l 2 lmdb_commits_per_s) | $(l 3 lmdb_commits_per_s) |

The lowest single all-core window was $(f0 "$vall_low") /s: the neighbours' load moves these
figures, which is why each run measures its own.

## Results

| Measure | Figure | Ratio | Target | Met |
|---|---:|---:|---|---|
| \`saksi import\` (verify + store, durable) | $(f0 "$imp_eps") entries/s | $(f2 "$imp_rv") of $(f0 "$vall_imp") verifies/s | >= ${RATIO_TARGET} | ${imp_met} |
| \`saksi import\` vs parsing + verifying the stream alone | | $(f2 "$imp_rs") of $(f0 "$ver_eps") entries/s | | |
| \`saksi import\` vs the LMDB limit | | $(f2 "$imp_rl") of $(f0 "$leps") entries/s | | |
| \`saksi audit\` | $(f0 "$aud_eps") entries/s | $(f2 "$aud_rv") of $(f0 "$vall_aud") verifies/s | >= ${RATIO_TARGET} | ${aud_met} |
| \`saksi audit\` vs parsing + verifying the stream alone | | $(f2 "$aud_rs") of $(f0 "$ver_eps") entries/s | | |
| \`saksi import\` peak RSS, LMDB map aside | $(f1 "$imp_anon") MiB | | < ${RSS_TARGET_MIB} MiB | ${rss_met} |

Wall-clock and CPU time: import $(f1 "$imp_s") s wall, $(f1 "$imp_cpu") s CPU; audit
$(f1 "$aud_s") s wall, $(f1 "$aud_cpu") s CPU; generating the stream $(f1 "$gen_s") s. CPU
taken meanwhile by other processes on this machine: $(f1 "$imp_others") s during import,
$(f1 "$aud_others") s during audit; steal reported by the hypervisor: $(f1 "$imp_steal") s and
$(f1 "$aud_steal") s. Neither shows contention from other guests on the same physical cores,
which still moves the limits from window to window.
Signature verification alone, at the measured 1-core rate, would take $(f2 "$imp_share") of
import's CPU time and $(f2 "$aud_share") of audit's; the rest is work besides verification
(this share moves with the neighbours' load too, as the 1-core rate does). Peak
RSS including the pages of LMDB's map the process touched: import $(f1 "$imp_rss") MiB, audit
$(f1 "$aud_rss") MiB (audit without the map: $(f1 "$aud_anon") MiB).

## How measured

- \`saksi-bench limits\`: Ed25519 (libsodium \`crypto_sign_verify_detached\`) over 215-byte
  messages (the 15-byte domain prefix and ~200 signed bytes, the size of a journal entry), on
  one thread and on one thread per online core (the rate is the sum of the threads' rates),
  each the best of six windows of $(calc "$SECS / 6") s. LMDB: a fresh environment on the same
  file system as the import, default (durable) sync, transactions of ${BATCH} puts (the batch
  size of import) of 250-byte values under random 32-byte keys, for ${SECS} s
  (${lwritten} entries written in the first measurement).
- \`saksi-bench gen ${N}\`: a deterministic export stream. Genesis with six founders (four
  pengurus, one kasir, one pengawas) and a six-account chart; journal entries of two or three
  balanced lines with member numbers on sub-ledger accounts, dated across 2025, round-robin over
  the five authors allowed to post journals.
- \`saksi-bench verify FILE\`: parses and verifies the stream on one thread per core in
  import's batches (4096 records), storing nothing: import's ceiling if storing were free, and
  a second limit measured on the real entries over a similar stretch of time.
- \`saksi --data DIR import FILE\` into an empty data directory, then \`saksi --data DIR audit\`,
  each under \`saksi-bench run\`, which takes the wall-clock time, CPU time and \`ru_maxrss\`
  from \`wait4()\` and samples \`RssAnon\` in /proc every 10 ms: the memory the process
  allocated itself, without file mappings, which is what the RSS target counts (LMDB's map is
  file-backed and the kernel can drop its clean pages at will).
- The page cache is warm: the stream was just written, and audit reads the store import just
  wrote.
- Reproduce with \`make bench\`; \`BENCH_N=20000 make bench\` for a quick run.
EOF
mv "$DOC.tmp" "$DOC" || die "cannot write $DOC"
echo
echo "bench: wrote $DOC"
