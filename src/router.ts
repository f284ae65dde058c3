import { expected, RoutingError } from './errors.js';
import { resolveOptions, type ResolvedOptions, type RouterOptions } from './options.js';
import { chooseRecentContact } from './pipeline/sticky.js';
import { buildPools, modeDecision, type ModeContext, type PoolPlan } from './pipeline/reception-mode.js';
import { Tier, type Member, type Pool } from './pipeline/pool.js';
import { CustomerTable, type CustomerEntry } from './structures/customer-table.js';
import { WaitingQueue, type Waiting } from './pipeline/queue.js';
import { advanceTime, checkCount, checkFinite, checkId, checkObject, type Time } from './validate.js';
import { readSnapshot, SNAPSHOT_VERSION, type RouterSnapshot } from './snapshot.js';
import type {
  AgentDecision,
  AgentSpec,
  AgentStatus,
  AgentView,
  Consultation,
  Decision,
  QueuedView,
  RecentContact,
  RerouteReason,
  RerouteRequest,
} from './types.js';

const PLACED_UNKNOWN = -1;
const PLACED_OUT = 0;
const PLACED_FREE = 1;
const PLACED_BUSY = 2;

const MIN_WEIGHT = 1e-6;
const MAX_WEIGHT = 1e6;
const STATUSES: readonly AgentStatus[] = ['online', 'suspended', 'offline'];
const REROUTE_REASONS: readonly RerouteReason[] = ['declined', 'timeout', 'transfer'];

/**
 * The router's record of an agent. Changed only by the commit paths below.
 *
 * It is also the agent's first pool membership (its {@link Member} fields), so that the hot path
 * reads one object per agent, not an agent and a membership. An agent in several pools has further
 * memberships: records of the same shape (one hidden class for every heap element) made by
 * `newMembership`, whose own agent fields are unused.
 */
interface AgentRecord extends Member {
  readonly agent: AgentRecord;
  readonly id: string;
  status: AgentStatus;
  weight: number;
  groups: string[];
  cap: number;
  pending: number;
  active: number;
  assigned: number;
  /** The router's assignment counter at this agent's last assignment; 0 when never assigned. */
  lastSeq: number;
  /** Weight as the split mode sees it: 1 for everyone in `average` mode. */
  shareWeight: number;
  /** Whether this agent counts in `#openSlots`. */
  hasSlot: boolean;
  /** Set for good by `removeAgent`: the contact memory may still hold the record (see `StickyAgent`). */
  removed: boolean;
  /**
   * How its memberships were last placed (`PLACED_OUT`, `PLACED_FREE`, `PLACED_BUSY`, or
   * `PLACED_UNKNOWN` to force a placement) and its `lastSeq` then: when neither changed, a non-busy
   * or unavailable agent's memberships are already where they belong and `#refresh` skips them.
   */
  placed: number;
  placedSeq: number;
  /**
   * One membership per candidate pool the agent belongs to, as a list (`Member.nextOfAgent`), in
   * the order of the pools: the hot path reads no array, and an agent keeps none.
   */
  firstMember: Member | undefined;
  /** Its open consultations, in assignment order: a list threaded through them (O(1), no hashing). */
  firstOpen: Open | undefined;
  lastOpen: Open | undefined;
}

/**
 * An open consultation: with an agent, the robot, the queue or an offline account. Records are
 * reused once a consultation ends, so `route` sets every field.
 */
interface Open extends Waiting {
  customerId: string;
  /** The customer's entry in the table: its remembered contact, and this consultation. */
  entry: CustomerEntry<Open, AgentRecord>;
  since: number;
  order: number;
  priority: number;
  orderState: string;
  /** Where its order state routes (rule 5) and the reception mode that applies there (rule 4). */
  target: StateTarget;
  dedicatedAgentId: string | undefined;
  recentContacts: readonly RecentContact[] | undefined;
  /** Agents it was taken from (rule 9): it never goes back to them unless as a transfer target. */
  excluded: Set<string> | undefined;
  /** The robot handed it over (rule 4): it is not sent back to the robot. */
  escalated: boolean;
  where: 'agent' | 'robot' | 'queued' | 'offline';
  agent: AgentRecord | undefined;
  accountId: string | undefined;
  /** Neighbours in its agent's list of open consultations. */
  prevOfAgent: Open | undefined;
  nextOfAgent: Open | undefined;
}

/** What an order state routes to, looked up once per consultation. */
interface StateTarget {
  readonly pool: Pool;
  readonly mode: ModeContext;
}

/** Consultation records kept for reuse at most. */
const SPARE_LIMIT = 64;

// One factory per record type, so that every record of a type has one shape (one hidden class);
// the fields the hot paths read come first, to share the object's first cache line.

function newAgent(id: string, weight: number, groups: string[], cap: number, pending: number, assigned: number, lastSeq: number): AgentRecord {
  const record: AgentRecord = {
    agent: undefined as unknown as AgentRecord, start: 0, finish: 0, tier: Tier.Out, key: 0, seq: 0, heapIndex: -1, countedWeight: 0,
    status: 'offline', active: 0, cap, pending, lastSeq, placed: PLACED_UNKNOWN, placedSeq: 0, firstMember: undefined,
    firstOpen: undefined, lastOpen: undefined, shareWeight: 1, hasSlot: false, removed: false, nextOfAgent: undefined,
    pool: undefined as unknown as Pool, // set when it joins a pool
    id, weight, assigned, groups,
  };
  (record as { agent: AgentRecord }).agent = record;
  return record;
}

