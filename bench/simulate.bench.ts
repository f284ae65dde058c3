/**
 * A large shop's day through the simulator: 200 agents, 20,000 consultations an hour at the
 * evening peak (about 240,000 in the day), two bound groups, a robot in mixed mode, returning
 * customers, impatient customers and a second shift. Prints simulated consultations per second.
 * Run: `npx vitest bench --run bench/simulate.bench.ts`.
 *
 * The baseline generates the same arrivals and pushes every consultation's events through an
 * event heap of the same shape without a router — the simulator's cost beyond its bookkeeping is
 * the router's.
 */
import { afterAll, bench, describe } from 'vitest';
import { simulate, type Scenario } from '../src/simulate/index.js';
import { EventQueue } from '../src/simulate/_internals/event-queue.js';
import { generateArrivals } from '../src/simulate/_internals/arrivals.js';
import { resolveScenario } from '../src/simulate/scenario.js';

const HOUR = 3_600_000;
/** Consultations per hour of the day, peaking at 20,000 at 20:00. */
const PER_HOUR = [3, 2, 1, 1, 1, 1, 2, 4, 7, 10, 11, 12, 11, 11, 12, 12, 11, 11, 12, 15, 20, 17, 11, 6].map((k) => k * 1_000);

/** The big shop: 160 agents all day, 40 more from 10:00 to 22:00. */
export function bigShop(): Scenario {
  return {
    router: {
      splitMode: 'weighted',
      receptionMode: 'mixed',
      robot: true,
      robotRatio: 0.3,
      groups: [{ id: 'presale', orderStates: ['none', 'unpaid'] }, { id: 'aftersale', orderStates: ['refunding'] }, { id: 'general' }],
    },
    agents: Array.from({ length: 200 }, (_, i) => ({
      id: `agent-${i}`,
      weight: 1 + (i % 3),
      cap: 12,
      groups: [i % 4 === 0 ? 'aftersale' : i % 2 === 0 ? 'presale' : 'general'],
      ...(i >= 160 ? { shifts: [{ from: 10 * HOUR, to: 22 * HOUR }] } : {}),
      replyTimeMs: { kind: 'lognormal', medianMs: 15_000, sigma: 0.6 } as const,
      handleTimeMs: { kind: 'lognormal', medianMs: 240_000, sigma: 0.5 } as const,
    })),
    arrivals: { perHour: PER_HOUR },
    customers: { returningShare: 0.2, patienceMs: { kind: 'exponential', meanMs: 180_000 } },
    robot: { resolveShare: 0.5 },
    durationMs: 24 * HOUR,
    seed: 2026,
  };
}

const scenario = bigShop();
const timings: { ms: number; consultations: number }[] = [];

describe("a large shop's day: 200 agents, 20,000 consultations an hour at peak", () => {
  bench('simulate', () => {
    const t0 = performance.now();
    const result = simulate(scenario);
    timings.push({ ms: performance.now() - t0, consultations: result.consultations.length });
  }, { iterations: 3, warmupIterations: 1, time: 0 });

  bench('baseline: the same arrivals and an event heap, no router', () => {
    const s = resolveScenario(scenario);
    const arrivals = generateArrivals(s);
    const queue = new EventQueue<{ at: number; seq: number }>();
    let handled = 0;
    for (const a of arrivals) {
      while ((queue.peek()?.at ?? Infinity) <= a.at) { queue.pop(); handled++; }
      queue.push({ at: a.at + 15_000, seq: 0 });
      queue.push({ at: a.at + 240_000, seq: 0 });
    }
    while (queue.pop() !== undefined) handled++;
    if (handled < arrivals.length) throw new Error('lost events');
  }, { iterations: 3, warmupIterations: 1, time: 0 });
});

afterAll(() => {
  if (timings.length === 0) return;
  const sorted = [...timings].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)] as { ms: number; consultations: number };
  console.log(`simulate: ${median.consultations.toLocaleString('en-US')} consultations in ${(median.ms / 1000).toFixed(2)} s = ${Math.round((median.consultations / median.ms) * 1000).toLocaleString('en-US')} simulated consultations/s (median of ${timings.length} runs)`);
});
