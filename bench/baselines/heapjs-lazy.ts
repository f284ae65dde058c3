import { Heap } from 'heap-js';

/** An element of a {@link LazyHeap}: its key, and the version that marks older heap entries stale. */
export interface LazyItem {
  key: number;
  /** Tie-break, as fenliu's (lower first). */
  readonly tie: number;
  version: number;
  inHeap: boolean;
}

/** A heap entry: a snapshot of the item's key at the version it was pushed with. */
interface Entry<T extends LazyItem> {
  readonly item: T;
  readonly key: number;
  readonly version: number;
}

const compare = <T extends LazyItem>(a: Entry<T>, b: Entry<T>): number => a.key - b.key || a.item.tie - b.item.tie;

/**
 * The alternative to an indexed heap that issue 2 asks to measure: heap-js (no decrease-key, a
 * linear `remove`) used with versioned entries and lazy deletion. An update pushes a new entry
 * and bumps the item's version; a removal only bumps the version; stale entries are dropped when
 * they reach the top, and the heap is rebuilt from the live entries once stale ones outnumber
 * them. Uses `add` (one element) rather than `push(...elements)`, which copies its arguments
 * into a fresh array on every call, and `replace` (pop + push in one sift) to re-key the top.
 */
export class LazyHeap<T extends LazyItem> {
  readonly #heap = new Heap<Entry<T>>(compare);
  #live = 0;

  get size(): number {
    return this.#live;
  }

  push(item: T): void {
    item.version++;
    item.inHeap = true;
    this.#live++;
    this.#heap.add({ item, key: item.key, version: item.version });
  }

  remove(item: T): void {
    item.version++;
    item.inHeap = false;
    this.#live--;
  }

  /** Re-sorts `item` after its key changed. */
  update(item: T): void {
    item.version++;
    const heap = this.#heap;
    const top = heap.peek();
    const entry = { item, key: item.key, version: item.version };
    if (top !== undefined && top.item === item) heap.replace(entry);
    else {
      heap.add(entry);
      if (heap.length > 2 * this.#live + 16) this.#compact();
    }
  }

  peek(): T | undefined {
    const heap = this.#heap;
    for (;;) {
      const top = heap.peek();
      if (top === undefined) return undefined;
      if (top.item.inHeap && top.version === top.item.version) return top.item;
      heap.pop();
    }
  }

  #compact(): void {
    const live = this.#heap.heapArray.filter((e) => e.item.inHeap && e.version === e.item.version);
    this.#heap.init(live);
  }
}
