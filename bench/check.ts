import { FenliuTarget, LinearTarget } from './targets.js';
import { makeScript, Runner } from './workload.js';

/**
 * Replays one workload through fenliu and the linear-scan baseline and compares every decision
 * (routes, re-routes, queue drains) in order: the baseline is only a baseline if it does the same
 * work. Returns the number of decisions compared; throws at the first difference.
 */
export function checkEquivalence(agents: number, cycles: number): number {
  const script = makeScript(agents, { cycles: Math.min(cycles, 65_536) });
  const f = new FenliuTarget();
  const l = new LinearTarget();
  f.trace = [];
  l.trace = [];
  new Runner(script, f).run(cycles);
  new Runner(script, l).run(cycles);
  const n = Math.max(f.trace.length, l.trace.length);
  for (let i = 0; i < n; i++) {
    if (f.trace[i] !== l.trace[i]) {
      throw new Error(`fenliu and the linear-scan router differ at decision ${i} (${agents} agents): ${f.trace[i]} vs ${l.trace[i]}`);
    }
  }
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of [1, 2, 10, 100, 1_000]) {
    console.log(`${n} agents: ${checkEquivalence(n, n >= 1_000 ? 70_000 : 140_000)} identical decisions`);
  }
}
