#!/usr/bin/env bash
# One full official benchmark run for issue 12, into OUTDIR:
#   bench/run-issue12.sh OUTDIR
# Run it twice (OUTDIR = .../run1, then .../run2) and summarize both:
#   python3 bench/summarize.py bench/results/issue12/run1 bench/results/issue12/run2 > bench/results/issue12/tables.md
#
# What it does, in order (from the repository root, whatever the current directory):
#   1. records the commit (git rev-parse HEAD), git status --short (dirty or not, bench/results aside), the machine
#      (lscpu, AVX-512 flags, dotnet --info's host runtime), and uptime (load average) before;
#   2. builds bench/KernelDsl.Bench in Release;
#   3. the BenchmarkDotNet run: the families below, one thread and all cores as each family defines them, ShortRun
#      (3 warm-ups, 3 iterations of 200 ms, 1 launch), in process, JSON + CSV reports under OUTDIR/bdn/results;
#   4. the interleaved run (--interleaved ROUNDS FAMILIES): OUTDIR/interleaved.csv and interleaved.md;
#   5. uptime after each phase and the wall time of each.
# About 145 BenchmarkDotNet cases, ~9-12 minutes, then ~4-6 minutes interleaved, on the shared 2-core machine.
#
# Settings (environment), for smoke runs only; the official run uses the defaults:
#   FAMILIES  comma-separated parts of class names (default: every issue-12 family)
#   BDN_JOB   BenchmarkDotNet job options (default: --job short --iterationTime 200); "--job dry" for a smoke run
#   ROUNDS    minimum interleaved rounds per case (default 30; each case also runs at least 3 s)
#   SKIP_BDN=1 / SKIP_INTERLEAVED=1 / SKIP_BUILD=1  leave a phase out (the summary then reports it missing)
#   SETTLE    at most this many seconds to wait after the build for the load to settle (default 120)
#   PAIRS_N, PAIRS_D  the PairsMmd case (default 4096 and 3: Gaussian MMD², n = m = 4096, d = 3)
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
cd "$ROOT"

FAMILIES=${FAMILIES:-KlValue,KlValueAndGradient,RenyiValue,DistillationKlRows,PairsMmd,SmallN}
BDN_JOB=${BDN_JOB:---job short --iterationTime 200}
ROUNDS=${ROUNDS:-30}
export PAIRS_N=${PAIRS_N:-4096}
export PAIRS_D=${PAIRS_D:-3}
DLL="$ROOT/bench/KernelDsl.Bench/bin/Release/net10.0/KernelDsl.Bench.dll"

stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# ---------------------------------------------------------------- 1. what and where
git rev-parse HEAD > "$OUT/commit.txt"
# dirty: any change outside bench/results (so that run 1's uncommitted results do not make run 2 dirty);
# status-all.txt also lists the results
git status --short -- . ':(exclude)bench/results' > "$OUT/status.txt"
git status --short > "$OUT/status-all.txt"
if [ -s "$OUT/status.txt" ]; then echo "dirty" > "$OUT/dirty.txt"; else echo "clean" > "$OUT/dirty.txt"; fi
{
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "cpu family / model: $(lscpu | sed -n "s/^CPU family: *//p" | head -1) / $(lscpu | sed -n "s/^Model: *//p" | head -1)"
    echo "cpus: $(nproc)"
    echo "threads per core: $(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -1)"
    echo "hypervisor: $(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1)"
    echo "avx512: $(grep -o -w 'avx512[a-z0-9_]*' /proc/cpuinfo | sort -u | tr '\n' ' ' | sed 's/ $//')"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
    echo "os: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(uname -sr)"
    echo "runtime: $(dotnet --info | awk '/^Host/ {h = 1} h && /Version:/ {print $2; exit}')"
    echo "sdk: $(dotnet --version)"
} > "$OUT/machine.txt"
dotnet --info > "$OUT/dotnet-info.txt" 2>&1 || true
lscpu > "$OUT/lscpu.txt"
{
    echo "families: $FAMILIES"
    echo "bdn job: $BDN_JOB --inProcess --exporters json"
    echo "interleaved rounds: $ROUNDS"
    echo "PAIRS_N=$PAIRS_N PAIRS_D=$PAIRS_D"
} > "$OUT/settings.txt"
echo "$(stamp) start: $(uptime)" > "$OUT/uptime.txt"
cat "$OUT/machine.txt"
echo "commit $(cat "$OUT/commit.txt") ($(cat "$OUT/dirty.txt"))"

# ---------------------------------------------------------------- 2. build
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    dotnet build -c Release bench/KernelDsl.Bench > "$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log"; exit 1; }
fi
# The build leaves MSBuild nodes and the compiler server behind, busy for a while: twice (runs 5 and 7) the first
# family BenchmarkDotNet measured right after it (DistillationKlRows) ran ~30% slow, scalar loop included. Stop them,
# then wait until the one-minute load average falls below 1 (at most SETTLE seconds, default 120).
dotnet build-server shutdown > /dev/null 2>&1 || true
for _ in $(seq "${SETTLE:-120}"); do
    awk '{exit !($1 < 1.0)}' /proc/loadavg && break
    sleep 1
done
echo "$(stamp) settled: $(uptime)" >> "$OUT/uptime.txt"

# ---------------------------------------------------------------- 3. BenchmarkDotNet
if [ "${SKIP_BDN:-0}" != 1 ]; then
    filters=()
    IFS=',' read -ra parts <<< "$FAMILIES"
    for f in "${parts[@]}"; do filters+=("*$f*"); done
    t0=$(date +%s)
    # shellcheck disable=SC2086  # BDN_JOB is a list of options
    dotnet "$DLL" --filter "${filters[@]}" $BDN_JOB --inProcess --exporters json --artifacts "$OUT/bdn" \
        > "$OUT/bdn-console.txt" 2>&1 || { tail -30 "$OUT/bdn-console.txt"; exit 1; }
    echo "$(stamp) after BenchmarkDotNet ($(( $(date +%s) - t0 )) s): $(uptime)" >> "$OUT/uptime.txt"
fi

# ---------------------------------------------------------------- 4. interleaved
if [ "${SKIP_INTERLEAVED:-0}" != 1 ]; then
    t0=$(date +%s)
    (cd "$OUT" && dotnet "$DLL" --interleaved "$ROUNDS" "$FAMILIES" > interleaved-console.txt 2>&1) \
        || { tail -30 "$OUT/interleaved-console.txt"; exit 1; }
    echo "$(stamp) after interleaved ($(( $(date +%s) - t0 )) s): $(uptime)" >> "$OUT/uptime.txt"
fi

echo "$(stamp) end: $(uptime)" >> "$OUT/uptime.txt"
cat "$OUT/uptime.txt"
echo "done: $OUT"
