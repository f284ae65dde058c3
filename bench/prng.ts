/**
 * mulberry32: a tiny seeded PRNG, so every bench run replays the same workload (no Math.random).
 * Returns an unsigned 32-bit integer; `below(n)` maps it to [0, n).
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  below(n: number): number {
    return this.next() % n;
  }
}
