import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { compare, simulate, type Scenario } from '../../src/simulate/index.js';

const HOUR = 3_600_000;
const ok: Scenario = { router: {}, agents: [{ id: 'a' }], arrivals: { perHour: 10 }, durationMs: HOUR, seed: 1 };

/** An array of ones with an empty slot at `hole` (a sparse array: no element there at all). */
function withHole(length: number, hole: number): unknown[] {
  const a: unknown[] = new Array(length).fill(1);
  delete a[hole];
  return a;
}

/** The RoutingError a call throws (fails the test when it throws nothing or something else). */
function caught(run: () => unknown): RoutingError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RoutingError);
    return error as RoutingError;
  }
  throw new Error('expected the call to throw a RoutingError');
}

function rejects(scenario: unknown, field: string): void {
  const error = caught(() => simulate(scenario as Scenario));
  expect(error.code).toBe('INVALID_SCENARIO');
  expect(error.field).toBe(field);
  // The message names the field it blames, so a user can find it in the JSON file.
  expect(error.message).toContain(field.replace(/^scenario\.agents\[\d+\]$/, 'scenario.agents'));
}

const trace = (...arrivals: Record<string, unknown>[]): Record<string, unknown> => ({ trace: arrivals });

describe('bad scenario fields are rejected with INVALID_SCENARIO naming the field', () => {
  it.each([
    ['the scenario is not an object', null, 'scenario'],
    ['the scenario is an array', [ok], 'scenario'],
    ['an agent is not an object', { ...ok, agents: [5] }, 'scenario.agents[0]'],
    ['an agent id is empty', { ...ok, agents: [{ id: '' }] }, 'scenario.agents[0].id'],
    ['an agent id is a number', { ...ok, agents: [{ id: 7 }] }, 'scenario.agents[0].id'],
    ['an agent status is unknown', { ...ok, agents: [{ id: 'a', status: 'away' }] }, 'scenario.agents[0].status'],
    ['shifts is not an array', { ...ok, agents: [{ id: 'a', shifts: { from: 0, to: 1 } }] }, 'scenario.agents[0].shifts'],
    ['a shift starts before 0', { ...ok, agents: [{ id: 'a', shifts: [{ from: -1, to: 5 }] }] }, 'scenario.agents[0].shifts[0].from'],
    ['a shift has a typo field', { ...ok, agents: [{ id: 'a', shifts: [{ from: 0, until: 5 }] }] }, 'scenario.agents[0].shifts[0].until'],
    ['a reply time is a bare number', { ...ok, agents: [{ id: 'a', replyTimeMs: 5000 }] }, 'scenario.agents[0].replyTimeMs'],
    ['a pending count is negative (router check)', { ...ok, agents: [{ id: 'a', pending: -1 }] }, 'scenario.agents[0]'],
    ['a no-answer share is above 1', { ...ok, agents: [{ id: 'a', noAnswerShare: 1.5 }] }, 'scenario.agents[0].noAnswerShare'],
    ['a no-answer share is a string', { ...ok, agents: [{ id: 'a', noAnswerShare: '10%' }] }, 'scenario.agents[0].noAnswerShare'],
    ['an answer timeout is negative (router check)', { ...ok, router: { answerTimeoutMs: -1 } }, 'scenario.router'],
    ['suspendAfterMisses is 0 (router check)', { ...ok, router: { suspendAfterMisses: 0 } }, 'scenario.router'],
    ['a hold is infinite (router check)', { ...ok, router: { holdForRecentContactMs: Infinity } }, 'scenario.router'],
    ['an overflow step names an unknown group (router check)', { ...ok, router: { groups: [{ id: 'p', orderStates: ['none'], overflow: [{ afterMs: 0, to: ['nowhere'] }] }] } }, 'scenario.router'],
    ['overflow steps out of order (router check)', { ...ok, router: { groups: [{ id: 'p', orderStates: ['none'], overflow: [{ afterMs: 60_000, to: '*' }, { afterMs: 0, to: '*' }] }] } }, 'scenario.router'],
    ['arrivals is null', { ...ok, arrivals: null }, 'scenario.arrivals'],
    ['arrivals is a number', { ...ok, arrivals: 30 }, 'scenario.arrivals'],
    ['arrivals is an array', { ...ok, arrivals: [] }, 'scenario.arrivals'],
    ['arrivals has both perHour and trace', { ...ok, arrivals: { perHour: 1, trace: [] } }, 'scenario.arrivals'],
    ['arrivals has an extra field', { ...ok, arrivals: { perHour: 1, burst: 2 } }, 'scenario.arrivals.burst'],
    ['trace is not an array', { ...ok, arrivals: { trace: {} } }, 'scenario.arrivals.trace'],
    ['a trace arrival is not an object', { ...ok, arrivals: trace('c1' as never) }, 'scenario.arrivals.trace[0]'],
    ['a trace arrival has a typo field', { ...ok, arrivals: trace({ at: 1, customerId: 'x', vip: true }) }, 'scenario.arrivals.trace[0].vip'],
    ['a trace arrival is at a negative time', { ...ok, arrivals: trace({ at: -1, customerId: 'x' }) }, 'scenario.arrivals.trace[0].at'],
    ['a trace arrival is at durationMs', { ...ok, arrivals: trace({ at: HOUR, customerId: 'x' }) }, 'scenario.arrivals.trace[0].at'],
    ['a trace customer id is empty', { ...ok, arrivals: trace({ at: 1, customerId: '' }) }, 'scenario.arrivals.trace[0].customerId'],
    ['a trace priority is a string', { ...ok, arrivals: trace({ at: 1, customerId: 'x', priority: 'high' }) }, 'scenario.arrivals.trace[0].priority'],
    ['a trace priority is NaN', { ...ok, arrivals: trace({ at: 1, customerId: 'x', priority: Number.NaN }) }, 'scenario.arrivals.trace[0].priority'],
    ['a trace priority is infinite', { ...ok, arrivals: trace({ at: 1, customerId: 'x', priority: Infinity }) }, 'scenario.arrivals.trace[0].priority'],
    ['a dedicated agent is not in the scenario', { ...ok, arrivals: trace({ at: 1, customerId: 'x', dedicatedAgentId: 'ghost' }) }, 'scenario.arrivals.trace[0].dedicatedAgentId'],
    ['a dedicated agent id is a number', { ...ok, arrivals: trace({ at: 1, customerId: 'x', dedicatedAgentId: 1 }) }, 'scenario.arrivals.trace[0].dedicatedAgentId'],
    ['recent contacts is not an array', { ...ok, arrivals: trace({ at: 1, customerId: 'x', recentContacts: 'a' }) }, 'scenario.arrivals.trace[0].recentContacts'],
    ['a recent contact lacks its time', { ...ok, arrivals: trace({ at: 1, customerId: 'x', recentContacts: [{ agentId: 'a' }] }) }, 'scenario.arrivals.trace[0].recentContacts[0].at'],
    ['rates that would bring a billion arrivals', { ...ok, arrivals: { perHour: 1e9 } }, 'scenario.arrivals.perHour'],
    ['a one-hour run whose first hour brings 600,000', { ...ok, arrivals: { perHour: [600_000, ...new Array<number>(23).fill(0)] }, durationMs: HOUR }, 'scenario.arrivals.perHour'],
    ['a run longer than ten years', { ...ok, durationMs: 1e16 }, 'scenario.durationMs'],
    ['samples of 2,000 agents every millisecond', { ...ok, agents: Array.from({ length: 2_000 }, (_, i) => ({ id: `a${i}` })), durationMs: 100_000, sampleEveryMs: 1 }, 'scenario.sampleEveryMs'],
    ['a segment name longer than an id may be', { ...ok, customers: { segments: { ['s'.repeat(1_100)]: 1 } } }, 'scenario.customers.segments'],
    ['recent contacts with an empty slot', { ...ok, arrivals: trace({ at: 1, customerId: 'x', recentContacts: new Array(1) }) }, 'scenario.arrivals.trace[0].recentContacts[0]'],
    ['an hourly rate left out of the 24', { ...ok, arrivals: { perHour: withHole(24, 5) } }, 'scenario.arrivals.perHour[5]'],
    ['a trace patience is negative', { ...ok, arrivals: trace({ at: 1, customerId: 'x', patienceMs: -1 }) }, 'scenario.arrivals.trace[0].patienceMs'],
    ['a trace cost is 0', { ...ok, arrivals: trace({ at: 1, customerId: 'x', cost: 0 }) }, 'scenario.arrivals.trace[0].cost'],
    ['a trace cost is a string', { ...ok, arrivals: trace({ at: 1, customerId: 'x', cost: '2' }) }, 'scenario.arrivals.trace[0].cost'],
    ['a trace cost is infinite', { ...ok, arrivals: trace({ at: 1, customerId: 'x', cost: Infinity }) }, 'scenario.arrivals.trace[0].cost'],
    ['a trace cost is above 1e6', { ...ok, arrivals: trace({ at: 1, customerId: 'x', cost: 1e17 }) }, 'scenario.arrivals.trace[0].cost'],
    ['customers is a string', { ...ok, customers: 'many' }, 'scenario.customers'],
    ['a cost mix is an array', { ...ok, customers: { costs: [1, 2] } }, 'scenario.customers.costs'],
    ['a cost mix is keyed by a word', { ...ok, customers: { costs: { '1': 3, video: 1 } } }, 'scenario.customers.costs'],
    ['a cost mix is keyed by 0', { ...ok, customers: { costs: { '0': 1, '1': 3 } } }, 'scenario.customers.costs'],
    ['a cost mix is keyed by a negative cost', { ...ok, customers: { costs: { '-2': 1, '1': 3 } } }, 'scenario.customers.costs'],
    ['a cost mix is keyed with spaces', { ...ok, customers: { costs: { ' 2': 1, '1': 3 } } }, 'scenario.customers.costs'],
    ['a cost weight is negative', { ...ok, customers: { costs: { '1': 3, '2': -1 } } }, 'scenario.customers.costs.2'],
    ['the cost weights sum to 0', { ...ok, customers: { costs: { '1': 0, '2': 0 } } }, 'scenario.customers.costs'],
    ['a business-hours interval is malformed (router check)', { ...ok, router: { businessHours: { timeZone: 'UTC', weekly: { mon: ['9-18'] } } } }, 'scenario.router'],
    ['a business-hours time zone is unknown (router check)', { ...ok, router: { businessHours: { timeZone: 'Mars/Olympus', weekly: { mon: ['09:00-18:00'] } } } }, 'scenario.router'],
    ['a wrap-up is negative (router check)', { ...ok, router: { wrapUpMs: -1 } }, 'scenario.router'],
    ['inactiveAfterMs is 0 (router check)', { ...ok, router: { inactiveAfterMs: 0 } }, 'scenario.router'],
    ['customers has a typo field', { ...ok, customers: { returning: 0.5 } }, 'scenario.customers.returning'],
    ['an order-state weight is negative', { ...ok, customers: { orderStates: { none: -1 } } }, 'scenario.customers.orderStates.none'],
    ['the patience distribution lacks its ms', { ...ok, customers: { patienceMs: { kind: 'fixed' } } }, 'scenario.customers.patienceMs.ms'],
    ['robot is given without resolveShare', { ...ok, robot: {} }, 'scenario.robot.resolveShare'],
    ['robot has a typo field', { ...ok, robot: { resolveShare: 0.5, mood: 'happy' } }, 'scenario.robot.mood'],
    ['the robot handoff time is negative', { ...ok, robot: { resolveShare: 0.5, handoffMs: { kind: 'fixed', ms: -1 } } }, 'scenario.robot.handoffMs.ms'],
    ['the robot resolve time is not a distribution', { ...ok, robot: { resolveShare: 0.5, resolveMs: 'quick' } }, 'scenario.robot.resolveMs'],
    ['router is a string', { ...ok, router: 'weighted' }, 'scenario.router'],
    ['sampleEveryMs is 0', { ...ok, sampleEveryMs: 0 }, 'scenario.sampleEveryMs'],
    ['sampleEveryMs is negative', { ...ok, sampleEveryMs: -60_000 }, 'scenario.sampleEveryMs'],
    ['sampleEveryMs is infinite', { ...ok, sampleEveryMs: Infinity }, 'scenario.sampleEveryMs'],
    ['sampleEveryMs is a string', { ...ok, sampleEveryMs: '60000' }, 'scenario.sampleEveryMs'],
    ['durationMs is missing', { ...ok, durationMs: undefined }, 'scenario.durationMs'],
  ])('%s', (_, scenario, field) => rejects(scenario, field));

  it('an unknown field is reported with the fields that are known', () => {
    const error = caught(() => simulate({ ...ok, agents: [{ id: 'a', skill: 3 }] } as unknown as Scenario));
    expect(error.message).toMatch(/^Unknown field `scenario.agents\[0\].skill`; known fields are id, status, weight/);
  });

  it('custom router order states replace the default ones for the customer mix and the trace', () => {
    const router = { orderStates: ['new', 'paid'] };
    rejects({ ...ok, router, customers: { orderStates: { none: 1 } } }, 'scenario.customers.orderStates');
    rejects({ ...ok, router, arrivals: trace({ at: 1, customerId: 'x', orderState: 'none' }) }, 'scenario.arrivals.trace[0].orderState');
    const result = simulate({ ...ok, router, customers: { orderStates: { paid: 1, new: 0 } }, arrivals: { perHour: 30 } });
    expect(result.consultations.length).toBeGreaterThan(0);
    expect(new Set(result.consultations.map((c) => c.orderState))).toEqual(new Set(['paid']));
  });

  it('a scenario without router options runs with the router defaults', () => {
    const { router: _, ...rest } = ok;
    const result = simulate(rest as Scenario);
    expect(result.consultations.length).toBeGreaterThan(0);
    expect(result.summary.agents.map((a) => a.agentId)).toEqual(['a']);
  });
});

