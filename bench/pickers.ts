import { P2cBalancer } from 'load-balancers';
import WeightedRoundRobin from 'weighted-round-robin';
import wrr from 'wrr';
import WrrPool from 'wrr-pool';
import { Router } from '../src/index.js';
import { Prng } from '../src/simulate/prng.js';

/**
 * Weighted pick alone: N agents with the same seeded weights (integers 1..10) for every picker.
 * fenliu's pick is a full `route` + `end` on a Router in `weighted` mode with no agent ever busy
 * and recent-contact routing off, so it is the WF2Q+ pick with its bookkeeping and nothing else.
 * Each picker has its own loop, so that every call site in it sees one function; `pick(k)` picks
 * `k` times and returns something derived from the picks, so that none can be optimised away.
 */
export function pickWeights(n: number, seed = 0x5eed): number[] {
  const rng = Prng.stream(seed, 0);
  return Array.from({ length: n }, () => 1 + rng.below(10));
}

export const PICKERS = {
  fenliu(weights: readonly number[]) {
    const router = new Router({ splitMode: 'weighted', busyThreshold: Number.MAX_SAFE_INTEGER, stickyWindowMs: 0 });
    weights.forEach((w, i) => router.upsertAgent({ id: `agent-${i}`, status: 'online', weight: w }, 0));
    let at = 0;
    return {
      pick(k: number): number {
        let sink = 0;
        for (let i = 0; i < k; i++, router.end('buyer', at)) sink += router.route({ customerId: 'buyer', at: ++at }).kind.length;
        return sink;
      },
    };
  },
  'weighted-round-robin'(weights: readonly number[]) {
    const peers = new WeightedRoundRobin<{ id: string; weight: number }>();
    weights.forEach((weight, i) => peers.add({ id: `agent-${i}`, weight }));
    return {
      pick(k: number): number {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += (peers.get() as { id: string }).id.length;
        return sink;
      },
    };
  },
  'wrr-pool'(weights: readonly number[]) {
    const pool = new WrrPool<string>();
    weights.forEach((w, i) => pool.add(`agent-${i}`, w));
    return {
      pick(k: number): number {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += (pool.next() as string).length;
        return sink;
      },
    };
  },
  wrr(weights: readonly number[]) {
    const next = wrr(weights.map((weight, i) => ({ item: `agent-${i}`, weight })));
    return {
      pick(k: number): number {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += next().length;
        return sink;
      },
    };
  },
  // P2cBalancer takes a count, not weights: it cannot express them.
  'load-balancers'(weights: readonly number[]) {
    const balancer = new P2cBalancer(weights.length);
    return {
      pick(k: number): number {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += balancer.pick();
        return sink;
      },
    };
  },
} as const;
export type PickerName = keyof typeof PICKERS;
