import { describe, expect, it } from 'vitest';
import { Router, type Decision } from '../../src/index.js';
import { target, thrown } from '../helpers.js';

const MIN = 60_000;
const kinds = (ds: Decision[]): string[] => ds.map((d) => `${d.customerId}→${target(d)}`);

describe('cost: a cap counts cost units', () => {
  it('an agent takes a consultation while load + cost ≤ cap; load is the sum', () => {
    const r = new Router({ clock: () => 0 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 3 });
    r.upsertAgent({ id: 'b', status: 'online', cap: 3 });
    expect(target(r.route({ customerId: 'video', cost: 2, at: 1 }))).toBe('a');
    expect(target(r.route({ customerId: 'chat1', at: 2 }))).toBe('b');
    // a has 1 unit left, b has 2: a second video only fits b.
    expect(target(r.route({ customerId: 'video2', cost: 2, at: 3 }))).toBe('b');
    expect(r.getAgent('a')).toMatchObject({ active: 1, load: 2 });
    expect(r.getAgent('b')).toMatchObject({ active: 2, load: 3 });
    // A chat of cost 1 fits a (2 + 1 ≤ 3); another fits nobody and waits.
    expect(target(r.route({ customerId: 'chat2', at: 4 }))).toBe('a');
    expect(r.route({ customerId: 'chat3', at: 5 })).toMatchObject({ kind: 'queued', reason: 'no-human' });
    expect(r.consultation('video')).toMatchObject({ cost: 2 });
    expect(r.consultation('chat1')?.cost).toBeUndefined();
  });

  it('a consultation the fair share\'s pick has no room for goes to the non-busy agent with the most room', () => {
    const r = new Router({ clock: () => 0, busyThreshold: 4 });
    for (const [id, cap] of [['a', 3], ['b', 4], ['c', 5]] as const) r.upsertAgent({ id, status: 'online', cap });
    // Each takes two chats: rooms 1, 2 and 3.
    for (let i = 0; i < 6; i++) r.route({ customerId: `x${i}`, at: 1 });
    expect(r.agents().map((a) => a.load)).toEqual([2, 2, 2]);
    // A cost of 2 fits b and c; c has the most room.
    expect(target(r.route({ customerId: 'video', cost: 2, at: 2 }))).toBe('c');
    // Now rooms 1, 2, 1: b is the only one with room for 2.
    expect(target(r.route({ customerId: 'video2', cost: 2, at: 3 }))).toBe('b');
    // Nobody has room for 2 any more: it waits, whatever the agents' number.
    expect(r.route({ customerId: 'video3', cost: 2, at: 4 }).kind).toBe('queued');
    // Costs of 1 still follow the fair share.
    expect(r.route({ customerId: 'chat', at: 5 }).kind).toBe('agent');
  });

  it('a re-routed consultation its first allowed pick has no room for goes to the allowed agent with the most room', () => {
    const r = new Router({ clock: () => 0, busyThreshold: 4 });
    for (const [id, cap] of [['a', 3], ['b', 4], ['c', 5], ['d', 6]] as const) r.upsertAgent({ id, status: 'online', cap });
    // Two chats each, in turn: rooms 1, 2, 3 and 4, and a is the least recently assigned.
    for (let i = 0; i < 8; i++) r.route({ customerId: `x${i}`, at: 1 });
    expect(target(r.route({ customerId: 'video', cost: 2, at: 2 }))).toBe('d');
    // d declines it: a, first in the fair share, has room 1; c has the most room of the others.
    // (b, the first in the fair share with room for it, is not the one that spreads the load.)
    expect(r.reroute('video', { reason: 'declined', at: 3 }).map(target)).toEqual(['c']);
    // c declines too: b (room 2) is the only one left with room.
    expect(r.reroute('video', { reason: 'declined', at: 4 }).map(target)).toEqual(['b']);
    // And b: nobody left has room for 2 (a has 1), so the exclusions start over with b's alone,
    // and d, with the most room, takes it again.
    expect(r.reroute('video', { reason: 'declined', at: 5 }).map(target)).toEqual(['d']);
  });

  it('fractional costs add up without drift', () => {
    const r = new Router({ clock: () => 0 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 });
    for (let i = 0; i < 10; i++) expect(target(r.route({ customerId: `c${i}`, cost: 0.1, at: 1 }))).toBe('a');
    expect(r.route({ customerId: 'over', cost: 0.1, at: 1 }).kind).toBe('queued');
    for (let i = 0; i < 10; i++) r.end(`c${i}`, 2);
    expect(r.consultation('over')).toMatchObject({ kind: 'agent', agentId: 'a' });
    r.end('over', 3);
    expect(r.getAgent('a')?.load).toBe(0);
  });

  it('the queue is served first fit in service order: one that does not fit keeps its place, the next that fits is served', () => {
    const r = new Router({ clock: () => 0 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 2 });
    r.route({ customerId: 'x', at: 1 });
    r.route({ customerId: 'y', at: 1 });
    expect(r.route({ customerId: 'video', cost: 2, at: 2 }).kind).toBe('queued');
    expect(r.route({ customerId: 'chat', at: 3 }).kind).toBe('queued');
    // One unit frees: the video at the head does not fit; the chat behind it does.
    expect(kinds(r.end('x', 4))).toEqual(['chat→a']);
    expect(r.queue().map((q) => [q.customerId, q.position])).toEqual([['video', 1]]);
    // So a newcomer cannot take the unit while a chat that fits waits.
    expect(r.route({ customerId: 'new', at: 5 }).kind).toBe('queued');
    // Again one unit: the newcomer fits, the video does not.
    expect(kinds(r.end('y', 6))).toEqual(['new→a']);
    expect(r.end('chat', 7)).toEqual([]);
    // Two units free: the video goes in.
    expect(kinds(r.end('new', 8))).toEqual(['video→a']);
  });

  it('a returning customer whose agent frees too little room keeps that agent: it gets it when the room is there', () => {
    const r = new Router({ clock: () => 0, holdForRecentContactMs: 600_000 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 2 });
    r.route({ customerId: 'c1', at: 0 });
    r.end('c1', 1);
    r.route({ customerId: 'x1', at: 2 });
    r.route({ customerId: 'x2', cost: 0.5, at: 2 });
    r.route({ customerId: 'x3', cost: 0.5, at: 2 });
    expect(r.route({ customerId: 'c1', at: 3 })).toMatchObject({ kind: 'queued', reason: 'held', heldFor: 'a' });
    expect(r.end('x3', 4)).toEqual([]); // room 0.5: not enough
    const restored = Router.restore(JSON.parse(JSON.stringify(r.snapshot())));
    const expected = { kind: 'agent', customerId: 'c1', agentId: 'a', reason: 'recent-contact', waitedMs: 2 };
    expect(r.end('x2', 5)).toEqual([expect.objectContaining(expected)]);
    expect(restored.end('x2', 5)).toEqual([expect.objectContaining(expected)]);
  });

  it('a transfer needs room for the cost', () => {
    const r = new Router({ clock: () => 0 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 3 });
    r.route({ customerId: 'video', cost: 2, at: 1 });
    r.upsertAgent({ id: 'b', status: 'online', cap: 1 }, 2);
    expect(() => r.reroute('video', { reason: 'transfer', toAgentId: 'b', at: 3 })).toThrow(expect.objectContaining({ code: 'AGENT_UNAVAILABLE' }));
    expect(r.getAgent('a')).toMatchObject({ load: 2 });
  });
});

