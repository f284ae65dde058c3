import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangC } from '../../src/planning/index.js';
import type { ErlangCResult } from '../../src/planning/index.js';

const HOUR = 3_600_000;

/** A traffic: handling time, concurrency and offered load per server, plus a target and patience. */
const traffic = fc.record({
  handleTimeMs: fc.double({ min: 1_000, max: 2 * HOUR, noNaN: true }),
  concurrency: fc.integer({ min: 1, max: 5 }),
  agents: fc.integer({ min: 1, max: 300 }),
  loadPerServer: fc.double({ min: 0, max: 0.999, noNaN: true }),
  answerWithinMs: fc.double({ min: 0, max: HOUR, noNaN: true }),
  patienceMs: fc.double({ min: 100, max: 10 * HOUR, noNaN: true }),
});

function expectSane(r: ErlangCResult): void {
  for (const share of [r.waitProbability, r.serviceLevel, r.occupancy]) {
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(1);
  }
  expect(Number.isFinite(r.meanWaitMs)).toBe(true);
  expect(r.meanWaitMs).toBeGreaterThanOrEqual(0);
}

// Tolerances: the figures are exact formulas evaluated in floating point. Erlang C's shares are
// good to 1e-9. Erlang A forms its shares from logs as large as b + c = (load + servers) × patience
// ÷ handling time, and a share carries their rounding: 1e-9 at 350 servers overloaded 2.75× with
// a patience of 36,000 handling times (b + c = 1e8; fast-check seed 101750896), within
// ε·(b + c). So its tolerance grows with b + c.
/** The absolute error an Erlang A share may carry at this traffic. */
function slackA(t: { handleTimeMs: number; agents: number; concurrency: number; patienceMs: number }, arrivalsPerHour: number): number {
  const load = (arrivalsPerHour * t.handleTimeMs) / HOUR;
  return 1e-9 + Number.EPSILON * ((load + t.agents * t.concurrency) * t.patienceMs) / t.handleTimeMs;
}

describe('Erlang C and A properties', () => {
  it('keep every share in [0, 1] and the mean wait finite', () => {
    fc.assert(
      fc.property(traffic, fc.double({ min: 0, max: 3, noNaN: true }), (t, overload) => {
        const servers = t.agents * t.concurrency;
        const arrivalsPerHour = (t.loadPerServer * servers * HOUR) / t.handleTimeMs;
        const shared = { arrivalsPerHour, handleTimeMs: t.handleTimeMs, agents: t.agents, concurrency: t.concurrency, answerWithinMs: t.answerWithinMs };
        expectSane(erlangC(shared));
        // Erlang A also above full load.
        const a = erlangA({ ...shared, arrivalsPerHour: arrivalsPerHour * (1 + overload), patienceMs: t.patienceMs });
        const slack = slackA(t, arrivalsPerHour * (1 + overload));
        expectSane(a);
        expect(a.abandonProbability).toBeGreaterThanOrEqual(0);
        expect(a.abandonProbability).toBeLessThanOrEqual(a.waitProbability + slack);
        expect(a.serviceLevel).toBeLessThanOrEqual(1 - a.abandonProbability + slack);
      }),
      { numRuns: 300 },
    );
  });

  it('improve with every added agent: higher service level, lower wait probability', () => {
    fc.assert(
      fc.property(traffic, fc.double({ min: 0, max: 2, noNaN: true }), (t, overload) => {
        const servers = t.agents * t.concurrency;
        const arrivalsPerHour = (t.loadPerServer * servers * HOUR) / t.handleTimeMs;
        const at = (agents: number) => ({ arrivalsPerHour, handleTimeMs: t.handleTimeMs, agents, concurrency: t.concurrency, answerWithinMs: t.answerWithinMs });
        const c = erlangC(at(t.agents));
        const cMore = erlangC(at(t.agents + 1));
        expect(cMore.serviceLevel).toBeGreaterThanOrEqual(c.serviceLevel - 1e-9);
        expect(cMore.waitProbability).toBeLessThanOrEqual(c.waitProbability + 1e-9);
        expect(cMore.meanWaitMs).toBeLessThanOrEqual(c.meanWaitMs * (1 + 1e-10));

        const heavier = (agents: number) => ({ ...at(agents), arrivalsPerHour: arrivalsPerHour * (1 + overload), patienceMs: t.patienceMs });
        const a = erlangA(heavier(t.agents));
        const aMore = erlangA(heavier(t.agents + 1));
        const slack = slackA({ ...t, agents: t.agents + 1 }, arrivalsPerHour * (1 + overload));
        expect(aMore.serviceLevel).toBeGreaterThanOrEqual(a.serviceLevel - slack);
        expect(aMore.waitProbability).toBeLessThanOrEqual(a.waitProbability + slack);
        expect(aMore.abandonProbability).toBeLessThanOrEqual(a.abandonProbability + slack);
      }),
      { numRuns: 300 },
    );
  });

  it('stay within their slack where the logs are large: seed 101750896 shrunk', () => {
    const t = { handleTimeMs: 1000, concurrency: 2, agents: 175, patienceMs: 35923952.25426432, answerWithinMs: 2.475e-321 };
    const arrivalsPerHour = ((0.9583756697044026 * 350 * HOUR) / 1000) * 2.7498769760095125;
    const a = erlangA({ ...t, arrivalsPerHour });
    const aMore = erlangA({ ...t, agents: 176, arrivalsPerHour });
    // The two service levels differ by rounding alone (about 1e-9), more than 1e-9 allows.
    expect(Math.abs(a.serviceLevel - aMore.serviceLevel)).toBeLessThan(slackA(t, arrivalsPerHour));
    expect(aMore.serviceLevel).toBeGreaterThanOrEqual(a.serviceLevel - slackA({ ...t, agents: 176 }, arrivalsPerHour));
  });

  it('answer more within a longer target', () => {
    fc.assert(
      fc.property(traffic, fc.double({ min: 0, max: HOUR, noNaN: true }), (t, extra) => {
        const servers = t.agents * t.concurrency;
        const shared = { arrivalsPerHour: (t.loadPerServer * servers * HOUR) / t.handleTimeMs, handleTimeMs: t.handleTimeMs, agents: t.agents, concurrency: t.concurrency };
        const c = erlangC({ ...shared, answerWithinMs: t.answerWithinMs });
        expect(erlangC({ ...shared, answerWithinMs: t.answerWithinMs + extra }).serviceLevel).toBeGreaterThanOrEqual(c.serviceLevel - 1e-9);
        const a = erlangA({ ...shared, answerWithinMs: t.answerWithinMs, patienceMs: t.patienceMs });
        expect(erlangA({ ...shared, answerWithinMs: t.answerWithinMs + extra, patienceMs: t.patienceMs }).serviceLevel).toBeGreaterThanOrEqual(a.serviceLevel - slackA(t, shared.arrivalsPerHour));
      }),
      { numRuns: 200 },
    );
  });
});
