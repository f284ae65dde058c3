import { spawnSync } from 'node:child_process';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Router } from '../src/index.js';
import type { Decision, RouterOptions } from '../src/index.js';
import { rate } from './stats.js';

/**
 * The worst-case paths of a promotion day, each at a small and a large size, through the public API
 * only. `setup` builds the shop (calling `check` now and then, which throws once the setup is over
 * its time budget) and returns one operation; a `steady` path's operation keeps the shop at its
 * size, a `build` path's operations build the size from nothing (the whole build is timed).
 *
 * Each row runs in a child process that reports its progress as it goes and is killed at its time
 * budget, so that one call that takes minutes costs the run no more than the budget: the rate is
 * then the operations done over the time until the kill.
 */
export type Path = {
  name: string;
  /** What one operation is, and the two sizes (and how to say them). */
  op: string;
  kind: 'steady' | 'build';
  sizes: readonly [number, number];
  size(n: number): string;
  /** The large size's rate must be at least this share of the small one's (default 1/3). */
  floor?: number;
  setup(n: number, check: () => void): () => void;
};

const T0 = Date.UTC(2026, 10, 11);
const fail = (what: string): never => {
  throw new Error(`the shop is not as described: ${what}`);
};
const every = (i: number, check: () => void): void => {
  if ((i & 1_023) === 0) check();
};

/**
 * 100 agents at cap 2, every slot taken, `n` consultations waiting. One operation ends the oldest
 * assigned consultation in state `cycling` and routes a new one in that state: without bound
 * groups the freed slot goes to the queue's head and the new one waits at the tail; with them (10
 * pre-sales agents full, `n` pre-sales chats waiting) the freed after-sales slot is taken by the new
 * after-sales chat, past every waiting pre-sales chat. With `waitingCost` 2 the freed unit fits
 * none of the waiting chats, and the new one takes it.
 */
function waitingQueue(n: number, check: () => void, bound: boolean, options: RouterOptions = {}, waitingCost = 1): () => void {
  const groups = bound ? [{ id: 'pre', orderStates: ['none', 'unpaid'] }, { id: 'after', orderStates: ['refunding'] }] : [];
  const r = new Router({ ...options, groups });
  let at = T0;
  for (let a = 0; a < 100; a++) r.upsertAgent({ id: `agent-${a}`, status: 'online', cap: 2, groups: bound ? [a < 10 ? 'pre' : 'after'] : [] }, at);
  if (options.stickyToSuspended === true) r.upsertAgent({ id: 'away', status: 'suspended' }, at);
  const cycling = bound ? 'refunding' : 'none';
  const assigned: string[] = [];
  let [head, k] = [0, 0];
  const take = (d: Decision): void => void (d.kind === 'agent' && d.customerId.startsWith(cycling) && assigned.push(d.customerId));
  const route = (state: string, cost = 1): Decision => r.route({ customerId: `${state}-${k++}`, orderState: state, at, cost });
  // Bound: 20 pre-sales chats fill pre-sales, n wait, 180 after-sales fill after-sales.
  for (let i = 0; i < 200 + n; i++, every(i, check)) take(route(bound && i >= 20 + n ? 'refunding' : 'none', bound || i < 200 ? 1 : waitingCost));
  if (r.queue().length !== n || assigned.length !== (bound ? 180 : 200)) fail(`${r.queue().length} waiting, ${assigned.length} assigned`);
  const expected = bound || waitingCost > 1 ? 'agent' : 'queued';
  return () => {
    at += 1;
    for (const d of r.end(assigned[head++] as string, at)) take(d);
    const d = route(cycling);
    take(d);
    if (d.kind !== expected) fail(`a new chat went to ${d.kind}`);
  };
}

/**
 * A shift change: `n` agents at cap 1 go offline and their chats wait, each taken from its own
 * agent; 100 agents at cap 2 stay, full. One operation ends the oldest assigned chat (its slot
 * takes the chat of priority 1 waiting ahead of the `n`) and routes the next one of priority 1.
 */
