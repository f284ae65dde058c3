import { expected, quote, RoutingError } from './errors.js';
import { resolveOptions, type RouterOptions } from './options.js';
import { newAgent, type AgentRecord, type Open } from './records.js';
import { fits } from './pipeline/capacity.js';
import { Shop } from './shop.js';
import { agentView, consultationView, estimatedWait } from './views.js';
import { loadSnapshot, readSnapshot, routerOptionsOf, writeSnapshot, type RouterSnapshot } from './snapshot.js';
import { advanceTime, checkCount, checkFinite, checkId, checkKeys, checkObject, checkTime, MAX_COST, MAX_RECENT_CONTACTS, MAX_TIME, MAX_WEIGHT, MIN_COST, MIN_WEIGHT, readKnown } from './validate.js';
import type { AgentSpec, AgentStatus, AgentView, Consultation, ConsultationView, Decision, EscalateOptions, QueuedView, RecentContact, RerouteReason, RerouteRequest } from './types.js';

const STATUSES: readonly AgentStatus[] = ['online', 'suspended', 'offline'];
const REROUTE_REASONS: readonly RerouteReason[] = ['declined', 'timeout', 'transfer'];

/** The keys an `AgentSpec` may carry; anything else is refused as a likely typo (as for the sets below). */
export const AGENT_SPEC_KEYS: ReadonlySet<string> = new Set(['id', 'status', 'weight', 'groups', 'cap', 'pending']);
/** The keys of `escalate`'s options. */
export const ESCALATE_KEYS: ReadonlySet<string> = new Set(['intent', 'at']);
/** The keys of a `Consultation`. */
export const CONSULTATION_KEYS: ReadonlySet<string> = new Set(['customerId', 'orderState', 'segment', 'product', 'intent', 'at', 'priority', 'cost', 'dedicatedAgentId', 'recentContacts']);
/** The keys of a `RerouteRequest`. */
export const REROUTE_KEYS: ReadonlySet<string> = new Set(['reason', 'toAgentId', 'at']);
const CONTACT_KEYS: ReadonlySet<string> = new Set(['agentId', 'at']);

/**
 * The routing engine for one shop (店铺): every rule of 客服分流, deterministic, O(log n) per decision.
 *
 * Create one per shop with its {@link RouterOptions}, keep it up to date with `upsertAgent` /
 * `setStatus` / `setPending`, and call `route` for each new consultation: the answer is a
 * {@link Decision} saying where it goes and which rule decided. Every call takes its time `at`
 * (ms), or reads `options.clock` when it omits it; the router reads no clock it was not given.
 *
 * Public methods validate all of their input first and change nothing when they throw a
 * {@link RoutingError}; then one commit path applies the decision.
 *
 * @example
 * ```ts
 * import { Router } from 'fenliu';
 *
 * let now = 0;
 * const router = new Router({ splitMode: 'weighted', clock: () => now });
 * router.upsertAgent({ id: 'xiaomei', status: 'online', weight: 2, cap: 8 });
 * router.upsertAgent({ id: 'ahua', status: 'online', weight: 1, cap: 8 });
 *
 * const decision = router.route({ customerId: 'buyer-1', orderState: 'unpaid' });
 * if (decision.kind === 'agent') console.log(decision.agentId, decision.reason); // xiaomei split
 * now += 60_000;
 * router.end('buyer-1');
 * ```
 */
export class Router {
  readonly #shop: Shop;

  /**
   * A router for one shop. Every option is optional; all are validated here, cross-field rules
   * included.
   *
   * @param options - the shop's routing settings ({@link RouterOptions}).
   * @throws {RoutingError} `INVALID_OPTION`, `UNKNOWN_ORDER_STATE` for bad options.
   */
  constructor(options?: RouterOptions) {
    this.#shop = new Shop(resolveOptions(options));
  }

  // ───────────────────────────── agents ─────────────────────────────

