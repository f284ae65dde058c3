import { hostSpeed, hostText } from './host.js';
import { alternate, median, settle } from './stats.js';
import { BareHeapTarget, IdHeapFedTarget, IdHeapTarget, TARGETS } from './targets.js';
import type { TargetName } from './targets.js';
import { makeScript, Runner } from './workload.js';

/**
 * How much of the 1/3-of-the-bare-heap budget is left once string ids and a heap are paid for:
 * the bare heap, the string-id floor, the two joined (`baselines/id-heap.ts`), the object twin and
 * fenliu on the route + end workload, in one process, in rounds (the order rotating each round, as
 * `npm run bench` times its contenders). Prints each contender's median rate, the median of its
 * per-round ratios to the bare heap, and a cycle's cost in bare-heap cycles (their inverse): the
 * target allows fenliu 3.
 *
 * With `--fed`, a sixth contender runs after the join: the join with its heap's work told each
 * agent by the replay instead of waiting for the lookups, which still run (`IdHeapFedTarget`),
 * to see how much of the join's cost is that wait. It changes what shares the process, so its
 * runs are compared with each other, not with runs without it.
 *
 *   npx tsx bench/budget.ts [AGENTS] [ROUNDS] [MS] [--fed]     e.g.  npx tsx bench/budget.ts 10000 15 500
 */
const fed = process.argv.includes('--fed');
const [agentsArg, roundsArg, msArg] = process.argv.slice(2).filter((a) => a !== '--fed');
const agents = Number(agentsArg ?? 10_000);
const count = Number(roundsArg ?? 15);
const ms = Number(msArg ?? 500);
const names: TargetName[] = fed ? ['heap', 'floor', 'idheap', 'idfed', 'object', 'fenliu'] : ['heap', 'floor', 'idheap', 'object', 'fenliu'];
const labels: Record<string, string> = {
  heap: 'bare heap', floor: 'string-id floor', idheap: 'ids + heap, joined', idfed: 'joined, heap not waiting', object: 'object twin', fenliu: 'fenliu',
};
const batch: Record<string, number> = { heap: 4_096, floor: 1_024, idheap: 1_024, idfed: 1_024, object: 256, fenliu: 256 };

const hostBefore = hostSpeed();
const script = makeScript(agents);

// The id-heap does the bare heap's heap work on the same calls: the same agent picked at every
// route (each batch's sum of picks compared), over two laps. Fed, it also checks at every call that
// its lookups find the agent it was told.
for (const joined of fed ? [new IdHeapTarget(), new IdHeapFedTarget()] : [new IdHeapTarget()]) {
  const heap = new BareHeapTarget();
  const a = new Runner(script, heap);
  const b = new Runner(script, joined);
  for (let done = 0; done < 2 * script.cycles; done += 1_000) {
    a.run(1_000);
    b.run(1_000);
    if (heap.sink !== joined.sink) throw new Error(`the id-heap${joined instanceof IdHeapFedTarget ? ' (fed)' : ''} picked differently from the bare heap before cycle ${done + 1_000}`);
  }
}
const contenders: Record<string, (n: number) => void> = {};
for (const name of names) {
  const runner = new Runner(script, TARGETS[name]());
  settle(runner);
  contenders[name] = (n) => runner.run(n);
}
const rates = alternate(contenders, batch, count, ms);
const heap = rates.heap as number[];
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const hostAfter = hostSpeed();
console.log(`${agents.toLocaleString('en-US')} agents, ${count} rounds of ${ms} ms per contender, one process; host before ${hostText(hostBefore)}, after ${hostText(hostAfter)}:`);
console.log(`${'contender'.padEnd(24)} ${'cycles/s'.padStart(10)}  of the bare heap (range)   bare-heap cycles`);
for (const name of names) {
  const own = rates[name] as number[];
  const ratios = own.map((x, i) => x / (heap[i] as number));
  const r = median(ratios);
  console.log(`${(labels[name] as string).padEnd(24)} ${fmt(median(own)).padStart(10)}  ${r.toFixed(3)} (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)})        ${(1 / r).toFixed(2)}`);
}
