/** Something scheduled to happen in the simulation; `at` and `seq` are set by {@link EventQueue.push}. */
export interface Scheduled {
  at: number;
  seq: number;
}

/**
 * A binary min-heap of scheduled events ordered by (time, scheduling sequence). The sequence makes
 * the order of simultaneous events the order they were scheduled in, so a run never depends on
 * how the heap happens to break ties. Stale events are not removed (no decrease-key, no search):
 * the engine skips them when they come up, which keeps every operation O(log n).
 */
export class EventQueue<T extends Scheduled> {
  /** Heap-ordered: every item sorts at or after its parent. Never handed out. */
  readonly #items: T[] = [];
  /** Increases with every push: the tie-break between equal times. */
  #seq = 0;

  /** Events waiting, stale ones included. */
  get size(): number {
    return this.#items.length;
  }

  /** The earliest event, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Schedules `item`, stamping its `seq`: among equal times it comes after everything pushed before. */
  push(item: T): void {
    item.seq = this.#seq++;
    const items = this.#items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the earliest event. */
  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(items[r] as T, items[l] as T) ? r : l;
      const child = items[c] as T;
      if (!before(child, last)) break;
      items[i] = child;
      i = c;
    }
    items[i] = last;
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
