import { describe, expect, it } from 'vitest';
import { compare, simulate, type Scenario, type SimulationResult } from '../../src/simulate/index.js';
import type { Decision } from '../../src/types.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const fixed = (ms: number) => ({ kind: 'fixed', ms }) as const;

/** A shop under enough load that capacity decides the waits: three agents, lingering chats. */
const busy: Scenario = {
  router: {},
  agents: ['a', 'b', 'c'].map((id) => ({ id, cap: 3, handleTimeMs: { kind: 'lognormal', medianMs: 6 * MINUTE, sigma: 0.8 } as const })),
  arrivals: { perHour: 80 },
  customers: { returningShare: 0.2, patienceMs: { kind: 'exponential', meanMs: 10 * MINUTE } },
  durationMs: 8 * HOUR,
  seed: 11,
};

/**
 * docs/simulation.md's shop for weighing capacity: three agents of cap 3, a day of traffic with an
 * evening peak, customers who give up after 10 minutes (mean) in the queue.
 */
function dayShop(seed: number): Scenario {
  return {
    router: {},
    agents: ['a1', 'a2', 'a3'].map((id) => ({ id, cap: 3, handleTimeMs: { kind: 'lognormal', medianMs: 6 * MINUTE, sigma: 0.8 } as const })),
    arrivals: { perHour: [2, 1, 1, 1, 1, 2, 4, 8, 16, 30, 40, 44, 38, 40, 44, 42, 38, 36, 40, 56, 60, 40, 20, 6] },
    customers: { returningShare: 0.2, patienceMs: { kind: 'exponential', meanMs: 10 * MINUTE } },
    robot: { resolveShare: 0.4 },
    durationMs: 24 * HOUR,
    seed,
  };
}

/** The time of every customer message: the arrivals, whatever became of them. */
const arrivalTimes = (r: SimulationResult): number[] => r.events.filter((e) => e.type === 'customer-message').map((e) => e.at);

/** Every sampled (agent, time) state: the load and the number of chats held. */
function samples(r: SimulationResult): { load: number; active: number }[] {
  return r.series.agents.flatMap((a) => a.load.map((load, i) => ({ load, active: a.active[i] as number })));
}

const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / xs.length;

/** The decision that placed `customerId` first. */
const firstDecision = (r: SimulationResult, customerId: string): Decision | undefined => r.decisions.find((d) => d.customerId === customerId);

describe('wrap-up (wrapUpMs) in simulated runs', () => {
  it('keeps the slot taken after the end, and the queue is served when it is over', () => {
    const one = (wrapUpMs: number): SimulationResult => simulate({
      router: { wrapUpMs },
      agents: [{ id: 'a', cap: 1, replyTimeMs: fixed(10_000), handleTimeMs: fixed(5 * MINUTE) }],
      arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: MINUTE, customerId: 'c2' }] },
      durationMs: HOUR,
      seed: 1,
    });
    const served = (r: SimulationResult): number | null => r.consultations.find((c) => c.customerId === 'c2')?.firstAssignedAt ?? null;
    expect(served(one(0))).toBe(5 * MINUTE);
    expect(served(one(30_000))).toBe(5 * MINUTE + 30_000);
  });

  it.each([1, 2])('compare(): a wrap-up of 30 s against none, on the same arrivals, makes the mean wait longer (seed %i)', (seed) => {
    const { runs } = compare(dayShop(seed), { 'wrap-up 30 s': { router: { wrapUpMs: 30_000 } } });
    const [none, wrapUp] = runs.map((r) => r.result) as [SimulationResult, SimulationResult];
    expect(arrivalTimes(wrapUp)).toEqual(arrivalTimes(none));
    expect(wrapUp.summary.meanWaitMs as number).toBeGreaterThan(none.summary.meanWaitMs as number);
    expect(wrapUp.summary.abandonments).toBeGreaterThanOrEqual(none.summary.abandonments);
    expect(wrapUp.summary.responseRate1m as number).toBeLessThan(none.summary.responseRate1m as number);
    // A wrap-up takes the chat's place in the cap, never more.
    for (const r of [none, wrapUp]) for (const s of samples(r)) expect(s.load).toBeLessThanOrEqual(3);
  });
});

