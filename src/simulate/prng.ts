import { expected } from '../errors.js';

/** 2^-32: turns a 32-bit integer into a number in [0, 1). */
const TO_UNIT = 1 / 4_294_967_296;

/**
 * The independent streams a simulation draws from. Arrivals have a stream of their own so that
 * changing the routing policy (which changes how much behaviour is drawn) never moves an arrival.
 */
export const STREAMS = Object.freeze({
  /** Arrival times, customers, order states and patience. */
  arrivals: 1,
  /** Per-consultation behaviour (reply and handling times, robot outcomes): see {@link Prng.forConsultation}. */
  behaviour: 2,
  /**
   * The customers' segments, products and intents: split by dimension (index 0, 1, 2), so that
   * giving a mix of one neither moves the arrivals nor the draws of another.
   */
  scopes: 3,
  /** The consultations' costs (`customers.costs`): a stream of their own, drawn only when the mix is given. */
  costs: 4,
} as const);

/** murmur3's finalizer: an avalanche hash of one 32-bit word, so nearby seeds give unrelated states. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * xoshiro128** (Blackman & Vigna, 2018): a small, fast, seeded PRNG with a 2^128 − 1 period. Ours,
 * not `Math.random`, so a seed replays the same numbers on every machine and engine.
 *
 * @example
 * ```ts
 * const rng = Prng.stream(42, STREAMS.arrivals);
 * rng.next(); // a number in [0, 1), the same on every run
 * ```
 */
export class Prng {
  /** The four 32-bit words of xoshiro128** state; never all zero (that state is a fixed point). */
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /**
   * @param words - four 32-bit words of state. Prefer {@link Prng.stream}, which derives them from a seed.
   */
  constructor(words: readonly [number, number, number, number]) {
    this.#s0 = words[0] >>> 0;
    this.#s1 = words[1] >>> 0;
    this.#s2 = words[2] >>> 0;
    this.#s3 = words[3] >>> 0;
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 0x9e3779b9;
  }

  /**
   * The stream `stream` (e.g. {@link STREAMS}`.arrivals`) of `seed`, optionally split further by
   * `index`. Different (seed, stream, index) triples give statistically independent sequences: the
   * state is filled by a SplitMix-style counter hashed with murmur3's finalizer.
   *
   * @param seed - an integer in [0, 2^53).
   * @throws {RoutingError} `INVALID_SCENARIO` for a seed that is not such an integer.
   */
  static stream(seed: number, stream: number, index = 0): Prng {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw expected('INVALID_SCENARIO', 'scenario.seed', 'an integer in [0, 2^53)', seed);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4_294_967_296) >>> 0;
    let h = fmix32(lo ^ fmix32(hi ^ fmix32(stream ^ fmix32(index >>> 0 ^ 0x5bd1e995))));
    const words: [number, number, number, number] = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      h = (h + 0x9e3779b9) >>> 0;
      words[i] = fmix32(h);
    }
    return new Prng(words);
  }

  /**
   * The behaviour stream of the consultation that arrived `index`-th: its own small stream, so a
   * consultation's handling time does not depend on how many numbers other consultations drew —
   * `compare` variants then see the same behaviour for the same consultation where they can.
   */
  static forConsultation(seed: number, index: number): Prng {
    return Prng.stream(seed, STREAMS.behaviour, index);
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** The next number in [0, 1), with 32 random bits. */
  next(): number {
    return this.nextUint32() * TO_UNIT;
  }

  /** The next number in (0, 1]: safe to take the logarithm of. */
  nextOpen(): number {
    return (this.nextUint32() + 1) * TO_UNIT;
  }

  /** An integer in [0, n), for n ≤ 2^32; the modulo bias is below 2^-32 · n, negligible here. */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
