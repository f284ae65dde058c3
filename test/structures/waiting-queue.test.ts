import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Capacity } from '../../src/pipeline/capacity.js';
import { OrderedSet, type SetNode } from '../../src/structures/ordered-set.js';
import { servedBefore, WaitingQueue, type Waiting, type WaitingFor } from '../../src/structures/waiting-queue.js';

const w = (customerId: string, priority: number, since: number, order: number, cost = 1): Waiting => ({ customerId, priority, since, order, cost });
const ids = (q: WaitingQueue<Waiting, string>): string[] => [...q.items()].map((x) => x.customerId);
const plain = (pool: string): WaitingFor<string> => ({ pool, keptFrom: undefined, contacts: [], dedicatedAgentId: undefined });
const ROOMY: Capacity = { load: 0, cap: Number.POSITIVE_INFINITY };
const taker = (id: string, pools: string[], contacts = false, dedicated = false, capacity = ROOMY) => ({ id, pools, contacts, dedicated, capacity });

/** Adds `v` to the set (with its label, if any) or deletes it, as `add` says, keeping `nodes` (value → its node) in step. */
function apply(set: OrderedSet<number>, nodes: Map<number, SetNode<number>>, add: boolean, v: number, label?: string): void {
  if (add && !nodes.has(v)) nodes.set(v, set.insert(v, label));
  if (!add && nodes.has(v)) {
    set.delete(nodes.get(v)!);
    nodes.delete(v);
  }
}

describe('OrderedSet', () => {
  it('keeps values in order with ranks, through any inserts and deletes', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 300 }), (ops) => {
      const set = new OrderedSet<number>((a, b) => a < b);
      const nodes = new Map<number, SetNode<number>>();
      for (const [add, v] of ops) apply(set, nodes, add, v);
      const sorted = [...nodes.keys()].sort((a, b) => a - b);
      expect([...set.values()]).toEqual(sorted);
      expect(set.size).toBe(sorted.length);
      expect(set.first()).toBe(sorted[0]);
      for (const [v, node] of nodes) expect(set.rank(node)).toBe(sorted.indexOf(v));
    }), { numRuns: 300 });
  });

  it('finds the first value whose measure is within a limit, and the first not of a given label, through any inserts and deletes', () => {
    // Values 0..60, each measured by a table of costs and labelled by a table of labels (some
    // none): the first value within the limit is the least value whose cost is at most it; passing
    // over a label, the least such value of another label or of none. The limit may be infinite.
    const labels = [undefined, 'a', 'b', 'c'];
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 61, maxLength: 61 }),
      fc.array(fc.constantFrom(...labels), { minLength: 61, maxLength: 61 }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 300 }),
      fc.constantFrom(0, 1, 2, 3, 5, 8, 9, Number.POSITIVE_INFINITY),
      (cost, label, ops, limit) => {
        const set = new OrderedSet<number>((a, b) => a < b, (v) => cost[v] as number);
        const nodes = new Map<number, SetNode<number>>();
        for (const [add, v] of ops) {
          apply(set, nodes, add, v, label[v]);
          const within = [...nodes.keys()].filter((x) => (cost[x] as number) <= limit).sort((a, b) => a - b);
          expect(set.firstWithin((m) => m <= limit)).toBe(within[0]);
          for (const except of ['a', 'b', 'c']) expect(set.firstWithin((m) => m <= limit, except)).toBe(within.find((x) => label[x] !== except));
        }
      },
    ), { numRuns: 300 });
  });
});

