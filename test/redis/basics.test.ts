import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router, RoutingError, type Decision } from '../../src/index.js';
import { RedisRouter, RedisRouterError, shopKeys, type RedisRouterEvent } from '../../src/redis/index.js';
import { hasRedis, skipHint, startRedis, type RedisServer } from './server.js';
import { readLog, replay } from './helpers.js';

let server: RedisServer;
let redis: Redis;
let shops = 0;
const nextShop = (): string => `basics-${++shops}`;

describe.skipIf(!hasRedis)(`RedisRouter against a real redis-server${skipHint}`, () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = server.client();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('makes the same decisions as an in-process Router fed the same calls', async () => {
    const options = { splitMode: 'weighted' as const, groups: [{ id: 'after-sale', orderStates: ['refunding'] }] };
    const shop = await RedisRouter.open({ redis, shopId: nextShop(), options });
    const local = new Router({ ...options, clock: () => 0 });
    const both = async <T>(remote: Promise<T>, plain: () => T): Promise<void> => {
      expect(await remote).toEqual(plain());
    };
    let t = 1_000;
    await both(shop.upsertAgent({ id: 'a', status: 'online', weight: 2, cap: 2 }, t), () => local.upsertAgent({ id: 'a', status: 'online', weight: 2, cap: 2 }, t));
    await both(shop.upsertAgent({ id: 'b', status: 'online', cap: Infinity, groups: ['after-sale'] }, t), () => local.upsertAgent({ id: 'b', status: 'online', cap: Infinity, groups: ['after-sale'] }, t));
    for (let i = 0; i < 12; i++) {
      t += 10;
      const c = { customerId: `c${i}`, orderState: i % 3 === 0 ? 'refunding' : 'none', at: t };
      await both(shop.route(c), () => local.route(c));
      if (i % 2 === 1) await both(shop.end(`c${i - 1}`, t + 1), () => local.end(`c${i - 1}`, t + 1));
      await both(shop.setPending('a', i % 5), () => local.setPending('a', i % 5));
    }
    await both(shop.reroute('c11', { reason: 'declined', at: t + 5 }), () => local.reroute('c11', { reason: 'declined', at: t + 5 }));
    await both(shop.setStatus('b', 'offline', t + 6), () => local.setStatus('b', 'offline', t + 6));
    await both(shop.removeAgent('a', t + 7), () => local.removeAgent('a', t + 7));
    expect(shop.agents()).toEqual(local.agents());
    expect(shop.queue()).toEqual(local.queue());
    expect(shop.getAgent('b')).toEqual(local.getAgent('b'));
    expect(shop.snapshot()).toEqual({ ...local.snapshot() });
    await shop.close();
  });

  it('escalates from the robot like the Router', async () => {
    const options = { receptionMode: 'robot-first' as const, robot: true };
    const shop = await RedisRouter.open({ redis, shopId: nextShop(), options });
    await shop.upsertAgent({ id: 'a', status: 'online' }, 1);
    expect(await shop.route({ customerId: 'c', at: 2 })).toMatchObject({ kind: 'robot', reason: 'robot-first' });
    expect(await shop.escalate('c', 3)).toMatchObject({ kind: 'agent', agentId: 'a' });
    await shop.close();
  });

  it('holds, resumes, costs, wrap-ups and business hours through the log like the Router', async () => {
    const options = { wrapUpMs: 5_000, inactiveAfterMs: 60_000, businessHours: { timeZone: 'UTC', weekly: { thu: ['00:00-00:10', '00:20-24:00'] } } };
    const shop = await RedisRouter.open({ redis, shopId: nextShop(), options });
    const local = new Router({ ...options, clock: () => 0 });
    const both = async <T>(remote: Promise<T>, plain: () => T): Promise<void> => {
      expect(await remote).toEqual(plain());
    };
    await both(shop.upsertAgent({ id: 'a', status: 'online', cap: 3 }, 1), () => local.upsertAgent({ id: 'a', status: 'online', cap: 3 }, 1));
    for (const c of [{ customerId: 'video', cost: 2, at: 2 }, { customerId: 'chat', at: 3 }, { customerId: 'waits', at: 4 }]) await both(shop.route(c), () => local.route(c));
    await both(shop.hold('video', 5), () => local.hold('video', 5));
    await both(shop.resume('video', 6), () => local.resume('video', 6));
    await both(shop.end('chat', 7), () => local.end('chat', 7));
    await both(shop.advance(120_000), () => local.advance(120_000));
    // 00:12 UTC on a Thursday: closed.
    await both(shop.route({ customerId: 'night', at: 12 * 60_000 }), () => local.route({ customerId: 'night', at: 12 * 60_000 }));
    expect(shop.snapshot()).toEqual({ ...local.snapshot() });
    expect(shop.nextDeadline()).toBe(local.nextDeadline());
    await shop.close();
  });

  it('routes by reception scope and escalates with an intent like the Router', async () => {
    const options = {
      receptionMode: 'robot-first' as const, robot: true,
      groups: [{ id: 'shoes', products: ['boots'] }, { id: 'refunds', intents: ['refund'] }, { id: 'all' }],
    };
    const shop = await RedisRouter.open({ redis, shopId: nextShop(), options });
    const local = new Router({ ...options, clock: () => 0 });
    for (const [id, group] of [['s', 'shoes'], ['r', 'refunds'], ['g', 'all']]) {
      const spec = { id: id as string, status: 'online' as const, groups: [group as string] };
      expect(await shop.upsertAgent(spec, 1)).toEqual(local.upsertAgent(spec, 1));
    }
    for (const c of [{ customerId: 'c1', product: 'boots', at: 2 }, { customerId: 'c2', segment: 'vip', at: 3 }]) {
      expect(await shop.route(c)).toEqual(local.route(c));
    }
    expect(await shop.escalate('c1', { at: 4 })).toEqual(local.escalate('c1', { at: 4 }));
    const viaRedis = await shop.escalate('c2', { intent: 'refund', at: 5 });
    expect(viaRedis).toMatchObject({ kind: 'agent', agentId: 'r', groupId: 'refunds' });
    expect(viaRedis).toEqual(local.escalate('c2', { intent: 'refund', at: 5 }));
    expect(shop.snapshot()).toEqual({ ...local.snapshot() });
    await shop.close();
  });

  it('rejects a call the Router refuses with the same RoutingError, changing nothing', async () => {
    const shop = await RedisRouter.open({ redis, shopId: nextShop() });
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 1 }, 10);
    const before = shop.snapshot();
    const cases: [() => Promise<unknown>, string][] = [
      [() => shop.end('nobody', 11), 'UNKNOWN_CUSTOMER'],
      [() => shop.upsertAgent({ id: 'a', weight: -1 }, 11), 'INVALID_ARGUMENT'],
      [() => shop.upsertAgent({ id: 'a', cap: NaN }, 11), 'INVALID_ARGUMENT'],
      [() => shop.route({ customerId: 'c', orderState: 'lost' }), 'UNKNOWN_ORDER_STATE'],
      [() => shop.setStatus('ghost', 'online'), 'UNKNOWN_AGENT'],
      [() => shop.setPending('a', 1.5), 'INVALID_ARGUMENT'],
      [() => shop.route({ customerId: 'c', at: Number.NaN }), 'INVALID_ARGUMENT'],
    ];
    for (const [call, code] of cases) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(RoutingError);
      expect((error as RoutingError).code).toBe(code);
    }
    expect(shop.snapshot()).toEqual(before);
    // The NaN cap reached the Router as NaN (tagged in JSON), so its message is the Router's own.
    const plain = new Router({ clock: () => 0 });
    plain.upsertAgent({ id: 'a' });
    const nan = await shop.upsertAgent({ id: 'a', cap: NaN }, 12).catch((e: Error) => e.message);
    expect(nan).toBe((() => { try { plain.upsertAgent({ id: 'a', cap: NaN }); return ''; } catch (e) { return (e as Error).message; } })());
    await shop.close();
  });

  it('names a missing argument as the Router does, before anything is appended', async () => {
    const shopId = nextShop();
    const shop = await RedisRouter.open({ redis, shopId });
    await shop.upsertAgent({ id: 'a', status: 'online' }, 10);
    const plain = new Router({ clock: () => 0 });
    plain.upsertAgent({ id: 'a', status: 'online' }, 10);
    plain.route({ customerId: 'open', at: 10 });
    await shop.route({ customerId: 'open', at: 10 });
    const entries = await redis.xlen(shopKeys('fenliu', shopId).log);
    const calls: [(r: Router | RedisRouter) => unknown, string][] = [
      [(r) => (r.end as () => unknown)(), 'customerId'],
      [(r) => (r.setPending as (id: string) => unknown)('a'), 'pending'],
      [(r) => (r.setStatus as (id: string) => unknown)('a'), 'status'],
      [(r) => (r.removeAgent as () => unknown)(), 'agentId'],
      [(r) => (r.route as unknown as (c: undefined) => unknown)(undefined), 'consultation'],
      [(r) => (r.reroute as (id: string) => unknown)('open'), 'request'],
    ];
    for (const [call, field] of calls) {
      const local = (() => { try { call(plain); return undefined; } catch (e) { return e; } })();
      expect(local).toMatchObject({ code: 'INVALID_ARGUMENT', field });
      await expect(Promise.resolve().then(() => call(shop))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field });
    }
    expect(await redis.xlen(shopKeys('fenliu', shopId).log)).toBe(entries);
    await shop.close();
  });

  it('applies a late `at` at the shop\'s latest time instead of failing (time never goes backwards in the log)', async () => {
    const shop = await RedisRouter.open({ redis, shopId: nextShop() });
    await shop.upsertAgent({ id: 'a', status: 'online' }, 5_000);
    const d = await shop.route({ customerId: 'late', at: 1_000 });
    expect(d).toMatchObject({ kind: 'agent', at: 5_000 });
    expect((await shop.end('late', 4_000))).toEqual([]);
    expect(shop.snapshot().now).toBe(5_000);
    await shop.close();
    // escalate's time given as a number is the same: applied at the shop's time.
    const robot = await RedisRouter.open({ redis, shopId: nextShop(), options: { receptionMode: 'robot-first', robot: true } });
    await robot.upsertAgent({ id: 'a', status: 'online' }, 1);
    await robot.route({ customerId: 'c', at: 100 });
    expect(await robot.escalate('c', 50)).toMatchObject({ kind: 'agent', agentId: 'a', at: 100 });
    await robot.close();
  });

  it('a replica whose listening connection dropped reads what was appended meanwhile, with no call of its own', async () => {
    const shopId = nextShop();
    const a = await RedisRouter.open({ redis, shopId });
    const b = await RedisRouter.open({ redis, shopId });
    await a.upsertAgent({ id: 'first', status: 'online' }, 1);
    await b.sync();
    await redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await a.upsertAgent({ id: 'while-away', status: 'online' }, 2);
    await expect.poll(() => b.getAgent('while-away'), { timeout: 3_000 }).toMatchObject({ id: 'while-away' });
    await Promise.all([a.close(), b.close()]);
  });

  it('leaves no connection open after close(), or after an open it refused', async () => {
    const clients = async (): Promise<number> => ((await redis.call('CLIENT', 'LIST')) as string).trim().split('\n').length;
    const before = await clients();
    const shopId = nextShop();
    const first = await RedisRouter.open({ redis, shopId, options: { splitMode: 'weighted' } });
    expect(await clients()).toBeGreaterThan(before);
    await first.close();
    await expect.poll(clients).toBe(before);
    await expect(RedisRouter.open({ redis, shopId, options: { splitMode: 'average' } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect.poll(clients).toBe(before);
  });

  it('keeps two shops on one Redis apart: agents, customers and logs', async () => {
    const [s1, s2] = [nextShop(), nextShop()];
    const one = await RedisRouter.open({ redis, shopId: s1 });
    const two = await RedisRouter.open({ redis, shopId: s2 });
    await one.upsertAgent({ id: 'shared-name', status: 'online', cap: 1 }, 1);
    await two.upsertAgent({ id: 'only-two', status: 'online' }, 1);
    // The same customer id is open in both shops at once, and each shop's cap is its own.
    expect(await one.route({ customerId: 'buyer', at: 2 })).toMatchObject({ kind: 'agent', agentId: 'shared-name' });
    expect(await two.route({ customerId: 'buyer', at: 2 })).toMatchObject({ kind: 'agent', agentId: 'only-two' });
    expect(await one.route({ customerId: 'buyer-2', at: 3 })).toMatchObject({ kind: 'queued' });
    await expect(two.setStatus('shared-name', 'offline')).rejects.toMatchObject({ code: 'UNKNOWN_AGENT' });
    expect(one.agents().map((a) => a.id)).toEqual(['shared-name']);
    expect(two.agents().map((a) => a.id)).toEqual(['only-two']);
    expect((await readLog(redis, s1)).length).toBe(3);
    expect((await readLog(redis, s2)).length).toBe(3);
    expect(shopKeys('fenliu', s1).log).toBe(`fenliu:{${s1}}:log`);
    await Promise.all([one.close(), two.close()]);
  });

  it('skips a malformed hand-written entry identically on every replica, with a clear error', async () => {
    const shopId = nextShop();
    const events: [RedisRouterEvent[], RedisRouterEvent[]] = [[], []];
    const a = await RedisRouter.open({ redis, shopId, onEvent: (e) => events[0].push(e) });
    const b = await RedisRouter.open({ redis, shopId, onEvent: (e) => events[1].push(e) });
    await a.upsertAgent({ id: 'x', status: 'online', cap: 3 }, 1);
    const log = shopKeys('fenliu', shopId).log;
    const bad = [
      ['op', 'route', 'args', '[{"customerId":"c1"}]'], // no format version
      ['v', '1', 'op', 'steal', 'at', '2', 'args', '[]'],
      ['v', '1', 'op', 'route', 'at', 'yesterday', 'args', '[{"customerId":"c1"}]'],
      ['v', '1', 'op', 'route', 'at', '2', 'args', '{"customerId":'],
      ['v', '1', 'op', 'route', 'at', '2', 'args', '[{"customerId":"c1"}, 3]'],
      ['v', '1', 'op', 'upsertAgent', 'at', '2', 'args', '[{"id":"x","cap":-1}]'], // well-formed, refused by the Router
    ];
    for (const fields of bad) await redis.call('XADD', log, '*', ...fields);
    // A correct hand-written entry is applied like any other.
    await redis.call('XADD', log, '*', 'v', '1', 'op', 'route', 'at', '3', 'args', '[{"customerId":"by-hand"}]');
    await a.sync();
    await b.sync();
    const rejected = (list: RedisRouterEvent[]): string[] => list.flatMap((e) => (e.type === 'rejected' ? [`${e.entryId} ${e.error.name} ${(e.error as { code: string }).code}: ${e.error.message}`] : []));
    expect(rejected(events[0])).toHaveLength(6);
    expect(rejected(events[0])).toEqual(rejected(events[1]));
    const messages = rejected(events[0]).join('\n');
    expect(messages).toContain('RedisRouterError MALFORMED_ENTRY: Expected log entry');
    expect(messages).toContain('field `v` = "1"');
    expect(messages).toContain('field `op` one of upsertAgent, setStatus');
    expect(messages).toContain('field `at` a finite number of milliseconds, got "yesterday" (string)');
    expect(messages).toContain('field `args` valid JSON');
    expect(messages).toContain('field `args` a JSON array of 1 for route, got an array of 2');
    expect(messages).toContain('RoutingError INVALID_ARGUMENT: Expected `spec.cap` to be an integer >= 0, got -1 (number)');
    expect(a.snapshot()).toEqual(b.snapshot());
    expect(a.getAgent('x')).toMatchObject({ cap: 3, active: 1 });
    // The whole log replayed through one replica agrees too.
    const single = replay(await readLog(redis, shopId), {});
    expect(single.snapshot().router).toEqual(a.snapshot());
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses to open a shop with settings other than the stored ones, and adopts them when none are given', async () => {
    const shopId = nextShop();
    const first = await RedisRouter.open({ redis, shopId, options: { splitMode: 'weighted', busyThreshold: 2 } });
    await expect(RedisRouter.open({ redis, shopId, options: { splitMode: 'average' } })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'options' });
    const second = await RedisRouter.open({ redis, shopId });
    expect(second.snapshot().options).toMatchObject({ splitMode: 'weighted', busyThreshold: 2 });
    await expect(RedisRouter.open({ redis, shopId: 'a{b}' })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'shopId' });
    await expect(RedisRouter.open({ redis, shopId, snapshotEvery: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'snapshotEvery' });
    await Promise.all([first.close(), second.close()]);
  });

  it('refuses before the append the arguments JSON would change, which a plain Router refuses too', async () => {
    const shopId = nextShop();
    const shop = await RedisRouter.open({ redis, shopId });
    const local = new Router();
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 5 }, 1);
    local.upsertAgent({ id: 'a', status: 'online', cap: 5 }, 1);
    // A missing argument is named as the Router names it; a value JSON would change, `arguments`.
    const calls: [string, (r: Router | RedisRouter) => unknown, string][] = [
      ['a function priority', (r) => r.route({ customerId: 'c1', priority: (() => 1) as never, at: 2 }), 'arguments'],
      ['a function cap', (r) => r.upsertAgent({ id: 'b', status: 'online', cap: (() => 3) as never }, 2), 'arguments'],
      ['an id with toJSON', (r) => r.route({ customerId: { toJSON: () => 'c2' } as never, at: 2 }), 'arguments'],
      ['an undefined status', (r) => r.setStatus('a', undefined as never, 2), 'status'],
      ['a status left out', (r) => (r.setStatus as (id: string) => unknown)('a'), 'status'],
      ['groups with an empty slot', (r) => r.upsertAgent({ id: 'b', status: 'online', groups: new Array(1) }, 2), 'arguments'],
    ];
    for (const [what, call, field] of calls) {
      expect(() => call(local), what).toThrow(RoutingError);
      await expect(call(shop) as Promise<unknown>, what).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field });
    }
    expect((await readLog(redis, shopId)).length).toBe(1);
    expect(shop.snapshot()).toEqual(local.snapshot());
    await shop.close();
  });

  it('opens a shop whose recent contacts never expire (stickyWindowMs: Infinity), and a second process adopts it', async () => {
    const shopId = nextShop();
    const options = { stickyWindowMs: Number.POSITIVE_INFINITY };
    const first = await RedisRouter.open({ redis, shopId, options });
    const second = await RedisRouter.open({ redis, shopId });
    const again = await RedisRouter.open({ redis, shopId, options });
    const local = new Router(options);
    expect(first.snapshot().options).toEqual(local.snapshot().options);
    expect(second.snapshot().options).toEqual(local.snapshot().options);
    await Promise.all([first.close(), second.close(), again.close()]);
  });

  it('stores the defaults for a shop first opened without settings, so other settings are refused later', async () => {
    const shopId = nextShop();
    const first = await RedisRouter.open({ redis, shopId });
    await expect(RedisRouter.open({ redis, shopId, options: { splitMode: 'weighted', busyThreshold: 0 } })).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'options' });
    // The defaults given explicitly are the same settings.
    const second = await RedisRouter.open({ redis, shopId, options: { splitMode: new Router().snapshot().options.splitMode } });
    expect(second.snapshot().options).toEqual(new Router().snapshot().options);
    await Promise.all([first.close(), second.close()]);
  });

  it('stores snapshots, trims the log behind them, and a new process starts from snapshot + log', async () => {
    const shopId = nextShop();
    const events: RedisRouterEvent[] = [];
    const shop = await RedisRouter.open({ redis, shopId, snapshotEvery: 10, retainMs: 0, onEvent: (e) => events.push(e) });
    await shop.upsertAgent({ id: 'a', status: 'online', cap: 5 }, 1);
    const decisions: Decision[] = [];
    for (let i = 0; i < 40; i++) {
      decisions.push(await shop.route({ customerId: `c${i}`, at: 10 + i }));
      if (i >= 3) await shop.end(`c${i - 3}`, 10 + i);
    }
    await shop.sync();
    expect(events.filter((e) => e.type === 'snapshot').length).toBeGreaterThanOrEqual(6);
    const log = await readLog(redis, shopId);
    expect(log.length).toBeLessThan(shop.count);
    expect(log.length).toBeLessThanOrEqual(20);
    const late = await RedisRouter.open({ redis, shopId });
    expect(late.position).toBe(shop.position);
    expect(late.snapshot()).toEqual(shop.snapshot());
    await Promise.all([shop.close(), late.close()]);
  });

  it('skips a second copy of one request (an append re-sent across a reconnect) on every replica', async () => {
    const shopId = nextShop();
    const events: RedisRouterEvent[] = [];
    const a = await RedisRouter.open({ redis, shopId, onEvent: (e) => events.push(e) });
    await a.upsertAgent({ id: 'x', status: 'online', cap: 5 }, 1);
    await a.route({ customerId: 'c1', at: 2 });
    const [, fields] = (await readLog(redis, shopId))[1] as [string, string[]];
    await redis.call('XADD', shopKeys('fenliu', shopId).log, '*', ...fields);
    await a.sync();
    expect(a.getAgent('x')).toMatchObject({ active: 1, assigned: 1 });
    const rejected = events.flatMap((e) => (e.type === 'rejected' ? [e.error] : []));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ code: 'DUPLICATE_ENTRY' });
    expect(rejected[0]?.message).toMatch(/re-sent across a reconnect/);
    const late = await RedisRouter.open({ redis, shopId });
    expect(late.snapshot()).toEqual(a.snapshot());
    await Promise.all([a.close(), late.close()]);
  });

  it('answers NOT_APPLIED when Redis refuses an append, after checking the log does not hold it', async () => {
    const shopId = nextShop();
    const shop = await RedisRouter.open({ redis, shopId });
    await shop.upsertAgent({ id: 'x', status: 'online' }, 1);
    // Out of memory with noeviction: Redis refuses every write, reads still work.
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'maxmemory', '1');
    try {
      const error = await shop.route({ customerId: 'c1', at: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisRouterError);
      expect(error).toMatchObject({ code: 'NOT_APPLIED' });
      expect((error as Error).message).toMatch(/OOM.*safe to retry/s);
    } finally {
      await redis.config('SET', 'maxmemory', '0');
    }
    expect(await shop.route({ customerId: 'c1', at: 3 })).toMatchObject({ kind: 'agent', agentId: 'x' });
    expect((await readLog(redis, shopId)).length).toBe(2);
    await shop.close();
  });

  it('refuses what cannot be appended, and passes malformed arguments on to the Router', async () => {
    let now: number = 5;
    const shop = await RedisRouter.open({ redis, shopId: nextShop(), options: { clock: () => now } });
    await shop.upsertAgent({ id: 'a', status: 'online' });
    expect(shop.snapshot().now).toBe(5); // the default `at` comes from options.clock
    now = Number.NaN;
    await expect(shop.end('c')).rejects.toMatchObject({ code: 'INVALID_OPTION', field: 'options.clock()' });
    now = 6;
    await expect(shop.upsertAgent({ id: 'b', weight: 1n as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'arguments' });
    await expect(shop.route('c1' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'consultation' });
    await expect(shop.reroute('c1', null as never)).rejects.toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
    // A String object would reach the log as a plain string, which the Router then accepts.
    await expect(shop.end(new String('c1') as never, 7)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'arguments' });
    expect(shop.count).toBe(3); // the refused NaN time, BigInt and String object never reached the log
    // Time 0 is a time like any other: written to the entry, not left to the clock.
    const early = await RedisRouter.open({ redis, shopId: nextShop(), options: { clock: () => 99 } });
    await early.upsertAgent({ id: 'a', status: 'online' }, 0);
    expect(early.snapshot().now).toBe(0);
    await Promise.all([shop.close(), early.close()]);
  });

  it('refuses to open a shop whose stored snapshot is corrupted', async () => {
    const shopId = nextShop();
    await redis.hset(shopKeys('fenliu', shopId).snapshot, 'v', '1', 'id', '1-0', 'count', '1', 'data', '{not json');
    await expect(RedisRouter.open({ redis, shopId })).rejects.toMatchObject({ code: 'INVALID_SNAPSHOT' });
    await redis.hset(shopKeys('fenliu', shopId).snapshot, 'data', '{"clients":[],"router":{"version":1}}');
    await expect(RedisRouter.open({ redis, shopId })).rejects.toMatchObject({ code: 'INVALID_SNAPSHOT' });
  });

  it('rejects calls after close() with CLOSED', async () => {
    const shop = await RedisRouter.open({ redis, shopId: nextShop() });
    await shop.close();
    await expect(shop.route({ customerId: 'c' })).rejects.toBeInstanceOf(RedisRouterError);
    await expect(shop.route({ customerId: 'c' })).rejects.toMatchObject({ code: 'CLOSED' });
    await shop.close();
  });
});
