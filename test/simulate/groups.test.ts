import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../src/errors.js';
import { simulate, type Scenario, type SimulationResult } from '../../src/simulate/index.js';
import type { GroupSpec } from '../../src/types.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const GROUPS: GroupSpec[] = [
  { id: '会员', segments: ['vip'] }, // members
  { id: '鞋类', products: ['sneakers', 'boots'] }, // shoe specialists
  { id: '售后', orderStates: ['refunding', 'completed'], intents: ['refund'] }, // after-sales
  { id: '通用' }, // everyone else
];

/** A shop with the four groups of docs/routing.md's worked example, and a mix of every scope. */
const shop: Scenario = {
  router: { groups: GROUPS },
  agents: [
    { id: 'vip-1', cap: 4, groups: ['会员'] },
    { id: 'shoe-1', cap: 4, groups: ['鞋类'] },
    { id: 'shoe-2', cap: 4, groups: ['鞋类'] },
    { id: 'after-1', cap: 4, groups: ['售后'] },
    { id: 'general-1', cap: 4, groups: ['通用'] },
    { id: 'general-2', cap: 4, groups: ['通用'] },
  ],
  arrivals: { perHour: 100 },
  customers: {
    segments: { vip: 1, regular: 4 },
    products: { sneakers: 2, boots: 1, hat: 2, other: 3 },
    intents: { refund: 1, question: 5 },
    orderStates: { none: 4, unpaid: 1, shipped: 2, refunding: 1, completed: 1 },
    returningShare: 0.2,
    patienceMs: { kind: 'exponential', meanMs: 3 * MINUTE },
  },
  durationMs: 8 * HOUR,
  seed: 30,
};

/**
 * The groups a consultation's scope matches, by the rule as docs/routing.md states it, written
 * out again here: segment → product → intent → order state, each narrowing the remaining groups
 * to those binding its value when any do. `undefined`: nothing narrowed.
 */
function matched(c: { segment?: string; product?: string; intent?: string; orderState: string }): string[] | undefined {
  let remaining = GROUPS;
  let narrowed = false;
  const dims = [['segments', c.segment], ['products', c.product], ['intents', c.intent], ['orderStates', c.orderState]] as const;
  for (const [dim, value] of dims) {
    if (value === undefined) continue;
    const binding = remaining.filter((g) => (g[dim] ?? []).includes(value));
    if (binding.length > 0) {
      remaining = binding;
      narrowed = true;
    }
  }
  return narrowed ? remaining.map((g) => g.id) : undefined;
}

/** The per-group figures recomputed from the decisions and the event log alone. */
function recompute(result: SimulationResult): Map<string | null, { consultations: number; assignments: number; within1m: number; replies: number[]; waits: number[]; abandonments: number }> {
  const out = new Map<string | null, { consultations: number; assignments: number; within1m: number; replies: number[]; waits: number[]; abandonments: number }>();
  for (const id of [...GROUPS.map((g) => g.id), null]) out.set(id, { consultations: 0, assignments: 0, within1m: 0, replies: [], waits: [], abandonments: 0 });
  for (const d of result.decisions) if (d.kind === 'agent') (out.get(d.groupId ?? null) as { assignments: number }).assignments++;
  // Each consultation's first human assignment (decisions) and first human reply (events), by
  // customer, between its arrival and its end.
  const abandoned = new Set(result.abandonments.map((a) => `${a.customerId}@${a.at}`));
  for (const c of result.consultations) {
    const until = c.endedAt ?? Infinity;
    const assignment = result.decisions.find((d) => d.kind === 'agent' && d.customerId === c.customerId && d.at >= c.arrivedAt && d.at <= until);
    const reply = result.events.find((e) => e.type === 'agent-reply' && e.customerId === c.customerId && e.at >= c.arrivedAt && e.at <= until);
    for (const id of matched(c) ?? [null]) {
      const entry = out.get(id) as NonNullable<ReturnType<typeof out.get>>;
      entry.consultations++;
      if (assignment !== undefined) entry.waits.push(assignment.at - c.arrivedAt);
      if (reply !== undefined) {
        entry.replies.push(reply.at - c.arrivedAt);
        if (reply.at - c.arrivedAt <= MINUTE) entry.within1m++;
      }
      if (c.endedAt !== null && abandoned.has(`${c.customerId}@${c.endedAt}`)) entry.abandonments++;
    }
  }
  return out;
}

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

