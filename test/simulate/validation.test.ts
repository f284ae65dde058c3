import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { compare, simulate, type Scenario } from '../../src/simulate/index.js';

const ok: Scenario = { router: {}, agents: [{ id: 'a' }], arrivals: { perHour: 10 }, durationMs: 3_600_000, seed: 1 };

function fails(patch: Record<string, unknown>, field: string): void {
  try {
    simulate({ ...ok, ...patch } as unknown as Scenario);
  } catch (error) {
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).code).toBe('INVALID_SCENARIO');
    expect((error as RoutingError).field).toBe(field);
    return;
  }
  throw new Error(`expected ${JSON.stringify(patch)} to be rejected`);
}

describe('scenario validation: INVALID_SCENARIO naming the field', () => {
  it.each([
    [{ durationMs: 0 }, 'scenario.durationMs'],
    [{ seed: -1 }, 'scenario.seed'],
    [{ seed: 1.5 }, 'scenario.seed'],
    [{ agents: 'a' }, 'scenario.agents'],
    [{ agents: [{ id: 'a' }, { id: 'a' }] }, 'scenario.agents[1].id'],
    [{ agents: [{ id: 'a', replyTimeMs: { kind: 'gamma' } }] }, 'scenario.agents[0].replyTimeMs.kind'],
    [{ agents: [{ id: 'a', handleTimeMs: { kind: 'exponential', meanMs: -1 } }] }, 'scenario.agents[0].handleTimeMs.meanMs'],
    [{ agents: [{ id: 'a', handleTimeMs: { kind: 'uniform', minMs: 5, maxMs: 1 } }] }, 'scenario.agents[0].handleTimeMs.maxMs'],
    [{ agents: [{ id: 'a', shifts: [{ from: 10, to: 5 }] }] }, 'scenario.agents[0].shifts[0].to'],
    [{ agents: [{ id: 'a', weight: -1 }] }, 'scenario.agents[0]'],
    [{ agents: [{ id: 'a', groups: ['nope'] }] }, 'scenario.agents[0]'],
    [{ agents: [{ id: 'a', skill: 3 }] }, 'scenario.agents[0].skill'],
    [{ arrivals: { perHour: -3 } }, 'scenario.arrivals.perHour'],
    [{ arrivals: { perHour: [1, 2, 3] } }, 'scenario.arrivals.perHour'],
    [{ arrivals: {} }, 'scenario.arrivals'],
    [{ arrivals: { trace: [{ at: 5, customerId: 'x' }, { at: 1, customerId: 'y' }] } }, 'scenario.arrivals.trace[1].at'],
    [{ arrivals: { trace: [{ at: 1, customerId: 'x', orderState: 'lost' }] } }, 'scenario.arrivals.trace[0].orderState'],
    [{ customers: { returningShare: 2 } }, 'scenario.customers.returningShare'],
    [{ customers: { orderStates: { lost: 1 } } }, 'scenario.customers.orderStates'],
    [{ customers: { orderStates: { none: 0 } } }, 'scenario.customers.orderStates'],
    [{ robot: { resolveShare: 1.5 } }, 'scenario.robot.resolveShare'],
    [{ router: { splitMode: 'random' } }, 'scenario.router'],
    [{ sampleEveryMs: 1 }, 'scenario.sampleEveryMs'],
    [{ extra: true }, 'scenario.extra'],
  ])('%j', (patch, field) => fails(patch, field));

  it('a message says what was expected and what came in', () => {
    expect(() => simulate({ ...ok, durationMs: -5 })).toThrow('Expected `scenario.durationMs` to be a number in (0, 315360000000] (ten years), got -5 (number)');
    expect(() => simulate({ ...ok, arrivals: { perHour: 1e6 }, durationMs: 3_600_000 })).toThrow(/at most 500000 arrivals over durationMs \(the result keeps every consultation\), 1000000 expected, got 1000000 \(number\)$/);
    expect(() => simulate({ ...ok, arrivals: { perHour: 1e308 }, durationMs: 7_200_000 })).toThrow(/, more than a number can hold expected, got 1e\+308 \(number\)$/);
  });

  it('compare names the variant at fault and reserves the name base', () => {
    expect(() => compare(ok, { bad: { durationMs: -1 } })).toThrow(/In variant "bad": Expected `scenario.durationMs`/);
    expect(() => compare(ok, { base: {} })).toThrow(RoutingError);
  });
});
