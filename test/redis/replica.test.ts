import { describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';
import { RedisRouter, ShopReplica, type StoredSnapshot } from '../../src/redis/index.js';
import { OPS } from '../../src/redis/entry.js';

// The state machine alone: no Redis needed, so these run everywhere.
const entry = (op: string, at: number | undefined, args: unknown[], rid = ''): string[] => [
  'v', '1', 'op', op, ...(rid ? ['rid', rid] : []), ...(at === undefined ? [] : ['at', String(at)]), 'args', JSON.stringify(args),
];

describe('ShopReplica', () => {
  it('applies entries like the Router and advances its position on every entry', () => {
    const replica = ShopReplica.create({ splitMode: 'weighted' });
    const router = new Router({ splitMode: 'weighted', clock: () => 0 });
    expect(replica.apply('1-0', entry('upsertAgent', 10, [{ id: 'a', status: 'online', weight: 2 }]))).toMatchObject({ ok: true, value: [] });
    router.upsertAgent({ id: 'a', status: 'online', weight: 2 }, 10);
    const applied = replica.apply('2-0', entry('route', 20, [{ customerId: 'c' }]));
    expect(applied).toEqual({ ok: true, id: '2-0', rid: '', op: 'route', value: router.route({ customerId: 'c', at: 20 }) });
    expect(replica.position).toBe('2-0');
    expect(replica.count).toBe(2);
    expect(replica.snapshot().router).toEqual(router.snapshot());
  });

  it('applies a late time as the latest time applied, and does not let a rejected entry move time', () => {
    const replica = ShopReplica.create();
    replica.apply('1-0', entry('upsertAgent', 100, [{ id: 'a', status: 'online' }]));
    expect(replica.apply('2-0', entry('route', 50, [{ customerId: 'c' }]))).toMatchObject({ ok: true, value: { at: 100 } });
    expect(replica.apply('3-0', entry('end', 500, ['nobody']))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CUSTOMER' } });
    expect(replica.snapshot().router.now).toBe(100);
  });

  it('skips a repeated request id, and remembers request ids across a snapshot', () => {
    const replica = ShopReplica.create();
    replica.apply('1-0', entry('upsertAgent', 1, [{ id: 'a', status: 'online' }], 'client:1'));
    expect(replica.apply('2-0', entry('route', 2, [{ customerId: 'c' }], 'client:2'))).toMatchObject({ ok: true });
    const restored = ShopReplica.restore(JSON.parse(JSON.stringify(replica.snapshot())) as StoredSnapshot);
    expect(restored.apply('3-0', entry('route', 2, [{ customerId: 'c' }], 'client:2'))).toMatchObject({ ok: false, error: { code: 'DUPLICATE_ENTRY' } });
    expect(restored.apply('4-0', entry('end', 3, ['c'], 'client:3'))).toMatchObject({ ok: true });
  });

  it('forgets the clients silent for a day of shop time, and only those, keeping the others in the order they were last heard', () => {
    const replica = ShopReplica.create();
    const DAY = 24 * 3_600_000;
    let n = 0;
    // 'old' writes at 0; 'kept' writes at 0 and again late in the day; 'new' writes the next day.
    replica.apply(`${++n}-0`, entry('upsertAgent', 0, [{ id: 'x' }], 'old:1'));
    replica.apply(`${++n}-0`, entry('upsertAgent', 0, [{ id: 'x' }], 'kept:1'));
    replica.apply(`${++n}-0`, entry('upsertAgent', DAY - 1, [{ id: 'x' }], 'kept:2'));
    // Entries of a busy client up to the next check (every 1,024 entries), a day and an hour on.
    while (n < 1_024) replica.apply(`${++n}-0`, entry('upsertAgent', DAY + 3_600_000, [{ id: 'x' }], `new:${n}`));
    const clients = replica.snapshot().clients.map(([client]) => client);
    expect(clients).toEqual(['kept', 'new']);
    // 'old' is forgotten, so its first request would be taken as new; 'kept' still is a repeat.
    expect(replica.apply(`${++n}-0`, entry('upsertAgent', DAY + 3_600_000, [{ id: 'x' }], 'kept:2'))).toMatchObject({ ok: false, error: { code: 'DUPLICATE_ENTRY' } });
    expect(replica.apply(`${++n}-0`, entry('upsertAgent', DAY + 3_600_000, [{ id: 'x' }], 'old:1'))).toMatchObject({ ok: true });
    // Heard again, 'kept' moves behind the others: the next check reads the silent ones first.
    replica.apply(`${++n}-0`, entry('upsertAgent', DAY + 3_600_000, [{ id: 'x' }], 'kept:3'));
    expect(replica.snapshot().clients.map(([client]) => client)).toEqual(['new', 'old', 'kept']);
  });

  it('keeps a client last heard exactly a day before the check, and forgets one heard a millisecond earlier', () => {
    const replica = ShopReplica.create();
    const DAY = 24 * 3_600_000;
    const T = 1_000_000;
    let n = 0;
    replica.apply(`${++n}-0`, entry('upsertAgent', T - 1, [{ id: 'x' }], 'gone:1'));
    replica.apply(`${++n}-0`, entry('upsertAgent', T, [{ id: 'x' }], 'edge:1'));
    // The check before the 1,024th entry reads the shop's time after the 1,023rd: T + a day.
    while (n < 1_024) replica.apply(`${++n}-0`, entry('upsertAgent', T + DAY, [{ id: 'x' }], `busy:${n}`));
    expect(replica.snapshot().clients.map(([client]) => client)).toEqual(['edge', 'busy']);
  });

  it('a refused entry dated days ahead keeps no client past its day: the others are still forgotten', () => {
    const replica = ShopReplica.create();
    const DAY = 24 * 3_600_000;
    let n = 0;
    replica.apply(`${++n}-0`, entry('upsertAgent', 0, [{ id: 'a', status: 'online' }], 'setup:1'));
    // A caller's clock far ahead (µs passed as ms): the router refuses the call and the shop's time stays.
    expect(replica.apply(`${++n}-0`, entry('end', Date.UTC(2026, 0, 1) * 1000, ['nobody'], 'skewed:1'))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CUSTOMER' } });
    // Ten days of short-lived clients, one every two minutes.
    for (let i = 0; i < 7_200; i++) replica.apply(`${++n}-0`, entry('upsertAgent', i * 120_000, [{ id: 'a', status: 'online' }], `client${i}:1`));
    const clients = replica.snapshot().clients;
    // Only about the last day's (720, plus up to 1,024 entries between checks) remain; 'skewed' went with the first day.
    expect(clients.length).toBeLessThan(720 + 1_024);
    expect(clients.map(([client]) => client)).not.toContain('skewed');
    expect(Math.min(...clients.map(([, , at]) => at))).toBeGreaterThanOrEqual(7_199 * 120_000 - DAY - 1_024 * 120_000);
    // A snapshot stored with a client dated ahead of the shop restores with that client at the shop's time.
    const stored = replica.snapshot();
    const ahead: StoredSnapshot = { ...stored, clients: [['skewed', 1, Date.UTC(2026, 0, 1) * 1000], ...stored.clients] };
    expect(ShopReplica.restore(ahead).snapshot().clients[0]).toEqual(['skewed', 1, stored.router.now]);
  });

  it('carries NaN and Infinity through the JSON of an entry', () => {
    const replica = ShopReplica.create();
    const tagged = JSON.stringify([{ id: 'a', cap: { $num: 'Infinity' } }]);
    expect(replica.apply('1-0', ['v', '1', 'op', 'upsertAgent', 'at', '1', 'args', tagged])).toMatchObject({ ok: true });
    expect(replica.getAgent('a')?.cap).toBe(Infinity);
  });

  it('rejects a corrupted stored snapshot whole', () => {
    const good = ShopReplica.create().snapshot();
    expect(() => ShopReplica.restore({ ...good, id: 'latest' })).toThrow(/stored snapshot of version 1/);
    for (const count of [-1, 1.5, '3']) expect(() => ShopReplica.restore({ ...good, count } as never)).toThrow(/an integer `count` >= 0/);
    expect(() => ShopReplica.restore({ ...good, clients: [['x', 'one', 0]] as never })).toThrow(/clients/);
    expect(() => ShopReplica.restore({ ...good, router: { ...good.router, seq: -1 } })).toThrow(/snapshot.seq/);
  });
});

describe('ShopReplica, every operation and odd entries', () => {
  it('applies each mutating call, passing non-object arguments on for the Router to refuse', () => {
    const replica = ShopReplica.create({ receptionMode: 'robot-first', robot: true });
    const ok = (id: string, fields: string[]): unknown => {
      const applied = replica.apply(id, fields);
      if (!applied.ok) throw applied.error;
      return applied.value;
    };
    ok('1-0', entry('upsertAgent', 1, [{ id: 'a', status: 'online' }]));
    ok('2-0', entry('upsertAgent', 1, [{ id: 'b', status: 'online' }]));
    ok('3-0', entry('setStatus', 2, ['b', 'suspended']));
    ok('4-0', entry('setPending', undefined, ['a', 3]));
    expect(ok('5-0', entry('route', 3, [{ customerId: 'c' }]))).toMatchObject({ kind: 'robot' });
    // Written before escalate took options: its one argument, and its time from the entry.
    expect(ok('6-0', entry('escalate', 4, ['c']))).toMatchObject({ kind: 'agent', agentId: 'a', at: 4 });
    ok('7-0', entry('setStatus', 5, ['b', 'online']));
    expect(ok('8-0', entry('reroute', 6, ['c', { reason: 'transfer', toAgentId: 'b' }]))).toMatchObject([{ kind: 'agent', agentId: 'b', reason: 'transfer' }]);
    ok('9-0', entry('removeAgent', 7, ['a']));
    expect(ok('10-0', entry('end', 8, ['c']))).toEqual([]);
    expect(replica.apply('11-0', entry('route', 9, ['not an object']))).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'consultation' } });
    expect(replica.apply('12-0', entry('reroute', 9, ['c', 7]))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CUSTOMER' } });
    expect(replica.count).toBe(12);
  });

  it('treats only `<client>:<n>` with n a positive integer as a request id', () => {
    const replica = ShopReplica.create();
    replica.apply('1-0', entry('upsertAgent', 1, [{ id: 'a', status: 'online' }]));
    // Without a parseable request id an entry is never taken for a repeat.
    for (const [i, rid] of ['plain', ':1', 'x:0', 'x:1.5', 'x:'].entries()) {
      expect(replica.apply(`${2 + i}-0`, entry('setPending', undefined, ['a', i], rid))).toMatchObject({ ok: true });
      expect(replica.apply(`${2 + i}-1`, entry('setPending', undefined, ['a', i], rid))).toMatchObject({ ok: true });
    }
    expect(replica.snapshot().clients).toEqual([]);
  });

  it('names what came in when an entry is malformed', () => {
    const replica = ShopReplica.create();
    const message = (fields: unknown[]): string => {
      const applied = replica.apply('1-0', fields);
      return applied.ok ? '' : applied.error.message;
    };
    expect(message(['v', '1', 'op', 'end', 'at', '1', 'args', '{"a":1}'])).toMatch(/a JSON array of 1 for end, got object/);
    expect(message(['v', '1', 'op', 'end', 'at', '1', 'args', 'true'])).toMatch(/got true \(boolean\)/);
    expect(message(['v', '1', 'op', 'end', 'at', '1', 'args', 'null'])).toMatch(/got null/);
    expect(message(['v', '1', 'op', 'end', 'at', '1', 'rid', 7, 'args', '[]'])).toMatch(/`rid` a string, got 7 \(number\)/);
    expect(message(['v', '1', 'op', 'end', 'at', '1'])).toMatch(/`args` a JSON array, got undefined/);
    expect(message(['v', '1', 'op', 'end', 'at', '1e999', 'args', '["c"]'])).toMatch(/`at` a finite number/);
    // Only as String(number) writes a time: Number() would read these as 0, 5 and 16.
    for (const at of ['', ' 5 ', '0x10']) expect(message(['v', '1', 'op', 'end', 'at', at, 'args', '["c"]'])).toMatch(/`at` a finite number/);
    expect(message(['v', '2', 'op', 'end'])).toMatch(/`v` = "1".*got "2" \(string\)/);
    expect(message(['v', '1', 'op', 'x'.repeat(80)])).toMatch(/got "x{57}\.\.\." \(string\)/);
  });
});

describe('the operations of the log', () => {
  it('are each a Router method and a RedisRouter method of the same name', () => {
    for (const op of Object.keys(OPS)) {
      expect(typeof (Router.prototype as unknown as Record<string, unknown>)[op]).toBe('function');
      expect(typeof (RedisRouter.prototype as unknown as Record<string, unknown>)[op]).toBe('function');
    }
  });
});
