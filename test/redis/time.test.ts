import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Router, type AgentSpec, type Decision, type RouterOptions } from '../../src/index.js';
import { RedisRouter } from '../../src/redis/index.js';
import { fieldsOf, follow, replay } from './helpers.js';
import { startWorker, type Worker } from './protocol.js';
import { hasRedis, skipHint, startRedis, type RedisServer } from './server.js';

const servers: RedisServer[] = [];
const workers: Worker[] = [];
afterEach(() => {
  for (const w of workers.splice(0)) w.child.kill('SIGKILL');
});
afterAll(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function redis(): Promise<{ server: RedisServer; client: Redis }> {
  const server = await startRedis();
  servers.push(server);
  return { server, client: server.client() };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const key = (d: Decision): string => `${d.customerId}@${d.at}:${d.kind}:${d.reroutedFrom ?? ''}:${d.rerouteReason ?? ''}`;

describe.skipIf(!hasRedis)(`fenliu/redis: conversations and time${skipHint}`, () => {
  it('RedisRouter has the new calls: messages and replies move pending on every replica; consultation() and nextDeadline() read the local one', async () => {
    const { client } = await redis();
    const options: RouterOptions = { answerTimeoutMs: 30_000 };
    const a = await RedisRouter.open({ redis: client, shopId: 'talk', options });
    const b = await RedisRouter.open({ redis: client, shopId: 'talk' });
    await a.upsertAgent({ id: 'x', status: 'online' }, 1_000);
    await a.upsertAgent({ id: 'y', status: 'online' }, 1_000);
    expect(await a.route({ customerId: 'c1', at: 1_000 })).toMatchObject({ agentId: 'x' });
    await b.agentReply('c1', 2_000);
    await a.customerMessage('c1', 3_000);
    await b.sync();
    expect(b.getAgent('x')?.pending).toBe(1);
    expect(b.consultation('c1')).toMatchObject({ kind: 'agent', agentId: 'x', awaitingReplySince: 3_000 });
    await a.route({ customerId: 'c2', at: 4_000 });
    await b.sync();
    expect(b.nextDeadline()).toBe(34_000);
    expect(await b.advance(40_000)).toMatchObject([{ customerId: 'c2', reroutedFrom: 'y', rerouteReason: 'timeout', at: 34_000 }]);
    await a.sync();
    expect(a.snapshot()).toStrictEqual(b.snapshot());
    await a.close();
    await b.close();
  });

  it('reads a class instance\'s getters as Router does, and refuses unknown keys before anything is appended', async () => {
    const { client } = await redis();
    const options: RouterOptions = { groups: [{ id: 'pre', orderStates: ['none', 'unpaid'] }, { id: 'post', orderStates: ['shipped'] }] };
    class Chat {
      constructor(readonly customerId: string) {}
      get orderState(): string {
        return 'shipped';
      }
    }
    const local = new Router({ ...options, clock: () => 1 });
    const shop = await RedisRouter.open({ redis: client, shopId: 'getters', options });
    for (const spec of [{ id: 'pre-1', status: 'online', groups: ['pre'] }, { id: 'post-1', status: 'online', groups: ['post'] }] as AgentSpec[]) {
      local.upsertAgent(spec, 1);
      await shop.upsertAgent(spec, 1);
    }
    const expected = local.route(Object.assign(new Chat('c1'), {}) as never);
    expect(expected).toMatchObject({ agentId: 'post-1' });
    expect(await shop.route(new Chat('c1') as never)).toMatchObject({ agentId: 'post-1', customerId: 'c1' });
    const count = shop.count;
    await expect(shop.route({ customerId: 'c2', dedicatedAgentID: 'pre-1' } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'consultation.dedicatedAgentID' });
    expect(shop.count).toBe(count);
    await shop.close();
  });

  it('every process keeps a timer and appends advance; each deadline fires exactly once, also with a process killed mid-run', async () => {
    const { server, client } = await redis();
    const shopId = 'timers';
    const audit = follow(client, shopId);
    const options: RouterOptions = { answerTimeoutMs: 150, suspendAfterMisses: 2, noAgent: 'queue' };
    const admin = await RedisRouter.open({ redis: client, shopId, options });
    for (let i = 0; i < 8; i++) await admin.upsertAgent({ id: `agent-${i}`, status: 'online', cap: 3 });
    // A worker routes chats whose agents never reply, holding them open, and is killed mid-run.
    const worker = await startWorker();
    workers.push(worker);
    worker.send({ cmd: 'open', port: server.port, shopId, snapshotEvery: 1_000 });
    await worker.next('opened');
    worker.send({ cmd: 'run', prefix: 'w', count: 60, concurrency: 6, seed: 5, holdMs: 30_000, replies: false, orderStates: ['none'] });
    // Three processes' timers: each advances its own replica to its next deadline as it comes.
    const timers = await Promise.all([0, 1, 2].map(() => RedisRouter.open({ redis: client, shopId })));
    const fired: Decision[][] = timers.map(() => []);
    let running = true;
    const loops = timers.map(async (shop, i) => {
      while (running) {
        const next = shop.nextDeadline();
        if (next !== undefined && next <= Date.now()) fired[i]!.push(...(await shop.advance()));
        else await sleep(5 + 7 * i);
      }
    });
    // Killed while its chats are open and its calls in flight.
    await sleep(800);
    worker.child.kill('SIGKILL');
    await new Promise((r) => worker.child.once('exit', r));
    // The survivors go on until no deadline is left (every agent missed twice and is suspended).
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      await Promise.all(timers.map((t) => t.sync()));
      if (timers.every((t) => t.nextDeadline() === undefined)) break;
      await sleep(50);
    }
    running = false;
    await Promise.all(loops);
    await admin.sync();
    const log = await audit.stop();

    // The reference: one Router replaying the whole log. Its advance entries made these decisions.
    const fromLog: Decision[] = [];
    const reference = replay(log, options, (applied) => {
      if (applied.ok && applied.op === 'advance') fromLog.push(...(applied.value as Decision[]));
    });
    const delivered = fired.flat();
    const timeouts = fromLog.filter((d) => d.rerouteReason === 'timeout');
    expect(timeouts.length).toBeGreaterThan(10);
    // Each deadline fired once: no decision twice in the log, and each reached exactly one caller.
    expect(new Set(fromLog.map(key)).size).toBe(fromLog.length);
    expect(delivered.map(key).sort()).toEqual(fromLog.map(key).sort());
    // Several processes appended advance entries; most found nothing left to fire.
    const advances = log.filter(([, f]) => fieldsOf(f).get('op') === 'advance').length;
    expect(advances).toBeGreaterThan(fired.filter((f) => f.length > 0).length);
    for (const t of timers) expect(t.snapshot()).toStrictEqual(reference.snapshot().router);
    expect(admin.snapshot()).toStrictEqual(reference.snapshot().router);
    for (const t of timers) await t.close();
    await admin.close();
  });
});
