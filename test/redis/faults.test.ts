import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AgentSpec, Decision, RouterOptions } from '../../src/index.js';
import { RedisRouter, RedisRouterError, RedisShops } from '../../src/redis/index.js';
import { fieldsOf, follow, readLog, replay } from './helpers.js';
import { startWorker, type Worker } from './protocol.js';
import { hasRedis, skipHint, startRedis, type RedisServer } from './server.js';

const options: RouterOptions = { splitMode: 'weighted', noAgent: 'queue' };
const agents: AgentSpec[] = Array.from({ length: 20 }, (_, i) => ({ id: `agent-${i}`, status: 'online', weight: 1 + (i % 4), cap: 2 * (1 + (i % 4)) }));
const ORDER_STATES = ['none', 'unpaid', 'unshipped', 'shipped', 'refunding', 'completed'];

const servers: RedisServer[] = [];
const workers: Worker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) w.child.kill('SIGKILL');
});
afterAll(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function setup(opts: { aof?: boolean } = {}): Promise<{ server: RedisServer; redis: Redis }> {
  const server = await startRedis(opts);
  servers.push(server);
  return { server, redis: server.client() };
}

async function spawn(n: number): Promise<Worker[]> {
  const started = await Promise.all(Array.from({ length: n }, startWorker));
  workers.push(...started);
  return started;
}

/** Counts route and end entries per customer in a log (applied or not). */
function entriesPerCustomer(log: [string, string[]][], op: 'route' | 'end'): Map<string, number> {
  const out = new Map<string, number>();
  for (const [, fields] of log) {
    const f = fieldsOf(fields);
    if (f.get('op') !== op) continue;
    const arg = (JSON.parse(f.get('args') ?? '[]') as unknown[])[0];
    const id = op === 'route' ? (arg as { customerId: string }).customerId : (arg as string);
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

describe.skipIf(!hasRedis)(`faults${skipHint}`, () => {
  it('a worker killed mid-run restarts from snapshot + log and agrees; its calls in flight were applied once or not at all', async () => {
    const { server, redis } = await setup();
    const shopId = 'killed-worker';
    const audit = follow(redis, shopId);
    const admin = await RedisRouter.open({ redis, shopId, options, snapshotEvery: 200, retainMs: 1_000 });
    for (const a of agents) await admin.upsertAgent(a);
    const [w0, w1, w2] = await spawn(3) as [Worker, Worker, Worker];
    for (const w of [w0, w1, w2]) w.send({ cmd: 'open', port: server.port, shopId, snapshotEvery: 200, retainMs: 1_000 });
    await Promise.all([w0, w1, w2].map((w) => w.next('opened')));
    const run = (w: Worker, prefix: string, count: number, seed: number): void =>
      w.send({ cmd: 'run', prefix, count, concurrency: 16, seed, holdMs: 5, replies: false, orderStates: ORDER_STATES });
    run(w0, 'w0', 1500, 1);
    run(w1, 'w1', 1500, 2);
    run(w2, 'w2', 1500, 3);
    const done = [w0.next('done', 60_000), w2.next('done', 60_000)];
    // Kill w1 with its 16 calls in flight, a third of the way through.
    await new Promise<void>((resolve) => w1.on('progress', (m) => { if (m.type === 'progress' && m.done >= 500) resolve(); }));
    w1.child.kill('SIGKILL');
    await new Promise((r) => w1.child.once('exit', r));

    const [restarted] = await spawn(1) as [Worker];
    restarted.send({ cmd: 'open', port: server.port, shopId, snapshotEvery: 200, retainMs: 1_000 });
    const opened = await restarted.next('opened');
    const trimmedAtOpen = (await readLog(redis, shopId))[0]?.[0] ?? '';
    run(restarted, 'w1-again', 500, 4);
    await Promise.all([...done, restarted.next('done', 60_000)]);

    for (const w of [w0, w2, restarted]) w.send({ cmd: 'sync' });
    const synced = await Promise.all([w0, w2, restarted].map((w) => w.next('synced')));
    await admin.sync();
    const log = await audit.stop();
    // The copy holds every entry ever appended (the count survives snapshots), so it can be audited whole.
    expect(log.length).toBe(admin.count);
    expect(opened.count).toBeGreaterThan(0);
    expect(trimmedAtOpen > '0-0').toBe(true); // the restarted worker did not start from an untrimmed log

    const single = replay(log, options);
    const reference = single.snapshot().router;
    for (const s of synced) expect(s.snapshot).toEqual(reference);
    expect(admin.snapshot()).toEqual(reference);
    expect(synced.map((s) => s.events.snapshots).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // The killed worker's customers: each routed at most once and ended at most once.
    const routes = entriesPerCustomer(log, 'route');
    const ends = entriesPerCustomer(log, 'end');
    const killed = [...routes].filter(([c]) => c.startsWith('w1-') && !c.startsWith('w1-again'));
    expect(killed.length).toBeGreaterThanOrEqual(500);
    expect(killed.every(([, n]) => n === 1)).toBe(true);
    expect([...ends].every(([, n]) => n === 1)).toBe(true);
    // What it left open (routed, never ended) is still open on every replica, nowhere twice.
    const leftOpen = killed.filter(([c]) => !ends.has(c)).map(([c]) => c).sort();
    expect(reference.consultations.map((c) => c.customerId).sort()).toEqual(leftOpen);
    await admin.close();
  }, 90_000);

  it('a Redis restart with AOF (appendfsync always) loses no acknowledged decision', async () => {
    const { server, redis } = await setup({ aof: true });
    const shopId = 'aof';
    const clientA = server.client();
    const clientB = server.client();
    const a = await RedisRouter.open({ redis: clientA, shopId, options, snapshotEvery: 0 });
    const b = await RedisRouter.open({ redis: clientB, shopId, snapshotEvery: 0 });
    for (const spec of agents) await a.upsertAgent(spec);
    const acknowledged = new Map<string, Decision>();
    const endedOk = new Set<string>();
    const failed = new Map<string, string>();
    let next = 0;
    let stop = false;
    const lane = async (shop: RedisRouter, prefix: string): Promise<void> => {
      while (!stop) {
        const customerId = `${prefix}-${next++}`;
        try {
          acknowledged.set(customerId, await shop.route({ customerId, orderState: ORDER_STATES[next % 6] as string }));
        } catch (error) {
          failed.set(customerId, (error as RedisRouterError).code ?? (error as Error).message);
          continue;
        }
        try {
          await shop.end(customerId);
          endedOk.add(customerId);
        } catch (error) {
          failed.set(`end:${customerId}`, (error as RedisRouterError).code ?? (error as Error).message);
        }
      }
    };
    const lanes = [...Array.from({ length: 8 }, () => lane(a, 'a')), ...Array.from({ length: 8 }, () => lane(b, 'b'))];
    await new Promise((r) => setTimeout(r, 500));
    const before = acknowledged.size;
    await server.kill();
    await new Promise((r) => setTimeout(r, 300));
    await server.restart();
    // Calls go on being acknowledged once the clients have reconnected, however long that takes.
    const atRestart = acknowledged.size;
    await expect.poll(() => acknowledged.size, { timeout: 30_000, interval: 50 }).toBeGreaterThan(atRestart);
    stop = true;
    await Promise.all(lanes);
    const after = acknowledged.size;
    await a.sync();
    await b.sync();

    const log = await readLog(redis, shopId);
    // Replay the log; a copy ioredis re-sent across the reconnect is skipped as DUPLICATE_ENTRY.
    const routes = new Map<string, number>();
    const ends = new Map<string, number>();
    const decided = new Map<string, Decision>();
    let duplicates = 0;
    const single = replay(log, options, (applied, replica) => {
      if (!applied.ok && applied.error.code === 'DUPLICATE_ENTRY') {
        duplicates++;
        return;
      }
      const f = fieldsOf(log[replica.count - 1]?.[1] ?? []);
      const arg = (JSON.parse(f.get('args') ?? '[]') as unknown[])[0];
      if (applied.op === 'route') routes.set((arg as { customerId: string }).customerId, (routes.get((arg as { customerId: string }).customerId) ?? 0) + 1);
      if (applied.op === 'end') ends.set(arg as string, (ends.get(arg as string) ?? 0) + 1);
      if (applied.ok && applied.op === 'route') decided.set((applied.value as Decision).customerId, applied.value as Decision);
    });
    // Every acknowledged decision is in the log, applied exactly once, and the log decides it the same way.
    for (const [customerId, d] of acknowledged) {
      expect(routes.get(customerId)).toBe(1);
      expect(decided.get(customerId)).toEqual(d);
    }
    for (const customerId of endedOk) expect(ends.get(customerId)).toBe(1);
    expect([...routes.values(), ...ends.values()].every((n) => n === 1)).toBe(true);
    // A call reported NOT_APPLIED is indeed not in the log.
    for (const [key, code] of failed) {
      if (code !== 'NOT_APPLIED') continue;
      if (key.startsWith('end:')) expect(ends.has(key.slice(4))).toBe(false);
      else expect(routes.has(key), `${key} NOT_APPLIED but in the log: ${JSON.stringify(log.filter(([, f]) => f.join(' ').includes(`"${key}"`)))}`).toBe(false);
    }
    expect(a.snapshot()).toEqual(single.snapshot().router);
    expect(b.snapshot()).toEqual(single.snapshot().router);
    console.log(`[redis] AOF restart: ${before} decisions acknowledged before the crash, ${after} in all; ${duplicates} re-sent appends skipped as duplicates; ${failed.size} calls failed across it (${[...new Set(failed.values())].join(', ') || 'none'}); no acknowledged decision lost`);
    await Promise.all([a.close(), b.close()]);
  }, 60_000);

  it('a replica whose log position was trimmed away reloads from the snapshot and agrees', async () => {
    const { server, redis } = await setup();
    const shopId = 'trimmed';
    const admin = await RedisRouter.open({ redis, shopId, options, snapshotEvery: 50, retainMs: 0 });
    for (const spec of agents) await admin.upsertAgent(spec);
    const [active, frozen] = await spawn(2) as [Worker, Worker];
    for (const w of [active, frozen]) w.send({ cmd: 'open', port: server.port, shopId, snapshotEvery: 50, retainMs: 0 });
    await Promise.all([active, frozen].map((w) => w.next('opened')));
    const reloaded = frozen.next('reloaded', 60_000);
    // A stopped process (a long GC pause, a frozen VM) falls far behind while the others trim.
    frozen.child.kill('SIGSTOP');
    active.send({ cmd: 'run', prefix: 'busy', count: 400, concurrency: 8, seed: 9, holdMs: 2, replies: false, orderStates: ORDER_STATES });
    await active.next('done', 60_000);
    frozen.child.kill('SIGCONT');
    const event = await reloaded;
    expect(event.to > event.from).toBe(true);
    for (const w of [active, frozen]) w.send({ cmd: 'sync' });
    const [x, y] = await Promise.all([active, frozen].map((w) => w.next('synced')));
    await admin.sync();
    expect(y?.position).toBe(x?.position);
    expect(y?.snapshot).toEqual(x?.snapshot);
    expect(y?.snapshot).toEqual(admin.snapshot());
    expect(y?.events.reloaded).toBe(1);
    await admin.close();
  }, 60_000);

  it('close() ends with Redis gone, even on a client that retries for ever, for a shop and for a host', async () => {
    // The docs' own client options: a command waits for Redis however long it takes. close() used
    // to await leaving the wake channel and the read under way, which then never ended.
    const { server } = await setup();
    const redis = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: null });
    redis.on('error', () => {});
    const shop = await RedisRouter.open({ redis, shopId: 'gone', closeTimeoutMs: 200 });
    await shop.upsertAgent({ id: 'a', status: 'online' }, 1);
    const host = await RedisShops.open({ redis, closeTimeoutMs: 200 });
    await (await host.shop('gone-too')).upsertAgent({ id: 'a', status: 'online' }, 1);
    await server.kill();
    // A call in flight when Redis went settles as close() gives up on it; a shop the host was
    // still opening is given up on too.
    const inFlight = shop.route({ customerId: 'c', at: 2 }).catch((e: unknown) => e);
    void host.shop('being-opened').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([shop.close(), host.close()]);
    expect(await inFlight).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    redis.disconnect();
  }, 30_000);
});
