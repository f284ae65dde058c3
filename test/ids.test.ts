import { describe, expect, it } from 'vitest';
import { shop, target } from './helpers.js';

describe('ids are arbitrary non-empty strings', () => {
  it('"__proto__", "constructor", "toString" and unicode ids work like any other, for agents and customers', () => {
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '小美', '🙂'];
    const { router, tick } = shop({ busyThreshold: 100 });
    for (const id of ids) router.upsertAgent({ id, status: 'online' });
    expect(router.agents().map((a) => a.id)).toEqual(ids);
    const got = ids.map((customerId) => target(router.route({ customerId })));
    expect(new Set(got)).toEqual(new Set(ids));
    expect(router.getAgent('__proto__')).toMatchObject({ id: '__proto__', active: 1 });
    expect(router.getAgent('valueOf')).toBeUndefined();
    for (const customerId of ids) router.end(customerId, tick());
    // Returning customers go back to their agents through the memory, keyed by the same odd ids.
    const again = ids.map((customerId) => router.route({ customerId, at: tick() }));
    expect(again.map(target)).toEqual(got);
    expect(again.every((d) => d.reason === 'recent-contact')).toBe(true);
    expect(router.removeAgent('__proto__', tick())).toHaveLength(1);
    expect(router.getAgent('__proto__')).toBeUndefined();
  });

  it('a view handed out is a copy: changing it changes nothing in the router', () => {
    const { router } = shop();
    router.upsertAgent({ id: 'a', status: 'online', groups: [] });
    const view = router.getAgent('a')!;
    view.status = 'offline';
    view.groups.push('hacked');
    view.active = 99;
    expect(router.getAgent('a')).toMatchObject({ status: 'online', groups: [], active: 0 });
    const queue = router.queue();
    queue.push({ customerId: 'x', position: 1, priority: 0, since: 0 });
    expect(router.queue()).toEqual([]);
  });
});
