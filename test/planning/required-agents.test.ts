import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangC, requiredAgents } from '../../src/planning/index.js';
import { bruteForceErlangA } from './_oracle.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('requiredAgents', () => {
  it('sizes the worked example by Erlang C: 14 agents for 80 % within 20 s', () => {
    // 10 Erlangs (callcentrehelper.com example): 13 agents answer 79.6 %, 14 answer 88.8 %.
    const staffing = requiredAgents({ arrivalsPerHour: 200, handleTimeMs: 180_000, target: { serviceLevel: 0.8, withinMs: 20_000 } });
    expect(staffing).toMatchObject({ model: 'erlang-c', agents: 14, servers: 14, offeredLoad: 10 });
    expect(staffing.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(erlangC({ arrivalsPerHour: 200, handleTimeMs: 180_000, agents: 13, answerWithinMs: 20_000 }).serviceLevel).toBeLessThan(0.8);
  });

  it('counts concurrent chats as servers', () => {
    const staffing = requiredAgents({ arrivalsPerHour: 300, handleTimeMs: 4 * MINUTE, concurrency: 3, target: { serviceLevel: 0.9, withinMs: MINUTE } });
    expect(staffing).toMatchObject({ model: 'erlang-c', agents: 9, servers: 27, offeredLoad: 20 });
  });

  it('uses Erlang A when patience is given, and needs no more agents than Erlang C', () => {
    const input = { arrivalsPerHour: 300, handleTimeMs: 4 * MINUTE, concurrency: 3, target: { serviceLevel: 0.9, withinMs: MINUTE } };
    const withPatience = requiredAgents({ ...input, patienceMs: 2 * MINUTE });
    expect(withPatience.model).toBe('erlang-a');
    if (withPatience.model !== 'erlang-a') return;
    // The birth–death chain (20 Erlangs, 3 servers an agent, r = 4 min / 2 min, 60 s = 0.25 handling
    // times): 8 agents answer 90 % within the minute, 7 do not.
    expect(bruteForceErlangA(24, 20, 2, 0.25).serviceLevel).toBeGreaterThanOrEqual(0.9);
    expect(bruteForceErlangA(21, 20, 2, 0.25).serviceLevel).toBeLessThan(0.9);
    expect(withPatience.agents).toBe(8);
    expect(withPatience.abandonProbability).toBeGreaterThan(0);
    expect(withPatience.agents).toBeLessThanOrEqual(requiredAgents(input).agents);
  });

  it('needs one agent when nobody arrives', () => {
    expect(requiredAgents({ arrivalsPerHour: 0, handleTimeMs: MINUTE, target: { serviceLevel: 0.99, withinMs: 0 } }).agents).toBe(1);
    expect(requiredAgents({ arrivalsPerHour: 0, handleTimeMs: MINUTE, patienceMs: MINUTE, target: { serviceLevel: 0.99, withinMs: 0 } }).agents).toBe(1);
  });

  it('returns the smallest count: n meets the target and n − 1 does not (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 20_000, noNaN: true }),
        fc.double({ min: 5_000, max: HOUR, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.double({ min: 1_000, max: 2 * HOUR, noNaN: true }), { nil: undefined }),
        fc.double({ min: 0.05, max: 0.995, noNaN: true }),
        fc.double({ min: 0, max: 10 * MINUTE, noNaN: true }),
        (arrivalsPerHour, handleTimeMs, concurrency, patienceMs, serviceLevel, withinMs) => {
          const target = { serviceLevel, withinMs };
          const staffing = requiredAgents({ arrivalsPerHour, handleTimeMs, concurrency, target, ...(patienceMs === undefined ? {} : { patienceMs }) });
          expect(staffing.model).toBe(patienceMs === undefined ? 'erlang-c' : 'erlang-a');
          expect(staffing.servers).toBe(staffing.agents * concurrency);
          expect(staffing.serviceLevel).toBeGreaterThanOrEqual(serviceLevel);
          const at = (agents: number) => ({ arrivalsPerHour, handleTimeMs, agents, concurrency, answerWithinMs: withinMs });
          const n = staffing.agents;
          const again = patienceMs === undefined ? erlangC(at(n)) : erlangA({ ...at(n), patienceMs });
          expect(again.serviceLevel).toBe(staffing.serviceLevel);
          if (n === 1) return;
          const offeredLoad = (arrivalsPerHour * handleTimeMs) / HOUR;
          if (patienceMs === undefined) {
            // One agent fewer either has no steady state or misses the target.
            if ((n - 1) * concurrency <= offeredLoad) return;
            expect(erlangC(at(n - 1)).serviceLevel).toBeLessThan(serviceLevel);
          } else {
            expect(erlangA({ ...at(n - 1), patienceMs }).serviceLevel).toBeLessThan(serviceLevel);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the edges of the staffing search', () => {
  it('a target met exactly is met: the count that reaches it, not one more', () => {
    // 10 Erlangs: 11 agents are the fewest with a steady state, and answer 39 % within 20 s.
    const base = { arrivalsPerHour: 200, handleTimeMs: 3 * MINUTE };
    const reached = erlangC({ ...base, agents: 11, answerWithinMs: 20_000 }).serviceLevel;
    expect(requiredAgents({ ...base, target: { serviceLevel: reached, withinMs: 20_000 } }).agents).toBe(11);
  });

  it('takes up to 10 million servers (agents × concurrency) and refuses one more', () => {
    const base = { arrivalsPerHour: 10, handleTimeMs: MINUTE, answerWithinMs: 0 };
    expect(erlangC({ ...base, agents: 1, concurrency: 10_000_000 }).serviceLevel).toBe(1);
    expect(erlangC({ ...base, agents: 10, concurrency: 1_000_000 }).serviceLevel).toBe(1);
    expect(() => erlangC({ ...base, agents: 11, concurrency: 1_000_000 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'agents' }));
    expect(() => erlangC({ ...base, agents: 1, concurrency: 10_000_001 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'concurrency' }));
    const one = requiredAgents({ arrivalsPerHour: 10, handleTimeMs: MINUTE, concurrency: 10_000_000, target: { serviceLevel: 0.9, withinMs: 0 } });
    expect([one.agents, one.servers]).toEqual([1, 10_000_000]);
  });
});
