import { describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';
import { ShopReplica, type StoredSnapshot } from '../../src/redis/index.js';

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

  it('carries NaN and Infinity through the JSON of an entry', () => {
    const replica = ShopReplica.create();
    const tagged = JSON.stringify([{ id: 'a', cap: { $num: 'Infinity' } }]);
    expect(replica.apply('1-0', ['v', '1', 'op', 'upsertAgent', 'at', '1', 'args', tagged])).toMatchObject({ ok: true });
    expect(replica.getAgent('a')?.cap).toBe(Infinity);
  });

  it('rejects a corrupted stored snapshot whole', () => {
    const good = ShopReplica.create().snapshot();
    expect(() => ShopReplica.restore({ ...good, id: 'latest' })).toThrow(/stored snapshot of version 1/);
    expect(() => ShopReplica.restore({ ...good, clients: [['x', 'one', 0]] as never })).toThrow(/clients/);
    expect(() => ShopReplica.restore({ ...good, router: { ...good.router, seq: -1 } })).toThrow(/snapshot.seq/);
  });
});