describe('hold and resume', () => {
  function twoChats(): Router {
    const r = new Router({ clock: () => 0 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 2 });
    r.route({ customerId: 'c1', at: 1 });
    r.route({ customerId: 'c2', at: 1 });
    r.route({ customerId: 'w1', at: 2 }); // waits
    return r;
  }

  it('a held consultation stops counting against the cap and pending; the freed slot serves the queue', () => {
    const r = twoChats();
    expect(r.getAgent('a')).toMatchObject({ load: 2, pending: 2 });
    expect(kinds(r.hold('c1', 3))).toEqual(['w1→a']);
    expect(r.getAgent('a')).toMatchObject({ active: 3, load: 2, pending: 2 });
    expect(r.consultation('c1')).toMatchObject({ kind: 'agent', agentId: 'a', onHold: true });
  });

  it('resume counts it again, even above the cap: the agent takes nothing new until under it', () => {
    const r = twoChats();
    r.hold('c1', 3);
    expect(r.resume('c1', 4)).toEqual([]);
    expect(r.getAgent('a')).toMatchObject({ active: 3, load: 3, pending: 3 });
    expect(r.route({ customerId: 'w2', at: 5 }).kind).toBe('queued');
    // One chat ends: load 2 = cap, still no room.
    expect(r.end('c2', 6)).toEqual([]);
    expect(kinds(r.end('w1', 7))).toEqual(['w2→a']);
  });

  it('a message from either side resumes a held consultation', () => {
    const r = twoChats();
    r.hold('c1', 3);
    r.customerMessage('c1', 4);
    expect(r.consultation('c1')?.onHold).toBeUndefined();
    expect(r.getAgent('a')?.load).toBe(3);
    r.hold('c2', 5);
    r.agentReply('c2', 6);
    expect(r.getAgent('a')).toMatchObject({ load: 3 });
    expect(r.consultation('c2')?.awaitingReplySince).toBeUndefined();
  });

  it('a held chat cannot time out', () => {
    const r = new Router({ clock: () => 0, answerTimeoutMs: MIN });
    r.upsertAgent({ id: 'a', status: 'online' });
    r.upsertAgent({ id: 'b', status: 'online' });
    r.route({ customerId: 'c', at: 0 });
    r.hold('c', 1);
    expect(r.nextDeadline()).toBeUndefined();
    expect(r.advance(10 * MIN)).toEqual([]);
  });

  it('ending, re-routing or losing the agent of a held consultation leaves the load right', () => {
    const r = twoChats();
    r.hold('c1', 3); // w1 comes in
    r.end('c1', 4);
    expect(r.getAgent('a')).toMatchObject({ active: 2, load: 2 });
    r.upsertAgent({ id: 'b', status: 'online', cap: 5 }, 5);
    r.hold('c2', 6);
    expect(r.reroute('c2', { reason: 'transfer', toAgentId: 'b', at: 7 })[0]).toMatchObject({ agentId: 'b' });
    expect(r.getAgent('a')).toMatchObject({ active: 1, load: 1 });
    expect(r.getAgent('b')).toMatchObject({ active: 1, load: 1 });
    expect(r.consultation('c2')?.onHold).toBeUndefined();
  });

  it('refuses what it cannot do, with coded errors that change nothing', () => {
    const r = twoChats();
    const before = JSON.stringify(r.snapshot());
    const code = (f: () => unknown): string => thrown(f).code;
    expect(code(() => r.hold('w1', 3))).toBe('INVALID_STATE');
    expect(code(() => r.resume('c1', 3))).toBe('INVALID_STATE');
    expect(code(() => r.hold('ghost', 3))).toBe('UNKNOWN_CUSTOMER');
    expect(code(() => r.resume('ghost', 3))).toBe('UNKNOWN_CUSTOMER');
    expect(code(() => r.hold('c1', 0))).toBe('TIME_WENT_BACKWARDS');
    expect(JSON.stringify(r.snapshot())).toBe(before);
    r.hold('c1', 3);
    expect(code(() => r.hold('c1', 4))).toBe('INVALID_STATE');
  });
});

