import { describe, expect, it } from 'vitest';
import { shop, target } from '../helpers.js';

describe('rule 8: waiting queue', () => {
  it('serves highest priority first, then longest waiting, when capacity frees', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online', cap: 1 });
    router.route({ customerId: 'busy-customer' });
    router.route({ customerId: 'early', at: tick() });
    router.route({ customerId: 'late', at: tick() });
    router.route({ customerId: 'vip', priority: 5, at: tick() });
    expect(router.queue().map((q) => q.customerId)).toEqual(['vip', 'early', 'late']);
    expect(router.queue()[1]).toMatchObject({ position: 2, priority: 0, since: 1_000_001 });
    const drained = router.end('busy-customer', tick());
    // Served from the queue, it keeps the rule that placed it and says how long it waited.
    expect(drained).toEqual([{ kind: 'agent', customerId: 'vip', at: 1_000_004, agentId: 'a', reason: 'split', waitedMs: 1 }]);
    expect(router.queue().map((q) => q.customerId)).toEqual(['early', 'late']);
  });

  it('drains the moment an agent comes online (Chatwoot\'s queued chats that sit unassigned)', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'offline', cap: 2 });
    for (const c of ['c1', 'c2', 'c3']) router.route({ customerId: c, at: tick() });
    const drained = router.setStatus('a', 'online', tick());
    expect(drained.map(target)).toEqual(['a', 'a']);
    expect(drained.map((d) => d.customerId)).toEqual(['c1', 'c2']);
    expect(router.queue()).toEqual([{ customerId: 'c3', position: 1, priority: 0, since: 1_000_003 }]);
  });

  it('drains on a new agent, on return from suspension and on a raised cap — never beyond a cap', () => {
    const { router, tick } = shop();
    for (let i = 0; i < 5; i++) router.route({ customerId: `c${i}`, at: tick() });
    expect(router.upsertAgent({ id: 'a', status: 'suspended', cap: 1 }, tick())).toEqual([]);
    expect(router.setStatus('a', 'online', tick()).map((d) => d.customerId)).toEqual(['c0']);
    expect(router.upsertAgent({ id: 'a', cap: 3 }, tick()).map((d) => d.customerId)).toEqual(['c1', 'c2']);
    expect(router.upsertAgent({ id: 'b', status: 'online', cap: 1 }, tick()).map((d) => d.customerId)).toEqual(['c3']);
    expect(router.getAgent('a')?.active).toBe(3);
    expect(router.getAgent('b')?.active).toBe(1);
    expect(router.queue().map((q) => q.customerId)).toEqual(['c4']);
  });

  it('a queued customer who gives up is taken off the queue by end()', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online', cap: 0 });
    router.route({ customerId: 'c1', at: tick() });
    router.route({ customerId: 'c2', at: tick() });
    expect(router.end('c1', tick())).toEqual([]);
    expect(router.queue().map((q) => [q.customerId, q.position])).toEqual([['c2', 1]]);
  });

  it('a queued consultation served later still goes to its bound group only', () => {
    const { router, tick } = shop({ groups: [{ id: 'g', orderStates: ['unpaid'] }] });
    router.upsertAgent({ id: 'g1', status: 'online', groups: ['g'], cap: 0 });
    router.route({ customerId: 'c1', orderState: 'unpaid', at: tick() });
    expect(router.upsertAgent({ id: 'other', status: 'online' }, tick())).toEqual([]);
    expect(router.upsertAgent({ id: 'g1', cap: 1 }, tick())).toMatchObject([{ customerId: 'c1', agentId: 'g1', groupId: 'g', reason: 'split', waitedMs: 2 }]);
  });
});