describe('WaitingQueue (rule 8 service order)', () => {
  it('serves higher priority first, then the longest waiting, then the first routed', () => {
    const q = new WaitingQueue<Waiting, string>();
    q.insert(w('late-normal', 0, 30, 3), plain('p'));
    q.insert(w('early-normal', 0, 10, 1), plain('p'));
    q.insert(w('vip', 5, 40, 4), plain('p'));
    q.insert(w('tie-second', 0, 20, 6), plain('p'));
    q.insert(w('tie-first', 0, 20, 5), plain('p'));
    expect(ids(q)).toEqual(['vip', 'early-normal', 'tie-first', 'tie-second', 'late-normal']);
    expect(q.size).toBe(5);
  });

  it('returns the 1-based position of each insertion, and positions stay exact after removals', () => {
    const q = new WaitingQueue<Waiting, string>();
    const a = w('a', 0, 10, 1);
    const c = w('c', 0, 15, 4);
    expect(q.insert(a, plain('p'))).toBe(1);
    expect(q.insert(w('b', 0, 20, 2), plain('p'))).toBe(2);
    expect(q.insert(w('vip', 1, 30, 3), plain('p'))).toBe(1);
    expect(q.insert(c, plain('p'))).toBe(3);
    q.remove(a);
    expect(q.position(c)).toBe(2);
    q.remove(a); // not queued any more: nothing happens
    expect(ids(q)).toEqual(['vip', 'c', 'b']);
  });

  it('offers a freed agent the first consultation it may take: its pools, its contacts, its dedicated chats', () => {
    const q = new WaitingQueue<Waiting, string>();
    const pre = w('pre', 0, 1, 1);
    const post = w('post', 0, 2, 2);
    const mine = w('mine', 0, 3, 3);
    const vip = w('vip', 0, 4, 4);
    q.insert(pre, plain('pre-sales'));
    q.insert(post, plain('after-sales'));
    q.insert(mine, { pool: 'pre-sales', keptFrom: undefined, contacts: [{ agentId: 'x', at: 100 }], dedicatedAgentId: undefined });
    q.insert(vip, { pool: 'pre-sales', keptFrom: undefined, contacts: [], dedicatedAgentId: 'x' });
    expect(q.next(taker('x', ['after-sales']), 0)).toBe(post);
    // Suspended: only its own recent contacts.
    expect(q.next(taker('x', [], true), 0)).toBe(mine);
    expect(q.next(taker('x', [], false, true), 0)).toBe(vip);
    // A contact outside the window leaves the lane.
    expect(q.next(taker('x', [], true), 101)).toBeUndefined();
    expect(q.next(taker('y', ['elsewhere'], true, true), 0)).toBeUndefined();
  });

  it('passes over the chats the freed agent declined, and offers them to the others', () => {
    const q = new WaitingQueue<Waiting, string>();
    const declined = Array.from({ length: 50 }, (_, i) => w(`d${i}`, 0, i, i));
    for (const d of declined) q.insert(d, { pool: 'p', keptFrom: 'x', contacts: [], dedicatedAgentId: undefined });
    const others = Array.from({ length: 50 }, (_, i) => w(`o${i}`, 0, 50 + i, 50 + i));
    for (const [i, o] of others.entries()) q.insert(o, { pool: 'p', keptFrom: `agent-${i}`, contacts: [], dedicatedAgentId: undefined });
    expect(q.next(taker('x', ['p']), 0)).toBe(others[0]);
    expect(q.next(taker('agent-0', ['p']), 0)).toBe(declined[0]);
    for (const o of others) q.remove(o);
    expect(q.next(taker('x', ['p']), 0)).toBeUndefined();
    const fresh = w('fresh', 0, 100, 100);
    q.insert(fresh, plain('p'));
    expect(q.next(taker('x', ['p']), 0)).toBe(fresh);
  });

  it('offers the first consultation that fits the taker\'s room, past larger ones, in every lane', () => {
    const q = new WaitingQueue<Waiting, string>();
    const videos = Array.from({ length: 100 }, (_, i) => w(`video${i}`, 0, i, i, 2));
    for (const v of videos) q.insert(v, { pool: 'p', keptFrom: undefined, contacts: [{ agentId: 'x', at: 5 }], dedicatedAgentId: 'x' });
    const chat = w('chat', 0, 200, 200, 1);
    q.insert(chat, plain('p'));
    const half = w('half', 0, 300, 300, 0.5);
    q.insert(half, { pool: 'elsewhere', keptFrom: undefined, contacts: [{ agentId: 'x', at: 5 }], dedicatedAgentId: undefined });
    const room = (free: number): Capacity => ({ load: 3 - free, cap: 3 });
    expect(q.next(taker('x', ['p'], false, false, room(2)), 0)).toBe(videos[0]);
    expect(q.next(taker('x', ['p'], false, false, room(1)), 0)).toBe(chat);
    expect(q.next(taker('x', [], true, true, room(1)), 0)).toBe(half);
    expect(q.next(taker('x', [], false, true, room(1)), 0)).toBeUndefined();
    expect(q.next(taker('x', ['p'], true, true, room(0.25)), 0)).toBeUndefined();
    // Room for the videos again once one unit more is free; the chat no longer comes first.
    expect(q.next(taker('x', [], false, true, room(2)), 0)).toBe(videos[0]);
  });

  it('agrees with a sorted list on what any taker is offered, through random inserts and removals', () => {
    const agents = ['x', 'y', 'z'];
    const pools = ['p', 'q'];
    const item = fc.record({
      priority: fc.integer({ min: 0, max: 2 }), since: fc.integer({ min: 0, max: 20 }), pool: fc.constantFrom(...pools),
      keptFrom: fc.option(fc.constantFrom(...agents), { nil: undefined }), contact: fc.option(fc.record({ agentId: fc.constantFrom(...agents), at: fc.integer({ min: 0, max: 10 }) }), { nil: undefined }),
      dedicated: fc.option(fc.constantFrom(...agents), { nil: undefined }),
      cost: fc.constantFrom(1, 1, 0.5, 2, 3),
    });
    // The taker's room: its load and cap (a load of 0.5 with a cap of 3 fits anything).
    const capacity = fc.record({ load: fc.constantFrom(0, 0.5, 1, 2), cap: fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY) });
    fc.assert(fc.property(fc.array(fc.tuple(item, fc.boolean()), { maxLength: 60 }), fc.constantFrom(...agents), fc.subarray(pools), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 10 }), capacity, (ops, id, takerPools, contacts, dedicated, staleBefore, room) => {
      const q = new WaitingQueue<Waiting, string>();
      const live: { w: Waiting; f: WaitingFor<string> }[] = [];
      ops.forEach(([x, remove], order) => {
        if (remove && live.length > 0) {
          const [gone] = live.splice(order % live.length, 1);
          q.remove(gone!.w);
          return;
        }
        const item = w(`c${order}`, x.priority, x.since, order, x.cost);
        const f: WaitingFor<string> = {
          pool: x.pool, keptFrom: x.keptFrom, contacts: x.contact === undefined || x.keptFrom === x.contact.agentId ? [] : [x.contact],
          dedicatedAgentId: x.dedicated !== undefined && x.keptFrom !== x.dedicated ? x.dedicated : undefined,
        };
        q.insert(item, f);
        live.push({ w: item, f });
      });
      const may = ({ w, f }: { w: Waiting; f: WaitingFor<string> }, who = id): boolean => room.load + w.cost <= room.cap && (
        (f.pool !== undefined && takerPools.includes(f.pool) && f.keptFrom !== who) ||
        (contacts && f.contacts.some((c) => c.agentId === who && c.at >= staleBefore)) ||
        (dedicated && f.dedicatedAgentId === who));
      const expected = live.filter((l) => may(l)).map((l) => l.w).sort((a, b) => (servedBefore(a, b) ? -1 : 1))[0];
      expect(q.next(taker(id, takerPools, contacts, dedicated, room), staleBefore)).toBe(expected);
      // Any other agent in the same position: each is offered the first it may take.
      for (const other of agents.filter((a) => a !== id)) {
        const offered = live.filter((l) => may(l, other)).map((l) => l.w).sort((a, b) => (servedBefore(a, b) ? -1 : 1))[0];
        expect(q.next(taker(other, takerPools, contacts, dedicated, room), staleBefore)).toBe(offered);
      }
      expect(ids(q)).toEqual(live.map((l) => l.w).sort((a, b) => (servedBefore(a, b) ? -1 : 1)).map((x) => x.customerId));
    }), { numRuns: 500 });
  });
});
