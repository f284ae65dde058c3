/** An element of an {@link IndexedHeap}: the heap keeps `heapIndex` equal to the element's slot (-1 when outside). */
export interface HeapItem {
  heapIndex: number;
}

/**
 * A binary min-heap that knows where each element sits, so that `remove` and `update` cost O(log n)
 * instead of heap-js's linear search. An element belongs to at most one IndexedHeap at a time:
 * `heapIndex` is the single slot the owning heap writes.
 */
export class IndexedHeap<T extends HeapItem> {
  // Invariant: for every i > 0, !less(items[i], items[(i - 1) >> 1]) and items[i].heapIndex === i.
  readonly #items: T[] = [];
  readonly #less: (a: T, b: T) => boolean;

  constructor(less: (a: T, b: T) => boolean) {
    this.#less = less;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  has(item: T): boolean {
    return this.#items[item.heapIndex] === item;
  }

  push(item: T): void {
    item.heapIndex = this.#items.length;
    this.#items.push(item);
    this.#up(item.heapIndex);
  }

  remove(item: T): void {
    const i = item.heapIndex;
    const last = this.#items.pop() as T;
    item.heapIndex = -1;
    if (last === item) return;
    this.#items[i] = last;
    last.heapIndex = i;
    this.update(last);
  }

  /** Restores the order after `item`'s key changed, in either direction. */
  update(item: T): void {
    if (!this.#up(item.heapIndex)) this.#down(item.heapIndex);
  }

  /**
   * The least element that `accept` takes, found by a best-first walk from the root: it visits only
   * the rejected elements and their children, so it is cheap when few are rejected.
   */
  firstWhere(accept: (item: T) => boolean): T | undefined {
    const root = this.#items[0];
    if (root === undefined || accept(root)) return root;
    const frontier: T[] = [root];
    while (frontier.length > 0) {
      let best = 0;
      for (let k = 1; k < frontier.length; k++) if (this.#less(frontier[k] as T, frontier[best] as T)) best = k;
      const node = frontier[best] as T;
      frontier[best] = frontier[frontier.length - 1] as T;
      frontier.pop();
      if (accept(node)) return node;
      const left = 2 * node.heapIndex + 1;
      const l = this.#items[left];
      const r = this.#items[left + 1];
      if (l !== undefined) frontier.push(l);
      if (r !== undefined) frontier.push(r);
    }
    return undefined;
  }

  /** Iterates in no particular order; for snapshots and checks, never for choosing. */
  values(): readonly T[] {
    return this.#items;
  }

  #up(i: number): boolean {
    const items = this.#items;
    const item = items[i] as T;
    let moved = false;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!this.#less(item, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
      moved = true;
    }
    items[i] = item;
    item.heapIndex = i;
    return moved;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const item = items[i] as T;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.#less(items[right] as T, items[left] as T)) child = right;
      const c = items[child] as T;
      if (!this.#less(c, item)) break;
      items[i] = c;
      c.heapIndex = i;
      i = child;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
