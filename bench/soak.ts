/**
 * Soak: `npm run soak -- [--minutes 10] [--seed 42]` runs random operations against one Router at
 * full speed for a fixed time, drawn from a seeded PRNG (a failing run replays with its seed), and
 * checks every 2 s that each open consultation is in exactly one place, the one the decisions said,
 * the queue in service order, active counts equal to open assignments, no agent above a cap not
 * lowered under it. `npm run soak:queue` (`-- --queue [--rounds 5]`): 100 agents at cap 2; each
 * round routes the same 100,200 customers, so that 100,000 wait, then ends consultations oldest
 * first until nothing is open. Both: the heap after a forced GC must stay flat, at the end at most
 * 1.5 × the heap after the warm-up (a tenth of the run, or the first round) + 16 MB; exits 1 if not.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Router } from '../src/index.js';
import type { Decision } from '../src/index.js';
import { Prng } from '../src/simulate/prng.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]) > 0 ? Number(process.argv[i + 1]) : fail(`expected --${name} to be a number > 0`);
};
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = (): number => (gc(), process.memoryUsage().heapUsed / 1_048_576);
function fail(message: string): never {
  console.error(`FAILED: ${message}`);
  process.exit(1);
}
function flat(base: number, end: number): void {
  const bound = base * 1.5 + 16;
  console.log(`heap: ${base.toFixed(1)} MB after the warm-up, ${end.toFixed(1)} MB at the end (bound ${bound.toFixed(1)} MB)`);
  console.log(end > bound ? fail('the heap grew beyond the bound') : 'ok');
}

if (process.argv.includes('--queue')) {
  const rounds = arg('rounds', 5);
  const router = new Router();
  let at = Date.UTC(2026, 10, 11);
  for (let a = 0; a < 100; a++) router.upsertAgent({ id: `agent-${a}`, status: 'online', cap: 2 }, at);
  const ids = Array.from({ length: 100_200 }, (_, c) => `buyer-${c}`);
  let base = 0;
  console.log('round  build s  drain s  peak MB  heap MB');
  for (let round = 1; round <= rounds; round++) {
    const assigned: string[] = [];
    const take = (d: Decision): unknown => d.kind === 'agent' && assigned.push(d.customerId);
    let t = performance.now();
    for (const customerId of ids) take(router.route({ customerId, at: (at += 10) }));
    const build = (performance.now() - t) / 1_000;
    if (router.queue().length !== 100_000) fail(`round ${round}: ${router.queue().length} waiting, not 100,000`);
    const peak = heapMb();
    t = performance.now();
    for (let k = 0; k < assigned.length; k++) for (const d of router.end(assigned[k] as string, (at += 10))) take(d);
    const drain = (performance.now() - t) / 1_000;
    if (assigned.length !== ids.length || router.queue().length > 0 || router.agents().some((a) => a.active > 0)) fail(`round ${round}: not drained`);
    const heap = heapMb();
    if (round === 1) base = heap;
    console.log(`${String(round).padStart(5)}  ${build.toFixed(2).padStart(7)}  ${drain.toFixed(2).padStart(7)}  ${peak.toFixed(1).padStart(7)}  ${heap.toFixed(1).padStart(7)}`);
    if (round === rounds) flat(base, heap);
  }
} else {
  const minutes = arg('minutes', 10);
  const seed = Math.floor(arg('seed', 20240601));
  const rng = Prng.stream(seed, 0);
  const pick = <T>(xs: readonly T[]): T => xs[rng.below(xs.length)] as T;
  const chance = (p: number): boolean => rng.below(1_000_000) < p * 1_000_000;
  // Odd ids on purpose: any non-empty string is an id.
  const AGENTS = Array.from({ length: 40 }, (_, i) => `agent-${i}`).concat(['__proto__', 'constructor', 'toString']);
  const GROUPS = ['presale', 'aftersale', 'vip'];
  let now = 1_000_000;
  const groups = [{ id: 'presale', orderStates: ['none', 'unpaid'] }, { id: 'aftersale', orderStates: ['refunding', 'shipped'] }, { id: 'vip' }];
  const router = new Router({ splitMode: 'weighted', stickyWindowMs: 3_600_000, groups, contactMemory: { maxEntries: 5_000 }, clock: () => now });
  /** Where each open consultation is, by the decisions; agents whose cap was lowered under their load. */
  const where = new Map<string, string>();
  const overCap = new Set<string>();
  /** The open customers, for picking one in O(1). */
  const open: string[] = [];
  const index = new Map<string, number>();
  const take = (ds: readonly Decision[]): void => {
    for (const d of ds) {
      if (!where.has(d.customerId)) index.set(d.customerId, open.push(d.customerId) - 1);
      where.set(d.customerId, d.kind === 'agent' ? `agent:${d.agentId}` : d.kind === 'offline' ? `offline:${d.accountId}` : d.kind);
    }
  };
  const close = (id: string): void => {
    const [i, last] = [index.get(id) as number, open.pop() as string];
    if (last !== id) (open[i] = last), index.set(last, i);
    index.delete(id) && where.delete(id);
  };
  /** Agents present (the soak removes and re-adds them). */
  const known = new Set<string>();
  const upsert = (id: string, status: 'online' | 'suspended'): void => {
    const cap = pick([2, 4, 6, 8, 10, Number.POSITIVE_INFINITY]);
    take(router.upsertAgent({ id, status, weight: pick([1, 1, 2, 3]), cap, groups: GROUPS.filter(() => chance(0.4)) }));
    if ((router.getAgent(id)?.active ?? 0) > cap) overCap.add(id);
    known.add(id);
  };
  const check = (): void => {
    const snap = router.snapshot();
    const places = new Map<string, string>();
    const put = (id: string, place: string): void => void (places.has(id) ? fail(`${id} in two places`) : places.set(id, place));
    for (const a of snap.agents) {
      for (const id of a.open) put(id, `agent:${a.id}`);
      if (a.open.length <= (a.cap ?? Number.POSITIVE_INFINITY)) overCap.delete(a.id);
      else if (!overCap.has(a.id)) fail(`${a.id} above cap`);
      if (router.getAgent(a.id)?.active !== a.open.length) fail(`${a.id}: active is not its open count`);
    }
    const queue = router.queue();
    for (const q of queue) put(q.customerId, 'queued');
    queue.forEach((q, i) => i > 0 && (queue[i - 1]!.priority < q.priority || (queue[i - 1]!.priority === q.priority && queue[i - 1]!.since > q.since)) && fail(`queue out of order at ${i}`));
    for (const c of snap.consultations) if (c.where === 'robot' || c.where === 'offline') put(c.customerId, c.where === 'robot' ? 'robot' : `offline:${c.accountId}`);
    if (places.size !== snap.consultations.length || places.size !== where.size) fail(`${places.size} placed, ${snap.consultations.length} open, ${where.size} routed`);
    for (const [id, place] of where) if (places.get(id) !== place) fail(`${id}: router says ${places.get(id)}, the decisions ${place}`);
    if (snap.contacts.length > 5_000) fail('contact memory above its bound');
  };
  for (const id of AGENTS) upsert(id, 'online');
  const start = performance.now();
  let [ops, lastCheck, lastReport, base] = [0, start, start, Number.NaN];
  console.log(`soak: ${minutes} min, seed ${seed}\n   time        ops   heap MB   open  queued`);
  for (let done = false; !done; ) {
    for (let i = 0; i < 2_000; i++, ops++) {
      now += rng.below(4);
      const r = rng.below(100);
      const agent = pick(AGENTS);
      if (r < 42) {
        const customerId = `c${rng.below(20_000)}`;
        if (!where.has(customerId)) take([router.route({ customerId, orderState: pick(['none', 'unpaid', 'unshipped', 'shipped', 'refunding', 'completed']), priority: chance(0.05) ? 1 : 0 })]);
      } else if (r < 80 && open.length > 0) {
        const id = pick(open);
        take((close(id), router.end(id)));
      } else if (r >= 80 && r < 94 && !known.has(agent)) upsert(agent, 'online');
      else if (r < 90) router.setPending(agent, rng.below(8));
      else if (r < 94 && open.length > 0) {
        const id = pick(open);
        if (where.get(id)?.startsWith('agent:')) take(router.reroute(id, { reason: chance(0.5) ? 'declined' : 'timeout' }));
      } else if (r < 97 && known.has(agent)) take(router.setStatus(agent, pick(['online', 'online', 'online', 'suspended', 'offline'] as const)));
      else if (r < 99) upsert(agent, pick(['online', 'online', 'suspended'] as const));
      else if (known.size >= 10 && known.delete(agent)) (take(router.removeAgent(agent)), overCap.delete(agent));
    }
    const t = performance.now();
    done = t - start >= minutes * 60_000;
    if (t - lastCheck >= 2_000 || done) (check(), (lastCheck = t));
    if (Number.isNaN(base) && t - start >= Math.min(30_000, minutes * 6_000)) base = heapMb();
    if (t - lastReport >= 10_000 || done) {
      console.log(`${((t - start) / 1_000).toFixed(0).padStart(6)} s ${String(ops).padStart(10)} ${heapMb().toFixed(1).padStart(9)} ${String(where.size).padStart(6)} ${String(router.queue().length).padStart(7)}`);
      lastReport = t;
    }
  }
  console.log(`${ops} ops in ${((performance.now() - start) / 1_000).toFixed(1)} s, invariants held`);
  flat(Number.isNaN(base) ? heapMb() : base, heapMb());
}
