/**
 * An element of an {@link IndexedHeap}: ordered by `key`, then `seq`, then the heap's tie-break.
 * The heap keeps `heapIndex` equal to the element's slot (-1 when outside).
 */
export interface HeapItem {
  heapIndex: number;
  key: number;
  seq: number;
}

const INITIAL_CAPACITY = 16;

/**
 * A lazy heap drops its order after this many changes per element (plus {@link LAZY_SLACK}) with no
 * read in between, so that re-ordering it (O(n)) costs O(1) per change that came before.
 */
const LAZY_FACTOR = 2;
const LAZY_SLACK = 16;

/**
 * A binary min-heap that knows where each element sits, so that `remove` and `update` cost O(log n)
 * instead of heap-js's linear search. An element belongs to at most one IndexedHeap at a time:
 * `heapIndex` is the single slot the owning heap writes.
 *
 * Each slot's key and seq are copied into typed arrays when an element is pushed or updated, so a
 * sift compares numbers stored side by side instead of reading every element it passes (at 10,000
 * members those reads were cache misses, the largest cost of a route). The elements are read only
 * on a full tie of key and seq.
 */
export class IndexedHeap<T extends HeapItem> {
  // Invariant: for every slot i < size, items[i].heapIndex === i; while #ordered, also keys[i] === the
  // key and seqs[i] the seq items[i] had when last pushed or updated, and for i > 0 slot i is not
  // before its parent.
  readonly #items: T[] = [];
  #keys = new Float64Array(INITIAL_CAPACITY);
  #seqs = new Float64Array(INITIAL_CAPACITY);
  readonly #tie: (a: T, b: T) => boolean;
  readonly #lazy: boolean;
  // When false (lazy heaps only), the slots hold the elements in no order and keys/seqs are stale;
  // heapIndex is still each element's slot.
  #ordered: boolean;
  /** Changes since the last read, while ordered (lazy heaps only). */
  #changes = 0;

  /**
   * @param tie - the order of two elements of equal key and seq.
   * @param lazy - keep the elements unordered while nobody reads the heap (see the class comment).
   */
  constructor(tie: (a: T, b: T) => boolean, lazy = false) {
    this.#tie = tie;
    this.#lazy = lazy;
    this.#ordered = !lazy;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    if (this.#lazy) this.#read();
    return this.#items[0];
  }

  has(item: T): boolean {
    return this.#items[item.heapIndex] === item;
  }

