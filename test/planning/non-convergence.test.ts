import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { erlangBLadder, logErlangB, logH, NotConvergedError } from '../../src/planning/_internals/special.js';
import { erlangA } from '../../src/planning/index.js';

const MINUTE = 60_000;
// Offered load exactly equal to the servers (2 Erlangs on 2 agents): the Erlang-A sums then
// shrink only like exp(−k²/2c), so a long enough patience needs more terms than the work bound.
const fullLoad = { arrivalsPerHour: 120, handleTimeMs: MINUTE, agents: 2, answerWithinMs: 20_000 };

function thrown(run: () => unknown): RoutingError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RoutingError);
    return error as RoutingError;
  }
  throw new Error('expected a RoutingError');
}

describe('Erlang A with a patience too long to sum', () => {
  it('rejects it as INVALID_ARGUMENT on patienceMs, pointing to Erlang C (power-series path)', () => {
    const error = thrown(() => erlangA({ ...fullLoad, patienceMs: 3e17 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('patienceMs');
    expect(error.message).toMatch(/^Expected `patienceMs` to be a patience that keeps the Erlang-A sums under \d+ terms/);
    expect(error.message).toContain('use erlangC for customers who never give up');
    expect(error.message).toMatch(/got 300000000000000000 \(number\)$/);
  });

  it('rejects it as INVALID_ARGUMENT on patienceMs (continued-fraction path)', () => {
    const error = thrown(() => erlangA({ ...fullLoad, patienceMs: 1e300 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('patienceMs');
  });

  it('a long but summable patience gives figures in [0, 1]', () => {
    const r = erlangA({ ...fullLoad, patienceMs: 3e15 });
    for (const v of [r.waitProbability, r.serviceLevel, r.abandonProbability, r.occupancy]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  // At exactly full load and a patience around 1e21–1e23 ms every figure was NaN: logG(s, x) was
  // called with s = x ≈ 1e16 or more, where `s + 1 === s` in doubles, so `x < s + 1` was false and
  // the continued fraction (meant for x ≥ s + 1) was used; logG(1e19, 1e19) returned NaN.
  it('never returns NaN figures: it either throws RoutingError or returns numbers in [0, 1]', () => {
    let r: ReturnType<typeof erlangA> | undefined;
    try {
      r = erlangA({ ...fullLoad, patienceMs: 3e21 });
    } catch (error) {
      expect(error).toBeInstanceOf(RoutingError);
      return;
    }
    for (const v of [r.waitProbability, r.serviceLevel, r.abandonProbability, r.occupancy]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});

describe('special functions', () => {
  it('Erlang B: no servers always block, no traffic never blocks', () => {
    expect(logErlangB(0, 3)).toBe(0);
    expect(logErlangB(5, 0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('Erlang B matches the closed form for small groups: B(1, a) = a/(1+a), B(2, a) = (a²/2)/(1+a+a²/2)', () => {
    for (const a of [0.1, 1, 7.5]) {
      expect(Math.exp(logErlangB(1, a))).toBeCloseTo(a / (1 + a), 12);
      expect(Math.exp(logErlangB(2, a))).toBeCloseTo((a * a) / 2 / (1 + a + (a * a) / 2), 12);
    }
  });

  it('the Erlang-B ladder of a staffing search gives, in any order of calls, the value of the recursion walked from zero', () => {
    const a = 3000.5;
    const walked: number[] = [0];
    for (let k = 1; k <= 5000; k++) {
      const b = Math.exp(walked[k - 1] as number);
      walked.push(Math.log((a * b) / (k + a * b)));
    }
    const ladder = erlangBLadder(a);
    // Down, up past a rung, across rungs not yet reached, to rung boundaries and back.
    for (const n of [4000, 1, 1023, 1024, 1025, 4999, 2048, 3000, 5000, 0, 2047, 4096]) {
      expect(ladder(n)).toBeCloseTo(walked[n] as number, 9);
      expect(ladder(n)).toBe(logErlangB(n, a));
    }
  });

  it('a series that cannot converge within the work bound throws NotConvergedError', () => {
    let error: unknown;
    try {
      logH(1e13, 1e13);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotConvergedError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('NotConvergedError');
    expect((error as Error).message).toBe('series did not converge');
  });
});
