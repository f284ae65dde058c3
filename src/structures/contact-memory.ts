/** One remembered contact: the agent who last served a customer, and when. */
export interface RememberedContact {
  agentId: string;
  at: number;
}

/**
 * The router's own memory of whom each customer was last served by (最近联系人): one entry per
 * customer, bounded by `maxEntries` (the oldest is forgotten first) and expiring after `windowMs`.
 */
export class ContactMemory {
  // Invariant: iteration order is ascending `at` — the router's time never goes backwards and
  // `remember` re-inserts — so expiry and eviction always take from the front.
  readonly #entries = new Map<string, RememberedContact>();
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

  remember(customerId: string, agentId: string, at: number): void {
    if (this.#maxEntries === 0) return;
    const entries = this.#entries;
    const existing = entries.get(customerId);
    if (existing !== undefined) {
      entries.delete(customerId);
      existing.agentId = agentId;
      existing.at = at;
      entries.set(customerId, existing);
    } else {
      entries.set(customerId, { agentId, at });
    }
    this.expire(at);
    if (entries.size > this.#maxEntries) {
      for (const key of entries.keys()) {
        entries.delete(key);
        if (entries.size <= this.#maxEntries) break;
      }
    }
  }

  /** Forgets every entry older than the window at `now`: amortised O(1) per remembered contact. */
  expire(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now - entry.at <= this.#windowMs) break;
      this.#entries.delete(key);
    }
  }

  /** Entries oldest first, for snapshots. */
  entries(): IterableIterator<[string, RememberedContact]> {
    return this.#entries.entries();
  }
}
