// The two CommonJS peers ship no types; only what the weighted-pick bench calls is declared.
declare module 'wrr-pool' {
  /** Interleaved weighted round robin (LVS): `next()` walks the peers with a current-weight threshold. */
  export default class WrrPool<T> {
    add(value: T, weight: number): void;
    next(): T | null;
    size(): number;
  }
}

declare module 'weighted-round-robin' {
  /** Smooth weighted round robin (nginx): `get()` scans every peer. */
  export default class Peers<T extends { id?: string; weight: number }> {
    add(peer: T): string;
    get(): T | null;
    remove(key: string): void;
    size(): number;
  }
}
