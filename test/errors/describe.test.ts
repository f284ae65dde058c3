import { describe as group, expect, it } from 'vitest';
import { describe, expected, RoutingError } from '../../src/errors.js';
import { Router } from '../../src/index.js';
import { computeMetrics, toEvents } from '../../src/metrics/index.js';
import { checkScenario } from '../../src/simulate/scenario.js';

/** The error `f` throws (a test fails if it throws none). */
function message(f: () => unknown): RoutingError {
  try {
    f();
  } catch (e) {
    return e as RoutingError;
  }
  throw new Error('expected a throw');
}

group('describe(): how error messages show the value that came in', () => {
  it('shows a short string whole, quoted', () => {
    expect(describe('x'.repeat(60))).toBe(`"${'x'.repeat(60)}" (string)`);
  });

  it('cuts a string longer than 60 characters to 57 and an ellipsis', () => {
    expect(describe('y'.repeat(61))).toBe(`"${'y'.repeat(57)}..." (string)`);
  });

  it('shows numbers, booleans and bigints with their type', () => {
    expect(describe(-1)).toBe('-1 (number)');
    expect(describe(false)).toBe('false (boolean)');
    expect(describe(10n)).toBe('10 (bigint)');
  });

  it('names functions, arrays (with their length), null, undefined and other objects without dumping them', () => {
    expect(describe(() => 1)).toBe('a function');
    expect(describe([1, 2, 3])).toBe('an array of 3');
    expect(describe([])).toBe('an array of 0');
    expect(describe(null)).toBe('null');
    expect(describe(undefined)).toBe('undefined');
    expect(describe({ secret: 'token' })).toBe('object');
    expect(describe(Symbol('s'))).toBe('symbol');
  });

  it('expected() builds the house message with the code and field', () => {
    const error = expected('INVALID_ARGUMENT', 'spec.weight', 'a number > 0', 'heavy');
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({ name: 'RoutingError', code: 'INVALID_ARGUMENT', field: 'spec.weight' });
    expect(error.message).toBe('Expected `spec.weight` to be a number > 0, got "heavy" (string)');
  });

  it('a long bad option value does not flood the router error message', () => {
    let error: unknown;
    try {
      new Router({ splitMode: 'z'.repeat(10_000) as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RoutingError);
    expect((error as RoutingError).message).toContain(`"${'z'.repeat(57)}..." (string)`);
    expect((error as RoutingError).message.length).toBeLessThan(300);
  });

  it('a long unknown id, a huge BigInt and a long unknown key are cut short too', () => {
    const router = new Router();
    expect(message(() => router.setStatus('z'.repeat(1000), 'online', 0)).message.length).toBeLessThan(200);
    expect(message(() => new Router({ busyThreshold: (10n ** 200n) as never })).message.length).toBeLessThan(200);
    expect(message(() => router.route({ customerId: 'c', at: 0, ['k'.repeat(100)]: 1 } as never)).field).toBe(`consultation.${'k'.repeat(57)}...`);
    // An unknown key the argument inherits is refused like its own (a for...in sees both).
    const inherited = Object.assign(Object.create({ dedicatedAgentID: 'a' }) as object, { customerId: 'c', at: 0 });
    expect(message(() => router.route(inherited as never))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'consultation.dedicatedAgentID' });
  });

  it('refuses an unknown key that options inherit, as a call does: they read inherited values too', () => {
    const inheriting = <T extends object>(parent: object, own: T): T => Object.assign(Object.create(parent) as object, own) as T;
    expect(message(() => new Router(inheriting({ spliMode: 'weighted' }, { busyThreshold: 2 })))).toMatchObject({ code: 'INVALID_OPTION', field: 'options.spliMode' });
    const group = inheriting({ orderState: ['unpaid'] }, { id: 'pre', orderStates: ['unpaid'] });
    expect(message(() => new Router({ groups: [group] }))).toMatchObject({ code: 'INVALID_OPTION', field: 'options.groups[0].orderState' });
    const step = inheriting({ after: 5 }, { afterMs: 1_000, to: ['after'] });
    const groups = [{ id: 'pre', orderStates: ['unpaid'], overflow: [step] }, { id: 'after', orderStates: ['shipped'] }];
    expect(message(() => new Router({ groups }))).toMatchObject({ code: 'INVALID_OPTION', field: 'options.groups[0].overflow[0].after' });
    const hours = inheriting({ timezone: 'UTC' }, { timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'] } });
    expect(message(() => new Router({ businessHours: hours }))).toMatchObject({ code: 'INVALID_OPTION', field: 'options.businessHours.timezone' });
    expect(message(() => computeMetrics([], inheriting({ slowResponse: 1 }, {})))).toMatchObject({ code: 'INVALID_OPTION', field: 'options.slowResponse' });
    const decision = new Router().route({ customerId: 'c', at: 0 });
    expect(message(() => toEvents(decision, inheriting({ firstMsg: true }, {})))).toMatchObject({ code: 'INVALID_OPTION', field: 'options.firstMsg' });
    const scenario = inheriting({ agent: [] }, { durationMs: 3_600_000, arrivals: { perHour: 10 }, agents: [{ id: 'a' }] });
    expect(checkScenario(scenario as never).problems.map((p) => p.field)).toContain('scenario.agent');
  });
});
