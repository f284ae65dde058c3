import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkEquivalence } from './check.js';
import { checkHeapsAgree, IndexedHeapRunner, LazyHeapRunner, makeHeapScript } from './heap-workload.js';
import { PICKERS, pickWeights } from './pickers.js';
import type { PickerName } from './pickers.js';
import { TARGETS } from './targets.js';
import type { TargetName } from './targets.js';
import { makeScript, Runner } from './workload.js';
import { hostSpeed, hostText } from './host.js';
import { alternate, median, routerBytesPerCycle, settle } from './stats.js';

/**
 * Every benchmark case, each with its baselines in the same run, in ROUNDS rounds (the order of the
 * contenders rotates each round); prints and stores medians of ops/s and of the per-round ratios.
 * `npx tsx bench/run.ts` — writes bench/results.json; `npx tsx bench/chart.ts` draws the chart.
 * Environment: BENCH_ROUNDS (default 15), BENCH_MS (time per contender per round, default 500).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const SLICE_MS = Number(process.env.BENCH_MS ?? 500);
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** Rounds of every contender, rotating who goes first; returns each contender's per-round rates. */
const rounds = (contenders: Record<string, (n: number) => void>, batch: Record<string, number>): Record<string, number[]> =>
  alternate(contenders, batch, ROUNDS, SLICE_MS);

