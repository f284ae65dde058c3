import type { ResolvedOptions } from './options.js';
import { buildPools, type PoolPlan } from './pipeline/bound-groups.js';
import { Tier, type Member, type Pool } from './pipeline/busy-split.js';
import { modeDecision, type ModeContext } from './pipeline/reception-mode.js';
import { chooseRecentContact } from './pipeline/recent-contact.js';
import { CustomerTable, type CustomerEntry } from './structures/customer-table.js';
import { WaitingQueue, type Waiting } from './structures/waiting-queue.js';
import type { Time } from './validate.js';
import type { AgentDecision, AgentStatus, AgentView, Decision, RecentContact } from './types.js';

/** The router's record of an agent. Changed only by the commit paths of {@link Shop}. */
export interface AgentRecord {
  readonly id: string;
  status: AgentStatus;
  weight: number;
  groups: string[];
  cap: number;
  pending: number;
  active: number;
  assigned: number;
  /** The shop's assignment counter at this agent's last assignment; 0 when never assigned. */
  lastSeq: number;
  /** Weight as the split mode sees it: 1 for everyone in `average` mode. */
  shareWeight: number;
  /** Set for good by `removeAgent`: the contact memory may still hold the record (see `StickyAgent`). */
  removed: boolean;
  /** One membership per candidate pool the agent belongs to, in the order of the pools. */
  members: Member[];
  /** Its open consultations, in assignment order: a list threaded through them (O(1) unlink). */
  firstOpen: Open | undefined;
  lastOpen: Open | undefined;
}

/** Where an open consultation is. */
export type Where = 'agent' | 'robot' | 'queued' | 'offline';

/**
 * An open consultation: with an agent, the robot, the queue or an offline account. Records are
 * reused once a consultation ends, so `open` sets every field.
 */
export interface Open extends Waiting {
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
  where: Where;
  agent: AgentRecord | undefined;
  accountId: string | undefined;
  /** Neighbours in its agent's list of open consultations. */
  prevOfAgent: Open | undefined;
  nextOfAgent: Open | undefined;
}

/** What an order state routes to, looked up once per consultation. */
export interface StateTarget {
  readonly pool: Pool;
  readonly mode: ModeContext;
}

/** How a consultation is being routed: which rules apply and where "nobody" sends it. */
export type Stage = 'new' | 'escalated' | 'reroute' | 'drain';

const enum Kind { Stay, Agent, Robot, Nobody }

/**
 * A choice, before anything changes. One scratch record per shop, overwritten by every `#choose`:
 * choosing writes nothing else, and a route allocates no choice.
 */
interface Choice {
  kind: Kind;
  agent: AgentRecord | undefined;
  /** The pool membership the fair split picked, whose share the commit charges. */
  member: Member | undefined;
  reason: AgentDecision['reason'] | 'robot-first' | 'mixed';
  groupId: string | undefined;
  why: 'nobody-online' | 'no-human';
  /** The reception mode the consultation reached (rule 4), whose counters the commit moves. */
  mode: ModeContext | undefined;
}

/** Consultation records kept for reuse at most. */
const SPARE_LIMIT = 64;
/** Services from the queue remembered per pool, for the estimated wait. */
const DEPARTURES_KEPT = 16;

export function newAgent(id: string, weight: number, groups: string[], cap: number, pending: number): AgentRecord {
  return {
    id, status: 'offline', weight, groups, cap, pending, active: 0, assigned: 0, lastSeq: 0, shareWeight: 1,
    removed: false, members: [], firstOpen: undefined, lastOpen: undefined,
  };
}

function newOpen(customerId: string): Open {
  return {
    where: 'queued', agent: undefined, prevOfAgent: undefined, nextOfAgent: undefined, entry: undefined as unknown as CustomerEntry<Open, AgentRecord>,
    excluded: undefined, customerId, target: undefined as unknown as StateTarget, recentContacts: undefined, since: 0, order: 0,
    priority: 0, orderState: 'none', dedicatedAgentId: undefined, escalated: false, accountId: undefined,
  };
}

