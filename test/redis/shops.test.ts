import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutingError, type Decision } from '../../src/index.js';
import { RedisRouter, RedisRouterError, RedisShops, shopKeys, type RedisRouterEvent } from '../../src/redis/index.js';
import { Link } from '../../src/redis/link.js';
import { hasRedis, skipHint, startRedis, type RedisServer } from './server.js';
import { fieldsOf, readLog, replay } from './helpers.js';

let server: RedisServer;
let redis: Redis;

const clients = async (): Promise<number> => ((await redis.call('CLIENT', 'LIST')) as string).trim().split('\n').length;
const keysOf = async (shopId: string): Promise<number> => (await redis.keys(`fenliu:{${shopId}}:*`)).length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasRedis)(`many shops in one process (RedisShops)${skipHint}`, () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = server.client();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads the logs of 100,000 shops asked for in one tick (as a reconnect asks), each read answered with its own streams', async () => {
    const link = new Link(redis, 60_000);
    const written = shopKeys('fenliu', 'read-many-7');
    const id = (await redis.call('XADD', written.log, '*', 'v', '1')) as string;
    const reads = Array.from({ length: 100_000 }, (_, i) => link.read(shopKeys('fenliu', `read-many-${i}`), '0', '0', 10));
    const replies = await Promise.all(reads);
    // Only the shop with an entry gets one; every other read settles with nothing new.
    expect(replies.filter((r) => r !== null)).toEqual([[[written.log, [[id, ['v', '1']]]]]]);
    expect(replies[7]).toEqual([[written.log, [[id, ['v', '1']]]]]);
    await link.close();
  }, 30_000);

  it('answers two reads of one log asked for in one tick each from its own position', async () => {
    const link = new Link(redis, 60_000);
    const keys = shopKeys('fenliu', 'read-twice');
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push((await redis.call('XADD', keys.log, `${i}-0`, 'v', String(i))) as string);
    const [fromStart, fromSecond] = await Promise.all([link.read(keys, '0-0', '0-0', 10), link.read(keys, ids[1] as string, '0-0', 10)]);
    expect(fromStart?.[0]?.[1].map(([id]) => id)).toEqual(ids);
    expect(fromSecond?.[0]?.[1].map(([id]) => id)).toEqual(ids.slice(2));
    await link.close();
  });

  it('reopens a shop used while its dropped replica still closes only after it: every call gets the decision of the log', async () => {
    const options = { splitMode: 'weighted' as const };
    // Small reads make a reopening's catch-up many reads, which met the closing replica's.
    const one = await RedisShops.open({ redis, options, batchSize: 10 });
    const two = await RedisShops.open({ redis, options });
    const shopId = 'reopen-while-closing';
    const other = await two.shop(shopId);
    for (let i = 0; i < 5; i++) await other.upsertAgent({ id: `a${i}`, status: 'online', weight: i + 1, cap: 1_000 }, 1);
    const got = new Map<string, Decision>();
    let n = 0;
    let t = 100;
    const routeOn = (shop: RedisRouter): Promise<unknown> => {
      const customerId = `c${n++}`;
      return shop.route({ customerId, at: t++ }).then((d) => got.set(customerId, d));
    };
    for (let round = 0; round < 15; round++) {
      const shop = await one.shop(shopId);
      const calls = [...Array.from({ length: 20 }, () => routeOn(shop)), ...Array.from({ length: 20 }, () => routeOn(other))];
      const closing = shop.close();
      // Used again at once: the handle reopens the shop.
      calls.push(...Array.from({ length: 20 }, () => routeOn(shop)));
      await Promise.all([...calls, closing]);
    }
    const [a, b] = [await one.shop(shopId), await two.shop(shopId)];
    await Promise.all([a.sync(), b.sync()]);
    const decided = new Map<string, unknown>();
    const log = await readLog(redis, shopId);
    const reference = replay(log, options, (applied) => {
      if (applied.ok && applied.op === 'route') decided.set((applied.value as Decision).customerId, applied.value);
    });
    expect(got.size).toBe(15 * 60);
    for (const [customerId, decision] of got) expect(decision).toEqual(decided.get(customerId));
    expect(a.snapshot()).toEqual(reference.snapshot().router);
    expect(b.snapshot()).toEqual(reference.snapshot().router);
    await Promise.all([one.close(), two.close()]);
  });

  it('serves 300 shops on two connections, each shop its own state, equal to a second host serving the same shops', async () => {
    const before = await clients();
    const one = await RedisShops.open({ redis, options: (shopId) => ({ splitMode: shopId.endsWith('0') ? 'weighted' : 'average' }) });
    const two = await RedisShops.open({ redis, options: (shopId) => ({ splitMode: shopId.endsWith('0') ? 'weighted' : 'average' }) });
    const ids = Array.from({ length: 300 }, (_, i) => `many-${i}`);
    const decisions = await Promise.all(ids.map(async (id, i) => {
      const shop = await one.shop(id);
      await shop.upsertAgent({ id: `agent-of-${id}`, status: 'online', cap: 1 }, 1);
      const first = await (await two.shop(id)).route({ customerId: 'same-buyer', at: 2 + i });
      const second = await shop.route({ customerId: 'another', at: 3 + i });
      return [first, second] as const;
    }));
    // Each shop has its own agent and cap: the buyer gets it, the next one is queued, in every shop.
    decisions.forEach(([first, second], i) => {
      expect(first).toMatchObject({ kind: 'agent', agentId: `agent-of-many-${i}` });
      expect(second.kind).not.toBe('agent');
    });
    expect(await clients()).toBe(before + 4);
    expect(one.size).toBe(300);
    for (const id of ids.slice(0, 20)) {
      const [a, b] = [await one.shop(id), await two.shop(id)];
      await Promise.all([a.sync(), b.sync()]);
      expect(a.snapshot()).toEqual(b.snapshot());
      expect(a.snapshot()).toEqual(replay(await readLog(redis, id), { splitMode: id.endsWith('0') ? 'weighted' : 'average' }).snapshot().router);
    }
    expect((await one.shop('many-10')).snapshot().options.splitMode).toBe('weighted');
    await Promise.all([one.close(), two.close()]);
    expect(await clients()).toBe(before);
    await expect(one.shop('many-1')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('refuses an unknown or malformed shop id with a coded error, before anything is written', async () => {
    const known = new Set(['shop-a']);
    const host = await RedisShops.open({ redis, options: (shopId) => (known.has(shopId) ? {} : undefined) });
    const unknown = await host.shop('shop-b').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(RedisRouterError);
    expect(unknown).toMatchObject({ code: 'UNKNOWN_SHOP' });
    expect(await keysOf('shop-b')).toBe(0);
    // 200 characters pass the id's check and meet the shop list's.
    expect(await host.shop('x'.repeat(200)).catch((e: unknown) => e)).toMatchObject({ code: 'UNKNOWN_SHOP' });
    for (const bad of ['', 'a{b}', 'a}', 'tab\there', 'del\u007f', 'x'.repeat(201), 'x\ud800', 7, undefined]) {
      const error = await host.shop(bad as string).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RoutingError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'shopId' });
    }
    expect(await redis.keys('fenliu:{a*')).toEqual([]);
    expect(host.size).toBe(0);
    await (await host.shop('shop-a')).upsertAgent({ id: 'x', status: 'online' }, 1);
    expect(await keysOf('shop-a')).toBeGreaterThan(0);
    await host.close();
    await expect(RedisShops.open({ redis, idleMs: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'idleMs' });
    await expect(RedisShops.open({ redis, prefix: 'a}' })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'prefix' });
    await expect(RedisShops.open({ redis, options: { splitMode: 'fair' as never } })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'options.splitMode' });
    await expect(RedisShops.open({ redis: {} as never })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'redis' });
    await expect(RedisShops.open(null as never)).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'options' });
  });

  it('drops an idle shop from memory after storing a snapshot, and reopens it from snapshot + log when used again', async () => {
    const events: [string, RedisRouterEvent['type']][] = [];
    const host = await RedisShops.open({ redis, idleMs: 150, onEvent: (e, shopId) => events.push([shopId, e.type]) });
    const other = await RedisShops.open({ redis, idleMs: 60_000 });
    const shop = await host.shop('idle-1');
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 5 }, 1);
    for (let i = 0; i < 3; i++) await shop.route({ customerId: `c${i}`, at: 2 + i });
    const before = shop.snapshot();
    await expect.poll(() => host.size, { timeout: 5_000 }).toBe(0);
    expect(events).toContainEqual(['idle-1', 'snapshot']);
    // A read on the dropped shop says so; a call reopens it.
    expect(() => shop.agents()).toThrow(RedisRouterError);
    // Meanwhile another process moves the shop on.
    await (await other.shop('idle-1')).end('c0', 10);
    expect(await shop.route({ customerId: 'c9', at: 11 })).toMatchObject({ kind: 'agent', agentId: 'a' });
    expect(host.size).toBe(1);
    const again = await host.shop('idle-1');
    expect(again.getAgent('a')).toMatchObject({ active: 3 });
    expect(before.consultations).toHaveLength(3);
    await (await other.shop('idle-1')).sync();
    expect((await other.shop('idle-1')).snapshot()).toEqual(again.snapshot());
    // close() on a handle drops the shop now; the host stays usable.
    await again.close();
    expect(host.size).toBe(0);
    expect((await host.shop('idle-1')).count).toBe(again.count);
    await Promise.all([host.close(), other.close()]);
  });

  it('keeps a shop read or called more often than idleMs', async () => {
    const events: [string, RedisRouterEvent['type']][] = [];
    const host = await RedisShops.open({ redis, idleMs: 150, onEvent: (e, shopId) => events.push([shopId, e.type]) });
    const read = await host.shop('in-use-read');
    const called = await host.shop('in-use-call');
    await read.upsertAgent({ id: 'a', status: 'online' }, 1);
    await called.upsertAgent({ id: 'a', status: 'online', cap: 100 }, 1);
    // Four times idleMs, each used every 50 ms: one by reads only, the other by calls only.
    for (let i = 0; i < 12; i++) {
      await sleep(50);
      expect(read.agents()).toHaveLength(1);
      await called.route({ customerId: `c${i}`, at: 2 + i });
    }
    expect(host.size).toBe(2);
    // Dropping a shop stores its snapshot: none was stored.
    expect(events.filter(([, type]) => type === 'snapshot')).toEqual([]);
    await host.close();
  });

  it('refuses a call whose arguments exceed maxEntryBytes before appending it (a 5 MiB consultation)', async () => {
    const host = await RedisShops.open({ redis });
    const shop = await host.shop('big');
    await shop.upsertAgent({ id: 'a', status: 'online' }, 1);
    // Unknown keys are refused before the size is measured, so the bulk rides in a known field.
    const huge = { customerId: 'x'.repeat(5 * 1024 * 1024), at: 2 };
    const error = await shop.route(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'arguments' });
    expect((error as Error).message).toMatch(/at most 65536 bytes.*got 5242\d{3}/);
    // Multi-byte characters count as bytes, not as characters.
    const wide = await shop.route({ customerId: '分'.repeat(30_000), at: 2 }).catch((e: unknown) => e);
    expect(wide).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'arguments' });
    expect((await readLog(redis, 'big')).length).toBe(1);
    expect(await shop.route({ customerId: 'small', at: 3 })).toMatchObject({ kind: 'agent' });
    await host.close();
    // At most maxEntryBytes: the arguments' JSON without the time, [{"id":"…"}], is 11 bytes plus the id.
    const single = await RedisRouter.open({ redis, shopId: 'big-2', maxEntryBytes: 100 });
    await expect(single.upsertAgent({ id: 'y'.repeat(90) }, 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'arguments' });
    await single.upsertAgent({ id: 'y'.repeat(89) }, 1);
    expect(single.count).toBe(1);
    await single.close();
  });

  it('does not let a hand-written entry that reuses a live request id swallow the next call: it rejects NOT_APPLIED', async () => {
    const host = await RedisShops.open({ redis });
    const watcher = await RedisShops.open({ redis });
    const shop = await host.shop('forged');
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 5 }, 1);
    const [, fields] = (await readLog(redis, 'forged'))[0] as [string, string[]];
    const rid = fieldsOf(fields).get('rid') as string;
    const client = rid.slice(0, rid.lastIndexOf(':'));
    // Written by hand with the request id this process will use next, and another customer.
    await redis.call('XADD', shopKeys('fenliu', 'forged').log, '*', 'v', '1', 'op', 'route', 'rid', `${client}:2`, 'at', '2', 'args', '[{"customerId":"forger"}]');
    const error = await shop.route({ customerId: 'real', at: 3 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_APPLIED' });
    expect((error as Error).message).toMatch(/written by hand had already taken its request id/);
    // Nothing of the refused call happened; a retry goes through.
    expect(shop.getAgent('a')).toMatchObject({ active: 1 });
    expect(await shop.route({ customerId: 'real', at: 4 })).toMatchObject({ kind: 'agent', agentId: 'a' });
    // And a forged entry that lands while the call is in flight does not settle it.
    const inFlight = shop.route({ customerId: 'second', at: 5 });
    await redis.call('XADD', shopKeys('fenliu', 'forged').log, '*', 'v', '1', 'op', 'end', 'rid', `${client}:4`, 'at', '5', 'args', '["forger"]');
    const late = await inFlight.then((d: Decision) => d, (e: unknown) => e);
    expect(late).toSatisfy((r: unknown) => (r as Decision).kind === 'agent' || (r as RedisRouterError).code === 'NOT_APPLIED');
    const [a, b] = [shop, await watcher.shop('forged')];
    await Promise.all([a.sync(), b.sync()]);
    expect(a.snapshot()).toEqual(b.snapshot());
    expect(a.snapshot()).toEqual(replay(await readLog(redis, 'forged'), {}).snapshot().router);
    await Promise.all([host.close(), watcher.close()]);
  });

  it('rebuilds a replica whose applied entries the log no longer holds (as after a failover): at sync(), or at the next entry', async () => {
    const events: RedisRouterEvent[] = [];
    const host = await RedisShops.open({ redis });
    const other = await RedisShops.open({ redis, onEvent: (e) => events.push(e) });
    const shop = await host.shop('lost');
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 5 }, 1);
    await shop.route({ customerId: 'kept', at: 2 });
    await shop.route({ customerId: 'gone-1', at: 3 });
    await shop.route({ customerId: 'gone-2', at: 4 });
    const watcher = await other.shop('lost');
    await watcher.sync();
    expect(watcher.getAgent('a')).toMatchObject({ active: 3 });
    // A failover to a Redis replica that had received only the first two entries.
    const log = await readLog(redis, 'lost');
    await redis.call('XDEL', shopKeys('fenliu', 'lost').log, (log[2] as [string, string[]])[0], (log[3] as [string, string[]])[0]);
    await shop.sync(); // the log ends before this replica
    expect(shop.getAgent('a')).toMatchObject({ active: 1 });
    expect(shop.snapshot()).toEqual(replay(await readLog(redis, 'lost'), {}).snapshot().router);
    // The watcher learns it from the next entry, whose predecessor is behind its position.
    expect(await shop.route({ customerId: 'after', at: 5 })).toMatchObject({ kind: 'agent', agentId: 'a' });
    await watcher.sync();
    expect(events.filter((e) => e.type === 'reloaded')).toHaveLength(1);
    expect(watcher.snapshot()).toEqual(shop.snapshot());
    expect(watcher.getAgent('a')).toMatchObject({ active: 2 });
    await Promise.all([host.close(), other.close()]);
  });

  it('close() waits for a shop already being dropped: its calls in flight settle with their decisions', async () => {
    const host = await RedisShops.open({ redis, closeTimeoutMs: 2_000 });
    const shop = await host.shop('dropped-then-closed');
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 10 }, 1);
    const calls = [1, 2, 3].map((i) => shop.route({ customerId: `c${i}`, at: 2 }));
    const dropped = shop.close();
    await host.close();
    await dropped;
    for (const decision of await Promise.all(calls)) expect(decision).toMatchObject({ kind: 'agent', agentId: 'a' });
  });

  it('a shop dropped while it opens, then used again, hears the other processes\' entries', async () => {
    let lookups = 0;
    // The settings come from a database whose second lookup is slow.
    const one = await RedisShops.open({ redis, options: async () => {
      lookups += 1;
      if (lookups === 2) await sleep(200);
      return {};
    } });
    const two = await RedisShops.open({ redis, options: {} });
    const handle = await one.shop('dropped-while-opening');
    await handle.close();
    const first = handle.sync().then(() => 'synced', (e: unknown) => (e as RedisRouterError).code); // reopens, slowly
    await handle.close(); // dropped again while it opens
    await handle.sync(); // reopens
    expect(await first).toBe('CLOSED');
    await (await two.shop('dropped-while-opening')).upsertAgent({ id: 'from-two', status: 'online' }, 1);
    const mine = await one.shop('dropped-while-opening');
    await expect.poll(() => mine.getAgent('from-two') !== undefined, { timeout: 3_000 }).toBe(true);
    await Promise.all([one.close(), two.close()]);
  });

  it('with waitReplicas and no replica to acknowledge, a call rejects NOT_REPLICATED (applied on the master only)', async () => {
    const host = await RedisShops.open({ redis, waitReplicas: 1, waitTimeoutMs: 20 });
    const shop = await host.shop('unreplicated');
    const error = await shop.upsertAgent({ id: 'a', status: 'online' }, 1).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_REPLICATED' });
    expect((error as Error).message).toMatch(/got 0/);
    expect(shop.getAgent('a')).toMatchObject({ status: 'online' });
    await host.close();
    // A WAIT that fails (here: the command is not there) is no acknowledgement either.
    const noWait = await startRedis({ args: ['--rename-command', 'WAIT', 'WAIT_RENAMED'] });
    try {
      const single = await RedisRouter.open({ redis: noWait.client(), shopId: 'unreplicated', waitReplicas: 1, waitTimeoutMs: 20 });
      await expect(single.upsertAgent({ id: 'a', status: 'online' }, 1)).rejects.toMatchObject({ code: 'NOT_REPLICATED' });
      await single.close();
    } finally {
      await noWait.stop();
    }
  });

  it('with waitReplicas, a call whose append lost its reply and is found in the log later rejects NOT_REPLICATED, never resolves', async () => {
    // The client gives up on a command after 100 ms; writes are paused for 400 ms, so the append
    // and its WAIT time out here and run on Redis afterwards.
    const impatient = new Redis(server.port, '127.0.0.1', { commandTimeout: 100 });
    impatient.on('error', () => {});
    const host = await RedisShops.open({ redis: impatient, waitReplicas: 1, waitTimeoutMs: 20 });
    const shop = await host.shop('reply-lost');
    await redis.call('CLIENT', 'PAUSE', 400, 'WRITE');
    const error = await shop.route({ customerId: 'c', at: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_REPLICATED' });
    expect((error as Error).message).toMatch(/reply was lost/);
    expect(error).toMatchObject({ entryId: expect.stringMatching(/^\d+-\d+$/) });
    // It was applied: the consultation is in the shop.
    expect(shop.consultation('c')).toMatchObject({ customerId: 'c' });
    await host.close();
    impatient.disconnect();
  });
});