describe('a variant that turns a router option off', () => {
  it('with undefined, or null as JSON writes it, runs as the base without that option', () => {
    const timed: Scenario = { ...ok, router: { answerTimeoutMs: 20_000 }, agents: [{ id: 'a', replyTimeMs: { kind: 'exponential', meanMs: 60_000 } }, { id: 'b' }], arrivals: { perHour: 60 } };
    const { router: _, ...untimed } = timed;
    const { runs } = compare(timed, { undefined: { router: { answerTimeoutMs: undefined } }, null: { router: { answerTimeoutMs: null } as never } });
    const without = simulate(untimed as Scenario).summary;
    expect(runs[0]?.figures.reoffers).toBeGreaterThan(0);
    for (const run of runs.slice(1)) {
      expect(run.scenario.router).not.toHaveProperty('answerTimeoutMs', null);
      expect(run.figures).toEqual(without);
    }
  });

  it('a __proto__ key of a JSON variant is refused as an unknown option, not taken as the options\' prototype', () => {
    const variants = JSON.parse('{"v":{"router":{"__proto__":{"splitMode":"weighted"}}}}') as Record<string, Partial<Scenario>>;
    expect(caught(() => compare(ok, variants)).code).toBe('INVALID_SCENARIO');
  });

  it('null is refused in the base itself, where nothing can be turned off', () => {
    expect(caught(() => simulate({ ...ok, router: { answerTimeoutMs: null } as never })).code).toBe('INVALID_SCENARIO');
  });
});

