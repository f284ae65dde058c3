/**
 * A backend process of the multi-process tests: opens one shop through `RedisRouter` and runs
 * what the test process sends over IPC. Run with `fork(path, { execArgv: ['--import', 'tsx'] })`.
 */
import { Redis } from 'ioredis';
import type { Decision } from '../../src/index.js';
import { RedisRouter, type RedisRouterEvent } from '../../src/redis/index.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { Prng } from '../../src/simulate/prng.js';

const send = (message: FromWorker): void => {
  process.send?.(message);
};


let shop: RedisRouter | undefined;
let redis: Redis | undefined;
const events = { rejected: 0, reloaded: 0, snapshots: 0, errors: [] as string[] };

const onEvent = (e: RedisRouterEvent): void => {
  if (e.type === 'rejected' && e.own) events.rejected++;
  if (e.type === 'reloaded') {
    events.reloaded++;
    send({ type: 'reloaded', from: e.from, to: e.to });
  }
  if (e.type === 'snapshot') events.snapshots++;
  if (e.type === 'error') events.errors.push(e.error.message);
};

async function run(message: Extract<ToWorker, { cmd: 'run' }>): Promise<void> {
  const s = shop as RedisRouter;
  const rng = Prng.stream(message.seed, 0);
  const below = (n: number): number => rng.below(n);
  const decisions: [string, Decision][] = [];
  const failures: [string, string][] = [];
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < message.count) {
      const customerId = `${message.prefix}-${next++}`;
      try {
        const d = await s.route({ customerId, orderState: message.orderStates[below(message.orderStates.length)] as string });
        decisions.push([customerId, d]);
        // The agent replies at once, so load never makes it busy: shares follow the weights.
        if (message.replies && d.kind === 'agent') await s.setPending(d.agentId, 0);
        await new Promise((r) => setTimeout(r, below(message.holdMs + 1)));
        await s.end(customerId);
      } catch (error) {
        failures.push([customerId, `${(error as { code?: string }).code}: ${(error as Error).message}`]);
      }
      if (++done % 100 === 0) send({ type: 'progress', done });
    }
  };
  await Promise.all(Array.from({ length: message.concurrency }, lane));
  send({ type: 'done', decisions, failures, events });
}

process.on('message', (message: ToWorker) => {
  void (async () => {
    try {
      switch (message.cmd) {
        case 'open':
          redis = new Redis(message.port, '127.0.0.1');
          redis.on('error', () => {});
          shop = await RedisRouter.open({ redis, shopId: message.shopId, snapshotEvery: message.snapshotEvery, ...(message.retainMs === undefined ? {} : { retainMs: message.retainMs }), onEvent });
          send({ type: 'opened', position: shop.position, count: shop.count });
          break;
        case 'run':
          await run(message);
          break;
        case 'sync':
          await (shop as RedisRouter).sync();
          send({ type: 'synced', position: (shop as RedisRouter).position, snapshot: (shop as RedisRouter).snapshot(), events });
          break;
        case 'close':
          await shop?.close();
          redis?.disconnect();
          send({ type: 'closed' });
          process.exit(0);
      }
    } catch (error) {
      send({ type: 'failed', error: `${(error as Error).stack ?? String(error)}` });
    }
  })();
});
send({ type: 'ready' });