describe('simulation with reception scopes', () => {
  const result = simulate(shop);
  const { summary } = result;
  const groupOf = new Map(shop.agents.map((a) => [a.id, a.groups ?? []]));

  it('routes each consultation with its drawn scope, and records the groups it matched', () => {
    expect(summary.consultations).toBeGreaterThan(600);
    for (const c of result.consultations) expect(c.groups).toEqual(matched(c));
    // Every dimension was drawn, in about the shares given (1 in 5 customers a member).
    const customers = new Map(result.consultations.map((c) => [c.customerId, c.segment]));
    const vip = [...customers.values()].filter((s) => s === 'vip').length / customers.size;
    expect(vip).toBeGreaterThan(0.15);
    expect(vip).toBeLessThan(0.25);
    const share = (f: (c: (typeof result.consultations)[number]) => boolean): number => result.consultations.filter(f).length / result.consultations.length;
    expect(share((c) => c.product === 'boots')).toBeGreaterThan(0.08);
    expect(share((c) => c.product === 'boots')).toBeLessThan(0.18);
    expect(share((c) => c.intent === 'refund')).toBeGreaterThan(0.11);
    expect(share((c) => c.intent === 'refund')).toBeLessThan(0.23);
  });

  it('keeps a returning customer\'s segment', () => {
    const seen = new Map<string, string | undefined>();
    let returning = 0;
    for (const c of result.consultations) {
      if (seen.has(c.customerId)) {
        returning++;
        expect(c.segment).toBe(seen.get(c.customerId));
      }
      seen.set(c.customerId, c.segment);
    }
    expect(returning).toBeGreaterThan(20);
  });

  it('gives every assignment through a group to an agent of that group — 鞋类\'s to the shoe agents', () => {
    const throughShoes = result.decisions.filter((d) => d.kind === 'agent' && d.groupId === '鞋类');
    expect(throughShoes.length).toBeGreaterThan(50);
    for (const d of throughShoes) expect(d.kind === 'agent' && ['shoe-1', 'shoe-2'].includes(d.agentId)).toBe(true);
    for (const d of result.decisions) {
      if (d.kind === 'agent' && d.groupId !== undefined) expect(groupOf.get(d.agentId)).toContain(d.groupId);
    }
  });

  it('lists every group in option order, then the consultations that matched none', () => {
    expect(summary.groups.map((g) => g.groupId)).toEqual(['会员', '鞋类', '售后', '通用', null]);
    // 通用 binds nothing, so no scope ever matches it: its agents take the unmatched consultations.
    expect(summary.groups[3]).toMatchObject({ consultations: 0, assignments: 0 });
  });

  it('adds up: no consultation matches two groups here, and every assignment counts once', () => {
    expect(result.consultations.every((c) => (c.groups?.length ?? 0) <= 1)).toBe(true);
    expect(summary.groups.reduce((n, g) => n + g.consultations, 0)).toBe(summary.consultations);
    expect(summary.groups.reduce((n, g) => n + g.assignments, 0)).toBe(result.decisions.filter((d) => d.kind === 'agent').length);
    expect(summary.groups.reduce((n, g) => n + g.abandonments, 0)).toBe(summary.abandonments);
  });

  it('agrees with the figures recomputed from the decisions and the events', () => {
    const expected = recompute(result);
    for (const g of summary.groups) {
      const e = expected.get(g.groupId);
      expect(e, String(g.groupId)).toBeDefined();
      if (e === undefined) continue;
      expect(g.consultations).toBe(e.consultations);
      expect(g.assignments).toBe(e.assignments);
      expect(g.abandonments).toBe(e.abandonments);
      expect(g.responseRate1m).toBe(e.consultations === 0 ? null : e.within1m / e.consultations);
      const [reply, wait] = [mean(e.replies), mean(e.waits)];
      if (reply === null) expect(g.firstResponseTimeMs).toBeNull();
      else expect(g.firstResponseTimeMs).toBeCloseTo(reply, 6);
      if (wait === null) expect(g.meanWaitMs).toBeNull();
      else expect(g.meanWaitMs).toBeCloseTo(wait, 6);
    }
    // Some group must have had something to measure, or the comparison above proves little.
    expect(summary.groups.filter((g) => g.responseRate1m !== null && g.abandonments > 0).length).toBeGreaterThan(0);
  });

  it('feeds the per-group metrics: each group\'s receptions are the customers first assigned through it', () => {
    const first = new Map<string, string | undefined>();
    const byGroup = new Map<string, Set<string>>();
    const open = new Set<string>();
    for (const e of result.events) {
      // The sim runs within one simulated day per customer-day; a customer's conversation opens at 'consultation'.
      if (e.type === 'consultation' && !open.has(e.customerId)) {
        open.add(e.customerId);
        first.delete(e.customerId);
      } else if (e.type === 'end') open.delete(e.customerId);
      else if (e.type === 'assigned' && e.robot !== true && !first.has(e.customerId)) {
        first.set(e.customerId, e.groupId);
        if (e.groupId !== undefined) {
          let set = byGroup.get(e.groupId);
          if (set === undefined) byGroup.set(e.groupId, (set = new Set()));
          set.add(e.customerId);
        }
      }
    }
    expect([...result.metrics.groups.keys()]).toEqual([...byGroup.keys()].sort());
    for (const [groupId, customers] of byGroup) expect(result.metrics.groups.get(groupId)?.receptions).toBe(customers.size);
  });

  it('tells docs/simulation.md\'s story: 会员, one agent for a fifth of the customers, answers least promptly', () => {
    // The doc's example is this shop.
    const [vip, ...others] = summary.groups.filter((g) => g.consultations > 0);
    expect(vip?.groupId).toBe('会员');
    for (const g of others) {
      expect(vip?.responseRate1m ?? 1).toBeLessThan(g.responseRate1m ?? 0);
      expect(vip?.abandonments ?? 0).toBeGreaterThan(g.abandonments);
      expect(vip?.meanWaitMs ?? 0).toBeGreaterThan(g.meanWaitMs ?? Infinity);
    }
  });

  it('a scenario without groups has no per-group figures', () => {
    const plain = simulate({ ...shop, router: {}, agents: shop.agents.map(({ groups: _g, ...a }) => a) });
    expect(plain.summary.groups).toEqual([]);
    expect(plain.metrics.groups.size).toBe(0);
    expect(plain.consultations.some((c) => c.groups !== undefined)).toBe(false);
  });
});

