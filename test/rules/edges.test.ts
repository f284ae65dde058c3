import { describe, expect, it } from 'vitest';
import { Router, type OverflowStep } from '../../src/index.js';

// Edges and orders of the routing rules that only the model cross-check, or nothing, held: each
// case tells the documented reading (docs/routing.md, docs/decisions.md) from a near miss.
const MIN = 60_000;
const online = (r: Router, id: string, spec: Record<string, unknown> = {}, at = 0): void => {
  r.upsertAgent({ id, status: 'online', ...spec }, at);
};

describe('a call that fails changes nothing, and the limits include their edge', () => {
  it('a setStatus with a bad status leaves the router\'s time where it was', () => {
    const r = new Router();
    online(r, 'a');
    expect(() => r.setStatus('a', 'away' as never, 100)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(r.route({ customerId: 'c', at: 50 })).toMatchObject({ kind: 'agent', agentId: 'a' });
  });

  it('takes exactly 100 recent contacts and refuses 101', () => {
    const r = new Router();
    online(r, 'a');
    const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ agentId: 'a', at: i }));
    expect(() => r.route({ customerId: 'x', at: 100, recentContacts: contacts(101) })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(r.route({ customerId: 'c', at: 100, recentContacts: contacts(100) })).toMatchObject({ reason: 'recent-contact' });
  });
});

describe('answer timeouts and the run of misses', () => {
  it('an agent suspended by the time-out that made it so takes nothing from the queue', () => {
    const r = new Router({ answerTimeoutMs: 10, suspendAfterMisses: 1 });
    online(r, 'a', { cap: 1 });
    r.route({ customerId: 'c1', at: 0 });
    expect(r.route({ customerId: 'c2', at: 1 }).kind).toBe('queued');
    expect(r.advance(10)).toMatchObject([{ customerId: 'c1', kind: 'queued', rerouteReason: 'timeout' }]);
    expect(r.getAgent('a')).toMatchObject({ status: 'suspended', active: 0 });
    // c1 keeps its arrival (rule 9), so it waits ahead of c2.
    expect(r.queue().map((q) => q.customerId)).toEqual(['c1', 'c2']);
  });

  it('after a suspension by misses the count starts afresh: one miss back online does not suspend again', () => {
    const r = new Router({ answerTimeoutMs: 10, suspendAfterMisses: 2 });
    online(r, 'a');
    online(r, 'b', { cap: 0 });
    r.route({ customerId: 'c1', at: 0 });
    r.advance(10);
    r.end('c1', 11);
    r.route({ customerId: 'c2', at: 12 });
    r.advance(22);
    expect(r.getAgent('a')?.status).toBe('suspended');
    r.end('c2', 23);
    r.setStatus('a', 'online', 24);
    r.route({ customerId: 'c3', at: 25 });
    r.advance(35);
    expect(r.getAgent('a')?.status).toBe('online');
  });

  it('misses while suspended by hand stay in the run: one more back online makes it suspended', () => {
    const r = new Router({ answerTimeoutMs: 10, suspendAfterMisses: 2 });
    online(r, 'a');
    online(r, 'b');
    for (const c of ['c1', 'c2']) r.route({ customerId: c, dedicatedAgentId: 'a', at: 0 });
    for (const c of ['c1', 'c2']) r.agentReply(c, 1);
    for (const c of ['c1', 'c2']) r.end(c, 2);
    r.setStatus('a', 'suspended', 3);
    // Their recent contact takes them although suspended (stickyToSuspended), and lets both time out.
    for (const c of ['c1', 'c2']) expect(r.route({ customerId: c, at: 4 })).toMatchObject({ agentId: 'a', reason: 'recent-contact' });
    expect(r.advance(14).map((d) => d.rerouteReason)).toEqual(['timeout', 'timeout']);
    for (const c of ['c1', 'c2']) r.end(c, 15);
    r.setStatus('a', 'online', 16);
    r.route({ customerId: 'c3', dedicatedAgentId: 'a', at: 17 });
    r.advance(27);
    expect(r.getAgent('a')?.status).toBe('suspended');
  });
});

