/**
 * The catalogue of bad input (issue 6): each entry is one bad input, the code it must raise, the
 * field the message must name, a fragment of the expected value and a fragment of what came in.
 * `docs/errors.md` has one row per entry (test/errors/catalogue.test.ts checks that it does).
 */
import { Router } from '../../src/index.js';
import type { RoutingErrorCode } from '../../src/errors.js';
import type { RouterOptions } from '../../src/options.js';

export interface BadInput {
  /** What is wrong, as the docs row says it. */
  input: string;
  /** The call, on a populated router (see `populated()`). */
  call: (router: Router) => unknown;
  code: RoutingErrorCode;
  /** `error.field`; the message names it too. */
  field: string;
  /** A fragment of the expected value, as the message states it. */
  expected: string;
  /** A fragment of the received value, as the message renders it. */
  got: string;
}

/** A router with state worth corrupting: agents of every status, an agent at cap, a queue. */
export function populated(): Router {
  const router = new Router({
    groups: [{ id: 'pre', orderStates: ['unpaid'] }],
    noAgent: 'queue',
    clock: () => 1000,
  });
  router.upsertAgent({ id: 'a', status: 'online', cap: 1, groups: ['pre'] }, 1000);
  router.upsertAgent({ id: 'off', status: 'offline' }, 1000);
  router.upsertAgent({ id: 'sus', status: 'suspended' }, 1000);
  router.upsertAgent({ id: 'full', status: 'online', cap: 0 }, 1000);
  router.route({ customerId: 'c1', at: 1000 }); // → a (a is now at cap)
  router.route({ customerId: 'c2', at: 1000, priority: 2 }); // → queued
  return router;
}

const any = (v: unknown): never => v as never;
const upsert = (spec: unknown) => (r: Router) => r.upsertAgent(any(spec), 1000);

