/**
 * Soak: random operations against one Router at full speed, for a fixed wall-clock time.
 *
 *   npm run soak -- --minutes 10 [--seed 42] [--report-seconds 10]
 *
 * Every operation is drawn from a seeded PRNG (mulberry32, no Math.random), so a failing run
 * replays with the same seed. After every decision the cheap invariants are checked (an agent
 * decision never lands above cap); every `--check-seconds` (default 2) the full ones: each open
 * consultation in exactly one place (an agent, the robot, the queue, an offline account), none
 * lost or duplicated, the queue in service order, active counts equal to open assignments, no
 * agent above cap unless its cap was lowered below its open consultations.
 *
 * Heap: sampled after a forced GC (via --expose-gc, or enabled at run time through v8 flags).
 * The baseline is the heap after the warm-up (the first 10 % of the run, at most 30 s); the run
 * fails if the heap at the end exceeds baseline × 1.5 + 16 MB — state is bounded by design (a
 * fixed pool of customer ids, a contact memory of at most 5,000 entries), so it must stay flat.
 * Exits 1 on any broken invariant or heap growth beyond the bound.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Router, RoutingError } from '../src/index.js';
import type { AgentStatus, Decision } from '../src/index.js';
import { Prng } from './prng.js';

// ───────────── arguments ─────────────

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`Expected --${name} to be a number > 0, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  return value;
}

const minutes = arg('minutes', 10);
const seed = Math.floor(arg('seed', 20240601));
const reportSeconds = arg('report-seconds', Math.min(10, Math.max(1, (minutes * 60) / 12)));
const checkSeconds = arg('check-seconds', 2);
const durationMs = minutes * 60_000;

const HEAP_FACTOR = 1.5;
const HEAP_SLACK_MB = 16;

function collectGarbage(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    if (typeof fn === 'function') return fn as () => void;
  } catch {
    // fall through: heapUsed without a forced GC
  }
  return () => {};
}
const gc = collectGarbage();
const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1_048_576;
};

// ───────────── the shop ─────────────

const AGENTS = Array.from({ length: 40 }, (_, i) => `agent-${i}`).concat(['__proto__', 'constructor', 'toString']);
const CUSTOMERS = 20_000;
const STATES = ['none', 'unpaid', 'unshipped', 'shipped', 'refunding', 'completed'];
const GROUPS = ['presale', 'aftersale', 'vip'];

let now = 1_000_000;
const router = new Router({
  splitMode: 'weighted',
  busyThreshold: 4,
  stickyWindowMs: 3_600_000,
  groups: [
    { id: 'presale', orderStates: ['none', 'unpaid'] },
    { id: 'aftersale', orderStates: ['refunding', 'shipped'] },
    { id: 'vip' },
  ],
  noAgent: 'queue',
  contactMemory: { maxEntries: 5_000 },
  clock: () => now,
});

const rng = new Prng(seed);
const pick = <T>(items: readonly T[]): T => items[rng.below(items.length)] as T;
const chance = (p: number): boolean => rng.below(1_000_000) < p * 1_000_000;

/** Where the soak believes each open consultation is, from the decisions it was given. */
const where = new Map<string, string>();
/** Open customer ids, for picking one to end or re-route in O(1). */
const openList: string[] = [];
const openIndex = new Map<string, number>();
/** Agents whose cap was set below their open consultations: they may sit above cap until they drain. */
const overCapAllowed = new Set<string>();
const known = new Set<string>();

function open(id: string): void {
  openIndex.set(id, openList.length);
  openList.push(id);
}
function close(id: string): void {
  const i = openIndex.get(id) as number;
  const last = openList.pop() as string;
  if (last !== id) {
    openList[i] = last;
    openIndex.set(last, i);
  }
  openIndex.delete(id);
  where.delete(id);
}

function fail(message: string): never {
  console.error(`\nINVARIANT BROKEN (seed ${seed}, op ${ops}): ${message}`);
  process.exit(1);
}

