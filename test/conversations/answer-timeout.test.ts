import { describe, expect, it } from 'vitest';
import { Router, RoutingError } from '../../src/index.js';
import { shop } from '../helpers.js';

const SEC = 1_000;

describe('answer timeout (超时转接) and time passing through advance()', () => {
  it('an assignment without a reply within answerTimeoutMs is re-routed at the deadline, never back to that agent', () => {
    const { router } = shop({ answerTimeoutMs: 30 * SEC });
    router.upsertAgent({ id: 'a', status: 'online' }, 0);
    router.upsertAgent({ id: 'b', status: 'online' }, 0);
    expect(router.route({ customerId: 'c1', at: 100 })).toMatchObject({ agentId: 'a' });
    expect(router.nextDeadline()).toBe(30_100);
    expect(router.consultation('c1')?.deadline).toBe(30_100);
    expect(router.advance(30_099)).toEqual([]);
    const fired = router.advance(40_000);
    expect(fired).toEqual([{ kind: 'agent', customerId: 'c1', at: 30_100, agentId: 'b', reason: 'split', reroutedFrom: 'a', rerouteReason: 'timeout' }]);
    expect(router.getAgent('a')).toMatchObject({ active: 0, pending: 0 });
    // b's own deadline runs from its assignment.
    expect(router.nextDeadline()).toBe(60_100);
  });

  it('a reply cancels the timeout; a later customer message does not start another', () => {
    const { router } = shop({ answerTimeoutMs: 30 * SEC });
    router.upsertAgent({ id: 'a', status: 'online' }, 0);
    router.route({ customerId: 'c1', at: 0 });
    router.agentReply('c1', 29_999);
    expect(router.nextDeadline()).toBeUndefined();
    router.customerMessage('c1', 40_000);
    expect(router.nextDeadline()).toBeUndefined();
    expect(router.advance(1_000_000)).toEqual([]);
  });

  it('deadlines fire only in advance(): calls after a deadline\'s time do not fire it, and a reply still cancels it', () => {
    const { router } = shop({ answerTimeoutMs: 10 * SEC });
    router.upsertAgent({ id: 'a', status: 'online' }, 0);
    router.upsertAgent({ id: 'b', status: 'online' }, 0);
    router.route({ customerId: 'c1', at: 0 });
    expect(router.route({ customerId: 'c2', at: 50_000 })).toMatchObject({ agentId: 'b' });
    expect(router.consultation('c1')).toMatchObject({ kind: 'agent', agentId: 'a' });
    router.agentReply('c1', 50_001);
    expect(router.advance(60_000)).toMatchObject([{ customerId: 'c2', agentId: 'a', at: 60_000, rerouteReason: 'timeout' }]);
    // Unanswered again, it is offered again every 10 s: a new round once both agents missed it.
    expect(router.advance(80_000).map((d) => [d.customerId, d.kind === 'agent' ? d.agentId : d.kind, d.at])).toEqual([['c2', 'b', 70_000], ['c2', 'a', 80_000]]);
  });

  it('fires in deadline order, equal times in the order they were set; a late advance decides at the latest time seen', () => {
    const { router } = shop({ answerTimeoutMs: 10 * SEC });
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' }, 0);
    router.route({ customerId: 'x', at: 5 }); // → a, due 10_005
    router.route({ customerId: 'y', at: 0 + 5 }); // → b, due 10_005, set after x's
    router.route({ customerId: 'z', at: 6 }); // → c, due 10_006
    // A call later than the deadlines comes first: advance then decides at that time.
    router.upsertAgent({ id: 'd', status: 'online' }, 20_000);
    const fired = router.advance(20_000);
    expect(fired.map((d) => [d.customerId, d.at, d.rerouteReason])).toEqual([['x', 20_000, 'timeout'], ['y', 20_000, 'timeout'], ['z', 20_000, 'timeout']]);
  });

  it('advance to an earlier time is TIME_WENT_BACKWARDS and changes nothing; advance() without a time reads the clock', () => {
    const { router, tick } = shop({ answerTimeoutMs: 1_000 });
    router.upsertAgent({ id: 'a', status: 'online' }, 2_000_000);
    router.route({ customerId: 'c1', at: 2_000_000 });
    const before = JSON.stringify(router.snapshot());
    expect(() => router.advance(1_999_999)).toThrowError(expect.objectContaining({ code: 'TIME_WENT_BACKWARDS' }));
    expect(() => router.advance(Number.NaN)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(JSON.stringify(router.snapshot())).toBe(before);
    tick(1_500_000); // the clock is now 2_500_000
    expect(router.advance()).toMatchObject([{ customerId: 'c1', at: 2_001_000, kind: 'queued', reroutedFrom: 'a', rerouteReason: 'timeout' }]);
  });

  it('suspendAfterMisses: an agent whose assignments time out that many times in a row is suspended; a reply resets the count', () => {
    const { router } = shop({ answerTimeoutMs: 1_000, suspendAfterMisses: 2, busyThreshold: 100 });
    router.upsertAgent({ id: 'ghost', status: 'online' }, 0);
    router.upsertAgent({ id: 'b', status: 'online', cap: 0 }, 0);
    router.route({ customerId: 'c1', at: 0 }); // → ghost
    router.advance(1_000); // c1 times out: queued (b has no room, ghost is excluded)
    router.route({ customerId: 'c2', at: 1_000 }); // → ghost
    router.agentReply('c2', 1_500); // a reply: the run of misses starts again
    router.route({ customerId: 'c3', at: 1_600 }); // → ghost
    router.advance(2_600);
    expect(router.getAgent('ghost')?.status).toBe('online');
    router.route({ customerId: 'c4', at: 2_700 }); // → ghost
    const out = router.advance(3_700);
    expect(out.map((d) => [d.customerId, d.rerouteReason])).toContainEqual(['c4', 'timeout']);
    expect(router.getAgent('ghost')?.status).toBe('suspended');
    expect(router.route({ customerId: 'c5', at: 3_800 })).toMatchObject({ kind: 'queued' });
  });

  it('a decline between two timeouts breaks the run: the misses are no longer in a row', () => {
    const { router } = shop({ answerTimeoutMs: 1_000, suspendAfterMisses: 2 });
    router.upsertAgent({ id: 'a', status: 'online' }, 0);
    router.upsertAgent({ id: 'b', status: 'online', cap: 0 }, 0);
    router.route({ customerId: 'c1', at: 0 }); // → a
    router.advance(1_000); // times out: one miss
    router.route({ customerId: 'c2', at: 1_100 }); // → a
    router.reroute('c2', { reason: 'declined', at: 1_200 });
    router.route({ customerId: 'c3', at: 1_300 }); // → a
    expect(router.advance(2_300)).toContainEqual(expect.objectContaining({ customerId: 'c3', rerouteReason: 'timeout' }));
    expect(router.getAgent('a')?.status).toBe('online');
    // Two in a row now: suspended.
    router.route({ customerId: 'c4', at: 2_400 });
    router.advance(3_400);
    expect(router.getAgent('a')?.status).toBe('suspended');
  });

  it('an explicit reroute with reason timeout counts as a miss too; declined does not', () => {
    const { router } = shop({ suspendAfterMisses: 2 });
    router.upsertAgent({ id: 'a', status: 'online' }, 0);
    router.upsertAgent({ id: 'b', status: 'online', cap: 0 }, 0);
    router.route({ customerId: 'c1', at: 1 });
    router.reroute('c1', { reason: 'declined', at: 2 });
    router.route({ customerId: 'c2', at: 3 });
    router.reroute('c2', { reason: 'timeout', at: 4 });
    expect(router.getAgent('a')?.status).toBe('online');
    router.route({ customerId: 'c3', at: 5 });
    const out = router.reroute('c3', { reason: 'timeout', at: 6 });
    expect(out[0]).toMatchObject({ customerId: 'c3', rerouteReason: 'timeout' });
    expect(router.getAgent('a')?.status).toBe('suspended');
  });

  it('never waits for good because everyone declined it once: when every agent it could go to was taken from it, a new round starts, kept only from the last agent', () => {
    const { router } = shop();
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' }, 0);
    const got: string[] = [];
    let d = router.route({ customerId: 'c1', at: 1 });
    for (let i = 0; i < 5; i++) {
      if (d.kind !== 'agent') throw new Error(`expected an agent, got ${d.kind}`);
      got.push(d.agentId);
      d = router.reroute('c1', { reason: 'declined', at: 2 + i })[0]!;
    }
    // a, b, c each once; then the round restarts without c: a (or b), never c twice in a row.
    expect(got.slice(0, 3).sort()).toEqual(['a', 'b', 'c']);
    for (let i = 1; i < got.length; i++) expect(got[i]).not.toBe(got[i - 1]);
  });

  it('a chat every agent declined while the others were full waits for whoever frees first but the last one', () => {
    const { router } = shop();
    for (const id of ['a', 'b']) router.upsertAgent({ id, status: 'online', cap: 1 }, 0);
    expect(router.route({ customerId: 'u1', at: 1 })).toMatchObject({ agentId: 'a' });
    expect(router.reroute('u1', { reason: 'declined', at: 2 })).toMatchObject([{ agentId: 'b' }]);
    expect(router.route({ customerId: 'u2', at: 3 })).toMatchObject({ agentId: 'a' });
    // b declines too, while a is full: it waits, for a (who declined it in the first round) too.
    expect(router.reroute('u1', { reason: 'declined', at: 4 })).toMatchObject([{ kind: 'queued', reroutedFrom: 'b' }]);
    expect(router.end('u2', 5)).toMatchObject([{ customerId: 'u1', agentId: 'a', waitedMs: 1 }]);
    // A second decline by a: not back to a; b, who declined in the first round, takes it.
    expect(router.reroute('u1', { reason: 'declined', at: 6 })).toMatchObject([{ agentId: 'b', reroutedFrom: 'a' }]);
  });

  it('a chat whose last agents went offline waits for the first who comes back but the last one', () => {
    const { router } = shop({ noAgent: 'queue' });
    for (const id of ['a', 'b']) router.upsertAgent({ id, status: 'online', cap: 1 }, 0);
    router.route({ customerId: 'u1', at: 1 });
    router.reroute('u1', { reason: 'declined', at: 2 });
    router.setStatus('a', 'offline', 3);
    expect(router.setStatus('b', 'offline', 4)).toMatchObject([{ customerId: 'u1', kind: 'queued', reroutedFrom: 'b', rerouteReason: 'offline' }]);
    expect(router.setStatus('a', 'online', 5)).toMatchObject([{ customerId: 'u1', agentId: 'a', waitedMs: 1 }]);
  });

  it('an agent alone in the shop who declines a chat does not get it straight back: it waits for another agent', () => {
    const { router } = shop();
    router.upsertAgent({ id: 'a', status: 'online' }, 0);
    router.route({ customerId: 'c1', at: 1 });
    expect(router.reroute('c1', { reason: 'declined', at: 2 })).toMatchObject([{ kind: 'queued', rerouteReason: 'declined' }]);
    expect(router.upsertAgent({ id: 'b', status: 'online' }, 3)).toMatchObject([{ customerId: 'c1', agentId: 'b', waitedMs: 1 }]);
  });

  it('bad time options are INVALID_OPTION', () => {
    for (const options of [{ answerTimeoutMs: 0 }, { answerTimeoutMs: -1 }, { answerTimeoutMs: Number.POSITIVE_INFINITY }, { holdForRecentContactMs: -5 }, { holdForRecentContactMs: Number.NaN }, { suspendAfterMisses: 0 }, { suspendAfterMisses: 1.5 }]) {
      expect(() => new Router(options)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
    expect(() => new Router({ answerTimeoutMs: '30s' as never })).toThrow(RoutingError);
  });

  it('a timeout of a fraction of a millisecond at the latest time a Date holds still moves on: advance ends', () => {
    // 8.64e15 + 0.25 rounds back to 8.64e15; each re-offer's deadline must still come later.
    const latest = 8.64e15;
    const { router } = shop({ answerTimeoutMs: 0.25 });
    router.upsertAgent({ id: 'a', status: 'online' }, latest - 10);
    router.upsertAgent({ id: 'b', status: 'online' }, latest - 10);
    router.route({ customerId: 'c1', at: latest });
    expect(router.nextDeadline()).toBeGreaterThan(latest);
    expect(router.advance(latest)).toEqual([]);
    expect(() => router.advance(latest + 2)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'at' }));
    // A millisecond before the end of time, the offers go round one per step of the clock.
    const { router: early } = shop({ answerTimeoutMs: 0.25 });
    early.upsertAgent({ id: 'a', status: 'online' }, 0);
    early.upsertAgent({ id: 'b', status: 'online' }, 0);
    early.route({ customerId: 'c1', at: latest - 4 });
    const fired = early.advance(latest);
    expect(fired.length).toBeGreaterThan(0);
    expect(fired.length).toBeLessThanOrEqual(4);
    expect(early.nextDeadline()).toBeGreaterThan(latest);
  });
});
