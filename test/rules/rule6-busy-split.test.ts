import { describe, expect, it } from 'vitest';
import { Router, type Decision } from '../../src/index.js';
import { shop, target, countBy } from '../helpers.js';

describe('rule 6: busy-aware balancing', () => {
  it('average split: new consultations go round the non-busy agents evenly', () => {
    const { router } = shop({ busyThreshold: 100 });
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' });
    const got = Array.from({ length: 9 }, (_, i) => target(router.route({ customerId: `c${i}` })));
    expect(got.slice(0, 3).sort()).toEqual(['a', 'b', 'c']);
    expect(countBy(got, (x) => x)).toEqual(new Map([['a', 3], ['b', 3], ['c', 3]]));
  });

  it('weighted split: shares follow weights (2:1)', () => {
    const { router } = shop({ splitMode: 'weighted', busyThreshold: 1000 });
    router.upsertAgent({ id: 'senior', status: 'online', weight: 2 });
    router.upsertAgent({ id: 'junior', status: 'online', weight: 1 });
    const got = Array.from({ length: 30 }, (_, i) => target(router.route({ customerId: `c${i}` })));
    expect(countBy(got, (x) => x)).toEqual(new Map([['senior', 20], ['junior', 10]]));
  });

  it('a non-busy agent wins over a busy one (忙的人少分,不忙的人多分)', () => {
    const { router } = shop();
    router.upsertAgent({ id: 'busy', status: 'online', pending: 5 });
    router.upsertAgent({ id: 'free', status: 'online', pending: 4 });
    for (let i = 0; i < 3; i++) {
      expect(router.route({ customerId: `c${i}` })).toMatchObject({ agentId: 'free', reason: 'split' });
      router.setPending('free', 0);
    }
  });

  it('when all are busy, the least loaded wins (busy-fallback); relative to weight in weighted mode', () => {
    const avg = shop();
    avg.router.upsertAgent({ id: 'a', status: 'online', pending: 9 });
    avg.router.upsertAgent({ id: 'b', status: 'online', pending: 6 });
    expect(avg.router.route({ customerId: 'c1' })).toMatchObject({ agentId: 'b', reason: 'busy-fallback' });

    const w = shop({ splitMode: 'weighted' });
    w.router.upsertAgent({ id: 'a', status: 'online', pending: 9, weight: 3 }); // 3 per weight
    w.router.upsertAgent({ id: 'b', status: 'online', pending: 6, weight: 1 }); // 6 per weight
    expect(w.router.route({ customerId: 'c1' })).toMatchObject({ agentId: 'a', reason: 'busy-fallback' });
  });

  it('ties break by least recently assigned, then id', () => {
    const { router } = shop({ busyThreshold: 0 });
    router.upsertAgent({ id: 'b', status: 'online', pending: 1 });
    router.upsertAgent({ id: 'a', status: 'online', pending: 1 });
    // Equal load, never assigned: id order.
    expect(router.route({ customerId: 'c1' })).toMatchObject({ agentId: 'a', reason: 'busy-fallback' });
    router.setPending('a', 1);
    // Equal load again: b was assigned less recently (never).
    expect(router.route({ customerId: 'c2' })).toMatchObject({ agentId: 'b' });
  });

  it('a fast responder receives more than a slow one: clearing pending keeps it out of the busy tier', () => {
    const { router, tick } = shop({ busyThreshold: 2 });
    router.upsertAgent({ id: 'fast', status: 'online' });
    router.upsertAgent({ id: 'slow', status: 'online' });
    const got: string[] = [];
    for (let i = 0; i < 40; i++) {
      const d = router.route({ customerId: `c${i}`, at: tick() });
      got.push(target(d));
      router.setPending('fast', 0); // replies at once
    }
    const counts = countBy(got, (x) => x);
    expect(counts.get('fast')).toBeGreaterThan(3 * (counts.get('slow') ?? 0));
  });

  it('a cap limits new assignments only: lowering it below active takes nothing away', () => {
    const { router, tick } = shop({ busyThreshold: 100 });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    for (let i = 0; i < 6; i++) router.route({ customerId: `c${i}` });
    expect(router.getAgent('a')?.active).toBe(3);
    router.upsertAgent({ id: 'a', cap: 1 }, tick());
    expect(router.getAgent('a')).toMatchObject({ active: 3, cap: 1 });
    for (let i = 6; i < 9; i++) expect(target(router.route({ customerId: `c${i}` }))).toBe('b');
    router.end('c0', tick());
    router.end('c2', tick());
    expect(router.getAgent('a')?.active).toBe(1);
    expect(target(router.route({ customerId: 'x' }))).toBe('b');
    router.end('c4', tick());
    expect(target(router.route({ customerId: 'y' }))).toBe('a');
  });

  it('an agent back from suspension joins at the current fair position: no burst, no starvation', () => {
    const { router, tick } = shop({ busyThreshold: 1000 });
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' });
    router.setStatus('c', 'suspended', tick());
    for (let i = 0; i < 60; i++) router.route({ customerId: `before-${i}`, at: tick() });
    router.setStatus('c', 'online', tick());
    const after = Array.from({ length: 9 }, (_, i) => target(router.route({ customerId: `after-${i}`, at: tick() })));
    // In every window of three after its return, c gets exactly one: not three in a row to catch up.
    for (let k = 0; k < 9; k += 3) expect(after.slice(k, k + 3).sort()).toEqual(['a', 'b', 'c']);
  });

  it('an agent back at the end of a round ties with everyone and, least recently assigned, goes first — whatever the team size and the rounds before', () => {
    // The virtual time after whole rounds must land exactly on the members' starts: added up one
    // pick at a time, its rounding drifted, and the returner lost the tie and waited a whole round.
    const misplaced: string[] = [];
    for (let n = 2; n <= 16; n++) {
      for (const rounds of [1, 7, 10, 33, 100]) {
        const { router, tick } = shop({ busyThreshold: 1000 });
        const ids = Array.from({ length: n }, (_, i) => `a${i}`);
        for (const id of ids) router.upsertAgent({ id, status: 'online' });
        router.upsertAgent({ id: 'back', status: 'suspended' });
        for (let i = 0; i < n * rounds; i++) {
          router.route({ customerId: `w${i}`, at: tick() });
          router.end(`w${i}`, tick());
        }
        router.setStatus('back', 'online', tick());
        const first = target(router.route({ customerId: 'next', at: tick() }));
        if (first !== 'back') misplaced.push(`${n} agents after ${rounds} rounds: ${first}`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('ties break by the least recently assigned before the id: among busy agents of equal load, and among due agents of equal finish', () => {
    const { router } = shop({ busyThreshold: 0 });
    router.upsertAgent({ id: 'a', status: 'online' });
    router.upsertAgent({ id: 'b', status: 'online' });
    expect(router.route({ customerId: 'c1', dedicatedAgentId: 'b' })).toMatchObject({ agentId: 'b', reason: 'dedicated' });
    expect(router.route({ customerId: 'c2' })).toMatchObject({ agentId: 'a', reason: 'split' });
    // Both busy with one pending: b was assigned less recently than a, so b wins though 'a' < 'b'.
    expect(router.route({ customerId: 'c3' })).toMatchObject({ agentId: 'b', reason: 'busy-fallback' });

    const { router: fresh } = shop({ busyThreshold: 100 });
    for (const id of ['a', 'b', 'c']) fresh.upsertAgent({ id, status: 'online' });
    fresh.route({ customerId: 'x', dedicatedAgentId: 'c' }); // c assigned, its share untouched
    // a, b and c are due with equal finish: the never-assigned a and b come first, by id; then c.
    expect(['y1', 'y2', 'y3'].map((id) => fresh.route({ customerId: id })).map((d) => (d.kind === 'agent' ? d.agentId : d.kind))).toEqual(['a', 'b', 'c']);
  });

  it('a chat declined past every due agent goes to the non-busy agent with the least virtual finish, not the earliest start', () => {
    const router = new Router({ splitMode: 'weighted', stickyWindowMs: 0 });
    [['a0', 4], ['a1', 5], ['a2', 3], ['a3', 5]].forEach(([id, weight]) => router.upsertAgent({ id: id as string, status: 'online', weight: weight as number, cap: 10 }, 0));
    const agentOf = (ds: Decision[] | Decision): string | undefined => {
      const d = Array.isArray(ds) ? ds[0] : ds;
      return d?.kind === 'agent' ? d.agentId : undefined;
    };
    expect(agentOf(router.route({ customerId: 'c0', at: 0 }))).toBe('a1');
    expect(agentOf(router.route({ customerId: 'c1', at: 0 }))).toBe('a3');
    expect(agentOf(router.reroute('c1', { reason: 'declined', at: 0 }))).toBe('a0');
    expect(agentOf(router.reroute('c0', { reason: 'declined', at: 0 }))).toBe('a2');
    expect(agentOf(router.route({ customerId: 'c2', at: 0 }))).toBe('a1');
    // V is 5/17. c1 is kept from a3 and a0, the only due agents (start ≤ V) it may take. Not yet due:
    // a2 (start 1/3, finish 2/3) and a1 (start 0.4, finish 0.6). The one that would end its turn
    // first takes it: a1, though a2's turn begins earlier.
    const fair = router.snapshot();
    const times = (id: string) => fair.agents.find((a) => a.id === id)?.members?.[0];
    expect(fair.pools[0]?.virtualTime).toBeCloseTo(5 / 17, 12);
    expect(times('a2')).toMatchObject({ start: 1 / 3 });
    expect(times('a1')?.start).toBeCloseTo(0.4, 12);
    expect(agentOf(router.reroute('c1', { reason: 'declined', at: 0 }))).toBe('a1');
  });
});
