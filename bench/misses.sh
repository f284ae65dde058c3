#!/usr/bin/env bash
# Where a route + end cycle's cache misses are, by source line of the bundled benchmark: callgrind
# simulates the host's L1d and the 2 MB cache of bench/instructions.sh, V8 prints each optimised
# function with its source positions, and bench/misses-by-line.ts maps every instruction's misses
# to a line. Two runs (CYCLES steady-state cycles after the warm-up, and none), about a minute each
# at 10,000 agents and 100,000 cycles. Needs valgrind. The lines are the bundle's: a statement of an
# inlined function counts at its own line.
#
#   bash bench/misses.sh [AGENTS] [CYCLES] [TARGET] [TOP]    e.g.  bash bench/misses.sh 10000 100000 fenliu 30
set -euo pipefail
AGENTS=${1:-10000}
CYCLES=${2:-100000}
TARGET=${3:-fenliu}
TOP=${4:-30}
cd "$(dirname "$0")/.."
source bench/valgrind-run.sh
run() { # cycles name; fails, with the program's errors, if it did
  if ! setarch "$(uname -m)" -R valgrind --tool=callgrind --cache-sim=yes "$LL_CACHE" --dump-instr=yes --callgrind-out-file="$OUT/$2.out" \
    node --print-opt-code "${NODE_COUNT_FLAGS[@]}" "$OUT/instructions.mjs" "$TARGET" "$AGENTS" "$1" >"$OUT/$2.code" 2>"$OUT/$2.err"; then
    report_failure "$OUT/$2.err"
    return 1
  fi
}
run "$CYCLES" run
run 0 base
echo "$TARGET, $AGENTS agents, $CYCLES cycles after warm-up"
node_modules/.bin/tsx bench/misses-by-line.ts "$OUT" "$CYCLES" "$TOP"
