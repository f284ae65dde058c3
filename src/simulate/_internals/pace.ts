import { IndexedHeap, type HeapItem } from '../../structures/indexed-heap.js';

/** A chat as an agent's {@link Pace} files it: `key` is when its work is done, in the agent's work time. */
export interface PacedChat extends HeapItem {
  /** When the chat ends at the pace now (ms), if it is the agent's next to end; `NaN` otherwise. */
  endsAt: number;
}

/**
 * An agent whose handling slows with the number of chats it holds (`handleTimeFactors`), as a
 * clock of work time: while the agent holds `k` chats, work time runs at `1 / factors[k − 1]` of
 * the real clock, the same for every chat. A chat with `w` ms of work taken when the work clock
 * reads `v` is done when it reads `v + w`, whatever the level does in between — so a change of
 * level moves no chat's finish in work time, only the real time of the first to finish. A take or
 * a let-go costs O(log k) in the agent's chats, and only the next chat to end has an end on the
 * calendar.
 */
export class Pace<T extends PacedChat> {
  readonly #factors: readonly number[];
  /** The chats with work to do (a chat never answered counts in the level but ends otherwise). */
  readonly #working = new IndexedHeap<T>(() => false);
  /** The chats held, working or not: the level. */
  #level = 0;
  /** The work clock (ms of work at the pace alone) as of the real time `#since`. */
  #work = 0;
  #since = 0;
  #seq = 0;
  /** The chat whose end is on the calendar. */
  #next: T | undefined;

  constructor(factors: readonly number[]) {
    this.#factors = factors;
  }

  /** The agent takes `chat` at `t`, with `workMs` of work at the pace alone (`undefined`: it never works on it). */
  take(chat: T, t: number, workMs: number | undefined): void {
    this.#catchUp(t);
    this.#level++;
    if (workMs === undefined) return;
    chat.key = this.#work + workMs;
    chat.seq = this.#seq++;
    chat.endsAt = NaN;
    this.#working.push(chat);
  }

  /** `chat` leaves the agent at `t` (it ended or changed hands). */
  letGo(chat: T, t: number): void {
    this.#catchUp(t);
    this.#level--;
    if (!this.#working.has(chat)) return;
    this.#working.remove(chat);
    if (chat === this.#next) this.#next = undefined;
  }

  /**
   * The chat to end first at the pace of `t`, with its `endsAt` brought up to date, when that
   * changed (`undefined` when the calendar already has it right). A chat that stopped being the
   * first gets `endsAt = NaN`, so that its calendar entry is recognised as stale.
   */
  nextEnd(t: number): T | undefined {
    this.#catchUp(t);
    const first = this.#working.peek();
    const before = this.#next;
    if (before !== undefined && before !== first) before.endsAt = NaN;
    this.#next = first;
    if (first === undefined) return undefined;
    const endsAt = t + Math.max(0, first.key - this.#work) * this.#factor();
    if (endsAt === first.endsAt) return undefined;
    first.endsAt = endsAt;
    return first;
  }

  /** Runs the work clock to `t` at the pace of the level until then. */
  #catchUp(t: number): void {
    if (this.#level > 0) this.#work += (t - this.#since) / this.#factor();
    this.#since = t;
  }

  /** The pace factor of the level now (≥ 1 chat): past the end of the array, its last one. */
  #factor(): number {
    const f = this.#factors;
    return f[Math.min(this.#level, f.length) - 1] as number;
  }
}
