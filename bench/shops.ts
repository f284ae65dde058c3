/**
 * fenliu/redis with many shops per process (`RedisShops`), on one redis-server (no AOF) on loopback.
 *
 * 1. Scale: 10,000 shops over 2 processes (5,000 each, 2 agents per shop): connections to Redis,
 *    heap per open idle shop and per active shop (5 open consultations), time to open a shop the
 *    first time, to drop it (snapshot stored) and to reopen it from snapshot + log.
 * 2. Throughput: 200 shops (10 agents each) spread over 1, 2 and 4 processes by shop id (shop i
 *    on process i mod P), each process with 64 calls in flight over its shops, each consultation
 *    routed and then ended; routed consultations per second, all processes together.
 *
 * Run: `npx tsx bench/shops.ts` (needs redis-server; `--shops 2000 --seconds 5` to change the sizes).
 * Baseline for 2: the same processes on one shop (every process serving it), as `bench/redis.ts` does.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisShops } from '../src/redis/index.js';
import { hasRedis, startRedis } from '../test/redis/server.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) || fallback : fallback;
};
const SHOPS = arg('--shops', 10_000);
const SECONDS = arg('--seconds', 3);
const LANES = 64;
const self = fileURLToPath(import.meta.url);

type Job =
  | { kind: 'scale'; port: number; from: number; to: number }
  | { kind: 'load'; port: number; shops: string[]; ms: number; tag: string };

interface ScaleReport { n: number; openMs: number; idleBytes: number; activeBytes: number; droppedBytes: number; dropMs: number; reopenMs: number }
interface LoadReport { routed: number; failed: number; cpuMs: number }

const heap = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};
const elapsed = async (f: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};
/** Runs `f` over `items`, `width` at a time. */
async function each<T>(items: T[], width: number, f: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await f(items[next++] as T);
  }));
}

async function scale(job: Extract<Job, { kind: 'scale' }>, tell: (m: object) => Promise<void>): Promise<ScaleReport> {
  const redis = new Redis(job.port, '127.0.0.1', { lazyConnect: true }); // only the host's duplicates connect
  const ids = Array.from({ length: job.to - job.from }, (_, i) => `scale-${job.from + i}`);
  const host = await RedisShops.open({ redis });
  const base = heap();
  const openMs = await elapsed(() => each(ids, 200, async (id) => {
    const shop = await host.shop(id);
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 10 });
    await shop.upsertAgent({ id: 'b', status: 'online', cap: 10 });
  }));
  const idle = heap();
  await tell({ type: 'opened' });
  await each(ids, 200, async (id) => {
    const shop = await host.shop(id);
    for (let c = 0; c < 5; c++) await shop.route({ customerId: `buyer-${c}` });
  });
  const active = heap();
  const dropMs = await elapsed(() => each(ids, 200, async (id) => (await host.shop(id)).close()));
  const dropped = heap();
  const reopenMs = await elapsed(() => each(ids, 200, (id) => host.shop(id)));
  await host.close();
  redis.disconnect();
  const n = ids.length;
  return { n, openMs, idleBytes: (idle - base) / n, activeBytes: (active - base) / n, droppedBytes: (dropped - base) / n, dropMs, reopenMs };
}

async function load(job: Extract<Job, { kind: 'load' }>): Promise<LoadReport> {
  const redis = new Redis(job.port, '127.0.0.1', { lazyConnect: true }); // only the host's duplicates connect
  const host = await RedisShops.open({ redis });
  const shops = await Promise.all(job.shops.map((id) => host.shop(id)));
  let [routed, failed, n] = [0, 0, 0];
  let [measuring, stop] = [false, false];
  const lanes = Array.from({ length: LANES }, async (_, lane) => {
    for (let k = lane; !stop; k += LANES) {
      const shop = shops[k % shops.length];
      const customerId = `${job.tag}-${n++}`;
      try {
        await shop?.route({ customerId });
        if (measuring) routed++;
        await shop?.end(customerId);
      } catch {
        failed++;
      }
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  measuring = true;
  const cpu = process.cpuUsage();
  await new Promise((r) => setTimeout(r, job.ms));
  const used = process.cpuUsage(cpu);
  [measuring, stop] = [false, true];
  await Promise.all(lanes);
  await host.close();
  redis.disconnect();
  return { routed, failed, cpuMs: (used.user + used.system) / 1000 };
}

/** Forks a worker for `job`; `onMessage` sees its progress messages, the promise its report. */
function run<T>(job: Job, onMessage: (m: { type: string }, child: ReturnType<typeof fork>) => void = () => {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['--worker', JSON.stringify(job)], { execArgv: ['--import', 'tsx', '--expose-gc'] });
    child.on('message', (m: { type: string; report?: T }) => (m.type === 'report' ? resolve(m.report as T) : onMessage(m, child)));
    child.once('error', reject);
    child.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)); });
  });
}

async function worker(job: Job): Promise<void> {
  // Progress messages wait for the parent's 'go', so that it can count connections meanwhile.
  const tell = (m: object): Promise<void> => new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send?.(m);
  });
  const report = job.kind === 'scale' ? await scale(job, tell) : await load(job);
  process.send?.({ type: 'report', report }, undefined, {}, () => process.exit(0));
}