describe('inactiveAfterMs: a quiet chat frees its slot', () => {
  it('nobody wrote for the whole time: advance puts it on hold and serves the queue; a message resumes it', () => {
    const r = new Router({ clock: () => 0, inactiveAfterMs: 10 * MIN });
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 });
    r.route({ customerId: 'quiet', at: 0 });
    r.agentReply('quiet', MIN);
    expect(r.route({ customerId: 'next', at: 2 * MIN }).kind).toBe('queued');
    // Ten minutes after the last message (the reply at 1 min).
    expect(r.nextDeadline()).toBe(11 * MIN);
    expect(r.advance(11 * MIN - 1)).toEqual([]);
    const served = r.advance(11 * MIN);
    expect(kinds(served)).toEqual(['next→a']);
    expect(served[0]).toMatchObject({ at: 11 * MIN, waitedMs: 9 * MIN });
    expect(r.consultation('quiet')).toMatchObject({ onHold: true });
    r.customerMessage('quiet', 12 * MIN);
    expect(r.consultation('quiet')?.onHold).toBeUndefined();
    expect(r.getAgent('a')).toMatchObject({ active: 2, load: 2 });
  });

  it('each message starts the quiet time again', () => {
    const r = new Router({ clock: () => 0, inactiveAfterMs: 10 * MIN });
    r.upsertAgent({ id: 'a', status: 'online' });
    r.route({ customerId: 'c', at: 0 });
    for (let t = 5; t <= 45; t += 5) {
      r.customerMessage('c', t * MIN);
      expect(r.advance(t * MIN + MIN)).toEqual([]);
    }
    expect(r.nextDeadline()).toBe(55 * MIN);
  });

  it('a hand-over starts the quiet time again, and takes a held chat off hold: the new agent is given the whole time', () => {
    const r = new Router({ clock: () => 0, inactiveAfterMs: 10 * MIN });
    for (const id of ['a', 'b']) r.upsertAgent({ id, status: 'online', cap: 1 });
    r.route({ customerId: 'c', dedicatedAgentId: 'a', at: 0 });
    r.agentReply('c', MIN);
    r.reroute('c', { reason: 'transfer', toAgentId: 'b', at: 6 * MIN });
    expect(r.nextDeadline()).toBe(16 * MIN);
    r.advance(16 * MIN);
    expect(r.consultation('c')).toMatchObject({ agentId: 'b', onHold: true });
    r.reroute('c', { reason: 'transfer', toAgentId: 'a', at: 17 * MIN });
    expect(r.consultation('c')?.onHold).toBeUndefined();
    expect(r.getAgent('a')).toMatchObject({ active: 1, load: 1 });
    expect(r.nextDeadline()).toBe(27 * MIN);
  });
});

