import type { Time } from '../validate.js';
import { IdTable, type IdEntry } from './id-table.js';

/**
 * What the table keeps per customer: its remembered contact (rule 2) and its open consultation,
 * if any, so that one hash lookup serves both. Entries are reused once a customer is neither open
 * nor remembered, so every field may change (`id` included); nothing outside the table keeps an
 * entry after that.
 */
export interface CustomerEntry<O, A> extends IdEntry {
  /** The agent who last served the customer (最近联系人); `undefined` when none is remembered. */
  contact: A | undefined;
  /** When that agent last served them: replied, or had the consultation as it ended or was passed on. */
  contactAt: number;
  /** The open consultation; the table keeps the entry while there is one, remembered or not. */
  open: O | undefined;
  /** Neighbours in the list of remembered entries, ascending `contactAt`. */
  newer: CustomerEntry<O, A> | undefined;
  older: CustomerEntry<O, A> | undefined;
}

/** Entries set aside for reuse at most; more would only hold memory after a mass expiry. */
const SPARE_LIMIT = 64;

/**
 * Every customer the router knows, by id: those with an open consultation and those whose last
 * contact it remembers (bounded by `maxEntries`, the oldest forgotten first, expiring after
 * `windowMs`). An entry leaves the table when it is neither open nor remembered, and is reused for
 * the next new customer: in steady state a new customer allocates no entry. Its time is the
 * router's (`time.now`, read where needed, never passed: see {@link Time}).
 */
export class CustomerTable<O, A> {
  readonly #entries = new IdTable<CustomerEntry<O, A>>();
  // Invariant: the list from #oldest to #newest holds every remembered entry once, in ascending
  // `contactAt` (the router's time never goes backwards, and `remember` moves an entry to the
  // newest end), so expiry and eviction take from #oldest in O(1).
  #oldest: CustomerEntry<O, A> | undefined;
  #newest: CustomerEntry<O, A> | undefined;
  #remembered = 0;
  readonly #spare: CustomerEntry<O, A>[] = [];
  readonly #maxEntries: number;
  readonly #windowMs: number;
  readonly #time: Time;

  constructor(maxEntries: number, windowMs: number, time: Time) {
    this.#maxEntries = windowMs > 0 ? maxEntries : 0;
    this.#windowMs = windowMs;
    this.#time = time;
  }

  /** How many customers have a remembered contact. */
  get remembered(): number {
    return this.#remembered;
  }

  /** The customer's entry, open or remembered (a remembered contact may be past the window). */
  get(customerId: string): CustomerEntry<O, A> | undefined {
    return this.#entries.get(customerId);
  }

  /**
   * Records the customer's open consultation and returns its entry: `known` when the caller already
   * looked it up (what `get` returned), else a reused or new one.
   */
  open(customerId: string, known: CustomerEntry<O, A> | undefined, consultation: O): CustomerEntry<O, A> {
    const entry = known ?? this.#insert(customerId);
    entry.open = consultation;
    return entry;
  }

  /** The consultation is over; the entry stays while its contact is remembered. */
  close(entry: CustomerEntry<O, A>): void {
    entry.open = undefined;
    if (entry.contact === undefined) this.#discard(entry);
  }

  /** Records that `agent` served the customer now, then forgets what is too old or too many. */
  remember(entry: CustomerEntry<O, A>, agent: A): void {
    if (this.#maxEntries === 0) return;
    if (entry.contact === undefined) {
      this.#remembered++;
      this.#append(entry);
    } else if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#append(entry);
    }
    entry.contact = agent;
    entry.contactAt = this.#time.now;
    this.expire();
    while (this.#remembered > this.#maxEntries) this.#forget(this.#oldest as CustomerEntry<O, A>);
  }

  /** Restores a remembered contact of a customer (open or not) made now, as `remember` would have. */
  restore(customerId: string, agent: A): void {
    const entry = this.#entries.get(customerId) ?? this.#insert(customerId);
    this.remember(entry, agent);
    if (entry.open === undefined && entry.contact === undefined) this.#discard(entry);
  }

  /** Forgets every contact older than the window now: O(1) per forgotten entry. */
  expire(): void {
    const now = this.#time.now;
    let oldest = this.#oldest;
    while (oldest !== undefined && now - oldest.contactAt > this.#windowMs) {
      this.#forget(oldest);
      oldest = this.#oldest;
    }
  }

  /** Remembered entries, oldest first, for snapshots. */
  *contacts(): IterableIterator<CustomerEntry<O, A>> {
    for (let e = this.#oldest; e !== undefined; e = e.newer) yield e;
  }

  /** The open consultations, in no particular order, for snapshots. */
  *openConsultations(): IterableIterator<O> {
    for (const e of this.#entries.values()) if (e.open !== undefined) yield e.open;
  }

  /** A new entry (reused when one is spare) for a customer not in the table, neither open nor remembered. */
  #insert(customerId: string): CustomerEntry<O, A> {
    let entry = this.#spare.pop();
    if (entry === undefined) {
      entry = { id: customerId, idHash: 0, contact: undefined, contactAt: 0, open: undefined, newer: undefined, older: undefined };
    } else {
      entry.id = customerId;
    }
    this.#entries.add(entry);
    return entry;
  }

  #forget(entry: CustomerEntry<O, A>): void {
    this.#unlink(entry);
    entry.contact = undefined;
    this.#remembered--;
    if (entry.open === undefined) this.#discard(entry);
  }

  /** Takes a closed, forgotten entry out of the table and keeps it for reuse. */
  #discard(entry: CustomerEntry<O, A>): void {
    this.#entries.delete(entry);
    if (this.#spare.length < SPARE_LIMIT) this.#spare.push(entry);
  }

  #append(entry: CustomerEntry<O, A>): void {
    entry.older = this.#newest;
    entry.newer = undefined;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }

  #unlink(entry: CustomerEntry<O, A>): void {
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    entry.newer = undefined;
    entry.older = undefined;
  }
}
