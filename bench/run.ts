import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureInChild, PATHS, type Measured } from './paths.js';
import { PICKERS, pickWeights, type PickerName } from './pickers.js';
import { CONTENDERS, makeScript, Replay, type ContenderName } from './replay.js';
import { alternate, median, ratio } from './stats.js';

/**
 * `npm run bench`: every case with its baselines in one run, a table each, then the targets with
 * pass/fail; writes bench/results.json (bench/chart.ts draws docs/performance-chart.svg from it).
 * Contenders of a case run in rounds, the order rotating each round; rates are medians over the
 * rounds, ratios medians of the per-round ratios. Worst-case rows are time-boxed. The environment
 * variables that set rounds, times and sections: docs/performance.md.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SLICE_MS = Number(process.env.BENCH_MS ?? 300);
const PATH_MS = Number(process.env.BENCH_PATH_MS ?? 2_000);
const PATH_ROUNDS = Number(process.env.BENCH_PATH_ROUNDS ?? 3);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 15_000);
const ONLY = process.env.BENCH_ONLY?.split(',');
const runs = (section: string): boolean => ONLY === undefined || ONLY.includes(section);
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

const fmt = (x: number): string => (!Number.isFinite(x) ? '-' : x >= 100 || Number.isInteger(x) ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
const log = (s = ''): void => void process.stdout.write(`${s}\n`);
function table(head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  for (const r of cells) log(r.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i] as number)).join('  '));
  log();
}
const targets: { target: string; measured: string; holds: boolean }[] = [];
const target = (name: string, value: number, holds: boolean, unit = ''): void => void targets.push({ target: name, measured: `${fmt(value)}${unit}`, holds });

const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
const machine = { cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
log(`${machine.cpu}, ${machine.cores} cores, node ${machine.node}; ${ROUNDS} rounds × ${SLICE_MS} ms per contender\n`);

// ── route + end with churn, fenliu and its baselines ──
const NAMES = Object.keys(CONTENDERS) as ContenderName[];
const route: ({ agents: number; ofFloor: number; vsLinear: number; ofHeap: number } & Record<ContenderName, number>)[] = [];
if (runs('route')) {
  for (const agents of [10, 100, 1_000, 10_000, 100_000]) {
    const script = makeScript(agents);
    const steps: Record<string, (n: number) => void> = {};
    for (const name of NAMES) {
      const replay = new Replay(script, CONTENDERS[name](script)).settle();
      steps[name] = (n) => replay.run(n);
    }
    const r = alternate(steps, { 'linear scan': Math.max(1, Math.min(256, (2_000_000 / agents) | 0)), 'bare heap': 4_096, 'string-id floor': 1_024 }, ROUNDS, SLICE_MS);
    const at = (name: ContenderName): number[] => r[name] as number[];
    const row = { agents, ofFloor: ratio(at('fenliu'), at('string-id floor')), vsLinear: ratio(at('fenliu'), at('linear scan')), ofHeap: ratio(at('fenliu'), at('bare heap')) } as (typeof route)[number];
    for (const name of NAMES) row[name] = median(at(name));
    route.push(row);
  }
  log('route + end cycles/s with churn (medians):');
  table(['agents', ...NAMES, 'fenliu / floor', 'fenliu / linear', 'fenliu / heap'], route.map((x) => [x.agents, ...NAMES.map((n) => x[n]), fmt(x.ofFloor), `${fmt(x.vsLinear)}×`, fmt(x.ofHeap)]));
  const row = (n: number) => route.find((x) => x.agents === n) as (typeof route)[number];
  target('route + end at 10,000 agents ≥ 0.5 of the string-id floor', row(10_000).ofFloor, row(10_000).ofFloor >= 0.5);
  target('route + end at 10,000 agents ≥ 30× the linear-scan router', row(10_000).vsLinear, row(10_000).vsLinear >= 30, '×');
  const timed = row(10_000)['fenliu, answer timeout'] / row(10_000)['string-id floor'];
  target('route + end at 10,000 agents with answerTimeoutMs on ≥ 0.5 of the string-id floor', timed, timed >= 0.5);
  const fall = row(1_000).fenliu / row(100_000).fenliu;
  target('rate falls < 3× from 1,000 to 100,000 agents', fall, fall < 3, '×');
}

// ── weighted pick alone, fenliu against the npm peers ──
const pick: ({ agents: number; vsWrr: number } & Record<PickerName, number>)[] = [];
if (runs('pick')) {
  const PEERS = Object.keys(PICKERS) as PickerName[];
  for (const agents of [100, 1_000, 10_000]) {
    const steps: Record<string, (n: number) => void> = {};
    for (const name of PEERS) {
      const p = PICKERS[name](pickWeights(agents));
      p.pick(name === 'weighted-round-robin' ? Math.max(10, (2_000_000 / agents) | 0) : 20_000);
      steps[name] = (n) => void p.pick(n);
    }
    const r = alternate(steps, { 'weighted-round-robin': Math.max(1, (100_000 / agents) | 0), fenliu: 256, 'wrr-pool': 4_096, wrr: 4_096, 'load-balancers': 4_096 }, ROUNDS, SLICE_MS);
    const row = { agents, vsWrr: ratio(r.fenliu as number[], r['weighted-round-robin'] as number[]) } as (typeof pick)[number];
    for (const name of PEERS) row[name] = median(r[name] as number[]);
    pick.push(row);
  }
  log('weighted picks/s (medians):');
  table(['agents', ...PEERS, 'fenliu / weighted-round-robin'], pick.map((x) => [x.agents, ...PEERS.map((n) => x[n]), `${fmt(x.vsWrr)}×`]));
  const least = Math.min(...pick.map((x) => x.vsWrr));
  target('weighted pick faster than weighted-round-robin from 100 agents on', least, least > 1, '×');
}

// ── worst-case paths, each at a small and a large size, and restore against building the shop ──
type PathRow = { path: string; size: string; op: string } & Measured;
const paths: PathRow[] = [];
if (runs('paths')) {
  for (const p of PATHS) {
    // Rounds of the two sizes, the order alternating, so that a slow phase of the host hits both alike.
    const rounds = Array.from({ length: PATH_ROUNDS }, (_, k) => {
      const measured = new Map((k % 2 === 0 ? p.sizes : [...p.sizes].reverse()).map((n) => [n, measureInChild([p.name, n], BUDGET_MS, PATH_MS, BUDGET_MS + 1.5 * PATH_MS + 5_000) as unknown as Measured]));
      return p.sizes.map((n) => measured.get(n) as Measured);
    });
    const [small, large] = p.sizes.map((n, i) => {
      const at = rounds.map((x) => x[i] as Measured);
      const mid = (key: 'rate' | 'ops' | 'slowestMs'): number => median(at.map((x) => x[key]));
      return { path: p.name, size: p.size(n), op: p.op, rate: mid('rate'), ops: mid('ops'), slowestMs: mid('slowestMs'), note: at.find((x) => x.note !== '')?.note ?? '' };
    }) as [PathRow, PathRow];
    paths.push(small, large);
    const r = ratio(rounds.map((x) => (x[1] as Measured).rate), rounds.map((x) => (x[0] as Measured).rate));
    target(`${p.name}: ${large.size} ≥ ${p.floor === undefined ? '1/3' : '1/2'} of the rate at ${small.size}`, r, r >= (p.floor ?? 1 / 3));
  }
  log('worst-case paths, operations/s (each row time-boxed):');
  table(['path', 'size', 'operation', 'ops/s', 'ops timed', 'slowest op, ms', 'note'], paths.map((x) => [x.path, x.size, x.op, x.rate, x.ops, x.slowestMs, x.note]));
}
const restore: { agents: number; open: number; remembered: number; build: number; snapshot: number; restore: number; note?: string }[] = [];
if (runs('restore')) {
  for (const [agents, open, remembered] of [[1_000, 10_000, 100_000], [10_000, 100_000, 1_000_000]] as const) {
    const r = measureInChild(['restore', agents, open, remembered], 3 * BUDGET_MS, 0, 6 * BUDGET_MS);
    restore.push({ agents, open, remembered, build: Number(r.build), snapshot: Number(r.snapshot), restore: Number(r.restore ?? r.rate), note: String(r.note ?? '') });
    const x = restore.at(-1) as (typeof restore)[number];
    target(`restore ≤ 2× building the shop of ${agents.toLocaleString('en-US')} agents through the API`, x.restore / x.build, x.restore <= 2 * x.build, '×');
  }
  log('restore (snapshot → JSON → Router.restore) against building the same shop, ms:');
  table(['agents', 'open', 'remembered', 'build', 'snapshot', 'restore', 'restore / build', 'note'], restore.map((x) => [x.agents, x.open, x.remembered, x.build, x.snapshot, x.restore, fmt(x.restore / x.build), x.note ?? '']));
}

// ── memory and allocation, in child processes (they need --expose-gc and a large young generation) ──
const child = (script: string, flags: string[] = []): Record<string, unknown> => {
  const args = [...process.execArgv, ...flags, '--expose-gc', '--max-semi-space-size=256', '--min-semi-space-size=256', here(script)];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, unknown>;
};
let memory: Record<string, unknown> = {};
if (runs('memory')) {
  const m = child('./memory.ts') as { bytesPerAgent: number; bytesPerContact: number; bytesPerCustomerId: number; bytesPerPool: number };
  // The router's own functions: not the measuring loop, the profiler, or `end`'s returned array.
  const routerBytes = (a: Record<string, unknown>): number => (a.byFunction as [string, number][]).filter(([f]) => !['measuredCycle', 'post', 'end'].includes(f)).reduce((s, [, b]) => s + b, 0);
  const inlined = child('../test/allocation-probe.ts');
  const uninlined = child('../test/allocation-probe.ts', ['--no-turbo-inlining']);
  const decision = inlined.decisionObject as number;
  memory = { ...m, allocation: inlined, allocationUninlined: uninlined };
  log('memory and allocation, bytes:');
  table(['what', 'bytes'], [
    ['per agent (100,000 agents)', m.bytesPerAgent],
    ['per remembered contact (1,000,000 customers)', m.bytesPerContact],
    ["per customer id string (the caller's, not counted above)", m.bytesPerCustomerId],
    ['per candidate pool of 10 agents, made and idle (1,000 pools)', m.bytesPerPool],
    ['allocated per route + end + setPending cycle (1,000 agents, steady state)', inlined.allocated as number],
    ["  by the router's functions", routerBytes(inlined)],
    ["  by the router's functions, V8 inlining nothing", routerBytes(uninlined)],
    ['one decision object of the shape route returns', decision],
  ]);
  target('≤ 200 bytes per remembered contact', m.bytesPerContact, m.bytesPerContact <= 200, ' B');
  const most = Math.max(routerBytes(inlined), routerBytes(uninlined));
  target(`a route allocates only its decision (router bytes a cycle, inlining on or off; one decision ${fmt(decision)} B)`, most, most <= 1.1 * decision, ' B');
}

log('targets:');
table(['target', 'measured', ''], targets.map((t) => [t.target, t.measured, t.holds ? 'pass' : 'FAIL']));
if (ONLY === undefined) {
  const results = { date: new Date().toISOString(), machine, rounds: ROUNDS, sliceMs: SLICE_MS, pathMs: PATH_MS, route, pick, paths, restore, memory, targets };
  writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log('wrote bench/results.json');
}
