import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { Prng, STREAMS } from '../../src/simulate/prng.js';

describe('Prng edge cases', () => {
  it('an all-zero state (a fixed point of xoshiro) is replaced, so the generator still moves', () => {
    const rng = new Prng([0, 0, 0, 0]);
    const xs = Array.from({ length: 8 }, () => rng.nextUint32());
    expect(new Set(xs).size).toBeGreaterThan(4);
    for (const x of xs) {
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(2 ** 32);
    }
  });

  it.each([[-1], [1.5], [2 ** 53], [Number.NaN], ['7']])('rejects the seed %s as INVALID_SCENARIO on scenario.seed', (seed) => {
    let error: unknown;
    try {
      Prng.stream(seed as number, STREAMS.arrivals);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).code).toBe('INVALID_SCENARIO');
    expect((error as RoutingError).field).toBe('scenario.seed');
  });

  it('accepts the largest safe integer seed, and it differs from its neighbour', () => {
    const a = Prng.stream(Number.MAX_SAFE_INTEGER, STREAMS.arrivals).nextUint32();
    const b = Prng.stream(Number.MAX_SAFE_INTEGER - 1, STREAMS.arrivals).nextUint32();
    expect(a).not.toBe(b);
  });

  it('next is in [0, 1), nextOpen in (0, 1], below(n) in [0, n)', () => {
    const rng = Prng.stream(9, STREAMS.behaviour);
    for (let i = 0; i < 1_000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      const v = rng.nextOpen();
      expect(v > 0 && v <= 1).toBe(true);
      const k = rng.below(3);
      expect([0, 1, 2]).toContain(k);
    }
  });
});
