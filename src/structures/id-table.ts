/** What an {@link IdTable} holds: an object with a string id. The table keeps the id's hash in `idHash`. */
export interface IdEntry {
  id: string;
  idHash: number;
}

const MIN_CAPACITY = 16;

/**
 * The most slots the table grows to: 2^25, an array of 2^26 elements (V8's arrays hold fewer than
 * 2^27). Past 2^24 ids the table stays at this size, half full, and further ids go to the overflow
 * map, which holds another 2^24: about 33.5 million ids in all, as many as when the hashes had an
 * array of their own.
 */
export const MAX_CAPACITY = 2 ** 25;

/**
 * The most slots a lookup reads. An entry that finds no free slot within this distance of its home
 * slot goes to the overflow map; ids chosen to collide therefore cost at most this many reads each,
 * and never turn the table into a list. With at most half the slots used, a legitimate id is this
 * far from home with a probability of about e^-12 (linear probing: e^-0.19·d at load 1/2).
 */
export const MAX_PROBE = 64;

/**
 * A string hash: FNV-1a over the UTF-16 code units, then MurmurHash3's finaliser so that the low
 * bits (the slot) depend on every unit. Never 0 (0 marks a free slot) and always a small integer.
 */
export function hashId(id: string): number {
  let h = 0x811c9dc5 ^ id.length;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff || 1;
}

/**
 * A hash table of entries by string id, open addressing with linear probing over one array of
 * (hash, entry) slots, built so that a steady state of inserts and deletes allocates nothing: deletion
 * shifts the following entries back (no tombstones), so the table is reallocated only when its
 * count doubles or falls to an eighth. (V8's `Map` leaves a hole per deletion and reallocates its
 * whole table each time the holes fill it.)
 *
 * Deterministic (no random seed) and still safe against ids chosen to collide: no entry sits more
 * than {@link MAX_PROBE} slots from its home; one that would goes to an overflow `Map` (whose hash
 * V8 seeds at random), so a lookup, an insert or a delete reads at most `MAX_PROBE` slots plus one
 * `Map` operation.
 */
export class IdTable<E extends IdEntry> {
  // Slot i is two elements of #table: its hash at 2i (0 when free) and its entry at 2i + 1, so that a
  // lookup finds the hash and the entry in one cache line (a cold table costs one miss, not two).
  // Invariant: for every used slot i (table[2i] !== 0), table[2i + 1].idHash === table[2i], and every
  // slot from its home (table[2i] & mask) up to i is used and at most MAX_PROBE - 1 slots before i.
  // At most half the slots are used (`#count`), so a free slot always ends a run. An id is in the
  // slots or in #overflow, never both.
  #table: (number | E | undefined)[];
  #mask: number;
  #count = 0;
  readonly #overflow = new Map<string, E>();
  readonly #hash: (id: string) => number;
  readonly #maxCapacity: number;
  /**
   * The id `get` last hashed and its hash: `add` after a missed `get` of the same id does not hash
   * it again. Only `add` compares ids with it (there the very same string, equal at its first
   * comparison); `get` would compare two different ids on almost every call.
   */
  #lastId: string | undefined = undefined;
  #lastHash = 0;

  /**
   * @param hash - the hash function; the default is {@link hashId} (tests pass colliding ones).
   * @param maxCapacity - the most slots, a power of two; tests pass a small one.
   */
  constructor(hash: (id: string) => number = hashId, maxCapacity = MAX_CAPACITY) {
    this.#hash = hash;
    this.#maxCapacity = maxCapacity;
    this.#table = freeSlots<E>(MIN_CAPACITY);
    this.#mask = MIN_CAPACITY - 1;
  }

  get size(): number {
    return this.#count + this.#overflow.size;
  }

  /** Slots allocated (a power of two); for tests and memory figures. */
  get capacity(): number {
    return this.#mask + 1;
  }