function take(decisions: readonly Decision[]): void {
  for (const d of decisions) {
    switch (d.kind) {
      case 'agent': {
        where.set(d.customerId, `agent:${d.agentId}`);
        const view = router.getAgent(d.agentId);
        if (view === undefined || view.status === 'offline') fail(`assigned ${d.customerId} to absent or offline agent ${d.agentId}`);
        if (view.active > view.cap && !overCapAllowed.has(d.agentId)) fail(`assigned ${d.customerId} to ${d.agentId} above cap (${view.active}/${view.cap})`);
        break;
      }
      case 'robot': where.set(d.customerId, 'robot'); break;
      case 'queued': where.set(d.customerId, 'queue'); break;
      case 'offline': where.set(d.customerId, `offline:${d.accountId}`); break;
    }
  }
}

function fullCheck(): void {
  const snap = router.snapshot();
  const places = new Map<string, string>();
  const put = (id: string, place: string): void => {
    const before = places.get(id);
    if (before !== undefined) fail(`${id} is in two places: ${before} and ${place}`);
    places.set(id, place);
  };
  for (const a of snap.agents) {
    for (const id of a.open) put(id, `agent:${a.id}`);
    const cap = a.cap ?? Number.POSITIVE_INFINITY;
    if (a.open.length > cap && !overCapAllowed.has(a.id)) fail(`agent ${a.id} above cap: ${a.open.length}/${cap}`);
    if (a.open.length <= cap) overCapAllowed.delete(a.id);
  }
  const queue = router.queue();
  for (const q of queue) put(q.customerId, 'queue');
  for (let i = 1; i < queue.length; i++) {
    const x = queue[i - 1]!;
    const y = queue[i]!;
    if (x.priority < y.priority || (x.priority === y.priority && x.since > y.since)) fail(`queue out of order at position ${i}`);
  }
  for (const c of snap.consultations) {
    if (c.where === 'robot') put(c.customerId, 'robot');
    else if (c.where === 'offline') put(c.customerId, `offline:${c.accountId}`);
    if (places.get(c.customerId) === undefined) fail(`${c.customerId} is open but nowhere`);
  }
  if (places.size !== snap.consultations.length) fail(`${places.size} placed, ${snap.consultations.length} open`);
  if (places.size !== where.size) fail(`router has ${places.size} open, the soak routed ${where.size}`);
  for (const [id, place] of where) if (places.get(id) !== place) fail(`${id}: router says ${places.get(id)}, decisions said ${place}`);
  for (const v of router.agents()) {
    const held = snap.agents.find((a) => a.id === v.id)?.open.length;
    if (v.active !== held) fail(`agent ${v.id}: active ${v.active}, holds ${held}`);
  }
  if (snap.contacts.length > 5_000) fail(`contact memory above its bound: ${snap.contacts.length}`);
}

// ───────────── operations ─────────────

let ops = 0;
let errors = 0;

function step(): void {
  now += rng.below(4);
  const r = rng.below(100);
  try {
    if (r < 42) {
      // A new consultation from a customer without an open one.
      const id = `c${rng.below(CUSTOMERS)}`;
      if (where.has(id)) return;
      const consultation = {
        customerId: id,
        orderState: pick(STATES),
        priority: chance(0.05) ? 1 : 0,
        ...(chance(0.03) ? { dedicatedAgentId: pick(AGENTS.filter((a) => known.has(a)).concat('agent-0')) } : {}),
      };
      if (consultation.dedicatedAgentId !== undefined && !known.has(consultation.dedicatedAgentId)) return;
      const d = router.route(consultation);
      open(id);
      take([d]);
    } else if (r < 80) {
      if (openList.length === 0) return;
      const id = pick(openList);
      const decisions = router.end(id);
      close(id);
      take(decisions);
    } else if (r < 90) {
      const id = pick(AGENTS);
      if (!known.has(id)) return;
      router.setPending(id, rng.below(8));
    } else if (r < 94) {
      if (openList.length === 0) return;
      const id = pick(openList);
      if (!where.get(id)?.startsWith('agent:')) return;
      take(router.reroute(id, { reason: chance(0.5) ? 'declined' : 'timeout' }));
    } else if (r < 97) {
      const id = pick(AGENTS);
      if (!known.has(id)) return;
      const status: AgentStatus = pick(['online', 'online', 'online', 'suspended', 'offline']);
      take(router.setStatus(id, status));
    } else if (r < 99) {
      const id = pick(AGENTS);
      const cap = pick([2, 4, 6, 8, 10, Number.POSITIVE_INFINITY]);
      const decisions = router.upsertAgent({
        id,
        status: pick(['online', 'online', 'suspended']),
        weight: pick([1, 1, 2, 3]),
        cap,
        groups: GROUPS.filter(() => chance(0.4)),
      });
      known.add(id);
      const view = router.getAgent(id);
      if (view !== undefined && view.active > cap) overCapAllowed.add(id);
      take(decisions);
    } else {
      const id = pick(AGENTS);
      if (!known.has(id) || known.size < 10) return;
      take(router.removeAgent(id));
      known.delete(id);
      overCapAllowed.delete(id);
    }
  } catch (error) {
    if (!(error instanceof RoutingError)) throw error;
    errors++;
    fail(`unexpected ${error.code}: ${error.message}`);
  } finally {
    ops++;
  }
}