function shiftChange(n: number, check: () => void): () => void {
  const r = new Router();
  let [at, k] = [T0, 0];
  const route = (priority = 0): Decision => r.route({ customerId: `c${k++}`, priority, at });
  for (let a = 0; a < n; a++, every(a, check)) void (r.upsertAgent({ id: `day-${a}`, status: 'online', cap: 1 }, at), route());
  for (let a = 0; a < 100; a++) r.upsertAgent({ id: `agent-${a}`, status: 'online', cap: 2 }, at);
  const assigned = Array.from({ length: 200 }, () => route().customerId);
  for (let a = 0; a < n; a++, every(a, check)) r.setStatus(`day-${a}`, 'offline', at);
  if (route(1).kind !== 'queued' || r.queue().length !== n + 1) fail(`${r.queue().length} waiting`);
  return () => {
    at += 1;
    for (const d of r.end(assigned.shift() as string, at)) if (d.kind === 'agent') assigned.push(d.customerId);
    if (route(1).kind !== 'queued') fail('a new chat did not wait');
  };
}

/** One chat at a time about `p` products in turn, each bound to a group; agent `a` in groups `a`, `a + 7`, `a + 14` (mod `p`: all three for `p` = 3). Three rounds first, as the idle budget learns the pools. */
function inTurn(n: number, p: number, check: () => void): () => void {
  const r = new Router({ groups: Array.from({ length: p }, (_, i) => ({ id: `g${i}`, products: [`p${i}`] })) });
  for (let a = 0; a < n; a++, every(a, check)) r.upsertAgent({ id: `agent-${a}`, status: 'online', groups: [0, 7, 14].map((j) => `g${(a + j) % p}`) }, T0);
  let k = 0;
  const op = (): void => void (r.route({ customerId: `c${k}`, product: `p${k % p}`, at: T0 + k }), r.end(`c${k}`, T0 + k++));
  for (let i = 0; i < 3 * p; i++, every(i, check)) op();
  return op;
}

const queueRow = (name: string, waiting: string, setup: Path['setup'], op = 'end + route'): Path =>
  ({ name, op, kind: 'steady', sizes: [1_000, 100_000], size: (n) => `${n.toLocaleString('en-US')} ${waiting}`, setup });