const f0 = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  if (args[0] === '--worker') return worker(JSON.parse(args[1] as string) as Job);
  if (!hasRedis) {
    console.log('bench/shops.ts needs redis-server: apt-get install redis-server');
    return;
  }
  const server = await startRedis();
  const admin = server.client();
  const connections = async (): Promise<number> => ((await admin.call('CLIENT', 'LIST')) as string).trim().split('\n').length - 1;

  // 1. Scale: two processes, half of the shops each.
  const half = Math.floor(SHOPS / 2);
  let waiting: ReturnType<typeof fork>[] = [];
  let atPeak = 0;
  const onOpened = async (_m: { type: string }, child: ReturnType<typeof fork>): Promise<void> => {
    waiting.push(child);
    if (waiting.length < 2) return;
    atPeak = await connections();
    for (const c of waiting) c.send('go');
    waiting = [];
  };
  const t0 = performance.now();
  const scaled = await Promise.all([
    run<ScaleReport>({ kind: 'scale', port: server.port, from: 0, to: half }, (m, c) => void onOpened(m, c)),
    run<ScaleReport>({ kind: 'scale', port: server.port, from: half, to: SHOPS }, (m, c) => void onOpened(m, c)),
  ]);
  const total = (performance.now() - t0) / 1000;
  const avg = (f: (r: ScaleReport) => number): number => scaled.reduce((a, r) => a + f(r), 0) / scaled.length;
  const used = ((await admin.info('memory')).match(/used_memory:(\d+)/)?.[1] ?? '0');
  console.log(`## ${f0(SHOPS)} shops over 2 processes (${total.toFixed(1)} s in all)\n`);
  console.log('| measure | value |\n|---|---|');
  console.log(`| Redis connections, both processes, all shops open | ${atPeak} |`);
  console.log(`| heap per open idle shop (2 agents) | ${f0(avg((r) => r.idleBytes))} B |`);
  console.log(`| heap per active shop (2 agents, 5 open consultations) | ${f0(avg((r) => r.activeBytes))} B |`);
  console.log(`| heap still held after dropping them all, per shop dropped | ${f0(avg((r) => r.droppedBytes))} B |`);
  console.log(`| open a new shop + 2 agents, per shop (200 at a time) | ${(avg((r) => r.openMs / r.n) * 1000).toFixed(0)} µs |`);
  console.log(`| drop a shop (snapshot stored), per shop | ${(avg((r) => r.dropMs / r.n) * 1000).toFixed(0)} µs |`);
  console.log(`| reopen a shop from snapshot + log, per shop | ${(avg((r) => r.reopenMs / r.n) * 1000).toFixed(0)} µs |`);
  console.log(`| Redis used_memory after the run | ${(Number(used) / 2 ** 20).toFixed(0)} MiB |`);

  // 2. Throughput over 200 shops, spread by shop id; and the same processes on one shop.
  const host = await RedisShops.open({ redis: admin });
  const ids = Array.from({ length: 200 }, (_, i) => `load-${i}`);
  await each([...ids, 'one-shop'], 50, async (id) => {
    const shop = await host.shop(id);
    for (let a = 0; a < 10; a++) await shop.upsertAgent({ id: `agent-${a}`, status: 'online', cap: 100 });
  });
  await host.close();
  console.log(`\n## Throughput, ${LANES} calls in flight per process, route + end, ${SECONDS} s per row\n`);
  console.log('CPU per 1,000 routed: all bench processes together / redis-server.\n');
  console.log('| processes | 200 shops spread by id: routed/s | × one process | CPU ms per 1,000 | one shop served by all: routed/s | CPU ms per 1,000 |');
  console.log('|---|---|---|---|---|---|');
  const redisCpu = async (): Promise<number> => {
    const info = await admin.info('cpu');
    return ['used_cpu_user', 'used_cpu_sys'].reduce((a, k) => a + Number(info.match(new RegExp(`${k}:([\\d.]+)`))?.[1] ?? 0), 0) * 1000;
  };
  let one = 0;
  for (const p of [1, 2, 4]) {
    const cells: string[] = [];
    for (const spread of [true, false]) {
      const before = await redisCpu();
      const reports = await Promise.all(Array.from({ length: p }, (_, k) => run<LoadReport>({
        kind: 'load', port: server.port, ms: SECONDS * 1000, tag: `p${p}-${k}-${spread}`,
        shops: spread ? ids.filter((_, i) => i % p === k) : ['one-shop'],
      })));
      // Redis's CPU is counted over the whole run of the workers (open, warm-up, close too): an upper bound.
      const redisMs = (await redisCpu()) - before;
      const routed = reports.reduce((a, r) => a + r.routed, 0);
      const nodeMs = reports.reduce((a, r) => a + r.cpuMs, 0);
      if (p === 1 && spread) one = routed;
      cells.push(f0(routed / SECONDS), ...(spread ? [(routed / one).toFixed(2)] : []), `${f0((nodeMs / routed) * 1000)} / ${f0((redisMs / routed) * 1000)}`);
    }
    console.log(`| ${p} | ${cells.join(' | ')} |`);
  }
  admin.disconnect();
  await server.stop();
}

await main();
