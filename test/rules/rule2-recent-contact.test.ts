import { describe, expect, it } from 'vitest';
import { shop, target } from '../helpers.js';
import { Router } from '../../src/index.js';

const HOUR = 3_600_000;

describe('rule 2: recent contact wins', () => {
  it('sends a returning customer back to the agent who served them, from the router\'s own memory', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    const first = router.route({ customerId: 'c1' });
    router.end('c1', tick());
    // Several new customers move the split on; c1 still goes back.
    for (let i = 0; i < 3; i++) router.route({ customerId: `n${i}` });
    const again = router.route({ customerId: 'c1', at: tick(HOUR) });
    expect(again).toMatchObject({ kind: 'agent', agentId: target(first), reason: 'recent-contact' });
  });

  it('counts the 72 hours from when the agent last served the customer, not from the assignment', () => {
    const { router, tick } = shop({ noAgent: 'queue' });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    expect(router.route({ customerId: 'c1' })).toMatchObject({ agentId: 'a' });
    // The chat runs half an hour: a reply after 20 minutes, the end at 30.
    router.agentReply('c1', tick(20 * 60_000));
    router.end('c1', tick(10 * 60_000));
    // 71 h 45 min after the end (72 h 15 min after the assignment): still a recent contact.
    router.route({ customerId: 'n1' });
    expect(router.route({ customerId: 'c1', at: tick(71.75 * HOUR) })).toMatchObject({ agentId: 'a', reason: 'recent-contact' });
    router.end('c1', tick());
    // A reply is serving too: the agent is remembered from it, before the chat ends.
    expect(router.route({ customerId: 'c2' })).toMatchObject({ agentId: 'b' });
    expect(router.snapshot().contacts.some(([c]) => c === 'c2')).toBe(false);
    const replied = tick(HOUR);
    router.agentReply('c2', replied);
    expect(router.snapshot().contacts.at(-1)).toEqual(['c2', 'b', replied]);
  });

  it('does not remember an agent who declined the consultation or let it time out: the contact before stays', () => {
    const { router, tick } = shop({ noAgent: 'queue', answerTimeoutMs: 30_000 });
    router.upsertAgent({ id: 'p', status: 'online' });
    // p serves c1 first.
    router.route({ customerId: 'c1' });
    router.end('c1', tick());
    router.setStatus('p', 'offline', tick());
    router.upsertAgent({ id: 'a', status: 'online' }, tick());
    // c1 comes back while p is away: a gets it and declines; nobody else, so it waits, then leaves.
    expect(router.route({ customerId: 'c1', at: tick() })).toMatchObject({ agentId: 'a', reason: 'split' });
    expect(router.reroute('c1', { reason: 'declined', at: tick() })).toMatchObject([{ kind: 'queued' }]);
    router.end('c1', tick());
    // c3 goes to a, who lets it time out: it waits, then leaves.
    expect(router.route({ customerId: 'c3', at: tick() })).toMatchObject({ agentId: 'a' });
    expect(router.advance(tick(30_000))).toMatchObject([{ kind: 'queued', customerId: 'c3', rerouteReason: 'timeout' }]);
    router.end('c3', tick());
    router.upsertAgent({ id: 'b', status: 'online' }, tick());
    router.setStatus('p', 'online', tick());
    // c1's contact is still p, who served it; c3 has none, so a is no recent contact of either.
    expect(router.route({ customerId: 'c1', at: tick() })).toMatchObject({ agentId: 'p', reason: 'recent-contact' });
    expect(router.route({ customerId: 'c3', at: tick() })).toMatchObject({ reason: 'split' });
    expect(router.snapshot().contacts.map(([c, agent]) => `${c}:${agent}`)).toEqual(['c1:p']);
  });

  it('skips a remembered agent that was removed', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'x', status: 'online' });
    router.route({ customerId: 'c1' });
    router.end('c1', tick());
    router.upsertAgent({ id: 'y', status: 'online' }, tick());
    router.removeAgent('x', tick());
    expect(router.route({ customerId: 'c1', at: tick() })).toMatchObject({ agentId: 'y', reason: 'split' });
  });

  it('sends a returning customer to its agent removed and added again: agents are remembered by id', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'x', status: 'online' });
    router.route({ customerId: 'c1' });
    router.end('c1', tick());
    router.removeAgent('x', tick());
    router.upsertAgent({ id: 'y', status: 'online' }, tick());
    router.upsertAgent({ id: 'x', status: 'online' }, tick());
    expect(router.route({ customerId: 'c1', at: tick() })).toMatchObject({ agentId: 'x', reason: 'recent-contact' });
  });

  it('keeps a contact with a removed agent through a snapshot, for when the agent comes back', () => {
    const { router, tick, now } = shop();
    router.upsertAgent({ id: 'x', status: 'online' });
    router.route({ customerId: 'c1' });
    router.end('c1', tick());
    router.removeAgent('x', tick());
    const restored = Router.restore(router.snapshot(), { clock: now });
    restored.upsertAgent({ id: 'y', status: 'online' });
    expect(restored.route({ customerId: 'c2' })).toMatchObject({ agentId: 'y' });
    restored.upsertAgent({ id: 'x', status: 'online' });
    expect(restored.route({ customerId: 'c1' })).toMatchObject({ agentId: 'x', reason: 'recent-contact' });
    restored.end('c2', tick());
    restored.end('c1', tick());
    expect(restored.snapshot().contacts.map(([c, a]) => `${c}:${a}`)).toEqual(['c2:y', 'c1:x']);
  });

  it('goes to the recent contact even when it is busy', () => {
    const { router } = shop({ busyThreshold: 0 });
    router.upsertAgent({ id: 'a', status: 'online', pending: 3 });
    router.upsertAgent({ id: 'b', status: 'online' });
    const d = router.route({ customerId: 'c1', recentContacts: [{ agentId: 'a', at: 1_000_000 - HOUR }] });
    expect(d).toMatchObject({ agentId: 'a', reason: 'recent-contact' });
  });

  it('goes to a suspended recent contact when stickyToSuspended (the default), not when it is off', () => {
    const on = shop();
    on.router.upsertAgent({ id: 'a', status: 'suspended' });
    on.router.upsertAgent({ id: 'b', status: 'online' });
    expect(on.router.route({ customerId: 'c1', recentContacts: [{ agentId: 'a', at: 0 }] })).toMatchObject({ agentId: 'a', reason: 'recent-contact' });

    const off = shop({ stickyToSuspended: false });
    off.router.upsertAgent({ id: 'a', status: 'suspended' });
    off.router.upsertAgent({ id: 'b', status: 'online' });
    expect(off.router.route({ customerId: 'c1', recentContacts: [{ agentId: 'a', at: 1_000_000 }] })).toMatchObject({ agentId: 'b', reason: 'split' });
  });

  it('ignores a contact outside the window, and an agent at cap or offline', () => {
    const { router } = shop({ stickyWindowMs: 72 * HOUR });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online', cap: 0 });
    router.upsertAgent({ id: 'x', status: 'offline' });
    router.upsertAgent({ id: 'z', status: 'online' });
    const d = router.route({
      customerId: 'c1',
      recentContacts: [
        { agentId: 'a', at: 1_000_000 - 72 * HOUR - 1 },
        { agentId: 'b', at: 1_000_000 - HOUR },
        { agentId: 'x', at: 1_000_000 - HOUR },
      ],
    });
    expect(d.reason).toBe('split');
  });

  it('the most recent eligible contact wins among several', () => {
    const { router } = shop();
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' });
    router.upsertAgent({ id: 'c', cap: 0 });
    const d = router.route({
      customerId: 'c1',
      recentContacts: [
        { agentId: 'a', at: 1_000_000 - 3 * HOUR },
        { agentId: 'c', at: 1_000_000 - HOUR }, // most recent, but at cap
        { agentId: 'b', at: 1_000_000 - 2 * HOUR },
      ],
    });
    expect(d).toMatchObject({ agentId: 'b', reason: 'recent-contact' });
  });

  it('outranks group binding: a pre-sale customer with a shipped order goes back to the pre-sale agent (rules 2 before 5)', () => {
    const { router, tick } = shop({ groups: [{ id: 'pre', orderStates: ['none', 'unpaid'] }, { id: 'post', orderStates: ['shipped'] }] });
    router.upsertAgent({ id: 'pre-1', status: 'online', groups: ['pre'] });
    router.upsertAgent({ id: 'post-1', status: 'online', groups: ['post'] });
    expect(router.route({ customerId: 'c1', orderState: 'unpaid' })).toMatchObject({ agentId: 'pre-1' });
    router.end('c1', tick());
    const later = router.route({ customerId: 'c1', orderState: 'shipped', at: tick(24 * HOUR) });
    expect(later).toMatchObject({ agentId: 'pre-1', reason: 'recent-contact' });
    expect(router.route({ customerId: 'c2', orderState: 'shipped' })).toMatchObject({ agentId: 'post-1', reason: 'split', groupId: 'post' });
  });

  it('stickyWindowMs: 0 turns recent-contact routing off', () => {
    const { router, tick } = shop({ stickyWindowMs: 0 });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    const first = router.route({ customerId: 'c1' });
    router.end('c1', tick());
    const d = router.route({ customerId: 'c1', recentContacts: [{ agentId: target(first), at: 1_000_000 }] });
    expect(d.reason).toBe('split');
  });

  it('the memory expires after the window and stays within maxEntries', () => {
    const { router, tick } = shop({ stickyWindowMs: HOUR, contactMemory: { maxEntries: 2 } });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    const d1 = router.route({ customerId: 'c1' });
    router.end('c1', tick());
    // Expired after the window.
    const late = router.route({ customerId: 'c1', at: tick(HOUR + 1) });
    expect(late.reason).toBe('split');
    router.end('c1', tick());
    // Three more customers push c1 out of a 2-entry memory.
    for (const c of ['c2', 'c3', 'c4']) {
      router.route({ customerId: c });
      router.end(c, tick());
    }
    const forgotten = router.route({ customerId: 'c1', at: tick() });
    expect(forgotten.reason).toBe('split');
    void d1;
    expect(router.snapshot().contacts.length).toBeLessThanOrEqual(2);
  });

  it('seed 001: an agent holding many recent contacts receives more than a newcomer, who shares only new customers', () => {
    const { router, tick } = shop();
    router.upsertAgent({ id: 'veteran', status: 'online' });
    // Day 1 and 2: the veteran alone serves 40 customers.
    for (let i = 0; i < 40; i++) {
      router.route({ customerId: `old-${i}`, at: tick(60_000) });
      router.end(`old-${i}`, tick(60_000));
      router.setPending('veteran', 0);
    }
    router.upsertAgent({ id: 'newcomer', status: 'online' }, tick());
    // Day 3: the 40 return and 40 new customers arrive, interleaved.
    const got = new Map<string, number>([['veteran', 0], ['newcomer', 0]]);
    for (let i = 0; i < 40; i++) {
      for (const c of [`old-${i}`, `new-${i}`]) {
        const d = router.route({ customerId: c, at: tick(60_000) });
        got.set(target(d), (got.get(target(d)) ?? 0) + 1);
        router.end(c, tick(1000));
      }
      router.setPending('veteran', 0);
      router.setPending('newcomer', 0);
    }
    expect(got.get('veteran')).toBe(60); // all 40 returning + half of the 40 new
    expect(got.get('newcomer')).toBe(20);
  });

  it("on equal contact times the router's own memory wins over the caller's list, and the caller's list goes in its order", () => {
    const { router } = shop();
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' }, 0);
    router.route({ customerId: 'c1', dedicatedAgentId: 'a', at: 100 }); // remembered: a at 100
    router.end('c1', 100);
    expect(router.route({ customerId: 'c1', at: 200, recentContacts: [{ agentId: 'b', at: 100 }] })).toMatchObject({ agentId: 'a', reason: 'recent-contact' });
    expect(router.route({ customerId: 'c2', at: 200, recentContacts: [{ agentId: 'c', at: 150 }, { agentId: 'b', at: 150 }] })).toMatchObject({ agentId: 'c', reason: 'recent-contact' });
    expect(router.route({ customerId: 'c3', at: 200, recentContacts: [{ agentId: 'b', at: 150 }, { agentId: 'c', at: 150 }] })).toMatchObject({ agentId: 'b', reason: 'recent-contact' });
  });
});