export const PATHS: Path[] = [
  queueRow('queue', 'waiting', (n, check) => waitingQueue(n, check, false)),
  // One agent suspended (cap unlimited, the default), who still takes its own returning customers.
  queueRow('queue, a suspended agent', 'waiting', (n, check) => waitingQueue(n, check, false, { stickyToSuspended: true })),
  queueRow('queue, larger chats ahead', 'of cost 2 waiting', (n, check) => waitingQueue(n, check, false, {}, 2)),
  queueRow('queue, a shift gone offline', 'waiting, each taken from its agent', shiftChange),
  queueRow('bound-group head', 'pre-sales waiting', (n, check) => waitingQueue(n, check, true), 'after-sales end + route'),
  { name: 'queue of declined chats', op: 'route + decline', kind: 'build', sizes: [1_000, 100_000], size: (n) => `built to ${n.toLocaleString('en-US')}`,
    // One free agent declines every chat: each waits, excluded from the only agent.
    setup: () => {
      const r = new Router();
      r.upsertAgent({ id: 'agent-0', status: 'online' }, T0);
      let k = 0;
      return () => {
        const at = T0 + k;
        const d = r.route({ customerId: `c${k++}`, at });
        if (d.kind === 'agent') r.reroute(d.customerId, { reason: 'declined', at });
      };
    },
  },
  { name: 'chain of declines', op: 'decline (re-route)', kind: 'steady', sizes: [1_000, 100_000], size: (n) => `${n.toLocaleString('en-US')} agents`,
    // One chat declined by every agent in turn until it waits; then the next chat.
    setup: (n, check) => {
      const r = new Router();
      for (let a = 0; a < n; a++, every(a, check)) r.upsertAgent({ id: `agent-${a}`, status: 'online', weight: 1 + (a % 5) }, T0);
      let [at, k, agent, chat] = [T0, 0, '', undefined as string | undefined];
      return () => {
        at += 1;
        if (chat === undefined) {
          const d = r.route({ customerId: (chat = `c${k++}`), at });
          agent = d.kind === 'agent' ? d.agentId : fail(`a new chat went to ${d.kind}`);
        }
        const d = r.reroute(chat, { reason: 'declined', at }).find((x) => x.customerId === chat);
        r.setPending(agent, 0);
        if (d?.kind === 'agent') agent = d.agentId;
        else chat = void r.end(chat, at);
      };
    },
  },
  { name: 'decline of a larger chat', op: 'route + decline + end', kind: 'steady', sizes: [1_000, 100_000], size: (n) => `${n.toLocaleString('en-US')} agents with room 1`,
    // One agent more has room 2: a chat of cost 2 goes to it, is declined and waits, as nobody else has room.
    setup: (n, check) => {
      const r = new Router();
      for (let a = 0; a <= n; a++, every(a, check)) r.upsertAgent({ id: `agent-${a}`, status: 'online', cap: 2 }, T0);
      for (let c = 0; c < n; c++, every(c, check)) r.route({ customerId: `c${c}`, dedicatedAgentId: `agent-${c}`, at: T0 });
      let k = 0;
      return () => {
        const [id, at] = [`v${k}`, T0 + k++];
        if (r.route({ customerId: id, cost: 2, at }).kind !== 'agent' || r.reroute(id, { reason: 'declined', at })[0]?.kind !== 'queued') fail('a chat of cost 2 did not wait');
        r.end(id, at);
      };
    },
  },
  { name: 'many pools', op: 'route + end + setPending', kind: 'steady', sizes: [4, 50], size: (g) => `agents in ${g} groups`,
    // 1,000 agents, each in every group; each group bound to an order state of its own.
    setup: (g, check) => {
      const states = Array.from({ length: g }, (_, i) => `s${i}`);
      const r = new Router({ splitMode: 'weighted', orderStates: ['none', ...states], groups: states.map((s, i) => ({ id: `g${i}`, orderStates: [s] })) });
      const groups = states.map((_, i) => `g${i}`);
      for (let a = 0; a < 1_000; a++, every(a, check)) r.upsertAgent({ id: `agent-${a}`, status: 'online', weight: 1 + (a % 5), groups }, T0);
      let i = 0;
      return () => {
        const at = T0 + i;
        r.route({ customerId: `c${i}`, orderState: states[i % g] as string, at });
        if (i >= 1_000) r.end(`c${i - 1_000}`, at);
        r.setPending(`agent-${(i * 7) % 1_000}`, i % 8);
        i++;
      };
    },
  },
  // One pool of agents of one weight: at a round's end every agent's turn comes at once (see the slowest op).
  { name: "a round's end", op: 'route + end', kind: 'steady', sizes: [1_000, 100_000], size: (n) => `a pool of ${n.toLocaleString('en-US')} agents`, setup: (n, check) => inTurn(n, 1, check) },
  { name: 'large pools in turn', op: 'route + end', kind: 'steady', sizes: [1_000, 100_000], size: (n) => `3 pools of ${n.toLocaleString('en-US')} agents`, setup: (n, check) => inTurn(n, 3, check) },
  { name: 'many pools in turn', op: 'route + end', kind: 'steady', sizes: [10_000, 100_000], size: (n) => `3,000 pools, ${n.toLocaleString('en-US')} agents in 3 each`, setup: (n, check) => inTurn(n, 3_000, check) },
  { name: 'reception scopes', op: 'route + end', kind: 'steady', sizes: [0, 1_000], floor: 1 / 2,
    size: (p) => (p === 0 ? 'no scopes' : `${p.toLocaleString('en-US')} products, 2 groups each`),
    // 10,000 agents in 200 groups, 5,000 chats open; with scopes, 1,000 pools of 100 agents.
    setup: (p, check) => {
      const groups = Array.from({ length: 200 }, (_, g) => ({ id: `g${g}`, products: [] as string[] }));
      for (let i = 0; i < p; i++) for (const g of [i % 200, (i * 7 + 3) % 200]) groups[g]?.products.push(`p${i}`);
      const r = new Router({ groups });
      for (let a = 0; a < 10_000; a++, every(a, check)) r.upsertAgent({ id: `agent-${a}`, status: 'online', groups: [`g${a % 200}`] }, T0);
      let i = 0;
      return () => void (r.route({ customerId: `c${i}`, product: `p${(i * 7_919) % 1_000}`, at: T0 + i }), i >= 5_000 && r.end(`c${i - 5_000}`, T0 + i), i++);
    },
  },
];

