import { describe, expect, it } from 'vitest';
import { simulate, type Scenario } from '../../src/simulate/index.js';
import { Prng } from '../../src/simulate/prng.js';

// The simulator's stated orders and edges (docs/simulation.md and its result types), each on the
// case that tells the two readings apart.
const MIN = 60_000;
const fixed = (ms: number) => ({ kind: 'fixed', ms }) as const;
const run = (s: Omit<Scenario, 'durationMs' | 'seed'>) => simulate({ durationMs: 60 * MIN, seed: 1, ...s });

describe('orders at equal times', () => {
  it('a shift that starts when a customer writes is on duty for them: shift changes come first', () => {
    const r = run({
      router: {},
      agents: [{ id: 'a', shifts: [{ from: MIN, to: 60 * MIN }], replyTimeMs: fixed(1_000), handleTimeMs: fixed(MIN) }],
      arrivals: { trace: [{ at: MIN, customerId: 'c1' }] },
    });
    expect(r.decisions[0]).toMatchObject({ kind: 'agent', agentId: 'a', at: MIN });
  });

  it('sample i is the state at times[i] after every event up to that time, one at times[i] included', () => {
    const r = run({
      router: {},
      agents: [{ id: 'a', replyTimeMs: fixed(1_000), handleTimeMs: fixed(10 * MIN) }],
      arrivals: { trace: [{ at: MIN, customerId: 'c1' }] },
      sampleEveryMs: MIN,
    });
    expect(r.series.times.slice(0, 3)).toEqual([0, MIN, 2 * MIN]);
    expect(r.series.agents[0]?.active.slice(0, 3)).toEqual([0, 1, 1]);
  });
});

describe('holds and patience', () => {
  // a holds c1 (cap 1); c2, a's returning customer, arrives at 1 s and is held 60 s for a.
  const held = (c1HandleMs: number, patienceMs?: number) => run({
    router: { holdForRecentContactMs: MIN },
    agents: [
      { id: 'a', cap: 1, replyTimeMs: fixed(1_000), handleTimeMs: fixed(c1HandleMs) },
      { id: 'b', cap: 1, replyTimeMs: fixed(1_000), handleTimeMs: fixed(2 * MIN) },
    ],
    arrivals: { trace: [
      { at: 0, customerId: 'c1', dedicatedAgentId: 'a' },
      { at: 1_000, customerId: 'c2', recentContacts: [{ agentId: 'a', at: 0 }], ...(patienceMs === undefined ? {} : { patienceMs }) },
    ] },
  });

  it('a hold is kept when its agent frees up before it ends, and not when someone else takes the chat', () => {
    const kept = held(30_000);
    expect(kept.summary).toMatchObject({ holds: 1, holdsKept: 1 });
    expect(kept.consultations[1]).toMatchObject({ firstAgentId: 'a', firstAssignedAt: 30_000 });
    const lost = held(10 * MIN);
    expect(lost.summary).toMatchObject({ holds: 1, holdsKept: 0 });
    expect(lost.consultations[1]).toMatchObject({ firstAgentId: 'b', firstAssignedAt: 61_000 });
  });

  it('a new consultation\'s patience runs from its arrival, the hold included', () => {
    // a alone, busy for ten minutes: c2 is held, then queued.
    const r = run({
      router: { holdForRecentContactMs: MIN },
      agents: [{ id: 'a', cap: 1, replyTimeMs: fixed(1_000), handleTimeMs: fixed(10 * MIN) }],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: 1_000, customerId: 'c2', recentContacts: [{ agentId: 'a', at: 0 }], patienceMs: 100_000 }] },
    });
    expect(r.summary.holds).toBe(1);
    expect(r.abandonments).toEqual([{ customerId: 'c2', at: 101_000, waitedMs: 100_000 }]);
  });
});

describe('the summary\'s definitions', () => {
  it('abandonmentRate is abandonments / consultations; a follow-up is no consultation', () => {
    const r = run({
      router: {},
      agents: [{ id: 'a', cap: 1, replyTimeMs: fixed(1_000), handleTimeMs: fixed(10 * MIN) }],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: 5_000, customerId: 'c1' }, { at: 10_000, customerId: 'c2', patienceMs: 30_000 }] },
    });
    expect(r.summary).toMatchObject({ consultations: 2, followUps: 1, abandonments: 1, abandonmentRate: 0.5 });
  });

  it('an answer at exactly 60 s is within the minute, for the group as for the shop', () => {
    const r = run({
      router: { groups: [{ id: 'g', orderStates: ['none'] }] },
      agents: [{ id: 'a', groups: ['g'], replyTimeMs: fixed(MIN), handleTimeMs: fixed(10 * MIN) }],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }] },
    });
    expect(r.consultations[0]?.firstReplyAt).toBe(MIN);
    expect(r.summary.responseRate1m).toBe(1);
    expect(r.summary.groups.find((g) => g.groupId === 'g')?.responseRate1m).toBe(1);
  });

  it('a uniform distribution may be a single value (maxMs = minMs)', () => {
    const r = run({
      router: {},
      agents: [{ id: 'a', replyTimeMs: fixed(1_000), handleTimeMs: { kind: 'uniform', minMs: MIN, maxMs: MIN } }],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: 5 * MIN, customerId: 'c2' }] },
    });
    expect(r.consultations.map((c) => (c.endedAt ?? 0) - (c.firstAssignedAt ?? 0))).toEqual([MIN, MIN]);
  });
});

describe('the generator is xoshiro128**', () => {
  it('draws what the published algorithm draws from the same state', () => {
    // Blackman & Vigna's reference, in BigInt: result = rotl(s1 * 5, 7) * 9, then the xor-shift step.
    const mask = (1n << 32n) - 1n;
    const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & mask;
    const s = [1n, 2n, 3n, 4n];
    const reference: number[] = [];
    for (let i = 0; i < 8; i++) {
      reference.push(Number((rotl((s[1]! * 5n) & mask, 7n) * 9n) & mask));
      const t = (s[1]! << 9n) & mask;
      s[2]! ^= s[0]!; s[3]! ^= s[1]!; s[1]! ^= s[2]!; s[0]! ^= s[3]!; s[2]! ^= t;
      s[3] = rotl(s[3]!, 11n);
    }
    const ours = new Prng([1, 2, 3, 4]);
    expect(Array.from({ length: 8 }, () => ours.nextUint32())).toEqual(reference);
  });
});