  push(item: T): void {
    const i = this.#items.length;
    this.#items.push(item);
    item.heapIndex = i;
    if (!this.#ordered) return;
    if (this.#lazy) this.#changed();
    if (i >= this.#keys.length) this.#grow();
    this.#keys[i] = item.key;
    this.#seqs[i] = item.seq;
    this.#up(i);
  }

  remove(item: T): void {
    const i = item.heapIndex;
    const items = this.#items;
    const last = items.pop() as T;
    item.heapIndex = -1;
    if (last === item) return;
    const n = items.length;
    items[i] = last;
    last.heapIndex = i;
    if (!this.#ordered) return;
    if (this.#lazy) this.#changed();
    this.#keys[i] = this.#keys[n] as number;
    this.#seqs[i] = this.#seqs[n] as number;
    if (!this.#up(i)) this.#down(i);
  }

  /** Restores the order after `item`'s key or seq changed, in either direction. */
  update(item: T): void {
    if (!this.#ordered) return;
    if (this.#lazy) this.#changed();
    const i = item.heapIndex;
    this.#keys[i] = item.key;
    this.#seqs[i] = item.seq;
    if (!this.#up(i)) this.#down(i);
  }

  /**
   * The least element that `accept` takes, found by a best-first walk from the root: it visits only
   * the rejected elements and their children, so it is cheap when few are rejected.
   */
  firstWhere(accept: (item: T) => boolean): T | undefined {
    if (this.#lazy) this.#read();
    const items = this.#items;
    const root = items[0];
    if (root === undefined || accept(root)) return root;
    const frontier: number[] = [0];
    while (frontier.length > 0) {
      let best = 0;
      for (let k = 1; k < frontier.length; k++) if (this.#slotBefore(frontier[k] as number, frontier[best] as number)) best = k;
      const slot = frontier[best] as number;
      frontier[best] = frontier[frontier.length - 1] as number;
      frontier.pop();
      const node = items[slot] as T;
      if (accept(node)) return node;
      const left = 2 * slot + 1;
      if (left < items.length) frontier.push(left);
      if (left + 1 < items.length) frontier.push(left + 1);
    }
    return undefined;
  }

  /** Iterates in no particular order; for snapshots and checks, never for choosing. */
  values(): readonly T[] {
    return this.#items;
  }

  #slotBefore(i: number, j: number): boolean {
    const ki = this.#keys[i] as number;
    const kj = this.#keys[j] as number;
    if (ki !== kj) return ki < kj;
    const si = this.#seqs[i] as number;
    const sj = this.#seqs[j] as number;
    if (si !== sj) return si < sj;
    return this.#tie(this.#items[i] as T, this.#items[j] as T);
  }

  /** A lazy heap is read: order it if it is not, and count changes from here. */
  #read(): void {
    this.#changes = 0;
    if (this.#ordered) return;
    const items = this.#items;
    const n = items.length;
    if (n > this.#keys.length) this.#grow();
    for (let i = 0; i < n; i++) {
      const item = items[i] as T;
      this.#keys[i] = item.key;
      this.#seqs[i] = item.seq;
    }
    for (let i = (n >> 1) - 1; i >= 0; i--) this.#down(i);
    this.#ordered = true;
  }

  #changed(): void {
    if (++this.#changes > LAZY_FACTOR * this.#items.length + LAZY_SLACK) this.#ordered = false;
  }

  /** Makes keys and seqs hold at least as many slots as there are elements. */
  #grow(): void {
    let capacity = this.#keys.length * 2;
    while (capacity < this.#items.length) capacity *= 2;
    const keys = new Float64Array(capacity);
    keys.set(this.#keys);
    this.#keys = keys;
    const seqs = new Float64Array(capacity);
    seqs.set(this.#seqs);
    this.#seqs = seqs;
  }

  /** Moves slot i's element up to its place; whether it moved. */
  #up(start: number): boolean {
    const items = this.#items;
    const keys = this.#keys;
    const seqs = this.#seqs;
    const item = items[start] as T;
    const key = keys[start] as number;
    const seq = seqs[start] as number;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p] as number;
      if (key > pk) break;
      if (key === pk) {
        const ps = seqs[p] as number;
        if (seq > ps || (seq === ps && !this.#tie(item, items[p] as T))) break;
      }
      const parent = items[p] as T;
      items[i] = parent;
      parent.heapIndex = i;
      keys[i] = pk;
      seqs[i] = seqs[p] as number;
      i = p;
    }
    if (i === start) return false;
    items[i] = item;
    item.heapIndex = i;
    keys[i] = key;
    seqs[i] = seq;
    return true;
  }

  #down(i: number): void {
    const items = this.#items;
    const keys = this.#keys;
    const seqs = this.#seqs;
    const n = items.length;
    const item = items[i] as T;
    const key = keys[i] as number;
    const seq = seqs[i] as number;
    const start = i;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.#slotBefore(right, left)) child = right;
      const ck = keys[child] as number;
      if (ck > key) break;
      if (ck === key) {
        const cs = seqs[child] as number;
        if (cs > seq || (cs === seq && !this.#tie(items[child] as T, item))) break;
      }
      const c = items[child] as T;
      items[i] = c;
      c.heapIndex = i;
      keys[i] = ck;
      seqs[i] = seqs[child] as number;
      i = child;
    }
    if (i === start) return;
    items[i] = item;
    item.heapIndex = i;
    keys[i] = key;
    seqs[i] = seq;
  }
}
