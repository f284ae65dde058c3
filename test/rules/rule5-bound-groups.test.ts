import { describe, expect, it } from 'vitest';
import { shop, target, countBy } from '../helpers.js';
import { DEFAULT_ORDER_STATES, Router } from '../../src/index.js';

describe('rule 5: bound groups', () => {
  it('a bound order state routes only among its groups\' agents; an unbound one among all', () => {
    const { router } = shop({ groups: [{ id: 'pre', orderStates: ['unpaid'] }, { id: 'other' }] });
    router.upsertAgent({ id: 'p', status: 'online', groups: ['pre'] });
    router.upsertAgent({ id: 'o', status: 'online', groups: ['other'] });
    router.upsertAgent({ id: 'loose', status: 'online' });
    const bound = Array.from({ length: 6 }, (_, i) => router.route({ customerId: `u${i}`, orderState: 'unpaid' }));
    expect(new Set(bound.map(target))).toEqual(new Set(['p']));
    expect(bound[0]).toMatchObject({ groupId: 'pre' });
    router.setPending('p', 0); // p answered them all: not busy any more
    const free = Array.from({ length: 6 }, (_, i) => router.route({ customerId: `n${i}`, orderState: 'none' }));
    expect(countBy(free, target)).toEqual(new Map([['p', 2], ['o', 2], ['loose', 2]]));
  });

  it('seed 001: A bound to none/unshipped/shipped, B to nothing — A gets 3/4 of all with the six states equally common', () => {
    const { router, tick } = shop({ groups: [{ id: 'jia', orderStates: ['none', 'unshipped', 'shipped'] }, { id: 'yi' }] });
    router.upsertAgent({ id: 'A', status: 'online', groups: ['jia'] });
    router.upsertAgent({ id: 'B', status: 'online', groups: ['yi'] });
    const got = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const state = DEFAULT_ORDER_STATES[i % 6] as string;
      const d = router.route({ customerId: `c${i}`, orderState: state, at: tick() });
      got.set(target(d), (got.get(target(d)) ?? 0) + 1);
      router.end(`c${i}`, tick());
      router.setPending(target(d), 0);
    }
    // Bound: 300 to A. Unbound (unpaid, refunding, completed): 300 shared fairly, 150 each.
    expect(got.get('A')).toBe(450);
    expect(got.get('B')).toBe(150);
  });

  it('fair shares are kept per pool: what an agent gets from one pool does not count against it in another', () => {
    const { router, tick } = shop({ groups: [{ id: 'g', orderStates: ['unpaid'] }] });
    router.upsertAgent({ id: 'A', status: 'online', groups: ['g'] });
    router.upsertAgent({ id: 'B', status: 'online' });
    // A takes 5 bound consultations first…
    for (let i = 0; i < 5; i++) {
      router.route({ customerId: `u${i}`, orderState: 'unpaid', at: tick() });
      router.end(`u${i}`, tick());
      router.setPending('A', 0);
    }
    // …and still gets its half of the shared pool straight away: no penalty for the bound work.
    const shared = Array.from({ length: 10 }, (_, i) => {
      const d = router.route({ customerId: `n${i}`, orderState: 'none', at: tick() });
      router.end(`n${i}`, tick());
      router.setPending(target(d), 0);
      return target(d);
    });
    expect(countBy(shared, (x) => x)).toEqual(new Map([['A', 5], ['B', 5]]));
  });

  it('regrouping keeps an agent\'s place in the pools it stays in, and it can leave and rejoin any of them', () => {
    const options = { splitMode: 'weighted' as const, groups: [{ id: 'g1', orderStates: ['unpaid'] }, { id: 'g2', orderStates: ['shipped'] }] };
    const regrouped = shop(options);
    const control = shop(options);
    for (const { router } of [regrouped, control]) {
      router.upsertAgent({ id: 'A', status: 'online', weight: 2, groups: ['g1', 'g2'] });
      router.upsertAgent({ id: 'B', status: 'online', groups: ['g1'] });
      router.upsertAgent({ id: 'C', status: 'online', groups: ['g2'] });
    }
    let n = 0;
    // One consultation of `orderState` on both routers, ended at once; returns where each went.
    const serve = (orderState: string): [string, string] => {
      const customerId = `c${n++}`;
      const got = [regrouped, control].map(({ router, tick }) => {
        const d = router.route({ customerId, orderState, at: tick() });
        if (d.kind === 'agent') {
          router.end(customerId, tick());
          router.setPending(d.agentId, 0);
        }
        return target(d);
      });
      return got as [string, string];
    };
    for (let i = 0; i < 6; i++) serve('shipped');
    // A leaves g1's pool (the first it joined) but stays in g2's: only B serves unpaid, and the
    // shipped split goes on exactly as on the router where A never changed groups.
    regrouped.router.upsertAgent({ id: 'A', groups: ['g2'] });
    const unpaidWithout = Array.from({ length: 4 }, () => serve('unpaid')[0]);
    expect(unpaidWithout).toEqual(['B', 'B', 'B', 'B']);
    const shipped = Array.from({ length: 9 }, () => serve('shipped'));
    expect(shipped.map(([r]) => r)).toEqual(shipped.map(([, c]) => c));
    expect(countBy(shipped, ([r]) => r)).toEqual(new Map([['A', 6], ['C', 3]]));
    // Back in g1: A takes its 2:1 share of unpaid again.
    regrouped.router.upsertAgent({ id: 'A', groups: ['g1', 'g2'] });
    const unpaid = Array.from({ length: 9 }, () => serve('unpaid')[0]);
    expect(countBy(unpaid, (x) => x)).toEqual(new Map([['A', 6], ['B', 3]]));
    expect(regrouped.router.getAgent('A')?.groups).toEqual(['g1', 'g2']);
  });

  it('a decision names the first of the agent\'s groups its pool routes to, in the agent\'s order, also after a regrouping that keeps the pool', () => {
    const router = new Router({ groups: [{ id: 'boots', products: ['boots'] }, { id: 'shoes', products: ['boots'] }, { id: 'hats', products: ['hats'] }] });
    router.upsertAgent({ id: 'a', status: 'online', groups: ['hats', 'shoes', 'boots'] }, 0);
    expect(router.route({ customerId: 'c1', product: 'boots', at: 1 })).toMatchObject({ agentId: 'a', groupId: 'shoes' });
    router.upsertAgent({ id: 'a', groups: ['boots', 'shoes'] }, 2);
    expect(router.route({ customerId: 'c2', product: 'boots', at: 3 })).toMatchObject({ agentId: 'a', groupId: 'boots' });
  });

  it('when every agent of the bound groups is unavailable, it does not spill to other groups', () => {
    const { router } = shop({ groups: [{ id: 'g', orderStates: ['unpaid'] }] });
    router.upsertAgent({ id: 'A', status: 'suspended', groups: ['g'] });
    router.upsertAgent({ id: 'B', status: 'online' });
    expect(router.route({ customerId: 'c', orderState: 'unpaid' })).toMatchObject({ kind: 'queued' });
  });
});
