# Shared by bench/instructions.sh and bench/misses.sh (sourced from the project's root, not run):
# a temporary directory OUT holding the bundled workload, the simulated 2 MB cache, and node's
# flags for counts that repeat from run to run (see instructions.sh), so that both scripts count
# the same program the same way.

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
trap 'exit 130' INT TERM

# The cache that stands for one core's L2: 2 MB, 64 ways, 64-byte lines (instructions.sh says why 64).
LL_CACHE=--LL=2097152,64,64

# --predictable: no concurrent compilation; --predictable-gc-schedule: collections set by
# allocation, not by time; fixed hash and random seeds.
NODE_COUNT_FLAGS=(--predictable --predictable-gc-schedule --hash-seed=1 --random-seed=1)

# bench/instructions.ts and everything it imports, as OUT/instructions.mjs.
node_modules/.bin/esbuild bench/instructions.ts --bundle --platform=node --format=esm --outfile="$OUT/instructions.mjs" --log-level=warning

# report_failure LOG: the program's own last lines of LOG (valgrind's are dropped), on stderr.
report_failure() {
  grep -v "^==[0-9]*==" "$1" | tail -20 >&2
}
