# Shared by bench/instructions.sh and bench/misses.sh (sourced, not run): the bundled workload, and
# node's flags for counts that repeat from run to run (see instructions.sh), so that both scripts
# count the same program the same way.

# --predictable: no concurrent compilation; --predictable-gc-schedule: collections set by
# allocation, not by time; fixed hash and random seeds.
NODE_COUNT_FLAGS=(--predictable --predictable-gc-schedule --hash-seed=1 --random-seed=1)

# bundle_workload DIR: bench/instructions.ts and everything it imports, as DIR/instructions.mjs.
bundle_workload() {
  node_modules/.bin/esbuild bench/instructions.ts --bundle --platform=node --format=esm --outfile="$1/instructions.mjs" --log-level=warning
}

# report_failure LOG: the program's own last lines of LOG (valgrind's are dropped), on stderr.
report_failure() {
  grep -v "^==[0-9]*==" "$1" | tail -20 >&2
}
