/** What the waiting queue orders by. */
export interface Waiting {
  readonly customerId: string;
  /** Original arrival time, kept across re-routing. */
  readonly since: number;
  /** Arrival order, for equal priority and time. */
  readonly order: number;
  readonly priority: number;
}

// Rule 8's service order: highest priority, then longest waiting, then first routed.
function before(a: Waiting, b: Waiting): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.since !== b.since) return a.since < b.since;
  return a.order < b.order;
}

/**
 * The waiting queue (rule 8), kept sorted in service order. Insertion is a binary search plus an
 * array splice: a memmove, cheap at the queue lengths a shop sees, and it lets a drain walk the
 * queue in order and skip entries no free agent may take.
 */
export class WaitingQueue<T extends Waiting> {
  // Invariant: sorted by `before`; each entry at most once.
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** Inserts in service order; returns the 1-based position. */
  insert(item: T): number {
    const items = this.#items;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(items[mid] as T, item)) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, item);
    return lo + 1;
  }

  removeAt(index: number): void {
    this.#items.splice(index, 1);
  }

  remove(item: T): void {
    const i = this.#items.indexOf(item);
    if (i >= 0) this.#items.splice(i, 1);
  }

  items(): readonly T[] {
    return this.#items;
  }
}
