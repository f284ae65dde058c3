import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Router, RoutingError, type Decision } from '../../src/index.js';

// Random calls with costs, holds, messages, wrap-ups, inactivity and business hours: the books an
// integrator reads (load, pending, where each chat is) always add up, and the hours are kept.

const AGENTS = ['a', 'b', 'c'];
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
const DAY = 86_400_000;
// Open from 00:00 to 12:00 UTC every day: time t is open when t mod 1 day < 12 h.
const isOpen = (t: number): boolean => ((t % DAY) + DAY) % DAY < DAY / 2;

type Op =
  | { op: 'route'; customerId: string; cost: number }
  | { op: 'end' | 'hold' | 'resume' | 'message' | 'reply'; customerId: string }
  | { op: 'cap'; id: string; cap: number }
  | { op: 'status'; id: string; status: 'online' | 'offline' }
  | { op: 'advance'; ms: number };

const customer = fc.constantFrom(...CUSTOMERS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('route' as const), customerId: customer, cost: fc.constantFrom(1, 1, 2, 0.5, 0.25) }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constantFrom('end' as const, 'hold' as const, 'resume' as const, 'message' as const, 'reply' as const), customerId: customer }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cap' as const), id: fc.constantFrom(...AGENTS), cap: fc.constantFrom(0, 1, 2, 3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('status' as const), id: fc.constantFrom(...AGENTS), status: fc.constantFrom('online' as const, 'offline' as const) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 30_000, 600_000, 3 * 3_600_000) }) },
);

describe('capacity over random call sequences (fast-check)', () => {
  it('load is the cost of the chats not on hold plus wrap-ups, pending the awaited chats not on hold; an assignment never overfills; nothing new or from the queue while closed', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 30, maxLength: 120 }), fc.boolean(), (ops, hours) => {
        let t = 0;
        const router = new Router({
          clock: () => t, wrapUpMs: 20_000, inactiveAfterMs: 300_000, noAgent: 'queue',
          ...(hours ? { businessHours: { timeZone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-12:00']])) } } : {}),
        });
        for (const id of AGENTS) router.upsertAgent({ id, status: 'online', cap: 2 });
        for (const op of ops) {
          let result: Decision[];
          try {
            switch (op.op) {
              case 'route': result = [router.route({ customerId: op.customerId, cost: op.cost })]; break;
              case 'end': result = router.end(op.customerId); break;
              case 'hold': result = router.hold(op.customerId); break;
              case 'resume': result = router.resume(op.customerId); break;
              case 'message': router.customerMessage(op.customerId); result = []; break;
              case 'reply': router.agentReply(op.customerId); result = []; break;
              case 'cap': result = router.upsertAgent({ id: op.id, cap: op.cap }); break;
              case 'status': result = router.setStatus(op.id, op.status); break;
              case 'advance': result = router.advance((t += op.ms)); break;
            }
          } catch (error) {
            if (error instanceof RoutingError) continue;
            throw error;
          }
          const snap = router.snapshot();
          const views = new Map(router.agents().map((a) => [a.id, a]));
          for (const a of snap.agents) {
            const mine = snap.consultations.filter((c) => c.where === 'agent' && c.agentId === a.id);
            const wrapUps = (snap.wrapUps ?? []).filter(([id]) => id === a.id).reduce((s, [, cost]) => s + cost, 0);
            const counted = mine.filter((c) => c.onHold !== true).reduce((s, c) => s + (c.cost ?? 1), 0);
            expect(views.get(a.id)?.load).toBeCloseTo(counted + wrapUps, 9);
            expect(views.get(a.id)?.pending).toBe(mine.filter((c) => c.onHold !== true && c.awaitingSince !== undefined).length);
          }
          for (const d of result) {
            if (d.kind === 'agent') {
              const agent = views.get(d.agentId);
              expect((agent?.load ?? 0) - (agent?.cap ?? 0)).toBeLessThanOrEqual(1e-9);
            }
            if (!hours) continue;
            // Closed: a new consultation gets reason 'closed'; nothing is served from the queue.
            if (op.op === 'route' && !isOpen(d.at)) expect(d.reason).toBe('closed');
            if (d.kind === 'agent' && d.waitedMs !== undefined) expect(isOpen(d.at)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a freed agent serves the queue first fit in service order: every waiting chat that fits its room, in order, and no other', () => {
    // One pool and no recent contacts, so any agent may take any waiting chat: what an end serves
    // is fixed by the queue before it and the room the end frees.
    const step = fc.oneof(
      { weight: 3, arbitrary: fc.record({ op: fc.constant('route' as const), cost: fc.constantFrom(1, 1, 2, 3, 0.5) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('end' as const), pick: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 150 }), fc.constantFrom(2, 3, 4), (steps, cap) => {
        const router = new Router({ clock: () => 0, stickyWindowMs: 0, noAgent: 'queue' });
        for (const id of AGENTS) router.upsertAgent({ id, status: 'online', cap });
        const open: string[] = [];
        for (const s of steps) {
          if (s.op === 'route') {
            open.push(`c${open.length}`);
            router.route({ customerId: open.at(-1)!, cost: s.cost });
            continue;
          }
          const assigned = open.map((c) => router.consultation(c)).filter((c) => c?.kind === 'agent');
          if (assigned.length === 0) continue;
          const ended = assigned[s.pick % assigned.length]!;
          const agent = router.getAgent(ended.agentId!)!;
          let room = agent.cap - (agent.load - (ended.cost ?? 1));
          const expected: string[] = [];
          for (const q of router.queue()) {
            const cost = router.consultation(q.customerId)?.cost ?? 1;
            if (cost <= room + 1e-9) {
              expected.push(q.customerId);
              room -= cost;
            }
          }
          const served = router.end(ended.customerId);
          expect(served.map((d) => [d.customerId, d.kind === 'agent' ? d.agentId : d.kind])).toEqual(expected.map((c) => [c, agent.id]));
        }
      }),
      { numRuns: 300 },
    );
  });
});