  /**
   * Creates or updates an agent. Omitted fields keep their value (or their default for a new
   * agent). Lowering `cap` below the agent's open consultations takes none away. A weight change
   * restarts the agent at its pools' current fair position: from then on its share follows the new
   * weight.
   *
   * @param at - the time of the change (ms); default `options.clock()`, required without a clock.
   * @returns the queued consultations the change let in and, when the agent goes offline, the
   *   re-routing of its open consultations (rule 9).
   * @throws {RoutingError} `INVALID_ARGUMENT` (also without `at` on a router without a clock), `UNKNOWN_GROUP`, `TIME_WENT_BACKWARDS`.
   */
  upsertAgent(spec: AgentSpec, at?: number): Decision[] {
    const shop = this.#shop;
    const raw = checkObject('spec', spec);
    checkKeys('spec', raw, AGENT_SPEC_KEYS);
    // Each field read once: what is checked is what is stored, getters included.
    const s = readKnown(raw, AGENT_SPEC_KEYS);
    const id = checkId('spec.id', s.id);
    const existing = shop.agents.get(id);
    const status = s.status === undefined ? (existing?.status ?? 'offline') : checkStatus('spec.status', s.status);
    let weight = existing?.weight ?? 1;
    if (s.weight !== undefined) {
      if (typeof s.weight !== 'number' || !(s.weight >= MIN_WEIGHT && s.weight <= MAX_WEIGHT)) throw expected('INVALID_ARGUMENT', 'spec.weight', `a number in [${MIN_WEIGHT}, ${MAX_WEIGHT}]`, s.weight);
      weight = s.weight;
    }
    const groups = s.groups === undefined ? undefined : this.#checkGroups(s.groups);
    let cap = existing?.cap ?? Number.POSITIVE_INFINITY;
    if (s.cap !== undefined) {
      if (s.cap !== Number.POSITIVE_INFINITY) checkCount('spec.cap', s.cap);
      cap = s.cap as number;
    }
    const pending = s.pending === undefined ? (existing?.pending ?? 0) : checkCount('spec.pending', s.pending);
    advanceTime('at', at, shop.time, shop.o.clock);
    // Validated: from here on nothing throws.
    let agent = existing;
    let newGroups = groups;
    if (agent === undefined) {
      agent = newAgent(id, weight, [], cap, pending);
      shop.agents.set(id, agent);
      newGroups ??= [];
    } else if (groups !== undefined && sameGroups(agent.groups, groups)) {
      newGroups = undefined;
    }
    return shop.updateAgent(agent, status, weight, newGroups, cap, pending);
  }

  /**
   * Changes an agent's status. Going `offline` re-routes its open consultations (rule 9); coming
   * online or back from suspension serves the waiting queue (rule 8).
   *
   * @throws {RoutingError} `UNKNOWN_AGENT`, `INVALID_ARGUMENT`, `TIME_WENT_BACKWARDS`.
   */
  setStatus(agentId: string, status: AgentStatus, at?: number): Decision[] {
    const shop = this.#shop;
    const agent = this.#agent('agentId', agentId);
    const next = checkStatus('status', status);
    advanceTime('at', at, shop.time, shop.o.clock);
    if (agent.status === next) return [];
    return shop.setStatus(agent, next);
  }

  /**
   * Reports how many customers await this agent's reply (待回复人数). An assignment adds one by
   * itself; the backend reports the true count as replies go out.
   *
   * @throws {RoutingError} `UNKNOWN_AGENT`, `INVALID_ARGUMENT`.
   */
  setPending(agentId: string, pending: number): void {
    const agent = this.#agent('agentId', agentId);
    const value = checkCount('pending', pending);
    if (agent.pending !== value) this.#shop.setPending(agent, value);
  }

  /**
   * Removes an agent; its open consultations are re-routed (rule 9).
   *
   * @throws {RoutingError} `UNKNOWN_AGENT`, `TIME_WENT_BACKWARDS`; `INVALID_ARGUMENT` without `at` on a router without a clock.
   */
  removeAgent(agentId: string, at?: number): Decision[] {
    const shop = this.#shop;
    const agent = this.#agent('agentId', agentId);
    advanceTime('at', at, shop.time, shop.o.clock);
    return shop.removeAgent(agent);
  }

