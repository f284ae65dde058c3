import fc from 'fast-check';
import { Router, RoutingError, type Decision, type RouterOptions } from '../../src/index.js';

/** One random public call. Ids come from small pools so that calls collide often. */
export type Op =
  | { op: 'upsert'; id: string; status?: 'online' | 'suspended' | 'offline'; weight?: number; groups?: string[]; cap?: number; pending?: number }
  | { op: 'status'; id: string; status: 'online' | 'suspended' | 'offline' }
  | { op: 'pending'; id: string; pending: number }
  | { op: 'route'; customerId: string; orderState: string; priority: number; dedicatedAgentId?: string; contacts?: { agentId: string; ago: number }[] }
  | { op: 'end'; customerId: string }
  | { op: 'reroute'; customerId: string; reason: 'declined' | 'timeout' }
  | { op: 'transfer'; customerId: string; toAgentId: string }
  | { op: 'escalate'; customerId: string }
  | { op: 'remove'; id: string }
  | { op: 'tick'; ms: number };

export const AGENT_IDS = ['a', 'b', 'c', 'd', '__proto__', '客服'];
export const CUSTOMER_IDS = Array.from({ length: 14 }, (_, i) => (i === 13 ? 'constructor' : `c${i}`));
export const GROUPS = [
  { id: 'pre', orderStates: ['none', 'unpaid'] },
  { id: 'post', orderStates: ['shipped', 'refunding'] },
  { id: 'free' },
];
export const STATES = ['none', 'unpaid', 'unshipped', 'shipped', 'refunding', 'completed'];
const HOUR = 3_600_000;

const agentId = fc.constantFrom(...AGENT_IDS);
const customerId = fc.constantFrom(...CUSTOMER_IDS);
const status = fc.constantFrom('online' as const, 'online' as const, 'suspended' as const, 'offline' as const);

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({
    op: fc.constant('upsert' as const), id: agentId,
    status: fc.option(status, { nil: undefined }),
    weight: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    groups: fc.option(fc.subarray(['pre', 'post', 'free']), { nil: undefined }),
    cap: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    pending: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
  }, { requiredKeys: ['op', 'id'] }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('status' as const), id: agentId, status }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('pending' as const), id: agentId, pending: fc.integer({ min: 0, max: 8 }) }) },
  { weight: 8, arbitrary: fc.record({
    op: fc.constant('route' as const), customerId, orderState: fc.constantFrom(...STATES),
    priority: fc.integer({ min: 0, max: 2 }),
    dedicatedAgentId: fc.option(agentId, { nil: undefined, freq: 6 }),
    contacts: fc.option(fc.array(fc.record({ agentId, ago: fc.integer({ min: 0, max: 100 * HOUR }) }), { maxLength: 3 }), { nil: undefined }),
  }, { requiredKeys: ['op', 'customerId', 'orderState', 'priority'] }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('end' as const), customerId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reroute' as const), customerId, reason: fc.constantFrom('declined' as const, 'timeout' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('transfer' as const), customerId, toAgentId: agentId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('escalate' as const), customerId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), id: agentId }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 * HOUR }) }) },
);

export const optionsArb: fc.Arbitrary<RouterOptions> = fc.record({
  splitMode: fc.constantFrom('average' as const, 'weighted' as const),
  busyThreshold: fc.integer({ min: 0, max: 5 }),
  stickyToSuspended: fc.boolean(),
  robot: fc.boolean(),
  noAgent: fc.constantFrom('queue' as const, 'main' as const),
}).map((o) => ({ ...o, mainAccountId: 'owner', groups: GROUPS, receptionMode: o.robot ? ('mixed' as const) : ('human-first' as const), robotRatio: 0.25 }));

/** A router on a manual clock, and a function that applies one op to it. */
export function harness(options: RouterOptions): { router: Router; now: () => number; apply: (op: Op) => Decision[] | RoutingError } {
  let now = 0;
  const router = new Router({ ...options, clock: () => now });
  // Every run starts with the whole team online, so that most calls do something.
  for (const id of AGENT_IDS) router.upsertAgent({ id, status: 'online', groups: [GROUPS[AGENT_IDS.indexOf(id) % 3]!.id], cap: 3 });
  const apply = (op: Op): Decision[] | RoutingError => {
    try {
      switch (op.op) {
        case 'upsert': {
          const { op: _, ...spec } = op;
          return router.upsertAgent(spec);
        }
        case 'status': return router.setStatus(op.id, op.status);
        case 'pending': router.setPending(op.id, op.pending); return [];
        case 'route': return [router.route({
          customerId: op.customerId, orderState: op.orderState, priority: op.priority,
          ...(op.dedicatedAgentId === undefined ? {} : { dedicatedAgentId: op.dedicatedAgentId }),
          ...(op.contacts === undefined ? {} : { recentContacts: op.contacts.map((c) => ({ agentId: c.agentId, at: now - c.ago })) }),
        })];
        case 'end': return router.end(op.customerId);
        case 'reroute': return router.reroute(op.customerId, { reason: op.reason });
        case 'transfer': return router.reroute(op.customerId, { reason: 'transfer', toAgentId: op.toAgentId });
        case 'escalate': return [router.escalate(op.customerId)];
        case 'remove': return router.removeAgent(op.id);
        case 'tick': now += op.ms; return [];
      }
    } catch (error) {
      if (error instanceof RoutingError) return error;
      throw error;
    }
  };
  return { router, now: () => now, apply };
}

/** A sequence long enough to fill caps, queue, re-route and drain. */
export const opsArb = (maxLength: number): fc.Arbitrary<Op[]> => fc.array(opArb, { minLength: Math.min(40, maxLength), maxLength, size: 'max' });
