import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RouterOptions } from '../src/index.js';
import { median, rate, warmUp } from './stats.js';
import { FenliuTarget } from './targets.js';
import { makeScript, Runner } from './workload.js';

/**
 * What one rule costs on the route + end workload: fenliu as benchmarked, and with the contact
 * memory off (`stickyWindowMs: 0`, rule 2 never applies and nothing is remembered), with busy
 * tiers off (`busyThreshold` = `MAX_SAFE_INTEGER`, nobody is ever busy), and with both off. The
 * decisions differ from one variant to the next, so this is an ablation, not a comparison of
 * equals. Each variant runs in a process of its own (no call site shared), in rounds, the
 * variants alternating within each round; prints each variant's median rate and the median of its
 * per-round ratios to fenliu as benchmarked.
 *
 *   npx tsx bench/ablate.ts [AGENTS] [ROUNDS] [MS]      e.g.  npx tsx bench/ablate.ts 10000 5 3000
 */
const VARIANTS: Record<string, RouterOptions> = {
  'as benchmarked': { splitMode: 'weighted' },
  'no contact memory': { splitMode: 'weighted', stickyWindowMs: 0 },
  'no busy tiers': { splitMode: 'weighted', busyThreshold: Number.MAX_SAFE_INTEGER },
  'neither': { splitMode: 'weighted', stickyWindowMs: 0, busyThreshold: Number.MAX_SAFE_INTEGER },
};
const names = Object.keys(VARIANTS);
const [first, ...rest] = process.argv.slice(2);

if (first === '--child') {
  // One variant: warm up as bench/ab.ts does, then time one slice.
  const [name, agents, ms] = rest as [string, string, string];
  const runner = new Runner(makeScript(Number(agents)), new FenliuTarget(VARIANTS[name]));
  warmUp(runner);
  process.stdout.write(String(rate((n) => runner.run(n), 2_000, Number(ms))));
} else {
  const agents = Number(first ?? 10_000);
  const rounds = Number(rest[0] ?? 5);
  const ms = Number(rest[1] ?? 3_000);
  const self = fileURLToPath(import.meta.url);
  const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', name, String(agents), String(ms)], { encoding: 'utf8' });
      (rates[name] as number[]).push(Number(out));
    }
  }
  const base = rates[names[0] as string] as number[];
  console.log(`${agents} agents, ${rounds} rounds of ${ms} ms per variant, each in its own process:`);
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  for (const name of names) {
    const own = rates[name] as number[];
    const ratios = own.map((x, i) => x / (base[i] as number));
    console.log(`${name.padEnd(18)} ${fmt(median(own)).padStart(10)} cycles/s  ${median(ratios).toFixed(3)}x (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)})`);
  }
}