const ratio = (a: readonly number[], b: readonly number[]): number => median(a.map((x, i) => x / (b[i] as number)));
const fmt = (x: number): string => (x >= 100 || Number.isInteger(x) ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
const log = (s: string): void => void process.stdout.write(`${s}\n`);
function table(head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  for (const r of cells) log(r.map((c, i) => String(c).padStart(widths[i] as number)).join('  '));
  log('');
}

// ── machine ──
const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
const machine = {
  cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  v8: process.versions.v8,
  platform: `${process.platform} ${process.arch}`,
};
const speedBefore = hostSpeed();
log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; ${ROUNDS} rounds × ${SLICE_MS} ms per contender; host ${hostText(speedBefore)}\n`);

// ── equivalence: the linear-scan, typed-array and object baselines make the same decisions as fenliu ──
let compared = 0;
for (const n of [10, 100, 1_000]) compared += checkEquivalence(n, 20_000);
for (const n of [10, 1_000, 100_000]) checkHeapsAgree(n, 5_000);
log(`check: fenliu, the linear-scan router, the typed-array router and the object router made the same ${compared.toLocaleString('en-US')} decisions; IndexedHeap and heap-js (lazy) agree\n`);

// ── 1. route + end cycle ──
const ROUTE_AGENTS = [10, 100, 1_000, 10_000, 100_000];
const route: {
  agents: number; fenliu: number; heap: number; linear: number; floor: number; typed: number; object: number;
  vsLinear: number; ofHeap: number; ofFloor: number; floorOfHeap: number; typedOfFenliu: number; typedOfHeap: number; typedVsLinear: number;
  objectOfFenliu: number; objectOfTyped: number; objectOfHeap: number;
}[] = [];
for (const agents of ROUTE_AGENTS) {
  const script = makeScript(agents);
  const runners = {} as Record<TargetName, Runner>;
  for (const name of ['fenliu', 'heap', 'linear', 'floor', 'typed', 'object'] as TargetName[]) {
    const runner = new Runner(script, TARGETS[name]());
    settle(runner);
    runners[name] = runner;
  }
  const batch = { fenliu: 256, typed: 256, object: 256, heap: 4_096, floor: 1_024, linear: Math.max(1, Math.min(256, (2_000_000 / agents) | 0)) };
  const r = rounds(
    {
      fenliu: (n) => runners.fenliu.run(n), heap: (n) => runners.heap.run(n), linear: (n) => runners.linear.run(n), floor: (n) => runners.floor.run(n),
      typed: (n) => runners.typed.run(n), object: (n) => runners.object.run(n),
    },
    batch,
  );
  route.push({
    agents, fenliu: median(r.fenliu as number[]), heap: median(r.heap as number[]), linear: median(r.linear as number[]), floor: median(r.floor as number[]),
    typed: median(r.typed as number[]), typedOfFenliu: ratio(r.typed as number[], r.fenliu as number[]), typedOfHeap: ratio(r.typed as number[], r.heap as number[]),
    typedVsLinear: ratio(r.typed as number[], r.linear as number[]),
    object: median(r.object as number[]), objectOfFenliu: ratio(r.object as number[], r.fenliu as number[]),
    objectOfTyped: ratio(r.object as number[], r.typed as number[]), objectOfHeap: ratio(r.object as number[], r.heap as number[]),
    vsLinear: ratio(r.fenliu as number[], r.linear as number[]), ofHeap: ratio(r.fenliu as number[], r.heap as number[]),
    ofFloor: ratio(r.fenliu as number[], r.floor as number[]), floorOfHeap: ratio(r.floor as number[], r.heap as number[]),
  });
  log(`route + end, ${agents} agents done`);
}
log('\nroute + end cycles/s (with churn), medians:');
table(['agents', 'fenliu', 'bare heap', 'linear scan', 'id floor', 'fenliu / linear', 'fenliu / heap', 'fenliu / floor', 'floor / heap'], route.map((x) => [x.agents, x.fenliu, x.heap, x.linear, x.floor, `${fmt(x.vsLinear)}×`, fmt(x.ofHeap), fmt(x.ofFloor), fmt(x.floorOfHeap)]));
log('the same decisions with every record in typed arrays (bench/baselines/typed-router.ts), same rounds:');
table(['agents', 'typed arrays', 'typed / fenliu', 'typed / heap', 'typed / linear'], route.map((x) => [x.agents, x.typed, `${fmt(x.typedOfFenliu)}×`, fmt(x.typedOfHeap), `${fmt(x.typedVsLinear)}×`]));
log('its twin with plain objects (bench/baselines/object-router.ts), same rounds:');
table(['agents', 'objects', 'objects / fenliu', 'objects / typed', 'objects / heap'], route.map((x) => [x.agents, x.object, `${fmt(x.objectOfFenliu)}×`, `${fmt(x.objectOfTyped)}×`, fmt(x.objectOfHeap)]));

// ── 2. weighted pick alone ──
const PICK_AGENTS = [10, 100, 1_000, 10_000];
const pick: ({ agents: number } & Record<PickerName, number> & { vsWeightedRoundRobin: number })[] = [];
for (const agents of PICK_AGENTS) {
  const weights = pickWeights(agents);
  const fns: Record<string, (n: number) => void> = {};
  const batch: Record<string, number> = {};
  for (const name of Object.keys(PICKERS) as PickerName[]) {
    const p = PICKERS[name](weights);
    p.pick(name === 'weighted-round-robin' ? Math.max(10, (2_000_000 / agents) | 0) : 20_000);
    fns[name] = (n) => void p.pick(n);
    batch[name] = name === 'weighted-round-robin' ? Math.max(1, (100_000 / agents) | 0) : name === 'fenliu' ? 256 : 4_096;
  }
  const r = rounds(fns, batch);
  const row = { agents, vsWeightedRoundRobin: ratio(r.fenliu as number[], r['weighted-round-robin'] as number[]) } as (typeof pick)[number];
  for (const name of Object.keys(PICKERS) as PickerName[]) row[name] = median(r[name] as number[]);
  pick.push(row);
}
log('weighted pick/s, medians:');
table(
  ['agents', ...Object.keys(PICKERS), 'fenliu / weighted-round-robin'],
  pick.map((x) => [x.agents, ...(Object.keys(PICKERS) as PickerName[]).map((n) => x[n]), `${fmt(x.vsWeightedRoundRobin)}×`]),
);

// ── 3. IndexedHeap against heap-js with lazy deletion ──
const heaps: { size: number; indexed: number; lazy: number; indexedOverLazy: number }[] = [];
for (const size of [10, 100, 1_000, 10_000, 100_000]) {
  const script = makeHeapScript(size);
  const a = new IndexedHeapRunner(script);
  const b = new LazyHeapRunner(script);
  a.run(50_000);
  b.run(50_000);
  const r = rounds({ indexed: (n) => a.run(n), lazy: (n) => b.run(n) }, { indexed: 4_096, lazy: 4_096 });
  heaps.push({ size, indexed: median(r.indexed as number[]), lazy: median(r.lazy as number[]), indexedOverLazy: ratio(r.indexed as number[], r.lazy as number[]) });
}
log('heap steps/s (pick + re-key top, re-key one, 1/4 out-and-in), medians:');
table(['members', 'IndexedHeap', 'heap-js lazy', 'IndexedHeap / heap-js'], heaps.map((x) => [x.size, x.indexed, x.lazy, `${fmt(x.indexedOverLazy)}×`]));

// ── 4. memory and allocation (child process: needs --expose-gc and a large young generation) ──
type MemoryResult = {
  agents: number; bytesPerAgent: number; contacts: number; bytesPerContact: number; bytesPerCustomerIdString: number;
  allocation: { agents: number; cycles: number; allocated: number; retained: number; byFunction: [string, number][]; decisionObject: number; harness: number; route: number; routeGarbage: number; routeInput: number; end: number };
};
const memoryChild = (flags: string[], args: string[]): unknown => {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, ...flags, '--expose-gc', '--max-semi-space-size=256', '--min-semi-space-size=256', here('./memory.ts'), ...args],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop() as string);
};
const memory = memoryChild([], []) as MemoryResult;
// The same cycles with V8's inlining off: a time passed to a call that is not inlined would be
// boxed, and which calls V8 inlines changes from one process to the next.
const uninlined = (memoryChild(['--no-turbo-inlining'], ['--allocation-only']) as Pick<MemoryResult, 'allocation'>).allocation;
// What the sampled functions are. Not the router's: the loop's input objects and the profiler's own.
const ALLOCATORS: Record<string, string> = {
  '#assign': "#assign (route's decision)",
  '#decide': "#decide (route's decision, #assign inlined)",
  measuredCycle: 'the measuring loop (the caller\'s input { customerId, at })',
  post: 'node:inspector (the profiler itself)',
  end: "end (its returned array, when not inlined and optimised away)",
};
const routeBytes = routerBytesPerCycle(memory.allocation.byFunction);
const routeBytesUninlined = routerBytesPerCycle(uninlined.byFunction);
log('memory (heap used after GC / count):');
table(['what', 'bytes'], [
  [`per agent (${memory.agents.toLocaleString('en-US')} agents)`, memory.bytesPerAgent],
  [`per remembered contact (${memory.contacts.toLocaleString('en-US')} customers)`, memory.bytesPerContact],
  ['per customer id string (the caller\'s, not counted above)', memory.bytesPerCustomerIdString],
  [`allocated per route + end + setPending cycle (${memory.allocation.agents} agents, steady state)`, memory.allocation.allocated],
  ['  of which still retained after GC', memory.allocation.retained],
  ...memory.allocation.byFunction.map(([name, bytes]): [string, number] => [`  made by ${ALLOCATORS[name] ?? name}`, bytes]),
  ['the same cycles with V8\'s inlining off (--no-turbo-inlining), by the same profiler:', ''],
  ...uninlined.byFunction.map(([name, bytes]): [string, number] => [`  made by ${ALLOCATORS[name] ?? name}`, bytes]),
  ['allocated per route call, 20,000 new customers in a row (their state and decisions)', memory.allocation.route],
  ['  of which garbage: the decision, returned to the caller', memory.allocation.routeGarbage],
  ['allocated per end call', memory.allocation.end],
  ['one decision object of the shape route returns (by the same profiler)', memory.allocation.decisionObject],
  ['the measuring loop itself', memory.allocation.harness],
]);

// ── 5. metrics and simulation, when their modules exist ──
type Row = { name: string; unit: string; rate: number; note: string } | { name: string; skipped: string };
const extra: Row[] = [];
const simPath = here('../src/simulate/index.ts');
const metricsPath = here('../src/metrics/index.ts');
type SimModule = { simulate?: (s: unknown, o?: unknown) => { consultations: unknown[]; events: unknown[] } };
type MetricsModule = { computeMetrics?: (events: Iterable<unknown>, o?: unknown) => unknown };
let simEvents: unknown[] | undefined;
if (existsSync(simPath)) {
  try {
    const { simulate } = (await import(pathToFileURL(simPath).href)) as SimModule;
    if (simulate === undefined) throw new Error('no simulate export');
    const scenario = {
      router: { splitMode: 'weighted' },
      agents: Array.from({ length: 30 }, (_, i) => ({ id: `agent-${i}`, status: 'online', weight: 1 + (i % 5), cap: 6 })),
      arrivals: { perHour: 3_000 },
      durationMs: 8 * 3_600_000,
      seed: 1,
    };
    simulate(scenario);
    const times: number[] = [];
    let consultations = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      const result = simulate(scenario);
      times.push(performance.now() - t0);
      consultations = result.consultations.length;
      simEvents = result.events;
    }
    extra.push({ name: 'simulation', unit: 'consultations/s', rate: (consultations / median(times)) * 1_000, note: `30 agents, 3,000/h, 8 h: ${consultations} consultations per run` });
  } catch (error) {
    extra.push({ name: 'simulation', skipped: (error as Error).message });
  }
} else extra.push({ name: 'simulation', skipped: 'src/simulate/index.ts does not exist yet' });
if (existsSync(metricsPath)) {
  try {
    const { computeMetrics } = (await import(pathToFileURL(metricsPath).href)) as MetricsModule;
    if (computeMetrics === undefined) throw new Error('no computeMetrics export');
    const events = simEvents ?? syntheticLog(100_000);
    computeMetrics(events);
    const times: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      computeMetrics(events);
      times.push(performance.now() - t0);
    }
    extra.push({ name: 'metrics', unit: 'events/s', rate: (events.length / median(times)) * 1_000, note: `${events.length} events (${simEvents === undefined ? 'synthetic log' : 'the simulation\'s log'})` });
  } catch (error) {
    extra.push({ name: 'metrics', skipped: (error as Error).message });
  }
} else extra.push({ name: 'metrics', skipped: 'src/metrics/index.ts does not exist yet' });
log('metrics and simulation:');
table(['what', 'rate', 'unit / note'], extra.map((x) => ('rate' in x ? [x.name, x.rate, `${x.unit}; ${x.note}`] : [x.name, '-', `skipped: ${x.skipped}`])));

/** A plain conversation log: consultation, assignment, a question, a reply, an end per customer. */
function syntheticLog(customers: number): unknown[] {
  const events: unknown[] = [];
  for (let c = 0; c < customers; c++) {
    const at = c * 10_000;
    const customerId = `buyer-${c}`;
    const agentId = `agent-${c % 30}`;
    events.push(
      { type: 'consultation', at, customerId },
      { type: 'assigned', at, customerId, agentId },
      { type: 'customer-message', at: at + 1_000, customerId },
      { type: 'agent-reply', at: at + 30_000, customerId, agentId },
      { type: 'end', at: at + 60_000, customerId },
    );
  }
  return events.sort((a, b) => (a as { at: number }).at - (b as { at: number }).at);
}

// ── targets of issue 5 ──
const at = (n: number) => route.find((x) => x.agents === n) as (typeof route)[number];
const targets = [
  { target: 'route + end at 10,000 agents ≥ 30× the linear-scan router', value: at(10_000).vsLinear, holds: at(10_000).vsLinear >= 30 },
  { target: 'route + end at 10,000 agents ≥ 1/3 of the bare heap', value: at(10_000).ofHeap, holds: at(10_000).ofHeap >= 1 / 3 },
  { target: 'route + end at 10 agents not slower than the linear-scan router', value: at(10).vsLinear, holds: at(10).vsLinear >= 1 },
  { target: 'rate falls < 3× from 1,000 to 100,000 agents', value: at(1_000).fenliu / at(100_000).fenliu, holds: at(1_000).fenliu / at(100_000).fenliu < 3 },
  { target: 'weighted pick faster than weighted-round-robin at every N ≥ 100', value: Math.min(...pick.filter((x) => x.agents >= 100).map((x) => x.vsWeightedRoundRobin)), holds: pick.filter((x) => x.agents >= 100).every((x) => x.vsWeightedRoundRobin > 1) },
  { target: '≤ 200 bytes per remembered contact', value: memory.bytesPerContact, holds: memory.bytesPerContact <= 200 },
  // In the steady state, by allocating function: what the router's own functions allocate per
  // cycle is one decision object (measured by the same profiler), within the sampling's 10 %, with
  // V8's inlining as it comes and with none (the larger of the two is reported).
  { target: `a route allocates only its decision object (router bytes per cycle, inlining on or off; one decision: ${fmt(memory.allocation.decisionObject)})`, value: Math.max(routeBytes, routeBytesUninlined), holds: Math.max(routeBytes, routeBytesUninlined) <= 1.1 * memory.allocation.decisionObject },
];
const speedAfter = hostSpeed();
log(`host at the end: ${hostText(speedAfter)}\n`);
log('targets:');
table(['target', 'measured', ''], targets.map((t) => [t.target, t.value, t.holds ? 'holds' : 'MISSED']));

writeFileSync(
  here('./results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, hostSpeed: { before: speedBefore, after: speedAfter }, rounds: ROUNDS, sliceMs: SLICE_MS, decisionsCompared: compared, route, pick, heaps, memory, allocationUninlined: uninlined, extra, targets }, null, 2)}\n`,
);
log('wrote bench/results.json');
