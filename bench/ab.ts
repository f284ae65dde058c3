/**
 * A/B timing of the router: the working tree's `Router` against the one of a git revision, in one
 * process, on the route + end workload, alternating slices so that the host's slow phases hit both
 * sides alike. Each pair times A then B (or B then A, alternating) for one slice each; the result is
 * the median of the pairs' ratios B / A, with their range. Where wall-clock figures are too noisy,
 * `bench/instructions.sh` counts instructions instead.
 *
 *   npx tsx bench/ab.ts REV [AGENTS] [PAIRS] [SLICE_MS]      e.g.  npx tsx bench/ab.ts HEAD~1 10000 16 700
 *
 * A is REV's `src/` and `bench/` (from `git archive`), B the working tree's; each is bundled by
 * esbuild on its own, so the two share no code and no call site.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median, rate, warmUp } from './stats.js';
import type { ReplayTarget, Runner as RunnerType, Script } from './workload.js';

interface Side {
  Runner: new (script: Script, target: ReplayTarget) => RunnerType;
  makeScript: (agents: number) => Script;
  FenliuTarget: new () => ReplayTarget;
}

const [rev, agentsArg, pairsArg, sliceArg] = process.argv.slice(2);
if (rev === undefined) {
  console.error('usage: npx tsx bench/ab.ts REV [AGENTS] [PAIRS] [SLICE_MS]');
  process.exit(2);
}
const agents = Number(agentsArg ?? 10_000);
const pairs = Number(pairsArg ?? 16);
const sliceMs = Number(sliceArg ?? 700);
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'fenliu-ab-'));

async function bundle(tree: string, name: string): Promise<Side> {
  const entry = join(work, `${name}-entry.ts`);
  writeFileSync(entry, [
    `export { FenliuTarget } from ${JSON.stringify(join(tree, 'bench/targets.ts'))};`,
    `export { Runner, makeScript } from ${JSON.stringify(join(tree, 'bench/workload.ts'))};`,
  ].join('\n'));
  const outfile = join(work, `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return (await import(pathToFileURL(outfile).href)) as Side;
}

try {
  const old = join(work, 'old');
  mkdirSync(old);
  execFileSync('sh', ['-c', `git -C ${JSON.stringify(root)} archive ${JSON.stringify(rev)} src bench | tar -x -C ${JSON.stringify(old)}`]);
  const a = await bundle(old, 'a');
  const b = await bundle(root, 'b');
  const runners = [a, b].map((side) => new side.Runner(side.makeScript(agents), new side.FenliuTarget()));
  for (const r of runners) warmUp(r);
  const ratios: number[] = [];
  const rates: [number[], number[]] = [[], []];
  for (let p = 0; p < pairs; p++) {
    const order = p % 2 === 0 ? [0, 1] : [1, 0];
    const r = [0, 0];
    for (const i of order) {
      const runner = runners[i] as RunnerType;
      r[i] = rate((n) => runner.run(n), 2_000, sliceMs);
    }
    rates[0].push(r[0] as number);
    rates[1].push(r[1] as number);
    ratios.push((r[1] as number) / (r[0] as number));
  }
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`${agents} agents, ${pairs} pairs of ${sliceMs} ms slices; A = ${rev}, B = working tree`);
  console.log(`A median ${fmt(median(rates[0]))} cycles/s, B median ${fmt(median(rates[1]))} cycles/s`);
  console.log(`B / A: median ${median(ratios).toFixed(3)}x, range ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}x`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
