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
/** The slots of every heap that has had no element yet. */
const NO_SLOTS = new Float64Array(0);

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
 *
 * A heap made `lazy` is for a tier that is read seldom (the busy agents, read only when no
 * non-busy agent can take a consultation): after many changes with no read it keeps its elements
 * unordered, so that a push, a removal or a re-key costs O(1), and orders them again (Floyd's
 * heapify, O(n)) at the next read. It drops the order only after more than
 * `LAZY_FACTOR · size + LAZY_SLACK` changes since the last read, so the heapify is paid for by those
 * changes: every operation stays O(log n) amortised, and a read after a long quiet spell costs
 * O(n) once.
 */
export class IndexedHeap<T extends HeapItem> {
  // Invariant: for every slot i < size, items[i].heapIndex === i; while #ordered, also kv[2i] === the
  // key and kv[2i + 1] the seq items[i] had when last pushed or updated, and for i > 0 slot i is not
  // before its parent.
  readonly #items: T[] = [];
  /** Slot i's key at 2i and its seq at 2i + 1: a sift reads both children's keys and seqs from one cache line. */
  // Allocated on the first push: a pool that never fills a tier costs no typed array for it.
  #kv = NO_SLOTS;
  readonly #tie: (a: T, b: T) => boolean;
  readonly #lazy: boolean;
  // When false (lazy heaps only), the slots hold the elements in no order and #kv is stale;
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
    if (2 * i >= this.#kv.length) this.#grow();
    this.#kv[2 * i] = item.key;
    this.#kv[2 * i + 1] = item.seq;
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
    const kv = this.#kv;
    kv[2 * i] = kv[2 * n] as number;
    kv[2 * i + 1] = kv[2 * n + 1] as number;
    if (!this.#up(i)) this.#down(i);
  }

  /** Restores the order after `item`'s key or seq changed, in either direction. */
  update(item: T): void {
    if (!this.#ordered) return;
    if (this.#lazy) this.#changed();
    const i = item.heapIndex;
    this.#kv[2 * i] = item.key;
    this.#kv[2 * i + 1] = item.seq;
    if (!this.#up(i)) this.#down(i);
  }

  /**
   * The least element that `accept` takes, found by a best-first walk from the root: it visits only
   * the rejected elements and their children, keeping the walk's frontier in a small heap of its
   * own, so finding the answer past r rejected elements costs O(r log r).
   */
  firstWhere(accept: (item: T) => boolean): T | undefined {
    if (this.#lazy) this.#read();
    const items = this.#items;
    const root = items[0];
    if (root === undefined || accept(root)) return root;
    const frontier: number[] = [];
    const push = (slot: number): void => {
      if (slot >= items.length) return;
      let i = frontier.length;
      frontier.push(slot);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.#slotBefore(slot, frontier[p] as number)) break;
        frontier[i] = frontier[p] as number;
        i = p;
      }
      frontier[i] = slot;
    };
    const pop = (): number => {
      const top = frontier[0] as number;
      const last = frontier.pop() as number;
      const n = frontier.length;
      if (n > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const c = l + 1 < n && this.#slotBefore(frontier[l + 1] as number, frontier[l] as number) ? l + 1 : l;
          if (!this.#slotBefore(frontier[c] as number, last)) break;
          frontier[i] = frontier[c] as number;
          i = c;
        }
        frontier[i] = last;
      }
      return top;
    };
    push(1);
    push(2);
    while (frontier.length > 0) {
      const slot = pop();
      const node = items[slot] as T;
      if (accept(node)) return node;
      push(2 * slot + 1);
      push(2 * slot + 2);
    }
    return undefined;
  }

  /** Iterates in no particular order; for snapshots and checks, never for choosing. */
  values(): readonly T[] {
    return this.#items;
  }

  #slotBefore(i: number, j: number): boolean {
    const kv = this.#kv;
    const ki = kv[2 * i] as number;
    const kj = kv[2 * j] as number;
    if (ki !== kj) return ki < kj;
    const si = kv[2 * i + 1] as number;
    const sj = kv[2 * j + 1] as number;
    if (si !== sj) return si < sj;
    return this.#tie(this.#items[i] as T, this.#items[j] as T);
  }

  /** A lazy heap is read: order it if it is not, and count changes from here. */
  #read(): void {
    this.#changes = 0;
    if (this.#ordered) return;
    const items = this.#items;
    const n = items.length;
    if (2 * n > this.#kv.length) this.#grow();
    const kv = this.#kv;
    for (let i = 0; i < n; i++) {
      const item = items[i] as T;
      kv[2 * i] = item.key;
      kv[2 * i + 1] = item.seq;
    }
    for (let i = (n >> 1) - 1; i >= 0; i--) this.#down(i);
    this.#ordered = true;
  }

  #changed(): void {
    if (++this.#changes > LAZY_FACTOR * this.#items.length + LAZY_SLACK) this.#ordered = false;
  }

  /** Makes #kv hold at least as many slots as there are elements. */
  #grow(): void {
    let length = Math.max(2 * INITIAL_CAPACITY, this.#kv.length * 2);
    while (length < 2 * this.#items.length) length *= 2;
    const kv = new Float64Array(length);
    kv.set(this.#kv);
    this.#kv = kv;
  }

  /** Moves slot i's element up to its place; whether it moved. */
  #up(start: number): boolean {
    const items = this.#items;
    const kv = this.#kv;
    const item = items[start] as T;
    const key = kv[2 * start] as number;
    const seq = kv[2 * start + 1] as number;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = kv[2 * p] as number;
      if (key > pk) break;
      const ps = kv[2 * p + 1] as number;
      if (key === pk && (seq > ps || (seq === ps && !this.#tie(item, items[p] as T)))) break;
      const parent = items[p] as T;
      items[i] = parent;
      parent.heapIndex = i;
      kv[2 * i] = pk;
      kv[2 * i + 1] = ps;
      i = p;
    }
    if (i === start) return false;
    items[i] = item;
    item.heapIndex = i;
    kv[2 * i] = key;
    kv[2 * i + 1] = seq;
    return true;
  }

  #down(i: number): void {
    const items = this.#items;
    const kv = this.#kv;
    const n = items.length;
    const item = items[i] as T;
    const key = kv[2 * i] as number;
    const seq = kv[2 * i + 1] as number;
    const start = i;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.#slotBefore(right, left)) child = right;
      const ck = kv[2 * child] as number;
      if (ck > key) break;
      const cs = kv[2 * child + 1] as number;
      if (ck === key && (cs > seq || (cs === seq && !this.#tie(items[child] as T, item)))) break;
      const c = items[child] as T;
      items[i] = c;
      c.heapIndex = i;
      kv[2 * i] = ck;
      kv[2 * i + 1] = cs;
      i = child;
    }
    if (i === start) return;
    items[i] = item;
    item.heapIndex = i;
    kv[2 * i] = key;
    kv[2 * i + 1] = seq;
  }
}
