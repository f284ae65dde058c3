import { describe, expect, it } from 'vitest';
import { compare, simulate, type Scenario, type VariantRun } from '../../src/simulate/index.js';

const HOUR = 3_600_000;
const MIN = 60_000;

const reply = (ms: number) => ({ kind: 'fixed', ms }) as const;

describe("the router's deadlines in the simulation", () => {
  it('an agent who never answers loses the chat at the answer timeout, to another agent who answers it', () => {
    const r = simulate({
      router: { answerTimeoutMs: 30_000 },
      agents: [
        { id: 'a', noAnswerShare: 1, handleTimeMs: { kind: 'fixed', ms: 10 * MIN } },
        { id: 'b', replyTimeMs: reply(10_000), handleTimeMs: { kind: 'fixed', ms: 10 * MIN } },
      ],
      arrivals: { trace: [{ at: 1_000, customerId: 'c1', dedicatedAgentId: 'a' }] },
      durationMs: HOUR,
      seed: 1,
    });
    expect(r.decisions.map((d) => [d.kind, d.kind === 'agent' ? d.agentId : '', d.reason, d.rerouteReason, d.at])).toEqual([
      ['agent', 'a', 'dedicated', undefined, 1_000],
      ['agent', 'b', 'split', 'timeout', 31_000],
    ]);
    // b's reply at 41 s turns its deadline off: nothing more happens but the end.
    expect(r.events.filter((e) => e.type === 'agent-reply')).toEqual([{ type: 'agent-reply', at: 41_000, customerId: 'c1', agentId: 'b' }]);
    expect(r.events.filter((e) => e.type === 'transfer')).toEqual([{ type: 'transfer', at: 31_000, customerId: 'c1', fromAgentId: 'a', toAgentId: 'b' }]);
    expect(r.consultations[0]).toMatchObject({ outcome: 'served', firstAgentId: 'a', firstReplyAt: 41_000, endedAt: 31_000 + 10 * MIN });
    expect(r.summary).toMatchObject({ reoffers: 1, transfers: 1, unanswered: 0, firstResponseTimeMs: 40_000 });
    expect(r.summary.agents.map((x) => [x.agentId, x.missed])).toEqual([['a', 1], ['b', 0]]);
  });

  it('without a timeout the customer of an agent who never answers leaves unanswered when patience runs out', () => {
    const r = simulate({
      router: {},
      agents: [{ id: 'a', noAnswerShare: 1, handleTimeMs: { kind: 'fixed', ms: 10 * MIN } }],
      arrivals: { trace: [{ at: 0, customerId: 'c1', patienceMs: 2 * MIN }, { at: 0, customerId: 'c2' }] },
      durationMs: HOUR,
      seed: 1,
    });
    expect(r.events.some((e) => e.type === 'agent-reply')).toBe(false);
    // c1 gives up after its patience; c2, who never gives up, leaves when the chat would have ended.
    expect(r.consultations.map((c) => [c.customerId, c.outcome, c.endedAt])).toEqual([['c1', 'unanswered', 2 * MIN], ['c2', 'unanswered', 10 * MIN]]);
    expect(r.summary).toMatchObject({ unanswered: 2, reoffers: 0, firstResponseTimeMs: null });
    expect(r.series.agents[0]?.active.at(-1)).toBe(0);
  });

  it('an agent whose chats time out suspendAfterMisses times in a row is suspended and gets no more', () => {
    const r = simulate({
      router: { answerTimeoutMs: 30_000, suspendAfterMisses: 2, stickyWindowMs: 0 },
      agents: [{ id: 'ghost', noAnswerShare: 1 }, { id: 'a', cap: 20, replyTimeMs: reply(5_000) }, { id: 'b', cap: 20, replyTimeMs: reply(5_000) }],
      arrivals: { perHour: 60 },
      durationMs: 2 * HOUR,
      seed: 3,
    });
    const ghost = r.summary.agents.find((x) => x.agentId === 'ghost');
    expect(ghost).toMatchObject({ assignments: 2, missed: 2 });
    expect(r.summary.suspensions).toBe(1);
    expect(r.summary.consultations).toBeGreaterThan(90);
  });

  it('a deadline past the end of the run does not fire', () => {
    const r = simulate({
      router: { answerTimeoutMs: 30_000 },
      agents: [{ id: 'a', noAnswerShare: 1 }, { id: 'b' }],
      arrivals: { trace: [{ at: 10_000, customerId: 'c1', dedicatedAgentId: 'a' }] },
      durationMs: 40_000,
      seed: 1,
    });
    expect(r.decisions).toHaveLength(1);
    expect(r.summary.reoffers).toBe(0);
  });
});

