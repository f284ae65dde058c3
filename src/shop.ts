import type { ResolvedOptions } from './options.js';
import { buildPools, type PoolPlan, type StateTarget } from './pipeline/bound-groups.js';
import { Tier, type Member, type Pool } from './pipeline/busy-split.js';
import { modeDecision, type ModeContext } from './pipeline/reception-mode.js';
import { chooseRecentContact } from './pipeline/recent-contact.js';
import { CustomerTable, type CustomerEntry } from './structures/customer-table.js';
import { IndexedHeap, type HeapItem } from './structures/indexed-heap.js';
import { WaitingQueue, type Waiting } from './structures/waiting-queue.js';
import type { Time } from './validate.js';
import type { AgentDecision, AgentStatus, AgentView, ConsultationView, Decision, RecentContact, RerouteCause } from './types.js';

export type { StateTarget };

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
  /** Its assignments that timed out in a row (`suspendAfterMisses`); a reply resets it. */
  misses: number;
  /** One membership per candidate pool the agent belongs to, in the order of the pools. */
  members: Member[];
  /** Its open consultations, in assignment order: a list threaded through them (O(1) unlink). */
  firstOpen: Open | undefined;
  lastOpen: Open | undefined;
}

/** Where an open consultation is; `new` only while its first decision is being made. */
export type Where = 'new' | 'agent' | 'robot' | 'queued' | 'offline';

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
  /** With an agent: the customer awaits the agent's reply (it counts in `pending`), since `awaitingSince`. */
  awaiting: boolean;
  /** Always a number (a field that held `undefined` would box every time stored in it). */
  awaitingSince: number;
  /** Queued: since when. */
  queuedAt: number;
  /** Queued and held for its recent contact (rule 2's hold): that agent's id. */
  heldFor: string | undefined;
  /** It was held once already: a consultation is held at most once. */
  holdDone: boolean;
  /** Queued: the overflow tiers it has reached (0: its bound groups only). */
  reach: number;
  /** Its one pending deadline (answer timeout, overflow step, end of hold), reused across them. */
  deadline: Deadline | undefined;
}

/** What a deadline does when `advance` reaches it: re-route an unanswered chat, widen a waiting one, end a hold. */
export type DeadlineKind = 'answer' | 'overflow' | 'hold';

/** A deadline in the shop's calendar: at `key` (ms), set `seq`-th (equal times fire in that order). */
export interface Deadline extends HeapItem {
  kind: DeadlineKind;
  readonly open: Open;
}

/**
 * How a consultation is being routed: which rules apply and where "nobody" sends it. `new` goes
 * through every rule (a hold's end too, which skips the hold); `escalated` and `reroute` skip the
 * reception mode; `drain` (served from the queue, or widened by an overflow step) looks only for a
 * human and stays queued when none can take it.
 */
export type Stage = 'new' | 'escalated' | 'reroute' | 'drain';

const enum Kind { Stay, Agent, Robot, Nobody, Hold }

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
  /** Every agent it could go to was excluded: its exclusions restart from the last agent (see `#choose`). */
  restartExclusions: boolean;
  /** With `Hold`: when the held-for agent served the customer. */
  contactAt: number;
}

/** Consultation records kept for reuse at most. */
const SPARE_LIMIT = 64;
/** Services from the queue remembered per pool, for the estimated wait. */
const DEPARTURES_KEPT = 16;

export function newAgent(id: string, weight: number, groups: string[], cap: number, pending: number): AgentRecord {
  return {
    id, status: 'offline', weight, groups, cap, pending, active: 0, assigned: 0, lastSeq: 0, shareWeight: 1,
    removed: false, misses: 0, members: [], firstOpen: undefined, lastOpen: undefined,
  };
}

