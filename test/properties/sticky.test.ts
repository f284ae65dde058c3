import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Router } from '../../src/index.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const NOW = 1_000 * HOUR;

describe('recent contacts (rule 2)', () => {
  it('(P) the most recent eligible contact within the window wins; others are ignored', () => {
    const agentArb = fc.record({
      status: fc.constantFrom('online' as const, 'suspended' as const, 'offline' as const),
      full: fc.boolean(),
      pending: fc.integer({ min: 0, max: 9 }),
    });
    fc.assert(
      fc.property(
        fc.array(agentArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ agent: fc.nat(5), ago: fc.integer({ min: 0, max: 2 * WINDOW }) }), { maxLength: 6 }),
        fc.boolean(),
        (agents, contacts, stickyToSuspended) => {
          const router = new Router({ stickyToSuspended, clock: () => NOW });
          agents.forEach((a, i) => router.upsertAgent({ id: `a${i}`, status: a.status, cap: a.full ? 0 : 5, pending: a.pending }));
          const given = contacts.filter((c) => c.agent < agents.length).map((c) => ({ agentId: `a${c.agent}`, at: NOW - c.ago }));
          const eligible = given.filter((c) => {
            const a = agents[Number(c.agentId.slice(1))]!;
            return NOW - c.at <= WINDOW && !a.full && (a.status === 'online' || (a.status === 'suspended' && stickyToSuspended));
          });
          const d = router.route({ customerId: 'c', recentContacts: given });
          if (eligible.length === 0) {
            expect(d.kind === 'agent' ? d.reason : 'none').not.toBe('recent-contact');
          } else {
            const newest = Math.max(...eligible.map((c) => c.at));
            expect(d).toMatchObject({ kind: 'agent', reason: 'recent-contact' });
            // Equal times: the first listed wins.
            expect(d.kind === 'agent' && d.agentId).toBe(eligible.find((c) => c.at === newest)!.agentId);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('(P) the router\'s own memory brings returning customers back without the caller passing contacts, and stays bounded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(fc.tuple(fc.nat(39), fc.integer({ min: 0, max: 30 * HOUR })), { minLength: 1, maxLength: 120, size: 'max' }), (maxEntries, visits) => {
        let now = 0;
        const router = new Router({ contactMemory: { maxEntries }, busyThreshold: 1000, clock: () => now });
        for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' });
        const last = new Map<string, { agent: string; at: number; order: number }>();
        let order = 0;
        for (const [customer, gap] of visits) {
          now += gap;
          const id = `c${customer}`;
          const d = router.route({ customerId: id });
          const prev = last.get(id);
          // Remembered iff served within the window and not among the oldest evicted beyond maxEntries.
          const newer = [...last.values()].filter((v) => prev !== undefined && v.order > prev.order).length;
          if (prev !== undefined && now - prev.at <= WINDOW && newer < maxEntries) {
            expect(d).toMatchObject({ kind: 'agent', agentId: prev.agent, reason: 'recent-contact' });
          } else {
            expect(d.kind === 'agent' && d.reason).toBe('split');
          }
          if (d.kind === 'agent') last.set(id, { agent: d.agentId, at: now, order: order++ });
          router.end(id);
          expect(router.snapshot().contacts.length).toBeLessThanOrEqual(maxEntries);
        }
      }),
      { numRuns: 300 },
    );
  });
});
