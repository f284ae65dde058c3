import { FenliuTarget, LinearTarget, ObjectTarget, TypedTarget } from './targets.js';
import { makeScript, Runner } from './workload.js';

/**
 * Replays one workload through fenliu, the linear-scan baseline, the typed-array router and its twin
 * with objects, and compares every decision (routes, re-routes, queue drains) in order: a baseline
 * is only a baseline if it does the same work. Returns the number of decisions compared; throws at the first difference.
 */
export function checkEquivalence(agents: number, cycles: number): number {
  const script = makeScript(agents, { cycles: Math.min(cycles, 65_536) });
  const f = new FenliuTarget();
  f.trace = [];
  new Runner(script, f).run(cycles);
  for (const [name, other] of [['the linear-scan router', new LinearTarget()], ['the typed-array router', new TypedTarget()], ['the object router', new ObjectTarget()]] as const) {
    other.trace = [];
    new Runner(script, other).run(cycles);
    const n = Math.max(f.trace.length, other.trace.length);
    for (let i = 0; i < n; i++) {
      if (f.trace[i] !== other.trace[i]) {
        throw new Error(`fenliu and ${name} differ at decision ${i} (${agents} agents): ${f.trace[i]} vs ${other.trace[i]}`);
      }
    }
  }
  return f.trace.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of [1, 2, 10, 100, 1_000]) {
    console.log(`${n} agents: ${checkEquivalence(n, n >= 1_000 ? 70_000 : 140_000)} identical decisions`);
  }
}
