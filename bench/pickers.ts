import { P2cBalancer } from 'load-balancers';
import WeightedRoundRobin from 'weighted-round-robin';
import wrr from 'wrr';
import WrrPool from 'wrr-pool';
import { Router } from '../src/index.js';
import { Prng } from './prng.js';

/**
 * Weighted pick alone: N agents with the same seeded weights (integers 1..10) for every picker.
 * fenliu's pick is a full `route` + `end` on a Router in `weighted` mode with no agent ever busy
 * and recent-contact routing off, so it is the WF2Q+ pick with its bookkeeping and nothing else.
 */
export function pickWeights(n: number, seed = 0x5eed): number[] {
  const rng = new Prng(seed);
  return Array.from({ length: n }, () => 1 + rng.below(10));
}

export interface Picker {
  /** Picks `k` times; returns something derived from the picks so none can be optimised away. */
  pick(k: number): number;
}

export const PICKERS = {
  fenliu(weights: readonly number[]): Picker {
    const router = new Router({ splitMode: 'weighted', busyThreshold: Number.MAX_SAFE_INTEGER, stickyWindowMs: 0 });
    weights.forEach((w, i) => router.upsertAgent({ id: `agent-${i}`, status: 'online', weight: w }, 0));
    let at = 0;
    return {
      pick(k) {
        let sink = 0;
        for (let i = 0; i < k; i++) {
          const d = router.route({ customerId: 'buyer', at: ++at });
          router.end('buyer', at);
          sink += d.kind.length;
        }
        return sink;
      },
    };
  },
  'weighted-round-robin'(weights: readonly number[]): Picker {
    const peers = new WeightedRoundRobin<{ id: string; weight: number }>();
    weights.forEach((weight, i) => peers.add({ id: `agent-${i}`, weight }));
    return {
      pick(k) {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += (peers.get() as { id: string }).id.length;
        return sink;
      },
    };
  },
  'wrr-pool'(weights: readonly number[]): Picker {
    const pool = new WrrPool<string>();
    weights.forEach((w, i) => pool.add(`agent-${i}`, w));
    return {
      pick(k) {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += (pool.next() as string).length;
        return sink;
      },
    };
  },
  wrr(weights: readonly number[]): Picker {
    const next = wrr(weights.map((weight, i) => ({ item: `agent-${i}`, weight })));
    return {
      pick(k) {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += next().length;
        return sink;
      },
    };
  },
  'load-balancers'(weights: readonly number[]): Picker {
    // P2cBalancer takes a count, not weights: it cannot express them.
    const balancer = new P2cBalancer(weights.length);
    return {
      pick(k) {
        let sink = 0;
        for (let i = 0; i < k; i++) sink += balancer.pick();
        return sink;
      },
    };
  },
} as const satisfies Record<string, (weights: readonly number[]) => Picker>;
export type PickerName = keyof typeof PICKERS;
