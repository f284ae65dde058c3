import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeasuredTree, type TreeItem } from '../../src/structures/measured-tree.js';

interface Item extends TreeItem<Item> {
  readonly id: string;
}

const tie = (a: Item, b: Item): boolean => a.id < b.id;
const before = (a: Item, b: Item): boolean => (a.key !== b.key ? a.key < b.key : a.seq !== b.seq ? a.seq < b.seq : tie(a, b));
const sorted = (items: Iterable<Item>): Item[] => [...items].sort((a, b) => (before(a, b) ? -1 : 1));

// Few distinct keys, seqs and measures, so that full ties (decided by the id) and equal measures
// (WF2Q+'s members that share a virtual start) are common.
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), item: fc.nat(40), key: fc.nat(4), seq: fc.nat(2), measure: fc.nat(6) }),
  fc.record({ kind: fc.constant('refile' as const), item: fc.nat(40), key: fc.nat(4), seq: fc.nat(2), measure: fc.nat(6) }),
  fc.record({ kind: fc.constant('remove' as const), item: fc.nat(40) }),
);

const newItems = (): Item[] =>
  Array.from({ length: 41 }, (_, i) => ({
    id: `a${String(i).padStart(2, '0')}`, key: 0, seq: 0, measure: 0, least: 0, left: undefined, right: undefined, priority: 0,
  }));

describe('MeasuredTree', () => {
  it('answers every query as a sorted list does, through any inserts, re-files and removals', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300, size: 'max' }), fc.nat(7), fc.nat(40), (ops, limit, rejected) => {
        const items = newItems();
        const tree = new MeasuredTree<Item>(tie);
        const inside = new Set<Item>();
        for (const o of ops) {
          const item = items[o.item] as Item;
          if (o.kind === 'remove' || (o.kind === 'refile' && inside.has(item))) {
            if (!inside.has(item)) continue;
            tree.remove(item);
            inside.delete(item);
          }
          if (o.kind !== 'remove' && !inside.has(item)) {
            item.key = o.key;
            item.seq = o.seq;
            item.measure = o.measure;
            tree.insert(item);
            inside.add(item);
          }
          const order = sorted(inside);
          expect(tree.values()).toEqual(order);
          expect(tree.size).toBe(inside.size);
          expect(tree.root?.least).toBe(order.length === 0 ? undefined : Math.min(...order.map((x) => x.measure)));
          const within = { virtualTime: limit };
          expect(tree.firstWithin(within)).toBe(order.find((x) => x.measure <= limit));
          const accept = (x: Item): boolean => x !== items[rejected] && x.key !== 2;
          expect(tree.firstWhere(accept, within)).toBe(order.find((x) => x.measure <= limit && accept(x)));
          expect(tree.firstWhere(accept)).toBe(order.find(accept));
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(['first', 'last'])('stays shallow when every element enters in order, each %s, with one measure (a round of equal weights), and half leave', (end) => {
    const tree = new MeasuredTree<Item>(tie);
    const n = 1 << 14;
    const items = Array.from({ length: n }, (_, i) => ({
      id: `a${String(i).padStart(5, '0')}`, key: 1, seq: end === 'last' ? i : n - i, measure: 1, least: 0, left: undefined, right: undefined, priority: 0,
    }) as Item);
    const depth = (t: Item | undefined): number => (t === undefined ? 0 : 1 + Math.max(depth(t.left), depth(t.right)));
    // The heap order of the priorities holds, and so the expected depth of about 3 ln n (29 here);
    // a list would be 16,384 deep.
    const heapOrdered = (t: Item | undefined): boolean =>
      t === undefined || ([t.left, t.right].every((c) => c === undefined || c.priority <= t.priority) && heapOrdered(t.left) && heapOrdered(t.right));
    for (const item of items) tree.insert(item);
    expect(depth(tree.root)).toBeLessThan(60);
    expect(heapOrdered(tree.root)).toBe(true);
    items.forEach((item, i) => i % 2 === 0 && tree.remove(item));
    expect(depth(tree.root)).toBeLessThan(60);
    expect(heapOrdered(tree.root)).toBe(true);
    expect(tree.firstWithin({ virtualTime: 1 })).toBe(end === 'last' ? items[1] : items[n - 1]);
    expect(tree.firstWithin({ virtualTime: 0.5 })).toBeUndefined();
  });
});