describe('the options of a run', () => {
  it.each([
    ['null', null, 'options'],
    ['an onProgress that is not a function', { onProgress: 5 }, 'options.onProgress'],
    ['a misspelt onProgress (it was ignored, and the caller waited for progress that never came)', { onProgres: () => {} }, 'options.onProgres'],
  ])('%s is refused before the run, by simulate and compare', (_, options, field) => {
    for (const run of [() => simulate(ok, options as never), () => compare(ok, {}, options as never)]) {
      const error = caught(run);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe(field);
    }
  });

  it('a lognormal of median 0 draws 0 however wide its spread (no NaN)', () => {
    const result = simulate({ ...ok, agents: [{ id: 'a', handleTimeMs: { kind: 'lognormal', medianMs: 0, sigma: 1_000 } }], customers: { patienceMs: { kind: 'lognormal', medianMs: 0, sigma: 1_000 } } });
    expect(result.consultations.length).toBeGreaterThan(0);
    expect(Object.values(result.summary).every((v) => typeof v !== 'number' || !Number.isNaN(v))).toBe(true);
  });
});

describe('scenario shifts', () => {
  /** Where trace arrivals at the given hours go, with agent `a` on the given shifts. */
  function whereAt(shifts: { from: number; to: number }[], hours: number[]): string[] {
    const result = simulate({
      router: {},
      agents: [{ id: 'a', cap: 100, shifts, handleTimeMs: { kind: 'fixed', ms: 1_000 } }],
      arrivals: { trace: hours.map((h, i) => ({ at: h * HOUR, customerId: `c${i}` })) },
      durationMs: 6 * HOUR,
      seed: 1,
    });
    return result.consultations.map((c) => (c.firstAgentId !== null && c.firstAssignedAt === c.arrivedAt ? 'agent' : 'not served'));
  }

  it('overlapping shifts merge: the agent stays on until the later shift ends', () => {
    // Unmerged, the first shift's end (2 h) would take the agent offline during the second shift.
    expect(whereAt([{ from: 0, to: 2 * HOUR }, { from: HOUR, to: 3 * HOUR }], [0.5, 2.5, 3.5])).toEqual(['agent', 'agent', 'not served']);
  });

  it('shifts given out of order and back to back merge into one', () => {
    expect(whereAt([{ from: 2 * HOUR, to: 3 * HOUR }, { from: HOUR, to: 2 * HOUR }], [0.5, 1.5, 2.5, 3.5])).toEqual(['not served', 'agent', 'agent', 'not served']);
  });

  it('two shifts starting together merge to the longer one', () => {
    expect(whereAt([{ from: HOUR, to: 4 * HOUR }, { from: HOUR, to: 2 * HOUR }], [0.5, 1.5, 3.5, 4.5])).toEqual(['not served', 'agent', 'agent', 'not served']);
  });
});