/**
 * A shop built through the API (`agents` agents, `remembered` customers served and gone, `open`
 * consultations open), then snapshot → JSON → `Router.restore`. Times in ms; the JSON text is
 * parsed before the restore is timed.
 */
export function restoreShop(agents: number, open: number, remembered: number, check: () => void, progress: (line: string) => void = () => {}): { build: number; snapshot: number; restore: number } {
  let t = performance.now();
  const lap = (what: string): number => { const ms = performance.now() - t; progress(`${what} ${ms}`); return ms; };
  const r = new Router({ splitMode: 'weighted', contactMemory: { maxEntries: remembered + open } });
  for (let a = 0; a < agents; a++, every(a, check)) r.upsertAgent({ id: `agent-${a}`, status: 'online', weight: 1 + (a % 5) }, T0);
  for (let c = 0; c < remembered; c++, every(c, check)) {
    r.route({ customerId: `r${c}`, at: T0 + c });
    r.end(`r${c}`, T0 + c);
  }
  for (let c = 0; c < open; c++, every(c, check)) r.route({ customerId: `o${c}`, at: T0 + remembered + c });
  const build = lap('build');
  t = performance.now();
  const snap = r.snapshot();
  const snapshot = lap('snapshot');
  const parsed = JSON.parse(JSON.stringify(snap)) as typeof snap;
  t = performance.now();
  const restored = Router.restore(parsed);
  const restore = performance.now() - t;
  // The restored shop holds what was built: the open consultations, and the oldest customer remembered.
  const active = restored.agents().reduce((sum, a) => sum + a.active, 0);
  const back = restored.route({ customerId: 'r0', at: T0 + remembered + open });
  if (active !== open || back.reason !== 'recent-contact') fail(`${active} open after the restore; the first customer back: ${back.reason}`);
  return { build, snapshot, restore };
}

/** What a row measured: operations per second, how many were timed, the slowest one (ms), and why it stopped early. */
export type Measured = { rate: number; ops: number; slowestMs: number; note: string };

/** The slowest of single operations timed for `ms` (at most 1,000,000), leaving out those a garbage collection met. */
async function slowest(op: () => void, ms: number): Promise<number> {
  const gcs: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => void gcs.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const [starts, ends, stop] = [new Float64Array(1_000_000), new Float64Array(1_000_000), performance.now() + ms];
  let n = 0;
  for (; n < starts.length && performance.now() < stop; n++) (starts[n] = performance.now()), op(), (ends[n] = performance.now());
  await new Promise((resolve) => setTimeout(resolve, 50)).finally(() => observer.disconnect()); // GC entries come on the event loop
  const met = (t0: number, t1: number): boolean => gcs.some((g) => g.startTime < t1 && g.startTime + g.duration > t0);
  return starts.subarray(0, n).reduce((most, t0, i) => (ends[i] as number) - t0 > most && !met(t0, ends[i] as number) ? (ends[i] as number) - t0 : most, 0);
}

