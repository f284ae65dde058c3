import { describe, expect, it } from 'vitest';
import { erlangA, erlangC, requiredAgents } from '../../src/planning/index.js';
import { thrown } from '../helpers.js';

const MINUTE = 60_000;
const valid = { arrivalsPerHour: 300, handleTimeMs: 4 * MINUTE, agents: 30, concurrency: 1, answerWithinMs: MINUTE };


describe('planning input errors', () => {
  it.each([
    ['arrivalsPerHour', -1, 'a finite number >= 0', '-1 (number)'],
    ['arrivalsPerHour', Number.NaN, 'a finite number >= 0', 'NaN (number)'],
    ['arrivalsPerHour', Number.POSITIVE_INFINITY, 'a finite number >= 0', 'Infinity (number)'],
    ['arrivalsPerHour', '300', 'a finite number >= 0', '"300" (string)'],
    ['handleTimeMs', 0, 'a finite number > 0', '0 (number)'],
    ['handleTimeMs', Number.NEGATIVE_INFINITY, 'a finite number > 0', '-Infinity (number)'],
    ['agents', 2.5, 'an integer >= 1', '2.5 (number)'],
    ['agents', 0, 'an integer >= 1', '0 (number)'],
    ['agents', undefined, 'an integer >= 1', 'undefined'],
    ['concurrency', 0, 'an integer in [1, 10000000]', '0 (number)'],
    ['concurrency', 1.5, 'an integer in [1, 10000000]', '1.5 (number)'],
    ['concurrency', 2e7, 'an integer in [1, 10000000]', '20000000 (number)'],
    ['answerWithinMs', -5, 'a finite number >= 0', '-5 (number)'],
  ])('names the field, the expected value and what came in: %s = %s', (field, value, what, got) => {
    for (const run of [
      () => erlangC({ ...valid, [field]: value } as never),
      () => erlangA({ ...valid, patienceMs: MINUTE, [field]: value } as never),
    ]) {
      const error = thrown(run);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe(field);
      expect(error.message).toBe(`Expected \`${field}\` to be ${what}, got ${got}`);
    }
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, undefined])('rejects patienceMs = %s', (patienceMs) => {
    const error = thrown(() => erlangA({ ...valid, patienceMs } as never));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('patienceMs');
    expect(error.message).toMatch(/^Expected `patienceMs` to be a finite number > 0 of which the handling time \([\d,.]+ ms\) is a finite multiple, got /);
  });

  it('refuses an unknown key, naming it, rather than reading a misspelt field as its default', () => {
    const target = { serviceLevel: 0.8, withinMs: 20_000 };
    const staffing = { arrivalsPerHour: 300, handleTimeMs: 4 * MINUTE, target };
    for (const [run, field] of [
      [() => requiredAgents({ ...staffing, concurency: 3 } as never), 'input.concurency'],
      [() => requiredAgents({ ...staffing, patience: MINUTE } as never), 'input.patience'],
      [() => requiredAgents({ ...staffing, target: { ...target, within: 1 } } as never), 'target.within'],
      [() => erlangC({ ...valid, patienceMs: MINUTE } as never), 'input.patienceMs'],
      [() => erlangA({ ...valid, patienceMs: MINUTE, target } as never), 'input.target'],
    ] as const) {
      const error = thrown(run);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field });
      expect(error.message).toMatch(new RegExp(`^Unknown key \`${field.replace('.', '\\.')}\`: known keys are `));
    }
    // The same input without the misspelling: the key would have changed the answer (9 agents, not 25).
    expect(requiredAgents({ ...staffing, concurrency: 3 }).agents).toBeLessThan(requiredAgents(staffing).agents);
  });

  it('rejects a missing input object', () => {
    expect(thrown(() => erlangC(null as never))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'input' });
    expect(thrown(() => requiredAgents({ arrivalsPerHour: 1, handleTimeMs: 1 } as never))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'target' });
  });

  it('reports NO_STEADY_STATE when Erlang C is loaded at or above capacity', () => {
    // 300/h × 4 min = 20 Erlangs: 20 servers is exactly full load, 6 agents × 3 is above it.
    for (const staffing of [{ agents: 20 }, { agents: 6, concurrency: 3 }, { agents: 1 }]) {
      const error = thrown(() => erlangC({ ...valid, ...staffing }));
      expect(error.code).toBe('NO_STEADY_STATE');
      expect(error.field).toBe('agents');
      expect(error.message).toContain('offered load of 20 Erlangs');
      expect(error.message).toContain(`got ${staffing.agents} (number)`);
    }
    expect(thrown(() => erlangC({ ...valid, agents: 20 })).message).toMatch(/^Expected `agents` to be at least 21 /);
    expect(thrown(() => erlangC({ ...valid, agents: 6, concurrency: 3 })).message).toMatch(/^Expected `agents` to be at least 7 /);
  });

  it('lets Erlang A run above capacity, where abandonment keeps a steady state', () => {
    expect(erlangA({ ...valid, agents: 6, patienceMs: MINUTE }).abandonProbability).toBeGreaterThan(0.6);
  });

  it.each([
    [{ serviceLevel: 1, withinMs: 0 }, 'target.serviceLevel', 'a number in (0, 1)'],
    [{ serviceLevel: 0, withinMs: 0 }, 'target.serviceLevel', 'a number in (0, 1)'],
    [{ serviceLevel: 90, withinMs: 0 }, 'target.serviceLevel', 'a number in (0, 1)'],
    [{ serviceLevel: 0.9, withinMs: -1 }, 'target.withinMs', 'a finite number >= 0'],
    [{ serviceLevel: 0.9 }, 'target.withinMs', 'a finite number >= 0'],
  ])('rejects the staffing target %j', (target, field, what) => {
    const error = thrown(() => requiredAgents({ arrivalsPerHour: 300, handleTimeMs: 4 * MINUTE, target } as never));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe(field);
    expect(error.message).toContain(`Expected \`${field}\` to be ${what}, got `);
  });

  it('rejects requiredAgents input like erlangC input', () => {
    const target = { serviceLevel: 0.8, withinMs: 20_000 };
    expect(thrown(() => requiredAgents({ arrivalsPerHour: -3, handleTimeMs: MINUTE, target }))).toMatchObject({ field: 'arrivalsPerHour' });
    expect(thrown(() => requiredAgents({ arrivalsPerHour: 3, handleTimeMs: MINUTE, concurrency: 0, target }))).toMatchObject({ field: 'concurrency' });
    expect(thrown(() => requiredAgents({ arrivalsPerHour: 3, handleTimeMs: MINUTE, patienceMs: -1, target }))).toMatchObject({ field: 'patienceMs' });
  });

  it('refuses traffic beyond ten million servers instead of running for minutes', () => {
    const error = thrown(() => requiredAgents({ arrivalsPerHour: 1e12, handleTimeMs: MINUTE, target: { serviceLevel: 0.8, withinMs: 0 } }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'arrivalsPerHour' });
    expect(thrown(() => erlangC({ ...valid, agents: 5_000_000, concurrency: 3 }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'agents' });
  });
});
