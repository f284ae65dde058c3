import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Router, RoutingError, SNAPSHOT_VERSION } from '../src/index.js';
import type { RouterOptions } from '../src/options.js';
import type { AgentStatus, Decision, ReceptionMode, RerouteReason, SplitMode } from '../src/types.js';

// ───────────── random operation sequences ─────────────

const AGENTS = ['a', 'b', 'c', '__proto__'];
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'constructor'];
const STATES = ['none', 'unpaid', 'unshipped', 'shipped', 'refunding', 'completed'];

type Op =
  | { op: 'upsert'; id: string; status: AgentStatus | undefined; weight: number | undefined; groups: string[] | undefined; cap: number | undefined; pending: number | undefined; dt: number }
  | { op: 'status'; id: string; status: AgentStatus; dt: number }
  | { op: 'pending'; id: string; pending: number }
  | { op: 'remove'; id: string; dt: number }
  | { op: 'route'; customerId: string; orderState: string; priority: number; dedicated: string | undefined; contact: string | undefined; dt: number }
  | { op: 'escalate'; customerId: string; dt: number }
  | { op: 'reroute'; customerId: string; reason: RerouteReason; to: string | undefined; dt: number }
  | { op: 'end'; customerId: string; dt: number };

const agent = fc.constantFrom(...AGENTS);
const customer = fc.constantFrom(...CUSTOMERS);
const dt = fc.constantFrom(0, 1, 30, 500);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const status = fc.constantFrom<AgentStatus>('online', 'online', 'suspended', 'offline');

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('upsert' as const), id: agent, status: maybe(status), weight: maybe(fc.constantFrom(1, 2, 3)), groups: maybe(fc.subarray(['pre', 'post'])), cap: maybe(fc.constantFrom(0, 1, 2, Number.POSITIVE_INFINITY)), pending: maybe(fc.nat(6)), dt }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('status' as const), id: agent, status, dt }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('pending' as const), id: agent, pending: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), id: agent, dt }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('route' as const), customerId: customer, orderState: fc.constantFrom(...STATES), priority: fc.constantFrom(0, 0, 1), dedicated: maybe(agent), contact: maybe(agent), dt }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('escalate' as const), customerId: customer, dt }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reroute' as const), customerId: customer, reason: fc.constantFrom<RerouteReason>('declined', 'timeout', 'transfer'), to: maybe(agent), dt }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('end' as const), customerId: customer, dt }) },
);

const mode = fc.constantFrom<ReceptionMode>('human-first', 'human-first', 'robot-first', 'mixed');
const optionsArb: fc.Arbitrary<RouterOptions> = fc
  .record({
    splitMode: fc.constantFrom<SplitMode>('average', 'weighted'),
    busyThreshold: fc.nat(4),
    stickyWindowMs: fc.constantFrom(0, 100, 72 * 3_600_000),
    stickyToSuspended: fc.boolean(),
    receptionMode: mode,
    robot: fc.boolean(),
    noAgent: fc.constantFrom<'queue' | 'main' | 'proxy'>('queue', 'main', 'proxy'),
    pre: fc.subarray(STATES),
    post: fc.subarray(STATES),
    postMode: maybe(mode),
    maxEntries: fc.constantFrom(1, 3, 1000),
  })
  .map((r) => ({
    splitMode: r.splitMode,
    busyThreshold: r.busyThreshold,
    stickyWindowMs: r.stickyWindowMs,
    stickyToSuspended: r.stickyToSuspended,
    receptionMode: r.receptionMode,
    robotRatio: 0.4,
    robot: r.robot || r.receptionMode !== 'human-first' || (r.postMode !== undefined && r.postMode !== 'human-first'),
    noAgent: r.noAgent,
    mainAccountId: 'boss',
    proxyAccountId: 'proxy',
    groups: [{ id: 'pre', orderStates: r.pre }, { id: 'post', orderStates: r.post, ...(r.postMode === undefined || r.post.length === 0 ? {} : { receptionMode: r.postMode }) }],
    contactMemory: { maxEntries: r.maxEntries },
  }));

/** What one operation did: its decisions, or the code it was rejected with. */
type Result = Decision[] | string;

function apply(router: Router, op: Op, t: number): Result {
  try {
    switch (op.op) {
      case 'upsert': {
        const spec = { id: op.id, ...(op.status && { status: op.status }), ...(op.weight && { weight: op.weight }), ...(op.groups && { groups: op.groups }), ...(op.cap !== undefined && { cap: op.cap }), ...(op.pending !== undefined && { pending: op.pending }) };
        return router.upsertAgent(spec, t);
      }
      case 'status': return router.setStatus(op.id, op.status, t);
      case 'pending': router.setPending(op.id, op.pending); return [];
      case 'remove': return router.removeAgent(op.id, t);
      case 'route': return [router.route({
        customerId: op.customerId, orderState: op.orderState, priority: op.priority, at: t,
        ...(op.dedicated && { dedicatedAgentId: op.dedicated }),
        ...(op.contact && { recentContacts: [{ agentId: op.contact, at: t - 50 }] }),
      })];
      case 'escalate': return [router.escalate(op.customerId, t)];
      case 'reroute': return router.reroute(op.customerId, { reason: op.reason, at: t, ...(op.reason === 'transfer' && op.to && { toAgentId: op.to }) });
      case 'end': return router.end(op.customerId, t);
    }
  } catch (error) {
    if (error instanceof RoutingError) return error.code;
    throw error;
  }
}

