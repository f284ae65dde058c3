/**
 * What the table keeps per customer. The router's open-consultation record extends it, so one
 * object and one hash lookup serve both the consultation and the remembered contact (rule 2).
 */
export interface CustomerEntry {
  /** Mutable only because entries are recycled: an entry is renamed only while nothing refers to it. */
  customerId: string;
  /** The agent who last served the customer (最近联系人); `undefined` when none is remembered. */
  contactAgentId: string | undefined;
  /** When that agent was assigned. */
  contactAt: number;
  /** Whether a consultation is open: the table keeps an open entry even when nothing is remembered. */
  isOpen: boolean;
  /** Neighbours in the list of remembered entries, ascending `contactAt`. */
  newer: CustomerEntry | undefined;
  older: CustomerEntry | undefined;
}

/** Entries set aside for reuse at most; more would only hold memory after a mass expiry. */
const SPARE_LIMIT = 64;

/**
 * Every customer the router knows, by id: those with an open consultation and those whose last
 * contact it remembers (bounded by `maxEntries`, the oldest forgotten first, expiring after
 * `windowMs`). An entry leaves the table when it is neither open nor remembered, and is reused for
 * the next new customer: in steady state routing a new customer allocates no entry.
 */
export class CustomerTable<E extends CustomerEntry> {
  readonly #entries = new Map<string, E>();
  // Invariant: the list from #oldest to #newest holds every remembered entry once, in ascending
  // `contactAt` (the router's time never goes backwards, and `remember` moves an entry to the
  // newest end), so expiry and eviction take from #oldest in O(1).
  #oldest: E | undefined;
  #newest: E | undefined;
  #remembered = 0;
  readonly #spare: E[] = [];
  readonly #maxEntries: number;
  readonly #windowMs: number;
  readonly #create: (customerId: string) => E;

  /**
   * @param create - makes a new entry with every field of `E` set (one shape for all entries);
   *   the table sets the {@link CustomerEntry} fields itself.
   */
  constructor(maxEntries: number, windowMs: number, create: (customerId: string) => E) {
    this.#maxEntries = windowMs > 0 ? maxEntries : 0;
    this.#windowMs = windowMs;
    this.#create = create;
  }

  /** How many customers have a remembered contact. */
  get remembered(): number {
    return this.#remembered;
  }

  /** The customer's entry, open or remembered (a remembered contact may be past the window). */
  get(customerId: string): E | undefined {
    return this.#entries.get(customerId);
  }

  /**
   * Marks the customer's consultation open and returns its entry: `known` when the caller already
   * looked it up (what `get` returned), else a reused or new one. The caller sets the rest of `E`.
   */
  open(customerId: string, known: E | undefined): E {
    let entry = known;
    if (entry === undefined) {
      entry = this.#spare.pop() ?? this.#create(customerId);
      entry.customerId = customerId;
      entry.contactAgentId = undefined;
      entry.newer = undefined;
      entry.older = undefined;
      this.#entries.set(customerId, entry);
    }
    entry.isOpen = true;
    return entry;
  }

  /** The consultation is over; the entry stays while its contact is remembered. */
  close(entry: E): void {
    entry.isOpen = false;
    if (entry.contactAgentId === undefined) this.#discard(entry);
  }

  /** Records that `agentId` served the customer at `at`, then forgets what is too old or too many. */
  remember(entry: E, agentId: string, at: number): void {
    if (this.#maxEntries === 0) return;
    if (entry.contactAgentId === undefined) {
      this.#remembered++;
      this.#append(entry);
    } else if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#append(entry);
    }
    entry.contactAgentId = agentId;
    entry.contactAt = at;
    this.expire(at);
    while (this.#remembered > this.#maxEntries) this.#forget(this.#oldest as E);
  }

  /** Restores a remembered contact of a customer (open or not), as `remember` would have. */
  restore(customerId: string, agentId: string, at: number): void {
    let entry = this.#entries.get(customerId);
    if (entry === undefined) {
      entry = this.open(customerId, undefined);
      entry.isOpen = false;
    }
    this.remember(entry, agentId, at);
    if (!entry.isOpen && entry.contactAgentId === undefined) this.#discard(entry);
  }

  /** Forgets every contact older than the window at `now`: O(1) per forgotten entry. */
  expire(now: number): void {
    let oldest = this.#oldest;
    while (oldest !== undefined && now - oldest.contactAt > this.#windowMs) {
      this.#forget(oldest);
      oldest = this.#oldest;
    }
  }

  /** Remembered entries, oldest first, for snapshots. */
  *contacts(): IterableIterator<E> {
    for (let e = this.#oldest; e !== undefined; e = e.newer as E | undefined) yield e;
  }

  /** Entries with an open consultation, in no particular order, for snapshots. */
  *openEntries(): IterableIterator<E> {
    for (const e of this.#entries.values()) if (e.isOpen) yield e;
  }

  #forget(entry: E): void {
    this.#unlink(entry);
    entry.contactAgentId = undefined;
    this.#remembered--;
    if (!entry.isOpen) this.#discard(entry);
  }

  /** Takes a closed, forgotten entry out of the table and keeps it for reuse. */
  #discard(entry: E): void {
    this.#entries.delete(entry.customerId);
    if (this.#spare.length < SPARE_LIMIT) this.#spare.push(entry);
  }

  #append(entry: E): void {
    entry.older = this.#newest;
    entry.newer = undefined;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }

  #unlink(entry: E): void {
    if (entry.older === undefined) this.#oldest = entry.newer as E | undefined;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older as E | undefined;
    else entry.newer.older = entry.older;
    entry.newer = undefined;
    entry.older = undefined;
  }
}
