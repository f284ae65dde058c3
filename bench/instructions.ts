import { TARGETS } from './targets.js';
import type { TargetName } from './targets.js';
import { makeScript, Runner } from './workload.js';

/**
 * Runs one implementation through a fixed number of route + end cycles and exits: the program that
 * `bench/instructions.sh` runs under cachegrind, once with CYCLES and once with 0, so that the
 * difference is what CYCLES steady-state cycles cost (start-up and warm-up cancel out).
 * `node instructions.mjs TARGET AGENTS CYCLES` (bundled by the script).
 */
const WARM_UP = 150_000;
const name = (process.argv[2] ?? 'fenliu') as TargetName;
const agents = Number(process.argv[3] ?? 10_000);
const cycles = Number(process.argv[4] ?? 200_000);
if (!(name in TARGETS)) throw new Error(`unknown target ${name}; one of ${Object.keys(TARGETS).join(', ')}`);
new Runner(makeScript(agents), TARGETS[name]()).run(WARM_UP + cycles);