  /** A read-only copy of one agent, or `undefined` for an unknown id. */
  getAgent(agentId: string): AgentView | undefined {
    const agent = this.#shop.agents.get(agentId);
    return agent === undefined ? undefined : agentView(this.#shop, agent);
  }

  /** Read-only copies of every agent, in the order they were first added. O(n) in the agents. */
  agents(): AgentView[] {
    return [...this.#shop.agents.values()].map((a) => agentView(this.#shop, a));
  }

  // ───────────────────────────── consultations ─────────────────────────────

  /**
   * Routes a new consultation by the rules of 客服分流, in order: nobody online → recent contact →
   * dedicated agent → reception mode → bound groups → busy-aware fair split → nobody can take it.
   *
   * @throws {RoutingError} `DUPLICATE_CUSTOMER` while the customer has an open consultation;
   *   `UNKNOWN_ORDER_STATE`, `UNKNOWN_AGENT` (dedicated agent), `INVALID_ARGUMENT` (a bad or unknown
   *   field, more than 100 recent contacts, a contact dated after the consultation, no `at` on a
   *   router without a clock), `TIME_WENT_BACKWARDS`.
   */
  route(consultation: Consultation): Decision {
    const shop = this.#shop;
    const c = checkObject('consultation', consultation);
    checkKeys('consultation', c, CONSULTATION_KEYS);
    const customerId = checkId('consultation.customerId', c.customerId);
    const known = shop.customers.get(customerId);
    if (known?.open !== undefined) {
      throw new RoutingError('DUPLICATE_CUSTOMER', `Expected \`consultation.customerId\` to have no open consultation, got ${quote(customerId)}, which is still open; end() it first`, 'consultation.customerId');
    }
    const scopes = shop.scopes;
    const orderState = c.orderState === undefined ? 'none' : c.orderState;
    if (typeof orderState !== 'string' || !scopes.knowsState(orderState)) {
      const orderStates = shop.o.orderStates.join(', ');
      throw new RoutingError('UNKNOWN_ORDER_STATE', c.orderState === undefined
        ? `Expected \`consultation.orderState\` to be given: the default 'none' is not among this router's orderStates (${orderStates})`
        : `Expected \`consultation.orderState\` to be one of ${orderStates}, got ${quote(c.orderState)}`, 'consultation.orderState');
    }
    const segment = c.segment === undefined ? undefined : checkId('consultation.segment', c.segment);
    const product = c.product === undefined ? undefined : checkId('consultation.product', c.product);
    const intent = c.intent === undefined ? undefined : checkId('consultation.intent', c.intent);
    const priority = c.priority === undefined ? 0 : checkFinite('consultation.priority', c.priority);
    const given = c.cost;
    const cost = given === undefined ? 1 : given;
    if (typeof cost !== 'number' || !(cost >= MIN_COST && cost <= MAX_COST)) throw expected('INVALID_ARGUMENT', 'consultation.cost', `a number in [${MIN_COST}, ${MAX_COST}]`, cost);
    const dedicatedAgentId = c.dedicatedAgentId === undefined ? undefined : this.#agent('consultation.dedicatedAgentId', c.dedicatedAgentId).id;
    const time = shop.time;
    const before = time.now;
    const at = c.at;
    // The common case inline; advanceTime checks the rest.
    if (typeof at === 'number' && at >= before && Math.abs(at) <= MAX_TIME) time.now = at;
    else advanceTime('consultation.at', at, time, shop.o.clock);
    let recentContacts: RecentContact[] | undefined;
    if (c.recentContacts !== undefined) {
      try {
        recentContacts = checkContacts(c.recentContacts, time.now);
      } catch (error) {
        time.now = before; // a call that fails changes nothing, its time included
        throw error;
      }
    }
    return shop.route(customerId, known, scopes.targetFor(segment, product, intent, orderState), orderState, segment, product, intent, priority, cost, dedicatedAgentId, recentContacts);
  }

  /**
   * The robot hands the consultation over to a human (rule 4): it is routed again as
   * `human-first`, and never back to the robot. With `options.intent`, the intent the robot
   * classified, it is matched again with that intent (rule 5) before it is routed.
   *
   * @param options - `{ intent?, at? }`; a number is `at`.
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`; `INVALID_STATE` when it is not with the robot;
   *   `INVALID_ARGUMENT` (an intent that is not a non-empty string, an unknown key); `TIME_WENT_BACKWARDS`.
   */
  escalate(customerId: string, options?: EscalateOptions | number): Decision {
    const shop = this.#shop;
    const open = this.#consultation(customerId);
    let at: unknown = options;
    let intent: string | undefined;
    if (typeof options === 'object' && options !== null) {
      checkKeys('options', options, ESCALATE_KEYS);
      const e = readKnown(options, ESCALATE_KEYS);
      intent = e.intent === undefined ? undefined : checkId('options.intent', e.intent);
      at = e.at;
    }
    if (open.where !== 'robot') {
      throw new RoutingError('INVALID_STATE', `Expected \`customerId\` to name a consultation with the robot to escalate it, got ${quote(customerId)}, which is ${whereText(open)}`, 'customerId');
    }
    advanceTime(typeof options === 'object' && options !== null ? 'options.at' : 'at', at, shop.time, shop.o.clock);
    return shop.escalate(open, intent);
  }

  /**
   * Takes a consultation back from its agent and routes it again (rule 9): never back to that
   * agent unless it is the transfer target; its arrival time is kept for queue order.
   *
   * @param request - why ({@link RerouteRequest}), and the target of a transfer.
   * @returns this consultation's decision first, then the queue services the freed slot allows.
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`, `INVALID_STATE` (not with an agent),
   *   `UNKNOWN_AGENT`, `AGENT_UNAVAILABLE` (transfer target offline or at cap), `INVALID_ARGUMENT`,
   *   `TIME_WENT_BACKWARDS`.
   */
  reroute(customerId: string, request: RerouteRequest): Decision[] {
    const shop = this.#shop;
    const open = this.#consultation(customerId);
    const r = checkObject('request', request);
    checkKeys('request', r, REROUTE_KEYS);
    if (typeof r.reason !== 'string' || !(REROUTE_REASONS as readonly string[]).includes(r.reason)) {
      throw expected('INVALID_ARGUMENT', 'request.reason', "one of 'declined', 'timeout', 'transfer'", r.reason);
    }
    if (open.where !== 'agent' || open.agent === undefined) {
      throw new RoutingError('INVALID_STATE', `Expected \`customerId\` to name a consultation with an agent to re-route it, got ${quote(customerId)}, which is ${whereText(open)}`, 'customerId');
    }
    const from = open.agent;
    let target: AgentRecord | undefined;
    if (r.toAgentId !== undefined) {
      if (r.reason !== 'transfer') throw expected('INVALID_ARGUMENT', 'request.toAgentId', "undefined unless `request.reason` is 'transfer'", r.toAgentId);
      target = this.#agent('request.toAgentId', r.toAgentId);
      if (target === from) throw expected('INVALID_ARGUMENT', 'request.toAgentId', `an agent other than the current one (${quote(from.id)})`, r.toAgentId);
      if (target.status === 'offline' || !fits(target, open.cost)) {
        throw new RoutingError('AGENT_UNAVAILABLE', `Expected \`request.toAgentId\` to name an agent online or suspended with room for the consultation's cost (${open.cost}), got ${quote(target.id)}, which is ${target.status} with a load of ${target.load} of cap ${target.cap}`, 'request.toAgentId');
      }
    }
    advanceTime('request.at', r.at, shop.time, shop.o.clock);
    return shop.reroute(open, target, r.reason as RerouteReason);
  }

  /**
   * The chat is over: its agent's slot frees and the waiting queue is served. Ending a queued
   * consultation (the customer gave up) takes it off the queue.
   *
   * @returns the queue services the freed slot allows.
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`, `TIME_WENT_BACKWARDS`; `INVALID_ARGUMENT` without `at` on a router without a clock.
   */
  end(customerId: string, at?: number): Decision[] {
    const shop = this.#shop;
    const open = this.#consultation(customerId);
    advanceTime('at', at, shop.time, shop.o.clock);
    return shop.end(open);
  }

  /**
   * Puts a consultation on hold (挂起 a chat, Rocket.Chat's On-Hold): it stays with its agent but
   * counts neither against the agent's cap nor in its `pending`, and its answer timeout is off; the
   * capacity it frees serves the queue. A message from either side (`customerMessage`,
   * `agentReply`) or `resume` counts it again.
   *
   * @returns the queue services the freed capacity allows.
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`; `INVALID_STATE` when it is not with an agent or already on hold; `TIME_WENT_BACKWARDS`; `INVALID_ARGUMENT` without `at` on a router without a clock.
   */
  hold(customerId: string, at?: number): Decision[] {
    const shop = this.#shop;
    const open = this.#consultation(customerId);
    if (open.where !== 'agent' || open.onHold) {
      throw new RoutingError('INVALID_STATE', `Expected \`customerId\` to name a consultation with an agent, not on hold, to hold it, got ${quote(customerId)}, which is ${open.onHold ? 'on hold already' : whereText(open)}`, 'customerId');
    }
    advanceTime('at', at, shop.time, shop.o.clock);
    return shop.hold(open);
  }

  /**
   * Counts a consultation on hold against its agent's cap and pending again — even above the cap:
   * the agent then takes nothing new until it is under.
   *
   * @returns no decisions (resuming frees nothing); an array for symmetry with `hold`.
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`; `INVALID_STATE` when it is not on hold; `TIME_WENT_BACKWARDS`; `INVALID_ARGUMENT` without `at` on a router without a clock.
   */
  resume(customerId: string, at?: number): Decision[] {
    const shop = this.#shop;
    const open = this.#consultation(customerId);
    if (open.where !== 'agent' || !open.onHold) {
      throw new RoutingError('INVALID_STATE', `Expected \`customerId\` to name a consultation on hold to resume it, got ${quote(customerId)}, which is ${open.where === 'agent' ? 'not on hold' : whereText(open)}`, 'customerId');
    }
    advanceTime('at', at, shop.time, shop.o.clock);
    return shop.resume(open);
  }

  /**
   * The customer wrote (a human-facing message, not a robot's): their consultation now awaits its
   * agent's reply, and counts in the agent's `pending` until `agentReply`. For a consultation not
   * with an agent it changes nothing: it awaits from its assignment.
   *
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`, `TIME_WENT_BACKWARDS`; `INVALID_ARGUMENT` without `at` on a router without a clock.
   */
  customerMessage(customerId: string, at?: number): void {
    const shop = this.#shop;
    const open = this.#consultation(customerId);
    advanceTime('at', at, shop.time, shop.o.clock);
    shop.customerMessage(open);
  }

  /**
   * Its agent replied (a human reply; robot and automatic replies are not reported here): the
   * consultation no longer awaits, its answer timeout is off, and the agent's run of misses ends.
   *
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`; `INVALID_STATE` when it is not with an agent; `TIME_WENT_BACKWARDS`; `INVALID_ARGUMENT` without `at` on a router without a clock.
   */
  agentReply(customerId: string, at?: number): void {
    const shop = this.#shop;
    const open = this.#consultation(customerId);
    if (open.where !== 'agent') {
      throw new RoutingError('INVALID_STATE', `Expected \`customerId\` to name a consultation with an agent to reply to, got ${quote(customerId)}, which is ${whereText(open)}`, 'customerId');
    }
    advanceTime('at', at, shop.time, shop.o.clock);
    shop.agentReply(open);
  }

  /**
   * Lets time pass to `at`: fires every deadline due at or before it — answer timeouts, overflow
   * steps, ends of holds for a recent contact, quiet chats going on hold (`inactiveAfterMs`), ends of
   * wrap-ups (`wrapUpMs`), the shop's opening (`businessHours`) — in deadline order (equal times in the order they were set), and returns
   * their decisions. Deadlines fire here and nowhere else. A decision's `at` is its deadline's time;
   * when a later call came first (a late `advance`), it is the latest time the router had seen.
   *
   * @param at - the time to advance to (ms); default `options.clock()`, required without a clock.
   * @throws {RoutingError} `TIME_WENT_BACKWARDS`, `INVALID_ARGUMENT`.
   */
  advance(at?: number): Decision[] {
    const shop = this.#shop;
    const time = shop.time;
    const before = time.now;
    advanceTime('at', at, time, shop.o.clock);
    // Deadlines between the latest time seen and `at` fire at their own times.
    const to = time.now;
    time.now = before;
    return shop.advance(to);
  }

  /** The earliest deadline not yet fired (ms), or `undefined`: a backend keeps one timer per shop on it. */
  nextDeadline(): number | undefined {
    return this.#shop.deadlines.peek()?.key;
  }

  /** Where an open consultation is ({@link ConsultationView}), or `undefined` when the customer has none. */
  consultation(customerId: string): ConsultationView | undefined {
    const open = this.#shop.openOf(customerId);
    return open === undefined ? undefined : consultationView(this.#shop, open);
  }

  /**
   * The waiting queue in service order (priority first, then the longest waiting), with each
   * consultation's position and, once its pool's queue has moved, an estimated wait. O(n log n) in
   * the queue's length (each consultation's position in its pool is a rank).
   */
  queue(): QueuedView[] {
    const shop = this.#shop;
    const list: QueuedView[] = [];
    for (const q of shop.queue.items()) {
      const view: QueuedView = { customerId: q.customerId, position: list.length + 1, priority: q.priority, since: q.since };
      const wait = estimatedWait(shop, q);
      if (wait !== undefined) view.estimatedWaitMs = wait;
      list.push(view);
    }
    return list;
  }

  // ───────────────────────────── snapshots ─────────────────────────────

  /**
   * The router's whole state as plain JSON (with a schema `version`): restoring it gives a router
   * that makes exactly the same decisions as this one from here on. The clock is not included.
   * O(n log n) in the shop's state.
   */
  snapshot(): RouterSnapshot {
    return writeSnapshot(this.#shop);
  }

  /**
   * Rebuilds a router from {@link Router.snapshot}'s output, in O(n log n) in the shop's state. A
   * corrupted snapshot, or one of another schema version, is rejected whole with
   * `INVALID_SNAPSHOT`.
   *
   * @param options - only `clock` may be given: the routing settings come from the snapshot.
   * @throws {RoutingError} `INVALID_SNAPSHOT`; `INVALID_OPTION` for `options` other than `{ clock? }`.
   */
  static restore(snapshot: RouterSnapshot, options?: Pick<RouterOptions, 'clock'>): Router {
    if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
      throw expected('INVALID_OPTION', 'options', 'an object { clock } or undefined', options);
    }
    for (const key in options) {
      if (key !== 'clock') throw new RoutingError('INVALID_OPTION', `Unknown key \`options.${key}\`: restore takes only \`clock\`, the routing settings come from the snapshot`, `options.${key}`);
    }
    const clock = options?.clock === undefined ? undefined : resolveOptions({ clock: options.clock }).clock;
    const s = readSnapshot(snapshot);
    let router: Router;
    try {
      router = new Router({ ...routerOptionsOf(s.options), ...(clock === undefined ? {} : { clock }) });
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
      throw new RoutingError('INVALID_SNAPSHOT', `Expected \`snapshot.options\` to be valid router options: ${error.message}`, 'snapshot.options');
    }
    loadSnapshot(router.#shop, s);
    return router;
  }

  // ───────────────────────────── validation helpers ─────────────────────────────

  #agent(field: string, agentId: unknown): AgentRecord {
    const id = checkId(field, agentId);
    const agent = this.#shop.agents.get(id);
    if (agent === undefined) throw new RoutingError('UNKNOWN_AGENT', `Expected \`${field}\` to be a known agent id, got ${quote(id)}`, field);
    return agent;
  }

  #consultation(customerId: unknown): Open {
    const id = checkId('customerId', customerId);
    const open = this.#shop.openOf(id);
    if (open === undefined) throw new RoutingError('UNKNOWN_CUSTOMER', `Expected \`customerId\` to have an open consultation, got ${quote(id)}`, 'customerId');
    return open;
  }

  #checkGroups(groups: unknown): string[] {
    if (!Array.isArray(groups)) throw expected('INVALID_ARGUMENT', 'spec.groups', 'an array of group ids', groups);
    const known = this.#shop.scopes.groupIds;
    // Every index, an empty slot of a sparse array included (forEach would skip it).
    for (const [i, g] of groups.entries()) {
      checkId(`spec.groups[${i}]`, g);
      if (!known.has(g as string)) {
        throw new RoutingError('UNKNOWN_GROUP', `Expected \`spec.groups[${i}]\` to be a group declared in options.groups (${[...known].join(', ') || 'none declared'}), got ${quote(g)}`, `spec.groups[${i}]`);
      }
    }
    return [...new Set(groups as string[])];
  }
}

/**
 * A call's object argument as `Router` reads it — its known properties, getters included, unknown
 * keys refused — copied into plain data. `RedisRouter` logs this copy, so a class instance with a
 * `get orderState()` routes alike through both. Anything that is not an object is left for the
 * `Router`'s own validation to answer.
 *
 * @throws {RoutingError} `INVALID_ARGUMENT` for an unknown key.
 */
export function plainArgument(kind: 'spec' | 'consultation' | 'request' | 'escalate', value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = kind === 'spec' ? AGENT_SPEC_KEYS : kind === 'consultation' ? CONSULTATION_KEYS : kind === 'escalate' ? ESCALATE_KEYS : REROUTE_KEYS;
  checkKeys(kind === 'escalate' ? 'options' : kind, value, keys);
  const copy = readKnown(value, keys);
  if (kind === 'consultation' && Array.isArray(copy.recentContacts)) {
    copy.recentContacts = copy.recentContacts.map((c: unknown, i) => {
      if (typeof c !== 'object' || c === null || Array.isArray(c)) return c;
      checkKeys(`consultation.recentContacts[${i}]`, c, CONTACT_KEYS);
      return readKnown(c, CONTACT_KEYS);
    });
  }
  return copy;
}

function checkStatus(field: string, status: unknown): AgentStatus {
  if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
    throw expected('INVALID_ARGUMENT', field, "one of 'online', 'suspended', 'offline'", status);
  }
  return status as AgentStatus;
}

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((g, i) => g === b[i]);
}