/** A further pool membership of `agent` (see {@link AgentRecord}). */
function newMembership(agent: AgentRecord): AgentRecord {
  const m = newAgent(agent.id, agent.weight, agent.groups, 0, 0, 0, 0);
  (m as { agent: AgentRecord }).agent = agent;
  return m;
}

function newOpen(customerId: string): Open {
  return {
    where: 'queued', agent: undefined, prevOfAgent: undefined, nextOfAgent: undefined, entry: undefined as unknown as CustomerEntry<Open, AgentRecord>,
    excluded: undefined, customerId, target: undefined as unknown as StateTarget, recentContacts: undefined, since: 0, order: 0,
    priority: 0, orderState: 'none', dedicatedAgentId: undefined, escalated: false, accountId: undefined,
  };
}

function linkOpen(agent: AgentRecord, open: Open): void {
  open.prevOfAgent = agent.lastOpen;
  open.nextOfAgent = undefined;
  if (agent.lastOpen === undefined) agent.firstOpen = open;
  else agent.lastOpen.nextOfAgent = open;
  agent.lastOpen = open;
}

function unlinkOpen(agent: AgentRecord, open: Open): void {
  if (open.prevOfAgent === undefined) agent.firstOpen = open.nextOfAgent;
  else open.prevOfAgent.nextOfAgent = open.nextOfAgent;
  if (open.nextOfAgent === undefined) agent.lastOpen = open.prevOfAgent;
  else open.nextOfAgent.prevOfAgent = open.prevOfAgent;
  open.prevOfAgent = undefined;
  open.nextOfAgent = undefined;
}

/** The agent's pool memberships, in the order of the pools. */
function membersOf(agent: AgentRecord): Member[] {
  const list: Member[] = [];
  for (let m = agent.firstMember; m !== undefined; m = m.nextOfAgent) list.push(m);
  return list;
}

function openOf(agent: AgentRecord): Open[] {
  const list: Open[] = [];
  for (let o = agent.firstOpen; o !== undefined; o = o.nextOfAgent) list.push(o);
  return list;
}

/** How a consultation is being routed: which rules apply and where "nobody" sends it. */
type Stage = 'new' | 'escalated' | 'reroute' | 'drain';

