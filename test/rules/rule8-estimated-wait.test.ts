import { describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';
import { Prng } from '../../src/simulate/prng.js';

/**
 * A shop under load, run as a discrete-event simulation on the router alone: Poisson arrivals,
 * exponential chat durations, agents with a cap. Every consultation that queues is asked its
 * estimated wait the moment it queues, and its actual wait is recorded when it is served.
 */
function run(seed: number, agents: number, cap: number, arrivalsPerMin: number, meanChatMin: number, minutes: number): { estimate: number; actual: number }[] {
  const rng = Prng.stream(seed, 7);
  const exp = (mean: number): number => -Math.log(1 - rng.next()) * mean;
  let now = 0;
  const router = new Router({ clock: () => now });
  for (let i = 0; i < agents; i++) router.upsertAgent({ id: `a${i}`, status: 'online', cap });
  const ends: { at: number; customerId: string }[] = [];
  const queuedAt = new Map<string, { at: number; estimate: number | undefined }>();
  const pairs: { estimate: number; actual: number }[] = [];
  const started = (customerId: string): void => {
    const q = queuedAt.get(customerId);
    if (q !== undefined) {
      if (q.estimate !== undefined && now > 10 * 60_000) pairs.push({ estimate: q.estimate, actual: now - q.at });
      queuedAt.delete(customerId);
    }
    ends.push({ at: now + exp(meanChatMin * 60_000), customerId });
    ends.sort((a, b) => a.at - b.at);
  };
  let next = exp(60_000 / arrivalsPerMin);
  for (let k = 0; now < minutes * 60_000; k++) {
    if (ends.length > 0 && (ends[0] as { at: number }).at < next) {
      const e = ends.shift() as { at: number; customerId: string };
      now = e.at;
      for (const d of router.end(e.customerId)) started(d.customerId);
      continue;
    }
    now = next;
    next = now + exp(60_000 / arrivalsPerMin);
    const d = router.route({ customerId: `c${k}` });
    if (d.kind === 'agent') started(d.customerId);
    else queuedAt.set(d.customerId, { at: now, estimate: router.queue().find((q) => q.customerId === d.customerId)?.estimatedWaitMs });
  }
  return pairs;
}

describe('rule 8: the estimated wait', () => {
  it.each([
    ['a busy shop (load 0.95)', 5, 3, 2.85, 5],
    ['an overloaded hour (load 1.1)', 10, 2, 4.4, 5],
  ])('in %s, the estimate made at queueing is on average within a quarter of the wait that followed', (_name, agents, cap, rate, chat) => {
    const pairs = run(7, agents, cap, rate, chat, 24 * 60);
    expect(pairs.length).toBeGreaterThan(200);
    const meanEstimate = pairs.reduce((s, p) => s + p.estimate, 0) / pairs.length;
    const meanActual = pairs.reduce((s, p) => s + p.actual, 0) / pairs.length;
    const meanAbsError = pairs.reduce((s, p) => s + Math.abs(p.estimate - p.actual), 0) / pairs.length;
    console.log(`${_name}: ${pairs.length} queued; mean estimate ${(meanEstimate / 1000).toFixed(1)} s, mean actual wait ${(meanActual / 1000).toFixed(1)} s, mean absolute error ${(meanAbsError / 1000).toFixed(1)} s`);
    expect(Math.abs(meanEstimate - meanActual) / meanActual).toBeLessThan(0.25);
  });
});