describe('trace arrivals carry priority, dedicated agent and recent contacts to the router', () => {
  const twoAgents = (arrivals: Record<string, unknown>[]): Scenario => ({
    router: {},
    agents: [
      { id: 'a', cap: 10, handleTimeMs: { kind: 'fixed', ms: 60_000 } },
      { id: 'b', cap: 10, handleTimeMs: { kind: 'fixed', ms: 60_000 } },
    ],
    arrivals: { trace: arrivals as never },
    durationMs: HOUR,
    seed: 3,
  });

  it('a dedicated agent (rule 3) takes every one of its customers', () => {
    const arrivals = Array.from({ length: 6 }, (_, i) => ({ at: i * 1_000, customerId: `c${i}`, dedicatedAgentId: 'b' }));
    const decisions = simulate(twoAgents(arrivals)).decisions.filter((d) => d.kind === 'agent');
    expect(decisions).toHaveLength(6);
    for (const d of decisions) expect(d).toMatchObject({ agentId: 'b', reason: 'dedicated' });
  });

  it('a recent contact from before the run (rule 2) brings the customer back to that agent', () => {
    const arrivals = Array.from({ length: 6 }, (_, i) => ({ at: 10_000 + i * 1_000, customerId: `c${i}`, recentContacts: [{ agentId: 'a', at: 0 }] }));
    const decisions = simulate(twoAgents(arrivals)).decisions.filter((d) => d.kind === 'agent');
    expect(decisions).toHaveLength(6);
    for (const d of decisions) expect(d).toMatchObject({ agentId: 'a', reason: 'recent-contact' });
  });

  it('a higher priority is served first from the queue (rule 8), ahead of a customer who waited longer', () => {
    const result = simulate({
      router: {},
      agents: [{ id: 'a', cap: 1, replyTimeMs: { kind: 'fixed', ms: 1_000 }, handleTimeMs: { kind: 'fixed', ms: 600_000 } }],
      arrivals: { trace: [
        { at: 0, customerId: 'first' },
        { at: 1_000, customerId: 'normal', priority: 0 },
        { at: 2_000, customerId: 'vip', priority: 5 },
      ] },
      durationMs: HOUR,
      seed: 1,
    });
    const assignedAt = new Map(result.consultations.map((c) => [c.customerId, c.firstAssignedAt]));
    expect(assignedAt.get('first')).toBe(0);
    expect(assignedAt.get('vip')).toBe(600_000);
    expect(assignedAt.get('normal')).toBe(1_200_000);
  });

  it('a trace patience overrides the customer mix: that customer gives up after it', () => {
    const result = simulate({
      router: {},
      agents: [{ id: 'a', cap: 1, handleTimeMs: { kind: 'fixed', ms: 600_000 } }],
      arrivals: { trace: [{ at: 0, customerId: 'first' }, { at: 1_000, customerId: 'hasty', patienceMs: 30_000 }] },
      customers: { patienceMs: { kind: 'fixed', ms: 10 * HOUR } },
      durationMs: HOUR,
      seed: 1,
    });
    expect(result.abandonments).toEqual([{ customerId: 'hasty', at: 31_000, waitedMs: 30_000 }]);
  });
});

