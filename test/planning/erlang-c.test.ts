import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangC } from '../../src/planning/index.js';

const MINUTE = 60_000;

/** Erlang C by its textbook definition (Erlang 1917), summed term by term: fine for small n. */
function directErlangC(n: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < n; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / n) * (n / (n - a));
  return top / (sum + top);
}

describe('erlangC', () => {
  // Inputs of the worked example "Erlang C Formula – Made Simple With an Easy Worked Example"
  // (callcentrehelper.com): 100 calls per half hour, 180 s handling, 20 s answer target → 10
  // Erlangs; with 11 agents the article finds a 68.21 % probability that a call waits.
  it('reproduces the callcentrehelper.com worked example (10 Erlangs, 11 agents)', () => {
    const r = erlangC({ arrivalsPerHour: 200, handleTimeMs: 180_000, agents: 11, answerWithinMs: 20_000 });
    expect(r.waitProbability).toBeCloseTo(0.6821, 4);
    expect(r.waitProbability).toBeCloseTo(directErlangC(11, 10), 12);
    // ASA = C·h/(n − a) = 0.6821 × 180 s / 1 ≈ 122.8 s; SL = 1 − C·e^{−(n−a)·20/180} ≈ 39.0 %.
    expect(r.meanWaitMs / 1000).toBeCloseTo(122.78, 2);
    expect(r.serviceLevel).toBeCloseTo(1 - directErlangC(11, 10) * Math.exp(-20 / 180), 12);
    expect(r.serviceLevel).toBeCloseTo(0.3896, 4);
    expect(r.occupancy).toBeCloseTo(10 / 11, 12);
  });

  it('agrees with the term-by-term definition for every staffing of the worked example', () => {
    for (let agents = 11; agents <= 20; agents++) {
      const r = erlangC({ arrivalsPerHour: 200, handleTimeMs: 180_000, agents, answerWithinMs: 20_000 });
      expect(r.waitProbability).toBeCloseTo(directErlangC(agents, 10), 12);
    }
  });

  // M/M/1 closed forms: P(wait) = ρ, Wq = ρ/(μ − λ), P(W ≤ t) = 1 − ρ·e^{−(μ−λ)t}.
  it('matches the M/M/1 closed forms for a single server', () => {
    // λ = 30/h, h = 1 min: μ = 60/h, ρ = 0.5, Wq = 0.5/(30/h) = 1 min.
    const r = erlangC({ arrivalsPerHour: 30, handleTimeMs: MINUTE, agents: 1, answerWithinMs: 30_000 });
    expect(r.waitProbability).toBeCloseTo(0.5, 14);
    expect(r.meanWaitMs).toBeCloseTo(MINUTE, 8);
    expect(r.serviceLevel).toBeCloseTo(1 - 0.5 * Math.exp(-0.5 * 0.5), 14);
    expect(r.occupancy).toBeCloseTo(0.5, 14);
  });

  it('matches the M/M/1 closed forms at any load below one (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 1000, max: 3_600_000, noNaN: true }),
        fc.double({ min: 0, max: 600_000, noNaN: true }),
        (rho, handleTimeMs, answerWithinMs) => {
          const lambdaPerMs = rho / handleTimeMs;
          const muMinusLambda = (1 - rho) / handleTimeMs;
          const r = erlangC({ arrivalsPerHour: lambdaPerMs * 3_600_000, handleTimeMs, agents: 1, answerWithinMs });
          expect(r.waitProbability).toBeCloseTo(rho, 9);
          expect(r.meanWaitMs / (rho / muMinusLambda)).toBeCloseTo(1, 8);
          expect(r.serviceLevel).toBeCloseTo(1 - rho * Math.exp(-muMinusLambda * answerWithinMs), 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('models agents × concurrency servers', () => {
    const shared = { arrivalsPerHour: 300, handleTimeMs: 4 * MINUTE, answerWithinMs: MINUTE };
    expect(erlangC({ ...shared, agents: 9, concurrency: 3 })).toEqual(erlangC({ ...shared, agents: 27 }));
    expect(erlangC({ ...shared, agents: 27, concurrency: 1 })).toEqual(erlangC({ ...shared, agents: 27 }));
  });

  it('answers at once when nobody arrives', () => {
    expect(erlangC({ arrivalsPerHour: 0, handleTimeMs: MINUTE, agents: 1, answerWithinMs: 0 })).toEqual({
      waitProbability: 0,
      meanWaitMs: 0,
      serviceLevel: 1,
      occupancy: 0,
    });
  });

  it('gives the wait probability as the service level of a zero answer time', () => {
    const r = erlangC({ arrivalsPerHour: 200, handleTimeMs: 180_000, agents: 12, answerWithinMs: 0 });
    expect(r.serviceLevel).toBeCloseTo(1 - r.waitProbability, 14);
  });
});