describe('scope mixes leave the other draws alone', () => {
  // Without groups the scope values route nothing, so a run with mixes must be the run without
  // them, but for the values themselves.
  const base: Scenario = {
    router: {},
    agents: [{ id: 'a', cap: 3 }, { id: 'b', cap: 3, noAnswerShare: 0.1 }],
    arrivals: { perHour: 60 },
    customers: { returningShare: 0.3, patienceMs: { kind: 'exponential', meanMs: 2 * MINUTE } },
    durationMs: 4 * HOUR,
    seed: 5,
  };
  const withMixes = (mixes: Pick<NonNullable<Scenario['customers']>, 'segments' | 'products' | 'intents'>): Scenario => ({ ...base, customers: { ...base.customers, ...mixes } });
  const scopes = (s: Scenario, key: 'segment' | 'product' | 'intent'): string => JSON.stringify(simulate(s).consultations.map((c) => [c.customerId, c[key]]));

  it('adding mixes changes nothing but the values drawn', () => {
    const plain = simulate(base);
    const mixed = simulate(withMixes({ segments: { vip: 1, regular: 1 }, products: { boots: 1, hat: 1 }, intents: { refund: 1 } }));
    expect(mixed.consultations.filter((c) => c.segment === 'vip').length).toBeGreaterThan(10);
    const strip = mixed.consultations.map(({ segment: _s, product: _p, intent: _i, ...c }) => c);
    expect(JSON.stringify({ ...mixed, consultations: strip })).toBe(JSON.stringify(plain));
    expect(plain.consultations.every((c) => c.segment === undefined && c.product === undefined && c.intent === undefined)).toBe(true);
  });

  it('a mix of thousands of products draws each at its share, and never one weighted 0', () => {
    // 3,001 products: 'hot' weighs half the total, the 1,500 odd ones share the other half and the
    // 1,500 even ones weigh 0.
    const products: Record<string, number> = { hot: 1_500 };
    for (let i = 0; i < 3_000; i++) products[`p${i}`] = i % 2;
    const drawn = simulate({ ...withMixes({ products }), arrivals: { perHour: 3_000 } }).consultations.map((c) => c.product as string);
    expect(drawn.length).toBeGreaterThan(10_000);
    expect(drawn.filter((p) => p !== 'hot' && Number(p.slice(1)) % 2 === 0)).toEqual([]);
    const hot = drawn.filter((p) => p === 'hot').length / drawn.length;
    expect(Math.abs(hot - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / drawn.length));
    // The odd products come up alike: none far more often than its share of the other half.
    const counts = new Map<string, number>();
    for (const p of drawn) if (p !== 'hot') counts.set(p, (counts.get(p) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(1_400);
    expect(Math.max(...counts.values())).toBeLessThan(25);
  });

  it('adding a product mix moves no segment drawn', () => {
    const segments = withMixes({ segments: { vip: 1, regular: 2 } });
    expect(scopes(withMixes({ segments: { vip: 1, regular: 2 }, products: { boots: 1, hat: 1 } }), 'segment')).toBe(scopes(segments, 'segment'));
  });

  it('a trace carries its scope values; a customer keeps a segment given earlier in the trace', () => {
    const trace: Scenario = {
      ...base,
      router: { groups: GROUPS },
      agents: [{ id: 'm', cap: 3, groups: ['会员'] }, { id: 's', cap: 3, groups: ['鞋类'] }, { id: 'r', cap: 3, groups: ['售后'] }],
      arrivals: {
        trace: [
          { at: 0, customerId: 'c1', segment: 'vip' },
          { at: 1_000, customerId: 'c2', product: 'boots' },
          { at: 2_000, customerId: 'c3', intent: 'refund', product: 'hat' },
          { at: HOUR, customerId: 'c1', product: 'boots' },
        ],
      },
      customers: {},
      durationMs: 2 * HOUR,
    };
    const result = simulate(trace);
    const agentOf = (customerId: string, at: number): string | undefined => {
      const d = result.decisions.find((x) => x.customerId === customerId && x.at === at);
      return d?.kind === 'agent' ? d.agentId : undefined;
    };
    expect(agentOf('c1', 0)).toBe('m');
    expect(agentOf('c2', 1_000)).toBe('s');
    expect(agentOf('c3', 2_000)).toBe('r');
    // c1 returns about boots: still a member, so 会员 (and her recent contact m).
    expect(result.consultations.map((c) => c.groups)).toEqual([['会员'], ['鞋类'], ['售后'], ['会员']]);
    expect(result.consultations[3]?.segment).toBe('vip');
  });
});

describe('bad scope mixes and trace values', () => {
  const ok: Scenario = { router: {}, agents: [{ id: 'a' }], arrivals: { perHour: 10 }, durationMs: HOUR, seed: 1 };
  const fieldOf = (patch: Partial<Scenario>): string | undefined => {
    try {
      simulate({ ...ok, ...patch });
    } catch (error) {
      expect(error).toBeInstanceOf(RoutingError);
      expect((error as RoutingError).code).toBe('INVALID_SCENARIO');
      return (error as RoutingError).field;
    }
    throw new Error('expected the scenario to be rejected');
  };

  it.each([
    ['a mix that is not an object', { customers: { products: ['boots'] as unknown as Record<string, number> } }, 'scenario.customers.products'],
    ['a negative weight', { customers: { segments: { vip: -1, regular: 2 } } }, 'scenario.customers.segments.vip'],
    ['a weight that is not a number', { customers: { intents: { refund: '1' as unknown as number } } }, 'scenario.customers.intents.refund'],
    ['weights that sum to 0', { customers: { products: { boots: 0 } } }, 'scenario.customers.products'],
    ['an empty value', { customers: { segments: { '': 1 } } }, 'scenario.customers.segments'],
    ['a trace segment that is not a string', { arrivals: { trace: [{ at: 0, customerId: 'c', segment: 3 as unknown as string }] } }, 'scenario.arrivals.trace[0].segment'],
    ['an empty trace product', { arrivals: { trace: [{ at: 0, customerId: 'c', product: '' }] } }, 'scenario.arrivals.trace[0].product'],
    ['a trace intent that is not a string', { arrivals: { trace: [{ at: 0, customerId: 'c', intent: ['refund'] as unknown as string }] } }, 'scenario.arrivals.trace[0].intent'],
  ] as [string, Partial<Scenario>, string][])('%s', (_, patch, field) => {
    expect(fieldOf(patch)).toBe(field);
  });

  it('lists every bad mix in one error', () => {
    try {
      simulate({ ...ok, customers: { segments: { vip: -1 }, products: 'boots' as unknown as Record<string, number>, intents: {} } });
      throw new Error('expected the scenario to be rejected');
    } catch (error) {
      expect((error as RoutingError).message).toMatch(/^The scenario has \d+ problems:/);
      for (const field of ['scenario.customers.segments', 'scenario.customers.products', 'scenario.customers.intents']) expect((error as RoutingError).message).toContain(field);
    }
  });
});
