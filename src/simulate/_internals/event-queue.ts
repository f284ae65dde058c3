import { Heap } from 'heap-js';

/** Something scheduled to happen in the simulation; `at` and `seq` are set by {@link EventQueue.push}. */
export interface Scheduled {
  at: number;
  seq: number;
}

/**
 * The simulation's event calendar: scheduled events ordered by (time, scheduling sequence), on
 * heap-js's binary heap. The sequence makes the order of simultaneous events the order they were
 * scheduled in, so a run never depends on how the heap happens to break ties. The calendar only
 * pushes and pops: stale events are not removed (heap-js's `remove` is a linear search) but skipped
 * by the engine when they come up, which keeps every operation O(log n).
 */
export class EventQueue<T extends Scheduled> {
  /** Ordered by {@link before}. Its array is public in heap-js: never handed out. */
  readonly #heap = new Heap<T>(before);
  /** Increases with every push: the tie-break between equal times. */
  #seq = 0;

  /** Events waiting, stale ones included. */
  get size(): number {
    return this.#heap.length;
  }

  /** The earliest event, without removing it. */
  peek(): T | undefined {
    return this.#heap.peek();
  }

  /** Schedules `item`, stamping its `seq`: among equal times it comes after everything pushed before. */
  push(item: T): void {
    item.seq = this.#seq++;
    // `add`, not `push`: heap-js's `push` takes rest arguments and copies them into an array.
    this.#heap.add(item);
  }

  /** Removes and returns the earliest event. */
  pop(): T | undefined {
    return this.#heap.pop();
  }
}

/** Time first, then scheduling order; never 0 for two pushed events, so the order is total. */
function before(a: Scheduled, b: Scheduled): number {
  return a.at - b.at || a.seq - b.seq;
}
