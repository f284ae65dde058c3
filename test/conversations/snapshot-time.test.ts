import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Router, RoutingError, type Decision, type RouterOptions } from '../../src/index.js';

const TEAM = ['a', 'b', 'c', '__proto__'];
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'constructor'];
const STATES = ['none', 'unpaid', 'shipped'];

type Op =
  | { op: 'route'; customerId: string; orderState: string; cost: number; dt: number }
  | { op: 'message' | 'reply' | 'end' | 'hold' | 'resume'; customerId: string; dt: number }
  | { op: 'reroute'; customerId: string; reason: 'declined' | 'timeout'; dt: number }
  | { op: 'status'; id: string; status: 'online' | 'suspended' | 'offline'; dt: number }
  | { op: 'cap'; id: string; cap: number; dt: number }
  | { op: 'advance'; dt: number };

const dt = fc.constantFrom(0, 1_000, 20_000, 70_000);
const customer = fc.constantFrom(...CUSTOMERS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('route' as const), customerId: customer, orderState: fc.constantFrom(...STATES), cost: fc.constantFrom(1, 1, 1, 2, 0.5), dt }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('message' as const, 'reply' as const, 'end' as const), customerId: customer, dt }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('hold' as const, 'resume' as const), customerId: customer, dt }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reroute' as const), customerId: customer, reason: fc.constantFrom('declined' as const, 'timeout' as const), dt }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('status' as const), id: fc.constantFrom(...TEAM), status: fc.constantFrom('online' as const, 'online' as const, 'suspended' as const, 'offline' as const), dt }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cap' as const), id: fc.constantFrom(...TEAM), cap: fc.constantFrom(0, 1, 2), dt }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('advance' as const), dt }) },
);

function apply(router: Router, op: Op, t: number): Decision[] | string {
  try {
    switch (op.op) {
      case 'route': return [router.route({ customerId: op.customerId, orderState: op.orderState, cost: op.cost, at: t })];
      case 'hold': return router.hold(op.customerId, t);
      case 'resume': return router.resume(op.customerId, t);
      case 'message': router.customerMessage(op.customerId, t); return [];
      case 'reply': router.agentReply(op.customerId, t); return [];
      case 'end': return router.end(op.customerId, t);
      case 'reroute': return router.reroute(op.customerId, { reason: op.reason, at: t });
      case 'status': return router.setStatus(op.id, op.status, t);
      case 'cap': return router.upsertAgent({ id: op.id, cap: op.cap }, t);
      case 'advance': return router.advance(t);
    }
  } catch (error) {
    if (error instanceof RoutingError) return error.code;
    throw error;
  }
}

const timeOptions = (splitMode: 'average' | 'weighted'): RouterOptions => ({
  splitMode, busyThreshold: 1, answerTimeoutMs: 30_000, suspendAfterMisses: 3, holdForRecentContactMs: 60_000,
  groups: [
    { id: 'pre', orderStates: ['unpaid'], overflow: [{ afterMs: 0, to: ['post'] }, { afterMs: 60_000, to: '*' }] },
    { id: 'post', orderStates: ['shipped'], overflow: [{ afterMs: 90_000, to: ['pre'] }] },
  ],
});

// Inactivity holds, wrap-ups and business hours on top: time 0 is a Thursday (UTC), and runs last
// up to about 70 minutes, crossing a few openings and closings.
const capacityOptions = (splitMode: 'average' | 'weighted'): RouterOptions => ({
  ...timeOptions(splitMode), inactiveAfterMs: 45_000, wrapUpMs: 20_000,
  businessHours: { timeZone: 'UTC', weekly: { thu: ['00:00-00:05', '00:07-00:20', '00:30-00:45', '00:50-24:00'] } },
});

describe('snapshots carry every deadline, and a restored router fires them as the original', () => {
  test.each([
    ['average', timeOptions('average')], ['weighted', timeOptions('weighted')],
    ['average, with inactivity, wrap-ups and business hours', capacityOptions('average')], ['weighted, with inactivity, wrap-ups and business hours', capacityOptions('weighted')],
  ] as const)('(P) %s: restored at any point of a run with messages, replies, time-outs, holds, costs and overflow, it decides as the original', (_, options) => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 60 }), fc.nat(60), (ops, cut) => {
        let t = 1_000;
        const original = new Router({ ...options, clock: () => t });
        TEAM.forEach((id, i) => original.upsertAgent({ id, status: 'online', weight: 1 + i, groups: [['pre'], ['post'], ['pre', 'post'], []][i]!, cap: 2 }, t));
        const at = cut % (ops.length + 1);
        for (const op of ops.slice(0, at)) apply(original, op, (t += op.dt));
        const restored = Router.restore(JSON.parse(JSON.stringify(original.snapshot())), { clock: () => t });
        expect(restored.nextDeadline()).toBe(original.nextDeadline());
        for (const op of ops.slice(at)) {
          t += op.dt;
          expect(apply(restored, op, t)).toStrictEqual(apply(original, op, t));
        }
        expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(original.snapshot()));
        expect(restored.agents()).toStrictEqual(original.agents());
      }),
      { numRuns: 400 },
    );
  });

  test('a version-1 snapshot (before deadlines) still restores: nothing pending fires, nobody awaits a reply', () => {
    let t = 1_000;
    const router = new Router({ clock: () => t, groups: [{ id: 'pre', orderStates: ['unpaid'] }] });
    router.upsertAgent({ id: 'a', status: 'online', groups: ['pre'], cap: 1 });
    router.route({ customerId: 'c1', orderState: 'unpaid' });
    router.route({ customerId: 'c2', orderState: 'unpaid' }); // queued
    const v2 = JSON.parse(JSON.stringify(router.snapshot()));
    // What version 1 wrote: no deadlines, no awaiting replies, no queue bookkeeping, no misses.
    const v1 = { ...v2, version: 1 };
    delete v1.deadlineSeq;
    delete v1.departures;
    v1.agents = v2.agents.map(({ misses: _, ...a }: Record<string, unknown>) => a);
    v1.consultations = v2.consultations.map(({ awaitingSince: _a, queuedAt: _q, reach: _r, ...c }: Record<string, unknown>) => c);
    const restored = Router.restore(v1, { clock: () => t });
    expect(restored.nextDeadline()).toBeUndefined();
    expect(restored.consultation('c1')).toMatchObject({ kind: 'agent', agentId: 'a' });
    expect(restored.consultation('c1')?.awaitingReplySince).toBeUndefined();
    t += 10;
    expect(restored.end('c1')).toMatchObject([{ customerId: 'c2', agentId: 'a', reason: 'split', waitedMs: 10 }]);
  });
});