// Staff the shop.
for (const id of AGENTS) {
  router.upsertAgent({ id, status: 'online', weight: 1 + rng.below(3), cap: 4 + rng.below(8), groups: GROUPS.filter(() => chance(0.4)) });
  known.add(id);
}

// ───────────── run ─────────────

const start = performance.now();
const warmupMs = Math.min(30_000, durationMs * 0.1);
const samples: { seconds: number; ops: number; opsPerSecond: number; heapMb: number }[] = [];
let baseline: number | undefined;
let lastReport = start;
let lastOps = 0;
let lastCheck = start;
let checks = 0;

console.log(`soak: ${minutes} min, seed ${seed}, ${AGENTS.length} agents, ${CUSTOMERS} customer ids; GC ${typeof (globalThis as { gc?: unknown }).gc === 'function' || gc.toString() !== '() => {}' ? 'forced before each heap sample' : 'not available (heapUsed as is)'}`);
console.log(`heap bound: end <= baseline x ${HEAP_FACTOR} + ${HEAP_SLACK_MB} MB (baseline after ${(warmupMs / 1000).toFixed(0)} s of warm-up)`);
console.log('   time        ops      ops/s   heap MB   open  queued');
const startHeap = heapMb();

for (;;) {
  for (let i = 0; i < 2_000; i++) step();
  const t = performance.now();
  if (t - lastCheck >= checkSeconds * 1000) {
    fullCheck();
    checks++;
    lastCheck = performance.now();
  }
  if (baseline === undefined && t - start >= warmupMs) baseline = heapMb();
  const done = t - start >= durationMs;
  if (t - lastReport >= reportSeconds * 1000 || done) {
    const heap = heapMb();
    const opsPerSecond = ((ops - lastOps) * 1000) / (t - lastReport);
    samples.push({ seconds: (t - start) / 1000, ops, opsPerSecond, heapMb: heap });
    console.log(`${((t - start) / 1000).toFixed(0).padStart(6)} s ${String(ops).padStart(10)} ${opsPerSecond.toFixed(0).padStart(10)} ${heap.toFixed(1).padStart(9)} ${String(openList.length).padStart(6)} ${String(router.queue().length).padStart(7)}`);
    lastReport = performance.now();
    lastOps = ops;
  }
  if (done) break;
}

fullCheck();
checks++;
const elapsed = (performance.now() - start) / 1000;
const endHeap = heapMb();
const base = baseline ?? startHeap;
const bound = base * HEAP_FACTOR + HEAP_SLACK_MB;
console.log(`\n${ops} ops in ${elapsed.toFixed(1)} s = ${(ops / elapsed).toFixed(0)} ops/s; ${checks} full invariant checks passed, ${errors} errors`);
console.log(`heap: start ${startHeap.toFixed(1)} MB, after warm-up ${base.toFixed(1)} MB, end ${endHeap.toFixed(1)} MB (bound ${bound.toFixed(1)} MB)`);
if (endHeap > bound) {
  console.error(`HEAP GREW beyond the bound: ${endHeap.toFixed(1)} MB > ${bound.toFixed(1)} MB`);
  process.exit(1);
}
console.log('ok');
