import { Prng } from './prng.js';
import { median } from './stats.js';

/**
 * The host's state now, so that runs on different days can be told apart (ratios within a run do
 * not need it; on this shared virtual machine both figures have moved by several times between
 * days): millions of iterations per second of a fixed integer loop (no memory traffic), and the
 * latency of dependent loads over a 16 MB random cycle (one load per cache line; the last-level
 * cache's size class, DRAM when other tenants fill that cache). Medians of five samples each, after
 * a warm-up that lets the loops be optimised.
 */
let hostSink = 0;

function spin(ms: number): number {
  let n = 0;
  let acc = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 1_000_000; i++) acc = (acc + i * 7) | 0;
    n += 1_000_000;
    t = performance.now();
  }
  hostSink ^= acc;
  return n / (t - t0) / 1_000;
}

function chase(next: Int32Array, steps: number): number {
  let j = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) j = next[j] as number;
  hostSink ^= j;
  return ((performance.now() - t0) * 1e6) / steps;
}

export function hostSpeed(): { loopMips: number; latency16MbNs: number } {
  // A random cycle through 16 MB, one element per 64-byte line, shuffled with a fixed seed.
  const lines = (16 << 20) >> 6;
  const next = new Int32Array(lines * 16);
  const order = Int32Array.from({ length: lines }, (_, i) => i);
  const rng = new Prng(12_345);
  for (let i = lines - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  for (let i = 0; i < lines; i++) next[(order[i] as number) * 16] = (order[(i + 1) % lines] as number) * 16;
  spin(500);
  chase(next, 1_000_000);
  const loops: number[] = [];
  const latencies: number[] = [];
  for (let s = 0; s < 5; s++) {
    loops.push(spin(100));
    latencies.push(chase(next, 1_000_000));
  }
  if (hostSink === 42) process.stdout.write('\n'); // keeps the loops' results alive
  return { loopMips: median(loops), latency16MbNs: median(latencies) };
}
export const hostText = (h: { loopMips: number; latency16MbNs: number }): string => `${Math.round(h.loopMips).toLocaleString('en-US')} M loop iterations/s, ${h.latency16MbNs.toFixed(0)} ns per load over 16 MB`;
