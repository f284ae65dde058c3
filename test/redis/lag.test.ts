import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRouter, RedisRouterError, RedisShops, shopKeys, type RedisRouterEvent } from '../../src/redis/index.js';
import { hasRedis, skipHint, startRedis, type RedisServer } from './server.js';

let server: RedisServer;
let base: Redis;

/**
 * A connection whose duplicates hold back a command (XREAD unless named) while `hold()` is on: a
 * replica that stops reading (a long pause) while its process still appends, in this process.
 */
function laggingConnection(): { redis: Redis; hold: (command?: string) => void; release: (command?: string) => void } {
  const gates = new Map<string, { held: Promise<void>; open: () => void }>();
  const redis = Object.create(base) as Redis;
  redis.duplicate = () => {
    const copy = base.duplicate();
    const call = copy.call.bind(copy) as (...args: unknown[]) => Promise<unknown>;
    (copy as unknown as { call: (...args: unknown[]) => Promise<unknown> }).call = (...args: unknown[]) => {
      const gate = gates.get(String(args[0]));
      return gate === undefined ? call(...args) : gate.held.then(() => call(...args));
    };
    return copy;
  };
  return {
    redis,
    hold: (command = 'XREAD') => {
      let open: () => void = () => {};
      const held = new Promise<void>((r) => { open = r; });
      gates.set(command, { held, open });
    },
    release: (command = 'XREAD') => {
      gates.get(command)?.open();
      gates.delete(command);
    },
  };
}

/**
 * A leader and a replica of one shop (snapshots every 5 entries, no retention); the replica stops
 * reading once it has appended a route of its own, and the leader appends 30 more routes after it.
 * Returns the replica's pending call (its result or its error) and the gates to hold and let it
 * read again. `openBehind` opens the replica on the lagging connection (a `RedisRouter` of its own
 * by default).
 */
async function replicaLeftBehind(
  shopId: string,
  openBehind: (redis: Redis, onEvent: (e: RedisRouterEvent) => void) => Promise<RedisRouter> = (redis, onEvent) => RedisRouter.open({ redis, shopId, onEvent }),
): Promise<{
  leader: RedisRouter; behind: RedisRouter; events: RedisRouterEvent[]; own: Promise<unknown>; hold: (command?: string) => void; release: (command?: string) => void;
}> {
  const leader = await RedisRouter.open({ redis: base, shopId, snapshotEvery: 5, retainMs: 0 });
  await leader.upsertAgent({ id: 'a', status: 'online' }, 1);
  const lag = laggingConnection();
  const events: RedisRouterEvent[] = [];
  const behind = await openBehind(lag.redis, (e) => events.push(e));
  lag.hold();
  // Its blocked XREAD returns with its own entry; the next one waits at the gate.
  await leader.route({ customerId: 'wake', at: 2 });
  const own = behind.route({ customerId: 'mine', at: 3 }).catch((e: unknown) => e);
  for (let i = 0; i < 30; i++) await leader.route({ customerId: `c${i}`, at: 10 + i });
  return { leader, behind, events, own, hold: lag.hold, release: lag.release };
}

