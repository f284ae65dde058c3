import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';

/** Routes `n` new customers through a fixed set of non-busy agents and returns who got each. */
function split(weights: number[], n: number, mode: 'weighted' | 'average'): string[] {
  const router = new Router({ splitMode: mode, busyThreshold: 1_000_000, clock: () => 0 });
  weights.forEach((weight, i) => router.upsertAgent({ id: `a${i}`, status: 'online', weight }));
  return Array.from({ length: n }, (_, i) => {
    const d = router.route({ customerId: `c${i}` });
    if (d.kind !== 'agent') throw new Error('expected an agent');
    return d.agentId;
  });
}

describe('fair split (rule 6)', () => {
  it('(P) weighted: on every prefix of n assignments, each count differs from n·wᵢ/Σw by less than 1', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 300 }), (weights, n) => {
        const total = weights.reduce((a, b) => a + b, 0);
        const counts = weights.map(() => 0);
        split(weights, n, 'weighted').forEach((id, k) => {
          counts[Number(id.slice(1))]! += 1;
          weights.forEach((w, i) => expect(Math.abs(counts[i]! - ((k + 1) * w) / total)).toBeLessThan(1));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('(P) weighted: from a weight change on, the changed agent stays within 1 of its share under the new weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 8 }), fc.integer({ min: 0, max: 60 }),
        fc.nat(7), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 200 }),
        (weights, before, which, newWeight, after) => {
          const router = new Router({ splitMode: 'weighted', busyThreshold: 1_000_000, clock: () => 0 });
          weights.forEach((weight, i) => router.upsertAgent({ id: `a${i}`, status: 'online', weight }));
          for (let i = 0; i < before; i++) router.route({ customerId: `b${i}` });
          const changed = `a${which % weights.length}`;
          fc.pre(newWeight !== weights[which % weights.length]);
          router.upsertAgent({ id: changed, weight: newWeight });
          const share = newWeight / (weights.reduce((a, b) => a + b, 0) - (weights[which % weights.length] as number) + newWeight);
          let count = 0;
          for (let k = 1; k <= after; k++) {
            const d = router.route({ customerId: `c${k}` });
            if (d.kind === 'agent' && d.agentId === changed) count++;
            expect(Math.abs(count - k * share)).toBeLessThan(1);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('an agent whose weight goes from 1 to 3 beside a weight-1 agent takes 3 of every 4 from then on', () => {
    const router = new Router({ splitMode: 'weighted', busyThreshold: 1_000_000, clock: () => 0 });
    router.upsertAgent({ id: 'a', status: 'online', weight: 1 });
    router.upsertAgent({ id: 'b', status: 'online', weight: 1 });
    for (let i = 0; i < 3; i++) router.route({ customerId: `before${i}` });
    router.upsertAgent({ id: 'a', weight: 3 });
    let worst = 0;
    let count = 0;
    for (let k = 1; k <= 400; k++) {
      const d = router.route({ customerId: `after${k}` });
      if (d.kind === 'agent' && d.agentId === 'a') count++;
      worst = Math.max(worst, Math.abs(count - (3 * k) / 4));
    }
    expect(worst).toBeLessThan(1);
  });

  it('weights 1,1,1,9,9,9 (where smooth weighted round robin lags 1.1) stay within 1', () => {
    const weights = [1, 1, 1, 9, 9, 9];
    const counts = weights.map(() => 0);
    let worst = 0;
    split(weights, 3000, 'weighted').forEach((id, k) => {
      counts[Number(id.slice(1))]! += 1;
      weights.forEach((w, i) => { worst = Math.max(worst, Math.abs(counts[i]! - ((k + 1) * w) / 30)); });
    });
    expect(worst).toBeLessThan(1);
  });

  it('(P) average: counts never differ by more than 1, whatever the weights say', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 200 }), (weights, n) => {
        const counts = new Map(weights.map((_, i) => [`a${i}`, 0]));
        for (const id of split(weights, n, 'average')) {
          counts.set(id, (counts.get(id) ?? 0) + 1);
          expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('(P) an agent that comes online, returns from suspension or leaves the busy tier joins at the fair position', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom('online', 'unsuspend', 'unbusy'),
        fc.integer({ min: 1, max: 120 }),
        (weights, newWeight, away, how, m) => {
          const router = new Router({ splitMode: 'weighted', busyThreshold: 3, clock: () => 0 });
          weights.forEach((weight, i) => router.upsertAgent({ id: `a${i}`, status: 'online', weight }));
          router.upsertAgent({ id: 'x', weight: newWeight, status: how === 'online' ? 'offline' : how === 'unsuspend' ? 'suspended' : 'online', pending: how === 'unbusy' ? 9 : 0 });
          const route = (c: string): string => {
            const d = router.route({ customerId: c });
            if (d.kind !== 'agent') throw new Error('expected an agent');
            router.setPending(d.agentId, 0); // everyone replies at once: nobody turns busy by load
            return d.agentId;
          };
          for (let i = 0; i < away; i++) expect(route(`away-${i}`)).not.toBe('x');
          if (how === 'unbusy') router.setPending('x', 0);
          else router.setStatus('x', 'online');
          const total = weights.reduce((a, b) => a + b, 0) + newWeight;
          let got = 0;
          for (let k = 1; k <= m; k++) {
            if (route(`back-${k}`) === 'x') got++;
            // No catch-up burst and no starvation: within 1 of its fair share of what came since.
            expect(got).toBeLessThan((k * newWeight) / total + 1);
            expect(got).toBeGreaterThan((k * newWeight) / total - 1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('(P) mixed: the robot\'s count stays within 1 of n·robotRatio on every prefix', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 400 }), (ratio, n) => {
        const router = new Router({ robot: true, receptionMode: 'mixed', robotRatio: ratio, clock: () => 0 });
        router.upsertAgent({ id: 'a', status: 'online' });
        let robots = 0;
        for (let k = 1; k <= n; k++) {
          if (router.route({ customerId: `c${k}` }).kind === 'robot') robots++;
          expect(Math.abs(robots - k * ratio)).toBeLessThan(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
