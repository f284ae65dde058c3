/** Timing helpers of the bench: medians, rates, rounds. */

export function median(xs: readonly number[]): number {
  const [s, m] = [[...xs].sort((a, b) => a - b), xs.length >> 1];
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Runs `step(batch)` until `maxOps` operations are done or `ms` have passed, whichever comes first,
 * so that a slow contender costs no more time than a fast one. Returns operations per second.
 */
export function rate(step: (n: number) => void, batch: number, ms: number, maxOps = Number.POSITIVE_INFINITY): { rate: number; ops: number; ms: number } {
  const t0 = performance.now();
  let [ops, t] = [0, t0];
  do {
    const n = Math.min(batch, maxOps - ops);
    step(n);
    ops += n;
    t = performance.now();
  } while (t - t0 < ms && ops < maxOps);
  return { rate: (ops / (t - t0)) * 1_000, ops, ms: t - t0 };
}

/**
 * Times every contender `rounds` times, `ms` each; the order rotates each round so that a slow
 * phase of the host hits every contender alike. Returns each contender's rates, by round.
 */
export function alternate(contenders: Record<string, (n: number) => void>, batch: Record<string, number>, rounds: number, ms: number): Record<string, number[]> {
  const names = Object.keys(contenders);
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as string;
      out[name]?.push(rate(contenders[name] as (n: number) => void, batch[name] ?? 64, ms).rate);
    }
  }
  return out;
}

/** The median of the per-round ratios a[i] / b[i]. */
export const ratio = (a: readonly number[], b: readonly number[]): number => median(a.map((x, i) => x / (b[i] as number)));
