import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { erlangC } from '../../src/planning/index.js';
import { simulate, type Scenario } from '../../src/simulate/index.js';
import { batchMeans, waitOf } from './_batch.js';

const HOUR = 3_600_000;
const MIN = 60_000;

function endsOf(s: Scenario): Map<string, number | null> {
  return new Map(simulate(s).consultations.map((c) => [c.customerId, c.endedAt]));
}

const twoChats = (over: Partial<Scenario['agents'][number]> = {}): Scenario => ({
  router: {},
  agents: [{ id: 'a', cap: 2, replyTimeMs: { kind: 'fixed', ms: 0 }, handleTimeMs: { kind: 'fixed', ms: 10 * MIN }, handleTimeFactors: [1, 2], ...over }],
  arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: 2 * MIN, customerId: 'c2' }] },
  durationMs: HOUR,
  seed: 1,
});

describe('handling that slows with the number of chats held', () => {
  it('moves the ends of the chats an agent holds whenever it takes or ends one', () => {
    // 10 minutes of work each, twice as slow with two chats. c1 works alone for 2 min (8 left);
    // from 2 min both go at half pace: c1 ends at 2 + 16 = 18 min. By then c2 has done 8 min, and
    // alone again it does the last 2 by 20 min.
    const ends = endsOf(twoChats());
    expect(ends.get('c1')).toBeCloseTo(18 * MIN, 6);
    expect(ends.get('c2')).toBeCloseTo(20 * MIN, 6);
    // Without factors, each chat takes its 10 minutes.
    expect([...endsOf({ ...twoChats(), agents: [{ id: 'a', cap: 2, handleTimeMs: { kind: 'fixed', ms: 10 * MIN } }] }).values()]).toEqual([10 * MIN, 12 * MIN]);
  });

  it('the last factor holds above the array, and a chat handed over leaves its agent lighter', () => {
    // Three chats with [1, 2]: the third level is 2 as well. c1, c2, c3 at 0 with 6 min of work each
    // end together at 12 min.
    const three: Scenario = {
      ...twoChats({ cap: 3, handleTimeMs: { kind: 'fixed', ms: 6 * MIN } }),
      arrivals: { trace: ['c1', 'c2', 'c3'].map((customerId) => ({ at: 0, customerId })) },
    };
    for (const end of endsOf(three).values()) expect(end).toBeCloseTo(12 * MIN, 6);

    // Agent a's shift ends at 4 min with c1 and c2; b (on since 3 min) takes both afresh, 8 min of
    // work each at the pace of two chats: 8 × 2 = 16 more, to 20 min. a's end events go stale.
    const handover: Scenario = {
      router: {},
      agents: [
        { id: 'a', cap: 2, shifts: [{ from: 0, to: 4 * MIN }], replyTimeMs: { kind: 'fixed', ms: 0 }, handleTimeMs: { kind: 'fixed', ms: 10 * MIN }, handleTimeFactors: [1, 2] },
        { id: 'b', cap: 2, shifts: [{ from: 3 * MIN, to: HOUR }], replyTimeMs: { kind: 'fixed', ms: 0 }, handleTimeMs: { kind: 'fixed', ms: 8 * MIN }, handleTimeFactors: [1, 2] },
      ],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: 0, customerId: 'c2' }] },
      durationMs: HOUR,
      seed: 1,
    };
    const r = simulate(handover);
    expect(r.summary.transfers).toBe(2);
    for (const c of r.consultations) expect(c.endedAt).toBeCloseTo(20 * MIN, 6);
  });

  it('an agent holding over a thousand chats ends each when processor sharing by level does', () => {
    // One agent, no cap, 1,500 chats of 10 minutes' work arriving faster than it finishes them: the
    // level climbs past a thousand, and past the end of the factors' array (its last one holds).
    const factors = Array.from({ length: 40 }, (_, k) => 1 + 0.05 * k);
    const arrivals: number[] = [];
    for (let i = 0, t = 0; i < 1500; i++) arrivals.push((t += 200 + ((i * 7_919) % 1_300)));
    const r = simulate({
      router: {},
      agents: [{ id: 'a', replyTimeMs: { kind: 'fixed', ms: 0 }, handleTimeMs: { kind: 'fixed', ms: 10 * MIN }, handleTimeFactors: factors }],
      arrivals: { trace: arrivals.map((at, i) => ({ at, customerId: `c${i}` })) },
      durationMs: 1_000 * HOUR,
      seed: 1,
    });
    const expected = processorSharing(arrivals, 10 * MIN, (k) => factors[Math.min(k, factors.length) - 1] as number);
    const ends = new Map(r.consultations.map((c) => [c.customerId, c.endedAt]));
    for (let i = 0; i < arrivals.length; i++) {
      const end = ends.get(`c${i}`) as number;
      expect(Math.abs(end - (expected.ends[i] as number))).toBeLessThan(1e-6 * end);
    }
    expect(expected.peak).toBeGreaterThan(1000);
  });

  it('a chat its agent never answers counts in the level but keeps its drawn time', () => {
    const ends = endsOf(twoChats({ noAnswerShare: 1 }));
    expect([...ends.values()]).toEqual([10 * MIN, 12 * MIN]);
  });

  it('factors of 1 change no end', () => {
    const s: Scenario = {
      router: { noAgent: 'queue' },
      agents: ['a', 'b'].map((id) => ({ id, cap: 3, handleTimeMs: { kind: 'exponential', meanMs: 4 * MIN } as const })),
      arrivals: { perHour: 70 },
      durationMs: 8 * HOUR,
      seed: 3,
    };
    const plain = simulate(s).consultations;
    const flat = simulate({ ...s, agents: s.agents.map((a) => ({ ...a, handleTimeFactors: [1, 1, 1] })) }).consultations;
    expect(flat.length).toBe(plain.length);
    flat.forEach((c, i) => {
      const p = plain[i];
      expect(c.firstAgentId).toBe(p?.firstAgentId);
      expect(c.outcome).toBe(p?.outcome);
      if (p?.endedAt != null) expect(c.endedAt).toBeCloseTo(p.endedAt, 3);
    });
  });

  it.each([
    [[], 'scenario.agents[0].handleTimeFactors', 'a non-empty array of finite numbers > 0'],
    ['1.5', 'scenario.agents[0].handleTimeFactors', 'a non-empty array of finite numbers > 0'],
    [[1, 0], 'scenario.agents[0].handleTimeFactors[1]', 'a finite number > 0'],
    [[Number.NaN, 2], 'scenario.agents[0].handleTimeFactors[0]', 'a finite number > 0'],
  ])('rejects handleTimeFactors = %j as INVALID_SCENARIO', (handleTimeFactors, field, what) => {
    let error: unknown;
    try {
      simulate(twoChats({ handleTimeFactors: handleTimeFactors as never }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({ code: 'INVALID_SCENARIO', field });
    expect((error as RoutingError).message).toContain(what);
  });
});

/**
 * The ends of chats of `workMs` each arriving at `arrivals` (increasing) at one agent who, holding
 * `k`, works on each at `1 / factor(k)` of the pace alone — stepped from event to event, every chat
 * by hand: the model the simulator's work clock must match. Also the most chats held at once.
 */
function processorSharing(arrivals: readonly number[], workMs: number, factor: (k: number) => number): { ends: number[]; peak: number } {
  const ends: number[] = [];
  const held: { i: number; left: number }[] = [];
  let t = 0;
  let next = 0;
  let peak = 0;
  while (next < arrivals.length || held.length > 0) {
    const f = held.length > 0 ? factor(held.length) : 1;
    let first = 0;
    for (let j = 1; j < held.length; j++) if ((held[j]?.left as number) < (held[first]?.left as number)) first = j;
    const doneAt = held.length > 0 ? t + (held[first]?.left as number) * f : Infinity;
    const arrivesAt = next < arrivals.length ? (arrivals[next] as number) : Infinity;
    const to = Math.min(doneAt, arrivesAt);
    for (const h of held) h.left -= (to - t) / f;
    t = to;
    if (doneAt < arrivesAt) ends[(held.splice(first, 1)[0] as { i: number }).i] = t;
    else held.push({ i: next++, left: workMs });
    peak = Math.max(peak, held.length);
  }
  return { ends, peak };
}

describe('the simulator and the planning chain agree on a floor that slows down', () => {
  // 4 agents, 3 chats each, 4 min alone, 5 with two, 6.5 with three; 80 an hour (ρ = 0.54 at the
  // cap's pace). busyThreshold 0 with replies at the end of the chat makes the router give each
  // chat to the agent holding fewest (its pending count is its chats): the nearest the router
  // comes to the even spread of the chain.
  const hours = 700;
  const scenario = (factors: number[] | undefined): Scenario => ({
    router: { splitMode: 'average', noAgent: 'queue', busyThreshold: 0 },
    agents: Array.from({ length: 4 }, (_, i) => ({
      id: `a${i}`,
      cap: 3,
      replyTimeMs: { kind: 'fixed', ms: 10 * HOUR } as const,
      handleTimeMs: { kind: 'exponential', meanMs: 4 * MIN } as const,
      ...(factors === undefined ? {} : { handleTimeFactors: factors }),
    })),
    arrivals: { perHour: 80 },
    durationMs: hours * HOUR,
    seed: 31,
    sampleEveryMs: 10 * HOUR,
  });
  const measure = (s: Scenario) => {
    const r = simulate(s);
    const from = s.durationMs / 10;
    const to = s.durationMs - HOUR;
    return {
      waitProbability: batchMeans(r, from, to, 20, (c) => (waitOf(c) > 0 ? 1 : 0)),
      meanWaitMs: batchMeans(r, from, to, 20, waitOf),
    };
  };

  it('waits longer with slowdown, as much longer as the chain says (4 standard errors)', () => {
    const slowing = measure(scenario([1, 1.25, 1.625]));
    const steady = measure(scenario(undefined));
    const chain = erlangC({ arrivalsPerHour: 80, handleTimeMs: [4 * MIN, 5 * MIN, 6.5 * MIN], agents: 4, answerWithinMs: MIN });
    const servers = erlangC({ arrivalsPerHour: 80, handleTimeMs: 4 * MIN, agents: 4, concurrency: 3, answerWithinMs: MIN });
    console.log(
      `slowing: P(wait) sim ${slowing.waitProbability.mean.toFixed(4)} ± ${slowing.waitProbability.se.toFixed(4)} vs chain ${chain.waitProbability.toFixed(4)}; ` +
        `mean wait sim ${(slowing.meanWaitMs.mean / 1000).toFixed(2)} s ± ${(slowing.meanWaitMs.se / 1000).toFixed(2)} vs ${(chain.meanWaitMs / 1000).toFixed(2)} s; ` +
        `without: P(wait) sim ${steady.waitProbability.mean.toFixed(4)} vs Erlang C ${servers.waitProbability.toFixed(4)}`,
    );
    expect(slowing.meanWaitMs.mean).toBeGreaterThan(5 * steady.meanWaitMs.mean);
    expect(slowing.waitProbability.mean).toBeGreaterThan(steady.waitProbability.mean + 10 * slowing.waitProbability.se);
    expect(Math.abs(slowing.waitProbability.mean - chain.waitProbability)).toBeLessThan(4 * slowing.waitProbability.se);
    expect(Math.abs(slowing.meanWaitMs.mean - chain.meanWaitMs)).toBeLessThan(4 * slowing.meanWaitMs.se);
    expect(Math.abs(steady.waitProbability.mean - servers.waitProbability)).toBeLessThan(4 * steady.waitProbability.se);
  });
});
