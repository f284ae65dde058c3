import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangC } from '../../src/planning/index.js';
import { bruteForceErlangA } from './_oracle.js';

const MINUTE = 60_000;

describe('erlangA', () => {
  // n servers, offered load a, abandonment rate r per handling time, answer target t in handling times.
  const cases = [
    { name: 'a single server', n: 1, a: 0.8, r: 0.5, t: 0.3 },
    { name: 'a single server above full load', n: 1, a: 1.7, r: 1, t: 0.5 },
    { name: '5 servers above full load', n: 5, a: 6, r: 0.5, t: 0.2 },
    { name: '10 servers, impatient customers', n: 10, a: 8, r: 2, t: 0.1 },
    { name: '3 servers, patient customers', n: 3, a: 2.5, r: 0.05, t: 1 },
    { name: '20 servers, patience equal to handling time', n: 20, a: 18, r: 1, t: 0.05 },
  ];

  it.each(cases)('matches a brute-force birth–death chain: $name', ({ n, a, r, t }) => {
    const handleTimeMs = 4 * MINUTE;
    const got = erlangA({
      arrivalsPerHour: (a * 3_600_000) / handleTimeMs,
      handleTimeMs,
      agents: n,
      answerWithinMs: t * handleTimeMs,
      patienceMs: handleTimeMs / r,
    });
    const want = bruteForceErlangA(n, a, r, t);
    expect(got.waitProbability).toBeCloseTo(want.waitProbability, 10);
    expect(got.abandonProbability).toBeCloseTo(want.abandonProbability, 10);
    expect(got.meanWaitMs / handleTimeMs).toBeCloseTo(want.meanWait, 9);
    expect(got.serviceLevel).toBeCloseTo(want.serviceLevel, 9);
    expect(got.occupancy).toBeCloseTo((a * (1 - want.abandonProbability)) / n, 10);
  });

  it('refuses a patience so short that the handling time is no finite multiple of it, with or without arrivals', () => {
    for (const arrivalsPerHour of [0, 60]) {
      expect(() => erlangA({ arrivalsPerHour, handleTimeMs: 60_000, agents: 1, answerWithinMs: 0, patienceMs: 1e-304 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'patienceMs' }));
    }
  });

  it('keeps every server busy under any overload (occupancy did cancel to 0 at ten billion an hour)', () => {
    for (const arrivalsPerHour of [1e6, 1e8, 1e10, 1e12]) {
      const r = erlangA({ arrivalsPerHour, handleTimeMs: 60_000, agents: 1, answerWithinMs: 0, patienceMs: 60_000 });
      expect(r.waitProbability).toBeCloseTo(1, 6);
      expect(r.occupancy).toBeCloseTo(1, 6);
    }
  });

  it('reduces to Erlang C as patience grows without bound', () => {
    const shared = { arrivalsPerHour: 200, handleTimeMs: 180_000, agents: 11, answerWithinMs: 20_000 };
    const c = erlangC(shared);
    let previousGap = Number.POSITIVE_INFINITY;
    for (const patienceMs of [1e8, 1e10, 1e12, 1e14]) {
      const a = erlangA({ ...shared, patienceMs });
      const gap = Math.abs(a.waitProbability - c.waitProbability) + Math.abs(a.serviceLevel - c.serviceLevel);
      expect(gap).toBeLessThan(previousGap);
      previousGap = gap;
    }
    const a = erlangA({ ...shared, patienceMs: 1e14 });
    expect(a.waitProbability).toBeCloseTo(c.waitProbability, 8);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 8);
    expect(a.meanWaitMs / c.meanWaitMs).toBeCloseTo(1, 6);
    expect(a.occupancy).toBeCloseTo(c.occupancy, 8);
    expect(a.abandonProbability).toBeLessThan(1e-8);
  });

  it('loses more customers as patience shrinks', () => {
    const shared = { arrivalsPerHour: 300, handleTimeMs: 4 * MINUTE, agents: 7, concurrency: 3, answerWithinMs: MINUTE };
    const abandonment = [10 * MINUTE, 5 * MINUTE, 2 * MINUTE, MINUTE, 10_000, 1_000].map(
      (patienceMs) => erlangA({ ...shared, patienceMs }).abandonProbability,
    );
    for (let i = 1; i < abandonment.length; i++) expect(abandonment[i]).toBeGreaterThan(abandonment[i - 1] ?? 1);
  });

  it('loses more customers as patience shrinks (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        fc.double({ min: 1.01, max: 10, noNaN: true }),
        (agents, loadPerAgent, patienceInHandleTimes, shrink) => {
          const handleTimeMs = 5 * MINUTE;
          const shared = { arrivalsPerHour: (agents * loadPerAgent * 3_600_000) / handleTimeMs, handleTimeMs, agents, answerWithinMs: MINUTE };
          const patient = erlangA({ ...shared, patienceMs: patienceInHandleTimes * handleTimeMs });
          const impatient = erlangA({ ...shared, patienceMs: (patienceInHandleTimes * handleTimeMs) / shrink });
          expect(impatient.abandonProbability).toBeGreaterThanOrEqual(patient.abandonProbability - 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('has a steady state above full load, where at least the excess gives up', () => {
    const r = erlangA({ arrivalsPerHour: 600, handleTimeMs: 6 * MINUTE, agents: 30, answerWithinMs: 20_000, patienceMs: 3 * MINUTE });
    // 60 Erlangs offered to 30 servers: at most 30 can be carried, so P(ab) ≥ 1 − 30/60.
    expect(r.abandonProbability).toBeGreaterThanOrEqual(0.5);
    expect(r.abandonProbability).toBeLessThan(0.6);
    expect(r.occupancy).toBeLessThanOrEqual(1);
    expect(r.waitProbability).toBeGreaterThan(0.99);
  });

  it('loses exactly the excess above full load when customers wait almost for ever, however long their patience', () => {
    // With every server busy and patience θ → 0, the carried load tends to n: P(ab) → 1 − n/a from
    // above. The figures once lost digits with every power of ten of patience × servers (0.49989
    // for 0.5 at 10¹³, and a carried load above the servers).
    for (const [agents, load] of [[1, 3], [10, 2], [100, 1.2]] as const) {
      for (const patienceHandles of [1e4, 1e8, 1e12]) {
        const r = erlangA({ arrivalsPerHour: agents * load * 15, handleTimeMs: 4 * MINUTE, agents, answerWithinMs: 0, patienceMs: 4 * MINUTE * patienceHandles });
        expect(r.abandonProbability).toBeGreaterThanOrEqual(1 - 1 / load - 1e-12);
        expect(r.abandonProbability).toBeLessThan(1 - 1 / load + 1e-9);
      }
    }
  });

  it('counts as on time only those answered, never those who left early', () => {
    // Patience far below the answer target: most who wait leave before being answered.
    const r = erlangA({ arrivalsPerHour: 200, handleTimeMs: 180_000, agents: 10, answerWithinMs: 10 * MINUTE, patienceMs: 5_000 });
    expect(r.serviceLevel).toBeLessThanOrEqual(1 - r.abandonProbability + 1e-12);
  });
});