const dtOf = (op: Op): number => ('dt' in op ? op.dt : 0);

describe('snapshots', () => {
  test('(P) a router restored midway makes exactly the same decisions as the original', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(opArb, { maxLength: 80, size: 'max' }), fc.array(opArb, { minLength: 1, maxLength: 80, size: 'max' }), (options, before, after) => {
        let t = 1000;
        const original = new Router({ ...options, clock: () => t });
        for (const op of before) apply(original, op, (t += dtOf(op)));
        const snap = original.snapshot();
        const text = JSON.stringify(snap);
        const restored = Router.restore(JSON.parse(text), { clock: () => t });
        expect(JSON.stringify(restored.snapshot())).toBe(text);
        for (const op of after) {
          t += dtOf(op);
          expect(apply(restored, op, t)).toStrictEqual(apply(original, op, t));
          expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(original.snapshot()));
          expect(restored.agents()).toStrictEqual(original.agents());
          expect(restored.queue()).toStrictEqual(original.queue());
        }
        // Snapshots are plain JSON: nothing lost in the round trip.
        expect(JSON.parse(text)).toStrictEqual(snap);
      }),
      { numRuns: 500 },
    );
  });

  // Issue: when every due agent of a pool had been excluded from a re-routed chat, the search past
  // them ordered the rest by a key whose meaning depended on the heap each agent sat in, and a
  // restored router could decide differently. Runs heavy in re-routes, declines, transfers, status
  // changes and queue drains, restored at a random point, in each split mode.
  const TEAM = ['a', 'b', 'c', 'd', 'e', '__proto__'];
  const member = fc.constantFrom(...TEAM);
  const churnArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 1, arbitrary: fc.record({ op: fc.constant('upsert' as const), id: member, status: maybe(status), weight: maybe(fc.constantFrom(1, 2, 3)), groups: fc.constant(undefined), cap: maybe(fc.constantFrom(1, 2, 3)), pending: maybe(fc.nat(4)), dt }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('status' as const), id: member, status, dt }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('pending' as const), id: member, pending: fc.nat(4) }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('route' as const), customerId: customer, orderState: fc.constant('none'), priority: fc.constantFrom(0, 0, 1), dedicated: fc.constant(undefined), contact: fc.constant(undefined), dt }) },
    { weight: 8, arbitrary: fc.record({ op: fc.constant('reroute' as const), customerId: customer, reason: fc.constantFrom<RerouteReason>('declined', 'declined', 'timeout', 'transfer'), to: maybe(member), dt }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('end' as const), customerId: customer, dt }) },
  );
  test.each(['average', 'weighted'] as const)('(P) %s: restored at any point of a run with re-routes, a router decides as the original for the rest of it', (splitMode) => {
    fc.assert(
      fc.property(fc.array(churnArb, { minLength: 60, maxLength: 60 }), fc.nat(60), fc.array(fc.constantFrom(1, 2, 3), { minLength: TEAM.length, maxLength: TEAM.length }), (ops, at, weights) => {
        let t = 1000;
        const original = new Router({ splitMode, busyThreshold: 3, stickyWindowMs: 0, clock: () => t });
        TEAM.forEach((id, i) => original.upsertAgent({ id, status: 'online', weight: weights[i], cap: 3 }, t));
        ops.slice(0, at).forEach((op) => apply(original, op, (t += dtOf(op))));
        const restored = Router.restore(JSON.parse(JSON.stringify(original.snapshot())), { clock: () => t });
        for (const op of ops.slice(at)) {
          t += dtOf(op);
          expect(apply(restored, op, t)).toStrictEqual(apply(original, op, t));
        }
        expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(original.snapshot()));
      }),
      { numRuns: 1_000 },
    );
  });

  // Ended consultations' records are reused: each of these would leave something behind if not reset.
  test('a consultation routed after an offline message ended carries no account of it', () => {
    const router = new Router({ robot: true, noAgent: 'main', mainAccountId: 'boss' });
    router.route({ customerId: 'c1', at: 1 }); // nobody on line: the robot
    expect(router.escalate('c1', 2)).toMatchObject({ kind: 'offline', accountId: 'boss' });
    router.end('c1', 3);
    expect(router.route({ customerId: 'c2', priority: 2, at: 4 })).toMatchObject({ kind: 'robot' });
    const snap = router.snapshot();
    expect(snap.consultations).toEqual([{ customerId: 'c2', orderState: 'none', since: 4, order: 2, priority: 2, excluded: [], escalated: false, where: 'robot' }]);
    expect(JSON.stringify(Router.restore(JSON.parse(JSON.stringify(snap))).snapshot())).toBe(JSON.stringify(snap));
  });

  test('a consultation routed after a re-routed one ended is not kept from the agent that one left', () => {
    const router = new Router();
    router.upsertAgent({ id: 'a', status: 'online' }, 0);
    router.upsertAgent({ id: 'b', status: 'online' }, 0);
    expect(router.route({ customerId: 'c1', at: 1 })).toMatchObject({ agentId: 'a' });
    expect(router.setStatus('a', 'offline', 2)).toMatchObject([{ agentId: 'b', reroutedFrom: 'a' }]);
    router.end('c1', 3);
    router.setStatus('a', 'online', 4);
    router.setStatus('b', 'offline', 5);
    expect(router.route({ customerId: 'c2', at: 6 })).toMatchObject({ kind: 'agent', agentId: 'a', reason: 'split' });
    expect(router.snapshot().consultations).toMatchObject([{ customerId: 'c2', excluded: [], agentId: 'a' }]);
  });

  test('calls without `at` read the clock given to restore', () => {
    let t = 5000;
    const router = new Router({ clock: () => t });
    router.upsertAgent({ id: 'a', status: 'online' });
    const copy = Router.restore(JSON.parse(JSON.stringify(router.snapshot())), { clock: () => t });
    t = 6000;
    expect(copy.route({ customerId: 'c1' }).at).toBe(6000);
    expect(() => copy.route({ customerId: 'c2', at: 5999 })).toThrow(expect.objectContaining({ code: 'TIME_WENT_BACKWARDS' }));
  });
});