/** Bad arguments to a populated router's calls. */
export const badCalls: BadInput[] = [
  // ── counts: NaN, ±Infinity, negative, non-integer ──
  { input: '`spec.pending` NaN', call: upsert({ id: 'a', pending: Number.NaN }), code: 'INVALID_ARGUMENT', field: 'spec.pending', expected: 'an integer >= 0', got: 'NaN (number)' },
  { input: '`spec.pending` Infinity', call: upsert({ id: 'a', pending: Number.POSITIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'spec.pending', expected: 'an integer >= 0', got: 'Infinity (number)' },
  { input: '`spec.pending` -Infinity', call: upsert({ id: 'a', pending: Number.NEGATIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'spec.pending', expected: 'an integer >= 0', got: '-Infinity (number)' },
  { input: '`spec.pending` negative (-1)', call: upsert({ id: 'a', pending: -1 }), code: 'INVALID_ARGUMENT', field: 'spec.pending', expected: 'an integer >= 0', got: '-1 (number)' },
  { input: '`spec.pending` non-integer (1.5)', call: upsert({ id: 'a', pending: 1.5 }), code: 'INVALID_ARGUMENT', field: 'spec.pending', expected: 'an integer >= 0', got: '1.5 (number)' },
  { input: '`spec.cap` NaN', call: upsert({ id: 'a', cap: Number.NaN }), code: 'INVALID_ARGUMENT', field: 'spec.cap', expected: 'an integer >= 0', got: 'NaN (number)' },
  { input: '`spec.cap` -Infinity', call: upsert({ id: 'a', cap: Number.NEGATIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'spec.cap', expected: 'an integer >= 0', got: '-Infinity (number)' },
  { input: '`spec.cap` negative (-1)', call: upsert({ id: 'a', cap: -1 }), code: 'INVALID_ARGUMENT', field: 'spec.cap', expected: 'an integer >= 0', got: '-1 (number)' },
  { input: '`spec.cap` non-integer (2.5)', call: upsert({ id: 'a', cap: 2.5 }), code: 'INVALID_ARGUMENT', field: 'spec.cap', expected: 'an integer >= 0', got: '2.5 (number)' },
  { input: '`spec.cap` a string ("3")', call: upsert({ id: 'a', cap: '3' }), code: 'INVALID_ARGUMENT', field: 'spec.cap', expected: 'an integer >= 0', got: '"3" (string)' },
  { input: '`setPending` NaN', call: (r) => r.setPending('a', Number.NaN), code: 'INVALID_ARGUMENT', field: 'pending', expected: 'an integer >= 0', got: 'NaN (number)' },
  { input: '`setPending` Infinity', call: (r) => r.setPending('a', Number.POSITIVE_INFINITY), code: 'INVALID_ARGUMENT', field: 'pending', expected: 'an integer >= 0', got: 'Infinity (number)' },
  { input: '`setPending` negative (-3)', call: (r) => r.setPending('a', -3), code: 'INVALID_ARGUMENT', field: 'pending', expected: 'an integer >= 0', got: '-3 (number)' },
  { input: '`setPending` non-integer (0.5)', call: (r) => r.setPending('a', 0.5), code: 'INVALID_ARGUMENT', field: 'pending', expected: 'an integer >= 0', got: '0.5 (number)' },
  // ── weight ──
  { input: '`spec.weight` 0', call: upsert({ id: 'a', weight: 0 }), code: 'INVALID_ARGUMENT', field: 'spec.weight', expected: 'a number in [0.000001, 1000000]', got: '0 (number)' },
  { input: '`spec.weight` negative (-2)', call: upsert({ id: 'a', weight: -2 }), code: 'INVALID_ARGUMENT', field: 'spec.weight', expected: 'a number in [0.000001, 1000000]', got: '-2 (number)' },
  { input: '`spec.weight` NaN', call: upsert({ id: 'a', weight: Number.NaN }), code: 'INVALID_ARGUMENT', field: 'spec.weight', expected: 'a number in [0.000001, 1000000]', got: 'NaN (number)' },
  { input: '`spec.weight` Infinity', call: upsert({ id: 'a', weight: Number.POSITIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'spec.weight', expected: 'a number in [0.000001, 1000000]', got: 'Infinity (number)' },
  // ── other numbers: priority, times ──
  { input: '`consultation.priority` NaN', call: (r) => r.route({ customerId: 'n1', priority: Number.NaN }), code: 'INVALID_ARGUMENT', field: 'consultation.priority', expected: 'a finite number', got: 'NaN (number)' },
  { input: '`consultation.priority` Infinity', call: (r) => r.route({ customerId: 'n1', priority: Number.POSITIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'consultation.priority', expected: 'a finite number', got: 'Infinity (number)' },
  { input: '`consultation.priority` -Infinity', call: (r) => r.route({ customerId: 'n1', priority: Number.NEGATIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'consultation.priority', expected: 'a finite number', got: '-Infinity (number)' },
  { input: '`consultation.at` NaN', call: (r) => r.route({ customerId: 'n1', at: Number.NaN }), code: 'INVALID_ARGUMENT', field: 'consultation.at', expected: 'a time in ms within ±8640000000000000', got: 'NaN (number)' },
  { input: '`consultation.at` Infinity', call: (r) => r.route({ customerId: 'n1', at: Number.POSITIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'consultation.at', expected: 'a time in ms within ±8640000000000000', got: 'Infinity (number)' },
  { input: '`at` -Infinity (setStatus)', call: (r) => r.setStatus('off', 'online', Number.NEGATIVE_INFINITY), code: 'INVALID_ARGUMENT', field: 'at', expected: 'a time in ms within ±8640000000000000', got: '-Infinity (number)' },
  { input: '`consultation.at` past a Date\'s range (1e17)', call: (r) => r.route({ customerId: 'n1', at: 1e17 }), code: 'INVALID_ARGUMENT', field: 'consultation.at', expected: 'a time in ms within ±8640000000000000', got: '100000000000000000 (number)' },
  { input: '`advance` past a Date\'s range (1e17)', call: (r) => r.advance(1e17), code: 'INVALID_ARGUMENT', field: 'at', expected: 'a time in ms within ±8640000000000000', got: '100000000000000000 (number)' },
  { input: '`recentContacts[i].at` NaN', call: (r) => r.route({ customerId: 'n1', recentContacts: [{ agentId: 'a', at: Number.NaN }] }), code: 'INVALID_ARGUMENT', field: 'consultation.recentContacts[0].at', expected: 'a time in ms within ±8640000000000000', got: 'NaN (number)' },
  // ── ids: empty and non-string ──
  { input: '`spec.id` empty', call: upsert({ id: '' }), code: 'INVALID_ARGUMENT', field: 'spec.id', expected: 'a non-empty string', got: '"" (string)' },
  { input: '`spec.id` a number', call: upsert({ id: 42 }), code: 'INVALID_ARGUMENT', field: 'spec.id', expected: 'a non-empty string', got: '42 (number)' },
  { input: '`spec.id` missing', call: upsert({ status: 'online' }), code: 'INVALID_ARGUMENT', field: 'spec.id', expected: 'a non-empty string', got: 'undefined' },
  { input: '`agentId` empty (setStatus)', call: (r) => r.setStatus('', 'online'), code: 'INVALID_ARGUMENT', field: 'agentId', expected: 'a non-empty string', got: '"" (string)' },
  { input: '`agentId` null (setPending)', call: (r) => r.setPending(any(null), 1), code: 'INVALID_ARGUMENT', field: 'agentId', expected: 'a non-empty string', got: 'null' },
  { input: '`consultation.customerId` empty', call: (r) => r.route({ customerId: '' }), code: 'INVALID_ARGUMENT', field: 'consultation.customerId', expected: 'a non-empty string', got: '"" (string)' },
  { input: '`consultation.customerId` a number', call: (r) => r.route(any({ customerId: 7 })), code: 'INVALID_ARGUMENT', field: 'consultation.customerId', expected: 'a non-empty string', got: '7 (number)' },
  { input: '`customerId` an object (end)', call: (r) => r.end(any({})), code: 'INVALID_ARGUMENT', field: 'customerId', expected: 'a non-empty string', got: 'object' },
  { input: '`consultation.dedicatedAgentId` empty', call: (r) => r.route({ customerId: 'n1', dedicatedAgentId: '' }), code: 'INVALID_ARGUMENT', field: 'consultation.dedicatedAgentId', expected: 'a non-empty string', got: '"" (string)' },
  { input: '`spec.groups[i]` empty', call: upsert({ id: 'a', groups: [''] }), code: 'INVALID_ARGUMENT', field: 'spec.groups[0]', expected: 'a non-empty string', got: '"" (string)' },
  { input: '`recentContacts[i].agentId` a number', call: (r) => r.route(any({ customerId: 'n1', recentContacts: [{ agentId: 5, at: 1 }] })), code: 'INVALID_ARGUMENT', field: 'consultation.recentContacts[0].agentId', expected: 'a non-empty string', got: '5 (number)' },
  // ── wrong shapes and enum values ──
  { input: '`spec` null', call: upsert(null), code: 'INVALID_ARGUMENT', field: 'spec', expected: 'an object', got: 'null' },
  { input: '`spec.status` unknown ("busy")', call: upsert({ id: 'a', status: 'busy' }), code: 'INVALID_ARGUMENT', field: 'spec.status', expected: "one of 'online', 'suspended', 'offline'", got: '"busy" (string)' },
  { input: '`status` unknown ("away")', call: (r) => r.setStatus('a', any('away')), code: 'INVALID_ARGUMENT', field: 'status', expected: "one of 'online', 'suspended', 'offline'", got: '"away" (string)' },
  { input: '`spec.groups` not an array', call: upsert({ id: 'a', groups: 'pre' }), code: 'INVALID_ARGUMENT', field: 'spec.groups', expected: 'an array of group ids', got: '"pre" (string)' },
  { input: '`consultation` a string', call: (r) => r.route(any('c9')), code: 'INVALID_ARGUMENT', field: 'consultation', expected: 'an object', got: '"c9" (string)' },
  { input: '`consultation.recentContacts` with an empty slot', call: (r) => r.route({ customerId: 'n1', recentContacts: new Array(1) }), code: 'INVALID_ARGUMENT', field: 'consultation.recentContacts[0]', expected: 'an object', got: 'undefined' },
  { input: '`spec.groups` with an empty slot', call: upsert({ id: 'a', groups: new Array(1) }), code: 'INVALID_ARGUMENT', field: 'spec.groups[0]', expected: 'a non-empty string', got: 'undefined' },
  { input: '`consultation.recentContacts` not an array', call: (r) => r.route(any({ customerId: 'n1', recentContacts: { agentId: 'a', at: 1 } })), code: 'INVALID_ARGUMENT', field: 'consultation.recentContacts', expected: 'an array of { agentId, at }', got: 'object' },
  { input: '`request` missing (reroute)', call: (r) => r.reroute('c1', any(undefined)), code: 'INVALID_ARGUMENT', field: 'request', expected: 'an object', got: 'undefined' },
  { input: '`request.reason` unknown ("bored")', call: (r) => r.reroute('c1', any({ reason: 'bored' })), code: 'INVALID_ARGUMENT', field: 'request.reason', expected: "one of 'declined', 'timeout', 'transfer'", got: '"bored" (string)' },
  { input: '`request.toAgentId` without `reason: transfer`', call: (r) => r.reroute('c1', { reason: 'declined', toAgentId: 'sus' }), code: 'INVALID_ARGUMENT', field: 'request.toAgentId', expected: "undefined unless `request.reason` is 'transfer'", got: '"sus" (string)' },
  { input: '`request.toAgentId` the current agent', call: (r) => r.reroute('c1', { reason: 'transfer', toAgentId: 'a' }), code: 'INVALID_ARGUMENT', field: 'request.toAgentId', expected: 'an agent other than the current one', got: '"a" (string)' },
  // ── duplicate, unknown ──
  { input: 'duplicate customer (open consultation)', call: (r) => r.route({ customerId: 'c1' }), code: 'DUPLICATE_CUSTOMER', field: 'consultation.customerId', expected: 'no open consultation', got: '"c1"' },
  { input: 'duplicate customer (queued consultation)', call: (r) => r.route({ customerId: 'c2' }), code: 'DUPLICATE_CUSTOMER', field: 'consultation.customerId', expected: 'no open consultation', got: '"c2"' },
  { input: 'unknown agent (setStatus)', call: (r) => r.setStatus('zed', 'online'), code: 'UNKNOWN_AGENT', field: 'agentId', expected: 'a known agent id', got: '"zed"' },
  { input: 'unknown agent (setPending)', call: (r) => r.setPending('zed', 1), code: 'UNKNOWN_AGENT', field: 'agentId', expected: 'a known agent id', got: '"zed"' },
  { input: 'unknown agent (removeAgent)', call: (r) => r.removeAgent('zed'), code: 'UNKNOWN_AGENT', field: 'agentId', expected: 'a known agent id', got: '"zed"' },
  { input: 'unknown dedicated agent', call: (r) => r.route({ customerId: 'n1', dedicatedAgentId: 'zed' }), code: 'UNKNOWN_AGENT', field: 'consultation.dedicatedAgentId', expected: 'a known agent id', got: '"zed"' },
  { input: 'unknown transfer target', call: (r) => r.reroute('c1', { reason: 'transfer', toAgentId: 'zed' }), code: 'UNKNOWN_AGENT', field: 'request.toAgentId', expected: 'a known agent id', got: '"zed"' },
  { input: 'unknown agent `"toString"` (an Object.prototype key)', call: (r) => r.setStatus('toString', 'online'), code: 'UNKNOWN_AGENT', field: 'agentId', expected: 'a known agent id', got: '"toString"' },
  { input: 'unknown customer (end)', call: (r) => r.end('nobody'), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"nobody"' },
  { input: 'unknown customer (escalate)', call: (r) => r.escalate('nobody'), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"nobody"' },
  { input: 'unknown customer (reroute)', call: (r) => r.reroute('nobody', { reason: 'declined' }), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"nobody"' },
  { input: 'unknown customer `"constructor"` (an Object.prototype key)', call: (r) => r.end('constructor'), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"constructor"' },
  { input: 'unknown group', call: upsert({ id: 'a', groups: ['pre', 'vip'] }), code: 'UNKNOWN_GROUP', field: 'spec.groups[1]', expected: 'a group declared in options.groups', got: '"vip"' },
  { input: 'unknown group `"__proto__"`', call: upsert({ id: 'a', groups: ['__proto__'] }), code: 'UNKNOWN_GROUP', field: 'spec.groups[0]', expected: 'a group declared in options.groups', got: '"__proto__"' },
  { input: 'unknown order state', call: (r) => r.route({ customerId: 'n1', orderState: 'lost' }), code: 'UNKNOWN_ORDER_STATE', field: 'consultation.orderState', expected: 'one of none, unpaid', got: '"lost"' },
  { input: 'order state not a string', call: (r) => r.route(any({ customerId: 'n1', orderState: 3 })), code: 'UNKNOWN_ORDER_STATE', field: 'consultation.orderState', expected: 'one of none, unpaid', got: '3' },
  // ── reception scopes ──
  { input: '`consultation.product` a number', call: (r) => r.route(any({ customerId: 'n1', product: 42 })), code: 'INVALID_ARGUMENT', field: 'consultation.product', expected: 'a non-empty string', got: '42 (number)' },
  { input: '`consultation.segment` empty', call: (r) => r.route({ customerId: 'n1', segment: '' }), code: 'INVALID_ARGUMENT', field: 'consultation.segment', expected: 'a non-empty string', got: '"" (string)' },
  { input: '`options.intent` not a string (escalate)', call: (r) => r.escalate('c1', any({ intent: ['refund'] })), code: 'INVALID_ARGUMENT', field: 'options.intent', expected: 'a non-empty string', got: 'an array' },
  { input: 'unknown key in escalate options', call: (r) => r.escalate('c1', any({ intnet: 'refund' })), code: 'INVALID_ARGUMENT', field: 'options.intnet', expected: 'known keys are intent, at', got: 'Unknown key `options.intnet`' },
  // ── capacity: cost, hold, resume ──
  { input: '`consultation.cost` 0', call: (r) => r.route({ customerId: 'n1', cost: 0 }), code: 'INVALID_ARGUMENT', field: 'consultation.cost', expected: 'a number in [0.000001, 1000000]', got: '0 (number)' },
  { input: '`consultation.cost` Infinity', call: (r) => r.route({ customerId: 'n1', cost: Number.POSITIVE_INFINITY }), code: 'INVALID_ARGUMENT', field: 'consultation.cost', expected: 'a number in [0.000001, 1000000]', got: 'Infinity (number)' },
  { input: '`consultation.cost` above 1e6', call: (r) => r.route({ customerId: 'n1', cost: 1e17 }), code: 'INVALID_ARGUMENT', field: 'consultation.cost', expected: 'a number in [0.000001, 1000000]', got: '100000000000000000 (number)' },
  { input: '`consultation.cost` a string', call: (r) => r.route(any({ customerId: 'n1', cost: '2' })), code: 'INVALID_ARGUMENT', field: 'consultation.cost', expected: 'a number in [0.000001, 1000000]', got: '"2" (string)' },
  { input: 'unknown customer (hold)', call: (r) => r.hold('nobody'), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"nobody"' },
  { input: 'unknown customer (resume)', call: (r) => r.resume('nobody'), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"nobody"' },
  { input: 'hold of a queued consultation', call: (r) => r.hold('c2'), code: 'INVALID_STATE', field: 'customerId', expected: 'a consultation with an agent, not on hold', got: 'which is in the queue' },
  { input: 'resume of a consultation not on hold', call: (r) => r.resume('c1'), code: 'INVALID_STATE', field: 'customerId', expected: 'a consultation on hold', got: 'which is not on hold' },
  // ── limits on what one call may carry, and typos ──
  { input: '`spec.id` of 10 million characters', call: upsert({ id: 'x'.repeat(10_000_000) }), code: 'INVALID_ARGUMENT', field: 'spec.id', expected: 'a non-empty string of at most 1024 characters', got: `"${'x'.repeat(57)}..." (string)` },
  { input: '`consultation.recentContacts` over 100 contacts', call: (r) => r.route({ customerId: 'n1', recentContacts: Array.from({ length: 101 }, () => ({ agentId: 'a', at: 1 })) }), code: 'INVALID_ARGUMENT', field: 'consultation.recentContacts', expected: 'an array of at most 100 contacts', got: 'an array of 101' },
  { input: 'a recent contact dated after the consultation', call: (r) => r.route({ customerId: 'n1', at: 1000, recentContacts: [{ agentId: 'a', at: 1000 + 864_000_000 }] }), code: 'INVALID_ARGUMENT', field: 'consultation.recentContacts[0].at', expected: "no later than the consultation's time (1000)", got: '864001000 (number)' },
  { input: 'unknown key in a consultation (typo `dedicatedAgentID`)', call: (r) => r.route(any({ customerId: 'n1', dedicatedAgentID: 'a' })), code: 'INVALID_ARGUMENT', field: 'consultation.dedicatedAgentID', expected: 'known keys are customerId, orderState', got: 'Unknown key `consultation.dedicatedAgentID`' },
  { input: 'unknown key in an agent spec (typo `weigth`)', call: upsert({ id: 'a', weigth: 2 }), code: 'INVALID_ARGUMENT', field: 'spec.weigth', expected: 'known keys are id, status, weight', got: 'Unknown key `spec.weigth`' },
  { input: 'unknown key in a re-route request', call: (r) => r.reroute('c1', any({ reason: 'declined', to: 'b' })), code: 'INVALID_ARGUMENT', field: 'request.to', expected: 'known keys are reason, toAgentId, at', got: 'Unknown key `request.to`' },
  // ── exotic values, described without walking into them ──
  { input: 'order state a BigInt', call: (r) => r.route(any({ customerId: 'n1', orderState: 10n })), code: 'UNKNOWN_ORDER_STATE', field: 'consultation.orderState', expected: 'one of none, unpaid', got: '10 (bigint)' },
  { input: 'order state a circular object', call: (r) => { const loop: Record<string, unknown> = {}; loop.self = loop; return r.route(any({ customerId: 'n1', orderState: loop })); }, code: 'UNKNOWN_ORDER_STATE', field: 'consultation.orderState', expected: 'one of none, unpaid', got: 'object' },
  { input: '`customerId` a symbol (end)', call: (r) => r.end(any(Symbol('c1'))), code: 'INVALID_ARGUMENT', field: 'customerId', expected: 'a non-empty string', got: 'symbol' },
  { input: '`customerId` a function (end)', call: (r) => r.end(any(() => 'c1')), code: 'INVALID_ARGUMENT', field: 'customerId', expected: 'a non-empty string', got: 'a function' },
  // ── time going backwards ──
  { input: 'time going backwards (route)', call: (r) => r.route({ customerId: 'n1', at: 999 }), code: 'TIME_WENT_BACKWARDS', field: 'consultation.at', expected: '>= 1000', got: '999' },
  { input: 'time going backwards (end)', call: (r) => r.end('c1', 5), code: 'TIME_WENT_BACKWARDS', field: 'at', expected: '>= 1000', got: '5' },
  { input: 'time going backwards (reroute)', call: (r) => r.reroute('c1', { reason: 'timeout', at: 999.5 }), code: 'TIME_WENT_BACKWARDS', field: 'request.at', expected: '>= 1000', got: '999.5' },
  { input: 'time going backwards (upsertAgent)', call: (r) => r.upsertAgent({ id: 'new' }, 0), code: 'TIME_WENT_BACKWARDS', field: 'at', expected: '>= 1000', got: '0' },
  { input: 'time going backwards (advance)', call: (r) => r.advance(999), code: 'TIME_WENT_BACKWARDS', field: 'at', expected: '>= 1000', got: '999' },
  // The same shop without a clock: a call must then pass its time.
  { input: 'no `at` and no clock (route)', call: (r) => Router.restore(r.snapshot()).route({ customerId: 'n1' }), code: 'INVALID_ARGUMENT', field: 'consultation.at', expected: 'a time in ms', got: 'undefined' },
  { input: 'no `at` and no clock (end)', call: (r) => Router.restore(r.snapshot()).end('c1'), code: 'INVALID_ARGUMENT', field: 'at', expected: 'a time in ms', got: 'undefined' },
  { input: 'unknown customer (customerMessage)', call: (r) => r.customerMessage('nobody'), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"nobody"' },
  { input: 'unknown customer (agentReply)', call: (r) => r.agentReply('nobody'), code: 'UNKNOWN_CUSTOMER', field: 'customerId', expected: 'an open consultation', got: '"nobody"' },
  // ── state ──
  { input: 'escalating a consultation not with the robot', call: (r) => r.escalate('c1'), code: 'INVALID_STATE', field: 'customerId', expected: 'to name a consultation with the robot', got: 'which is with agent "a"' },
  { input: 're-routing a queued consultation', call: (r) => r.reroute('c2', { reason: 'declined' }), code: 'INVALID_STATE', field: 'customerId', expected: 'to name a consultation with an agent', got: 'which is in the queue' },
  { input: 'a reply to a consultation not with an agent', call: (r) => r.agentReply('c2'), code: 'INVALID_STATE', field: 'customerId', expected: 'to name a consultation with an agent to reply to', got: 'which is in the queue' },
  { input: 'transfer to an offline agent', call: (r) => r.reroute('c1', { reason: 'transfer', toAgentId: 'off' }), code: 'AGENT_UNAVAILABLE', field: 'request.toAgentId', expected: "with room for the consultation's cost (1)", got: 'which is offline' },
  { input: 'transfer to an agent at cap', call: (r) => r.reroute('c1', { reason: 'transfer', toAgentId: 'full' }), code: 'AGENT_UNAVAILABLE', field: 'request.toAgentId', expected: "with room for the consultation's cost (1)", got: 'with a load of 0 of cap 0' },
];

/** Bad options for `new Router(options)`; every one is `INVALID_OPTION` unless said otherwise. */
export interface BadOptions {
  input: string;
  options: unknown;
  code: RoutingErrorCode;
  field: string;
  expected: string;
  got: string;
}

const bad = (input: string, options: unknown, field: string, expected: string, got: string, code: RoutingErrorCode = 'INVALID_OPTION'): BadOptions =>
  ({ input, options, code, field, expected, got });

export const badOptions: BadOptions[] = [
  // ── options of the wrong type ──
  bad('options a string', 'fast', 'options', 'an object', '"fast" (string)'),
  bad('options an array', [], 'options', 'an object', 'an array of 0'),
  bad('options null', null, 'options', 'an object', 'null'),
  bad('unknown option (typo `spliMode`)', { spliMode: 'weighted' }, 'options.spliMode', 'known options are', 'spliMode'),
  bad('`splitMode` unknown ("round-robin")', { splitMode: 'round-robin' }, 'options.splitMode', "one of 'average', 'weighted'", '"round-robin" (string)'),
  bad('`splitMode` a number', { splitMode: 1 }, 'options.splitMode', "one of 'average', 'weighted'", '1 (number)'),
  bad('`busyThreshold` a string', { busyThreshold: '4' }, 'options.busyThreshold', 'an integer >= 0', '"4" (string)'),
  bad('`busyThreshold` negative', { busyThreshold: -1 }, 'options.busyThreshold', 'an integer >= 0', '-1 (number)'),
  bad('`busyThreshold` non-integer', { busyThreshold: 1.5 }, 'options.busyThreshold', 'an integer >= 0', '1.5 (number)'),
  bad('`busyThreshold` NaN', { busyThreshold: Number.NaN }, 'options.busyThreshold', 'an integer >= 0', 'NaN (number)'),
  bad('`busyThreshold` Infinity', { busyThreshold: Number.POSITIVE_INFINITY }, 'options.busyThreshold', 'an integer >= 0', 'Infinity (number)'),
  bad('`stickyWindowMs` negative', { stickyWindowMs: -1 }, 'options.stickyWindowMs', 'a number >= 0', '-1 (number)'),
  bad('`stickyWindowMs` NaN', { stickyWindowMs: Number.NaN }, 'options.stickyWindowMs', 'a number >= 0', 'NaN (number)'),
  bad('`stickyToSuspended` a string', { stickyToSuspended: 'yes' }, 'options.stickyToSuspended', 'a boolean', '"yes" (string)'),
  bad('`robot` a number', { robot: 1 }, 'options.robot', 'a boolean', '1 (number)'),
  bad('`receptionMode` unknown', { receptionMode: 'robot-only' }, 'options.receptionMode', "one of 'human-first', 'robot-first', 'mixed'", '"robot-only" (string)'),
  bad('`noAgent` unknown', { noAgent: 'drop' }, 'options.noAgent', "one of 'queue', 'main', 'proxy'", '"drop" (string)'),
  bad('`clock` not a function', { clock: 'now' }, 'options.clock', 'a function returning milliseconds', '"now" (string)'),
  bad('`groups` not an array', { groups: {} }, 'options.groups', 'an array of groups', 'object'),
  bad('`groups[i]` not an object', { groups: ['pre'] }, 'options.groups[0]', 'an object { id, orderStates?, receptionMode?, robotRatio? }', '"pre" (string)'),
  bad('`groups[i].id` empty', { groups: [{ id: '' }] }, 'options.groups[0].id', 'a non-empty string', '"" (string)'),
  bad('`groups[i].id` of 1,025 characters', { groups: [{ id: 'g'.repeat(1025) }] }, 'options.groups[0].id', 'a non-empty string of at most 1024 characters', `"${'g'.repeat(57)}..." (string)`),
  bad('`groups[i]` with an unknown key (typo `orderstates`)', { groups: [{ id: 'g', orderstates: ['unpaid'] }] }, 'options.groups[0].orderstates', 'known keys are id, segments', 'Unknown key `options.groups[0].orderstates`'),
  bad('`groups` with a duplicate id', { groups: [{ id: 'g' }, { id: 'g' }] }, 'options.groups[1].id', 'to be unique', '"g", which an earlier group already uses'),
  bad('`groups[i].orderStates` an unknown state', { groups: [{ id: 'g', orderStates: ['lost'] }] }, 'options.groups[0].orderStates[0]', 'one of none, unpaid', '"lost"', 'UNKNOWN_ORDER_STATE'),
  bad('`orderStates` a string', { orderStates: 'none' }, 'options.orderStates', 'a non-empty array of strings', '"none" (string)'),
  bad('`orderStates` empty', { orderStates: [] }, 'options.orderStates', 'a non-empty array of strings', 'an array of 0'),
  bad('`orderStates` with a duplicate', { orderStates: ['none', 'none'] }, 'options.orderStates[1]', 'each state once', '"none" twice'),
  bad('`orderStates` with an empty slot', { orderStates: ['none', , 'paid'] }, 'options.orderStates[1]', 'a non-empty string', 'undefined'),
  bad('`contactMemory` a number', { contactMemory: 5 }, 'options.contactMemory', 'an object { maxEntries }', 'number'),
  bad('`contactMemory` null', { contactMemory: null }, 'options.contactMemory', 'an object { maxEntries }', 'null'),
  bad('`contactMemory.maxEntries` negative', { contactMemory: { maxEntries: -1 } }, 'options.contactMemory.maxEntries', 'an integer >= 0', '-1 (number)'),
  bad('`contactMemory.maxEntries` non-integer', { contactMemory: { maxEntries: 1.5 } }, 'options.contactMemory.maxEntries', 'an integer >= 0', '1.5 (number)'),
  bad('`groups[i].orderStates` a BigInt', { groups: [{ id: 'g', orderStates: [7n] }] }, 'options.groups[0].orderStates[0]', 'one of none, unpaid', '7 (bigint)', 'UNKNOWN_ORDER_STATE'),
  bad('`groups[i].receptionMode` on a group that binds nothing', { robot: true, groups: [{ id: 'g', receptionMode: 'robot-first' }] }, 'options.groups[0].receptionMode', 'to bind a reception scope (segments, products, intents or orderStates)', "a group's reception mode applies only to the consultations it binds"),
  bad('`groups[i].products` not an array', { groups: [{ id: 'shoes', products: 'shoes' }] }, 'options.groups[0].products', 'an array of non-empty strings', '"shoes" (string)'),
  bad('`groups[i].segments` with an empty string', { groups: [{ id: 'vip', segments: ['gold', ''] }] }, 'options.groups[0].segments[1]', 'a non-empty string of at most 1024 characters', '"" (string)'),
  bad('`groups[i].products` with a value of 1,025 characters', { groups: [{ id: 'shoes', products: ['p'.repeat(1025)] }] }, 'options.groups[0].products[0]', 'a non-empty string of at most 1024 characters', `"${'p'.repeat(57)}..." (string)`),
  bad('`groups[i].intents` with a number', { groups: [{ id: 'refunds', intents: [7] }] }, 'options.groups[0].intents[0]', 'a non-empty string of at most 1024 characters', '7 (number)'),
  bad('`answerTimeoutMs` 0', { answerTimeoutMs: 0 }, 'options.answerTimeoutMs', 'a finite number > 0 (ms)', '0 (number)'),
  bad('`inactiveAfterMs` 0', { inactiveAfterMs: 0 }, 'options.inactiveAfterMs', 'a finite number > 0 (ms)', '0 (number)'),
  bad('`wrapUpMs` negative', { wrapUpMs: -30_000 }, 'options.wrapUpMs', 'a finite number >= 0 (ms)', '-30000 (number)'),
  bad('`wrapUpMs` NaN', { wrapUpMs: Number.NaN }, 'options.wrapUpMs', 'a finite number >= 0 (ms)', 'NaN (number)'),
  bad('`businessHours` an unknown time zone', { businessHours: { timeZone: 'Mars/Olympus', weekly: { mon: ['09:00-18:00'] } } }, 'options.businessHours.timeZone', 'an IANA time zone', '"Mars/Olympus"'),
  bad('`businessHours` a malformed interval', { businessHours: { timeZone: 'Asia/Shanghai', weekly: { mon: ['9-18'] } } }, 'options.businessHours.weekly.mon[0]', "'HH:MM-HH:MM'", '"9-18"'),
  bad('`holdForRecentContactMs` negative', { holdForRecentContactMs: -1 }, 'options.holdForRecentContactMs', 'a finite number >= 0 (ms)', '-1 (number)'),
  bad('`suspendAfterMisses` 0', { suspendAfterMisses: 0 }, 'options.suspendAfterMisses', 'an integer >= 1', '0 (number)'),
  bad('`groups[i].overflow` steps out of order', { groups: [{ id: 'g', orderStates: ['unpaid'], overflow: [{ afterMs: 60_000, to: '*' }, { afterMs: 30_000, to: '*' }] }] }, 'options.groups[0].overflow[1].afterMs', 'greater than the step before (60000)', '30000 (number)'),
  bad('`groups[i].overflow` a step without `afterMs`', { groups: [{ id: 'g', orderStates: ['unpaid'], overflow: [{ to: '*' }] }] }, 'options.groups[0].overflow[0].afterMs', 'a finite number >= 0 (ms)', 'undefined'),
  bad('`groups[i].overflow` to an unknown group', { groups: [{ id: 'g', orderStates: ['unpaid'], overflow: [{ afterMs: 0, to: ['vip'] }] }] }, 'options.groups[0].overflow[0].to[0]', 'a group declared in options.groups', '"vip"', 'UNKNOWN_GROUP'),
  bad("`groups[i].receptionMode` 'mixed' with no ratio, the group's or the shop's", { robot: true, groups: [{ id: 'g', orderStates: ['unpaid'], receptionMode: 'mixed' }] }, 'options.groups[0].robotRatio', 'a number in [0, 1]', 'undefined'),
  // ── robotRatio outside [0, 1] ──
  bad('`robotRatio` negative', { robotRatio: -0.1 }, 'options.robotRatio', 'a number in [0, 1]', '-0.1 (number)'),
  bad('`robotRatio` above 1', { robotRatio: 1.5 }, 'options.robotRatio', 'a number in [0, 1]', '1.5 (number)'),
  bad('`robotRatio` NaN', { robotRatio: Number.NaN }, 'options.robotRatio', 'a number in [0, 1]', 'NaN (number)'),
  bad('`robotRatio` Infinity', { robotRatio: Number.POSITIVE_INFINITY }, 'options.robotRatio', 'a number in [0, 1]', 'Infinity (number)'),
  bad('`groups[i].robotRatio` above 1', { robot: true, groups: [{ id: 'g', receptionMode: 'mixed', robotRatio: 2 }] }, 'options.groups[0].robotRatio', 'a number in [0, 1]', '2 (number)'),
  bad("`receptionMode: 'mixed'` without `robotRatio`", { robot: true, receptionMode: 'mixed' }, 'options.robotRatio', 'a number in [0, 1]', 'undefined'),
  bad("`receptionMode: 'robot-first'` without a robot", { receptionMode: 'robot-first' }, 'options.robot', 'true', 'false'),
  // ── missing main / proxy account ──
  bad("`noAgent: 'main'` without `mainAccountId`", { noAgent: 'main' }, 'options.mainAccountId', 'a non-empty string', 'undefined'),
  bad("`noAgent: 'proxy'` without `proxyAccountId`", { noAgent: 'proxy', mainAccountId: 'boss' }, 'options.proxyAccountId', 'a non-empty string', 'undefined'),
  bad('`mainAccountId` empty', { noAgent: 'main', mainAccountId: '' }, 'options.mainAccountId', 'a non-empty string', '"" (string)'),
  bad('`proxyAccountId` a number', { proxyAccountId: 7 }, 'options.proxyAccountId', 'a non-empty string', '7 (number)'),
];

/** A clock that returns something other than a finite number: caught at the call that reads it. */
export const badClock: BadInput = {
  input: '`clock()` returning NaN',
  call: () => {
    const router = new Router({ clock: () => Number.NaN } as RouterOptions);
    return router.route({ customerId: 'c1' });
  },
  code: 'INVALID_OPTION',
  field: 'options.clock',
  expected: 'a time in ms within ±8640000000000000',
  got: 'NaN',
};

/** Ids that are keys of Object.prototype: they must work like any other id. */
export const prototypeIds = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;