  /** Entries kept in the overflow map; for tests. */
  get overflowed(): number {
    return this.#overflow.size;
  }

  get(id: string): E | undefined {
    const h = this.#hash(id);
    this.#lastId = id;
    this.#lastHash = h;
    const table = this.#table;
    const mask = this.#mask;
    let i = h & mask;
    for (let d = 0; d < MAX_PROBE; d++) {
      const s = table[2 * i] as number;
      if (s === 0) break;
      if (s === h) {
        const e = table[2 * i + 1] as E;
        if (e.id === id) return e;
      }
      i = (i + 1) & mask;
    }
    return this.#overflow.size === 0 ? undefined : this.#overflow.get(id);
  }

  /** Adds an entry; its id must not be in the table. */
  add(entry: E): void {
    entry.idHash = entry.id === this.#lastId ? this.#lastHash : this.#hash(entry.id);
    const capacity = this.#mask + 1;
    if (2 * (this.#count + 1) > capacity && capacity < this.#maxCapacity) this.#resize(2 * capacity);
    this.#place(entry);
  }

  /** Removes an entry that is in the table. */
  delete(entry: E): void {
    const table = this.#table;
    const mask = this.#mask;
    let hole = entry.idHash & mask;
    let d = 0;
    while (d < MAX_PROBE && table[2 * hole + 1] !== entry) {
      hole = (hole + 1) & mask;
      d++;
    }
    if (d === MAX_PROBE) {
      this.#overflow.delete(entry.id);
      return;
    }
    // Backward shift: move each following entry whose home is at or before the hole into it. An
    // entry MAX_PROBE or more slots past the hole has its home after the hole, so the scan stops there.
    for (let i = (hole + 1) & mask; ((i - hole) & mask) < MAX_PROBE; i = (i + 1) & mask) {
      const s = table[2 * i] as number;
      if (s === 0) break;
      if (((i - (s & mask)) & mask) >= ((i - hole) & mask)) {
        table[2 * hole] = s;
        table[2 * hole + 1] = table[2 * i + 1];
        hole = i;
      }
    }
    table[2 * hole] = 0;
    table[2 * hole + 1] = undefined;
    this.#count--;
    if (8 * this.#count < mask + 1 && mask + 1 > MIN_CAPACITY) this.#resize((mask + 1) / 2);
  }

  /** Every entry, in no particular order. */
  *values(): IterableIterator<E> {
    const table = [...this.#table];
    for (let i = 1; i < table.length; i += 2) if (table[i] !== undefined) yield table[i] as E;
    yield* [...this.#overflow.values()];
  }

  /** Puts an entry in a free slot within MAX_PROBE of its home while at most half the slots are used, else in the overflow map. */
  #place(entry: E): void {
    const mask = this.#mask;
    if (2 * (this.#count + 1) <= mask + 1) {
      const table = this.#table;
      const h = entry.idHash;
      let i = h & mask;
      for (let d = 0; d < MAX_PROBE; d++) {
        if (table[2 * i] === 0) {
          table[2 * i] = h;
          table[2 * i + 1] = entry;
          this.#count++;
          return;
        }
        i = (i + 1) & mask;
      }
    }
    this.#overflow.set(entry.id, entry);
  }

  // Re-places the slots' entries only: overflowed ones stay in the map (they are found there), so a
  // resize costs O(capacity) however many ids were made to collide.
  #resize(capacity: number): void {
    const old = this.#table;
    this.#table = freeSlots<E>(capacity);
    this.#mask = capacity - 1;
    this.#count = 0;
    for (let i = 1; i < old.length; i += 2) if (old[i] !== undefined) this.#place(old[i] as E);
  }
}

/** `capacity` free slots: hash 0 and no entry each, built by pushes so that the array is packed. */
function freeSlots<E>(capacity: number): (number | E | undefined)[] {
  const table: (number | E | undefined)[] = [];
  for (let i = 0; i < capacity; i++) table.push(0, undefined);
  return table;
}