// ───────────── corrupted snapshots ─────────────

/** A snapshot with every kind of record: agents with memberships, each consultation place, contacts. */
function sample(): Record<string, unknown> {
  let t = 1000;
  const router = new Router({ groups: [{ id: 'pre', orderStates: ['unpaid'] }], noAgent: 'main', mainAccountId: 'boss', clock: () => t });
  router.upsertAgent({ id: 'a', status: 'online', cap: 1, groups: ['pre'] });
  router.upsertAgent({ id: 'b', status: 'suspended' });
  router.route({ customerId: 'c1', orderState: 'unpaid' }); // → a
  t += 10;
  router.route({ customerId: 'c2' }); // → offline message to boss
  return JSON.parse(JSON.stringify(router.snapshot())) as Record<string, unknown>;
}

// Corruptions reach anywhere in the JSON, so the sample is handled untyped.
type Snap = Record<string, any>;

const corruptions: [string, (s: Snap) => unknown][] = [
  // ── wrong version ──
  ['a later version', (s) => { s.version = SNAPSHOT_VERSION + 1; }],
  ['version 0', (s) => { s.version = 0; }],
  ['version as a string', (s) => { s.version = String(SNAPSHOT_VERSION); }],
  ['version missing', (s) => { delete s.version; }],
  // ── missing fields ──
  ['options missing', (s) => { delete s.options; }],
  ['agents missing', (s) => { delete s.agents; }],
  ['consultations missing', (s) => { delete s.consultations; }],
  ['pools missing', (s) => { delete s.pools; }],
  ['modes missing', (s) => { delete s.modes; }],
  ['contacts missing', (s) => { delete s.contacts; }],
  // ── the idle budget's memory ──
  ['idle.grown negative', (s) => { s.idle.grown = -1; }],
  ['idle.dropped naming an unknown group', (s) => { s.idle.dropped = ['["vip"]']; }],
  ['idle.dropped naming a pool in existence', (s) => { s.idle.dropped = [s.pools[0].key]; }],
  ['idle.dropped naming a pool twice', (s) => { s.options.groups.push({ id: 'vip' }); s.idle.dropped = ['["vip"]', '["vip"]']; }],
  ['idle.dropped over 256 keys', (s) => { s.idle.dropped = Array.from({ length: 257 }, () => '*'); }],
  ['seq missing', (s) => { delete s.seq; }],
  ['an agent without id', (s) => { delete s.agents[0]!.id; }],
  ['an agent without members', (s) => { delete s.agents[0]!.members; }],
  ['a consultation without where', (s) => { delete s.consultations[0]!.where; }],
  ['a consultation without excluded', (s) => { delete s.consultations[0]!.excluded; }],
  // ── wrong types ──
  ['agents an object', (s) => { s.agents = {}; }],
  ['an agent weight as a string', (s) => { s.agents[0]!.weight = '1'; }],
  ['an agent weight 0', (s) => { s.agents[0]!.weight = 0; }],
  ['an agent weight below what upsertAgent takes (1e-300)', (s) => { s.agents[0]!.weight = 1e-300; }],
  ['an agent weight above what upsertAgent takes (1e7)', (s) => { s.agents[0]!.weight = 1e7; }],
  ['an empty slot in the agents', (s) => { s.agents = [, s.agents[1]]; }],
  ['an empty slot in an agent\'s groups', (s) => { s.agents[1]!.groups = new Array(1); }],
  ['now past a Date\'s range', (s) => { s.now = 1e17; }],
  ['an agent cap -1', (s) => { s.agents[0]!.cap = -1; }],
  ['an agent cap Infinity (not JSON)', (s) => { s.agents[0]!.cap = Number.POSITIVE_INFINITY; }],
  ['an agent pending 1.5', (s) => { s.agents[0]!.pending = 1.5; }],
  ['an agent status "busy"', (s) => { s.agents[0]!.status = 'busy'; }],
  ['a member start NaN', (s) => { s.agents[0]!.members[0]!.start = Number.NaN; }],
  ['a consultation where "lost"', (s) => { s.consultations[0]!.where = 'lost'; }],
  ['a consultation since as a string', (s) => { s.consultations[0]!.since = '1000'; }],
  ['a consultation escalated as a number', (s) => { s.consultations[0]!.escalated = 0; }],
  ['now as a string', (s) => { s.now = 'now'; }],
  ['a contact of two items', (s) => { s.contacts[0] = ['c1', 'a']; }],
  ['options null', (s) => { s.options = null; }],
  ['options.splitMode unknown', (s) => { s.options.splitMode = 'random'; }],
  ['options with an unknown key', (s) => { s.options.extra = true; }],
  ['options.noAgent main without mainAccountId', (s) => { delete s.options.mainAccountId; }],
  ['options.groups binding an unknown order state', (s) => { s.options.groups[0]!.orderStates.push('lost'); }],
  // ── inconsistent references ──
  ['an agent listing a consultation that is not with it', (s) => { s.agents[1]!.open.push('c1'); }],
  ['an agent listing an unknown customer', (s) => { s.agents[0]!.open.push('nobody'); }],
  ['an agent listing the same consultation twice', (s) => { s.agents[0]!.open.push('c1'); }],
  ['a consultation with an agent that does not list it', (s) => { s.agents[0]!.open = []; }],
  ['a consultation with an unknown agent', (s) => { s.consultations[0]!.agentId = 'ghost'; }],
  ['a consultation with an agent that names none, listed by none', (s) => { delete s.consultations[0]!.agentId; s.agents[0]!.open = []; }],
  ['an offline message with an agentId', (s) => { s.consultations[1]!.agentId = 'a'; }],
  ['an offline message without accountId', (s) => { delete s.consultations[1]!.accountId; }],
  ['two consultations of one customer', (s) => { s.consultations.push({ ...s.consultations[1]! }); }],
  ['two agents with one id', (s) => { s.agents.push({ ...s.agents[1]!, open: [] }); }],
  ['an agent in an undeclared group', (s) => { s.agents[1]!.groups = ['vip']; }],
  ['a consultation in an unknown order state', (s) => { s.consultations[0]!.orderState = 'lost'; }],
  ['a pool the options do not define', (s) => { s.pools[0]!.key = '["vip"]'; }],
  ['a pool missing', (s) => { s.pools.pop(); }],
  ['a mode the options do not define', (s) => { s.modes[0]!.key = 'vip'; }],
  ['memberships not matching the groups', (s) => { s.agents[0]!.members = []; }],
  ['an answer deadline on an offline message', (s) => { s.consultations[1]!.deadline = { kind: 'answer', at: 500, seq: 0 }; }],
  ['an overflow deadline on a consultation with an agent', (s) => { s.consultations[0]!.deadline = { kind: 'overflow', at: 500, seq: 0 }; }],
  ['a consultation on hold that is not with an agent', (s) => { s.consultations[1]!.onHold = true; }],
  ['a cost of 0', (s) => { s.consultations[0]!.cost = 0; }],
  ['a cost above what route takes (1e7)', (s) => { s.consultations[0]!.cost = 1e7; }],
  ['arrivals fewer than the consultations\' arrival orders', (s) => { s.arrivals = 1; }],
  ['a wrap-up of an unknown agent', (s) => { s.wrapUps = [['ghost', 1, 2000, 0]]; }],
  ['an opening set after deadlineSeq', (s) => { s.opening = { at: 2000, seq: (s.deadlineSeq ?? 0) + 1 }; }],
  ['a pool key that is not JSON', (s) => { s.pools[0]!.key = '[pre'; }],
  // ── not a snapshot at all ──
  ['null', () => null],
  ['a string', () => 'snapshot'],
  ['an array', () => []],
];