describe.skipIf(!hasRedis)(`a replica that falls behind${skipHint}`, () => {
  beforeAll(async () => {
    server = await startRedis();
    base = server.client();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reloads from the snapshot when the log was trimmed past it; its own call then rejects with DECISION_LOST', async () => {
    const { leader, behind, events, own, release } = await replicaLeftBehind('lag-reload');
    release();
    const error = await own;
    expect(error).toBeInstanceOf(RedisRouterError);
    expect(error).toMatchObject({ code: 'DECISION_LOST' });
    await behind.sync();
    expect(events.some((e) => e.type === 'reloaded')).toBe(true);
    expect(behind.snapshot()).toEqual(leader.snapshot());
    // The call was applied all the same: the customer is with the agent on every replica.
    expect(leader.snapshot().consultations.some((c) => c.customerId === 'mine')).toBe(true);
    await Promise.all([leader.close(), behind.close()]);
  });

  it('a replica a moment behind after a quiet spell applies its own call: the trim at now − retainMs took only entries it had', async () => {
    const shopId = 'lag-quiet';
    const leader = await RedisRouter.open({ redis: base, shopId, snapshotEvery: 3, retainMs: 1000 });
    await leader.upsertAgent({ id: 'a', status: 'online', cap: 10 }, 1);
    const lag = laggingConnection();
    const events: RedisRouterEvent[] = [];
    const behind = await RedisRouter.open({ redis: lag.redis, shopId, snapshotEvery: 3, retainMs: 1000, onEvent: (e) => events.push(e) });
    // Quiet for longer than retainMs: the next trim's cutoff passes every entry so far.
    await new Promise((r) => setTimeout(r, 1300));
    lag.hold();
    const own = behind.route({ customerId: 'mine', at: 2 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    // The third entry: the leader stores the snapshot and trims the log behind `now − 1 s`.
    await leader.route({ customerId: 'other', at: 3 });
    const log = (await base.call('XRANGE', shopKeys('fenliu', shopId).log, '-', '+')) as unknown[];
    expect(log).toHaveLength(2);
    lag.release();
    expect(await own).toMatchObject({ kind: 'agent', agentId: 'a', customerId: 'mine' });
    await behind.sync();
    expect(events.filter((e) => e.type === 'reloaded')).toEqual([]);
    expect(behind.snapshot()).toEqual(leader.snapshot());
    await Promise.all([leader.close(), behind.close()]);
  });

  it('a replica that missed a trim learns of it from a later trim by a process with a longer retention', async () => {
    const shopId = 'lag-two-retentions';
    const keys = shopKeys('fenliu', shopId);
    // The leader trims right behind its snapshots; the other process keeps 10 s of log.
    const leader = await RedisRouter.open({ redis: base, shopId, snapshotEvery: 5, retainMs: 0 });
    await leader.upsertAgent({ id: 'a', status: 'online', cap: 100 }, 1);
    const host = await RedisShops.open({ redis: base, snapshotEvery: 0 });
    const other = await host.shop(shopId);
    const lag = laggingConnection();
    const events: RedisRouterEvent[] = [];
    const behind = await RedisRouter.open({ redis: lag.redis, shopId, snapshotEvery: 0, onEvent: (e) => events.push(e) });
    lag.hold();
    for (let i = 0; i < 12; i++) await leader.route({ customerId: `c${i}`, at: 10 + i });
    const [[, [, trimmed]]] = (await base.xrange(keys.trims, '-', '+')) as [[string, [string, string]]];
    await other.route({ customerId: 'other', at: 30 });
    // Dropped, the shop stores its snapshot and trims at now − 10 s, before the leader's trim point.
    await other.close();
    expect((await base.xrange(keys.trims, '-', '+')).map(([, fields]) => fields[1])).toEqual([trimmed]);
    lag.release();
    await behind.sync();
    await leader.sync();
    expect(events.some((e) => e.type === 'reloaded')).toBe(true);
    expect(behind.snapshot()).toEqual(leader.snapshot());
    await Promise.all([leader.close(), behind.close(), host.close()]);
  });

  it('stops with LOG_UNRECOVERABLE when the log was trimmed and the snapshot is gone', async () => {
    const shopId = 'lag-lost';
    const { leader, behind, events, own, release } = await replicaLeftBehind(shopId);
    // A sync() waiting when the replica stops does not resolve on a state that is not the log's.
    const synced = behind.sync().catch((e: unknown) => e);
    await base.del(shopKeys('fenliu', shopId).snapshot);
    release();
    expect(await own).toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    expect(await synced).toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    const stopped = events.find((e) => e.type === 'error');
    expect(stopped?.type === 'error' && stopped.error.message).toMatch(/cannot catch up/);
    await expect(RedisRouter.open({ redis: base, shopId })).rejects.toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    // Stopped, it appends nothing more: a call would change every other replica and never settle
    // here, and sync() would resolve on a state that is not the log's.
    const log = shopKeys('fenliu', shopId).log;
    const entries = await base.xlen(log);
    await expect(behind.route({ customerId: 'after', at: 100 })).rejects.toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    await expect(behind.sync()).rejects.toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    expect(await base.xlen(log)).toBe(entries);
    await Promise.all([leader.close(), behind.close()]);
  });

  it('stops with LOG_UNRECOVERABLE when the snapshot to reload from is older than the trim', async () => {
    const shopId = 'lag-older-snapshot';
    const keys = shopKeys('fenliu', shopId);
    const { leader, behind, own, release } = await replicaLeftBehind(shopId);
    // The stored snapshot now claims an entry before the trim point (a backup restored, say):
    // reloading from it would skip the entries between.
    const [[, [, minid]]] = (await base.xrange(keys.trims, '-', '+')) as [[string, [string, string]]];
    await base.hset(keys.snapshot, 'id', `${Number(minid.split('-')[0]) - 1}-0`);
    release();
    expect(await own).toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    await Promise.all([leader.close(), behind.close()]);
  });

  it('a process behind the stored snapshot that closes does not move it back, and its own trims never make it reload', async () => {
    const shopId = 'lag-snapshot-back';
    const keys = shopKeys('fenliu', shopId);
    const events: RedisRouterEvent[] = [];
    const leader = await RedisRouter.open({ redis: base, shopId, snapshotEvery: 5, retainMs: 0, onEvent: (e) => events.push(e) });
    await leader.upsertAgent({ id: 'a', status: 'online', cap: 100 }, 1);
    const lag = laggingConnection();
    const host = await RedisShops.open({ redis: lag.redis, closeTimeoutMs: 200 });
    const behind = await host.shop(shopId);
    await behind.route({ customerId: 'b0', at: 2 });
    lag.hold();
    for (let i = 0; i < 12; i++) await leader.route({ customerId: `c${i}`, at: 10 + i });
    await leader.sync();
    const stored = await base.hget(keys.snapshot, 'count');
    // Dropped, the shop behind stores its own state: older than the stored one, which stays.
    await behind.close();
    expect(await base.hget(keys.snapshot, 'count')).toBe(stored);
    lag.release();
    const fresh = await RedisRouter.open({ redis: base, shopId });
    expect(fresh.snapshot()).toEqual(leader.snapshot());
    await Promise.all([leader.close(), fresh.close(), host.close()]);
  });

  it('a process that trims the log at its own position does not take that for a trim past it', async () => {
    const events: RedisRouterEvent[] = [];
    const shop = await RedisRouter.open({ redis: base, shopId: 'lag-own-trim', snapshotEvery: 5, retainMs: 0, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 5; i++) await shop.upsertAgent({ id: `a${i}`, status: 'online' }, 1);
    // The fifth entry is the last: the snapshot is stored there, and the log trimmed at it.
    while (!events.some((e) => e.type === 'snapshot')) await new Promise((r) => setTimeout(r, 10));
    // sync() starts a read that meets the trim record alone, and resolves at once (nothing new to
    // apply): the read is given time to act on the record.
    await shop.sync();
    await new Promise((r) => setTimeout(r, 200));
    expect(events.filter((e) => e.type === 'reloaded')).toEqual([]);
    expect(shop.count).toBe(5);
    await shop.close();
  });

  it('RedisShops opens again a shop whose replica stopped on an unrecoverable log, and it follows the log once a snapshot covers it', async () => {
    const shopId = 'lag-lost-shops';
    let host: RedisShops | undefined;
    const { leader, behind, own, release } = await replicaLeftBehind(shopId, async (redis) => (host = await RedisShops.open({ redis })).shop(shopId));
    await base.del(shopKeys('fenliu', shopId).snapshot);
    release();
    expect(await own).toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    // Opened again, it fails the same way while no snapshot covers the trimmed log…
    await expect(behind.route({ customerId: 'x', at: 100 })).rejects.toMatchObject({ code: 'LOG_UNRECOVERABLE' });
    // …and follows the log once the leader has stored one again.
    for (let i = 0; i < 5; i++) await leader.route({ customerId: `d${i}`, at: 200 + i });
    expect(await behind.route({ customerId: 'back', at: 300 })).toMatchObject({ kind: 'agent', customerId: 'back' });
    await leader.sync();
    expect(behind.snapshot()).toEqual(leader.snapshot());
    await Promise.all([leader.close(), host?.close()]);
  });

  it('a replica closed while it reads the snapshot to reload from changes nothing after close()', async () => {
    const shopId = 'lag-close-reload';
    let host: RedisShops | undefined;
    const { leader, behind, events, own, hold, release } = await replicaLeftBehind(shopId, async (redis, onEvent) => (host = await RedisShops.open({ redis, closeTimeoutMs: 100, onEvent })).shop(shopId));
    // It reads the trim past its position, then waits on the snapshot it would reload from.
    hold('HGETALL');
    release();
    await new Promise((r) => setTimeout(r, 100));
    await behind.close();
    expect(await own).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    const seen = events.length;
    release('HGETALL');
    await new Promise((r) => setTimeout(r, 300));
    expect(events.slice(seen)).toEqual([]);
    await Promise.all([leader.close(), host?.close()]);
  });

  it('a replica closed while a read is held back applies nothing of it after close()', async () => {
    const other = await RedisRouter.open({ redis: base, shopId: 'lag-read-after-close' });
    const lag = laggingConnection();
    const events: RedisRouterEvent[] = [];
    const host = await RedisShops.open({ redis: lag.redis, closeTimeoutMs: 50, onEvent: (e) => events.push(e) });
    const shop = await host.shop('lag-read-after-close');
    await shop.upsertAgent({ id: 'a', status: 'online' }, 1);
    lag.hold();
    // Entries the held read will bring, one of them refused (a 'rejected' event wherever it is applied).
    await other.upsertAgent({ id: 'b', status: 'online', cap: 1 }, 2);
    await expect(other.upsertAgent({ id: 'b', status: 'online', cap: -1 }, 3)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await shop.close();
    const seen = events.length;
    lag.release();
    await new Promise((r) => setTimeout(r, 300));
    expect(events.slice(seen)).toEqual([]);
    await Promise.all([other.close(), host.close()]);
  });

  it('a shop whose sync() waits on a slow read is in use: it is not dropped as idle, and the sync() completes', async () => {
    const other = await RedisRouter.open({ redis: base, shopId: 'lag-busy-sync' });
    const lag = laggingConnection();
    const host = await RedisShops.open({ redis: lag.redis, idleMs: 100 });
    const shop = await host.shop('lag-busy-sync');
    await shop.upsertAgent({ id: 'a', status: 'online' }, 1);
    lag.hold();
    await other.upsertAgent({ id: 'b', status: 'online' }, 2);
    const synced = shop.sync();
    // Six times idleMs.
    await new Promise((r) => setTimeout(r, 600));
    expect(host.size).toBe(1);
    lag.release();
    await synced;
    expect(shop.getAgent('b')).toMatchObject({ id: 'b' });
    await Promise.all([other.close(), host.close()]);
  });

  it('a call inside the snapshot a failover rebuild starts from rejects OUTCOME_UNKNOWN, never NOT_APPLIED', async () => {
    const shopId = 'lag-failover-covered';
    const log = shopKeys('fenliu', shopId).log;
    const lag = laggingConnection();
    const a = await RedisRouter.open({ redis: lag.redis, shopId });
    const host = await RedisShops.open({ redis: base });
    const b = await host.shop(shopId);
    await a.upsertAgent({ id: 'x', status: 'online', cap: 10 }, 1);
    await b.route({ customerId: 'from-b', at: 2 });
    await a.sync();
    lag.hold();
    const mine = a.route({ customerId: 'mine', at: 3 }).catch((e: unknown) => e);
    await expect.poll(async () => base.xlen(log)).toBe(3);
    const entries = (await base.xrange(log, '-', '+')).map(([id]) => id);
    // B applies A's entry and, dropped, stores its snapshot there; then a failover loses the last two entries.
    await b.sync();
    await b.close();
    await base.xdel(log, entries[1] as string, entries[2] as string);
    lag.release();
    await a.sync();
    // Applied (it is in the snapshot), so "nothing happened, safe to retry" would be a lie.
    expect(await mine).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(a.consultation('mine')).toMatchObject({ kind: 'agent' });
    await Promise.all([a.close(), host.close()]);
  });

  it('close() gives up on a call its replica never applies, with OUTCOME_UNKNOWN', async () => {
    const lag = laggingConnection();
    const shop = await RedisRouter.open({ redis: lag.redis, shopId: 'lag-close', closeTimeoutMs: 50 });
    await shop.upsertAgent({ id: 'a', status: 'online' }, 1);
    lag.hold();
    const stuck = shop.route({ customerId: 'c', at: 2 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    const closing = shop.close();
    expect(await stuck).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    // The held XREAD goes out now; the replica, stopped, applies nothing more and close() ends.
    lag.release();
    await closing;
    await expect(shop.sync()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('validates its own options', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ redis: {}, shopId: 's' }, 'redis'],
      [{ redis: base, shopId: '' }, 'shopId'],
      [{ redis: base, shopId: 's', prefix: 'a}' }, 'prefix'],
      // Half of a UTF-16 pair has no UTF-8 form: 'x\ud800' and 'x\udfff' became one key, and every call hung.
      [{ redis: base, shopId: 'x\ud800' }, 'shopId'],
      [{ redis: base, shopId: '\udfffx' }, 'shopId'],
      [{ redis: base, shopId: 's', prefix: 'p\ud83d' }, 'prefix'],
      [{ redis: base, shopId: 's', options: 'weighted' }, 'options'],
      [{ redis: base, shopId: 's', options: { splitMode: 'fair' } }, 'options.splitMode'],
      [{ redis: base, shopId: 's', batchSize: 0 }, 'batchSize'],
      [{ redis: base, shopId: 's', retainMs: 1.5 }, 'retainMs'],
      [{ redis: base, shopId: 's', snapshotEvery: -1 }, 'snapshotEvery'],
      [{ redis: base, shopId: 's', closeTimeoutMs: -1 }, 'closeTimeoutMs'],
      [{ redis: base, shopId: 's', maxEntryBytes: 0 }, 'maxEntryBytes'],
      [{ redis: base, shopId: 's', waitReplicas: 0.5 }, 'waitReplicas'],
      [{ redis: base, shopId: 's', waitTimeoutMs: -1 }, 'waitTimeoutMs'],
      [{ redis: base, shopId: 's', onEvent: 'log' }, 'onEvent'],
    ];
    for (const [options, field] of bad) {
      await expect(RedisRouter.open(options as never)).rejects.toMatchObject({ code: 'INVALID_OPTION', field });
    }
    await expect(RedisRouter.open(null as never)).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'options' });
    // The least of each is accepted.
    const least = await RedisRouter.open({ redis: base, shopId: 'least-options', snapshotEvery: 0, retainMs: 0, batchSize: 1, closeTimeoutMs: 0, maxEntryBytes: 1, waitReplicas: 0, waitTimeoutMs: 0 });
    await least.close();
  });
});
