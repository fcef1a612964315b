#!/bin/sh
# `make bench`: times `saksi import` and `saksi audit` on a generated ledger, the replication of
# that ledger from one saksid to a fresh one, and gossip among 20 saksid on loopback, and sets
# each rate beside this machine's own limits, measured in the same run (the machines are shared
# and noisy, so only the ratios compare across runs). Then rewrites docs/PERFORMANCE.md.
#
# Order: limits, generate the stream, parse + verify the stream alone (import's ceiling),
# import, limits, audit, limits, replication, limits, gossip. Each command is set against the
# limits measured just before and just after it.
#
#   sh tests/bench/run.sh BUILD        (BUILD holds saksi, saksid and bench/saksi-bench)
#
# Environment: BENCH_N journal entries (default 1000000; the replication moves them all),
# BENCH_SECONDS per limit measurement (default 3), BENCH_GOSSIP_POSTS entries posted in the
# gossip benchmark (default 100), TMPDIR for the scratch directory (the LMDB limit is measured
# on the same file system as the import). Every saksid runs with --no-discovery on 127.0.0.1
# and is stopped on the way out (saksi-bench starts and stops them; an interrupted run stops
# saksi-bench). Exits non-zero only when something does not work (generation, import, audit,
# replication, gossip); a missed target is reported, never a failure.
set -u
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
cd "$(dirname "$0")/../.." || exit 1
SAKSI=$BUILD/saksi
SAKSID=$BUILD/saksid
BENCH=$BUILD/bench/saksi-bench
N=${BENCH_N:-1000000}
SECS=${BENCH_SECONDS:-3}
POSTS=${BENCH_GOSSIP_POSTS:-100}
NODES=20
BATCH=4096 # cli/import.c BATCH_N: one durable transaction per batch
RSS_TARGET_MIB=64
RATIO_TARGET=0.8
REPL_TARGET=0.75     # replication, of the all-core verify limit
GOSSIP_P99_MS=1000   # gossip: p99 time until all nodes hold an entry below this
GOSSIP_COPIES=2      # gossip: copies received per entry per node at most this
RPT_TARGET_S=2       # books: every report over the ledger (issue 4: 1M postings, 10k members)
STM_TARGET_MS=50     # books: one member's statement
RPT_RSS_MIB=256      # books: peak memory
DOC=docs/PERFORMANCE.md

