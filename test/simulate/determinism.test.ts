import { describe, expect, it } from 'vitest';
import { compare, demoScenario, simulate, type Scenario } from '../../src/simulate/index.js';

const HOUR = 3_600_000;

function small(seed: number): Scenario {
  return {
    router: { groups: [{ id: 'jia', orderStates: ['none', 'unshipped', 'shipped'] }, { id: 'yi' }] },
    agents: [
      { id: 'A', cap: 4, groups: ['jia'], shifts: [{ from: 0, to: 5 * HOUR }] },
      { id: 'B', cap: 4, groups: ['yi'], shifts: [{ from: HOUR, to: 6 * HOUR }] },
    ],
    arrivals: { perHour: 50 },
    customers: { returningShare: 0.3, patienceMs: { kind: 'exponential', meanMs: 120_000 } },
    durationMs: 6 * HOUR,
    seed,
  };
}

const arrivalsOf = (s: Scenario): string => JSON.stringify(simulate(s).consultations.map((c) => [c.arrivedAt, c.customerId, c.orderState]));

describe('determinism', () => {
  it('the same scenario and seed give a byte-identical result', () => {
    const a = JSON.stringify(simulate(demoScenario()));
    const b = JSON.stringify(simulate(demoScenario()));
    expect(a.length).toBeGreaterThan(10_000);
    expect(a === b).toBe(true);
  });

  it('the result is plain data: JSON round-trips it except the metrics Map', () => {
    const result = simulate(small(3));
    const { metrics: _metrics, ...plain } = result;
    expect(JSON.parse(JSON.stringify(plain))).toEqual(plain);
  });

  it('different seeds give different arrivals', () => {
    expect(arrivalsOf(small(1))).not.toBe(arrivalsOf(small(2)));
  });

  it('a policy variant sees the same arrivals as the base', () => {
    const scenario = { ...small(5), customers: { patienceMs: { kind: 'exponential', meanMs: 120_000 } as const } };
    const { runs } = compare(scenario, { weighted: { router: { splitMode: 'weighted', busyThreshold: 1 } }, 'one agent': { agents: [{ id: 'A', cap: 2 }] } });
    const seen = runs.map((r) => JSON.stringify(r.result.consultations.map((c) => [c.arrivedAt, c.customerId, c.orderState])));
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    // …while the routing differs.
    expect(runs[2]?.figures.agents.map((a) => a.agentId)).toEqual(['A']);
  });

  it('the arrivals do not depend on the agents, the router or the robot', () => {
    const base = small(9);
    const other: Scenario = { ...base, router: { robot: true, receptionMode: 'robot-first' }, robot: { resolveShare: 0.5 }, agents: [{ id: 'solo', cap: 1 }] };
    const times = (s: Scenario): number[] => simulate(s).events.filter((e) => e.type === 'customer-message').map((e) => e.at);
    expect(times(other)).toEqual(times(base));
  });
});
