import { describe, expect, it } from 'vitest';
import { Router, RoutingError, type Decision, type GroupSpec } from '../../src/index.js';
import { countBy, shop, target } from '../helpers.js';

// The worked example of docs/routing.md: members, shoe specialists, after-sales, everyone else.
const FOUR: GroupSpec[] = [
  { id: '会员', segments: ['vip'] },
  { id: '鞋类', products: ['sneakers', 'boots'] },
  { id: '售后', orderStates: ['refunding', 'completed'], intents: ['refund'] },
  { id: '通用' },
];

function fourGroups(): { router: Router; tick: (ms?: number) => number } {
  const s = shop({ groups: FOUR });
  for (const [id, group] of [['m', '会员'], ['s', '鞋类'], ['a', '售后'], ['g', '通用']] as const) {
    s.router.upsertAgent({ id, status: 'online', groups: [group] });
  }
  return s;
}

/**
 * 600 products, each bound to its own group; 800 agents in 20 groups each (about 27 per group).
 * About 150 idle pools fit the budget of 4,096 members, so in `round` (one chat at a time about
 * each product in turn) a pool is dropped about 450 drops before its product comes round again:
 * more than 256 keys, fewer than the 800 agents.
 */
function productsInTurn(): { router: Router; tick: (ms?: number) => number; round: () => void } {
  const groups: GroupSpec[] = Array.from({ length: 600 }, (_, i) => ({ id: `g${i}`, products: [`p${i}`] }));
  const { router, tick } = shop({ groups });
  for (let i = 0; i < 800; i++) router.upsertAgent({ id: `a${i}`, status: 'online', groups: Array.from({ length: 20 }, (_, j) => `g${(i + 30 * j) % 600}`) });
  let n = 0;
  const round = (): void => {
    for (let k = 0; k < 600; k++, n++) {
      router.route({ customerId: `c${n}`, product: `p${k}`, at: tick() });
      router.end(`c${n}`, tick());
    }
  };
  return { router, tick, round };
}

/** 40 groups of 10 agents; each product is bound by a pair of groups: 780 pools of 20 members. */
function pairedShop(): { router: Router; tick: (ms?: number) => number; pairs: [number, number][] } {
  const groups: GroupSpec[] = Array.from({ length: 40 }, (_, i) => ({ id: `g${i}`, products: [] as string[] }));
  const pairs: [number, number][] = [];
  for (let i = 0; i < 40; i++) for (let j = i + 1; j < 40; j++) pairs.push([i, j]);
  pairs.forEach(([i, j], k) => {
    (groups[i] as { products: string[] }).products.push(`p${k}`);
    (groups[j] as { products: string[] }).products.push(`p${k}`);
  });
  const { router, tick } = shop({ groups });
  for (let i = 0; i < 400; i++) router.upsertAgent({ id: `a${i}`, status: 'online', groups: [`g${i % 40}`] });
  return { router, tick, pairs };
}

const groupOf = (d: Decision): string | undefined => (d.kind === 'agent' ? d.groupId : undefined);