describe('simulation edge cases', () => {
  it('a reply due after the chat ends is given at the end', () => {
    const result = simulate({
      router: {},
      agents: [{ id: 'a', replyTimeMs: { kind: 'fixed', ms: 600_000 }, handleTimeMs: { kind: 'fixed', ms: 60_000 } }],
      arrivals: { trace: [{ at: 5_000, customerId: 'c' }] },
      durationMs: HOUR,
      seed: 1,
    });
    expect(result.consultations[0]).toMatchObject({ outcome: 'served', firstAssignedAt: 5_000, firstReplyAt: 65_000, endedAt: 65_000 });
  });

  it('a run without any arrival has no rates to report: they are null, not 0 or NaN', () => {
    const { summary } = simulate({ ...ok, arrivals: { perHour: 0 } });
    expect(summary.consultations).toBe(0);
    expect(summary.abandonmentRate).toBeNull();
    expect(summary.responseRate1m).toBeNull();
    expect(summary.firstResponseTimeMs).toBeNull();
    expect(summary.meanWaitMs).toBeNull();
    expect(summary.agents).toEqual([{ agentId: 'a', assignments: 0, share: null, responseRate1m: null, firstResponseTimeMs: null, missed: 0 }]);
  });

  it('reports progress during a long run, never going back, and ends at the full duration', () => {
    const calls: [number, number][] = [];
    simulate(
      { router: {}, agents: [{ id: 'a', cap: 1_000 }, { id: 'b', cap: 1_000 }], arrivals: { perHour: 3_000 }, durationMs: HOUR, seed: 2 },
      { onProgress: (done, total) => calls.push([done, total]) },
    );
    expect(calls.length).toBeGreaterThan(1);
    for (const [done, total] of calls) {
      expect(total).toBe(HOUR);
      expect(done).toBeGreaterThanOrEqual(0);
      expect(done).toBeLessThanOrEqual(HOUR);
    }
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    expect(calls[0]![0]).toBeLessThan(HOUR);
    expect(calls.at(-1)).toEqual([HOUR, HOUR]);
  });
});

