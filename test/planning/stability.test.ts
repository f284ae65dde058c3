import { describe, expect, it } from 'vitest';
import { erlangA, erlangC, requiredAgents } from '../../src/planning/index.js';
import type { ErlangCResult } from '../../src/planning/index.js';

const MINUTE = 60_000;

function expectFinite(r: ErlangCResult): void {
  for (const value of [r.waitProbability, r.meanWaitMs, r.serviceLevel, r.occupancy]) {
    expect(Number.isFinite(value), JSON.stringify(r)).toBe(true);
  }
  for (const share of [r.waitProbability, r.serviceLevel, r.occupancy]) {
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(1);
  }
}

describe('numerical stability at thousands of servers', () => {
  const servers = 5_000;
  // Offered load per server: nearly idle, typical, very close to full, and (Erlang A only) overloaded.
  const loads = [0.0002, 0.8, 0.95, 0.999];

  it.each(loads)('Erlang C with 5,000 servers at %d load per server', (perServer) => {
    const r = erlangC({ arrivalsPerHour: perServer * servers * 60, handleTimeMs: MINUTE, agents: servers, answerWithinMs: 20_000 });
    expectFinite(r);
    expect(r.occupancy).toBeCloseTo(perServer, 12);
  });

  it.each([...loads, 1, 1.5, 4])('Erlang A with 5,000 servers at %d load per server', (perServer) => {
    const r = erlangA({ arrivalsPerHour: perServer * servers * 60, handleTimeMs: MINUTE, agents: servers, answerWithinMs: 20_000, patienceMs: 2 * MINUTE });
    expectFinite(r);
    expect(Number.isFinite(r.abandonProbability)).toBe(true);
    // Carried load never exceeds the servers: P(ab) ≥ 1 − 1/load.
    expect(r.abandonProbability).toBeGreaterThanOrEqual(Math.max(0, 1 - 1 / perServer) - 1e-9);
  });

  it('shows the economies of scale: 5,000 servers at 95 % load rarely keep anyone waiting long', () => {
    const r = erlangC({ arrivalsPerHour: 0.95 * servers * 60, handleTimeMs: MINUTE, agents: servers, answerWithinMs: 20_000 });
    expect(r.waitProbability).toBeLessThan(1e-3);
    expect(r.serviceLevel).toBeGreaterThan(0.999);
  });

  it('Erlang A with very long and very short patience at 5,000 servers', () => {
    for (const patienceMs of [1, 1_000, 1e9]) {
      expectFinite(erlangA({ arrivalsPerHour: 0.99 * servers * 60, handleTimeMs: MINUTE, agents: servers, answerWithinMs: 20_000, patienceMs }));
    }
  });

  it('sizes a peak of 20,000 consultations an hour', () => {
    const c = requiredAgents({ arrivalsPerHour: 20_000, handleTimeMs: 8 * MINUTE, concurrency: 3, target: { serviceLevel: 0.9, withinMs: 30_000 } });
    const a = requiredAgents({ arrivalsPerHour: 20_000, handleTimeMs: 8 * MINUTE, concurrency: 3, patienceMs: 3 * MINUTE, target: { serviceLevel: 0.9, withinMs: 30_000 } });
    // 2,666.7 Erlangs over 3 chats per agent: at least 889 agents for a steady state.
    expect(c.agents).toBeGreaterThanOrEqual(889);
    expect(c.agents).toBeLessThan(950);
    expect(a.agents).toBeLessThanOrEqual(c.agents);
    expectFinite(c);
    expectFinite(a);
  });
});
