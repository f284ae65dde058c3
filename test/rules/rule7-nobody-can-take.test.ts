import { describe, expect, it } from 'vitest';
import { shop } from '../helpers.js';

describe('rule 7: nobody can take it', () => {
  it('with a robot: to the robot, saying no human could take it', () => {
    const { router } = shop({ robot: true });
    router.upsertAgent({ id: 'a', status: 'online', cap: 0 });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'robot', reason: 'no-human' });
  });

  it('without a robot: to the queue, the main account or the proxy account, as configured', () => {
    const q = shop();
    q.router.upsertAgent({ id: 'a', status: 'suspended' });
    expect(q.router.route({ customerId: 'c1' })).toMatchObject({ kind: 'queued', position: 1, reason: 'no-human' });

    const main = shop({ noAgent: 'main', mainAccountId: 'owner' });
    main.router.upsertAgent({ id: 'a', status: 'online', cap: 0 });
    expect(main.router.route({ customerId: 'c1' })).toMatchObject({ kind: 'offline', accountId: 'owner', reason: 'no-human' });

    const proxy = shop({ noAgent: 'proxy', proxyAccountId: 'desk' });
    proxy.router.upsertAgent({ id: 'a', status: 'online', cap: 0 });
    expect(proxy.router.route({ customerId: 'c1' })).toMatchObject({ kind: 'offline', accountId: 'desk' });
  });

  it('an offline message stays open until ended: the customer cannot be routed twice meanwhile', () => {
    const { router, tick } = shop({ noAgent: 'main', mainAccountId: 'owner' });
    router.route({ customerId: 'c1' });
    expect(() => router.route({ customerId: 'c1' })).toThrow(/still open/);
    expect(router.end('c1', tick())).toEqual([]);
    expect(router.route({ customerId: 'c1' })).toMatchObject({ kind: 'offline' });
  });
});