/** Caller-supplied recent contacts: at most {@link MAX_RECENT_CONTACTS}, none dated after the consultation (`now`). */
function checkContacts(contacts: unknown, now: number): RecentContact[] {
  if (!Array.isArray(contacts)) throw expected('INVALID_ARGUMENT', 'consultation.recentContacts', 'an array of { agentId, at }', contacts);
  if (contacts.length > MAX_RECENT_CONTACTS) throw expected('INVALID_ARGUMENT', 'consultation.recentContacts', `an array of at most ${MAX_RECENT_CONTACTS} contacts`, contacts);
  // Array.from visits every index, an empty slot of a sparse array included (map would skip it).
  return Array.from(contacts, (c: unknown, i) => {
    const field = `consultation.recentContacts[${i}]`;
    const r = checkObject(field, c);
    checkKeys(field, r, CONTACT_KEYS);
    const agentId = checkId(`${field}.agentId`, r.agentId);
    const at = checkTime(`${field}.at`, r.at);
    if (at > now) throw expected('INVALID_ARGUMENT', `${field}.at`, `no later than the consultation's time (${now})`, at);
    return { agentId, at };
  });
}

function whereText(open: Open): string {
  switch (open.where) {
    case 'agent': return `with agent ${quote(open.agent?.id)}`;
    case 'robot': return 'with the robot';
    case 'queued': return 'in the queue';
    case 'offline': return `as an offline message to ${quote(open.accountId)}`;
    case 'new': return 'being routed';
  }
}