export function linkOpen(agent: AgentRecord, open: Open): void {
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

export function openOf(agent: AgentRecord): Open[] {
  const list: Open[] = [];
  for (let o = agent.firstOpen; o !== undefined; o = o.nextOfAgent) list.push(o);
  return list;
}

/**
 * One shop's routing state and the rules that move it. The {@link Router} validates every call and
 * then calls one method here; nothing here throws on a validated call.
 *
 * Choosing is pure: `#choose` reads the state and fills a scratch {@link Choice}. Committing
 * happens in one place: `#commit` (through `#assign`, `#robot`, `#nobody`) is the only code that
 * places a consultation, and `#refresh` the only one that files an agent in its pools.
 */
export class Shop {
  readonly o: ResolvedOptions;
  /** Every agent by id; a Map because `"__proto__"` is a valid id. */
  readonly agents = new Map<string, AgentRecord>();
  /** Every customer by id: its open consultation and its remembered contact, in one record. */
  readonly customers: CustomerTable<Open, AgentRecord>;
  /** Queued consultations, indexed by who could take them (rule 8). */
  readonly queue = new WaitingQueue<Open, Pool>();
  readonly plan: PoolPlan;
  /** Each order state's pool and reception mode. */
  readonly targets = new Map<string, StateTarget>();
  /** The latest time seen, shared with the customer table; an explicit `at` earlier than this is rejected. */
  readonly time: Time = { now: Number.NEGATIVE_INFINITY };
  /** Counts assignments; stamps `lastSeq` for the least-recently-assigned tie-break. */
  seq = 0;
  /** Counts routed consultations; orders equal-priority, equal-time queue entries. */
  arrivals = 0;
  /** Agents online or suspended (rule 1 asks whether this is zero). */
  present = 0;
  /** Per pool, the times of its last few consultations served from the queue, oldest first. */
  readonly departures = new Map<Pool, number[]>();
  /** Records of ended consultations, for reuse: a route allocates none in steady state. */
  readonly #spare: Open[] = [];
  readonly #choice: Choice = { kind: Kind.Stay, agent: undefined, member: undefined, reason: 'split', groupId: undefined, why: 'no-human', mode: undefined };

  constructor(o: ResolvedOptions) {
    this.o = o;
    this.plan = buildPools(o);
    for (const [state, pool] of this.plan.poolOfState) this.targets.set(state, { pool, mode: this.plan.contextOfPool.get(pool) as ModeContext });
    this.customers = new CustomerTable(o.contactMemory.maxEntries, o.stickyWindowMs, this.time);
  }

  // ───────────────────────────── consultations ─────────────────────────────

  /**
   * Routes a validated new consultation. `known` is the customer's entry when the router already
   * looked it up. (Arguments, not an object: a route allocates nothing but its decision.)
   */
  route(
    customerId: string, known: CustomerEntry<Open, AgentRecord> | undefined, target: StateTarget, orderState: string,
    priority: number, dedicatedAgentId: string | undefined, recentContacts: readonly RecentContact[] | undefined,
  ): Decision {
    // A reused record has no agent, no neighbours and no exclusions (end() left it so).
    const open = this.#spare.pop() ?? newOpen(customerId);
    open.where = 'queued';
    open.customerId = customerId;
    open.target = target;
    open.recentContacts = recentContacts;
    open.since = this.time.now;
    open.order = ++this.arrivals;
    open.priority = priority;
    open.orderState = orderState;
    open.dedicatedAgentId = dedicatedAgentId;
    open.escalated = false;
    open.accountId = undefined;
    open.entry = this.customers.open(customerId, known, open);
    return this.#decide(open, 'new', undefined) as Decision;
  }

  escalate(open: Open): Decision {
    open.escalated = true;
    return this.#decide(open, 'escalated', undefined) as Decision;
  }

  /** Rule 9: takes the consultation from its agent and routes it again, or to `target` (a transfer). */
  reroute(open: Open, target: AgentRecord | undefined): Decision[] {
    const from = open.agent as AgentRecord;
    const out: Decision[] = [];
    this.#release(open);
    (open.excluded ??= new Set()).add(from.id);
    out.push(target === undefined ? this.#decide(open, 'reroute', from.id) as Decision : this.#assign(open, target, undefined, 'transfer', undefined, from.id));
    this.#serve(from, out);
    return out;
  }

  end(open: Open): Decision[] {
    const out: Decision[] = [];
    if (open.where === 'queued') {
      this.queue.remove(open);
    } else if (open.where === 'agent') {
      const agent = open.agent as AgentRecord;
      this.#release(open);
      this.#serve(agent, out);
    }
    // Last: the records are reused from here on.
    this.customers.close(open.entry);
    open.excluded = undefined;
    if (this.#spare.length < SPARE_LIMIT) this.#spare.push(open);
    return out;
  }

  // ───────────────────────────── agents ─────────────────────────────

  /** Applies a validated change of an agent (new or not); returns the re-routes and queue services it causes. */
  updateAgent(agent: AgentRecord, status: AgentStatus, weight: number, groups: string[] | undefined, cap: number, pending: number): Decision[] {
    const wasOffline = agent.status === 'offline';
    this.#setPresence(agent, status);
    agent.cap = cap;
    agent.pending = pending;
    if (groups !== undefined) {
      agent.groups = groups;
      this.rejoinPools(agent);
    }
    const shareWeight = this.o.splitMode === 'weighted' ? weight : 1;
    agent.weight = weight;
    if (shareWeight !== agent.shareWeight) {
      agent.shareWeight = shareWeight;
      for (const m of agent.members) m.pool.restart(m);
    }
    this.refresh(agent);
    return this.#afterStatusChange(agent, wasOffline);
  }

  setStatus(agent: AgentRecord, status: AgentStatus): Decision[] {
    const wasOffline = agent.status === 'offline';
    this.#setPresence(agent, status);
    this.refresh(agent);
    return this.#afterStatusChange(agent, wasOffline);
  }

  setPending(agent: AgentRecord, pending: number): void {
    agent.pending = pending;
    this.refresh(agent);
  }

  removeAgent(agent: AgentRecord): Decision[] {
    const out: Decision[] = [];
    this.#setPresence(agent, 'offline');
    this.refresh(agent);
    this.#rerouteAll(agent, out);
    for (const m of agent.members) m.pool.leave(m);
    agent.members = [];
    agent.removed = true;
    this.agents.delete(agent.id);
    return out;
  }

  view(a: AgentRecord): AgentView {
    return {
      id: a.id, status: a.status, weight: a.weight, groups: [...a.groups], cap: a.cap, active: a.active,
      pending: a.pending, busy: a.pending > this.o.busyThreshold, assigned: a.assigned,
    };
  }

  // ───────────────────────────── choosing ─────────────────────────────

  // Decisions are made at the shop's latest time, `time.now`: every public method sets it first.

  #decide(open: Open, stage: Stage, reroutedFrom: string | undefined): Decision | undefined {
    this.#choose(open, stage);
    return this.#commit(open, reroutedFrom, stage === 'drain');
  }

  /**
   * The rules in order, reading the state and writing only the scratch choice. `stage` says which
   * apply: a new consultation goes through all; an escalated or re-routed one skips the reception
   * mode; a queued one being served (`drain`) looks only for a human, and stays queued when none can
   * take it.
   */
  #choose(open: Open, stage: Stage): void {
    const c = this.#choice;
    c.member = undefined;
    c.groupId = undefined;
    c.mode = undefined;
    // Rule 1: nobody online — an offline message, nothing else tried.
    if (this.present === 0) {
      c.kind = stage === 'drain' ? Kind.Stay : Kind.Nobody;
      c.why = 'nobody-online';
      return;
    }
    const o = this.o;
    const excluded = open.excluded;
    c.kind = Kind.Agent;
    // Rule 2: the most recent eligible contact within the window, busy or not, suspended or not.
    if (o.stickyWindowMs > 0) {
      const agent = chooseRecentContact(open.entry, open.recentContacts, this.time, o, this.agents, excluded);
      if (agent !== undefined) {
        c.agent = agent;
        c.reason = 'recent-contact';
        return;
      }
    }
    // Rule 3: the dedicated agent, when eligible (online, not suspended, under cap).
    if (open.dedicatedAgentId !== undefined) {
      const a = this.agents.get(open.dedicatedAgentId);
      if (a !== undefined && a.status === 'online' && a.active < a.cap && !excluded?.has(a.id)) {
        c.agent = a;
        c.reason = 'dedicated';
        return;
      }
    }
    const target = open.target;
    // Rule 4: the reception mode, for new consultations only.
    if (stage === 'new') {
      c.mode = target.mode;
      const robot = modeDecision(target.mode);
      if (robot !== undefined) {
        c.kind = Kind.Robot;
        c.reason = robot;
        return;
      }
    }
    // Rules 5 and 6: the candidate pool's fair split among non-busy agents, else the least loaded.
    const pool = target.pool;
    const member = pool.choose(excluded);
    // Rule 7: nobody can take it.
    if (member === undefined) {
      c.kind = stage === 'drain' ? Kind.Stay : Kind.Nobody;
      c.why = 'no-human';
      return;
    }
    const agent = member.agent as AgentRecord;
    c.agent = agent;
    c.member = member;
    c.reason = member.tier === Tier.Busy ? 'busy-fallback' : 'split';
    const groups = pool.groups;
    if (groups !== undefined) {
      for (const g of agent.groups) {
        if (groups.has(g)) {
          c.groupId = g;
          break;
        }
      }
    }
  }

  // ───────────────────────────── committing ─────────────────────────────

  /** Applies the scratch choice: the one place a consultation is placed. */
  #commit(open: Open, reroutedFrom: string | undefined, fromQueue: boolean): Decision | undefined {
    const c = this.#choice;
    if (c.kind === Kind.Stay) return undefined;
    const mode = c.mode;
    if (mode !== undefined) {
      // The mixed-mode counter counts every consultation that reached rule 4.
      mode.routed++;
      if (c.kind === Kind.Robot && c.reason === 'mixed') mode.robots++;
    }
    if (c.kind === Kind.Agent) {
      return this.#assign(open, c.agent as AgentRecord, c.member, fromQueue ? 'queue' : c.reason as AgentDecision['reason'], c.groupId, reroutedFrom);
    }
    if (c.kind === Kind.Robot) return this.#robot(open, c.reason as 'robot-first' | 'mixed', reroutedFrom);
    return this.#nobody(open, c.why, reroutedFrom);
  }

  /** Gives the consultation to `agent`; `member` is the pool membership the fair split picked, whose share is charged. */
  #assign(open: Open, agent: AgentRecord, member: Member | undefined, reason: AgentDecision['reason'], groupId: string | undefined, reroutedFrom: string | undefined): Decision {
    if (open.where === 'queued') this.#served(open);
    agent.lastSeq = ++this.seq;
    // The charged member is placed by refresh below, with the agent's new state.
    if (member !== undefined) member.pool.charge(member);
    agent.active++;
    agent.pending++;
    agent.assigned++;
    linkOpen(agent, open);
    open.where = 'agent';
    open.agent = agent;
    open.accountId = undefined;
    this.customers.remember(open.entry, agent);
    this.refresh(agent);
    const customerId = open.customerId;
    const at = this.time.now;
    const decision: Decision = groupId === undefined
      ? { kind: 'agent', customerId, at, agentId: agent.id, reason }
      : { kind: 'agent', customerId, at, agentId: agent.id, groupId, reason };
    if (reroutedFrom !== undefined) decision.reroutedFrom = reroutedFrom;
    return decision;
  }

  /** Gives the consultation to the robot by the reception mode (rule 4). */
  #robot(open: Open, reason: 'robot-first' | 'mixed', reroutedFrom: string | undefined): Decision {
    open.where = 'robot';
    const decision: Decision = { kind: 'robot', customerId: open.customerId, at: this.time.now, reason };
    if (reroutedFrom !== undefined) decision.reroutedFrom = reroutedFrom;
    return decision;
  }

  /** No human can take it (rules 1 and 7): the robot unless it handed it over, else the queue or an offline account. */
  #nobody(open: Open, why: 'nobody-online' | 'no-human', reroutedFrom: string | undefined): Decision {
    const o = this.o;
    const customerId = open.customerId;
    const at = this.time.now;
    let decision: Decision;
    if (o.robot && !open.escalated) {
      open.where = 'robot';
      decision = { kind: 'robot', customerId, at, reason: 'no-human' };
    } else if (o.noAgent === 'queue') {
      open.where = 'queued';
      decision = { kind: 'queued', customerId, at, position: this.enqueue(open), reason: 'no-human' };
    } else {
      const accountId = (o.noAgent === 'main' ? o.mainAccountId : o.proxyAccountId) as string;
      open.where = 'offline';
      open.accountId = accountId;
      decision = { kind: 'offline', customerId, at, accountId, reason: why };
    }
    if (reroutedFrom !== undefined) decision.reroutedFrom = reroutedFrom;
    return decision;
  }

  /** Files a consultation in the waiting queue with everyone who could take it; its 1-based position. */
  enqueue(open: Open): number {
    const excluded = open.excluded;
    const now = this.time.now;
    const windowMs = this.o.stickyWindowMs;
    const contacts: { agentId: string; at: number }[] = [];
    if (windowMs > 0) {
      const entry = open.entry;
      const remembered = entry.contact;
      if (remembered !== undefined && now - entry.contactAt <= windowMs) contacts.push({ agentId: remembered.id, at: entry.contactAt });
      for (const c of open.recentContacts ?? []) if (now - c.at <= windowMs) contacts.push(c);
    }
    const dedicated = open.dedicatedAgentId;
    return this.queue.insert(open, {
      pool: open.target.pool,
      excluded,
      contacts: excluded === undefined ? contacts : contacts.filter((c) => !excluded.has(c.agentId)),
      dedicatedAgentId: dedicated !== undefined && excluded?.has(dedicated) ? undefined : dedicated,
    });
  }

  #served(open: Open): void {
    this.queue.remove(open);
    const pool = open.target.pool;
    let times = this.departures.get(pool);
    if (times === undefined) this.departures.set(pool, (times = []));
    times.push(this.time.now);
    if (times.length > DEPARTURES_KEPT) times.shift();
  }

  /**
   * A queued consultation's estimated wait from now (ms): its position among the consultations of
   * its pool, times the mean interval between that pool's last services from the queue, measured up
   * to now (so a line that stopped moving looks slower the longer it stands). `undefined` until
   * the pool's queue has been served and some time has passed since.
   */
  estimatedWait(open: Open): number | undefined {
    const times = this.departures.get(open.target.pool);
    const elapsed = times === undefined ? 0 : this.time.now - (times[0] as number);
    if (!(elapsed > 0)) return undefined; // no service yet, or all of it this instant: no rate to go by
    return Math.round((this.queue.positionInPool(open) * elapsed) / (times as number[]).length);
  }

  #release(open: Open): void {
    const agent = open.agent as AgentRecord;
    agent.active--;
    unlinkOpen(agent, open);
    open.agent = undefined;
    this.refresh(agent);
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
    else this.#serve(agent, out);
    return out;
  }

  /**
   * Rule 8 after `agent`'s capacity grew (the only change that lets a queued consultation in:
   * before it, none could be taken): serves, in service order, the queued consultations this
   * agent may take, while it may take one.
   */
  #serve(agent: AgentRecord, out: Decision[]): void {
    const queue = this.queue;
    if (queue.size === 0 || agent.removed) return;
    const o = this.o;
    const staleBefore = this.time.now - o.stickyWindowMs;
    for (;;) {
      const underCap = agent.active < agent.cap;
      const online = agent.status === 'online' && underCap;
      const contacts = underCap && o.stickyWindowMs > 0 && (agent.status === 'online' || (agent.status === 'suspended' && o.stickyToSuspended));
      if (!online && !contacts) return;
      const next = queue.next({ id: agent.id, pools: online ? agent.members.map((m) => m.pool) : [], contacts, dedicated: online }, staleBefore);
      if (next === undefined) return;
      const decision = this.#decide(next, 'drain', undefined);
      if (decision !== undefined) {
        out.push(decision);
      } else if (!queue.dropContact(next, agent.id)) {
        // Only a contact the memory has forgotten since it queued can be offered in vain; anything
        // else would be a broken index, and serving nothing is the safe answer.
        return;
      }
    }
  }

  /** Brings an agent's pool memberships up to date with its state. */
  refresh(agent: AgentRecord): void {
    const available = agent.status === 'online' && agent.active < agent.cap;
    const busy = agent.pending > this.o.busyThreshold;
    // An index loop: an array iterator is an allocation where V8 does not inline this.
    const members = agent.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i] as Member;
      m.pool.place(m, available, busy);
    }
  }

  #setPresence(agent: AgentRecord, status: AgentStatus): void {
    if ((agent.status === 'offline') !== (status === 'offline')) this.present += status === 'offline' ? -1 : 1;
    agent.status = status;
  }

  /** Recomputes which pools an agent belongs to, keeping its place in pools it stays in. */
  rejoinPools(agent: AgentRecord): void {
    const kept = new Map<Pool, Member>();
    for (const m of agent.members) {
      if (m.pool.admits(agent.groups)) kept.set(m.pool, m);
      else m.pool.leave(m);
    }
    agent.members = this.plan.pools.filter((p) => p.admits(agent.groups)).map((p) => kept.get(p) ?? p.join(agent));
  }

  /** The customer's open consultation, if any. */
  openOf(customerId: string): Open | undefined {
    return this.customers.get(customerId)?.open;
  }
}