class OverBudget extends Error {}
const SELF = fileURLToPath(import.meta.url);
/** Progress lines: `t0 <epoch ms>` when timing starts, then `ops <n>` (at most every 20 ms), and one JSON line at the end. */
const say = (line: string): void => void process.stdout.write(`${line}\n`);
let said = 0;
const progress = (ops: number): void => void (performance.now() - said > 20 && ((said = performance.now()), say(`ops ${ops}`)));

async function child(args: readonly string[], budgetMs: number, pathMs: number): Promise<void> {
  const end = performance.now() + budgetMs;
  const check = (): void => {
    if (performance.now() > end) throw new OverBudget(`setup over the ${budgetMs / 1_000} s budget`);
  };
  try {
    if (args[0] === 'restore') {
      const [agents, open, remembered] = args.slice(1).map(Number) as [number, number, number];
      say(JSON.stringify(restoreShop(agents, open, remembered, check, say)));
      return;
    }
    const p = PATHS.find((x) => x.name === args[0]) as Path;
    const n = Number(args[1]);
    if (p.kind === 'steady') {
      const op = p.setup(n, check);
      let done = 0;
      const run = (k: number): void => {
        for (let i = 0; i < k; i++) op();
        progress((done += k));
      };
      rate(run, 16, 200, 2_000);
      done = 0;
      say(`t0 ${Date.now()}`);
      const r = rate(run, 16, pathMs, 100_000);
      say(JSON.stringify({ rate: r.rate, ops: r.ops, slowestMs: await slowest(op, pathMs / 2), note: '' }));
      return;
    }
    // Whole builds of n, repeated for pathMs.
    let ops = 0;
    let ms = 0;
    say(`t0 ${Date.now()}`);
    while (ms < pathMs) {
      const op = p.setup(n, check);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if ((op(), ++ops & 63) === 0) progress(ops);
      ms += performance.now() - t0;
    }
    say(JSON.stringify({ rate: (ops / ms) * 1_000, ops, slowestMs: Number.NaN, note: '' }));
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    say(JSON.stringify({ rate: Number.NaN, ops: 0, slowestMs: Number.NaN, note: error.message }));
  }
}

/** Runs one row (`[pathName, size]` or `['restore', agents, open, remembered]`) in a child process killed after `killMs`. */
export function measureInChild(args: readonly (string | number)[], budgetMs: number, pathMs: number, killMs: number): Record<string, number | string> {
  const r = spawnSync(process.execPath, [...process.execArgv, SELF, '--row', String(budgetMs), String(pathMs), ...args.map(String)], { encoding: 'utf8', timeout: killMs, maxBuffer: 1 << 28 });
  const killedAt = Date.now();
  const lines = r.stdout.trim().split('\n');
  const last = lines.at(-1) ?? '';
  if (last.startsWith('{')) return JSON.parse(last) as Record<string, number | string>;
  if (r.error === undefined) throw new Error(`bench row ${args.join(' ')} failed: ${r.stderr}`);
  // Killed: what it reported. The operation under way when it was killed counts as not done.
  const note = `killed after ${killMs / 1_000} s`;
  const value = (key: string, from = lines): number => Number([...from].reverse().find((l) => l.startsWith(`${key} `))?.slice(key.length + 1) ?? Number.NaN);
  if (args[0] === 'restore') return { build: value('build'), snapshot: value('snapshot'), note };
  const timed = lines.slice(lines.findIndex((l) => l.startsWith('t0 ')));
  const ops = value('ops', timed) || 0;
  return { rate: (ops / (killedAt - value('t0'))) * 1_000, ops, slowestMs: Number.NaN, note };
}

if (process.argv[2] === '--row') await child(process.argv.slice(5), Number(process.argv[3]), Number(process.argv[4]));