describe('overflow steps', () => {
  /** Group A, bound to unpaid chats, with these steps; B and C bind nothing. */
  const bound = (overflow: OverflowStep[]) => new Router({ groups: [{ id: 'A', orderStates: ['unpaid'], overflow }, { id: 'B' }, { id: 'C' }] });
  /** A and A2 both bound to unpaid chats: A overflows to B after `toB`, A2 to C after `toC`. */
  const twoBound = (toB: number, toC: number) => new Router({ groups: [
    { id: 'A', orderStates: ['unpaid'], overflow: [{ afterMs: toB, to: ['B'] }] },
    { id: 'A2', orderStates: ['unpaid'], overflow: [{ afterMs: toC, to: ['C'] }] },
    { id: 'B' }, { id: 'C' },
  ] });

  it('a re-routed chat widens by its wait since it first arrived, not since it was queued', () => {
    const r = bound([{ afterMs: MIN, to: '*' }]);
    online(r, 'a1', { groups: ['A'] });
    online(r, 'b1', { groups: ['B'] });
    expect(r.route({ customerId: 'c', orderState: 'unpaid', at: 0 })).toMatchObject({ agentId: 'a1' });
    r.reroute('c', { reason: 'declined', at: 30_000 });
    expect(r.nextDeadline()).toBe(MIN);
    expect(r.advance(MIN)).toMatchObject([{ customerId: 'c', agentId: 'b1', reason: 'overflow' }]);
  });

  it('steps of several bound groups fire in ascending afterMs', () => {
    const r = twoBound(MIN, 10_000);
    online(r, 'a1', { groups: ['A', 'A2'], cap: 0 });
    online(r, 'c1', { groups: ['C'] });
    expect(r.route({ customerId: 'c', orderState: 'unpaid', at: 0 }).kind).toBe('queued');
    expect(r.nextDeadline()).toBe(10_000);
    expect(r.advance(10_000)).toMatchObject([{ agentId: 'c1', reason: 'overflow' }]);
  });

  it('steps of equal afterMs make one tier: its least recently assigned agent takes the chat', () => {
    const r = twoBound(0, 0);
    online(r, 'a1', { groups: ['A', 'A2'], cap: 0 });
    online(r, 'b1', { groups: ['B'] });
    online(r, 'c1', { groups: ['C'] });
    r.route({ customerId: 'vip', dedicatedAgentId: 'b1', at: 1 });
    expect(r.route({ customerId: 'c', orderState: 'unpaid', at: 2 })).toMatchObject({ agentId: 'c1', reason: 'overflow' });
  });

  it('one group\'s steps must be strictly ascending: two at the same afterMs are refused', () => {
    expect(() => bound([{ afterMs: 1_000, to: ['B'] }, { afterMs: 1_000, to: '*' }])).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('a chat given through a wider pool says overflow, also to a busy agent', () => {
    const r = new Router({ busyThreshold: 0, groups: [{ id: 'A', orderStates: ['unpaid'], overflow: [{ afterMs: 0, to: '*' }] }, { id: 'B' }] });
    online(r, 'a1', { groups: ['A'], cap: 1 });
    online(r, 'b1', { groups: ['B'], pending: 3 });
    r.route({ customerId: 'x', orderState: 'unpaid', at: 0 });
    expect(r.route({ customerId: 'c', orderState: 'unpaid', at: 1 })).toMatchObject({ agentId: 'b1', reason: 'overflow' });
  });
});

describe('holds and the recent-contact window', () => {
  it('a resumed chat that goes quiet is put on hold again after inactiveAfterMs', () => {
    const r = new Router({ inactiveAfterMs: 100 });
    online(r, 'a', { cap: 1 });
    r.route({ customerId: 'c', at: 0 });
    r.hold('c', 10);
    r.resume('c', 20);
    expect(r.nextDeadline()).toBe(120);
    expect(r.consultation('c')?.deadline).toBe(120);
    r.route({ customerId: 'x', at: 30 });
    expect(r.advance(500)).toMatchObject([{ customerId: 'x', agentId: 'a', at: 120 }]);
    expect(r.consultation('c')?.onHold).toBe(true);
  });

  it('a contact outside the window is not waited for, from the memory or from the caller', () => {
    for (const caller of [false, true]) {
      const r = new Router({ stickyWindowMs: MIN, holdForRecentContactMs: 30_000 });
      online(r, 'a', { cap: 1 });
      online(r, 'b', { cap: 1 });
      if (!caller) {
        r.route({ customerId: 'c', dedicatedAgentId: 'a', at: 0 });
        r.end('c', 10);
      }
      r.route({ customerId: 'x', dedicatedAgentId: 'a', at: 11 });
      const back = caller
        ? r.route({ customerId: 'c', recentContacts: [{ agentId: 'a', at: 10 }], at: 10 + MIN + 1 })
        : r.route({ customerId: 'c', at: 10 + MIN + 1 });
      expect(back).toMatchObject({ kind: 'agent', agentId: 'b', reason: 'split' });
    }
  });

  it('a hold follows the agent\'s id: removed and added again, the agent is still waited for', () => {
    const r = new Router({ holdForRecentContactMs: 30_000 });
    online(r, 'a', { cap: 1 });
    online(r, 'b', { cap: 1 });
    r.route({ customerId: 'c', dedicatedAgentId: 'a', at: 0 });
    r.end('c', 10);
    r.removeAgent('a', 11);
    online(r, 'a', { cap: 1 }, 12);
    r.route({ customerId: 'x', dedicatedAgentId: 'a', at: 13 });
    expect(r.route({ customerId: 'c', at: 20 })).toMatchObject({ kind: 'queued', reason: 'held', heldFor: 'a' });
  });

  it('the caller\'s contact exactly stickyWindowMs old is still recent', () => {
    const r = new Router({ stickyWindowMs: MIN });
    online(r, 'a');
    online(r, 'b');
    r.route({ customerId: 'z', at: 0 }); // a took z: b is owed the next split
    expect(r.route({ customerId: 'c', recentContacts: [{ agentId: 'a', at: 1 }], at: 1 + MIN })).toMatchObject({ agentId: 'a', reason: 'recent-contact' });
  });

  it('a queued chat whose contact is exactly at the window\'s edge goes to that contact when it frees a slot', () => {
    const r = new Router({ stickyWindowMs: MIN, groups: [{ id: 'G1' }, { id: 'G2', orderStates: ['unpaid'] }] });
    online(r, 'a', { cap: 1, groups: ['G1'] });
    online(r, 'b', { cap: 1, groups: ['G2'] });
    r.route({ customerId: 'c', dedicatedAgentId: 'a', at: 0 });
    r.end('c', 10);
    r.route({ customerId: 'x', dedicatedAgentId: 'a', at: 11 });
    r.route({ customerId: 'y', orderState: 'unpaid', at: 12 });
    expect(r.route({ customerId: 'c', orderState: 'unpaid', at: 10 + MIN }).kind).toBe('queued');
    expect(r.end('x', 10 + MIN)).toMatchObject([{ customerId: 'c', agentId: 'a', reason: 'recent-contact' }]);
  });
});

describe('caps and views', () => {
  it('when no agent that is not busy has room, the busy agent with room takes the larger chat', () => {
    const r = new Router({ busyThreshold: 1 });
    online(r, 'a', { cap: 1 });
    online(r, 'b', { cap: 3, pending: 2 });
    expect(r.route({ customerId: 'v', cost: 2, at: 1 })).toMatchObject({ agentId: 'b', reason: 'busy-fallback' });
  });

  it('the queue\'s estimated wait follows the last 16 services, not older ones', () => {
    // One agent of cap 1; 20 wait. Services end at 100 and 500 ms, then at 1,010 and every 10 ms to
    // 1,150: the spans of the last 16 services run from 500 to 1,150.
    const r = new Router();
    online(r, 'a', { cap: 1 });
    r.route({ customerId: 'c0', at: 0 });
    for (let i = 1; i <= 20; i++) r.route({ customerId: `c${i}`, at: i });
    const times = [100, 500, 1010, 1020, 1030, 1040, 1050, 1060, 1070, 1080, 1090, 1100, 1110, 1120, 1130, 1140, 1150];
    times.forEach((t, i) => r.end(`c${i}`, t));
    const [first] = r.queue();
    // (1,150 − 500) / 16 ≈ 41 ms a place; the last 15 alone would give (1,150 − 1,010) / 15 ≈ 9.
    expect(first?.estimatedWaitMs).toBe(Math.round((1150 - 500) / 16));
  });

  it('an agent\'s view is busy above busyThreshold, not at it', () => {
    const r = new Router();
    online(r, 'a', { pending: 4 });
    online(r, 'b', { pending: 5 });
    expect([r.getAgent('a')?.busy, r.getAgent('b')?.busy]).toEqual([false, true]);
  });

  it('a consultation\'s view shows its inactivity deadline', () => {
    const r = new Router({ inactiveAfterMs: 100 });
    online(r, 'a');
    r.route({ customerId: 'c', at: 20 });
    expect(r.consultation('c')?.deadline).toBe(120);
  });

  it('a consultation\'s view shows the earlier of its answer and inactivity deadlines, and none while on hold', () => {
    const r = new Router({ answerTimeoutMs: 60_000, inactiveAfterMs: 30_000 });
    online(r, 'a');
    r.route({ customerId: 'c', at: 0 });
    expect(r.consultation('c')?.deadline).toBe(30_000);
    r.hold('c', 10);
    expect(r.consultation('c')?.deadline).toBeUndefined();
  });

  it('a consultation\'s view of its groups is its own copy', () => {
    const r = new Router({ groups: [{ id: 'pre', orderStates: ['unpaid'] }] });
    r.upsertAgent({ id: 'a', status: 'online', groups: ['pre'] }, 0);
    r.route({ customerId: 'c1', orderState: 'unpaid', at: 0 });
    r.route({ customerId: 'c2', orderState: 'unpaid', at: 0 });
    r.consultation('c1')?.groups?.push('vip');
    expect([r.consultation('c1')?.groups, r.consultation('c2')?.groups]).toEqual([['pre'], ['pre']]);
  });
});