describe('compare weighs the time options', () => {
  const named = (runs: VariantRun[], name: string): VariantRun => runs.find((r) => r.name === name) as VariantRun;

  it('with agents who miss one chat in five, a 30 s answer timeout answers sooner than 60 s, and either sooner than none', () => {
    for (const seed of [1, 2]) {
      const base: Scenario = {
        router: { answerTimeoutMs: 60_000 },
        agents: ['a', 'b', 'c', 'd'].map((id) => ({ id, cap: 5, noAnswerShare: 0.2, replyTimeMs: { kind: 'lognormal', medianMs: 15_000, sigma: 0.5 } as const })),
        arrivals: { perHour: 60 },
        customers: { patienceMs: { kind: 'exponential', meanMs: 5 * MIN } },
        durationMs: 8 * HOUR,
        seed,
      };
      const { runs } = compare(base, { '30 s': { router: { answerTimeoutMs: 30_000 } }, none: { router: { answerTimeoutMs: undefined } } });
      const s60 = named(runs, 'base').figures;
      const s30 = named(runs, '30 s').figures;
      const none = named(runs, 'none').figures;
      expect(s30.firstResponseTimeMs ?? Infinity).toBeLessThan(s60.firstResponseTimeMs ?? 0);
      expect(s30.responseRate1m ?? 0).toBeGreaterThan((s60.responseRate1m ?? 1) + 0.05);
      expect(s30.reoffers).toBeGreaterThan(s60.reoffers);
      expect(none.reoffers).toBe(0);
      // Without a timeout a missed customer is never answered: the timeout's whole point.
      expect(s30.unanswered).toBeLessThan(s60.unanswered);
      expect(s60.unanswered * 2).toBeLessThan(none.unanswered);
    }
  });

  it('with pre-sales saturated, overflow to after-sales after 1 minute serves pre-sales chats sooner than after 3', () => {
    const groups = (afterMs: number): NonNullable<Scenario['router']['groups']> => [
      { id: 'pre', orderStates: ['none', 'unpaid'], overflow: [{ afterMs, to: ['after'] }] },
      { id: 'after', orderStates: ['unshipped', 'shipped', 'refunding', 'completed'] },
    ];
    for (const seed of [1, 2]) {
      const base: Scenario = {
        router: { groups: groups(3 * MIN) },
        agents: [{ id: 'p1', groups: ['pre'], cap: 3 }, { id: 'a1', groups: ['after'], cap: 5 }, { id: 'a2', groups: ['after'], cap: 5 }],
        // Two thirds pre-sales: 40 an hour on one agent of cap 3, with 5-minute chats.
        arrivals: { perHour: 60 },
        customers: { orderStates: { none: 2, unpaid: 1, shipped: 1 }, patienceMs: { kind: 'exponential', meanMs: 10 * MIN } },
        durationMs: 8 * HOUR,
        seed,
      };
      const { runs } = compare(base, { '1 min': { router: { groups: groups(MIN) } } });
      const preWait = (run: VariantRun): number => {
        const served = run.result.consultations.filter((c) => c.orderState !== 'shipped' && c.firstAssignedAt !== null);
        return served.reduce((sum, c) => sum + (c.firstAssignedAt as number) - c.arrivedAt, 0) / served.length;
      };
      const after3 = named(runs, 'base');
      const after1 = named(runs, '1 min');
      expect(preWait(after1)).toBeLessThan(preWait(after3) * 0.7);
      expect(after1.figures.overflows).toBeGreaterThan(after3.figures.overflows);
      expect(after1.figures.abandonments).toBeLessThan(after3.figures.abandonments);
      // Every overflow went to an after-sales agent, through the group reached.
      const overflowed = after1.result.decisions.filter((d) => d.kind === 'agent' && d.reason === 'overflow');
      expect(overflowed).toHaveLength(after1.figures.overflows);
      expect(overflowed.every((d) => d.kind === 'agent' && d.groupId === 'after' && d.agentId !== 'p1')).toBe(true);
    }
  });

  it('a 2-minute hold brings more returning customers back to their agent, at the cost of waiting', () => {
    for (const seed of [1, 2]) {
      const base: Scenario = {
        router: {},
        agents: [{ id: 'a', cap: 3 }, { id: 'b', cap: 3 }, { id: 'c', cap: 3 }],
        arrivals: { perHour: 90 },
        customers: { returningShare: 0.7, patienceMs: { kind: 'exponential', meanMs: 10 * MIN } },
        durationMs: 8 * HOUR,
        seed,
      };
      const { runs } = compare(base, { hold: { router: { holdForRecentContactMs: 2 * MIN } } });
      const recent = (run: VariantRun): number => run.result.decisions.filter((d) => d.kind === 'agent' && d.reason === 'recent-contact').length;
      const none = named(runs, 'base');
      const hold = named(runs, 'hold');
      expect(none.figures.holds).toBe(0);
      expect(hold.figures.holds).toBeGreaterThan(20);
      expect(hold.figures.holdsKept).toBeGreaterThan(0);
      expect(hold.figures.holdsKept).toBeLessThan(hold.figures.holds);
      expect(hold.figures.holds).toBe(hold.result.decisions.filter((d) => d.kind === 'queued' && d.reason === 'held').length);
      expect(recent(hold)).toBeGreaterThan(recent(none) * 1.1);
      expect(hold.figures.meanWaitMs ?? 0).toBeGreaterThan(none.figures.meanWaitMs ?? Infinity);
    }
  });

  it('runs with deadlines are deterministic', () => {
    const s: Scenario = {
      router: { answerTimeoutMs: 30_000, suspendAfterMisses: 3, holdForRecentContactMs: MIN, groups: [{ id: 'p', orderStates: ['none'], overflow: [{ afterMs: MIN, to: '*' }] }, { id: 'q' }] },
      agents: [
        { id: 'a', groups: ['p'], cap: 1, noAnswerShare: 0.3, replyTimeMs: reply(10_000), shifts: [{ from: 0, to: 3 * HOUR }] },
        { id: 'b', groups: ['q'], cap: 4, noAnswerShare: 0.1, replyTimeMs: reply(10_000) },
        { id: 'c', groups: ['q'], cap: 4, replyTimeMs: reply(10_000) },
      ],
      arrivals: { perHour: 50 },
      customers: { returningShare: 0.5, patienceMs: { kind: 'exponential', meanMs: 4 * MIN } },
      durationMs: 4 * HOUR,
      seed: 11,
    };
    const one = simulate(s);
    expect(JSON.stringify(simulate(s))).toBe(JSON.stringify(one));
    expect(one.summary.reoffers).toBeGreaterThan(0);
    expect(one.summary.overflows).toBeGreaterThan(0);
    expect(one.summary.holds).toBeGreaterThan(0);
  });
});
