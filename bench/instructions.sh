#!/usr/bin/env bash
# Instructions and simulated data-cache misses per route + end cycle, by cachegrind: a count that
# does not depend on the machine's load, for comparing two versions of the code where wall-clock
# rates are too noisy. Needs valgrind (Debian: apt-get install valgrind); two cachegrind runs per
# target, about a minute and a half each at 10,000 agents.
#
# Two caches are simulated: the host's own L1d (what cachegrind reads from the CPU), and in place of
# the last level a fixed 2 MB cache of 64-byte lines, the size of one core's L2 on the machine of
# docs/performance.md's tables, so that the third column (reads that miss it: what a cycle waits
# on the L3 or DRAM for) compares across hosts. It has 64 ways where that L2 has 16: cachegrind
# indexes its caches by virtual address, which puts the header V8 keeps at the start of every
# 256 KB heap page (read by each write barrier) in one set, where 16 ways thrash; the machine
# indexes its L2 by physical address, which scatters them. Cachegrind models no prefetcher.
#
#   bash bench/instructions.sh [AGENTS] [CYCLES] [TARGETS]    e.g.  bash bench/instructions.sh 10000 600000 fenliu,heap
#
# Node runs with --predictable (no concurrent compilation) and --predictable-gc-schedule (heap growth
# and collections set by allocation, not by time), with fixed hash and random seeds and without
# address randomisation. Without the GC schedule the counts moved by up to 10 % between runs of the
# same code; with it, two runs at 10 agents gave the same count, and at 10,000 agents the whole-run
# totals still move by up to 1 % between runs (valgrind's pace leaks in), so compare at 600,000
# cycles or more, where that is under 80 instructions a cycle.
set -euo pipefail
AGENTS=${1:-10000}
CYCLES=${2:-600000}
TARGETS=${3:-fenliu,heap}
cd "$(dirname "$0")/.."
source bench/valgrind-run.sh
count() { # target cycles -> "instructions d1-misses l2-read-misses"; fails, with the program's output, if it did
  if ! setarch "$(uname -m)" -R valgrind --tool=cachegrind --cache-sim=yes "$LL_CACHE" --cachegrind-out-file=/dev/null \
    node "${NODE_COUNT_FLAGS[@]}" "$OUT/instructions.mjs" "$1" "$AGENTS" "$2" >"$OUT/run.log" 2>&1; then
    report_failure "$OUT/run.log"
    return 1
  fi
  awk '/I +refs:/ { gsub(",", "", $4); i = $4 } /D1 +misses:/ { gsub(",", "", $4); d = $4 } /LLd +misses:/ { if (match($0, /[0-9,]+ rd/)) { l = substr($0, RSTART, RLENGTH - 3); gsub(",", "", l) } }
    END { if (i == "" || d == "" || l == "") exit 1; print i, d, l }' "$OUT/run.log"
}
echo "agents $AGENTS, $CYCLES cycles after warm-up; per cycle:"
for t in ${TARGETS//,/ }; do
  r1=$(count "$t" "$CYCLES")
  r0=$(count "$t" 0)
  read -r i1 d1 l1 <<<"$r1"
  read -r i0 d0 l0 <<<"$r0"
  awk -v t="$t" -v c="$CYCLES" -v i1="$i1" -v i0="$i0" -v d1="$d1" -v d0="$d0" -v l1="$l1" -v l0="$l0" \
    'BEGIN { printf "%-8s %8.0f instructions  %6.1f L1d misses  %6.2f 2 MB-cache read misses\n", t, (i1 - i0) / c, (d1 - d0) / c, (l1 - l0) / c }'
done
