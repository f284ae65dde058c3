/**
 * fenliu/redis throughput and latency on loopback: 1, 2 and 4 processes route consultations of
 * one shop through one redis-server (no AOF), each process with 16 calls in flight, each
 * consultation ended right after it is routed. Reports routed consultations per second (all
 * processes together) and the p50 / p99 latency of `route()` as its caller sees it.
 *
 * Run: `npx tsx bench/redis.ts` (needs redis-server; `--seconds 5` to measure longer).
 * Baseline: the same route + end loop on an in-process `Router`, the work without Redis.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Router, type AgentSpec } from '../src/index.js';
import { RedisRouter } from '../src/redis/index.js';
import { hasRedis, startRedis } from '../test/redis/server.js';

const LANES = 16;
const AGENTS: AgentSpec[] = Array.from({ length: 20 }, (_, i) => ({ id: `agent-${i}`, status: 'online', weight: 1 + (i % 4), cap: 50 }));
const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 3) || 3;

interface Report { routed: number; latencies: number[]; failures: number; reloads: number }

/** A worker: routes + ends for `ms` after a short warm-up, timing each route(). */
async function worker(port: number, shopId: string, ms: number, tag: string): Promise<Report> {
  const redis = new Redis(port, '127.0.0.1');
  let reloads = 0;
  const shop = await RedisRouter.open({ redis, shopId, onEvent: (e) => { if (e.type === 'reloaded') reloads++; } });
  const latencies: number[] = [];
  let [failures, n] = [0, 0];
  let [measuring, stop] = [false, false];
  const lane = async (): Promise<void> => {
    while (!stop) {
      const customerId = `${tag}-${n++}`;
      const t0 = process.hrtime.bigint();
      try {
        await shop.route({ customerId });
        if (measuring) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        await shop.end(customerId);
      } catch {
        failures++;
      }
    }
  };
  const lanes = Array.from({ length: LANES }, lane);
  await new Promise((r) => setTimeout(r, 500));
  measuring = true;
  await new Promise((r) => setTimeout(r, ms));
  [measuring, stop] = [false, true];
  await Promise.all(lanes);
  await shop.close();
  redis.disconnect();
  return { routed: latencies.length, latencies, failures, reloads };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  if (args[0] === '--worker') {
    const [, port, shopId, ms, tag] = args;
    const report = await worker(Number(port), shopId as string, Number(ms), tag as string);
    // Exit only once the report is out: a large IPC message is flushed asynchronously.
    process.send?.(report, undefined, {}, () => process.exit(0));
    return;
  }
  if (!hasRedis) {
    console.log('bench/redis.ts needs redis-server: apt-get install redis-server');
    return;
  }
  const server = await startRedis();
  const admin = server.client();
  const rows: string[] = [];
  for (const processes of [1, 2, 4]) {
    const shopId = `bench-${processes}`;
    const setup = await RedisRouter.open({ redis: admin, shopId });
    for (const a of AGENTS) await setup.upsertAgent(a);
    await setup.close();
    const self = fileURLToPath(import.meta.url);
    const reports = await Promise.all(Array.from({ length: processes }, (_, i) => new Promise<Report>((resolve, reject) => {
      const child = fork(self, ['--worker', String(server.port), shopId, String(seconds * 1000), `p${i}`], { execArgv: ['--import', 'tsx'] });
      child.once('message', (m) => resolve(m as Report));
      child.once('error', reject);
    })));
    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const routed = reports.reduce((a, r) => a + r.routed, 0);
    const failures = reports.reduce((a, r) => a + r.failures + r.reloads, 0);
    rows.push(`| ${processes} | ${LANES * processes} | ${Math.round(routed / seconds).toLocaleString('en-US')} | ${quantile(latencies, 0.5).toFixed(2)} | ${quantile(latencies, 0.99).toFixed(2)} | ${failures} |`);
  }
  // Baseline: the same loop without Redis, one process.
  const router = new Router({ clock: () => 0 });
  for (const a of AGENTS) router.upsertAgent(a, 0);
  const t0 = performance.now();
  let k = 0;
  while (performance.now() - t0 < 1000) {
    for (let i = 0; i < 1000; i++, k++) {
      router.route({ customerId: `c${k}`, at: 0 });
      router.end(`c${k}`, 0);
    }
  }
  const inProcess = Math.round(k / ((performance.now() - t0) / 1000));
  admin.disconnect();
  await server.stop();
  console.log(`fenliu/redis on loopback, ${seconds} s per row, ${LANES} calls in flight per process, route + end per consultation\n`);
  console.log('| processes | calls in flight | routed consultations/s | route p50 (ms) | route p99 (ms) | failed calls + reloads |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\nBaseline, in-process Router (no Redis, one process): ${inProcess.toLocaleString('en-US')} route + end per second`);
}

await main();
