import type { Redis } from 'ioredis';
import type { RouterOptions } from '../../src/index.js';
import { ShopReplica, shopKeys, type Applied } from '../../src/redis/index.js';

/** Every entry of a shop's log, oldest first, as XRANGE returns them. */
export async function readLog(redis: Redis, shopId: string): Promise<[string, string[]][]> {
  return (await redis.call('XRANGE', shopKeys('fenliu', shopId).log, '-', '+')) as [string, string[]][];
}

/** One entry's fields as a map. */
export function fieldsOf(fields: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) m.set(fields[i] as string, fields[i + 1] as string);
  return m;
}

/**
 * Replays a whole log through one replica (one `Router`), calling `check` after every entry with
 * what the entry did. This is the single-process reference the distributed run must equal.
 */
export function replay(log: [string, string[]][], options: RouterOptions, check?: (applied: Applied, replica: ShopReplica) => void): ShopReplica {
  const replica = ShopReplica.create(options);
  for (const [id, fields] of log) {
    const applied = replica.apply(id, fields);
    check?.(applied, replica);
  }
  return replica;
}

/**
 * Copies a shop's log as it grows, on its own connection, so that an audit can replay all of it
 * even though snapshots trim it. `stop()` returns the copy once it has read up to the log's end.
 */
export function follow(redis: Redis, shopId: string): { stop: () => Promise<[string, string[]][]> } {
  const reader = redis.duplicate();
  reader.on('error', () => {});
  const entries: [string, string[]][] = [];
  const key = shopKeys('fenliu', shopId).log;
  let stopping = false;
  const loop = (async () => {
    let position = '0-0';
    for (;;) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await reader.call('XREAD', 'COUNT', 1000, 'BLOCK', 50, 'STREAMS', key, position)) as typeof reply;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      if (reply === null) {
        if (stopping) return;
        continue;
      }
      for (const [, items] of reply) for (const item of items) entries.push(item);
      position = entries[entries.length - 1]?.[0] ?? position;
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      reader.disconnect();
      return entries;
    },
  };
}