describe('compare rejects malformed variants', () => {
  it.each([
    ['variants is null', null, 'variants'],
    ['variants is an array', [{ router: {} }], 'variants'],
    ['a variant is a number', { fast: 5 }, 'variants.fast'],
    ['a variant is null', { fast: null }, 'variants.fast'],
    ['a variant is an array', { fast: [] }, 'variants.fast'],
    ['a variant router is a string', { fast: { router: 'weighted' } }, 'variants.fast.router'],
    ['a variant router is null', { fast: { router: null } }, 'variants.fast.router'],
  ])('%s', (_, variants, field) => {
    const error = caught(() => compare(ok, variants as never));
    expect(error.code).toBe('INVALID_SCENARIO');
    expect(error.field).toBe(field);
  });

  it('rejects a bad variant before running anything', () => {
    let progressed = false;
    expect(() => compare(ok, { good: {}, bad: { router: 'x' as never } }, { onProgress: () => { progressed = true; } })).toThrow(RoutingError);
    expect(progressed).toBe(false);
  });

  it('an error in the base scenario is reported without a variant name', () => {
    const error = caught(() => compare({ ...ok, durationMs: -1 }, { other: {} }));
    expect(error.field).toBe('scenario.durationMs');
    expect(error.message).not.toMatch(/In variant/);
  });
});