describe('rule 5 generalised: reception scopes narrow segment → product → intent → order state', () => {
  it('the worked example: each consultation reaches the groups its first binding dimensions name', () => {
    const { router } = fourGroups();
    // A member asking about boots: the segment narrows first, to 会员; 会员 binds no product, so that is skipped.
    expect(router.route({ customerId: 'c1', segment: 'vip', product: 'boots' })).toMatchObject({ agentId: 'm', groupId: '会员' });
    // Sneakers during a refund: the product narrows to 鞋类, which binds no order state: skipped.
    expect(router.route({ customerId: 'c2', product: 'sneakers', orderState: 'refunding' })).toMatchObject({ agentId: 's', groupId: '鞋类' });
    // A refund with no product: 售后.
    expect(router.route({ customerId: 'c3', orderState: 'refunding' })).toMatchObject({ agentId: 'a', groupId: '售后' });
    // An intent alone narrows too.
    expect(router.route({ customerId: 'c4', intent: 'refund' })).toMatchObject({ agentId: 'a', groupId: '售后' });
    // Nothing binds a hat or a pre-sales question: every agent, 通用 included (the least loaded here).
    const loose = router.route({ customerId: 'c5', product: 'hat', orderState: 'unpaid' });
    expect(loose).toMatchObject({ kind: 'agent', agentId: 'g' });
    expect(groupOf(loose)).toBeUndefined();
    expect(router.consultation('c1')).toMatchObject({ segment: 'vip', product: 'boots', groups: ['会员'] });
    expect(router.consultation('c5')?.groups).toBeUndefined();
  });

  it('each dimension narrows the groups the one before left; a value only outside them is skipped', () => {
    const { router } = shop({
      groups: [
        { id: 'vip', segments: ['vip'] },
        { id: 'vip-shoes', segments: ['vip'], products: ['shoes'] },
        { id: 'shoes', products: ['shoes'], orderStates: ['refunding'] },
      ],
    });
    for (const g of ['vip', 'vip-shoes', 'shoes']) router.upsertAgent({ id: g, status: 'online', groups: [g] });
    // vip leaves {vip, vip-shoes}; shoes narrows them to vip-shoes.
    expect(target(router.route({ customerId: 'a', segment: 'vip', product: 'shoes' }))).toBe('vip-shoes');
    // vip leaves {vip, vip-shoes}; refunding is bound only by 'shoes', outside them: skipped. Both share.
    const both = [router.route({ customerId: 'b', segment: 'vip', orderState: 'refunding' }), router.route({ customerId: 'c', segment: 'vip', orderState: 'refunding' })];
    expect(new Set(both.map(target))).toEqual(new Set(['vip', 'vip-shoes']));
    // Without a segment, shoes leaves {vip-shoes, shoes}, refunding narrows to shoes.
    expect(target(router.route({ customerId: 'd', product: 'shoes', orderState: 'refunding' }))).toBe('shoes');
  });

  it('groups that remain together share one fair split', () => {
    const { router, tick } = shop({ groups: [{ id: 'x', products: ['p', 'q'] }, { id: 'y', products: ['p', 'q'] }] });
    router.upsertAgent({ id: 'X', status: 'online', groups: ['x'] });
    router.upsertAgent({ id: 'Y', status: 'online', groups: ['y'] });
    const got: Decision[] = [];
    for (let i = 0; i < 40; i++) {
      const d = router.route({ customerId: `c${i}`, product: i % 3 === 0 ? 'p' : 'q', at: tick() });
      got.push(d);
      router.end(`c${i}`, tick());
      router.setPending(target(d), 0);
    }
    // p and q match the same groups: one pool, so the two products together split 20 / 20.
    expect(countBy(got, target)).toEqual(new Map([['X', 20], ['Y', 20]]));
  });

  it('escalate with the intent the robot classified matches the consultation again', () => {
    const { router } = shop({ robot: true, receptionMode: 'robot-first', groups: [{ id: 'refunds', intents: ['refund'] }, { id: 'sales' }] });
    router.upsertAgent({ id: 'r', status: 'online', groups: ['refunds'] });
    router.upsertAgent({ id: 's', status: 'online', groups: ['sales'] });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'robot', reason: 'robot-first' });
    expect(router.route({ customerId: 'c2' })).toMatchObject({ kind: 'robot' });
    expect(router.escalate('c1', { intent: 'refund' })).toMatchObject({ agentId: 'r', groupId: 'refunds' });
    expect(router.consultation('c1')).toMatchObject({ intent: 'refund', groups: ['refunds'] });
    // Without an intent it goes to everyone: r holds one chat, so s is next.
    expect(router.escalate('c2')).toMatchObject({ agentId: 's' });
  });

  it('a number as the second argument of escalate keeps meaning `at`', () => {
    const { router, tick } = shop({ robot: true, receptionMode: 'robot-first' });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.route({ customerId: 'c1' });
    const at = tick(5_000);
    expect(router.escalate('c1', at)).toMatchObject({ kind: 'agent', at });
    router.route({ customerId: 'c2' });
    expect(router.escalate('c2', { at: at + 10 })).toMatchObject({ kind: 'agent', at: at + 10 });
  });

  it('when several groups remain, the first of them in option order that sets a reception mode decides it', () => {
    const { router } = shop({
      robot: true,
      groups: [
        { id: 'generalists', products: ['shoes'] },
        { id: 'pre-sales', products: ['shoes'], receptionMode: 'robot-first' },
        { id: 'experts', products: ['shoes'], receptionMode: 'human-first' },
      ],
    });
    router.upsertAgent({ id: 'a', status: 'online', groups: ['experts'] });
    // All three remain: 'generalists' sets no mode, 'pre-sales' is the first that does.
    expect(router.route({ customerId: 'c1', product: 'shoes' })).toMatchObject({ kind: 'robot', reason: 'robot-first' });
    // A consultation that matches no group gets the shop's mode (human-first).
    expect(router.route({ customerId: 'c2', product: 'hats' })).toMatchObject({ kind: 'agent', agentId: 'a' });
  });

  it('pools are made on first need and dropped when no open consultation needs them and the idle ones exceed their budget', () => {
    const { router, tick, pairs } = pairedShop();
    expect(router.snapshot().pools).toEqual([]);
    const first = router.route({ customerId: 'first', product: 'p0', at: tick() });
    expect(router.snapshot().pools.map((p) => p.key)).toEqual([JSON.stringify(['g0', 'g1'])]);
    expect(first).toMatchObject({ kind: 'agent' });
    expect(['g0', 'g1']).toContain(groupOf(first));
    router.end('first', tick());
    let most = 0;
    for (let round = 0; round < 2; round++) {
      pairs.forEach(([i, j], k) => {
        const d = router.route({ customerId: `c${round}-${k}`, product: `p${k}`, at: tick() });
        // Still routed within the pair's groups, whether its pool was kept or made again.
        expect([`g${i}`, `g${j}`]).toContain(groupOf(d));
        router.end(`c${round}-${k}`, tick());
        router.setPending(target(d), 0);
        if (k % 97 === 0) most = Math.max(most, router.snapshot().pools.length);
      });
    }
    // 780 pools were needed; the idle ones kept hold at most max(4096, 2 × 400) members, 20 each.
    expect(most).toBeLessThanOrEqual(Math.floor(4096 / 20) + 1);
    const snap = router.snapshot();
    expect(snap.pools.length).toBeLessThanOrEqual(Math.floor(4096 / 20) + 1);
    expect(Math.max(...snap.agents.map((a) => a.members.length))).toBeLessThanOrEqual(snap.pools.length);
    // A restored router keeps the same pools, in the same order.
    expect(Router.restore(snap).snapshot().pools).toEqual(snap.pools);
  });

  it('a pool an open consultation holds is never dropped, however many others come and go', () => {
    const { router, tick, pairs } = pairedShop();
    router.route({ customerId: 'held', product: 'p0', at: tick() });
    const key = JSON.stringify(['g0', 'g1']);
    const held = router.snapshot().pools.find((p) => p.key === key);
    expect(held?.virtualTime).toBeGreaterThan(0);
    pairs.forEach((_, k) => {
      if (k === 0) return;
      const d = router.route({ customerId: `c${k}`, product: `p${k}`, at: tick() });
      router.end(`c${k}`, tick());
      router.setPending(target(d), 0);
    });
    // 779 other pools came and went, far more than the idle budget keeps; this one kept its fair-share state.
    const snap = router.snapshot();
    expect(snap.pools.length).toBeLessThan(300);
    expect(snap.pools.find((p) => p.key === key)).toEqual(held);
  });

  it('large pools used in turn beyond the idle budget are made again once, then kept: the budget grows by them', () => {
    // 2,100 agents in three groups, each bound to a product: three pools of 2,100 members, 6,300
    // in all, over the budget of max(4096, 2 × 2,100) = 4,200, and one chat at a time.
    const groups: GroupSpec[] = ['g0', 'g1', 'g2'].map((id, i) => ({ id, products: [`p${i}`] }));
    const { router, tick } = shop({ groups });
    for (let i = 0; i < 2_100; i++) router.upsertAgent({ id: `a${i}`, status: 'online', groups: ['g0', 'g1', 'g2'] });
    let n = 0;
    const cycle = (): void => {
      for (let k = 0; k < 3; k++, n++) {
        router.route({ customerId: `c${n}`, product: `p${k}`, at: tick() });
        router.end(`c${n}`, tick());
      }
    };
    cycle();
    // The third pool made pushed the oldest out.
    expect(router.snapshot().pools.map((p) => p.key)).toEqual(['["g1"]', '["g2"]']);
    expect(router.snapshot().idle).toEqual({ grown: 0, dropped: ['["g0"]'] });
    cycle();
    // g0's pool, made again, grew the budget by its 2,100 members: from here on all three stay.
    const snap = router.snapshot();
    expect(snap.idle).toEqual({ grown: 2_100, dropped: [] });
    expect(snap.pools.map((p) => p.key)).toEqual(['["g0"]', '["g1"]', '["g2"]']);
    for (let i = 0; i < 5; i++) cycle();
    const later = router.snapshot();
    expect(later.pools.map((p) => p.key)).toEqual(['["g0"]', '["g1"]', '["g2"]']);
    // Each kept its fair share: its virtual time went on from where it was.
    for (const p of later.pools) expect(p.virtualTime).toBeGreaterThan(snap.pools.find((q) => q.key === p.key)?.virtualTime as number);
    // A restored router has learned the same: it keeps them too, and decides the same.
    const copy = Router.restore(JSON.parse(JSON.stringify(later)) as typeof later, { clock: () => tick(0) });
    expect(copy.snapshot()).toEqual(later);
    for (let k = 0; k < 6; k++) {
      const at = tick();
      expect(copy.route({ customerId: `x${k}`, product: `p${k % 3}`, at })).toEqual(router.route({ customerId: `x${k}`, product: `p${k % 3}`, at }));
      expect(copy.end(`x${k}`, at)).toEqual(router.end(`x${k}`, at));
    }
    expect(copy.snapshot()).toEqual(router.snapshot());
  });

  it('hundreds of pools in turn are remembered once dropped, one key per agent: the budget grows and they stay', () => {
    const { router, tick, round } = productsInTurn();
    round();
    const first = router.snapshot();
    expect(first.pools.length).toBeLessThan(200);
    expect(first.idle?.dropped.length).toBeGreaterThan(400);
    round();
    round();
    const kept = router.snapshot();
    expect(kept.pools).toHaveLength(600);
    expect(kept.idle?.grown).toBeGreaterThan(10_000);
    round();
    // Nothing made again: the budget learned nothing more, and every pool's fair share went on.
    const later = router.snapshot();
    expect(later.idle).toEqual(kept.idle);
    for (const p of later.pools) expect(p.virtualTime).toBeGreaterThan(kept.pools.find((q) => q.key === p.key)?.virtualTime as number);
    // More than 256 keys restore in a shop of 800 agents; a restored router decides the same.
    expect(Router.restore(JSON.parse(JSON.stringify(first)) as typeof first).snapshot()).toEqual(first);
    const copy = Router.restore(JSON.parse(JSON.stringify(later)) as typeof later, { clock: () => tick(0) });
    expect(copy.snapshot()).toEqual(later);
    for (const product of ['p0', 'p599']) {
      const at = tick();
      expect(copy.route({ customerId: product, product, at })).toEqual(router.route({ customerId: product, product, at }));
    }
    expect(copy.snapshot()).toEqual(router.snapshot());
  });

  it('a shop that loses agents forgets the dropped pools beyond one per agent that remains (256 at least)', () => {
    const { router, tick, round } = productsInTurn();
    round();
    const dropped = router.snapshot().idle?.dropped ?? [];
    expect(dropped.length).toBeGreaterThan(300);
    for (let i = 0; i < 700; i++) router.removeAgent(`a${i}`, tick());
    // 100 agents remain: the 256 most recently dropped keys stay, and the snapshot restores.
    const snap = router.snapshot();
    expect(snap.idle?.dropped).toEqual(dropped.slice(-256));
    expect(Router.restore(snap, { clock: () => tick(0) }).snapshot()).toEqual(snap);
    // A snapshot that claims more keys than its agents allow is refused.
    const tooMany = JSON.parse(JSON.stringify(snap)) as typeof snap;
    tooMany.idle = { grown: 0, dropped: dropped.slice(-257) };
    expect(() => Router.restore(tooMany)).toThrow(expect.objectContaining({ code: 'INVALID_SNAPSHOT', field: 'snapshot.idle.dropped' }));
  });

  it('bad scope values are refused with a coded error and change nothing', () => {
    const { router } = fourGroups();
    const before = JSON.stringify(router.snapshot());
    for (const bad of [{ product: 42 }, { segment: '' }, { intent: null }, { segment: ['vip'] }]) {
      let error: unknown;
      try {
        router.route({ customerId: 'c1', ...(bad as object) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RoutingError);
      expect((error as RoutingError).code).toBe('INVALID_ARGUMENT');
    }
    expect(JSON.stringify(router.snapshot())).toBe(before);
    for (const groups of [[{ id: 'g', products: 'shoes' }], [{ id: 'g', segments: [''] }], [{ id: 'g', intents: [3] }], [{ id: 'g', products: {} }]]) {
      expect(() => new Router({ groups: groups as unknown as GroupSpec[] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });
});
