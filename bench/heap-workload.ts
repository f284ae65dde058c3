import { IndexedHeap } from '../src/structures/indexed-heap.js';
import type { HeapItem } from '../src/structures/indexed-heap.js';
import { LazyHeap } from './baselines/heapjs-lazy.js';
import type { LazyItem } from './baselines/heapjs-lazy.js';
import { Prng } from './prng.js';

/**
 * The operations a fenliu pool performs on its heaps, as one step: re-key the top after a pick
 * (its virtual finish or load grows), re-key a random member in either direction (a pending count
 * reported), and every fourth step move a random member out and another back in (a tier change).
 * Pre-generated from a seed, so IndexedHeap and heap-js (lazy deletion) replay the same steps.
 */
export interface HeapScript {
  readonly size: number;
  readonly steps: number;
  readonly keys: Float64Array;
  readonly increments: Float64Array;
  readonly member: Int32Array;
  readonly memberKey: Float64Array;
  /** -1 or the member to take out in this step (another goes back in). */
  readonly out: Int32Array;
}

export function makeHeapScript(size: number, steps = 1 << 16, seed = 7): HeapScript {
  const rng = new Prng(seed);
  const keys = new Float64Array(size).map(() => rng.below(1_000) / 100);
  const increments = new Float64Array(steps);
  const member = new Int32Array(steps);
  const memberKey = new Float64Array(steps);
  const out = new Int32Array(steps).fill(-1);
  for (let i = 0; i < steps; i++) {
    increments[i] = 1 / (1 + rng.below(10));
    member[i] = rng.below(size);
    memberKey[i] = rng.below(1_000) / 100;
    if (i % 4 === 3) out[i] = rng.below(size);
  }
  return { size, steps, keys, increments, member, memberKey, out };
}

interface IndexedItem extends HeapItem {
  readonly tie: number;
}

export interface HeapRunner {
  run(steps: number): void;
  sink: number;
}

export class IndexedHeapRunner implements HeapRunner {
  readonly #s: HeapScript;
  readonly #heap = new IndexedHeap<IndexedItem>((a, b) => a.tie < b.tie);
  readonly #items: IndexedItem[] = [];
  readonly #outside: IndexedItem[] = [];
  #cursor = 0;
  sink = 0;

  constructor(s: HeapScript) {
    this.#s = s;
    for (let i = 0; i < s.size; i++) {
      const item = { key: s.keys[i] as number, seq: 0, tie: i, heapIndex: -1 };
      this.#items.push(item);
      this.#heap.push(item);
    }
  }

  run(steps: number): void {
    const s = this.#s;
    const heap = this.#heap;
    for (let k = 0; k < steps; k++) {
      const i = this.#cursor;
      this.#cursor = i + 1 === s.steps ? 0 : i + 1;
      const top = heap.peek();
      if (top !== undefined) {
        top.key += s.increments[i] as number;
        heap.update(top);
      }
      const m = this.#items[s.member[i] as number] as IndexedItem;
      if (heap.has(m)) {
        m.key = s.memberKey[i] as number;
        heap.update(m);
      }
      const o = s.out[i] as number;
      if (o >= 0) {
        const item = this.#items[o] as IndexedItem;
        if (heap.has(item)) {
          heap.remove(item);
          this.#outside.push(item);
        }
        const back = this.#outside.length > 1 ? this.#outside.shift() : undefined;
        if (back !== undefined) heap.push(back);
      }
      this.sink += top === undefined ? 0 : top.tie;
    }
  }
}

interface Lazy extends LazyItem {
  readonly tie: number;
}

export class LazyHeapRunner implements HeapRunner {
  readonly #s: HeapScript;
  readonly #heap = new LazyHeap<Lazy>();
  readonly #items: Lazy[] = [];
  readonly #outside: Lazy[] = [];
  #cursor = 0;
  sink = 0;

  constructor(s: HeapScript) {
    this.#s = s;
    for (let i = 0; i < s.size; i++) {
      const item = { key: s.keys[i] as number, tie: i, version: 0, inHeap: false };
      this.#items.push(item);
      this.#heap.push(item);
    }
  }

  run(steps: number): void {
    const s = this.#s;
    const heap = this.#heap;
    for (let k = 0; k < steps; k++) {
      const i = this.#cursor;
      this.#cursor = i + 1 === s.steps ? 0 : i + 1;
      const top = heap.peek();
      if (top !== undefined) {
        top.key += s.increments[i] as number;
        heap.update(top);
      }
      const m = this.#items[s.member[i] as number] as Lazy;
      if (m.inHeap) {
        m.key = s.memberKey[i] as number;
        heap.update(m);
      }
      const o = s.out[i] as number;
      if (o >= 0) {
        const item = this.#items[o] as Lazy;
        if (item.inHeap) {
          heap.remove(item);
          this.#outside.push(item);
        }
        const back = this.#outside.length > 1 ? this.#outside.shift() : undefined;
        if (back !== undefined) heap.push(back);
      }
      this.sink += top === undefined ? 0 : top.tie;
    }
  }
}

/** Both runners must pick the same tops in the same order; returns the number of steps compared. */
export function checkHeapsAgree(size: number, steps: number): number {
  const s = makeHeapScript(size, steps);
  const a = new IndexedHeapRunner(s);
  const b = new LazyHeapRunner(s);
  for (let i = 0; i < steps; i++) {
    a.run(1);
    b.run(1);
    if (a.sink !== b.sink) throw new Error(`IndexedHeap and heap-js (lazy) differ at step ${i} with ${size} items`);
  }
  return steps;
}