describe('wrapUpMs: after-chat work', () => {
  it('the capacity stays taken after end until advance reaches the wrap-up', () => {
    const r = new Router({ clock: () => 0, wrapUpMs: 30_000 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 });
    r.route({ customerId: 'c1', at: 0 });
    expect(r.route({ customerId: 'c2', at: 1_000 }).kind).toBe('queued');
    expect(r.end('c1', 10_000)).toEqual([]);
    expect(r.getAgent('a')).toMatchObject({ active: 0, load: 1 });
    expect(r.nextDeadline()).toBe(40_000);
    expect(kinds(r.advance(40_000))).toEqual(['c2→a']);
    expect(r.getAgent('a')).toMatchObject({ active: 1, load: 1 });
  });

  it('a chat that ends on hold has no wrap-up: it took no capacity', () => {
    const r = new Router({ clock: () => 0, wrapUpMs: 60_000 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 2 });
    for (const c of ['c1', 'c2']) r.route({ customerId: c, at: 0 });
    r.hold('c1', 1);
    r.hold('c2', 1);
    for (const c of ['c3', 'c4']) r.route({ customerId: c, at: 2 });
    r.end('c1', 3);
    r.end('c2', 3);
    expect(r.getAgent('a')).toMatchObject({ load: 2, cap: 2 });
    expect(r.nextDeadline()).toBeUndefined();
  });

  it('a removed agent\'s wrap-ups leave the calendar with it', () => {
    const r = new Router({ clock: () => 0, wrapUpMs: 60_000 });
    r.upsertAgent({ id: 'a', status: 'online' });
    r.route({ customerId: 'c', at: 0 });
    r.end('c', 1);
    expect(r.nextDeadline()).toBe(60_001);
    r.removeAgent('a', 2);
    expect(r.nextDeadline()).toBeUndefined();
    expect(Router.restore(r.snapshot()).nextDeadline()).toBeUndefined();
  });

  it('a wrap-up holds the ended consultation\'s cost', () => {
    const r = new Router({ clock: () => 0, wrapUpMs: 30_000 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 3 });
    r.route({ customerId: 'video', cost: 2, at: 0 });
    r.end('video', 1);
    expect(r.getAgent('a')?.load).toBe(2);
    expect(r.route({ customerId: 'video2', cost: 2, at: 2 }).kind).toBe('queued');
    expect(target(r.route({ customerId: 'chat', at: 3 }))).toBe('a');
  });
});