describe('inactivity release (inactiveAfterMs) in simulated runs', () => {
  // One agent of cap 1; every reply 10 s after the message, every chat 30 minutes long.
  const quiet: Scenario = {
    router: { inactiveAfterMs: 10 * MINUTE },
    agents: [{ id: 'a', cap: 1, replyTimeMs: fixed(10_000), handleTimeMs: fixed(30 * MINUTE) }],
    arrivals: { trace: [{ at: 0, customerId: 'c1' }, { at: MINUTE, customerId: 'c2' }, { at: 15 * MINUTE, customerId: 'c1' }] },
    durationMs: HOUR,
    sampleEveryMs: MINUTE,
    seed: 1,
  };

  it('a chat nobody wrote in frees its slot for the queue; a message resumes it, even above the cap', () => {
    const r = simulate(quiet);
    // c1 was answered at 0:10 and went quiet: on hold at 10:10, when c2 (queued since 1:00) got the agent.
    const c2 = firstDecision(r, 'c2');
    expect(c2?.kind).toBe('queued');
    const served = r.decisions.find((d) => d.customerId === 'c2' && d.kind === 'agent');
    expect(served?.at).toBe(10 * MINUTE + 10_000);
    expect(served?.waitedMs).toBe(9 * MINUTE + 10_000);
    const load = r.series.agents[0]?.load as number[];
    expect(load[9]).toBe(1); // c1 only
    expect(load[11]).toBe(1); // c2 only: c1 on hold
    expect(load[16]).toBe(2); // c1's follow-up at 15:00 resumed it above the cap
    expect(load[21]).toBe(1); // c2 quiet since 10:20: on hold at 20:20
    expect(load[26]).toBe(0); // c1 quiet again since 15:10: on hold at 25:10
    // Holds: c1 at 10:10 (resumed at 15:00), c2 at 20:20, c1 at 25:10 (ended on hold at 30:00).
    expect(r.summary.inactivityHolds).toBe(3);
    expect(r.summary.resumed).toBe(1);
  });

  it.each([3, 4])('the holds counted are those a recount from the decisions and the messages finds (seed %i)', (seed) => {
    // Follow-ups to open chats are common here, and one agent leaves with chats on hold.
    const inactiveAfterMs = 4 * MINUTE;
    const scenario: Scenario = {
      ...dayShop(seed),
      router: { inactiveAfterMs },
      agents: ['a1', 'a2', 'a3'].map((id, i) => ({
        id, cap: 3, handleTimeMs: { kind: 'lognormal', medianMs: 8 * MINUTE, sigma: 0.8 } as const,
        ...(i === 0 ? { shifts: [{ from: 0, to: 20 * HOUR }] } : {}),
      })),
      customers: { returningShare: 0.5, patienceMs: { kind: 'exponential', meanMs: 10 * MINUTE } },
    };
    const r = simulate(scenario);
    // A chat with an agent goes on hold when nobody wrote for inactiveAfterMs since its assignment
    // or its last message; the hold ends with a message (resumed), or when the chat leaves the agent.
    type Step = { at: number; order: number; what: 'assign' | 'away' | 'message' | 'leave' };
    const steps = new Map<string, Step[]>();
    const add = (customerId: string, step: Step): void => {
      const list = steps.get(customerId) ?? [];
      list.push(step);
      steps.set(customerId, list);
    };
    r.decisions.forEach((d, order) => add(d.customerId, { at: d.at, order, what: d.kind === 'agent' ? 'assign' : 'away' }));
    r.events.forEach((e, order) => {
      if (e.type === 'customer-message' || e.type === 'agent-reply') add(e.customerId, { at: e.at, order, what: 'message' });
      if (e.type === 'end') add(e.customerId, { at: e.at, order, what: 'leave' });
    });
    let holds = 0;
    let resumed = 0;
    for (const list of steps.values()) {
      list.sort((x, y) => x.at - y.at || x.order - y.order);
      let withAgent = false;
      let quietSince = 0;
      for (const step of list) {
        if (withAgent && step.at - quietSince >= inactiveAfterMs) {
          holds++;
          if (step.what === 'message') resumed++;
        }
        if (step.what === 'assign' || (step.what === 'message' && withAgent)) quietSince = step.at;
        if (step.what === 'assign') withAgent = true;
        if (step.what === 'away' || step.what === 'leave') withAgent = false;
      }
      if (withAgent && quietSince + inactiveAfterMs < scenario.durationMs) holds++;
    }
    expect(r.summary.inactivityHolds).toBe(holds);
    expect(r.summary.resumed).toBe(resumed);
    expect(resumed).toBeGreaterThan(10);
  });

  it('without the option, nothing goes on hold and the queue waits for the end', () => {
    const r = simulate({ ...quiet, router: {} });
    expect(r.summary.inactivityHolds).toBe(0);
    expect(r.decisions.find((d) => d.customerId === 'c2' && d.kind === 'agent')?.at).toBe(30 * MINUTE);
  });

  it.each([1, 2])('compare(): release after 10 minutes against 20 frees capacity sooner — more holds, shorter waits (seed %i)', (seed) => {
    const { runs } = compare({ ...dayShop(seed), router: { inactiveAfterMs: 20 * MINUTE } }, { '10 min': { router: { inactiveAfterMs: 10 * MINUTE } } });
    const [twenty, ten] = runs.map((r) => r.figures) as [SimulationResult['summary'], SimulationResult['summary']];
    expect(ten.inactivityHolds).toBeGreaterThan(twenty.inactivityHolds);
    expect(twenty.inactivityHolds).toBeGreaterThan(0);
    expect(ten.meanWaitMs as number).toBeLessThan(twenty.meanWaitMs as number);
    expect(ten.abandonments).toBeLessThan(twenty.abandonments);
    for (const f of [ten, twenty]) expect(f.resumed).toBeLessThanOrEqual(f.inactivityHolds);
  });
});

