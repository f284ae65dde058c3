import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexedHeap, type HeapItem } from '../../src/structures/indexed-heap.js';

interface Item extends HeapItem {
  readonly id: string;
}

const tie = (a: Item, b: Item): boolean => a.id < b.id;
const before = (a: Item, b: Item): boolean => (a.key !== b.key ? a.key < b.key : a.seq !== b.seq ? a.seq < b.seq : tie(a, b));
const least = (items: readonly Item[]): Item | undefined => items.reduce<Item | undefined>((m, x) => (m === undefined || before(x, m) ? x : m), undefined);

// Few distinct keys and seqs, so that full ties (decided by the id) are common.
const op = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), item: fc.nat(40), key: fc.nat(3), seq: fc.nat(2) }),
  fc.record({ kind: fc.constant('update' as const), item: fc.nat(40), key: fc.nat(3), seq: fc.nat(2) }),
  fc.record({ kind: fc.constant('remove' as const), item: fc.nat(40) }),
  fc.record({ kind: fc.constant('updateTop' as const), key: fc.nat(3), seq: fc.nat(2) }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
const newItems = (): Item[] => Array.from({ length: 41 }, (_, i) => ({ id: `a${String(i).padStart(2, '0')}`, key: 0, seq: 0, heapIndex: -1 }));

/** Applies a push, update or remove to the heap and to the model set `inside` (ops that do not apply are skipped). */
function applyChange(heap: IndexedHeap<Item>, items: readonly Item[], inside: Set<Item>, o: Exclude<Op, { kind: 'updateTop' }>): void {
  const item = items[o.item] as Item;
  if (o.kind === 'push' && !inside.has(item)) {
    item.key = o.key;
    item.seq = o.seq;
    heap.push(item);
    inside.add(item);
  } else if (o.kind === 'update' && inside.has(item)) {
    item.key = o.key;
    item.seq = o.seq;
    heap.update(item);
  } else if (o.kind === 'remove' && inside.has(item)) {
    heap.remove(item);
    inside.delete(item);
    expect(item.heapIndex).toBe(-1);
  }
}

describe('IndexedHeap', () => {
  it('keeps the least element (key, then seq, then the tie-break) at the top through any pushes, updates and removals', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300, size: 'max' }), fc.nat(40), (ops, probe) => {
        const items = newItems();
        const heap = new IndexedHeap<Item>(tie);
        const inside = new Set<Item>();
        for (const o of ops) {
          if (o.kind === 'updateTop') {
            const top = heap.peek();
            if (top === undefined) continue;
            top.key = o.key;
            top.seq = o.seq;
            heap.update(top);
            continue;
          }
          applyChange(heap, items, inside, o);
          expect(heap.peek()).toBe(least([...inside]));
        }
        expect(heap.size).toBe(inside.size);
        for (const item of items) expect(heap.has(item)).toBe(inside.has(item));
        heap.values().forEach((item, i) => expect(item.heapIndex).toBe(i));
        // firstWhere: the least element that is accepted.
        const accept = (x: Item): boolean => x.id !== `a${String(probe).padStart(2, '0')}` && x.key !== 0;
        expect(heap.firstWhere(accept)).toBe(least([...inside].filter(accept)));
      }),
      { numRuns: 500 },
    );
  });

  it('a lazy heap, read now and then after long runs of changes, answers every read as an ordered heap would', () => {
    // Reads are rare, so the heap drops its order between them (more than 2·size + 16 changes).
    const lazyOp = fc.oneof(
      { arbitrary: op, weight: 40 },
      { arbitrary: fc.record({ kind: fc.constant('read' as const), probe: fc.nat(40) }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(lazyOp, { minLength: 100, maxLength: 1_500 }), (ops) => {
        const items = newItems();
        const heap = new IndexedHeap<Item>(tie, true);
        const inside = new Set<Item>();
        for (const o of ops) {
          if (o.kind === 'read') {
            const accept = (x: Item): boolean => x.id !== `a${String(o.probe).padStart(2, '0')}` && x.key !== 0;
            expect(heap.firstWhere(accept)).toBe(least([...inside].filter(accept)));
            expect(heap.peek()).toBe(least([...inside]));
            continue;
          }
          if (o.kind === 'updateTop') continue; // needs a read; covered above
          applyChange(heap, items, inside, o);
          expect(heap.size).toBe(inside.size);
        }
        for (const item of items) expect(heap.has(item)).toBe(inside.has(item));
        heap.values().forEach((item, i) => expect(item.heapIndex).toBe(i));
        expect(heap.peek()).toBe(least([...inside]));
      }),
      { numRuns: 300 },
    );
  });

  // The lazy heap takes all of this without a read, so it is unordered when the drain begins.
  it.each([
    ['an ordered heap', false],
    ['a lazy heap, filled and re-keyed without reads,', true],
  ])('%s grows past its initial capacity and keeps order while draining', (_name, lazy) => {
    const heap = new IndexedHeap<Item>(tie, lazy);
    const items: Item[] = [];
    for (let i = 0; i < 1_000; i++) {
      const item = { id: `a${i}`, key: (i * 7919) % 101, seq: i % 3, heapIndex: -1 };
      items.push(item);
      heap.push(item);
    }
    for (const item of items.slice(0, 300)) {
      item.key = (item.key * 31) % 97;
      heap.update(item);
    }
    const drained: Item[] = [];
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      drained.push(top);
      heap.remove(top);
    }
    expect(drained).toEqual([...items].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)));
  });
});