describe('businessHours', () => {
  // Shanghai is UTC+8 all year: Monday 2026-12-07 09:00-18:00 local is 01:00-10:00 UTC.
  const hours = { timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'], tue: ['09:00-18:00'] } };
  const mon = (h: number, m = 0): number => Date.UTC(2026, 11, 7, h - 8, m);

  it('outside the hours a new consultation is handled as by rule 1, with reason closed; the opening serves the queue', () => {
    const r = new Router({ clock: () => 0, businessHours: hours });
    r.upsertAgent({ id: 'a', status: 'online' }, mon(8));
    expect(r.route({ customerId: 'early', at: mon(8, 30) })).toMatchObject({ kind: 'queued', reason: 'closed' });
    expect(r.nextDeadline()).toBe(mon(9));
    expect(kinds(r.advance(mon(9)))).toEqual(['early→a']);
    expect(target(r.route({ customerId: 'open', at: mon(10) }))).toBe('a');
    expect(r.route({ customerId: 'late', at: mon(18) })).toMatchObject({ kind: 'queued', reason: 'closed' });
    // Tuesday 09:00 Shanghai.
    expect(r.nextDeadline()).toBe(mon(9) + 24 * 3_600_000);
  });

  it('with a robot, closed hours go to the robot; with an offline account, to it', () => {
    const robot = new Router({ clock: () => 0, businessHours: hours, robot: true });
    robot.upsertAgent({ id: 'a', status: 'online' }, mon(7));
    expect(robot.route({ customerId: 'night', at: mon(7) })).toMatchObject({ kind: 'robot', reason: 'closed' });
    // The robot hands over at night: the human side is closed too, so it waits.
    expect(robot.escalate('night', { at: mon(7, 5) })).toMatchObject({ kind: 'queued', reason: 'closed' });
    const offline = new Router({ clock: () => 0, businessHours: hours, noAgent: 'main', mainAccountId: 'boss' });
    offline.upsertAgent({ id: 'a', status: 'online' }, mon(7));
    expect(offline.route({ customerId: 'night', at: mon(7) })).toMatchObject({ kind: 'offline', accountId: 'boss', reason: 'closed' });
  });

  it('the queue is not served while closed: a chat freed after hours waits with the rest for the opening', () => {
    const r = new Router({ clock: () => 0, businessHours: hours });
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 }, mon(17));
    r.route({ customerId: 'c1', at: mon(17) });
    r.route({ customerId: 'c2', at: mon(17, 30) });
    expect(r.end('c1', mon(18, 5))).toEqual([]);
    expect(kinds(r.advance(mon(9) + 24 * 3_600_000))).toEqual(['c2→a']);
  });

  it('an overflow step that comes while closed waits for the opening, on a night with nothing else', () => {
    const day = (h: number, m = 0): number => Date.UTC(2026, 11, 7, h, m);
    const r = new Router({
      clock: () => 0,
      businessHours: { timeZone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['09:00-18:00']])) },
      groups: [{ id: 'A', orderStates: ['unpaid'], overflow: [{ afterMs: 600_000, to: '*' }] }, { id: 'B' }],
    });
    r.upsertAgent({ id: 'a1', status: 'online', groups: ['A'], cap: 1 }, day(17));
    r.upsertAgent({ id: 'b1', status: 'online', groups: ['B'], cap: 5 }, day(17));
    r.route({ customerId: 'x', orderState: 'unpaid', at: day(17, 55) });
    expect(r.route({ customerId: 'c1', orderState: 'unpaid', at: day(17, 56) })).toMatchObject({ kind: 'queued', reason: 'no-human' });
    expect(r.advance(day(18, 10))).toEqual([]);
    expect(r.nextDeadline()).toBe(day(9) + 86_400_000);
    expect(r.advance(day(9) + 86_400_000)).toEqual([expect.objectContaining({ customerId: 'c1', agentId: 'b1', reason: 'overflow' })]);
  });

  it('an opening across a daylight-saving change is at the local time', () => {
    // New York springs forward on 2026-03-08: Sunday 09:00 EDT is 13:00 UTC (not 14:00).
    const r = new Router({ clock: () => 0, businessHours: { timeZone: 'America/New_York', weekly: { sun: ['09:00-17:00'] } } });
    r.upsertAgent({ id: 'a', status: 'online' }, Date.UTC(2026, 2, 8, 5));
    r.route({ customerId: 'c', at: Date.UTC(2026, 2, 8, 5) });
    expect(r.nextDeadline()).toBe(Date.UTC(2026, 2, 8, 13));
  });
});