/**
 * The routing engine for one shop (店铺): every rule of 客服分流, deterministic, O(log n) per decision.
 *
 * Public methods validate all of their input first and change nothing when they throw; then one
 * commit path applies the decision.
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
  readonly #o: ResolvedOptions;
  /** Every agent by id; a Map because `"__proto__"` is a valid id. */
  readonly #agents = new Map<string, AgentRecord>();
  /**
   * Every customer by id: its open consultation (exactly one per customer) and its remembered
   * contact, in one record, so a route costs one lookup.
   */
  readonly #customers: CustomerTable<Open, AgentRecord>;
  /** Records of ended consultations, for reuse: a route allocates none in steady state. */
  readonly #spare: Open[] = [];
  /** Queued consultations in service order: priority, then arrival, then routing order. */
  readonly #queue = new WaitingQueue<Open>();
  readonly #plan: PoolPlan;
  /** Each order state's pool and reception mode. */
  readonly #targets = new Map<string, StateTarget>();
  /** The target of a consultation given no order state ('none'), when 'none' is one of the states. */
  readonly #defaultTarget: StateTarget | undefined;
  /** The latest time seen, shared with the customer table; an explicit `at` earlier than this is rejected. */
  readonly #time: Time = { now: Number.NEGATIVE_INFINITY };
  /** Counts assignments; stamps `lastSeq` for the least-recently-assigned tie-break. */
  #seq = 0;
  /** Counts routed consultations; orders equal-priority, equal-time queue entries. */
  #arrivals = 0;
  /** Agents online or suspended (rule 1 asks whether this is zero). */
  #present = 0;
  /** Agents that could take some consultation now (online, or suspended with sticky on; under cap). */
  #openSlots = 0;

  /** @throws {RoutingError} `INVALID_OPTION`, `UNKNOWN_ORDER_STATE` for bad options. */
  constructor(options?: RouterOptions) {
    this.#o = resolveOptions(options);
    this.#plan = buildPools(this.#o);
    for (const [state, pool] of this.#plan.poolOfState) this.#targets.set(state, { pool, mode: this.#plan.contextOfPool.get(pool) as ModeContext });
    this.#defaultTarget = this.#targets.get('none');
    this.#customers = new CustomerTable(this.#o.contactMemory.maxEntries, this.#o.stickyWindowMs, this.#time);
  }

  // ───────────────────────────── agents ─────────────────────────────

  /**
   * Creates or updates an agent. Omitted fields keep their value (or their default for a new
   * agent). Lowering `cap` below the agent's open consultations takes none away.
   *
   * @param at - the time of the change (ms); default `options.clock()`.
   * @returns the queued consultations the change let in and, when the agent goes offline, the
   *   re-routing of its open consultations (rule 9).
   * @throws {RoutingError} `INVALID_ARGUMENT`, `UNKNOWN_GROUP`, `TIME_WENT_BACKWARDS`.
   */
  upsertAgent(spec: AgentSpec, at?: number): Decision[] {
    const s = checkObject('spec', spec);
    const id = checkId('spec.id', s.id);
    const existing = this.#agents.get(id);
    const status = s.status === undefined ? (existing?.status ?? 'offline') : this.#checkStatus('spec.status', s.status);
    let weight = existing?.weight ?? 1;
    if (s.weight !== undefined) {
      // Bounded so that 1 / weight, the fair share's step, stays a finite, well-scaled number.
      if (typeof s.weight !== 'number' || !(s.weight >= MIN_WEIGHT && s.weight <= MAX_WEIGHT)) throw expected('INVALID_ARGUMENT', 'spec.weight', `a number in [${MIN_WEIGHT}, ${MAX_WEIGHT}]`, s.weight);
      weight = s.weight;
    }
    let groups = existing?.groups ?? [];
    if (s.groups !== undefined) groups = this.#checkGroups(s.groups);
    let cap = existing?.cap ?? Number.POSITIVE_INFINITY;
    if (s.cap !== undefined) {
      if (s.cap !== Number.POSITIVE_INFINITY) checkCount('spec.cap', s.cap);
      cap = s.cap as number;
    }
    const pending = s.pending === undefined ? (existing?.pending ?? 0) : checkCount('spec.pending', s.pending);
    advanceTime('at', at, this.#time, this.#o.clock);
    // Validated: from here on nothing throws.

    let agent = existing;
    if (agent === undefined) {
      agent = newAgent(id, weight, groups, cap, pending, 0, 0);
      this.#agents.set(id, agent);
    }
    const wasOffline = agent.status === 'offline';
    this.#setPresence(agent, status);
    agent.weight = weight;
    agent.cap = cap;
    agent.pending = pending;
    if (agent.groups !== groups || agent.firstMember === undefined) {
      agent.groups = [...groups];
      this.#rejoinPools(agent);
    }
    agent.placed = PLACED_UNKNOWN; // the weight may have changed
    this.#refresh(agent);
    return this.#afterStatusChange(agent, wasOffline);
  }

  /**
   * Changes an agent's status. Going `offline` re-routes its open consultations (rule 9); coming
   * online or back from suspension serves the waiting queue (rule 8).
   *
   * @throws {RoutingError} `UNKNOWN_AGENT`, `INVALID_ARGUMENT`, `TIME_WENT_BACKWARDS`.
   */
  setStatus(agentId: string, status: AgentStatus, at?: number): Decision[] {
    const agent = this.#agent('agentId', agentId);
    const next = this.#checkStatus('status', status);
    advanceTime('at', at, this.#time, this.#o.clock);
    if (agent.status === next) return [];
    const wasOffline = agent.status === 'offline';
    this.#setPresence(agent, next);
    this.#refresh(agent);
    return this.#afterStatusChange(agent, wasOffline);
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
    if (agent.pending === value) return;
    agent.pending = value;
    this.#refresh(agent);
  }

  /**
   * Removes an agent; its open consultations are re-routed (rule 9).
   *
   * @throws {RoutingError} `UNKNOWN_AGENT`, `TIME_WENT_BACKWARDS`.
   */
  removeAgent(agentId: string, at?: number): Decision[] {
    const agent = this.#agent('agentId', agentId);
    advanceTime('at', at, this.#time, this.#o.clock);
    const out: Decision[] = [];
    this.#setPresence(agent, 'offline');
    this.#refresh(agent);
    this.#rerouteAll(agent, out);
    for (const m of membersOf(agent)) m.pool.leave(m);
    agent.firstMember = undefined;
    agent.removed = true;
    this.#agents.delete(agent.id);
    this.#drain(out);
    return out;
  }

  /** A read-only copy of one agent, or `undefined` for an unknown id. */
  getAgent(agentId: string): AgentView | undefined {
    const agent = this.#agents.get(agentId);
    return agent === undefined ? undefined : this.#view(agent);
  }

  /** Read-only copies of every agent, in the order they were first added. */
  agents(): AgentView[] {
    return [...this.#agents.values()].map((a) => this.#view(a));
  }

  // ───────────────────────────── consultations ─────────────────────────────

  /**
   * Routes a new consultation by the rules of 客服分流, in order: nobody online → recent contact →
   * dedicated agent → reception mode → bound groups → busy-aware fair split → nobody can take it.
   *
   * @throws {RoutingError} `DUPLICATE_CUSTOMER` while the customer has an open consultation;
   *   `UNKNOWN_ORDER_STATE`, `UNKNOWN_AGENT` (dedicated agent), `INVALID_ARGUMENT`, `TIME_WENT_BACKWARDS`.
   */
  route(consultation: Consultation): Decision {
    const c = checkObject('consultation', consultation);
    const customerId = checkId('consultation.customerId', c.customerId);
    const known = this.#customers.get(customerId);
    if (known?.open !== undefined) {
      throw new RoutingError('DUPLICATE_CUSTOMER', `Expected \`consultation.customerId\` to have no open consultation, got ${JSON.stringify(customerId)}, which is still open; end() it first`, 'consultation.customerId');
    }
    let orderState = 'none';
    let target = this.#defaultTarget;
    if (c.orderState !== undefined) {
      target = typeof c.orderState === 'string' ? this.#targets.get(c.orderState) : undefined;
      if (target === undefined) {
        throw new RoutingError('UNKNOWN_ORDER_STATE', `Expected \`consultation.orderState\` to be one of ${this.#o.orderStates.join(', ')}, got ${JSON.stringify(c.orderState)}`, 'consultation.orderState');
      }
      orderState = c.orderState as string;
    } else if (target === undefined) {
      throw new RoutingError('UNKNOWN_ORDER_STATE', `Expected \`consultation.orderState\` to be given: the default 'none' is not among this router's orderStates (${this.#o.orderStates.join(', ')})`, 'consultation.orderState');
    }
    const priority = c.priority === undefined ? 0 : checkFinite('consultation.priority', c.priority);
    let dedicatedAgentId: string | undefined;
    if (c.dedicatedAgentId !== undefined) dedicatedAgentId = this.#agent('consultation.dedicatedAgentId', c.dedicatedAgentId).id;
    const recentContacts = c.recentContacts === undefined ? undefined : this.#checkContacts(c.recentContacts);
    // The common case inline: a time read from the caller's object and passed on to a call would be
    // boxed again when V8 does not inline the call (see `Time`); advanceTime checks the rest.
    const at = c.at;
    const time = this.#time;
    if (typeof at === 'number' && at >= time.now && at - at === 0) time.now = at;
    else advanceTime('consultation.at', at, time, this.#o.clock);

    // A reused record has no agent, no neighbours and no exclusions (end() left it so).
    const open = this.#spare.pop() ?? newOpen(customerId);
    open.where = 'queued';
    open.customerId = customerId;
    open.target = target;
    open.recentContacts = recentContacts;
    open.since = time.now;
    open.order = ++this.#arrivals;
    open.priority = priority;
    open.orderState = orderState;
    open.dedicatedAgentId = dedicatedAgentId;
    open.escalated = false;
    open.accountId = undefined;
    open.entry = this.#customers.open(customerId, known, open);
    return this.#decide(open, 'new') as Decision;
  }

  /**
   * The robot hands the consultation over to a human (rule 4): it is routed again as
   * `human-first`, and never back to the robot.
   *
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`; `INVALID_STATE` when it is not with the robot.
   */
  escalate(customerId: string, at?: number): Decision {
    const open = this.#consultation(customerId);
    if (open.where !== 'robot') {
      throw new RoutingError('INVALID_STATE', `Expected \`customerId\` to name a consultation with the robot to escalate it, got ${JSON.stringify(customerId)}, which is ${this.#whereText(open)}`, 'customerId');
    }
    advanceTime('at', at, this.#time, this.#o.clock);
    open.escalated = true;
    return this.#decide(open, 'escalated') as Decision;
  }

  /**
   * Takes a consultation back from its agent and routes it again (rule 9): never back to that
   * agent unless it is the transfer target; its arrival time is kept for queue order.
   *
   * @returns this consultation's decision first, then the queue drains the freed slot allows.
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`, `INVALID_STATE` (not with an agent),
   *   `UNKNOWN_AGENT`, `AGENT_UNAVAILABLE` (transfer target offline or at cap), `INVALID_ARGUMENT`.
   */
  reroute(customerId: string, request: RerouteRequest): Decision[] {
    const open = this.#consultation(customerId);
    const r = checkObject('request', request);
    if (typeof r.reason !== 'string' || !(REROUTE_REASONS as readonly string[]).includes(r.reason)) {
      throw expected('INVALID_ARGUMENT', 'request.reason', "one of 'declined', 'timeout', 'transfer'", r.reason);
    }
    if (open.where !== 'agent' || open.agent === undefined) {
      throw new RoutingError('INVALID_STATE', `Expected \`customerId\` to name a consultation with an agent to re-route it, got ${JSON.stringify(customerId)}, which is ${this.#whereText(open)}`, 'customerId');
    }
    const from = open.agent;
    let target: AgentRecord | undefined;
    if (r.toAgentId !== undefined) {
      if (r.reason !== 'transfer') throw expected('INVALID_ARGUMENT', 'request.toAgentId', "undefined unless `request.reason` is 'transfer'", r.toAgentId);
      target = this.#agent('request.toAgentId', r.toAgentId);
      if (target === from) throw expected('INVALID_ARGUMENT', 'request.toAgentId', `an agent other than the current one (${JSON.stringify(from.id)})`, r.toAgentId);
      if (target.status === 'offline' || target.active >= target.cap) {
        throw new RoutingError('AGENT_UNAVAILABLE', `Expected \`request.toAgentId\` to name an agent online or suspended and under its cap, got ${JSON.stringify(target.id)}, which is ${target.status} with ${target.active} open of cap ${target.cap}`, 'request.toAgentId');
      }
    }
    advanceTime('request.at', r.at, this.#time, this.#o.clock);

    const out: Decision[] = [];
    this.#release(open);
    (open.excluded ??= new Set()).add(from.id);
    if (target !== undefined) {
      out.push(this.#assign(open, target, undefined, 'transfer', undefined, from.id));
    } else {
      out.push(this.#decide(open, 'reroute', from.id) as Decision);
    }
    this.#drain(out);
    return out;
  }

  /**
   * The chat is over: its agent's slot frees and the waiting queue is served. Ending a queued
   * consultation (the customer gave up) takes it off the queue.
   *
   * @returns the queue drains the freed slot allows.
   * @throws {RoutingError} `UNKNOWN_CUSTOMER`, `TIME_WENT_BACKWARDS`.
   */
  end(customerId: string, at?: number): Decision[] {
    const open = this.#consultation(customerId);
    advanceTime('at', at, this.#time, this.#o.clock);
    const out: Decision[] = [];
    if (open.where === 'queued') {
      this.#queue.remove(open);
    } else if (open.where === 'agent') {
      this.#release(open);
      this.#drain(out);
    }
    // Last: the records are reused from here on.
    this.#customers.close(open.entry);
    open.excluded = undefined;
    if (this.#spare.length < SPARE_LIMIT) this.#spare.push(open);
    return out;
  }

  /** The waiting queue in service order: priority first, then the longest waiting. */
  queue(): QueuedView[] {
    return this.#queue.items().map((q, i) => ({ customerId: q.customerId, position: i + 1, priority: q.priority, since: q.since }));
  }

  // ───────────────────────────── snapshots ─────────────────────────────

  /**
   * The router's whole state as plain JSON (with a schema `version`): restoring it gives a router
   * that makes exactly the same decisions as this one from here on. The clock is not included.
   */
  snapshot(): RouterSnapshot {
    const o = this.#o;
    return {
      version: SNAPSHOT_VERSION,
      options: {
        splitMode: o.splitMode, busyThreshold: o.busyThreshold, stickyWindowMs: Number.isFinite(o.stickyWindowMs) ? o.stickyWindowMs : null,
        stickyToSuspended: o.stickyToSuspended, receptionMode: o.receptionMode, robot: o.robot, noAgent: o.noAgent,
        ...(o.robotRatio === undefined ? {} : { robotRatio: o.robotRatio }),
        ...(o.mainAccountId === undefined ? {} : { mainAccountId: o.mainAccountId }),
        ...(o.proxyAccountId === undefined ? {} : { proxyAccountId: o.proxyAccountId }),
        groups: o.groups.map((g) => ({
          id: g.id, orderStates: [...g.orderStates],
          ...(g.receptionMode === undefined ? {} : { receptionMode: g.receptionMode }),
          ...(g.robotRatio === undefined ? {} : { robotRatio: g.robotRatio }),
        })),
        orderStates: [...o.orderStates],
        contactMemory: { maxEntries: o.contactMemory.maxEntries },
      },
      now: Number.isFinite(this.#time.now) ? this.#time.now : null,
      seq: this.#seq,
      arrivals: this.#arrivals,
      agents: [...this.#agents.values()].map((a) => ({
        id: a.id, status: a.status, weight: a.weight, groups: [...a.groups], cap: Number.isFinite(a.cap) ? a.cap : null,
        pending: a.pending, assigned: a.assigned, lastSeq: a.lastSeq, open: openOf(a).map((c) => c.customerId),
        members: membersOf(a).map((m) => ({ pool: m.pool.key, start: m.start, finish: m.finish })),
      })),
      pools: this.#plan.pools.map((p) => ({ key: p.key, virtualTime: p.virtualTime, totalWeight: p.totalWeight })),
      modes: this.#plan.contexts.map((m) => ({ key: m.key, routed: m.routed, robots: m.robots })),
      consultations: [...this.#customers.openConsultations()].sort((a, b) => a.order - b.order).map((c) => ({
        customerId: c.customerId, orderState: c.orderState, since: c.since, order: c.order, priority: c.priority,
        ...(c.dedicatedAgentId === undefined ? {} : { dedicatedAgentId: c.dedicatedAgentId }),
        ...(c.recentContacts === undefined ? {} : { recentContacts: c.recentContacts.map((r) => ({ agentId: r.agentId, at: r.at })) }),
        excluded: c.excluded === undefined ? [] : [...c.excluded],
        escalated: c.escalated,
        where: c.where,
        ...(c.agent === undefined ? {} : { agentId: c.agent.id }),
        ...(c.accountId === undefined ? {} : { accountId: c.accountId }),
      })),
      contacts: [...this.#customers.contacts()].map((e) => [e.id, (e.contact as AgentRecord).id, e.contactAt]),
    };
  }

  /**
   * Rebuilds a router from {@link Router.snapshot}'s output. A corrupted snapshot, or one of
   * another schema version, is rejected whole with `INVALID_SNAPSHOT`.
   *
   * @param options - only `clock` may be given: the routing settings come from the snapshot.
   */
  static restore(snapshot: RouterSnapshot, options?: Pick<RouterOptions, 'clock'>): Router {
    const s = readSnapshot(snapshot);
    let router: Router;
    try {
      const stored = s.options;
      router = new Router({
        ...(stored as RouterOptions),
        stickyWindowMs: stored.stickyWindowMs ?? Number.POSITIVE_INFINITY,
        ...(options?.clock === undefined ? {} : { clock: options.clock }),
      });
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
      throw new RoutingError('INVALID_SNAPSHOT', `Expected \`snapshot.options\` to be valid router options: ${(error as Error).message}`, 'snapshot.options');
    }
    router.#load(s);
    return router;
  }

  #load(s: RouterSnapshot): void {
    const fail = (field: string, what: string): never => {
      throw new RoutingError('INVALID_SNAPSHOT', `Expected \`snapshot.${field}\` to be ${what}`, `snapshot.${field}`);
    };
    const pools = new Map(this.#plan.pools.map((p) => [p.key, p]));
    const contexts = new Map(this.#plan.contexts.map((c) => [c.key, c]));
    if (s.pools.length !== pools.size || s.pools.some((p) => !pools.has(p.key))) fail('pools', `the ${pools.size} pools these options define`);
    if (s.modes.length !== contexts.size || s.modes.some((m) => !contexts.has(m.key))) fail('modes', `the ${contexts.size} reception modes these options define`);
    const groupIds = this.#plan.groupIds;
    const byCustomer = new Map(s.consultations.map((c) => [c.customerId, c]));
    if (byCustomer.size !== s.consultations.length) fail('consultations', 'one per customer');
    const seenAgents = new Set<string>();
    for (const a of s.agents) {
      if (seenAgents.has(a.id)) fail('agents', `unique ids, got ${JSON.stringify(a.id)} twice`);
      seenAgents.add(a.id);
      if (a.weight <= 0) fail('agents', `of weight > 0 (${JSON.stringify(a.id)})`);
      for (const g of a.groups) if (!groupIds.has(g)) fail('agents', `in declared groups, got ${JSON.stringify(g)}`);
      if (new Set(a.open).size !== a.open.length) fail('agents', `listing each open consultation once (${JSON.stringify(a.id)})`);
      for (const id of a.open) if (byCustomer.get(id)?.agentId !== a.id || byCustomer.get(id)?.where !== 'agent') fail('agents', `holding consultations that are with them (${JSON.stringify(a.id)})`);
      if (a.lastSeq > s.seq) fail('agents', `assigned no later than \`seq\` (${JSON.stringify(a.id)})`);
    }
    if (new Set(s.consultations.map((c) => c.order)).size !== s.consultations.length) fail('consultations', 'of distinct arrival orders');
    for (let i = 1; i < s.contacts.length; i++) if ((s.contacts[i] as [string, string, number])[2] < (s.contacts[i - 1] as [string, string, number])[2]) fail('contacts', 'in ascending time order');
    for (const c of s.consultations) {
      if (!this.#plan.poolOfState.has(c.orderState)) fail('consultations', `in known order states, got ${JSON.stringify(c.orderState)}`);
      if (c.where === 'agent' && !s.agents.some((a) => a.id === c.agentId && a.open.includes(c.customerId))) fail('consultations', `with agents that list them (${JSON.stringify(c.customerId)})`);
      if ((c.where === 'offline') !== (c.accountId !== undefined)) fail('consultations', `with an accountId exactly when an offline message (${JSON.stringify(c.customerId)})`);
      if (c.where !== 'agent' && c.agentId !== undefined) fail('consultations', `with an agentId only when with an agent (${JSON.stringify(c.customerId)})`);
      if (c.where === 'robot' && !this.#o.robot) fail('consultations', `with the robot only when options.robot is true (${JSON.stringify(c.customerId)})`);
    }
    // Validated: build.
    this.#seq = s.seq;
    this.#arrivals = s.arrivals;
    for (const m of s.modes) {
      const ctx = contexts.get(m.key) as ModeContext;
      ctx.routed = m.routed;
      ctx.robots = m.robots;
    }
    const opens = new Map<string, Open>();
    for (const c of s.consultations) {
      const open = newOpen(c.customerId);
      open.where = c.where;
      open.excluded = c.excluded.length > 0 ? new Set(c.excluded) : undefined;
      open.target = this.#targets.get(c.orderState) as StateTarget;
      open.recentContacts = c.recentContacts?.map((r) => ({ agentId: r.agentId, at: r.at }));
      open.since = c.since;
      open.order = c.order;
      open.priority = c.priority;
      open.orderState = c.orderState;
      open.dedicatedAgentId = c.dedicatedAgentId;
      open.escalated = c.escalated;
      open.accountId = c.accountId;
      open.entry = this.#customers.open(c.customerId, undefined, open);
      opens.set(c.customerId, open);
      if (c.where === 'queued') this.#queue.insert(open);
    }
    for (const a of s.agents) {
      const agent = newAgent(a.id, a.weight, [...a.groups], a.cap ?? Number.POSITIVE_INFINITY, a.pending, a.assigned, a.lastSeq);
      this.#agents.set(a.id, agent);
      for (const id of a.open) {
        const open = opens.get(id) as Open;
        open.agent = agent;
        linkOpen(agent, open);
      }
      agent.active = a.open.length;
      this.#setPresence(agent, a.status);
      this.#rejoinPools(agent);
      const saved = new Map(a.members.map((m) => [m.pool, m]));
      const members = membersOf(agent);
      if (saved.size !== members.length || members.some((m) => !saved.has(m.pool.key))) {
        this.#agents.clear();
        fail('agents', `with memberships matching their groups (${JSON.stringify(a.id)})`);
      }
      this.#refresh(agent);
      for (const m of members) {
        const stored = saved.get(m.pool.key) as { start: number; finish: number };
        m.start = stored.start;
        m.finish = stored.finish;
      }
    }
    for (const p of s.pools) (pools.get(p.key) as Pool).restore(p.virtualTime, p.totalWeight);
    // A contact with an agent that is gone gets a removed record, as `removeAgent` leaves one.
    const gone = new Map<string, AgentRecord>();
    for (const [customerId, agentId, at] of s.contacts) {
      let agent = this.#agents.get(agentId) ?? gone.get(agentId);
      if (agent === undefined) {
        agent = newAgent(agentId, 1, [], 0, 0, 0, 0);
        agent.removed = true;
        gone.set(agentId, agent);
      }
      // Each contact is remembered at its own time, as it was; then the router's time is the snapshot's.
      this.#time.now = at;
      this.#customers.restore(customerId, agent);
    }
    this.#time.now = s.now ?? Number.NEGATIVE_INFINITY;
  }

  // ───────────────────────────── deciding ─────────────────────────────

  // Decisions are made at the router's latest time, `#time.now`: every public method sets it first.
  // Calls read it there rather than taking it as an argument (see `Time`).

  /**
   * The rules in order, each committing the decision it reaches through one of `#assign`, `#robot`
   * and `#nobody` (nothing changes before a rule has decided). `stage` says which apply: a new
   * consultation goes through all; an escalated or re-routed one skips the reception mode; a queued
   * one being served (`drain`) looks only for a human, and stays queued (`undefined`, nothing
   * changed) when none can take it.
   */
  #decide(open: Open, stage: Stage, reroutedFrom?: string): Decision | undefined {
    // Rule 1: nobody online — an offline message, nothing else tried.
    if (this.#present === 0) return stage === 'drain' ? undefined : this.#nobody(open, 'nobody-online', reroutedFrom);
    const o = this.#o;
    const excluded = open.excluded;
    let agent: AgentRecord | undefined;
    let reason: AgentDecision['reason'] = 'recent-contact';
    // Rule 2: the most recent eligible contact within the window, busy or not, suspended or not.
    if (o.stickyWindowMs > 0) {
      agent = chooseRecentContact(open.entry, open.recentContacts, this.#time, o, this.#agents, excluded);
    }
    // Rule 3: the dedicated agent, when eligible (online, not suspended, under cap).
    if (agent === undefined && open.dedicatedAgentId !== undefined) {
      const a = this.#agents.get(open.dedicatedAgentId);
      if (a !== undefined && a.status === 'online' && a.active < a.cap && !excluded?.has(a.id)) {
        agent = a;
        reason = 'dedicated';
      }
    }
    let member: Member | undefined;
    let groupId: string | undefined;
    if (agent === undefined) {
      const target = open.target;
      // Rule 4: the reception mode, for new consultations only; its mixed-mode counter counts every
      // consultation that reaches it.
      if (stage === 'new') {
        const mode = target.mode;
        const robot = modeDecision(mode);
        mode.routed++;
        if (robot !== undefined) {
          if (robot === 'mixed') mode.robots++;
          return this.#robot(open, robot, reroutedFrom);
        }
      }
      // Rules 5 and 6: the candidate pool's fair split among non-busy agents, else the least loaded.
      const pool = target.pool;
      member = pool.choose(excluded);
      // Rule 7: nobody can take it.
      if (member === undefined) return stage === 'drain' ? undefined : this.#nobody(open, 'no-human', reroutedFrom);
      agent = member.agent as AgentRecord;
      reason = member.tier === Tier.Busy ? 'busy-fallback' : 'split';
      const groups = pool.groups;
      if (groups !== undefined) {
        for (const g of agent.groups) {
          if (groups.has(g)) {
            groupId = g;
            break;
          }
        }
      }
    }
    return this.#assign(open, agent, member, stage === 'drain' ? 'queue' : reason, groupId, reroutedFrom);
  }

  /** Gives the consultation to `agent`; `member` is the pool membership the fair split picked, whose share is charged. */
  #assign(open: Open, agent: AgentRecord, member: Member | undefined, reason: AgentDecision['reason'], groupId: string | undefined, reroutedFrom: string | undefined): Decision {
    const at = this.#time.now;
    agent.lastSeq = ++this.#seq;
    // The charged member is placed by #refresh below (its lastSeq changed), with the agent's new state.
    if (member !== undefined) member.pool.charge(member);
    agent.active++;
    agent.pending++;
    agent.assigned++;
    linkOpen(agent, open);
    open.where = 'agent';
    open.agent = agent;
    open.accountId = undefined;
    this.#customers.remember(open.entry, agent);
    this.#refresh(agent);
    const customerId = open.customerId;
    const decision: Decision = groupId === undefined
      ? { kind: 'agent', customerId, at, agentId: agent.id, reason }
      : { kind: 'agent', customerId, at, agentId: agent.id, groupId, reason };
    if (reroutedFrom !== undefined) decision.reroutedFrom = reroutedFrom;
    return decision;
  }

  /** Gives the consultation to the robot by the reception mode (rule 4). */
  #robot(open: Open, reason: 'robot-first' | 'mixed', reroutedFrom: string | undefined): Decision {
    open.where = 'robot';
    const decision: Decision = { kind: 'robot', customerId: open.customerId, at: this.#time.now, reason };
    if (reroutedFrom !== undefined) decision.reroutedFrom = reroutedFrom;
    return decision;
  }

  /** No human can take it (rules 1 and 7): the robot unless it handed it over, else the queue or an offline account. */
  #nobody(open: Open, why: 'nobody-online' | 'no-human', reroutedFrom: string | undefined): Decision {
    const o = this.#o;
    const customerId = open.customerId;
    const at = this.#time.now;
    let decision: Decision;
    if (o.robot && !open.escalated) {
      open.where = 'robot';
      decision = { kind: 'robot', customerId, at, reason: 'no-human' };
    } else if (o.noAgent === 'queue') {
      open.where = 'queued';
      decision = { kind: 'queued', customerId, at, position: this.#queue.insert(open), reason: 'no-human' };
    } else {
      const accountId = (o.noAgent === 'main' ? o.mainAccountId : o.proxyAccountId) as string;
      open.where = 'offline';
      open.accountId = accountId;
      decision = { kind: 'offline', customerId, at, accountId, reason: why };
    }
    if (reroutedFrom !== undefined) decision.reroutedFrom = reroutedFrom;
    return decision;
  }

  #release(open: Open): void {
    const agent = open.agent as AgentRecord;
    agent.active--;
    unlinkOpen(agent, open);
    open.agent = undefined;
    this.#refresh(agent);
  }

  /** Re-routes every open consultation of an agent that left (rule 9), oldest arrival first. */
  #rerouteAll(agent: AgentRecord, out: Decision[]): void {
    const list = openOf(agent).sort((a, b) => a.since - b.since || a.order - b.order);
    for (const open of list) {
      this.#release(open);
      (open.excluded ??= new Set()).add(agent.id);
      out.push(this.#decide(open, 'reroute', agent.id) as Decision);
    }
  }

  /** After an agent's state changed: re-route its chats if it just went offline (rule 9), then serve the queue (rule 8). */
  #afterStatusChange(agent: AgentRecord, wasOffline: boolean): Decision[] {
    const out: Decision[] = [];
    if (!wasOffline && agent.status === 'offline') this.#rerouteAll(agent, out);
    this.#drain(out);
    return out;
  }

  /** Rule 8: serves the queue in order while some agent has a free slot. */
  #drain(out: Decision[]): void {
    const queue = this.#queue;
    const items = queue.items();
    for (let i = 0; i < items.length && this.#openSlots > 0;) {
      const decision = this.#decide(items[i] as Open, 'drain');
      if (decision === undefined) {
        i++;
        continue;
      }
      queue.removeAt(i);
      out.push(decision);
    }
  }

  /** Brings an agent's derived fields, its pool memberships and `#openSlots` up to date. */
  #refresh(agent: AgentRecord): void {
    const o = this.#o;
    if (agent.placed === PLACED_UNKNOWN) agent.shareWeight = o.splitMode === 'weighted' ? agent.weight : 1; // the weight may have changed
    const underCap = agent.active < agent.cap;
    const available = agent.status === 'online' && underCap;
    const busy = agent.pending > o.busyThreshold;
    const placed = !available ? PLACED_OUT : busy ? PLACED_BUSY : PLACED_FREE;
    // A busy member's key is its load, which may have changed; any member's tie-break is lastSeq.
    if (placed !== agent.placed || placed === PLACED_BUSY || agent.lastSeq !== agent.placedSeq) {
      for (let m = agent.firstMember; m !== undefined; m = m.nextOfAgent) m.pool.place(m, available, busy);
      agent.placed = placed;
      agent.placedSeq = agent.lastSeq;
    }
    const hasSlot = underCap && (agent.status === 'online' || (agent.status === 'suspended' && o.stickyToSuspended));
    if (hasSlot !== agent.hasSlot) {
      this.#openSlots += hasSlot ? 1 : -1;
      agent.hasSlot = hasSlot;
    }
  }

  #setPresence(agent: AgentRecord, status: AgentStatus): void {
    if ((agent.status === 'offline') !== (status === 'offline')) this.#present += status === 'offline' ? -1 : 1;
    agent.status = status;
  }

  /** Recomputes which pools an agent belongs to, keeping its place in pools it stays in. */
  #rejoinPools(agent: AgentRecord): void {
    const kept: Member[] = [];
    for (const m of membersOf(agent)) {
      if (m.pool.admits(agent.groups)) kept.push(m);
      else m.pool.leave(m);
    }
    // The agent's own record joins the first pool that needs a new membership, unless it is kept.
    let ownFree = !kept.includes(agent);
    const members: Member[] = [];
    for (const pool of this.#plan.pools) {
      if (!pool.admits(agent.groups)) continue;
      let m = kept.find((k) => k.pool === pool);
      if (m === undefined) {
        m = pool.join(ownFree ? agent : newMembership(agent));
        ownFree = false;
      }
      members.push(m);
    }
    for (let i = 0; i < members.length; i++) (members[i] as Member).nextOfAgent = members[i + 1];
    agent.firstMember = members[0];
  }

  // ───────────────────────────── validation helpers ─────────────────────────────

  #agent(field: string, agentId: unknown): AgentRecord {
    const id = checkId(field, agentId);
    const agent = this.#agents.get(id);
    if (agent === undefined) throw new RoutingError('UNKNOWN_AGENT', `Expected \`${field}\` to be a known agent id, got ${JSON.stringify(id)}`, field);
    return agent;
  }

  #consultation(customerId: unknown): Open {
    const id = checkId('customerId', customerId);
    const open = this.#customers.get(id)?.open;
    if (open === undefined) throw new RoutingError('UNKNOWN_CUSTOMER', `Expected \`customerId\` to have an open consultation, got ${JSON.stringify(id)}`, 'customerId');
    return open;
  }

  #checkStatus(field: string, status: unknown): AgentStatus {
    if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
      throw expected('INVALID_ARGUMENT', field, "one of 'online', 'suspended', 'offline'", status);
    }
    return status as AgentStatus;
  }

  #checkGroups(groups: unknown): string[] {
    if (!Array.isArray(groups)) throw expected('INVALID_ARGUMENT', 'spec.groups', 'an array of group ids', groups);
    const known = this.#plan.groupIds;
    groups.forEach((g: unknown, i) => {
      checkId(`spec.groups[${i}]`, g);
      if (!known.has(g as string)) {
        throw new RoutingError('UNKNOWN_GROUP', `Expected \`spec.groups[${i}]\` to be a group declared in options.groups (${[...known].join(', ') || 'none declared'}), got ${JSON.stringify(g)}`, `spec.groups[${i}]`);
      }
    });
    return [...new Set(groups as string[])];
  }

  #checkContacts(contacts: unknown): RecentContact[] {
    if (!Array.isArray(contacts)) throw expected('INVALID_ARGUMENT', 'consultation.recentContacts', 'an array of { agentId, at }', contacts);
    return contacts.map((c: unknown, i) => {
      const r = checkObject(`consultation.recentContacts[${i}]`, c);
      return { agentId: checkId(`consultation.recentContacts[${i}].agentId`, r.agentId), at: checkFinite(`consultation.recentContacts[${i}].at`, r.at) };
    });
  }

  #view(a: AgentRecord): AgentView {
    return {
      id: a.id, status: a.status, weight: a.weight, groups: [...a.groups], cap: a.cap, active: a.active,
      pending: a.pending, busy: a.pending > this.#o.busyThreshold, assigned: a.assigned,
    };
  }

  #whereText(open: Open): string {
    switch (open.where) {
      case 'agent': return `with agent ${JSON.stringify(open.agent?.id)}`;
      case 'robot': return 'with the robot';
      case 'queued': return 'in the queue';
      case 'offline': return `as an offline message to ${JSON.stringify(open.accountId)}`;
    }
  }
}