export function newOpen(customerId: string): Open {
  return {
    where: 'new', agent: undefined, prevOfAgent: undefined, nextOfAgent: undefined, entry: undefined as unknown as CustomerEntry<Open, AgentRecord>,
    excluded: undefined, customerId, target: undefined as unknown as StateTarget, recentContacts: undefined, since: 0, order: 0,
    priority: 0, orderState: 'none', dedicatedAgentId: undefined, escalated: false, accountId: undefined,
    awaiting: false, awaitingSince: 0, queuedAt: 0, heldFor: undefined, holdDone: false, reach: 0, deadline: undefined,
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
  /** The latest time seen, shared with the customer table; an explicit `at` earlier than this is rejected. */
  readonly time: Time = { now: Number.NEGATIVE_INFINITY };
  /** Every deadline not yet fired, earliest first; equal times in the order they were set. */
  readonly deadlines = new IndexedHeap<Deadline>((a, b) => a.seq < b.seq);
  /** Counts deadlines set: their order among equal times. */
  deadlineSeq = 0;
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
  readonly #choice: Choice = {
    kind: Kind.Stay, agent: undefined, member: undefined, reason: 'split', groupId: undefined, why: 'no-human', mode: undefined,
    restartExclusions: false, contactAt: 0,
  };

  constructor(o: ResolvedOptions) {
    this.o = o;
    this.plan = buildPools(o);
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
    // A reused record has no agent, no neighbours, no exclusions and no deadline (end() left it so).
    const open = this.#spare.pop() ?? newOpen(customerId);
    open.where = 'new';
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
    open.holdDone = false;
    open.entry = this.customers.open(customerId, known, open);
    return this.#decide(open, 'new', undefined, undefined) as Decision;
  }

  escalate(open: Open): Decision {
    open.escalated = true;
    return this.#decide(open, 'escalated', undefined, undefined) as Decision;
  }

  /** Rule 9: takes the consultation from its agent and routes it again, or to `target` (a transfer). */
  reroute(open: Open, target: AgentRecord | undefined, cause: RerouteCause): Decision[] {
    const from = open.agent as AgentRecord;
    const out: Decision[] = [];
    this.#takeBack(open, from);
    out.push(target === undefined
      ? this.#decide(open, 'reroute', from.id, cause) as Decision
      : this.#assign(open, target, undefined, 'transfer', undefined, from.id, cause));
    if (cause === 'timeout') this.#missed(from, out);
    this.#serve(from, out);
    return out;
  }

  end(open: Open): Decision[] {
    const out: Decision[] = [];
    this.#cancelDeadline(open);
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
    open.heldFor = undefined;
    if (this.#spare.length < SPARE_LIMIT) this.#spare.push(open);
    return out;
  }

  /** The customer wrote: a consultation with an agent awaits its reply again (and counts in its pending). */
  customerMessage(open: Open): void {
    const agent = open.agent;
    if (open.where !== 'agent' || agent === undefined || open.awaiting) return;
    open.awaiting = true;
    open.awaitingSince = this.time.now;
    agent.pending++;
    this.refresh(agent);
  }

  /** Its agent replied: it no longer awaits, the answer timeout is off, and the agent's misses reset. */
  agentReply(open: Open): void {
    const agent = open.agent as AgentRecord;
    agent.misses = 0;
    if (open.deadline?.kind === 'answer') this.#cancelDeadline(open);
    if (!open.awaiting) return;
    open.awaiting = false;
    if (agent.pending > 0) agent.pending--;
    this.refresh(agent);
  }

  // ───────────────────────────── time ─────────────────────────────

  /**
   * Fires every deadline due at or before `at`, earliest first (equal times in the order they were
   * set), each at its own time — or at the latest time seen, when a later call came first — and
   * returns their decisions.
   */
  advance(at: number): Decision[] {
    const out: Decision[] = [];
    const deadlines = this.deadlines;
    const time = this.time;
    for (let next = deadlines.peek(); next !== undefined && next.key <= at; next = deadlines.peek()) {
      deadlines.remove(next);
      if (next.key > time.now) time.now = next.key;
      this.#fire(next, out);
    }
    if (at > time.now) time.now = at;
    return out;
  }

  #fire(deadline: Deadline, out: Decision[]): void {
    const open = deadline.open;
    switch (deadline.kind) {
      case 'answer': {
        out.push(...this.reroute(open, undefined, 'timeout'));
        return;
      }
      case 'overflow': {
        // Its next step has come: it widens, and anyone in the wider set may take it now.
        open.reach = this.#reachNow(open);
        const decision = this.#decide(open, 'drain', undefined, undefined);
        if (decision !== undefined) out.push(decision);
        else this.#requeue(open);
        return;
      }
      case 'hold': {
        // The hold is over: rules 3-7 now, as for a new consultation (no second hold).
        this.queue.remove(open);
        open.heldFor = undefined;
        open.holdDone = true;
        out.push(this.#decide(open, 'new', undefined, undefined) as Decision);
        return;
      }
    }
  }

  #setDeadline(open: Open, kind: DeadlineKind, at: number): void {
    let d = open.deadline;
    if (d === undefined) open.deadline = d = { kind, open, key: at, seq: 0, heapIndex: -1 };
    else if (d.heapIndex >= 0) this.deadlines.remove(d);
    d.kind = kind;
    d.key = at;
    d.seq = ++this.deadlineSeq;
    this.deadlines.push(d);
  }

  #cancelDeadline(open: Open): void {
    const d = open.deadline;
    if (d !== undefined && d.heapIndex >= 0) this.deadlines.remove(d);
  }

  /** How many overflow tiers a consultation has reached by waiting until now. */
  #reachNow(open: Open): number {
    const waited = this.time.now - open.since;
    const tiers = open.target.tiers;
    let reach = 0;
    while (reach < tiers.length && (tiers[reach] as { afterMs: number }).afterMs <= waited) reach++;
    return reach;
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
    this.#rerouteAll(agent, out, 'removed');
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

  consultationView(open: Open): ConsultationView {
    const view: ConsultationView = { customerId: open.customerId, kind: open.where as ConsultationView['kind'], since: open.since, orderState: open.orderState, priority: open.priority };
    if (open.agent !== undefined) view.agentId = open.agent.id;
    if (open.accountId !== undefined) view.accountId = open.accountId;
    if (open.awaiting) view.awaitingReplySince = open.awaitingSince;
    if (open.where === 'queued') {
      view.position = this.queue.position(open);
      const wait = this.estimatedWait(open);
      if (wait !== undefined) view.estimatedWaitMs = wait;
      if (open.heldFor !== undefined) view.heldFor = open.heldFor;
    }
    if (open.deadline !== undefined && open.deadline.heapIndex >= 0) view.deadline = open.deadline.key;
    return view;
  }

  // ───────────────────────────── choosing ─────────────────────────────

  // Decisions are made at the shop's latest time, `time.now`: every public method sets it first.

  #decide(open: Open, stage: Stage, reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision | undefined {
    this.#choose(open, stage, reroutedFrom);
    return this.#commit(open, stage, reroutedFrom, cause);
  }

  /**
   * The rules in order, reading the state and writing only the scratch choice (see {@link Stage}).
   * A re-routed consultation that every agent it could go to was taken from starts a new round,
   * kept only from the agent it was just taken from: it never waits for good because everyone
   * declined or missed it once.
   */
  #choose(open: Open, stage: Stage, reroutedFrom: string | undefined): void {
    const excluded = open.excluded;
    this.#rules(open, stage, excluded);
    const c = this.#choice;
    c.restartExclusions = false;
    if (c.kind !== Kind.Nobody || c.why !== 'no-human' || stage !== 'reroute' || excluded === undefined || excluded.size < 2 || reroutedFrom === undefined) return;
    // A re-route does not reach rule 4, so the second pass moves no mode counter either.
    this.#rules(open, stage, new Set([reroutedFrom]));
    if ((c.kind as Kind) === Kind.Agent) c.restartExclusions = true;
    else this.#rules(open, stage, excluded);
  }

  #rules(open: Open, stage: Stage, excluded: ReadonlySet<string> | undefined): void {
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
    c.kind = Kind.Agent;
    // Rule 2: the most recent eligible contact within the window, busy or not, suspended or not.
    if (o.stickyWindowMs > 0) {
      const agent = chooseRecentContact(open.entry, open.recentContacts, this.time, o, this.agents, excluded);
      if (agent !== undefined) {
        c.agent = agent;
        c.reason = 'recent-contact';
        return;
      }
      // A held consultation waits for its contact alone until its hold ends.
      if (open.heldFor !== undefined) {
        c.kind = Kind.Stay;
        return;
      }
      // Rule 2's hold: a new consultation whose recent contact is present but at cap waits for it.
      if (stage === 'new' && o.holdForRecentContactMs > 0 && !open.holdDone && this.#holdFor(open, excluded)) return;
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
    // Rules 5 and 6: the candidate pool's fair split among non-busy agents, else the least loaded;
    // past its overflow steps, the wider pools in turn. A queued consultation has the tiers its
    // fired deadlines reached; any other, those its wait has reached now.
    if (this.#pick(open, stage === 'drain' ? open.reach : this.#reachNow(open), excluded)) return;
    // Rule 7: nobody can take it.
    c.kind = stage === 'drain' ? Kind.Stay : Kind.Nobody;
    c.why = 'no-human';
  }

  /** Rules 5-6 over the consultation's pool and the overflow tiers it reached; fills the choice. */
  #pick(open: Open, reach: number, excluded: ReadonlySet<string> | undefined): boolean {
    const c = this.#choice;
    const target = open.target;
    let pool = target.pool;
    let member = pool.choose(excluded);
    for (let i = 0; member === undefined && i < reach; i++) {
      pool = (target.tiers[i] as { pool: Pool }).pool;
      member = pool.choose(excluded);
    }
    if (member === undefined) return false;
    const agent = member.agent as AgentRecord;
    c.agent = agent;
    c.member = member;
    c.reason = pool !== target.pool ? 'overflow' : member.tier === Tier.Busy ? 'busy-fallback' : 'split';
    const groups = pool.groups;
    if (groups !== undefined) {
      for (const g of agent.groups) {
        if (groups.has(g)) {
          c.groupId = g;
          break;
        }
      }
    } else if (pool !== target.pool) {
      c.groupId = agent.groups[0];
    }
    return true;
  }

  /** Whether the consultation's most recent contact within the window is present but at cap: then the choice is to hold it for that agent. */
  #holdFor(open: Open, excluded: ReadonlySet<string> | undefined): boolean {
    const c = this.#choice;
    const o = this.o;
    const now = this.time.now;
    let best: AgentRecord | undefined;
    let bestAt = Number.NEGATIVE_INFINITY;
    const consider = (agent: AgentRecord | undefined, at: number): void => {
      if (agent === undefined || now - at > o.stickyWindowMs || at <= bestAt) return;
      best = agent;
      bestAt = at;
    };
    const entry = open.entry;
    if (entry.contact !== undefined) consider(entry.contact.removed ? this.agents.get(entry.contact.id) : entry.contact, entry.contactAt);
    for (const r of open.recentContacts ?? []) consider(this.agents.get(r.agentId), r.at);
    const agent = best as AgentRecord | undefined;
    if (agent === undefined || excluded?.has(agent.id) || agent.active < agent.cap) return false;
    if (!(agent.status === 'online' || (agent.status === 'suspended' && o.stickyToSuspended))) return false;
    c.kind = Kind.Hold;
    c.agent = agent;
    c.contactAt = bestAt;
    return true;
  }

  // ───────────────────────────── committing ─────────────────────────────

  /** Applies the scratch choice: the one place a consultation is placed. */
  #commit(open: Open, stage: Stage, reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision | undefined {
    const c = this.#choice;
    if (c.kind === Kind.Stay) return undefined;
    const mode = c.mode;
    if (mode !== undefined) {
      // The mixed-mode counter counts every consultation that reached rule 4.
      mode.routed++;
      if (c.kind === Kind.Robot && c.reason === 'mixed') mode.robots++;
    }
    if (c.restartExclusions) open.excluded = new Set([reroutedFrom as string]);
    let decision: Decision;
    if (c.kind === Kind.Agent) {
      decision = this.#assign(open, c.agent as AgentRecord, c.member, c.reason as AgentDecision['reason'], c.groupId, reroutedFrom, cause);
    } else if (c.kind === Kind.Robot) {
      decision = this.#robot(open, c.reason as 'robot-first' | 'mixed', reroutedFrom, cause);
    } else if (c.kind === Kind.Hold) {
      decision = this.#hold(open, c.agent as AgentRecord, c.contactAt);
    } else {
      decision = this.#nobody(open, c.why, reroutedFrom, cause);
    }
    void stage;
    return decision;
  }

  /** Gives the consultation to `agent`; `member` is the pool membership the fair split picked, whose share is charged. */
  #assign(
    open: Open, agent: AgentRecord, member: Member | undefined, reason: AgentDecision['reason'], groupId: string | undefined,
    reroutedFrom: string | undefined, cause: RerouteCause | undefined,
  ): Decision {
    const now = this.time.now;
    const waited = open.where === 'queued' ? this.#served(open) : -1;
    agent.lastSeq = ++this.seq;
    // The charged member is placed by refresh below, with the agent's new state.
    if (member !== undefined) member.pool.charge(member);
    agent.active++;
    // A chat starts with the customer's message: it awaits the agent's reply from now.
    open.awaiting = true;
    open.awaitingSince = now;
    agent.pending++;
    agent.assigned++;
    linkOpen(agent, open);
    open.where = 'agent';
    open.agent = agent;
    open.accountId = undefined;
    this.customers.remember(open.entry, agent);
    this.refresh(agent);
    const timeout = this.o.answerTimeoutMs;
    if (timeout !== undefined) this.#setDeadline(open, 'answer', now + timeout);
    else this.#cancelDeadline(open);
    const customerId = open.customerId;
    const decision: Decision = groupId === undefined
      ? { kind: 'agent', customerId, at: now, agentId: agent.id, reason }
      : { kind: 'agent', customerId, at: now, agentId: agent.id, groupId, reason };
    if (reroutedFrom !== undefined) {
      decision.reroutedFrom = reroutedFrom;
      decision.rerouteReason = cause as RerouteCause;
    }
    if (waited >= 0) decision.waitedMs = waited;
    return decision;
  }

  /** Gives the consultation to the robot by the reception mode (rule 4). */
  #robot(open: Open, reason: 'robot-first' | 'mixed', reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision {
    open.where = 'robot';
    const decision: Decision = { kind: 'robot', customerId: open.customerId, at: this.time.now, reason };
    return rerouted(decision, reroutedFrom, cause);
  }

  /** Rule 2's hold: it waits in the queue for its recent contact alone, until the hold ends. */
  #hold(open: Open, agent: AgentRecord, contactAt: number): Decision {
    const now = this.time.now;
    open.where = 'queued';
    open.queuedAt = now;
    open.heldFor = agent.id;
    const position = this.queue.insert(open, { pool: undefined, excluded: undefined, contacts: [{ agentId: agent.id, at: contactAt }], dedicatedAgentId: undefined });
    this.#setDeadline(open, 'hold', now + this.o.holdForRecentContactMs);
    return { kind: 'queued', customerId: open.customerId, at: now, position, reason: 'held', heldFor: agent.id };
  }

  /** No human can take it (rules 1 and 7): the robot unless it handed it over, else the queue or an offline account. */
  #nobody(open: Open, why: 'nobody-online' | 'no-human', reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision {
    const o = this.o;
    const customerId = open.customerId;
    const at = this.time.now;
    let decision: Decision;
    if (o.robot && !open.escalated) {
      open.where = 'robot';
      decision = { kind: 'robot', customerId, at, reason: 'no-human' };
    } else if (o.noAgent === 'queue') {
      open.where = 'queued';
      open.queuedAt = at;
      open.reach = this.#reachNow(open);
      decision = { kind: 'queued', customerId, at, position: this.enqueue(open), reason: 'no-human' };
      this.#setOverflowDeadline(open);
    } else {
      const accountId = (o.noAgent === 'main' ? o.mainAccountId : o.proxyAccountId) as string;
      open.where = 'offline';
      open.accountId = accountId;
      decision = { kind: 'offline', customerId, at, accountId, reason: why };
    }
    return rerouted(decision, reroutedFrom, cause);
  }

  /** A queued consultation's next overflow step, if it has one left. */
  #setOverflowDeadline(open: Open): void {
    const next = open.target.tiers[open.reach];
    if (next !== undefined) this.#setDeadline(open, 'overflow', open.since + next.afterMs);
    else this.#cancelDeadline(open);
  }

  /** A queued consultation widened by an overflow step and still not taken: filed again with its wider pool. */
  #requeue(open: Open): void {
    this.queue.remove(open);
    this.enqueue(open);
    this.#setOverflowDeadline(open);
  }

  /**
   * Files a consultation in the waiting queue with everyone who could take it: its widest pool
   * reached, its recent contacts and dedicated agent (or, while held, its one contact); its
   * 1-based position.
   */
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
    if (open.heldFor !== undefined) {
      const heldFor = open.heldFor;
      return this.queue.insert(open, { pool: undefined, excluded: undefined, contacts: contacts.filter((c) => c.agentId === heldFor), dedicatedAgentId: undefined });
    }
    const dedicated = open.dedicatedAgentId;
    const target = open.target;
    return this.queue.insert(open, {
      pool: open.reach === 0 ? target.pool : (target.tiers[open.reach - 1] as { pool: Pool }).pool,
      excluded,
      contacts: excluded === undefined ? contacts : contacts.filter((c) => !excluded.has(c.agentId)),
      dedicatedAgentId: dedicated !== undefined && excluded?.has(dedicated) ? undefined : dedicated,
    });
  }

  /** Takes a consultation off the queue as it is served; returns how long it waited there. */
  #served(open: Open): number {
    this.queue.remove(open);
    open.heldFor = undefined;
    const pool = open.target.pool;
    let times = this.departures.get(pool);
    if (times === undefined) this.departures.set(pool, (times = []));
    times.push(this.time.now);
    if (times.length > DEPARTURES_KEPT) times.shift();
    return this.time.now - open.queuedAt;
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
    const position = this.queue.positionInPool(open);
    if (!(elapsed > 0) || position === 0) return undefined; // no service yet, or all of it this instant: no rate to go by
    return Math.round((position * elapsed) / (times as number[]).length);
  }

  /** The consultation leaves its agent: it no longer counts in the agent's load or pending. */
  #release(open: Open): void {
    const agent = open.agent as AgentRecord;
    agent.active--;
    if (open.awaiting) {
      open.awaiting = false;
      if (agent.pending > 0) agent.pending--;
    }
    unlinkOpen(agent, open);
    open.agent = undefined;
    this.refresh(agent);
  }

  /** Rule 9's first step: released, its deadline cancelled, and never back to `from` (but as a transfer target). */
  #takeBack(open: Open, from: AgentRecord): void {
    this.#cancelDeadline(open);
    this.#release(open);
    (open.excluded ??= new Set()).add(from.id);
  }

  /** An assignment of `agent` timed out: after `suspendAfterMisses` in a row the agent is suspended. */
  #missed(agent: AgentRecord, out: Decision[]): void {
    const limit = this.o.suspendAfterMisses;
    if (limit === undefined || agent.removed) return;
    if (++agent.misses < limit || agent.status !== 'online') return;
    agent.misses = 0;
    out.push(...this.setStatus(agent, 'suspended'));
  }

  /** Re-routes every open consultation of an agent that left (rule 9), oldest arrival first. */
  #rerouteAll(agent: AgentRecord, out: Decision[], cause: 'offline' | 'removed'): void {
    const list = openOf(agent).sort((a, b) => a.since - b.since || a.order - b.order);
    for (const open of list) {
      this.#takeBack(open, agent);
      out.push(this.#decide(open, 'reroute', agent.id, cause) as Decision);
    }
  }

  /** After an agent's state changed: re-route its chats if it just went offline (rule 9), then serve the queue (rule 8). */
  #afterStatusChange(agent: AgentRecord, wasOffline: boolean): Decision[] {
    const out: Decision[] = [];
    if (!wasOffline && agent.status === 'offline') this.#rerouteAll(agent, out, 'offline');
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
      const decision = this.#decide(next, 'drain', undefined, undefined);
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

function rerouted(decision: Decision, reroutedFrom: string | undefined, cause: RerouteCause | undefined): Decision {
  if (reroutedFrom !== undefined) {
    decision.reroutedFrom = reroutedFrom;
    decision.rerouteReason = cause as RerouteCause;
  }
  return decision;
}
