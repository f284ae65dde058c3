import { bench, describe } from 'vitest';
import { TARGETS } from './targets.js';
import type { TargetName } from './targets.js';
import { makeScript, Runner } from './workload.js';

// Route + end cycles with churn (see workload.ts), fenliu against the linear-scan router and the
// bare heap in the same run. One bench call is BATCH cycles, so cycles/s = hz × BATCH.
// `npx tsx bench/run.ts` runs the same cases (and 100,000 agents) in rounds and prints medians.
const BATCH = 100;

for (const agents of [10, 100, 1_000, 10_000]) {
  describe(`route + end, ${agents} agents (${BATCH} cycles per op)`, () => {
    const script = makeScript(agents);
    for (const name of ['fenliu', 'heap', 'linear'] as TargetName[]) {
      const runner = new Runner(script, TARGETS[name]());
      bench(name === 'heap' ? 'bare heap' : name === 'linear' ? 'linear scan' : 'fenliu', () => runner.run(BATCH), { time: 1_000, warmupTime: 200 });
    }
  });
}
