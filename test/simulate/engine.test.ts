import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import { simulate, type Scenario } from '../../src/simulate/index.js';

const HOUR = 3_600_000;
const MIN = 60_000;

const base = (over: Partial<Scenario>): Scenario => ({
  router: {},
  agents: [{ id: 'a', cap: 5 }],
  arrivals: { trace: [{ at: 1_000, customerId: 'c1' }] },
  durationMs: HOUR,
  seed: 1,
  ...over,
});

describe('the simulation engine', () => {
  it('logs a served consultation: consultation, assigned, message, reply after replyTimeMs, end after handleTimeMs', () => {
    const r = simulate(base({ agents: [{ id: 'a', replyTimeMs: { kind: 'fixed', ms: 20_000 }, handleTimeMs: { kind: 'fixed', ms: 5 * MIN } }] }));
    expect(r.events).toEqual([
      { type: 'consultation', at: 1_000, customerId: 'c1' },
      { type: 'assigned', at: 1_000, customerId: 'c1', agentId: 'a' },
      { type: 'customer-message', at: 1_000, customerId: 'c1' },
      { type: 'agent-reply', at: 21_000, customerId: 'c1', agentId: 'a' },
      { type: 'end', at: 301_000, customerId: 'c1' },
    ]);
    expect(r.consultations[0]).toMatchObject({ outcome: 'served', firstAssignedAt: 1_000, firstReplyAt: 21_000, endedAt: 301_000 });
    expect(r.summary.firstResponseTimeMs).toBe(20_000);
  });

  it('its metrics are computeMetrics of its events, as of the end of the run', () => {
    const r = simulate(base({ arrivals: { perHour: 30 }, customers: { returningShare: 0.3 } }));
    const again = computeMetrics(r.events, { asOf: HOUR, timeZoneOffsetMs: 0 });
    expect(r.metrics.shop).toEqual(again.shop);
    expect([...r.metrics.agents.keys()]).toEqual([...again.agents.keys()]);
  });

  it('a chat shorter than the reply time gets its reply at the end', () => {
    const r = simulate(base({ agents: [{ id: 'a', replyTimeMs: { kind: 'fixed', ms: 10 * MIN }, handleTimeMs: { kind: 'fixed', ms: MIN } }] }));
    expect(r.events.slice(3).map((e) => [e.type, e.at])).toEqual([['agent-reply', 61_000], ['end', 61_000]]);
  });

  it('a message from a customer whose consultation is open is a follow-up, owing a new reply', () => {
    const r = simulate(base({
      agents: [{ id: 'a', replyTimeMs: { kind: 'fixed', ms: 10_000 }, handleTimeMs: { kind: 'fixed', ms: 10 * MIN } }],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: MIN, customerId: 'c1' }, { at: 20 * MIN, customerId: 'c1' }] },
    }));
    expect(r.decisions).toHaveLength(2); // the follow-up is not routed; the arrival after the end is
    expect(r.decisions[1]).toMatchObject({ kind: 'agent', agentId: 'a', reason: 'recent-contact' });
    expect(r.summary).toMatchObject({ consultations: 2, followUps: 1 });
    const replies = r.events.filter((e) => e.type === 'agent-reply').map((e) => e.at);
    expect(replies).toEqual([10_000, 70_000, 20 * MIN + 10_000]);
    expect(r.metrics.shop.avgResponseTimeMs).toBe(10_000);
  });

  it('a queued customer gives up after patience; the drain serves the next one when a slot frees', () => {
    const r = simulate(base({
      agents: [{ id: 'a', cap: 1, replyTimeMs: { kind: 'fixed', ms: 0 }, handleTimeMs: { kind: 'fixed', ms: 10 * MIN } }],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: 1, customerId: 'c2', patienceMs: MIN }, { at: 2, customerId: 'c3', patienceMs: 30 * MIN }] },
    }));
    expect(r.abandonments).toEqual([{ customerId: 'c2', at: MIN + 1, waitedMs: MIN }]);
    expect(r.decisions.map((d) => [d.customerId, d.kind, d.reason, d.at])).toEqual([
      ['c1', 'agent', 'split', 0],
      ['c2', 'queued', 'no-human', 1],
      ['c3', 'queued', 'no-human', 2],
      ['c3', 'agent', 'split', 10 * MIN],
    ]);
    // Served from the queue by the rule that placed it, after waiting from its arrival at 2 ms.
    expect(r.decisions[3]?.waitedMs).toBe(10 * MIN - 2);
    expect(r.summary.meanWaitMs).toBe((0 + 10 * MIN - 2) / 2);
    expect(r.consultations.map((c) => c.outcome)).toEqual(['served', 'abandoned', 'served']);
    expect(r.summary.abandonmentRate).toBeCloseTo(1 / 3);
  });

  it('an agent whose shift ends hands its open chats over (rule 9): transfer events, fresh reply and end', () => {
    const r = simulate(base({
      agents: [
        { id: 'a', shifts: [{ from: 0, to: 2 * MIN }], replyTimeMs: { kind: 'fixed', ms: 30_000 }, handleTimeMs: { kind: 'fixed', ms: 10 * MIN } },
        { id: 'b', shifts: [{ from: MIN, to: HOUR }], replyTimeMs: { kind: 'fixed', ms: 30_000 }, handleTimeMs: { kind: 'fixed', ms: 10 * MIN } },
      ],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }] },
    }));
    expect(r.decisions[1]).toMatchObject({ kind: 'agent', agentId: 'b', reroutedFrom: 'a', at: 2 * MIN });
    expect(r.events.filter((e) => e.type === 'transfer')).toEqual([{ type: 'transfer', at: 2 * MIN, customerId: 'c1', fromAgentId: 'a', toAgentId: 'b' }]);
    // The old holder's end (at 10 min) is stale; the new holder's comes 10 min after the transfer.
    expect(r.events.filter((e) => e.type === 'end').map((e) => e.at)).toEqual([12 * MIN]);
    expect(r.summary.transfers).toBe(1);
    expect(r.series.agents.find((a) => a.agentId === 'a')?.pending.at(-1)).toBe(0);
  });

  it('the robot resolves its share and hands the rest over after handoffMs', () => {
    const r = simulate(base({
      router: { robot: true, receptionMode: 'robot-first' },
      robot: { resolveShare: 0.5, handoffMs: { kind: 'fixed', ms: 5_000 }, resolveMs: { kind: 'fixed', ms: 30_000 } },
      agents: [{ id: 'a', cap: 50 }],
      arrivals: { perHour: 100 },
    }));
    const robot = r.decisions.filter((d) => d.kind === 'robot');
    const escalated = r.decisions.filter((d) => d.kind === 'agent');
    expect(robot.length).toBe(r.summary.consultations);
    // Every robot chat is resolved or handed over, but for the few still with the robot at the end.
    expect(r.summary.robotResolved + escalated.length).toBeGreaterThanOrEqual(robot.length - 3);
    expect(r.decisions.filter((d) => d.kind === 'agent' && d.reason === 'split')).toHaveLength(escalated.length);
    expect(r.summary.robotResolved / robot.length).toBeGreaterThan(0.35);
    expect(r.summary.robotResolved / robot.length).toBeLessThan(0.65);
    expect(r.events.filter((e) => e.type === 'robot-reply')).toHaveLength(robot.length);
    // A handed-over chat is assigned 5 s after the robot took it.
    const first = escalated[0];
    expect(first?.at).toBe((robot.find((d) => d.customerId === first?.customerId)?.at ?? NaN) + 5_000);
  });

  it('samples the series on a fixed grid, after the events at each grid time', () => {
    const r = simulate(base({ arrivals: { perHour: 60 }, sampleEveryMs: 10 * MIN }));
    expect(r.series.times).toEqual([0, 10, 20, 30, 40, 50, 60].map((m) => m * MIN));
    const a = r.series.agents[0];
    expect(a?.assignments).toHaveLength(7);
    expect(a?.assignments.at(-1)).toBe(r.summary.agents[0]?.assignments);
    expect([...(a?.assignments ?? [])]).toEqual([...(a?.assignments ?? [])].sort((x, y) => x - y));
  });

  it('a policy without a queue sends what nobody can take to the main account as offline messages', () => {
    const r = simulate(base({
      router: { noAgent: 'main', mainAccountId: 'owner' },
      agents: [{ id: 'a', status: 'offline' }],
      arrivals: { trace: [{ at: 0, customerId: 'c1', patienceMs: MIN }] },
    }));
    expect(r.decisions[0]).toMatchObject({ kind: 'offline', accountId: 'owner', reason: 'nobody-online' });
    expect(r.summary.offlineMessages).toBe(1);
    expect(r.consultations[0]).toMatchObject({ outcome: 'offline', endedAt: MIN });
  });
});
