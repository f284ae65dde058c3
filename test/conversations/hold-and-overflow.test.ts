import { describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';

const MIN = 60_000;

describe('holding a returning customer for their recent contact (rule 2, holdForRecentContactMs)', () => {
  const setup = (): Router => {
    const router = new Router({ holdForRecentContactMs: 2 * MIN, clock: () => 0 });
    router.upsertAgent({ id: 'xiaomei', status: 'online', cap: 1 }, 0);
    router.upsertAgent({ id: 'ahua', status: 'online', cap: 5 }, 0);
    router.route({ customerId: 'buyer', dedicatedAgentId: 'xiaomei', at: 1 }); // remembered: xiaomei
    router.end('buyer', 2);
    router.route({ customerId: 'other', dedicatedAgentId: 'xiaomei', at: 3 }); // xiaomei at cap
    return router;
  };

  it('a returning customer whose contact is at cap waits for that agent, and gets it when a slot frees', () => {
    const router = setup();
    expect(router.route({ customerId: 'buyer', at: 10 })).toEqual({ kind: 'queued', customerId: 'buyer', at: 10, position: 1, reason: 'held', heldFor: 'xiaomei' });
    expect(router.consultation('buyer')).toMatchObject({ kind: 'queued', heldFor: 'xiaomei', deadline: 10 + 2 * MIN });
    // Ahua is free, but the held customer is not hers.
    expect(router.route({ customerId: 'new', at: 20 })).toMatchObject({ agentId: 'ahua' });
    expect(router.end('other', 30)).toEqual([{ kind: 'agent', customerId: 'buyer', at: 30, agentId: 'xiaomei', reason: 'recent-contact', waitedMs: 20 }]);
    expect(router.nextDeadline()).toBeUndefined();
  });

  it('at the end of the hold it is routed by rules 3-7 at that time', () => {
    const router = setup();
    router.route({ customerId: 'buyer', at: 10 });
    expect(router.advance(10 + 2 * MIN)).toEqual([{ kind: 'agent', customerId: 'buyer', at: 10 + 2 * MIN, agentId: 'ahua', reason: 'split', waitedMs: 2 * MIN }]);
  });

  it('a hold that ends with nobody free goes on waiting: waitedMs counts from the hold\'s start', () => {
    const router = setup();
    router.route({ customerId: 'ahua-full', dedicatedAgentId: 'ahua', at: 4 });
    for (let i = 0; i < 4; i++) router.route({ customerId: `more-${i}`, dedicatedAgentId: 'ahua', at: 5 });
    expect(router.route({ customerId: 'buyer', at: 10 })).toMatchObject({ kind: 'queued', reason: 'held' });
    expect(router.advance(10 + 2 * MIN)).toMatchObject([{ kind: 'queued', customerId: 'buyer', reason: 'no-human', position: 1 }]);
    expect(router.end('ahua-full', 10 + 3 * MIN)).toEqual([{ kind: 'agent', customerId: 'buyer', at: 10 + 3 * MIN, agentId: 'ahua', reason: 'split', waitedMs: 3 * MIN }]);
  });

  it('no hold when the contact is offline, when the hold is off, or when an older contact can take it now', () => {
    const router = setup();
    router.setStatus('xiaomei', 'offline', 5);
    expect(router.route({ customerId: 'buyer', at: 10 })).toMatchObject({ kind: 'agent', agentId: 'ahua' });
    const off = new Router({ clock: () => 0 });
    off.upsertAgent({ id: 'x', status: 'online', cap: 0 }, 0);
    off.upsertAgent({ id: 'y', status: 'online' }, 0);
    expect(off.route({ customerId: 'c', recentContacts: [{ agentId: 'x', at: 0 }], at: 1 })).toMatchObject({ agentId: 'y' });
    const older = new Router({ holdForRecentContactMs: MIN, clock: () => 0 });
    older.upsertAgent({ id: 'x', status: 'online', cap: 0 }, 0);
    older.upsertAgent({ id: 'y', status: 'online' }, 0);
    older.upsertAgent({ id: 'z', status: 'online' }, 0);
    expect(older.route({ customerId: 'c', recentContacts: [{ agentId: 'x', at: 5 }, { agentId: 'z', at: 3 }], at: 6 })).toMatchObject({ agentId: 'z', reason: 'recent-contact' });
  });
});

describe('overflow (溢出): a waiting consultation widens to more agents after a while', () => {
  const groups = [
    { id: 'pre', orderStates: ['unpaid'], overflow: [{ afterMs: MIN, to: ['post'] }, { afterMs: 3 * MIN, to: '*' as const }] },
    { id: 'post', orderStates: ['shipped'] },
    { id: 'vip', orderStates: ['completed'], overflow: [{ afterMs: 0, to: ['post'] }] },
  ];
  const setup = (): Router => {
    const router = new Router({ groups, clock: () => 0 });
    router.upsertAgent({ id: 'p1', status: 'online', groups: ['pre'], cap: 1 }, 0);
    router.upsertAgent({ id: 's1', status: 'online', groups: ['post'], cap: 3 }, 0);
    router.upsertAgent({ id: 'free', status: 'online', cap: 3 }, 0);
    router.route({ customerId: 'busy', orderState: 'unpaid', at: 0 }); // p1 at cap
    return router;
  };

  it('waits for its bound group, then widens at each step: reason overflow, with the group it reached', () => {
    const router = setup();
    expect(router.route({ customerId: 'c1', orderState: 'unpaid', at: 1_000 })).toMatchObject({ kind: 'queued', reason: 'no-human' });
    expect(router.nextDeadline()).toBe(1_000 + MIN);
    expect(router.advance(1_000 + MIN)).toEqual([{ kind: 'agent', customerId: 'c1', at: 1_000 + MIN, agentId: 's1', groupId: 'post', reason: 'overflow', waitedMs: MIN }]);
  });

  it('a step is reached at the time its deadline names, though the wait computed then rounds below the step', () => {
    // 1,767,225,601,000.7 - 1,767,225,600,000 is 1,000.69995... in doubles, and
    // 15,786.586252342084 + 30,000 - 15,786.586252342084 is 29,999.999999999996.
    for (const [since, afterMs] of [[1_767_225_600_000, 1000.7], [15_786.586252342084, 30_000]] as const) {
      const router = new Router({ groups: [{ id: 'pre', orderStates: ['unpaid'], overflow: [{ afterMs, to: ['post'] }] }, { id: 'post' }] });
      router.upsertAgent({ id: 'p1', status: 'online', groups: ['pre'], cap: 1 }, since);
      router.upsertAgent({ id: 's1', status: 'online', groups: ['post'], cap: 1 }, since);
      router.route({ customerId: 'busy', orderState: 'unpaid', at: since });
      expect(router.route({ customerId: 'c1', orderState: 'unpaid', at: since })).toMatchObject({ kind: 'queued' });
      expect(since + afterMs - since).toBeLessThan(afterMs);
      expect(router.nextDeadline()).toBe(since + afterMs);
      expect(router.advance(since + 5 * afterMs)).toMatchObject([{ customerId: 'c1', at: since + afterMs, agentId: 's1', reason: 'overflow' }]);
      expect(router.nextDeadline()).toBeUndefined();
    }
  });

  it('a widened consultation nobody can take waits in the wider line, then widens again to everyone', () => {
    const router = setup();
    router.upsertAgent({ id: 's1', cap: 0 }, 0);
    router.route({ customerId: 'c1', orderState: 'unpaid', at: 1_000 });
    expect(router.advance(1_000 + MIN)).toEqual([]);
    expect(router.consultation('c1')).toMatchObject({ kind: 'queued', deadline: 1_000 + 3 * MIN });
    // In the wider line now: an after-sales slot takes it.
    expect(router.upsertAgent({ id: 's1', cap: 1 }, 2 * MIN)).toMatchObject([{ customerId: 'c1', agentId: 's1', reason: 'overflow' }]);
    router.route({ customerId: 'c2', orderState: 'unpaid', at: 2 * MIN });
    expect(router.advance(2 * MIN + 3 * MIN)).toMatchObject([{ customerId: 'c2', agentId: 'free', reason: 'overflow' }]);
  });

  it('afterMs 0 is an immediate fallback; a re-routed consultation widens by the time it has waited since it arrived', () => {
    const router = setup();
    expect(router.route({ customerId: 'v', orderState: 'completed', at: 5 })).toMatchObject({ agentId: 's1', groupId: 'post', reason: 'overflow' });
    // A pre-sales chat that arrived long ago and is taken back goes straight to the widest tier it reached.
    router.end('busy', 10);
    router.route({ customerId: 'old', orderState: 'unpaid', at: 10 }); // → p1
    router.upsertAgent({ id: 's1', cap: 1 }, 10);
    expect(router.reroute('old', { reason: 'declined', at: 10 + 4 * MIN })).toMatchObject([{ customerId: 'old', agentId: 'free', reason: 'overflow' }]);
  });

  it('bound-group rules are kept: an agent of the bound group, even busy, is taken before any overflow', () => {
    const router = new Router({ groups, busyThreshold: 0, clock: () => 0 });
    router.upsertAgent({ id: 'p1', status: 'online', groups: ['pre'] }, 0);
    router.upsertAgent({ id: 's1', status: 'online', groups: ['post'] }, 0);
    router.route({ customerId: 'a', orderState: 'unpaid', at: 0 });
    expect(router.route({ customerId: 'b', orderState: 'unpaid', at: 10 * MIN })).toMatchObject({ agentId: 'p1', reason: 'busy-fallback' });
  });

  it('malformed steps are INVALID_OPTION; a step naming an unknown group is UNKNOWN_GROUP', () => {
    const bad = (overflow: unknown, orderStates = ['unpaid']) => () => new Router({ groups: [{ id: 'g', orderStates, overflow: overflow as never }, { id: 'h' }] });
    expect(bad([{ afterMs: MIN, to: ['nobody'] }])).toThrowError(expect.objectContaining({ code: 'UNKNOWN_GROUP' }));
    for (const overflow of [
      'soon', [{ afterMs: -1, to: ['h'] }], [{ afterMs: Number.NaN, to: ['h'] }], [{ afterMs: MIN, to: [] }], [{ afterMs: MIN, to: 'all' }],
      [{ afterMs: 2 * MIN, to: ['h'] }, { afterMs: MIN, to: '*' }], [{ afterMs: MIN, to: ['h'], when: 'busy' }], [null],
    ]) {
      expect(bad(overflow)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
    expect(bad([{ afterMs: MIN, to: ['h'] }], [])).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
