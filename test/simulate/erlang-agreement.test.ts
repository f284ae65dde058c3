import { describe, expect, it } from 'vitest';
import { erlangA, erlangC } from '../../src/planning/index.js';
import { simulate, type Scenario } from '../../src/simulate/index.js';
import { batchMeans, waitOf } from './_batch.js';

const HOUR = 3_600_000;
/** Standard errors allowed between the simulation and the formula: a 1-in-15,000 miss by chance for a normal estimate. */
const Z = 4;
const BATCHES = 20;

/** M/M/(agents × concurrency): Poisson arrivals, exponential handling, one group, average split, cap = concurrency, a queue. */
function queueing(o: { arrivalsPerHour: number; handleTimeMs: number; agents: number; concurrency: number; hours: number; seed: number; patienceMs?: number }): Scenario {
  return {
    router: { splitMode: 'average', noAgent: 'queue' },
    agents: Array.from({ length: o.agents }, (_, i) => ({
      id: `a${i}`,
      cap: o.concurrency,
      // The reply is immediate, so a consultation's wait is its time in the queue, as in the model.
      replyTimeMs: { kind: 'fixed', ms: 0 } as const,
      handleTimeMs: { kind: 'exponential', meanMs: o.handleTimeMs } as const,
    })),
    arrivals: { perHour: o.arrivalsPerHour },
    ...(o.patienceMs === undefined ? {} : { customers: { patienceMs: { kind: 'exponential', meanMs: o.patienceMs } as const } }),
    durationMs: o.hours * HOUR,
    seed: o.seed,
    sampleEveryMs: HOUR,
  };
}

/** Runs the scenario and measures after a warm-up of a tenth, leaving the last hour for the last arrivals to be served. */
function measure(s: Scenario) {
  const result = simulate(s);
  const warmUp = s.durationMs / 10;
  const end = s.durationMs - HOUR;
  return {
    result,
    waitProbability: batchMeans(result, warmUp, end, BATCHES, (c) => (waitOf(c) > 0 ? 1 : 0)),
    meanWaitMs: batchMeans(result, warmUp, end, BATCHES, waitOf),
    abandoned: batchMeans(result, warmUp, end, BATCHES, (c) => (c.outcome === 'abandoned' ? 1 : 0)),
  };
}

const cases = [
  // name, arrivals/h, handle, agents, concurrency, hours: ρ = 0.75, 0.85 and 0.9.
  { name: 'single server (M/M/1)', arrivalsPerHour: 45, handleTimeMs: 60_000, agents: 1, concurrency: 1, hours: 2_000, seed: 11 },
  { name: '5 servers (M/M/5)', arrivalsPerHour: 85, handleTimeMs: 180_000, agents: 5, concurrency: 1, hours: 1_500, seed: 12 },
  { name: '50 servers (10 agents × 5 chats)', arrivalsPerHour: 540, handleTimeMs: 300_000, agents: 10, concurrency: 5, hours: 300, seed: 13 },
];

describe('the simulator agrees with Erlang C', () => {
  for (const c of cases) {
    it(`${c.name}: wait probability and mean wait`, () => {
      const { waitProbability, meanWaitMs } = measure(queueing(c));
      const theory = erlangC({ arrivalsPerHour: c.arrivalsPerHour, handleTimeMs: c.handleTimeMs, agents: c.agents, concurrency: c.concurrency, answerWithinMs: 60_000 });
      console.log(`${c.name}: P(wait) sim ${waitProbability.mean.toFixed(4)} ± ${waitProbability.se.toFixed(4)} vs Erlang C ${theory.waitProbability.toFixed(4)}; mean wait sim ${(meanWaitMs.mean / 1000).toFixed(2)} s ± ${(meanWaitMs.se / 1000).toFixed(2)} vs ${(theory.meanWaitMs / 1000).toFixed(2)} s`);
      expect(Math.abs(waitProbability.mean - theory.waitProbability)).toBeLessThan(Z * waitProbability.se);
      expect(Math.abs(meanWaitMs.mean - theory.meanWaitMs)).toBeLessThan(Z * meanWaitMs.se);
    });
  }
});

describe('the simulator agrees with Erlang A', () => {
  it('5 servers, overloaded (ρ = 1.1), exponential patience: abandonment and wait probability', () => {
    const c = { arrivalsPerHour: 110, handleTimeMs: 180_000, agents: 5, concurrency: 1, hours: 1_500, seed: 14, patienceMs: 120_000 };
    const { abandoned, waitProbability, result } = measure(queueing(c));
    const { hours: _hours, seed: _seed, ...traffic } = c;
    const theory = erlangA({ ...traffic, answerWithinMs: 60_000 });
    console.log(`Erlang A: abandonment sim ${abandoned.mean.toFixed(4)} ± ${abandoned.se.toFixed(4)} vs ${theory.abandonProbability.toFixed(4)}; P(wait) sim ${waitProbability.mean.toFixed(4)} ± ${waitProbability.se.toFixed(4)} vs ${theory.waitProbability.toFixed(4)}`);
    expect(result.summary.abandonments).toBeGreaterThan(0);
    expect(Math.abs(abandoned.mean - theory.abandonProbability)).toBeLessThan(Z * abandoned.se);
    expect(Math.abs(waitProbability.mean - theory.waitProbability)).toBeLessThan(Z * waitProbability.se);
  });
});
