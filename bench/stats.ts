/** Small helpers shared by the benchmark scripts. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Runs `step(batch)` for about `ms` and returns operations per second. */
export function rate(step: (n: number) => void, batch: number, ms: number): number {
  let done = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    step(batch);
    done += batch;
    t = performance.now();
  } while (t - t0 < ms);
  return (done / (t - t0)) * 1_000;
}

/**
 * Times every contender `count` times, `ms` each, in rounds; the order rotates each round so that
 * a slow phase of the host hits every contender alike. Returns each contender's rates, by round.
 */
export function alternate(contenders: Record<string, (n: number) => void>, batch: Record<string, number>, count: number, ms: number): Record<string, number[]> {
  const names = Object.keys(contenders);
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as string;
      (out[name] as number[]).push(rate(contenders[name] as (n: number) => void, batch[name] ?? 100, ms));
    }
  }
  return out;
}

/**
 * Brings a replay into steady state before `npm run bench` times it: 60,000 cycles (the contact
 * memory full at its 72 h window) or 2 s, whichever comes first, in batches of 256.
 */
export function settle(runner: { cyclesDone: number; run(n: number): void }): void {
  const t0 = performance.now();
  while (runner.cyclesDone < 60_000 && performance.now() - t0 < 2_000) runner.run(256);
}

/** Warms a replay up before timing it: at least 60,000 cycles and at least 2 s, in batches of 2,000. */
export function warmUp(runner: { run(n: number): void }): void {
  const t0 = performance.now();
  for (let done = 0; done < 60_000 || performance.now() - t0 < 2_000; done += 2_000) runner.run(2_000);
}

const NOT_THE_ROUTE = new Set(['measuredCycle', 'post', 'end']);

/**
 * What the router's own functions allocate per cycle, from bench/memory.ts's figures by allocating
 * function: everything but the measuring loop (the caller's input objects), the profiler itself and
 * `end`'s returned array.
 */
export function routerBytesPerCycle(byFunction: readonly (readonly [string, number])[]): number {
  return byFunction.filter(([name]) => !NOT_THE_ROUTE.has(name)).reduce((sum, [, b]) => sum + b, 0);
}
