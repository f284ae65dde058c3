import { describe, expect, it } from 'vitest';
import { simulate, type Scenario } from '../../src/simulate/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function assignments(s: Scenario, from = 0): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of simulate(s).decisions) {
    if (d.kind === 'agent' && d.at >= from) out.set(d.agentId, (out.get(d.agentId) ?? 0) + 1);
  }
  return out;
}

describe("seed 001's stories, by simulation", () => {
  it('group binding: A (bound to none, unshipped, shipped) receives more than B (bound to nothing) — about 3/4', () => {
    const got = assignments({
      router: { groups: [{ id: 'jia', orderStates: ['none', 'unshipped', 'shipped'] }, { id: 'yi' }], stickyWindowMs: 0 },
      agents: [
        { id: 'A', groups: ['jia'], cap: 50, replyTimeMs: { kind: 'fixed', ms: 5_000 } },
        { id: 'B', groups: ['yi'], cap: 50, replyTimeMs: { kind: 'fixed', ms: 5_000 } },
      ],
      // The six order states equally common (the default mix).
      arrivals: { perHour: 60 },
      durationMs: 40 * HOUR,
      seed: 1,
    });
    const a = got.get('A') ?? 0;
    const b = got.get('B') ?? 0;
    expect(a).toBeGreaterThan(b);
    // Binomial spread of the bound half: 3/4 within a few points.
    expect(a / (a + b)).toBeCloseTo(0.75, 1);
  });

  it('an agent who worked the last two days holds recent contacts and receives more than a newcomer', () => {
    const reply = { kind: 'fixed', ms: 10_000 } as const;
    const days = [0, 1, 2].map((d) => ({ from: d * DAY + 9 * HOUR, to: d * DAY + 21 * HOUR }));
    const day3 = 2 * DAY;
    const scenario: Scenario = {
      router: {},
      agents: [
        { id: 'veteran', cap: 20, shifts: days, replyTimeMs: reply },
        { id: 'newcomer', cap: 20, shifts: days.slice(2), replyTimeMs: reply },
      ],
      arrivals: { perHour: [0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 0, 0, 0] },
      customers: { returningShare: 0.5 },
      durationMs: 3 * DAY,
      seed: 1,
    };
    const result = simulate(scenario);
    const onDay3 = result.decisions.filter((d) => d.kind === 'agent' && d.at >= day3);
    const count = (id: string, reason?: string): number => onDay3.filter((d) => d.kind === 'agent' && d.agentId === id && (reason === undefined || d.reason === reason)).length;
    expect(count('veteran')).toBeGreaterThan(count('newcomer') * 1.5);
    expect(count('veteran', 'recent-contact')).toBeGreaterThan(count('newcomer', 'recent-contact'));
    // The new customers are shared evenly: the difference is the recent contacts. The split counts
    // the consultations it placed, on arrival or from the queue (the chats left open overnight,
    // served at 09:00), not the hand-overs of rule 9 when the shift ends at 21:00.
    const split = (id: string): number => onDay3.filter((d) => d.kind === 'agent' && d.agentId === id && d.reason === 'split' && d.reroutedFrom === undefined).length;
    expect(onDay3.some((d) => d.kind === 'agent' && d.agentId === 'newcomer' && d.reason === 'split' && d.waitedMs !== undefined)).toBe(true);
    expect(Math.abs(split('veteran') - split('newcomer'))).toBeLessThanOrEqual(2);
  });

  it('with busy-aware balancing a fast responder receives more than a slow one', () => {
    const got = assignments({
      router: { splitMode: 'average', busyThreshold: 4, stickyWindowMs: 0 },
      agents: [
        { id: 'fast', cap: 40, replyTimeMs: { kind: 'exponential', meanMs: 15_000 } },
        { id: 'slow', cap: 40, replyTimeMs: { kind: 'exponential', meanMs: 180_000 } },
      ],
      // 4 a minute: the slow agent's unanswered customers pile up past the busy threshold.
      arrivals: { perHour: 240 },
      durationMs: 8 * HOUR,
      seed: 1,
    });
    const fast = got.get('fast') ?? 0;
    const slow = got.get('slow') ?? 0;
    expect(fast).toBeGreaterThan(slow * 1.2);
  });
});