describe('corrupted snapshots are rejected whole with INVALID_SNAPSHOT', () => {
  test('the sample restores as is', () => {
    const s = sample();
    expect(JSON.stringify(Router.restore(s as never).snapshot())).toBe(JSON.stringify(s));
  });

  test.each(corruptions)('%s', (_, corrupt) => {
    const s = sample() as Snap;
    const replaced = corrupt(s);
    const input = replaced === undefined ? s : replaced;
    const text = JSON.stringify(input);
    let caught: unknown;
    try {
      Router.restore(input as never, { clock: () => 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RoutingError);
    expect((caught as RoutingError).code).toBe('INVALID_SNAPSHOT');
    expect((caught as RoutingError).message).toMatch(/^Expected `snapshot/);
    // The input is left as it was.
    expect(JSON.stringify(input)).toBe(text);
  });
});

/** The valid snapshot `make` returns restores; changed by `corrupt`, it is refused whole, naming `field`. */
function refusedAt(make: () => Snap, corrupt: (s: Snap) => void, field: string): void {
  const s = make();
  expect(() => Router.restore(JSON.parse(JSON.stringify(s)) as never)).not.toThrow();
  corrupt(s);
  expect(() => Router.restore(s as never)).toThrowError(expect.objectContaining({ code: 'INVALID_SNAPSHOT', field }));
}

describe('a snapshot whose parts contradict each other is refused whole', () => {
  // A shop with holds, wrap-ups, an answer timeout, overflow and the robot, snapshotted mid-run.
  const rich = (): Snap => {
    const r = new Router({
      robot: true, holdForRecentContactMs: 60_000, inactiveAfterMs: 45_000, wrapUpMs: 20_000, answerTimeoutMs: 30_000,
      groups: [{ id: 'pre', orderStates: ['unpaid'], overflow: [{ afterMs: 1000, to: '*' }] }],
    });
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 }, 0);
    r.upsertAgent({ id: 'b', status: 'online', cap: 1 }, 0);
    r.route({ customerId: 'h', at: 0 }); // to a
    r.route({ customerId: 'g', at: 1 }); // to b
    r.end('h', 2);
    r.end('g', 3);
    r.advance(20_003); // the wrap-ups are over
    r.route({ customerId: 'k', at: 20_004 }); // to a
    r.route({ customerId: 'h', at: 20_005 }); // its recent contact a is full: held for a
    r.route({ customerId: 'w', at: 20_006 }); // to b
    r.route({ customerId: 'u', orderState: 'unpaid', at: 20_007 }); // nobody of the group: the robot
    r.end('w', 20_008); // b in wrap-up
    return JSON.parse(JSON.stringify(r.snapshot())) as Snap;
  };
  const C = (s: Snap, id: string): Snap => s.consultations.find((c: Snap) => c.customerId === id);
  test.each<[string, (s: Snap) => void, string]>([
    ['a reception mode listed twice', (s) => { s.modes.push({ ...s.modes[0] }); }, 'snapshot.modes'],
    ['an agent assigned after seq', (s) => { s.agents[0].lastSeq = s.seq + 1; }, 'snapshot.agents'],
    ['two consultations of one arrival order', (s) => { C(s, 'h').order = C(s, 'k').order; }, 'snapshot.consultations'],
    ['contacts out of time order', (s) => { s.contacts.reverse(); }, 'snapshot.contacts'],
    ['a consultation with the robot in a shop without one', (s) => { s.options.robot = false; }, 'snapshot.consultations'],
    ['a queued consultation past its overflow steps', (s) => { C(s, 'h').reach = 5; }, 'snapshot.consultations'],
    ['a consultation with an agent held for one', (s) => { C(s, 'k').heldFor = 'a'; }, 'snapshot.consultations'],
    ["the robot's consultation awaiting an agent's reply", (s) => { C(s, 'u').awaitingSince = 5; }, 'snapshot.consultations'],
    ['an inactivity deadline on a consultation on hold', (s) => { C(s, 'k').onHold = true; }, 'snapshot.consultations'],
    ['a hold deadline on a consultation held for nobody', (s) => { delete C(s, 'h').heldFor; }, 'snapshot.consultations'],
    ['a deadline set after deadlineSeq', (s) => { C(s, 'k').deadline.seq = s.deadlineSeq + 1; }, 'snapshot.consultations'],
    ['an inactivity deadline set after deadlineSeq', (s) => { C(s, 'k').quiet.seq = s.deadlineSeq + 1; }, 'snapshot.consultations'],
    ['a wrap-up set after deadlineSeq', (s) => { s.wrapUps[0][3] = s.deadlineSeq + 1; }, 'snapshot.wrapUps'],
    ['departures of a pool not in the snapshot', (s) => { s.departures.push(['["ghost"]', [1]]); }, 'snapshot.departures'],
    ["an agent listing the robot's consultation, which names it", (s) => { C(s, 'u').agentId = 'b'; s.agents[1].open.push('u'); }, 'snapshot.agents'],
  ])('%s', (_, corrupt, field) => refusedAt(rich, corrupt, field));
});

describe('a snapshot with a field of the wrong shape is refused whole, naming the field', () => {
  // Most record kinds: wrap-ups, contacts, mixed-mode counters, an answer deadline, queued escalations.
  const rich = (): Snap => {
    const r = new Router({
      robot: true, receptionMode: 'human-first', robotRatio: 0.5, busyThreshold: 1,
      answerTimeoutMs: 30_000, suspendAfterMisses: 3, holdForRecentContactMs: 60_000, inactiveAfterMs: 45_000, wrapUpMs: 20_000,
      groups: [
        { id: 'pre', orderStates: ['unpaid'], receptionMode: 'mixed', robotRatio: 0.3, overflow: [{ afterMs: 10_000, to: ['post'] }] },
        { id: 'post', orderStates: ['shipped'] },
      ],
    });
    let t = 1000;
    r.upsertAgent({ id: 'a', status: 'online', cap: 1, groups: ['pre'] }, t);
    r.upsertAgent({ id: 'b', status: 'online', cap: 1, groups: ['post'] }, t);
    r.upsertAgent({ id: 'c', status: 'online', cap: 2 }, t);
    r.route({ customerId: 'k1', at: t });
    r.route({ customerId: 'k2', at: (t += 10) });
    r.end('k1', (t += 10));
    for (let i = 0; i < 6; i++) r.route({ customerId: `u${i}`, orderState: 'unpaid', at: (t += 10) });
    r.route({ customerId: 's1', orderState: 'shipped', at: (t += 10) });
    r.route({ customerId: 's2', orderState: 'shipped', at: (t += 10) });
    for (const id of ['s1', 's2']) if (r.consultation(id)?.kind === 'robot') r.escalate(id, (t += 10));
    r.customerMessage('k2', (t += 10));
    return JSON.parse(JSON.stringify(r.snapshot())) as Snap;
  };
  test.each<[string, (s: Snap) => void, string]>([
    ['an agent id ""', (s) => { s.agents.find((a: Snap) => a.id === 'c').id = ''; }, 'snapshot.agents[2].id'],
    ['a contact\'s customer id ""', (s) => { s.contacts[0][0] = ''; }, 'snapshot.contacts[0][0]'],
    ['a contact of four items', (s) => { s.contacts[0].push(5); }, 'snapshot.contacts[0]'],
    // No call could address them: a 1,025-character agent could never be set offline or removed.
    ['an agent id of 1,025 characters', (s) => { s.agents[0].id = 'x'.repeat(1025); }, 'snapshot.agents[0].id'],
    ['a contact\'s customer id of 1,025 characters', (s) => { s.contacts[0][0] = 'x'.repeat(1025); }, 'snapshot.contacts[0][0]'],
    // Times outside a Date's range, which no call accepts (deadlines computed from a time may lie past it).
    ['a consultation since 9e15', (s) => { s.consultations[0].since = 9e15; }, 'snapshot.consultations[0].since'],
    ["a queued consultation's queuedAt -9e15", (s) => { s.consultations.find((c: Snap) => c.where === 'queued').queuedAt = -9e15; }, 'snapshot.consultations[7].queuedAt'],
    ['a contact at 9e15', (s) => { s.contacts[0][2] = 9e15; }, 'snapshot.contacts[0][2]'],
    ['a recent contact at 9e15', (s) => { s.consultations[0].recentContacts = [{ agentId: 'a', at: 9e15 }]; }, 'snapshot.consultations[0].recentContacts[0].at'],
    ['a consultation with 101 recent contacts', (s) => { s.consultations[0].recentContacts = Array.from({ length: 101 }, (_, i) => ({ agentId: `r${i}`, at: 0 })); }, 'snapshot.consultations[0].recentContacts'],
    ['options an array', (s) => { s.options = []; }, 'snapshot.options'],
    ['deadlineSeq 6.5', (s) => { s.deadlineSeq = 6.5; }, 'snapshot.deadlineSeq'],
    ['an agent assigned -1 times', (s) => { s.agents[0].assigned = -1; }, 'snapshot.agents[0].assigned'],
    ["a mode's robots -1", (s) => { s.modes[1].robots = -1; }, 'snapshot.modes[1].robots'],
    ["a mode's routed 0.5", (s) => { s.modes[1].routed = 0.5; }, 'snapshot.modes[1].routed'],
    ['a consultation without priority', (s) => { delete s.consultations[0].priority; }, 'snapshot.consultations[0].priority'],
    ['a recent contact without at', (s) => { s.consultations[0].recentContacts = [{ agentId: 'a' }]; }, 'snapshot.consultations[0].recentContacts[0].at'],
    ['a wrap-up of cost 0', (s) => { s.wrapUps[0][1] = 0; }, 'snapshot.wrapUps[0][1]'],
    ['a wrap-up of cost -1', (s) => { s.wrapUps[0][1] = -1; }, 'snapshot.wrapUps[0][1]'],
    ['an inactivity deadline of seq 1.5', (s) => { s.consultations[0].quiet.seq = 1.5; }, 'snapshot.consultations[0].quiet.seq'],
    ['an opening of seq -1', (s) => { s.opening = { at: 2000, seq: -1 }; }, 'snapshot.opening.seq'],
    ['a queued consultation that reached overflow step 0.5', (s) => { s.consultations.find((c: Snap) => c.where === 'queued').reach = 0.5; }, 'snapshot.consultations[7].reach'],
  ])('%s', (_, corrupt, field) => refusedAt(rich, corrupt, field));
});

describe("a pool's virtual time restores exactly, or not at all", () => {
  const picked = (): Snap => {
    let t = 1000;
    const router = new Router({ busyThreshold: 100, clock: () => t++ });
    for (const id of ['a', 'b', 'c']) router.upsertAgent({ id, status: 'online' });
    for (let i = 0; i < 5; i++) router.route({ customerId: `c${i}` });
    return JSON.parse(JSON.stringify(router.snapshot())) as Snap;
  };

  test('its anchor and the picks since travel with it, and the copy goes on to the same virtual times', () => {
    const s = picked();
    expect(s.pools[0]).toMatchObject({ key: '*', anchor: 0, picks: 5, totalWeight: 3, virtualTime: 5 / 3 });
    let t = 2000;
    const copy = Router.restore(s as never, { clock: () => t++ });
    copy.route({ customerId: 'd0' });
    // Six picks of three: exactly 2, where adding a third at a time gives 1.9999999999999998.
    expect(copy.snapshot().pools[0]).toMatchObject({ anchor: 0, picks: 6, virtualTime: 2 });
  });

  test('a pool first made after the restore adds up its weights as the original does, whatever order agents joined its groups in', () => {
    const original = new Router({ groups: [{ id: 'g', products: ['p'] }], splitMode: 'weighted' });
    original.upsertAgent({ id: 'a', status: 'online', weight: 0.1 }, 0);
    original.upsertAgent({ id: 'b', status: 'online', weight: 0.3, groups: ['g'] }, 0);
    original.upsertAgent({ id: 'c', status: 'online', weight: 0.2, groups: ['g'] }, 0);
    original.upsertAgent({ id: 'a', groups: ['g'] }, 0); // a joins g last
    const copy = Router.restore(JSON.parse(JSON.stringify(original.snapshot())) as ReturnType<Router['snapshot']>);
    for (let i = 0; i < 6; i++) {
      expect(copy.route({ customerId: `c${i}`, product: 'p', at: 1 })).toEqual(original.route({ customerId: `c${i}`, product: 'p', at: 1 }));
      expect(copy.end(`c${i}`, 1)).toEqual(original.end(`c${i}`, 1));
    }
    expect(copy.snapshot()).toEqual(original.snapshot());
  });

  test.each<[string, (s: Snap) => void]>([
    ['picks without an anchor', (s) => { delete s.pools[0].anchor; }],
    ['an anchor without picks', (s) => { delete s.pools[0].picks; }],
    ['a virtual time off anchor + picks / totalWeight', (s) => { s.pools[0].virtualTime += 1e-12; }],
    ['picks not a whole number', (s) => { s.pools[0].picks = 1.5; }],
  ])('%s is refused', (_, corrupt) => {
    const s = picked();
    corrupt(s);
    expect(() => Router.restore(s as never)).toThrow(expect.objectContaining({ code: 'INVALID_SNAPSHOT' }));
  });
});

describe('a snapshot of an earlier version', () => {
  test('version 2 (before scopes, costs, holds and wrap-ups) restores and decides as the original', () => {
    const r = new Router({ answerTimeoutMs: 30_000 });
    r.upsertAgent({ id: 'a', status: 'online', cap: 1 }, 0);
    r.route({ customerId: 'c1', at: 0 });
    r.route({ customerId: 'c2', at: 10 }); // queued
    const s = JSON.parse(JSON.stringify(r.snapshot())) as Snap;
    s.version = 2;
    delete s.idle;
    delete s.wrapUps;
    delete s.opening;
    const copy = Router.restore(s as never, { clock: () => 20 });
    expect(copy.end('c1')).toStrictEqual(r.end('c1', 20));
    expect(copy.snapshot().consultations).toStrictEqual(r.snapshot().consultations);
  });

  test('a consultation queued with several agents it was taken from waits kept from the last only, as a new round', () => {
    const router = new Router();
    for (const id of ['a', 'b']) router.upsertAgent({ id, status: 'online', cap: 1 }, 0);
    router.route({ customerId: 'u1', at: 1 });
    router.reroute('u1', { reason: 'declined', at: 2 }); // a declines: to b
    router.route({ customerId: 'u2', at: 3 }); // a full
    router.reroute('u1', { reason: 'declined', at: 4 }); // b declines: it waits
    const s = JSON.parse(JSON.stringify(router.snapshot())) as Snap;
    const u1 = s.consultations.find((c: { customerId: string }) => c.customerId === 'u1');
    expect(u1).toMatchObject({ where: 'queued', excluded: ['b'] });
    // As the version before wrote it: every agent it was taken from, in the order it was taken.
    u1.excluded = ['a', 'b'];
    const restored = Router.restore(JSON.parse(JSON.stringify(s)) as never);
    expect(restored.end('u2', 5)).toMatchObject([{ customerId: 'u1', agentId: 'a' }]);
    expect(restored.snapshot().consultations.find((c) => c.customerId === 'u1')).toMatchObject({ where: 'agent', excluded: ['b'] });
    // With room for it at a already, the first advance offers a the queue, at the snapshot's time.
    s.agents.find((a: { id: string }) => a.id === 'a').cap = 2;
    const roomy = Router.restore(s as never);
    expect(roomy.nextDeadline()).toBe(4);
    expect(roomy.queue()).toMatchObject([{ customerId: 'u1' }]);
    expect(Router.restore(JSON.parse(JSON.stringify(roomy.snapshot()))).nextDeadline()).toBe(4);
    expect(roomy.advance(4)).toMatchObject([{ customerId: 'u1', agentId: 'a', at: 4 }]);
    expect(roomy.nextDeadline()).toBeUndefined();
  });
});

describe('restore takes only a clock beside the snapshot', () => {
  test.each<[string, unknown, string]>([
    ['a clock that is not a function', { clock: 5 }, 'options.clock'],
    ['a routing setting (they come from the snapshot)', { splitMode: 'weighted' }, 'options.splitMode'],
    // Not an object: named as itself, not by its characters or slots (a string 'ab' was `options.0`).
    ['a string', 'ab', 'options'],
    ['null', null, 'options'],
    ['an array', [() => 5], 'options'],
  ])('%s is refused with INVALID_OPTION', (_, options, field) => {
    expect(() => Router.restore(sample() as never, options as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', field }));
  });

  test('a clock is taken', () => {
    expect(Router.restore(sample() as never, { clock: () => 5_000 }).route({ customerId: 'n1' }).at).toBe(5_000);
  });
});

describe('a snapshot of any valid router restores', () => {
  const roundTrip = (router: Router): void => {
    const text = JSON.stringify(router.snapshot());
    expect(JSON.stringify(Router.restore(JSON.parse(text)).snapshot())).toBe(text);
  };

  test('the idle budget\'s memory of a dropped pool survives JSON', () => {
    const s = sample() as Snap;
    s.options.groups.push({ id: 'vip' });
    s.idle = { grown: 7, dropped: ['["vip"]'] };
    expect(Router.restore(s as never).snapshot().idle).toEqual({ grown: 7, dropped: ['["vip"]'] });
  });

  test("a group's own robotRatio and a consultation's segment, product and intent survive JSON, and the copy decides as the original", () => {
    const router = new Router({ robot: true, groups: [
      { id: 'pre', orderStates: ['unpaid'], receptionMode: 'mixed', robotRatio: 0.25 }, { id: 'refund', intents: ['refund'] },
      { id: 'vip', segments: ['gold'] }, { id: 'shoes', products: ['shoes'] },
    ] });
    router.upsertAgent({ id: 'a', status: 'online', groups: ['pre', 'refund', 'vip', 'shoes'], cap: 100 }, 0);
    router.route({ customerId: 'c1', intent: 'refund', at: 1 });
    router.route({ customerId: 'c2', segment: 'gold', product: 'shoes', at: 1 });
    roundTrip(router);
    const copy = Router.restore(JSON.parse(JSON.stringify(router.snapshot())));
    for (const id of ['c1', 'c2']) expect(copy.consultation(id)).toStrictEqual(router.consultation(id));
    for (let i = 0; i < 8; i++) expect(copy.route({ customerId: `u${i}`, orderState: 'unpaid', at: 2 + i })).toStrictEqual(router.route({ customerId: `u${i}`, orderState: 'unpaid', at: 2 + i }));
  });

  test('a snapshot changed after restore does not reach the restored router', () => {
    const router = new Router();
    router.upsertAgent({ id: 'a', status: 'online', cap: 1 }, 0);
    router.route({ customerId: 'c0', at: 0 });
    router.route({ customerId: 'c1', at: 1 });
    router.route({ customerId: 'c2', at: 2 });
    router.end('c0', 10);
    // Queued with its recent contact, behind c2: it stays when c1 ends.
    router.route({ customerId: 'c3', recentContacts: [{ agentId: 'a', at: 5 }], at: 11 });
    router.end('c1', 20);
    const snap = JSON.parse(JSON.stringify(router.snapshot())) as Snap;
    expect(snap.consultations.find((c: { customerId: string }) => c.customerId === 'c3')).toMatchObject({ where: 'queued' });
    const copy = Router.restore(snap as never);
    const before = JSON.stringify(copy.snapshot());
    for (const c of snap.consultations) c.recentContacts?.push({ agentId: 'b', at: 5 });
    for (const [, times] of snap.departures) times.push(19, 19, 19);
    expect(JSON.stringify(copy.snapshot())).toBe(before);
    expect(copy.queue()).toStrictEqual(router.queue());
  });

  test('stickyWindowMs: Infinity (recent contacts never expire) survives JSON', () => {
    roundTrip(new Router({ stickyWindowMs: Number.POSITIVE_INFINITY }));
  });

  test('the smallest and largest weights survive JSON', () => {
    const router = new Router({ splitMode: 'weighted' });
    router.upsertAgent({ id: 'a', status: 'online', weight: 1e-6 }, 1);
    router.upsertAgent({ id: 'b', status: 'online', weight: 1e6 }, 1);
    router.route({ customerId: 'c1', at: 2 });
    roundTrip(router);
  });
});