for f in "$SAKSI" "$SAKSID" "$BENCH"; do
    if [ ! -x "$f" ]; then
        echo "bench: $f is missing (run 'make bench')" >&2
        exit 1
    fi
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/saksi-bench.XXXXXX") || exit 1
CHILD=
# saksi-bench replicate and gossip run in the background, so that a signal reaches this trap at
# once: it stops saksi-bench, which stops every saksid it started (and saksid dies with it
# anyway: PR_SET_PDEATHSIG).
cleanup() {
    if [ -n "$CHILD" ]; then
        kill -TERM "$CHILD" 2>/dev/null
        wait "$CHILD" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
    echo "bench: $*" >&2
    exit 1
}
# kv FILE KEY: the value of the last KEY=value line in FILE.
kv() {
    sed -n "s/^$2=//p" "$1" | tail -n 1
}
# in_bg CMD...: runs CMD in the background and waits for it (see cleanup); its exit status.
in_bg() {
    "$@" &
    CHILD=$!
    wait "$CHILD"
    set -- $?
    CHILD=
    return "$1"
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
# low KEY: the lowest of the four measurements.
low() {
    for i in 1 2 3 4; do kv "$TMP/limits$i.txt" "$1"; done | sort -n | head -n 1
}

load0=$(cut -d ' ' -f 1-3 /proc/loadavg)
echo "bench: measuring this machine's limits (${SECS} s each), before"
limits "$TMP/limits1.txt"

echo "bench: generating $N journal entries (5 authors)"
"$BENCH" run -- "$BENCH" gen --keys "$TMP/keys" "$N" "$TMP/stream.ex" >"$TMP/gen.txt" ||
    die "generation failed"
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

# The books (issue 4): every report, derived from the imported ledger (1,000,000 journal
# entries over 5,000 members) on every run, and then members' statements. The first statement
# finds no statement cache (docs/FORMATS.md 7.9): it derives the books and writes
# <data>/books.cache; it is reported on its own ("cold"). The statements that follow read their
# member's part of the cache (a warm cache, as on a device after its first statement since the
# last change). Warm figures: p50 and p99 over 50 members (7 and 49 others spread over the
# 5,000), text output.
echo "bench: saksi report all and saksi statement (the books of $entries entries)"
rm -f "$TMP/imp/books.cache"
"$BENCH" run --log "$TMP/report.log" -- "$SAKSI" --data "$TMP/imp" report all --year 2025 \
    --as-of 2025-12-31 >"$TMP/report.txt"
rc=$?
# (exit 1 only means the books hold findings)
[ "$rc" -le 1 ] && grep -q "^elapsed_s=" "$TMP/report.txt" || die "saksi report all failed (exit $rc)"
"$BENCH" run --log "$TMP/stmt.log" -- "$SAKSI" --data "$TMP/imp" statement --member 3 \
    --year 2025 >"$TMP/stmt_cold.txt" || die "saksi statement --member 3 failed"
stm_cold_s=$(kv "$TMP/stmt_cold.txt" elapsed_s)
[ -s "$TMP/imp/books.cache" ] || die "the first saksi statement wrote no statement cache"
cache_mib=$(calc "$(stat -c %s "$TMP/imp/books.cache") / 1048576")
: >"$TMP/stmt_ms.txt"
stm_anon=0
for m in 7 $(seq 101 101 4949); do
    "$BENCH" run --log "$TMP/stmt.log" -- "$SAKSI" --data "$TMP/imp" statement --member "$m" \
        --year 2025 >"$TMP/stmt.txt" || die "saksi statement --member $m failed"
    echo "$(calc "$(kv "$TMP/stmt.txt" elapsed_s) * 1000")" >>"$TMP/stmt_ms.txt"
    a=$(calc "$(kv "$TMP/stmt.txt" peak_anon_kib) / 1024")
    [ "$(calc "$a > $stm_anon")" = 1 ] && stm_anon=$a
done
rpt_s=$(kv "$TMP/report.txt" elapsed_s)
rpt_anon=$(calc "$(kv "$TMP/report.txt" peak_anon_kib) / 1024")
stm_ms=$(sort -n "$TMP/stmt_ms.txt" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
stm_p99=$(sort -n "$TMP/stmt_ms.txt" | awk '{ v[NR] = $1 } END { i = int(NR * 0.99 + 0.999); print v[i] }')

echo "bench: measuring this machine's limits again, after audit"
limits "$TMP/limits3.txt"

# Replication: the imported data directory is node A (the ketua's device, 00), a fresh one
# holding only the genesis is node B (the pengawas' device, 05, which authors nothing). The
# genesis does not depend on N, so `gen 0` writes the same one; saksi-bench checks that both
# nodes hold the same ledger.
echo "bench: saksid replication: $entries entries from one saksid to a fresh one on loopback"
"$BENCH" gen 0 "$TMP/genesis.ex" >/dev/null || die "generating the genesis failed"
if ! cp "$TMP/keys/device-00.key" "$TMP/imp/key" || ! cp "$TMP/keys/network.key" "$TMP/imp/"; then
    die "cannot give node A its keys"
fi
"$SAKSI" --data "$TMP/rep" import "$TMP/genesis.ex" >"$TMP/rep-import.log" 2>&1 ||
    die "importing the genesis into node B failed"
if ! cp "$TMP/keys/device-05.key" "$TMP/rep/key" || ! cp "$TMP/keys/network.key" "$TMP/rep/"; then
    die "cannot give node B its keys"
fi
# Generous: only a replication below 2000 entries/s (or a stall) misses it.
repl_deadline=$(( N / 2000 > 300 ? N / 2000 : 300 ))
if ! in_bg "$BENCH" replicate --saksid "$SAKSID" --source "$TMP/imp" --sink "$TMP/rep" \
    --deadline "$repl_deadline" >"$TMP/repl.txt"; then
    for d in imp rep; do
        echo "--- $d/saksid.log" >&2
        tail -n 20 "$TMP/$d/saksid.log" >&2
    done
    die "replication failed"
fi
rep_n=$(kv "$TMP/repl.txt" repl_entries)
rep_s=$(kv "$TMP/repl.txt" elapsed_s)
rep_cpu=$(kv "$TMP/repl.txt" sink_cpu_s)
rep_loop=$(kv "$TMP/repl.txt" sink_loop_cpu_s)
rep_pool=$(kv "$TMP/repl.txt" sink_pool_cpu_s)
rep_busiest=$(kv "$TMP/repl.txt" sink_pool_busiest_cpu_s)
rep_threads=$(kv "$TMP/repl.txt" sink_threads)
rep_src_cpu=$(kv "$TMP/repl.txt" source_cpu_s)
rep_anon=$(calc "$(kv "$TMP/repl.txt" sink_peak_anon_kib) / 1024")
rep_hwm=$(calc "$(kv "$TMP/repl.txt" sink_vmhwm_kib) / 1024")
rep_steal=$(kv "$TMP/repl.txt" steal_s)
rep_others=$(kv "$TMP/repl.txt" others_cpu_s)
[ "$rep_n" = "$N" ] || die "replication moved $rep_n entries, expected $N"

# Checkpoints (issue 5): node A's data directory holds the whole ledger and device 00's key (the
# ketua); 01 (pengurus) and 05 (the pengawas) cosign, which makes the checkpoint final under the
# default quorum; then PROOFS bundles are made and verified, one process each (so the rates
# include starting saksi and, for prove, reading the store's checkpoints).
PROOFS=${BENCH_PROOFS:-20}
CKPT_TARGET_S=1
echo "bench: saksi checkpoint create, cosign, and $PROOFS proofs made and verified"
"$BENCH" run --log "$TMP/ckpt.log" -- "$SAKSI" --data "$TMP/imp" checkpoint create --json \
    >"$TMP/ckpt.txt" || die "saksi checkpoint create failed"
ck_s=$(kv "$TMP/ckpt.txt" elapsed_s)
ck_id=$(sed -n 's/.*"checkpoint_id":"\([0-9a-f]*\)".*/\1/p' "$TMP/ckpt.log")
for d in 01 05; do
    cp "$TMP/keys/device-$d.key" "$TMP/imp/key" &&
        "$SAKSI" --data "$TMP/imp" checkpoint sign "$ck_id" >/dev/null ||
        die "cosigning the checkpoint as device $d failed"
done
cp "$TMP/keys/device-00.key" "$TMP/imp/key" || die "cannot restore node A's key"
ledger=$("$SAKSI" --data "$TMP/imp" head --json | sed -n 's/.*"ledger_id":"\([0-9a-f]*\)".*/\1/p')
"$SAKSI" --data "$TMP/imp" log --json 2>/dev/null | awk -v n="$PROOFS" -v t="$entries" \
    'NR > 10 && NR % int(t / n + 1) == 0' | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' | head -n "$PROOFS" \
    >"$TMP/proof-ids.txt"
t0=$(date +%s.%N)
i=0
while read -r id; do
    "$SAKSI" --data "$TMP/imp" prove "$id" --out "$TMP/p$i.proof" >/dev/null ||
        die "saksi prove $id failed"
    i=$((i + 1))
done <"$TMP/proof-ids.txt"
t1=$(date +%s.%N)
j=0
while [ "$j" -lt "$i" ]; do
    "$SAKSI" verify-proof --ledger "$ledger" "$TMP/p$j.proof" >/dev/null ||
        die "saksi verify-proof $TMP/p$j.proof failed"
    j=$((j + 1))
done
t2=$(date +%s.%N)
[ "$i" -gt 0 ] || die "no entries to prove"
prove_ps=$(calc "$i / ($t1 - $t0)")
verify_ps=$(calc "$i / ($t2 - $t1)")

echo "bench: measuring this machine's limits again, after replication"
limits "$TMP/limits4.txt"

# Gossip: a genesis-only ledger whose roster holds $NODES devices (the five authors, the
# pengawas, anggota), one per node.
echo "bench: gossip: $NODES saksid on loopback, $POSTS entries posted one at a time"
"$BENCH" gen --devices "$NODES" --keys "$TMP/gkeys" 0 "$TMP/ggenesis.ex" >/dev/null ||
    die "generating the gossip ledger failed"
mkdir "$TMP/g" || die "cannot create $TMP/g"
i=0
while [ "$i" -lt "$NODES" ]; do
    d=$TMP/g/n$(printf '%02d' "$i")
    if ! "$SAKSI" --data "$d" import "$TMP/ggenesis.ex" >"$TMP/g-import.log" 2>&1 ||
        ! cp "$TMP/gkeys/network.key" "$d/"; then
        die "preparing gossip node $i failed"
    fi
    i=$((i + 1))
done
if ! in_bg "$BENCH" gossip --saksid "$SAKSID" --dir "$TMP/g" --keys "$TMP/gkeys" --nodes "$NODES" \
    --posts "$POSTS" --seed 1 >"$TMP/gossip.txt"; then
    for l in "$TMP"/g/n*/saksid.log; do
        echo "--- $l" >&2
        tail -n 5 "$l" >&2
    done
    die "gossip failed"
fi
g_links=$(kv "$TMP/gossip.txt" gossip_links)
g_conf=$(kv "$TMP/gossip.txt" gossip_links_configured)
g_end=$(kv "$TMP/gossip.txt" gossip_links_at_end)
g_mesh=$(kv "$TMP/gossip.txt" gossip_links_full_mesh)
g_p50=$(kv "$TMP/gossip.txt" gossip_p50_ms)
g_p90=$(kv "$TMP/gossip.txt" gossip_p90_ms)
g_p99=$(kv "$TMP/gossip.txt" gossip_p99_ms)
g_max=$(kv "$TMP/gossip.txt" gossip_max_ms)
g_min=$(kv "$TMP/gossip.txt" gossip_min_ms)
g_copies=$(kv "$TMP/gossip.txt" gossip_copies_per_node)
g_new=$(kv "$TMP/gossip.txt" gossip_new_per_node)
g_setup=$(kv "$TMP/gossip.txt" gossip_setup_s)
# An entry that crossed every link exactly once, in one direction, would be links / (nodes - 1)
# copies per node: the least an eager push over this graph can do.
g_once=$(calc "$g_links / ($NODES - 1)")
load1=$(cut -d ' ' -f 1-3 /proc/loadavg)
cores=$(kv "$TMP/limits1.txt" cores)
# Each command is set against the higher of the measurements just before and just after it.
v1_imp=$(best 1 2 verify_1core_per_s)
v1_aud=$(best 2 3 verify_1core_per_s)
vall_imp=$(best 1 2 verify_allcores_per_s)
vall_aud=$(best 2 3 verify_allcores_per_s)
vall_rep=$(best 3 4 verify_allcores_per_s)
v1_rep=$(best 3 4 verify_1core_per_s)
vall_low=$(low verify_allcores_min_per_s)
leps=$(best 1 2 lmdb_entries_per_s)
lcps=$(best 1 2 lmdb_commits_per_s)
lwritten=$(kv "$TMP/limits1.txt" lmdb_entries_written)

imp_eps=$(calc "$entries / $imp_s")
aud_eps=$(calc "$entries / $aud_s")
imp_rv=$(calc "$imp_eps / $vall_imp")
imp_rl=$(calc "$imp_eps / $leps")
imp_rs=$(calc "$imp_eps / $ver_eps")
aud_rs=$(calc "$aud_eps / $ver_eps")
aud_rv=$(calc "$aud_eps / $vall_aud")
rep_eps=$(calc "$rep_n / $rep_s")
rep_rv=$(calc "$rep_eps / $vall_rep")
rep_rs=$(calc "$rep_eps / $ver_eps")
# Noise-proof companions: the share of each command's CPU time that the signature checks alone
# need at the 1-core rate (1.0 would mean the command does nothing else).
imp_share=$(calc "($entries / $v1_imp) / $imp_cpu")
aud_share=$(calc "($entries / $v1_aud) / $aud_cpu")
rep_share=$(calc "($rep_n / $v1_rep) / $rep_cpu")
met() { # met VALUE OP TARGET
    if awk "BEGIN { exit !($1 $2 $3) }"; then echo "met"; else echo "NOT met"; fi
}
imp_met=$(met "$imp_rv" ">=" "$RATIO_TARGET")
aud_met=$(met "$aud_rv" ">=" "$RATIO_TARGET")
rss_met=$(met "$imp_anon" "<" "$RSS_TARGET_MIB")
rep_met=$(met "$rep_rv" ">=" "$REPL_TARGET")
p99_met=$(met "$g_p99" "<" "$GOSSIP_P99_MS")
copies_met=$(met "$g_copies" "<=" "$GOSSIP_COPIES")

f0() { calc "sprintf(\"%.0f\", $1)"; }
f1() { calc "sprintf(\"%.1f\", $1)"; }
f2() { calc "sprintf(\"%.2f\", $1)"; }

echo
l() { f0 "$(kv "$TMP/limits$1.txt" "$2")"; }
printf '%-50s %10s %10s %10s %10s\n' "limits (before import, between, after audit, after repl.)" \
    1 2 3 4
printf '%-50s %10s %10s %10s %10s\n' "Ed25519 verify, 1 core (/s)" "$(l 1 verify_1core_per_s)" \
    "$(l 2 verify_1core_per_s)" "$(l 3 verify_1core_per_s)" "$(l 4 verify_1core_per_s)"
printf '%-50s %10s %10s %10s %10s   (lowest window %s)\n' "Ed25519 verify, $cores cores (/s)" \
    "$(l 1 verify_allcores_per_s)" "$(l 2 verify_allcores_per_s)" \
    "$(l 3 verify_allcores_per_s)" "$(l 4 verify_allcores_per_s)" "$(f0 "$vall_low")"
printf '%-50s %10s %10s %10s %10s\n' "LMDB durable, batches of $BATCH (entries/s)" \
    "$(l 1 lmdb_entries_per_s)" "$(l 2 lmdb_entries_per_s)" "$(l 3 lmdb_entries_per_s)" \
    "$(l 4 lmdb_entries_per_s)"
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
printf '%-50s %12s   %s of verify limit (target >= %s: %s), %s of parse + verify only\n' \
    "saksid replication, $rep_n entries (entries/s)" "$(f0 "$rep_eps")" "$(f2 "$rep_rv")" \
    "$REPL_TARGET" "$rep_met" "$(f2 "$rep_rs")"
printf '%-50s %12s   (%s s wall; node B %s s CPU, %s cores on average: loop thread %s s,\n' \
    "" "" "$(f1 "$rep_s")" "$(f1 "$rep_cpu")" "$(f2 "$(calc "$rep_cpu / $rep_s")")" \
    "$(f1 "$rep_loop")"
printf '%-50s %12s    %s other threads %s s,' "" "" "$((rep_threads - 1))" "$(f1 "$rep_pool")"
printf ' the busiest of them %s s; verify is %s of its CPU time;\n' "$(f1 "$rep_busiest")" \
    "$(f2 "$rep_share")"
printf '%-50s %12s    node A %s s CPU;' "" "" "$(f1 "$rep_src_cpu")"
printf ' other processes took %s s CPU, steal %s s)\n' "$(f1 "$rep_others")" "$(f1 "$rep_steal")"
printf '%-50s %12s   (VmHWM incl. LMDB map pages %s MiB)\n' \
    "replication: node B peak RSS without the map (MiB)" "$(f1 "$rep_anon")" "$(f1 "$rep_hwm")"
printf '%-50s %12s   p50 %s ms, p90 %s ms, max %s ms (target p99 < %s ms: %s)\n' \
    "gossip, $NODES nodes, $g_links links: p99 (ms)" "$(f1 "$g_p99")" "$(f1 "$g_p50")" \
    "$(f1 "$g_p90")" "$(f1 "$g_max")" "$GOSSIP_P99_MS" "$p99_met"
printf '%-50s %12s   target <= %s: %s (each link once: %s; new copies %s)\n' \
    "gossip: copies received per entry per node" "$(f2 "$g_copies")" "$GOSSIP_COPIES" \
    "$copies_met" "$(f2 "$g_once")" "$(f2 "$g_new")"

rpt_met=$(met "$rpt_s" "<" "$RPT_TARGET_S")
stm_met=$(met "$stm_ms" "<" "$STM_TARGET_MS")
stm99_met=$(met "$stm_p99" "<" "$STM_TARGET_MS")
rptm_met=$(met "$rpt_anon" "<" "$RPT_RSS_MIB")
printf '%-50s %12s   target < %s s: %s (peak RSS without the map %s MiB, target < %s: %s)\n' \
    "books: saksi report all, $entries entries (s)" "$(f2 "$rpt_s")" "$RPT_TARGET_S" "$rpt_met" \
    "$(f1 "$rpt_anon")" "$RPT_RSS_MIB" "$rptm_met"
printf '%-50s %12s   target < %s ms: %s (p99 %s ms: %s; peak RSS without the map %s MiB; cache %s MiB)\n' \
    "books: one member's statement, warm cache, p50 (ms)" "$(f0 "$stm_ms")" "$STM_TARGET_MS" \
    "$stm_met" "$(f0 "$stm_p99")" "$stm99_met" "$(f1 "$stm_anon")" "$(f1 "$cache_mib")"

ck_met=$(met "$ck_s" "<" "$CKPT_TARGET_S")
printf '%-50s %12s   target < %s s: %s\n' "saksi checkpoint create, $entries entries (s)" \
    "$(f2 "$ck_s")" "$CKPT_TARGET_S" "$ck_met"
printf '%-50s %12s   (%s bundles, one saksi process each)\n' "proofs: saksi prove (/s)" \
    "$(f1 "$prove_ps")" "$i"
printf '%-50s %12s   (offline, no store)\n' "proofs: saksi verify-proof (/s)" "$(f1 "$verify_ps")"

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

Measured before import, between import and audit, after audit and after the replication; each
command is set against the higher figure of the measurements just before and just after it.

| Limit | Before import | Between | After audit | After replication |
|---|---:|---:|---:|---:|
| Ed25519 verify, 1 core (/s) | $(l 1 verify_1core_per_s) | $(l 2 verify_1core_per_s) | $(l 3 verify_1core_per_s) | $(l 4 verify_1core_per_s) |
| Ed25519 verify, all ${cores} cores (/s) | $(l 1 verify_allcores_per_s) | $(l 2 verify_allcores_per_s) | $(l 3 verify_allcores_per_s) | $(l 4 verify_allcores_per_s) |
| LMDB durable commits, batches of ${BATCH} (entries/s) | $(l 1 lmdb_entries_per_s) | $(l 2 lmdb_entries_per_s) | $(l 3 lmdb_entries_per_s) | $(l 4 lmdb_entries_per_s) |
| LMDB durable commits (commits/s) | $(l 1 lmdb_commits_per_s) | $(l 2 lmdb_commits_per_s) | $(l 3 lmdb_commits_per_s) | $(l 4 lmdb_commits_per_s) |

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
| saksid replication to a fresh node on loopback (verify + store, durable) | $(f0 "$rep_eps") entries/s | $(f2 "$rep_rv") of $(f0 "$vall_rep") verifies/s | >= ${REPL_TARGET} | ${rep_met} |
| saksid replication vs parsing + verifying the stream alone | | $(f2 "$rep_rs") of $(f0 "$ver_eps") entries/s | | |
| saksid replication: receiving node's peak RSS, LMDB map aside | $(f1 "$rep_anon") MiB | | | |
| Gossip, ${NODES} nodes: time until all hold a new entry, p50 | $(f1 "$g_p50") ms | | | |
| Gossip, ${NODES} nodes: time until all hold a new entry, p99 | $(f1 "$g_p99") ms | | < ${GOSSIP_P99_MS} ms | ${p99_met} |
| Books: \`saksi report all\` over the ${entries} entries (derived on every run) | $(f2 "$rpt_s") s | | < ${RPT_TARGET_S} s | ${rpt_met} |
| Books: \`saksi report all\` peak RSS, LMDB map aside | $(f1 "$rpt_anon") MiB | | < ${RPT_RSS_MIB} MiB | ${rptm_met} |
| Books: one member's statement, warm statement cache, p50 of 50 members | $(f0 "$stm_ms") ms | | < ${STM_TARGET_MS} ms | ${stm_met} |
| Books: one member's statement, warm statement cache, p99 of 50 members | $(f0 "$stm_p99") ms | | < ${STM_TARGET_MS} ms | ${stm99_met} |
| Books: the statement cache (books.cache) | $(f1 "$cache_mib") MiB | | | |
| Books: the first statement after a change (derives the books, writes the cache) | $(f2 "$stm_cold_s") s | | | |
| Checkpoints: \`saksi checkpoint create\` over the ${entries} entries | $(f2 "$ck_s") s | | < ${CKPT_TARGET_S} s | ${ck_met} |
| Proofs: \`saksi prove\`, one process per bundle | $(f1 "$prove_ps") /s | | | |
| Proofs: \`saksi verify-proof\`, offline, one process per bundle | $(f1 "$verify_ps") /s | | | |
| Gossip, ${NODES} nodes: copies received per entry per node | $(f2 "$g_copies") | $(f2 "$g_once") if each of the ${g_links} links carried it once | <= ${GOSSIP_COPIES} | ${copies_met} |

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

Replication of ${rep_n} entries took $(f1 "$rep_s") s wall, counted from the start of the
receiving node B until it held the sender's head. B used $(f1 "$rep_cpu") s CPU, on average
$(f2 "$(calc "$rep_cpu / $rep_s")") of the ${cores} cores: its loop
thread $(f1 "$rep_loop") s and its $((rep_threads - 1)) other threads (libuv's pool, where
entries are parsed and verified) $(f1 "$rep_pool") s, the busiest of them $(f1 "$rep_busiest") s; signature
verification alone, at the measured 1-core rate, would take $(f2 "$rep_share") of B's CPU time.
The sending node A used $(f1 "$rep_src_cpu") s CPU; other processes on this machine
$(f1 "$rep_others") s, and the hypervisor's steal was $(f1 "$rep_steal") s. B's VmHWM, LMDB map
pages included: $(f1 "$rep_hwm") MiB.

Gossip: ${NODES} nodes joined by ${g_links} links when posting began (${g_conf} configured, the
rest dialed by nodes with few connections to addresses their peers told them; ${g_end} at the
end; a full mesh has ${g_mesh}), settled $(f1 "$g_setup") s after the first node started;
${POSTS} entries posted one at a time. Time from
the submit request until all ${NODES} nodes held the entry: min $(f1 "$g_min") ms, p50
$(f1 "$g_p50") ms, p90 $(f1 "$g_p90") ms, p99 $(f1 "$g_p99") ms, max $(f1 "$g_max") ms. Each node
other than the author received $(f2 "$g_copies") copies of each entry on average, $(f2 "$g_new")
of them new.

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
- \`saksi-bench replicate\`: node A is saksid on the data directory import filled (the
  ketua's device key, 00), node B saksid on a fresh data directory holding only the genesis
  (the pengawas' device key, 05: both devices are on the genesis roster, as saksid requires of
  its peers). Both listen on 127.0.0.1:0 with \`--no-discovery\`. The clock starts when B is
  started with \`--peer\` A's address and stops when B's control socket (polled every 10 ms)
  reports A's applied count and head. B verifies every entry's signature and commits every
  batch durably before acknowledging it, as any saksid does. CPU time per thread from
  /proc/PID/task, peak \`RssAnon\` sampled at each poll, \`VmHWM\` just before B is stopped;
  both nodes must then exit 0.
- \`saksi-bench gossip\`: a genesis-only ledger whose roster holds ${NODES} devices (the five
  authors, the pengawas and anggota), shuffled onto ${NODES} saksid (seed 1). Node i dials 2 or
  3 distinct earlier nodes at random, node 1 only node 0: a connected graph, configured the same
  every run; saksid adds links to learned addresses while a node has few connections. Once the
  graph has settled (every configured link open, the link count unchanged for a second),
  ${POSTS} journal entries are posted one at a time, round-robin over
  the five authors, each through its author's node's control socket (\`{"op":"submit"}\`, as
  \`saksi journal post\` does while the node runs). The time runs from the request until every
  node's status shows the entry applied, polling the nodes that lack it about every
  millisecond. After the last post the nodes' \`received\` counters must rest for 0.5 s;
  copies per node are the sum of their deltas over ${POSTS} x $((NODES - 1)).
- The page cache is warm: the stream was just written, audit reads the store import just
  wrote, and node A serves that store.
- Reproduce with \`make bench\`; \`BENCH_N=20000 make bench\` for a quick run.
EOF
mv "$DOC.tmp" "$DOC" || die "cannot write $DOC"
echo
echo "bench: wrote $DOC"
