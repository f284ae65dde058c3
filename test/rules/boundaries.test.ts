import { describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';

// Boundaries and orders each rule's doc states, pinned one by one: a mutation of each went through
// every other test unnoticed.

const MINUTE = 60_000;

describe('ids and scope values at their longest', () => {
  it('a group id and a scope value of 1,024 characters are accepted (1,025 are refused: test/errors/catalogue.ts)', () => {
    const id = 'g'.repeat(1024);
    const product = 'p'.repeat(1024);
    const router = new Router({ groups: [{ id, products: [product] }] });
    router.upsertAgent({ id: 'a', status: 'online', groups: [id] }, 0);
    expect(router.route({ customerId: 'c', product, at: 1 })).toMatchObject({ kind: 'agent', agentId: 'a', groupId: id });
  });

  it('the contact memory holds 1,000,000 customers by default; a group\'s order states and overflow targets are kept once each', () => {
    expect(new Router().snapshot().options.contactMemory.maxEntries).toBe(1_000_000);
    const router = new Router({ groups: [{ id: 'g', orderStates: ['unpaid', 'unpaid'], overflow: [{ afterMs: 5, to: ['h', 'h'] }] }, { id: 'h' }] });
    expect(router.snapshot().options.groups[0]).toMatchObject({ orderStates: ['unpaid'], overflow: [{ afterMs: 5, to: ['h'] }] });
  });

  it('an agent id and a customer id of 1,024 characters, and costs of 1e-6 and 1e6, are accepted', () => {
    const router = new Router();
    const agent = 'a'.repeat(1024);
    router.upsertAgent({ id: agent, status: 'online', cap: 2e6 }, 0);
    expect(router.route({ customerId: 'c'.repeat(1024), cost: 1e-6, at: 1 })).toMatchObject({ kind: 'agent', agentId: agent });
    expect(router.route({ customerId: 'big', cost: 1e6, at: 2 })).toMatchObject({ kind: 'agent', agentId: agent });
    expect(router.getAgent(agent)?.load).toBe(1e6 + 1e-6);
  });
});

describe('rule 2: the window and the hold', () => {
  it('a customer back exactly stickyWindowMs after the end still returns to that agent; 1 ms later, not', () => {
    for (const [late, expected] of [[0, { agentId: 'a', reason: 'recent-contact' }], [1, { agentId: 'b', reason: 'split' }]] as const) {
      const r = new Router({ stickyWindowMs: MINUTE });
      r.upsertAgent({ id: 'a', status: 'online' }, 0);
      r.upsertAgent({ id: 'b', status: 'online' }, 0);
      r.route({ customerId: 'c', at: 0 });
      r.end('c', 10);
      // b is now owed the next pick of the split, so only rule 2 sends c back to a.
      expect(r.route({ customerId: 'c', at: 10 + MINUTE + late })).toMatchObject(expected);
    }
  });

  it('stickyWindowMs: 0 turns rule 2 off, for the caller\'s contacts too', () => {
    const r = new Router({ stickyWindowMs: 0 });
    r.upsertAgent({ id: 'a', status: 'online' }, 0);
    r.upsertAgent({ id: 'b', status: 'online' }, 0);
    expect(r.route({ customerId: 'c', recentContacts: [{ agentId: 'b', at: 5 }], at: 5 })).toMatchObject({ agentId: 'a', reason: 'split' });
  });

  /** a served c (ended at 10) and is now full with x; b, z free. */
  function heldShop(options: ConstructorParameters<typeof Router>[0]): Router {
    const r = new Router(options);
    for (const id of ['a', 'b', 'z']) r.upsertAgent({ id, status: 'online', cap: 1 }, 0);
    r.route({ customerId: 'c', dedicatedAgentId: 'a', at: 0 });
    r.end('c', 10);
    r.route({ customerId: 'x', dedicatedAgentId: 'a', at: 11 });
    return r;
  }

  it('a customer back exactly stickyWindowMs after the end is held for that agent at cap', () => {
    const r = heldShop({ stickyWindowMs: MINUTE, holdForRecentContactMs: 30_000 });
    expect(r.route({ customerId: 'c', at: 10 + MINUTE })).toMatchObject({ kind: 'queued', reason: 'held', heldFor: 'a' });
  });

  it('of two contacts at the same time, the hold waits for the router\'s own, not the caller\'s', () => {
    const r = heldShop({ holdForRecentContactMs: 30_000 });
    r.route({ customerId: 'y', dedicatedAgentId: 'b', at: 12 });
    expect(r.route({ customerId: 'c', recentContacts: [{ agentId: 'b', at: 10 }], at: 20 })).toMatchObject({ kind: 'queued', reason: 'held', heldFor: 'a' });
  });

  it('a held customer whose contact the memory let go waits for the hold\'s end, live and restored alike', () => {
    const r = heldShop({ holdForRecentContactMs: 600_000, contactMemory: { maxEntries: 1 } });
    r.route({ customerId: 'y', dedicatedAgentId: 'b', at: 12 });
    expect(r.route({ customerId: 'c', at: 20 })).toMatchObject({ kind: 'queued', reason: 'held', heldFor: 'a' });
    r.end('y', 25); // remembers y, the memory's only entry: c is forgotten
    const restored = Router.restore(JSON.parse(JSON.stringify(r.snapshot())) as ReturnType<Router['snapshot']>);
    const outcomes = [r, restored].map((router) => [router.end('x', 30), router.advance(20 + 600_000)]);
    expect(outcomes[0]).toEqual([[], [expect.objectContaining({ customerId: 'c', reason: 'split', waitedMs: 600_000 })]]);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('an escalation from the robot is not held: the hold is for new consultations', () => {
    const r = new Router({ receptionMode: 'robot-first', robot: true, holdForRecentContactMs: 600_000, stickyToSuspended: false });
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 }, 0);
    r.upsertAgent({ id: 'b', status: 'online', cap: 1 }, 0);
    r.route({ customerId: 'c', dedicatedAgentId: 'a', at: 0 });
    r.end('c', 10);
    r.route({ customerId: 'x', dedicatedAgentId: 'a', at: 11 });
    r.setStatus('a', 'suspended', 12);
    expect(r.route({ customerId: 'c', at: 20 })).toMatchObject({ kind: 'robot' });
    r.setStatus('a', 'online', 21);
    expect(r.escalate('c', { at: 22 })).toMatchObject({ kind: 'agent', agentId: 'b', reason: 'split' });
  });
});

describe('business hours and rule 1 in the queue', () => {
  it('a chat taken back after closing time is routed, not queued for the opening', () => {
    const t = (h: number): number => Date.UTC(2026, 11, 7, h); // a Monday
    const r = new Router({ businessHours: { timeZone: 'UTC', weekly: { mon: ['09:00-18:00'] } } });
    r.upsertAgent({ id: 'a', status: 'online' }, t(10));
    r.upsertAgent({ id: 'b', status: 'online' }, t(10));
    expect(r.route({ customerId: 'c', at: t(17) })).toMatchObject({ agentId: 'a' });
    expect(r.setStatus('a', 'offline', t(19))).toEqual([expect.objectContaining({ kind: 'agent', agentId: 'b', reroutedFrom: 'a', rerouteReason: 'offline' })]);
  });

  it('an overflow step that fires with nobody online leaves the queue as it was: no decision, no chat twice', () => {
    const r = new Router({ groups: [{ id: 'A', orderStates: ['unpaid'], overflow: [{ afterMs: MINUTE, to: '*' }] }, { id: 'B' }] });
    r.upsertAgent({ id: 'a1', status: 'online', groups: ['A'], cap: 1 }, 0);
    r.route({ customerId: 'x', orderState: 'unpaid', at: 0 });
    r.route({ customerId: 'c1', orderState: 'unpaid', at: 1 });
    r.setStatus('a1', 'offline', 2);
    expect(r.advance(MINUTE + 1)).toEqual([]);
    expect(r.queue().map((q) => q.customerId)).toEqual(['x', 'c1']);
  });
});

describe('overflow from the queue', () => {
  function overflowShop(): Router {
    const r = new Router({ contactMemory: { maxEntries: 1 }, groups: [{ id: 'A', orderStates: ['unpaid'], overflow: [{ afterMs: MINUTE, to: '*' }] }, { id: 'B' }] });
    r.upsertAgent({ id: 'a1', status: 'online', groups: ['A'], cap: 1 }, 0);
    r.upsertAgent({ id: 'b1', status: 'online', groups: ['B'], cap: 1 }, 0);
    return r;
  }

  it('a queued chat reaches a step when advance fires its deadline, not when a slot frees after it', () => {
    const r = overflowShop();
    // c1 was b1's customer: its chat waits where b1's freed slot looks too.
    r.route({ customerId: 'c1', dedicatedAgentId: 'b1', at: 0 });
    r.end('c1', 1);
    r.route({ customerId: 'x', orderState: 'unpaid', at: 2 });
    r.route({ customerId: 'y', dedicatedAgentId: 'b1', at: 3 });
    expect(r.route({ customerId: 'c1', orderState: 'unpaid', at: 4 })).toMatchObject({ kind: 'queued' });
    // b1 frees past the step's time, before the deadline fired: not yet reached.
    expect(r.end('y', 70_000)).toEqual([]);
    expect(r.advance(70_000)).toEqual([expect.objectContaining({ customerId: 'c1', agentId: 'b1', reason: 'overflow', groupId: 'B' })]);
  });

  it('a chat overflowing to every agent names the group of the agent that took it', () => {
    const r = overflowShop();
    r.route({ customerId: 'x', orderState: 'unpaid', at: 0 });
    r.route({ customerId: 'c1', orderState: 'unpaid', at: 1 });
    expect(r.advance(MINUTE + 1)).toEqual([expect.objectContaining({ customerId: 'c1', agentId: 'b1', reason: 'overflow', groupId: 'B' })]);
  });
});

describe('capacity', () => {
  it('costs that add up to the cap fit, whatever their binary rounding (0.1 + 2.7 + 0.2 of 3)', () => {
    const r = new Router();
    r.upsertAgent({ id: 'a', status: 'online', cap: 3 }, 0);
    r.route({ customerId: 'c1', cost: 0.1, at: 1 });
    r.route({ customerId: 'c2', cost: 2.7, at: 2 });
    expect(r.route({ customerId: 'c3', cost: 0.2, at: 3 })).toMatchObject({ kind: 'agent', agentId: 'a' });
  });

  it('a chat only the roomiest can take goes, among equal room, to the lower id', () => {
    const r = new Router();
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 }, 0);
    r.upsertAgent({ id: 'c', status: 'online', cap: 3 }, 0);
    r.upsertAgent({ id: 'b', status: 'online', cap: 3 }, 0);
    expect(r.route({ customerId: 'video', cost: 2, at: 1 })).toMatchObject({ agentId: 'b' });
  });

  it('a pool everyone left has a total weight of exactly 0 (no float residue in its snapshot)', () => {
    const r = new Router({ splitMode: 'weighted' });
    r.upsertAgent({ id: 'a', status: 'online', weight: 0.1 }, 0);
    r.upsertAgent({ id: 'b', status: 'online', weight: 0.2 }, 0);
    r.route({ customerId: 'c0', at: 0 });
    r.setStatus('a', 'offline', 1);
    r.setStatus('b', 'offline', 2);
    expect(r.snapshot().pools.map((p) => p.totalWeight)).toEqual(r.snapshot().pools.map(() => 0));
  });
});

describe('snapshots', () => {
  it('a pool key whose groups are not in option order is refused, not restored as another pool', () => {
    const r = new Router({ groups: [{ id: 'A', products: ['p'] }, { id: 'B', products: ['p'] }] });
    r.upsertAgent({ id: 'a', status: 'online', groups: ['A'] }, 0);
    r.upsertAgent({ id: 'b', status: 'online', groups: ['B'] }, 0);
    r.route({ customerId: 'c', product: 'p', at: 1 });
    r.end('c', 1);
    const text = JSON.stringify(r.snapshot());
    expect(text).toContain('[\\"A\\",\\"B\\"]');
    const swapped = JSON.parse(text.split('[\\"A\\",\\"B\\"]').join('[\\"B\\",\\"A\\"]')) as ReturnType<Router['snapshot']>;
    expect(() => Router.restore(swapped)).toThrow(expect.objectContaining({ code: 'INVALID_SNAPSHOT' }));
  });
});
