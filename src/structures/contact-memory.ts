/** One remembered contact: the agent who last served a customer, and when. */
export interface RememberedContact {
  agentId: string;
  at: number;
}

/** A remembered contact, linked in ascending `at` order (a doubly linked list threaded through the entries). */
interface Entry extends RememberedContact {
  readonly customerId: string;
  newer: Entry | undefined;
  older: Entry | undefined;
}

/**
 * The router's own memory of whom each customer was last served by (最近联系人): one entry per
 * customer, bounded by `maxEntries` (the oldest is forgotten first) and expiring after `windowMs`.
 */
export class ContactMemory {
  readonly #entries = new Map<string, Entry>();
  // Invariant: the list from #oldest to #newest holds every entry once, in ascending `at` — the
  // router's time never goes backwards and `remember` moves an entry to the newest end. Expiry and
  // eviction take from #oldest in O(1); iterating a Map from its front instead walks every slot
  // deleted since its last rehash, which made each remember cost O(deleted).
  #oldest: Entry | undefined;
  #newest: Entry | undefined;
  readonly #maxEntries: number;
  readonly #windowMs: number;

  constructor(maxEntries: number, windowMs: number) {
    this.#maxEntries = windowMs > 0 ? maxEntries : 0;
    this.#windowMs = windowMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The customer's remembered contact, if it is still within the window at `now`. */
  get(customerId: string, now: number): RememberedContact | undefined {
    const entry = this.#entries.get(customerId);
    return entry !== undefined && now - entry.at <= this.#windowMs ? entry : undefined;
  }

  /** The customer's entry, expired or not: a handle `remember` can take to skip its own lookup. */
  lookup(customerId: string): RememberedContact | undefined {
    return this.#entries.get(customerId);
  }

  /**
   * Records that `agentId` served the customer at `at`. `known` is what `lookup` returned for
   * this customer since the last change, or `null` when the caller has not looked.
   */
  remember(customerId: string, agentId: string, at: number, known: RememberedContact | undefined | null = null): void {
    if (this.#maxEntries === 0) return;
    let entry = known === null ? this.#entries.get(customerId) : (known as Entry | undefined);
    if (entry !== undefined) {
      entry.agentId = agentId;
      entry.at = at;
      if (entry !== this.#newest) {
        this.#unlink(entry);
        this.#append(entry);
      }
    } else {
      entry = { customerId, agentId, at, newer: undefined, older: undefined };
      this.#entries.set(customerId, entry);
      this.#append(entry);
    }
    this.expire(at);
    while (this.#entries.size > this.#maxEntries) this.#drop(this.#oldest as Entry);
  }

  /** Forgets every entry older than the window at `now`: O(1) per forgotten entry. */
  expire(now: number): void {
    let oldest = this.#oldest;
    while (oldest !== undefined && now - oldest.at > this.#windowMs) {
      this.#drop(oldest);
      oldest = this.#oldest;
    }
  }

  /** Entries oldest first, for snapshots. */
  *entries(): IterableIterator<[string, RememberedContact]> {
    for (let e = this.#oldest; e !== undefined; e = e.newer) yield [e.customerId, { agentId: e.agentId, at: e.at }];
  }

  #drop(entry: Entry): void {
    this.#unlink(entry);
    this.#entries.delete(entry.customerId);
  }

  #append(entry: Entry): void {
    entry.older = this.#newest;
    entry.newer = undefined;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }

  #unlink(entry: Entry): void {
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    entry.newer = undefined;
    entry.older = undefined;
  }
}
