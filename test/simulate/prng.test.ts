import { describe, expect, it } from 'vitest';
import { checkDistribution, meanOf, sample, type Distribution } from '../../src/simulate/distributions.js';
import { Prng, STREAMS } from '../../src/simulate/prng.js';

describe('Prng', () => {
  it('replays the same numbers for the same seed and stream', () => {
    const a = Prng.stream(42, STREAMS.arrivals);
    const b = Prng.stream(42, STREAMS.arrivals);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
  });

  it('gives unrelated sequences for other seeds, streams and consultations', () => {
    const first = (p: Prng): number[] => Array.from({ length: 4 }, () => p.nextUint32());
    const seen = new Set([
      first(Prng.stream(1, STREAMS.arrivals)), first(Prng.stream(2, STREAMS.arrivals)), first(Prng.forConsultation(1, 2)),
      first(Prng.forConsultation(1, 0)), first(Prng.forConsultation(1, 1)), first(Prng.stream(2 ** 40, STREAMS.arrivals)),
    ].map((xs) => xs.join()));
    expect(seen.size).toBe(6);
  });

  it('is uniform in [0, 1): mean and variance of 200,000 draws', () => {
    const p = Prng.stream(7, 1);
    let sum = 0;
    let sq = 0;
    let min = 1;
    let max = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = p.next();
      if (u < min) min = u;
      if (u > max) max = u;
      sum += u;
      sq += u * u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
  });
});

describe('distributions', () => {
  const cases: Distribution[] = [
    { kind: 'fixed', ms: 1234 },
    { kind: 'exponential', meanMs: 60_000 },
    { kind: 'lognormal', medianMs: 20_000, sigma: 0.6 },
    { kind: 'uniform', minMs: 1_000, maxMs: 9_000 },
  ];
  it.each(cases)('%j: the sample mean matches the mean within 2 %', (d) => {
    const p = Prng.stream(3, 1);
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) sum += sample(checkDistribution('d', d), p);
    expect(Math.abs(sum / n / meanOf(d) - 1)).toBeLessThan(0.02);
  });

  it('the lognormal median is medianMs', () => {
    const p = Prng.stream(4, 1);
    const xs = Array.from({ length: 20_001 }, () => sample({ kind: 'lognormal', medianMs: 20_000, sigma: 0.8 }, p)).sort((a, b) => a - b);
    expect((xs[10_000] as number) / 20_000).toBeCloseTo(1, 1);
  });
});
