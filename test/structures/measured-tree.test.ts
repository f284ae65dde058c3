import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeasuredTree, verifyTree, type TreeItem } from '../../src/structures/measured-tree.js';

interface Item extends TreeItem {
  readonly id: string;
}

const tie = (a: Item, b: Item): boolean => a.id < b.id;
const before = (a: Item, b: Item): boolean => (a.key !== b.key ? a.key < b.key : a.seq !== b.seq ? a.seq < b.seq : tie(a, b));
const sorted = (items: Iterable<Item>): Item[] => [...items].sort((a, b) => (before(a, b) ? -1 : 1));
const item = (id: string): Item => ({ id, key: 0, seq: 0, measure: 0, treeSlot: -1 });

// Few distinct keys, seqs and measures, so that full ties (decided by the id) and equal measures
// (WF2Q+'s members that share a virtual start) are common.
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), item: fc.nat(40), key: fc.nat(4), seq: fc.nat(2), measure: fc.nat(6) }),
  fc.record({ kind: fc.constant('refile' as const), item: fc.nat(40), key: fc.nat(4), seq: fc.nat(2), measure: fc.nat(6) }),
  fc.record({ kind: fc.constant('remove' as const), item: fc.nat(40) }),
);

describe('MeasuredTree', () => {
  it('answers every query as a sorted list does, through any inserts, re-files and removals', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300, size: 'max' }), fc.nat(40), (ops, rejected) => {
        const items = Array.from({ length: 41 }, (_, i) => item(`a${String(i).padStart(2, '0')}`));
        const tree = new MeasuredTree<Item>(tie);
        const inside = new Set<Item>();
        for (const o of ops) {
          const x = items[o.item] as Item;
          if (o.kind === 'remove') {
            if (!inside.has(x)) continue;
            tree.remove(x);
            inside.delete(x);
            expect(x.treeSlot).toBe(-1);
          } else {
            x.key = o.key;
            x.seq = o.seq;
            x.measure = o.measure;
            if (inside.has(x)) tree.refile(x);
            else tree.insert(x);
            inside.add(x);
          }
          verifyTree(tree);
          const order = sorted(inside);
          expect(tree.values()).toEqual(order);
          expect(tree.size).toBe(inside.size);
          const least = Math.min(...order.map((y) => y.measure));
          const clock = { virtualTime: -1 };
          expect(tree.raise(clock)).toBe(order.length > 0);
          expect(clock.virtualTime).toBe(order.length > 0 ? least : -1);
          const accept = (y: Item): boolean => y !== items[rejected] && y.key !== 2;
          for (let limit = 0; limit <= 6; limit++) {
            const within = { virtualTime: limit };
            expect(tree.firstWithin(within)).toBe(order.find((y) => y.measure <= limit));
            expect(tree.firstWhere(accept, within)).toBe(order.find((y) => y.measure <= limit && accept(y)));
            expect(tree.raise(within)).toBe(order.length > 0 && least > limit);
          }
          expect(tree.firstWhere(accept)).toBe(order.find(accept));
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(['first', 'last'])('stays shallow when every element enters in order, each %s, with one measure (a round of equal weights), and half leave', (end) => {
    const tree = new MeasuredTree<Item>(tie);
    const n = 1 << 14;
    const items = Array.from({ length: n }, (_, i) => Object.assign(item(`a${String(i).padStart(5, '0')}`), { key: 1, seq: end === 'last' ? i : n - i, measure: 1 }));
    // verifyTree checks the heap order of the priorities, which gives the expected depth of about
    // 3 ln n (29 here); a list would be 16,384 deep.
    for (const x of items) tree.insert(x);
    expect(verifyTree(tree)).toBeLessThan(60);
    items.forEach((x, i) => i % 2 === 0 && tree.remove(x));
    expect(verifyTree(tree)).toBeLessThan(60);
    expect(tree.firstWithin({ virtualTime: 1 })).toBe(end === 'last' ? items[1] : items[n - 1]);
    expect(tree.firstWithin({ virtualTime: 0.5 })).toBeUndefined();
  });
});