describe('consultation costs (customers.costs) in simulated runs', () => {
  it('a chat of cost 3 fills an agent of cap 3: the next one waits for its end', () => {
    const r = simulate({
      router: {},
      agents: [{ id: 'a', cap: 3, replyTimeMs: fixed(10_000), handleTimeMs: fixed(10 * MINUTE) }],
      arrivals: { trace: [{ at: 0, customerId: 'video', cost: 3 }, { at: MINUTE, customerId: 'text' }] },
      durationMs: HOUR,
      sampleEveryMs: MINUTE,
      seed: 1,
    });
    expect(r.consultations.map((c) => c.cost)).toEqual([3, undefined]);
    expect(firstDecision(r, 'text')?.kind).toBe('queued');
    expect(r.decisions.find((d) => d.customerId === 'text' && d.kind === 'agent')?.at).toBe(10 * MINUTE);
    expect(r.series.agents[0]?.load[5]).toBe(3);
    expect(r.series.agents[0]?.active[5]).toBe(1);
  });

  it('costs are drawn in the shares given, from a stream of their own', () => {
    const base: Scenario = { ...busy, customers: { ...busy.customers, returningShare: 0, segments: { vip: 1, regular: 3 } } };
    const { runs } = compare(base, { video: { customers: { ...base.customers, costs: { '1': 3, '2': 1 } } } });
    const [plain, video] = runs.map((r) => r.result) as [SimulationResult, SimulationResult];
    // The arrivals and every other draw stay what they were.
    const who = (r: SimulationResult) => r.consultations.map((c) => [c.arrivedAt, c.customerId, c.orderState, c.segment]);
    expect(who(video)).toEqual(who(plain));
    expect(plain.consultations.every((c) => c.cost === undefined)).toBe(true);
    const costs = video.consultations.map((c) => c.cost ?? 1);
    expect(new Set(costs)).toEqual(new Set([1, 2]));
    const share = costs.filter((c) => c === 2).length / costs.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
  });

  it('a mix of cost 1 only changes nothing at all', () => {
    const plain = simulate(busy);
    const ones = simulate({ ...busy, customers: { ...busy.customers, costs: { '1': 1 } } });
    const { metrics: _a, ...a } = plain;
    const { metrics: _b, ...b } = ones;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it.each([1, 2])('compare(): one chat in five a video call of cost 2 makes the waits longer, the load within the cap (seed %i)', (seed) => {
    const shop = dayShop(seed);
    const { runs } = compare(shop, { video: { customers: { ...shop.customers, costs: { '1': 4, '2': 1 } } } });
    const [text, video] = runs.map((r) => r.result) as [SimulationResult, SimulationResult];
    expect(arrivalTimes(video)).toEqual(arrivalTimes(text));
    expect(video.summary.meanWaitMs as number).toBeGreaterThan(text.summary.meanWaitMs as number);
    expect(video.summary.abandonments).toBeGreaterThan(text.summary.abandonments);
    for (const s of samples(video)) expect(s.load).toBeLessThanOrEqual(3);
    expect(samples(video).some((s) => s.load > s.active)).toBe(true);
  });

  it('compare(): video calls of cost 2 lower the number of chats an agent holds at once, the load never above the cap', () => {
    const shop: Scenario = { ...busy, agents: busy.agents.map((a) => ({ ...a, cap: 4 })), arrivals: { perHour: 100 } };
    const { runs } = compare(shop, { 'video calls': { customers: { ...shop.customers, costs: { '1': 1, '2': 1 } } } });
    const [text, video] = runs.map((r) => samples(r.result));
    for (const s of [...(text ?? []), ...(video ?? [])]) {
      expect(s.load).toBeLessThanOrEqual(4);
      expect(s.active).toBeLessThanOrEqual(s.load);
    }
    const active = (xs: { active: number }[] | undefined): number => mean((xs ?? []).map((s) => s.active));
    expect(active(video)).toBeLessThan(active(text) - 0.5);
    // Without costs a chat is one unit: the load is the number of chats held.
    for (const s of text ?? []) expect(s.load).toBe(s.active);
  });
});

describe('docs/simulation.md, weighing capacity', () => {
  it('the table and the evening figures are what seed 1 gives', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/simulation.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Weighing capacity'));
    const shop = dayShop(1);
    const day = ['09:00-18:00'];
    const week = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
    const { runs } = compare(shop, {
      'wrap-up 30 s': { router: { wrapUpMs: 30_000 } },
      'inactive after 20 min': { router: { inactiveAfterMs: 20 * MINUTE } },
      'inactive after 10 min': { router: { inactiveAfterMs: 10 * MINUTE } },
      'one in five a video call': { customers: { ...shop.customers, costs: { '1': 4, '2': 1 } } },
      '09:00–18:00, robot at night': { router: { robot: true, businessHours: { timeZone: 'UTC', weekly: week } } },
    });
    const pct = (x: number | null): string => `${((x ?? Number.NaN) * 100).toFixed(1)} %`;
    const secs = (ms: number | null): string => `${((ms ?? Number.NaN) / 1000).toFixed(1)} s`;
    for (const { name, figures: f } of runs) {
      const row = [pct(f.responseRate1m), secs(f.firstResponseTimeMs), secs(f.meanWaitMs), f.abandonments, f.robotResolved, f.closed, f.inactivityHolds].join(' | ');
      expect(section).toContain(`| ${name === 'base' ? 'as given (24 h, no wrap-up)' : name} | ${row} |`);
    }
    // At the evening peak (19:00–22:00): chats held at once and load, per agent on average.
    const evening = (r: SimulationResult): { active: number; load: number } => {
      const at = r.series.times.flatMap((t, i) => (t >= 19 * HOUR && t < 22 * HOUR ? [i] : []));
      const per = (pick: (a: SimulationResult['series']['agents'][number], i: number) => number): number => mean(r.series.agents.flatMap((a) => at.map((i) => pick(a, i))));
      return { active: per((a, i) => a.active[i] as number), load: per((a, i) => a.load[i] as number) };
    };
    const text = evening((runs[0] as { result: SimulationResult }).result);
    const video = evening((runs[4] as { result: SimulationResult }).result);
    expect(section).toContain(`held ${video.active.toFixed(2)} chats at once on average against ${text.active.toFixed(2)}`);
    expect(section).toContain(`(${video.load.toFixed(2)})`);
  });
});