describe('every problem of a scenario is reported at once', () => {
  /** The lines of a several-problem message, after its heading. */
  function problemLines(error: RoutingError): string[] {
    const [heading, ...lines] = error.message.split('\n');
    expect(heading).toBe(`The scenario has ${lines.length} problems:`);
    for (const line of lines) expect(line.startsWith('- ')).toBe(true);
    return lines.map((line) => line.slice(2));
  }

  it('lists the problems of every section in field order, blaming the first', () => {
    const error = caught(() => simulate({
      router: {},
      agents: [{ id: 'a', status: 'away' }, { id: 'b', skill: 3 }, 7],
      arrivals: { perHour: -1 },
      customers: { returningShare: 2 },
      robot: {},
      durationMs: -1,
      seed: 1.5,
    } as unknown as Scenario));
    expect(error.code).toBe('INVALID_SCENARIO');
    expect(error.field).toBe('scenario.durationMs');
    const fields = ['scenario.durationMs', 'scenario.seed', 'scenario.agents[0].status', 'scenario.agents[1].skill', 'scenario.agents[2]', 'scenario.customers.returningShare', 'scenario.arrivals.perHour', 'scenario.robot.resolveShare'];
    const lines = problemLines(error);
    expect(lines).toHaveLength(fields.length);
    lines.forEach((line, i) => expect(line).toContain(`\`${fields[i]}\``));
  });

  it('includes the router\'s complaints about several agents', () => {
    const error = caught(() => simulate({ ...ok, agents: [{ id: 'a', pending: -1 }, { id: 'b' }, { id: 'c', weight: -2 }], durationMs: 0 }));
    const lines = problemLines(error);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Expected `scenario.durationMs`/);
    expect(lines[1]).toMatch(/^Invalid `scenario.agents\[0\]`: .*pending/);
    expect(lines[2]).toMatch(/^Invalid `scenario.agents\[2\]`: .*weight/);
  });

  it('reports a bad time option of the router with the scenario\'s own problems', () => {
    const error = caught(() => simulate({ ...ok, router: { answerTimeoutMs: -5 }, agents: [{ id: 'a', noAnswerShare: 2 }], durationMs: 0 }));
    const lines = problemLines(error);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Expected `scenario.durationMs`/);
    expect(lines[1]).toMatch(/^Expected `scenario.agents\[0\].noAnswerShare` to be a number in \[0, 1\]/);
    expect(lines[2]).toMatch(/^Invalid `scenario.router`: .*answerTimeoutMs/);
  });

  it('checks the agents against the router only when the router options pass', () => {
    const error = caught(() => simulate({ ...ok, router: { splitMode: 'sideways' as never }, agents: [{ id: 'a', groups: ['nowhere'] }] }));
    expect(error.field).toBe('scenario.router');
    expect(error.message).not.toMatch(/\n/);
  });

  it('lists every bad arrival of a trace', () => {
    const error = caught(() => simulate({ ...ok, arrivals: trace({ at: 5, customerId: '' }, { at: 2, customerId: 'x', priority: 'high' }, { at: 3, customerId: 'y' }) } as unknown as Scenario));
    expect(problemLines(error).map((line) => /`([^`]+)`/.exec(line)?.[1])).toEqual([
      'scenario.arrivals.trace[0].customerId', 'scenario.arrivals.trace[1].at', 'scenario.arrivals.trace[1].priority', 'scenario.arrivals.trace[2].at',
    ]);
  });

  it('compare lists the base\'s and each variant\'s problems before running any, each once', () => {
    let progressed = false;
    const error = caught(() => compare({ ...ok, seed: -1 }, { fine: {}, slow: { durationMs: 0 }, lost: { agents: [{ id: '' }] } }, { onProgress: () => { progressed = true; } }));
    expect(progressed).toBe(false);
    expect(problemLines(error)).toEqual([
      expect.stringMatching(/^Expected `scenario.seed`/),
      expect.stringMatching(/^In variant "slow": Expected `scenario.durationMs`/),
      expect.stringMatching(/^In variant "lost": Expected `scenario.agents\[0\].id`/),
    ]);
  });
});
